//! Gallery scale: a long history (500 finished tasks, 2,000 result images) seeded
//! into the app's storage, then a fresh load: how long from the app starting to render
//! (its `performance.mark`, `seedream_studio::MOUNT_MARK`) until its cards are on the
//! page (all of them, or the first page and "Show older edits"), how many DOM nodes
//! that takes, and how long the lightbox takes to open.
//!
//! The records are written in the history's stored format 2 (the JSON array under
//! `seedream-studio.history.v2`). Their result addresses point at this server but
//! name no real result: what is measured is rendering, and the gallery's images are
//! lazy, so only those near the top would be fetched anyway.

use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::browser::Session;

/// Tasks in the seeded history.
pub const TASKS: usize = 500;
/// Results per task.
pub const RESULTS_PER_TASK: usize = 4;
/// The history's storage key (the app's first instance).
const HISTORY_KEY: &str = "seedream-studio.history.v2";

/// What one load of the long history measured.
#[derive(Debug, Clone, Copy)]
pub struct GalleryLoad {
    /// The app starting to render to every card being on the page, ms.
    pub rendered_ms: f64,
    /// Elements in the document then.
    pub nodes: f64,
    /// A click on the first result to the lightbox showing it (two frames), ms.
    pub lightbox_ms: f64,
}

/// The seeded history: `TASKS` done records, newest first, each with
/// `RESULTS_PER_TASK` results on `origin`.
pub fn history(origin: &str, now_ms: f64) -> Value {
    let records: Vec<Value> = (0..TASKS)
        .map(|i| {
            let finished = now_ms - (i as f64) * 60_000.0;
            let results: Vec<Value> = (0..RESULTS_PER_TASK)
                .map(|r| {
                    json!({
                        "url": format!("{origin}/mock/results/bench-{i}/{r}.jpeg"),
                        "width": 2048, "height": 2048, "format": "jpeg"
                    })
                })
                .collect();
            json!({
                "id": format!("bench-{i}"),
                "task_id": format!("task-bench-{i:06}"),
                "prompt": format!("Bench edit {i}: turn this into a watercolour"),
                "inputs": [{"label": "Image 1", "url": format!("{origin}/mock/results/input-{i}/0.jpeg"),
                            "format": "JPEG", "width": 1024, "height": 1024, "bytes": null}],
                "size": "2048x2048",
                "sequential": "auto",
                "max_images": RESULTS_PER_TASK,
                "output_format": "jpeg",
                "submitted_at_ms": finished - 30_000.0,
                "finished_at_ms": finished,
                "updated_at_ms": finished,
                "state": {"done": {"results": results, "skipped": 0}}
            })
        })
        .collect();
    Value::Array(records)
}

/// Records when the cards are all there, in every new document, before the app runs.
const RECORD_RENDERED: &str = r#"(() => {
  const expected = Number(sessionStorage.getItem("bench.cards") || "0");
  const check = () => {
    if (window.__benchRendered !== undefined || expected === 0) return true;
    // The first render is done when every card is there, or the first page of a
    // long history is, with its "Show older edits" button (they come in one mount).
    const cards = document.querySelectorAll(".task-card").length;
    if (cards < expected && !(cards > 0 && document.querySelector(".show-more"))) return false;
    // From the app's mark as it starts to render (after its download and start-up,
    // which "time to ready" covers).
    const mount = performance.getEntriesByName("seedream-studio:mount")[0];
    window.__benchRendered = performance.now() - (mount ? mount.startTime : 0);
    window.__benchNodes = document.getElementsByTagName("*").length;
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { subtree: true, childList: true });
})();"#;

/// The app's `performance.mark`s after its mount mark, as `step at N ms`.
const APP_MARKS: &str = r#"const prefix = "seedream-studio:";
const mount = performance.getEntriesByName(prefix + "mount")[0];
return performance.getEntriesByType("mark")
  .filter(e => mount && e.name.startsWith(prefix) && e.startTime > mount.startTime)
  .map(e => `${e.name.slice(prefix.length)} at ${Math.round(e.startTime - mount.startTime)} ms`)
  .join(", ");"#;

/// Seeds the history on the app's origin, then loads the page `loads` times.
pub async fn measure(session: &Session, app: &str, loads: usize) -> Result<Vec<GalleryLoad>> {
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": RECORD_RENDERED }),
        )
        .await?;
    session.client.goto(app).await?;
    let now = session
        .js("return Date.now();")
        .await?
        .as_f64()
        .unwrap_or(0.0);
    let origin = app.trim_end_matches('/');
    let seeded = history(origin, now).to_string();
    session
        .client
        .execute(
            "localStorage.setItem(arguments[0], arguments[1]); \
             sessionStorage.setItem('bench.cards', String(arguments[2]));",
            vec![json!(HISTORY_KEY), json!(seeded), json!(TASKS)],
        )
        .await
        .context("seeding the history")?;
    let mut measured = Vec::new();
    for i in 0..loads {
        // Each load starts from the seeded history (the app trims what it saves).
        session
            .client
            .execute(
                "localStorage.setItem(arguments[0], arguments[1]);",
                vec![json!(HISTORY_KEY), json!(seeded)],
            )
            .await?;
        session.client.goto("about:blank").await?;
        session.client.goto(app).await?;
        let rendered = session
            .wait_for(
                "the seeded history's cards to render",
                "return window.__benchRendered ?? null;",
                Duration::from_secs(60),
                Duration::from_millis(20),
            )
            .await?;
        let nodes = session.js("return window.__benchNodes;").await?;
        // Where the time went: the app's own marks, from its start.
        let marks = session.js(APP_MARKS).await?;
        let lightbox = session
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 const start = performance.now(); \
                 document.querySelector('.result-view').click(); \
                 requestAnimationFrame(() => requestAnimationFrame(() => { \
                   const open = document.querySelector('dialog.lightbox[open] img.lightbox-image'); \
                   done(open ? performance.now() - start : null); }));",
                vec![],
            )
            .await
            .context("opening the lightbox")?;
        let load = GalleryLoad {
            rendered_ms: rendered
                .as_f64()
                .context("the render time is not a number")?,
            nodes: nodes.as_f64().unwrap_or(f64::NAN),
            lightbox_ms: lightbox.as_f64().context("the lightbox did not open")?,
        };
        eprintln!(
            "bench: gallery load {}/{loads}: cards at {:.0} ms ({}), {:.0} elements, lightbox in {:.0} ms",
            i + 1,
            load.rendered_ms,
            marks.as_str().unwrap_or_default(),
            load.nodes,
            load.lightbox_ms
        );
        measured.push(load);
    }
    session
        .client
        .execute("localStorage.clear(); sessionStorage.clear();", vec![])
        .await?;
    Ok(measured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_history_has_every_task_and_result() {
        let history = history("http://127.0.0.1:1", 1.0e12);
        let records = history.as_array().expect("an array");
        assert_eq!(records.len(), TASKS);
        let results: usize = records
            .iter()
            .map(|r| r["state"]["done"]["results"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(results, TASKS * RESULTS_PER_TASK);
        assert!(records[0]["state"]["done"].is_object(), "done, in format 2");
        assert!(
            records[0]["finished_at_ms"].as_f64() > records[1]["finished_at_ms"].as_f64(),
            "newest first"
        );
    }
}
