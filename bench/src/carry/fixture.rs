//! The file both sides import: a studio export of [`TASKS`] edits of one result each,
//! about 5 MB of incompressible bytes behind a JPEG's first bytes (the import checks
//! an image by its first bytes, its size and its CRC-32, never decodes it), laid out as
//! the app's export lays it out (`manifest.json` first, then each result, all stored)
//! and with the app's manifest (format 1, `docs/export.md`).
//!
//! It is written with the `zip` crate rather than the app's own writer: depending on
//! `seedream-studio` would build the whole app natively (leptos, its i18n build
//! stack) for the bench, several minutes more on a cold build. Its unit tests read
//! the file with the app's own reader and plan its import (`seedream-studio` is a
//! dev-dependency), so a change in the app's format fails them.
//!
//! Written once into `target/bench/carry/` (the same bytes every time), and read back
//! each run for every result's data range.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Edits in the file, one result each: the row's 30 results.
pub const TASKS: usize = 30;
/// The results' sizes: about 5 MB, 4.9 to 5.1 MB (each its own size, as photos are).
const SMALLEST: u64 = 4_900_000;
const SPREAD: u64 = 200_000;
/// The results' side in pixels, as the manifest says (nothing decodes them).
const SIDE: u32 = 2048;
/// When the newest edit was submitted (ms since the epoch); each older one a minute
/// before. Fixed, so the file is the same bytes every time.
const NEWEST_MS: f64 = 1_780_000_000_000.0;
/// The manifest's name, format and version, as the app writes them
/// (`src/portable/manifest.rs`).
const MANIFEST_NAME: &str = "manifest.json";
const FORMAT: &str = "seedream-studio-history";
const VERSION: u32 = 1;
/// The file's name in the work folder.
const FILE_NAME: &str = "history-30x5MB.zip";

/// A studio export, read back.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub path: PathBuf,
    /// The whole file's length, bytes.
    pub bytes: u64,
    /// Each result's data, `start..end` in the file, in the manifest's order (as the
    /// app imports them).
    pub ranges: Vec<(u64, u64)>,
    /// Each result's entry as the zip's directory lists it: name, size and CRC-32.
    pub results: Vec<(String, u64, u32)>,
}

impl Fixture {
    /// The results' bytes together.
    pub fn image_bytes(&self) -> u64 {
        self.ranges.iter().map(|(start, end)| end - start).sum()
    }
}

/// The file in `dir`, written first when it is not there (or not what it should be).
pub fn fixture(dir: &Path) -> Result<Fixture> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(FILE_NAME);
    if let Ok(found) = read_back(&path)
        && found.results.len() == TASKS
        && found
            .results
            .iter()
            .zip(0..)
            .all(|((name, bytes, _), i)| *name == result_name(i) && *bytes == result_len(i))
    {
        return Ok(found);
    }
    write_file(&path)?;
    let written = read_back(&path)?;
    if written.results.len() != TASKS {
        bail!(
            "{} holds {} results, not {TASKS}",
            path.display(),
            written.results.len()
        );
    }
    Ok(written)
}

/// Edit `i`'s local id (newest first).
fn task_id(i: usize) -> String {
    format!("bench-carry-{i:02}")
}

/// Its result's name in the zip, as the app's export names results.
fn result_name(i: usize) -> String {
    format!("results/{}-1.jpeg", task_id(i))
}

fn result_len(i: usize) -> u64 {
    SMALLEST + (i as u64 * 7_919) % SPREAD
}

/// Result `i`'s bytes: a JFIF's first four bytes, then noise (xorshift64, seeded by
/// `i`), which no compression shrinks.
fn result_bytes(i: usize) -> Vec<u8> {
    let len = result_len(i) as usize;
    let mut bytes = Vec::with_capacity(len + 8);
    bytes.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ ((i as u64 + 1) << 32);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// The manifest of the edits whose results are `results` (newest first), as the app's
/// export writes it: a kept edit of one JPEG result each, no local input.
fn manifest(results: &[Vec<u8>]) -> Value {
    let tasks: Vec<Value> = results
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let id = task_id(i);
            let submitted = NEWEST_MS - i as f64 * 60_000.0;
            json!({
                "id": id,
                "task_id": format!("task-{id}"),
                "model": seedream_contract::MODEL_ID,
                "prompt": format!("Bench edit {i}: the same room at dusk, warm light"),
                "size": format!("{SIDE}x{SIDE}"),
                "sequential": "disabled",
                "max_images": 1,
                "output_format": "jpeg",
                "submitted_at_ms": submitted,
                "finished_at_ms": submitted + 20_000.0,
                "pinned": false,
                "inputs": [],
                "results": [{
                    "file": {
                        "name": result_name(i),
                        "bytes": bytes.len(),
                        "crc32": crc32fast::hash(bytes),
                    },
                    // Never fetched: the import keeps the file's copy, which the card shows.
                    "url": format!("https://results.invalid/{id}/1.jpeg"),
                    "format": "jpeg",
                    "width": SIDE,
                    "height": SIDE,
                }],
                "parents": [],
            })
        })
        .collect();
    json!({
        "format": FORMAT,
        "version": VERSION,
        "exported_at_ms": NEWEST_MS + 3_600_000.0,
        "tasks": tasks,
    })
}

