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

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use seedream_contract::{ApiError, ErrorKind};

    use super::*;
    use crate::api::{NoAnswer, NotSent, Silence, Target};

    /// Queries made and the notice delay (ms) for a task ending `finish_ms` after
    /// submit, the first query coming one schedule delay after submit (as `follow` does).
    fn simulate(finish_ms: u64) -> (u32, u64) {
        let (mut now, mut polls) = (0u64, 0u32);
        loop {
            now += next_poll_delay(polls, now, false).as_millis() as u64;
            polls += 1;
            if now >= finish_ms {
                return (polls, now - finish_ms);
            }
        }
    }

    /// Worst and mean notice delay (ms) over tasks ending every 10 ms in (0, up_to_ms].
    fn notice_spread(up_to_ms: u64) -> (u64, f64) {
        let delays: Vec<u64> = (1..=up_to_ms / 10).map(|i| simulate(i * 10).1).collect();
        let worst = delays.iter().copied().max().unwrap_or(0);
        let mean = delays.iter().sum::<u64>() as f64 / delays.len() as f64;
        (worst, mean)
    }

    #[test]
    fn schedule_figures_for_5_30_and_60_second_tasks() {
        assert_eq!(simulate(5_000), (4, 1_000), "5 s: queries at 1, 2, 4, 6 s");
        assert_eq!(simulate(30_000), (11, 2_000), "30 s: last query at 32 s");
        assert_eq!(simulate(60_000), (18, 0), "60 s: a query lands at 60 s");
        assert!(
            simulate(30_000).0 <= 12,
            "a 30 s task needs at most 12 queries"
        );

        let (worst, mean) = notice_spread(5_000);
        assert!(worst <= 2_000, "5 s worst {worst}");
        assert!((800.0..=1_000.0).contains(&mean), "5 s mean {mean}");
        let (worst, mean) = notice_spread(30_000);
        assert!(worst <= 4_000, "30 s worst {worst}");
        assert!((1_500.0..=2_000.0).contains(&mean), "30 s mean {mean}");
        let (worst, mean) = notice_spread(60_000);
        assert!(worst <= 4_000, "60 s worst {worst}");
        assert!((1_600.0..=2_100.0).contains(&mean), "60 s mean {mean}");
    }

    #[test]
    fn schedule_starts_fast_backs_off_and_is_bounded() {
        let secs = |polls, elapsed| next_poll_delay(polls, elapsed, false).as_millis() as u64;
        let ramp: Vec<u64> = (0..8).map(|n| secs(n, 0)).collect();
        assert_eq!(
            ramp,
            [1_000, 1_000, 2_000, 2_000, 3_000, 3_000, 4_000, 4_000]
        );
        assert_eq!(secs(1_000_000, 0), 4_000, "no growth past the steady delay");
        assert_eq!(secs(0, 12_000), 4_000, "slow queries do not keep it fast");
        assert_eq!(secs(50, 120_000), 5_000, "slow tasks: 5 s");
        assert_eq!(secs(u32::MAX, u64::MAX), 5_000, "extremes do not overflow");
        for polls in 0..40 {
            for elapsed in [0, 5_000, 12_000, 60_000, 120_000, 3_600_000] {
                let visible = next_poll_delay(polls, elapsed, false);
                let hidden = next_poll_delay(polls, elapsed, true);
                assert!(visible >= Duration::from_secs(1) && visible <= Duration::from_secs(5));
                assert!(hidden >= visible && hidden <= Duration::from_secs(30));
            }
        }
        assert_eq!(next_poll_delay(0, 0, true), Duration::from_secs(3));
        assert_eq!(next_poll_delay(50, 0, true), Duration::from_secs(12));
        assert_eq!(next_poll_delay(50, 120_000, true), Duration::from_secs(15));
    }

    fn api(status: u16, kind: ErrorKind, reset_wait_secs: Option<u64>) -> ReadError {
        ReadError::Api {
            error: ApiError::new(Some(status), kind, kind.default_message()),
            reset_wait_secs,
        }
    }

    fn waits(error: &ReadError, retries: u32) -> Vec<Option<u64>> {
        (0..retries)
            .map(|n| retry_delay(error, n).map(|d| d.as_secs()))
            .collect()
    }

    #[test]
    fn retry_delay_follows_the_contract_per_error_kind() {
        let rate = api(429, ErrorKind::RateLimited, None);
        assert_eq!(
            waits(&rate, 7),
            [
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(30),
                Some(30)
            ]
        );
        assert!(retry_delay(&rate, 1_000).is_some(), "429: no count limit");
        let reset = api(429, ErrorKind::RateLimited, Some(20));
        assert_eq!(
            waits(&reset, 6),
            [Some(20), Some(20), Some(20), Some(20), Some(20), Some(30)]
        );
        let unavailable = api(503, ErrorKind::Unavailable, None);
        assert_eq!(retry_delay(&unavailable, 50), Some(Duration::from_secs(30)));
        let internal = api(500, ErrorKind::Internal, None);
        assert_eq!(waits(&internal, 4), [Some(1), Some(2), Some(4), None]);
        let gateway = api(502, ErrorKind::OtherStatus, None);
        assert_eq!(waits(&gateway, 4), [Some(1), Some(2), Some(4), None]);
        let lost = ReadError::NoAnswer(NoAnswer {
            target: Target::ThisServer,
            cause: Silence::Unreachable,
        });
        assert_eq!(waits(&lost, 4), [Some(1), Some(2), Some(4), None]);
        for (status, kind) in [
            (400, ErrorKind::InvalidParameters),
            (401, ErrorKind::Unauthorized),
            (402, ErrorKind::InsufficientBalance),
            (404, ErrorKind::NotFound),
            (418, ErrorKind::OtherStatus),
            (200, ErrorKind::MalformedAnswer),
        ] {
            assert_eq!(
                retry_delay(&api(status, kind, Some(5)), 0),
                None,
                "{status}"
            );
        }
        assert_eq!(retry_delay(&ReadError::Invalid(NotSent::TaskId), 0), None);
    }
}
