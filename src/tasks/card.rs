//! The task list: one card per edit with its status, its messages in plain words, and
//! its results.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_use::use_interval_fn;
use reactive_stores::Field;
use seedream_contract::is_http_url;

use super::Tasks;
use super::carry_controls::{CarryControls, CarryStatus, SelectForExport};
use super::empty::EmptyState;
use super::entries::{TaskEntriesStoreFields, TaskEntry, TaskEntryStoreFields};
use super::gallery;
use super::labels::params_line;
use super::lightbox::Lightbox;
use super::lineage::{self, Lineage};
use super::notes::Note;
use super::older::OLDER_PER_PAGE;
use super::placeholder::placeholders;
use super::result_actions::{ResultActions, Viewing};
use super::send::{Press, Pressed, PressedIn};
use super::share::Share;
use super::status;
use super::undo::UndoNotice;
use crate::form::EditAgain;
use crate::form::cost::PriceSetting;
use crate::history::{InputRecord, Kept, RecordState, TaskRecord, now_ms};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::{clock, count, duration};
use crate::locale::image_label;
use crate::media::{FromResult, Source};

/// How many cards a long history shows at first, and adds per "Show older edits":
/// about two screens. Each card is a few dozen elements with its gallery; 10 rather
/// than 20 took a 500-task history's first render from 137 to 103 ms in the bench.
pub const CARDS_PER_PAGE: usize = 10;

