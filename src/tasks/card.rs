//! The task list: one card per edit with its status, its messages in plain words, and
//! its results.

use leptos::prelude::*;
use seedream_contract::{EditRequest, SequentialMode, Size, is_http_url};

use super::Tasks;
use crate::history::{self, RecordState, ResultRecord, TaskRecord, now_ms};

#[component]
pub fn TaskList(tasks: Tasks) -> impl IntoView {
    // A clock for elapsed and remaining times; one per list, not per card.
    let now = RwSignal::new(now_ms());
    let tick =
        set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1));
    on_cleanup(move || {
        if let Ok(handle) = tick {
            handle.clear();
        }
    });
    let ids = move || {
        tasks
            .records
            .with(|records| records.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <section class="tasks" aria-labelledby="tasks-title">
            <div class="tasks-head">
                <h2 id="tasks-title">"Edits"</h2>
                <Show when=move || tasks.records.with(|r| !r.is_empty())>
                    <button type="button" class="quiet" on:click=move |_| tasks.clear()>"Clear all"</button>
                </Show>
            </div>
            <p class="field-error" role="alert">{move || tasks.storage_problem.get()}</p>
            // Status changes are announced here once each, not read out card by card.
            <p class="visually-hidden" aria-live="polite" role="status">{move || tasks.announcement.get()}</p>
            <Show when=move || tasks.records.with(Vec::is_empty)>
                <p class="empty">"Edits you send appear here, newest first."</p>
            </Show>
            <ol class="task-list">
                <For each=ids key=|id| id.clone() let:id>
                    <TaskCard tasks id now=now.read_only() />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn TaskCard(tasks: Tasks, id: String, now: ReadSignal<f64>) -> impl IntoView {
    let record_id = id.clone();
    let record = Memo::new(move |_| {
        tasks
            .records
            .with(|records| history::list::find(records, &record_id).cloned())
    });
    let note_id = id.clone();
    let note = move || tasks.notes.with(|notes| notes.get(&note_id).cloned());
    let (check_id, remove_id, resend_id) = (id.clone(), id.clone(), id);

    move || {
        let record = record.get()?;
        let state = record.state.clone();
        let status_class = format!("status status-{}", status_key(&state));
        let elapsed = {
            let end = record.finished_at_ms.unwrap_or_else(|| now.get());
            format_duration(end - record.submitted_at_ms)
        };
        let (check_id, remove_id, resend_id) =
            (check_id.clone(), remove_id.clone(), resend_id.clone());
        let can_check = matches!(state, RecordState::GaveUp { .. }) || record.is_unfinished();
        let can_resend = matches!(state, RecordState::OutcomeUnknown { .. });
        Some(view! {
            <li class="task-card" aria-busy=(!state.is_final()).to_string()>
                <div class="task-head">
                    <span class=status_class>{state.label()}</span>
                    <span class="elapsed">{elapsed}</span>
                    {record.task_id.clone().map(|t| view! { <code class="task-id">{t}</code> })}
                </div>
                <p class="task-prompt">{record.prompt.clone()}</p>
                <p class="task-params">{params_line(&record)}</p>
                {message(&state)}
                <p class="hint" role="status">{note.clone()}</p>
                {results(&record, now)}
                <div class="task-actions">
                    <Show when=move || can_check>
                        {
                            let id = check_id.clone();
                            view! { <button type="button" on:click=move |_| tasks.check_now(&id)>"Check now"</button> }
                        }
                    </Show>
                    <Show when=move || can_resend>
                        {
                            let id = resend_id.clone();
                            view! { <button type="button" on:click=move |_| resend(tasks, &id)>"Submit again"</button> }
                        }
                    </Show>
                    <button type="button" class="quiet" on:click=move |_| tasks.remove(&remove_id)>"Remove"</button>
                </div>
            </li>
        })
    }
}

fn status_key(state: &RecordState) -> &'static str {
    match state {
        RecordState::Submitting | RecordState::Queued => "queued",
        RecordState::Generating => "generating",
        RecordState::Done { .. } => "done",
        RecordState::OutcomeUnknown { .. } => "unknown",
        RecordState::Rejected { .. } | RecordState::Failed { .. } | RecordState::GaveUp { .. } => {
            "failed"
        }
    }
}

/// What went wrong, in plain words, with what to do about it.
fn message(state: &RecordState) -> Option<AnyView> {
    let text = match state {
        RecordState::Rejected { message, status } => {
            let advice = match status {
                Some(401) => " Check the API key in the settings.",
                Some(402) => " The account's balance is too low: top it up, then submit again.",
                Some(400) => " Correct the field it names and submit again.",
                Some(429) => " Too many edits at once: wait a moment and submit again.",
                _ => "",
            };
            format!("{message}{advice}")
        }
        RecordState::OutcomeUnknown { detail } => format!(
            "{detail} It is not known whether the edit was received. Submit again only if you accept that it may run (and be charged) twice."
        ),
        RecordState::Failed { reason } => format!("The edit failed: {reason}"),
        RecordState::GaveUp { message } => format!("{message} Use Check now to try again."),
        _ => return None,
    };
    Some(view! { <p class="task-message" role="alert">{text}</p> }.into_any())
}

fn params_line(record: &TaskRecord) -> String {
    let inputs = record.inputs.len();
    let sets = match record.sequential {
        SequentialMode::Auto => format!(", a set of up to {}", record.max_images),
        SequentialMode::Disabled => String::new(),
    };
    format!(
        "{inputs} input {} · {} · {}{sets}",
        if inputs == 1 { "image" } else { "images" },
        record.size,
        record.output_format.as_str().to_uppercase(),
    )
}

/// The results, only ever from http(s) URLs, with how long they stay available.
fn results(record: &TaskRecord, now: ReadSignal<f64>) -> Option<AnyView> {
    let RecordState::Done { results, skipped } = &record.state else {
        return None;
    };
    let shown: Vec<ResultRecord> = results
        .iter()
        .filter(|r| is_http_url(&r.url))
        .cloned()
        .collect();
    let skipped = skipped + results.len() - shown.len();
    let expiring = record.clone();
    Some(
        view! {
            <div class="results">
                <p class="hint">{move || expiring.expiry_text(now.get())}</p>
                <ul class="gallery">
                    {shown.into_iter().enumerate().map(|(i, r)| result_tile(i, r)).collect_view()}
                </ul>
                {(skipped > 0).then(|| view! {
                    <p class="hint">{format!("{skipped} result(s) had an unsafe address and are not shown.")}</p>
                })}
            </div>
        }
        .into_any(),
    )
}

fn result_tile(index: usize, result: ResultRecord) -> impl IntoView {
    let dims = match (result.width, result.height) {
        (Some(w), Some(h)) => format!("{w} × {h}"),
        _ => "size unknown".to_owned(),
    };
    let alt = format!("Result {}", index + 1);
    view! {
        <li class="result">
            <a href=result.url.clone() target="_blank" rel="noopener noreferrer">
                <img src=result.url.clone() alt=alt loading="lazy" decoding="async"
                    width=result.width.map(|w| w.to_string()) height=result.height.map(|h| h.to_string()) />
            </a>
            <span class="result-meta">{dims}</span>
        </li>
    }
}

/// Submits the same request again, by the user's explicit choice, when its inputs are
/// still held by this page.
fn resend(tasks: Tasks, id: &str) {
    let Some(record) = tasks
        .records
        .with_untracked(|r| history::list::find(r, id).cloned())
    else {
        return;
    };
    let Some(images) = history::inputs::recall(id) else {
        tasks.notes.update(|n| {
            n.insert(id.to_owned(), "The images of this edit are no longer held by the page: add them again in the form.".to_owned());
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
    tasks.submit(request);
}

fn format_duration(ms: f64) -> String {
    let secs = (ms.max(0.0) / 1000.0).round() as u64;
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {:02} s", secs / 60, secs % 60)
    }
}
