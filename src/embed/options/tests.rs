//! The options' precedence and checks, natively: nothing here needs a browser.
//! (The messages that write numbers, which use the browser's `Intl`, are tested in
//! `tests/browser/embed.rs`.)

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

#[test]
fn invalid_options_are_named_with_the_reason_and_the_default_kept() {
    // (A size's problem writes its numbers through the browser's `Intl`: that one is
    // a browser test, `tests/browser/embed.rs`.)
    let (options, problems) = resolve(
        1,
        [
            (Source::Attribute, "format", "gif"),
            (Source::Attribute, "max-images", "40"),
            (Source::Attribute, "allowed-origins", "*"),
            (Source::ConfigFile, "api-base", "ftp://files.example"),
            (Source::ConfigFile, "colour", "red"),
            (Source::Attribute, "storage-key", "a b"),
        ],
    );
    let defaults = Options::defaults(1);
    assert_eq!(options, defaults, "every invalid value falls back");
    assert_eq!(defaults.storage_key, "instance-2");
    let shown: Vec<String> = problems.iter().map(|p| p.describe(Locale::en)).collect();
    let kept = defaults.form.max_images;
    let options_list = ALL_OPTIONS.join(", ");
    assert_eq!(
        shown,
        [
            "data-format: “gif” is not jpeg or png; using jpeg.".to_owned(),
            format!("data-max-images: 40 is outside 1 to 15; using {kept}."),
            "data-allowed-origins: “*” is not allowed: list each origin, such as \
             https://portal.example."
                .to_owned(),
            "\"api-base\" in the configuration file: The API address uses the ftp: scheme; only \
             http:// and https:// are allowed. Leave it empty to use the server this page came \
             from. Using this page's server."
                .to_owned(),
            format!(
                "\"colour\" in the configuration file: not an option of Seedream Studio; the \
                 options are {options_list}."
            ),
            format!(
                "data-storage-key: use 1 to {MAX_STORAGE_KEY} letters, digits, - or _; using \
                 “instance-2”."
            ),
        ]
    );
    // The names stay as written; the words around them follow the language.
    assert_eq!(
        problems[0].describe(Locale::zh_CN),
        "data-format：「gif」不是 jpeg 或 png；将使用 jpeg。"
    );
    assert_eq!(
        problems[3].describe(Locale::zh_CN),
        "配置文件中的 \"api-base\"：“API 地址”使用了 ftp: 协议，只允许 http:// 和 https://。\
         留空即可使用本页面所在的服务器。将使用本页面所在的服务器。"
    );
}

#[test]
fn each_instance_keeps_its_storage_apart() {
    assert_eq!(
        Options::defaults(0).storage_name("history.v1"),
        "seedream-studio.history.v1"
    );
    assert_eq!(
        Options::defaults(1).storage_name("history.v1"),
        "seedream-studio.instance-2.history.v1"
    );
}

#[test]
fn a_price_comes_from_the_page_never_from_a_link() {
    let (options, problems) = resolve(
        0,
        [
            (Source::Query, "price-per-image", "0"),
            (Source::ConfigFile, "price-per-image", "0.035"),
            (Source::Attribute, "currency", "usd"),
        ],
    );
    assert_eq!(options.price_per_image, Some(0.035));
    for (text, price) in [("12", 12.0), ("0.5", 0.5), (".25", 0.25), ("3.", 3.0)] {
        let (options, _) = resolve(0, [(Source::Attribute, "price-per-image", text)]);
        assert_eq!(options.price_per_image, Some(price), "{text}");
    }
    assert_eq!(options.currency.as_deref(), Some("USD"));
    assert_eq!(
        problems,
        [OptionProblem {
            option: Setting::Option {
                source: Source::Query,
                name: "price-per-image".to_owned()
            },
            reason: Reason::NotFromQuery,
        }]
    );
    for (name, value, reason) in [
        (
            "price-per-image",
            "-1",
            Reason::Price { value: "-1".into() },
        ),
        (
            "price-per-image",
            "NaN",
            Reason::Price {
                value: "NaN".into(),
            },
        ),
        (
            "price-per-image",
            "5000",
            Reason::Price {
                value: "5000".into(),
            },
        ),
        (
            "currency",
            "dollars",
            Reason::Currency {
                value: "dollars".into(),
            },
        ),
    ] {
        let (options, problems) = resolve(0, [(Source::Attribute, name, value)]);
        assert_eq!(problems[0].reason, reason, "{name}={value}");
        assert_eq!((options.price_per_image, options.currency), (None, None));
    }
}
