//! The ROM side of the debug mailbox and of debug authentication.
//!
//! The word protocol: a REQUEST `cmd | P<<16` starts a command; before each of the P
//! parameter words the ROM queues the ACK `0xA5A5 | remaining<<16` in RETURN; then it
//! executes and queues either a status word (`0`, or an error `0x001000xx`) or a header
//! `(n<<16) | 0` followed by n data words, each released by the host's ACK
//! `0xA5A5 | remaining<<16` (the last ACK is `0x0000A5A5`). CSW reads 0 (the ROM takes
//! every word at once); a CSW write with RESYNCH_REQ or CHIP_RESET_REQ resets the chip:
//! the mailbox state, the challenge and the debug grant are dropped. A RETURN read with
//! nothing queued answers WAIT, as the hardware stalls the access.
//!
//! What the ROM checks in a DAR, in order (reference section 3.4): a challenge was issued;
//! the DAR decodes and has the exact length of its version; version and SOCC equal the
//! device's; UUID (a zero UUID is refused when UUID_CHECK / FORCE_UUID_MATCH is set); the
//! root key (RSA: SHA-256(rot_meta) is the RKTH, the signing key's hash is a slot and not
//! revoked; ECC: H(table) is the RKTH and table[rot_id] is H(rot_pub), or H(rot_pub) is the
//! RKTH for one key); the DC signature; the beacons fit 16 bits; ECC: the DAR's UUID is the
//! device's; the DAR signature over the challenge; optionally CC_VU. Then the grant is
//! `(PIN & DFLT) | (!PIN & cc_socu)`, DEBUG_AUTH_BEACON = `auth<<16 | credential`, and
//! `EXIT` opens the granted domains (unless a non-zero credential beacon defers that to
//! the application).
//!
//! Where the debug state comes from: the SOCU words of the CMPA and the active CFPA (PFR
//! parts) or the DCFG_CC_SOCU fuse words (RW61x, RT5xx); PFR words whose upper half is not
//! the inverse, or fuse words with a bad CRC, are an unconfigured part and every domain is
//! open from reset. A family with a lifecycle field is in development below 0x07 (every
//! domain open). RKTH from the family's RKTH field, UUID from `UniqueDeviceIdent`.

use super::{Combine, DacRkth, DmOptions, Lifecycle};
use crate::rom::Rom;
use provkit::dat::dac::words_to_bytes;
use provkit::dat::family::Loc;
use provkit::dat::mailbox::{self, DmCommand};
use provkit::dat::socu::{self, Layout, SocuTable};
use provkit::dat::{Dac, Dar, DatFamily, DebugCredential, ProtocolVersion, RotMeta};
use provkit::family::{Area, Family};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;

/// IDR of the AHB-AP (AP 0) the simulator reports.
pub const AHB_AP_IDR: u32 = 0x8477_0001;

/// Why an access-port access did not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApError {
    /// Nothing to read yet (the hardware stalls): retry.
    Wait,
    /// The access faulted.
    Fault(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Idle,
    Rx,
    Tx,
}

/// The debug view of a simulated chip.
pub struct DebugPort {
    dat: DatFamily,
    socu: &'static SocuTable,
    opts: DmOptions,
    st: St,
    ret: VecDeque<u32>,
    cmd: u16,
    remaining: usize,
    params: Vec<u32>,
    tx: Vec<u32>,
    tx_idx: usize,
    challenge: Option<[u8; 32]>,
    last_challenge: Option<[u8; 32]>,
    dac_version: Option<ProtocolVersion>,
    granted: Option<(u32, u32)>,
    open: Option<u32>,
    beacon: u32,
    rng: SmallRng,
}

/// The device's debug configuration, read from its CMPA/CFPA/fuses.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DebugConfig {
    lifecycle: Lifecycle,
    masks: Option<socu::Masks>,
}

