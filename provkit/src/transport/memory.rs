//! In-memory pipes: a connected pair of [`ByteStream`]s (UART-like) and of
//! [`HidDevice`]s (report-like), for running the session against the simulator
//! in-process.

use super::{ByteStream, HidDevice};
use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Queue<T> {
    items: VecDeque<T>,
    closed: bool,
}

struct Channel<T> {
    q: Mutex<Queue<T>>,
    cv: Condvar,
}

impl<T> Channel<T> {
    fn new() -> Arc<Self> {
        Arc::new(Channel {
            q: Mutex::new(Queue {
                items: VecDeque::new(),
                closed: false,
            }),
            cv: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Queue<T>> {
        // A poisoned lock only means another thread panicked mid-push; the queue
        // itself is still consistent.
        self.q.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn close(&self) {
        self.lock().closed = true;
        self.cv.notify_all();
    }

    /// Waits until there is at least one item, the channel closed, or the timeout.
    fn wait(&self, timeout: Duration) -> MutexGuard<'_, Queue<T>> {
        let deadline = Instant::now() + timeout;
        let mut g = self.lock();
        while g.items.is_empty() && !g.closed {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            g = match self.cv.wait_timeout(g, deadline - now) {
                Ok((g, _)) => g,
                Err(e) => e.into_inner().0,
            };
        }
        g
    }
}

fn closed_err() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "the other end of the in-memory pipe closed",
    )
}

/// One end of an in-memory byte pipe.
pub struct MemStream {
    rx: Arc<Channel<u8>>,
    tx: Arc<Channel<u8>>,
}

/// A connected pair of byte-pipe ends.
pub fn pipe() -> (MemStream, MemStream) {
    let a = Channel::new();
    let b = Channel::new();
    (
        MemStream {
            rx: a.clone(),
            tx: b.clone(),
        },
        MemStream { rx: b, tx: a },
    )
}

impl Drop for MemStream {
    fn drop(&mut self) {
        self.tx.close();
        self.rx.close();
    }
}

impl ByteStream for MemStream {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut g = self.tx.lock();
        if g.closed {
            return Err(closed_err());
        }
        g.items.extend(buf.iter().copied());
        drop(g);
        self.tx.cv.notify_all();
        Ok(())
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        let mut g = self.rx.wait(timeout);
        if g.items.is_empty() {
            return if g.closed { Err(closed_err()) } else { Ok(0) };
        }
        let n = buf.len().min(g.items.len());
        for (dst, src) in buf.iter_mut().zip(g.items.drain(..n)) {
            *dst = src;
        }
        Ok(n)
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}

/// One end of an in-memory report pipe.
pub struct MemHid {
    rx: Arc<Channel<Vec<u8>>>,
    tx: Arc<Channel<Vec<u8>>>,
}

/// A connected pair of report-pipe ends.
pub fn hid_pipe() -> (MemHid, MemHid) {
    let a = Channel::new();
    let b = Channel::new();
    (
        MemHid {
            rx: a.clone(),
            tx: b.clone(),
        },
        MemHid { rx: b, tx: a },
    )
}

impl Drop for MemHid {
    fn drop(&mut self) {
        self.tx.close();
        self.rx.close();
    }
}

impl HidDevice for MemHid {
    fn write_report(&mut self, report: &[u8]) -> io::Result<()> {
        let mut g = self.tx.lock();
        if g.closed {
            return Err(closed_err());
        }
        g.items.push_back(report.to_vec());
        drop(g);
        self.tx.cv.notify_all();
        Ok(())
    }

    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        let mut g = self.rx.wait(timeout);
        match g.items.pop_front() {
            Some(r) => {
                let n = buf.len().min(r.len());
                buf[..n].copy_from_slice(&r[..n]);
                Ok(n)
            }
            None if g.closed => Err(closed_err()),
            None => Ok(0),
        }
    }

    fn describe(&self) -> String {
        "memory-hid".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_cross_and_timeout_is_zero() {
        let (mut a, mut b) = pipe();
        a.write_all(&[1, 2, 3]).unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(b.read(&mut buf, Duration::from_millis(10)).unwrap(), 3);
        assert_eq!(b.read(&mut buf, Duration::from_millis(1)).unwrap(), 0);
        drop(a);
        assert!(b.read(&mut buf, Duration::from_millis(1)).is_err());
    }

    #[test]
    fn reports_keep_boundaries() {
        let (mut a, mut b) = hid_pipe();
        a.write_report(&[1, 0, 0, 0]).unwrap();
        a.write_report(&[2, 0, 1, 0, 9]).unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(
            b.read_report(&mut buf, Duration::from_millis(10)).unwrap(),
            4
        );
        assert_eq!(
            b.read_report(&mut buf, Duration::from_millis(10)).unwrap(),
            5
        );
    }
}
