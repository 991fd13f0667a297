//! The saved and recent instructions offered from the instruction field.
//!
//! The field stays a plain text box (a multi-line combobox has no valid ARIA role): a
//! listbox opens under it from its button, Alt+Down, or Down at the end of the text,
//! and what is typed filters it. The field keeps focus throughout; the active option
//! is its `aria-activedescendant`. Enter fills the field with the active option, but
//! never the Enter that ends an input method's composition; Shift+Delete removes a
//! saved one; Escape closes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::composing;
use super::restore::Notice;
use crate::i18n::{t, td_string, use_i18n};
use crate::ids::dom_id;
use crate::instructions::{InstructionBook, Suggestion, list};
use crate::locale::format::count;

/// The list's state: open or not, the active option, and what is offered.
#[derive(Clone, Copy)]
pub struct Suggest {
    pub book: InstructionBook,
    pub open: RwSignal<bool>,
    pub active: RwSignal<Option<usize>>,
    pub shown: Memo<Vec<Suggestion>>,
    prompt: RwSignal<String>,
    notice: RwSignal<Option<Notice>>,
}

/// The option at `index`'s element id.
pub fn option_id(index: usize) -> String {
    dom_id(&format!("prompt-suggestion-{index}"))
}

impl Suggest {
    pub fn new(
        book: InstructionBook,
        prompt: RwSignal<String>,
        notice: RwSignal<Option<Notice>>,
    ) -> Suggest {
        let open = RwSignal::new(false);
        // Nothing is matched while the list is closed: typing costs no filtering.
        let shown = Memo::new(move |_| {
            if !open.get() {
                return Vec::new();
            }
            let recent = book.recent.get();
            book.saved
                .with(|saved| prompt.with(|typed| list::suggestions(typed, saved, &recent)))
        });
        Suggest {
            book,
            open,
            active: RwSignal::new(None),
            shown,
            prompt,
            notice,
        }
    }

    /// The field's text changed: the list it filters has no active option until the
    /// arrows choose one.
    pub fn typed(self) {
        self.active.set(None);
    }

    /// The active option's index, when it is in the list.
    pub fn active_option(self) -> Option<usize> {
        let index = self.active.get()?;
        (index < self.shown.with(Vec::len)).then_some(index)
    }

    pub fn close(self) {
        self.open.set(false);
        self.active.set(None);
    }

    /// The field's key press, when it is the list's: true when handled (the field
    /// then does nothing with it). `at_end`: the caret is after the last character.
    pub fn key(self, ev: &web_sys::KeyboardEvent, at_end: bool) -> bool {
        if composing(ev) {
            return false;
        }
        let open = self.open.get_untracked();
        let options = self.shown.with_untracked(Vec::len);
        let active = self.active.get_untracked().filter(|&index| index < options);
        match ev.key().as_str() {
            "Escape" if open => {
                self.close();
                true
            }
            "ArrowDown" if open => {
                self.step(active, options, 1);
                true
            }
            "ArrowUp" if open => {
                self.step(active, options, -1);
                true
            }
            "ArrowDown" if ev.alt_key() || at_end => {
                self.open.set(true);
                // Matched now that it is open.
                let options = self.shown.with_untracked(Vec::len);
                if !ev.alt_key() && options > 0 {
                    self.active.set(Some(0));
                }
                true
            }
            "Enter" if open => match active {
                Some(index) => {
                    self.pick(index);
                    true
                }
                None => false,
            },
            "Delete" if open && ev.shift_key() => match active {
                Some(index) => self.remove(index),
                None => false,
            },
            "Tab" => {
                self.close();
                false
            }
            _ => false,
        }
    }

    /// Moves the active option by `by`, around the ends.
    fn step(self, active: Option<usize>, options: usize, by: isize) {
        if options == 0 {
            return;
        }
        let next = match active {
            None if by > 0 => 0,
            None => options - 1,
            Some(index) => (index as isize + by).rem_euclid(options as isize) as usize,
        };
        self.active.set(Some(next));
    }

