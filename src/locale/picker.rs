//! The language switch in the header: each language named in itself, so a user who
//! cannot read the current one still finds theirs.

use leptos::prelude::*;

use super::{LocaleStore, from_tag, tag};
use crate::i18n::{Locale, t, use_i18n};
use crate::ids::dom_id;

/// The languages offered, each with its own name for itself.
const LANGUAGES: [(Locale, &str); 2] = [(Locale::en, "English"), (Locale::zh_CN, "简体中文")];

#[component]
pub fn LanguagePicker(store: LocaleStore) -> impl IntoView {
    let i18n = use_i18n();
    let id = dom_id("language");
    let on_change = move |ev| {
        if let Some(locale) = from_tag(&event_target_value(&ev)) {
            i18n.set_locale(locale);
            store.save(locale);
        }
    };
    view! {
        <div class="language-picker">
            <label for=id.clone()>{t!(i18n, app.language_label)}</label>
            <select id=id on:change=on_change prop:value=move || tag(i18n.get_locale())>
                {LANGUAGES
                    .iter()
                    .map(|&(locale, name)| {
                        let code = tag(locale);
                        let lang = code;
                        view! { <option value=code lang=lang>{name}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
