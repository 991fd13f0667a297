//! What a card says about how long its results last: kept in this browser, or how
//! long their links work (with why they were not kept, when they could not be).

use seedream_contract::RESULT_TTL_SECS;

use crate::archive::NotKept;
use crate::history::{Kept, TaskRecord};
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// "Kept in this browser.", or "Results expire in 3 h 12 min", "Results expired ..."
/// after why they were not kept; `None` without results.
pub fn expiry_text(record: &TaskRecord, locale: Locale, now_ms: f64) -> Option<String> {
    let links = links_text(record, locale, now_ms)?;
    let kept = match &record.kept {
        Kept::Yes => return Some(td_string!(locale, results.kept.yes).to_string()),
        Kept::No => return Some(links),
        Kept::Removed => td_string!(locale, results.kept.removed).to_string(),
        Kept::Refused(reason) => {
            let reason = not_kept(locale, reason);
            td_string!(locale, results.kept.refused, reason).to_string()
        }
    };
    Some(td_string!(locale, results.kept.links, kept, expiry = links).to_string())
}

/// Why a task's images were not kept, in `locale`.
pub fn not_kept(locale: Locale, reason: &NotKept) -> String {
    match reason {
        NotKept::Unavailable => td_string!(locale, results.kept.reason.unavailable),
        NotKept::Unreachable => td_string!(locale, results.kept.reason.unreachable),
        NotKept::NotAnImage => td_string!(locale, results.kept.reason.not_an_image),
        NotKept::OverBudget(_) => td_string!(locale, results.kept.reason.over_budget),
        NotKept::QuotaExceeded => td_string!(locale, results.kept.reason.quota_exceeded),
        NotKept::Refused(_) => td_string!(locale, results.kept.reason.refused),
    }
    .to_string()
}

/// How long the links last.
fn links_text(record: &TaskRecord, locale: Locale, now_ms: f64) -> Option<String> {
    let left = record.time_left_ms(now_ms)?;
    if record.is_expired(now_ms) {
        let hours = count(locale, (RESULT_TTL_SECS / 3600) as f64);
        return Some(td_string!(locale, results.expiry.expired, hours).to_string());
    }
    let minutes = (left / 60_000.0).floor() as u64;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let (h, m) = (count(locale, hours as f64), count(locale, minutes as f64));
    Some(match (hours, minutes) {
        (0, 0) => td_string!(locale, results.expiry.under_a_minute).to_string(),
        (0, _) => td_string!(locale, results.expiry.minutes, minutes = m).to_string(),
        _ => td_string!(locale, results.expiry.hours_minutes, hours = h, minutes = m).to_string(),
    })
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use seedream_contract::{OutputFormat, SequentialMode, Size};

    use super::*;
    use crate::history::{RecordState, ResultRecord};

    const HOUR: f64 = 3_600_000.0;

    fn done_at(end: f64) -> TaskRecord {
        TaskRecord {
            id: "t".into(),
            task_id: Some("task-1".into()),
            prompt: "p".into(),
            inputs: vec![],
            size: Size::new(2048, 2048).into(),
            sequential: SequentialMode::Disabled,
            max_images: 1,
            output_format: OutputFormat::Jpeg,
            submitted_at_ms: 0.0,
            finished_at_ms: Some(end),
            kept: Default::default(),
            pinned: false,
            updated_at_ms: None,
            state: RecordState::Done {
                results: vec![ResultRecord {
                    url: "https://example.com/1.jpeg".into(),
                    width: None,
                    height: None,
                    format: None,
                }],
                skipped: 0,
            },
        }
    }

    #[test]
    fn says_how_long_results_last_then_that_they_expired() {
        let end = 2.0 * HOUR;
        let record = done_at(end);
        let text = |now: f64, locale| expiry_text(&record, locale, now);
        assert_eq!(
            text(end + HOUR + 90_000.0, Locale::en).as_deref(),
            Some("Results expire in 22 h 58 min.")
        );
        assert_eq!(
            text(end + 24.0 * HOUR - 120_000.0, Locale::en).as_deref(),
            Some("Results expire in 2 min.")
        );
        assert_eq!(
            text(end + 24.0 * HOUR - 1.0, Locale::en).as_deref(),
            Some("Results expire in less than a minute.")
        );
        let expired = td_string!(Locale::en, results.expiry.expired, hours = "24").to_string();
        assert_eq!(text(end + 24.0 * HOUR, Locale::en), Some(expired));
        let mut running = record.clone();
        running.state = RecordState::Generating;
        assert_eq!(expiry_text(&running, Locale::en, end), None);
    }
}
