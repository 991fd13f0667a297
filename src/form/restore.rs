//! Filling the form from elsewhere: "Edit again" from a task, "Use as input" from a
//! result. Both go through the form's own intake, so restored images are checked
//! and ordered exactly like images the user adds.

use leptos::prelude::*;
use seedream_contract::size::Size;

use super::{FormState, SizeChoice};
use crate::embed::Options;
use crate::history::EditAgain;

impl FormState {
    /// An empty form with the page's defaults (size, format, sets).
    pub fn with_defaults(options: &Options) -> FormState {
        let form = FormState::default();
        form.apply_defaults(options);
        form
    }

    /// Empties the form back to the page's defaults.
    pub fn reset(self, options: &Options) {
        self.prompt.set(String::new());
        self.intake.clear();
        self.notice.set(None);
        self.apply_defaults(options);
    }

    fn apply_defaults(self, options: &Options) {
        self.size.set(options.size.clone());
        self.format.set(options.format);
        self.sequential.set(options.sequential);
        self.max_images.set(options.max_images);
    }

    /// Replaces the whole form with an earlier edit. Images that could not be
    /// restored (local files from before a reload) are named in the notice.
    pub fn restore(self, edit: EditAgain) {
        self.prompt.set(edit.prompt.clone());
        self.intake.clear();
        for source in edit.images.iter().cloned() {
            self.intake.add_source(source);
        }
        self.size.set(size_choice(&edit.size));
        self.sequential.set(edit.sequential);
        self.max_images.set(edit.max_images);
        self.format.set(edit.output_format);
        let restored = "The form now holds that edit: change what you like and press Edit.";
        self.notice.set(Some(match edit.notice() {
            Some(missing) => format!("{restored} {missing}"),
            None => restored.to_owned(),
        }));
    }

    /// Adds a result, by its address, as the next input image.
    pub fn use_as_input(self, url: String) {
        let position = self.intake.images.with_untracked(Vec::len)
            + self.intake.pending.with_untracked(Vec::len)
            + 1;
        self.intake.add_url(url);
        self.notice.set(Some(format!(
            "The result was added as Image {position}. Results expire, so edit it soon."
        )));
    }
}

/// The size picker's choice for a size sent earlier, `WIDTHxHEIGHT`.
fn size_choice(sent: &str) -> SizeChoice {
    sent.parse::<Size>()
        .map_or_else(|_| SizeChoice::default(), SizeChoice::from_size)
}

/// The form's notice, dismissable, announced politely.
#[component]
pub fn FormNotice(notice: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <div class="form-notice-region" role="status" aria-live="polite">
            <Show when=move || notice.with(Option::is_some)>
                <div class="form-notice">
                    <p>{move || notice.get()}</p>
                    <button type="button" class="quiet" on:click=move |_| notice.set(None)>
                        "Dismiss"
                    </button>
                </div>
            </Show>
        </div>
    }
}
