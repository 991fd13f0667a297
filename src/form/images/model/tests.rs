//! The list's order rules and its limit, natively: nothing here needs a browser.
//! (Size words for local files need a browser's `Blob`: `tests/browser/images.rs`.)

use seedream_contract::MAX_IMAGES;
use seedream_contract::image::ImageFormat;

use super::*;

fn image(id: u32) -> InputImage {
    InputImage {
        id,
        source: Source::Url(format!("https://example.com/{id}.png")),
        name: format!("{id}.png"),
        format: Some(ImageFormat::Png),
        width: None,
        height: None,
        unreadable: false,
        from: None,
    }
}

fn ids(list: &[InputImage]) -> Vec<u32> {
    list.iter().map(|image| image.id).collect()
}

#[test]
fn removes_and_moves_keep_order() {
    let mut list: Vec<InputImage> = (1..=4).map(image).collect();
    assert_eq!(remove(&mut list, 2).map(|i| i.id), Some(2));
    assert_eq!(remove(&mut list, 2), None, "unknown ids change nothing");
    assert_eq!(ids(&list), [1, 3, 4]);
    assert!(!move_up(&mut list, 0), "the first cannot move earlier");
    assert!(!move_down(&mut list, 2), "the last cannot move later");
    assert!(move_up(&mut list, 2));
    assert_eq!(ids(&list), [1, 4, 3]);
    assert!(move_down(&mut list, 0));
    assert_eq!(ids(&list), [4, 1, 3]);
    assert!(move_to(&mut list, 0, 2));
    assert_eq!(ids(&list), [1, 3, 4]);
    assert!(!move_to(&mut list, 1, 1) && !move_to(&mut list, 0, 3));
    assert!(!move_to(&mut list, 7, 0) && !move_up(&mut list, usize::MAX));
    assert_eq!(position(&list, 4), Some(2));
    assert_eq!(sources(&list)[0].url(), Some("https://example.com/1.png"));
}

#[test]
fn adds_up_to_the_limit_then_refuses_naming_it() {
    let mut list = Vec::new();
    for id in 0..MAX_IMAGES as u32 {
        assert!(add(&mut list, image(id), MAX_IMAGES).is_ok());
    }
    let Refused {
        image: refused,
        problem,
    } = add(&mut list, image(99), MAX_IMAGES).expect_err("the 15th is refused");
    assert_eq!(refused.id, 99, "the refused image comes back to be revoked");
    assert_eq!(list.len(), MAX_IMAGES);
    assert_eq!(
        problem.describe(Locale::en),
        "99.png was not added: an edit takes at most 14 images."
    );
    assert!(!has_room(MAX_IMAGES) && has_room(MAX_IMAGES - 1));
    // A batch's lists have their own limits, and say so.
    let mut shared: Vec<InputImage> = (0..13).map(image).collect();
    let Refused { problem, .. } = add(&mut shared, image(98), 13).expect_err("full");
    assert_eq!(
        problem.describe(Locale::en),
        "98.png was not added: this list takes at most 13 images."
    );
}
