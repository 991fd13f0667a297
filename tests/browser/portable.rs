//! A history exported as one zip and imported back, in a real browser: every task,
//! image, instruction and parent link returns; the same file again adds nothing; a
//! hostile file changes nothing; a zip re-saved by a system's archive tool (deflated,
//! inside a folder, with its clutter) imports through the browser's
//! `DecompressionStream`.

use js_sys::{Array, Uint8Array};
use seedream_contract::{OutputFormat, SequentialMode, Size};
use seedream_studio::archive::checksum;
use seedream_studio::archive::db::ImageToKeep;
use seedream_studio::archive::keep;
use seedream_studio::archive::{Archive, ImageKey};
use seedream_studio::history::{InputRecord, Kept, RecordState, ResultRecord, TaskRecord};
use seedream_studio::instructions::SavedInstruction;
use seedream_studio::media::FromResult;
use seedream_studio::portable::export::{self, ExportError};
use seedream_studio::portable::import::{self, Imported, Refused};
use seedream_studio::portable::plan::Skip;
use seedream_studio::portable::zip::read::Refusal;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Blob, BlobPropertyBag};

const T0: f64 = 1_796_600_000_000.0;

/// A zip as macOS's or Python's archive tools re-save an export (see its script).
const REZIPPED: &[u8] = include_bytes!("../fixtures/rezipped-export.zip");

fn fresh_name(test: &str) -> String {
    format!(
        "seedream-studio.test.portable.{test}.{}",
        js_sys::Math::random()
    )
}

fn blob_of(bytes: &[u8], content_type: &str) -> Blob {
    let options = BlobPropertyBag::new();
    options.set_type(content_type);
    let parts = Array::of1(&Uint8Array::from(bytes));
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

async fn bytes_of(blob: &Blob) -> Vec<u8> {
    let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
    Uint8Array::new(&buffer).to_vec()
}

/// A JPEG's or PNG's first bytes, then `fill`.
fn jpeg(fill: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend(std::iter::repeat_n(fill, 3000));
    bytes
}

fn png(fill: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(fill, 2000));
    bytes
}

async fn sha256_hex(bytes: &[u8]) -> String {
    keep::sha256(&blob_of(bytes, "image/png")).await.unwrap()
}

fn done(id: &str, prompt: &str, results: usize, inputs: Vec<InputRecord>) -> TaskRecord {
    TaskRecord {
        id: id.to_owned(),
        task_id: Some(format!("task-{id}")),
        prompt: prompt.to_owned(),
        inputs,
        size: Size::new(2048, 2048).into(),
        sequential: SequentialMode::Disabled,
        max_images: 1,
        output_format: OutputFormat::Jpeg,
        submitted_at_ms: T0,
        finished_at_ms: Some(T0 + 9000.0),
        updated_at_ms: Some(T0 + 9000.0),
        state: RecordState::Done {
            results: (0..results)
                .map(|n| ResultRecord {
                    url: format!("https://cdn.example.com/{id}/{n}.jpeg"),
                    width: Some(2048),
                    height: Some(2048),
                    format: Some("jpeg".to_owned()),
                })
                .collect(),
            skipped: 0,
        },
        kept: Kept::Yes,
        pinned: false,
    }
}

fn local_input(sha256: &str) -> InputRecord {
    InputRecord {
        label: "Image 1".to_owned(),
        url: None,
        format: Some("PNG".to_owned()),
        width: Some(320),
        height: Some(240),
        bytes: Some(2008),
        sha256: Some(sha256.to_owned()),
        from: None,
    }
}

async fn keep(archive: &Archive, id: &str, images: Vec<(ImageKey, Vec<u8>, &str)>) {
    let mut kept = Vec::new();
    for (key, bytes, content_type) in images {
        let blob = blob_of(&bytes, content_type);
        kept.push(ImageToKeep {
            checksum: checksum::of_blob(&blob).await.unwrap(),
            key,
            blob: blob.into(),
            content_type: content_type.to_owned(),
        });
    }
    archive.put_task(id, T0, &kept).await.unwrap();
}

