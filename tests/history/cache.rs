//! This session's input images and what "Edit again" restores from them.

use seedream_studio::media::Source;

use super::*;

#[wasm_bindgen_test]
fn input_cache_restores_local_images_this_session() {
    inputs::forget_all();
    let request = EditRequest::new(
        "Swap image 1 and image 2",
        vec![
            crate::common::local_png(crate::common::ONE_PIXEL_PNG, "a.png"),
            Source::Url("https://img.example.com/b.png".to_owned()),
        ],
    );
    let mut record = TaskRecord::from_request(&request, T0);
    record.max_images = 4;

    // After a reload: URL inputs only, and the local file is named.
    let again = EditAgain::from_record(&record);
    assert_eq!(
        again.images,
        [Source::Url("https://img.example.com/b.png".to_owned())]
    );
    assert_eq!(again.missing, [1]);
    assert!(
        again
            .notice(Locale::en)
            .is_some_and(|n| n.starts_with("Image 1 was a local file"))
    );
    assert_eq!(
        (again.prompt.as_str(), again.size.as_str()),
        ("Swap image 1 and image 2", "2048x2048")
    );
    assert_eq!(again.max_images, 4);

    // In the same session: everything, the local file included (its handle).
    inputs::remember(&record.id, request.image.clone());
    let again = EditAgain::from_record(&record);
    assert_eq!(again.images, request.image);
    assert!(again.missing.is_empty() && again.notice(Locale::en).is_none());

    // A cached set that does not match the record is not trusted.
    let odd = EditAgain::with_cached(
        &record,
        Some(&[Source::Url("https://x.example/1.png".to_owned())]),
    );
    assert_eq!(odd.missing, [1]);

    inputs::forget(&record.id);
    assert!(inputs::recall(&record.id).is_none());
}

/// A local image claiming `bytes` bytes (the budget counts what the image says).
fn local(bytes: u64) -> Source {
    crate::common::local_claiming(crate::common::ONE_PIXEL_PNG, "x.png", bytes)
}

#[wasm_bindgen_test]
fn input_cache_stays_within_its_budget() {
    let mut cache = InputCache::with_budget(100);
    cache.remember("a", vec![local(40)]);
    cache.remember(
        "b",
        vec![local(40), Source::Url("https://e.example/a.png".into())],
    );
    assert_eq!(cache.bytes(), 80, "addresses cost nothing");
    cache.remember("c", vec![local(30)]);
    assert!(cache.recall("a").is_none(), "the oldest goes first");
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.bytes(), 70);
    cache.remember("huge", vec![local(101)]);
    assert!(cache.recall("huge").is_none());
    cache.remember("b", vec![local(10)]);
    assert_eq!(cache.bytes(), 40, "replacing an entry frees its old size");
    cache.clear();
    assert!(cache.is_empty() && cache.bytes() == 0);
}
