//! Why a file or address was not added, kept as data and described when shown, so a
//! message follows the language switch like every other string.

use seedream_contract::MAX_IMAGES;
use seedream_contract::image::ImageError;
use seedream_contract::url::UrlError;

use super::model::{InputImage, label};
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;
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

    /// The name of an image in the list. Only a file's name can be empty: a pasted
    /// image that came without one.
    pub fn of_image(image: &InputImage) -> Name {
        if image.name.is_empty() {
            Name::Pasted
        } else {
            Name::Given(image.name.clone())
        }
    }

    /// The name as it stands alone: "photo.png", "The pasted image".
    pub fn plain(&self, locale: Locale) -> String {
        match self {
            Name::Given(name) => name.clone(),
            Name::Pasted => td_string!(locale, images.names.pasted).to_string(),
            Name::Restored(index) => label(locale, *index),
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
    fn describe_image(&self, locale: Locale, error: &ImageError) -> String {
        match self {
            Name::Restored(index) => validation::image(locale, error, Subject::Numbered(*index)),
            other => {
                let name = other.plain(locale);
                validation::image(locale, error, Subject::Named(&name))
            }
        }
    }
}

/// Why a file or address was not added (or, for [`Problem::NotLoaded`], a note
/// about one that was).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The contract refused the image: its size, format or data.
    Refused(ImageError),
    /// The typed text is not a usable http(s) address.
    BadAddress(UrlError),
    /// The browser could not read the file.
    Unreadable,
    /// The list already holds the most images an edit takes.
    Full,
    /// An address was added but could not be loaded here (shortened).
    NotLoaded { address: String },
}

/// A message about one file or address, shown until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct FileProblem {
    /// The id the image would have had; unique, so it keys the rendered message.
    pub id: u32,
    /// What it is about.
    pub name: Name,
    pub problem: Problem,
}

impl FileProblem {
    pub fn new(id: u32, name: Name, problem: Problem) -> Self {
        Self { id, name, problem }
    }

    /// What the message is about, inside a sentence ("Dismiss the message about …").
    pub fn about(&self, locale: Locale) -> String {
        match (&self.name, &self.problem) {
            // An empty address has no name to give.
            (Name::Given(text), Problem::BadAddress(_)) if text.is_empty() => {
                td_string!(locale, images.names.empty_address).to_string()
            }
            (name, _) => name.in_sentence(locale),
        }
    }

    /// A whole sentence naming the file, e.g. "photo.png could not be read.".
    pub fn describe(&self, locale: Locale) -> String {
        let name = || self.name.in_sentence(locale);
        match &self.problem {
            Problem::Refused(error) => self.name.describe_image(locale, error),
            Problem::BadAddress(error) => match &self.name {
                Name::Given(address) if !address.is_empty() => {
                    let subject = td_string!(locale, images.names.address, address).to_string();
                    validation::url(locale, error, Subject::Named(&subject))
                }
                _ => validation::url(locale, error, Subject::The),
            },
            Problem::Unreadable => {
                td_string!(locale, images.problem.unreadable, name = name()).to_string()
            }
            Problem::Full => td_string!(
                locale,
                images.problem.full,
                name = name(),
                max = count(locale, MAX_IMAGES as f64)
            )
            .to_string(),
            Problem::NotLoaded { address } => {
                td_string!(locale, images.problem.not_loaded, address).to_string()
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
