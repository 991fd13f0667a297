//! The only code that touches `fetch`: one request in, one [`HttpAnswer`] or a
//! [`Failure`] out.
//!
//! Kept small and free of decisions, so everything about what an answer means
//! lives in the pure `answer` module. Nothing here logs: requests carry the key.

use std::pin::pin;
use std::time::Duration;

use futures::future::{Either, select};
use gloo_net::http::{Request, RequestBuilder};
use gloo_timers::future::sleep;
use web_sys::{AbortController, Blob};

use super::answer::HttpAnswer;

/// Why no answer came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request could not be built (the browser refused the URL or a header).
    Build,
    /// The fetch failed before any answer: network down, connection refused, or a
    /// cross-origin call the browser blocked. The browser tells these apart only
    /// in its console, never to the page.
    NoAnswer,
    /// An answer began with this status, but its body was cut off.
    CutOff(u16),
    /// No complete answer within the time allowed.
    TimedOut(Duration),
}

/// The request to make.
pub(crate) struct Call<'a> {
    /// Absolute, or a same-origin path.
    pub url: &'a str,
    /// `Bearer <key>`, if any.
    pub authorization: Option<String>,
    /// A JSON body makes it a POST; none, a GET. A `Blob`, so the browser sends it
    /// from its own store with its length known.
    pub json_body: Option<&'a Blob>,
    /// Covers sending, waiting and reading the body.
    pub timeout: Duration,
}

/// Aborts the fetch when dropped unless disarmed: a timed-out or cancelled call
/// (its future dropped) must not keep a connection open.
struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

/// Makes the call. Headers are only those the caller validated (the key is
/// checked to be visible ASCII by `ApiConfig::validate`), so setting them cannot throw.
pub(crate) async fn exchange(call: Call<'_>) -> Result<HttpAnswer, Failure> {
    // Without a controller (never seen in practice) the timeout still returns; the
    // connection is merely left to the browser.
    let controller = AbortController::new().ok();
    let mut guard = AbortOnDrop(controller.clone());
    let signal = controller.as_ref().map(AbortController::signal);

    let builder: RequestBuilder = match call.json_body {
        Some(_) => Request::post(call.url),
        None => Request::get(call.url),
    };
    let mut builder = builder
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    if let Some(value) = call.authorization.as_deref() {
        builder = builder.header("Authorization", value);
    }
    let request = match call.json_body {
        // Set explicitly: a Blob's own type is not always sent as the header.
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body.clone()),
        None => builder.build(),
    }
    // The browser's reason is not shown: it is a developer's detail, in English.
    .map_err(|_| Failure::Build)?;

    let exchange = async move {
        let response = request.send().await.map_err(|_| Failure::NoAnswer)?;
        let status = response.status();
        let headers = response.headers();
        let rate_limit_reset = headers.get("x-ratelimit-reset");
        let retry_after = headers.get("retry-after");
        let body = response
            .binary()
            .await
            .map_err(|_| Failure::CutOff(status))?;
        Ok(HttpAnswer {
            status,
            rate_limit_reset,
            retry_after,
            body,
        })
    };
    // `select` polls the exchange first: an answer that is ready is never lost to a
    // timeout that fired in the same turn.
    match select(pin!(exchange), pin!(sleep(call.timeout))).await {
        Either::Left((result, _)) => {
            guard.disarm();
            result
        }
        // The guard aborts the fetch as it drops here.
        Either::Right(((), _)) => Err(Failure::TimedOut(call.timeout)),
    }
}
