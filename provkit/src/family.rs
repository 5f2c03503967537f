//! The chip database: what provkit knows about each supported MCU family, as data.
//!
//! The records live in `provkit/data/families.json` (compiled in with `include_str!`,
//! parsed once on first use). Each record holds what the ISP ROM of the family reports
//! and enforces: the memory map (internal flash geometry, RAM, aliases, reserved regions,
//! per-range read rules), the protected flash region (CMPA/CFPA) layout, the FlexSPI NOR
//! window, OTP size, the PUF key store, the commands the ROM implements (property 7 is
//! computed from them), packet sizes per interface and USB IDs.
//!
//! Sources are SPSDK 3.12's device database (`spsdk/data/devices/<family>/database.yaml`,
//! `fuses.json`, `fcb_flexspi_nor.json`) and the reference notes (`blhost.md` §4, §5.3,
//! `rust_peers.md` §6). A value the sources do not give is marked as inferred in the
//! record's `_note` field; the simulator (`devsim`) uses the records as its ROM model, so
//! every inferred value is a simulator default, not a fact about silicon.
//!
//! Numbers in the JSON file may be written as JSON numbers or as strings (`"0x9DE00"`,
//! `"0b1010"`, `"4096"`, with `_` separators).

use crate::mboot::command::CommandTag;
use serde::{Deserialize, Deserializer};
use std::sync::OnceLock;

/// The embedded database.
const DATA: &str = include_str!("../data/families.json");

/// A family record that does not hold together (see [`Family::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("family {family}: {what}")]
pub struct InvalidFamily {
    /// Family name.
    pub family: String,
    /// What is wrong.
    pub what: String,
}

/// USB vendor and product ID of the ROM's HID bootloader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsbId {
    /// Vendor ID.
    #[serde(deserialize_with = "de_u16")]
    pub vid: u16,
    /// Product ID.
    #[serde(deserialize_with = "de_u16")]
    pub pid: u16,
}

/// Maximum data-phase packet size per interface (property 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaxPacket {
    /// Over the UART framing.
    #[serde(deserialize_with = "de_u32")]
    pub uart: u32,
    /// Over USB-HID (report size = this + 4).
    #[serde(deserialize_with = "de_u32")]
    pub usb: u32,
}

/// A start address and a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// First address.
    #[serde(deserialize_with = "de_u32")]
    pub start: u32,
    /// Size in bytes.
    #[serde(deserialize_with = "de_u32")]
    pub size: u32,
}

impl Window {
    /// One past the last address (as u64, so a window at the top of the map cannot overflow).
    pub fn end(&self) -> u64 {
        u64::from(self.start) + u64::from(self.size)
    }

    /// True when `[addr, addr + len)` lies inside the window.
    pub fn contains(&self, addr: u32, len: u64) -> bool {
        addr >= self.start && u64::from(addr) + len <= self.end()
    }
}

/// One internal flash region (properties 3, 4, 5, 6, 27 by region index).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlashRegion {
    /// First address (property 3).
    #[serde(deserialize_with = "de_u32")]
    pub start: u32,
    /// Size in bytes (property 4).
    #[serde(deserialize_with = "de_u32")]
    pub size: u32,
    /// Sector size the ROM reports (property 5).
    #[serde(deserialize_with = "de_u32")]
    pub sector_size: u32,
    /// Program unit: writes must start on a page boundary; a partial last page is
    /// padded with 0xFF (property 27).
    #[serde(deserialize_with = "de_u32")]
    pub page_size: u32,
    /// Erase unit: flash-erase-region start and length must be multiples of it.
    #[serde(deserialize_with = "de_u32")]
    pub erase_size: u32,
    /// Block count (property 6).
    #[serde(deserialize_with = "de_u32")]
    pub block_count: u32,
    /// Status of a read-memory that touches an erased page (LPC55: ECC flash,
    /// `kStatusMemoryBlankPageReadDisallowed`); `None`: erased flash reads as 0xFF.
    #[serde(default, deserialize_with = "de_opt_u32")]
    pub blank_read_status: Option<u32>,
}

impl FlashRegion {
    /// The region as a window.
    pub fn window(&self) -> Window {
        Window {
            start: self.start,
            size: self.size,
        }
    }
}

/// An address alias: `[start, start + size)` maps to `[target, target + size)`
/// (secure aliases, code-bus aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    /// First alias address.
    #[serde(deserialize_with = "de_u32")]
    pub start: u32,
    /// Size of the alias window.
    #[serde(deserialize_with = "de_u32")]
    pub size: u32,
    /// Canonical address of `start`.
    #[serde(deserialize_with = "de_u32")]
    pub target: u32,
}

/// A reserved region (property 12): the ROM's own memory; writes are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reserved {
    /// First address.
    #[serde(deserialize_with = "de_u32")]
    pub start: u32,
    /// Last address (inclusive, as property 12 reports it).
    #[serde(deserialize_with = "de_u32")]
    pub end: u32,
}

/// A range the ROM refuses to read, with the status it answers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadRule {
    /// First address.
    #[serde(deserialize_with = "de_u32")]
    pub start: u32,
    /// Last address (inclusive).
    #[serde(deserialize_with = "de_u32")]
    pub end: u32,
    /// Status code of a read that touches the range.
    #[serde(deserialize_with = "de_u32")]
    pub status: u32,
    /// Where the rule comes from.
    #[serde(rename = "_note", default)]
    pub note: Option<String>,
}

/// Protected flash region (PFR) layout: CFPA pages, CMPA page, key store, NMPA.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pfr {
    /// The whole PFR window (it lies outside the internal flash region the ROM reports).
    pub window: Window,
    /// Page size of the PFR pages (CFPA and CMPA are one page each).
    #[serde(deserialize_with = "de_u32")]
    pub page_size: u32,
    /// CFPA page the host writes (LPC55S6x: the scratch page the ROM promotes on reset).
    #[serde(deserialize_with = "de_u32")]
    pub cfpa: u32,
    /// CFPA ping and pong pages, where the family keeps two copies.
    #[serde(default, deserialize_with = "de_opt_u32_pair")]
    pub cfpa_ping_pong: Option<(u32, u32)>,
    /// CMPA page.
    #[serde(deserialize_with = "de_u32")]
    pub cmpa: u32,
    /// Offset of the CFPA version word inside the CFPA page.
    #[serde(deserialize_with = "de_u32")]
    pub cfpa_version_offset: u32,
}

