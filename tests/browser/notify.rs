//! Notifications, against a stand-in for the browser's `Notification` (a test cannot
//! answer a real permission prompt): asked for only from the click, told once per end
//! and only to a hidden tab, and never offered where the constructor throws or the
//! browser has none, without a panic.

use leptos::prelude::*;
use seedream_studio::i18n::Locale;
use seedream_studio::notify::decide::{Permission, Support};
use seedream_studio::notify::{Notifier, NotifyOption};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common::{self, count, get, until};

const CHOICE: &str = "test.notify";
const TOLD: &str = "test.notified";

/// Replaces `window.Notification` with a stand-in until dropped: its permission
/// (`requestPermission` answers `answer`), and a constructor that records what it
/// made, or throws.
struct FakeNotification {
    real: JsValue,
}

impl FakeNotification {
    fn install(permission: &str, answer: &str, throws: bool) -> FakeNotification {
        let window = web_sys::window().expect("a window");
        let real = js_sys::Reflect::get(&window, &"Notification".into()).expect("read");
        let make = js_sys::Function::new_with_args(
            "permission, answer, throws",
            "const fake = class {
                constructor(title, options) {
                    if (throws) throw new TypeError('Illegal constructor');
                    this.title = title;
                    this.options = options || {};
                    fake.made.push(this);
                }
                close() { this.closed = true; }
                static get permission() { return fake.state; }
                static requestPermission() {
                    fake.asked += 1;
                    fake.state = fake.answer;
                    return Promise.resolve(fake.state);
                }
            };
            fake.made = []; fake.asked = 0; fake.state = permission; fake.answer = answer;
            window.Notification = fake;",
        );
        make.call3(
            &JsValue::NULL,
            &permission.into(),
            &answer.into(),
            &JsValue::from_bool(throws),
        )
        .expect("install the stand-in");
        FakeNotification { real }
    }

    fn get(&self, name: &str) -> JsValue {
        let window = web_sys::window().expect("a window");
        let fake = js_sys::Reflect::get(&window, &"Notification".into()).expect("read");
        js_sys::Reflect::get(&fake, &name.into()).expect("read")
    }

    /// The notifications shown (not closed at once, as the probe is): title, tag.
    fn shown(&self) -> Vec<(String, String)> {
        js_sys::Array::from(&self.get("made"))
            .iter()
            .filter(|made| {
                !js_sys::Reflect::get(made, &"closed".into())
                    .expect("read")
                    .is_truthy()
            })
            .map(|made| {
                let read = |value: &JsValue, name: &str| {
                    js_sys::Reflect::get(value, &name.into())
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default()
                };
                let options = js_sys::Reflect::get(&made, &"options".into()).expect("read");
                (read(&made, "title"), read(&options, "tag"))
            })
            .collect()
    }

    fn asked(&self) -> f64 {
        self.get("asked").as_f64().unwrap_or_default()
    }
}

impl Drop for FakeNotification {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &"Notification".into(), &self.real);
        }
    }
}

/// The settings' option alone, in English, with its notifier.
fn mount_option() -> (web_sys::HtmlElement, Notifier, impl Drop) {
    let host = common::host();
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let mounted = leptos::mount::mount_to(host.clone(), {
        let made = std::rc::Rc::clone(&made);
        move || {
            seedream_studio::locale::provide(Locale::en);
            let notifier = Notifier::new(CHOICE.to_owned(), TOLD.to_owned());
            made.set(Some(notifier));
            view! { <NotifyOption notifier /> }
        }
    });
    (host, made.take().expect("the notifier"), mounted)
}

#[wasm_bindgen_test]
async fn an_end_is_told_once_and_only_to_a_hidden_tab() {
    common::fresh_storage().await;
    let fake = FakeNotification::install("granted", "granted", false);
    let owner = Owner::new();
    let (tab, other_tab) = owner.with(|| {
        (
            Notifier::new(CHOICE.to_owned(), TOLD.to_owned()),
            Notifier::new(CHOICE.to_owned(), TOLD.to_owned()),
        )
    });
    assert_eq!(tab.support.get_untracked(), Support::Offered);
    // Not turned on: nothing, even hidden.
    tab.tell(
        "seedream-studio:a",
        "Edit finished",
        "Edit “a”: Done",
        "en",
        true,
    );
    assert!(fake.shown().is_empty());
    tab.choose(true);
    until("the option on", || tab.opted_in.get_untracked()).await;
    // The person is looking: nothing.
    tab.tell(
        "seedream-studio:a",
        "Edit finished",
        "Edit “a”: Done",
        "en",
        false,
    );
    assert!(fake.shown().is_empty());
    tab.tell(
        "seedream-studio:a",
        "Edit finished",
        "Edit “a”: Done",
        "en",
        true,
    );
    assert_eq!(
        fake.shown(),
        [("Edit finished".to_owned(), "seedream-studio:a".to_owned())]
    );
    // The same end again, here or in another tab (its choice read from storage at its
    // start, so it is turned on too once this one is): told already.
    other_tab.opted_in.set(true);
    tab.tell(
        "seedream-studio:a",
        "Edit finished",
        "Edit “a”: Done",
        "en",
        true,
    );
    other_tab.tell(
        "seedream-studio:a",
        "Edit finished",
        "Edit “a”: Done",
        "en",
        true,
    );
    assert_eq!(fake.shown().len(), 1);
    assert_eq!(fake.asked(), 0.0, "granted already: nothing asked");
    drop(fake);
}

#[wasm_bindgen_test]
async fn turning_it_on_asks_only_from_the_click() {
    common::fresh_storage().await;
    let fake = FakeNotification::install("default", "granted", false);
    let (host, notifier, mounted) = mount_option();
    common::after_pending_work().await;
    assert_eq!(fake.asked(), 0.0, "nothing asked on load");
    assert_eq!(notifier.permission.get_untracked(), Permission::NotAsked);
    get(&host, "[data-setting=notify]").click();
    until("the answer and the option on", || {
        notifier.opted_in.get_untracked()
            && common::text(&host, ".notify-option .hint")
                == "On: a notification comes when an edit or a batch finishes while this tab is hidden."
    })
    .await;
    assert_eq!(fake.asked(), 1.0);
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(CHOICE).ok().flatten());
    assert_eq!(stored.as_deref(), Some("on"));
    drop(mounted);
    drop(fake);
}

#[wasm_bindgen_test]
async fn where_the_browser_cannot_notify_the_option_is_not_offered() {
    common::fresh_storage().await;
    // Chrome for Android: the constructor throws.
    let fake = FakeNotification::install("default", "granted", true);
    let (host, notifier, mounted) = mount_option();
    assert_eq!(notifier.support.get_untracked(), Support::NoConstructor);
    common::after_pending_work().await;
    assert_eq!(count(&host, "[data-setting=notify]"), 0);
    drop(mounted);
    drop(fake);
    // No `Notification` at all.
    let window = web_sys::window().expect("a window");
    let real = js_sys::Reflect::get(&window, &"Notification".into()).expect("read");
    js_sys::Reflect::delete_property(&window, &"Notification".into()).expect("delete");
    let support = Owner::new().with(|| {
        let notifier = Notifier::new(CHOICE.to_owned(), TOLD.to_owned());
        notifier.tell("seedream-studio:b", "t", "b", "en", true);
        notifier.support.get_untracked()
    });
    js_sys::Reflect::set(&window, &"Notification".into(), &real).expect("put it back");
    assert_eq!(support, Support::NoApi);
}