/// Two kept edits: the first from a local file, the second from the first's result
/// and the same file.
async fn two_kept_edits(archive: &Archive) -> Vec<TaskRecord> {
    let input = png(9);
    let sha = sha256_hex(&input).await;
    let first = done(
        "t-first",
        "Turn this into a watercolour",
        2,
        vec![local_input(&sha)],
    );
    let mut from_first =
        InputRecord::from_reference(1, &"https://cdn.example.com/t-first/1.jpeg".to_owned());
    from_first.from = Some(FromResult {
        record: "t-first".to_owned(),
        index: 1,
    });
    let mut second = done(
        "t-second",
        "把图2的产品放在图1的桌子上",
        1,
        vec![local_input(&sha), from_first],
    );
    second.submitted_at_ms = T0 + 60_000.0;
    second.pinned = true;
    let key = |id: &str, n| ImageKey::result(id, n);
    let input_key = ImageKey::Input {
        sha256: sha.clone(),
    };
    keep(
        archive,
        "t-first",
        vec![
            (key("t-first", 0), jpeg(1), "image/jpeg"),
            (key("t-first", 1), jpeg(2), "image/jpeg"),
            (input_key.clone(), input.clone(), "image/png"),
        ],
    )
    .await;
    keep(
        archive,
        "t-second",
        vec![
            (key("t-second", 0), jpeg(3), "image/jpeg"),
            (input_key, input, "image/png"),
        ],
    )
    .await;
    archive.set_pinned("t-second", true).await.unwrap();
    vec![second, first]
}

async fn import_into(
    archive: &Archive,
    file: &Blob,
    present: &dyn Fn(&str) -> bool,
) -> Result<Imported, Refused> {
    let opened = import::open(file, present).await?;
    import::store(file, opened, archive, u64::MAX, T0 + 1.0, &|_, _| ()).await
}