/// The FlexSPI NOR window (memory ID 9), usable after `configure-memory 9`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlexSpiNor {
    /// The AHB window the NOR is mapped to.
    pub window: Window,
    /// NOR size assumed when the configuration does not give one.
    #[serde(deserialize_with = "de_u32")]
    pub default_size: u32,
    /// Page size (program unit) of the simulated NOR.
    #[serde(deserialize_with = "de_u32")]
    pub page_size: u32,
    /// Sector size (smallest erase).
    #[serde(deserialize_with = "de_u32")]
    pub sector_size: u32,
    /// Block size (large erase).
    #[serde(deserialize_with = "de_u32")]
    pub block_size: u32,
}

/// One-time-programmable fuse words (`efuse-program-once`/`efuse-read-once`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Otp {
    /// Number of 32-bit fuse words (valid indices are `0..words`).
    #[serde(deserialize_with = "de_u32")]
    pub words: u32,
}

/// Where `key-provisioning write_key_nonvolatile <memory_id>` puts the key store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NvKeyStore {
    /// Memory ID argument of the command.
    #[serde(deserialize_with = "de_u32")]
    pub memory_id: u32,
    /// Address of the key store blob.
    #[serde(deserialize_with = "de_u32")]
    pub address: u32,
}

/// The PUF key store of `key-provisioning`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyStore {
    /// Size of the key store blob (`read_key_store`/`write_key_store`).
    #[serde(deserialize_with = "de_u32")]
    pub size: u32,
    /// Non-volatile locations by memory ID.
    pub nv: Vec<NvKeyStore>,
}

/// Durations the ROM spends on flash work before it answers (the simulator's timing
/// model; scaled by `devsim --time-scale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// Programming one internal flash page, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub flash_program_page_us: u32,
    /// Erasing one internal flash erase unit, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub flash_erase_unit_us: u32,
    /// Erasing all internal flash, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub flash_erase_all_us: u32,
    /// Programming one FlexSPI NOR page, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub nor_program_page_us: u32,
    /// Erasing one FlexSPI NOR sector, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub nor_erase_sector_us: u32,
    /// Erasing one FlexSPI NOR block, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub nor_erase_block_us: u32,
    /// Programming one OTP word, in microseconds.
    #[serde(deserialize_with = "de_u32")]
    pub otp_program_word_us: u32,
}

/// Where a secure-boot value lives in the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// The CMPA page; `offset` is a byte offset into the page.
    Cmpa,
    /// The (active) CFPA page; `offset` is a byte offset into the page.
    Cfpa,
    /// OTP fuses; `offset` is a fuse word index.
    Otp,
}

/// How a [`Field`] of several words is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// The bit field of the first word.
    #[default]
    Value,
    /// A thermometer counter: the number of set bits of the field over all words.
    Ones,
}

/// A value in CMPA, CFPA or OTP: `words` words from `offset`, bits `shift..shift+width` of
/// each.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Where.
    pub area: Area,
    /// Byte offset (CMPA/CFPA) or fuse word index (OTP).
    #[serde(deserialize_with = "de_u32")]
    pub offset: u32,
    /// First bit.
    #[serde(default)]
    pub shift: u32,
    /// Bit width (default 32).
    #[serde(default = "default_width")]
    pub width: u32,
    /// Number of words (default 1).
    #[serde(default = "default_one")]
    pub words: u32,
    /// How the words combine.
    #[serde(default)]
    pub kind: FieldKind,
    /// For `sec_boot_en`: the minimum image authentication each value demands
    /// (`any`, `crc`, `signed`).
    #[serde(default)]
    pub levels: Vec<String>,
}

fn default_width() -> u32 {
    32
}

fn default_one() -> u32 {
    1
}

/// Where the root key table hash lives: CMPA `ROTKH` or OTP `RKTH` words, in digest order
/// (a SHA-256 RKTH fills the first 32 bytes, the rest stays zero).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RkthField {
    /// CMPA or OTP.
    pub area: Area,
    /// Byte offset in the CMPA page, or the first fuse word (word i holds digest bytes
    /// 4i..4i+4, little-endian).
    #[serde(deserialize_with = "de_u32")]
    pub offset: u32,
    /// Field size in bytes (48: room for a SHA-384 RKTH).
    #[serde(deserialize_with = "de_u32")]
    pub size: u32,
}

/// SB3.1 facts of a family (SPSDK database `sb31`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sb31Info {
    /// Command names (SPSDK config keys) the ROM's SB3.1 loader supports.
    pub commands: Vec<String>,
    /// loadKeyBlob wrap ids of `NXP_CUST_KEK_INT_SK` and `NXP_CUST_KEK_EXT_SK`.
    pub key_wrap_ids: (u16, u16),
}

/// SB2.1 facts of a family (SPSDK database `sb21`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sb21Info {
    /// Command names (SPSDK sb21 config keys) the family's SB2.1 loader supports.
    pub commands: Vec<String>,
    /// True when the family takes OTFAD key blobs (`keyblobs`, `keywrap`, `encrypt`).
    pub keyblobs: bool,
}

/// How a family's images handle TrustZone-M (flags bits 14:13: 0 ROM default preset,
/// 1 custom preset embedded, 2 disabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrustZoneMode {
    /// TrustZone is always on (cert block v2.1 families: no `enableTrustZone` key; type 0 or 1).
    #[default]
    Mandatory,
    /// `enableTrustZone` (default false: type 2); a preset that differs from the reset values
    /// is embedded (type 1), else type 0 (cert block v1 families).
    Optional,
    /// No TrustZone-M preset support: type 2 only (LPC55S2x).
    None,
}

