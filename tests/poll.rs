//! The retry waits per error kind, and the loop's "check now", cancel and drop,
//! against an address that refuses connections. The schedule's figures are pure
//! arithmetic, tested natively beside it (`src/poll/schedule.rs`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::future::sleep;
use seedream_contract::{ApiError, ErrorKind};
use seedream_studio::api::{ApiConfig, NoAnswer, NotSent, ReadError, Silence, Target};
use seedream_studio::i18n::Locale;
use seedream_studio::poll::{PollEvent, follow, retry_delay};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn api(status: u16, kind: ErrorKind, reset_wait_secs: Option<u64>) -> ReadError {
    ReadError::Api {
        error: ApiError::new(Some(status), kind, kind.default_message()),
        reset_wait_secs,
    }
}

fn waits(error: &ReadError, retries: u32) -> Vec<Option<u64>> {
    (0..retries)
        .map(|n| retry_delay(error, n).map(|d| d.as_secs()))
        .collect()
}

#[wasm_bindgen_test]
fn retry_delay_follows_the_contract_per_error_kind() {
    let rate = api(429, ErrorKind::RateLimited, None);
    assert_eq!(
        waits(&rate, 7),
        [
            Some(1),
            Some(2),
            Some(4),
            Some(8),
            Some(16),
            Some(30),
            Some(30)
        ]
    );
    assert!(retry_delay(&rate, 1_000).is_some(), "429: no count limit");
    let reset = api(429, ErrorKind::RateLimited, Some(20));
    assert_eq!(
        waits(&reset, 6),
        [Some(20), Some(20), Some(20), Some(20), Some(20), Some(30)]
    );
    let unavailable = api(503, ErrorKind::Unavailable, None);
    assert_eq!(retry_delay(&unavailable, 50), Some(Duration::from_secs(30)));
    let internal = api(500, ErrorKind::Internal, None);
    assert_eq!(waits(&internal, 4), [Some(1), Some(2), Some(4), None]);
    let gateway = api(502, ErrorKind::OtherStatus, None);
    assert_eq!(waits(&gateway, 4), [Some(1), Some(2), Some(4), None]);
    let lost = ReadError::NoAnswer(NoAnswer {
        target: Target::ThisServer,
        cause: Silence::Unreachable,
    });
    assert_eq!(waits(&lost, 4), [Some(1), Some(2), Some(4), None]);
    for (status, kind) in [
        (400, ErrorKind::InvalidParameters),
        (401, ErrorKind::Unauthorized),
        (402, ErrorKind::InsufficientBalance),
        (404, ErrorKind::NotFound),
        (418, ErrorKind::OtherStatus),
        (200, ErrorKind::MalformedAnswer),
    ] {
        assert_eq!(
            retry_delay(&api(status, kind, Some(5)), 0),
            None,
            "{status}"
        );
    }
    assert_eq!(retry_delay(&ReadError::Invalid(NotSent::TaskId), 0), None);
}

fn unreachable() -> ApiConfig {
    ApiConfig::new("http://127.0.0.1:9", Some("test-key"))
}

fn recorder() -> (Rc<RefCell<Vec<PollEvent>>>, impl Fn(PollEvent) + 'static) {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&events);
    (events, move |event| sink.borrow_mut().push(event))
}

#[wasm_bindgen_test]
async fn check_now_skips_waits_then_gives_up_after_three_retries() {
    let (events, on_event) = recorder();
    let handle = follow(unreachable(), "task-abc".into(), on_event);
    for attempt in 1..=3u32 {
        handle.poll_now();
        sleep(Duration::from_millis(700)).await;
        let seen = events.borrow();
        assert_eq!(seen.len(), attempt as usize, "{seen:?}");
        match seen.last() {
            Some(PollEvent::Retrying {
                error,
                retry_in,
                attempt: n,
            }) => {
                assert_eq!(*n, attempt);
                assert_eq!(*retry_in, Duration::from_secs(1 << (attempt - 1)));
                let message = error.describe(Locale::en);
                assert!(message.contains("No answer"), "{message}");
            }
            other => panic!("expected Retrying, got {other:?}"),
        }
    }
    handle.poll_now();
    sleep(Duration::from_millis(700)).await;
    assert!(
        matches!(
            events.borrow().last(),
            Some(PollEvent::GaveUp(ReadError::NoAnswer(_)))
        ),
        "{:?}",
        events.borrow()
    );
    assert!(!handle.is_running());
}

#[wasm_bindgen_test]
async fn cancel_stops_at_once_and_silently() {
    let (events, on_event) = recorder();
    let handle = follow(unreachable(), "task-abc".into(), on_event);
    handle.poll_now();
    handle.cancel();
    sleep(Duration::from_millis(1_500)).await;
    assert!(events.borrow().is_empty(), "{:?}", events.borrow());
    assert!(!handle.is_running());
}

#[wasm_bindgen_test]
async fn dropping_the_handle_stops_the_loop() {
    let (events, on_event) = recorder();
    let kept = follow(unreachable(), "task-kept".into(), on_event);
    let (dropped_events, on_dropped) = recorder();
    drop(follow(unreachable(), "task-dropped".into(), on_dropped));
    sleep(Duration::from_millis(1_500)).await;
    assert!(
        dropped_events.borrow().is_empty(),
        "{:?}",
        dropped_events.borrow()
    );
    assert_eq!(
        events.borrow().len(),
        1,
        "the kept one polled: {:?}",
        events.borrow()
    );
    drop(kept);
}
