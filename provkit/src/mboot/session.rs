//! The host session: one ping per session, MaxPacketSize read once and cached,
//! per-command timeouts that grow with the work the ROM does before it answers,
//! data phases in both directions with clean aborts.

use super::command::{Command, CommandTag, Response};
use super::link::{DataAck, Incoming, Link, LinkError};
use super::packet::Packet;
use super::property::PropertyTag;
use super::status::StatusCode;
use crate::codec::DecodeError;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Fallback data chunk size when the device does not report property 11 (as SPSDK).
pub const DEFAULT_MAX_PACKET: usize = 32;

/// Session errors. Device status codes are not errors at this level: they come back in
/// the [`Response`] so the caller can print them; see [`Error::Status`] for helpers
/// that demand success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The link failed while running a command.
    #[error("{command}: {source}")]
    Link {
        /// Command being run.
        command: CommandTag,
        /// What failed.
        #[source]
        source: LinkError,
    },
    /// The link failed while opening the session.
    #[error("{0}")]
    Open(#[source] LinkError),
    /// A response packet did not decode.
    #[error("{command}: bad response packet: {source}")]
    Decode {
        /// Command being run.
        command: CommandTag,
        /// Decode failure.
        #[source]
        source: DecodeError,
    },
    /// The device answered with a response that does not fit the command.
    #[error("{command}: unexpected {what}")]
    Unexpected {
        /// Command being run.
        command: CommandTag,
        /// Description of what arrived.
        what: String,
    },
    /// The user cancelled a data phase (e.g. Ctrl-C); the host aborted it cleanly.
    #[error("{command}: cancelled after {done} of {total} bytes")]
    Cancelled {
        /// Command being run.
        command: CommandTag,
        /// Bytes transferred before the abort.
        done: usize,
        /// Bytes the phase would have moved.
        total: usize,
    },
    /// The device reported a failure status.
    #[error("{command}: device returned {status}")]
    Status {
        /// Command being run.
        command: CommandTag,
        /// The status.
        status: StatusCode,
    },
}

impl Error {
    /// True for failures of the link (no device, timeout, line errors), as opposed to
    /// a device status.
    pub fn is_link(&self) -> bool {
        matches!(self, Error::Link { .. } | Error::Open(_))
    }
}

/// Progress of a data phase: bytes done, bytes total.
pub trait Progress {
    /// Called after every chunk.
    fn update(&mut self, done: usize, total: usize);
}

impl<F: FnMut(usize, usize)> Progress for F {
    fn update(&mut self, done: usize, total: usize) {
        self(done, total)
    }
}

/// No progress reporting.
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&mut self, _: usize, _: usize) {}
}

/// Session options.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Base timeout for an answer (`blhost -t`).
    pub timeout: Duration,
    /// Override the data chunk size (otherwise property 11).
    pub max_packet: Option<usize>,
    /// Set (e.g. from a SIGINT handler) to abort the running data phase cleanly: a
    /// host-to-device phase ends with a zero-length data frame, after which the device
    /// reports `kStatus_AbortDataPhase`; a device-to-host phase stops being read.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            timeout: Duration::from_millis(5000),
            max_packet: None,
            cancel: None,
        }
    }
}

/// The outcome of a command with a data phase.
#[derive(Debug, Clone)]
pub struct DataOutcome {
    /// The first response (status, and the data length for device-to-host phases).
    pub first: Response,
    /// The closing response after the data phase (absent when the first response
    /// failed, since then no data phase runs).
    pub last: Option<Response>,
    /// Data received (device-to-host), possibly partial after an abort.
    pub data: Vec<u8>,
    /// Bytes sent (host-to-device).
    pub sent: usize,
}

impl DataOutcome {
    /// The status that decides the outcome: the closing response's if there is one.
    pub fn status(&self) -> StatusCode {
        match &self.last {
            Some(r) if !r.status().is_success() || self.first.status().is_success() => r.status(),
            _ => self.first.status(),
        }
    }
}

/// An mboot session over a [`Link`].
pub struct McuBoot<L: Link> {
    link: L,
    opts: SessionOptions,
    max_packet: Option<usize>,
    opened: bool,
}

impl<L: Link> McuBoot<L> {
    /// A session over `link`; nothing is sent until the first command.
    pub fn new(link: L, opts: SessionOptions) -> Self {
        let max_packet = opts.max_packet;
        McuBoot {
            link,
            opts,
            max_packet,
            opened: false,
        }
    }

    /// The link.
    pub fn link(&mut self) -> &mut L {
        &mut self.link
    }

    /// Consumes the session.
    pub fn into_link(self) -> L {
        self.link
    }

    /// Opens the session (UART: one ping). Called implicitly by the first command.
    pub fn open(&mut self) -> Result<(), Error> {
        if !self.opened {
            self.link.open().map_err(Error::Open)?;
            self.opened = true;
        }
        Ok(())
    }