#[component]
pub fn TaskList(
    tasks: Tasks,
    /// A person's presses of Edit and "Submit again" (see `send`).
    presses: Action<Press, Pressed>,
    /// Adds a result to the form as an input image.
    #[prop(into)]
    on_use_as_input: Callback<(Source, FromResult)>,
    /// Puts an earlier edit back into the form.
    #[prop(into)]
    on_edit_again: Callback<EditAgain>,
    /// Puts an example instruction into the form (from the empty list).
    #[prop(into)]
    on_example: Callback<String>,
    /// Shown above the cards (a batch's progress).
    #[prop(optional)]
    children: Option<Children>,
    /// A record's place in a group it was sent with (a batch's item `n` of `total`),
    /// said on its card.
    #[prop(optional, into)]
    group_of: Option<Callback<String, Option<(usize, usize)>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A clock for elapsed and remaining times; one per list, not per card.
    let now = RwSignal::new(now_ms());
    use_interval_fn(move || now.set(now_ms()), 1000);
    let now = Signal::from(now);
    let viewing = RwSignal::new(None::<Viewing>);
    let actions = ResultActions {
        tasks,
        use_as_input: on_use_as_input,
        view: viewing.write_only(),
        share: Action::new_local(move |(id, request): &(String, Share)| {
            let (id, request) = (id.clone(), request.clone());
            async move {
                let outcome = request.run().await;
                tasks.say(&id, Note::Shared(outcome.clone()));
                outcome
            }
        }),
    };
    // A long history renders its newest cards first and the rest on request: every
    // card is a few dozen elements with its gallery, and hundreds of them at once
    // slow the first render and everything after (a modal dialog restyles them all).
    let shown = RwSignal::new(CARDS_PER_PAGE);
    // leptos_i18n's context sets its locale signal once more, in an effect after the
    // first render, and every translated text rendered by then runs again: a long
    // history's cards hold hundreds. They render right after that effect instead
    // (effects first run in the order they were made), in the same task, so before
    // the first paint.
    let locale_settled = RwSignal::new(false);
    Effect::new(move |_| locale_settled.set(true));
    let hidden = move || tasks.len().saturating_sub(shown.get());
    let above = children.map(|children| children());
    // What this session's edits made, and with the page's price what it cost.
    let session_start = now_ms();
    let price = use_context::<PriceSetting>().unwrap_or_default().0;
    let made = Memo::new(move |_| {
        tasks.list.entries().with(|entries| {
            entries
                .iter()
                .filter(|e| e.record.finished_at_ms.is_some_and(|t| t >= session_start))
                .map(|e| e.record.state.shown_results().len())
                .sum::<usize>()
        })
    });
    let session = move || {
        let images = made.get();
        (images > 0).then(|| {
            let locale = i18n.get_locale();
            let count_text = count(locale, images as f64);
            match &price {
                Some(price) => {
                    let cost = price.of_images(locale, images);
                    td_string!(locale, form.cost.session_price, images = count_text, cost)
                        .to_string()
                }
                None => td_string!(locale, form.cost.session, images = count_text).to_string(),
            }
        })
    };
    let children = lineage::children(tasks);
    let older = move || tasks.archive_status.with(|status| status.older);
    view! {
        <section class="tasks" aria-labelledby=dom_id("tasks-title")>
            <div class="tasks-head">
                <h2 id=dom_id("tasks-title")>{t!(i18n, tasks.heading)}</h2>
                // Clearing leaves running edits alone, and says so on its button.
                <Show when=move || tasks.any(|r| !r.is_in_progress())>
                    <button type="button" class="quiet" on:click=move |_| tasks.clear()>
                        {move || if tasks.any(TaskRecord::is_in_progress) {
                            t_string!(i18n, tasks.clear_finished)
                        } else {
                            t_string!(i18n, tasks.clear_all)
                        }}
                    </button>
                </Show>
                <CarryControls tasks />
            </div>
            <CarryStatus tasks />
            <p class="session-made" role="status">{session}</p>
            <UndoNotice tasks />
            {above}
            <p class="field-error" role="alert">
                {move || tasks.storage_problem.get().map(|problem| problem.describe(i18n.get_locale()))}
            </p>
            // One notice when the browser gives no room for images: the list works as before.
            <p class="hint" role="status">
                {move || tasks.archive_status.with(|s| s.open.is_err()).then(|| t_string!(i18n, settings.archive.refused).to_string())}
            </p>
            // Status changes are announced here once each, not read out card by card.
            <p class="visually-hidden" aria-live="polite" role="status">
                {move || tasks.announcement.with(|a| a.as_ref().map(|a| a.describe(i18n.get_locale())))}
            </p>
            <Show when=move || tasks.is_empty()>
                <EmptyState on_example />
            </Show>
            <ol class="task-list">
                <For each=move || tasks.list.entries().into_iter().take(if locale_settled.get() { shown.get() } else { 0 }) key=|entry| entry.key() let:entry>
                    <TaskCard tasks presses entry now actions on_edit_again children group_of />
                </For>
            </ol>
            <Show when=move || { hidden() > 0 }>
                <button type="button" class="show-more" on:click=move |_| shown.update(|n| *n += CARDS_PER_PAGE)>
                    {move || t_string!(i18n, tasks.show_older, count = count(i18n.get_locale(), hidden() as f64)).to_string()}
                </button>
            </Show>
            // Then the edits older than the history's working set, from the archive.
            <Show when=move || { hidden() == 0 && older() > 0 }>
                <button type="button" class="show-more" data-action="show-archived" on:click=move |_| {
                    shown.update(|n| *n += OLDER_PER_PAGE);
                    tasks.show_older();
                }>
                    {move || t_string!(i18n, tasks.show_archived, count = count(i18n.get_locale(), older() as f64)).to_string()}
                </button>
            </Show>
            <Lightbox tasks viewing actions />
        </section>
    }
}

