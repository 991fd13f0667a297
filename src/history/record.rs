//! One task as the history keeps it: what was asked, where it got to, what came back.
//!
//! A record is what survives a reload, so it holds only what is small and safe to
//! persist: the prompt, the parameters, a description of each input image (its URL
//! when it has one, never a data URI: those can be megabytes each and would blow the
//! storage quota), the task id, the state and the result URLs. There is deliberately
//! no field for the API key, and a test checks none ever appears.
//!
//! Storage is outside the app's control (another tab, an extension, a user in the
//! devtools can write anything there), so everything read back is re-vetted by
//! [`TaskRecord::sanitize`]: result URLs must pass the contract's
//! [`is_http_url`](seedream_contract::is_http_url)
//! before they can reach an `<img src>`.

use std::cell::Cell;

use seedream_contract::{
    AsImageRef, EditRequest, ImageSource, OutputFormat, RESULT_TTL_SECS, Resource, SequentialMode,
    TaskState, validate_image,
};
use serde::{Deserialize, Serialize};

use super::failure::{ErrorRecord, lenient};
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// How long results stay downloadable, in milliseconds (the contract's TTL).
pub const RESULT_TTL_MS: f64 = RESULT_TTL_SECS as f64 * 1000.0;

/// One task in the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// A local id, unique in this browser: the task id only exists once the submit
    /// answers, and a submit whose outcome is unknown never gets one.
    pub id: String,
    /// The service's task id, once the submit was accepted.
    pub task_id: Option<String>,
    /// The instruction as sent.
    pub prompt: String,
    /// The input images, in the order sent ("Image 1" first).
    pub inputs: Vec<InputRecord>,
    /// The output size as sent, `WIDTHxHEIGHT`.
    pub size: String,
    /// Sequential (group) generation mode as sent.
    pub sequential: SequentialMode,
    /// The upper bound of generated images as sent.
    pub max_images: u8,
    /// The output format as sent.
    pub output_format: OutputFormat,
    /// When the edit was submitted (ms since the Unix epoch, `Date.now()`).
    pub submitted_at_ms: f64,
    /// When the app saw the task end (any final state).
    pub finished_at_ms: Option<f64>,
    /// When this record last changed (submitted, a new state): of two tabs' copies of
    /// one record, the later one is kept ([`merge`](super::merge)). Records saved
    /// before it existed read as unchanged since their submit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at_ms: Option<f64>,
    /// Where the task is.
    pub state: RecordState,
    /// What went wrong, kept as data so the card can describe it in the language the
    /// user reads now; the state's text stays the English account (older records
    /// have only that, and older versions of the app read only that).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub error: Option<ErrorRecord>,
}

/// What the history remembers of one input image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    /// Its position as the prompt refers to it: "Image 1", "Image 2", ... Stored in
    /// English for older versions of the app; the interface names an input by its
    /// position, in the user's language.
    pub label: String,
    /// Its address when it was an http(s) URL; `None` for a local file (a data URI is
    /// never stored: see the module docs).
    pub url: Option<String>,
    /// "PNG", "JPEG", ... when known.
    pub format: Option<String>,
    /// Pixel width, when the form measured it.
    pub width: Option<u32>,
    /// Pixel height, when the form measured it.
    pub height: Option<u32>,
    /// Decoded size in bytes, when known (local files).
    pub bytes: Option<u64>,
}

/// One output image of a finished task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// Where to fetch it; temporary (see [`TaskRecord::expires_at_ms`]).
    pub url: String,
    /// Pixel width, if reported.
    pub width: Option<u32>,
    /// Pixel height, if reported.
    pub height: Option<u32>,
    /// "jpeg" or "png", if reported.
    pub format: Option<String>,
}

