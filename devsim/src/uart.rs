//! The device side of the mboot UART framing (reference blhost.md §1, §5.1), over any
//! [`ByteStream`].
//!
//! * Idle: bytes before a start byte are skipped; a ping gets the ping response; a frame
//!   with a bad CRC, or a frame cut short by the inter-byte timeout, gets a NAK; stray
//!   ACK/NAK bytes are ignored. Nothing is ever sent unsolicited.
//! * A command frame is executed first and ACKed afterwards (the ROM's deferred ACK: long
//!   erases make the host wait for the ACK), then the response follows.
//! * After every frame it sends, the device waits for the host's ACK. A NAK makes it
//!   retransmit (at most [`UartOptions::retries`] times). A new frame start (`5A A4`,
//!   `5A A5`, `5A A6`) counts as an implicit ACK and is kept and processed — SPSDK on a
//!   pty loses its own ACKs (§1.9). Silence for [`UartOptions::ack_timeout`], or the
//!   stream closing, ends the wait.
//! * Host-to-device data phases: every chunk is ACKed after the ROM took it (or answered
//!   with ACK-abort `5A A3` and the closing response). A zero-length data frame from the
//!   host ends the phase with `kStatus_AbortDataPhase`. A chunk larger than the max
//!   packet size is NAKed (the ROM's buffer cannot hold it).
//! * Device-to-host data phases: chunks of at most the max packet size; an abort is a
//!   zero-length data frame followed by the closing response. When the host does not
//!   ACK a data chunk in time, or starts a new frame, the phase is dropped (the host has
//!   given up; sending on would only fill the line).

use crate::rom::{DataIn, DataOut, Phase, Rom};
use provkit::mboot::uart::{self, Decoded, Frame, FrameDecoder};
use provkit::transport::ByteStream;
use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Engine timing and retry settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UartOptions {
    /// Silence inside a frame after which the partial frame is dropped and NAKed.
    pub inter_byte_timeout: Duration,
    /// How long to wait for the host's ACK of a frame the device sent.
    pub ack_timeout: Duration,
    /// Retransmissions of one frame after NAKs.
    pub retries: u32,
    /// Longest idle wait between checks of the stop flag.
    pub poll: Duration,
}

impl Default for UartOptions {
    fn default() -> Self {
        UartOptions {
            inter_byte_timeout: Duration::from_millis(50),
            ack_timeout: Duration::from_secs(1),
            retries: 8,
            poll: Duration::from_millis(50),
        }
    }
}

impl UartOptions {
    /// Defaults with the inter-byte timeout stretched for slow baud rates (at least
    /// 20 byte times).
    pub fn for_baud(baud: u32) -> Self {
        let mut o = UartOptions::default();
        if baud > 0 {
            let twenty_bytes = Duration::from_micros(200_000_000 / u64::from(baud));
            o.inter_byte_timeout = o.inter_byte_timeout.max(twenty_bytes);
        }
        o
    }
}

/// Why a transaction stopped early.
enum Halt {
    /// The stream closed for good (in-memory pipe dropped): stop serving.
    Closed,
    /// The host stopped taking bytes (write timed out): drop the transaction.
    Stalled,
    /// The stop flag was raised.
    Stopped,
    /// A real I/O error.
    Io(io::Error),
}

type R<T> = Result<T, Halt>;

fn classify(e: io::Error) -> Halt {
    match e.kind() {
        io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::NotConnected => Halt::Closed,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Halt::Stalled,
        _ => Halt::Io(e),
    }
}

/// What the decoder produced within a wait.
enum Unit {
    Frame(Decoded),
    Partial,
    Idle,
}

/// How the host took a frame the device sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    Acked,
    /// A new frame arrived instead of the ACK (kept in the backlog).
    Implicit,
    AckAbort,
    /// No ACK in time (or NAKed too often).
    Lost,
}

/// The UART device engine.
pub struct UartDevice<S: ByteStream> {
    stream: S,
    rom: Arc<Mutex<Rom>>,
    dec: FrameDecoder,
    backlog: VecDeque<Decoded>,
    opts: UartOptions,
    stop: Arc<AtomicBool>,
}

fn lock(rom: &Mutex<Rom>) -> MutexGuard<'_, Rom> {
    rom.lock().unwrap_or_else(|e| e.into_inner())
}

impl<S: ByteStream> UartDevice<S> {
    /// An engine serving `rom` over `stream`; it runs until `stop` is raised or the
    /// stream closes.
    pub fn new(stream: S, rom: Arc<Mutex<Rom>>, opts: UartOptions, stop: Arc<AtomicBool>) -> Self {
        UartDevice {
            stream,
            rom,
            dec: FrameDecoder::new(),
            backlog: VecDeque::new(),
            opts,
            stop,
        }
    }

    /// The stream back.
    pub fn into_inner(self) -> S {
        self.stream
    }

