//! The instruction, with a live count of Unicode characters against the limit.
//!
//! Chinese (and Japanese, Korean) is typed through an input method: letters such as
//! "shuicai" stand in the field until a candidate ("水彩") is picked. That
//! provisional text is not the prompt, so while a composition is under way the field
//! is left alone: the prompt (and with it the count, the message and Edit) takes the
//! field's text when the composition ends.

use leptos::prelude::*;
use seedream_contract::PromptError;
use seedream_contract::prompt::{PROMPT_MAX_CHARS, prompt_char_count};

use crate::i18n::{t, t_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::count;
use crate::locale::validation;

#[component]
pub fn PromptField(prompt: RwSignal<String>, error: Signal<Option<PromptError>>) -> impl IntoView {
    let i18n = use_i18n();
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
    };
    let counter = move || {
        let locale = i18n.get_locale();
        let (count, max) = (
            count(locale, chars.get() as f64),
            count(locale, PROMPT_MAX_CHARS as f64),
        );
        t_string!(i18n, form.prompt.counter, count, max).to_string()
    };
    view! {
        <div class="field prompt">
            <label for=dom_id("prompt")>{t!(i18n, form.prompt.label)}</label>
            <textarea
                id=dom_id("prompt")
                name="prompt"
                rows="4"
                placeholder=move || t_string!(i18n, form.prompt.placeholder).to_string()
                aria-describedby=[dom_id("prompt-count"), dom_id("prompt-hint"), dom_id("prompt-error")].join(" ")
                aria-invalid=move || shown_error().is_some().to_string()
                prop:value=move || prompt.get()
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
