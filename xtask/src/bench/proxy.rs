//! Proxy overhead: what the key-holding proxy costs a task query, and what it holds in
//! memory while it forwards the largest submit.
//!
//! Both servers are the release build of `seedream-server`, each its own process (see
//! [`child`]): the mock, requiring a key, and the proxy in front of it holding that key
//! (`MODELLIX_API_KEY`), without its per-client rate limit (wrk is one client), on one
//! thread (`--threads 1`) as nginx runs one worker, logging as deployed (`info`).
//!
//! - Load: wrk, 64 connections, 2 threads, `--proxy-seconds` per run, asks for one
//!   task's status, in turn straight from the mock (with the key, as the proxy sends
//!   it), through the proxy (without one, as the app does) and through nginx as a
//!   reverse proxy holding the key ([`Nginx`], the reference a deployment could use
//!   instead), `--proxy-runs` times each after one unmeasured second of each. The task is created on the mock
//!   first and stays `processing` (an hour's processing time), the answer a poller
//!   gets nearly every time. Every answer must be a 200: an error answer is cheap, so
//!   counting it would flatter whichever side gave it. The two sides share the two
//!   cores with wrk, so the proxy's own work and the mock's compete as they would on a
//!   small host serving both.
//! - Memory: a fresh proxy, then one submit of exactly 190 MB written on the fly
//!   ([`BigSubmit`]), as fast as loopback takes it; the proxy's peak resident memory
//!   (`VmHWM`, since it started) once the answer is back. The measurement is honest
//!   only if the proxy really forwards the whole body, so: the body is a valid submit
//!   (14 images of just under 10 MiB each) under the contract's limit of about 195.8 MB
//!   and it declares its length, as the app's does (the proxy refuses an undeclared
//!   length with 411 and one over the limit with 413 before reading a byte: neither
//!   would measure forwarding); the mock must then answer 200 and count one more
//!   submit, which it does only after reading and parsing all of it. A proxy that
//!   buffered would hold the 190 MB at once; one that read faster than the mock takes
//!   would grow too, since the client never waits.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use seedream_contract::{MAX_IMAGES, SUBMIT_PATH, is_valid_task_id, task_path};

use super::big_submit::BigSubmit;
use super::child::{self, Server};
use super::nginx::Nginx;
use super::report::{Row, Summary, ratio, target, whole};
use super::wrk::{self, Load};
use crate::bootstrap;

/// The share of the mock's task queries per second the proxy must keep.
const THROUGHPUT_RATIO_TARGET: f64 = 0.8;
/// The proxy's task queries per second against nginx's, in front of the same mock.
const NGINX_RATIO_TARGET: f64 = 1.0;
/// The proxy's peak memory while forwarding the largest submit, in bytes.
const PEAK_MEMORY_TARGET: u64 = 64_000_000;
/// The submit streamed through the proxy: the issue's 190 MB.
const SUBMIT_BYTES: usize = 190_000_000;
/// The key the mock requires and the proxy holds (a bench's, not a real one).
const KEY: &str = "bench-key";
/// A 1×1 PNG, for the task the load queries.
const TINY_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

/// What the proxy rows measured.
pub struct Measured {
    seconds: u64,
    direct: Vec<Load>,
    proxied: Vec<Load>,
    nginx: Vec<Load>,
    idle_bytes: u64,
    peak_bytes: u64,
    upload_ms: f64,
}

