//! What bounds the mock when it is attacked: its memory under decompression bombs
//! (measured on the binary as a child process), the tasks and image bytes it keeps,
//! its control endpoint behind the key, and that it never fetches a URL.

use std::time::Duration;

use crate::common::*;
use image::ImageEncoder as _;
use image::codecs::png::PngEncoder;
use seedream_contract::SUBMIT_PATH;
use serde_json::{Value, json};

const MB: u64 = 1_000_000;

/// A PNG of `w` x `h` transparent pixels: from a zeroed buffer the system maps lazily,
/// so even a bomb costs this test little memory. 11000 x 11000 is a 3 MB file (zlib
/// at its slowest makes it 470 KB) whose pixels take 484 MB.
fn transparent_png(w: u32, h: u32) -> Vec<u8> {
    let pixels = vec![0u8; w as usize * h as usize * 4];
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(&pixels, w, h, image::ExtendedColorType::Rgba8)
        .expect("encodes");
    bytes
}

/// Submits `images` to the mock at `origin`; returns the task id.
async fn submit_to(client: &reqwest::Client, origin: &str, images: Vec<String>) -> String {
    let body = json!({"prompt": "make it brighter", "image": images});
    let response = client
        .post(format!("{origin}{SUBMIT_PATH}"))
        .json(&body)
        .send()
        .await
        .expect("the submit is answered");
    let answer: Value = response.json().await.expect("a JSON answer");
    let id = answer["data"]["task_id"].as_str();
    id.unwrap_or_else(|| panic!("submit refused: {answer}"))
        .to_owned()
}

/// `GET /__mock/tasks/{id}/inputs`, which waits until the task's inputs are decoded.
async fn inputs_of(client: &reqwest::Client, origin: &str, id: &str) -> Vec<Value> {
    let url = format!("{origin}/__mock/tasks/{id}/inputs");
    let response = client.get(url).send().await.expect("answered");
    assert_eq!(response.status(), 200);
    let inputs: Value = response.json().await.expect("JSON");
    inputs.as_array().expect("an array").clone()
}

