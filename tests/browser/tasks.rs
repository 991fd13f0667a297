//! The submit path without an answer: the edit is reported as of unknown outcome, never
//! sent again by itself, kept in the history (without the key), and the change is
//! announced; and this session's input images, which "Edit again" restores.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use seedream_contract::{EditRequest, SequentialMode};
use seedream_studio::api::{ApiConfig, NoAnswer, Silence, SubmitError, Target, Unknown};
use seedream_studio::history::{RecordState, STORAGE_KEY, parse_history};
use seedream_studio::i18n::{Locale, td_string};
use seedream_studio::media::Source;
use seedream_studio::tasks::{InputCache, TaskList, Tasks, presses};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;

use crate::common::{find, texts, until, until_eq};

/// A key the config holds: it goes in a header, and must never be stored.
const KEY: &str = "sk-never-stored-9f3c";

/// Every value the origin's localStorage holds, joined.
fn everything_stored() -> String {
    let storage = LocalStorage::raw();
    let length = storage.length().expect("length");
    (0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|key| storage.get_item(&key).ok().flatten())
        .collect::<Vec<_>>()
        .join("\n")
}

#[wasm_bindgen_test]
async fn an_unanswered_submit_is_reported_and_announced_and_stored_without_the_key() {
    common::fresh_storage().await;
    let host = common::host();
    // Nothing listens on port 9: the call fails before any answer.
    let config = RwSignal::new(ApiConfig::new("http://127.0.0.1:9", Some(KEY)));
    // Made inside the mount, as the app does: its listeners belong to the page.
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let _mounted = leptos::mount::mount_to(host.clone(), {
        let made = std::rc::Rc::clone(&made);
        move || {
            // The app gives each instance its language; here, English.
            seedream_studio::locale::provide(Locale::en);
            let tasks = Tasks::new(config.into());
            made.set(Some(tasks));
            view! { <TaskList tasks presses=presses(tasks) on_use_as_input=|_| () on_edit_again=|_| () on_example=|_| () /> }
        }
    });
    let tasks = made.get().expect("the task list is mounted");

    let request = EditRequest::new(
        "Turn this into a watercolour",
        vec![common::local_png(common::ONE_PIXEL_PNG, "input-1.png")],
    );
    let id = tasks
        .send(request, Vec::new())
        .await
        .expect("the edit went out");

    until_eq(
        "the card to say the outcome is unknown",
        vec!["Outcome unknown".to_owned()],
        || texts(&host, ".task-card .status"),
    )
    .await;
    let unknown = SubmitError::OutcomeUnknown(Unknown::NoAnswer(NoAnswer {
        target: Target::Address("http://127.0.0.1:9".to_owned()),
        cause: Silence::Unreachable,
    }));
    let message = td_string!(
        Locale::en,
        tasks.problem.outcome_unknown,
        detail = unknown.describe(Locale::en)
    )
    .to_string();
    assert_eq!(texts(&host, ".task-message"), [message]);
    assert!(
        texts(&host, ".task-actions button")
            .iter()
            .any(|b| b == "Submit again"),
        "resubmitting is offered, for the user to decide"
    );
    until("the change to be announced", || {
        texts(&host, "[aria-live]").concat()
            == "Edit “Turn this into a watercolour”: Outcome unknown"
    })
    .await;

    // The card shows the input as a small JPEG drawn from the local image's object
    // URL (in the background, after the submit's answer).
    until("the input's thumbnail", || {
        find(&host, ".task-input img")
            .and_then(|img| img.get_attribute("src"))
            .is_some_and(|src| src.starts_with("data:image/jpeg;base64,"))
    })
    .await;

    // Stored as it is shown; the local file by its name only, and never the key.
    until_stored_alone(&id).await;
    let stored = LocalStorage::raw()
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .expect("a history");
    let (records, warning) = parse_history(&stored);
    assert_eq!(warning, None);
    assert_eq!(records[0].prompt, "Turn this into a watercolour");
    assert_eq!(records[0].state, RecordState::NotAccepted(unknown));
    assert_eq!(
        records[0].inputs[0].url, None,
        "a local file has no address"
    );
    for never in ["data:image", "blob:"] {
        assert!(!stored.contains(never), "{never} stored: {stored}");
    }
    let everything = everything_stored();
    assert!(
        !everything.contains(KEY),
        "the key was stored: {everything}"
    );
}