/// Where a task got to. Stored as `{"kind": "done", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordState {
    /// The submit is in flight (or, with a task id, accepted and not yet polled).
    Submitting,
    /// The submit may or may not have been accepted (and charged); the user decides.
    OutcomeUnknown {
        /// What happened, for the user.
        detail: String,
    },
    /// The service refused the submit.
    Rejected {
        /// The service's message.
        message: String,
        /// The HTTP status, when there was an answer.
        status: Option<u16>,
    },
    /// Accepted and waiting (`pending`).
    Queued,
    /// Being generated (`processing`).
    Generating,
    /// Finished with outputs.
    Done {
        /// The outputs with safe URLs.
        results: Vec<ResultRecord>,
        /// Outputs left out because their URL was unsafe or missing.
        skipped: usize,
    },
    /// The task failed.
    Failed {
        /// Why, as reported.
        reason: String,
    },
    /// The app stopped following the task (repeated errors, unknown task ...).
    GaveUp {
        /// Why, for the user.
        message: String,
    },
}

impl RecordState {
    /// True when nothing more will happen to the task without the user.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Submitting | Self::Queued | Self::Generating)
    }

    /// The state as a poll answer reports it; `skipped` counts outputs left out.
    pub fn from_task_state(state: &TaskState, skipped: usize) -> RecordState {
        match state {
            TaskState::Pending => Self::Queued,
            TaskState::Processing => Self::Generating,
            TaskState::Succeeded(resources) => Self::Done {
                results: resources.iter().map(ResultRecord::from_resource).collect(),
                skipped,
            },
            TaskState::Failed { reason } => Self::Failed {
                reason: reason.clone(),
            },
        }
    }

    /// A short name for a status badge.
    pub fn label(&self, locale: Locale) -> String {
        match self {
            Self::Submitting => td_string!(locale, tasks.status.submitting),
            Self::OutcomeUnknown { .. } => td_string!(locale, tasks.status.outcome_unknown),
            Self::Rejected { .. } => td_string!(locale, tasks.status.rejected),
            Self::Queued => td_string!(locale, tasks.status.queued),
            Self::Generating => td_string!(locale, tasks.status.generating),
            Self::Done { .. } => td_string!(locale, tasks.status.done),
            Self::Failed { .. } => td_string!(locale, tasks.status.failed),
            Self::GaveUp { .. } => td_string!(locale, tasks.status.stopped),
        }
        .to_string()
    }
}

impl ResultRecord {
    /// Keeps what the history needs of a contract [`Resource`].
    pub fn from_resource(resource: &Resource) -> ResultRecord {
        ResultRecord {
            url: resource.url.clone(),
            width: resource.width,
            height: resource.height,
            format: resource.format.clone(),
        }
    }
}

impl InputRecord {
    /// Describes the image at `index` (0-based) as the request sends it.
    ///
    /// The contract's image check supplies the format and size of a local image or a
    /// data URI without keeping its bytes; a URL is kept as the address. Anything else (not valid,
    /// which a sent request never holds) is described by its label only.
    pub fn from_reference<R: AsImageRef + ?Sized>(index: usize, reference: &R) -> InputRecord {
        let mut input = InputRecord {
            label: format!("Image {}", index.saturating_add(1)),
            url: None,
            format: None,
            width: None,
            height: None,
            bytes: None,
        };
        match validate_image(reference.as_image_ref()) {
            Ok(ImageSource::Url(url)) => input.url = Some(url),
            Ok(ImageSource::DataUri {
                format,
                decoded_len,
            }) => {
                input.format = Some(format.label().to_owned());
                input.bytes = Some(decoded_len as u64);
            }
            Err(_) => {}
        }
        input
    }
}

thread_local! {
    /// Makes ids unique within a millisecond in this page.
    static ID_COUNTER: Cell<u32> = const { Cell::new(0) };
}

/// A fresh local id: the time, a per-page counter and a random part, so two tabs
/// submitting in the same millisecond still differ.
pub fn new_record_id(now_ms: f64) -> String {
    let count = ID_COUNTER.with(|counter| {
        let next = counter.get().wrapping_add(1);
        counter.set(next);
        next
    });
    let random = (js_sys::Math::random() * f64::from(0x00ff_ffff_u32)) as u32;
    format!("t{:x}-{count:x}-{random:06x}", now_ms.max(0.0) as u64)
}

