//! The submit request: the wire type, its defaults, and every rule applied to it.
//!
//! The app builds an [`EditRequest`] with [`EditRequest::new`] and the `with_*`
//! methods, calls [`EditRequest::validate`] before spending money, and writes it:
//! every field is always written, so the provider never has to guess a default.
//! The mock reads bodies with [`parse_submit_body`], which reports the exact
//! problem, fills the documented defaults and runs the same validation.
//!
//! The request is generic over what its `image` array holds: text on the server
//! (`EditRequest<String>`, the default), handles to local files in the browser. A
//! browser request is never serialised whole (its images can be 190 MB of base64):
//! [`EditRequest::json_frame`] writes everything around the images, and the browser
//! fills the array in, one image at a time.

mod body;
mod error;

pub use body::parse_submit_body;
pub use error::{CATEGORY_INVALID_FORMAT, CATEGORY_INVALID_PARAMETERS, Field, ValidationError};

use crate::format::{OptimizePromptMode, OutputFormat};
use crate::image::{AsImageRef, MAX_IMAGE_BYTES, MAX_IMAGES, validate_images};
use crate::prompt::{PROMPT_MAX_CHARS, validate_prompt};
use crate::sequential::{
    DEFAULT_MAX_IMAGES, SequentialMode, default_max_images, effective_max_outputs,
    validate_sequential,
};
use crate::size::{DEFAULT_SIZE, Size};

/// The body of `POST /api/v1/bytedance/seedream-5.0-lite-edit/async`.
///
/// The derived `Deserialize` requires every field (it is for trusted round
/// trips); bodies from the network go through [`parse_submit_body`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EditRequest<I = String> {
    /// The edit instruction, 1 to 600 characters.
    pub prompt: String,
    /// 1 to 14 images: http(s) URLs or base64 data URIs (or what stands for them).
    pub image: Vec<I>,
    /// The output size, written `WIDTHxHEIGHT`.
    pub size: Size,
    /// Whether several related images may be returned.
    pub sequential_image_generation: SequentialMode,
    /// The upper bound of generated images in auto mode, 1 to 15.
    pub sequential_image_generation_max_images: u8,
    /// Always `standard`.
    pub optimize_prompt_mode: OptimizePromptMode,
    /// `jpeg` or `png`.
    pub output_format: OutputFormat,
}

impl<I> EditRequest<I> {
    /// A request with the documented defaults: 2048x2048, sequential generation
    /// disabled, max images 15, standard prompt mode, JPEG output.
    pub fn new(prompt: impl Into<String>, images: Vec<I>) -> EditRequest<I> {
        EditRequest {
            prompt: prompt.into(),
            image: images,
            size: DEFAULT_SIZE,
            sequential_image_generation: SequentialMode::Disabled,
            sequential_image_generation_max_images: DEFAULT_MAX_IMAGES,
            optimize_prompt_mode: OptimizePromptMode::Standard,
            output_format: OutputFormat::Jpeg,
        }
    }

    /// Sets the output size.
    pub fn with_size(mut self, size: Size) -> EditRequest<I> {
        self.size = size;
        self
    }

    /// Sets the output format.
    pub fn with_output_format(mut self, format: OutputFormat) -> EditRequest<I> {
        self.output_format = format;
        self
    }

    /// Sets the sequential mode and its maximum. `None` fills the effective
    /// default for the current number of images (`15 - inputs` in auto mode,
    /// 15 when disabled), so call it after the images are set.
    pub fn with_sequential(
        mut self,
        mode: SequentialMode,
        max_images: Option<u8>,
    ) -> EditRequest<I> {
        self.sequential_image_generation = mode;
        self.sequential_image_generation_max_images =
            max_images.unwrap_or_else(|| default_max_images(mode, self.image.len()));
        self
    }

