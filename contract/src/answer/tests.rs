//! The envelope's own code against the HTTP status, and statuses the contract does
//! not list.

use super::*;

fn task_answer(status: &str, extra: &str) -> Vec<u8> {
    format!(r#"{{"code":0,"message":"success","data":{{"status":"{status}","task_id":"task-1"{extra}}}}}"#)
        .into_bytes()
}

#[test]
fn an_error_code_inside_a_success_status_is_the_errors_code() {
    let body =
        br#"{"code": 400, "message": "Invalid parameter: prompt contains sensitive content"}"#;
    let error = parse_submit_answer(200, body).unwrap_err();
    assert_eq!(error.status, Some(200));
    assert_eq!(error.code, Some(400));
    assert_eq!(error.code(), Some(400));
    assert_eq!(error.kind, ErrorKind::InvalidParameters);
    assert_eq!(
        error.message,
        "Invalid parameter: prompt contains sensitive content"
    );
}

#[test]
fn a_code_no_kind_names_is_kept_and_the_status_gives_the_kind() {
    let body = br#"{"code": 10031, "message": "Quota: daily limit reached"}"#;
    let error = ApiError::from_http(429, body);
    assert_eq!(error.code, Some(10031));
    assert_eq!(error.code(), Some(10031));
    assert_eq!(error.kind, ErrorKind::RateLimited);
    let error = parse_submit_answer(200, body).unwrap_err();
    assert_eq!(
        (error.code, error.kind),
        (Some(10031), ErrorKind::OtherStatus)
    );
}

#[test]
fn without_an_envelope_code_the_http_status_decides() {
    let error = ApiError::from_http(503, b"<html>down</html>");
    assert_eq!((error.code, error.code()), (None, Some(503)));
    assert_eq!(error.kind, ErrorKind::Unavailable);
    let error = ApiError::from_http(403, br#"{"code": 403}"#);
    assert_eq!(error.kind, ErrorKind::Forbidden);
    assert_eq!(error.message, ErrorKind::Forbidden.default_message());
    // A zero code is the success code, not an error's: the status speaks.
    let error = ApiError::from_http(
        401,
        br#"{"code": 0, "message": "Authentication failed: no key"}"#,
    );
    assert_eq!(
        (error.code(), error.kind),
        (Some(401), ErrorKind::Unauthorized)
    );
}

#[test]
fn the_envelopes_code_wins_over_a_disagreeing_status() {
    let error = ApiError::from_http(
        500,
        br#"{"code": 402, "message": "Insufficient balance: top up"}"#,
    );
    assert_eq!(
        (error.code(), error.kind),
        (Some(402), ErrorKind::InsufficientBalance)
    );
    assert_eq!(ErrorKind::from_code(403), ErrorKind::Forbidden);
    assert_eq!(ErrorKind::Forbidden.status_code(), Some(403));
}

#[test]
fn errors_saved_before_the_code_existed_read_without_one() {
    let saved = r#"{"status":400,"kind":"invalid_parameters","message":"Invalid parameters: x"}"#;
    let error: ApiError = serde_json::from_str(saved).unwrap();
    assert_eq!((error.code, error.code()), (None, Some(400)));
    // And a new one writes no code it does not have.
    assert_eq!(serde_json::to_string(&error).unwrap(), saved);
}

#[test]
fn plainly_final_unlisted_statuses_end_the_task_named_as_given() {
    for status in [
        "cancelled",
        "canceled",
        "expired",
        "Cancelled",
        "EXPIRED",
        "timeout",
    ] {
        let state = parse_task_answer(200, &task_answer(status, "")).unwrap();
        assert_eq!(
            state,
            TaskState::Ended {
                status: status.to_owned(),
                reason: None
            }
        );
        assert!(state.is_terminal(), "{status}");
    }
    let with_reason = task_answer(
        "cancelled",
        r#","error":{"message":"Cancelled by the user"}"#,
    );
    assert_eq!(
        parse_task_answer(200, &with_reason).unwrap(),
        TaskState::Ended {
            status: "cancelled".into(),
            reason: Some("Cancelled by the user".into())
        }
    );
}

#[test]
fn other_unlisted_statuses_are_followed_and_named() {
    for status in ["upscaling", "moderating", "paused"] {
        let state = parse_task_answer(200, &task_answer(status, "")).unwrap();
        assert_eq!(
            state,
            TaskState::Unlisted {
                status: status.to_owned()
            }
        );
        assert!(!state.is_terminal());
    }
    let long = "x".repeat(100);
    let TaskState::Unlisted { status } = parse_task_answer(200, &task_answer(&long, "")).unwrap()
    else {
        panic!("an unknown status is followed");
    };
    // Shortened, with an ellipsis, so a hostile status cannot flood the card.
    assert_eq!(status, format!("{}…", "x".repeat(40)));
}

#[test]
fn synonyms_of_listed_statuses_read_as_those() {
    let cases = [
        ("queued", TaskState::Pending),
        ("running", TaskState::Processing),
        ("in_progress", TaskState::Processing),
        ("completed", TaskState::Succeeded(vec![])),
        (
            "error",
            TaskState::Failed {
                reason: FALLBACK_FAILURE_REASON.into(),
            },
        ),
    ];
    for (status, expected) in cases {
        assert_eq!(
            parse_task_answer(200, &task_answer(status, "")).unwrap(),
            expected,
            "{status}"
        );
    }
}
