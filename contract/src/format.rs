//! The two single-valued-ish options: output format and prompt optimisation mode.
//!
//! Both are closed sets on the wire; parsing is exact (lowercase), so the mock
//! refuses `"JPEG"` or `"jpg"` just as a strict provider would.

/// The output image format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// JPEG, the default.
    #[default]
    Jpeg,
    /// PNG.
    Png,
}

impl OutputFormat {
    /// The wire values, for messages and pickers.
    pub const WIRE_VALUES: &'static [&'static str] = &["jpeg", "png"];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
        }
    }

    /// Reads the wire spelling (exact).
    pub fn parse(text: &str) -> Option<OutputFormat> {
        match text {
            "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }

    /// The MIME type of the produced files.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// A file extension for downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }
}

/// The prompt optimisation mode; the contract has only one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OptimizePromptMode {
    /// The only mode.
    #[default]
    Standard,
}

impl OptimizePromptMode {
    /// The wire values, for messages.
    pub const WIRE_VALUES: &'static [&'static str] = &["standard"];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
        }
    }

    /// Reads the wire spelling (exact).
    pub fn parse(text: &str) -> Option<OptimizePromptMode> {
        match text {
            "standard" => Some(Self::Standard),
            _ => None,
        }
    }
}
