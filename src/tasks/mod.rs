//! Submitted edits: sending them, following them to the end, and keeping them in the
//! history so they survive a reload.
//!
//! [`Tasks`] owns the task list as one keyed store (`entries`: each task's record and
//! session state, newest first) and, beside it, the pollers of unfinished tasks;
//! every change to a record saves the history (merged with other tabs' saves, see
//! `tabs`), so what is shown and what is stored cannot drift apart.

mod card;
mod compare;
mod entries;
mod gallery;
mod labels;
mod lightbox;
mod notes;
mod share;
mod status;
mod tabs;
mod thumbnail;
mod undo;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_use::{use_document_visibility, use_event_listener};
use reactive_stores::Store;
use seedream_contract::EditRequest;

use crate::api::{self, ApiConfig, SubmitBody, SubmitError};
use crate::embed::{HostEvent, HostLink};
use crate::history::merge::Synced;
use crate::history::{self, HistoryStore, RecordState, StorageProblem, TaskRecord, now_ms};
use crate::media::Source;
use crate::poll::{self, PollEvent, PollHandle};
pub use card::{CARDS_PER_PAGE, TaskList};
pub use entries::{TaskEntries, TaskEntry};
use entries::{TaskEntriesStoreFields, TaskEntryStoreFields};
pub use notes::{Announcement, Note};
pub use share::ShareOutcome;
pub use undo::{Removed, UndoNotice};

/// How long Edit stays closed after a press, however fast the answer.
const SUBMIT_COOLDOWN_MS: f64 = 1000.0;

/// The task list and what keeps it moving.
#[derive(Clone, Copy)]
pub struct Tasks {
    /// Every task: its record and this session's state of it.
    pub list: Store<TaskEntries>,
    /// A storage problem to show (full quota, unreadable history).
    pub storage_problem: RwSignal<Option<StorageProblem>>,
    /// The latest status change, for the aria-live region.
    pub announcement: RwSignal<Option<Announcement>>,
    /// True while a submit is on its way, and for a moment after (Edit waits).
    pub sending: RwSignal<bool>,
    /// What the latest removals took, while Undo is offered (see `undo`).
    pub removed: RwSignal<Option<Removed>>,
    /// The pollers of the tasks followed, by local id: not reactive (a handle
    /// only starts and stops a loop), so beside the store rather than in it.
    pollers: StoredValue<HashMap<String, PollHandle>, LocalStorage>,
    config: Signal<ApiConfig>,
    /// Where the history is kept.
    history: StoredValue<HistoryStore, LocalStorage>,
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
        crate::mark("history-read");
        let records = loaded.records;
        let synced = Synced::of(&records);
        let key = store.key().to_owned();
        let entries = records.into_iter().map(TaskEntry::of).collect();
        let tasks = Tasks {
            list: Store::new(TaskEntries { entries }),
            storage_problem: RwSignal::new(loaded.warning),
            announcement: RwSignal::new(None),
            sending: RwSignal::new(false),
            removed: RwSignal::new(None),
            pollers: StoredValue::new_local(HashMap::new()),
            config,
            history: StoredValue::new_local(store),
            synced: StoredValue::new_local(synced),
            save_waiting: StoredValue::new_local(false),
            link: StoredValue::new_local(link),
        };
        for (id, task_id) in history::list::to_follow(&tasks.records_untracked()) {
            tasks.follow(id, task_id);
        }
        crate::mark("tasks-ready");
        // Hidden tabs are polled slowly; coming back, the user sees fresh states at
        // once instead of after the slow interval.
        let visibility = use_document_visibility();
        Effect::new(move |was_visible: Option<bool>| {
            let visible = visibility.get() == web_sys::VisibilityState::Visible;
            if visible && was_visible == Some(false) {
                tasks.check_all_running();
            }
            visible
        });
        // Another tab saved: take in its changes, so a save from here keeps them.
        let _ = use_event_listener(window(), leptos::ev::storage, move |event| {
            if history::sync::is_change_to(&event, &key) {
                tasks.take_in_stored();
            }
        });
        tasks
    }

    /// Changes one record (if it still exists), announces a new status, and saves the
    /// history when the record changed. Returns whether the record was there.
    fn update(self, id: &str, change: impl FnOnce(&mut TaskRecord)) -> bool {
        let Some(before) = self.with_record_untracked(id, TaskRecord::clone) else {
            return false;
        };
        let mut record = before.clone();
        change(&mut record);
        // A poll answer that changes nothing costs no render and no save (each save
        // reads and merges what storage holds).
        if record == before {
            return true;
        }
        let new_status = record.state.status() != before.state.status();
        if new_status {
            self.announce(&record);
        }
        self.list
            .entries()
            .at_key(id.to_owned())
            .record()
            .try_set(record);
        self.save();
        true
    }

    /// Tells the user (the aria-live region) and the host page of a record's new
    /// status.
    fn announce(self, record: &TaskRecord) {
        self.announcement.set(Some(Announcement::of(record)));
        if let Some(event) = status::host_event(record) {
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
        self.list
            .entries()
            .update(|entries| entries.insert(0, TaskEntry::of(record)));
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
            self.list.entries().at_key(id).thumbnails().try_set(drawn);
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
                self.update(&id, |r| {
                    r.set_state(RecordState::NotAccepted(error), now_ms())
                });
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
        let state = match event {
            PollEvent::Retrying {
                error, retry_in, ..
            } => {
                self.set_note(id, Some(Note::Retrying { error, retry_in }));
                return;
            }
            PollEvent::Report { state, skipped } => RecordState::from_task_state(&state, skipped),
            PollEvent::GaveUp(error) => RecordState::GaveUp(error),
            PollEvent::TimedOut { .. } => RecordState::TimedOut,
        };
        // An answer, or the end: an earlier retry's note no longer holds.
        self.set_note(id, None);
        let finished = state.is_final();
        self.update(id, |r| {
            if r.state != state {
                r.set_state(state, now_ms());
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
        let task_id = self
            .with_record_untracked(id, |r| r.task_id.clone())
            .flatten();
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
