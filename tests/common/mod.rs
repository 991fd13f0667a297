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

/// Calls `host.seedreamStudio[method](argument)`, the studio's commands for its page.
pub fn call(
    host: &web_sys::HtmlElement,
    method: &str,
    argument: Option<&str>,
) -> wasm_bindgen::JsValue {
    let api = js_sys::Reflect::get(host, &"seedreamStudio".into()).expect("the host API");
    let function: js_sys::Function = js_sys::Reflect::get(&api, &method.into())
        .expect("a method")
        .unchecked_into();
    match argument {
        Some(value) => function.call1(&api, &value.into()),
        None => function.call0(&api),
    }
    .expect("the call succeeds")
}
