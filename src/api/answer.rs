//! From an HTTP answer (status, the headers we read, body bytes) to a result.
//!
//! Pure functions, no web APIs: the fetch plumbing hands an [`HttpAnswer`] here, and
//! tests build one by hand to cover every status and body without a network. The
//! classification itself is the contract's ([`parse_submit_answer`],
//! [`read_task_answer`], [`parse_rate_limit_reset`]); this module only decides
//! what each outcome means for the caller.

use seedream_contract::{
    ErrorEnvelope, ErrorKind, SubmittedTask, TaskReport, parse_rate_limit_reset,
    parse_submit_answer, read_task_answer,
};

use super::errors::{ConnectionProblem, ReadError, SubmitError, Unknown};

/// The parts of an HTTP answer the client uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `X-RateLimit-Reset` header, if present (and exposed to the page).
    pub rate_limit_reset: Option<String>,
    /// The `Retry-After` header, if present (and exposed to the page).
    pub retry_after: Option<String>,
    /// The body, as received.
    pub body: Vec<u8>,
}

impl HttpAnswer {
    /// An answer without the rate-limit headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> HttpAnswer {
        HttpAnswer {
            status,
            body: body.into(),
            ..HttpAnswer::default()
        }
    }

    /// Seconds to wait before asking again, from `X-RateLimit-Reset` (seconds to
    /// wait or a Unix time), else `Retry-After` (seconds; an HTTP date is ignored).
    pub fn reset_wait_secs(&self, now_unix_secs: u64) -> Option<u64> {
        let parse = |value: &Option<String>| {
            value
                .as_deref()
                .and_then(|text| parse_rate_limit_reset(text, now_unix_secs))
        };
        parse(&self.rate_limit_reset).or_else(|| parse(&self.retry_after))
    }
}

/// What a submit's answer means.
///
/// An error answer is [`SubmitError::Rejected`], except where the answer does
/// not say whether the task exists: an unreadable success answer (the contract's
/// [`seedream_contract::ApiError::submit_outcome_unknown`]) and a gateway's
/// 502/504 (the proxy lost or timed out on the upstream call after forwarding it).
/// Those are [`SubmitError::OutcomeUnknown`], because resending could pay twice. A
/// 429 keeps the wait its answer gave (`now_unix_secs` turns a reset time into one),
/// for a batch's queue to send it again then.
pub fn submit_outcome(
    answer: &HttpAnswer,
    now_unix_secs: u64,
) -> Result<SubmittedTask, SubmitError> {
    parse_submit_answer(answer.status, &answer.body).map_err(|mut error| {
        if error.kind == ErrorKind::RateLimited {
            error.wait_secs = answer.reset_wait_secs(now_unix_secs);
        }
        if error.submit_outcome_unknown() {
            SubmitError::OutcomeUnknown(Unknown::Unreadable)
        } else if error.kind == ErrorKind::OtherStatus && matches!(error.status, Some(502 | 504)) {
            SubmitError::OutcomeUnknown(Unknown::Gateway {
                status: answer.status,
                error,
            })
        } else {
            SubmitError::Rejected(error)
        }
    })
}

/// What a task query's answer means; `now_unix_secs` turns an absolute reset time into a wait.
pub fn read_outcome(answer: &HttpAnswer, now_unix_secs: u64) -> Result<TaskReport, ReadError> {
    read_task_answer(answer.status, &answer.body).map_err(|error| ReadError::Api {
        error,
        reset_wait_secs: answer.reset_wait_secs(now_unix_secs),
    })
}

/// What the answer to a query for a task that cannot exist says about the connection.
///
/// A 404 in the contract's error envelope proves the API (or the proxy) is there
/// and took the key. A 401 is the key. A page that is not the API (an HTML 404, a
/// single-page server answering every path with its index) is named as such, so
/// the user checks the address rather than the key.
pub fn connection_outcome(answer: &HttpAnswer, key_sent: bool) -> Result<(), ConnectionProblem> {
    let error = match read_outcome(answer, 0) {
        Ok(_) => return Ok(()),
        Err(ReadError::Api { error, .. }) => error,
        // `read_outcome` only gives API errors; kept total rather than panicking.
        Err(ReadError::NoAnswer(no_answer)) => {
            return Err(ConnectionProblem::Unreachable(no_answer));
        }
        Err(ReadError::Invalid(reason)) => return Err(ConnectionProblem::Invalid(reason)),
    };
    let in_envelope = serde_json::from_slice::<ErrorEnvelope>(&answer.body).is_ok();
    match error.kind {
        ErrorKind::Unauthorized => Err(ConnectionProblem::KeyRefused { error, key_sent }),
        ErrorKind::NotFound if in_envelope => Ok(()),
        ErrorKind::NotFound | ErrorKind::OtherStatus | ErrorKind::MalformedAnswer
            if !in_envelope =>
        {
            Err(ConnectionProblem::NotTheApi {
                status: answer.status,
            })
        }
        _ => Err(ConnectionProblem::Unexpected(error)),
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
