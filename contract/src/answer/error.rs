//! An error answer, classified for the app and writable by the server.
//!
//! The contract says an error's envelope repeats its HTTP status as its `code`, but a
//! provider may not: it may answer HTTP 200 with `{"code": 400, ...}` inside, or put
//! a code of its own there. So an error keeps both, and what it means is read from
//! the envelope's own code first and the HTTP status after ([`ApiError::code`]); the
//! kind is the first of the two that names one. The message keeps the contract's
//! `"<Category>: <detail>"` form so the app can show the detail and, where useful,
//! the category as a heading.

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
    /// 403: not allowed (a proxy refusing a page's origin, a key without access).
    Forbidden,
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
            403 => Self::Forbidden,
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
            Self::Forbidden => Some(403),
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
            Self::Forbidden => "Forbidden: the service does not allow this request from here.",
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
    /// The envelope's own `code`, when the answer carried one (see the module docs).
    /// Kept as given, even a code no kind names; histories written before it existed
    /// read as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The classification.
    pub kind: ErrorKind,
    /// The message, usually `"<Category>: <detail>"`.
    pub message: String,
    /// How long the answer asked to wait before trying again, in seconds from when
    /// it came (a 429's `X-RateLimit-Reset` or `Retry-After`, read by
    /// [`crate::parse_rate_limit_reset`]); `None` when it gave no time. Kept with the
    /// error so whoever may retry (see [`ApiError::retry`]) knows when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_secs: Option<u64>,
}

impl ApiError {
    /// An error from its parts; the message is shortened if very long.
    pub fn new(status: Option<u16>, kind: ErrorKind, message: &str) -> ApiError {
        ApiError {
            status,
            code: None,
            kind,
            message: truncate_chars(message, MAX_ERROR_MESSAGE_CHARS),
            wait_secs: None,
        }
    }

    /// An error an envelope reported with its own `code`: the kind is the code's when
    /// it names one, else the HTTP status's.
    pub fn from_envelope(status: Option<u16>, code: i64, message: &str) -> ApiError {
        let kind = Some(ErrorKind::from_code(code))
            .filter(|kind| *kind != ErrorKind::OtherStatus)
            .or_else(|| status.map(|status| ErrorKind::from_code(i64::from(status))))
            .unwrap_or(ErrorKind::OtherStatus);
        ApiError {
            code: Some(code),
            ..ApiError::new(status, kind, message)
        }
    }

    /// What the error says it is, as a number: the envelope's own code when it gave
    /// an error code, else the HTTP status. The one reading every decision about
    /// an error starts from (a refusal's advice, whether the same request may be
    /// sent again).
    pub fn code(&self) -> Option<i64> {
        self.code
            .filter(|code| *code != 0)
            .or(self.status.map(i64::from))
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
        let (code, message) = read_envelope(body);
        match (code.filter(|code| *code != 0), message) {
            (Some(code), Some(message)) => ApiError::from_envelope(Some(status), code, &message),
            (Some(code), None) => {
                let kind = ApiError::from_envelope(Some(status), code, "").kind;
                ApiError::from_envelope(Some(status), code, kind.default_message())
            }
            (None, Some(message)) => ApiError::new(Some(status), kind, &message),
            (None, None) if kind == ErrorKind::OtherStatus => ApiError::new(
                Some(status),
                kind,
                &format!("Unexpected answer: the service answered with HTTP {status}."),
            ),
            (None, None) => ApiError::new(Some(status), kind, kind.default_message()),
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

/// The `code` and the non-empty `message` of a JSON error body, where it has them.
fn read_envelope(body: &[u8]) -> (Option<i64>, Option<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let code = value.get("code").and_then(serde_json::Value::as_i64);
    let message = value
        .get("message")
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|message| !message.is_empty())
        .map(str::to_owned);
    (code, message)
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
