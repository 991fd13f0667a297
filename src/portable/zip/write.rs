//! Writing an export: every header of a ZIP file whose entries' bytes stay where they
//! are (the browser's `Blob`s).
//!
//! [`layout`] returns the file as [`Part`]s: header bytes, and a placeholder where each
//! entry's data goes, so the caller builds one `Blob` from them without the image
//! bytes ever passing through Rust. For that the caller gives each entry's size and
//! CRC-32 up front (it computes the CRC from the blob, in chunks).
//!
//! Entries are stored (method 0): images are compressed already, and deflating them
//! would cost time for nothing. No ZIP64 and no data descriptors: a file this layer
//! writes ends below 4 GiB and holds at most [`MAX_ENTRIES`] entries, with CRC and
//! sizes in both headers, which every reader accepts (ours in [`super::read`] too).

use super::{
    CENTRAL_HEADER_LEN, CENTRAL_HEADER_SIGNATURE, END_RECORD_LEN, END_SIGNATURE, FLAG_UTF8,
    LOCAL_HEADER_LEN, LOCAL_HEADER_SIGNATURE, METHOD_STORED,
};

/// The most entries a file may hold: the end record counts them in 16 bits, and
/// 0xFFFF (65,535) itself means "see the ZIP64 record" to readers (ours refuses it as
/// ZIP64), so the largest count every reader takes as written is 65,534.
pub const MAX_ENTRIES: usize = 65_534;

/// "Version needed to extract": 2.0, the version that reads stored entries in folders
/// (APPNOTE 4.4.3); what most writers put for plain entries.
const VERSION_NEEDED: u16 = 20;
/// "Version made by": host 3 (Unix) in the high byte, so readers apply the Unix mode in
/// the external attributes; spec version 2.0 in the low byte, the same as needed.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// External attributes: a Unix regular file (`S_IFREG`) readable by all and writable
/// by its owner (0o100644), in the high 16 bits as Unix hosts store it. Without it
/// `unzip` on Linux would extract files with no permissions at all.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;
/// The general-purpose flags of every entry: the name is UTF-8 (bit 11).
const FLAGS: u16 = FLAG_UTF8;

/// One entry of a file to write: its name, exactly as it will be written (the caller
/// checked it with [`super::names::check_name`]), and its data's size and CRC-32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryToWrite {
    pub name: String,
    pub bytes: u64,
    pub crc32: u32,
}

/// DOS date and time written in every header (one for the whole file).
///
/// ZIP's own timestamp: local time to 2 seconds in 1980..=2107, with no time zone.
/// This one holds UTC, so the same export is the same bytes wherever it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    /// Bits 9-15: year - 1980; bits 5-8: month (1-12); bits 0-4: day (1-31).
    pub date: u16,
    /// Bits 11-15: hour; bits 5-10: minute; bits 0-4: second / 2.
    pub time: u16,
}

/// 1980-01-01T00:00:00Z, the first time DOS dates hold, in Unix seconds.
const FIRST_SECOND: u64 = 315_532_800;
/// 2107-12-31T23:59:59Z, the last second DOS dates hold, in Unix seconds.
const LAST_SECOND: u64 = 4_354_819_199;

