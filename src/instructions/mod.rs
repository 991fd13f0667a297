//! The instructions a person keeps: those saved with a name (in this browser, per
//! instance, and in an exported history) and the recent ones, which are the history's
//! own prompts. The instruction field offers both (`form::suggest`).
//!
//! The saved list has one home, browser storage: each change reads what is stored
//! now, applies itself and writes, in one synchronous turn, so another tab's saves
//! are kept; another tab's write arrives as a `storage` event and is read in.

pub mod list;

use leptos::prelude::*;
use leptos_use::use_event_listener;

pub use list::{Full, SavedInstruction, Suggestion};

use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// The saved instructions and the recent ones, as the form and the export use them.
#[derive(Clone, Copy)]
pub struct InstructionBook {
    /// Saved with a name, the latest saved first.
    pub saved: RwSignal<Vec<SavedInstruction>>,
    /// Used lately, newest first (derived from the history).
    pub recent: Signal<Vec<String>>,
    /// The storage name of the saved list.
    key: StoredValue<String>,
}

/// Why a save or removal did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotSaved {
    /// Empty, or over the prompt's limit.
    Unsavable,
    /// [`list::MAX_SAVED`] are saved already.
    Full,
    /// The browser refused to store it (storage disabled or full).
    Refused,
}

impl NotSaved {
    pub fn describe(self, locale: Locale) -> String {
        match self {
            NotSaved::Unsavable => {
                let max = count(locale, seedream_contract::PROMPT_MAX_CHARS as f64);
                td_string!(locale, form.saved.unsavable, max).to_string()
            }
            NotSaved::Full => {
                let max = count(locale, list::MAX_SAVED as f64);
                td_string!(locale, form.saved.full, max).to_string()
            }
            NotSaved::Refused => td_string!(locale, form.saved.refused).to_string(),
        }
    }
}

impl InstructionBook {
    /// The book stored under `key`, with `recent` beside it; follows other tabs' saves.
    pub fn new(key: String, recent: Signal<Vec<String>>) -> InstructionBook {
        let book = InstructionBook {
            saved: RwSignal::new(read(&key)),
            recent,
            key: StoredValue::new(key),
        };
        let _ = use_event_listener(window(), leptos::ev::storage, move |event| {
            let key = book.key.get_value();
            if event.key().is_none_or(|changed| changed == key) {
                book.saved.set(read(&key));
            }
        });
        book
    }

    /// Saves `text` as `name` (first in the list); saving a text again renames it.
    pub fn save(self, name: &str, text: &str) -> Result<SavedInstruction, NotSaved> {
        let entry = SavedInstruction::vetted(name, text).ok_or(NotSaved::Unsavable)?;
        let saved = entry.clone();
        self.change(move |list| list::with_saved(list, entry).map_err(|Full| NotSaved::Full))?;
        Ok(saved)
    }

    /// Removes the saved instruction saying `text`.
    pub fn remove(self, text: &str) -> Result<(), NotSaved> {
        self.change(|list| Ok(list::without(list, text)))
    }

    /// Adds those of `incoming` not saved yet (an imported history's); how many.
    pub fn add_all(self, incoming: &[SavedInstruction]) -> Result<usize, NotSaved> {
        let incoming = list::vetted_all(incoming);
        let mut added = 0;
        self.change(|list| {
            let (merged, count) = list::merged(list, &incoming);
            added = count;
            Ok(merged)
        })?;
        Ok(added)
    }

    /// The saved list as stored now, changed by `change`, written and shown.
    fn change(
        self,
        change: impl FnOnce(&[SavedInstruction]) -> Result<Vec<SavedInstruction>, NotSaved>,
    ) -> Result<(), NotSaved> {
        let key = self.key.get_value();
        let Some(storage) = crate::storage::local() else {
            // No storage: the list lives as long as the page.
            let changed = self.saved.with_untracked(|list| change(list))?;
            self.saved.set(changed);
            return Err(NotSaved::Refused);
        };
        let changed = change(&read(&key))?;
        // Plain data: serialising it cannot fail.
        let json = serde_json::to_string(&changed).unwrap_or_default();
        let written = storage.set_item(&key, &json);
        // Shown either way: what the person saved stays until the page closes.
        self.saved.set(changed);
        written.map_err(|_| NotSaved::Refused)
    }
}

/// The saved list under `key`; nothing when storage holds none or cannot be read.
fn read(key: &str) -> Vec<SavedInstruction> {
    crate::storage::local()
        .and_then(|storage| storage.get_item(key).ok().flatten())
        .map(|json| list::read_stored(&json))
        .unwrap_or_default()
}
