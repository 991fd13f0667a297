//! Submitted edits: sending them, following them to the end, and keeping them in the
//! history so they survive a reload.
//!
//! [`Tasks`] owns the task list as one keyed store (`entries`: each task's record and
//! session state, newest first) and, beside it, the pollers of unfinished tasks;
//! every change to a record saves the history (merged with other tabs' saves, see
//! `tabs`), so what is shown and what is stored cannot drift apart.

mod archive_panel;
mod arriving;
mod card;
mod carry;
mod carry_controls;
mod compare;
mod empty;
mod entries;
mod expiry;
mod follow;
mod gallery;
pub mod inputs;
mod keeping;
mod kept_src;
mod labels;
mod lightbox;
mod lineage;
mod notes;
mod older;
mod placeholder;
mod result_actions;
mod result_toolbar;
mod send;
mod share;
mod status;
mod tabs;
mod thumbnail;
mod undo;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_use::{use_document_visibility, use_event_listener};
use reactive_stores::Store;

use crate::api::ApiConfig;
use crate::embed::{HostEvent, HostLink};
use crate::history::merge::Synced;
use crate::history::{self, HistoryStore, StorageProblem, TaskRecord};
use crate::instructions::InstructionBook;
use crate::poll::PollHandle;
pub use archive_panel::{ArchivePanel, ArchiveStatus};
pub use card::{CARDS_PER_PAGE, TaskList};
pub use carry::Carry;
pub use entries::{TaskEntries, TaskEntry};
use entries::{TaskEntriesStoreFields, TaskEntryStoreFields};
pub use expiry::not_kept;
pub use inputs::{INPUT_CACHE_BUDGET, InputCache};
pub use notes::{Announcement, Note};
pub use send::{Press, Pressed, PressedIn, form_refusal, presses};
pub use share::ShareOutcome;
pub use undo::{Removed, UndoNotice};

/// The task list and what keeps it moving.
#[derive(Clone, Copy)]
pub struct Tasks {
    /// Every task: its record and this session's state of it.
    pub list: Store<TaskEntries>,
    /// A storage problem to show (full quota, unreadable history).
    pub storage_problem: RwSignal<Option<StorageProblem>>,
    /// The latest status change, for the aria-live region.
    pub announcement: RwSignal<Option<Announcement>>,
    /// What the latest removals took, while Undo is offered (see `undo`).
    pub removed: RwSignal<Option<Removed>>,
    /// What the archive holds and may hold (see `archive_panel`).
    pub archive_status: RwSignal<ArchiveStatus>,
    /// Where the latest export or import is (see `carry`).
    pub carry: RwSignal<Option<Carry>>,
    /// The edits chosen for the next export (by local id); none: export everything.
    pub selected: RwSignal<Vec<String>>,
    /// The pollers of the tasks followed, by local id: not reactive (a handle
    /// only starts and stops a loop), so beside the store rather than in it.
    pollers: StoredValue<HashMap<String, PollHandle>, LocalStorage>,
    /// The input images of this session's tasks, by local id (see `inputs`).
    inputs: StoredValue<InputCache, LocalStorage>,
    /// The archive of finished edits' images (see `keeping`).
    keeper: StoredValue<keeping::Keeper, LocalStorage>,
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
    /// The saved instructions, which a whole history's export carries (see `carry`).
    instructions: StoredValue<Option<InstructionBook>>,
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
            removed: RwSignal::new(None),
            archive_status: RwSignal::new(ArchiveStatus::default()),
            carry: RwSignal::new(None),
            selected: RwSignal::new(Vec::new()),
            pollers: StoredValue::new_local(HashMap::new()),
            inputs: StoredValue::new_local(InputCache::default()),
            keeper: StoredValue::new_local(keeping::Keeper::default()),
            config,
            history: StoredValue::new_local(store),
            synced: StoredValue::new_local(synced),
            save_waiting: StoredValue::new_local(false),
            link: StoredValue::new_local(link),
            instructions: StoredValue::new(None),
        };
        for (id, task_id) in history::list::to_follow(&tasks.records_untracked()) {
            tasks.follow(id, task_id);
        }
        crate::mark("tasks-ready");
        // After the first render's data: opening the database never delays it.
        tasks.open_archive();
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

    /// The instructions used lately, newest first, each once (the history's prompts).
    pub fn recent_instructions(self) -> Memo<Vec<String>> {
        Memo::new(move |_| {
            self.with_entries(|entries| {
                crate::instructions::list::recent(
                    entries.iter().map(|entry| entry.record.prompt.as_str()),
                )
            })
        })
    }

    /// Exports and imports carry `book`'s saved instructions from now on.
    pub fn carry_instructions(self, book: InstructionBook) {
        self.instructions.set_value(Some(book));
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
        let finished = record.state.is_final();
        if finished && !before.state.is_final() {
            // When a task's end is noticed (the bench's batch turnaround starts here).
            crate::mark("task-ended");
        }
        if finished {
            // Kept beyond the history's cap (see `older`).
            self.archive_records(std::slice::from_ref(&record));
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
}
