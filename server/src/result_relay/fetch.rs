//! Fetching a result from its host: a client of its own, a request that carries
//! nothing of the client's or the key, redirects followed only to allowed URLs, and an
//! answer accepted only when it is an image within the size cap.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode, Uri, header};
use bytes::Bytes;
use http_body_util::Empty;
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::CertificateDer;
use url::Url;

use super::allowed::ResultHosts;
use super::error::{ResultError, shown_type};

/// Redirects followed for one result: a CDN may send a link on once or twice.
pub const MAX_REDIRECTS: usize = 3;
/// The longest wait for a connection (TCP) to a result host, as the proxy's.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The contract's two output formats, and WebP, which an image CDN may serve in their
/// place. All three are only ever decoded as images; never SVG, which can hold script.
const IMAGE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// A client for result hosts only: https only, and no headers but the few
/// [`request_for`] sets. It follows no redirects itself (hyper's never does).
pub type ResultClient = Client<HttpsConnector<HttpConnector>, Empty<Bytes>>;

/// The result client, trusting the public web roots and `extra_roots`.
pub fn client(extra_roots: &[CertificateDer<'static>]) -> Result<ResultClient> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for root in extra_roots {
        roots
            .add(root.clone())
            .context("an extra result-host root is not a usable certificate")?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("the TLS provider offers no safe protocol versions")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut connector = HttpConnector::new();
    connector.enforce_http(false);
    connector.set_connect_timeout(Some(CONNECT_TIMEOUT));
    connector.set_nodelay(true);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_only()
        .enable_http1()
        .wrap_connector(connector);
    Ok(Client::builder(TokioExecutor::new()).build(connector))
}

/// A result image whose body is still to be read.
pub struct Fetched {
    /// One of [`IMAGE_TYPES`], as the host declared it.
    pub content_type: &'static str,
    pub body: Incoming,
}

/// Fetches `url` (already allowed by `hosts`), following redirects to other allowed
/// URLs; the answer's headers are checked, its body is left to the caller.
pub async fn fetch(
    client: &ResultClient,
    hosts: &ResultHosts,
    mut url: Url,
    max_bytes: u64,
) -> Result<Fetched, ResultError> {
    let mut redirects = 0;
    loop {
        let answer = client.request(request_for(&url)?).await.map_err(|err| {
            // The host only: the path and query hold the link's signature.
            tracing::warn!(
                host = url.host_str().unwrap_or("-"),
                error = %err,
                source = ?err.source(),
                "a result host could not be reached"
            );
            ResultError::Unreachable
        })?;
        let Some(location) = redirect(&answer) else {
            return accept(answer, max_bytes);
        };
        if redirects == MAX_REDIRECTS {
            return Err(ResultError::TooManyRedirects(MAX_REDIRECTS));
        }
        url = next_url(&url, location, hosts)?;
        redirects += 1;
    }
}

/// A GET of `url` with only what a result host needs: its Host (hyper adds it from the
/// URL), the formats wanted, no compression, and who is asking. Never the client's
/// headers (cookies, `Authorization`) nor the API key: none are in reach here.
fn request_for(url: &Url) -> Result<Request<Empty<Bytes>>, ResultError> {
    let uri = Uri::try_from(url.as_str()).map_err(|_| ResultError::NotAUrl(url.as_str().len()))?;
    let mut request = Request::new(Empty::new());
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    // Not WebP: asking for it could have a CDN re-encode the image; accepted if sent.
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static("image/jpeg, image/png"),
    );
    // The body is passed through as it comes: an encoded one would reach the client
    // without its Content-Encoding.
    headers.insert(
        header::ACCEPT_ENCODING,
        HeaderValue::from_static("identity"),
    );
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static(concat!("seedream-server/", env!("CARGO_PKG_VERSION"))),
    );
    Ok(request)
}

