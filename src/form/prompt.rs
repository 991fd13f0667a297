//! The instruction, with a live count of Unicode characters against the limit.
//!
//! Chinese (and Japanese, Korean) is typed through an input method: letters such as
//! "shuicai" stand in the field until a candidate ("水彩") is picked. That
//! provisional text is not the prompt, so while a composition is under way the field
//! is left alone: the prompt (and with it the count, the message and Edit) takes the
//! field's text when the composition ends.
//!
//! With an instruction book in context (every instance has one), the field offers the
//! saved and recent instructions (`suggest`) and saves its text with a name
//! (`save_instruction`).

use leptos::prelude::*;
use seedream_contract::PromptError;
use seedream_contract::prompt::{PROMPT_MAX_CHARS, prompt_char_count};

use super::restore::Notice;
use super::save_instruction::SaveInstruction;
use super::suggest::{Suggest, SuggestList, option_id};
use crate::i18n::{t, t_string, use_i18n};
use crate::ids::dom_id;
use crate::instructions::InstructionBook;
use crate::locale::format::count;
use crate::locale::validation;

#[component]
pub fn PromptField(
    prompt: RwSignal<String>,
    error: Signal<Option<PromptError>>,
    /// Where picking an instruction offers Undo.
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = NodeRef::<leptos::html::Textarea>::new();
    let suggest = use_context::<InstructionBook>().map(|book| Suggest::new(book, prompt, notice));
    let chars = Memo::new(move |_| prompt.with(|p| prompt_char_count(p)));
    let over_limit = Memo::new(move |_| chars.get() > PROMPT_MAX_CHARS);
    // An empty prompt is only an error once the user has started on it.
    let touched = RwSignal::new(false);
    // True between compositionstart and compositionend.
    let composing = StoredValue::new(false);
    let shown_error = move || {
        let locale = i18n.get_locale();
        error
            .get()
            .filter(|_| touched.get())
            .map(|error| validation::prompt(locale, &error))
    };
    let take = move |text: String| {
        touched.set(true);
        prompt.set(text);
        if let Some(suggest) = suggest {
            suggest.typed();
        }
    };
    let counter = move || {
        let locale = i18n.get_locale();
        let (count, max) = (
            count(locale, chars.get() as f64),
            count(locale, PROMPT_MAX_CHARS as f64),
        );
        t_string!(i18n, form.prompt.counter, count, max).to_string()
    };
    // The caret is after the last character (Down there opens the suggestions).
    let at_end = move || {
        field.get_untracked().is_some_and(|field| {
            let end = field.value().encode_utf16().count() as u32;
            field.selection_start().ok().flatten() == Some(end)
                && field.selection_end().ok().flatten() == Some(end)
        })
    };
    let tools = suggest.map(|suggest| view! { <InstructionTools suggest prompt field /> });
    let mut described_by = vec![
        dom_id("prompt-count"),
        dom_id("prompt-hint"),
        dom_id("prompt-error"),
    ];
    if suggest.is_some() {
        described_by.push(dom_id("prompt-suggest-hint"));
    }
    view! {
        <div class="field prompt">
            <div class="prompt-head">
                <label for=dom_id("prompt")>{t!(i18n, form.prompt.label)}</label>
                {tools}
            </div>
            <div class="prompt-input">
            <textarea
                id=dom_id("prompt")
                name="prompt"
                rows="4"
                node_ref=field
                placeholder=move || t_string!(i18n, form.prompt.placeholder).to_string()
                aria-describedby=described_by.join(" ")
                aria-invalid=move || shown_error().is_some().to_string()
                aria-controls=suggest.map(|_| dom_id("prompt-suggest"))
                aria-activedescendant=move || suggest.and_then(Suggest::active_option).map(option_id)
                prop:value=move || prompt.get()
                on:keydown=move |ev| {
                    if suggest.is_some_and(|suggest| suggest.key(&ev, at_end())) {
                        ev.prevent_default();
                    }
                }
                on:blur=move |_| {
                    if let Some(suggest) = suggest {
                        suggest.close();
                    }
                }
                on:compositionstart=move |_| composing.set_value(true)
                on:compositionend=move |ev| {
                    composing.set_value(false);
                    // Chrome sends the last `input` before `compositionend`, so the
                    // final text is read here.
                    take(event_target_value(&ev));
                }
                on:input=move |ev| {
                    if !composing.get_value() {
                        take(event_target_value(&ev));
                    }
                }
            ></textarea>
            {suggest.map(|suggest| view! { <SuggestList suggest /> })}
            </div>
            <div class="field-foot">
                <p class="hint" id=dom_id("prompt-hint")>{t!(i18n, form.prompt.hint)}</p>
                <p class="counter" id=dom_id("prompt-count") class:over=over_limit>
                    {counter}
                </p>
            </div>
            <p class="field-error" id=dom_id("prompt-error") role="alert">{shown_error}</p>
        </div>
    }
}

/// The field's buttons: the list of saved and recent instructions, and saving.
#[component]
fn InstructionTools(
    suggest: Suggest,
    prompt: RwSignal<String>,
    field: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        if suggest.open.get_untracked() {
            suggest.close();
            return;
        }
        suggest.open.set(true);
        if let Some(field) = field.get_untracked() {
            let _ = field.focus();
        }
    };
    view! {
        <button type="button" class="icon-button suggest-toggle" data-action="suggest-instructions"
            aria-expanded=move || suggest.open.get().to_string()
            aria-controls=dom_id("prompt-suggest")
            aria-label=move || t_string!(i18n, form.suggest.open).to_string()
            // The field keeps focus (and the list stays open) under a click.
            on:mousedown=|ev| ev.prevent_default()
            on:click=toggle>
            <span class="tip">{t!(i18n, form.suggest.open)}</span>
        </button>
        <SaveInstruction book=suggest.book prompt />
    }
}
