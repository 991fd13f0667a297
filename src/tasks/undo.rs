//! Removing edits without losing work: a removal is offered back for a while (Undo),
//! and clearing the list leaves the edits still running alone (they are paid for and
//! their results have yet to arrive); removing a running edit takes its own button.

use std::time::Duration;

use leptos::prelude::*;

use super::Tasks;
use crate::history::{self, RecordState, TaskRecord};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::count;

/// How long a removal can be undone; until then the session keeps what the removed
/// edits had (their input images for "Edit again", their thumbnails).
const UNDO_FOR: Duration = Duration::from_secs(10);

/// What the latest removals took away, newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    records: Vec<TaskRecord>,
    /// Running edits that "Clear all" left in the list.
    kept_running: usize,
    /// Tells this removal from a later one, whose own time limit applies.
    serial: u64,
}

/// Whether an edit is still on its way: sent and not ended, or being sent.
pub fn is_running(record: &TaskRecord) -> bool {
    record.is_unfinished() || matches!(record.state, RecordState::Submitting)
}

impl Tasks {
    /// Takes a task out of the list, with Undo on offer.
    pub fn remove(self, id: &str) {
        let mut taken = None;
        self.records.update(|records| {
            taken = history::list::remove(records, id);
        });
        self.pollers.update_value(|pollers| {
            pollers.remove(id);
        });
        self.offer_undo(taken.into_iter().collect(), 0);
        self.save();
    }

    /// Takes every finished task out of the list, with Undo on offer; running ones
    /// stay.
    pub fn clear(self) {
        let mut taken = Vec::new();
        let mut kept_running = 0;
        self.records.update(|records| {
            let (running, finished) = std::mem::take(records).into_iter().partition(is_running);
            *records = running;
            kept_running = records.len();
            taken = finished;
        });
        for record in &taken {
            self.pollers.update_value(|pollers| {
                pollers.remove(&record.id);
            });
        }
        self.offer_undo(taken, kept_running);
        self.save();
    }

    /// Puts back what the latest removals took, and follows the running ones again.
    pub fn undo(self) {
        let Some(removed) = self.removed.try_update(Option::take).flatten() else {
            return;
        };
        let follow: Vec<(String, String)> = removed
            .records
            .iter()
            .filter(|r| r.is_unfinished())
            .filter_map(|r| Some((r.id.clone(), r.task_id.clone()?)))
            .collect();
        self.records.update(|records| {
            for record in removed.records {
                history::list::upsert(records, record);
            }
            history::list::sort_newest_first(records);
        });
        self.save();
        for (id, task_id) in follow {
            self.follow(id, task_id);
        }
    }

    fn offer_undo(self, mut records: Vec<TaskRecord>, kept_running: usize) {
        if records.is_empty() {
            return;
        }
        let serial = self
            .removed
            .with_untracked(|r| r.as_ref().map_or(0, |r| r.serial + 1));
        // Removals in quick succession are undone together.
        if let Some(earlier) = self.removed.get_untracked() {
            records.extend(earlier.records);
        }
        self.removed.set(Some(Removed {
            records,
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
        for record in expired.iter().flat_map(|r| &r.records) {
            self.forget_session_state(&record.id);
        }
    }
}

/// "Removed 3 edits. [Undo]" while a removal can be undone.
#[component]
pub fn UndoNotice(tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let removed_text = move || {
        let n = tasks
            .removed
            .with(|r| r.as_ref().map_or(0, |r| r.records.len()));
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
