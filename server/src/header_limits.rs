//! Request headers bounded as nginx's defaults bound them (`large_client_header_buffers
//! 4 8k`): at most 8 KB for any one header line and 32 KB for the request line and all
//! headers together; over either, `431 Request Header Fields Too Large`.
//!
//! The whole head is hyper's to bound, as it reads it ([`crate::connections`]): once
//! more than [`HEAD_MAX_BYTES`] of a head has arrived it answers 431 itself (with no
//! body: no route has seen the request) and closes the connection. A single long line
//! fits in that much, so the layer here measures each line once the head is parsed,
//! for every route alike, and answers in the server's usual style.

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::api_error::error_response;

/// The largest request head: the request line and every header line.
pub const HEAD_MAX_BYTES: usize = 32 * 1024;
/// The largest header line: its name, `: ` and its value.
pub const LINE_MAX_BYTES: usize = 8 * 1024;

/// `router` answering 431 to a request with a header line over [`LINE_MAX_BYTES`].
pub fn layer(router: Router) -> Router {
    router.layer(middleware::from_fn(refuse_long_lines))
}

async fn refuse_long_lines(request: Request, next: Next) -> Response {
    let too_long = request
        .headers()
        .iter()
        .any(|(name, value)| line_len(name, value) > LINE_MAX_BYTES);
    if !too_long {
        return next.run(request).await;
    }
    let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
    if request.uri().path().starts_with("/api") {
        error_response(
            status,
            "Request header fields too large: a header line is over 8 KB",
        )
    } else {
        (status, "A request header line is over 8 KB.\n").into_response()
    }
}

/// The length of `name: value` as sent, without its line end.
fn line_len(name: &HeaderName, value: &HeaderValue) -> usize {
    name.as_str().len() + 2 + value.len()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    fn app() -> Router {
        layer(
            Router::new()
                .route("/", get(|| async { "page" }))
                .route("/api/x", get(|| async { "api" })),
        )
    }

    async fn status_with(path: &str, value_len: usize) -> (StatusCode, String) {
        let request = Request::builder()
            .uri(path)
            .header("x-long", "v".repeat(value_len))
            .body(Body::empty())
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_line_of_8_kb_passes_and_one_byte_more_does_not() {
        // "x-long: " is 8 bytes.
        let at_limit = LINE_MAX_BYTES - 8;
        assert_eq!(status_with("/", at_limit).await.0, StatusCode::OK);
        let (status, body) = status_with("/", at_limit + 1).await;
        assert_eq!(status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
        assert_eq!(body, "A request header line is over 8 KB.\n");
    }

    #[tokio::test]
    async fn the_api_answers_in_its_envelope() {
        let (status, body) = status_with("/api/x", LINE_MAX_BYTES).await;
        assert_eq!(status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
        assert!(body.contains(r#""code":431"#), "{body}");
        assert!(body.contains("Request header fields too large: "), "{body}");
    }
}
