//! The poll schedule's figures, the retry waits per error kind, and the loop's
//! "check now", cancel and drop, against an address that refuses connections.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::future::sleep;
use seedream_contract::{ApiError, ErrorKind};
use seedream_studio::api::{ApiConfig, NoAnswer, NotSent, ReadError, Silence, Target};
use seedream_studio::i18n::Locale;
use seedream_studio::poll::{PollEvent, follow, next_poll_delay, retry_delay};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Queries made and the notice delay (ms) for a task ending `finish_ms` after
/// submit, the first query coming one schedule delay after submit (as `follow` does).
fn simulate(finish_ms: u64) -> (u32, u64) {
    let (mut now, mut polls) = (0u64, 0u32);
    loop {
        now += next_poll_delay(polls, now, false).as_millis() as u64;
        polls += 1;
        if now >= finish_ms {
            return (polls, now - finish_ms);
        }
    }
}

/// Worst and mean notice delay (ms) over tasks ending every 10 ms in (0, up_to_ms].
fn notice_spread(up_to_ms: u64) -> (u64, f64) {
    let delays: Vec<u64> = (1..=up_to_ms / 10).map(|i| simulate(i * 10).1).collect();
    let worst = delays.iter().copied().max().unwrap_or(0);
    let mean = delays.iter().sum::<u64>() as f64 / delays.len() as f64;
    (worst, mean)
}

#[wasm_bindgen_test]
fn schedule_figures_for_5_30_and_60_second_tasks() {
    assert_eq!(simulate(5_000), (4, 1_000), "5 s: queries at 1, 2, 4, 6 s");
    assert_eq!(simulate(30_000), (11, 2_000), "30 s: last query at 32 s");
    assert_eq!(simulate(60_000), (18, 0), "60 s: a query lands at 60 s");
    assert!(
        simulate(30_000).0 <= 12,
        "a 30 s task needs at most 12 queries"
    );

    let (worst, mean) = notice_spread(5_000);
    assert!(worst <= 2_000, "5 s worst {worst}");
    assert!((800.0..=1_000.0).contains(&mean), "5 s mean {mean}");
    let (worst, mean) = notice_spread(30_000);
    assert!(worst <= 4_000, "30 s worst {worst}");
    assert!((1_500.0..=2_000.0).contains(&mean), "30 s mean {mean}");
    let (worst, mean) = notice_spread(60_000);
    assert!(worst <= 4_000, "60 s worst {worst}");
    assert!((1_600.0..=2_100.0).contains(&mean), "60 s mean {mean}");
}

#[wasm_bindgen_test]
fn schedule_starts_fast_backs_off_and_is_bounded() {
    let secs = |polls, elapsed| next_poll_delay(polls, elapsed, false).as_millis() as u64;
    let ramp: Vec<u64> = (0..8).map(|n| secs(n, 0)).collect();
    assert_eq!(
        ramp,
        [1_000, 1_000, 2_000, 2_000, 3_000, 3_000, 4_000, 4_000]
    );
    assert_eq!(secs(1_000_000, 0), 4_000, "no growth past the steady delay");
    assert_eq!(secs(0, 12_000), 4_000, "slow queries do not keep it fast");
    assert_eq!(secs(50, 120_000), 5_000, "slow tasks: 5 s");
    assert_eq!(secs(u32::MAX, u64::MAX), 5_000, "extremes do not overflow");
    for polls in 0..40 {
        for elapsed in [0, 5_000, 12_000, 60_000, 120_000, 3_600_000] {
            let visible = next_poll_delay(polls, elapsed, false);
            let hidden = next_poll_delay(polls, elapsed, true);
            assert!(visible >= Duration::from_secs(1) && visible <= Duration::from_secs(5));
            assert!(hidden >= visible && hidden <= Duration::from_secs(30));
        }
    }
    assert_eq!(next_poll_delay(0, 0, true), Duration::from_secs(3));
    assert_eq!(next_poll_delay(50, 0, true), Duration::from_secs(12));
    assert_eq!(next_poll_delay(50, 120_000, true), Duration::from_secs(15));
}

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
