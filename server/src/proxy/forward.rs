//! Forwarding one request upstream and its answer back, streaming both ways.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::Response;
use seedream_contract::{MAX_SUBMIT_BODY_BYTES, SUBMIT_PATH, is_valid_task_id, task_path};

use super::Proxy;
use crate::api_error::error_response;

/// Upstream answer headers the client may see; everything else stays here.
const PASSED_BACK: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    HeaderName::from_static("x-ratelimit-reset"),
    header::RETRY_AFTER,
];

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
    let upstream = proxy
        .client
        .post(format!("{}{SUBMIT_PATH}", proxy.upstream))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, length)
        .body(reqwest::Body::wrap_stream(body.into_data_stream()));
    send(&proxy, upstream, proxy.submit_timeout).await
}

/// `GET` a task: only well-formed ids, so the path can never be steered elsewhere.
pub async fn task(State(proxy): State<Arc<Proxy>>, Path(task_id): Path<String>) -> Response {
    if !is_valid_task_id(&task_id) {
        return error_response(StatusCode::NOT_FOUND, "Not found: no such task");
    }
    let upstream = proxy
        .client
        .get(format!("{}{}", proxy.upstream, task_path(&task_id)));
    send(&proxy, upstream, proxy.read_timeout).await
}

async fn send(proxy: &Proxy, request: reqwest::RequestBuilder, timeout: Duration) -> Response {
    let result = request
        .header(header::AUTHORIZATION, proxy.authorization.clone())
        .header(header::ACCEPT, "application/json")
        .timeout(timeout)
        .send()
        .await;
    match result {
        Ok(answer) => relay(answer),
        Err(err) => {
            // reqwest's message names the URL (no key: that travels in a header).
            tracing::warn!(error = %err, "upstream request failed");
            if err.is_timeout() {
                error_response(
                    StatusCode::GATEWAY_TIMEOUT,
                    "Gateway timeout: the API did not answer in time",
                )
            } else {
                error_response(
                    StatusCode::BAD_GATEWAY,
                    "Bad gateway: the API could not be reached",
                )
            }
        }
    }
}

/// The upstream's status, its allowed headers and its body, streamed.
fn relay(answer: reqwest::Response) -> Response {
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = HeaderMap::new();
    for name in PASSED_BACK {
        if let Some(value) = answer.headers().get(&name) {
            headers.insert(name, value.clone());
        }
    }
    let mut response = Response::new(Body::from_stream(answer.bytes_stream()));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}