/// MBI facts of a family (SPSDK database `mbi`).
///
/// The per-image lists (`hw_user_keys`, `reloc_table`, `hmac`) name images as
/// `target/auth` (`xip/plain`, `load_to_ram/signed`, ...): the SPSDK image classes that carry
/// the mixin.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MbiInfo {
    /// Manifest flavour of cert-block-v2.1 images: `plain` or `crc` (MCX N: a CRC-32/MPEG-2
    /// word ends the manifest); absent for cert-block-v1 families (no manifest).
    #[serde(default)]
    pub manifest: Option<String>,
    /// True when the IVT carries the image subtype (`outputImageSubtype`).
    pub subtype: bool,
    /// Authentications per execution target (`xip`, `load_to_ram`): `plain`, `crc`, `signed`.
    pub targets: std::collections::BTreeMap<String, Vec<String>>,
    /// Size of a TrustZone-M preset (0: the family has none).
    #[serde(deserialize_with = "de_u32")]
    pub tz_preset_size: u32,
    /// Required alignment of an input image's base address.
    #[serde(deserialize_with = "de_u32")]
    pub app_align: u32,
    /// TrustZone handling.
    #[serde(default)]
    pub trust_zone: TrustZoneMode,
    /// The preset register set in `tz_presets.json` (every family with a preset): register
    /// names for YAML presets and the reset values that decide whether a preset is custom.
    #[serde(default)]
    pub tz_registers: Option<String>,
    /// Signed load-to-RAM images carry the signed XIP type 0x04 (SPSDK database: LPC55Sxx)
    /// instead of 0x01.
    #[serde(default)]
    pub signed_ram_type_xip: bool,
    /// Images whose flags carry `enableHwUserModeKeys` (0x1000).
    #[serde(default)]
    pub hw_user_keys: Vec<String>,
    /// Images that may carry a relocation table (`applicationTable`, flag 0x800).
    #[serde(default)]
    pub reloc_table: Vec<String>,
    /// Images with a 32-byte HMAC (and an optional 1424-byte key store, flag 0x8000) at 0x40.
    #[serde(default)]
    pub hmac: Vec<String>,
}

impl MbiInfo {
    /// True when the family builds `target`/`auth` images (`xip`, `load_to_ram`; `plain`,
    /// `crc`, `signed`).
    pub fn supports(&self, target: &str, auth: &str) -> bool {
        self.targets
            .get(target)
            .is_some_and(|v| v.iter().any(|a| a == auth))
    }

    /// True when `list` (one of the per-image lists) names `target/auth`.
    pub fn applies(list: &[String], target: &str, auth: &str) -> bool {
        list.iter().any(|e| {
            e.split_once('/')
                .is_some_and(|(t, a)| t == target && a == auth)
        })
    }
}

/// Secure-boot facts: where the ROM looks for its root of trust, counters and image.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecureBoot {
    /// Sources and inferred values.
    #[serde(rename = "_note", default)]
    pub note: Option<String>,
    /// Certificate block version: `"1"` (RSA, X.509; SB2.1 families) or `"2.1"` (ECC; SB3.1).
    pub cert_block: String,
    /// Chain certificates must be RSA-2048 (SPSDK database `cert_block.chain_cert_rsa2048_only`,
    /// LPC55S1x).
    #[serde(default)]
    pub chain_rsa2048_only: bool,
    /// The RKTH field.
    pub rkth: RkthField,
    /// Secure-boot enforcement field and what each value demands.
    pub sec_boot_en: Option<Field>,
    /// The secure firmware version counter (SB3.1 rollback, MBI manifest).
    pub secure_fw_version: Option<Field>,
    /// The non-secure firmware version counter.
    pub nonsecure_fw_version: Option<Field>,
    /// Lifecycle state (values >= 0x07 are in-field: only signed images boot).
    pub lifecycle: Option<Field>,
    /// Address of the boot image.
    #[serde(deserialize_with = "de_u32")]
    pub boot_address: u32,
    /// The OTP master key (RT5xx/6xx `OTP_MASTER_KEY` fuse words, digest order as for the
    /// RKTH) that the MBI HMAC key is derived from.
    #[serde(default)]
    pub otp_master_key: Option<RkthField>,
    /// SB3.1 loader (SB3.1 families).
    #[serde(default)]
    pub sb31: Option<Sb31Info>,
    /// Master boot image.
    pub mbi: MbiInfo,
}

/// One MCU family.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// Canonical name (lowercase, SPSDK's device name).
    pub name: String,
    /// Other names accepted by [`family`] (case-insensitive).
    pub aliases: Vec<String>,
    /// One line for listings.
    pub description: String,
    /// Sources and inferred values.
    #[serde(rename = "_note", default)]
    pub note: Option<String>,
    /// USB IDs of the ROM bootloader.
    pub usb: UsbId,
    /// UART protocol version in the ping response, as text (`"P1.3.0"`).
    pub protocol_version: String,
    /// Property 1 (CurrentVersion), e.g. 0x4B030000 = K3.0.0.
    #[serde(deserialize_with = "de_u32")]
    pub current_version: u32,
    /// Property 24 (TargetVersion).
    #[serde(deserialize_with = "de_u32")]
    pub target_version: u32,
    /// Property 16 (SystemDeviceIdent).
    #[serde(deserialize_with = "de_u32")]
    pub system_device_id: u32,
    /// Property 2 (AvailablePeripherals) bit mask.
    #[serde(deserialize_with = "de_u32")]
    pub peripherals: u32,
    /// Property 18 (UniqueDeviceIdent) words.
    #[serde(deserialize_with = "de_u32_vec")]
    pub unique_id: Vec<u32>,
    /// Property 17 (FlashSecurityState) of a fresh chip.
    #[serde(deserialize_with = "de_u32")]
    pub security_state: u32,
    /// Property 8 (CrcCheckStatus) of a chip without an application.
    #[serde(deserialize_with = "de_u32")]
    pub crc_check_status: u32,
    /// Secure binary version the ROM loads (`"2.1"` or `"3.1"`).
    pub sb_version: String,
    /// Command tags the ROM implements (names as SPSDK spells them, or numbers).
    #[serde(deserialize_with = "de_commands")]
    pub commands: Vec<u8>,
    /// Property 11 per interface.
    pub max_packet: MaxPacket,
    /// The RAM buffer host tools use for TP and device-HSM exchanges.
    pub comm_buffer: Window,
    /// Internal flash regions (empty for flashless parts).
    pub flash: Vec<FlashRegion>,
    /// RAM regions, in the order properties 14/15 report them.
    pub ram: Vec<Window>,
    /// Address aliases.
    pub mirrors: Vec<Mirror>,
    /// Property 12 (ReservedRegions).
    pub reserved: Vec<Reserved>,
    /// Ranges the ROM refuses to read.
    pub read_rules: Vec<ReadRule>,
    /// Protected flash region layout, where the family has one.
    pub pfr: Option<Pfr>,
    /// FlexSPI NOR window, where the family has one.
    pub flexspi: Option<FlexSpiNor>,
    /// OTP fuses, where the ROM exposes them over ISP.
    pub otp: Option<Otp>,
    /// PUF key store, where the ROM implements key provisioning.
    pub key_store: Option<KeyStore>,
    /// Timing model.
    pub timing: Timing,
    /// Secure boot, SB3.1 and MBI facts (SB3.1 families).
    #[serde(default)]
    pub secure_boot: Option<SecureBoot>,
    /// SB2.1 loader facts (SB2.1 families).
    #[serde(default)]
    pub sb21: Option<Sb21Info>,
}

