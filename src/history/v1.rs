//! Reading the first storage format once, into today's records.
//!
//! Format 1 kept a failure twice: an English sentence in the state, and (in later
//! versions) the error as data in a mirror of the API client's enums. Format 2 keeps
//! the client's own error only. This module reads format 1's shapes, nothing else
//! does, and it runs only while a browser still holds a format 1 history and no
//! format 2 one ([`HistoryStore`](super::HistoryStore) then saves format 2 and
//! removes the old key).
//!
//! Records from before errors were kept as data have only the sentence. The two the
//! app wrote itself (an interrupted submit, a poller that reached its deadline) are
//! recognised by their English words, here and only here; any other sentence is kept
//! as the message of the error it stood for.

use seedream_contract::{ApiError, ErrorKind, OutputFormat, SequentialMode, UrlError};
use serde::{Deserialize, Deserializer};

use super::record::{InputRecord, TaskRecord};
use super::size::RecordedSize;
use super::state::{RecordState, ResultRecord};
use crate::api::{
    ConfigError, NoAnswer, NotSent, ReadError, Silence, SubmitError, Target, Unknown,
};
use crate::i18n::{Locale, td_string};

/// A record as format 1 stored it.
#[derive(Deserialize)]
pub(super) struct RecordV1 {
    id: String,
    task_id: Option<String>,
    prompt: String,
    inputs: Vec<InputRecord>,
    size: String,
    sequential: SequentialMode,
    max_images: u8,
    output_format: OutputFormat,
    submitted_at_ms: f64,
    finished_at_ms: Option<f64>,
    #[serde(default)]
    updated_at_ms: Option<f64>,
    state: FieldsV1,
    #[serde(default, deserialize_with = "lenient")]
    error: Option<ErrorV1>,
}

/// Format 1's state as stored: `{"kind": "rejected", "message": ..., "status": 401}`.
/// Read as plain fields, then checked by [`StateV1::of`]: serde's internally tagged
/// enums buffer every value and cost kilobytes of wasm for one reading.
#[derive(Deserialize)]
struct FieldsV1 {
    kind: String,
    detail: Option<String>,
    message: Option<String>,
    status: Option<u16>,
    results: Option<Vec<ResultRecord>>,
    skipped: Option<usize>,
    reason: Option<String>,
}

/// Format 1's state: those that failed (told by a sentence, with or without the
/// error as data), and the others, which read as today's.
enum StateV1 {
    /// Submitting, queued, generating, done or failed: as today.
    Unchanged(RecordState),
    OutcomeUnknown {
        detail: String,
    },
    Rejected {
        message: String,
        status: Option<u16>,
    },
    GaveUp {
        message: String,
    },
}

impl StateV1 {
    /// The state the fields stand for, or `None` for a kind or fields format 1
    /// never wrote (the record is then left out, as format 1 did).
    fn of(fields: FieldsV1) -> Option<StateV1> {
        Some(match fields.kind.as_str() {
            "submitting" => Self::Unchanged(RecordState::Submitting),
            "queued" => Self::Unchanged(RecordState::Queued),
            "generating" => Self::Unchanged(RecordState::Generating),
            "outcome_unknown" => Self::OutcomeUnknown {
                detail: fields.detail?,
            },
            "rejected" => Self::Rejected {
                message: fields.message?,
                status: fields.status,
            },
            "done" => Self::Unchanged(RecordState::Done {
                results: fields.results?,
                skipped: fields.skipped?,
            }),
            "failed" => Self::Unchanged(RecordState::Failed {
                reason: fields.reason?,
            }),
            "gave_up" => Self::GaveUp {
                message: fields.message?,
            },
            _ => return None,
        })
    }
}

/// Format 1's kept error: `{"api": {"status": 401, "kind": "unauthorized", ...}}`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ErrorV1 {
    Api {
        status: Option<u16>,
        kind: String,
        message: String,
    },
    Unreadable,
    Gateway {
        status: u16,
        message: String,
    },
    NoAnswer {
        address: Option<String>,
        cause: Silence,
    },
    NotSent {
        reason: NotSentV1,
    },
    Interrupted,
    TimedOut,
}

/// Format 1's reason for a call not made, with the configuration's reasons inline.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum NotSentV1 {
    TaskId,
    Unwritable,
    Unbuildable,
    Key,
    BaseQueryOrFragment,
    Base { url: UrlError },
}

