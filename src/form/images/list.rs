//! The ordered list of added images: a card per image with its number, details and
//! controls to reorder (a drag handle, the arrow keys on it, or buttons) and remove.
//!
//! Labels follow the position ("Image 1", "Image 2", ...) because prompts refer
//! to images that way; every move is announced with the old and new label so a
//! screen-reader user knows what "image 2" now means. What the controls do is
//! [`super::reorder`]'s.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use web_sys::PointerEvent;

use super::card::{Card, Thumbnail};
use super::model::{self, InputImage};
use super::reorder::Actions;
use crate::form::references::ListEdit;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::format::count as count_text;
use crate::locale::image_label;

/// The images in order, as cards that can be reordered and removed.
#[component]
pub fn ImageList(
    /// The images, in the order they are sent; the list reorders and removes.
    images: RwSignal<Vec<InputImage>>,
    /// Told of each move and removal, with the count of images before it.
    #[prop(optional, into)]
    on_edit: Option<Callback<(ListEdit, usize)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions::new(images, on_edit);
    let count = Memo::new(move |_| images.with(Vec::len));
    let cards = move || images.with(|list| list.iter().map(Card::of).collect::<Vec<_>>());
    // What the handles do from the keyboard, said once for all of them.
    let hint_id = format!("image-reorder-hint-{}", model::next_id());
    view! {
        <div
            class="image-list-area"
            node_ref=actions.root
            tabindex="-1"
            role="group"
            aria-label=move || t_string!(i18n, images.list.group_label).to_string()
        >
            <p class="empty" hidden=move || count.get() != 0>{t!(i18n, images.list.empty)}</p>
            <p class="visually-hidden" id=hint_id.clone()>{t!(i18n, images.list.reorder_hint)}</p>
            <ol class="image-list" hidden=move || count.get() == 0 class:reordering=move || actions.drag.with(Option::is_some)>
                <ForEnumerate
                    each=cards
                    key=|card| card.id
                    children=move |index, card| {
                        let hint_id = hint_id.clone();
                        view! { <ImageCard card index count actions hint_id /> }
                    }
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

/// One image: thumbnail with its number, label, details, and its controls.
#[component]
fn ImageCard(
    card: Card,
    index: ReadSignal<usize>,
    count: Memo<usize>,
    actions: Actions,
    /// The id of the text that says how the handle works from the keyboard.
    hint_id: String,
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
    let dragged = Memo::new(move |_| actions.drag.with(|d| d.filter(|d| d.id == id)));
    let on_key = move |ev: KeyboardEvent| {
        if actions.key(id, &ev.key()) {
            ev.prevent_default();
        }
    };

    view! {
        <li
            class="image-card"
            data-image-id=id.to_string()
            class:dragging=move || dragged.with(Option::is_some)
            class:drop-target=move || actions.target.get() == Some(id)
            style:transform=move || dragged.with(|d| d.map(|d| d.transform()))
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
            // Icon buttons; each shows its name as a tooltip on hover and focus, and its
            // accessible name starts with that text.
            <div class="image-actions">
                <button
                    type="button"
                    class="image-handle icon-button"
                    aria-label=move || t_string!(i18n, images.list.reorder_label, label = title()).to_string()
                    aria-describedby=hint_id
                    aria-keyshortcuts="ArrowLeft ArrowRight Home End"
                    on:pointerdown=move |ev: PointerEvent| actions.grab(id, &ev)
                    on:pointermove=move |ev: PointerEvent| actions.carry(&ev)
                    on:pointerup=move |ev: PointerEvent| actions.release(&ev)
                    on:pointercancel=move |_| actions.cancel()
                    on:lostpointercapture=move |_| actions.cancel()
                    on:keydown=on_key
                >
                    <span class="tip">{t!(i18n, images.list.reorder)}</span>
                </button>
                <button
                    type="button"
                    class="image-earlier icon-button"
                    aria-label=move || t_string!(i18n, images.list.move_earlier_label, label = title()).to_string()
                    disabled=first
                    on:click=move |_| actions.step(id, true)
                >
                    <span class="tip">{t!(i18n, images.list.move_earlier)}</span>
                </button>
                <button
                    type="button"
                    class="image-later icon-button"
                    aria-label=move || t_string!(i18n, images.list.move_later_label, label = title()).to_string()
                    disabled=last
                    on:click=move |_| actions.step(id, false)
                >
                    <span class="tip">{t!(i18n, images.list.move_later)}</span>
                </button>
                <button
                    type="button"
                    class="image-remove icon-button"
                    aria-label=move || t_string!(i18n, images.list.remove_label, label = title()).to_string()
                    on:click=move |_| actions.remove(id)
                >
                    <span class="tip">{t!(i18n, images.list.remove)}</span>
                </button>
            </div>
        </li>
    }
}
