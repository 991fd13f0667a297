//! Connection settings: the key is kept for the session unless remembered, bad input is
//! explained and not applied, and the connection test reports what it found.

use std::cell::Cell;
use std::rc::Rc;

use gloo_storage::{LocalStorage, SessionStorage, Storage};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use seedream_contract::UrlError;
use seedream_studio::api::{ApiConfig, ConfigError, ConnectionProblem, NoAnswer, Silence, Target};
use seedream_studio::i18n::Locale;
use seedream_studio::locale;
use seedream_studio::settings::{self, SettingsPanel};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;

use crate::common::{get, text, until};

const KEY_ENTRY: &str = "seedream-studio.api-key";

struct Mounted {
    host: web_sys::HtmlElement,
    config: RwSignal<ApiConfig>,
    i18n: I18nContext<Locale>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

async fn mount() -> Mounted {
    mount_in(Locale::en).await
}

/// The panel alone, starting in `initial` (the app gives each instance its language).
async fn mount_in(initial: Locale) -> Mounted {
    common::fresh_storage().await;
    let host = common::host();
    let config = RwSignal::new(ApiConfig::same_origin());
    let remember = RwSignal::new(false);
    let provided = Rc::new(Cell::new(None));
    let slot = Rc::clone(&provided);
    let handle = leptos::mount::mount_to(host.clone(), move || {
        slot.set(Some(locale::provide(initial)));
        view! { <SettingsPanel config remember /> }.into_any()
    });
    Mounted {
        host,
        config,
        i18n: provided.get().expect("the panel's language"),
        _handle: handle,
    }
}

impl Mounted {
    fn input(&self, selector: &str) -> web_sys::HtmlInputElement {
        get(&self.host, selector).unchecked_into()
    }

    /// Types `value` into the field and leaves it, as a person would.
    fn enter(&self, selector: &str, value: &str) {
        let input = self.input(selector);
        input.set_value(value);
        for kind in ["input", "change"] {
            let event = web_sys::Event::new(kind).expect("event");
            input.dispatch_event(&event).expect("dispatch");
        }
    }

    fn text(&self, selector: &str) -> String {
        text(&self.host, selector)
    }
}

#[wasm_bindgen_test]
async fn the_key_is_kept_for_the_session_unless_remembered() {
    let page = mount().await;
    page.enter("#api-key", "sk-session-only");
    assert_eq!(
        page.config.get_untracked().key.as_deref(),
        Some("sk-session-only")
    );
    assert_eq!(
        SessionStorage::get::<String>(KEY_ENTRY).ok().as_deref(),
        Some("sk-session-only")
    );
    assert!(
        LocalStorage::get::<String>(KEY_ENTRY).is_err(),
        "not on the device"
    );

    let remember = page.input("input[type=checkbox]");
    remember.set_checked(true);
    remember
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    assert_eq!(
        LocalStorage::get::<String>(KEY_ENTRY).ok().as_deref(),
        Some("sk-session-only")
    );
    assert!(
        SessionStorage::get::<String>(KEY_ENTRY).is_err(),
        "in one place only"
    );

    let (loaded, remembered) = settings::load();
    assert!(remembered);
    assert_eq!(loaded.key.as_deref(), Some("sk-session-only"));
    assert!(
        !format!("{loaded:?}").contains("sk-session-only"),
        "Debug never shows the key"
    );

    page.enter("#api-key", "  ");
    assert_eq!(
        page.config.get_untracked().key,
        None,
        "a blank key is no key"
    );
    assert!(LocalStorage::get::<String>(KEY_ENTRY).is_err());
    assert!(SessionStorage::get::<String>(KEY_ENTRY).is_err());
}

#[wasm_bindgen_test]
async fn a_bad_address_is_explained_and_not_applied() {
    let page = mount().await;
    page.enter("#api-base", "ftp://files.example");
    assert!(
        page.config.get_untracked().is_same_origin(),
        "the last valid setting stays"
    );
    let reason = ConfigError::Base(UrlError::UnsupportedScheme {
        scheme: "ftp".to_owned(),
    })
    .describe(Locale::en);
    until("the reason beside the address", || {
        page.text(".field-error") == reason
    })
    .await;

    page.enter("#api-base", "https://proxy.example");
    assert_eq!(page.config.get_untracked().base, "https://proxy.example");
    assert_eq!(settings::load().0.base, "https://proxy.example");
    until("the reason to go", || page.text(".field-error").is_empty()).await;
}

#[wasm_bindgen_test]
async fn the_connection_test_reports_an_unreachable_api() {
    let page = mount().await;
    page.enter("#api-base", "http://127.0.0.1:9");
    get(&page.host, ".actions button").click();
    let report = ConnectionProblem::Unreachable(NoAnswer {
        target: Target::Address("http://127.0.0.1:9".to_owned()),
        cause: Silence::Unreachable,
    })
    .describe(Locale::en);
    until("the test to report no answer", || {
        page.text(".actions [role=status]") == report
    })
    .await;
    assert_eq!(
        get(&page.host, ".actions [role=status]").class_name(),
        "field-error"
    );
}

#[wasm_bindgen_test]
async fn the_panel_and_its_messages_follow_the_language() {
    let page = mount_in(Locale::zh_CN).await;
    // Its server said nothing of itself here (no configuration file's header).
    assert_eq!(page.text("summary"), "连接设置： 本页面的服务器");
    assert_eq!(page.text("label[for=api-key]"), "API 密钥");
    page.enter("#api-base", "https://x.example?q");
    let chinese = ConfigError::BaseQueryOrFragment.describe(Locale::zh_CN);
    until("the reason in Chinese", || {
        page.text(".field-error") == chinese
    })
    .await;

    page.i18n.set_locale(Locale::en);
    until("the labels in English", || {
        page.text("label[for=api-key]") == "API key"
    })
    .await;
    assert_eq!(
        page.text(".field-error"),
        ConfigError::BaseQueryOrFragment.describe(Locale::en)
    );
}
