//! Every way to add images: the file picker, paste, and an address; drops on the
//! form are [`super::drop`]'s.
//!
//! All four feed the same [`Intake`], so a file is checked the same way however it
//! arrived, and the messages and "Reading…" states appear in one place.

use leptos::ev;
use leptos::prelude::*;
use seedream_contract::image::ImageFormat;
use seedream_contract::url::is_http_url;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, DragEvent, Element, HtmlInputElement};

use super::drop::carries_files;
use super::intake::{Intake, files_of};
use super::model::next_id;
use crate::form::composing;
use crate::i18n::{t, t_string, use_i18n};

/// The `accept` list of the file input: the contract's formats, by MIME type.
/// Only a hint to the browser's dialog; every file is still checked by its bytes.
fn accept() -> String {
    ImageFormat::ALL.map(ImageFormat::mime_type).join(",")
}

/// Adds images by file picker, drag and drop, paste or address.
///
/// Everything goes through `intake`, which the form shares with the task list (so a
/// result can be added back as an input the same way). While mounted the picker also
/// listens for pastes anywhere on the page, and stops a file dropped beside the form
/// from replacing the whole app.
#[component]
pub fn ImagePicker(
    /// The list it appends to, with its messages and reads under way.
    intake: Intake,
    /// Takes only what is given to it, not pastes anywhere on the page (a second
    /// picker: the page's pastes go to the first).
    #[prop(optional)]
    local: bool,
) -> impl IntoView {
    if !local {
        listen_on_page(intake);
    }
    let i18n = use_i18n();
    let uid = next_id();
    let file_id = format!("image-files-{uid}");
    let hint_id = format!("image-drop-hint-{uid}");

    let on_change = move |ev: ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        intake.add_files(files_of(input.files()));
        // Lets the same file be picked again after it was removed.
        input.set_value("");
    };

    view! {
        <div class="image-picker">
            <div class="image-drop">
                <p class="image-drop-text" id=hint_id.clone()>
                    {t!(i18n, images.picker.drop_hint)}
                </p>
                <input
                    type="file"
                    id=file_id.clone()
                    class="visually-hidden image-file-input"
                    multiple
                    accept=accept()
                    aria-describedby=hint_id
                    on:change=on_change
                />
                <label for=file_id class="image-add-button">{t!(i18n, images.picker.add_files)}</label>
            </div>
            <UrlField intake />
            <PendingList intake />
            <ProblemList intake />
        </div>
    }
}

/// Page-wide listeners, removed when the picker unmounts: paste adds images, and a
/// file dropped outside the zone is ignored instead of opened by the browser.
fn listen_on_page(intake: Intake) {
    let paste = window_event_listener(ev::paste, move |ev: ClipboardEvent| {
        let Some(clipboard) = ev.clipboard_data() else {
            return;
        };
        let files = files_of(clipboard.files());
        // Text pasted into a text field stays text, even if an image came along.
        let into_text_field = ev
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        let has_text = clipboard.types().includes(&"text/plain".into(), 0);
        if files.is_empty() || (into_text_field && has_text) {
            return;
        }
        ev.prevent_default();
        intake.add_files(files);
    });
    let over = window_event_listener(ev::dragover, |ev: DragEvent| {
        // The form already accepted this drag; elsewhere, show "no drop".
        if let Some(transfer) = ev.data_transfer().filter(carries_files)
            && !ev.default_prevented()
        {
            ev.prevent_default();
            transfer.set_drop_effect("none");
        }
    });
    let drop = window_event_listener(ev::drop, |ev: DragEvent| {
        if ev.data_transfer().as_ref().is_some_and(carries_files) {
            ev.prevent_default();
        }
    });
    on_cleanup(move || {
        paste.remove();
        over.remove();
        drop.remove();
    });
}

/// The address field: Enter or the Add button adds the typed URL.
#[component]
fn UrlField(intake: Intake) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let field_id = format!("image-url-{}", next_id());
    let add = move || {
        let url = text.get_untracked();
        // A refused address stays in the field to be corrected beside its message.
        if is_http_url(url.trim()) {
            text.set(String::new());
        }
        intake.add_url(url);
    };
    view! {
        <div class="image-url">
            <label for=field_id.clone()>{t!(i18n, images.picker.address_label)}</label>
            <div class="image-url-row">
                <input
                    type="url"
                    id=field_id
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=move || t_string!(i18n, images.picker.address_placeholder).to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:keydown=move |ev: ev::KeyboardEvent| {
                        // Enter also confirms an input method's candidate (Chinese,
                        // Japanese...): that one is the user's typing, not "add".
                        if ev.key() == "Enter" && !composing(&ev) {
                            // Enter would otherwise submit the surrounding form.
                            ev.prevent_default();
                            add();
                        }
                    }
                />
                <button
                    type="button"
                    aria-label=move || t_string!(i18n, images.picker.add_address_label).to_string()
                    on:click=move |_| add()
                >
                    {t!(i18n, images.picker.add_address)}
                </button>
            </div>
        </div>
    }
}

/// "Reading photo.png…" for each file still being read, announced politely.
#[component]
fn PendingList(intake: Intake) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="image-pending" aria-live="polite">
            <For each=move || intake.pending.get() key=|entry| entry.id let(entry)>
                <li class="image-pending-item">{move || entry.describe(i18n.get_locale())}</li>
            </For>
        </ul>
    }
}

/// One alert per refused file, each with its own Dismiss button.
#[component]
fn ProblemList(intake: Intake) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="image-problems">
            <For each=move || intake.problems.get() key=|problem| problem.id let(problem)>
                <div class="image-problem" role="alert">
                    <span class="image-problem-text">
                        {
                            let problem = problem.clone();
                            move || problem.describe(i18n.get_locale())
                        }
                    </span>
                    <button
                        type="button"
                        class="image-dismiss"
                        aria-label={
                            let problem = problem.clone();
                            move || {
                                let name = problem.about(i18n.get_locale());
                                t_string!(i18n, images.picker.dismiss_label, name).to_string()
                            }
                        }
                        on:click=move |_| intake.dismiss(problem.id)
                    >
                        {t!(i18n, images.picker.dismiss)}
                    </button>
                </div>
            </For>
        </div>
    }
}
