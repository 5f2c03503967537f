//! SB2.1 boot commands: the 16-byte header `checksum | tag | flags | address | count | data`
//! (little-endian, `reference/sb2_mbi.md` section 5.6), the LOAD payload, and strict
//! decoding.
//!
//! * checksum = `(0x5A + sum of header bytes 1..16) mod 256`.
//! * Memory ids (LOAD, ERASE, MEM_ENABLE) live in the flags: device id (`mem_id & 0xFF`) in
//!   bits 15..8, group id (`(mem_id >> 8) & 0xF`) in bits 7..4 ([`mem_flags`]).
//! * LOAD: `count` is the payload length and `data` its CRC-32/MPEG-2 over the payload
//!   zero-padded (or otherwise padded) to 16 bytes. SPSDK writes the padded length as `count`,
//!   elftosb the real length; both decode ([`Command::Load`] keeps which).
//!
//! The decoder is strict: fields SPSDK and elftosb always write as zero (or, for the key-store
//! commands, 4) must hold that value, so a decoded command re-encodes to the same bytes.

use crate::codec::{DecodeError, Reader, Writer};
use crate::crypto::crc32::{crc32_mpeg2, crc32_mpeg2_update};
use std::fmt;

/// Size of a command header (and of a block).
pub const HEADER_LEN: usize = 16;

/// Command tags.
pub mod tag {
    /// NOP.
    pub const NOP: u8 = 0x00;
    /// TAG (section header).
    pub const TAG: u8 = 0x01;
    /// LOAD.
    pub const LOAD: u8 = 0x02;
    /// FILL.
    pub const FILL: u8 = 0x03;
    /// JUMP.
    pub const JUMP: u8 = 0x04;
    /// CALL.
    pub const CALL: u8 = 0x05;
    /// ERASE.
    pub const ERASE: u8 = 0x07;
    /// RESET.
    pub const RESET: u8 = 0x08;
    /// MEM_ENABLE.
    pub const MEM_ENABLE: u8 = 0x09;
    /// PROG (fuses / IFR).
    pub const PROG: u8 = 0x0A;
    /// FW_VERSION_CHECK.
    pub const FW_VERSION_CHECK: u8 = 0x0B;
    /// WR_KEYSTORE_TO_NV.
    pub const KEYSTORE_TO_NV: u8 = 0x0C;
    /// WR_KEYSTORE_FROM_NV.
    pub const KEYSTORE_FROM_NV: u8 = 0x0D;
}

/// JUMP flag: `count` holds the stack pointer.
pub const JUMP_FLAG_SP: u16 = 0x0002;
/// ERASE flag: erase all.
pub const ERASE_FLAG_ALL: u16 = 0x0001;
/// ERASE flag: erase all and unsecure.
pub const ERASE_FLAG_ALL_UNSECURE: u16 = 0x0002;
/// PROG flag: 8-byte (two-word) programming.
pub const PROG_FLAG_EIGHT_BYTES: u16 = 0x0001;
/// `count` of the key-store commands (constant, "elftosb compatibility").
pub const KEYSTORE_COUNT: u32 = 4;

/// The flag bits of memory id `mem_id` (12 bits: group << 8 | device).
pub fn mem_flags(mem_id: u32) -> u16 {
    (((mem_id & 0xFF) << 8) | (((mem_id >> 8) & 0xF) << 4)) as u16
}

/// The memory id in `flags` (inverse of [`mem_flags`]).
pub fn mem_id_of(flags: u16) -> u32 {
    let f = u32::from(flags);
    ((f >> 8) & 0xFF) | (((f >> 4) & 0xF) << 8)
}

/// Flag bits a memory id occupies.
const MEM_MASK: u16 = 0xFFF0;

/// The checksum byte of a header whose bytes 1..16 are `rest`.
pub fn checksum(rest: &[u8]) -> u8 {
    rest.iter().fold(0x5Au8, |c, &b| c.wrapping_add(b))
}

/// The five header fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Command tag.
    pub tag: u8,
    /// Flags.
    pub flags: u16,
    /// Address word.
    pub address: u32,
    /// Count word.
    pub count: u32,
    /// Data word.
    pub data: u32,
}

