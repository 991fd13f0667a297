//! Which language an instance speaks: the user's remembered choice, else the one
//! its page configured, else the first of the browser's languages it has, else
//! English. The choice is remembered per instance (its storage name), never in a
//! cookie, which would be shared with the whole host site.

use gloo_storage::{LocalStorage, Storage};

use crate::i18n::Locale;

/// The BCP 47 tag of a language, for `lang` attributes and `Intl` formatting.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// The language a tag asks for, if the interface has it: any English for English,
/// any Chinese (`zh`, `zh-CN`, `zh-Hans`, `zh-TW`...) for Simplified Chinese, the
/// closest of the two for a reader of Traditional Chinese.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let tag = tag.trim().to_ascii_lowercase();
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    match primary {
        "en" | "english" => Some(Locale::en),
        "zh" | "chinese" => Some(Locale::zh_CN),
        _ => None,
    }
}

/// The language to start in (see the module's comment for the order).
pub fn initial(
    remembered: Option<Locale>,
    configured: Option<Locale>,
    browser: &[String],
) -> Locale {
    remembered
        .or(configured)
        .or_else(|| browser.iter().find_map(|tag| from_tag(tag)))
        .unwrap_or_default()
}

/// The browser's preferred languages, most preferred first (`navigator.languages`).
pub fn browser_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return Vec::new();
    };
    let listed: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    if listed.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        listed
    }
}

/// Where one instance remembers the language its user picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocaleStore {
    key: String,
}

impl LocaleStore {
    /// The choice under this storage name.
    pub fn named(key: impl Into<String>) -> LocaleStore {
        LocaleStore { key: key.into() }
    }

    /// The remembered language; nothing when none was picked or the stored value is
    /// not one the interface has (edited by hand, or from a later version).
    pub fn load(&self) -> Option<Locale> {
        LocalStorage::get::<String>(&self.key)
            .ok()
            .and_then(|stored| from_tag(&stored))
    }

    /// Remembers `locale`. A browser refusing storage only costs the memory of the
    /// choice: the language still changes for this visit.
    pub fn save(&self, locale: Locale) {
        let _ = LocalStorage::set(&self.key, tag(locale));
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