impl Family {
    /// True when the ROM implements command `tag`.
    pub fn has_command(&self, tag: CommandTag) -> bool {
        self.commands.contains(&tag.0)
    }

    /// Property 7 (AvailableCommands): bit `tag - 1` per implemented command.
    pub fn available_commands(&self) -> u32 {
        self.commands
            .iter()
            .fold(0, |m, &t| m | CommandTag(t).available_commands_bit())
    }

    /// The ping response version bytes in wire order (`[bugfix, minor, major, name]`),
    /// or `None` if [`Family::protocol_version`] is not of the form `P1.3.0`.
    pub fn protocol_version_bytes(&self) -> Option<[u8; 4]> {
        let mut chars = self.protocol_version.chars();
        let name = chars.next().filter(char::is_ascii_uppercase)?;
        let rest: Vec<u8> = chars
            .as_str()
            .split('.')
            .map(|p| p.parse::<u8>().ok())
            .collect::<Option<_>>()?;
        match rest.as_slice() {
            [major, minor, bugfix] => Some([*bugfix, *minor, *major, name as u8]),
            _ => None,
        }
    }

    /// True when `name` is this family's name or one of its aliases (case-insensitive).
    pub fn matches(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    /// Checks that the record holds together: regions do not overlap, sizes divide,
    /// the comm buffer and reserved regions lie in RAM, and so on.
    pub fn validate(&self) -> Result<(), InvalidFamily> {
        let err = |what: String| InvalidFamily {
            family: self.name.clone(),
            what,
        };
        if self.name != self.name.to_ascii_lowercase() || self.name.is_empty() {
            return Err(err("name must be lowercase and non-empty".into()));
        }
        if self.protocol_version_bytes().is_none() {
            return Err(err(format!(
                "bad protocol_version {:?}",
                self.protocol_version
            )));
        }
        if self.sb_version != "2.1" && self.sb_version != "3.1" {
            return Err(err(format!("bad sb_version {:?}", self.sb_version)));
        }
        if (self.sb_version == "2.1") != self.sb21.is_some() {
            return Err(err("SB2.1 families (and only they) carry `sb21`".into()));
        }
        for must in [
            CommandTag::GET_PROPERTY,
            CommandTag::READ_MEMORY,
            CommandTag::RESET,
        ] {
            if !self.has_command(must) {
                return Err(err(format!("commands lack {must}")));
            }
        }
        if self.unique_id.is_empty() {
            return Err(err("unique_id is empty".into()));
        }
        if self.max_packet.uart < 32 || self.max_packet.usb < 32 {
            return Err(err("max_packet below the protocol minimum of 32".into()));
        }
        if self.max_packet.uart > 8192 || self.max_packet.usb > 1020 {
            return Err(err("max_packet above what the framing carries".into()));
        }
        let pow2 = |v: u32| v != 0 && v.is_power_of_two();
        let mut windows: Vec<(String, Window)> = Vec::new();
        for (i, f) in self.flash.iter().enumerate() {
            if !pow2(f.page_size) || !pow2(f.sector_size) || !pow2(f.erase_size) {
                return Err(err(format!("flash {i}: sizes must be powers of two")));
            }
            if f.erase_size % f.page_size != 0 || f.size % f.erase_size != 0 {
                return Err(err(format!(
                    "flash {i}: page, erase unit and size do not divide"
                )));
            }
            if f.start % f.erase_size != 0 {
                return Err(err(format!("flash {i}: start not erase-aligned")));
            }
            windows.push((format!("flash {i}"), f.window()));
        }
        for (i, r) in self.ram.iter().enumerate() {
            if r.size == 0 {
                return Err(err(format!("ram {i} is empty")));
            }
            windows.push((format!("ram {i}"), *r));
        }
        if let Some(p) = &self.pfr {
            if !pow2(p.page_size) || p.window.start % p.page_size != 0 {
                return Err(err("pfr page size".into()));
            }
            let mut pages = vec![p.cfpa, p.cmpa];
            if let Some((a, b)) = p.cfpa_ping_pong {
                pages.extend([a, b]);
            }
            for pg in pages {
                if !p.window.contains(pg, u64::from(p.page_size)) || pg % p.page_size != 0 {
                    return Err(err(format!("pfr page 0x{pg:X} outside the window")));
                }
            }
            if p.cfpa_version_offset + 4 > p.page_size {
                return Err(err("cfpa_version_offset outside the page".into()));
            }
            windows.push(("pfr".into(), p.window));
        }
        if let Some(x) = &self.flexspi {
            if !pow2(x.page_size) || !pow2(x.sector_size) || !pow2(x.block_size) {
                return Err(err("flexspi sizes must be powers of two".into()));
            }
            if x.default_size > x.window.size || x.default_size % x.block_size != 0 {
                return Err(err("flexspi default_size".into()));
            }
            windows.push(("flexspi".into(), x.window));
        }
        for (i, a) in windows.iter().enumerate() {
            for b in &windows[i + 1..] {
                if u64::from(a.1.start) < b.1.end() && u64::from(b.1.start) < a.1.end() {
                    return Err(err(format!("{} overlaps {}", a.0, b.0)));
                }
            }
        }
        for m in &self.mirrors {
            let alias = Window {
                start: m.start,
                size: m.size,
            };
            if windows
                .iter()
                .any(|(_, w)| u64::from(w.start) < alias.end() && u64::from(alias.start) < w.end())
            {
                return Err(err(format!("mirror 0x{:X} overlaps a region", m.start)));
            }
            let target_ok = windows.iter().any(|(_, w)| {
                u64::from(m.target) < w.end()
                    && u64::from(m.target) + u64::from(m.size) > u64::from(w.start)
            });
            if !target_ok {
                return Err(err(format!("mirror 0x{:X} points at no region", m.start)));
            }
        }
        for r in &self.reserved {
            if r.end < r.start {
                return Err(err(format!("reserved 0x{:X}: end before start", r.start)));
            }
        }
        let cb = self.comm_buffer;
        if !self
            .ram
            .iter()
            .any(|r| r.contains(cb.start, u64::from(cb.size)))
            && !self.mirrors.iter().any(|m| {
                Window {
                    start: m.start,
                    size: m.size,
                }
                .contains(cb.start, u64::from(cb.size))
            })
        {
            return Err(err("comm_buffer outside RAM".into()));
        }
        if let Some(k) = &self.key_store {
            if k.size == 0 || k.nv.is_empty() {
                return Err(err("key_store needs a size and a location".into()));
            }
            if !self.has_command(CommandTag::KEY_PROVISIONING) {
                return Err(err("key_store without the KeyProvisioning command".into()));
            }
        }
        if self.otp.is_some()
            != (self.has_command(CommandTag::FLASH_PROGRAM_ONCE)
                && self.has_command(CommandTag::FLASH_READ_ONCE))
        {
            return Err(err(
                "otp and FlashProgramOnce/FlashReadOnce must go together".into(),
            ));
        }
        if self.flexspi.is_some() && !self.has_command(CommandTag::CONFIGURE_MEMORY) {
            return Err(err("flexspi without the ConfigureMemory command".into()));
        }
        if let Some(sb) = &self.secure_boot {
            self.validate_secure_boot(sb).map_err(err)?;
        }
        Ok(())
    }

    fn validate_secure_boot(&self, sb: &SecureBoot) -> Result<(), String> {
        validate_secure_boot(
            &self.sb_version,
            sb,
            self.pfr.as_ref().map(|p| p.page_size),
            self.otp.map(|o| o.words),
        )
    }
}

/// The `secure_boot` rules, for device and image families (`page`: PFR page size, `otp_words`:
/// fuse words of the family whose areas the fields point into).
fn validate_secure_boot(
    sb_version: &str,
    sb: &SecureBoot,
    page: Option<u32>,
    otp_words: Option<u32>,
) -> Result<(), String> {
    let v1 = match (sb_version, sb.cert_block.as_str()) {
        ("3.1", "2.1") => false,
        ("2.1", "1") => true,
        _ => {
            return Err(
                "secure_boot needs sb_version 3.1 with cert_block 2.1, or 2.1 with cert_block 1"
                    .into(),
            );
        }
    };
    let fits = |area: Area, offset: u32, bytes: u32| -> bool {
        match area {
            Area::Cmpa | Area::Cfpa => page.is_some_and(|p| offset + bytes <= p),
            Area::Otp => otp_words.is_some_and(|w| offset + bytes.div_ceil(4) <= w),
        }
    };
    if !fits(sb.rkth.area, sb.rkth.offset, sb.rkth.size)
        || sb.rkth.area == Area::Cfpa
        || sb.rkth.size < 32
    {
        return Err("secure_boot.rkth does not fit the CMPA/OTP".into());
    }
    if let Some(k) = &sb.otp_master_key {
        if k.area != Area::Otp || k.size != 32 || !fits(k.area, k.offset, k.size) {
            return Err("secure_boot.otp_master_key: 32 bytes of OTP".into());
        }
    }
    let fields = [
        ("sec_boot_en", &sb.sec_boot_en),
        ("secure_fw_version", &sb.secure_fw_version),
        ("nonsecure_fw_version", &sb.nonsecure_fw_version),
        ("lifecycle", &sb.lifecycle),
    ];
    for (name, f) in fields {
        let Some(f) = f else { continue };
        if f.width == 0 || f.width > 32 || f.shift + f.width > 32 || f.words == 0 {
            return Err(format!("secure_boot.{name}: bad bit field"));
        }
        if !fits(f.area, f.offset, 4 * f.words) {
            return Err(format!("secure_boot.{name} does not fit its area"));
        }
        if f.levels
            .iter()
            .any(|l| !["any", "crc", "signed"].contains(&l.as_str()))
        {
            return Err(format!("secure_boot.{name}: levels are any, crc or signed"));
        }
    }
    const SB31_COMMANDS: &[&str] = &[
        "erase",
        "load",
        "execute",
        "call",
        "programFuses",
        "programIFR",
        "loadCMAC",
        "copy",
        "loadHashLocking",
        "loadKeyBlob",
        "configureMemory",
        "fillMemory",
        "checkFwVersion",
        "reset",
    ];
    match (&sb.sb31, v1) {
        (Some(sb31), false) => {
            if let Some(c) = sb31
                .commands
                .iter()
                .find(|c| !SB31_COMMANDS.contains(&c.as_str()))
            {
                return Err(format!("secure_boot.sb31: unknown command {c}"));
            }
        }
        (None, true) => {}
        _ => return Err("secure_boot.sb31 belongs to (and only to) SB3.1 families".into()),
    }
    validate_mbi(&sb.mbi, v1).map_err(|e| format!("secure_boot.mbi: {e}"))
}

fn validate_mbi(mbi: &MbiInfo, v1: bool) -> Result<(), String> {
    const IMAGES: &[(&str, &[&str])] = &[
        ("xip", &["plain", "crc", "signed"]),
        ("load_to_ram", &["plain", "crc", "signed"]),
    ];
    for (t, auths) in &mbi.targets {
        let ok = IMAGES
            .iter()
            .any(|(n, a)| n == t && auths.iter().all(|x| a.contains(&x.as_str())));
        if !ok {
            return Err(format!("targets.{t}: bad entry"));
        }
    }
    match (&mbi.manifest, v1) {
        (Some(m), false) if m == "plain" || m == "crc" => {}
        (None, true) => {}
        _ => return Err("manifest is plain or crc for cert block 2.1, absent for 1".into()),
    }
    let lists = [
        ("hw_user_keys", &mbi.hw_user_keys),
        ("reloc_table", &mbi.reloc_table),
        ("hmac", &mbi.hmac),
    ];
    for (name, list) in lists {
        if !v1 && !list.is_empty() {
            return Err(format!("{name} is a cert-block-v1 feature"));
        }
        for e in list {
            let ok = e.split_once('/').is_some_and(|(t, a)| mbi.supports(t, a));
            if !ok {
                return Err(format!("{name}: {e} is not an image of the family"));
            }
        }
    }
    if mbi.hmac.iter().any(|e| !e.ends_with("/signed")) {
        return Err("hmac: only signed images carry one".into());
    }
    if mbi.signed_ram_type_xip && !v1 {
        return Err("signed_ram_type_xip is a cert-block-v1 feature".into());
    }
    match (mbi.trust_zone, v1) {
        (TrustZoneMode::Mandatory, false) | (TrustZoneMode::Optional, true) => {
            let name = mbi
                .tz_registers
                .as_deref()
                .ok_or("a TrustZone preset needs tz_registers")?;
            let regs = crate::mbi::tz::registers(name)
                .ok_or_else(|| format!("tz_registers: unknown register set {name}"))?;
            if regs.len() * 4 != mbi.tz_preset_size as usize {
                return Err(format!(
                    "tz_preset_size {} is not 4 x {} registers of {name}",
                    mbi.tz_preset_size,
                    regs.len()
                ));
            }
        }
        (TrustZoneMode::None, true) => {
            if mbi.tz_preset_size != 0 || mbi.tz_registers.is_some() {
                return Err("no TrustZone: no preset".into());
            }
        }
        _ => return Err("trust_zone: mandatory for cert block 2.1; optional or none for 1".into()),
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Database {
    #[serde(rename = "_note", default)]
    _note: Option<String>,
    families: Vec<Family>,
    #[serde(default)]
    image_families: Vec<ImageFamilyRecord>,
}

/// An image-only family in `families.json`: a chip whose images the tools build and check
/// (MBI, SB2.1, certificate blocks) but that the simulator does not pretend to be. Its facts
/// are those of the device family `like`, with `overrides` deep-merged onto that family's
/// `sb_version`, `secure_boot` and `sb21` (objects merge key by key, anything else replaces).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageFamilyRecord {
    name: String,
    aliases: Vec<String>,
    description: String,
    #[serde(rename = "_note", default)]
    note: Option<String>,
    like: String,
    /// CMPA page address when it differs from `like`'s.
    #[serde(default, deserialize_with = "de_opt_u32")]
    cmpa: Option<u32>,
    #[serde(default)]
    overrides: serde_json::Map<String, serde_json::Value>,
}

/// What the image tools need to know about a family (simulated or image-only): its secure
/// boot, MBI and SB2.1 facts. [`image_family`] finds one by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFamily {
    /// Canonical name (lowercase, SPSDK's device name).
    pub name: String,
    /// Other accepted names.
    pub aliases: Vec<String>,
    /// One line for listings.
    pub description: String,
    /// Sources and inferred values.
    pub note: Option<String>,
    /// The simulated family this is; `None` for image-only families.
    pub device: Option<&'static Family>,
    /// Secure binary version the ROM loads (`"2.1"` or `"3.1"`).
    pub sb_version: String,
    /// Secure boot, MBI (and SB3.1) facts.
    pub secure_boot: Option<SecureBoot>,
    /// SB2.1 loader facts.
    pub sb21: Option<Sb21Info>,
    /// Address of the CMPA page, where the family has one (a CMPA-held RKTH lives there).
    pub cmpa: Option<u32>,
}

impl ImageFamily {
    /// True when `name` is this family's name or one of its aliases (case-insensitive).
    pub fn matches(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    fn of_device(f: &'static Family) -> ImageFamily {
        ImageFamily {
            name: f.name.clone(),
            aliases: f.aliases.clone(),
            description: f.description.clone(),
            note: f.note.clone(),
            device: Some(f),
            sb_version: f.sb_version.clone(),
            secure_boot: f.secure_boot.clone(),
            sb21: f.sb21.clone(),
            cmpa: f.pfr.as_ref().map(|p| p.cmpa),
        }
    }
}

/// The facts the MBI code needs, from a simulated [`Family`] or an [`ImageFamily`].
pub trait SecureBootFacts {
    /// Canonical family name.
    fn family_name(&self) -> &str;
    /// Secure boot and MBI facts.
    fn secure_boot_facts(&self) -> Option<&SecureBoot>;
}

impl SecureBootFacts for Family {
    fn family_name(&self) -> &str {
        &self.name
    }
    fn secure_boot_facts(&self) -> Option<&SecureBoot> {
        self.secure_boot.as_ref()
    }
}

impl SecureBootFacts for ImageFamily {
    fn family_name(&self) -> &str {
        &self.name
    }
    fn secure_boot_facts(&self) -> Option<&SecureBoot> {
        self.secure_boot.as_ref()
    }
}

impl<T: SecureBootFacts + ?Sized> SecureBootFacts for &T {
    fn family_name(&self) -> &str {
        (**self).family_name()
    }
    fn secure_boot_facts(&self) -> Option<&SecureBoot> {
        (**self).secure_boot_facts()
    }
}

type Parsed = (Vec<Family>, Vec<ImageFamilyRecord>);

fn parsed() -> &'static Result<Parsed, String> {
    static DB: OnceLock<Result<Parsed, String>> = OnceLock::new();
    DB.get_or_init(|| {
        serde_json::from_str::<Database>(DATA)
            .map(|d| (d.families, d.image_families))
            .map_err(|e| format!("provkit/data/families.json: {e}"))
    })
}

/// Every family, or why the embedded database did not parse (a build defect, caught by
/// the unit tests).
pub fn try_all() -> Result<&'static [Family], &'static str> {
    match parsed() {
        Ok(v) => Ok(v.0.as_slice()),
        Err(e) => Err(e.as_str()),
    }
}

/// Every family (empty if the embedded database is broken; see [`try_all`]).
pub fn all() -> &'static [Family] {
    try_all().unwrap_or(&[])
}

