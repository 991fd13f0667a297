//! Polling cost: what following one edit costs the API, and how late the user sees its
//! results. Tasks run one after another in one session (so each task's queries are
//! its own in the mock's counter): a small PNG is uploaded through the file input, a
//! prompt typed and Edit pressed, as a person would; the mock's queue time is 1 s and
//! its processing time is set per task (`PATCH /__mock/settings`) so the task lasts
//! its length from being accepted.
//!
//! - queries: the mock's `task_queries` (`GET /__mock/stats`) after the results show,
//!   minus before the submit;
//! - delay: when the page showed the results (a `MutationObserver` records
//!   `performance.now()` when the newest task card's `ul.gallery li.result` appears)
//!   minus when the task ended in the mock, taken as the submit's `responseStart`
//!   (Resource Timing; the mock creates the task before it answers, so this is at most
//!   the answer's own few milliseconds late) plus the task's length; and, of that
//!   delay, the part after the last task query's answer arrived (`responseEnd`), which
//!   is the app's own work rather than the polling schedule's.
//!
//! Each length asked for (`--tasks`) is run as `--spread` tasks whose lengths are
//! spread evenly over one steady poll interval centred on it ([`spread_lengths`]), and
//! the delay reported is their mean: one length ends at one point of the schedule
//! every time, so repeating it shows jitter, while a user's tasks end anywhere between
//! two queries.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use super::browser::Session;

pub const QUEUE_MS: u64 = 1_000;

/// The app's steady delay between task queries (`STEADY_MS` in `src/poll/schedule.rs`,
/// which the bench cannot import: the app is built for the browser), over which the
/// lengths of one `--tasks` entry are spread.
pub const POLL_INTERVAL_MS: u64 = 4_000;

const IMAGE_CARDS: &str = "form.edit-form li.image-card[data-image-id]";
const FILE_INPUT: &str = "form.edit-form input[type=file]";
pub const EDIT_BUTTON: &str = "form.edit-form button[type=submit]";
pub const TASK_CARDS: &str = "ol.task-list > li.task-card";

/// What following one task measured.
#[derive(Debug, Clone, Copy)]
pub struct TaskRun {
    /// The length asked for (`--tasks`), which this task's length is spread around.
    pub nominal_ms: u64,
    pub length_ms: u64,
    pub queries: u64,
    pub delay_ms: f64,
    /// Of the delay, the part after the answer that said the task succeeded arrived
    /// (the last task query's `responseEnd`): the app's own work, the rest being the
    /// polling schedule's.
    pub after_answer_ms: f64,
}

/// The mock's control endpoint and the page, on one origin.
pub struct Mock<'a> {
    pub origin: &'a str,
    pub http: &'a reqwest::Client,
}

impl Mock<'_> {
    pub async fn settings(&self, change: Value) -> Result<()> {
        let answer = self
            .http
            .patch(format!("{}/__mock/settings", self.origin))
            .json(&change)
            .send()
            .await?;
        if !answer.status().is_success() {
            bail!("the mock refused settings {change}: {}", answer.status());
        }
        Ok(())
    }

    pub async fn stats(&self) -> Result<Value> {
        let answer = self
            .http
            .get(format!("{}/__mock/stats", self.origin))
            .send()
            .await?;
        Ok(answer.json().await?)
    }
}

/// The lengths of `spread` tasks for a nominal length: the midpoints of `spread` equal
/// parts of one poll interval centred on `nominal_ms` (30 s by 4: 28.5, 29.5, 30.5 and
/// 31.5 s). Their mean is the nominal length, and the mean of their delays estimates
/// the mean over end times spread evenly over an interval (the sawtooth's average, half
/// the interval plus the app's own time) to within half their spacing. Midpoints rather
/// than `nominal + k * step`: the app's queries land on whole seconds from the submit
/// (see `src/poll/schedule.rs`), and a task that ends on a query's second is seen at
/// once or a whole interval later depending on a few milliseconds of round trip. With
/// the default 4 the lengths fall on half seconds, clear of that race, and sample the
/// sawtooth exactly; 2 (±1 s) would land on whole seconds.
pub fn spread_lengths(nominal_ms: u64, spread: usize, interval_ms: u64) -> Vec<u64> {
    let spread = spread.max(1) as u64;
    (0..spread)
        .map(|k| {
            // In 1/(2*spread) steps of the interval: (2k + 1 - spread) / (2 * spread).
            let offset = (2 * k + 1) as i64 - spread as i64;
            let shift = offset * interval_ms as i64 / (2 * spread as i64);
            nominal_ms.saturating_add_signed(shift)
        })
        .collect()
}

