//! Embedding in a real page: a size problem written with the browser's number
//! formatting, events on the host, an instance driven by its host's commands, and
//! several instances on one page. (How options are read and checked, and what each
//! problem says, are native unit tests: `src/embed/options/tests.rs`,
//! `src/embed/host/tests.rs`.)

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use seedream_studio::api::{NoAnswer, Silence, SubmitError, Target, Unknown};
use seedream_studio::embed::options::{Source, resolve};
use seedream_studio::embed::{HostEvent, HostLink, Options};
use seedream_studio::history::ResultRecord;
use seedream_studio::i18n::Locale;
use seedream_studio::{App, Instance};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{CustomEvent, HtmlElement};

use crate::common;

use crate::common::{count, find, get, until, value};

#[wasm_bindgen_test]
fn a_size_problem_writes_its_numbers_as_the_language_does() {
    // Numbers of a thousand and more are grouped by the browser's `Intl`.
    let (options, problems) = resolve(1, [(Source::Attribute, "size", "9999x1")]);
    assert_eq!(options, Options::defaults(1), "the default size is kept");
    let [problem] = problems.as_slice() else {
        panic!("one problem: {problems:?}");
    };
    assert_eq!(
        problem.describe(Locale::en),
        "data-size: 9999x1 has 9,999 pixels; the minimum is 3,686,400 (2560x1440). Using the \
         default size."
    );
    assert_eq!(
        problem.describe(Locale::zh_CN),
        "data-size：9999x1 共 9,999 像素，最少需要 3,686,400 像素（2560x1440）。将使用默认尺寸。"
    );
}

/// Collects the `seedream:*` events dispatched on `host`: each one's name and detail.
fn listen(host: &HtmlElement, names: &[&str]) -> Rc<RefCell<Vec<(String, Value)>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    for name in names {
        let log = Rc::clone(&seen);
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let detail = event
                .dyn_ref::<CustomEvent>()
                .map(|e| e.detail())
                .and_then(|d| js_sys::JSON::stringify(&d).ok())
                .and_then(|s| s.as_string())
                .map_or(Value::Null, |json| {
                    serde_json::from_str(&json).expect("a JSON detail")
                });
            log.borrow_mut().push((event.type_(), detail));
        });
        host.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
            .expect("listen");
        listener.forget();
    }
    seen
}

fn names(seen: &RefCell<Vec<(String, Value)>>) -> Vec<String> {
    seen.borrow().iter().map(|(name, _)| name.clone()).collect()
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
    assert_eq!(
        *seen.borrow(),
        [(
            "seedream:completed".to_owned(),
            json!({"id": "r1", "taskId": "task-1", "results": [{
                "url": "https://cdn.example/1.jpeg", "width": 2048, "height": 2048, "format": "jpeg"
            }]})
        )]
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

#[wasm_bindgen_test]
async fn an_instance_takes_commands_from_its_host_and_reports_back() {
    common::fresh_storage().await;
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
    until("the instance to say it is ready", || {
        host.get_attribute("data-ready").as_deref() == Some("true")
    })
    .await;
    assert!(find(&host, "#api-key").is_none(), "the key field is hidden");
    let base = get(&host, "#api-base");
    assert!(
        base.has_attribute("readonly"),
        "the address cannot be changed"
    );
    assert_eq!(value(&host, "#api-base"), "http://127.0.0.1:9");

    assert_ne!(
        common::call(&host, "setPrompt", Some("Make it snow")),
        JsValue::FALSE,
        "setPrompt takes text"
    );
    until("setPrompt to fill the prompt", || {
        value(&host, "#prompt") == "Make it snow"
    })
    .await;
    assert_eq!(
        common::call(&host, "submit", None),
        JsValue::FALSE,
        "no image yet: Edit is closed"
    );

    common::call(&host, "addImageUrl", Some("http://127.0.0.1:9/photo.png"));
    until("addImageUrl to add an image", || {
        count(&host, "[data-image-id]") == 1
    })
    .await;
    assert_eq!(common::call(&host, "submit", None), JsValue::TRUE);
    assert_eq!(
        common::call(&host, "submit", None),
        JsValue::FALSE,
        "a second press while the first is on its way sends nothing"
    );
    until("the failed edit's event", || {
        names(&seen).contains(&"seedream:failed".to_owned())
    })
    .await;
    assert_eq!(
        names(&seen),
        ["seedream:ready", "seedream:submitted", "seedream:failed"]
    );
    {
        let seen = seen.borrow();
        assert_eq!(seen[0].1, Value::Null, "ready carries no detail");
        let id = seen[1].1["id"].clone();
        assert!(id.is_string(), "{:?}", seen[1].1);
        assert_eq!(
            seen[1].1,
            json!({"id": id, "prompt": "Make it snow", "images": 1})
        );
        let unknown = SubmitError::OutcomeUnknown(Unknown::NoAnswer(NoAnswer {
            target: Target::Address("http://127.0.0.1:9".to_owned()),
            cause: Silence::Unreachable,
        }));
        assert_eq!(
            seen[2].1,
            json!({"id": id, "taskId": null, "reason": unknown.describe(Locale::en)})
        );
    }

    common::call(&host, "reset", None);
    until("reset to empty the prompt and the images", || {
        value(&host, "#prompt").is_empty() && count(&host, "[data-image-id]") == 0
    })
    .await;
}

#[wasm_bindgen_test]
async fn two_instances_on_one_page_keep_their_ids_apart() {
    // (Their storage names: `src/embed/options/tests.rs`.)
    common::fresh_storage().await;
    let (first, second) = (common::host(), common::host());
    let _a = mount(&first, 0, Options::defaults(0));
    let _b = mount(&second, 1, Options::defaults(1));
    until("both instances to render their forms", || {
        find(&first, "#prompt").is_some() && find(&second, "#studio-2-prompt").is_some()
    })
    .await;
    assert!(
        find(&second, "label[for='studio-2-prompt']").is_some(),
        "the second instance's labels point at its own ids"
    );
    assert!(
        find(&second, "#prompt").is_none(),
        "nor does it reuse the first's"
    );
}
