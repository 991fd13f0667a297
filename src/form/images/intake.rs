//! The queue between "the user gave us files" and "they are in the list".
//!
//! Files are read concurrently (each read is its own task), but they join the list
//! in the order given: a small file picked after a large one waits for it. That
//! order matters because prompts name images by position.

use leptos::prelude::*;
use leptos::task::spawn_local;
use seedream_contract::MAX_IMAGES;
use web_sys::File;

use super::model::{self, InputImage};
use super::name::{Name, shorten};
use super::problem::{FileProblem, Problem};
use super::read;
use crate::i18n::{Locale, td_string};
use crate::media::{FromResult, Source};

/// What is being done with a file or address while it waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// A picked, dropped or pasted file is being read.
    Reading,
    /// A typed address is being checked and loaded.
    Checking,
    /// An image from an earlier edit is being put back.
    Restoring,
}

/// A file or address being read; shown as "Reading photo.png…".
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The id the image will have.
    pub id: u32,
    pub status: Status,
    /// What is being read.
    pub name: Name,
    /// Set when the read ends; the queue is drained from the front in order.
    outcome: Option<Result<InputImage, FileProblem>>,
}

impl Pending {
    /// What the page shows while it waits, e.g. "Reading photo.png…".
    pub fn describe(&self, locale: Locale) -> String {
        let name = self.name.in_sentence(locale);
        match self.status {
            Status::Reading => td_string!(locale, images.pending.reading, name),
            Status::Checking => td_string!(locale, images.pending.checking, name),
            Status::Restoring => td_string!(locale, images.pending.restoring, name),
        }
        .to_string()
    }
}

/// The signals one picker works on. `Copy`, so every event handler can hold it.
#[derive(Clone, Copy)]
pub struct Intake {
    /// The accepted images, in order.
    pub images: RwSignal<Vec<InputImage>>,
    /// Messages about refused files, each naming its file.
    pub problems: RwSignal<Vec<FileProblem>>,
    /// Reads under way, in the order they will join the list.
    pub pending: RwSignal<Vec<Pending>>,
    /// The most images the list takes: an edit's [`MAX_IMAGES`] unless the form says
    /// otherwise (a batch's shared references and its images to edit).
    pub limit: Signal<usize>,
}

impl Intake {
    /// A queue appending to `images`, with no messages and nothing being read, taking
    /// as many images as an edit does.
    pub fn new(images: RwSignal<Vec<InputImage>>) -> Intake {
        Intake::with_limit(images, Signal::stored(MAX_IMAGES))
    }

    /// [`Intake::new`], taking at most `limit` images.
    pub fn with_limit(images: RwSignal<Vec<InputImage>>, limit: Signal<usize>) -> Intake {
        Intake {
            images,
            problems: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            limit,
        }
    }

    /// Reads `files` concurrently and adds them in order. Files beyond the image
    /// limit (counting those already being read) are refused at once, unread.
    pub fn add_files(self, files: Vec<File>) {
        for file in files {
            let name = Name::of_file(&file.name());
            if let Some(id) = self.reserve(name, Status::Reading) {
                spawn_local(async move {
                    let outcome = read::read_file(file, id).await;
                    self.settle(id, outcome);
                });
            }
        }
    }

    /// Checks and adds a typed address; it queues behind files being read.
    pub fn add_url(self, url: String) {
        let url = url.trim().to_owned();
        let shown = Name::Given(shorten(&url));
        if let Some(id) = self.reserve(shown, Status::Checking) {
            spawn_local(async move {
                let outcome = read::from_url(&url, id).await;
                self.settle(id, outcome);
            });
        }
    }

    /// Adds an image sent before ("Edit again"): a local file this page still holds,
    /// or an address. It queues like any other, so restored images keep their order.
    pub fn add_source(self, source: Source) {
        let local = match source {
            Source::Url(url) => return self.add_url(url),
            Source::Local(local) => local,
        };
        let index = self.images.with_untracked(Vec::len) + self.pending.with_untracked(Vec::len);
        let name = Name::of_restored(&local.name, index);
        if let Some(id) = self.reserve(name, Status::Restoring) {
            spawn_local(async move {
                let outcome = read::restore(Source::Local(local), id, index).await;
                self.settle(id, outcome);
            });
        }
    }

