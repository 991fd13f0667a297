//! A one-slot wake-up: "check now" and "cancel" cut the poller's sleep short.
//!
//! Single-threaded (wasm), so `Cell`s suffice; nothing here can panic or
//! deadlock. A fire with nobody waiting is remembered until the next wait or
//! [`Wakeup::clear`].

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::task::{Poll, Waker};

/// Fired from the UI, awaited by the poll loop.
#[derive(Default)]
pub(crate) struct Wakeup {
    fired: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

impl Wakeup {
    /// Wakes the waiting loop (or the next wait).
    pub(crate) fn fire(&self) {
        self.fired.set(true);
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }

    /// Forgets an earlier fire: a "check now" pressed during a query is answered by it.
    pub(crate) fn clear(&self) {
        self.fired.set(false);
    }

    /// Resolves at the next fire (at once if one is pending), consuming it.
    pub(crate) fn wait(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |cx| {
            if self.fired.replace(false) {
                Poll::Ready(())
            } else {
                self.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        })
    }
}
