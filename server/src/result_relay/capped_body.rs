//! A result's body on its way to the client: passed through chunk by chunk, never held,
//! and cut off when it grows past the size cap or runs past the fetch's deadline.
//!
//! By then the answer's status and headers have gone out, so the only way left to say
//! "this is not the whole image" is to end the body with an error: hyper then closes
//! the connection without the final chunk (or short of the declared length), and the
//! client sees a failed download, never a shorter image.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

/// Why a body was cut short.
#[derive(Debug, thiserror::Error)]
pub enum BodyCut {
    #[error("the result grew past {0} bytes")]
    TooLarge(u64),
    #[error("the result's fetch ran past its deadline")]
    TimedOut,
    #[error("the result host's body failed: {0}")]
    Upstream(axum::BoxError),
}

pin_project_lite::pin_project! {
    /// `inner`, at most `left` more bytes of it, until `deadline`.
    pub struct CappedBody<B> {
        #[pin]
        inner: B,
        #[pin]
        deadline: Sleep,
        left: u64,
        cap: u64,
        // Held until the body is dropped: the fetch counts as in flight until then.
        permit: Option<OwnedSemaphorePermit>,
    }
}

impl<B> CappedBody<B> {
    pub fn new(
        inner: B,
        cap: u64,
        deadline: Instant,
        permit: Option<OwnedSemaphorePermit>,
    ) -> CappedBody<B> {
        CappedBody {
            inner,
            deadline: tokio::time::sleep_until(deadline),
            left: cap,
            cap,
            permit,
        }
    }
}

impl<B> HttpBody for CappedBody<B>
where
    B: HttpBody<Data = Bytes>,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = BodyCut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyCut>>> {
        let this = self.project();
        // First, so a host that keeps sending cannot outrun the deadline.
        if this.deadline.poll(cx).is_ready() {
            tracing::warn!("cut off a result: its fetch ran past --result-timeout");
            return Poll::Ready(Some(Err(BodyCut::TimedOut)));
        }
        let frame = match ready!(this.inner.poll_frame(cx)) {
            None => return Poll::Ready(None),
            Some(Err(err)) => return Poll::Ready(Some(Err(BodyCut::Upstream(err.into())))),
            Some(Ok(frame)) => frame,
        };
        if let Some(data) = frame.data_ref() {
            let len = data.len() as u64;
            if len > *this.left {
                tracing::warn!(
                    cap = *this.cap,
                    "cut off a result: it grew past --max-result-mb"
                );
                return Poll::Ready(Some(Err(BodyCut::TooLarge(*this.cap))));
            }
            *this.left -= len;
        }
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    /// The host's, so a declared length (already checked against the cap) is passed on
    /// to the client as its Content-Length.
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::time::Duration;

    use futures_util::stream;
    use http_body_util::{BodyExt, Full, StreamBody};

    use super::*;

    /// Reads `body` to its end: the bytes read, and the cut if there was one.
    async fn read<B>(body: CappedBody<B>) -> (usize, Option<BodyCut>)
    where
        B: HttpBody<Data = Bytes>,
        B::Error: Into<axum::BoxError>,
    {
        let mut body = std::pin::pin!(body);
        let mut read = 0;
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(frame) => read += frame.data_ref().map_or(0, Bytes::len),
                Err(cut) => return (read, Some(cut)),
            }
        }
        (read, None)
    }

    fn chunks(sizes: &[usize]) -> impl HttpBody<Data = Bytes, Error = Infallible> + use<> {
        let frames = sizes
            .iter()
            .map(|&n| Ok::<_, Infallible>(Frame::data(Bytes::from(vec![7u8; n]))))
            .collect::<Vec<_>>();
        StreamBody::new(stream::iter(frames))
    }

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    #[tokio::test]
    async fn a_body_up_to_the_cap_passes_whole() {
        let (read, cut) = read(CappedBody::new(
            chunks(&[400, 400, 200]),
            1000,
            later(),
            None,
        ))
        .await;
        assert_eq!((read, cut.is_none()), (1000, true));
    }

    #[tokio::test]
    async fn a_body_growing_past_the_cap_is_cut_before_the_chunk_that_crosses_it() {
        let (read, cut) = read(CappedBody::new(
            chunks(&[400, 400, 201]),
            1000,
            later(),
            None,
        ))
        .await;
        assert_eq!(read, 800);
        assert!(matches!(cut, Some(BodyCut::TooLarge(1000))), "{cut:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_still_streaming_at_the_deadline_is_cut() {
        let slow = StreamBody::new(stream::unfold(0, |n| async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            Some((
                Ok::<_, Infallible>(Frame::data(Bytes::from_static(b"x"))),
                n + 1,
            ))
        }));
        let deadline = Instant::now() + Duration::from_millis(3500);
        let (read, cut) = read(CappedBody::new(slow, 1000, deadline, None)).await;
        assert_eq!(read, 3);
        assert!(matches!(cut, Some(BodyCut::TimedOut)), "{cut:?}");
    }

    #[tokio::test]
    async fn a_declared_length_is_passed_on() {
        let body = CappedBody::new(Full::new(Bytes::from_static(b"12345")), 10, later(), None);
        assert_eq!(body.size_hint().exact(), Some(5));
    }
}
