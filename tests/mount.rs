//! The app mounts in a real browser and shows its first screen.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use seedream_studio::embed::Options;
use seedream_studio::{App, Instance};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

#[wasm_bindgen_test]
fn mounts_with_product_name_and_form() {
    let host = common::host();

    let instance = Instance {
        index: 0,
        host: host.clone(),
        options: Options::defaults(0),
        problems: Vec::new(),
    };
    let _mounted = leptos::mount::mount_to(
        host.clone(),
        move || view! { <App instance=instance.clone() /> },
    );

    let title = host
        .query_selector(".studio-title")
        .expect("query")
        .expect("a title");
    assert_eq!(title.text_content().as_deref(), Some("Seedream Studio"));
    assert!(
        host.query_selector("textarea#prompt")
            .expect("query")
            .is_some()
    );
    let size = host
        .query_selector("select#size")
        .expect("query")
        .expect("a size field");
    let size: web_sys::HtmlSelectElement = wasm_bindgen::JsCast::unchecked_into(size);
    assert_eq!(
        size.value(),
        "preset:2048x2048",
        "the documented default size is preselected"
    );

    // With no images the Edit button is disabled and says why.
    let edit = host
        .query_selector("button[type=submit]")
        .expect("query")
        .expect("an Edit button");
    assert!(edit.has_attribute("disabled"));
    let reason = host
        .query_selector(".blocked-reason")
        .expect("query")
        .expect("a reason");
    assert!(!reason.text_content().unwrap_or_default().is_empty());
}
