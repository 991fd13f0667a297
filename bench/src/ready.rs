//! Time to ready: from navigation start to the page being usable, for the app and for
//! a baseline page (plain HTML with one button), loaded alternately in one session
//! with the browser's HTTP cache disabled (`Network.setCacheDisabled`), so every load
//! fetches every file again, as a first visit would, over loopback.
//!
//! The clock is the page's own: a script the browser runs before any of the page's
//! (`Page.addScriptToEvaluateOnNewDocument`, which the page's CSP does not govern)
//! watches the document with a `MutationObserver` and records `performance.now()`
//! (milliseconds since navigation start) in the microtask after the app's host
//! element gets `data-ready="true"`; on a page without a host element, at
//! `DOMContentLoaded` once a `<button>` is there. WebDriver's own latency never enters
//! the figure: the value is read after the fact.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::browser::Session;

/// Installed in every new document before its own scripts run.
pub(crate) const RECORD_READY: &str = r#"(() => {
  const check = () => {
    if (window.__benchReady !== undefined) return true;
    if (document.readyState === "loading") return false;
    const host = document.querySelector("[data-seedream-studio]");
    const ready = host
      ? host.getAttribute("data-ready") === "true"
      : document.querySelector("button") !== null;
    if (ready) window.__benchReady = performance.now();
    return ready;
  };
  document.addEventListener("DOMContentLoaded", () => {
    if (check()) return;
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
  });
})();"#;

/// What one load measured.
#[derive(Debug, Clone)]
pub struct Load {
    /// Navigation start to ready, ms.
    pub ready_ms: f64,
    /// Bytes the page's files took on the wire (the server's compression, headers).
    pub transferred: f64,
    /// Files that came from a cache (should be none).
    pub cached: u64,
    /// Where the start-up went, ms after navigation start, in order: the first paint,
    /// the wasm's download, and the app's own marks (`seedream-studio:<step>`).
    pub steps: Vec<(String, f64)>,
}

/// The load's start-up steps (none on the baseline page).
const START_UP_STEPS: &str = r#"
const steps = [];
const paint = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
if (paint) steps.push(["first paint", paint.startTime]);
const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
if (wasm) steps.push(["wasm requested", wasm.startTime], ["wasm downloaded", wasm.responseEnd]);
for (const mark of performance.getEntriesByType("mark")) {
  if (mark.name.startsWith("seedream-studio:")) steps.push([mark.name.slice(16), mark.startTime]);
}
steps.push(["ready", window.__benchReady]);
return steps.sort((a, b) => a[1] - b[1]);"#;

/// Prepares `session` for measured loads: no HTTP cache, the recorder installed.
pub async fn prepare(session: &Session) -> Result<()> {
    disable_cache(session).await?;
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": RECORD_READY }),
        )
        .await?;
    Ok(())
}

/// Turns the browser's HTTP cache off in `session` (`Network.setCacheDisabled`), for
/// every page it loads from now on: each request goes to the server.
pub async fn disable_cache(session: &Session) -> Result<()> {
    session.cdp("Network.enable", json!({})).await?;
    session
        .cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    Ok(())
}

/// Loads `url` afresh (from `about:blank`, a new navigation) and returns when it
/// became ready.
pub async fn load(session: &Session, url: &str) -> Result<Load> {
    session.client.goto("about:blank").await?;
    session
        .client
        .goto(url)
        .await
        .with_context(|| format!("loading {url}"))?;
    let ready = session
        .wait_for(
            &format!("{url} getting ready"),
            "return window.__benchReady;",
            Duration::from_secs(60),
            Duration::from_millis(20),
        )
        .await?;
    let ready_ms = ready.as_f64().context("the ready time is not a number")?;
    let wire = session
        .js(
            "const all = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]; \
             return { transferred: all.reduce((n, e) => n + e.transferSize, 0), \
                      cached: all.filter(e => e.transferSize === 0 && e.decodedBodySize > 0).length };",
        )
        .await?;
    let steps = session
        .js(START_UP_STEPS)
        .await?
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .filter_map(|step| Some((step[0].as_str()?.to_owned(), step[1].as_f64()?)))
                .collect()
        })
        .unwrap_or_default();
    Ok(Load {
        ready_ms,
        steps,
        transferred: wire["transferred"].as_f64().unwrap_or(f64::NAN),
        cached: wire["cached"].as_u64().unwrap_or(0),
    })
}

/// The baseline page: one button, nothing else to load (the server's CSP allows no
/// inline script, and the baseline needs none).
pub const BASELINE_HTML: &str = "<!DOCTYPE html>
<html lang=\"en\">
  <head>
    <meta charset=\"utf-8\" />
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />
    <title>Baseline</title>
    <link rel=\"icon\" href=\"data:,\" />
  </head>
  <body>
    <button type=\"button\">Edit</button>
  </body>
</html>
";

/// Writes the baseline page into `dir` (emptied first) and returns `dir`.
pub fn write_baseline(dir: PathBuf) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join("index.html"), BASELINE_HTML)?;
    Ok(dir)
}

/// `loads` measured loads of each page, alternating, after one unmeasured warm-up
/// load of each (which starts the renderer and the connections).
pub async fn measure(
    session: &Session,
    app: &str,
    baseline: &str,
    loads: usize,
) -> Result<(Vec<Load>, Vec<Load>)> {
    prepare(session).await?;
    load(session, app).await?;
    load(session, baseline).await?;
    let (mut apps, mut baselines) = (Vec::new(), Vec::new());
    for i in 0..loads {
        let a = load(session, app).await?;
        let b = load(session, baseline).await?;
        eprintln!(
            "bench: load {}/{loads}: app ready at {:.0} ms, baseline at {:.0} ms",
            i + 1,
            a.ready_ms,
            b.ready_ms
        );
        if a.cached + b.cached > 0 {
            bail!("a measured load took files from the cache: the cache should be disabled");
        }
        apps.push(a);
        baselines.push(b);
    }
    Ok((apps, baselines))
}
