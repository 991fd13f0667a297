//! Structured logs with a request id on every line, and nothing secret in them.
//!
//! A request's line records its id, method, path, status and latency only: never
//! headers (the `Authorization` bearer), query strings or bodies (images and prompts).

mod log_buffer;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
pub use log_buffer::FlushGuard;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Logs to stderr, `info` unless `RUST_LOG` says otherwise, through a buffer written
/// out every few milliseconds ([`log_buffer`]). Keep the guard until exit: dropping it
/// writes what is still buffered.
pub fn init_logging() -> FlushGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = log_buffer::buffered_stderr();
    // A second initialisation (tests start several servers) keeps the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        // Colours for a person at a terminal only: a log file or collector gets plain
        // text, and formatting the escapes cost a few percent of a task query.
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    guard
}

/// Request ids unique to this process: a random start, then counting. A UUID per
/// request cost a `getrandom` system call each; ids need to be unique, not secret.
#[derive(Clone)]
struct MakeCountedId {
    prefix: u64,
}

/// Requests counted by every router in this process.
static REQUESTS: AtomicU64 = AtomicU64::new(0);

impl MakeRequestId for MakeCountedId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = REQUESTS.fetch_add(1, Ordering::Relaxed);
        let id = format!("{:016x}{n:016x}", self.prefix);
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// Gives every request an id (kept from the client when it sends one), returns it in
/// `x-request-id`, and logs one line per request when it is answered.
pub fn layer(router: Router) -> Router {
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(middleware::from_fn(access_log))
        .layer(SetRequestIdLayer::new(
            REQUEST_ID,
            MakeCountedId {
                prefix: rand::random(),
            },
        ))
}

/// One line per answered request: its id, method, path, status and latency, at
/// `info` (`warn` for a server error). The span around the handler is at `debug`:
/// at the deployed level it costs nothing, while a span per request (created,
/// recorded and printed on every line inside it) was a fifth of the proxy's time per
/// task query.
async fn access_log(request: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    // Clones of shared bytes, not copies: the request moves on to the handler.
    let method = request.method().clone();
    let uri = request.uri().clone();
    let id_header = request.headers().get(&REQUEST_ID).cloned();
    let id = id_header
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let path = uri.path();
    let span = tracing::debug_span!("request", id = %id, method = %method, path = %path);
    let response = next.run(request).instrument(span).await;
    let status = response.status().as_u16();
    let latency_us = start.elapsed().as_micros() as u64;
    if response.status().is_server_error() {
        tracing::warn!(%id, %method, %path, status, latency_us, "answered");
    } else {
        tracing::info!(%id, %method, %path, status, latency_us, "answered");
    }
    response
}
