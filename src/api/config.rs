//! Where the client sends its calls, and with which key.
//!
//! The base is empty by default: the app is served beside the mock or the
//! key-holding proxy, so same-origin paths work and the browser never needs a key.
//! A base pointing elsewhere is checked with the contract's URL rules, because it
//! ends up in every request the app makes. The key only ever travels in the
//! `Authorization` header, so it never appears in URLs, history, logs or `Debug`.

use std::fmt;

use seedream_contract::{SUBMIT_PATH, UrlError, parse_http_url, task_path};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, td_string};
use crate::locale::validation::{self, Subject};

/// The longest key accepted (bytes): real keys are far shorter; a huge paste is a mistake.
pub const MAX_KEY_BYTES: usize = 1024;

/// Where the API is and which key to send.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ApiConfig {
    /// An http(s) origin, optionally with a path prefix (a proxy mounted under a
    /// path), or empty for this page's own server.
    pub base: String,
    /// The API key; `None` or blank sends no `Authorization` header (the proxy adds it).
    pub key: Option<String>,
}

/// Where calls go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The server this page came from (its proxy or mock).
    ThisServer,
    /// Another address: the configured base, without trailing slashes.
    Address(String),
}

/// Why an [`ApiConfig`] cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigError {
    /// The base is not a plain http(s) URL.
    Base(UrlError),
    /// The base carries a query or fragment, which the paths cannot be appended to.
    BaseQueryOrFragment,
    /// The key holds characters an HTTP header cannot carry (spaces, line breaks,
    /// non-ASCII), or is absurdly long: almost always a paste accident.
    Key,
}

impl ConfigError {
    /// The message for the user, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Base(error) => {
                let subject = td_string!(locale, errors.config.subject).to_string();
                let problem = validation::url(locale, error, Subject::Named(&subject));
                td_string!(locale, errors.config.base, problem).to_string()
            }
            Self::BaseQueryOrFragment => {
                td_string!(locale, errors.config.query_or_fragment).to_string()
            }
            Self::Key => td_string!(locale, errors.config.key).to_string(),
        }
    }
}

/// The English message, for tests and developers; the interface uses `describe`.
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Locale::en))
    }
}

impl std::error::Error for ConfigError {}

impl ApiConfig {
    /// Same origin, no key: the default when the app is served by the mock or the proxy.
    pub fn same_origin() -> ApiConfig {
        ApiConfig::default()
    }

    /// A config from what a user typed: surrounding whitespace is dropped from
    /// both, and a blank key means none.
    pub fn new(base: &str, key: Option<&str>) -> ApiConfig {
        ApiConfig {
            base: base.trim().to_owned(),
            key: key
                .map(str::trim)
                .filter(|key| !key.is_empty())
                .map(str::to_owned),
        }
    }

    /// True when calls go to the page's own server.
    pub fn is_same_origin(&self) -> bool {
        self.base.is_empty()
    }

    /// Checks the base (contract URL rules, no query or fragment) and the key
    /// (visible ASCII only, so it can be sent as a header without the browser
    /// throwing).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.base.is_empty() {
            let url = parse_http_url(&self.base).map_err(ConfigError::Base)?;
            if url.as_str().contains(['?', '#']) {
                return Err(ConfigError::BaseQueryOrFragment);
            }
        }
        match self.key.as_deref().map(str::trim) {
            Some(key)
                if key.len() > MAX_KEY_BYTES || !key.bytes().all(|b| b.is_ascii_graphic()) =>
            {
                Err(ConfigError::Key)
            }
            _ => Ok(()),
        }
    }

    /// The submit URL: `{base}{SUBMIT_PATH}`, the base without trailing slashes.
    pub fn submit_url(&self) -> Result<String, ConfigError> {
        self.validate()?;
        Ok(format!("{}{SUBMIT_PATH}", self.trimmed_base()))
    }

    /// A task's URL: `{base}{task_path(id)}`. Never the submit answer's
    /// `get_result.url`, which names the provider's host even behind a proxy.
    pub fn task_url(&self, task_id: &str) -> Result<String, ConfigError> {
        self.validate()?;
        Ok(format!("{}{}", self.trimmed_base(), task_path(task_id)))
    }

    /// The `Authorization` header value, when there is a non-blank key.
    pub fn authorization_header(&self) -> Option<String> {
        self.key
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(|key| format!("Bearer {key}"))
    }

    /// Where calls go, for messages: the base, or this page's server.
    pub fn target(&self) -> Target {
        if self.is_same_origin() {
            Target::ThisServer
        } else {
            Target::Address(self.trimmed_base().to_owned())
        }
    }

    fn trimmed_base(&self) -> &str {
        self.base.trim_end_matches('/')
    }
}

/// By hand, so the key can never reach a log, a panic message or a test failure.
impl fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self.key.as_deref().map(str::trim) {
            None | Some("") => "none",
            Some(_) => "<redacted>",
        };
        f.debug_struct("ApiConfig")
            .field("base", &self.base)
            .field("key", &format_args!("{key}"))
            .finish()
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
