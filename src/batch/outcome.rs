//! What one of the batch's submits came to, read from the record [`Tasks::send`]
//! made for it (the one submit path): the queue's [`Outcome`].
//!
//! [`Tasks::send`]: crate::tasks::Tasks::send

use seedream_contract::ErrorKind;

use super::queue::Outcome;
use crate::api::{NotSent, SubmitError};
use crate::form::RequestProblem;
use crate::history::RecordState;

/// The outcome of a send that gave `sent` (the record's id, or why nothing was sent),
/// whose record is now in `state` (`None`: the record is gone, removed meanwhile).
pub fn outcome_of(sent: &Result<String, RequestProblem>, state: Option<&RecordState>) -> Outcome {
    let id = match sent {
        Ok(id) => id.clone(),
        // Nothing was sent: this item's images or body (the form's own reasons).
        Err(_) => return Outcome::RefusedItem { record: None },
    };
    let record = Some(id.clone());
    let Some(state) = state else {
        // Removed while it was being sent: whether a task exists is not known here.
        return Outcome::Unknown { record: None };
    };
    match state {
        RecordState::NotAccepted(SubmitError::Rejected(error)) => match error.kind {
            ErrorKind::RateLimited => Outcome::RateLimited {
                wait_secs: error.wait_secs,
            },
            ErrorKind::InvalidParameters => Outcome::RefusedItem { record },
            _ => Outcome::RefusedAll { record },
        },
        RecordState::NotAccepted(SubmitError::OutcomeUnknown(_)) => Outcome::Unknown { record },
        // The address or key is unusable: every item would meet it.
        RecordState::NotAccepted(SubmitError::Invalid(NotSent::Config(_))) => {
            Outcome::RefusedAll { record }
        }
        RecordState::NotAccepted(SubmitError::Invalid(_)) => Outcome::RefusedItem { record },
        _ => Outcome::Accepted { record: id },
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use seedream_contract::ApiError;

    use super::*;
    use crate::api::Unknown;

    fn rejected(status: u16, wait_secs: Option<u64>) -> RecordState {
        let mut error = ApiError::new(
            Some(status),
            ErrorKind::from_code(i64::from(status)),
            "Some category: some detail",
        );
        error.wait_secs = wait_secs;
        RecordState::NotAccepted(SubmitError::Rejected(error))
    }

    #[test]
    fn each_answer_to_a_submit_is_one_outcome() {
        let sent: Result<String, RequestProblem> = Ok("r1".to_owned());
        let record = Some("r1".to_owned());
        let refused_all = Outcome::RefusedAll {
            record: record.clone(),
        };
        let table = [
            (
                RecordState::Queued,
                Outcome::Accepted {
                    record: "r1".into(),
                },
            ),
            (
                rejected(429, Some(7)),
                Outcome::RateLimited { wait_secs: Some(7) },
            ),
            (
                rejected(429, None),
                Outcome::RateLimited { wait_secs: None },
            ),
            (
                rejected(400, None),
                Outcome::RefusedItem {
                    record: record.clone(),
                },
            ),
            (rejected(401, None), refused_all.clone()),
            (rejected(402, None), refused_all.clone()),
            (rejected(403, None), refused_all.clone()),
            (rejected(404, None), refused_all.clone()),
            (rejected(500, None), refused_all.clone()),
            (rejected(503, None), refused_all.clone()),
            (
                RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable)),
                Outcome::Unknown {
                    record: record.clone(),
                },
            ),
            (
                RecordState::NotAccepted(SubmitError::Invalid(NotSent::Unwritable)),
                Outcome::RefusedItem {
                    record: record.clone(),
                },
            ),
        ];
        for (state, outcome) in table {
            assert_eq!(outcome_of(&sent, Some(&state)), outcome, "{state:?}");
        }
        assert_eq!(
            outcome_of(&sent, None),
            Outcome::Unknown { record: None },
            "a record removed while sent"
        );
        let not_sent = Err(RequestProblem::Unreadable(vec![0]));
        assert_eq!(
            outcome_of(&not_sent, None),
            Outcome::RefusedItem { record: None }
        );
    }
}
