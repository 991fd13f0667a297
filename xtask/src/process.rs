//! Running child processes with a readable account of what failed.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

pub use seedream_run::{describe, output_of, run};

/// A `PATH` with `dirs` in front of the current one, so children find the
/// project-local tools first.
pub fn path_with(dirs: &[&Path]) -> Result<std::ffi::OsString> {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let all = dirs
        .iter()
        .map(|dir| dir.to_path_buf())
        .chain(std::env::split_paths(&current));
    std::env::join_paths(all).context("a tool directory contains a path separator")
}

/// Builds with `cmd` (a `cargo build`, or a `cargo test --no-run`, that builds `name`,
/// without a message format) and returns the executable cargo reports for the binary
/// `name` (not a test harness of that name), so a `CARGO_TARGET_DIR` elsewhere is
/// followed. Cargo's own diagnostics still reach the terminal.
pub fn built_executable(mut cmd: Command, name: &str) -> Result<std::path::PathBuf> {
    cmd.args(["--message-format", "json-render-diagnostics"])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    let shown = describe(&cmd);
    eprintln!("xtask: {shown}");
    let out = cmd
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !out.status.success() {
        bail!("`{shown}` failed ({})", out.status);
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == name && message["profile"]["test"] != true)
        .find_map(|message| message["executable"].as_str().map(std::path::PathBuf::from))
        .with_context(|| format!("`{shown}` named no {name} executable"))
}

/// The `seedream-server` executable that `cargo <cargo_args>` builds in `root` (a
/// `cargo build`, or a `cargo test --no-run` whose build includes it), as cargo reports
/// it: the test command's debug build for its mock, the bench's release build.
pub fn server_binary(root: &Path, cargo_args: &[&str]) -> Result<std::path::PathBuf> {
    let mut cmd = cargo();
    cmd.args(cargo_args).current_dir(root);
    built_executable(cmd, "seedream-server")
}

/// cargo as invoked by the user (cargo sets `CARGO` for the programs it runs), with
/// the environment a shell would give it ([`outside_cargo_run`]).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    outside_cargo_run(&mut cmd);
    cmd
}

/// Removes from `cmd`'s environment what `cargo run` set for xtask itself
/// (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, ...). Cargo compares the variables a build
/// script watches with its own environment, so a build started from here would not
/// match the same build started from a shell (ring's watches `CARGO_MANIFEST_DIR`),
/// and each would rebuild ring, rustls and the server after the other.
pub fn outside_cargo_run(cmd: &mut Command) {
    const SET_BY_CARGO_RUN: [&str; 5] = [
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
    ];
    for (name, _) in std::env::vars_os() {
        if let Some(name) = name.to_str()
            && (name.starts_with("CARGO_PKG_") || SET_BY_CARGO_RUN.contains(&name))
        {
            cmd.env_remove(name);
        }
    }
}
