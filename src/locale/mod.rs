//! The interface's languages, English and Simplified Chinese.
//!
//! The strings live in `locales/<lang>/<part>.json`; build.rs compiles them into the
//! crate's `i18n` module (leptos_i18n), so a component asks for a key, never holds
//! text. This module adds what the generated one does not: which language an
//! instance starts in and remembers (`choose`), numbers, sizes and times written the
//! language's way (`format`), how an input image is named by its place
//! (`image_label`), and the switch in the header (`picker`).

mod choose;
pub mod format;
mod image_label;
pub mod params;
mod picker;
pub mod validation;

pub use choose::{LocaleStore, browser_languages, from_tag, initial, tag};
pub use image_label::{image_label, image_labels};
pub use picker::LanguagePicker;

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::i18n::Locale;

/// Gives the components below the current owner their own language, starting with
/// `initial`; what `use_i18n()` then finds. Each instance has its own (two on a page
/// may differ), rather than one for the page that would set `<html lang>`.
/// Components mounted alone (as the browser tests do) call it first too.
pub fn provide(initial: Locale) -> I18nContext<Locale> {
    let context =
        leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(Signal::stored(initial)));
    provide_context(context);
    context
}
