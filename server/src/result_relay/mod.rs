//! `GET /api/results?url=<result URL>`: a result image fetched from its host on the
//! page's behalf, so the app can keep results whose host sends no CORS headers or is
//! not allowed by the page's Content-Security-Policy. In both modes, by the same rules.
//!
//! It is not an open proxy: only `https` URLs on the hosts the operator lists
//! (`allowed`), only for the server's own page and allowed portals (`caller`),
//! within the per-client rate. The upstream request carries nothing of the client's
//! and never the key (`fetch`); only images are relayed, streamed within a size cap
//! and a deadline (`capped_body`), and the answer can never run as a page.
//!
//! Its path is the server's own, beside the contract's `/api/v1/...` routes, not among
//! them: it can never be mistaken for one, nor forwarded, and the forwarding code does
//! not know it. Under `/api` it shares the API's CORS, envelope and host rules.

mod allowed;
mod caller;
mod capped_body;
mod error;
mod fetch;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::get;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::config::ResultOptions;
use crate::proxy::limit::{self, Clients, Rate};
use crate::proxy::origin::PageOrigins;
use allowed::ResultHosts;
use capped_body::CappedBody;
use error::ResultError;
use fetch::ResultClient;

pub use allowed::MAX_URL_BYTES;
pub use fetch::MAX_REDIRECTS;

/// The route's path.
pub const RESULTS_PATH: &str = "/api/results";

/// What the handler shares.
struct Relay {
    hosts: ResultHosts,
    client: ResultClient,
    max_bytes: u64,
    timeout: Duration,
    /// One per fetch in flight, held until its body is dropped.
    fetches: Arc<Semaphore>,
}

/// The route, behind the caller check and the per-client `rate`.
pub fn router(
    options: &ResultOptions,
    origins: Arc<PageOrigins>,
    rate: Option<Rate>,
    clients: &Clients,
) -> Result<Router> {
    let relay = Arc::new(Relay {
        hosts: ResultHosts::parse(&options.result_hosts)?,
        client: fetch::client(&options.extra_roots)?,
        max_bytes: options.max_result_mb.saturating_mul(1_000_000),
        timeout: options.result_timeout,
        fetches: Arc::new(Semaphore::new(options.max_result_fetches as usize)),
    });
    let route = Router::new()
        .route(RESULTS_PATH, get(relay_result))
        .with_state(relay);
    Ok(limit::per_client(route, rate, clients)
        .route_layer(middleware::from_fn_with_state(origins, caller::guard)))
}

/// Checks the URL, fetches it within the deadline, and streams the image back.
async fn relay_result(
    State(relay): State<Arc<Relay>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ResultError> {
    if relay.hosts.is_empty() {
        return Err(ResultError::NoHosts);
    }
    let url = relay.hosts.check(&requested_url(query.as_deref())?)?;
    let permit = Arc::clone(&relay.fetches)
        .try_acquire_owned()
        .map_err(|_| ResultError::Busy)?;
    let deadline = Instant::now() + relay.timeout;
    let fetching = fetch::fetch(&relay.client, &relay.hosts, url, relay.max_bytes);
    let fetched = tokio::time::timeout_at(deadline, fetching)
        .await
        .map_err(|_| ResultError::TimedOut)??;
    let body = CappedBody::new(fetched.body, relay.max_bytes, deadline, Some(permit));
    Ok(image_response(fetched.content_type, Body::new(body)))
}

/// The one `url` parameter of the query, decoded.
fn requested_url(query: Option<&str>) -> Result<String, ResultError> {
    let mut urls = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(name, _)| name == "url")
        .map(|(_, value)| value.into_owned());
    match (urls.next(), urls.next()) {
        (Some(url), None) => Ok(url),
        _ => Err(ResultError::MissingUrl),
    }
}

/// The image with headers that keep it an image: its type, never sniffed; a policy
/// that sandboxes it and loads nothing should it be opened as a page; not embeddable by
/// other sites' pages; kept in the user's browser only, for a day, the longest a
/// result link lives.
fn image_response(content_type: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_parameter_is_decoded_and_given_once() {
        let url = |query: &str| requested_url(Some(query)).ok();
        assert_eq!(
            url("url=https%3A%2F%2Fcdn.example%2Fa.png%3Fsig%3Da%252Bb%26t%3D1").as_deref(),
            Some("https://cdn.example/a.png?sig=a%2Bb&t=1")
        );
        assert_eq!(url("v=1&url=x").as_deref(), Some("x"));
        assert!(url("url=a&url=b").is_none());
        assert!(url("uri=a").is_none());
        assert!(requested_url(None).is_err());
    }
}
