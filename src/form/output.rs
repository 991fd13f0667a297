//! Output format, and prompt optimisation shown as what it is: one mode.

use leptos::prelude::*;
use seedream_contract::OutputFormat;

#[component]
pub fn OutputField(format: RwSignal<OutputFormat>) -> impl IntoView {
    let option = move |value: OutputFormat, label: &'static str| {
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="output-format"
                    value=value.as_str()
                    prop:checked=move || format.get() == value
                    on:change=move |_| format.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="field output">
            <legend>"Output"</legend>
            <div class="choices">
                {option(OutputFormat::Jpeg, "JPEG (smaller files)")}
                {option(OutputFormat::Png, "PNG (lossless)")}
            </div>
            <p class="hint">"Prompt optimisation: standard (the only mode the model offers)."</p>
        </fieldset>
    }
}
