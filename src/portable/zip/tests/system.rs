//! A file as a system tool writes it (a folder zipped in the Finder): deflated entries
//! in one top-level folder, directory entries, `__MACOSX/` and `.DS_Store`, and data
//! descriptors. Built with the `zip` crate, as a stand-in for those tools.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::read_zip;
use crate::portable::zip::names::{common_folder, is_clutter};
use crate::portable::zip::{FLAG_DATA_DESCRIPTOR, METHOD_DEFLATE, crc32};

/// (name, bytes, is a file of the export); directories have no bytes.
fn folder() -> Vec<(&'static str, Vec<u8>, bool)> {
    let manifest = br#"{"version":1,"tasks":[{"id":"t1","prompt":"a cat"}]}"#.repeat(20);
    vec![
        ("export/", Vec::new(), false),
        ("export/manifest.json", manifest, true),
        ("export/inputs/", Vec::new(), false),
        (
            "export/inputs/a.png",
            b"not really a png, but compressible ".repeat(50),
            true,
        ),
        (
            "export/.DS_Store",
            vec![0, 0, 0, 1, b'B', b'u', b'd', b'1'],
            false,
        ),
        ("__MACOSX/", Vec::new(), false),
        (
            "__MACOSX/export/._manifest.json",
            vec![0, 5, 22, 7, 0, 2, 0, 0],
            false,
        ),
    ]
}

/// The folder zipped with deflate, streamed (`descriptors`: CRC and sizes after the
/// data, as macOS's Archive Utility writes them) or seekable (sizes in place).
fn zipped(descriptors: bool) -> Vec<u8> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    fn fill<W: Write + std::io::Seek>(mut zip: ZipWriter<W>, options: SimpleFileOptions) -> W {
        for (name, bytes, _) in folder() {
            if name.ends_with('/') {
                zip.add_directory(name, options).unwrap();
            } else {
                zip.start_file(name, options).unwrap();
                zip.write_all(&bytes).unwrap();
            }
        }
        zip.finish().unwrap()
    }
    if descriptors {
        let mut out = Vec::new();
        fill(ZipWriter::new_stream(&mut out), options);
        out
    } else {
        fill(ZipWriter::new(Cursor::new(Vec::new())), options).into_inner()
    }
}

#[test]
fn a_system_zip_is_read_with_methods_sizes_and_crcs() {
    for descriptors in [true, false] {
        let file = zipped(descriptors);
        let read = read_zip(&file).unwrap();
        let mut archive = ZipArchive::new(Cursor::new(file.as_slice())).unwrap();
        assert_eq!(read.len(), folder().len());
        for (index, ((entry, data), (name, bytes, _))) in read.iter().zip(folder()).enumerate() {
            assert_eq!(entry.name, name);
            assert_eq!(entry.size, bytes.len() as u64, "{name}");
            assert_eq!(entry.crc32, crc32(&bytes), "{name}");
            assert_eq!(
                entry.flags & FLAG_DATA_DESCRIPTOR != 0,
                descriptors && !name.ends_with('/')
            );
            if !name.ends_with('/') {
                assert_eq!(entry.method, METHOD_DEFLATE, "{name}");
            }
            // The data slice is exactly the compressed stream the zip crate finds.
            let mut raw = Vec::new();
            archive
                .by_index_raw(index)
                .unwrap()
                .read_to_end(&mut raw)
                .unwrap();
            assert_eq!(*data, raw.as_slice(), "{name}");
            assert_eq!(entry.compressed, raw.len() as u64);
        }
        let manifest = &read[1];
        assert!(manifest.0.compressed < manifest.0.size, "really deflated");
    }
}

#[test]
fn the_export_folder_is_found_and_the_extras_are_clutter() {
    let file = zipped(true);
    let read = read_zip(&file).unwrap();
    let names: Vec<&str> = read.iter().map(|(entry, _)| entry.name.as_str()).collect();
    assert_eq!(
        common_folder(names.iter().copied()),
        Some("export/".to_owned())
    );
    for ((name, _, is_file), read_name) in folder().into_iter().zip(&names) {
        assert_eq!(name, *read_name);
        assert_eq!(is_clutter(read_name), !is_file, "{name}");
    }
}
