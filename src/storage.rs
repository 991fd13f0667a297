//! The origin's `localStorage`, reached without a panic: none where the browser gives
//! this page none (storage disabled, a sandboxed frame). gloo's accessor throws there,
//! so what is stored by hand (the history, saved instructions, the notification
//! choice) reaches it through this one function.

/// The origin's local storage, if the browser gives this page one.
pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
