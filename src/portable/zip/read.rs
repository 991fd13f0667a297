//! Reading an import, strictly, from the few pieces of the file it needs.
//!
//! The caller holds the file (a `Blob`) and reads it in this order, each step checking
//! what the next one will read:
//!
//! 1. the last [`TAIL_BYTES`] (or the whole file if shorter): [`find_end`] gives the
//!    central directory's place;
//! 2. the central directory: [`read_directory`] gives the entries;
//! 3. each entry's first [`LOCAL_HEADER_BYTES`]: [`data_start`] gives where its data
//!    starts;
//! 4. all entries with their starts: [`check_ranges`] says no two overlap.
//!
//! Then each entry's data is `[start, start + compressed)`, all of it before the
//! central directory. Anything this layer does not handle is refused with a reason
//! ([`Refusal`]) rather than guessed at: ZIP64, several disks, encryption, names that
//! are not UTF-8. The compression method is reported as is: the caller decides which
//! it reads.

mod end;
mod entries;

pub use end::find_end;
pub use entries::{check_ranges, data_start, read_directory};

use super::{END_RECORD_LEN, LOCAL_HEADER_LEN, MAX_COMMENT_LEN};

/// How many bytes of the file's end to read to find the end record (22 + 65,535 comment).
pub const TAIL_BYTES: u64 = (END_RECORD_LEN + MAX_COMMENT_LEN) as u64;

/// How many bytes of each entry's local header [`data_start`] reads.
pub const LOCAL_HEADER_BYTES: u64 = LOCAL_HEADER_LEN as u64;

/// A 16-bit field holding this means "the value is in the ZIP64 record".
const SENTINEL_16: u16 = u16::MAX;
/// A 32-bit field holding this means "the value is in the ZIP64 extra field".
const SENTINEL_32: u32 = u32::MAX;

/// Where the central directory is, as the end record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directory {
    /// Its first byte's offset in the file.
    pub offset: u64,
    /// Its length in bytes.
    pub size: u64,
    /// How many entries it holds.
    pub entries: u16,
}

/// One entry as its central directory header describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentralEntry {
    /// The name, UTF-8 (not yet checked by [`super::names::check_name`]).
    pub name: String,
    /// The compression method: 0 stored, 8 deflate, others as written.
    pub method: u16,
    /// The general-purpose flags (never with an encryption bit: those are refused).
    pub flags: u16,
    /// The uncompressed data's CRC-32.
    pub crc32: u32,
    /// The data's length in the file.
    pub compressed: u64,
    /// The data's length once decompressed.
    pub size: u64,
    /// Where the entry's local header starts.
    pub header_offset: u64,
}

/// Why a file is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No end record: not a ZIP file at all (or cut before its end).
    NotAZip,
    /// A ZIP file whose structure does not hold together.
    Damaged(Damage),
    /// An entry is encrypted.
    Encrypted,
    /// The file uses ZIP64 (over 4 GiB or 65,534 entries), which is not read.
    Zip64,
    /// The file is one part of a split archive.
    MultiDisk,
}

/// What exactly is wrong with a damaged file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The tail given is longer than the file (the caller's mistake).
    TailLongerThanFile,
    /// The end record's comment runs past the end of the file (cut short).
    EndRecordBeyondFile,
    /// Bytes follow the end record and its comment.
    BytesAfterEndRecord,
    /// The central directory does not lie within the file, before the end record.
    DirectoryOutsideFile,
    /// The central directory bytes given are not the length the end record says.
    DirectoryLengthMismatch,
    /// The end record's two entry counts differ, or the directory holds another number
    /// of entries than they say.
    EntryCountMismatch,
    /// A central directory header does not start with its signature.
    BadCentralSignature,
    /// A central directory header (with its name, extra field and comment) runs past
    /// the directory's end.
    CentralHeaderTruncated,
    /// A name is not UTF-8.
    NameNotUtf8,
    /// A stored entry whose compressed and uncompressed sizes differ.
    StoredSizeMismatch,
    /// An entry's local header would not end before the central directory.
    LocalHeaderBeyondDirectory,
    /// Fewer than [`LOCAL_HEADER_BYTES`] given for a local header.
    LocalHeaderTruncated,
    /// A local header does not start with its signature.
    BadLocalSignature,
    /// A local header disagrees with its central header (method, name length, CRC or sizes).
    LocalHeaderMismatch,
    /// An entry's data would run past the start of the central directory.
    DataBeyondDirectory,
    /// Two entries (local header to end of data) overlap.
    Overlapping,
}

impl From<Damage> for Refusal {
    fn from(damage: Damage) -> Self {
        Refusal::Damaged(damage)
    }
}

/// A record's little-endian fields, read in order; `None` past its end.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(head)
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2)?.try_into().ok().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }
}
