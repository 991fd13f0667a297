//! The ordered list of input images, as plain data.
//!
//! Nothing here touches the page (only the browser's `Intl`, for numbers in labels),
//! so the ordering rules (the part users rely on when a prompt says "the hat from
//! image 2") are easy to test. The limit itself comes from the contract: this module
//! only asks `validate_image_count`.

use std::sync::atomic::{AtomicU32, Ordering};

use seedream_contract::image::{ImageFormat, validate_image_count};

use super::name::Name;
use super::problem::{FileProblem, Problem};
use crate::i18n::{Locale, td_string};
use crate::locale::format;
use crate::media::{FromResult, Source};

/// One image the user added, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct InputImage {
    /// Unique for the page's lifetime; keys the rendered card, so a card keeps its
    /// DOM (and focus) while the list is reordered.
    pub id: u32,
    /// What the API receives: a local file (a handle; its data URI is written at
    /// send time) or the http(s) URL as typed.
    pub source: Source,
    /// The file name, or for a URL the last part of its path; empty for a pasted
    /// image without one (see [`InputImage::shown_name`]).
    pub name: String,
    /// The format from the file's first bytes, or guessed from a URL's extension.
    pub format: Option<ImageFormat>,
    /// Pixel width as shown (EXIF orientation applied), when known.
    pub width: Option<u32>,
    /// Pixel height as shown, when known.
    pub height: Option<u32>,
    /// True once the browser refused to read the file when Edit was pressed: it was
    /// moved, deleted or changed since it was added. Its card says so.
    pub unreadable: bool,
    /// The studio result it came from ("Use as input"), recorded as the new task's
    /// parent.
    pub from: Option<FromResult>,
}

impl InputImage {
    /// True for a local file (sent inline as a data URI), false for a URL.
    pub fn is_local(&self) -> bool {
        self.source.local().is_some()
    }

    /// What the thumbnail's `<img src>` shows: the file's object URL (cheap: the
    /// browser reads the file itself), or the URL itself.
    pub fn preview(&self) -> &str {
        self.source.preview()
    }

    /// The file's size; `None` for URLs (the service fetches those itself).
    pub fn bytes(&self) -> Option<u64> {
        self.source.local().map(|local| local.bytes)
    }

    /// The name as the card shows it, in `locale` when the image has none of its own.
    pub fn shown_name(&self, locale: Locale) -> String {
        self.name().plain(locale)
    }

    /// The image as messages name it. Only a file's name can be empty: a pasted
    /// image that came without one.
    pub fn name(&self) -> Name {
        if self.name.is_empty() {
            Name::Pasted
        } else {
            Name::Given(self.name.clone())
        }
    }

    /// "1024 × 768", when both dimensions are known. Written like the sizes the form
    /// offers ("2048x2048"): pixel dimensions are not grouped, in any language.
    pub fn pixel_size(&self) -> Option<String> {
        match (self.width, self.height) {
            (Some(width), Some(height)) => Some(format!("{width} × {height}")),
            _ => None,
        }
    }

    /// The format's name, or "Unknown format" for a URL without a telling extension.
    pub fn format_label(&self, locale: Locale) -> String {
        match self.format {
            Some(format) => format.label().to_owned(),
            None => td_string!(locale, images.details.unknown_format).to_string(),
        }
    }

    /// The size shown on the card: "2.4 MB" for a file, "URL" for a URL input.
    pub fn size_label(&self, locale: Locale) -> String {
        match self.bytes() {
            Some(bytes) => format::bytes(locale, bytes),
            None => td_string!(locale, images.details.address).to_string(),
        }
    }
}

/// A fresh id for an image (or for a file still being read).
///
/// A process-wide counter rather than "largest id + 1", so an id is never reused
/// while an earlier read with that id may still be finishing.
pub fn next_id() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// True when a list of `count` images can take one more within an edit's limit.
pub fn has_room(count: usize) -> bool {
    validate_image_count(count.saturating_add(1)).is_ok()
}

/// An image the list had no room for, handed back (dropping it frees its object URL).
#[derive(Debug)]
pub struct Refused {
    pub image: Box<InputImage>,
    /// Says the list is full, naming the image.
    pub problem: FileProblem,
}

/// Appends `image`, or refuses it ([`Problem::Full`]) when the list already holds
/// `max` images (an edit's [`MAX_IMAGES`](seedream_contract::MAX_IMAGES), or a
/// batch's limits).
pub fn add(list: &mut Vec<InputImage>, image: InputImage, max: usize) -> Result<(), Refused> {
    if list.len() < max {
        list.push(image);
        Ok(())
    } else {
        let problem = FileProblem::new(image.id, image.name(), Problem::Full { max });
        Err(Refused {
            image: Box::new(image),
            problem,
        })
    }
}

/// The 0-based position of the image with `id`.
pub fn position(list: &[InputImage], id: u32) -> Option<usize> {
    list.iter().position(|image| image.id == id)
}

/// Removes the image with `id` and returns it.
pub fn remove(list: &mut Vec<InputImage>, id: u32) -> Option<InputImage> {
    let index = position(list, id)?;
    Some(list.remove(index))
}

/// Moves the image at `from` to position `to` (both 0-based), shifting the ones
/// between. Returns false, changing nothing, when either is out of range or they
/// are equal.
pub fn move_to(list: &mut Vec<InputImage>, from: usize, to: usize) -> bool {
    if from == to || from >= list.len() || to >= list.len() {
        return false;
    }
    let image = list.remove(from);
    list.insert(to, image);
    true
}

/// Moves the image at `index` one place earlier; false at the start.
pub fn move_up(list: &mut Vec<InputImage>, index: usize) -> bool {
    index
        .checked_sub(1)
        .is_some_and(|to| move_to(list, index, to))
}

/// Moves the image at `index` one place later; false at the end.
pub fn move_down(list: &mut Vec<InputImage>, index: usize) -> bool {
    index
        .checked_add(1)
        .is_some_and(|to| move_to(list, index, to))
}

/// What the request's `image` array carries, in order (handles, not bytes).
pub fn sources(list: &[InputImage]) -> Vec<Source> {
    list.iter().map(|image| image.source.clone()).collect()
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