/// Submits each of `images` as its own task, all at once, and waits until every one is
/// decoded; returns whether each decoded.
async fn decode_at_once(mock: &MockProcess, images: &[String]) -> Vec<bool> {
    let (client, origin) = (client(), mock.url(""));
    let submits = images
        .iter()
        .map(|image| submit_to(&client, &origin, vec![image.clone()]));
    let ids = futures_util::future::join_all(submits).await;
    let mut decoded = Vec::new();
    for id in ids {
        let inputs = inputs_of(&client, &origin, &id).await;
        decoded.push(inputs[0]["decoded"] == true);
    }
    decoded
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decompression_bombs_are_not_decoded() {
    let mock = MockProcess::start(&["--processing-time", "10s"]);
    let bomb = data_uri(&transparent_png(11000, 11000));
    assert!(bomb.len() < 5_000_000, "a bomb of {} bytes", bomb.len());
    let decoded = decode_at_once(&mock, &[bomb.clone(), bomb.clone(), bomb]).await;
    let peak = mock.peak_memory();
    assert_eq!(decoded, [false; 3], "bombs are treated as undecodable");
    // Each would have taken 484 MB; the mock itself takes a few tens.
    assert!(
        peak < 150 * MB,
        "three bombs took the mock to {} MB",
        peak / MB
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_inputs_decode_a_few_at_a_time() {
    let mock = MockProcess::start(&["--processing-time", "10s"]);
    // 6000 x 6000 RGBA: 144 MB of pixels each, within the limit. Two decode at once
    // (288 MB); all three at once would hold 432 MB.
    let large = data_uri(&transparent_png(6000, 6000));
    let decoded = decode_at_once(&mock, &[large.clone(), large.clone(), large]).await;
    let peak = mock.peak_memory();
    assert!(
        peak < 390 * MB,
        "three large inputs took the mock to {} MB",
        peak / MB
    );
    assert_eq!(decoded, [true; 3], "large inputs still decode");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oldest_finished_task_makes_room_and_unfinished_ones_stay() {
    let server = mock(&["--max-stored-tasks", "2", "--max-concurrent-tasks", "0"]).await;
    let client = client();
    let first = run_task(&client, &server, &minimal_body()).await;
    let first_id = first["task_id"].as_str().unwrap().to_owned();
    let first_url = result_urls(&first).remove(0);
    fetch(&client, &first_url).await;

    settings(&client, &server, json!({"processing_ms": 60_000})).await;
    let second = submit_ok(&client, &server, &minimal_body()).await;
    assert_eq!(
        query(&client, &server, &first_id).await.0,
        200,
        "room for two"
    );
    // A third task: the finished first one goes, the running second one stays.
    let third = submit_ok(&client, &server, &minimal_body()).await;
    let (status, body) = query(&client, &server, &first_id).await;
    assert_eq!(status, 404, "{body}");
    let response = client.get(&first_url).send().await.unwrap();
    let message = expect_error(response, 404).await;
    assert!(message.starts_with("Not found: "), "{message}");
    // A fourth while both are running: nothing finished to evict, so all are kept.
    let fourth = submit_ok(&client, &server, &minimal_body()).await;
    for id in [&second, &third, &fourth] {
        let (status, body) = query(&client, &server, id).await;
        let state = body["data"]["status"].as_str();
        assert!(status == 200 && state != Some("success"), "{body}");
    }
    assert_eq!(stats(&client, &server).await["tasks"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_bytes_over_the_budget_evict_the_oldest_finished_task() {
    // Each input keeps 512 x 512 x 3 = 786 KB: two exceed a budget of 1 MB.
    let server = mock(&["--max-stored-image-mb", "1"]).await;
    let client = client();
    let photo = data_uri(&solid_image(
        [200, 40, 40],
        512,
        512,
        image::ImageFormat::Png,
    ));
    let body = json!({"prompt": "warmer", "image": [photo]});
    let first = run_task(&client, &server, &body).await;
    let first_id = first["task_id"].as_str().unwrap().to_owned();
    let first_url = result_urls(&first).remove(0);
    fetch(&client, &first_url).await;

    let second = submit_ok(&client, &server, &body).await;
    inputs_of(&client, &server.url(""), &second).await;
    assert_eq!(query(&client, &server, &first_id).await.0, 404);
    assert_eq!(client.get(&first_url).send().await.unwrap().status(), 404);
    // The newest task keeps its own images even alone over the budget.
    let second = poll_final(&client, &server, &second, Duration::from_secs(10)).await;
    fetch(&client, &result_urls(&second)[0]).await;
    let kept = stats(&client, &server).await["image_bytes"]
        .as_u64()
        .unwrap();
    assert!((786_432..2 * MB).contains(&kept), "{kept} bytes kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_endpoint_needs_the_key_when_the_api_does() {
    let server = mock(&["--require-key", "K-42"]).await;
    let client = client();
    let id = submit_ok_with_key(&client, &server, "K-42").await;
    let requests = || {
        [
            client
                .patch(server.url("/__mock/settings"))
                .json(&json!({"rate_limit": 0})),
            client
                .post(server.url("/__mock/faults"))
                .json(&json!(["task:503"])),
            client.delete(server.url("/__mock/faults")),
            client.get(server.url("/__mock/stats")),
            client.get(server.url(&format!("/__mock/tasks/{id}/inputs"))),
        ]
    };
    for request in requests() {
        let message = expect_error(request.send().await.unwrap(), 401).await;
        assert_eq!(message, "Authentication failed: missing API key");
    }
    for request in requests() {
        let response = request.bearer_auth("wrong").send().await.unwrap();
        let message = expect_error(response, 401).await;
        assert_eq!(message, "Authentication failed: invalid API key");
    }
    for request in requests() {
        let response = request.bearer_auth("K-42").send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }
}

async fn submit_ok_with_key(
    client: &reqwest::Client,
    server: &seedream_server::Running,
    key: &str,
) -> String {
    let response = client
        .post(server.url(SUBMIT_PATH))
        .bearer_auth(key)
        .json(&minimal_body())
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    answer["data"]["task_id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_url_is_fetched_but_the_mocks_own_results_are_used() {
    // A server on this machine that records every request it gets.
    let (recorder, seen) = recorder().await;
    let port = recorder.port();
    let server = mock(&["--processing-time", "300ms"]).await;
    let client = client();
    let blue = json!({"prompt": "blue", "image": [data_uri(&png([10, 10, 230]))]});
    let blue = run_task(&client, &server, &blue).await;
    let own_result = result_urls(&blue).remove(0);
    let elsewhere = ["127.0.0.1", "127.1", "2130706433", "localhost", "0x7f.1"]
        .map(|host| format!("http://{host}:{port}/input.png"));
    let mut images: Vec<String> = elsewhere.to_vec();
    images.push(own_result.clone());
    let body = json!({"prompt": "keep the colours", "image": images});
    let id = submit_ok(&client, &server, &body).await;

    // Once the inputs are decoded, any fetch would have happened.
    let inputs = inputs_of(&client, &server.url(""), &id).await;
    assert!(seen.lock().unwrap().is_empty(), "the mock fetched a URL");
    let decoded: Vec<&Value> = inputs.iter().map(|i| &i["decoded"]).collect();
    assert_eq!(
        decoded,
        [false, false, false, false, false, true],
        "{inputs:?}"
    );
    let data = poll_final(&client, &server, &id, Duration::from_secs(10)).await;
    // Outputs cycle through the inputs that decoded: the blue result is every source.
    let (_, bytes) = fetch(&client, &result_urls(&data)[0]).await;
    let [r, g, b] = mean_rgb(&bytes);
    assert!(
        b > r + 40.0 && b > g + 40.0,
        "the blue result as input gave {r}/{g}/{b}"
    );

    // A result of a task that is gone is an input that does not decode.
    let blue_id = blue["task_id"].as_str().unwrap();
    let gone = own_result.replace(blue_id, "task-000000000000000000000000");
    let id = submit_ok(&client, &server, &json!({"prompt": "p", "image": [gone]})).await;
    assert_eq!(
        inputs_of(&client, &server.url(""), &id).await[0]["decoded"],
        false
    );
    assert!(seen.lock().unwrap().is_empty(), "the mock fetched a URL");
}
