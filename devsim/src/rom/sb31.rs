//! The SB3.1 loader of `receive-sb-file` (LPC55S3x, MCX N, RW61x ROMs), streaming as the ROM
//! does: block 0 is checked as soon as it is in (header, certificate block against the RKTH
//! in CMPA/OTP, ISK and block-0 signatures, firmware version against the secure counter),
//! then every data block is checked against the hash its predecessor announced, decrypted
//! with keys derived from the SBKEK the device holds, and its commands run against the
//! memory model as soon as they are complete.
//!
//! # Status codes (the ROM's SB-loader codes; which one the silicon gives for which failure
//! is inferred, the codes themselves are SPSDK's table)
//!
//! | failure | status |
//! |---|---|
//! | header: magic, version, sizes, image type | 10101 `kStatusRomLdrSignature` |
//! | block 0 larger than the loader takes | 10102 `kStatusRomLdrSectionLength` |
//! | certificate block, RKTH mismatch or not provisioned, ISK or block-0 signature | 10101 `kStatusRomLdrSignature` |
//! | header firmware version below the secure counter, `checkFwVersion` below its counter | 10115 `kStatusRomLdrRollbackBlocked` |
//! | no SBKEK provisioned | 10112 `kStatusRomLdrKeyNotFound` |
//! | data block hash or number does not match the chain | 10105 `kStatusRomLdrChecksum` |
//! | block 1 does not decrypt to a section header (wrong SBKEK or kdkAccessRights) | 10118 `kStatusRomLdrBadSBKEK` |
//! | a command longer than its section, bad padding | 10102 `kStatusRomLdrSectionLength` |
//! | unknown command, or one the family's loader lacks (`call`, `reset`, LZMA loads, ...) | 10107 `kStatusRomLdrUnknownCommand` |
//! | `loadKeyBlob` with a wrap id the family does not have | 10108 `kStatusRomLdrIdNotFound` |
//! | bytes after the last block | 10104 `kStatusRomLdrEOFReached` |
//! | the file ends before its last block | 10109 `kStatusRomLdrDataUnderrun` |
//! | a command's memory operation fails | that operation's status (10200, 101, ...) |
//! | `execute` | 10119 `kStatusRomLdrPendingJumpCommand` at the end; then the device jumps (resets) |
//!
//! The SBKEK comes from the key store when the family has one, else from the device's SB
//! settings (`devsim mcu --sbkek`, kept in `--state DIR/sb.json`; see `sb.rs`);
//! kdkAccessRights is a per-device setting too (`--kdk-access-rights`, default 0).

use super::Rom;
use provkit::codec::to_hex;
use provkit::crypto::kdf::Sb31Kdf;
use provkit::family::{Area, Field, FieldKind};
use provkit::mboot::StatusCode;
use provkit::sb31::{
    Block0, BlockChain, Command, CommandStream, CounterId, HEADER_LEN, Header, Sb31Error,
};
use zeroize::Zeroizing;

/// Largest block 0 the loader takes.
const MAX_BLOCK0: usize = 16 * 1024;
/// Largest single command the loader buffers (a load of up to 4 MiB).
const MAX_COMMAND: usize = 4 * 1024 * 1024 + 64;

/// What the loader found about the device when the transfer started.
struct DeviceView {
    rkth: Option<Vec<u8>>,
    secure_counter: u32,
    sbkek: Option<Zeroizing<Vec<u8>>>,
    kdk_access_rights: u8,
}

enum State {
    Head,
    Block0 {
        len: usize,
    },
    Data {
        chain: BlockChain,
        stream: CommandStream,
    },
    /// All blocks in (or an `execute` ran): further bytes are not processed.
    Done,
}

/// One SB3.1 transfer.
pub(crate) struct Sb31Loader {
    view: DeviceView,
    state: State,
    buf: Vec<u8>,
    queue: Vec<Command>,
    jump: bool,
    total: Option<u64>,
    received: u64,
}

fn fail(st: StatusCode, why: impl std::fmt::Display) -> StatusCode {
    tracing::warn!("receive-sb-file (SB3.1): {why}: {st}");
    st
}

