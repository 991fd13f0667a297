//! The batch being sent: [`Batches`] holds it (stored, so a reload keeps it), sends
//! its items through the one submit path as its queue decides, and tells the
//! queue what each submit came to.
//!
//! One tab sends: the batch's Web Lock is taken when a person starts or resumes it and
//! held until it is finished, so two tabs never send the same item. Another tab shows
//! the stored batch as it changes. Its local images are kept in the archive, pinned
//! under the batch, from the start until it is finished or cancelled.

use gloo_storage::{LocalStorage as Stored, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::images::{self, Restored};
use super::outcome::outcome_of;
use super::queue::{Outcome, Queue, Step};
use super::state::{BatchState, StoredPlan};
use crate::archive::NotKept;
use crate::form::batch::BatchPlan;
use crate::history::now_ms;
use crate::tasks::Tasks;

/// What the batch's own line says beside its progress.
#[derive(Clone, Debug, PartialEq)]
pub enum BatchNotice {
    /// Its images are being checked and kept before the first send.
    Preparing,
    /// The archive cannot keep its images (no room, storage refused): not started.
    NotHeld(NotKept),
    /// This browser keeps nothing: the batch runs, but a reload would lose it.
    NotKept,
    /// After a reload, images the archive no longer had: those items were dropped.
    ImagesLost(usize),
    /// Another tab is sending it.
    OtherTab,
}

/// The instance's batch and what sends it. `Copy`, for every handler.
#[derive(Clone, Copy)]
pub struct Batches {
    tasks: Tasks,
    /// The batch (finished ones stay until dismissed), as stored.
    pub state: RwSignal<Option<BatchState>>,
    pub notice: RwSignal<Option<BatchNotice>>,
    /// The requests' images as handles, once built or restored from the archive.
    plan: StoredValue<Option<BatchPlan>, LocalStorage>,
    /// True while this tab holds the batch's lock and sends.
    leading: RwSignal<bool>,
    /// Ends the lock's hold when the batch is finished.
    release: StoredValue<Option<futures::channel::oneshot::Sender<()>>, LocalStorage>,
    /// True from asking for the lock until letting it go.
    requested: StoredValue<bool>,
    /// True while the plan is being rebuilt from the archive.
    restoring: StoredValue<bool>,
    /// Bumped when a wait ends (a 429's hold), so the queue is asked again.
    tick: RwSignal<u64>,
    /// The time a timer is set for, so one wait sets one timer.
    armed: StoredValue<Option<f64>>,
    key: StoredValue<String>,
}

impl Batches {
    /// The batch stored under `key`, if any: paused as a reload leaves it once this tab
    /// holds its lock, or followed as another tab sends it.
    pub fn new(tasks: Tasks, key: String) -> Batches {
        let stored = Stored::get::<BatchState>(&key).ok();
        let has_work = stored.as_ref().is_some_and(BatchState::has_work);
        let batches = Batches {
            tasks,
            state: RwSignal::new(stored),
            notice: RwSignal::new(None),
            plan: StoredValue::new_local(None),
            leading: RwSignal::new(false),
            release: StoredValue::new_local(None),
            requested: StoredValue::new(false),
            restoring: StoredValue::new(false),
            tick: RwSignal::new(0),
            armed: StoredValue::new(None),
            key: StoredValue::new(key),
        };
        batches.persist();
        batches.pump();
        batches.follow_other_tabs();
        if has_work {
            batches.lead(false);
        }
        batches
    }

    /// True while the batch has items left to send.
    pub fn busy(self) -> bool {
        self.state
            .with(|state| state.as_ref().is_some_and(BatchState::has_work))
            || self.notice.with(|n| *n == Some(BatchNotice::Preparing))
    }

    /// Starts `plan`: its local images kept first (the batch says so and does not
    /// start when the archive cannot keep them), then sent as the queue decides.
    pub fn start(self, plan: BatchPlan) {
        if self.busy() {
            return;
        }
        self.notice.set(Some(BatchNotice::Preparing));
        spawn_local(async move {
            let id = format!("{:x}", (now_ms() * 1000.0) as u64);
            let (stored, held) = images::describe(&plan).await;
            let holder = format!("batch-{id}");
            let notice = match self.tasks.hold_inputs(&holder, held).await {
                Ok(()) => None,
                Err(NotKept::Unavailable) => Some(BatchNotice::NotKept),
                Err(reason) => {
                    self.notice.set(Some(BatchNotice::NotHeld(reason)));
                    return;
                }
            };
            let queue = Queue::new(plan.items.len(), plan.concurrency);
            self.plan.set_value(Some(plan));
            self.state.set(Some(BatchState {
                id,
                plan: stored,
                queue,
                started_at_ms: now_ms(),
            }));
            self.notice.set(notice);
            self.lead(true);
        });
    }

    pub fn pause(self) {
        self.change(Queue::pause);
    }

    /// Resumes the queue, in this tab (taking the lock if another had it).
    pub fn resume(self) {
        self.change(Queue::resume);
        self.lead(true);
    }

    /// Takes every item not yet sent out.
    pub fn cancel_rest(self) {
        self.change(|queue| {
            queue.cancel_rest();
        });
        self.finish_if_done();
    }

    /// Forgets a finished batch (its tasks stay in the list).
    pub fn dismiss(self) {
        if !self.busy() {
            self.state.set(None);
            self.notice.set(None);
        }
    }

    /// Record `id`'s place in the batch (tracked): item `n` (from 1) of its total.
    pub fn item_of(self, id: &str) -> Option<(usize, usize)> {
        self.state.with(|state| {
            let queue = &state.as_ref()?.queue;
            let index = queue
                .items
                .iter()
                .position(|item| item.record() == Some(id))?;
            Some((index + 1, queue.items.len()))
        })
    }

    /// The local ids of the batch's tasks, in order.
    pub fn records(self) -> Vec<String> {
        self.state
            .with_untracked(|state| state.as_ref().map_or_else(Vec::new, BatchState::records))
    }

    fn change(self, change: impl FnOnce(&mut Queue)) {
        self.state.update(|state| {
            if let Some(state) = state {
                change(&mut state.queue);
            }
        });
    }

    /// Sends from this tab once it holds the batch's lock (at once, unless another tab
    /// sends it: then when that tab lets go). With `resume`, the queue runs then.
    fn lead(self, resume: bool) {
        if self.leading.get_untracked() || self.requested.get_value() {
            return;
        }
        self.requested.set_value(true);
        let (sender, receiver) = futures::channel::oneshot::channel();
        self.release.set_value(Some(sender));
        let name = format!("seedream-studio.batch.{}", self.key.get_value());
        // Granted at once unless another tab holds it; then it says so.
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(300).await;
            if self.requested.get_value() && !self.leading.get_untracked() {
                self.notice.set(Some(BatchNotice::OtherTab));
            }
        });
        spawn_local(async move {
            let _ = crate::locks::hold(&name, async move {
                self.take_over(resume);
                self.leading.set(true);
                let _ = receiver.await;
                self.leading.set(false);
            })
            .await;
            self.requested.set_value(false);
        });
    }

    /// This tab now holds the lock. A batch it did not start here is as the last tab
    /// to send it stored it, and paused (what was being sent then is unknown), unless
    /// the person asked to resume.
    fn take_over(self, resume: bool) {
        let started_here = self.plan.with_value(Option::is_some);
        let latest = Stored::get::<BatchState>(&self.key.get_value()).ok();
        self.state.update(|state| {
            let Some(state) = state else { return };
            if !started_here {
                if let Some(latest) = latest.filter(|latest| latest.id == state.id) {
                    *state = latest;
                }
                state.queue.reloaded();
            }
            if resume {
                state.queue.resume();
            }
        });
        if self.notice.get_untracked() == Some(BatchNotice::OtherTab) {
            self.notice.set(None);
        }
    }

    /// Asks the queue what to do whenever the batch, the tasks or a timer changes, and
    /// does it (in the tab that leads).
    fn pump(self) {
        Effect::new(move |_| {
            if !self.leading.get() {
                return;
            }
            self.tick.track();
            let unfinished = self.tasks.unfinished_count();
            let now = now_ms();
            let Some(step) = self.state.with(|state| {
                state
                    .as_ref()
                    .map(|state| state.queue.next(unfinished, now))
            }) else {
                return;
            };
            match step {
                Step::Send(index) => {
                    if self.plan.with_value(Option::is_none) {
                        self.restore_plan();
                        return;
                    }
                    self.change(|queue| queue.start_sending(index));
                    // From a noticed end to the next send: the batch's turnaround.
                    crate::mark("batch-send");
                    spawn_local(self.send_item(index));
                }
                Step::WaitUntil(until) => self.wake_at(until),
                Step::Idle => {}
                Step::Finished => self.finish(),
            }
        });
    }

    /// Sends item `index` through the one submit path and settles its outcome.
    async fn send_item(self, index: usize) {
        let request = self.plan.with_value(|plan| {
            plan.as_ref()
                .and_then(|plan| Some((plan.request(index)?, plan.origins())))
        });
        let outcome = match request {
            Some((request, origins)) => {
                let sent = self.tasks.send(request, origins).await;
                let state = sent
                    .as_ref()
                    .ok()
                    .and_then(|id| self.tasks.with_record_untracked(id, |r| r.state.clone()));
                let outcome = outcome_of(&sent, state.as_ref());
                // A 429 created nothing and the item goes again: no card for the try.
                if let (Outcome::RateLimited { .. }, Ok(id)) = (&outcome, &sent) {
                    self.tasks.discard(id);
                }
                outcome
            }
            None => Outcome::RefusedItem { record: None },
        };
        self.change(|queue| queue.settle(index, outcome, now_ms()));
    }

    /// Asks the queue again at `until`.
    fn wake_at(self, until: f64) {
        if self.armed.get_value() == Some(until) {
            return;
        }
        self.armed.set_value(Some(until));
        let wait = (until - now_ms()).max(0.0) as u32;
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(wait).await;
            self.armed.set_value(None);
            self.tick.try_update(|tick| *tick = tick.wrapping_add(1));
        });
    }

    fn finish_if_done(self) {
        if self
            .state
            .with_untracked(|s| s.as_ref().is_some_and(|s| !s.has_work()))
        {
            self.finish();
        }
    }

    /// The batch is finished: its images are let go (its tasks keep their own), and
    /// the lock with them.
    fn finish(self) {
        if let Some(holder) = self
            .state
            .with_untracked(|s| s.as_ref().map(BatchState::holder))
        {
            self.tasks.release_inputs(&holder);
        }
        self.plan.set_value(None);
        if let Some(release) = self.release.try_update_value(Option::take).flatten() {
            let _ = release.send(());
        }
    }

    /// Rebuilds the requests' images from the stored batch (after a reload): local
    /// images from the archive. Items whose image is gone are dropped, and said so.
    fn restore_plan(self) {
        if self.restoring.get_value() {
            return;
        }
        let Some(stored) = self
            .state
            .with_untracked(|s| s.as_ref().map(|s| s.plan.clone()))
        else {
            return;
        };
        self.restoring.set_value(true);
        spawn_local(async move {
            self.rebuild_plan(stored).await;
            self.restoring.set_value(false);
        });
    }

    async fn rebuild_plan(self, stored: StoredPlan) {
        match images::restore(self.tasks, stored).await {
            Restored::SharedLost(items) => {
                // Every edit needs them: nothing can be sent.
                self.change(|queue| {
                    queue.cancel_rest();
                });
                self.notice.set(Some(BatchNotice::ImagesLost(items)));
            }
            Restored::Plan { plan, lost } => {
                for index in &lost {
                    self.change(|queue| {
                        queue.cancel(*index);
                    });
                }
                if !lost.is_empty() {
                    self.notice.set(Some(BatchNotice::ImagesLost(lost.len())));
                }
                self.plan.set_value(Some(plan));
                self.tick.update(|tick| *tick = tick.wrapping_add(1));
            }
        }
        self.finish_if_done();
    }

    /// Stores the batch on every change in the tab that sends it (another tab's copy
    /// only follows), and forgets it once dismissed.
    fn persist(self) {
        Effect::new(move |_| {
            let key = self.key.get_value();
            let leading = self.leading.get();
            self.state.with(|state| match state {
                Some(state) if leading => {
                    let _ = Stored::set(&key, state);
                }
                Some(_) => {}
                None => Stored::delete(&key),
            });
        });
    }

    /// Shows what the tab that sends stored, while this one does not send.
    fn follow_other_tabs(self) {
        let key = self.key.get_value();
        let _ = leptos_use::use_event_listener(window(), leptos::ev::storage, move |event| {
            if self.leading.get_untracked() || event.key().as_deref() != Some(key.as_str()) {
                return;
            }
            let latest = event
                .new_value()
                .and_then(|text| serde_json::from_str::<BatchState>(&text).ok());
            self.state.set(latest);
        });
    }
}
