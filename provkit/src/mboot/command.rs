//! Typed mboot commands and responses (reference blhost.md §3).
//!
//! Every command knows its tag, flags and parameters ([`Command::to_packet`]) and can be
//! decoded back from a packet ([`Command::from_packet`], used by the simulator, tolerant
//! of the shorter parameter lists real hosts send). Responses are decoded by their tag.

use super::packet::{FLAG_HAS_DATA_PHASE, Packet, bytes_to_words};
use super::status::StatusCode;
use crate::codec::DecodeError;
use std::fmt;

/// A command tag (open: unknown tags are kept).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandTag(pub u8);

macro_rules! tags {
    ($ty:ident { $($(#[$m:meta])* $name:ident = $val:expr, $label:expr;)* }) => {
        impl $ty {
            $($(#[$m])* pub const $name: $ty = $ty($val);)*
            /// SPSDK's name for the tag, if it is known.
            pub fn name(self) -> Option<&'static str> {
                match self.0 { $($val => Some($label),)* _ => None }
            }
            /// Every named tag.
            pub const ALL: &'static [$ty] = &[$($ty($val)),*];
        }
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => write!(f, "{n} (0x{:02X})", self.0),
                    None => write!(f, "unknown tag 0x{:02X}", self.0),
                }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self, f)
            }
        }
    };
}

tags!(CommandTag {
    /// Erase all of a memory.
    FLASH_ERASE_ALL = 0x01, "FlashEraseAll";
    /// Erase a region.
    FLASH_ERASE_REGION = 0x02, "FlashEraseRegion";
    /// Read memory (device-to-host data phase).
    READ_MEMORY = 0x03, "ReadMemory";
    /// Write memory (host-to-device data phase).
    WRITE_MEMORY = 0x04, "WriteMemory";
    /// Fill memory with a 32-bit pattern.
    FILL_MEMORY = 0x05, "FillMemory";
    /// Backdoor-key unlock.
    FLASH_SECURITY_DISABLE = 0x06, "FlashSecurityDisable";
    /// Read a property.
    GET_PROPERTY = 0x07, "GetProperty";
    /// Stream an SB capsule.
    RECEIVE_SB_FILE = 0x08, "ReceiveSBFile";
    /// Jump to code.
    EXECUTE = 0x09, "Execute";
    /// Call code and return.
    CALL = 0x0A, "Call";
    /// Reset the chip.
    RESET = 0x0B, "Reset";
    /// Write a property.
    SET_PROPERTY = 0x0C, "SetProperty";
    /// Erase all and unsecure.
    FLASH_ERASE_ALL_UNSECURE = 0x0D, "FlashEraseAllUnsecure";
    /// Program a once-programmable word.
    FLASH_PROGRAM_ONCE = 0x0E, "FlashProgramOnce";
    /// Read a once-programmable word.
    FLASH_READ_ONCE = 0x0F, "FlashReadOnce";
    /// Read a flash resource (IFR/FW ID).
    FLASH_READ_RESOURCE = 0x10, "FlashReadResource";
    /// Configure external memory from a config block in RAM.
    CONFIGURE_MEMORY = 0x11, "ConfigureMemory";
    /// Reliable update swap.
    RELIABLE_UPDATE = 0x12, "ReliableUpdate";
    /// Generate a key blob.
    GENERATE_KEY_BLOB = 0x13, "GenerateKeyBlob";
    /// Program fuses.
    FUSE_PROGRAM = 0x14, "ProgramFuse";
    /// PUF key store operations.
    KEY_PROVISIONING = 0x15, "KeyProvisioning";
    /// Trust provisioning operations.
    TRUST_PROVISIONING = 0x16, "TrustProvisioning";
    /// Read fuses.
    FUSE_READ = 0x17, "ReadFuse";
    /// Advance the life cycle.
    UPDATE_LIFE_CYCLE = 0x18, "UpdateLifeCycle";
    /// EdgeLock Enclave message.
    ELE_MESSAGE = 0x19, "EleMessage";
    /// EdgeLock 2GO provisioning firmware commands.
    EL2GO = 0x20, "EL2GO";
});

