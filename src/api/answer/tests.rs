//! The answer mapping, natively: every status and body a submit, a task query or a
//! connection check can get, built by hand. (The fetches themselves, to an address
//! that refuses connections and to the test runner's own server, are browser tests.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use seedream_contract::{ApiError, ErrorKind, Operation, RetryPolicy, TaskState, TaskStatus};

use super::*;
use crate::i18n::Locale;

const NOW: u64 = 1_750_000_000;

const SUBMITTED: &str = r#"{"code":0,"message":"success","data":{"status":"pending",
 "task_id":"task-abc123","model_id":"bytedance/seedream-5.0-lite-edit",
 "get_result":{"method":"GET","url":"https://api.modellix.ai/api/v1/tasks/task-abc123"}}}"#;

fn error_body(status: u16, message: &str) -> String {
    format!(r#"{{"code":{status},"message":"{message}"}}"#)
}

fn rejected(status: u16, message: &str) -> ApiError {
    match submit_outcome(&HttpAnswer::new(status, error_body(status, message)), 0) {
        Err(SubmitError::Rejected(error)) => error,
        other => panic!("{status}: expected Rejected, got {other:?}"),
    }
}

#[test]
fn submit_answers_give_the_task_id_or_a_rejection() {
    let task = submit_outcome(&HttpAnswer::new(200, SUBMITTED), 0).expect("accepted");
    assert_eq!(task.task_id, "task-abc123");
    assert_eq!(task.status, TaskStatus::Pending);
    let error = rejected(400, "Invalid parameters: parameter 'prompt' is required");
    assert_eq!(error.kind, ErrorKind::InvalidParameters);
    assert_eq!(error.detail(), "parameter 'prompt' is required");
    for (status, kind) in [
        (401, ErrorKind::Unauthorized),
        (402, ErrorKind::InsufficientBalance),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Internal),
        (503, ErrorKind::Unavailable),
    ] {
        let error = rejected(status, "Some category: some detail");
        assert_eq!((error.status, error.kind), (Some(status), kind));
        let submit = if status == 429 {
            RetryPolicy::WithBackoff { max_attempts: None }
        } else {
            RetryPolicy::Never
        };
        assert_eq!(error.retry(Operation::Submit), submit);
    }
    // An error envelope under HTTP 200 is still a rejection.
    let answer = HttpAnswer::new(200, error_body(401, "Authentication failed: expired"));
    assert!(matches!(
        submit_outcome(&answer, 0),
        Err(SubmitError::Rejected(e)) if e.kind == ErrorKind::Unauthorized
    ));
}

#[test]
fn a_refused_submit_keeps_the_wait_its_429_gave() {
    const NOW: u64 = 1_750_000_000;
    let answer = |reset: Option<&str>, retry_after: Option<&str>| HttpAnswer {
        status: 429,
        rate_limit_reset: reset.map(str::to_owned),
        retry_after: retry_after.map(str::to_owned),
        body: error_body(429, "Rate limited: too many tasks").into_bytes(),
    };
    let wait = |answer: &HttpAnswer| match submit_outcome(answer, NOW) {
        Err(SubmitError::Rejected(error)) => error.wait_secs,
        other => panic!("expected a rejection, got {other:?}"),
    };
    assert_eq!(wait(&answer(Some("7"), None)), Some(7), "seconds to wait");
    assert_eq!(
        wait(&answer(Some("1750000012"), None)),
        Some(12),
        "a reset time"
    );
    assert_eq!(wait(&answer(None, Some("3"))), Some(3), "Retry-After");
    assert_eq!(wait(&answer(None, None)), None, "no time given: a backoff");
    // Only a 429 carries a wait: another refusal is not retried at all.
    let other = HttpAnswer {
        status: 402,
        rate_limit_reset: Some("7".to_owned()),
        retry_after: None,
        body: error_body(402, "Insufficient balance: top up").into_bytes(),
    };
    assert_eq!(wait(&other), None);
}

