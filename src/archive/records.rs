//! Finished edits' records, beyond the history's working set.
//!
//! The history in localStorage holds the most recent edits (one key, read in one
//! parse at start-up, so a long history never slows the first render). Every finished
//! edit's record is also written here as it ends or changes, so the oldest can leave
//! localStorage without being lost: the task list shows them from here as the person
//! scrolls past the recent ones. The archive stores the record as JSON text, and knows
//! nothing of its fields but its id and time.

use idb::{CursorDirection, KeyRange, Query, TransactionMode};
use js_sys::Object;
use wasm_bindgen::JsValue;

use super::db::{Archive, ArchiveError, committed};
use super::schema::{BY_TIME, RECORDS};
use super::values::{field, set};

/// One record as the archive keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchivedRecord {
    pub id: String,
    /// When the edit was submitted: the order records are shown in.
    pub submitted_at_ms: f64,
    /// The record, as the history writes it.
    pub json: String,
}

impl Archive {
    /// Writes `records` (replacing earlier copies), all in one transaction.
    pub async fn put_records(&self, records: &[ArchivedRecord]) -> Result<(), ArchiveError> {
        if records.is_empty() {
            return Ok(());
        }
        let transaction = self
            .database
            .transaction(&[RECORDS], TransactionMode::ReadWrite)?;
        let store = transaction.object_store(RECORDS)?;
        for record in records {
            let value = Object::new();
            set(&value, "id", &JsValue::from_str(&record.id))?;
            set(
                &value,
                "submitted_at",
                &JsValue::from_f64(record.submitted_at_ms),
            )?;
            set(&value, "json", &JsValue::from_str(&record.json))?;
            let _ = store.put(&value, None)?;
        }
        committed(transaction.commit()?.await?)
    }

    /// The newest `limit` records submitted before `before_ms`, newest first.
    pub async fn records_before(
        &self,
        before_ms: f64,
        limit: usize,
    ) -> Result<Vec<ArchivedRecord>, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[RECORDS], TransactionMode::ReadOnly)?;
        let index = transaction.object_store(RECORDS)?.index(BY_TIME)?;
        let older = KeyRange::upper_bound(&JsValue::from_f64(before_ms), Some(true))?;
        let mut found = Vec::new();
        let opened = index
            .open_cursor(Some(Query::KeyRange(older)), Some(CursorDirection::Prev))?
            .await?;
        let Some(cursor) = opened else {
            return Ok(found);
        };
        let mut cursor = cursor.into_managed();
        while found.len() < limit {
            let Some(value) = cursor.value()? else {
                break;
            };
            if let Some(record) = archived(&value) {
                found.push(record);
            }
            cursor.next(None).await?;
        }
        Ok(found)
    }

    /// How many records were submitted before `before_ms`.
    pub async fn count_before(&self, before_ms: f64) -> Result<u32, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[RECORDS], TransactionMode::ReadOnly)?;
        let index = transaction.object_store(RECORDS)?.index(BY_TIME)?;
        let older = KeyRange::upper_bound(&JsValue::from_f64(before_ms), Some(true))?;
        Ok(index.count(Some(Query::KeyRange(older)))?.await?)
    }
}

fn archived(value: &JsValue) -> Option<ArchivedRecord> {
    Some(ArchivedRecord {
        id: field(value, "id")?.as_string()?,
        submitted_at_ms: field(value, "submitted_at")?.as_f64()?,
        json: field(value, "json")?.as_string()?,
    })
}
