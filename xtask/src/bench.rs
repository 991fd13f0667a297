//! `cargo xtask bench`: the benchmark, `seedream-bench` (`bench/`), run after what the
//! parts asked for need is installed and built. The flags are the bench's own, defined
//! there alone, and pass through unchanged (`cargo xtask bench --help` shows them).
//!
//! The bench says what its flags need (`--print-needs`: a list of its path flags), and
//! this provides exactly that, so `--only proxy` builds no `dist/`: a release build
//! with trunk takes about 20 s here even when nothing changed (wasm-opt runs again),
//! where the proxy's server build is a second when it is up to date. Installing stays
//! here, in `bootstrap`; the bench installs and builds nothing.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::Value;

use crate::bootstrap::{self, CHROMEDRIVER, CHROMIUM, NGINX, WRK};
use crate::build;
use crate::process::{self, built_executable, cargo, server_binary};

/// The bench's package (and binary).
pub const BENCH: &str = "seedream-bench";

#[derive(Args)]
// `--help` goes to the bench, which lists its flags.
#[command(disable_help_flag = true)]
pub struct BenchArgs {
    /// The bench's flags (`cargo xtask bench --help` lists them).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    flags: Vec<OsString>,
}

pub fn run(root: &Path, args: &BenchArgs) -> Result<()> {
    // The dev profile: dependencies are optimised in it (the workspace's
    // `[profile.dev.package."*"]`), and what the bench times runs in the browser and
    // in the servers' release builds, not in the bench.
    let mut build_bench = cargo();
    build_bench
        .args(["build", "--package", BENCH])
        .current_dir(root);
    let bench = built_executable(build_bench, BENCH)?;
    let Some(needs) = needs(&bench, &args.flags)? else {
        return Ok(());
    };
    let mut cmd = Command::new(&bench);
    for need in &needs {
        let path = provide(root, need)?;
        cmd.arg(format!("--{need}")).arg(path);
    }
    cmd.args(&args.flags).current_dir(root);
    process::run(&mut cmd)
}

/// What the bench says `flags` need (its path flags, by name), or `None` when it
/// answered with something else (its help, say), which is shown as it is.
fn needs(bench: &Path, flags: &[OsString]) -> Result<Option<Vec<String>>> {
    let mut cmd = Command::new(bench);
    cmd.arg("--print-needs")
        .args(flags)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    let shown = process::describe(&cmd);
    let out = cmd
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        print!("{text}");
        bail!("the bench refused its flags (`{shown}`, {})", out.status);
    }
    let Ok(answer) = serde_json::from_str::<Value>(text.trim()) else {
        print!("{text}");
        return Ok(None);
    };
    let needs = answer["needs"]
        .as_array()
        .with_context(|| format!("`{shown}` printed no list of needs: {answer}"))?;
    needs
        .iter()
        .map(|need| {
            need.as_str()
                .map(str::to_owned)
                .with_context(|| format!("`{shown}` named a need that is not a word: {need}"))
        })
        .collect::<Result<_>>()
        .map(Some)
}

/// Installs or builds what the bench's flag `--<need>` names, and returns its path.
fn provide(root: &Path, need: &str) -> Result<PathBuf> {
    Ok(match need {
        "dist" => build::release(root, &bootstrap::build_tools(root)?)?,
        "server" => server_binary(
            root,
            &["build", "--release", "--package", "seedream-server"],
        )?,
        "chromium" => {
            bootstrap::browser()?;
            env_path("CHROMIUM", CHROMIUM)
        }
        "chromedriver" => {
            bootstrap::browser()?;
            env_path("CHROMEDRIVER", CHROMEDRIVER)
        }
        "lighthouse" => bootstrap::lighthouse(root)?,
        "wrk" => {
            bootstrap::wrk()?;
            PathBuf::from(WRK)
        }
        "nginx" => {
            bootstrap::nginx()?;
            PathBuf::from(NGINX)
        }
        other => bail!(
            "the bench needs --{other}, which xtask does not provide: add it to \
             xtask/src/bench.rs"
        ),
    })
}

/// `name` from the environment (Chromium's and ChromeDriver's paths can be chosen, as
/// for the end-to-end tests), else Debian's `default`.
fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(|| PathBuf::from(default), PathBuf::from)
}
