//! The list before the first edit: what the studio does, in one sentence, and a few
//! instructions to start from, which fill the instruction field when chosen.

use leptos::prelude::*;

use crate::i18n::{Locale, t, td_string, use_i18n};

#[component]
pub fn EmptyState(
    /// Puts a chosen example into the instruction field.
    on_example: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    // In the user's language, read when chosen, so a language switch rewords them.
    let examples: [fn(Locale) -> String; 4] = [
        |locale| td_string!(locale, tasks.examples.one).to_string(),
        |locale| td_string!(locale, tasks.examples.two).to_string(),
        |locale| td_string!(locale, tasks.examples.three).to_string(),
        |locale| td_string!(locale, tasks.examples.four).to_string(),
    ];
    view! {
        <div class="tasks-empty">
            <p>{t!(i18n, tasks.empty)}</p>
            <p class="examples-heading">{t!(i18n, tasks.examples.heading)}</p>
            <ul class="examples">
                {examples
                    .into_iter()
                    .map(|text| view! {
                        <li>
                            <button type="button" class="example" on:click=move |_| on_example.run(text(i18n.get_locale()))>
                                {move || text(i18n.get_locale())}
                            </button>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
