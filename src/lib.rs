//! Seedream Studio: a browser app for editing images with Seedream 5.0 Lite Edit.
//!
//! Data flows one way through the modules: the form's signals (`form`) become a
//! validated request (the `seedream-contract` crate holds every rule), which the client
//! submits; the task poller follows it and the gallery shows what comes back.

pub mod api;
mod app;
pub mod form;
pub mod history;
pub mod poll;
pub mod settings;
pub mod tasks;

pub use app::App;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    // A panic in wasm kills the whole app; the hook at least says why in the console.
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
