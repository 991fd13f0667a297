//! What the image cards' controls do: move an image (by a button, a key, or by
//! dragging its handle), remove it, announce it, and keep the keyboard's place.
//!
//! Dragging uses pointer events on the handle, not HTML drag and drop, so it works the
//! same with a mouse, a pen and a finger (HTML drag and drop never starts from touch).
//! The card under the pointer is found from the cards' boxes, so the dragged card can
//! follow the pointer without hiding what lies under it.

use gloo_timers::future::TimeoutFuture;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, PointerEvent};

use super::model::{self, InputImage};
use super::name::Name;
use crate::form::references::ListEdit;
use crate::i18n::{Locale, td_string};
use crate::locale::image_label;

/// What the list last said about a change, announced politely.
#[derive(Clone, Debug, PartialEq)]
pub enum ListChange {
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
    pub fn describe(&self, locale: Locale) -> String {
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

/// A handle being dragged: by which pointer, from where, and where it is now (in
/// client pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drag {
    pub id: u32,
    pointer: i32,
    start: (f64, f64),
    at: (f64, f64),
}

impl Drag {
    /// How far the card has been carried, as a CSS transform.
    pub fn transform(&self) -> String {
        let (dx, dy) = (self.at.0 - self.start.0, self.at.1 - self.start.1);
        format!("translate({dx}px, {dy}px)")
    }
}

/// Which controls of a card take focus after a change, the first enabled one.
type FocusOrder = &'static [&'static str];
const AFTER_EARLIER: FocusOrder = &["earlier", "later", "remove"];
const AFTER_LATER: FocusOrder = &["later", "earlier", "remove"];
const AFTER_HANDLE: FocusOrder = &["handle"];
const AFTER_REMOVE: FocusOrder = &["remove"];

/// The signals shared by the cards. `Copy`, so each handler holds it.
#[derive(Clone, Copy)]
pub struct Actions {
    pub images: RwSignal<Vec<InputImage>>,
    pub announcement: RwSignal<Option<ListChange>>,
    /// The handle being dragged, if any.
    pub drag: RwSignal<Option<Drag>>,
    /// The card the dragged one would land on.
    pub target: RwSignal<Option<u32>>,
    pub root: NodeRef<Div>,
    /// Told of each move and removal, with the count of images before it (the
    /// instruction's references follow them).
    pub on_edit: Option<Callback<(ListEdit, usize)>>,
}

impl Actions {
    pub fn new(
        images: RwSignal<Vec<InputImage>>,
        on_edit: Option<Callback<(ListEdit, usize)>>,
    ) -> Self {
        Self {
            on_edit,
            images,
            announcement: RwSignal::new(None),
            drag: RwSignal::new(None),
            target: RwSignal::new(None),
            root: NodeRef::new(),
        }
    }

    /// Moves the image `id` to position `to` and announces it; focus goes to the first
    /// enabled control of `focus` on the moved card (moving a node drops its focus).
    fn move_to(self, id: u32, to: usize, focus: FocusOrder) {
        let moved = self
            .images
            .try_update(|list| {
                let from = model::position(list, id)?;
                model::move_to(list, from, to).then_some(from)
            })
            .flatten();
        if let Some(from) = moved {
            self.announcement.set(Some(ListChange::Moved { from, to }));
            let count = self.images.with_untracked(Vec::len);
            self.tell(ListEdit::Moved { from, to }, count);
            self.focus_later(id, focus);
        }
    }

    /// Moves the image `id` one place earlier or later (its card's arrow buttons).
    pub fn step(self, id: u32, earlier: bool) {
        let Some(from) = self.images.with_untracked(|l| model::position(l, id)) else {
            return;
        };
        let (to, focus) = if earlier {
            (from.checked_sub(1), AFTER_EARLIER)
        } else {
            (from.checked_add(1), AFTER_LATER)
        };
        if let Some(to) = to {
            self.move_to(id, to, focus);
        }
    }

