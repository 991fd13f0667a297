//! The client's errors in the user's language (`locales/*/errors.json`).
//!
//! An API error is described by its kind and status, never by its text alone: the
//! text comes from the provider (in English) and is data, so it only follows the
//! sentence, as the API's own words, when it says more than the kind does.

use seedream_contract::{ApiError, ErrorKind};

use super::config::Target;
use super::errors::{
    ConnectionProblem, NoAnswer, NotSent, ReadError, Silence, SubmitError, Unknown,
};
use crate::i18n::{Locale, td_string};
use crate::locale::format::duration;

impl SubmitError {
    /// The message for the user, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Rejected(error) => describe_api_error(locale, error, None),
            Self::OutcomeUnknown(unknown) => unknown.describe(locale),
            Self::Invalid(reason) => reason.describe(locale),
        }
    }
}

impl Unknown {
    /// What happened, then that the edit may exist and be charged.
    pub fn describe(&self, locale: Locale) -> String {
        let what = match self {
            Self::NoAnswer(no_answer) => no_answer.describe(locale),
            Self::Unreadable => td_string!(locale, errors.unknown.unreadable).to_string(),
            Self::Gateway { status, error } => match provider_detail(error) {
                Some(detail) => {
                    td_string!(locale, errors.unknown.gateway_said, status, detail).to_string()
                }
                None => td_string!(locale, errors.unknown.gateway, status).to_string(),
            },
        };
        td_string!(locale, errors.unknown.may_exist, what).to_string()
    }
}

impl ReadError {
    /// The message for the user, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Api {
                error,
                reset_wait_secs,
            } => describe_api_error(locale, error, *reset_wait_secs),
            Self::NoAnswer(no_answer) => no_answer.describe(locale),
            Self::Invalid(reason) => reason.describe(locale),
        }
    }
}

impl ConnectionProblem {
    /// The message for the user, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Invalid(reason) => reason.describe(locale),
            Self::Unreachable(no_answer) => no_answer.describe(locale),
            Self::KeyRefused {
                error,
                key_sent: true,
            } => match provider_detail(error) {
                Some(detail) => {
                    td_string!(locale, errors.connection.key_refused_said, detail).to_string()
                }
                None => td_string!(locale, errors.connection.key_refused).to_string(),
            },
            Self::KeyRefused {
                error,
                key_sent: false,
            } => match provider_detail(error) {
                Some(detail) => {
                    td_string!(locale, errors.connection.key_needed_said, detail).to_string()
                }
                None => td_string!(locale, errors.connection.key_needed).to_string(),
            },
            Self::NotTheApi { status } => {
                td_string!(locale, errors.connection.not_the_api, status).to_string()
            }
            Self::Unexpected(error) if error.kind == ErrorKind::MalformedAnswer => {
                td_string!(locale, errors.connection.unreadable).to_string()
            }
            Self::Unexpected(error) => {
                let message = describe_api_error(locale, error, None);
                td_string!(locale, errors.connection.unexpected, message).to_string()
            }
        }
    }
}

impl NoAnswer {
    /// Where the call went and what happened. The browser does not tell the page why
    /// a fetch failed, so for another origin the likely causes are listed, including
    /// the one users hit first: calling the provider directly from the page.
    pub fn describe(&self, locale: Locale) -> String {
        match (&self.target, self.cause) {
            (Target::ThisServer, Silence::Unreachable) => {
                td_string!(locale, errors.no_answer.unreachable_here).to_string()
            }
            (Target::Address(address), Silence::Unreachable) => {
                td_string!(locale, errors.no_answer.unreachable_at, address).to_string()
            }
            (Target::ThisServer, Silence::CutOff { status }) => {
                td_string!(locale, errors.no_answer.cut_off_here, status).to_string()
            }
            (Target::Address(address), Silence::CutOff { status }) => {
                td_string!(locale, errors.no_answer.cut_off_at, address, status).to_string()
            }
            (Target::ThisServer, Silence::TimedOut { limit_secs }) => {
                let limit = seconds(locale, limit_secs);
                td_string!(locale, errors.no_answer.timed_out_here, limit).to_string()
            }
            (Target::Address(address), Silence::TimedOut { limit_secs }) => {
                let limit = seconds(locale, limit_secs);
                td_string!(locale, errors.no_answer.timed_out_at, address, limit).to_string()
            }
        }
    }
}

impl Target {
    /// The address, or "this page's server" in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::ThisServer => td_string!(locale, errors.target.this_server).to_string(),
            Self::Address(address) => address.clone(),
        }
    }
}