/// The current time in ms since the Unix epoch (`Date.now()`).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl TaskRecord {
    /// A record for a request about to be submitted (state `Submitting`).
    pub fn from_request<I: AsImageRef>(request: &EditRequest<I>, now_ms: f64) -> TaskRecord {
        TaskRecord {
            id: new_record_id(now_ms),
            task_id: None,
            prompt: request.prompt.clone(),
            inputs: request
                .image
                .iter()
                .enumerate()
                .map(|(index, image)| InputRecord::from_reference(index, image))
                .collect(),
            size: request.size.to_string(),
            sequential: request.sequential_image_generation,
            max_images: request.sequential_image_generation_max_images,
            output_format: request.output_format,
            submitted_at_ms: now_ms,
            finished_at_ms: None,
            updated_at_ms: Some(now_ms),
            state: RecordState::Submitting,
            error: None,
        }
    }

    /// Moves to `state`, stamping the finish time the first time it is final. An
    /// earlier error goes: it belonged to the previous state.
    pub fn set_state(&mut self, state: RecordState, now_ms: f64) {
        self.set_failure(state, None, now_ms);
    }

    /// As [`TaskRecord::set_state`], keeping `error` as what went wrong.
    pub fn set_failure(&mut self, state: RecordState, error: Option<ErrorRecord>, now_ms: f64) {
        if state.is_final() && self.finished_at_ms.is_none() {
            self.finished_at_ms = Some(now_ms);
        }
        self.state = state;
        self.error = error;
        self.updated_at_ms = Some(now_ms);
    }

    /// When this record last changed, for telling two copies of it apart.
    pub fn changed_at_ms(&self) -> f64 {
        self.updated_at_ms.unwrap_or(self.submitted_at_ms)
    }

    /// True when the task must be polled again after a reload: the service accepted
    /// it (there is a task id) and it had not ended.
    pub fn is_unfinished(&self) -> bool {
        self.task_id.is_some()
            && matches!(
                self.state,
                RecordState::Queued | RecordState::Generating | RecordState::Submitting
            )
    }

    /// True while the edit is on its way: being sent, or sent and not ended.
    /// Clearing the list leaves these alone (they are paid for).
    pub fn is_in_progress(&self) -> bool {
        self.is_unfinished() || matches!(self.state, RecordState::Submitting)
    }

    /// When the result URLs stop working: [`RESULT_TTL_SECS`] after the task ended.
    ///
    /// `None` unless the task is done (only done tasks have results). The end is when
    /// the app saw it; after a long-closed tab that is later than the real end, so the
    /// poller should stamp it as soon as it learns of it.
    pub fn expires_at_ms(&self) -> Option<f64> {
        match self.state {
            RecordState::Done { .. } => {
                // A done record without a finish time (only a hand-edited one) gets
                // the earliest possible end, the submit, so it never over-promises.
                let ended = self.finished_at_ms.unwrap_or(self.submitted_at_ms);
                Some(ended + RESULT_TTL_MS)
            }
            _ => None,
        }
    }

    /// Milliseconds until the results expire (0 once expired); `None` without results.
    pub fn time_left_ms(&self, now_ms: f64) -> Option<f64> {
        self.expires_at_ms()
            .map(|expires| (expires - now_ms).max(0.0))
    }

    /// True once the results' URLs no longer work.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.expires_at_ms()
            .is_some_and(|expires| now_ms >= expires)
    }

    /// What a card says about the results' lifetime ("Results expire in 3 h 12 min",
    /// "Results expired ..."); `None` without results.
    pub fn expiry_text(&self, locale: Locale, now_ms: f64) -> Option<String> {
        let left = self.time_left_ms(now_ms)?;
        if self.is_expired(now_ms) {
            let hours = count(locale, (RESULT_TTL_SECS / 3600) as f64);
            return Some(td_string!(locale, results.expiry.expired, hours).to_string());
        }
        let minutes = (left / 60_000.0).floor() as u64;
        let (hours, minutes) = (minutes / 60, minutes % 60);
        let (h, m) = (count(locale, hours as f64), count(locale, minutes as f64));
        Some(match (hours, minutes) {
            (0, 0) => td_string!(locale, results.expiry.under_a_minute).to_string(),
            (0, _) => td_string!(locale, results.expiry.minutes, minutes = m).to_string(),
            _ => {
                td_string!(locale, results.expiry.hours_minutes, hours = h, minutes = m).to_string()
            }
        })
    }
}
