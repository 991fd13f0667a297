//! Keeping a finished task: how long the app takes, once it sees a task of four
//! 2048×2048 JPEG results succeed, to have all four in its archive, against a plain
//! page that fetches the same four URLs and stores them in IndexedDB.
//!
//! - the app: its own `performance.mark`s, from `seedream-studio:task-done` (its
//!   poller saw the success, `src/tasks/follow.rs`) to `seedream-studio:task-kept`
//!   (`src/tasks/keeping.rs`): each result fetched as a `Blob`, its size and CRC-32
//!   read in 1 MB slices, then all written in one IndexedDB transaction; meanwhile the
//!   page shows the finished card with its four images, as it does for a user;
//! - the baseline, `keep.html` ([`page`]): the same four URLs fetched at once (`fetch`
//!   with the app's options, `blob()`), then `put` in one transaction, from its start to
//!   the transaction's `complete`. Its database is open before its clock starts, as the
//!   app's archive is open long before a task ends.
//!
//! Both run in one session with the HTTP cache disabled (`Network.setCacheDisabled`,
//! checked: every fetch of a result went to the server), on one origin: the server
//! with the mock serves a copy of `dist/` with the baseline page beside it, so both
//! fetch the same URLs as same-origin requests. Each run starts from an empty origin
//! (storage cleared): a fresh load of the app, a 320×240 PNG, a prompt, a set of four
//! asked for, Edit; then the plain page with the four URLs the task answered.
//!
//! The mock draws a result on its first request and keeps it. So that neither side
//! pays for drawing, the bench draws them before either starts: the task ends between
//! two of the app's queries ([`TASK_MS`]), the bench queries the mock itself until the
//! task succeeds and requests the four results (over its own connection, which no
//! browser cache sees), and only then may the app see the success. A run where the app
//! saw it first is discarded and run again; and the mock's count of image bytes it
//! holds must not move from the bench's requests to the end of the baseline: neither
//! side drew anything.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use seedream_contract::{DEFAULT_SIZE, TaskState, is_valid_task_id, read_task_answer, task_path};
use serde_json::{Value, json};

use super::browser::Session;
use super::polling::{self, EDIT_BUTTON, Mock, TASK_CARDS};
use super::{inputs, ready};
pub use page::write_site;
use readings::{check_fetches, check_result, fetch_span, keep_time};

mod page;
mod readings;

/// Results of the task: a set of four.
pub const RESULTS: usize = 4;
/// Their side in pixels: the form's default size, which the runs keep.
pub const SIDE: u32 = DEFAULT_SIZE.width;

/// The task's length from being accepted. The app's queries land about 1, 2, 4, 6 and
/// 9 s after its submit (`src/poll/schedule.rs`), so this task ends half a second after
/// the query at 6 s and is seen at the one at 9 s: 2.5 s for the bench to draw the
/// results first (about 0.5 s).
const TASK_MS: u64 = 6_500;
// Clear of the query at 6 s, and 2 s or more before the one at 9 s.
const _: () = assert!(TASK_MS >= 6_300 && 9_000 - TASK_MS >= 2_000);
/// Attempts at one run before giving up, when the app keeps seeing the success before
/// the results are drawn.
const ATTEMPTS: usize = 3;
/// How often the bench queries the mock for the task while it waits for its end.
const QUERY_EVERY: Duration = Duration::from_millis(50);
/// How often the page is asked whether it is done: the times are the page's own,
/// read after the fact, so this only spaces the bench's scripts in the measured page.
const CHECK_EVERY: Duration = Duration::from_millis(250);

const SETS_TOGGLE: &str = "form.edit-form fieldset.sets input[type=checkbox]";
const MAX_IMAGES: &str = "#max-images";
const DONE_MARK: &str = "seedream-studio:task-done";
const KEPT_MARK: &str = "seedream-studio:task-kept";

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub struct KeepRun {
    /// The app's `task-done` to `task-kept`, ms.
    pub app_ms: f64,
    /// The plain page's fetches and transaction, ms.
    pub baseline_ms: f64,
    /// The plain page doing what keeping requires beyond that ([`page::Steps::Floor`]), ms.
    pub floor_ms: f64,
}

