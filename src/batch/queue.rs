//! The batch queue's decisions, as plain data: which item to send next, when to wait,
//! and what each submit's outcome does to the queue. No browser, no clock of its own
//! (times are given), so every rule is tested natively as a table.
//!
//! The rules:
//! - At most `concurrency` tasks unfinished at once, counting every unfinished task of
//!   the studio (a single edit sent during a batch counts against it), and one send at
//!   a time: a body can be 190 MB, and the API answers a submit at once.
//! - Items go in order; each is sent exactly once, except after a **429**, which
//!   created nothing: the item goes back to the front and the queue holds until the
//!   wait the answer gave, else a backoff (the contract's [`backoff_delay_ms`]).
//! - A refusal of the one request (400, or nothing could be sent) marks that item
//!   failed and the queue goes on.
//! - A refusal that concerns the account or the service (401, 402, 403, 404, 500, 503,
//!   other statuses) puts the item back and pauses the queue: the person fixes the
//!   cause and resumes.
//! - An unknown outcome (no answer, a dropped connection, 502 or 504) pauses the queue
//!   and never resends the item: its task may exist and be charged. Its card offers
//!   "Submit again", and resuming goes on with the next item.
//! - After a reload the queue is paused, and an item that was being sent is unknown.

use seedream_contract::backoff_delay_ms;
use serde::{Deserialize, Serialize};

pub use crate::form::batch::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};

/// Where one item is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Not sent yet.
    Queued,
    /// Being sent by this tab now.
    Sending,
    /// Accepted: its task is the record `record`.
    Sent { record: String },
    /// Refused for itself; the record, if one was made, says why.
    Failed { record: Option<String> },
    /// Sent, and nothing said whether a task exists; the record asks the person.
    Unknown { record: Option<String> },
    /// Taken out by the person before it was sent.
    Cancelled,
}

impl ItemState {
    /// The record its submit made, if any.
    pub fn record(&self) -> Option<&str> {
        match self {
            ItemState::Sent { record } => Some(record),
            ItemState::Failed { record } | ItemState::Unknown { record } => record.as_deref(),
            _ => None,
        }
    }

    /// True once nothing more will be sent for it.
    pub fn is_settled(&self) -> bool {
        !matches!(self, ItemState::Queued | ItemState::Sending)
    }
}

/// Why the queue is not sending.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// The person paused it.
    ByPerson,
    /// The page was reloaded (or opened again) while the batch had items left.
    Reloaded,
    /// The service refused for the whole account or service; the record says why.
    Refused { record: Option<String> },
    /// A submit's outcome is unknown; the record asks the person.
    Unknown { record: Option<String> },
}

/// What a submit came to, as the queue needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A task exists: the record follows it.
    Accepted { record: String },
    /// 429: nothing was created; `wait_secs` is the answer's wait, if it gave one.
    RateLimited { wait_secs: Option<u64> },
    /// Refused for this request alone (400), or nothing could be sent.
    RefusedItem { record: Option<String> },
    /// Refused for every request (the account, the key, the service).
    RefusedAll { record: Option<String> },
    /// Sent, with no answer that says whether a task exists.
    Unknown { record: Option<String> },
}

/// What the queue wants done now.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send item `index` (mark it with [`Queue::start_sending`] first).
    Send(usize),
    /// Nothing until this time (ms since the epoch), unless something changes.
    WaitUntil(f64),
    /// Nothing until something changes (a task ends, the person resumes).
    Idle,
    /// Every item is settled.
    Finished,
}

/// A batch's queue: its items' states, its concurrency, and whether it runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub items: Vec<ItemState>,
    pub concurrency: usize,
    /// `None` while it runs.
    pub paused: Option<Pause>,
    /// After a 429: nothing is sent before this time (ms since the epoch).
    #[serde(default)]
    pub hold_until_ms: Option<f64>,
    /// 429s in a row, for the backoff when an answer gives no wait.
    #[serde(default)]
    pub refusals_in_a_row: u32,
}

