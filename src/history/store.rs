//! The history in `window.localStorage`: one key, one JSON array, newest first.
//!
//! One key (not one per task) because startup must be fast with hundreds of tasks:
//! a single `getItem` and a single JSON parse. The key is versioned
//! ([`STORAGE_KEY`]) so a new format lives beside the old one instead of
//! misreading it: format 2 is read from its own key, or once from format 1's
//! ([`LEGACY_STORAGE_KEY`], see `v1`), which the first save removes.
//!
//! Storage is shared, limited and sometimes missing, so nothing here is fatal:
//! - missing storage (privacy modes, blocked by settings, `localStorage` throwing)
//!   reads as an empty history and saves report [`StorageProblem::Unavailable`];
//! - a full quota reports [`StorageProblem::QuotaExceeded`] and leaves the previous
//!   value in place;
//! - unreadable JSON, or records that do not parse, are left out and reported as
//!   [`StorageProblem::Corrupt`]; the good records are kept.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use wasm_bindgen::JsValue;

use super::list::{self, MAX_RECORDS};
use super::record::{TaskRecord, new_record_id, now_ms};
use super::v1::RecordV1;
use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// The localStorage key of the history (format version 2: a JSON array of
/// [`TaskRecord`], newest first).
pub const STORAGE_KEY: &str = "seedream-studio.history.v2";

/// The key of format 1, read when there is no format 2 history yet.
pub const LEGACY_STORAGE_KEY: &str = "seedream-studio.history.v1";

/// Why the history could not be read or written in full. Never fatal: the app
/// keeps working with what it has in memory and shows the notice ([`describe`]).
///
/// [`describe`]: StorageProblem::describe
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageProblem {
    /// There is no usable localStorage.
    Unavailable,
    /// The origin's storage quota is full; the history was not saved.
    QuotaExceeded,
    /// Stored data could not be read. `dropped` records were left out; 0 means the
    /// whole stored value was unreadable, so how many it held is unknown.
    Corrupt {
        /// How many stored records were left out.
        dropped: usize,
    },
}

impl StorageProblem {
    /// The notice for the user, in `locale`.
    pub fn describe(self, locale: Locale) -> String {
        match self {
            Self::Unavailable => td_string!(locale, tasks.storage.unavailable).to_string(),
            Self::QuotaExceeded => td_string!(locale, tasks.storage.quota_exceeded).to_string(),
            Self::Corrupt { dropped: 0 } => {
                td_string!(locale, tasks.storage.unreadable).to_string()
            }
            Self::Corrupt { dropped: 1 } => {
                td_string!(locale, tasks.storage.dropped_one).to_string()
            }
            Self::Corrupt { dropped } => {
                let count = count(locale, dropped as f64);
                td_string!(locale, tasks.storage.dropped, count).to_string()
            }
        }
    }
}

/// The English notice, for tests and developers; the interface uses `describe`.
impl fmt::Display for StorageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Locale::en))
    }
}

impl std::error::Error for StorageProblem {}

/// What [`HistoryStore::load`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// The readable records, newest first, vetted by [`TaskRecord::sanitize`].
    pub records: Vec<TaskRecord>,
    /// What went wrong, for a notice; the records are usable either way.
    pub warning: Option<StorageProblem>,
}

/// The history's place in localStorage.
///
/// Cheap to clone; it holds only the key, so it can go into a Leptos context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryStore {
    key: String,
    /// Where format 1 kept this history, to read once.
    legacy_key: Option<String>,
}

impl Default for HistoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl HistoryStore {
    /// The app's history, under [`STORAGE_KEY`] (or, until the first save, format
    /// 1's [`LEGACY_STORAGE_KEY`]).
    pub fn new() -> HistoryStore {
        Self::with_key(STORAGE_KEY).migrating_from(LEGACY_STORAGE_KEY)
    }

    /// A history under another key (tests, an embedded instance's own name).
    pub fn with_key(key: impl Into<String>) -> HistoryStore {
        HistoryStore {
            key: key.into(),
            legacy_key: None,
        }
    }

    /// Reads format 1's history under `legacy_key` while there is none under this
    /// store's key.
    pub fn migrating_from(self, legacy_key: impl Into<String>) -> HistoryStore {
        HistoryStore {
            legacy_key: Some(legacy_key.into()),
            ..self
        }
    }

    /// The localStorage key used.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Reads the history once: one `getItem`, one JSON parse.
    ///
    /// The records are vetted ([`TaskRecord::sanitize`]), given unique ids, sorted
    /// newest first, and submits that a reload interrupted are marked as of
    /// unknown outcome ([`list::recover_interrupted`]). Not capped: the cap applies
    /// when saving, so nothing is lost merely by opening the page.
    pub fn load(&self) -> Loaded {
        let mut loaded = self.read();
        list::recover_interrupted(&mut loaded.records, now_ms());
        loaded
    }

    /// Reads what is stored now, as [`HistoryStore::load`] does but leaving submits in
    /// flight as they are: when another tab saved them, that tab is still sending.
    pub fn read(&self) -> Loaded {
        let Some(storage) = crate::storage::local() else {
            return unavailable();
        };
        let (records, warning) = match storage.get_item(&self.key) {
            Ok(Some(raw)) => parse_history(&raw),
            Ok(None) => match self.legacy_key.as_deref().map(|key| storage.get_item(key)) {
                Some(Ok(Some(raw))) => parse_legacy_history(&raw),
                Some(Err(_)) => return unavailable(),
                None | Some(Ok(None)) => return Loaded::default(),
            },
            Err(_) => return unavailable(),
        };
        Loaded { records, warning }
    }

