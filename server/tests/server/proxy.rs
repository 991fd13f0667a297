//! The key-holding proxy in front of a mock that requires the key: key injection,
//! what is (not) forwarded, the route allow-list, size limits, and a full-size
//! streamed submit. Upstream failures, rate limits and CORS: `proxy_edges.rs`.

use std::time::Duration;

use crate::common::*;
use bytes::Bytes;
use seedream_contract::{
    MAX_IMAGE_BYTES, MAX_IMAGES, MAX_SUBMIT_BODY_BYTES, SUBMIT_PATH, task_path,
};
use seedream_server::Running;

/// A proxy (no client rate limit) in front of a recorder of what reaches the upstream.
async fn proxy_to_recorder() -> (Running, Seen) {
    let (addr, seen) = recorder().await;
    let front = proxy(
        &format!("http://{addr}"),
        KEY,
        &["--client-rate-limit", "0"],
    )
    .await;
    (front, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_adds_the_key_so_clients_need_none() {
    let (upstream, front) = pair(&[]).await;
    let client = client();
    // The mock refuses callers without the key...
    expect_error(submit(&client, &upstream, &minimal_body()).await, 401).await;
    // ...but the proxy's clients need none, for submits and task queries alike.
    let response = submit(&client, &front, &minimal_body()).await;
    no_authorization(&response);
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    let id = body["data"]["task_id"].as_str().unwrap().to_owned();
    let data = poll_final(&client, &front, &id, Duration::from_secs(10)).await;
    let url = result_urls(&data).remove(0);
    let (content_type, _) = fetch(&client, &url).await;
    assert_eq!(content_type, "image/jpeg");
    assert_eq!(stats(&client, &upstream).await["submits"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clients_own_authorization_and_headers_are_not_forwarded() {
    let (front, seen) = proxy_to_recorder().await;
    let client = client();
    let response = client
        .get(front.url(&task_path("task-abc")))
        .bearer_auth("wrong")
        .header("cookie", "session=1")
        .header("x-custom", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    // Only the allowed headers of the upstream's answer come back.
    no_authorization(&response);
    assert!(response.headers().get("set-cookie").is_none());
    assert_eq!(header(&response, "x-ratelimit-reset"), "1700000000");
    assert_eq!(header(&response, "retry-after"), "7");
    assert_eq!(header(&response, "content-type"), "application/json");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (method, path, auth, names) = &seen[0];
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("GET", "/api/v1/tasks/task-abc")
    );
    assert_eq!(auth, &format!("Bearer {KEY}"));
    for private in ["cookie", "x-custom"] {
        assert!(
            !names.iter().any(|n| n == private),
            "{private} was forwarded: {names:?}"
        );
    }

    // Against the real check: the client's wrong key does not spoil the proxy's...
    let (upstream, front) = pair(&[]).await;
    let request = client
        .post(front.url(SUBMIT_PATH))
        .bearer_auth("wrong")
        .json(&minimal_body());
    assert_eq!(request.send().await.unwrap().status(), 200);
    // ...and a proxy holding a wrong key gets the upstream's 401, whatever the client sends.
    let wrong = proxy(
        &origin(&upstream),
        "not-the-key",
        &["--client-rate-limit", "0"],
    )
    .await;
    let request = client
        .post(wrong.url(SUBMIT_PATH))
        .bearer_auth(KEY)
        .json(&minimal_body());
    let response = request.send().await.unwrap();
    no_authorization(&response);
    let message = expect_error(response, 401).await;
    assert!(message.starts_with("Authentication failed: "), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_contracts_routes_are_forwarded() {
    let (front, seen) = proxy_to_recorder().await;
    let enveloped = [
        "GET /api/v1/other",
        "GET /api/v1/tasks/../../x",
        "GET /api/v1/tasks/..",
        "GET /api/v1/tasks/%2e%2e",
        "GET /api/v1/tasks/a%2Fb",
        "GET /api/v1/tasks/a%3Fb",
        "GET /api/v1/tasks/task-1/../../../__mock/stats",
        "GET /api/v1/bytedance/other/async",
        "POST /api/v1/tasks/task-1",
    ];
    for line in enveloped {
        let answer = raw_request(front.addr, &format!("{line} HTTP/1.1"), b"").await;
        assert!(matches!(answer.status, 404 | 405), "{line}: {answer:?}");
        answer.expect_error(answer.status);
        assert!(answer.header("authorization").is_none());
    }
    for line in [
        "GET /__mock/stats",
        "POST /__mock/faults",
        "GET /mock/results/task-1/0.jpeg",
    ] {
        let answer = raw_request(front.addr, &format!("{line} HTTP/1.1"), b"").await;
        assert!(matches!(answer.status, 404 | 405), "{line}: {answer:?}");
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );

    // With the mock behind it, its counters show nothing arrived either.
    let (upstream, front) = pair(&[]).await;
    let client = client();
    let before = stats(&client, &upstream).await;
    for path in ["/__mock/stats", "/api/v1/other", "/api/v1/tasks/a%2Fb"] {
        let response = client.get(front.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    let response = client
        .post(front.url("/__mock/faults"))
        .json(&["any:500"])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    let after = stats(&client, &upstream).await;
    assert_eq!(before, after);
    assert_eq!(after["pending_faults"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_or_undeclared_submits_never_reach_the_upstream() {
    let (front, seen) = proxy_to_recorder().await;
    let head = format!(
        "POST {SUBMIT_PATH} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}",
        MAX_SUBMIT_BODY_BYTES + 1
    );
    let answer = raw_request(front.addr, &head, br#"{"prompt":"x","image":["#).await;
    let message = answer.expect_error(413);
    assert!(message.starts_with("Request too large: "), "{message}");
    // A chunked body has no declared length: refused, as it could only be found too
    // large after part of it had gone upstream.
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{}"))]);
    let response = client()
        .post(front.url(SUBMIT_PATH))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    expect_error(response, 411).await;
    assert!(seen.lock().unwrap().is_empty());

    let (upstream, front) = pair(&[]).await;
    let answer = raw_request(front.addr, &head, b"{").await;
    answer.expect_error(413);
    let stats = stats(&client(), &upstream).await;
    assert_eq!(stats["submits"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_size_submit_streams_through() {
    let (upstream, front) = pair(&[]).await;
    // One image of exactly the largest allowed size, a real PNG padded with zeros
    // (the contract sniffs the magic bytes and counts the length).
    let mut image = png([200, 30, 30]);
    image.resize(MAX_IMAGE_BYTES, 0);
    let uri = Bytes::from(data_uri(&image));
    drop(image);
    let head = Bytes::from_static(br#"{"prompt":"fourteen large inputs","image":["#);
    let mut parts = vec![head];
    for i in 0..MAX_IMAGES {
        parts.push(Bytes::from_static(b"\""));
        // 1 MiB slices share the one copy of the URI.
        let mut start = 0;
        while start < uri.len() {
            let end = (start + (1 << 20)).min(uri.len());
            parts.push(uri.slice(start..end));
            start = end;
        }
        parts.push(Bytes::from_static(if i + 1 < MAX_IMAGES {
            b"\","
        } else {
            b"\""
        }));
    }
    parts.push(Bytes::from_static(b"]}"));
    let length: usize = parts.iter().map(Bytes::len).sum();
    assert!(
        length > 190_000_000 && length <= MAX_SUBMIT_BODY_BYTES,
        "{length}"
    );
    let stream = futures_util::stream::iter(parts.into_iter().map(Ok::<_, std::io::Error>));
    let response = client()
        .post(front.url(SUBMIT_PATH))
        .header("content-type", "application/json")
        .header("content-length", length)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let answer = seedream_contract::parse_submit_answer(200, text.as_bytes()).unwrap();
    assert!(seedream_contract::is_valid_task_id(&answer.task_id));
    assert_eq!(stats(&client(), &upstream).await["submits"], 1);
}
