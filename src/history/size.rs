//! The output size as a record keeps it.
//!
//! A record written by this app holds a size the contract accepts; one written by
//! an early version, or by hand, may hold text that is not one (the first format's
//! `"2K"`). Such a record still loads, shows the text as it was, and is never sent
//! with a size guessed in its place: [`RecordedSize::usable`] says so, and "Submit
//! again" and "Edit again" tell the user instead.

use std::fmt;

use seedream_contract::Size;
use seedream_contract::text::truncate_chars;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest unusable size text kept (characters): enough to show what it was.
const MAX_KEPT_CHARS: usize = 40;

/// A record's output size: stored as the text `WIDTHxHEIGHT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordedSize {
    /// A size within the contract's rules.
    Valid(Size),
    /// Stored text that is not such a size, kept as it was (shortened if long).
    Unusable(String),
}

impl RecordedSize {
    /// Reads stored text: a size only when the contract accepts it as one.
    pub fn read(text: &str) -> RecordedSize {
        match text.parse::<Size>() {
            Ok(size) if size.validate().is_ok() => RecordedSize::Valid(size),
            _ => RecordedSize::Unusable(truncate_chars(text, MAX_KEPT_CHARS)),
        }
    }

    /// The size to send, or the text that cannot be sent.
    pub fn usable(&self) -> Result<Size, &str> {
        match self {
            RecordedSize::Valid(size) => Ok(*size),
            RecordedSize::Unusable(text) => Err(text),
        }
    }
}

impl From<Size> for RecordedSize {
    fn from(size: Size) -> Self {
        RecordedSize::Valid(size)
    }
}

impl fmt::Display for RecordedSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordedSize::Valid(size) => size.fmt(f),
            RecordedSize::Unusable(text) => f.write_str(text),
        }
    }
}

impl Serialize for RecordedSize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordedSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(RecordedSize::read(&text))
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn valid_sizes_read_as_sizes_and_write_back_unchanged() {
        let read: RecordedSize = serde_json::from_str("\"2048x2048\"").unwrap();
        assert_eq!(read, RecordedSize::Valid(Size::new(2048, 2048)));
        assert_eq!(read.usable(), Ok(Size::new(2048, 2048)));
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"2048x2048\"");
    }

    #[test]
    fn other_text_is_kept_as_it_was_and_never_usable() {
        for text in ["2K", "2048X2048", "100x100", "", "4096 x 4096"] {
            let read: RecordedSize = serde_json::from_str(&format!("{text:?}")).unwrap();
            assert_eq!(read, RecordedSize::Unusable(text.to_owned()), "{text}");
            assert_eq!(read.usable(), Err(text));
            assert_eq!(serde_json::to_string(&read).unwrap(), format!("{text:?}"));
        }
        let long = "9".repeat(100);
        let kept = format!("{}…", "9".repeat(40));
        assert_eq!(RecordedSize::read(&long), RecordedSize::Unusable(kept));
    }

    #[test]
    fn a_size_that_is_not_text_is_an_error_of_its_record() {
        assert!(serde_json::from_str::<RecordedSize>("2048").is_err());
    }
}
