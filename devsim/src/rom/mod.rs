//! The device model: an NXP ISP ROM bootloader, transport-free.
//!
//! A transport engine ([`crate::uart`], [`crate::hid`]) hands the [`Rom`] command packets
//! and data chunks and sends back what it answers:
//!
//! 1. [`Rom::command`] takes a command packet and returns the first response and the data
//!    phase that follows ([`Phase`]).
//! 2. Host-to-device data goes through [`Rom::data_in`], device-to-host data comes from
//!    [`Rom::data_out`]; both end with the closing GenericResponse (or an abort).
//! 3. [`Rom::take_busy`] tells how long the ROM worked (flash erase/program) before it may
//!    acknowledge: the ROM ACKs a command only after executing it.
//! 4. [`Rom::response_delivered`] runs what happens after the host took the response
//!    (reset, jump).
//!
//! # Behaviour, and the choices made where the references are silent
//!
//! * **Available commands.** A command the family does not list (property 7) answers
//!   `kStatus_UnknownCommand` (10000), before its parameters are looked at. A listed
//!   command whose parameters do not decode answers `kStatus_InvalidArgument` (4).
//! * **Memory map.** Addresses go through the family's aliases, then must fall inside one
//!   region; otherwise `kStatusMemoryRangeInvalid` (10200). Writes, fills and erases that
//!   touch a reserved region (property 12) answer 10200 (KBOOT's test suite expects that).
//! * **Internal flash.** Erase-region start and length must be multiples of the erase
//!   unit, else `kStatus_FlashAlignmentError` (101); zero bytes always succeed. Writes must
//!   start on a page boundary (101, checked before the data phase); a partial last page is
//!   padded with 0xFF. A page can be programmed once per erase: programming it again
//!   answers `kStatusMemoryCumulativeWrite` (10203) — KBOOT's memory layer reports this
//!   before the flash driver would fail with 105 — and aborts the data phase. Families
//!   with ECC flash (LPC55) refuse reads of erased pages with the family's
//!   `blank_read_status` (10211).
//! * **PFR.** The CFPA and CMPA pages take whole-page writes only (101 otherwise). The
//!   CFPA version must exceed the current one (`kStatus_FLASH_CfpaVersionRollbackDisallowed`,
//!   149); on families with ping/pong pages the written scratch page is promoted into the
//!   older copy at reset. A CMPA whose last 16 bytes are not zero is sealed
//!   (`kStatus_FLASH_SealedPfrRegion`, 137). Other PFR pages are read-only over ISP (10200).
//! * **FlexSPI NOR (memory ID 9).** Unusable until `configure-memory 9 <addr>`
//!   (`kStatusMemoryNotConfigured`, 10205). The block at `addr` is an option word
//!   (tag 0xC in bits 28..31; the NOR size is then the family default) or a full
//!   FlexSPI configuration block (`FCFB`; size, page, sector and block size are taken from
//!   it). Programming is NOR-style (bits 1→0); with verify-writes on, a byte that does not
//!   read back answers `kStatusMemoryVerifyFailed` (10207). Erase alignment is the
//!   sector (101). Property 25 answers 10205 before and the attributes after
//!   configuration; other memory IDs answer 4 (blhost.md §5.3). Reset unconfigures it.
//! * **Read-memory.** The first chunk is checked before answering (a bad start gives the
//!   error in the first response); a later chunk that fails aborts the data phase, so the
//!   host gets the data up to that chunk and the status (chunks are max-packet sized).
//! * **OTP.** `efuse-program-once`: bits only go 0→1 (OR); bit 24 of the index locks the
//!   word; programming a locked word answers `kStatus_OTP_Locked` (52806); an index past
//!   the end answers `kStatus_OTP_InvalidAddress` (52801).
//! * **Execute/Call.** The address must be in RAM, flash or configured NOR, else 4. There
//!   is no CPU: `call` returns 0; `execute` answers, then the "jump" re-enters the ROM
//!   through a reset (RAM cleared) once the host has taken the answer.
//! * **Reset.** After the host took the answer: RAM cleared, FlexSPI unconfigured,
//!   properties back to defaults, CFPA promoted, the volatile key store reloaded from its
//!   non-volatile copy if there is one; flash, PFR, NOR and fuses kept.
//! * **receive-sb-file.** SB3.1 families run the SB3.1 loader (`rom/sb31.rs`): block 0
//!   against the RKTH in CMPA/OTP, signatures, rollback, the hash chain, decryption with
//!   the SBKEK, every command against this model, the ROM loader status codes. SB2.1
//!   families run the SB2.1 loader (`rom/sb21.rs`): key blob unwrap with the SBKEK,
//!   certificate block against the RKTH, signature, section and command HMACs, every
//!   command as soon as its HMAC chunk verified. Where the SBKEK comes from and the SB
//!   settings: `rom/sb.rs`.
//! * **Secure boot.** At every reset SB3.1 families check the image at the boot address as
//!   the ROM does and report the decision (`rom/secboot.rs`).
//! * **trust-provisioning** on a family that lists it: every operation answers a
//!   TrustProvisioningResponse with `TP_UNKNOWN_COMMAND` (80028), as the ROM does for an
//!   operation it lacks, until the TP issue lands.
//! * **Key provisioning.** See [`keystore`]. `set_user_key`/`set_intrinsic_key`/
//!   `write_key_nonvolatile`/`read_key_store` need an enrolled PUF, else `kStatus_Fail` (1).

pub mod keystore;
pub(crate) mod memory;
pub mod sb;
pub mod sb21;
pub mod sb31;
pub mod secboot;
pub mod state;

pub use keystore::KeyStore;
pub use memory::NorGeometry;

