//! Retry classification for both operations, backoff and rate-limit resets.

use seedream_contract::answer::{
    BACKOFF_MAX_MS, MAX_RATE_LIMIT_WAIT_SECS, READ_RETRIES_ON_INTERNAL, backoff_delay_ms,
};
use seedream_contract::{
    ApiError, ErrorKind, Operation, RetryPolicy, parse_rate_limit_reset, parse_task_answer,
};

const NOW: u64 = 1_750_000_000;

fn error_for(status: u16) -> ApiError {
    parse_task_answer(status, b"").expect_err("error status")
}

const NEVER: RetryPolicy = RetryPolicy::Never;
const UNBOUNDED: RetryPolicy = RetryPolicy::WithBackoff { max_attempts: None };
const THREE: RetryPolicy = RetryPolicy::WithBackoff {
    max_attempts: Some(3),
};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn table_for_both_operations() {
    for (status, read) in [
        (400, NEVER),
        (401, NEVER),
        (402, NEVER),
        (404, NEVER),
        (429, UNBOUNDED),
        (500, THREE),
        (503, UNBOUNDED),
        (502, THREE),
        (504, THREE),
        (403, NEVER),
        (409, NEVER),
        (413, NEVER),
        (501, NEVER),
    ] {
        let error = error_for(status);
        assert_eq!(error.retry(Operation::Read), read, "read {status}");
        // A paid submit goes again only after a 429, which created nothing.
        let submit = if status == 429 { UNBOUNDED } else { NEVER };
        assert_eq!(error.retry(Operation::Submit), submit, "submit {status}");
    }
    let malformed = parse_task_answer(200, b"garbage").expect_err("malformed");
    assert_eq!(malformed.retry(Operation::Read), NEVER);
    assert_eq!(malformed.retry(Operation::Submit), NEVER);
    // An error envelope under HTTP 200 is classified by its code.
    let enveloped = parse_task_answer(200, br#"{"code":429,"message":"Rate limited: slow down"}"#)
        .expect_err("429");
    assert_eq!(enveloped.kind, ErrorKind::RateLimited);
    assert_eq!(enveloped.retry(Operation::Read), UNBOUNDED);
    assert_eq!(enveloped.retry(Operation::Submit), UNBOUNDED);
    assert_eq!(READ_RETRIES_ON_INTERNAL, 3);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn transport_errors() {
    assert_eq!(RetryPolicy::transport_error(Operation::Submit), NEVER);
    assert_eq!(RetryPolicy::transport_error(Operation::Read), THREE);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn allows_counts_retries() {
    assert!(!NEVER.allows(0));
    assert!(UNBOUNDED.allows(0));
    assert!(UNBOUNDED.allows(u32::MAX));
    assert!(THREE.allows(0));
    assert!(THREE.allows(2));
    assert!(!THREE.allows(3));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn backoff_grows_caps_and_honours_reset() {
    assert_eq!(backoff_delay_ms(0, None), 1_000);
    assert_eq!(backoff_delay_ms(1, None), 2_000);
    assert_eq!(backoff_delay_ms(2, None), 4_000);
    assert_eq!(backoff_delay_ms(10, None), BACKOFF_MAX_MS);
    assert_eq!(backoff_delay_ms(u32::MAX, None), BACKOFF_MAX_MS);
    assert_eq!(backoff_delay_ms(0, Some(45)), 45_000);
    assert_eq!(backoff_delay_ms(3, Some(2)), 8_000);
    assert_eq!(
        backoff_delay_ms(0, Some(u64::MAX)),
        MAX_RATE_LIMIT_WAIT_SECS * 1_000
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn rate_limit_reset_delta_seconds() {
    assert_eq!(parse_rate_limit_reset("30", NOW), Some(30));
    assert_eq!(parse_rate_limit_reset(" 30 ", NOW), Some(30));
    assert_eq!(parse_rate_limit_reset("0", NOW), Some(0));
    assert_eq!(parse_rate_limit_reset("1.2", NOW), Some(2));
    assert_eq!(parse_rate_limit_reset("1.0", NOW), Some(1));
    assert_eq!(parse_rate_limit_reset("3600", NOW), Some(3600));
    assert_eq!(parse_rate_limit_reset("3601", NOW), Some(3600));
    assert_eq!(parse_rate_limit_reset("999999999", NOW), Some(3600));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn rate_limit_reset_timestamps() {
    assert_eq!(
        parse_rate_limit_reset(&(NOW + 60).to_string(), NOW),
        Some(60)
    );
    assert_eq!(parse_rate_limit_reset(&NOW.to_string(), NOW), Some(0));
    assert_eq!(
        parse_rate_limit_reset(&(NOW - 100).to_string(), NOW),
        Some(0)
    );
    assert_eq!(parse_rate_limit_reset("1000000000", NOW), Some(0));
    assert_eq!(
        parse_rate_limit_reset(&(NOW + 86_400).to_string(), NOW),
        Some(3600)
    );
    // Milliseconds since the epoch.
    assert_eq!(
        parse_rate_limit_reset(&((NOW + 10) * 1000 + 1).to_string(), NOW),
        Some(11)
    );
    assert_eq!(
        parse_rate_limit_reset(&((NOW + 10) * 1000).to_string(), NOW),
        Some(10)
    );
    // Absurd values are capped, not trusted.
    assert_eq!(
        parse_rate_limit_reset("99999999999999999999999999", NOW),
        Some(3600)
    );
    assert_eq!(MAX_RATE_LIMIT_WAIT_SECS, 3600);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn rate_limit_reset_garbage() {
    for text in [
        "",
        " ",
        "abc",
        "-5",
        "+5",
        "5s",
        "1e3",
        "1.",
        ".5",
        "1.2.3",
        "0x10",
        "1 2",
        "３０",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "NaN",
        "inf",
        "5,000",
    ] {
        assert_eq!(parse_rate_limit_reset(text, NOW), None, "{text:?}");
    }
}
