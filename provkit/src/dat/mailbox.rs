//! The debug mailbox (DM-AP) word protocol, host side.
//!
//! The DM-AP is an APB access port (IDR `0x002A0000`) with four registers: CSW (0x00),
//! REQUEST (0x04), RETURN (0x08), IDR (0xFC). A command exchange:
//!
//! ```text
//! W REQUEST = cmd | P<<16                     P parameter words
//! for i in 0..P:  R RETURN == 0xA5A5 | (P-i)<<16  (the ROM's "send the next word")
//!                 W REQUEST = param[i]
//! R RETURN = status word S
//!   no response expected: S < 0x00100000 is success (SPSDK's rule), else an error
//!   R words expected:     S = (n<<16) | status; status 0 and n == R, then
//!                         W REQUEST = 0xA5A5 | R<<16, and per word i:
//!                         R RETURN = data[i]; W REQUEST = 0xA5A5 | (R-i-1)<<16
//! ```
//! After every REQUEST write the host polls CSW until REQ_PENDING (bit 1) clears.
//!
//! [`Exchange`] is that exchange as a sans-I/O state machine: it says which register
//! access comes next ([`Action`]) and takes the words read. [`Mailbox`] drives it over a
//! [`MailboxAccess`] (a probe, or devsim's socket) with the CSW polling and timeouts.

use super::{Dac, Dar, DatError};
use std::fmt;
use std::time::{Duration, Instant};

/// CSW register offset.
pub const CSW: u8 = 0x00;
/// REQUEST register offset.
pub const REQUEST: u8 = 0x04;
/// RETURN register offset.
pub const RETURN: u8 = 0x08;
/// IDR register offset.
pub const IDR: u8 = 0xFC;
/// IDR value of a DM-AP.
pub const DM_AP_IDR: u32 = 0x002A_0000;
/// CSW RESYNCH_REQ (write): resynchronise the mailbox.
pub const CSW_RESYNCH_REQ: u32 = 1 << 0;
/// CSW REQ_PENDING (read): REQUEST not yet taken by the ROM.
pub const CSW_REQ_PENDING: u32 = 1 << 1;
/// CSW DBG_OR_ERR: debugger overrun.
pub const CSW_DBG_OR_ERR: u32 = 1 << 2;
/// CSW AHB_OR_ERR: ROM overrun.
pub const CSW_AHB_OR_ERR: u32 = 1 << 3;
/// CSW CHIP_RESET_REQ (write): reset the chip.
pub const CSW_CHIP_RESET_REQ: u32 = 1 << 5;
/// The acknowledge pattern of parameter and data words.
pub const ACK: u32 = 0xA5A5;

/// A mailbox command code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DmCommand(pub u16);

impl DmCommand {
    /// Enter the debug mailbox.
    pub const START: DmCommand = DmCommand(0x01);
    /// Read the CRP level.
    pub const GET_CRP_LEVEL: DmCommand = DmCommand(0x02);
    /// Mass erase.
    pub const ERASE_FLASH: DmCommand = DmCommand(0x03);
    /// Leave the mailbox (the ROM applies the debug grant).
    pub const EXIT: DmCommand = DmCommand(0x04);
    /// Enter ISP mode (one parameter).
    pub const ENTER_ISP_MODE: DmCommand = DmCommand(0x05);
    /// Set fault-analysis mode.
    pub const SET_FA_MODE: DmCommand = DmCommand(0x06);
    /// Start a debug session.
    pub const START_DBG_SESSION: DmCommand = DmCommand(0x07);
    /// Start debug authentication: the ROM answers the DAC.
    pub const DBG_AUTH_START: DmCommand = DmCommand(0x10);
    /// Debug authentication response: the DAR words.
    pub const DBG_AUTH_RESP: DmCommand = DmCommand(0x11);
    /// As [`Self::DBG_AUTH_START`], with NXP's root keys.
    pub const NXP_DBG_AUTH_START: DmCommand = DmCommand(0x12);
    /// As [`Self::DBG_AUTH_RESP`], with NXP's root keys.
    pub const NXP_DBG_AUTH_RESP: DmCommand = DmCommand(0x13);

    /// The name SPSDK uses.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x01 => "START",
            0x02 => "GET_CRP_LEVEL",
            0x03 => "ERASE_FLASH",
            0x04 => "EXIT",
            0x05 => "ENTER_ISP_MODE",
            0x06 => "SET_FA_MODE",
            0x07 => "START_DBG_SESSION",
            0x10 => "DBG_AUTH_START",
            0x11 => "DBG_AUTH_RESP",
            0x12 => "NXP_DBG_AUTH_START",
            0x13 => "NXP_DBG_AUTH_RESP",
            _ => return None,
        })
    }

    /// The REQUEST word that starts the command with `params` parameter words.
    pub fn request(self, params: usize) -> u32 {
        u32::from(self.0) | ((params as u32 & 0xFFFF) << 16)
    }
}

