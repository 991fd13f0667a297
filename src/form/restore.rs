//! Filling the form from elsewhere: "Edit again" from a task, "Use as input" from a
//! result. Both go through the form's own intake, so restored images are checked
//! and ordered exactly like images the user adds.

use leptos::prelude::*;
use seedream_contract::size::Size;
use seedream_contract::{OutputFormat, SequentialMode};

use super::{FormState, SizeChoice};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::locale::format::count;
use crate::locale::{image_label, image_labels};
use crate::media::{FromResult, Source};

/// What "Edit again" puts back into the form: an earlier edit, as its record keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct EditAgain {
    /// The instruction.
    pub prompt: String,
    /// The images that could be restored, in their original order.
    pub images: Vec<Source>,
    /// The studio result each of `images` came from, if any (a missing entry: none).
    pub origins: Vec<Option<FromResult>>,
    /// The 0-based positions of the images that could not be restored: local files
    /// from before a reload.
    pub missing: Vec<usize>,
    /// The output size, or the stored text that is not one (never guessed).
    pub size: Result<Size, String>,
    /// Sequential generation mode.
    pub sequential: SequentialMode,
    /// Upper bound of generated images.
    pub max_images: u8,
    /// Output format.
    pub output_format: OutputFormat,
}

impl EditAgain {
    /// What the form says of the edit it now holds: which images could not be
    /// restored (positions moved, and prompts name images by number), and a size
    /// that could not be.
    fn describe(&self, locale: Locale) -> String {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            let names = image_labels(locale, &self.missing);
            parts.push(if self.missing.len() == 1 {
                td_string!(locale, tasks.restore.missing_one, names).to_string()
            } else {
                td_string!(locale, tasks.restore.missing, names).to_string()
            });
        }
        if let Err(size) = &self.size {
            parts.push(td_string!(locale, form.notice.size_unusable, size).to_string());
        }
        let restored = td_string!(locale, form.notice.restored).to_string();
        parts.into_iter().fold(restored, |first, then| {
            td_string!(locale, form.notice.followed_by, first, then).to_string()
        })
    }
}

/// What the form says about itself, kept as data and written when shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// "Edit again" filled the form with this edit (its images left out: they are
    /// in the form), which may name images that could not be restored.
    Restored(Box<EditAgain>),
    /// "Use as input" added a result at this 0-based position.
    AddedAsInput(usize),
    /// A move or removal rewrote the instruction's references to images (see
    /// `references`): what it said `before` (for Undo), how many references now name
    /// another position, and how many name a removed image.
    ReferencesFollowed {
        before: String,
        moved: usize,
        orphaned: usize,
    },
    /// The rewrite would have made the instruction `chars` long, over the limit.
    ReferencesNotFollowed { chars: usize },
    /// A saved or recent instruction replaced what the field said `before`.
    InstructionPicked { before: String },
}

impl Notice {
    /// What Undo puts back in the instruction field, when it is offered.
    fn undoes(&self) -> Option<&str> {
        match self {
            Notice::ReferencesFollowed { before, .. } | Notice::InstructionPicked { before } => {
                Some(before)
            }
            _ => None,
        }
    }

    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Notice::Restored(edit) => edit.describe(locale),
            Notice::AddedAsInput(index) => {
                let label = image_label(locale, *index);
                td_string!(locale, form.notice.added_as_input, label).to_string()
            }
            Notice::ReferencesFollowed {
                moved, orphaned, ..
            } => {
                let moved_text = match *moved {
                    0 => None,
                    1 => Some(td_string!(locale, form.notice.references_moved_one).to_string()),
                    n => {
                        let count = count(locale, n as f64);
                        Some(td_string!(locale, form.notice.references_moved, count).to_string())
                    }
                };
                let orphaned_text = match *orphaned {
                    0 => None,
                    1 => Some(td_string!(locale, form.notice.references_orphaned_one).to_string()),
                    n => {
                        let count = count(locale, n as f64);
                        Some(td_string!(locale, form.notice.references_orphaned, count).to_string())
                    }
                };
                [moved_text, orphaned_text]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            Notice::ReferencesNotFollowed { chars } => {
                let (chars, max) = (
                    count(locale, *chars as f64),
                    count(locale, seedream_contract::PROMPT_MAX_CHARS as f64),
                );
                td_string!(locale, form.notice.references_too_long, chars, max).to_string()
            }
            Notice::InstructionPicked { .. } => {
                td_string!(locale, form.notice.instruction_picked).to_string()
            }
        }
    }
}

impl FormState {
    /// Replaces the whole form with an earlier edit. Images that could not be
    /// restored (local files from before a reload), and a stored size that is not
    /// one, are named in the notice; the size field then keeps its default.
    pub fn restore(self, mut edit: EditAgain) {
        self.prompt.set(edit.prompt.clone());
        self.intake.clear();
        // Moved out, not copied: they may be 190 MB of data URIs.
        let mut origins = std::mem::take(&mut edit.origins).into_iter();
        for source in std::mem::take(&mut edit.images) {
            match origins.next().flatten() {
                Some(from) => self.intake.add_result(source, from),
                None => self.intake.add_source(source),
            }
        }
        self.size.set(
            edit.size
                .clone()
                .map_or_else(|_| SizeChoice::default(), SizeChoice::from_size),
        );
        self.sequential.set(edit.sequential);
        self.max_images.set(edit.max_images);
        self.format.set(edit.output_format);
        self.notice.set(Some(Notice::Restored(Box::new(edit))));
    }

    /// Adds a studio result as the next input image: its address while it lasts, its
    /// kept bytes after (see `Intake::add_result`).
    pub fn use_as_input(self, source: Source, from: FromResult) {
        let index = self.intake.images.with_untracked(Vec::len)
            + self.intake.pending.with_untracked(Vec::len);
        self.intake.add_result(source, from);
        self.notice.set(Some(Notice::AddedAsInput(index)));
    }
}

/// The form's notice, dismissable, announced politely; a change of the instruction
/// (its references rewritten, or a saved one picked) offers Undo.
#[component]
pub fn FormNotice(notice: RwSignal<Option<Notice>>, prompt: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let locale = i18n.get_locale();
        notice.with(|n| n.as_ref().map(|n| n.describe(locale)))
    };
    view! {
        <div class="form-notice-region" role="status" aria-live="polite">
            <Show when=move || notice.with(Option::is_some)>
                <div class="form-notice">
                    <p>{text}</p>
                    <button
                        type="button"
                        class="quiet"
                        data-action="undo-instruction"
                        hidden=move || notice.with(|n| n.as_ref().and_then(Notice::undoes).is_none())
                        on:click=move |_| {
                            if let Some(before) = notice.with_untracked(|n| n.as_ref().and_then(Notice::undoes).map(str::to_owned)) {
                                prompt.set(before);
                            }
                            notice.set(None);
                        }
                    >
                        {t!(i18n, form.notice.undo)}
                    </button>
                    <button type="button" class="quiet" on:click=move |_| notice.set(None)>
                        {t!(i18n, form.notice.dismiss)}
                    </button>
                </div>
            </Show>
        </div>
    }
}
