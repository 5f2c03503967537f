//! The SB2.1 loader of `receive-sb-file` (LPC55S0x/1x/2x/6x and RT5xx/6xx ROMs), streaming
//! as the ROM does (`reference/sb2_mbi.md` 5.8): the header is checked as soon as it is in,
//! then, once the prologue is complete, the key blob is unwrapped with the device's SBKEK,
//! the certificate block is checked against the RKTH in CMPA/OTP and the RSA signature over
//! the prologue; then every section's TAG HMAC, TAG, header HMAC (first section) and HMAC
//! table, and chunk by chunk the command HMAC, decryption, command checksums and LOAD CRCs
//! ([`provkit::sb21::Loader`]). The commands of a chunk run against the memory model as soon
//! as the chunk verified, in file order; a failure stops the transfer there: nothing after
//! the failure point runs.
//!
//! Every length is bounded before it is used: the certificate table (64 KiB), a section's
//! HMAC count (the header's `max_section_mac_count`, and at most 256 here), a section's
//! extent (within the header's `image_blocks`), an HMAC chunk (at most 16 MiB is buffered
//! before its HMAC is checked). CVE-2022-22819 was an unchecked length in the LPC55 ROM's
//! SB2 parser; the simulator's bounds are its own (the ROM's buffer sizes are not public).
//!
//! # Status codes (the ROM's SB-loader codes, SPSDK's table; which one the silicon gives for
//! which failure is inferred: from KBOOT's SB2 loader where it has the case, else by analogy
//! with the SB3.1 loader of this simulator)
//!
//! | failure | status |
//! |---|---|
//! | header: `STMP`/`sgtl`, version 2.1, constant offsets and block counts | 10101 `kStatusRomLdrSignature` |
//! | certificate table longer than the loader takes, `first_boot_tag_block` off, a section past `image_blocks`, a chunk larger than the loader buffers, a LOAD longer than its section, a partial command | 10102 `kStatusRomLdrSectionLength` |
//! | no SBKEK in the device | 10112 `kStatusRomLdrKeyNotFound` |
//! | key blob does not unwrap (wrong SBKEK), an SBKEK of the wrong size | 10118 `kStatusRomLdrBadSBKEK` |
//! | certificate block (chain, root key not in the RKHT, RKTH mismatch), signature | 10101 `kStatusRomLdrSignature` |
//! | TAG HMAC, header HMAC, command-chunk HMAC, the SHA-256 of flag 0x8000 (checked at the end), a TAG or command checksum | 10105 `kStatusRomLdrChecksum` |
//! | LOAD payload CRC-32 | 10106 `kStatusRomLdrCrc32Error` |
//! | a section's HMAC count 0, above the header's maximum or the loader's bound | 10116 `kStatusRomLdrInvalidSectionMacCount` |
//! | the first section's UID is not the header's first boot section id | 10108 `kStatusRomLdrIdNotFound` |
//! | a section does not start with a TAG | 10117 `kStatusRomLdrUnexpectedCommand` |
//! | unknown command tag, or a command the family's loader lacks (`family.sb21.commands`) | 10107 `kStatusRomLdrUnknownCommand` |
//! | a command with reserved fields set, PROG of a memory other than 4 (fuses), ERASE all-unsecure, erase-all or MEM_ENABLE of a memory the family lacks | 4 `kStatus_InvalidArgument` |
//! | FW_VERSION_CHECK below the device counter | 10115 `kStatusRomLdrRollbackBlocked` |
//! | CALL of an address that is not executable | 10111 `kStatusRomLdrCallFailed` |
//! | bytes after the image's end (`image_blocks`) | 10104 `kStatusRomLdrEOFReached` |
//! | the file ends before its last block | 10109 `kStatusRomLdrDataUnderrun` |
//! | a command's memory operation fails | that operation's status (10200, 101, 52801, ...) |
//! | JUMP | 10119 `kStatusRomLdrPendingJumpCommand` at the end; then the device jumps (resets) |
//! | RESET | 10120 `kStatusRomLdrPendingResetCommand` at the end; then the device resets |
//!
//! # Device facts
//!
//! * **SBKEK**: the key store's (`set_user_key 3`), else on RT5xx/6xx the one derived from a
//!   programmed OTP master key, else the `--sbkek` setting (`sb.rs`); which source was used
//!   is logged, the key never is. That RT5xx/6xx prefer the key store over the OTP master
//!   key is inferred.
//! * **RKTH**: the family's `secure_boot.rkth` field (LPC55S6x CMPA ROTKH, RT5xx OTP RKTH
//!   words). All zero means not provisioned: the certificate block is then checked against
//!   its own root key table only (chain, root key in the RKHT, signature), and the log says
//!   so.
//! * **Commands**: `family.sb21.commands` (SPSDK configuration names) decides which tags
//!   the ROM has; NOP, CALL and RESET, which no SPSDK configuration makes, are taken to be
//!   in every SB2.1 ROM (KBOOT's SB2 loader has them). LOAD and ERASE go through the memory
//!   model with their memory id (0 mapped memory, 9 FlexSPI NOR once enabled; others 4); an
//!   erase is not rounded (unaligned flash erases answer 101, as KBOOT's loader calls the
//!   flash driver as is). FILL writes `count` bytes of the pattern. MEM_ENABLE is
//!   `configure-memory`. PROG programs OTP words as `efuse-program-once` (memory id 4 only).
//!   FW_VERSION_CHECK compares with the secure (0) or non-secure (1) counter of the family
//!   (LPC55S6x CFPA, RT5xx OTP); a newer or equal version continues and leaves the counter
//!   as it is (the ROM only compares; raising the counter is the file's or the
//!   application's business: a CFPA write or `programFuses`) — inferred. KEYSTORE_TO_NV
//!   writes the key store blob at the command's address of its memory (enrolled PUF only,
//!   else 1 `kStatus_Fail`); KEYSTORE_FROM_NV loads it back (1 when the blob is not valid).
//!   JUMP (the simulator has no CPU) ends the transfer with a pending jump that re-enters
//!   the ROM through a reset, as SB3.1's `execute`; the entry must be executable (else 4).
//!   CALL at an executable address is taken as a call that returns success (KBOOT: the
//!   callee's status is the command's) and the file goes on; elsewhere 10111. RESET ends
//!   the transfer with a pending reset. Bytes after a JUMP or RESET are taken but not
//!   processed.

