//! `cargo xtask dist`: the release build and a table of what a browser downloads.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use seedream_first_load::gzip_len;
use seedream_first_load::precompress::{BROTLI_SUFFIX, GZIP_SUFFIX, is_copy};

use crate::{bootstrap, build};

pub fn run(root: &Path) -> Result<()> {
    let tools = bootstrap::build_tools(root)?;
    let dist = build::release(root, &tools)?;
    let sizes = measure(&dist)?;
    print!("{}", table(&sizes));
    println!("{}", copies_line(&dist, &sizes));
    Ok(())
}

/// One file of the build, with its size as stored and as sent gzip-compressed.
pub struct FileSize {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
}

/// Every file under `dist` a browser can ask for, sorted by path: its `.br` and `.gz`
/// copies are sent in its place, not as files, so they have no rows (and the totals
/// count each file once). `gzip` is the size of the `.gz` copy where there is one.
pub fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.retain(|path| !is_copy(path));
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let gzip = match copy_len(&path, GZIP_SUFFIX) {
                Some(len) => len,
                None => gzip_len(&bytes)?,
            };
            let shown = path
                .strip_prefix(dist)
                .unwrap_or(&path)
                .display()
                .to_string();
            Ok(FileSize {
                path: shown,
                raw: bytes.len() as u64,
                gzip,
            })
        })
        .collect()
}

/// The line under the table about the precompressed copies: how many files have
/// them, and what those files weigh raw, as gzip and as Brotli.
fn copies_line(dist: &Path, sizes: &[FileSize]) -> String {
    let (mut files, mut raw, mut gzip, mut brotli) = (0, 0, 0, 0);
    for file in sizes {
        let path = dist.join(&file.path);
        if let Some(len) = copy_len(&path, BROTLI_SUFFIX) {
            files += 1;
            raw += file.raw;
            gzip += file.gzip;
            brotli += len;
        }
    }
    format!(
        "{files} files have {BROTLI_SUFFIX} and {GZIP_SUFFIX} copies beside them, \
         sent by Accept-Encoding: {raw} bytes raw, {gzip} as gzip, {brotli} as Brotli"
    )
}

/// The size of `<path><suffix>`, if that copy exists.
fn copy_len(path: &Path, suffix: &str) -> Option<u64> {
    let mut copy = path.as_os_str().to_owned();
    copy.push(suffix);
    std::fs::metadata(PathBuf::from(copy))
        .ok()
        .map(|meta| meta.len())
}

/// The table printed by `cargo xtask dist`, with a total row.
pub fn table(sizes: &[FileSize]) -> String {
    let width = sizes
        .iter()
        .map(|f| f.path.len())
        .max()
        .unwrap_or(0)
        .max("total".len());
    let mut out = format!(
        "{:<width$}  {:>12}  {:>12}\n",
        "file", "raw bytes", "gzip bytes"
    );
    for file in sizes {
        out += &format!(
            "{:<width$}  {:>12}  {:>12}\n",
            file.path, file.raw, file.gzip
        );
    }
    let raw: u64 = sizes.iter().map(|f| f.raw).sum();
    let gzip: u64 = sizes.iter().map(|f| f.gzip).sum();
    out += &format!("{:<width$}  {:>12}  {:>12}\n", "total", raw, gzip);
    out
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_file_and_the_totals() {
        let sizes = [
            FileSize {
                path: "index.html".into(),
                raw: 1000,
                gzip: 400,
            },
            FileSize {
                path: "app_bg.wasm".into(),
                raw: 300_000,
                gzip: 90_000,
            },
        ];
        let text = table(&sizes);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 4, "{text}");
        assert!(rows[1].starts_with("index.html") && rows[1].ends_with("400"));
        assert!(
            rows[3].starts_with("total")
                && rows[3].contains("301000")
                && rows[3].ends_with("90400")
        );
    }

    /// A fresh folder under the system's temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn copies_have_no_rows_and_are_counted_once() -> Result<()> {
        let dist = TempDir(std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id())));
        let dist = &dist.0;
        std::fs::create_dir_all(dist.join("examples"))?;
        std::fs::write(dist.join("index.html"), "<p>Studio</p>\n".repeat(100))?;
        std::fs::write(dist.join("config.json"), "{}")?;
        std::fs::write(dist.join("examples/portal.js"), "x();\n".repeat(300))?;
        let copies = seedream_first_load::precompress::precompress_dir(dist)?;

        let sizes = measure(dist)?;
        let paths: Vec<&str> = sizes.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["config.json", "examples/portal.js", "index.html"]);
        assert_eq!(
            sizes[2].gzip,
            std::fs::metadata(dist.join("index.html.gz"))?.len()
        );

        let line = copies_line(dist, &sizes);
        let brotli: u64 = copies.iter().map(|f| f.brotli).sum();
        let gzip: u64 = copies.iter().map(|f| f.gzip).sum();
        assert!(
            line.starts_with("2 files have .br and .gz copies"),
            "{line}"
        );
        assert!(
            line.ends_with(&format!("{gzip} as gzip, {brotli} as Brotli")),
            "{line}"
        );
        Ok(())
    }
}
