//! `cargo xtask bench`: the figures that say whether the studio is light and quick
//! enough, measured on this machine against a baseline measured in the same run, as
//! one table (Markdown). Timings are printed, never asserted: they depend on the
//! machine. See the README's "Performance" section for what each row means.
//!
//! It builds `dist/` as `cargo xtask dist` does, serves it with the mock API from this
//! process (a second server serves the baseline page from a temporary directory), and
//! drives headless Chromium through ChromeDriver, as the end-to-end tests do.

mod browser;
mod bytes;
mod gallery;
mod inputs;
mod polling;
mod ready;
mod report;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser as _};
use seedream_server::{Config, Running};

use crate::bootstrap::{self, CHROMEDRIVER, CHROMIUM};
use crate::build;
use crate::process::output_of;
use browser::ChromeDriver;
use report::{Row, Summary, count, kb, ratio, secs, target, whole};

#[derive(Args)]
pub struct BenchArgs {
    /// Measured loads of each page (app and baseline) for the time to ready.
    #[arg(long, default_value_t = 15)]
    loads: usize,
    /// The lengths, in seconds, of the tasks followed for the polling cost, run one
    /// after another (repeat a length to repeat its task), e.g. `--tasks 5,30`.
    #[arg(long, value_delimiter = ',', default_values_t = [5, 5, 5, 30, 30, 60])]
    tasks: Vec<u64>,
    /// Loads of the long seeded history for the gallery scale.
    #[arg(long, default_value_t = 5)]
    gallery_loads: usize,
    /// Preparations of the 14 large images, in the app and in the baseline page each.
    #[arg(long, default_value_t = 3)]
    input_runs: usize,
}

/// The largest first load, all files gzip-compressed, that meets the target.
const FIRST_LOAD_GZIP_TARGET: u64 = 120_000;
/// The app may take this many times the baseline page's time to get ready.
const READY_RATIO_TARGET: f64 = 1.5;
/// For a 30 s task: at most this many task queries...
const QUERIES_30S_TARGET: f64 = 12.0;
/// ...and results shown on average at most this late.
const DELAY_30S_TARGET_MS: f64 = 2_000.0;
/// The app may take this many times `FileReader` alone to prepare the images.
const INPUTS_RATIO_TARGET: f64 = 1.3;
/// A long history (see `gallery`) is on the page within this many ms.
const GALLERY_RENDER_TARGET_MS: f64 = 150.0;

pub fn run(root: &Path, args: &BenchArgs) -> Result<()> {
    if args
        .tasks
        .iter()
        .any(|&seconds| seconds.saturating_mul(1000) < polling::QUEUE_MS)
    {
        bail!(
            "every task lasts at least the mock's queue time, {} ms: --tasks takes whole seconds from 1",
            polling::QUEUE_MS
        );
    }
    let tools = bootstrap::build_tools(root)?;
    bootstrap::browser()?;
    let dist = build::release(root, &tools)?;
    let files = bytes::first_load(&dist)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let measured = runtime.block_on(measure(root, &dist, args))?;

    println!("\n{}\n", machine());
    print!("{}", report::table(&rows(&files, &measured)));
    Ok(())
}

/// What the browser part measured.
struct Measured {
    app: Vec<ready::Load>,
    baseline: Vec<ready::Load>,
    tasks: Vec<polling::TaskRun>,
    gallery: Vec<gallery::GalleryLoad>,
    inputs: Vec<inputs::Preparation>,
}

async fn measure(root: &Path, dist: &Path, args: &BenchArgs) -> Result<Measured> {
    let work = root.join("target").join("bench");
    let baseline_dir = ready::write_baseline(work.join("baseline"))?;
    std::fs::write(baseline_dir.join("read.html"), inputs::BASELINE_HTML)?;
    std::fs::write(baseline_dir.join("read.js"), inputs::BASELINE_JS)?;
    let app_server = start_server(dist, &["--queue-time", "1s", "--processing-time", "4s"]).await?;
    let baseline_server = match start_server(&baseline_dir, &[]).await {
        Ok(server) => server,
        Err(err) => {
            let _ = app_server.stop().await;
            return Err(err);
        }
    };
    let outcome = in_browser(root, &work, &app_server, &baseline_server, args).await;
    let _ = app_server.stop().await;
    let _ = baseline_server.stop().await;
    outcome
}

