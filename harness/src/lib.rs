//! A WebDriver (ChromeDriver or geckodriver) on a free loopback port, and headless
//! browser sessions through it, with the project's browser flags: the one setup the
//! end-to-end tests (`tests/e2e/harness.rs`) and the bench (`bench/src/browser.rs`)
//! both drive the browser with.
//!
//! The flags live in `tests/webdriver.json` (Chromium) and
//! `tests/webdriver-firefox.json` (Firefox), which the wasm browser tests read too:
//! headless, off the network, a fixed window for stable layouts.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// A browser and its WebDriver, at Debian's paths unless the environment names others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Debian's Chromium and ChromeDriver (`CHROMIUM`, `CHROMEDRIVER`).
    Chromium,
    /// Debian's Firefox ESR and geckodriver, which `cargo install` puts on `PATH`
    /// (`FIREFOX`, `GECKODRIVER`).
    Firefox,
}

impl Browser {
    /// `chromium` or `firefox`.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }

    /// The WebDriver's name, for messages.
    pub fn driver_name(self) -> &'static str {
        match self {
            Browser::Chromium => "ChromeDriver",
            Browser::Firefox => "geckodriver",
        }
    }

    /// The environment variable that names the WebDriver's path.
    pub fn driver_var(self) -> &'static str {
        match self {
            Browser::Chromium => "CHROMEDRIVER",
            Browser::Firefox => "GECKODRIVER",
        }
    }

    /// The WebDriver's path: the environment's, else the default.
    pub fn driver_path(self) -> PathBuf {
        let default = match self {
            Browser::Chromium => "/usr/bin/chromedriver",
            Browser::Firefox => "geckodriver",
        };
        env_path(self.driver_var(), default)
    }

    /// The browser's path: the environment's, else the default.
    pub fn binary_path(self) -> PathBuf {
        match self {
            Browser::Chromium => env_path("CHROMIUM", "/usr/bin/chromium"),
            Browser::Firefox => env_path("FIREFOX", "/usr/bin/firefox-esr"),
        }
    }

    /// The capabilities' key for this browser's own options.
    pub fn options_key(self) -> &'static str {
        match self {
            Browser::Chromium => "goog:chromeOptions",
            Browser::Firefox => "moz:firefoxOptions",
        }
    }

    /// The project's flags for this browser: its file in `tests_dir` (the repository's
    /// `tests/`), with `binary` as the browser to start.
    pub fn capabilities(self, tests_dir: &Path, binary: &Path) -> Result<Capabilities> {
        let (file, browser_name) = match self {
            Browser::Chromium => ("webdriver.json", "chrome"),
            Browser::Firefox => ("webdriver-firefox.json", "firefox"),
        };
        let path = tests_dir.join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut shared: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let options = &mut shared[self.options_key()];
        options["binary"] = json!(binary);
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!(browser_name));
        capabilities.insert(self.options_key().into(), options.take());
        Ok(capabilities)
    }
}

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// A WebDriver process on a free loopback port; killed, and its temporary directory
/// removed, when dropped.
pub struct WebDriver {
    browser: Browser,
    child: Child,
    url: String,
    /// The `TMPDIR` of the WebDriver and its browser: Chromium leaves a directory in it
    /// for every browser it starts, geckodriver a profile.
    temp: PathBuf,
}

impl WebDriver {
    /// Starts the WebDriver at `driver` for `browser`, with `temp` (emptied first) as
    /// the `TMPDIR` of it and its browsers, and returns once it says it is ready.
    pub async fn start(browser: Browser, driver: &Path, temp: PathBuf) -> Result<WebDriver> {
        let port = free_port()?;
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).with_context(|| format!("creating {}", temp.display()))?;
        let spawned = Command::new(driver)
            .arg(format!("--port={port}"))
            .env("TMPDIR", &temp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if spawned.is_err() {
            let _ = std::fs::remove_dir_all(&temp);
        }
        let child = spawned.with_context(|| {
            format!(
                "could not start {} at {}: `cargo xtask bootstrap` installs it, or set {}",
                browser.driver_name(),
                driver.display(),
                browser.driver_var()
            )
        })?;
        let mut webdriver = WebDriver {
            browser,
            child,
            url: format!("http://127.0.0.1:{port}"),
            temp,
        };
        webdriver.wait_until_ready().await?;
        Ok(webdriver)
    }

