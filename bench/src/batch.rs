//! A batch: one instruction over 40 small images ("One edit per image"), sent two at
//! once (the form's default) against the mock at its default task time, on a fresh
//! load of the app served by its own server with the mock (so the mock's counters are
//! the batch's alone and its timing the default, read back, never set).
//!
//! - total: from the app's first `seedream-studio:batch-send` mark (the queue starting
//!   to send an item, `src/batch/runner.rs`) to the panel's progress line reading
//!   "Finished: 40 of 40 done, 0 failed." (a `MutationObserver` records
//!   `performance.now()`); against the least the app's polling schedule allows: one
//!   round per two items, each the time of the first query at or after the task's
//!   length ([`readings::least_batch_ms`]);
//! - turnaround: for each send after the first two, the time since the latest
//!   `seedream-studio:task-ended` mark before it (the app noticed a task's end,
//!   `src/tasks/mod.rs`): how soon the queue uses a freed slot;
//! - the mock's `most_unfinished` and `submits` (`GET /__mock/stats`): at most two at
//!   once, and each item sent once;
//! - the wasm memory's `byteLength` (the probe of [`crate::carry`]) just before Start
//!   and once the batch finished.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use super::browser::Session;
use super::{carry, polling};
use readings::{least_batch_ms, mark_times, turnarounds};
pub use rows::rows;

mod readings;
mod rows;

/// Images in the batch, each one edit.
pub const ITEMS: usize = 40;
/// Edits running at once: the form's default, which the bench checks and keeps.
pub const CONCURRENCY: usize = 2;
/// The side of each image, in pixels.
const SIDE: u32 = 64;

const PER_IMAGE: &str = "form.edit-form .batch-mode .mode-option:nth-child(2) input";
const BATCH_INPUT: &str = "form.edit-form .batch-mode input[type=file]";
const BATCH_ITEMS: &str = "form.edit-form .batch-list > li.batch-item";
const CONCURRENCY_SELECT: &str = "form.edit-form .batch-concurrency select";
const START: &str = "form.edit-form button[type=submit].primary";
const PROGRESS: &str = "section.batch-panel .batch-progress";
const SEND_MARK: &str = "seedream-studio:batch-send";
const ENDED_MARK: &str = "seedream-studio:task-ended";
/// How often the page is asked how far the batch is: the times are the page's own,
/// read after the fact, so this only spaces the bench's scripts in the measured page.
const CHECK_EVERY: Duration = Duration::from_millis(500);
/// How often the progress line is printed while the batch runs.
const TELL_EVERY: Duration = Duration::from_secs(15);
/// How long the progress line may say the batch finished with an item not done before
/// the part fails (its tasks still running may yet end).
const OTHERWISE_FOR: Duration = Duration::from_secs(30);

/// What the batch measured.
#[derive(Debug)]
pub struct BatchRun {
    pub items: usize,
    pub concurrency: usize,
    /// The mock's task timing, as it answered.
    pub queue_ms: u64,
    pub processing_ms: u64,
    /// The first `batch-send` to the panel reading "Finished", ms.
    pub total_ms: f64,
    /// The first `batch-send` to the last `task-ended`, ms.
    pub last_end_ms: f64,
    /// Each send after the first [`CONCURRENCY`]: ms since the latest `task-ended`.
    pub turnarounds: Vec<f64>,
    pub most_unfinished: u64,
    pub submits: u64,
    /// The wasm memory's `byteLength` before Start and once finished.
    pub wasm_before: f64,
    pub wasm_after: f64,
}

impl BatchRun {
    /// (rounds, one round, the total) at the least, ms.
    pub fn least(&self) -> (u64, u64, u64) {
        least_batch_ms(
            self.items,
            self.concurrency,
            self.queue_ms + self.processing_ms,
        )
    }
}

/// `ITEMS` distinct small PNGs (gradients, each a little different) in `dir`.
pub fn fixtures(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    (0..ITEMS)
        .map(|i| {
            let shift = (i * 6) as u32;
            let picture = image::RgbImage::from_fn(SIDE, SIDE, |x, y| {
                let r = (x * 255 / SIDE + shift) % 256;
                let g = (y * 255 / SIDE) as u8;
                image::Rgb([r as u8, g, (i * 255 / ITEMS) as u8])
            });
            let path = dir.join(format!("batch-{i:02}.png"));
            picture
                .save(&path)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(path)
        })
        .collect()
}

