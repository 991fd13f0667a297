//! The contract's refusals in the user's language.
//!
//! The contract crate (shared with the server) describes its errors in English for
//! the API; the interface keeps the typed error and describes it here, when it is
//! shown, so a message follows the language switch like every other string.

use seedream_contract::request::Field;
use seedream_contract::size::MAX_ASPECT;
use seedream_contract::text::describe_char;
use seedream_contract::url::MAX_URL_BYTES;
use seedream_contract::{
    ImageCountError, ImageError, ImagesError, MAX_IMAGE_BYTES, MAX_IMAGES, MAX_PIXELS,
    MAX_TOTAL_IMAGES, MIN_IMAGES, MIN_PIXELS, PROMPT_MAX_CHARS, PromptError, SequentialError,
    SizeError, SizeParseError, UrlError, ValidationError,
};

use super::format::{count, number};
use super::image_label::image_label;
use crate::i18n::{Locale, td_string};

/// What a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject<'a> {
    /// "The image" (or "The address" for an address).
    The,
    /// "Image 3": the input at this 0-based position.
    Numbered(usize),
    /// A file name or label, as the user knows it.
    Named(&'a str),
}

/// The subject as an image.
fn image_subject(locale: Locale, subject: Subject) -> String {
    match subject {
        Subject::The => td_string!(locale, validation.subject.the_image).to_string(),
        Subject::Numbered(index) => image_label(locale, index),
        Subject::Named(name) => td_string!(locale, validation.subject.named, name).to_string(),
    }
}

/// The subject as an address; an image's address is "Image 3's address".
fn address_subject(locale: Locale, subject: Subject) -> String {
    match subject {
        Subject::The => td_string!(locale, validation.subject.the_address).to_string(),
        Subject::Numbered(_) => {
            let subject = image_subject(locale, subject);
            td_string!(locale, validation.subject.address_of, subject).to_string()
        }
        Subject::Named(name) => td_string!(locale, validation.subject.named, name).to_string(),
    }
}

/// Any refused request.
pub fn validation(locale: Locale, error: &ValidationError) -> String {
    match error {
        ValidationError::InvalidJson => {
            td_string!(locale, validation.request.invalid_json).to_string()
        }
        ValidationError::NotAnObject => {
            td_string!(locale, validation.request.not_an_object).to_string()
        }
        ValidationError::Missing(field) => {
            let field = field_name(locale, *field);
            td_string!(locale, validation.request.missing, field).to_string()
        }
        ValidationError::WrongType { field, .. } => {
            let field = field_name(locale, *field);
            td_string!(locale, validation.request.wrong_type, field).to_string()
        }
        ValidationError::ImageNotString { index } => {
            let number = index.saturating_add(1);
            td_string!(locale, validation.request.image_not_string, number).to_string()
        }
        ValidationError::UnsupportedValue { field, value, .. } => {
            let field = field_name(locale, *field);
            td_string!(locale, validation.request.unsupported_value, field, value).to_string()
        }
        ValidationError::Prompt(error) => prompt(locale, error),
        ValidationError::ImageCount(error) => image_count(locale, error),
        ValidationError::Image { index, error } => image(locale, error, Subject::Numbered(*index)),
        ValidationError::SizeFormat(error) => size_parse(locale, error),
        ValidationError::Size(error) => size(locale, error),
        ValidationError::Sequential(error) => sequential(locale, error),
    }
}

/// A request field as users know it ("output format", not `output_format`).
fn field_name(locale: Locale, field: Field) -> String {
    match field {
        Field::Prompt => td_string!(locale, validation.field.prompt),
        Field::Image => td_string!(locale, validation.field.image),
        Field::Size => td_string!(locale, validation.field.size),
        Field::SequentialImageGeneration => {
            td_string!(locale, validation.field.sequential_image_generation)
        }
        Field::SequentialImageGenerationMaxImages => {
            td_string!(
                locale,
                validation.field.sequential_image_generation_max_images
            )
        }
        Field::OptimizePromptMode => td_string!(locale, validation.field.optimize_prompt_mode),
        Field::OutputFormat => td_string!(locale, validation.field.output_format),
    }
    .to_string()
}

pub fn prompt(locale: Locale, error: &PromptError) -> String {
    match error {
        PromptError::Empty => td_string!(locale, validation.prompt.empty).to_string(),
        PromptError::TooLong { chars } => td_string!(
            locale,
            validation.prompt.too_long,
            chars = count(locale, *chars as f64),
            max = count(locale, PROMPT_MAX_CHARS as f64)
        )
        .to_string(),
    }
}

pub fn size_parse(locale: Locale, error: &SizeParseError) -> String {
    match error {
        SizeParseError::Empty => td_string!(locale, validation.size.empty).to_string(),
        SizeParseError::Malformed { input } => {
            td_string!(locale, validation.size.malformed, input).to_string()
        }
        SizeParseError::Zero { input } => {
            td_string!(locale, validation.size.zero, input).to_string()
        }
        SizeParseError::TooLarge { input } => {
            td_string!(locale, validation.size.too_large, input).to_string()
        }
    }
}

