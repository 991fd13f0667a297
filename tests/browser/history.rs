//! The task history in a real browser: `localStorage` round trips, damage, the cap,
//! quota, new record ids, and what is stored of calls made with a key. Helpers live
//! here; the tests in `history/`. (The history's pure logic, records, the list,
//! vetting and the stored JSON, is tested natively: `src/history/tests.rs`.)

use seedream_contract::{ApiError, EditRequest, ErrorKind, OutputFormat, SequentialMode, Size};
use seedream_studio::api::SubmitError;
use seedream_studio::history::{
    HistoryStore, InputRecord, RecordState, ResultRecord, STORAGE_KEY, StorageProblem, TaskRecord,
};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;

/// A 1x1 PNG as a data URI (valid for the contract's image check).
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const T0: f64 = 1_700_000_000_000.0;

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage in the test browser")
}

/// Tests in one binary share a page, so each storage test starts from nothing.
async fn fresh() -> HistoryStore {
    common::fresh_storage().await;
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
    RecordState::NotAccepted(SubmitError::Rejected(ApiError::new(
        Some(status),
        ErrorKind::from_code(i64::from(status)),
        message,
    )))
}

fn result(n: usize) -> ResultRecord {
    ResultRecord {
        url: format!("https://cdn.example.com/out/{n}.jpeg"),
        width: Some(2048),
        height: Some(2048),
        format: Some("jpeg".to_owned()),
    }
}

/// Record `n`, submitted `n` seconds after [`T0`], in `state`.
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
        size: Size::new(2048, 2048).into(),
        sequential: SequentialMode::Disabled,
        max_images: 15,
        output_format: OutputFormat::Jpeg,
        submitted_at_ms: T0 + n as f64 * 1000.0,
        finished_at_ms: finished,
        kept: Default::default(),
        pinned: false,
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

mod quota;
mod storage;