impl fmt::Display for DmCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} (0x{:02X})", self.0),
            None => write!(f, "command 0x{:02X}", self.0),
        }
    }
}

/// The ACK word that asks for (or confirms) the next of `remaining` words.
pub fn ack(remaining: usize) -> u32 {
    ACK | ((remaining as u32 & 0xFFFF) << 16)
}

/// A response header: `nwords` data words follow, `status` 0 = success.
pub fn response_header(nwords: usize, status: u16) -> u32 {
    ((nwords as u32 & 0x7FFF) << 16) | u32::from(status)
}

/// The name of a standard mailbox error word.
pub fn status_name(word: u32) -> &'static str {
    match word {
        0x0010_0001 => "Debug mode not entered",
        0x0010_0002 => "Command not recognized",
        0x0010_0003 => "Command failed",
        _ => "unknown error",
    }
}

/// Failures of a mailbox exchange.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailboxError {
    /// The device answered an error status.
    #[error("{cmd}: the device answered 0x{status:08X} ({})", status_name(*status))]
    Status {
        /// Command.
        cmd: DmCommand,
        /// Status word.
        status: u32,
    },
    /// The device did not acknowledge a parameter as the protocol says.
    #[error("{cmd}: expected ACK 0x{expected:08X} before parameter {index}, got 0x{got:08X}")]
    BadAck {
        /// Command.
        cmd: DmCommand,
        /// Parameter index.
        index: usize,
        /// Expected word.
        expected: u32,
        /// Read word.
        got: u32,
    },
    /// The device wants to send a different number of words.
    #[error("{cmd}: the device wants to send {got} words, {expected} expected")]
    Length {
        /// Command.
        cmd: DmCommand,
        /// Expected count.
        expected: usize,
        /// Announced count.
        got: usize,
    },
    /// The access port is not a debug mailbox.
    #[error("access port {ap} is not a debug mailbox (IDR 0x{idr:08X}, 0x002A0000 expected)")]
    NotDmAp {
        /// AP index.
        ap: u8,
        /// IDR read.
        idr: u32,
    },
    /// No answer in time.
    #[error("timeout: {what} (after {ms} ms)")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long.
        ms: u128,
    },
    /// The probe or link failed.
    #[error("{0}")]
    Access(AccessError),
    /// The DAC did not decode.
    #[error("the device's challenge does not decode: {0}")]
    Dac(#[from] crate::codec::DecodeError),
    /// The DAR could not be encoded.
    #[error(transparent)]
    Dat(#[from] DatError),
}

impl MailboxError {
    /// True for transport-level failures (no device, link lost, timeouts), as opposed to
    /// the device refusing something.
    pub fn is_transport(&self) -> bool {
        matches!(
            self,
            MailboxError::Timeout { .. } | MailboxError::Access(AccessError::Io(_))
        )
    }
}

/// A failed register access.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// The access port stalled (WAIT): nothing to read yet; retry.
    #[error("the access port answered WAIT")]
    Wait,
    /// The access faulted (FAULT or a sticky error); retry may help.
    #[error("access fault: {0}")]
    Fault(String),
    /// The probe or link is gone.
    #[error("{0}")]
    Io(String),
}

/// Reads and writes registers of one access port (the DM-AP).
pub trait MailboxAccess {
    /// Reads the register at offset `reg`.
    fn read(&mut self, reg: u8) -> Result<u32, AccessError>;
    /// Writes the register at offset `reg`.
    fn write(&mut self, reg: u8, value: u32) -> Result<(), AccessError>;
}

impl<T: MailboxAccess + ?Sized> MailboxAccess for &mut T {
    fn read(&mut self, reg: u8) -> Result<u32, AccessError> {
        (**self).read(reg)
    }
    fn write(&mut self, reg: u8, value: u32) -> Result<(), AccessError> {
        (**self).write(reg, value)
    }
}

impl<T: MailboxAccess + ?Sized> MailboxAccess for Box<T> {
    fn read(&mut self, reg: u8) -> Result<u32, AccessError> {
        (**self).read(reg)
    }
    fn write(&mut self, reg: u8, value: u32) -> Result<(), AccessError> {
        (**self).write(reg, value)
    }
}

