//! Turning an HTTP answer (status + body bytes) into what the app acts on.
//!
//! Nothing here trusts the network: a non-JSON body, JSON of another shape, an
//! error envelope under HTTP 200, a missing field, an unknown status, or a result
//! URL that is not a plain http(s) address all become values the app can show,
//! never a panic. Result URLs are vetted with [`crate::url::is_http_url`] before
//! the app may render or link them; refused ones are reported in
//! [`TaskReport::skipped`] so the app can say how many were left out.
//!
//! Task statuses the contract does not list: obvious synonyms of the four it does
//! are read as those (`queued`, `running`, `succeeded`, `completed`, `error`, ...);
//! a status that plainly ends a task without results (`cancelled`, `canceled`,
//! `expired`, ...) ends it as [`TaskState::Ended`], named as the API named it; any
//! other is [`TaskState::Unlisted`]: still followed (the app polls on until its own
//! deadline rather than giving up on a status it merely does not know), and shown
//! by its name.

mod error;
mod retry;
#[cfg(test)]
mod tests;

pub use error::{ApiError, ErrorKind, MAX_ERROR_MESSAGE_CHARS};
pub use retry::{
    BACKOFF_BASE_MS, BACKOFF_MAX_MS, MAX_RATE_LIMIT_WAIT_SECS, Operation, READ_RETRIES_ON_INTERNAL,
    READ_RETRIES_ON_TRANSPORT, RetryPolicy, backoff_delay_ms, parse_rate_limit_reset,
};

use serde_json::{Map, Value};

use crate::response::{Resource, SUCCESS_MESSAGE, SubmitData, TaskStatus, is_valid_task_id};
use crate::text::truncate_chars;
use crate::url::{UrlError, parse_http_url};

/// The reason shown when a failed task gives none.
pub const FALLBACK_FAILURE_REASON: &str = "The task failed without a reason.";

/// A submit the service accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedTask {
    /// The id to poll (checked with [`is_valid_task_id`]).
    pub task_id: String,
    /// Usually pending.
    pub status: TaskStatus,
    /// The model's id as reported.
    pub model_id: String,
}

/// Where a task is, as the app needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskState {
    /// Queued.
    Pending,
    /// Generating.
    Processing,
    /// Done: the outputs whose URLs are safe to use.
    Succeeded(Vec<Resource>),
    /// Done without outputs.
    Failed {
        /// Why, as reported (or [`FALLBACK_FAILURE_REASON`]).
        reason: String,
    },
    /// Ended without outputs in a status the contract does not list but that plainly
    /// ends a task ([`ENDING_STATUSES`]).
    Ended {
        /// The status exactly as reported (`"cancelled"`).
        status: String,
        /// Why, when the answer says.
        reason: Option<String>,
    },
    /// A status the contract does not list and that does not plainly end the task:
    /// still followed.
    Unlisted {
        /// The status exactly as reported.
        status: String,
    },
}

impl TaskState {
    /// True once polling should stop.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Succeeded(_) | Self::Failed { .. } | Self::Ended { .. }
        )
    }
}

/// Statuses the contract does not list that end a task without results (compared
/// without case): Modellix's own tools know `cancelled`.
pub const ENDING_STATUSES: [&str; 6] = [
    "cancelled",
    "canceled",
    "expired",
    "timeout",
    "timed_out",
    "rejected",
];

/// Why an output was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Its URL is not a plain http(s) address.
    UnsafeUrl(UrlError),
    /// It is not an object with a string `url`.
    Malformed,
}

/// An output left out of [`TaskState::Succeeded`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedResource {
    /// Its 0-based position in `data.result.resources`.
    pub index: usize,
    /// Why.
    pub reason: SkipReason,
}

/// A task answer in full: the state plus what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    /// The state.
    pub state: TaskState,
    /// The status exactly as reported.
    pub status: TaskStatus,
    /// The task id as reported (may be empty).
    pub task_id: String,
    /// Outputs left out, with reasons.
    pub skipped: Vec<SkippedResource>,
}

/// Reads the answer to a submit.
pub fn parse_submit_answer(http_status: u16, body: &[u8]) -> Result<SubmittedTask, ApiError> {
    let (data, _) = open_envelope(http_status, body)?;
    let data: SubmitData = serde_json::from_value(Value::Object(data)).map_err(|_| {
        ApiError::malformed(
            Some(http_status),
            "the submit answer does not have the documented fields.",
        )
    })?;
    if !is_valid_task_id(&data.task_id) {
        return Err(ApiError::malformed(
            Some(http_status),
            "the submit answer carries no usable task id.",
        ));
    }
    Ok(SubmittedTask {
        task_id: data.task_id,
        status: data.status,
        model_id: data.model_id,
    })
}

/// Reads the answer to a task query.
pub fn parse_task_answer(http_status: u16, body: &[u8]) -> Result<TaskState, ApiError> {
    read_task_answer(http_status, body).map(|report| report.state)
}

