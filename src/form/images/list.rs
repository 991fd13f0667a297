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

use super::model::{self, InputImage, label};
use super::read::revoke_url;

/// What a card shows: everything but the (possibly 14 MB) source, so rendering
/// and reordering never copy image data.
#[derive(Clone, Debug, PartialEq)]
struct Card {
    id: u32,
    name: String,
    preview: String,
    details: Vec<String>,
    /// False for a file the browser could not decode (TIFF in Chromium): a
    /// placeholder is shown instead of a broken image.
    decodable: bool,
}

impl Card {
    fn of(image: &InputImage) -> Self {
        let details = [
            Some(image.format_label().to_owned()),
            image.pixel_size(),
            Some(image.size_label()),
        ];
        Self {
            id: image.id,
            name: image.name.clone(),
            preview: image.preview.clone(),
            details: details.into_iter().flatten().collect(),
            decodable: !image.is_data_uri() || image.width.is_some(),
        }
    }
}

/// The signals shared by the cards. `Copy`, so each button's handler holds it.
#[derive(Clone, Copy)]
struct Actions {
    images: RwSignal<Vec<InputImage>>,
    announcement: RwSignal<String>,
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
            self.announce(format!("{} is now {}.", label(from), label(to)));
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

    /// Removes the image `id`, frees its object URL, and moves focus to the card
    /// that took its place (or the list itself when it was the last).
    fn remove(self, id: u32) {
        let removed = self
            .images
            .try_update(|list| {
                let index = model::position(list, id)?;
                model::remove(list, id).map(|image| (index, image, list.len()))
            })
            .flatten();
        // Its object URL is freed by `revoke_departed`, like any image leaving.
        let Some((index, image, left)) = removed else {
            return;
        };
        let after = if index < left {
            "; the images after it moved up one place"
        } else {
            ""
        };
        self.announce(format!("Removed {} ({}){after}.", label(index), image.name));
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

    fn announce(self, message: String) {
        self.announcement.set(message);
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
    let actions = Actions {
        images,
        announcement: RwSignal::new(String::new()),
        dragged: RwSignal::new(None),
        target: RwSignal::new(None),
        root: NodeRef::new(),
    };
    revoke_departed(images);
    let count = Memo::new(move |_| images.with(Vec::len));
    let cards = move || images.with(|list| list.iter().map(Card::of).collect::<Vec<_>>());
    view! {
        <div class="image-list-area" node_ref=actions.root tabindex="-1" role="group" aria-label="Added images">
            <p class="empty" hidden=move || count.get() != 0>"No images yet."</p>
            <ol class="image-list" hidden=move || count.get() == 0>
                <ForEnumerate
                    each=cards
                    key=|card| card.id
                    children=move |index, card| view! { <ImageCard card index count actions /> }
                />
            </ol>
            <p class="visually-hidden" role="status" aria-live="polite">
                {move || actions.announcement.get()}
            </p>
        </div>
    }
}

/// Frees the object URL of every file image that leaves the list, however it
/// left: this list's Remove buttons, or the form clearing or replacing the list.
fn revoke_departed(images: RwSignal<Vec<InputImage>>) {
    Effect::new(move |previous: Option<Vec<(u32, String)>>| {
        let current: Vec<(u32, String)> = images.with(|list| {
            list.iter()
                .filter(|image| image.has_object_url())
                .map(|image| (image.id, image.preview.clone()))
                .collect()
        });
        for (id, preview) in previous.unwrap_or_default() {
            if !current.iter().any(|(kept, _)| *kept == id) {
                revoke_url(&preview);
            }
        }
        current
    });
}

/// One image: thumbnail, label, details, and its controls.
#[component]
fn ImageCard(
    card: Card,
    index: ReadSignal<usize>,
    count: Memo<usize>,
    actions: Actions,
) -> impl IntoView {
    let id = card.id;
    let name = card.name.clone();
    let title = move || label(index.get());
    let first = move || index.get() == 0;
    let last = move || index.get().saturating_add(1) >= count.get();

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
            <Thumbnail card=card.clone() title=Signal::derive(title) />
            <div class="image-meta">
                <p class="image-label">{title}</p>
                <p class="image-name" title=name.clone()>{name.clone()}</p>
                <p class="image-details">
                    {card.details.into_iter().map(|d| view! { <span>{d}</span> }).collect_view()}
                </p>
            </div>
            <div class="image-actions">
                <button
                    type="button"
                    class="image-earlier"
                    aria-label=move || format!("Move {} earlier", title())
                    disabled=first
                    on:click=move |_| actions.step(id, true)
                >
                    "Move earlier"
                </button>
                <button
                    type="button"
                    class="image-later"
                    aria-label=move || format!("Move {} later", title())
                    disabled=last
                    on:click=move |_| actions.step(id, false)
                >
                    "Move later"
                </button>
                <button
                    type="button"
                    class="image-remove"
                    aria-label=move || format!("Remove {}", title())
                    on:click=move |_| actions.remove(id)
                >
                    "Remove"
                </button>
            </div>
        </li>
    }
}

/// The preview, or a labelled placeholder when the browser cannot show it (an
/// undecodable file, or an address that fails to load here).
#[component]
fn Thumbnail(card: Card, title: Signal<String>) -> impl IntoView {
    let broken = RwSignal::new(!card.decodable);
    let alt = move || format!("{}: {}", title.get(), card.name);
    let fallback = card
        .details
        .first()
        .cloned()
        .unwrap_or_else(|| "Image".to_owned());
    move || {
        if broken.get() {
            view! {
                <div class="image-thumb image-thumb-missing" role="img" aria-label=alt.clone()>
                    <span aria-hidden="true">{fallback.clone()}</span>
                </div>
            }
            .into_any()
        } else {
            view! {
                <img
                    class="image-thumb"
                    src=card.preview.clone()
                    alt=alt.clone()
                    loading="lazy"
                    decoding="async"
                    draggable="false"
                    referrerpolicy="no-referrer"
                    on:error=move |_| broken.set(true)
                />
            }
            .into_any()
        }
    }
}
