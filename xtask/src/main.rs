//! Project automation in the cargo-xtask pattern: `cargo xtask <command>`.
//!
//! Every command installs what it needs first (idempotently, at pinned versions), so a
//! fresh machine needs nothing but the Rust toolchain.

mod bench;
mod bootstrap;
mod budget;
mod build;
mod demo;
mod dist;
mod process;
mod screenshots;
mod short_imports;
mod test;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Seedream Studio project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the pinned build and test tools (wasm32 target, trunk, wasm-bindgen, wasm-opt,
    /// Chromium, Firefox and geckodriver, axe-core).
    Bootstrap,
    /// Release-build the app and serve it with the mock API on 127.0.0.1 (the URL is printed).
    Demo(demo::DemoArgs),
    /// Run every test: native, wasm in headless Chromium and Firefox, end to end.
    Test,
    /// Release-build the app into dist/ and print the size of every file.
    Dist,
    /// Measure first-load bytes, time to ready, polling cost, gallery scale and input
    /// preparation in headless Chromium, and the proxy's overhead under wrk, against
    /// baselines, and print one table (timings are printed, never asserted): runs
    /// `seedream-bench` with its flags (`cargo xtask bench --help` lists them).
    Bench(bench::BenchArgs),
    /// Save PNGs of the studio in each state, in English and Chinese, at 390x844 and
    /// 1440x900, light and dark, into target/screenshots/: runs `seedream-bench
    /// screenshots` with its flags, as `bench` runs the bench.
    Screenshots(screenshots::ScreenshotsArgs),
}

fn main() -> Result<()> {
    let root = project_root();
    match Cli::parse().command {
        Command::Bootstrap => {
            bootstrap::build_tools(&root)?;
            bootstrap::browser()?;
            bootstrap::firefox()?;
            bootstrap::axe_core(&root)?;
            Ok(())
        }
        Command::Demo(args) => demo::run(&root, &args),
        Command::Test => test::run(&root),
        Command::Dist => dist::run(&root),
        Command::Bench(args) => bench::run(&root, &args),
        Command::Screenshots(args) => screenshots::run(&root, &args),
    }
}

/// The workspace root: xtask lives one level below it.
fn project_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
