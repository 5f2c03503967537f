//! SB3.1 commands: encoding and strict decoding, with the byte layouts SPSDK 3.12 uses.
//!
//! Every command starts with a 16-byte header `tag 0x55AAAA55 | word1 | word2 | command id`
//! and is zero-padded to 16 bytes; see the table in `reference/sb31.md` section 3.3. The odd
//! ones: `programFuses` counts words, not bytes; `configureMemory` puts the memory ID in word1
//! and the address in word2; `loadKeyBlob` has a `<I H H I I>` header; `loadHashLocking` is
//! followed by 64 zero bytes.

use crate::codec::{DecodeError, Reader, Writer};
use std::fmt;

/// The command tag every SB3.1 command header starts with.
pub const TAG: u32 = 0x55AA_AA55;
/// `b"LZMA"` as the second trailer word of a compressed load.
pub const LZMA_MAGIC: u32 = u32::from_le_bytes(*b"LZMA");
/// Bytes of zero padding after a hash-locking payload.
pub const HASH_LOCKING_PAD: usize = 64;

/// Command ids.
pub mod id {
    /// erase
    pub const ERASE: u32 = 0x01;
    /// load
    pub const LOAD: u32 = 0x02;
    /// execute
    pub const EXECUTE: u32 = 0x03;
    /// call
    pub const CALL: u32 = 0x04;
    /// programFuses
    pub const PROGRAM_FUSES: u32 = 0x05;
    /// programIFR
    pub const PROGRAM_IFR: u32 = 0x06;
    /// loadCMAC
    pub const LOAD_CMAC: u32 = 0x07;
    /// copy
    pub const COPY: u32 = 0x08;
    /// loadHashLocking
    pub const LOAD_HASH_LOCKING: u32 = 0x09;
    /// loadKeyBlob
    pub const LOAD_KEY_BLOB: u32 = 0x0A;
    /// configureMemory
    pub const CONFIGURE_MEMORY: u32 = 0x0B;
    /// fillMemory
    pub const FILL_MEMORY: u32 = 0x0C;
    /// checkFwVersion
    pub const CHECK_FW_VERSION: u32 = 0x0D;
    /// reset
    pub const RESET: u32 = 0x0E;
}

/// The counter a `checkFwVersion` command compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterId(pub u32);

impl CounterId {
    /// Names SPSDK accepts in configs, by value.
    pub const NAMES: [(&'static str, u32); 7] = [
        ("none", 0),
        ("nonsecure", 1),
        ("secure", 2),
        ("radio", 3),
        ("snt", 4),
        ("bootloader", 5),
        ("radio_lp", 7),
    ];
    /// No counter.
    pub const NONE: CounterId = CounterId(0);
    /// Non-secure firmware counter.
    pub const NONSECURE: CounterId = CounterId(1);
    /// Secure firmware counter.
    pub const SECURE: CounterId = CounterId(2);

    /// From a config name (case-insensitive).
    pub fn from_name(name: &str) -> Option<CounterId> {
        Self::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, v)| CounterId(*v))
    }

    /// The config name, if the value has one.
    pub fn name(self) -> Option<&'static str> {
        Self::NAMES
            .iter()
            .find(|(_, v)| *v == self.0)
            .map(|(n, _)| *n)
    }
}

impl fmt::Display for CounterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "counter {}", self.0),
        }
    }
}

