//! A history in one portable file: a zip of the kept images with a manifest of the
//! tasks, written without reading image bytes and read back without trusting it.
//!
//! - [`zip`]: the zip format's headers written and read (pure);
//! - [`manifest`]: `manifest.json`, the tasks and the files each names (pure);
//! - [`plan`]: what an import will do, from the manifest and the directory (pure);
//! - [`export`]: kept tasks into one zip, the images as stored `Blob`s;
//! - [`import`]: a zip back into the archive, each image checked on the way;
//! - `bytes`: reading a file's pieces, and inflating deflated entries.

// File contents are hostile until checked: nothing here may panic on them.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod bytes;
pub mod export;
pub mod import;
pub mod manifest;
pub mod plan;
pub mod zip;
