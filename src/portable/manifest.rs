//! `manifest.json`: the tasks of an exported history, and the files each one names.
//!
//! The format is the studio's own and versioned ([`VERSION`]); `docs/export.md`
//! describes it for other tools. Readers ignore fields they do not know, so a later
//! version may add fields; a reader of any later version reads version 1. The API key
//! has no field here, as it has none in a record.

use seedream_contract::{MODEL_ID, OutputFormat, SequentialMode};
use serde::{Deserialize, Serialize};

use crate::history::{InputRecord, Kept, RecordState, RecordedSize, ResultRecord, TaskRecord};
use crate::instructions::SavedInstruction;
use crate::locale::image_label;
use crate::media::FromResult;

/// The manifest's name in the zip.
pub const MANIFEST_NAME: &str = "manifest.json";
/// What `format` says: this is a studio history.
pub const FORMAT: &str = "seedream-studio-history";
/// The version this studio writes, and the newest it reads.
pub const VERSION: u32 = 1;
/// The largest manifest read (1 MB): about 2,000 tasks of 14 inputs and 4 results.
pub const MAX_MANIFEST_BYTES: u64 = 1_000_000;

/// The whole manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written here.
    pub version: u32,
    /// When the file was written (ms since the Unix epoch).
    #[serde(default)]
    pub exported_at_ms: f64,
    /// The tasks, newest first.
    #[serde(default)]
    pub tasks: Vec<TaskEntry>,
    /// The instructions saved with a name, as the studio lists them. Optional: a
    /// file without it is read as saving none, and a damaged entry is left out alone.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "saved_instructions"
    )]
    pub instructions: Vec<SavedInstruction>,
}

/// The `instructions` field, each entry read on its own (see `instructions::list`).
fn saved_instructions<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<SavedInstruction>, D::Error> {
    let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    Ok(crate::instructions::list::read_stored(raw.get()))
}

/// One finished edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskEntry {
    /// Its local id, which parents name (unique in the file).
    pub id: String,
    /// The service's task id.
    #[serde(default)]
    pub task_id: Option<String>,
    /// The model that made it.
    #[serde(default = "model_id")]
    pub model: String,
    /// The instruction as sent.
    pub prompt: String,
    /// The output size as sent, `WIDTHxHEIGHT`.
    pub size: RecordedSize,
    /// Set generation as sent: `"auto"` or `"disabled"`.
    #[serde(default)]
    pub sequential: SequentialMode,
    /// The set's upper bound as sent.
    #[serde(default = "one")]
    pub max_images: u8,
    /// `"jpeg"` or `"png"`.
    #[serde(default)]
    pub output_format: OutputFormat,
    /// When it was submitted, and when it ended (ms since the Unix epoch).
    pub submitted_at_ms: f64,
    #[serde(default)]
    pub finished_at_ms: Option<f64>,
    /// Kept whatever the archive's budget.
    #[serde(default)]
    pub pinned: bool,
    /// The input images, in the order sent ("Image 1" first).
    #[serde(default)]
    pub inputs: Vec<InputEntry>,
    /// The results, in order.
    pub results: Vec<ResultEntry>,
    /// Where it came from: which of its inputs was which task's result.
    #[serde(default)]
    pub parents: Vec<ParentEntry>,
}

/// An input image: its address, or its file in the zip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputEntry {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub file: Option<FileEntry>,
    /// The hex SHA-256 of a file's bytes.
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

/// A result: its file in the zip, and the address it was served from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultEntry {
    pub file: FileEntry,
    pub url: String,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

/// A file in the zip: its name, size in bytes and CRC-32 (as its zip entry says).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub crc32: u32,
}

/// Input `input` of the task was result `result` of task `task`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentEntry {
    pub input: usize,
    pub task: String,
    pub result: usize,
}

fn model_id() -> String {
    MODEL_ID.to_owned()
}

fn one() -> u8 {
    1
}

/// Why a manifest cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestError {
    /// Not JSON of this shape, or not a studio history.
    Unreadable,
    /// Written by a later version this one does not know.
    UnknownVersion(u32),
}

