//! What went wrong with a task, kept as data rather than as a sentence.
//!
//! A record outlives a visit and the language it was made in, so a failure is
//! stored as its kind and details ([`ErrorRecord`]) and described when shown, in
//! the language the user reads then. The record's state keeps the English account
//! as well: records from before this field have only that, and an older version of
//! the app (another tab) reads only that.

use seedream_contract::{ApiError, ErrorKind, UrlError};
use serde::{Deserialize, Deserializer, Serialize};

use crate::api::{
    ConfigError, NoAnswer, NotSent, ReadError, Silence, SubmitError, Target, Unknown,
};
use crate::i18n::{Locale, td_string};

/// A failure as the history keeps it: the API client's error, field for field.
/// Stored externally tagged (`{"api": {...}}`): serde's internally tagged enums
/// buffer every value and cost tens of KB of wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorRecord {
    /// The API answered with an error (a refused submit, a failed query).
    Api {
        /// The HTTP status, when there was an answer.
        status: Option<u16>,
        /// The contract's classification ([`kind_name`]).
        kind: String,
        /// The API's message, usually `"<Category>: <detail>"`.
        message: String,
    },
    /// A submit was answered with success, unreadably.
    Unreadable,
    /// A gateway lost the submit it forwarded (HTTP 502 or 504).
    Gateway {
        /// The HTTP status.
        status: u16,
        /// The gateway's message.
        message: String,
    },
    /// No answer came back.
    NoAnswer {
        /// Where the call went: `None` for the page's own server.
        address: Option<String>,
        /// What happened.
        cause: SilenceRecord,
    },
    /// The call was not made.
    NotSent {
        /// Why.
        reason: NotSentRecord,
    },
    /// The page went away while the submit was on its way.
    Interrupted,
    /// The poller stopped at its deadline; the task may still end.
    TimedOut,
}

/// [`Silence`], stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SilenceRecord {
    Unreachable,
    CutOff { status: u16 },
    TimedOut { limit_secs: u64 },
}

/// [`NotSent`] (with its [`ConfigError`]), stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotSentRecord {
    TaskId,
    Unwritable,
    Unbuildable,
    Key,
    BaseQueryOrFragment,
    Base { url: UrlErrorRecord },
}

/// The contract's [`UrlError`], stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlErrorRecord {
    Empty,
    TooLong { len: usize },
    ForbiddenCharacter { ch: char },
    MissingScheme,
    UnsupportedScheme { scheme: String },
    MissingHost,
    UserInfo,
    BadPort,
    BadHost,
}

/// Which call failed: the same answer reads differently for a paid submit and a
/// free query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Submit,
    Read,
}

impl ErrorRecord {
    /// What to keep of a failed submit.
    pub fn from_submit(error: &SubmitError) -> ErrorRecord {
        match error {
            SubmitError::Rejected(error) => Self::from_api(error),
            SubmitError::OutcomeUnknown(Unknown::NoAnswer(no_answer)) => {
                Self::from_no_answer(no_answer)
            }
            SubmitError::OutcomeUnknown(Unknown::Unreadable) => Self::Unreadable,
            SubmitError::OutcomeUnknown(Unknown::Gateway { status, error }) => Self::Gateway {
                status: *status,
                message: error.message.clone(),
            },
            SubmitError::Invalid(reason) => Self::NotSent {
                reason: NotSentRecord::from(reason),
            },
        }
    }

    /// What to keep of a failed query.
    pub fn from_read(error: &ReadError) -> ErrorRecord {
        match error {
            ReadError::Api { error, .. } => Self::from_api(error),
            ReadError::NoAnswer(no_answer) => Self::from_no_answer(no_answer),
            ReadError::Invalid(reason) => Self::NotSent {
                reason: NotSentRecord::from(reason),
            },
        }
    }

