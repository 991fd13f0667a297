//! Step 1 of a read: the end record, found in the file's tail.

use super::{Damage, Directory, Fields, Refusal, SENTINEL_16, SENTINEL_32};
use crate::portable::zip::{
    END_RECORD_LEN, END_SIGNATURE, ZIP64_LOCATOR_LEN, ZIP64_LOCATOR_SIGNATURE,
};

/// Finds the end-of-central-directory record in `tail` (the last
/// min(TAIL_BYTES, file_len) bytes of a file of `file_len` bytes).
///
/// The record is searched backwards: the last signature whose comment reaches exactly
/// the end of the file. A file shorter than a record, or with no signature, is
/// [`Refusal::NotAZip`]; one whose last signature's comment ends elsewhere is damaged.
/// The directory must lie within the file and end at or before the end record. A
/// ZIP64 locator just before the record is seen only if it lies within `tail` (it
/// always does unless the comment is nearly 64 KiB long); without one, a ZIP64 file
/// still shows sentinel fields, which are refused too.
pub fn find_end(tail: &[u8], file_len: u64) -> Result<Directory, Refusal> {
    let tail_start = u64::try_from(tail.len())
        .ok()
        .and_then(|len| file_len.checked_sub(len))
        .ok_or(Damage::TailLongerThanFile)?;
    let signature = END_SIGNATURE.to_le_bytes();
    let last_start = tail
        .len()
        .checked_sub(END_RECORD_LEN)
        .ok_or(Refusal::NotAZip)?;
    let mut nearest_miss = None;
    let mut found = None;
    for at in (0..=last_start).rev() {
        let Some(record) = tail.get(at..).filter(|rest| rest.starts_with(&signature)) else {
            continue;
        };
        let end = EndRecord::parse(record).ok_or(Refusal::NotAZip)?;
        let record_end = at
            .checked_add(END_RECORD_LEN)
            .and_then(|fixed_end| fixed_end.checked_add(usize::from(end.comment_len)));
        if record_end == Some(tail.len()) {
            found = Some((at, end));
            break;
        }
        if nearest_miss.is_none() {
            nearest_miss = Some(record_end.is_none_or(|record_end| record_end > tail.len()));
        }
    }
    let Some((at, end)) = found else {
        return Err(match nearest_miss {
            None => Refusal::NotAZip,
            Some(true) => Damage::EndRecordBeyondFile.into(),
            Some(false) => Damage::BytesAfterEndRecord.into(),
        });
    };
    let locator = at
        .checked_sub(ZIP64_LOCATOR_LEN)
        .and_then(|locator_at| tail.get(locator_at..))
        .is_some_and(|rest| rest.starts_with(&ZIP64_LOCATOR_SIGNATURE.to_le_bytes()));
    let sentinel = [
        end.disk,
        end.directory_disk,
        end.entries_here,
        end.entries_total,
    ]
    .contains(&SENTINEL_16)
        || [end.directory_size, end.directory_offset].contains(&SENTINEL_32);
    if locator || sentinel {
        return Err(Refusal::Zip64);
    }
    if end.disk != 0 || end.directory_disk != 0 {
        return Err(Refusal::MultiDisk);
    }
    if end.entries_here != end.entries_total {
        return Err(Damage::EntryCountMismatch.into());
    }
    let directory = Directory {
        offset: u64::from(end.directory_offset),
        size: u64::from(end.directory_size),
        entries: end.entries_total,
    };
    // Both are below 2^32, so neither sum overflows.
    let end_at = tail_start.saturating_add(at as u64);
    if directory.offset.saturating_add(directory.size) > end_at {
        return Err(Damage::DirectoryOutsideFile.into());
    }
    Ok(directory)
}

/// The end of central directory record's fields (APPNOTE 4.3.16).
struct EndRecord {
    disk: u16,
    directory_disk: u16,
    entries_here: u16,
    entries_total: u16,
    directory_size: u32,
    directory_offset: u32,
    comment_len: u16,
}

impl EndRecord {
    /// The record at the start of `bytes` (its signature already matched).
    fn parse(bytes: &[u8]) -> Option<EndRecord> {
        let mut fields = Fields(bytes);
        let _signature = fields.u32()?;
        Some(EndRecord {
            disk: fields.u16()?,
            directory_disk: fields.u16()?,
            entries_here: fields.u16()?,
            entries_total: fields.u16()?,
            directory_size: fields.u32()?,
            directory_offset: fields.u32()?,
            comment_len: fields.u16()?,
        })
    }
}
