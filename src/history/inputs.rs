//! The input images of this session's tasks, in memory, for "Edit again".
//!
//! localStorage never holds a local image (a few files would exhaust its ~5 MB), so
//! [`TaskRecord`] keeps only URL inputs. To still restore local files during the
//! session they were added in, the images' [`Source`]s (handles to the browser's
//! files, never their bytes) are kept here, keyed by the record's local id. After a
//! reload this cache is empty and only URL inputs can be restored;
//! [`EditAgain::missing`] names the others so the user can add them again. Keeping
//! local files across reloads would need IndexedDB (large quota, binary blobs): a
//! possible later enhancement, not built here.
//!
//! The cache is per page (a `thread_local`: wasm has one thread), so any component
//! can reach it without a context. A picked file costs the page almost nothing (the
//! browser reads it from disk when asked), but a pasted image lives in the
//! browser's memory, so the cache is bounded by [`INPUT_CACHE_BUDGET`] bytes of
//! local images, forgetting the oldest tasks first. Forgetting a task drops its
//! handles, and with the last one an image's object URL is revoked.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use seedream_contract::{OutputFormat, SequentialMode};

use super::record::TaskRecord;
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;
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

thread_local! {
    static SESSION: RefCell<InputCache> = RefCell::new(InputCache::default());
}

/// The page's cache: keeps the images sent for a record (see [`InputCache::remember`]).
pub fn remember(id: &str, images: Vec<Source>) {
    SESSION.with_borrow_mut(|cache| cache.remember(id, images));
}

/// The page's cache: the images sent for a record, if still held.
pub fn recall(id: &str) -> Option<Rc<[Source]>> {
    SESSION.with_borrow(|cache| cache.recall(id))
}

/// The page's cache: drops a record's images.
pub fn forget(id: &str) {
    SESSION.with_borrow_mut(|cache| cache.forget(id));
}

/// The page's cache: drops everything.
pub fn forget_all() {
    SESSION.with_borrow_mut(InputCache::clear);
}

/// What "Edit again" puts back into the form.
#[derive(Clone, Debug, PartialEq)]
pub struct EditAgain {
    /// The instruction.
    pub prompt: String,
    /// The images that could be restored, in their original order.
    pub images: Vec<Source>,
    /// The numbers (from 1, as the prompt names them: 2 for "Image 2") of the
    /// images that could not be restored: local files from before a reload.
    pub missing: Vec<usize>,
    /// The output size, `WIDTHxHEIGHT`.
    pub size: String,
    /// Sequential generation mode.
    pub sequential: SequentialMode,
    /// Upper bound of generated images.
    pub max_images: u8,
    /// Output format.
    pub output_format: OutputFormat,
}

impl EditAgain {
    /// The form's contents from a record, taking its images from the page's cache
    /// when held, otherwise restoring URL inputs only.
    pub fn from_record(record: &TaskRecord) -> EditAgain {
        Self::with_cached(record, recall(&record.id).as_deref())
    }

    /// As [`EditAgain::from_record`], with the cached images given explicitly.
    /// Cached images are used only when there is one per recorded input, so a
    /// mismatched entry cannot shift the images' positions.
    pub fn with_cached(record: &TaskRecord, cached: Option<&[Source]>) -> EditAgain {
        let mut images = Vec::with_capacity(record.inputs.len());
        let mut missing = Vec::new();
        match cached.filter(|cached| cached.len() == record.inputs.len()) {
            Some(cached) => images.extend(cached.iter().cloned()),
            None => {
                for (index, input) in record.inputs.iter().enumerate() {
                    match &input.url {
                        Some(url) => images.push(Source::Url(url.clone())),
                        None => missing.push(index + 1),
                    }
                }
            }
        }
        EditAgain {
            prompt: record.prompt.clone(),
            images,
            missing,
            size: record.size.clone(),
            sequential: record.sequential,
            max_images: record.max_images,
            output_format: record.output_format,
        }
    }

    /// A notice for the form when some images could not be restored, in `locale`;
    /// `None` when all were. It warns that positions moved, since prompts name
    /// images by number.
    pub fn notice(&self, locale: Locale) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let separator = td_string!(locale, tasks.restore.separator).to_string();
        let names = self
            .missing
            .iter()
            .map(|&number| {
                let number = count(locale, number as f64);
                td_string!(locale, tasks.inputs.label, number).to_string()
            })
            .collect::<Vec<_>>()
            .join(&separator);
        Some(if self.missing.len() == 1 {
            td_string!(locale, tasks.restore.missing_one, names).to_string()
        } else {
            td_string!(locale, tasks.restore.missing, names).to_string()
        })
    }
}
