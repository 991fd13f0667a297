//! The app mounts in a real browser and shows its first screen.

use leptos::prelude::*;
use seedream_studio::embed::Options;
use seedream_studio::{App, Instance};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;

use crate::common::{find, get, text, value};

#[wasm_bindgen_test]
async fn mounts_with_product_name_and_form() {
    common::fresh_storage().await;
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

    assert_eq!(text(&host, ".studio-title"), "Seedream Studio");
    assert!(find(&host, "textarea#prompt").is_some());
    assert_eq!(
        value(&host, "select#size"),
        "preset:2048x2048",
        "the documented default size is preselected"
    );

    // With no images the Edit button is disabled and says why.
    assert!(get(&host, "button[type=submit]").has_attribute("disabled"));
    assert_eq!(
        text(&host, ".blocked-reason"),
        "Add at least 1 image; an edit needs 1 to 14 images."
    );
}
