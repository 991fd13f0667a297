//! Results shown from the bytes their keeping downloads.
//!
//! While a done task's results are being kept, its views wait for the keep's own
//! download instead of fetching the links beside it: each result crosses the network
//! once, which on a phone's connection halves the wait and the data, and leaves the
//! browser's thread free while the results are checksummed and written.

use std::collections::HashMap;
use std::sync::Arc;

use futures::channel::oneshot;

use super::Tasks;
use crate::archive::ImageKey;
use crate::media::ObjectUrl;

/// A result being kept, as its views see it.
#[derive(Debug)]
enum Arrival {
    /// Still downloading: who waits for it.
    OnItsWay(Vec<oneshot::Sender<Arc<ObjectUrl>>>),
    /// Here, until its task is marked kept (views then read the archive's copy).
    Here(Arc<ObjectUrl>),
}

/// Every result being kept in this tab now.
#[derive(Debug, Default)]
pub struct Arrivals {
    images: HashMap<ImageKey, Arrival>,
}

/// How a view gets a result being kept.
pub enum Waiting {
    /// Its bytes are here.
    Here(Arc<ObjectUrl>),
    /// Its bytes come later; a closed channel means the keep ended without them (the
    /// view then shows the link).
    Later(oneshot::Receiver<Arc<ObjectUrl>>),
}

impl Arrivals {
    /// How a view of `key` gets it; `None` when it is not being kept here.
    pub fn wait(&mut self, key: &ImageKey) -> Option<Waiting> {
        match self.images.get_mut(key)? {
            Arrival::Here(url) => Some(Waiting::Here(url.clone())),
            Arrival::OnItsWay(waiting) => {
                let (sender, receiver) = oneshot::channel();
                waiting.push(sender);
                Some(Waiting::Later(receiver))
            }
        }
    }

    fn expect(&mut self, keys: &[ImageKey]) {
        for key in keys {
            self.images
                .entry(key.clone())
                .or_insert_with(|| Arrival::OnItsWay(Vec::new()));
        }
    }

    fn arrived(&mut self, key: &ImageKey, url: Arc<ObjectUrl>) {
        let Some(arrival) = self.images.get_mut(key) else {
            return;
        };
        if let Arrival::OnItsWay(waiting) = arrival {
            for waiter in waiting.drain(..) {
                let _ = waiter.send(url.clone());
            }
        }
        *arrival = Arrival::Here(url);
    }

    fn end(&mut self, keys: &[ImageKey]) {
        // Dropping the senders tells whoever still waits that nothing comes.
        for key in keys {
            self.images.remove(key);
        }
    }
}

/// The results of one keep, expected from its start to its end (dropped).
pub struct Expected {
    tasks: Tasks,
    keys: Vec<ImageKey>,
}

impl Expected {
    /// Expects `keys`: from now, their views wait for the keep's bytes.
    pub fn new(tasks: Tasks, keys: Vec<ImageKey>) -> Expected {
        tasks.with_arrivals(|arrivals| arrivals.expect(&keys));
        Expected { tasks, keys }
    }

    /// Shows `key` from `blob`, just downloaded, in every view that waits for it.
    pub fn arrived(&self, key: &ImageKey, blob: &web_sys::Blob) {
        if let Some(url) = ObjectUrl::for_blob(blob) {
            self.tasks
                .with_arrivals(|arrivals| arrivals.arrived(key, url));
        }
    }
}

impl Drop for Expected {
    fn drop(&mut self) {
        self.tasks
            .with_arrivals(|arrivals| arrivals.end(&self.keys));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(index: usize) -> ImageKey {
        ImageKey::result("r1", index)
    }

    #[test]
    fn a_result_not_being_kept_is_not_waited_for() {
        let mut arrivals = Arrivals::default();
        assert!(arrivals.wait(&key(0)).is_none());
        arrivals.expect(&[key(0)]);
        assert!(arrivals.wait(&key(1)).is_none());
    }

    #[test]
    fn a_keep_that_ends_without_the_bytes_tells_its_waiters() {
        let mut arrivals = Arrivals::default();
        arrivals.expect(&[key(0)]);
        let Some(Waiting::Later(mut receiver)) = arrivals.wait(&key(0)) else {
            panic!("a result being kept is waited for");
        };
        assert!(matches!(receiver.try_recv(), Ok(None)), "nothing yet");
        arrivals.end(&[key(0)]);
        assert!(receiver.try_recv().is_err(), "the channel closed");
        assert!(arrivals.wait(&key(0)).is_none());
    }
}
