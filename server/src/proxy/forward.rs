//! Forwarding one request upstream and its answer back, streaming both ways.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Uri, header};
use axum::response::Response;
use seedream_contract::{MAX_SUBMIT_BODY_BYTES, SUBMIT_PATH, is_valid_task_id, task_path};
use tower_http::timeout::TimeoutError;

use super::Proxy;
use crate::api_error::error_response;

/// Upstream answer headers the client may see; everything else stays here.
const PASSED_BACK: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    HeaderName::from_static("x-ratelimit-reset"),
    header::RETRY_AFTER,
];

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// `POST` the edit: refused with 413 before anything is sent when the declared length
/// is over the contract's limit, and with 411 when no length is declared (a chunked
/// body could only be found too large after part of it had gone upstream).
pub async fn submit(State(proxy): State<Arc<Proxy>>, headers: HeaderMap, body: Body) -> Response {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let Some(length) = length else {
        return error_response(
            StatusCode::LENGTH_REQUIRED,
            "Invalid format: the request must declare its Content-Length",
        );
    };
    if length > MAX_SUBMIT_BODY_BYTES as u64 {
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("Request too large: the body may be at most {MAX_SUBMIT_BODY_BYTES} bytes"),
        );
    }
    let mut request = proxy.request(Method::POST, SUBMIT_PATH, body);
    let headers = request.headers_mut();
    headers.insert(header::CONTENT_TYPE, JSON);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    send(&proxy, request, proxy.submit_timeout).await
}

/// `GET` a task: only well-formed ids, so the path can never be steered elsewhere.
pub async fn task(State(proxy): State<Arc<Proxy>>, Path(task_id): Path<String>) -> Response {
    if !is_valid_task_id(&task_id) {
        return error_response(StatusCode::NOT_FOUND, "Not found: no such task");
    }
    let request = proxy.request(Method::GET, &task_path(&task_id), Body::empty());
    send(&proxy, request, proxy.read_timeout).await
}

impl Proxy {
    /// A request for the upstream's `path`, carrying the key.
    fn request(&self, method: Method, path: &str, body: Body) -> Request<Body> {
        let mut request = Request::new(body);
        *request.method_mut() = method;
        // The path is the contract's, or holds a checked task id, so it always builds;
        // were it not to, the empty URI would fail upstream as a 502.
        *request.uri_mut() = Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(path)
            .build()
            .unwrap_or_default();
        let headers = request.headers_mut();
        headers.insert(header::AUTHORIZATION, self.authorization.clone());
        headers.insert(header::ACCEPT, JSON);
        request
    }
}

/// Sends `request` and relays the answer; 504 when no answer starts within `timeout`,
/// 408 when the client's upload stalled, 502 when the upstream cannot be reached.
async fn send(proxy: &Proxy, request: Request<Body>, timeout: Duration) -> Response {
    let answer = match tokio::time::timeout(timeout, proxy.client.request(request)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(err)) if upload_stalled(&err) => {
            return error_response(
                StatusCode::REQUEST_TIMEOUT,
                "Request timeout: the upload stopped sending",
            );
        }
        Ok(Err(err)) => {
            // The error names the upstream host at most: the key travels in a header.
            tracing::warn!(error = %err, source = ?err.source(), "upstream request failed");
            return error_response(
                StatusCode::BAD_GATEWAY,
                "Bad gateway: the API could not be reached",
            );
        }
        Err(_) => {
            tracing::warn!(?timeout, "upstream did not answer in time");
            return error_response(
                StatusCode::GATEWAY_TIMEOUT,
                "Gateway timeout: the API did not answer in time",
            );
        }
    };
    let (parts, body) = answer.into_parts();
    let mut response = Response::new(Body::new(body));
    *response.status_mut() = parts.status;
    let headers = response.headers_mut();
    for name in PASSED_BACK {
        if let Some(value) = parts.headers.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    response
}

/// Whether `err` comes from the body-read timeout on the client's upload.
fn upload_stalled(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(err) = cause {
        if err.is::<TimeoutError>() {
            return true;
        }
        cause = err.source();
    }
    false
}
