//! Helpers shared by the server's integration tests: starting servers (in this process,
//! or as a child whose memory can be measured), building requests and images, reading
//! answers, and a raw HTTP/1.1 client for requests reqwest will not send as written
//! (declared-but-unsent bodies, `..` in paths).
//!
//! Every loop here is bounded and every wait is short: no helper can hang a test.

// The access-log tests (their own binary) use a few of these helpers.
#![allow(dead_code)]

mod child;
mod raw;
mod result_host;
mod site;

#[allow(unused_imports)] // Not every test binary runs the server as a child.
pub use child::MockProcess;
#[allow(unused_imports)] // Not every test binary sends raw requests.
pub use raw::{RawAnswer, raw_request};
#[allow(unused_imports)] // Nor fetches results.
pub use result_host::{ResultHost, encoded, relay, result_host, results_url};
#[allow(unused_imports)] // Nor serves a site.
pub use site::{ASSET, INLINE, TempDir, dist, index_html, site};

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser as _;
use seedream_contract::{SUBMIT_PATH, task_path};
use seedream_server::{Config, Running};
use serde_json::{Value, json};

/// The key the upstream mock requires in the proxy tests.
pub const KEY: &str = "secret-key-123";

/// A config from command-line flags (after the program name).
pub fn config(args: &[&str]) -> Config {
    let argv = std::iter::once("seedream-server").chain(args.iter().copied());
    Config::try_parse_from(argv).expect("the test's flags parse")
}

/// A mock on a free loopback port: pending 50ms, processing 100ms unless `args`
/// say otherwise.
pub async fn mock(args: &[&str]) -> Running {
    let mut all = vec!["--mock", "--listen", "127.0.0.1:0"];
    if !args.contains(&"--queue-time") {
        all.extend(["--queue-time", "50ms"]);
    }
    if !args.contains(&"--processing-time") {
        all.extend(["--processing-time", "100ms"]);
    }
    all.extend_from_slice(args);
    seedream_server::spawn(config(&all))
        .await
        .expect("the mock starts")
}

/// A proxy on a free loopback port forwarding to `upstream` with `key`.
pub async fn proxy(upstream: &str, key: &str, args: &[&str]) -> Running {
    let mut all = vec!["--listen", "127.0.0.1:0", "--upstream", upstream];
    all.extend_from_slice(args);
    let mut config = config(&all);
    config.proxy_options.api_key = Some(key.to_owned());
    seedream_server::spawn(config)
        .await
        .expect("the proxy starts")
}

/// `http://<addr>` of a running server.
pub fn origin(server: &Running) -> String {
    format!("http://{}", server.addr)
}

/// A client that never goes through a system proxy and never waits long.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a client")
}

/// A `w`x`h` image of one colour, encoded as `format`.
pub fn solid_image(rgb: [u8; 3], w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
    let mut bytes = Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).expect("encodes");
    bytes.into_inner()
}

/// A small PNG of one colour.
pub fn png(rgb: [u8; 3]) -> Vec<u8> {
    solid_image(rgb, 32, 24, image::ImageFormat::Png)
}

/// A small JPEG of one colour.
pub fn jpeg(rgb: [u8; 3]) -> Vec<u8> {
    solid_image(rgb, 32, 24, image::ImageFormat::Jpeg)
}

/// A data URI declaring the format the bytes really are.
pub fn data_uri(bytes: &[u8]) -> String {
    seedream_contract::image::data_uri_for(bytes).expect("a supported image")
}

/// A small valid PNG data URI (grey).
pub fn png_uri() -> String {
    data_uri(&png([128, 128, 128]))
}

/// Base64 (standard, padded) of `bytes`.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The smallest valid submit body: a prompt and one small image.
pub fn minimal_body() -> Value {
    json!({"prompt": "make it brighter", "image": [png_uri()]})
}

/// `POST` the submit route of `server` with a JSON body.
pub async fn submit(client: &reqwest::Client, server: &Running, body: &Value) -> reqwest::Response {
    client
        .post(server.url(SUBMIT_PATH))
        .json(body)
        .send()
        .await
        .expect("the submit is answered")
}

/// Submits `body`, expects 200, and returns the task id.
pub async fn submit_ok(client: &reqwest::Client, server: &Running, body: &Value) -> String {
    let response = submit(client, server, body).await;
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, 200, "submit refused: {text}");
    let answer = seedream_contract::parse_submit_answer(200, text.as_bytes())
        .expect("a documented submit answer");
    answer.task_id
}