/// The next register access an [`Exchange`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write this word to REQUEST (then wait for REQ_PENDING to clear).
    Write(u32),
    /// Read RETURN and pass the word to [`Exchange::on_read`].
    Read,
    /// The exchange is over: the response words (or the status word of a command
    /// without response data).
    Done(Vec<u32>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum St {
    Request,
    ParamAck(usize),
    Param(usize),
    Status,
    DataAck(usize),
    Data(usize),
    Done,
}

/// One command exchange, sans I/O.
#[derive(Debug, Clone)]
pub struct Exchange {
    cmd: DmCommand,
    params: Vec<u32>,
    expect: usize,
    st: St,
    data: Vec<u32>,
}

impl Exchange {
    /// A command with `params`, expecting `expect` response words (0: a status only).
    pub fn new(cmd: DmCommand, params: Vec<u32>, expect: usize) -> Exchange {
        Exchange {
            cmd,
            params,
            expect,
            st: St::Request,
            data: Vec::new(),
        }
    }

    /// The command.
    pub fn command(&self) -> DmCommand {
        self.cmd
    }

    /// What to do next. A `Write` is done once taken: call `step` again.
    pub fn step(&mut self) -> Action {
        match self.st.clone() {
            St::Request => {
                self.st = if self.params.is_empty() {
                    St::Status
                } else {
                    St::ParamAck(0)
                };
                Action::Write(self.cmd.request(self.params.len()))
            }
            St::ParamAck(_) | St::Status | St::Data(_) => Action::Read,
            St::Param(i) => {
                self.st = if i + 1 < self.params.len() {
                    St::ParamAck(i + 1)
                } else {
                    St::Status
                };
                Action::Write(self.params[i])
            }
            St::DataAck(remaining) => {
                let done = self.expect - remaining;
                self.st = if remaining == 0 {
                    St::Done
                } else {
                    St::Data(done)
                };
                Action::Write(ack(remaining))
            }
            St::Done => Action::Done(std::mem::take(&mut self.data)),
        }
    }

    /// Takes the word read from RETURN.
    pub fn on_read(&mut self, word: u32) -> Result<(), MailboxError> {
        let cmd = self.cmd;
        match self.st {
            St::ParamAck(i) => {
                let expected = ack(self.params.len() - i);
                if word == expected {
                    self.st = St::Param(i);
                    Ok(())
                } else if word >> 20 != 0 && word & 0xFFFF != 0 {
                    Err(MailboxError::Status { cmd, status: word })
                } else {
                    Err(MailboxError::BadAck {
                        cmd,
                        index: i,
                        expected,
                        got: word,
                    })
                }
            }
            St::Status => {
                if self.expect == 0 {
                    if word >> 20 == 0 {
                        self.data = vec![word];
                        self.st = St::Done;
                        Ok(())
                    } else {
                        Err(MailboxError::Status { cmd, status: word })
                    }
                } else {
                    // Bit 31 is a "new protocol" flag some ROMs may set: ignored.
                    let n = ((word >> 16) & 0x7FFF) as usize;
                    if word & 0xFFFF != 0 {
                        return Err(MailboxError::Status { cmd, status: word });
                    }
                    if n != self.expect {
                        return Err(MailboxError::Length {
                            cmd,
                            expected: self.expect,
                            got: n,
                        });
                    }
                    self.st = St::DataAck(self.expect);
                    Ok(())
                }
            }
            St::Data(i) => {
                self.data.push(word);
                self.st = St::DataAck(self.expect - i - 1);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Timing of the host side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxOptions {
    /// How long one word may take (CSW polling, RETURN retries); SPSDK: 1000 ms.
    pub timeout: Duration,
    /// Pause between polls.
    pub poll: Duration,
    /// Pause after the reset before the first CSW read (NXP recommends at least 30 ms).
    pub reset_delay: Duration,
}

impl Default for MailboxOptions {
    fn default() -> Self {
        MailboxOptions {
            timeout: Duration::from_millis(1000),
            poll: Duration::from_millis(2),
            reset_delay: Duration::from_millis(30),
        }
    }
}

/// A debug mailbox session over an access port.
pub struct Mailbox<A: MailboxAccess> {
    access: A,
    opts: MailboxOptions,
}

impl<A: MailboxAccess> Mailbox<A> {
    /// Opens the mailbox: (with `reset`) writes CSW = RESYNCH_REQ | CHIP_RESET_REQ, which
    /// resets the chip into its mailbox loop, and waits until the ROM has taken it; then
    /// checks the IDR (SPSDK's order). Without `reset` the ROM keeps its state (a split
    /// DAC/DAR flow needs that: a reset drops the challenge).
    pub fn open(
        access: A,
        ap: u8,
        reset: bool,
        opts: MailboxOptions,
    ) -> Result<Self, MailboxError> {
        let mut mb = Mailbox { access, opts };
        if reset {
            mb.write(CSW, CSW_RESYNCH_REQ | CSW_CHIP_RESET_REQ)?;
            std::thread::sleep(mb.opts.reset_delay);
            mb.wait_taken("the mailbox to come out of reset")?;
        }
        let idr = mb.retry_read(IDR, "reading the DM-AP IDR")?;
        if idr != DM_AP_IDR {
            return Err(MailboxError::NotDmAp { ap, idr });
        }
        Ok(mb)
    }

    /// The access port.
    pub fn access(&mut self) -> &mut A {
        &mut self.access
    }

    /// Ends the session, returning the access port.
    pub fn into_inner(self) -> A {
        self.access
    }

    fn write(&mut self, reg: u8, value: u32) -> Result<(), MailboxError> {
        let t0 = Instant::now();
        loop {
            match self.access.write(reg, value) {
                Ok(()) => return Ok(()),
                Err(AccessError::Io(e)) => return Err(MailboxError::Access(AccessError::Io(e))),
                Err(_) if t0.elapsed() < self.opts.timeout => std::thread::sleep(self.opts.poll),
                Err(e) => {
                    return Err(MailboxError::Timeout {
                        what: format!("writing DM-AP register 0x{reg:02X} ({e})"),
                        ms: t0.elapsed().as_millis(),
                    });
                }
            }
        }
    }

    fn retry_read(&mut self, reg: u8, what: &str) -> Result<u32, MailboxError> {
        let t0 = Instant::now();
        loop {
            match self.access.read(reg) {
                Ok(v) => return Ok(v),
                Err(AccessError::Io(e)) => return Err(MailboxError::Access(AccessError::Io(e))),
                Err(_) if t0.elapsed() < self.opts.timeout => std::thread::sleep(self.opts.poll),
                Err(e) => {
                    return Err(MailboxError::Timeout {
                        what: format!("{what} ({e})"),
                        ms: t0.elapsed().as_millis(),
                    });
                }
            }
        }
    }

    fn wait_taken(&mut self, what: &str) -> Result<(), MailboxError> {
        let t0 = Instant::now();
        loop {
            match self.access.read(CSW) {
                Ok(v) if v & CSW_REQ_PENDING == 0 => return Ok(()),
                Err(AccessError::Io(e)) => return Err(MailboxError::Access(AccessError::Io(e))),
                _ if t0.elapsed() < self.opts.timeout => std::thread::sleep(self.opts.poll),
                _ => {
                    return Err(MailboxError::Timeout {
                        what: format!("waiting for {what}"),
                        ms: t0.elapsed().as_millis(),
                    });
                }
            }
        }
    }

    /// Runs one command: `params` words out, `expect` words back (0: the status word).
    pub fn command(
        &mut self,
        cmd: DmCommand,
        params: &[u32],
        expect: usize,
    ) -> Result<Vec<u32>, MailboxError> {
        let mut ex = Exchange::new(cmd, params.to_vec(), expect);
        loop {
            match ex.step() {
                Action::Write(w) => {
                    self.write(REQUEST, w)?;
                    self.wait_taken(&format!("the ROM to take {cmd}"))?;
                }
                Action::Read => {
                    let w = self.retry_read(RETURN, &format!("reading the answer to {cmd}"))?;
                    ex.on_read(w)?;
                }
                Action::Done(words) => return Ok(words),
            }
        }
    }

    /// `DBG_AUTH_START`: the device's challenge, `words` words long (18 + hash/4).
    pub fn auth_start(&mut self, words: usize) -> Result<Dac, MailboxError> {
        let w = self.command(DmCommand::DBG_AUTH_START, &[], words)?;
        Ok(Dac::from_words(&w)?)
    }

    /// `DBG_AUTH_RESP` with the response.
    pub fn auth_response(&mut self, dar: &Dar) -> Result<(), MailboxError> {
        let bytes = dar.encode()?;
        let words = super::dac::bytes_to_words(&bytes);
        self.command(DmCommand::DBG_AUTH_RESP, &words, 0)?;
        Ok(())
    }

    /// `EXIT`: the ROM leaves the mailbox and applies the debug grant.
    pub fn exit(&mut self) -> Result<(), MailboxError> {
        self.command(DmCommand::EXIT, &[], 0).map(|_| ())
    }
}

/// 32-bit memory access through the debug port's memory access port (the AHB check).
pub trait MemAccess {
    /// Reads one word.
    fn read_u32(&mut self, addr: u32) -> Result<u32, AccessError>;
    /// Writes one word.
    fn write_u32(&mut self, addr: u32, value: u32) -> Result<(), AccessError>;
}

/// SPSDK's AHB test: read `addr`, write it inverted with 0xAAAAAAAA, read back, restore.
/// Succeeds only when the debug port really gives memory access.
pub fn ahb_check(mem: &mut dyn MemAccess, addr: u32) -> Result<(), AccessError> {
    let v = mem.read_u32(addr)?;
    let probe = v ^ 0xAAAA_AAAA;
    mem.write_u32(addr, probe)?;
    let back = mem.read_u32(addr)?;
    mem.write_u32(addr, v)?;
    if back != probe {
        return Err(AccessError::Fault(format!(
            "0x{addr:08X} read back 0x{back:08X} after writing 0x{probe:08X}"
        )));
    }
    Ok(())
}
