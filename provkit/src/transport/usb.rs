//! USB-HID devices through libusb (`rusb`, feature `usb`).
//!
//! The ROM's HID interface has an interrupt IN endpoint and usually an interrupt OUT
//! endpoint; without one, output reports go through SET_REPORT control transfers.
//! On Linux the kernel's usbhid driver is detached while the device is open; the user
//! needs a udev rule for the NXP vendor IDs (see the README).

use super::HidDevice;
use rusb::{Context, DeviceHandle, Direction, TransferType, UsbContext};
use std::io;
use std::time::Duration;

/// How a device is selected on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsbSelector {
    /// Vendor ID, optionally with product ID.
    Ids {
        /// Vendor ID.
        vid: u16,
        /// Product ID (any if absent).
        pid: Option<u16>,
    },
    /// Linux `bus#address` (decimal, as lsusb prints them).
    Path {
        /// Bus number.
        bus: u8,
        /// Device address.
        address: u8,
    },
}

impl std::fmt::Display for UsbSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsbSelector::Ids {
                vid,
                pid: Some(pid),
            } => write!(f, "0x{vid:04X}:0x{pid:04X}"),
            UsbSelector::Ids { vid, pid: None } => write!(f, "0x{vid:04X}"),
            UsbSelector::Path { bus, address } => write!(f, "{bus}#{address}"),
        }
    }
}

impl UsbSelector {
    /// Parses `VID`, `VID,PID`, `VID:PID` (hex with 0x or decimal) or `BUS#ADDR`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let s = spec.trim();
        if let Some((b, a)) = s.split_once('#') {
            let bus = b
                .trim()
                .parse::<u8>()
                .map_err(|_| format!("bad USB bus in '{spec}'"))?;
            let address = a
                .trim()
                .parse::<u8>()
                .map_err(|_| format!("bad USB address in '{spec}'"))?;
            return Ok(UsbSelector::Path { bus, address });
        }
        let num = |t: &str| -> Result<u16, String> {
            let v = crate::codec::parse_int(t).map_err(|e| format!("bad USB id: {e}"))?;
            u16::try_from(v).map_err(|_| format!("USB id '{t}' does not fit in 16 bits"))
        };
        match s.split_once([',', ':']) {
            Some((v, p)) => Ok(UsbSelector::Ids {
                vid: num(v)?,
                pid: Some(num(p)?),
            }),
            None => Ok(UsbSelector::Ids {
                vid: num(s)?,
                pid: None,
            }),
        }
    }
}

/// NXP vendor IDs used by ROM bootloaders and the flashloader.
pub const NXP_VIDS: [u16; 3] = [0x1FC9, 0x15A2, 0x0D28];

/// An open USB-HID device.
pub struct UsbHid {
    handle: DeviceHandle<Context>,
    interface: u8,
    ep_in: u8,
    ep_out: Option<u8>,
    name: String,
}

impl UsbHid {
    /// Opens the first HID device matching a command-line spec (see [`UsbSelector::parse`]).
    pub fn open(spec: &str) -> io::Result<Self> {
        let sel =
            UsbSelector::parse(spec).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Self::open_selector(&sel)
    }

