//! The connection settings, natively: which addresses and keys are accepted, the
//! URLs built from them, and a key that never shows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

#[test]
fn config_validation_accepts_origins_and_refuses_the_rest() {
    for base in [
        "",
        "http://127.0.0.1:8080",
        "https://api.modellix.ai/",
        "https://portal.example/seedream",
    ] {
        assert_eq!(ApiConfig::new(base, None).validate(), Ok(()), "{base}");
    }
    for (base, expected) in [
        (
            "api.modellix.ai",
            ConfigError::Base(UrlError::MissingScheme),
        ),
        (
            "ftp://x.example",
            ConfigError::Base(UrlError::UnsupportedScheme {
                scheme: "ftp".to_owned(),
            }),
        ),
        (
            "javascript:alert(1)",
            ConfigError::Base(UrlError::UnsupportedScheme {
                scheme: "javascript".to_owned(),
            }),
        ),
        (
            "https://u:p@x.example",
            ConfigError::Base(UrlError::UserInfo),
        ),
        ("https://x.example/?a=1", ConfigError::BaseQueryOrFragment),
        ("https://x.example#top", ConfigError::BaseQueryOrFragment),
        (
            "https://exa mple.com",
            ConfigError::Base(UrlError::ForbiddenCharacter { ch: ' ' }),
        ),
    ] {
        assert_eq!(
            ApiConfig::new(base, None).validate(),
            Err(expected),
            "{base}"
        );
    }
    // Each refusal says what is wrong and what to do (Chinese: `messages/tests.rs`).
    assert_eq!(
        ConfigError::Base(UrlError::UnsupportedScheme {
            scheme: "ftp".to_owned()
        })
        .describe(Locale::en),
        "The API address uses the ftp: scheme; only http:// and https:// are allowed. \
         Leave it empty to use the server this page came from."
    );
    for key in ["abc def", "abc\ndef", "clé"] {
        let config = ApiConfig::new("", Some(key));
        assert_eq!(config.validate(), Err(ConfigError::Key), "{key:?}");
    }
    // The message names what is wrong with the key, never the key.
    assert_eq!(
        ConfigError::Key.to_string(),
        "The API key contains spaces, line breaks or other characters a key never has; \
         paste it again without extra text."
    );
}

#[test]
fn urls_are_built_from_the_base_without_the_key() {
    let config = ApiConfig::new(" https://proxy.example/// ", Some(" sk-secret-123 "));
    assert_eq!(
        config.submit_url().as_deref(),
        Ok("https://proxy.example/api/v1/bytedance/seedream-5.0-lite-edit/async")
    );
    assert_eq!(
        config.task_url("task-abc123").as_deref(),
        Ok("https://proxy.example/api/v1/tasks/task-abc123")
    );
    assert_eq!(
        config.task_url("a/../b").as_deref(),
        Ok("https://proxy.example/api/v1/tasks/a%2F%2E%2E%2Fb")
    );
    assert_eq!(
        config.authorization_header().as_deref(),
        Some("Bearer sk-secret-123")
    );
    let same = ApiConfig::same_origin();
    assert_eq!(
        same.submit_url().as_deref(),
        Ok("/api/v1/bytedance/seedream-5.0-lite-edit/async")
    );
    assert_eq!(same.task_url("t-1").as_deref(), Ok("/api/v1/tasks/t-1"));
    assert_eq!(same.authorization_header(), None);
    let blank = ApiConfig {
        base: String::new(),
        key: Some("   ".into()),
    };
    assert_eq!(blank.authorization_header(), None);
    assert_eq!(ApiConfig::new("", Some("  ")).key, None);
    assert!(ApiConfig::new("ftp://x", None).submit_url().is_err());
}

#[test]
fn debug_redacts_the_key() {
    let config = ApiConfig::new("https://proxy.example", Some("sk-secret-123"));
    assert_eq!(
        format!("{config:?}"),
        r#"ApiConfig { base: "https://proxy.example", key: <redacted> }"#
    );
    assert!(!format!("{config:#?}").contains("sk-secret-123"));
    assert_eq!(
        format!("{:?}", ApiConfig::same_origin()),
        r#"ApiConfig { base: "", key: none }"#
    );
}
