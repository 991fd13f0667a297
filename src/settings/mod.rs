//! Connection settings: which API to call (the same-origin proxy by default, the
//! provider, or any proxy), the key, and a way to test them.

mod stored;

use leptos::prelude::*;

use seedream_contract::ServedBy;

use crate::api::{self, ApiConfig, ConfigError, Target};
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::ids::dom_id;
pub use stored::{SettingsStore, StorageRefused, load, save};

#[component]
pub fn SettingsPanel(
    /// The configuration every call uses; changed only to a valid one.
    config: RwSignal<ApiConfig>,
    /// Whether the key is remembered on this device rather than for the session.
    remember: RwSignal<bool>,
    /// Where the settings are kept (one place per instance on a page).
    #[prop(optional)]
    store: SettingsStore,
    /// True when the embedding page fixed the API address.
    #[prop(optional)]
    base_locked: bool,
    /// False when the embedding page hides the key (its proxy holds one).
    #[prop(optional = true, default = true)]
    show_key: bool,
    /// What this page's own server answers `/api` with, when it said.
    #[prop(default = None)]
    served_by: Option<ServedBy>,
    /// More settings of other parts (the archive's), after the connection's: rendered
    /// only while the panel is open, so they cost the start-up nothing.
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let price = use_context::<crate::form::cost::PriceSetting>()
        .unwrap_or_default()
        .0;
    let opened = RwSignal::new(false);
    let store = StoredValue::new(store);
    let base = RwSignal::new(config.get_untracked().base);
    let key = RwSignal::new(config.get_untracked().key.unwrap_or_default());
    // Typed, and put into words when shown, so a language switch rewords them too.
    let problem = RwSignal::new(None::<Problem>);
    // "Test connection": its pending state disables the button, its value is the
    // answer shown beside it (cleared when other settings are applied).
    let check = Action::new_local(|candidate: &ApiConfig| {
        let candidate = candidate.clone();
        async move {
            api::check_connection(&candidate)
                .await
                .map(|()| candidate.target())
        }
    });
    let check_result = check.value();
    // One memo for both readers: `pending()` makes a new one at each call.
    let testing = check.pending();

    let apply = move || {
        if base_locked {
            // The page's address stands whatever the field shows.
            base.set(config.get_untracked().base);
        }
        let key = show_key.then(|| key.get_untracked());
        let candidate = ApiConfig::new(&base.get_untracked(), key.as_deref());
        match candidate.validate() {
            Ok(()) => {
                let saved =
                    store.with_value(|store| store.save(&candidate, remember.get_untracked()));
                problem.set(saved.err().map(Problem::Storage));
                config.set(candidate);
                check_result.set(None);
            }
            Err(err) => problem.set(Some(Problem::Config(err))),
        }
    };
    let test = move |_| {
        check_result.set(None);
        check.dispatch(config.get_untracked());
    };
    let status = move || config.with(|c| connection_status(c, served_by, i18n.get_locale()));
    let problem_text = move || problem.get().map(|p| p.describe(i18n.get_locale()));
    let check_text = move || {
        let locale = i18n.get_locale();
        check_result.get().map(|result| match result {
            Ok(Target::ThisServer) => td_string!(locale, settings.connected_here).to_string(),
            Ok(Target::Address(address)) => {
                td_string!(locale, settings.connected_at, address).to_string()
            }
            Err(problem) => problem.describe(locale),
        })
    };

    view! {
        <details class="settings" on:toggle=move |ev| {
            let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
            opened.set(open);
        }>
            <summary class="connection-status" data-served-by=served_by.map(ServedBy::as_str)>
                <span class="visually-hidden">{t!(i18n, settings.status.label)}" "</span>
                <span class="status-dot" aria-hidden="true"></span>
                {status}
            </summary>
            // One panel under the summary: the connection's form, then the other parts'
            // settings.
            <div class="settings-body">
            <form class="settings-form" on:submit=move |ev| {
                ev.prevent_default();
                apply();
            }>
                <div class="field">
                    <label for=dom_id("api-base")>{t!(i18n, settings.address_label)}</label>
                    <input
                        id=dom_id("api-base")
                        type="url"
                        placeholder=move || t_string!(i18n, settings.address_placeholder).to_string()
                        aria-describedby=dom_id("api-base-hint")
                        // Read-only, not disabled: it stays readable and focusable.
                        readonly=base_locked
                        aria-readonly=base_locked.to_string()
                        prop:value=move || base.get()
                        on:input=move |ev| base.set(event_target_value(&ev))
                        on:change=move |_| apply()
                    />
                    <p class="hint" id=dom_id("api-base-hint")>
                        {move || if base_locked {
                            t_string!(i18n, settings.address_hint_locked)
                        } else {
                            t_string!(i18n, settings.address_hint)
                        }}
                    </p>
                </div>
                <Show when=move || show_key>
                <div class="field">
                    <label for=dom_id("api-key")>{t!(i18n, settings.key_label)}</label>
                    <input
                        id=dom_id("api-key")
                        type="password"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=move || t_string!(i18n, settings.key_placeholder).to_string()
                        prop:value=move || key.get()
                        on:input=move |ev| key.set(event_target_value(&ev))
                        on:change=move |_| apply()
                    />
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || remember.get()
                            on:change=move |ev| {
                                remember.set(event_target_checked(&ev));
                                apply();
                            }
                        />
                        {t!(i18n, settings.remember_key)}
                    </label>
                </div>
                </Show>
                <p class="field-error" role="alert">{problem_text}</p>
                <div class="actions">
                    <button type="button" on:click=test disabled=move || testing.get()>
                        {move || if testing.get() {
                            t_string!(i18n, settings.testing)
                        } else {
                            t_string!(i18n, settings.test)
                        }}
                    </button>
                    <p role="status" class=move || match check_result.get() {
                        Some(Ok(_)) => "hint ok",
                        _ => "field-error",
                    }>
                        {check_text}
                    </p>
                </div>
            </form>
            // The page's price, read-only: it is the hosting page's to set.
            {price.map(|price| view! {
                <p class="hint settings-price">{move || {
                    let locale = i18n.get_locale();
                    let price = crate::form::cost::money(locale, price.per_image, price.currency.as_deref());
                    td_string!(locale, form.cost.price, price).to_string()
                }}</p>
            })}
            {move || opened.get().then(|| children.as_ref().map(|children| children()))}
            </div>
        </details>
    }
}

