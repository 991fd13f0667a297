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

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use super::browser::Session;

pub const QUEUE_MS: u64 = 1_000;

const IMAGE_CARDS: &str = "form.edit-form li.image-card[data-image-id]";
const FILE_INPUT: &str = "form.edit-form input[type=file]";
const EDIT_BUTTON: &str = "form.edit-form button[type=submit]";
const TASK_CARDS: &str = "ol.task-list > li.task-card";

/// What following one task measured.
#[derive(Debug, Clone, Copy)]
pub struct TaskRun {
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
    async fn settings(&self, change: Value) -> Result<()> {
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

    async fn stats(&self) -> Result<Value> {
        let answer = self
            .http
            .get(format!("{}/__mock/stats", self.origin))
            .send()
            .await?;
        Ok(answer.json().await?)
    }
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
        eprintln!("xtask: bench: the page is {hidden}, so the app polls as for a hidden page");
    }
    Ok(())
}

/// Submits one edit that lasts `length_ms` in the mock and follows it to its results.
pub async fn run_task(
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

    let edit = session.client.find(Locator::Css(EDIT_BUTTON)).await?;
    edit.click().await.context("pressing Edit")?;

    let wait = Duration::from_millis(length_ms) + Duration::from_secs(60);
    let shown = session
        .wait_for(
            &format!("the results of a {} s task", length_ms / 1000),
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
        length_ms,
        queries: counter(&stats_after, "task_queries") - counter(&stats_before, "task_queries"),
        delay_ms: shown - (submit + length_ms as f64),
        after_answer_ms: shown - last_answer,
    })
}

/// One image and a prompt in the form (kept there from the last task when they are).
async fn fill_form(session: &Session, png: &Path) -> Result<()> {
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