async fn in_browser(
    root: &Path,
    work: &Path,
    app: &Running,
    baseline: &Running,
    args: &BenchArgs,
) -> Result<Measured> {
    let chromedriver = env_path("CHROMEDRIVER", CHROMEDRIVER);
    let chromium = env_path("CHROMIUM", CHROMIUM);
    let driver = ChromeDriver::start(&chromedriver, work.join("chromium")).await?;

    eprintln!(
        "xtask: bench: time to ready, {} loads of each page, cache disabled",
        args.loads
    );
    let session = driver.session(root, &chromium).await?;
    let loads = ready::measure(&session, &app.url("/"), &baseline.url("/"), args.loads).await;
    session.close().await;
    let (app_loads, baseline_loads) = loads?;

    // A fresh session (and profile) for the tasks, with the cache as a user has it.
    let session = driver.session(root, &chromium).await?;
    let tasks = follow_tasks(&session, work, app, &args.tasks).await;
    session.close().await;
    let tasks = tasks?;

    eprintln!(
        "xtask: bench: gallery scale, {} tasks with {} results each, {} loads",
        gallery::TASKS,
        gallery::RESULTS_PER_TASK,
        args.gallery_loads
    );
    let session = driver.session(root, &chromium).await?;
    let gallery = gallery::measure(&session, &app.url("/"), args.gallery_loads).await;
    session.close().await;
    let gallery = gallery?;

    eprintln!(
        "xtask: bench: input preparation, {} images of about 10 MB, {} runs",
        inputs::IMAGES,
        args.input_runs
    );
    let files = inputs::fixtures(&work.join("inputs"))?;
    let session = driver.session(root, &chromium).await?;
    let prepared = inputs::measure(
        &session,
        &app.url("/"),
        &baseline.url("/read.html"),
        &files,
        args.input_runs,
    )
    .await;
    session.close().await;
    Ok(Measured {
        app: app_loads,
        baseline: baseline_loads,
        tasks,
        gallery,
        inputs: prepared?,
    })
}

