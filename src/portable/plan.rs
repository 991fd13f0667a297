//! What an import will do, decided from the manifest and the zip's directory alone
//! (no image byte read): each task imported with its files, skipped because it is
//! here already, or skipped and named because its part of the file is bad.

use std::collections::{HashMap, HashSet};

use super::manifest::{FileEntry, Manifest, TaskEntry};
use super::zip::names::{self, BadName};
use super::zip::read::CentralEntry;
use super::zip::{METHOD_DEFLATE, METHOD_STORED};
use crate::archive::{ArchiveError, ImageKey};
use crate::instructions::SavedInstruction;

/// The largest image imported (64 MB): far above any result or input the API takes.
pub const MAX_IMAGE_BYTES: u64 = 64_000_000;

/// Why one task is skipped; the file names are as the manifest gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// A file it names is not in the zip.
    Missing(String),
    /// A file is compressed in a way this studio does not read.
    Method(String),
    /// A file's size or CRC-32 is not what the manifest says.
    Mismatch(String),
    /// A file is larger than [`MAX_IMAGE_BYTES`].
    TooLarge(String),
    /// A file's bytes are not an image (found while importing).
    NotAnImage(String),
    /// A file's name could escape a folder or is not portable.
    BadName(String, BadName),
    /// The task's entry does not hold together (an id or digest of the wrong form).
    Malformed,
    /// The archive refused to store it (its quota, or an error).
    NotStored(ArchiveError),
}

/// A task skipped, as the list of skipped tasks names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub prompt: String,
    pub why: Skip,
}

/// One image to import: where it goes, which zip entry holds it, and what it must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileToImport {
    pub key: ImageKey,
    /// The index of its entry in the directory given to [`plan`].
    pub entry: usize,
    pub name: String,
    pub bytes: u64,
    pub crc32: u32,
    /// An input's digest, checked against its bytes.
    pub sha256: Option<String>,
}

/// A task to import, with its files.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskToImport {
    pub task: TaskEntry,
    pub files: Vec<FileToImport>,
}

/// The whole import, decided.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub tasks: Vec<TaskToImport>,
    /// Tasks this history has already (by id): left as they are.
    pub present: usize,
    pub skipped: Vec<Skipped>,
    /// The saved instructions the file brings (vetted; those saved here already are
    /// left out when they are added).
    pub instructions: Vec<SavedInstruction>,
}

impl Plan {
    /// The bytes the import stores: every file once (inputs may be shared).
    pub fn bytes(&self) -> u64 {
        let mut seen = HashSet::new();
        self.tasks
            .iter()
            .flat_map(|task| &task.files)
            .filter(|file| seen.insert(file.key.clone()))
            .map(|file| file.bytes)
            .fold(0, u64::saturating_add)
    }
}

/// The directory's entries by name, with clutter left out and one common top-level
/// folder (a re-zipped folder's) taken off every name.
pub fn by_name(entries: &[CentralEntry]) -> HashMap<String, usize> {
    let files = || {
        entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| !names::is_clutter(&entry.name))
    };
    let folder = names::common_folder(files().map(|(_, entry)| entry.name.as_str()));
    files()
        .map(|(index, entry)| {
            let name = folder
                .as_deref()
                .and_then(|folder| entry.name.strip_prefix(folder))
                .unwrap_or(&entry.name);
            (name.to_owned(), index)
        })
        .collect()
}

/// Decides the import of `manifest` from the zip's `entries`, given which task ids
/// this history has already.
pub fn plan(manifest: &Manifest, entries: &[CentralEntry], present: &dyn Fn(&str) -> bool) -> Plan {
    let named = by_name(entries);
    let mut plan = Plan {
        instructions: crate::instructions::list::vetted_all(&manifest.instructions),
        ..Plan::default()
    };
    let mut ids = HashSet::new();
    for task in &manifest.tasks {
        if present(&task.id) || !ids.insert(task.id.as_str()) {
            plan.present += 1;
            continue;
        }
        match files_of(task, entries, &named) {
            Ok(files) => plan.tasks.push(TaskToImport {
                task: task.clone(),
                files,
            }),
            Err(why) => plan.skipped.push(Skipped {
                prompt: task.prompt.clone(),
                why,
            }),
        }
    }
    plan
}

fn files_of(
    task: &TaskEntry,
    entries: &[CentralEntry],
    named: &HashMap<String, usize>,
) -> Result<Vec<FileToImport>, Skip> {
    if !is_record_id(&task.id) || task.results.is_empty() {
        return Err(Skip::Malformed);
    }
    let results = task
        .results
        .iter()
        .enumerate()
        .map(|(index, result)| (ImageKey::result(&task.id, index), &result.file, None));
    let mut inputs = Vec::new();
    for input in &task.inputs {
        let Some(file) = &input.file else { continue };
        let sha256 = input.sha256.clone().filter(|sha| is_sha256(sha));
        let Some(sha256) = sha256 else {
            return Err(Skip::Malformed);
        };
        inputs.push((
            ImageKey::Input {
                sha256: sha256.clone(),
            },
            file,
            Some(sha256),
        ));
    }
    results
        .chain(inputs)
        .map(|(key, file, sha256)| {
            let entry = checked(file, entries, named)?;
            Ok(FileToImport {
                key,
                entry,
                name: file.name.clone(),
                bytes: file.bytes,
                crc32: file.crc32,
                sha256,
            })
        })
        .collect()
}

/// The index of `file`'s entry, once its name, method, size and CRC-32 are checked.
fn checked(
    file: &FileEntry,
    entries: &[CentralEntry],
    named: &HashMap<String, usize>,
) -> Result<usize, Skip> {
    let name = || file.name.clone();
    names::check_name(&file.name).map_err(|bad| Skip::BadName(name(), bad))?;
    let index = *named.get(&file.name).ok_or_else(|| Skip::Missing(name()))?;
    let entry = entries.get(index).ok_or_else(|| Skip::Missing(name()))?;
    // The entry's own name too: the folder taken off it may be the bad part.
    names::check_name(&entry.name).map_err(|bad| Skip::BadName(name(), bad))?;
    // Stored, as the studio writes them; deflated, as a system's archive tool does.
    if entry.method != METHOD_STORED && entry.method != METHOD_DEFLATE {
        return Err(Skip::Method(name()));
    }
    if file.bytes > MAX_IMAGE_BYTES || entry.size > MAX_IMAGE_BYTES {
        return Err(Skip::TooLarge(name()));
    }
    if entry.size != file.bytes || entry.crc32 != file.crc32 {
        return Err(Skip::Mismatch(name()));
    }
    Ok(index)
}

/// A local id as this studio writes them: letters, digits, `-` and `_`, at most 64
/// (so it is safe in a key and a file name).
pub fn is_record_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A hex SHA-256, lowercase.
fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
