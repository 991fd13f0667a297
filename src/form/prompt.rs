//! The instruction, with a live count of Unicode characters against the limit.

use crate::embed::ids::dom_id;
use leptos::prelude::*;
use seedream_contract::prompt::{PROMPT_MAX_CHARS, prompt_char_count};

#[component]
pub fn PromptField(prompt: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let count = Memo::new(move |_| prompt.with(|p| prompt_char_count(p)));
    let over_limit = Memo::new(move |_| count.get() > PROMPT_MAX_CHARS);
    // An empty prompt is only an error once the user has started on it.
    let touched = RwSignal::new(false);
    let shown_error = move || error.get().filter(|_| touched.get());
    view! {
        <div class="field prompt">
            <label for=dom_id("prompt")>"Instruction"</label>
            <textarea
                id=dom_id("prompt")
                name="prompt"
                rows="4"
                placeholder="Turn this into a watercolour. Refer to inputs by position: put the product from Image 2 on the table in Image 1."
                aria-describedby=[dom_id("prompt-count"), dom_id("prompt-hint"), dom_id("prompt-error")].join(" ")
                aria-invalid=move || shown_error().is_some().to_string()
                prop:value=move || prompt.get()
                on:input=move |ev| {
                    touched.set(true);
                    prompt.set(event_target_value(&ev));
                }
            ></textarea>
            <div class="field-foot">
                <p class="hint" id=dom_id("prompt-hint")>"Chinese and English both work."</p>
                <p class="counter" id=dom_id("prompt-count") class:over=over_limit>
                    {move || format!("{} / {PROMPT_MAX_CHARS}", count.get())}
                </p>
            </div>
            <p class="field-error" id=dom_id("prompt-error") role="alert">{shown_error}</p>
        </div>
    }
}
