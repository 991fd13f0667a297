//! The page's unusable options in the user's language (`locales/*/embed.json`).
//!
//! The options keep their names as the page's author wrote them (`data-size`,
//! `?size`): they are code, the same in every language; only the words around
//! them are translated.

use seedream_contract::sequential::MAX_IMAGES_RANGE;

use super::options::{ALL_OPTIONS, MAX_STORAGE_KEY, OptionProblem, Reason, Setting, Source};
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;
use crate::locale::validation::{self, Subject};

impl OptionProblem {
    /// "data-size: … Using the default size.", in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        let setting = self.option.describe(locale);
        let reason = self.reason.describe(locale);
        td_string!(locale, embed.problem, setting, reason).to_string()
    }
}

impl Setting {
    /// The option as its author wrote it: `data-size`, `"size" in the configuration
    /// file`, `?size in the address`; or the file.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Option {
                source: Source::Attribute,
                name,
            } => format!("data-{name}"),
            Self::Option {
                source: Source::ConfigFile,
                name,
            } => td_string!(locale, embed.setting.in_file, name).to_string(),
            Self::Option {
                source: Source::Query,
                name,
            } => td_string!(locale, embed.setting.in_query, name).to_string(),
            Self::ConfigFile { url } => td_string!(locale, embed.setting.file, url).to_string(),
        }
    }
}

impl Reason {
    /// Why, and what is used instead, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        let number = |n: u8| count(locale, n);
        match self {
            Self::Unknown => {
                let options = ALL_OPTIONS.join(", ");
                td_string!(locale, embed.reason.unknown, options).to_string()
            }
            Self::NotFromQuery => td_string!(locale, embed.reason.not_from_query).to_string(),
            Self::ApiBase(error) => {
                let problem = error.describe(locale);
                td_string!(locale, embed.reason.api_base, problem).to_string()
            }
            Self::NotBoolean { value } => {
                td_string!(locale, embed.reason.not_boolean, value).to_string()
            }
            Self::SizeFormat(error) => {
                let problem = validation::size_parse(locale, error);
                td_string!(locale, embed.reason.size, problem).to_string()
            }
            Self::Size(error) => {
                let problem = validation::size(locale, error);
                td_string!(locale, embed.reason.size, problem).to_string()
            }
            Self::Format { value } => td_string!(locale, embed.reason.format, value).to_string(),
            Self::Sequential { value } => {
                td_string!(locale, embed.reason.sequential, value).to_string()
            }
            Self::MaxImagesNotNumber { value, kept } => {
                let kept = number(*kept);
                td_string!(locale, embed.reason.max_images_not_number, value, kept).to_string()
            }
            // The value is echoed as written, not reformatted: it is the author's text.
            Self::MaxImagesOutOfRange { value, kept } => td_string!(
                locale,
                embed.reason.max_images_out_of_range,
                value,
                min = number(*MAX_IMAGES_RANGE.start()),
                max = number(*MAX_IMAGES_RANGE.end()),
                kept = number(*kept)
            )
            .to_string(),
            Self::Language { value } => {
                td_string!(locale, embed.reason.language, value).to_string()
            }
            Self::Price { value } => td_string!(locale, embed.reason.price, value).to_string(),
            Self::Currency { value } => {
                td_string!(locale, embed.reason.currency, value).to_string()
            }
            Self::StorageKey { kept } => td_string!(
                locale,
                embed.reason.storage_key,
                max = count(locale, MAX_STORAGE_KEY as f64),
                kept
            )
            .to_string(),
            Self::AnyOrigin => td_string!(locale, embed.reason.any_origin).to_string(),
            Self::OriginUrl { origin, error } => {
                let problem = validation::url(locale, error, Subject::Named(origin));
                td_string!(locale, embed.reason.origin_url, problem).to_string()
            }
            Self::NotAnOrigin { origin, exact } => {
                td_string!(locale, embed.reason.not_an_origin, origin, exact).to_string()
            }
            Self::FileUnreachable => td_string!(locale, embed.reason.file_unreachable).to_string(),
            Self::FileStatus { status } => {
                td_string!(locale, embed.reason.file_status, status).to_string()
            }
            Self::FileNotJson { line, column } => td_string!(
                locale,
                embed.reason.file_not_json,
                line = count(locale, *line as f64),
                column = count(locale, *column as f64)
            )
            .to_string(),
            Self::FileNotObject => td_string!(locale, embed.reason.file_not_object).to_string(),
        }
    }
}
