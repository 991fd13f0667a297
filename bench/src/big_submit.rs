//! A valid submit body of an exact size, written on the fly: the proxy's memory row
//! streams 190 MB of it through reqwest ([`send`]), which is never held in memory or
//! written to disk here: the body is a series of pieces of a few static buffers.
//!
//! `{"prompt":"…","image":[<spaces>"data:image/png;base64,iVBORw0KGgoAAAAN AAAA…",…]}`:
//! every image is the same data URI, a PNG signature and the first bytes of its header
//! (what the contract sniffs) followed by zeros (`A` in base64), as long as the size
//! allows; the spaces, which JSON ignores, make the length exact.

use std::convert::Infallible;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use seedream_contract::{MAX_IMAGE_BYTES, MAX_IMAGES, MAX_SUBMIT_BODY_BYTES};

const HEAD: &str = r#"{"prompt":"a submit as large as the contract allows","image":["#;
const TAIL: &str = "]}";
const URI_PREFIX: &str = "data:image/png;base64,";
/// The PNG signature and the length of its IHDR chunk, 12 bytes, in base64.
const PNG_START: &str = "iVBORw0KGgoAAAAN";
/// A run of base64 zeros sent at once.
static ZEROS: [u8; 64 * 1024] = [b'A'; 64 * 1024];
/// A run of the spaces that pad the body to its exact length.
static SPACES: [u8; 1024] = [b' '; 1024];

/// The layout of one body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BigSubmit {
    images: usize,
    /// Base64 characters of each image, a multiple of 4.
    payload: usize,
    /// Spaces after the array's `[`.
    padding: usize,
}

impl BigSubmit {
    /// A body of exactly `total` bytes with `images` images as large as it allows,
    /// refused when the contract would refuse it (too many images, an image over
    /// 10 MiB, a body over the contract's limit).
    pub fn new(total: usize, images: usize) -> Result<BigSubmit> {
        if !(1..=MAX_IMAGES).contains(&images) {
            bail!("a submit carries 1 to {MAX_IMAGES} images, not {images}");
        }
        if total > MAX_SUBMIT_BODY_BYTES {
            bail!("{total} bytes is over the contract's limit of {MAX_SUBMIT_BODY_BYTES}");
        }
        // Each image is quoted and all but the last followed by a comma.
        let fixed = HEAD.len() + TAIL.len() + images * (URI_PREFIX.len() + 3) - 1;
        let room = total.saturating_sub(fixed) / images;
        let payload = room - room % 4;
        if payload < PNG_START.len() {
            bail!("{total} bytes is too small for {images} images");
        }
        if payload / 4 * 3 > MAX_IMAGE_BYTES {
            bail!("{total} bytes over {images} images would make them over 10 MiB each");
        }
        Ok(BigSubmit {
            images,
            payload,
            padding: total - fixed - payload * images,
        })
    }

    /// The body's length in bytes.
    pub fn length(&self) -> usize {
        HEAD.len()
            + self.padding
            + self.images * (URI_PREFIX.len() + 2 + self.payload)
            + (self.images - 1)
            + TAIL.len()
    }

    /// The body in pieces of at most 64 KiB, in order: all of them static, so the
    /// body costs no memory however long it is.
    pub fn pieces(&self) -> impl Iterator<Item = &'static [u8]> + Send + 'static {
        let BigSubmit {
            images,
            payload,
            padding,
        } = *self;
        let image = move |i: usize| {
            let comma: Option<&'static [u8]> = (i > 0).then_some(b",");
            comma
                .into_iter()
                .chain([b"\"" as &[u8], URI_PREFIX.as_bytes(), PNG_START.as_bytes()])
                .chain(repeated(&ZEROS, payload - PNG_START.len()))
                .chain([b"\"" as &[u8]])
        };
        std::iter::once(HEAD.as_bytes())
            .chain(repeated(&SPACES, padding))
            .chain((0..images).flat_map(image))
            .chain(std::iter::once(TAIL.as_bytes()))
    }

