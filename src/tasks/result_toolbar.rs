//! One result's actions: use it as an input, download it, copy its link, open it.
//!
//! The same toolbar in the gallery (icons, each named by a tooltip) and in the
//! lightbox (icons with their words beside them), so an action looks and behaves
//! the same wherever it is pressed.

use leptos::prelude::*;

use super::result_actions::{ResultActions, use_result};
use super::share::Share;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::count;

/// Which result the toolbar acts on, and how it is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    /// The record's local id.
    pub record: String,
    /// The result's position among the record's shown results.
    pub index: usize,
    /// The result's link.
    pub url: String,
    /// The name it is downloaded under.
    pub file_name: String,
}

#[component]
pub fn ResultToolbar(
    actions: ResultActions,
    subject: Subject,
    /// The kept copy's address once read, else none (the link is used).
    src: Signal<Option<String>>,
    /// Each action's words beside its icon (where there is room), not as a tooltip.
    #[prop(optional)]
    labelled: bool,
    /// Runs after "Use as input" (the lightbox closes itself).
    #[prop(optional, into)]
    on_used: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Subject {
        record,
        index,
        url,
        file_name,
    } = subject;
    // The number as the language writes it, for the accessible names.
    let number = move || count(i18n.get_locale(), (index + 1) as f64);
    let (use_record, use_url, use_name) = (record.clone(), url.clone(), file_name.clone());
    let use_as_input = move |_| {
        use_result(actions, &use_record, index, &use_url, &use_name);
        if let Some(on_used) = on_used {
            on_used.run(());
        }
    };
    let (download_record, download_url) = (record.clone(), url.clone());
    let download = move |_| {
        let url = src.get_untracked().unwrap_or_else(|| download_url.clone());
        let request = Share::Download {
            url,
            name: file_name.clone(),
        };
        actions.share.dispatch((download_record.clone(), request));
    };
    let copy_url = url.clone();
    let copy = move |_| {
        let request = Share::CopyLink {
            url: copy_url.clone(),
        };
        actions.share.dispatch((record.clone(), request));
    };
    let open_href = move || src.get().unwrap_or_else(|| url.clone());
    view! {
        <div
            class="result-actions"
            class:labelled=labelled
            role="group"
            aria-label=move || t_string!(i18n, results.tile.actions, number = number()).to_string()
        >
            <button type="button" class="icon-button" data-action="use-as-input"
                aria-label=move || t_string!(i18n, results.tile.use_as_input, number = number()).to_string()
                on:click=use_as_input>
                <span class="tip">{t!(i18n, results.actions.use_as_input)}</span>
            </button>
            <button type="button" class="icon-button" data-action="download"
                aria-label=move || t_string!(i18n, results.tile.download, number = number()).to_string()
                on:click=download>
                <span class="tip">{t!(i18n, results.actions.download)}</span>
            </button>
            <button type="button" class="icon-button" data-action="copy-link"
                aria-label=move || t_string!(i18n, results.tile.copy_link, number = number()).to_string()
                on:click=copy>
                <span class="tip">{t!(i18n, results.actions.copy_link)}</span>
            </button>
            <a class="icon-button" data-action="open" href=open_href target="_blank" rel="noopener noreferrer"
                aria-label=move || t_string!(i18n, results.tile.open, number = number()).to_string()>
                <span class="tip">{t!(i18n, results.actions.open)}</span>
            </a>
        </div>
    }
}
