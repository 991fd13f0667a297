//! Why a result was not relayed, as one error type: each reason has its status and its
//! message in the contract's envelope, so the handler and the fetcher use `?`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api_error::error_response;

#[derive(Debug, thiserror::Error)]
pub enum ResultError {
    #[error(
        "Forbidden: no result hosts are configured: this server fetches result images only \
         from the hosts its operator lists with --result-host"
    )]
    NoHosts,
    #[error(
        "Forbidden: this server fetches result images only for its own page and the origins \
         its operator allowed (--allow-origin)"
    )]
    ForeignPage,
    #[error("Invalid parameters: parameter 'url' is required, once")]
    MissingUrl,
    #[error(
        "Invalid parameters: parameter 'url' must be an absolute https URL of at most {0} bytes"
    )]
    NotAUrl(usize),
    #[error("Forbidden: result images are fetched over https only")]
    NotHttps,
    #[error("Forbidden: a result URL may not carry a user name or password")]
    Credentials,
    #[error(
        "Forbidden: that host (or port) is not one of the result hosts this server fetches \
         from (--result-host)"
    )]
    HostNotListed,
    #[error("Service unavailable: too many result images are being fetched; try again shortly")]
    Busy,
    #[error("Bad gateway: the result host could not be reached")]
    Unreachable,
    #[error("Gateway timeout: the result host did not answer in time")]
    TimedOut,
    #[error(
        "Not found: the result host answered {0}; result links expire 24 hours after their \
         task ends"
    )]
    Gone(StatusCode),
    #[error("Bad gateway: the result host answered {0}")]
    UpstreamStatus(StatusCode),
    #[error("Bad gateway: the result host sent {0:?}, not a JPEG, PNG or WebP image")]
    NotAnImage(String),
    #[error("Bad gateway: the result host sent an encoded body (Content-Encoding)")]
    Encoded,
    #[error("Bad gateway: the result is larger than {0} bytes, the most this server relays")]
    TooLarge(u64),
    #[error("Bad gateway: the result host redirected to a URL this server does not fetch from")]
    BadRedirect,
    #[error("Bad gateway: the result host redirected more than {0} times")]
    TooManyRedirects(usize),
}

impl ResultError {
    fn status(&self) -> StatusCode {
        use ResultError::*;
        match self {
            NoHosts | ForeignPage | NotHttps | Credentials | HostNotListed => StatusCode::FORBIDDEN,
            MissingUrl | NotAUrl(_) => StatusCode::BAD_REQUEST,
            Busy => StatusCode::SERVICE_UNAVAILABLE,
            TimedOut => StatusCode::GATEWAY_TIMEOUT,
            Gone(_) => StatusCode::NOT_FOUND,
            Unreachable | UpstreamStatus(_) | NotAnImage(_) | Encoded | TooLarge(_)
            | BadRedirect | TooManyRedirects(_) => StatusCode::BAD_GATEWAY,
        }
    }
}

impl IntoResponse for ResultError {
    fn into_response(self) -> Response {
        let mut response = error_response(self.status(), &self.to_string());
        let headers = response.headers_mut();
        // A refusal or a passing failure must not stand in for the image later.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if matches!(self, ResultError::Busy) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// What an upstream's `Content-Type` is shown as in an error: printable ASCII, short.
pub fn shown_type(value: &[u8]) -> String {
    let text: String = value
        .iter()
        .take(80)
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '?'
            }
        })
        .collect();
    if text.is_empty() {
        "no type".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_an_envelope_that_is_never_stored() {
        let all = [
            ResultError::NoHosts,
            ResultError::ForeignPage,
            ResultError::MissingUrl,
            ResultError::NotAUrl(8192),
            ResultError::NotHttps,
            ResultError::Credentials,
            ResultError::HostNotListed,
            ResultError::Busy,
            ResultError::Unreachable,
            ResultError::TimedOut,
            ResultError::Gone(StatusCode::FORBIDDEN),
            ResultError::UpstreamStatus(StatusCode::INTERNAL_SERVER_ERROR),
            ResultError::NotAnImage("text/html".into()),
            ResultError::Encoded,
            ResultError::TooLarge(48_000_000),
            ResultError::BadRedirect,
            ResultError::TooManyRedirects(3),
        ];
        for error in all {
            let message = error.to_string();
            let (category, detail) = message.split_once(": ").unwrap();
            assert!(category.chars().all(|c| c.is_alphabetic() || c == ' '));
            assert!(!detail.is_empty());
            let status = error.status();
            let response = error.into_response();
            assert_eq!(response.status(), status);
            let headers = response.headers();
            assert_eq!(headers[header::CONTENT_TYPE], "application/json");
            assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        }
    }

    #[test]
    fn upstream_types_are_shown_safely() {
        assert_eq!(
            shown_type(b"text/html; charset=utf-8"),
            "text/html; charset=utf-8"
        );
        assert_eq!(shown_type(b""), "no type");
        assert_eq!(shown_type(b"a\"b\n\xff"), "a\"b??");
        assert_eq!(shown_type(&[b'x'; 500]).len(), 80);
    }
}
