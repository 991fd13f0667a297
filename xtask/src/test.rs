//! `cargo xtask test`: every test of the project, in the order that fails fastest:
//! native (every crate's tests, the app's pure modules among them); the contract's
//! tests compiled to wasm32, in Node; then the app's wasm tests, in headless Chromium,
//! then in headless Firefox, each browser starting with the big-submit memory test
//! (`tests/big_submit.rs`) against a mock of its own ([`mock`]); then the end-to-end
//! tests (the release build, as `cargo xtask dist` makes it, driven through
//! WebDriver): all of them in Chromium, the edit flow and the big edit in Firefox.
//! Right after that release build, the first load's gzip-compressed size is checked
//! against its budget ([`budget`]): deterministic, unlike the bench's timings, so it
//! can fail the run.
//!
//! Each thing is compiled once: the native commands all select the workspace but the
//! bench (`seedream-bench`, never compiled here) and the wasm ones all the app, so
//! cargo resolves the same features for each and reuses one build ([`targets`] says
//! why); the big submit's mock is the server the native tests built.
//!
//! Each suite's output streams through unchanged; the `test result:` lines are also
//! added up so the run ends with one total line.

mod browser;
mod mock;
mod tally;
mod targets;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::bootstrap::{self, Toolchain};
use crate::process::{cargo, describe, output_of, path_with};
use crate::{budget, build};
use browser::Browser;
use mock::TestMock;
use tally::{Tally, run_counting};
use targets::{APP, CONTRACT, END_TO_END, Targets, WORKSPACE};

/// The end-to-end tests that also run in Firefox (libtest filters): the edit flow,
/// the big edit of fourteen large images, and an edit kept in the browser (its
/// IndexedDB and blob URLs are the browser's own). The rest stay Chromium only, to
/// keep the run's time in bounds.
const FIREFOX_END_TO_END: [&str; 3] = ["flow::", "big_edit", "archive::"];

/// Longest the big-submit wasm test may run in the browser, in seconds (the runner's
/// default, 20, is for small binaries): it builds and sends 190 MB.
const BIG_SUBMIT_TIMEOUT_S: &str = "300";

