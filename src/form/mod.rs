//! The edit form: prompt, images, size, sets and output format.
//!
//! The form's state is a handful of signals ([`FormState`]); everything shown about it
//! (counts, limits, messages, whether Edit is allowed) is derived from them with the
//! contract's rules. The request is built only when Edit is pressed, with handles to
//! the images, and handed on to be sent (`tasks::send`, the one path every submit
//! takes); what comes back refused is shown under Edit, and a file the browser could
//! no longer read is marked on its card.

pub mod batch;
mod blocked;
pub mod cost;
mod defaults;
pub mod images;
mod output;
mod prompt;
pub mod references;
mod restore;
mod save_instruction;
mod sets;
mod size;
mod suggest;

use leptos::prelude::*;
use seedream_contract::image::{MAX_IMAGE_BYTES, validate_image_count};
use seedream_contract::prompt::validate_prompt;
use seedream_contract::size::Size;
use seedream_contract::{
    EditRequest, MAX_IMAGES, MIN_IMAGES, OutputFormat, SequentialMode, ValidationError,
};

use crate::api::{BodyError, NotSent};
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::ids::dom_id;
use crate::locale::format::count;
use crate::locale::params::{Params, params_line};
use crate::locale::{image_labels, validation};
use crate::media::{FromResult, Source};
pub use batch::{BatchInputs, BatchPlan, Mode};
use blocked::Blocked;
pub use defaults::FormDefaults;
use images::{FileDrop, ImageList, ImagePicker, Intake};
pub use restore::{EditAgain, Notice};
pub use sets::effective_max_images;
pub use size::{SizeChoice, SizeProblem};

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
    pub notice: RwSignal<Option<Notice>>,
    /// One edit, or one per image, with the batch's own images.
    pub batch: BatchInputs,
    /// Edit's own submit path, set by the form when it renders: true when the edit
    /// went on its way. The host's `submit` command presses Edit through it.
    edit: StoredValue<Option<Callback<(), bool>>>,
}

impl Default for FormState {
    fn default() -> Self {
        let defaults = FormDefaults::default();
        let batch = BatchInputs::default();
        FormState {
            prompt: RwSignal::new(String::new()),
            intake: Intake::with_limit(RwSignal::new(Vec::new()), batch.shared_limit()),
            batch,
            size: RwSignal::new(defaults.size),
            sequential: RwSignal::new(defaults.sequential),
            max_images: RwSignal::new(defaults.max_images),
            format: RwSignal::new(defaults.format),
            notice: RwSignal::new(None),
            edit: StoredValue::new(None),
        }
    }
}

impl FormState {
    /// Presses Edit: the request is checked and sent as from the button. False when
    /// Edit is closed (the form is not ready, or not rendered).
    pub fn press_edit(self) -> bool {
        self.edit.get_value().is_some_and(|edit| edit.run(()))
    }

    /// The instruction's references to images follow a move or removal in the list
    /// of `count` images (see `references`), said in the form's notice with Undo.
    pub fn follow_references(self, edit: references::ListEdit, count: usize) {
        let before = self.prompt.get_untracked();
        match references::follow(&before, count, edit) {
            Some(references::Followed::Rewritten {
                text,
                moved,
                orphaned,
            }) => {
                self.prompt.set(text);
                self.notice.set(Some(Notice::ReferencesFollowed {
                    before,
                    moved,
                    orphaned,
                }));
            }
            Some(references::Followed::TooLong { chars }) => {
                self.notice
                    .set(Some(Notice::ReferencesNotFollowed { chars }));
            }
            None => {}
        }
    }

    /// Image 1's pixel size, when known (for "Match Image 1"): in a batch, the first
    /// image to edit's (each item matches its own).
    pub fn first_image(self) -> Signal<Option<(u32, u32)>> {
        let (images, batch) = (self.intake.images, self.batch);
        Signal::derive(move || {
            let list = if batch.on() {
                batch.intake.images
            } else {
                images
            };
            list.with(|list| list.first().and_then(pixel_size))
        })
    }

