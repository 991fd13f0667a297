//! A JPEG's pixel size as the browser shows it: the frame header's size, turned
//! when the EXIF orientation says the picture is stored on its side.
//!
//! The frame header (SOFn) can sit after hundreds of KB of metadata (EXIF
//! thumbnails, XMP, ICC profiles), so the scan walks the segments from marker to
//! marker over windows of the file, asking for the next window when it runs out,
//! and never needs the bytes in between. `imagesize` reads the size but not the
//! orientation, and an EXIF crate would ship tag tables for one tag; the one tag is
//! read here.

/// Where a scan got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The size as shown: width and height, orientation applied.
    Found { width: u32, height: u32 },
    /// Needs `len` bytes from `offset` of the file to go on.
    Need { offset: u64, len: usize },
    /// Not a JPEG this scan understands (the browser's decoder may still).
    Unknown,
}

/// A scan through a JPEG's segments, resumable across windows of the file.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The file offset of the next marker (after `FF D8`).
    offset: u64,
    /// From the EXIF segment, once seen (1 to 8; 1 is upright).
    orientation: Option<u16>,
}

/// The largest segment is 64 KiB (a 16-bit length), so this always holds one.
pub const SEGMENT_MAX: usize = 2 + 65_535;

impl Scan {
    pub fn new() -> Scan {
        Scan {
            offset: 2,
            orientation: None,
        }
    }

    /// Scans `window`, the file's bytes from `start`, as far as they go.
    pub fn step(&mut self, start: u64, window: &[u8]) -> Step {
        loop {
            let Some(at) = self
                .offset
                .checked_sub(start)
                .and_then(|at| usize::try_from(at).ok())
            else {
                return self.need(4);
            };
            let Some(head) = window.get(at..at.saturating_add(4)) else {
                return self.need(4);
            };
            let &[fill, marker, high, low] = head else {
                return self.need(4);
            };
            if fill != 0xFF {
                return Step::Unknown;
            }
            match marker {
                // Fill bytes before a marker.
                0xFF => {
                    self.offset += 1;
                    continue;
                }
                // Markers without a length: TEM, RSTn, SOI.
                0x01 | 0xD0..=0xD8 => {
                    self.offset += 2;
                    continue;
                }
                // Start of scan or end of image before any frame header.
                0xD9 | 0xDA => return Step::Unknown,
                _ => {}
            }
            let length = usize::from(u16::from_be_bytes([high, low]));
            if length < 2 {
                return Step::Unknown;
            }
            let segment_end = at + 2 + length;
            if is_frame_header(marker) {
                let Some(frame) = window.get(at + 4..segment_end) else {
                    return self.need(2 + length);
                };
                return match frame {
                    [_precision, h1, h0, w1, w0, ..] => {
                        let height = u32::from(u16::from_be_bytes([*h1, *h0]));
                        let width = u32::from(u16::from_be_bytes([*w1, *w0]));
                        if width == 0 || height == 0 {
                            Step::Unknown
                        } else if self.orientation.is_some_and(is_on_its_side) {
                            Step::Found {
                                width: height,
                                height: width,
                            }
                        } else {
                            Step::Found { width, height }
                        }
                    }
                    _ => Step::Unknown,
                };
            }
            if marker == 0xE1 && self.orientation.is_none() {
                let Some(segment) = window.get(at + 4..segment_end) else {
                    return self.need(2 + length);
                };
                self.orientation = exif_orientation(segment);
            }
            self.offset += 2 + length as u64;
        }
    }

    fn need(&self, len: usize) -> Step {
        Step::Need {
            offset: self.offset,
            len,
        }
    }
}

/// SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range.
fn is_frame_header(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Orientations 5 to 8 turn the picture by a quarter: width and height swap.
fn is_on_its_side(orientation: u16) -> bool {
    (5..=8).contains(&orientation)
}

/// The orientation tag (0x0112) of IFD0 in an APP1 `Exif\0\0` payload.
pub fn exif_orientation(app1: &[u8]) -> Option<u16> {
    let tiff = app1.strip_prefix(b"Exif\0\0")?;
    let big_endian = match tiff.get(..4)? {
        [b'M', b'M', 0, 42] => true,
        [b'I', b'I', 42, 0] => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let bytes: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    };
    const ORIENTATION: u16 = 0x0112;
    const SHORT: u16 = 3;
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = u16_at(ifd)?;
    (0..usize::from(entries)).find_map(|i| {
        let entry = ifd.checked_add(2)?.checked_add(i.checked_mul(12)?)?;
        if u16_at(entry)? != ORIENTATION || u16_at(entry + 2)? != SHORT {
            return None;
        }
        let value = u16_at(entry + 8)?;
        (1..=8).contains(&value).then_some(value)
    })
}