    fn from_api(error: &ApiError) -> ErrorRecord {
        Self::Api {
            status: error.status,
            kind: kind_name(error.kind).to_owned(),
            message: error.message.clone(),
        }
    }

    fn from_no_answer(no_answer: &NoAnswer) -> ErrorRecord {
        Self::NoAnswer {
            address: match &no_answer.target {
                Target::ThisServer => None,
                Target::Address(address) => Some(address.clone()),
            },
            cause: match no_answer.cause {
                Silence::Unreachable => SilenceRecord::Unreachable,
                Silence::CutOff { status } => SilenceRecord::CutOff { status },
                Silence::TimedOut { limit_secs } => SilenceRecord::TimedOut { limit_secs },
            },
        }
    }

    /// The failure in `locale`, as the API client describes its own errors.
    pub fn describe(&self, locale: Locale, call: Call) -> String {
        match self {
            Self::Interrupted => td_string!(locale, tasks.problem.interrupted).to_string(),
            Self::TimedOut => td_string!(locale, tasks.problem.timed_out).to_string(),
            Self::Api {
                status,
                kind,
                message,
            } => {
                let error = api_error(*status, kind, message);
                match call {
                    Call::Submit => SubmitError::Rejected(error).describe(locale),
                    Call::Read => ReadError::Api {
                        error,
                        reset_wait_secs: None,
                    }
                    .describe(locale),
                }
            }
            Self::Unreadable => SubmitError::OutcomeUnknown(Unknown::Unreadable).describe(locale),
            Self::Gateway { status, message } => {
                let error = ApiError {
                    status: Some(*status),
                    kind: ErrorKind::OtherStatus,
                    message: message.clone(),
                };
                let unknown = Unknown::Gateway {
                    status: *status,
                    error,
                };
                SubmitError::OutcomeUnknown(unknown).describe(locale)
            }
            Self::NoAnswer { address, cause } => {
                let no_answer = NoAnswer {
                    target: address.clone().map_or(Target::ThisServer, Target::Address),
                    cause: match *cause {
                        SilenceRecord::Unreachable => Silence::Unreachable,
                        SilenceRecord::CutOff { status } => Silence::CutOff { status },
                        SilenceRecord::TimedOut { limit_secs } => Silence::TimedOut { limit_secs },
                    },
                };
                match call {
                    Call::Submit => {
                        SubmitError::OutcomeUnknown(Unknown::NoAnswer(no_answer)).describe(locale)
                    }
                    Call::Read => ReadError::NoAnswer(no_answer).describe(locale),
                }
            }
            Self::NotSent { reason } => NotSent::from(reason).describe(locale),
        }
    }

    /// The text it holds that came from the network, to vet before storing (see
    /// `vet`).
    pub(crate) fn text_mut(&mut self) -> Option<&mut String> {
        match self {
            Self::Api { message, .. } | Self::Gateway { message, .. } => Some(message),
            _ => None,
        }
    }

