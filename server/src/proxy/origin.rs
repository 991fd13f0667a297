//! Who may make the proxy spend the key: its own page, the portals the operator
//! allowed, and clients that are not browsers.
//!
//! A browser sends a cross-site `POST` without asking first only when it looks like a
//! form (`text/plain`, say), so requiring `Content-Type: application/json` forces a
//! preflight that CORS answers for allowed origins only. A browser always names the
//! page's origin in `Origin` on such a request, so any origin but the server's own
//! and the allowed ones is refused too. A request without `Origin` comes from no
//! browser page (curl, another server) and holds whatever key it was given anyway.
//! Task queries are free reads and are not checked. The result route
//! (`result_relay`) asks the same question of its callers.

use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::api_error::error_response;
use crate::hosts::{HostPort, requested_host};

/// The pages this server acts for: its own, and the portals its operator allowed. A
/// submit, and a result fetch, may come from these origins only.
#[derive(Debug, Default)]
pub struct PageOrigins {
    /// `--public-host`: when set, the server's own origins are these, not whatever
    /// `Host` a request names.
    public_hosts: Vec<HostPort>,
    /// `--allow-origin`, exactly as browsers write `Origin` (lowercase, no slash).
    allowed: Vec<String>,
}

impl PageOrigins {
    pub fn new(public_hosts: Vec<HostPort>, allow_origins: &[String]) -> Result<PageOrigins> {
        let allowed = allow_origins
            .iter()
            .map(|origin| {
                HostPort::of_origin(origin).with_context(|| {
                    format!("--allow-origin {origin:?} is not an http(s) origin")
                })?;
                Ok(origin.trim_end_matches('/').to_ascii_lowercase())
            })
            .collect::<Result<_>>()?;
        Ok(PageOrigins {
            public_hosts,
            allowed,
        })
    }

    /// Whether a request carrying `origin` comes from one of these pages, for a server
    /// reached as `host`.
    pub fn allows(&self, origin: &str, host: Option<&HostPort>) -> bool {
        if self.allowed.iter().any(|a| a.eq_ignore_ascii_case(origin)) {
            return true;
        }
        let Some(origin) = HostPort::of_origin(origin) else {
            return false; // `null` (sandboxed frames, file pages) and other schemes
        };
        if self.public_hosts.is_empty() {
            host.is_some_and(|host| host.matches(&origin))
        } else {
            self.public_hosts.iter().any(|own| own.matches(&origin))
        }
    }
}

/// Refuses, before anything goes upstream, a submit that is not JSON (415) or comes
/// from another site's page (403), both in the contract's envelope.
pub async fn guard_submit(
    State(origins): State<Arc<PageOrigins>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_json(request.headers()) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type: a submit must be sent as Content-Type: application/json",
        );
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let host = requested_host(&request);
        let allowed = origin
            .to_str()
            .is_ok_and(|origin| origins.allows(origin, host.as_ref()));
        if !allowed {
            tracing::warn!(
                origin = %String::from_utf8_lossy(origin.as_bytes()),
                "refused a submit from a page on another origin"
            );
            return error_response(
                StatusCode::FORBIDDEN,
                "Forbidden: this server submits edits only for its own page and the origins \
                 its operator allowed (--allow-origin)",
            );
        }
    }
    next.run(request).await
}

/// `application/json`, in any case, with or without parameters such as a charset.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn host(text: &str) -> HostPort {
        HostPort::parse(text).unwrap()
    }

    #[test]
    fn own_page_and_allowed_origins_only() {
        let origins = PageOrigins::new(Vec::new(), &["https://Portal.example/".into()]).unwrap();
        let here = host("studio.example:8080");
        assert!(origins.allows("http://studio.example:8080", Some(&here)));
        assert!(origins.allows("https://portal.example", Some(&here)));
        assert!(!origins.allows("https://evil.example", Some(&here)));
        assert!(!origins.allows("http://studio.example:9090", Some(&here)));
        assert!(!origins.allows("null", Some(&here)));
        assert!(!origins.allows("http://studio.example:8080", None));
    }

    #[test]
    fn public_hosts_replace_the_requested_one() {
        let origins = PageOrigins::new(vec![host("studio.example")], &[]).unwrap();
        let rebound = host("evil.example");
        assert!(origins.allows("https://studio.example", Some(&rebound)));
        assert!(!origins.allows("https://evil.example", Some(&rebound)));
    }

    #[test]
    fn only_json_is_json() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        for (value, json) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("multipart/form-data; boundary=x", false),
            ("application/jsonp", false),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), json, "{value}");
        }
        assert!(PageOrigins::new(Vec::new(), &["portal.example".into()]).is_err());
    }
}
