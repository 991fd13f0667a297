//! Classifying task answers: states, resources, unsafe URLs, failure reasons.

use seedream_contract::answer::FALLBACK_FAILURE_REASON;
use seedream_contract::{
    ApiError, ErrorKind, SkipReason, TaskState, TaskStatus, UrlError, parse_task_answer,
    read_task_answer,
};
use serde_json::{Value, json};

fn bytes(value: Value) -> Vec<u8> {
    serde_json::to_vec(&value).expect("json")
}

fn task(data: Value) -> Result<TaskState, ApiError> {
    parse_task_answer(
        200,
        &bytes(json!({"code": 0, "message": "success", "data": data})),
    )
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn pending_and_processing() {
    assert_eq!(
        task(json!({"status": "pending", "task_id": "t"})),
        Ok(TaskState::Pending)
    );
    assert_eq!(
        task(json!({"status": "processing", "result": null})),
        Ok(TaskState::Processing)
    );
    assert!(!TaskState::Pending.is_terminal());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn success_with_resources() {
    let state = task(json!({"status": "success", "task_id": "t", "model_id": "m",
        "result": {"resources": [
            {"url": "https://cdn.example.com/1.jpeg", "type": "image", "width": 2048,
             "height": 2048, "format": "jpeg"},
            {"url": "https://cdn.example.com/2.jpeg", "width": null, "height": null},
            {"url": "https://cdn.example.com/3.png", "extra": true, "format": "png"}
        ], "usage": {"tokens": 1}}, "finished_at": 123}))
    .expect("success");
    let TaskState::Succeeded(resources) = state else {
        panic!("not success: {state:?}")
    };
    assert_eq!(resources.len(), 3);
    assert_eq!(resources[0].width, Some(2048));
    assert_eq!(resources[1].width, None);
    assert_eq!(resources[1].kind, "image");
    assert_eq!(resources[2].format.as_deref(), Some("png"));
    assert!(TaskState::Succeeded(vec![]).is_terminal());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn unsafe_and_malformed_resources_are_skipped_and_counted() {
    let body = bytes(
        json!({"code": 0, "data": {"status": "success", "task_id": "t",
        "result": {"resources": [
            {"url": "https://ok.example.com/1.jpg"},
            {"url": "javascript:alert(1)"},
            {"url": "data:image/png;base64,iVBORw0KGgo="},
            {"url": "/relative.png"},
            {"url": "https://user:pw@evil.example.com/x.png"},
            {"url": 5},
            "https://bare-string.example.com/x.png",
            {"url": "http://ok.example.com/2.jpg"}
        ]}}}),
    );
    let report = read_task_answer(200, &body).expect("report");
    let TaskState::Succeeded(resources) = &report.state else {
        panic!("not success")
    };
    let urls: Vec<_> = resources.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://ok.example.com/1.jpg",
            "http://ok.example.com/2.jpg"
        ]
    );
    let skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|s| (s.index, s.reason.clone()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                1,
                SkipReason::UnsafeUrl(UrlError::UnsupportedScheme {
                    scheme: "javascript".into()
                })
            ),
            (
                2,
                SkipReason::UnsafeUrl(UrlError::UnsupportedScheme {
                    scheme: "data".into()
                })
            ),
            (3, SkipReason::UnsafeUrl(UrlError::MissingScheme)),
            (4, SkipReason::UnsafeUrl(UrlError::UserInfo)),
            (5, SkipReason::Malformed),
            (6, SkipReason::Malformed),
        ]
    );
    assert_eq!(report.status, TaskStatus::Success);
    assert_eq!(report.task_id, "t");
    assert_eq!(
        parse_task_answer(200, &body).map(|s| s.is_terminal()),
        Ok(true)
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn success_without_results() {
    for data in [
        json!({"status": "success"}),
        json!({"status": "success", "result": null}),
        json!({"status": "success", "result": {}}),
        json!({"status": "success", "result": {"resources": null}}),
        json!({"status": "success", "result": {"resources": "x"}}),
        json!({"status": "success", "result": []}),
    ] {
        assert_eq!(
            task(data.clone()),
            Ok(TaskState::Succeeded(vec![])),
            "{data}"
        );
    }
}

fn failed_reason(data: Value, envelope_message: Option<&str>) -> String {
    let mut envelope = json!({"code": 0, "data": data});
    if let Some(message) = envelope_message {
        envelope["message"] = json!(message);
    }
    match parse_task_answer(200, &bytes(envelope)) {
        Ok(TaskState::Failed { reason }) => reason,
        other => panic!("not failed: {other:?}"),
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn failure_reasons_in_each_documented_place() {
    assert_eq!(
        failed_reason(
            json!({"status": "failed", "error": "content policy"}),
            Some("success")
        ),
        "content policy"
    );
    assert_eq!(
        failed_reason(
            json!({"status": "failed", "error": {"message": "bad input", "code": 9}}),
            None
        ),
        "bad input"
    );
    assert_eq!(
        failed_reason(
            json!({"status": "failed", "message": "timeout"}),
            Some("success")
        ),
        "timeout"
    );
    assert_eq!(
        failed_reason(json!({"status": "failed"}), Some("generation failed")),
        "generation failed"
    );
    // Precedence: error, then data.message, then the envelope.
    assert_eq!(
        failed_reason(
            json!({"status": "failed", "error": "first", "message": "second"}),
            Some("third")
        ),
        "first"
    );
    assert_eq!(
        failed_reason(
            json!({"status": "failed", "error": {"code": 1}, "message": "second"}),
            Some("third")
        ),
        "second"
    );
    assert_eq!(
        failed_reason(
            json!({"status": "failed", "error": "  ", "message": ""}),
            Some("third")
        ),
        "third"
    );
    // Nothing useful anywhere ("success" is routine, not a reason).
    assert_eq!(
        failed_reason(json!({"status": "failed", "error": null}), Some("success")),
        FALLBACK_FAILURE_REASON
    );
    assert_eq!(
        failed_reason(json!({"status": "failed", "error": 42}), None),
        FALLBACK_FAILURE_REASON
    );
    assert_eq!(FALLBACK_FAILURE_REASON, "The task failed without a reason.");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn unknown_statuses() {
    assert_eq!(task(json!({"status": "queued"})), Ok(TaskState::Pending));
    assert_eq!(
        task(json!({"status": "running"})),
        Ok(TaskState::Processing)
    );
    // Followed on, by its own name.
    assert_eq!(
        task(json!({"status": "something-new"})),
        Ok(TaskState::Unlisted {
            status: "something-new".into()
        })
    );
    assert_eq!(task(json!({"status": "PENDING"})), Ok(TaskState::Pending));
    assert_eq!(
        task(json!({"status": "completed", "result": {"resources": [{"url": "https://a.b/c"}]}}))
            .map(|s| matches!(s, TaskState::Succeeded(r) if r.len() == 1)),
        Ok(true)
    );
    // Plainly final: ended without results, by the name the API gave it.
    assert_eq!(
        task(json!({"status": "cancelled"})),
        Ok(TaskState::Ended {
            status: "cancelled".into(),
            reason: None
        })
    );
    assert_eq!(
        task(json!({"status": "expired", "error": "too old"})),
        Ok(TaskState::Ended {
            status: "expired".into(),
            reason: Some("too old".into())
        })
    );
    let report = read_task_answer(
        200,
        &bytes(json!({"code": 0, "data": {"status": "queued"}})),
    )
    .expect("report");
    assert_eq!(report.status, TaskStatus::Unknown("queued".into()));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn task_answer_malformed() {
    for body in [
        b"not json".to_vec(),
        bytes(json!({"code": 0, "data": {}})),
        bytes(json!({"code": 0, "data": {"status": null}})),
        bytes(json!({"code": 0, "data": {"status": 1}})),
        bytes(json!({"code": 0, "data": {"status": ["success"]}})),
        bytes(json!({"code": 0})),
        bytes(json!({"code": 0.5, "data": {"status": "success"}})),
        bytes(json!(null)),
    ] {
        let error = parse_task_answer(200, &body).expect_err("malformed");
        assert_eq!(error.kind, ErrorKind::MalformedAnswer, "{body:?}");
    }
}
