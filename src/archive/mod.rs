//! The archive: every finished edit's images kept in this browser, so a result
//! outlives its temporary link and a local input outlives the page.
//!
//! The provider's result links expire (24 hours), and local files are only handles
//! that a reload forgets. So as soon as a task succeeds its results are fetched once
//! and stored in IndexedDB as the `Blob`s the responses gave (never copied into wasm),
//! and the local inputs it was sent with are stored beside them, once per content.
//! From then on the gallery, the lightbox, downloads and "Use as input" read the
//! stored copy.
//!
//! - [`keys`]: what an image is stored under, and each kind's rules;
//! - [`budget`]: which tasks' images go when a new one does not fit (pure);
//! - [`checksum`]: an image's size and CRC-32, read from its blob in 1 MB steps;
//! - [`db`]: the database (one per instance) and what is done with it, its stores
//!   and indexes made by `schema`, its records as JavaScript objects by `values`;
//! - [`quota`]: the browser's estimate of the origin's quota, and persistence;
//! - [`keep`]: fetching a task's results and writing them in one transaction;
//! - [`records`]: finished edits' records, beyond the history's working set;
//! - [`shown`]: object URLs of stored images, shared while any view shows them;
//! - [`stored`]: many stored images with their sizes and CRC-32s at once (the export).
//!
//! It knows nothing of tasks or the interface: `tasks` decides when to keep, and
//! shows what is kept.

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

pub mod budget;
pub mod checksum;
pub mod db;
pub mod keep;
pub mod keys;
pub mod quota;
pub mod records;
mod schema;
pub mod shown;
pub mod stored;
mod values;

pub use db::{Archive, ArchiveError};
pub use keep::{KeepOutcome, NotKept};
pub use keys::ImageKey;