/// `GET` a task: (status, body as JSON).
pub async fn query(client: &reqwest::Client, server: &Running, task_id: &str) -> (u16, Value) {
    let response = client
        .get(server.url(&task_path(task_id)))
        .send()
        .await
        .expect("the task query is answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// Polls a task every 20ms until its status is final, at most `within`; returns the
/// last answer's `data`.
pub async fn poll_final(
    client: &reqwest::Client,
    server: &Running,
    task_id: &str,
    within: Duration,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let (status, body) = query(client, server, task_id).await;
        assert_eq!(status, 200, "{body}");
        let state = body["data"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if state == "success" || state == "failed" {
            return body["data"].clone();
        }
        assert!(
            Instant::now() < deadline,
            "task {task_id} still {state} after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Submits `body`, waits for the task to end, and returns its final `data`.
pub async fn run_task(client: &reqwest::Client, server: &Running, body: &Value) -> Value {
    let id = submit_ok(client, server, body).await;
    poll_final(client, server, &id, Duration::from_secs(10)).await
}

/// The result URLs of a successful task's `data`.
pub fn result_urls(data: &Value) -> Vec<String> {
    assert_eq!(data["status"], "success", "{data}");
    data["result"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["url"].as_str().expect("a url").to_owned())
        .collect()
}

/// Fetches a result image: (content-type, bytes).
pub async fn fetch(client: &reqwest::Client, url: &str) -> (String, Vec<u8>) {
    let response = client.get(url).send().await.expect("the image is answered");
    assert_eq!(response.status(), 200, "{url}");
    let content_type = header(&response, "content-type");
    let bytes = response.bytes().await.expect("the image body").to_vec();
    (content_type, bytes)
}

/// A header as text ("" when absent).
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The mean colour of an encoded image.
pub fn mean_rgb(bytes: &[u8]) -> [f64; 3] {
    // Averaged down first: per-pixel work in this unoptimised crate would be slow.
    let picture = image::load_from_memory(bytes).expect("decodes");
    let picture = picture.thumbnail(128, 128).to_rgb8();
    let n = f64::from(picture.width() * picture.height());
    picture.pixels().fold([0.0; 3], |[r, g, b], p| {
        let [pr, pg, pb] = p.0.map(|c| f64::from(c) / n);
        [r + pr, g + pg, b + pb]
    })
}

/// Checks an error answer is the contract's envelope, exactly: the status, JSON
/// content type, and a body of only `code` (the same status) and a
/// `"<Category>: <detail>"` message. Returns the message.
pub async fn expect_error(response: reqwest::Response, status: u16) -> String {
    let content_type = header(&response, "content-type");
    let actual = response.status().as_u16();
    let body = response.bytes().await.expect("an error body");
    check_envelope(actual, &content_type, &body, status)
}

/// [`expect_error`] on parts (for the raw client).
pub fn check_envelope(actual: u16, content_type: &str, body: &[u8], status: u16) -> String {
    let text = String::from_utf8_lossy(body);
    assert_eq!(actual, status, "unexpected status; body: {text}");
    assert_eq!(content_type, "application/json", "{text}");
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|_| panic!("not JSON: {text}"));
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {text}"));
    let mut keys: Vec<_> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "message"], "{text}");
    assert_eq!(object["code"], json!(status), "{text}");
    let message = object["message"]
        .as_str()
        .expect("a string message")
        .to_owned();
    let (category, detail) = message
        .split_once(": ")
        .unwrap_or_else(|| panic!("{message}"));
    assert!(
        !category.is_empty() && category.chars().all(|c| c.is_alphabetic() || c == ' '),
        "category of {message:?}"
    );
    assert!(!detail.trim().is_empty(), "{message:?}");
    message
}

/// `GET /__mock/stats` of a mock. The control helpers send [`KEY`], which the mocks
/// of [`pair`] require and a mock without `--require-key` ignores.
pub async fn stats(client: &reqwest::Client, mock: &Running) -> Value {
    let response = client
        .get(mock.url("/__mock/stats"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// `POST /__mock/faults` with `specs`; returns the answer's status.
pub async fn add_faults(client: &reqwest::Client, mock: &Running, specs: &[&str]) -> u16 {
    let response = client
        .post(mock.url("/__mock/faults"))
        .bearer_auth(KEY)
        .json(&specs)
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

/// `PATCH /__mock/settings` with `change`; expects 200.
pub async fn settings(client: &reqwest::Client, mock: &Running, change: Value) {
    let response = client
        .patch(mock.url("/__mock/settings"))
        .bearer_auth(KEY)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A free loopback port nobody listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

/// A mock requiring [`KEY`] and a proxy to it holding [`KEY`], without a client limit.
pub async fn pair(extra: &[&str]) -> (Running, Running) {
    let upstream = mock(&["--require-key", KEY]).await;
    let mut args = vec!["--client-rate-limit", "0"];
    args.extend_from_slice(extra);
    let front = proxy(&origin(&upstream), KEY, &args).await;
    (upstream, front)
}

/// Asserts an answer carries no Authorization header.
pub fn no_authorization(response: &reqwest::Response) {
    assert!(response.headers().get("authorization").is_none());
}

/// One request as an upstream saw it: method, path and query, Authorization, and
/// every header name.
pub type Seen = Arc<Mutex<Vec<(String, String, String, Vec<String>)>>>;

/// An upstream that records every request and answers 404 in the envelope, with
/// an Authorization and a cookie among its headers.
pub async fn recorder() -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let log = Arc::clone(&log);
        async move {
            let headers = request.headers();
            let auth = headers
                .get("authorization")
                .map(|v| v.to_str().unwrap_or("?").to_owned());
            let names = headers.keys().map(|n| n.as_str().to_owned()).collect();
            let path = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned());
            log.lock().unwrap().push((
                request.method().to_string(),
                path.unwrap_or_default(),
                auth.unwrap_or_default(),
                names,
            ));
            (
                axum::http::StatusCode::NOT_FOUND,
                // Headers a proxy must not pass back, beside the ones it must.
                [
                    ("content-type", "application/json"),
                    ("authorization", "Bearer upstream-secret"),
                    ("set-cookie", "upstream=1"),
                    ("x-ratelimit-reset", "1700000000"),
                    ("retry-after", "7"),
                ],
                r#"{"code":404,"message":"Not found: recorded"}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, seen)
}
