//! Why an image (or the list of images) is refused.
//!
//! Messages name the image by its 1-based position ("Image 3 ...") because
//! prompts refer to images that way ("put the hat from image 2 on image 1").

use super::{ImageFormat, MAX_IMAGE_BYTES, MAX_IMAGES, MIN_IMAGES};
use crate::text::{megabytes_ceil, thousands};
use crate::url::UrlError;

/// Why one image reference is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The reference is empty (or a data URI with no data).
    Empty,
    /// Neither `http(s)://...` nor `data:...`.
    NotUrlOrDataUri,
    /// A URL with a scheme other than http, https or data.
    UnsupportedScheme {
        /// The scheme as written.
        scheme: String,
    },
    /// An http(s) URL that fails the URL rules.
    BadUrl(UrlError),
    /// A `data:` URI that is not `data:image/<fmt>;base64,<data>`.
    NotBase64DataUri,
    /// A data URI whose media type is not one of the supported image types.
    UnsupportedDeclaredType {
        /// The declared media type, e.g. `image/svg+xml` or `text/plain`.
        declared: String,
    },
    /// The payload is not valid padded standard base64.
    InvalidBase64,
    /// The decoded image is larger than [`MAX_IMAGE_BYTES`].
    TooLarge {
        /// The decoded size in bytes.
        bytes: u64,
    },
    /// The decoded bytes are not a supported image format.
    UnrecognisedContent,
    /// The declared type and the actual bytes disagree.
    TypeMismatch {
        /// What the data URI claims.
        declared: ImageFormat,
        /// What the bytes are.
        actual: ImageFormat,
    },
}

impl ImageError {
    /// The message with a chosen subject: "The image" or "Image 3".
    pub fn describe(&self, subject: &str) -> String {
        match self {
            Self::Empty => format!("{subject} is empty."),
            Self::NotUrlOrDataUri => {
                format!("{subject} is neither an http(s) address nor a data:image/…;base64 URI.")
            }
            Self::UnsupportedScheme { scheme } => format!(
                "{subject} uses the {scheme}: scheme; use an http(s) address or a \
                 data:image/…;base64 URI."
            ),
            Self::BadUrl(error) => error.describe(&format!("{subject}'s address")),
            Self::NotBase64DataUri => format!(
                "{subject} is a data URI but not in the form data:image/<format>;base64,<data>."
            ),
            Self::UnsupportedDeclaredType { declared } => format!(
                "{subject} is declared as {declared}; supported formats are JPEG, PNG, WEBP, \
                 BMP, TIFF and GIF."
            ),
            Self::InvalidBase64 => format!("{subject} has corrupt base64 data."),
            Self::TooLarge { bytes } => format!(
                "{subject} is {}; each image may be at most 10 MB ({} bytes).",
                megabytes_ceil(*bytes),
                thousands(MAX_IMAGE_BYTES as u64)
            ),
            Self::UnrecognisedContent => {
                format!("{subject} is not a JPEG, PNG, WEBP, BMP, TIFF or GIF image.")
            }
            Self::TypeMismatch { declared, actual } => {
                format!("{subject} says it is {declared} but its bytes are {actual}.")
            }
        }
    }

    /// The message for the image at a 0-based `index`, naming it "Image {index + 1}".
    pub fn describe_at(&self, index: usize) -> String {
        self.describe(&format!("Image {}", index.saturating_add(1)))
    }
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe("The image"))
    }
}

/// Why the number of images is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageCountError {
    /// No image at all.
    #[error("Add at least {MIN_IMAGES} image; an edit needs {MIN_IMAGES} to {MAX_IMAGES} images.")]
    None,
    /// More than [`MAX_IMAGES`].
    #[error("There are {count} images; at most {MAX_IMAGES} are allowed.")]
    TooMany {
        /// How many were given.
        count: usize,
    },
}

/// Why a list of images is refused: its length, or one of its items.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImagesError {
    /// The number of images is out of range.
    #[error(transparent)]
    Count(#[from] ImageCountError),
    /// The image at `index` (0-based; messages say `index + 1`) is refused.
    #[error("{}", .error.describe_at(*.index))]
    Invalid {
        /// 0-based position in the list.
        index: usize,
        /// What is wrong with it.
        error: ImageError,
    },
}
