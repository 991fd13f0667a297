//! Steps 2 to 4 of a read: the central directory, each local header, and the
//! entries' ranges together.

use super::{
    CentralEntry, Damage, Directory, Fields, LOCAL_HEADER_BYTES, Refusal, SENTINEL_16, SENTINEL_32,
};
use crate::portable::zip::{
    CENTRAL_HEADER_LEN, CENTRAL_HEADER_SIGNATURE, FLAG_DATA_DESCRIPTOR, FLAG_ENCRYPTED,
    FLAG_MASKED_HEADERS, FLAG_STRONG_ENCRYPTION, LOCAL_HEADER_SIGNATURE, METHOD_STORED,
};

/// Parses the central directory (`bytes` = exactly the `directory.size` bytes at
/// `directory.offset`).
///
/// Every header must start with its signature and fit within `bytes`, which they must
/// fill exactly, and there must be as many as the end record says. Names must be
/// UTF-8 whether or not flag bit 11 says so: a name that is not (an old tool's CP437)
/// refuses the file rather than being decoded, since the names this app writes are
/// UTF-8 and a guessed encoding could make a name match one it is not. Encryption (flag bit 0, 6 or 13) is refused, and so are
/// ZIP64 sentinels, entries on another disk, stored entries whose two sizes differ and
/// local headers that would not end before the directory.
pub fn read_directory(
    bytes: &[u8],
    directory: &Directory,
    file_len: u64,
) -> Result<Vec<CentralEntry>, Refusal> {
    if directory.offset.saturating_add(directory.size) > file_len {
        return Err(Damage::DirectoryOutsideFile.into());
    }
    if u64::try_from(bytes.len()).ok() != Some(directory.size) {
        return Err(Damage::DirectoryLengthMismatch.into());
    }
    let expected = usize::from(directory.entries);
    let mut entries = Vec::with_capacity(expected.min(bytes.len() / CENTRAL_HEADER_LEN));
    let mut rest = bytes;
    while !rest.is_empty() {
        if entries.len() >= expected {
            return Err(Damage::EntryCountMismatch.into());
        }
        let (entry, after) = central_entry(rest, directory)?;
        entries.push(entry);
        rest = after;
    }
    if entries.len() != expected {
        return Err(Damage::EntryCountMismatch.into());
    }
    Ok(entries)
}

/// The central header at the start of `bytes`, and the bytes after it.
fn central_entry<'a>(
    bytes: &'a [u8],
    directory: &Directory,
) -> Result<(CentralEntry, &'a [u8]), Refusal> {
    let mut fields = Fields(bytes);
    let truncated = Refusal::Damaged(Damage::CentralHeaderTruncated);
    let signature = fields.u32().ok_or(truncated.clone())?;
    if signature != CENTRAL_HEADER_SIGNATURE {
        return Err(Damage::BadCentralSignature.into());
    }
    let header = (|| {
        let _made_by = fields.u16()?;
        let _needed = fields.u16()?;
        let flags = fields.u16()?;
        let method = fields.u16()?;
        let _time_and_date = fields.u32()?;
        let crc32 = fields.u32()?;
        let compressed = fields.u32()?;
        let size = fields.u32()?;
        let lens = [fields.u16()?, fields.u16()?, fields.u16()?]; // name, extra, comment
        let disk = fields.u16()?;
        let _attributes = (fields.u16()?, fields.u32()?);
        let header_offset = fields.u32()?;
        Some((
            flags,
            method,
            crc32,
            [compressed, size, header_offset],
            lens,
            disk,
        ))
    })();
    let (
        flags,
        method,
        crc32,
        [compressed, size, header_offset],
        [name_len, extra_len, comment_len],
        disk,
    ) = header.ok_or(truncated.clone())?;
    let name = fields
        .take(usize::from(name_len))
        .ok_or(truncated.clone())?;
    fields
        .take(usize::from(extra_len))
        .ok_or(truncated.clone())?;
    fields.take(usize::from(comment_len)).ok_or(truncated)?;
    if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS) != 0 {
        return Err(Refusal::Encrypted);
    }
    if [compressed, size, header_offset].contains(&SENTINEL_32) || disk == SENTINEL_16 {
        return Err(Refusal::Zip64);
    }
    if disk != 0 {
        return Err(Refusal::MultiDisk);
    }
    let name = String::from_utf8(name.to_vec()).map_err(|_| Damage::NameNotUtf8)?;
    if method == METHOD_STORED && compressed != size {
        return Err(Damage::StoredSizeMismatch.into());
    }
    let header_offset = u64::from(header_offset);
    if header_offset.saturating_add(LOCAL_HEADER_BYTES) > directory.offset {
        return Err(Damage::LocalHeaderBeyondDirectory.into());
    }
    let entry = CentralEntry {
        name,
        method,
        flags,
        crc32,
        compressed: u64::from(compressed),
        size: u64::from(size),
        header_offset,
    };
    Ok((entry, fields.0))
}

