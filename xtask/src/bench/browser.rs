//! ChromeDriver on a free loopback port, one headless Chromium session through it, and
//! Chrome DevTools commands sent through ChromeDriver (`goog/cdp/execute`): the same
//! browser and flags as the end-to-end tests (`tests/e2e/harness.rs`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// A ChromeDriver process; killed, and its temporary directory removed, when dropped.
pub struct ChromeDriver {
    child: Child,
    url: String,
    temp: PathBuf,
    http: reqwest::Client,
}

impl ChromeDriver {
    /// Starts `chromedriver` with `temp` (emptied first) as the `TMPDIR` of it and its
    /// Chromium, which puts a fresh profile there for every session.
    pub async fn start(chromedriver: &Path, temp: PathBuf) -> Result<ChromeDriver> {
        let port = free_port()?;
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).with_context(|| format!("creating {}", temp.display()))?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .env("TMPDIR", &temp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| {
                format!(
                    "could not start ChromeDriver at {} (set CHROMEDRIVER)",
                    chromedriver.display()
                )
            })?;
        let mut driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            temp,
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(30))
                .build()?,
        };
        driver.wait_until_ready().await?;
        Ok(driver)
    }

    async fn wait_until_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("ChromeDriver exited at once ({status})");
            }
            let answer = self.http.get(format!("{}/status", self.url)).send().await;
            if let Ok(answer) = answer
                && let Ok(body) = answer.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("ChromeDriver did not answer on {} within 30 s", self.url);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new headless Chromium session (a fresh profile).
    pub async fn session(&self, root: &Path, chromium: &Path) -> Result<Session> {
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities(root, chromium)?);
        let client = builder
            .connect(&self.url)
            .await
            .context("could not start a Chromium session through ChromeDriver")?;
        let id = client
            .session_id()
            .await?
            .context("ChromeDriver gave the session no id")?;
        Ok(Session {
            client,
            cdp_url: format!("{}/session/{id}/goog/cdp/execute", self.url),
            http: self.http.clone(),
        })
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.temp);
    }
}

/// One browser session.
pub struct Session {
    pub client: Client,
    cdp_url: String,
    http: reqwest::Client,
}

impl Session {
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

    /// Polls `script` every `every` until it returns something other than `null` or
    /// `false`, and returns that; fails after `wait` saying `what` was awaited.
    pub async fn wait_for(
        &self,
        what: &str,
        script: &str,
        wait: Duration,
        every: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + wait;
        loop {
            let value = self.js(script).await?;
            if !matches!(value, Value::Null | Value::Bool(false)) {
                return Ok(value);
            }
            if Instant::now() >= deadline {
                bail!("{what} did not happen within {wait:?}");
            }
            tokio::time::sleep(every).await;
        }
    }

    pub async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(20), self.client.close()).await;
    }
}

/// The end-to-end tests' Chromium: `tests/webdriver.json`'s flags (headless, off the
/// network, a fixed window size).
fn capabilities(root: &Path, chromium: &Path) -> Result<Capabilities> {
    let path = root.join("tests").join("webdriver.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut shared: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let options = &mut shared["goog:chromeOptions"];
    options["binary"] = json!(chromium);
    let mut capabilities = Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options.take());
    Ok(capabilities)
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(listener.local_addr()?.port())
}
