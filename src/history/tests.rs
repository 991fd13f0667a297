//! The history's pure logic, natively: one record's expiry and state, the list's
//! operations and cap, vetting, and reading and writing the stored JSON. (What needs
//! a browser, `localStorage` itself, new record ids and the clock, is tested in
//! `tests/browser/history/`.)

use seedream_contract::{
    ApiError, ErrorKind, OutputFormat, Resource, SequentialMode, Size, TaskState,
};

use super::*;
use crate::api::{NotSent, ReadError, SubmitError, Unknown};
use crate::i18n::Locale;

/// A 1x1 PNG as a data URI.
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const T0: f64 = 1_700_000_000_000.0;
const HOUR: f64 = 3_600_000.0;

/// A submit the API refused with `status`, saying `message`.
fn rejected(message: &str, status: u16) -> RecordState {
    RecordState::NotAccepted(SubmitError::Rejected(ApiError::new(
        Some(status),
        ErrorKind::from_code(i64::from(status)),
        message,
    )))
}

/// A submit whose outcome is unknown.
fn outcome_unknown() -> RecordState {
    RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable))
}

/// Following stopped after a query failed, saying `message`.
fn gave_up(message: &str) -> RecordState {
    RecordState::GaveUp(ReadError::Api {
        error: ApiError::new(Some(500), ErrorKind::Internal, message),
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

fn ids(records: &[TaskRecord]) -> Vec<&str> {
    records.iter().map(|r| r.id.as_str()).collect()
}

// One record.

#[test]
fn expiry_is_24_hours_after_the_task_ended() {
    // (What a card says about it: `tasks/expiry.rs`.)
    let mut record = record(0, RecordState::Generating);
    assert_eq!(record.expires_at_ms(), None);
    assert_eq!(record.time_left_ms(T0), None);
    assert!(!record.is_expired(T0 + 100.0 * HOUR));

    let end = T0 + 2.0 * HOUR;
    record.set_state(
        RecordState::Done {
            results: vec![result(1)],
            skipped: 0,
        },
        end,
    );
    assert_eq!(record.finished_at_ms, Some(end));
    assert_eq!(record.updated_at_ms, Some(end));
    assert_eq!(RESULT_TTL_MS, 24.0 * HOUR);
    assert_eq!(record.expires_at_ms(), Some(end + 24.0 * HOUR));
    assert_eq!(record.time_left_ms(end + HOUR), Some(23.0 * HOUR));
    assert!(!record.is_expired(end + 24.0 * HOUR - 1.0));
    assert!(record.is_expired(end + 24.0 * HOUR));
    assert_eq!(record.time_left_ms(end + 30.0 * HOUR), Some(0.0));
    // A later state change does not move the end.
    record.set_state(gave_up("x"), end + HOUR);
    assert_eq!(record.finished_at_ms, Some(end));
    // A done record without an end expires from its submit, never later.
    let mut odd = done(0, 1);
    odd.finished_at_ms = None;
    assert_eq!(odd.expires_at_ms(), Some(T0 + 24.0 * HOUR));
}

#[test]
fn unfinished_means_accepted_and_not_ended() {
    let cases = [
        (RecordState::Submitting, true),
        (RecordState::Queued, true),
        (RecordState::Generating, true),
        (
            RecordState::Unlisted {
                status: "upscaling".into(),
            },
            true,
        ),
        (
            RecordState::Done {
                results: vec![],
                skipped: 0,
            },
            false,
        ),
        (RecordState::Failed { reason: "r".into() }, false),
        (
            RecordState::Ended {
                status: "cancelled".into(),
                reason: None,
            },
            false,
        ),
        (gave_up("m"), false),
        (RecordState::TimedOut, false),
        (RecordState::Interrupted, false),
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
    let unfinished: Vec<&str> = list::unfinished(&records).map(|r| r.id.as_str()).collect();
    assert_eq!(unfinished, ["local-3", "local-1"]);
    assert_eq!(
        list::to_follow(&records),
        [
            ("local-3".to_owned(), "task-3".to_owned()),
            ("local-1".to_owned(), "task-1".to_owned())
        ]
    );
}

#[test]
fn no_field_name_looks_like_a_secret() {
    // Field names only: that no stored *value* ever holds the key is checked on what
    // the app really stores, in the browser (`tests/browser/history/storage.rs`).
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
        record(
            7,
            RecordState::Ended {
                status: "cancelled".into(),
                reason: Some("r".into()),
            },
        ),
        record(8, RecordState::Interrupted),
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

#[test]
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
    assert_eq!(
        RecordState::from_task_state(
            &TaskState::Failed {
                reason: "NSFW".into()
            },
            0
        ),
        RecordState::Failed {
            reason: "NSFW".into()
        }
    );
}

// Vetting.

#[test]
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
    assert_eq!(reason_of(&long), format!("{}…", "é".repeat(500)));
    assert!(long.is_clean() && !long.sanitize(), "stable once cut");

    // An API's message is cut the same way.
    let mut refused = record(
        1,
        rejected(&format!("Bad Request: image {PNG} is broken"), 400),
    );
    assert!(refused.sanitize());
    assert_eq!(refused.state, rejected("Bad Request: image…", 400));
}

#[test]
fn unsafe_urls_are_dropped_and_counted() {
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
    assert!(!record.is_clean());
    assert!(record.sanitize());
    assert_eq!(record.inputs[0].url, None);
    assert_eq!(
        record.state,
        RecordState::Done {
            results: vec![result(1)],
            skipped: 3
        }
    );
}

// The list.

#[test]
fn upsert_replaces_in_place_or_adds_as_newest() {
    let mut records = vec![done(3, 1), done(2, 1), done(1, 1)];
    list::upsert(&mut records, record(4, RecordState::Queued));
    assert_eq!(ids(&records), ["local-4", "local-3", "local-2", "local-1"]);
    list::upsert(&mut records, done(2, 2));
    assert_eq!(records.len(), 4, "an existing id is replaced in place");
    assert_eq!(records[2], done(2, 2));
}

#[test]
fn remove_takes_out_one_record_by_id() {
    let mut records = vec![done(3, 1), done(2, 1), done(1, 1)];
    assert_eq!(
        list::remove(&mut records, "local-3").map(|r| r.id),
        Some("local-3".to_owned())
    );
    assert_eq!(list::remove(&mut records, "nope"), None);
    assert_eq!(ids(&records), ["local-2", "local-1"]);
}

#[test]
fn the_cap_drops_the_oldest_finished_first() {
    // Newest first: 0..250 with the two oldest still generating.
    let mut records: Vec<TaskRecord> = (0..250).rev().map(|n| done(n, 1)).collect();
    records[248] = record(1, RecordState::Generating);
    records[249] = record(0, RecordState::Queued);
    let all = records.clone();
    let dropped = list::cap(&mut records, MAX_RECORDS);
    assert_eq!(records.len(), MAX_RECORDS);
    assert_eq!(records[0].id, "local-249");
    assert_eq!(records[197].id, "local-52", "finished 2..=51 were dropped");
    assert_eq!(ids(&records[198..]), ["local-1", "local-0"]);
    let dropped_ids: Vec<String> = (2..52).rev().map(|n| format!("local-{n}")).collect();
    assert_eq!(ids(&dropped), dropped_ids);
    // What is saved is capped the same way.
    let (stored, warning) = parse_history(&serialize_history(&all).expect("json"));
    assert_eq!((stored, warning), (records, None));

    // With more unfinished than room, the oldest unfinished go too.
    let mut busy: Vec<TaskRecord> = (0..5)
        .rev()
        .map(|n| record(n, RecordState::Generating))
        .collect();
    let dropped = list::cap(&mut busy, 3);
    assert_eq!(ids(&dropped), ["local-1", "local-0"]);
    assert_eq!(ids(&busy), ["local-4", "local-3", "local-2"]);
}

#[test]
fn a_submit_in_flight_when_the_page_went_away_is_of_unknown_outcome() {
    let mut in_flight = record(2, RecordState::Submitting);
    in_flight.task_id = None;
    in_flight.updated_at_ms = Some(T0);
    let accepted = record(1, RecordState::Submitting);
    let mut records = vec![in_flight, accepted.clone()];
    assert_eq!(list::recover_interrupted(&mut records, T0 + HOUR), 1);
    assert_eq!(records[0].state, RecordState::Interrupted);
    assert_eq!(records[0].finished_at_ms, Some(T0 + HOUR));
    assert_eq!(
        records[0].updated_at_ms,
        Some(T0),
        "keeps its change time, so a tab still sending it wins"
    );
    assert_eq!(records[1], accepted, "an accepted task resumes polling");
    assert!(records[1].is_unfinished());
}

// The stored JSON.

#[test]
fn what_is_written_reads_back_with_every_field() {
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
        sha256: None,
        from: None,
    });
    let records = vec![
        record(5, RecordState::Queued),
        record(4, rejected("Invalid parameters: size", 400)),
        failed,
        done(2, 3),
        record(1, gave_up("Stopped after repeated errors")),
    ];
    let json = serialize_history(&records).expect("json");
    assert_eq!(parse_history(&json), (records, None));
}

#[test]
fn records_read_back_newest_first() {
    let json = serialize_history(&[done(1, 1), done(3, 1), done(2, 1)]).expect("json");
    let (records, warning) = parse_history(&json);
    assert_eq!(warning, None);
    assert_eq!(ids(&records), ["local-3", "local-2", "local-1"]);
}

#[test]
fn unreadable_json_is_reported_not_fatal() {
    for garbage in ["{not json", "{\"a\":1}", "42", "", "[1,"] {
        assert_eq!(
            parse_history(garbage),
            (Vec::new(), Some(StorageProblem::Corrupt { dropped: 0 })),
            "{garbage:?}"
        );
    }
}

#[test]
fn one_bad_record_among_good_ones_is_dropped() {
    let good: Vec<serde_json::Value> = [done(3, 2), done(2, 1), done(1, 0)]
        .iter()
        .map(|r| serde_json::to_value(r).expect("to value"))
        .collect();
    let mut mangled = good[1].clone();
    mangled["state"] = serde_json::json!({"kind": "exploded"});
    let array = serde_json::json!([good[0], {"id": 5}, mangled, "text", good[2]]);
    let (records, warning) = parse_history(&array.to_string());
    assert_eq!(warning, Some(StorageProblem::Corrupt { dropped: 3 }));
    assert_eq!(records, [done(3, 2), done(1, 0)]);
}

#[test]
fn unsafe_urls_written_by_someone_else_are_dropped_on_reading() {
    let mut record = done(1, 1);
    record.state = RecordState::Done {
        results: vec![
            ResultRecord {
                url: "javascript:alert(1)".to_owned(),
                ..result(0)
            },
            result(1),
        ],
        skipped: 0,
    };
    record.inputs[0].url = Some(PNG.to_owned());
    // Written raw, as a tampering tab or extension would.
    let json = serde_json::to_string(&[record]).expect("json");
    let (records, warning) = parse_history(&json);
    assert_eq!(warning, None);
    assert_eq!(records[0].inputs[0].url, None);
    assert_eq!(
        records[0].state,
        RecordState::Done {
            results: vec![result(1)],
            skipped: 1
        }
    );
}

#[test]
fn data_uris_are_never_written() {
    // A record whose input was tampered with in memory.
    let mut tampered = done(1, 1);
    tampered.inputs[0].url = Some(PNG.to_owned());
    let refused = record(
        2,
        rejected(&format!("Bad Request: image {PNG} is broken"), 400),
    );
    let json = serialize_history(&[refused, tampered]).expect("json");
    assert!(!json.to_ascii_lowercase().contains("data:"), "{json}");
    assert!(!json.contains("base64"), "{json}");
    // A local image is described, never kept.
    let input = InputRecord::from_reference(0, &PNG.to_owned());
    assert_eq!(
        (input.url, input.format.as_deref(), input.label.as_str()),
        (None, Some("PNG"), "Image 1")
    );
    assert!(input.bytes.is_some_and(|b| b > 0));
}

#[test]
fn a_500_task_history_with_2000_results_reads_back() {
    let records: Vec<TaskRecord> = (0..500).rev().map(|n| done(n, 4)).collect();
    // Written raw, as the benchmark seeds it: a save would cap it at 200.
    let json = serde_json::to_string(&records).expect("json");
    let (loaded, warning) = parse_history(&json);
    assert_eq!(warning, None);
    let results: usize = loaded
        .iter()
        .map(|r| match &r.state {
            RecordState::Done { results, .. } => results.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(results, 2000);
    assert_eq!(loaded, records);
}

#[test]
fn storage_problems_read_as_sentences() {
    assert_eq!(
        StorageProblem::QuotaExceeded.to_string(),
        "Browser storage is full: the history was not saved. Remove some tasks to make room."
    );
    assert_eq!(
        StorageProblem::Unavailable.to_string(),
        "Browser storage is not available (private browsing or blocked by the browser's \
         settings): the history will be lost when this page closes."
    );
    assert_eq!(
        StorageProblem::Corrupt { dropped: 0 }.to_string(),
        "The saved history could not be read and was left out; new tasks will replace it."
    );
    assert_eq!(
        StorageProblem::Corrupt { dropped: 1 }.to_string(),
        "One saved task could not be read and was left out."
    );
    assert_eq!(
        StorageProblem::Corrupt { dropped: 3 }.describe(Locale::en),
        "3 saved tasks could not be read and were left out."
    );
}
