//! The options' precedence and checks, natively: nothing here needs a browser.
//! (The messages that write numbers, which use the browser's `Intl`, are tested in
//! `tests/embed.rs`.)

use seedream_contract::{OutputFormat, SequentialMode};

use super::*;
use crate::form::SizeChoice;
use crate::i18n::Locale;

#[test]
fn attributes_win_over_the_file_which_wins_over_the_query() {
    let (options, problems) = resolve(
        0,
        [
            (Source::Query, "format", "png"),
            (Source::Query, "size", "3072x3072"),
            (Source::ConfigFile, "size", "2048x2048"),
            (Source::ConfigFile, "max-images", "4"),
            (Source::Attribute, "max-images", "6"),
            (Source::Attribute, "show-key", "false"),
            (Source::Attribute, "api-base-locked", ""),
            (Source::Attribute, "language", "zh"),
        ],
    );
    assert_eq!(problems, []);
    assert_eq!(
        options.form.format,
        OutputFormat::Png,
        "the query sets what nothing else does"
    );
    assert_eq!(
        options.form.size,
        SizeChoice::Preset("2048x2048".parse().expect("a size"))
    );
    assert_eq!(options.form.max_images, 6);
    assert!(!options.show_key);
    assert!(options.api_base_locked, "a bare attribute means yes");
    assert_eq!(options.language, Some(Locale::zh_CN));
    assert_eq!(
        options.form.sequential,
        SequentialMode::Disabled,
        "untouched defaults stay"
    );
}

#[test]
fn the_query_cannot_set_what_a_link_could_abuse() {
    let link = [
        ("api-base", "https://evil.example"),
        ("allowed-origins", "https://evil.example"),
        ("show-key", "false"),
    ];
    let (options, problems) = resolve(0, link.map(|(name, value)| (Source::Query, name, value)));
    assert_eq!(options, Options::defaults(0));
    let named: Vec<String> = problems
        .iter()
        .map(|p| p.option.describe(Locale::en))
        .collect();
    assert_eq!(
        named,
        [
            "?api-base in the address",
            "?allowed-origins in the address",
            "?show-key in the address"
        ]
    );
    assert!(
        problems[0]
            .reason
            .describe(Locale::en)
            .contains("cannot be set from the address")
    );
}

#[test]
fn allowed_origins_must_be_exact_origins() {
    let (options, problems) = resolve(
        0,
        [(
            Source::Attribute,
            "allowed-origins",
            "https://Portal.example:8443 http://127.0.0.1:9000/",
        )],
    );
    assert_eq!(problems, []);
    assert_eq!(
        options.allowed_origins,
        ["https://portal.example:8443", "http://127.0.0.1:9000"]
    );
    let (_, problems) = resolve(
        0,
        [(
            Source::Attribute,
            "allowed-origins",
            "https://portal.example/app",
        )],
    );
    let reason = problems[0].reason.describe(Locale::en);
    assert!(reason.contains("not an origin"), "{reason}");
}
