//! "One edit per image": the form's batch mode. A list of images to edit, each
//! Image 1 of its own edit, beside the form's own images, which every edit shares as
//! Image 2 onwards; one instruction and the usual options. Pressing Start hands a
//! [`BatchPlan`] on (to `batch`, which queues and sends it).
//!
//! Every rule is still the contract's: each edit is a request of its own, checked as
//! one; the shared images leave room for Image 1 ([`MAX_SHARED`]); the set's maximum
//! counts 1 + the shared images as inputs.

use leptos::prelude::*;
use seedream_contract::size::Size;
use seedream_contract::{EditRequest, MAX_IMAGES, OutputFormat, SequentialMode};

use super::images::card::Thumbnail;
use super::images::{Card, ImagePicker, InputImage, Intake};
use super::size::SizeProblem;
use super::{FormState, RequestProblem, effective_max_images, pixel_size};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::count;
use crate::media::{FromResult, Source};

/// The most images one batch edits.
pub const MAX_BATCH_ITEMS: usize = 100;
/// The most images every edit of a batch shares: Image 1 is the item's own.
pub const MAX_SHARED: usize = MAX_IMAGES - 1;
/// Tasks a batch keeps unfinished at once unless the person chooses otherwise.
pub const DEFAULT_CONCURRENCY: usize = 2;
/// The most a person can choose: the provider refuses a fifth task running at once.
pub const MAX_CONCURRENCY: usize = 4;

/// One edit, or one edit per image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Single,
    Batch,
}

/// The batch mode's own inputs.
#[derive(Clone, Copy)]
pub struct BatchInputs {
    pub mode: RwSignal<Mode>,
    /// The images edited one by one, each Image 1 of its own edit.
    pub intake: Intake,
    /// Tasks unfinished at once (1 to [`MAX_CONCURRENCY`]).
    pub concurrency: RwSignal<usize>,
}

impl Default for BatchInputs {
    fn default() -> Self {
        BatchInputs {
            mode: RwSignal::new(Mode::Single),
            intake: Intake::with_limit(RwSignal::new(Vec::new()), Signal::stored(MAX_BATCH_ITEMS)),
            concurrency: RwSignal::new(DEFAULT_CONCURRENCY),
        }
    }
}

impl BatchInputs {
    pub fn on(self) -> bool {
        self.mode.get() == Mode::Batch
    }

    /// The images the form's own list takes: an edit's, or what a batch shares.
    pub fn shared_limit(self) -> Signal<usize> {
        let mode = self.mode;
        Signal::derive(move || match mode.get() {
            Mode::Single => MAX_IMAGES,
            Mode::Batch => MAX_SHARED,
        })
    }
}

/// One image of a batch, and the size its edit asks for (its own, for "Match Image 1").
#[derive(Clone, Debug)]
pub struct BatchItem {
    pub source: Source,
    /// What the person called it, for the batch's list.
    pub name: String,
    pub size: Size,
}

/// What Start hands on: one request per item, alike but for Image 1.
#[derive(Clone, Debug)]
pub struct BatchPlan {
    pub prompt: String,
    pub items: Vec<BatchItem>,
    /// Image 2 onwards of every edit, and the studio result each came from.
    pub shared: Vec<Source>,
    pub shared_origins: Vec<Option<FromResult>>,
    pub format: OutputFormat,
    pub sequential: SequentialMode,
    /// The set's maximum, already within the inputs' room.
    pub max_images: u8,
    pub concurrency: usize,
}

impl BatchPlan {
    /// Item `index`'s request: its image first, then the shared ones.
    pub fn request(&self, index: usize) -> Option<EditRequest<Source>> {
        let item = self.items.get(index)?;
        Some(request_for(self, item.source.clone(), item.size))
    }

    /// The studio result each image of an item's request came from (Image 1 none).
    pub fn origins(&self) -> Vec<Option<FromResult>> {
        std::iter::once(None)
            .chain(self.shared_origins.iter().cloned())
            .collect()
    }
}

fn request_for(plan: &BatchPlan, first: Source, size: Size) -> EditRequest<Source> {
    let images = std::iter::once(first)
        .chain(plan.shared.iter().cloned())
        .collect();
    EditRequest::new(plan.prompt.clone(), images)
        .with_size(size)
        .with_output_format(plan.format)
        .with_sequential(plan.sequential, Some(plan.max_images))
}

