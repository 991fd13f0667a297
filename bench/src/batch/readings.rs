//! What the batch part computes and reads, checked: the least a batch can take with
//! the app's polling schedule, and the times between the app's marks (pure functions,
//! tested here).

use anyhow::{Result, bail};
use serde_json::Value;

// The app's schedule for a visible page (`src/poll/schedule.rs`), which the bench
// cannot call (the app is built for the browser; the unit tests below check these
// against the app's own `next_poll_delay`).
/// The first delay, and the step added every [`POLLS_PER_STEP`] queries.
const STEP_MS: u64 = 1_000;
/// Queries made at each delay before the next step.
const POLLS_PER_STEP: u64 = 2;
/// The steady delay...
const STEADY_MS: u64 = 4_000;
/// ...which applies whatever the query count from this long after following began.
const STEADY_AFTER_MS: u64 = 12_000;
/// The delay for tasks running longer than [`SLOW_AFTER_MS`].
const SLOW_MS: u64 = 5_000;
const SLOW_AFTER_MS: u64 = 120_000;

/// The app's wait before the next query of a task, after `polls_done` answered
/// queries and `elapsed_ms` since it began following it, on a visible page
/// (`next_poll_delay(polls_done, elapsed_ms, false)` in `src/poll/schedule.rs`).
pub fn next_poll_delay_ms(polls_done: u64, elapsed_ms: u64) -> u64 {
    let by_count = STEP_MS
        .saturating_mul(1 + polls_done / POLLS_PER_STEP)
        .min(STEADY_MS);
    let by_time = if elapsed_ms >= SLOW_AFTER_MS {
        SLOW_MS
    } else if elapsed_ms >= STEADY_AFTER_MS {
        STEADY_MS
    } else {
        0
    };
    by_count.max(by_time)
}

/// When the app's first query at or after `task_ms` lands, ms after it began
/// following the task (its first query one delay after that, as `src/poll/mod.rs`
/// does): the soonest it can notice a task of that length ended (1, 2, 4, 6, 9, 12,
/// 16, ... s).
pub fn first_poll_at_or_after(task_ms: u64) -> u64 {
    let (mut now, mut polls) = (0u64, 0u64);
    loop {
        now += next_poll_delay_ms(polls, now);
        polls += 1;
        if now >= task_ms {
            return now;
        }
    }
}

/// The least a batch of `items` tasks of `task_ms` each, `concurrency` at once, can
/// take with that schedule: one round per `concurrency` items, each the time to the
/// query that sees its tasks end (sending, answers and the app's own work taken as
/// nothing). Returns (rounds, one round in ms, the total in ms).
pub fn least_batch_ms(items: usize, concurrency: usize, task_ms: u64) -> (u64, u64, u64) {
    let rounds = items.div_ceil(concurrency.max(1)) as u64;
    let round = first_poll_at_or_after(task_ms);
    (rounds, round, rounds * round)
}

/// The times of each of the app's marks, sorted, from `{name: [ms, ...]}`.
pub fn mark_times(marks: &Value, name: &str) -> Vec<f64> {
    let mut times: Vec<f64> = marks[name]
        .as_array()
        .map(|all| all.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    times.sort_by(f64::total_cmp);
    times
}

/// For each send after the first `concurrency` (which fill the empty slots), the time
/// since the latest task end noticed before it: how soon the queue used a freed slot.
pub fn turnarounds(sends: &[f64], ends: &[f64], concurrency: usize) -> Result<Vec<f64>> {
    sends
        .iter()
        .skip(concurrency)
        .map(|&send| match ends.iter().rev().find(|&&end| end <= send) {
            Some(end) => Ok(send - end),
            None => bail!(
                "the app marked a batch-send at {send:.0} ms with no task-ended mark before \
                 it: more than {concurrency} items were sent before any task ended"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    #[test]
    fn the_schedule_is_the_apps() {
        for polls in 0..40u32 {
            for elapsed in [0, 999, 5_000, 11_999, 12_000, 60_000, 119_999, 120_000] {
                let app = seedream_studio::poll::next_poll_delay(polls, elapsed, false);
                assert_eq!(
                    Duration::from_millis(next_poll_delay_ms(u64::from(polls), elapsed)),
                    app,
                    "after {polls} queries at {elapsed} ms"
                );
            }
        }
    }

    #[test]
    fn the_first_query_at_or_after_a_length() {
        let at: Vec<u64> = [1, 1_000, 1_001, 3_000, 4_000, 4_001, 5_000, 30_000]
            .map(first_poll_at_or_after)
            .to_vec();
        assert_eq!(
            at,
            [1_000, 1_000, 2_000, 4_000, 4_000, 6_000, 6_000, 32_000]
        );
    }

    #[test]
    fn the_least_batch_is_its_rounds_of_the_noticed_length() {
        // The mock's default task: 1 s queued, 3 s processing, seen by the query at 4 s.
        assert_eq!(least_batch_ms(40, 2, 4_000), (20, 4_000, 80_000));
        assert_eq!(least_batch_ms(5, 2, 4_500), (3, 6_000, 18_000));
        assert_eq!(least_batch_ms(3, 0, 1_000), (3, 1_000, 3_000));
    }

    #[test]
    fn marks_are_read_and_sorted() {
        let marks = json!({ "send": [30.0, 10.0, 20.5], "ended": [] });
        assert_eq!(mark_times(&marks, "send"), [10.0, 20.5, 30.0]);
        assert!(mark_times(&marks, "ended").is_empty());
        assert!(mark_times(&marks, "missing").is_empty());
    }

    #[test]
    fn each_later_send_is_timed_from_the_latest_end_before_it() {
        let sends = [0.0, 40.0, 4_100.0, 4_150.0, 8_300.0];
        let ends = [4_090.0, 4_145.0, 8_200.0, 8_290.0];
        let delays = turnarounds(&sends, &ends, 2).expect("every send after an end");
        assert_eq!(delays, [10.0, 5.0, 10.0]);
        assert!(turnarounds(&sends[..2], &ends, 2).is_ok_and(|d| d.is_empty()));
        let early = turnarounds(&sends, &[5_000.0], 2);
        assert!(early.is_err_and(|e| e.to_string().contains("4100 ms")));
    }
}
