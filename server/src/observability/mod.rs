//! Structured logs with a request id on every line, and nothing secret in them.
//!
//! A request's line records its id, method, path, status and latency only: never
//! headers (the `Authorization` bearer), query strings or bodies (images and prompts).

mod access_log;
mod log_buffer;

use std::io::IsTerminal;

use access_log::AccessLogLayer;
use axum::Router;
pub use log_buffer::FlushGuard;
use tracing_subscriber::EnvFilter;

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

/// Gives every request an id (kept from the client when it sends one), returns it in
/// `x-request-id`, and logs one line per request when it is answered.
pub fn layer(router: Router) -> Router {
    router.layer(AccessLogLayer::new())
}
