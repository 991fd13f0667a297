//! Which test targets each suite builds and runs, read from `cargo metadata`, as
//! cargo's target flags.
//!
//! Every native command selects the same packages, [`WORKSPACE`]: the whole workspace
//! but the bench, which the tests never compile (neither its code nor its
//! dependencies). They narrow it by target, never by package: cargo unifies dependency
//! features over the packages a command selects, so a `--exclude` or `-p` of one
//! command alone would resolve other features (the app's leptos changes
//! `proc-macro2`'s, hence every derive macro and everything built with one) and build
//! the server's dependencies a second time. The same holds for the wasm commands,
//! which all select the app.

use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::bench::BENCH;
use crate::process::cargo;

/// The app's package: its integration tests are browser tests, but for [`END_TO_END`].
pub const APP: &str = "seedream-studio";
/// The contract's package: its integration tests also run compiled to wasm32.
pub const CONTRACT: &str = "seedream-contract";
/// The app's end-to-end tests: native, against the release build in `dist/`.
pub const END_TO_END: &str = "e2e";
/// What every native command selects: the workspace without the bench.
pub const WORKSPACE: [&str; 3] = ["--workspace", "--exclude", BENCH];

/// Cargo's target flags for each suite.
#[derive(Debug, PartialEq)]
pub struct Targets {
    /// Every library's unit tests (the app's pure modules among them), and every other
    /// package's binaries and integration tests.
    pub native: Vec<String>,
    /// The contract's integration tests, for wasm32.
    pub contract_wasm: Vec<String>,
    /// The app's integration tests but the end-to-end ones, for wasm32 in a browser.
    /// Not the library's unit tests: they are native only (`cfg(not(target_arch =
    /// "wasm32"))`), so in wasm they would compile the whole app again to run nothing.
    pub browser: Vec<String>,
}

impl Targets {
    /// Reads the workspace's targets with `cargo metadata`.
    pub fn of_workspace(root: &Path) -> Result<Targets> {
        let out = cargo()
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(root)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .context("could not start `cargo metadata`")?;
        if !out.status.success() {
            bail!("`cargo metadata` failed ({})", out.status);
        }
        let metadata: Value =
            serde_json::from_slice(&out.stdout).context("`cargo metadata` printed no JSON")?;
        Targets::from_metadata(&metadata)
    }

    fn from_metadata(metadata: &Value) -> Result<Targets> {
        let mut targets = Targets {
            native: vec!["--lib".to_owned()],
            contract_wasm: Vec::new(),
            browser: Vec::new(),
        };
        let packages = metadata["packages"]
            .as_array()
            .context("`cargo metadata` listed no packages")?;
        for package in packages {
            let package_name = package["name"].as_str().unwrap_or_default();
            if package_name == BENCH {
                continue;
            }
            for target in package["targets"].as_array().into_iter().flatten() {
                // `test = false` in a manifest: not run by `cargo test` (the big submit).
                if target["test"] != Value::Bool(true) {
                    continue;
                }
                let name = target["name"].as_str().unwrap_or_default();
                let kinds = target["kind"].as_array().into_iter().flatten();
                let kinds: Vec<&str> = kinds.filter_map(Value::as_str).collect();
                let flag = if kinds.contains(&"bin") {
                    "--bin"
                } else if kinds.contains(&"test") {
                    "--test"
                } else {
                    continue;
                };
                let pair = [flag.to_owned(), name.to_owned()];
                match package_name {
                    APP if flag == "--test" && name != END_TO_END => {
                        targets.browser.extend(pair);
                    }
                    // The app's binary only mounts it; the end-to-end tests need dist/.
                    APP => {}
                    CONTRACT if flag == "--test" => {
                        targets.native.extend(pair.clone());
                        targets.contract_wasm.extend(pair);
                    }
                    _ => targets.native.extend(pair),
                }
            }
        }
        if targets.browser.is_empty() || targets.contract_wasm.is_empty() {
            bail!("`cargo metadata` listed no browser tests of {APP} or no tests of {CONTRACT}");
        }
        Ok(targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(kind: &str, name: &str, test: bool) -> Value {
        json!({"kind": [kind], "name": name, "test": test})
    }

    #[test]
    fn selects_by_target_and_keeps_browser_and_end_to_end_tests_apart_and_the_bench_out() {
        let metadata = json!({"packages": [
            {"name": "seedream-contract", "targets": [
                target("lib", "seedream_contract", true),
                target("test", "contract", true),
            ]},
            {"name": "seedream-server", "targets": [
                target("lib", "seedream_server", true),
                target("bin", "seedream-server", true),
                target("test", "proxy", true),
            ]},
            {"name": "seedream-bench", "targets": [
                target("bin", "seedream-bench", true),
            ]},
            {"name": "seedream-studio", "targets": [
                target("lib", "seedream_studio", true),
                target("bin", "seedream-studio", false),
                target("test", "browser", true),
                target("test", "big_submit", false),
                target("test", "e2e", true),
                target("custom-build", "build-script-build", false),
            ]},
        ]});
        let args = |list: &[&str]| list.iter().map(|arg| arg.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Targets::from_metadata(&metadata).unwrap(),
            Targets {
                native: args(&[
                    "--lib",
                    "--test",
                    "contract",
                    "--bin",
                    "seedream-server",
                    "--test",
                    "proxy"
                ]),
                contract_wasm: args(&["--test", "contract"]),
                browser: args(&["--test", "browser"]),
            }
        );
    }

    #[test]
    fn a_workspace_without_browser_tests_is_refused() {
        let metadata = json!({"packages": [{"name": "seedream-contract", "targets": [
            target("test", "contract", true),
        ]}]});
        assert!(Targets::from_metadata(&metadata).is_err());
    }
}