    /// Applies every rule, in the contract's field order, and reports the first
    /// problem: prompt, image count, each image, size, sequential settings.
    pub fn validate(&self) -> Result<(), ValidationError>
    where
        I: AsImageRef,
    {
        validate_prompt(&self.prompt)?;
        validate_images(&self.image)?;
        self.size.validate()?;
        validate_sequential(
            self.sequential_image_generation,
            self.sequential_image_generation_max_images,
            self.image.len(),
        )?;
        Ok(())
    }

    /// How many images the task may return (1 unless sequential generation is on).
    pub fn max_outputs(&self) -> usize {
        effective_max_outputs(
            self.sequential_image_generation,
            Some(self.sequential_image_generation_max_images),
            self.image.len(),
        )
    }

    /// The request's JSON around its images: write [`JsonFrame::head`], then each
    /// image as a JSON string, separated by commas, then [`JsonFrame::tail`].
    ///
    /// Every other field is written by serde from this type, so the field names
    /// live here alone; whoever fills the array in needs no serializer for 190 MB.
    ///
    /// Fails only if serde_json fails to write a string, a number or a unit enum,
    /// which it does not; the error is passed on rather than hidden.
    pub fn json_frame(&self) -> Result<JsonFrame, serde_json::Error> {
        let around = EditRequest::<String> {
            prompt: self.prompt.clone(),
            image: Vec::new(),
            size: self.size,
            sequential_image_generation: self.sequential_image_generation,
            sequential_image_generation_max_images: self.sequential_image_generation_max_images,
            optimize_prompt_mode: self.optimize_prompt_mode,
            output_format: self.output_format,
        };
        let json = serde_json::to_string(&around)?;
        // The key and its empty array. Inside a JSON string every quote is escaped,
        // so whatever the prompt holds, this text can only be the field itself.
        let key = serde_json::to_string(Field::Image.name())?;
        let hole = format!("{key}:[]");
        let (before, after) = json
            .split_once(&hole)
            .ok_or_else(|| <serde_json::Error as serde::ser::Error>::custom("no image field"))?;
        Ok(JsonFrame {
            head: format!("{before}{key}:["),
            tail: format!("]{after}"),
        })
    }
}

/// The JSON of a request with a hole where its images go (see
/// [`EditRequest::json_frame`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFrame {
    /// Everything up to and including the image array's `[`.
    pub head: String,
    /// From the array's `]` to the end of the object.
    pub tail: String,
}

/// The longest accepted data-URI prefix: `data:image/x-ms-bmp;base64,`.
const LONGEST_DATA_URI_PREFIX: usize = "data:image/x-ms-bmp;base64,".len();

/// Base64 length of `bytes` bytes, padded.
const fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// Room for the other fields, key names, and any whitespace a pretty printer adds.
const BODY_SLACK_BYTES: usize = 64 * 1024;

/// The largest body a valid request can have, for the server's body limit.
///
/// Arithmetic: each of the 14 images as a data URI of 10 MiB is
/// `27` (longest prefix, `data:image/x-ms-bmp;base64,`) `+ 13,981,016` (base64 of
/// 10,485,760 bytes: ⌈10,485,760 / 3⌉ × 4) `+ 3` (two quotes and a comma)
/// = 13,981,046 bytes, so 195,734,644 for 14. The prompt is 600 characters
/// escaped at worst as a UTF-16 surrogate pair `\uXXXX\uXXXX`, 12 bytes each,
/// plus quotes: 7,202. Add 64 KiB of slack for the other fields and whitespace:
/// 195,807,382 bytes (about 187 MiB). Base64 characters need no JSON escaping,
/// and no mainstream serializer escapes them, so they are counted once.
pub const MAX_SUBMIT_BODY_BYTES: usize = MAX_IMAGES
    * (LONGEST_DATA_URI_PREFIX + base64_len(MAX_IMAGE_BYTES) + 3)
    + PROMPT_MAX_CHARS * 12
    + 2
    + BODY_SLACK_BYTES;
