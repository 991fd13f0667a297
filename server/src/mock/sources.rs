//! Turning a request's images into pictures the mock can draw from. Data URIs are
//! decoded. The mock never fetches anything: a URL naming one of its own results (on
//! the host the submit was sent to) is read from its task store, exactly the bytes the
//! results route serves, so "use a result as an input" works; any other URL, like an
//! image that does not decode, leaves the results to be drawn from the prompt. Each
//! input also leaves a small summary (a data URI's format, length and SHA-256, whether
//! it decoded), so tests can check what arrived without the mock keeping the bytes.

use seedream_contract::image::ImageFormat;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use super::decode::{self, SourceImage};
use super::results::{self, RESULTS_PATH};
use super::{MockState, run_limited};

/// A task's inputs once decoded: the pictures to draw from (the undecodable ones
/// left out) and one summary per input, in the request's order.
#[derive(Debug, Default)]
pub struct DecodedInputs {
    pub sources: Vec<SourceImage>,
    pub summaries: Vec<InputSummary>,
}

impl DecodedInputs {
    /// The memory the kept pictures take.
    pub fn byte_len(&self) -> u64 {
        self.sources.iter().map(SourceImage::byte_len).sum()
    }
}

/// What the mock keeps of one input image: never its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSummary {
    /// A data URI's decoded bytes: their format by magic number (None when not one the
    /// contract knows), their length, their SHA-256 as lowercase hex, and whether they
    /// decoded to a picture within the mock's memory limit.
    Data {
        format: Option<ImageFormat>,
        bytes: usize,
        sha256: String,
        decoded: bool,
    },
    /// An http(s) URL: decoded only when it names one of this server's own results.
    Url { decoded: bool },
    /// A data URI whose base64 did not decode (the contract refuses these at submit,
    /// so only a mock bug shows one).
    Undecodable,
}

impl InputSummary {
    /// The summary of a data URI's decoded `bytes`.
    pub fn of_bytes(bytes: &[u8], decoded: bool) -> InputSummary {
        InputSummary::Data {
            format: ImageFormat::sniff(bytes),
            bytes: bytes.len(),
            sha256: format!("{:x}", Sha256::digest(bytes)),
            decoded,
        }
    }

    /// `{"format": "png", "bytes": 1234, "sha256": "<hex>", "decoded": true}` (`format`
    /// null when not recognised), `{"url": true, "decoded": false}` or
    /// `{"undecodable": true}`.
    pub fn to_json(&self) -> Value {
        match self {
            InputSummary::Data {
                format,
                bytes,
                sha256,
                decoded,
            } => json!({
                "format": format.map(|f| f.mime_type().trim_start_matches("image/")),
                "bytes": bytes,
                "sha256": sha256,
                "decoded": decoded,
            }),
            InputSummary::Url { decoded } => json!({"url": true, "decoded": decoded}),
            InputSummary::Undecodable => json!({"undecodable": true}),
        }
    }
}

/// Decodes every image that can be decoded (the mock then draws from what it has, or
/// from the prompt) and summarises every one. `own_host` is the submit's Host: URLs on
/// it name this server's results. The heavy work (base64, digest, pixels) runs off the
/// async runtime, one image of this task at a time and a few across all tasks, to bound
/// memory; each data URI's text is dropped once it is decoded.
pub async fn decode_all(
    mock: &MockState,
    images: Vec<String>,
    own_host: Option<&str>,
) -> DecodedInputs {
    let mut decoded = DecodedInputs::default();
    for image in images {
        let (summary, source) = if is_data_uri(&image) {
            run_limited(&mock.decode_permits, move || decode_data_input(&image))
                .await
                .unwrap_or((InputSummary::Undecodable, None))
        } else {
            let source = match own_host.and_then(|host| own_result(&image, host)) {
                Some((task_id, file)) => decode_own_result(mock, &task_id, &file).await,
                None => None,
            };
            let decoded = source.is_some();
            (InputSummary::Url { decoded }, source)
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
    match decode::data_uri_bytes(uri) {
        Some(bytes) => {
            let source = decode::decode_source(&bytes);
            (InputSummary::of_bytes(&bytes, source.is_some()), source)
        }
        None => (InputSummary::Undecodable, None),
    }
}

/// The (task id, file) of a result `url` names on `own_host`, the submit's Host
/// (`host[:port]`). Hosts are compared as parsed, so `LOCALHOST` and `localhost`, or
/// `127.1` and `127.0.0.1`, are one; http and https alike, since a TLS front may serve
/// the results the mock hands out as http.
fn own_result(url: &str, own_host: &str) -> Option<(String, String)> {
    let url = Url::parse(url).ok()?;
    let own = Url::parse(&format!("http://{own_host}/")).ok()?;
    let same_host = matches!(url.scheme(), "http" | "https")
        && url.host() == own.host()
        && url.port() == own.port();
    if !same_host {
        return None;
    }
    let (task_id, file) = url
        .path()
        .strip_prefix(RESULTS_PATH)?
        .strip_prefix('/')?
        .split_once('/')?;
    (!file.contains('/')).then(|| (task_id.to_owned(), file.to_owned()))
}

/// One of this server's results as an input: its bytes from the store (drawn if no
/// one has asked for them yet), decoded like any input. None when the task is gone.
async fn decode_own_result(mock: &MockState, task_id: &str, file: &str) -> Option<SourceImage> {
    let (_, bytes) = results::result(mock, task_id, file).await.ok()?;
    run_limited(&mock.decode_permits, move || decode::decode_source(&bytes))
        .await
        .flatten()
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
        assert_eq!(summary, InputSummary::of_bytes(&png, false));
        assert_eq!(
            summary.to_json(),
            json!({
                "format": "png",
                "bytes": 8,
                "sha256": "4c4b6a3be1314ab86138bef4314dde022e600960d8689a2c8f8631802d20dab6",
                "decoded": false,
            })
        );
        assert_eq!(
            decode_data_input("data:image/png;base64,!!!!").0,
            InputSummary::Undecodable
        );
        assert_eq!(
            InputSummary::of_bytes(b"text", false).to_json()["format"],
            Value::Null
        );
    }

    #[test]
    fn only_results_on_the_submits_own_host_are_its_own() {
        let id = "task-0123456789abcdef01234567";
        let own = |url: &str, host: &str| own_result(url, host);
        let expected = Some((id.to_owned(), "1.png".to_owned()));
        for (url, host) in [
            (
                format!("http://127.0.0.1:8080/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("https://studio.example/mock/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("http://LOCALHOST:9/mock/results/{id}/1.png?x=1"),
                "localhost:9",
            ),
            (format!("http://[::1]:9/mock/results/{id}/1.png"), "[::1]:9"),
        ] {
            assert_eq!(own(&url, host), expected, "{url} on {host}");
        }
        for (url, host) in [
            (
                format!("http://127.0.0.1:8081/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("http://127.0.0.1/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("http://localhost:8080/mock/results/{id}/1.png"),
                "127.0.0.1:8080",
            ),
            (
                format!("http://evil.example/mock/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("ftp://studio.example/mock/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("http://studio.example/mock/results/{id}/a/1.png"),
                "studio.example",
            ),
            (
                format!("http://studio.example/results/{id}/1.png"),
                "studio.example",
            ),
            (
                format!("http://studio.example/mock/resultsx/{id}/1.png"),
                "studio.example",
            ),
            ("not a url".to_owned(), "studio.example"),
        ] {
            assert_eq!(own(&url, host), None, "{url} on {host}");
        }
    }
}
