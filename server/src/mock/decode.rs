//! Input images for the mock: pure, synchronous decoding (callers run it in
//! `spawn_blocking`, a few at a time, see [`super::MockState`]) into small pictures the
//! renderer draws from, and what the mock keeps of each input ([`DecodedInputs`]).
//!
//! The contract sets no pixel limit on inputs, so nothing is refused: an image whose
//! pixels would take more memory than [`MAX_DECODE_ALLOC`] is treated like one that does
//! not decode, and the results are drawn from the prompt instead.

use std::io::Cursor;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use image::{DynamicImage, ImageDecoder as _, ImageReader, Limits, Rgb, RgbImage};
use seedream_contract::image::ImageFormat;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Inputs are kept at most this long on their long side. The picture is computed at one
/// cell per 8x8 output block, so the contract's largest square output (3225 x 3225) has
/// 404 x 404 cells and even a 4096-pixel-wide output 512 across: a 512-pixel source
/// covers them, and keeps a stored input to 0.75 MiB (a 1024-pixel one took 3 MiB).
pub const SOURCE_SIDE: u32 = 512;
/// Wider or taller than any photo; a header claiming more is refused before decoding.
const MAX_DECODE_SIDE: u32 = 16384;
/// The most memory one input's decoded pixels may take: 192 MiB. That holds a 64 MP
/// photo as RGB (every camera up to 61 MP, the 48 and 50 MP modes of phones: what a
/// 10 MB JPEG realistically is), a 6900 x 6900 RGBA PNG, a 4096 x 4096 RGBA one even at
/// 16 bits per channel. `image`'s default (512 MiB) let a 470 KB PNG of 11000 x 11000
/// transparent pixels take 484 MB. The decoders' working memory comes on top (a
/// progressive JPEG's coefficients can double it), so the bound is approximate.
pub const MAX_DECODE_ALLOC: u64 = 192 * 1024 * 1024;

/// An input image decoded once per task, flattened over white and downscaled.
#[derive(Clone)]
pub struct SourceImage {
    /// Always `ImageRgb8`: kept dynamic for `image`'s non-generic crop and resize.
    pub(super) pixels: DynamicImage,
}

impl SourceImage {
    /// Dimensions after the decode-time downscale.
    pub fn dimensions(&self) -> (u32, u32) {
        (self.pixels.width(), self.pixels.height())
    }

    /// The memory its pixels take (3 bytes each), for the store's byte budget.
    pub fn byte_len(&self) -> u64 {
        let (w, h) = self.dimensions();
        u64::from(w) * u64::from(h) * 3
    }
}

impl std::fmt::Debug for SourceImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, h) = self.dimensions();
        write!(f, "SourceImage({w}x{h})")
    }
}

/// A task's inputs once decoded: the pictures to draw from (the undecodable ones
/// left out) and one summary per input, in the request's order.
#[derive(Debug, Default)]
pub struct DecodedInputs {
    pub sources: Vec<SourceImage>,
    pub summaries: Vec<InputSummary>,
}

impl DecodedInputs {
    /// The memory the kept pictures take.
    pub fn byte_len(&self) -> u64 {
        self.sources.iter().map(SourceImage::byte_len).sum()
    }
}

/// What the mock keeps of one input image: never its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSummary {
    /// A data URI's decoded bytes: their format by magic number (None when not one the
    /// contract knows), their length, their SHA-256 as lowercase hex, and whether they
    /// decoded to a picture within the mock's memory limit.
    Data {
        format: Option<ImageFormat>,
        bytes: usize,
        sha256: String,
        decoded: bool,
    },
    /// An http(s) URL: decoded only when it names one of this server's own results.
    Url { decoded: bool },
    /// A data URI whose base64 did not decode (the contract refuses these at submit,
    /// so only a mock bug shows one).
    Undecodable,
}

impl InputSummary {
    /// The summary of a data URI's decoded `bytes`.
    pub fn of_bytes(bytes: &[u8], decoded: bool) -> InputSummary {
        InputSummary::Data {
            format: ImageFormat::sniff(bytes),
            bytes: bytes.len(),
            sha256: format!("{:x}", Sha256::digest(bytes)),
            decoded,
        }
    }