/// The `Location` of a redirect that a GET may follow; None for any other answer.
fn redirect(answer: &Response<Incoming>) -> Option<&HeaderValue> {
    let followed = matches!(answer.status().as_u16(), 301 | 302 | 303 | 307 | 308);
    followed.then(|| answer.headers().get(header::LOCATION))?
}

/// Where a redirect from `from` leads, when that is allowed too (https, a listed
/// host); relative locations are resolved against `from`.
fn next_url(from: &Url, location: &HeaderValue, hosts: &ResultHosts) -> Result<Url, ResultError> {
    let next = location
        .to_str()
        .ok()
        .and_then(|location| from.join(location).ok())
        .ok_or(ResultError::BadRedirect)?;
    hosts.check(next.as_str()).map_err(|refused| {
        tracing::warn!(
            from = from.host_str().unwrap_or("-"),
            to = next.host_str().unwrap_or("-"),
            reason = ?refused,
            "refused a result host's redirect"
        );
        ResultError::BadRedirect
    })
}

/// The answer, when it is a whole image within the cap: a 200, of an image type, not
/// encoded, and not declared larger than `max_bytes`. A missing or expired result
/// (403, 404, 410) is a 404 for the client; any other status is the host's failure.
fn accept(answer: Response<Incoming>, max_bytes: u64) -> Result<Fetched, ResultError> {
    let status = answer.status();
    match status {
        StatusCode::OK => {}
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE => {
            return Err(ResultError::Gone(status));
        }
        _ => return Err(ResultError::UpstreamStatus(status)),
    }
    let headers = answer.headers();
    let content_type = image_type(headers)?;
    let encoded = headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|value| !value.as_bytes().eq_ignore_ascii_case(b"identity"));
    if encoded {
        return Err(ResultError::Encoded);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_bytes) {
        return Err(ResultError::TooLarge(max_bytes));
    }
    Ok(Fetched {
        content_type,
        body: answer.into_body(),
    })
}

/// The declared type, when it is one of [`IMAGE_TYPES`] (parameters aside).
fn image_type(headers: &HeaderMap) -> Result<&'static str, ResultError> {
    let declared = headers.get(header::CONTENT_TYPE);
    let essence = declared
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    essence
        .and_then(|essence| {
            IMAGE_TYPES
                .into_iter()
                .find(|known| known.eq_ignore_ascii_case(essence))
        })
        .ok_or_else(|| {
            ResultError::NotAnImage(shown_type(declared.map_or(&b""[..], |v| v.as_bytes())))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_only() {
        let mut headers = HeaderMap::new();
        assert!(image_type(&headers).is_err(), "no type");
        for (value, known) in [
            ("image/png", Some("image/png")),
            ("IMAGE/JPEG; charset=binary", Some("image/jpeg")),
            ("image/webp", Some("image/webp")),
            ("image/svg+xml", None),
            ("image/gif", None),
            ("text/html", None),
            ("application/octet-stream", None),
            ("image/pngx", None),
        ] {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(image_type(&headers).ok(), known, "{value}");
        }
    }

    #[test]
    fn redirects_lead_only_to_allowed_urls() {
        let hosts = ResultHosts::parse(&["cdn.example".into(), "other.example".into()]).unwrap();
        let from = Url::parse("https://cdn.example/a/b.png?sig=1").unwrap();
        let next = |location: &'static str| {
            next_url(&from, &HeaderValue::from_static(location), &hosts).map(String::from)
        };
        assert_eq!(next("c.png").unwrap(), "https://cdn.example/a/c.png");
        assert_eq!(next("/x?sig=2").unwrap(), "https://cdn.example/x?sig=2");
        assert_eq!(
            next("https://other.example/y.png").unwrap(),
            "https://other.example/y.png"
        );
        for refused in [
            "http://cdn.example/a/b.png",
            "//evil.example/x.png",
            "https://evil.example/x.png",
            "https://cdn.example:8443/x.png",
            "https://user@cdn.example/x.png",
        ] {
            assert!(next(refused).is_err(), "{refused}");
        }
    }
}