/// Follows a task of every length of `nominal_ms`, spread by [`spread_lengths`], one
/// after another in `session` (the app open on `origin`).
pub async fn follow(
    session: &Session,
    work: &Path,
    origin: &str,
    nominal_ms: &[u64],
    spread: usize,
) -> Result<Vec<TaskRun>> {
    let http = crate::http::client(None)?;
    let mock = Mock {
        origin,
        http: &http,
    };
    let png = fixture_png(work)?;
    open(session, origin).await?;
    let planned: Vec<(u64, u64)> = nominal_ms
        .iter()
        .flat_map(|&nominal| {
            spread_lengths(nominal, spread, POLL_INTERVAL_MS)
                .into_iter()
                .map(move |length| (nominal, length))
        })
        .collect();
    let mut runs = Vec::new();
    for (i, &(nominal, length)) in planned.iter().enumerate() {
        eprintln!(
            "bench: polling cost, task {}/{}: {:.1} s (around {} s)",
            i + 1,
            planned.len(),
            length as f64 / 1000.0,
            nominal / 1000
        );
        let mut run = run_task(session, &mock, &png, length).await?;
        run.nominal_ms = nominal;
        eprintln!(
            "bench: {} task queries, results shown {:.0} ms after the task ended \
             ({:.0} ms after the last answer)",
            run.queries, run.delay_ms, run.after_answer_ms
        );
        runs.push(run);
    }
    Ok(runs)
}

