//! The loop's "check now", cancel and drop, against an address that refuses
//! connections. The schedule's figures and the retry waits per error kind are pure
//! arithmetic, tested natively beside them (`src/poll/schedule.rs`).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use seedream_studio::api::{ApiConfig, NoAnswer, ReadError, Silence, Target};
use seedream_studio::poll::{PollEvent, PollHandle, follow};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common::{until, until_within};

fn unreachable() -> ApiConfig {
    ApiConfig::new("http://127.0.0.1:9", Some("test-key"))
}

/// What every query to [`unreachable`] gets.
fn no_answer() -> ReadError {
    ReadError::NoAnswer(NoAnswer {
        target: Target::Address("http://127.0.0.1:9".to_owned()),
        cause: Silence::Unreachable,
    })
}

type Events = Rc<RefCell<Vec<PollEvent>>>;

fn recorder() -> (Events, impl Fn(PollEvent) + 'static) {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&events);
    (events, move |event| sink.borrow_mut().push(event))
}

/// Asks `handle`'s loop at once ("check now") and waits for its `n`th event: a
/// witness that a query another loop made meanwhile would have had its answer too.
async fn witness_until(handle: &PollHandle, events: &Events, n: usize) {
    handle.poll_now();
    until(&format!("the witness's event {n}"), || {
        events.borrow().len() >= n
    })
    .await;
}

#[wasm_bindgen_test]
async fn check_now_skips_waits_then_gives_up_after_three_retries() {
    // Each "check now" skips a wait of a second or more (the first poll's delay, then
    // retries after 1, 2 and 4 s): its event comes well before that wait would end.
    let skipped = Duration::from_millis(900);
    let (events, on_event) = recorder();
    let handle = follow(unreachable(), "task-abc".into(), on_event);
    for attempt in 1..=3u32 {
        handle.poll_now();
        until_within(skipped, &format!("retry {attempt} after check now"), || {
            events.borrow().len() >= attempt as usize
        })
        .await;
        let seen = events.borrow();
        assert_eq!(
            seen.last(),
            Some(&PollEvent::Retrying {
                error: no_answer(),
                retry_in: Duration::from_secs(1 << (attempt - 1)),
                attempt,
            }),
            "{seen:?}"
        );
        assert_eq!(seen.len(), attempt as usize, "{seen:?}");
    }
    handle.poll_now();
    until_within(skipped, "giving up after check now", || {
        events.borrow().len() == 4
    })
    .await;
    assert_eq!(
        events.borrow().last(),
        Some(&PollEvent::GaveUp(no_answer()))
    );
    until("the loop to stop", || !handle.is_running()).await;
}

#[wasm_bindgen_test]
async fn cancel_stops_at_once_and_silently() {
    let (events, on_event) = recorder();
    let handle = follow(unreachable(), "task-abc".into(), on_event);
    handle.poll_now();
    handle.cancel();
    // Once the loop has ended, nothing can follow: it ended without a word.
    until("the cancelled loop to stop", || !handle.is_running()).await;
    assert_eq!(*events.borrow(), []);
}

#[wasm_bindgen_test]
async fn dropping_the_handle_stops_the_loop() {
    let (events, on_event) = recorder();
    let kept = follow(unreachable(), "task-kept".into(), on_event);
    let (dropped_events, on_dropped) = recorder();
    drop(follow(unreachable(), "task-dropped".into(), on_dropped));
    // Both would query after the schedule's first delay; the kept one does.
    until("the kept loop's first query", || events.borrow().len() == 1).await;
    // One more answer to the kept one: the dropped one's would have come by then.
    witness_until(&kept, &events, 2).await;
    assert_eq!(*dropped_events.borrow(), []);
    assert_eq!(
        events.borrow()[0],
        PollEvent::Retrying {
            error: no_answer(),
            retry_in: Duration::from_secs(1),
            attempt: 1,
        },
        "the kept one polled"
    );
    drop(kept);
}