    /// `http://127.0.0.1:<port>`, for the WebDriver's own endpoints.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Polls `/status` until the WebDriver says it is ready (at most 30 s).
    async fn wait_until_ready(&mut self) -> Result<()> {
        let name = self.browser.driver_name();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .context("an HTTP client for the WebDriver's status")?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("{name} exited at once ({status})");
            }
            let answer = http.get(format!("{}/status", self.url)).send().await;
            if let Ok(answer) = answer
                && let Ok(body) = answer.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("{name} did not answer on {} within 30 s", self.url);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new headless browser session (a fresh profile) with `capabilities`. A loaded
    /// machine can take a while to start the first browser, so it is tried twice.
    pub async fn session(&self, capabilities: Capabilities) -> Result<Client> {
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let mut last_error = None;
        for _ in 0..2 {
            match builder.connect(&self.url).await {
                Ok(client) => return Ok(client),
                Err(err) => last_error = Some(err),
            }
        }
        bail!(
            "could not start a browser session through {}: {last_error:?}",
            self.browser.driver_name()
        )
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.temp);
    }
}

/// A loopback port free right now (bound, then released for the WebDriver to take).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// A WebDriver script that resolves once the page has laid out twice and every
/// transition and finite animation has ended (at most 2 s): what a screenshot or an
/// audit should see is the page at rest.
pub const SETTLE_SCRIPT: &str = "
    return new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
        const finite = document.getAnimations().filter(a => {
            const timing = a.effect && a.effect.getComputedTiming();
            return timing && timing.endTime !== Infinity && a.playState === 'running';
        });
        Promise.race([
            Promise.all(finite.map(a => a.finished.catch(() => null))),
            new Promise(r => setTimeout(r, 2000)),
        ]).then(() => resolve(true));
    })));
";

#[cfg(test)]
mod tests {
    use super::*;

    fn tests_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")
    }

    #[test]
    fn chromium_gets_the_projects_flags_and_the_binary_asked_for() -> Result<()> {
        let capabilities =
            Browser::Chromium.capabilities(&tests_dir(), Path::new("/opt/chromium"))?;
        assert_eq!(capabilities["browserName"], json!("chrome"));
        let options = &capabilities["goog:chromeOptions"];
        assert_eq!(options["binary"], json!("/opt/chromium"));
        let args = options["args"].as_array().context("Chromium's flags")?;
        assert!(args.contains(&json!("headless=new")), "{args:?}");
        Ok(())
    }

    #[test]
    fn firefox_gets_its_own_file() -> Result<()> {
        let capabilities = Browser::Firefox.capabilities(&tests_dir(), Path::new("/opt/ff"))?;
        assert_eq!(capabilities["browserName"], json!("firefox"));
        let options = &capabilities["moz:firefoxOptions"];
        assert_eq!(options["binary"], json!("/opt/ff"));
        assert!(options["prefs"].is_object());
        Ok(())
    }

    #[test]
    fn a_missing_driver_says_how_to_get_one() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else {
            panic!("a runtime for the test");
        };
        let temp = std::env::temp_dir().join(format!("harness-test-{}", std::process::id()));
        let started = runtime.block_on(WebDriver::start(
            Browser::Chromium,
            Path::new("/nonexistent/chromedriver"),
            temp,
        ));
        let Err(err) = started else {
            panic!("a driver that does not exist started");
        };
        let text = format!("{err:#}");
        assert!(text.contains("set CHROMEDRIVER"), "{text}");
    }
}
