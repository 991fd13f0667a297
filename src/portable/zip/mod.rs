//! A small, strict ZIP layer on byte slices: no I/O, no web types, so it is tested
//! natively.
//!
//! The browser keeps image bytes as `Blob`s; Rust only writes headers and parses the
//! small pieces an import needs. So:
//!
//! - [`write`]: the layout of an export, stored entries only (images are already
//!   compressed): headers as bytes, with a placeholder where each entry's `Blob` goes;
//! - [`read`]: an import, step by step: the end record in the file's tail, then the
//!   central directory, then each entry's 30-byte local header, each checked against
//!   the file so nothing read later is out of range or overlapping;
//! - [`names`]: the entry names an import accepts, and what archive tools add beside
//!   the files.
//!
//! Only what the format needs for this: one disk, no ZIP64 (a file ends below 4 GiB
//! and holds fewer than 65,535 entries), no encryption. The format is PKWARE's
//! APPNOTE.TXT; offsets in comments below are from the start of each record, and all
//! numbers are little-endian.

// Files come from anywhere: malformed input must be refused, never panic the app.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod names;
pub mod read;
pub mod write;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

/// Starts every local file header (`PK\3\4`).
pub const LOCAL_HEADER_SIGNATURE: u32 = 0x0403_4b50;
/// Starts every central directory header (`PK\1\2`).
pub const CENTRAL_HEADER_SIGNATURE: u32 = 0x0201_4b50;
/// Starts the end of central directory record (`PK\5\6`).
pub const END_SIGNATURE: u32 = 0x0605_4b50;
/// Starts the ZIP64 end of central directory locator (`PK\6\7`), just before the end
/// record in a ZIP64 file.
pub const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;

/// A local file header's fixed part; the name and extra field follow.
pub const LOCAL_HEADER_LEN: usize = 30;
/// A central directory header's fixed part; name, extra field and comment follow.
pub const CENTRAL_HEADER_LEN: usize = 46;
/// The end of central directory record's fixed part; the file's comment follows.
pub const END_RECORD_LEN: usize = 22;
/// The ZIP64 end of central directory locator.
pub const ZIP64_LOCATOR_LEN: usize = 20;
/// The longest file comment (its length is a 16-bit field).
pub const MAX_COMMENT_LEN: usize = 65_535;

/// General-purpose flag bit 0: the entry is encrypted.
pub const FLAG_ENCRYPTED: u16 = 1 << 0;
/// Bit 3: CRC and sizes follow the data (a data descriptor); the local header may hold zeros.
pub const FLAG_DATA_DESCRIPTOR: u16 = 1 << 3;
/// Bit 6: strong encryption.
pub const FLAG_STRONG_ENCRYPTION: u16 = 1 << 6;
/// Bit 11: the name (and comment) are UTF-8.
pub const FLAG_UTF8: u16 = 1 << 11;
/// Bit 13: the central directory is encrypted (local header values masked).
pub const FLAG_MASKED_HEADERS: u16 = 1 << 13;

/// Compression method 0: the data is stored as is.
pub const METHOD_STORED: u16 = 0;
/// Compression method 8: deflate.
pub const METHOD_DEFLATE: u16 = 8;

/// The CRC-32 the format uses (ISO-HDLC: the same as gzip's and PNG's).
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}
