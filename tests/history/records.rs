//! One record: expiry, polling after a reload, no secrets, messages, problem texts.

use super::*;

#[wasm_bindgen_test]
fn expiry_is_24_hours_after_the_task_ended() {
    let mut record = record(0, RecordState::Generating);
    assert_eq!(record.expires_at_ms(), None);
    assert_eq!(record.time_left_ms(T0), None);
    assert!(!record.is_expired(T0 + 100.0 * HOUR));
    assert_eq!(record.expiry_text(Locale::en, T0), None);

    let end = T0 + 2.0 * HOUR;
    record.set_state(
        RecordState::Done {
            results: vec![result(1)],
            skipped: 0,
        },
        end,
    );
    assert_eq!(record.finished_at_ms, Some(end));
    assert_eq!(RESULT_TTL_MS, 24.0 * HOUR);
    assert_eq!(record.expires_at_ms(), Some(end + 24.0 * HOUR));
    assert_eq!(record.time_left_ms(end + HOUR), Some(23.0 * HOUR));
    assert!(!record.is_expired(end + 24.0 * HOUR - 1.0));
    assert!(record.is_expired(end + 24.0 * HOUR));
    assert_eq!(record.time_left_ms(end + 30.0 * HOUR), Some(0.0));
    assert_eq!(
        record
            .expiry_text(Locale::en, end + HOUR + 90_000.0)
            .as_deref(),
        Some("Results expire in 22 h 58 min.")
    );
    assert_eq!(
        record
            .expiry_text(Locale::en, end + 24.0 * HOUR - 120_000.0)
            .as_deref(),
        Some("Results expire in 2 min.")
    );
    assert_eq!(
        record
            .expiry_text(Locale::en, end + 24.0 * HOUR - 1.0)
            .as_deref(),
        Some("Results expire in less than a minute.")
    );
    assert!(
        record
            .expiry_text(Locale::en, end + 24.0 * HOUR)
            .is_some_and(|t| t.contains("expired"))
    );
    // A later state change does not move the end.
    record.set_state(gave_up("x"), end + HOUR);
    assert_eq!(record.finished_at_ms, Some(end));
    // A done record without an end expires from its submit, never later.
    let mut odd = done(0, 1);
    odd.finished_at_ms = None;
    assert_eq!(odd.expires_at_ms(), Some(T0 + 24.0 * HOUR));
}

#[wasm_bindgen_test]
fn unfinished_means_accepted_and_not_ended() {
    let cases = [
        (RecordState::Submitting, true),
        (RecordState::Queued, true),
        (RecordState::Generating, true),
        (
            RecordState::Done {
                results: vec![],
                skipped: 0,
            },
            false,
        ),
        (RecordState::Failed { reason: "r".into() }, false),
        (gave_up("m"), false),
        (
            RecordState::NotAccepted(SubmitError::Invalid(NotSent::TaskId)),
            false,
        ),
        (outcome_unknown(), false),
    ];
    for (state, expected) in cases {
        let mut with_id = record(0, state.clone());
        assert_eq!(with_id.is_unfinished(), expected, "{state:?}");
        with_id.task_id = None;
        assert!(!with_id.is_unfinished(), "no task id: {state:?}");
    }
    let records = [
        record(3, RecordState::Queued),
        done(2, 1),
        record(1, RecordState::Generating),
    ];
    let ids: Vec<&str> = list::unfinished(&records).map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["local-3", "local-1"]);
}

#[wasm_bindgen_test]
fn no_field_can_hold_the_key() {
    fn field_names(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (name, inner) in map {
                    out.push(name.to_ascii_lowercase());
                    field_names(inner, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| field_names(v, out)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    let every_state = [
        done(1, 2),
        record(2, rejected("m", 401)),
        record(3, outcome_unknown()),
        record(4, RecordState::Failed { reason: "r".into() }),
        record(5, gave_up("m")),
        record(6, RecordState::Submitting),
    ];
    for record in &every_state {
        field_names(&serde_json::to_value(record).expect("json"), &mut names);
    }
    assert!(names.contains(&"task_id".to_owned()));
    for name in &names {
        for banned in ["key", "auth", "bearer", "token", "secret", "password"] {
            assert!(!name.contains(banned), "field {name:?} looks like a secret");
        }
    }
}

#[wasm_bindgen_test]
fn poll_states_map_onto_record_states() {
    let resource = Resource::image("https://cdn.example.com/a.png", 10, 20, OutputFormat::Png);
    assert_eq!(
        RecordState::from_task_state(&TaskState::Succeeded(vec![resource]), 1),
        RecordState::Done {
            results: vec![ResultRecord {
                url: "https://cdn.example.com/a.png".into(),
                width: Some(10),
                height: Some(20),
                format: Some("png".into()),
            }],
            skipped: 1,
        }
    );
    assert_eq!(
        RecordState::from_task_state(&TaskState::Pending, 0),
        RecordState::Queued
    );
    assert_eq!(
        RecordState::from_task_state(&TaskState::Processing, 0),
        RecordState::Generating
    );
}

#[wasm_bindgen_test]
fn problems_read_as_sentences() {
    assert_eq!(
        StorageProblem::QuotaExceeded.to_string(),
        "Browser storage is full: the history was not saved. Remove some tasks to make room."
    );
    assert!(
        StorageProblem::Unavailable
            .to_string()
            .contains("not available")
    );
    assert!(
        StorageProblem::Corrupt { dropped: 3 }
            .to_string()
            .starts_with("3 saved tasks")
    );
}

#[wasm_bindgen_test]
fn messages_are_cut_at_data_uris_and_to_length_once() {
    let failed = |reason: String| record(0, RecordState::Failed { reason });
    let reason_of = |record: &TaskRecord| match &record.state {
        RecordState::Failed { reason } => reason.clone(),
        other => panic!("unexpected {other:?}"),
    };

    let prose = failed("Could not read data: the file is damaged".to_owned());
    assert!(prose.is_clean(), "'data: ' in prose is not a data URI");

    let mut echoed = failed(format!("Bad image DATA:{}", &PNG[5..]));
    assert!(!echoed.is_clean());
    assert!(echoed.sanitize());
    assert_eq!(reason_of(&echoed), "Bad image…");
    assert!(echoed.is_clean() && !echoed.sanitize(), "stable once cut");

    let mut long = failed("é".repeat(2000));
    assert!(long.sanitize());
    assert_eq!(reason_of(&long).chars().count(), 501);
    assert!(long.is_clean() && !long.sanitize(), "stable once cut");
}
