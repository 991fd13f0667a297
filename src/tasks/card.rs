//! The task list: one card per edit with its status, its messages in plain words, and
//! its results.

use leptos::prelude::*;
use seedream_contract::{EditRequest, Size, is_http_url};

use super::Tasks;
use super::gallery::{self, ResultActions, Viewing};
use super::lightbox::Lightbox;
use super::undo::UndoNotice;
use super::words::{Note, has_problem, input_label, params_line, problem, status_key};
use crate::api::{self, BodyError};
use crate::embed::ids::dom_id;
use crate::history::{self, EditAgain, RecordState, TaskRecord, now_ms};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::{clock, count, duration};

/// How many cards a long history shows at first, and adds per "Show older edits".
pub const CARDS_PER_PAGE: usize = 20;

#[component]
pub fn TaskList(
    tasks: Tasks,
    /// Adds a result's address to the form as an input image.
    #[prop(into)]
    on_use_as_input: Callback<String>,
    /// Puts an earlier edit back into the form.
    #[prop(into)]
    on_edit_again: Callback<EditAgain>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A clock for elapsed and remaining times; one per list, not per card.
    let now = RwSignal::new(now_ms());
    let tick =
        set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1));
    on_cleanup(move || {
        if let Ok(handle) = tick {
            handle.clear();
        }
    });
    let viewing = RwSignal::new(None::<Viewing>);
    let actions = ResultActions {
        use_as_input: on_use_as_input,
        view: viewing.write_only(),
        say: Callback::new(move |(id, note): (String, Note)| {
            tasks.notes.update(|notes| {
                notes.insert(id, note);
            });
        }),
    };
    // A long history renders its newest cards first and the rest on request: every
    // card is a few dozen elements with its gallery, and hundreds of them at once
    // slow the first render and everything after (a modal dialog restyles them all).
    let shown = RwSignal::new(CARDS_PER_PAGE);
    let ids = move || {
        let limit = shown.get();
        tasks.records.with(|records| {
            records
                .iter()
                .take(limit)
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let hidden = move || tasks.records.with(Vec::len).saturating_sub(shown.get());
    view! {
        <section class="tasks" aria-labelledby=dom_id("tasks-title")>
            <div class="tasks-head">
                <h2 id=dom_id("tasks-title")>{t!(i18n, tasks.heading)}</h2>
                // Clearing leaves running edits alone, and says so on its button.
                <Show when=move || tasks.records.with(|r| r.iter().any(|r| !r.is_in_progress()))>
                    <button type="button" class="quiet" on:click=move |_| tasks.clear()>
                        {move || if tasks.records.with(|r| r.iter().any(TaskRecord::is_in_progress)) {
                            t_string!(i18n, tasks.clear_finished)
                        } else {
                            t_string!(i18n, tasks.clear_all)
                        }}
                    </button>
                </Show>
            </div>
            <UndoNotice tasks />
            <p class="field-error" role="alert">
                {move || tasks.storage_problem.get().map(|problem| problem.describe(i18n.get_locale()))}
            </p>
            // Status changes are announced here once each, not read out card by card.
            <p class="visually-hidden" aria-live="polite" role="status">
                {move || tasks.announcement.with(|a| a.as_ref().map(|a| a.describe(i18n.get_locale())))}
            </p>
            <Show when=move || tasks.records.with(Vec::is_empty)>
                <p class="empty">{t!(i18n, tasks.empty)}</p>
            </Show>
            <ol class="task-list">
                <For each=ids key=|id| id.clone() let:id>
                    <TaskCard tasks id now=now.read_only() actions on_edit_again />
                </For>
            </ol>
            <Show when=move || { hidden() > 0 }>
                <button type="button" class="show-more" on:click=move |_| shown.update(|n| *n += CARDS_PER_PAGE)>
                    {move || t_string!(i18n, tasks.show_older, count = count(i18n.get_locale(), hidden() as f64)).to_string()}
                </button>
            </Show>
            <Lightbox tasks viewing actions />
        </section>
    }
}

#[component]
fn TaskCard(
    tasks: Tasks,
    id: String,
    now: ReadSignal<f64>,
    actions: ResultActions,
    on_edit_again: Callback<EditAgain>,
) -> impl IntoView {
    let record_id = id.clone();
    let record = Memo::new(move |_| {
        tasks
            .records
            .with(|records| history::list::find(records, &record_id).cloned())
    });
    let i18n = use_i18n();
    let note_id = id.clone();
    let note = move || {
        let locale = i18n.get_locale();
        tasks
            .notes
            .with(|notes| notes.get(&note_id).map(|note| note.describe(locale)))
    };
    let (check_id, remove_id, resend_id) = (id.clone(), id.clone(), id);

    move || {
        let record = record.get()?;
        let state = record.state.clone();
        let record_id = record.id.clone();
        let status_class = format!("status status-{}", status_key(&state));
        let (submitted, finished) = (record.submitted_at_ms, record.finished_at_ms);
        let elapsed = move || {
            let end = finished.unwrap_or_else(|| now.get());
            duration(i18n.get_locale(), end - submitted)
        };
        let sent_at = move || {
            let time = clock(i18n.get_locale(), submitted);
            t_string!(i18n, tasks.submitted_at, time).to_string()
        };
        let (label_state, problem_record, params_record) =
            (state.clone(), record.clone(), record.clone());
        let (check_id, remove_id, resend_id) =
            (check_id.clone(), remove_id.clone(), resend_id.clone());
        let can_check = matches!(state, RecordState::GaveUp { .. }) || record.is_unfinished();
        // Not while it is being sent: its answer (the task id of a paid edit) would
        // have no card to land on.
        let can_remove = !matches!(state, RecordState::Submitting);
        // Refused edits were not run: once the cause is fixed (key, balance, a busy
        // service) the same edit can be sent again. A 400 needs a changed field, which
        // is what "Edit again" is for.
        let can_resend = match &state {
            RecordState::OutcomeUnknown { .. } => true,
            RecordState::Rejected { status, .. } => status.is_some_and(|s| s != 400),
            _ => false,
        };
        Some(view! {
            <li class="task-card" data-record-id=record_id aria-busy=(!state.is_final()).to_string()>
                <div class="task-head">
                    <span class=status_class>{move || label_state.label(i18n.get_locale())}</span>
                    <span class="elapsed" title=sent_at>{elapsed}</span>
                    {record.task_id.clone().map(|t| view! { <code class="task-id">{t}</code> })}
                </div>
                <p class="task-prompt">{record.prompt.clone()}</p>
                {input_strip(tasks, &record)}
                <p class="task-params">{move || params_line(i18n.get_locale(), &params_record)}</p>
                {has_problem(&state).then(|| view! {
                    <p class="task-message" role="alert">{move || problem(i18n.get_locale(), &problem_record)}</p>
                })}
                <p class="hint" role="status">{note.clone()}</p>
                {gallery::results(&record, now, actions)}
                <div class="task-actions">
                    <Show when=move || can_check>
                        {
                            let id = check_id.clone();
                            view! { <button type="button" on:click=move |_| tasks.check_now(&id)>{t!(i18n, tasks.actions.check_now)}</button> }
                        }
                    </Show>
                    <Show when=move || can_resend>
                        {
                            let id = resend_id.clone();
                            // Waits, visibly, while another edit is being sent.
                            view! { <button type="button" disabled=move || tasks.sending.get() on:click=move |_| resend(tasks, &id)>{t!(i18n, tasks.actions.submit_again)}</button> }
                        }
                    </Show>
                    <button type="button" data-action="edit-again" on:click={
                        let record = record.clone();
                        move |_| on_edit_again.run(EditAgain::from_record(&record))
                    }>{t!(i18n, tasks.actions.edit_again)}</button>
                    {can_remove.then(|| view! {
                        <button type="button" class="quiet" on:click=move |_| tasks.remove(&remove_id)>{t!(i18n, tasks.actions.remove)}</button>
                    })}
                </div>
            </li>
        })
    }
}

/// The task's input images, small, in order: the session's thumbnails, an address
/// itself, or for a local file after a reload its label.
fn input_strip(tasks: Tasks, record: &TaskRecord) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = record.id.clone();
    let inputs = record.inputs.clone();
    move || {
        let drawn = tasks
            .thumbnails
            .with(|all| all.get(&id).cloned())
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
                    let label = input_label(locale, i);
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

/// Submits the same request again, by the user's explicit choice, when its inputs are
/// still held by this page. The body is written afresh; a file the browser can no
/// longer read stops it before anything is sent, and the card says which.
fn resend(tasks: Tasks, id: &str) {
    let Some(record) = tasks
        .records
        .with_untracked(|r| history::list::find(r, id).cloned())
    else {
        return;
    };
    let Some(images) = history::inputs::recall(id) else {
        tasks.notes.update(|n| {
            n.insert(id.to_owned(), Note::InputsGone);
        });
        return;
    };
    let size = record
        .size
        .parse::<Size>()
        .unwrap_or(seedream_contract::DEFAULT_SIZE);
    let request = EditRequest::new(record.prompt.clone(), images.to_vec())
        .with_size(size)
        .with_output_format(record.output_format)
        .with_sequential(record.sequential, Some(record.max_images));
    let id = id.to_owned();
    leptos::task::spawn_local(async move {
        match api::body::write(&request).await {
            Ok(body) => tasks.submit(request, body),
            Err(BodyError::Unreadable { indices }) => tasks.notes.update(|n| {
                n.insert(id, Note::InputsUnreadable(indices));
            }),
            // Never seen: the same request was written before.
            Err(_) => tasks.notes.update(|n| {
                n.insert(id, Note::InputsGone);
            }),
        }
    });
}
