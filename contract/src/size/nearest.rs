//! Choosing a valid output size for an input image of any dimensions.
//!
//! Used for "match Image 1": the output should have the input's shape, at a
//! sensible resolution, and must pass [`Size::validate`] whatever the input is.
//!
//! Algorithm:
//! 1. A zero side gives [`DEFAULT_SIZE`] (nothing to match).
//! 2. The ratio width/height is clamped to 1/16..=16.
//! 3. If it is within 1% of a recommended ratio, that ratio's 2K preset is used
//!    (a 4000x3000 photo gets the model's own 2304x1728).
//! 4. Otherwise both sides are scaled so the area is the default's (2048², about
//!    4.2 megapixels, comfortably inside 3,686,400..=10,404,496) and rounded to
//!    multiples of 16, the granularity image models work in.
//! 5. Rounding can push the ratio a hair past 16:1; the long side is then stepped
//!    back by 16 until it fits. The pixel count cannot leave its bounds from a
//!    4.2 MP target, but the result is checked anyway and falls back to the
//!    default, so the function never returns an invalid size.

use super::{DEFAULT_SIZE, MAX_ASPECT, RECOMMENDED, Size};

/// Side lengths are multiples of this.
pub const SIZE_STEP: u32 = 16;

/// How close (relative) an input ratio must be to a preset's to snap to it.
const SNAP_TOLERANCE: f64 = 0.01;

/// The valid size closest in shape to `width` x `height` (see the module docs).
pub fn nearest_valid_size(width: u32, height: u32) -> Size {
    if width == 0 || height == 0 {
        return DEFAULT_SIZE;
    }
    let max = f64::from(MAX_ASPECT);
    let ratio = (f64::from(width) / f64::from(height)).clamp(1.0 / max, max);
    if let Some(preset) = RECOMMENDED
        .iter()
        .find(|p| (p.k2.ratio() / ratio - 1.0).abs() <= SNAP_TOLERANCE)
    {
        return preset.k2;
    }
    let area = DEFAULT_SIZE.pixels() as f64;
    let mut w = round_to_step((area * ratio).sqrt());
    let mut h = round_to_step((area / ratio).sqrt());
    let limit = u64::from(MAX_ASPECT);
    while u64::from(w) > limit * u64::from(h) {
        w = w.saturating_sub(SIZE_STEP);
    }
    while u64::from(h) > limit * u64::from(w) {
        h = h.saturating_sub(SIZE_STEP);
    }
    let size = Size::new(w, h);
    if size.validate().is_ok() {
        size
    } else {
        DEFAULT_SIZE
    }
}

/// Rounds to the nearest multiple of [`SIZE_STEP`], at least one step.
/// (`as` from f64 saturates, so no input can overflow.)
fn round_to_step(side: f64) -> u32 {
    let steps = (side / f64::from(SIZE_STEP)).round() as u32;
    steps.max(1).saturating_mul(SIZE_STEP)
}