impl DebugPort {
    /// The debug port of a `family` chip.
    pub fn new(family: &Family, opts: DmOptions) -> Result<DebugPort, String> {
        let dat =
            DatFamily::lookup(&family.name, opts.revision.as_deref()).map_err(|e| e.to_string())?;
        if dat.device().is_none() {
            return Err(format!("{}: no debug-mailbox model", family.name));
        }
        let socu = socu::table(&dat.socu).ok_or_else(|| format!("{}: no SOCU table", dat.name))?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ u64::from(std::process::id());
        Ok(DebugPort {
            dat,
            socu,
            opts,
            st: St::Idle,
            ret: VecDeque::new(),
            cmd: 0,
            remaining: 0,
            params: Vec::new(),
            tx: Vec::new(),
            tx_idx: 0,
            challenge: None,
            last_challenge: None,
            dac_version: None,
            granted: None,
            open: None,
            beacon: 0,
            rng: SmallRng::seed_from_u64(seed),
        })
    }

    /// The DAT facts in use (family and revision).
    pub fn dat_family(&self) -> &DatFamily {
        &self.dat
    }

    /// DEBUG_AUTH_BEACON as the ROM last wrote it.
    pub fn beacon(&self) -> u32 {
        self.beacon
    }

    // ---- reading the device ----

    fn word(rom: &Rom, loc: Loc) -> Option<u32> {
        match loc.area {
            Area::Otp => rom.fuse(loc.offset).map(|(w, _)| w),
            Area::Cmpa => {
                let p = rom.family().pfr.as_ref()?;
                le(&rom.peek(p.cmpa + loc.offset, 4)?)
            }
            Area::Cfpa => {
                let base = active_cfpa(rom)?;
                le(&rom.peek(base + loc.offset, 4)?)
            }
        }
    }

    fn bytes(rom: &Rom, area: Area, offset: u32, size: u32) -> Option<Vec<u8>> {
        match area {
            Area::Otp => {
                let mut out = Vec::new();
                for i in 0..size.div_ceil(4) {
                    out.extend_from_slice(&rom.fuse(offset + i)?.0.to_le_bytes());
                }
                out.truncate(size as usize);
                Some(out)
            }
            Area::Cmpa => rom.peek(rom.family().pfr.as_ref()?.cmpa + offset, size as usize),
            Area::Cfpa => rom.peek(active_cfpa(rom)? + offset, size as usize),
        }
    }

    fn rkth_field(&self, rom: &Rom) -> Vec<u8> {
        let f = rom.family();
        let loc = f
            .secure_boot
            .as_ref()
            .map(|s| (s.rkth.area, s.rkth.offset, s.rkth.size))
            .or_else(|| {
                self.dat
                    .device()
                    .and_then(|d| d.rkth)
                    .map(|r| (r.area, r.offset, r.size))
            });
        loc.and_then(|(a, o, s)| Self::bytes(rom, a, o, s))
            .unwrap_or_else(|| vec![0; 32])
    }

    fn uuid(rom: &Rom) -> [u8; 16] {
        provkit::dat::uuid_from_words(&rom.family().unique_id).unwrap_or([0; 16])
    }

    fn config(&self, rom: &Rom) -> DebugConfig {
        let fam = rom.family();
        let lifecycle = self.opts.lifecycle.unwrap_or_else(|| {
            match fam.secure_boot.as_ref().and_then(|s| s.lifecycle.as_ref()) {
                Some(field) => {
                    let v = Self::word(
                        rom,
                        Loc {
                            area: field.area,
                            offset: field.offset,
                        },
                    )
                    .unwrap_or(0);
                    let v = (v >> field.shift) & mask(field.width);
                    if v < 0x07 {
                        Lifecycle::Develop
                    } else {
                        Lifecycle::Deployed
                    }
                }
                None => Lifecycle::Deployed,
            }
        });
        let Some(dev) = self.dat.device() else {
            return DebugConfig {
                lifecycle,
                masks: None,
            };
        };
        let s = dev.socu;
        let masks = match self.socu.layout {
            Layout::Pfr => {
                let read = |l: Option<Loc>| l.and_then(|l| Self::word(rom, l));
                match (read(s.pin), read(s.dflt)) {
                    (Some(p), Some(d)) => self.socu.decode_pfr(p, d).ok().map(|m| {
                        let ns = match (self.opts.socu_combine, read(s.ns_pin), read(s.ns_dflt)) {
                            (Combine::And, Some(np), Some(nd)) => self.socu.decode_pfr(np, nd).ok(),
                            _ => None,
                        };
                        combine(m, ns)
                    }),
                    _ => None,
                }
            }
            Layout::FusePinDflt | Layout::FuseCrc => {
                s.fuse.and_then(|l| Self::word(rom, l)).and_then(|w| {
                    self.socu.decode_fuse(w).ok().map(|m| {
                        let ns = match self.opts.socu_combine {
                            Combine::And => s
                                .ns_fuse
                                .and_then(|l| Self::word(rom, l))
                                .and_then(|w| self.socu.decode_fuse(w).ok()),
                            Combine::Cmpa => None,
                        };
                        combine(m, ns)
                    })
                })
            }
            Layout::Unknown => None,
        };
        DebugConfig { lifecycle, masks }
    }

