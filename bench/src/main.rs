//! The bench behind `cargo xtask bench`: the figures that say whether the studio is
//! light and quick enough, measured on this machine against a baseline measured in the
//! same run, as one table (Markdown). Timings are printed, never asserted: they depend
//! on the machine. `docs/performance.md` says what each row means.
//!
//! It installs and builds nothing itself. `cargo xtask bench [flags]` first asks it
//! what the parts asked for need (`--print-needs`: the app's build, the server's
//! release build, the browser, Lighthouse, wrk, nginx), installs and builds only that,
//! then runs it with their paths (the flags under "Paths") and the user's flags as
//! they were given. The flags are defined in [`cli`] alone.
//!
//! The app's build is served with the mock API from this process (a second server
//! serves the time to ready's baseline page, a third a copy of the build with the keep
//! row's plain page beside it, [`keep`], a fourth another copy with the export and
//! import rows' plain pages, [`carry`], a fifth the app alone for a batch against the
//! mock at its default task time, [`batch`]) and driven in headless Chromium through
//! ChromeDriver, as the end-to-end tests do ([`in_browser`]). The intake and submit
//! rows ([`inputs`]) and the proxy rows (under load from wrk, [`proxy`]) run the
//! release build of the server as child processes instead; the Lighthouse rows
//! ([`lighthouse`]) run Lighthouse's own command on the app's server.
//!
//! One subcommand is no measurement and never runs with the parts:
//! `seedream-bench screenshots` (`cargo xtask screenshots`) saves PNGs of the studio in
//! each of its states ([`screenshots`]), driven the same way.
//!
//! Its unit tests are not among `cargo xtask test`'s, which never compiles the bench:
//! run them with `cargo test -p seedream-bench`.

mod batch;
mod big_submit;
mod browser;
mod bytes;
mod carry;
mod child;
mod cli;
mod gallery;
mod http;
mod in_browser;
mod inputs;
mod keep;
mod lighthouse;
mod nginx;
mod polling;
mod proxy;
mod ready;
mod report;
mod rows;
mod screenshots;
mod slow;
mod wrk;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser as _;
use serde_json::json;

use cli::{BenchArgs, Cli, Mode, Need, Part, Paths};
use report::Row;

fn main() -> Result<()> {
    let Cli {
        args,
        paths,
        print_needs,
        mode,
    } = Cli::parse();
    // Checked before anything is built for the run.
    let task_lengths = args.task_lengths()?;
    let needs = mode.as_ref().map_or_else(|| args.needs(), Mode::needs);
    if print_needs {
        let flags: Vec<&str> = needs.iter().map(|need| need.flag()).collect();
        println!("{}", json!({ "needs": flags }));
        return Ok(());
    }
    for need in needs {
        paths.get(need)?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    match &mode {
        Some(Mode::Screenshots(shots)) => runtime.block_on(screenshots::run(shots, &paths)),
        None => runtime.block_on(run(&args, &paths, &task_lengths)),
    }
}

async fn run(args: &BenchArgs, paths: &Paths, task_lengths: &[u64]) -> Result<()> {
    let mut rows: Vec<Row> = Vec::new();
    if args.wants(Part::Bytes) {
        let files = seedream_first_load::first_load(paths.get(Need::Dist)?)?;
        rows.extend(rows::first_load(&files));
    }
    if args.wants_browser() {
        let measured = in_browser::measure(args, paths, task_lengths).await?;
        if args.wants(Part::Ready) {
            rows.extend(rows::ready(&measured.app, &measured.baseline));
        }
        if args.wants(Part::Slow) {
            rows.extend(rows::slow(measured.slow.as_ref()));
        }
        rows.extend(rows::polling(&measured.tasks));
        if args.wants(Part::Keep) {
            rows.extend(rows::keep(&measured.keep));
        }
        if args.wants(Part::Gallery) {
            rows.extend(rows::gallery(&measured.gallery));
        }
        if args.wants(Part::Inputs) {
            rows.extend(rows::inputs(&measured.inputs));
        }
        if args.wants(Part::Carry) {
            rows.extend(rows::carry(&measured.carry));
        }
        if args.wants(Part::Batch) {
            rows.extend(batch::rows(measured.batch.as_ref()));
        }
        if args.wants(Part::Lighthouse) {
            rows.extend(lighthouse::rows(&measured.lighthouse));
        }
    }
    if args.wants(Part::Proxy) {
        let tools = proxy::Tools {
            server: paths.get(Need::Server)?,
            wrk: paths.get(Need::Wrk)?,
            nginx: paths.get(Need::Nginx)?,
        };
        let measured =
            proxy::measure(&tools, &work_dir(), args.proxy_seconds, args.proxy_runs).await?;
        rows.extend(proxy::rows(&measured));
    }

    println!("\n{}\n", machine(paths.chromium.as_deref()));
    print!("{}", report::table(&rows));
    Ok(())
}

/// The repository: the bench is a tool of this workspace, built in place.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_owned(), Path::to_owned)
}

/// Where the bench keeps its files: pages, fixtures, profiles, reports.
fn work_dir() -> PathBuf {
    project_root().join("target").join("bench")
}

/// The machine the figures come from: cores, memory, and the browser when one ran.
fn machine(chromium: Option<&Path>) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib / 1024.0 / 1024.0)
        });
    let memory = memory_gb.map_or_else(|| "? GB".to_owned(), |gb| format!("{gb:.0} GB"));
    match chromium {
        Some(chromium) => {
            let browser = seedream_run::output_of(chromium, &["--version"])
                .unwrap_or_else(|| "Chromium (version unknown)".to_owned());
            format!("machine: {cores} cores, {memory} memory, {browser}")
        }
        None => format!("machine: {cores} cores, {memory} memory"),
    }
}
