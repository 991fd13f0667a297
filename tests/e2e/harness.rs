//! Setting up one end-to-end test: the release build in `dist/` served with the mock
//! API by the server in this process, a WebDriver on a free loopback port, and one
//! headless browser session; and taking all three down again, whatever the test did.
//!
//! The browser is headless Chromium through ChromeDriver, or headless Firefox through
//! geckodriver with `E2E_BROWSER=firefox`; the WebDriver and the browser's flags come
//! from `seedream-harness`, which the bench drives the browser with too.
//!
//! Every test gets its own server, so its mock options (timings, a required key,
//! injected faults) are its own, and its own browser profile, so no history or
//! settings leak from one test into another.

use std::future::Future;
use std::panic::resume_unwind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser as _;
use fantoccini::Client;
use fantoccini::wd::Capabilities;
use seedream_harness::{Browser, WebDriver};
use seedream_server::{Config, Running};
use serde_json::json;

/// Longest a whole test may take, setup included, before it fails as hung.
const TEST_DEADLINE: Duration = Duration::from_secs(240);

/// The mock's phases unless a test sets its own: long enough that a poll sees the
/// task queued and generating, short enough to keep the suite quick.
const DEFAULT_MOCK_FLAGS: [(&str, &str); 2] = [("--queue-time", "1s"), ("--processing-time", "2s")];

/// The browser the tests drive, from `E2E_BROWSER`: `chromium` (the default) or
/// `firefox`; `CHROMEDRIVER` and `CHROMIUM` (`GECKODRIVER` and `FIREFOX`) override
/// Debian's paths (see [`Browser`]).
fn browser_from_env() -> Browser {
    match std::env::var("E2E_BROWSER").as_deref() {
        Err(_) | Ok("" | "chromium") => Browser::Chromium,
        Ok("firefox") => Browser::Firefox,
        Ok(other) => panic!("E2E_BROWSER={other:?}: use `chromium` or `firefox`"),
    }
}

/// The release build the tests run against.
pub fn dist_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dist")
}

/// The app as one test sees it: a browser session on the page's origin, a plain HTTP
/// client for the mock's control endpoint, and where downloads land. Cheap to clone.
#[derive(Clone)]
pub struct Studio {
    pub browser: Client,
    /// `http://127.0.0.1:<port>`, where the page, the mock API and its results live.
    pub origin: String,
    pub http: reqwest::Client,
    /// Where the browser saves downloads: empty at the start of the test.
    pub downloads: PathBuf,
}

impl Studio {
    /// `<origin><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

/// Runs `body` against a fresh server (the mock with `mock_flags`, e.g.
/// `["--require-key", "k", "--fault", "submit:402"]`) and a fresh browser. On a
/// failure it saves a screenshot and the page's HTML under the target directory,
/// then closes the browser and stops the WebDriver and the server before the test's
/// panic goes on.
pub async fn run<F, Fut>(name: &str, mock_flags: &[&str], body: F)
where
    F: FnOnce(Studio) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_in(name, &dist_dir(), mock_flags, body).await;
}

/// [`run`], with the server serving `dist` (a copy of the build with files added, see
/// [`dist_copy`]); `flags` may hold any server flag, `--frame-ancestors` say.
pub async fn run_in<F, Fut>(name: &str, dist: &Path, flags: &[&str], body: F)
where
    F: FnOnce(Studio) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: the end-to-end tests drive the release build of the app. \
         Run them with `cargo xtask test`, which builds dist/ first (or build it with \
         `cargo xtask dist`, then run \
         `cargo test --workspace --exclude seedream-bench --test e2e -- --test-threads=1`).",
        dist.join("index.html").display()
    );

    // What an earlier failure of this test left would only mislead.
    for extension in ["png", "html"] {
        let _ = std::fs::remove_file(evidence_dir().join(format!("{name}.{extension}")));
    }

    let server = start_server(dist, flags).await;
    let engine = browser_from_env();
    let driver = start_driver(engine, name).await;
    let downloads = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e-downloads")
        .join(name);
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).expect("a downloads directory");
    let browser = driver
        .session(capabilities(engine, &downloads))
        .await
        .unwrap_or_else(|err| panic!("{err:#}"));
    let studio = Studio {
        browser: browser.clone(),
        origin: server.url(""),
        http: mock_client(flags),
        downloads,
    };

    // The body runs as its own task, so a failure in it comes back here as a value
    // and the browser, the WebDriver and the server are still taken down.
    let mut task = tokio::spawn(body(studio));
    let outcome = tokio::time::timeout(TEST_DEADLINE, &mut task).await;
    let failure: Option<Box<dyn std::any::Any + Send>> = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(joined)) => Some(match joined.try_into_panic() {
            Ok(panic) => panic,
            Err(err) => Box::new(format!("the test's task ended without finishing: {err}")),
        }),
        Err(_) => {
            task.abort();
            Some(Box::new(format!(
                "the test did not finish within {TEST_DEADLINE:?}"
            )))
        }
    };
    if failure.is_some() {
        save_evidence(name, &browser).await;
    }
    // Closing the session quits the browser; the WebDriver is stopped when `driver` drops.
    let _ = tokio::time::timeout(Duration::from_secs(20), browser.close()).await;
    drop(driver);
    let _ = tokio::time::timeout(Duration::from_secs(10), server.stop()).await;
    if let Some(panic) = failure {
        resume_unwind(panic);
    }
}

