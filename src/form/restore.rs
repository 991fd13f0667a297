//! Filling the form from elsewhere: "Edit again" from a task, "Use as input" from a
//! result. Both go through the form's own intake, so restored images are checked
//! and ordered exactly like images the user adds.

use leptos::prelude::*;
use seedream_contract::size::Size;

use super::images::name::label;
use super::{FormState, SizeChoice};
use crate::history::EditAgain;
use crate::i18n::{Locale, t, td_string, use_i18n};

/// What the form says about itself, kept as data and written when shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// "Edit again" filled the form with this edit (its images left out: they are
    /// in the form), which may name images that could not be restored.
    Restored(Box<EditAgain>),
    /// "Use as input" added a result at this 0-based position.
    AddedAsInput(usize),
}

impl Notice {
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Notice::Restored(edit) => {
                let restored = td_string!(locale, form.notice.restored).to_string();
                match edit.notice(locale) {
                    Some(missing) => {
                        td_string!(locale, form.notice.restored_with_missing, restored, missing)
                            .to_string()
                    }
                    None => restored,
                }
            }
            Notice::AddedAsInput(index) => {
                let label = label(locale, *index);
                td_string!(locale, form.notice.added_as_input, label).to_string()
            }
        }
    }
}

impl FormState {
    /// Replaces the whole form with an earlier edit. Images that could not be
    /// restored (local files from before a reload) are named in the notice.
    pub fn restore(self, mut edit: EditAgain) {
        self.prompt.set(edit.prompt.clone());
        self.intake.clear();
        // Moved out, not copied: they may be 190 MB of data URIs.
        for source in std::mem::take(&mut edit.images) {
            self.intake.add_source(source);
        }
        self.size.set(size_choice(&edit.size));
        self.sequential.set(edit.sequential);
        self.max_images.set(edit.max_images);
        self.format.set(edit.output_format);
        self.notice.set(Some(Notice::Restored(Box::new(edit))));
    }

    /// Adds a result, by its address, as the next input image.
    pub fn use_as_input(self, url: String) {
        let index = self.intake.images.with_untracked(Vec::len)
            + self.intake.pending.with_untracked(Vec::len);
        self.intake.add_url(url);
        self.notice.set(Some(Notice::AddedAsInput(index)));
    }
}

/// The size picker's choice for a size sent earlier, `WIDTHxHEIGHT`.
fn size_choice(sent: &str) -> SizeChoice {
    sent.parse::<Size>()
        .map_or_else(|_| SizeChoice::default(), SizeChoice::from_size)
}

/// The form's notice, dismissable, announced politely.
#[component]
pub fn FormNotice(notice: RwSignal<Option<Notice>>) -> impl IntoView {
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
                    <button type="button" class="quiet" on:click=move |_| notice.set(None)>
                        {t!(i18n, form.notice.dismiss)}
                    </button>
                </div>
            </Show>
        </div>
    }
}