async fn follow_tasks(
    session: &browser::Session,
    work: &Path,
    app: &Running,
    lengths: &[u64],
) -> Result<Vec<polling::TaskRun>> {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let origin = app.url("");
    let mock = polling::Mock {
        origin: &origin,
        http: &http,
    };
    let png = polling::fixture_png(work)?;
    polling::open(session, &origin).await?;
    let mut runs = Vec::new();
    for (i, seconds) in lengths.iter().enumerate() {
        eprintln!(
            "xtask: bench: polling cost, task {}/{}: {seconds} s",
            i + 1,
            lengths.len()
        );
        let run = polling::run_task(session, &mock, &png, seconds.saturating_mul(1000)).await?;
        eprintln!(
            "xtask: bench: {} task queries, results shown {:.0} ms after the task ended \
             ({:.0} ms after the last answer)",
            run.queries, run.delay_ms, run.after_answer_ms
        );
        runs.push(run);
    }
    Ok(runs)
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

fn rows(files: &[bytes::Sizes], measured: &Measured) -> Vec<Row> {
    let mut rows = Vec::new();
    let sizes = |f: &bytes::Sizes| {
        format!(
            "{} raw · {} gzip · {} br",
            kb(f.raw),
            kb(f.gzip),
            kb(f.brotli)
        )
    };
    for file in files {
        rows.push(Row::new(format!("first load: {}", file.path), sizes(file)));
    }
    let total = bytes::total(files);
    rows.push(Row::new("first load: total", sizes(&total)).target(target(
        &format!("total gzip <= {}", kb(FIRST_LOAD_GZIP_TARGET)),
        total.gzip <= FIRST_LOAD_GZIP_TARGET,
    )));

    let kb_number = |bytes: f64| format!("{:.1}", bytes / 1000.0);
    let transferred = |loads: &[ready::Load]| {
        let values: Vec<f64> = loads.iter().map(|l| l.transferred).collect();
        Summary::of(&values).map_or_else(|| "—".to_owned(), |s| s.show(kb_number, "KB"))
    };
    rows.push(
        Row::new(
            "first load on the wire (server's compression, with headers)",
            transferred(&measured.app),
        )
        .baseline(transferred(&measured.baseline), "—"),
    );

    let times =
        |loads: &[ready::Load]| Summary::of(&loads.iter().map(|l| l.ready_ms).collect::<Vec<_>>());
    match (times(&measured.app), times(&measured.baseline)) {
        (Some(app), Some(base)) => {
            let r = app.median / base.median;
            rows.push(
                Row::new(
                    format!("time to ready ({} fresh loads, no cache)", app.count),
                    app.show(whole, "ms"),
                )
                .baseline(base.show(whole, "ms"), ratio(app.median, base.median))
                .target(target(
                    &format!("ratio <= {READY_RATIO_TARGET}"),
                    r <= READY_RATIO_TARGET,
                )),
            );
        }
        _ => rows.push(Row::new("time to ready", "no loads measured")),
    }

    let lengths: BTreeSet<u64> = measured.tasks.iter().map(|t| t.length_ms).collect();
    for length in lengths {
        let runs: Vec<&polling::TaskRun> = measured
            .tasks
            .iter()
            .filter(|t| t.length_ms == length)
            .collect();
        let queries: Vec<f64> = runs.iter().map(|t| t.queries as f64).collect();
        let delays: Vec<f64> = runs.iter().map(|t| t.delay_ms).collect();
        let after: Vec<f64> = runs.iter().map(|t| t.after_answer_ms).collect();
        let (Some(queries), Some(delays), Some(after)) = (
            Summary::of(&queries),
            Summary::of(&delays),
            Summary::of(&after),
        ) else {
            continue;
        };
        let seconds = length / 1000;
        let is_30s = length == 30_000;
        let runs_note = if runs.len() == 1 {
            "1 run".to_owned()
        } else {
            format!("{} runs", runs.len())
        };
        let mut query_row = Row::new(
            format!("task queries, {seconds} s task ({runs_note})"),
            queries.show(count, "queries"),
        );
        let mut delay_row = Row::new(
            format!("result delay, {seconds} s task (task end to gallery)"),
            format!(
                "{}; mean {} s; {} of it after the last answer",
                delays.show(secs, "s"),
                secs(delays.mean),
                after.show(whole, "ms")
            ),
        );
        if is_30s {
            query_row = query_row.target(target(
                &format!("<= {QUERIES_30S_TARGET} queries"),
                queries.max <= QUERIES_30S_TARGET,
            ));
            delay_row = delay_row.target(target(
                &format!("mean <= {} s", secs(DELAY_30S_TARGET_MS)),
                delays.mean <= DELAY_30S_TARGET_MS,
            ));
        }
        rows.push(query_row);
        rows.push(delay_row);
    }

    rows.extend(gallery_rows(&measured.gallery));
    rows.extend(input_rows(&measured.inputs));
    rows.push(Row::not_measured("proxy overhead"));
    rows
}

fn input_rows(runs: &[inputs::Preparation]) -> Vec<Row> {
    let of = |pick: fn(&inputs::Preparation) -> f64| {
        Summary::of(&runs.iter().map(pick).collect::<Vec<_>>())
    };
    let (Some(app), Some(base), Some(growth)) = (
        of(|r| r.app_ms),
        of(|r| r.baseline_ms),
        of(|r| r.wasm_growth / 1e6),
    ) else {
        return vec![Row::new("input preparation", "no runs measured")];
    };
    vec![
        Row::new(
            format!(
                "input preparation ({} images of ~10 MB, {} runs)",
                inputs::IMAGES,
                app.count
            ),
            app.show(whole, "ms"),
        )
        .baseline(
            format!("{} (FileReader)", base.show(whole, "ms")),
            ratio(app.median, base.median),
        )
        .target(target(
            &format!("ratio <= {INPUTS_RATIO_TARGET}"),
            app.median / base.median <= INPUTS_RATIO_TARGET,
        )),
        Row::new(
            "input preparation: wasm memory growth",
            growth.show(|v| format!("{v:.1}"), "MB"),
        ),
    ]
}

fn gallery_rows(loads: &[gallery::GalleryLoad]) -> Vec<Row> {
    let of = |pick: fn(&gallery::GalleryLoad) -> f64| {
        Summary::of(&loads.iter().map(pick).collect::<Vec<_>>())
    };
    let (Some(rendered), Some(nodes), Some(lightbox)) = (
        of(|l| l.rendered_ms),
        of(|l| l.nodes),
        of(|l| l.lightbox_ms),
    ) else {
        return vec![Row::new("gallery scale", "no loads measured")];
    };
    let history = format!(
        "{} tasks, {} results",
        gallery::TASKS,
        gallery::TASKS * gallery::RESULTS_PER_TASK
    );
    vec![
        Row::new(
            format!(
                "gallery scale: first render ({history}, {} loads)",
                rendered.count
            ),
            rendered.show(whole, "ms"),
        )
        .target(target(
            &format!("<= {GALLERY_RENDER_TARGET_MS} ms"),
            rendered.median <= GALLERY_RENDER_TARGET_MS,
        )),
        Row::new("gallery scale: DOM elements", nodes.show(whole, "elements")),
        Row::new(
            "gallery scale: lightbox open (two frames)",
            lightbox.show(whole, "ms"),
        ),
    ]
}