/// One SB3.1 command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// Erase `length` bytes at `address` (the ROM rounds up to its erase unit).
    Erase {
        /// Start.
        address: u32,
        /// Bytes.
        length: u32,
        /// Memory ID.
        memory_id: u32,
    },
    /// Write `data` at `address`.
    Load {
        /// Start.
        address: u32,
        /// Memory ID.
        memory_id: u32,
        /// Bytes.
        data: Vec<u8>,
    },
    /// An LZMA-compressed load (SPSDK's `compress: true`); kept as stored.
    LoadCompressed {
        /// Start.
        address: u32,
        /// Memory ID.
        memory_id: u32,
        /// CRC-32/MPEG-2 of the uncompressed data.
        crc32: u32,
        /// Uncompressed length.
        uncompressed_len: u32,
        /// The `.lzma` stream.
        data: Vec<u8>,
    },
    /// Jump to `address`; no further processing.
    Execute {
        /// Address.
        address: u32,
    },
    /// Call `address` and return (no SB3.1 family supports it).
    Call {
        /// Address.
        address: u32,
    },
    /// Program OTP words from fuse index `address`.
    ProgramFuses {
        /// First fuse word index.
        address: u32,
        /// Words.
        values: Vec<u32>,
    },
    /// Program the IFR at `address`.
    ProgramIfr {
        /// IFR offset.
        address: u32,
        /// Bytes.
        data: Vec<u8>,
    },
    /// Load data whose CMAC the ROM computes and stores.
    LoadCmac {
        /// Start.
        address: u32,
        /// Memory ID.
        memory_id: u32,
        /// Bytes.
        data: Vec<u8>,
    },
    /// Copy between memories.
    Copy {
        /// Source.
        address_from: u32,
        /// Bytes.
        length: u32,
        /// Destination.
        address_to: u32,
        /// Source memory ID.
        memory_id_from: u32,
        /// Destination memory ID.
        memory_id_to: u32,
    },
    /// Load data and lock it by hash.
    LoadHashLocking {
        /// Start.
        address: u32,
        /// Memory ID.
        memory_id: u32,
        /// Bytes.
        data: Vec<u8>,
    },
    /// Load a wrapped key blob.
    LoadKeyBlob {
        /// Offset (16 bits).
        offset: u16,
        /// Wrapping key id (16/17 or 18/19 per family).
        key_wrap_id: u16,
        /// The blob.
        data: Vec<u8>,
    },
    /// Configure memory `memory_id` from the configuration block at `address`.
    ConfigureMemory {
        /// Memory ID.
        memory_id: u32,
        /// Configuration block address.
        address: u32,
    },
    /// Fill `length` bytes at `address` with a 32-bit pattern.
    FillMemory {
        /// Start.
        address: u32,
        /// Bytes.
        length: u32,
        /// Pattern.
        pattern: u32,
    },
    /// Refuse the file unless `value` >= the device counter `counter` (and advance it).
    CheckFwVersion {
        /// Version.
        value: u32,
        /// Counter.
        counter: CounterId,
    },
    /// Reset the device (MCX L families).
    Reset {
        /// Reset parameters word.
        params: u32,
    },
}

fn pad16(n: usize) -> usize {
    n.div_ceil(16) * 16
}

fn header(w: &mut Writer, word1: u32, word2: u32, cmd: u32) {
    w.u32_le(TAG).u32_le(word1).u32_le(word2).u32_le(cmd);
}

fn data_padded(w: &mut Writer, data: &[u8]) {
    w.bytes(data);
    w.bytes(&vec![0u8; pad16(data.len()) - data.len()]);
}

impl Command {
    /// The command id.
    pub fn id(&self) -> u32 {
        match self {
            Command::Erase { .. } => id::ERASE,
            Command::Load { .. } | Command::LoadCompressed { .. } => id::LOAD,
            Command::Execute { .. } => id::EXECUTE,
            Command::Call { .. } => id::CALL,
            Command::ProgramFuses { .. } => id::PROGRAM_FUSES,
            Command::ProgramIfr { .. } => id::PROGRAM_IFR,
            Command::LoadCmac { .. } => id::LOAD_CMAC,
            Command::Copy { .. } => id::COPY,
            Command::LoadHashLocking { .. } => id::LOAD_HASH_LOCKING,
            Command::LoadKeyBlob { .. } => id::LOAD_KEY_BLOB,
            Command::ConfigureMemory { .. } => id::CONFIGURE_MEMORY,
            Command::FillMemory { .. } => id::FILL_MEMORY,
            Command::CheckFwVersion { .. } => id::CHECK_FW_VERSION,
            Command::Reset { .. } => id::RESET,
        }
    }

