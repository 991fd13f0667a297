//! Where a view shows a result from: the copy kept in this browser when its task is
//! kept, read from the archive (a moment after the view appears), else its link.

use std::sync::Arc;

use leptos::prelude::*;

use super::Tasks;
use super::arriving::Waiting;
use crate::archive::ImageKey;
use crate::media::ObjectUrl;

/// Where a view shows a kept result from.
#[derive(Clone, Debug)]
enum Held {
    /// The archive's copy (or the keep's download), held while the view shows it.
    Stored(Arc<ObjectUrl>),
    /// The archive has no copy (removed by another tab): the link, while it lasts.
    Link,
}

/// The address a view shows result `index` of record `record` from: the archive's
/// copy when the record is `kept` (nothing until it is read, a moment), the keep's
/// download while it is being kept (nothing until it arrives), its link otherwise.
pub fn result_src(
    tasks: Tasks,
    kept: bool,
    record: &str,
    index: usize,
    link: String,
) -> Signal<Option<String>> {
    let key = ImageKey::result(record, index);
    let held = if kept {
        // Shown already (the keep's download, or another view): no read, no flicker.
        let held = RwSignal::new(tasks.shown_now(&key).map(Held::Stored));
        if held.with_untracked(Option::is_none) {
            leptos::task::spawn_local(async move {
                let found = tasks.stored_url(key).await;
                held.try_set(Some(found.map_or(Held::Link, Held::Stored)));
            });
        }
        held
    } else {
        match tasks.arriving(&key) {
            None => return Signal::stored(Some(link)),
            Some(Waiting::Here(url)) => RwSignal::new(Some(Held::Stored(url))),
            Some(Waiting::Later(arrival)) => {
                let held = RwSignal::new(None);
                leptos::task::spawn_local(async move {
                    // A keep that ended without the bytes leaves the link to the view.
                    let found = arrival.await.ok();
                    held.try_set(Some(found.map_or(Held::Link, Held::Stored)));
                });
                held
            }
        }
    };
    Signal::derive(move || {
        held.with(|held| match held {
            None => None,
            Some(Held::Stored(url)) => Some(url.as_str().to_owned()),
            Some(Held::Link) => Some(link.clone()),
        })
    })
}
