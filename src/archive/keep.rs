//! Keeping a task's images: fetch or read them first, checksum them, make room within
//! the budget, then write them in one short transaction.
//!
//! Results are fetched once, as `Blob`s from the responses (`Response.blob()`, never
//! through wasm memory). Where a result's host lets this page read it (the page's own
//! origin, as the mock's results are) it is fetched directly; otherwise through the
//! server's results route (see `docs/server.md`), which fetches only from the hosts
//! its operator lists. Local inputs are kept under their SHA-256, computed by the
//! browser after the submit has gone out.

use std::rc::Rc;

use js_sys::Uint8Array;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Response};

use super::budget::DoesNotFit;
use super::checksum::{self, Checksum};
use super::db::{Archive, ArchiveError, ImageToKeep};
use super::keys::ImageKey;

/// The path of the server's results route, under the API's base.
pub const RESULTS_ROUTE: &str = "/api/results";

/// How a result's bytes are fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultRoute {
    /// From its own address (its host allows this page to read it).
    Direct,
    /// Through the results route of the server at this base (empty: this page's own).
    ViaServer { base: String },
}

impl ResultRoute {
    /// The address to fetch `url` from: itself when direct or on this page's origin.
    pub fn address(&self, url: &str) -> String {
        match self {
            ResultRoute::Direct => url.to_owned(),
            ResultRoute::ViaServer { .. } if on_this_origin(url) => url.to_owned(),
            ResultRoute::ViaServer { base } => {
                let encoded: String = js_sys::encode_uri_component(url).into();
                format!("{base}{RESULTS_ROUTE}?url={encoded}")
            }
        }
    }
}

/// Whether `url` is on the origin of this page (which may read it without CORS).
fn on_this_origin(url: &str) -> bool {
    let Some(page) = web_sys::window().and_then(|w| w.location().origin().ok()) else {
        return false;
    };
    web_sys::Url::new(url).is_ok_and(|url| url.origin() == page)
}

/// Why a task's images were not kept. The task and its links are unaffected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotKept {
    /// The browser offers no storage to this page.
    Unavailable,
    /// A result could not be fetched from here (its link expired, its host refused
    /// this page, or the network failed).
    Unreachable,
    /// An answer was not an image.
    NotAnImage,
    /// The images need more than the budget allows, even after removing every
    /// unpinned task.
    OverBudget(DoesNotFit),
    /// The browser's storage is full.
    QuotaExceeded,
    /// The browser refused the write, as it named it.
    Refused(String),
}

impl From<ArchiveError> for NotKept {
    fn from(error: ArchiveError) -> NotKept {
        match error {
            ArchiveError::Unavailable => NotKept::Unavailable,
            ArchiveError::QuotaExceeded => NotKept::QuotaExceeded,
            ArchiveError::Failed(name) => NotKept::Refused(name),
        }
    }
}

/// What keeping a task's images did.
#[derive(Clone, Debug, PartialEq)]
pub struct KeepOutcome {
    /// The tasks whose images were removed to make room (oldest first).
    pub removed: Vec<String>,
    /// Another tab had kept these results already: nothing was fetched or written.
    pub already_kept: bool,
}

/// One image of a task to keep, not yet fetched or read.
#[derive(Clone, Debug)]
pub enum Source {
    /// Result `index` of the task, at `url`.
    Result { index: usize, url: String },
    /// A local input image, whose SHA-256 is known.
    Input { blob: Blob, sha256: String },
}

/// The archive's budget as a keep sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// The most bytes of images kept.
    pub bytes: u64,
    /// What the archive held when last counted, if known: when the new images fit
    /// beside it, the archive's holdings are not read again (a read of every task and
    /// image record, which grows with the archive).
    pub held: Option<u64>,
}

/// Told of each image as its bytes arrive, before it is checksummed and written: the
/// page shows a result from these bytes, so it is downloaded once.
pub type Arrived = dyn Fn(&ImageKey, &Blob);

/// Keeps task `id`'s images within `budget`: fetches (all at once) and checksums them,
/// removes the oldest unpinned tasks if they do not fit, and writes them all or nothing.
pub async fn keep_task(
    archive: &Archive,
    id: &str,
    sources: Vec<Source>,
    route: &ResultRoute,
    budget: Budget,
    now_ms: f64,
    arrived: &Arrived,
) -> Result<KeepOutcome, NotKept> {
    // Every fetch is on its way before the first is read; each image is checksummed
    // as it arrives, while the later ones still download.
    let fetching: Vec<Pending> = sources
        .into_iter()
        .map(|source| Pending::start(id, source, route))
        .collect::<Result<_, _>>()?;
    let mut images = Vec::with_capacity(fetching.len());
    for pending in fetching {
        let (key, blob) = pending.arrive().await?;
        arrived(&key, &blob);
        images.push(prepare(key, blob).await?);
    }
    let incoming: Vec<(String, u64)> = images
        .iter()
        .map(|image| (image.key.to_string(), image.checksum.bytes))
        .collect();
    let adding = incoming
        .iter()
        .map(|(_, bytes)| *bytes)
        .fold(0, u64::saturating_add);
    let fits = budget
        .held
        .is_some_and(|held| held.saturating_add(adding) <= budget.bytes);
    let removed = if fits {
        Vec::new()
    } else {
        archive
            .holdings()
            .await?
            .make_room(&incoming, budget.bytes)
            .map_err(NotKept::OverBudget)?
    };
    if !removed.is_empty() {
        archive.remove_tasks(&removed).await?;
    }
    archive.put_task(id, now_ms, &images).await?;
    Ok(KeepOutcome {
        removed,
        already_kept: false,
    })
}

