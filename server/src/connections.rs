//! Accepting connections from the open internet: hyper's HTTP/1 with a timer, a bound
//! on each request's head, a cap on open connections, and graceful shutdown.
//!
//! `axum::serve` sets no timer, so a client that sends half its headers and waits
//! would hold its connection (and a file descriptor) forever; a few hundred such
//! clients lock everyone out. Here hyper closes a connection whose headers do not
//! arrive within the header timeout, which also closes keep-alive connections left
//! idle that long, and the accept loop stops accepting while the cap is reached, so
//! the server never runs out of descriptors: a waiting client is accepted as soon as
//! a slow one is timed out. Only HTTP/1 is served: browsers speak HTTP/2 over TLS
//! only, which a terminator in front of this server handles, and hyper has no
//! header timeout for HTTP/2.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::header_limits::HEAD_MAX_BYTES;

/// How connections are bounded.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Longest wait for a request's headers, and for the next request on an idle
    /// keep-alive connection.
    pub header_timeout: Duration,
    /// Connections open at once; further clients wait in the listen queue.
    pub max_connections: usize,
}

/// The most a connection's read buffer holds (hyper's default is ~400 KB). Twice the
/// head's limit: hyper checks the limit between reads that double in size, so a head
/// sent all at once is refused with up to ~56 KB read. Bodies are read in pieces of at
/// most this size; pieces of 32 KB made a 190 MB upload through the proxy ~8% slower.
const READ_BUFFER_MAX_BYTES: usize = 2 * HEAD_MAX_BYTES;

/// The connection cap is logged at most this often while it holds.
const CAP_LOG_INTERVAL: Duration = Duration::from_secs(10);
/// After an accept error (out of descriptors, say), wait this long before the next:
/// retrying at once would spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then waits
/// for the requests in flight to finish.
pub async fn serve(
    app: Router,
    listener: TcpListener,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // A head over the limit is answered 431 and the connection closed, as soon as
        // that much has arrived.
        .max_header_size(HEAD_MAX_BYTES)
        .max_buf_size(READ_BUFFER_MAX_BYTES);
    let mut shutdown = pin!(shutdown);
    let mut cap_logged: Option<Instant> = None;
    loop {
        let permit = match Arc::clone(&open).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if cap_logged.is_none_or(|at| at.elapsed() >= CAP_LOG_INTERVAL) {
                    tracing::warn!(
                        max_connections = limits.max_connections,
                        "connection limit reached: new clients wait until a connection closes \
                         (raise it with --max-connections)"
                    );
                    cap_logged = Some(Instant::now());
                }
                tokio::select! {
                    permit = Arc::clone(&open).acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break, // The semaphore is never closed.
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(%err, "accept error");
                    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once instead of waiting for Nagle's timer.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // Timeouts and clients hanging up end connections with errors that say
            // nothing about the server.
            if let Err(err) = connection.await {
                tracing::debug!(%err, %peer, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