impl Header {
    /// The 16 bytes, checksum included.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[1] = self.tag;
        b[2..4].copy_from_slice(&self.flags.to_le_bytes());
        b[4..8].copy_from_slice(&self.address.to_le_bytes());
        b[8..12].copy_from_slice(&self.count.to_le_bytes());
        b[12..16].copy_from_slice(&self.data.to_le_bytes());
        b[0] = checksum(&b[1..]);
        b
    }

    /// Decodes 16 bytes and checks the checksum.
    pub fn decode(b: &[u8; HEADER_LEN], offset: usize) -> Result<Header, DecodeError> {
        let sum = checksum(&b[1..]);
        if b[0] != sum {
            return Err(DecodeError::invalid(
                "command checksum",
                offset,
                format!("0x{:02X}, the header bytes give 0x{sum:02X}", b[0]),
            ));
        }
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Ok(Header {
            tag: b[1],
            flags: u16::from_le_bytes([b[2], b[3]]),
            address: word(4),
            count: word(8),
            data: word(12),
        })
    }
}

/// One SB2.1 boot command (everything but the section TAG).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// No operation.
    Nop,
    /// Write `data` (and, with `count_padded`, its padding) at `address` of memory `mem_id`.
    Load {
        /// Destination.
        address: u32,
        /// Memory id (0 = internal/mapped memory).
        mem_id: u32,
        /// The bytes `count` covers.
        data: Vec<u8>,
        /// The bytes stored after `data` up to the next 16-byte boundary (empty = zeros).
        /// With `count_padded` they are written too.
        padding: Vec<u8>,
        /// `count` = padded length (SPSDK) rather than `data.len()` (elftosb).
        count_padded: bool,
    },
    /// Fill `length` bytes at `address` with the 32-bit `pattern`.
    Fill {
        /// Start.
        address: u32,
        /// Bytes (SPSDK's YAML and BD flows always write 4).
        length: u32,
        /// The pattern word as stored (SPSDK: the pattern's big-endian bytes replicated to 4).
        pattern: u32,
    },
    /// Jump to `address` with `argument` (r0); no return.
    Jump {
        /// Entry.
        address: u32,
        /// Argument.
        argument: u32,
        /// Stack pointer to set first (flag 0x0002).
        stack_pointer: Option<u32>,
    },
    /// Call `address` with `argument` and continue after it returns.
    Call {
        /// Entry.
        address: u32,
        /// Argument.
        argument: u32,
    },
    /// Erase `length` bytes at `address` of memory `mem_id`, or everything.
    Erase {
        /// Start.
        address: u32,
        /// Bytes.
        length: u32,
        /// Memory id.
        mem_id: u32,
        /// [`ERASE_FLAG_ALL`] / [`ERASE_FLAG_ALL_UNSECURE`] (bits 3..0).
        erase_flags: u16,
    },
    /// Reset the device.
    Reset,
    /// Configure memory `mem_id` from the block at `address`.
    MemEnable {
        /// Configuration block address.
        address: u32,
        /// Size of the block (SPSDK: 4).
        size: u32,
        /// Memory id.
        mem_id: u32,
    },
    /// Program one or two fuse / IFR words at index `index` of memory `mem_id`.
    Prog {
        /// Fuse word index.
        index: u32,
        /// Memory id (device id only, 0..255; SPSDK: 4 = fuses/IFR0).
        mem_id: u8,
        /// First word.
        word1: u32,
        /// Second word (8-byte programming, flag 0x0001).
        word2: Option<u32>,
    },
    /// Refuse the rest unless `version` >= the device's counter (0 secure, 1 non-secure).
    VersionCheck {
        /// 0 = secure, 1 = non-secure.
        ver_type: u32,
        /// Version.
        version: u32,
    },
    /// Write the key store to non-volatile memory `controller` at `address`.
    KeystoreToNv {
        /// Memory controller id.
        controller: u8,
        /// Address.
        address: u32,
    },
    /// Read the key store back from non-volatile memory `controller` at `address`.
    KeystoreFromNv {
        /// Memory controller id.
        controller: u8,
        /// Address.
        address: u32,
    },
}

fn pad16(n: usize) -> usize {
    n.div_ceil(16) * 16
}

impl Command {
    /// The command tag.
    pub fn tag(&self) -> u8 {
        match self {
            Command::Nop => tag::NOP,
            Command::Load { .. } => tag::LOAD,
            Command::Fill { .. } => tag::FILL,
            Command::Jump { .. } => tag::JUMP,
            Command::Call { .. } => tag::CALL,
            Command::Erase { .. } => tag::ERASE,
            Command::Reset => tag::RESET,
            Command::MemEnable { .. } => tag::MEM_ENABLE,
            Command::Prog { .. } => tag::PROG,
            Command::VersionCheck { .. } => tag::FW_VERSION_CHECK,
            Command::KeystoreToNv { .. } => tag::KEYSTORE_TO_NV,
            Command::KeystoreFromNv { .. } => tag::KEYSTORE_FROM_NV,
        }
    }