    /// A key pressed on the handle of image `id`: the arrows move it one place, Home
    /// and End to either end. True when the key is the handle's (even at an end, so
    /// the page does not scroll instead).
    pub fn key(self, id: u32, key: &str) -> bool {
        let Some((from, len)) = self
            .images
            .with_untracked(|l| Some((model::position(l, id)?, l.len())))
        else {
            return false;
        };
        let to = match key {
            "ArrowLeft" | "ArrowUp" => from.checked_sub(1),
            "ArrowRight" | "ArrowDown" => Some(from.saturating_add(1)).filter(|&to| to < len),
            "Home" => Some(0),
            "End" => len.checked_sub(1),
            _ => return false,
        };
        if let Some(to) = to.filter(|&to| to != from) {
            self.move_to(id, to, AFTER_HANDLE);
        }
        true
    }

    /// A primary pointer pressed on the handle of image `id`: the drag starts, and the
    /// handle keeps the pointer's events until it is released, wherever it goes.
    pub fn grab(self, id: u32, ev: &PointerEvent) {
        if !ev.is_primary() || ev.button() != 0 {
            return;
        }
        // No text selection, and no compatibility mouse events, while dragging.
        ev.prevent_default();
        if let Some(handle) = ev
            .current_target()
            .and_then(|target| target.dyn_into::<Element>().ok())
        {
            // Refused for a pointer the browser no longer knows: the drag then follows
            // the events that reach the handle, which is all it needs.
            let _ = handle.set_pointer_capture(ev.pointer_id());
            if let Ok(handle) = handle.dyn_into::<HtmlElement>() {
                let _ = handle.focus();
            }
        }
        let point = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        self.drag.set(Some(Drag {
            id,
            pointer: ev.pointer_id(),
            start: point,
            at: point,
        }));
    }

    /// The dragging pointer moved: the card follows, and the card under it is marked.
    pub fn carry(self, ev: &PointerEvent) {
        let Some(mut drag) = self.drag.get_untracked() else {
            return;
        };
        if drag.pointer != ev.pointer_id() {
            return;
        }
        drag.at = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        self.drag.set(Some(drag));
        let under = self.card_at(drag.at, drag.id);
        if under.is_some() && self.target.get_untracked() != under {
            self.target.set(under);
        }
    }

    /// The dragging pointer was released: the image takes the marked card's place.
    pub fn release(self, ev: &PointerEvent) {
        let Some(drag) = self.drag.get_untracked() else {
            return;
        };
        if drag.pointer != ev.pointer_id() {
            return;
        }
        let target = self.target.get_untracked();
        self.cancel();
        let to = target.and_then(|target| {
            self.images
                .with_untracked(|list| model::position(list, target))
        });
        if let Some(to) = to {
            self.move_to(drag.id, to, AFTER_HANDLE);
        }
    }

    /// The drag ends without a move (the pointer was cancelled, or capture lost).
    pub fn cancel(self) {
        self.drag.set(None);
        self.target.set(None);
    }

    /// The card other than `except` whose box holds `point`.
    fn card_at(self, point: (f64, f64), except: u32) -> Option<u32> {
        let root = self.root.get_untracked()?;
        let cards = root.query_selector_all("[data-image-id]").ok()?;
        (0..cards.length())
            .filter_map(|i| cards.item(i)?.dyn_into::<Element>().ok())
            .find_map(|card| {
                let id = card.get_attribute("data-image-id")?.parse::<u32>().ok()?;
                let rect = card.get_bounding_client_rect();
                let inside = (rect.left()..rect.right()).contains(&point.0)
                    && (rect.top()..rect.bottom()).contains(&point.1);
                (inside && id != except).then_some(id)
            })
    }

    /// Removes the image `id` and moves focus to the card that took its place (or
    /// the list itself when it was the last). Its object URL goes with the last
    /// holder of the image (a task card may still show it).
    pub fn remove(self, id: u32) {
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
        self.announcement.set(Some(ListChange::Removed {
            index,
            name: image.name(),
            shifted: index < left,
        }));
        self.tell(ListEdit::Removed { index }, left + 1);
        let next = self.images.with_untracked(|list| {
            list.get(index)
                .or_else(|| index.checked_sub(1).and_then(|i| list.get(i)))
                .map(|image| image.id)
        });
        match next {
            Some(next) => self.focus_later(next, AFTER_REMOVE),
            None => self.focus_root_later(),
        }
    }

    fn tell(self, edit: ListEdit, count: usize) {
        if let Some(on_edit) = self.on_edit {
            on_edit.run((edit, count));
        }
    }

    /// Focuses the first enabled control among `controls` on card `id`, after the
    /// list has re-rendered.
    fn focus_later(self, id: u32, controls: FocusOrder) {
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