impl CommandTag {
    /// Bit of this tag in property 7 (AvailableCommands): `1 << (tag - 1)`.
    pub fn available_commands_bit(self) -> u32 {
        if (1..=32).contains(&self.0) {
            1u32 << (self.0 - 1)
        } else {
            0
        }
    }
}

/// A response tag (open).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseTag(pub u8);

tags!(ResponseTag {
    /// Status + command tag.
    GENERIC = 0xA0, "GenericResponse";
    /// Status + byte count, data phase follows.
    READ_MEMORY = 0xA3, "ReadMemoryResponse";
    /// Status + property values.
    GET_PROPERTY = 0xA7, "GetPropertyResponse";
    /// Status + byte count + data words.
    FLASH_READ_ONCE = 0xAF, "FlashReadOnceResponse";
    /// Status + byte count, data phase follows.
    FLASH_READ_RESOURCE = 0xB0, "FlashReadResourceResponse";
    /// Status + byte count, data phase follows.
    KEY_BLOB = 0xB3, "KeyBlobResponse";
    /// Status + byte count, data phase may follow.
    KEY_PROVISIONING = 0xB5, "KeyProvisioningResponse";
    /// Status + operation values.
    TRUST_PROVISIONING = 0xB6, "TrustProvisioningResponse";
});

/// Key-provisioning operations (param 0 of command 0x15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProvOp {
    /// 0: enroll the PUF.
    Enroll,
    /// 1: set a user key; host-to-device data phase with the key.
    SetUserKey {
        /// Key type (3 = SBKEK, ...).
        key_type: u32,
        /// Key size in bytes.
        key_size: u32,
    },
    /// 2: generate an intrinsic key.
    SetIntrinsicKey {
        /// Key type.
        key_type: u32,
        /// Key size in bytes.
        key_size: u32,
    },
    /// 3: write the key store to non-volatile memory.
    WriteNonVolatile {
        /// Memory ID.
        memory_id: u32,
    },
    /// 4: read the key store from non-volatile memory.
    ReadNonVolatile {
        /// Memory ID.
        memory_id: u32,
    },
    /// 5: write a whole key store; host-to-device data phase.
    WriteKeyStore {
        /// Key store size in bytes.
        size: u32,
    },
    /// 6: read the key store; device-to-host data phase.
    ReadKeyStore,
}

/// User key types accepted by `key-provisioning set_user_key` (blhost.md §3.4).
pub const USER_KEY_TYPES: &[(&str, u32)] = &[
    ("OTFADKEK", 2),
    ("SBKEK", 3),
    ("PRINCE0", 7),
    ("PRINCE1", 8),
    ("PRINCE2", 9),
    ("PRINCE3", 10),
    ("USERKEK", 11),
    ("UDS", 12),
];

/// Key type number of SBKEK.
pub const KEY_TYPE_SBKEK: u32 = 3;