/// The batch in `session`, on `origin` (a server with the mock at its defaults that
/// nothing else used), with the images of [`fixtures`].
pub async fn measure(session: &Session, origin: &str, images: &[PathBuf]) -> Result<BatchRun> {
    let http = crate::http::client(None)?;
    let mock = polling::Mock {
        origin,
        http: &http,
    };
    // The current settings, unchanged: an empty change answers them.
    let answer = http
        .patch(format!("{origin}/__mock/settings"))
        .json(&json!({}))
        .send()
        .await?;
    let settings = crate::http::json(answer).await?;
    let timing = |name: &str| {
        settings[name]
            .as_u64()
            .with_context(|| format!("the mock's settings have no {name}: {settings}"))
    };
    let (queue_ms, processing_ms) = (timing("queue_ms")?, timing("processing_ms")?);
    let (rounds, round, least) = least_batch_ms(ITEMS, CONCURRENCY, queue_ms + processing_ms);
    eprintln!(
        "bench: batch: the mock's tasks take {queue_ms} ms queued + {processing_ms} ms \
         processing; the least for {ITEMS} items is {rounds} rounds of {round} ms = {least} ms"
    );

    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": carry::wasm_probe() }),
        )
        .await?;
    polling::open(session, origin).await?;
    fill(session, images).await?;
    let wasm_before = wasm_bytes(session).await?;
    watch_progress(session).await?;
    session.click(START, "Start").await?;

    let finished = until_finished(session, least).await?;
    let wasm_after = wasm_bytes(session).await?;
    let marks = session
        .js(&format!(
            "const times = (name) => performance.getEntriesByName(name, 'mark').map((m) => m.startTime);
             return {{ send: times('{SEND_MARK}'), ended: times('{ENDED_MARK}') }};"
        ))
        .await?;
    let (sends, ends) = (mark_times(&marks, "send"), mark_times(&marks, "ended"));
    if ends.len() != ITEMS || sends.len() < ITEMS {
        bail!(
            "expected {ITEMS} task-ended marks and at least {ITEMS} batch-send marks, found \
             {} and {}",
            ends.len(),
            sends.len()
        );
    }
    let first_send = sends[0];
    let stats = mock.stats().await?;
    let count = |name: &str| {
        stats[name]
            .as_u64()
            .with_context(|| format!("the mock's stats have no {name}: {stats}"))
    };
    let (most_unfinished, submits) = (count("most_unfinished")?, count("submits")?);
    if submits != ITEMS as u64 {
        bail!("the mock counted {submits} submits for a batch of {ITEMS}: each item goes once");
    }
    let run = BatchRun {
        items: ITEMS,
        concurrency: CONCURRENCY,
        queue_ms,
        processing_ms,
        total_ms: finished - first_send,
        last_end_ms: ends[ends.len() - 1] - first_send,
        turnarounds: turnarounds(&sends, &ends, CONCURRENCY)?,
        most_unfinished,
        submits,
        wasm_before,
        wasm_after,
    };
    eprintln!(
        "bench: batch: finished {:.2} s after the first send (last end noticed at {:.2} s; \
         {} sends), {} at once in the mock, wasm memory +{:.1} MB",
        run.total_ms / 1000.0,
        run.last_end_ms / 1000.0,
        sends.len(),
        most_unfinished,
        (wasm_after - wasm_before) / 1e6
    );
    session.client.goto("about:blank").await?;
    Ok(run)
}

