//! What the task list says and offers for a status. A record's state names its
//! [`Status`] and [`Phase`] once (in `history::state`); the badge, its words, the
//! problem told on a card, the host page's events and a card's buttons all follow
//! from those here, and nowhere else.

use crate::api::SubmitError;
use crate::embed::HostEvent;
use crate::history::{Phase, RecordState, Status, TaskRecord};
use crate::i18n::{Locale, td_string};

/// A short name for a status badge: the service's own name for a status the
/// contract does not list (`named`), else the status's.
pub fn label(status: Status, named: Option<&str>, locale: Locale) -> String {
    if let Some(named) = named {
        return named.to_owned();
    }
    match status {
        Status::Submitting => td_string!(locale, tasks.status.submitting),
        Status::Queued => td_string!(locale, tasks.status.queued),
        Status::Generating | Status::Unlisted => td_string!(locale, tasks.status.generating),
        Status::Done => td_string!(locale, tasks.status.done),
        Status::Failed | Status::Ended => td_string!(locale, tasks.status.failed),
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
        RecordState::Ended { status, reason } => match reason {
            Some(reason) => {
                td_string!(locale, tasks.problem.ended_with_reason, status, reason).to_string()
            }
            None => td_string!(locale, tasks.problem.ended, status).to_string(),
        },
        RecordState::NotAccepted(error) => error.describe(locale),
        RecordState::GaveUp(error) => error.describe(locale),
        RecordState::Interrupted => td_string!(locale, tasks.problem.interrupted).to_string(),
        RecordState::TimedOut => td_string!(locale, tasks.problem.timed_out).to_string(),
        RecordState::Submitting
        | RecordState::Queued
        | RecordState::Generating
        | RecordState::Unlisted { .. }
        | RecordState::Done { .. } => return None,
    })
}

/// What went wrong, in plain words, with what to do about it; `None` when nothing
/// did.
pub fn problem(state: &RecordState, locale: Locale) -> Option<String> {
    let account = account(state, locale)?;
    Some(match state.status() {
        Status::Refused => match refusal(state).and_then(|refusal| refusal.advice(locale)) {
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
        Status::Ended => account,
        Status::Stopped => td_string!(locale, tasks.problem.gave_up, message = account).to_string(),
        Status::Submitting
        | Status::Queued
        | Status::Generating
        | Status::Unlisted
        | Status::Done => return None,
    })
}

/// What a refused submit means to the person who sent it: the one reading of a
/// refusal, which both its advice and whether the card offers "Submit again"
/// follow. It reads the error's own code (the envelope's, which a provider may put
/// inside an HTTP 200) before its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// 400: the request itself was refused; sent again unchanged it would be
    /// refused again, so it needs "Edit again".
    Request,
    /// 401: the key.
    Key,
    /// 402: the balance.
    Balance,
    /// 403: not allowed from here (the proxy's origins, the key's rights).
    Forbidden,
    /// 429: too many at once.
    Busy,
    /// Any other error the service answered with (its own trouble, a 5xx).
    Other,
    /// Never sent: the request or the settings could not be used.
    NotSent,
}

impl Refusal {
    fn of_code(code: Option<i64>) -> Refusal {
        match code {
            Some(400) => Refusal::Request,
            Some(401) => Refusal::Key,
            Some(402) => Refusal::Balance,
            Some(403) => Refusal::Forbidden,
            Some(429) => Refusal::Busy,
            _ => Refusal::Other,
        }
    }

    /// What to do about it.
    fn advice(self, locale: Locale) -> Option<String> {
        let advice = match self {
            Refusal::Request => td_string!(locale, tasks.problem.advice_400),
            Refusal::Key => td_string!(locale, tasks.problem.advice_401),
            Refusal::Balance => td_string!(locale, tasks.problem.advice_402),
            Refusal::Forbidden => td_string!(locale, tasks.problem.advice_403),
            Refusal::Busy => td_string!(locale, tasks.problem.advice_429),
            Refusal::Other | Refusal::NotSent => return None,
        };
        Some(advice.to_string())
    }

    /// True when the same request may help once the cause is fixed (the key, the
    /// balance, a busy service): not when the request itself is what was refused.
    fn may_send_again(self) -> bool {
        !matches!(self, Refusal::Request | Refusal::NotSent)
    }
}