/// A small gradient PNG in `dir`; returns its path.
pub fn fixture_png(dir: &Path) -> Result<PathBuf> {
    let (width, height) = (320, 240);
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    std::fs::create_dir_all(dir)?;
    let path = dir.join("bench-320x240.png");
    picture
        .save(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Opens the app in `session` and waits until it is ready.
pub async fn open(session: &Session, origin: &str) -> Result<()> {
    session.client.goto(&format!("{origin}/")).await?;
    session
        .wait_for(
            "the app getting ready",
            "return document.querySelector('[data-seedream-studio][data-ready=\"true\"]') !== null;",
            Duration::from_secs(60),
            Duration::from_millis(50),
        )
        .await?;
    let hidden = session.js("return document.visibilityState;").await?;
    if hidden != json!("visible") {
        eprintln!("bench: the page is {hidden}, so the app polls as for a hidden page");
    }
    Ok(())
}

/// Submits one edit that lasts `length_ms` in the mock and follows it to its results.
async fn run_task(
    session: &Session,
    mock: &Mock<'_>,
    png: &Path,
    length_ms: u64,
) -> Result<TaskRun> {
    mock.settings(json!({
        "queue_ms": QUEUE_MS,
        "processing_ms": length_ms.saturating_sub(QUEUE_MS),
    }))
    .await?;
    fill_form(session, png).await?;

    let before = session
        .js(&format!(
            "return document.querySelectorAll('{TASK_CARDS}').length;"
        ))
        .await?
        .as_u64()
        .unwrap_or(0);
    session
        .js(&format!(
            "window.__benchGallery = undefined;
             const check = () => {{
               if (window.__benchGallery !== undefined) return true;
               const cards = document.querySelectorAll('{TASK_CARDS}');
               if (cards.length > {before} && cards[0].querySelector('ul.gallery li.result')) {{
                 window.__benchGallery = performance.now();
                 return true;
               }}
               return false;
             }};
             const observer = new MutationObserver(() => {{ if (check()) observer.disconnect(); }});
             observer.observe(document.body, {{ subtree: true, childList: true }});
             performance.clearResourceTimings();
             return true;"
        ))
        .await?;
    let stats_before = mock.stats().await?;

    session.click(EDIT_BUTTON, "Edit").await?;

    let wait = Duration::from_millis(length_ms) + Duration::from_secs(60);
    let shown = session
        .wait_for(
            &format!("the results of a {:.1} s task", length_ms as f64 / 1000.0),
            "return window.__benchGallery ?? null;",
            wait,
            Duration::from_millis(200),
        )
        .await?
        .as_f64()
        .context("the time the results showed is not a number")?;
    let stats_after = mock.stats().await?;

    let timing = session
        .js(&format!(
            "const all = performance.getEntriesByType('resource');
             const submit = all.find(e => e.name.includes({}));
             const queries = all.filter(e => e.name.includes({}));
             return [submit ? submit.responseStart : null,
                     queries.length ? queries[queries.length - 1].responseEnd : null];",
            json!(seedream_contract::SUBMIT_PATH),
            json!(seedream_contract::TASKS_PATH_PREFIX),
        ))
        .await?;
    let submit = timing[0]
        .as_f64()
        .context("the page has no timing for its submit")?;
    let last_answer = timing[1]
        .as_f64()
        .context("the page has no timing for its task queries")?;
    let counter = |stats: &Value, name: &str| stats[name].as_u64().unwrap_or(0);
    let submits = counter(&stats_after, "submits") - counter(&stats_before, "submits");
    if submits != 1 {
        bail!("expected one submit for the task, the mock counted {submits}");
    }
    Ok(TaskRun {
        nominal_ms: length_ms,
        length_ms,
        queries: counter(&stats_after, "task_queries") - counter(&stats_before, "task_queries"),
        delay_ms: shown - (submit + length_ms as f64),
        after_answer_ms: shown - last_answer,
    })
}

/// One image and a prompt in the form (kept there from the last task when they are).
pub async fn fill_form(session: &Session, png: &Path) -> Result<()> {
    let cards = session
        .js(&format!(
            "return document.querySelectorAll('{IMAGE_CARDS}').length;"
        ))
        .await?;
    if cards.as_u64() == Some(0) {
        let input = session.client.find(Locator::Css(FILE_INPUT)).await?;
        input
            .send_keys(png.to_str().context("the PNG's path is not UTF-8")?)
            .await
            .context("choosing the PNG in the file input")?;
        session
            .wait_for(
                "the image card of the uploaded PNG",
                &format!("return document.querySelectorAll('{IMAGE_CARDS}').length === 1;"),
                Duration::from_secs(30),
                Duration::from_millis(50),
            )
            .await?;
    }
    let prompt = session
        .js("return document.querySelector('#prompt').value;")
        .await?;
    if prompt.as_str().is_none_or(str::is_empty) {
        let field = session.client.find(Locator::Css("#prompt")).await?;
        field.send_keys("turn this into a watercolour").await?;
    }
    session
        .wait_for(
            "an enabled Edit button",
            &format!("const b = document.querySelector('{EDIT_BUTTON}'); return b !== null && !b.disabled;"),
            Duration::from_secs(30),
            Duration::from_millis(50),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_midpoints_of_one_interval_around_the_nominal() {
        assert_eq!(
            spread_lengths(30_000, 4, 4_000),
            [28_500, 29_500, 30_500, 31_500]
        );
        assert_eq!(spread_lengths(5_000, 2, 4_000), [4_000, 6_000]);
        assert_eq!(spread_lengths(60_000, 1, 4_000), [60_000]);
        assert_eq!(spread_lengths(60_000, 0, 4_000), [60_000]);
        let lengths = spread_lengths(30_000, 5, 4_000);
        assert_eq!(lengths, [28_400, 29_200, 30_000, 30_800, 31_600]);
        let mean = lengths.iter().sum::<u64>() / lengths.len() as u64;
        assert_eq!(mean, 30_000);
    }
}
