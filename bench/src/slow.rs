//! Time to ready on a slow phone connection: Chromium with its network throttled
//! through DevTools as Lighthouse's mobile profile states it (150 ms round trip,
//! 1.6 Mbit/s down, 750 kbit/s up) and its CPU slowed 4x, first visits (cache and
//! storage cleared) and repeat visits (the cache as the first visit left it).
//!
//! The floor is a plain page on the same server, served from the same copy of the
//! build: it carries the app's styles as the app's page does (inline) and fetches its
//! script and wasm, in that order, without compiling or running either. It is ready when all of them have
//! arrived (the page's `load`, and both fetches read to the end). Its fetching is done
//! by the bench's recorder (installed before any page script, so the page needs no
//! script of its own: one request fewer than a script file would cost, and nothing
//! the server's Content-Security-Policy would refuse inline).
//!
//! Loads alternate app and floor, each first visit followed by its repeat visit, so
//! both pages meet the same machine and server at the same moments.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::browser::Session;
use super::ready;
use seedream_first_load::page::app_files_in;

/// Lighthouse's mobile profile: round trip, down and up throughput, CPU slowdown.
pub const RTT_MS: f64 = 150.0;
pub const DOWN_KBIT_S: f64 = 1638.4;
pub const UP_KBIT_S: f64 = 750.0;
pub const CPU_SLOWDOWN: f64 = 4.0;

/// The floor page's name in the copy of the build.
const FLOOR_PAGE: &str = "floor.html";

/// What the slow loads measured, each a list of ready times in ms.
#[derive(Debug, Default)]
pub struct SlowRun {
    pub app_first: Vec<f64>,
    pub floor_first: Vec<f64>,
    pub app_repeat: Vec<f64>,
    pub floor_repeat: Vec<f64>,
    /// The app's loads, with their start-up steps: where a visit's time goes.
    pub app_first_loads: Vec<ready::Load>,
    pub app_repeat_loads: Vec<ready::Load>,
    /// The wasm's `Content-Encoding` as Chromium received it.
    pub wasm_encoding: String,
    /// The wasm's bytes on the wire in a first visit.
    pub wasm_transferred: f64,
}

/// A copy of `dist` in `dir` with the floor page beside the app.
pub fn write_site(dist: &Path, dir: &Path) -> Result<PathBuf> {
    let files = app_files_in(dist).map_err(anyhow::Error::msg)?;
    let _ = std::fs::remove_dir_all(dir);
    seedream_run::copy_dir(dist, dir)?;
    let path = dir.join(FLOOR_PAGE);
    if path.exists() {
        bail!("the app's build has a {FLOOR_PAGE} of its own");
    }
    // The same styles as the app's page: the ones it carries (allowed by the same hashes
    // in the server's policy), then any it links.
    let styles: String = files
        .inline_styles
        .iter()
        .map(|css| format!("    <style>{css}</style>\n"))
        .chain(
            files
                .styles
                .iter()
                .map(|href| format!("    <link rel=\"stylesheet\" href=\"/{href}\" />\n")),
        )
        .collect();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    \
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n    \
         <title>Floor</title>\n    <link rel=\"icon\" href=\"data:,\" />\n{styles}  </head>\n  \
         <body data-floor-script=\"/{}\" data-floor-wasm=\"/{}\"></body>\n</html>\n",
        files.script, files.wasm
    );
    std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    Ok(dir.to_owned())
}

/// Installed before the floor page's own parsing: once the body (after the
/// stylesheets) is parsed, fetches the script, then the wasm, and reads both whole;
/// ready once they and the page's `load` are done. Other pages are left to
/// [`ready`]'s recorder.
const FLOOR_FETCHER: &str = r#"(() => {
  if (!location.pathname.endsWith("/floor.html")) return;
  const loaded = new Promise((done) => addEventListener("load", done));
  document.addEventListener("DOMContentLoaded", async () => {
    const { floorScript, floorWasm } = document.body.dataset;
    const script = fetch(floorScript).then((r) => r.arrayBuffer());
    const wasm = fetch(floorWasm).then((r) => r.arrayBuffer());
    await Promise.all([script, wasm, loaded]);
    window.__benchReady = performance.now();
  });
})();"#;

