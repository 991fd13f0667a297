//! The parts measured in a browser: the app's build served with the mock API by a
//! server in this process, driven in headless Chromium through ChromeDriver (time to
//! ready, polling, keeping, gallery, intake and submit, export and import, a batch),
//! and audited by Lighthouse.
//!
//! Each baseline is written and served only for the part that compares against it: the
//! plain page of the time to ready by a second server in this process, the keep row's
//! by a third, beside a copy of the build, on the origin of the results both fetch
//! (see [`keep`]), the export and import pages by a fourth, beside another copy, on
//! the origin whose storage they share with the app (see [`carry`]), the intake and
//! submit pages by their own release server (see [`inputs`]). The batch runs on a
//! server of its own, the app with the mock at its default task time, whose counters
//! only the batch moves (see [`batch`]).

use std::path::Path;

use anyhow::{Context, Result};
use clap::Parser as _;
use seedream_server::{Config, Running};

use crate::browser::ChromeDriver;
use crate::cli::{BenchArgs, Need, Part, Paths};
use crate::{batch, carry, gallery, inputs, keep, lighthouse, polling, ready, slow};
use crate::{project_root, work_dir};

/// What the browser parts measured (empty for the parts not asked for).
#[derive(Default)]
pub struct Measured {
    pub app: Vec<ready::Load>,
    pub baseline: Vec<ready::Load>,
    pub tasks: Vec<polling::TaskRun>,
    pub keep: Vec<keep::KeepRun>,
    pub gallery: Vec<gallery::GalleryLoad>,
    pub inputs: Vec<inputs::InputRun>,
    pub carry: Vec<carry::CarryRun>,
    pub batch: Option<batch::BatchRun>,
    pub slow: Option<slow::SlowRun>,
    pub lighthouse: Vec<lighthouse::Audit>,
}

/// Starts the servers the parts asked for need, measures, and stops them.
pub async fn measure(args: &BenchArgs, paths: &Paths, task_lengths: &[u64]) -> Result<Measured> {
    let work = work_dir();
    let dist = paths.get(Need::Dist)?;
    let input_servers = if args.wants(Part::Inputs) {
        let dir = inputs::write_baseline_pages(&work.join("baseline").join("inputs"))?;
        let (bin, dist) = (paths.get(Need::Server)?.to_owned(), dist.to_owned());
        let start = move || inputs::Servers::start(&bin, &dist, &dir);
        Some(tokio::task::spawn_blocking(start).await??)
    } else {
        None
    };
    let app_server = start_server(dist, &["--queue-time", "1s", "--processing-time", "4s"]).await?;
    let pages = match start_pages(args, &work, dist).await {
        Ok(pages) => pages,
        Err(err) => {
            let _ = app_server.stop().await;
            return Err(err);
        }
    };
    let servers = Servers {
        app: &app_server,
        baseline: pages.ready.as_ref(),
        keep: pages.keep.as_ref(),
        carry: pages.carry.as_ref(),
        batch: pages.batch.as_ref(),
        slow: pages.slow.as_ref(),
        inputs: input_servers.as_ref(),
    };
    let mut outcome = if args.wants_driver() {
        driven(paths, &work, &servers, args, task_lengths).await
    } else {
        Ok(Measured::default())
    };
    if let Ok(measured) = &mut outcome
        && args.wants(Part::Lighthouse)
    {
        match audit(paths, &work, &app_server, args.lighthouse_runs).await {
            Ok(audits) => measured.lighthouse = audits,
            Err(err) => outcome = Err(err),
        }
    }
    let _ = app_server.stop().await;
    pages.stop().await;
    outcome
}

/// The servers of the pages measured besides the app, where asked for: the time to
/// ready's baseline page, the keep row's site (a copy of `dist` with its plain page)
/// and the export and import rows' (another copy, with theirs); and the batch's (the
/// build with the mock at its defaults).
#[derive(Default)]
struct Pages {
    ready: Option<Running>,
    keep: Option<Running>,
    carry: Option<Running>,
    batch: Option<Running>,
    slow: Option<Running>,
}

impl Pages {
    async fn stop(self) {
        let servers = [self.ready, self.keep, self.carry, self.batch, self.slow];
        for server in servers.into_iter().flatten() {
            let _ = server.stop().await;
        }
    }
}

/// Starts the [`Pages`] the parts asked for; none is left running when one fails to
/// start.
async fn start_pages(args: &BenchArgs, work: &Path, dist: &Path) -> Result<Pages> {
    let mut pages = Pages::default();
    match start_each_page(&mut pages, args, work, dist).await {
        Ok(()) => Ok(pages),
        Err(err) => {
            pages.stop().await;
            Err(err)
        }
    }
}

async fn start_each_page(
    pages: &mut Pages,
    args: &BenchArgs,
    work: &Path,
    dist: &Path,
) -> Result<()> {
    let baselines = work.join("baseline");
    if args.wants(Part::Ready) {
        let dir = ready::write_baseline(baselines.join("ready"))?;
        pages.ready = Some(start_server(&dir, &[]).await?);
    }
    if args.wants(Part::Keep) {
        let dir = keep::write_site(dist, &baselines.join("keep"))?;
        pages.keep = Some(start_server(&dir, &[]).await?);
    }
    if args.wants(Part::Carry) {
        let dir = carry::write_site(dist, &baselines.join("carry"))?;
        pages.carry = Some(start_server(&dir, &[]).await?);
    }
    if args.wants(Part::Batch) {
        // No timing flags: the mock's defaults.
        pages.batch = Some(start_server(dist, &[]).await?);
    }
    if args.wants(Part::Slow) {
        let dir = slow::write_site(dist, &baselines.join("slow"))?;
        pages.slow = Some(start_server(&dir, &[]).await?);
    }
    Ok(())
}

