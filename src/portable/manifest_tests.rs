use seedream_contract::Size;

use super::*;

const T0: f64 = 1_780_000_000_000.0;

fn file(name: &str, bytes: u64, crc32: u32) -> FileEntry {
    FileEntry {
        name: name.to_owned(),
        bytes,
        crc32,
    }
}

/// A kept edit of two results made from a local file and an earlier result.
fn record() -> TaskRecord {
    let local = InputRecord {
        label: "Image 1".to_owned(),
        url: None,
        format: Some("PNG".to_owned()),
        width: Some(320),
        height: Some(240),
        bytes: Some(1200),
        sha256: Some("ab".repeat(32)),
        from: None,
    };
    let earlier = InputRecord {
        label: "Image 2".to_owned(),
        url: Some("https://cdn.example.com/out/1.jpeg".to_owned()),
        format: None,
        width: None,
        height: None,
        bytes: None,
        sha256: None,
        from: Some(FromResult {
            record: "t1-1-aaaaaa".to_owned(),
            index: 1,
        }),
    };
    let result = |n: usize| ResultRecord {
        url: format!("https://cdn.example.com/out/2-{n}.jpeg"),
        width: Some(2048),
        height: Some(2048),
        format: Some("jpeg".to_owned()),
    };
    TaskRecord {
        id: "t2-2-bbbbbb".to_owned(),
        task_id: Some("task-2".to_owned()),
        prompt: "把图2的产品放在图1的桌子上".to_owned(),
        inputs: vec![local, earlier],
        size: Size::new(2048, 2048).into(),
        sequential: SequentialMode::Auto,
        max_images: 2,
        output_format: OutputFormat::Jpeg,
        submitted_at_ms: T0,
        finished_at_ms: Some(T0 + 9000.0),
        updated_at_ms: Some(T0 + 9000.0),
        state: RecordState::Done {
            results: vec![result(0), result(1)],
            skipped: 0,
        },
        kept: Kept::Yes,
        pinned: true,
    }
}

fn entry(record: &TaskRecord) -> TaskEntry {
    let files = TaskFiles {
        results: vec![
            file("results/t2-2-bbbbbb-1.jpeg", 500, 1),
            file("results/t2-2-bbbbbb-2.jpeg", 600, 2),
        ],
        inputs: vec![
            Some(file(&format!("inputs/{}.png", "ab".repeat(32)), 1200, 3)),
            None,
        ],
    };
    TaskEntry::of(record, &record.state.shown_results(), files)
}

#[test]
fn an_exported_record_reads_back_as_the_same_edit() {
    let original = record();
    let read = entry(&original).to_record(T0 + 60_000.0);
    assert_eq!(
        read,
        TaskRecord {
            updated_at_ms: Some(T0 + 60_000.0),
            // Imported labels are the English ones, as every record's are.
            ..original
        }
    );
}

#[test]
fn parents_name_the_input_and_the_result_it_was() {
    let entry = entry(&record());
    assert_eq!(
        entry.parents,
        [ParentEntry {
            input: 1,
            task: "t1-1-aaaaaa".to_owned(),
            result: 1,
        }]
    );
    // A linked input has no file and no digest; a local one has both.
    assert_eq!(entry.inputs[1].file, None);
    assert_eq!(entry.inputs[1].sha256, None);
    assert_eq!(
        entry.inputs[0].sha256.as_deref(),
        Some("ab".repeat(32).as_str())
    );
}

