//! Object URLs of stored images, one per image however many views show it, revoked
//! when the last view lets go (see [`ObjectUrl`]).
//!
//! The map holds only weak references: a gallery tile, the lightbox and a comparison
//! each hold the `Arc` while they show the image, so an image no view shows costs no
//! URL and no memory, and the next view asks the database again.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use super::db::{Archive, ArchiveError};
use super::keys::ImageKey;
use crate::media::ObjectUrl;

/// The object URLs of stored images that some view shows now.
#[derive(Debug, Default)]
pub struct ShownImages {
    urls: HashMap<ImageKey, Weak<ObjectUrl>>,
}

impl ShownImages {
    /// The URL of `key` while some view still shows it.
    pub fn get(&mut self, key: &ImageKey) -> Option<Arc<ObjectUrl>> {
        let url = self.urls.get(key)?.upgrade();
        if url.is_none() {
            self.urls.remove(key);
        }
        url
    }

    /// Remembers `url` as `key`'s, for the next view that asks.
    pub fn insert(&mut self, key: ImageKey, url: &Arc<ObjectUrl>) {
        // Entries whose views are all gone are dropped as new ones come.
        self.urls.retain(|_, url| url.strong_count() > 0);
        self.urls.insert(key, Arc::downgrade(url));
    }
}

/// An object URL of `key`'s stored bytes: `None` when it is not kept.
pub async fn load(
    archive: &Archive,
    key: &ImageKey,
) -> Result<Option<Arc<ObjectUrl>>, ArchiveError> {
    let blob = archive.blob(key).await?;
    Ok(blob.as_ref().and_then(ObjectUrl::for_blob))
}
