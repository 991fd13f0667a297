//! What a message or a "Reading…" line calls an image: its file name or address
//! (shortened), "The pasted image", or its place in the list ("Image 2").

use seedream_contract::image::ImageError;

use crate::i18n::{Locale, td_string};
use crate::locale::image_label;
use crate::locale::validation::{self, Subject};

/// Names and addresses are shortened in messages so a hostile name cannot flood
/// the page.
const MAX_SHOWN_CHARS: usize = 80;

/// What a message or a "Reading…" line is about, as the user knows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Name {
    /// A file name or an address, shortened.
    Given(String),
    /// A pasted image that came without a file name (screenshots often do).
    Pasted,
    /// The image restored by "Edit again" at this 0-based position ("Image 2").
    Restored(usize),
}

impl Name {
    /// The name of a picked, dropped or pasted file.
    pub fn of_file(name: &str) -> Name {
        if name.trim().is_empty() {
            Name::Pasted
        } else {
            Name::Given(shorten(name))
        }
    }

    /// The name of a local file put back by "Edit again" at this 0-based position:
    /// its own, else its position ("Image 2").
    pub fn of_restored(file_name: &str, index: usize) -> Name {
        if file_name.is_empty() {
            Name::Restored(index)
        } else {
            Name::of_file(file_name)
        }
    }

    /// The name as it stands alone: "photo.png", "The pasted image".
    pub fn plain(&self, locale: Locale) -> String {
        match self {
            Name::Given(name) => name.clone(),
            Name::Pasted => td_string!(locale, images.names.pasted).to_string(),
            Name::Restored(index) => image_label(locale, *index),
        }
    }

    /// The name inside a sentence: a given name is quoted where the language
    /// quotes names (Chinese), the others read as words.
    pub fn in_sentence(&self, locale: Locale) -> String {
        match self {
            Name::Given(name) => td_string!(locale, images.names.given, name).to_string(),
            other => other.plain(locale),
        }
    }

    /// The subject of a contract message about this image.
    pub(super) fn describe_image(&self, locale: Locale, error: &ImageError) -> String {
        match self {
            Name::Restored(index) => validation::image(locale, error, Subject::Numbered(*index)),
            other => {
                let name = other.plain(locale);
                validation::image(locale, error, Subject::Named(&name))
            }
        }
    }
}

/// `text` cut to [`MAX_SHOWN_CHARS`] characters, with an ellipsis when cut.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}
