//! Helpers shared by the test modules: cheap data URIs of any decoded size.
#![allow(dead_code)]

use base64::Engine as _;
use seedream_contract::ImageFormat;

/// The magic bytes of each format (what a real file starts with).
pub fn magic(format: ImageFormat) -> Vec<u8> {
    match format {
        ImageFormat::Jpeg => vec![0xFF, 0xD8, 0xFF, 0xE0],
        ImageFormat::Png => vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
        ImageFormat::Webp => b"RIFF\x24\x00\x00\x00WEBPVP8 ".to_vec(),
        ImageFormat::Bmp => b"BM\x36\x00".to_vec(),
        ImageFormat::Tiff => b"II*\x00".to_vec(),
        ImageFormat::Gif => b"GIF89a".to_vec(),
    }
}

/// The canonical subtype for a format.
pub fn subtype(format: ImageFormat) -> &'static str {
    format
        .mime_type()
        .strip_prefix("image/")
        .expect("image mime type")
}

/// Base64 of exactly `decoded_len` bytes starting with `prefix` (then zeros),
/// built by repeating "AAAA" instead of encoding megabytes.
pub fn base64_of_len(prefix: &[u8], decoded_len: usize) -> String {
    let mut head = prefix.to_vec();
    while !head.len().is_multiple_of(3) {
        head.push(0);
    }
    assert!(
        decoded_len >= head.len(),
        "decoded_len too small for prefix"
    );
    let mut out = base64::engine::general_purpose::STANDARD.encode(&head);
    let rest = decoded_len - head.len();
    out.reserve(rest / 3 * 4 + 4);
    for _ in 0..rest / 3 {
        out.push_str("AAAA");
    }
    match rest % 3 {
        1 => out.push_str("AA=="),
        2 => out.push_str("AAA="),
        _ => {}
    }
    out
}

/// `data:image/<declared>;base64,...` of `decoded_len` bytes of `actual`.
pub fn data_uri(declared: &str, actual: ImageFormat, decoded_len: usize) -> String {
    format!(
        "data:image/{declared};base64,{}",
        base64_of_len(&magic(actual), decoded_len)
    )
}

/// A small valid data URI of a format.
pub fn small(format: ImageFormat) -> String {
    data_uri(subtype(format), format, 64)
}

/// An image URL that every request rule accepts.
pub const URL: &str = "https://example.com/input-1.jpg";

/// `value` as a request body.
pub fn body(value: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&value).expect("json")
}

/// `value` parsed as an incoming submit body.
pub fn parse(
    value: serde_json::Value,
) -> Result<seedream_contract::EditRequest, seedream_contract::ValidationError> {
    seedream_contract::parse_submit_body(&body(value))
}

/// A valid body with one field replaced (or removed when `value` is None).
pub fn with(
    field: &str,
    value: Option<serde_json::Value>,
) -> Result<seedream_contract::EditRequest, seedream_contract::ValidationError> {
    let mut base = serde_json::json!({"prompt": "make it watercolor", "image": [URL]});
    let object = base.as_object_mut().expect("object");
    match value {
        Some(v) => object.insert(field.to_owned(), v),
        None => object.remove(field),
    };
    parse(base)
}
