//! A faithful mock of the Modellix API for Seedream 5.0 Lite Edit, so the whole app
//! can be tried and tested with no key and no network.
//!
//! Requests pass the [`guard`] (key, rate limit, injected faults), then the
//! [`handlers`] validate with `seedream-contract` and answer in its envelopes. Tasks
//! move through their lifecycle by the clock ([`tasks`]); inputs are decoded in the
//! background ([`sources`], [`decode`]), results drawn from them on first request
//! ([`results`], [`render`]) and expire. The [`control`] endpoint lets tests change
//! limits and inject faults at run time.
//!
//! Its memory is bounded: decoding and drawing run a few at a time, an input's pixels
//! are limited ([`decode::MAX_DECODE_ALLOC`]), the store keeps a limited number of
//! tasks and bytes of images ([`tasks::StoreLimits`]), and it fetches nothing.

pub mod control;
pub mod decode;
pub mod faults;
pub mod guard;
pub mod handlers;
pub mod render;
pub mod results;
pub mod sources;
pub mod tasks;
#[cfg(test)]
mod test_images;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Result;
use axum::Router;
use axum::middleware;
use axum::routing::get;
use axum::routing::post;
use clap::Args;
use seedream_contract::SUBMIT_PATH;
use tokio::sync::Semaphore;

use faults::{FaultQueue, FaultSpec};
use guard::RateLimiter;
use tasks::{StoreLimits, TaskStore, Timing};

/// Inputs decoded at once, across all tasks: each may take up to
/// [`decode::MAX_DECODE_ALLOC`], so simultaneous bombs cannot multiply the peak past
/// twice that. Two keep both cores of a small host busy.
pub const DECODES_AT_ONCE: usize = 2;
/// Results drawn at once, across all tasks: the largest takes ~40 MB while drawn.
pub const DRAWS_AT_ONCE: usize = 2;

// The mock's own command-line options, flattened into the server's `Config`, so the
// mock needs nothing from `config`.
/// Behaviour of the mock API (`--mock`).
#[derive(Args, Debug, Clone)]
pub struct MockOptions {
    /// Answer 401 unless requests carry `Authorization: Bearer KEY`.
    #[arg(long, value_name = "KEY")]
    pub require_key: Option<String>,

    /// How long a task stays pending (queued).
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    pub queue_time: Duration,

    /// How long a task is processing before it succeeds or fails.
    #[arg(long, default_value = "3s", value_parser = humantime::parse_duration)]
    pub processing_time: Duration,

    /// How long result images stay available after a task ends.
    #[arg(long, default_value = "24h", value_parser = humantime::parse_duration)]
    pub result_ttl: Duration,

    /// Requests allowed per client key (or address) per minute; 0 means no limit.
    #[arg(long, default_value_t = 0)]
    pub rate_limit: u32,

    /// Unfinished tasks allowed at once; further submits answer 429, as the provider's
    /// concurrency limit does (the app waits and retries). 0 means no limit. The
    /// default bounds what unfinished tasks hold, which is never evicted: each keeps its
    /// request's images (up to ~190 MB) until they are decoded, then up to 14 inputs.
    #[arg(long, default_value_t = 4)]
    pub max_concurrent_tasks: u32,

    /// Tasks kept for their queries and results; over it the oldest finished task is
    /// forgotten (its queries and results answer 404). Unfinished tasks are always kept.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_stored_tasks: u32,

    /// Megabytes (10^6 bytes) of images the kept tasks may hold, their decoded inputs
    /// (at most 0.75 MiB each) and drawn results; over it the oldest finished tasks are
    /// forgotten. 256 MB holds over 300 inputs of the largest kept size.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub max_stored_image_mb: u64,

    /// Inject a fault: `ROUTE:FAULT[:TIMES]` with ROUTE `submit`, `task` or `any` and
    /// FAULT a status code (`503`), `malformed`, `drop`, `slow=2s`, `fail=<reason>` or
    /// `envelope=400` (that error code inside an HTTP 200);
    /// repeatable. Example: `--fault submit:402 --fault task:503:2`.
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<FaultSpec>,
}

/// Limits and timings, changeable at run time through the control endpoint.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Settings {
    #[serde(skip)]
    pub timing: Timing,
    pub rate_limit: u32,
    #[serde(skip)]
    pub rate_window: Duration,
    pub max_concurrent_tasks: u32,
}

/// Everything the mock's handlers share.
pub struct MockState {
    pub required_key: Option<String>,
    pub settings: RwLock<Settings>,
    pub tasks: TaskStore,
    pub faults: FaultQueue,
    pub rate: RateLimiter,
    pub submits: std::sync::atomic::AtomicU64,
    /// Permits to decode an input ([`DECODES_AT_ONCE`]).
    pub decode_permits: Arc<Semaphore>,
    /// Permits to draw a result ([`DRAWS_AT_ONCE`]).
    pub draw_permits: Arc<Semaphore>,
}

impl MockState {
    pub fn new(options: &MockOptions) -> MockState {
        MockState {
            required_key: options.require_key.clone(),
            settings: RwLock::new(Settings {
                timing: Timing {
                    queue: options.queue_time,
                    processing: options.processing_time,
                    result_ttl: options.result_ttl,
                },
                rate_limit: options.rate_limit,
                rate_window: Duration::from_secs(60),
                max_concurrent_tasks: options.max_concurrent_tasks,
            }),
            tasks: TaskStore::new(StoreLimits {
                max_tasks: options.max_stored_tasks as usize,
                max_bytes: options.max_stored_image_mb.saturating_mul(1_000_000),
            }),
            faults: FaultQueue::new(options.faults.iter().cloned()),
            rate: RateLimiter::default(),
            submits: std::sync::atomic::AtomicU64::new(0),
            decode_permits: Arc::new(Semaphore::new(DECODES_AT_ONCE)),
            draw_permits: Arc::new(Semaphore::new(DRAWS_AT_ONCE)),
        }
    }

    pub fn settings(&self) -> Settings {
        *self
            .settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub type SharedMock = Arc<MockState>;

/// Runs `work` on the blocking pool once one of `permits` is free, and holds the permit
/// until the work ends, even if the caller stops waiting. None if the work panicked.
pub async fn run_limited<T: Send + 'static>(
    permits: &Arc<Semaphore>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    // Never closed, so acquiring fails only if that changes.
    let permit = Arc::clone(permits).acquire_owned().await.ok()?;
    tokio::task::spawn_blocking(move || {
        let done = work();
        drop(permit);
        done
    })
    .await
    .ok()
}

/// The contract's two routes (behind the guard), the result images, and the control
/// endpoint.
pub fn router(options: &MockOptions) -> Result<Router> {
    let state: SharedMock = Arc::new(MockState::new(options));
    let api = Router::new()
        .route(SUBMIT_PATH, post(handlers::submit))
        .route("/api/v1/tasks/{task_id}", get(handlers::task))
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::guard,
        ));
    Ok(Router::new()
        .merge(api)
        .route(results::RESULTS_ROUTE, get(handlers::result_image))
        .nest("/__mock", control::router(Arc::clone(&state)))
        .with_state(state))
}
