//! The mock's tasks: their lifecycle over time, their results, their expiry, and how
//! many of them (and how much of their images) the mock keeps.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use seedream_contract::{EditRequest, OutputFormat, TaskStatus};
use tokio::sync::{OnceCell, watch};

use super::decode::DecodedInputs;

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
    pub images: Vec<OnceCell<Bytes>>,
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
    fn set_inputs(&self, decoded: DecodedInputs) {
        self.inputs.send_replace(Some(Arc::new(decoded)));
    }

    /// The memory the task keeps: its decoded inputs' pixels and its drawn results.
    pub fn kept_bytes(&self) -> u64 {
        let inputs = self.inputs.borrow().as_ref().map_or(0, |i| i.byte_len());
        let results: usize = self
            .images
            .iter()
            .filter_map(OnceCell::get)
            .map(Bytes::len)
            .sum();
        inputs + results as u64
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

/// How much the store keeps. Over either limit, the oldest finished tasks go first:
/// their queries and results then answer 404, as for an unknown task. Unfinished
/// tasks are never evicted; the limit on tasks at once bounds them.
#[derive(Debug, Clone, Copy)]
pub struct StoreLimits {
    /// Tasks kept, finished or not.
    pub max_tasks: usize,
    /// Bytes of images kept: decoded inputs and drawn results ([`Task::kept_bytes`]).
    pub max_bytes: u64,
}

/// Every task, by id. Expired tasks are dropped and the [`StoreLimits`] applied as new
/// ones arrive and as their images are decoded and drawn, so a long-running demo (or a
/// client hammering it) does not grow without bound.
pub struct TaskStore {
    tasks: Mutex<HashMap<String, Arc<Task>>>,
    limits: StoreLimits,
    /// The most tasks unfinished at once so far (a client's concurrency, seen here).
    most_unfinished: AtomicUsize,
}

impl TaskStore {
    pub fn new(limits: StoreLimits) -> TaskStore {
        TaskStore {
            tasks: Mutex::default(),
            limits,
            most_unfinished: AtomicUsize::new(0),
        }
    }

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
        let unfinished = tasks.values().filter(|t| t.unfinished(now)).count();
        if max_unfinished.is_some_and(|limit| unfinished >= limit) {
            return None;
        }
        // Tasks only end between inserts, so the most at once is counted here.
        self.most_unfinished
            .fetch_max(unfinished + 1, Ordering::Relaxed);
        // Room for one more, before it is in: even a task that ends at once is kept.
        let max_tasks = self.limits.max_tasks.saturating_sub(1);
        evict(&mut tasks, now, max_tasks, self.limits.max_bytes, None);
        let task = Arc::new(task);
        tasks.insert(task.id.clone(), Arc::clone(&task));
        Some(task)
    }

    pub fn get(&self, id: &str) -> Option<Arc<Task>> {
        self.lock().get(id).cloned()
    }

    /// Records `task`'s decoded inputs, then makes room for them. Both under the lock,
    /// so whoever the inputs wake finds the store already within its limits.
    pub fn set_inputs(&self, task: &Task, decoded: DecodedInputs) {
        let mut tasks = self.lock();
        task.set_inputs(decoded);
        self.evict_for(&mut tasks, task);
    }

    /// Makes room after `task` grew (a result was drawn); `task` itself stays.
    pub fn make_room_for(&self, task: &Task) {
        let mut tasks = self.lock();
        self.evict_for(&mut tasks, task);
    }

    /// Evicts down to the limits, never `task`.
    fn evict_for(&self, tasks: &mut HashMap<String, Arc<Task>>, task: &Task) {
        let limits = self.limits;
        evict(
            tasks,
            Instant::now(),
            limits.max_tasks,
            limits.max_bytes,
            Some(&task.id),
        );
    }

    /// (tasks kept, task queries answered, image bytes kept) for the control endpoint.
    /// The most tasks that were unfinished at once.
    pub fn most_unfinished(&self) -> usize {
        self.most_unfinished.load(Ordering::Relaxed)
    }

    pub fn counts(&self) -> (usize, u64, u64) {
        let tasks = self.lock();
        let queries = tasks
            .values()
            .map(|t| t.queries.load(Ordering::Relaxed))
            .sum();
        let bytes = tasks.values().map(|t| t.kept_bytes()).sum();
        (tasks.len(), queries, bytes)
    }
}