/// The servers of the browser parts: the app's, and the baselines' where asked for.
struct Servers<'a> {
    app: &'a Running,
    baseline: Option<&'a Running>,
    keep: Option<&'a Running>,
    carry: Option<&'a Running>,
    batch: Option<&'a Running>,
    slow: Option<&'a Running>,
    inputs: Option<&'a inputs::Servers>,
}

/// The parts driven through ChromeDriver, each in a fresh session (and profile).
async fn driven(
    paths: &Paths,
    work: &Path,
    servers: &Servers<'_>,
    args: &BenchArgs,
    task_lengths: &[u64],
) -> Result<Measured> {
    let driver = ChromeDriver::start(
        paths.get(Need::Chromedriver)?,
        paths.get(Need::Chromium)?,
        &project_root().join("tests"),
        work.join("chromium"),
    )
    .await?;
    let app = servers.app;
    let mut measured = Measured::default();

    if let Some(baseline) = servers.baseline {
        eprintln!(
            "bench: time to ready, {} loads of each page, cache disabled",
            args.loads
        );
        let session = driver.session().await?;
        let loads = ready::measure(&session, &app.url("/"), &baseline.url("/"), args.loads).await;
        session.close().await;
        (measured.app, measured.baseline) = loads?;
    }

    if let Some(server) = servers.slow {
        eprintln!(
            "bench: time to ready on a slow phone connection ({} ms round trip, {} kbit/s down, {} kbit/s up, CPU {}x slower), {} first and repeat visits of each page",
            slow::RTT_MS,
            slow::DOWN_KBIT_S,
            slow::UP_KBIT_S,
            slow::CPU_SLOWDOWN,
            args.slow_loads
        );
        let session = driver.session().await?;
        let run = slow::measure(&session, &server.url(""), args.slow_loads).await;
        session.close().await;
        measured.slow = Some(run?);
    }

    if args.wants(Part::Polling) {
        // A fresh session for the tasks, with the cache as a user has it.
        let session = driver.session().await?;
        let spread = usize::from(args.spread);
        let tasks = polling::follow(&session, work, &app.url(""), task_lengths, spread).await;
        session.close().await;
        measured.tasks = tasks?;
    }

    if let Some(server) = servers.keep {
        eprintln!(
            "bench: keeping a finished task of {} results of {}x{}, {} runs, cache disabled",
            keep::RESULTS,
            keep::SIDE,
            keep::SIDE,
            args.keep_runs
        );
        let session = driver.session().await?;
        let runs = keep::measure(&session, work, &server.url(""), args.keep_runs).await;
        session.close().await;
        measured.keep = runs?;
    }

    if args.wants(Part::Gallery) {
        eprintln!(
            "bench: gallery scale, {} tasks with {} results each, {} loads",
            gallery::TASKS,
            gallery::RESULTS_PER_TASK,
            args.gallery_loads
        );
        let session = driver.session().await?;
        let loads = gallery::measure(&session, &app.url("/"), args.gallery_loads).await;
        session.close().await;
        measured.gallery = loads?;
    }

    if let Some(servers) = servers.inputs {
        eprintln!(
            "bench: intake and submit, {} images of about 10 MB, {} runs",
            inputs::IMAGES,
            args.input_runs
        );
        let files = inputs::fixtures(&work.join("inputs"))?;
        let session = driver.session().await?;
        let runs = inputs::measure(&session, servers, &files, args.input_runs).await;
        session.close().await;
        measured.inputs = runs?;
    }

    if let Some(server) = servers.carry {
        eprintln!(
            "bench: export and import of {} results of {}, {} runs",
            carry::TASKS,
            carry::RESULT_SIZE,
            args.carry_runs
        );
        let dir = work.join("carry");
        let file = tokio::task::spawn_blocking(move || carry::fixture(&dir)).await??;
        let session = driver.session().await?;
        let downloads = work.join("carry").join("downloads");
        let runs = carry::measure(
            &session,
            &server.url(""),
            &file,
            &downloads,
            args.carry_runs,
        )
        .await;
        session.close().await;
        measured.carry = runs?;
    }

    if let Some(server) = servers.batch {
        eprintln!(
            "bench: a batch of {} edits of {} small PNGs, {} at once, the mock's default task time",
            batch::ITEMS,
            batch::ITEMS,
            batch::CONCURRENCY
        );
        let images = batch::fixtures(&work.join("batch"))?;
        let session = driver.session().await?;
        let run = batch::measure(&session, &server.url(""), &images).await;
        session.close().await;
        measured.batch = Some(run?);
    }
    Ok(measured)
}

/// Lighthouse's runs on the app's server, off the async threads (each run is a
/// process that takes a while).
async fn audit(
    paths: &Paths,
    work: &Path,
    app: &Running,
    runs: usize,
) -> Result<Vec<lighthouse::Audit>> {
    let (script, chromium, url, dir) = (
        paths.get(Need::Lighthouse)?.to_owned(),
        paths.get(Need::Chromium)?.to_owned(),
        app.url("/"),
        work.join("lighthouse"),
    );
    tokio::task::spawn_blocking(move || lighthouse::audit(&script, &chromium, &url, &dir, runs))
        .await?
}

/// The server with the mock, serving `dir`, on a free loopback port.
pub(crate) async fn start_server(dir: &Path, flags: &[&str]) -> Result<Running> {
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
