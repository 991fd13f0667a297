//! The task history kept in browser storage: what was asked, what came back, never the key.
//!
//! - [`record`]: one task ([`TaskRecord`]), what it asked and when its results expire;
//! - [`state`]: where a task got to ([`RecordState`]), and its [`Status`];
//! - [`kept`]: whether its images are kept in this browser (the archive);
//! - [`size`]: the output size as stored, which an early record may hold unusable;
//! - [`list`]: pure operations on the newest-first list a UI holds in a signal;
//! - [`merge`]: this tab's list merged with storage's, so tabs share one history;
//! - [`sync`]: saving under a Web Lock, and other tabs' changes as they happen;
//! - [`store`]: the list in `localStorage` under [`STORAGE_KEY`] (one JSON array),
//!   read once from format 1 by `v1`;
//!
//! A UI uses it like this: at startup `HistoryStore::new().load()` (show its
//! `warning` if any; resume polling for [`list::to_follow`]); on every change,
//! update the list with the [`list`] functions and call
//! [`HistoryStore::save`] (show an `Err` as a notice: it is never fatal).

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

pub mod kept;
pub mod list;
pub mod merge;
pub mod record;
pub mod size;
pub mod state;
pub mod store;
pub mod sync;
mod v1;
mod vet;

pub use kept::Kept;
pub use list::MAX_RECORDS;
pub use record::{InputRecord, RESULT_TTL_MS, TaskRecord, now_ms};
pub use size::RecordedSize;
pub use state::{Phase, RecordState, ResultRecord, Status};
pub use store::{
    HistoryStore, LEGACY_STORAGE_KEY, Loaded, STORAGE_KEY, StorageProblem, parse_history,
    parse_legacy_history, serialize_history,
};

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod saved_histories;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
