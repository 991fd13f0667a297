//! One local image as its part of a request body, written by the browser.
//!
//! `FileReader.readAsDataURL` is the browser's own base64 encoder (native, fast).
//! Its text stays a JavaScript string: its header (which follows `File.type`, maybe
//! empty or wrong) is cut off with `slice` (no copy), and the part is a `Blob` of
//! three pieces, `"data:image/<sniffed format>;base64,`, the payload and `"`. The
//! string can go as soon as the blob holds it, so one image's text at most is alive
//! while a body is written.

use js_sys::{Array, JsString, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReader};

use super::LocalImage;

/// The browser refused to read the file: it was moved, deleted or changed since it
/// was added (browsers compare the file with the snapshot taken when it was given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// `"data:image/…;base64,…"` (quotes included) for `image`, as a `Blob`.
pub async fn data_uri_part(image: &LocalImage) -> Result<Blob, Unreadable> {
    let text = read_data_url(image.blob()).await?;
    let comma = u32::try_from(text.index_of(",", 0)).map_err(|_| Unreadable)?;
    let payload = text.slice(comma + 1, text.length());
    let opening = format!("\"{}", image.format.data_uri_prefix());
    let pieces = Array::of3(&JsString::from(opening), &payload, &JsString::from("\""));
    Blob::new_with_str_sequence(&pieces).map_err(|_| Unreadable)
}

/// The blob as the browser's `data:<type>;base64,...` string, left in JavaScript.
async fn read_data_url(blob: &Blob) -> Result<JsString, Unreadable> {
    // Through `slice`, like every other read of a local image here (the probe's),
    // so one path decides whether the file can still be read.
    let blob = blob.slice().map_err(|_| Unreadable)?;
    let reader = FileReader::new().map_err(|_| Unreadable)?;
    let done = Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
        reader.set_onabort(Some(&reject));
    });
    reader.read_as_data_url(&blob).map_err(|_| Unreadable)?;
    let outcome = JsFuture::from(done).await;
    reader.set_onload(None);
    reader.set_onerror(None);
    reader.set_onabort(None);
    outcome.map_err(|_| Unreadable)?;
    reader
        .result()
        .ok()
        .and_then(|result| result.dyn_into::<JsString>().ok())
        .ok_or(Unreadable)
}
