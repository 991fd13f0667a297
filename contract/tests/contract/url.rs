//! The http(s) URL check used for inputs and for every URL the network returns.

use seedream_contract::url::{MAX_URL_BYTES, Scheme};
use seedream_contract::{UrlError, is_http_url, parse_http_url};

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn accepts_plain_http_and_https() {
    for url in [
        "http://example.com",
        "https://example.com/",
        "https://example.com/a/b.jpg?x=1&y=2#frag",
        "HTTPS://EXAMPLE.COM/IMG.PNG",
        "HtTp://example.com",
        "http://localhost:8080/x",
        "http://127.0.0.1/x",
        "http://[::1]:3000/img",
        "http://[2001:db8::1]/",
        "https://例子.测试/图片.png",
        "https://example.com./x",
        "https://cdn.example.com/a%20b.jpg",
        "https://my_bucket.s3.amazonaws.com/k?X-Amz-Signature=abc%2F",
        "https://example.com?q",
        "https://example.com#top",
    ] {
        assert!(
            is_http_url(url),
            "{url} should be accepted: {:?}",
            parse_http_url(url)
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn parts_are_exposed() {
    let url = parse_http_url("HTTPS://Example.com:8443/a?b").expect("valid");
    assert_eq!(url.scheme(), Scheme::Https);
    assert_eq!(url.host(), "Example.com");
    assert_eq!(url.port(), Some(8443));
    assert_eq!(url.as_str(), "HTTPS://Example.com:8443/a?b");
    let url = parse_http_url("http://[::1]/").expect("valid");
    assert_eq!(url.host(), "[::1]");
    assert_eq!(url.port(), None);
    assert_eq!(url.scheme(), Scheme::Http);
}

fn err(url: &str) -> UrlError {
    parse_http_url(url).expect_err(url)
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_other_schemes() {
    for (url, scheme) in [
        ("ftp://example.com/a.jpg", "ftp"),
        ("javascript:alert(1)", "javascript"),
        ("JavaScript:alert(document.cookie)", "JavaScript"),
        ("javascript: alert(1)", "javascript"),
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("data:image/png;base64,iVBORw0KGgo=", "data"),
        ("file:///etc/passwd", "file"),
        ("blob:https://example.com/uuid", "blob"),
        ("mailto:a@example.com", "mailto"),
        ("httpx://example.com", "httpx"),
    ] {
        assert_eq!(
            err(url),
            UrlError::UnsupportedScheme {
                scheme: scheme.to_owned()
            },
            "{url}"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_missing_scheme_or_host() {
    assert_eq!(err(""), UrlError::Empty);
    assert_eq!(err("example.com/a.jpg"), UrlError::MissingScheme);
    assert_eq!(err("//example.com/a.jpg"), UrlError::MissingScheme);
    assert_eq!(err("/relative/path.png"), UrlError::MissingScheme);
    assert_eq!(err("1http://x.com"), UrlError::MissingScheme);
    assert_eq!(err("http:example.com"), UrlError::MissingHost);
    assert_eq!(err("http:/example.com"), UrlError::MissingHost);
    assert_eq!(err("http://"), UrlError::MissingHost);
    assert_eq!(err("https:///path"), UrlError::MissingHost);
    assert_eq!(err("https://?q"), UrlError::MissingHost);
    assert_eq!(err("https://:80/"), UrlError::MissingHost);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_userinfo() {
    assert_eq!(err("https://user:pass@example.com/"), UrlError::UserInfo);
    assert_eq!(err("https://good.com@evil.com/"), UrlError::UserInfo);
    assert_eq!(err("https://@example.com/"), UrlError::UserInfo);
    // An @ after the host (in the path) is fine.
    assert!(is_http_url("https://example.com/@user/pic.jpg"));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_whitespace_controls_and_disguises() {
    for (url, ch) in [
        (" https://example.com", ' '),
        ("https://example.com ", ' '),
        ("https://exa mple.com", ' '),
        ("https://example.com/a b.jpg", ' '),
        ("https://example.com/\n", '\n'),
        ("https://example.com/\t", '\t'),
        ("https://example.com/\u{0}", '\u{0}'),
        ("https://example.com/\u{7f}", '\u{7f}'),
        ("https://example.com/\u{202E}gnp.exe", '\u{202E}'),
        ("https://exam\u{200B}ple.com", '\u{200B}'),
        ("https://example.com/\u{FEFF}", '\u{FEFF}'),
        ("https://example.com\\@evil.com", '\\'),
        ("https://example.com/\"onerror=\"x", '"'),
        ("https://example.com/<script>", '<'),
        ("https://example.com/`x`", '`'),
        ("https://example.com/\u{3000}", '\u{3000}'),
    ] {
        assert_eq!(err(url), UrlError::ForbiddenCharacter { ch }, "{url:?}");
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn refuses_bad_ports_and_hosts() {
    assert_eq!(err("http://example.com:"), UrlError::BadPort);
    assert_eq!(err("http://example.com:65536/"), UrlError::BadPort);
    assert_eq!(err("http://example.com:999999/"), UrlError::BadPort);
    assert_eq!(err("http://example.com:8a/"), UrlError::BadPort);
    assert_eq!(err("http://example.com:-1/"), UrlError::BadPort);
    assert_eq!(err("http://example.com:80:80/"), UrlError::BadPort);
    assert!(is_http_url("http://example.com:65535/"));
    assert!(is_http_url("http://example.com:0/"));
    assert_eq!(err("http://a..com/"), UrlError::BadHost);
    assert_eq!(err("http://.com/"), UrlError::BadHost);
    assert_eq!(err("http://a%2e.com/"), UrlError::BadHost);
    assert_eq!(err("http://exa!mple.com/"), UrlError::BadHost);
    assert_eq!(err("http://[zz::1]/"), UrlError::BadHost);
    assert_eq!(err("http://[]/"), UrlError::BadHost);
    assert_eq!(err("http://[::1/"), UrlError::BadHost);
    assert_eq!(err("http://[::1]x/"), UrlError::BadHost);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn length_cap() {
    assert_eq!(MAX_URL_BYTES, 8192);
    let base = "https://example.com/";
    let exact = format!("{base}{}", "a".repeat(MAX_URL_BYTES - base.len()));
    assert!(is_http_url(&exact));
    let over = format!("{exact}a");
    assert_eq!(err(&over), UrlError::TooLong { len: 8193 });
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn messages_are_actionable() {
    assert_eq!(
        UrlError::UserInfo.to_string(),
        "The address contains a user name or password before '@'; remove that part."
    );
    assert_eq!(
        err("ftp://x.com").to_string(),
        "The address uses the ftp: scheme; only http:// and https:// are allowed."
    );
    assert!(err("https://a b").to_string().contains("U+0020"));
    assert_eq!(
        UrlError::TooLong { len: 9000 }.to_string(),
        "The address is 9,000 bytes long; the limit is 8,192 bytes."
    );
}
