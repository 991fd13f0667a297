//! "Export history" and "Import…" beside the list's heading, and the lines that say
//! where an export or import is (announced as they change).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Tasks;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::{bytes, count};

/// The export and import buttons; the export takes the chosen edits when there are
/// any (see [`SelectForExport`]).
#[component]
pub fn CarryControls(tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let picker = NodeRef::<html::Input>::new();
    let busy = move || {
        tasks
            .carry
            .with(|carry| carry.as_ref().is_some_and(|c| c.busy()))
    };
    let selected = move || tasks.selected.with(|chosen| chosen.len());
    let has_selection = move || selected() != 0;
    // "Export history", or "Export 2 selected" once edits are chosen.
    let export_text = move || match selected() {
        0 => t_string!(i18n, tasks.carry.export).to_string(),
        1 => t_string!(i18n, tasks.carry.export_selected_one).to_string(),
        n => {
            let count = count(i18n.get_locale(), n as f64);
            t_string!(i18n, tasks.carry.export_selected, count).to_string()
        }
    };
    let export = move |_| {
        let chosen = tasks.selected.get_untracked();
        tasks.export((!chosen.is_empty()).then_some(chosen));
    };
    let choose = move |_| {
        if let Some(input) = picker.get_untracked() {
            input.click();
        }
    };
    let chosen = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            tasks.import(file);
        }
        // The same file can be chosen again (to see it is all here already).
        input.set_value("");
    };
    // What the archive holds against its budget, beside what takes edits in and out.
    let meter_id = crate::ids::dom_id("storage-meter");
    let held = move || {
        tasks
            .archive_status
            .with(|s| (s.open == Ok(true), s.held_bytes, s.budget()))
    };
    let meter_text = move || {
        let (_, held, budget) = held();
        let locale = i18n.get_locale();
        let (held, budget) = (bytes(locale, held), bytes(locale, budget));
        t_string!(i18n, tasks.carry.meter, held, budget).to_string()
    };
    view! {
        <div class="carry">
            <Show when=move || held().0>
                <span class="storage-meter">
                    <meter aria-labelledby=meter_id.clone() min="0"
                        max=move || held().2 as f64 value=move || held().1 as f64></meter>
                    <span id=meter_id.clone()>{meter_text}</span>
                </span>
            </Show>
            <button type="button" class="quiet" data-action="export-history" disabled=busy
                aria-label=move || match selected() {
                    0 => t_string!(i18n, tasks.carry.export_label).to_string(),
                    _ => export_text(),
                }
                on:click=export>{export_text}</button>
            <Show when=has_selection>
                <button type="button" class="quiet" data-action="clear-selection"
                    on:click=move |_| tasks.selected.set(Vec::new())>{t!(i18n, tasks.carry.clear_selection)}</button>
            </Show>
            <button type="button" class="quiet" data-action="import-history" disabled=busy
                aria-label=move || t_string!(i18n, tasks.carry.import_label).to_string()
                on:click=choose>{t!(i18n, tasks.carry.import)}</button>
            <input type="file" accept=".zip,application/zip" class="visually-hidden" tabindex="-1"
                aria-hidden="true" node_ref=picker on:change=chosen />
        </div>
    }
}

/// Where the latest export or import is, one line each; read out as it changes.
#[component]
pub fn CarryStatus(tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let lines = move || {
        tasks
            .carry
            .with(|carry| carry.as_ref().map(|c| c.describe(i18n.get_locale())))
            .unwrap_or_default()
    };
    view! {
        <div class="carry-status" role="status" aria-live="polite">
            {move || lines().into_iter().map(|line| view! { <p class="hint">{line}</p> }).collect_view()}
        </div>
    }
}

/// A kept edit's checkbox: chosen edits are what the next export takes.
#[component]
pub fn SelectForExport(tasks: Tasks, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let key = id.clone();
    let checked = move || tasks.selected.with(|chosen| chosen.contains(&key));
    let toggle = move |event: web_sys::Event| {
        let on = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.checked());
        tasks.selected.update(|chosen| {
            chosen.retain(|chosen| *chosen != id);
            if on {
                chosen.push(id.clone());
            }
        });
    };
    view! {
        <label class="select-for-export">
            <input type="checkbox" data-action="select" prop:checked=checked on:change=toggle
                aria-label=move || t_string!(i18n, tasks.carry.select_label).to_string() />
            {t!(i18n, tasks.carry.select)}
        </label>
    }
}
