//! mboot property tags (`GetProperty`/`SetProperty`) and their SPSDK 3.12 text rendering.
//!
//! [`render`] returns exactly what SPSDK's `str(parse_property_value(tag, values))` returns
//! (without a family), which is the text `blhost get-property` prints after the
//! `Response word` lines. [`PropertyTag::parse_cli`] is SPSDK's CLI rule for `PROPERTY_TAG`.

use std::fmt::Write as _;

use super::status::StatusCode;

/// A property tag (the "property index" sent in `GetProperty`/`SetProperty`).
///
/// This is an open enum: any `u32` is representable. Named constants exist for every tag in
/// SPSDK's common property table (no family overrides).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct PropertyTag(pub u32);

/// How a value is turned into integer text (SPSDK `int_fmt`).
#[derive(Clone, Copy, Debug)]
enum IntFmt {
    /// `0x%08X`.
    Hex,
    /// [`format_size`].
    Size,
    /// Unsigned decimal.
    Dec,
    /// The word as a signed 32-bit decimal.
    Int32,
}

/// The enumeration an `EnumValue` decoder looks labels up in.
#[derive(Clone, Copy, Debug)]
enum EnumKind {
    Status,
    FlashReadMargin,
    PfrKeystoreUpdateOpt,
}

/// SPSDK's decoder class for a property, with its format arguments.
#[derive(Clone, Copy, Debug)]
enum Decoder {
    /// No decoder: SPSDK's `parse_property_value` raises `KeyError` (ListProperties).
    None,
    Version,
    Peripherals,
    Int(IntFmt),
    Commands,
    /// Enumeration and the `na_msg` used for values it does not know.
    Enum(EnumKind, &'static str),
    /// The "true" values, true string, false string (everything else is false).
    Bool(&'static [u32], &'static str, &'static str),
    ReservedRegions,
    DeviceUid,
    ExtMemAttributes,
    IrqNotifierPin,
    FuseLockedStatus,
    SheFlashPartition,
    SheBootMode,
    /// `IntListValue` in hex, used for unknown tags.
    HexList,
}

/// One row of SPSDK's property table.
struct Info {
    tag: u32,
    label: &'static str,
    cli: &'static str,
    desc: &'static str,
    dec: Decoder,
}

const ON_OFF: Decoder = Decoder::Bool(&[1], "ON", "OFF");

macro_rules! properties {
    ($($name:ident = $tag:literal, $label:literal, $cli:literal, $desc:literal, $dec:expr;)*) => {
        impl PropertyTag {
            $(
                #[doc = concat!("`", $label, "` (", stringify!($tag), "), CLI name `", $cli,
                    "`: \"", $desc, "\".")]
                pub const $name: PropertyTag = PropertyTag($tag);
            )*
        }

        /// SPSDK's `COMMON_PROPERTY_INDEXES` + `PROPERTY_RESPONSE`, sorted by tag.
        static PROPS: &[Info] = &[
            $(Info { tag: $tag, label: $label, cli: $cli, desc: $desc, dec: $dec },)*
        ];
    };
}

use Decoder as D;
use IntFmt::{Dec, Hex, Int32, Size};

