//! The list's order rules, natively: nothing here needs a browser. (Labels and size
//! words use the browser's `Intl`, so they are tested in `tests/images.rs`.)

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
