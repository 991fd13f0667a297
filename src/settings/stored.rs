//! Where the connection settings live between visits.
//!
//! The API base is not secret and is kept on the device. The key is kept only for the
//! browser session (sessionStorage) unless the user explicitly asks to remember it on
//! this device (localStorage). It is never put in a URL, the history or a log.

use gloo_storage::{LocalStorage, SessionStorage, Storage};

use crate::api::ApiConfig;

const BASE_KEY: &str = "seedream-studio.api-base";
const API_KEY_KEY: &str = "seedream-studio.api-key";

/// The saved settings, and whether the key was remembered on the device.
pub fn load() -> (ApiConfig, bool) {
    let base: String = LocalStorage::get(BASE_KEY).unwrap_or_default();
    let remembered: Option<String> = LocalStorage::get(API_KEY_KEY).ok();
    let session: Option<String> = SessionStorage::get(API_KEY_KEY).ok();
    let remember = remembered.is_some();
    let key = remembered.or(session);
    let config = ApiConfig::new(&base, key.as_deref());
    // A stored value that no longer validates (edited by hand, say) falls back to the
    // safe default rather than breaking every call.
    match config.validate() {
        Ok(()) => (config, remember),
        Err(_) => (ApiConfig::same_origin(), false),
    }
}

/// Saves `config`; returns a message when the browser refused to store it.
pub fn save(config: &ApiConfig, remember: bool) -> Result<(), String> {
    let refused = |_| {
        "The browser refused to store the settings; they apply until the page is closed.".to_owned()
    };
    if config.base.is_empty() {
        LocalStorage::delete(BASE_KEY);
    } else {
        LocalStorage::set(BASE_KEY, &config.base).map_err(refused)?;
    }
    // The key is in exactly one place, or none.
    LocalStorage::delete(API_KEY_KEY);
    SessionStorage::delete(API_KEY_KEY);
    if let Some(key) = &config.key {
        if remember {
            LocalStorage::set(API_KEY_KEY, key).map_err(refused)?;
        } else {
            SessionStorage::set(API_KEY_KEY, key).map_err(refused)?;
        }
    }
    Ok(())
}
