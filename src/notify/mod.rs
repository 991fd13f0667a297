//! Telling the person an edit is done while they look elsewhere: an opt-in browser
//! notification when an edit or a batch finishes in a hidden tab (one per end, even
//! with several tabs open), and, on the standalone page, running and finished counts
//! in the page's title.
//!
//! Permission is asked for only from the click that turns the option on, never on
//! load (leptos-use's `use_web_notification` asks as soon as it is created, so it is
//! not used). Each end is watched from the task store (`watch`), so ends this tab
//! polled and ends another tab merged in are seen alike; the tag, remembered in
//! storage, keeps a second tab from telling again.

pub mod browser;
pub mod decide;
mod option;
mod watch;

use leptos::prelude::*;

use decide::{Moment, Permission, Support};
pub use option::NotifyOption;
pub use watch::{Standalone, watch};

/// This instance's notifications: what the browser offers, the person's answer and
/// choice. `Copy`, for every handler.
#[derive(Clone, Copy)]
pub struct Notifier {
    pub support: RwSignal<Support>,
    pub permission: RwSignal<Permission>,
    /// The person turned them on (kept per instance).
    pub opted_in: RwSignal<bool>,
    /// True while the browser's prompt is open.
    pub asking: RwSignal<bool>,
    /// Storage names: the choice, and the tags told lately (shared by tabs).
    keys: StoredValue<(String, String)>,
}

impl Notifier {
    /// The notifier whose choice is kept under `choice_key` and whose told tags are
    /// kept under `told_key`.
    pub fn new(choice_key: String, told_key: String) -> Notifier {
        let support = browser::support();
        let permission = if support == Support::NoApi {
            Permission::NotAsked
        } else {
            browser::permission()
        };
        let opted_in = read(&choice_key).as_deref() == Some("on");
        Notifier {
            support: RwSignal::new(support),
            permission: RwSignal::new(permission),
            opted_in: RwSignal::new(opted_in),
            asking: RwSignal::new(false),
            keys: StoredValue::new((choice_key, told_key)),
        }
    }

    /// True when the option is shown at all.
    pub fn offered(self) -> bool {
        self.support.get() == Support::Offered
    }

    /// Turns notifications on or off; turning them on asks for permission first (call
    /// it from the click).
    pub fn choose(self, on: bool) {
        if !on {
            self.set_opted(false);
            return;
        }
        if self.permission.get_untracked() == Permission::Granted {
            self.set_opted(true);
            return;
        }
        self.asking.set(true);
        leptos::task::spawn_local(async move {
            let answer = browser::ask().await;
            self.asking.try_set(false);
            self.permission.try_set(answer);
            self.set_opted(answer == Permission::Granted);
        });
    }

    fn set_opted(self, on: bool) {
        self.opted_in.try_set(on);
        let key = self.keys.with_value(|(choice, _)| choice.clone());
        write(&key, if on { "on" } else { "off" });
    }

    /// Tells of an end tagged `tag`, when the person wants it and is looking elsewhere,
    /// and no other tab told of it.
    pub fn tell(self, tag: &str, title: &str, body: &str, lang: &str, hidden: bool) {
        // The browser's answer may have changed in its settings since.
        if self.support.get_untracked() == Support::Offered {
            self.permission.set(browser::permission());
        }
        let told_key = self.keys.with_value(|(_, told)| told.clone());
        let told = read_told(&told_key);
        let moment = Moment {
            support: self.support.get_untracked(),
            permission: self.permission.get_untracked(),
            opted_in: self.opted_in.get_untracked(),
            hidden,
            already_told: told.iter().any(|t| t == tag),
        };
        if !decide::should_notify(moment) {
            return;
        }
        // Remembered before it shows: the other tabs, reading it, stay quiet.
        let told = decide::with_told(&told, tag);
        write(&told_key, &serde_json::to_string(&told).unwrap_or_default());
        if browser::show(title, body, tag, lang).is_err() {
            // Granted, yet the constructor throws (Chrome for Android): the option
            // goes, rather than promising what cannot come.
            self.support.set(Support::NoConstructor);
        }
    }
}

fn read(key: &str) -> Option<String> {
    crate::storage::local()?.get_item(key).ok().flatten()
}

fn write(key: &str, value: &str) {
    if let Some(storage) = crate::storage::local() {
        // Refused storage forgets the choice at the next visit; nothing else is lost.
        let _ = storage.set_item(key, value);
    }
}

fn read_told(key: &str) -> Vec<String> {
    read(key)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}