    /// The request as it stands, read without tracking: called once per press. Its
    /// images are handles; nothing is read yet, and the contract's check comes with
    /// sending, as for every request.
    pub fn request(self) -> Result<EditRequest<Source>, RequestProblem> {
        let images = self
            .intake
            .images
            .with_untracked(|list| images::model::sources(list));
        let first = self.first_image().get_untracked();
        let size = self
            .size
            .with_untracked(|choice| choice.resolve(first))
            .map_err(RequestProblem::Size)?;
        let inputs = images.len();
        let mode = self.sequential.get_untracked();
        let max_images = effective_max_images(self.max_images.get_untracked(), inputs);
        Ok(EditRequest::new(self.prompt.get_untracked(), images)
            .with_size(size)
            .with_output_format(self.format.get_untracked())
            .with_sequential(mode, Some(max_images)))
    }
}

/// An image's pixel size, when known.
fn pixel_size(image: &images::InputImage) -> Option<(u32, u32)> {
    Some((image.width?, image.height?))
}

/// What a press of Edit sends: the request, and for each of its images, in order,
/// its id in the form (to mark those the browser could not read) and the studio
/// result it came from, if any (recorded as the new task's parents).
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub request: EditRequest<Source>,
    pub image_ids: Vec<u32>,
    pub origins: Vec<Option<FromResult>>,
}

/// Why the form's request cannot be sent.
#[derive(Clone, Debug, PartialEq)]
pub enum RequestProblem {
    /// No size could be worked out from the size field.
    Size(SizeProblem),
    /// The contract refused the request.
    Invalid(ValidationError),
    /// The browser refused to read these images (0-based): nothing was sent.
    Unreadable(Vec<usize>),
    /// The body could not be written.
    NotWritten(NotSent),
}

impl RequestProblem {
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            RequestProblem::Size(problem) => problem.describe(locale),
            RequestProblem::Invalid(error) => validation::validation(locale, error),
            RequestProblem::Unreadable(indices) => {
                let images = image_labels(locale, indices);
                if indices.len() == 1 {
                    td_string!(locale, form.actions.unreadable, images).to_string()
                } else {
                    td_string!(locale, form.actions.unreadable_many, images).to_string()
                }
            }
            RequestProblem::NotWritten(reason) => reason.describe(locale),
        }
    }
}

impl From<BodyError> for RequestProblem {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::Unreadable { indices } => RequestProblem::Unreadable(indices),
            BodyError::Unwritable => RequestProblem::NotWritten(NotSent::Unwritable),
            BodyError::Unbuildable => RequestProblem::NotWritten(NotSent::Unbuildable),
        }
    }
}

/// A refusal of the form's latest press: the ids of the images it sent, in order, and
/// why nothing was sent.
pub type Refusal = (Vec<u32>, RequestProblem);

/// True for a key press that belongs to an input method's composition (Chinese,
/// Japanese, Korean...): Enter there picks a candidate, it is not an action. Safari
/// sends the confirming keydown after `compositionend`, with keyCode 229 only.
pub(crate) fn composing(ev: &web_sys::KeyboardEvent) -> bool {
    const IME_KEY_CODE: u32 = 229;
    ev.is_composing() || ev.key_code() == IME_KEY_CODE
}

