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
    AsImageRef, EditRequest, ImageSource, OutputFormat, RESULT_TTL_SECS, SequentialMode,
    validate_image,
};
use serde::{Deserialize, Serialize};

use super::kept::Kept;
use super::size::RecordedSize;
use super::state::RecordState;
use crate::i18n::Locale;
use crate::locale::image_label;
use crate::media::{FromResult, Source};

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
    /// The output size as sent, `WIDTHxHEIGHT` (an early version's record may hold
    /// other text, which is kept and never sent).
    pub size: RecordedSize,
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
    /// Whether its images are kept in this browser beyond their links.
    #[serde(default, skip_serializing_if = "Kept::is_no")]
    pub kept: Kept,
    /// Kept in this browser whatever the archive's budget (the person pinned it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
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
    /// The hex SHA-256 of a local file's bytes, under which the archive keeps it
    /// (computed after the submit went out, so set a moment after the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The studio result it was ("Use as input"): one of the task's parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<FromResult>,
}

impl InputRecord {
    /// Describes the image at `index` (0-based) as the request sends it.
    ///
    /// The contract's image check supplies the format and size of a local image or a
    /// data URI without keeping its bytes; a URL is kept as the address. Anything else (not valid,
    /// which a sent request never holds) is described by its label only.
    pub fn from_reference<R: AsImageRef + ?Sized>(index: usize, reference: &R) -> InputRecord {
        let mut input = InputRecord {
            // In English: what versions before this one read.
            label: image_label(Locale::en, index),
            url: None,
            format: None,
            width: None,
            height: None,
            bytes: None,
            sha256: None,
            from: None,
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
    /// A record for a request about to be submitted (state `Submitting`), with a
    /// fresh local id.
    pub fn from_request<I: AsImageRef>(request: &EditRequest<I>, now_ms: f64) -> TaskRecord {
        Self::from_request_with_id(request, new_record_id(now_ms), now_ms)
    }

    /// As [`TaskRecord::from_request`], under the local id `id`.
    pub fn from_request_with_id<I: AsImageRef>(
        request: &EditRequest<I>,
        id: String,
        now_ms: f64,
    ) -> TaskRecord {
        TaskRecord {
            id,
            task_id: None,
            prompt: request.prompt.clone(),
            inputs: request
                .image
                .iter()
                .enumerate()
                .map(|(index, image)| InputRecord::from_reference(index, image))
                .collect(),
            size: request.size.into(),
            sequential: request.sequential_image_generation,
            max_images: request.sequential_image_generation_max_images,
            output_format: request.output_format,
            submitted_at_ms: now_ms,
            finished_at_ms: None,
            updated_at_ms: Some(now_ms),
            state: RecordState::Submitting,
            kept: Kept::No,
            pinned: false,
        }
    }

    /// The request this record was made from, with `images` (the images it sent, in
    /// order) as its inputs; the text of a stored size that cannot be sent otherwise.
    /// Not yet validated: sending does that, for every request alike.
    pub fn to_request(&self, images: Vec<Source>) -> Result<EditRequest<Source>, String> {
        let size = self.size.usable().map_err(str::to_owned)?;
        Ok(EditRequest::new(self.prompt.clone(), images)
            .with_size(size)
            .with_output_format(self.output_format)
            .with_sequential(self.sequential, Some(self.max_images)))
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
}
