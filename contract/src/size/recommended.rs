//! The upstream model's recommended sizes, one 2K and one 3K size per ratio.
//!
//! The app offers these as presets; every one lies inside the pixel and aspect
//! bounds (a test proves it), so a preset can never be refused.

use super::Size;

/// A preset: the ratio's label and its 2K and 3K sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecommendedSize {
    /// The ratio as shown to users, e.g. `"16:9"`.
    pub ratio: &'static str,
    /// The 2K size.
    pub k2: Size,
    /// The 3K size.
    pub k3: Size,
}

const fn preset(ratio: &'static str, k2: (u32, u32), k3: (u32, u32)) -> RecommendedSize {
    RecommendedSize {
        ratio,
        k2: Size::new(k2.0, k2.1),
        k3: Size::new(k3.0, k3.1),
    }
}

/// The recommended sizes, exactly as in the contract's table.
pub const RECOMMENDED: &[RecommendedSize] = &[
    preset("1:1", (2048, 2048), (3072, 3072)),
    preset("4:3", (2304, 1728), (3456, 2592)),
    preset("3:4", (1728, 2304), (2592, 3456)),
    preset("16:9", (2848, 1600), (4096, 2304)),
    preset("9:16", (1600, 2848), (2304, 4096)),
    preset("3:2", (2496, 1664), (3744, 2496)),
    preset("2:3", (1664, 2496), (2496, 3744)),
    preset("21:9", (3136, 1344), (4704, 2016)),
];
