use super::*;

const T0: f64 = 1_000_000.0;

fn sent(record: &str) -> Outcome {
    Outcome::Accepted {
        record: record.to_owned(),
    }
}

/// Sends what the queue asks for at `now` with `unfinished` tasks, and returns it.
fn send_next(queue: &mut Queue, unfinished: usize, now: f64) -> usize {
    match queue.next(unfinished, now) {
        Step::Send(index) => {
            queue.start_sending(index);
            index
        }
        other => panic!("expected a send, got {other:?} for {queue:?}"),
    }
}

#[test]
fn the_limit_counts_every_unfinished_task_and_one_send_goes_at_a_time() {
    let mut queue = Queue::new(3, 2);
    // (unfinished tasks, what the queue does)
    assert_eq!(queue.next(0, T0), Step::Send(0));
    queue.start_sending(0);
    assert_eq!(queue.next(0, T0), Step::Idle, "one send at a time");
    queue.settle(0, sent("r0"), T0);
    assert_eq!(queue.next(1, T0), Step::Send(1));
    queue.start_sending(1);
    queue.settle(1, sent("r1"), T0);
    assert_eq!(queue.next(2, T0), Step::Idle, "two unfinished: full");
    // A single edit sent meanwhile counts against the limit too.
    assert_eq!(queue.next(3, T0), Step::Idle);
    assert_eq!(queue.next(1, T0), Step::Send(2), "a slot freed");
    queue.start_sending(2);
    queue.settle(2, sent("r2"), T0);
    assert_eq!(queue.next(2, T0), Step::Finished);
    assert_eq!(queue.records(), ["r0", "r1", "r2"]);
}

#[test]
fn a_429_with_a_wait_holds_the_queue_until_then_and_sends_the_same_item_again() {
    let mut queue = Queue::new(2, 2);
    send_next(&mut queue, 0, T0);
    queue.settle(0, Outcome::RateLimited { wait_secs: Some(7) }, T0);
    assert_eq!(queue.items[0], ItemState::Queued);
    assert_eq!(queue.next(0, T0 + 1.0), Step::WaitUntil(T0 + 7_000.0));
    assert_eq!(queue.next(0, T0 + 6_999.0), Step::WaitUntil(T0 + 7_000.0));
    assert_eq!(
        send_next(&mut queue, 0, T0 + 7_000.0),
        0,
        "the refused item first"
    );
    queue.settle(0, sent("r0"), T0 + 7_100.0);
    assert_eq!(queue.hold_until_ms, None);
    assert_eq!(queue.refusals_in_a_row, 0);
    assert_eq!(queue.next(1, T0 + 7_100.0), Step::Send(1));
}

#[test]
fn a_429_without_a_wait_backs_off_more_each_time_in_a_row() {
    let mut queue = Queue::new(1, 1);
    // (refusal number, hold after it)
    let mut now = T0;
    for (refusal, hold) in [(1, 1_000.0), (2, 2_000.0), (3, 4_000.0), (4, 8_000.0)] {
        send_next(&mut queue, 0, now);
        queue.settle(0, Outcome::RateLimited { wait_secs: None }, now);
        assert_eq!(
            queue.next(0, now),
            Step::WaitUntil(now + hold),
            "refusal {refusal}"
        );
        now += hold;
    }
    // A wait the answer gave is kept even when the backoff would be shorter.
    send_next(&mut queue, 0, now);
    queue.settle(
        0,
        Outcome::RateLimited {
            wait_secs: Some(60),
        },
        now,
    );
    assert_eq!(queue.next(0, now), Step::WaitUntil(now + 60_000.0));
}

