//! Saving the instruction with a name: a small form that opens under the field, its
//! name filled with the instruction's first words (or the name it is saved under).

use leptos::html;
use leptos::prelude::*;

use super::composing;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::ids::dom_id;
use crate::instructions::{InstructionBook, NotSaved, list};

/// What the latest save said, and of which instruction.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Saved(String),
    NotSaved(NotSaved),
}

/// The "Save instruction" button, and the name form it opens.
#[component]
pub fn SaveInstruction(book: InstructionBook, prompt: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let opened = RwSignal::new(false);
    // What the latest save said, with the instruction it was about: another
    // instruction in the field makes it old news.
    let outcome = RwSignal::new(None::<(String, Outcome)>);
    let button = NodeRef::<html::Button>::new();
    let name_field = NodeRef::<html::Input>::new();
    // The name the field's text is saved under, if it is.
    let saved_as = Memo::new(move |_| {
        prompt.with(|text| {
            book.saved.with(|saved| {
                saved
                    .iter()
                    .find(|entry| list::same_text(&entry.text, text))
                    .map(|entry| entry.name.clone())
            })
        })
    });
    let blank = move || prompt.with(|text| text.trim().is_empty());
    let open = move |_| {
        let text = prompt.get_untracked();
        let name = saved_as
            .get_untracked()
            .unwrap_or_else(|| list::default_name(&text));
        outcome.set(None);
        opened.set(true);
        if let Some(field) = name_field.get_untracked() {
            field.set_value(&name);
            // Once shown (a hidden field takes no focus).
            request_animation_frame(move || {
                let _ = field.focus();
                field.select();
            });
        }
    };
    let close = move || {
        opened.set(false);
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };
    let save = move || {
        let name = name_field
            .get_untracked()
            .map(|field| field.value())
            .unwrap_or_default();
        let text = prompt.get_untracked();
        let result = book.save(&name, &text);
        // Saved (or kept for this page): the form's work is done.
        let done = !matches!(result, Err(NotSaved::Full | NotSaved::Unsavable));
        let said = match result {
            Ok(saved) => Outcome::Saved(saved.name),
            Err(reason) => Outcome::NotSaved(reason),
        };
        outcome.set(Some((text, said)));
        if done {
            close();
        }
    };
    let tip = move || match saved_as.get() {
        Some(_) => t_string!(i18n, form.saved.rename).to_string(),
        None => t_string!(i18n, form.saved.save).to_string(),
    };
    let said = move || {
        let locale = i18n.get_locale();
        let (text, outcome) = outcome.get()?;
        prompt.with(|now| *now == text).then(|| match outcome {
            Outcome::Saved(name) => td_string!(locale, form.saved.done, name).to_string(),
            Outcome::NotSaved(reason) => reason.describe(locale),
        })
    };
    view! {
        <button type="button" class="icon-button save-instruction" node_ref=button
            class:saved=move || saved_as.with(Option::is_some)
            data-action="save-instruction"
            aria-expanded=move || opened.get().to_string()
            aria-controls=dom_id("save-instruction")
            aria-label=tip
            disabled=blank
            on:click=open>
            <span class="tip">{tip}</span>
        </button>
        <div class="save-instruction-form" id=dom_id("save-instruction") hidden=move || !opened.get()>
            <label for=dom_id("save-instruction-name")>{t!(i18n, form.saved.name)}</label>
            <input type="text" id=dom_id("save-instruction-name") node_ref=name_field
                maxlength=list::MAX_NAME_CHARS.to_string()
                on:keydown=move |ev| {
                    if composing(&ev) {
                        return;
                    }
                    match ev.key().as_str() {
                        "Enter" => {
                            ev.prevent_default();
                            save();
                        }
                        "Escape" => {
                            ev.prevent_default();
                            close();
                        }
                        _ => {}
                    }
                } />
            <button type="button" class="primary" data-action="confirm-save-instruction" on:click=move |_| save()>
                {t!(i18n, form.saved.confirm)}
            </button>
            <button type="button" class="quiet" on:click=move |_| close()>{t!(i18n, form.saved.cancel)}</button>
        </div>
        <p class="saved-note" role="status">{said}</p>
    }
}