/// Why the settings typed in were not (fully) applied.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    /// Not applied: the address or key cannot be used.
    Config(ConfigError),
    /// Applied, but not kept for the next visit.
    Storage(StorageRefused),
}

impl Problem {
    fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Config(error) => error.describe(locale),
            Self::Storage(refused) => refused.describe(locale),
        }
    }
}

/// What the studio talks to, in a few words: the summary of the settings.
fn connection_status(config: &ApiConfig, served_by: Option<ServedBy>, locale: Locale) -> String {
    let key_set = config
        .key
        .as_deref()
        .is_some_and(|key| !key.trim().is_empty());
    match (config.target(), served_by) {
        (Target::ThisServer, Some(ServedBy::Mock)) => td_string!(locale, settings.status.mock),
        (Target::ThisServer, Some(ServedBy::Proxy)) => td_string!(locale, settings.status.proxy),
        (Target::ThisServer, None) => td_string!(locale, settings.status.this_server),
        (Target::Address(_), _) if key_set => td_string!(locale, settings.status.direct_key),
        (Target::Address(_), _) => td_string!(locale, settings.status.direct_no_key),
    }
    .to_string()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_status_says_what_the_studio_talks_to() {
        let here = ApiConfig::new("", None);
        let direct = |key| ApiConfig::new("https://api.modellix.ai", key);
        let status =
            |config: &ApiConfig, served_by| connection_status(config, served_by, Locale::en);
        assert_eq!(
            status(&here, Some(ServedBy::Mock)),
            "This server's mock · no key needed"
        );
        assert_eq!(status(&here, Some(ServedBy::Proxy)), "This server's proxy");
        assert_eq!(status(&here, None), "This page's server");
        assert_eq!(status(&direct(Some("sk-1")), None), "Direct · key set");
        assert_eq!(
            status(&direct(Some("  ")), Some(ServedBy::Mock)),
            "Direct · no key"
        );
        assert_eq!(
            connection_status(&here, Some(ServedBy::Mock), Locale::zh_CN),
            "本服务器的模拟服务 · 无需密钥"
        );
    }
}
