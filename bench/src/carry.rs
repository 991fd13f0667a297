//! Export and import of a history of 30 results of about 5 MB each: the app's import
//! of an exported file, against a plain page storing the same 30 slices of it in
//! IndexedDB, and the app's export of those 30 edits, against a plain page joining the
//! same 30 stored blobs with `new Blob([...])`; and the wasm memory's growth over each.
//!
//! The file ([`fixture`]) is a studio export of 30 edits of one result each (noise
//! behind a JPEG's first bytes), laid out as the app's export lays it out and with its
//! manifest (the unit tests read it with the app's own reader), written once into
//! `target/bench/carry/` and read back for each result's data range. Every run, from
//! an empty origin (storage cleared):
//!
//! - the app, a fresh load: the file chosen in its import input
//!   (`.carry input[type=file]`, WebDriver's `send_keys` with the path), from its
//!   `seedream-studio:import-chosen` mark to `seedream-studio:import-done` (every image
//!   checked, its size and CRC-32 read in 1 MB slices, stored in IndexedDB in one
//!   transaction per edit, and the records listed), once its status reads "Imported 30
//!   edits."; then, once the cards' images are shown, Export history pressed, from
//!   `seedream-studio:export-pressed` to `seedream-studio:export-ready` (the stored
//!   blobs read in one transaction, the zip's headers written in Rust and joined with
//!   them in one `Blob`, and its object URL made), once its status reads
//!   "Exported 30 edits."; the file it saves (into `target/bench/carry/downloads/`,
//!   removed after) must hold the same 30 results, stored, with the sizes and CRC-32s
//!   its manifest and directory say. The wasm memory's growth over each: its size
//!   before the file is chosen to after the import, before the press to after the
//!   export;
//! - then, the origin cleared again, the import's plain page ([`page`]), a fresh load
//!   with its database open: the same file chosen in its input, and from the `change`
//!   event each result's `file.slice(start, end)` (the ranges given in its address)
//!   `put` in a transaction of its own, one after another, until the last `complete`;
//! - then the export's plain page, a fresh load: with its database open and the page
//!   loaded, the 30 blobs the import page stored, read in one readonly transaction,
//!   joined with `new Blob([...])`, until `URL.createObjectURL` returns.
//!
//! The app and the pages are served by one server in this process (a copy of `dist/`
//! with the pages beside it), so they share one origin and its storage quota, with
//! the HTTP cache disabled as for the keep row; nothing here goes over the network but
//! the pages themselves. The file is in the system's page cache for both (read through
//! once before the runs), and the system's pending writes are flushed (`sync`) before
//! each side's import. The times are the pages' own (`performance` marks and
//! `performance.now()`), read after the fact.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use super::browser::Session;
use super::{polling, ready};
pub use fixture::{Fixture, TASKS, fixture};
pub use page::{wasm_probe, write_site};
use readings::{check_export, ended, growth, plain};

mod fixture;
mod page;
mod readings;

/// The results' size in the rows' words.
pub const RESULT_SIZE: &str = "about 5 MB";

const IMPORT_INPUT: &str = ".carry input[type=file]";
const EXPORT_BUTTON: &str = "[data-action=\"export-history\"]";
const TASK_CARDS: &str = "ol.task-list > li.task-card";
const IMPORT_CHOSEN: &str = "seedream-studio:import-chosen";
const IMPORT_DONE: &str = "seedream-studio:import-done";
const EXPORT_PRESSED: &str = "seedream-studio:export-pressed";
const EXPORT_READY: &str = "seedream-studio:export-ready";

/// How often a page is asked whether it is done: the times are its own, read after
/// the fact, so this only spaces the bench's scripts in the measured page.
const CHECK_EVERY: Duration = Duration::from_millis(100);
/// The longest an import, an export or a download may take.
const AT_MOST: Duration = Duration::from_secs(180);

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub struct CarryRun {
    /// The app's `export-pressed` to `export-ready`, ms.
    pub export_ms: f64,
    /// The plain page reading the blobs and joining them, ms.
    pub export_baseline_ms: f64,
    /// The app's `import-chosen` to `import-done`, ms.
    pub import_ms: f64,
    /// The plain page storing the file's slices, ms.
    pub import_baseline_ms: f64,
    /// The wasm memory's growth over the export, bytes.
    pub export_growth: f64,
    /// The wasm memory's growth over the import, bytes.
    pub import_growth: f64,
}

