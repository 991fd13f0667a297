//! Embedding: options and their precedence, the page's view of an instance (locked
//! address, hidden key, problems named), events on the host, commands from it, and
//! several instances on one page.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_storage::Storage;
use leptos::prelude::*;
use seedream_studio::embed::host::parse_config;
use seedream_studio::embed::options::{Source, resolve};
use seedream_studio::embed::{HostEvent, HostLink, Options};
use seedream_studio::history::ResultRecord;
use seedream_studio::i18n::Locale;
use seedream_studio::{App, Instance};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CustomEvent, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

#[wasm_bindgen_test]
fn invalid_options_are_named_with_the_reason_and_the_default_kept() {
    let (options, problems) = resolve(
        1,
        [
            (Source::Attribute, "size", "9999x1"),
            (Source::Attribute, "format", "gif"),
            (Source::Attribute, "max-images", "40"),
            (Source::Attribute, "allowed-origins", "*"),
            (Source::ConfigFile, "api-base", "ftp://files.example"),
            (Source::ConfigFile, "colour", "red"),
            (Source::Attribute, "storage-key", "a b"),
        ],
    );
    let defaults = Options::defaults(1);
    assert_eq!(options, defaults, "every invalid value falls back");
    assert_eq!(defaults.storage_key, "instance-2");
    let shown: Vec<String> = problems.iter().map(|p| p.describe(Locale::en)).collect();
    assert_eq!(shown.len(), 7, "{shown:#?}");
    assert!(
        shown[0].starts_with("data-size: ") && shown[0].contains("default size"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("data-format: ") && shown[1].contains("jpeg"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].starts_with("data-max-images: ") && shown[2].contains("1 to 15"),
        "{}",
        shown[2]
    );
    assert!(
        shown[3].starts_with("data-allowed-origins: ") && shown[3].contains("*"),
        "{}",
        shown[3]
    );
    assert!(
        shown[4].starts_with("\"api-base\" in the configuration file: "),
        "{}",
        shown[4]
    );
    assert!(shown[5].contains("not an option"), "{}", shown[5]);
    assert!(shown[6].starts_with("data-storage-key: "), "{}", shown[6]);
    // The names stay as written; the words around them follow the language.
    assert_eq!(
        problems[1].describe(Locale::zh_CN),
        "data-format：「gif」不是 jpeg 或 png；将使用 jpeg。"
    );
    assert!(
        problems[4]
            .describe(Locale::zh_CN)
            .starts_with("配置文件中的 \"api-base\"：")
    );
}

#[wasm_bindgen_test]
fn a_configuration_file_is_one_object_of_plain_values() {
    let entries = parse_config(
        r#"{"api-base": "https://proxy.example", "show-key": false, "max-images": 3,
            "allowed-origins": ["https://a.example", "https://b.example"]}"#,
    )
    .expect("a valid file");
    assert_eq!(
        entries,
        [
            (
                "allowed-origins".to_owned(),
                "https://a.example https://b.example".to_owned()
            ),
            ("api-base".to_owned(), "https://proxy.example".to_owned()),
            ("max-images".to_owned(), "3".to_owned()),
            ("show-key".to_owned(), "false".to_owned()),
        ]
    );
    let refusal = |text| parse_config(text).map_err(|e| e.describe(Locale::en));
    assert!(refusal("{nope").is_err_and(|e| e.contains("not valid JSON")));
    assert!(refusal("[1]").is_err_and(|e| e.contains("one JSON object")));
}

/// Collects the `seedream:*` events dispatched on `host`.
fn listen(host: &HtmlElement, names: &[&str]) -> Rc<RefCell<Vec<(String, String)>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    for name in names {
        let log = Rc::clone(&seen);
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let detail = event
                .dyn_ref::<CustomEvent>()
                .map(|e| e.detail())
                .and_then(|d| js_sys::JSON::stringify(&d).ok())
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            log.borrow_mut().push((event.type_(), detail));
        });
        host.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
            .expect("listen");
        listener.forget();
    }
    seen
}

#[wasm_bindgen_test]
fn events_reach_the_host_with_their_detail() {
    let host = common::host();
    let seen = listen(&host, &["seedream:completed"]);
    let link = HostLink {
        host: host.clone(),
        allowed_origins: Vec::new(),
    };
    link.emit(&HostEvent::Completed {
        id: "r1".to_owned(),
        task_id: Some("task-1".to_owned()),
        results: vec![ResultRecord {
            url: "https://cdn.example/1.jpeg".to_owned(),
            width: Some(2048),
            height: Some(2048),
            format: Some("jpeg".to_owned()),
        }],
    });
    let seen = seen.borrow();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "seedream:completed");
    assert_eq!(
        seen[0].1,
        r#"{"id":"r1","taskId":"task-1","results":[{"url":"https://cdn.example/1.jpeg","width":2048,"height":2048,"format":"jpeg"}]}"#
    );
}

