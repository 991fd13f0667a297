//! A task's life in the mock: its statuses over time, what its results look like
//! (count, size, encoding, colour, origin), their expiry, failures, auth, and the
//! digests of a task's inputs the mock keeps. What bounds the mock (its memory, its
//! store, no fetching) is in `mock_bounds.rs`.

use std::time::{Duration, Instant};

use crate::common::*;
use seedream_contract::{ErrorKind, SUBMIT_PATH, TaskState, parse_task_answer, task_path};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_then_processing_then_success() {
    let server = mock(&["--queue-time", "300ms", "--processing-time", "400ms"]).await;
    let client = client();
    let id = submit_ok(&client, &server, &minimal_body()).await;
    let mut seen: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let (status, body) = query(&client, &server, &id).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["task_id"], id.as_str());
        let state = body["data"]["status"].as_str().unwrap().to_owned();
        if state != "success" {
            assert!(body["data"]["result"].is_null(), "{body}");
        }
        if seen.last() != Some(&state) {
            seen.push(state.clone());
        }
        if state == "success" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, ["pending", "processing", "success"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_number_of_results_follows_the_sequential_settings() {
    let server = mock(&[]).await;
    let client = client();
    let cases = [
        (json!({"sequential_image_generation": "disabled"}), 1, 1),
        (
            json!({"sequential_image_generation": "disabled", "sequential_image_generation_max_images": 9}),
            1,
            1,
        ),
        (
            json!({"sequential_image_generation": "auto", "sequential_image_generation_max_images": 3}),
            1,
            3,
        ),
        // Without a maximum, auto mode may fill the budget: 15 - 13 inputs.
        (json!({"sequential_image_generation": "auto"}), 13, 2),
    ];
    for (settings, inputs, expected) in cases {
        let mut body = settings.clone();
        body["prompt"] = json!("a small series");
        body["image"] = json!(vec![png_uri(); inputs]);
        let data = run_task(&client, &server, &body).await;
        assert_eq!(result_urls(&data).len(), expected, "{settings}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_have_the_requested_size_and_encoding() {
    let server = mock(&[]).await;
    let client = client();
    let cases = [
        ("2560x1440", "png", "image/png", &b"\x89PNG\r\n\x1a\n"[..]),
        ("1440x2560", "jpeg", "image/jpeg", &[0xFF, 0xD8, 0xFF][..]),
        ("4704x2016", "jpeg", "image/jpeg", &[0xFF, 0xD8, 0xFF][..]),
    ];
    for (size, format, content_type, magic) in cases {
        let mut body = minimal_body();
        body["size"] = json!(size);
        body["output_format"] = json!(format);
        let data = run_task(&client, &server, &body).await;
        let resource = &data["result"]["resources"][0];
        assert_eq!(resource["format"], format);
        let (w, h) = size.split_once('x').unwrap();
        let (w, h): (u32, u32) = (w.parse().unwrap(), h.parse().unwrap());
        assert_eq!(
            (resource["width"].clone(), resource["height"].clone()),
            (json!(w), json!(h))
        );
        let url = resource["url"].as_str().unwrap();
        assert!(url.ends_with(&format!(".{format}")), "{url}");
        let (served_type, bytes) = fetch(&client, url).await;
        assert_eq!(served_type, content_type);
        assert!(bytes.starts_with(magic), "{size} {format}");
        let picture = image::load_from_memory(&bytes).unwrap();
        assert_eq!((picture.width(), picture.height()), (w, h));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_urls_are_on_the_servers_own_origin() {
    let server = mock(&[]).await;
    let client = client();
    let mut body = minimal_body();
    body["sequential_image_generation"] = json!("auto");
    body["sequential_image_generation_max_images"] = json!(2);
    let data = run_task(&client, &server, &body).await;
    let urls = result_urls(&data);
    assert_eq!(urls.len(), 2);
    for url in &urls {
        assert!(url.starts_with(&format!("{}/", origin(&server))), "{url}");
        assert!(
            !url.starts_with(&server.url("/api/")),
            "results live outside /api: {url}"
        );
        assert!(seedream_contract::is_http_url(url), "{url}");
    }
    assert_ne!(urls[0], urls[1]);
    // Asked for under another spelling of this host, the URLs follow it.
    let localhost = format!("http://localhost:{}", server.addr.port());
    let response = client
        .get(format!(
            "{localhost}{}",
            task_path(data["task_id"].as_str().unwrap())
        ))
        .send()
        .await
        .unwrap();
    let again: Value = response.json().await.unwrap();
    let url = again["data"]["result"]["resources"][0]["url"]
        .as_str()
        .unwrap();
    assert!(url.starts_with(&format!("{localhost}/")), "{url}");
}

/// The mean colour of the first result of an edit of `input`.
async fn result_colour(server: &seedream_server::Running, input: String) -> [f64; 3] {
    let client = client();
    let body = json!({"prompt": "keep the colours", "image": [input], "size": "2560x1440"});
    let data = run_task(&client, server, &body).await;
    let (_, bytes) = fetch(&client, &result_urls(&data)[0]).await;
    mean_rgb(&bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_follow_the_colour_of_their_input() {
    // Long enough processing that the input is decoded before a result is drawn.
    let server = mock(&["--processing-time", "300ms"]).await;
    let [r, g, b] = result_colour(&server, data_uri(&png([220, 20, 20]))).await;
    assert!(r > b + 40.0 && r > g + 40.0, "red input gave {r}/{g}/{b}");
    let [r, g, b] = result_colour(&server, data_uri(&jpeg([20, 20, 220]))).await;
    assert!(b > r + 40.0 && b > g + 40.0, "blue input gave {r}/{g}/{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_expire_after_the_ttl() {
    let server = mock(&["--result-ttl", "300ms"]).await;
    let client = client();
    let data = run_task(&client, &server, &minimal_body()).await;
    let url = result_urls(&data).remove(0);
    fetch(&client, &url).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let response = client.get(&url).send().await.unwrap();
    let message = expect_error(response, 404).await;
    assert!(message.starts_with("Not found: "), "{message}");
    // A result that was never fetched expires too.
    let mut body = minimal_body();
    body["sequential_image_generation"] = json!("auto");
    body["sequential_image_generation_max_images"] = json!(2);
    let data = run_task(&client, &server, &body).await;
    let urls = result_urls(&data);
    tokio::time::sleep(Duration::from_millis(600)).await;
    expect_error(client.get(&urls[1]).send().await.unwrap(), 404).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_urls_of_other_tasks_or_indexes_are_404() {
    let server = mock(&[]).await;
    let client = client();
    let data = run_task(&client, &server, &minimal_body()).await;
    let url = result_urls(&data).remove(0);
    for bad in [
        url.replace("/0.jpeg", "/1.jpeg"),
        url.replace(".jpeg", ".png"),
        url.replace("/task-", "/task-0"),
    ] {
        expect_error(client.get(&bad).send().await.unwrap(), 404).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fail_fault_ends_the_task_failed_with_its_reason() {
    let server = mock(&[]).await;
    let client = client();
    assert_eq!(
        add_faults(&client, &server, &["submit:fail=GPU: out of memory"]).await,
        204
    );
    let data = run_task(&client, &server, &minimal_body()).await;
    assert_eq!(data["status"], "failed");
    let id = data["task_id"].as_str().unwrap().to_owned();
    let response = client
        .get(server.url(&task_path(&id)))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    let state = parse_task_answer(status, &body).unwrap();
    assert_eq!(
        state,
        TaskState::Failed {
            reason: "GPU: out of memory".into()
        }
    );
    // The fault is used up: the next task succeeds.
    let data = run_task(&client, &server, &minimal_body()).await;
    assert_eq!(data["status"], "success");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_key_is_checked_on_both_routes() {
    let server = mock(&["--require-key", "K-123"]).await;
    let client = client();
    let post = |auth: Option<&str>| {
        let request = client.post(server.url(SUBMIT_PATH)).json(&minimal_body());
        match auth {
            Some(value) => request.header("authorization", value),
            None => request,
        }
    };
    let message = expect_error(post(None).send().await.unwrap(), 401).await;
    assert!(message.starts_with("Authentication failed: "), "{message}");
    for wrong in [
        "Bearer wrong",
        "Bearer K-1234",
        "Basic K-123",
        "K-123",
        "Bearer ",
    ] {
        let message = expect_error(post(Some(wrong)).send().await.unwrap(), 401).await;
        assert!(
            message.starts_with("Authentication failed: "),
            "{wrong}: {message}"
        );
    }
    let response = post(Some("Bearer K-123")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let path = task_path(body["data"]["task_id"].as_str().unwrap());
    let get = client.get(server.url(&path));
    expect_error(get.send().await.unwrap(), 401).await;
    let get = client.get(server.url(&path)).bearer_auth("nope");
    expect_error(get.send().await.unwrap(), 401).await;
    let get = client.get(server.url(&path)).bearer_auth("K-123");
    assert_eq!(get.send().await.unwrap().status(), 200);
    // An unknown task behind a wrong key is still 401: the key is checked first.
    let get = client
        .get(server.url(&task_path("task-1")))
        .bearer_auth("nope");
    expect_error(get.send().await.unwrap(), 401).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_required_key_any_caller_is_served() {
    let server = mock(&[]).await;
    let client = client();
    for auth in [None, Some("Bearer anything"), Some("Basic abc")] {
        let mut request = client.post(server.url(SUBMIT_PATH)).json(&minimal_body());
        if let Some(value) = auth {
            request = request.header("authorization", value);
        }
        assert_eq!(request.send().await.unwrap().status(), 200, "{auth:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_answer_reads_as_its_kind() {
    let server = mock(&["--require-key", "K"]).await;
    let response = client()
        .get(server.url(&task_path("task-1")))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let error = parse_task_answer(status, &response.bytes().await.unwrap()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert_eq!(error.category(), Some("Authentication failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tasks_inputs_are_told_by_format_length_and_digest() {
    use sha2::{Digest, Sha256};

    let server = mock(&[]).await;
    let client = client();
    let (red, blue) = (
        png([200, 20, 20]),
        solid_image([20, 20, 200], 48, 40, image::ImageFormat::Png),
    );
    // A URL off this machine: accepted by the contract, never fetched by the mock.
    let body = json!({
        "prompt": "put the two together",
        "image": [data_uri(&red), "https://example.com/photo.jpg", data_uri(&blue)],
    });
    let id = submit_ok(&client, &server, &body).await;

    // Asked at once: the answer waits for the background decoding.
    let response = client
        .get(server.url(&format!("/__mock/tasks/{id}/inputs")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let inputs: Value = response.json().await.unwrap();
    let digest = |bytes: &[u8]| {
        json!({
            "format": "png",
            "bytes": bytes.len(),
            "sha256": format!("{:x}", Sha256::digest(bytes)),
            "decoded": true,
        })
    };
    assert_eq!(
        inputs,
        json!([digest(&red), {"url": true, "decoded": false}, digest(&blue)])
    );

    for unknown in ["task-000000000000000000000000", "not a task id"] {
        let response = client
            .get(server.url(&format!("/__mock/tasks/{unknown}/inputs")))
            .send()
            .await
            .unwrap();
        let message = expect_error(response, 404).await;
        assert!(message.starts_with("Not found: "), "{message}");
    }
}
