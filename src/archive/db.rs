//! The archive's IndexedDB database: one per studio instance, three stores.
//!
//! - `blobs`: each image's `Blob`, under its [`ImageKey`] text: the bytes, nothing else,
//!   so listing what is kept never loads an image;
//! - `images`: each image's record, keyed by `key`: `bytes` and `crc32` (computed once,
//!   as it was kept), `type` (its content type) and `users` (the local ids of the tasks
//!   that use it: a shared input is freed with its last user);
//! - `tasks`: each kept task, keyed by `id`: `images` (its keys), `pinned` (0 or 1:
//!   booleans are not valid keys) and `kept_at` (ms since the epoch), indexed together
//!   as `by_pin_and_age` so the budget finds the oldest unpinned tasks;
//! - `records`: each finished edit's history record as JSON text, keyed by `id`,
//!   indexed by `submitted_at` (`by_time`): the history in localStorage keeps the
//!   recent ones, and the older ones live on here (see `records`).
//!
//! Transactions commit when the browser's event loop gets control, so inside one only
//! IndexedDB requests are awaited: everything fetched or read is ready before it opens,
//! and a failure part way aborts it whole.

use std::future::IntoFuture;
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Error, Factory, Query, TransactionMode, TransactionResult};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use super::budget::Holdings;
use super::checksum::Checksum;
use super::keys::ImageKey;
use super::schema::{BLOBS, IMAGES, RECORDS, TASKS, VERSION, upgrade};
pub use super::values::ImageToKeep;
use super::values::{
    held_task, image_record, number, set_texts, task_record, text, texts, users_of, with_user,
};

/// Why the archive could not do something. Never fatal: the history is kept apart
/// (in localStorage), so the studio works on without the images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveError {
    /// This browser gives the page no IndexedDB (some private windows, blocked
    /// storage, an embedding that forbids it).
    Unavailable,
    /// The origin's storage is full: the write was refused and left nothing behind.
    QuotaExceeded,
    /// Any other refusal, as the browser named it (`DataCloneError`, `AbortError`, ...).
    Failed(String),
}

impl From<Error> for ArchiveError {
    fn from(error: Error) -> ArchiveError {
        let name = exception_name(&error);
        match name.as_deref() {
            Some("QuotaExceededError") => ArchiveError::QuotaExceeded,
            Some(name) => ArchiveError::Failed(name.to_owned()),
            // Not a browser exception (a closed connection, a broken upgrade).
            None => ArchiveError::Failed(String::from("IndexedDB")),
        }
    }
}

/// The `DOMException` name an idb error carries, when it carries one.
fn exception_name(error: &Error) -> Option<String> {
    let value: &JsValue = match error {
        Error::DomException(exception) => exception.as_ref(),
        Error::AddFailed(value)
        | Error::UpdateFailed(value)
        | Error::DeleteFailed(value)
        | Error::GetFailed(value)
        | Error::GetAllFailed(value)
        | Error::TransactionOpenFailed(value)
        | Error::TransactionCommitError(value)
        | Error::TransactionAbortError(value)
        | Error::IndexedDbOpenFailed(value) => value,
        _ => return None,
    };
    Reflect::get(value, &JsValue::from_str("name"))
        .ok()?
        .as_string()
}

/// An open archive. Cheap to clone (a shared handle to the browser's connection).
#[derive(Clone, Debug)]
pub struct Archive {
    pub(super) database: Rc<Database>,
    name: String,
}

impl Archive {
    /// The database name of the instance whose history is kept under `history_key`:
    /// each embedded instance has its own, as it has its own storage keys.
    pub fn name_for(history_key: &str) -> String {
        format!("{history_key}.images")
    }

    /// Opens (creating or upgrading) the database `name`.
    pub async fn open(name: &str) -> Result<Archive, ArchiveError> {
        let factory = Factory::new().map_err(|_| ArchiveError::Unavailable)?;
        let mut request = factory
            .open(name, Some(VERSION))
            .map_err(|_| ArchiveError::Unavailable)?;
        request.on_upgrade_needed(|event| {
            // A failed upgrade aborts the open, which then reports the error.
            if let Ok(database) = event.database() {
                let _ = upgrade(&database);
            }
        });
        let database = request.await?;
        Ok(Archive {
            database: Rc::new(database),
            name: name.to_owned(),
        })
    }

