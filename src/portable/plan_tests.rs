use super::*;
use crate::portable::manifest::{InputEntry, ResultEntry};

const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn file(name: &str, bytes: u64) -> FileEntry {
    FileEntry {
        name: name.to_owned(),
        bytes,
        crc32: bytes as u32 * 7,
    }
}

/// A zip entry holding `file` as the studio writes it (stored).
fn zip_entry(name: &str, bytes: u64) -> CentralEntry {
    CentralEntry {
        name: name.to_owned(),
        method: METHOD_STORED,
        flags: 1 << 11,
        crc32: bytes as u32 * 7,
        compressed: bytes,
        size: bytes,
        header_offset: 0,
    }
}

/// Task `id` with one result (`results/<id>-1.jpeg`, 100 bytes) and the shared input.
fn task(id: &str) -> TaskEntry {
    TaskEntry {
        id: id.to_owned(),
        task_id: None,
        model: String::new(),
        prompt: format!("edit {id}"),
        size: crate::history::RecordedSize::read("2048x2048"),
        sequential: Default::default(),
        max_images: 1,
        output_format: Default::default(),
        submitted_at_ms: 1.0,
        finished_at_ms: None,
        pinned: false,
        inputs: vec![InputEntry {
            url: None,
            file: Some(file(&format!("inputs/{SHA}.png"), 40)),
            sha256: Some(SHA.to_owned()),
            format: None,
            width: None,
            height: None,
        }],
        results: vec![ResultEntry {
            file: file(&format!("results/{id}-1.jpeg"), 100),
            url: format!("https://x.example/{id}.jpeg"),
            format: None,
            width: None,
            height: None,
        }],
        parents: Vec::new(),
    }
}

fn manifest(tasks: Vec<TaskEntry>) -> Manifest {
    Manifest::new(tasks, Vec::new(), 0.0)
}

/// The entries of a zip of `ids`' tasks, as the studio writes it.
fn entries(ids: &[&str]) -> Vec<CentralEntry> {
    let mut entries = vec![
        zip_entry("manifest.json", 10),
        zip_entry(&format!("inputs/{SHA}.png"), 40),
    ];
    entries.extend(
        ids.iter()
            .map(|id| zip_entry(&format!("results/{id}-1.jpeg"), 100)),
    );
    entries
}

fn nothing_present(_: &str) -> bool {
    false
}

fn skip_of(manifest: &Manifest, entries: &[CentralEntry]) -> Skip {
    let plan = plan(manifest, entries, &nothing_present);
    assert!(plan.tasks.is_empty(), "{plan:?}");
    plan.skipped.into_iter().next().expect("a skipped task").why
}

#[test]
fn every_task_is_planned_with_its_files_and_shared_inputs_count_once() {
    let plan = plan(
        &manifest(vec![task("a"), task("b")]),
        &entries(&["a", "b"]),
        &nothing_present,
    );
    assert_eq!(plan.tasks.len(), 2);
    let first = &plan.tasks[0].files;
    assert_eq!(first[0].key, ImageKey::result("a", 0));
    assert_eq!(first[0].entry, 2);
    assert_eq!(
        first[1].key,
        ImageKey::Input {
            sha256: SHA.to_owned()
        }
    );
    assert_eq!(first[1].sha256.as_deref(), Some(SHA));
    // Two results and one input stored once.
    assert_eq!(plan.bytes(), 100 + 100 + 40);
}

#[test]
fn tasks_here_already_or_twice_in_the_file_are_left_alone() {
    let plan = plan(
        &manifest(vec![task("a"), task("b"), task("b")]),
        &entries(&["a", "b"]),
        &|id| id == "a",
    );
    assert_eq!(plan.present, 2);
    assert_eq!(plan.tasks.len(), 1);
    assert_eq!(plan.tasks[0].task.id, "b");
}

