//! The mock against the contract, one rule or documented error per test: the success
//! shape of a submit, every refusal of a bad request in the documented envelope, and
//! the answers for unknown tasks and undefined routes.

use crate::common::*;
use seedream_contract::{MAX_IMAGE_BYTES, MAX_SUBMIT_BODY_BYTES, MODEL_ID, SUBMIT_PATH, task_path};
use serde_json::{Value, json};

/// Submits `body` to a fresh mock and expects a 400 envelope; returns the message.
async fn refused(body: Value) -> String {
    let server = mock(&[]).await;
    let client = client();
    let message = expect_error(submit(&client, &server, &body).await, 400).await;
    assert!(message.starts_with("Invalid parameters: "), "{message}");
    message
}

/// A valid body with `field` set to `value`.
fn with(field: &str, value: Value) -> Value {
    let mut body = minimal_body();
    body[field] = value;
    body
}

fn urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://example.com/{i}.png"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_answers_the_documented_shape_exactly() {
    let server = mock(&[]).await;
    let client = client();
    let response = submit(&client, &server, &minimal_body()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/json");
    let body: Value = response.json().await.unwrap();
    let id = body["data"]["task_id"].as_str().unwrap().to_owned();
    assert!(seedream_contract::is_valid_task_id(&id), "{id}");
    let expected = json!({
        "code": 0,
        "message": "success",
        "data": {
            "status": "pending",
            "task_id": id,
            "model_id": "bytedance/seedream-5.0-lite-edit",
            "get_result": {"method": "GET", "url": server.url(&task_path(&id))},
        }
    });
    assert_eq!(body, expected);
    assert_eq!(MODEL_ID, "bytedance/seedream-5.0-lite-edit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json_is_the_documented_400() {
    let server = mock(&[]).await;
    let response = client()
        .post(server.url(SUBMIT_PATH))
        .header("content-type", "application/json")
        .body(r#"{"prompt": "unterminated"#)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"code": 400, "message": "Invalid format: invalid JSON format"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_an_object_is_invalid_format() {
    let server = mock(&[]).await;
    let message = expect_error(submit(&client(), &server, &json!(["prompt"])).await, 400).await;
    assert!(message.starts_with("Invalid format: "), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_prompt_and_missing_image_use_the_documented_wording() {
    let message = refused(json!({"image": [png_uri()]})).await;
    assert_eq!(
        message,
        "Invalid parameters: parameter 'prompt' is required"
    );
    let message = refused(json!({"prompt": "x"})).await;
    assert_eq!(message, "Invalid parameters: parameter 'image' is required");
    let message = refused(json!({"prompt": null, "image": [png_uri()]})).await;
    assert_eq!(
        message,
        "Invalid parameters: parameter 'prompt' is required"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompt_length_counts_characters_not_bytes() {
    let message = refused(with("prompt", json!("a".repeat(601)))).await;
    assert!(message.contains("601"), "{message}");
    let server = mock(&[]).await;
    let client = client();
    let chinese = "把天空变成晚霞"
        .chars()
        .cycle()
        .take(600)
        .collect::<String>();
    assert_eq!(chinese.len(), 1800);
    submit_ok(&client, &server, &with("prompt", json!(chinese))).await;
    submit_ok(&client, &server, &with("prompt", json!("a".repeat(600)))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whitespace_only_prompt_is_refused() {
    let message = refused(with("prompt", json!(" \t\n "))).await;
    assert!(message.contains("empty"), "{message}");
    refused(with("prompt", json!(""))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn between_1_and_14_images() {
    refused(with("image", json!([]))).await;
    let message = refused(with("image", json!(urls(15)))).await;
    assert!(message.contains("15"), "{message}");
    let server = mock(&[]).await;
    submit_ok(&client(), &server, &with("image", json!(urls(14)))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_must_be_http_urls_or_data_uris() {
    for bad in [
        "ftp://example.com/a.png",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "a.png",
    ] {
        refused(with("image", json!([bad]))).await;
    }
    refused(with("image", json!([42]))).await;
    refused(with("image", json!("https://example.com/a.png"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_uris_must_hold_the_image_they_declare() {
    let text = format!(
        "data:image/png;base64,{}",
        base64(b"hello, world! not an image")
    );
    let message = refused(with("image", json!([text]))).await;
    assert!(message.contains("Image 1"), "{message}");
    let mislabelled = format!("data:image/jpeg;base64,{}", base64(&png([1, 2, 3])));
    let message = refused(with("image", json!([mislabelled]))).await;
    assert!(
        message.contains("JPEG") && message.contains("PNG"),
        "{message}"
    );
    let svg = format!("data:image/svg+xml;base64,{}", base64(b"<svg/>"));
    refused(with("image", json!([png_uri(), svg]))).await;
    refused(with("image", json!(["data:image/png;base64,not*base64!"]))).await;
}

/// A PNG data URI of exactly `len` decoded bytes (a real PNG, then zeros).
fn padded_png_uri(len: usize) -> String {
    let mut bytes = png([10, 20, 30]);
    bytes.resize(len, 0);
    data_uri(&bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_image_is_at_most_10_mib() {
    let message = refused(with("image", json!([padded_png_uri(MAX_IMAGE_BYTES + 1)]))).await;
    assert!(message.contains("10 MB"), "{message}");
    let server = mock(&[]).await;
    submit_ok(
        &client(),
        &server,
        &with("image", json!([padded_png_uri(MAX_IMAGE_BYTES)])),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn size_is_checked_for_form_pixels_and_shape() {
    for garbage in [
        "big",
        "2048X2048",
        "2048x",
        "-2048x2048",
        "2048 x 2048",
        "02048x2048",
    ] {
        refused(with("size", json!(garbage))).await;
    }
    refused(with("size", json!(2048))).await;
    let few = refused(with("size", json!("2559x1440"))).await;
    assert!(few.contains("minimum"), "{few}");
    let many = refused(with("size", json!("3226x3226"))).await;
    assert!(many.contains("maximum"), "{many}");
    // 8192x480 and 480x8192 have enough pixels but are wider/taller than 16:1.
    let wide = refused(with("size", json!("8192x480"))).await;
    assert!(wide.contains("16"), "{wide}");
    refused(with("size", json!("480x8192"))).await;
    let server = mock(&[]).await;
    let client = client();
    for good in ["2560x1440", "3072x3072", "4704x2016", "1440x2560"] {
        submit_ok(&client, &server, &with("size", json!(good))).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sequential_mode_is_auto_or_disabled() {
    for bad in ["sometimes", "AUTO", "Disabled", ""] {
        refused(with("sequential_image_generation", json!(bad))).await;
    }
    refused(with("sequential_image_generation", json!(true))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_images_is_1_to_15() {
    for bad in [json!(0), json!(16), json!(-1), json!(3.5), json!("3")] {
        refused(with("sequential_image_generation_max_images", bad)).await;
    }
    let server = mock(&[]).await;
    let client = client();
    for good in [1, 15] {
        let body = with("sequential_image_generation_max_images", json!(good));
        submit_ok(&client, &server, &body).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inputs_plus_generated_images_never_exceed_15_in_auto_mode() {
    let body = |inputs: usize, max: u8, mode: &str| {
        json!({
            "prompt": "a set of variations",
            "image": urls(inputs),
            "sequential_image_generation": mode,
            "sequential_image_generation_max_images": max,
        })
    };
    let message = refused(body(2, 14, "auto")).await;
    assert!(message.contains("16"), "{message}");
    refused(body(14, 2, "auto")).await;
    let server = mock(&[]).await;
    let client = client();
    submit_ok(&client, &server, &body(2, 13, "auto")).await;
    // Disabled makes one image whatever the maximum says.
    submit_ok(&client, &server, &body(2, 14, "disabled")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optimize_prompt_mode_is_standard_only() {
    for bad in ["fast", "Standard", "creative"] {
        let message = refused(with("optimize_prompt_mode", json!(bad))).await;
        assert!(message.contains("standard"), "{message}");
    }
    let server = mock(&[]).await;
    submit_ok(
        &client(),
        &server,
        &with("optimize_prompt_mode", json!("standard")),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_format_is_jpeg_or_png() {
    for bad in ["webp", "jpg", "JPEG", "gif"] {
        let message = refused(with("output_format", json!(bad))).await;
        assert!(
            message.contains("jpeg") && message.contains("png"),
            "{message}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_is_413_before_it_is_read() {
    let server = mock(&[]).await;
    let head = format!(
        "POST {SUBMIT_PATH} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}",
        MAX_SUBMIT_BODY_BYTES + 1
    );
    // Only the first bytes are sent: the answer must not wait for the rest.
    let answer = raw_request(server.addr, &head, br#"{"prompt":"x","image":["#).await;
    let message = answer.expect_error(413);
    assert!(message.starts_with("Request too large: "), "{message}");
    assert!(
        message.contains(&MAX_SUBMIT_BODY_BYTES.to_string()),
        "{message}"
    );
    let stats = stats(&client(), &server).await;
    assert_eq!(stats["submits"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_malformed_task_ids_are_404() {
    let server = mock(&[]).await;
    let client = client();
    let response = client
        .get(server.url(&task_path("task-000000000000000000000000")))
        .send()
        .await
        .unwrap();
    let message = expect_error(response, 404).await;
    assert!(message.starts_with("Not found: "), "{message}");
    let long = "x".repeat(300);
    for path in ["bad!id", "%2e%2e", "a%2Fb", "task%20one", long.as_str()] {
        let response = client
            .get(server.url(&format!("/api/v1/tasks/{path}")))
            .send()
            .await
            .unwrap();
        let message = expect_error(response, 404).await;
        assert!(
            message.len() < 200,
            "an absurd id is not echoed in full: {message}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_api_paths_answer_in_the_envelope() {
    let server = mock(&[]).await;
    let client = client();
    let cases = [
        (reqwest::Method::GET, "/api/v1/other"),
        (reqwest::Method::GET, "/api"),
        (reqwest::Method::POST, "/api/v1/tasks/x"),
        (reqwest::Method::GET, SUBMIT_PATH),
        (
            reqwest::Method::DELETE,
            "/api/v1/tasks/task-000000000000000000000000",
        ),
        (reqwest::Method::POST, "/api/v1/bytedance/other-model/async"),
    ];
    for (method, path) in cases {
        let response = client
            .request(method.clone(), server.url(path))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(status == 404 || status == 405, "{method} {path}: {status}");
        expect_error(response, status).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_with_a_trailing_slash_answers_in_the_envelope() {
    let server = mock(&[]).await;
    let response = client().get(server.url("/api/")).send().await.unwrap();
    expect_error(response, 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_give_one_2048_square_jpeg() {
    let server = mock(&[]).await;
    let client = client();
    let data = run_task(&client, &server, &minimal_body()).await;
    let resources = data["result"]["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{data}");
    let resource = &resources[0];
    assert_eq!(resource["type"], "image");
    assert_eq!(
        (resource["width"].clone(), resource["height"].clone()),
        (json!(2048), json!(2048))
    );
    assert_eq!(resource["format"], "jpeg");
    assert_eq!(data["model_id"], MODEL_ID);
    let (content_type, bytes) = fetch(&client, resource["url"].as_str().unwrap()).await;
    assert_eq!(content_type, "image/jpeg");
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), (2048, 2048));
}
