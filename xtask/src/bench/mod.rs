//! `cargo xtask bench`: the figures that say whether the studio is light and quick
//! enough, measured on this machine against a baseline measured in the same run, as
//! one table (Markdown). Timings are printed, never asserted: they depend on the
//! machine. See the README's "Performance" section for what each row means.
//!
//! It builds `dist/` as `cargo xtask dist` does, serves it with the mock API from this
//! process (a second server serves the baseline page from a temporary directory), and
//! drives headless Chromium through ChromeDriver, as the end-to-end tests do. The
//! intake and submit rows ([`inputs`]) and the proxy rows (under load from wrk,
//! [`proxy`]) run the release build of the server as child processes instead; the
//! Lighthouse rows ([`lighthouse`]) run Lighthouse's own command on the app's server.
//! `--only` picks some parts; the others are skipped, build included.

mod big_submit;
mod browser;
mod bytes;
mod child;
mod gallery;
mod inputs;
mod lighthouse;
mod nginx;
mod polling;
mod proxy;
mod ready;
mod report;
mod rows;
mod wrk;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser as _, ValueEnum};
use seedream_server::{Config, Running};

use crate::bootstrap::{self, CHROMEDRIVER, CHROMIUM};
use crate::build;
use crate::process::output_of;
use browser::ChromeDriver;
use report::Row;

#[derive(Args)]
pub struct BenchArgs {
    /// Measure only these parts (comma-separated), e.g. `--only proxy,polling`.
    #[arg(long, value_delimiter = ',')]
    only: Vec<Part>,
    /// Measured loads of each page (app and baseline) for the time to ready.
    #[arg(long, default_value_t = 15)]
    loads: usize,
    /// The task lengths, in seconds, followed for the polling cost, e.g. `--tasks 5,30`.
    /// Each is run as `--spread` tasks around it (repeat a length for more).
    #[arg(long, value_delimiter = ',', default_values_t = [5, 30])]
    tasks: Vec<u64>,
    /// Tasks per length, their lengths spread evenly over one 4 s poll interval
    /// centred on it; the delay reported is their mean. 1 runs the length itself.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    spread: u16,
    /// Loads of the long seeded history for the gallery scale.
    #[arg(long, default_value_t = 5)]
    gallery_loads: usize,
    /// Runs of the intake and submit of 14 large images: each a fresh load of the app
    /// and of each baseline page.
    #[arg(long, default_value_t = 3)]
    input_runs: usize,
    /// Lighthouse runs (mobile profile) whose medians are reported.
    #[arg(long, default_value_t = 3)]
    lighthouse_runs: usize,
    /// Seconds of each wrk run for the proxy overhead.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u64).range(1..))]
    proxy_seconds: u64,
    /// wrk runs of each side (straight to the mock, through the proxy).
    #[arg(long, default_value_t = 3)]
    proxy_runs: usize,
}

/// The parts of the bench, in the table's order.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// First-load bytes of `dist/` (needs the build, not the browser).
    Bytes,
    /// Time to ready and the bytes on the wire.
    Ready,
    /// Polling cost: task queries and result delay.
    Polling,
    /// Gallery scale.
    Gallery,
    /// Intake and submit of 14 large images.
    Inputs,
    /// Lighthouse's mobile audit of a first visit.
    Lighthouse,
    /// Proxy overhead (needs neither the app's build nor the browser).
    Proxy,
}

impl BenchArgs {
    fn wants(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }

    /// Parts driven through ChromeDriver.
    fn wants_driver(&self) -> bool {
        [Part::Ready, Part::Polling, Part::Gallery, Part::Inputs]
            .into_iter()
            .any(|part| self.wants(part))
    }

    /// Parts that load the app in a browser (Lighthouse drives its own).
    fn wants_browser(&self) -> bool {
        self.wants_driver() || self.wants(Part::Lighthouse)
    }

