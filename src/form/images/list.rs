//! The ordered list of added images: a card per image with its label, details and
//! controls to reorder (by drag or by buttons) and remove.
//!
//! Labels follow the position ("Image 1", "Image 2", ...) because prompts refer
//! to images that way; every move is announced with the old and new label so a
//! screen-reader user knows what "image 2" now means.

use gloo_timers::future::TimeoutFuture;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlElement};

use super::card::{Card, Thumbnail};
use super::model::{self, InputImage};
use super::name::Name;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::locale::format::count as count_text;
use crate::locale::image_label;

/// What the list last said about a move, announced politely.
#[derive(Clone, Debug, PartialEq)]
enum ListChange {
    /// The image at `from` is now at `to` (0-based).
    Moved { from: usize, to: usize },
    /// The image at `index` was removed; `shifted` when images followed it.
    Removed {
        index: usize,
        name: Name,
        shifted: bool,
    },
}

impl ListChange {
    fn describe(&self, locale: Locale) -> String {
        match self {
            ListChange::Moved { from, to } => {
                let (from, to) = (image_label(locale, *from), image_label(locale, *to));
                td_string!(locale, images.list.moved, from, to).to_string()
            }
            ListChange::Removed {
                index,
                name,
                shifted,
            } => {
                let (label, name) = (image_label(locale, *index), name.plain(locale));
                if *shifted {
                    td_string!(locale, images.list.removed_shifted, label, name).to_string()
                } else {
                    td_string!(locale, images.list.removed, label, name).to_string()
                }
            }
        }
    }
}

/// The signals shared by the cards. `Copy`, so each button's handler holds it.
#[derive(Clone, Copy)]
struct Actions {
    images: RwSignal<Vec<InputImage>>,
    announcement: RwSignal<Option<ListChange>>,
    /// The card being dragged, if a reorder drag is under way.
    dragged: RwSignal<Option<u32>>,
    /// The card the dragged one would land on.
    target: RwSignal<Option<u32>>,
    root: NodeRef<Div>,
}

impl Actions {
    /// Moves the image `id` to position `to` and announces it. With `control`, focus
    /// goes back to that control of the moved card (the other arrow when it hit an
    /// end), so a keyboard user keeps their place; a mouse drop leaves focus alone.
    fn move_to(self, id: u32, to: usize, control: Option<&'static str>) {
        let moved = self
            .images
            .try_update(|list| {
                let from = model::position(list, id)?;
                model::move_to(list, from, to).then_some(from)
            })
            .flatten();
        if let Some(from) = moved {
            self.announce(ListChange::Moved { from, to });
            match control {
                Some("earlier") => self.focus_later(id, &["earlier", "later", "remove"]),
                Some(_) => self.focus_later(id, &["later", "earlier", "remove"]),
                None => {}
            }
        }
    }

    /// Moves the image `id` one place earlier or later.
    fn step(self, id: u32, earlier: bool) {
        let Some(from) = self.images.with_untracked(|l| model::position(l, id)) else {
            return;
        };
        let to = if earlier {
            from.checked_sub(1)
        } else {
            from.checked_add(1)
        };
        if let Some(to) = to {
            self.move_to(id, to, Some(if earlier { "earlier" } else { "later" }));
        }
    }

    /// Removes the image `id` and moves focus to the card that took its place (or
    /// the list itself when it was the last). Its object URL goes with the last
    /// holder of the image (a task card may still show it).
    fn remove(self, id: u32) {
        let removed = self
            .images
            .try_update(|list| {
                let index = model::position(list, id)?;
                model::remove(list, id).map(|image| (index, image, list.len()))
            })
            .flatten();
        let Some((index, image, left)) = removed else {
            return;
        };
        self.announce(ListChange::Removed {
            index,
            name: image.name(),
            shifted: index < left,
        });
        let next = self.images.with_untracked(|list| {
            list.get(index)
                .or_else(|| index.checked_sub(1).and_then(|i| list.get(i)))
                .map(|image| image.id)
        });
        match next {
            Some(next) => self.focus_later(next, &["remove"]),
            None => self.focus_root_later(),
        }
    }

    fn announce(self, message: ListChange) {
        self.announcement.set(Some(message));
    }

    /// Focuses the first enabled control among `controls` on card `id`, after the
    /// list has re-rendered (moving a node in the DOM drops its focus).
    fn focus_later(self, id: u32, controls: &'static [&'static str]) {
        let root = self.root;
        spawn_local(async move {
            TimeoutFuture::new(0).await;
            let Some(root) = root.try_get_untracked().flatten() else {
                return;
            };
            for control in controls {
                let selector = format!("[data-image-id=\"{id}\"] .image-{control}");
                let button = root
                    .query_selector(&selector)
                    .ok()
                    .flatten()
                    .and_then(|element| element.dyn_into::<HtmlElement>().ok());
                if let Some(button) = button.filter(|b| !b.has_attribute("disabled")) {
                    let _ = button.focus();
                    return;
                }
            }
        });
    }

    fn focus_root_later(self) {
        let root = self.root;
        spawn_local(async move {
            TimeoutFuture::new(0).await;
            if let Some(root) = root.try_get_untracked().flatten() {
                let _ = root.focus();
            }
        });
    }
}

