//! provkit: the shared library of the provkit tools: the NXP MCU bootloader ISP
//! protocol, transports, and (as the tools arrive) capsule, image and credential
//! formats. Every format and protocol rule lives here, once.
//!
//! The library never prints: progress is reported through callbacks and errors are
//! typed.

#![deny(missing_docs)]

pub mod certblock;
#[cfg(feature = "cli")]
pub mod cli;
pub mod codec;
pub mod crypto;
pub mod dat;
pub mod family;
pub mod image;
pub mod mbi;
pub mod mboot;
pub mod mcuboot;
pub mod otfad;
pub mod sb21;
pub mod sb31;
pub mod transport;
