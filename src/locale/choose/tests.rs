//! Which language an instance starts in, natively: from tags and the order of
//! preference. (The switch itself, and its memory, are browser tests.)

use super::*;

#[test]
fn tags_and_the_starting_language() {
    for tag in ["zh", "zh-CN", "zh-Hans", "zh_SG", "ZH-tw", "chinese"] {
        assert_eq!(from_tag(tag), Some(Locale::zh_CN), "{tag}");
    }
    for tag in ["en", "en-US", "en-GB", "English"] {
        assert_eq!(from_tag(tag), Some(Locale::en), "{tag}");
    }
    for tag in ["", "fr", "de-DE", "zhx"] {
        assert_eq!(from_tag(tag), None, "{tag}");
    }
    assert_eq!((tag(Locale::en), tag(Locale::zh_CN)), ("en", "zh-CN"));
    let browser = |tags: &[&str]| tags.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    // The browser's first language the interface has, else English.
    assert_eq!(
        initial(None, None, &browser(&["fr", "zh-CN", "en"])),
        Locale::zh_CN
    );
    assert_eq!(initial(None, None, &browser(&["fr", "de"])), Locale::en);
    assert_eq!(initial(None, None, &[]), Locale::en);
    // The page's choice over the browser's; the user's remembered one over both.
    assert_eq!(
        initial(None, Some(Locale::en), &browser(&["zh-CN"])),
        Locale::en
    );
    assert_eq!(
        initial(Some(Locale::zh_CN), Some(Locale::en), &browser(&["en"])),
        Locale::zh_CN
    );
}
