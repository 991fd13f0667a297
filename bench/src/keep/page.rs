//! The keep row's site: a copy of the app's build with the plain page beside it, so
//! that both are served by one server with the mock, on the origin of the results
//! they fetch (see the parent module).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The plain page and its script (the server's CSP allows no inline script).
const PAGE: &str = "keep.html";
const SCRIPT: &str = "keep.js";

/// Writes into `dir` (emptied first) a copy of `dist` and the plain page, and returns
/// `dir`, the folder for the keep row's server.
pub fn write_site(dist: &Path, dir: &Path) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    seedream_run::copy_dir(dist, dir)?;
    for (name, text) in [(PAGE, page()), (SCRIPT, script())] {
        let path = dir.join(name);
        if path.exists() {
            bail!("the app's build has a {name} of its own, which the plain page would replace");
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(dir.to_owned())
}

/// What the plain page does with the results it fetches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Steps {
    /// Stores the blobs, and nothing else: the row's baseline.
    Plain,
    /// Also what keeping requires beyond that, as plain script: the task's Web Lock
    /// and the check that no other tab kept it, each blob's size and CRC-32 read in
    /// 1 MB slices, and the images' and the task's records in the same transaction.
    Floor,
}

/// The plain page on `origin`, given the results to keep (`?url=…&url=…`, in order).
pub fn url(origin: &str, urls: &[String], steps: Steps) -> Result<String> {
    let mut params: Vec<(&str, &str)> = urls.iter().map(|url| ("url", url.as_str())).collect();
    if steps == Steps::Floor {
        params.push(("steps", "floor"));
    }
    let page = reqwest::Url::parse_with_params(&format!("{origin}/{PAGE}"), params)
        .with_context(|| format!("the plain page's address on {origin}"))?;
    Ok(page.into())
}

fn page() -> String {
    format!(
        "<!DOCTYPE html>
<html lang=\"en\">
  <head><meta charset=\"utf-8\" /><title>Keep results</title><link rel=\"icon\" href=\"data:,\" /></head>
  <body>
    <p>Keeps the results named in the address in IndexedDB.</p>
    <script type=\"module\" src=\"{SCRIPT}\"></script>
  </body>
</html>
"
    )
}