use super::Rom;
use super::sb::{SbKind, classify};
use provkit::codec::{DecodeError, DecodeErrorKind};
use provkit::family::Area;
use provkit::mboot::StatusCode;
use provkit::sb21::command::{ERASE_FLAG_ALL, ERASE_FLAG_ALL_UNSECURE};
use provkit::sb21::{
    Command, Event, HEADER_LEN, ImageHeader, Limits, Loader, Sb21Error, sbkek_from_otp_master_key,
};
use zeroize::Zeroizing;

/// Most command HMACs one section may have (its table is buffered whole).
pub const MAX_SECTION_HMACS: u32 = 256;
/// Largest HMAC chunk buffered before its HMAC is checked.
pub const MAX_CHUNK: u64 = 16 * 1024 * 1024;
/// The memory id of OTP fuses / IFR0 that PROG writes.
const FUSE_MEMORY_ID: u8 = 4;

/// How a transfer ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// A JUMP ran.
    Jump,
    /// A RESET ran.
    Reset,
}

enum State {
    /// No SBKEK: the header decides between "not an SB2.1 file" and "no key".
    NoKey,
    /// Decoding and verifying.
    Run(Box<Loader>),
    /// A JUMP or RESET ran: further bytes are not processed.
    Ended(Ending),
}

/// One SB2.1 transfer.
pub(crate) struct Sb21Loader {
    state: State,
    /// The first bytes (the header), for the decisions made without a verified prologue.
    head: Vec<u8>,
    queue: Vec<Command>,
    /// A failure found behind commands that must run first.
    failed: Option<StatusCode>,
    /// The image length the header announces, once the prologue verified.
    end: Option<u64>,
    received: u64,
}