    /// The command's name (as SPSDK's parser prints the tag).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Nop => "NOP",
            Command::Load { .. } => "LOAD",
            Command::Fill { .. } => "FILL",
            Command::Jump { .. } => "JUMP",
            Command::Call { .. } => "CALL",
            Command::Erase { .. } => "ERASE",
            Command::Reset => "RESET",
            Command::MemEnable { .. } => "MEM_ENABLE",
            Command::Prog { .. } => "PROG",
            Command::VersionCheck { .. } => "FW_VERSION_CHECK",
            Command::KeystoreToNv { .. } => "WR_KEYSTORE_TO_NV",
            Command::KeystoreFromNv { .. } => "WR_KEYSTORE_FROM_NV",
        }
    }

    /// The SPSDK `sb21` configuration key that produces this command (the names of
    /// `family.sb21.commands`): `load` (also made by `keywrap`/`encrypt`), `fill`, `jump`,
    /// `erase`, `enable`, `programFuses`, `version_check`, `keystore_to_nv`,
    /// `keystore_from_nv`. None for NOP, CALL and RESET, which no SPSDK configuration makes.
    pub fn config_name(&self) -> Option<&'static str> {
        Some(match self {
            Command::Load { .. } => "load",
            Command::Fill { .. } => "fill",
            Command::Jump { .. } => "jump",
            Command::Erase { .. } => "erase",
            Command::MemEnable { .. } => "enable",
            Command::Prog { .. } => "programFuses",
            Command::VersionCheck { .. } => "version_check",
            Command::KeystoreToNv { .. } => "keystore_to_nv",
            Command::KeystoreFromNv { .. } => "keystore_from_nv",
            Command::Nop | Command::Call { .. } | Command::Reset => return None,
        })
    }

    /// Checks what the 16-byte header cannot hold (memory ids beyond 12 bits, erase flags
    /// beyond bits 3..0, a LOAD payload over 4 GiB, padding longer than the gap to 16).
    pub fn check(&self) -> Result<(), String> {
        let mem = |id: u32| {
            if id > 0xFFF {
                Err(format!(
                    "{}: memory id 0x{id:X} does not fit 12 bits",
                    self.name()
                ))
            } else {
                Ok(())
            }
        };
        match self {
            Command::Load {
                mem_id,
                data,
                padding,
                ..
            } => {
                mem(*mem_id)?;
                let gap = pad16(data.len()) - data.len();
                if !padding.is_empty() && padding.len() != gap {
                    return Err(format!(
                        "LOAD: {} padding bytes given, the payload needs {gap}",
                        padding.len()
                    ));
                }
                if u32::try_from(pad16(data.len())).is_err() {
                    return Err(format!(
                        "LOAD: {} bytes do not fit a 32-bit count",
                        data.len()
                    ));
                }
                Ok(())
            }
            Command::Erase {
                mem_id,
                erase_flags,
                ..
            } => {
                mem(*mem_id)?;
                if erase_flags & !0xF != 0 {
                    return Err(format!(
                        "ERASE: flags 0x{erase_flags:X}: only bits 3..0 are erase flags"
                    ));
                }
                Ok(())
            }
            Command::MemEnable { mem_id, .. } => mem(*mem_id),
            _ => Ok(()),
        }
    }

    /// The header fields this command encodes to.
    pub fn header(&self) -> Header {
        let h = |tag: u8, flags: u16, address: u32, count: u32, data: u32| Header {
            tag,
            flags,
            address,
            count,
            data,
        };
        match self {
            Command::Nop => h(tag::NOP, 0, 0, 0, 0),
            Command::Load {
                address,
                mem_id,
                data,
                padding,
                count_padded,
            } => {
                let padded = pad16(data.len());
                let count = if *count_padded { padded } else { data.len() };
                let mut crc = crc32_mpeg2(data);
                let gap = padded - data.len();
                crc = if padding.len() == gap {
                    crc32_mpeg2_update(crc, padding)
                } else {
                    crc32_mpeg2_update(crc, &[0u8; 16][..gap])
                };
                h(tag::LOAD, mem_flags(*mem_id), *address, count as u32, crc)
            }
            Command::Fill {
                address,
                length,
                pattern,
            } => h(tag::FILL, 0, *address, *length, *pattern),
            Command::Jump {
                address,
                argument,
                stack_pointer,
            } => match stack_pointer {
                Some(sp) => h(tag::JUMP, JUMP_FLAG_SP, *address, *sp, *argument),
                None => h(tag::JUMP, 0, *address, 0, *argument),
            },
            Command::Call { address, argument } => h(tag::CALL, 0, *address, 0, *argument),
            Command::Erase {
                address,
                length,
                mem_id,
                erase_flags,
            } => h(
                tag::ERASE,
                mem_flags(*mem_id) | (erase_flags & 0xF),
                *address,
                *length,
                0,
            ),
            Command::Reset => h(tag::RESET, 0, 0, 0, 0),
            Command::MemEnable {
                address,
                size,
                mem_id,
            } => h(tag::MEM_ENABLE, mem_flags(*mem_id), *address, *size, 0),
            Command::Prog {
                index,
                mem_id,
                word1,
                word2,
            } => {
                let flags = u16::from(*mem_id) << 8;
                match word2 {
                    Some(w2) => h(
                        tag::PROG,
                        flags | PROG_FLAG_EIGHT_BYTES,
                        *index,
                        *word1,
                        *w2,
                    ),
                    None => h(tag::PROG, flags, *index, *word1, 0),
                }
            }
            Command::VersionCheck { ver_type, version } => {
                h(tag::FW_VERSION_CHECK, 0, *ver_type, *version, 0)
            }
            Command::KeystoreToNv {
                controller,
                address,
            } => h(
                tag::KEYSTORE_TO_NV,
                u16::from(*controller) << 8,
                *address,
                KEYSTORE_COUNT,
                0,
            ),
            Command::KeystoreFromNv {
                controller,
                address,
            } => h(
                tag::KEYSTORE_FROM_NV,
                u16::from(*controller) << 8,
                *address,
                KEYSTORE_COUNT,
                0,
            ),
        }
    }

    /// Encoded length (a multiple of 16).
    pub fn encoded_len(&self) -> usize {
        match self {
            Command::Load { data, .. } => HEADER_LEN + pad16(data.len()),
            _ => HEADER_LEN,
        }
    }

    /// Appends the encoded command (call [`Command::check`] first: the header fields are
    /// masked to their width).
    pub fn encode_into(&self, w: &mut Writer) {
        w.bytes(&self.header().encode());
        if let Command::Load { data, padding, .. } = self {
            w.bytes(data);
            let gap = pad16(data.len()) - data.len();
            if padding.len() == gap {
                w.bytes(padding);
            } else {
                w.bytes(&[0u8; 16][..gap]);
            }
        }
    }

    /// The encoded command.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(self.encoded_len());
        self.encode_into(&mut w);
        w.into_vec()
    }

    /// The bytes a LOAD writes to memory (`data`, plus the padding when `count` covers it);
    /// None for other commands.
    pub fn load_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Command::Load {
                data,
                padding,
                count_padded,
                ..
            } => {
                let mut v = data.clone();
                if *count_padded {
                    let gap = pad16(data.len()) - data.len();
                    if padding.len() == gap {
                        v.extend_from_slice(padding);
                    } else {
                        v.resize(pad16(data.len()), 0);
                    }
                }
                Some(v)
            }
            _ => None,
        }
    }

    /// Decodes one command at the reader's position: checksum, tag, reserved fields, and for
    /// LOAD the payload length and its CRC-32/MPEG-2. The TAG command is not a boot command
    /// here (it starts a section) and is rejected.
    pub fn decode(r: &mut Reader<'_>) -> Result<Command, DecodeError> {
        let start = r.offset();
        let raw = r.array::<HEADER_LEN>("command header")?;
        let h = Header::decode(&raw, start)?;
        let reserved = |what: &'static str, ok: bool| -> Result<(), DecodeError> {
            if ok {
                Ok(())
            } else {
                Err(DecodeError::invalid(
                    what,
                    start,
                    format!(
                        "unexpected value in a {} command (flags 0x{:04X}, address 0x{:08X}, count 0x{:08X}, data 0x{:08X})",
                        tag_name(h.tag),
                        h.flags,
                        h.address,
                        h.count,
                        h.data
                    ),
                ))
            }
        };
        Ok(match h.tag {
            tag::NOP => {
                reserved(
                    "NOP fields",
                    h.flags == 0 && h.address == 0 && h.count == 0 && h.data == 0,
                )?;
                Command::Nop
            }
            tag::LOAD => {
                reserved("LOAD flags", h.flags & !MEM_MASK == 0)?;
                let count = h.count as usize;
                let padded = pad16(count);
                if padded > r.remaining() {
                    return Err(DecodeError::invalid(
                        "LOAD count",
                        start + 8,
                        format!(
                            "{count} bytes of payload, but only {} bytes are left in the section",
                            r.remaining()
                        ),
                    ));
                }
                let payload = r.take(padded, "LOAD payload")?;
                let crc = crc32_mpeg2(payload);
                if crc != h.data {
                    return Err(DecodeError::invalid(
                        "LOAD payload CRC",
                        start + 12,
                        format!(
                            "the command says 0x{:08X}, the {padded}-byte payload gives 0x{crc:08X}",
                            h.data
                        ),
                    ));
                }
                let (data, pad) = payload.split_at(count);
                Command::Load {
                    address: h.address,
                    mem_id: mem_id_of(h.flags),
                    data: data.to_vec(),
                    padding: if pad.iter().all(|&b| b == 0) {
                        Vec::new()
                    } else {
                        pad.to_vec()
                    },
                    count_padded: count == padded,
                }
            }
            tag::FILL => {
                reserved("FILL flags", h.flags == 0)?;
                Command::Fill {
                    address: h.address,
                    length: h.count,
                    pattern: h.data,
                }
            }
            tag::JUMP => match h.flags {
                0 => {
                    reserved("JUMP count", h.count == 0)?;
                    Command::Jump {
                        address: h.address,
                        argument: h.data,
                        stack_pointer: None,
                    }
                }
                JUMP_FLAG_SP => Command::Jump {
                    address: h.address,
                    argument: h.data,
                    stack_pointer: Some(h.count),
                },
                _ => return Err(reserved("JUMP flags", false).unwrap_err()),
            },
            tag::CALL => {
                reserved("CALL fields", h.flags == 0 && h.count == 0)?;
                Command::Call {
                    address: h.address,
                    argument: h.data,
                }
            }
            tag::ERASE => {
                reserved("ERASE fields", h.flags & 0xC == 0 && h.data == 0)?;
                Command::Erase {
                    address: h.address,
                    length: h.count,
                    mem_id: mem_id_of(h.flags),
                    erase_flags: h.flags & 0xF,
                }
            }
            tag::RESET => {
                reserved(
                    "RESET fields",
                    h.flags == 0 && h.address == 0 && h.count == 0 && h.data == 0,
                )?;
                Command::Reset
            }
            tag::MEM_ENABLE => {
                reserved("MEM_ENABLE fields", h.flags & !MEM_MASK == 0 && h.data == 0)?;
                Command::MemEnable {
                    address: h.address,
                    size: h.count,
                    mem_id: mem_id_of(h.flags),
                }
            }
            tag::PROG => {
                reserved("PROG flags", h.flags & 0x00FE == 0)?;
                let eight = h.flags & PROG_FLAG_EIGHT_BYTES != 0;
                reserved("PROG data word 2", eight || h.data == 0)?;
                Command::Prog {
                    index: h.address,
                    mem_id: (h.flags >> 8) as u8,
                    word1: h.count,
                    word2: eight.then_some(h.data),
                }
            }
            tag::FW_VERSION_CHECK => {
                reserved(
                    "FW_VERSION_CHECK fields",
                    h.flags == 0 && h.data == 0 && h.address <= 1,
                )?;
                Command::VersionCheck {
                    ver_type: h.address,
                    version: h.count,
                }
            }
            tag::KEYSTORE_TO_NV | tag::KEYSTORE_FROM_NV => {
                reserved(
                    "key-store command fields",
                    h.flags & 0x00FF == 0 && h.count == KEYSTORE_COUNT && h.data == 0,
                )?;
                let controller = (h.flags >> 8) as u8;
                if h.tag == tag::KEYSTORE_TO_NV {
                    Command::KeystoreToNv {
                        controller,
                        address: h.address,
                    }
                } else {
                    Command::KeystoreFromNv {
                        controller,
                        address: h.address,
                    }
                }
            }
            tag::TAG => {
                return Err(DecodeError::invalid(
                    "command tag",
                    start + 1,
                    "a TAG (section header) inside a section's command area",
                ));
            }
            t => {
                return Err(DecodeError::invalid(
                    "command tag",
                    start + 1,
                    format!("0x{t:02X} is not an SB2.1 command"),
                ));
            }
        })
    }
}

