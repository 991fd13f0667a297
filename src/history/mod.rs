//! The task history kept in browser storage: what was asked, what came back, never the key.
//!
//! - [`record`]: one task ([`TaskRecord`]), its state, expiry and vetting;
//! - [`list`]: pure operations on the newest-first list a UI holds in a signal;
//! - [`merge`]: this tab's list merged with storage's, so tabs share one history;
//! - [`sync`]: saving under a Web Lock, and other tabs' changes as they happen;
//! - [`store`]: the list in `localStorage` under [`STORAGE_KEY`] (one JSON array),
//!   read once from format 1 by `v1`;
//! - [`inputs`]: this session's full input images, so "Edit again" can restore
//!   local files until a reload (storage only ever holds URLs).
//!
//! A UI uses it like this: at startup `HistoryStore::new().load()` (show its
//! `warning` if any; resume polling for [`list::to_follow`]); on every change,
//! update the list with the [`list`] functions and call
//! [`HistoryStore::save`] (show an `Err` as a notice: it is never fatal); when
//! submitting, [`inputs::remember`] the images under the new record's id.

// Storage and network data must never panic the app.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod inputs;
pub mod list;
pub mod merge;
pub mod record;
pub mod store;
pub mod sync;
mod v1;
mod vet;

pub use inputs::{EditAgain, INPUT_CACHE_BUDGET, InputCache};
pub use list::MAX_RECORDS;
pub use record::{
    InputRecord, Phase, RESULT_TTL_MS, RecordState, ResultRecord, Status, TaskRecord, now_ms,
};
pub use store::{
    HistoryStore, LEGACY_STORAGE_KEY, Loaded, STORAGE_KEY, StorageProblem, parse_history,
    parse_legacy_history, serialize_history,
};