/// Throttles `session` as a slow phone (network and CPU).
async fn throttle(session: &Session) -> Result<()> {
    session.cdp("Network.enable", json!({})).await?;
    let bytes_per_s = |kbit_s: f64| kbit_s * 1024.0 / 8.0;
    session
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": RTT_MS,
                "downloadThroughput": bytes_per_s(DOWN_KBIT_S),
                "uploadThroughput": bytes_per_s(UP_KBIT_S),
            }),
        )
        .await?;
    session
        .cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": CPU_SLOWDOWN }),
        )
        .await?;
    Ok(())
}

/// Forgets what a visit left: the HTTP cache and the origin's storage.
async fn first_visit(session: &Session, origin: &str) -> Result<()> {
    session.cdp("Network.clearBrowserCache", json!({})).await?;
    session
        .cdp(
            "Storage.clearDataForOrigin",
            json!({ "origin": origin, "storageTypes": "all" }),
        )
        .await?;
    Ok(())
}

/// `loads` first and repeat visits of the app at `origin` and of its floor page.
pub async fn measure(session: &Session, origin: &str, loads: usize) -> Result<SlowRun> {
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": ready::RECORD_READY }),
        )
        .await?;
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": FLOOR_FETCHER }),
        )
        .await?;
    throttle(session).await?;
    let origin = origin.trim_end_matches('/');
    let (app, floor) = (format!("{origin}/"), format!("{origin}/{FLOOR_PAGE}"));
    let mut run = SlowRun::default();
    // Unmeasured: starts the renderer and the server's connections.
    first_visit(session, origin).await?;
    ready::load(session, &app).await?;
    for i in 0..loads {
        first_visit(session, origin).await?;
        let app_first = ready::load(session, &app).await?;
        run.wasm_transferred = wasm_transferred(session).await?;
        let app_repeat = ready::load(session, &app).await?;
        first_visit(session, origin).await?;
        let floor_first = ready::load(session, &floor).await?;
        let floor_repeat = ready::load(session, &floor).await?;
        eprintln!(
            "bench: slow load {}/{loads}: first visit app {:.0} ms, floor {:.0} ms; repeat app {:.0} ms, floor {:.0} ms",
            i + 1,
            app_first.ready_ms,
            floor_first.ready_ms,
            app_repeat.ready_ms,
            floor_repeat.ready_ms
        );
        run.app_first.push(app_first.ready_ms);
        run.floor_first.push(floor_first.ready_ms);
        run.app_repeat.push(app_repeat.ready_ms);
        run.floor_repeat.push(floor_repeat.ready_ms);
        run.app_first_loads.push(app_first);
        run.app_repeat_loads.push(app_repeat);
    }
    run.wasm_encoding = wasm_encoding(session).await?;
    Ok(run)
}

/// The wasm's bytes on the wire in the load just made.
async fn wasm_transferred(session: &Session) -> Result<f64> {
    let value = session
        .js("return performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.transferSize ?? null;")
        .await?;
    value.as_f64().context("the load fetched no wasm")
}

/// The wasm's `Content-Encoding` when Chromium asks for it (its own `Accept-Encoding`).
async fn wasm_encoding(session: &Session) -> Result<String> {
    let value = session
        .wait_for(
            "the wasm's encoding",
            "const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));\
             if (!wasm) return 'no wasm loaded';\
             if (window.__benchEncoding === undefined) {\
               window.__benchEncoding = null;\
               fetch(wasm.name, { cache: 'no-store' }).then((r) => {\
                 window.__benchEncoding = r.headers.get('content-encoding') ?? 'identity'; });\
             }\
             return window.__benchEncoding;",
            Duration::from_secs(120),
            Duration::from_millis(100),
        )
        .await?;
    Ok(value.as_str().unwrap_or("unknown").to_owned())
}
