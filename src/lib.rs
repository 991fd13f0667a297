//! Seedream Studio: a browser app for editing images with Seedream 5.0 Lite Edit.
//!
//! Data flows one way through the modules: the form's signals (`form`) become a
//! validated request (the `seedream-contract` crate holds every rule), which the client
//! submits; the task poller follows it and the gallery shows what comes back. Image
//! bytes stay in the browser throughout: `media` holds the handles all of them use.

pub mod api;
mod app;
pub mod archive;
pub mod batch;
pub mod embed;
pub mod form;
pub mod history;
pub mod ids;
pub mod instructions;
pub mod locale;
mod locks;
pub mod media;
pub mod notify;
pub mod poll;
pub mod portable;
pub mod settings;
mod storage;
pub mod tasks;

pub use app::{App, Instance};

// The translations, compiled from `locales/` by build.rs: `Locale`, `use_i18n` and the
// `t!` family of macros.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// The `performance.mark` set as an instance starts to render.
pub const MOUNT_MARK: &str = "seedream-studio:mount";

/// The wasm memory's size in bytes, for the tests and the bench
/// (`window.wasmBindings.wasm_memory_bytes()`). Wasm memory never shrinks, so its
/// growth across an action is what the action kept or touched in wasm.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    const PAGE: f64 = 65_536.0;
    core::arch::wasm32::memory_size(0) as f64 * PAGE
}

/// Sets `performance.mark("seedream-studio:<step>")`: where start-up time goes,
/// for the benchmark and for anyone's performance trace.
pub(crate) fn mark(step: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("seedream-studio:{step}"));
    }
}

/// Installs the panic hook and mounts an instance into every host element on the
/// page (`<div data-seedream-studio>`), or into a new one at the end of `<body>`.
pub fn start() {
    // A panic in wasm kills the whole app; the hook at least says why in the console.
    console_error_panic_hook::set_once();
    mark("started");
    for (index, host) in embed::host::hosts().into_iter().enumerate() {
        // Not leptos's spawner: it is set up by the first mount, which this future
        // performs once the options are read.
        wasm_bindgen_futures::spawn_local(async move {
            let (options, problems) = embed::host::read_options(&host, index).await;
            mark("options-read");
            let instance = Instance {
                index,
                host: host.clone(),
                options,
                problems,
            };
            // Where rendering starts (after the wasm is loaded and the options read),
            // for the benchmark's render times.
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark(MOUNT_MARK);
            }
            embed::host::remove_shell(&host);
            let mounted = leptos::mount::mount_to(host, move || {
                leptos::view! { <App instance=instance.clone() /> }
            });
            mark("mounted");
            // Mounted for the page's lifetime.
            mounted.forget();
        });
    }
}