impl Sb31Loader {
    /// Takes a chunk of the file; `Err` aborts the data phase with that status.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), StatusCode> {
        self.received += chunk.len() as u64;
        if let Some(t) = self.total {
            if self.received > t && !self.jump {
                return Err(fail(
                    StatusCode::ROMLDR_EOF_REACHED,
                    format!("data after the end of the file ({t} bytes)"),
                ));
            }
        }
        if matches!(self.state, State::Done) {
            return Ok(());
        }
        self.buf.extend_from_slice(chunk);
        loop {
            match &mut self.state {
                State::Head => {
                    if self.buf.len() < HEADER_LEN {
                        return Ok(());
                    }
                    let h =
                        Header::decode(&mut provkit::codec::Reader::new(&self.buf[..HEADER_LEN]))
                            .map_err(|e| fail(StatusCode::ROMLDR_SIGNATURE, e))?;
                    let len = h.block0_len as usize;
                    if len > MAX_BLOCK0 || len <= HEADER_LEN {
                        return Err(fail(
                            StatusCode::ROMLDR_SECTION_LENGTH,
                            format!("block 0 is {len} bytes"),
                        ));
                    }
                    self.total = Some(
                        u64::from(h.block0_len)
                            + u64::from(h.block_count) * u64::from(h.block_size),
                    );
                    self.state = State::Block0 { len };
                }
                State::Block0 { len } => {
                    let len = *len;
                    if self.buf.len() < len {
                        return Ok(());
                    }
                    let rest = self.buf.split_off(len);
                    let next = self.check_block0(&self.buf)?;
                    self.buf = rest;
                    self.state = next;
                }
                State::Data { chain, stream } => {
                    let bs = chain.block_size();
                    if chain.done() {
                        self.state = State::Done;
                        continue;
                    }
                    if self.buf.len() < bs {
                        return Ok(());
                    }
                    let rest = self.buf.split_off(bs);
                    let k = chain.next_number();
                    let plain = chain.next(&self.buf).map_err(|e| match e {
                        Sb31Error::BlockHash(_)
                        | Sb31Error::BlockNumber { .. }
                        | Sb31Error::LastHashNotZero(_) => fail(StatusCode::ROMLDR_CHECKSUM, e),
                        other => fail(StatusCode::ROMLDR_SIGNATURE, other),
                    })?;
                    self.buf = rest;
                    let cmds = stream.push(&plain).map_err(|e| {
                        if k == 1 && e.what == "section header" {
                            fail(
                                StatusCode::ROMLDR_BAD_SBKEK,
                                "block 1 does not decrypt to a section header",
                            )
                        } else if e.what == "command id" {
                            fail(StatusCode::ROMLDR_UNKNOWN_COMMAND, &e)
                        } else {
                            fail(StatusCode::ROMLDR_SECTION_LENGTH, &e)
                        }
                    })?;
                    self.queue.extend(cmds);
                    if chain.done() && !stream.finished() {
                        return Err(fail(
                            StatusCode::ROMLDR_SECTION_LENGTH,
                            "the section is longer than the file",
                        ));
                    }
                    if !self.queue.is_empty() {
                        // Let the ROM run what is complete before taking more blocks.
                        return Ok(());
                    }
                }
                State::Done => return Ok(()),
            }
        }
    }

    fn check_block0(&self, b: &[u8]) -> Result<State, StatusCode> {
        let b0 = Block0::decode(b).map_err(|e| fail(StatusCode::ROMLDR_SIGNATURE, e))?;
        let Some(rkth) = &self.view.rkth else {
            return Err(fail(
                StatusCode::ROMLDR_SIGNATURE,
                "no RKTH provisioned (CMPA/OTP): the ROM cannot authenticate the file",
            ));
        };
        let v = b0
            .verify(Some(rkth))
            .map_err(|e| fail(StatusCode::ROMLDR_SIGNATURE, e))?;
        tracing::info!(
            "SB3.1 block 0 OK: RKTH {}, {} signer",
            to_hex(&v.rkth),
            v.signer_curve
        );
        if b0.header.firmware_version < self.view.secure_counter {
            return Err(fail(
                StatusCode::ROMLDR_ROLLBACK_BLOCKED,
                format!(
                    "firmware version {} is below the secure counter {}",
                    b0.header.firmware_version, self.view.secure_counter
                ),
            ));
        }
        let Some(kek) = &self.view.sbkek else {
            return Err(fail(
                StatusCode::ROMLDR_KEY_NOT_FOUND,
                "no SBKEK provisioned",
            ));
        };
        let kdf = Sb31Kdf::new(
            kek,
            b0.header.timestamp,
            self.view.kdk_access_rights,
            b0.header.key_bits(),
        )
        .map_err(|e| fail(StatusCode::ROMLDR_BAD_SBKEK, e))?;
        Ok(State::Data {
            chain: BlockChain::new(&b0.header, b0.block1_hash, Some(kdf)),
            stream: CommandStream::new(MAX_COMMAND),
        })
    }

    /// The commands completed so far.
    pub(crate) fn take_commands(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.queue)
    }

    /// An `execute` ran: nothing after it is processed.
    pub(crate) fn jumped(&mut self) {
        self.jump = true;
        self.state = State::Done;
        self.queue.clear();
    }

    /// The stream ended: the closing status.
    pub(crate) fn finish(&mut self) -> StatusCode {
        if self.jump {
            return StatusCode::ROMLDR_PENDING_JUMP_COMMAND;
        }
        if matches!(self.state, State::Head) && !self.buf.starts_with(provkit::sb31::MAGIC) {
            return fail(StatusCode::ROMLDR_SIGNATURE, "not an SB3.1 file");
        }
        let complete = match &self.state {
            State::Done => true,
            State::Data { chain, .. } => chain.done(),
            _ => false,
        };
        if complete && self.buf.is_empty() {
            tracing::info!("receive-sb-file (SB3.1): every block verified and executed");
            StatusCode::SUCCESS
        } else {
            fail(
                StatusCode::ROMLDR_DATA_UNDERRUN,
                "the file ended before its last block",
            )
        }
    }
}

