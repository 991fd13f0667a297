//! What one card of the image list shows: the thumbnail (or a placeholder) and the
//! details, written in the user's language when shown.

use leptos::prelude::*;

use super::model::InputImage;
use super::name::Name;
use crate::i18n::{Locale, t_string, use_i18n};

/// What a card shows. Cloning an image copies handles, never image data.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub id: u32,
    pub name: Name,
    preview: String,
    /// The image, for the details written when shown.
    details: InputImage,
    /// False for a file the browser could not decode (TIFF in Chromium): a
    /// placeholder is shown instead of a broken image.
    decodable: bool,
}

impl Card {
    pub fn of(image: &InputImage) -> Self {
        Self {
            id: image.id,
            name: image.name(),
            preview: image.preview().to_owned(),
            details: image.clone(),
            decodable: !image.is_local() || image.width.is_some(),
        }
    }

    /// Format, pixel size and file size, in `locale`.
    pub fn details(&self, locale: Locale) -> Vec<String> {
        let image = &self.details;
        [
            Some(image.format_label(locale)),
            image.pixel_size(),
            Some(image.size_label(locale)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The preview, or a labelled placeholder when the browser cannot show it (an
/// undecodable file, or an address that fails to load here).
#[component]
pub fn Thumbnail(card: Card, title: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let broken = RwSignal::new(!card.decodable);
    let name = card.name.clone();
    let alt = move || {
        let name = name.plain(i18n.get_locale());
        t_string!(i18n, images.list.thumbnail_alt, label = title.get(), name).to_string()
    };
    // What the placeholder shows: the format, the detail most telling at a glance.
    let details = card.details.clone();
    let fallback = move || details.format_label(i18n.get_locale());
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
                    // Not lazy: intake already loads the file for this thumbnail
                    // (see `read::local_image`), so waiting for the card to scroll
                    // into view would only delay a load that is under way.
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
