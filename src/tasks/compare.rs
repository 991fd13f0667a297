//! Before and after: a result over one of its input images, split by a slider.

use leptos::prelude::*;

/// The result (`after`) drawn over an input image, revealed from the divider on.
/// `before` lists the input images that can be shown, as (label, address).
#[component]
pub fn Compare(before: Vec<(String, String)>, after: String) -> impl IntoView {
    let chosen = RwSignal::new(0_usize);
    let split = RwSignal::new(50_u8);
    let choices = before.clone();
    let before_src = move || before.get(chosen.get()).map(|(_, src)| src.clone());
    let before_label = {
        let before = choices.clone();
        move || {
            before
                .get(chosen.get())
                .map(|(label, _)| format!("Before: {label}"))
        }
    };
    view! {
        <div class="compare">
            {(choices.len() > 1).then(|| view! {
                <label class="compare-choice">
                    "Compare with "
                    <select class="compare-input" on:change=move |ev| {
                        chosen.set(event_target_value(&ev).parse().unwrap_or(0));
                    }>
                        {choices.iter().enumerate().map(|(i, (label, _))| view! {
                            <option value=i.to_string()>{label.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <div class="compare-frame" style:--split=move || format!("{}%", split.get())>
                <img class="compare-before" src=before_src alt=before_label referrerpolicy="no-referrer" />
                <img class="compare-after" src=after alt="After: the result" referrerpolicy="no-referrer" />
                <span class="compare-line" aria-hidden="true"></span>
            </div>
            <input
                type="range"
                class="compare-divider"
                min="0"
                max="100"
                aria-label="Divider: before on the left, the result on the right"
                prop:value=move || split.get().to_string()
                on:input=move |ev| split.set(event_target_value(&ev).parse::<u8>().unwrap_or(50).min(100))
            />
        </div>
    }
}
