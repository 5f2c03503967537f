//! Links: the packet-level view of a transport. A [`Link`] sends command packets and
//! data chunks and receives response packets and data chunks; the UART link adds
//! ping, ACK/NAK and CRC handling, the HID link adds report framing. The session
//! ([`super::session::McuBoot`]) is written once over this trait.

use super::uart::{self, Decoded, Frame, FrameDecoder};
use super::usb_hid;
use crate::transport::{ByteStream, HidDevice};
use std::io;
use std::time::{Duration, Instant};

/// What a link received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A response packet.
    Response(Vec<u8>),
    /// A data chunk; empty = the device aborted its data phase.
    Data(Vec<u8>),
    /// The device aborted the host's data phase (USB zero-length command report);
    /// the status follows in the next response.
    ConsumerAbort,
}

/// How the device answered a data chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataAck {
    /// The chunk was taken.
    Accepted,
    /// The device aborted the data phase (UART ACK-abort); the status follows.
    Aborted,
}

/// Link-level failures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// The port failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Nothing arrived in time.
    #[error("timed out after {ms} ms waiting for {what}")]
    Timeout {
        /// What we waited for.
        what: &'static str,
        /// How long.
        ms: u128,
    },
    /// The device did not answer the ping.
    #[error(
        "device did not respond to PING at {baud} baud; check the port, the baud rate (e.g. PORT,115200) and that the chip is in ISP mode"
    )]
    NoPingResponse {
        /// Baud rate used (0 = unknown).
        baud: u32,
    },
    /// The device kept NAKing a frame.
    #[error("device rejected the {what} frame {attempts} times (NAK)")]
    Nak {
        /// Which frame.
        what: &'static str,
        /// Attempts made.
        attempts: u32,
    },
    /// The device sent something the protocol does not allow here.
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// A packet-level link to an mboot device.
pub trait Link: Send {
    /// Makes the device ready to take commands (UART: ping, once per session).
    fn open(&mut self) -> Result<(), LinkError>;
    /// Sends a command packet; returns when the device has taken it (UART: ACK, which
    /// the ROM sends only after executing the command, hence `timeout`).
    fn send_command(&mut self, packet: &[u8], timeout: Duration) -> Result<(), LinkError>;
    /// Sends one data chunk.
    fn send_data(&mut self, chunk: &[u8], timeout: Duration) -> Result<DataAck, LinkError>;
    /// Receives the next response packet or data chunk.
    fn receive(&mut self, timeout: Duration) -> Result<Incoming, LinkError>;
    /// Sends a zero-length data chunk: the host aborts its own data phase.
    fn abort_data(&mut self) -> Result<(), LinkError>;
    /// Name of the endpoint for messages.
    fn describe(&self) -> String;
}

