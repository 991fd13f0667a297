//! What stands in front of the mock's API routes, in the provider's order: the key
//! (401), the rate limit (429), then any injected fault.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use seedream_contract::{ApiError, ErrorKind};

use super::faults::{Fault, Route};
use super::{MockState, SharedMock};
use crate::api_error::{error_response, status_response};

/// Set on a submit that an injected `fail=` fault will make fail.
#[derive(Clone, Debug)]
pub struct ForcedFailure(pub String);

pub async fn guard(State(mock): State<SharedMock>, mut request: Request, next: Next) -> Response {
    let route = if request.method() == Method::POST {
        Route::Submit
    } else {
        Route::Task
    };

    if let Some(refused) = key_refusal(&mock, request.headers()) {
        return refused;
    }

    let bearer = bearer(request.headers());
    let client = match (
        bearer,
        request.extensions().get::<ConnectInfo<SocketAddr>>(),
    ) {
        (Some(key), _) => format!("key:{key}"),
        (None, Some(ConnectInfo(addr))) => format!("ip:{}", addr.ip()),
        (None, None) => "unknown".to_owned(),
    };
    let settings = mock.settings();
    if let Err(reset) = mock
        .rate
        .check(&client, settings.rate_limit, settings.rate_window)
    {
        return rate_limited("Rate limit exceeded: too many requests, slow down", reset);
    }

    match mock.faults.take(route) {
        None => {}
        Some(Fault::Status(429)) => {
            return rate_limited("Rate limit exceeded: injected", Duration::from_secs(1));
        }
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return status_response(status);
        }
        Some(Fault::InEnvelope(code)) => return error_in_success(code),
        Some(Fault::Malformed) => return malformed(),
        Some(Fault::Drop) => return dropped_connection(),
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::FailTask(reason)) => {
            request.extensions_mut().insert(ForcedFailure(reason));
        }
    }
    next.run(request).await
}

/// The provider's 401 when the mock requires a key and `headers` do not carry it as
/// `Authorization: Bearer <key>`; None when the request may go on.
pub fn key_refusal(mock: &MockState, headers: &HeaderMap) -> Option<Response> {
    let required = mock.required_key.as_deref()?;
    let detail = match bearer(headers) {
        Some(key) if key == required => return None,
        Some(_) => "invalid API key",
        None => "missing API key",
    };
    Some(error_response(
        StatusCode::UNAUTHORIZED,
        &format!("Authentication failed: {detail}"),
    ))
}

/// The key of `Authorization: Bearer <key>`, if present.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// 429 with the reset time both as the provider's `X-RateLimit-Reset` (Unix seconds)
/// and as the standard `Retry-After` (seconds to wait).
pub fn rate_limited(message: &str, wait: Duration) -> Response {
    let mut response = error_response(StatusCode::TOO_MANY_REQUESTS, message);
    let wait_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-reset", HeaderValue::from(now + wait_secs));
    headers.insert(header::RETRY_AFTER, HeaderValue::from(wait_secs));
    response
}

/// HTTP 200 around an error envelope with `code` and its kind's message.
fn error_in_success(code: u16) -> Response {
    let message = ErrorKind::from_code(i64::from(code)).default_message();
    (
        [(header::CONTENT_TYPE, "application/json")],
        ApiError::error_envelope_body(code, message),
    )
        .into_response()
}

/// A success status whose JSON is cut off in the middle.
fn malformed() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"code":0,"message":"success","data":{"status":"#,
    )
        .into_response()
}

/// A response whose body fails before any byte is written: hyper then closes the
/// connection, and the client sees it drop without an answer.
fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by the mock"))
    });
    Response::new(Body::from_stream(failing))
}

/// Requests per client in fixed windows.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts a request; `Err(wait)` when `client` is over `limit` in this window.
    /// A limit of 0 means no limit.
    pub fn check(&self, client: &str, limit: u32, window: Duration) -> Result<(), Duration> {
        if limit == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        let (start, count) = windows.entry(client.to_owned()).or_insert((now, 0));
        if *count >= limit {
            return Err(window.saturating_sub(now.duration_since(*start)));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_counts_per_client_and_window() {
        let limiter = RateLimiter::default();
        let window = Duration::from_secs(60);
        assert!(limiter.check("a", 2, window).is_ok());
        assert!(limiter.check("a", 2, window).is_ok());
        let wait = limiter.check("a", 2, window).unwrap_err();
        assert!(wait <= window && wait > Duration::from_secs(58));
        assert!(
            limiter.check("b", 2, window).is_ok(),
            "clients are counted apart"
        );
        assert!(limiter.check("a", 0, window).is_ok(), "0 means no limit");
    }

    #[test]
    fn reads_only_bearer_keys() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer k-123"),
        );
        assert_eq!(bearer(&headers), Some("k-123"));
    }
}
