//! The archive's records as JavaScript objects: what IndexedDB stores for an image and
//! a task, written and read field by field (the indexes need real properties).

use idb::Error;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::budget::HeldTask;
use super::checksum::Checksum;
use super::keys::ImageKey;

/// One image ready to be kept: fetched or read, and checksummed, before any
/// transaction opens.
#[derive(Clone, Debug)]
pub struct ImageToKeep {
    pub key: ImageKey,
    /// The bytes: a `Blob` (anything else fails the write, as a test relies on).
    pub blob: JsValue,
    pub checksum: Checksum,
    /// Its content type, `image/png` or `image/jpeg`.
    pub content_type: String,
}

pub(super) fn image_record(image: &ImageToKeep, users: Vec<String>) -> Result<JsValue, Error> {
    let record = Object::new();
    set(&record, "key", &JsValue::from_str(&image.key.to_string()))?;
    // Images are far below 2^53 bytes; a CRC-32 fits a double exactly.
    set(
        &record,
        "bytes",
        &JsValue::from_f64(image.checksum.bytes as f64),
    )?;
    set(
        &record,
        "crc32",
        &JsValue::from_f64(f64::from(image.checksum.crc32)),
    )?;
    set(&record, "type", &JsValue::from_str(&image.content_type))?;
    set_texts(&record, "users", &users)?;
    Ok(record.into())
}

pub(super) fn task_record(
    id: &str,
    pinned: bool,
    kept_at_ms: f64,
    images: &[String],
) -> Result<JsValue, Error> {
    let record = Object::new();
    set(&record, "id", &JsValue::from_str(id))?;
    set(
        &record,
        "pinned",
        &JsValue::from_f64(if pinned { 1.0 } else { 0.0 }),
    )?;
    set(&record, "kept_at", &JsValue::from_f64(kept_at_ms))?;
    set_texts(&record, "images", images)?;
    Ok(record.into())
}

pub(super) fn held_task(value: &JsValue) -> Option<HeldTask> {
    Some(HeldTask {
        id: text(value, "id")?,
        pinned: number(value, "pinned")? != 0.0,
        kept_at_ms: number(value, "kept_at")?,
        images: texts(value, "images"),
    })
}

pub(super) fn users_of(record: &JsValue) -> Vec<String> {
    texts(record, "users")
}

pub(super) fn with_user(mut users: Vec<String>, id: &str) -> Vec<String> {
    if !users.iter().any(|user| user == id) {
        users.push(id.to_owned());
    }
    users
}

pub(super) fn set(target: &JsValue, field: &str, value: &JsValue) -> Result<(), Error> {
    Reflect::set(target, &JsValue::from_str(field), value)
        .map(drop)
        .map_err(Error::UpdateFailed)
}

pub(super) fn set_texts(target: &JsValue, field: &str, values: &[String]) -> Result<(), Error> {
    let array: Array = values
        .iter()
        .map(|value| JsValue::from_str(value))
        .collect();
    set(target, field, &array)
}

pub(super) fn field(value: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(value, &JsValue::from_str(name)).ok()
}

pub(super) fn text(value: &JsValue, name: &str) -> Option<String> {
    field(value, name)?.as_string()
}

pub(super) fn number(value: &JsValue, name: &str) -> Option<f64> {
    field(value, name)?.as_f64()
}

pub(super) fn texts(value: &JsValue, name: &str) -> Vec<String> {
    field(value, name)
        .and_then(|array| array.dyn_into::<Array>().ok())
        .map(|array| array.iter().filter_map(|item| item.as_string()).collect())
        .unwrap_or_default()
}
