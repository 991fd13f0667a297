//! Turning a request's images into pictures the mock can draw from: data URIs are
//! decoded; http URLs are fetched only from this machine (loopback), so the mock can
//! never be used to reach other hosts. Each input also leaves a small summary (format,
//! length and SHA-256 of a data URI's bytes), so tests can check what arrived without
//! the mock keeping the bytes.

use std::time::Duration;

use anyhow::Result;
use futures_util::StreamExt;
use seedream_contract::MAX_IMAGE_BYTES;
use seedream_contract::image::ImageFormat;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::render::{self, SourceImage};

/// A task's inputs once decoded: the pictures to draw from (the undecodable ones
/// left out) and one summary per input, in the request's order.
#[derive(Debug, Default)]
pub struct DecodedInputs {
    pub sources: Vec<SourceImage>,
    pub summaries: Vec<InputSummary>,
}

/// What the mock keeps of one input image: never its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSummary {
    /// A data URI's decoded bytes: their format by magic number (None when not one the
    /// contract knows), their length, and their SHA-256 as lowercase hex.
    Data {
        format: Option<ImageFormat>,
        bytes: usize,
        sha256: String,
    },
    /// An http(s) URL: fetched when on loopback, but not summarised.
    Url,
    /// A data URI whose base64 did not decode (the contract refuses these at submit,
    /// so only a mock bug shows one).
    Undecodable,
}

impl InputSummary {
    /// The summary of a data URI's decoded `bytes`.
    pub fn of_bytes(bytes: &[u8]) -> InputSummary {
        InputSummary::Data {
            format: ImageFormat::sniff(bytes),
            bytes: bytes.len(),
            sha256: format!("{:x}", Sha256::digest(bytes)),
        }
    }

    /// `{"format": "png", "bytes": 1234, "sha256": "<hex>"}` (`format` null when not
    /// recognised), `{"url": true}` or `{"undecodable": true}`.
    pub fn to_json(&self) -> Value {
        match self {
            InputSummary::Data {
                format,
                bytes,
                sha256,
            } => json!({
                "format": format.map(|f| f.mime_type().trim_start_matches("image/")),
                "bytes": bytes,
                "sha256": sha256,
            }),
            InputSummary::Url => json!({"url": true}),
            InputSummary::Undecodable => json!({"undecodable": true}),
        }
    }
}

/// A client for loopback inputs: short timeouts, no redirects (a redirect could lead
/// off this machine).
pub fn loopback_client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(2))
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Decodes every image that can be decoded (the mock then draws from what it has, or
/// from the prompt) and summarises every one. The heavy work (base64, digest, pixels)
/// runs off the async runtime, one image at a time to bound memory.
pub async fn decode_all(http: reqwest::Client, images: Vec<String>) -> DecodedInputs {
    let mut decoded = DecodedInputs::default();
    for image in images {
        let (summary, source) = if is_data_uri(&image) {
            tokio::task::spawn_blocking(move || decode_data_input(&image))
                .await
                .unwrap_or((InputSummary::Undecodable, None))
        } else if is_loopback_url(&image) {
            let source = match fetch(&http, &image).await {
                Some(bytes) => tokio::task::spawn_blocking(move || render::decode_source(&bytes))
                    .await
                    .ok()
                    .flatten(),
                None => None,
            };
            (InputSummary::Url, source)
        } else {
            (InputSummary::Url, None)
        };
        decoded.summaries.push(summary);
        decoded.sources.extend(source);
    }
    decoded
}

/// `data:`, in any case (RFC 2397 allows it, and so does the contract).
fn is_data_uri(image: &str) -> bool {
    image
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"))
}

/// One data URI's summary and picture, from a single decoding of its base64.
fn decode_data_input(uri: &str) -> (InputSummary, Option<SourceImage>) {
    match render::data_uri_bytes(uri) {
        Some(bytes) => (
            InputSummary::of_bytes(&bytes),
            render::decode_source(&bytes),
        ),
        None => (InputSummary::Undecodable, None),
    }
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
    use super::*;

    #[test]
    fn summarises_a_data_uri_by_its_bytes_and_forgets_them() {
        // The eight-byte PNG signature: enough to be recognised, not to be decoded.
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let (summary, source) = decode_data_input("data:image/png;base64,iVBORw0KGgo=");
        assert!(source.is_none());
        assert_eq!(summary, InputSummary::of_bytes(&png));
        assert_eq!(
            summary.to_json(),
            json!({
                "format": "png",
                "bytes": 8,
                "sha256": "4c4b6a3be1314ab86138bef4314dde022e600960d8689a2c8f8631802d20dab6",
            })
        );
        assert_eq!(
            decode_data_input("data:image/png;base64,!!!!").0,
            InputSummary::Undecodable
        );
        assert_eq!(
            InputSummary::of_bytes(b"text").to_json()["format"],
            Value::Null
        );
    }

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
