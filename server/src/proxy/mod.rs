//! The key-holding proxy: the browser calls this server, which forwards the contract's
//! two routes, and only those, to the real API with the key from `MODELLIX_API_KEY`.
//!
//! The key is added here and nowhere else: it never comes from or goes back to the
//! client, and is never logged. Bodies stream through ([`forward`]); a submit over the
//! contract's size limit is refused before a byte is sent upstream.

mod forward;
mod limit;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::http::HeaderValue;
use axum::routing::{get, post};
use seedream_contract::SUBMIT_PATH;

use crate::config::{API_KEY_VAR, ProxyOptions};

/// What the forwarding handlers share.
pub struct Proxy {
    client: reqwest::Client,
    /// The upstream origin, without a trailing slash.
    upstream: String,
    /// `Bearer <key>`, marked sensitive so it is never printed.
    authorization: HeaderValue,
    read_timeout: Duration,
    submit_timeout: Duration,
}

pub fn router(options: &ProxyOptions) -> Result<Router> {
    let Some(key) = &options.api_key else {
        bail!(
            "the proxy needs the API key in the {API_KEY_VAR} environment variable \
             (or run with --mock to try the app without one)"
        );
    };
    let mut authorization = HeaderValue::from_str(&format!("Bearer {key}"))
        .with_context(|| format!("{API_KEY_VAR} holds characters a header cannot carry"))?;
    authorization.set_sensitive(true);

    let proxy = Proxy {
        // No redirects: following one could carry the key to another host.
        client: reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?,
        upstream: upstream_origin(&options.upstream)?,
        authorization,
        read_timeout: options.upstream_timeout,
        submit_timeout: options.submit_timeout,
    };
    let routes = Router::new()
        .route(SUBMIT_PATH, post(forward::submit))
        .route("/api/v1/tasks/{task_id}", get(forward::task))
        .with_state(Arc::new(proxy));
    Ok(limit::per_client(routes, options.client_rate_limit))
}

/// `--upstream` must be a bare http(s) origin: the paths come from the contract only.
fn upstream_origin(url: &str) -> Result<String> {
    let parsed =
        reqwest::Url::parse(url).with_context(|| format!("--upstream {url:?} is not a URL"))?;
    let bare = parsed.path() == "/" && parsed.query().is_none() && parsed.fragment().is_none();
    if !matches!(parsed.scheme(), "http" | "https") || !bare || !parsed.username().is_empty() {
        bail!("--upstream must be an http(s) origin such as https://api.modellix.ai, not {url:?}");
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::upstream_origin;

    #[test]
    fn upstream_is_a_bare_origin() {
        assert_eq!(
            upstream_origin("https://api.modellix.ai").unwrap(),
            "https://api.modellix.ai"
        );
        assert_eq!(
            upstream_origin("http://127.0.0.1:9000/").unwrap(),
            "http://127.0.0.1:9000"
        );
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
