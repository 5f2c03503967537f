//! devsim: the provkit device simulator.
//!
//! `devsim mcu` models an NXP MCU's ISP ROM bootloader: the memory map with flash erase
//! and program rules, fuses, CMPA/CFPA pages, the PUF key store, properties, FlexSPI NOR
//! configuration, timing and faults, and speaks the ROM's UART framing over a pty or its
//! USB-HID report framing in memory. It is a model of the ROM, not a mock: host tools
//! (provkit's `blhost`, SPSDK's `blhost`) run against it unchanged.
//!
//! * [`rom`]: the device model, transport-free ([`rom::Rom`]).
//! * [`uart`]: the device side of the UART framing over any [`ByteStream`].
//! * [`hid`]: the device side of the USB-HID report framing over any [`HidDevice`].
//! * [`wire`]: baud-rate pacing and per-byte fault injection for a [`ByteStream`].
//! * [`pty`]: the pseudo-terminal the `devsim mcu` binary serves on.
//! * [`inmem`]: the simulator on a thread behind an in-memory pipe, for fast tests.
//! * [`boot`]: second-stage boot loaders run at reset (MCUboot's slot logic).
//! * [`dm`]: the debug mailbox and the ROM side of debug authentication on a TCP socket.
//!
//! [`ByteStream`]: provkit::transport::ByteStream
//! [`HidDevice`]: provkit::transport::HidDevice

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod boot;
pub mod dm;
pub mod hid;
pub mod inmem;
pub mod pty;
pub mod rom;
pub mod uart;
pub mod wire;
