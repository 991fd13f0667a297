//! The archive in a real browser's IndexedDB: each test opens a database of its own
//! name and deletes it at its end.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use seedream_studio::archive::budget::DoesNotFit;
use seedream_studio::archive::checksum::{self, CHUNK_BYTES, Checksum};
use seedream_studio::archive::db::ImageToKeep;
use seedream_studio::archive::keep::{self, ResultRoute, Source};
use seedream_studio::archive::{Archive, ArchiveError, ImageKey, NotKept};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Blob, BlobPropertyBag};

/// A PNG-typed blob of `len` bytes, each `fill`.
fn blob(len: usize, fill: u8) -> Blob {
    let bytes = Uint8Array::from(vec![fill; len].as_slice());
    let options = BlobPropertyBag::new();
    options.set_type("image/png");
    Blob::new_with_u8_array_sequence_and_options(&Array::of1(&bytes), &options).unwrap()
}

/// A budget of `bytes`, what the archive holds counted from the archive itself.
fn counted(bytes: u64) -> keep::Budget {
    keep::Budget { bytes, held: None }
}

/// A database name no other test uses.
fn fresh_name(test: &str) -> String {
    format!("seedream-studio.test.{test}.{}", js_sys::Math::random())
}

async fn read(blob: &Blob) -> Vec<u8> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    Uint8Array::new(&buffer).to_vec()
}

fn input(sha: char) -> ImageKey {
    ImageKey::Input {
        sha256: sha.to_string().repeat(64),
    }
}

async fn image(key: ImageKey, blob: Blob) -> ImageToKeep {
    ImageToKeep {
        checksum: checksum::of_blob(&blob).await.unwrap(),
        key,
        blob: blob.into(),
        content_type: "image/png".to_owned(),
    }
}