properties! {
    LIST_PROPERTIES = 0, "ListProperties", "list-properties", "List Properties", D::None;
    CURRENT_VERSION = 1, "CurrentVersion", "current-version", "Current Version", D::Version;
    AVAILABLE_PERIPHERALS = 2, "AvailablePeripherals", "available-peripherals",
        "Available Peripherals", D::Peripherals;
    FLASH_START_ADDRESS = 3, "FlashStartAddress", "flash-start-address", "Flash Start Address",
        D::Int(Hex);
    FLASH_SIZE = 4, "FlashSize", "flash-size-in-bytes", "Flash Size", D::Int(Size);
    FLASH_SECTOR_SIZE = 5, "FlashSectorSize", "flash-sector-size", "Flash Sector Size",
        D::Int(Size);
    FLASH_BLOCK_COUNT = 6, "FlashBlockCount", "flash-block-count", "Flash Block Count",
        D::Int(Dec);
    AVAILABLE_COMMANDS = 7, "AvailableCommands", "available-commands", "Available Commands",
        D::Commands;
    CRC_CHECK_STATUS = 8, "CrcCheckStatus", "check-status", "CRC Check Status",
        D::Enum(EnumKind::Status, "Unknown CRC Status code");
    LAST_ERROR = 9, "LastError", "reserved", "Last Error Value",
        D::Enum(EnumKind::Status, "Unknown Error");
    VERIFY_WRITES = 10, "VerifyWrites", "verify-writes", "Verify Writes", ON_OFF;
    MAX_PACKET_SIZE = 11, "MaxPacketSize", "max-packet-size", "Max Packet Size", D::Int(Size);
    RESERVED_REGIONS = 12, "ReservedRegions", "reserved-regions", "Reserved Regions",
        D::ReservedRegions;
    VALIDATE_REGIONS = 13, "ValidateRegions", "reserved_1", "Validate Regions", ON_OFF;
    RAM_START_ADDRESS = 14, "RamStartAddress", "ram-start-address", "RAM Start Address",
        D::Int(Hex);
    RAM_SIZE = 15, "RamSize", "ram-size-in-bytes", "RAM Size", D::Int(Size);
    SYSTEM_DEVICE_IDENT = 16, "SystemDeviceIdent", "system-device-id",
        "System Device Identification", D::Int(Hex);
    FLASH_SECURITY_STATE = 17, "FlashSecurityState", "security-state", "Security State",
        D::Bool(&[0, 0x5AA5_5AA5], "UNSECURE", "SECURE");
    UNIQUE_DEVICE_IDENT = 18, "UniqueDeviceIdent", "unique-device-id",
        "Unique Device Identification", D::DeviceUid;
    FLASH_FAC_SUPPORT = 19, "FlashFacSupport", "flash-fac-support", "Flash Fac. Support", ON_OFF;
    FLASH_ACCESS_SEGMENT_SIZE = 20, "FlashAccessSegmentSize", "flash-access-segment-size",
        "Flash Access Segment Size", D::Int(Size);
    FLASH_ACCESS_SEGMENT_COUNT = 21, "FlashAccessSegmentCount", "flash-access-segment-count",
        "Flash Access Segment Count", D::Int(Int32);
    FLASH_READ_MARGIN = 22, "FlashReadMargin", "flash-read-margin", "Flash Read Margin",
        D::Enum(EnumKind::FlashReadMargin, "Unknown Margin");
    QSPI_INIT_STATUS = 23, "QspiInitStatus", "qspi/otfad-init-status",
        "QuadSPI Initialization Status", D::Enum(EnumKind::Status, "Unknown Error");
    TARGET_VERSION = 24, "TargetVersion", "target-version", "Target Version", D::Version;
    EXTERNAL_MEMORY_ATTRIBUTES = 25, "ExternalMemoryAttributes", "external-memory-attributes",
        "External Memory Attributes", D::ExtMemAttributes;
    RELIABLE_UPDATE_STATUS = 26, "ReliableUpdateStatus", "reliable-update-status",
        "Reliable Update Status", D::Enum(EnumKind::Status, "Unknown Error");
    FLASH_PAGE_SIZE = 27, "FlashPageSize", "flash-page-size", "Flash Page Size", D::Int(Size);
    IRQ_NOTIFIER_PIN = 28, "IrqNotifierPin", "irq-notify-pin", "Irq Notifier Pin",
        D::IrqNotifierPin;
    PFR_KEYSTORE_UPDATE_OPT = 29, "PfrKeystoreUpdateOpt", "pfr-keystore-update-opt",
        "PFR Keystore Update Opt", D::Enum(EnumKind::PfrKeystoreUpdateOpt, "Unknown");
    BYTE_WRITE_TIMEOUT_MS = 30, "ByteWriteTimeoutMs", "byte-write-timeout-ms",
        "Byte Write Timeout in ms", D::Int(Dec);
    FUSE_LOCKED_STATUS = 31, "FuseLockedStatus", "fuse-locked-status", "Fuse Locked Status",
        D::FuseLockedStatus;
    BOOT_STATUS_REGISTER = 32, "BootStatusRegister", "boot-status", "Boot Status Register",
        D::Int(Int32);
    FIRMWARE_VERSION = 33, "FirmwareVersion", "loadable-fw-version", "Firmware Version",
        D::Int(Int32);
    FUSE_PROGRAM_VOLTAGE = 34, "FuseProgramVoltage", "fuse-program-voltage",
        "Fuse Program Voltage",
        D::Bool(&[1], "Over Drive Voltage (2.5 V)", "Normal Voltage (1.8 V)");
    SHE_FLASH_PARTITION = 36, "SheFlashPartition", "she-flash-partition",
        "Secure Hardware Extension: Flash Partition", D::SheFlashPartition;
    SHE_BOOT_MODE = 37, "SheBootMode", "she-boot-mode", "Secure Hardware Extension: Boot Mode",
        D::SheBootMode;
    UNKNOWN = 0xFF, "Unknown", "unknown", "Unknown property", D::HexList;
}

