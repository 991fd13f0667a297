//! Several tabs, one history: the browser side of [`merge`](super::merge).
//!
//! Each save reads what storage holds now, merges, and writes, under a Web Lock
//! (`navigator.locks`), so two tabs never interleave their read-merge-write and
//! neither overwrites the other's tasks. Other tabs' saves arrive as `storage` events
//! ([`is_change_to`]).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The Web Lock every tab of this origin takes to save the history.
pub const LOCK_NAME: &str = "seedream-studio.history";

/// Runs `critical` while holding the history's Web Lock: soon, and never at the same
/// time as another tab's. Where the browser has no Web Locks (a page served over
/// plain http from a host other than localhost is not a secure context) it runs at
/// once: a read-merge-write in one synchronous turn is then the best on offer.
pub fn with_lock(critical: impl FnOnce() + 'static) {
    let Some((locks, request)) = crate::locks::lock_request() else {
        critical();
        return;
    };
    // Runs once: in the lock, or here if the request cannot even be made, so a save
    // is never lost to a browser that refuses it.
    let critical = Rc::new(Cell::new(Some(critical)));
    let in_lock = Rc::clone(&critical);
    // Called by the browser with the granted lock; returning (not a promise)
    // releases it.
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        if let Some(critical) = in_lock.take() {
            critical();
        }
    });
    match request.call2(&locks, &JsValue::from_str(LOCK_NAME), &callback) {
        Ok(promise) => {
            // A rejection (the page going away) needs no handling, but must be
            // awaited so the console shows no unhandled rejection.
            if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                leptos::task::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                });
            }
        }
        Err(_) => {
            if let Some(critical) = critical.take() {
                critical();
            }
        }
    }
}

/// Whether a `storage` event is another tab's change to the history under `key`
/// (`key` is null when another tab cleared all of the origin's storage).
pub fn is_change_to(event: &web_sys::StorageEvent, key: &str) -> bool {
    event.key().is_none_or(|changed| changed == key)
}
