//! Proxy overhead: what the key-holding proxy costs a task query, and what it holds in
//! memory while it forwards the largest submit.
//!
//! Both servers are the release build of `seedream-server`, each its own process (see
//! [`crate::child`]): the mock, requiring a key, and the proxy in front of it holding that key
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
//!   ([`BigSubmit`], streamed by reqwest), as fast as loopback takes it; the proxy's peak resident memory
//!   (`VmHWM`, since it started) once the answer is back. The measurement is honest
//!   only if the proxy really forwards the whole body, so: the body is a valid submit
//!   (14 images of just under 10 MiB each) under the contract's limit of about 195.8 MB
//!   and it declares its length, as the app's does (the proxy refuses an undeclared
//!   length with 411 and one over the limit with 413 before reading a byte: neither
//!   would measure forwarding); the mock must then answer 200 and count one more
//!   submit, which it does only after reading and parsing all of it. A proxy that
//!   buffered would hold the 190 MB at once; one that read faster than the mock takes
//!   would grow too, since the client never waits.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use seedream_contract::{MAX_IMAGES, SUBMIT_PATH, is_valid_task_id, task_path};
use serde_json::json;

use crate::big_submit::{self, BigSubmit};
use crate::child::Server;
use crate::http;
use crate::nginx::Nginx;
use crate::report::{Row, Summary, ratio, target, whole};
use crate::wrk::{self, Load};

/// The share of the mock's task queries per second the proxy must keep.
const THROUGHPUT_RATIO_TARGET: f64 = 0.8;
/// The proxy's task queries per second against nginx's, in front of the same mock,
/// both writing an access line per request...
const NGINX_RATIO_TARGET: f64 = 0.9;
/// ...and its p99 latency against nginx's.
const NGINX_P99_RATIO_TARGET: f64 = 1.3;
/// The proxy's peak memory while forwarding the largest submit, in bytes.
const PEAK_MEMORY_TARGET: u64 = 64_000_000;
/// The submit streamed through the proxy: the 190 MB.
const SUBMIT_BYTES: usize = 190_000_000;
/// The key the mock requires and the proxy holds (a bench's, not a real one).
const KEY: &str = "bench-key";
/// A 1×1 PNG, for the task the load queries.
const TINY_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

/// The builds and tools the proxy rows run.
pub struct Tools<'a> {
    /// The server's release build: the mock and the proxy.
    pub server: &'a Path,
    pub wrk: &'a Path,
    pub nginx: &'a Path,
}

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

