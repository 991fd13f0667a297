//! The Modellix contract for Seedream 5.0 Lite Edit, every rule written once.
//!
//! Two programs share this crate so they can never disagree:
//!
//! - the **app** (Leptos, wasm) validates its form field by field with the same
//!   rules the service applies, builds an [`EditRequest`], and reads the
//!   service's answers with [`parse_submit_answer`] / [`parse_task_answer`],
//!   which classify errors ([`ApiError`], [`ErrorKind`]) and say whether to retry
//!   ([`RetryPolicy`]);
//! - the **server** (axum) mocks the API: it reads bodies with
//!   [`parse_submit_body`] (bounded by [`MAX_SUBMIT_BODY_BYTES`]), answers
//!   refusals with [`ValidationError::api_message`] in the documented error
//!   envelope, and success with [`Envelope::success`] around [`SubmitData`] or
//!   [`TaskData`]; as a proxy it uses the same paths and task-id checks.
//!
//! Data flow: form → [`EditRequest`] → JSON ([`EditRequest::json_frame`] around
//! the images) → `POST` [`SUBMIT_PATH`] →
//! [`parse_submit_body`] (mock) → `{"code":0,...,"data":{"task_id":...}}` →
//! [`parse_submit_answer`] → poll `GET` [`task_path`] → [`parse_task_answer`] →
//! [`TaskState::Succeeded`] with result URLs vetted by [`is_http_url`].
//!
//! No web dependencies and no panics on input: everything here runs in the
//! browser, where a panic would kill the app, and on a server facing arbitrary
//! bytes.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Input data must never panic the wasm app: these are enforced, not hoped for.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

pub mod answer;
pub mod format;
pub mod image;
pub mod prompt;
pub mod request;
pub mod response;
pub mod sequential;
pub mod served_by;
pub mod size;
pub mod text;
pub mod url;

pub use answer::{
    ApiError, ENDING_STATUSES, ErrorKind, Operation, RetryPolicy, SkipReason, SkippedResource,
    SubmittedTask, TaskReport, TaskState, backoff_delay_ms, parse_rate_limit_reset,
    parse_submit_answer, parse_task_answer, read_task_answer,
};
pub use format::{OptimizePromptMode, OutputFormat};
pub use image::{
    AsImageRef, ImageCountError, ImageError, ImageFormat, ImageRef, ImageSource, ImagesError,
    MAX_IMAGE_BYTES, MAX_IMAGES, MIN_IMAGES, check_image_bytes, check_local, validate_image,
    validate_image_count, validate_image_ref, validate_images,
};
pub use prompt::{PROMPT_MAX_CHARS, PromptError, prompt_char_count, validate_prompt};
pub use request::{
    EditRequest, Field, JsonFrame, MAX_SUBMIT_BODY_BYTES, ValidationError, parse_submit_body,
};
pub use response::{
    DEFAULT_BASE_URL, Envelope, ErrorEnvelope, GetResult, MODEL_ID, RESULT_TTL_SECS, Resource,
    SUBMIT_PATH, SubmitData, TASKS_PATH_PREFIX, TaskData, TaskResult, TaskStatus, is_valid_task_id,
    task_path,
};
pub use sequential::{
    DEFAULT_MAX_IMAGES, MAX_IMAGES_RANGE, MAX_TOTAL_IMAGES, SequentialError, SequentialMode,
    effective_max_outputs, max_images_limit,
};
pub use served_by::{SERVED_BY_HEADER, ServedBy};
pub use size::{
    DEFAULT_SIZE, MAX_PIXELS, MIN_PIXELS, RECOMMENDED, RecommendedSize, Size, SizeError,
    SizeParseError, nearest_valid_size,
};
pub use url::{HttpUrl, UrlError, is_http_url, parse_http_url};
