//! The history in localStorage: round trips, order, damage, vetting, the cap.

use super::*;

#[wasm_bindgen_test]
fn round_trip_keeps_every_field() {
    let store = fresh();
    let mut failed = record(
        3,
        RecordState::Failed {
            reason: "Content policy".to_owned(),
        },
    );
    failed.inputs.push(InputRecord {
        label: "Image 2".to_owned(),
        url: None,
        format: Some("PNG".to_owned()),
        width: Some(640),
        height: Some(480),
        bytes: Some(12_345),
    });
    let records = vec![
        record(5, RecordState::Queued),
        record(4, rejected("Invalid parameters: size", 400)),
        failed,
        done(2, 3),
        record(1, gave_up("Stopped after repeated errors")),
    ];
    store.save(&records).expect("save");
    let loaded = store.load();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.records, records);
}

#[wasm_bindgen_test]
fn missing_history_is_empty_without_warning() {
    let store = fresh();
    let loaded = store.load();
    assert!(loaded.records.is_empty());
    assert_eq!(loaded.warning, None);
}

#[wasm_bindgen_test]
fn newest_first_on_load_and_upsert() {
    let store = fresh();
    store
        .save(&[done(1, 1), done(3, 1), done(2, 1)])
        .expect("save");
    let mut records = store.load().records;
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["local-3", "local-2", "local-1"]);

    list::upsert(&mut records, record(4, RecordState::Queued));
    assert_eq!(records[0].id, "local-4");
    list::upsert(&mut records, done(2, 2));
    assert_eq!(records.len(), 4, "an existing id is replaced in place");
    assert_eq!(records[2], done(2, 2));
}

#[wasm_bindgen_test]
fn corrupt_json_is_reported_not_fatal() {
    let store = fresh();
    for garbage in ["{not json", "{\"a\":1}", "42", "", "[1,"] {
        storage().set_item(STORAGE_KEY, garbage).expect("setItem");
        let loaded = store.load();
        assert!(loaded.records.is_empty(), "{garbage:?}");
        assert_eq!(
            loaded.warning,
            Some(StorageProblem::Corrupt { dropped: 0 }),
            "{garbage:?}"
        );
    }
    // The next save replaces the unreadable value.
    store.save(&[done(1, 1)]).expect("save");
    assert_eq!(store.load().records.len(), 1);
}

#[wasm_bindgen_test]
fn one_bad_record_among_good_ones_is_dropped() {
    let store = fresh();
    let good: Vec<serde_json::Value> = [done(3, 2), done(2, 1), done(1, 0)]
        .iter()
        .map(|r| serde_json::to_value(r).expect("to value"))
        .collect();
    let mut mangled = good[1].clone();
    mangled["state"] = serde_json::json!({"kind": "exploded"});
    let array = serde_json::json!([good[0], {"id": 5}, mangled, "text", good[2]]);
    storage()
        .set_item(STORAGE_KEY, &array.to_string())
        .expect("setItem");
    let loaded = store.load();
    assert_eq!(loaded.warning, Some(StorageProblem::Corrupt { dropped: 3 }));
    let ids: Vec<&str> = loaded.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["local-3", "local-1"]);
}