use keystore::USER_KEY_TYPES;
use memory::{Memory, WriteJob};
use provkit::family::Family;
use provkit::mboot::command::{Command, CommandTag, KeyProvOp, Response, ResponseTag};
use provkit::mboot::packet::Packet;
use provkit::mboot::{PropertyTag, StatusCode};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sb::SbSink;
use std::time::Duration;

/// Commands this simulator implements; a family may only list these.
pub const SUPPORTED_COMMANDS: &[CommandTag] = &[
    CommandTag::FLASH_ERASE_ALL,
    CommandTag::FLASH_ERASE_REGION,
    CommandTag::READ_MEMORY,
    CommandTag::WRITE_MEMORY,
    CommandTag::FILL_MEMORY,
    CommandTag::GET_PROPERTY,
    CommandTag::RECEIVE_SB_FILE,
    CommandTag::EXECUTE,
    CommandTag::CALL,
    CommandTag::RESET,
    CommandTag::SET_PROPERTY,
    CommandTag::FLASH_PROGRAM_ONCE,
    CommandTag::FLASH_READ_ONCE,
    CommandTag::CONFIGURE_MEMORY,
    CommandTag::FUSE_PROGRAM,
    CommandTag::KEY_PROVISIONING,
    CommandTag::TRUST_PROVISIONING,
    CommandTag::FUSE_READ,
];

/// Option word tag of a FlexSPI NOR configuration (bits 28..31).
const FLEXSPI_OPTION_TAG: u32 = 0xC;
/// `FCFB`, the tag of a FlexSPI configuration block.
const FCB_TAG: u32 = 0x4246_4346;

/// The interface the ROM answers on (property 11 depends on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interface {
    /// UART framing.
    #[default]
    Uart,
    /// USB-HID reports.
    Usb,
}

/// Simulator knobs.
#[derive(Debug, Clone, PartialEq)]
pub struct RomOptions {
    /// Interface (selects the family's max packet size).
    pub interface: Interface,
    /// Overrides property 11.
    pub max_packet: Option<u32>,
    /// Multiplies the flash timing model; 0 = instant.
    pub time_scale: f64,
    /// Seed of the PUF's random numbers (activation codes, intrinsic keys);
    /// `None` derives it from the family's unique ID.
    pub seed: Option<u64>,
}

impl Default for RomOptions {
    fn default() -> Self {
        RomOptions {
            interface: Interface::Uart,
            max_packet: None,
            time_scale: 1.0,
            seed: None,
        }
    }
}

impl RomOptions {
    /// Options for fast tests: instant flash.
    pub fn instant() -> Self {
        RomOptions {
            time_scale: 0.0,
            ..RomOptions::default()
        }
    }
}

/// The data phase that follows a first response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No data phase: the first response is the only one.
    None,
    /// The host sends `byte_count` bytes.
    FromHost {
        /// Announced length.
        byte_count: u32,
    },
    /// The device sends `byte_count` bytes.
    ToHost {
        /// Announced length.
        byte_count: u32,
    },
}

/// What the ROM answers to a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The first response packet.
    pub packet: Packet,
    /// The data phase that follows.
    pub phase: Phase,
}

/// How the ROM took a host-to-device data chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataIn {
    /// Taken; more is expected.
    More,
    /// Taken; the phase is complete and this is the closing response.
    Finished(Packet),
    /// The ROM aborts the phase (UART: ACK-abort; USB: zero-length command report),
    /// then sends this closing response.
    Aborted(Packet),
    /// No host-to-device phase is running; the chunk is ignored.
    Unexpected,
}

/// What the ROM sends next in a device-to-host data phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataOut {
    /// A data chunk.
    Chunk(Vec<u8>),
    /// All data is sent; this is the closing response.
    Finished(Packet),
    /// The ROM aborts the phase (zero-length data), then sends this closing response.
    Aborted(Packet),
    /// No device-to-host phase is running.
    Unexpected,
}

enum Sink {
    Mem(WriteJob),
    Sb(SbSink),
    UserKey { key_type: u32, buf: Vec<u8> },
    KeyStoreBlob { buf: Vec<u8> },
    Fuse { index: u32, buf: Vec<u8> },
}

enum Source {
    Mem { addr: u32 },
    Bytes { data: Vec<u8>, pos: usize },
}

enum Pending {
    Idle,
    In {
        tag: CommandTag,
        sink: Sink,
        remaining: u32,
    },
    Out {
        tag: CommandTag,
        source: Source,
        remaining: u32,
    },
}

/// OTP fuse words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fuses {
    pub(crate) words: Vec<u32>,
    pub(crate) locked: Vec<bool>,
}

/// The simulated ROM.
pub struct Rom {
    family: Family,
    opts: RomOptions,
    pub(crate) mem: Memory,
    pub(crate) fuses: Option<Fuses>,
    pub(crate) keys: Option<KeyStore>,
    pending: Pending,
    reset_pending: bool,
    rng: SmallRng,
    busy: Duration,
    pfr_keystore_opt: u32,
    flash_read_margin: u32,
    resets: u32,
    /// SB settings (SBKEK, SB3.1 kdkAccessRights and key blobs): `sb.rs`.
    pub(crate) sb: sb::SbSettings,
    /// The last secure-boot check: `secboot.rs`.
    pub(crate) boot: Option<secboot::BootReport>,
    pub(crate) boot_observer: Option<secboot::BootObserver>,
    /// The MCUboot boot stage run at reset (`boot/mcuboot.rs`).
    pub(crate) mcuboot: Option<Box<crate::boot::mcuboot::McuBoot>>,
}

fn generic(status: StatusCode, tag: CommandTag) -> Packet {
    Response::Generic {
        status,
        command: tag,
    }
    .to_packet()
}

fn reply(packet: Packet) -> Reply {
    Reply {
        packet,
        phase: Phase::None,
    }
}

fn status_of(r: Result<(), StatusCode>) -> StatusCode {
    r.err().unwrap_or(StatusCode::SUCCESS)
}