impl Queue {
    /// A running queue of `items` items, `concurrency` at once (1 to
    /// [`MAX_CONCURRENCY`]).
    pub fn new(items: usize, concurrency: usize) -> Queue {
        Queue {
            items: vec![ItemState::Queued; items],
            concurrency: concurrency.clamp(1, MAX_CONCURRENCY),
            paused: None,
            hold_until_ms: None,
            refusals_in_a_row: 0,
        }
    }

    /// What to do now, with `unfinished` tasks of the studio not yet ended (every
    /// tab's, this batch's included).
    pub fn next(&self, unfinished: usize, now_ms: f64) -> Step {
        let Some(first) = self
            .items
            .iter()
            .position(|item| *item == ItemState::Queued)
        else {
            return if self.items.contains(&ItemState::Sending) {
                Step::Idle
            } else {
                Step::Finished
            };
        };
        if self.paused.is_some()
            || self.items.contains(&ItemState::Sending)
            || unfinished >= self.concurrency
        {
            return Step::Idle;
        }
        match self.hold_until_ms {
            Some(until) if until > now_ms => Step::WaitUntil(until),
            _ => Step::Send(first),
        }
    }

    /// Marks item `index` as being sent.
    pub fn start_sending(&mut self, index: usize) {
        if let Some(item) = self.items.get_mut(index) {
            *item = ItemState::Sending;
        }
    }

    /// Applies what item `index`'s submit came to, at `now_ms`.
    pub fn settle(&mut self, index: usize, outcome: Outcome, now_ms: f64) {
        let Some(item) = self.items.get_mut(index) else {
            return;
        };
        match outcome {
            Outcome::Accepted { record } => {
                *item = ItemState::Sent { record };
                self.refusals_in_a_row = 0;
                self.hold_until_ms = None;
            }
            Outcome::RateLimited { wait_secs } => {
                *item = ItemState::Queued;
                let delay = backoff_delay_ms(self.refusals_in_a_row, wait_secs);
                self.refusals_in_a_row = self.refusals_in_a_row.saturating_add(1);
                self.hold_until_ms = Some(now_ms + delay as f64);
            }
            Outcome::RefusedItem { record } => *item = ItemState::Failed { record },
            Outcome::RefusedAll { record } => {
                *item = ItemState::Queued;
                self.paused = Some(Pause::Refused { record });
            }
            Outcome::Unknown { record } => {
                *item = ItemState::Unknown {
                    record: record.clone(),
                };
                self.paused = Some(Pause::Unknown { record });
            }
        }
    }

    /// The person pauses the queue (sends under way finish).
    pub fn pause(&mut self) {
        if self.paused.is_none() && !self.is_finished() {
            self.paused = Some(Pause::ByPerson);
        }
    }

    /// The person resumes the queue, whatever paused it; a 429's hold stays.
    pub fn resume(&mut self) {
        self.paused = None;
    }

    /// The person takes item `index` out, if it was not sent yet; true if it was.
    pub fn cancel(&mut self, index: usize) -> bool {
        match self.items.get_mut(index) {
            Some(item) if *item == ItemState::Queued => {
                *item = ItemState::Cancelled;
                true
            }
            _ => false,
        }
    }

    /// The person takes every item not yet sent out; returns their indices.
    pub fn cancel_rest(&mut self) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&index| self.cancel(index))
            .collect()
    }

    /// The queue as read back after a reload: paused if anything is left, and an item
    /// that was being sent is unknown (its submit may have gone out).
    pub fn reloaded(&mut self) {
        for item in &mut self.items {
            if *item == ItemState::Sending {
                *item = ItemState::Unknown { record: None };
            }
        }
        if !self.is_finished() && self.paused.is_none() {
            self.paused = Some(Pause::Reloaded);
        }
    }

    /// True when every item is settled.
    pub fn is_finished(&self) -> bool {
        self.items.iter().all(ItemState::is_settled)
    }

    /// The records of the items that were sent (their tasks), in order.
    pub fn records(&self) -> Vec<&str> {
        self.items.iter().filter_map(ItemState::record).collect()
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "queue_tests.rs"]
mod tests;
