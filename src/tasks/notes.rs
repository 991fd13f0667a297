//! What the task list says in passing, in the user's language: a card's note and
//! the announcement of a status change. Kept as data (an error, a status) and put
//! into words only when shown, so a language switch re-words them.

use std::time::Duration;

use super::share::ShareOutcome;
use super::status;
use crate::api::ReadError;
use crate::form::RequestProblem;
use crate::history::{Status, TaskRecord};
use crate::i18n::{Locale, td_string};
use crate::locale::format::duration;
use crate::locale::image_labels;

/// A passing note on a card.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// A query failed; another comes after `retry_in`.
    Retrying {
        error: ReadError,
        retry_in: Duration,
    },
    /// What came of downloading a result or copying its link.
    Shared(ShareOutcome),
    /// "Submit again" without the inputs, which went with a reload.
    InputsGone,
    /// "Submit again" of a record whose stored size is not one the service takes.
    SizeUnusable(String),
    /// "Submit again" sent nothing: an input the browser can no longer read, or a
    /// request the contract refuses.
    NotSent(RequestProblem),
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
            Self::SizeUnusable(size) => {
                td_string!(locale, tasks.note.size_unusable, size).to_string()
            }
            Self::NotSent(RequestProblem::Unreadable(indices)) => {
                let images = image_labels(locale, indices);
                td_string!(locale, tasks.note.inputs_unreadable, images).to_string()
            }
            Self::NotSent(problem) => problem.describe(locale),
        }
    }
}

/// A status change to announce: which edit, and its new state.
#[derive(Clone, Debug, PartialEq)]
pub struct Announcement {
    /// The start of the edit's prompt.
    pub excerpt: String,
    pub status: Status,
    /// The service's own name for a status the contract does not list.
    pub named: Option<String>,
}

impl Announcement {
    /// The change of `record`'s state.
    pub fn of(record: &TaskRecord) -> Announcement {
        Announcement {
            excerpt: excerpt(&record.prompt),
            status: record.state.status(),
            named: record.state.named_status().map(str::to_owned),
        }
    }

    /// "Edit “Turn this into…”: Done", in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        let status = status::label(self.status, self.named.as_deref(), locale);
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