/// Looks a family up by name or alias, ignoring case.
pub fn family(name: &str) -> Option<&'static Family> {
    all().iter().find(|f| f.matches(name.trim()))
}

/// The canonical names, in database order.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|f| f.name.as_str()).collect()
}

fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

fn resolve(rec: &ImageFamilyRecord) -> Result<ImageFamily, String> {
    let err = |e: String| format!("image family {}: {e}", rec.name);
    let like = family(&rec.like).ok_or_else(|| err(format!("unknown family {}", rec.like)))?;
    // The like family's facts as JSON, so that overrides can reach any nested field.
    let raw: serde_json::Value = serde_json::from_str(DATA).map_err(|e| err(e.to_string()))?;
    let like_raw = raw
        .get("families")
        .and_then(|f| f.as_array())
        .and_then(|a| {
            a.iter()
                .find(|f| f.get("name") == Some(&like.name.clone().into()))
        })
        .ok_or_else(|| err("like family not in the JSON".into()))?;
    let mut base = serde_json::Value::Object(serde_json::Map::new());
    for key in ["sb_version", "secure_boot", "sb21"] {
        if let (Some(v), serde_json::Value::Object(m)) = (like_raw.get(key), &mut base) {
            m.insert(key.into(), v.clone());
        }
    }
    for k in rec.overrides.keys() {
        if !["sb_version", "secure_boot", "sb21"].contains(&k.as_str()) {
            return Err(err(format!(
                "overrides.{k}: only sb_version, secure_boot, sb21"
            )));
        }
    }
    merge(&mut base, &serde_json::Value::Object(rec.overrides.clone()));
    let get = |k: &str| base.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let sb_version: String =
        serde_json::from_value(get("sb_version")).map_err(|e| err(e.to_string()))?;
    let secure_boot: Option<SecureBoot> =
        serde_json::from_value(get("secure_boot")).map_err(|e| err(format!("secure_boot: {e}")))?;
    let sb21: Option<Sb21Info> =
        serde_json::from_value(get("sb21")).map_err(|e| err(format!("sb21: {e}")))?;
    let f = ImageFamily {
        name: rec.name.clone(),
        aliases: rec.aliases.clone(),
        description: rec.description.clone(),
        note: rec.note.clone(),
        device: None,
        sb_version,
        secure_boot,
        sb21,
        cmpa: rec.cmpa.or_else(|| like.pfr.as_ref().map(|p| p.cmpa)),
    };
    if (f.sb_version == "2.1") != f.sb21.is_some() {
        return Err(err("SB2.1 families (and only they) carry `sb21`".into()));
    }
    if let Some(sb) = &f.secure_boot {
        validate_secure_boot(
            &f.sb_version,
            sb,
            like.pfr.as_ref().map(|p| p.page_size),
            like.otp.map(|o| o.words),
        )
        .map_err(err)?;
    }
    Ok(f)
}

