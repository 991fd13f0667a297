//! The interface in Chinese: the starting language, the switch and its memory, and
//! the form, a validation error and an API error as a Chinese-speaking user meets
//! them.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use seedream_contract::ApiError;
use seedream_studio::embed::Options;
use seedream_studio::i18n::Locale;
use seedream_studio::locale::{from_tag, initial};
use seedream_studio::{App, Instance};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

const TAGLINE_ZH: &str = "使用 Seedream 5.0 Lite 编辑图片：提供 1 到 14 张图片和一句指令。";

fn mount(host: &HtmlElement, options: Options) -> impl Drop {
    let instance = Instance {
        index: 0,
        host: host.clone(),
        options,
        problems: Vec::new(),
    };
    leptos::mount::mount_to(host.clone(), move || {
        view! { <App instance=instance.clone() /> }
    })
}

fn find(host: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    host.query_selector(selector).ok().flatten()
}

fn text(host: &HtmlElement, selector: &str) -> String {
    find(host, selector)
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

/// The text a user reads in `element` (rendered text, hidden parts excluded).
fn visible_text(element: &web_sys::Element) -> String {
    element.unchecked_ref::<HtmlElement>().inner_text()
}

/// Latin words in `text` that are not names, formats or units: what a Chinese
/// reader would meet as untranslated English.
fn english_words(text: &str) -> Vec<String> {
    const KEPT: [&str; 15] = [
        "Studio", "Seedream", "Lite", "Modellix", "API", "JPEG", "PNG", "WEBP", "BMP", "TIFF",
        "GIF", "URL", "MB", "KB", "English",
    ];
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() > 1 && !KEPT.contains(word))
        .map(str::to_owned)
        .collect()
}

async fn until(mut ready: impl FnMut() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(40)).await;
}