    /// `{"format": "png", "bytes": 1234, "sha256": "<hex>", "decoded": true}` (`format`
    /// null when not recognised), `{"url": true, "decoded": false}` or
    /// `{"undecodable": true}`.
    pub fn to_json(&self) -> Value {
        match self {
            InputSummary::Data {
                format,
                bytes,
                sha256,
                decoded,
            } => json!({
                "format": format.map(|f| f.mime_type().trim_start_matches("image/")),
                "bytes": bytes,
                "sha256": sha256,
                "decoded": decoded,
            }),
            InputSummary::Url { decoded } => json!({"url": true, "decoded": decoded}),
            InputSummary::Undecodable => json!({"undecodable": true}),
        }
    }
}

/// Decodes image bytes in any enabled format (JPEG, PNG, WEBP, BMP, TIFF, GIF's first
/// frame). The format is sniffed from the content, not trusted from a label. None when
/// the bytes are not a decodable image or their pixels exceed [`MAX_DECODE_ALLOC`].
pub fn decode_source(bytes: &[u8]) -> Option<SourceImage> {
    // Headers first, under explicit limits: a decompression bomb is refused by the
    // size its header declares, before any pixel is allocated.
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits.clone());
    let decoder = reader.into_decoder().ok()?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return None;
    }
    // What `ImageReader::decode` reserves for the pixel buffer, checked here because
    // the pixels are decoded below without these limits.
    limits.reserve(decoder.total_bytes()).ok()?;
    drop(decoder);
    // Then the pixels through `load_from_memory`: not generic, so its decoders are
    // compiled in `image` at the dependencies' opt-level (through `ImageReader`, compiled
    // here, WebP decoded 3x slower in debug builds). The same bytes give the same header,
    // so the buffer is the one just checked.
    let image = image::load_from_memory(bytes).ok()?;
    // Shrink before converting so a large input never exists twice at full size.
    let image = if image.width().max(image.height()) > SOURCE_SIDE {
        image.thumbnail(SOURCE_SIDE, SOURCE_SIDE)
    } else {
        image
    };
    let pixels = if image.color().has_alpha() {
        // Composite over white, so transparent regions look like a blank page, not black.
        let rgba = image.to_rgba8();
        RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
            let [r, g, b, a] = rgba.get_pixel(x, y).0.map(u32::from);
            Rgb([r, g, b].map(|c| ((c * a + 255 * (255 - a)) / 255) as u8))
        })
    } else {
        image.into_rgb8()
    };
    Some(SourceImage {
        pixels: pixels.into(),
    })
}

/// The bytes a `data:image/<fmt>[;params];base64,<payload>` URI carries (padding
/// optional, whitespace in the payload ignored); None for anything else.
pub fn data_uri_bytes(uri: &str) -> Option<Vec<u8>> {
    let uri = uri.trim();
    if !uri.get(..5)?.eq_ignore_ascii_case("data:") {
        return None;
    }
    let (header, payload) = uri.get(5..)?.split_once(',')?;
    let header = header.to_ascii_lowercase();
    if !header.starts_with("image/") || !header.ends_with(";base64") {
        return None;
    }
    let payload: Vec<u8> = payload
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    GeneralPurpose::new(&base64::alphabet::STANDARD, config)
        .decode(payload)
        .ok()
}