/// How a refused submit is read; `None` for any other state.
fn refusal(state: &RecordState) -> Option<Refusal> {
    match state {
        RecordState::NotAccepted(SubmitError::Rejected(error)) => {
            Some(Refusal::of_code(error.code()))
        }
        RecordState::NotAccepted(SubmitError::Invalid(_)) => Some(Refusal::NotSent),
        _ => None,
    }
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
            results: record.state.shown_results(),
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

/// True when the same edit can be sent again as it is: it was not run. A refusal
/// can be, when its reading allows (see [`Refusal`]); an edit whose outcome is
/// unknown can be, by the user's choice, told what it may cost.
pub fn can_resend(state: &RecordState) -> bool {
    match refusal(state) {
        Some(refusal) => refusal.may_send_again(),
        None => state.status() == Status::OutcomeUnknown,
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

    /// Every state, with its badge, whether it ends the task and can be sent again,
    /// and the badge's words.
    fn table() -> Vec<(RecordState, &'static str, bool, bool, &'static str)> {
        let read = ReadError::Invalid(NotSent::TaskId);
        vec![
            (
                RecordState::Submitting,
                "queued",
                false,
                false,
                "Submitting",
            ),
            (RecordState::Queued, "queued", false, false, "Queued"),
            (
                RecordState::Generating,
                "generating",
                false,
                false,
                "Generating",
            ),
            (
                RecordState::Unlisted {
                    status: "upscaling".into(),
                },
                "generating",
                false,
                false,
                "upscaling",
            ),
            (
                RecordState::Done {
                    results: vec![],
                    skipped: 0,
                },
                "done",
                true,
                false,
                "Done",
            ),
            (
                RecordState::Failed { reason: "r".into() },
                "failed",
                true,
                false,
                "Failed",
            ),
            (
                RecordState::Ended {
                    status: "cancelled".into(),
                    reason: None,
                },
                "failed",
                true,
                false,
                "cancelled",
            ),
            (refused(401), "failed", true, true, "Rejected"),
            (refused(403), "failed", true, true, "Rejected"),
            (refused(429), "failed", true, true, "Rejected"),
            (refused(500), "failed", true, true, "Rejected"),
            (refused(400), "failed", true, false, "Rejected"),
            (
                RecordState::NotAccepted(SubmitError::Invalid(NotSent::TaskId)),
                "failed",
                true,
                false,
                "Rejected",
            ),
            (
                RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable)),
                "unknown",
                true,
                true,
                "Outcome unknown",
            ),
            (
                RecordState::Interrupted,
                "unknown",
                true,
                true,
                "Outcome unknown",
            ),
            (RecordState::GaveUp(read), "failed", true, false, "Stopped"),
            (RecordState::TimedOut, "failed", true, false, "Stopped"),
        ]
    }

    #[test]
    fn each_state_has_one_badge_phase_and_set_of_offers() {
        for (state, expected_badge, ended, resend, expected_label) in table() {
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
            assert_eq!(
                label(status, state.named_status(), Locale::en),
                expected_label,
                "{state:?}"
            );
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
            size: crate::history::RecordedSize::read("2K"),
            sequential: seedream_contract::SequentialMode::Disabled,
            max_images: 1,
            output_format: seedream_contract::OutputFormat::Jpeg,
            submitted_at_ms: 0.0,
            finished_at_ms: None,
            kept: Default::default(),
            pinned: false,
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

    /// The refusal read from an envelope's own code: HTTP 200 around code 400.
    fn refused_in_envelope(body: &[u8]) -> RecordState {
        let error = seedream_contract::parse_submit_answer(200, body).unwrap_err();
        RecordState::NotAccepted(SubmitError::Rejected(error))
    }

    #[test]
    fn a_refusal_inside_a_success_answer_advises_a_change_and_offers_no_resend() {
        let state = refused_in_envelope(
            br#"{"code": 400, "message": "Invalid parameter: prompt contains sensitive content"}"#,
        );
        assert_eq!(state.status(), Status::Refused);
        assert!(!can_resend(&state));
        let advice = td_string!(Locale::en, tasks.problem.advice_400).to_string();
        assert_eq!(
            problem(&state, Locale::en).unwrap(),
            // The kind's title over the service's detail, then what to do.
            format!("Invalid parameters: prompt contains sensitive content. {advice}")
        );
        // Its other codes likewise: the envelope's code first.
        let state = refused_in_envelope(br#"{"code": 402, "message": "Insufficient balance: 0"}"#);
        assert!(can_resend(&state));
        let advice = td_string!(Locale::en, tasks.problem.advice_402).to_string();
        assert!(problem(&state, Locale::en).unwrap().ends_with(&advice));
    }

    #[test]
    fn a_service_error_or_a_lost_answer_can_be_sent_again_without_advice() {
        let state = RecordState::NotAccepted(SubmitError::Rejected(ApiError::from_http(
            503,
            br#"{"code": 503, "message": "Service unavailable: busy"}"#,
        )));
        assert!(can_resend(&state));
        assert_eq!(problem(&state, Locale::en).unwrap(), state_account(&state));
        let lost = RecordState::NotAccepted(SubmitError::OutcomeUnknown(Unknown::Unreadable));
        assert!(can_resend(&lost));
    }

    #[test]
    fn an_ended_task_is_told_by_the_services_own_name() {
        let ended = RecordState::Ended {
            status: "cancelled".into(),
            reason: Some("Cancelled by the user".into()),
        };
        assert_eq!(
            problem(&ended, Locale::en).unwrap(),
            "The service ended this edit as “cancelled”, without results: Cancelled by the user"
        );
        assert!(ended.is_final());
        assert!(!can_resend(&ended));
    }

    fn state_account(state: &RecordState) -> String {
        account(state, Locale::en).unwrap()
    }
}
