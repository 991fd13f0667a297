//! Removing edits without losing work: a removal is offered back for a while (Undo),
//! and clearing the list leaves the edits still running alone (they are paid for and
//! their results have yet to arrive); removing a running edit takes its own button.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use leptos::prelude::*;

use super::Tasks;
use super::entries::{TaskEntriesStoreFields, TaskEntry};
use crate::history;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::count;

/// How long a removal can be undone; until then the session keeps what the removed
/// edits had (their input images for "Edit again", their thumbnails).
const UNDO_FOR: Duration = Duration::from_secs(10);

/// What the latest removals took away, newest first: whole entries, so Undo brings
/// back a card as it was (its thumbnails too).
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    entries: Vec<TaskEntry>,
    /// Running edits that "Clear all" left in the list.
    kept_running: usize,
    /// Tells this removal from a later one, whose own time limit applies.
    serial: u64,
}

/// Numbers removals, so a removal's time limit never ends a later one's offer. Never
/// reset: after an Undo the next removal must not reuse a number whose timer runs.
static REMOVALS: AtomicU64 = AtomicU64::new(0);

impl Tasks {
    /// Takes a task out of the list, with Undo on offer.
    pub fn remove(self, id: &str) {
        let mut taken = None;
        self.list.entries().update(|entries| {
            if let Some(at) = entries.iter().position(|entry| entry.record.id == id) {
                taken = Some(entries.remove(at));
            }
        });
        self.stop_following(id);
        self.offer_undo(taken.into_iter().collect(), 0);
        self.save();
    }

    /// Takes out, with nothing to undo, a record of a submit that created nothing and
    /// that its sender sends again (a batch's item refused with 429): one card per
    /// item, not one per attempt.
    pub fn discard(self, id: &str) {
        self.list.entries().update(|entries| {
            entries.retain(|entry| entry.record.id != id);
        });
        self.stop_following(id);
        self.forget_session_state(id);
        self.unkeep(vec![id.to_owned()]);
        self.save();
    }

    /// Takes every finished task out of the list, with Undo on offer; running ones
    /// stay.
    pub fn clear(self) {
        let mut taken = Vec::new();
        let mut kept_running = 0;
        self.list.entries().update(|entries| {
            let (running, finished) = std::mem::take(entries)
                .into_iter()
                .partition(|entry: &TaskEntry| entry.record.is_in_progress());
            *entries = running;
            kept_running = entries.len();
            taken = finished;
        });
        // Finished tasks: only one whose following had stopped early (Check now may
        // have resumed it) can still have a poller.
        for entry in &taken {
            self.stop_following(&entry.record.id);
        }
        self.offer_undo(taken, kept_running);
        self.save();
    }

    /// Puts back what the latest removals took, and follows the running ones again.
    pub fn undo(self) {
        let Some(removed) = self.removed.try_update(Option::take).flatten() else {
            return;
        };
        let follow = history::list::to_follow(removed.entries.iter().map(|e| &e.record));
        self.list.entries().update(|entries| {
            for entry in removed.entries {
                // Not there again (another tab's save may have brought it back).
                if !entries.iter().any(|e| e.record.id == entry.record.id) {
                    entries.push(entry);
                }
            }
            entries.sort_by(|a, b| {
                b.record
                    .submitted_at_ms
                    .total_cmp(&a.record.submitted_at_ms)
            });
        });
        self.save();
        for (id, task_id) in follow {
            self.follow(id, task_id);
        }
    }

    fn offer_undo(self, mut entries: Vec<TaskEntry>, kept_running: usize) {
        if entries.is_empty() {
            return;
        }
        let serial = REMOVALS.fetch_add(1, Ordering::Relaxed);
        // Removals in quick succession are undone together.
        if let Some(earlier) = self.removed.get_untracked() {
            entries.extend(earlier.entries);
        }
        self.removed.set(Some(Removed {
            entries,
            kept_running,
            serial,
        }));
        set_timeout(move || self.expire_undo(serial), UNDO_FOR);
    }

    /// Undo is no longer offered: what the session kept for the removed edits goes.
    fn expire_undo(self, serial: u64) {
        let expired = self
            .removed
            .try_update(|removed| {
                if removed.as_ref().is_some_and(|r| r.serial == serial) {
                    removed.take()
                } else {
                    None
                }
            })
            .flatten();
        let mut gone = Vec::new();
        for entry in expired.iter().flat_map(|r| &r.entries) {
            let id = &entry.record.id;
            // Back in the list (another tab's save brought it): keep what it has.
            if self.with_record_untracked(id, |_| ()).is_none() {
                self.forget_session_state(id);
                gone.push(id.clone());
            }
        }
        // Undo brought the images back until now; from here they are freed.
        self.unkeep(gone);
    }
}

/// "Removed 3 edits. [Undo]" while a removal can be undone.
#[component]
pub fn UndoNotice(tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let removed_text = move || {
        let n = tasks
            .removed
            .with(|r| r.as_ref().map_or(0, |r| r.entries.len()));
        match n {
            1 => t_string!(i18n, tasks.undo.removed_one).to_string(),
            n => {
                let n = count(i18n.get_locale(), n as f64);
                t_string!(i18n, tasks.undo.removed, count = n).to_string()
            }
        }
    };
    let kept_text = move || {
        let n = tasks
            .removed
            .with(|r| r.as_ref().map_or(0, |r| r.kept_running));
        match n {
            0 => None,
            1 => Some(t_string!(i18n, tasks.undo.kept_running_one).to_string()),
            n => {
                let n = count(i18n.get_locale(), n as f64);
                Some(t_string!(i18n, tasks.undo.kept_running, count = n).to_string())
            }
        }
    };
    view! {
        <Show when=move || tasks.removed.with(Option::is_some)>
            <p class="undo-notice" role="status">
                <span>{removed_text}</span>
                {move || kept_text().map(|text| view! { <span>{text}</span> })}
                <button type="button" class="quiet" on:click=move |_| tasks.undo()>{t!(i18n, tasks.undo.undo)}</button>
            </p>
        </Show>
    }
}
