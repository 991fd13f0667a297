//! Small pictures for the mock's unit tests.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// A 40 x 24 picture of one colour.
pub fn solid(rgb: [u8; 3]) -> RgbImage {
    RgbImage::from_pixel(40, 24, Rgb(rgb))
}

/// `image` encoded as `format`.
pub fn encode(image: impl Into<DynamicImage>, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image
        .into()
        .write_to(&mut bytes, format)
        .expect("a test picture encodes");
    bytes.into_inner()
}