/// What a running SB3.1 command asks of the transfer.
pub(crate) enum Flow {
    Continue,
    Jump,
}

impl Rom {
    fn current_sbkek(&self) -> Option<Zeroizing<Vec<u8>>> {
        self.sbkek()
            .map(Zeroizing::new)
            .or_else(|| self.sb.sbkek.clone())
    }

    /// A loader for a new transfer, on SB3.1 families.
    pub(crate) fn sb31_loader(&self) -> Option<Box<Sb31Loader>> {
        let sb = self.family.secure_boot.as_ref()?;
        if !self.family.sb_version.starts_with('3') {
            return None;
        }
        let rkth = self
            .field_bytes(sb.rkth.area, sb.rkth.offset, sb.rkth.size as usize)
            .filter(|b| b.iter().any(|&x| x != 0));
        Some(Box::new(Sb31Loader {
            view: DeviceView {
                rkth,
                secure_counter: sb
                    .secure_fw_version
                    .as_ref()
                    .and_then(|f| self.field_value(f))
                    .unwrap_or(0),
                sbkek: self.current_sbkek(),
                kdk_access_rights: self.sb.kdk_access_rights,
            },
            state: State::Head,
            buf: Vec::new(),
            queue: Vec::new(),
            jump: false,
            total: None,
            received: 0,
        }))
    }

    /// Bytes of a CMPA/CFPA/OTP field (`len` bytes; OTP words little-endian).
    pub(crate) fn field_bytes(&self, area: Area, offset: u32, len: usize) -> Option<Vec<u8>> {
        match area {
            Area::Otp => {
                let f = self.fuses.as_ref()?;
                let mut out = Vec::with_capacity(len);
                for i in 0..len.div_ceil(4) {
                    let w = *f.words.get(offset as usize + i)?;
                    out.extend_from_slice(&w.to_le_bytes());
                }
                out.truncate(len);
                Some(out)
            }
            Area::Cmpa => {
                let p = self.family.pfr.as_ref()?;
                self.mem.peek(p.cmpa.checked_add(offset)?, len)
            }
            Area::Cfpa => {
                let page = self.active_cfpa()?;
                self.mem.peek(page.checked_add(offset)?, len)
            }
        }
    }

