//! The app's release build with trunk, always offline.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::bootstrap::Toolchain;
use crate::process::{path_with, run};

/// Builds the app into `dist/` (wasm-opt runs in release builds) and returns that folder.
pub fn release(root: &Path, tools: &Toolchain) -> Result<PathBuf> {
    let dist = root.join("dist");
    let dirs: Vec<&Path> = tools.bin_dirs.iter().map(PathBuf::as_path).collect();
    run(Command::new("trunk")
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&dist)
        .current_dir(root)
        .env("PATH", path_with(&dirs)?)
        // trunk must never download a tool: `--offline` makes a missing one an error.
        .env("TRUNK_OFFLINE", "true"))?;
    Ok(dist)
}
