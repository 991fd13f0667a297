//! Error answers in the contract's envelope: `{"code": <status>, "message": "<Category>: <detail>"}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use seedream_contract::{ApiError, ErrorKind};

/// An error answer with `status` and a message already in `"<Category>: <detail>"` form.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    let body = ApiError::error_envelope_body(status.as_u16(), message);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An error answer for a status with the contract's default message for it.
pub fn status_response(status: StatusCode) -> Response {
    let kind = ErrorKind::from_code(i64::from(status.as_u16()));
    let message = match kind {
        ErrorKind::OtherStatus => format!(
            "Error: {}",
            status.canonical_reason().unwrap_or("the request failed")
        ),
        _ => kind.default_message().to_owned(),
    };
    error_response(status, &message)
}

/// The answer for any `/api` path the contract does not define.
pub async fn api_not_found() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "Not found: no such API route (the contract defines only the edit submit and the task query)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_answers_in_the_envelope() {
        for code in [400, 401, 402, 404, 413, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(code).unwrap();
            let response = status_response(status);
            assert_eq!(response.status(), status);
            assert_eq!(
                response.headers().get(header::CONTENT_TYPE).unwrap(),
                "application/json"
            );
        }
    }
}