pub fn measure(root: &Path, seconds: u64, runs: usize) -> Result<Measured> {
    bootstrap::wrk()?;
    let bin = child::server_binary(root)?;
    let mock = Server::start(
        &bin,
        &[
            "--mock",
            "--listen",
            "127.0.0.1:0",
            "--require-key",
            KEY,
            "--processing-time",
            "1h",
        ],
        None,
    )?;
    let upstream = format!("http://{}", mock.addr);
    let proxy_args = [
        "--listen",
        "127.0.0.1:0",
        "--upstream",
        &upstream,
        "--client-rate-limit",
        "0",
        // One thread, as nginx runs one worker: the same share of the machine.
        "--threads",
        "1",
    ];
    let auth = format!("Bearer {KEY}");
    let path = task_path(&create_task(&mock, &auth)?);

    let (direct, proxied, nginx) = {
        let proxy = Server::start(&bin, &proxy_args, Some(KEY))?;
        let nginx = Nginx::start(root, mock.addr, &auth)?;
        for (side, answer) in [
            (
                "the mock",
                child::get(mock.addr, &path, &[("Authorization", &auth)])?,
            ),
            ("the proxy", child::get(proxy.addr, &path, &[])?),
            ("nginx", child::get(nginx.addr, &path, &[])?),
        ] {
            if answer.status != 200 {
                bail!("{side} answered the task query with {}", answer.status);
            }
        }
        let with_key = [format!("Authorization: {auth}")];
        let (direct_url, proxy_url) = (mock.url(&path), proxy.url(&path));
        let nginx_url = nginx.url(&path);
        checked(wrk::run(&direct_url, 1, &with_key)?)?;
        checked(wrk::run(&proxy_url, 1, &[])?)?;
        checked(wrk::run(&nginx_url, 1, &[])?)?;
        let (mut direct, mut proxied, mut via_nginx) = (Vec::new(), Vec::new(), Vec::new());
        for run in 1..=runs {
            eprintln!(
                "xtask: bench: proxy overhead, run {run}/{runs}: {} connections for {seconds} s, \
                 to the mock, through the proxy, then through nginx",
                wrk::CONNECTIONS
            );
            direct.push(checked(wrk::run(&direct_url, seconds, &with_key)?)?);
            proxied.push(checked(wrk::run(&proxy_url, seconds, &[])?)?);
            via_nginx.push(checked(wrk::run(&nginx_url, seconds, &[])?)?);
            eprintln!(
                "xtask: bench: {:.0} req/s to the mock, {:.0} through the proxy, {:.0} through nginx",
                direct[direct.len() - 1].requests_per_sec,
                proxied[proxied.len() - 1].requests_per_sec,
                via_nginx[via_nginx.len() - 1].requests_per_sec
            );
        }
        (direct, proxied, via_nginx)
    };

    eprintln!("xtask: bench: proxy memory, a {SUBMIT_BYTES}-byte submit through a fresh proxy");
    let proxy = Server::start(&bin, &proxy_args, Some(KEY))?;
    // One query first, so the idle figure has the upstream client and its connection,
    // as the proxy has them in service.
    child::get(proxy.addr, &path, &[])?;
    let idle_bytes = proxy.peak_memory()?;
    let submits_before = submits(&mock)?;
    let body = BigSubmit::new(SUBMIT_BYTES, MAX_IMAGES)?;
    let start = Instant::now();
    let answer = child::exchange(
        proxy.addr,
        &format!("POST {SUBMIT_PATH}"),
        &[("Content-Type", "application/json")],
        body.length(),
        |stream| body.write_to(stream),
    )?;
    let upload_ms = start.elapsed().as_secs_f64() * 1000.0;
    let peak_bytes = proxy.peak_memory()?;
    if answer.status != 200 {
        bail!(
            "the {SUBMIT_BYTES}-byte submit through the proxy was answered {}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
    if submits(&mock)? != submits_before + 1 {
        bail!("the mock did not count the submit the proxy answered 200 for");
    }
    Ok(Measured {
        seconds,
        direct,
        proxied,
        nginx,
        idle_bytes,
        peak_bytes,
        upload_ms,
    })
}

/// A run whose every answer was a 200.
fn checked(load: Load) -> Result<Load> {
    if load.non_2xx > 0 {
        bail!(
            "{} answers were errors (rate limited? the key refused?): the figures would count them",
            load.non_2xx
        );
    }
    if load.socket_errors > 0 {
        eprintln!(
            "xtask: bench: {} socket errors (connect, read, write or timeout) in a load run",
            load.socket_errors
        );
    }
    Ok(load)
}

/// Submits a small edit to the mock and returns its task id.
fn create_task(mock: &Server, auth: &str) -> Result<String> {
    let body =
        format!(r#"{{"prompt":"a task to query","image":["data:image/png;base64,{TINY_PNG}"]}}"#);
    let answer = child::exchange(
        mock.addr,
        &format!("POST {SUBMIT_PATH}"),
        &[
            ("Authorization", auth),
            ("Content-Type", "application/json"),
        ],
        body.len(),
        |stream| std::io::Write::write_all(stream, body.as_bytes()),
    )?;
    let json = answer.json()?;
    match json["data"]["task_id"].as_str() {
        Some(id) if answer.status == 200 && is_valid_task_id(id) => Ok(id.to_owned()),
        _ => bail!("the mock did not create a task ({}): {json}", answer.status),
    }
}

/// The mock's count of accepted submits (its control endpoint needs the key too).
fn submits(mock: &Server) -> Result<u64> {
    let auth = format!("Bearer {KEY}");
    let stats = child::get(mock.addr, "/__mock/stats", &[("Authorization", &auth)])?.json()?;
    stats["submits"]
        .as_u64()
        .with_context(|| format!("the mock's stats have no submit count: {stats}"))
}

/// The proxy's rate against `baseline`'s in the same runs, with each run's ratio and
/// `at_least` as the target; None without runs.
fn throughput_row(
    label: String,
    proxied: &[Load],
    baseline: &[Load],
    baseline_name: &str,
    at_least: f64,
) -> Option<Row> {
    let rates = |loads: &[Load]| loads.iter().map(|l| l.requests_per_sec).collect::<Vec<_>>();
    let (ours, theirs) = (
        Summary::of(&rates(proxied))?,
        Summary::of(&rates(baseline))?,
    );
    let pairs: Vec<f64> = proxied
        .iter()
        .zip(baseline)
        .map(|(p, b)| p.requests_per_sec / b.requests_per_sec)
        .collect();
    let mut shown_ratio = ratio(ours.median, theirs.median);
    if let Some(pairs) = Summary::of(&pairs).filter(|s| s.count > 1) {
        shown_ratio += &format!(" (runs {:.2}–{:.2})", pairs.min, pairs.max);
    }
    let r = ours.median / theirs.median;
    Some(
        Row::new(label, ours.show(whole, "req/s"))
            .baseline(
                format!("{} ({baseline_name})", theirs.show(whole, "req/s")),
                shown_ratio,
            )
            .target(target(&format!("ratio >= {at_least}"), r >= at_least)),
    )
}

pub fn rows(measured: &Measured) -> Vec<Row> {
    let of = |loads: &[Load], pick: fn(&Load) -> f64| {
        Summary::of(&loads.iter().map(pick).collect::<Vec<_>>())
    };
    let mut rows = Vec::new();
    let label = format!(
        "proxy: task queries/s ({} connections, {} runs of {} s)",
        wrk::CONNECTIONS,
        measured.proxied.len(),
        measured.seconds
    );
    rows.extend(throughput_row(
        label,
        &measured.proxied,
        &measured.direct,
        "mock direct",
        THROUGHPUT_RATIO_TARGET,
    ));
    rows.extend(throughput_row(
        "proxy (1 thread): task queries/s against nginx in front of the same mock".to_owned(),
        &measured.proxied,
        &measured.nginx,
        "nginx, 1 worker, keep-alive upstream",
        NGINX_RATIO_TARGET,
    ));
    let ms = |v: f64| format!("{v:.2}");
    for (name, pick) in [
        ("p50", (|l: &Load| l.p50_ms) as fn(&Load) -> f64),
        ("p99", |l: &Load| l.p99_ms),
    ] {
        if let (Some(proxied), Some(direct)) =
            (of(&measured.proxied, pick), of(&measured.direct, pick))
        {
            rows.push(
                Row::new(
                    format!("proxy: task query latency {name}"),
                    proxied.show(ms, "ms"),
                )
                .baseline(direct.show(ms, "ms"), ratio(proxied.median, direct.median)),
            );
        }
    }
    let mb = |bytes: u64| format!("{:.1} MB", bytes as f64 / 1e6);
    rows.push(
        Row::new(
            format!(
                "proxy: peak memory (VmHWM) forwarding a {:.0} MB submit",
                SUBMIT_BYTES as f64 / 1e6
            ),
            format!(
                "{} (idle {}; answered 200 in {:.1} s)",
                mb(measured.peak_bytes),
                mb(measured.idle_bytes),
                measured.upload_ms / 1000.0
            ),
        )
        .target(target(
            &format!("< {}", mb(PEAK_MEMORY_TARGET)),
            measured.peak_bytes < PEAK_MEMORY_TARGET,
        )),
    );
    rows
}
