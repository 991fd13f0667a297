//! `cargo xtask test`: every test of the project, in the order that fails fastest:
//! native, then the app's wasm tests in headless Chromium, then the end-to-end tests
//! (the release build, as `cargo xtask dist` makes it, driven through ChromeDriver).
//! Right after that release build, the first load's gzip-compressed size is checked
//! against its budget (`bench::check_first_load_budget`): deterministic, unlike the
//! bench's timings, so it can fail the run.
//!
//! Each suite's output streams through unchanged; the `test result:` lines are also
//! added up so the run ends with one total line.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::bench;
use crate::bootstrap::{self, CHROMEDRIVER, CHROMIUM, Toolchain, cargo};
use crate::build;
use crate::locales;
use crate::process::{describe, path_with};

pub fn run(root: &Path) -> Result<()> {
    let tools = bootstrap::build_tools(root)?;
    bootstrap::browser()?;

    let suites = [
        Suite {
            name: "native tests",
            prepare: None,
            check: Some(Check {
                name: "translations (every key in every language)",
                run: Box::new(|| locales::check(root)),
            }),
            command: native(root),
        },
        Suite {
            name: "browser tests (wasm-bindgen-test in headless Chromium)",
            prepare: None,
            check: None,
            command: in_browser(root, &tools)?,
        },
        Suite {
            name: "end-to-end tests (WebDriver, release build)",
            // The release build into dist/, exactly as `cargo xtask dist` makes it.
            prepare: Some(Box::new(|| build::release(root, &tools).map(drop))),
            check: Some(Check {
                name: "first-load size budget (gzip)",
                run: Box::new(|| bench::check_first_load_budget(&root.join("dist"))),
            }),
            command: end_to_end(root),
        },
    ];

    let mut total = Tally::default();
    let mut broken = Vec::new();
    for mut suite in suites {
        if let Some(prepare) = suite.prepare.take() {
            eprintln!("\nxtask: {}: building first", suite.name);
            if let Err(err) = prepare() {
                eprintln!("xtask: {}: the build failed: {err:#}", suite.name);
                broken.push(suite.name);
                continue;
            }
        }
        if let Some(check) = suite.check.take() {
            match (check.run)() {
                Ok(verdict) => println!("xtask: {}: ok: {verdict}", check.name),
                Err(err) => {
                    println!("xtask: {}: FAILED: {err:#}", check.name);
                    broken.push(check.name);
                }
            }
        }
        eprintln!("\nxtask: {} — {}", suite.name, describe(&suite.command));
        let (tally, success) = run_counting(&mut suite.command)?;
        total.add(&tally);
        if !success {
            broken.push(suite.name);
        }
    }

    let _ = std::fs::remove_dir_all(browser_temp(root));

    println!();
    for name in &broken {
        println!("xtask: FAILED: {name}");
    }
    // A suite that failed without a failing test (a build error) or a failed check
    // still counts as a failure.
    let failed = total.failed
        + if total.failed == 0 {
            broken.len() as u64
        } else {
            0
        };
    println!(
        "total: {} passed, {} failed, {} skipped",
        total.passed, failed, total.ignored
    );
    if !broken.is_empty() {
        bail!("{} test suite(s) or check(s) failed", broken.len());
    }
    Ok(())
}

struct Suite<'a> {
    name: &'static str,
    /// What must be built before the command runs (and that the command does not
    /// build itself); a failure here fails the suite.
    prepare: Option<Box<dyn FnOnce() -> Result<()> + 'a>>,
    /// A check run before the command (after `prepare`, of what it built, where there
    /// is one). Its failure is its own (reported under its name); the command runs all
    /// the same.
    check: Option<Check<'a>>,
    command: Command,
}

struct Check<'a> {
    name: &'static str,
    /// A line saying what passed, or an error saying what failed.
    run: Box<dyn FnOnce() -> Result<String> + 'a>,
}

/// Native tests of every crate but the app, whose tests need a browser.
fn native(root: &Path) -> Command {
    let mut cmd = Command::new(cargo());
    cmd.args(["test", "--workspace", "--exclude", "seedream-studio"])
        .current_dir(root);
    cmd
}

/// The app's and the contract's tests compiled to wasm and run by
/// wasm-bindgen-test-runner (the cargo runner set in `.cargo/config.toml`).
fn in_browser(root: &Path, tools: &Toolchain) -> Result<Command> {
    let dirs: Vec<&Path> = tools.bin_dirs.iter().map(PathBuf::as_path).collect();
    let temp = browser_temp(root);
    std::fs::create_dir_all(&temp).with_context(|| format!("creating {}", temp.display()))?;
    let mut cmd = Command::new(cargo());
    cmd.args([
        "test",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "seedream-studio",
        "--package",
        "seedream-contract",
    ])
    .current_dir(root)
    .env("PATH", path_with(&dirs)?)
    .env("CHROMEDRIVER", CHROMEDRIVER)
    // Each test binary starts a Chromium whose profile folder stays behind in the
    // temp dir: here, inside target/, removed after the run, rather than in /tmp
    // where hundreds of them filled the disk.
    .env("TMPDIR", &temp)
    // Chromium flags that keep it from reaching for the network, which is closed here.
    .env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        root.join("tests").join("webdriver.json"),
    );
    Ok(cmd)
}

/// Where the wasm tests' browsers keep their profiles.
fn browser_temp(root: &Path) -> PathBuf {
    root.join("target").join("tmp").join("wasm-chromium")
}

/// The end-to-end tests (`tests/e2e.rs`), natively, against the release build in
/// `dist/`. One test at a time: each starts a browser, and two cores are not enough
/// for several at once without making their timings flaky.
fn end_to_end(root: &Path) -> Command {
    let mut cmd = Command::new(cargo());
    cmd.args([
        "test",
        "--package",
        "seedream-studio",
        "--test",
        "e2e",
        "--",
        "--test-threads=1",
    ])
    .current_dir(root)
    .env("CHROMEDRIVER", CHROMEDRIVER)
    .env("CHROMIUM", CHROMIUM);
    cmd
}

/// What the `test result:` lines of a run add up to.
#[derive(Default, Debug, PartialEq)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }

    /// Reads a libtest (or wasm-bindgen-test) summary such as
    /// `test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; ...`.
    fn parse(line: &str) -> Option<Tally> {
        let rest = line.trim().strip_prefix("test result: ")?;
        let mut tally = Tally::default();
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => tally.passed = count,
                "failed" => tally.failed = count,
                "ignored" => tally.ignored = count,
                _ => {}
            }
        }
        Some(tally)
    }
}

/// Runs `cmd`, echoing its standard output while adding up its test summaries.
fn run_counting(cmd: &mut Command) -> Result<(Tally, bool)> {
    let shown = describe(cmd);
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{shown}`"))?;
    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(found) = Tally::parse(&line) {
                tally.add(&found);
            }
        }
    }
    let status = child.wait()?;
    Ok((tally, status.success()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libtest_summaries() {
        let line = "test result: FAILED. 12 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.31s";
        assert_eq!(
            Tally::parse(line),
            Some(Tally {
                passed: 12,
                failed: 2,
                ignored: 1
            })
        );
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(Tally::parse("running 3 tests"), None);
        assert_eq!(Tally::parse("test size::parses ... ok"), None);
    }
}
