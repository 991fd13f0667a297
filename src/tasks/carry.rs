//! Taking edits away and bringing them back: the history exported as one zip (all of
//! it, or one task's "Download all"), and such a zip imported (see `crate::portable`).

use leptos::prelude::*;
use seedream_contract::text::truncate_chars;

use super::Tasks;
use super::entries::{TaskEntriesStoreFields, TaskEntry};
use super::share::save_object_url;
use crate::archive::records::ArchivedRecord;
use crate::history::{TaskRecord, now_ms};
use crate::i18n::{Locale, td_string};
use crate::locale::format::{bytes, count};
use crate::portable::export::{self, ExportError};
use crate::portable::import::{self, Imported, Refused};
use crate::portable::manifest::ManifestError;
use crate::portable::plan::{Skip, Skipped};
use crate::portable::zip::read::Refusal;

/// Where an export or import is, for the line under the list's heading.
#[derive(Clone, Debug, PartialEq)]
pub enum Carry {
    Exporting,
    Exported {
        tasks: usize,
        left_out: usize,
    },
    NotExported(ExportError),
    Reading,
    Importing {
        done: usize,
        total: usize,
    },
    Imported(Imported),
    Refused(Refused),
    /// The browser gives this page no storage: nothing to export or import into.
    NoStorage,
}

impl Tasks {
    /// Exports every finished edit, or only `ids`, as one zip the browser downloads.
    pub fn export(self, ids: Option<Vec<String>>) {
        // From here to `export-ready` (the file's object URL): what an export costs (the
        // bench's export row).
        crate::mark("export-pressed");
        self.carry.set(Some(Carry::Exporting));
        leptos::task::spawn_local(async move {
            let outcome = self.exported(ids).await;
            self.carry.try_set(Some(outcome));
        });
    }

    async fn exported(self, ids: Option<Vec<String>>) -> Carry {
        let Some(archive) = self.opened_archive().await else {
            return Carry::NoStorage;
        };
        let mut records = self.records_untracked();
        let older = self.archive_status.with_untracked(|status| status.older);
        if ids.is_none() && older > 0 {
            // Everything: the older edits that live on in the archive too (those listed
            // are read from the list, not the database; none are asked for when the
            // archive holds none older, as it counted).
            let older = archive
                .records_before(self.oldest_listed_ms(), usize::MAX)
                .await
                .unwrap_or_default();
            records.extend(older.iter().filter_map(read_archived));
            let mut seen = std::collections::HashSet::new();
            records.retain(|record| seen.insert(record.id.clone()));
        }
        if let Some(ids) = &ids {
            records.retain(|record| ids.contains(&record.id));
        }
        // A whole history's export carries the saved instructions; a few edits' do not.
        let instructions = match (&ids, self.instructions.get_value()) {
            (None, Some(book)) => book.saved.get_untracked(),
            _ => Vec::new(),
        };
        let now = now_ms();
        let done = match export::export(&archive, &records, instructions, now).await {
            Ok(done) => done,
            Err(error) => return Carry::NotExported(error),
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&done.file) else {
            return Carry::NotExported(ExportError::Browser);
        };
        crate::mark("export-ready");
        match save_object_url(url, &export::file_name(now)) {
            Ok(()) => Carry::Exported {
                tasks: done.tasks,
                left_out: done.left_out,
            },
            Err(_) => Carry::NotExported(ExportError::Browser),
        }
    }

    /// Imports the edits of `file` (a zip exported by a studio) into this history.
    pub fn import(self, file: web_sys::File) {
        // From here to `import-done`: what an import costs (the bench's import row).
        crate::mark("import-chosen");
        self.carry.set(Some(Carry::Reading));
        leptos::task::spawn_local(async move {
            let outcome = self.imported(file).await;
            self.carry.try_set(Some(outcome));
        });
    }