    /// Writes the history: at most [`MAX_RECORDS`] (see [`list::cap`] for which
    /// go), each vetted so no data URI or unsafe URL is ever stored.
    ///
    /// On [`StorageProblem::QuotaExceeded`] the previously saved value stays.
    pub fn save(&self, records: &[TaskRecord]) -> Result<(), StorageProblem> {
        let storage = crate::storage::local().ok_or(StorageProblem::Unavailable)?;
        // Serialising these plain types cannot fail; if it ever did, nothing was
        // written, which is what "unavailable" tells the user.
        let json = serialize_history(records).map_err(|_| StorageProblem::Unavailable)?;
        storage
            .set_item(&self.key, &json)
            .map_err(|error| classify_write_error(&error))?;
        // Format 1 is now read and written over; left, it would come back if format
        // 2's key were ever removed alone. A failure leaves a copy no one reads.
        if let Some(legacy) = &self.legacy_key {
            let _ = storage.remove_item(legacy);
        }
        Ok(())
    }

    /// Removes one record by local id from what is stored (for callers that do not
    /// hold the list; the UI uses [`list::remove`] and [`HistoryStore::save`]).
    pub fn remove(&self, id: &str) -> Result<(), StorageProblem> {
        let mut loaded = self.load();
        list::remove(&mut loaded.records, id);
        self.save(&loaded.records)
    }

    /// Deletes the whole stored history.
    pub fn clear(&self) -> Result<(), StorageProblem> {
        let storage = crate::storage::local().ok_or(StorageProblem::Unavailable)?;
        for key in std::iter::once(&self.key).chain(&self.legacy_key) {
            storage
                .remove_item(key)
                .map_err(|_| StorageProblem::Unavailable)?;
        }
        Ok(())
    }
}

/// Reads the stored JSON into vetted records, newest first, keeping every record
/// that parses. Pure (no storage access), so it can be tested and benchmarked alone.
///
/// The fast path parses the whole array straight into records; only when that
/// fails is it re-read as generic JSON values, one record at a time.
pub fn parse_history(raw: &str) -> (Vec<TaskRecord>, Option<StorageProblem>) {
    let (records, warning) = match serde_json::from_str::<Vec<TaskRecord>>(raw) {
        Ok(records) => (records, None),
        Err(_) => parse_leniently(raw, |one| serde_json::from_str(one).ok()),
    };
    (vetted(records), warning)
}

/// As [`parse_history`], for format 1 (see `v1`).
pub fn parse_legacy_history(raw: &str) -> (Vec<TaskRecord>, Option<StorageProblem>) {
    let (records, warning) = parse_leniently(raw, |one| {
        serde_json::from_str::<RecordV1>(one)
            .ok()
            .and_then(RecordV1::read)
    });
    (vetted(records), warning)
}

/// Records read back, vetted, with unique ids, newest first.
fn vetted(mut records: Vec<TaskRecord>) -> Vec<TaskRecord> {
    let mut seen = HashSet::with_capacity(records.len());
    for record in &mut records {
        record.sanitize();
        // Duplicate or empty ids (hand-edited storage, two tabs) would confuse keyed
        // lists and removal; a fresh id is harmless.
        if record.id.is_empty() || !seen.insert(record.id.clone()) {
            record.id = new_record_id(record.submitted_at_ms);
            seen.insert(record.id.clone());
        }
    }
    list::sort_newest_first(&mut records);
    records
}

/// The slow path of [`parse_history`]: each array element on its own, from its own
/// text (so `read` parses it as the fast path does, with the same code).
fn parse_leniently(
    raw: &str,
    read: impl Fn(&str) -> Option<TaskRecord>,
) -> (Vec<TaskRecord>, Option<StorageProblem>) {
    let Ok(values) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(raw) else {
        return (Vec::new(), Some(StorageProblem::Corrupt { dropped: 0 }));
    };
    let total = values.len();
    let records: Vec<TaskRecord> = values
        .into_iter()
        .filter_map(|one| read(one.get()))
        .collect();
    let dropped = total - records.len();
    let warning = (dropped > 0).then_some(StorageProblem::Corrupt { dropped });
    (records, warning)
}

/// The JSON that [`HistoryStore::save`] writes: capped, vetted, newest first as
/// given. Clean records are serialised in place, without copies.
pub fn serialize_history(records: &[TaskRecord]) -> Result<String, serde_json::Error> {
    let keep = list::keep_mask(records, MAX_RECORDS);
    let stored: Vec<Cow<'_, TaskRecord>> = records
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(record, _)| {
            if record.is_clean() {
                Cow::Borrowed(record)
            } else {
                let mut clean = record.clone();
                clean.sanitize();
                Cow::Owned(clean)
            }
        })
        .collect();
    serde_json::to_string(&stored)
}

fn unavailable() -> Loaded {
    Loaded {
        records: Vec::new(),
        warning: Some(StorageProblem::Unavailable),
    }
}

/// Tells a full quota from other write failures by the DOMException's name
/// (`QuotaExceededError`; Firefox once used `NS_ERROR_DOM_QUOTA_REACHED`) or its
/// legacy code (22, Firefox 1014). Read through `Reflect`, so any thrown value is
/// handled without assuming its type.
fn classify_write_error(error: &JsValue) -> StorageProblem {
    let name = js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string());
    let code = js_sys::Reflect::get(error, &JsValue::from_str("code"))
        .ok()
        .and_then(|code| code.as_f64())
        .map(|code| code as i64);
    let quota_name = matches!(
        name.as_deref(),
        Some("QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED")
    );
    if quota_name || matches!(code, Some(22 | 1014)) {
        StorageProblem::QuotaExceeded
    } else {
        StorageProblem::Unavailable
    }
}
