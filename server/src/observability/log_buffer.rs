//! A log writer for a server under load: lines are appended to a buffer in memory
//! and a thread of its own writes the buffer to stderr every few milliseconds, so a
//! request's log line costs neither a system call nor a thread wake-up. (A channel to
//! a writer thread, as `tracing-appender` has, wakes that thread for nearly every
//! line: a futex call per request.) Under a flood the buffer is capped and further
//! lines are counted and dropped rather than slowing every request; the count is
//! logged when the flood ends.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// How often the buffer is written out.
const FLUSH_EVERY: Duration = Duration::from_millis(20);
/// The most the buffer holds between flushes; about 30,000 request lines.
const CAPACITY: usize = 4 << 20;

#[derive(Default)]
struct Shared {
    lines: Mutex<Vec<u8>>,
    dropped: AtomicU64,
    stopping: AtomicBool,
}

/// Where the subscriber writes: clones share one buffer.
#[derive(Clone)]
pub struct BufferedStderr {
    shared: Arc<Shared>,
}

/// Writes what is still buffered when dropped: keep it until the process ends.
pub struct FlushGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// The writer and the guard that stops its thread.
pub fn buffered_stderr() -> (BufferedStderr, FlushGuard) {
    let shared = Arc::new(Shared::default());
    let flusher = Arc::clone(&shared);
    let thread = std::thread::Builder::new()
        .name("log-writer".into())
        .spawn(move || {
            while !flusher.stopping.load(Ordering::Acquire) {
                std::thread::sleep(FLUSH_EVERY);
                flush(&flusher);
            }
        })
        .ok();
    (
        BufferedStderr {
            shared: Arc::clone(&shared),
        },
        FlushGuard { shared, thread },
    )
}

/// Writes out and empties the buffer.
fn flush(shared: &Shared) {
    let lines = std::mem::take(&mut *lock(&shared.lines));
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(&lines);
    let dropped = shared.dropped.swap(0, Ordering::Relaxed);
    if dropped > 0 {
        let _ = writeln!(
            stderr,
            "log-writer: {dropped} log lines were dropped: more arrived than stderr took"
        );
    }
    let _ = stderr.flush();
}

fn lock(lines: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    // A panic while appending leaves at worst a partial line.
    lines
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        flush(&self.shared);
    }
}

impl Write for BufferedStderr {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut lines = lock(&self.shared.lines);
        if lines.len() + line.len() > CAPACITY {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        } else {
            lines.extend_from_slice(line);
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BufferedStderr {
    type Writer = BufferedStderr;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_kept_until_the_cap_then_counted() {
        let (mut writer, guard) = buffered_stderr();
        guard.shared.stopping.store(true, Ordering::Release);
        writer.write_all(b"one\n").unwrap();
        assert_eq!(lock(&writer.shared.lines).as_slice(), b"one\n");
        let big = vec![b'x'; CAPACITY];
        writer.write_all(&big).unwrap();
        assert_eq!(writer.shared.dropped.load(Ordering::Relaxed), 1);
        assert_eq!(lock(&writer.shared.lines).len(), 4);
        drop(guard);
        assert!(lock(&writer.shared.lines).is_empty(), "written out on drop");
    }
}