    /// The SPSDK config key of the command.
    pub fn config_name(&self) -> &'static str {
        name_of(self.id()).unwrap_or("?")
    }

    /// Appends the encoded command.
    pub fn encode_into(&self, w: &mut Writer) {
        match self {
            Command::Erase {
                address,
                length,
                memory_id,
            } => {
                header(w, *address, *length, id::ERASE);
                w.u32_le(*memory_id).u32_le(0).u32_le(0).u32_le(0);
            }
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
            } => {
                header(w, *address, data.len() as u32, self.id());
                w.u32_le(*memory_id).u32_le(0).u32_le(0).u32_le(0);
                data_padded(w, data);
                if matches!(self, Command::LoadHashLocking { .. }) {
                    w.bytes(&[0u8; HASH_LOCKING_PAD]);
                }
            }
            Command::LoadCompressed {
                address,
                memory_id,
                crc32,
                uncompressed_len,
                data,
            } => {
                header(w, *address, data.len() as u32, id::LOAD);
                w.u32_le(*memory_id)
                    .u32_le(LZMA_MAGIC)
                    .u32_le(*crc32)
                    .u32_le(*uncompressed_len);
                data_padded(w, data);
            }
            Command::Execute { address } => header(w, *address, 0, id::EXECUTE),
            Command::Call { address } => header(w, *address, 0, id::CALL),
            Command::ProgramFuses { address, values } => {
                header(w, *address, values.len() as u32, id::PROGRAM_FUSES);
                let mut d = Writer::with_capacity(values.len() * 4);
                for v in values {
                    d.u32_le(*v);
                }
                data_padded(w, d.as_slice());
            }
            Command::ProgramIfr { address, data } => {
                header(w, *address, data.len() as u32, id::PROGRAM_IFR);
                data_padded(w, data);
            }
            Command::Copy {
                address_from,
                length,
                address_to,
                memory_id_from,
                memory_id_to,
            } => {
                header(w, *address_from, *length, id::COPY);
                w.u32_le(*address_to)
                    .u32_le(*memory_id_from)
                    .u32_le(*memory_id_to)
                    .u32_le(0);
            }
            Command::LoadKeyBlob {
                offset,
                key_wrap_id,
                data,
            } => {
                let start = w.len();
                w.u32_le(TAG)
                    .u16_le(*offset)
                    .u16_le(*key_wrap_id)
                    .u32_le(data.len() as u32)
                    .u32_le(id::LOAD_KEY_BLOB)
                    .bytes(data);
                let n = w.len() - start;
                w.bytes(&vec![0u8; pad16(n) - n]);
            }
            Command::ConfigureMemory { memory_id, address } => {
                header(w, *memory_id, *address, id::CONFIGURE_MEMORY)
            }
            Command::FillMemory {
                address,
                length,
                pattern,
            } => {
                header(w, *address, *length, id::FILL_MEMORY);
                w.u32_le(*pattern).u32_le(0).u32_le(0).u32_le(0);
            }
            Command::CheckFwVersion { value, counter } => {
                header(w, *value, counter.0, id::CHECK_FW_VERSION)
            }
            Command::Reset { params } => header(w, *params, 0, id::RESET),
        }
    }

    /// The encoded command.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode_into(&mut w);
        w.into_vec()
    }

    /// Encoded length (a multiple of 16).
    pub fn encoded_len(&self) -> usize {
        match self {
            Command::Erase { .. } | Command::Copy { .. } | Command::FillMemory { .. } => 32,
            Command::Load { data, .. }
            | Command::LoadCmac { data, .. }
            | Command::LoadCompressed { data, .. } => 32 + pad16(data.len()),
            Command::LoadHashLocking { data, .. } => 32 + pad16(data.len()) + HASH_LOCKING_PAD,
            Command::ProgramFuses { values, .. } => 16 + pad16(4 * values.len()),
            Command::ProgramIfr { data, .. } => 16 + pad16(data.len()),
            Command::LoadKeyBlob { data, .. } => pad16(16 + data.len()),
            Command::Execute { .. }
            | Command::Call { .. }
            | Command::ConfigureMemory { .. }
            | Command::CheckFwVersion { .. }
            | Command::Reset { .. } => 16,
        }
    }

    /// Decodes one command at the reader's position. Strict: reserved words and padding
    /// must be zero, lengths must fit.
    pub fn decode(r: &mut Reader<'_>) -> Result<Command, DecodeError> {
        let start = r.offset();
        let tag = r.u32_le("command tag")?;
        if tag != TAG {
            return Err(DecodeError::invalid(
                "command tag",
                start,
                format!("expected 0x55AAAA55, found 0x{tag:08X}"),
            ));
        }
        // loadKeyBlob has its own header layout; peek at the id first.
        let mut peek = r.clone();
        peek.u32_le("command word 1")?;
        peek.u32_le("command word 2")?;
        let cmd = peek.u32_le("command id")?;
        if cmd == id::LOAD_KEY_BLOB {
            let offset = r.u16_le("loadKeyBlob offset")?;
            let key_wrap_id = r.u16_le("loadKeyBlob wrapping key id")?;
            let len = r.u32_le("loadKeyBlob length")? as usize;
            r.u32_le("command id")?;
            let data = r.take(len, "loadKeyBlob data")?.to_vec();
            zero_pad(r, pad16(16 + len) - 16 - len, "loadKeyBlob padding")?;
            return Ok(Command::LoadKeyBlob {
                offset,
                key_wrap_id,
                data,
            });
        }
        let word1 = r.u32_le("command word 1")?;
        let w2_at = r.offset();
        let word2 = r.u32_le("command word 2")?;
        r.u32_le("command id")?;
        let must_zero = |v: u32, at: usize, what: &'static str| {
            if v == 0 {
                Ok(())
            } else {
                Err(DecodeError::invalid(
                    what,
                    at,
                    format!("0x{v:08X}, must be 0"),
                ))
            }
        };
        Ok(match cmd {
            id::ERASE => {
                let memory_id = r.u32_le("erase memory ID")?;
                zero_words(r, 3, "erase reserved words")?;
                Command::Erase {
                    address: word1,
                    length: word2,
                    memory_id,
                }
            }
            id::LOAD | id::LOAD_CMAC | id::LOAD_HASH_LOCKING => {
                let memory_id = r.u32_le("load memory ID")?;
                let p_at = r.offset();
                let p0 = r.u32_le("load trailer")?;
                let p1 = r.u32_le("load trailer")?;
                let p2 = r.u32_le("load trailer")?;
                let len = word2 as usize;
                if cmd == id::LOAD && p0 == LZMA_MAGIC {
                    let data = r.take(len, "compressed load data")?.to_vec();
                    zero_pad(r, pad16(len) - len, "load padding")?;
                    return Ok(Command::LoadCompressed {
                        address: word1,
                        memory_id,
                        crc32: p1,
                        uncompressed_len: p2,
                        data,
                    });
                }
                must_zero(p0 | p1 | p2, p_at, "load reserved words")?;
                let data = r.take(len, "load data")?.to_vec();
                zero_pad(r, pad16(len) - len, "load padding")?;
                match cmd {
                    id::LOAD => Command::Load {
                        address: word1,
                        memory_id,
                        data,
                    },
                    id::LOAD_CMAC => Command::LoadCmac {
                        address: word1,
                        memory_id,
                        data,
                    },
                    _ => {
                        zero_pad(r, HASH_LOCKING_PAD, "loadHashLocking trailing zeros")?;
                        Command::LoadHashLocking {
                            address: word1,
                            memory_id,
                            data,
                        }
                    }
                }
            }
            id::EXECUTE => {
                must_zero(word2, w2_at, "execute word 2")?;
                Command::Execute { address: word1 }
            }
            id::CALL => {
                must_zero(word2, w2_at, "call word 2")?;
                Command::Call { address: word1 }
            }
            id::PROGRAM_FUSES => {
                let n = word2 as usize;
                let bytes = n.checked_mul(4).ok_or_else(|| {
                    DecodeError::invalid("programFuses count", w2_at, "too many words")
                })?;
                let data = r.take(bytes, "programFuses values")?;
                let values = data
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                zero_pad(r, pad16(bytes) - bytes, "programFuses padding")?;
                Command::ProgramFuses {
                    address: word1,
                    values,
                }
            }
            id::PROGRAM_IFR => {
                let len = word2 as usize;
                let data = r.take(len, "programIFR data")?.to_vec();
                zero_pad(r, pad16(len) - len, "programIFR padding")?;
                Command::ProgramIfr {
                    address: word1,
                    data,
                }
            }
            id::COPY => {
                let address_to = r.u32_le("copy destination")?;
                let memory_id_from = r.u32_le("copy source memory ID")?;
                let memory_id_to = r.u32_le("copy destination memory ID")?;
                let at = r.offset();
                must_zero(r.u32_le("copy reserved word")?, at, "copy reserved word")?;
                Command::Copy {
                    address_from: word1,
                    length: word2,
                    address_to,
                    memory_id_from,
                    memory_id_to,
                }
            }
            id::CONFIGURE_MEMORY => Command::ConfigureMemory {
                memory_id: word1,
                address: word2,
            },
            id::FILL_MEMORY => {
                let pattern = r.u32_le("fillMemory pattern")?;
                zero_words(r, 3, "fillMemory reserved words")?;
                Command::FillMemory {
                    address: word1,
                    length: word2,
                    pattern,
                }
            }
            id::CHECK_FW_VERSION => Command::CheckFwVersion {
                value: word1,
                counter: CounterId(word2),
            },
            id::RESET => {
                must_zero(word2, w2_at, "reset word 2")?;
                Command::Reset { params: word1 }
            }
            other => {
                return Err(DecodeError::invalid(
                    "command id",
                    start + 12,
                    format!("unknown SB3.1 command 0x{other:02X}"),
                ));
            }
        })
    }
}

