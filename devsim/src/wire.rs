//! The simulated UART line: baud-rate pacing and per-byte faults, as a [`ByteStream`]
//! wrapper around the device's end of the link.
//!
//! * **Pacing** (`--baud N`): a byte takes 10/N seconds on the wire (8N1). Bytes the device
//!   writes leave at that rate: the wrapper writes them in slices of about 2 ms of wire
//!   time, each slice when its last byte has "arrived". Bytes the host writes become
//!   visible to the device only when their wire time has passed, counted from when they
//!   reached the wrapper, one after the other. Both directions are paced independently,
//!   like the two wires of a UART.
//! * **Faults** (`--faults corrupt=P,drop=P,seed=S`): every byte, in either direction, is
//!   dropped with probability `drop`, else corrupted (XOR with a random non-zero value)
//!   with probability `corrupt`. Each direction has its own generator seeded from `seed`,
//!   so a run is reproducible for a given byte sequence.

use provkit::transport::ByteStream;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Per-byte fault probabilities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Probability that a byte is corrupted.
    pub corrupt: f64,
    /// Probability that a byte is dropped.
    pub drop: f64,
    /// Seed of the fault generators.
    pub seed: u64,
}

/// A `--faults` value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--faults: {0} (expected corrupt=P,drop=P,seed=S with 0 <= P <= 1)")]
pub struct FaultsError(String);

impl FromStr for Faults {
    type Err = FaultsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut f = Faults {
            corrupt: 0.0,
            drop: 0.0,
            seed: 0,
        };
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| FaultsError(format!("{item:?} is not key=value")))?;
            let prob = |v: &str| -> Result<f64, FaultsError> {
                match v.trim().parse::<f64>() {
                    Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
                    _ => Err(FaultsError(format!("{key}={v:?} is not a probability"))),
                }
            };
            match key.trim() {
                "corrupt" => f.corrupt = prob(value)?,
                "drop" => f.drop = prob(value)?,
                "seed" => {
                    f.seed = value
                        .trim()
                        .parse()
                        .map_err(|_| FaultsError(format!("seed={value:?} is not an integer")))?
                }
                other => return Err(FaultsError(format!("unknown key {other:?}"))),
            }
        }
        if f.corrupt + f.drop > 1.0 {
            return Err(FaultsError("corrupt + drop exceeds 1".into()));
        }
        Ok(f)
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "corrupt={},drop={},seed={}",
            self.corrupt, self.drop, self.seed
        )
    }
}

struct FaultGen {
    faults: Faults,
    rng: SmallRng,
}

impl FaultGen {
    fn new(faults: Faults, stream: u64) -> Self {
        FaultGen {
            faults,
            rng: SmallRng::seed_from_u64(faults.seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        }
    }

    fn apply(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        for &b in bytes {
            let r: f64 = self.rng.r#gen();
            if r < self.faults.drop {
                tracing::trace!("fault: dropped 0x{b:02X}");
            } else if r < self.faults.drop + self.faults.corrupt {
                let x: u8 = self.rng.gen_range(1..=255);
                tracing::trace!("fault: corrupted 0x{b:02X} -> 0x{:02X}", b ^ x);
                out.push(b ^ x);
            } else {
                out.push(b);
            }
        }
        out
    }
}

/// Line settings.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WireOptions {
    /// Baud rate; 0 = unpaced.
    pub baud: u32,
    /// Per-byte faults.
    pub faults: Option<Faults>,
}

/// A [`ByteStream`] seen through a simulated UART line.
pub struct Wire<S: ByteStream> {
    inner: S,
    byte_time: Option<Duration>,
    tx_free: Instant,
    rx_free: Instant,
    rx: VecDeque<(u8, Instant)>,
    tx_faults: Option<FaultGen>,
    rx_faults: Option<FaultGen>,
}

impl<S: ByteStream> Wire<S> {
    /// Wraps the device's end of a link.
    pub fn new(inner: S, opts: WireOptions) -> Self {
        let now = Instant::now();
        Wire {
            inner,
            byte_time: (opts.baud > 0)
                .then(|| Duration::from_nanos(10_000_000_000 / u64::from(opts.baud))),
            tx_free: now,
            rx_free: now,
            rx: VecDeque::new(),
            tx_faults: opts.faults.map(|f| FaultGen::new(f, 1)),
            rx_faults: opts.faults.map(|f| FaultGen::new(f, 2)),
        }
    }

    /// The wrapped stream.
    pub fn into_inner(self) -> S {
        self.inner
    }

    fn transparent(&self) -> bool {
        self.byte_time.is_none() && self.rx_faults.is_none()
    }

    /// Moves bytes whose wire time has passed into `buf`.
    fn deliver(&mut self, buf: &mut [u8]) -> usize {
        let now = Instant::now();
        let mut n = 0;
        while n < buf.len() {
            match self.rx.front() {
                Some(&(b, t)) if t <= now => {
                    buf[n] = b;
                    n += 1;
                    self.rx.pop_front();
                }
                _ => break,
            }
        }
        n
    }