    /// Opens the first HID device matching `selector`.
    pub fn open_selector(selector: &UsbSelector) -> io::Result<Self> {
        let ctx = Context::new().map_err(usb_err)?;
        let devices = ctx.devices().map_err(usb_err)?;
        for dev in devices.iter() {
            let Ok(desc) = dev.device_descriptor() else {
                continue;
            };
            let hit = match selector {
                UsbSelector::Ids { vid, pid } => {
                    desc.vendor_id() == *vid && pid.is_none_or(|p| desc.product_id() == p)
                }
                UsbSelector::Path { bus, address } => {
                    dev.bus_number() == *bus && dev.address() == *address
                }
            };
            if !hit {
                continue;
            }
            let config = dev.active_config_descriptor().map_err(usb_err)?;
            for iface in config.interfaces() {
                for alt in iface.descriptors() {
                    if alt.class_code() != 3 {
                        continue; // not HID
                    }
                    let mut ep_in = None;
                    let mut ep_out = None;
                    for ep in alt.endpoint_descriptors() {
                        if ep.transfer_type() != TransferType::Interrupt {
                            continue;
                        }
                        match ep.direction() {
                            Direction::In => ep_in = Some(ep.address()),
                            Direction::Out => ep_out = Some(ep.address()),
                        }
                    }
                    let Some(ep_in) = ep_in else { continue };
                    let handle = dev.open().map_err(|e| {
                        io::Error::other(format!(
                            "cannot open USB device {:04x}:{:04x} (bus {} address {}): {e}; on Linux \
                             add a udev rule for the NXP vendor IDs (see README)",
                            desc.vendor_id(),
                            desc.product_id(),
                            dev.bus_number(),
                            dev.address()
                        ))
                    })?;
                    // Not supported on every platform; detaching is best-effort.
                    let _ = handle.set_auto_detach_kernel_driver(true);
                    handle
                        .claim_interface(alt.interface_number())
                        .map_err(usb_err)?;
                    return Ok(UsbHid {
                        handle,
                        interface: alt.interface_number(),
                        ep_in,
                        ep_out,
                        name: format!(
                            "USB {:04x}:{:04x} (bus {} address {})",
                            desc.vendor_id(),
                            desc.product_id(),
                            dev.bus_number(),
                            dev.address()
                        ),
                    });
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no USB-HID device matches {selector}"),
        ))
    }
}

fn usb_err(e: rusb::Error) -> io::Error {
    match e {
        rusb::Error::Timeout => io::Error::new(io::ErrorKind::TimedOut, "USB timeout"),
        rusb::Error::NoDevice => io::Error::new(io::ErrorKind::NotConnected, "USB device gone"),
        other => io::Error::other(format!("USB: {other}")),
    }
}

impl HidDevice for UsbHid {
    fn write_report(&mut self, report: &[u8]) -> io::Result<()> {
        let t = Duration::from_secs(5);
        let n = match self.ep_out {
            Some(ep) => self
                .handle
                .write_interrupt(ep, report, t)
                .map_err(usb_err)?,
            None => {
                let id = u16::from(report.first().copied().unwrap_or(0));
                self.handle
                    .write_control(
                        0x21,
                        0x09,
                        (2 << 8) | id,
                        u16::from(self.interface),
                        report,
                        t,
                    )
                    .map_err(usb_err)?
            }
        };
        if n != report.len() {
            return Err(io::Error::other(format!(
                "USB: wrote {n} of {} bytes",
                report.len()
            )));
        }
        Ok(())
    }

    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        match self
            .handle
            .read_interrupt(self.ep_in, buf, timeout.max(Duration::from_millis(1)))
        {
            Ok(n) => Ok(n),
            Err(rusb::Error::Timeout) => Ok(0),
            Err(e) => Err(usb_err(e)),
        }
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}

impl Drop for UsbHid {
    fn drop(&mut self) {
        let _ = self.handle.release_interface(self.interface);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_forms() {
        assert_eq!(
            UsbSelector::parse("0x1fc9,0x0021").unwrap(),
            UsbSelector::Ids {
                vid: 0x1fc9,
                pid: Some(0x21)
            }
        );
        assert_eq!(
            UsbSelector::parse("0x15A2:0x0073").unwrap(),
            UsbSelector::Ids {
                vid: 0x15a2,
                pid: Some(0x73)
            }
        );
        assert_eq!(
            UsbSelector::parse("8137").unwrap(),
            UsbSelector::Ids {
                vid: 8137,
                pid: None
            }
        );
        assert_eq!(
            UsbSelector::parse("3#12").unwrap(),
            UsbSelector::Path {
                bus: 3,
                address: 12
            }
        );
        assert!(UsbSelector::parse("zz").is_err());
    }
}