impl DosTime {
    /// The DOS time of a Unix time in milliseconds (as `Date.now()` gives it), in UTC.
    ///
    /// Times before 1980 (0, negative, NaN) give 1980-01-01 00:00:00, and times after
    /// 2107 give 2107-12-31 23:59:58: a date out of range is still a valid header.
    /// Seconds round down to even, as DOS times count them.
    pub fn from_unix_ms(ms: f64) -> DosTime {
        let seconds = ms / 1000.0;
        let seconds = if seconds.is_nan() || seconds < FIRST_SECOND as f64 {
            FIRST_SECOND
        } else if seconds >= LAST_SECOND as f64 {
            LAST_SECOND
        } else {
            // Within range and positive: `as` rounds down, as wanted.
            seconds as u64
        };
        from_clamped_seconds(seconds)
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds lies in FIRST_SECOND..=LAST_SECOND, so every step stays in range"
)]
fn from_clamped_seconds(seconds: u64) -> DosTime {
    let since_1980 = seconds.saturating_sub(FIRST_SECOND);
    let mut days = since_1980 / 86_400;
    let in_day = since_1980 % 86_400;
    let mut year: u64 = 1980;
    while days >= year_length(year) {
        days -= year_length(year);
        year += 1;
    }
    let mut month: u64 = 1;
    for length in month_lengths(year) {
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    let (hour, minute, second) = (in_day / 3600, in_day % 3600 / 60, in_day % 60);
    DosTime {
        date: (((year - 1980) << 9) | (month << 5) | (days + 1)) as u16,
        time: ((hour << 11) | (minute << 5) | (second / 2)) as u16,
    }
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn year_length(year: u64) -> u64 {
    if is_leap(year) { 366 } else { 365 }
}

fn month_lengths(year: u64) -> [u64; 12] {
    let february = if is_leap(year) { 29 } else { 28 };
    [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

/// A piece of the file, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Bytes written here: a local header, or the central directory and end record.
    Bytes(Vec<u8>),
    /// Entry `i`'s data goes here (the caller's `Blob`), exactly `bytes` long.
    Entry(usize),
}

/// Why a file cannot be written without ZIP64.
#[derive(Debug, PartialEq, Eq, Clone)]
pub enum TooLarge {
    /// More than [`MAX_ENTRIES`] entries.
    Entries { count: usize },
    /// The file would be `total` bytes, more than `u32::MAX`: some offset or size
    /// would not fit its 32-bit field.
    Bytes { total: u64 },
    /// Entry `index`'s name is `len` bytes, more than its 16-bit length field holds.
    Name { index: usize, len: usize },
}

/// The size of the file [`layout`] describes for `entries`, in bytes: for progress
/// and the 4 GiB check. Saturates at `u64::MAX` rather than overflow.
pub fn total_len(entries: &[EntryToWrite]) -> u64 {
    let fixed = (LOCAL_HEADER_LEN + CENTRAL_HEADER_LEN) as u64;
    entries.iter().fold(END_RECORD_LEN as u64, |total, entry| {
        let name = entry.name.len() as u64;
        total
            .saturating_add(fixed)
            .saturating_add(name.saturating_mul(2))
            .saturating_add(entry.bytes)
    })
}

/// The file for `entries`, in order: `[Bytes(local header 0), Entry(0), Bytes(local
/// header 1), Entry(1), …, Bytes(central directory + end record)]`.
///
/// Names are written exactly as given. Refused, with why, when the file would need
/// ZIP64: see [`TooLarge`].
pub fn layout(entries: &[EntryToWrite], modified: DosTime) -> Result<Vec<Part>, TooLarge> {
    let count = entries.len();
    let count_field = match u16::try_from(count) {
        Ok(field) if count <= MAX_ENTRIES => field,
        _ => return Err(TooLarge::Entries { count }),
    };
    let mut name_lens = Vec::with_capacity(count);
    for (index, entry) in entries.iter().enumerate() {
        let len = entry.name.len();
        name_lens.push(u16::try_from(len).map_err(|_| TooLarge::Name { index, len })?);
    }
    let total = total_len(entries);
    let too_large = || TooLarge::Bytes { total };
    // The whole file fits in 32 bits, so every offset and size below does too (the
    // checked conversions only keep this free of panics and silent truncation).
    if total > u64::from(u32::MAX) {
        return Err(too_large());
    }
    let mut parts = Vec::with_capacity(count.saturating_mul(2).saturating_add(1));
    let central_len = entries.iter().fold(END_RECORD_LEN, |sum, entry| {
        sum.saturating_add(CENTRAL_HEADER_LEN)
            .saturating_add(entry.name.len())
    });
    let mut central = Vec::with_capacity(central_len);
    let mut offset: u32 = 0;
    for (index, (entry, name_len)) in entries.iter().zip(name_lens).enumerate() {
        let header = Header {
            name: entry.name.as_bytes(),
            name_len,
            crc32: entry.crc32,
            size: u32::try_from(entry.bytes).map_err(|_| too_large())?,
            modified,
        };
        let mut local = Vec::with_capacity(LOCAL_HEADER_LEN.saturating_add(header.name.len()));
        header.write_local(&mut local);
        parts.push(Part::Bytes(local));
        parts.push(Part::Entry(index));
        header.write_central(&mut central, offset);
        offset = offset
            .checked_add(LOCAL_HEADER_LEN as u32)
            .and_then(|end| end.checked_add(u32::from(name_len)))
            .and_then(|end| end.checked_add(header.size))
            .ok_or_else(too_large)?;
    }
    // The central directory starts where the last entry's data ends.
    let directory_size = u32::try_from(central.len()).map_err(|_| too_large())?;
    put_u32(&mut central, END_SIGNATURE);
    put_u16(&mut central, 0); // this disk
    put_u16(&mut central, 0); // the disk where the central directory starts
    put_u16(&mut central, count_field); // entries on this disk
    put_u16(&mut central, count_field); // entries in all
    put_u32(&mut central, directory_size);
    put_u32(&mut central, offset);
    put_u16(&mut central, 0); // comment length
    parts.push(Part::Bytes(central));
    Ok(parts)
}

/// What the local and central headers of one entry share.
struct Header<'a> {
    name: &'a [u8],
    name_len: u16,
    crc32: u32,
    size: u32,
    modified: DosTime,
}

impl Header<'_> {
    /// The local file header (APPNOTE 4.3.7), then the name; no extra field.
    fn write_local(&self, out: &mut Vec<u8>) {
        put_u32(out, LOCAL_HEADER_SIGNATURE);
        put_u16(out, VERSION_NEEDED);
        self.write_common(out);
        put_u16(out, 0); // extra field length
        out.extend_from_slice(self.name);
    }

    /// The central directory header (APPNOTE 4.3.12), then the name; no extra field
    /// nor comment. `offset`: where the entry's local header starts.
    fn write_central(&self, out: &mut Vec<u8>, offset: u32) {
        put_u32(out, CENTRAL_HEADER_SIGNATURE);
        put_u16(out, VERSION_MADE_BY);
        put_u16(out, VERSION_NEEDED);
        self.write_common(out);
        put_u16(out, 0); // extra field length
        put_u16(out, 0); // comment length
        put_u16(out, 0); // disk number where the entry starts
        put_u16(out, 0); // internal attributes: binary data
        put_u32(out, EXTERNAL_ATTRIBUTES);
        put_u32(out, offset);
        out.extend_from_slice(self.name);
    }

    /// From the flags to the name's length, the same in both headers.
    fn write_common(&self, out: &mut Vec<u8>) {
        put_u16(out, FLAGS);
        put_u16(out, METHOD_STORED);
        put_u16(out, self.modified.time);
        put_u16(out, self.modified.date);
        put_u32(out, self.crc32);
        put_u32(out, self.size); // compressed: stored, so the same
        put_u32(out, self.size);
        put_u16(out, self.name_len);
    }
}

fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}
