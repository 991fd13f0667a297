//! Serving trunk's `dist/` folder: the app's single page and its hashed assets, with
//! cache and security headers, and nothing else in or beyond the folder.
//!
//! A file is sent as its Brotli or gzip copy (`x.br`, `x.gz`, written beside it by
//! `cargo xtask dist`) when the client accepts that encoding, else compressed on the
//! fly; the copies have no URL of their own (see [`folder`]).

mod folder;
mod policy;

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower::service_fn;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use seedream_contract::{SERVED_BY_HEADER, ServedBy};

use crate::config::PageOptions;
use folder::Folder;
use policy::PagePolicy;

pub use policy::content_security_policy;

/// Files under `dir`; a path without a file extension that names no file gets
/// `index.html`, so the single-page app can handle its own routes, while a missing file
/// (an asset of an older build, say) is a plain 404, never the page under its name.
/// Hidden files and whatever a symlink leads to outside `dir` are 404s too (see
/// [`folder`]).
///
/// tower-http picks a precompressed copy by the request's `Accept-Encoding` (`br`
/// before `gzip` at equal weight) and keeps the file's own `Content-Type`; the
/// `CompressionLayer` outside never encodes an answer that has a `Content-Encoding`
/// already, and compresses the rest.
pub fn router(dir: &Path, page: &PageOptions, api: ServedBy) -> Result<Router> {
    let index = dir.join("index.html");
    let policy = Arc::new(PagePolicy::new(index.clone(), page.clone())?);
    let folder = Arc::new(Folder::new(dir)?);
    let page = ServeFile::new(&index)
        .precompressed_br()
        .precompressed_gzip();
    let page_folder = Arc::clone(&folder);
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let files = files.fallback(service_fn(move |request: Request| {
        let page = page.clone();
        let folder = Arc::clone(&page_folder);
        let index = index.clone();
        async move {
            if names_a_file(request.uri().path()) || !folder.contains(index).await {
                Ok(StatusCode::NOT_FOUND.into_response())
            } else {
                page.oneshot(request).await.map(IntoResponse::into_response)
            }
        }
    }));
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(ranges_of_the_file_itself))
        .layer(middleware::from_fn_with_state(
            folder,
            folder::refuse_what_is_not_served,
        ))
        .layer(middleware::from_fn_with_state(api, announce_api))
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn(shareable_code))
        .layer(middleware::from_fn_with_state(policy, policy::set_policy))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // Every answer may differ by encoding, the precompressed ones included (the
        // compression layer names it only on what it compresses itself): a shared
        // cache must not hand a Brotli body to a client that cannot read it.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .layer(CompressionLayer::new()))
}

/// A `Range` is served from the file as stored, never from a compressed copy, so its
/// offsets always count bytes of the file whatever the client accepts: the parts of a
/// download resumed with another `Accept-Encoding` still fit together. Browsers ask
/// for ranges with `Accept-Encoding: identity` anyway; the compression layer leaves
/// ranges alone.
async fn ranges_of_the_file_itself(mut request: Request, next: Next) -> Response {
    if request.headers().contains_key(header::RANGE) {
        request.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    next.run(request).await
}

/// Names this server's API on the page's configuration file, whether or not the file
/// exists (a 404 is normal: a deployment may provide none). The page asks for the file
/// anyway, so knowing costs it no request of its own.
async fn announce_api(
    axum::extract::State(api): axum::extract::State<ServedBy>,
    request: Request,
    next: Next,
) -> Response {
    let config = request.uri().path() == "/config.json";
    let mut response = next.run(request).await;
    if config {
        response.headers_mut().insert(
            HeaderName::from_static(SERVED_BY_HEADER),
            HeaderValue::from_static(api.as_str()),
        );
    }
    response
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

/// The app's code and styles may be loaded by a portal on another origin (`embed.js`
/// imports the module and fetches the wasm, both of which need CORS). They are public
/// and carry no credentials, so any origin may read them; the page itself, its
/// configuration and the API keep their own rules.
async fn shareable_code(request: Request, next: Next) -> Response {
    let shareable = is_code(request.uri().path());
    let mut response = next.run(request).await;
    if shareable && response.status().is_success() {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

/// True for the app's scripts, wasm and stylesheets.
fn is_code(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    [".js", ".wasm", ".css"]
        .iter()
        .any(|extension| file.ends_with(extension))
}

/// True when the last path segment has an extension, as files do and app routes don't.
fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// trunk names its outputs `<stem>-<hash>.<ext>` (and `_bg.wasm` after the hash), the
/// hash being a 64-bit value in hex without leading zeros: up to 16 digits, and fewer
/// now and then (one in 16 builds has 15).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/seedream-studio-3f2a9c0d1e4b5a6f_bg.wasm"));
        assert!(is_hashed_asset("/seedream-studio-3f2a9c0d1e4b5a6f.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(is_hashed_asset("/images-9f4c4d9a4ecf3a5.css"));
    }

    #[test]
    fn files_are_told_from_app_routes_by_their_extension() {
        assert!(names_a_file("/app-0123456789abcdef.js"));
        assert!(names_a_file("/examples/portal.html"));
        assert!(!names_a_file("/"));
        assert!(!names_a_file("/history/task-1"));
    }

    #[test]
    fn index_and_plain_names_are_not_immutable() {
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/seedream-studio-notahash0000000.js"));
    }
}