/// The row SPSDK falls back to for tags outside its table.
const UNKNOWN_INFO: Info = Info {
    tag: 0xFF,
    label: "Unknown",
    cli: "unknown",
    desc: "Unknown property",
    dec: D::HexList,
};

/// SPSDK `PeripheryTag`: bit and label, in SPSDK's order.
const PERIPHERALS: [(u32, &str); 8] = [
    (0x01, "UART"),
    (0x02, "I2C-Slave"),
    (0x04, "SPI-Slave"),
    (0x08, "CAN"),
    (0x10, "USB-HID"),
    (0x20, "USB-CDC"),
    (0x40, "USB-DFU"),
    (0x80, "LIN"),
];

/// SPSDK `CommandTag` labels in SPSDK's order; a command's bit is `tag - 1`. The reserved
/// tags 0xC1..0xC3 are left out: their bits lie beyond a 32-bit word.
const COMMANDS: [(u32, &str); 26] = [
    (0x01, "FlashEraseAll"),
    (0x02, "FlashEraseRegion"),
    (0x03, "ReadMemory"),
    (0x04, "WriteMemory"),
    (0x05, "FillMemory"),
    (0x06, "FlashSecurityDisable"),
    (0x07, "GetProperty"),
    (0x08, "ReceiveSBFile"),
    (0x09, "Execute"),
    (0x0A, "Call"),
    (0x0B, "Reset"),
    (0x0C, "SetProperty"),
    (0x0D, "FlashEraseAllUnsecure"),
    (0x0E, "FlashProgramOnce"),
    (0x0F, "FlashReadOnce"),
    (0x10, "FlashReadResource"),
    (0x11, "ConfigureMemory"),
    (0x12, "ReliableUpdate"),
    (0x13, "GenerateKeyBlob"),
    (0x14, "ProgramFuse"),
    (0x15, "KeyProvisioning"),
    (0x16, "TrustProvisioning"),
    (0x17, "ReadFuse"),
    (0x18, "UpdateLifeCycle"),
    (0x19, "EleMessage"),
    (0x20, "EL2GO"),
];