/// `runs` runs of the app (on `origin`, the server of [`write_site`]'s folder) and the
/// plain page, in `session`; the PNG is written into `work`.
pub async fn measure(
    session: &Session,
    work: &Path,
    origin: &str,
    runs: usize,
) -> Result<Vec<KeepRun>> {
    ready::disable_cache(session).await?;
    let http = crate::http::client(None)?;
    let mock = Mock {
        origin,
        http: &http,
    };
    let png = polling::fixture_png(work)?;
    let mut measured = Vec::new();
    for i in 0..runs {
        let mut attempt = 1;
        let app = loop {
            match in_app(session, &mock, &png).await? {
                Some(app) => break app,
                None if attempt < ATTEMPTS => {
                    eprintln!(
                        "bench: keep {}/{runs}: the app saw the task succeed before the \
                         bench had drawn its results; running it again",
                        i + 1
                    );
                    attempt += 1;
                }
                None => bail!(
                    "in {ATTEMPTS} attempts the app saw its task succeed before the bench \
                     had drawn the results: the app's queries no longer land as \
                     keep::TASK_MS expects"
                ),
            }
        };
        let baseline_ms = in_baseline(session, origin, &app.urls, page::Steps::Plain).await?;
        let floor_ms = in_baseline(session, origin, &app.urls, page::Steps::Floor).await?;
        let held = image_bytes(&mock).await?;
        if held != app.drawn {
            bail!(
                "the mock's images went from {} to {held} bytes during the run: a side \
                 drew or lost results the bench had drawn for both",
                app.drawn
            );
        }
        let fetches = app.fetches.map_or_else(String::new, |(first, last)| {
            format!(" (its fetches from {first:.0} to {last:.0} ms)")
        });
        eprintln!(
            "bench: keep {}/{runs}: app {:.0} ms{fetches}, plain page {baseline_ms:.0} ms, \
             its floor {floor_ms:.0} ms ({RESULTS} JPEGs of {SIDE}x{SIDE}, {:.2} MB)",
            i + 1,
            app.ms,
            app.bytes as f64 / 1e6
        );
        measured.push(KeepRun {
            app_ms: app.ms,
            baseline_ms,
            floor_ms,
        });
    }
    session.client.goto("about:blank").await?;
    Ok(measured)
}

/// What the app's side of one run measured, and the task's results.
struct AppKeep {
    ms: f64,
    /// When its fetches of the results started and ended, ms after `task-done`.
    fetches: Option<(f64, f64)>,
    urls: Vec<String>,
    bytes: u64,
    /// The mock's image bytes once the bench had drawn the results.
    drawn: u64,
}

/// One task in the app, from an empty origin; `None` when the app saw the task succeed
/// before the bench had drawn its results (the run does not count).
async fn in_app(session: &Session, mock: &Mock<'_>, png: &Path) -> Result<Option<AppKeep>> {
    let origin = mock.origin;
    session.clear_origin(origin).await?;
    polling::open(session, origin).await?;
    polling::fill_form(session, png).await?;
    ask_for_set(session, RESULTS).await?;
    mock.settings(json!({
        "queue_ms": polling::QUEUE_MS,
        "processing_ms": TASK_MS - polling::QUEUE_MS,
    }))
    .await?;
    session.click(EDIT_BUTTON, "Edit").await?;

    let task_id = session
        .wait_for(
            "the task's id on its card",
            &format!(
                "const id = document.querySelector('{TASK_CARDS} code.task-id'); \
                 return id === null ? null : (id.textContent.trim() || null);"
            ),
            Duration::from_secs(30),
            Duration::from_millis(50),
        )
        .await?;
    let task_id = task_id
        .as_str()
        .filter(|id| is_valid_task_id(id))
        .with_context(|| format!("the card shows no task id: {task_id}"))?;
    let urls = succeeded(mock, task_id).await?;
    let bytes = draw(mock.http, &urls).await?;
    let drawn = image_bytes(mock).await?;
    let seen = session
        .js(&format!(
            "return performance.getEntriesByName('{DONE_MARK}', 'mark').length > 0;"
        ))
        .await?;
    if seen != Value::Bool(false) {
        return Ok(None);
    }

    let marks = session
        .wait_for(
            "the app keeping the task's results (its task-kept mark)",
            &format!(
                "const [done, kept] = ['{DONE_MARK}', '{KEPT_MARK}']
                   .map((name) => performance.getEntriesByName(name, 'mark'));
                 return kept.length === 0 ? null
                   : {{ done: done.map((m) => m.startTime), kept: kept.map((m) => m.startTime) }};"
            ),
            Duration::from_secs(60),
            CHECK_EVERY,
        )
        .await?;
    let (done, ms) = keep_time(&marks)?;
    let entries = from_network(session, "the app", &urls).await?;
    Ok(Some(AppKeep {
        ms,
        fetches: fetch_span(&entries, done),
        urls,
        bytes,
        drawn,
    }))
}

