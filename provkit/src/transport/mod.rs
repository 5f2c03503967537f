//! Transports: the byte and report pipes the mboot session runs over.
//!
//! * [`ByteStream`]: a UART-like byte pipe (serial port, pty, in-memory pipe).
//! * [`HidDevice`]: a report pipe (USB HID, in-memory).
//!
//! The protocol logic never touches a port directly; it runs over these traits, so the
//! same session code drives hardware, a pty to `devsim`, and an in-process simulator.

use std::io;
use std::time::Duration;

pub mod memory;
#[cfg(feature = "serial")]
pub mod serial;
#[cfg(feature = "usb")]
pub mod usb;

/// A bidirectional byte pipe with read timeouts.
pub trait ByteStream: Send {
    /// Writes every byte (and drains it to the wire where the OS allows).
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    /// Reads what is available, waiting at most `timeout` for the first byte.
    /// `Ok(0)` means the timeout passed with nothing received.
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
    /// Human-readable name of the endpoint (port path, "memory").
    fn describe(&self) -> String;
}

impl<T: ByteStream + ?Sized> ByteStream for Box<T> {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        (**self).write_all(buf)
    }
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        (**self).read(buf, timeout)
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// A report-oriented device (USB HID).
pub trait HidDevice: Send {
    /// Sends one output report (first byte = report ID).
    fn write_report(&mut self, report: &[u8]) -> io::Result<()>;
    /// Receives one input report into `buf` (first byte = report ID), waiting at most
    /// `timeout`. `Ok(0)` means the timeout passed.
    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
    /// Human-readable name of the device.
    fn describe(&self) -> String;
}

impl<T: HidDevice + ?Sized> HidDevice for Box<T> {
    fn write_report(&mut self, report: &[u8]) -> io::Result<()> {
        (**self).write_report(report)
    }
    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        (**self).read_report(buf, timeout)
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}
