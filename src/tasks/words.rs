//! What the task list says, in the user's language: status names, announcements,
//! passing notes and what went wrong. Everything here is kept as data (a state, an
//! error) and put into words only when shown, so a language switch re-words it all.

use std::time::Duration;

use seedream_contract::{ErrorKind, SequentialMode};

use super::share::Shared;
use crate::api::ReadError;
use crate::history::failure::kind_from_name;
use crate::history::{Call, ErrorRecord, RecordState, TaskRecord};
use crate::i18n::{Locale, td_string};
use crate::locale::format::{count, duration};

/// A passing note on a card.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// A query failed; another comes after `retry_in`.
    Retrying {
        error: ReadError,
        retry_in: Duration,
    },
    /// What came of downloading a result or copying its link.
    Shared(Shared),
    /// "Submit again" without the inputs, which went with a reload.
    InputsGone,
    /// "Submit again" with inputs the browser can no longer read (0-based).
    InputsUnreadable(Vec<usize>),
}

impl Note {
    /// The note in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Retrying { error, retry_in } => {
                let message = error.describe(locale);
                // Whole seconds, at least one: "in 0 s" would read as a mistake.
                let wait = duration(locale, retry_in.as_secs().max(1) as f64 * 1000.0);
                td_string!(locale, tasks.note.retrying, message, wait).to_string()
            }
            Self::Shared(shared) => shared.describe(locale),
            Self::InputsGone => td_string!(locale, tasks.note.inputs_gone).to_string(),
            Self::InputsUnreadable(indices) => {
                let separator = td_string!(locale, tasks.restore.separator).to_string();
                let images = indices
                    .iter()
                    .map(|&index| input_label(locale, index))
                    .collect::<Vec<_>>()
                    .join(&separator);
                td_string!(locale, tasks.note.inputs_unreadable, images).to_string()
            }
        }
    }
}

/// A status change to announce: which edit, and its new state.
#[derive(Clone, Debug, PartialEq)]
pub struct Announcement {
    /// The start of the edit's prompt.
    pub excerpt: String,
    pub state: RecordState,
}

impl Announcement {
    /// The change of `record`'s state.
    pub fn of(record: &TaskRecord) -> Announcement {
        Announcement {
            excerpt: excerpt(&record.prompt),
            state: record.state.clone(),
        }
    }

    /// "Edit “Turn this into…”: Done", in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        let status = self.state.label(locale);
        td_string!(locale, tasks.announcement, prompt = &self.excerpt, status).to_string()
    }
}

/// The start of a prompt, to name an edit in an announcement.
fn excerpt(prompt: &str) -> String {
    const SHOWN: usize = 40;
    let mut text: String = prompt.chars().take(SHOWN).collect();
    if prompt.chars().nth(SHOWN).is_some() {
        text.push('…');
    }
    text
}

/// The CSS name of a state's badge.
pub fn status_key(state: &RecordState) -> &'static str {
    match state {
        RecordState::Submitting | RecordState::Queued => "queued",
        RecordState::Generating => "generating",
        RecordState::Done { .. } => "done",
        RecordState::OutcomeUnknown { .. } => "unknown",
        RecordState::Rejected { .. } | RecordState::Failed { .. } | RecordState::GaveUp { .. } => {
            "failed"
        }
    }
}

/// True when the state has something gone wrong to tell ([`problem`]).
pub fn has_problem(state: &RecordState) -> bool {
    matches!(
        state,
        RecordState::Rejected { .. }
            | RecordState::OutcomeUnknown { .. }
            | RecordState::Failed { .. }
            | RecordState::GaveUp { .. }
    )
}

/// What went wrong, in plain words, with what to do about it; `None` when nothing
/// did.
pub fn problem(locale: Locale, record: &TaskRecord) -> Option<String> {
    let error = record.error.clone().or_else(|| recognise(&record.state));
    let described = |call| error.as_ref().map(|error| error.describe(locale, call));
    Some(match &record.state {
        RecordState::Rejected { message, status } => {
            let message = described(Call::Submit).unwrap_or_else(|| message.clone());
            // The kind says it best (an error can come in a 200 envelope); older
            // records have only the status.
            let code = match &error {
                Some(ErrorRecord::Api { kind, .. }) => {
                    kind_from_name(kind).and_then(ErrorKind::status_code)
                }
                _ => None,
            }
            .or(*status);
            match advice(locale, code) {
                Some(advice) => {
                    td_string!(locale, tasks.problem.with_advice, message, advice).to_string()
                }
                None => message,
            }
        }
        RecordState::OutcomeUnknown { detail } => {
            let detail = described(Call::Submit).unwrap_or_else(|| detail.clone());
            td_string!(locale, tasks.problem.outcome_unknown, detail).to_string()
        }
        // The service's own reason, which no one translates.
        RecordState::Failed { reason } => {
            td_string!(locale, tasks.problem.failed, reason).to_string()
        }
        RecordState::GaveUp { message } => {
            let message = described(Call::Read).unwrap_or_else(|| message.clone());
            td_string!(locale, tasks.problem.gave_up, message).to_string()
        }
        RecordState::Submitting
        | RecordState::Queued
        | RecordState::Generating
        | RecordState::Done { .. } => return None,
    })
}

/// What to do about a refused submit with this status.
fn advice(locale: Locale, status: Option<u16>) -> Option<String> {
    let advice = match status? {
        401 => td_string!(locale, tasks.problem.advice_401),
        402 => td_string!(locale, tasks.problem.advice_402),
        400 => td_string!(locale, tasks.problem.advice_400),
        429 => td_string!(locale, tasks.problem.advice_429),
        _ => return None,
    };
    Some(advice.to_string())
}

/// The app's own failures in a record from before errors were kept as data: their
/// English text is known, so they can still be said in the user's language.
fn recognise(state: &RecordState) -> Option<ErrorRecord> {
    let known = |error: ErrorRecord, text: &str, call| {
        (error.describe(Locale::en, call) == text).then_some(error)
    };
    match state {
        RecordState::OutcomeUnknown { detail } => {
            known(ErrorRecord::Interrupted, detail, Call::Submit)
        }
        RecordState::GaveUp { message } => known(ErrorRecord::TimedOut, message, Call::Read),
        _ => None,
    }
}

/// "2 input images · 2048x2048 · JPEG, a set of up to 4".
pub fn params_line(locale: Locale, record: &TaskRecord) -> String {
    let number = record.inputs.len();
    let inputs = if number == 1 {
        td_string!(locale, tasks.params.inputs_one).to_string()
    } else {
        let count = count(locale, number as f64);
        td_string!(locale, tasks.params.inputs, count).to_string()
    };
    let set = match record.sequential {
        SequentialMode::Auto => {
            let count = count(locale, record.max_images);
            td_string!(locale, tasks.params.set, count).to_string()
        }
        SequentialMode::Disabled => String::new(),
    };
    let size = &record.size;
    let format = record.output_format.as_str().to_uppercase();
    td_string!(locale, tasks.params.line, inputs, size, format, set).to_string()
}

/// An input's name on the card, by its position: "Image 2".
pub fn input_label(locale: Locale, index: usize) -> String {
    let number = count(locale, index.saturating_add(1) as f64);
    td_string!(locale, tasks.inputs.label, number).to_string()
}