/// As [`keep_task`], once across this origin's tabs: under a Web Lock named for the
/// task, and not at all when its first result is kept already (another tab kept it
/// while this one waited). A refused lock (the page going away) keeps nothing.
pub async fn keep_task_once(
    archive: &Archive,
    id: &str,
    sources: Vec<Source>,
    route: &ResultRoute,
    budget: Budget,
    now_ms: f64,
    arrived: Rc<Arrived>,
) -> Result<KeepOutcome, NotKept> {
    // Named for the database, so two embedded instances never wait on each other.
    let lock = format!("{}:keep:{id}", archive.name());
    let (archive, id, route) = (archive.clone(), id.to_owned(), route.clone());
    crate::locks::hold(&lock, async move {
        let first_result = sources.iter().find_map(|source| match source {
            Source::Result { index, .. } => Some(ImageKey::result(&id, *index)),
            Source::Input { .. } => None,
        });
        if let Some(key) = first_result
            && archive.holds(&key).await.unwrap_or(false)
        {
            return Ok(KeepOutcome {
                removed: Vec::new(),
                already_kept: true,
            });
        }
        keep_task(&archive, &id, sources, &route, budget, now_ms, &*arrived).await
    })
    .await
    .unwrap_or(Err(NotKept::Unavailable))
}

/// One image on its way: a result's fetch started, or a local input at hand.
enum Pending {
    Fetching { key: ImageKey, answer: JsFuture },
    Held { key: ImageKey, blob: Blob },
}

impl Pending {
    /// Starts fetching a result (the browser sends the request now); an input is
    /// already held.
    fn start(id: &str, source: Source, route: &ResultRoute) -> Result<Pending, NotKept> {
        Ok(match source {
            Source::Result { index, url } => Pending::Fetching {
                key: ImageKey::result(id, index),
                answer: start_fetch(&route.address(&url))?,
            },
            Source::Input { blob, sha256 } => Pending::Held {
                key: ImageKey::Input { sha256 },
                blob,
            },
        })
    }

    /// Its key and bytes, once they are here.
    async fn arrive(self) -> Result<(ImageKey, Blob), NotKept> {
        match self {
            Pending::Fetching { key, answer } => Ok((key, image_of(answer).await?)),
            Pending::Held { key, blob } => Ok((key, blob)),
        }
    }
}

/// Checks that `blob` is an image and checksums it.
async fn prepare(key: ImageKey, blob: Blob) -> Result<ImageToKeep, NotKept> {
    let content_type = blob.type_();
    if !content_type.starts_with("image/") {
        return Err(NotKept::NotAnImage);
    }
    let checksum: Checksum = checksum::of_blob(&blob)
        .await
        .map_err(|_| NotKept::Unreachable)?;
    Ok(ImageToKeep {
        key,
        blob: blob.into(),
        checksum,
        content_type,
    })
}

/// Starts fetching the image at `address`. No credentials are sent: a result link
/// carries its own authority.
fn start_fetch(address: &str) -> Result<JsFuture, NotKept> {
    let window = web_sys::window().ok_or(NotKept::Unavailable)?;
    Ok(JsFuture::from(
        window.fetch_with_str_and_init(address, &link_request()),
    ))
}

/// How the archive asks for a result link: without credentials or referrer (a link
/// carries its own authority, and tells the host nothing of this page).
fn link_request() -> web_sys::RequestInit {
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    init
}

/// The image a fetch answered with, as the browser holds it.
async fn image_of(answer: JsFuture) -> Result<Blob, NotKept> {
    let answer = answer.await.map_err(|_| NotKept::Unreachable)?;
    let response: Response = answer.dyn_into().map_err(|_| NotKept::Unreachable)?;
    if !response.ok() {
        return Err(NotKept::Unreachable);
    }
    let blob = response.blob().map_err(|_| NotKept::Unreachable)?;
    let blob: Blob = JsFuture::from(blob)
        .await
        .and_then(JsValue::dyn_into)
        .map_err(|_| NotKept::Unreachable)?;
    Ok(blob)
}

/// Whether `url` still answers with success to a `HEAD` from this page (no credentials,
/// no cache). A host that refuses this page (CORS, the page's `connect-src`) reads as
/// not answering: the kept bytes then go instead, which always work.
pub async fn link_answers(url: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let init = link_request();
    init.set_method("HEAD");
    init.set_cache(web_sys::RequestCache::NoStore);
    match JsFuture::from(window.fetch_with_str_and_init(url, &init)).await {
        Ok(answer) => answer.dyn_into::<Response>().is_ok_and(|r| r.ok()),
        Err(_) => false,
    }
}

/// The hex SHA-256 of `blob`'s bytes, by the browser (`crypto.subtle`); `None` where
/// the page is not a secure context and has no `crypto.subtle`, or the read fails.
pub async fn sha256(blob: &Blob) -> Option<String> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let bytes = JsFuture::from(blob.array_buffer()).await.ok()?;
    let digest = subtle
        .digest_with_str_and_buffer_source("SHA-256", bytes.unchecked_ref())
        .ok()?;
    let digest = JsFuture::from(digest).await.ok()?;
    let digest = Uint8Array::new(&digest).to_vec();
    Some(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}