fn zero_words(r: &mut Reader<'_>, n: usize, what: &'static str) -> Result<(), DecodeError> {
    zero_pad(r, 4 * n, what)
}

fn zero_pad(r: &mut Reader<'_>, n: usize, what: &'static str) -> Result<(), DecodeError> {
    let at = r.offset();
    let b = r.take(n, what)?;
    if b.iter().all(|&x| x == 0) {
        Ok(())
    } else {
        Err(DecodeError::invalid(what, at, "must be zero"))
    }
}

/// The SPSDK config key of a command id.
pub fn name_of(cmd: u32) -> Option<&'static str> {
    Some(match cmd {
        id::ERASE => "erase",
        id::LOAD => "load",
        id::EXECUTE => "execute",
        id::CALL => "call",
        id::PROGRAM_FUSES => "programFuses",
        id::PROGRAM_IFR => "programIFR",
        id::LOAD_CMAC => "loadCMAC",
        id::COPY => "copy",
        id::LOAD_HASH_LOCKING => "loadHashLocking",
        id::LOAD_KEY_BLOB => "loadKeyBlob",
        id::CONFIGURE_MEMORY => "configureMemory",
        id::FILL_MEMORY => "fillMemory",
        id::CHECK_FW_VERSION => "checkFwVersion",
        id::RESET => "reset",
        _ => return None,
    })
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Erase {
                address,
                length,
                memory_id,
            } => write!(
                f,
                "erase address=0x{address:08X} size=0x{length:X} memoryId={memory_id}"
            ),
            Command::Load {
                address,
                memory_id,
                data,
            } => write!(
                f,
                "load address=0x{address:08X} size=0x{:X} memoryId={memory_id}",
                data.len()
            ),
            Command::LoadCompressed {
                address,
                memory_id,
                uncompressed_len,
                data,
                ..
            } => write!(
                f,
                "load (LZMA) address=0x{address:08X} size=0x{:X} uncompressed=0x{uncompressed_len:X} memoryId={memory_id}",
                data.len()
            ),
            Command::Execute { address } => write!(f, "execute address=0x{address:08X}"),
            Command::Call { address } => write!(f, "call address=0x{address:08X}"),
            Command::ProgramFuses { address, values } => write!(
                f,
                "programFuses address=0x{address:X} values={}",
                values
                    .iter()
                    .map(|v| format!("0x{v:08X}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Command::ProgramIfr { address, data } => write!(
                f,
                "programIFR address=0x{address:X} size=0x{:X}",
                data.len()
            ),
            Command::LoadCmac {
                address,
                memory_id,
                data,
            } => write!(
                f,
                "loadCMAC address=0x{address:08X} size=0x{:X} memoryId={memory_id}",
                data.len()
            ),
            Command::Copy {
                address_from,
                length,
                address_to,
                memory_id_from,
                memory_id_to,
            } => write!(
                f,
                "copy addressFrom=0x{address_from:08X} size=0x{length:X} addressTo=0x{address_to:08X} memoryIdFrom={memory_id_from} memoryIdTo={memory_id_to}"
            ),
            Command::LoadHashLocking {
                address,
                memory_id,
                data,
            } => write!(
                f,
                "loadHashLocking address=0x{address:08X} size=0x{:X} memoryId={memory_id}",
                data.len()
            ),
            Command::LoadKeyBlob {
                offset,
                key_wrap_id,
                data,
            } => write!(
                f,
                "loadKeyBlob offset=0x{offset:X} wrappingKeyId={key_wrap_id} size=0x{:X}",
                data.len()
            ),
            Command::ConfigureMemory { memory_id, address } => write!(
                f,
                "configureMemory configAddress=0x{address:08X} memoryId={memory_id}"
            ),
            Command::FillMemory {
                address,
                length,
                pattern,
            } => write!(
                f,
                "fillMemory address=0x{address:08X} size=0x{length:X} pattern=0x{pattern:08X}"
            ),
            Command::CheckFwVersion { value, counter } => {
                write!(f, "checkFwVersion value={value} counterId={counter}")
            }
            Command::Reset { params } => write!(f, "reset params=0x{params:08X}"),
        }
    }
}

