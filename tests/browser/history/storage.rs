//! The history in localStorage: what a save writes and a load reads, damage under
//! the key, the cap, new ids, and no key in anything stored.

use seedream_studio::api::{ApiConfig, body, query, submit};
use seedream_studio::history::{MAX_RECORDS, list, parse_history, serialize_history};
use seedream_studio::media::Source;

use super::*;

#[wasm_bindgen_test]
async fn a_save_is_what_the_next_load_reads() {
    let store = fresh().await;
    let loaded = store.load();
    assert_eq!(
        (loaded.records, loaded.warning),
        (Vec::new(), None),
        "no history yet: empty, without a warning"
    );
    // Given in any order: stored as given, read back newest first.
    let records = vec![
        done(2, 3),
        record(5, RecordState::Queued),
        record(4, rejected("Invalid parameters: size", 400)),
    ];
    store.save(&records).expect("save");
    assert_eq!(raw(), serialize_history(&records).expect("json"));
    let loaded = store.load();
    assert_eq!(loaded.warning, None);
    assert_eq!(
        loaded.records,
        [records[1].clone(), records[2].clone(), records[0].clone()]
    );
}

#[wasm_bindgen_test]
async fn an_unreadable_value_is_reported_then_replaced() {
    let store = fresh().await;
    storage()
        .set_item(STORAGE_KEY, "{not json")
        .expect("setItem");
    let loaded = store.load();
    assert!(loaded.records.is_empty());
    assert_eq!(loaded.warning, Some(StorageProblem::Corrupt { dropped: 0 }));
    // The next save replaces the unreadable value.
    store.save(&[done(1, 1)]).expect("save");
    assert_eq!(store.load().records, [done(1, 1)]);
}

#[wasm_bindgen_test]
async fn duplicate_ids_are_made_unique() {
    // A fresh id takes the browser's clock and randomness.
    let (records, warning) =
        parse_history(&serde_json::to_string(&[done(2, 1), done(1, 1), done(1, 1)]).expect("json"));
    assert_eq!(warning, None);
    assert_eq!(records.len(), 3);
    assert_eq!(
        (records[0].id.as_str(), records[1].id.as_str()),
        ("local-2", "local-1")
    );
    assert_ne!(records[2].id, "local-1");
    assert!(!records[2].id.is_empty());
}

#[wasm_bindgen_test]
async fn a_save_keeps_at_most_200() {
    // (Which ones go: `src/history/tests.rs`.)
    let store = fresh().await;
    let mut records: Vec<TaskRecord> = (0..250).rev().map(|n| done(n, 1)).collect();
    store.save(&records).expect("save");
    let stored: Vec<serde_json::Value> = serde_json::from_str(&raw()).expect("an array");
    assert_eq!(stored.len(), MAX_RECORDS);
    list::cap(&mut records, MAX_RECORDS);
    assert_eq!(store.load().records, records);
}

#[wasm_bindgen_test]
async fn data_uris_are_never_stored() {
    let store = fresh().await;
    let request = EditRequest::new(
        "Put image 2 on the table in image 1",
        vec![
            PNG.to_owned(),
            "https://img.example.com/table.jpg".to_owned(),
        ],
    );
    let mut from_request = TaskRecord::from_request(&request, T0 + 5000.0);
    from_request.task_id = Some("task-x".to_owned());
    from_request.set_state(
        rejected(&format!("Bad Request: image {PNG} is broken"), 400),
        T0 + 10.0,
    );
    store.save(&[from_request]).expect("save");
    let raw = raw();
    assert!(!raw.to_ascii_lowercase().contains("data:"), "{raw}");
    assert!(!raw.contains("base64"), "{raw}");
    let loaded = store.load().records;
    assert_eq!(loaded[0].inputs[0].url, None);
    assert_eq!(
        loaded[0].inputs[1].url.as_deref(),
        Some("https://img.example.com/table.jpg")
    );
    assert_eq!(loaded[0].state, rejected("Bad Request: image…", 400));
}

#[wasm_bindgen_test]
async fn a_submit_interrupted_by_a_reload_has_unknown_outcome() {
    let store = fresh().await;
    let mut in_flight = record(2, RecordState::Submitting);
    in_flight.task_id = None;
    let accepted = record(1, RecordState::Submitting);
    store.save(&[in_flight, accepted.clone()]).expect("save");
    let loaded = store.load().records;
    assert_eq!(loaded[0].state, RecordState::Interrupted);
    assert!(loaded[0].finished_at_ms.is_some(), "ended now");
    assert_eq!(loaded[1], accepted, "an accepted task resumes polling");
}

#[wasm_bindgen_test]
async fn remove_and_clear() {
    let store = fresh().await;
    store
        .save(&[done(3, 1), done(2, 1), done(1, 1)])
        .expect("save");
    store.remove("local-2").expect("remove");
    assert_eq!(store.load().records, [done(3, 1), done(1, 1)]);

    store.clear().expect("clear");
    assert_eq!(storage().get_item(STORAGE_KEY).expect("getItem"), None);
    let loaded = store.load();
    assert_eq!((loaded.records, loaded.warning), (Vec::new(), None));
}

/// Every value the origin's localStorage holds.
fn every_stored_value() -> Vec<String> {
    let storage = storage();
    (0..storage.length().expect("length"))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|key| storage.get_item(&key).ok().flatten())
        .collect()
}

#[wasm_bindgen_test]
async fn no_stored_value_holds_the_key() {
    const KEY: &str = "sk-live-0123456789abcdef";
    let store = fresh().await;
    // What calls made with the key leave behind: a submit and a query that got no
    // answer, and a query the test runner's server answered (not as the API).
    let elsewhere = ApiConfig::new("http://127.0.0.1:9", Some(KEY));
    let here = ApiConfig::new("", Some(KEY));
    let request = EditRequest::new(
        "Make it blue",
        vec![Source::Url("https://img.example.com/a.png".to_owned())],
    );
    let sent = body::write(&request).await.expect("a body");
    let states = [
        RecordState::NotAccepted(submit(&elsewhere, &sent).await.expect_err("no answer")),
        RecordState::NotAccepted(submit(&here, &sent).await.expect_err("not the API")),
        RecordState::GaveUp(query(&elsewhere, "task-abc").await.expect_err("no answer")),
        RecordState::GaveUp(query(&here, "task-abc").await.expect_err("not the API")),
    ];
    let records: Vec<TaskRecord> = states
        .into_iter()
        .enumerate()
        .map(|(n, state)| {
            let mut record = TaskRecord::from_request(&request, T0 + n as f64);
            record.set_state(state, T0 + n as f64 + 1.0);
            record
        })
        .collect();
    store.save(&records).expect("save");
    assert_eq!(store.load().records.len(), records.len(), "all stored");
    let stored = every_stored_value().join("\n");
    assert!(
        stored.contains("http://127.0.0.1:9"),
        "the errors are stored: {stored}"
    );
    assert!(!stored.contains(KEY), "the key was stored: {stored}");
    assert!(!stored.contains("Bearer"), "a header was stored: {stored}");
}
