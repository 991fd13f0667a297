//! Where a task got to, as the history keeps it: its [`RecordState`], and the one
//! table from a state to its [`Status`] and [`Phase`] that everything shown about a
//! task follows from (see `tasks::status`).

use seedream_contract::{Resource, TaskState};
use serde::{Deserialize, Serialize};

use crate::api::{ReadError, SubmitError};

/// One output image of a finished task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// Where to fetch it; temporary (see `TaskRecord::expires_at_ms`).
    pub url: String,
    /// Pixel width, if reported.
    pub width: Option<u32>,
    /// Pixel height, if reported.
    pub height: Option<u32>,
    /// "jpeg" or "png", if reported.
    pub format: Option<String>,
}

impl RecordState {
    /// The results that can be shown, in order: only http(s) addresses. A result's
    /// position among these names it everywhere (the archive's keys, the export).
    pub fn shown_results(&self) -> Vec<ResultRecord> {
        match self {
            RecordState::Done { results, .. } => results
                .iter()
                .filter(|r| seedream_contract::is_http_url(&r.url))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Where a task got to. Stored by variant name (`"queued"`, `{"done": {...}}`); a
/// failure keeps the API client's own error, described when shown in the language
/// the user reads then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// The submit is in flight (or, with a task id, accepted and not yet polled).
    Submitting,
    /// Accepted and waiting (`pending`).
    Queued,
    /// Being generated (`processing`).
    Generating,
    /// Finished with outputs.
    Done {
        /// The outputs with safe URLs.
        results: Vec<ResultRecord>,
        /// Outputs left out because their URL was unsafe or missing.
        skipped: usize,
    },
    /// The service ran the task and it failed.
    Failed {
        /// Why, as reported (the service's words, which no one translates).
        reason: String,
    },
    /// The service ended the task without results in a status the contract does
    /// not list but that plainly ends it (`cancelled`, `expired`, ...).
    Ended {
        /// The status as the service named it.
        status: String,
        /// Why, when the service said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Accepted, and in a status the contract does not list: still followed, and
    /// shown by the name the service gave it.
    Unlisted {
        /// The status as the service named it.
        status: String,
    },
    /// The submit produced no task id: refused, not sent, or of unknown outcome.
    NotAccepted(SubmitError),
    /// The page went away while the submit was on its way: whether it was accepted
    /// (and charged) is unknown.
    Interrupted,
    /// The app stopped following the task: a query failed for good.
    GaveUp(ReadError),
    /// The app stopped following the task at the poller's deadline; it may still end.
    TimedOut,
}

/// A task's status: the one table from a state to what it is called, and from
/// there to its [`Phase`]. The task list's words, badges, announcements, host
/// events and buttons are all derived from these two (see `tasks::status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Submitting,
    Queued,
    Generating,
    /// Accepted, in a status the contract does not list (the state names it).
    Unlisted,
    Done,
    /// The service ran the task and it failed.
    Failed,
    /// The service ended the task without results (the state names how).
    Ended,
    /// The submit was refused, or never sent.
    Refused,
    /// Whether the submit was taken (and charged) is unknown.
    OutcomeUnknown,
    /// The app stopped following the task.
    Stopped,
}

/// Where a task stands, in four.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Being sent, or accepted and waiting its turn.
    Waiting,
    /// Being generated.
    Running,
    /// Finished with outputs.
    Done,
    /// Something went wrong; the state says what.
    Problem,
}

impl Status {
    /// Where a task with this status stands.
    pub fn phase(self) -> Phase {
        match self {
            Self::Submitting | Self::Queued => Phase::Waiting,
            Self::Generating | Self::Unlisted => Phase::Running,
            Self::Done => Phase::Done,
            Self::Failed | Self::Ended | Self::Refused | Self::OutcomeUnknown | Self::Stopped => {
                Phase::Problem
            }
        }
    }
}

impl RecordState {
    /// What the state is called.
    pub fn status(&self) -> Status {
        match self {
            Self::Submitting => Status::Submitting,
            Self::Queued => Status::Queued,
            Self::Generating => Status::Generating,
            Self::Unlisted { .. } => Status::Unlisted,
            Self::Done { .. } => Status::Done,
            Self::Failed { .. } => Status::Failed,
            Self::Ended { .. } => Status::Ended,
            Self::NotAccepted(SubmitError::OutcomeUnknown(_)) | Self::Interrupted => {
                Status::OutcomeUnknown
            }
            Self::NotAccepted(SubmitError::Rejected(_) | SubmitError::Invalid(_)) => {
                Status::Refused
            }
            Self::GaveUp(_) | Self::TimedOut => Status::Stopped,
        }
    }

    /// The status as the service named it, for a status the contract does not list.
    pub fn named_status(&self) -> Option<&str> {
        match self {
            Self::Unlisted { status } | Self::Ended { status, .. } => Some(status),
            _ => None,
        }
    }

    /// Where the task stands.
    pub fn phase(&self) -> Phase {
        self.status().phase()
    }

    /// True when nothing more will happen to the task without the user.
    pub fn is_final(&self) -> bool {
        matches!(self.phase(), Phase::Done | Phase::Problem)
    }

    /// The state as a poll answer reports it; `skipped` counts outputs left out.
    pub fn from_task_state(state: &TaskState, skipped: usize) -> RecordState {
        match state {
            TaskState::Pending => Self::Queued,
            TaskState::Processing => Self::Generating,
            TaskState::Succeeded(resources) => Self::Done {
                results: resources.iter().map(ResultRecord::from_resource).collect(),
                skipped,
            },
            TaskState::Failed { reason } => Self::Failed {
                reason: reason.clone(),
            },
            TaskState::Ended { status, reason } => Self::Ended {
                status: status.clone(),
                reason: reason.clone(),
            },
            TaskState::Unlisted { status } => Self::Unlisted {
                status: status.clone(),
            },
        }
    }
}

impl ResultRecord {
    /// Keeps what the history needs of a contract [`Resource`].
    pub fn from_resource(resource: &Resource) -> ResultRecord {
        ResultRecord {
            url: resource.url.clone(),
            width: resource.width,
            height: resource.height,
            format: resource.format.clone(),
        }
    }
}