    /// Serves until the stop flag is raised (Ok) or the stream closes (Ok) or fails (Err).
    pub fn serve(&mut self) -> io::Result<()> {
        loop {
            match self.step() {
                Ok(()) => {}
                Err(Halt::Closed) | Err(Halt::Stopped) => return Ok(()),
                Err(Halt::Stalled) => {
                    tracing::debug!("host stopped taking bytes: transaction dropped");
                    lock(&self.rom).cancel();
                    self.dec.clear();
                    self.backlog.clear();
                }
                Err(Halt::Io(e)) => return Err(e),
            }
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// One idle-loop step.
    fn step(&mut self) -> R<()> {
        if self.stopped() {
            return Err(Halt::Stopped);
        }
        let poll = self.opts.poll;
        match self.next_unit(poll)? {
            Unit::Idle => Ok(()),
            Unit::Partial | Unit::Frame(Decoded::BadCrc { .. }) => {
                tracing::debug!("corrupted or partial frame: NAK");
                self.write(&Frame::Nak)
            }
            Unit::Frame(Decoded::Frame(f)) => match f {
                Frame::Ping => {
                    let version = lock(&self.rom).ping_version();
                    self.write(&Frame::PingResponse {
                        version,
                        options: 0,
                    })
                }
                Frame::Command(p) => self.handle_command(&p),
                Frame::Data(_) => {
                    tracing::debug!("data frame outside a data phase: ACKed and dropped");
                    self.write(&Frame::Ack)
                }
                Frame::Ack | Frame::Nak | Frame::AckAbort | Frame::PingResponse { .. } => Ok(()),
            },
        }
    }

    fn write(&mut self, f: &Frame) -> R<()> {
        let bytes = uart::encode(f);
        tracing::trace!(dir = "out", frame = ?f);
        self.stream.write_all(&bytes).map_err(classify)
    }

    fn sleep_busy(&mut self) {
        let busy = lock(&self.rom).take_busy();
        if !busy.is_zero() {
            std::thread::sleep(busy);
        }
    }

    /// The next frame (backlog first), a partial frame after the inter-byte timeout, or
    /// `Idle` when nothing started within `wait`.
    fn next_unit(&mut self, wait: Duration) -> R<Unit> {
        if let Some(d) = self.backlog.pop_front() {
            return Ok(Unit::Frame(d));
        }
        let deadline = Instant::now() + wait;
        let mut buf = [0u8; 2048];
        loop {
            if let Some(d) = self.dec.next() {
                tracing::trace!(dir = "in", decoded = ?d);
                self.dec.reset_skipped();
                return Ok(Unit::Frame(d));
            }
            // Bytes that were skipped as noise may have been a frame whose start byte or
            // length was damaged: like a partial frame, they get a NAK once the line
            // falls silent, so the host retransmits instead of waiting out its timeout.
            let damaged = self.dec.in_frame() || self.dec.skipped() > 0;
            let now = Instant::now();
            let t = if damaged {
                self.opts.inter_byte_timeout
            } else if now >= deadline {
                return Ok(Unit::Idle);
            } else {
                deadline - now
            };
            let n = self.stream.read(&mut buf, t).map_err(classify)?;
            if n == 0 {
                if damaged {
                    self.dec.clear();
                    self.dec.reset_skipped();
                    return Ok(Unit::Partial);
                }
                continue;
            }
            self.dec.push(&buf[..n]);
        }
    }

    /// Waits for the host's answer to a frame the device sent. Noise seen meanwhile (a
    /// damaged ACK) is forgotten afterwards, so it does not draw a NAK later.
    fn wait_ack(&mut self) -> R<Option<Delivery>> {
        let r = self.wait_ack_inner();
        self.dec.reset_skipped();
        r
    }

    fn wait_ack_inner(&mut self) -> R<Option<Delivery>> {
        let deadline = Instant::now() + self.opts.ack_timeout;
        let mut buf = [0u8; 2048];
        loop {
            while let Some(d) = self.dec.next() {
                self.dec.reset_skipped();
                match d {
                    Decoded::Frame(Frame::Ack) => return Ok(Some(Delivery::Acked)),
                    Decoded::Frame(Frame::AckAbort) => return Ok(Some(Delivery::AckAbort)),
                    Decoded::Frame(Frame::Nak) => return Ok(None),
                    Decoded::Frame(Frame::PingResponse { .. }) => {}
                    other => {
                        tracing::debug!("frame in place of the ACK: implicit ACK");
                        self.backlog.push_back(other);
                        return Ok(Some(Delivery::Implicit));
                    }
                }
            }
            if self.dec.in_frame() && self.dec.buffered() >= 2 {
                // `5A A4`/`5A A5` started (shorter frames decode at once): implicit ACK;
                // the bytes stay in the decoder for the idle loop.
                tracing::debug!("frame start in place of the ACK: implicit ACK");
                return Ok(Some(Delivery::Implicit));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(Some(Delivery::Lost));
            }
            if self.stopped() {
                return Err(Halt::Stopped);
            }
            let t = (deadline - now).min(self.opts.poll);
            let n = self.stream.read(&mut buf, t).map_err(classify)?;
            self.dec.push(&buf[..n]);
        }
    }

    /// Sends a frame and waits for its ACK, retransmitting on NAK.
    fn send(&mut self, f: &Frame) -> R<Delivery> {
        for attempt in 0..=self.opts.retries {
            self.write(f)?;
            match self.wait_ack()? {
                Some(d) => {
                    if d == Delivery::Lost {
                        tracing::debug!("no ACK for {} frame", f.kind());
                    }
                    return Ok(d);
                }
                None => tracing::debug!("{} frame NAKed (attempt {})", f.kind(), attempt + 1),
            }
        }
        Ok(Delivery::Lost)
    }

    fn handle_command(&mut self, payload: &[u8]) -> R<()> {
        let reply = lock(&self.rom).command(payload);
        // The ROM executes before it ACKs.
        self.sleep_busy();
        self.write(&Frame::Ack)?;
        let first = self.send(&Frame::Command(reply.packet.encode()))?;
        match reply.phase {
            Phase::None => {
                lock(&self.rom).response_delivered();
                Ok(())
            }
            // A frame in place of the ACK is usually the first data chunk (SPSDK lost its
            // ACK); a command or ping there ends the phase in `run_from_host`.
            Phase::FromHost { .. } => self.run_from_host(),
            Phase::ToHost { .. } => {
                if matches!(first, Delivery::Implicit) {
                    lock(&self.rom).cancel();
                    return Ok(());
                }
                self.run_to_host()
            }
        }
    }

    fn run_from_host(&mut self) -> R<()> {
        let max = lock(&self.rom).max_packet() as usize;
        loop {
            if self.stopped() {
                return Err(Halt::Stopped);
            }
            let poll = self.opts.poll;
            match self.next_unit(poll)? {
                Unit::Idle => continue,
                Unit::Partial | Unit::Frame(Decoded::BadCrc { .. }) => {
                    tracing::debug!("corrupted data frame: NAK");
                    self.write(&Frame::Nak)?;
                }
                Unit::Frame(Decoded::Frame(Frame::Data(chunk))) => {
                    if chunk.is_empty() {
                        self.write(&Frame::Ack)?;
                        let fin = lock(&self.rom).host_abort();
                        if let Some(p) = fin {
                            self.send(&Frame::Command(p.encode()))?;
                        }
                        return Ok(());
                    }
                    if chunk.len() > max {
                        tracing::debug!(
                            "data frame of {} bytes exceeds max packet {max}: NAK",
                            chunk.len()
                        );
                        self.write(&Frame::Nak)?;
                        continue;
                    }
                    let r = lock(&self.rom).data_in(&chunk);
                    self.sleep_busy();
                    match r {
                        DataIn::More => self.write(&Frame::Ack)?,
                        DataIn::Finished(p) => {
                            self.write(&Frame::Ack)?;
                            self.send(&Frame::Command(p.encode()))?;
                            lock(&self.rom).response_delivered();
                            return Ok(());
                        }
                        DataIn::Aborted(p) => {
                            self.write(&Frame::AckAbort)?;
                            self.send(&Frame::Command(p.encode()))?;
                            return Ok(());
                        }
                        DataIn::Unexpected => {
                            self.write(&Frame::Ack)?;
                            return Ok(());
                        }
                    }
                }
                Unit::Frame(d @ Decoded::Frame(Frame::Command(_) | Frame::Ping)) => {
                    tracing::debug!("host left the data phase");
                    lock(&self.rom).cancel();
                    self.backlog.push_front(d);
                    return Ok(());
                }
                Unit::Frame(Decoded::Frame(_)) => {}
            }
        }
    }

    fn run_to_host(&mut self) -> R<()> {
        let max = lock(&self.rom).max_packet() as usize;
        loop {
            let next = lock(&self.rom).data_out(max);
            match next {
                DataOut::Chunk(v) => match self.send(&Frame::Data(v))? {
                    Delivery::Acked => {}
                    Delivery::AckAbort => {
                        let fin = lock(&self.rom).host_abort();
                        if let Some(p) = fin {
                            self.send(&Frame::Command(p.encode()))?;
                        }
                        return Ok(());
                    }
                    Delivery::Implicit | Delivery::Lost => {
                        tracing::debug!("host stopped reading the data phase");
                        lock(&self.rom).cancel();
                        return Ok(());
                    }
                },
                DataOut::Finished(p) => {
                    self.send(&Frame::Command(p.encode()))?;
                    lock(&self.rom).response_delivered();
                    return Ok(());
                }
                DataOut::Aborted(p) => {
                    self.send(&Frame::Data(Vec::new()))?;
                    self.send(&Frame::Command(p.encode()))?;
                    return Ok(());
                }
                DataOut::Unexpected => return Ok(()),
            }
        }
    }
}
