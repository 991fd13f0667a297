//! The edit form: prompt, images, size, sets and output format.
//!
//! The form's state is a handful of signals ([`FormState`]); everything shown about it
//! (counts, limits, messages, whether Edit is allowed) is derived from them with the
//! contract's rules. The request itself is built only on submit: it carries the images'
//! data, up to ~190 MB, and must not be copied on every keystroke.

pub mod images;
mod output;
mod prompt;
mod restore;
mod sets;
mod size;

use leptos::prelude::*;
use seedream_contract::image::validate_image_count;
use seedream_contract::prompt::validate_prompt;
use seedream_contract::size::Size;
use seedream_contract::{EditRequest, OutputFormat, SequentialMode};

use crate::embed::ids::dom_id;
use images::{ImageList, ImagePicker, Intake};
pub use sets::effective_max_images;
pub use size::SizeChoice;

/// Everything the user has entered.
#[derive(Clone, Copy)]
pub struct FormState {
    pub prompt: RwSignal<String>,
    /// The images, with their messages and reads under way.
    pub intake: Intake,
    pub size: RwSignal<SizeChoice>,
    pub sequential: RwSignal<SequentialMode>,
    pub max_images: RwSignal<u8>,
    pub format: RwSignal<OutputFormat>,
    /// What the form says about itself after "Edit again" or "Use as input".
    pub notice: RwSignal<Option<String>>,
}

impl Default for FormState {
    fn default() -> Self {
        FormState {
            prompt: RwSignal::new(String::new()),
            intake: Intake::new(RwSignal::new(Vec::new())),
            size: RwSignal::new(SizeChoice::default()),
            sequential: RwSignal::new(SequentialMode::Disabled),
            max_images: RwSignal::new(seedream_contract::DEFAULT_MAX_IMAGES),
            format: RwSignal::new(OutputFormat::Jpeg),
            notice: RwSignal::new(None),
        }
    }
}

impl FormState {
    /// Image 1's pixel size, when known (for "Match Image 1").
    pub fn first_image(self) -> Signal<Option<(u32, u32)>> {
        let images = self.intake.images;
        Signal::derive(move || {
            images.with(|list| list.first().and_then(|img| Some((img.width?, img.height?))))
        })
    }

    /// What the page shows of each image, in order (for the task card's thumbnails).
    pub fn previews(self) -> Vec<String> {
        self.intake
            .images
            .with_untracked(|list| list.iter().map(|img| img.preview.clone()).collect())
    }

    /// The request as it stands, read without tracking: called once per submit.
    pub fn request(self) -> Result<EditRequest, String> {
        let images: Vec<String> = self
            .intake
            .images
            .with_untracked(|list| list.iter().map(|img| img.source.clone()).collect());
        let first = self.first_image().get_untracked();
        let size = self.size.with_untracked(|choice| choice.resolve(first))?;
        let inputs = images.len();
        let mode = self.sequential.get_untracked();
        let max_images = effective_max_images(self.max_images.get_untracked(), inputs);
        let request = EditRequest::new(self.prompt.get_untracked(), images)
            .with_size(size)
            .with_output_format(self.format.get_untracked())
            .with_sequential(mode, Some(max_images));
        request.validate().map_err(|err| err.to_string())?;
        Ok(request)
    }
}

#[component]
pub fn EditForm(
    state: FormState,
    /// Called with the validated request; at most once per click or Enter.
    #[prop(into)]
    on_submit: Callback<EditRequest>,
    /// True while a submit is on its way: Edit waits for it.
    #[prop(into)]
    sending: Signal<bool>,
) -> impl IntoView {
    let prompt_error = Memo::new(move |_| {
        state
            .prompt
            .with(|p| validate_prompt(p).err().map(|e| e.to_string()))
    });
    let input_count = Memo::new(move |_| state.intake.images.with(Vec::len));
    let images_error = Memo::new(move |_| {
        validate_image_count(input_count.get())
            .err()
            .map(|e| e.to_string())
    });
    let first_image = state.first_image();
    let resolved_size: Memo<Result<Size, String>> =
        Memo::new(move |_| state.size.with(|choice| choice.resolve(first_image.get())));
    let blocked_reason = move || {
        images_error
            .get()
            .or_else(|| prompt_error.get())
            .or_else(|| resolved_size.get().err())
            .or_else(|| sending.get().then(|| "Sending the edit…".to_owned()))
    };
    let submit_error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if blocked_reason().is_some() {
            return;
        }
        match state.request() {
            Ok(request) => {
                submit_error.set(None);
                on_submit.run(request);
            }
            Err(reason) => submit_error.set(Some(reason)),
        }
    };

    view! {
        <form class="edit-form" aria-labelledby=dom_id("edit-form-title") on:submit=submit novalidate>
            <h2 id=dom_id("edit-form-title") class="visually-hidden">"New edit"</h2>
            <restore::FormNotice notice=state.notice />
            <prompt::PromptField prompt=state.prompt error=Signal::from(prompt_error) />
            <fieldset class="field images">
                <legend>"Images"</legend>
                <p class="hint">
                    {format!(
                        "1 to {} images: JPEG, PNG, WEBP, BMP, TIFF or GIF, up to 10 MB each. The prompt can refer to them by number.",
                        seedream_contract::MAX_IMAGES,
                    )}
                </p>
                <ImagePicker intake=state.intake />
                <ImageList images=state.intake.images />
            </fieldset>
            <size::SizeField choice=state.size first_image resolved=Signal::from(resolved_size) />
            <sets::SetsField mode=state.sequential max_images=state.max_images input_count=Signal::from(input_count) />
            <output::OutputField format=state.format />
            <div class="actions">
                <button
                    type="submit"
                    class="primary"
                    disabled=move || blocked_reason().is_some()
                    // The second press of a double click is not a second edit.
                    on:click=|ev| {
                        if ev.detail() > 1 {
                            ev.prevent_default();
                        }
                    }
                >
                    "Edit"
                </button>
                <p class="blocked-reason" role="status">{blocked_reason}</p>
                <p class="field-error" role="alert">{move || submit_error.get()}</p>
            </div>
        </form>
    }
}
