//! The carry rows' site: a copy of the app's build with the two plain pages beside it
//! (files: the server's CSP allows no inline script), so that the app and the pages
//! share one origin and its storage; and the probe installed in every page of the
//! session, which finds the app's wasm memory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The import's plain page and its script.
const IMPORT_PAGE: &str = "carry-import.html";
const IMPORT_SCRIPT: &str = "carry-import.js";
/// The export's plain page and its script.
const EXPORT_PAGE: &str = "carry-export.html";
const EXPORT_SCRIPT: &str = "carry-export.js";

/// Where each page puts its figure: `{ms, count, bytes}`, or `{error}`.
pub const STAMP: &str = "__benchCarry";
/// What the import page sets once its database is open and it waits for a file.
pub const WAITING: &str = "__benchCarryWaiting";

/// Writes into `dir` (emptied first) a copy of `dist` and the plain pages, and returns
/// `dir`, the folder for the carry rows' server.
pub fn write_site(dist: &Path, dir: &Path) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    seedream_run::copy_dir(dist, dir)?;
    let files = [
        (IMPORT_PAGE, page("Import a file", true, IMPORT_SCRIPT)),
        (IMPORT_SCRIPT, import_js()),
        (EXPORT_PAGE, page("Export blobs", false, EXPORT_SCRIPT)),
        (EXPORT_SCRIPT, export_js()),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        if path.exists() {
            bail!("the app's build has a {name} of its own, which a plain page would replace");
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(dir.to_owned())
}

/// The import page on `origin`, given each result's data range in the file
/// (`?range=start:end&…`, in the order the app imports them).
pub fn import_url(origin: &str, ranges: &[(u64, u64)]) -> Result<String> {
    let ranges: Vec<String> = ranges
        .iter()
        .map(|(start, end)| format!("{start}:{end}"))
        .collect();
    let params = ranges.iter().map(|range| ("range", range.as_str()));
    let page = reqwest::Url::parse_with_params(&format!("{origin}/{IMPORT_PAGE}"), params)
        .with_context(|| format!("the import page's address on {origin}"))?;
    Ok(page.into())
}

/// The export page on `origin`, for the `count` blobs the import page stored.
pub fn export_url(origin: &str, count: usize) -> String {
    format!("{origin}/{EXPORT_PAGE}?count={count}")
}

fn page(title: &str, file_input: bool, script: &str) -> String {
    let input = if file_input {
        "\n    <input type=\"file\" accept=\".zip,application/zip\" />"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html>
<html lang=\"en\">
  <head><meta charset=\"utf-8\" /><title>{title}</title><link rel=\"icon\" href=\"data:,\" /></head>
  <body>
    <p>{title}: a plain page, for the bench.</p>{input}
    <script type=\"module\" src=\"{script}\"></script>
  </body>
</html>
"
    )
}

/// Opening the pages' database (one store, `blobs`), shared by both scripts.
const OPEN_DB: &str = "const opened = new Promise((resolve, reject) => {
  const request = indexedDB.open('bench-carry', 1);
  request.onupgradeneeded = () => request.result.createObjectStore('blobs');
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});
";

/// The import's baseline: once its database is open it waits for a file; from the
/// input's `change` event, each range's `file.slice(start, end, 'image/jpeg')` is
/// `put` in a transaction of its own, one after the other (one per edit, as the app
/// stores each edit), until the last one's `complete`. No byte of the file is read.
fn import_js() -> String {
    format!(
        "{OPEN_DB}const ranges = new URLSearchParams(location.search).getAll('range')
  .map((range) => range.split(':').map(Number));
const put = (db, key, blob) => new Promise((resolve, reject) => {{
  const transaction = db.transaction('blobs', 'readwrite');
  transaction.objectStore('blobs').put(blob, key);
  transaction.oncomplete = resolve;
  transaction.onerror = () => reject(transaction.error);
  transaction.onabort = () => reject(transaction.error ?? new Error('the transaction aborted'));
}});
opened.then((db) => {{
  document.querySelector('input').addEventListener('change', async (event) => {{
    const start = performance.now();
    try {{
      const file = event.target.files[0];
      let bytes = 0;
      for (const [i, [from, to]] of ranges.entries()) {{
        const slice = file.slice(from, to, 'image/jpeg');
        await put(db, i, slice);
        bytes += slice.size;
      }}
      window.{STAMP} = {{ ms: performance.now() - start, count: ranges.length, bytes }};
    }} catch (error) {{
      window.{STAMP} = {{ error: String(error) }};
    }}
  }});
  window.{WAITING} = true;
}}, (error) => {{ window.{STAMP} = {{ error: String(error) }}; }});
"
    )
}

