//! Web Locks (`navigator.locks`): one tab of this origin at a time. The history saves
//! under one (`history::sync`); keeping a task's images runs under one named for the
//! task, so two tabs that see it finish never fetch and store it twice (the second
//! finds it kept once the first lets go).

use std::future::Future;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

/// Runs `work` holding the Web Lock `name`, and returns its output; `None` when the
/// browser refused the lock (the page going away) and `work` never ran. Where the
/// browser has no Web Locks (not a secure context) it runs unlocked.
pub async fn hold<T: 'static>(name: &str, work: impl Future<Output = T> + 'static) -> Option<T> {
    let Some((locks, request)) = lock_request() else {
        return Some(work.await);
    };
    let (sender, receiver) = futures::channel::oneshot::channel();
    let mut job = Some((work, sender));
    // Called by the browser with the granted lock; the lock is held until the promise
    // it returns settles.
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        let (work, sender) = job.take()?;
        Some(future_to_promise(async move {
            let _ = sender.send(work.await);
            Ok(JsValue::UNDEFINED)
        }))
    });
    let requested = request.call2(&locks, &JsValue::from_str(name), &callback);
    if let Ok(promise) = requested.and_then(JsValue::dyn_into::<js_sys::Promise>) {
        let _ = JsFuture::from(promise).await;
    }
    receiver.await.ok()
}

/// `navigator.locks` and its `request` method, where the browser has them.
///
/// web-sys marks its `LockManager` binding unstable, so the call goes through
/// `Reflect` rather than a `--cfg` flag on every build.
pub fn lock_request() -> Option<(JsValue, js_sys::Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = js_sys::Reflect::get(&locks, &JsValue::from_str("request")).ok()?;
    Some((locks, request.dyn_into().ok()?))
}