    /// As [`ErrorRecord::text_mut`], to read.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Self::Api { message, .. } | Self::Gateway { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// The API's error again; an unknown kind (hand-edited storage, a later version) is
/// taken from the status.
fn api_error(status: Option<u16>, kind: &str, message: &str) -> ApiError {
    let kind =
        kind_from_name(kind).unwrap_or_else(|| ErrorKind::from_code(status.map_or(0, i64::from)));
    ApiError {
        status,
        kind,
        message: message.to_owned(),
    }
}

impl From<&NotSent> for NotSentRecord {
    fn from(reason: &NotSent) -> NotSentRecord {
        match reason {
            NotSent::TaskId => Self::TaskId,
            NotSent::Unwritable => Self::Unwritable,
            NotSent::Unbuildable => Self::Unbuildable,
            NotSent::Config(ConfigError::Key) => Self::Key,
            NotSent::Config(ConfigError::BaseQueryOrFragment) => Self::BaseQueryOrFragment,
            NotSent::Config(ConfigError::Base(url)) => Self::Base {
                url: UrlErrorRecord::from(url),
            },
        }
    }
}

impl From<&NotSentRecord> for NotSent {
    fn from(reason: &NotSentRecord) -> NotSent {
        match reason {
            NotSentRecord::TaskId => Self::TaskId,
            NotSentRecord::Unwritable => Self::Unwritable,
            NotSentRecord::Unbuildable => Self::Unbuildable,
            NotSentRecord::Key => Self::Config(ConfigError::Key),
            NotSentRecord::BaseQueryOrFragment => Self::Config(ConfigError::BaseQueryOrFragment),
            NotSentRecord::Base { url } => Self::Config(ConfigError::Base(UrlError::from(url))),
        }
    }
}

impl From<&UrlError> for UrlErrorRecord {
    fn from(error: &UrlError) -> UrlErrorRecord {
        match error {
            UrlError::Empty => Self::Empty,
            UrlError::TooLong { len } => Self::TooLong { len: *len },
            UrlError::ForbiddenCharacter { ch } => Self::ForbiddenCharacter { ch: *ch },
            UrlError::MissingScheme => Self::MissingScheme,
            UrlError::UnsupportedScheme { scheme } => Self::UnsupportedScheme {
                scheme: scheme.clone(),
            },
            UrlError::MissingHost => Self::MissingHost,
            UrlError::UserInfo => Self::UserInfo,
            UrlError::BadPort => Self::BadPort,
            UrlError::BadHost => Self::BadHost,
        }
    }
}

impl From<&UrlErrorRecord> for UrlError {
    fn from(error: &UrlErrorRecord) -> UrlError {
        match error {
            UrlErrorRecord::Empty => Self::Empty,
            UrlErrorRecord::TooLong { len } => Self::TooLong { len: *len },
            UrlErrorRecord::ForbiddenCharacter { ch } => Self::ForbiddenCharacter { ch: *ch },
            UrlErrorRecord::MissingScheme => Self::MissingScheme,
            UrlErrorRecord::UnsupportedScheme { scheme } => Self::UnsupportedScheme {
                scheme: scheme.clone(),
            },
            UrlErrorRecord::MissingHost => Self::MissingHost,
            UrlErrorRecord::UserInfo => Self::UserInfo,
            UrlErrorRecord::BadPort => Self::BadPort,
            UrlErrorRecord::BadHost => Self::BadHost,
        }
    }
}

/// The stored name of a kind (stable: it is in users' storage).
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidParameters => "invalid_parameters",
        ErrorKind::Unauthorized => "unauthorized",
        ErrorKind::InsufficientBalance => "insufficient_balance",
        ErrorKind::NotFound => "not_found",
        ErrorKind::RateLimited => "rate_limited",
        ErrorKind::Internal => "internal",
        ErrorKind::Unavailable => "unavailable",
        ErrorKind::OtherStatus => "other_status",
        ErrorKind::MalformedAnswer => "malformed_answer",
    }
}

/// The kind a stored name stands for.
pub fn kind_from_name(name: &str) -> Option<ErrorKind> {
    Some(match name {
        "invalid_parameters" => ErrorKind::InvalidParameters,
        "unauthorized" => ErrorKind::Unauthorized,
        "insufficient_balance" => ErrorKind::InsufficientBalance,
        "not_found" => ErrorKind::NotFound,
        "rate_limited" => ErrorKind::RateLimited,
        "internal" => ErrorKind::Internal,
        "unavailable" => ErrorKind::Unavailable,
        "other_status" => ErrorKind::OtherStatus,
        "malformed_answer" => ErrorKind::MalformedAnswer,
        _ => return None,
    })
}

/// Reads a stored error, or nothing when it is not one this version knows (a later
/// version's, or damaged): the record itself must still load, with its English text.
pub(crate) fn lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ErrorRecord>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(ErrorRecord::deserialize(value).ok())
}