impl PropertyTag {
    fn info(self) -> Option<&'static Info> {
        PROPS.iter().find(|p| p.tag == self.0)
    }

    /// SPSDK's label (e.g. `"CurrentVersion"`), `None` for a tag outside SPSDK's table.
    pub fn label(self) -> Option<&'static str> {
        self.info().map(|p| p.label)
    }

    /// SPSDK's CLI name (e.g. `"current-version"`), `None` for a tag outside SPSDK's table.
    pub fn cli_name(self) -> Option<&'static str> {
        self.info().map(|p| p.cli)
    }

    /// The text SPSDK prints before ` = ` (e.g. `"Current Version"`), `None` for a tag outside
    /// SPSDK's table ([`render`] then uses `"Unknown property"`, like SPSDK).
    pub fn description(self) -> Option<&'static str> {
        self.info().map(|p| p.desc)
    }

    /// `true` if the tag is in SPSDK's common property table (this includes 0 and 0xFF).
    pub fn is_known(self) -> bool {
        self.info().is_some()
    }

    /// All tags of SPSDK's common property table, in ascending order.
    pub fn known() -> impl Iterator<Item = PropertyTag> {
        PROPS.iter().map(|p| PropertyTag(p.tag))
    }

    /// SPSDK's CLI rule for a `PROPERTY_TAG` argument (`blhost_helper.parse_property_tag`):
    ///
    /// 1. A number as SPSDK's `value_to_int` reads it: surrounding whitespace ignored, case
    ///    ignored, optional `0x`/`0b`/`0o` prefix, `_` between digits, and up to three `u`/`l`
    ///    suffix letters (`"0x1F"`, `"1_0"`, `"7u"`). The number is used as is, even if it is
    ///    not in the table (`"99"` gives tag 99).
    /// 2. Otherwise an exact, case-sensitive match of a label or a CLI name
    ///    (`"CurrentVersion"`, `"current-version"`; `"Current-Version"` does not match).
    /// 3. Anything else, including the family-only names `verify-erase`/`life-cycle`, the
    ///    empty string and negative numbers, gives [`PropertyTag::UNKNOWN`] (0xFF), which
    ///    SPSDK then sends to the device.
    ///
    /// Returns `None` only for a number above `u32::MAX` (SPSDK accepts it here and fails
    /// later, when packing the command).
    pub fn parse_cli(s: &str) -> Option<PropertyTag> {
        match spsdk_str_to_int(s) {
            Some(n) => u32::try_from(n).ok().map(PropertyTag),
            None => Some(
                PROPS
                    .iter()
                    .find(|p| p.label == s || p.cli == s)
                    .map_or(PropertyTag::UNKNOWN, |p| PropertyTag(p.tag)),
            ),
        }
    }
}

impl From<u32> for PropertyTag {
    fn from(v: u32) -> Self {
        PropertyTag(v)
    }
}

/// Python `str.isspace()`: Rust's whitespace plus the ASCII separators 0x1C..=0x1F.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// SPSDK `value_to_int` on a string: the regex `(0[box])?([0-9a-f_]+)([ul]{0,3})$` on the
/// stripped, lower-cased text, then Python `int(number, base)`. `None` if not a number.
/// Values are capped at `u64::MAX + 1` (anything larger only needs to be "too big").
fn spsdk_str_to_int(s: &str) -> Option<u128> {
    let t = s.trim_matches(py_space).to_ascii_lowercase();
    let (base, rest) = match t.get(..2) {
        Some("0b") if t.len() > 2 => (2, &t[2..]),
        Some("0o") if t.len() > 2 => (8, &t[2..]),
        Some("0x") if t.len() > 2 => (16, &t[2..]),
        // "0b" with nothing after it: the regex matches "0b" as a decimal number, which
        // Python's int() then rejects; no other backtracking can produce a number.
        _ => (10, t.as_str()),
    };
    let n_len = rest
        .bytes()
        .take_while(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b'_'))
        .count();
    let (number, suffix) = rest.split_at(n_len);
    if number.is_empty() || suffix.len() > 3 || !suffix.bytes().all(|b| b == b'u' || b == b'l') {
        return None;
    }
    py_int(number, base)
}

/// Python `int(text, base)` for `text` made of `[0-9a-f_]`: single underscores between digits;
/// base 2 also accepts a `0b` prefix (then one `_` may follow it); base 10 rejects more than
/// 4300 digits (CPython's `int_max_str_digits`).
fn py_int(text: &str, base: u32) -> Option<u128> {
    let (digits, prefixed) = match text.strip_prefix("0b") {
        Some(r) if base == 2 => (r, true),
        _ => (text, false),
    };
    let digits = if prefixed {
        digits.strip_prefix('_').unwrap_or(digits)
    } else {
        digits
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') {
        return None;
    }
    if digits.contains("__") {
        return None;
    }
    let mut value: u128 = 0;
    let mut count = 0usize;
    for c in digits.chars().filter(|&c| c != '_') {
        let d = c.to_digit(base)?;
        count += 1;
        value = (value * u128::from(base) + u128::from(d)).min(u128::from(u64::MAX) + 1);
    }
    if base == 10 && count > 4300 {
        return None;
    }
    Some(value)
}

