//! The task list as one keyed store: an entry per task holds its record (what the
//! history keeps) and what this session knows of it besides. A card reads its own
//! entry's fields, so a note or a new state re-renders that card's parts only, and
//! removing a task is one operation on one collection.

use leptos::prelude::*;
use reactive_stores::Store;

use super::Tasks;
use super::notes::Note;
use crate::history::TaskRecord;

/// One task in the list.
#[derive(Clone, Debug, PartialEq, Store)]
pub struct TaskEntry {
    /// What the history keeps.
    pub record: TaskRecord,
    /// A passing note (e.g. "Rate limited; checking again in 3 s").
    pub note: Option<Note>,
    /// Small pictures of the task's inputs, drawn this session (see `thumbnail`).
    pub thumbnails: Vec<Option<String>>,
}

impl TaskEntry {
    /// A task known only by its record (loaded, or from another tab).
    pub fn of(record: TaskRecord) -> TaskEntry {
        TaskEntry {
            record,
            note: None,
            thumbnails: Vec::new(),
        }
    }
}

/// Every task, newest first, keyed by the record's local id.
#[derive(Clone, Debug, Default, PartialEq, Store)]
pub struct TaskEntries {
    #[store(key: String = |entry| entry.record.id.clone())]
    pub entries: Vec<TaskEntry>,
}

impl Tasks {
    /// Reads every entry, newest first (tracked: any change to the list).
    pub fn with_entries<R>(self, read: impl FnOnce(&[TaskEntry]) -> R) -> R {
        self.list.entries().with(|entries| read(entries))
    }

    /// How many tasks have not ended (tracked): what the API counts against its limit.
    pub fn unfinished_count(self) -> usize {
        self.list
            .entries()
            .try_with(|entries| {
                entries
                    .iter()
                    .filter(|entry| !entry.record.state.is_final())
                    .count()
            })
            .unwrap_or(0)
    }

    pub(super) fn records_untracked(self) -> Vec<TaskRecord> {
        self.list
            .entries()
            .try_with_untracked(|entries| entries.iter().map(|e| e.record.clone()).collect())
            .unwrap_or_default()
    }

    /// The record `id`, read (and tracked) through `read`.
    pub fn with_record<R>(self, id: &str, read: impl FnOnce(&TaskRecord) -> R) -> Option<R> {
        self.list
            .entries()
            .at_key(id.to_owned())
            .record()
            .try_with(read)
    }

    /// As [`Tasks::with_record`], untracked.
    pub fn with_record_untracked<R>(
        self,
        id: &str,
        read: impl FnOnce(&TaskRecord) -> R,
    ) -> Option<R> {
        self.list
            .entries()
            .at_key(id.to_owned())
            .record()
            .try_with_untracked(read)
    }

    /// True when any task satisfies `test` (tracked).
    pub fn any(self, test: impl Fn(&TaskRecord) -> bool) -> bool {
        self.list
            .entries()
            .with(|entries| entries.iter().any(|entry| test(&entry.record)))
    }

    /// How many tasks there are (tracked).
    pub fn len(self) -> usize {
        self.list.entries().with(Vec::len)
    }

    /// True without tasks (tracked).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Puts `records` in place of the list, keeping each remaining task's session
    /// state; writes nothing when they are the list already.
    pub(super) fn replace_records(self, records: Vec<TaskRecord>) {
        let same = self.list.entries().with_untracked(|entries| {
            entries.len() == records.len()
                && entries.iter().zip(&records).all(|(e, r)| e.record == *r)
        });
        if same {
            return;
        }
        self.list.entries().update(|entries| {
            let mut old: std::collections::HashMap<String, TaskEntry> = entries
                .drain(..)
                .map(|entry| (entry.record.id.clone(), entry))
                .collect();
            *entries = records
                .into_iter()
                .map(|record| match old.remove(&record.id) {
                    Some(entry) => TaskEntry { record, ..entry },
                    None => TaskEntry::of(record),
                })
                .collect();
        });
    }

    /// Sets the note on task `id`, if it is still listed.
    pub(super) fn set_note(self, id: &str, note: Option<Note>) {
        let field = self.list.entries().at_key(id.to_owned()).note();
        if field.try_with_untracked(|current| *current != note) == Some(true) {
            field.try_set(note);
        }
    }

    /// Says `note` on task `id`'s card.
    pub fn say(self, id: &str, note: Note) {
        self.set_note(id, Some(note));
    }
}
