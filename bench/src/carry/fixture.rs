//! The file both sides import: a studio export of [`TASKS`] edits of one result each,
//! about 5 MB of incompressible bytes behind a JPEG's first bytes (the import checks
//! an image by its first bytes, its size and its CRC-32, never decodes it), written
//! natively with the app's own zip writer and manifest types
//! (`seedream_studio::portable`), and read back with the app's own reader, which
//! gives each result's data range for the plain page.
//!
//! Written once into `target/bench/carry/` (the same bytes every time), and checked
//! each run by reading it back as the app would plan its import.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use seedream_contract::{MODEL_ID, OutputFormat, SequentialMode, Size};
use seedream_studio::portable::manifest::{
    FileEntry, MANIFEST_NAME, Manifest, ResultEntry, TaskEntry,
};
use seedream_studio::portable::plan;
use seedream_studio::portable::zip::read::{self, CentralEntry};
use seedream_studio::portable::zip::write::{self, DosTime, EntryToWrite, Part};
use seedream_studio::portable::zip::{METHOD_STORED, crc32};

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
/// The file's name in the work folder.
const FILE_NAME: &str = "history-30x5MB.zip";

/// The file, read back.
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

/// Edit `i`'s manifest entry: a kept edit of one JPEG result, no local input.
fn task_entry(i: usize, file: FileEntry) -> TaskEntry {
    let id = task_id(i);
    let submitted = NEWEST_MS - i as f64 * 60_000.0;
    TaskEntry {
        task_id: Some(format!("task-{id}")),
        model: MODEL_ID.to_owned(),
        prompt: format!("Bench edit {i}: the same room at dusk, warm light"),
        size: Size::new(SIDE, SIDE).into(),
        sequential: SequentialMode::Disabled,
        max_images: 1,
        output_format: OutputFormat::Jpeg,
        submitted_at_ms: submitted,
        finished_at_ms: Some(submitted + 20_000.0),
        pinned: false,
        inputs: Vec::new(),
        results: vec![ResultEntry {
            file,
            // Never fetched: the import keeps the file's copy, which the card shows.
            url: format!("https://results.invalid/{id}/1.jpeg"),
            format: Some("jpeg".to_owned()),
            width: Some(SIDE),
            height: Some(SIDE),
        }],
        parents: Vec::new(),
        id,
    }
}