fn fail(st: StatusCode, why: impl std::fmt::Display) -> StatusCode {
    tracing::warn!("receive-sb-file (SB2.1): {why}: {st}");
    st
}

/// The ROM status of a decoding failure outside the sections.
fn decode_status(e: &DecodeError) -> StatusCode {
    match e.what {
        "certificate block v1 certificate table length"
        | "first boot tag block"
        | "image blocks" => StatusCode::ROMLDR_SECTION_LENGTH,
        "image end" => StatusCode::ROMLDR_EOF_REACHED,
        _ => StatusCode::ROMLDR_SIGNATURE,
    }
}

/// The ROM status of a failure inside a section (its TAG or a command).
fn section_status(e: &DecodeError) -> StatusCode {
    match e.what {
        "command checksum" => StatusCode::ROMLDR_CHECKSUM,
        "LOAD payload CRC" => StatusCode::ROMLDR_CRC32_ERROR,
        "command tag" => StatusCode::ROMLDR_UNKNOWN_COMMAND,
        "section TAG" => StatusCode::ROMLDR_UNEXPECTED_COMMAND,
        "section HMAC count" => StatusCode::ROMLDR_INVALID_SECTION_MAC_COUNT,
        "section UID" => StatusCode::ROMLDR_ID_NOT_FOUND,
        "section length" | "LOAD count" | "LOAD payload" | "command" | "command header" => {
            StatusCode::ROMLDR_SECTION_LENGTH
        }
        _ if matches!(e.kind, DecodeErrorKind::Truncated { .. }) => {
            StatusCode::ROMLDR_SECTION_LENGTH
        }
        // Reserved fields of a known command: the ROM's handler refuses the parameters.
        _ => StatusCode::INVALID_ARGUMENT,
    }
}

/// The ROM status of a loader failure.
fn status_of(e: &Sb21Error) -> StatusCode {
    match e {
        Sb21Error::Decode(d) => decode_status(d),
        Sb21Error::KekLength(_) | Sb21Error::WrongKek => StatusCode::ROMLDR_BAD_SBKEK,
        Sb21Error::Sha(_)
        | Sb21Error::TagHmac { .. }
        | Sb21Error::HeaderHmac
        | Sb21Error::CommandHmac { .. } => StatusCode::ROMLDR_CHECKSUM,
        Sb21Error::Section { error, .. } => section_status(error),
        // Certificate block, signature, and what only a builder reports.
        _ => StatusCode::ROMLDR_SIGNATURE,
    }
}

