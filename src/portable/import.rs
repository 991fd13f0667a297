//! Reading an exported zip back, trusting nothing in it: the whole file is refused
//! when its structure or manifest cannot be trusted, and one task is skipped, and
//! named, when only its part is bad. Each image goes from the file into the archive
//! as a `Blob` (a slice of the file, or what the browser inflated), checked on the way.

use futures::future::join;
use seedream_contract::ImageFormat;
use seedream_contract::image::SNIFF_BYTES;

use super::bytes::{self, ReadError};
use super::manifest::{MANIFEST_NAME, MAX_MANIFEST_BYTES, Manifest, ManifestError};
use super::plan::{self, FileToImport, Plan, Skip, Skipped, TaskToImport};
use super::zip::read::{self, CentralEntry, Directory, Refusal};
use super::zip::{METHOD_DEFLATE, METHOD_STORED};
use crate::archive::checksum::{self, Checksum};
use crate::archive::db::ImageToKeep;
use crate::archive::keep::sha256;
use crate::archive::{Archive, ArchiveError};
use crate::history::TaskRecord;
use crate::instructions::SavedInstruction;

/// The largest central directory read (8 MB): 65,535 entries of long names.
pub const MAX_DIRECTORY_BYTES: u64 = 8_000_000;

/// Why a file was refused whole. Nothing was changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// Its zip structure cannot be trusted (or it is not a zip).
    Zip(Refusal),
    /// Its directory is larger than any export's.
    DirectoryTooLarge,
    /// It has no `manifest.json`: not a studio export.
    NoManifest,
    /// Its manifest is over [`MAX_MANIFEST_BYTES`].
    ManifestTooLarge,
    /// Its manifest cannot be read, or was written by a later version.
    Manifest(ManifestError),
    /// Its images need more than the archive's budget has free.
    OverBudget { needed: u64, free: u64 },
    /// The browser could not read the file.
    Unreadable,
}

impl From<Refusal> for Refused {
    fn from(refusal: Refusal) -> Self {
        Refused::Zip(refusal)
    }
}