/// An mboot command with typed parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// 0x01
    FlashEraseAll {
        /// Memory ID (0 internal, 9 FlexSPI NOR, ...).
        memory_id: u32,
    },
    /// 0x02
    FlashEraseRegion {
        /// Start address.
        address: u32,
        /// Length.
        byte_count: u32,
        /// Memory ID.
        memory_id: u32,
    },
    /// 0x03
    ReadMemory {
        /// Start address.
        address: u32,
        /// Length.
        byte_count: u32,
        /// Memory ID.
        memory_id: u32,
    },
    /// 0x04
    WriteMemory {
        /// Start address.
        address: u32,
        /// Length.
        byte_count: u32,
        /// Memory ID.
        memory_id: u32,
    },
    /// 0x05
    FillMemory {
        /// Start address.
        address: u32,
        /// Length.
        byte_count: u32,
        /// 32-bit pattern, repeated.
        pattern: u32,
    },
    /// 0x06
    FlashSecurityDisable {
        /// 8-byte backdoor key, in the order the user gives it.
        key: [u8; 8],
    },
    /// 0x07
    GetProperty {
        /// Property tag.
        tag: u32,
        /// Memory ID or region index.
        index: u32,
    },
    /// 0x08
    ReceiveSbFile {
        /// Capsule length.
        byte_count: u32,
    },
    /// 0x09
    Execute {
        /// Jump address.
        address: u32,
        /// Argument in R0.
        argument: u32,
        /// Stack pointer.
        stack_pointer: u32,
    },
    /// 0x0A
    Call {
        /// Call address.
        address: u32,
        /// Argument in R0.
        argument: u32,
    },
    /// 0x0B
    Reset {
        /// SPSDK 3.12 `reset -rp`: optional parameter.
        parameter: Option<u32>,
    },
    /// 0x0C
    SetProperty {
        /// Property tag.
        tag: u32,
        /// New value.
        value: u32,
    },
    /// 0x0D
    FlashEraseAllUnsecure,
    /// 0x0E
    FlashProgramOnce {
        /// OTP index (bit 24 = lock, for efuse-program-once).
        index: u32,
        /// 4 or 8.
        byte_count: u32,
        /// Data words.
        data: Vec<u32>,
    },
    /// 0x0F
    FlashReadOnce {
        /// OTP index.
        index: u32,
        /// 4 or 8.
        byte_count: u32,
    },
    /// 0x10
    FlashReadResource {
        /// Start address.
        address: u32,
        /// Length (4-aligned).
        byte_count: u32,
        /// 0 = IFR, 1 = FW ID.
        option: u32,
    },
    /// 0x11
    ConfigureMemory {
        /// Memory ID.
        memory_id: u32,
        /// Address of the configuration block in RAM.
        address: u32,
    },
    /// 0x12
    ReliableUpdate {
        /// Backup application address or swap indicator.
        address: u32,
    },
    /// 0x13
    GenerateKeyBlob {
        /// Key selector.
        key_sel: u32,
        /// DEK length (phase 0) or blob length (phase 1).
        length: u32,
        /// 0 = send DEK, 1 = read blob.
        phase: u32,
    },
    /// 0x14
    FuseProgram {
        /// Fuse address.
        address: u32,
        /// Length.
        byte_count: u32,
        /// Memory ID.
        memory_id: u32,
    },
    /// 0x15
    KeyProvisioning(KeyProvOp),
    /// 0x16: raw parameter words (operation in the full 32-bit param 0).
    TrustProvisioning {
        /// Parameters.
        params: Vec<u32>,
    },
    /// 0x17
    FuseRead {
        /// Fuse address.
        address: u32,
        /// Length.
        byte_count: u32,
        /// Memory ID.
        memory_id: u32,
    },
    /// 0x18
    UpdateLifeCycle {
        /// New life cycle.
        life_cycle: u32,
    },
    /// 0x19
    EleMessage {
        /// Command message address.
        cmd_msg_addr: u32,
        /// Command message word count.
        cmd_msg_cnt: u32,
        /// Response message address.
        resp_msg_addr: u32,
        /// Response message word count.
        resp_msg_cnt: u32,
    },
    /// 0x20: raw parameter words (group in param 0).
    El2go {
        /// Parameters.
        params: Vec<u32>,
    },
    /// Any other tag, kept as is.
    Other(Packet),
}

fn p(params: &[u32], i: usize) -> u32 {
    params.get(i).copied().unwrap_or(0)
}

impl Command {
    /// The command tag.
    pub fn tag(&self) -> CommandTag {
        CommandTag(match self {
            Command::FlashEraseAll { .. } => 0x01,
            Command::FlashEraseRegion { .. } => 0x02,
            Command::ReadMemory { .. } => 0x03,
            Command::WriteMemory { .. } => 0x04,
            Command::FillMemory { .. } => 0x05,
            Command::FlashSecurityDisable { .. } => 0x06,
            Command::GetProperty { .. } => 0x07,
            Command::ReceiveSbFile { .. } => 0x08,
            Command::Execute { .. } => 0x09,
            Command::Call { .. } => 0x0A,
            Command::Reset { .. } => 0x0B,
            Command::SetProperty { .. } => 0x0C,
            Command::FlashEraseAllUnsecure => 0x0D,
            Command::FlashProgramOnce { .. } => 0x0E,
            Command::FlashReadOnce { .. } => 0x0F,
            Command::FlashReadResource { .. } => 0x10,
            Command::ConfigureMemory { .. } => 0x11,
            Command::ReliableUpdate { .. } => 0x12,
            Command::GenerateKeyBlob { .. } => 0x13,
            Command::FuseProgram { .. } => 0x14,
            Command::KeyProvisioning(_) => 0x15,
            Command::TrustProvisioning { .. } => 0x16,
            Command::FuseRead { .. } => 0x17,
            Command::UpdateLifeCycle { .. } => 0x18,
            Command::EleMessage { .. } => 0x19,
            Command::El2go { .. } => 0x20,
            Command::Other(p) => p.tag,
        })
    }