impl Sb21Loader {
    /// Takes a chunk of the file; `Err` aborts the data phase with that status.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), StatusCode> {
        self.received += chunk.len() as u64;
        if self.head.len() < HEADER_LEN {
            let n = (HEADER_LEN - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..n]);
        }
        match &mut self.state {
            State::Ended(_) => Ok(()),
            State::NoKey => {
                if self.head.len() < HEADER_LEN {
                    return Ok(());
                }
                match ImageHeader::decode(&self.head) {
                    Ok(_) => Err(fail(
                        StatusCode::ROMLDR_KEY_NOT_FOUND,
                        "no SBKEK provisioned (key store, OTP master key or --sbkek)",
                    )),
                    Err(e) => Err(fail(StatusCode::ROMLDR_SIGNATURE, e)),
                }
            }
            State::Run(loader) => {
                let mut events = Vec::new();
                let r = loader.push_into(chunk, &mut events);
                for e in events {
                    match e {
                        Event::Authenticated { rkth } => {
                            self.end = loader.prologue().map(|p| p.image_len());
                            tracing::info!(
                                "SB2.1 prologue OK: key blob, certificate block (RKTH {}), \
                                 signature",
                                provkit::codec::to_hex(&rkth)
                            );
                        }
                        Event::Section(h) => tracing::debug!(
                            "SB2.1 section {} (uid {}, {} blocks, {} HMACs) verified",
                            h.index,
                            h.uid,
                            h.blocks,
                            h.hmac_count
                        ),
                        Event::Command(c) => self.queue.push(c),
                        Event::SectionEnd => {}
                    }
                }
                if let Err(e) = r {
                    let st = fail(status_of(&e), &e);
                    if self.queue.is_empty() {
                        return Err(st);
                    }
                    // The commands verified before the failure run first.
                    self.failed = Some(st);
                }
                Ok(())
            }
        }
    }

    /// The commands verified so far, in file order.
    pub(crate) fn take_commands(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.queue)
    }

    /// A JUMP or RESET ran: nothing after it is processed.
    pub(crate) fn ended(&mut self, how: Ending) {
        self.state = State::Ended(how);
        self.queue.clear();
        self.failed = None;
    }

    /// After the released commands ran: the failure found behind them, if any.
    pub(crate) fn after_commands(&mut self) -> Result<(), StatusCode> {
        match self.failed.take() {
            Some(st) => Err(st),
            None => Ok(()),
        }
    }

    /// The stream ended: the closing status.
    pub(crate) fn finish(&mut self) -> StatusCode {
        if let Some(st) = self.failed.take() {
            return st;
        }
        let loader = match &mut self.state {
            State::Ended(Ending::Jump) => return StatusCode::ROMLDR_PENDING_JUMP_COMMAND,
            State::Ended(Ending::Reset) => return StatusCode::ROMLDR_PENDING_RESET_COMMAND,
            State::NoKey => {
                return match ImageHeader::decode(&self.head) {
                    Ok(_) => fail(StatusCode::ROMLDR_KEY_NOT_FOUND, "no SBKEK provisioned"),
                    Err(e) => fail(StatusCode::ROMLDR_SIGNATURE, e),
                };
            }
            State::Run(l) => l,
        };
        if loader.prologue().is_none() && self.head.len() < HEADER_LEN {
            let magic = classify(&self.head) == SbKind::Sb2
                || (self.head.len() < 0x38 && self.head.get(0x14..0x18) == Some(b"STMP"));
            if !magic {
                return fail(
                    StatusCode::ROMLDR_SIGNATURE,
                    format!("{} bytes are not an SB2.1 file", self.head.len()),
                );
            }
        }
        if let Some(end) = self.end {
            if self.received < end {
                return fail(
                    StatusCode::ROMLDR_DATA_UNDERRUN,
                    format!(
                        "the file ended at {} of the {end} bytes its header announces",
                        self.received
                    ),
                );
            }
        }
        match loader.finish() {
            Ok(n) => {
                tracing::info!("receive-sb-file (SB2.1): {n} sections verified and executed");
                StatusCode::SUCCESS
            }
            Err(e @ Sb21Error::Sha(_)) => fail(StatusCode::ROMLDR_CHECKSUM, e),
            Err(Sb21Error::Decode(d)) if d.what == "image blocks" => {
                fail(StatusCode::ROMLDR_SECTION_LENGTH, d)
            }
            Err(e) => fail(StatusCode::ROMLDR_DATA_UNDERRUN, e),
        }
    }
}

/// What a running SB2.1 command asks of the transfer.
enum Next {
    Continue,
    End(Ending),
}