/// The load runs, then the memory run; nginx keeps its files under `work/nginx`.
pub async fn measure(
    tools: &Tools<'_>,
    work: &Path,
    seconds: u64,
    runs: usize,
) -> Result<Measured> {
    // The mock requires the key of every client, its control endpoint included; the
    // proxy and nginx hold it themselves.
    let keyed = http::client(Some(KEY))?;
    let plain = http::client(None)?;
    let mock_args = [
        "--mock",
        "--listen",
        "127.0.0.1:0",
        "--require-key",
        KEY,
        "--processing-time",
        "1h",
    ];
    let mock = start(tools.server, &mock_args, None).await?;
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
    let path = task_path(&create_task(&keyed, &mock).await?);

    let (direct, proxied, nginx) = {
        let proxy = start(tools.server, &proxy_args, Some(KEY)).await?;
        let nginx = {
            let (program, prefix) = (tools.nginx.to_owned(), work.join("nginx"));
            let (upstream, auth) = (mock.addr, auth.clone());
            blocking(move || Nginx::start(&program, &prefix, upstream, &auth)).await?
        };
        let (direct_url, proxy_url) = (mock.url(&path), proxy.url(&path));
        let nginx_url = nginx.url(&path);
        for (side, client, url) in [
            ("the mock", &keyed, &direct_url),
            ("the proxy", &plain, &proxy_url),
            ("nginx", &plain, &nginx_url),
        ] {
            let answer = client.get(url).send().await;
            let status = answer.with_context(|| format!("querying the task from {side}"))?;
            if status.status() != StatusCode::OK {
                bail!("{side} answered the task query with {}", status.status());
            }
        }
        let with_key = vec![format!("Authorization: {auth}")];
        let wrk = tools.wrk;
        load(wrk, &direct_url, 1, &with_key).await?;
        load(wrk, &proxy_url, 1, &[]).await?;
        load(wrk, &nginx_url, 1, &[]).await?;
        let (mut direct, mut proxied, mut via_nginx) = (Vec::new(), Vec::new(), Vec::new());
        for run in 1..=runs {
            eprintln!(
                "bench: proxy overhead, run {run}/{runs}: {} connections for {seconds} s, \
                 to the mock, through the proxy, then through nginx",
                wrk::CONNECTIONS
            );
            let to_mock = load(wrk, &direct_url, seconds, &with_key).await?;
            let through_proxy = load(wrk, &proxy_url, seconds, &[]).await?;
            let through_nginx = load(wrk, &nginx_url, seconds, &[]).await?;
            eprintln!(
                "bench: {:.0} req/s to the mock, {:.0} through the proxy, {:.0} through nginx",
                to_mock.requests_per_sec,
                through_proxy.requests_per_sec,
                through_nginx.requests_per_sec
            );
            direct.push(to_mock);
            proxied.push(through_proxy);
            via_nginx.push(through_nginx);
        }
        (direct, proxied, via_nginx)
    };

    eprintln!("bench: proxy memory, a {SUBMIT_BYTES}-byte submit through a fresh proxy");
    let proxy = start(tools.server, &proxy_args, Some(KEY)).await?;
    // One query first, so the idle figure has the upstream client and its connection,
    // as the proxy has them in service.
    plain.get(proxy.url(&path)).send().await?;
    let idle_bytes = proxy.peak_memory()?;
    let submits_before = submits(&keyed, &mock).await?;
    let body = BigSubmit::new(SUBMIT_BYTES, MAX_IMAGES)?;
    let started = Instant::now();
    let url = proxy.url(SUBMIT_PATH);
    let (status, answer) = big_submit::send(&plain, &url, body.length(), body.stream()).await?;
    let upload_ms = started.elapsed().as_secs_f64() * 1000.0;
    let peak_bytes = proxy.peak_memory()?;
    if status != StatusCode::OK {
        bail!("the {SUBMIT_BYTES}-byte submit through the proxy was answered {status}: {answer}");
    }
    if submits(&keyed, &mock).await? != submits_before + 1 {
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

/// Runs `work`, which blocks (it starts a process, or waits for one), off the async
/// threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .context("a step of the proxy rows panicked")?
}

/// `bin` started with `args` and `api_key` (see [`Server::start`]).
async fn start(bin: &Path, args: &[&str], api_key: Option<&'static str>) -> Result<Server> {
    let bin: PathBuf = bin.to_owned();
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Server::start(&bin, &args, api_key)
    })
    .await
}

/// One wrk run of `seconds` on `url`, whose every answer must be a 200.
async fn load(wrk: &Path, url: &str, seconds: u64, headers: &[String]) -> Result<Load> {
    let (wrk, url, headers) = (wrk.to_owned(), url.to_owned(), headers.to_vec());
    checked(blocking(move || wrk::run(&wrk, &url, seconds, &headers)).await?)
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
            "bench: {} socket errors (connect, read, write or timeout) in a load run",
            load.socket_errors
        );
    }
    Ok(load)
}

/// Submits a small edit to the mock and returns its task id.
async fn create_task(keyed: &reqwest::Client, mock: &Server) -> Result<String> {
    let body = json!({
        "prompt": "a task to query",
        "image": [format!("data:image/png;base64,{TINY_PNG}")],
    });
    let answer = keyed.post(mock.url(SUBMIT_PATH)).json(&body).send().await?;
    let status = answer.status();
    let json = http::json(answer).await?;
    match json["data"]["task_id"].as_str() {
        Some(id) if status == StatusCode::OK && is_valid_task_id(id) => Ok(id.to_owned()),
        _ => bail!("the mock did not create a task ({status}): {json}"),
    }
}

/// The mock's count of accepted submits.
async fn submits(keyed: &reqwest::Client, mock: &Server) -> Result<u64> {
    let stats = http::json(keyed.get(mock.url("/__mock/stats")).send().await?).await?;
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
    let p99 = |l: &Load| l.p99_ms;
    if let (Some(proxied), Some(nginx)) = (of(&measured.proxied, p99), of(&measured.nginx, p99)) {
        let r = proxied.median / nginx.median;
        rows.push(
            Row::new(
                "proxy: task query latency p99 against nginx",
                proxied.show(ms, "ms"),
            )
            .baseline(nginx.show(ms, "ms"), ratio(proxied.median, nginx.median))
            .target(target(
                &format!("ratio <= {NGINX_P99_RATIO_TARGET}"),
                r <= NGINX_P99_RATIO_TARGET,
            )),
        );
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
