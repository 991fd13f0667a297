//! Where an edit came from and what was made from it: a task made with "Use as input"
//! keeps, for each such input, the result it was ([`FromResult`]); its card links to
//! each parent, and a parent says how many edits were made from it.

use std::collections::HashMap;

use leptos::prelude::*;

use super::Tasks;
use super::entries::TaskEntriesStoreFields;
use crate::history::InputRecord;
use crate::i18n::{td_string, use_i18n};
use crate::locale::format::count;
use crate::media::FromResult;

/// How many edits were made from each task's results, by local id: derived from the
/// list, once for all cards.
pub fn children(tasks: Tasks) -> Memo<HashMap<String, usize>> {
    Memo::new(move |_| {
        let mut made = HashMap::new();
        tasks.list.entries().with(|entries| {
            for entry in entries {
                // An edit that used two results of one task counts once for it.
                let mut parents: Vec<&str> = Vec::new();
                for from in entry.record.inputs.iter().filter_map(|i| i.from.as_ref()) {
                    if !parents.contains(&from.record.as_str()) {
                        parents.push(&from.record);
                    }
                }
                for parent in parents {
                    *made.entry(parent.to_owned()).or_default() += 1;
                }
            }
        });
        made
    })
}

/// The card's lines about its parents ("From result 2 of “…”") and its children
/// ("2 edits made from it"); nothing for an edit with neither.
#[component]
pub fn Lineage(
    tasks: Tasks,
    /// The card's record id.
    id: String,
    inputs: Vec<InputRecord>,
    children: Memo<HashMap<String, usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let parents: Vec<FromResult> = inputs.into_iter().filter_map(|input| input.from).collect();
    let made = Memo::new(move |_| children.with(|made| made.get(&id).copied().unwrap_or(0)));
    let parent_items = parents
        .into_iter()
        .map(|from| {
            let text = {
                let from = from.clone();
                Signal::derive(move || {
                    let locale = i18n.get_locale();
                    let number = count(locale, (from.index + 1) as f64);
                    match tasks.with_record(&from.record, |r| r.prompt.clone()) {
                        Some(prompt) => {
                            let prompt = excerpt(&prompt);
                            td_string!(locale, tasks.lineage.from, number, prompt).to_string()
                        }
                        None => td_string!(locale, tasks.lineage.gone).to_string(),
                    }
                })
            };
            let present = {
                let record = from.record.clone();
                move || tasks.with_record(&record, |_| ()).is_some()
            };
            let record = from.record;
            view! {
                <li>
                    <Show when=present fallback=move || view! { <span>{text}</span> }>
                        <button type="button" class="link" data-action="show-parent" on:click={
                            let record = record.clone();
                            move |_| show_card(&record)
                        }>{text}</button>
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="lineage">
            {parent_items}
            {move || (made.get() > 0).then(|| view! {
                <li class="lineage-children">{move || {
                    let locale = i18n.get_locale();
                    match made.get() {
                        1 => td_string!(locale, tasks.lineage.children_one).to_string(),
                        n => {
                            let count = count(locale, n as f64);
                            td_string!(locale, tasks.lineage.children, count).to_string()
                        }
                    }
                }}</li>
            })}
        </ul>
    }
}

/// The first words of a prompt, for naming an edit in a line.
fn excerpt(prompt: &str) -> String {
    const MOST: usize = 40;
    let mut words = prompt.chars();
    let shown: String = words.by_ref().take(MOST).collect();
    if words.next().is_some() {
        format!("{}…", shown.trim_end())
    } else {
        shown
    }
}

/// Scrolls the card of record `id` into view and moves focus to it.
fn show_card(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let selector = format!(".task-card[data-record-id=\"{}\"]", id.replace('"', ""));
    if let Ok(Some(card)) = document.query_selector(&selector) {
        card.scroll_into_view();
        if let Some(card) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&card) {
            let _ = card.focus();
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::excerpt;

    #[test]
    fn long_prompts_are_cut_after_forty_characters() {
        assert_eq!(excerpt("Make it blue"), "Make it blue");
        let long = "Put the product from image 2 on the table in image 1, in morning light";
        assert_eq!(excerpt(long), "Put the product from image 2 on the tabl…");
    }
}
