//! Who may have this server fetch a result: its own page and the portals its operator
//! allowed, as for submits, so it is never an open image proxy for other sites.
//!
//! A page's `fetch` names the page in `Origin` when it crosses origins, and that origin
//! must be one of [`PageOrigins`]. A same-origin `GET` carries no `Origin`, and neither
//! does an `<img>` on another site's page; browsers tell those apart with
//! `Sec-Fetch-Site`, so without `Origin` it must say `same-origin` (or `none`, a person
//! opening the link themselves). A request with neither header comes from no modern
//! browser page (curl, a script) and is let through, as submits are: it can fetch only
//! from the listed hosts, and the per-client rate limit bounds it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ResultError;
use crate::hosts::{HostPort, requested_host};
use crate::proxy::origin::PageOrigins;

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Refuses a request from another site's page with 403 before anything is fetched.
pub async fn guard(
    State(origins): State<Arc<PageOrigins>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = requested_host(&request);
    let origin = headers.get(header::ORIGIN);
    if allowed(&origins, origin, headers.get(SEC_FETCH_SITE), host.as_ref()) {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = %origin.map_or("-".into(), |o| String::from_utf8_lossy(o.as_bytes())),
        "refused a result fetch for a page on another site"
    );
    ResultError::ForeignPage.into_response()
}

/// Whether a request with these `Origin` and `Sec-Fetch-Site` headers, to a server
/// reached as `host`, comes from a page this server acts for (or from no page).
fn allowed(
    origins: &PageOrigins,
    origin: Option<&HeaderValue>,
    fetch_site: Option<&HeaderValue>,
    host: Option<&HostPort>,
) -> bool {
    match (origin, fetch_site) {
        (Some(origin), _) => origin
            .to_str()
            .is_ok_and(|origin| origins.allows(origin, host)),
        (None, Some(site)) => matches!(site.as_bytes(), b"same-origin" | b"none"),
        (None, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_page_allowed_portals_and_non_browsers_only() {
        let origins = PageOrigins::new(Vec::new(), &["https://portal.example".into()]).unwrap();
        let here = HostPort::parse("studio.example:8080").unwrap();
        let value = HeaderValue::from_static;
        let check = |origin: Option<&'static str>, site: Option<&'static str>| {
            allowed(
                &origins,
                origin.map(value).as_ref(),
                site.map(value).as_ref(),
                Some(&here),
            )
        };
        // The app's own fetch, a portal's CORS fetch, curl, a person opening the link.
        assert!(check(None, Some("same-origin")));
        assert!(check(
            Some("http://studio.example:8080"),
            Some("same-origin")
        ));
        assert!(check(Some("https://portal.example"), Some("cross-site")));
        assert!(check(None, None));
        assert!(check(None, Some("none")));
        // Another site's fetch or <img>, a sandboxed frame, a sibling's <img>.
        assert!(!check(Some("https://evil.example"), Some("cross-site")));
        assert!(!check(Some("https://evil.example"), None));
        assert!(!check(Some("null"), Some("cross-site")));
        assert!(!check(None, Some("cross-site")));
        assert!(!check(None, Some("same-site")));
        assert!(!check(
            Some("http://studio.example:9090"),
            Some("same-site")
        ));
    }
}
