//! Where the connection settings live between visits.
//!
//! The API base is not secret and is kept on the device. The key is kept only for the
//! browser session (sessionStorage) unless the user explicitly asks to remember it on
//! this device (localStorage). It is never put in a URL, the history or a log.

use gloo_storage::{LocalStorage, SessionStorage, Storage};

use crate::api::ApiConfig;
use crate::i18n::{Locale, td_string};

/// The browser refused to store the settings (storage disabled or full); they
/// still apply until the page is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageRefused;

impl StorageRefused {
    /// The message for the user, in `locale`.
    pub fn describe(self, locale: Locale) -> String {
        td_string!(locale, settings.storage_refused).to_string()
    }
}

/// The storage names of one instance's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsStore {
    base_key: String,
    api_key_key: String,
}

impl Default for SettingsStore {
    fn default() -> Self {
        Self::named("seedream-studio.api-base", "seedream-studio.api-key")
    }
}

impl SettingsStore {
    /// The settings under these two storage names.
    pub fn named(base_key: impl Into<String>, api_key_key: impl Into<String>) -> SettingsStore {
        SettingsStore {
            base_key: base_key.into(),
            api_key_key: api_key_key.into(),
        }
    }
}

/// The page's saved settings (the first instance's).
pub fn load() -> (ApiConfig, bool) {
    SettingsStore::default().load()
}

/// Saves the page's settings (the first instance's).
pub fn save(config: &ApiConfig, remember: bool) -> Result<(), StorageRefused> {
    SettingsStore::default().save(config, remember)
}

impl SettingsStore {
    /// The saved settings, and whether the key was remembered on the device.
    pub fn load(&self) -> (ApiConfig, bool) {
        let base: String = LocalStorage::get(&self.base_key).unwrap_or_default();
        let remembered: Option<String> = LocalStorage::get(&self.api_key_key).ok();
        let session: Option<String> = SessionStorage::get(&self.api_key_key).ok();
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

    /// Saves `config`, or says the browser refused to store it.
    pub fn save(&self, config: &ApiConfig, remember: bool) -> Result<(), StorageRefused> {
        let refused = |_| StorageRefused;
        if config.base.is_empty() {
            LocalStorage::delete(&self.base_key);
        } else {
            LocalStorage::set(&self.base_key, &config.base).map_err(refused)?;
        }
        // The key is in exactly one place, or none.
        LocalStorage::delete(&self.api_key_key);
        SessionStorage::delete(&self.api_key_key);
        if let Some(key) = &config.key {
            if remember {
                LocalStorage::set(&self.api_key_key, key).map_err(refused)?;
            } else {
                SessionStorage::set(&self.api_key_key, key).map_err(refused)?;
            }
        }
        Ok(())
    }
}