/// The export's baseline: once the page has loaded and its database is open, the
/// clock starts: the `count` blobs the import page stored, each `get` in one readonly
/// transaction (all asked at once, as the app asks), joined with `new Blob([...])`,
/// until `URL.createObjectURL` returns.
fn export_js() -> String {
    format!(
        "{OPEN_DB}const count = Number(new URLSearchParams(location.search).get('count'));
const loaded = document.readyState === 'complete'
  ? Promise.resolve()
  : new Promise((resolve) => addEventListener('load', resolve, {{ once: true }}));
const got = (request) => new Promise((resolve, reject) => {{
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
}});
(async () => {{
  try {{
    const [db] = await Promise.all([opened, loaded]);
    const start = performance.now();
    const store = db.transaction('blobs', 'readonly').objectStore('blobs');
    const keys = Array.from({{ length: count }}, (_, i) => i);
    const blobs = await Promise.all(keys.map((key) => got(store.get(key))));
    const file = new Blob(blobs, {{ type: 'application/zip' }});
    const url = URL.createObjectURL(file);
    const ms = performance.now() - start;
    URL.revokeObjectURL(url);
    const found = blobs.filter((blob) => blob instanceof Blob).length;
    window.{STAMP} = {{ ms, count: found, bytes: file.size }};
  }} catch (error) {{
    window.{STAMP} = {{ error: String(error) }};
  }}
}})();
"
    )
}

/// Installed before every page's own scripts (`Page.addScriptToEvaluateOnNewDocument`,
/// which the page's CSP does not govern): keeps the app's wasm exports from trunk's
/// `TrunkApplicationStarted` event (as the intake rows' probe does), and gives
/// `window.__benchWasmBytes()`, its memory's size in bytes (`null` on a plain page).
pub fn wasm_probe() -> String {
    "(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__benchWasm = e.detail.wasm; });
  window.__benchWasmBytes = () => window.__benchWasm ? window.__benchWasm.memory.buffer.byteLength : null;
})();"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_page_is_given_every_range_in_order() {
        let ranges = [(61, 5_000_061), (5_000_122, 9_900_500)];
        let page = import_url("http://127.0.0.1:4000", &ranges).expect("an address");
        assert_eq!(
            page,
            "http://127.0.0.1:4000/carry-import.html?range=61%3A5000061&range=5000122%3A9900500"
        );
        assert_eq!(
            export_url("http://127.0.0.1:4000", 30),
            "http://127.0.0.1:4000/carry-export.html?count=30"
        );
    }

    #[test]
    fn the_import_page_stores_slices_one_transaction_each_from_the_change_event() {
        let script = import_js();
        for needed in [
            "addEventListener('change', async (event) => {\n    const start = performance.now();",
            "file.slice(from, to, 'image/jpeg')",
            "await put(db, i, slice)",
            "db.transaction('blobs', 'readwrite')",
            "transaction.oncomplete = resolve",
            // The database is open before the page says it waits for a file.
            "opened.then((db) => {",
            "window.__benchCarryWaiting = true",
        ] {
            assert!(script.contains(needed), "{needed} in {script}");
        }
        // The file is sliced, never read.
        for absent in ["arrayBuffer", "FileReader", ".stream()", ".text()"] {
            assert!(!script.contains(absent), "{absent} in {script}");
        }
    }

    #[test]
    fn the_export_page_reads_in_one_transaction_and_joins_the_blobs() {
        let script = export_js();
        for needed in [
            "await Promise.all([opened, loaded]);\n    const start = performance.now();",
            "db.transaction('blobs', 'readonly')",
            "keys.map((key) => got(store.get(key)))",
            "new Blob(blobs, { type: 'application/zip' })",
            "URL.createObjectURL(file);\n    const ms = performance.now() - start;",
        ] {
            assert!(script.contains(needed), "{needed} in {script}");
        }
        assert_eq!(script.matches("db.transaction(").count(), 1, "{script}");
        assert!(!script.contains("arrayBuffer"), "{script}");
    }

    #[test]
    fn the_site_is_the_build_with_the_pages_beside_it() {
        let root =
            std::env::temp_dir().join(format!("seedream-bench-carry-site-{}", std::process::id()));
        let dist = root.join("dist");
        std::fs::create_dir_all(dist.join("assets")).expect("a folder");
        std::fs::write(dist.join("index.html"), "app").expect("a file");
        std::fs::write(dist.join("assets").join("app.wasm"), "wasm").expect("a file");
        let site = write_site(&dist, &root.join("site")).expect("the site");
        let read = |path: &[&str]| {
            std::fs::read_to_string(path.iter().fold(site.clone(), |p, s| p.join(s)))
                .unwrap_or_default()
        };
        assert_eq!(read(&["index.html"]), "app");
        assert_eq!(read(&["assets", "app.wasm"]), "wasm");
        assert!(read(&[IMPORT_PAGE]).contains(&format!("src=\"{IMPORT_SCRIPT}\"")));
        assert!(read(&[IMPORT_PAGE]).contains("<input type=\"file\""));
        assert!(read(&[EXPORT_PAGE]).contains(&format!("src=\"{EXPORT_SCRIPT}\"")));
        assert!(read(&[IMPORT_SCRIPT]).contains("indexedDB.open"));
        assert!(read(&[EXPORT_SCRIPT]).contains("indexedDB.open"));

        std::fs::write(dist.join(EXPORT_PAGE), "the app's own").expect("a file");
        let clash = write_site(&dist, &root.join("site"));
        assert!(clash.is_err_and(|e| e.to_string().contains(EXPORT_PAGE)));
        let _ = std::fs::remove_dir_all(&root);
    }
}