impl FormState {
    /// The batch as it stands, read without tracking: one request per image to edit,
    /// the first checked by the contract (the others differ only in Image 1 and size).
    pub fn batch_plan(self) -> Result<BatchPlan, RequestProblem> {
        let size = self.size.get_untracked();
        let items = self
            .batch
            .intake
            .images
            .with_untracked(|list| {
                list.iter()
                    .map(|image| {
                        Ok(BatchItem {
                            source: image.source.clone(),
                            name: image.name.clone(),
                            size: size.resolve(pixel_size(image))?,
                        })
                    })
                    .collect::<Result<Vec<_>, SizeProblem>>()
            })
            .map_err(RequestProblem::Size)?;
        let (shared, shared_origins) = self.intake.images.with_untracked(|list| {
            list.iter()
                .map(|image| (image.source.clone(), image.from.clone()))
                .unzip()
        });
        let plan = BatchPlan {
            prompt: self.prompt.get_untracked(),
            items,
            shared,
            shared_origins,
            format: self.format.get_untracked(),
            sequential: self.sequential.get_untracked(),
            max_images: 0,
            concurrency: self.batch.concurrency.get_untracked(),
        };
        let inputs = plan.shared.len() + 1;
        let plan = BatchPlan {
            max_images: effective_max_images(self.max_images.get_untracked(), inputs),
            ..plan
        };
        if let Some(first) = plan.request(0) {
            first.validate().map_err(RequestProblem::Invalid)?;
        }
        Ok(plan)
    }
}

/// The mode switch and, in batch mode, the images to edit and how many at once.
#[component]
pub fn BatchField(batch: BatchInputs) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("edit-mode-{}", super::images::model::next_id());
    let count_id = format!("batch-concurrency-{}", super::images::model::next_id());
    let radio = move |mode: Mode, text: AnyView| {
        let name = name.clone();
        view! {
            <label class="mode-option">
                <input
                    type="radio"
                    name=name
                    prop:checked=move || batch.mode.get() == mode
                    on:change=move |_| batch.mode.set(mode)
                />
                {text}
            </label>
        }
    };
    view! {
        <fieldset class="field batch-mode">
            <legend>{t!(i18n, form.batch.legend)}</legend>
            <div class="mode-switch">
                {radio(Mode::Single, t!(i18n, form.batch.single).into_any())}
                {radio(Mode::Batch, t!(i18n, form.batch.per_image).into_any())}
            </div>
            <Show when=move || batch.on()>
                <p class="hint">{move || {
                    let locale = i18n.get_locale();
                    let (max, shared) = (count(locale, MAX_BATCH_ITEMS as f64), count(locale, MAX_SHARED as f64));
                    t_string!(i18n, form.batch.hint, max, shared).to_string()
                }}</p>
                <ImagePicker intake=batch.intake local=true />
                <BatchList intake=batch.intake />
                <div class="batch-concurrency">
                    <label for=count_id.clone()>{t!(i18n, form.batch.concurrency)}</label>
                    <select
                        id=count_id.clone()
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                batch.concurrency.set(n.clamp(1, MAX_CONCURRENCY));
                            }
                        }
                    >
                        {(1..=MAX_CONCURRENCY)
                            .map(|n| view! {
                                <option value=n.to_string() selected=move || batch.concurrency.get() == n>
                                    {n.to_string()}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
            </Show>
        </fieldset>
    }
}

/// The images to edit, each with its number ("Edit 3") and a Remove button.
#[component]
fn BatchList(intake: Intake) -> impl IntoView {
    let i18n = use_i18n();
    let images = intake.images;
    let cards = move || images.with(|list| list.iter().map(Card::of).collect::<Vec<_>>());
    let remove = move |id: u32| {
        images.update(|list| {
            list.retain(|image: &InputImage| image.id != id);
        });
    };
    view! {
        <ol class="batch-list" hidden=move || images.with(Vec::is_empty)>
            <ForEnumerate
                each=cards
                key=|card| card.id
                children=move |index, card| {
                    let id = card.id;
                    let label = move || {
                        let number = count(i18n.get_locale(), (index.get() + 1) as f64);
                        t_string!(i18n, form.batch.item, number).to_string()
                    };
                    let name = card.name.clone();
                    view! {
                        <li class="batch-item" data-image-id=id.to_string()>
                            <Thumbnail card=card title=Signal::derive(label) />
                            <span class="batch-item-name" title=move || name.plain(i18n.get_locale())>{label}</span>
                            <button
                                type="button"
                                class="image-remove icon-button"
                                aria-label=move || t_string!(i18n, images.list.remove_label, label = label()).to_string()
                                on:click=move |_| remove(id)
                            >
                                <span class="tip">{t!(i18n, images.list.remove)}</span>
                            </button>
                        </li>
                    }
                }
            />
        </ol>
    }
}
