//! Reading an incoming submit body (the mock's side) with precise complaints.
//!
//! The body is first parsed to a `serde_json::Value` rather than straight into
//! [`EditRequest`], so each problem can be named: unreadable JSON, a non-object,
//! a missing required field, a field of the wrong JSON type, a value outside a
//! closed set. Order of checks: JSON, object, `prompt` and `image` presence, then
//! each field's type and wire form in the contract's order, then
//! [`EditRequest::validate`]. The first problem found is reported.
//!
//! Decisions: a `null` value counts as absent (required fields then are
//! "required", optional ones take their default); unknown extra keys are ignored,
//! as the provider does not document rejecting them; enum values are matched
//! exactly (lowercase); `sequential_image_generation_max_images` must be a JSON
//! integer (`3.0` and `"3"` are refused).

use serde_json::{Map, Value};

use super::{EditRequest, Field, ValidationError};
use crate::format::{OptimizePromptMode, OutputFormat};
use crate::sequential::{SequentialMode, default_max_images, validate_max_images};
use crate::size::{DEFAULT_SIZE, Size};
use crate::text::truncate_chars;

/// Parses and validates a submit body, filling the documented defaults:
/// size `2048x2048`, `disabled`, max images 15 (in auto mode, when absent,
/// `15 - inputs`: see [`crate::sequential`]), `standard`, `jpeg`.
pub fn parse_submit_body(body: &[u8]) -> Result<EditRequest, ValidationError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| ValidationError::InvalidJson)?;
    let object = value.as_object().ok_or(ValidationError::NotAnObject)?;

    let prompt = required(object, Field::Prompt)?;
    let images = required(object, Field::Image)?;
    let prompt = prompt
        .as_str()
        .ok_or(wrong_type(Field::Prompt, "a string"))?
        .to_owned();
    let image = read_images(images)?;

    let size = match optional_str(object, Field::Size)? {
        Some(text) => text.parse::<Size>()?,
        None => DEFAULT_SIZE,
    };
    let mode = match optional_str(object, Field::SequentialImageGeneration)? {
        Some(text) => SequentialMode::parse(text).ok_or_else(|| {
            unsupported(
                Field::SequentialImageGeneration,
                text,
                SequentialMode::WIRE_VALUES,
            )
        })?,
        None => SequentialMode::Disabled,
    };
    let max_images = read_max_images(object)?;
    let optimize = match optional_str(object, Field::OptimizePromptMode)? {
        Some(text) => OptimizePromptMode::parse(text).ok_or_else(|| {
            unsupported(
                Field::OptimizePromptMode,
                text,
                OptimizePromptMode::WIRE_VALUES,
            )
        })?,
        None => OptimizePromptMode::Standard,
    };
    let output_format = match optional_str(object, Field::OutputFormat)? {
        Some(text) => OutputFormat::parse(text)
            .ok_or_else(|| unsupported(Field::OutputFormat, text, OutputFormat::WIRE_VALUES))?,
        None => OutputFormat::Jpeg,
    };

    let inputs = image.len();
    let request = EditRequest {
        prompt,
        image,
        size,
        sequential_image_generation: mode,
        sequential_image_generation_max_images: max_images
            .unwrap_or_else(|| default_max_images(mode, inputs)),
        optimize_prompt_mode: optimize,
        output_format,
    };
    request.validate()?;
    Ok(request)
}

/// A field that must be present and not null.
fn required(object: &Map<String, Value>, field: Field) -> Result<&Value, ValidationError> {
    present(object, field).ok_or(ValidationError::Missing(field))
}

/// A field's value, treating `null` as absent.
fn present(object: &Map<String, Value>, field: Field) -> Option<&Value> {
    object.get(field.name()).filter(|v| !v.is_null())
}

/// An optional string field.
fn optional_str(
    object: &Map<String, Value>,
    field: Field,
) -> Result<Option<&str>, ValidationError> {
    match present(object, field) {
        None => Ok(None),
        Some(value) => value
            .as_str()
            .map(Some)
            .ok_or(wrong_type(field, "a string")),
    }
}

/// `image`: an array of strings.
fn read_images(value: &Value) -> Result<Vec<String>, ValidationError> {
    let items = value
        .as_array()
        .ok_or(wrong_type(Field::Image, "an array of strings"))?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            item.as_str()
                .map(str::to_owned)
                .ok_or(ValidationError::ImageNotString { index })
        })
        .collect()
}

/// `sequential_image_generation_max_images`: an integer in 1..=15, if present.
fn read_max_images(object: &Map<String, Value>) -> Result<Option<u8>, ValidationError> {
    let field = Field::SequentialImageGenerationMaxImages;
    let Some(value) = present(object, field) else {
        return Ok(None);
    };
    let number = value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
        .ok_or(wrong_type(field, "an integer"))?;
    Ok(Some(validate_max_images(number)?))
}

fn wrong_type(field: Field, expected: &'static str) -> ValidationError {
    ValidationError::WrongType { field, expected }
}

fn unsupported(field: Field, value: &str, allowed: &'static [&'static str]) -> ValidationError {
    ValidationError::UnsupportedValue {
        field,
        value: truncate_chars(value, 40),
        allowed,
    }
}