/// One task's card. What never changes for a task (its prompt, inputs and
/// parameters) is rendered once; each part that can change reads only the field it
/// shows, so a poll answer or a note re-renders that part alone.
#[component]
fn TaskCard(
    tasks: Tasks,
    presses: Action<Press, Pressed>,
    #[prop(into)] entry: Field<TaskEntry>,
    now: Signal<f64>,
    actions: ResultActions,
    on_edit_again: Callback<EditAgain>,
    /// How many edits were made from each task (see `lineage`).
    children: Memo<HashMap<String, usize>>,
    group_of: Option<Callback<String, Option<(usize, usize)>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let record = entry.record();
    let first = record.try_with_untracked(TaskRecord::clone)?;
    let group_id = first.id.clone();
    let group = move || {
        let (item, total) = group_of?.run(group_id.clone())?;
        let locale = i18n.get_locale();
        let (item, total) = (count(locale, item as f64), count(locale, total as f64));
        Some(td_string!(locale, tasks.batch.item_of, item, total).to_string())
    };
    // What changes after a task is made, in one memo: a save from another tab that
    // leaves this task as it was re-renders nothing here.
    let initial = Progress::of(&first);
    // Kept through the moment between a removal and the card's disposal.
    let progress = Memo::new(move |last: Option<&Progress>| {
        record
            .try_with(Progress::of)
            .or_else(|| last.cloned())
            .unwrap_or_else(|| initial.clone())
    });
    let state = move |read: &dyn Fn(&RecordState) -> bool| progress.with(|p| read(&p.state));
    let status = move || progress.with(|p| p.state.status());
    let status_label = move || {
        progress
            .with(|p| status::label(p.state.status(), p.state.named_status(), i18n.get_locale()))
    };
    let task_id = move || progress.with(|p| p.task_id.clone());
    let finished = move || progress.with(|p| p.finished_at_ms);
    let can_check = move || progress.with(|p| status::can_check(&p.state, p.task_id.is_some()));
    let submitted = first.submitted_at_ms;
    let elapsed = move || {
        let end = finished().unwrap_or_else(|| now.get());
        duration(i18n.get_locale(), end - submitted)
    };
    let sent_at = move || {
        let time = clock(i18n.get_locale(), submitted);
        t_string!(i18n, tasks.submitted_at, time).to_string()
    };
    let note = move || {
        let locale = i18n.get_locale();
        entry
            .note()
            .try_with(|note| note.as_ref().map(|note| note.describe(locale)))
            .flatten()
    };
    // A new state re-renders the gallery, with the record as it is then.
    let results = move || {
        progress.track();
        record
            .try_with_untracked(|r| gallery::results(r, now, actions))
            .flatten()
    };
    let first_for_frames = first.clone();
    let id = first.id.clone();
    let (check_id, resend_id, again_id, remove_id) =
        (id.clone(), id.clone(), id.clone(), id.clone());
    let (pin_id, zip_id, select_id) = (id.clone(), id.clone(), id.clone());
    let pinned = move || progress.with(|p| p.pinned);
    let kept = move || progress.with(|p| p.kept == Kept::Yes);
    Some(view! {
        // Focusable by script: a child's link to its parent moves focus here.
        <li class="task-card" tabindex="-1" data-record-id=id.clone() aria-busy=move || (!state(&RecordState::is_final)).to_string()>
            <div class="task-head">
                <span class=move || format!("status status-{}", status::badge(status()))>
                    {status_label}
                </span>
                <span class="elapsed" title=sent_at>{elapsed}</span>
                {move || task_id().map(|t| view! { <code class="task-id">{t}</code> })}
                <span class="task-group">{group}</span>
            </div>
            <p class="task-prompt">{first.prompt.clone()}</p>
            {input_strip(entry, first.inputs.clone())}
            <Lineage tasks id=first.id.clone() inputs=first.inputs.clone() children />
            <p class="task-params">{move || params_line(i18n.get_locale(), &first)}</p>
            {move || progress.with(|p| status::problem(&p.state, i18n.get_locale())).map(|problem| view! {
                <p class="task-message" role="alert">{problem}</p>
            })}
            <p class="hint" role="status">{note}</p>
            <Show when=move || !state(&RecordState::is_final)>
                {placeholders(&first_for_frames)}
            </Show>
            {results}
            <div class="task-actions">
                <Show when=can_check>
                    {
                        let id = check_id.clone();
                        view! { <button type="button" on:click=move |_| tasks.check_now(&id)>{t!(i18n, tasks.actions.check_now)}</button> }
                    }
                </Show>
                <Show when=move || state(&status::can_resend)>
                    {
                        let id = resend_id.clone();
                        // Waits, visibly, while another edit is being sent.
                        view! { <button type="button" disabled=move || presses.pending().get() on:click=move |_| send_again(tasks, presses, &id)>{t!(i18n, tasks.actions.submit_again)}</button> }
                    }
                </Show>
                <button type="button" data-action="edit-again" on:click=move |_| {
                    let id = again_id.clone();
                    leptos::task::spawn_local(async move {
                        if let Some(again) = tasks.edit_again(&id).await {
                            on_edit_again.run(again);
                        }
                    });
                }>{t!(i18n, tasks.actions.edit_again)}</button>
                <Show when=kept>
                    <SelectForExport tasks id=select_id.clone() />
                </Show>
                <Show when=kept>
                    {
                        let id = zip_id.clone();
                        view! {
                            <button type="button" class="quiet" data-action="download-all"
                                aria-label=move || t_string!(i18n, tasks.carry.download_all_label).to_string()
                                disabled=move || tasks.carry.with(|c| c.as_ref().is_some_and(|c| c.busy()))
                                on:click=move |_| tasks.export(Some(vec![id.clone()]))>
                                {t!(i18n, tasks.carry.download_all)}
                            </button>
                        }
                    }
                </Show>
                <Show when=kept>
                    {
                        let id = pin_id.clone();
                        view! {
                            <button type="button" class="quiet" data-action="pin" aria-pressed=move || pinned().to_string()
                                title=move || t_string!(i18n, tasks.actions.pin_hint).to_string()
                                on:click=move |_| tasks.set_pinned(&id, !pinned())>
                                {move || if pinned() { t_string!(i18n, tasks.actions.unpin) } else { t_string!(i18n, tasks.actions.pin) }}
                            </button>
                        }
                    }
                </Show>
                {move || status::can_remove(status()).then(|| {
                    let id = remove_id.clone();
                    view! {
                        <button type="button" class="quiet" data-action="remove" on:click=move |_| tasks.remove(&id)>{t!(i18n, tasks.actions.remove)}</button>
                    }
                })}
            </div>
        </li>
    })
}

