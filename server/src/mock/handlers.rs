//! The mock's answers to the contract's two routes and to its result image URLs.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use seedream_contract::{
    Envelope, MAX_SUBMIT_BODY_BYTES, Resource, SubmitData, TaskData, TaskStatus, is_valid_task_id,
    parse_submit_body,
};

use super::guard::{ForcedFailure, rate_limited};
use super::results::{self, Missing};
use super::tasks::{Outcome, Task, new_task_id};
use super::{SharedMock, sources};
use crate::api_error::error_response;

/// `POST /api/v1/bytedance/seedream-5.0-lite-edit/async`.
pub async fn submit(
    State(mock): State<SharedMock>,
    failure: Option<Extension<ForcedFailure>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("Request too large: the body may be at most {MAX_SUBMIT_BODY_BYTES} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_SUBMIT_BODY_BYTES) {
        return too_large();
    }
    let bytes = match Limited::new(body, MAX_SUBMIT_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<LengthLimitError>() => return too_large(),
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "Invalid format: the request body could not be read",
            );
        }
    };
    let request = match parse_submit_body(&bytes) {
        Ok(request) => request,
        Err(err) => return error_response(StatusCode::BAD_REQUEST, &err.api_message()),
    };
    drop(bytes);

    let settings = mock.settings();
    let outcome = match failure {
        Some(Extension(ForcedFailure(reason))) => Outcome::Fail(reason),
        None => Outcome::Succeed,
    };
    let limit = settings.max_concurrent_tasks;
    let task = Task::new(new_task_id(), &request, outcome, settings.timing);
    let Some(task) = mock
        .tasks
        .insert(task, (limit > 0).then_some(limit as usize))
    else {
        return rate_limited(
            &format!("Rate limit exceeded: at most {limit} tasks may run at once"),
            settings.timing.queue + settings.timing.processing,
        );
    };
    mock.submits.fetch_add(1, Ordering::Relaxed);
    // Decode the inputs now, in the background, so results are quick to draw later. A
    // URL naming one of this server's results (as the client reached it) is read from
    // the store; the mock fetches nothing.
    let decoding = Arc::clone(&task);
    let own_host = request_host(&headers).map(str::to_owned);
    tokio::spawn(async move {
        let decoded = sources::decode_all(&mock, request.image, own_host.as_deref()).await;
        mock.tasks.set_inputs(&decoding, decoded);
    });

    let data = SubmitData::pending(&task.id, &origin(&headers));
    Json(Envelope::success(data)).into_response()
}

/// `GET /api/v1/tasks/{task_id}`.
pub async fn task(
    State(mock): State<SharedMock>,
    Path(task_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(task) = is_valid_task_id(&task_id)
        .then(|| mock.tasks.get(&task_id))
        .flatten()
    else {
        return error_response(
            StatusCode::NOT_FOUND,
            &format!("Not found: task {} does not exist", shown_id(&task_id)),
        );
    };
    task.queries.fetch_add(1, Ordering::Relaxed);
    let data = match (task.status(Instant::now()), &task.outcome) {
        (TaskStatus::Success, _) => {
            TaskData::succeeded(&task.id, resources(&task, &origin(&headers)))
        }
        (TaskStatus::Failed, Outcome::Fail(reason)) => TaskData::failed(&task.id, reason),
        (status, _) => TaskData::in_progress(&task.id, status),
    };
    Json(Envelope::success(data)).into_response()
}

/// `GET /mock/results/{task_id}/{index}.{jpeg|png}`: drawn on first request, then
/// kept until the task expires or is evicted.
pub async fn result_image(
    State(mock): State<SharedMock>,
    Path((task_id, file)): Path<(String, String)>,
) -> Response {
    match results::result(&mock, &task_id, &file).await {
        Ok((task, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(results::encoding(task.format).content_type()),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, max-age=86400"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(Missing::NotFound) => error_response(
            StatusCode::NOT_FOUND,
            "Not found: no such result, or it has expired",
        ),
        Err(Missing::Failed(err)) => {
            tracing::error!(%err, "drawing a result failed");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error: the result could not be drawn",
            )
        }
    }
}

fn resources(task: &Task, origin: &str) -> Vec<Resource> {
    (0..task.outputs)
        .map(|i| {
            let url = results::result_url(origin, task, i);
            Resource::image(url, task.width, task.height, task.format)
        })
        .collect()
}

/// `http://<host>` as the client addressed this server, so the URLs the mock hands out
/// work for that client.
fn origin(headers: &HeaderMap) -> String {
    format!("http://{}", request_host(headers).unwrap_or("127.0.0.1"))
}

/// The request's Host, when it is a plain host[:port] (anything else is not echoed).
fn request_host(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
}

/// A task id fit to repeat in a message: quoted, and cut short when absurd.
pub(super) fn shown_id(task_id: &str) -> String {
    let short: String = task_id.chars().take(64).collect();
    format!("{short:?}")
}
