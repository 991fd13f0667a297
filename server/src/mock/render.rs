//! Result images for the mock API: pure, synchronous pixel work (callers run it in
//! `spawn_blocking`). Outputs are visibly derived from the decoded inputs when there are
//! any, otherwise drawn from a hash of the prompt, and always deterministic.
//!
//! The picture is computed at one cell per 8x8 output block (a visible mosaic, at most
//! ~0.26 megapixels of per-pixel work), scaled up and encoded by `image`. Tests render
//! many images in debug builds, so the root Cargo.toml optimises this crate a little:
//! `image`'s encoders and pixel buffers are generic, so compiled at this crate's level.

use anyhow::{Context, bail};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{Rgb, RgbImage};

use super::decode::SourceImage;

/// Each output pixel block of this side is one cell of the computed picture.
const BLOCK: u32 = 8;
/// Above anything the contract allows (up to 10,404,496 pixels, aspect up to 16:1, so
/// sides up to about 12,900), small enough to refuse absurd requests.
const MAX_SIDE: u32 = 16384;
const MAX_PIXELS: u64 = 4096 * 4096;
/// Plenty for flat 8x8 blocks, which code as their DC coefficient alone.
const JPEG_QUALITY: u8 = 80;
/// Golden-ratio step, so hues for consecutive indexes are far apart.
const GOLDEN: f32 = 0.618_034;

/// The two encodings the contract's `output_format` allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Jpeg,
    Png,
}

impl Encoding {
    /// The Content-Type to serve the encoded bytes with.
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Jpeg => "image/jpeg",
            Encoding::Png => "image/png",
        }
    }

    /// A file extension matching the contract's wire values ("jpeg", "png").
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Jpeg => "jpeg",
            Encoding::Png => "png",
        }
    }
}

/// What one output image should look like.
pub struct RenderSpec<'a> {
    pub width: u32,
    pub height: u32,
    pub encoding: Encoding,
    /// 0-based position of this output in the set.
    pub index: usize,
    /// How many outputs the set has.
    pub count: usize,
    pub prompt: &'a str,
    /// Decoded inputs; may be empty.
    pub sources: &'a [SourceImage],
}

/// Draws and encodes one output image: the encoded bytes decode to exactly
/// `width` x `height`. Errors (never panics) on a zero or absurd size.
///
/// The picture is computed on a grid of one pixel per 8x8 block of the output, then
/// scaled up by [`BLOCK`] (nearest neighbour) and cropped to size, so both encodings show
/// the same mosaic and JPEG's 8x8 blocks are flat.
pub fn render(spec: &RenderSpec<'_>) -> anyhow::Result<Vec<u8>> {
    let (width, height) = (spec.width, spec.height);
    if width == 0
        || height == 0
        || width.max(height) > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        bail!(
            "cannot render a {width}x{height} image (sides 1..={MAX_SIDE}, at most {MAX_PIXELS} pixels)"
        );
    }
    let (grid_w, grid_h) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let seed = fnv1a(spec.prompt.as_bytes());
    let source = spec
        .index
        .checked_rem(spec.sources.len())
        .and_then(|i| spec.sources.get(i));
    let mut grid = match source {
        Some(source) => edit(source, grid_w, grid_h, seed, spec.index),
        None => pattern(grid_w, grid_h, seed, spec.index),
    };
    draw_index_band(&mut grid, spec.index, spec.count);
    let image = RgbImage::from_fn(width, height, |x, y| *grid.get_pixel(x / BLOCK, y / BLOCK));
    let mut bytes = Vec::new();
    match spec.encoding {
        Encoding::Jpeg => {
            image.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
        }
        // `Fast` deflates with `fdeflate`, the quickest mode; filtering shrinks flat blocks.
        Encoding::Png => image.write_with_encoder(PngEncoder::new_with_quality(
            &mut bytes,
            CompressionType::Fast,
            FilterType::Adaptive,
        )),
    }
    .with_context(|| format!("encoding a {width}x{height} {:?}", spec.encoding))?;
    Ok(bytes)
}

