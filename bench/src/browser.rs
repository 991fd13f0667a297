//! One headless Chromium session through ChromeDriver (both started by
//! `seedream-harness`, with the end-to-end tests' flags), and Chrome DevTools commands
//! sent through ChromeDriver (`goog/cdp/execute`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Client;
use seedream_harness::{Browser, WebDriver};
use serde_json::{Value, json};

/// ChromeDriver and what each session starts: Chromium, with the project's flags.
pub struct ChromeDriver {
    driver: WebDriver,
    tests_dir: PathBuf,
    chromium: PathBuf,
    http: reqwest::Client,
}

impl ChromeDriver {
    /// Starts `chromedriver` with `temp` (emptied first) as the `TMPDIR` of it and its
    /// Chromium (`chromium`, with the flags in `tests_dir/webdriver.json`), which puts a
    /// fresh profile there for every session.
    pub async fn start(
        chromedriver: &Path,
        chromium: &Path,
        tests_dir: &Path,
        temp: PathBuf,
    ) -> Result<ChromeDriver> {
        let driver = WebDriver::start(Browser::Chromium, chromedriver, temp).await?;
        Ok(ChromeDriver {
            driver,
            tests_dir: tests_dir.to_owned(),
            chromium: chromium.to_owned(),
            http: crate::http::client(None)?,
        })
    }

    /// A new headless Chromium session (a fresh profile).
    pub async fn session(&self) -> Result<Session> {
        let capabilities = Browser::Chromium.capabilities(&self.tests_dir, &self.chromium)?;
        let client = self.driver.session(capabilities).await?;
        let id = client
            .session_id()
            .await?
            .context("ChromeDriver gave the session no id")?;
        Ok(Session {
            client,
            cdp_url: format!("{}/session/{id}/goog/cdp/execute", self.driver.url()),
            http: self.http.clone(),
        })
    }
}

/// One browser session.
pub struct Session {
    pub client: Client,
    cdp_url: String,
    http: reqwest::Client,
}

impl Session {
    /// Leaves the page and clears everything `origin` stored (its history, its
    /// archive, its settings): the next load of it starts from nothing.
    pub async fn clear_origin(&self, origin: &str) -> Result<()> {
        self.client.goto("about:blank").await?;
        self.cdp(
            "Storage.clearDataForOrigin",
            serde_json::json!({ "origin": origin, "storageTypes": "all" }),
        )
        .await?;
        Ok(())
    }

    /// Sends one Chrome DevTools Protocol command to the page, returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let answer = self
            .http
            .post(&self.cdp_url)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .with_context(|| format!("sending {cmd} to ChromeDriver"))?;
        let status = answer.status();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{cmd} failed ({status}): {body}");
        }
        Ok(body["value"].clone())
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub async fn js(&self, script: &str) -> Result<Value> {
        self.client
            .execute(script, vec![])
            .await
            .with_context(|| format!("the page could not run a script:\n{script}"))
    }

    /// Clicks the element `css` finds, scrolled to the middle of the window first: a
    /// control under the sticky action bar would take the click in its place.
    pub async fn click(&self, css: &str, what: &str) -> Result<()> {
        let element = self
            .client
            .find(fantoccini::Locator::Css(css))
            .await
            .with_context(|| format!("finding {what} ({css})"))?;
        let reference = serde_json::to_value(&element)?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![reference],
            )
            .await
            .with_context(|| format!("scrolling to {what}"))?;
        element
            .click()
            .await
            .with_context(|| format!("clicking {what}"))?;
        Ok(())
    }

    /// Runs `script` (a function body) in the page every `every` until it returns
    /// something other than `null`, `undefined` or `false`, and returns that; fails after
    /// `wait` saying `what` was awaited, or at once with what the script threw.
    ///
    /// The page runs the checks itself, with one WebDriver call per 20 s: each call runs
    /// on the page's main thread, and polling through WebDriver while an app works (every
    /// 20 ms took about a fifth of a repeat visit's start-up at 4x slower CPU) slows the
    /// app and not a baseline page that does no work.
    pub async fn wait_for(
        &self,
        what: &str,
        script: &str,
        wait: Duration,
        every: Duration,
    ) -> Result<Value> {
        // Each call waits at most this long in the page: under WebDriver's default
        // script timeout (30 s).
        const PER_CALL_MS: u64 = 20_000;
        let waiting = format!(
            "const done = arguments[arguments.length - 1]; \
             const probe = () => {{ {script}\n}}; \
             const until = performance.now() + {PER_CALL_MS}; \
             const check = () => {{ \
               let value; \
               try {{ value = probe(); }} catch (error) {{ return done({{ __benchThrew: String(error) }}); }} \
               if (value !== undefined && value !== null && value !== false) return done(value); \
               if (performance.now() > until) return done(null); \
               setTimeout(check, {every}); }}; \
             check();",
            every = every.as_millis(),
        );
        let deadline = Instant::now() + wait;
        loop {
            let value = self
                .client
                .execute_async(&waiting, vec![])
                .await
                .with_context(|| format!("waiting for {what}:\n{script}"))?;
            if let Some(error) = value.get("__benchThrew") {
                bail!("waiting for {what}, the page's check threw {error}:\n{script}");
            }
            if !matches!(value, Value::Null | Value::Bool(false)) {
                return Ok(value);
            }
            if Instant::now() >= deadline {
                bail!("{what} did not happen within {wait:?}");
            }
        }
    }

    pub async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(20), self.client.close()).await;
    }
}
