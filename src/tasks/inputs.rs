//! The input images of this session's tasks, in memory: what "Submit again" sends and
//! "Edit again" puts back.
//!
//! The history never holds a local image (a few files would exhaust localStorage's
//! ~5 MB), so a record keeps only URL inputs. To still send again or restore local
//! files during the session they were added in, the images' [`Source`]s (handles to
//! the browser's files, never their bytes) are kept here, keyed by the record's local
//! id, beside the task list in [`Tasks`](super::Tasks). After a reload this cache is
//! empty and only URL inputs can be restored.
//!
//! A picked file costs the page almost nothing (the browser reads it from disk when
//! asked), but a pasted image lives in the browser's memory, so the cache is bounded
//! by [`INPUT_CACHE_BUDGET`] bytes of local images, forgetting the oldest tasks
//! first. Forgetting a task drops its handles, and with the last one an image's
//! object URL is revoked.

use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;

use super::Tasks;
use crate::form::EditAgain;
use crate::history::TaskRecord;
use crate::media::Source;

/// The most local image bytes the cache holds: enough for one task of fourteen
/// 10 MB images and more, without letting a long session of pasted images grow
/// the browser's memory without limit.
pub const INPUT_CACHE_BUDGET: usize = 256 * 1024 * 1024;

/// Input images by record id, oldest first, within a byte budget.
#[derive(Debug)]
pub struct InputCache {
    entries: VecDeque<(String, Rc<[Source]>)>,
    bytes: usize,
    budget: usize,
}

impl Default for InputCache {
    fn default() -> Self {
        Self::with_budget(INPUT_CACHE_BUDGET)
    }
}

impl InputCache {
    /// An empty cache holding at most `budget` bytes of local images.
    pub fn with_budget(budget: usize) -> InputCache {
        InputCache {
            entries: VecDeque::new(),
            bytes: 0,
            budget,
        }
    }

    /// Keeps the images sent for a record, replacing earlier ones for the same id
    /// and forgetting the oldest entries to stay within budget. A set larger than
    /// the whole budget is not kept (its URL inputs remain restorable).
    pub fn remember(&mut self, id: &str, images: Vec<Source>) {
        self.forget(id);
        let size = byte_size(&images);
        if size > self.budget {
            return;
        }
        while self.bytes.saturating_add(size) > self.budget {
            match self.entries.pop_front() {
                Some((_, old)) => self.bytes = self.bytes.saturating_sub(byte_size(&old)),
                None => break,
            }
        }
        self.bytes = self.bytes.saturating_add(size);
        self.entries.push_back((id.to_owned(), images.into()));
    }

    /// The images sent for a record, if still held (shared, not copied).
    pub fn recall(&self, id: &str) -> Option<Rc<[Source]>> {
        self.entries
            .iter()
            .find(|(key, _)| key == id)
            .map(|(_, images)| Rc::clone(images))
    }

    /// Drops the images of a record (removed from the history).
    pub fn forget(&mut self, id: &str) {
        let at = self.entries.iter().position(|(key, _)| key == id);
        if let Some((_, old)) = at.and_then(|at| self.entries.remove(at)) {
            self.bytes = self.bytes.saturating_sub(byte_size(&old));
        }
    }

    /// Drops everything (history cleared).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// Bytes of local images held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many records have images held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn byte_size(images: &[Source]) -> usize {
    images
        .iter()
        .filter_map(Source::local)
        .map(|local| usize::try_from(local.bytes).unwrap_or(usize::MAX))
        .fold(0, usize::saturating_add)
}

impl Tasks {
    /// The images sent for `record`, when this session still holds one per input
    /// (so a mismatched entry cannot shift the images' positions).
    pub(super) fn inputs_of(self, record: &TaskRecord) -> Option<Rc<[Source]>> {
        self.inputs
            .try_with_value(|inputs| held_for(inputs, record))
            .flatten()
    }