/// Reads the answer to a task query, keeping what was skipped.
pub fn read_task_answer(http_status: u16, body: &[u8]) -> Result<TaskReport, ApiError> {
    let (mut data, envelope_message) = open_envelope(http_status, body)?;
    let status = match data.get("status") {
        Some(Value::String(text)) => TaskStatus::parse(text),
        _ => {
            return Err(ApiError::malformed(
                Some(http_status),
                "the task answer has no status.",
            ));
        }
    };
    let task_id = match data.get("task_id") {
        Some(Value::String(id)) => id.clone(),
        _ => String::new(),
    };
    let mut skipped = Vec::new();
    let state = match normalise(&status) {
        Reading::Listed(TaskStatus::Pending) => TaskState::Pending,
        Reading::Listed(TaskStatus::Success) => {
            let resources = take_resources(data.remove("result"), &mut skipped);
            TaskState::Succeeded(resources)
        }
        Reading::Listed(TaskStatus::Failed) => TaskState::Failed {
            reason: failure_reason(&data, envelope_message.as_deref())
                .unwrap_or_else(|| FALLBACK_FAILURE_REASON.to_owned()),
        },
        Reading::Listed(TaskStatus::Processing) => TaskState::Processing,
        Reading::Ending => TaskState::Ended {
            status: truncate_chars(status.as_str(), MAX_STATUS_CHARS),
            reason: failure_reason(&data, envelope_message.as_deref()),
        },
        Reading::Listed(TaskStatus::Unknown(_)) | Reading::Unlisted => TaskState::Unlisted {
            status: truncate_chars(status.as_str(), MAX_STATUS_CHARS),
        },
    };
    Ok(TaskReport {
        state,
        status,
        task_id,
        skipped,
    })
}

/// The longest status name kept from the network (characters).
const MAX_STATUS_CHARS: usize = 40;

/// What a reported status means.
enum Reading {
    /// One of the contract's four, or an obvious synonym of one.
    Listed(TaskStatus),
    /// One of [`ENDING_STATUSES`].
    Ending,
    /// Anything else.
    Unlisted,
}

/// Reads a status, mapping obvious synonyms onto the four documented ones.
fn normalise(status: &TaskStatus) -> Reading {
    let TaskStatus::Unknown(text) = status else {
        return Reading::Listed(status.clone());
    };
    let lower = text.trim().to_ascii_lowercase();
    if ENDING_STATUSES.contains(&lower.as_str()) {
        return Reading::Ending;
    }
    Reading::Listed(match lower.as_str() {
        "pending" | "queued" | "queueing" | "waiting" | "submitted" | "created" => {
            TaskStatus::Pending
        }
        "processing" | "running" | "in_progress" | "generating" | "started" => {
            TaskStatus::Processing
        }
        "succeeded" | "success" | "completed" | "complete" => TaskStatus::Success,
        "failed" | "failure" | "error" => TaskStatus::Failed,
        _ => return Reading::Unlisted,
    })
}

/// Checks the status, the envelope's code, and returns `data` (an object) and the
/// envelope's `message`.
fn open_envelope(
    http_status: u16,
    body: &[u8],
) -> Result<(Map<String, Value>, Option<String>), ApiError> {
    if !(200..300).contains(&http_status) {
        return Err(ApiError::from_http(http_status, body));
    }
    let status = Some(http_status);
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| ApiError::malformed(status, "the service's answer is not JSON."))?;
    let Value::Object(mut envelope) = value else {
        return Err(ApiError::malformed(
            status,
            "the service's answer is not a JSON object.",
        ));
    };
    let code = envelope
        .get("code")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::malformed(status, "the service's answer has no code."))?;
    let message = match envelope.get("message") {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        _ => None,
    };
    if code != 0 {
        let kind = ErrorKind::from_code(code);
        let text = message.unwrap_or_else(|| kind.default_message().to_owned());
        return Err(ApiError::from_envelope(status, code, &text));
    }
    match envelope.remove("data") {
        Some(Value::Object(data)) => Ok((data, message)),
        _ => Err(ApiError::malformed(
            status,
            "the service's answer has no data.",
        )),
    }
}

/// The safe outputs of `data.result.resources`; the rest go to `skipped`.
fn take_resources(result: Option<Value>, skipped: &mut Vec<SkippedResource>) -> Vec<Resource> {
    let items = match result {
        Some(Value::Object(mut result)) => match result.remove("resources") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let mut resources = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<Resource>(item) {
            Err(_) => skipped.push(SkippedResource {
                index,
                reason: SkipReason::Malformed,
            }),
            Ok(resource) => match parse_http_url(&resource.url) {
                Ok(_) => resources.push(resource),
                Err(error) => skipped.push(SkippedResource {
                    index,
                    reason: SkipReason::UnsafeUrl(error),
                }),
            },
        }
    }
    resources
}

/// The failure reason: `data.error` (a string, or an object's `message`), then
/// `data.message`, then the envelope's `message`, skipping empty texts and the
/// envelope's routine "success".
fn failure_reason(data: &Map<String, Value>, envelope_message: Option<&str>) -> Option<String> {
    let from_error = match data.get("error") {
        Some(Value::String(text)) => Some(text.as_str()),
        Some(Value::Object(error)) => error.get("message").and_then(Value::as_str),
        _ => None,
    };
    let from_message = data.get("message").and_then(Value::as_str);
    [from_error, from_message, envelope_message]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|text| !text.is_empty() && !text.eq_ignore_ascii_case(SUCCESS_MESSAGE))
        .map(|text| truncate_chars(text, MAX_ERROR_MESSAGE_CHARS))
}
