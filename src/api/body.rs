//! The submit's body, assembled by the browser.
//!
//! Up to fourteen 10 MB images make ~190 MB of JSON, which must never exist as one
//! string, in wasm or in JavaScript. So serde writes the small JSON around the
//! images ([`EditRequest::json_frame`], the contract's field names), each address is
//! a JSON string, each local image is a `Blob` written by the browser's encoder one
//! at a time ([`media::encode`]), and the body is a `Blob` of those parts: its
//! length is known, and `fetch` streams it from the browser's blob store.

use js_sys::{Array, JsString, Uint8Array};
use seedream_contract::EditRequest;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

use crate::media::{self, Source};

/// A request body ready to send: `application/json`, held by the browser.
#[derive(Debug, Clone)]
pub struct SubmitBody {
    blob: Blob,
}

impl SubmitBody {
    /// The body's bytes as the browser holds them.
    pub fn blob(&self) -> &Blob {
        &self.blob
    }

    /// Its length in bytes.
    pub fn len(&self) -> f64 {
        self.blob.size()
    }

    /// True for an empty body (never one [`write`] makes).
    pub fn is_empty(&self) -> bool {
        self.blob.size() == 0.0
    }
}

/// Why a body could not be written. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// The browser refused to read these local images (0-based positions): moved,
    /// deleted or changed since they were added.
    Unreadable { indices: Vec<usize> },
    /// serde could not write the request's fields (never seen: they are plain).
    Unwritable,
    /// The browser refused to make the body's `Blob`.
    Unbuildable,
}

/// Writes `request` as its JSON body, one local image at a time.
pub async fn write(request: &EditRequest<Source>) -> Result<SubmitBody, BodyError> {
    let frame = request.json_frame().map_err(|_| BodyError::Unwritable)?;
    let parts = Array::new();
    parts.push(&JsString::from(frame.head));
    for (index, image) in request.image.iter().enumerate() {
        if index > 0 {
            parts.push(&JsString::from(","));
        }
        match image {
            Source::Url(url) => {
                let quoted = serde_json::to_string(url).map_err(|_| BodyError::Unwritable)?;
                parts.push(&JsString::from(quoted));
            }
            Source::Local(local) => match media::encode::data_uri_part(local).await {
                Ok(part) => {
                    parts.push(&part);
                }
                Err(media::encode::Unreadable) => {
                    return Err(BodyError::Unreadable {
                        indices: unreadable_from(request, index).await,
                    });
                }
            },
        }
    }
    parts.push(&JsString::from(frame.tail));
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_blob_sequence_and_options(&parts, &options)
        .map_err(|_| BodyError::Unbuildable)?;
    Ok(SubmitBody { blob })
}

/// Every unreadable local image from `first` (known unreadable) on, so the form can
/// mark them all at once rather than one per press of Edit. A one-byte read is
/// enough: the browser checks the whole file's snapshot on any read.
async fn unreadable_from(request: &EditRequest<Source>, first: usize) -> Vec<usize> {
    let mut indices = vec![first];
    for (index, image) in request.image.iter().enumerate().skip(first + 1) {
        if let Some(local) = image.local()
            && !readable(local.blob()).await
        {
            indices.push(index);
        }
    }
    indices
}

async fn readable(blob: &Blob) -> bool {
    let Ok(first) = blob.slice_with_f64_and_f64(0.0, 1.0) else {
        return false;
    };
    JsFuture::from(first.array_buffer())
        .await
        .is_ok_and(|buffer| Uint8Array::new(&buffer).length() == 1)
}