#[wasm_bindgen_test]
fn data_uris_are_never_stored() {
    let store = fresh();
    let request = EditRequest::new(
        "Put image 2 on the table in image 1",
        vec![
            PNG.to_owned(),
            "https://img.example.com/table.jpg".to_owned(),
        ],
    );
    let mut from_request = TaskRecord::from_request(&request, T0 + 5000.0);
    assert_eq!(from_request.inputs[0].url, None);
    assert_eq!(from_request.inputs[0].format.as_deref(), Some("PNG"));
    assert!(from_request.inputs[0].bytes.is_some_and(|b| b > 0));
    assert_eq!(from_request.inputs[1].label, "Image 2");
    assert_eq!(
        from_request.inputs[1].url.as_deref(),
        Some("https://img.example.com/table.jpg")
    );
    from_request.task_id = Some("task-x".to_owned());
    from_request.set_state(
        rejected(&format!("Bad Request: image {PNG} is broken"), 400),
        T0 + 10.0,
    );
    // A record whose input was tampered with in memory still never stores it.
    let mut tampered = done(1, 1);
    tampered.inputs[0].url = Some(PNG.to_owned());

    store.save(&[from_request, tampered]).expect("save");
    let raw = raw();
    assert!(!raw.to_ascii_lowercase().contains("data:"), "{raw}");
    assert!(!raw.contains("base64"), "{raw}");
    let loaded = store.load().records;
    assert_eq!(loaded[0].inputs[0].url, None);
    match &loaded[0].state {
        RecordState::NotAccepted(SubmitError::Rejected(ApiError { message, .. })) => {
            assert!(message.starts_with("Bad Request: image"), "{message}")
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[wasm_bindgen_test]
fn unsafe_urls_are_dropped_on_load() {
    let store = fresh();
    let mut record = done(1, 1);
    record.state = RecordState::Done {
        results: vec![
            ResultRecord {
                url: "javascript:alert(1)".to_owned(),
                ..result(0)
            },
            result(1),
            ResultRecord {
                url: "https://good.com@evil.com/x.png".to_owned(),
                ..result(2)
            },
        ],
        skipped: 1,
    };
    record.inputs[0].url = Some("javascript:alert(2)".to_owned());
    // Written raw, as a tampering tab or extension would.
    let json = serde_json::to_string(&[record]).expect("json");
    storage().set_item(STORAGE_KEY, &json).expect("setItem");

    let loaded = store.load();
    assert_eq!(loaded.warning, None);
    let record = &loaded.records[0];
    assert_eq!(record.inputs[0].url, None);
    assert_eq!(
        record.state,
        RecordState::Done {
            results: vec![result(1)],
            skipped: 3
        }
    );
}

#[wasm_bindgen_test]
fn duplicate_ids_are_made_unique() {
    let (records, warning) =
        parse_history(&serde_json::to_string(&[done(2, 1), done(1, 1), done(1, 1)]).expect("json"));
    assert_eq!(warning, None);
    assert_eq!(records.len(), 3);
    assert_ne!(records[1].id, records[2].id);
}

#[wasm_bindgen_test]
fn storage_keeps_at_most_200_dropping_oldest_finished_first() {
    let store = fresh();
    // Newest first: 0..250 with the two oldest still generating.
    let mut records: Vec<TaskRecord> = (0..250).rev().map(|n| done(n, 1)).collect();
    records[248] = record(1, RecordState::Generating);
    records[249] = record(0, RecordState::Queued);
    store.save(&records).expect("save");
    let stored: Vec<serde_json::Value> = serde_json::from_str(&raw()).expect("an array");
    assert_eq!(stored.len(), MAX_RECORDS);
    let loaded = store.load().records;
    assert_eq!(loaded.len(), MAX_RECORDS);
    assert_eq!(loaded[0].id, "local-249");
    assert_eq!(loaded[197].id, "local-52", "finished 2..=51 were dropped");
    assert!(loaded[198].is_unfinished() && loaded[199].is_unfinished());

    let dropped = list::cap(&mut records, MAX_RECORDS);
    assert_eq!(dropped.len(), 50);
    assert_eq!(records, loaded);
    // With more unfinished than room, the oldest unfinished go too.
    let mut busy: Vec<TaskRecord> = (0..5)
        .rev()
        .map(|n| record(n, RecordState::Generating))
        .collect();
    let dropped = list::cap(&mut busy, 3);
    assert_eq!(
        dropped.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["local-1", "local-0"]
    );
}

#[wasm_bindgen_test]
fn a_submit_interrupted_by_a_reload_has_unknown_outcome() {
    let store = fresh();
    let mut in_flight = record(2, RecordState::Submitting);
    in_flight.task_id = None;
    let accepted = record(1, RecordState::Submitting);
    store.save(&[in_flight, accepted]).expect("save");
    let loaded = store.load().records;
    assert!(matches!(loaded[0].state, RecordState::Interrupted));
    assert!(loaded[0].finished_at_ms.is_some());
    assert!(
        loaded[1].is_unfinished(),
        "an accepted task resumes polling"
    );
}

#[wasm_bindgen_test]
fn remove_and_clear() {
    let store = fresh();
    store
        .save(&[done(3, 1), done(2, 1), done(1, 1)])
        .expect("save");
    store.remove("local-2").expect("remove");
    let ids: Vec<String> = store.load().records.into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["local-3", "local-1"]);

    let mut records = store.load().records;
    assert_eq!(
        list::remove(&mut records, "local-3").map(|r| r.id),
        Some("local-3".to_owned())
    );
    assert_eq!(list::remove(&mut records, "nope"), None);
    assert_eq!(records.len(), 1);

    store.clear().expect("clear");
    assert_eq!(storage().get_item(STORAGE_KEY).expect("getItem"), None);
    let loaded = store.load();
    assert!(loaded.records.is_empty());
    assert_eq!(loaded.warning, None);
}

#[wasm_bindgen_test]
fn a_500_task_history_with_2000_results_loads() {
    let store = fresh();
    let records: Vec<TaskRecord> = (0..500).rev().map(|n| done(n, 4)).collect();
    // Seeded raw, as the benchmark does: `save` would cap it at 200.
    let json = serde_json::to_string(&records).expect("json");
    storage().set_item(STORAGE_KEY, &json).expect("setItem");
    let loaded = store.load();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.records.len(), 500);
    let results: usize = loaded
        .records
        .iter()
        .map(|r| match &r.state {
            RecordState::Done { results, .. } => results.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(results, 2000);
    assert_eq!(loaded.records, records);
}