/// A task list over what storage holds now, as a page (re)loaded would have.
fn tasks_over_storage(config: ApiConfig) -> (Tasks, Box<dyn std::any::Any>) {
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let mounted = leptos::mount::mount_to(common::host(), {
        let made = std::rc::Rc::clone(&made);
        move || {
            seedream_studio::locale::provide(Locale::en);
            let tasks = Tasks::new(Signal::stored(config.clone()));
            made.set(Some(tasks));
            view! { <TaskList tasks presses=presses(tasks) on_use_as_input=|_| () on_edit_again=|_| () on_example=|_| () /> }
        }
    });
    (
        made.get().expect("the task list is mounted"),
        Box::new(mounted),
    )
}

#[wasm_bindgen_test]
async fn edit_again_restores_local_images_this_session_and_names_them_after_a_reload() {
    common::fresh_storage().await;
    let (tasks, _mounted) = tasks_over_storage(ApiConfig::new("http://127.0.0.1:9", None));
    let images = vec![
        common::local_png(common::ONE_PIXEL_PNG, "a.png"),
        Source::Url("https://img.example.com/b.png".to_owned()),
    ];
    let request = EditRequest::new("Swap image 1 and image 2", images.clone())
        .with_sequential(SequentialMode::Auto, Some(4));
    let id = tasks.send(request, Vec::new()).await.expect("sent");

    // In the same session: everything, the local file included (its handle).
    let again = tasks.edit_again(&id).await.expect("the record");
    assert_eq!(again.images, images);
    assert_eq!(again.missing, Vec::<usize>::new());
    assert_eq!(
        (again.prompt.as_str(), again.max_images),
        ("Swap image 1 and image 2", 4)
    );

    // After a reload (a task list over what was stored): the address only, and the
    // local file's place is named (the form says so: `form::edit_again_restores_every_field_and_says_what_is_missing`).
    until_stored_alone(&id).await;
    let (reloaded, _again_mounted) = tasks_over_storage(ApiConfig::new("http://127.0.0.1:9", None));
    let again = reloaded.edit_again(&id).await.expect("the stored record");
    assert_eq!(
        again.images,
        [Source::Url("https://img.example.com/b.png".to_owned())]
    );
    assert_eq!(again.missing, [0]);
    assert_eq!(
        again.size.map(|s| s.to_string()),
        Ok("2048x2048".to_owned())
    );
}

/// A local image claiming `bytes` bytes (the budget counts what the image says).
fn local(bytes: u64) -> Source {
    common::local_claiming(common::ONE_PIXEL_PNG, "x.png", bytes)
}

#[wasm_bindgen_test]
fn the_input_cache_stays_within_its_budget() {
    let mut cache = InputCache::with_budget(100);
    cache.remember("a", vec![local(40)]);
    cache.remember(
        "b",
        vec![local(40), Source::Url("https://e.example/a.png".into())],
    );
    assert_eq!(cache.bytes(), 80, "addresses cost nothing");
    cache.remember("c", vec![local(30)]);
    assert!(cache.recall("a").is_none(), "the oldest goes first");
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.bytes(), 70);
    cache.remember("huge", vec![local(101)]);
    assert!(cache.recall("huge").is_none());
    cache.remember("b", vec![local(10)]);
    assert_eq!(cache.bytes(), 40, "replacing an entry frees its old size");
    cache.forget("c");
    assert_eq!((cache.len(), cache.bytes()), (1, 10));
    cache.clear();
    assert!(cache.is_empty() && cache.bytes() == 0);
}

/// Waits until the stored history holds record `id` and no other.
async fn until_stored_alone(id: &str) {
    until("the history to be saved", || {
        LocalStorage::raw()
            .get_item(STORAGE_KEY)
            .ok()
            .flatten()
            .is_some_and(|raw| parse_history(&raw).0.iter().map(|r| r.id.as_str()).eq([id]))
    })
    .await;
}