    /// The active CFPA page: the newer of ping and pong, or the single CFPA page.
    fn active_cfpa(&self) -> Option<u32> {
        let p = self.family.pfr.as_ref()?;
        let Some((a, b)) = p.cfpa_ping_pong else {
            return Some(p.cfpa);
        };
        let ver = |page: u32| {
            self.mem
                .peek(page + p.cfpa_version_offset, 4)
                .map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
                .unwrap_or(0)
        };
        Some(if ver(b) > ver(a) { b } else { a })
    }

    /// A field's value (bit field of the first word, or the set-bit count of a counter).
    pub(crate) fn field_value(&self, f: &Field) -> Option<u32> {
        let words = f.words.max(1) as usize;
        let bytes = match f.area {
            Area::Otp => self.field_bytes(f.area, f.offset, 4 * words)?,
            _ => self.field_bytes(f.area, f.offset, 4 * words)?,
        };
        let mask = if f.width >= 32 {
            u32::MAX
        } else {
            (1u32 << f.width) - 1
        };
        let word = |i: usize| {
            u32::from_le_bytes([
                bytes[4 * i],
                bytes[4 * i + 1],
                bytes[4 * i + 2],
                bytes[4 * i + 3],
            ])
        };
        Some(match f.kind {
            FieldKind::Value => (word(0) >> f.shift) & mask,
            FieldKind::Ones => (0..words)
                .map(|i| ((word(i) >> f.shift) & mask).count_ones())
                .sum(),
        })
    }

    /// Runs the SB3.1 commands the current transfer completed.
    pub(crate) fn run_sb31_commands(&mut self) -> Result<(), StatusCode> {
        loop {
            let cmds = match &mut self.pending {
                super::Pending::In {
                    sink: super::Sink::Sb(s),
                    ..
                } => s.take_sb31_commands(),
                _ => return Ok(()),
            };
            if cmds.is_empty() {
                return Ok(());
            }
            for c in cmds {
                tracing::info!("SB3.1 command: {c}");
                match self.exec_sb31(&c)? {
                    Flow::Continue => {}
                    Flow::Jump => {
                        if let super::Pending::In {
                            sink: super::Sink::Sb(s),
                            ..
                        } = &mut self.pending
                        {
                            s.sb31_jumped();
                        }
                        return Ok(());
                    }
                }
            }
            // More blocks may be buffered behind the commands just run.
            if let super::Pending::In {
                sink: super::Sink::Sb(s),
                ..
            } = &mut self.pending
            {
                s.push(&[])?;
            }
        }
    }

    /// Writes `data` at `address` of memory `memory_id` as write-memory does.
    pub(super) fn write_bytes(
        &mut self,
        address: u32,
        memory_id: u32,
        data: &[u8],
    ) -> Result<(), StatusCode> {
        if data.is_empty() {
            return Ok(());
        }
        let len = u32::try_from(data.len()).map_err(|_| StatusCode::INVALID_ARGUMENT)?;
        self.check_memory_id(memory_id, address, len)?;
        let mut job = self.mem.begin_write(address, len)?;
        self.mem.write_chunk(&mut job, data)?;
        self.mem.finish_write(&mut job)
    }

    fn erase_rounded(
        &mut self,
        address: u32,
        length: u32,
        memory_id: u32,
    ) -> Result<(), StatusCode> {
        if length == 0 {
            return Ok(());
        }
        let unit = match self.mem.locate(address, 1)? {
            super::memory::Loc::Flash(i, _) => self.mem.flash[i].region.erase_size,
            super::memory::Loc::Nor(_) => self
                .mem
                .nor
                .as_ref()
                .and_then(|n| n.geometry)
                .map(|g| g.sector_size)
                .ok_or(StatusCode::MEMORY_NOT_CONFIGURED)?,
            _ => 1,
        }
        .max(1);
        // The ROM rounds the erase out to whole erase units.
        let start = address - address % unit;
        let end = u64::from(address) + u64::from(length);
        let end = end.div_ceil(u64::from(unit)) * u64::from(unit);
        let len =
            u32::try_from(end - u64::from(start)).map_err(|_| StatusCode::INVALID_ARGUMENT)?;
        self.check_memory_id(memory_id, start, len)?;
        self.mem.erase(start, len)
    }

