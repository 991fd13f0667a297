//! `cargo xtask screenshots`: PNGs of the studio in each of its states, in English and
//! Chinese, at 390x844 and 1440x900, light and dark, in `target/screenshots/`. The
//! browser-driving code is the bench's (`bench/src/screenshots.rs`), run as
//! `seedream-bench screenshots` exactly as `cargo xtask bench` runs the bench: it says
//! what it needs (the app's build, Chromium and ChromeDriver), which is built and
//! installed first, and is given their paths. Its flags pass through unchanged
//! (`cargo xtask screenshots --help` shows them).

use std::ffi::OsString;
use std::path::Path;

use anyhow::Result;
use clap::{Args, FromArgMatches as _};

use crate::bench;

/// The bench's subcommand that takes the screenshots.
const SUBCOMMAND: &str = "screenshots";

#[derive(Args)]
// `--help` goes to the bench, which lists the subcommand's flags.
#[command(disable_help_flag = true)]
pub struct ScreenshotsArgs {
    /// The flags of `seedream-bench screenshots` (`cargo xtask screenshots --help`
    /// lists them).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    flags: Vec<OsString>,
}

pub fn run(root: &Path, args: &ScreenshotsArgs) -> Result<()> {
    bench::run(root, &bench_args(&args.flags)?)
}

/// `cargo xtask bench`'s arguments for the bench's subcommand with `flags`, parsed as
/// that command parses its own, so the bench is built, asked and given its paths by
/// the one [`bench::run`].
fn bench_args(flags: &[OsString]) -> Result<bench::BenchArgs> {
    let argv = ["cargo xtask bench", SUBCOMMAND]
        .into_iter()
        .map(OsString::from)
        .chain(flags.iter().cloned());
    let command = <bench::BenchArgs as Args>::augment_args(clap::Command::new("bench"));
    let matches = command.try_get_matches_from(argv)?;
    Ok(bench::BenchArgs::from_arg_matches(&matches)?)
}