    /// True when the host sends a data phase after this command.
    pub fn host_sends_data(&self) -> bool {
        match self {
            Command::WriteMemory { .. }
            | Command::ReceiveSbFile { .. }
            | Command::FuseProgram { .. }
            | Command::KeyProvisioning(KeyProvOp::SetUserKey { .. })
            | Command::KeyProvisioning(KeyProvOp::WriteKeyStore { .. }) => true,
            Command::GenerateKeyBlob { phase, .. } => *phase == 0,
            Command::Other(p) => p.has_data_phase(),
            _ => false,
        }
    }

    /// The packet the host sends.
    pub fn to_packet(&self) -> Packet {
        let flags = if self.host_sends_data() {
            FLAG_HAS_DATA_PHASE
        } else {
            0
        };
        let params = match self {
            Command::FlashEraseAll { memory_id } => vec![*memory_id],
            Command::FlashEraseRegion {
                address,
                byte_count,
                memory_id,
            }
            | Command::ReadMemory {
                address,
                byte_count,
                memory_id,
            }
            | Command::WriteMemory {
                address,
                byte_count,
                memory_id,
            }
            | Command::FuseProgram {
                address,
                byte_count,
                memory_id,
            }
            | Command::FuseRead {
                address,
                byte_count,
                memory_id,
            } => {
                vec![*address, *byte_count, *memory_id]
            }
            Command::FillMemory {
                address,
                byte_count,
                pattern,
            } => {
                vec![*address, *byte_count, *pattern]
            }
            Command::FlashSecurityDisable { key } => {
                let mut k = *key;
                k[..4].reverse();
                k[4..].reverse();
                bytes_to_words(&k)
            }
            Command::GetProperty { tag, index } => vec![*tag, *index],
            Command::ReceiveSbFile { byte_count } => vec![*byte_count],
            Command::Execute {
                address,
                argument,
                stack_pointer,
            } => {
                vec![*address, *argument, *stack_pointer]
            }
            Command::Call { address, argument } => vec![*address, *argument],
            Command::Reset { parameter } => parameter.iter().copied().collect(),
            Command::SetProperty { tag, value } => vec![*tag, *value],
            Command::FlashEraseAllUnsecure => vec![],
            Command::FlashProgramOnce {
                index,
                byte_count,
                data,
            } => {
                let mut v = vec![*index, *byte_count];
                v.extend_from_slice(data);
                v
            }
            Command::FlashReadOnce { index, byte_count } => vec![*index, *byte_count],
            Command::FlashReadResource {
                address,
                byte_count,
                option,
            } => {
                vec![*address, *byte_count, *option]
            }
            Command::ConfigureMemory { memory_id, address } => vec![*memory_id, *address],
            Command::ReliableUpdate { address } => vec![*address],
            Command::GenerateKeyBlob {
                key_sel,
                length,
                phase,
            } => vec![*key_sel, *length, *phase],
            Command::KeyProvisioning(op) => match op {
                KeyProvOp::Enroll => vec![0],
                KeyProvOp::SetUserKey { key_type, key_size } => vec![1, *key_type, *key_size],
                KeyProvOp::SetIntrinsicKey { key_type, key_size } => {
                    vec![2, *key_type, *key_size]
                }
                KeyProvOp::WriteNonVolatile { memory_id } => vec![3, *memory_id],
                KeyProvOp::ReadNonVolatile { memory_id } => vec![4, *memory_id],
                KeyProvOp::WriteKeyStore { size } => vec![5, 0, *size],
                KeyProvOp::ReadKeyStore => vec![6],
            },
            Command::TrustProvisioning { params } | Command::El2go { params } => params.clone(),
            Command::UpdateLifeCycle { life_cycle } => vec![*life_cycle],
            Command::EleMessage {
                cmd_msg_addr,
                cmd_msg_cnt,
                resp_msg_addr,
                resp_msg_cnt,
            } => {
                vec![
                    0,
                    *cmd_msg_addr,
                    *cmd_msg_cnt,
                    *resp_msg_addr,
                    *resp_msg_cnt,
                ]
            }
            Command::Other(p) => return p.clone(),
        };
        Packet::new(self.tag().0, flags, params)
    }

