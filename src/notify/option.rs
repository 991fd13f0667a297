//! The settings' option that turns notifications on (asking the browser from that
//! click), and what it says about the browser's answer. Not shown where the page
//! cannot notify.

use leptos::prelude::*;

use super::Notifier;
use super::decide::Permission;
use crate::i18n::{t, td_string, use_i18n};
use crate::ids::dom_id;

#[component]
pub fn NotifyOption(notifier: Notifier) -> impl IntoView {
    let i18n = use_i18n();
    let denied = move || notifier.permission.get() == Permission::Denied;
    let on = move || notifier.opted_in.get() && notifier.permission.get() == Permission::Granted;
    let said = move || {
        let locale = i18n.get_locale();
        if notifier.asking.get() {
            Some(td_string!(locale, notify.asking).to_string())
        } else if denied() {
            Some(td_string!(locale, notify.denied).to_string())
        } else if on() {
            Some(td_string!(locale, notify.on).to_string())
        } else {
            None
        }
    };
    move || {
        notifier.offered().then(|| {
            view! {
                <div class="field notify-option">
                    <label class="check">
                        <input type="checkbox" data-setting="notify"
                            aria-describedby=dom_id("notify-said")
                            prop:checked=on
                            disabled=move || denied() || notifier.asking.get()
                            on:change=move |ev| notifier.choose(event_target_checked(&ev)) />
                        {t!(i18n, notify.option)}
                    </label>
                    <p class="hint" id=dom_id("notify-said") role="status">{said}</p>
                </div>
            }
        })
    }
}
