//! A host's configuration file, natively: one JSON object of plain values.

use super::*;
use crate::i18n::Locale;

#[test]
fn a_configuration_file_is_one_object_of_plain_values() {
    let entries = parse_config(
        r#"{"api-base": "https://proxy.example", "show-key": false, "max-images": 3,
            "allowed-origins": ["https://a.example", "https://b.example"]}"#,
    )
    .expect("a valid file");
    assert_eq!(
        entries,
        [
            (
                "allowed-origins".to_owned(),
                "https://a.example https://b.example".to_owned()
            ),
            ("api-base".to_owned(), "https://proxy.example".to_owned()),
            ("max-images".to_owned(), "3".to_owned()),
            ("show-key".to_owned(), "false".to_owned()),
        ]
    );
    let broken = parse_config("{nope").expect_err("not JSON");
    assert_eq!(broken, Reason::FileNotJson { line: 1, column: 2 });
    assert_eq!(
        broken.describe(Locale::en),
        "is not valid JSON (line 1, column 2); its options are ignored."
    );
    let list = parse_config("[1]").expect_err("not an object");
    assert_eq!(list, Reason::FileNotObject);
    assert_eq!(
        list.describe(Locale::en),
        r#"must be one JSON object, like {"size": "2048x2048"}; it is ignored."#
    );
}