    fn all_domains(&self) -> u32 {
        self.socu
            .domains
            .iter()
            .fold(0, |m, (b, _, _)| m | (1 << b))
    }

    /// Debug domains open at reset.
    fn reset_open(&self, rom: &Rom) -> u32 {
        let c = self.config(rom);
        match (c.lifecycle, c.masks) {
            (Lifecycle::Develop, _) => self.all_domains(),
            (Lifecycle::Locked, _) => 0,
            (Lifecycle::Deployed, None) => self.all_domains(),
            (Lifecycle::Deployed, Some(m)) => m.pin & m.dflt,
        }
    }

    /// Debug domains open now.
    pub fn open_domains(&self, rom: &Rom) -> u32 {
        self.open.unwrap_or_else(|| self.reset_open(rom))
    }

    fn domain_bit(&self, name: &str) -> Option<u32> {
        self.socu
            .domains
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(b, _, _)| 1 << b)
    }

    fn dac_version(&self, rom: &Rom) -> ProtocolVersion {
        if let Some(v) = self.opts.version {
            return v;
        }
        let rsa = self
            .dat
            .rot_keys
            .iter()
            .any(|k| matches!(k, provkit::crypto::KeyType::Rsa(_)));
        if rsa {
            return ProtocolVersion { major: 1, minor: 0 };
        }
        let field = self.rkth_field(rom);
        let minor = if field.len() > 32 && field[32..48.min(field.len())].iter().any(|&b| b != 0) {
            1
        } else {
            0
        };
        ProtocolVersion { major: 2, minor }
    }

    // ---- reset ----

    /// A chip reset (CSW CHIP_RESET_REQ/RESYNCH_REQ, or the reset pin): the mailbox starts
    /// over and the debug grant is gone.
    pub fn chip_reset(&mut self, rom: &mut Rom) {
        rom.reset();
        self.st = St::Idle;
        self.ret.clear();
        self.params.clear();
        self.tx.clear();
        self.challenge = None;
        self.granted = None;
        self.open = None;
        self.beacon = 0;
    }

    // ---- access ports ----

    /// Reads register `reg` of access port `ap`.
    pub fn ap_read(&mut self, _rom: &mut Rom, ap: u8, reg: u8) -> Result<u32, ApError> {
        if ap == self.dat.dm_ap {
            return match reg {
                mailbox::IDR => Ok(mailbox::DM_AP_IDR),
                mailbox::CSW => Ok(0),
                mailbox::RETURN => self.ret.pop_front().ok_or(ApError::Wait),
                mailbox::REQUEST => Ok(0),
                _ => Ok(0),
            };
        }
        Ok(match (ap, reg) {
            (0, 0xFC) => AHB_AP_IDR,
            _ => 0,
        })
    }

    /// Writes register `reg` of access port `ap`.
    pub fn ap_write(&mut self, rom: &mut Rom, ap: u8, reg: u8, value: u32) -> Result<(), ApError> {
        if ap != self.dat.dm_ap {
            return Ok(());
        }
        match reg {
            mailbox::CSW => {
                if value & (mailbox::CSW_RESYNCH_REQ | mailbox::CSW_CHIP_RESET_REQ) != 0 {
                    tracing::info!("debug mailbox: chip reset from CSW 0x{value:08X}");
                    self.chip_reset(rom);
                }
                Ok(())
            }
            mailbox::REQUEST => {
                self.request(rom, value);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn request(&mut self, rom: &mut Rom, w: u32) {
        match self.st {
            St::Idle => {
                self.cmd = (w & 0xFFFF) as u16;
                self.remaining = (w >> 16) as usize;
                self.params.clear();
                if self.remaining > 0 {
                    self.st = St::Rx;
                    self.ret.push_back(mailbox::ack(self.remaining));
                } else {
                    self.execute(rom);
                }
            }
            St::Rx => {
                self.params.push(w);
                self.remaining -= 1;
                if self.remaining > 0 {
                    self.ret.push_back(mailbox::ack(self.remaining));
                } else {
                    self.st = St::Idle;
                    self.execute(rom);
                }
            }
            St::Tx => {
                let expect = mailbox::ack(self.tx.len() - self.tx_idx);
                if w != expect {
                    tracing::debug!("debug mailbox: ACK 0x{w:08X}, expected 0x{expect:08X}");
                }
                if self.tx_idx < self.tx.len() {
                    self.ret.push_back(self.tx[self.tx_idx]);
                    self.tx_idx += 1;
                } else {
                    self.st = St::Idle;
                    self.tx.clear();
                }
            }
        }
    }

    fn respond(&mut self, words: Vec<u32>) {
        let mut h = mailbox::response_header(words.len(), 0);
        if self.opts.header_bit31 {
            h |= 0x8000_0000;
        }
        self.ret.push_back(h);
        self.tx = words;
        self.tx_idx = 0;
        self.st = St::Tx;
    }

    fn execute(&mut self, rom: &mut Rom) {
        let cmd = DmCommand(self.cmd);
        tracing::debug!(
            "debug mailbox: {cmd} with {} parameter word(s)",
            self.params.len()
        );
        const UNKNOWN: u32 = 0x0010_0002;
        let cfg = self.config(rom);
        match cmd {
            DmCommand::START | DmCommand::GET_CRP_LEVEL => self.ret.push_back(0),
            DmCommand::EXIT => {
                if let Some((grant, cc_beacon)) = self.granted {
                    if cc_beacon != 0 && self.opts.beacon_defers {
                        tracing::info!(
                            "debug mailbox: exit; credential beacon 0x{cc_beacon:04X} leaves opening debug to the application"
                        );
                    } else {
                        tracing::info!("debug mailbox: exit; debug domains 0x{grant:04X} open");
                        self.open = Some(grant);
                    }
                }
                self.ret.push_back(0);
            }
            DmCommand::START_DBG_SESSION => self.ret.push_back(0),
            DmCommand::ENTER_ISP_MODE => {
                let isp = self
                    .domain_bit("ISP_CMD_EN")
                    .or_else(|| self.domain_bit("ISPCMDEN"));
                let allowed = isp.is_none_or(|b| {
                    self.open_domains(rom) & b != 0 || self.granted.is_some_and(|(g, _)| g & b != 0)
                });
                self.ret
                    .push_back(if allowed { 0 } else { self.opts.fail_status });
            }
            DmCommand::DBG_AUTH_START => {
                if cfg.lifecycle == Lifecycle::Locked {
                    self.ret.push_back(UNKNOWN);
                    return;
                }
                let dac = self.build_dac(rom, &cfg);
                self.respond(dac.to_words());
            }
            DmCommand::DBG_AUTH_RESP => {
                let bytes = words_to_bytes(&self.params);
                match self.check_dar(rom, &cfg, &bytes) {
                    Ok((grant, auth_beacon, cc_beacon)) => {
                        tracing::info!("debug mailbox: DAR accepted, grant 0x{grant:04X}");
                        self.granted = Some((grant, cc_beacon));
                        self.beacon = (auth_beacon << 16) | cc_beacon;
                        self.ret.push_back(0);
                    }
                    Err(why) => {
                        tracing::warn!("debug mailbox: DAR rejected: {why}");
                        if self.opts.reset_on_fail {
                            self.challenge = None;
                        }
                        self.ret.push_back(self.opts.fail_status);
                    }
                }
            }
            _ => self.ret.push_back(UNKNOWN),
        }
    }

    fn build_dac(&mut self, rom: &Rom, cfg: &DebugConfig) -> Dac {
        let version = self.dac_version(rom);
        let h = self.dat.dac_hash_len(version);
        let send_rkth = match self.opts.dac_rkth {
            DacRkth::Auto => self.dat.dac_rkth,
            DacRkth::Rkth => true,
            DacRkth::Zero => false,
        };
        let mut rkth = if send_rkth {
            self.rkth_field(rom)
        } else {
            Vec::new()
        };
        rkth.resize(h, 0);
        let (pin, dflt) = match cfg.masks {
            Some(m) if self.opts.dac_socu_inverse => (
                SocuTable::encode_pfr(m.pin as u16),
                SocuTable::encode_pfr(m.dflt as u16),
            ),
            Some(m) => (m.pin, m.dflt),
            None => (0, 0),
        };
        let dev = self.dat.device();
        let vu = dev
            .and_then(|d| d.vendor_usage)
            .map(|v| {
                (Self::word(rom, v.cmpa).unwrap_or(0) & 0xFFFF_0000)
                    | (Self::word(rom, v.cfpa).unwrap_or(0) & 0xFFFF)
            })
            .unwrap_or(0);
        let revoke = dev
            .and_then(|d| d.rotkh_revoke)
            .and_then(|l| Self::word(rom, l))
            .unwrap_or(0);
        let challenge = self.opts.challenge.unwrap_or_else(|| self.rng.r#gen());
        self.challenge = Some(challenge);
        self.last_challenge = Some(challenge);
        self.dac_version = Some(version);
        Dac {
            version,
            socc: self.dat.socc,
            uuid: Self::uuid(rom),
            rotid_rkh_revocation: revoke,
            rkth,
            cc_soc_pinned: pin,
            cc_soc_default: dflt,
            cc_vu: vu,
            challenge,
        }
    }

    /// The ROM's DAR checks; `Ok((grant, auth beacon, credential beacon))`.
    fn check_dar(
        &self,
        rom: &Rom,
        cfg: &DebugConfig,
        bytes: &[u8],
    ) -> Result<(u32, u32, u32), String> {
        let challenge = if self.opts.resp_without_start_last {
            self.last_challenge
        } else {
            self.challenge
        }
        .ok_or("no challenge issued since the last reset (DBG_AUTH_START first)")?;
        let version = self.dac_version.unwrap_or_else(|| self.dac_version(rom));
        let dar = Dar::parse(bytes).map_err(|e| format!("malformed DAR: {e}"))?;
        let dc = &dar.dc;
        if dc.version != version {
            return Err(format!(
                "DC version {} is not the device's {version}",
                dc.version
            ));
        }
        if dc.socc != self.dat.socc {
            return Err(format!(
                "DC SOCC 0x{:08X} is not the device's 0x{:08X}",
                dc.socc, self.dat.socc
            ));
        }
        let uuid = Self::uuid(rom);
        if dc.uuid != [0u8; 16] && dc.uuid != uuid {
            return Err("DC UUID is not this device's".into());
        }
        if dc.uuid == [0u8; 16] && cfg.masks.is_some_and(|m| m.uuid_check) {
            return Err("UUID check is on and the DC is not bound to this device".into());
        }
        self.check_root(rom, dc)?;
        dc.verify_signature()
            .map_err(|e| format!("DC signature: {e}"))?;
        if dc.cc_beacon > 0xFFFF || dar.auth_beacon > 0xFFFF {
            return Err("beacon wider than 16 bits".into());
        }
        if let Some(u) = dar.uuid {
            if u != uuid {
                return Err("DAR UUID is not this device's".into());
            }
        }
        dar.verify_signature(&challenge)
            .map_err(|e| format!("DAR signature over the challenge: {e}"))?;
        if self.opts.check_vu {
            let dev_vu = self.dat.device().and_then(|d| d.vendor_usage).map(|v| {
                (Self::word(rom, v.cmpa).unwrap_or(0) & 0xFFFF_0000)
                    | (Self::word(rom, v.cfpa).unwrap_or(0) & 0xFFFF)
            });
            if dev_vu.is_some_and(|v| v != dc.cc_vu) {
                return Err("CC_VU differs from the device's vendor usage".into());
            }
        }
        let (pin, dflt) = match (cfg.lifecycle, cfg.masks) {
            (Lifecycle::Deployed, Some(m)) => (m.pin, m.dflt),
            _ => (0, 0),
        };
        let grant = socu::granted(pin, dflt, dc.cc_socu) & self.all_domains();
        Ok((grant, dar.auth_beacon, dc.cc_beacon))
    }

    fn check_root(&self, rom: &Rom, dc: &DebugCredential) -> Result<(), String> {
        let field = self.rkth_field(rom);
        let rkth = dc.rkth();
        if !provkit::certblock::rkth::rkth_matches(&field, &rkth) {
            return Err("the DC's root key table hash is not the device's RKTH".into());
        }
        let slot = dc
            .rot_slot()
            .map_err(|e| e.to_string())?
            .ok_or("the signing root key is not in the DC's root key table")?;
        if let RotMeta::Rsa(_) = dc.rot_meta {
            let revoke = self
                .dat
                .device()
                .and_then(|d| d.rotkh_revoke)
                .and_then(|l| Self::word(rom, l))
                .unwrap_or(0);
            // Model: two bits per key (RoTKx_EN); the upper bit set means revoked.
            if revoke & (2 << (2 * slot)) != 0 {
                return Err(format!("root key {slot} is revoked"));
            }
        }
        Ok(())
    }

    // ---- memory through the AHB-AP ----

    fn check_mem(&self, rom: &Rom, addr: u32) -> Result<(), ApError> {
        let open = self.open_domains(rom);
        let secure = addr & 0x1000_0000 != 0;
        let need = if secure { "SPIDEN" } else { "DBGEN" };
        match self.domain_bit(need) {
            Some(b) if open & b != 0 => Ok(()),
            Some(_) => Err(ApError::Fault(format!(
                "debug access locked ({need} closed)"
            ))),
            None => Err(ApError::Fault(format!("no {need} domain"))),
        }
    }

    /// Reads a word through the AHB-AP.
    pub fn mem_read(&mut self, rom: &mut Rom, addr: u32) -> Result<u32, ApError> {
        self.check_mem(rom, addr)?;
        let beacon = self.dat.device().map(|d| d.beacon_register);
        if beacon.is_some_and(|b| b & !0x1000_0000 == addr & !0x1000_0000) {
            return Ok(self.beacon);
        }
        rom.peek(addr, 4)
            .and_then(|b| le(&b))
            .ok_or_else(|| ApError::Fault(format!("bus fault at 0x{addr:08X}")))
    }

    /// Writes a word through the AHB-AP (RAM only; anything else bus-faults).
    pub fn mem_write(&mut self, rom: &mut Rom, addr: u32, value: u32) -> Result<(), ApError> {
        self.check_mem(rom, addr)?;
        let in_ram = rom.family().ram.iter().any(|w| w.contains(addr, 4))
            || rom.family().mirrors.iter().any(|m| {
                provkit::family::Window {
                    start: m.start,
                    size: m.size,
                }
                .contains(addr, 4)
                    && rom
                        .family()
                        .ram
                        .iter()
                        .any(|w| w.contains(m.target + (addr - m.start), 4))
            });
        if !in_ram {
            return Err(ApError::Fault(format!(
                "0x{addr:08X} is not writable RAM (the simulator's debug port writes RAM only)"
            )));
        }
        rom.poke(addr, &value.to_le_bytes())
            .map_err(|st| ApError::Fault(format!("bus fault at 0x{addr:08X} ({st})")))
    }
}

fn combine(m: socu::Masks, ns: Option<socu::Masks>) -> socu::Masks {
    match ns {
        Some(n) => socu::Masks {
            pin: m.pin | n.pin,
            dflt: m.dflt & n.dflt,
            uuid_check: m.uuid_check || n.uuid_check,
        },
        None => m,
    }
}

fn mask(width: u32) -> u32 {
    if width >= 32 {
        u32::MAX
    } else {
        (1 << width) - 1
    }
}

fn le(b: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(..4)?.try_into().ok()?))
}

/// The CFPA page the ROM uses: the newer of ping and pong, or the only one.
fn active_cfpa(rom: &Rom) -> Option<u32> {
    let p = rom.family().pfr.as_ref()?;
    match p.cfpa_ping_pong {
        Some((a, b)) => {
            let v = |pg: u32| rom.peek(pg + p.cfpa_version_offset, 4).and_then(|x| le(&x));
            Some(if v(b).unwrap_or(0) > v(a).unwrap_or(0) {
                b
            } else {
                a
            })
        }
        None => Some(p.cfpa),
    }
}

impl DebugPort {
    /// The debug port of `family` with `--dm-opt` items applied.
    pub fn from_specs(family: &Family, specs: &[String]) -> Result<DebugPort, String> {
        let mut opts = DmOptions::default();
        for s in specs {
            opts.apply(s).map_err(|e| format!("--dm-opt: {e}"))?;
        }
        DebugPort::new(family, opts).map_err(|e| format!("--dm-listen: {e}"))
    }
}
