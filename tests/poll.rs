//! The loop's "check now", cancel and drop, against an address that refuses
//! connections. The schedule's figures and the retry waits per error kind are pure
//! arithmetic, tested natively beside them (`src/poll/schedule.rs`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::future::sleep;
use seedream_studio::api::{ApiConfig, ReadError};
use seedream_studio::i18n::Locale;
use seedream_studio::poll::{PollEvent, follow};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

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
