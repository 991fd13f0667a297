//! An error answer, classified for the app and writable by the server.
//!
//! The kind comes from the HTTP status, or from the envelope's `code` when a
//! broken peer answers HTTP 200 with an error inside. The message keeps the
//! contract's `"<Category>: <detail>"` form so the app can show the detail
//! and, where useful, the category as a heading.

use crate::response::ErrorEnvelope;
use crate::text::truncate_chars;

/// The longest message kept from the network (characters).
pub const MAX_ERROR_MESSAGE_CHARS: usize = 500;

/// What kind of failure an answer is. Serialised by name (`"rate_limited"`): a task
/// history keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 400: a missing or invalid parameter, or invalid JSON. Fix the input.
    InvalidParameters,
    /// 401: the API key is missing, invalid or expired.
    Unauthorized,
    /// 402: the account's balance is too low.
    InsufficientBalance,
    /// 404: unknown task, model or provider.
    NotFound,
    /// 429: rate or concurrency limit.
    RateLimited,
    /// 500: the service failed.
    Internal,
    /// 503: temporarily unavailable.
    Unavailable,
    /// Any other non-success status.
    OtherStatus,
    /// A success status whose body is not the documented JSON.
    MalformedAnswer,
}

impl ErrorKind {
    /// The kind for an HTTP status or envelope code.
    pub fn from_code(code: i64) -> ErrorKind {
        match code {
            400 => Self::InvalidParameters,
            401 => Self::Unauthorized,
            402 => Self::InsufficientBalance,
            404 => Self::NotFound,
            429 => Self::RateLimited,
            500 => Self::Internal,
            503 => Self::Unavailable,
            _ => Self::OtherStatus,
        }
    }

    /// The HTTP status this kind stands for, if it has one.
    pub fn status_code(self) -> Option<u16> {
        match self {
            Self::InvalidParameters => Some(400),
            Self::Unauthorized => Some(401),
            Self::InsufficientBalance => Some(402),
            Self::NotFound => Some(404),
            Self::RateLimited => Some(429),
            Self::Internal => Some(500),
            Self::Unavailable => Some(503),
            Self::OtherStatus | Self::MalformedAnswer => None,
        }
    }

    /// A `"<Category>: <detail>"` message for when the answer carries none.
    pub fn default_message(self) -> &'static str {
        match self {
            Self::InvalidParameters => "Invalid parameters: the service refused the request.",
            Self::Unauthorized => {
                "Authentication failed: the API key is missing, invalid or expired."
            }
            Self::InsufficientBalance => {
                "Insufficient balance: top up the account to run more edits."
            }
            Self::NotFound => "Not found: the task, model or provider does not exist.",
            Self::RateLimited => "Rate limited: too many requests or tasks at once.",
            Self::Internal => "Internal error: the service failed.",
            Self::Unavailable => "Service unavailable: the service is temporarily unavailable.",
            Self::OtherStatus => "Unexpected answer: the service answered with an error.",
            Self::MalformedAnswer => "Malformed answer: the service's answer could not be read.",
        }
    }
}

/// An error answer (or an unreadable success answer).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{message}")]
pub struct ApiError {
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The classification.
    pub kind: ErrorKind,
    /// The message, usually `"<Category>: <detail>"`.
    pub message: String,
}

impl ApiError {
    /// An error from its parts; the message is shortened if very long.
    pub fn new(status: Option<u16>, kind: ErrorKind, message: &str) -> ApiError {
        ApiError {
            status,
            kind,
            message: truncate_chars(message, MAX_ERROR_MESSAGE_CHARS),
        }
    }

    /// An unreadable answer under a success status.
    pub fn malformed(status: Option<u16>, detail: &str) -> ApiError {
        ApiError::new(
            status,
            ErrorKind::MalformedAnswer,
            &format!("Malformed answer: {detail}"),
        )
    }

    /// An error from a non-success HTTP status and its body: the body's
    /// `message` when it is the documented JSON, else a default for the status.
    /// An HTML page or other text is not shown (it is rarely meant for users).
    pub fn from_http(status: u16, body: &[u8]) -> ApiError {
        let kind = ErrorKind::from_code(i64::from(status));
        match envelope_message(body) {
            Some(message) => ApiError::new(Some(status), kind, &message),
            None if kind == ErrorKind::OtherStatus => ApiError::new(
                Some(status),
                kind,
                &format!("Unexpected answer: the service answered with HTTP {status}."),
            ),
            None => ApiError::new(Some(status), kind, kind.default_message()),
        }
    }

    /// The category of `"<Category>: <detail>"`, when the message has that form.
    pub fn category(&self) -> Option<&str> {
        split_category(&self.message).map(|(category, _)| category)
    }

    /// The detail of `"<Category>: <detail>"`, or the whole message.
    pub fn detail(&self) -> &str {
        split_category(&self.message).map_or(self.message.as_str(), |(_, detail)| detail)
    }

    /// True when a submit's outcome is unknown: the service answered with
    /// success but unreadably, so a task may exist and be charged. The user must
    /// be told rather than the submit repeated.
    pub fn submit_outcome_unknown(&self) -> bool {
        self.kind == ErrorKind::MalformedAnswer
    }

    /// The error body the server writes: `{"code":<status>,"message":"<message>"}`.
    pub fn error_envelope_body(status: u16, message: &str) -> String {
        let envelope = ErrorEnvelope {
            code: status,
            message: message.to_owned(),
        };
        serde_json::to_string(&envelope)
            .unwrap_or_else(|_| format!("{{\"code\":{status},\"message\":\"Internal error\"}}"))
    }
}

/// The `message` of a JSON error body, if it has a non-empty one.
fn envelope_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let message = value.get("message")?.as_str()?.trim();
    (!message.is_empty()).then(|| message.to_owned())
}

/// Splits `"<Category>: <detail>"` when the part before `": "` looks like a
/// category: 1 to 40 characters of letters, spaces and hyphens.
fn split_category(message: &str) -> Option<(&str, &str)> {
    let (category, detail) = message.split_once(": ")?;
    let plausible = !category.is_empty()
        && category.chars().count() <= 40
        && category
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    plausible.then_some((category, detail))
}