    /// Deletes the database `name` (tests; clearing the whole history).
    pub async fn delete(name: &str) -> Result<(), ArchiveError> {
        let factory = Factory::new().map_err(|_| ArchiveError::Unavailable)?;
        factory.delete(name)?.await?;
        Ok(())
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Closes the connection, so the database can be deleted or upgraded.
    pub fn close(&self) {
        self.database.close();
    }

    /// Keeps task `id`'s images in one transaction: each new image's blob and record,
    /// and the task, as used by `id` (added to what it already holds). An image
    /// already kept (the same input sent again) is only counted as used by `id` too.
    /// All or nothing.
    pub async fn put_task(
        &self,
        id: &str,
        kept_at_ms: f64,
        images: &[ImageToKeep],
    ) -> Result<(), ArchiveError> {
        let transaction = self
            .database
            .transaction(&[BLOBS, IMAGES, TASKS], TransactionMode::ReadWrite)?;
        let written = async {
            let blobs = transaction.object_store(BLOBS)?;
            let records = transaction.object_store(IMAGES)?;
            let tasks = transaction.object_store(TASKS)?;
            // Asked first, read last: the writes queue behind it meanwhile. Listened to
            // at once (`into_future`), or its answer could come before anyone listens.
            let existing = tasks.get(JsValue::from_str(id))?.into_future();
            // Writes are not awaited one by one: any that fails aborts the transaction,
            // which the commit below reports.
            for image in images {
                let key = JsValue::from_str(&image.key.to_string());
                let users = match &image.key {
                    // A result belongs to its task alone: written without reading.
                    ImageKey::Result { .. } => {
                        let _ = blobs.put(&image.blob, Some(&key))?;
                        Vec::new()
                    }
                    // An input may be kept already, for another task.
                    ImageKey::Input { .. } => match records.get(key.clone())?.await? {
                        Some(existing) => users_of(&existing),
                        None => {
                            let _ = blobs.put(&image.blob, Some(&key))?;
                            Vec::new()
                        }
                    },
                };
                let _ = records.put(&image_record(image, with_user(users, id))?, None)?;
            }
            // A task kept in steps (its inputs when sent, its results when done) keeps
            // its pin and its first time.
            let existing = existing.await?;
            let held = existing.as_ref().and_then(held_task);
            let mut keys = held
                .as_ref()
                .map(|task| task.images.clone())
                .unwrap_or_default();
            for image in images {
                let key = image.key.to_string();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            let pinned = held.as_ref().is_some_and(|task| task.pinned);
            let kept_at_ms = held.map_or(kept_at_ms, |task| task.kept_at_ms);
            let _ = tasks.put(&task_record(id, pinned, kept_at_ms, &keys)?, None)?;
            Ok::<(), Error>(())
        }
        .await;
        match written {
            Ok(()) => committed(transaction.commit()?.await?),
            Err(error) => {
                // Nothing of a refused write stays (an abort of an already aborted
                // transaction is refused, harmlessly).
                let _ = transaction.abort();
                Err(error.into())
            }
        }
    }

    /// The stored bytes of `key`, if kept.
    pub async fn blob(&self, key: &ImageKey) -> Result<Option<Blob>, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[BLOBS], TransactionMode::ReadOnly)?;
        let value = transaction
            .object_store(BLOBS)?
            .get(JsValue::from_str(&key.to_string()))?
            .await?;
        Ok(value.and_then(|value| value.dyn_into::<Blob>().ok()))
    }

