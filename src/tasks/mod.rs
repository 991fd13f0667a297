//! Submitted edits: sending them, following them to the end, and keeping them in the
//! history so they survive a reload.
//!
//! [`Tasks`] owns the list of [`TaskRecord`]s (newest first) as one signal and the
//! pollers of unfinished tasks; every change saves the history (merged with other
//! tabs' saves, see `tabs`), so what is shown and what is stored cannot drift apart.

mod card;
mod compare;
mod gallery;
mod lightbox;
mod share;
mod tabs;
mod thumbnail;
mod undo;
mod words;

use std::collections::HashMap;

use leptos::prelude::*;
use seedream_contract::{EditRequest, TaskState, TaskStatus};

use crate::api::{self, ApiConfig, SubmitBody, SubmitError};
use crate::embed::{HostEvent, HostLink};
use crate::history::merge::Synced;
use crate::history::{
    self, ErrorRecord, HistoryStore, RecordState, StorageProblem, TaskRecord, now_ms,
};
use crate::i18n::Locale;
use crate::media::Source;
use crate::poll::{self, PollEvent, PollHandle};
pub use card::TaskList;
pub use share::Shared;
pub use undo::{Removed, UndoNotice};
pub use words::{Announcement, Note};

/// What the host page hears of a record's new state.
fn host_event(record: &TaskRecord) -> Option<HostEvent> {
    let (id, task_id) = (record.id.clone(), record.task_id.clone());
    let progress = |status| HostEvent::Progress {
        id: id.clone(),
        task_id: task_id.clone(),
        status,
    };
    let failed = |reason: String| HostEvent::Failed {
        id: id.clone(),
        task_id: task_id.clone(),
        reason,
    };
    Some(match &record.state {
        RecordState::Submitting => return None,
        RecordState::Queued => progress("queued"),
        RecordState::Generating => progress("generating"),
        RecordState::Done { .. } => HostEvent::Completed {
            id: id.clone(),
            task_id: task_id.clone(),
            results: gallery::shown_results(record),
        },
        RecordState::Failed { reason } => failed(reason.clone()),
        RecordState::Rejected { message, .. } => failed(message.clone()),
        RecordState::GaveUp { message } => failed(message.clone()),
        // The detail already says the outcome is unknown and what to do.
        RecordState::OutcomeUnknown { detail } => failed(detail.clone()),
    })
}

/// How long Edit stays closed after a press, however fast the answer.
const SUBMIT_COOLDOWN_MS: f64 = 1000.0;

/// The task list and what keeps it moving.
#[derive(Clone, Copy)]
pub struct Tasks {
    pub records: RwSignal<Vec<TaskRecord>>,
    /// A passing note per record (e.g. "Rate limited; checking again in 3 s").
    pub notes: RwSignal<HashMap<String, Note>>,
    /// A storage problem to show (full quota, unreadable history).
    pub storage_problem: RwSignal<Option<StorageProblem>>,
    /// The latest status change, for the aria-live region.
    pub announcement: RwSignal<Option<Announcement>>,
    /// True while a submit is on its way, and for a moment after (Edit waits).
    pub sending: RwSignal<bool>,
    /// What the latest removals took, while Undo is offered (see `undo`).
    pub removed: RwSignal<Option<Removed>>,
    /// Small pictures of each record's inputs, for this session (see `thumbnail`).
    pub thumbnails: RwSignal<HashMap<String, Vec<Option<String>>>>,
    pollers: StoredValue<HashMap<String, PollHandle>, LocalStorage>,
    config: Signal<ApiConfig>,
    store: StoredValue<HistoryStore, LocalStorage>,
    /// The record ids this tab last saw in storage: the base for merging other tabs'
    /// changes (see [`history::merge`]).
    synced: StoredValue<Synced, LocalStorage>,
    /// True while a save waits for the history's lock; it writes the latest list, so
    /// changes meanwhile need no save of their own.
    save_waiting: StoredValue<bool, LocalStorage>,
    /// The host page to tell about changes, when embedded.
    link: StoredValue<Option<HostLink>, LocalStorage>,
}

impl Tasks {
    /// Loads the page's history and resumes following the tasks that had not finished.
    pub fn new(config: Signal<ApiConfig>) -> Tasks {
        Self::with_store(config, HistoryStore::new(), None)
    }

