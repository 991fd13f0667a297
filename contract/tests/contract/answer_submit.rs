//! Classifying submit answers and HTTP errors: success, malformed bodies, statuses.

use seedream_contract::{
    ApiError, ErrorKind, SubmittedTask, TaskStatus, parse_submit_answer, parse_task_answer,
};
use serde_json::{Value, json};

fn bytes(value: Value) -> Vec<u8> {
    serde_json::to_vec(&value).expect("json")
}

const DOC_SUBMIT: &str = r#"{"code":0,"message":"success","data":{"status":"pending","task_id":"task-abc123",
 "model_id":"bytedance/seedream-5.0-lite-edit",
 "get_result":{"method":"GET","url":"https://api.modellix.ai/api/v1/tasks/task-abc123"}}}"#;

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn documented_submit_answer() {
    assert_eq!(
        parse_submit_answer(200, DOC_SUBMIT.as_bytes()),
        Ok(SubmittedTask {
            task_id: "task-abc123".into(),
            status: TaskStatus::Pending,
            model_id: "bytedance/seedream-5.0-lite-edit".into(),
        })
    );
    // The provider page's own example uses another model id; still fine.
    let page = r#"{"code":0,"message":"success","data":{"status":"pending","task_id":"task-abc123",
        "model_id":"model-123","get_result":{"method":"GET","url":"https://api.modellix.ai/api/v1/tasks/task-abc123"}}}"#;
    assert!(parse_submit_answer(200, page.as_bytes()).is_ok());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn submit_answer_tolerates_missing_optional_and_extra_fields() {
    let body = bytes(
        json!({"code": 0, "data": {"task_id": "t1", "extra": [1], "get_result": null},
        "request_id": "r"}),
    );
    assert_eq!(
        parse_submit_answer(202, &body),
        Ok(SubmittedTask {
            task_id: "t1".into(),
            status: TaskStatus::Pending,
            model_id: String::new(),
        })
    );
    let body = bytes(json!({"code": 0, "data": {"task_id": "t1", "status": "queued"}}));
    assert_eq!(
        parse_submit_answer(200, &body).map(|t| t.status),
        Ok(TaskStatus::Unknown("queued".into()))
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn submit_answer_malformed() {
    for body in [
        b"".to_vec(),
        b"<html>ok</html>".to_vec(),
        b"{\"code\":0".to_vec(),
        bytes(json!([1, 2])),
        bytes(json!("success")),
        bytes(json!({"message": "success"})),
        bytes(json!({"code": "0", "data": {"task_id": "t"}})),
        bytes(json!({"code": 0, "message": "success"})),
        bytes(json!({"code": 0, "data": null})),
        bytes(json!({"code": 0, "data": ["t"]})),
        bytes(json!({"code": 0, "data": {"status": "pending"}})),
        bytes(json!({"code": 0, "data": {"task_id": 5}})),
        bytes(json!({"code": 0, "data": {"task_id": ""}})),
        bytes(json!({"code": 0, "data": {"task_id": "../../admin"}})),
        bytes(json!({"code": 0, "data": {"task_id": "t", "status": 1}})),
    ] {
        let error = parse_submit_answer(200, &body).expect_err("malformed");
        assert_eq!(error.kind, ErrorKind::MalformedAnswer, "{body:?}");
        assert_eq!(error.status, Some(200));
        assert!(error.submit_outcome_unknown());
        assert_eq!(error.category(), Some("Malformed answer"));
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn error_envelope_under_http_200() {
    let body = bytes(json!({"code": 402, "message": "Insufficient balance: top up"}));
    let error = parse_submit_answer(200, &body).expect_err("402");
    assert_eq!(error.kind, ErrorKind::InsufficientBalance);
    assert_eq!(error.status, Some(200));
    assert_eq!(error.category(), Some("Insufficient balance"));
    assert_eq!(error.detail(), "top up");
    assert!(!error.submit_outcome_unknown());
    let body = bytes(json!({"code": 7}));
    let error = parse_task_answer(200, &body).expect_err("7");
    assert_eq!(error.kind, ErrorKind::OtherStatus);
    assert_eq!(error.message, ErrorKind::OtherStatus.default_message());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn http_errors_with_json_bodies() {
    for (status, kind, message) in [
        (
            400,
            ErrorKind::InvalidParameters,
            "Invalid parameters: parameter 'prompt' is required",
        ),
        (
            401,
            ErrorKind::Unauthorized,
            "Authentication failed: invalid API key",
        ),
        (
            402,
            ErrorKind::InsufficientBalance,
            "Insufficient balance: please top up",
        ),
        (404, ErrorKind::NotFound, "Not found: task not found"),
        (
            429,
            ErrorKind::RateLimited,
            "Rate limited: too many requests",
        ),
        (500, ErrorKind::Internal, "Internal error: oops"),
        (
            503,
            ErrorKind::Unavailable,
            "Service unavailable: maintenance",
        ),
        (418, ErrorKind::OtherStatus, "Teapot: short and stout"),
    ] {
        let body = bytes(json!({"code": status, "message": message}));
        for error in [
            parse_submit_answer(status, &body).expect_err("submit"),
            parse_task_answer(status, &body).expect_err("task"),
        ] {
            assert_eq!(error.status, Some(status));
            assert_eq!(error.kind, kind);
            assert_eq!(error.message, message);
            assert_eq!(error.to_string(), message);
            assert!(!error.submit_outcome_unknown());
        }
    }
    let error = parse_submit_answer(
        400,
        br#"{"code":400,"message":"Invalid parameters: parameter 'prompt' is required"}"#,
    )
    .expect_err("400");
    assert_eq!(error.category(), Some("Invalid parameters"));
    assert_eq!(error.detail(), "parameter 'prompt' is required");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn http_errors_without_json_bodies() {
    for (status, kind) in [
        (400, ErrorKind::InvalidParameters),
        (401, ErrorKind::Unauthorized),
        (402, ErrorKind::InsufficientBalance),
        (404, ErrorKind::NotFound),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Internal),
        (503, ErrorKind::Unavailable),
    ] {
        for body in [
            &b""[..],
            b"<html><body>Bad Gateway</body></html>",
            b"{}",
            b"{\"message\":\"\"}",
        ] {
            let error = parse_task_answer(status, body).expect_err("error");
            assert_eq!(error.kind, kind);
            assert_eq!(error.message, kind.default_message());
            assert!(error.category().is_some());
        }
        assert_eq!(kind.status_code(), Some(status));
        assert_eq!(ErrorKind::from_code(i64::from(status)), kind);
    }
    let error = parse_task_answer(502, b"<html>bad gateway</html>").expect_err("502");
    assert_eq!(error.kind, ErrorKind::OtherStatus);
    assert_eq!(
        error.message,
        "Unexpected answer: the service answered with HTTP 502."
    );
    let error = parse_submit_answer(301, b"").expect_err("redirect");
    assert_eq!(error.kind, ErrorKind::OtherStatus);
    assert_eq!(ErrorKind::MalformedAnswer.status_code(), None);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn error_messages_without_category() {
    let error = ApiError::new(Some(401), ErrorKind::Unauthorized, "Unauthorized");
    assert_eq!(error.category(), None);
    assert_eq!(error.detail(), "Unauthorized");
    let error = ApiError::new(None, ErrorKind::OtherStatus, "see https://x.y: z");
    assert_eq!(error.category(), None);
    let long = "x".repeat(10_000);
    let error = parse_task_answer(500, &bytes(json!({"message": long}))).expect_err("500");
    assert!(error.message.chars().count() <= 501);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn error_envelope_body_for_the_server() {
    assert_eq!(
        ApiError::error_envelope_body(400, "Invalid parameters: parameter 'prompt' is required"),
        r#"{"code":400,"message":"Invalid parameters: parameter 'prompt' is required"}"#
    );
    assert_eq!(
        ApiError::error_envelope_body(401, "Authentication failed: \"bad\" key"),
        r#"{"code":401,"message":"Authentication failed: \"bad\" key"}"#
    );
}
