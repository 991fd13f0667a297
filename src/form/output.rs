//! Output format, and prompt optimisation shown as what it is: one mode.

use leptos::prelude::*;
use seedream_contract::OutputFormat;

use crate::i18n::{t, use_i18n};

#[component]
pub fn OutputField(format: RwSignal<OutputFormat>) -> impl IntoView {
    let i18n = use_i18n();
    let option = move |value: OutputFormat, label: AnyView| {
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
            <legend>{t!(i18n, form.output.legend)}</legend>
            <div class="choices">
                {option(OutputFormat::Jpeg, t!(i18n, form.output.jpeg).into_any())}
                {option(OutputFormat::Png, t!(i18n, form.output.png).into_any())}
            </div>
            <p class="hint">{t!(i18n, form.output.optimisation)}</p>
        </fieldset>
    }
}