impl NotSent {
    /// Why nothing was sent, in `locale`.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Config(error) => error.describe(locale),
            Self::TaskId => td_string!(locale, errors.not_sent.task_id).to_string(),
            Self::Unwritable => td_string!(locale, errors.not_sent.unwritable).to_string(),
            Self::Unbuildable => td_string!(locale, errors.not_sent.unbuildable).to_string(),
        }
    }
}

/// An API error in `locale`: a sentence chosen by its kind and status, with the
/// API's own words after it when it gave any, and the wait it asked for.
pub fn describe_api_error(locale: Locale, error: &ApiError, wait_secs: Option<u64>) -> String {
    let message = match provider_detail(error) {
        Some(detail) => said(locale, error, detail),
        None => plain(locale, error),
    };
    match wait_secs {
        Some(secs) => {
            let wait = seconds(locale, secs);
            td_string!(locale, errors.api.wait, message, wait).to_string()
        }
        None => message,
    }
}

/// The sentence for an error whose answer said nothing more than its kind.
fn plain(locale: Locale, error: &ApiError) -> String {
    match error.kind {
        ErrorKind::InvalidParameters => td_string!(locale, errors.api.plain.invalid_parameters),
        ErrorKind::Unauthorized => td_string!(locale, errors.api.plain.unauthorized),
        ErrorKind::InsufficientBalance => {
            td_string!(locale, errors.api.plain.insufficient_balance)
        }
        ErrorKind::Forbidden => td_string!(locale, errors.api.plain.forbidden),
        ErrorKind::NotFound => td_string!(locale, errors.api.plain.not_found),
        ErrorKind::RateLimited => td_string!(locale, errors.api.plain.rate_limited),
        ErrorKind::Internal => td_string!(locale, errors.api.plain.internal),
        ErrorKind::Unavailable => td_string!(locale, errors.api.plain.unavailable),
        ErrorKind::MalformedAnswer => td_string!(locale, errors.api.plain.malformed),
        ErrorKind::OtherStatus => {
            return match error.status {
                Some(status) => {
                    td_string!(locale, errors.api.plain.other_status, status).to_string()
                }
                None => td_string!(locale, errors.api.plain.other).to_string(),
            };
        }
    }
    .to_string()
}

/// The kind's sentence with the API's own words.
fn said(locale: Locale, error: &ApiError, detail: &str) -> String {
    let title = match error.kind {
        ErrorKind::InvalidParameters => td_string!(locale, errors.api.title.invalid_parameters),
        ErrorKind::Unauthorized => td_string!(locale, errors.api.title.unauthorized),
        ErrorKind::InsufficientBalance => {
            td_string!(locale, errors.api.title.insufficient_balance)
        }
        ErrorKind::Forbidden => td_string!(locale, errors.api.title.forbidden),
        ErrorKind::NotFound => td_string!(locale, errors.api.title.not_found),
        ErrorKind::RateLimited => td_string!(locale, errors.api.title.rate_limited),
        ErrorKind::Internal => td_string!(locale, errors.api.title.internal),
        ErrorKind::Unavailable => td_string!(locale, errors.api.title.unavailable),
        // Without a kind, the API's category ("Gateway timeout: ...") says what
        // happened, so its whole message is kept.
        ErrorKind::OtherStatus | ErrorKind::MalformedAnswer => {
            let detail = bare(&error.message);
            return match error.status {
                Some(status) => {
                    td_string!(locale, errors.api.other_status_said, status, detail).to_string()
                }
                None => td_string!(locale, errors.api.other_said, detail).to_string(),
            };
        }
    };
    td_string!(locale, errors.api.said, title, detail).to_string()
}

/// The API's own words, when its answer carried any: not the contract's stand-in
/// for an answer without a message, and never for an unreadable answer, whose
/// detail is the contract's (developer) account of what was wrong with it.
fn provider_detail(error: &ApiError) -> Option<&str> {
    if error.kind == ErrorKind::MalformedAnswer || error.message == error.kind.default_message() {
        return None;
    }
    // The contract's stand-in for an error status without a readable message.
    if let Some(status) = error.status
        && error.message == format!("Unexpected answer: the service answered with HTTP {status}.")
    {
        return None;
    }
    let detail = bare(error.detail()).trim();
    (!detail.is_empty()).then_some(detail)
}

/// A seconds count as the language writes a duration.
fn seconds(locale: Locale, secs: u64) -> String {
    duration(locale, secs as f64 * 1000.0)
}

/// A detail to put inside a sentence: without its closing full stop.
fn bare(detail: &str) -> &str {
    detail.trim_end().trim_end_matches('.')
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