    /// Every task's length in ms, after checking each lasts at least the mock's queue.
    fn task_lengths(&self) -> Result<Vec<u64>> {
        let nominal: Vec<u64> = self.tasks.iter().map(|s| s.saturating_mul(1000)).collect();
        let spread = usize::from(self.spread);
        let shortest = nominal
            .iter()
            .flat_map(|&ms| polling::spread_lengths(ms, spread, polling::POLL_INTERVAL_MS))
            .min();
        if shortest.is_some_and(|ms| ms < polling::QUEUE_MS) {
            bail!(
                "every task lasts at least the mock's queue time, {} ms, and with --spread {} \
                 the shortest task is {} ms shorter than its length: raise --tasks",
                polling::QUEUE_MS,
                self.spread,
                polling::POLL_INTERVAL_MS / 2 - polling::POLL_INTERVAL_MS / (2 * spread as u64)
            );
        }
        Ok(nominal)
    }
}

pub fn run(root: &Path, args: &BenchArgs) -> Result<()> {
    let task_lengths = args.task_lengths()?;
    let mut rows: Vec<Row> = Vec::new();
    if args.wants(Part::Bytes) || args.wants_browser() {
        let tools = bootstrap::build_tools(root)?;
        let dist = build::release(root, &tools)?;
        if args.wants(Part::Bytes) {
            rows.extend(rows::first_load(&seedream_first_load::first_load(&dist)?));
        }
        if args.wants_browser() {
            bootstrap::browser()?;
            let server_bin = if args.wants(Part::Inputs) {
                Some(child::server_binary(root)?)
            } else {
                None
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            let measured = runtime.block_on(measure(
                root,
                &dist,
                server_bin.as_deref(),
                args,
                &task_lengths,
            ))?;
            if args.wants(Part::Ready) {
                rows.extend(rows::ready(&measured.app, &measured.baseline));
            }
            rows.extend(rows::polling(&measured.tasks));
            if args.wants(Part::Gallery) {
                rows.extend(rows::gallery(&measured.gallery));
            }
            if args.wants(Part::Inputs) {
                rows.extend(rows::inputs(&measured.inputs));
            }
            if args.wants(Part::Lighthouse) {
                rows.extend(lighthouse::rows(&measured.lighthouse));
            }
        }
    }
    if args.wants(Part::Proxy) {
        let measured = proxy::measure(root, args.proxy_seconds, args.proxy_runs)?;
        rows.extend(proxy::rows(&measured));
    }

    println!("\n{}\n", machine());
    print!("{}", report::table(&rows));
    Ok(())
}

/// What the browser part measured (empty for the parts not asked for).
#[derive(Default)]
struct Measured {
    app: Vec<ready::Load>,
    baseline: Vec<ready::Load>,
    tasks: Vec<polling::TaskRun>,
    gallery: Vec<gallery::GalleryLoad>,
    inputs: Vec<inputs::InputRun>,
    lighthouse: Vec<lighthouse::Audit>,
}

/// The browser part; `server_bin`, the server's release build, serves the intake and
/// submit runs when they are asked for.
async fn measure(
    root: &Path,
    dist: &Path,
    server_bin: Option<&Path>,
    args: &BenchArgs,
    task_lengths: &[u64],
) -> Result<Measured> {
    let work = root.join("target").join("bench");
    let baseline_dir = ready::write_baseline(work.join("baseline"))?;
    inputs::write_baseline_pages(&baseline_dir)?;
    let input_servers = match server_bin {
        Some(bin) => {
            let (bin, dist, dir) = (bin.to_owned(), dist.to_owned(), baseline_dir.clone());
            let start = move || inputs::Servers::start(&bin, &dist, &dir);
            Some(tokio::task::spawn_blocking(start).await??)
        }
        None => None,
    };
    let app_server = start_server(dist, &["--queue-time", "1s", "--processing-time", "4s"]).await?;
    let baseline_server = match start_server(&baseline_dir, &[]).await {
        Ok(server) => server,
        Err(err) => {
            let _ = app_server.stop().await;
            return Err(err);
        }
    };
    let mut outcome = if args.wants_driver() {
        in_browser(
            root,
            &work,
            &app_server,
            &baseline_server,
            input_servers.as_ref(),
            args,
            task_lengths,
        )
        .await
    } else {
        Ok(Measured::default())
    };
    if let Ok(measured) = &mut outcome
        && args.wants(Part::Lighthouse)
    {
        let (root, chromium, url, dir) = (
            root.to_owned(),
            env_path("CHROMIUM", CHROMIUM),
            app_server.url("/"),
            work.join("lighthouse"),
        );
        let runs = args.lighthouse_runs;
        let audits = tokio::task::spawn_blocking(move || {
            let script = bootstrap::lighthouse(&root)?;
            lighthouse::audit(&script, &chromium, &url, &dir, runs)
        })
        .await;
        match audits {
            Ok(Ok(audits)) => measured.lighthouse = audits,
            Ok(Err(err)) => outcome = Err(err),
            Err(err) => outcome = Err(err.into()),
        }
    }
    let _ = app_server.stop().await;
    let _ = baseline_server.stop().await;
    outcome
}

async fn in_browser(
    root: &Path,
    work: &Path,
    app: &Running,
    baseline: &Running,
    input_servers: Option<&inputs::Servers>,
    args: &BenchArgs,
    task_lengths: &[u64],
) -> Result<Measured> {
    let chromedriver = env_path("CHROMEDRIVER", CHROMEDRIVER);
    let chromium = env_path("CHROMIUM", CHROMIUM);
    let tests_dir = root.join("tests");
    let driver =
        ChromeDriver::start(&chromedriver, &chromium, &tests_dir, work.join("chromium")).await?;
    let mut measured = Measured::default();

    if args.wants(Part::Ready) {
        eprintln!(
            "xtask: bench: time to ready, {} loads of each page, cache disabled",
            args.loads
        );
        let session = driver.session().await?;
        let loads = ready::measure(&session, &app.url("/"), &baseline.url("/"), args.loads).await;
        session.close().await;
        (measured.app, measured.baseline) = loads?;
    }

    if args.wants(Part::Polling) {
        // A fresh session (and profile) for the tasks, with the cache as a user has it.
        let session = driver.session().await?;
        let spread = usize::from(args.spread);
        let tasks = polling::follow(&session, work, &app.url(""), task_lengths, spread).await;
        session.close().await;
        measured.tasks = tasks?;
    }

    if args.wants(Part::Gallery) {
        eprintln!(
            "xtask: bench: gallery scale, {} tasks with {} results each, {} loads",
            gallery::TASKS,
            gallery::RESULTS_PER_TASK,
            args.gallery_loads
        );
        let session = driver.session().await?;
        let loads = gallery::measure(&session, &app.url("/"), args.gallery_loads).await;
        session.close().await;
        measured.gallery = loads?;
    }

    if let Some(servers) = input_servers {
        eprintln!(
            "xtask: bench: intake and submit, {} images of about 10 MB, {} runs",
            inputs::IMAGES,
            args.input_runs
        );
        let files = inputs::fixtures(&work.join("inputs"))?;
        let session = driver.session().await?;
        let runs = inputs::measure(&session, servers, &files, args.input_runs).await;
        session.close().await;
        measured.inputs = runs?;
    }
    Ok(measured)
}

/// The server with the mock, serving `dir`, on a free loopback port.
async fn start_server(dir: &Path, flags: &[&str]) -> Result<Running> {
    let dir = dir.to_str().context("the directory's path is not UTF-8")?;
    let mut args = vec![
        "seedream-server",
        "--mock",
        "--listen",
        "127.0.0.1:0",
        "--static",
        dir,
    ];
    args.extend_from_slice(flags);
    let config = Config::try_parse_from(&args).context("the server's flags")?;
    seedream_server::spawn(config).await
}

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// The machine the figures come from: cores, memory, browser.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib / 1024.0 / 1024.0)
        });
    let browser = output_of(env_path("CHROMIUM", CHROMIUM), &["--version"])
        .unwrap_or_else(|| "Chromium (version unknown)".to_owned());
    let memory = memory_gb.map_or_else(|| "? GB".to_owned(), |gb| format!("{gb:.0} GB"));
    format!("machine: {cores} cores, {memory} memory, {browser}")
}
