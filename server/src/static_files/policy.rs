//! The page's Content-Security-Policy: built from `index.html` (its inline loader is
//! allowed by hash) and the configured origins, and rebuilt when the page changes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::config::PageOptions;

/// The Content-Security-Policy of the page in `dist/`, recomputed when `index.html`
/// changes: a rebuild while the server runs writes a new inline loader, and a policy
/// hashed from the old one would stop the new page from starting.
pub struct PagePolicy {
    index: PathBuf,
    options: PageOptions,
    current: Mutex<(Option<SystemTime>, HeaderValue)>,
}

impl PagePolicy {
    pub fn new(index: PathBuf, options: PageOptions) -> Result<PagePolicy> {
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

/// Puts the policy of the page as it is now on every answer.
pub async fn set_policy(
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
/// its hash, not by `'unsafe-inline'`), use its own stylesheets and the ones the build
/// put into the page (by their hashes too), call its own origin, the provider and any
/// configured origin, show result images from https hosts and local data/blob
/// thumbnails, and be framed only by the configured ancestors. Nothing else.
pub fn content_security_policy(index_html: &str, page: &PageOptions) -> Result<HeaderValue> {
    let hash = |body: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(body)));
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    script_src.extend(inline_elements(index_html, "script").into_iter().map(hash));
    let mut style_src = vec!["'self'".to_owned()];
    style_src.extend(inline_elements(index_html, "style").into_iter().map(hash));
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
        format!("style-src {}", style_src.join(" ")),
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

/// The contents of every `<script>` or `<style>` element (`tag`) in `html` that has them
/// (no `src`), exactly as the browser hashes them.
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    html.split(open.as_str())
        .skip(1)
        .filter_map(|rest| {
            let (attributes, after) = rest.split_once('>')?;
            let (body, _) = after.split_once(close.as_str())?;
            (!attributes.contains("src=")).then_some(body)
        })
        .collect()
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
    fn inline_styles_are_allowed_by_their_hashes_only() {
        let html = "<head><link rel=stylesheet href=/a.css><style>b{c:d}</style>\
                    <style media=print>e{f:g}</style></head>";
        let policy = content_security_policy(html, &page("'self'", &[])).unwrap();
        let policy = policy.to_str().unwrap();
        let [first, second] = ["b{c:d}", "e{f:g}"].map(|css| STANDARD.encode(Sha256::digest(css)));
        assert!(
            policy.contains(&format!(
                "style-src 'self' 'sha256-{first}' 'sha256-{second}';"
            )),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let scripts = policy
            .split("; ")
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains(&first), "{policy}");
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