impl From<ReadError> for Refused {
    fn from(_: ReadError) -> Self {
        Refused::Unreadable
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    /// The records imported, their images in the archive.
    pub records: Vec<TaskRecord>,
    /// Tasks already in this history, left as they were.
    pub present: usize,
    /// Tasks skipped, each with its reason.
    pub skipped: Vec<Skipped>,
    /// The saved instructions the file brought, to add to this studio's.
    pub instructions: Vec<SavedInstruction>,
    /// How many of them were new here (set once they are added).
    pub instructions_added: usize,
}

/// A zip opened and its manifest read: what [`store`] imports.
pub struct Opened {
    entries: Vec<CentralEntry>,
    /// Where each entry's data starts.
    starts: Vec<u64>,
    pub plan: Plan,
}

/// Reads `file`'s structure and manifest and decides the import, given which task ids
/// this history has already; reads no image.
pub async fn open(file: &web_sys::Blob, present: &dyn Fn(&str) -> bool) -> Result<Opened, Refused> {
    let length = file.size() as u64;
    let tail_start = length.saturating_sub(read::TAIL_BYTES);
    let tail = bytes::read_range(file, tail_start, length).await?;
    let directory = read::find_end(&tail, length)?;
    if directory.size > MAX_DIRECTORY_BYTES {
        return Err(Refused::DirectoryTooLarge);
    }
    let listed =
        bytes::read_range(file, directory.offset, directory.offset + directory.size).await?;
    let entries = read::read_directory(&listed, &directory, length)?;
    let starts = data_starts(file, &entries, &directory).await?;
    let manifest = read_manifest(file, &entries, &starts).await?;
    let plan = plan::plan(&manifest, &entries, present);
    Ok(Opened {
        entries,
        starts,
        plan,
    })
}

/// Each entry's data start, from its local header, with the ranges checked together.
async fn data_starts(
    file: &web_sys::Blob,
    entries: &[CentralEntry],
    directory: &Directory,
) -> Result<Vec<u64>, Refused> {
    // Every header is asked for before the first is read: one round trip, not one each.
    let reading = entries
        .iter()
        .map(|entry| {
            let at = entry.header_offset;
            bytes::start_read(file, at, at + read::LOCAL_HEADER_BYTES)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut starts = Vec::with_capacity(entries.len());
    for (entry, reading) in entries.iter().zip(reading) {
        let local = bytes::arrived(reading).await?;
        starts.push(read::data_start(&local, entry, directory)?);
    }
    let ranges: Vec<(u64, &CentralEntry)> = starts.iter().copied().zip(entries).collect();
    read::check_ranges(&ranges, directory)?;
    Ok(starts)
}

async fn read_manifest(
    file: &web_sys::Blob,
    entries: &[CentralEntry],
    starts: &[u64],
) -> Result<Manifest, Refused> {
    let named = plan::by_name(entries);
    let index = *named.get(MANIFEST_NAME).ok_or(Refused::NoManifest)?;
    let (entry, start) = entries
        .get(index)
        .zip(starts.get(index))
        .ok_or(Refused::NoManifest)?;
    if entry.size > MAX_MANIFEST_BYTES || entry.compressed > MAX_MANIFEST_BYTES {
        return Err(Refused::ManifestTooLarge);
    }
    let data = bytes::blob_range(file, *start, start + entry.compressed)?;
    let (text, checksum) = match entry.method {
        METHOD_STORED => {
            let text = bytes::read_range(&data, 0, entry.compressed).await?;
            let crc32 = super::zip::crc32(&text);
            let checksum = Checksum {
                bytes: text.len() as u64,
                crc32,
            };
            (text, checksum)
        }
        METHOD_DEFLATE => {
            let (inflated, checksum) = bytes::inflate(&data, entry.size, "application/json")
                .await
                .map_err(|_| Refused::Manifest(ManifestError::Unreadable))?;
            (
                bytes::read_range(&inflated, 0, checksum.bytes).await?,
                checksum,
            )
        }
        _ => return Err(Refused::Manifest(ManifestError::Unreadable)),
    };
    if checksum.bytes != entry.size || checksum.crc32 != entry.crc32 {
        return Err(Refused::Manifest(ManifestError::Unreadable));
    }
    Manifest::read(&text).map_err(Refused::Manifest)
}

/// Imports what `opened` planned into `archive`, within `free` bytes of its budget;
/// `progress` is told of each task done (of all planned).
pub async fn store(
    file: &web_sys::Blob,
    opened: Opened,
    archive: &Archive,
    free: u64,
    now_ms: f64,
    progress: &dyn Fn(usize, usize),
) -> Result<Imported, Refused> {
    let Opened {
        entries,
        starts,
        plan,
    } = opened;
    let needed = plan.bytes();
    if needed > free {
        return Err(Refused::OverBudget { needed, free });
    }
    let mut imported = Imported {
        present: plan.present,
        skipped: plan.skipped,
        instructions: plan.instructions,
        ..Imported::default()
    };
    let total = plan.tasks.len();
    let mut tasks = plan.tasks.into_iter();
    let mut current = match tasks.next() {
        Some(task) => {
            let images = images_of(file, &task.files, &entries, &starts).await;
            Some((task, images))
        }
        None => None,
    };
    let mut done = 0;
    // Each edit's bytes are checked while the one before is written.
    while let Some((TaskToImport { task, .. }, images)) = current.take() {
        let following = tasks.next();
        let storing = async {
            match images {
                Ok(images) => stored(archive, &task, &images, now_ms)
                    .await
                    .map_err(Skip::NotStored),
                Err(why) => Err(why),
            }
        };
        let checking = async {
            match &following {
                Some(next) => Some(images_of(file, &next.files, &entries, &starts).await),
                None => None,
            }
        };
        let (outcome, checked) = join(storing, checking).await;
        match outcome {
            Ok(()) => imported.records.push(task.to_record(now_ms)),
            Err(why) => imported.skipped.push(Skipped {
                prompt: task.prompt.clone(),
                why,
            }),
        }
        done += 1;
        progress(done, total);
        current = following.zip(checked);
    }
    Ok(imported)
}

/// Stores one task's images (all or nothing), with its pin.
async fn stored(
    archive: &Archive,
    task: &super::manifest::TaskEntry,
    images: &[ImageToKeep],
    now_ms: f64,
) -> Result<(), ArchiveError> {
    archive.put_task(&task.id, now_ms, images).await?;
    if task.pinned {
        archive.set_pinned(&task.id, true).await?;
    }
    Ok(())
}

/// A task's images from the file, each checked: its size and CRC-32 as the manifest
/// says, an image by its first bytes, an input's digest.
async fn images_of(
    file: &web_sys::Blob,
    files: &[FileToImport],
    entries: &[CentralEntry],
    starts: &[u64],
) -> Result<Vec<ImageToKeep>, Skip> {
    let mut images = Vec::with_capacity(files.len());
    for wanted in files {
        let missing = || Skip::Missing(wanted.name.clone());
        let (entry, start) = entries
            .get(wanted.entry)
            .zip(starts.get(wanted.entry))
            .ok_or_else(missing)?;
        let data =
            bytes::blob_range(file, *start, start + entry.compressed).map_err(|_| missing())?;
        let (blob, checksum) = if entry.method == METHOD_DEFLATE {
            bytes::inflate(&data, wanted.bytes, "")
                .await
                .map_err(|_| Skip::Mismatch(wanted.name.clone()))?
        } else {
            let checksum = checksum::of_blob(&data).await.map_err(|_| missing())?;
            (data, checksum)
        };
        if checksum.bytes != wanted.bytes || checksum.crc32 != wanted.crc32 {
            return Err(Skip::Mismatch(wanted.name.clone()));
        }
        let head = bytes::read_range(&blob, 0, SNIFF_BYTES as u64)
            .await
            .map_err(|_| missing())?;
        let format =
            ImageFormat::sniff(&head).ok_or_else(|| Skip::NotAnImage(wanted.name.clone()))?;
        let blob = bytes::typed(&blob, format.mime_type()).map_err(|_| missing())?;
        if let Some(expected) = &wanted.sha256
            && sha256(&blob).await.as_ref() != Some(expected)
        {
            return Err(Skip::Mismatch(wanted.name.clone()));
        }
        images.push(ImageToKeep {
            key: wanted.key.clone(),
            blob: blob.into(),
            checksum,
            content_type: format.mime_type().to_owned(),
        });
    }
    Ok(images)
}
