//! A valid submit body of an exact size, written on the fly: the proxy's memory row
//! streams 190 MB of it, which is never held in memory or written to disk here.
//!
//! `{"prompt":"…","image":[<spaces>"data:image/png;base64,iVBORw0KGgoAAAAN AAAA…",…]}`:
//! every image is the same data URI, a PNG signature and the first bytes of its header
//! (what the contract sniffs) followed by zeros (`A` in base64), as long as the size
//! allows; the spaces, which JSON ignores, make the length exact.

use std::io::{self, Write};

use anyhow::{Result, bail};
use seedream_contract::{MAX_IMAGE_BYTES, MAX_IMAGES, MAX_SUBMIT_BODY_BYTES};

const HEAD: &str = r#"{"prompt":"a submit as large as the contract allows","image":["#;
const TAIL: &str = "]}";
const URI_PREFIX: &str = "data:image/png;base64,";
/// The PNG signature and the length of its IHDR chunk, 12 bytes, in base64.
const PNG_START: &str = "iVBORw0KGgoAAAAN";
/// A run of base64 zeros written at once.
static ZEROS: [u8; 64 * 1024] = [b'A'; 64 * 1024];

/// The layout of one body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BigSubmit {
    images: usize,
    /// Base64 characters of each image, a multiple of 4.
    payload: usize,
    /// Spaces after the array's `[`.
    padding: usize,
}

impl BigSubmit {
    /// A body of exactly `total` bytes with `images` images as large as it allows,
    /// refused when the contract would refuse it (too many images, an image over
    /// 10 MiB, a body over the contract's limit).
    pub fn new(total: usize, images: usize) -> Result<BigSubmit> {
        if !(1..=MAX_IMAGES).contains(&images) {
            bail!("a submit carries 1 to {MAX_IMAGES} images, not {images}");
        }
        if total > MAX_SUBMIT_BODY_BYTES {
            bail!("{total} bytes is over the contract's limit of {MAX_SUBMIT_BODY_BYTES}");
        }
        // Each image is quoted and all but the last followed by a comma.
        let fixed = HEAD.len() + TAIL.len() + images * (URI_PREFIX.len() + 3) - 1;
        let room = total.saturating_sub(fixed) / images;
        let payload = room - room % 4;
        if payload < PNG_START.len() {
            bail!("{total} bytes is too small for {images} images");
        }
        if payload / 4 * 3 > MAX_IMAGE_BYTES {
            bail!("{total} bytes over {images} images would make them over 10 MiB each");
        }
        Ok(BigSubmit {
            images,
            payload,
            padding: total - fixed - payload * images,
        })
    }

    /// The body's length in bytes.
    pub fn length(&self) -> usize {
        HEAD.len()
            + self.padding
            + self.images * (URI_PREFIX.len() + 2 + self.payload)
            + (self.images - 1)
            + TAIL.len()
    }

    /// Writes the body to `out` in pieces of at most 64 KiB.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(HEAD.as_bytes())?;
        write_repeated(out, b' ', self.padding)?;
        for i in 0..self.images {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(b"\"")?;
            out.write_all(URI_PREFIX.as_bytes())?;
            out.write_all(PNG_START.as_bytes())?;
            let mut zeros = self.payload - PNG_START.len();
            while zeros > 0 {
                let n = zeros.min(ZEROS.len());
                out.write_all(&ZEROS[..n])?;
                zeros -= n;
            }
            out.write_all(b"\"")?;
        }
        out.write_all(TAIL.as_bytes())
    }
}

fn write_repeated(out: &mut impl Write, byte: u8, count: usize) -> io::Result<()> {
    let chunk = [byte; 1024];
    let mut left = count;
    while left > 0 {
        let n = left.min(chunk.len());
        out.write_all(&chunk[..n])?;
        left -= n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedream_contract::parse_submit_body;

    #[test]
    fn a_small_body_is_a_valid_submit_of_the_exact_size() {
        for (total, images) in [(200_000, 3), (200_003, 3), (1_000, 1), (5_000, 14)] {
            let submit = BigSubmit::new(total, images).unwrap();
            let mut body = Vec::new();
            submit.write_to(&mut body).unwrap();
            assert_eq!((body.len(), submit.length()), (total, total));
            let request = parse_submit_body(&body).unwrap();
            assert_eq!(request.image.len(), images);
        }
    }

    #[test]
    fn the_bench_size_fits_the_contract() {
        let submit = BigSubmit::new(190_000_000, MAX_IMAGES).unwrap();
        assert_eq!(submit.length(), 190_000_000);
        assert!(submit.payload / 4 * 3 <= MAX_IMAGE_BYTES);
        // And one of its images, written alone, is a valid image of that size.
        let one = BigSubmit {
            images: 1,
            ..submit
        };
        let mut body = Vec::new();
        one.write_to(&mut body).unwrap();
        parse_submit_body(&body).unwrap();
    }

    #[test]
    fn refuses_what_the_contract_refuses() {
        assert!(BigSubmit::new(MAX_SUBMIT_BODY_BYTES + 1, MAX_IMAGES).is_err());
        assert!(BigSubmit::new(190_000_000, 1).is_err(), "one 190 MB image");
        assert!(BigSubmit::new(1_000, 0).is_err());
        assert!(BigSubmit::new(1_000, MAX_IMAGES + 1).is_err());
        assert!(BigSubmit::new(100, 3).is_err(), "no room for the images");
    }
}
