//! The app's browser tests: one wasm test binary (wasm-bindgen-test, in headless
//! Chromium and Firefox), a module per part of the app. What needs no browser is
//! tested natively beside the code (`cargo test -p seedream-studio --lib`); what
//! needs the real server and a whole browser session is an end-to-end test
//! (`tests/e2e.rs`). The big submit has a binary of its own (`tests/big_submit.rs`).
//!
//! One binary means one page for every test, run one after another, so nothing may
//! carry over from one test to the next:
//! - storage: a test that mounts the app or the task list, or reads what is stored,
//!   starts with [`common::fresh_storage`] (the page's localStorage and
//!   sessionStorage are shared), which first lets the history saves an earlier test
//!   queued run (a task list's owner, and so its saves, outlive its unmount until
//!   they have);
//! - mounted views: each test holds its mount and drops it at its end, which also
//!   removes its listeners;
//! - globals: a test that replaces one (`window.fetch`) puts it back.
//!
//! A test waits for what it expects with [`common::until`], which fails the test
//! (saying what it waited for) when that never comes; there are no fixed sleeps.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "../common/mod.rs"]
mod common;

mod api;
mod archive;
mod embed;
mod form;
mod history;
mod images;
mod instructions;
mod locale;
mod mount;
mod notify;
mod poll;
mod portable;
mod results;
mod settings;
mod tasks;
