//! The lightbox: one result at a time, large, with keyboard navigation, zoom, a
//! before/after comparison and the result's actions.
//!
//! It is a native modal `<dialog>`: the browser traps focus inside it, closes it on
//! Escape and gives focus back to the thumbnail it was opened from.

use leptos::ev;
use leptos::html::Dialog;
use leptos::prelude::*;
use seedream_contract::is_http_url;
use wasm_bindgen::JsCast;

use super::Tasks;
use super::compare::Compare;
use super::gallery::dimensions;
use super::kept_src::result_src;
use super::result_actions::{ResultActions, Viewing};
use super::result_toolbar::{ResultToolbar, Subject};
use super::share;
use crate::history::{Kept, ResultRecord, TaskRecord};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::count;
use crate::media::Source;

/// What the lightbox shows, derived from the record being viewed.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    /// The record's local id.
    record: String,
    index: usize,
    count: usize,
    result: ResultRecord,
    file_name: String,
    /// Whether the result is read from the copy kept in this browser.
    kept: bool,
    /// Input images to compare with: (position among the inputs, address).
    before: Vec<(usize, String)>,
}

impl Shown {
    /// Result `index` of `record`, whose sent images this session holds as `held`.
    fn of(record: &TaskRecord, index: usize, held: Option<&[Source]>) -> Option<Shown> {
        let results = record.state.shown_results();
        let result = results.get(index)?.clone();
        let name = record.task_id.as_deref().unwrap_or(&record.id);
        Some(Shown {
            record: record.id.clone(),
            index,
            count: results.len(),
            file_name: share::file_name(name, index, &result),
            kept: record.kept == Kept::Yes,
            result,
            before: before_images(record, held),
        })
    }
}

/// The record's input images this page can still show: local files while they are
/// held in memory, addresses always.
fn before_images(record: &TaskRecord, held: Option<&[Source]>) -> Vec<(usize, String)> {
    record
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let source = match held {
                Some(cached) => cached.get(i).map(|source| source.preview().to_owned()),
                None => input.url.clone().filter(|url| is_http_url(url)),
            }?;
            Some((i, source))
        })
        .collect()
}

#[component]
pub fn Lightbox(
    tasks: Tasks,
    viewing: RwSignal<Option<Viewing>>,
    actions: ResultActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<Dialog>::new();
    let zoomed = RwSignal::new(false);
    let comparing = RwSignal::new(false);
    // The latest download or copy, said beside the buttons (and on the card).
    let note = actions.share.value();
    let shown = Memo::new(move |_| {
        let Viewing { record, index } = viewing.get()?;
        tasks
            .with_record(&record, |r| {
                Shown::of(r, index, tasks.inputs_of(r).as_deref())
            })
            .flatten()
    });

    // Opens and closes the native dialog with the state; a record removed while
    // viewed closes it.
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        let wanted = shown.with(Option::is_some);
        if wanted && !element.open() {
            let _ = element.show_modal();
        } else if !wanted && element.open() {
            element.close();
        }
    });

    let step = move |forward: bool| {
        let count = shown.with_untracked(|s| s.as_ref().map_or(0, |s| s.count));
        if count == 0 {
            return;
        }
        viewing.update(|v| {
            if let Some(v) = v {
                v.index = if forward {
                    (v.index + 1) % count
                } else {
                    (v.index + count - 1) % count
                };
            }
        });
        note.set(None);
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        // Arrow keys belong to the divider and the picker while they have focus.
        let in_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT"));
        match ev.key().as_str() {
            "ArrowRight" if !in_control => step(true),
            "ArrowLeft" if !in_control => step(false),
            "+" | "=" => zoomed.set(true),
            "-" => zoomed.set(false),
            _ => return,
        }
        ev.prevent_default();
    };
    let on_close = move |_| {
        viewing.set(None);
        zoomed.set(false);
        comparing.set(false);
        note.set(None);
    };
    let close_dialog = move || {
        if let Some(element) = dialog.get_untracked() {
            element.close();
        }
    };
    let close = move |_| close_dialog();

    view! {
        <dialog class="lightbox" node_ref=dialog aria-label=move || t_string!(i18n, results.lightbox.label).to_string() on:close=on_close on:keydown=on_key>
            {move || shown.get().map(|shown| {
                let Shown { record, index, count: total, result, file_name, kept, before } = shown;
                let can_compare = !before.is_empty();
                let link = result.url.clone();
                let subject = Subject { record: record.clone(), index, url: result.url.clone(), file_name };
                // The kept copy once read, else the link.
                let src = result_src(tasks, kept, &record, index, link.clone());
                let shown_src = move || src.get().unwrap_or_default();
                // Position and count as the language writes numbers.
                let numbers = move || {
                    let locale = i18n.get_locale();
                    (count(locale, (index + 1) as f64), count(locale, total as f64))
                };
                view! {
                    <div class="lightbox-bar">
                        <span class="lightbox-position">{move || {
                            let (number, count) = numbers();
                            t_string!(i18n, results.lightbox.position, number, count).to_string()
                        }}</span>
                        <span class="lightbox-meta">{move || dimensions(i18n.get_locale(), &result)}</span>
                        <button type="button" data-action="zoom" aria-pressed=move || zoomed.get().to_string()
                            // The comparison always fits the screen, so both images line up.
                            disabled=move || comparing.get()
                            on:click=move |_| zoomed.update(|z| *z = !*z)>
                            {move || if zoomed.get() {
                                t_string!(i18n, results.lightbox.fit).to_string()
                            } else {
                                t_string!(i18n, results.lightbox.actual_size).to_string()
                            }}
                        </button>
                        <button type="button" data-action="compare" aria-pressed=move || comparing.get().to_string()
                            disabled=!can_compare
                            title=move || (!can_compare).then(|| t_string!(i18n, results.lightbox.compare_unavailable).to_string())
                            on:click=move |_| comparing.update(|c| *c = !*c)>
                            {t!(i18n, results.lightbox.compare)}
                        </button>
                        <button type="button" data-action="close" aria-label=move || t_string!(i18n, results.lightbox.close_label).to_string() autofocus on:click=close>{t!(i18n, results.lightbox.close)}</button>
                    </div>
                    <div class="lightbox-stage" class:zoomed=move || zoomed.get() && !comparing.get()>
                        {move || if comparing.get() && can_compare {
                            view! { <Compare before=before.clone() after=shown_src() /> }.into_any()
                        } else {
                            view! {
                                <img class="lightbox-image" src=move || src.get() data-link=link.clone() alt=move || {
                                        let (number, count) = numbers();
                                        t_string!(i18n, results.lightbox.alt, number, count).to_string()
                                    }
                                    referrerpolicy="no-referrer" on:click=move |_| zoomed.update(|z| *z = !*z) />
                            }.into_any()
                        }}
                    </div>
                    <div class="lightbox-foot">
                        <button type="button" data-action="previous" aria-label=move || t_string!(i18n, results.lightbox.previous_label).to_string() disabled=total < 2 on:click=move |_| step(false)>{t!(i18n, results.lightbox.previous)}</button>
                        <ResultToolbar actions subject src labelled=true on_used=move || close_dialog() />
                        <button type="button" data-action="next" aria-label=move || t_string!(i18n, results.lightbox.next_label).to_string() disabled=total < 2 on:click=move |_| step(true)>{t!(i18n, results.lightbox.next)}</button>
                    </div>
                    <p class="hint lightbox-note" role="status">{move || note.get().map(|note| note.describe(i18n.get_locale()))}</p>
                }
            })}
        </dialog>
    }
}
