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

use crate::api::{ReadError, SubmitError};
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

/// Where a task got to. Stored by variant name (`"queued"`, `{"done": {...}}`); a
/// failure keeps the API client's own error, described when shown in the language
/// the user reads then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// The submit is in flight (or, with a task id, accepted and not yet polled).
    Submitting,
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
    /// The service ran the task and it failed.
    Failed {
        /// Why, as reported (the service's words, which no one translates).
        reason: String,
    },
    /// The submit produced no task id: refused, not sent, or of unknown outcome.
    NotAccepted(SubmitError),
    /// The page went away while the submit was on its way: whether it was accepted
    /// (and charged) is unknown.
    Interrupted,
    /// The app stopped following the task: a query failed for good.
    GaveUp(ReadError),
    /// The app stopped following the task at the poller's deadline; it may still end.
    TimedOut,
}

/// A task's status: the one table from a state to what it is called, and from
/// there to its [`Phase`]. The task list's words, badges, announcements, host
/// events and buttons are all derived from these two (see `tasks::status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Submitting,
    Queued,
    Generating,
    Done,
    /// The service ran the task and it failed.
    Failed,
    /// The submit was refused, or never sent.
    Refused,
    /// Whether the submit was taken (and charged) is unknown.
    OutcomeUnknown,
    /// The app stopped following the task.
    Stopped,
}

/// Where a task stands, in four.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Being sent, or accepted and waiting its turn.
    Waiting,
    /// Being generated.
    Running,
    /// Finished with outputs.
    Done,
    /// Something went wrong; the state says what.
    Problem,
}

impl Status {
    /// Where a task with this status stands.
    pub fn phase(self) -> Phase {
        match self {
            Self::Submitting | Self::Queued => Phase::Waiting,
            Self::Generating => Phase::Running,
            Self::Done => Phase::Done,
            Self::Failed | Self::Refused | Self::OutcomeUnknown | Self::Stopped => Phase::Problem,
        }
    }
}

impl RecordState {
    /// What the state is called.
    pub fn status(&self) -> Status {
        match self {
            Self::Submitting => Status::Submitting,
            Self::Queued => Status::Queued,
            Self::Generating => Status::Generating,
            Self::Done { .. } => Status::Done,
            Self::Failed { .. } => Status::Failed,
            Self::NotAccepted(SubmitError::OutcomeUnknown(_)) | Self::Interrupted => {
                Status::OutcomeUnknown
            }
            Self::NotAccepted(SubmitError::Rejected(_) | SubmitError::Invalid(_)) => {
                Status::Refused
            }
            Self::GaveUp(_) | Self::TimedOut => Status::Stopped,
        }
    }

    /// Where the task stands.
    pub fn phase(&self) -> Phase {
        self.status().phase()
    }

    /// True when nothing more will happen to the task without the user.
    pub fn is_final(&self) -> bool {
        matches!(self.phase(), Phase::Done | Phase::Problem)
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
        }
    }

    /// Moves to `state`, stamping the finish time the first time it is final.
    pub fn set_state(&mut self, state: RecordState, now_ms: f64) {
        if state.is_final() && self.finished_at_ms.is_none() {
            self.finished_at_ms = Some(now_ms);
        }
        self.state = state;
        self.updated_at_ms = Some(now_ms);
    }

    /// When this record last changed, for telling two copies of it apart.
    pub fn changed_at_ms(&self) -> f64 {
        self.updated_at_ms.unwrap_or(self.submitted_at_ms)
    }

    /// True when the task must be polled again after a reload: the service accepted
    /// it (there is a task id) and it had not ended.
    pub fn is_unfinished(&self) -> bool {
        self.task_id.is_some() && self.is_in_progress()
    }

    /// True while the edit is on its way: being sent, or sent and not ended.
    /// Clearing the list leaves these alone (they are paid for).
    pub fn is_in_progress(&self) -> bool {
        !self.state.is_final()
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
