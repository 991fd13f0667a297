//! A trunk-like `dist/` folder in a temporary directory, and a mock serving it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use seedream_server::Running;

use super::mock;

/// The inline loader trunk writes into `index.html`.
pub const INLINE: &str =
    "import init from '/app-0123456789abcdef.js'; init('/app-0123456789abcdef_bg.wasm');";
/// The hashed module of the build.
pub const ASSET: &str = "export default function init() { return 42; }\n";

/// A fresh directory under the system's temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("seedream-static-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    /// Writes `name` (a relative path), creating its folders.
    pub fn write(&self, name: &str, contents: &str) {
        let file = self.0.join(name);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(file, contents).unwrap();
    }

    /// A symlink at `name` in this directory pointing to `target`.
    #[cfg(unix)]
    pub fn link(&self, name: &str, target: impl AsRef<Path>) {
        std::os::unix::fs::symlink(target, self.0.join(name)).unwrap();
    }

    pub fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn index_html() -> String {
    format!(
        "<!doctype html><html><head><title>Seedream Studio</title>\
         <script type=\"module\">{INLINE}</script></head><body></body></html>"
    )
}

/// A trunk-like dist/ folder: the page, a hashed asset, and a large text file.
pub fn dist() -> TempDir {
    let dir = TempDir::new();
    dir.write("index.html", &index_html());
    dir.write("app-0123456789abcdef.js", ASSET);
    let notes = "Seedream Studio edits images with Seedream 5.0 Lite Edit.\n".repeat(400);
    dir.write("notes.txt", &notes);
    dir
}

/// The mock serving `dir`, framable by one portal.
pub async fn site(dir: &TempDir) -> Running {
    let args = [
        "--static",
        dir.arg(),
        "--frame-ancestors",
        "'self' https://portal.example",
    ];
    mock(&args).await
}