    /// Decodes a command packet as a device would. Missing trailing parameters that
    /// real hosts omit (memory IDs, get-property's index) default to 0; a packet that
    /// lacks a required parameter is an error.
    pub fn from_packet(pkt: &Packet) -> Result<Command, DecodeError> {
        let ps = &pkt.params;
        let need = |n: usize| -> Result<(), DecodeError> {
            if ps.len() < n {
                Err(DecodeError::invalid(
                    "command parameters",
                    3,
                    format!(
                        "{} needs {n} parameters, got {}",
                        CommandTag(pkt.tag),
                        ps.len()
                    ),
                ))
            } else {
                Ok(())
            }
        };
        let (a, b, c) = (p(ps, 0), p(ps, 1), p(ps, 2));
        Ok(match pkt.tag {
            0x01 => Command::FlashEraseAll { memory_id: a },
            0x02 => {
                need(2)?;
                Command::FlashEraseRegion {
                    address: a,
                    byte_count: b,
                    memory_id: c,
                }
            }
            0x03 => {
                need(2)?;
                Command::ReadMemory {
                    address: a,
                    byte_count: b,
                    memory_id: c,
                }
            }
            0x04 => {
                need(2)?;
                Command::WriteMemory {
                    address: a,
                    byte_count: b,
                    memory_id: c,
                }
            }
            0x05 => {
                need(3)?;
                Command::FillMemory {
                    address: a,
                    byte_count: b,
                    pattern: c,
                }
            }
            0x06 => {
                need(2)?;
                let mut key = [0u8; 8];
                key[..4].copy_from_slice(&a.to_le_bytes());
                key[4..].copy_from_slice(&b.to_le_bytes());
                key[..4].reverse();
                key[4..].reverse();
                Command::FlashSecurityDisable { key }
            }
            0x07 => {
                need(1)?;
                Command::GetProperty { tag: a, index: b }
            }
            0x08 => {
                need(1)?;
                Command::ReceiveSbFile { byte_count: a }
            }
            0x09 => {
                need(1)?;
                Command::Execute {
                    address: a,
                    argument: b,
                    stack_pointer: c,
                }
            }
            0x0A => {
                need(1)?;
                Command::Call {
                    address: a,
                    argument: b,
                }
            }
            0x0B => Command::Reset {
                parameter: ps.first().copied(),
            },
            0x0C => {
                need(2)?;
                Command::SetProperty { tag: a, value: b }
            }
            0x0D => Command::FlashEraseAllUnsecure,
            0x0E => {
                need(3)?;
                Command::FlashProgramOnce {
                    index: a,
                    byte_count: b,
                    data: ps[2..].to_vec(),
                }
            }
            0x0F => {
                need(2)?;
                Command::FlashReadOnce {
                    index: a,
                    byte_count: b,
                }
            }
            0x10 => {
                need(2)?;
                Command::FlashReadResource {
                    address: a,
                    byte_count: b,
                    option: c,
                }
            }
            0x11 => {
                need(2)?;
                Command::ConfigureMemory {
                    memory_id: a,
                    address: b,
                }
            }
            0x12 => {
                need(1)?;
                Command::ReliableUpdate { address: a }
            }
            0x13 => {
                need(3)?;
                Command::GenerateKeyBlob {
                    key_sel: a,
                    length: b,
                    phase: c,
                }
            }
            0x14 => {
                need(2)?;
                Command::FuseProgram {
                    address: a,
                    byte_count: b,
                    memory_id: c,
                }
            }
            0x15 => {
                need(1)?;
                Command::KeyProvisioning(match a {
                    0 => KeyProvOp::Enroll,
                    1 => KeyProvOp::SetUserKey {
                        key_type: b,
                        key_size: c,
                    },
                    2 => KeyProvOp::SetIntrinsicKey {
                        key_type: b,
                        key_size: c,
                    },
                    3 => KeyProvOp::WriteNonVolatile { memory_id: b },
                    4 => KeyProvOp::ReadNonVolatile { memory_id: b },
                    5 => KeyProvOp::WriteKeyStore { size: c },
                    6 => KeyProvOp::ReadKeyStore,
                    _ => return Ok(Command::Other(pkt.clone())),
                })
            }
            0x16 => Command::TrustProvisioning { params: ps.clone() },
            0x17 => {
                need(2)?;
                Command::FuseRead {
                    address: a,
                    byte_count: b,
                    memory_id: c,
                }
            }
            0x18 => {
                need(1)?;
                Command::UpdateLifeCycle { life_cycle: a }
            }
            0x19 => {
                need(5)?;
                Command::EleMessage {
                    cmd_msg_addr: ps[1],
                    cmd_msg_cnt: ps[2],
                    resp_msg_addr: ps[3],
                    resp_msg_cnt: ps[4],
                }
            }
            0x20 => Command::El2go { params: ps.clone() },
            _ => Command::Other(pkt.clone()),
        })
    }
}

