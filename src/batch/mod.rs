//! One instruction over many images: a batch of edits, each a request of its own,
//! sent by a queue that keeps to the API's limits.
//!
//! - [`queue`]: the queue's decisions (what to send, when to wait, what an outcome
//!   does), as plain data, tested natively;
//! - [`outcome`]: what a submit came to, read from the record the one submit path
//!   made for it;
//! - `images`: the batch's images described for storage and restored after a reload;
//! - [`state`]: the batch as stored (a reload rebuilds its requests from it), and its
//!   progress;
//! - [`runner`]: [`Batches`], which holds the batch, sends its items under its Web
//!   Lock and keeps its images in the archive while it needs them;
//! - [`BatchPanel`]: its progress, time left, pauses and controls, above the edits.

mod images;
pub mod outcome;
mod panel;
pub mod queue;
mod runner;
pub mod state;

pub use panel::BatchPanel;
pub use runner::{BatchNotice, Batches};