    /// Forgets the link state after a reset: the next command pings again and the
    /// max packet size is read again.
    pub fn mark_reset(&mut self) {
        self.opened = false;
        self.max_packet = self.opts.max_packet;
    }

    /// How long the ROM may take before it ACKs and answers `cmd`: it executes a
    /// command before ACKing it, so erases get more time the more they erase.
    pub fn command_timeout(&self, cmd: &Command) -> Duration {
        let base = self.opts.timeout;
        let extra = match cmd {
            // ~25 ms per 4 KiB sector of internal flash; external NOR is slower.
            Command::FlashEraseRegion { byte_count, .. } => {
                Duration::from_millis(u64::from(*byte_count) / 4096 * 25)
            }
            Command::FillMemory { byte_count, .. } => {
                Duration::from_millis(u64::from(*byte_count) / 4096 * 25)
            }
            Command::FlashEraseAll { .. } | Command::FlashEraseAllUnsecure => {
                Duration::from_secs(60)
            }
            Command::ConfigureMemory { .. } => Duration::from_secs(2),
            _ => Duration::ZERO,
        };
        base + extra
    }

    /// ACK timeout of one data chunk: an SB capsule's chunk may run erases.
    fn chunk_timeout(&self, cmd: &Command) -> Duration {
        match cmd {
            Command::ReceiveSbFile { .. } => self.opts.timeout + Duration::from_secs(30),
            _ => self.opts.timeout,
        }
    }