/// Turns on "Generate a set" (when it is off) and asks for at most `n` images.
async fn ask_for_set(session: &Session, n: usize) -> Result<()> {
    let on = session
        .js(&format!(
            "return document.querySelector('{SETS_TOGGLE}')?.checked ?? null;"
        ))
        .await?;
    match on {
        Value::Bool(true) => {}
        Value::Bool(false) => {
            session.click(SETS_TOGGLE, "\"Generate a set\"").await?;
        }
        _ => bail!("the form has no \"Generate a set\" toggle ({SETS_TOGGLE})"),
    }
    let field = session
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(MAX_IMAGES))
        .await
        .context("the set's maximum")?;
    field.clear().await?;
    field.send_keys(&n.to_string()).await?;
    session
        .wait_for(
            &format!("the set's maximum to read {n}"),
            &format!("return document.querySelector('{MAX_IMAGES}')?.value === '{n}';"),
            Duration::from_secs(10),
            Duration::from_millis(50),
        )
        .await?;
    Ok(())
}

/// Queries the mock for `task_id` until it succeeds; returns its results' URLs.
async fn succeeded(mock: &Mock<'_>, task_id: &str) -> Result<Vec<String>> {
    let url = format!("{}{}", mock.origin, task_path(task_id));
    let deadline = Instant::now() + Duration::from_millis(TASK_MS) + Duration::from_secs(30);
    loop {
        let answer = mock.http.get(&url).send().await?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await?;
        let report = read_task_answer(status, &body)
            .map_err(|err| anyhow::anyhow!("the mock's answer for {task_id}: {err:?}"))?;
        match report.state {
            TaskState::Succeeded(resources) => {
                let urls: Vec<String> = resources.into_iter().map(|r| r.url).collect();
                if urls.len() != RESULTS {
                    bail!(
                        "the task has {} results, not the {RESULTS} asked for",
                        urls.len()
                    );
                }
                return Ok(urls);
            }
            TaskState::Pending | TaskState::Processing => {}
            other => bail!("the task {task_id} ended without results: {other:?}"),
        }
        if Instant::now() >= deadline {
            bail!("the task {task_id} did not succeed in the mock within its length and 30 s");
        }
        tokio::time::sleep(QUERY_EVERY).await;
    }
}

/// Requests every result from the mock at once, which draws them; returns their bytes,
/// after checking each is a JPEG of `SIDE`².
async fn draw(http: &reqwest::Client, urls: &[String]) -> Result<u64> {
    let requests = urls.iter().map(|url| async move {
        let answer = http.get(url).send().await?.error_for_status()?;
        let content_type = answer
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = answer.bytes().await?;
        check_result(url, content_type.as_deref(), &body)?;
        Ok::<u64, anyhow::Error>(body.len() as u64)
    });
    let sizes = futures_util::future::try_join_all(requests).await?;
    Ok(sizes.into_iter().sum())
}

/// The bytes of the images the mock holds (its inputs and drawn results).
async fn image_bytes(mock: &Mock<'_>) -> Result<u64> {
    let stats = mock.stats().await?;
    stats["image_bytes"]
        .as_u64()
        .with_context(|| format!("the mock's stats have no image_bytes: {stats}"))
}

/// Checks the page's Resource Timing for `urls`: each fetched (`initiatorType`
/// `fetch`), and every request of them answered by the server, none from a cache.
/// Returns those entries, `{name, by, bytes, start, end}`.
async fn from_network(session: &Session, side: &str, urls: &[String]) -> Result<Value> {
    let entries = session
        .client
        .execute(
            "const urls = arguments[0];
             return performance.getEntriesByType('resource')
               .filter((e) => urls.includes(e.name))
               .map((e) => ({ name: e.name, by: e.initiatorType, bytes: e.transferSize,
                              start: e.startTime, end: e.responseEnd }));",
            vec![json!(urls)],
        )
        .await
        .context("reading the page's Resource Timing")?;
    check_fetches(side, urls, &entries)?;
    Ok(entries)
}

/// The plain page keeping `urls` with `steps`: a fresh load, then the time it recorded.
async fn in_baseline(
    session: &Session,
    origin: &str,
    urls: &[String],
    steps: page::Steps,
) -> Result<f64> {
    // Each side's database starts empty, as the app's does.
    session.clear_origin(origin).await?;
    let url = page::url(origin, urls, steps)?;
    session.client.goto("about:blank").await?;
    session
        .client
        .goto(&url)
        .await
        .with_context(|| format!("loading {url}"))?;
    let recorded = session
        .wait_for(
            "the plain page keeping the results",
            "return window.__benchKeep ?? null;",
            Duration::from_secs(60),
            CHECK_EVERY,
        )
        .await?;
    let ms = inputs::read_stamp("the plain page's keeping", &recorded)?;
    if recorded["count"].as_u64() != Some(RESULTS as u64) {
        bail!(
            "the plain page kept {} blobs, not {RESULTS}",
            recorded["count"]
        );
    }
    from_network(session, "the plain page", urls).await?;
    Ok(ms)
}
