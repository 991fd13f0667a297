//! Connection settings: which API to call (the same-origin proxy by default, the
//! provider, or any proxy), the key, and a way to test them.

mod stored;

use leptos::prelude::*;

use crate::api::{self, ApiConfig};
use crate::embed::ids::dom_id;
pub use stored::{SettingsStore, load, save};

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
) -> impl IntoView {
    let store = StoredValue::new(store);
    let base = RwSignal::new(config.get_untracked().base);
    let key = RwSignal::new(config.get_untracked().key.unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let check_result = RwSignal::new(None::<(bool, String)>);

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
                problem.set(saved.err());
                config.set(candidate);
                check_result.set(None);
            }
            Err(err) => problem.set(Some(err.to_string())),
        }
    };
    let test = move |_| {
        checking.set(true);
        check_result.set(None);
        let candidate = config.get_untracked();
        leptos::task::spawn_local(async move {
            let outcome = api::check_connection(&candidate).await;
            checking.set(false);
            check_result.set(Some(match outcome {
                Ok(()) => (
                    true,
                    format!(
                        "Connected: {} answers as the API.",
                        candidate.describe_target()
                    ),
                ),
                Err(problem) => (false, problem.to_string()),
            }));
        });
    };
    let summary = move || config.with(|c| c.describe_target());

    view! {
        <details class="settings">
            <summary>"Connection: " {summary}</summary>
            <form class="settings-body" on:submit=move |ev| {
                ev.prevent_default();
                apply();
            }>
                <div class="field">
                    <label for=dom_id("api-base")>"API address"</label>
                    <input
                        id=dom_id("api-base")
                        type="url"
                        placeholder="Empty: this server (its proxy or mock)"
                        aria-describedby=dom_id("api-base-hint")
                        // Read-only, not disabled: it stays readable and focusable.
                        readonly=base_locked
                        aria-readonly=base_locked.to_string()
                        prop:value=move || base.get()
                        on:input=move |ev| base.set(event_target_value(&ev))
                        on:change=move |_| apply()
                    />
                    <p class="hint" id=dom_id("api-base-hint")>
                        {if base_locked {
                            "Set by this page."
                        } else {
                            "Leave empty to use this server. A browser can call https://api.modellix.ai directly only if the provider allows this page's origin; otherwise use the proxy (seedream-server)."
                        }}
                    </p>
                </div>
                <Show when=move || show_key>
                <div class="field">
                    <label for=dom_id("api-key")>"API key"</label>
                    <input
                        id=dom_id("api-key")
                        type="password"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="Not needed with the proxy or the mock"
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
                        "Remember the key on this device (otherwise it is forgotten when the browser closes)"
                    </label>
                </div>
                </Show>
                <p class="field-error" role="alert">{move || problem.get()}</p>
                <div class="actions">
                    <button type="button" on:click=test disabled=move || checking.get()>
                        {move || if checking.get() { "Testing…" } else { "Test connection" }}
                    </button>
                    <p role="status" class=move || match check_result.get() {
                        Some((true, _)) => "hint ok",
                        _ => "field-error",
                    }>
                        {move || check_result.get().map(|(_, text)| text)}
                    </p>
                </div>
            </form>
        </details>
    }
}