/// A decoded response packet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response {
    /// 0xA0: status and the tag of the command it answers.
    Generic {
        /// Status.
        status: StatusCode,
        /// Echoed command tag.
        command: CommandTag,
    },
    /// 0xA3 (ReadMemory, FuseRead), 0xB0 (FlashReadResource), 0xB3 (KeyBlob),
    /// 0xB5 (KeyProvisioning): status and the length of the data phase.
    DataPhase {
        /// Which response tag it was.
        tag: ResponseTag,
        /// Flags (bit 0 = a data phase follows).
        flags: u8,
        /// Status.
        status: StatusCode,
        /// Data phase length.
        byte_count: u32,
    },
    /// 0xA7
    GetProperty {
        /// Status.
        status: StatusCode,
        /// Property words.
        values: Vec<u32>,
    },
    /// 0xAF
    FlashReadOnce {
        /// Status.
        status: StatusCode,
        /// Byte count.
        byte_count: u32,
        /// Data words.
        data: Vec<u32>,
    },
    /// 0xB6
    TrustProvisioning {
        /// Flags (bit 0 = a data phase follows; EL2GO batch TP).
        flags: u8,
        /// Status.
        status: StatusCode,
        /// Operation-specific values.
        values: Vec<u32>,
    },
    /// Any other response tag: its status (param 0) and the rest.
    Other {
        /// The raw packet.
        packet: Packet,
    },
}

impl Response {
    /// Decodes a response packet. A packet whose shape does not fit its tag (parameter
    /// count, flags, reserved byte) is kept whole as [`Response::Other`], so decoding
    /// then re-encoding is always byte-identical.
    pub fn from_packet(pkt: &Packet) -> Result<Response, DecodeError> {
        let ps = &pkt.params;
        let Some(&status) = ps.first() else {
            return Err(DecodeError::invalid(
                "response",
                3,
                format!("{} carries no status", ResponseTag(pkt.tag)),
            ));
        };
        let status = StatusCode(status);
        let other = || Response::Other {
            packet: pkt.clone(),
        };
        if pkt.reserved != 0 {
            return Ok(other());
        }
        Ok(match pkt.tag {
            0xA0 if ps.len() == 2 && ps[1] <= 0xFF && pkt.flags == 0 => Response::Generic {
                status,
                command: CommandTag(ps[1] as u8),
            },
            0xA3 | 0xB0 | 0xB3 | 0xB5 if ps.len() == 2 => Response::DataPhase {
                tag: ResponseTag(pkt.tag),
                flags: pkt.flags,
                status,
                byte_count: ps[1],
            },
            0xA7 if pkt.flags == 0 => Response::GetProperty {
                status,
                values: ps[1..].to_vec(),
            },
            0xAF if ps.len() >= 2 && pkt.flags == 0 => Response::FlashReadOnce {
                status,
                byte_count: ps[1],
                data: ps[2..].to_vec(),
            },
            0xB6 => Response::TrustProvisioning {
                flags: pkt.flags,
                status,
                values: ps[1..].to_vec(),
            },
            _ => other(),
        })
    }