/// The section header that starts the plaintext: `uid 1 | type 1 | length | 0`.
pub const SECTION_HEADER_LEN: usize = 16;

/// Encodes the section header and the commands (not padded to the chunk size).
pub fn encode_section(commands: &[Command]) -> Vec<u8> {
    let len: usize = commands.iter().map(Command::encoded_len).sum();
    let mut w = Writer::with_capacity(SECTION_HEADER_LEN + len);
    encode_section_into(commands, &mut w);
    w.into_vec()
}

/// Appends the section header and the commands to `w`.
pub fn encode_section_into(commands: &[Command], w: &mut Writer) {
    let len: usize = commands.iter().map(Command::encoded_len).sum();
    w.u32_le(1).u32_le(1).u32_le(len as u32).u32_le(0);
    for c in commands {
        c.encode_into(w);
    }
}

/// Decodes the section header, returning the length of the commands that follow.
pub fn decode_section_header(r: &mut Reader<'_>) -> Result<usize, DecodeError> {
    let at = r.offset();
    let uid = r.u32_le("section UID")?;
    let kind = r.u32_le("section type")?;
    let len = r.u32_le("section length")?;
    let pad = r.u32_le("section reserved word")?;
    if uid != 1 || kind != 1 || pad != 0 || len % 16 != 0 {
        return Err(DecodeError::invalid(
            "section header",
            at,
            format!("not a section header (uid {uid}, type {kind}, length {len}, reserved {pad})"),
        ));
    }
    Ok(len as usize)
}