/// A copy of the release build for one test, in the test's temporary directory, with
/// `extra` files (name, contents) added or replaced: a `config.json` beside the page, a
/// host page of the test's own. Returns its path.
pub fn dist_copy(name: &str, extra: &[(&str, &str)]) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("a directory for the copy of dist/");
        for entry in std::fs::read_dir(from).expect("dist/ is readable") {
            let entry = entry.expect("an entry of dist/");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("a file type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("a file of dist/ is copied");
            }
        }
    }
    let dist = dist_dir();
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: build it first (cargo xtask dist)",
        dist.display()
    );
    let to = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e-dist")
        .join(name);
    let _ = std::fs::remove_dir_all(&to);
    copy(&dist, &to);
    for (file, contents) in extra {
        std::fs::write(to.join(file), contents).expect("an extra file in the copy of dist/");
    }
    to
}

/// A plain HTTP client for the mock's control endpoint and its API, sending the key
/// when the flags make the mock require one (its control endpoint then does too).
fn mock_client(flags: &[&str]) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let key = flags
        .iter()
        .position(|flag| *flag == "--require-key")
        .and_then(|at| flags.get(at + 1));
    if let Some(key) = key {
        let bearer = reqwest::header::HeaderValue::from_str(&format!("Bearer {key}"))
            .expect("the test's key fits in a header");
        headers.insert(reqwest::header::AUTHORIZATION, bearer);
    }
    reqwest::Client::builder()
        .no_proxy()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client for the mock's control endpoint")
}

/// The server with the mock and the built app on a free loopback port.
async fn start_server(dist: &Path, mock_flags: &[&str]) -> Running {
    let dist = dist.to_str().expect("the dist path is UTF-8").to_owned();
    let mut args = vec!["seedream-server", "--mock", "--listen", "127.0.0.1:0"];
    args.extend(["--static", &dist]);
    for (flag, value) in DEFAULT_MOCK_FLAGS {
        if !mock_flags.contains(&flag) {
            args.extend([flag, value]);
        }
    }
    args.extend_from_slice(mock_flags);
    let config = Config::try_parse_from(&args)
        .unwrap_or_else(|err| panic!("the server flags {args:?} should parse: {err}"));
    seedream_server::spawn(config)
        .await
        .expect("the server with the mock should start")
}

/// The WebDriver for `engine`, with its browsers' temporary files in the test's own
/// directory (removed when it drops).
async fn start_driver(engine: Browser, name: &str) -> WebDriver {
    let temp = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("e2e-{}", engine.name()))
        .join(name);
    WebDriver::start(engine, &engine.driver_path(), temp)
        .await
        .unwrap_or_else(|err| panic!("{err:#}"))
}

/// The browser's capabilities from the project's flags (the harness crate reads them),
/// with downloads saved to `downloads` without asking.
fn capabilities(engine: Browser, downloads: &Path) -> Capabilities {
    let tests_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut capabilities = engine
        .capabilities(&tests_dir, &engine.binary_path())
        .unwrap_or_else(|err| panic!("{err:#}"));
    let options = capabilities
        .get_mut(engine.options_key())
        .expect("the browser's options");
    match engine {
        Browser::Chromium => {
            options["prefs"] = json!({
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
            });
        }
        Browser::Firefox => {
            // Downloads into `downloads` (folderList 2: a chosen folder), without the
            // dialog, for the types the app saves.
            let prefs = &mut options["prefs"];
            prefs["browser.download.folderList"] = json!(2);
            prefs["browser.download.dir"] = json!(downloads);
            prefs["browser.download.useDownloadDir"] = json!(true);
            prefs["browser.download.always_ask_before_handling_new_types"] = json!(false);
            prefs["browser.helperApps.neverAsk.saveToDisk"] =
                json!("image/png,image/jpeg,application/octet-stream");
        }
    }
    capabilities
}

/// Where a failed test leaves its screenshot and HTML.
fn evidence_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-failures")
}

/// A screenshot and the page's HTML of a failed test, for CI logs to point at.
async fn save_evidence(name: &str, browser: &Client) {
    let dir = evidence_dir();
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let timeout = Duration::from_secs(10);
    if let Ok(Ok(png)) = tokio::time::timeout(timeout, browser.screenshot()).await {
        let path = dir.join(format!("{name}.png"));
        if std::fs::write(&path, png).is_ok() {
            eprintln!("e2e: {name}: screenshot saved to {}", path.display());
        }
    }
    if let Ok(Ok(html)) = tokio::time::timeout(timeout, browser.source()).await {
        let path = dir.join(format!("{name}.html"));
        if std::fs::write(&path, html).is_ok() {
            eprintln!("e2e: {name}: page HTML saved to {}", path.display());
        }
    }
}
