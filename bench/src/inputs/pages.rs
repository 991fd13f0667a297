//! The pages the intake and submit rows load besides the app: the baselines and
//! the floor, as files (the server's CSP allows no inline script), and the script
//! installed in the app's page before its own to time it (see the parent module).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::json;

use super::*;

/// Writes the three baseline pages and their scripts into `dir` (emptied first), the
/// baseline server's directory, and returns it; with an `index.html` that links them,
/// which no run loads: the server serves no folder without one.
pub fn write_baseline_pages(dir: &Path) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let files = [
        ("index.html", INDEX.to_owned()),
        ("read.html", page("Read files", "read.js")),
        ("read.js", read_js()),
        ("thumbs.html", page("Show files", "thumbs.js")),
        ("thumbs.js", thumbs_js()),
        ("send.html", page("Send files", "send.js")),
        ("send.js", send_js()),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(dir.to_owned())
}

/// The folder's own page: the baselines, linked.
const INDEX: &str = "<!DOCTYPE html>
<html lang=\"en\">
  <head><meta charset=\"utf-8\" /><title>Intake and submit baselines</title><link rel=\"icon\" href=\"data:,\" /></head>
  <body>
    <a href=\"read.html\">Read files</a> <a href=\"thumbs.html\">Show files</a> <a href=\"send.html\">Send files</a>
  </body>
</html>
";

/// A page with a file input and one script file.
fn page(title: &str, script: &str) -> String {
    format!(
        "<!DOCTYPE html>
<html lang=\"en\">
  <head><meta charset=\"utf-8\" /><title>{title}</title><link rel=\"icon\" href=\"data:,\" /></head>
  <body>
    <input type=\"file\" multiple />
    <script type=\"module\" src=\"{script}\"></script>
  </body>
</html>
"
    )
}

/// Reads a file as a data URL (both baseline scripts start with it).
const READ_AS_DATA_URL: &str = "const read = (file) => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(reader.result);
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});
";

/// Intake's baseline: every picked file read as a data URL, in parallel.
fn read_js() -> String {
    format!(
        "{READ_AS_DATA_URL}document.querySelector('input').addEventListener('change', async (event) => {{
  const start = performance.now();
  try {{
    await Promise.all([...event.target.files].map(read));
    window.__benchIntake = {{ ms: performance.now() - start }};
  }} catch (error) {{
    window.__benchIntake = {{ error: String(error) }};
  }}
}});
"
    )
}

/// Intake's floor: for every picked file, an object URL in an `<img>` with the
/// attributes of the app's thumbnail (decoded asynchronously, about its size),
/// appended to the page; ready on the first animation frame where every one is
/// `complete` with a `naturalWidth`, as the app's cards are (see [`record_app`]).
fn thumbs_js() -> String {
    format!(
        "document.querySelector('input').addEventListener('change', (event) => {{
  const start = performance.now();
  const images = [...event.target.files].map((file) => {{
    const img = document.createElement('img');
    img.decoding = 'async';
    img.draggable = false;
    img.referrerPolicy = 'no-referrer';
    img.width = {THUMB_WIDTH};
    img.height = {THUMB_HEIGHT};
    img.style.objectFit = 'contain';
    img.onerror = () => {{ window.__benchIntake = {{ error: `${{file.name}} did not load` }}; }};
    img.src = URL.createObjectURL(file);
    document.body.append(img);
    return img;
  }});
  const frame = () => {{
    if (window.__benchIntake !== undefined) return;
    if (images.length >= {IMAGES} && images.every((img) => img.complete && img.naturalWidth > 0)) {{
      window.__benchIntake = {{ ms: performance.now() - start }};
    }} else {{
      requestAnimationFrame(frame);
    }}
  }};
  requestAnimationFrame(frame);
}});
"
    )
}

/// Submit's baseline: every picked file read as a data URL, in parallel, the body the
/// app sends built around them, and one `fetch` to the mock until its answer.
fn send_js() -> String {
    format!(
        "{READ_AS_DATA_URL}document.querySelector('input').addEventListener('change', async (event) => {{
  const start = performance.now();
  try {{
    const image = await Promise.all([...event.target.files].map(read));
    const body = JSON.stringify({{
      prompt: {prompt},
      image,
      size: '2048x2048',
      sequential_image_generation: 'disabled',
      sequential_image_generation_max_images: 15,
      optimize_prompt_mode: 'standard',
      output_format: 'jpeg',
    }});
    const answer = await fetch({route}, {{
      method: 'POST',
      headers: {{ 'Content-Type': 'application/json' }},
      body,
    }});
    window.__benchSubmit = {{ ms: performance.now() - start, status: answer.status }};
  }} catch (error) {{
    window.__benchSubmit = {{ error: String(error) }};
  }}
}});
",
        prompt = json!(PROMPT),
        route = json!(seedream_contract::SUBMIT_PATH),
    )
}

