//! The output size: `WIDTHxHEIGHT`, 3,686,400 to 10,404,496 pixels, aspect ratio
//! between 1:16 and 16:1.
//!
//! Parsing is strict because the text goes on the wire and the mock must not
//! accept what the provider might refuse: exactly `<digits>x<digits>`, lowercase
//! `x` only, ASCII digits without sign, spaces or leading zeros, each side 1 to
//! `u32::MAX`. (The app can offer [`Size::parse_lenient`] for hand-typed input
//! and always sends the strict [`Display`](std::fmt::Display) form.)
//!
//! Both bounds are inclusive. The upper bound is the contract's 10,404,496
//! (3072 × 3072 × 1.1025 = 10,404,495.36, rounded up by the provider). All
//! comparisons use integer arithmetic in `u64`, so no rounding decides a border
//! case.

mod nearest;
mod recommended;

pub use nearest::{SIZE_STEP, nearest_valid_size};
pub use recommended::{RECOMMENDED, RecommendedSize};

use crate::text::{thousands, truncate_chars};

/// The fewest pixels an output may have (2560x1440).
pub const MIN_PIXELS: u64 = 3_686_400;
/// The most pixels an output may have (3072 × 3072 × 1.1025, rounded up).
pub const MAX_PIXELS: u64 = 10_404_496;
/// The largest allowed ratio of the long side to the short side.
pub const MAX_ASPECT: u32 = 16;
/// The size used when the request does not give one.
pub const DEFAULT_SIZE: Size = Size::new(2048, 2048);

/// An output size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why a size string cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeParseError {
    /// Nothing was given.
    #[error("The size is empty; write it as WIDTHxHEIGHT, e.g. 2048x2048.")]
    Empty,
    /// Not `<digits>x<digits>`.
    #[error(
        "\"{input}\" is not a size; write it as WIDTHxHEIGHT with plain numbers, e.g. 2048x2048."
    )]
    Malformed {
        /// The text (shortened if long).
        input: String,
    },
    /// A side is zero.
    #[error("\"{input}\" has a side of zero pixels.")]
    Zero {
        /// The text (shortened if long).
        input: String,
    },
    /// A side does not fit in 32 bits.
    #[error("\"{input}\" has a side far too large to be an image size.")]
    TooLarge {
        /// The text (shortened if long).
        input: String,
    },
}

/// Why a size is outside the contract's bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// Fewer than [`MIN_PIXELS`].
    #[error(
        "{width}x{height} has {} pixels; the minimum is {} (2560x1440).",
        thousands(*.pixels), thousands(MIN_PIXELS)
    )]
    TooFewPixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// width × height.
        pixels: u64,
    },
    /// More than [`MAX_PIXELS`].
    #[error(
        "{width}x{height} has {} pixels; the maximum is {} (about 3225x3225).",
        thousands(*.pixels), thousands(MAX_PIXELS)
    )]
    TooManyPixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// width × height.
        pixels: u64,
    },
    /// Wider than 16:1.
    #[error(
        "{width}x{height} is more than {MAX_ASPECT} times wider than tall; the widest allowed \
         shape is {MAX_ASPECT}:1."
    )]
    AspectTooWide {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// Taller than 1:16.
    #[error(
        "{width}x{height} is more than {MAX_ASPECT} times taller than wide; the tallest allowed \
         shape is 1:{MAX_ASPECT}."
    )]
    AspectTooTall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

impl Size {
    /// A size from its sides (not validated).
    pub const fn new(width: u32, height: u32) -> Size {
        Size { width, height }
    }

    /// width × height, without overflow.
    pub const fn pixels(self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// width / height as a float, for display and shape comparisons only.
    pub fn ratio(self) -> f64 {
        f64::from(self.width) / f64::from(self.height.max(1))
    }

    /// Checks the bounds: pixel count first, then aspect ratio.
    pub fn validate(self) -> Result<(), SizeError> {
        let Size { width, height } = self;
        let pixels = self.pixels();
        if pixels < MIN_PIXELS {
            return Err(SizeError::TooFewPixels {
                width,
                height,
                pixels,
            });
        }
        if pixels > MAX_PIXELS {
            return Err(SizeError::TooManyPixels {
                width,
                height,
                pixels,
            });
        }
        let (w, h, limit) = (u64::from(width), u64::from(height), u64::from(MAX_ASPECT));
        if w > limit * h {
            return Err(SizeError::AspectTooWide { width, height });
        }
        if h > limit * w {
            return Err(SizeError::AspectTooTall { width, height });
        }
        Ok(())
    }

    /// Reads hand-typed input more forgivingly than [`FromStr`](std::str::FromStr):
    /// surrounding spaces, `x`, `X`, `×` or `*` as separator, spaces around it.
    /// The numbers themselves follow the strict rules.
    pub fn parse_lenient(text: &str) -> Result<Size, SizeParseError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(SizeParseError::Empty);
        }
        let (w, h) = trimmed
            .split_once(['x', 'X', '×', '*'])
            .ok_or_else(|| malformed(text))?;
        parse_sides(text, w.trim_end(), h.trim_start())
    }
}

impl Default for Size {
    fn default() -> Self {
        DEFAULT_SIZE
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl std::str::FromStr for Size {
    type Err = SizeParseError;

    /// Strict wire form: `<digits>x<digits>` (see the module docs).
    fn from_str(text: &str) -> Result<Size, SizeParseError> {
        if text.is_empty() {
            return Err(SizeParseError::Empty);
        }
        let (w, h) = text.split_once('x').ok_or_else(|| malformed(text))?;
        parse_sides(text, w, h)
    }
}

fn malformed(input: &str) -> SizeParseError {
    SizeParseError::Malformed {
        input: truncate_chars(input, 40),
    }
}

/// Parses both sides, reporting shape problems before zero or overflow.
fn parse_sides(input: &str, w: &str, h: &str) -> Result<Size, SizeParseError> {
    let width = parse_side(w).map_err(|kind| kind.into_error(input));
    let height = parse_side(h).map_err(|kind| kind.into_error(input));
    match (width, height) {
        (Ok(width), Ok(height)) => Ok(Size { width, height }),
        (Err(a), Err(b)) => Err(if matches!(b, SizeParseError::Malformed { .. }) {
            b
        } else {
            a
        }),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

enum SideProblem {
    Malformed,
    Zero,
    TooLarge,
}

impl SideProblem {
    fn into_error(self, input: &str) -> SizeParseError {
        let input = truncate_chars(input, 40);
        match self {
            Self::Malformed => SizeParseError::Malformed { input },
            Self::Zero => SizeParseError::Zero { input },
            Self::TooLarge => SizeParseError::TooLarge { input },
        }
    }
}

/// One side: ASCII digits only, no leading zero (a lone `0` is "zero").
fn parse_side(text: &str) -> Result<u32, SideProblem> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SideProblem::Malformed);
    }
    if text == "0" {
        return Err(SideProblem::Zero);
    }
    if text.starts_with('0') {
        return Err(SideProblem::Malformed);
    }
    text.parse::<u32>().map_err(|_| SideProblem::TooLarge)
}

impl serde::Serialize for Size {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Size {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
