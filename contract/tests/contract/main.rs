//! The contract's integration tests, one binary: `cargo test -p seedream-contract`
//! runs them natively, and `cargo xtask test` also compiles them to wasm32 and runs
//! them once in Node (wasm-bindgen-test's default without `run_in_browser`), where
//! `usize` is 32 bits as in the app. The contract has no web dependency, so a
//! browser would add nothing but its start; the property tests (`never_panics`,
//! proptest) are native only.
//!
//! One binary rather than one per file: each more was one more link natively and
//! one more wasm link, wasm-bindgen run and runner start.

mod common;

mod answer_submit;
mod answer_task;
mod format;
mod image_format;
mod image_refs;
mod json_frame;
mod never_panics;
mod prompt;
mod request_body;
mod request_build;
mod request_rules;
mod response;
mod retry;
mod sequential;
mod size;
mod url;
