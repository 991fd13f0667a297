//! When to ask again: pure arithmetic, no web APIs, so the figures are testable.
//!
//! Most edits take from a few seconds (the mock: about 4 s) to about a minute.
//! Early answers matter most to the user and cost little, so the poller starts at
//! 1 s and slows by a second every second query: 1, 1, 2, 2, 3, 3, then 4 s.
//! Queries then land at 1, 2, 4, 6, 9, 12, 16, 20, 24, 28, 32, ... s, so:
//!
//! | task  | queries | noticed after | mean notice delay for tasks ending in (0, T] |
//! |-------|---------|---------------|----------------------------------------------|
//! | 5 s   | 4       | 1 s           | 0.90 s (worst 2 s)                           |
//! | 30 s  | 11      | 2 s           | 1.73 s (worst 4 s)                           |
//! | 60 s  | 18      | 0 s           | 1.83 s (worst 4 s)                           |
//!
//! (The mean over finish times spread evenly is half the mean square gap over
//! the mean gap: with 4 s gaps, 2 s.) A task still running after two minutes is
//! a slow one; 5 s between queries then costs little. A hidden page is not
//! watched, so it polls three times less often (browsers throttle its timers anyway).

use std::time::Duration;

use crate::api::ReadError;
use seedream_contract::backoff_delay_ms;

/// The first delay, and the step added every [`POLLS_PER_STEP`] queries.
pub const STEP_MS: u64 = 1_000;
/// Queries made at each delay before the next step.
pub const POLLS_PER_STEP: u32 = 2;
/// The steady delay, reached after six queries or 12 s.
pub const STEADY_MS: u64 = 4_000;
/// From when the steady delay applies whatever the query count (queries that
/// took long, or retries, should not leave the poller at its fast start).
pub const STEADY_AFTER_MS: u64 = 12_000;
/// The delay for tasks running longer than [`SLOW_AFTER_MS`].
pub const SLOW_MS: u64 = 5_000;
/// When a task counts as slow.
pub const SLOW_AFTER_MS: u64 = 120_000;
/// How much slower a hidden page polls.
pub const HIDDEN_FACTOR: u64 = 3;
/// The longest delay between queries, hidden or not.
pub const MAX_DELAY_MS: u64 = 30_000;

/// The sleep before the next query, after `polls_done` answered queries and
/// `elapsed_ms` since following began, while the page is `hidden` or not.
pub fn next_poll_delay(polls_done: u32, elapsed_ms: u64, hidden: bool) -> Duration {
    let by_count = STEP_MS
        .saturating_mul(1 + u64::from(polls_done / POLLS_PER_STEP))
        .min(STEADY_MS);
    let by_time = if elapsed_ms >= SLOW_AFTER_MS {
        SLOW_MS
    } else if elapsed_ms >= STEADY_AFTER_MS {
        STEADY_MS
    } else {
        0
    };
    let visible = by_count.max(by_time);
    let ms = if hidden {
        visible.saturating_mul(HIDDEN_FACTOR)
    } else {
        visible
    };
    Duration::from_millis(ms.min(MAX_DELAY_MS))
}

/// The wait before retrying a failed query after `retries_done` retries, or
/// `None` when the contract's policy says to give up (a 4xx, a malformed answer,
/// or the retries a 500 or a lost connection allow are spent). The wait is the
/// contract's exponential backoff, never shorter than the reset the API asked for.
pub fn retry_delay(error: &ReadError, retries_done: u32) -> Option<Duration> {
    error
        .retry_policy()
        .allows(retries_done)
        .then(|| Duration::from_millis(backoff_delay_ms(retries_done, error.reset_wait_secs())))
}
