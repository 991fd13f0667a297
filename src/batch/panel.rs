//! The batch's place above the edits: what it is, how far it has come and how long it
//! may take, why it is paused, and its controls (pause, resume, cancel the rest,
//! export, dismiss). Its edits are ordinary cards in the list below.

use leptos::prelude::*;

use super::queue::Pause;
use super::runner::{BatchNotice, Batches};
use super::state::{BatchState, Progress, TaskEnd};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::{count, duration};
use crate::tasks::{Tasks, not_kept};

#[component]
pub fn BatchPanel(batches: Batches, tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let progress = Memo::new(move |_| {
        batches.state.with(|state| {
            state.as_ref().map(|state| {
                Progress::of(&state.queue, |record| {
                    tasks.with_record(record, |r| TaskEnd::of(&r.state))
                })
            })
        })
    });
    // How long each of the batch's finished tasks took, for the time left.
    // Tracked on the batch too, so a task sent after the first reading counts.
    let durations = Memo::new(move |_| {
        batches
            .state
            .with(|state| state.as_ref().map_or_else(Vec::new, BatchState::records))
            .iter()
            .filter_map(|id| {
                tasks
                    .with_record(id, |r| Some(r.finished_at_ms? - r.submitted_at_ms))
                    .flatten()
            })
            .collect::<Vec<f64>>()
    });
    let line = move || {
        let locale = i18n.get_locale();
        let progress = progress.get()?;
        let concurrency = batches
            .state
            .with(|s| s.as_ref().map_or(1, |s| s.queue.concurrency));
        Some(progress_line(
            locale,
            &progress,
            &durations.get(),
            concurrency,
            batches.busy(),
        ))
    };
    let paused = move || {
        let locale = i18n.get_locale();
        batches.state.with(|state| {
            let state = state.as_ref()?;
            let waiting = progress.get().map_or(0, |p| p.waiting);
            state
                .queue
                .paused
                .as_ref()
                .map(|pause| pause_text(locale, pause, waiting))
        })
    };
    let notice = move || {
        let locale = i18n.get_locale();
        batches
            .notice
            .get()
            .map(|notice| notice_text(locale, &notice))
    };
    let heading = move || {
        batches.state.with(|state| {
            state.as_ref().map(|state| {
                let prompt = state.plan.prompt.clone();
                t_string!(i18n, tasks.batch.heading, prompt).to_string()
            })
        })
    };
    let shown = move || batches.state.with(Option::is_some) || batches.notice.with(Option::is_some);
    let (done, total) = (
        move || {
            progress
                .get()
                .map_or(0, |p| p.done + p.failed + p.cancelled)
        },
        move || progress.get().map_or(0, |p| p.total),
    );
    view! {
        <Show when=shown>
            <section class="batch-panel" aria-labelledby=dom_id("batch-title")>
                <h3 id=dom_id("batch-title")>
                    {move || heading().unwrap_or_else(|| t_string!(i18n, tasks.batch.label).to_string())}
                </h3>
                <progress
                    hidden=move || progress.with(Option::is_none)
                    max=move || total().to_string()
                    value=move || done().to_string()
                ></progress>
                <p class="batch-progress" role="status">{line}</p>
                <p class="batch-paused" role="status">{paused}</p>
                <p class="batch-notice" role="status">{notice}</p>
                // One kind of button for every control: the ones that apply now.
                <div class="batch-actions">
                    {move || {
                        controls(batches, progress.get())
                            .into_iter()
                            .map(|control| {
                                let label = move || control.label(i18n.get_locale());
                                view! {
                                    <button
                                        type="button"
                                        class=control.class()
                                        data-action=control.action()
                                        on:click=move |_| control.run(batches, tasks)
                                    >
                                        {label}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </section>
        </Show>
    }
}

/// What a person can do with the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Control {
    Pause,
    Resume,
    CancelRest,
    Export,
    Dismiss,
}

impl Control {
    fn action(self) -> &'static str {
        match self {
            Control::Pause => "pause-batch",
            Control::Resume => "resume-batch",
            Control::CancelRest => "cancel-batch",
            Control::Export => "export-batch",
            Control::Dismiss => "dismiss-batch",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Control::Resume => "primary",
            Control::Pause => "",
            _ => "quiet",
        }
    }

    fn label(self, locale: Locale) -> String {
        match self {
            Control::Pause => td_string!(locale, tasks.batch.pause),
            Control::Resume => td_string!(locale, tasks.batch.resume),
            Control::CancelRest => td_string!(locale, tasks.batch.cancel_rest),
            Control::Export => td_string!(locale, tasks.batch.export),
            Control::Dismiss => td_string!(locale, tasks.batch.dismiss),
        }
        .to_string()
    }

    fn run(self, batches: Batches, tasks: Tasks) {
        match self {
            Control::Pause => batches.pause(),
            Control::Resume => batches.resume(),
            Control::CancelRest => batches.cancel_rest(),
            Control::Export => tasks.export(Some(batches.records())),
            Control::Dismiss => batches.dismiss(),
        }
    }
}

/// The controls that apply now, in their order.
fn controls(batches: Batches, progress: Option<Progress>) -> Vec<Control> {
    // The tab that sends it holds its controls.
    if batches.notice.with(|n| *n == Some(BatchNotice::OtherTab)) {
        return Vec::new();
    }
    let busy = batches.busy();
    let preparing = batches.notice.with(|n| *n == Some(BatchNotice::Preparing));
    let not_held = batches
        .notice
        .with(|n| matches!(n, Some(BatchNotice::NotHeld(_))));
    let paused = batches
        .state
        .with(|s| s.as_ref().is_some_and(|s| s.queue.paused.is_some()));
    let waiting = progress.is_some_and(|p| p.waiting > 0);
    let done = progress.is_some_and(|p| p.done > 0);
    [
        (busy && !paused && !preparing, Control::Pause),
        (busy && paused, Control::Resume),
        (busy && waiting, Control::CancelRest),
        (done, Control::Export),
        ((!busy && progress.is_some()) || not_held, Control::Dismiss),
    ]
    .into_iter()
    .filter_map(|(shown, control)| shown.then_some(control))
    .collect()
}

/// How a record's task stands, for the progress.
fn progress_line(
    locale: Locale,
    progress: &Progress,
    durations: &[f64],
    concurrency: usize,
    busy: bool,
) -> String {
    let n = |value: usize| count(locale, value as f64);
    // Finished once nothing is left to send and its sent tasks have ended.
    let finished = !busy && progress.running == 0;
    let mut line = if finished {
        td_string!(
            locale,
            tasks.batch.finished,
            done = n(progress.done),
            total = n(progress.total),
            failed = n(progress.failed)
        )
        .to_string()
    } else {
        td_string!(
            locale,
            tasks.batch.progress,
            sent = n(progress.sent),
            total = n(progress.total),
            running = n(progress.running),
            done = n(progress.done),
            failed = n(progress.failed)
        )
        .to_string()
    };
    if progress.cancelled > 0 {
        let cancelled = td_string!(locale, tasks.batch.cancelled, count = n(progress.cancelled));
        line = format!("{line} · {cancelled}");
    }
    if let Some(left) = progress
        .time_left_ms(durations, concurrency)
        .filter(|_| !finished)
    {
        let time = duration(locale, left);
        let left = td_string!(locale, tasks.batch.time_left, time);
        line = format!("{line} · {left}");
    }
    line
}

fn pause_text(locale: Locale, pause: &Pause, waiting: usize) -> String {
    match pause {
        Pause::ByPerson => td_string!(locale, tasks.batch.paused.by_person).to_string(),
        Pause::Reloaded => {
            let count = count(locale, waiting as f64);
            td_string!(locale, tasks.batch.paused.reloaded, count).to_string()
        }
        Pause::Refused { .. } => td_string!(locale, tasks.batch.paused.refused).to_string(),
        Pause::Unknown { .. } => td_string!(locale, tasks.batch.paused.unknown).to_string(),
    }
}

fn notice_text(locale: Locale, notice: &BatchNotice) -> String {
    match notice {
        BatchNotice::Preparing => td_string!(locale, tasks.batch.notice.preparing).to_string(),
        BatchNotice::NotHeld(reason) => {
            let reason = not_kept(locale, reason);
            td_string!(locale, tasks.batch.notice.not_held, reason).to_string()
        }
        BatchNotice::NotKept => td_string!(locale, tasks.batch.notice.not_kept).to_string(),
        BatchNotice::ImagesLost(lost) => {
            let count = count(locale, *lost as f64);
            td_string!(locale, tasks.batch.notice.images_lost, count).to_string()
        }
        BatchNotice::OtherTab => td_string!(locale, tasks.batch.notice.other_tab).to_string(),
    }
}