    /// Fills the field with the option at `index`; what the field said before comes
    /// back with Undo.
    pub fn pick(self, index: usize) {
        let Some(chosen) = self.shown.with_untracked(|shown| shown.get(index).cloned()) else {
            return;
        };
        let before = self.prompt.get_untracked();
        self.close();
        self.prompt.set(chosen.text().to_owned());
        if !before.trim().is_empty() && !list::same_text(&before, chosen.text()) {
            self.notice.set(Some(Notice::InstructionPicked { before }));
        }
    }

    /// Removes the saved option at `index`; false when it is a recent one.
    fn remove(self, index: usize) -> bool {
        let Some(Suggestion::Saved(saved)) =
            self.shown.with_untracked(|shown| shown.get(index).cloned())
        else {
            return false;
        };
        // Refused storage still removes it from the list shown.
        let _ = self.book.remove(&saved.text);
        true
    }
}

/// The listbox under the field, and what it says when there is nothing to offer.
///
/// The list is drawn whole from its state (at most [`list::MAX_SHOWN`] options) and
/// its clicks are read where they land: one closure for the list rather than a few per
/// option keeps the first load smaller.
#[component]
pub fn SuggestList(suggest: Suggest) -> impl IntoView {
    let i18n = use_i18n();
    let status = move || {
        let locale = i18n.get_locale();
        if !suggest.open.get() {
            return String::new();
        }
        match suggest.shown.with(Vec::len) {
            0 if !suggest.book.saved.with(Vec::is_empty)
                || !suggest.book.recent.with(Vec::is_empty) =>
            {
                td_string!(locale, form.suggest.none_match).to_string()
            }
            0 => td_string!(locale, form.suggest.none_yet).to_string(),
            1 => td_string!(locale, form.suggest.offered_one).to_string(),
            n => {
                let count = count(locale, n as f64);
                td_string!(locale, form.suggest.offered, count).to_string()
            }
        }
    };
    let listing = move || {
        let locale = i18n.get_locale();
        let shown = suggest.shown.get();
        let active = suggest.active.get();
        let foot = if shown.is_empty() {
            status()
        } else {
            td_string!(locale, form.suggest.keys).to_string()
        };
        let options = shown
            .into_iter()
            .enumerate()
            .map(|(index, suggestion)| {
                let (kind, name, text) = match suggestion {
                    Suggestion::Saved(saved) => (
                        td_string!(locale, form.suggest.saved),
                        Some(saved.name),
                        saved.text,
                    ),
                    Suggestion::Recent(text) => {
                        (td_string!(locale, form.suggest.recent), None, text)
                    }
                };
                let selected = active == Some(index);
                view! {
                    <li role="option" id=option_id(index) data-index=index
                        class=if selected { "suggestion active" } else { "suggestion" }
                        aria-selected=selected.to_string()>
                        <span class="suggestion-kind">{kind}</span>
                        {name.map(|name| view! { <span class="suggestion-name">{name}</span> })}
                        <span class="suggestion-text">{text}</span>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let list = (!options.is_empty()).then(|| {
            let label = td_string!(locale, form.suggest.label);
            view! { <ul role="listbox" id=dom_id("prompt-suggestions") aria-label=label>{options}</ul> }
        });
        view! { {list} <p class="suggest-foot" aria-hidden="true">{foot}</p> }
    };
    view! {
        <div class="suggest" id=dom_id("prompt-suggest") hidden=move || !suggest.open.get()
            // Clicks in the list leave the focus (and the caret) in the field.
            on:mousedown=|ev| ev.prevent_default()
            on:click=move |ev| {
                if let Some(index) = option_index(&ev) {
                    suggest.pick(index);
                }
            }
            on:pointermove=move |ev| {
                let index = option_index(&ev);
                if index.is_some() && index != suggest.active.get_untracked() {
                    suggest.active.set(index);
                }
            }>
            {move || suggest.open.get().then(listing)}
        </div>
        <p class="visually-hidden" role="status">{status}</p>
        <p class="visually-hidden" id=dom_id("prompt-suggest-hint")>{t!(i18n, form.suggest.hint)}</p>
    }
}

/// The index of the option an event happened in.
fn option_index(ev: &web_sys::Event) -> Option<usize> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let option = target.closest("[data-index]").ok()??;
    option.get_attribute("data-index")?.parse().ok()
}
