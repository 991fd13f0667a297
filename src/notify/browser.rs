//! The browser's notifications, behind functions that never throw into Rust: what the
//! page may offer, the person's answer, asking (only from a click), and showing one.

use wasm_bindgen::prelude::*;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

use super::decide::{Permission, Support};

/// Whether this page can offer notifications, found without asking the person: a
/// browser without them, a frame of another origin (browsers refuse to ask there),
/// and a constructor that throws (Chrome for Android) are not offered.
pub fn support() -> Support {
    let Some(window) = web_sys::window() else {
        return Support::NoApi;
    };
    if !js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false) {
        return Support::NoApi;
    }
    if in_cross_origin_frame(&window) {
        return Support::CrossOriginFrame;
    }
    // Constructing one before permission is granted shows nothing (its `error` event
    // fires instead) and asks nothing, so it is a safe probe; once granted, it would
    // show, so the first real notification is the probe (see `show`).
    if permission() != Permission::Granted && !constructs() {
        return Support::NoConstructor;
    }
    Support::Offered
}

/// True in a frame whose top-level page is of another origin (its location cannot be
/// read from here).
fn in_cross_origin_frame(window: &web_sys::Window) -> bool {
    match window.top() {
        Ok(Some(top)) => !is_top(window) && top.location().href().is_err(),
        // No top to read: treat it as another origin's.
        _ => true,
    }
}

/// True when `window` is its tab's top-level page, not in a frame.
pub fn is_top(window: &web_sys::Window) -> bool {
    window
        .top()
        .ok()
        .flatten()
        .is_some_and(|top| JsValue::from(top) == JsValue::from(window.clone()))
}

fn constructs() -> bool {
    match Notification::new("") {
        Ok(probe) => {
            probe.close();
            true
        }
        Err(_) => false,
    }
}

/// The person's answer so far.
pub fn permission() -> Permission {
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::NotAsked,
    }
}

/// Asks the person (the browser shows its prompt); call only from a click. The
/// answer, once given; `NotAsked` when the browser would not ask.
pub async fn ask() -> Permission {
    let Ok(asking) = Notification::request_permission() else {
        return Permission::NotAsked;
    };
    let _ = wasm_bindgen_futures::JsFuture::from(asking).await;
    permission()
}

/// The browser refused to show a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotShown;

/// Shows a notification; one with the same `tag` (another tab's, for the same end)
/// is replaced, not added. A click brings this tab forward.
pub fn show(title: &str, body: &str, tag: &str, lang: &str) -> Result<(), NotShown> {
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    options.set_lang(lang);
    let shown = Notification::new_with_options(title, &options).map_err(|_| NotShown)?;
    let focus = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
        }
    });
    shown.set_onclick(Some(focus.unchecked_ref()));
    Ok(())
}
