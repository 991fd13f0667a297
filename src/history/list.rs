//! Pure operations on the history list the UI holds (`RwSignal<Vec<TaskRecord>>`).
//!
//! The UI owns the list and calls these inside `update`, then saves it merged with
//! what other tabs saved ([`merge`](super::merge)). The list is newest first.

use super::record::TaskRecord;
use super::state::RecordState;

/// The most records kept in localStorage: the working set read at every start-up,
/// enough for weeks of work while keeping the stored JSON around 100-300 KB (one
/// parse, far below the ~5 MB an origin gets). Older finished records are not lost:
/// the archive keeps every finished record too (`tasks::older`).
pub const MAX_RECORDS: usize = 200;

/// Replaces the record with the same id in place, or adds it as the newest.
pub fn upsert(records: &mut Vec<TaskRecord>, record: TaskRecord) {
    match records.iter_mut().find(|existing| existing.id == record.id) {
        Some(existing) => *existing = record,
        None => records.insert(0, record),
    }
}

/// Removes the record with this local id, returning it.
pub fn remove(records: &mut Vec<TaskRecord>, id: &str) -> Option<TaskRecord> {
    let at = records.iter().position(|record| record.id == id)?;
    Some(records.remove(at))
}

/// The record with this local id.
pub fn find<'a>(records: &'a [TaskRecord], id: &str) -> Option<&'a TaskRecord> {
    records.iter().find(|record| record.id == id)
}

/// The record with this local id, to change it.
pub fn find_mut<'a>(records: &'a mut [TaskRecord], id: &str) -> Option<&'a mut TaskRecord> {
    records.iter_mut().find(|record| record.id == id)
}

/// The records whose polling must resume after a reload.
pub fn unfinished(records: &[TaskRecord]) -> impl Iterator<Item = &TaskRecord> {
    records.iter().filter(|record| record.is_unfinished())
}

/// The local id and task id of each of `records` to poll: the unfinished ones.
pub fn to_follow<'a>(records: impl IntoIterator<Item = &'a TaskRecord>) -> Vec<(String, String)> {
    records
        .into_iter()
        .filter(|record| record.is_unfinished())
        .filter_map(|record| Some((record.id.clone(), record.task_id.clone()?)))
        .collect()
}

/// Which records to keep so at most `max` remain, as a mask in list order.
///
/// The oldest finished records go first; unfinished ones (still being generated,
/// and paid for) only go when there are more than `max` of them.
pub(crate) fn keep_mask(records: &[TaskRecord], max: usize) -> Vec<bool> {
    let mut keep = vec![true; records.len()];
    let mut excess = records.len().saturating_sub(max);
    for pass_drops_unfinished in [false, true] {
        for (record, keep) in records.iter().zip(keep.iter_mut()).rev() {
            if excess == 0 {
                break;
            }
            if *keep && (pass_drops_unfinished || !record.is_unfinished()) {
                *keep = false;
                excess -= 1;
            }
        }
    }
    keep
}

/// Trims the list to at most `max` records, returning the dropped ones so their
/// cached inputs can be forgotten too. The oldest finished records go first;
/// unfinished ones (still being generated, and paid for) only go when there are
/// more than `max` of them.
pub fn cap(records: &mut Vec<TaskRecord>, max: usize) -> Vec<TaskRecord> {
    if records.len() <= max {
        return Vec::new();
    }
    let mask = keep_mask(records, max);
    let mut dropped = Vec::new();
    let mut kept = Vec::with_capacity(max);
    for (record, keep) in records.drain(..).zip(mask) {
        if keep {
            kept.push(record);
        } else {
            dropped.push(record);
        }
    }
    *records = kept;
    dropped
}

/// Orders the list newest first (stable, so equal times keep their order).
pub fn sort_newest_first(records: &mut [TaskRecord]) {
    records.sort_by(|a, b| b.submitted_at_ms.total_cmp(&a.submitted_at_ms));
}

/// Marks submits that were in flight when the page went away: without a task id
/// they can never be polled, and a paid submit is never repeated on the user's
/// behalf. Returns how many were marked.
///
/// Run once at startup, on what [`HistoryStore::load`](super::HistoryStore::load)
/// returned (`load` does it). A submit still in flight in *another* open tab is
/// marked too, but keeps its change time, so that tab's copy is not overridden: when
/// its answer comes, the newer copy wins in every tab ([`merge`](super::merge)).
pub fn recover_interrupted(records: &mut [TaskRecord], now_ms: f64) -> usize {
    let mut marked = 0;
    for record in records {
        if record.task_id.is_none() && matches!(record.state, RecordState::Submitting) {
            let changed_at = record.updated_at_ms;
            record.set_state(RecordState::Interrupted, now_ms);
            record.updated_at_ms = changed_at;
            marked += 1;
        }
    }
    marked
}
