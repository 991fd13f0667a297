//! One instruction over many images: a batch of edits, each a request of its own,
//! sent by a queue that keeps to the API's limits.
//!
//! - [`queue`]: the queue's decisions (what to send, when to wait, what an outcome
//!   does), as plain data, tested natively;
//! - [`outcome`]: what a submit came to, read from the record the one submit path
//!   made for it.

pub mod outcome;
pub mod queue;