/// Writes the file as the app's export lays it out: the manifest first, then each
/// result, all stored, CRC-32 and sizes in every local header.
fn write_file(path: &Path) -> Result<()> {
    let results: Vec<Vec<u8>> = (0..TASKS).map(result_bytes).collect();
    let manifest = serde_json::to_vec(&manifest(&results))?;
    let partial = path.with_extension("zip.part");
    let file = File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    zip.start_file(MANIFEST_NAME, stored)?;
    zip.write_all(&manifest)?;
    for (i, bytes) in results.iter().enumerate() {
        zip.start_file(result_name(i), stored)?;
        zip.write_all(bytes)?;
    }
    zip.finish()?.flush()?;
    std::fs::rename(&partial, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Reads a studio export at `path`: its manifest, and for each result it names, in
/// its order, where the result's data is. Fails unless every result is a stored entry
/// of the size and CRC-32 the manifest says.
pub fn read_back(path: &Path) -> Result<Fixture> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let bytes = file.metadata()?.len();
    let mut zip =
        ZipArchive::new(file).with_context(|| format!("{} is not a zip", path.display()))?;
    let mut text = Vec::new();
    zip.by_name(MANIFEST_NAME)
        .with_context(|| format!("{} has no {MANIFEST_NAME}", path.display()))?
        .read_to_end(&mut text)?;
    let manifest: Value = serde_json::from_slice(&text)
        .with_context(|| format!("{}: its manifest is not JSON", path.display()))?;
    if manifest["format"] != FORMAT || manifest["version"] != VERSION {
        bail!(
            "{}: not a studio history of version {VERSION}: {}, {}",
            path.display(),
            manifest["format"],
            manifest["version"]
        );
    }
    let files: Vec<&Value> = manifest["tasks"]
        .as_array()
        .map(|tasks| {
            tasks
                .iter()
                .flat_map(|task| task["results"].as_array().into_iter().flatten())
                .map(|result| &result["file"])
                .collect()
        })
        .unwrap_or_default();
    let mut ranges = Vec::new();
    let mut results = Vec::new();
    for named in files {
        let name = named["name"].as_str().unwrap_or_default();
        let index = zip
            .index_for_name(name)
            .with_context(|| format!("{}: {name} is not in the file", path.display()))?;
        let entry = zip.by_index_raw(index)?;
        let start = entry
            .data_start()
            .with_context(|| format!("{}: where {name} starts", path.display()))?;
        let (size, crc32) = (entry.size(), entry.crc32());
        if entry.compression() != CompressionMethod::Stored || entry.compressed_size() != size {
            bail!("{}: {name} is not stored", path.display());
        }
        if named["bytes"].as_u64() != Some(size) || named["crc32"].as_u64() != Some(crc32.into()) {
            bail!("{}: {name} is not what the manifest says", path.display());
        }
        ranges.push((start, start + size));
        results.push((name.to_owned(), size, crc32));
    }
    Ok(Fixture {
        path: path.to_owned(),
        bytes,
        ranges,
        results,
    })
}

#[cfg(test)]
mod tests {
    use std::io::{Seek, SeekFrom};

    use seedream_studio::portable::manifest::Manifest;
    use seedream_studio::portable::plan;
    use seedream_studio::portable::zip::read::{self, CentralEntry};

    use super::*;

    #[test]
    fn results_look_like_jpegs_of_about_five_mb_and_do_not_repeat() {
        let (first, second) = (result_bytes(0), result_bytes(1));
        assert!(first.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert_eq!(first.len() as u64, result_len(0));
        assert_ne!(first[4..1000], second[4..1000]);
        for i in 0..TASKS {
            let len = result_len(i);
            assert!((4_900_000..5_100_000).contains(&len), "{len}");
        }
        // Noise: no byte value is much commoner than another.
        let mut counts = [0u32; 256];
        for byte in &first[4..] {
            counts[usize::from(*byte)] += 1;
        }
        let (min, max) = (counts.iter().min(), counts.iter().max());
        assert!(
            matches!((min, max), (Some(&a), Some(&b)) if b - a < 2_000),
            "{min:?} {max:?}"
        );
    }

    /// What the app makes of the file at `path`, read as its import reads it (the
    /// tail, the directory, each local header, the ranges together, the manifest) with
    /// its own reader, and planned into an empty history: where each result to import
    /// starts and ends, in order. Fails unless every task would be imported.
    fn app_reads(path: &Path) -> Vec<(u64, u64)> {
        let mut file = File::open(path).expect("the file");
        let length = file.metadata().expect("its length").len();
        let mut range = |start: u64, end: u64| {
            let mut bytes = vec![0; (end - start) as usize];
            file.seek(SeekFrom::Start(start)).expect("a seek");
            file.read_exact(&mut bytes).expect("a read");
            bytes
        };
        let tail = range(length.saturating_sub(read::TAIL_BYTES), length);
        let directory = read::find_end(&tail, length).expect("its end record");
        let listed = range(directory.offset, directory.offset + directory.size);
        let entries = read::read_directory(&listed, &directory, length).expect("its directory");
        let starts: Vec<u64> = entries
            .iter()
            .map(|entry| {
                let local = range(
                    entry.header_offset,
                    entry.header_offset + read::LOCAL_HEADER_BYTES,
                );
                read::data_start(&local, entry, &directory).expect("a local header")
            })
            .collect();
        let spans: Vec<(u64, &CentralEntry)> = starts.iter().copied().zip(&entries).collect();
        read::check_ranges(&spans, &directory).expect("ranges apart");
        let index = plan::by_name(&entries)[MANIFEST_NAME];
        let (entry, start) = (&entries[index], starts[index]);
        let manifest =
            Manifest::read(&range(start, start + entry.compressed)).expect("the app's manifest");
        let planned = plan::plan(&manifest, &entries, &|_| false);
        assert!(planned.skipped.is_empty(), "{:?}", planned.skipped);
        assert_eq!(planned.tasks.len(), TASKS);
        planned
            .tasks
            .iter()
            .flat_map(|task| &task.files)
            .map(|file| {
                let entry = &entries[file.entry];
                assert_eq!(entry.method, 0, "{} stored", entry.name);
                let start = starts[file.entry];
                (start, start + entry.compressed)
            })
            .collect()
    }

    #[test]
    fn the_file_is_one_the_app_would_import_whole() {
        let dir = std::env::temp_dir().join(format!("seedream-bench-carry-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let written = fixture(&dir).expect("the file");
        assert_eq!(written.ranges.len(), TASKS);
        assert_eq!(written.results[0].0, "results/bench-carry-00-1.jpeg");
        // The app's reader finds the same results where the bench does.
        assert_eq!(app_reads(&written.path), written.ranges);
        let on_disk = std::fs::read(&written.path).expect("its bytes");
        assert_eq!(on_disk.len() as u64, written.bytes);
        for (i, ((start, end), (_, size, crc))) in
            written.ranges.iter().zip(&written.results).enumerate()
        {
            let data = &on_disk[*start as usize..*end as usize];
            assert_eq!(data, result_bytes(i).as_slice(), "result {i}");
            assert_eq!((data.len() as u64, crc32fast::hash(data)), (*size, *crc));
        }
        // Stored: the file is its results and a little more.
        let images = written.image_bytes();
        assert!(written.bytes > images && written.bytes - images < 30_000);
        // Found again rather than written again.
        let modified = std::fs::metadata(&written.path)
            .and_then(|m| m.modified())
            .ok();
        let again = fixture(&dir).expect("the file again");
        assert_eq!(again.ranges, written.ranges);
        let unchanged = std::fs::metadata(&again.path)
            .and_then(|m| m.modified())
            .ok();
        assert_eq!(modified, unchanged);
        // A damaged file is not taken for it.
        std::fs::write(&written.path, b"PK\x05\x06 not quite").expect("a file");
        assert!(read_back(&written.path).is_err());
        assert_eq!(fixture(&dir).expect("written anew").ranges, written.ranges);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_manifest_is_the_apps_own() {
        let results: Vec<Vec<u8>> = (0..3).map(|i| vec![0xFF, 0xD8, 0xFF, 0xE0, i]).collect();
        let written = manifest(&results);
        let text = serde_json::to_vec(&written).expect("JSON");
        let read = Manifest::read(&text).expect("the app reads it");
        assert_eq!(read.tasks.len(), 3);
        let task = &read.tasks[1];
        assert_eq!(task.id, "bench-carry-01");
        assert_eq!(task.results[0].file.name, "results/bench-carry-01-1.jpeg");
        assert_eq!(task.results[0].file.crc32, crc32fast::hash(&results[1]));
        assert!(task.inputs.is_empty() && task.parents.is_empty());
        // Nothing lost or renamed: the app writes back what it read, field for field.
        let again: Value = serde_json::from_slice(&read.to_bytes()).expect("JSON");
        assert_eq!(again, written);
    }
}