pub fn run(root: &Path) -> Result<()> {
    let run_started = Instant::now();
    let tools = bootstrap::build_tools(root)?;
    bootstrap::browser()?;
    let axe_core = bootstrap::axe_core(root)?;
    let firefox = Browser::Firefox {
        geckodriver: bootstrap::firefox()?,
    };
    require_node()?;
    let chromium = Browser::Chromium;
    let targets = Targets::of_workspace(root)?;
    let dist_built = Cell::new(false);

    let suites = [
        Suite {
            name: "native tests (every crate; the app's pure modules; the source checks)",
            prepare: None,
            check: None,
            commands: vec![native(root, &targets), doc_tests(root)],
        },
        Suite {
            name: "the contract's tests compiled to wasm32 (wasm-bindgen-test in Node)",
            prepare: None,
            check: None,
            commands: vec![contract_in_wasm(root, &tools, &targets)?],
        },
        Suite {
            name: "big submit (wasm-bindgen-test in headless Chromium, with its own mock)",
            prepare: Some(Box::new(|| TestMock::start(root, &targets).map(Some))),
            check: None,
            commands: vec![big_submit(root, &tools, &chromium)?],
        },
        Suite {
            name: "browser tests (wasm-bindgen-test in headless Chromium)",
            prepare: None,
            check: None,
            commands: vec![in_browser(root, &tools, &chromium, &targets)?],
        },
        Suite {
            name: "big submit (wasm-bindgen-test in headless Firefox, with its own mock)",
            prepare: Some(Box::new(|| TestMock::start(root, &targets).map(Some))),
            check: None,
            commands: vec![big_submit(root, &tools, &firefox)?],
        },
        Suite {
            name: "browser tests (wasm-bindgen-test in headless Firefox)",
            prepare: None,
            check: None,
            commands: vec![in_browser(root, &tools, &firefox, &targets)?],
        },
        Suite {
            name: "end-to-end tests (WebDriver, release build, Chromium)",
            // The release build into dist/, exactly as `cargo xtask dist` makes it.
            prepare: Some(Box::new(|| {
                build::release(root, &tools)?;
                dist_built.set(true);
                Ok(None)
            })),
            check: Some(Check {
                name: "first-load size budget (gzip)",
                run: Box::new(|| budget::check(&root.join("dist"))),
            }),
            commands: vec![end_to_end(root, &chromium, &[], &axe_core)],
        },
        Suite {
            name: "end-to-end tests (WebDriver, release build, Firefox: edit flow, big edit, kept edit)",
            // The release build the Chromium suite made; never an older dist/.
            prepare: Some(Box::new(|| {
                if !dist_built.get() {
                    bail!("the release build failed (see the Chromium suite)");
                }
                Ok(None)
            })),
            check: None,
            commands: vec![end_to_end(root, &firefox, &FIREFOX_END_TO_END, &axe_core)],
        },
    ];

    let mut total = Tally::default();
    let mut broken = Vec::new();
    let mut times = Vec::new();
    for mut suite in suites {
        let started = Instant::now();
        // What the preparation started (a mock) lives until the suite's command ends.
        let mut _running = None;
        if let Some(prepare) = suite.prepare.take() {
            eprintln!("\nxtask: {}: preparing", suite.name);
            match prepare() {
                Ok(started) => _running = started,
                Err(err) => {
                    eprintln!("xtask: {}: the preparation failed: {err:#}", suite.name);
                    broken.push(suite.name);
                    times.push((suite.name, started.elapsed(), Tally::default()));
                    continue;
                }
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
        let mut tally = Tally::default();
        let mut success = true;
        for command in &mut suite.commands {
            eprintln!("\nxtask: {} — {}", suite.name, describe(command));
            let (counted, succeeded) = run_counting(command)?;
            tally.add(&counted);
            success &= succeeded;
        }
        total.add(&tally);
        if !success {
            broken.push(suite.name);
        }
        times.push((suite.name, started.elapsed(), tally));
    }

    for browser in [&chromium, &firefox] {
        let _ = std::fs::remove_dir_all(browser_temp(root, browser));
    }

    // Each suite's time includes what it builds and starts, so a slow build shows
    // against the suite that pays for it.
    println!();
    for (name, took, tally) in &times {
        println!(
            "xtask: {:>6.1} s  {:>4} passed  {name}",
            took.as_secs_f64(),
            tally.passed
        );
    }
    println!(
        "xtask: {:>6.1} s  in all (tools checked before the first suite included)",
        run_started.elapsed().as_secs_f64()
    );
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
    /// What must be built or started before the command runs (and that the command
    /// does not do itself); a failure here fails the suite. What it returns (the
    /// big-submit test's mock) is stopped once the command has ended.
    prepare: Option<Box<dyn FnOnce() -> Result<Option<TestMock>> + 'a>>,
    /// A check run before the command (after `prepare`, of what it built, where there
    /// is one). Its failure is its own (reported under its name); the command runs all
    /// the same.
    check: Option<Check<'a>>,
    /// Run one after the other, each even when one before failed.
    commands: Vec<Command>,
}

struct Check<'a> {
    name: &'static str,
    /// A line saying what passed, or an error saying what failed.
    run: Box<dyn FnOnce() -> Result<String> + 'a>,
}

/// The native tests: every crate's unit tests (the app's pure modules among them),
/// and every integration test but the app's (browser and end-to-end tests). Every
/// binary runs even after one fails, so a run shows all failures at once.
fn native(root: &Path, targets: &Targets) -> Command {
    let mut cmd = cargo();
    cmd.arg("test")
        .args(WORKSPACE)
        .arg("--no-fail-fast")
        .args(&targets.native)
        .current_dir(root);
    cmd
}

/// The doc tests, which cargo runs only apart from other targets (`--doc`); the
/// packages the native tests select, so it reuses their build.
fn doc_tests(root: &Path) -> Command {
    let mut cmd = cargo();
    cmd.arg("test")
        .args(WORKSPACE)
        .arg("--doc")
        .current_dir(root);
    cmd
}

/// Node.js runs the contract's wasm tests (wasm-bindgen-test-runner's default).
fn require_node() -> Result<()> {
    if output_of("node", &["--version"]).is_none() {
        bail!(
            "the contract's wasm tests run in Node.js, which is not on PATH: install it \
             (Debian: apt-get install -y nodejs; npm, which installs wasm-opt, comes with it)"
        );
    }
    Ok(())
}

/// `cargo test` of wasm test binaries, run by wasm-bindgen-test-runner (the cargo
/// runner set in `.cargo/config.toml`) in `browser`.
fn wasm_tests(root: &Path, tools: &Toolchain, browser: &Browser) -> Result<Command> {
    let dirs: Vec<&Path> = tools.bin_dirs.iter().map(PathBuf::as_path).collect();
    let temp = browser_temp(root, browser);
    std::fs::create_dir_all(&temp).with_context(|| format!("creating {}", temp.display()))?;
    let mut cmd = cargo();
    cmd.args(["test", "--target", "wasm32-unknown-unknown"])
        .current_dir(root)
        .env("PATH", path_with(&dirs)?)
        // Each test binary starts a browser whose profile folder stays behind in the
        // temp dir: here, inside target/, removed after the run, rather than in /tmp
        // where hundreds of them filled the disk.
        .env("TMPDIR", &temp);
    browser.for_wasm_runner(&mut cmd, root);
    Ok(cmd)
}

/// The contract's integration tests compiled to wasm32, where `usize` is 32 bits as in
/// the app, run once in Node: they need no browser (`run_in_browser` is not set), and
/// the runner picks Node whatever driver is set. The app is selected too, only so
/// that cargo resolves the features of the app's wasm tests and shares their build.
fn contract_in_wasm(root: &Path, tools: &Toolchain, targets: &Targets) -> Result<Command> {
    let dirs: Vec<&Path> = tools.bin_dirs.iter().map(PathBuf::as_path).collect();
    let mut cmd = cargo();
    cmd.args(["test", "--target", "wasm32-unknown-unknown"])
        .args(["--package", APP, "--package", CONTRACT])
        .args(&targets.contract_wasm)
        .current_dir(root)
        .env("PATH", path_with(&dirs)?)
        .env_remove("WASM_BINDGEN_USE_BROWSER");
    Ok(cmd)
}

/// The app's wasm tests, all but the big submit (`test = false` in Cargo.toml keeps it
/// out) and the end-to-end tests (native). Every binary runs even after one fails, so
/// a run shows all of a browser's failures at once.
fn in_browser(
    root: &Path,
    tools: &Toolchain,
    browser: &Browser,
    targets: &Targets,
) -> Result<Command> {
    let mut cmd = wasm_tests(root, tools, browser)?;
    cmd.args(["--package", APP])
        .args(&targets.browser)
        .arg("--no-fail-fast");
    Ok(cmd)
}

/// The big-submit test, against the mock [`TestMock`] starts: compiled with the mock's
/// origin (`SEEDREAM_TEST_MOCK`), its page served on the origin the mock allows.
fn big_submit(root: &Path, tools: &Toolchain, browser: &Browser) -> Result<Command> {
    let mut cmd = wasm_tests(root, tools, browser)?;
    cmd.args(["--package", APP, "--test", "big_submit"])
        .env("SEEDREAM_TEST_MOCK", mock::mock_origin())
        .env("WASM_BINDGEN_TEST_ADDRESS", mock::runner_address())
        .env("WASM_BINDGEN_TEST_TIMEOUT", BIG_SUBMIT_TIMEOUT_S);
    Ok(cmd)
}

/// Where the wasm tests' browsers keep their profiles.
fn browser_temp(root: &Path, browser: &Browser) -> PathBuf {
    root.join("target")
        .join("tmp")
        .join(format!("wasm-{}", browser.name()))
}

/// The end-to-end tests (`tests/e2e.rs`), natively, against the release build in
/// `dist/`, in `browser`, those whose names contain one of `filters` (all without
/// any). One test at a time: each starts a browser, and two cores are not enough for
/// several at once without making their timings flaky. The native tests' packages
/// are selected, so their build is reused (see [`targets`]). `axe_core` is the
/// accessibility test's `axe.min.js`.
fn end_to_end(root: &Path, browser: &Browser, filters: &[&str], axe_core: &Path) -> Command {
    let mut cmd = cargo();
    cmd.arg("test")
        .args(WORKSPACE)
        .args(["--test", END_TO_END, "--"])
        .arg("--test-threads=1")
        .args(filters)
        .current_dir(root)
        .env(bootstrap::AXE_CORE_ENV, axe_core);
    browser.for_end_to_end(&mut cmd);
    cmd
}
