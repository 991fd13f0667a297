//! A batch as it is stored: what to send (as descriptions a reload can rebuild the
//! requests from: addresses, and local images by the SHA-256 they are kept under in
//! the archive), its queue, and when it started. One batch per instance, in
//! localStorage beside the history; its images live in the archive.

use seedream_contract::size::Size;
use seedream_contract::{OutputFormat, SequentialMode};
use serde::{Deserialize, Serialize};

use super::queue::{ItemState, Queue};
use crate::history::RecordState;
use crate::media::FromResult;

/// Where an image of the batch comes from, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredImage {
    /// An address, sent as it is.
    Url { url: String },
    /// A local image, kept in the archive under its SHA-256 while the batch lasts.
    Local { sha256: String, name: String },
}

/// One image to edit: its image, its name, and the size its edit asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredItem {
    pub image: StoredImage,
    pub name: String,
    /// As the contract writes it (`2048x2048`).
    pub size: String,
}

impl StoredItem {
    pub fn size(&self) -> Option<Size> {
        self.size.parse().ok()
    }
}

/// Everything the batch sends, but the image handles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredPlan {
    pub prompt: String,
    pub items: Vec<StoredItem>,
    pub shared: Vec<StoredImage>,
    #[serde(default)]
    pub shared_origins: Vec<Option<FromResult>>,
    pub format: OutputFormat,
    pub sequential: SequentialMode,
    pub max_images: u8,
}

/// A batch: its id, what it sends, where each item is, and when it started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchState {
    pub id: String,
    pub plan: StoredPlan,
    pub queue: Queue,
    pub started_at_ms: f64,
}

impl BatchState {
    /// The archive's holder of the batch's images (a pinned entry, so the budget never
    /// frees them while the batch needs them).
    pub fn holder(&self) -> String {
        format!("batch-{}", self.id)
    }

    /// The local ids of the tasks its items made, in order.
    pub fn records(&self) -> Vec<String> {
        self.queue
            .records()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// True while items are left to send.
    pub fn has_work(&self) -> bool {
        !self.queue.is_finished()
    }
}

/// How far a batch has come, for its progress line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub total: usize,
    /// Sent and accepted (running or finished).
    pub sent: usize,
    pub running: usize,
    pub done: usize,
    /// Refused, failed, or ended without results.
    pub failed: usize,
    /// Not sent yet (queued, or being sent).
    pub waiting: usize,
    pub cancelled: usize,
}

/// A task's end as the progress counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskEnd {
    Running,
    Done,
    Failed,
}

impl TaskEnd {
    /// Where a task with `state` stands, as the progress counts it.
    pub fn of(state: &RecordState) -> TaskEnd {
        if !state.is_final() {
            TaskEnd::Running
        } else if matches!(state, RecordState::Done { .. }) {
            TaskEnd::Done
        } else {
            TaskEnd::Failed
        }
    }
}

impl Progress {
    /// True once every item has ended (none waiting or running), at least one sent.
    pub fn ended(&self) -> bool {
        self.sent + self.failed > 0 && self.waiting == 0 && self.running == 0
    }

    /// The progress of `queue`, with `end` telling how each sent item's task stands
    /// (`None`: its record is gone, counted as done).
    pub fn of(queue: &Queue, end: impl Fn(&str) -> Option<TaskEnd>) -> Progress {
        let mut progress = Progress {
            total: queue.items.len(),
            ..Progress::default()
        };
        for item in &queue.items {
            match item {
                ItemState::Queued | ItemState::Sending => progress.waiting += 1,
                ItemState::Cancelled => progress.cancelled += 1,
                ItemState::Failed { .. } | ItemState::Unknown { .. } => progress.failed += 1,
                ItemState::Sent { record } => {
                    progress.sent += 1;
                    match end(record).unwrap_or(TaskEnd::Done) {
                        TaskEnd::Running => progress.running += 1,
                        TaskEnd::Done => progress.done += 1,
                        TaskEnd::Failed => progress.failed += 1,
                    }
                }
            }
        }
        progress
    }

    /// An estimate of the time left (ms): the items not yet ended, in rounds of
    /// `concurrency`, each as long as the median task so far; `None` before any ended.
    pub fn time_left_ms(&self, durations_ms: &[f64], concurrency: usize) -> Option<f64> {
        let mut sorted: Vec<f64> = durations_ms
            .iter()
            .copied()
            .filter(|d| d.is_finite())
            .collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let left = self.waiting + self.running;
        let rounds = left.div_ceil(concurrency.max(1));
        Some(rounds as f64 * median)
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::batch::queue::Outcome;

    fn state() -> BatchState {
        BatchState {
            id: "b1".into(),
            plan: StoredPlan {
                prompt: "Put it on a beach".into(),
                items: vec![StoredItem {
                    image: StoredImage::Local {
                        sha256: "ab".repeat(32),
                        name: "shoe.png".into(),
                    },
                    name: "shoe.png".into(),
                    size: "2048x2048".into(),
                }],
                shared: vec![StoredImage::Url {
                    url: "https://example.com/beach.jpg".into(),
                }],
                shared_origins: vec![None],
                format: OutputFormat::Png,
                sequential: SequentialMode::Disabled,
                max_images: 1,
            },
            queue: Queue::new(1, 2),
            started_at_ms: 1.0,
        }
    }

    #[test]
    fn a_batch_is_stored_and_read_back_whole() {
        let state = state();
        let text = serde_json::to_string(&state).expect("written");
        assert_eq!(
            serde_json::from_str::<BatchState>(&text).expect("read"),
            state
        );
        assert_eq!(
            state.plan.items[0].size().map(|s| s.to_string()).as_deref(),
            Some("2048x2048")
        );
        assert_eq!(state.holder(), "batch-b1");
        assert!(state.has_work());
    }

    #[test]
    fn progress_counts_each_item_once_and_estimates_the_time_left() {
        let mut queue = Queue::new(6, 2);
        for (index, record) in ["r0", "r1", "r2"].into_iter().enumerate() {
            queue.start_sending(index);
            queue.settle(
                index,
                Outcome::Accepted {
                    record: record.into(),
                },
                0.0,
            );
        }
        queue.start_sending(3);
        queue.settle(3, Outcome::RefusedItem { record: None }, 0.0);
        assert!(queue.cancel(5));
        let end = |record: &str| match record {
            "r0" => Some(TaskEnd::Done),
            "r1" => Some(TaskEnd::Running),
            _ => Some(TaskEnd::Failed),
        };
        let progress = Progress::of(&queue, end);
        assert_eq!(
            progress,
            Progress {
                total: 6,
                sent: 3,
                running: 1,
                done: 1,
                failed: 2,
                waiting: 1,
                cancelled: 1,
            }
        );
        // Two left (one running, one waiting) at two at once: one round of the median.
        assert_eq!(
            progress.time_left_ms(&[9_000.0, 3_000.0, 5_000.0], 2),
            Some(5_000.0)
        );
        assert_eq!(progress.time_left_ms(&[], 2), None);
    }
}