/// "One edit per image", the images, the prompt; checks the concurrency is the default
/// and the Start button names every item.
async fn fill(session: &Session, images: &[PathBuf]) -> Result<()> {
    session.click(PER_IMAGE, "\"One edit per image\"").await?;
    let paths: Vec<&str> = images
        .iter()
        .map(|p| p.to_str().context("an image's path is not UTF-8"))
        .collect::<Result<_>>()?;
    let input = session
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(BATCH_INPUT))
        .await
        .context("the batch's file input")?;
    input
        .send_keys(&paths.join("\n"))
        .await
        .context("choosing the images in the batch's file input")?;
    let n = images.len();
    session
        .wait_for(
            &format!("{n} images to edit"),
            &format!("return document.querySelectorAll('{BATCH_ITEMS}').length === {n};"),
            Duration::from_secs(60),
            Duration::from_millis(100),
        )
        .await?;
    let prompt = session.client.find(Locator::Css("#prompt")).await?;
    prompt.send_keys("turn this into a watercolour").await?;
    let label = format!("Start {n} edits");
    session
        .wait_for(
            &format!("an enabled button reading \"{label}\""),
            &format!(
                "const b = document.querySelector('{START}');
                 return b !== null && !b.disabled && b.textContent.trim() === '{label}';"
            ),
            Duration::from_secs(30),
            Duration::from_millis(100),
        )
        .await?;
    let at_once = session
        .js(&format!(
            "return document.querySelector('{CONCURRENCY_SELECT}')?.value ?? null;"
        ))
        .await?;
    if at_once != json!(CONCURRENCY.to_string()) {
        bail!("the form runs {at_once} edits at once by default, not {CONCURRENCY}");
    }
    Ok(())
}

/// The progress line of the batch finished with every item done.
fn finished_line() -> String {
    format!("Finished: {ITEMS} of {ITEMS} done, 0 failed.")
}

/// Records in the page when the progress line first reads [`finished_line`].
async fn watch_progress(session: &Session) -> Result<()> {
    let expected = json!(finished_line());
    session
        .js(&format!(
            "window.__benchBatchFinished = undefined;
             const check = () => {{
               const line = document.querySelector('{PROGRESS}')?.textContent.trim() ?? '';
               if (line !== {expected}) return false;
               window.__benchBatchFinished = performance.now();
               return true;
             }};
             const observer = new MutationObserver(() => {{ if (check()) observer.disconnect(); }});
             observer.observe(document.body, {{ subtree: true, childList: true, characterData: true }});
             return true;"
        ))
        .await?;
    Ok(())
}

/// Waits for the batch to finish with every item done (printing its progress now and
/// then); returns when the page showed that. A batch that says it finished otherwise
/// fails the part once it has read so for [`OTHERWISE_FOR`].
async fn until_finished(session: &Session, least_ms: u64) -> Result<f64> {
    let wait = Duration::from_millis(least_ms * 3) + Duration::from_secs(120);
    let started = Instant::now();
    let mut told = Instant::now();
    let mut otherwise: Option<Instant> = None;
    loop {
        let state = session
            .js(&format!(
                "return {{ finished: window.__benchBatchFinished ?? null,
                          line: document.querySelector('{PROGRESS}')?.textContent.trim() ?? null }};"
            ))
            .await?;
        if let Some(at) = state["finished"].as_f64() {
            return Ok(at);
        }
        let line = state["line"].as_str().unwrap_or("(no progress line)");
        if line.starts_with("Finished") {
            let since = *otherwise.get_or_insert_with(Instant::now);
            if since.elapsed() >= OTHERWISE_FOR {
                bail!(
                    "the batch finished reading {line:?}, not {:?}",
                    finished_line()
                );
            }
        }
        if started.elapsed() >= wait {
            bail!("the batch did not finish within {wait:?}; its progress reads {line:?}");
        }
        if told.elapsed() >= TELL_EVERY {
            eprintln!("bench: batch: {line}");
            told = Instant::now();
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

/// The wasm memory's `byteLength` now, once the app has started.
async fn wasm_bytes(session: &Session) -> Result<f64> {
    let bytes: Value = session
        .wait_for(
            "the app's wasm memory (its TrunkApplicationStarted event)",
            "return window.__benchWasmBytes ? window.__benchWasmBytes() : null;",
            Duration::from_secs(10),
            Duration::from_millis(100),
        )
        .await?;
    bytes
        .as_f64()
        .with_context(|| format!("the wasm memory's size is not a number: {bytes}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_images_are_distinct_small_pngs() {
        let dir = std::env::temp_dir().join(format!("seedream-bench-batch-{}", std::process::id()));
        let paths = fixtures(&dir).expect("the images");
        assert_eq!(paths.len(), ITEMS);
        let bytes: std::collections::BTreeSet<Vec<u8>> = paths
            .iter()
            .map(|p| std::fs::read(p).expect("a file"))
            .collect();
        assert_eq!(bytes.len(), ITEMS, "every image differs");
        let first = image::open(&paths[0]).expect("a PNG");
        assert_eq!((first.width(), first.height()), (SIDE, SIDE));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
