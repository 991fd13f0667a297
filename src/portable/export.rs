//! Writing kept tasks into one zip: the headers in Rust, the images as the stored
//! `Blob`s, joined by the browser (`new Blob([...])`), so no image byte is read.

use std::collections::HashSet;

use js_sys::{Array, Uint8Array};
use seedream_contract::ImageFormat;
use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag};

use super::manifest::{FileEntry, MANIFEST_NAME, Manifest, TaskEntry, TaskFiles};
use super::plan::is_record_id;
use super::zip::crc32;
use super::zip::write::{self, DosTime, EntryToWrite, Part, TooLarge};
use crate::archive::stored::StoredImage;
use crate::archive::{Archive, ArchiveError, ImageKey};
use crate::history::{Kept, TaskRecord};
use crate::instructions::SavedInstruction;

/// An export, ready to download.
#[derive(Debug)]
pub struct Export {
    /// The zip.
    pub file: Blob,
    /// The tasks in it.
    pub tasks: usize,
    /// Tasks asked for whose images this browser does not hold (not kept, or removed
    /// to make room): left out.
    pub left_out: usize,
}

/// Why nothing was exported.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportError {
    /// None of the tasks asked for has its images kept here.
    NothingKept,
    /// The zip would need ZIP64 (over 4 GiB or 65,535 files): export fewer tasks.
    TooLarge(TooLarge),
    /// The archive could not be read.
    Archive(ArchiveError),
    /// The browser refused to build the file.
    Browser,
}

impl From<ArchiveError> for ExportError {
    fn from(error: ArchiveError) -> Self {
        ExportError::Archive(error)
    }
}

/// The file name an export of `tasks` tasks made at `now_ms` is saved as.
pub fn file_name(now_ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(now_ms));
    format!(
        "seedream-studio-{:04}-{:02}-{:02}.zip",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

/// Exports `records` (newest first) from `archive`: every kept result and local input
/// (each input once), and the manifest with the saved `instructions`.
pub async fn export(
    archive: &Archive,
    records: &[TaskRecord],
    instructions: Vec<SavedInstruction>,
    now_ms: f64,
) -> Result<Export, ExportError> {
    let asked: Vec<&TaskRecord> = records
        .iter()
        .filter(|r| !r.state.shown_results().is_empty())
        .collect();
    let candidates: Vec<&TaskRecord> = asked
        .iter()
        .copied()
        .filter(|r| r.kept == Kept::Yes && is_record_id(&r.id))
        .collect();
    let keys: Vec<Vec<ImageKey>> = candidates.iter().map(|r| keys_of(r)).collect();
    let flat: Vec<ImageKey> = keys.iter().flatten().cloned().collect();
    let mut stored = archive.stored_images(&flat).await?.into_iter();

    let mut entries = Vec::new();
    let mut blobs: Vec<Blob> = Vec::new();
    let mut written = HashSet::new();
    let mut tasks = Vec::new();
    for (record, keys) in candidates.iter().zip(&keys) {
        let images: Vec<Option<StoredImage>> = stored.by_ref().take(keys.len()).collect();
        // A task whose images are not all here (removed since) is left out whole.
        let Some(images) = images.into_iter().collect::<Option<Vec<_>>>() else {
            continue;
        };
        let results = record.state.shown_results();
        let mut files = TaskFiles {
            results: Vec::new(),
            inputs: vec![None; record.inputs.len()],
        };
        for (key, image) in keys.iter().zip(images) {
            let name = entry_name(key, &image.content_type);
            let file = FileEntry {
                name: name.clone(),
                bytes: image.checksum.bytes,
                crc32: image.checksum.crc32,
            };
            match key {
                ImageKey::Result { .. } => files.results.push(file.clone()),
                ImageKey::Input { sha256 } => {
                    for (slot, input) in files.inputs.iter_mut().zip(&record.inputs) {
                        if input.sha256.as_deref() == Some(sha256.as_str()) {
                            *slot = Some(file.clone());
                        }
                    }
                }
            }
            if written.insert(name.clone()) {
                entries.push(EntryToWrite {
                    name,
                    bytes: image.checksum.bytes,
                    crc32: image.checksum.crc32,
                });
                blobs.push(image.blob);
            }
        }
        tasks.push(TaskEntry::of(record, &results, files));
    }
    if tasks.is_empty() {
        return Err(ExportError::NothingKept);
    }
    let count = tasks.len();
    let manifest = Manifest::new(tasks, instructions, now_ms).to_bytes();
    entries.insert(
        0,
        EntryToWrite {
            name: MANIFEST_NAME.to_owned(),
            bytes: manifest.len() as u64,
            crc32: crc32(&manifest),
        },
    );
    blobs.insert(0, bytes_blob(&manifest, "application/json")?);
    let parts =
        write::layout(&entries, DosTime::from_unix_ms(now_ms)).map_err(ExportError::TooLarge)?;
    let file = join(&parts, &blobs)?;
    Ok(Export {
        file,
        tasks: count,
        left_out: asked.len() - count,
    })
}

/// The stored images of a kept record: its shown results, then its local inputs.
fn keys_of(record: &TaskRecord) -> Vec<ImageKey> {
    let results = (0..record.state.shown_results().len()).map(|n| ImageKey::result(&record.id, n));
    let mut inputs: Vec<ImageKey> = Vec::new();
    for sha256 in record.inputs.iter().filter_map(|i| i.sha256.clone()) {
        let key = ImageKey::Input { sha256 };
        if !inputs.contains(&key) {
            inputs.push(key);
        }
    }
    results.chain(inputs).collect()
}

/// `results/<task>-<n>.<ext>` or `inputs/<sha256>.<ext>`.
fn entry_name(key: &ImageKey, content_type: &str) -> String {
    let extension = ImageFormat::ALL
        .into_iter()
        .find(|format| format.mime_type() == content_type)
        .map_or("img", |format| match format {
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Png => "png",
            ImageFormat::Webp => "webp",
            ImageFormat::Bmp => "bmp",
            ImageFormat::Tiff => "tiff",
            ImageFormat::Gif => "gif",
        });
    match key {
        ImageKey::Result { record, index } => format!("results/{record}-{}.{extension}", index + 1),
        ImageKey::Input { sha256 } => format!("inputs/{sha256}.{extension}"),
    }
}

/// A blob of `bytes` (small: a header, the manifest), copied out of wasm memory.
fn bytes_blob(bytes: &[u8], content_type: &str) -> Result<Blob, ExportError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(content_type);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|_| ExportError::Browser)
}

/// The zip: `parts` in order, each entry's data being its blob.
fn join(parts: &[Part], blobs: &[Blob]) -> Result<Blob, ExportError> {
    let sequence = Array::new();
    for part in parts {
        match part {
            Part::Bytes(bytes) => {
                sequence.push(&Uint8Array::from(bytes.as_slice()));
            }
            Part::Entry(index) => {
                sequence.push(blobs.get(*index).ok_or(ExportError::Browser)?);
            }
        }
    }
    let options = BlobPropertyBag::new();
    options.set_type("application/zip");
    Blob::new_with_blob_sequence_and_options(&sequence, &options).map_err(|_| ExportError::Browser)
}
