//! When to tell the person an edit is done, and what the page's title says, as plain
//! data: tested natively, without a browser or a notification.

use std::collections::HashSet;

use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// Whether this page can offer notifications at all, known before asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    Offered,
    /// The browser has no `Notification`.
    NoApi,
    /// In a frame of another origin, where browsers refuse to ask.
    CrossOriginFrame,
    /// `new Notification()` throws (Chrome for Android wants a service worker).
    NoConstructor,
}

/// The person's answer, as `Notification.permission` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    NotAsked,
    Granted,
    Denied,
}

/// Everything the decision to notify depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    pub support: Support,
    pub permission: Permission,
    /// The person turned notifications on in this instance's settings.
    pub opted_in: bool,
    /// The tab is hidden (another tab, a minimised window, a locked phone).
    pub hidden: bool,
    /// Another tab of the studio already told of this end (same tag).
    pub already_told: bool,
}

/// True when an end should become a notification: offered, allowed, asked for, the
/// person is looking elsewhere, and no other tab told them already.
pub fn should_notify(moment: Moment) -> bool {
    moment.support == Support::Offered
        && moment.permission == Permission::Granted
        && moment.opted_in
        && moment.hidden
        && !moment.already_told
}

/// The tasks that ended since the last look: unfinished then (`before`), final now.
/// Returns them and the unfinished set to compare with next time. A task first seen
/// final (loaded, imported) did not end here.
pub fn newly_ended<'a>(
    before: &HashSet<String>,
    now: impl IntoIterator<Item = (&'a str, bool)>,
) -> (Vec<String>, HashSet<String>) {
    let mut ended = Vec::new();
    let mut unfinished = HashSet::new();
    for (id, is_final) in now {
        if !is_final {
            unfinished.insert(id.to_owned());
        } else if before.contains(id) {
            ended.push(id.to_owned());
        }
    }
    (ended, unfinished)
}

/// The most tags remembered as told: far more than ends in the minutes two tabs take
/// to notice the same one.
pub const TOLD_KEPT: usize = 50;

/// `told` with `tag` added (newest last), the oldest dropped past [`TOLD_KEPT`].
pub fn with_told(told: &[String], tag: &str) -> Vec<String> {
    let mut out: Vec<String> = told.iter().filter(|t| *t != tag).cloned().collect();
    out.push(tag.to_owned());
    let excess = out.len().saturating_sub(TOLD_KEPT);
    out.drain(..excess);
    out
}

/// The page's title: `base`, after the edits running and those finished while the
/// person looked elsewhere, when there are any.
pub fn title(locale: Locale, base: &str, running: usize, finished: usize) -> String {
    let mut parts = Vec::new();
    if running > 0 {
        let count = count(locale, running as f64);
        parts.push(td_string!(locale, notify.title.running, count).to_string());
    }
    if finished > 0 {
        let count = count(locale, finished as f64);
        parts.push(td_string!(locale, notify.title.finished, count).to_string());
    }
    if parts.is_empty() {
        return base.to_owned();
    }
    let counts = parts.join(" · ");
    td_string!(locale, notify.title.page, counts, title = base).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOLD_NOTHING: Moment = Moment {
        support: Support::Offered,
        permission: Permission::Granted,
        opted_in: true,
        hidden: true,
        already_told: false,
    };

    #[test]
    fn a_hidden_tab_with_permission_and_the_option_on_notifies() {
        assert!(should_notify(TOLD_NOTHING));
    }

    #[test]
    fn each_missing_condition_keeps_it_quiet() {
        let quiet = [
            Moment {
                hidden: false,
                ..TOLD_NOTHING
            },
            Moment {
                permission: Permission::NotAsked,
                ..TOLD_NOTHING
            },
            Moment {
                permission: Permission::Denied,
                ..TOLD_NOTHING
            },
            Moment {
                opted_in: false,
                ..TOLD_NOTHING
            },
            Moment {
                already_told: true,
                ..TOLD_NOTHING
            },
            Moment {
                support: Support::CrossOriginFrame,
                ..TOLD_NOTHING
            },
            Moment {
                support: Support::NoApi,
                ..TOLD_NOTHING
            },
            Moment {
                support: Support::NoConstructor,
                ..TOLD_NOTHING
            },
        ];
        for moment in quiet {
            assert!(!should_notify(moment), "{moment:?}");
        }
    }

    #[test]
    fn an_end_is_a_task_seen_unfinished_then_final() {
        let before: HashSet<String> = ["a", "b"].map(str::to_owned).into();
        let (ended, unfinished) = newly_ended(
            &before,
            [("a", true), ("b", false), ("c", true), ("d", false)],
        );
        assert_eq!(ended, ["a"], "c was final when first seen");
        assert_eq!(unfinished, ["b", "d"].map(str::to_owned).into());
        // Removed while running: no end to tell.
        let (ended, _) = newly_ended(&unfinished, [("b", false)]);
        assert!(ended.is_empty());
    }

    #[test]
    fn told_tags_are_kept_once_and_only_the_latest() {
        let told = with_told(&["a".to_owned(), "b".to_owned()], "a");
        assert_eq!(told, ["b", "a"]);
        let many: Vec<String> = (0..TOLD_KEPT).map(|i| i.to_string()).collect();
        let told = with_told(&many, "new");
        assert_eq!(told.len(), TOLD_KEPT);
        assert_eq!(told.first().map(String::as_str), Some("1"));
        assert_eq!(told.last().map(String::as_str), Some("new"));
    }

    #[test]
    fn the_title_counts_running_and_finished_edits_in_both_languages() {
        let base = "Seedream Studio";
        assert_eq!(title(Locale::en, base, 0, 0), base);
        assert_eq!(title(Locale::en, base, 2, 0), "2 running — Seedream Studio");
        assert_eq!(
            title(Locale::en, base, 1, 3),
            "1 running · 3 finished — Seedream Studio"
        );
        assert_eq!(
            title(Locale::en, base, 0, 1),
            "1 finished — Seedream Studio"
        );
        assert_eq!(
            title(Locale::zh_CN, base, 2, 1),
            "2 个进行中 · 1 个已完成 — Seedream Studio"
        );
    }
}