#[test]
fn each_kind_of_refusal_and_the_unknown_outcome() {
    // (outcome, the item's state after it, the queue's pause, what comes next)
    let record = Some("r0".to_owned());
    let table = [
        (
            Outcome::RefusedItem {
                record: record.clone(),
            },
            ItemState::Failed {
                record: record.clone(),
            },
            None,
            Step::Send(1),
        ),
        (
            Outcome::RefusedAll {
                record: record.clone(),
            },
            ItemState::Queued,
            Some(Pause::Refused {
                record: record.clone(),
            }),
            Step::Idle,
        ),
        (
            Outcome::Unknown {
                record: record.clone(),
            },
            ItemState::Unknown {
                record: record.clone(),
            },
            Some(Pause::Unknown {
                record: record.clone(),
            }),
            Step::Idle,
        ),
    ];
    for (outcome, state, pause, next) in table {
        let mut queue = Queue::new(3, 2);
        send_next(&mut queue, 0, T0);
        queue.settle(0, outcome.clone(), T0);
        assert_eq!(queue.items[0], state, "{outcome:?}");
        assert_eq!(queue.paused, pause, "{outcome:?}");
        assert_eq!(queue.next(0, T0), next, "{outcome:?}");
    }
}

#[test]
fn resuming_after_an_account_refusal_sends_the_item_again_and_after_an_unknown_goes_on() {
    let mut refused = Queue::new(2, 2);
    send_next(&mut refused, 0, T0);
    refused.settle(0, Outcome::RefusedAll { record: None }, T0);
    refused.resume();
    assert_eq!(
        refused.next(0, T0),
        Step::Send(0),
        "nothing was created: sent again"
    );

    let mut unknown = Queue::new(2, 2);
    send_next(&mut unknown, 0, T0);
    unknown.settle(0, Outcome::Unknown { record: None }, T0);
    unknown.resume();
    assert_eq!(unknown.next(0, T0), Step::Send(1), "never resent by itself");
}

#[test]
fn pause_resume_and_cancel() {
    let mut queue = Queue::new(4, 2);
    send_next(&mut queue, 0, T0);
    queue.pause();
    queue.settle(0, sent("r0"), T0);
    assert_eq!(
        queue.next(0, T0),
        Step::Idle,
        "the send under way ends; nothing after"
    );
    assert_eq!(queue.paused, Some(Pause::ByPerson));
    assert!(queue.cancel(1));
    assert!(!queue.cancel(0), "a sent item cannot be taken back");
    queue.resume();
    assert_eq!(
        queue.next(1, T0),
        Step::Send(2),
        "the cancelled item is skipped"
    );
    queue.start_sending(2);
    assert_eq!(queue.cancel_rest(), [3]);
    queue.settle(2, sent("r2"), T0);
    assert_eq!(queue.next(0, T0), Step::Finished);
    assert_eq!(
        queue.items,
        [
            ItemState::Sent {
                record: "r0".into()
            },
            ItemState::Cancelled,
            ItemState::Sent {
                record: "r2".into()
            },
            ItemState::Cancelled,
        ]
    );
    queue.pause();
    assert_eq!(queue.paused, None, "a finished queue has nothing to pause");
}

#[test]
fn after_a_reload_the_queue_is_paused_and_a_send_under_way_is_unknown() {
    let mut queue = Queue::new(3, 2);
    send_next(&mut queue, 0, T0);
    queue.settle(0, sent("r0"), T0);
    send_next(&mut queue, 1, T0);
    let stored = serde_json::to_string(&queue).expect("written");
    let mut read: Queue = serde_json::from_str(&stored).expect("read back");
    assert_eq!(read, queue);
    read.reloaded();
    assert_eq!(read.items[1], ItemState::Unknown { record: None });
    assert_eq!(read.paused, Some(Pause::Reloaded));
    assert_eq!(read.next(0, T0), Step::Idle);
    read.resume();
    assert_eq!(read.next(1, T0), Step::Send(2));

    let mut done = Queue::new(1, 2);
    send_next(&mut done, 0, T0);
    done.settle(0, sent("r0"), T0);
    done.reloaded();
    assert_eq!(
        done.paused, None,
        "a finished batch is not paused by a reload"
    );
}

#[test]
fn the_concurrency_is_between_one_and_the_providers_limit() {
    assert_eq!(Queue::new(1, 0).concurrency, 1);
    assert_eq!(Queue::new(1, 2).concurrency, DEFAULT_CONCURRENCY);
    assert_eq!(Queue::new(1, 9).concurrency, MAX_CONCURRENCY);
    assert_eq!(Queue::new(0, 2).next(0, T0), Step::Finished);
}
