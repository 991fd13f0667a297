//! Connection settings: the key is kept for the session unless remembered, bad input is
//! explained and not applied, and the connection test reports what it found.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_storage::{LocalStorage, SessionStorage, Storage};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use seedream_studio::api::ApiConfig;
use seedream_studio::i18n::Locale;
use seedream_studio::locale;
use seedream_studio::settings::{self, SettingsPanel};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

const KEY_ENTRY: &str = "seedream-studio.api-key";

struct Mounted {
    host: web_sys::HtmlElement,
    config: RwSignal<ApiConfig>,
    i18n: I18nContext<Locale>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

fn mount() -> Mounted {
    mount_in(Locale::en)
}

/// The panel alone, starting in `initial` (the app gives each instance its language).
fn mount_in(initial: Locale) -> Mounted {
    LocalStorage::clear();
    SessionStorage::clear();
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
        self.host
            .query_selector(selector)
            .expect("query")
            .expect("the field exists")
            .unchecked_into()
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
        self.host
            .query_selector(selector)
            .expect("query")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(20)).await;
}

#[wasm_bindgen_test]
async fn the_key_is_kept_for_the_session_unless_remembered() {
    let page = mount();
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
    let page = mount();
    page.enter("#api-base", "ftp://files.example");
    settle().await;
    assert!(
        page.config.get_untracked().is_same_origin(),
        "the last valid setting stays"
    );
    assert!(!page.text(".field-error").is_empty(), "the reason is shown");

    page.enter("#api-base", "https://proxy.example");
    settle().await;
    assert_eq!(page.config.get_untracked().base, "https://proxy.example");
    assert_eq!(settings::load().0.base, "https://proxy.example");
}

#[wasm_bindgen_test]
async fn the_connection_test_reports_an_unreachable_api() {
    let page = mount();
    page.enter("#api-base", "http://127.0.0.1:9");
    let button: web_sys::HtmlElement = page
        .host
        .query_selector(".actions button")
        .expect("query")
        .expect("a test button")
        .unchecked_into();
    button.click();
    let mut report = String::new();
    for _ in 0..100 {
        settle().await;
        report = page.text(".actions [role=status]");
        if !report.is_empty() {
            break;
        }
    }
    assert!(!report.is_empty(), "the test ends with a report");
    assert!(!report.starts_with("Connected"), "{report}");
}

#[wasm_bindgen_test]
async fn the_panel_and_its_messages_follow_the_language() {
    let page = mount_in(Locale::zh_CN);
    assert_eq!(page.text("summary"), "连接：本页面所在的服务器");
    assert_eq!(page.text("label[for=api-key]"), "API 密钥");
    page.enter("#api-base", "https://x.example?q");
    settle().await;
    let chinese = page.text(".field-error");
    assert!(chinese.starts_with("API 地址不能包含"), "{chinese}");

    page.i18n.set_locale(Locale::en);
    settle().await;
    assert_eq!(page.text("label[for=api-key]"), "API key");
    let english = page.text(".field-error");
    assert!(
        english.starts_with("The API address must not contain"),
        "{english}"
    );
}
