//! Sets: sequential generation on or off, and how many images it may return, limited
//! so that inputs and outputs together never pass the contract's 15.

use crate::embed::ids::dom_id;
use leptos::prelude::*;
use seedream_contract::sequential::{MAX_TOTAL_IMAGES, SequentialMode, max_images_limit};

/// The max-images value actually sent: what the user asked for, lowered to what the
/// number of inputs leaves room for. Derived, so adding an image never leaves a stale
/// value behind.
pub fn effective_max_images(requested: u8, inputs: usize) -> u8 {
    requested.clamp(1, max_images_limit(inputs).max(1))
}

#[component]
pub fn SetsField(
    mode: RwSignal<SequentialMode>,
    max_images: RwSignal<u8>,
    input_count: Signal<usize>,
) -> impl IntoView {
    let auto = move || mode.get() == SequentialMode::Auto;
    let limit = move || max_images_limit(input_count.get());
    let effective = move || effective_max_images(max_images.get(), input_count.get());
    let explanation = move || {
        let inputs = input_count.get();
        let limit = limit();
        let mut text = format!(
            "Up to {limit}: inputs and outputs together may be at most {MAX_TOTAL_IMAGES}, and there {} {inputs} input {}.",
            if inputs == 1 { "is" } else { "are" },
            if inputs == 1 { "image" } else { "images" },
        );
        if max_images.get() > limit {
            text.push_str(&format!(" {} will be asked for.", effective()));
        }
        text
    };
    view! {
        <fieldset class="field sets">
            <legend>"Sets"</legend>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=auto
                    on:change=move |ev| {
                        mode.set(if event_target_checked(&ev) { SequentialMode::Auto } else { SequentialMode::Disabled })
                    }
                />
                "Generate a set of related images (the model decides how many, up to the maximum)"
            </label>
            <Show when=auto>
                <label class="inline">
                    "At most"
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
                    "images"
                </label>
                <p id=dom_id("max-images-note") class="hint">{explanation}</p>
            </Show>
        </fieldset>
    }
}
