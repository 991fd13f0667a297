//! Sending an edit: the one path every submit takes.
//!
//! [`Tasks::send`] checks a request with the contract, has the browser write its
//! body, lists the task, submits it once and follows it. The form's Edit, "Submit
//! again" on a card and the host page's `submit` command all come here, through a
//! person's [`Press`]; so will batches, which call [`Tasks::send`] directly with
//! several sends in flight. A submit is paid, so it is never repeated here: when its
//! outcome is unknown the card says so and the user decides.

use std::time::Duration;

use leptos::prelude::*;
use seedream_contract::{EditRequest, SubmittedTask};

use super::Tasks;
use super::entries::{TaskEntriesStoreFields, TaskEntry, TaskEntryStoreFields};
use super::notes::Note;
use super::thumbnail;
use crate::api::{self, SubmitError};
use crate::embed::HostEvent;
use crate::form::{Refusal, RequestProblem};
use crate::history::{RecordState, TaskRecord, now_ms};
use crate::media::{FromResult, Source};

/// How long Edit and "Submit again" stay closed after a person's press, however fast
/// the answer: a double click or a repeated Enter is not a second paid edit.
const PRESS_COOLDOWN: Duration = Duration::from_secs(1);

/// Where a person pressed to send an edit: where a refusal is told.
#[derive(Clone, Debug, PartialEq)]
pub enum PressedIn {
    /// The form's Edit (or the host's `submit`), with the ids of its images in the
    /// request's order, so the form can mark those the browser could not read.
    Form { image_ids: Vec<u32> },
    /// "Submit again" on the card of this record.
    Card(String),
}

/// A person's press: a request to send, and where it came from.
#[derive(Clone, Debug)]
pub struct Press {
    pub request: EditRequest<Source>,
    /// The studio result each image came from, in the request's order (see
    /// [`Tasks::send`]).
    pub origins: Vec<Option<FromResult>>,
    pub from: PressedIn,
}

/// What came of a press: the new record's id, or why nothing was sent.
pub type Pressed = Result<String, (PressedIn, RequestProblem)>;

/// A person's presses, one at a time: its `pending()` closes Edit and "Submit
/// again" while an edit is on its way and for [`PRESS_COOLDOWN`] after the press.
pub fn presses(tasks: Tasks) -> Action<Press, Pressed> {
    Action::new_local(move |press: &Press| {
        let Press {
            request,
            origins,
            from,
        } = press.clone();
        async move {
            let pressed_at = now_ms();
            let outcome = tasks.send(request, origins).await.map_err(|problem| {
                if let PressedIn::Card(id) = &from {
                    tasks.say(id, Note::NotSent(problem.clone()));
                }
                (from, problem)
            });
            let waited = Duration::from_millis((now_ms() - pressed_at).max(0.0) as u64);
            if let Some(left) = PRESS_COOLDOWN.checked_sub(waited) {
                gloo_timers::future::sleep(left).await;
            }
            outcome
        }
    })
}

/// Why the form's latest press sent nothing, if it did not: what the form shows
/// under Edit.
pub fn form_refusal(presses: Action<Press, Pressed>) -> Signal<Option<Refusal>> {
    Signal::derive(move || {
        presses.value().with(|outcome| match outcome {
            Some(Err((PressedIn::Form { image_ids }, problem))) => {
                Some((image_ids.clone(), problem.clone()))
            }
            _ => None,
        })
    })
}

impl Tasks {
    /// Sends `request` once: checked by the contract, its body written by the
    /// browser (nothing is sent when an image can no longer be read), listed, then
    /// submitted and followed. Resolves with the new record's id once the submit is
    /// answered; several may be on their way at once. `origins` names the studio
    /// result each image came from (in order; missing entries came from none): the
    /// record keeps them as the task's parents.
    pub async fn send(
        self,
        request: EditRequest<Source>,
        origins: Vec<Option<FromResult>>,
    ) -> Result<String, RequestProblem> {
        request.validate().map_err(RequestProblem::Invalid)?;
        let body = api::body::write(&request).await?;
        let mut record = TaskRecord::from_request(&request, now_ms());
        for (input, from) in record.inputs.iter_mut().zip(origins) {
            input.from = from;
        }
        let id = record.id.clone();
        let previews: Vec<String> = request
            .image
            .iter()
            .map(|s| s.preview().to_owned())
            .collect();
        self.tell_host(&HostEvent::Submitted {
            id: id.clone(),
            prompt: request.prompt.clone(),
            images: request.image.len(),
        });
        // Handles, not bytes: kept for "Submit again", "Edit again" and the comparison.
        self.inputs
            .update_value(|inputs| inputs.remember(&id, request.image));
        self.list
            .entries()
            .update(|entries| entries.insert(0, TaskEntry::of(record)));
        self.save();
        let config = self.config.get_untracked();
        let outcome = api::submit(&config, &body).await;
        // The body's blob goes now: the browser may free the ~190 MB it holds.
        drop(body);
        self.settle_submit(&id, outcome);
        // Drawn after the upload, so decoding fourteen large images never competes
        // with it.
        self.keep_thumbnails(&id, previews);
        Ok(id)
    }

    fn settle_submit(self, id: &str, outcome: Result<SubmittedTask, SubmitError>) {
        match outcome {
            Ok(submitted) => {
                let task_id = submitted.task_id;
                let kept = self.update(id, |r| {
                    r.task_id = Some(task_id.clone());
                    r.set_state(RecordState::Queued, now_ms());
                });
                // Never a poller for a record that is no longer listed.
                if kept {
                    self.follow(id.to_owned(), task_id);
                    // After the submit has gone out: digests never delay it.
                    self.keep_inputs(id);
                }
            }
            Err(error) => {
                self.update(id, |r| {
                    r.set_state(RecordState::NotAccepted(error), now_ms())
                });
            }
        }
    }

    /// Draws the thumbnails of a record's inputs, in the background. The local
    /// images' object URLs stay valid meanwhile: the inputs cache holds them.
    fn keep_thumbnails(self, id: &str, previews: Vec<String>) {
        let id = id.to_owned();
        leptos::task::spawn_local(async move {
            let mut drawn = Vec::with_capacity(previews.len());
            for preview in &previews {
                drawn.push(thumbnail::thumbnail(preview).await);
            }
            self.list.entries().at_key(id).thumbnails().try_set(drawn);
        });
    }
}
