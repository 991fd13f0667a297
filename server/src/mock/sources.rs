//! Turning a request's images into pictures the mock can draw from: data URIs are
//! decoded; http URLs are fetched only from this machine (loopback), so the mock can
//! never be used to reach other hosts.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use futures_util::StreamExt;
use seedream_contract::MAX_IMAGE_BYTES;

use super::render::{self, SourceImage};

/// A client for loopback inputs: short timeouts, no redirects (a redirect could lead
/// off this machine).
pub fn loopback_client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(2))
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Decodes every image that can be decoded; the others are skipped (the mock then
/// draws from what it has, or from the prompt).
pub async fn decode_all(http: reqwest::Client, images: Vec<String>) -> Arc<Vec<SourceImage>> {
    let mut decoded = Vec::new();
    for image in images {
        let source = if image.starts_with("data:") {
            tokio::task::spawn_blocking(move || render::decode_data_uri(&image))
                .await
                .ok()
                .flatten()
        } else if is_loopback_url(&image) {
            match fetch(&http, &image).await {
                Some(bytes) => tokio::task::spawn_blocking(move || render::decode_source(&bytes))
                    .await
                    .ok()
                    .flatten(),
                None => None,
            }
        } else {
            None
        };
        decoded.extend(source);
    }
    Arc::new(decoded)
}

/// The body of `url`, if it answers 200 within the size limit.
async fn fetch(http: &reqwest::Client, url: &str) -> Option<Vec<u8>> {
    let response = http.get(url).send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk.ok()?);
        if body.len() > MAX_IMAGE_BYTES {
            return None;
        }
    }
    Some(body)
}

/// True for `http(s)://` URLs whose host is 127.0.0.0/8, `localhost` or `[::1]`.
pub fn is_loopback_url(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return false;
    }
    match parsed.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn only_this_machine_is_fetched() {
        assert!(is_loopback_url("http://127.0.0.1:8080/a.png"));
        assert!(is_loopback_url("http://127.3.4.5/a.png"));
        assert!(is_loopback_url("https://localhost/a.png"));
        assert!(is_loopback_url("http://[::1]:9000/a.png"));
        assert!(!is_loopback_url("https://example.com/a.png"));
        assert!(!is_loopback_url("http://10.0.0.1/a.png"));
        assert!(!is_loopback_url("http://localhost.example.com/a.png"));
        assert!(!is_loopback_url("http://127.0.0.1.nip.io/a.png"));
        assert!(!is_loopback_url("file:///etc/passwd"));
        assert!(!is_loopback_url("not a url"));
    }
}
