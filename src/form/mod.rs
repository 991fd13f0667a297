//! The edit form: prompt, images, size, sets and output format.
//!
//! Every rule comes from `seedream-contract`; the form only holds signals and derives
//! what to show from them.

use leptos::prelude::*;
use seedream_contract::image::{MAX_IMAGES, validate_image_count};
use seedream_contract::prompt::{PROMPT_MAX_CHARS, prompt_char_count, validate_prompt};
use seedream_contract::size::{DEFAULT_SIZE, RECOMMENDED};

#[component]
pub fn EditForm() -> impl IntoView {
    let prompt = RwSignal::new(String::new());
    // Images arrive with the image picker; until then the list is empty.
    let image_count = Signal::derive(|| 0_usize);

    let prompt_error = move || prompt.with(|p| validate_prompt(p).err().map(|e| e.to_string()));
    let images_error = move || {
        validate_image_count(image_count.get())
            .err()
            .map(|e| e.to_string())
    };
    let blocked_reason = move || images_error().or_else(prompt_error);

    view! {
        <form class="edit-form" aria-labelledby="edit-form-title" on:submit=|ev| ev.prevent_default()>
            <h2 id="edit-form-title" class="visually-hidden">"New edit"</h2>
            <PromptField prompt error=Signal::derive(prompt_error) />
            <fieldset class="field images">
                <legend>"Images"</legend>
                <p class="hint">
                    {format!("Add 1 to {MAX_IMAGES} images: JPEG, PNG, WEBP, BMP, TIFF or GIF, up to 10 MB each.")}
                </p>
                <p class="empty">"No images yet."</p>
            </fieldset>
            <SizeField />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || blocked_reason().is_some()>
                    "Edit"
                </button>
                <p class="blocked-reason" role="status">{blocked_reason}</p>
            </div>
        </form>
    }
}

/// The instruction, with a live count of Unicode characters against the limit.
#[component]
fn PromptField(prompt: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    let count = Memo::new(move |_| prompt.with(|p| prompt_char_count(p)));
    let over_limit = Memo::new(move |_| count.get() > PROMPT_MAX_CHARS);
    // An empty prompt is only an error once the user has started on it.
    let touched = RwSignal::new(false);
    let shown_error = move || error.get().filter(|_| touched.get());
    view! {
        <div class="field prompt">
            <label for="prompt">"Instruction"</label>
            <textarea
                id="prompt"
                name="prompt"
                rows="4"
                placeholder="Turn this into a watercolour"
                aria-describedby="prompt-count prompt-hint prompt-error"
                prop:value=move || prompt.get()
                on:input=move |ev| {
                    touched.set(true);
                    prompt.set(event_target_value(&ev));
                }
            ></textarea>
            <p class="field-error" id="prompt-error" role="alert">{shown_error}</p>
            <p class="hint" id="prompt-hint">"Chinese and English both work."</p>
            <p class="counter" id="prompt-count" class:over=over_limit>
                {move || format!("{} / {PROMPT_MAX_CHARS}", count.get())}
            </p>
        </div>
    }
}

/// Output size: the model's recommended 2K and 3K sizes.
#[component]
fn SizeField() -> impl IntoView {
    let default = DEFAULT_SIZE.to_string();
    view! {
        <div class="field size">
            <label for="size">"Size"</label>
            <select id="size" name="size">
                {RECOMMENDED
                    .iter()
                    .flat_map(|rec| [("2K", rec.k2), ("3K", rec.k3)].map(move |(tier, size)| (rec.ratio, tier, size)))
                    .map(|(ratio, tier, size)| {
                        let value = size.to_string();
                        let selected = value == default;
                        view! {
                            <option value=value.clone() selected=selected>
                                {format!("{ratio} · {tier} · {value}")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
