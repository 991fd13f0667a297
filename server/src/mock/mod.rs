//! A faithful mock of the Modellix API for Seedream 5.0 Lite Edit, so the whole app
//! can be tried and tested with no key and no network.
//!
//! Requests pass the [`guard`] (key, rate limit, injected faults), then the
//! [`handlers`] validate with `seedream-contract` and answer in its envelopes. Tasks
//! move through their lifecycle by the clock ([`tasks`]); results are drawn from the
//! inputs on first request ([`render`], [`sources`]) and expire. The [`control`]
//! endpoint lets tests change limits and inject faults at run time.

pub mod control;
pub mod faults;
pub mod guard;
pub mod handlers;
pub mod render;
pub mod sources;
pub mod tasks;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Result;
use axum::Router;
use axum::middleware;
use axum::routing::get;
use axum::routing::post;
use seedream_contract::SUBMIT_PATH;

use crate::config::MockOptions;
use faults::FaultQueue;
use guard::RateLimiter;
use tasks::{TaskStore, Timing};

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
    /// Fetches loopback input URLs (and nothing else).
    pub http: reqwest::Client,
}

impl MockState {
    pub fn new(options: &MockOptions) -> Result<MockState> {
        Ok(MockState {
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
            tasks: TaskStore::default(),
            faults: FaultQueue::new(options.faults.iter().cloned()),
            rate: RateLimiter::default(),
            submits: std::sync::atomic::AtomicU64::new(0),
            http: sources::loopback_client()?,
        })
    }

    pub fn settings(&self) -> Settings {
        *self
            .settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub type SharedMock = Arc<MockState>;

/// The contract's two routes (behind the guard), the result images, and the control
/// endpoint.
pub fn router(options: &MockOptions) -> Result<Router> {
    let state: SharedMock = Arc::new(MockState::new(options)?);
    let api = Router::new()
        .route(SUBMIT_PATH, post(handlers::submit))
        .route("/api/v1/tasks/{task_id}", get(handlers::task))
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::guard,
        ));
    Ok(Router::new()
        .merge(api)
        .route(handlers::RESULTS_ROUTE, get(handlers::result_image))
        .nest("/__mock", control::router())
        .with_state(state))
}