/// One data URI's summary and picture, from a single decoding of its base64.
pub fn decode_data_input(uri: &str) -> (InputSummary, Option<SourceImage>) {
    match data_uri_bytes(uri) {
        Some(bytes) => {
            let source = decode_source(&bytes);
            (InputSummary::of_bytes(&bytes, source.is_some()), source)
        }
        None => (InputSummary::Undecodable, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::test_images::{encode, solid};
    use image::ImageEncoder as _;
    use image::ImageFormat::*;
    use image::codecs::png::PngEncoder;

    /// A PNG of `w` x `h` transparent pixels, from a zeroed buffer the system maps
    /// lazily, so even a huge one costs the test little memory.
    fn transparent_png(w: u32, h: u32) -> Vec<u8> {
        let pixels = vec![0u8; w as usize * h as usize * 4];
        let mut bytes = Vec::new();
        PngEncoder::new(&mut bytes)
            .write_image(&pixels, w, h, image::ExtendedColorType::Rgba8)
            .unwrap();
        bytes
    }

    #[test]
    fn decodes_every_input_format_and_refuses_garbage() {
        for format in [Jpeg, Png, WebP, Bmp, Tiff, Gif] {
            let decoded = decode_source(&encode(solid([200, 30, 40]), format));
            assert_eq!(
                decoded.map(|s| s.dimensions()),
                Some((40, 24)),
                "{format:?}"
            );
        }
        let truncated = &encode(solid([1, 2, 3]), Png)[..30];
        for bad in [&b""[..], b"not an image at all", truncated] {
            assert!(decode_source(bad).is_none());
        }
        let mut rgba = image::RgbaImage::from_pixel(2, 1, image::Rgba([200, 0, 0, 255]));
        rgba.put_pixel(1, 0, image::Rgba([0, 0, 0, 0]));
        let flat = decode_source(&encode(rgba, Png))
            .unwrap()
            .pixels
            .into_rgb8();
        assert_eq!(
            flat.into_raw(),
            [200, 0, 0, 255, 255, 255],
            "transparent is white"
        );
        let big = decode_source(&encode(RgbImage::new(2000, 500), Png)).unwrap();
        assert_eq!(big.dimensions(), (512, 128));
        assert_eq!(big.byte_len(), 512 * 128 * 3);
    }

    #[test]
    fn pixels_over_the_memory_limit_are_not_decoded() {
        // 4096 x 4096 RGBA (64 MiB) decodes; 7300 x 7300 RGBA (203 MiB) does not.
        let (fits, bomb) = (transparent_png(4096, 4096), transparent_png(7300, 7300));
        assert!(bomb.len() < 2_000_000, "a bomb: {} bytes", bomb.len());
        assert_eq!(
            decode_source(&fits).map(|s| s.dimensions()),
            Some((512, 512))
        );
        assert!(decode_source(&bomb).is_none());
    }

    fn decode_data_uri(uri: &str) -> Option<SourceImage> {
        decode_source(&data_uri_bytes(uri)?)
    }

    #[test]
    fn decodes_data_uris() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(encode(solid([1; 3]), Png));
        assert!(decode_data_uri(&format!("data:image/png;base64,{b64}")).is_some());
        let unpadded = b64.trim_end_matches('=');
        assert!(decode_data_uri(&format!("DATA:image/png;name=a;base64,{unpadded}\n")).is_some());
        for bad in [
            String::new(),
            "data:".into(),
            "https://example.com/a.png".into(),
            format!("data:image/png,{b64}"),
            format!("data:text/plain;base64,{b64}"),
            "data:image/png;base64,!!!!".into(),
            "data:image/png;base64,aGVsbG8=".into(),
            "\u{e9}\u{e9}\u{e9}:image/png;base64,".into(),
        ] {
            assert!(decode_data_uri(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn summarises_a_data_uri_by_its_bytes_and_forgets_them() {
        // The eight-byte PNG signature: enough to be recognised, not to be decoded.
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let (summary, source) = decode_data_input("data:image/png;base64,iVBORw0KGgo=");
        assert!(source.is_none());
        assert_eq!(summary, InputSummary::of_bytes(&png, false));
        assert_eq!(
            summary.to_json(),
            json!({
                "format": "png",
                "bytes": 8,
                "sha256": "4c4b6a3be1314ab86138bef4314dde022e600960d8689a2c8f8631802d20dab6",
                "decoded": false,
            })
        );
        assert_eq!(
            decode_data_input("data:image/png;base64,!!!!").0,
            InputSummary::Undecodable
        );
        assert_eq!(
            InputSummary::of_bytes(b"text", false).to_json()["format"],
            Value::Null
        );
    }
}
