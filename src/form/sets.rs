//! Sets: sequential generation on or off, and how many images it may return, limited
//! so that inputs and outputs together never pass the contract's 15.

use leptos::prelude::*;
use seedream_contract::sequential::{MAX_TOTAL_IMAGES, SequentialMode, max_images_limit};

use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::count;

/// The max-images value actually sent: what the user asked for, lowered to what the
/// number of inputs leaves room for. Derived, so adding an image never leaves a stale
/// value behind.
pub fn effective_max_images(requested: u8, inputs: usize) -> u8 {
    requested.clamp(1, max_images_limit(inputs).max(1))
}

/// Why the maximum is what it is, for `inputs` input images; says what will be
/// asked for when the user's number (`requested`) is more than fits.
fn explanation(locale: Locale, inputs: usize, requested: u8) -> String {
    let limit = max_images_limit(inputs);
    let (shown_limit, total, shown_inputs) = (
        count(locale, limit),
        count(locale, MAX_TOTAL_IMAGES as f64),
        count(locale, inputs as f64),
    );
    let explanation = if inputs == 1 {
        td_string!(
            locale,
            form.sets.explanation_one,
            limit = shown_limit,
            total,
            inputs = shown_inputs
        )
    } else {
        td_string!(
            locale,
            form.sets.explanation,
            limit = shown_limit,
            total,
            inputs = shown_inputs
        )
    }
    .to_string();
    if requested > limit {
        let count = count(locale, effective_max_images(requested, inputs));
        td_string!(locale, form.sets.lowered, explanation, count).to_string()
    } else {
        explanation
    }
}

#[component]
pub fn SetsField(
    mode: RwSignal<SequentialMode>,
    max_images: RwSignal<u8>,
    input_count: Signal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auto = move || mode.get() == SequentialMode::Auto;
    let limit = move || max_images_limit(input_count.get());
    let effective = move || effective_max_images(max_images.get(), input_count.get());
    let explanation = move || explanation(i18n.get_locale(), input_count.get(), max_images.get());
    view! {
        <fieldset class="field sets">
            <legend>{t!(i18n, form.sets.legend)}</legend>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=auto
                    on:change=move |ev| {
                        mode.set(if event_target_checked(&ev) { SequentialMode::Auto } else { SequentialMode::Disabled })
                    }
                />
                {t!(i18n, form.sets.toggle)}
            </label>
            <Show when=auto>
                <label class="inline">
                    {t!(i18n, form.sets.at_most)}
                    <input
                        type="number"
                        id=dom_id("max-images")
                        min="1"
                        max=move || limit().to_string()
                        aria-describedby=dom_id("max-images-note")
                        prop:value=move || effective().to_string()
                        on:input=move |ev| {
                            if let Ok(value) = event_target_value(&ev).trim().parse::<u8>() {
                                max_images.set(value.max(1));
                            }
                        }
                    />
                    {t!(i18n, form.sets.images)}
                </label>
                <p id=dom_id("max-images-note") class="hint">{explanation}</p>
            </Show>
        </fieldset>
    }
}