    async fn imported(self, file: web_sys::File) -> Carry {
        let Some(archive) = self.opened_archive().await else {
            return Carry::NoStorage;
        };
        // Listed here, or kept here though no longer listed (older edits).
        let mut present: std::collections::HashSet<String> = self
            .records_untracked()
            .into_iter()
            .map(|record| record.id)
            .collect();
        if let Ok(holdings) = archive.holdings().await {
            present.extend(holdings.tasks.into_iter().map(|task| task.id));
        }
        let opened = match import::open(&file, &|id| present.contains(id)).await {
            Ok(opened) => opened,
            Err(refused) => return Carry::Refused(refused),
        };
        let free = self
            .archive_status
            .with_untracked(|status| status.budget().saturating_sub(status.held_bytes));
        let progress = move |done, total| {
            self.carry.try_set(Some(Carry::Importing { done, total }));
        };
        match import::store(&file, opened, &archive, free, now_ms(), &progress).await {
            Ok(mut imported) => {
                self.add_imported(&imported.records);
                if let Some(book) = self.instructions.get_value() {
                    // Refused storage still offers them until the page closes.
                    imported.instructions_added =
                        book.add_all(&imported.instructions).unwrap_or_default();
                }
                crate::mark("import-done");
                Carry::Imported(imported)
            }
            Err(refused) => Carry::Refused(refused),
        }
    }

    /// Puts imported records into the list (newest first) and saves it.
    fn add_imported(self, records: &[TaskRecord]) {
        if records.is_empty() {
            return;
        }
        self.list.entries().update(|entries| {
            for record in records {
                if !entries.iter().any(|entry| entry.record.id == record.id) {
                    entries.push(TaskEntry::of(record.clone()));
                }
            }
            entries.sort_by(|a, b| {
                b.record
                    .submitted_at_ms
                    .total_cmp(&a.record.submitted_at_ms)
            });
        });
        self.archive_records(records);
        self.save();
        self.refresh_archive_status();
        self.count_older();
    }
}

fn read_archived(archived: &ArchivedRecord) -> Option<TaskRecord> {
    let mut record: TaskRecord = serde_json::from_str(&archived.json).ok()?;
    record.sanitize();
    Some(record)
}

impl Carry {
    /// Whether an export or import is under way (its buttons wait meanwhile).
    pub fn busy(&self) -> bool {
        matches!(
            self,
            Carry::Exporting | Carry::Reading | Carry::Importing { .. }
        )
    }

    /// The lines that say where it is, in `locale`.
    pub fn describe(&self, locale: Locale) -> Vec<String> {
        let n = |value: usize| count(locale, value as f64);
        match self {
            Carry::Exporting => vec![td_string!(locale, tasks.carry.exporting).to_string()],
            Carry::Exported { tasks, left_out } => {
                let mut lines = vec![match tasks {
                    1 => td_string!(locale, tasks.carry.exported_one).to_string(),
                    _ => td_string!(locale, tasks.carry.exported, count = n(*tasks)).to_string(),
                }];
                if *left_out > 0 {
                    let count = n(*left_out);
                    lines.push(td_string!(locale, tasks.carry.left_out, count).to_string());
                }
                lines
            }
            Carry::NotExported(error) => vec![not_exported(locale, error)],
            Carry::Reading => vec![td_string!(locale, tasks.carry.reading).to_string()],
            Carry::Importing { done, total } => {
                let (done, total) = (n(*done), n(*total));
                vec![td_string!(locale, tasks.carry.importing, done, total).to_string()]
            }
            Carry::Imported(imported) => imported_lines(locale, imported),
            Carry::Refused(refused) => vec![refused_line(locale, refused)],
            Carry::NoStorage => vec![td_string!(locale, tasks.carry.no_storage).to_string()],
        }
    }
}