/// The name of command tag `t` (`0x..` for unknown tags).
pub fn tag_name(t: u8) -> String {
    match t {
        tag::NOP => "NOP".into(),
        tag::TAG => "TAG".into(),
        tag::LOAD => "LOAD".into(),
        tag::FILL => "FILL".into(),
        tag::JUMP => "JUMP".into(),
        tag::CALL => "CALL".into(),
        tag::ERASE => "ERASE".into(),
        tag::RESET => "RESET".into(),
        tag::MEM_ENABLE => "MEM_ENABLE".into(),
        tag::PROG => "PROG".into(),
        tag::FW_VERSION_CHECK => "FW_VERSION_CHECK".into(),
        tag::KEYSTORE_TO_NV => "WR_KEYSTORE_TO_NV".into(),
        tag::KEYSTORE_FROM_NV => "WR_KEYSTORE_FROM_NV".into(),
        t => format!("0x{t:02X}"),
    }
}

/// Decodes every command of a decrypted command area (a whole number of commands).
pub fn decode_commands(area: &[u8], base_offset: usize) -> Result<Vec<Command>, DecodeError> {
    let mut r = Reader::new(area);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(Command::decode(&mut r).map_err(|mut e| {
            e.offset += base_offset;
            e
        })?);
    }
    Ok(out)
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Nop => f.write_str("NOP"),
            Command::Load {
                address,
                mem_id,
                data,
                padding,
                count_padded,
            } => {
                let crc = self.header().data;
                write!(
                    f,
                    "LOAD address=0x{address:08X} mem_id={mem_id} length={} crc32=0x{crc:08X}",
                    data.len()
                )?;
                if !count_padded && pad16(data.len()) != data.len() {
                    f.write_str(" (count = data length)")?;
                }
                if !padding.is_empty() {
                    f.write_str(" (non-zero padding)")?;
                }
                Ok(())
            }
            Command::Fill {
                address,
                length,
                pattern,
            } => write!(
                f,
                "FILL address=0x{address:08X} length={length} pattern=0x{pattern:08X}"
            ),
            Command::Jump {
                address,
                argument,
                stack_pointer,
            } => {
                write!(f, "JUMP address=0x{address:08X} argument=0x{argument:08X}")?;
                if let Some(sp) = stack_pointer {
                    write!(f, " sp=0x{sp:08X}")?;
                }
                Ok(())
            }
            Command::Call { address, argument } => {
                write!(f, "CALL address=0x{address:08X} argument=0x{argument:08X}")
            }
            Command::Erase {
                address,
                length,
                mem_id,
                erase_flags,
            } => {
                if erase_flags & ERASE_FLAG_ALL_UNSECURE != 0 {
                    write!(f, "ERASE all unsecure mem_id={mem_id}")
                } else if erase_flags & ERASE_FLAG_ALL != 0 {
                    write!(f, "ERASE all mem_id={mem_id}")
                } else {
                    write!(
                        f,
                        "ERASE address=0x{address:08X} length=0x{length:X} mem_id={mem_id}"
                    )?;
                    if *erase_flags != 0 {
                        write!(f, " flags=0x{erase_flags:X}")?;
                    }
                    Ok(())
                }
            }
            Command::Reset => f.write_str("RESET"),
            Command::MemEnable {
                address,
                size,
                mem_id,
            } => write!(
                f,
                "MEM_ENABLE address=0x{address:08X} size={size} mem_id={mem_id}"
            ),
            Command::Prog {
                index,
                mem_id,
                word1,
                word2,
            } => {
                write!(
                    f,
                    "PROG index=0x{index:X} mem_id={mem_id} word1=0x{word1:08X}"
                )?;
                if let Some(w2) = word2 {
                    write!(f, " word2=0x{w2:08X}")?;
                }
                Ok(())
            }
            Command::VersionCheck { ver_type, version } => write!(
                f,
                "FW_VERSION_CHECK {} version={version}",
                if *ver_type == 0 {
                    "secure"
                } else {
                    "non-secure"
                }
            ),
            Command::KeystoreToNv {
                controller,
                address,
            } => write!(
                f,
                "WR_KEYSTORE_TO_NV controller={controller} address=0x{address:08X}"
            ),
            Command::KeystoreFromNv {
                controller,
                address,
            } => write!(
                f,
                "WR_KEYSTORE_FROM_NV controller={controller} address=0x{address:08X}"
            ),
        }
    }
}
