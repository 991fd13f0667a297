//! Input preparation: fourteen images of about 10 MB each, added through the app's
//! real file input, until every card shows its thumbnail and holds its request data,
//! against the same files read by `FileReader.readAsDataURL` in a plain page (the
//! browser's own encoder, the fastest a page can do).
//!
//! The images are noise PNGs (noise does not compress, so each stays near its raw
//! size), generated once into `target/bench/inputs/` rather than committed. The clock
//! starts at the input's `change` event and stops, in the page, on the first animation
//! frame where all fourteen are ready; wasm memory is read from the module trunk
//! started (its `TrunkApplicationStarted` event).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;

use super::browser::Session;

/// Images added at once: the contract's maximum.
pub const IMAGES: usize = 14;
/// Their side in pixels: 1,800² RGB noise is about 9.7 MB as PNG, under the 10 MiB
/// limit.
const SIDE: u32 = 1_800;

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

/// The baseline page (the server's CSP allows no inline script).
pub const BASELINE_HTML: &str = "<!DOCTYPE html>
<html lang=\"en\">
  <head><meta charset=\"utf-8\" /><title>Read files</title><link rel=\"icon\" href=\"data:,\" /></head>
  <body>
    <input type=\"file\" multiple />
    <script type=\"module\" src=\"read.js\"></script>
  </body>
</html>
";

/// Reads every picked file as a data URL, in parallel, and records when all are read.
pub const BASELINE_JS: &str =
    "document.querySelector('input').addEventListener('change', async (event) => {
  const start = performance.now();
  const read = (file) => new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result.length);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
  await Promise.all([...event.target.files].map(read));
  window.__benchInputs = performance.now() - start;
});
";

/// Installed before the app's scripts: the clock and the wasm memory probe.
const RECORD_INPUTS: &str = r#"(() => {
  addEventListener("TrunkApplicationStarted", (e) => { window.__benchWasm = e.detail.wasm; });
  document.addEventListener("change", (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.type !== "file") return;
    if (!document.querySelector("[data-seedream-studio]")) return;
    const start = performance.now();
    const wasmBytes = () => window.__benchWasm ? window.__benchWasm.memory.buffer.byteLength : 0;
    window.__benchMemoryBefore = wasmBytes();
    const ready = () => {
      const cards = document.querySelectorAll("[data-image-id]");
      if (cards.length < 14) return false;
      return [...cards].every((card) => {
        const img = card.querySelector("img");
        return img && img.complete && img.naturalWidth > 0;
      });
    };
    const frame = () => {
      if (ready()) {
        window.__benchInputs = performance.now() - start;
        window.__benchMemoryAfter = wasmBytes();
      } else {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  }, true);
})();"#;

/// One measured preparation.
#[derive(Debug, Clone, Copy)]
pub struct Preparation {
    pub app_ms: f64,
    pub baseline_ms: f64,
    /// The wasm memory's growth over the preparation, bytes.
    pub wasm_growth: f64,
}

/// `runs` preparations in the app and in the baseline page, alternating, each on a
/// fresh load.
pub async fn measure(
    session: &Session,
    app: &str,
    baseline: &str,
    files: &[PathBuf],
    runs: usize,
) -> Result<Vec<Preparation>> {
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": RECORD_INPUTS }),
        )
        .await?;
    let paths = files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let mut measured = Vec::new();
    for i in 0..runs {
        let app_ms = prepare(session, app, "input.image-file-input", &paths).await?;
        let growth = session
            .js("return window.__benchMemoryAfter - window.__benchMemoryBefore;")
            .await?
            .as_f64()
            .unwrap_or(f64::NAN);
        let baseline_ms = prepare(session, baseline, "input[type=file]", &paths).await?;
        eprintln!(
            "xtask: bench: inputs {}/{runs}: app {app_ms:.0} ms, FileReader {baseline_ms:.0} ms, wasm memory +{:.1} MB",
            i + 1,
            growth / 1e6
        );
        measured.push(Preparation {
            app_ms,
            baseline_ms,
            wasm_growth: growth,
        });
    }
    Ok(measured)
}

async fn prepare(session: &Session, url: &str, input: &str, paths: &str) -> Result<f64> {
    session.client.goto("about:blank").await?;
    session.client.goto(url).await?;
    let field = session
        .client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(fantoccini::Locator::Css(input))
        .await
        .with_context(|| format!("the file input of {url}"))?;
    field.send_keys(paths).await.context("choosing the files")?;
    let ms = session
        .wait_for(
            &format!("{url} preparing {IMAGES} images"),
            "return window.__benchInputs ?? null;",
            Duration::from_secs(120),
            Duration::from_millis(50),
        )
        .await?;
    ms.as_f64().context("the preparation time is not a number")
}
