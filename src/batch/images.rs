//! The batch's images: described for storage (addresses as they are, local images by
//! the SHA-256 the archive keeps them under) and rebuilt from it after a reload.

use super::state::{StoredImage, StoredItem, StoredPlan};
use crate::form::batch::{BatchItem, BatchPlan};
use crate::media::Source;
use crate::tasks::Tasks;

/// What a stored plan came back as.
pub enum Restored {
    /// The requests' images, with the items whose image is gone (kept in place, never
    /// sent).
    Plan { plan: BatchPlan, lost: Vec<usize> },
    /// A shared image is gone, so no item can be sent (of so many items).
    SharedLost(usize),
}

/// Rebuilds `stored`'s images: addresses as they are, local images from the archive.
pub async fn restore(tasks: Tasks, stored: StoredPlan) -> Restored {
    let mut shared = Vec::new();
    for image in &stored.shared {
        match source_of(tasks, image).await {
            Some(source) => shared.push(source),
            None => return Restored::SharedLost(stored.items.len()),
        }
    }
    let mut items = Vec::new();
    let mut lost = Vec::new();
    for (index, item) in stored.items.iter().enumerate() {
        let restored = match (source_of(tasks, &item.image).await, item.size()) {
            (Some(source), Some(size)) => Some(BatchItem {
                source,
                name: item.name.clone(),
                size,
            }),
            _ => None,
        };
        items.push(restored.unwrap_or_else(|| {
            lost.push(index);
            placeholder(item)
        }));
    }
    let plan = BatchPlan {
        prompt: stored.prompt,
        items,
        shared,
        shared_origins: stored.shared_origins,
        format: stored.format,
        sequential: stored.sequential,
        max_images: stored.max_images,
        concurrency: 0,
    };
    Restored::Plan { plan, lost }
}

async fn source_of(tasks: Tasks, image: &StoredImage) -> Option<Source> {
    match image {
        StoredImage::Url { url } => Some(Source::Url(url.clone())),
        StoredImage::Local { sha256, name } => tasks.kept_input(sha256, name).await,
    }
}

/// An item whose image is gone: kept in place (so indices stay), never sent.
fn placeholder(item: &StoredItem) -> BatchItem {
    BatchItem {
        source: Source::Url(String::new()),
        name: item.name.clone(),
        size: item.size().unwrap_or(seedream_contract::size::DEFAULT_SIZE),
    }
}

/// The plan as stored, and the local images to keep (blob, SHA-256).
pub async fn describe(plan: &BatchPlan) -> (StoredPlan, Vec<(web_sys::Blob, String)>) {
    let mut held = Vec::new();
    let mut items = Vec::new();
    for item in &plan.items {
        items.push(StoredItem {
            image: stored_image(&item.source, &item.name, &mut held).await,
            name: item.name.clone(),
            size: item.size.to_string(),
        });
    }
    let mut shared = Vec::new();
    for source in &plan.shared {
        shared.push(stored_image(source, "", &mut held).await);
    }
    (
        StoredPlan {
            prompt: plan.prompt.clone(),
            items,
            shared,
            shared_origins: plan.shared_origins.clone(),
            format: plan.format,
            sequential: plan.sequential,
            max_images: plan.max_images,
        },
        held,
    )
}

/// How `source` is stored; a local image's blob and SHA-256 join `held`, to be kept.
/// One the browser cannot digest is stored without a key: a reload cannot bring it
/// back, and the batch says so then.
async fn stored_image(
    source: &Source,
    name: &str,
    held: &mut Vec<(web_sys::Blob, String)>,
) -> StoredImage {
    match source {
        Source::Url(url) => StoredImage::Url { url: url.clone() },
        Source::Local(local) => {
            let sha256 = crate::archive::keep::sha256(local.blob()).await;
            if let Some(sha256) = &sha256 {
                held.push((local.blob().clone(), sha256.clone()));
            }
            StoredImage::Local {
                sha256: sha256.unwrap_or_default(),
                name: name.to_owned(),
            }
        }
    }
}
