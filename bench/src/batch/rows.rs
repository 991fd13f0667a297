//! The batch's rows (beside the part: `rows.rs` is long enough), each with its target.

use super::BatchRun;
use crate::report::{Row, Summary, ratio, secs, target, whole};

/// A freed slot is used within this many ms of the app noticing the task's end
/// (the median over the batch's sends)...
const TURNAROUND_TARGET_MS: f64 = 100.0;
/// ...the mock never sees more tasks unfinished at once than the batch's concurrency...
const MOST_UNFINISHED_TARGET: u64 = 2;
/// ...and the wasm memory grows by at most this many bytes over the batch.
const WASM_GROWTH_TARGET: f64 = 16.0e6;

/// The batch's total against the least its rounds can take, its turnaround, the
/// mock's count of tasks at once, and the wasm memory's growth.
pub fn rows(run: Option<&BatchRun>) -> Vec<Row> {
    let Some(run) = run else {
        return vec![Row::new("batch", "no batch measured")];
    };
    let task_ms = run.queue_ms + run.processing_ms;
    let (rounds, round_ms, least_ms) = run.least();
    let mb = |bytes: f64| format!("{:.1}", bytes / 1e6);
    let mut rows = vec![
        Row::new(
            format!(
                "batch: {} items, {} at once (mock default task time), total",
                run.items, run.concurrency
            ),
            format!(
                "{} s (first send to \"Finished\"; last end noticed at {} s)",
                secs(run.total_ms),
                secs(run.last_end_ms)
            ),
        )
        .baseline(
            format!(
                "{} s (least: {rounds} rounds of {} s, the first query at or after a {} s task)",
                secs(least_ms as f64),
                secs(round_ms as f64),
                secs(task_ms as f64)
            ),
            ratio(run.total_ms, least_ms as f64),
        ),
    ];
    rows.push(match Summary::of(&run.turnarounds) {
        Some(delays) => Row::new(
            "batch: a noticed end to the next send (median)",
            format!("{} over {} sends", delays.show(whole, "ms"), delays.count),
        )
        .target(target(
            &format!("median <= {TURNAROUND_TARGET_MS} ms"),
            delays.median <= TURNAROUND_TARGET_MS,
        )),
        None => Row::new(
            "batch: a noticed end to the next send (median)",
            "no send after an end",
        ),
    });
    rows.push(
        Row::new(
            "batch: most tasks unfinished at once (the mock's count)",
            format!("{} ({} submits)", run.most_unfinished, run.submits),
        )
        .target(target(
            &format!("exactly {MOST_UNFINISHED_TARGET}"),
            run.most_unfinished == MOST_UNFINISHED_TARGET,
        )),
    );
    rows.push(
        Row::new(
            "batch: wasm memory growth",
            format!(
                "{} MB ({} to {} MB, Start to finished)",
                mb(run.wasm_after - run.wasm_before),
                mb(run.wasm_before),
                mb(run.wasm_after)
            ),
        )
        .target(target(
            &format!("<= {} MB", mb(WASM_GROWTH_TARGET)),
            run.wasm_after - run.wasm_before <= WASM_GROWTH_TARGET,
        )),
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> BatchRun {
        BatchRun {
            items: 40,
            concurrency: 2,
            queue_ms: 1_000,
            processing_ms: 3_000,
            total_ms: 86_400.0,
            last_end_ms: 86_350.0,
            turnarounds: vec![4.0, 12.0, 6.5, 130.0],
            most_unfinished: 2,
            submits: 40,
            wasm_before: 2_162_688.0,
            wasm_after: 2_228_224.0,
        }
    }

    #[test]
    fn the_rows_compare_the_total_with_the_least_and_check_the_targets() {
        let rows = rows(Some(&run()));
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0].figure,
            "batch: 40 items, 2 at once (mock default task time), total"
        );
        assert_eq!(
            rows[0].value,
            "86.40 s (first send to \"Finished\"; last end noticed at 86.35 s)"
        );
        assert_eq!(
            rows[0].baseline,
            "80.00 s (least: 20 rounds of 4.00 s, the first query at or after a 4.00 s task)"
        );
        assert_eq!(rows[0].ratio, "1.08×");
        assert_eq!(rows[1].value, "9 ms (4–130) over 4 sends");
        assert_eq!(rows[1].target, "median <= 100 ms: met");
        assert_eq!(rows[2].value, "2 (40 submits)");
        assert_eq!(rows[2].target, "exactly 2: met");
        assert_eq!(rows[3].value, "0.1 MB (2.2 to 2.2 MB, Start to finished)");
        assert_eq!(rows[3].target, "<= 16.0 MB: met");

        let slow = BatchRun {
            turnarounds: vec![150.0],
            most_unfinished: 3,
            wasm_after: 20.0e6,
            ..run()
        };
        let rows = super::rows(Some(&slow));
        assert_eq!(rows[1].value, "150 ms over 1 sends");
        assert_eq!(rows[1].target, "median <= 100 ms: NOT met");
        assert_eq!(rows[2].target, "exactly 2: NOT met");
        assert_eq!(rows[3].target, "<= 16.0 MB: NOT met");
        assert_eq!(super::rows(None)[0].value, "no batch measured");
    }
}