/// Writes the file as the app's export lays it out: the manifest first, then each
/// result, stored, through `seedream_studio::portable::zip::write::layout`.
fn write_file(path: &Path) -> Result<()> {
    let results: Vec<Vec<u8>> = (0..TASKS).map(result_bytes).collect();
    let files: Vec<FileEntry> = results
        .iter()
        .enumerate()
        .map(|(i, bytes)| FileEntry {
            name: result_name(i),
            bytes: bytes.len() as u64,
            crc32: crc32(bytes),
        })
        .collect();
    let tasks = files
        .iter()
        .enumerate()
        .map(|(i, file)| task_entry(i, file.clone()))
        .collect();
    let manifest = Manifest::new(tasks, NEWEST_MS + 3_600_000.0).to_bytes();
    let mut entries = vec![EntryToWrite {
        name: MANIFEST_NAME.to_owned(),
        bytes: manifest.len() as u64,
        crc32: crc32(&manifest),
    }];
    entries.extend(files.iter().map(|file| EntryToWrite {
        name: file.name.clone(),
        bytes: file.bytes,
        crc32: file.crc32,
    }));
    let parts = write::layout(&entries, DosTime::from_unix_ms(NEWEST_MS))
        .map_err(|too_large| anyhow::anyhow!("the app's writer refused: {too_large:?}"))?;
    let data = |index: usize| -> Result<&[u8]> {
        match index {
            0 => Ok(&manifest),
            n => results
                .get(n - 1)
                .map(Vec::as_slice)
                .with_context(|| format!("the layout names entry {n}, which was not given")),
        }
    };
    let partial = path.with_extension("zip.part");
    let mut out = BufWriter::new(
        File::create(&partial).with_context(|| format!("creating {}", partial.display()))?,
    );
    for part in &parts {
        match part {
            Part::Bytes(bytes) => out.write_all(bytes)?,
            Part::Entry(index) => out.write_all(data(*index)?)?,
        }
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&partial, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Reads `path` as the app's import does, step by step with its reader (the tail,
/// the directory, each local header, the ranges together, the manifest), plans the
/// import into an empty history, and returns where each planned result's data is.
/// Fails unless every task would be imported.
pub fn read_back(path: &Path) -> Result<Fixture> {
    let mut file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let length = file.metadata()?.len();
    let mut range = |start: u64, end: u64| -> Result<Vec<u8>> {
        let mut bytes = vec![0; usize::try_from(end.saturating_sub(start))?];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    };
    let refused = |what: &str, why: read::Refusal| {
        anyhow::anyhow!("{}: the app's reader refused {what}: {why:?}", path.display())
    };
    let tail = range(length.saturating_sub(read::TAIL_BYTES), length)?;
    let directory = read::find_end(&tail, length).map_err(|e| refused("its end", e))?;
    let listed = range(directory.offset, directory.offset + directory.size)?;
    let entries = read::read_directory(&listed, &directory, length)
        .map_err(|e| refused("its directory", e))?;
    let mut starts = Vec::with_capacity(entries.len());
    for entry in &entries {
        let at = entry.header_offset;
        let local = range(at, at + read::LOCAL_HEADER_BYTES)?;
        let start =
            read::data_start(&local, entry, &directory).map_err(|e| refused(&entry.name, e))?;
        starts.push(start);
    }
    let spans: Vec<(u64, &CentralEntry)> = starts.iter().copied().zip(&entries).collect();
    read::check_ranges(&spans, &directory).map_err(|e| refused("its ranges", e))?;

    let named = plan::by_name(&entries);
    let index = *named
        .get(MANIFEST_NAME)
        .with_context(|| format!("{} has no {MANIFEST_NAME}", path.display()))?;
    let (entry, start) = (&entries[index], starts[index]);
    if entry.method != METHOD_STORED {
        bail!("{}: its manifest is not stored", path.display());
    }
    let manifest = Manifest::read(&range(start, start + entry.compressed)?)
        .map_err(|e| anyhow::anyhow!("{}: its manifest: {e:?}", path.display()))?;
    let planned = plan::plan(&manifest, &entries, &|_| false);
    if !planned.skipped.is_empty() || planned.present != 0 {
        bail!(
            "{}: the app would not import every task: {:?}",
            path.display(),
            planned.skipped
        );
    }
    let mut ranges = Vec::new();
    let mut results = Vec::new();
    for file in planned.tasks.iter().flat_map(|task| &task.files) {
        let entry = &entries[file.entry];
        if entry.method != METHOD_STORED {
            bail!("{}: {} is not stored", path.display(), entry.name);
        }
        let start = starts[file.entry];
        ranges.push((start, start + entry.compressed));
        results.push((entry.name.clone(), entry.size, entry.crc32));
    }
    Ok(Fixture {
        path: path.to_owned(),
        bytes: length,
        ranges,
        results,
    })
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn the_file_is_one_the_app_would_import_whole() {
        let dir = std::env::temp_dir().join(format!("seedream-bench-carry-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let written = fixture(&dir).expect("the file");
        assert_eq!(written.ranges.len(), TASKS);
        assert_eq!(written.results[0].0, "results/bench-carry-00-1.jpeg");
        let on_disk = std::fs::read(&written.path).expect("its bytes");
        assert_eq!(on_disk.len() as u64, written.bytes);
        for (i, ((start, end), (_, size, crc))) in
            written.ranges.iter().zip(&written.results).enumerate()
        {
            let data = &on_disk[*start as usize..*end as usize];
            assert_eq!(data, result_bytes(i).as_slice(), "result {i}");
            assert_eq!((data.len() as u64, crc32(data)), (*size, *crc));
        }
        // Stored: the file is its results and a little more.
        let images = written.image_bytes();
        assert!(written.bytes > images && written.bytes - images < 30_000);
        // Found again rather than written again.
        let modified = std::fs::metadata(&written.path).and_then(|m| m.modified()).ok();
        let again = fixture(&dir).expect("the file again");
        assert_eq!(again.ranges, written.ranges);
        let unchanged = std::fs::metadata(&again.path).and_then(|m| m.modified()).ok();
        assert_eq!(modified, unchanged);
        // A damaged file is not taken for it.
        std::fs::write(&written.path, b"PK\x05\x06 not quite").expect("a file");
        assert!(read_back(&written.path).is_err());
        assert_eq!(fixture(&dir).expect("written anew").ranges, written.ranges);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
