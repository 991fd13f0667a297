//! The client's real fetches: to an address that refuses connections, and to the test
//! runner's own server, which answers but is not the API. (The answer mapping, the
//! configuration, the URLs and every message are pure: native unit tests beside them,
//! `src/api/*/tests.rs`.)

use seedream_contract::{EditRequest, Operation, RetryPolicy, UrlError};
use seedream_studio::api::{
    ApiConfig, ConfigError, ConnectionProblem, NoAnswer, NotSent, ReadError, Silence, SubmitError,
    Target, Unknown, body, check_connection, query, submit,
};
use seedream_studio::media::Source;
use wasm_bindgen_test::wasm_bindgen_test;

/// Nothing listens on port 9: every call fails before any answer.
fn refusing() -> ApiConfig {
    ApiConfig::new("http://127.0.0.1:9/", Some("sk-secret-123"))
}

/// What a call to [`refusing`] gets: no answer from that address (said, with the
/// proxy hint and without the key, as `src/api/messages/tests.rs` checks).
fn refused() -> NoAnswer {
    NoAnswer {
        target: Target::Address("http://127.0.0.1:9".to_owned()),
        cause: Silence::Unreachable,
    }
}

#[wasm_bindgen_test]
async fn a_query_without_answer_is_no_answer_to_be_retried() {
    let error = query(&refusing(), "task-abc123").await;
    assert_eq!(error, Err(ReadError::NoAnswer(refused())));
    assert_eq!(
        error.map_err(|e| e.retry_policy()),
        Err(RetryPolicy::transport_error(Operation::Read))
    );
    // Ids the API never issues are refused before any call.
    for id in ["", "..", "a/b", "x y"] {
        assert_eq!(
            query(&refusing(), id).await,
            Err(ReadError::Invalid(NotSent::TaskId)),
            "{id:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_submit_without_answer_leaves_the_outcome_unknown() {
    let request = EditRequest::new(
        "make it blue",
        vec![Source::Url("https://example.com/a.png".into())],
    );
    let request = body::write(&request).await.expect("a body");
    assert_eq!(
        submit(&refusing(), &request).await,
        Err(SubmitError::OutcomeUnknown(Unknown::NoAnswer(refused())))
    );
    let bad = ApiConfig::new("ftp://x.example", None);
    assert_eq!(
        submit(&bad, &request).await,
        Err(SubmitError::Invalid(NotSent::Config(ConfigError::Base(
            UrlError::UnsupportedScheme {
                scheme: "ftp".to_owned()
            }
        ))))
    );
}

#[wasm_bindgen_test]
async fn a_connection_check_without_answer_is_unreachable() {
    assert_eq!(
        check_connection(&refusing()).await,
        Err(ConnectionProblem::Unreachable(refused()))
    );
    let bad = ApiConfig::new("https://x.example?q", None);
    assert_eq!(
        check_connection(&bad).await,
        Err(ConnectionProblem::Invalid(NotSent::Config(
            ConfigError::BaseQueryOrFragment
        )))
    );
}

#[wasm_bindgen_test]
async fn a_real_answer_is_read_the_test_server_is_not_the_api() {
    // The test runner's own server answers this same-origin path, but not as the API.
    let same = ApiConfig::same_origin();
    assert_eq!(
        check_connection(&same).await,
        Err(ConnectionProblem::NotTheApi { status: 404 })
    );
    match query(&same, "task-abc123").await {
        Err(ReadError::Api { error, .. }) => assert_eq!(error.status, Some(404)),
        other => panic!("expected a 404, got {other:?}"),
    }
}
