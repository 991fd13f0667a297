//! Waiting for whichever of two futures finishes first.
//!
//! A fetch needs a timeout, and the poller's sleep needs to be cut short by
//! "check now" or a cancel. The `futures` crate's `select` would do, but it is not
//! a dependency of the app; this is the few lines of it we need. The loser is
//! dropped, which for a fetch aborts it (see the transport's abort guard) and for
//! a timer clears it.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Which future finished first, with its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Either<A, B> {
    /// The first one.
    Left(A),
    /// The second one.
    Right(B),
}

/// Runs both until one finishes; `first` wins a tie, so a result that is ready
/// is never lost to a timeout that fired in the same turn.
pub(crate) async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(move |cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(out));
        }
        if let Poll::Ready(out) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(out));
        }
        Poll::Pending
    })
    .await
}
