//! What the task list says and offers for a status. A record's state names its
//! [`Status`] and [`Phase`] once (in `history::record`); the badge, its words, the
//! problem told on a card, the host page's events and a card's buttons all follow
//! from those here, and nowhere else.

use super::gallery;
use crate::api::SubmitError;
use crate::embed::HostEvent;
use crate::history::{Phase, RecordState, Status, TaskRecord};
use crate::i18n::{Locale, td_string};

/// A short name for a status badge.
pub fn label(status: Status, locale: Locale) -> String {
    match status {
        Status::Submitting => td_string!(locale, tasks.status.submitting),
        Status::Queued => td_string!(locale, tasks.status.queued),
        Status::Generating => td_string!(locale, tasks.status.generating),
        Status::Done => td_string!(locale, tasks.status.done),
        Status::Failed => td_string!(locale, tasks.status.failed),
        Status::Refused => td_string!(locale, tasks.status.rejected),
        Status::OutcomeUnknown => td_string!(locale, tasks.status.outcome_unknown),
        Status::Stopped => td_string!(locale, tasks.status.stopped),
    }
    .to_string()
}

/// The CSS name of a status's badge: its phase, with the unknown outcome apart (it
/// asks the user to look before doing anything).
pub fn badge(status: Status) -> &'static str {
    match (status.phase(), status) {
        (_, Status::OutcomeUnknown) => "unknown",
        (Phase::Waiting, _) => "queued",
        (Phase::Running, _) => "generating",
        (Phase::Done, _) => "done",
        (Phase::Problem, _) => "failed",
    }
}

/// What went wrong, as the API client (or the app) describes it; `None` when
/// nothing did.
fn account(state: &RecordState, locale: Locale) -> Option<String> {
    Some(match state {
        RecordState::Failed { reason } => reason.clone(),
        RecordState::NotAccepted(error) => error.describe(locale),
        RecordState::GaveUp(error) => error.describe(locale),
        RecordState::Interrupted => td_string!(locale, tasks.problem.interrupted).to_string(),
        RecordState::TimedOut => td_string!(locale, tasks.problem.timed_out).to_string(),
        RecordState::Submitting
        | RecordState::Queued
        | RecordState::Generating
        | RecordState::Done { .. } => return None,
    })
}

/// What went wrong, in plain words, with what to do about it; `None` when nothing
/// did.
pub fn problem(state: &RecordState, locale: Locale) -> Option<String> {
    let account = account(state, locale)?;
    Some(match state.status() {
        Status::Refused => match advice(locale, refusal_code(state)) {
            Some(advice) => {
                td_string!(locale, tasks.problem.with_advice, message = account, advice).to_string()
            }
            None => account,
        },
        Status::OutcomeUnknown => {
            td_string!(locale, tasks.problem.outcome_unknown, detail = account).to_string()
        }
        // The service's own reason, which no one translates.
        Status::Failed => td_string!(locale, tasks.problem.failed, reason = account).to_string(),
        Status::Stopped => td_string!(locale, tasks.problem.gave_up, message = account).to_string(),
        Status::Submitting | Status::Queued | Status::Generating | Status::Done => return None,
    })
}

/// The status code a refusal stands for: the kind says it best (an error can come
/// in a 200 envelope).
fn refusal_code(state: &RecordState) -> Option<u16> {
    match state {
        RecordState::NotAccepted(SubmitError::Rejected(error)) => {
            error.kind.status_code().or(error.status)
        }
        _ => None,
    }
}

/// What to do about a refused submit with this status.
fn advice(locale: Locale, status: Option<u16>) -> Option<String> {
    let advice = match status? {
        401 => td_string!(locale, tasks.problem.advice_401),
        402 => td_string!(locale, tasks.problem.advice_402),
        400 => td_string!(locale, tasks.problem.advice_400),
        429 => td_string!(locale, tasks.problem.advice_429),
        _ => return None,
    };
    Some(advice.to_string())
}

/// What the host page hears of a record's new status.
pub fn host_event(record: &TaskRecord) -> Option<HostEvent> {
    let (id, task_id) = (record.id.clone(), record.task_id.clone());
    let progress = |status| HostEvent::Progress {
        id: id.clone(),
        task_id: task_id.clone(),
        status,
    };
    let status = record.state.status();
    Some(match status.phase() {
        // The host heard of the submit when it was made.
        Phase::Waiting if status == Status::Submitting => return None,
        Phase::Waiting => progress("queued"),
        Phase::Running => progress("generating"),
        Phase::Done => HostEvent::Completed {
            id: id.clone(),
            task_id: task_id.clone(),
            results: gallery::shown_results(record),
        },
        // In English: the host's own code reads it, whatever the user's language.
        Phase::Problem => HostEvent::Failed {
            id: id.clone(),
            task_id: task_id.clone(),
            reason: account(&record.state, Locale::en).unwrap_or_default(),
        },
    })
}

