//! Serving trunk's `dist/` folder: the app's single page and its hashed assets, with
//! cache and security headers.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower::service_fn;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::PageOptions;

/// Files under `dir`; a path without a file extension that names no file gets
/// `index.html`, so the single-page app can handle its own routes, while a missing file
/// (an asset of an older build, say) is a plain 404, never the page under its name.
pub fn router(dir: &Path, page: &PageOptions) -> Result<Router> {
    let index = dir.join("index.html");
    let policy = Arc::new(PagePolicy::new(index.clone(), page.clone())?);
    let page = ServeFile::new(index);
    let files = ServeDir::new(dir).fallback(service_fn(move |request: Request| {
        let page = page.clone();
        async move {
            if names_a_file(request.uri().path()) {
                Ok(StatusCode::NOT_FOUND.into_response())
            } else {
                page.oneshot(request).await.map(IntoResponse::into_response)
            }
        }
    }));
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn(shareable_code))
        .layer(middleware::from_fn_with_state(policy, set_policy))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new()))
}

/// The Content-Security-Policy of the page in `dist/`, recomputed when `index.html`
/// changes: a rebuild while the server runs writes a new inline loader, and a policy
/// hashed from the old one would stop the new page from starting.
struct PagePolicy {
    index: PathBuf,
    options: PageOptions,
    current: Mutex<(Option<SystemTime>, HeaderValue)>,
}

impl PagePolicy {
    fn new(index: PathBuf, options: PageOptions) -> Result<PagePolicy> {
        let (modified, policy) = Self::read(&index, &options)?;
        Ok(PagePolicy {
            index,
            options,
            current: Mutex::new((modified, policy)),
        })
    }

    fn read(index: &Path, options: &PageOptions) -> Result<(Option<SystemTime>, HeaderValue)> {
        let html = std::fs::read_to_string(index).with_context(|| {
            format!(
                "cannot read {}: build the app first (cargo xtask dist)",
                index.display()
            )
        })?;
        let modified = std::fs::metadata(index).and_then(|m| m.modified()).ok();
        Ok((modified, content_security_policy(&html, options)?))
    }

    /// The policy for the page as it is on disk now (one `stat` per response).
    fn get(&self) -> HeaderValue {
        let modified = std::fs::metadata(&self.index)
            .and_then(|m| m.modified())
            .ok();
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if modified != current.0 {
            match Self::read(&self.index, &self.options) {
                Ok(fresh) => *current = fresh,
                Err(err) => tracing::warn!(%err, "keeping the previous Content-Security-Policy"),
            }
        }
        current.1.clone()
    }
}

async fn set_policy(
    State(policy): State<Arc<PagePolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy.get());
    response
}

/// The page may run its own scripts and wasm, the inline loader trunk writes (allowed by
/// its hash, not by `'unsafe-inline'`), call its own origin, the provider and any
/// configured origin, show result images from https hosts and local data/blob
/// thumbnails, and be framed only by the configured ancestors. Nothing else.
pub fn content_security_policy(index_html: &str, page: &PageOptions) -> Result<HeaderValue> {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    script_src.extend(
        inline_scripts(index_html)
            .map(|script| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(script)))),
    );
    let extra = page
        .connect_origins
        .iter()
        .map(|origin| checked_source(origin))
        .collect::<Result<Vec<_>>>()?;
    let connect_src = ["'self'", seedream_contract::DEFAULT_BASE_URL]
        .into_iter()
        .map(str::to_owned)
        .chain(extra.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let img_src = ["'self'", "data:", "blob:", "https:"]
        .into_iter()
        .map(str::to_owned)
        .chain(extra)
        .collect::<Vec<_>>()
        .join(" ");
    let frame_ancestors = page
        .frame_ancestors
        .split_whitespace()
        .map(checked_source)
        .collect::<Result<Vec<_>>>()?
        .join(" ");
    let policy = [
        "default-src 'none'".to_owned(),
        format!("script-src {}", script_src.join(" ")),
        "style-src 'self'".to_owned(),
        format!("img-src {img_src}"),
        format!("connect-src {connect_src}"),
        "font-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'none'".to_owned(),
        "object-src 'none'".to_owned(),
        format!("frame-ancestors {frame_ancestors}"),
    ]
    .join("; ");
    HeaderValue::from_str(&policy).context("the Content-Security-Policy is not a valid header")
}

/// A CSP source from configuration: a keyword such as `'self'` or `'none'`, or an
/// origin like `https://portal.example:8443`. Anything that could add a directive
/// (`;`, `,`, quotes in the wrong place, spaces) is refused.
fn checked_source(source: &str) -> Result<String> {
    let keyword = matches!(source, "'self'" | "'none'");
    let origin = (source.starts_with("https://") || source.starts_with("http://"))
        && source.len() < 256
        && source
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".:/-*[]".contains(&b));
    if keyword || origin {
        Ok(source.to_owned())
    } else {
        bail!(
            "{source:?} is not a CSP source: use 'self', 'none' or an origin like https://portal.example"
        )
    }
}

/// The contents of every `<script>` without a `src` in `html`, exactly as the browser
/// hashes them.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
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

    fn page(frame_ancestors: &str, connect: &[&str]) -> PageOptions {
        PageOptions {
            frame_ancestors: frame_ancestors.to_owned(),
            connect_origins: connect.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

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

    #[test]
    fn inline_loader_is_allowed_by_its_hash_only() {
        let html =
            r#"<head><script src="/a.js"></script><script type="module">init()</script></head>"#;
        let policy = content_security_policy(html, &page("'self'", &[])).unwrap();
        let policy = policy.to_str().unwrap();
        let expected = STANDARD.encode(Sha256::digest("init()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
        assert!(policy.contains("default-src 'none'"), "{policy}");
    }

    #[test]
    fn configured_origins_are_added_and_bad_ones_refused() {
        let policy = content_security_policy(
            "",
            &page("'self' https://portal.example", &["https://proxy.example"]),
        )
        .unwrap();
        let policy = policy.to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'self' https://portal.example"));
        assert!(
            policy.contains("connect-src 'self' https://api.modellix.ai https://proxy.example")
        );
        assert!(content_security_policy("", &page("https://x; script-src *", &[])).is_err());
        assert!(content_security_policy("", &page("'self'", &["javascript:alert(1)"])).is_err());
    }
}
