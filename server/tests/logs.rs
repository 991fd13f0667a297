//! What the servers log: every request, with its id, and nothing secret. A global
//! subscriber at TRACE for every crate captures the logs of a whole proxy-and-mock
//! session in memory (this file is its own test binary, so the global is ours).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::*;
use seedream_contract::{SUBMIT_PATH, task_path};
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

/// Log lines written so far, shared by every test in this binary.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// Installs the capturing subscriber once.
fn logs() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(captured.clone())
                .init();
            captured
        })
        .clone()
}

const SECRET: &str = "sk-live-7f3a9c1e5b2d4f60a8e1";
const WRONG_SECRET: &str = "sk-wrong-0c4e7a9b1d3f";
const PROMPT: &str = "PROMPT-zebra-umbrella-quartz-42";

/// A PNG whose base64 is varied from start to end.
fn noisy_png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(48, 40, |x, y| {
        image::Rgb([(x * 5) as u8, (y * 6) as u8, ((x * y) % 251) as u8])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_logged_with_request_ids_and_without_secrets() {
    let captured = logs();
    let upstream = mock(&["--require-key", SECRET]).await;
    let front = proxy(&origin(&upstream), SECRET, &["--client-rate-limit", "0"]).await;
    let client = client();
    let uri = data_uri(&noisy_png());
    let payload = uri.split_once(',').unwrap().1.to_owned();
    let body = json!({"prompt": PROMPT, "image": [uri]});

    // Through the proxy, with a request id of our own and a key the proxy must drop.
    let response = client
        .post(front.url(SUBMIT_PATH))
        .header("x-request-id", "req-logs-0001")
        .bearer_auth(WRONG_SECRET)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "x-request-id"), "req-logs-0001");
    let answer: serde_json::Value = response.json().await.unwrap();
    let id = answer["data"]["task_id"].as_str().unwrap().to_owned();
    let data = poll_final(&client, &front, &id, Duration::from_secs(10)).await;
    let (_, _) = fetch(&client, &result_urls(&data)[0]).await;

    // Straight to the mock: the right key, a wrong one, and an error answer.
    let response = client
        .get(upstream.url(&task_path(&id)))
        .bearer_auth(SECRET)
        .send()
        .await
        .unwrap();
    let generated_id = header(&response, "x-request-id");
    assert!(
        generated_id.len() == 32 && generated_id.bytes().all(|b| b.is_ascii_hexdigit()),
        "32 hex digits: {generated_id}"
    );
    let response = client
        .post(upstream.url(SUBMIT_PATH))
        .bearer_auth(WRONG_SECRET)
        .json(&body);
    assert_eq!(response.send().await.unwrap().status(), 401);

    // An upstream failure is logged (as a warning naming the URL, never the key).
    let down = proxy(&format!("http://127.0.0.1:{}", closed_port()), SECRET, &[]).await;
    let response = client
        .post(down.url(SUBMIT_PATH))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);

    let text = captured.text();
    if let Ok(path) = std::env::var("SEEDREAM_TEST_LOG_DUMP") {
        std::fs::write(path, &text).unwrap();
    }
    assert!(!text.is_empty(), "nothing was logged");
    assert!(
        text.contains("req-logs-0001"),
        "a client's request id is logged:\n{text}"
    );
    assert!(
        text.contains(&generated_id),
        "a generated request id is logged"
    );
    assert!(text.contains(SUBMIT_PATH), "the path is logged");
    assert!(
        text.contains("upstream request failed"),
        "the upstream failure is logged"
    );
    for secret in [SECRET, WRONG_SECRET, "Bearer ", PROMPT] {
        assert!(!text.contains(secret), "the logs show {secret:?}");
    }
    assert!(payload.len() > 2000, "{}", payload.len());
    let mut start = 0;
    while start + 40 <= payload.len() {
        let slice = &payload[start..start + 40];
        assert!(
            !text.contains(slice),
            "the logs show the image at {start}: {slice}"
        );
        start += 97;
    }
    // The servers also stop cleanly, in-flight work finished.
    for server in [front, upstream, down] {
        let stopped = tokio::time::timeout(Duration::from_secs(5), server.stop()).await;
        stopped
            .expect("stops within 5 s")
            .expect("stops without error");
    }
}

/// A result link's signature: alphanumeric, so it reads the same percent-encoded.
const LINK_SIGNATURE: &str = "LINKSIG7f3a9c1e5b2d4f60a8e1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_links_are_logged_without_their_signatures() {
    let captured = logs();
    let host = result_host().await;
    let closed = format!("127.0.0.1:{}", closed_port());
    let listed = host.authority();
    let server = relay(&["--mock", "--result-host", &listed, "--result-host", &closed]).await;
    let query = format!("?X-Signature={LINK_SIGNATURE}&X-Expires=1");
    let away = format!("https://unlisted.example/x.png{query}");
    // Relayed; refused for its host, its page or its redirect; failed upstream.
    let cases = [
        (host.url(&format!("/image.png{query}")), None, 200),
        (away.clone(), None, 403),
        (
            host.url(&format!("/image.png{query}")),
            Some("https://evil.example"),
            403,
        ),
        (
            host.url(&format!("/redirect?to={}", encoded(&away))),
            None,
            502,
        ),
        (format!("https://{closed}/x.png{query}"), None, 502),
    ];
    for (url, origin, status) in cases {
        let mut request = client().get(results_url(&server, &url));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        assert_eq!(request.send().await.unwrap().status(), status, "{url}");
    }
    let text = captured.text();
    assert!(text.contains("/api/results"), "the path is logged");
    for warning in [
        "refused a result fetch for a page on another site",
        "refused a result host's redirect",
        "a result host could not be reached",
    ] {
        assert!(text.contains(warning), "{warning:?} is logged");
    }
    assert!(
        !text.contains(LINK_SIGNATURE),
        "the logs show a result link"
    );
}

#[test]
fn the_capture_writes_through() {
    let mut captured = Captured::default();
    captured.write_all(b"abc").unwrap();
    captured.flush().unwrap();
    assert_eq!(captured.text(), "abc");
}