/// True when "Check now" can help: the task was accepted (it has a task id) and is
/// followed, or following it stopped and can resume.
pub fn can_check(state: &RecordState, accepted: bool) -> bool {
    accepted && (!state.is_final() || state.status() == Status::Stopped)
}

/// True when the same edit can be sent again as it is: it was not run. Once the
/// cause is fixed (key, balance, a busy service) a refusal can be resent; a 400
/// needs a changed field, which is what "Edit again" is for.
pub fn can_resend(state: &RecordState) -> bool {
    match state {
        RecordState::NotAccepted(SubmitError::Rejected(error)) => {
            error.status.is_some_and(|status| status != 400)
        }
        _ => state.status() == Status::OutcomeUnknown,
    }
}

/// True when the card may be removed: not while it is being sent, as its answer
/// (the task id of a paid edit) would have no card to land on.
pub fn can_remove(status: Status) -> bool {
    status != Status::Submitting
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use seedream_contract::ApiError;

    use super::*;
    use crate::api::{NotSent, ReadError, Unknown};

    fn refused(status: u16) -> RecordState {
        let kind = seedream_contract::ErrorKind::from_code(i64::from(status));
        RecordState::NotAccepted(SubmitError::Rejected(ApiError::new(
            Some(status),
            kind,
            "x",
        )))
    }

    /// Every state, with its badge, whether it ends the task and can be sent again.
    fn table() -> Vec<(RecordState, &'static str, bool, bool)> {
        let read = ReadError::Invalid(NotSent::TaskId);
        vec![
            (RecordState::Submitting, "queued", false, false),
            (RecordState::Queued, "queued", false, false),
            (RecordState::Generating, "generating", false, false),
            (
                RecordState::Done {
                    results: vec![],
                    skipped: 0,
                },
                "done",
                true,
                false,
            ),
            (
                RecordState::Failed { reason: "r".into() },
                "failed",
                true,
                false,
            ),
            (refused(401), "failed", true, true),
            (refused(429), "failed", true, true),
            (refused(400), "failed", true, false),
            (
                RecordState::NotAccepted(SubmitError::Invalid(NotSent::TaskId)),
                "failed",
                true,
                false,
            ),
            (
                RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable)),
                "unknown",
                true,
                true,
            ),
            (RecordState::Interrupted, "unknown", true, true),
            (RecordState::GaveUp(read), "failed", true, false),
            (RecordState::TimedOut, "failed", true, false),
        ]
    }

    #[test]
    fn each_state_has_one_badge_phase_and_set_of_offers() {
        for (state, expected_badge, ended, resend) in table() {
            let status = state.status();
            assert_eq!(badge(status), expected_badge, "{state:?}");
            assert_eq!(state.is_final(), ended, "{state:?}");
            assert_eq!(can_resend(&state), resend, "{state:?}");
            // A problem is told exactly when the phase says something went wrong.
            let told = problem(&state, Locale::en);
            assert_eq!(
                told.is_some(),
                status.phase() == Phase::Problem,
                "{state:?}"
            );
            assert!(!label(status, Locale::en).is_empty());
        }
    }

    #[test]
    fn refusals_say_what_to_do_and_stopped_tasks_can_be_checked() {
        let told = problem(&refused(402), Locale::en).unwrap();
        let advice = td_string!(Locale::en, tasks.problem.advice_402).to_string();
        assert!(told.contains(&advice), "{told}");
        let mut record = crate::history::TaskRecord {
            id: "t".into(),
            task_id: Some("task-1".into()),
            prompt: String::new(),
            inputs: vec![],
            size: "2K".into(),
            sequential: seedream_contract::SequentialMode::Disabled,
            max_images: 1,
            output_format: seedream_contract::OutputFormat::Jpeg,
            submitted_at_ms: 0.0,
            finished_at_ms: None,
            updated_at_ms: None,
            state: RecordState::TimedOut,
        };
        let checkable = |r: &crate::history::TaskRecord| can_check(&r.state, r.task_id.is_some());
        assert!(checkable(&record));
        record.state = RecordState::Failed { reason: "r".into() };
        assert!(!checkable(&record));
        record.state = RecordState::Generating;
        assert!(checkable(&record));
        record.task_id = None;
        assert!(!checkable(&record));
        assert!(!can_remove(RecordState::Submitting.status()));
        assert!(can_remove(record.state.status()));
    }
}