/// A size in SPSDK's `size_fmt` style (binary units): `"1023 B"`, `"1.0 kiB"`, `"1.5 kiB"`,
/// `"1024.0 kiB"` (for 1048575), `"16.0 MiB"`, `"4.0 GiB"`. Below 1024 the plain integer is
/// printed; above, one decimal with Python's rounding. Like SPSDK, values of 1024 PiB and more
/// are still printed in `PiB`, but divided once more (2^60 gives `"1.0 PiB"`).
pub fn format_size(n: u64) -> String {
    if n < 1024 {
        return format!("{n} B");
    }
    #[allow(clippy::cast_precision_loss)] // Python converts the int to float the same way
    let mut v = n as f64;
    let mut unit = "B";
    for u in ["B", "kiB", "MiB", "GiB", "TiB", "PiB"] {
        unit = u;
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
    }
    format!("{v:3.1} {unit}")
}

/// `[0x00000011, 0x00000022]`: SPSDK's `IntListValue` in hex.
fn hex_list(values: &[u32]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("0x{v:08X}")).collect();
    format!("[{}]", items.join(", "))
}

fn int_fmt(v: u32, f: IntFmt) -> String {
    match f {
        Hex => format!("0x{v:08X}"),
        Size => format_size(u64::from(v)),
        Dec => v.to_string(),
        Int32 => i32::from_ne_bytes(v.to_ne_bytes()).to_string(),
    }
}

fn enum_label(kind: EnumKind, v: u32) -> Option<&'static str> {
    match kind {
        EnumKind::Status => StatusCode(v).label(),
        EnumKind::FlashReadMargin => ["NORMAL", "USER", "FACTORY"].get(v as usize).copied(),
        EnumKind::PfrKeystoreUpdateOpt => ["KEY_PROVISIONING", "WRITE_MEMORY"]
            .get(v as usize)
            .copied(),
    }
}

