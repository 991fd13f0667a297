//! Every request's id and its one log line, as a tower layer.
//!
//! Written out rather than composed from `middleware::from_fn` and tower-http's two
//! request-id layers: those box a future and clone the inner service per request and
//! copy the id between three places, a tenth of the proxy's own time per task query.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::http::{HeaderName, HeaderValue, Method, Request, Response};
use tower::{Layer, Service};
use tracing::Instrument;
use tracing::instrument::Instrumented;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Requests counted by every server in this process.
static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// Gives every request an id (kept from the client when it sends one), returns it in
/// `x-request-id`, and logs one line when the request is answered.
#[derive(Clone)]
pub struct AccessLogLayer {
    /// Ids are this random prefix and a count: unique to the process without a
    /// `getrandom` system call per request. They need to be unique, not secret.
    prefix: u64,
}

impl AccessLogLayer {
    pub fn new() -> AccessLogLayer {
        AccessLogLayer {
            prefix: rand::random(),
        }
    }

    fn next_id(&self) -> HeaderValue {
        let n = REQUESTS.fetch_add(1, Ordering::Relaxed);
        let id = format!("{:016x}{n:016x}", self.prefix);
        // Hex digits only, so always a valid header value.
        HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"))
    }
}

impl<S> Layer<S> for AccessLogLayer {
    type Service = AccessLog<S>;

    fn layer(&self, inner: S) -> AccessLog<S> {
        AccessLog {
            inner,
            ids: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct AccessLog<S> {
    inner: S,
    ids: AccessLogLayer,
}

impl<S, B, R> Service<Request<B>> for AccessLog<S>
where
    S: Service<Request<B>, Response = Response<R>>,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = Answered<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let id = match request.headers().get(&REQUEST_ID) {
            Some(id) => id.clone(),
            None => {
                let id = self.ids.next_id();
                request.headers_mut().insert(REQUEST_ID, id.clone());
                id
            }
        };
        let line = Line {
            start: Instant::now(),
            method: request.method().clone(),
            // The path only: a query string could carry anything.
            path: request.uri().path().to_owned(),
            id,
        };
        // At `debug`, so at the deployed level it costs nothing; a span per request
        // (created, recorded and printed on every line inside it) was a fifth of the
        // proxy's time per task query.
        let span = tracing::debug_span!(
            "request",
            id = %line.id_text(),
            method = %line.method,
            path = %line.path,
        );
        Answered {
            inner: self.inner.call(request).instrument(span),
            line: Some(line),
        }
    }
}

/// What the request's line says, kept until it is answered.
struct Line {
    start: Instant,
    method: Method,
    path: String,
    id: HeaderValue,
}

impl Line {
    fn id_text(&self) -> &str {
        self.id.to_str().unwrap_or("-")
    }

    /// At `info`, or `warn` for a server error.
    fn write(&self, status: axum::http::StatusCode) {
        let (id, method, path) = (self.id_text(), &self.method, &self.path);
        let latency_us = self.start.elapsed().as_micros() as u64;
        let status_code = status.as_u16();
        if status.is_server_error() {
            tracing::warn!(%id, %method, %path, status = status_code, latency_us, "answered");
        } else {
            tracing::info!(%id, %method, %path, status = status_code, latency_us, "answered");
        }
    }
}

pin_project_lite::pin_project! {
    /// The inner service's answer, logged and given the request's id on the way out.
    pub struct Answered<F> {
        #[pin]
        inner: Instrumented<F>,
        line: Option<Line>,
    }
}

impl<F, R, E> Future for Answered<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = Result<Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut answer = std::task::ready!(this.inner.poll(cx));
        if let (Ok(response), Some(line)) = (&mut answer, this.line.take()) {
            line.write(response.status());
            response.headers_mut().insert(REQUEST_ID, line.id);
        }
        Poll::Ready(answer)
    }
}