fn image_parsed() -> &'static Result<Vec<ImageFamily>, String> {
    static DB: OnceLock<Result<Vec<ImageFamily>, String>> = OnceLock::new();
    DB.get_or_init(|| {
        let (devices, records) = parsed().as_ref().map_err(Clone::clone)?;
        let mut out: Vec<ImageFamily> = devices.iter().map(ImageFamily::of_device).collect();
        for r in records {
            out.push(resolve(r)?);
        }
        Ok(out)
    })
}

/// Every family the image tools know (simulated ones first, then image-only ones), or why
/// the database did not resolve (a build defect, caught by the unit tests).
pub fn try_image_families() -> Result<&'static [ImageFamily], &'static str> {
    match image_parsed() {
        Ok(v) => Ok(v.as_slice()),
        Err(e) => Err(e.as_str()),
    }
}

/// Every image family (empty if the database is broken; see [`try_image_families`]).
pub fn image_families() -> &'static [ImageFamily] {
    try_image_families().unwrap_or(&[])
}

/// Looks an image family (simulated or image-only) up by name or alias, ignoring case.
pub fn image_family(name: &str) -> Option<&'static ImageFamily> {
    image_families().iter().find(|f| f.matches(name.trim()))
}

// ---- number parsing for the JSON file ----

#[derive(Deserialize)]
#[serde(untagged)]
enum Num {
    Int(u64),
    Text(String),
}