/// A kept error this version cannot read (damaged, or a later version's) leaves the
/// record with its sentence, as format 1's readers did.
fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<ErrorV1>, D::Error> {
    let raw = <&serde_json::value::RawValue>::deserialize(deserializer)?;
    Ok(serde_json::from_str(raw.get()).ok())
}

impl RecordV1 {
    /// Today's record, or `None` when the state is not one format 1 wrote.
    pub(super) fn read(self) -> Option<TaskRecord> {
        let old = self;
        let state = StateV1::of(old.state)?;
        Some(TaskRecord {
            id: old.id,
            task_id: old.task_id,
            prompt: old.prompt,
            inputs: old.inputs,
            size: RecordedSize::read(&old.size),
            sequential: old.sequential,
            max_images: old.max_images,
            output_format: old.output_format,
            submitted_at_ms: old.submitted_at_ms,
            finished_at_ms: old.finished_at_ms,
            updated_at_ms: old.updated_at_ms,
            kept: Default::default(),
            pinned: false,
            state: today(state, old.error),
        })
    }
}

/// Today's state for format 1's state and kept error.
fn today(state: StateV1, error: Option<ErrorV1>) -> RecordState {
    match (state, error) {
        (StateV1::Unchanged(state), _) => state,
        (_, Some(ErrorV1::Interrupted)) => RecordState::Interrupted,
        (_, Some(ErrorV1::TimedOut)) => RecordState::TimedOut,
        (StateV1::Rejected { .. } | StateV1::OutcomeUnknown { .. }, Some(error)) => {
            RecordState::NotAccepted(submit_error(error))
        }
        (StateV1::GaveUp { message }, Some(error)) => {
            RecordState::GaveUp(read_error(error).unwrap_or_else(|| said(&message)))
        }
        (StateV1::Rejected { message, status }, None) => {
            let kind = ErrorKind::from_code(status.map_or(0, i64::from));
            RecordState::NotAccepted(SubmitError::Rejected(ApiError {
                code: None,
                wait_secs: None,
                status,
                kind,
                message,
            }))
        }
        (StateV1::OutcomeUnknown { detail }, None) => {
            if detail == td_string!(Locale::en, tasks.problem.interrupted) {
                RecordState::Interrupted
            } else {
                // What matters survives: nobody knows whether the edit was taken.
                RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable))
            }
        }
        (StateV1::GaveUp { message }, None) => {
            if message == td_string!(Locale::en, tasks.problem.timed_out) {
                RecordState::TimedOut
            } else {
                RecordState::GaveUp(said(&message))
            }
        }
    }
}

/// A failed submit's kept error, as the client reports it.
fn submit_error(error: ErrorV1) -> SubmitError {
    match error {
        ErrorV1::Api {
            status,
            kind,
            message,
        } => SubmitError::Rejected(api_error(status, &kind, message)),
        ErrorV1::Unreadable | ErrorV1::Interrupted | ErrorV1::TimedOut => {
            SubmitError::OutcomeUnknown(Unknown::Unreadable)
        }
        ErrorV1::Gateway { status, message } => SubmitError::OutcomeUnknown(Unknown::Gateway {
            status,
            error: ApiError {
                code: None,
                wait_secs: None,
                status: Some(status),
                kind: ErrorKind::OtherStatus,
                message,
            },
        }),
        ErrorV1::NoAnswer { address, cause } => {
            SubmitError::OutcomeUnknown(Unknown::NoAnswer(no_answer(address, cause)))
        }
        ErrorV1::NotSent { reason } => SubmitError::Invalid(not_sent(reason)),
    }
}

/// A failed query's kept error; `None` for one only a submit has.
fn read_error(error: ErrorV1) -> Option<ReadError> {
    Some(match error {
        ErrorV1::Api {
            status,
            kind,
            message,
        } => ReadError::Api {
            error: api_error(status, &kind, message),
            reset_wait_secs: None,
        },
        ErrorV1::NoAnswer { address, cause } => ReadError::NoAnswer(no_answer(address, cause)),
        ErrorV1::NotSent { reason } => ReadError::Invalid(not_sent(reason)),
        ErrorV1::Unreadable
        | ErrorV1::Gateway { .. }
        | ErrorV1::Interrupted
        | ErrorV1::TimedOut => {
            return None;
        }
    })
}

