//! Intake and submit of fourteen images of about 10 MB each, through the app's real
//! file input and its Edit button, each against a plain page doing the least a page
//! can do with the same files (the browser's own `FileReader.readAsDataURL`).
//!
//! One run is four fresh loads, in this order, with the servers left to go quiet
//! between them (the mock decodes a submit's images after answering it):
//!
//! - the app: the files chosen in its input, until all fourteen cards are ready
//!   (format and pixel size shown, thumbnail decoded): **intake**; then a prompt
//!   typed and Edit pressed, until the page has the mock's answer to the submit:
//!   **submit**; and the wasm memory's growth from before the intake to after the
//!   answer;
//! - `read.html`: the same files read as data URLs, in parallel (intake's baseline);
//! - `thumbs.html`: for each of the same files an object URL in a lazy, async-decoded
//!   `<img>` on the page, until all fourteen are loaded, by the app's own rule: what
//!   the browser must do for the app's thumbnails, and nothing else (intake's floor);
//! - `send.html`: the same files read as data URLs, in parallel, the app's JSON body
//!   built around them and sent with one `fetch` to the same mock route, until its
//!   answer (submit's baseline).
//!
//! Every clock is the page's own `performance.now()`, read back after the fact. In the
//! app, a script installed before the page's own ([`record_app`]) starts the intake
//! clock at the input's `change` event and stops it on the first animation frame where
//! every card is ready (in a viewport tall enough for all fourteen: see [`VIEWPORT`]);
//! it starts the submit clock at the press of Edit (a capturing `click` or `submit`
//! listener) and stops it when the page's `fetch` of the submit route resolves (it
//! wraps `window.fetch`), so nothing depends on the app's internals.
//!
//! The pages are served by two servers of their own ([`Servers`]): the release build
//! of `seedream-server` as child processes, each with the mock and the same settings,
//! one serving `dist/`, the other the baseline pages (as files: the server's CSP allows
//! no inline script) so that their `fetch` goes to their own origin, with no CORS. The
//! release build, because the mock takes in and checks each ~182 MB submit before it
//! answers: about 0.8 s, where a debug build takes 2.7 s, on both sides alike,
//! which would drown the pages' own difference.
//!
//! The images are noise PNGs (noise does not compress, so each stays near its raw
//! size), generated once into `target/bench/inputs/` rather than committed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use super::browser::Session;
use super::child::Server;
use pages::record_app;
pub use pages::write_baseline_pages;

mod pages;

/// Images added at once: the contract's maximum.
pub const IMAGES: usize = 14;
/// Their side in pixels: 1,800² RGB noise is about 9.7 MB as PNG, under the 10 MiB
/// limit.
const SIDE: u32 = 1_800;
/// The prompt typed in the app and sent by the submit's baseline.
const PROMPT: &str = "Put the objects of all fourteen pictures side by side on one shelf";

/// The floor's thumbnails' size in CSS pixels: about the app's, a card of the image
/// list's narrowest column (11.5 rem) at 4:3, the image fitted inside.
const THUMB_WIDTH: u32 = 184;
const THUMB_HEIGHT: u32 = 138;

/// The viewport for these runs: the end-to-end tests' width, and tall enough to hold
/// the form with fourteen image cards (about 3,500 px), so that every card is laid
/// out and painted like the first, and the intake ends when all are shown.
const VIEWPORT: (u32, u32) = (1_280, 4_000);

const FILE_INPUT: &str = "input.image-file-input";
const PROMPT_FIELD: &str = "#prompt";
const EDIT_BUTTON: &str = "form.edit-form button[type=submit]";
const TASK_CARDS: &str = "ol.task-list > li.task-card";

/// The mock's settings on both servers. No rate limit and no limit on tasks at once,
/// said here rather than left to the defaults: each run sends one submit to each mock
/// and leaves its task running, and a refused submit would end the runs.
const MOCK_FLAGS: [&str; 8] = [
    "--queue-time",
    "1s",
    "--processing-time",
    "4s",
    "--rate-limit",
    "0",
    "--max-concurrent-tasks",
    "0",
];

/// The two servers of these runs, stopped when dropped.
pub struct Servers {
    app: Server,
    baseline: Server,
}

impl Servers {
    /// `bin` (the server's release build) serving `dist` and `baseline_dir` (where
    /// [`write_baseline_pages`] wrote), each with the mock, on free loopback ports.
    pub fn start(bin: &Path, dist: &Path, baseline_dir: &Path) -> Result<Servers> {
        let start = |dir: &Path| {
            let dir = dir.to_str().context("the directory's path is not UTF-8")?;
            let mut args = vec!["--mock", "--listen", "127.0.0.1:0", "--static", dir];
            args.extend_from_slice(&MOCK_FLAGS);
            Server::start(bin, &args, None)
        };
        Ok(Servers {
            app: start(dist)?,
            baseline: start(baseline_dir)?,
        })
    }