/// `runs` runs of the app (on `origin`, the server of [`write_site`]'s folder) and
/// the plain pages, in `session`, with `file` (see [`fixture`]); the app's exports are
/// saved into `downloads` (emptied first), each checked and removed.
pub async fn measure(
    session: &Session,
    origin: &str,
    file: &Fixture,
    downloads: &Path,
    runs: usize,
) -> Result<Vec<CarryRun>> {
    ready::disable_cache(session).await?;
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": page::wasm_probe() }),
        )
        .await?;
    let _ = std::fs::remove_dir_all(downloads);
    std::fs::create_dir_all(downloads)
        .with_context(|| format!("creating {}", downloads.display()))?;
    save_downloads_in(session, downloads).await?;
    let path = file
        .path
        .to_str()
        .context("the file's path is not UTF-8")?
        .to_owned();
    eprintln!(
        "bench: carry: {} ({:.1} MB, {TASKS} results of {:.1} MB in all)",
        file.path.display(),
        file.bytes as f64 / 1e6,
        file.image_bytes() as f64 / 1e6
    );
    // Read once, so that both sides find it in the system's page cache.
    let whole = file.path.clone();
    tokio::task::spawn_blocking(move || {
        std::io::copy(&mut std::fs::File::open(&whole)?, &mut std::io::sink())
    })
    .await?
    .context("reading the file")?;
    let mut measured = Vec::new();
    for i in 0..runs {
        let app = in_app(session, origin, &path, file, downloads).await?;
        let (import_baseline_ms, export_baseline_ms) =
            in_baseline(session, origin, &path, file).await?;
        eprintln!(
            "bench: carry {}/{runs}: export {:.0} ms, plain page {export_baseline_ms:.0} ms; \
             import {:.0} ms, plain page {import_baseline_ms:.0} ms; \
             memory +{:.1} MB / +{:.1} MB",
            i + 1,
            app.export_ms,
            app.import_ms,
            app.export_growth / 1e6,
            app.import_growth / 1e6,
        );
        measured.push(CarryRun {
            import_baseline_ms,
            export_baseline_ms,
            ..app
        });
    }
    session.clear_origin(origin).await?;
    let _ = std::fs::remove_dir_all(downloads);
    Ok(measured)
}

/// Has the browser save downloads into `dir` without asking.
async fn save_downloads_in(session: &Session, dir: &Path) -> Result<()> {
    let params = json!({ "behavior": "allow", "downloadPath": dir });
    if session
        .cdp("Browser.setDownloadBehavior", params.clone())
        .await
        .is_err()
    {
        session
            .cdp("Page.setDownloadBehavior", params)
            .await
            .context("letting the browser save the app's exports")?;
    }
    Ok(())
}

/// One run of the app, from an empty origin: the import, then the export. The
/// baselines' fields are left at zero.
async fn in_app(
    session: &Session,
    origin: &str,
    path: &str,
    file: &Fixture,
    downloads: &Path,
) -> Result<CarryRun> {
    session.clear_origin(origin).await?;
    polling::open(session, origin).await?;
    let input = session
        .client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(IMPORT_INPUT))
        .await
        .with_context(|| format!("the app's import input ({IMPORT_INPUT})"))?;
    let before = wasm_bytes(session).await?;
    flush_disk().await?;
    input.send_keys(path).await.context("choosing the file")?;
    let found = finished(session, "import", IMPORT_CHOSEN, IMPORT_DONE).await?;
    let import_growth = growth("import", &before, &wasm_bytes(session).await?)?;
    let import_ms = ended("import", &found, &format!("Imported {TASKS} edits."))?;

    settle(session).await?;
    let before = wasm_bytes(session).await?;
    session.click(EXPORT_BUTTON, "Export history").await?;
    let found = finished(session, "export", EXPORT_PRESSED, EXPORT_READY).await?;
    let export_growth = growth("export", &before, &wasm_bytes(session).await?)?;
    let export_ms = ended("export", &found, &format!("Exported {TASKS} edits."))?;

    // The file saved is the export, whole: the same results as imported.
    let saved = saved_file(downloads).await?;
    let outcome = fixture::read_back(&saved).and_then(|exported| check_export(&exported, file));
    let _ = std::fs::remove_file(&saved);
    outcome.context("the app's exported file")?;
    Ok(CarryRun {
        export_ms,
        export_baseline_ms: 0.0,
        import_ms,
        import_baseline_ms: 0.0,
        export_growth,
        import_growth,
    })
}

/// The wasm memory's size now, once the app has started (trunk's event seen).
async fn wasm_bytes(session: &Session) -> Result<Value> {
    session
        .wait_for(
            "the app's wasm memory (its TrunkApplicationStarted event)",
            "return window.__benchWasmBytes ? window.__benchWasmBytes() : null;",
            Duration::from_secs(10),
            CHECK_EVERY,
        )
        .await
}

