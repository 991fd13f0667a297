//! A result host for the `/api/results` tests: https on loopback with a certificate
//! from a test root made once per test binary, routes that answer as a provider's
//! storage might (and as it should not), and a record of every request it received.
//! Servers started by [`relay`] trust the test root; nothing else does.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use seedream_server::Running;
use serde::Deserialize;

use super::{config, png};

/// The test root's certificate, and the TLS setup of hosts it vouches for (loopback
/// and `localhost`).
struct TestRoot {
    root: CertificateDer<'static>,
    tls: Arc<rustls::ServerConfig>,
}

fn test_root() -> &'static TestRoot {
    static ROOT: OnceLock<TestRoot> = OnceLock::new();
    ROOT.get_or_init(|| {
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "seedream test root");
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let root = ca.self_signed(&ca_key).unwrap().der().clone();
        let issuer = rcgen::Issuer::new(ca, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), root.clone()], key)
            .unwrap();
        TestRoot {
            root,
            tls: Arc::new(tls),
        }
    })
}

/// A request as the result host saw it.
#[derive(Debug, Clone)]
pub struct ResultRequest {
    pub path_and_query: String,
    pub headers: HeaderMap,
}

/// A running result host.
pub struct ResultHost {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<ResultRequest>>>,
}

impl ResultHost {
    /// `127.0.0.1:<port>`, as `--result-host` lists it.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// `https://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<ResultRequest> {
        self.seen.lock().unwrap().clone()
    }
}

/// Starts a result host on a free loopback port.
pub async fn result_host() -> ResultHost {
    let seen: Arc<Mutex<Vec<ResultRequest>>> = Arc::default();
    let log = Arc::clone(&seen);
    let app = routes().layer(axum::middleware::from_fn(
        move |request: Request, next: axum::middleware::Next| {
            log.lock().unwrap().push(ResultRequest {
                path_and_query: request.uri().path_and_query().unwrap().to_string(),
                headers: request.headers().clone(),
            });
            next.run(request)
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(&test_root().tls));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                let service = TowerToHyperService::new(app);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    ResultHost { addr, seen }
}

#[derive(Deserialize)]
struct Params {
    #[serde(default)]
    r#type: Option<String>,
    #[serde(default)]
    len: usize,
    #[serde(default)]
    to: String,
}

/// `/image.png` a small PNG; `/typed?type=T` it as type T (none when empty);
/// `/declared?len=N` and `/streamed?len=N` N bytes with and without a Content-Length;
/// `/slow` headers after 30 s; `/stall` one chunk, then nothing; `/gzip` a PNG said
/// to be gzipped; `/status/N` status N; `/hop/N` N relative redirects, then the PNG;
/// `/redirect?to=URL` one redirect to URL.
fn routes() -> Router {
    Router::new()
        .route(
            "/image.png",
            get(|| async { image("image/png", png([1, 2, 3])) }),
        )
        .route(
            "/typed",
            get(|Query(p): Query<Params>| async move {
                let mut answer = png([1, 2, 3]).into_response();
                answer.headers_mut().remove(header::CONTENT_TYPE);
                if let Some(t) = p.r#type.filter(|t| !t.is_empty()) {
                    answer
                        .headers_mut()
                        .insert(header::CONTENT_TYPE, t.parse().unwrap());
                }
                answer
            }),
        )
        .route(
            "/declared",
            get(|Query(p): Query<Params>| async move { image("image/png", vec![9u8; p.len]) }),
        )
        .route(
            "/streamed",
            get(|Query(p): Query<Params>| async move {
                let chunks = (0..p.len).step_by(64 * 1024).map(move |at| {
                    Ok::<_, std::io::Error>(Bytes::from(vec![9u8; (p.len - at).min(64 * 1024)]))
                });
                streamed(Body::from_stream(stream::iter(chunks.collect::<Vec<_>>())))
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                image("image/png", png([1, 2, 3]))
            }),
        )
        .route(
            "/stall",
            get(|| async {
                let first =
                    stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"\x89PNG")) });
                streamed(Body::from_stream(first.chain(stream::pending())))
            }),
        )
        .route(
            "/gzip",
            get(|| async {
                let mut answer = image("image/png", png([1, 2, 3]));
                answer
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, "gzip".parse().unwrap());
                answer
            }),
        )
        .route(
            "/status/{code}",
            get(|Path(code): Path<u16>| async move { StatusCode::from_u16(code).unwrap() }),
        )
        .route(
            "/hop/{n}",
            get(|Path(n): Path<u32>| async move {
                if n == 0 {
                    return image("image/png", png([1, 2, 3]));
                }
                moved(&format!("{}", n - 1))
            }),
        )
        .route(
            "/redirect",
            get(|Query(p): Query<Params>| async move { moved(&p.to) }),
        )
}

fn image(content_type: &'static str, bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

fn streamed(body: Body) -> Response {
    ([(header::CONTENT_TYPE, "image/png")], body).into_response()
}

fn moved(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A server with `args` (add `--mock`, or an `--upstream`, to choose the mode) that
/// trusts the test root for its result hosts; in proxy mode it holds `super::KEY`.
pub async fn relay(args: &[&str]) -> Running {
    let mut all = vec!["--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let mut config = config(&all);
    config.results.extra_roots = vec![test_root().root.clone()];
    config.proxy_options.api_key = Some(super::KEY.to_owned());
    seedream_server::spawn(config)
        .await
        .expect("the server starts")
}

/// `/api/results?url=<url, percent-encoded>` of `server`.
pub fn results_url(server: &Running, url: &str) -> String {
    server.url(&format!("/api/results?url={}", encoded(url)))
}

/// `text` percent-encoded for a query parameter, as `encodeURIComponent` would.
pub fn encoded(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
