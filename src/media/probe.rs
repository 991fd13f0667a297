//! What a local image is, from its first bytes: format and pixel size.
//!
//! Nothing here reads a whole file. The format comes from the magic number; the
//! pixel size from the header, through `imagesize` for most formats and through
//! [`super::jpeg`] for JPEG, whose size can sit deep in the file and whose EXIF
//! orientation turns it. Only when the header cannot say (a TIFF, whose directory can
//! sit anywhere in the file; a corrupt header) does the caller fall back to the
//! browser's decoder.

use js_sys::Uint8Array;
use seedream_contract::ImageFormat;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use super::jpeg::{self, Scan, Step};

/// The first read: enough for every format's header but JPEG's in almost every
/// file, and small enough that fourteen at once stay well under a megabyte.
pub const WINDOW_BYTES: usize = 64 * 1024;
/// Reads a JPEG scan may take before giving up (a crafted file could chain tiny
/// segments): with 64 KiB windows, several megabytes of metadata.
const MAX_READS: usize = 64;

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub format: ImageFormat,
    /// Width and height as the browser shows the image, when the header says.
    pub size: Option<(u32, u32)>,
}

/// Why a file could not be probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeError {
    /// The browser refused to read it (moved, deleted or changed since it was given).
    Unreadable,
    /// Its first bytes are not a supported image format.
    Unrecognised,
}

/// Reads `blob`'s header.
pub async fn probe(blob: &Blob) -> Result<Probe, ProbeError> {
    let mut window = Window::new(blob);
    window.load(0, WINDOW_BYTES).await?;
    let format = ImageFormat::sniff(&window.bytes).ok_or(ProbeError::Unrecognised)?;
    let size = match format {
        ImageFormat::Jpeg => jpeg_size(&mut window).await?,
        _ => imagesize::blob_size(&window.bytes)
            .ok()
            .and_then(|size| {
                Some((
                    u32::try_from(size.width).ok()?,
                    u32::try_from(size.height).ok()?,
                ))
            })
            .filter(|&(width, height)| width > 0 && height > 0),
    };
    Ok(Probe { format, size })
}

/// Follows a JPEG's segments to its frame header, loading windows as the scan asks.
async fn jpeg_size(window: &mut Window<'_>) -> Result<Option<(u32, u32)>, ProbeError> {
    let mut scan = Scan::new();
    for _ in 0..MAX_READS {
        match scan.step(window.start, &window.bytes) {
            Step::Found { width, height } => return Ok(Some((width, height))),
            Step::Unknown => return Ok(None),
            Step::Need { offset, len } => {
                // The window already reaches the end of the file: the bytes the scan
                // needs do not exist (a truncated or corrupt file).
                let window_end = window.start.saturating_add(window.bytes.len() as u64);
                if offset >= window.size || (window.start <= offset && window_end >= window.size) {
                    return Ok(None);
                }
                window
                    .load(offset, len.clamp(WINDOW_BYTES, jpeg::SEGMENT_MAX))
                    .await?;
            }
        }
    }
    Ok(None)
}

/// A stretch of a blob's bytes, read on demand.
struct Window<'a> {
    blob: &'a Blob,
    /// The blob's size in bytes.
    size: u64,
    /// The offset of `bytes` in the blob.
    start: u64,
    bytes: Vec<u8>,
}

impl<'a> Window<'a> {
    fn new(blob: &'a Blob) -> Window<'a> {
        Window {
            blob,
            // `as` saturates: a strange size cannot wrap around.
            size: blob.size() as u64,
            start: 0,
            bytes: Vec::new(),
        }
    }

    /// Replaces the window with up to `len` bytes from `offset`.
    async fn load(&mut self, offset: u64, len: usize) -> Result<(), ProbeError> {
        let end = offset.saturating_add(len as u64).min(self.size);
        let part = self
            .blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|_| ProbeError::Unreadable)?;
        let buffer = JsFuture::from(part.array_buffer())
            .await
            .map_err(|_| ProbeError::Unreadable)?;
        self.start = offset;
        self.bytes = Uint8Array::new(&buffer).to_vec();
        Ok(())
    }
}
