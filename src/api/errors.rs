//! What can go wrong with each call, shaped by what the user can do about it.
//!
//! A submit is paid, so its errors separate "the API said no" (fix and resend)
//! from "we do not know whether it went through" (look before resending). A read
//! is free, so its errors carry what the retry schedule needs. Every variant is
//! typed, never free text, so the `messages` module can say it in the user's
//! language (`describe`); `Display` is that message in English, for tests and
//! developers. None ever holds the key. A task's history keeps a submit's or a
//! read's error as it is (serde, by variant name), to describe it again later.

use std::fmt;

use seedream_contract::{ApiError, Operation, RetryPolicy};
use serde::{Deserialize, Serialize};

use super::config::{ConfigError, Target};
use crate::i18n::Locale;

/// Why a submit did not produce a task id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitError {
    /// The API answered with an error. Never retried: the user fixes the cause.
    Rejected(ApiError),
    /// No readable answer: the connection failed or timed out after sending, a
    /// gateway gave up waiting, or a success answer could not be read. A task may
    /// exist and be charged, so the user decides whether to submit again.
    OutcomeUnknown(Unknown),
    /// The request could not be built; nothing was sent.
    Invalid(NotSent),
}

/// Why a submit's fate is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// The request went out, and no answer came back.
    NoAnswer(NoAnswer),
    /// The service answered with success, but the answer could not be read.
    Unreadable,
    /// A gateway (the proxy) lost or timed out on the call it forwarded to the API
    /// (HTTP 502 or 504).
    Gateway {
        /// The HTTP status.
        status: u16,
        /// The gateway's answer, whose own words (if any) are shown as its detail.
        error: ApiError,
    },
}

/// A call that got no answer: where it went and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoAnswer {
    /// Where the call went.
    pub target: Target,
    /// What happened.
    pub cause: Silence,
}

/// Why no answer came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Silence {
    /// The fetch failed before any answer: network down, connection refused, or a
    /// cross-origin call the browser blocked (it tells the page nothing more).
    Unreachable,
    /// An answer began (with this HTTP status) but the connection dropped before
    /// its end.
    CutOff {
        /// The status of the answer that was cut off.
        status: u16,
    },
    /// No complete answer within the time allowed.
    TimedOut {
        /// The limit, in seconds.
        limit_secs: u64,
    },
}

/// Why a call was not made at all; retrying cannot help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotSent {
    /// The address or the key cannot be used.
    Config(ConfigError),
    /// The task id is not one the API issues.
    TaskId,
    /// The request could not be written as JSON.
    Unwritable,
    /// The browser refused to build the request (its URL or a header).
    Unbuildable,
}

/// Why a task query gave no report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadError {
    /// The API answered with an error, or with something unreadable.
    Api {
        /// The classified error.
        error: ApiError,
        /// Seconds the API asked us to wait (`X-RateLimit-Reset`, else `Retry-After`).
        reset_wait_secs: Option<u64>,
    },
    /// No answer: network down, blocked cross-origin call, or timeout.
    NoAnswer(NoAnswer),
    /// The query could not be made (bad base URL or key, unusable task id);
    /// nothing was sent, and retrying cannot help.
    Invalid(NotSent),
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

/// Why a connection check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionProblem {
    /// The settings themselves are unusable; nothing was sent.
    Invalid(NotSent),
    /// No answer at all.
    Unreachable(NoAnswer),
    /// HTTP 401: the key is missing, wrong or expired.
    KeyRefused {
        /// The API's answer.
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

/// `Display` is the English message: for tests, panics and developers. The
/// interface calls `describe` with the user's language.
macro_rules! display_in_english {
    ($($error:ty),*) => {$(
        impl fmt::Display for $error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.describe(Locale::en))
            }
        }
    )*};
}

display_in_english!(SubmitError, ReadError, ConnectionProblem);

impl std::error::Error for SubmitError {}
impl std::error::Error for ReadError {}
impl std::error::Error for ConnectionProblem {}
