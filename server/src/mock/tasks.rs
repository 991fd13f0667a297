//! The mock's tasks: their lifecycle over time, their results, and their expiry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use seedream_contract::{EditRequest, OutputFormat, TaskStatus};
use tokio::sync::{OnceCell, watch};

use super::sources::DecodedInputs;

/// How long each phase lasts and how long results stay; changeable at run time.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub queue: Duration,
    pub processing: Duration,
    pub result_ttl: Duration,
}

/// How a task ends.
#[derive(Debug, Clone)]
pub enum Outcome {
    Succeed,
    Fail(String),
}

/// One submitted edit.
pub struct Task {
    pub id: String,
    pub prompt: String,
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    pub outputs: usize,
    pub outcome: Outcome,
    created: Instant,
    timing: Timing,
    /// The inputs, decoded in the background after the submit answers: None until
    /// then. A watch, so the control endpoint can wait for it.
    inputs: watch::Sender<Option<Arc<DecodedInputs>>>,
    /// The encoded results, drawn on first request.
    pub images: Vec<OnceCell<bytes::Bytes>>,
    /// How many times the task was queried (for the benchmarks' polling cost).
    pub queries: std::sync::atomic::AtomicU64,
}

impl Task {
    pub fn new(id: String, request: &EditRequest, outcome: Outcome, timing: Timing) -> Task {
        let outputs = request.max_outputs().max(1);
        Task {
            id,
            prompt: request.prompt.clone(),
            width: request.size.width,
            height: request.size.height,
            format: request.output_format,
            outputs,
            outcome,
            created: Instant::now(),
            timing,
            inputs: watch::Sender::new(None),
            images: (0..outputs).map(|_| OnceCell::new()).collect(),
            queries: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The decoded inputs, if decoding has finished.
    pub fn inputs(&self) -> Option<Arc<DecodedInputs>> {
        self.inputs.borrow().clone()
    }

    /// The decoded inputs, once decoding has finished.
    pub async fn decoded_inputs(&self) -> Arc<DecodedInputs> {
        let mut decoded = self.inputs.subscribe();
        // Fails only when the sender is gone, and `self` holds it.
        match decoded.wait_for(Option::is_some).await {
            Ok(ready) => ready.clone().unwrap_or_default(),
            Err(_) => Arc::default(),
        }
    }

    /// Records the inputs once decoded, waking whoever waits for them.
    pub fn set_inputs(&self, decoded: DecodedInputs) {
        self.inputs.send_replace(Some(Arc::new(decoded)));
    }

    /// When the task reaches its final status.
    pub fn ends_at(&self) -> Instant {
        self.created + self.timing.queue + self.timing.processing
    }

    /// The task's status at `now`.
    pub fn status(&self, now: Instant) -> TaskStatus {
        let elapsed = now.saturating_duration_since(self.created);
        if elapsed < self.timing.queue {
            TaskStatus::Pending
        } else if now < self.ends_at() {
            TaskStatus::Processing
        } else {
            match self.outcome {
                Outcome::Succeed => TaskStatus::Success,
                Outcome::Fail(_) => TaskStatus::Failed,
            }
        }
    }

    /// True while the task counts against the concurrency limit.
    pub fn unfinished(&self, now: Instant) -> bool {
        now < self.ends_at()
    }

    /// True once results may no longer be fetched.
    pub fn expired(&self, now: Instant) -> bool {
        now >= self.ends_at() + self.timing.result_ttl
    }
}

/// Every task, by id. Expired tasks are dropped as new ones arrive, so a long-running
/// demo does not grow without bound.
#[derive(Default)]
pub struct TaskStore {
    tasks: Mutex<HashMap<String, Arc<Task>>>,
}

impl TaskStore {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<Task>>> {
        // A poisoned lock only means another request panicked mid-update; the map
        // itself is still consistent (every update is a single insert or retain).
        self.tasks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `task` unless `max_unfinished` tasks are already running; the count and the
    /// insert happen under one lock, so simultaneous submits cannot both slip past it.
    pub fn insert(&self, task: Task, max_unfinished: Option<usize>) -> Option<Arc<Task>> {
        let now = Instant::now();
        let mut tasks = self.lock();
        if let Some(limit) = max_unfinished
            && tasks.values().filter(|t| t.unfinished(now)).count() >= limit
        {
            return None;
        }
        tasks.retain(|_, t| !t.expired(now));
        let task = Arc::new(task);
        tasks.insert(task.id.clone(), Arc::clone(&task));
        Some(task)
    }

    pub fn get(&self, id: &str) -> Option<Arc<Task>> {
        self.lock().get(id).cloned()
    }

    /// (tasks known, task queries answered) for the control endpoint.
    pub fn counts(&self) -> (usize, u64) {
        let tasks = self.lock();
        let queries = tasks
            .values()
            .map(|t| t.queries.load(std::sync::atomic::Ordering::Relaxed))
            .sum();
        (tasks.len(), queries)
    }
}

/// A fresh task id in the provider's style (`task-` and 24 hex digits).
pub fn new_task_id() -> String {
    format!("task-{:024x}", rand::random::<u128>() >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(queue_ms: u64, processing_ms: u64, ttl_ms: u64) -> Timing {
        Timing {
            queue: Duration::from_millis(queue_ms),
            processing: Duration::from_millis(processing_ms),
            result_ttl: Duration::from_millis(ttl_ms),
        }
    }

    fn task(outcome: Outcome, timing: Timing) -> Task {
        let request = EditRequest::new("watercolour", vec!["https://example.com/a.png".into()]);
        Task::new(new_task_id(), &request, outcome, timing)
    }

    #[test]
    fn moves_through_pending_processing_then_its_outcome() {
        let t = task(Outcome::Succeed, timing(100, 200, 1000));
        let start = t.created;
        assert_eq!(t.status(start), TaskStatus::Pending);
        assert_eq!(
            t.status(start + Duration::from_millis(150)),
            TaskStatus::Processing
        );
        assert_eq!(
            t.status(start + Duration::from_millis(300)),
            TaskStatus::Success
        );
        let failing = task(Outcome::Fail("no".into()), timing(0, 0, 0));
        assert_eq!(failing.status(failing.created), TaskStatus::Failed);
    }

    #[test]
    fn results_expire_after_the_ttl_counted_from_the_end() {
        let t = task(Outcome::Succeed, timing(10, 10, 100));
        assert!(!t.expired(t.created + Duration::from_millis(119)));
        assert!(t.expired(t.created + Duration::from_millis(120)));
    }

    #[test]
    fn ids_look_like_the_providers() {
        let id = new_task_id();
        assert!(id.starts_with("task-") && id.len() == 29, "{id}");
        assert!(seedream_contract::is_valid_task_id(&id));
    }
}