    /// Both servers' CPU time so far, in clock ticks.
    fn cpu_ticks(&self) -> Result<u64> {
        Ok(self.app.cpu_ticks()? + self.baseline.cpu_ticks()?)
    }
}

/// Writes (once) the fourteen noise PNGs into `dir` and returns their paths.
pub fn fixtures(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    (0..IMAGES)
        .map(|i| {
            let path = dir.join(format!("noise-{i:02}.png"));
            if !path.exists() {
                // A small linear congruential generator: noise, and the same each run.
                let mut state = 0x9E37_79B9_u32.wrapping_mul(i as u32 + 1);
                let picture = image::RgbImage::from_fn(SIDE, SIDE, |_, _| {
                    let mut next = || {
                        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                        (state >> 24) as u8
                    };
                    image::Rgb([next(), next(), next()])
                });
                picture
                    .save(&path)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Ok(path)
        })
        .collect()
}

/// One run: the app's intake and submit, and their baselines, each on a fresh load.
#[derive(Debug, Clone, Copy)]
pub struct InputRun {
    pub intake_ms: f64,
    /// `FileReader.readAsDataURL` of the same files.
    pub read_ms: f64,
    /// Object URLs of the same files in `<img>` elements until all are loaded: the
    /// browser's share of the app's intake.
    pub thumbs_ms: f64,
    pub submit_ms: f64,
    /// Reading, the JSON body and one `fetch` of the same files.
    pub send_ms: f64,
    /// The wasm memory's growth from before the intake to after the submit's answer,
    /// bytes.
    pub wasm_growth: f64,
}

/// `runs` runs, each on fresh loads of the app and of the three baseline pages.
pub async fn measure(
    session: &Session,
    servers: &Servers,
    files: &[PathBuf],
    runs: usize,
) -> Result<Vec<InputRun>> {
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": record_app() }),
        )
        .await?;
    session
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": VIEWPORT.0,
                "height": VIEWPORT.1,
                "deviceScaleFactor": 1,
                "mobile": false,
            }),
        )
        .await?;
    let paths = files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let app_origin = servers.app.url("");
    let read = servers.baseline.url("/read.html");
    let thumbs = servers.baseline.url("/thumbs.html");
    let send = servers.baseline.url("/send.html");
    let mut measured = Vec::new();
    for i in 0..runs {
        settle(servers).await?;
        let app = in_app(session, &app_origin, &paths).await?;
        settle(servers).await?;
        let read_ms = in_baseline(session, &read, &paths, "__benchIntake").await?;
        settle(servers).await?;
        let thumbs_ms = in_baseline(session, &thumbs, &paths, "__benchIntake").await?;
        settle(servers).await?;
        let send_ms = in_baseline(session, &send, &paths, "__benchSubmit").await?;
        eprintln!(
            "bench: inputs {}/{runs}: intake {:.0} ms (FileReader {read_ms:.0} ms, \
             object-URL thumbnails alone {thumbs_ms:.0} ms), \
             submit {:.0} ms (FileReader, JSON and fetch {send_ms:.0} ms), \
             wasm memory +{:.1} MB (+{:.1} MB by the end of the intake)",
            i + 1,
            app.intake_ms,
            app.submit_ms,
            app.wasm_growth / 1e6,
            app.intake_growth / 1e6,
        );
        measured.push(InputRun {
            intake_ms: app.intake_ms,
            read_ms,
            thumbs_ms,
            submit_ms: app.submit_ms,
            send_ms,
            wasm_growth: app.wasm_growth,
        });
    }
    session.client.goto("about:blank").await?;
    Ok(measured)
}

/// What one app run measured.
struct AppRun {
    intake_ms: f64,
    submit_ms: f64,
    wasm_growth: f64,
    /// Of the growth, the part by the end of the intake (shown in the progress line).
    intake_growth: f64,
}