    /// The body as reqwest streams it: each piece is sent as it comes, none copied.
    pub fn stream(&self) -> reqwest::Body {
        stream(self.pieces())
    }
}

/// `pieces` as a request body, sent one after the other as the connection takes them.
fn stream(pieces: impl Iterator<Item = &'static [u8]> + Send + 'static) -> reqwest::Body {
    let pieces = pieces.map(Ok::<_, Infallible>);
    reqwest::Body::wrap_stream(futures_util::stream::iter(pieces))
}

/// `count` bytes of `run` (all one byte), in pieces of at most its length.
fn repeated(run: &'static [u8], count: usize) -> impl Iterator<Item = &'static [u8]> + Send {
    let mut left = count;
    std::iter::from_fn(move || {
        let n = left.min(run.len());
        left -= n;
        (n > 0).then(|| &run[..n])
    })
}

/// POSTs `body`, `length` bytes declared up front (the proxy refuses a submit without
/// a length, and one over the contract's limit, with 413 before reading a byte), to
/// `url` as JSON, and returns the answer's status and text.
///
/// hyper reads the answer while it sends, so a server that answers before the body
/// is all sent (that early 413) and closes is still heard: the answer comes back, not
/// the failed write (see the tests).
pub async fn send(
    http: &reqwest::Client,
    url: &str,
    length: usize,
    body: reqwest::Body,
) -> Result<(StatusCode, String)> {
    let answer = http
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header(CONTENT_LENGTH, length)
        // 190 MB through a proxy into the mock, which reads all of it first.
        .timeout(Duration::from_secs(300))
        .body(body)
        .send()
        .await
        .with_context(|| format!("sending a {length}-byte submit to {url}"))?;
    let status = answer.status();
    let text = answer
        .text()
        .await
        .with_context(|| format!("reading the answer ({status}) to a {length}-byte submit"))?;
    Ok((status, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedream_contract::parse_submit_body;

    #[test]
    fn a_small_body_is_a_valid_submit_of_the_exact_size() {
        for (total, images) in [(200_000, 3), (200_003, 3), (1_000, 1), (5_000, 14)] {
            let submit = BigSubmit::new(total, images).unwrap();
            let body = submit.pieces().collect::<Vec<_>>().concat();
            assert!(submit.pieces().all(|piece| piece.len() <= 64 * 1024));
            assert_eq!((body.len(), submit.length()), (total, total));
            let request = parse_submit_body(&body).unwrap();
            assert_eq!(request.image.len(), images);
        }
    }

    #[test]
    fn the_bench_size_fits_the_contract() {
        let submit = BigSubmit::new(190_000_000, MAX_IMAGES).unwrap();
        assert_eq!(submit.length(), 190_000_000);
        assert!(submit.payload / 4 * 3 <= MAX_IMAGE_BYTES);
        // And one of its images, written alone, is a valid image of that size.
        let one = BigSubmit {
            images: 1,
            ..submit
        };
        parse_submit_body(&one.pieces().collect::<Vec<_>>().concat()).unwrap();
    }

    #[test]
    fn refuses_what_the_contract_refuses() {
        assert!(BigSubmit::new(MAX_SUBMIT_BODY_BYTES + 1, MAX_IMAGES).is_err());
        assert!(BigSubmit::new(190_000_000, 1).is_err(), "one 190 MB image");
        assert!(BigSubmit::new(1_000, 0).is_err());
        assert!(BigSubmit::new(1_000, MAX_IMAGES + 1).is_err());
        assert!(BigSubmit::new(100, 3).is_err(), "no room for the images");
    }

    /// The mock in this process, on a free loopback port.
    async fn mock() -> seedream_server::Running {
        use clap::Parser as _;
        let flags = ["seedream-server", "--mock", "--listen", "127.0.0.1:0"];
        let config = seedream_server::Config::try_parse_from(flags).unwrap();
        seedream_server::spawn(config).await.unwrap()
    }

    #[tokio::test]
    async fn a_streamed_submit_reaches_the_mock_whole() {
        let mock = mock().await;
        let http = crate::http::client(None).unwrap();
        let submit = BigSubmit::new(3_000_000, MAX_IMAGES).unwrap();
        let url = mock.url(seedream_contract::SUBMIT_PATH);
        let (status, text) = send(&http, &url, submit.length(), submit.stream())
            .await
            .unwrap();
        assert_eq!(status, StatusCode::OK, "{text}");
        let stats = http.get(mock.url("/__mock/stats")).send().await.unwrap();
        let stats: serde_json::Value = stats.json().await.unwrap();
        assert_eq!(stats["submits"], 1, "{stats}");
        mock.stop().await.unwrap();
    }

    #[tokio::test]
    async fn an_early_413_is_read_while_the_body_is_still_being_sent() {
        // Declared over the limit: the mock answers 413 before it reads a byte, and
        // the connection closes with nearly all of the 196 MB unsent.
        let mock = mock().await;
        let http = crate::http::client(None).unwrap();
        let length = MAX_SUBMIT_BODY_BYTES + 1;
        let url = mock.url(seedream_contract::SUBMIT_PATH);
        let (status, text) = send(&http, &url, length, stream(repeated(&ZEROS, length)))
            .await
            .unwrap();
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(text.contains("Request too large"), "{text}");
        mock.stop().await.unwrap();
    }

    #[tokio::test]
    async fn an_answer_then_a_close_mid_upload_is_read() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        // A server that reads the head and the body's first bytes, answers 413, and
        // closes without reading the rest: the rudest early answer.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = vec![0; 256 * 1024];
            let mut read = 0;
            while read < buffer.len() {
                read += socket.read(&mut buffer[read..]).await.unwrap();
            }
            let answer = "HTTP/1.1 413 Payload Too Large\r\ncontent-length: 9\r\n\
                          connection: close\r\n\r\ntoo large";
            socket.write_all(answer.as_bytes()).await.unwrap();
            socket.shutdown().await.unwrap();
        });
        let http = crate::http::client(None).unwrap();
        let submit = BigSubmit::new(190_000_000, MAX_IMAGES).unwrap();
        let url = format!("http://{addr}{}", seedream_contract::SUBMIT_PATH);
        let (status, text) = send(&http, &url, submit.length(), submit.stream())
            .await
            .unwrap();
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too large")
        );
        server.await.unwrap();
    }

    #[tokio::test]
    async fn the_body_is_never_held_in_memory() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        // A server that reads the whole body and throws it away.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let submit = BigSubmit::new(190_000_000, MAX_IMAGES).unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = vec![0; 64 * 1024];
            let mut seen = Vec::new();
            let body_start = loop {
                let n = socket.read(&mut buffer).await.unwrap();
                seen.extend_from_slice(&buffer[..n]);
                if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                    break end + 4;
                }
            };
            let mut left = submit.length() - (seen.len() - body_start);
            while left > 0 {
                let n = socket.read(&mut buffer).await.unwrap();
                assert!(n > 0, "the body ended {left} bytes early");
                left -= n;
            }
            let answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
            socket.write_all(answer.as_bytes()).await.unwrap();
        });
        let before = peak_memory();
        let http = crate::http::client(None).unwrap();
        let url = format!("http://{addr}/");
        let (status, _) = send(&http, &url, submit.length(), submit.stream())
            .await
            .unwrap();
        assert_eq!(status, StatusCode::OK);
        server.await.unwrap();
        // About 2 MB alone; the bound leaves room for the other tests of this
        // process, which run beside it, and still catches a body held whole.
        let grown = peak_memory() - before;
        assert!(
            grown < 100_000_000,
            "the peak grew by {grown} bytes over 190 MB"
        );
    }

    /// This process's peak resident memory so far, in bytes.
    fn peak_memory() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        crate::child::vm_hwm_bytes(&status).unwrap()
    }
}