#[test]
fn unreadable_submit_answers_leave_the_outcome_unknown() {
    // A success status whose answer cannot be read: the task may exist.
    for body in [
        "<html>gateway</html>",
        r#"{"code":0,"message":"succ"#,
        r#"{"whatever":true}"#,
        r#"{"code":0,"data":{"status":"pending"}}"#,
    ] {
        assert_eq!(
            submit_outcome(&HttpAnswer::new(200, body), 0),
            Err(SubmitError::OutcomeUnknown(Unknown::Unreadable)),
            "{body}"
        );
    }
    // A gateway that lost the forwarded call, with or without the envelope.
    for (status, body) in [
        (
            504,
            error_body(504, "Gateway timeout: the API did not answer in time"),
        ),
        (502, "Bad gateway".to_owned()),
    ] {
        match submit_outcome(&HttpAnswer::new(status, body), 0) {
            Err(SubmitError::OutcomeUnknown(Unknown::Gateway { status: s, error })) => {
                assert_eq!((s, error.status), (status, Some(status)));
            }
            other => panic!("{status}: expected a gateway's unknown outcome, got {other:?}"),
        }
    }
}

#[test]
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

#[test]
fn task_errors_carry_the_retry_policy_and_reset_wait() {
    let never = RetryPolicy::Never;
    let unlimited = RetryPolicy::WithBackoff { max_attempts: None };
    let three = RetryPolicy::WithBackoff {
        max_attempts: Some(3),
    };
    let answer = |status| HttpAnswer::new(status, error_body(status, "Category: detail"));
    for (status, expected) in [
        (400, (ErrorKind::InvalidParameters, None, never)),
        (401, (ErrorKind::Unauthorized, None, never)),
        (402, (ErrorKind::InsufficientBalance, None, never)),
        (403, (ErrorKind::Forbidden, None, never)),
        (404, (ErrorKind::NotFound, None, never)),
        (429, (ErrorKind::RateLimited, None, unlimited)),
        (500, (ErrorKind::Internal, None, three)),
        (503, (ErrorKind::Unavailable, None, unlimited)),
        (504, (ErrorKind::OtherStatus, None, three)),
        (418, (ErrorKind::OtherStatus, None, never)),
    ] {
        assert_eq!(read_error(&answer(status)), expected, "HTTP {status}");
    }

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

#[test]
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
        Err(error) => assert_eq!(
            error.describe(Locale::en),
            "Internal error: the service failed."
        ),
        Ok(report) => panic!("{report:?}"),
    }
}

#[test]
fn connection_outcomes_name_the_problem() {
    let key = |status, body: &str| connection_outcome(&HttpAnswer::new(status, body), true);
    // The API's own 404 for a task that cannot exist: connected.
    assert_eq!(
        key(404, &error_body(404, "Not found: no such task")),
        Ok(())
    );
    assert_eq!(
        key(404, "<h1>Not Found</h1>"),
        Err(ConnectionProblem::NotTheApi { status: 404 })
    );
    assert_eq!(
        key(200, "<!doctype html><html>"),
        Err(ConnectionProblem::NotTheApi { status: 200 })
    );
    let refused = key(401, &error_body(401, "Authentication failed: invalid key"));
    assert!(
        matches!(
            refused,
            Err(ConnectionProblem::KeyRefused { key_sent: true, ref error })
                if error.kind == ErrorKind::Unauthorized
        ),
        "{refused:?}"
    );
    let missing = connection_outcome(
        &HttpAnswer::new(401, error_body(401, "Authentication failed: missing key")),
        false,
    );
    assert!(
        matches!(
            missing,
            Err(ConnectionProblem::KeyRefused {
                key_sent: false,
                ..
            })
        ),
        "{missing:?}"
    );
    let busy = key(503, &error_body(503, "Service unavailable: maintenance"));
    assert!(
        matches!(busy, Err(ConnectionProblem::Unexpected(ref e)) if e.kind == ErrorKind::Unavailable),
        "{busy:?}"
    );
    // What each says is in `messages/tests.rs`; here, that the API's words are kept.
    assert_eq!(
        busy.map_err(|problem| problem.describe(Locale::en)),
        Err("The API answered with an error: Service unavailable: maintenance.".to_owned())
    );
    assert_eq!(
        connection_outcome(&HttpAnswer::new(200, "[1]"), true),
        Err(ConnectionProblem::NotTheApi { status: 200 }),
        "not the envelope"
    );
}