#[component]
pub fn EditForm(
    state: FormState,
    /// Sends the request (with its images' ids and origins); called at most once
    /// per click or Enter.
    #[prop(into)]
    on_press: Callback<Outgoing>,
    /// True while an edit is on its way: Edit waits for it.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why the latest press sent nothing, if it did not.
    #[prop(into)]
    refusal: Signal<Option<Refusal>>,
    /// Starts a batch; without it, the form offers one edit only.
    #[prop(optional, into)]
    on_batch: Option<Callback<BatchPlan>>,
    /// True while a batch has edits left to send: Start waits for it.
    #[prop(optional, into)]
    batch_busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let prompt_error = Memo::new(move |_| state.prompt.with(|p| validate_prompt(p).err()));
    let input_count = Memo::new(move |_| state.intake.images.with(Vec::len));
    let images_error = Memo::new(move |_| validate_image_count(input_count.get()).err());
    let first_image = state.first_image();
    let resolved_size: Memo<Result<Size, SizeProblem>> =
        Memo::new(move |_| state.size.with(|choice| choice.resolve(first_image.get())));
    // The images the browser could not read for the latest press are marked on their
    // cards (by id: the list may have been reordered since); a later press clears it.
    Effect::new(move |marked: Option<Vec<u32>>| {
        let unreadable: Vec<u32> = refusal.with(|refusal| match refusal {
            Some((ids, RequestProblem::Unreadable(indices))) => indices
                .iter()
                .filter_map(|&i| ids.get(i).copied())
                .collect(),
            _ => Vec::new(),
        });
        if marked.map_or(!unreadable.is_empty(), |marked| marked != unreadable) {
            state.intake.mark_unreadable(&unreadable);
        }
        unreadable
    });
    let batch = state.batch;
    let batch_items = Memo::new(move |_| batch.intake.images.with(Vec::len));
    // The inputs each edit sends: in a batch, its own image and the shared ones.
    let edit_inputs = Signal::derive(move || input_count.get() + usize::from(batch.on()));
    let images_blocked = move || {
        if batch.on() {
            if batch_items.get() == 0 {
                Some(Blocked::BatchEmpty)
            } else if input_count.get() > batch::MAX_SHARED {
                Some(Blocked::TooManyShared)
            } else {
                None
            }
        } else {
            images_error.get().map(Blocked::Images)
        }
    };
    let blocked = Memo::new(move |_| {
        images_blocked()
            .or_else(|| prompt_error.get().map(Blocked::Prompt))
            .or_else(|| resolved_size.get().err().map(Blocked::Size))
            .or_else(|| pending.get().then_some(Blocked::Sending))
            .or_else(|| (batch.on() && batch_busy.get()).then_some(Blocked::BatchRunning))
    });
    // What Edit will send, in the card's words; shown in the action bar beside it.
    let summary = move || {
        let size = resolved_size.with(|size| size.as_ref().map(Size::to_string).ok());
        size.map(|size| {
            let in_batch = batch.on();
            let params = Params {
                inputs: input_count.get() + usize::from(in_batch),
                size: &size,
                format: state.format.get(),
                sequential: state.sequential.get(),
                max_images: state.max_images.get(),
            };
            let locale = i18n.get_locale();
            let params = params_line(locale, &params);
            if in_batch {
                let count = count(locale, batch_items.get() as f64);
                td_string!(locale, form.batch.summary, count, params).to_string()
            } else {
                params
            }
        })
    };
    // The most images Edit (or Start) can make, and with the page's price their cost.
    let price = use_context::<cost::PriceSetting>().unwrap_or_default().0;
    let cost = move || {
        let edits = if batch.on() {
            batch_items.get().max(1)
        } else {
            1
        };
        let outputs = cost::max_outputs(
            state.sequential.get(),
            state.max_images.get(),
            edit_inputs.get(),
            edits,
        );
        cost::cost_line(i18n.get_locale(), outputs, price.as_ref())
    };
    let edit_label = move || {
        let locale = i18n.get_locale();
        match (batch.on(), batch_items.get()) {
            (false, _) => td_string!(locale, form.actions.edit).to_string(),
            (true, 1) => td_string!(locale, form.batch.start_one).to_string(),
            (true, n) => {
                let count = count(locale, n as f64);
                td_string!(locale, form.batch.start, count).to_string()
            }
        }
    };
    let blocked_reason = move || {
        let locale = i18n.get_locale();
        blocked.with(|b| b.as_ref().map(|b| b.describe(locale)))
    };
    let invalid = RwSignal::new(None::<RequestProblem>);
    // The latest refusal: the form's own (no size), else what sending found.
    let submit_error = move || {
        invalid
            .get()
            .or_else(|| refusal.with(|r| r.as_ref().map(|(_, problem)| problem.clone())))
    };
    let press = move || {
        if blocked.with_untracked(Option::is_some) {
            return false;
        }
        if let Some(on_batch) = on_batch.filter(|_| batch.mode.get_untracked() == Mode::Batch) {
            return match state.batch_plan() {
                Ok(plan) => {
                    invalid.set(None);
                    on_batch.run(plan);
                    true
                }
                Err(reason) => {
                    invalid.set(Some(reason));
                    false
                }
            };
        }
        match state.request() {
            Ok(request) => {
                invalid.set(None);
                let (image_ids, origins) = state.intake.images.with_untracked(|list| {
                    list.iter()
                        .map(|image| (image.id, image.from.clone()))
                        .unzip()
                });
                on_press.run(Outgoing {
                    request,
                    image_ids,
                    origins,
                });
                true
            }
            Err(reason) => {
                invalid.set(Some(reason));
                false
            }
        }
    };
    state.edit.set_value(Some(Callback::new(move |()| press())));
    // In batch mode dropped images are the ones to edit.
    let (main_intake, batch_intake) = (state.intake, batch.intake);
    let drop = FileDrop::new(Signal::derive(move || {
        if batch.on() {
            batch_intake
        } else {
            main_intake
        }
    }));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        press();
    };

    view! {
        <form
            class="edit-form"
            class:dropping=move || drop.active.get()
            aria-labelledby=dom_id("edit-form-title")
            on:submit=submit
            on:dragenter=move |ev| drop.enter(ev)
            on:dragover=move |ev| drop.over(ev)
            on:dragleave=move |_| drop.leave()
            on:drop=move |ev| drop.drop(ev)
            novalidate
        >
            <h2 id=dom_id("edit-form-title") class="visually-hidden">{t!(i18n, form.title)}</h2>
            <restore::FormNotice notice=state.notice prompt=state.prompt />
            <prompt::PromptField prompt=state.prompt error=Signal::from(prompt_error) notice=state.notice />
            {on_batch.is_some().then(|| view! { <batch::BatchField batch /> })}
            <fieldset class="field images">
                <legend>{move || if batch.on() {
                    t_string!(i18n, form.batch.shared_legend).to_string()
                } else {
                    t_string!(i18n, form.images.legend).to_string()
                }}</legend>
                <p class="hint">{move || images_hint(i18n.get_locale())}</p>
                <ImagePicker intake=state.intake />
                <ImageList images=state.intake.images on_edit=move |(edit, count)| state.follow_references(edit, count) />
            </fieldset>
            <size::SizeField choice=state.size first_image resolved=Signal::from(resolved_size) />
            <sets::SetsField mode=state.sequential max_images=state.max_images input_count=edit_inputs />
            <output::OutputField format=state.format />
            <div class="actions">
                <button
                    type="submit"
                    class="primary"
                    disabled=move || blocked.with(Option::is_some)
                    // The second press of a double click is not a second edit.
                    on:click=|ev| {
                        if ev.detail() > 1 {
                            ev.prevent_default();
                        }
                    }
                >
                    {edit_label}
                </button>
                <p class="request-summary">{summary}</p>
                <p class="request-cost">{cost}</p>
                <p class="blocked-reason" role="status">{blocked_reason}</p>
                <p class="field-error" role="alert">
                    {move || {
                        let locale = i18n.get_locale();
                        submit_error().map(|e| e.describe(locale))
                    }}
                </p>
            </div>
        </form>
    }
}

/// What the images field takes: how many, which formats, how large.
fn images_hint(locale: Locale) -> String {
    const MIB: usize = 1024 * 1024;
    td_string!(
        locale,
        form.images.hint,
        min = count(locale, MIN_IMAGES as f64),
        max = count(locale, MAX_IMAGES as f64),
        limit = count(locale, (MAX_IMAGE_BYTES / MIB) as f64)
    )
    .to_string()
}
