//! Before and after: a result over one of its input images, split by a slider.

use leptos::prelude::*;

use crate::i18n::{t, t_string, use_i18n};
use crate::locale::image_label;

/// The result (`after`) drawn over an input image, revealed from the divider on.
/// `before` lists the input images that can be shown, as (position among the
/// inputs, address).
#[component]
pub fn Compare(before: Vec<(usize, String)>, after: String) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(0_usize);
    let split = RwSignal::new(50_u8);
    let choices = before.clone();
    let before_src = move || before.get(chosen.get()).map(|(_, src)| src.clone());
    let before_label = {
        let before = choices.clone();
        move || {
            let &(position, _) = before.get(chosen.get())?;
            let label = image_label(i18n.get_locale(), position);
            Some(t_string!(i18n, results.compare.before_alt, label).to_string())
        }
    };
    view! {
        <div class="compare">
            {(choices.len() > 1).then(|| view! {
                <label class="compare-choice">
                    {t!(i18n, results.compare.choose)}" "
                    <select class="compare-input" on:change=move |ev| {
                        chosen.set(event_target_value(&ev).parse().unwrap_or(0));
                    }>
                        {choices.iter().enumerate().map(|(i, &(position, _))| view! {
                            <option value=i.to_string()>{move || image_label(i18n.get_locale(), position)}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <div class="compare-frame" style:--split=move || format!("{}%", split.get())>
                <img class="compare-before" src=before_src alt=before_label referrerpolicy="no-referrer" />
                <img class="compare-after" src=after alt=move || t_string!(i18n, results.compare.after_alt).to_string() referrerpolicy="no-referrer" />
                <span class="compare-line" aria-hidden="true"></span>
            </div>
            <input
                type="range"
                class="compare-divider"
                min="0"
                max="100"
                aria-label=move || t_string!(i18n, results.compare.divider).to_string()
                prop:value=move || split.get().to_string()
                on:input=move |ev| split.set(event_target_value(&ev).parse::<u8>().unwrap_or(50).min(100))
            />
        </div>
    }
}
