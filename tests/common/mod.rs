//! Helpers shared by the app's browser tests.
#![allow(dead_code)]

use wasm_bindgen::JsCast;

/// A fresh `<div>` attached to the page's body, for a test to mount into.
pub fn host() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser test runs in a document");
    let host: web_sys::HtmlElement = document
        .create_element("div")
        .expect("create a host element")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&host)
        .expect("attach the host");
    host
}