    fn arrive(&mut self, bytes: &[u8]) {
        let bytes = match self.rx_faults.as_mut() {
            Some(g) => g.apply(bytes),
            None => bytes.to_vec(),
        };
        let now = Instant::now();
        match self.byte_time {
            Some(bt) => {
                let mut t = self.rx_free.max(now);
                for b in bytes {
                    t += bt;
                    self.rx.push_back((b, t));
                }
                self.rx_free = t;
            }
            None => self.rx.extend(bytes.into_iter().map(|b| (b, now))),
        }
    }
}

/// The last stretch of a paced wait is spun, not slept: a sleep overshoots by the
/// kernel's timer slack (50 µs by default), and a paced exchange has a dozen waits.
const SPIN: Duration = Duration::from_micros(200);

fn sleep_until(t: Instant) {
    let now = Instant::now();
    if t > now + SPIN {
        std::thread::sleep(t - now - SPIN);
    }
    while Instant::now() < t {
        std::hint::spin_loop();
    }
}

impl<S: ByteStream> ByteStream for Wire<S> {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let bytes = match self.tx_faults.as_mut() {
            Some(g) => g.apply(buf),
            None => buf.to_vec(),
        };
        let Some(bt) = self.byte_time else {
            return self.inner.write_all(&bytes);
        };
        let start = self.tx_free.max(Instant::now());
        let per_slice =
            ((Duration::from_millis(2).as_nanos() / bt.as_nanos().max(1)) as usize).max(1);
        let mut sent = 0usize;
        for slice in bytes.chunks(per_slice) {
            sent += slice.len();
            sleep_until(start + bt * sent as u32);
            self.inner.write_all(slice)?;
        }
        self.tx_free = start + bt * bytes.len() as u32;
        Ok(())
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        if self.transparent() {
            return self.inner.read(buf, timeout);
        }
        let deadline = Instant::now() + timeout;
        let mut tmp = [0u8; 4096];
        loop {
            let n = self.deliver(buf);
            if n > 0 {
                return Ok(n);
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(0);
            }
            // Wait for new bytes, but not past the moment the next queued byte arrives.
            let mut wait = deadline.saturating_duration_since(now);
            if let Some(&(_, t)) = self.rx.front() {
                let until = t.min(deadline);
                if until <= now + SPIN {
                    sleep_until(until);
                    continue;
                }
                wait = wait.min(until - now - SPIN);
            }
            match self.inner.read(&mut tmp, wait) {
                Ok(0) => {}
                Ok(k) => self.arrive(&tmp[..k]),
                Err(e) => {
                    if let Some(&(_, t)) = self.rx.front() {
                        sleep_until(t);
                        continue;
                    }
                    return Err(e);
                }
            }
        }
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use provkit::transport::memory::pipe;

    #[test]
    fn faults_parse_and_name_the_problem() {
        let f: Faults = "corrupt=1e-3,drop=1e-4,seed=7".parse().unwrap();
        assert_eq!(
            f,
            Faults {
                corrupt: 1e-3,
                drop: 1e-4,
                seed: 7
            }
        );
        assert!(
            "corrupt=2"
                .parse::<Faults>()
                .unwrap_err()
                .to_string()
                .contains("--faults")
        );
        assert!("bogus=1".parse::<Faults>().is_err());
        assert!("corrupt".parse::<Faults>().is_err());
        assert!("seed=x".parse::<Faults>().is_err());
    }

    #[test]
    fn faults_are_deterministic_per_seed() {
        let f = Faults {
            corrupt: 0.2,
            drop: 0.1,
            seed: 42,
        };
        let data: Vec<u8> = (0..=255).collect();
        let a = FaultGen::new(f, 1).apply(&data);
        let b = FaultGen::new(f, 1).apply(&data);
        assert_eq!(a, b);
        assert_ne!(a, data);
        assert!(a.len() < data.len());
    }

    #[test]
    fn pacing_delays_both_directions() {
        let (host, dev) = pipe();
        let mut host = host;
        let mut w = Wire::new(
            dev,
            WireOptions {
                baud: 100_000,
                faults: None,
            },
        );
        // 100 bytes at 100 kBd = 10 ms.
        let t0 = Instant::now();
        w.write_all(&[0x55; 100]).unwrap();
        assert!(t0.elapsed() >= Duration::from_millis(9));
        let mut buf = [0u8; 200];
        assert_eq!(
            host.read(&mut buf, Duration::from_millis(100)).unwrap(),
            100
        );

        host.write_all(&[0xAA; 100]).unwrap();
        let t1 = Instant::now();
        let mut got = 0;
        while got < 100 {
            got += w.read(&mut buf[got..], Duration::from_millis(100)).unwrap();
        }
        assert!(t1.elapsed() >= Duration::from_millis(9));
    }
}
