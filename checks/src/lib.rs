//! Checks of the project's own sources, as unit tests, so the native suite of
//! `cargo xtask test` fails when one fails (`cargo test -p seedream-checks` runs only
//! these):
//!
//! - [`cycles`]: no modules of the app, the contract or the server import each other
//!   in a circle;
//! - [`locales`]: every language has exactly English's keys, with the same variables;
//! - [`shell`]: `index.html`'s first-paint shells show the texts `locales/` writes.
//!
//! Nothing here is built outside tests.

#![cfg(test)]

mod cycles;
mod locales;
mod shell;

use std::path::{Path, PathBuf};

/// The workspace root: this crate lives one level below it.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}