#[wasm_bindgen_test]
async fn a_kept_blob_reads_back_with_its_size_and_crc() {
    crate::common::with_indexed_db(async {
        let name = fresh_name("put");
        let archive = Archive::open(&name).await.unwrap();
        // Over two chunks, so the checksum reads in steps.
        let len = CHUNK_BYTES as usize * 2 + 17;
        let key = ImageKey::result("t1", 0);
        archive
            .put_task("t1", 1.0, &[image(key.clone(), blob(len, 7)).await])
            .await
            .unwrap();
        let stored = archive.blob(&key).await.unwrap().expect("the blob is kept");
        assert_eq!(read(&stored).await, vec![7u8; len]);
        let expected = Checksum {
            bytes: len as u64,
            crc32: crc32fast::hash(&vec![7u8; len]),
        };
        assert_eq!(archive.checksum(&key).await.unwrap(), Some(expected));
        assert!(archive.holds_task("t1").await.unwrap());
        assert!(!archive.holds_task("t2").await.unwrap());
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_shared_input_is_stored_once_and_freed_with_its_last_user() {
    crate::common::with_indexed_db(async {
        let name = fresh_name("shared");
        let archive = Archive::open(&name).await.unwrap();
        let cat = input('a');
        for task in ["t1", "t2"] {
            archive
                .put_task(task, 1.0, &[image(cat.clone(), blob(100, 1)).await])
                .await
                .unwrap();
        }
        let holdings = archive.holdings().await.unwrap();
        assert_eq!(holdings.total(), 100, "one copy for two tasks");
        assert_eq!(holdings.tasks.len(), 2);
        archive.remove_tasks(&["t1".to_owned()]).await.unwrap();
        assert!(archive.holds(&cat).await.unwrap(), "t2 still uses it");
        archive.remove_tasks(&["t2".to_owned()]).await.unwrap();
        assert!(!archive.holds(&cat).await.unwrap());
        assert_eq!(archive.blob(&cat).await.unwrap(), None);
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_write_refused_half_way_leaves_nothing() {
    crate::common::with_indexed_db(async {
        let name = fresh_name("refused");
        let archive = Archive::open(&name).await.unwrap();
        let first = image(ImageKey::result("t1", 0), blob(10, 1)).await;
        // A value IndexedDB cannot store: the second put throws inside the transaction.
        let mut second = image(ImageKey::result("t1", 1), blob(10, 2)).await;
        second.blob = js_sys::Function::new_no_args("return 1").into();
        let refused = archive.put_task("t1", 1.0, &[first, second]).await;
        assert_eq!(
            refused,
            Err(ArchiveError::Failed("DataCloneError".to_owned()))
        );
        assert!(!archive.holds(&ImageKey::result("t1", 0)).await.unwrap());
        assert!(!archive.holds_task("t1").await.unwrap());
        assert_eq!(archive.holdings().await.unwrap().total(), 0);
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
fn a_quota_error_is_told_apart() {
    let exception =
        web_sys::DomException::new_with_message_and_name("full", "QuotaExceededError").unwrap();
    let error = idb::Error::DomException(exception);
    assert_eq!(ArchiveError::from(error), ArchiveError::QuotaExceeded);
}

#[wasm_bindgen_test]
async fn the_oldest_unpinned_task_makes_room_and_pins_stay() {
    crate::common::with_indexed_db(async {
        let name = fresh_name("budget");
        let archive = Archive::open(&name).await.unwrap();
        for (task, at) in [("old", 1.0), ("pinned", 0.5), ("newer", 2.0)] {
            let key = ImageKey::result(task, 0);
            archive
                .put_task(task, at, &[image(key, blob(40, 1)).await])
                .await
                .unwrap();
        }
        archive.set_pinned("pinned", true).await.unwrap();
        let local = |sha| Source::Input {
            blob: blob(40, 9),
            sha256: String::from(sha).repeat(64),
        };
        // 120 held, 40 more in a budget of 130: the oldest unpinned task goes.
        let kept = keep::keep_task(
            &archive,
            "new",
            vec![local('b')],
            &ResultRoute::Direct,
            counted(130),
            3.0,
            &|_, _| (),
        )
        .await
        .unwrap();
        assert_eq!(kept.removed, vec!["old".to_owned()]);
        assert!(archive.holds_task("pinned").await.unwrap());
        assert!(!archive.holds_task("old").await.unwrap());
        // 120 held again, 200 more: nothing can make room, and nothing is removed.
        let big = Source::Input {
            blob: blob(200, 3),
            sha256: "c".repeat(64),
        };
        let refused = keep::keep_task(
            &archive,
            "huge",
            vec![big],
            &ResultRoute::Direct,
            counted(130),
            4.0,
            &|_, _| (),
        )
        .await;
        assert_eq!(
            refused,
            Err(NotKept::OverBudget(DoesNotFit {
                needed: 200,
                available: 90,
            }))
        );
        assert!(archive.holds_task("newer").await.unwrap());
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_local_files_digest_is_its_sha256() {
    crate::common::with_indexed_db(async {
        let digest = keep::sha256(&blob(3, b'a')).await;
        // SHA-256 of "aaa".
        assert_eq!(
            digest.as_deref(),
            Some("9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0")
        );
    })
    .await;
}

#[wasm_bindgen_test]
fn each_instance_has_its_own_database() {
    assert_ne!(
        Archive::name_for("a.history.v2"),
        Archive::name_for("b.history.v2")
    );
}

/// A JPEG-typed blob of `len` bytes made in JavaScript, so no byte of it passes
/// through wasm memory.
fn js_blob(len: u32, fill: u8) -> Blob {
    let bytes = Uint8Array::new_with_length(len);
    bytes.fill(fill, 0, len);
    let options = BlobPropertyBag::new();
    options.set_type("image/jpeg");
    Blob::new_with_u8_array_sequence_and_options(&Array::of1(&bytes), &options).unwrap()
}

/// The wasm memory's size in bytes (it only ever grows).
fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

#[wasm_bindgen_test]
async fn keeping_ten_tasks_of_four_large_images_leaves_wasm_memory_flat() {
    crate::common::with_indexed_db(async {
        const MB: u32 = 1024 * 1024;
        // About a 2048x2048 JPEG of the mock's.
        const IMAGE: u32 = 3 * MB / 2;
        let name = fresh_name("memory");
        let archive = Archive::open(&name).await.unwrap();
        let keep = |task: String, fill: u8| {
            let archive = archive.clone();
            async move {
                let sources = (0..4u8)
                    .map(|n| Source::Input {
                        blob: js_blob(IMAGE, fill.wrapping_add(n)),
                        sha256: format!("{:02x}", fill.wrapping_add(n)).repeat(32),
                    })
                    .collect();
                keep::keep_task(
                    &archive,
                    &task,
                    sources,
                    &ResultRoute::Direct,
                    counted(u64::MAX),
                    1.0,
                    &|_, _| (),
                )
                .await
                .unwrap();
            }
        };
        // From before the first keep, which sizes what every keep reuses (the 1 MB read
        // buffer, idb's callbacks).
        let before = wasm_memory_bytes();
        for task in 0..10u8 {
            keep(format!("t{task}"), task * 4).await;
        }
        let grown = wasm_memory_bytes() - before;
        wasm_bindgen_test::console_log!(
            "keeping 10 tasks of 4 images of 1.5 MB grew wasm memory by {grown} bytes"
        );
        assert!(
            grown <= f64::from(4 * MB),
            "keeping 10 tasks of 4 images of 1.5 MB grew wasm memory by {grown} bytes"
        );
        assert_eq!(archive.holdings().await.unwrap().tasks.len(), 10);
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn records_older_than_the_list_come_back_newest_first_a_page_at_a_time() {
    crate::common::with_indexed_db(async {
        use seedream_studio::archive::records::ArchivedRecord;
        let name = fresh_name("records");
        let archive = Archive::open(&name).await.unwrap();
        let records: Vec<ArchivedRecord> = (1..=25)
            .map(|n| ArchivedRecord {
                id: format!("t{n}"),
                submitted_at_ms: f64::from(n) * 1000.0,
                json: format!("{{\"n\":{n}}}"),
            })
            .collect();
        archive.put_records(&records).await.unwrap();
        // Written again (a record that changed): replaced, not doubled.
        archive.put_records(&records[..5]).await.unwrap();
        assert_eq!(archive.count_before(20_000.0).await.unwrap(), 19);
        let page = archive.records_before(20_000.0, 10).await.unwrap();
        let ids: Vec<&str> = page.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "t19", "t18", "t17", "t16", "t15", "t14", "t13", "t12", "t11", "t10"
            ]
        );
        assert_eq!(page[0].json, "{\"n\":19}");
        let last = archive.records_before(3_000.0, 10).await.unwrap();
        assert_eq!(last.len(), 2);
        // Removing a task removes its record with its images.
        archive.remove_tasks(&["t19".to_owned()]).await.unwrap();
        assert_eq!(archive.count_before(20_000.0).await.unwrap(), 18);
        archive.close();
        Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn two_tabs_keeping_the_same_result_store_it_once() {
    crate::common::with_indexed_db(async {
    let name = fresh_name("tabs");
    // Two connections, as two tabs hold.
    let (one, two) = (
        Archive::open(&name).await.unwrap(),
        Archive::open(&name).await.unwrap(),
    );
    // A one-pixel PNG, fetched as the app fetches a result.
    let url = format!(
        "data:image/png;base64,{}",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    );
    let sources = || {
        vec![Source::Result {
            index: 0,
            url: url.clone(),
        }]
    };
    // Counted as each download arrives: the result crosses the network once.
    let downloads = Rc::new(Cell::new(0));
    let counting = || {
        let downloads = downloads.clone();
        Rc::new(move |_: &ImageKey, _: &Blob| downloads.set(downloads.get() + 1))
            as Rc<keep::Arrived>
    };
    let (first, second) = futures::future::join(
        keep::keep_task_once(
            &one,
            "t1",
            sources(),
            &ResultRoute::Direct,
            counted(u64::MAX),
            1.0,
            counting(),
        ),
        keep::keep_task_once(
            &two,
            "t1",
            sources(),
            &ResultRoute::Direct,
            counted(u64::MAX),
            2.0,
            counting(),
        ),
    )
    .await;
    assert_eq!(downloads.get(), 1, "the result downloaded once");
    let outcomes = [first.unwrap().already_kept, second.unwrap().already_kept];
    assert_eq!(
        outcomes.iter().filter(|&&already| already).count(),
        1,
        "one tab keeps it, the other finds it kept: {outcomes:?}"
    );
    let holdings = one.holdings().await.unwrap();
    assert_eq!(holdings.tasks.len(), 1);
    assert_eq!(holdings.tasks[0].images, ["result:t1:0"]);
    one.close();
    two.close();
    Archive::delete(&name).await.unwrap();
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_browser_that_refuses_storage_keeps_the_history_and_says_so_once() {
    crate::common::without_others_indexed_db(async {
    use leptos::prelude::*;
    use seedream_studio::api::ApiConfig;
    use seedream_studio::history::{HistoryStore, RecordState, ResultRecord, TaskRecord};
    use seedream_studio::i18n::Locale;
    use seedream_studio::tasks::{TaskList, Tasks, presses};

    crate::common::fresh_storage().await;
    let mut record = TaskRecord::from_request(
        &seedream_contract::EditRequest::new(
            "Keep me",
            vec![seedream_studio::media::Source::Url(
                "https://img.example.com/a.png".into(),
            )],
        ),
        js_sys::Date::now() - 60_000.0,
    );
    record.task_id = Some("task-refused".into());
    let results = vec![ResultRecord {
        url: "http://127.0.0.1:9/r/1.jpeg".into(),
        width: Some(8),
        height: Some(8),
        format: Some("jpeg".into()),
    }];
    record.set_state(
        RecordState::Done {
            results,
            skipped: 0,
        },
        js_sys::Date::now(),
    );
    HistoryStore::new().save(&[record]).unwrap();

    // A page without IndexedDB, as some private windows and embeddings are. The
    // window's own accessor is put back at the end: deleting the stand-in would leave
    // the page without one (a Window's attributes are its own properties).
    let window = web_sys::window().unwrap();
    let original = js_sys::Object::get_own_property_descriptor(&window, &"indexedDB".into());
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &wasm_bindgen::JsValue::NULL).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&window, &"indexedDB".into(), &descriptor);

    let host = crate::common::host();
    let mounted = leptos::mount::mount_to(host.clone(), || {
        seedream_studio::locale::provide(Locale::en);
        let tasks = Tasks::new(Signal::stored(ApiConfig::new("http://127.0.0.1:9", None)));
        view! { <TaskList tasks presses=presses(tasks) on_use_as_input=|_| () on_edit_again=|_| () on_example=|_| () /> }
    });
    let notice = "This browser does not let the studio keep images: results stay links until \
                  they expire, and the history is kept as before.";
    crate::common::until("the one notice that nothing can be kept", || {
        crate::common::texts(&host, "section.tasks > p.hint[role=status]") == [notice]
    })
    .await;
    assert_eq!(
        crate::common::count(&host, "li.task-card"),
        1,
        "the history is all there"
    );
    assert!(
        !crate::common::text(&host, "li.task-card").contains("Not kept"),
        "the card says nothing of its own about it"
    );
    drop(mounted);
    if original.is_undefined() {
        js_sys::Reflect::delete_property(&window, &"indexedDB".into()).unwrap();
    } else {
        js_sys::Object::define_property(&window, &"indexedDB".into(), &original.unchecked_into());
    }
    })
    .await;
}
