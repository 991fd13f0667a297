//! An image's size and CRC-32, computed once as it is kept, for the export (which must
//! not read image bytes again).
//!
//! The blob is read in slices of at most [`CHUNK_BYTES`], each copied into one
//! reused buffer: wasm memory grows by one chunk, whatever the image's size. The next
//! slice is asked for before the current one is hashed, so reading and hashing overlap.

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// The most bytes read into wasm at once.
pub const CHUNK_BYTES: u32 = 1024 * 1024;

/// What is kept with every stored image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checksum {
    /// Its length in bytes.
    pub bytes: u64,
    /// The CRC-32 (IEEE, as zip uses) of those bytes.
    pub crc32: u32,
}

/// Reads `blob` in chunks and returns its size and CRC-32.
pub async fn of_blob(blob: &Blob) -> Result<Checksum, JsValue> {
    let size = blob.size();
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = Vec::new();
    let read = |at: f64| -> Result<Option<JsFuture>, JsValue> {
        if at >= size {
            return Ok(None);
        }
        let end = (at + f64::from(CHUNK_BYTES)).min(size);
        Ok(Some(JsFuture::from(
            blob.slice_with_f64_and_f64(at, end)?.array_buffer(),
        )))
    };
    let mut at = 0.0;
    let mut next = read(at)?;
    while let Some(reading) = next {
        let chunk = reading.await?;
        at += f64::from(CHUNK_BYTES);
        // The browser reads the next slice while this one is hashed.
        next = read(at)?;
        let array = Uint8Array::new(chunk.unchecked_ref());
        buffer.resize(array.length() as usize, 0);
        array.copy_to(&mut buffer);
        hasher.update(&buffer);
    }
    Ok(Checksum {
        // A blob's size is a whole number of bytes, far below 2^53.
        bytes: size as u64,
        crc32: hasher.finalize(),
    })
}