    /// What "Edit again" puts back for record `id`: its images from this session
    /// when held, else its addresses and the local files this browser kept, naming
    /// the local files that are gone.
    pub async fn edit_again(self, id: &str) -> Option<EditAgain> {
        let record = self.with_record_untracked(id, TaskRecord::clone)?;
        let mut images = Vec::with_capacity(record.inputs.len());
        let mut origins = Vec::with_capacity(record.inputs.len());
        let mut missing = Vec::new();
        let held = self.inputs_of(&record);
        for (index, (input, way)) in record.inputs.iter().zip(restorable(&record)).enumerate() {
            let source = match (&held, way) {
                (Some(held), _) => held.get(index).cloned(),
                (None, Restorable::Address(url)) => Some(Source::Url(url)),
                (None, Restorable::Kept { sha256 }) => self.kept_input(&sha256, "").await,
                (None, Restorable::Gone) => None,
            };
            match source {
                Some(source) => {
                    images.push(source);
                    origins.push(input.from.clone());
                }
                None => missing.push(index),
            }
        }
        Some(EditAgain {
            prompt: record.prompt,
            images,
            origins,
            missing,
            size: record.size.usable().map_err(str::to_owned),
            sequential: record.sequential,
            max_images: record.max_images,
            output_format: record.output_format,
        })
    }
}

/// The images `inputs` holds for `record`, only when there is one per input.
fn held_for(inputs: &InputCache, record: &TaskRecord) -> Option<Rc<[Source]>> {
    inputs
        .recall(&record.id)
        .filter(|held| held.len() == record.inputs.len())
}

/// Where a record's input can come back from when this session does not hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Restorable {
    /// Its address.
    Address(String),
    /// The archive, which may have kept the local file under its digest.
    Kept { sha256: String },
    /// Nowhere: a local file whose digest was never taken (sent before the archive,
    /// or by a browser without `crypto.subtle`).
    Gone,
}

/// Where each of a record's inputs can come back from, in order.
fn restorable(record: &TaskRecord) -> Vec<Restorable> {
    record
        .inputs
        .iter()
        .map(|input| match (&input.url, &input.sha256) {
            (Some(url), _) => Restorable::Address(url.clone()),
            (None, Some(sha256)) => Restorable::Kept {
                sha256: sha256.clone(),
            },
            (None, None) => Restorable::Gone,
        })
        .collect()
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use seedream_contract::EditRequest;

    use super::*;

    /// A record sent with `images` (addresses: a local image needs a browser).
    fn record_of(id: &str, images: &[&str]) -> TaskRecord {
        let images = images
            .iter()
            .map(|url| Source::Url((*url).to_owned()))
            .collect();
        let mut record = TaskRecord::from_request_with_id(
            &EditRequest::new("p".to_owned(), images),
            id.to_owned(),
            0.0,
        );
        record.inputs[0].url = None;
        record
    }

    #[test]
    fn a_held_set_is_used_only_when_it_has_one_image_per_input() {
        let record = record_of(
            "t1",
            &["https://a.example/1.png", "https://a.example/2.png"],
        );
        let mut inputs = InputCache::default();
        assert!(held_for(&inputs, &record).is_none());
        let two = vec![
            Source::Url("https://a.example/1.png".into()),
            Source::Url("https://a.example/2.png".into()),
        ];
        inputs.remember("t1", two.clone());
        assert_eq!(held_for(&inputs, &record).as_deref(), Some(two.as_slice()));
        // A mismatched entry would shift the images' positions: not trusted.
        inputs.remember("t1", vec![Source::Url("https://a.example/1.png".into())]);
        assert!(held_for(&inputs, &record).is_none());
    }

    #[test]
    fn without_held_images_addresses_come_back_and_local_files_from_the_archive() {
        let mut record = record_of(
            "t1",
            &[
                "https://a.example/1.png",
                "https://a.example/2.png",
                "https://a.example/3.png",
            ],
        );
        record.inputs[1].url = None;
        record.inputs[1].sha256 = Some("ab".repeat(32));
        assert_eq!(
            restorable(&record),
            vec![
                Restorable::Gone,
                Restorable::Kept {
                    sha256: "ab".repeat(32)
                },
                Restorable::Address("https://a.example/3.png".into()),
            ]
        );
    }
}