    /// Adds a studio result ("Use as input"): its address, or its bytes kept in this
    /// browser once the address has expired. The image remembers the result it came
    /// from, so the task it goes into records its parent.
    pub fn add_result(self, source: Source, from: FromResult) {
        let index = self.images.with_untracked(Vec::len) + self.pending.with_untracked(Vec::len);
        let name = match &source {
            Source::Url(url) => Name::Given(shorten(url)),
            Source::Local(local) => Name::of_restored(&local.name, index),
        };
        let status = match source {
            Source::Url(_) => Status::Checking,
            Source::Local(_) => Status::Restoring,
        };
        if let Some(id) = self.reserve(name, status) {
            spawn_local(async move {
                let outcome = read::restore(source, id, index).await.map(|mut image| {
                    image.from = Some(from);
                    image
                });
                self.settle(id, outcome);
            });
        }
    }

    /// Marks the images with these ids as refused by the browser (moved, changed or
    /// deleted since added), and the others as readable again.
    pub fn mark_unreadable(self, ids: &[u32]) {
        self.images.update(|list| {
            for image in list.iter_mut() {
                image.unreadable = ids.contains(&image.id);
            }
        });
    }

    /// Removes every image and message, and abandons reads under way.
    pub fn clear(self) {
        self.pending.set(Vec::new());
        self.problems.set(Vec::new());
        self.images.set(Vec::new());
    }

    /// Removes a message the user dismissed.
    pub fn dismiss(self, id: u32) {
        self.problems
            .update(|problems| problems.retain(|p| p.id != id));
    }

    /// Takes a place in the queue, or reports that the list is full.
    fn reserve(self, name: Name, status: Status) -> Option<u32> {
        let taken = self.images.with_untracked(Vec::len) + self.pending.with_untracked(Vec::len);
        let id = model::next_id();
        let max = self.limit.get_untracked();
        if taken >= max {
            self.report(FileProblem::new(id, name, Problem::Full { max }));
            return None;
        }
        self.pending.update(|queue| {
            queue.push(Pending {
                id,
                status,
                name,
                outcome: None,
            })
        });
        Some(id)
    }

    /// Records a finished read, then moves every finished read at the front of the
    /// queue into the list.
    fn settle(self, id: u32, outcome: Result<InputImage, FileProblem>) {
        let mut outcome = Some(outcome);
        self.pending.try_update(|queue| {
            if let Some(entry) = queue.iter_mut().find(|entry| entry.id == id) {
                entry.outcome = outcome.take();
            }
        });
        // The picker was unmounted while reading: nothing will show this image (its
        // object URL goes with it).
        if outcome.is_some() {
            return;
        }
        let finished = self
            .pending
            .try_update(|queue| {
                let ready = queue.iter().take_while(|e| e.outcome.is_some()).count();
                queue
                    .drain(..ready)
                    .filter_map(|entry| entry.outcome)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for outcome in finished {
            match outcome {
                Ok(image) => self.accept(image),
                Err(problem) => self.report(problem),
            }
        }
    }

    /// Adds a read image to the list, or reports why it could not be added.
    fn accept(self, image: InputImage) {
        let warning = read::url_load_warning(&image);
        let mut slot = Some(image);
        let max = self.limit.get_untracked();
        let refused = self.images.try_update(|list| {
            let image = slot.take()?;
            model::add(list, image, max).err()
        });
        match refused {
            Some(None) => {
                if let Some(warning) = warning {
                    self.report(warning);
                }
            }
            // The refused image drops here, and its object URL with it.
            Some(Some(model::Refused { problem, .. })) => self.report(problem),
            None => {}
        }
    }

    /// Shows a message about one file.
    fn report(self, problem: FileProblem) {
        self.problems.try_update(|problems| problems.push(problem));
    }
}

/// The files of a `FileList` (from an input, a drop or a paste), in order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<File> {
    list.map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}
