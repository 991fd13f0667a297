//! The client's pure answer mapping, its configuration and URLs, and real fetches
//! to an address that refuses connections.
#![cfg(target_arch = "wasm32")]

use seedream_contract::{EditRequest, ErrorKind, Operation, RetryPolicy, TaskState, TaskStatus};
use seedream_studio::api::{
    ApiConfig, ConfigError, ConnectionProblem, HttpAnswer, ReadError, SubmitError, body,
    check_connection, connection_outcome, query, read_outcome, submit, submit_outcome,
};
use seedream_studio::i18n::Locale;
use seedream_studio::media::Source;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NOW: u64 = 1_750_000_000;

const SUBMITTED: &str = r#"{"code":0,"message":"success","data":{"status":"pending",
 "task_id":"task-abc123","model_id":"bytedance/seedream-5.0-lite-edit",
 "get_result":{"method":"GET","url":"https://api.modellix.ai/api/v1/tasks/task-abc123"}}}"#;

fn error_body(status: u16, message: &str) -> String {
    format!(r#"{{"code":{status},"message":"{message}"}}"#)
}

fn rejected(status: u16, message: &str) -> seedream_contract::ApiError {
    match submit_outcome(&HttpAnswer::new(status, error_body(status, message))) {
        Err(SubmitError::Rejected(error)) => error,
        other => panic!("{status}: expected Rejected, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn submit_answers_give_the_task_id_or_a_rejection() {
    let task = submit_outcome(&HttpAnswer::new(200, SUBMITTED)).expect("accepted");
    assert_eq!(task.task_id, "task-abc123");
    assert_eq!(task.status, TaskStatus::Pending);
    let error = rejected(400, "Invalid parameters: parameter 'prompt' is required");
    assert_eq!(error.kind, ErrorKind::InvalidParameters);
    assert_eq!(error.detail(), "parameter 'prompt' is required");
    for (status, kind) in [
        (401, ErrorKind::Unauthorized),
        (402, ErrorKind::InsufficientBalance),
        (404, ErrorKind::NotFound),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Internal),
        (503, ErrorKind::Unavailable),
    ] {
        let error = rejected(status, "Some category: some detail");
        assert_eq!((error.status, error.kind), (Some(status), kind));
        assert_eq!(error.retry(Operation::Submit), RetryPolicy::Never);
    }
    // An error envelope under HTTP 200 is still a rejection.
    let answer = HttpAnswer::new(200, error_body(401, "Authentication failed: expired"));
    assert!(matches!(
        submit_outcome(&answer),
        Err(SubmitError::Rejected(e)) if e.kind == ErrorKind::Unauthorized
    ));
}

#[wasm_bindgen_test]
fn unreadable_submit_answers_leave_the_outcome_unknown() {
    for answer in [
        HttpAnswer::new(200, "<html>gateway</html>"),
        HttpAnswer::new(200, r#"{"code":0,"message":"succ"#),
        HttpAnswer::new(200, r#"{"whatever":true}"#),
        HttpAnswer::new(200, r#"{"code":0,"data":{"status":"pending"}}"#),
        HttpAnswer::new(
            504,
            error_body(504, "Gateway timeout: the API did not answer in time"),
        ),
        HttpAnswer::new(502, "Bad gateway"),
    ] {
        match submit_outcome(&answer) {
            Err(error @ SubmitError::OutcomeUnknown(_)) => {
                let detail = error.describe(Locale::en);
                assert!(detail.contains("charged"), "{detail}")
            }
            other => panic!("{answer:?}: expected OutcomeUnknown, got {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn task_answers_map_to_reports() {
    let pending = r#"{"code":0,"message":"success","data":{"status":"pending","task_id":"t-1"}}"#;
    let report = read_outcome(&HttpAnswer::new(200, pending), NOW).expect("report");
    assert_eq!(
        (report.state, report.task_id.as_str()),
        (TaskState::Pending, "t-1")
    );
    let done = r#"{"code":0,"message":"success","data":{"status":"success","task_id":"t-1",
      "result":{"resources":[{"url":"https://cdn.example.com/a.jpeg","type":"image",
      "width":2048,"height":2048,"format":"jpeg","extra":1},{"url":"javascript:alert(1)"}]}}}"#;
    let report = read_outcome(&HttpAnswer::new(200, done), NOW).expect("report");
    match report.state {
        TaskState::Succeeded(resources) => {
            assert_eq!(resources.len(), 1);
            assert_eq!(resources[0].url, "https://cdn.example.com/a.jpeg");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.skipped.len(), 1);
    let failed =
        r#"{"code":0,"message":"success","data":{"status":"failed","error":{"message":"NSFW"}}}"#;
    let report = read_outcome(&HttpAnswer::new(200, failed), NOW).expect("report");
    assert_eq!(
        report.state,
        TaskState::Failed {
            reason: "NSFW".into()
        }
    );
}

fn read_error(answer: &HttpAnswer) -> (ErrorKind, Option<u64>, RetryPolicy) {
    match read_outcome(answer, NOW) {
        Err(error @ ReadError::Api { .. }) => {
            let kind = error.api_error().map(|e| e.kind).expect("api error");
            (kind, error.reset_wait_secs(), error.retry_policy())
        }
        other => panic!("{answer:?}: expected an API error, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn task_errors_carry_the_retry_policy_and_reset_wait() {
    let never = RetryPolicy::Never;
    let unlimited = RetryPolicy::WithBackoff { max_attempts: None };
    let three = RetryPolicy::WithBackoff {
        max_attempts: Some(3),
    };
    let answer = |status| HttpAnswer::new(status, error_body(status, "Category: detail"));
    assert_eq!(
        read_error(&answer(400)),
        (ErrorKind::InvalidParameters, None, never)
    );
    assert_eq!(
        read_error(&answer(401)),
        (ErrorKind::Unauthorized, None, never)
    );
    assert_eq!(
        read_error(&answer(402)),
        (ErrorKind::InsufficientBalance, None, never)
    );
    assert_eq!(read_error(&answer(404)), (ErrorKind::NotFound, None, never));
    assert_eq!(
        read_error(&answer(429)),
        (ErrorKind::RateLimited, None, unlimited)
    );
    assert_eq!(read_error(&answer(500)), (ErrorKind::Internal, None, three));
    assert_eq!(
        read_error(&answer(503)),
        (ErrorKind::Unavailable, None, unlimited)
    );
    assert_eq!(
        read_error(&answer(504)),
        (ErrorKind::OtherStatus, None, three)
    );
    assert_eq!(
        read_error(&answer(418)),
        (ErrorKind::OtherStatus, None, never)
    );

    let limited = |reset: Option<&str>, retry_after: Option<&str>| HttpAnswer {
        rate_limit_reset: reset.map(str::to_owned),
        retry_after: retry_after.map(str::to_owned),
        ..answer(429)
    };
    assert_eq!(read_error(&limited(Some("7"), None)).1, Some(7));
    let at = (NOW + 20).to_string();
    assert_eq!(read_error(&limited(Some(&at), Some("3"))).1, Some(20));
    assert_eq!(read_error(&limited(None, Some("5"))).1, Some(5));
    assert_eq!(read_error(&limited(Some("soon"), None)).1, None);
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    assert_eq!(read_error(&limited(None, Some(date))).1, None);
}

#[wasm_bindgen_test]
fn unreadable_task_answers_are_errors_never_retried() {
    for body in [
        "<html>oops</html>",
        "",
        "[1,2]",
        r#"{"code":0,"data":{"state":"x"}}"#,
    ] {
        let answer = HttpAnswer::new(200, body);
        let (kind, _, policy) = read_error(&answer);
        assert_eq!(
            (kind, policy),
            (ErrorKind::MalformedAnswer, RetryPolicy::Never),
            "{body}"
        );
    }
    // An error status with an HTML page: classified by status, no HTML shown.
    let page = HttpAnswer::new(500, "<html><body>Internal</body></html>");
    match read_outcome(&page, NOW) {
        Err(error) => assert!(!error.to_string().contains('<'), "{error}"),
        Ok(report) => panic!("{report:?}"),
    }
}

#[wasm_bindgen_test]
fn connection_outcomes_name_the_problem() {
    let key = |status, body: &str| connection_outcome(&HttpAnswer::new(status, body), true);
    assert_eq!(
        key(404, &error_body(404, "Not found: no such task")),
        Ok(())
    );
    assert!(matches!(
        key(404, "<h1>Not Found</h1>"),
        Err(ConnectionProblem::NotTheApi { status: 404 })
    ));
    assert!(matches!(
        key(200, "<!doctype html><html>"),
        Err(ConnectionProblem::NotTheApi { status: 200 })
    ));
    let refused = key(401, &error_body(401, "Authentication failed: invalid key"));
    assert!(matches!(
        refused,
        Err(ConnectionProblem::KeyRefused { key_sent: true, .. })
    ));
    let text = refused.err().map(|p| p.to_string()).unwrap_or_default();
    assert!(
        text.contains("refused the key") && text.contains("invalid key"),
        "{text}"
    );
    let missing = connection_outcome(
        &HttpAnswer::new(401, error_body(401, "Authentication failed: missing key")),
        false,
    );
    let text = missing.err().map(|p| p.to_string()).unwrap_or_default();
    assert!(text.contains("needs a key"), "{text}");
    let busy = key(503, &error_body(503, "Service unavailable: maintenance"));
    assert!(
        matches!(busy, Err(ConnectionProblem::Unexpected(ref e)) if e.kind == ErrorKind::Unavailable)
    );
    assert!(
        busy.err()
            .map(|p| p.to_string())
            .unwrap_or_default()
            .contains("maintenance")
    );
}

#[wasm_bindgen_test]
fn config_validation_accepts_origins_and_refuses_the_rest() {
    for base in [
        "",
        "http://127.0.0.1:8080",
        "https://api.modellix.ai/",
        "https://portal.example/seedream",
    ] {
        assert_eq!(ApiConfig::new(base, None).validate(), Ok(()), "{base}");
    }
    for base in [
        "api.modellix.ai",
        "ftp://x.example",
        "javascript:alert(1)",
        "https://u:p@x.example",
        "https://x.example/?a=1",
        "https://x.example#top",
        "https://exa mple.com",
    ] {
        let error = ApiConfig::new(base, None).validate().expect_err(base);
        assert!(!error.to_string().is_empty());
    }
    for key in ["abc def", "abc\ndef", "clé"] {
        let config = ApiConfig::new("", Some(key));
        assert_eq!(config.validate(), Err(ConfigError::Key), "{key:?}");
    }
    assert!(!ConfigError::Key.to_string().contains("abc"));
}

#[wasm_bindgen_test]
fn urls_are_built_from_the_base_without_the_key() {
    let config = ApiConfig::new(" https://proxy.example/// ", Some(" sk-secret-123 "));
    assert_eq!(
        config.submit_url().as_deref(),
        Ok("https://proxy.example/api/v1/bytedance/seedream-5.0-lite-edit/async")
    );
    assert_eq!(
        config.task_url("task-abc123").as_deref(),
        Ok("https://proxy.example/api/v1/tasks/task-abc123")
    );
    assert_eq!(
        config.task_url("a/../b").as_deref(),
        Ok("https://proxy.example/api/v1/tasks/a%2F%2E%2E%2Fb")
    );
    for url in [config.submit_url(), config.task_url("t-1")] {
        let url = url.expect("url");
        assert!(
            !url.contains("sk-secret") && !url["https://".len()..].contains("//"),
            "{url}"
        );
    }
    assert_eq!(
        config.authorization_header().as_deref(),
        Some("Bearer sk-secret-123")
    );
    let same = ApiConfig::same_origin();
    assert_eq!(
        same.submit_url().as_deref(),
        Ok("/api/v1/bytedance/seedream-5.0-lite-edit/async")
    );
    assert_eq!(same.task_url("t-1").as_deref(), Ok("/api/v1/tasks/t-1"));
    assert_eq!(same.authorization_header(), None);
    let blank = ApiConfig {
        base: String::new(),
        key: Some("   ".into()),
    };
    assert_eq!(blank.authorization_header(), None);
    assert_eq!(ApiConfig::new("", Some("  ")).key, None);
    assert!(ApiConfig::new("ftp://x", None).submit_url().is_err());
}

#[wasm_bindgen_test]
fn debug_redacts_the_key() {
    let config = ApiConfig::new("https://proxy.example", Some("sk-secret-123"));
    let shown = format!("{config:?} {config:#?}");
    assert!(!shown.contains("sk-secret-123"), "{shown}");
    assert!(
        shown.contains("redacted") && shown.contains("https://proxy.example"),
        "{shown}"
    );
    assert!(format!("{:?}", ApiConfig::same_origin()).contains("none"));
}

fn refusing() -> ApiConfig {
    ApiConfig::new("http://127.0.0.1:9/", Some("sk-secret-123"))
}

#[wasm_bindgen_test]
async fn a_query_without_answer_is_no_answer_with_the_proxy_hint() {
    match query(&refusing(), "task-abc123").await {
        Err(error @ ReadError::NoAnswer { .. }) => {
            let text = error.to_string();
            assert!(
                text.contains("proxy") && text.contains("127.0.0.1:9"),
                "{text}"
            );
            assert!(!text.contains("sk-secret"), "{text}");
            assert_eq!(
                error.retry_policy(),
                RetryPolicy::transport_error(Operation::Read)
            );
        }
        other => panic!("expected NoAnswer, got {other:?}"),
    }
    // Ids the API never issues are refused before any call.
    for id in ["", "..", "a/b", "x y"] {
        let refused = query(&refusing(), id).await;
        assert!(matches!(refused, Err(ReadError::Invalid(_))), "{id:?}");
    }
}

#[wasm_bindgen_test]
async fn a_submit_without_answer_leaves_the_outcome_unknown() {
    let request = EditRequest::new(
        "make it blue",
        vec![Source::Url("https://example.com/a.png".into())],
    );
    let request = body::write(&request).await.expect("a body");
    match submit(&refusing(), &request).await {
        Err(error @ SubmitError::OutcomeUnknown(_)) => {
            let detail = error.describe(Locale::en);
            assert!(
                detail.contains("proxy") && detail.contains("charged"),
                "{detail}"
            );
            assert!(detail.contains("another origin"), "{detail}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    let bad = ApiConfig::new("ftp://x.example", None);
    assert!(matches!(
        submit(&bad, &request).await,
        Err(SubmitError::Invalid(_))
    ));
}

#[wasm_bindgen_test]
async fn a_connection_check_without_answer_is_unreachable() {
    match check_connection(&refusing()).await {
        Err(problem @ ConnectionProblem::Unreachable { .. }) => {
            assert!(problem.to_string().contains("proxy"), "{problem}");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    let bad = ApiConfig::new("https://x.example?q", None);
    assert!(matches!(
        check_connection(&bad).await,
        Err(ConnectionProblem::Invalid(_))
    ));
}

#[wasm_bindgen_test]
async fn a_real_answer_is_read_the_test_server_is_not_the_api() {
    // The test runner's own server answers this same-origin path, but not as the API.
    let same = ApiConfig::same_origin();
    match check_connection(&same).await {
        Err(ConnectionProblem::NotTheApi { status }) => assert_eq!(status, 404),
        other => panic!("expected NotTheApi, got {other:?}"),
    }
    match query(&same, "task-abc123").await {
        Err(ReadError::Api { error, .. }) => assert_eq!(error.status, Some(404)),
        other => panic!("expected a 404, got {other:?}"),
    }
}
