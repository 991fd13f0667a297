//! What can go wrong with each call, shaped by what the user can do about it.
//!
//! A submit is paid, so its errors separate "the API said no" (fix and resend)
//! from "we do not know whether it went through" (look before resending). A read
//! is free, so its errors carry what the retry schedule needs. Every variant
//! displays as a sentence meant for the user; none ever holds the key.

use std::fmt;

use seedream_contract::{ApiError, ErrorKind, Operation, RetryPolicy};

/// Why a submit did not produce a task id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// The API answered with an error. Never retried: the user fixes the cause.
    Rejected(ApiError),
    /// No readable answer: the connection failed or timed out after sending, a
    /// gateway gave up waiting, or a success answer could not be read. A task may
    /// exist and be charged, so the user decides whether to submit again.
    OutcomeUnknown {
        /// What happened, in plain words.
        detail: String,
    },
    /// The request could not be built (bad base URL or key, serialisation); nothing was sent.
    Invalid(String),
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(error) => f.write_str(&error.message),
            Self::OutcomeUnknown { detail } => f.write_str(detail),
            Self::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for SubmitError {}

/// Why a task query gave no report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The API answered with an error, or with something unreadable.
    Api {
        /// The classified error.
        error: ApiError,
        /// Seconds the API asked us to wait (`X-RateLimit-Reset`, else `Retry-After`).
        reset_wait_secs: Option<u64>,
    },
    /// No answer: network down, blocked cross-origin call, or timeout.
    NoAnswer {
        /// What happened, in plain words.
        detail: String,
    },
    /// The query could not be made (bad base URL or key, unusable task id);
    /// nothing was sent, and retrying cannot help.
    Invalid(String),
}

impl ReadError {
    /// The contract's retry policy for this error on a read.
    pub fn retry_policy(&self) -> RetryPolicy {
        match self {
            Self::Api { error, .. } => error.retry(Operation::Read),
            Self::NoAnswer { .. } => RetryPolicy::transport_error(Operation::Read),
            Self::Invalid(_) => RetryPolicy::Never,
        }
    }

    /// The wait the API asked for, if any.
    pub fn reset_wait_secs(&self) -> Option<u64> {
        match self {
            Self::Api {
                reset_wait_secs, ..
            } => *reset_wait_secs,
            Self::NoAnswer { .. } | Self::Invalid(_) => None,
        }
    }

    /// The API's error, when there was an answer.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api { error, .. } => Some(error),
            Self::NoAnswer { .. } | Self::Invalid(_) => None,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api { error, .. } => f.write_str(&error.message),
            Self::NoAnswer { detail } => f.write_str(detail),
            Self::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ReadError {}

/// Why a connection check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionProblem {
    /// The settings themselves are unusable; nothing was sent.
    Invalid(String),
    /// No answer at all.
    Unreachable {
        /// What happened, with the proxy hint.
        detail: String,
    },
    /// HTTP 401: the key is missing, wrong or expired.
    KeyRefused {
        /// The API's message.
        error: ApiError,
        /// Whether a key was sent (else the server expects one).
        key_sent: bool,
    },
    /// Something answered, but not in the API's envelope: probably a wrong address.
    NotTheApi {
        /// The HTTP status it answered with.
        status: u16,
    },
    /// The API answered with another error (rate limit, outage, ...).
    Unexpected(ApiError),
}

impl fmt::Display for ConnectionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(message) => f.write_str(message),
            Self::Unreachable { detail } => f.write_str(detail),
            Self::KeyRefused {
                error,
                key_sent: true,
            } => write!(
                f,
                "The API refused the key ({}). Check that it is complete and not expired.",
                bare(error.detail())
            ),
            Self::KeyRefused {
                error,
                key_sent: false,
            } => write!(
                f,
                "The API needs a key ({}). Enter your Modellix API key, or use a proxy that holds it.",
                bare(error.detail())
            ),
            Self::NotTheApi { status } => write!(
                f,
                "Something answered (HTTP {status}), but not like the Modellix API. \
                 Check the API address."
            ),
            Self::Unexpected(error) if error.kind == ErrorKind::MalformedAnswer => write!(
                f,
                "The address answered, but its answer could not be read ({}). \
                 Check the API address.",
                bare(error.detail())
            ),
            Self::Unexpected(error) => {
                write!(f, "The API answered with an error: {}", error.message)
            }
        }
    }
}

impl std::error::Error for ConnectionProblem {}

/// A detail to put inside a sentence: without its closing full stop.
pub(crate) fn bare(detail: &str) -> &str {
    detail.trim_end().trim_end_matches('.')
}
