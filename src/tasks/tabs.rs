//! Several tabs, one history: this tab's side of [`history::merge`] and
//! [`history::sync`]. Every save merges with what other tabs saved, under the
//! history's Web Lock; another tab's save is taken in as it happens.

use leptos::prelude::*;

use super::Tasks;
use crate::history::merge::{Merged, Synced, merge};
use crate::history::{self, HistoryStore, TaskRecord};

impl Tasks {
    /// Saves the list, merged with what other tabs saved meanwhile.
    pub(super) fn save(self) {
        // Gone with its page (a removed embedding): nothing to save.
        let Some(waiting) = self.save_waiting.try_get_value() else {
            return;
        };
        // The save already waiting for the lock writes the latest list.
        if waiting {
            return;
        }
        self.save_waiting.set_value(true);
        history::sync::with_lock(move || {
            // The page may have gone meanwhile: then the value comes back.
            if self.save_waiting.try_set_value(false).is_some() {
                return;
            }
            self.merge_with_storage(true);
        });
    }

    /// Another tab saved: take its changes in, without writing them back.
    pub(super) fn take_in_stored(self) {
        self.merge_with_storage(false);
    }

    /// Merges what storage holds now into the list; writes the result when `write`.
    fn merge_with_storage(self, write: bool) {
        let Some(stored) = self.history.try_with_value(HistoryStore::read) else {
            return;
        };
        let complete = stored.warning.is_none();
        let mine = self.records_untracked();
        let Merged {
            records: merged,
            removed,
            added,
            stored: stored_ids,
        } = self
            .synced
            .with_value(|base| merge(&mine, stored.records, base, complete));
        for id in &removed {
            self.forget_session_state(id);
        }
        let followed_and_changed = self.followed_and_changed(&mine, &merged);
        let arrived = history::list::to_follow(merged.iter().filter(|r| added.contains(&r.id)));
        self.replace_records(merged);
        // What another tab saw happen to a task this tab follows is news here too
        // (its own poller would then find nothing new to say); a finished one needs
        // no more queries from here.
        for record in followed_and_changed {
            self.announce(&record);
            if !record.is_unfinished() {
                self.stop_following(&record.id);
            }
        }
        // Followed here too: harmless (two tabs' queries of one task), and the task
        // still ends if the tab that sent it closes.
        for (id, task_id) in arrived {
            self.follow(id, task_id);
        }
        let next_base = if write {
            let records = self.records_untracked();
            let result = self.history.with_value(|store| store.save(&records));
            let written = result.is_ok();
            self.storage_problem.set(result.err());
            match written {
                true => Synced::written(&records),
                // Storage kept what it held.
                false => stored_ids,
            }
        } else {
            stored_ids
        };
        self.synced.set_value(next_base);
    }

    /// The records of `merged` whose status differs from this tab's copy (`mine`),
    /// among the tasks this tab follows.
    fn followed_and_changed(self, mine: &[TaskRecord], merged: &[TaskRecord]) -> Vec<TaskRecord> {
        let status = |record: &TaskRecord| record.state.status();
        merged
            .iter()
            .filter(|record| self.pollers.with_value(|p| p.contains_key(&record.id)))
            .filter(|record| {
                history::list::find(mine, &record.id)
                    .is_some_and(|old| status(old) != status(record))
            })
            .cloned()
            .collect()
    }

    /// Stops following a task and lets go of its input images, which this session
    /// kept for "Edit again" (the rest of its session state went with its entry).
    pub(super) fn forget_session_state(self, id: &str) {
        self.stop_following(id);
        self.inputs.update_value(|inputs| inputs.forget(id));
    }
}