    fn exec_sb31(&mut self, c: &Command) -> Result<Flow, StatusCode> {
        let supported = self
            .family
            .secure_boot
            .as_ref()
            .and_then(|s| s.sb31.as_ref())
            .is_some_and(|s| s.commands.iter().any(|n| n == c.config_name()));
        if !supported || matches!(c, Command::LoadCompressed { .. }) {
            return Err(fail(
                StatusCode::ROMLDR_UNKNOWN_COMMAND,
                format!(
                    "{} is not supported by the {} loader",
                    c.config_name(),
                    self.family.name
                ),
            ));
        }
        match c {
            Command::Erase {
                address,
                length,
                memory_id,
            } => self.erase_rounded(*address, *length, *memory_id)?,
            Command::Load {
                address,
                memory_id,
                data,
            }
            | Command::LoadCmac {
                address,
                memory_id,
                data,
            }
            | Command::LoadHashLocking {
                address,
                memory_id,
                data,
            } => self.write_bytes(*address, *memory_id, data)?,
            Command::ProgramFuses { address, values } => {
                for (i, v) in values.iter().enumerate() {
                    self.burn(address + i as u32, *v, false)?;
                }
            }
            Command::ProgramIfr { address, data } => {
                let p = self
                    .family
                    .pfr
                    .as_ref()
                    .ok_or(StatusCode::MEMORY_RANGE_INVALID)?;
                let at = p
                    .window
                    .start
                    .checked_add(*address)
                    .ok_or(StatusCode::MEMORY_RANGE_INVALID)?;
                if !p.window.contains(at, data.len() as u64) {
                    return Err(StatusCode::MEMORY_RANGE_INVALID);
                }
                self.mem.store_raw(at, data)?;
            }
            Command::Copy {
                address_from,
                length,
                address_to,
                memory_id_from,
                memory_id_to,
            } => {
                self.check_memory_id(*memory_id_from, *address_from, *length)?;
                let data = self.mem.read(*address_from, *length as usize)?;
                self.write_bytes(*address_to, *memory_id_to, &data)?;
            }
            Command::LoadKeyBlob {
                offset,
                key_wrap_id,
                data,
            } => {
                let ids = self
                    .family
                    .secure_boot
                    .as_ref()
                    .and_then(|s| s.sb31.as_ref())
                    .map(|s| s.key_wrap_ids)
                    .unwrap_or((0, 0));
                if *key_wrap_id != ids.0 && *key_wrap_id != ids.1 {
                    return Err(fail(
                        StatusCode::ROMLDR_ID_NOT_FOUND,
                        format!("wrapping key id {key_wrap_id}"),
                    ));
                }
                self.sb
                    .key_blobs
                    .push((*offset, *key_wrap_id, data.clone()));
            }
            Command::ConfigureMemory { memory_id, address } => {
                self.configure(*memory_id, *address)?;
            }
            Command::FillMemory {
                address,
                length,
                pattern,
            } => self.fill(*address, *length, *pattern)?,
            Command::CheckFwVersion { value, counter } => {
                let sb = self.family.secure_boot.clone();
                let field = match *counter {
                    CounterId::SECURE => sb.as_ref().and_then(|s| s.secure_fw_version.clone()),
                    CounterId::NONSECURE => {
                        sb.as_ref().and_then(|s| s.nonsecure_fw_version.clone())
                    }
                    _ => None,
                };
                let current = field
                    .as_ref()
                    .and_then(|f| self.field_value(f))
                    .unwrap_or(0);
                if *value < current {
                    return Err(fail(
                        StatusCode::ROMLDR_ROLLBACK_BLOCKED,
                        format!(
                            "checkFwVersion {value} ({counter}) is below the device counter {current}"
                        ),
                    ));
                }
            }
            Command::Execute { address } => {
                if !self.mem.executable(*address) {
                    return Err(StatusCode::INVALID_ARGUMENT);
                }
                tracing::info!("SB3.1 execute 0x{address:08X}: the ROM jumps after the transfer");
                return Ok(Flow::Jump);
            }
            _ => {
                return Err(fail(
                    StatusCode::ROMLDR_UNKNOWN_COMMAND,
                    format!("{} is not supported", c.config_name()),
                ));
            }
        }
        Ok(Flow::Continue)
    }
}
