//! Sequential ("group") generation and its image-count budget.
//!
//! The contract: `sequential_image_generation` is `auto` (the model may return a
//! set of related images) or `disabled` (one image, the default);
//! `sequential_image_generation_max_images` is 1 to 15 (default 15), an upper
//! bound the model may undershoot; and input images + generated images never
//! exceed 15.
//!
//! Rule decisions (the provider documents the budget, not how it is enforced):
//! - `max_images` must be within 1..=15 whenever it is present, in either mode.
//! - In `auto` mode an explicitly given `max_images` must satisfy
//!   `inputs + max_images <= 15`; otherwise the request is refused and the message
//!   names both numbers. In `disabled` mode the sum is not checked: one image is
//!   produced whatever `max_images` says.
//! - When `max_images` is absent, the default 15 is only an upper bound: the
//!   effective limit is `15 - inputs`. A body parsed without it is filled with
//!   that effective limit in `auto` mode (and 15 in `disabled` mode), so the
//!   filled request still validates and states what will actually happen.

use std::ops::RangeInclusive;

/// Whether the model may return several related images.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SequentialMode {
    /// The model decides how many images (up to the budget) to return.
    Auto,
    /// Exactly one output image.
    #[default]
    Disabled,
}

impl SequentialMode {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Disabled => "disabled",
        }
    }

    /// Reads the wire spelling (exact, lowercase).
    pub fn parse(text: &str) -> Option<SequentialMode> {
        match text {
            "auto" => Some(Self::Auto),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }

    /// The wire values, for messages and pickers.
    pub const WIRE_VALUES: &'static [&'static str] = &["auto", "disabled"];
}

/// Input images + generated images never exceed this.
pub const MAX_TOTAL_IMAGES: usize = 15;
/// The allowed values of `sequential_image_generation_max_images`.
pub const MAX_IMAGES_RANGE: RangeInclusive<u8> = 1..=15;
/// The documented default of `sequential_image_generation_max_images`.
pub const DEFAULT_MAX_IMAGES: u8 = 15;

/// Why the sequential settings are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SequentialError {
    /// `max_images` outside 1..=15 (kept wide so any JSON integer can be reported).
    #[error("The maximum number of generated images must be between 1 and 15; {value} is not.")]
    MaxImagesOutOfRange {
        /// The value given.
        value: i128,
    },
    /// In auto mode, inputs + max_images exceeds 15.
    #[error("{}", too_many_total_message(*.inputs, *.max_images))]
    TooManyTotal {
        /// Number of input images.
        inputs: usize,
        /// The requested maximum of generated images.
        max_images: u8,
    },
}

fn too_many_total_message(inputs: usize, max_images: u8) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let max = usize::from(max_images);
    format!(
        "{inputs} input image{} + up to {max} generated image{} makes {}; the total may be at \
         most {MAX_TOTAL_IMAGES}, so allow at most {} generated image{}.",
        plural(inputs),
        plural(max),
        inputs.saturating_add(max),
        MAX_TOTAL_IMAGES.saturating_sub(inputs),
        plural(MAX_TOTAL_IMAGES.saturating_sub(inputs)),
    )
}

/// Checks `max_images` alone: 1..=15.
pub fn validate_max_images(value: i128) -> Result<u8, SequentialError> {
    u8::try_from(value)
        .ok()
        .filter(|v| MAX_IMAGES_RANGE.contains(v))
        .ok_or(SequentialError::MaxImagesOutOfRange { value })
}

/// Checks the settings against the number of input images (see the module docs).
pub fn validate_sequential(
    mode: SequentialMode,
    max_images: u8,
    inputs: usize,
) -> Result<(), SequentialError> {
    validate_max_images(i128::from(max_images))?;
    if mode == SequentialMode::Auto
        && inputs.saturating_add(usize::from(max_images)) > MAX_TOTAL_IMAGES
    {
        return Err(SequentialError::TooManyTotal { inputs, max_images });
    }
    Ok(())
}

/// The largest `max_images` allowed with `inputs` input images: `15 - inputs`
/// (0 when there are already 15 or more), for the app to clamp its picker.
pub fn max_images_limit(inputs: usize) -> u8 {
    u8::try_from(MAX_TOTAL_IMAGES.saturating_sub(inputs)).unwrap_or(DEFAULT_MAX_IMAGES)
}

/// The value to fill when `max_images` is absent: the effective limit in auto
/// mode (at least 1, so the filled value stays in range), 15 when disabled.
pub fn default_max_images(mode: SequentialMode, inputs: usize) -> u8 {
    match mode {
        SequentialMode::Auto => max_images_limit(inputs).max(1),
        SequentialMode::Disabled => DEFAULT_MAX_IMAGES,
    }
}

/// How many images the task may return: 1 when disabled; in auto mode the
/// smaller of `max_images` (default 15) and `15 - inputs`.
pub fn effective_max_outputs(mode: SequentialMode, max_images: Option<u8>, inputs: usize) -> usize {
    match mode {
        SequentialMode::Disabled => 1,
        SequentialMode::Auto => usize::from(max_images.unwrap_or(DEFAULT_MAX_IMAGES))
            .min(MAX_TOTAL_IMAGES.saturating_sub(inputs)),
    }
}
