//! The key-holding proxy: the browser calls this server, which forwards the contract's
//! two routes, and only those, to the real API with the key from `MODELLIX_API_KEY`.
//!
//! The key is added here and nowhere else: it never comes from or goes back to the
//! client, and is never logged. Bodies stream through ([`forward`]); a submit over the
//! contract's size limit is refused before a byte is sent upstream.

mod forward;
pub mod limit;
pub mod origin;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::Body;
use axum::http::HeaderValue;
use axum::http::uri::{Authority, Scheme};
use axum::middleware;
use axum::routing::{get, post};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use seedream_contract::SUBMIT_PATH;

use crate::config::{API_KEY_VAR, ProxyOptions};
use limit::{Clients, Rate};
use origin::PageOrigins;

/// What the forwarding handlers share.
pub struct Proxy {
    /// hyper's pooled client: keep-alive connections to the upstream, reused.
    client: Client<HttpsConnector<HttpConnector>, Body>,
    /// The upstream origin; the paths come from the contract only.
    scheme: Scheme,
    authority: Authority,
    /// `Bearer <key>`, marked sensitive so it is never printed.
    authorization: HeaderValue,
    read_timeout: Duration,
    submit_timeout: Duration,
}

/// The contract's two routes, forwarded with the key: submits only from the allowed
/// origins, each route within its own per-client rate.
pub fn router(options: &ProxyOptions, origins: Arc<PageOrigins>) -> Result<Router> {
    let Some(key) = &options.api_key else {
        bail!(
            "the proxy needs the API key in the {API_KEY_VAR} environment variable \
             (or run with --mock to try the app without one)"
        );
    };
    let mut authorization = HeaderValue::from_str(&format!("Bearer {key}"))
        .with_context(|| format!("{API_KEY_VAR} holds characters a header cannot carry"))?;
    authorization.set_sensitive(true);
    let (scheme, authority) = upstream_origin(&options.upstream)?;

    let mut connector = HttpConnector::new();
    connector.enforce_http(false);
    connector.set_connect_timeout(Some(Duration::from_secs(10)));
    connector.set_nodelay(true);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .wrap_connector(connector);
    let proxy = Arc::new(Proxy {
        // hyper's client follows no redirects: one could carry the key to another host.
        client: Client::builder(TokioExecutor::new()).build(connector),
        scheme,
        authority,
        authorization,
        read_timeout: options.upstream_timeout,
        submit_timeout: options.submit_timeout,
    });
    let clients = Clients::new(&options.trusted_proxies);
    let submit = Router::new()
        .route(SUBMIT_PATH, post(forward::submit))
        .with_state(Arc::clone(&proxy));
    let submit = limit::per_client(
        submit,
        Rate::per_minute(options.submit_rate_limit),
        &clients,
    )
    .route_layer(middleware::from_fn_with_state(
        origins,
        origin::guard_submit,
    ));
    let task = Router::new()
        .route("/api/v1/tasks/{task_id}", get(forward::task))
        .with_state(proxy);
    let task = limit::per_client(task, Rate::per_second(options.client_rate_limit), &clients);
    Ok(submit.merge(task))
}

/// `--upstream` must be a bare http(s) origin: the paths come from the contract only.
fn upstream_origin(url: &str) -> Result<(Scheme, Authority)> {
    let parsed =
        url::Url::parse(url).with_context(|| format!("--upstream {url:?} is not a URL"))?;
    let bare = parsed.path() == "/" && parsed.query().is_none() && parsed.fragment().is_none();
    if !matches!(parsed.scheme(), "http" | "https") || !bare || !parsed.username().is_empty() {
        bail!("--upstream must be an http(s) origin such as https://api.modellix.ai, not {url:?}");
    }
    let origin = parsed.as_str().trim_end_matches('/');
    let uri: axum::http::Uri = origin
        .parse()
        .with_context(|| format!("--upstream {url:?} is not a URL"))?;
    match (uri.scheme(), uri.authority()) {
        (Some(scheme), Some(authority)) => Ok((scheme.clone(), authority.clone())),
        _ => bail!("--upstream must be an http(s) origin such as https://api.modellix.ai"),
    }
}

#[cfg(test)]
mod tests {
    use super::upstream_origin;

    #[test]
    fn upstream_is_a_bare_origin() {
        let shown = |url: &str| {
            let (scheme, authority) = upstream_origin(url).unwrap();
            format!("{scheme}://{authority}")
        };
        assert_eq!(shown("https://api.modellix.ai"), "https://api.modellix.ai");
        assert_eq!(shown("http://127.0.0.1:9000/"), "http://127.0.0.1:9000");
        for bad in [
            "api.modellix.ai",
            "ftp://x",
            "https://x/api",
            "https://x/?q=1",
            "https://u:p@x",
        ] {
            assert!(upstream_origin(bad).is_err(), "{bad} was accepted");
        }
    }
}
