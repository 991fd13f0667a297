//! Serving trunk's `dist/` folder: the app's single page and its hashed assets.

use std::path::Path;

use anyhow::{Result, bail};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// Files under `dir`; unknown paths outside `/api` get `index.html` so the
/// single-page app can handle its own routes.
pub fn router(dir: &Path) -> Result<Router> {
    let index = dir.join("index.html");
    if !index.is_file() {
        bail!(
            "{} has no index.html: build the app first (cargo xtask dist)",
            dir.display()
        );
    }
    let files = ServeDir::new(dir).fallback(ServeFile::new(index));
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new()))
}

/// Hashed assets never change under their name, so browsers may keep them for a year;
/// everything else (index.html above all) is revalidated so a new build shows at once.
async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// trunk names its outputs `<stem>-<16 hex digits>.<ext>` (and `_bg.wasm` after the hash).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/seedream-studio-3f2a9c0d1e4b5a6f_bg.wasm"));
        assert!(is_hashed_asset("/seedream-studio-3f2a9c0d1e4b5a6f.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
    }

    #[test]
    fn index_and_plain_names_are_not_immutable() {
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/seedream-studio-notahash0000000.js"));
    }
}
