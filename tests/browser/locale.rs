//! The interface in Chinese: the switch and its memory, and the form and an API error
//! as a Chinese-speaking user meets them. (Which language an instance starts in is
//! pure: `src/locale/choose/tests.rs`; that a remembered choice wins after a real
//! reload, over the page's own: the end-to-end test `language::`.)

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use seedream_contract::ApiError;
use seedream_studio::api::SubmitError;
use seedream_studio::embed::Options;
use seedream_studio::i18n::{Locale, td_string};
use seedream_studio::{App, Instance};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::common;

use crate::common::{find, get, text, texts, until};

const TAGLINE_ZH: &str = "使用 Seedream 5.0 Lite 编辑图片：提供 1 到 14 张图片和一句指令。";

/// The app in `host`, once it says it is interactive (`data-ready`).
async fn mount(host: &HtmlElement, options: Options) -> impl Drop {
    let instance = Instance {
        index: 0,
        host: host.clone(),
        options,
        problems: Vec::new(),
    };
    let mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <App instance=instance.clone() /> }
    });
    until("the studio to be ready", || {
        host.get_attribute("data-ready").as_deref() == Some("true")
    })
    .await;
    mounted
}

/// The text a user reads in `element` (rendered text, hidden parts excluded).
fn visible_text(element: &web_sys::Element) -> String {
    element.unchecked_ref::<HtmlElement>().inner_text()
}

/// Latin words in `text` that are not names, formats or units: what a Chinese
/// reader would meet as untranslated English.
fn english_words(text: &str) -> Vec<String> {
    // Names, formats, units, and the keys as printed on keyboards ("按 Home 或 End",
    // "按 Alt 和向下箭头").
    const KEPT: [&str; 22] = [
        "Studio", "Seedream", "Lite", "Modellix", "API", "JPEG", "PNG", "WEBP", "BMP", "TIFF",
        "GIF", "URL", "MB", "KB", "English", "Home", "End", "Alt", "Enter", "Shift", "Delete",
        "Esc",
    ];
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() > 1 && !KEPT.contains(word))
        .map(str::to_owned)
        .collect()
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
async fn the_switch_translates_the_form_and_is_remembered() {
    common::fresh_storage().await;
    let host = common::host();
    let _mounted = mount(&host, Options::defaults(0)).await;
    let studio = get(&host, ".studio");
    // The test browser runs in English.
    assert_eq!(studio.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(
        text(&host, ".studio-tagline"),
        "Edit images with Seedream 5.0 Lite: give one to fourteen images and an instruction."
    );

    let picker = get(&host, ".language-picker select");
    set_value(&picker, "zh-CN");
    dispatch(&picker, "change");
    until("the studio to switch to Chinese", || {
        get(&host, ".studio").get_attribute("lang").as_deref() == Some("zh-CN")
    })
    .await;
    until("the tagline in Chinese", || {
        text(&host, ".studio-tagline") == TAGLINE_ZH
    })
    .await;
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
    let prompt = get(&host, "textarea");
    set_value(&prompt, &"水".repeat(601));
    dispatch(&prompt, "input");
    until("the prompt's limit, in Chinese", || {
        text(&host, ".prompt .field-error") == "提示词共 601 个字符，上限为 600 个字符。"
    })
    .await;
    assert_eq!(text(&host, ".prompt .counter"), "601 / 600");
    set_value(&prompt, &"水".repeat(600));
    dispatch(&prompt, "input");
    until("600 Chinese characters to fit", || {
        text(&host, ".prompt .field-error").is_empty()
    })
    .await;

    let form = get(&host, ".edit-form");
    let leftovers = english_words(&visible_text(&form));
    assert!(
        leftovers.is_empty(),
        "English left in the form: {leftovers:?}"
    );
    let header = get(&host, ".studio-header");
    let leftovers = english_words(&visible_text(&header));
    assert!(
        leftovers.is_empty(),
        "English left in the header: {leftovers:?}"
    );
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
    common::fresh_storage().await;
    let body = ApiError::error_envelope_body(401, "Unauthorized: invalid api key");
    let original = answer_every_fetch_with(401, &body);
    let host = common::host();
    let options = Options {
        // The page asks for Chinese, whatever the browser's language.
        language: Some(Locale::zh_CN),
        ..Options::defaults(0)
    };
    let _mounted = mount(&host, options).await;
    common::call(&host, "setPrompt", Some("把它变成水彩画"));
    common::call(&host, "addImageUrl", Some("https://example.com/photo.png"));
    until("the image to join the form", || {
        find(&host, "[data-image-id]").is_some()
    })
    .await;
    assert_eq!(common::call(&host, "submit", None), JsValue::TRUE);
    until("the refusal on the task card", || {
        texts(&host, ".task-message").iter().any(|m| !m.is_empty())
    })
    .await;
    restore_fetch(&original);

    // The refusal in Chinese, with the advice for a refused key.
    let refusal = SubmitError::Rejected(ApiError::from_http(401, body.as_bytes()));
    let expected = td_string!(
        Locale::zh_CN,
        tasks.problem.with_advice,
        message = refusal.describe(Locale::zh_CN),
        advice = td_string!(Locale::zh_CN, tasks.problem.advice_401)
    )
    .to_string();
    assert_eq!(texts(&host, ".task-message"), [expected]);
    let card = get(&host, ".task-card");
    let shown = visible_text(&card);
    assert!(shown.contains("把它变成水彩画"), "{shown}");
    // The provider's own words may be quoted, but nothing else is left in English.
    let leftovers: Vec<String> = english_words(&shown.replace("invalid api key", ""));
    assert!(
        leftovers.is_empty(),
        "English left on the card: {leftovers:?}"
    );
}
