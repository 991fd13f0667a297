//! When to try again, and how long to wait.
//!
//! The contract's table, with the decisions it leaves open:
//! - A submit is paid, so it is **never** retried automatically (the user decides),
//!   with one exception: a **429** created nothing, so it may be sent again once the
//!   wait the answer gave (`X-RateLimit-Reset`, `Retry-After`) has passed, or after a
//!   backoff when it gave none. A batch's queue does so; a person's own press shows
//!   the refusal instead. Anything else, and above all an answer that never came
//!   (the task may exist and be charged), is never resent by itself.
//! - Reads (polling a task) are free and idempotent:
//!   - 429: retry with exponential backoff, honouring `X-RateLimit-Reset`; no
//!     count limit (a rate limit passes; the app's overall polling deadline and
//!     the user's cancel end it).
//!   - 500: up to [`READ_RETRIES_ON_INTERNAL`] (3) times.
//!   - 503: retry with backoff, no count limit (temporary by definition).
//!   - 502 and 504 (gateway errors, not in the contract but common in front of
//!     any service): like a transport error, up to 3 times.
//!   - A transport error (no answer at all): up to
//!     [`READ_RETRIES_ON_TRANSPORT`] (3) times.
//!   - 400, 401, 402, 404, other statuses, malformed answers: never.

use super::{ApiError, ErrorKind};

/// What is being attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Submitting an edit (paid).
    Submit,
    /// Reading a task's state (free).
    Read,
}

/// Whether and how to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryPolicy {
    /// Do not retry.
    Never,
    /// Retry after a growing delay ([`backoff_delay_ms`]).
    WithBackoff {
        /// How many further attempts after the failed one; `None`: no count
        /// limit (the caller's deadline applies).
        max_attempts: Option<u32>,
    },
}

/// Retries of a read after HTTP 500.
pub const READ_RETRIES_ON_INTERNAL: u32 = 3;
/// Retries of a read after a transport error or a gateway error (502, 504).
pub const READ_RETRIES_ON_TRANSPORT: u32 = 3;
/// The first backoff delay.
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// The longest backoff delay (before honouring a rate-limit reset).
pub const BACKOFF_MAX_MS: u64 = 30_000;
/// The longest wait a rate-limit reset header can impose.
pub const MAX_RATE_LIMIT_WAIT_SECS: u64 = 3_600;

impl RetryPolicy {
    /// The policy when no answer arrived (network cut, timeout, DNS...).
    pub fn transport_error(operation: Operation) -> RetryPolicy {
        match operation {
            Operation::Submit => RetryPolicy::Never,
            Operation::Read => RetryPolicy::WithBackoff {
                max_attempts: Some(READ_RETRIES_ON_TRANSPORT),
            },
        }
    }

    /// True when another attempt is allowed after `retries_done` retries.
    pub fn allows(self, retries_done: u32) -> bool {
        match self {
            RetryPolicy::Never => false,
            RetryPolicy::WithBackoff { max_attempts: None } => true,
            RetryPolicy::WithBackoff {
                max_attempts: Some(max),
            } => retries_done < max,
        }
    }
}

impl ApiError {
    /// The retry policy for this error in `operation` (see the module docs).
    pub fn retry(&self, operation: Operation) -> RetryPolicy {
        if operation == Operation::Submit {
            return match self.kind {
                ErrorKind::RateLimited => RetryPolicy::WithBackoff { max_attempts: None },
                _ => RetryPolicy::Never,
            };
        }
        match self.kind {
            ErrorKind::RateLimited | ErrorKind::Unavailable => {
                RetryPolicy::WithBackoff { max_attempts: None }
            }
            ErrorKind::Internal => RetryPolicy::WithBackoff {
                max_attempts: Some(READ_RETRIES_ON_INTERNAL),
            },
            ErrorKind::OtherStatus if matches!(self.status, Some(502 | 504)) => {
                RetryPolicy::WithBackoff {
                    max_attempts: Some(READ_RETRIES_ON_TRANSPORT),
                }
            }
            _ => RetryPolicy::Never,
        }
    }
}

/// The delay before retry number `retry` (0 for the first): 1 s, 2 s, 4 s, ...
/// capped at 30 s, and never shorter than a rate-limit reset wait if one is known.
pub fn backoff_delay_ms(retry: u32, reset_wait_secs: Option<u64>) -> u64 {
    let exponential = BACKOFF_BASE_MS
        .saturating_mul(1u64.checked_shl(retry.min(32)).unwrap_or(u64::MAX))
        .min(BACKOFF_MAX_MS);
    let reset = reset_wait_secs
        .unwrap_or(0)
        .min(MAX_RATE_LIMIT_WAIT_SECS)
        .saturating_mul(1_000);
    exponential.max(reset)
}

/// Reads an `X-RateLimit-Reset` header into seconds to wait from `now_unix_secs`.
///
/// Accepts a number of seconds to wait, or a Unix timestamp: values of at least
/// 1,000,000,000 (September 2001) are seconds since the epoch, and values of at
/// least 1,000,000,000,000 are milliseconds since the epoch. A fraction rounds
/// up. A reset in the past means 0. Anything else (empty, signs, units, dates)
/// is `None`. The wait is capped at [`MAX_RATE_LIMIT_WAIT_SECS`] (an hour), so a
/// broken header cannot freeze the app.
pub fn parse_rate_limit_reset(header_value: &str, now_unix_secs: u64) -> Option<u64> {
    let text = header_value.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rounds_up = match fraction {
        None => false,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            f.bytes().any(|b| b != b'0')
        }
        Some(_) => return None,
    };
    // Digits only, so the one possible failure is overflow: an absurd value.
    let value = whole
        .parse::<u64>()
        .unwrap_or(u64::MAX)
        .saturating_add(u64::from(rounds_up));
    let wait = if value >= 1_000_000_000_000 {
        value.div_ceil(1_000).saturating_sub(now_unix_secs)
    } else if value >= 1_000_000_000 {
        value.saturating_sub(now_unix_secs)
    } else {
        value
    };
    Some(wait.min(MAX_RATE_LIMIT_WAIT_SECS))
}
