//! A task's status, tolerant of values the contract does not list.
//!
//! A provider may add a status ("queued", "cancelled"); failing the whole answer
//! over it would leave the user with nothing, so unknown strings are kept as
//! [`TaskStatus::Unknown`] and the app decides what they mean.

/// `data.status` of a submit or task answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum TaskStatus {
    /// Queued.
    #[default]
    Pending,
    /// Generating.
    Processing,
    /// Done; results are available.
    Success,
    /// Done; no results.
    Failed,
    /// Any other string, kept as given.
    Unknown(String),
}

impl TaskStatus {
    /// The wire spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Success => "success",
            Self::Failed => "failed",
            Self::Unknown(other) => other,
        }
    }

    /// Reads a wire value; never fails.
    pub fn parse(text: &str) -> TaskStatus {
        match text {
            "pending" => Self::Pending,
            "processing" => Self::Processing,
            "success" => Self::Success,
            "failed" => Self::Failed,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// True once the task will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Success | Self::Failed)
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for TaskStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TaskStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(TaskStatus::parse(&text))
    }
}