/// Once the page has loaded and its database is open, the clock starts: every result
/// fetched at once, as the app fetches them (no credentials, no referrer), read as a
/// `Blob`, then all `put` in one transaction, until its `complete`. With
/// `steps=floor`, the [`Steps::Floor`] work too. The figure goes to
/// `window.__benchKeep`: `{ms, count, bytes}`, or `{error}`.
fn script() -> String {
    "const params = new URLSearchParams(location.search);
const urls = params.getAll('url');
const floor = params.get('steps') === 'floor';
const opened = new Promise((resolve, reject) => {
  const request = indexedDB.open('bench-keep', 1);
  request.onupgradeneeded = () => {
    for (const name of ['blobs', 'images', 'tasks']) request.result.createObjectStore(name);
  };
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});
const loaded = document.readyState === 'complete'
  ? Promise.resolve()
  : new Promise((resolve) => addEventListener('load', resolve, { once: true }));
const fetched = (url) => fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' })
  .then((answer) => {
    if (!answer.ok) throw new Error(`${url} answered ${answer.status}`);
    return answer.blob();
  });
const write = (db, names, puts) => new Promise((resolve, reject) => {
  const transaction = db.transaction(names, 'readwrite');
  puts(transaction);
  transaction.oncomplete = resolve;
  transaction.onerror = () => reject(transaction.error);
  transaction.onabort = () => reject(transaction.error ?? new Error('the transaction aborted'));
});
const keep = async (db) => {
  const blobs = await Promise.all(urls.map(fetched));
  await write(db, 'blobs', (transaction) => {
    const store = transaction.objectStore('blobs');
    blobs.forEach((blob, i) => store.put(blob, urls[i]));
  });
  return blobs;
};
// CRC-32 (IEEE, as zip uses), a table and a byte at a time.
const table = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = async (blob) => {
  let crc = 0xffffffff;
  for (let at = 0; at < blob.size; at += 1048576) {
    const bytes = new Uint8Array(await blob.slice(at, at + 1048576).arrayBuffer());
    for (let i = 0; i < bytes.length; i += 1) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
};
const keepFloor = (db) => navigator.locks.request(`bench-keep:${urls[0]}`, async () => {
  const held = await new Promise((resolve, reject) => {
    const request = db.transaction('images').objectStore('images').get(urls[0]);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  if (held !== undefined) throw new Error('the results were kept already');
  const images = await Promise.all(urls.map(async (url) => {
    const blob = await fetched(url);
    return { url, blob, bytes: blob.size, crc32: await crc32(blob), type: blob.type };
  }));
  await write(db, ['blobs', 'images', 'tasks'], (transaction) => {
    const [blobs, records, tasks] = ['blobs', 'images', 'tasks'].map((n) => transaction.objectStore(n));
    for (const { url, blob, bytes, crc32, type } of images) {
      blobs.put(blob, url);
      records.put({ key: url, bytes, crc32, type, users: ['task'] }, url);
    }
    tasks.put({ id: 'task', pinned: 0, kept_at: Date.now(), images: urls }, 'task');
  });
  return images.map((image) => image.blob);
});
(async () => {
  try {
    const [db] = await Promise.all([opened, loaded]);
    const start = performance.now();
    const blobs = await (floor ? keepFloor(db) : keep(db));
    const ms = performance.now() - start;
    window.__benchKeep = { ms, count: blobs.length, bytes: blobs.reduce((n, b) => n + b.size, 0) };
  } catch (error) {
    window.__benchKeep = { error: String(error) };
  }
})();
"
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_given_every_url_in_order() {
        let urls = [
            "http://127.0.0.1:4000/mock/results/task-1/0.jpeg".to_owned(),
            "http://127.0.0.1:4000/mock/results/task-1/1.jpeg?a=1&b=2".to_owned(),
        ];
        let page = url("http://127.0.0.1:4000", &urls, Steps::Plain).expect("an address");
        assert!(
            page.starts_with("http://127.0.0.1:4000/keep.html?url="),
            "{page}"
        );
        let parsed = reqwest::Url::parse(&page).expect("a URL");
        let given: Vec<String> = parsed
            .query_pairs()
            .filter(|(name, _)| name == "url")
            .map(|(_, value)| value.into_owned())
            .collect();
        assert_eq!(given, urls);
        let floor = url("http://127.0.0.1:4000", &urls, Steps::Floor).expect("an address");
        assert!(floor.ends_with("&steps=floor"), "{floor}");
    }

    #[test]
    fn the_plain_page_fetches_as_the_app_and_writes_in_one_transaction() {
        let script = script();
        for needed in [
            "fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' })",
            "answer.blob()",
            "db.transaction(names, 'readwrite')",
            "transaction.oncomplete = resolve",
            // The clock starts with the database open and the page loaded.
            "await Promise.all([opened, loaded]);\n    const start = performance.now();",
        ] {
            assert!(script.contains(needed), "{needed} in {script}");
        }
        // One write for each side; the floor's check reads in a transaction of its own.
        assert_eq!(script.matches("await write(db").count(), 2, "{script}");
        for floor_step in [
            "navigator.locks.request(",
            ".get(urls[0])",
            "crc32(blob)",
            "tasks.put(",
        ] {
            assert!(script.contains(floor_step), "{floor_step} in {script}");
        }
        assert!(page().contains(&format!("src=\"{SCRIPT}\"")));
    }

    #[test]
    fn the_site_is_the_build_with_the_page_beside_it() {
        let root = std::env::temp_dir().join(format!("seedream-bench-keep-{}", std::process::id()));
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
        assert!(read(&[PAGE]).contains(SCRIPT));
        assert!(read(&[SCRIPT]).contains("indexedDB.open"));

        std::fs::write(dist.join(PAGE), "the app's own").expect("a file");
        let clash = write_site(&dist, &root.join("site"));
        assert!(clash.is_err_and(|e| e.to_string().contains(PAGE)));
        let _ = std::fs::remove_dir_all(&root);
    }
}
