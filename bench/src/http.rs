//! The bench's HTTP client, reqwest, for every request it sends itself (the pages'
//! own go through the browser): the mock's control endpoint, task queries, ChromeDriver's
//! DevTools commands, and the big submit streamed through the proxy
//! ([`crate::big_submit::send`]).

use std::time::Duration;

use anyhow::{Context, Result};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::Value;

/// A client for the bench's loopback servers: no proxy from the environment (one
/// would send loopback requests away), 30 s per request unless it sets its own, and
/// with `key` sent as the bearer key with every request, when given (a mock that
/// requires a key requires it on its control endpoint too).
pub fn client(key: Option<&str>) -> Result<reqwest::Client> {
    let mut headers = HeaderMap::new();
    if let Some(key) = key {
        let bearer = HeaderValue::from_str(&format!("Bearer {key}"))
            .context("the key holds characters a header cannot carry")?;
        headers.insert(AUTHORIZATION, bearer);
    }
    reqwest::Client::builder()
        .no_proxy()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")
}

/// The answer's body as JSON; fails with its status and text when it is not JSON.
pub async fn json(answer: reqwest::Response) -> Result<Value> {
    let status = answer.status();
    let body = answer.bytes().await.context("reading an answer")?;
    serde_json::from_slice(&body).with_context(|| {
        format!(
            "the answer ({status}) is not JSON: {}",
            String::from_utf8_lossy(&body)
        )
    })
}