/// The source scaled to cover `w` x `h` (centre crop), colour-graded towards a hue from
/// the prompt and index, vignetted, and posterised on odd indexes.
fn edit(source: &SourceImage, w: u32, h: u32, seed: u64, index: usize) -> RgbImage {
    let (sw, sh) = source.dimensions();
    let scale = (f64::from(w) / f64::from(sw)).max(f64::from(h) / f64::from(sh));
    let crop_w = ((f64::from(w) / scale).round() as u32).clamp(1, sw);
    let crop_h = ((f64::from(h) / scale).round() as u32).clamp(1, sh);
    // Area-averaged by `image` (non-generic, so optimised even in debug builds).
    let crop = source
        .pixels
        .crop_imm((sw - crop_w) / 2, (sh - crop_h) / 2, crop_w, crop_h);
    let mut image = crop.thumbnail_exact(w, h).into_rgb8();
    let tint = hsv(unit(seed, 1) + index as f32 * GOLDEN, 0.85, 1.0);
    let vignette = 0.25 + 0.15 * (index % 3) as f32;
    // Posterised to 3, 4 or 5 levels on odd indexes; 255 levels is no visible change.
    let levels = [255.0, 3.0, 255.0, 4.0, 255.0, 5.0][index % 6];
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        let [r, g, b] = pixel.0.map(|c| f32::from(c) / 255.0);
        let luma = 0.299 * r + 0.587 * g + 0.114 * b;
        let dx = (x as f32 + 0.5) / w as f32 - 0.5;
        let dy = (y as f32 + 0.5) / h as f32 - 0.5;
        let shade = 1.0 - vignette * (dx * dx + dy * dy) * 2.0;
        // Keep most of the original colour so the input stays recognisable.
        for ((o, c), t) in pixel.0.iter_mut().zip([r, g, b]).zip(tint) {
            let c = (0.62 * c + 0.38 * luma * t) * shade;
            *o = to_u8((c * levels).round() / levels);
        }
    }
    image
}

/// A stable picture from the prompt alone: a tilted two-colour gradient with accent rings,
/// its hues, angle and ring centre shifted per index.
fn pattern(w: u32, h: u32, seed: u64, index: usize) -> RgbImage {
    let i = index as f32;
    let hue = unit(seed, 2 << 60) + i * GOLDEN;
    let (from, to) = (hsv(hue, 0.65, 0.95), hsv(hue + 0.45, 0.75, 0.4));
    let accent = hsv(hue + 0.2, 0.5, 1.0);
    let angle = unit(seed, 1 << 60) * std::f32::consts::TAU + i * 0.9;
    let (cos, sin) = (angle.cos(), angle.sin());
    let stream = (index as u64).wrapping_mul(2);
    let (cx, cy) = (unit(seed, stream ^ 4), unit(seed, stream ^ 5));
    let freq = 20.0 + 30.0 * unit(seed, 3 << 60);
    let long = w.max(h) as f32;
    RgbImage::from_fn(w, h, |x, y| {
        let (u, v) = ((x as f32 + 0.5) / w as f32, (y as f32 + 0.5) / h as f32);
        let t = ((u - 0.5) * cos + (v - 0.5) * sin + 0.5).clamp(0.0, 1.0);
        let d = ((u - cx) * w as f32).hypot((v - cy) * h as f32) / long;
        let ring = (0.5 + 0.5 * (d * freq).sin()).powi(6) * 0.6;
        let mut out = [0u8; 3];
        for ((o, (a, b)), c) in out.iter_mut().zip(from.iter().zip(to)).zip(accent) {
            let base = a + (b - a) * t;
            *o = to_u8(base + (c - base) * ring);
        }
        Rgb(out)
    })
}

/// A band along the bottom split into `count` cells, the cell at `index` lit in a hue
/// that is `index / count` around the colour wheel: a set's outputs are told apart even
/// when they share a source.
fn draw_index_band(image: &mut RgbImage, index: usize, count: usize) {
    let (w, h) = image.dimensions();
    let band = (h / 12).max(1);
    let count = count.max(index.saturating_add(1)) as u64;
    let lit = hsv(index as f32 / count as f32, 0.9, 1.0).map(to_u8);
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        if y >= h - band {
            let cell = u64::from(x) * count / u64::from(w);
            *pixel = Rgb(if cell == index as u64 { lit } else { [24; 3] });
        }
    }
}

