//! End-to-end tests: the release build of the app (`dist/`), served with the mock API
//! by `seedream-server` in this process, driven in headless Chromium through
//! ChromeDriver (or, with `E2E_BROWSER=firefox`, headless Firefox through
//! geckodriver), as a person would use it.
//!
//! `cargo xtask test` builds `dist/` and runs them; by hand, after `cargo xtask dist`:
//!
//! ```sh
//! cargo test --workspace --exclude seedream-bench --test e2e -- --test-threads=1
//! ```
//!
//! (`--workspace --exclude seedream-bench`, as `cargo xtask test` selects it: cargo
//! then resolves the same features and reuses that build; `-p seedream-studio`, or the
//! bench included, would build the server's dependencies again.)
//!
//! `CHROMEDRIVER` and `CHROMIUM` (`GECKODRIVER` and `FIREFOX`) override the default
//! paths; `cargo xtask test` runs every test in Chromium and the edit flow and the big
//! edit in Firefox too. A failed test leaves a
//! screenshot and the page's HTML in `target/tmp/e2e-failures/`.
//!
//! Native only: the wasm browser tests compile this file to nothing.
#![cfg(not(target_arch = "wasm32"))]

// The crate root is this file, so the modules' paths are spelled out.
#[path = "e2e/archive.rs"]
mod archive;
#[path = "e2e/axe.rs"]
mod axe;
#[path = "e2e/batch.rs"]
mod batch;
#[path = "e2e/embed.rs"]
mod embed;
#[path = "e2e/faults.rs"]
mod faults;
#[path = "e2e/first_paint.rs"]
mod first_paint;
#[path = "e2e/flow.rs"]
mod flow;
#[path = "e2e/frame.rs"]
mod frame;
#[path = "e2e/harness.rs"]
mod harness;
#[path = "e2e/instructions.rs"]
mod instructions;
#[path = "e2e/language.rs"]
mod language;
#[path = "e2e/large_inputs.rs"]
mod large_inputs;
#[path = "e2e/mock.rs"]
mod mock;
#[path = "e2e/origin.rs"]
mod origin;
#[path = "e2e/page.rs"]
mod page;
#[path = "e2e/portable.rs"]
mod portable;
#[path = "e2e/removal.rs"]
mod removal;
#[path = "e2e/results.rs"]
mod results;
#[path = "e2e/tabs.rs"]
mod tabs;
