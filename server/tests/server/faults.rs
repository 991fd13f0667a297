//! Every fault the mock can inject, its rate and concurrency limits, and the
//! control endpoint that sets them.

use std::time::{Duration, Instant};

use crate::common::*;
use seedream_contract::{
    ApiError, ErrorKind, SUBMIT_PATH, parse_submit_answer, parse_task_answer, task_path,
};
use seedream_server::Running;
use serde_json::json;

/// A task id that exists on `server`.
async fn some_task(client: &reqwest::Client, server: &Running) -> String {
    submit_ok(client, server, &minimal_body()).await
}

async fn get_task(client: &reqwest::Client, server: &Running, id: &str) -> reqwest::Response {
    client.get(server.url(&task_path(id))).send().await.unwrap()
}

/// Checks a 429's reset headers: `x-ratelimit-reset` in Unix seconds between now and
/// `max_wait` from now (with a second of slack each way), `retry-after` in seconds.
fn check_reset_headers(response: &reqwest::Response, max_wait: u64) {
    let reset: u64 = header(response, "x-ratelimit-reset")
        .parse()
        .expect("x-ratelimit-reset");
    let now = unix_now();
    assert!(
        reset + 1 >= now && reset <= now + max_wait + 1,
        "reset {reset}, now {now}"
    );
    let retry: u64 = header(response, "retry-after")
        .parse()
        .expect("retry-after");
    assert!((1..=max_wait + 1).contains(&retry), "retry-after {retry}");
    // The app reads it as a wait of at most `max_wait` seconds.
    let wait =
        seedream_contract::parse_rate_limit_reset(&header(response, "x-ratelimit-reset"), now);
    assert!(wait.is_some_and(|w| w <= max_wait + 1), "{wait:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_faults_answer_n_times_then_normally() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    assert_eq!(
        add_faults(&client, &server, &["submit:402", "task:503:2", "task:500"]).await,
        204
    );
    assert_eq!(stats(&client, &server).await["pending_faults"], 3);

    let message = expect_error(submit(&client, &server, &minimal_body()).await, 402).await;
    assert!(message.starts_with("Insufficient balance: "), "{message}");
    for _ in 0..2 {
        let response = get_task(&client, &server, &id).await;
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap();
        let error = parse_task_answer(status, &body).unwrap_err();
        assert_eq!(
            (error.status, error.kind),
            (Some(503), ErrorKind::Unavailable)
        );
    }
    let message = expect_error(get_task(&client, &server, &id).await, 500).await;
    assert!(message.starts_with("Internal error: "), "{message}");
    assert_eq!(get_task(&client, &server, &id).await.status(), 200);
    submit_ok(&client, &server, &minimal_body()).await;
    assert_eq!(stats(&client, &server).await["pending_faults"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_route_faults_hit_whichever_comes_first() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    add_faults(&client, &server, &["any:500:2"]).await;
    expect_error(get_task(&client, &server, &id).await, 500).await;
    expect_error(submit(&client, &server, &minimal_body()).await, 500).await;
    assert_eq!(get_task(&client, &server, &id).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_injected_429_carries_the_reset_time() {
    let server = mock(&[]).await;
    let client = client();
    add_faults(&client, &server, &["submit:429"]).await;
    let response = submit(&client, &server, &minimal_body()).await;
    check_reset_headers(&response, 5);
    let message = expect_error(response, 429).await;
    assert!(message.starts_with("Rate limit exceeded: "), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_is_a_200_that_does_not_parse() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    add_faults(&client, &server, &["task:malformed", "submit:malformed"]).await;
    let response = get_task(&client, &server, &id).await;
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    let error: ApiError = parse_task_answer(200, &body).unwrap_err();
    assert_eq!(error.kind, ErrorKind::MalformedAnswer);

    let response = submit(&client, &server, &minimal_body()).await;
    assert_eq!(response.status(), 200);
    let error = parse_submit_answer(200, &response.bytes().await.unwrap()).unwrap_err();
    assert!(error.submit_outcome_unknown(), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_closes_the_connection_without_an_answer() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    add_faults(&client, &server, &["any:drop:2"]).await;
    let fresh = reqwest::Client::builder().no_proxy().build().unwrap();
    let error = fresh
        .get(server.url(&task_path(&id)))
        .send()
        .await
        .unwrap_err();
    assert!(!error.is_status(), "{error:?}");
    let body = serde_json::to_vec(&minimal_body()).unwrap();
    let answer = fresh
        .post(server.url(SUBMIT_PATH))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await;
    assert!(
        answer.is_err(),
        "a dropped submit got an answer: {answer:?}"
    );
    assert_eq!(get_task(&fresh, &server, &id).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_delays_the_answer() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    add_faults(&client, &server, &["task:slow=300ms", "submit:slow=300ms"]).await;
    let start = Instant::now();
    assert_eq!(get_task(&client, &server, &id).await.status(), 200);
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    let start = Instant::now();
    submit_ok(&client, &server, &minimal_body()).await;
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_counts_requests_per_client() {
    let server = mock(&[]).await;
    let client = client();
    settings(
        &client,
        &server,
        json!({"rate_limit": 2, "rate_window_ms": 60000}),
    )
    .await;
    let unknown = "task-000000000000000000000000";
    for _ in 0..2 {
        assert_eq!(get_task(&client, &server, unknown).await.status(), 404);
    }
    let response = get_task(&client, &server, unknown).await;
    check_reset_headers(&response, 60);
    expect_error(response, 429).await;
    // A submit counts against the same budget.
    expect_error(submit(&client, &server, &minimal_body()).await, 429).await;
    // Another key is another client.
    let other = client
        .get(server.url(&task_path(unknown)))
        .bearer_auth("other");
    assert_eq!(other.send().await.unwrap().status(), 404);
    // Lifting the limit serves the first client again.
    settings(&client, &server, json!({"rate_limit": 0})).await;
    assert_eq!(get_task(&client, &server, unknown).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_rate_window_resets() {
    let server = mock(&[]).await;
    let client = client();
    settings(
        &client,
        &server,
        json!({"rate_limit": 1, "rate_window_ms": 200}),
    )
    .await;
    let unknown = "task-000000000000000000000000";
    assert_eq!(get_task(&client, &server, unknown).await.status(), 404);
    expect_error(get_task(&client, &server, unknown).await, 429).await;
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(get_task(&client, &server, unknown).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_limit_refuses_a_second_unfinished_task() {
    let server = mock(&[]).await;
    let client = client();
    let change = json!({"max_concurrent_tasks": 1, "queue_ms": 300, "processing_ms": 300});
    settings(&client, &server, change).await;
    let first = some_task(&client, &server).await;
    let response = submit(&client, &server, &minimal_body()).await;
    check_reset_headers(&response, 2);
    let message = expect_error(response, 429).await;
    assert!(message.contains("at most 1"), "{message}");
    // Once the first task has ended another may start.
    poll_final(&client, &server, &first, Duration::from_secs(5)).await;
    submit_ok(&client, &server, &minimal_body()).await;
    // The stats say the most that were unfinished at once: the refused one never was.
    let stats = stats(&client, &server).await;
    assert_eq!(stats["most_unfinished"], 1);
    assert_eq!(stats["submits"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stats_count_the_most_tasks_unfinished_at_once() {
    let server = mock(&[]).await;
    let client = client();
    let change = json!({"queue_ms": 400, "processing_ms": 400});
    settings(&client, &server, change).await;
    let first = some_task(&client, &server).await;
    let _second = some_task(&client, &server).await;
    let _third = some_task(&client, &server).await;
    poll_final(&client, &server, &first, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _fourth = some_task(&client, &server).await;
    let stats = stats(&client, &server).await;
    assert_eq!(
        stats["most_unfinished"], 3,
        "three at once, then one after they ended"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_answer_with_the_new_values() {
    let server = mock(&[]).await;
    let response = client()
        .patch(server.url("/__mock/settings"))
        .json(&json!({"queue_ms": 7, "rate_limit": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let values: serde_json::Value = response.json().await.unwrap();
    assert_eq!(values["queue_ms"], 7);
    assert_eq!(values["processing_ms"], 100);
    assert_eq!(values["rate_limit"], 3);
    let unknown = client()
        .patch(server.url("/__mock/settings"))
        .json(&json!({"speed": 1}))
        .send()
        .await
        .unwrap();
    assert!(unknown.status().is_client_error());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_endpoint_refuses_bad_specs() {
    let server = mock(&[]).await;
    let client = client();
    for bad in [
        "tasks:503",
        "task:200",
        "task:503:0",
        "task:fail=x",
        "any:slow=soon",
        "drop",
    ] {
        let response = client
            .post(server.url("/__mock/faults"))
            .json(&[bad])
            .send()
            .await
            .unwrap();
        let message = expect_error(response, 400).await;
        assert!(
            message.starts_with("Invalid parameters: "),
            "{bad}: {message}"
        );
    }
    // A list with one bad spec adds none of them.
    assert_eq!(
        add_faults(&client, &server, &["task:503", "bogus"]).await,
        400
    );
    assert_eq!(stats(&client, &server).await["pending_faults"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_clears_pending_faults() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    add_faults(&client, &server, &["task:503:5", "submit:402"]).await;
    let response = client
        .delete(server.url("/__mock/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(stats(&client, &server).await["pending_faults"], 0);
    assert_eq!(get_task(&client, &server, &id).await.status(), 200);
    submit_ok(&client, &server, &minimal_body()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_given_at_start_up_work() {
    let server = mock(&["--fault", "submit:402", "--fault", "task:503:2"]).await;
    let client = client();
    assert_eq!(stats(&client, &server).await["pending_faults"], 2);
    expect_error(submit(&client, &server, &minimal_body()).await, 402).await;
    let id = some_task(&client, &server).await;
    expect_error(get_task(&client, &server, &id).await, 503).await;
    expect_error(get_task(&client, &server, &id).await, 503).await;
    assert_eq!(get_task(&client, &server, &id).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_count_submits_tasks_and_queries() {
    let server = mock(&[]).await;
    let client = client();
    let id = some_task(&client, &server).await;
    for _ in 0..3 {
        get_task(&client, &server, &id).await;
    }
    expect_error(submit(&client, &server, &json!({"prompt": "x"})).await, 400).await;
    let stats = stats(&client, &server).await;
    assert_eq!(stats["submits"], 1);
    assert_eq!(stats["tasks"], 1);
    assert_eq!(stats["task_queries"], 3);
}

#[test]
fn bad_start_up_faults_are_refused_by_the_command_line() {
    let argv = ["seedream-server", "--mock", "--fault", "task:teapot"];
    assert!(<seedream_server::Config as clap::Parser>::try_parse_from(argv).is_err());
}
