//! Why a file or address was not added, kept as data and described when shown, so a
//! message follows the language switch like every other string.

use seedream_contract::MAX_IMAGES;
use seedream_contract::image::ImageError;
use seedream_contract::url::UrlError;

use super::name::Name;
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;
use crate::locale::validation::{self, Subject};

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
    /// The list already holds the most images it takes (an edit's, or a batch's).
    Full { max: usize },
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
            Problem::Full { max } => {
                let (name, max_text) = (name(), count(locale, *max as f64));
                if *max == MAX_IMAGES {
                    td_string!(locale, images.problem.full, name, max = max_text)
                } else {
                    td_string!(locale, images.problem.list_full, name, max = max_text)
                }
                .to_string()
            }
            Problem::NotLoaded { address } => {
                td_string!(locale, images.problem.not_loaded, address).to_string()
            }
        }
    }
}
