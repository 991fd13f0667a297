//! Keeping this instance's finished edits in the archive (`crate::archive`): a task's
//! local inputs once its submit has gone out, its results as soon as it is done, and
//! at start-up every done task not kept yet whose links still work.
//!
//! What was kept is written into the record ([`Kept`]), so every tab shows it and a
//! reload knows without asking the database. Keeping runs under a Web Lock per task,
//! so two tabs never fetch and store the same results twice.

use std::rc::Rc;
use std::sync::Arc;

use futures::channel::oneshot;
use leptos::prelude::*;
use seedream_contract::is_http_url;

use super::Tasks;
use super::archive_panel::remembered_share;
use super::arriving::{Arrivals, Expected, Waiting};
use crate::api::Target;
use crate::archive::keep::{self, ResultRoute, Source as KeepSource};
use crate::archive::shown::{self, ShownImages};
use crate::archive::{Archive, ImageKey, NotKept, quota};
use crate::history::{Kept, RecordState, now_ms};
use crate::media::{FromResult, LocalImage, ObjectUrl, Source};
use web_sys::Blob;

/// The archive as this instance holds it (its figures are in `archive_status`).
#[derive(Debug, Default)]
pub struct Keeper {
    /// The open database; `None` while opening, or when the browser refused it.
    archive: Option<Archive>,
    /// Stored images some view shows now.
    shown: ShownImages,
    /// Results being kept now, shown from their keep's download.
    arrivals: Arrivals,
    /// Who waits for the database to open (a view of a kept result rendered first).
    waiting: Vec<oneshot::Sender<()>>,
    /// True once opening ended, open or refused.
    settled: bool,
}

impl Tasks {
    /// Opens the archive named for this instance's history, then keeps the done tasks
    /// that are not kept yet and whose links still work.
    pub(super) fn open_archive(self) {
        let name = self
            .history
            .with_value(|store| Archive::name_for(store.key()));
        leptos::task::spawn_local(async move {
            let estimate = quota::estimate().await;
            let persisted = quota::persisted().await;
            let share = remembered_share(&name).unwrap_or(quota::DEFAULT_SHARE_PERCENT);
            let opened = Archive::open(&name).await;
            let open = opened.as_ref().map(|_| true).map_err(Clone::clone);
            let waiting = self
                .keeper
                .try_update_value(|keeper| {
                    keeper.archive = opened.ok();
                    keeper.settled = true;
                    std::mem::take(&mut keeper.waiting)
                })
                .unwrap_or_default();
            for waiter in waiting {
                let _ = waiter.send(());
            }
            self.archive_status.try_update(|status| {
                status.open = open;
                status.estimate = estimate;
                status.persisted = persisted;
                status.share = share;
            });
            self.refresh_archive_status();
            // Every finished edit listed now outlives the history's cap from here on.
            self.archive_records(&self.records_untracked());
            self.count_older();
            let now = now_ms();
            let unkept: Vec<(String, RecordState)> = self
                .records_untracked()
                .iter()
                .filter(|r| {
                    r.kept == Kept::No && !r.is_expired(now) && !r.state.shown_results().is_empty()
                })
                .map(|r| (r.id.clone(), r.state.clone()))
                .collect();
            for (id, done) in unkept {
                self.keep_results(&id, &done);
            }
        });
    }

    /// The archive once opening has ended: at once when it has, else when it does;
    /// `None` when the browser refused it.
    pub(super) async fn opened_archive(self) -> Option<Archive> {
        let (sender, receiver) = oneshot::channel();
        let settled = self.keeper.try_update_value(|keeper| {
            if !keeper.settled {
                keeper.waiting.push(sender);
            }
            keeper.settled
        })?;
        if !settled {
            receiver.await.ok()?;
        }
        self.archive()
    }

    pub(super) fn archive(self) -> Option<Archive> {
        // Asked from async work that may outlive its page (a removed embedding).
        self.keeper
            .try_with_value(|keeper| keeper.archive.clone())
            .flatten()
    }

