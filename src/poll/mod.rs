//! Following a submitted task until it ends: the schedule and the loop.
//!
//! [`follow`] starts a loop in the background that queries the task on the
//! [`schedule`], reports each answer as a [`PollEvent`], retries failed queries
//! as the contract allows, and stops at a final status, when retries are spent,
//! at [`POLL_DEADLINE`], or when its [`PollHandle`] is cancelled or dropped. The UI
//! keeps one handle per task card; dropping the card stops its polling.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod schedule;
mod wakeup;

use std::cell::Cell;
use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use futures::future::{Either, select};
use gloo_timers::future::sleep;
use seedream_contract::TaskState;
use web_sys::VisibilityState;

use crate::api::{ApiConfig, ReadError, query};
pub use schedule::{next_poll_delay, retry_delay};
use wakeup::Wakeup;

/// How long a task is followed before the poller stops asking. The contract sets
/// no count limit on retrying 429 and 503, so something must end a loop that
/// would otherwise wait forever on a stuck task or a lasting outage.
pub const POLL_DEADLINE: Duration = Duration::from_secs(30 * 60);

/// What the poller learned: the contract's own task state from each answered query,
/// or what the poller itself did about a failed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollEvent {
    /// An answered query. Sent after every one, so the UI also knows an earlier
    /// retry has cleared; a final state is the last event.
    Report {
        /// The task's state (unknown statuses are mapped by the contract); its
        /// outputs are the ones with vetted http(s) URLs.
        state: TaskState,
        /// How many outputs were left out as unsafe or malformed.
        skipped: usize,
    },
    /// A query failed; another comes after `retry_in` (or at "check now").
    Retrying {
        /// What went wrong (the UI describes it in the user's language).
        error: ReadError,
        /// The wait before the retry.
        retry_in: Duration,
        /// Which retry this is, from 1.
        attempt: u32,
    },
    /// A query failed and the contract says not to retry (or retries are spent).
    GaveUp(ReadError),
    /// The task did not end within [`POLL_DEADLINE`]; it may still end later.
    TimedOut {
        /// How long it was followed.
        elapsed: Duration,
    },
}

/// State control between the handle and its loop.
#[derive(Default)]
struct Control {
    cancelled: Cell<bool>,
    finished: Cell<bool>,
    wakeup: Wakeup,
}

impl Control {
    /// Resolves once cancelled; a "check now" fired meanwhile is absorbed.
    async fn until_cancelled(&self) {
        while !self.cancelled.get() {
            self.wakeup.wait().await;
        }
    }

    /// Sleeps for `delay` or until woken; false when cancelled.
    async fn pause(&self, delay: Duration) -> bool {
        if !self.cancelled.get() {
            select(pin!(sleep(delay)), pin!(self.wakeup.wait())).await;
        }
        !self.cancelled.get()
    }
}

/// Controls one followed task. Not `Clone`: dropping it stops the polling, so
/// exactly one owner (the task's card) decides when that happens.
pub struct PollHandle {
    control: Rc<Control>,
}

impl PollHandle {
    /// Stops the polling at once (an in-flight query is aborted); no event follows.
    pub fn cancel(&self) {
        self.control.cancelled.set(true);
        self.control.wakeup.fire();
    }

    /// Cuts the current wait short (a "check now" button). During a query it
    /// does nothing: that query's answer is the fresh one.
    pub fn poll_now(&self) {
        self.control.wakeup.fire();
    }

    /// True until the loop has stopped (final event, deadline or cancel).
    pub fn is_running(&self) -> bool {
        !self.control.finished.get()
    }
}

impl Drop for PollHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl std::fmt::Debug for PollHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollHandle")
            .field("running", &self.is_running())
            .field("cancelled", &self.control.cancelled.get())
            .finish()
    }
}

/// Follows `task_id` in the background, calling `on_event` with what it learns.
/// The first query comes after the schedule's first delay (a just-submitted
/// task is pending); press [`PollHandle::poll_now`] to ask at once.
pub fn follow(
    config: ApiConfig,
    task_id: String,
    on_event: impl Fn(PollEvent) + 'static,
) -> PollHandle {
    let control = Rc::new(Control::default());
    let looping = Rc::clone(&control);
    wasm_bindgen_futures::spawn_local(async move {
        let emit = |event: PollEvent| {
            if !looping.cancelled.get() {
                on_event(event);
            }
        };
        run(&config, &task_id, &looping, emit).await;
        looping.finished.set(true);
    });
    PollHandle { control }
}

/// The shortest wait between an answer and the next query.
const MIN_GAP: Duration = Duration::from_millis(250);

/// The loop: sleep, query, report; returns when there is nothing more to do.
async fn run(config: &ApiConfig, task_id: &str, control: &Control, emit: impl Fn(PollEvent)) {
    let started = monotonic_ms();
    let mut polls_done: u32 = 0;
    let mut retries: u32 = 0;
    let mut delay = next_poll_delay(0, 0, page_hidden());
    loop {
        if !control.pause(delay).await {
            return;
        }
        let elapsed = elapsed_ms(started);
        if elapsed >= duration_ms(POLL_DEADLINE) {
            emit(PollEvent::TimedOut {
                elapsed: Duration::from_millis(elapsed),
            });
            return;
        }
        control.wakeup.clear();
        let asked = monotonic_ms();
        // The query is polled first, so an answer that is ready wins over a cancel.
        let outcome = match select(
            pin!(query(config, task_id)),
            pin!(control.until_cancelled()),
        )
        .await
        {
            Either::Left((outcome, _)) => outcome,
            Either::Right(((), _)) => return,
        };
        match outcome {
            Ok(report) => {
                retries = 0;
                polls_done = polls_done.saturating_add(1);
                let last = report.state.is_terminal();
                emit(PollEvent::Report {
                    state: report.state,
                    skipped: report.skipped.len(),
                });
                if last {
                    return;
                }
                // The schedule spaces the queries' starts: the time this answer took
                // is part of the wait, so round trips do not push every later query
                // back. A floor keeps a slow server from being asked back to back.
                let wait = next_poll_delay(polls_done, elapsed_ms(started), page_hidden());
                let spent = Duration::from_millis(elapsed_ms(asked));
                delay = wait.saturating_sub(spent).max(MIN_GAP);
            }
            Err(error) => match retry_delay(&error, retries) {
                Some(wait) => {
                    retries = retries.saturating_add(1);
                    emit(PollEvent::Retrying {
                        error,
                        retry_in: wait,
                        attempt: retries,
                    });
                    delay = wait;
                }
                None => {
                    emit(PollEvent::GaveUp(error));
                    return;
                }
            },
        }
    }
}

/// True when the page is in a background tab or minimised.
fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.visibility_state() == VisibilityState::Hidden)
}

/// A monotonic clock in milliseconds (wall clock if `performance` is missing).
fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}

fn elapsed_ms(started: f64) -> u64 {
    // Saturating casts: a clock going backwards reads as 0.
    (monotonic_ms() - started).max(0.0) as u64
}

fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
