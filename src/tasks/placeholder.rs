//! A running edit's place in the gallery: one frame per image it may return, in the
//! requested aspect ratio, so the finished results take the room already there. (Set
//! through the CSSOM, which the page's `style-src 'self'` allows, not as an attribute.)

use leptos::prelude::*;
use seedream_contract::SequentialMode;

use crate::history::TaskRecord;

/// At most this many frames: a set of fifteen would push the list far down.
const MOST_FRAMES: u8 = 4;

/// The frames of a running `record`.
pub fn placeholders(record: &TaskRecord) -> impl IntoView + use<> {
    let ratio = match record.size.usable() {
        Ok(size) => format!("{} / {}", size.width, size.height),
        Err(_) => "1 / 1".to_owned(),
    };
    let frames = match record.sequential {
        SequentialMode::Auto => record.max_images.clamp(1, MOST_FRAMES),
        SequentialMode::Disabled => 1,
    };
    view! {
        // Decoration: the card's status line says where the edit is.
        <ul class="gallery placeholders" aria-hidden="true">
            {(0..frames)
                .map(|_| view! { <li class="placeholder" style:aspect-ratio=ratio.clone()></li> })
                .collect_view()}
        </ul>
    }
}