/// Drops expired tasks, then the oldest finished ones (but `keep`) until at most
/// `max_tasks` keep at most `max_bytes`, or only unfinished ones and `keep` are left.
/// A task is never evicted for its own growth, so one that alone exceeds the budget
/// still serves its results.
fn evict(
    tasks: &mut HashMap<String, Arc<Task>>,
    now: Instant,
    max_tasks: usize,
    max_bytes: u64,
    keep: Option<&str>,
) {
    tasks.retain(|_, t| !t.expired(now));
    let mut count = tasks.len();
    let mut bytes: u64 = tasks.values().map(|t| t.kept_bytes()).sum();
    if count <= max_tasks && bytes <= max_bytes {
        return;
    }
    let mut finished: Vec<Arc<Task>> = tasks
        .values()
        .filter(|t| !t.unfinished(now) && Some(t.id.as_str()) != keep)
        .cloned()
        .collect();
    finished.sort_by_key(|t| t.created);
    for task in finished {
        if count <= max_tasks && bytes <= max_bytes {
            break;
        }
        tasks.remove(&task.id);
        count -= 1;
        bytes = bytes.saturating_sub(task.kept_bytes());
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

    /// `n` x `n` grey pixels decoded as an input: `n * n * 3` bytes kept.
    fn inputs(n: u32) -> DecodedInputs {
        let mut png = std::io::Cursor::new(Vec::new());
        let grey = image::RgbImage::from_pixel(n, n, image::Rgb([128; 3]));
        grey.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let source = super::super::decode::decode_source(png.get_ref()).unwrap();
        DecodedInputs {
            sources: vec![source],
            summaries: Vec::new(),
        }
    }

    fn ids(store: &TaskStore) -> Vec<String> {
        let mut ids: Vec<String> = store.lock().keys().cloned().collect();
        ids.sort();
        ids
    }

    fn sorted<const N: usize>(tasks: [&Arc<Task>; N]) -> Vec<String> {
        let mut ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn over_the_task_limit_the_oldest_finished_go_and_unfinished_stay() {
        let store = TaskStore::new(StoreLimits {
            max_tasks: 2,
            max_bytes: u64::MAX,
        });
        let (finished, running) = (timing(0, 0, 60_000), timing(0, 60_000, 60_000));
        let add = |timing| store.insert(task(Outcome::Succeed, timing), None).unwrap();
        let (old, newer) = (add(finished), add(finished));
        assert_eq!(ids(&store), sorted([&old, &newer]));
        let first_running = add(running);
        assert_eq!(ids(&store), sorted([&newer, &first_running]));
        let second_running = add(running);
        assert_eq!(ids(&store), sorted([&first_running, &second_running]));
        let third_running = add(running);
        assert_eq!(store.counts().0, 3, "unfinished tasks are never evicted");
        assert!(store.get(&third_running.id).is_some());
    }

    #[test]
    fn over_the_byte_budget_the_oldest_finished_go_but_never_the_one_that_grew() {
        let store = TaskStore::new(StoreLimits {
            max_tasks: 100,
            max_bytes: 100 * 100 * 3 * 2,
        });
        let finished = timing(0, 0, 60_000);
        let add = || {
            store
                .insert(task(Outcome::Succeed, finished), None)
                .unwrap()
        };
        let (a, b, c) = (add(), add(), add());
        store.set_inputs(&a, inputs(100));
        store.set_inputs(&b, inputs(100));
        assert_eq!(store.counts(), (3, 0, 60_000));
        store.set_inputs(&c, inputs(100));
        assert_eq!(ids(&store), sorted([&b, &c]), "the oldest made room");
        store.set_inputs(&c, inputs(300));
        assert_eq!(ids(&store), sorted([&c]), "alone over the budget, and kept");
        assert_eq!(store.counts().2, 300 * 300 * 3);
    }

    #[test]
    fn ids_look_like_the_providers() {
        let id = new_task_id();
        assert!(id.starts_with("task-") && id.len() == 29, "{id}");
        assert!(seedream_contract::is_valid_task_id(&id));
    }
}
