//! The parts measured in a browser: the app's build served with the mock API by a
//! server in this process, driven in headless Chromium through ChromeDriver (time to
//! ready, polling, keeping, gallery, intake and submit), and audited by Lighthouse.
//!
//! Each baseline is written and served only for the part that compares against it: the
//! plain page of the time to ready by a second server in this process, the keep row's
//! by a third, beside a copy of the build, on the origin of the results both fetch
//! (see [`keep`]), the intake and submit pages by their own release server (see
//! [`inputs`]).

use std::path::Path;

use anyhow::{Context, Result};
use clap::Parser as _;
use seedream_server::{Config, Running};

use crate::browser::ChromeDriver;
use crate::cli::{BenchArgs, Need, Part, Paths};
use crate::{gallery, inputs, keep, lighthouse, polling, ready};
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
    let (baseline_server, keep_server) = match start_pages(args, &work, dist).await {
        Ok(servers) => servers,
        Err(err) => {
            let _ = app_server.stop().await;
            return Err(err);
        }
    };
    let servers = Servers {
        app: &app_server,
        baseline: baseline_server.as_ref(),
        keep: keep_server.as_ref(),
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
    for server in [baseline_server, keep_server].into_iter().flatten() {
        let _ = server.stop().await;
    }
    outcome
}

/// The servers of the pages measured besides the app, where asked for: the time to
/// ready's baseline page, and the keep row's site (a copy of `dist` with its plain
/// page). Neither is left running when the other fails to start.
async fn start_pages(
    args: &BenchArgs,
    work: &Path,
    dist: &Path,
) -> Result<(Option<Running>, Option<Running>)> {
    let baseline = if args.wants(Part::Ready) {
        let dir = ready::write_baseline(work.join("baseline").join("ready"))?;
        Some(start_server(&dir, &[]).await?)
    } else {
        None
    };
    if !args.wants(Part::Keep) {
        return Ok((baseline, None));
    }
    let started = match keep::write_site(dist, &work.join("baseline").join("keep")) {
        Ok(dir) => start_server(&dir, &[]).await,
        Err(err) => Err(err),
    };
    match started {
        Ok(keep) => Ok((baseline, Some(keep))),
        Err(err) => {
            if let Some(server) = baseline {
                let _ = server.stop().await;
            }
            Err(err)
        }
    }
}

/// The servers of the browser parts: the app's, and the baselines' where asked for.
struct Servers<'a> {
    app: &'a Running,
    baseline: Option<&'a Running>,
    keep: Option<&'a Running>,
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