/// From an entry's first 30 local-header bytes: where its data starts (absolute
/// offset), checked against the central entry and the file.
///
/// The local header must have its signature and agree with the central one on the
/// method and the name's length, and on CRC and sizes unless a data descriptor
/// follows the data (flag bit 3), when they may be zero instead. The name itself is
/// not compared: it follows the 30 bytes, which is all this reads. Refused when the
/// data would run past the start of the central directory.
pub fn data_start(
    local: &[u8],
    entry: &CentralEntry,
    directory: &Directory,
) -> Result<u64, Refusal> {
    let mut fields = Fields(local);
    let header = (|| {
        let signature = fields.u32()?;
        let _needed = fields.u16()?;
        let flags = fields.u16()?;
        let method = fields.u16()?;
        let _time_and_date = fields.u32()?;
        let values = [fields.u32()?, fields.u32()?, fields.u32()?]; // CRC, compressed, size
        let lens = [fields.u16()?, fields.u16()?]; // name, extra
        Some((signature, flags, method, values, lens))
    })();
    let (signature, flags, method, [crc32, compressed, size], [name_len, extra_len]) =
        header.ok_or(Damage::LocalHeaderTruncated)?;
    if signature != LOCAL_HEADER_SIGNATURE {
        return Err(Damage::BadLocalSignature.into());
    }
    if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0 {
        return Err(Refusal::Encrypted);
    }
    if compressed == SENTINEL_32 || size == SENTINEL_32 {
        return Err(Refusal::Zip64);
    }
    let descriptor = (flags | entry.flags) & FLAG_DATA_DESCRIPTOR != 0;
    let agrees =
        |local: u32, central: u64| u64::from(local) == central || (descriptor && local == 0);
    let values_agree = agrees(crc32, u64::from(entry.crc32))
        && agrees(compressed, entry.compressed)
        && agrees(size, entry.size);
    if method != entry.method || usize::from(name_len) != entry.name.len() || !values_agree {
        return Err(Damage::LocalHeaderMismatch.into());
    }
    let start = entry
        .header_offset
        .saturating_add(LOCAL_HEADER_BYTES)
        .saturating_add(u64::from(name_len))
        .saturating_add(u64::from(extra_len));
    if start.saturating_add(entry.compressed) > directory.offset {
        return Err(Damage::DataBeyondDirectory.into());
    }
    Ok(start)
}

/// Checks that the data ranges `[start, start + compressed)` of `entries` (paired with
/// their starts) lie before the central directory and do not overlap each other
/// (including their local headers).
///
/// Each entry spans from its local header's start to its data's end, so two entries
/// sharing a local header overlap even when both are empty.
pub fn check_ranges(ranges: &[(u64, &CentralEntry)], directory: &Directory) -> Result<(), Refusal> {
    let mut spans: Vec<(u64, u64)> = ranges
        .iter()
        .map(|(start, entry)| {
            let end = start.saturating_add(entry.compressed);
            (entry.header_offset.min(*start), end)
        })
        .collect();
    spans.sort_unstable();
    let mut previous_end = 0;
    for (begin, end) in spans {
        if end > directory.offset {
            return Err(Damage::DataBeyondDirectory.into());
        }
        if begin < previous_end {
            return Err(Damage::Overlapping.into());
        }
        previous_end = end;
    }
    Ok(())
}