    /// Keeps record `id`'s local inputs, under their SHA-256 (computed now, after its
    /// submit went out), and writes the digests into the record.
    pub(super) fn keep_inputs(self, id: &str) {
        let Some(images) = self
            .inputs
            .try_with_value(|inputs| inputs.recall(id))
            .flatten()
        else {
            return;
        };
        let id = id.to_owned();
        leptos::task::spawn_local(async move {
            let mut sources = Vec::new();
            let mut digests = Vec::new();
            for (index, image) in images.iter().enumerate() {
                let Source::Local(local) = image else {
                    continue;
                };
                if let Some(sha256) = keep::sha256(local.blob()).await {
                    digests.push((index, sha256.clone()));
                    sources.push(KeepSource::Input {
                        blob: local.blob().clone(),
                        sha256,
                    });
                }
            }
            if sources.is_empty() {
                return;
            }
            self.update(&id, |record| {
                for (index, sha256) in &digests {
                    if let Some(input) = record.inputs.get_mut(*index) {
                        input.sha256 = Some(sha256.clone());
                    }
                }
            });
            // Inputs that do not fit stay unkept: their results, when kept, say so.
            let _ = self
                .keep(&id, sources, ResultRoute::Direct, Rc::new(|_, _| ()))
                .await;
        });
    }

    /// Keeps the results of record `id`, `done`, and marks the record. Its views show
    /// the results from the keep's download (see `arriving`).
    pub(super) fn keep_results(self, id: &str, done: &RecordState) {
        let route = self.result_route();
        let sources: Vec<KeepSource> = done
            .shown_results()
            .into_iter()
            .enumerate()
            .filter(|(_, result)| is_http_url(&result.url))
            .map(|(index, result)| KeepSource::Result {
                index,
                url: result.url,
            })
            .collect();
        if sources.is_empty() {
            return;
        }
        let keys = sources
            .iter()
            .filter_map(|source| match source {
                KeepSource::Result { index, .. } => Some(ImageKey::result(id, *index)),
                KeepSource::Input { .. } => None,
            })
            .collect();
        // Expected before any view of the done task renders (views render after this
        // answer's handling, as effects).
        let expected = Rc::new(Expected::new(self, keys));
        let id = id.to_owned();
        leptos::task::spawn_local(async move {
            let arrived = expected.clone();
            let arrived: Rc<keep::Arrived> = Rc::new(move |key, blob| arrived.arrived(key, blob));
            let outcome = self.keep(&id, sources, route, arrived).await;
            let kept = match outcome {
                Ok(()) => {
                    crate::mark("task-kept");
                    Kept::Yes
                }
                // Said once for the whole list (see `TaskList`), not on every card; a
                // later page with storage keeps it then.
                Err(NotKept::Unavailable) => return,
                Err(reason) => Kept::Refused(reason),
            };
            self.update(&id, |record| {
                // Another tab may have kept it meanwhile: "kept" stands.
                if record.kept != Kept::Yes {
                    record.kept = kept;
                }
            });
            // The views of the kept task render as effects before a timer's turn: they
            // take the downloaded bytes' URLs over before these are let go.
            gloo_timers::future::TimeoutFuture::new(0).await;
            drop(expected);
        });
    }

    /// Keeps `sources` as task `id`'s, under the task's Web Lock; tells of the tasks
    /// removed to make room.
    async fn keep(
        self,
        id: &str,
        sources: Vec<KeepSource>,
        route: ResultRoute,
        arrived: Rc<keep::Arrived>,
    ) -> Result<(), NotKept> {
        let Some(archive) = self.opened_archive().await else {
            return Err(NotKept::Unavailable);
        };
        let budget = self
            .archive_status
            .try_with_untracked(|status| keep::Budget {
                bytes: status.budget(),
                held: status.counted.then_some(status.held_bytes),
            })
            .unwrap_or(keep::Budget {
                bytes: quota::FALLBACK_BUDGET,
                held: None,
            });
        let kept =
            keep::keep_task_once(&archive, id, sources, &route, budget, now_ms(), arrived).await?;
        for removed in kept.removed {
            self.update(&removed, |record| record.kept = Kept::Removed);
        }
        self.refresh_archive_status();
        Ok(())
    }

    /// How results are fetched for keeping: through this page's server's results route
    /// when the page calls its own server (results on this page's origin are still
    /// fetched directly), and directly when calls go elsewhere.
    fn result_route(self) -> ResultRoute {
        match self
            .config
            .try_get_untracked()
            .map(|config| config.target())
        {
            Some(Target::ThisServer) => ResultRoute::ViaServer {
                base: String::new(),
            },
            Some(Target::Address(_)) | None => ResultRoute::Direct,
        }
    }

    /// Runs `f` on the results being kept now (nothing once this instance is gone).
    pub(super) fn with_arrivals(self, f: impl FnOnce(&mut Arrivals)) {
        self.keeper
            .try_update_value(|keeper| f(&mut keeper.arrivals));
    }