#[test]
fn a_re_zipped_folder_and_system_clutter_are_read_through() {
    let mut zipped: Vec<CentralEntry> = entries(&["a"])
        .into_iter()
        .map(|mut entry| {
            entry.name = format!("My export/{}", entry.name);
            entry.method = METHOD_DEFLATE;
            entry.compressed = 1;
            entry
        })
        .collect();
    zipped.push(zip_entry("__MACOSX/My export/._manifest.json", 5));
    zipped.push(zip_entry("My export/.DS_Store", 5));
    zipped.push(zip_entry("My export/", 0));
    assert!(by_name(&zipped).contains_key("manifest.json"));
    let plan = plan(&manifest(vec![task("a")]), &zipped, &nothing_present);
    assert_eq!(plan.tasks.len(), 1, "{plan:?}");
}

#[test]
fn a_task_whose_file_is_missing_is_skipped_and_named() {
    let why = skip_of(&manifest(vec![task("a")]), &entries(&[]));
    assert_eq!(why, Skip::Missing("results/a-1.jpeg".to_owned()));
}

#[test]
fn a_task_whose_file_differs_from_the_manifest_is_skipped() {
    let mut bigger = entries(&["a"]);
    bigger[2].size = 101;
    bigger[2].compressed = 101;
    assert_eq!(
        skip_of(&manifest(vec![task("a")]), &bigger),
        Skip::Mismatch("results/a-1.jpeg".to_owned())
    );
    let mut other_crc = entries(&["a"]);
    other_crc[2].crc32 ^= 1;
    assert_eq!(
        skip_of(&manifest(vec![task("a")]), &other_crc),
        Skip::Mismatch("results/a-1.jpeg".to_owned())
    );
}

#[test]
fn unknown_methods_and_huge_files_skip_their_task() {
    let mut bzip = entries(&["a"]);
    bzip[2].method = 12;
    assert_eq!(
        skip_of(&manifest(vec![task("a")]), &bzip),
        Skip::Method("results/a-1.jpeg".to_owned())
    );
    let mut huge_task = task("a");
    huge_task.results[0].file.bytes = MAX_IMAGE_BYTES + 1;
    let mut huge = entries(&["a"]);
    huge[2].size = MAX_IMAGE_BYTES + 1;
    assert_eq!(
        skip_of(&manifest(vec![huge_task]), &huge),
        Skip::TooLarge("results/a-1.jpeg".to_owned())
    );
}

#[test]
fn names_that_could_escape_skip_their_task() {
    for (name, bad) in [
        ("../results/a-1.jpeg", BadName::ParentDirectory),
        ("/results/a-1.jpeg", BadName::Absolute),
        ("results\\a-1.jpeg", BadName::Backslash),
        ("C:results/a-1.jpeg", BadName::DriveLetter),
        ("results/a\0.jpeg", BadName::Nul),
    ] {
        let mut hostile = task("a");
        hostile.results[0].file.name = name.to_owned();
        let mut zipped = entries(&["a"]);
        zipped[2].name = name.to_owned();
        assert_eq!(
            skip_of(&manifest(vec![hostile]), &zipped),
            Skip::BadName(name.to_owned(), bad),
            "{name:?}"
        );
    }
}

#[test]
fn entries_that_do_not_hold_together_are_skipped() {
    let mut bad_id = task("a");
    bad_id.id = "a:b/../c".to_owned();
    assert_eq!(
        skip_of(&manifest(vec![bad_id]), &entries(&["a"])),
        Skip::Malformed
    );
    let mut bad_digest = task("a");
    bad_digest.inputs[0].sha256 = Some("not a digest".to_owned());
    assert_eq!(
        skip_of(&manifest(vec![bad_digest]), &entries(&["a"])),
        Skip::Malformed
    );
    let mut no_results = task("a");
    no_results.results.clear();
    assert_eq!(
        skip_of(&manifest(vec![no_results]), &entries(&["a"])),
        Skip::Malformed
    );
}

#[test]
fn one_bad_task_leaves_the_others_planned() {
    let mut bad = task("b");
    bad.results[0].file.name = "results/nowhere.jpeg".to_owned();
    let plan = plan(
        &manifest(vec![task("a"), bad]),
        &entries(&["a", "b"]),
        &nothing_present,
    );
    assert_eq!(plan.tasks.len(), 1);
    assert_eq!(
        plan.skipped,
        [Skipped {
            prompt: "edit b".to_owned(),
            why: Skip::Missing("results/nowhere.jpeg".to_owned())
        }]
    );
}