    /// As [`Tasks::new`], with the history in `store` and changes told to `link`.
    pub fn with_store(
        config: Signal<ApiConfig>,
        store: HistoryStore,
        link: Option<HostLink>,
    ) -> Tasks {
        let loaded = store.load();
        let records = loaded.records;
        let synced = Synced::of(&records);
        let key = store.key().to_owned();
        let tasks = Tasks {
            records: RwSignal::new(records),
            notes: RwSignal::new(HashMap::new()),
            storage_problem: RwSignal::new(loaded.warning),
            announcement: RwSignal::new(None),
            sending: RwSignal::new(false),
            removed: RwSignal::new(None),
            thumbnails: RwSignal::new(HashMap::new()),
            pollers: StoredValue::new_local(HashMap::new()),
            config,
            store: StoredValue::new_local(store),
            synced: StoredValue::new_local(synced),
            save_waiting: StoredValue::new_local(false),
            link: StoredValue::new_local(link),
        };
        let resume = tasks
            .records
            .with_untracked(|records| history::list::to_follow(records));
        for (id, task_id) in resume {
            tasks.follow(id, task_id);
        }
        // Hidden tabs are polled slowly; coming back, the user sees fresh states at
        // once instead of after the slow interval.
        let listener = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
            if visible {
                tasks.check_all_running();
            }
        });
        on_cleanup(move || listener.remove());
        // Another tab saved: take in its changes, so a save from here keeps them.
        let listener = window_event_listener(leptos::ev::storage, move |event| {
            if history::sync::is_change_to(&event, &key) {
                tasks.take_in_stored();
            }
        });
        on_cleanup(move || listener.remove());
        tasks
    }

    /// Changes one record (if it still exists), announces a new status, and saves the
    /// history when the record changed. Returns whether the record was there.
    fn update(self, id: &str, change: impl FnOnce(&mut TaskRecord)) -> bool {
        let (mut found, mut dirty) = (false, false);
        let mut changed = None;
        self.records.update(|records| {
            if let Some(record) = history::list::find_mut(records, id) {
                found = true;
                let before = record.clone();
                change(record);
                dirty = *record != before;
                if std::mem::discriminant(&before.state) != std::mem::discriminant(&record.state) {
                    changed = Some(record.clone());
                }
            }
        });
        if let Some(record) = changed {
            self.announce(&record);
        }
        // A poll answer that changes nothing costs no save (each one reads and merges
        // what storage holds).
        if dirty {
            self.save();
        }
        found
    }

    /// Tells the user (the aria-live region) and the host page of a record's new
    /// status.
    fn announce(self, record: &TaskRecord) {
        self.announcement.set(Some(Announcement::of(record)));
        if let Some(event) = host_event(record) {
            self.tell_host(&event);
        }
    }

    fn tell_host(self, event: &HostEvent) {
        self.link.with_value(|link| {
            if let Some(link) = link {
                link.emit(event);
            }
        });
    }

    /// Sends `body`, written from `request`, once. A submit is paid, so it is never
    /// repeated here: when its outcome is unknown the card says so and the user
    /// decides.
    pub fn submit(self, request: EditRequest<Source>, body: SubmitBody) {
        if self.sending.get_untracked() {
            return;
        }
        self.sending.set(true);
        let record = TaskRecord::from_request(&request, now_ms());
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
        // Handles, not bytes: kept for "Edit again" and the comparison.
        history::inputs::remember(&id, request.image);
        self.records
            .update(|records| history::list::upsert(records, record));
        self.save();
        let config = self.config.get_untracked();
        let started = now_ms();
        leptos::task::spawn_local(async move {
            let outcome = api::submit(&config, &body).await;
            // The body's blob goes now: the browser may free the ~190 MB it holds.
            drop(body);
            self.settle_submit(&id, outcome);
            // Drawn after the upload, so decoding fourteen large images never
            // competes with it.
            self.keep_thumbnails(&id, previews);
            // A fast answer must not reopen Edit under a double click or a repeated
            // Enter: it stays closed for at least this long after the first press.
            let left = SUBMIT_COOLDOWN_MS - (now_ms() - started);
            if left > 0.0 {
                gloo_timers::future::sleep(std::time::Duration::from_millis(left as u64)).await;
            }
            self.sending.set(false);
        });
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
            self.thumbnails.try_update(|all| all.insert(id, drawn));
        });
    }

    fn settle_submit(
        self,
        id: &str,
        outcome: Result<seedream_contract::SubmittedTask, SubmitError>,
    ) {
        let id = id.to_owned();
        match outcome {
            Ok(submitted) => {
                let task_id = submitted.task_id.clone();
                let kept = self.update(&id, |r| {
                    r.task_id = Some(task_id.clone());
                    r.set_state(RecordState::Queued, now_ms());
                });
                // Never a poller for a record that is no longer listed.
                if kept {
                    self.follow(id, task_id);
                }
            }
            Err(error) => {
                // The English account stays in the state for older versions of the
                // app; the card describes the kept error in the user's language.
                let english = error.to_string();
                let state = match &error {
                    SubmitError::Rejected(api) => RecordState::Rejected {
                        message: english,
                        status: api.status,
                    },
                    SubmitError::OutcomeUnknown(_) => {
                        RecordState::OutcomeUnknown { detail: english }
                    }
                    SubmitError::Invalid(_) => RecordState::Rejected {
                        message: english,
                        status: None,
                    },
                };
                let kept = ErrorRecord::from_submit(&error);
                self.update(&id, |r| r.set_failure(state, Some(kept), now_ms()));
            }
        }
    }

    /// Follows `task_id` until it ends, reflecting each answer in record `id`.
    pub fn follow(self, id: String, task_id: String) {
        let record_id = id.clone();
        let handle = poll::follow(self.config.get_untracked(), task_id, move |event| {
            self.on_poll_event(&record_id, event);
        });
        self.pollers.update_value(|pollers| {
            pollers.insert(id, handle);
        });
    }

    fn on_poll_event(self, id: &str, event: PollEvent) {
        let note = match &event {
            PollEvent::Retrying {
                error, retry_in, ..
            } => Some(Note::Retrying {
                error: error.clone(),
                retry_in: *retry_in,
            }),
            _ => None,
        };
        self.notes.update(|notes| match note {
            Some(note) => {
                notes.insert(id.to_owned(), note);
            }
            None => {
                notes.remove(id);
            }
        });
        let (state, error) = match event {
            PollEvent::Status(TaskStatus::Pending) => (RecordState::Queued, None),
            PollEvent::Status(_) => (RecordState::Generating, None),
            PollEvent::Succeeded { resources, skipped } => (
                RecordState::from_task_state(&TaskState::Succeeded(resources), skipped),
                None,
            ),
            PollEvent::Failed { reason } => (RecordState::Failed { reason }, None),
            PollEvent::GaveUp(error) => (
                RecordState::GaveUp {
                    message: error.to_string(),
                },
                Some(ErrorRecord::from_read(&error)),
            ),
            PollEvent::TimedOut { .. } => {
                let error = ErrorRecord::TimedOut;
                let message = error.describe(Locale::en, history::Call::Read);
                (RecordState::GaveUp { message }, Some(error))
            }
            PollEvent::Retrying { .. } => return,
        };
        let finished = state.is_final();
        self.update(id, |r| {
            if r.state != state {
                r.set_failure(state, error, now_ms());
            }
        });
        if finished {
            self.pollers.update_value(|pollers| {
                pollers.remove(id);
            });
        }
    }

    /// Checks a task now instead of waiting for the next scheduled query; resumes
    /// following a task whose checks had given up.
    pub fn check_now(self, id: &str) {
        let running = self.pollers.with_value(|pollers| {
            pollers
                .get(id)
                .filter(|p| p.is_running())
                .map(PollHandle::poll_now)
                .is_some()
        });
        if running {
            return;
        }
        let task_id = self.records.with_untracked(|records| {
            history::list::find(records, id).and_then(|r| r.task_id.clone())
        });
        if let Some(task_id) = task_id {
            self.update(id, |r| r.set_state(RecordState::Generating, now_ms()));
            self.follow(id.to_owned(), task_id);
        }
    }

    /// Queries every followed task now (the page became visible again).
    pub fn check_all_running(self) {
        self.pollers.with_value(|pollers| {
            for poller in pollers.values().filter(|p| p.is_running()) {
                poller.poll_now();
            }
        });
    }
}
