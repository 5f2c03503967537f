//! The MCU bootloader ("mboot") ISP protocol that NXP ROMs speak over UART and
//! USB-HID (reference blhost.md).
//!
//! Layers, bottom up:
//! * [`crc`], [`uart`], [`usb_hid`]: framing, sans-I/O;
//! * [`packet`], [`command`], [`status`], [`property`], [`memory`]: packets and
//!   their typed meaning;
//! * [`link`]: the packet-level view of a transport (ping, ACK/NAK, retransmission);
//! * [`session`]: commands with data phases, timeouts, cached max packet size.

pub mod command;
pub mod crc;
pub mod link;
pub mod memory;
pub mod packet;
pub mod property;
pub mod session;
pub mod status;
pub mod uart;
pub mod usb_hid;

pub use command::{Command, CommandTag, KeyProvOp, Response, ResponseTag};
pub use link::{HidLink, Link, LinkError, UartLink, UartOptions};
pub use memory::MemoryId;
pub use packet::Packet;
pub use property::PropertyTag;
pub use session::{DataOutcome, Error, McuBoot, NoProgress, Progress, SessionOptions};
pub use status::StatusCode;
