//! The image rules: 1 to 14 images, each an http(s) URL or a base64 data URI of
//! a supported format, at most 10 MB.
//!
//! "10 MB" is read as 10 MiB (10 × 1024 × 1024 = 10,485,760 bytes). The
//! provider does not say which unit it means; this is the reading the project
//! chose, and it is what Windows and most file pickers show as "10 MB". If the
//! provider meant 10,000,000 bytes, files between the two sizes pass here and are
//! refused there, so the constant is the one place to change. The limit applies
//! to the *decoded* image, not to the base64 text.
//!
//! The rules work on what an image *is* ([`ImageRef`]): an http(s) URL, a data URI
//! as text (what the server receives), or a local image whose bytes the caller holds
//! elsewhere and describes by size and sniffed format (what the browser app holds: a
//! `File`, never its bytes). A data URI is reduced to the same description, so the
//! size and format rules ([`check_local`]) are written once for both.
//!
//! A data URI is checked without decoding it (see [`is_canonical_base64`] and
//! [`decoded_len`]): the payload is scanned once, its decoded size comes from its
//! length and padding, and only its first 12 bytes are decoded to confirm the
//! declared format. A URL is only checked for shape; what it points at is the
//! provider's business.

mod base64_scan;
mod error;
mod format;

pub use base64_scan::{decoded_len, is_canonical_base64};
pub use error::{ImageCountError, ImageError, ImagesError};
pub use format::{ImageFormat, SNIFF_BYTES};

use crate::url::{UrlError, parse_http_url};

/// The fewest images an edit takes.
pub const MIN_IMAGES: usize = 1;
/// The most images an edit takes.
pub const MAX_IMAGES: usize = 14;
/// The largest image, decoded, in bytes: "10 MB" read as 10 MiB.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// What a valid image reference turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// An http(s) URL (the text as given).
    Url(String),
    /// A base64 data URI; the payload itself is not copied.
    DataUri {
        /// The format, declared and confirmed by the bytes.
        format: ImageFormat,
        /// The decoded size in bytes.
        decoded_len: usize,
    },
}

/// An image as the rules see it: no more than they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRef<'a> {
    /// The text that travels in the request: an http(s) URL or a data URI.
    Text(&'a str),
    /// A local image to be sent as a data URI, described without its bytes.
    Local {
        /// Its size in bytes (decoded, as the limit counts it).
        bytes: u64,
        /// The format its first bytes show.
        format: ImageFormat,
    },
}

/// Anything a request's `image` array can hold, seen as an [`ImageRef`].
///
/// The server's requests hold text (`String`); the browser app's hold handles to
/// local files, which implement this with their size and format.
pub trait AsImageRef {
    /// What the rules check.
    fn as_image_ref(&self) -> ImageRef<'_>;
}

impl AsImageRef for String {
    fn as_image_ref(&self) -> ImageRef<'_> {
        ImageRef::Text(self)
    }
}

impl AsImageRef for str {
    fn as_image_ref(&self) -> ImageRef<'_> {
        ImageRef::Text(self)
    }
}

/// Checks one image, whatever form it takes.
pub fn validate_image(image: ImageRef<'_>) -> Result<ImageSource, ImageError> {
    match image {
        ImageRef::Text(text) => validate_image_ref(text),
        ImageRef::Local { bytes, format } => check_local(bytes, format),
    }
}

/// The size rule of an image sent inline: not empty, at most [`MAX_IMAGE_BYTES`].
/// Checkable before anything is read (a browser knows `File.size` at once).
pub fn check_image_bytes(bytes: u64) -> Result<(), ImageError> {
    if bytes == 0 {
        Err(ImageError::Empty)
    } else if bytes > MAX_IMAGE_BYTES as u64 {
        Err(ImageError::TooLarge { bytes })
    } else {
        Ok(())
    }
}

/// The rules for an image sent inline: [`check_image_bytes`]; its format is one of
/// the supported ones by construction (it was sniffed).
pub fn check_local(bytes: u64, format: ImageFormat) -> Result<ImageSource, ImageError> {
    check_image_bytes(bytes)?;
    Ok(ImageSource::DataUri {
        format,
        decoded_len: usize::try_from(bytes).unwrap_or(MAX_IMAGE_BYTES),
    })
}