impl Rom {
    /// The SBKEK of an SB2.1 transfer and where it came from (see the module doc).
    fn sb21_kek(&self) -> Option<(Zeroizing<Vec<u8>>, &'static str)> {
        if let Some(k) = self.sbkek() {
            return Some((Zeroizing::new(k), "the PUF key store (key type 3)"));
        }
        let master = self
            .family
            .secure_boot
            .as_ref()
            .and_then(|s| s.otp_master_key.as_ref())
            .and_then(|k| self.field_bytes(k.area, k.offset, k.size as usize))
            .map(Zeroizing::new)
            .filter(|b| b.iter().any(|&x| x != 0))
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok().map(Zeroizing::new));
        if let Some(m) = master {
            let kek = Zeroizing::new(sbkek_from_otp_master_key(&m).to_vec());
            return Some((kek, "the OTP master key"));
        }
        self.sb
            .sbkek
            .clone()
            .map(|k| (k, "the device setting (--sbkek)"))
    }

    /// A loader for a new transfer, on SB2.1 families.
    pub(crate) fn sb21_loader(&self) -> Option<Box<Sb21Loader>> {
        let sb = self.family.secure_boot.as_ref()?;
        self.family.sb21.as_ref()?;
        if !self.family.sb_version.starts_with('2') {
            return None;
        }
        let rkth = self
            .field_bytes(sb.rkth.area, sb.rkth.offset, sb.rkth.size as usize)
            .filter(|b| b.iter().any(|&x| x != 0));
        if rkth.is_none() {
            let at = match sb.rkth.area {
                Area::Cmpa => "CMPA",
                Area::Cfpa => "CFPA",
                Area::Otp => "OTP",
            };
            tracing::warn!(
                "receive-sb-file (SB2.1): RKTH not provisioned ({at} all zero): the \
                 certificate block is checked against its own root key table only"
            );
        }
        let state = match self.sb21_kek() {
            Some((kek, from)) => {
                tracing::info!("receive-sb-file (SB2.1): SBKEK from {from}");
                let mut l = Loader::new(&kek, rkth.as_deref());
                l.set_limits(Limits {
                    max_hmac_count: MAX_SECTION_HMACS,
                    max_chunk: MAX_CHUNK,
                });
                State::Run(Box::new(l))
            }
            None => State::NoKey,
        };
        Some(Box::new(Sb21Loader {
            state,
            head: Vec::with_capacity(HEADER_LEN),
            queue: Vec::new(),
            failed: None,
            end: None,
            received: 0,
        }))
    }

    /// Runs the SB2.1 commands the current transfer verified, in order.
    pub(crate) fn run_sb21_commands(&mut self) -> Result<(), StatusCode> {
        let cmds = match &mut self.pending {
            super::Pending::In {
                sink: super::Sink::Sb(s),
                ..
            } => s.take_sb21_commands(),
            _ => return Ok(()),
        };
        for c in cmds {
            tracing::info!("SB2.1 command: {c}");
            if let Next::End(how) = self.exec_sb21(&c)? {
                if let super::Pending::In {
                    sink: super::Sink::Sb(s),
                    ..
                } = &mut self.pending
                {
                    s.sb21_ended(how);
                }
                return Ok(());
            }
        }
        match &mut self.pending {
            super::Pending::In {
                sink: super::Sink::Sb(s),
                ..
            } => s.sb21_after_commands(),
            _ => Ok(()),
        }
    }

    fn exec_sb21(&mut self, c: &Command) -> Result<Next, StatusCode> {
        if let Some(name) = c.config_name() {
            let listed = self
                .family
                .sb21
                .as_ref()
                .is_some_and(|s| s.commands.iter().any(|n| n == name));
            if !listed {
                return Err(fail(
                    StatusCode::ROMLDR_UNKNOWN_COMMAND,
                    format!(
                        "{} ({name}) is not a command of the {} SB2.1 loader",
                        c.name(),
                        self.family.name
                    ),
                ));
            }
        }
        match c {
            Command::Nop => {}
            Command::Load {
                address, mem_id, ..
            } => {
                let bytes = c.load_bytes().unwrap_or_default();
                self.write_bytes(*address, *mem_id, &bytes)?;
            }
            Command::Fill {
                address,
                length,
                pattern,
            } => self.fill(*address, *length, *pattern)?,
            Command::Jump { address, .. } => {
                if !self.mem.executable(*address) {
                    return Err(fail(
                        StatusCode::INVALID_ARGUMENT,
                        format!("JUMP to 0x{address:08X}: not executable memory"),
                    ));
                }
                tracing::info!("SB2.1 JUMP 0x{address:08X}: the ROM jumps after the transfer");
                return Ok(Next::End(Ending::Jump));
            }
            Command::Call { address, .. } => {
                if !self.mem.executable(*address) {
                    return Err(fail(
                        StatusCode::ROMLDR_CALL_FAILED,
                        format!("CALL 0x{address:08X}: not executable memory"),
                    ));
                }
                tracing::info!(
                    "SB2.1 CALL 0x{address:08X}: no CPU in the simulator, taken as returning \
                     success"
                );
            }
            Command::Erase {
                address,
                length,
                mem_id,
                erase_flags,
            } => {
                if erase_flags & ERASE_FLAG_ALL_UNSECURE != 0 {
                    return Err(fail(
                        StatusCode::INVALID_ARGUMENT,
                        "ERASE all-unsecure: not a feature of this ROM",
                    ));
                }
                if erase_flags & ERASE_FLAG_ALL != 0 {
                    match *mem_id {
                        0 => self.mem.erase_all_internal()?,
                        9 if self.family.flexspi.is_some() => self.mem.erase_all_nor()?,
                        m => {
                            return Err(fail(
                                StatusCode::INVALID_ARGUMENT,
                                format!("ERASE all of memory 0x{m:X}: the family has none"),
                            ));
                        }
                    }
                } else {
                    self.check_memory_id(*mem_id, *address, *length)?;
                    self.mem.erase(*address, *length)?;
                }
            }
            Command::Reset => {
                tracing::info!("SB2.1 RESET: the ROM resets after the transfer");
                return Ok(Next::End(Ending::Reset));
            }
            Command::MemEnable {
                address, mem_id, ..
            } => self.configure(*mem_id, *address)?,
            Command::Prog {
                index,
                mem_id,
                word1,
                word2,
            } => {
                if *mem_id != FUSE_MEMORY_ID {
                    return Err(fail(
                        StatusCode::INVALID_ARGUMENT,
                        format!("PROG of memory {mem_id}: only fuses (memory 4) are programmed"),
                    ));
                }
                match word2 {
                    Some(w2) => self.program_once(*index, 8, &[*word1, *w2])?,
                    None => self.program_once(*index, 4, &[*word1])?,
                }
            }
            Command::VersionCheck { ver_type, version } => {
                let sb = self.family.secure_boot.as_ref();
                let (field, which) = match *ver_type {
                    0 => (sb.and_then(|s| s.secure_fw_version.clone()), "secure"),
                    1 => (
                        sb.and_then(|s| s.nonsecure_fw_version.clone()),
                        "non-secure",
                    ),
                    _ => return Err(StatusCode::INVALID_ARGUMENT),
                };
                let current = field
                    .as_ref()
                    .and_then(|f| self.field_value(f))
                    .unwrap_or(0);
                if *version < current {
                    return Err(fail(
                        StatusCode::ROMLDR_ROLLBACK_BLOCKED,
                        format!(
                            "FW_VERSION_CHECK {version} is below the device's {which} \
                             counter {current}"
                        ),
                    ));
                }
            }
            Command::KeystoreToNv {
                controller,
                address,
            } => {
                let Some(ks) = self.keys.as_ref() else {
                    return Err(StatusCode::INVALID_ARGUMENT);
                };
                if !ks.enrolled() {
                    return Err(fail(
                        StatusCode::FAIL,
                        "WR_KEYSTORE_TO_NV: the PUF is not enrolled",
                    ));
                }
                let blob = ks.to_blob();
                let len = u32::try_from(blob.len()).map_err(|_| StatusCode::INVALID_ARGUMENT)?;
                self.check_memory_id(u32::from(*controller), *address, len)?;
                self.mem.store_raw(*address, &blob)?;
            }
            Command::KeystoreFromNv {
                controller,
                address,
            } => {
                let Some(size) = self.keys.as_ref().map(|k| k.size()) else {
                    return Err(StatusCode::INVALID_ARGUMENT);
                };
                let len = u32::try_from(size).map_err(|_| StatusCode::INVALID_ARGUMENT)?;
                self.check_memory_id(u32::from(*controller), *address, len)?;
                let blob = self.mem.read(*address, size)?;
                let Some(new) = super::KeyStore::from_blob(size, &blob) else {
                    return Err(fail(
                        StatusCode::FAIL,
                        format!("WR_KEYSTORE_FROM_NV: no key store at 0x{address:08X}"),
                    ));
                };
                if let Some(ks) = self.keys.as_mut() {
                    *ks = new;
                }
            }
            _ => {
                return Err(fail(
                    StatusCode::ROMLDR_UNKNOWN_COMMAND,
                    format!("{} is not supported", c.name()),
                ));
            }
        }
        Ok(Next::Continue)
    }
}
