//! The API client: submits an edit and queries a task on the configured base, with the
//! key in a header only.
//!
//! Three layers, so the rules stay testable without a network:
//! - [`ApiConfig`] builds URLs (`{base}{SUBMIT_PATH}`, `{base}{task_path(id)}`) and
//!   the `Authorization` header;
//! - `transport` (private) does the fetch, with a timeout and abort;
//! - [`answer`] maps `(status, headers, body)` to results, purely, using the
//!   contract's classification.
//!
//! Errors are typed (`errors`) and described in the user's language (`messages`).
//!
//! Nothing is logged: requests carry the key, and answers may carry user content.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod answer;
pub mod body;
mod config;
mod errors;
mod messages;
mod transport;

use std::time::Duration;

use seedream_contract::{SubmittedTask, TaskReport, is_valid_task_id};

pub use answer::{HttpAnswer, connection_outcome, read_outcome, submit_outcome};
pub use body::{BodyError, SubmitBody};
pub use config::{ApiConfig, ConfigError, MAX_KEY_BYTES, Target};
pub use errors::{ConnectionProblem, NoAnswer, NotSent, ReadError, Silence, SubmitError, Unknown};
pub use messages::describe_api_error;

use transport::{Call, Failure};

/// How long a task query may take before it counts as no answer.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a submit may take: uploads of up to 14 large images are slow, and the
/// proxy gives up on the upstream after 5 minutes with a clearer 504, so this is longer.
pub const SUBMIT_TIMEOUT: Duration = Duration::from_secs(6 * 60);
/// The task id [`check_connection`] asks for: well-formed, so a proxy forwards it,
/// and never issued, so the API answers 404.
pub const CONNECTION_CHECK_TASK_ID: &str = "task-connection-check";

/// Submits an edit whose body [`body::write`] wrote. Never retried here or
/// anywhere: a submit is paid.
pub async fn submit(config: &ApiConfig, body: &SubmitBody) -> Result<SubmittedTask, SubmitError> {
    let url = config
        .submit_url()
        .map_err(|error| SubmitError::Invalid(NotSent::Config(error)))?;
    let call = Call {
        url: &url,
        authorization: config.authorization_header(),
        json_body: Some(body.blob()),
        timeout: SUBMIT_TIMEOUT,
    };
    match transport::exchange(call).await {
        Ok(answer) => submit_outcome(&answer, now_unix_secs()),
        Err(Failure::Build) => Err(SubmitError::Invalid(NotSent::Unbuildable)),
        Err(failure) => Err(SubmitError::OutcomeUnknown(Unknown::NoAnswer(no_answer(
            config, &failure,
        )))),
    }
}

/// Queries a task once. The caller (the poller) decides about retries with
/// [`ReadError::retry_policy`].
pub async fn query(config: &ApiConfig, task_id: &str) -> Result<TaskReport, ReadError> {
    let answer = get_task(config, task_id).await?;
    read_outcome(&answer, now_unix_secs())
}

/// Checks the address and key by asking for a task that cannot exist.
pub async fn check_connection(config: &ApiConfig) -> Result<(), ConnectionProblem> {
    match get_task(config, CONNECTION_CHECK_TASK_ID).await {
        Ok(answer) => connection_outcome(&answer, config.authorization_header().is_some()),
        Err(ReadError::NoAnswer(no_answer)) => Err(ConnectionProblem::Unreachable(no_answer)),
        Err(ReadError::Invalid(reason)) => Err(ConnectionProblem::Invalid(reason)),
        Err(ReadError::Api { error, .. }) => Err(ConnectionProblem::Unexpected(error)),
    }
}

/// `GET {base}{task_path(id)}`, with the read timeout.
async fn get_task(config: &ApiConfig, task_id: &str) -> Result<HttpAnswer, ReadError> {
    if !is_valid_task_id(task_id) {
        return Err(ReadError::Invalid(NotSent::TaskId));
    }
    let url = config
        .task_url(task_id)
        .map_err(|error| ReadError::Invalid(NotSent::Config(error)))?;
    let call = Call {
        url: &url,
        authorization: config.authorization_header(),
        json_body: None,
        timeout: READ_TIMEOUT,
    };
    transport::exchange(call)
        .await
        .map_err(|failure| match failure {
            Failure::Build => ReadError::Invalid(NotSent::Unbuildable),
            other => ReadError::NoAnswer(no_answer(config, &other)),
        })
}

/// A call without an answer, as the messages describe it.
fn no_answer(config: &ApiConfig, failure: &Failure) -> NoAnswer {
    let cause = match failure {
        Failure::TimedOut(limit) => Silence::TimedOut {
            limit_secs: limit.as_secs(),
        },
        Failure::CutOff(status) => Silence::CutOff { status: *status },
        // `Build` is handled before this; as no answer it would still be true.
        Failure::NoAnswer | Failure::Build => Silence::Unreachable,
    };
    NoAnswer {
        target: config.target(),
        cause,
    }
}

/// Seconds since the Unix epoch, to turn an absolute rate-limit reset into a wait.
fn now_unix_secs() -> u64 {
    // A negative or NaN clock (never in practice) saturates to 0: resets read as waits.
    (js_sys::Date::now() / 1000.0) as u64
}