/// The images in order, as cards that can be reordered and removed.
#[component]
pub fn ImageList(
    /// The images, in the order they are sent; the list reorders and removes.
    images: RwSignal<Vec<InputImage>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions {
        images,
        announcement: RwSignal::new(None),
        dragged: RwSignal::new(None),
        target: RwSignal::new(None),
        root: NodeRef::new(),
    };
    let count = Memo::new(move |_| images.with(Vec::len));
    let cards = move || images.with(|list| list.iter().map(Card::of).collect::<Vec<_>>());
    view! {
        <div
            class="image-list-area"
            node_ref=actions.root
            tabindex="-1"
            role="group"
            aria-label=move || t_string!(i18n, images.list.group_label).to_string()
        >
            <p class="empty" hidden=move || count.get() != 0>{t!(i18n, images.list.empty)}</p>
            <ol class="image-list" hidden=move || count.get() == 0>
                <ForEnumerate
                    each=cards
                    key=|card| card.id
                    children=move |index, card| view! { <ImageCard card index count actions /> }
                />
            </ol>
            <p class="visually-hidden" role="status" aria-live="polite">
                {move || {
                    let locale = i18n.get_locale();
                    actions.announcement.with(|a| a.as_ref().map(|a| a.describe(locale)))
                }}
            </p>
        </div>
    }
}

/// One image: thumbnail, label, details, and its controls.
#[component]
fn ImageCard(
    card: Card,
    index: ReadSignal<usize>,
    count: Memo<usize>,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = card.id;
    let name = card.name.clone();
    let shown_name = move || name.plain(i18n.get_locale());
    let title = move || image_label(i18n.get_locale(), index.get());
    let thumbnail = card.clone();
    let first = move || index.get() == 0;
    let last = move || index.get().saturating_add(1) >= count.get();
    // Keyed rows keep their first card, so a later refusal is read from the list.
    let unreadable = Memo::new(move |_| {
        actions
            .images
            .with(|list| list.iter().any(|image| image.id == id && image.unreadable))
    });

    let on_drag_start = move |ev: DragEvent| {
        actions.dragged.set(Some(id));
        if let Some(transfer) = ev.data_transfer() {
            transfer.set_effect_allowed("move");
            // Some browsers start no drag without data; the label is harmless text.
            let _ = transfer.set_data("text/plain", &title());
        }
    };
    let on_drag_over = move |ev: DragEvent| {
        if actions.dragged.get_untracked().is_some() {
            ev.prevent_default();
            if let Some(transfer) = ev.data_transfer() {
                transfer.set_drop_effect("move");
            }
            if actions.target.get_untracked() != Some(id) {
                actions.target.set(Some(id));
            }
        }
    };
    let on_drop = move |ev: DragEvent| {
        if let Some(dragged) = actions.dragged.get_untracked() {
            ev.prevent_default();
            actions.move_to(dragged, index.get_untracked(), None);
        }
        actions.dragged.set(None);
        actions.target.set(None);
    };
    let on_drag_end = move |_: DragEvent| {
        actions.dragged.set(None);
        actions.target.set(None);
    };

    view! {
        <li
            class="image-card"
            data-image-id=id.to_string()
            draggable="true"
            class:dragging=move || actions.dragged.get() == Some(id)
            class:drop-target=move || {
                actions.target.get() == Some(id) && actions.dragged.get() != Some(id)
            }
            on:dragstart=on_drag_start
            on:dragover=on_drag_over
            on:drop=on_drop
            on:dragend=on_drag_end
        >
            <div class="image-thumb-frame">
                <Thumbnail card=thumbnail title=Signal::derive(title) />
                // The number the instruction refers to ("image 2"); the label below
                // says it in words for everyone.
                <span class="image-badge" aria-hidden="true">
                    {move || count_text(i18n.get_locale(), (index.get() + 1) as f64)}
                </span>
            </div>
            <div class="image-meta">
                <p class="image-label">{title}</p>
                <p class="image-name" title=shown_name.clone()>{shown_name.clone()}</p>
                <p class="image-details">
                    {move || {
                        card.details(i18n.get_locale())
                            .into_iter()
                            .map(|d| view! { <span>{d}</span> })
                            .collect_view()
                    }}
                </p>
                <Show when=move || unreadable.get()>
                    <p class="image-problem image-card-problem" role="alert">{t!(i18n, images.list.changed)}</p>
                </Show>
            </div>
            <div class="image-actions">
                <button
                    type="button"
                    class="image-earlier"
                    aria-label=move || t_string!(i18n, images.list.move_earlier_label, label = title()).to_string()
                    disabled=first
                    on:click=move |_| actions.step(id, true)
                >
                    {t!(i18n, images.list.move_earlier)}
                </button>
                <button
                    type="button"
                    class="image-later"
                    aria-label=move || t_string!(i18n, images.list.move_later_label, label = title()).to_string()
                    disabled=last
                    on:click=move |_| actions.step(id, false)
                >
                    {t!(i18n, images.list.move_later)}
                </button>
                <button
                    type="button"
                    class="image-remove"
                    aria-label=move || t_string!(i18n, images.list.remove_label, label = title()).to_string()
                    on:click=move |_| actions.remove(id)
                >
                    {t!(i18n, images.list.remove)}
                </button>
            </div>
        </li>
    }
}