/// A query's failure known only by its sentence.
fn said(message: &str) -> ReadError {
    ReadError::Api {
        error: ApiError {
            code: None,
            wait_secs: None,
            status: None,
            kind: ErrorKind::OtherStatus,
            message: message.to_owned(),
        },
        reset_wait_secs: None,
    }
}

/// The API's error; a kind this version does not know is taken from the status.
fn api_error(status: Option<u16>, kind: &str, message: String) -> ApiError {
    // Read as the name in a record is (format 2 stores kinds by these names).
    let kind = serde_json::to_string(kind)
        .and_then(|name| serde_json::from_str(&name))
        .unwrap_or_else(|_| ErrorKind::from_code(status.map_or(0, i64::from)));
    ApiError {
        code: None,
        wait_secs: None,
        status,
        kind,
        message,
    }
}

fn no_answer(address: Option<String>, cause: Silence) -> NoAnswer {
    NoAnswer {
        target: address.map_or(Target::ThisServer, Target::Address),
        cause,
    }
}

fn not_sent(reason: NotSentV1) -> NotSent {
    match reason {
        NotSentV1::TaskId => NotSent::TaskId,
        NotSentV1::Unwritable => NotSent::Unwritable,
        NotSentV1::Unbuildable => NotSent::Unbuildable,
        NotSentV1::Key => NotSent::Config(ConfigError::Key),
        NotSentV1::BaseQueryOrFragment => NotSent::Config(ConfigError::BaseQueryOrFragment),
        NotSentV1::Base { url } => NotSent::Config(ConfigError::Base(url)),
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::history::parse_legacy_history;

    const FIXTURE: &str = include_str!("../../tests/fixtures/history-v1.json");

    /// Format 1's English account of a failed state.
    fn account(state: &serde_json::Value) -> Option<String> {
        ["message", "detail"]
            .iter()
            .find_map(|field| state[field].as_str().map(str::to_owned))
    }

    #[test]
    fn every_format_1_record_reads_as_the_error_it_kept() {
        let fixture: Vec<serde_json::Value> = serde_json::from_str(FIXTURE).unwrap();
        let (records, warning) = parse_legacy_history(FIXTURE);
        assert_eq!(warning, None);
        assert_eq!(records.len(), fixture.len());
        for (record, old) in records.iter().zip(&fixture) {
            assert_eq!(record.id, old["id"].as_str().unwrap());
            let kept_error = !old["error"].is_null();
            // Where format 1 kept the error, today's description of it is the very
            // sentence format 1 stored beside it.
            let described = match &record.state {
                RecordState::NotAccepted(error) => Some(error.to_string()),
                RecordState::GaveUp(error) => Some(error.to_string()),
                RecordState::Interrupted => {
                    Some(td_string!(Locale::en, tasks.problem.interrupted).to_string())
                }
                RecordState::TimedOut => {
                    Some(td_string!(Locale::en, tasks.problem.timed_out).to_string())
                }
                _ => None,
            };
            if kept_error || described.is_some() && old["state"]["kind"] != "rejected" {
                assert_eq!(described, account(&old["state"]), "{}", record.id);
            }
        }
        let state = |id: &str| &records.iter().find(|r| r.id == id).unwrap().state;
        // The two sentences the app wrote itself are recognised once, here.
        assert_eq!(*state("t-fixture-21"), RecordState::Interrupted);
        assert_eq!(*state("t-fixture-22"), RecordState::TimedOut);
        // A refusal known only by its words keeps them as the API's message.
        assert!(matches!(
            state("t-fixture-23"),
            RecordState::NotAccepted(SubmitError::Rejected(ApiError {
                code: None,
                wait_secs: None,
                status: Some(401),
                kind: ErrorKind::Unauthorized,
                message,
            })) if message == "Authentication failed: invalid API key."
        ));
        assert!(matches!(
            state("t-fixture-15"),
            RecordState::NotAccepted(SubmitError::Invalid(NotSent::Config(ConfigError::Base(
                UrlError::UnsupportedScheme { .. }
            ))))
        ));
        assert!(matches!(
            state("t-fixture-04"),
            RecordState::Done { results, skipped: 1 } if results.len() == 2
        ));
        // Not yet marked: that is `load`'s work, for format 1 and 2 alike.
        assert_eq!(*state("t-fixture-01"), RecordState::Submitting);
    }
}
