//! The task history in a real browser: localStorage round trips, damage, caps, quota,
//! expiry and the session's input cache. Helpers live here; the tests in `history/`.
#![cfg(target_arch = "wasm32")]

use seedream_contract::{
    ApiError, EditRequest, ErrorKind, OutputFormat, Resource, SequentialMode, TaskState,
};
use seedream_studio::api::{NotSent, ReadError, SubmitError, Unknown};
use seedream_studio::history::{
    EditAgain, HistoryStore, InputCache, InputRecord, MAX_RECORDS, RESULT_TTL_MS, RecordState,
    ResultRecord, STORAGE_KEY, StorageProblem, TaskRecord, inputs, list, parse_history,
};
use seedream_studio::i18n::Locale;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

/// A 1x1 PNG as a data URI (valid for the contract's image check).
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const T0: f64 = 1_700_000_000_000.0;
const HOUR: f64 = 3_600_000.0;

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage in the test browser")
}

/// Tests in one binary share a page, so each storage test starts from nothing.
fn fresh() -> HistoryStore {
    storage().clear().expect("clear localStorage");
    HistoryStore::new()
}

fn raw() -> String {
    storage()
        .get_item(STORAGE_KEY)
        .expect("getItem")
        .expect("a stored history")
}

/// A submit the API refused with `status`, saying `message`.
fn rejected(message: &str, status: u16) -> RecordState {
    RecordState::NotAccepted(SubmitError::Rejected(ApiError {
        status: Some(status),
        kind: ErrorKind::from_code(i64::from(status)),
        message: message.to_owned(),
    }))
}

/// A submit whose outcome is unknown.
fn outcome_unknown() -> RecordState {
    RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable))
}

/// Following stopped after a query failed, saying `message`.
fn gave_up(message: &str) -> RecordState {
    RecordState::GaveUp(ReadError::Api {
        error: ApiError {
            status: Some(500),
            kind: ErrorKind::Internal,
            message: message.to_owned(),
        },
        reset_wait_secs: None,
    })
}

fn result(n: usize) -> ResultRecord {
    ResultRecord {
        url: format!("https://cdn.example.com/out/{n}.jpeg"),
        width: Some(2048),
        height: Some(2048),
        format: Some("jpeg".to_owned()),
    }
}

fn record(n: usize, state: RecordState) -> TaskRecord {
    let finished = state.is_final().then_some(T0 + n as f64 * 1000.0 + 500.0);
    TaskRecord {
        id: format!("local-{n}"),
        task_id: Some(format!("task-{n}")),
        prompt: format!("Make picture {n} a watercolour"),
        inputs: vec![InputRecord::from_reference(
            0,
            &format!("https://img.example.com/{n}.png"),
        )],
        size: "2048x2048".to_owned(),
        sequential: SequentialMode::Disabled,
        max_images: 15,
        output_format: OutputFormat::Jpeg,
        submitted_at_ms: T0 + n as f64 * 1000.0,
        finished_at_ms: finished,
        updated_at_ms: None,
        state,
    }
}

fn done(n: usize, results: usize) -> TaskRecord {
    record(
        n,
        RecordState::Done {
            results: (0..results).map(|r| result(n * 10 + r)).collect(),
            skipped: 0,
        },
    )
}

// The crate root is this file, so the modules' paths are spelled out.
#[path = "history/cache.rs"]
mod cache;
#[path = "history/quota.rs"]
mod quota;
#[path = "history/records.rs"]
mod records;
#[path = "history/storage.rs"]
mod storage;