impl Rom {
    /// A ROM of `family` in its power-on state.
    pub fn new(family: &Family, opts: RomOptions) -> Rom {
        let seed = opts.seed.unwrap_or_else(|| {
            family
                .unique_id
                .iter()
                .fold(0x5EED_u64, |s, w| s.rotate_left(17) ^ u64::from(*w))
        });
        Rom {
            family: family.clone(),
            mem: Memory::new(family),
            fuses: family.otp.map(|o| Fuses {
                words: vec![0; o.words as usize],
                locked: vec![false; o.words as usize],
            }),
            keys: family
                .key_store
                .as_ref()
                .map(|k| KeyStore::new(k.size as usize)),
            pending: Pending::Idle,
            reset_pending: false,
            rng: SmallRng::seed_from_u64(seed),
            busy: Duration::ZERO,
            pfr_keystore_opt: 0,
            flash_read_margin: 0,
            resets: 0,
            sb: sb::SbSettings::default(),
            boot: None,
            boot_observer: None,
            mcuboot: None,
            opts,
        }
    }

    /// The family record.
    pub fn family(&self) -> &Family {
        &self.family
    }

    /// The options.
    pub fn options(&self) -> &RomOptions {
        &self.opts
    }

    /// Property 11 on the current interface.
    pub fn max_packet(&self) -> u32 {
        self.opts.max_packet.unwrap_or(match self.opts.interface {
            Interface::Uart => self.family.max_packet.uart,
            Interface::Usb => self.family.max_packet.usb,
        })
    }

    /// Version bytes of the UART ping response (`[bugfix, minor, major, name]`).
    pub fn ping_version(&self) -> [u8; 4] {
        self.family
            .protocol_version_bytes()
            .unwrap_or([0, 3, 1, b'P'])
    }

    /// How long the ROM worked since the last call, scaled by the time scale.
    pub fn take_busy(&mut self) -> Duration {
        let total = self.mem.take_busy() + std::mem::take(&mut self.busy);
        let scale = self.opts.time_scale;
        if scale > 0.0 && scale.is_finite() {
            total.mul_f64(scale)
        } else {
            Duration::ZERO
        }
    }

    /// Number of resets since power-on.
    pub fn resets(&self) -> u32 {
        self.resets
    }

    /// True while a data phase is running.
    pub fn in_data_phase(&self) -> bool {
        !matches!(self.pending, Pending::Idle)
    }

    // ---- inspection for tests and tools ----

    /// Raw memory contents at `addr` (through aliases; no read rules, erased flash as
    /// 0xFF); `None` outside the map or on unconfigured NOR.
    pub fn peek(&self, addr: u32, len: usize) -> Option<Vec<u8>> {
        self.mem.peek(addr, len)
    }

    /// Reads as the ROM's read-memory would (read rules apply).
    pub fn read_memory(&self, addr: u32, len: usize) -> Result<Vec<u8>, StatusCode> {
        self.mem.read(addr, len)
    }

    /// Writes memory directly (test setup), bypassing the ROM's write rules except the
    /// memory map; flash pages written this way count as programmed.
    pub fn poke(&mut self, addr: u32, data: &[u8]) -> Result<(), StatusCode> {
        self.mem.store_raw(addr, data)
    }

    /// A fuse word and its lock flag.
    pub fn fuse(&self, index: u32) -> Option<(u32, bool)> {
        let f = self.fuses.as_ref()?;
        let i = index as usize;
        Some((*f.words.get(i)?, *f.locked.get(i)?))
    }

    /// The volatile key store, where the family has one.
    pub fn key_store(&self) -> Option<&KeyStore> {
        self.keys.as_ref()
    }

    /// The SBKEK in SB2 key-wrap order (see [`KeyStore::sbkek`]).
    pub fn sbkek(&self) -> Option<Vec<u8>> {
        self.keys.as_ref()?.sbkek()
    }

    /// The FlexSPI NOR geometry once configured.
    pub fn flexspi(&self) -> Option<NorGeometry> {
        self.mem.nor.as_ref()?.geometry
    }

    /// Property 10.
    pub fn verify_writes(&self) -> bool {
        self.mem.verify_writes
    }

    // ---- the command interface ----