/// Installed before the app's scripts (`Page.addScriptToEvaluateOnNewDocument`, which
/// the page's CSP does not govern): the intake and submit clocks and the wasm memory
/// probe. It acts only on the app's page (its host element), not on the baselines.
pub(super) fn record_app() -> String {
    format!(
        r#"(() => {{
  const IMAGES = {IMAGES};
  const PIXELS = "{SIDE} × {SIDE}";
  const SUBMIT_PATH = {route};
  const inApp = () => document.querySelector("[data-seedream-studio]") !== null;
  addEventListener("TrunkApplicationStarted", (e) => {{ window.__benchWasm = e.detail.wasm; }});
  window.__benchWasmBytes = () => window.__benchWasm ? window.__benchWasm.memory.buffer.byteLength : null;

  document.addEventListener("change", (event) => {{
    if (!inApp() || !(event.target instanceof HTMLInputElement) || event.target.type !== "file") return;
    const start = performance.now();
    window.__benchMemoryBefore = window.__benchWasmBytes();
    const ready = () => {{
      const cards = document.querySelectorAll("[data-image-id]");
      if (cards.length < IMAGES) return false;
      return [...cards].every((card) => {{
        const details = card.querySelector(".image-details")?.textContent ?? "";
        const img = card.querySelector("img");
        return details.includes("PNG") && details.includes(PIXELS)
          && img !== null && img.complete && img.naturalWidth > 0;
      }});
    }};
    const frame = () => {{
      if (ready()) window.__benchIntake = {{ ms: performance.now() - start }};
      else requestAnimationFrame(frame);
    }};
    requestAnimationFrame(frame);
  }}, true);

  // Edit's click comes first; a submit without one (Enter) starts the clock too.
  const pressed = () => {{
    if (inApp() && window.__benchSubmitStart === undefined) window.__benchSubmitStart = performance.now();
  }};
  document.addEventListener("click", (event) => {{
    if (event.target instanceof Element && event.target.closest("{EDIT_BUTTON}")) pressed();
  }}, true);
  document.addEventListener("submit", (event) => {{
    if (event.target instanceof Element && event.target.matches("form.edit-form")) pressed();
  }}, true);

  const pageFetch = window.fetch;
  window.fetch = function (input, init) {{
    const answer = pageFetch.apply(window, arguments);
    if (!inApp()) return answer;
    const request = input instanceof Request ? input : null;
    const method = (init && init.method) || (request ? request.method : "GET");
    const path = new URL(request ? request.url : String(input), location.href).pathname;
    if (method.toUpperCase() !== "POST" || !path.endsWith(SUBMIT_PATH)) return answer;
    answer.then(
      (response) => {{
        const start = window.__benchSubmitStart;
        window.__benchSubmit = start === undefined
          ? {{ error: "the submit was sent before Edit was pressed" }}
          : {{ ms: performance.now() - start, status: response.status }};
      }},
      (error) => {{ window.__benchSubmit = {{ error: String(error) }}; }},
    );
    return answer;
  }};
}})();"#,
        route = json!(seedream_contract::SUBMIT_PATH),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_baselines_read_the_files_and_only_the_submit_one_sends_them() {
        let (read, send) = (read_js(), send_js());
        for script in [&read, &send] {
            assert!(script.starts_with(READ_AS_DATA_URL), "{script}");
        }
        assert!(!read.contains("fetch("), "{read}");
        let route = json!(seedream_contract::SUBMIT_PATH);
        assert!(send.contains(&format!("fetch({route}, {{")), "{send}");
        assert!(
            send.contains("'Content-Type': 'application/json'"),
            "{send}"
        );
    }

    #[test]
    fn the_floor_only_shows_the_files_through_object_urls_as_the_app_does() {
        let thumbs = thumbs_js();
        for needed in [
            "URL.createObjectURL(file)",
            "img.decoding = 'async'",
            "document.body.append(img)",
            "img.complete && img.naturalWidth > 0",
            "requestAnimationFrame(frame)",
            "window.__benchIntake = { ms: performance.now() - start }",
        ] {
            assert!(thumbs.contains(needed), "{needed} in {thumbs}");
        }
        for absent in ["FileReader", "fetch(", "decode("] {
            assert!(!thumbs.contains(absent), "{absent} in {thumbs}");
        }
    }
}
