//! Merging this tab's history with what storage holds now, so several tabs share one
//! history and none overwrites another's tasks.
//!
//! A three-way merge per record, against the ids this tab last read from or wrote to
//! storage (its [`Synced`] base), so no deletion marks need storing:
//! - a record in both lists: the copy changed last wins (a finished state over the
//!   polling that led to it; a "Check now" over an older "gave up");
//! - only in storage: added by another tab, unless this tab had seen it there, in
//!   which case this tab removed it;
//! - only here: new in this tab, unless this tab had seen it in storage, in which
//!   case another tab removed it (or the storage cap let it go).
//!
//! Pure: no storage, no browser, tested natively.

use std::collections::{HashMap, HashSet};

use super::list;
use super::record::TaskRecord;

/// The record ids this tab last saw in storage: the base of the next merge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synced {
    ids: HashSet<String>,
}

impl Synced {
    /// The base after reading `records` from storage.
    pub fn of(records: &[TaskRecord]) -> Synced {
        Synced {
            ids: records.iter().map(|record| record.id.clone()).collect(),
        }
    }

    /// The base after writing `records`: the ones the save kept under its cap.
    pub fn written(records: &[TaskRecord]) -> Synced {
        let keep = list::keep_mask(records, list::MAX_RECORDS);
        Synced {
            ids: records
                .iter()
                .zip(keep)
                .filter(|(_, keep)| *keep)
                .map(|(record, _)| record.id.clone())
                .collect(),
        }
    }