#[test]
fn the_manifest_is_written_with_its_documented_names() {
    let manifest = Manifest::new(vec![entry(&record())], Vec::new(), T0);
    let json: serde_json::Value = serde_json::from_slice(&manifest.to_bytes()).unwrap();
    assert_eq!(json["format"], "seedream-studio-history");
    assert_eq!(json["version"], 1);
    let task = &json["tasks"][0];
    for field in [
        "id",
        "task_id",
        "model",
        "prompt",
        "size",
        "sequential",
        "max_images",
        "output_format",
        "submitted_at_ms",
        "finished_at_ms",
        "pinned",
        "inputs",
        "results",
        "parents",
    ] {
        assert!(task.get(field).is_some(), "{field} in {task}");
    }
    assert_eq!(task["model"], MODEL_ID);
    assert_eq!(task["size"], "2048x2048");
    assert_eq!(task["sequential"], "auto");
    assert_eq!(
        task["results"][1]["file"]["name"],
        "results/t2-2-bbbbbb-2.jpeg"
    );
    assert_eq!(task["results"][1]["file"]["crc32"], 2);
    let text = String::from_utf8(manifest.to_bytes()).unwrap();
    assert!(!text.to_lowercase().contains("key"), "no key field: {text}");
    assert_eq!(Manifest::read(&manifest.to_bytes()), Ok(manifest));
}

#[test]
fn unknown_fields_are_ignored_and_missing_optional_ones_defaulted() {
    let text = br#"{
        "format": "seedream-studio-history", "version": 1, "from_a_later_version": [1, 2],
        "tasks": [{
            "id": "t1", "prompt": "p", "size": "2048x2048", "submitted_at_ms": 5,
            "results": [{"file": {"name": "results/t1-1.png", "bytes": 3, "crc32": 4, "more": 1},
                         "url": "https://x.example/1.png"}],
            "something_new": {"a": 1}
        }]
    }"#;
    let manifest = Manifest::read(text).unwrap();
    let task = &manifest.tasks[0];
    assert_eq!(task.model, MODEL_ID);
    assert_eq!(task.max_images, 1);
    assert_eq!(task.sequential, SequentialMode::Disabled);
    assert!(task.inputs.is_empty() && task.parents.is_empty());
    assert_eq!(task.results[0].file, file("results/t1-1.png", 3, 4));
}

#[test]
fn other_files_and_later_versions_are_refused() {
    assert_eq!(Manifest::read(b"not json"), Err(ManifestError::Unreadable));
    assert_eq!(Manifest::read(b"{}"), Err(ManifestError::Unreadable));
    assert_eq!(
        Manifest::read(br#"{"format": "something-else", "version": 1}"#),
        Err(ManifestError::Unreadable)
    );
    assert_eq!(
        Manifest::read(br#"{"format": "seedream-studio-history", "version": 2}"#),
        Err(ManifestError::UnknownVersion(2))
    );
    assert_eq!(
        Manifest::read(br#"{"format": "seedream-studio-history", "version": 0}"#),
        Err(ManifestError::UnknownVersion(0))
    );
}

#[test]
fn saved_instructions_travel_in_an_optional_field_read_entry_by_entry() {
    let saved = vec![SavedInstruction {
        name: "Watercolour".to_owned(),
        text: "Turn it into a watercolour".to_owned(),
    }];
    let manifest = Manifest::new(Vec::new(), saved.clone(), T0);
    let json: serde_json::Value = serde_json::from_slice(&manifest.to_bytes()).unwrap();
    assert_eq!(json["instructions"][0]["name"], "Watercolour");
    assert_eq!(
        Manifest::read(&manifest.to_bytes()).unwrap().instructions,
        saved
    );
    // None saved: no field, and a file without one reads as none (version 1 either way).
    let bare = Manifest::new(Vec::new(), Vec::new(), T0).to_bytes();
    assert!(!String::from_utf8_lossy(&bare).contains("instructions"));
    assert!(Manifest::read(&bare).unwrap().instructions.is_empty());
    // A damaged entry, or a field of the wrong shape, loses only itself.
    let damaged = br#"{"format": "seedream-studio-history", "version": 1, "instructions":
        [{"name": 1}, {"name": "Night", "text": "Make it night"}, null]}"#;
    assert_eq!(
        Manifest::read(damaged).unwrap().instructions,
        [SavedInstruction {
            name: "Night".to_owned(),
            text: "Make it night".to_owned()
        }]
    );
    let wrong = br#"{"format": "seedream-studio-history", "version": 1, "instructions": 5}"#;
    assert!(Manifest::read(wrong).unwrap().instructions.is_empty());
}