impl Manifest {
    /// A manifest of `tasks` and the saved `instructions`, written at `now_ms`.
    pub fn new(
        tasks: Vec<TaskEntry>,
        instructions: Vec<SavedInstruction>,
        now_ms: f64,
    ) -> Manifest {
        Manifest {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at_ms: now_ms,
            tasks,
            instructions,
        }
    }

    /// Reads a manifest's bytes.
    pub fn read(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        let manifest: Manifest =
            serde_json::from_slice(bytes).map_err(|_| ManifestError::Unreadable)?;
        if manifest.format != FORMAT {
            return Err(ManifestError::Unreadable);
        }
        if manifest.version == 0 || manifest.version > VERSION {
            return Err(ManifestError::UnknownVersion(manifest.version));
        }
        Ok(manifest)
    }

    /// Its bytes, as written into the zip.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Plain data: serialising it cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The files of a task as the export names them.
pub struct TaskFiles {
    /// Each shown result's file, in order.
    pub results: Vec<FileEntry>,
    /// Each input's file (local inputs only), by position.
    pub inputs: Vec<Option<FileEntry>>,
}

impl TaskEntry {
    /// The entry of `record` (done, its results shown in order) with `files`.
    pub fn of(record: &TaskRecord, results: &[ResultRecord], files: TaskFiles) -> TaskEntry {
        let TaskFiles {
            results: result_files,
            inputs: input_files,
        } = files;
        let inputs = record
            .inputs
            .iter()
            .zip(input_files.into_iter().chain(std::iter::repeat(None)))
            .map(|(input, file)| InputEntry {
                url: input.url.clone(),
                sha256: file.as_ref().and(input.sha256.clone()),
                file,
                format: input.format.clone(),
                width: input.width,
                height: input.height,
            })
            .collect();
        let parents = record
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(input, record)| {
                let from = record.from.as_ref()?;
                Some(ParentEntry {
                    input,
                    task: from.record.clone(),
                    result: from.index,
                })
            })
            .collect();
        TaskEntry {
            id: record.id.clone(),
            task_id: record.task_id.clone(),
            model: model_id(),
            prompt: record.prompt.clone(),
            size: record.size.clone(),
            sequential: record.sequential,
            max_images: record.max_images,
            output_format: record.output_format,
            submitted_at_ms: record.submitted_at_ms,
            finished_at_ms: record.finished_at_ms,
            pinned: record.pinned,
            inputs,
            results: results
                .iter()
                .zip(result_files)
                .map(|(result, file)| ResultEntry {
                    file,
                    url: result.url.clone(),
                    format: result.format.clone(),
                    width: result.width,
                    height: result.height,
                })
                .collect(),
            parents,
        }
    }

    /// The history record this entry is, kept in this browser (its images are
    /// imported with it), imported at `now_ms`.
    pub fn to_record(&self, now_ms: f64) -> TaskRecord {
        let mut inputs: Vec<InputRecord> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(index, input)| InputRecord {
                label: image_label(crate::i18n::Locale::en, index),
                url: input.url.clone(),
                format: input.format.clone(),
                width: input.width,
                height: input.height,
                bytes: input.file.as_ref().map(|file| file.bytes),
                sha256: input.file.as_ref().and(input.sha256.clone()),
                from: None,
            })
            .collect();
        for parent in &self.parents {
            if let Some(input) = inputs.get_mut(parent.input) {
                input.from = Some(FromResult {
                    record: parent.task.clone(),
                    index: parent.result,
                });
            }
        }
        let results = self
            .results
            .iter()
            .map(|result| ResultRecord {
                url: result.url.clone(),
                width: result.width,
                height: result.height,
                format: result.format.clone(),
            })
            .collect();
        let finished = self.finished_at_ms.unwrap_or(self.submitted_at_ms);
        TaskRecord {
            id: self.id.clone(),
            task_id: self.task_id.clone(),
            prompt: self.prompt.clone(),
            inputs,
            size: self.size.clone(),
            sequential: self.sequential,
            max_images: self.max_images,
            output_format: self.output_format,
            submitted_at_ms: self.submitted_at_ms,
            finished_at_ms: Some(finished),
            updated_at_ms: Some(now_ms),
            state: RecordState::Done {
                results,
                skipped: 0,
            },
            kept: Kept::Yes,
            pinned: self.pinned,
        }
    }
}

#[cfg(test)]
#[path = "manifest_tests.rs"]
mod tests;
