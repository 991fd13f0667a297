//! The edits older than the history's working set: every finished record is written to
//! the archive as it ends or changes, so when localStorage's history drops its oldest
//! (it keeps [`MAX_RECORDS`](crate::history::MAX_RECORDS)), they live on there, and the
//! task list shows them from there as the person asks for older edits.

use leptos::prelude::*;

use super::Tasks;
use super::entries::{TaskEntriesStoreFields, TaskEntry};
use crate::archive::records::ArchivedRecord;
use crate::history::{TaskRecord, now_ms};

/// How many older edits one press of "Show older edits" brings from the archive.
pub const OLDER_PER_PAGE: usize = 10;

impl Tasks {
    /// Writes `records` (the finished ones) to the archive, so they outlive the
    /// history's cap.
    pub(super) fn archive_records(self, records: &[TaskRecord]) {
        let Some(archive) = self.archive() else {
            return;
        };
        let archived: Vec<ArchivedRecord> = records
            .iter()
            .filter(|record| record.state.is_final())
            .filter_map(|record| {
                Some(ArchivedRecord {
                    id: record.id.clone(),
                    submitted_at_ms: record.submitted_at_ms,
                    json: serde_json::to_string(record).ok()?,
                })
            })
            .collect();
        if archived.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            // A failure leaves the record in localStorage only, as before the archive.
            let _ = archive.put_records(&archived).await;
        });
    }

    /// When the oldest listed edit was submitted (now, for an empty list).
    pub(super) fn oldest_listed_ms(self) -> f64 {
        self.records_untracked()
            .iter()
            .map(|record| record.submitted_at_ms)
            .fold(now_ms(), f64::min)
    }

    /// Counts the archived edits older than the list, for "Show older edits".
    pub(super) fn count_older(self) {
        let Some(archive) = self.archive() else {
            return;
        };
        let before = self.oldest_listed_ms();
        leptos::task::spawn_local(async move {
            if let Ok(older) = archive.count_before(before).await {
                self.archive_status
                    .try_update(|status| status.older = older as usize);
            }
        });
    }

    /// Adds the next [`OLDER_PER_PAGE`] archived edits to the end of the list.
    pub fn show_older(self) {
        let Some(archive) = self.archive() else {
            return;
        };
        let before = self.oldest_listed_ms();
        leptos::task::spawn_local(async move {
            let Ok(found) = archive.records_before(before, OLDER_PER_PAGE).await else {
                return;
            };
            // Vetted as the history vets what it reads: storage is outside our control.
            let records: Vec<TaskRecord> = found
                .iter()
                .filter_map(|archived| serde_json::from_str::<TaskRecord>(&archived.json).ok())
                .map(|mut record| {
                    record.sanitize();
                    record
                })
                .collect();
            self.list.entries().try_update(|entries| {
                for record in records {
                    if !entries.iter().any(|entry| entry.record.id == record.id) {
                        entries.push(TaskEntry::of(record));
                    }
                }
            });
            self.count_older();
        });
    }
}
