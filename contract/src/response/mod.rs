//! The answers' JSON shapes, for the mock to write and the app to read.
//!
//! Reading is tolerant where the contract allows variation: a missing `message`
//! or `data`, extra fields anywhere, absent or null `width`/`height`/`format`,
//! unknown status strings. Writing produces exactly the documented shapes, e.g.
//! `{"code":0,"message":"success","data":{"status":"pending","task_id":"task-abc123",
//! "model_id":"bytedance/seedream-5.0-lite-edit","get_result":{"method":"GET","url":"..."}}}`.
//! Classifying an answer (success, task state, error, retry) is [`crate::answer`]'s job.

mod lenient;
mod paths;
mod status;

pub use paths::{
    DEFAULT_BASE_URL, MAX_TASK_ID_LEN, MODEL_ID, RESULT_TTL_SECS, SUBMIT_PATH, TASKS_PATH_PREFIX,
    is_valid_task_id, task_id_from_path, task_path,
};
pub use status::TaskStatus;

use crate::format::OutputFormat;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The message of every success envelope.
pub const SUCCESS_MESSAGE: &str = "success";

/// The envelope around every success answer: `{"code":0,"message":"success","data":...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// 0 on success; otherwise an error code (the HTTP status by convention).
    pub code: i64,
    /// "success", or an error message.
    #[serde(default)]
    pub message: String,
    /// The payload.
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

/// `None` without requiring `T: Default`.
fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    /// A success envelope: code 0, message "success".
    pub fn success(data: T) -> Envelope<T> {
        Envelope {
            code: 0,
            message: SUCCESS_MESSAGE.to_owned(),
            data: Some(data),
        }
    }
}

/// The body of every error answer: `{"code": <status>, "message": "<Category>: <detail>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The HTTP status, repeated.
    pub code: u16,
    /// `"<Category>: <detail>"`.
    pub message: String,
}

/// Where to poll a submitted task, as the provider reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetResult {
    /// Always "GET".
    #[serde(default)]
    pub method: String,
    /// The provider's own URL; a proxy's client polls its own base instead.
    #[serde(default)]
    pub url: String,
}

/// `data` of a submit answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitData {
    /// Usually "pending".
    #[serde(default)]
    pub status: TaskStatus,
    /// The id to poll.
    pub task_id: String,
    /// The model's id.
    #[serde(default)]
    pub model_id: String,
    /// The provider's polling hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_result: Option<GetResult>,
}

impl SubmitData {
    /// The answer to a fresh submit: pending, with `get_result` pointing at
    /// `{base_url}/api/v1/tasks/{task_id}`.
    pub fn pending(task_id: &str, base_url: &str) -> SubmitData {
        SubmitData {
            status: TaskStatus::Pending,
            task_id: task_id.to_owned(),
            model_id: MODEL_ID.to_owned(),
            get_result: Some(GetResult {
                method: "GET".to_owned(),
                url: format!("{}{}", base_url.trim_end_matches('/'), task_path(task_id)),
            }),
        }
    }
}

/// One output of a successful task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// Where to fetch it (temporary: see [`RESULT_TTL_SECS`]).
    pub url: String,
    /// The resource type, "image" unless the provider says otherwise.
    #[serde(
        rename = "type",
        default = "lenient::default_kind",
        deserialize_with = "lenient::kind"
    )]
    pub kind: String,
    /// Width in pixels, if reported.
    #[serde(default, deserialize_with = "lenient::opt_u32")]
    pub width: Option<u32>,
    /// Height in pixels, if reported.
    #[serde(default, deserialize_with = "lenient::opt_u32")]
    pub height: Option<u32>,
    /// "jpeg" or "png", if reported.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub format: Option<String>,
}

impl Resource {
    /// An image output with all fields reported (what the mock writes).
    pub fn image(url: impl Into<String>, width: u32, height: u32, format: OutputFormat) -> Self {
        Resource {
            url: url.into(),
            kind: lenient::default_kind(),
            width: Some(width),
            height: Some(height),
            format: Some(format.as_str().to_owned()),
        }
    }
}

/// `data.result` of a successful task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TaskResult {
    /// The outputs.
    #[serde(default)]
    pub resources: Vec<Resource>,
}

/// `data` of a task answer.
///
/// Deserializing this directly fails if a resource has no `url`; the app reads
/// task answers with [`crate::answer::read_task_answer`], which skips such
/// resources one by one instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskData {
    /// Where the task is.
    pub status: TaskStatus,
    /// The task's id.
    #[serde(default)]
    pub task_id: String,
    /// The model's id.
    #[serde(default)]
    pub model_id: String,
    /// The outputs, on success (written as `null` otherwise).
    #[serde(default)]
    pub result: Option<TaskResult>,
    /// A failure reason: a string, or an object with `message`.
    #[serde(
        default,
        deserialize_with = "lenient::opt_value",
        skip_serializing_if = "Option::is_none"
    )]
    pub error: Option<Value>,
    /// Another place a failure reason may be.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}

impl TaskData {
    /// A task in `status` with no result yet.
    pub fn in_progress(task_id: &str, status: TaskStatus) -> TaskData {
        TaskData {
            status,
            task_id: task_id.to_owned(),
            model_id: MODEL_ID.to_owned(),
            result: None,
            error: None,
            message: None,
        }
    }

    /// A successful task with its outputs.
    pub fn succeeded(task_id: &str, resources: Vec<Resource>) -> TaskData {
        TaskData {
            result: Some(TaskResult { resources }),
            ..Self::in_progress(task_id, TaskStatus::Success)
        }
    }

    /// A failed task, its reason under `data.error` as a string.
    pub fn failed(task_id: &str, reason: &str) -> TaskData {
        TaskData {
            error: Some(Value::String(reason.to_owned())),
            ..Self::in_progress(task_id, TaskStatus::Failed)
        }
    }
}