fn parse_num(text: &str) -> Option<u64> {
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    let lower = t.to_ascii_lowercase();
    if let Some(h) = lower.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        u64::from_str_radix(b, 2).ok()
    } else {
        lower.parse().ok()
    }
}

fn num_to_u64<E: serde::de::Error>(n: Num) -> Result<u64, E> {
    match n {
        Num::Int(v) => Ok(v),
        Num::Text(s) => parse_num(&s).ok_or_else(|| E::custom(format!("not a number: {s:?}"))),
    }
}

fn de_u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = num_to_u64(Num::deserialize(d)?)?;
    u32::try_from(v).map_err(|_| serde::de::Error::custom(format!("{v:#x} does not fit 32 bits")))
}

fn de_u16<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    let v = num_to_u64(Num::deserialize(d)?)?;
    u16::try_from(v).map_err(|_| serde::de::Error::custom(format!("{v:#x} does not fit 16 bits")))
}

fn de_opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match Option::<Num>::deserialize(d)? {
        None => Ok(None),
        Some(n) => {
            let v = num_to_u64(n)?;
            u32::try_from(v)
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("{v:#x} does not fit 32 bits")))
        }
    }
}

fn de_u32_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
    Vec::<Num>::deserialize(d)?
        .into_iter()
        .map(|n| {
            let v = num_to_u64(n)?;
            u32::try_from(v)
                .map_err(|_| serde::de::Error::custom(format!("{v:#x} does not fit 32 bits")))
        })
        .collect()
}

fn de_opt_u32_pair<'de, D: Deserializer<'de>>(d: D) -> Result<Option<(u32, u32)>, D::Error> {
    match Option::<Vec<Num>>::deserialize(d)? {
        None => Ok(None),
        Some(v) => {
            let mut out = Vec::with_capacity(2);
            for n in v {
                let x = num_to_u64(n)?;
                out.push(u32::try_from(x).map_err(|_| {
                    serde::de::Error::custom(format!("{x:#x} does not fit 32 bits"))
                })?);
            }
            match out.as_slice() {
                [a, b] => Ok(Some((*a, *b))),
                _ => Err(serde::de::Error::custom("expected two addresses")),
            }
        }
    }
}

