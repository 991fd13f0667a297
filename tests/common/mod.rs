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

/// A 1x1 PNG's bytes.
pub const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0xf8, 0xcf, 0x50,
    0x0f, 0x00, 0x03, 0x86, 0x01, 0x80, 0x5a, 0x34, 0x7d, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A local image as the form holds one: a browser `Blob` of `bytes` (a PNG), its
/// object URL, and what the rules need. The bytes stay in the browser.
pub fn local_png(bytes: &[u8], name: &str) -> seedream_studio::media::Source {
    local_claiming(bytes, name, bytes.len() as u64)
}

/// As [`local_png`], with the byte size the rules are told (`File.size` for a file).
pub fn local_claiming(bytes: &[u8], name: &str, claimed: u64) -> seedream_studio::media::Source {
    use seedream_studio::media::{LocalImage, ObjectUrl, Source};
    let parts: js_sys::Array = [js_sys::Uint8Array::from(bytes)].iter().collect();
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).expect("a blob");
    let preview = ObjectUrl::for_blob(&blob).expect("an object URL");
    Source::Local(LocalImage::new(
        blob,
        preview,
        name.to_owned(),
        claimed,
        seedream_contract::ImageFormat::Png,
    ))
}