    /// The packet a device sends for this response.
    pub fn to_packet(&self) -> Packet {
        match self {
            Response::Generic { status, command } => {
                Packet::new(0xA0, 0, vec![status.0, u32::from(command.0)])
            }
            Response::DataPhase {
                tag,
                flags,
                status,
                byte_count,
            } => Packet::new(tag.0, *flags, vec![status.0, *byte_count]),
            Response::GetProperty { status, values } => {
                let mut v = vec![status.0];
                v.extend_from_slice(values);
                Packet::new(0xA7, 0, v)
            }
            Response::FlashReadOnce {
                status,
                byte_count,
                data,
            } => {
                let mut v = vec![status.0, *byte_count];
                v.extend_from_slice(data);
                Packet::new(0xAF, 0, v)
            }
            Response::TrustProvisioning {
                flags,
                status,
                values,
            } => {
                let mut v = vec![status.0];
                v.extend_from_slice(values);
                Packet::new(0xB6, *flags, v)
            }
            Response::Other { packet } => packet.clone(),
        }
    }

    /// The status the device reported.
    pub fn status(&self) -> StatusCode {
        match self {
            Response::Generic { status, .. }
            | Response::DataPhase { status, .. }
            | Response::GetProperty { status, .. }
            | Response::FlashReadOnce { status, .. }
            | Response::TrustProvisioning { status, .. } => *status,
            Response::Other { packet } => StatusCode(p(&packet.params, 0)),
        }
    }

    /// The response tag.
    pub fn tag(&self) -> ResponseTag {
        ResponseTag(self.to_packet().tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_disable_key_words_match_spsdk() {
        let c = Command::FlashSecurityDisable {
            key: [1, 2, 3, 4, 5, 6, 7, 8],
        };
        let pkt = c.to_packet();
        assert_eq!(pkt.encode()[4..], [4, 3, 2, 1, 8, 7, 6, 5]);
        assert_eq!(Command::from_packet(&pkt).unwrap(), c);
    }

    #[test]
    fn short_parameter_lists_are_tolerated() {
        let pkt = Packet::new(0x03, 0, vec![0x2000_0000, 16]);
        assert_eq!(
            Command::from_packet(&pkt).unwrap(),
            Command::ReadMemory {
                address: 0x2000_0000,
                byte_count: 16,
                memory_id: 0
            }
        );
        assert!(Command::from_packet(&Packet::new(0x04, 1, vec![1])).is_err());
    }

    #[test]
    fn available_commands_bits() {
        assert_eq!(CommandTag::FLASH_ERASE_ALL.available_commands_bit(), 1);
        assert_eq!(
            CommandTag::KEY_PROVISIONING.available_commands_bit(),
            1 << 20
        );
    }

    proptest::proptest! {
        #[test]
        fn any_response_packet_round_trips(
            tag in 0xA0u8..=0xBF,
            flags in 0u8..3,
            reserved in proptest::prop_oneof![proptest::strategy::Just(0u8), proptest::num::u8::ANY],
            params in proptest::collection::vec(proptest::num::u32::ANY, 1..12),
        ) {
            let pkt = Packet { tag, flags, reserved, params };
            let r = Response::from_packet(&pkt).unwrap();
            proptest::prop_assert_eq!(r.to_packet(), pkt);
        }

        #[test]
        fn command_decode_is_total_and_stable(
            tag in 0u8..=0x21,
            params in proptest::collection::vec(proptest::num::u32::ANY, 0..10),
        ) {
            let pkt = Packet::new(tag, 0, params);
            if let Ok(c) = Command::from_packet(&pkt) {
                // Re-decoding what we encode gives the same command.
                let again = Command::from_packet(&c.to_packet()).unwrap();
                proptest::prop_assert_eq!(again, c);
            }
        }
    }
}