impl<T: Link + ?Sized> Link for Box<T> {
    fn open(&mut self) -> Result<(), LinkError> {
        (**self).open()
    }
    fn send_command(&mut self, packet: &[u8], timeout: Duration) -> Result<(), LinkError> {
        (**self).send_command(packet, timeout)
    }
    fn send_data(&mut self, chunk: &[u8], timeout: Duration) -> Result<DataAck, LinkError> {
        (**self).send_data(chunk, timeout)
    }
    fn receive(&mut self, timeout: Duration) -> Result<Incoming, LinkError> {
        (**self).receive(timeout)
    }
    fn abort_data(&mut self) -> Result<(), LinkError> {
        (**self).abort_data()
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// UART link options.
#[derive(Debug, Clone)]
pub struct UartOptions {
    /// Retransmissions of one frame after a NAK (or a corrupted frame we NAK).
    pub retries: u32,
    /// Ping attempts before giving up.
    pub ping_attempts: u32,
    /// Wait for the ping response, per attempt.
    pub ping_timeout: Duration,
    /// Silence inside a frame after which the partial frame is dropped and NAKed.
    pub inter_byte_timeout: Duration,
    /// Silence while waiting for the device's next frame after which the host repeats
    /// its last ACK (it may have been lost on the line, leaving the device waiting).
    pub resync_interval: Duration,
    /// Baud rate, for messages only.
    pub baud: u32,
}

impl Default for UartOptions {
    fn default() -> Self {
        UartOptions {
            retries: 16,
            ping_attempts: 3,
            ping_timeout: Duration::from_millis(500),
            inter_byte_timeout: Duration::from_millis(200),
            resync_interval: Duration::from_millis(250),
            baud: 0,
        }
    }
}

enum Got {
    Frame(Decoded),
    /// A frame started but stopped arriving (dropped bytes).
    Partial,
    /// Bytes that are no frame arrived, then silence (a sync frame damaged on the line).
    Noise,
}

/// mboot over a UART-like byte stream.
pub struct UartLink<S: ByteStream> {
    stream: S,
    dec: FrameDecoder,
    opts: UartOptions,
    /// A frame that arrived where an ACK was expected (implicit ACK); delivered next.
    pending: Option<Decoded>,
    /// The device's ping response (protocol version), once pinged.
    pub ping_version: Option<[u8; 4]>,
    /// The last frame written was an ACK.
    last_was_ack: bool,
}

impl<S: ByteStream> UartLink<S> {
    /// Wraps a byte stream.
    pub fn new(stream: S, opts: UartOptions) -> Self {
        UartLink {
            stream,
            dec: FrameDecoder::new(),
            opts,
            pending: None,
            ping_version: None,
            last_was_ack: false,
        }
    }

    /// The wrapped stream.
    pub fn into_inner(self) -> S {
        self.stream
    }

    fn write_frame(&mut self, f: &Frame) -> Result<(), LinkError> {
        let bytes = uart::encode(f);
        tracing::trace!(dir = "out", frame = ?f, bytes = %crate::codec::to_hex(&bytes));
        self.stream.write_all(&bytes)?;
        self.last_was_ack = *f == Frame::Ack;
        Ok(())
    }

    /// Reads the next decoded unit before `deadline`. With `noise_ends`, line noise
    /// followed by an inter-byte timeout of silence is reported as [`Got::Noise`].
    fn next_decoded(
        &mut self,
        deadline: Instant,
        what: &'static str,
        noise_ends: bool,
    ) -> Result<Got, LinkError> {
        let mut buf = [0u8; 4096];
        self.dec.reset_skipped();
        loop {
            if let Some(d) = self.dec.next() {
                tracing::trace!(dir = "in", decoded = ?d);
                return Ok(Got::Frame(d));
            }
            let now = Instant::now();
            let noisy = noise_ends && self.dec.skipped() > 0;
            let wait = if self.dec.in_frame() {
                self.opts.inter_byte_timeout
            } else if noisy {
                self.opts
                    .inter_byte_timeout
                    .min(deadline.saturating_duration_since(now))
            } else if now >= deadline {
                Duration::ZERO
            } else {
                deadline - now
            };
            let n = if wait.is_zero() {
                0
            } else {
                self.stream.read(&mut buf, wait)?
            };
            if n == 0 {
                if self.dec.in_frame() {
                    self.dec.clear();
                    return Ok(Got::Partial);
                }
                if noisy {
                    return Ok(Got::Noise);
                }
                if Instant::now() >= deadline {
                    return Err(LinkError::Timeout { what, ms: 0 });
                }
                continue;
            }
            self.dec.push(&buf[..n]);
        }
    }

    fn timeout_err(what: &'static str, t: Duration) -> LinkError {
        LinkError::Timeout {
            what,
            ms: t.as_millis(),
        }
    }

    /// Sends a frame and waits for its ACK, retransmitting on NAK.
    ///
    /// Retransmission happens only on an explicit NAK: the protocol has no sequence
    /// numbers, so resending a frame the device may have taken could store a data chunk
    /// twice. A damaged reply (noise or a broken frame where the ACK belongs) counts as
    /// an ACK: if it was really a NAK, the device is one chunk short and never sends its
    /// closing response, so the command fails with a timeout instead of silently
    /// succeeding. The session also checks every data phase's byte count.
    fn send_acked(
        &mut self,
        frame: &Frame,
        timeout: Duration,
        what: &'static str,
    ) -> Result<DataAck, LinkError> {
        let mut attempts = 0;
        'send: loop {
            attempts += 1;
            self.write_frame(frame)?;
            let deadline = Instant::now() + timeout;
            loop {
                match self.next_decoded(deadline, "ACK", true) {
                    Err(LinkError::Timeout { .. }) => {
                        return Err(Self::timeout_err("ACK", timeout));
                    }
                    Err(e) => return Err(e),
                    Ok(Got::Partial | Got::Noise) => {
                        tracing::debug!("damaged reply where the {what} ACK belongs: taken as ACK");
                        return Ok(DataAck::Accepted);
                    }
                    Ok(Got::Frame(Decoded::Frame(Frame::Ack))) => return Ok(DataAck::Accepted),
                    Ok(Got::Frame(Decoded::Frame(Frame::AckAbort))) => return Ok(DataAck::Aborted),
                    Ok(Got::Frame(Decoded::Frame(Frame::Nak))) => {
                        if attempts > self.opts.retries {
                            return Err(LinkError::Nak { what, attempts });
                        }
                        tracing::debug!("{what} frame NAKed, retransmitting (attempt {attempts})");
                        continue 'send;
                    }
                    Ok(Got::Frame(d @ Decoded::Frame(Frame::Command(_) | Frame::Data(_))))
                    | Ok(Got::Frame(d @ Decoded::BadCrc { .. })) => {
                        // The device only sends a frame after taking ours: its ACK was lost
                        // on the line. Keep the frame for the next receive.
                        tracing::debug!("frame arrived in place of the ACK: implicit ACK");
                        self.pending = Some(d);
                        return Ok(DataAck::Accepted);
                    }
                    Ok(Got::Frame(_)) => continue,
                }
            }
        }
    }
}

impl<S: ByteStream> Link for UartLink<S> {
    fn open(&mut self) -> Result<(), LinkError> {
        // Drop stale bytes (a ROM may emit junk after power-up).
        let mut buf = [0u8; 256];
        while self.stream.read(&mut buf, Duration::ZERO)? > 0 {}
        self.dec = FrameDecoder::new();
        self.pending = None;
        for attempt in 1..=self.opts.ping_attempts {
            self.write_frame(&Frame::Ping)?;
            let deadline = Instant::now() + self.opts.ping_timeout;
            loop {
                match self.next_decoded(deadline, "ping response", false) {
                    Ok(Got::Frame(Decoded::Frame(Frame::PingResponse { version, .. }))) => {
                        self.ping_version = Some(version);
                        tracing::debug!(
                            "ping response: protocol {}{}.{}.{}",
                            version[3] as char,
                            version[2],
                            version[1],
                            version[0]
                        );
                        return Ok(());
                    }
                    Ok(_) => continue,
                    Err(LinkError::Timeout { .. }) => {
                        tracing::debug!("no ping response (attempt {attempt})");
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Err(LinkError::NoPingResponse {
            baud: self.opts.baud,
        })
    }

    fn send_command(&mut self, packet: &[u8], timeout: Duration) -> Result<(), LinkError> {
        match self.send_acked(&Frame::Command(packet.to_vec()), timeout, "command")? {
            DataAck::Accepted => Ok(()),
            DataAck::Aborted => Err(LinkError::Protocol(
                "device answered a command frame with ACK-abort".into(),
            )),
        }
    }

    fn send_data(&mut self, chunk: &[u8], timeout: Duration) -> Result<DataAck, LinkError> {
        self.send_acked(&Frame::Data(chunk.to_vec()), timeout, "data")
    }

    /// Receives the device's next frame. The device sends it right after our ACK (or
    /// right after ACKing our frame), so silence means something was lost on the line:
    /// * noise or a broken frame: the device's frame was damaged: NAK it (the device
    ///   retransmits; a device not waiting for an ACK ignores a NAK);
    /// * nothing at all after our ACK: the ACK itself was lost and the device still
    ///   waits for it: repeat the ACK.
    ///
    /// Either guess, if wrong, costs at most a missing or repeated data chunk, which the
    /// session's byte count check turns into an error, never into wrong data.
    fn receive(&mut self, timeout: Duration) -> Result<Incoming, LinkError> {
        let deadline = Instant::now() + timeout;
        let mut naks = 0;
        let mut re_acks = 0;
        loop {
            let got = match self.pending.take() {
                Some(d) => Got::Frame(d),
                None => {
                    let step = deadline.min(Instant::now() + self.opts.resync_interval);
                    match self.next_decoded(step, "response", true) {
                        Err(LinkError::Timeout { .. }) if Instant::now() < deadline => {
                            if self.last_was_ack && re_acks < self.opts.retries {
                                re_acks += 1;
                                tracing::debug!("device silent after our ACK: repeating it");
                                self.write_frame(&Frame::Ack)?;
                            }
                            continue;
                        }
                        Err(LinkError::Timeout { what, .. }) => {
                            return Err(Self::timeout_err(what, timeout));
                        }
                        other => other?,
                    }
                }
            };
            match got {
                Got::Frame(Decoded::Frame(Frame::Command(p))) => {
                    self.write_frame(&Frame::Ack)?;
                    return Ok(Incoming::Response(p));
                }
                Got::Frame(Decoded::Frame(Frame::Data(p))) => {
                    self.write_frame(&Frame::Ack)?;
                    return Ok(Incoming::Data(p));
                }
                Got::Frame(Decoded::BadCrc { .. }) | Got::Partial | Got::Noise => {
                    naks += 1;
                    if naks > self.opts.retries {
                        return Err(LinkError::Protocol(format!(
                            "{naks} corrupted frames in a row from the device"
                        )));
                    }
                    tracing::debug!("corrupted frame from the device: NAK");
                    self.write_frame(&Frame::Nak)?;
                }
                // Stray ACK/NAK/ping responses are line noise here.
                Got::Frame(_) => {}
            }
        }
    }

    fn abort_data(&mut self) -> Result<(), LinkError> {
        self.write_frame(&Frame::Data(Vec::new()))
    }

    fn describe(&self) -> String {
        self.stream.describe()
    }
}

/// mboot over USB-HID reports.
pub struct HidLink<D: HidDevice> {
    dev: D,
    /// Pad OUT reports to this size (None = unpadded, like SPSDK on Linux).
    pub pad_to: Option<usize>,
}

impl<D: HidDevice> HidLink<D> {
    /// Wraps a HID device.
    pub fn new(dev: D) -> Self {
        HidLink { dev, pad_to: None }
    }
}

impl<D: HidDevice> Link for HidLink<D> {
    fn open(&mut self) -> Result<(), LinkError> {
        // Drain stale input reports.
        let mut buf = [0u8; 1100];
        while self.dev.read_report(&mut buf, Duration::from_millis(1))? > 0 {}
        Ok(())
    }

    fn send_command(&mut self, packet: &[u8], _timeout: Duration) -> Result<(), LinkError> {
        let r = usb_hid::encode(usb_hid::REPORT_CMD_OUT, packet, self.pad_to);
        self.dev.write_report(&r)?;
        Ok(())
    }

    fn send_data(&mut self, chunk: &[u8], _timeout: Duration) -> Result<DataAck, LinkError> {
        let r = usb_hid::encode(usb_hid::REPORT_DATA_OUT, chunk, self.pad_to);
        self.dev.write_report(&r)?;
        Ok(DataAck::Accepted)
    }

    fn receive(&mut self, timeout: Duration) -> Result<Incoming, LinkError> {
        let mut buf = vec![0u8; 1100];
        let n = self.dev.read_report(&mut buf, timeout)?;
        if n == 0 {
            return Err(LinkError::Timeout {
                what: "response",
                ms: timeout.as_millis(),
            });
        }
        let rep = usb_hid::decode(&buf[..n]).map_err(|e| LinkError::Protocol(e.to_string()))?;
        Ok(match (rep.id, rep.payload.is_empty()) {
            (usb_hid::REPORT_CMD_IN, true) => Incoming::ConsumerAbort,
            (usb_hid::REPORT_CMD_IN, false) => Incoming::Response(rep.payload),
            (usb_hid::REPORT_DATA_IN, _) => Incoming::Data(rep.payload),
            (id, _) => {
                return Err(LinkError::Protocol(format!(
                    "unexpected HID report id {id} from device"
                )));
            }
        })
    }

    fn abort_data(&mut self) -> Result<(), LinkError> {
        let r = usb_hid::encode(usb_hid::REPORT_DATA_OUT, &[], self.pad_to);
        self.dev.write_report(&r)?;
        Ok(())
    }

    fn describe(&self) -> String {
        self.dev.describe()
    }
}
