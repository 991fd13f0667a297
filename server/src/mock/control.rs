//! The mock's control endpoint, for tests and benchmarks: inject faults, change limits
//! and timings, and read counters. It exists only in mock mode and, like the API,
//! answers 401 without `Authorization: Bearer KEY` when the mock has `--require-key`:
//! otherwise whoever could reach the mock could lift its limits.
//!
//! - `POST /__mock/faults` with a JSON array of specs (`["task:503:2"]`, see [`super::faults`])
//! - `DELETE /__mock/faults`
//! - `PATCH /__mock/settings` with any of `queue_ms`, `processing_ms`, `result_ttl_ms`,
//!   `rate_limit`, `rate_window_ms`, `max_concurrent_tasks`
//! - `GET /__mock/stats`: tasks kept, the bytes of images they keep, task queries,
//!   submits, the most tasks unfinished at once (`most_unfinished`) and pending faults
//! - `GET /__mock/tasks/{task_id}/inputs`: what the task's input images were, once
//!   the background decoding that follows a submit has finished (the answer waits for
//!   it, at most [`INPUTS_WAIT`]): a JSON array in the request's order, one object
//!   per image, `{"format": "png", "bytes": <decoded length>, "sha256": "<lowercase
//!   hex of the decoded bytes>", "decoded": <bool>}` for a data URI (`format` is what
//!   the bytes are by their magic number, null if none the contract knows; `decoded`
//!   whether they gave a picture within the memory limit), `{"url": true, "decoded":
//!   <bool>}` for an http(s) URL (decoded only when it is one of the mock's own
//!   results). The mock keeps only these summaries, never the bytes. An unknown task
//!   answers 404 in the contract's error envelope.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::SharedMock;
use super::faults::FaultSpec;
use super::guard::key_refusal;
use super::handlers::shown_id;
use crate::api_error::error_response;

pub fn router(mock: SharedMock) -> Router<SharedMock> {
    Router::new()
        .route("/faults", post(add_faults).delete(clear_faults))
        .route("/settings", patch(change_settings))
        .route("/stats", get(stats))
        .route("/tasks/{task_id}/inputs", get(task_inputs))
        .route_layer(middleware::from_fn_with_state(mock, require_key))
}

/// The mock's key, when it requires one, before anything else.
async fn require_key(State(mock): State<SharedMock>, request: Request, next: Next) -> Response {
    match key_refusal(&mock, request.headers()) {
        None => next.run(request).await,
        Some(refused) => refused,
    }
}

/// Longest `GET /__mock/tasks/{id}/inputs` waits for decoding: fourteen 10 MB inputs
/// take seconds, so only a stuck decoding reaches it.
pub const INPUTS_WAIT: Duration = Duration::from_secs(120);

async fn add_faults(State(mock): State<SharedMock>, Json(specs): Json<Vec<String>>) -> Response {
    let parsed: Result<Vec<FaultSpec>, _> = specs.iter().map(|s| s.parse::<FaultSpec>()).collect();
    match parsed {
        Ok(faults) => {
            for fault in faults {
                mock.faults.push(fault);
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Err(err) => error_response(
            StatusCode::BAD_REQUEST,
            &format!("Invalid parameters: {err}"),
        ),
    }
}

async fn clear_faults(State(mock): State<SharedMock>) -> StatusCode {
    mock.faults.clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsChange {
    queue_ms: Option<u64>,
    processing_ms: Option<u64>,
    result_ttl_ms: Option<u64>,
    rate_limit: Option<u32>,
    rate_window_ms: Option<u64>,
    max_concurrent_tasks: Option<u32>,
}

async fn change_settings(
    State(mock): State<SharedMock>,
    Json(change): Json<SettingsChange>,
) -> Json<serde_json::Value> {
    let mut settings = mock.settings.write().unwrap_or_else(|p| p.into_inner());
    let ms = Duration::from_millis;
    if let Some(v) = change.queue_ms {
        settings.timing.queue = ms(v);
    }
    if let Some(v) = change.processing_ms {
        settings.timing.processing = ms(v);
    }
    if let Some(v) = change.result_ttl_ms {
        settings.timing.result_ttl = ms(v);
    }
    if let Some(v) = change.rate_limit {
        settings.rate_limit = v;
    }
    if let Some(v) = change.rate_window_ms {
        settings.rate_window = ms(v.max(1));
    }
    if let Some(v) = change.max_concurrent_tasks {
        settings.max_concurrent_tasks = v;
    }
    Json(serde_json::json!({
        "queue_ms": settings.timing.queue.as_millis() as u64,
        "processing_ms": settings.timing.processing.as_millis() as u64,
        "result_ttl_ms": settings.timing.result_ttl.as_millis() as u64,
        "rate_limit": settings.rate_limit,
        "rate_window_ms": settings.rate_window.as_millis() as u64,
        "max_concurrent_tasks": settings.max_concurrent_tasks,
    }))
}

async fn task_inputs(State(mock): State<SharedMock>, Path(task_id): Path<String>) -> Response {
    let Some(task) = mock.tasks.get(&task_id) else {
        return error_response(
            StatusCode::NOT_FOUND,
            &format!("Not found: task {} does not exist", shown_id(&task_id)),
        );
    };
    match tokio::time::timeout(INPUTS_WAIT, task.decoded_inputs()).await {
        Ok(decoded) => {
            let summaries: Vec<_> = decoded.summaries.iter().map(|s| s.to_json()).collect();
            Json(summaries).into_response()
        }
        Err(_) => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "Service unavailable: the inputs of task {task_id} were still decoding after {}s",
                INPUTS_WAIT.as_secs()
            ),
        ),
    }
}

async fn stats(State(mock): State<SharedMock>) -> Json<serde_json::Value> {
    let (tasks, task_queries, image_bytes) = mock.tasks.counts();
    Json(serde_json::json!({
        "tasks": tasks,
        "image_bytes": image_bytes,
        "task_queries": task_queries,
        "submits": mock.submits.load(Ordering::Relaxed),
        "most_unfinished": mock.tasks.most_unfinished(),
        "pending_faults": mock.faults.len(),
    }))
}
