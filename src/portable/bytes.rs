//! Reading a file's pieces from the browser: small ranges into wasm (the zip's tail,
//! directory and headers), and entries' data as `Blob`s that never enter it.
//!
//! A deflated entry is inflated by the browser's `DecompressionStream("deflate-raw")`
//! (declared here: web-sys keeps it behind its unstable flag), read chunk by chunk so
//! its CRC-32 is computed on the way and an entry that inflates past its declared size
//! is stopped there, however small the file (a zip bomb).

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, ReadableStream, ReadableStreamDefaultReader};

use crate::archive::checksum::{CHUNK_BYTES, Checksum};

#[wasm_bindgen]
extern "C" {
    /// The browser's `DecompressionStream` (Compression Streams API).
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;

    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

/// Why a piece could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The browser could not read the file (moved, or permission gone).
    Unreadable,
    /// A deflated entry's data is not valid deflate.
    NotDeflate,
    /// An entry inflated past the size its directory declared.
    TooLong,
}

/// Bytes `start..end` of `file`, into wasm (small pieces only).
pub async fn read_range(file: &Blob, start: u64, end: u64) -> Result<Vec<u8>, ReadError> {
    arrived(start_read(file, start, end)?).await
}

/// Asks the browser for bytes `start..end` of `file` now; [`arrived`] gives them.
pub fn start_read(file: &Blob, start: u64, end: u64) -> Result<JsFuture, ReadError> {
    let slice = file
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|_| ReadError::Unreadable)?;
    Ok(JsFuture::from(slice.array_buffer()))
}

/// The bytes a [`start_read`] asked for, into wasm.
pub async fn arrived(reading: JsFuture) -> Result<Vec<u8>, ReadError> {
    let buffer = reading.await.map_err(|_| ReadError::Unreadable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The `Blob` of bytes `start..end` of `file` (nothing is read).
pub fn blob_range(file: &Blob, start: u64, end: u64) -> Result<Blob, ReadError> {
    file.slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|_| ReadError::Unreadable)
}

/// Inflates `deflated` (raw deflate) into a `Blob` of `content_type`, at most
/// `declared` bytes long, with its size and CRC-32.
pub async fn inflate(
    deflated: &Blob,
    declared: u64,
    content_type: &str,
) -> Result<(Blob, Checksum), ReadError> {
    let stream = DecompressionStream::new("deflate-raw").map_err(|_| ReadError::NotDeflate)?;
    let pair = web_sys::ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let reader: ReadableStreamDefaultReader = deflated
        .stream()
        .pipe_through(&pair)
        .get_reader()
        .unchecked_into();
    let chunks = Array::new();
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = Vec::new();
    let mut total: u64 = 0;
    loop {
        let step = JsFuture::from(reader.read())
            .await
            .map_err(|_| ReadError::NotDeflate)?;
        let done = Reflect::get(&step, &JsValue::from_str("done"))
            .map_err(|_| ReadError::NotDeflate)?
            .is_truthy();
        if done {
            break;
        }
        let chunk: Uint8Array = Reflect::get(&step, &JsValue::from_str("value"))
            .map_err(|_| ReadError::NotDeflate)?
            .dyn_into()
            .map_err(|_| ReadError::NotDeflate)?;
        total = total.saturating_add(u64::from(chunk.length()));
        if total > declared {
            let _ = reader.cancel();
            return Err(ReadError::TooLong);
        }
        // Hashed through one reused buffer of at most a chunk's size.
        let mut at = 0;
        while at < chunk.length() {
            let end = (at + CHUNK_BYTES).min(chunk.length());
            let piece = chunk.subarray(at, end);
            buffer.resize(piece.length() as usize, 0);
            piece.copy_to(&mut buffer);
            hasher.update(&buffer);
            at = end;
        }
        chunks.push(&chunk);
    }
    let options = BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = Blob::new_with_u8_array_sequence_and_options(&chunks, &options)
        .map_err(|_| ReadError::Unreadable)?;
    Ok((
        blob,
        Checksum {
            bytes: total,
            crc32: hasher.finalize(),
        },
    ))
}

/// `blob` as a `Blob` of `content_type` (the same bytes, nothing read).
pub fn typed(blob: &Blob, content_type: &str) -> Result<Blob, ReadError> {
    blob.slice_with_f64_and_f64_and_content_type(0.0, blob.size(), content_type)
        .map_err(|_| ReadError::Unreadable)
}