fn dispatch(element: &web_sys::Element, event: &str) {
    let event = web_sys::Event::new_with_event_init_dict(event, &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .expect("an event");
    element.dispatch_event(&event).expect("dispatched");
}

fn set_value(element: &web_sys::Element, value: &str) {
    js_sys::Reflect::set(element, &"value".into(), &value.into()).expect("a value");
}

#[wasm_bindgen_test]
fn tags_and_the_starting_language() {
    for tag in ["zh", "zh-CN", "zh-Hans", "zh_SG", "ZH-tw", "chinese"] {
        assert_eq!(from_tag(tag), Some(Locale::zh_CN), "{tag}");
    }
    for tag in ["en", "en-US", "en-GB", "English"] {
        assert_eq!(from_tag(tag), Some(Locale::en), "{tag}");
    }
    for tag in ["", "fr", "de-DE", "zhx"] {
        assert_eq!(from_tag(tag), None, "{tag}");
    }
    let browser = |tags: &[&str]| tags.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    // The browser's first language the interface has, else English.
    assert_eq!(
        initial(None, None, &browser(&["fr", "zh-CN", "en"])),
        Locale::zh_CN
    );
    assert_eq!(initial(None, None, &browser(&["fr", "de"])), Locale::en);
    // The page's choice over the browser's; the user's remembered one over both.
    assert_eq!(
        initial(None, Some(Locale::en), &browser(&["zh-CN"])),
        Locale::en
    );
    assert_eq!(
        initial(Some(Locale::zh_CN), Some(Locale::en), &browser(&["en"])),
        Locale::zh_CN
    );
}

#[wasm_bindgen_test]
async fn the_switch_translates_the_form_and_is_remembered() {
    LocalStorage::clear();
    let host = common::host();
    let mounted = mount(&host, Options::defaults(0));
    settle().await;
    let studio = find(&host, ".studio").expect("the studio");
    // The test browser runs in English.
    assert_eq!(studio.get_attribute("lang").as_deref(), Some("en"));
    let english_tagline = text(&host, ".studio-tagline");
    assert!(
        english_tagline.starts_with("Edit images"),
        "{english_tagline}"
    );

    let picker = find(&host, ".language-picker select").expect("the language switch");
    set_value(&picker, "zh-CN");
    dispatch(&picker, "change");
    settle().await;
    assert_eq!(studio.get_attribute("lang").as_deref(), Some("zh-CN"));
    assert_eq!(text(&host, ".studio-tagline"), TAGLINE_ZH);
    assert_eq!(
        LocalStorage::get::<String>("seedream-studio.language")
            .ok()
            .as_deref(),
        Some("zh-CN"),
        "the choice is remembered for this instance"
    );

    // With no image the Edit button is closed and says why, in Chinese.
    assert_eq!(
        text(&host, ".blocked-reason"),
        "请至少添加 1 张图片；每次编辑需要 1 到 14 张图片。"
    );

    // A Chinese prompt over the limit: counted in characters, refused in Chinese.
    let prompt = find(&host, "textarea").expect("the prompt");
    set_value(&prompt, &"水".repeat(601));
    dispatch(&prompt, "input");
    settle().await;
    assert!(text(&host, ".prompt .counter").contains("601"));
    assert_eq!(
        text(&host, ".prompt .field-error"),
        "提示词共 601 个字符，上限为 600 个字符。"
    );
    set_value(&prompt, &"水".repeat(600));
    dispatch(&prompt, "input");
    settle().await;
    assert_eq!(
        text(&host, ".prompt .field-error"),
        "",
        "600 Chinese characters fit"
    );

    let form = find(&host, ".edit-form").expect("the form");
    let leftovers = english_words(&visible_text(&form));
    assert!(
        leftovers.is_empty(),
        "English left in the form: {leftovers:?}"
    );
    let header = find(&host, ".studio-header").expect("the header");
    let leftovers = english_words(&visible_text(&header));
    assert!(
        leftovers.is_empty(),
        "English left in the header: {leftovers:?}"
    );

    // The next visit starts in the remembered language.
    drop(mounted);
    host.remove();
    let host = common::host();
    let _mounted = mount(&host, Options::defaults(0));
    settle().await;
    assert_eq!(text(&host, ".studio-tagline"), TAGLINE_ZH);
    LocalStorage::clear();
}

/// Replaces `window.fetch` with one answering every call with `status` and `body`;
/// returns the original, for [`restore_fetch`].
fn answer_every_fetch_with(status: u16, body: &str) -> JsValue {
    let window = web_sys::window().expect("a window");
    let original = js_sys::Reflect::get(&window, &"fetch".into()).expect("fetch");
    let make = js_sys::Function::new_with_args(
        "status, body",
        "return () => Promise.resolve(new Response(body, \
         { status, headers: { 'content-type': 'application/json' } }));",
    );
    let fake = make
        .call2(&JsValue::NULL, &status.into(), &body.into())
        .expect("a fake fetch");
    js_sys::Reflect::set(&window, &"fetch".into(), &fake).expect("fetch replaced");
    original
}

fn restore_fetch(original: &JsValue) {
    let window = web_sys::window().expect("a window");
    js_sys::Reflect::set(&window, &"fetch".into(), original).expect("fetch restored");
}

#[wasm_bindgen_test]
async fn an_api_error_is_told_in_chinese() {
    LocalStorage::clear();
    let body = ApiError::error_envelope_body(401, "Unauthorized: invalid api key");
    let original = answer_every_fetch_with(401, &body);
    let host = common::host();
    let options = Options {
        // The page asks for Chinese, whatever the browser's language.
        language: Some(Locale::zh_CN),
        ..Options::defaults(0)
    };
    let _mounted = mount(&host, options);
    settle().await;
    common::call(&host, "setPrompt", Some("把它变成水彩画"));
    common::call(&host, "addImageUrl", Some("https://example.com/photo.png"));
    until(|| find(&host, "[data-image-id]").is_some()).await;
    assert_eq!(common::call(&host, "submit", None), JsValue::TRUE);
    until(|| !text(&host, ".task-message").is_empty()).await;
    restore_fetch(&original);

    let card = find(&host, ".task-card").expect("a card for the refused edit");
    let shown = visible_text(&card);
    assert!(shown.contains("把它变成水彩画"), "{shown}");
    let message = text(&host, ".task-message");
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "the refusal is explained in Chinese: {message}"
    );
    // The provider's own words may be quoted, but nothing else is left in English.
    let leftovers: Vec<String> = english_words(
        &shown
            .replace("Unauthorized: invalid api key", "")
            .replace("invalid api key", ""),
    );
    assert!(
        leftovers.is_empty(),
        "English left on the card: {leftovers:?}"
    );
    LocalStorage::clear();
}
