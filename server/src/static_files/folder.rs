//! What the static site refuses before tower-http's `ServeDir` sees a path: hidden files
//! (`.env`, `.git/config`: a deploy often copies more than the build), anything a
//! symlink leads to outside the folder, the `//host` and absolute forms of a path,
//! which `ServeDir`'s redirect to a directory's trailing slash would turn into a
//! `Location` on another origin, and names of precompressed copies (`x.js.br`,
//! `x.js.gz`), which are sent only as an encoding of their file: asked for by name
//! they would come as opaque bytes with no `Content-Encoding`, a second URL for every
//! file that no page uses.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

/// The served folder, with its own symlinks resolved once at start-up.
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(dir: &Path) -> Result<Folder> {
        let root = dir
            .canonicalize()
            .with_context(|| format!("cannot open --static {}", dir.display()))?;
        Ok(Folder { root })
    }

    /// The file `path` (a request path, still percent-encoded) names in the folder,
    /// mapped as `ServeDir` maps it, with `index.html` for a directory's trailing slash;
    /// `None` for a path never served: one with a hidden segment (`.` and `..` among
    /// them, in any encoding), one naming a precompressed copy, one that decodes to no
    /// UTF-8 or to an absolute path.
    fn file_for(&self, path: &str) -> Option<PathBuf> {
        let decoded = percent_decode_str(path.trim_start_matches('/'))
            .decode_utf8()
            .ok()?;
        // A backslash separates on Windows, so `\.env` would be a hidden file there.
        let separators = ['/', '\\'];
        if decoded
            .split(separators)
            .any(|segment| segment.starts_with('.'))
            || decoded
                .rsplit(separators)
                .next()
                .is_some_and(is_precompressed_copy)
        {
            return None;
        }
        let mut file = self.root.clone();
        for component in Path::new(&*decoded).components() {
            match component {
                Component::Normal(name) => file.push(name),
                _ => return None,
            }
        }
        if path.ends_with('/') {
            file.push("index.html");
        }
        Some(file)
    }

    /// True when `file`, with every symlink resolved, lies in the folder. A file that
    /// does not exist is judged by its nearest existing ancestor, so a symlinked
    /// directory leading out cannot even be probed for what exists behind it.
    fn resolves_inside(&self, file: &Path) -> bool {
        file.ancestors()
            .find_map(|path| path.canonicalize().ok())
            .is_some_and(|real| real.starts_with(&self.root))
    }

    /// [`Folder::resolves_inside`] off the async threads (it walks the file system);
    /// false if that check could not run.
    pub async fn contains(self: &Arc<Self>, file: PathBuf) -> bool {
        let folder = Arc::clone(self);
        tokio::task::spawn_blocking(move || folder.resolves_inside(&file))
            .await
            .unwrap_or(false)
    }
}

/// True for a name ending in `.br` or `.gz` (in any case: on a case-insensitive file
/// system `x.js.BR` opens the copy).
fn is_precompressed_copy(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".br") || name.ends_with(".gz")
}

/// Answers 404 for a hidden path or one leading out of the folder, and hands every
/// other request on in origin form with a single leading slash.
pub async fn refuse_what_is_not_served(
    State(folder): State<Arc<Folder>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(uri) = origin_form(request.uri()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(file) = folder.file_for(uri.path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !folder.contains(file).await {
        return StatusCode::NOT_FOUND.into_response();
    }
    *request.uri_mut() = uri;
    next.run(request).await
}

/// `uri` as a path and query only, its leading run of slashes (and backslashes, which
/// browsers read as slashes) collapsed to one: `ServeDir` redirects a directory to its
/// own path plus `/`, and a `Location` of `//evil.example/` (or one with the scheme
/// and host a client sent) would send the browser to another origin.
fn origin_form(uri: &Uri) -> Option<Uri> {
    let rest = uri.path().trim_start_matches(['/', '\\']);
    let query = uri
        .query()
        .map(|query| format!("?{query}"))
        .unwrap_or_default();
    Uri::try_from(format!("/{rest}{query}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> Folder {
        Folder {
            root: PathBuf::from("/srv/dist"),
        }
    }

    #[test]
    fn hidden_segments_are_never_mapped_to_a_file() {
        let folder = folder();
        for path in [
            "/.env",
            "/.git/config",
            "/assets/.hidden",
            "/%2eenv",
            "/%2Egit/config",
            "/a/%2e%2e/b",
            "/./index.html",
            "/x%2f.env",
            "/x%5c.env",
        ] {
            assert_eq!(folder.file_for(path), None, "{path}");
        }
        assert_eq!(folder.file_for("/%2Fetc/passwd"), None);
        for copy in [
            "/index.html.br",
            "/app_bg.wasm.gz",
            "/examples/portal.js.BR",
            "/x.css%2egz",
        ] {
            assert_eq!(folder.file_for(copy), None, "{copy}");
        }
        assert_eq!(folder.file_for("/%ff"), None);
    }

    #[test]
    fn other_paths_map_as_serve_dir_maps_them() {
        let folder = folder();
        let file = |path| folder.file_for(path).map(|file| file.display().to_string());
        assert_eq!(file("/").as_deref(), Some("/srv/dist/index.html"));
        assert_eq!(file("/a.b/c.d").as_deref(), Some("/srv/dist/a.b/c.d"));
        assert_eq!(
            file("/examples/portal/").as_deref(),
            Some("/srv/dist/examples/portal/index.html")
        );
        assert_eq!(file("/edit%2042").as_deref(), Some("/srv/dist/edit 42"));
    }

    #[test]
    fn leading_slashes_collapse_and_the_host_goes() {
        for (sent, expected) in [
            ("//examples", "/examples"),
            ("///x?a=1", "/x?a=1"),
            ("/\\examples", "/examples"),
            ("http://evil.example//x", "/x"),
            ("/examples//portal", "/examples//portal"),
            ("/", "/"),
        ] {
            let uri = Uri::try_from(sent).unwrap();
            let normal = origin_form(&uri).map(|uri| uri.to_string());
            assert_eq!(normal.as_deref(), Some(expected), "{sent}");
        }
    }
}