fn de_commands<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let items = Vec::<Num>::deserialize(d)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let tag = match item {
            Num::Int(v) => u8::try_from(v).ok(),
            Num::Text(s) => CommandTag::ALL
                .iter()
                .find(|t| t.name().is_some_and(|n| n.eq_ignore_ascii_case(s.trim())))
                .map(|t| t.0)
                .or_else(|| parse_num(&s).and_then(|v| u8::try_from(v).ok())),
        };
        match tag {
            Some(t) if (1..=32).contains(&t) => {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
            _ => return Err(serde::de::Error::custom("unknown command in `commands`")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_parses_and_every_family_is_consistent() {
        let all = try_all().unwrap();
        assert!(all.len() >= 5);
        for f in all {
            f.validate().unwrap();
        }
        let mut names: Vec<&str> = Vec::new();
        for f in all {
            for n in std::iter::once(&f.name).chain(&f.aliases) {
                let n = n.as_str();
                assert!(
                    !names.iter().any(|m| m.eq_ignore_ascii_case(n)),
                    "duplicate name {n}"
                );
                names.push(n);
            }
        }
    }

    #[test]
    fn image_families_resolve_validate_and_have_unique_names() {
        let all = try_image_families().unwrap();
        let mut names: Vec<&str> = Vec::new();
        for f in all {
            for n in std::iter::once(&f.name).chain(&f.aliases) {
                assert!(
                    !names.iter().any(|m| m.eq_ignore_ascii_case(n)),
                    "duplicate name {n}"
                );
                names.push(n);
            }
            // Simulated families are exactly the device records.
            assert_eq!(f.device.is_some(), family(&f.name).is_some(), "{}", f.name);
        }
        let image_only: Vec<&str> = all
            .iter()
            .filter(|f| f.device.is_none())
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            image_only,
            [
                "lpc55s06",
                "lpc55s16",
                "lpc55s26",
                "mimxrt533s",
                "mimxrt555s",
                "mimxrt685s"
            ]
        );
        // Image-only names never reach the simulator's lookup.
        for n in ["lpc55s16", "lpc55s04", "mimxrt685s", "rt6xx"] {
            assert!(family(n).is_none(), "{n}");
            assert!(image_family(n).is_some(), "{n}");
        }
        let v1 = |n: &str| image_family(n).unwrap().secure_boot.clone().unwrap();
        let s16 = v1("lpc55s16");
        assert!(s16.chain_rsa2048_only && s16.sb31.is_none());
        assert_eq!(s16.mbi.tz_preset_size, 412);
        assert_eq!(image_family("lpc55s16").unwrap().cmpa, Some(0x3E400));
        assert_eq!(image_family("lpc55s26").unwrap().cmpa, Some(0x9E400));
        assert_eq!(v1("lpc55s26").mbi.trust_zone, TrustZoneMode::None);
        assert_eq!(v1("mimxrt685s").mbi.tz_registers.as_deref(), Some("rt6xx"));
        assert_eq!(v1("mimxrt555s").mbi, v1("mimxrt595s").mbi);
        assert!(
            image_family("mimxrt533s")
                .unwrap()
                .sb21
                .as_ref()
                .unwrap()
                .keyblobs
        );
    }

    #[test]
    fn secure_boot_facts_of_the_v1_families() {
        let lpc = family("lpc55s69").unwrap().secure_boot.as_ref().unwrap();
        assert_eq!(lpc.cert_block, "1");
        assert_eq!(
            (lpc.rkth.area, lpc.rkth.offset, lpc.rkth.size),
            (Area::Cmpa, 0x50, 32)
        );
        assert!(lpc.sb31.is_none() && lpc.mbi.signed_ram_type_xip);
        assert_eq!(lpc.mbi.tz_preset_size, 464);
        assert!(!lpc.mbi.supports("load_to_ram", "plain"));
        let rt = family("mimxrt595s").unwrap().secure_boot.as_ref().unwrap();
        assert_eq!((rt.rkth.area, rt.rkth.offset), (Area::Otp, 120));
        assert_eq!(rt.boot_address, 0x0800_1000);
        assert!(MbiInfo::applies(&rt.mbi.hmac, "load_to_ram", "signed"));
        assert!(!MbiInfo::applies(&rt.mbi.reloc_table, "xip", "signed"));
        // SB3.1 families keep their loader facts.
        for n in ["lpc55s36", "mcxn947", "rw612"] {
            let sb = family(n).unwrap().secure_boot.as_ref().unwrap();
            assert!(sb.sb31.is_some() && sb.cert_block == "2.1", "{n}");
            assert_eq!(sb.mbi.trust_zone, TrustZoneMode::Mandatory, "{n}");
        }
        // A broken record is refused: v1 data on an SB3.1 family.
        let mut bad = family("lpc55s36").unwrap().clone();
        if let Some(sb) = bad.secure_boot.as_mut() {
            sb.cert_block = "1".into();
        }
        assert!(bad.validate().is_err());
        let mut bad = family("lpc55s69").unwrap().clone();
        if let Some(sb) = bad.secure_boot.as_mut() {
            sb.mbi.tz_preset_size = 460;
        }
        assert!(bad.validate().is_err());
    }

    #[test]
    fn lookup_ignores_case_and_knows_aliases() {
        assert_eq!(family("LPC55S69").unwrap().name, "lpc55s69");
        assert_eq!(family("lpc55s66").unwrap().name, "lpc55s69");
        assert_eq!(family("MCXN946").unwrap().name, "mcxn947");
        assert!(family("nosuchchip").is_none());
        assert_eq!(
            names(),
            ["lpc55s69", "lpc55s36", "mcxn947", "rw612", "mimxrt595s"].to_vec()
        );
    }

    #[test]
    fn lpc55s69_matches_the_reference() {
        let f = family("lpc55s69").unwrap();
        assert_eq!(f.current_version, 0x4B03_0000);
        assert_eq!(f.available_commands(), 0x0011_0DCF);
        assert_eq!(
            f.usb,
            UsbId {
                vid: 0x1FC9,
                pid: 0x0021
            }
        );
        assert_eq!(f.flash[0].size, 0x9DE00);
        assert_eq!(f.max_packet.usb, 56);
        let pfr = f.pfr.as_ref().unwrap();
        assert_eq!((pfr.cfpa, pfr.cmpa), (0x9DE00, 0x9E400));
        assert_eq!(pfr.cfpa_ping_pong, Some((0x9E000, 0x9E200)));
        assert_eq!(f.key_store.as_ref().unwrap().size, 1424);
        assert_eq!(f.protocol_version_bytes(), Some([0, 3, 1, b'P']));
    }

    #[test]
    fn flexspi_windows() {
        let w = |n: &str| family(n).unwrap().flexspi.as_ref().map(|x| x.window.start);
        assert_eq!(w("lpc55s36"), Some(0x0800_0000));
        assert_eq!(w("mcxn947"), Some(0x8000_0000));
        assert_eq!(w("mimxrt595s"), Some(0x0800_0000));
        assert_eq!(w("rw612"), Some(0x0800_0000));
        assert_eq!(w("lpc55s69"), None);
    }

    #[test]
    fn numbers_accept_hex_text() {
        assert_eq!(parse_num("0x9_DE00"), Some(0x9DE00));
        assert_eq!(parse_num("0b101"), Some(5));
        assert_eq!(parse_num("42"), Some(42));
        assert_eq!(parse_num("zz"), None);
    }
}