fn mount(host: &HtmlElement, index: usize, options: Options) -> Box<dyn std::any::Any> {
    let instance = Instance {
        index,
        host: host.clone(),
        options,
        problems: Vec::new(),
    };
    Box::new(leptos::mount::mount_to(
        host.clone(),
        move || view! { <App instance=instance.clone() /> },
    ))
}

async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(30)).await;
}

fn find(host: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    host.query_selector(selector).ok().flatten()
}

fn count(host: &HtmlElement, selector: &str) -> u32 {
    host.query_selector_all(selector)
        .map_or(0, |list| list.length())
}

#[wasm_bindgen_test]
async fn an_instance_takes_commands_from_its_host_and_reports_back() {
    gloo_storage::LocalStorage::clear();
    let host = common::host();
    let seen = listen(
        &host,
        &["seedream:ready", "seedream:submitted", "seedream:failed"],
    );
    let options = Options {
        // Nothing listens on port 9: the edit fails before any answer.
        api_base: Some("http://127.0.0.1:9".to_owned()),
        api_base_locked: true,
        show_key: false,
        ..Options::defaults(0)
    };
    let _mounted = mount(&host, 0, options);
    settle().await;
    assert_eq!(host.get_attribute("data-ready").as_deref(), Some("true"));
    assert!(find(&host, "#api-key").is_none(), "the key field is hidden");
    let base = find(&host, "#api-base").expect("the address field");
    assert!(
        base.has_attribute("readonly"),
        "the address cannot be changed"
    );
    assert_eq!(
        base.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "http://127.0.0.1:9"
    );

    common::call(&host, "setPrompt", Some("Make it snow"));
    settle().await;
    let prompt = find(&host, "#prompt").expect("a prompt field");
    assert_eq!(
        js_sys::Reflect::get(&prompt, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .as_deref(),
        Some("Make it snow")
    );
    assert_eq!(
        common::call(&host, "submit", None),
        JsValue::FALSE,
        "no image yet: Edit is closed"
    );

    common::call(&host, "addImageUrl", Some("http://127.0.0.1:9/photo.png"));
    for _ in 0..200 {
        if count(&host, "[data-image-id]") == 1 {
            break;
        }
        settle().await;
    }
    assert_eq!(common::call(&host, "submit", None), JsValue::TRUE);
    for _ in 0..200 {
        if seen
            .borrow()
            .iter()
            .any(|(name, _)| name == "seedream:failed")
        {
            break;
        }
        settle().await;
    }
    let names: Vec<String> = seen.borrow().iter().map(|(name, _)| name.clone()).collect();
    assert_eq!(
        names,
        ["seedream:ready", "seedream:submitted", "seedream:failed"]
    );
    let submitted = seen.borrow()[1].1.clone();
    assert!(
        submitted.contains(r#""prompt":"Make it snow""#) && submitted.contains(r#""images":1"#),
        "{submitted}"
    );
    assert!(
        seen.borrow()[2]
            .1
            .contains("not known whether the edit was received")
    );

    common::call(&host, "reset", None);
    settle().await;
    assert_eq!(
        js_sys::Reflect::get(&prompt, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .as_deref(),
        Some("")
    );
    assert_eq!(count(&host, "[data-image-id]"), 0);
    gloo_storage::LocalStorage::clear();
}

#[wasm_bindgen_test]
async fn two_instances_on_one_page_keep_their_ids_and_storage_apart() {
    let (first, second) = (common::host(), common::host());
    let _a = mount(&first, 0, Options::defaults(0));
    let _b = mount(&second, 1, Options::defaults(1));
    settle().await;
    assert!(find(&first, "#prompt").is_some());
    let label = find(&second, "label[for='studio-2-prompt']");
    assert!(
        label.is_some() && find(&second, "#studio-2-prompt").is_some(),
        "the second instance's ids are its own"
    );
    assert_eq!(
        Options::defaults(0).storage_name("history.v1"),
        "seedream-studio.history.v1"
    );
    assert_eq!(
        Options::defaults(1).storage_name("history.v1"),
        "seedream-studio.instance-2.history.v1"
    );
}