    /// The stored size and CRC-32 of `key`, if kept.
    pub async fn checksum(&self, key: &ImageKey) -> Result<Option<Checksum>, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[IMAGES], TransactionMode::ReadOnly)?;
        let value = transaction
            .object_store(IMAGES)?
            .get(JsValue::from_str(&key.to_string()))?
            .await?;
        Ok(value.and_then(|value| {
            Some(Checksum {
                bytes: number(&value, "bytes")? as u64,
                crc32: number(&value, "crc32")? as u32,
            })
        }))
    }

    /// Whether image `key` is kept.
    pub async fn holds(&self, key: &ImageKey) -> Result<bool, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[IMAGES], TransactionMode::ReadOnly)?;
        let count = transaction
            .object_store(IMAGES)?
            .count(Some(Query::Key(JsValue::from_str(&key.to_string()))))?
            .await?;
        Ok(count > 0)
    }

    /// Whether task `id`'s images are kept.
    pub async fn holds_task(&self, id: &str) -> Result<bool, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[TASKS], TransactionMode::ReadOnly)?;
        let count = transaction
            .object_store(TASKS)?
            .count(Some(Query::Key(JsValue::from_str(id))))?
            .await?;
        Ok(count > 0)
    }

    /// Everything the budget needs: each task, and each image's size.
    pub async fn holdings(&self) -> Result<Holdings, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[IMAGES, TASKS], TransactionMode::ReadOnly)?;
        let tasks = transaction
            .object_store(TASKS)?
            .get_all(None, None)?
            .await?;
        let images = transaction
            .object_store(IMAGES)?
            .get_all(None, None)?
            .await?;
        Ok(Holdings {
            tasks: tasks.iter().filter_map(held_task).collect(),
            sizes: images
                .iter()
                .filter_map(|image| Some((text(image, "key")?, number(image, "bytes")? as u64)))
                .collect(),
        })
    }

    /// Pins or unpins task `id` (nothing happens to a task not kept).
    pub async fn set_pinned(&self, id: &str, pinned: bool) -> Result<(), ArchiveError> {
        let transaction = self
            .database
            .transaction(&[TASKS], TransactionMode::ReadWrite)?;
        let tasks = transaction.object_store(TASKS)?;
        if let Some(task) = tasks.get(JsValue::from_str(id))?.await? {
            let pinned = JsValue::from_f64(if pinned { 1.0 } else { 0.0 });
            Reflect::set(&task, &JsValue::from_str("pinned"), &pinned)
                .map_err(|_| ArchiveError::Failed("pin".to_owned()))?;
            tasks.put(&task, None)?.await?;
        }
        committed(transaction.commit()?.await?)
    }

    /// Removes tasks `ids` in one transaction: their records, and every image of
    /// theirs no other task uses.
    pub async fn remove_tasks(&self, ids: &[String]) -> Result<(), ArchiveError> {
        let transaction = self
            .database
            .transaction(&[BLOBS, IMAGES, TASKS, RECORDS], TransactionMode::ReadWrite)?;
        let removed = async {
            let blobs = transaction.object_store(BLOBS)?;
            let records = transaction.object_store(IMAGES)?;
            let tasks = transaction.object_store(TASKS)?;
            let history = transaction.object_store(RECORDS)?;
            for id in ids {
                history.delete(Query::Key(JsValue::from_str(id)))?.await?;
                let Some(task) = tasks.get(JsValue::from_str(id))?.await? else {
                    continue;
                };
                tasks.delete(Query::Key(JsValue::from_str(id)))?.await?;
                for key in texts(&task, "images") {
                    let key = JsValue::from_str(&key);
                    let Some(record) = records.get(key.clone())?.await? else {
                        continue;
                    };
                    let users: Vec<String> = users_of(&record)
                        .into_iter()
                        .filter(|user| user != id)
                        .collect();
                    if users.is_empty() {
                        records.delete(Query::Key(key.clone()))?.await?;
                        blobs.delete(Query::Key(key))?.await?;
                    } else {
                        set_texts(&record, "users", &users)?;
                        records.put(&record, None)?.await?;
                    }
                }
            }
            Ok::<(), Error>(())
        }
        .await;
        match removed {
            Ok(()) => committed(transaction.commit()?.await?),
            Err(error) => {
                let _ = transaction.abort();
                Err(error.into())
            }
        }
    }
}

/// A transaction that ended: committed, or aborted (by the browser, as a full disk
/// does, without an error event) and so written nothing.
pub(super) fn committed(result: TransactionResult) -> Result<(), ArchiveError> {
    match result {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(ArchiveError::Failed(String::from("AbortError"))),
    }
}
