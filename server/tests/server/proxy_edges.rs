//! The proxy at its edges: an unreachable or slow upstream, upstream errors relayed
//! with their headers, per-client rate limiting, and CORS.

use crate::common::*;
use seedream_contract::{SUBMIT_PATH, task_path};
use seedream_server::Running;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_upstream_is_502() {
    let front = proxy(&format!("http://127.0.0.1:{}", closed_port()), KEY, &[]).await;
    let client = client();
    let response = client
        .get(front.url(&task_path("task-1")))
        .send()
        .await
        .unwrap();
    let message = expect_error(response, 502).await;
    assert!(message.starts_with("Bad gateway: "), "{message}");
    expect_error(submit(&client, &front, &minimal_body()).await, 502).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_upstream_is_504() {
    let (upstream, front) =
        pair(&["--upstream-timeout", "300ms", "--submit-timeout", "300ms"]).await;
    let client = client();
    let id = submit_ok(&client, &front, &minimal_body()).await;
    add_faults(&client, &upstream, &["task:slow=2s", "submit:slow=2s"]).await;
    let response = client.get(front.url(&task_path(&id))).send().await.unwrap();
    let message = expect_error(response, 504).await;
    assert!(message.starts_with("Gateway timeout: "), "{message}");
    expect_error(submit(&client, &front, &minimal_body()).await, 504).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_errors_are_relayed_with_their_reset_headers() {
    let (upstream, front) = pair(&[]).await;
    let client = client();
    let id = submit_ok(&client, &front, &minimal_body()).await;
    add_faults(
        &client,
        &upstream,
        &["task:429", "submit:402", "task:503", "task:malformed"],
    )
    .await;
    let response = client.get(front.url(&task_path(&id))).send().await.unwrap();
    no_authorization(&response);
    let reset: u64 = header(&response, "x-ratelimit-reset").parse().unwrap();
    assert!(
        reset + 1 >= unix_now() && reset <= unix_now() + 5,
        "{reset}"
    );
    assert!(header(&response, "retry-after").parse::<u64>().is_ok());
    expect_error(response, 429).await;
    expect_error(submit(&client, &front, &minimal_body()).await, 402).await;
    let response = client.get(front.url(&task_path(&id))).send().await.unwrap();
    expect_error(response, 503).await;
    let response = client.get(front.url(&task_path(&id))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    let error = seedream_contract::parse_task_answer(200, &body).unwrap_err();
    assert_eq!(error.kind, seedream_contract::ErrorKind::MalformedAnswer);
    let response = client.get(front.url(&task_path(&id))).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_client_is_rate_limited() {
    let upstream = mock(&["--require-key", KEY]).await;
    let front = proxy(&origin(&upstream), KEY, &["--client-rate-limit", "1"]).await;
    let client = client();
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let response = client
            .get(front.url(&task_path("task-1")))
            .send()
            .await
            .unwrap();
        no_authorization(&response);
        let status = response.status().as_u16();
        if status == 429 {
            assert!(
                header(&response, "x-ratelimit-reset")
                    .parse::<u64>()
                    .is_ok()
            );
            assert!(header(&response, "retry-after").parse::<u64>().is_ok());
            let message = expect_error(response, 429).await;
            assert!(message.starts_with("Rate limit exceeded: "), "{message}");
        }
        statuses.push(status);
    }
    assert_eq!(statuses[0], 404, "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
}

async fn cors_proxy() -> (Running, Running) {
    let upstream = mock(&["--require-key", KEY]).await;
    let args = [
        "--client-rate-limit",
        "0",
        "--allow-origin",
        "https://portal.example",
    ];
    let front = proxy(&origin(&upstream), KEY, &args).await;
    (upstream, front)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_headers_follow_the_allowed_origins() {
    let (_upstream, front) = cors_proxy().await;
    let client = client();
    let get = |origin: &str| {
        client
            .get(front.url(&task_path("task-1")))
            .header("origin", origin)
            .send()
    };
    let response = get("https://portal.example").await.unwrap();
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        "https://portal.example"
    );
    assert!(header(&response, "access-control-expose-headers").contains("x-ratelimit-reset"));
    let response = get("https://evil.example").await.unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_preflight_is_answered_for_the_allowed_origins_only() {
    let (_upstream, front) = cors_proxy().await;
    let client = client();
    let preflight = |origin: &str, path: &str, method: &str| {
        client
            .request(reqwest::Method::OPTIONS, front.url(path))
            .header("origin", origin)
            .header("access-control-request-method", method)
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let task = task_path("task-1");
    for (path, method) in [(SUBMIT_PATH, "POST"), (task.as_str(), "GET")] {
        let response = preflight("https://portal.example", path, method)
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            "https://portal.example"
        );
        assert!(header(&response, "access-control-allow-methods").contains(method));
        let response = preflight("https://evil.example", path, method)
            .await
            .unwrap();
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
    }
}
