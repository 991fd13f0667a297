//! The answers' JSON shapes: exact writing for the mock, tolerant reading.

use seedream_contract::response::{SUCCESS_MESSAGE, task_id_from_path};
use seedream_contract::{
    DEFAULT_BASE_URL, Envelope, ErrorEnvelope, MODEL_ID, OutputFormat, RESULT_TTL_SECS, Resource,
    SUBMIT_PATH, SubmitData, TASKS_PATH_PREFIX, TaskData, TaskStatus, is_valid_task_id, task_path,
};
use serde_json::{Value, json};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn constants() {
    assert_eq!(MODEL_ID, "bytedance/seedream-5.0-lite-edit");
    assert_eq!(
        SUBMIT_PATH,
        "/api/v1/bytedance/seedream-5.0-lite-edit/async"
    );
    assert_eq!(TASKS_PATH_PREFIX, "/api/v1/tasks/");
    assert_eq!(DEFAULT_BASE_URL, "https://api.modellix.ai");
    assert_eq!(RESULT_TTL_SECS, 86_400);
    assert_eq!(SUCCESS_MESSAGE, "success");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn submit_success_is_the_documented_shape() {
    let envelope = Envelope::success(SubmitData::pending("task-abc123", DEFAULT_BASE_URL));
    assert_eq!(
        serde_json::to_string(&envelope).expect("json"),
        "{\"code\":0,\"message\":\"success\",\"data\":{\"status\":\"pending\",\
         \"task_id\":\"task-abc123\",\"model_id\":\"bytedance/seedream-5.0-lite-edit\",\
         \"get_result\":{\"method\":\"GET\",\
         \"url\":\"https://api.modellix.ai/api/v1/tasks/task-abc123\"}}}"
    );
    // A trailing slash on the base is not doubled.
    let data = SubmitData::pending("t1", "http://localhost:3000/");
    assert_eq!(
        data.get_result.expect("hint").url,
        "http://localhost:3000/api/v1/tasks/t1"
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn task_answers_shapes() {
    let pending = Envelope::success(TaskData::in_progress("t1", TaskStatus::Processing));
    assert_eq!(
        serde_json::to_value(&pending).expect("json"),
        json!({"code":0,"message":"success","data":{"status":"processing","task_id":"t1",
            "model_id": MODEL_ID, "result": null}})
    );
    let done = Envelope::success(TaskData::succeeded(
        "t1",
        vec![Resource::image(
            "https://cdn.example.com/o.png",
            2048,
            2048,
            OutputFormat::Png,
        )],
    ));
    assert_eq!(
        serde_json::to_value(&done).expect("json"),
        json!({"code":0,"message":"success","data":{"status":"success","task_id":"t1",
            "model_id": MODEL_ID, "result": {"resources": [{"url":"https://cdn.example.com/o.png",
            "type":"image","width":2048,"height":2048,"format":"png"}]}}})
    );
    let failed = Envelope::success(TaskData::failed("t1", "content policy"));
    assert_eq!(
        serde_json::to_value(&failed).expect("json"),
        json!({"code":0,"message":"success","data":{"status":"failed","task_id":"t1",
            "model_id": MODEL_ID, "result": null, "error": "content policy"}})
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn error_envelope_shape() {
    let envelope = ErrorEnvelope {
        code: 401,
        message: "Authentication failed: invalid key".into(),
    };
    assert_eq!(
        serde_json::to_string(&envelope).expect("json"),
        "{\"code\":401,\"message\":\"Authentication failed: invalid key\"}"
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn envelope_tolerates_missing_message_and_data() {
    let envelope: Envelope<SubmitData> = serde_json::from_str("{\"code\":0}").expect("parse");
    assert_eq!(envelope.message, "");
    assert_eq!(envelope.data, None);
    let envelope: Envelope<Value> =
        serde_json::from_str("{\"code\":5,\"extra\":[1,2],\"message\":\"m\"}").expect("parse");
    assert_eq!(envelope.code, 5);
    assert_eq!(envelope.message, "m");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn submit_data_tolerates_missing_optional_fields() {
    let data: SubmitData = serde_json::from_str("{\"task_id\":\"t\"}").expect("parse");
    assert_eq!(data.status, TaskStatus::Pending);
    assert_eq!(data.model_id, "");
    assert_eq!(data.get_result, None);
    assert!(serde_json::from_str::<SubmitData>("{\"status\":\"pending\"}").is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn resources_tolerate_odd_optional_fields() {
    let parse = |v: Value| serde_json::from_value::<Resource>(v).expect("resource");
    let r = parse(json!({"url": "https://x/y.png"}));
    assert_eq!(r.kind, "image");
    assert_eq!((r.width, r.height, r.format), (None, None, None));
    let r = parse(
        json!({"url": "https://x/y.png", "type": null, "width": null,
        "height": null, "format": null, "extra": {"a": 1}}),
    );
    assert_eq!(r.kind, "image");
    assert_eq!((r.width, r.height, r.format), (None, None, None));
    let r = parse(
        json!({"url": "u", "type": "video", "width": "1024", "height": 768.0,
        "format": 5}),
    );
    assert_eq!(r.kind, "video");
    assert_eq!((r.width, r.height, r.format), (Some(1024), Some(768), None));
    let r = parse(json!({"url": "u", "width": -5, "height": 1.5, "format": "jpeg"}));
    assert_eq!((r.width, r.height), (None, None));
    assert_eq!(r.format.as_deref(), Some("jpeg"));
    let r = parse(json!({"url": "u", "width": 1e20, "height": 4294967296u64}));
    assert_eq!((r.width, r.height), (None, None));
    assert!(serde_json::from_value::<Resource>(json!({"type": "image"})).is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn task_data_tolerates_error_shapes() {
    let data: TaskData = serde_json::from_value(json!({"status": "failed",
        "error": {"message": "nsfw", "code": 42}, "message": 7}))
    .expect("parse");
    assert_eq!(data.error, Some(json!({"message": "nsfw", "code": 42})));
    assert_eq!(data.message, None);
    assert_eq!(data.task_id, "");
    let data: TaskData =
        serde_json::from_value(json!({"status": "weird", "error": null})).expect("parse");
    assert_eq!(data.status, TaskStatus::Unknown("weird".into()));
    assert_eq!(data.error, None);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn status_strings() {
    for (text, status) in [
        ("pending", TaskStatus::Pending),
        ("processing", TaskStatus::Processing),
        ("success", TaskStatus::Success),
        ("failed", TaskStatus::Failed),
        ("queued", TaskStatus::Unknown("queued".into())),
        ("SUCCESS", TaskStatus::Unknown("SUCCESS".into())),
    ] {
        let parsed: TaskStatus = serde_json::from_value(json!(text)).expect("status");
        assert_eq!(parsed, status);
        assert_eq!(serde_json::to_value(&parsed).expect("json"), json!(text));
        assert_eq!(parsed.to_string(), text);
    }
    assert!(TaskStatus::Success.is_terminal());
    assert!(TaskStatus::Failed.is_terminal());
    assert!(!TaskStatus::Pending.is_terminal());
    assert!(serde_json::from_value::<TaskStatus>(json!(3)).is_err());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn task_paths_and_ids() {
    assert_eq!(task_path("task-abc123"), "/api/v1/tasks/task-abc123");
    assert_eq!(task_path("../admin"), "/api/v1/tasks/%2E%2E%2Fadmin");
    assert_eq!(task_path("a?b#c d"), "/api/v1/tasks/a%3Fb%23c%20d");
    assert_eq!(task_path("é"), "/api/v1/tasks/%C3%A9");
    for good in ["task-abc123", "a", "A_b.c~d-1", &"x".repeat(128)] {
        assert!(is_valid_task_id(good), "{good}");
    }
    for bad in [
        "",
        ".",
        "..",
        "a/b",
        "a b",
        "a?b",
        "a%2F",
        "é",
        &"x".repeat(129),
    ] {
        assert!(!is_valid_task_id(bad), "{bad}");
    }
    assert_eq!(task_id_from_path("/api/v1/tasks/task-1"), Some("task-1"));
    assert_eq!(task_id_from_path("/api/v1/tasks/.."), None);
    assert_eq!(task_id_from_path("/api/v1/tasks/a/b"), None);
    assert_eq!(task_id_from_path("/api/v2/tasks/a"), None);
}
