//! The submit path without an answer: the edit is reported as of unknown outcome, never
//! sent again by itself, kept in the history, and the change is announced.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use seedream_contract::EditRequest;
use seedream_studio::api::{ApiConfig, body};
use seedream_studio::i18n::Locale;
use seedream_studio::media::Source;
use seedream_studio::tasks::{TaskList, Tasks};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

fn texts(host: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let Ok(list) = host.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|node| node.text_content())
        .collect()
}

#[wasm_bindgen_test]
async fn an_unanswered_submit_is_reported_once_and_announced() {
    LocalStorage::clear();
    let host = common::host();
    // Nothing listens on port 9: the call fails before any answer.
    let config = RwSignal::new(ApiConfig::new("http://127.0.0.1:9", None));
    // Made inside the mount, as the app does: its listeners belong to the page.
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let _mounted = leptos::mount::mount_to(host.clone(), {
        let made = std::rc::Rc::clone(&made);
        move || {
            // The app gives each instance its language; here, English.
            provide_context(leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(
                Signal::stored(Locale::en),
            )));
            let tasks = Tasks::new(config.into());
            made.set(Some(tasks));
            view! { <TaskList tasks on_use_as_input=|_| () on_edit_again=|_| () /> }
        }
    });
    let tasks = made.get().expect("the task list is mounted");

    let first = EditRequest::new(
        "Turn this into a watercolour",
        vec![common::local_png(common::ONE_PIXEL_PNG, "input-1.png")],
    );
    let second = EditRequest::new(
        "A second press while sending",
        vec![Source::Url("https://example.com/a.jpg".to_owned())],
    );
    let (first_body, second_body) = (
        body::write(&first).await.expect("a body"),
        body::write(&second).await.expect("a body"),
    );
    tasks.submit(first, first_body);
    tasks.submit(second, second_body);

    let mut statuses = Vec::new();
    for _ in 0..200 {
        gloo_timers::future::sleep(Duration::from_millis(25)).await;
        statuses = texts(&host, ".task-card .status");
        if statuses.first().is_some_and(|s| s == "Outcome unknown") {
            break;
        }
    }
    assert_eq!(
        statuses,
        ["Outcome unknown"],
        "one card, for the first press only"
    );
    let message = texts(&host, ".task-message").join(" ");
    assert!(
        message.contains("not known whether the edit was received"),
        "{message}"
    );
    assert!(
        texts(&host, ".task-actions button")
            .iter()
            .any(|b| b == "Submit again"),
        "resubmitting is offered, for the user to decide"
    );
    let announced = texts(&host, "[aria-live]").join(" ");
    assert!(
        announced.contains("watercolour") && announced.contains("Outcome unknown"),
        "{announced}"
    );

    // The card shows the input as a small JPEG drawn from the local image's object
    // URL (in the background, after the submit's answer).
    let mut thumbnail = String::new();
    for _ in 0..100 {
        thumbnail = host
            .query_selector(".task-input img")
            .ok()
            .flatten()
            .and_then(|img| img.get_attribute("src"))
            .unwrap_or_default();
        if thumbnail.starts_with("data:") {
            break;
        }
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        thumbnail.starts_with("data:image/jpeg;base64,"),
        "{thumbnail}"
    );

    let stored: String = LocalStorage::raw()
        .get_item("seedream-studio.history.v2")
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(
        stored.contains("outcome_unknown")
            && stored.contains("watercolour")
            && !stored.contains("data:image")
            && !stored.contains("blob:"),
        "{stored}"
    );
    LocalStorage::clear();
}