/// The parts of a record that change after it is made.
#[derive(Clone, PartialEq)]
struct Progress {
    state: RecordState,
    task_id: Option<String>,
    finished_at_ms: Option<f64>,
    kept: Kept,
    pinned: bool,
}

impl Progress {
    fn of(record: &TaskRecord) -> Progress {
        Progress {
            state: record.state.clone(),
            task_id: record.task_id.clone(),
            finished_at_ms: record.finished_at_ms,
            kept: record.kept.clone(),
            pinned: record.pinned,
        }
    }
}

/// The task's input images, small, in order: the session's thumbnails, an address
/// itself, or for a local file after a reload its label.
fn input_strip(entry: Field<TaskEntry>, inputs: Vec<InputRecord>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let drawn = entry
            .thumbnails()
            .try_with(Clone::clone)
            .unwrap_or_default();
        let locale = i18n.get_locale();
        view! {
            <ul class="task-inputs" aria-label=t_string!(i18n, tasks.inputs.list_label).to_string()>
                {inputs.iter().enumerate().map(|(i, input)| {
                    let src = drawn
                        .get(i)
                        .cloned()
                        .flatten()
                        .or_else(|| input.url.clone().filter(|url| is_http_url(url)));
                    let label = image_label(locale, i);
                    view! {
                        <li class="task-input">
                            {match src {
                                Some(src) => view! {
                                    <img src=src alt=label.clone() title=label loading="lazy" referrerpolicy="no-referrer" />
                                }.into_any(),
                                None => view! {
                                    <span class="task-input-label" title=t_string!(i18n, tasks.inputs.local_file_hint).to_string()>{label}</span>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    }
}

/// Sends the same request again, by the user's explicit choice, when its inputs are
/// still held by this page, through the one path every submit takes. A record whose
/// stored size cannot be sent says so instead: nothing is sent with a guessed size.
fn send_again(tasks: Tasks, presses: Action<Press, Pressed>, id: &str) {
    let Some(record) = tasks.with_record_untracked(id, TaskRecord::clone) else {
        return;
    };
    let Some(images) = tasks.inputs_of(&record) else {
        tasks.say(id, Note::InputsGone);
        return;
    };
    match record.to_request(images.to_vec()) {
        Ok(request) => {
            let origins = record
                .inputs
                .iter()
                .map(|input| input.from.clone())
                .collect();
            presses.dispatch_local(Press {
                request,
                origins,
                from: PressedIn::Card(record.id),
            });
        }
        Err(size) => tasks.say(id, Note::SizeUnusable(size)),
    }
}