/// Waits until the app's `what` (marked `from` when it started) is over, that is its
/// buttons are no longer waiting for it, and returns its marks and status lines.
async fn finished(session: &Session, what: &str, from: &str, to: &str) -> Result<Value> {
    session
        .wait_for(
            &format!("the app's {what} to end"),
            &format!(
                "const [from, to] = ['{from}', '{to}']
                   .map((name) => performance.getEntriesByName(name, 'mark').map((m) => m.startTime));
                 const busy = document.querySelector('{EXPORT_BUTTON}')?.disabled ?? true;
                 if (from.length === 0 || busy) return null;
                 const lines = Array.from(document.querySelectorAll('.carry-status p'),
                   (p) => p.textContent.trim());
                 return {{ from, to, lines }};"
            ),
            AT_MOST,
            CHECK_EVERY,
        )
        .await
}

/// Waits until the imported edits are on the page: every result image in view loaded
/// (or failed: the results are noise, which no browser decodes; those below are
/// lazy), two frames later.
async fn settle(session: &Session) -> Result<()> {
    let shown = session
        .wait_for(
            "the imported edits' cards",
            &format!(
                "const cards = document.querySelectorAll('{TASK_CARDS}');
                 const images = [...document.querySelectorAll('{TASK_CARDS} li.result img')];
                 const shown = images.filter((img) => img.getBoundingClientRect().top < innerHeight);
                 return cards.length > 0 && shown.length > 0 && shown.every((img) => img.complete);"
            ),
            Duration::from_secs(60),
            CHECK_EVERY,
        )
        .await;
    if let Err(err) = shown {
        let seen = session
            .js(&format!(
                "return {{ cards: document.querySelectorAll('{TASK_CARDS}').length,
                   images: Array.from(document.querySelectorAll('{TASK_CARDS} img'),
                     (img) => [img.closest('li')?.className ?? '', img.complete, img.src.slice(0, 40)]) }};"
            ))
            .await
            .unwrap_or_default();
        return Err(err.context(format!("the page showed {seen}")));
    }
    session
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await
        .context("waiting two frames")?;
    Ok(())
}

/// The one file the browser saved into `dir`, once it is whole (Chromium writes a
/// `.crdownload` beside it until then).
async fn saved_file(dir: &Path) -> Result<PathBuf> {
    let deadline = Instant::now() + AT_MOST;
    loop {
        let names: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        let partial = names
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "crdownload"));
        let zips: Vec<&PathBuf> = names
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "zip"))
            .collect();
        match zips.as_slice() {
            [zip] if !partial => return Ok((*zip).clone()),
            [_, _, ..] => bail!("the browser saved several files into {}", dir.display()),
            _ => {}
        }
        if Instant::now() >= deadline {
            bail!(
                "the app's export was not saved into {} within {AT_MOST:?}",
                dir.display()
            );
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

/// The plain pages, from an empty origin: the import page storing the file's slices,
/// then the export page joining the stored blobs. Returns their times, ms.
async fn in_baseline(
    session: &Session,
    origin: &str,
    path: &str,
    file: &Fixture,
) -> Result<(f64, f64)> {
    session.clear_origin(origin).await?;
    let url = page::import_url(origin, &file.ranges)?;
    fresh_load(session, &url).await?;
    session
        .wait_for(
            "the import page's database",
            &format!(
                "return window.{} === true || window.{} !== undefined;",
                page::WAITING,
                page::STAMP
            ),
            Duration::from_secs(30),
            CHECK_EVERY,
        )
        .await?;
    let input = session
        .client
        .find(Locator::Css("input[type=file]"))
        .await
        .context("the import page's file input")?;
    flush_disk().await?;
    input.send_keys(path).await.context("choosing the file")?;
    let bytes = file.image_bytes();
    let import_ms = plain(
        "the import's plain page",
        &stamp(session, "the import's plain page").await?,
        TASKS,
        bytes,
    )?;

    fresh_load(session, &page::export_url(origin, TASKS)).await?;
    let export_ms = plain(
        "the export's plain page",
        &stamp(session, "the export's plain page").await?,
        TASKS,
        bytes,
    )?;
    Ok((import_ms, export_ms))
}

/// Writes out what the system still holds to write (`sync`): each run moves some
/// 450 MB through the disk (both sides' databases, the saved export), and neither
/// side's import should share it with the kernel writing out the last step's.
async fn flush_disk() -> Result<()> {
    let status = tokio::task::spawn_blocking(|| std::process::Command::new("sync").status())
        .await?
        .context("running sync")?;
    if !status.success() {
        bail!("sync failed ({status})");
    }
    Ok(())
}

/// Loads `url` afresh: a new navigation from `about:blank`.
async fn fresh_load(session: &Session, url: &str) -> Result<()> {
    session.client.goto("about:blank").await?;
    session
        .client
        .goto(url)
        .await
        .with_context(|| format!("loading {url}"))?;
    Ok(())
}

/// What the plain page recorded, once it has.
async fn stamp(session: &Session, what: &str) -> Result<Value> {
    session
        .wait_for(
            what,
            &format!("return window.{} ?? null;", page::STAMP),
            AT_MOST,
            CHECK_EVERY,
        )
        .await
}
