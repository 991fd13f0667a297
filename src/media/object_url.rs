//! An object URL that is revoked when nothing holds it any more.

use std::fmt;
use std::sync::Arc;

use web_sys::{Blob, Url};

/// `blob:` URL of a browser `Blob`, for `<img src>`. Shared by whoever shows the
/// image (the form's card, a task card's comparison); the browser keeps the blob
/// alive until the URL is revoked, which happens when the last `Arc` drops.
pub struct ObjectUrl(String);

impl ObjectUrl {
    /// A new URL for `blob`; `None` only when the browser refuses to make one.
    pub fn for_blob(blob: &Blob) -> Option<Arc<ObjectUrl>> {
        Url::create_object_url_with_blob(blob)
            .ok()
            .map(|url| Arc::new(ObjectUrl(url)))
    }

    /// The `blob:` URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        // Failure only means the browser already forgot it.
        let _ = Url::revoke_object_url(&self.0);
    }
}

impl fmt::Debug for ObjectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ObjectUrl").field(&self.0).finish()
    }
}
