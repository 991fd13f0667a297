use super::*;

/// Image 2 (0-based 1) moved before Image 1: 1 ↔ 2, the rest stay.
const SWAP: ListEdit = ListEdit::Moved { from: 1, to: 0 };

fn rewritten(prompt: &str, count: usize, edit: ListEdit) -> String {
    match follow(prompt, count, edit) {
        Some(Followed::Rewritten { text, .. }) => text,
        other => panic!("{prompt:?}: expected a rewrite, got {other:?}"),
    }
}

#[test]
fn every_english_form_follows_its_image() {
    // (as written, after Image 2 moved before Image 1)
    let table = [
        ("Image 2", "Image 1"),
        ("image 2", "image 1"),
        ("IMAGE 2", "IMAGE 1"),
        ("image #2", "image #1"),
        ("img 2", "img 1"),
        ("pic 2", "pic 1"),
        ("picture 2", "picture 1"),
        ("photo 2", "photo 1"),
        ("the second image", "the first image"),
        ("the 2nd image", "the 1st image"),
        ("The Second image", "The First image"),
        ("Image2", "Image1"),
    ];
    for (before, after) in table {
        assert_eq!(rewritten(before, 2, SWAP), after, "{before}");
    }
    assert_eq!(
        rewritten("put the hat from Image 2 on the person in image 1", 2, SWAP),
        "put the hat from Image 1 on the person in image 2"
    );
}

#[test]
fn every_chinese_form_follows_its_image() {
    let table = [
        ("图2", "图1"),
        ("图 2", "图 1"),
        ("图片2", "图片1"),
        ("第2张图", "第1张图"),
        ("第二张图", "第一张图"),
        ("第2张图片", "第1张图片"),
        ("图二", "图一"),
    ];
    for (before, after) in table {
        assert_eq!(rewritten(before, 2, SWAP), after, "{before}");
    }
    assert_eq!(
        rewritten("把图2里的帽子戴到图1的人头上", 2, SWAP),
        "把图1里的帽子戴到图2的人头上"
    );
    // Beyond ten, as Chinese writes it.
    let last_first = ListEdit::Moved { from: 13, to: 0 };
    assert_eq!(
        rewritten("第十四张图和图十", 14, last_first),
        "第一张图和图十一"
    );
}

#[test]
fn other_numbers_never_change() {
    for prompt in [
        "2 cats on a sofa",
        "make it 2048 pixels wide",
        "in 2K please",
        "保留2只猫",
        "a second time, slowly",
        "images 2 and 3",
        "Image 20 is not one of them",
        "图2048",
        "the 2nd floor",
        "subimage 2",
    ] {
        assert_eq!(follow(prompt, 3, SWAP), None, "{prompt}");
    }
}

#[test]
fn moves_shift_the_images_between() {
    // Image 1 moved to the end of three: 2 → 1, 3 → 2, 1 → 3.
    let edit = ListEdit::Moved { from: 0, to: 2 };
    assert_eq!(
        rewritten("Image 1, Image 2, Image 3, 图1", 3, edit),
        "Image 3, Image 1, Image 2, 图3"
    );
    // Image 3 moved first: 3 → 1, 1 → 2, 2 → 3.
    let edit = ListEdit::Moved { from: 2, to: 0 };
    assert_eq!(
        rewritten("the third image over the first image", 3, edit),
        "the first image over the second image"
    );
    // A move that leaves this reference where it was changes nothing.
    assert_eq!(follow("only Image 3", 3, SWAP), None);
}

#[test]
fn a_removed_images_references_are_marked_and_the_rest_move_up() {
    let edit = ListEdit::Removed { index: 1 };
    assert_eq!(
        follow(
            "Image 1 with the hat of Image 2 and the sky of image 3",
            3,
            edit
        ),
        Some(Followed::Rewritten {
            text: "Image 1 with the hat of Image ? and the sky of image 2".to_owned(),
            moved: 1,
            orphaned: 1,
        })
    );
    assert_eq!(
        rewritten("把图2的帽子给第三张图", 3, edit),
        "把图?的帽子给第二张图"
    );
    assert_eq!(rewritten("the second image", 3, edit), "the ? image");
}

#[test]
fn mixed_languages_in_one_instruction() {
    assert_eq!(
        rewritten("Image 2 的背景换成图1的", 2, SWAP),
        "Image 1 的背景换成图2的"
    );
    assert_eq!(
        rewritten("把Image 2放到image 1上", 2, SWAP),
        "把Image 1放到image 2上"
    );
}

#[test]
fn a_rewrite_past_the_limit_is_not_made() {
    // Ten references to Image 9 (of 10) become Image 10: ten characters more.
    let edit = ListEdit::Moved { from: 8, to: 9 };
    let prompt = format!("{}{}", "x".repeat(590 - 70), " Image 9".repeat(10));
    assert!(prompt.chars().count() <= PROMPT_MAX_CHARS);
    assert_eq!(
        follow(&prompt, 10, edit),
        Some(Followed::TooLong {
            chars: prompt.chars().count() + 10
        })
    );
}

#[test]
fn new_positions_after_each_edit() {
    let moved = ListEdit::Moved { from: 1, to: 3 };
    let after: Vec<Option<usize>> = (0..5).map(|i| moved.new_position(i)).collect();
    assert_eq!(after, [Some(0), Some(3), Some(1), Some(2), Some(4)]);
    let removed = ListEdit::Removed { index: 2 };
    let after: Vec<Option<usize>> = (0..4).map(|i| removed.new_position(i)).collect();
    assert_eq!(after, [Some(0), Some(1), None, Some(2)]);
}
