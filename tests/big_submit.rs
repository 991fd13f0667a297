//! The largest edit the contract allows, written and sent with flat wasm memory.
//!
//! Fourteen images of exactly 10 MiB (the limit) are made in JavaScript, so their
//! bytes never touch wasm memory; the app writes the request's body
//! (`api::body::write`, one image at a time, by the browser's encoder) and submits
//! it to the mock that `cargo xtask test` starts for this binary. Wasm memory may
//! grow by at most 16 MB over writing and sending ~196 MB of JSON, and what the mock
//! received must parse as the contract's request with every image intact: the mock
//! reports the SHA-256 of each decoded image, compared with the browser's own
//! digest of each blob.
//!
//! Its own test binary, run before the others (see `xtask/src/test.rs`), so memory
//! grown by other tests cannot hide growth here; deterministic, with no timing.
#![cfg(target_arch = "wasm32")]

use gloo_net::http::Request;
use js_sys::{ArrayBuffer, Uint8Array, WebAssembly};
use seedream_contract::{EditRequest, ImageFormat, MAX_IMAGE_BYTES, MAX_IMAGES, SequentialMode};
use seedream_studio::api::{self, ApiConfig};
use seedream_studio::media::{LocalImage, ObjectUrl, Source};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_browser);

/// The mock's origin, fixed when this binary is compiled (`cargo xtask test` sets it).
const MOCK: Option<&str> = option_env!("SEEDREAM_TEST_MOCK");
/// The most wasm memory the whole write and send may add.
const GROWTH_LIMIT: f64 = 16.0 * 1024.0 * 1024.0;

fn mock() -> &'static str {
    MOCK.expect("SEEDREAM_TEST_MOCK: run this through `cargo xtask test`, which starts its mock")
}

/// The wasm instance's memory, in bytes.
fn wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<ArrayBuffer>()
        .byte_length() as f64
}

/// An image of exactly 10 MiB made in JavaScript: a PNG signature, then noise from
/// the browser's random source (which fills at most 64 KiB per call).
fn synthetic_png() -> Blob {
    let bytes = Uint8Array::new_with_length(MAX_IMAGE_BYTES as u32);
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .expect("the Web Crypto API");
    const STEP: u32 = 65_536;
    let mut at = 0;
    while at < bytes.length() {
        let chunk = bytes.subarray(at, (at + STEP).min(bytes.length()));
        crypto
            .get_random_values_with_array_buffer_view(&chunk)
            .expect("random bytes");
        at += STEP;
    }
    for (i, byte) in [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]
        .into_iter()
        .enumerate()
    {
        bytes.set_index(i as u32, byte);
    }
    let parts: js_sys::Array = [bytes].iter().collect();
    Blob::new_with_u8_array_sequence(&parts).expect("a blob")
}

/// The browser's SHA-256 of `blob`, in lowercase hex.
async fn digest(blob: &Blob) -> String {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .expect("the Web Crypto API");
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .expect("the blob's bytes");
    let hash = JsFuture::from(
        crypto
            .subtle()
            .digest_with_str_and_buffer_source("SHA-256", &buffer.unchecked_into())
            .expect("a digest"),
    )
    .await
    .expect("the digest");
    Uint8Array::new(&hash)
        .to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[wasm_bindgen_test]
async fn the_largest_edit_is_sent_intact_with_flat_wasm_memory() {
    let blobs: Vec<Blob> = (0..MAX_IMAGES).map(|_| synthetic_png()).collect();
    let images: Vec<Source> = blobs
        .iter()
        .enumerate()
        .map(|(i, blob)| {
            let preview = ObjectUrl::for_blob(blob).expect("an object URL");
            Source::Local(LocalImage::new(
                blob.clone(),
                preview,
                format!("noise-{i:02}.png"),
                blob.size() as u64,
                ImageFormat::Png,
            ))
        })
        .collect();
    let request = EditRequest::new("Combine the fourteen images into one collage", images)
        .with_sequential(SequentialMode::Disabled, None);
    request.validate().expect("the largest valid request");
    let config = ApiConfig::new(mock(), None);

    let before = wasm_memory();
    let body = api::body::write(&request)
        .await
        .expect("the body is written");
    assert!(
        body.len() > (MAX_IMAGES * MAX_IMAGE_BYTES) as f64 * 4.0 / 3.0,
        "the body holds every image as base64: {} bytes",
        body.len()
    );
    let submitted = api::submit(&config, &body)
        .await
        .expect("the mock accepts the body");
    drop(body);
    let growth = wasm_memory() - before;
    assert!(
        growth <= GROWTH_LIMIT,
        "wasm memory grew by {:.1} MB writing and sending the body (at most {:.0} MB)",
        growth / 1e6,
        GROWTH_LIMIT / 1e6
    );

    let inputs: Value = Request::get(&format!(
        "{}/__mock/tasks/{}/inputs",
        mock(),
        submitted.task_id
    ))
    .send()
    .await
    .expect("the mock tells what it received")
    .json()
    .await
    .expect("JSON");
    let received = inputs.as_array().expect("one entry per image");
    assert_eq!(received.len(), MAX_IMAGES, "{inputs}");
    for (index, (blob, got)) in blobs.iter().zip(received).enumerate() {
        assert_eq!(got["format"], "png", "image {index}: {got}");
        assert_eq!(got["bytes"], MAX_IMAGE_BYTES, "image {index}: {got}");
        assert_eq!(
            got["sha256"].as_str(),
            Some(digest(blob).await.as_str()),
            "image {index} arrived changed"
        );
    }
}