    /// How a view gets result `key` while it is being kept; `None` when it is not.
    pub(super) fn arriving(self, key: &ImageKey) -> Option<Waiting> {
        self.keeper
            .try_update_value(|keeper| keeper.arrivals.wait(key))
            .flatten()
    }

    /// The object URL of stored image `key` if some view shows it now.
    pub(super) fn shown_now(self, key: &ImageKey) -> Option<Arc<ObjectUrl>> {
        self.keeper
            .try_update_value(|keeper| keeper.shown.get(key))
            .flatten()
    }

    /// The object URL of stored image `key`, shared with any view that shows it;
    /// `None` when it is not kept or the archive is not open.
    pub(super) async fn stored_url(self, key: ImageKey) -> Option<Arc<ObjectUrl>> {
        if let Some(url) = self.shown_now(&key) {
            return Some(url);
        }
        let archive = self.opened_archive().await?;
        let url = shown::load(&archive, &key).await.ok().flatten()?;
        self.keeper
            .try_update_value(|keeper| keeper.shown.insert(key, &url));
        Some(url)
    }
}

impl Tasks {
    /// Pins task `id` (its images are then kept whatever the budget), or unpins it.
    pub fn set_pinned(self, id: &str, pinned: bool) {
        self.update(id, |record| record.pinned = pinned);
        let Some(archive) = self.archive() else {
            return;
        };
        let id = id.to_owned();
        leptos::task::spawn_local(async move {
            // A task not kept yet gets its pin when it is (see `keep`).
            let _ = archive.set_pinned(&id, pinned).await;
        });
    }

    /// Removes the kept images of tasks `ids` (removed, and no longer undoable);
    /// an input another task still uses stays.
    pub(super) fn unkeep(self, ids: Vec<String>) {
        let Some(archive) = self.archive().filter(|_| !ids.is_empty()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            // A failure leaves images no task shows; the budget frees them in time.
            let _ = archive.remove_tasks(&ids).await;
            self.refresh_archive_status();
        });
    }

    /// Keeps local images (their blobs and SHA-256s) under `holder`, pinned, so the
    /// budget never frees them while the holder needs them (a batch's images not yet
    /// sent); fails as keeping fails (no room, no storage).
    pub async fn hold_inputs(
        self,
        holder: &str,
        images: Vec<(Blob, String)>,
    ) -> Result<(), NotKept> {
        if images.is_empty() {
            return Ok(());
        }
        let sources = images
            .into_iter()
            .map(|(blob, sha256)| KeepSource::Input { blob, sha256 })
            .collect();
        self.keep(holder, sources, ResultRoute::Direct, Rc::new(|_, _| ()))
            .await?;
        let archive = self.archive().ok_or(NotKept::Unavailable)?;
        archive
            .set_pinned(holder, true)
            .await
            .map_err(|_| NotKept::Unavailable)
    }

    /// Lets go of what [`Tasks::hold_inputs`] kept for `holder`; an image a task
    /// still uses stays.
    pub fn release_inputs(self, holder: &str) {
        self.unkeep(vec![holder.to_owned()]);
    }

    /// A local input image as this browser kept it, under `sha256`, named `name` (empty:
    /// named by its position when shown, as any restored file without a name).
    pub async fn kept_input(self, sha256: &str, name: &str) -> Option<Source> {
        let key = ImageKey::Input {
            sha256: sha256.to_owned(),
        };
        let blob = self
            .opened_archive()
            .await?
            .blob(&key)
            .await
            .ok()
            .flatten()?;
        LocalImage::of_blob(blob, name.to_owned()).map(Source::Local)
    }

    /// What "Use as input" adds for result `from`: its link while the link works, and
    /// after that the copy kept in this browser (sent as a local image), named `name`.
    pub(super) async fn result_as_input(
        self,
        from: &FromResult,
        link: String,
        name: String,
    ) -> Source {
        let Some((kept, expired)) = self.with_record_untracked(&from.record, |r| {
            (r.kept == Kept::Yes, r.is_expired(now_ms()))
        }) else {
            return Source::Url(link);
        };
        // A link can die before its promised hour (a provider's cleanup, a mock's
        // shorter lifetime): within it, the link goes only if it still answers here.
        if !kept || (!expired && keep::link_answers(&link).await) {
            return Source::Url(link);
        }
        let key = ImageKey::result(&from.record, from.index);
        let stored = match self.opened_archive().await {
            Some(archive) => archive.blob(&key).await.ok().flatten(),
            None => None,
        };
        stored
            .and_then(|blob| LocalImage::of_blob(blob, name))
            .map_or(Source::Url(link), Source::Local)
    }
}
