//! "Export history" and "Import…" beside the list's heading, and the lines that say
//! where an export or import is (announced as they change).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Tasks;
use crate::i18n::{t, t_string, use_i18n};

/// The export and import buttons.
#[component]
pub fn CarryControls(tasks: Tasks) -> impl IntoView {
    let i18n = use_i18n();
    let picker = NodeRef::<html::Input>::new();
    let busy = move || {
        tasks
            .carry
            .with(|carry| carry.as_ref().is_some_and(|c| c.busy()))
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
    view! {
        <div class="carry">
            <button type="button" class="quiet" data-action="export-history" disabled=busy
                aria-label=move || t_string!(i18n, tasks.carry.export_label).to_string()
                on:click=move |_| tasks.export(None)>{t!(i18n, tasks.carry.export)}</button>
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
