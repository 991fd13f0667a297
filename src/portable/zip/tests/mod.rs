//! Tests of the ZIP layer as a whole: files written then read, files from another
//! writer, crafted damage and the limits. Helpers here play the browser's part.

mod entry_refusals;
mod file_refusals;
mod limits;
mod round_trip;
mod system;

use super::read::{self, CentralEntry, Damage, Refusal, TAIL_BYTES};
use super::write::{self, DosTime, EntryToWrite, Part};

/// The entries to write for `files` (name, bytes), with their sizes and CRCs.
fn to_write(files: &[(&str, &[u8])]) -> Vec<EntryToWrite> {
    files
        .iter()
        .map(|(name, bytes)| EntryToWrite {
            name: (*name).to_owned(),
            bytes: bytes.len() as u64,
            crc32: super::crc32(bytes),
        })
        .collect()
}

/// The whole file, as the browser would build its `Blob`: each part in order, each
/// `Entry(i)` replaced by file `i`'s bytes.
fn assemble(parts: &[Part], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = Vec::new();
    for part in parts {
        match part {
            Part::Bytes(bytes) => file.extend_from_slice(bytes),
            Part::Entry(index) => file.extend_from_slice(files[*index].1),
        }
    }
    file
}

/// Writes `files` into one ZIP file, modified at 2024-03-15 13:45:30 UTC.
fn write_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let parts =
        write::layout(&to_write(files), DosTime::from_unix_ms(1_710_510_330_000.0)).unwrap();
    let file = assemble(&parts, files);
    assert_eq!(write::total_len(&to_write(files)), file.len() as u64);
    file
}

/// Reads `file` as an import does, step by step, reading only what each step asks
/// for: each entry with its data (still compressed if it is).
fn read_zip(file: &[u8]) -> Result<Vec<(CentralEntry, &[u8])>, Refusal> {
    let len = file.len() as u64;
    let tail = &file[(len - len.min(TAIL_BYTES)) as usize..];
    let directory = read::find_end(tail, len)?;
    let start = directory.offset as usize;
    let central = &file[start..start + directory.size as usize];
    let entries = read::read_directory(central, &directory, len)?;
    let mut starts = Vec::new();
    for entry in &entries {
        let at = entry.header_offset as usize;
        let local = &file[at..at + read::LOCAL_HEADER_BYTES as usize];
        starts.push(read::data_start(local, entry, &directory)?);
    }
    let ranges: Vec<(u64, &CentralEntry)> = starts.iter().copied().zip(&entries).collect();
    read::check_ranges(&ranges, &directory)?;
    Ok(entries
        .iter()
        .zip(starts)
        .map(|(entry, start)| {
            let start = start as usize;
            (
                entry.clone(),
                &file[start..start + entry.compressed as usize],
            )
        })
        .collect())
}

fn get_u16(file: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([file[at], file[at + 1]])
}

fn get_u32(file: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(file[at..at + 4].try_into().unwrap())
}

fn set_u16(file: &mut [u8], at: usize, value: u16) {
    file[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

fn set_u32(file: &mut [u8], at: usize, value: u32) {
    file[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

fn update_u16(file: &mut [u8], at: usize, change: impl FnOnce(u16) -> u16) {
    let value = get_u16(file, at);
    set_u16(file, at, change(value));
}

fn update_u32(file: &mut [u8], at: usize, change: impl FnOnce(u32) -> u32) {
    let value = get_u32(file, at);
    set_u32(file, at, change(value));
}

// The file most refusal tests damage, in one place each.

/// Two stored entries: local headers at 0 and 40, the directory at 81 (its headers
/// at 81 and 132), the end record at 183.
fn base() -> Vec<u8> {
    write_zip(&[("a.txt", b"hello"), ("b.txt", b"world!")])
}

const LOCAL: [usize; 2] = [0, 40];
const CENTRAL: [usize; 2] = [81, 132];
const END: usize = 183;

fn refused(file: &[u8]) -> Refusal {
    read_zip(file).unwrap_err()
}

fn damaged(file: &[u8]) -> Damage {
    match refused(file) {
        Refusal::Damaged(damage) => damage,
        other => panic!("not damage: {other:?}"),
    }
}

/// `base()` changed by `change`.
fn with(change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut file = base();
    change(&mut file);
    file
}