#[wasm_bindgen_test]
async fn an_exported_history_imports_back_whole_and_only_once() {
    crate::common::with_indexed_db(async {
        let (from, to) = (fresh_name("from"), fresh_name("to"));
        let source = Archive::open(&from).await.unwrap();
        let records = two_kept_edits(&source).await;
        // A task whose images are not here is left out, not exported half.
        let mut listed = records.clone();
        listed.push(done("t-gone", "Removed to make room", 1, Vec::new()));
        // The saved instructions travel with a whole history.
        let saved = vec![SavedInstruction {
            name: "Watercolour".to_owned(),
            text: "Turn it into a watercolour".to_owned(),
        }];
        let exported = export::export(&source, &listed, saved.clone(), T0 + 1.0)
            .await
            .unwrap();
        assert_eq!((exported.tasks, exported.left_out), (2, 1));

        let target = Archive::open(&to).await.unwrap();
        let imported = import_into(&target, &exported.file, &|_| false)
            .await
            .unwrap();
        assert_eq!(imported.present, 0);
        assert_eq!(imported.skipped, []);
        assert_eq!(imported.instructions, saved);
        let mut expected = records.clone();
        for record in &mut expected {
            record.updated_at_ms = Some(T0 + 1.0);
            for input in &mut record.inputs {
                // A linked input has no size; the file's is what was kept.
                if input.sha256.is_none() {
                    input.bytes = None;
                }
            }
        }
        assert_eq!(
            imported.records, expected,
            "every instruction, input and parent link"
        );
        for (id, n) in [("t-first", 0), ("t-first", 1), ("t-second", 0)] {
            let key = ImageKey::result(id, n);
            let (was, now) = (
                source.blob(&key).await.unwrap().unwrap(),
                target.blob(&key).await.unwrap().unwrap(),
            );
            assert_eq!(bytes_of(&now).await, bytes_of(&was).await, "{key}");
            assert_eq!(
                target.checksum(&key).await.unwrap(),
                source.checksum(&key).await.unwrap()
            );
        }
        let held = target.holdings().await.unwrap();
        assert_eq!(
            held.sizes.len(),
            4,
            "three results and the shared input once"
        );
        assert!(held.tasks.iter().any(|t| t.id == "t-second" && t.pinned));

        // The same file again: everything is here already.
        let ids: Vec<String> = imported.records.iter().map(|r| r.id.clone()).collect();
        let again = import_into(&target, &exported.file, &|id| ids.iter().any(|i| i == id))
            .await
            .unwrap();
        assert_eq!((again.records.len(), again.present), (0, 2));
        assert_eq!(target.holdings().await.unwrap().total(), held.total());

        for (archive, name) in [(source, from), (target, to)] {
            archive.close();
            Archive::delete(&name).await.unwrap();
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn nothing_kept_nothing_exported() {
    crate::common::with_indexed_db(async {
        let name = fresh_name("nothing");
        let archive = Archive::open(&name).await.unwrap();
        let mut not_kept = done("t-x", "Not kept", 1, Vec::new());
        not_kept.kept = Kept::No;
        let refused = export::export(&archive, &[not_kept], Vec::new(), T0).await;
        assert_eq!(refused.err(), Some(ExportError::NothingKept));
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_hostile_file_changes_nothing() {
    crate::common::with_indexed_db(async {
    let (from, to) = (fresh_name("hostile-from"), fresh_name("hostile-to"));
    let source = Archive::open(&from).await.unwrap();
    let records = two_kept_edits(&source).await;
    let exported = bytes_of(&export::export(&source, &records, Vec::new(), T0).await.unwrap().file).await;
    let target = Archive::open(&to).await.unwrap();

    let not_a_zip = blob_of(&png(1), "image/png");
    assert_eq!(
        import_into(&target, &not_a_zip, &|_| false).await.err(),
        Some(Refused::Zip(Refusal::NotAZip))
    );
    // Cut before its directory's end: the end record is gone.
    let cut = blob_of(&exported[..exported.len() - 30], "application/zip");
    assert!(import_into(&target, &cut, &|_| false).await.is_err());
    // One result's bytes changed after export: that task alone is skipped, and named.
    let mut tampered = exported.clone();
    let at = find(&tampered, &jpeg(3)).expect("the second edit's result in the file");
    tampered[at + 100] ^= 0xFF;
    let imported = import_into(&target, &blob_of(&tampered, "application/zip"), &|_| false)
        .await
        .unwrap();
    assert_eq!(
        imported
            .records
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["t-first"]
    );
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].prompt, "把图2的产品放在图1的桌子上");
    assert!(
        matches!(&imported.skipped[0].why, Skip::Mismatch(name) if name == "results/t-second-1.jpeg")
    );
    assert!(!target.holds_task("t-second").await.unwrap());

    for (archive, name) in [(source, from), (target, to)] {
        archive.close();
        Archive::delete(&name).await.unwrap();
    }
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_zip_re_saved_by_a_system_tool_imports() {
    crate::common::with_indexed_db(async {
        let name = fresh_name("rezipped");
        let archive = Archive::open(&name).await.unwrap();
        let file = blob_of(REZIPPED, "application/zip");
        let imported = import_into(&archive, &file, &|_| false).await.unwrap();
        assert_eq!(imported.skipped, []);
        assert_eq!(imported.records.len(), 1);
        assert_eq!(imported.records[0].prompt, "Turn this into a watercolour");
        let result = archive
            .blob(&ImageKey::result("t-rezipped-1", 0))
            .await
            .unwrap()
            .unwrap();
        let bytes = bytes_of(&result).await;
        assert_eq!(bytes.len(), 4 + 14 * 300);
        assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert_eq!(result.type_(), "image/jpeg");
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[wasm_bindgen_test]
async fn an_export_of_many_images_reads_their_records_at_once_and_whole() {
    crate::common::with_indexed_db(async {
        let (from, to) = (fresh_name("many-from"), fresh_name("many-to"));
        let source = Archive::open(&from).await.unwrap();
        // Twelve results: more than are read one record at a time.
        let mut records = Vec::new();
        for task in 0..4u8 {
            let id = format!("t-many-{task}");
            let images = (0..3)
                .map(|n| {
                    (
                        ImageKey::result(&id, n),
                        jpeg(task * 3 + n as u8),
                        "image/jpeg",
                    )
                })
                .collect();
            keep(&source, &id, images).await;
            records.push(done(&id, &format!("Edit {task}"), 3, Vec::new()));
        }
        let exported = export::export(&source, &records, Vec::new(), T0)
            .await
            .unwrap();
        assert_eq!((exported.tasks, exported.left_out), (4, 0));
        let target = Archive::open(&to).await.unwrap();
        let imported = import_into(&target, &exported.file, &|_| false)
            .await
            .unwrap();
        assert_eq!(imported.records.len(), 4);
        for task in 0..4u8 {
            for n in 0..3 {
                let key = ImageKey::result(&format!("t-many-{task}"), n);
                let stored = target.blob(&key).await.unwrap().expect("imported");
                assert_eq!(bytes_of(&stored).await, jpeg(task * 3 + n as u8), "{key}");
            }
        }
        for (archive, name) in [(source, from), (target, to)] {
            archive.close();
            Archive::delete(&name).await.unwrap();
        }
    })
    .await;
}