    /// Handles one command packet (the payload of a command frame/report).
    pub fn command(&mut self, bytes: &[u8]) -> Reply {
        if !matches!(self.pending, Pending::Idle) {
            tracing::debug!("new command abandons the running data phase");
            self.pending = Pending::Idle;
        }
        let pkt = match Packet::decode(bytes) {
            Ok(p) => p,
            Err(e) => {
                let tag = CommandTag(bytes.first().copied().unwrap_or(0));
                tracing::debug!("malformed command packet: {e}");
                return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
            }
        };
        let tag = CommandTag(pkt.tag);
        if !self.family.has_command(tag) || !SUPPORTED_COMMANDS.contains(&tag) {
            tracing::debug!("{tag} not available on {}", self.family.name);
            return reply(generic(StatusCode::UNKNOWN_COMMAND, tag));
        }
        let cmd = match Command::from_packet(&pkt) {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!("{tag}: {e}");
                return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
            }
        };
        tracing::debug!(?cmd, "command");
        let r = self.dispatch(cmd, tag);
        tracing::debug!(packet = ?r.packet, phase = ?r.phase, "answer");
        r
    }

    fn dispatch(&mut self, cmd: Command, tag: CommandTag) -> Reply {
        match cmd {
            Command::FlashEraseAll { memory_id } => {
                let st = match memory_id {
                    0 => self.mem.erase_all_internal(),
                    9 if self.family.flexspi.is_some() => self.mem.erase_all_nor(),
                    _ => Err(StatusCode::INVALID_ARGUMENT),
                };
                reply(generic(status_of(st), tag))
            }
            Command::FlashEraseRegion {
                address,
                byte_count,
                memory_id,
            } => {
                let st = self
                    .check_memory_id(memory_id, address, byte_count)
                    .and_then(|_| self.mem.erase(address, byte_count));
                reply(generic(status_of(st), tag))
            }
            Command::ReadMemory {
                address,
                byte_count,
                memory_id,
            } => self.start_read(tag, address, byte_count, memory_id),
            Command::WriteMemory {
                address,
                byte_count,
                memory_id,
            } => {
                if let Err(st) = self.check_memory_id(memory_id, address, byte_count) {
                    return reply(generic(st, tag));
                }
                if byte_count == 0 {
                    return reply(generic(StatusCode::SUCCESS, tag));
                }
                match self.mem.begin_write(address, byte_count) {
                    Ok(job) => self.start_in(
                        tag,
                        Sink::Mem(job),
                        byte_count,
                        generic(StatusCode::SUCCESS, tag),
                    ),
                    Err(st) => reply(generic(st, tag)),
                }
            }
            Command::FillMemory {
                address,
                byte_count,
                pattern,
            } => reply(generic(
                status_of(self.fill(address, byte_count, pattern)),
                tag,
            )),
            Command::GetProperty { tag: prop, index } => {
                let packet = match self.property(prop, index) {
                    Ok(values) => Response::GetProperty {
                        status: StatusCode::SUCCESS,
                        values,
                    },
                    Err(status) => Response::GetProperty {
                        status,
                        values: Vec::new(),
                    },
                };
                reply(packet.to_packet())
            }
            Command::SetProperty { tag: prop, value } => {
                reply(generic(status_of(self.set_property(prop, value)), tag))
            }
            Command::ReceiveSbFile { byte_count } => {
                if byte_count == 0 {
                    return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
                }
                let sink = Sink::Sb(SbSink::new(self));
                self.start_in(tag, sink, byte_count, generic(StatusCode::SUCCESS, tag))
            }
            Command::Execute { address, .. } => {
                if self.mem.executable(address) {
                    self.reset_pending = true;
                    reply(generic(StatusCode::SUCCESS, tag))
                } else {
                    reply(generic(StatusCode::INVALID_ARGUMENT, tag))
                }
            }
            Command::Call { address, .. } => {
                let st = if self.mem.executable(address) {
                    StatusCode::SUCCESS
                } else {
                    StatusCode::INVALID_ARGUMENT
                };
                reply(generic(st, tag))
            }
            Command::Reset { .. } => {
                self.reset_pending = true;
                reply(generic(StatusCode::SUCCESS, tag))
            }
            Command::FlashProgramOnce {
                index,
                byte_count,
                data,
            } => reply(generic(
                status_of(self.program_once(index, byte_count, &data)),
                tag,
            )),
            Command::FlashReadOnce { index, byte_count } => {
                let r = match self.read_once(index, byte_count) {
                    Ok(data) => Response::FlashReadOnce {
                        status: StatusCode::SUCCESS,
                        byte_count,
                        data,
                    },
                    Err(status) => Response::FlashReadOnce {
                        status,
                        byte_count: 0,
                        data: Vec::new(),
                    },
                };
                reply(r.to_packet())
            }
            Command::ConfigureMemory { memory_id, address } => {
                reply(generic(status_of(self.configure(memory_id, address)), tag))
            }
            Command::FuseProgram {
                address,
                byte_count,
                ..
            } => match self.check_fuse_range(address, byte_count) {
                Ok(()) if byte_count > 0 => self.start_in(
                    tag,
                    Sink::Fuse {
                        index: address / 4,
                        buf: Vec::new(),
                    },
                    byte_count,
                    generic(StatusCode::SUCCESS, tag),
                ),
                Ok(()) => reply(generic(StatusCode::SUCCESS, tag)),
                Err(st) => reply(generic(st, tag)),
            },
            Command::FuseRead {
                address,
                byte_count,
                ..
            } => match self.check_fuse_range(address, byte_count) {
                Ok(()) => {
                    let mut data = Vec::with_capacity(byte_count as usize);
                    if let Some(f) = &self.fuses {
                        for i in 0..byte_count / 4 {
                            let w = f
                                .words
                                .get((address / 4 + i) as usize)
                                .copied()
                                .unwrap_or(0);
                            data.extend_from_slice(&w.to_le_bytes());
                        }
                    }
                    self.start_out(
                        tag,
                        ResponseTag::READ_MEMORY,
                        Source::Bytes { data, pos: 0 },
                        byte_count,
                    )
                }
                Err(st) => reply(data_response(ResponseTag::READ_MEMORY, st, 0)),
            },
            Command::KeyProvisioning(op) => self.key_provisioning(op, tag),
            Command::TrustProvisioning { params } => {
                tracing::info!(
                    op = format!("0x{:08X}", params.first().copied().unwrap_or(0)),
                    "trust-provisioning operation unknown to this ROM model: TP_UNKNOWN_COMMAND"
                );
                reply(
                    Response::TrustProvisioning {
                        flags: 0,
                        status: StatusCode::TP_UNKNOWN_COMMAND,
                        values: Vec::new(),
                    }
                    .to_packet(),
                )
            }
            _ => reply(generic(StatusCode::UNKNOWN_COMMAND, tag)),
        }
    }

    fn start_in(&mut self, tag: CommandTag, sink: Sink, byte_count: u32, first: Packet) -> Reply {
        self.pending = Pending::In {
            tag,
            sink,
            remaining: byte_count,
        };
        Reply {
            packet: first,
            phase: Phase::FromHost { byte_count },
        }
    }

    fn start_out(
        &mut self,
        tag: CommandTag,
        rtag: ResponseTag,
        source: Source,
        byte_count: u32,
    ) -> Reply {
        self.pending = Pending::Out {
            tag,
            source,
            remaining: byte_count,
        };
        Reply {
            packet: data_response(rtag, StatusCode::SUCCESS, byte_count),
            phase: Phase::ToHost { byte_count },
        }
    }

    /// Memory ID rules of read/write/erase: 0 is the mapped space; 9 (FlexSPI NOR) is
    /// accepted on families with FlexSPI and must point into the NOR window.
    fn check_memory_id(&self, memory_id: u32, address: u32, len: u32) -> Result<(), StatusCode> {
        match memory_id {
            0 => Ok(()),
            9 => {
                let nor = self.mem.nor.as_ref().ok_or(StatusCode::INVALID_ARGUMENT)?;
                nor.geometry.ok_or(StatusCode::MEMORY_NOT_CONFIGURED)?;
                let canon = self.mem.canonical(address, u64::from(len))?;
                if nor.cfg.window.contains(canon, u64::from(len)) {
                    Ok(())
                } else {
                    Err(StatusCode::MEMORY_RANGE_INVALID)
                }
            }
            _ => Err(StatusCode::INVALID_ARGUMENT),
        }
    }

    fn start_read(
        &mut self,
        tag: CommandTag,
        address: u32,
        byte_count: u32,
        memory_id: u32,
    ) -> Reply {
        let first = byte_count.min(self.max_packet()) as usize;
        let check = self
            .check_memory_id(memory_id, address, byte_count)
            .and_then(|_| self.mem.read(address, first).map(|_| ()));
        match check {
            Ok(()) => self.start_out(
                tag,
                ResponseTag::READ_MEMORY,
                Source::Mem { addr: address },
                byte_count,
            ),
            Err(st) => reply(data_response(ResponseTag::READ_MEMORY, st, 0)),
        }
    }

    /// Handles a host-to-device data chunk.
    pub fn data_in(&mut self, chunk: &[u8]) -> DataIn {
        let Pending::In {
            tag,
            sink,
            remaining,
        } = &mut self.pending
        else {
            return DataIn::Unexpected;
        };
        let tag = *tag;
        let take = chunk.len().min(*remaining as usize);
        let data = &chunk[..take];
        let pushed = match sink {
            Sink::Mem(job) => self.mem.write_chunk(job, data),
            Sink::Sb(s) => s.push(data),
            Sink::UserKey { buf, .. } | Sink::KeyStoreBlob { buf } | Sink::Fuse { buf, .. } => {
                buf.extend_from_slice(data);
                Ok(())
            }
        };
        *remaining -= take as u32;
        let left = *remaining;
        // SB commands completed by this chunk run now, as the ROM runs them (sb.rs).
        let pushed = pushed.and_then(|()| self.run_sb_commands());
        if let Err(st) = pushed {
            tracing::debug!("{tag}: data phase aborted: {st}");
            self.pending = Pending::Idle;
            return DataIn::Aborted(generic(st, tag));
        }
        if left > 0 {
            return DataIn::More;
        }
        let Pending::In { sink, .. } = std::mem::replace(&mut self.pending, Pending::Idle) else {
            return DataIn::Unexpected;
        };
        let st = self.finish_sink(sink);
        DataIn::Finished(generic(st, tag))
    }

    fn finish_sink(&mut self, sink: Sink) -> StatusCode {
        match sink {
            Sink::Mem(mut job) => status_of(self.mem.finish_write(&mut job)),
            Sink::Sb(mut s) => {
                let st = s.finish();
                self.sb_file_done(st)
            }
            Sink::UserKey { key_type, buf } => {
                if self
                    .keys
                    .as_mut()
                    .is_some_and(|ks| ks.set_key(key_type, buf))
                {
                    StatusCode::SUCCESS
                } else {
                    StatusCode::FAIL
                }
            }
            Sink::KeyStoreBlob { buf } => {
                let Some(ks) = self.keys.as_mut() else {
                    return StatusCode::FAIL;
                };
                match KeyStore::from_blob(ks.size(), &buf) {
                    Some(new) => {
                        *ks = new;
                        StatusCode::SUCCESS
                    }
                    None => StatusCode::INVALID_ARGUMENT,
                }
            }
            Sink::Fuse { index, buf } => {
                let words: Vec<u32> = buf
                    .chunks(4)
                    .map(|c| {
                        let mut w = [0u8; 4];
                        w[..c.len()].copy_from_slice(c);
                        u32::from_le_bytes(w)
                    })
                    .collect();
                let mut st = StatusCode::SUCCESS;
                for (i, w) in words.iter().enumerate() {
                    if let Err(e) = self.burn(index + i as u32, *w, false) {
                        st = e;
                        break;
                    }
                }
                st
            }
        }
    }

    /// Produces the next device-to-host chunk of at most `max` bytes.
    pub fn data_out(&mut self, max: usize) -> DataOut {
        let Pending::Out {
            tag,
            source,
            remaining,
        } = &mut self.pending
        else {
            return DataOut::Unexpected;
        };
        let tag = *tag;
        if *remaining == 0 {
            self.pending = Pending::Idle;
            return DataOut::Finished(generic(StatusCode::SUCCESS, tag));
        }
        let n = (*remaining as usize).min(max.max(1));
        let got = match source {
            Source::Mem { addr } => {
                let r = self.mem.read(*addr, n);
                if r.is_ok() {
                    *addr = addr.wrapping_add(n as u32);
                }
                r
            }
            Source::Bytes { data, pos } => {
                let end = (*pos + n).min(data.len());
                let v = data[*pos..end].to_vec();
                *pos = end;
                if v.len() == n {
                    Ok(v)
                } else {
                    Err(StatusCode::MEMORY_READ_FAILED)
                }
            }
        };
        match got {
            Ok(v) => {
                *remaining -= n as u32;
                DataOut::Chunk(v)
            }
            Err(st) => {
                tracing::debug!("{tag}: data phase aborted: {st}");
                self.pending = Pending::Idle;
                DataOut::Aborted(generic(st, tag))
            }
        }
    }

    /// The host aborted the data phase (zero-length data): the closing response carries
    /// `kStatus_AbortDataPhase` (10002). `None` when no phase runs.
    pub fn host_abort(&mut self) -> Option<Packet> {
        let tag = match std::mem::replace(&mut self.pending, Pending::Idle) {
            Pending::Idle => return None,
            Pending::In { tag, .. } | Pending::Out { tag, .. } => tag,
        };
        Some(generic(StatusCode::ABORT_DATA_PHASE, tag))
    }

    /// Drops a running data phase without an answer (the host went away).
    pub fn cancel(&mut self) {
        self.pending = Pending::Idle;
    }

    /// The host took the last response: run what the ROM does afterwards (a reset
    /// after `reset` or `execute`). Returns true when the device reset.
    pub fn response_delivered(&mut self) -> bool {
        if std::mem::take(&mut self.reset_pending) {
            self.reset();
            true
        } else {
            false
        }
    }

    /// Resets the chip now (see the module doc for what survives).
    pub fn reset(&mut self) {
        tracing::info!("reset");
        self.mem.reset();
        self.pending = Pending::Idle;
        self.reset_pending = false;
        self.pfr_keystore_opt = 0;
        self.flash_read_margin = 0;
        self.resets += 1;
        self.reload_keys();
        // Secure boot looks at the image in flash (secboot.rs).
        self.boot_check();
        // Then a second-stage MCUboot, when attached (boot/mcuboot.rs).
        crate::boot::mcuboot::on_reset(self);
    }

    /// Loads the volatile key store from its first non-volatile copy (what the ROM does
    /// at boot); an absent or invalid copy leaves the PUF not enrolled.
    fn reload_keys(&mut self) {
        let (Some(ks), Some(cfg)) = (self.keys.as_mut(), self.family.key_store.as_ref()) else {
            return;
        };
        let size = ks.size();
        let blob = cfg
            .nv
            .first()
            .and_then(|nv| match (nv.memory_id, self.mem.nor.as_ref()) {
                (9, Some(nor)) => {
                    let off = nv.address.checked_sub(nor.cfg.window.start)? as usize;
                    let mut b = vec![0u8; size];
                    nor.read(off, &mut b);
                    Some(b)
                }
                _ => self.mem.peek(nv.address, size),
            });
        *ks = blob
            .and_then(|b| KeyStore::from_blob(size, &b))
            .unwrap_or_else(|| KeyStore::new(size));
    }

    // ---- fill, fuses, configure ----

    fn fill(&mut self, address: u32, byte_count: u32, pattern: u32) -> Result<(), StatusCode> {
        if byte_count == 0 {
            return Ok(());
        }
        let mut job = self.mem.begin_write(address, byte_count)?;
        if matches!(job.loc, memory::Loc::Pfr(_)) {
            return Err(StatusCode::MEMORY_RANGE_INVALID);
        }
        let pat = pattern.to_le_bytes();
        let block: Vec<u8> = (0..4096).map(|i| pat[i % 4]).collect();
        while job.remaining() > 0 {
            let n = job.remaining().min(block.len());
            self.mem.write_chunk(&mut job, &block[..n])?;
        }
        self.mem.finish_write(&mut job)
    }

    fn burn(&mut self, index: u32, value: u32, lock: bool) -> Result<(), StatusCode> {
        let us = self.family.timing.otp_program_word_us;
        let f = self.fuses.as_mut().ok_or(StatusCode::INVALID_ARGUMENT)?;
        let i = index as usize;
        if i >= f.words.len() {
            return Err(StatusCode::OTP_INVALID_ADDRESS);
        }
        if f.locked[i] {
            return Err(StatusCode::OTP_LOCKED);
        }
        f.words[i] |= value;
        f.locked[i] |= lock;
        self.busy += Duration::from_micros(u64::from(us));
        Ok(())
    }

    fn program_once(
        &mut self,
        index: u32,
        byte_count: u32,
        data: &[u32],
    ) -> Result<(), StatusCode> {
        let lock = index & (1 << 24) != 0;
        let index = index & 0x00FF_FFFF;
        let n = match byte_count {
            4 => 1,
            8 => 2,
            _ => return Err(StatusCode::INVALID_ARGUMENT),
        };
        if data.len() < n {
            return Err(StatusCode::INVALID_ARGUMENT);
        }
        let f = self.fuses.as_ref().ok_or(StatusCode::INVALID_ARGUMENT)?;
        for k in 0..n {
            let i = (index as usize).saturating_add(k);
            if i >= f.words.len() {
                return Err(StatusCode::OTP_INVALID_ADDRESS);
            }
            if f.locked[i] {
                return Err(StatusCode::OTP_LOCKED);
            }
        }
        for (k, w) in data.iter().take(n).enumerate() {
            self.burn(index + k as u32, *w, lock)?;
        }
        Ok(())
    }

    fn read_once(&self, index: u32, byte_count: u32) -> Result<Vec<u32>, StatusCode> {
        let index = (index & 0x00FF_FFFF) as usize;
        let n = match byte_count {
            4 => 1,
            8 => 2,
            _ => return Err(StatusCode::INVALID_ARGUMENT),
        };
        let f = self.fuses.as_ref().ok_or(StatusCode::INVALID_ARGUMENT)?;
        (0..n)
            .map(|k| {
                f.words
                    .get(index + k)
                    .copied()
                    .ok_or(StatusCode::OTP_INVALID_ADDRESS)
            })
            .collect()
    }

    fn check_fuse_range(&self, address: u32, byte_count: u32) -> Result<(), StatusCode> {
        let f = self.fuses.as_ref().ok_or(StatusCode::INVALID_ARGUMENT)?;
        if address % 4 != 0 || byte_count % 4 != 0 {
            return Err(StatusCode::MEMORY_ALIGNMENT_ERROR);
        }
        if u64::from(address / 4) + u64::from(byte_count / 4) > f.words.len() as u64 {
            return Err(StatusCode::OTP_INVALID_ADDRESS);
        }
        Ok(())
    }

    fn configure(&mut self, memory_id: u32, address: u32) -> Result<(), StatusCode> {
        let Some(cfg) = self.family.flexspi.clone() else {
            return Err(StatusCode::INVALID_ARGUMENT);
        };
        if memory_id != 9 {
            return Err(StatusCode::INVALID_ARGUMENT);
        }
        let w0 = self.mem.read(address, 4)?;
        let word0 = u32::from_le_bytes([w0[0], w0[1], w0[2], w0[3]]);
        let mut g = NorGeometry {
            size: cfg.default_size,
            page_size: cfg.page_size,
            sector_size: cfg.sector_size,
            block_size: cfg.block_size,
        };
        if word0 == FCB_TAG {
            let fcb = self.mem.read(address, 0x200)?;
            let at = |o: usize| u32::from_le_bytes([fcb[o], fcb[o + 1], fcb[o + 2], fcb[o + 3]]);
            let pow2_upto = |v: u32, max: u32| v.is_power_of_two() && v <= max;
            let (size, page, sector, block) = (at(0x50), at(0x1C0), at(0x1C4), at(0x1D0));
            if size != 0 && size <= cfg.window.size {
                g.size = size;
            }
            if pow2_upto(page, 4096) {
                g.page_size = page;
            }
            if pow2_upto(sector, 0x4_0000) {
                g.sector_size = sector;
            }
            if pow2_upto(block, 0x10_0000) && block >= g.sector_size {
                g.block_size = block;
            }
            // The simulator stores NOR in family-sized sectors; keep its erase unit.
            g.sector_size = g.sector_size.max(cfg.sector_size);
            g.size -= g.size % g.sector_size;
            if g.size == 0 {
                return Err(StatusCode::INVALID_ARGUMENT);
            }
        } else if word0 >> 28 == FLEXSPI_OPTION_TAG {
            let extra = (word0 >> 24) & 0xF;
            self.mem.read(address, 4 * (1 + extra as usize))?;
        } else {
            return Err(StatusCode::INVALID_ARGUMENT);
        }
        tracing::info!(?g, "FlexSPI NOR configured");
        self.mem.configure_nor(g);
        Ok(())
    }

    // ---- properties ----

    fn property(&self, tag: u32, index: u32) -> Result<Vec<u32>, StatusCode> {
        let f = &self.family;
        let flash = || {
            f.flash
                .get(index as usize)
                .or_else(|| f.flash.first())
                .ok_or(StatusCode::UNKNOWN_PROPERTY)
        };
        let ram = || {
            f.ram
                .get(index as usize)
                .or_else(|| f.ram.first())
                .ok_or(StatusCode::UNKNOWN_PROPERTY)
        };
        Ok(match PropertyTag(tag) {
            PropertyTag::CURRENT_VERSION => vec![f.current_version],
            PropertyTag::AVAILABLE_PERIPHERALS => vec![f.peripherals],
            PropertyTag::FLASH_START_ADDRESS => vec![flash()?.start],
            PropertyTag::FLASH_SIZE => vec![flash()?.size],
            PropertyTag::FLASH_SECTOR_SIZE => vec![flash()?.sector_size],
            PropertyTag::FLASH_BLOCK_COUNT => vec![flash()?.block_count],
            PropertyTag::FLASH_PAGE_SIZE => vec![flash()?.page_size],
            PropertyTag::AVAILABLE_COMMANDS => {
                vec![f.available_commands()]
            }
            PropertyTag::CRC_CHECK_STATUS => vec![f.crc_check_status],
            PropertyTag::LAST_ERROR => vec![0],
            PropertyTag::VERIFY_WRITES => vec![u32::from(self.mem.verify_writes)],
            PropertyTag::MAX_PACKET_SIZE => vec![self.max_packet()],
            PropertyTag::RESERVED_REGIONS => {
                f.reserved.iter().flat_map(|r| [r.start, r.end]).collect()
            }
            PropertyTag::VALIDATE_REGIONS => vec![1],
            PropertyTag::RAM_START_ADDRESS => vec![ram()?.start],
            PropertyTag::RAM_SIZE => vec![ram()?.size],
            PropertyTag::SYSTEM_DEVICE_IDENT => vec![f.system_device_id],
            PropertyTag::FLASH_SECURITY_STATE => vec![f.security_state],
            PropertyTag::UNIQUE_DEVICE_IDENT => f.unique_id.clone(),
            PropertyTag::FLASH_READ_MARGIN if !f.flash.is_empty() => vec![self.flash_read_margin],
            PropertyTag::TARGET_VERSION => vec![f.target_version],
            PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES => {
                let nor = self
                    .mem
                    .nor
                    .as_ref()
                    .filter(|_| index == 9)
                    .ok_or(StatusCode::INVALID_ARGUMENT)?;
                let g = nor.geometry.ok_or(StatusCode::MEMORY_NOT_CONFIGURED)?;
                vec![
                    0x1F,
                    nor.cfg.window.start,
                    g.size / 1024,
                    g.page_size,
                    g.sector_size,
                    g.block_size,
                ]
            }
            PropertyTag::PFR_KEYSTORE_UPDATE_OPT if f.pfr.is_some() && f.key_store.is_some() => {
                vec![self.pfr_keystore_opt]
            }
            _ => return Err(StatusCode::UNKNOWN_PROPERTY),
        })
    }

    fn set_property(&mut self, tag: u32, value: u32) -> Result<(), StatusCode> {
        let has_flash = !self.family.flash.is_empty();
        let has_pfr_ks = self.family.pfr.is_some() && self.family.key_store.is_some();
        match PropertyTag(tag) {
            PropertyTag::VERIFY_WRITES => match value {
                0 | 1 => {
                    self.mem.verify_writes = value == 1;
                    Ok(())
                }
                _ => Err(StatusCode::INVALID_PROPERTY_VALUE),
            },
            PropertyTag::FLASH_READ_MARGIN if has_flash => match value {
                0..=2 => {
                    self.flash_read_margin = value;
                    Ok(())
                }
                _ => Err(StatusCode::INVALID_PROPERTY_VALUE),
            },
            PropertyTag::PFR_KEYSTORE_UPDATE_OPT if has_pfr_ks => match value {
                0 | 1 => {
                    self.pfr_keystore_opt = value;
                    Ok(())
                }
                _ => Err(StatusCode::INVALID_PROPERTY_VALUE),
            },
            _ => match self.property(tag, 0) {
                Err(StatusCode::UNKNOWN_PROPERTY) => Err(StatusCode::UNKNOWN_PROPERTY),
                _ => Err(StatusCode::READ_ONLY_PROPERTY),
            },
        }
    }

    // ---- key provisioning ----

    fn key_provisioning(&mut self, op: KeyProvOp, tag: CommandTag) -> Reply {
        let kp = |st: StatusCode| reply(data_response(ResponseTag::KEY_PROVISIONING, st, 0));
        let nv_locations = self
            .family
            .key_store
            .as_ref()
            .map(|k| k.nv.clone())
            .unwrap_or_default();
        let Some((enrolled, size, ac_len)) = self
            .keys
            .as_ref()
            .map(|k| (k.enrolled(), k.size(), k.ac_len()))
        else {
            return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
        };
        match op {
            KeyProvOp::Enroll => {
                let mut ac = vec![0u8; ac_len];
                self.rng.fill(ac.as_mut_slice());
                if let Some(ks) = self.keys.as_mut() {
                    ks.enroll(ac);
                }
                reply(generic(StatusCode::SUCCESS, tag))
            }
            KeyProvOp::SetUserKey { key_type, key_size } => {
                if !enrolled {
                    return kp(StatusCode::FAIL);
                }
                if !valid_user_key(key_type, key_size) {
                    return kp(StatusCode::INVALID_ARGUMENT);
                }
                let first =
                    data_response(ResponseTag::KEY_PROVISIONING, StatusCode::SUCCESS, key_size);
                self.start_in(
                    tag,
                    Sink::UserKey {
                        key_type,
                        buf: Vec::new(),
                    },
                    key_size,
                    first,
                )
            }
            KeyProvOp::SetIntrinsicKey { key_type, key_size } => {
                if !enrolled {
                    return reply(generic(StatusCode::FAIL, tag));
                }
                if !valid_user_key(key_type, key_size) {
                    return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
                }
                let mut key = vec![0u8; key_size as usize];
                self.rng.fill(key.as_mut_slice());
                let stored = self
                    .keys
                    .as_mut()
                    .is_some_and(|ks| ks.set_key(key_type, key));
                reply(generic(
                    if stored {
                        StatusCode::SUCCESS
                    } else {
                        StatusCode::FAIL
                    },
                    tag,
                ))
            }
            KeyProvOp::WriteNonVolatile { memory_id } => {
                if !enrolled {
                    return reply(generic(StatusCode::FAIL, tag));
                }
                let Some(nv) = nv_locations.iter().find(|n| n.memory_id == memory_id) else {
                    return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
                };
                let blob = self
                    .keys
                    .as_ref()
                    .map(KeyStore::to_blob)
                    .unwrap_or_default();
                let st = status_of(self.mem.store_raw(nv.address, &blob));
                reply(generic(st, tag))
            }
            KeyProvOp::ReadNonVolatile { memory_id } => {
                let Some(nv) = nv_locations.iter().find(|n| n.memory_id == memory_id) else {
                    return reply(generic(StatusCode::INVALID_ARGUMENT, tag));
                };
                let loaded = self
                    .mem
                    .read(nv.address, size)
                    .ok()
                    .and_then(|b| KeyStore::from_blob(size, &b));
                let st = match (loaded, self.keys.as_mut()) {
                    (Some(new), Some(ks)) => {
                        *ks = new;
                        StatusCode::SUCCESS
                    }
                    _ => StatusCode::FAIL,
                };
                reply(generic(st, tag))
            }
            KeyProvOp::WriteKeyStore { size: n } => {
                if n as usize != size {
                    return kp(StatusCode::INVALID_ARGUMENT);
                }
                let first = data_response(ResponseTag::KEY_PROVISIONING, StatusCode::SUCCESS, n);
                self.start_in(tag, Sink::KeyStoreBlob { buf: Vec::new() }, n, first)
            }
            KeyProvOp::ReadKeyStore => {
                if !enrolled {
                    return kp(StatusCode::FAIL);
                }
                let data = self
                    .keys
                    .as_ref()
                    .map(KeyStore::to_blob)
                    .unwrap_or_default();
                let n = data.len() as u32;
                self.start_out(
                    tag,
                    ResponseTag::KEY_PROVISIONING,
                    Source::Bytes { data, pos: 0 },
                    n,
                )
            }
        }
    }
}

fn valid_user_key(key_type: u32, key_size: u32) -> bool {
    USER_KEY_TYPES.contains(&key_type)
        && key_size >= 8
        && key_size as usize <= keystore::MAX_KEY
        && key_size % 8 == 0
}

/// A status + byte-count response (0xA3, 0xB0, 0xB5): flags = 1 when a data phase follows.
fn data_response(tag: ResponseTag, status: StatusCode, byte_count: u32) -> Packet {
    let flags = u8::from(status.is_success());
    Response::DataPhase {
        tag,
        flags,
        status,
        byte_count,
    }
    .to_packet()
}

#[cfg(test)]
mod tests;