async fn in_app(session: &Session, origin: &str, paths: &str) -> Result<AppRun> {
    let url = format!("{origin}/");
    let input = fresh_load(session, &url, FILE_INPUT).await?;
    input.send_keys(paths).await.context("choosing the files")?;
    let intake_ms = stamp(
        session,
        "the app's intake (every card's details and thumbnail shown)",
        "__benchIntake",
    )
    .await?;
    let intake_growth = wasm_growth(session).await?;

    let prompt = session
        .client
        .find(Locator::Css(PROMPT_FIELD))
        .await
        .context("the prompt field")?;
    prompt
        .send_keys(PROMPT)
        .await
        .context("typing the prompt")?;
    session
        .wait_for(
            "an enabled Edit button",
            &format!("const b = document.querySelector('{EDIT_BUTTON}'); return b !== null && !b.disabled;"),
            Duration::from_secs(120),
            Duration::from_millis(50),
        )
        .await?;
    session.click(EDIT_BUTTON, "Edit").await?;
    let submit_ms = stamp(session, "the app's submit", "__benchSubmit").await?;
    // The answer reached the page; the app takes it up (a task card) before the page
    // is left, so the growth read here includes its handling of the answer.
    session
        .wait_for(
            "a task card after the submit's answer",
            &format!("return document.querySelector('{TASK_CARDS}') !== null;"),
            Duration::from_secs(30),
            Duration::from_millis(50),
        )
        .await?;
    let wasm_growth = wasm_growth(session).await?;

    // The next load of the app would restore this task from its history and follow it
    // to its results, work that is not the next run's; the mock's task is left alone.
    session.clear_origin(origin).await?;
    Ok(AppRun {
        intake_ms,
        submit_ms,
        wasm_growth,
        intake_growth,
    })
}

/// The wasm memory's growth since the input's `change` event, bytes.
async fn wasm_growth(session: &Session) -> Result<f64> {
    let growth = session
        .js(
            "const now = window.__benchWasmBytes(); const before = window.__benchMemoryBefore; \
             return now === null || before == null ? null : now - before;",
        )
        .await?;
    growth
        .as_f64()
        .context("the app's wasm memory could not be read (no TrunkApplicationStarted event)")
}

/// A baseline page's figure: the files chosen in its input, then the time it recorded
/// in `window[stamp_name]`.
async fn in_baseline(session: &Session, url: &str, paths: &str, stamp_name: &str) -> Result<f64> {
    let input = fresh_load(session, url, "input[type=file]").await?;
    input.send_keys(paths).await.context("choosing the files")?;
    stamp(session, url, stamp_name).await
}

/// Loads `url` afresh (a new navigation from `about:blank`) and returns the element at
/// `css` once it is there.
async fn fresh_load(
    session: &Session,
    url: &str,
    css: &str,
) -> Result<fantoccini::elements::Element> {
    session.client.goto("about:blank").await?;
    session
        .client
        .goto(url)
        .await
        .with_context(|| format!("loading {url}"))?;
    session
        .client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("`{css}` on {url}"))
}

/// Waits for the page to record `window[name]`, `{ms}` or `{ms, status}` when it
/// worked, `{error}` when it did not, and returns the milliseconds.
async fn stamp(session: &Session, what: &str, name: &str) -> Result<f64> {
    let recorded = session
        .wait_for(
            &format!("{what} ({IMAGES} images)"),
            &format!("return window.{name} ?? null;"),
            Duration::from_secs(180),
            Duration::from_millis(50),
        )
        .await?;
    read_stamp(what, &recorded)
}

/// The milliseconds a page recorded: `{ms}`, or `{ms, status}` with the status of the
/// mock's answer to its submit; an error when the page recorded `{error}` or the mock
/// refused the submit.
pub fn read_stamp(what: &str, recorded: &Value) -> Result<f64> {
    if let Some(error) = recorded["error"].as_str() {
        bail!("{what} failed in the page: {error}");
    }
    if let Some(status) = recorded["status"].as_u64()
        && !(200..300).contains(&status)
    {
        bail!(
            "{what}: the mock answered the submit with {status}, not a success: \
             a refused submit would flatter its side"
        );
    }
    recorded["ms"]
        .as_f64()
        .with_context(|| format!("{what}: the page recorded no time: {recorded}"))
}

/// Waits (at most 20 s) until both servers have been nearly idle for a quarter of a
/// second: after a submit the mock decodes its fourteen images in the background,
/// which would otherwise share the two cores with the next measurement.
async fn settle(servers: &Servers) -> Result<()> {
    const WINDOW: Duration = Duration::from_millis(250);
    // Clock ticks (1/100 s on Linux) of CPU time in one window: 2 is under 10% of a core.
    const IDLE_TICKS: u64 = 2;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = servers.cpu_ticks()?;
    while Instant::now() < deadline {
        tokio::time::sleep(WINDOW).await;
        let now = servers.cpu_ticks()?;
        if now.saturating_sub(last) <= IDLE_TICKS {
            break;
        }
        last = now;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_its_time_unless_the_page_failed_or_the_mock_refused() {
        assert_eq!(read_stamp("x", &json!({ "ms": 12.5 })).ok(), Some(12.5));
        assert_eq!(
            read_stamp("x", &json!({ "ms": 12.5, "status": 200 })).ok(),
            Some(12.5)
        );
        let refused = read_stamp("x", &json!({ "ms": 3.0, "status": 429 }));
        assert!(refused.is_err_and(|e| e.to_string().contains("429")));
        let failed = read_stamp("x", &json!({ "error": "NotReadableError" }));
        assert!(failed.is_err_and(|e| e.to_string().contains("NotReadableError")));
    }
}