/// FNV-1a: a hash that, unlike `DefaultHasher`, is stable across Rust releases.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A number in [0, 1) derived from `seed` and a stream id (splitmix64 finaliser).
fn unit(seed: u64, stream: u64) -> f32 {
    let mut z = seed.wrapping_add(stream.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
}

/// HSV to RGB in [0, 1]; the hue wraps.
fn hsv(hue: f32, s: f32, v: f32) -> [f32; 3] {
    let h = hue.rem_euclid(1.0) * 6.0;
    let c = v * s;
    let x = c * (1.0 - ((h % 2.0) - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    [r, g, b].map(|channel| channel + v - c)
}

fn to_u8(c: f32) -> u8 {
    (c.clamp(0.0, 1.0) * 255.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::decode::decode_source;
    use crate::mock::test_images::{encode, solid};
    use image::ImageFormat::*;

    fn source(image: RgbImage) -> SourceImage {
        decode_source(&encode(image, Png)).unwrap()
    }

    fn spec(
        w: u32,
        h: u32,
        encoding: Encoding,
        index: usize,
        sources: &[SourceImage],
    ) -> RenderSpec<'_> {
        let (width, height, prompt) = (w, h, "a cat in a hat");
        RenderSpec {
            width,
            height,
            encoding,
            index,
            count: 3,
            prompt,
            sources,
        }
    }

    fn decoded(spec: &RenderSpec<'_>) -> RgbImage {
        image::load_from_memory(&render(spec).unwrap())
            .unwrap()
            .to_rgb8()
    }

    #[test]
    fn renders_exact_size_and_encoding() {
        let sources = [source(solid([10, 200, 90]))];
        for encoding in [Encoding::Jpeg, Encoding::Png] {
            for (w, h) in [(1, 1), (7, 3), (9, 17), (640, 480), (3, 1500), (12900, 806)] {
                for srcs in [&sources[..], &[]] {
                    let bytes = render(&spec(w, h, encoding, 1, srcs)).unwrap();
                    let format = image::guess_format(&bytes).unwrap();
                    assert_eq!(format.to_mime_type(), encoding.content_type());
                    let image = image::load_from_memory_with_format(&bytes, format).unwrap();
                    assert_eq!((image.width(), image.height()), (w, h), "{encoding:?}");
                }
            }
        }
    }

    #[test]
    fn both_encodings_show_the_same_mosaic() {
        let noise = RgbImage::from_fn(97, 61, |x, y| {
            let [r, g, b, ..] = fnv1a(&[x as u8, y as u8]).to_le_bytes();
            Rgb([r, g, b])
        });
        let sources = [source(noise)];
        for srcs in [&sources[..], &[]] {
            let jpeg = decoded(&spec(777, 333, Encoding::Jpeg, 2, srcs));
            let png = decoded(&spec(777, 333, Encoding::Png, 2, srcs));
            let pairs = jpeg.as_raw().iter().zip(png.as_raw());
            assert!(pairs.map(|(a, b)| a.abs_diff(*b)).max() <= Some(2));
            // Flat 8x8 blocks: every pixel matches its block's top-left one.
            let block = |x: u32, y: u32| png.get_pixel(x / BLOCK * BLOCK, y / BLOCK * BLOCK);
            assert!(png.enumerate_pixels().all(|(x, y, p)| p == block(x, y)));
        }
    }

    #[test]
    fn deterministic_and_varied_by_index() {
        let sources = [source(solid([120, 120, 120]))];
        for srcs in [&sources[..], &[]] {
            for encoding in [Encoding::Jpeg, Encoding::Png] {
                let a = render(&spec(96, 64, encoding, 0, srcs)).unwrap();
                assert_eq!(a, render(&spec(96, 64, encoding, 0, srcs)).unwrap());
                assert_ne!(a, render(&spec(96, 64, encoding, 1, srcs)).unwrap());
            }
        }
    }

    #[test]
    fn outputs_cycle_through_the_sources_and_follow_their_colour() {
        let red_blue = [source(solid([220, 20, 20])), source(solid([20, 20, 220]))];
        for index in 0..6 {
            let encoding = [Encoding::Jpeg, Encoding::Png][index / 3];
            let image = decoded(&spec(256, 192, encoding, index, &red_blue));
            let n = f64::from(image.width() * image.height());
            let mean = image.pixels().fold([0.0; 3], |[r, g, b], p| {
                let [pr, pg, pb] = p.0.map(|c| f64::from(c) / n);
                [r + pr, g + pg, b + pb]
            });
            // Even indexes come from the red source, odd ones from the blue.
            let sign = if index % 2 == 0 { 1.0 } else { -1.0 };
            assert!((mean[0] - mean[2]) * sign > 40.0, "{index}: {mean:?}");
        }
    }

    #[test]
    fn refuses_bad_sizes() {
        let max = MAX_SIDE + 1;
        for (w, h) in [
            (0, 1),
            (1, 0),
            (0, 0),
            (max, 1),
            (1, u32::MAX),
            (5000, 5000),
        ] {
            assert!(render(&spec(w, h, Encoding::Png, 0, &[])).is_err());
            assert!(render(&spec(w, h, Encoding::Jpeg, usize::MAX, &[])).is_err());
        }
        assert!(render(&spec(8, 8, Encoding::Jpeg, usize::MAX, &[])).is_ok());
    }

    #[test]
    #[ignore = "timing report: cargo test -- --ignored --nocapture"]
    fn timings() {
        let sources = [source(solid([200, 100, 50]))];
        for (w, h) in [(2048, 2048), (4704, 2016), (3225, 3225), (12900, 806)] {
            for encoding in [Encoding::Jpeg, Encoding::Png] {
                for srcs in [&sources[..], &[]] {
                    let start = std::time::Instant::now();
                    let bytes = render(&spec(w, h, encoding, 2, srcs)).unwrap();
                    let (n, kib) = (srcs.len(), bytes.len() / 1024);
                    let elapsed = start.elapsed();
                    println!("{w}x{h} {encoding:?} sources={n}: {elapsed:?}, {kib} KiB");
                }
            }
        }
    }
}