    fn has(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
}

/// What a merge did to this tab's list, so the tab can follow up: stop polling what
/// went, poll what arrived unfinished.
#[derive(Debug, Default, PartialEq)]
pub struct Merged {
    /// The merged list, newest first.
    pub records: Vec<TaskRecord>,
    /// Ids this tab had that another tab removed.
    pub removed: Vec<String>,
    /// Ids another tab added.
    pub added: Vec<String>,
    /// The ids storage held: the next base, unless this merge is written.
    pub stored: Synced,
}

/// Merges `mine` (this tab's list) with `stored` (storage now), against `base`.
///
/// When storage could not be read in full (`complete` false), a record missing from
/// it proves nothing: this tab's records are all kept.
pub fn merge(
    mine: &[TaskRecord],
    stored: Vec<TaskRecord>,
    base: &Synced,
    complete: bool,
) -> Merged {
    let mine_by_id: HashMap<&str, &TaskRecord> = mine
        .iter()
        .map(|record| (record.id.as_str(), record))
        .collect();
    let stored_ids: HashSet<String> = stored.iter().map(|record| record.id.clone()).collect();
    let mut merged = Merged {
        stored: Synced {
            ids: stored_ids.clone(),
        },
        ..Merged::default()
    };
    for theirs in stored {
        match mine_by_id.get(theirs.id.as_str()) {
            Some(ours) if ours.changed_at_ms() >= theirs.changed_at_ms() => {
                merged.records.push((*ours).clone());
            }
            Some(_) => merged.records.push(theirs),
            // This tab removed it since it last looked.
            None if base.has(&theirs.id) => {}
            None => {
                merged.added.push(theirs.id.clone());
                merged.records.push(theirs);
            }
        }
    }
    for ours in mine.iter().filter(|r| !stored_ids.contains(&r.id)) {
        if complete && base.has(&ours.id) {
            merged.removed.push(ours.id.clone());
        } else {
            merged.records.push(ours.clone());
        }
    }
    list::sort_newest_first(&mut merged.records);
    merged
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::history::state::RecordState;

    fn record(id: &str, submitted: f64) -> TaskRecord {
        serde_json::from_value(serde_json::json!({
            "id": id, "task_id": format!("task-{id}"), "prompt": id, "inputs": [],
            "size": "2048x2048", "sequential": "disabled", "max_images": 1,
            "output_format": "jpeg", "submitted_at_ms": submitted, "finished_at_ms": null,
            "state": "queued",
        }))
        .unwrap()
    }

    fn ids(records: &[TaskRecord]) -> Vec<&str> {
        records.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn two_tabs_adding_keep_both_tasks() {
        let a = record("a", 1.0);
        let b = record("b", 2.0);
        // Tab A saves after tab B did; both started from an empty storage.
        let merged = merge(&[a], vec![b], &Synced::default(), true);
        assert_eq!(ids(&merged.records), ["b", "a"]);
        assert_eq!(merged.added, ["b"]);
        assert!(merged.removed.is_empty());
    }

    #[test]
    fn a_removal_in_either_tab_stays_removed() {
        let (a, b) = (record("a", 1.0), record("b", 2.0));
        let base = Synced::of(&[a.clone(), b.clone()]);
        // This tab removed `a`; storage still has it.
        let stored = vec![a.clone(), b.clone()];
        let merged = merge(std::slice::from_ref(&b), stored, &base, true);
        assert_eq!(ids(&merged.records), ["b"]);
        // Another tab removed `b`; this tab still has it.
        let merged = merge(&[a.clone(), b.clone()], vec![a.clone()], &base, true);
        assert_eq!(ids(&merged.records), ["a"]);
        assert_eq!(merged.removed, ["b"]);
        // Unless storage could not be read in full: then nothing counts as removed.
        let merged = merge(&[a.clone(), b.clone()], vec![a], &base, false);
        assert_eq!(ids(&merged.records), ["b", "a"]);
        assert!(merged.removed.is_empty());
    }

    #[test]
    fn a_record_saved_while_another_tab_wrote_is_not_taken_as_removed() {
        // Tab A adds `x`; before its save, tab B's write arrives and A takes it in:
        // the next base is what storage held, which never had `x`.
        let (x, y) = (record("x", 1.0), record("y", 2.0));
        let taken_in = merge(
            std::slice::from_ref(&x),
            vec![y.clone()],
            &Synced::default(),
            true,
        );
        assert_eq!(ids(&taken_in.records), ["y", "x"]);
        let saved = merge(&taken_in.records, vec![y], &taken_in.stored, true);
        assert_eq!(ids(&saved.records), ["y", "x"]);
        assert!(saved.removed.is_empty());
    }

    #[test]
    fn a_removal_while_another_tab_wrote_stays_removed() {
        // Tab A removes `x`; before its save, tab B's write (still holding `x`)
        // arrives: the next base holds `x`, so A's save drops it again.
        let (x, y) = (record("x", 1.0), record("y", 2.0));
        let both = vec![x.clone(), y.clone()];
        let taken_in = merge(
            std::slice::from_ref(&y),
            both.clone(),
            &Synced::of(&both),
            true,
        );
        let saved = merge(&taken_in.records, vec![x, y], &taken_in.stored, true);
        assert_eq!(ids(&saved.records), ["y"]);
    }

    #[test]
    fn the_copy_changed_last_wins() {
        let base_record = record("a", 1.0);
        let mut done = base_record.clone();
        done.set_state(
            RecordState::Done {
                results: vec![],
                skipped: 0,
            },
            50.0,
        );
        let mut polling = base_record.clone();
        polling.set_state(RecordState::Generating, 40.0);
        let base = Synced::of(std::slice::from_ref(&base_record));
        let merged = merge(
            std::slice::from_ref(&polling),
            vec![done.clone()],
            &base,
            true,
        );
        assert_eq!(merged.records, [done.clone()]);
        let merged = merge(std::slice::from_ref(&done), vec![polling], &base, true);
        assert_eq!(merged.records, [done]);
    }

    #[test]
    fn records_saved_before_change_times_compare_by_submit() {
        let mut old = record("a", 10.0);
        old.updated_at_ms = None;
        let mut newer = old.clone();
        newer.set_state(RecordState::Generating, 11.0);
        let merged = merge(&[old], vec![newer.clone()], &Synced::default(), true);
        assert_eq!(merged.records, [newer]);
    }
}