    fn cancelled(&self) -> bool {
        self.opts
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn link_err(cmd: CommandTag) -> impl Fn(LinkError) -> Error {
        move |source| Error::Link {
            command: cmd,
            source,
        }
    }

    fn read_response(&mut self, cmd: CommandTag, timeout: Duration) -> Result<Response, Error> {
        loop {
            match self.link.receive(timeout).map_err(Self::link_err(cmd))? {
                Incoming::Response(bytes) => {
                    let pkt = Packet::decode(&bytes).map_err(|source| Error::Decode {
                        command: cmd,
                        source,
                    })?;
                    return Response::from_packet(&pkt).map_err(|source| Error::Decode {
                        command: cmd,
                        source,
                    });
                }
                Incoming::ConsumerAbort => continue,
                Incoming::Data(d) => {
                    return Err(Error::Unexpected {
                        command: cmd,
                        what: format!("data chunk of {} bytes instead of a response", d.len()),
                    });
                }
            }
        }
    }

    /// Reads the closing GenericResponse, skipping generic responses for other
    /// commands as SPSDK does.
    fn read_final(&mut self, cmd: CommandTag, timeout: Duration) -> Result<Response, Error> {
        loop {
            let r = self.read_response(cmd, timeout)?;
            match &r {
                Response::Generic { command, .. } if *command != cmd => {
                    tracing::debug!("skipping generic response for {command}");
                }
                _ => return Ok(r),
            }
        }
    }

    /// Runs a command without a data phase and returns the device's response.
    pub fn command(&mut self, cmd: &Command) -> Result<Response, Error> {
        self.open()?;
        let tag = cmd.tag();
        let timeout = self.command_timeout(cmd);
        let pkt = cmd.to_packet();
        tracing::debug!(?pkt, "command");
        self.link
            .send_command(&pkt.encode(), timeout)
            .map_err(Self::link_err(tag))?;
        let r = self.read_response(tag, timeout)?;
        tracing::debug!(?r, "response");
        Ok(r)
    }

    /// Reads a property; on a failure status returns [`Error::Status`].
    pub fn get_property(&mut self, tag: PropertyTag, index: u32) -> Result<Vec<u32>, Error> {
        let cmd = Command::GetProperty { tag: tag.0, index };
        match self.command(&cmd)? {
            Response::GetProperty { status, values } if status.is_success() => Ok(values),
            r if !r.status().is_success() => Err(Error::Status {
                command: cmd.tag(),
                status: r.status(),
            }),
            r => Err(Error::Unexpected {
                command: cmd.tag(),
                what: format!("{r:?}"),
            }),
        }
    }

    /// The data chunk size: property 11, read once per session and cached.
    pub fn max_packet_size(&mut self) -> Result<usize, Error> {
        if let Some(n) = self.max_packet {
            return Ok(n);
        }
        let n = match self.get_property(PropertyTag::MAX_PACKET_SIZE, 0) {
            Ok(v) if v.first().is_some_and(|&n| n > 0) => v[0] as usize,
            Ok(_) | Err(Error::Status { .. }) | Err(Error::Unexpected { .. }) => {
                tracing::warn!("Unable to get MAX PACKET SIZE, using: {DEFAULT_MAX_PACKET}");
                DEFAULT_MAX_PACKET
            }
            Err(e) => return Err(e),
        };
        // Bound what we will send in one frame, whatever the device claims.
        let n = n.min(super::uart::MAX_PAYLOAD);
        self.max_packet = Some(n);
        Ok(n)
    }

    /// Runs a command whose data phase goes from the host to the device
    /// (write-memory, receive-sb-file, fuse-program, key provisioning).
    pub fn write_data(
        &mut self,
        cmd: &Command,
        data: &[u8],
        progress: &mut dyn Progress,
    ) -> Result<DataOutcome, Error> {
        self.open()?;
        let chunk = self.max_packet_size()?;
        let tag = cmd.tag();
        let first = self.command(cmd)?;
        if !first.status().is_success() {
            return Ok(DataOutcome {
                first,
                last: None,
                data: Vec::new(),
                sent: 0,
            });
        }
        let ack_timeout = self.chunk_timeout(cmd);
        let mut sent = 0;
        progress.update(0, data.len());
        for c in data.chunks(chunk) {
            if self.cancelled() {
                // A zero-length data frame ends the phase; the device answers with its
                // closing response (kStatus_AbortDataPhase).
                self.link.abort_data().map_err(Self::link_err(tag))?;
                let last = self.read_final(tag, ack_timeout);
                tracing::debug!(?last, "data phase aborted by the host");
                return Err(Error::Cancelled {
                    command: tag,
                    done: sent,
                    total: data.len(),
                });
            }
            match self
                .link
                .send_data(c, ack_timeout)
                .map_err(Self::link_err(tag))?
            {
                DataAck::Accepted => {
                    sent += c.len();
                    progress.update(sent, data.len());
                }
                DataAck::Aborted => {
                    tracing::debug!("device aborted the data phase after {sent} bytes");
                    break;
                }
            }
        }
        let last = self.read_final(tag, ack_timeout)?;
        if last.status().is_success() && sent != data.len() {
            return Err(Error::Unexpected {
                command: tag,
                what: format!("success after taking only {sent} of {} bytes", data.len()),
            });
        }
        Ok(DataOutcome {
            first,
            last: Some(last),
            data: Vec::new(),
            sent,
        })
    }

    /// Runs a command whose data phase goes from the device to the host
    /// (read-memory, flash-read-resource, fuse-read, read_key_store, key blob,
    /// EL2GO batch report). Without a data phase announced, returns just the response.
    pub fn read_data(
        &mut self,
        cmd: &Command,
        progress: &mut dyn Progress,
    ) -> Result<DataOutcome, Error> {
        let tag = cmd.tag();
        let first = self.command(cmd)?;
        let total = match &first {
            Response::DataPhase {
                flags,
                status,
                byte_count,
                ..
            } if status.is_success() && flags & 1 != 0 => *byte_count as usize,
            Response::TrustProvisioning {
                flags,
                status,
                values,
            } if status.is_success() && flags & 1 != 0 && values.len() >= 2 => values[1] as usize,
            _ => {
                return Ok(DataOutcome {
                    first,
                    last: None,
                    data: Vec::new(),
                    sent: 0,
                });
            }
        };
        let timeout = self.opts.timeout;
        let mut data = Vec::with_capacity(total.min(1 << 24));
        progress.update(0, total);
        let last = loop {
            if self.cancelled() {
                return Err(Error::Cancelled {
                    command: tag,
                    done: data.len(),
                    total,
                });
            }
            match self.link.receive(timeout).map_err(Self::link_err(tag))? {
                Incoming::Data(d) if d.is_empty() => {
                    tracing::debug!("device aborted the data phase after {} bytes", data.len());
                    break self.read_final(tag, timeout)?;
                }
                Incoming::Data(d) => {
                    data.extend_from_slice(&d);
                    progress.update(data.len().min(total), total);
                    if data.len() > total {
                        return Err(Error::Unexpected {
                            command: tag,
                            what: format!(
                                "data phase: device sent {} bytes, announced {total}",
                                data.len()
                            ),
                        });
                    }
                    if data.len() == total {
                        break self.read_final(tag, timeout)?;
                    }
                }
                Incoming::Response(bytes) => {
                    // The device ended the data phase early with its status.
                    let pkt = Packet::decode(&bytes).map_err(|source| Error::Decode {
                        command: tag,
                        source,
                    })?;
                    break Response::from_packet(&pkt).map_err(|source| Error::Decode {
                        command: tag,
                        source,
                    })?;
                }
                Incoming::ConsumerAbort => continue,
            }
        };
        if last.status().is_success() && data.len() != total {
            return Err(Error::Unexpected {
                command: tag,
                what: format!("success after sending only {} of {total} bytes", data.len()),
            });
        }
        Ok(DataOutcome {
            first,
            last: Some(last),
            data,
            sent: 0,
        })
    }

    /// Sends a command and tells the link the device will reset: after the response
    /// the next command pings again.
    pub fn reset(&mut self, parameter: Option<u32>) -> Result<Response, Error> {
        let r = self.command(&Command::Reset { parameter })?;
        self.mark_reset();
        Ok(r)
    }
}
