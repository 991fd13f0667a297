//! Following accepted tasks: one poller per task, started and stopped here only.

use leptos::prelude::*;

use super::Tasks;
use super::notes::Note;
use crate::history::{RecordState, now_ms};
use crate::poll::{self, PollEvent, PollHandle};

impl Tasks {
    /// Follows `task_id` until it ends, reflecting each answer in record `id`.
    /// Following a task already followed replaces its poller.
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
        if matches!(state, RecordState::Done { .. }) {
            // From here to `task-kept`: what keeping costs (the bench's keep row). Asked
            // for before the done card renders and the history is saved, so the keep's
            // lock and downloads are on their way first.
            crate::mark("task-done");
            self.keep_results(id, &state);
        }
        self.update(id, |r| {
            if r.state != state {
                r.set_state(state, now_ms());
            }
        });
        if finished {
            self.stop_following(id);
        }
    }

    /// Stops following task `id`: its poller ends and no further query is made. The
    /// one place a poller is stopped: a task that ended, a removal here or in another
    /// tab, a task another tab saw end.
    pub(super) fn stop_following(self, id: &str) {
        // Dropping a handle cancels its loop (an in-flight query is aborted).
        self.pollers.update_value(|pollers| {
            pollers.remove(id);
        });
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
