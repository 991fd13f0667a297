//! `cargo xtask demo`: build the app for release and serve it with the mock API, so the
//! whole app works with no key and no network; the example portal (`examples/portal/`,
//! copied into `dist/` by the build) is served beside it.

use std::path::Path;

use anyhow::Result;
use clap::Args;

use crate::bootstrap;
use crate::build;
use crate::process::{self, cargo};

#[derive(Args)]
pub struct DemoArgs {
    /// The loopback port to serve on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
}

pub fn run(root: &Path, args: &DemoArgs) -> Result<()> {
    let tools = bootstrap::build_tools(root)?;
    let dist = build::release(root, &tools)?;
    // The server prints the app's URL once it is listening, and runs until Ctrl-C.
    eprintln!(
        "xtask: the example portal that embeds the studio: http://127.0.0.1:{}/examples/portal/",
        args.port
    );
    process::run(
        cargo()
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "seedream-server",
                "--",
                "--mock",
            ])
            .arg("--static")
            .arg(&dist)
            .args(["--listen", &format!("127.0.0.1:{}", args.port)])
            .current_dir(root),
    )
}
