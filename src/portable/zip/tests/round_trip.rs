//! Files this layer writes, read back by it and by the `zip` crate.

use std::io::{Cursor, Read};

use super::{read_zip, write_zip};
use crate::portable::zip::write::{self, DosTime, Part};
use crate::portable::zip::{FLAG_UTF8, METHOD_STORED, crc32};

fn sample() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("manifest.json", br#"{"version":1,"tasks":[]}"#.to_vec()),
        ("inputs/a.png", (0..=255u8).cycle().take(3000).collect()),
        ("empty.txt", Vec::new()),
        ("结果/图片 1.png", vec![0x89, b'P', b'N', b'G', 0, 0xff]),
    ]
}

fn borrowed<'a>(files: &'a [(&'static str, Vec<u8>)]) -> Vec<(&'static str, &'a [u8])> {
    files
        .iter()
        .map(|(name, bytes)| (*name, bytes.as_slice()))
        .collect()
}

#[test]
fn the_layout_alternates_local_headers_and_entries_then_the_directory() {
    let files = sample();
    let entries = super::to_write(&borrowed(&files));
    let modified = DosTime {
        date: 0x5870,
        time: 0x6daf,
    };
    let parts = write::layout(&entries, modified).unwrap();
    assert_eq!(parts.len(), 2 * files.len() + 1);
    for (index, pair) in parts.chunks(2).take(files.len()).enumerate() {
        let Part::Bytes(local) = &pair[0] else {
            panic!("{pair:?}")
        };
        assert_eq!(local.len(), 30 + files[index].0.len());
        assert_eq!(
            &local[30..],
            files[index].0.as_bytes(),
            "names written as given"
        );
        assert_eq!(&local[..4], b"PK\x03\x04");
        assert_eq!(
            super::get_u16(local, 6),
            FLAG_UTF8,
            "UTF-8 names, no data descriptor"
        );
        assert_eq!(super::get_u16(local, 8), METHOD_STORED);
        assert_eq!(super::get_u16(local, 10), modified.time);
        assert_eq!(super::get_u16(local, 12), modified.date);
        assert_eq!(pair[1], Part::Entry(index));
    }
    let Some(Part::Bytes(tail)) = parts.last() else {
        panic!()
    };
    assert_eq!(&tail[tail.len() - 22..][..4], b"PK\x05\x06");
}

#[test]
fn written_files_read_back_entry_by_entry() {
    let files = sample();
    let file = write_zip(&borrowed(&files));
    let read = read_zip(&file).unwrap();
    assert_eq!(read.len(), files.len());
    for ((entry, data), (name, bytes)) in read.iter().zip(&files) {
        assert_eq!(entry.name, *name);
        assert_eq!(*data, bytes.as_slice());
        assert_eq!(entry.crc32, crc32(bytes));
        assert_eq!((entry.method, entry.flags), (METHOD_STORED, FLAG_UTF8));
        assert_eq!(
            (entry.compressed, entry.size),
            (bytes.len() as u64, bytes.len() as u64)
        );
    }
}

#[test]
fn an_empty_file_list_is_a_valid_empty_zip() {
    let file = write_zip(&[]);
    assert_eq!(file.len(), 22);
    assert_eq!(read_zip(&file).unwrap(), vec![]);
    let archive = zip::ZipArchive::new(Cursor::new(file)).unwrap();
    assert_eq!(archive.len(), 0);
}

#[test]
fn the_zip_crate_reads_written_files_names_data_modes_and_time() {
    let files = sample();
    let file = write_zip(&borrowed(&files));
    let mut archive = zip::ZipArchive::new(Cursor::new(file)).unwrap();
    assert_eq!(archive.len(), files.len());
    let written = zip::DateTime::from_date_and_time(2024, 3, 15, 13, 45, 30).unwrap();
    for (index, (name, bytes)) in files.iter().enumerate() {
        let mut entry = archive.by_index(index).unwrap();
        assert_eq!(entry.name().unwrap(), *name, "Chinese names survive too");
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
        assert_eq!(entry.unix_mode(), Some(0o100_644), "extracted readable");
        assert_eq!(entry.crc32(), crc32(bytes));
        let modified = entry.last_modified().unwrap();
        assert_eq!(
            (modified.datepart(), modified.timepart()),
            (written.datepart(), written.timepart())
        );
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        assert_eq!(&data, bytes, "and the zip crate checks the CRC as it reads");
    }
    assert!(archive.by_name("结果/图片 1.png").is_ok());
}