/// Decodes the whole plaintext (section header, commands, zero padding).
pub fn decode_section(plain: &[u8]) -> Result<Vec<Command>, DecodeError> {
    let mut r = Reader::new(plain);
    let len = decode_section_header(&mut r)?;
    let mut body = r.sub(len, "section commands")?;
    let mut out = Vec::new();
    while !body.is_empty() {
        out.push(Command::decode(&mut body)?);
    }
    let at = r.offset();
    if r.rest().iter().any(|&b| b != 0) {
        return Err(DecodeError::invalid(
            "block padding",
            at,
            "bytes after the last command must be zero",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::from_hex;

    #[test]
    fn vector_e_layouts() {
        // reference/sb31.md 3.3, byte-exact examples of vector E.
        let cases: Vec<(Command, String)> = vec![
            (
                Command::ConfigureMemory {
                    memory_id: 9,
                    address: 0x2000_1000,
                },
                "55aaaa55 09000000 00100020 0b000000".into(),
            ),
            (
                Command::Erase {
                    address: 0x8000_0000,
                    length: 0x1000,
                    memory_id: 9,
                },
                "55aaaa55 00000080 00100000 01000000 09000000 00000000 00000000 00000000".into(),
            ),
            (
                Command::ProgramFuses {
                    address: 0x50,
                    values: vec![1, 2, 3],
                },
                "55aaaa55 50000000 03000000 05000000 01000000 02000000 03000000 00000000".into(),
            ),
            (
                Command::Copy {
                    address_from: 0x8000_0000,
                    length: 0x100,
                    address_to: 0x2000_3000,
                    memory_id_from: 9,
                    memory_id_to: 0,
                },
                "55aaaa55 00000080 00010000 08000000 00300020 09000000 00000000 00000000".into(),
            ),
            (
                Command::FillMemory {
                    address: 0x2000_4000,
                    length: 0x40,
                    pattern: 0xA5A5_A5A5,
                },
                "55aaaa55 00400020 40000000 0c000000 a5a5a5a5 00000000 00000000 00000000".into(),
            ),
            (
                Command::CheckFwVersion {
                    value: 4,
                    counter: CounterId::NONSECURE,
                },
                "55aaaa55 04000000 01000000 0d000000".into(),
            ),
            (
                Command::Execute {
                    address: 0x8000_1000,
                },
                "55aaaa55 00100080 00000000 03000000".into(),
            ),
            (
                Command::Load {
                    address: 0x2000_2000,
                    memory_id: 0,
                    data: 0x1234_5678u32.to_le_bytes().to_vec(),
                },
                "55aaaa55 00200020 04000000 02000000 00000000 00000000 00000000 00000000 \
                 78563412 00000000 00000000 00000000"
                    .into(),
            ),
        ];
        for (cmd, hex) in cases {
            let want = from_hex(&hex).unwrap();
            let got = cmd.encode();
            assert_eq!(got, want, "{cmd}");
            assert_eq!(got.len(), cmd.encoded_len());
            let mut r = Reader::new(&got);
            assert_eq!(Command::decode(&mut r).unwrap(), cmd);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn keyblob_and_hash_locking() {
        let kb = Command::LoadKeyBlob {
            offset: 4,
            key_wrap_id: 19,
            data: (0xA0..0xD0).collect(),
        };
        let e = kb.encode();
        assert_eq!(
            e[..16],
            from_hex("55aaaa5504001300300000000a000000").unwrap()[..]
        );
        assert_eq!(e.len(), 64);
        let hl = Command::LoadHashLocking {
            address: 0x4000,
            memory_id: 0,
            data: (0x50..0x90).collect(),
        };
        assert_eq!(hl.encode().len(), 32 + 64 + 64);
        for c in [kb, hl] {
            let b = c.encode();
            assert_eq!(Command::decode(&mut Reader::new(&b)).unwrap(), c);
        }
    }

    #[test]
    fn strictness() {
        let mut b = Command::Erase {
            address: 0,
            length: 0x2000,
            memory_id: 0,
        }
        .encode();
        b[20] = 1;
        assert!(Command::decode(&mut Reader::new(&b)).is_err());
        let mut b = Command::Load {
            address: 0,
            memory_id: 0,
            data: vec![1, 2, 3],
        }
        .encode();
        *b.last_mut().unwrap() = 1;
        assert!(Command::decode(&mut Reader::new(&b)).is_err());
        let b = from_hex("55aaaa550000000000000000ff000000").unwrap();
        assert!(Command::decode(&mut Reader::new(&b)).is_err());
        // A huge length is a truncation error, not a panic or an allocation.
        let b = from_hex("55aaaa5500000000ffffffff02000000").unwrap();
        assert!(Command::decode(&mut Reader::new(&b)).is_err());
        let b = from_hex("55aaaa5500000000ffffffff05000000").unwrap();
        assert!(Command::decode(&mut Reader::new(&b)).is_err());
    }

    #[test]
    fn section_round_trip() {
        let cmds = vec![
            Command::Erase {
                address: 0,
                length: 0x2000,
                memory_id: 0,
            },
            Command::Load {
                address: 0x1000,
                memory_id: 0,
                data: (0..32).collect(),
            },
            Command::ProgramFuses {
                address: 0x44,
                values: vec![0x1122_3344, 0x5566_7788],
            },
        ];
        let mut s = encode_section(&cmds);
        assert_eq!(s[8..12], 0x80u32.to_le_bytes());
        s.resize(256, 0);
        assert_eq!(decode_section(&s).unwrap(), cmds);
        s[255] = 1;
        assert!(decode_section(&s).is_err());
    }

    #[test]
    fn stream_matches_whole_decode_at_any_split() {
        let cmds = vec![
            Command::Erase {
                address: 0,
                length: 0x2000,
                memory_id: 0,
            },
            Command::Load {
                address: 0x1000,
                memory_id: 0,
                data: (0..=255).cycle().take(700).collect(),
            },
            Command::LoadKeyBlob {
                offset: 4,
                key_wrap_id: 19,
                data: vec![7; 40],
            },
            Command::Execute { address: 0x1000 },
        ];
        let mut s = encode_section(&cmds);
        s.resize(s.len().div_ceil(256) * 256, 0);
        for step in [1, 7, 16, 256] {
            let mut st = CommandStream::new(1 << 20);
            let mut got = Vec::new();
            for chunk in s.chunks(step) {
                got.extend(st.push(chunk).unwrap());
            }
            assert!(st.finished());
            assert_eq!(got, cmds, "step {step}");
        }
        let mut st = CommandStream::new(64);
        assert!(st.push(&s).is_err());
    }

    #[test]
    fn counter_names() {
        assert_eq!(CounterId::from_name("Secure"), Some(CounterId::SECURE));
        assert_eq!(CounterId::from_name("radio_lp"), Some(CounterId(7)));
        assert_eq!(CounterId(6).name(), None);
        assert_eq!(CounterId(2).to_string(), "secure");
    }
}

/// Length of the command whose 16-byte header is `head` (what a streaming loader must wait
/// for before decoding it).
pub fn encoded_len_from_header(head: &[u8; 16]) -> Result<usize, DecodeError> {
    let w = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    if w(0) != TAG {
        return Err(DecodeError::invalid(
            "command tag",
            0,
            format!("expected 0x55AAAA55, found 0x{:08X}", w(0)),
        ));
    }
    let cmd = w(12);
    let word2 = w(8) as usize;
    Ok(match cmd {
        id::ERASE | id::COPY | id::FILL_MEMORY => 32,
        id::LOAD | id::LOAD_CMAC => 32 + pad16(word2),
        id::LOAD_HASH_LOCKING => 32 + pad16(word2) + HASH_LOCKING_PAD,
        id::PROGRAM_FUSES => 16 + pad16(word2.saturating_mul(4)),
        id::PROGRAM_IFR => 16 + pad16(word2),
        id::LOAD_KEY_BLOB => pad16(16 + word2),
        id::EXECUTE | id::CALL | id::CONFIGURE_MEMORY | id::CHECK_FW_VERSION | id::RESET => 16,
        other => {
            return Err(DecodeError::invalid(
                "command id",
                12,
                format!("unknown SB3.1 command 0x{other:02X}"),
            ));
        }
    })
}

/// Decodes the plaintext stream as it arrives, block by block, the way a ROM executes an
/// SB3.1 file: the section header first, then each command as soon as all of its bytes are
/// in (commands may straddle blocks). Commands longer than `max_command` are refused before
/// they are buffered.
#[derive(Debug)]
pub struct CommandStream {
    buf: zeroize::Zeroizing<Vec<u8>>,
    section_left: Option<usize>,
    max_command: usize,
}

impl CommandStream {
    /// A stream that refuses commands longer than `max_command` bytes.
    pub fn new(max_command: usize) -> CommandStream {
        CommandStream {
            buf: zeroize::Zeroizing::new(Vec::new()),
            section_left: None,
            max_command,
        }
    }

    /// True when the section header has been read and every command consumed.
    pub fn finished(&self) -> bool {
        self.section_left == Some(0)
    }

    /// Takes plaintext; returns the commands it completed. After the section, the bytes must
    /// be zero padding.
    pub fn push(&mut self, plain: &[u8]) -> Result<Vec<Command>, DecodeError> {
        self.buf.extend_from_slice(plain);
        let mut out = Vec::new();
        loop {
            match self.section_left {
                None => {
                    if self.buf.len() < SECTION_HEADER_LEN {
                        return Ok(out);
                    }
                    let len =
                        decode_section_header(&mut Reader::new(&self.buf[..SECTION_HEADER_LEN]))?;
                    self.buf.drain(..SECTION_HEADER_LEN);
                    self.section_left = Some(len);
                }
                Some(0) => {
                    if self.buf.iter().any(|&b| b != 0) {
                        return Err(DecodeError::invalid(
                            "block padding",
                            0,
                            "bytes after the last command must be zero",
                        ));
                    }
                    self.buf.clear();
                    return Ok(out);
                }
                Some(left) => {
                    if self.buf.len() < 16 {
                        return Ok(out);
                    }
                    let mut head = [0u8; 16];
                    head.copy_from_slice(&self.buf[..16]);
                    let n = encoded_len_from_header(&head)?;
                    if n > left {
                        return Err(DecodeError::invalid(
                            "command length",
                            0,
                            format!("{n} bytes, only {left} left in the section"),
                        ));
                    }
                    if n > self.max_command {
                        return Err(DecodeError::invalid(
                            "command length",
                            0,
                            format!(
                                "{n} bytes, more than the loader takes ({})",
                                self.max_command
                            ),
                        ));
                    }
                    if self.buf.len() < n {
                        return Ok(out);
                    }
                    let mut r = Reader::new(&self.buf[..n]);
                    let c = Command::decode(&mut r)?;
                    r.finish("command")?;
                    self.buf.drain(..n);
                    self.section_left = Some(left - n);
                    out.push(c);
                }
            }
        }
    }
}