/// Checks one image reference: an http(s) URL or `data:image/<fmt>;base64,<data>`.
///
/// For a data URI the media type must be `image/<subtype>` with a supported
/// subtype, followed by exactly `;base64` (no other parameters, matching what the
/// contract documents); the payload must be canonical padded standard base64 whose
/// decoded size is at most [`MAX_IMAGE_BYTES`] and whose bytes start with the
/// magic number of the declared format. The `data:`, `image/` and `base64` words
/// are matched case-insensitively, as RFC 2397 allows.
pub fn validate_image_ref(reference: &str) -> Result<ImageSource, ImageError> {
    if reference.is_empty() {
        return Err(ImageError::Empty);
    }
    if let Some(after) = strip_prefix_ignore_case(reference, "data:") {
        return validate_data_uri(after);
    }
    match parse_http_url(reference) {
        Ok(url) => Ok(ImageSource::Url(url.as_str().to_owned())),
        Err(UrlError::MissingScheme) => Err(ImageError::NotUrlOrDataUri),
        Err(UrlError::UnsupportedScheme { scheme }) => {
            Err(ImageError::UnsupportedScheme { scheme })
        }
        Err(other) => Err(ImageError::BadUrl(other)),
    }
}

/// Checks the part of a data URI after `data:`.
fn validate_data_uri(after_data: &str) -> Result<ImageSource, ImageError> {
    let (header, payload) = after_data
        .split_once(',')
        .ok_or(ImageError::NotBase64DataUri)?;
    let (media_type, encoding) = match header.split_once(';') {
        Some((media_type, params)) => (media_type, Some(params)),
        None => (header, None),
    };
    if media_type.is_empty() {
        return Err(ImageError::NotBase64DataUri);
    }
    let declared = strip_prefix_ignore_case(media_type, "image/")
        .and_then(ImageFormat::from_mime_subtype)
        .ok_or_else(|| ImageError::UnsupportedDeclaredType {
            declared: crate::text::truncate_chars(media_type, 40),
        })?;
    if !encoding.is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
        return Err(ImageError::NotBase64DataUri);
    }
    let payload = payload.as_bytes();
    if payload.is_empty() {
        return Err(ImageError::Empty);
    }
    let size = decoded_len(payload).ok_or(ImageError::InvalidBase64)?;
    // The size rule before the scan: an oversized payload is not worth scanning.
    if size > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge { bytes: size as u64 });
    }
    if !is_canonical_base64(payload) {
        return Err(ImageError::InvalidBase64);
    }
    let head = base64_scan::decode_prefix(payload).ok_or(ImageError::InvalidBase64)?;
    let actual = ImageFormat::sniff(&head).ok_or(ImageError::UnrecognisedContent)?;
    if actual != declared {
        return Err(ImageError::TypeMismatch { declared, actual });
    }
    check_local(size as u64, declared)
}

/// `text` without `prefix`, compared ASCII-case-insensitively.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// Checks the number of images: [`MIN_IMAGES`] to [`MAX_IMAGES`].
pub fn validate_image_count(count: usize) -> Result<(), ImageCountError> {
    if count < MIN_IMAGES {
        Err(ImageCountError::None)
    } else if count > MAX_IMAGES {
        Err(ImageCountError::TooMany { count })
    } else {
        Ok(())
    }
}

/// Checks the whole list: its length first, then each image in order, reporting
/// the first refused image with its position.
pub fn validate_images<I: AsImageRef>(images: &[I]) -> Result<Vec<ImageSource>, ImagesError> {
    validate_image_count(images.len())?;
    images
        .iter()
        .enumerate()
        .map(|(index, image)| {
            validate_image(image.as_image_ref())
                .map_err(|error| ImagesError::Invalid { index, error })
        })
        .collect()
}

/// Checks every image and returns all problems (0-based index, error), so a form
/// can mark each bad image at once instead of one per submit.
pub fn image_errors<I: AsImageRef>(images: &[I]) -> Vec<(usize, ImageError)> {
    images
        .iter()
        .enumerate()
        .filter_map(|(index, image)| {
            validate_image(image.as_image_ref())
                .err()
                .map(|e| (index, e))
        })
        .collect()
}

/// Builds a data URI for raw image bytes, declaring the format their magic number
/// shows (the app uses this for dropped files so declaration and content agree).
pub fn data_uri_for(bytes: &[u8]) -> Option<String> {
    use base64::Engine as _;
    let format = ImageFormat::sniff(bytes)?;
    let mut uri = format.data_uri_prefix();
    base64::engine::general_purpose::STANDARD.encode_string(bytes, &mut uri);
    Some(uri)
}
