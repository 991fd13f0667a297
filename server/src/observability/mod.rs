//! Structured logs with a request id on every line, and nothing secret in them.
//!
//! Spans record the method, the path and the request id only: never headers (the
//! `Authorization` bearer), query strings or bodies (images and prompts).

mod log_buffer;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request};
pub use log_buffer::FlushGuard;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
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
/// `x-request-id`, and logs each request's outcome inside a span carrying it.
pub fn layer(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!(
                "request",
                id = %id,
                method = %request.method(),
                path = %request.uri().path(),
            )
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(
            REQUEST_ID,
            MakeCountedId {
                prefix: rand::random(),
            },
        ))
}