pub fn size(locale: Locale, error: &SizeError) -> String {
    let ratio = MAX_ASPECT;
    match *error {
        SizeError::TooFewPixels {
            width,
            height,
            pixels,
        } => td_string!(
            locale,
            validation.size.too_few_pixels,
            width,
            height,
            pixels = count(locale, pixels as f64),
            min = count(locale, MIN_PIXELS as f64)
        )
        .to_string(),
        SizeError::TooManyPixels {
            width,
            height,
            pixels,
        } => td_string!(
            locale,
            validation.size.too_many_pixels,
            width,
            height,
            pixels = count(locale, pixels as f64),
            max = count(locale, MAX_PIXELS as f64)
        )
        .to_string(),
        SizeError::AspectTooWide { width, height } => {
            td_string!(locale, validation.size.too_wide, width, height, ratio).to_string()
        }
        SizeError::AspectTooTall { width, height } => {
            td_string!(locale, validation.size.too_tall, width, height, ratio).to_string()
        }
    }
}

pub fn image(locale: Locale, error: &ImageError, subject: Subject) -> String {
    if let ImageError::BadUrl(error) = error {
        return url(locale, error, subject);
    }
    let subject = image_subject(locale, subject);
    match error {
        ImageError::Empty => td_string!(locale, validation.image.empty, subject).to_string(),
        ImageError::NotUrlOrDataUri => {
            td_string!(locale, validation.image.not_url_or_data_uri, subject).to_string()
        }
        ImageError::UnsupportedScheme { scheme } => {
            td_string!(locale, validation.image.unsupported_scheme, subject, scheme).to_string()
        }
        // Handled above: an address problem is described as an address.
        ImageError::BadUrl(_) => String::new(),
        ImageError::NotBase64DataUri => {
            td_string!(locale, validation.image.not_base64_data_uri, subject).to_string()
        }
        ImageError::UnsupportedDeclaredType { declared } => td_string!(
            locale,
            validation.image.unsupported_declared_type,
            subject,
            declared
        )
        .to_string(),
        ImageError::InvalidBase64 => {
            td_string!(locale, validation.image.invalid_base64, subject).to_string()
        }
        ImageError::TooLarge { bytes } => td_string!(
            locale,
            validation.image.too_large,
            subject,
            size = megabytes_up(locale, *bytes),
            limit = count(locale, MAX_IMAGE_BYTES as f64)
        )
        .to_string(),
        ImageError::UnrecognisedContent => {
            td_string!(locale, validation.image.unrecognised_content, subject).to_string()
        }
        ImageError::TypeMismatch { declared, actual } => td_string!(
            locale,
            validation.image.type_mismatch,
            subject,
            declared = declared.label(),
            actual = actual.label()
        )
        .to_string(),
    }
}

/// Megabytes rounded up to a tenth, so a file just over the limit never reads as
/// exactly "10.0 MB".
fn megabytes_up(locale: Locale, bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    let tenths = bytes.saturating_mul(10).div_ceil(MIB);
    let megabytes = number(locale, tenths as f64 / 10.0, 1);
    td_string!(locale, units.megabytes, count = megabytes).to_string()
}

pub fn image_count(locale: Locale, error: &ImageCountError) -> String {
    let (min, max) = (MIN_IMAGES, MAX_IMAGES);
    match error {
        ImageCountError::None => td_string!(locale, validation.image.none, min, max).to_string(),
        ImageCountError::TooMany { count } => {
            td_string!(locale, validation.image.too_many, count, max).to_string()
        }
    }
}

pub fn images(locale: Locale, error: &ImagesError) -> String {
    match error {
        ImagesError::Count(error) => image_count(locale, error),
        ImagesError::Invalid { index, error } => image(locale, error, Subject::Numbered(*index)),
    }
}

pub fn sequential(locale: Locale, error: &SequentialError) -> String {
    match *error {
        SequentialError::MaxImagesOutOfRange { value } => {
            let (min, max) = (
                seedream_contract::MAX_IMAGES_RANGE.start(),
                seedream_contract::MAX_IMAGES_RANGE.end(),
            );
            td_string!(
                locale,
                validation.sets.max_images_out_of_range,
                min,
                max,
                value
            )
            .to_string()
        }
        SequentialError::TooManyTotal { inputs, max_images } => {
            let generated = usize::from(max_images);
            td_string!(
                locale,
                validation.sets.too_many_total,
                inputs,
                generated,
                total = inputs.saturating_add(generated),
                limit = MAX_TOTAL_IMAGES,
                allowed = MAX_TOTAL_IMAGES.saturating_sub(inputs)
            )
            .to_string()
        }
    }
}

pub fn url(locale: Locale, error: &UrlError, subject: Subject) -> String {
    let subject = address_subject(locale, subject);
    match error {
        UrlError::Empty => td_string!(locale, validation.url.empty, subject).to_string(),
        UrlError::TooLong { len } => td_string!(
            locale,
            validation.url.too_long,
            subject,
            length = count(locale, *len as f64),
            max = count(locale, MAX_URL_BYTES as f64)
        )
        .to_string(),
        UrlError::ForbiddenCharacter { ch } => td_string!(
            locale,
            validation.url.forbidden_character,
            subject,
            character = describe_char(*ch)
        )
        .to_string(),
        UrlError::MissingScheme => {
            td_string!(locale, validation.url.missing_scheme, subject).to_string()
        }
        UrlError::UnsupportedScheme { scheme } => {
            td_string!(locale, validation.url.unsupported_scheme, subject, scheme).to_string()
        }
        UrlError::MissingHost => {
            td_string!(locale, validation.url.missing_host, subject).to_string()
        }
        UrlError::UserInfo => td_string!(locale, validation.url.user_info, subject).to_string(),
        UrlError::BadPort => td_string!(locale, validation.url.bad_port, subject).to_string(),
        UrlError::BadHost => td_string!(locale, validation.url.bad_host, subject).to_string(),
    }
}