fn not_exported(locale: Locale, error: &ExportError) -> String {
    match error {
        ExportError::NothingKept => td_string!(locale, tasks.carry.nothing_kept).to_string(),
        ExportError::TooLarge(_) => td_string!(locale, tasks.carry.too_large).to_string(),
        ExportError::Archive(_) | ExportError::Browser => {
            td_string!(locale, tasks.carry.export_failed).to_string()
        }
    }
}

fn imported_lines(locale: Locale, imported: &Imported) -> Vec<String> {
    let n = |value: usize| count(locale, value as f64);
    let mut lines = vec![match imported.records.len() {
        1 => td_string!(locale, tasks.carry.imported_one).to_string(),
        all => td_string!(locale, tasks.carry.imported, count = n(all)).to_string(),
    }];
    if imported.present > 0 {
        let count = n(imported.present);
        lines.push(td_string!(locale, tasks.carry.present, count).to_string());
    }
    match imported.instructions_added {
        0 => {}
        1 => lines.push(td_string!(locale, tasks.carry.instructions_one).to_string()),
        added => {
            let count = n(added);
            lines.push(td_string!(locale, tasks.carry.instructions, count).to_string());
        }
    }
    for Skipped { prompt, why } in &imported.skipped {
        let prompt = truncate_chars(prompt, 60);
        let why = skip_reason(locale, why);
        lines.push(td_string!(locale, tasks.carry.skipped, prompt, why).to_string());
    }
    lines
}

fn skip_reason(locale: Locale, why: &Skip) -> String {
    match why {
        Skip::Missing(name) => td_string!(locale, tasks.carry.why.missing, name).to_string(),
        Skip::Method(name) => td_string!(locale, tasks.carry.why.method, name).to_string(),
        Skip::Mismatch(name) => td_string!(locale, tasks.carry.why.mismatch, name).to_string(),
        Skip::TooLarge(name) => td_string!(locale, tasks.carry.why.too_large, name).to_string(),
        Skip::NotAnImage(name) => {
            td_string!(locale, tasks.carry.why.not_an_image, name).to_string()
        }
        Skip::BadName(name, _) => td_string!(locale, tasks.carry.why.bad_name, name).to_string(),
        Skip::Malformed => td_string!(locale, tasks.carry.why.malformed).to_string(),
        Skip::NotStored(_) => td_string!(locale, tasks.carry.why.not_stored).to_string(),
    }
}

fn refused_line(locale: Locale, refused: &Refused) -> String {
    match refused {
        Refused::Zip(Refusal::NotAZip) => {
            td_string!(locale, tasks.carry.refused.not_a_zip).to_string()
        }
        Refused::Zip(Refusal::Encrypted) => {
            td_string!(locale, tasks.carry.refused.encrypted).to_string()
        }
        Refused::Zip(Refusal::Zip64 | Refusal::MultiDisk) => {
            td_string!(locale, tasks.carry.refused.zip64).to_string()
        }
        Refused::Zip(Refusal::Damaged(_)) | Refused::DirectoryTooLarge => {
            td_string!(locale, tasks.carry.refused.damaged).to_string()
        }
        Refused::NoManifest => td_string!(locale, tasks.carry.refused.no_manifest).to_string(),
        Refused::ManifestTooLarge => {
            td_string!(locale, tasks.carry.refused.manifest_too_large).to_string()
        }
        Refused::Manifest(ManifestError::Unreadable) => {
            td_string!(locale, tasks.carry.refused.manifest_unreadable).to_string()
        }
        Refused::Manifest(ManifestError::UnknownVersion(version)) => {
            let version = version.to_string();
            td_string!(locale, tasks.carry.refused.unknown_version, version).to_string()
        }
        Refused::OverBudget { needed, free } => {
            let (needed, free) = (bytes(locale, *needed), bytes(locale, *free));
            td_string!(locale, tasks.carry.refused.over_budget, needed, free).to_string()
        }
        Refused::Unreadable => td_string!(locale, tasks.carry.refused.unreadable).to_string(),
    }
}
