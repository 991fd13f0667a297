//! What can be wrong with a submit request, phrased once for both sides.
//!
//! [`Display`](std::fmt::Display) is the detail a user reads next to the field;
//! [`ValidationError::api_message`] is the contract's envelope message
//! `"<Category>: <detail>"` that the mock answers with HTTP 400. The two
//! documented messages are reproduced exactly: `Invalid format: invalid JSON
//! format` and `Invalid parameters: parameter '<name>' is required`.

use crate::image::{ImageCountError, ImageError, ImagesError};
use crate::prompt::PromptError;
use crate::sequential::SequentialError;
use crate::size::{SizeError, SizeParseError};

/// A field of the submit body, by its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `prompt`
    Prompt,
    /// `image`
    Image,
    /// `size`
    Size,
    /// `sequential_image_generation`
    SequentialImageGeneration,
    /// `sequential_image_generation_max_images`
    SequentialImageGenerationMaxImages,
    /// `optimize_prompt_mode`
    OptimizePromptMode,
    /// `output_format`
    OutputFormat,
}

impl Field {
    /// Every field, in the contract's order.
    pub const ALL: [Field; 7] = [
        Self::Prompt,
        Self::Image,
        Self::Size,
        Self::SequentialImageGeneration,
        Self::SequentialImageGenerationMaxImages,
        Self::OptimizePromptMode,
        Self::OutputFormat,
    ];

    /// The JSON key.
    pub fn name(self) -> &'static str {
        match self {
            Self::Prompt => "prompt",
            Self::Image => "image",
            Self::Size => "size",
            Self::SequentialImageGeneration => "sequential_image_generation",
            Self::SequentialImageGenerationMaxImages => "sequential_image_generation_max_images",
            Self::OptimizePromptMode => "optimize_prompt_mode",
            Self::OutputFormat => "output_format",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The category of the mock's error message for malformed bodies.
pub const CATEGORY_INVALID_FORMAT: &str = "Invalid format";
/// The category of the mock's error message for refused values.
pub const CATEGORY_INVALID_PARAMETERS: &str = "Invalid parameters";

/// Why a submit request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The body is not JSON (the contract's exact wording).
    #[error("invalid JSON format")]
    InvalidJson,
    /// The body is JSON but not an object.
    #[error("the request body must be a JSON object")]
    NotAnObject,
    /// A required field is absent or null (the contract's exact wording).
    #[error("parameter '{0}' is required")]
    Missing(Field),
    /// A field has the wrong JSON type.
    #[error("parameter '{field}' must be {expected}")]
    WrongType {
        /// The field.
        field: Field,
        /// What it must be, e.g. "a string".
        expected: &'static str,
    },
    /// An item of `image` is not a string.
    #[error("Image {} must be a string (an http(s) address or a data URI).", .index.saturating_add(1))]
    ImageNotString {
        /// 0-based position.
        index: usize,
    },
    /// A value outside a closed set of strings.
    #[error(
        "parameter '{field}' must be {}; \"{value}\" is not supported",
        one_of(.allowed)
    )]
    UnsupportedValue {
        /// The field.
        field: Field,
        /// The value given (shortened if long).
        value: String,
        /// The accepted wire values.
        allowed: &'static [&'static str],
    },
    /// The prompt rule.
    #[error(transparent)]
    Prompt(#[from] PromptError),
    /// The image count rule.
    #[error(transparent)]
    ImageCount(#[from] ImageCountError),
    /// One image is refused (0-based `index`; the message says `index + 1`).
    #[error("{}", .error.describe_at(*.index))]
    Image {
        /// 0-based position.
        index: usize,
        /// What is wrong with it.
        error: ImageError,
    },
    /// The size text cannot be read.
    #[error(transparent)]
    SizeFormat(#[from] SizeParseError),
    /// The size is out of bounds.
    #[error(transparent)]
    Size(#[from] SizeError),
    /// The sequential settings are refused.
    #[error(transparent)]
    Sequential(#[from] SequentialError),
}

/// `"a"`, `"a" or "b"`, `one of "a", "b", "c"`.
fn one_of(allowed: &[&str]) -> String {
    match allowed {
        [] => "empty".to_owned(),
        [only] => format!("\"{only}\""),
        [a, b] => format!("\"{a}\" or \"{b}\""),
        more => format!(
            "one of {}",
            more.iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl From<ImagesError> for ValidationError {
    fn from(error: ImagesError) -> Self {
        match error {
            ImagesError::Count(e) => Self::ImageCount(e),
            ImagesError::Invalid { index, error } => Self::Image { index, error },
        }
    }
}

impl ValidationError {
    /// The field the problem belongs to, so a form can show it in place;
    /// `None` for problems with the body as a whole.
    pub fn field(&self) -> Option<Field> {
        match self {
            Self::InvalidJson | Self::NotAnObject => None,
            Self::Missing(field)
            | Self::WrongType { field, .. }
            | Self::UnsupportedValue { field, .. } => Some(*field),
            Self::Prompt(_) => Some(Field::Prompt),
            Self::ImageNotString { .. } | Self::ImageCount(_) | Self::Image { .. } => {
                Some(Field::Image)
            }
            Self::SizeFormat(_) | Self::Size(_) => Some(Field::Size),
            Self::Sequential(_) => Some(Field::SequentialImageGenerationMaxImages),
        }
    }

    /// The envelope category: "Invalid format" for an unreadable body,
    /// "Invalid parameters" for everything else.
    pub fn category(&self) -> &'static str {
        match self {
            Self::InvalidJson | Self::NotAnObject => CATEGORY_INVALID_FORMAT,
            _ => CATEGORY_INVALID_PARAMETERS,
        }
    }

    /// The contract's envelope message, `"<Category>: <detail>"`.
    pub fn api_message(&self) -> String {
        format!("{}: {}", self.category(), self)
    }

    /// The HTTP status the mock answers with: always 400.
    pub fn http_status(&self) -> u16 {
        400
    }

    /// The full error body the mock writes: `{"code":400,"message":"..."}`.
    pub fn error_body(&self) -> String {
        crate::answer::ApiError::error_envelope_body(self.http_status(), &self.api_message())
    }
}