/// Python `f"{v:_x}"`: lower-case hex with `_` every four digits from the right.
fn hex_grouped(v: u32) -> String {
    let hex = format!("{v:x}");
    let mut out = String::new();
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && (hex.len() - i) % 4 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

/// The value text, or the whole text for decoders with their own `__str__`.
/// `None` where SPSDK raises (too few words, or no decoder).
fn decode(info: &Info, values: &[u32]) -> Option<String> {
    let first = values.first().copied();
    let body = match info.dec {
        D::None => return None,
        D::Version => {
            let v = first?;
            let mark = (v >> 24) as u8;
            let mark = if mark.is_ascii_uppercase() {
                (mark as char).to_string()
            } else {
                String::new()
            };
            format!(
                "{mark}{}.{}.{}",
                (v >> 16) & 0xFF,
                (v >> 8) & 0xFF,
                v & 0xFF
            )
        }
        D::Peripherals => {
            let v = first?;
            let names: Vec<&str> = PERIPHERALS
                .iter()
                .filter(|p| p.0 & v != 0)
                .map(|p| p.1)
                .collect();
            names.join(", ")
        }
        D::Int(f) => int_fmt(first?, f),
        D::Commands => {
            let v = first?;
            let names: Vec<String> = COMMANDS
                .iter()
                .filter(|c| (1u32 << (c.0 - 1)) & v != 0)
                .map(|c| format!("'{}'", c.1))
                .collect();
            format!("[{}]", names.join(", "))
        }
        D::Enum(kind, na_msg) => {
            let v = first?;
            enum_label(kind, v).map_or_else(|| format!("{na_msg}: {v}"), str::to_string)
        }
        D::Bool(true_values, t, f) => (if true_values.contains(&first?) { t } else { f }).into(),
        D::ReservedRegions => {
            if values.len() % 2 != 0 {
                return None;
            }
            let lines: Vec<String> = values
                .chunks_exact(2)
                .filter(|p| p[1] != 0)
                .enumerate()
                .map(|(i, p)| {
                    // MemoryRegion uses spsdk.utils.misc.size_fmt, which prints any
                    // negative size (end < start - 1) as plain bytes: "-28882 B".
                    let size = match p[1].checked_sub(p[0]) {
                        Some(d) => format_size(u64::from(d) + 1),
                        None => format!("{} B", i64::from(p[1]) - i64::from(p[0]) + 1),
                    };
                    format!(
                        "    Region {i}: 0x{:08X} - 0x{:08X}; Total Size: {size}",
                        p[0], p[1]
                    )
                })
                .collect();
            return Some(format!("{} =\n{}", info.desc, lines.join("\n")));
        }
        D::DeviceUid => values
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .map(|b| format!("{b:02x}"))
            .collect(),
        D::ExtMemAttributes => {
            let flags = first?;
            let mut parts = Vec::new();
            let word = |bit: u32, i: usize| -> Option<Option<u32>> {
                if flags & bit == 0 {
                    Some(None)
                } else {
                    values.get(i).map(|&w| Some(w))
                }
            };
            if let Some(a) = word(0x01, 1)? {
                parts.push(format!("Start Address: 0x{a:08X}"));
            }
            if let Some(kib) = word(0x02, 2)? {
                parts.push(format!(
                    "Total Size:    {}",
                    format_size(u64::from(kib) * 1024)
                ));
            }
            if let Some(s) = word(0x04, 3)? {
                parts.push(format!("Page Size:     {}", format_size(u64::from(s))));
            }
            if let Some(s) = word(0x08, 4)? {
                parts.push(format!("Sector Size:   {}", format_size(u64::from(s))));
            }
            if let Some(s) = word(0x10, 5)? {
                parts.push(format!("Block Size:    {}", format_size(u64::from(s))));
            }
            parts.join(", ")
        }
        D::IrqNotifierPin => {
            let v = first?;
            let state = if v & (1 << 31) != 0 {
                "enabled"
            } else {
                "disabled"
            };
            format!(
                "IRQ Port[{}], Pin[{}] is {state}",
                (v >> 8) & 0xFF,
                v & 0xFF
            )
        }
        D::FuseLockedStatus => {
            // SPSDK: register 0 lists 16 fuses taken from bits 0..=15 (not 16..=31) of the
            // first word; every further word lists 32 fuses; indices run on.
            let mut out = String::from("\r\n");
            let mut index = 0u64;
            for (count, &v) in values.iter().enumerate() {
                let _ = write!(
                    out,
                    "OTP Controller Program Locked Status {count} Register: \r\n"
                );
                let bits: u32 = if count == 0 { 16 } else { 32 };
                for shift in 0..bits {
                    let state = if (v >> shift) & 1 != 0 {
                        "LOCKED"
                    } else {
                        "UNLOCKED"
                    };
                    let _ = write!(out, "  FUSE{:03}: {state}\r\n", index + u64::from(shift));
                }
                index += u64::from(bits);
            }
            out
        }
        D::SheFlashPartition => {
            let v = first?;
            let size = ["64kB", "48kB", "32kB", "0kB"][((v >> 8) & 3) as usize];
            let keys = [
                "0 Keys, CSEc disabled",
                "max 5 Key",
                "max 10 Keys",
                "max 20 Keys",
            ][(v & 3) as usize];
            format!("{size} EEPROM with {keys}")
        }
        D::SheBootMode => {
            // SPSDK's SHEBootMode.__str__ omits the "description = " prefix.
            let v = first?;
            let size = v & 0x3FFF_FFFF;
            let mode = v >> 30;
            let name = ["Strict Boot", "Serial Boot", "Parallel Boot", "Undefined"][mode as usize];
            return Some(format!(
                "SHE Boot Mode: {name} ({mode})\nSHE Boot Size: {} (0x{})",
                format_size(u64::from(size / 8)),
                hex_grouped(size)
            ));
        }
        D::HexList => hex_list(values),
    };
    Some(format!("{} = {body}", info.desc))
}

/// Exactly SPSDK 3.12's `str(parse_property_value(tag, values))` (no family), e.g.
/// `render(PropertyTag::CURRENT_VERSION, &[0x4B03_0000])` is `"Current Version = K3.0.0"`.
///
/// Tags outside SPSDK's table render like 0xFF: `"Unknown property = [0x00000011, …]"`
/// (printing SPSDK's `WARNING … Unknown property id` is the caller's business).
/// The text may span lines (`\n`; `FuseLockedStatus` uses `\r\n`).
///
/// This is total. Where SPSDK raises instead of rendering — tag 0 (`ListProperties`, no
/// decoder: `KeyError`), no words for a decoder that reads the first one, an odd number of
/// words for `ReservedRegions`, or too few words for the flags of `ExternalMemoryAttributes`
/// (`IndexError`) — the result is `"{description} = [0x…, …]"`, the hex list SPSDK uses for
/// unknown tags. (SPSDK's `blhost` never renders an empty response.)
pub fn render(tag: PropertyTag, values: &[u32]) -> String {
    let info = tag.info().unwrap_or(&UNKNOWN_INFO);
    decode(info, values).unwrap_or_else(|| format!("{} = {}", info.desc, hex_list(values)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = include_str!("../../../tests/vectors/blhost/properties.tsv");
    const EXAMPLES: &str = include_str!("../../../tests/vectors/blhost/property_text_examples.txt");
    const EXTRA: &str = include_str!("../../../tests/vectors/blhost/property_text_extra.txt");

    fn class_name(d: Decoder) -> &'static str {
        match d {
            D::None => "-",
            D::Version => "VersionValue",
            D::Peripherals => "AvailablePeripheralsValue",
            D::Int(_) => "IntValue",
            D::Commands => "AvailableCommandsValue",
            D::Enum(..) => "EnumValue",
            D::Bool(..) => "BoolValue",
            D::ReservedRegions => "ReservedRegionsValue",
            D::DeviceUid => "DeviceUidValue",
            D::ExtMemAttributes => "ExternalMemoryAttributesValue",
            D::IrqNotifierPin => "IrqNotifierPinValue",
            D::FuseLockedStatus => "FuseLockedStatus",
            D::SheFlashPartition => "SHEFlashPartition",
            D::SheBootMode => "SHEBootMode",
            D::HexList => "IntListValue",
        }
    }

    #[test]
    fn table_matches_tsv() {
        let rows: Vec<Vec<&str>> = TSV
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l.split('\t').collect())
            .collect();
        assert_eq!(rows.len(), PROPS.len());
        for (r, p) in rows.iter().zip(PROPS) {
            assert_eq!(r[0].parse::<u32>().unwrap(), p.tag);
            assert_eq!(u32::from_str_radix(&r[1][2..], 16).unwrap(), p.tag);
            let t = PropertyTag(p.tag);
            assert_eq!(
                (t.label(), t.cli_name(), t.description()),
                (Some(r[2]), Some(r[3]), Some(r[4]))
            );
            assert_eq!(class_name(p.dec), r[5], "{}", r[2]);
            let kw = r[6];
            match p.dec {
                D::Int(f) => {
                    let f = format!("{f:?}").to_lowercase();
                    assert_eq!(kw, format!("{{'str_format': '{f}'}}"));
                }
                D::Enum(k, na) => {
                    let k = match k {
                        EnumKind::Status => "StatusCode",
                        EnumKind::FlashReadMargin => "FlashReadMargin",
                        EnumKind::PfrKeystoreUpdateOpt => "PfrKeystoreUpdateOpt",
                    };
                    assert_eq!(kw, format!("{{'enum': '{k}', 'na_msg': '{na}'}}"));
                }
                D::Bool(tv, t, f) => {
                    assert!(kw.contains(&format!("'true_string': '{t}'")), "{kw}");
                    assert!(kw.contains(&format!("'false_string': '{f}'")), "{kw}");
                    if tv != [1] {
                        let tv: Vec<String> = tv.iter().map(u32::to_string).collect();
                        assert!(kw.contains(&format!("'true_values': ({})", tv.join(", "))));
                    }
                }
                D::HexList => assert_eq!(kw, "{'str_format': 'hex'}"),
                D::ExtMemAttributes => assert_eq!(kw, "{'mem_id': None}"),
                _ => assert_eq!(kw, "{}"),
            }
        }
        assert!(PROPS.windows(2).all(|w| w[0].tag < w[1].tag));
        assert_eq!(PropertyTag::known().count(), 38);
    }

    fn parse_values(s: &str) -> Vec<u32> {
        // ['0x14000000', '0x14005fff']
        let inner = s.trim().trim_start_matches('[').trim_end_matches(']');
        inner
            .split(", ")
            .filter(|x| !x.is_empty())
            .map(|x| {
                u32::from_str_radix(x.trim_matches('\'').trim_start_matches("0x"), 16).unwrap()
            })
            .collect()
    }

    #[test]
    fn spsdk_text_examples() {
        let mut cases: Vec<(u32, Vec<u32>, String)> = Vec::new();
        for line in EXAMPLES.lines() {
            if let Some(rest) = line.strip_prefix("tag=") {
                let (tag, vals) = rest.split_once("values=").unwrap();
                cases.push((
                    tag.trim().parse().unwrap(),
                    parse_values(vals),
                    String::new(),
                ));
            } else if let Some(text) = line.strip_prefix("  -> ") {
                cases.last_mut().unwrap().2 = text.to_string();
            } else if !line.is_empty() {
                let last = cases.last_mut().unwrap();
                last.2.push('\n');
                last.2.push_str(line);
            }
        }
        assert_eq!(cases.len(), 32);
        for (tag, values, text) in &cases {
            assert_eq!(
                &render(PropertyTag(*tag), values),
                text,
                "tag {tag} {values:x?}"
            );
        }
    }

    #[test]
    fn spsdk_extra_vectors() {
        let mut n = [0usize; 5];
        for line in EXTRA
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let j: serde_json::Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| j[k].as_str().unwrap().to_string();
            let u = |k: &str| j[k].as_u64().unwrap();
            match j["kind"].as_str().unwrap() {
                "render" => {
                    let values: Vec<u32> = j["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| u32::try_from(v.as_u64().unwrap()).unwrap())
                        .collect();
                    let tag = PropertyTag(u32::try_from(u("tag")).unwrap());
                    let got = render(tag, &values);
                    if j["text"].is_string() {
                        assert_eq!(got, s("text"), "{line}");
                        n[0] += 1;
                    } else {
                        // SPSDK raised; we fall back to the hex list.
                        let desc = tag.description().unwrap_or("Unknown property");
                        assert_eq!(got, format!("{desc} = {}", hex_list(&values)), "{line}");
                        n[1] += 1;
                    }
                }
                "parse_cli" => {
                    let want = j["tag"].as_u64().and_then(|t| u32::try_from(t).ok());
                    let got = PropertyTag::parse_cli(&s("input")).map(|t| t.0);
                    assert_eq!(got, want, "{line}");
                    n[2] += 1;
                }
                "size" => {
                    assert_eq!(format_size(u("value")), s("text"), "{line}");
                    n[3] += 1;
                }
                "status" => {
                    let code = StatusCode(u32::try_from(u("code")).unwrap());
                    assert_eq!(code.spsdk_text(), s("text"), "{line}");
                    n[4] += 1;
                }
                k => panic!("unknown kind {k}"),
            }
        }
        assert!(n.iter().all(|&c| c > 0), "{n:?}");
    }

    #[test]
    fn helpers() {
        assert_eq!(hex_grouped(0x3FFF_FFFF), "3fff_ffff");
        assert_eq!(hex_grouped(0x7FFF), "7fff");
        assert_eq!(hex_grouped(0x1_0000), "1_0000");
        assert_eq!(hex_grouped(0), "0");
    }

    #[test]
    fn total_on_any_input() {
        let many: Vec<u32> = (0..70).map(|i| i * 0x0123_4567).collect();
        for tag in (0..=300).chain([u32::MAX]) {
            for n in 0..8 {
                let _ = render(PropertyTag(tag), &many[..n]);
                let _ = render(PropertyTag(tag), &[u32::MAX; 7][..n]);
            }
            let _ = render(PropertyTag(tag), &many);
        }
        assert_eq!(
            render(PropertyTag::CURRENT_VERSION, &[]),
            "Current Version = []"
        );
        assert_eq!(
            render(PropertyTag::LIST_PROPERTIES, &[1]),
            "List Properties = [0x00000001]"
        );
        assert_eq!(render(PropertyTag(99), &[]), "Unknown property = []");
        assert_eq!(format_size(u64::MAX), "16.0 PiB");
        assert_eq!(
            PropertyTag::parse_cli("99999999999999999999999999999999999999999"),
            None
        );
    }
}
