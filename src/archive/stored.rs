//! Many stored images at once, as an export needs them: each one's `Blob`, size,
//! CRC-32 and type, read in one transaction without reading any image's bytes.

use std::future::IntoFuture;

use idb::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use super::checksum::Checksum;
use super::db::{Archive, ArchiveError};
use super::keys::ImageKey;
use super::schema::{BLOBS, IMAGES};
use super::values::{number, text};

/// A kept image with what was stored beside it.
#[derive(Clone, Debug)]
pub struct StoredImage {
    pub blob: Blob,
    pub checksum: Checksum,
    /// `image/png`, `image/jpeg`, ...
    pub content_type: String,
}

impl Archive {
    /// The stored images of `keys`, in order; `None` for one not kept.
    pub async fn stored_images(
        &self,
        keys: &[ImageKey],
    ) -> Result<Vec<Option<StoredImage>>, ArchiveError> {
        let transaction = self
            .database
            .transaction(&[BLOBS, IMAGES], TransactionMode::ReadOnly)?;
        let blobs = transaction.object_store(BLOBS)?;
        let records = transaction.object_store(IMAGES)?;
        // Every request is asked before the first answer is awaited.
        let mut asked = Vec::with_capacity(keys.len());
        for key in keys {
            let key = JsValue::from_str(&key.to_string());
            asked.push((
                blobs.get(key.clone())?.into_future(),
                records.get(key)?.into_future(),
            ));
        }
        let mut found = Vec::with_capacity(asked.len());
        for (blob, record) in asked {
            let (blob, record) = (blob.await?, record.await?);
            found.push(stored(blob, record));
        }
        Ok(found)
    }
}

fn stored(blob: Option<JsValue>, record: Option<JsValue>) -> Option<StoredImage> {
    let blob: Blob = blob?.dyn_into().ok()?;
    let record = record?;
    Some(StoredImage {
        checksum: Checksum {
            // Stored as doubles: whole numbers well within their exact range.
            bytes: number(&record, "bytes")? as u64,
            crc32: number(&record, "crc32")? as u32,
        },
        content_type: text(&record, "type").unwrap_or_else(|| blob.type_()),
        blob,
    })
}
