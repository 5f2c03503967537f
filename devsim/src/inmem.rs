//! The simulator on a thread behind an in-memory pipe, for fast in-process tests of host
//! code: [`spawn_uart`] gives a [`MemStream`] for provkit's `UartLink`, [`spawn_hid`] a
//! [`MemHid`] for its `HidLink`. The [`SimHandle`] inspects and changes the device
//! ([`SimHandle::with_rom`]) and stops it (also on drop).
//!
//! ```
//! use devsim::inmem::{spawn_uart, SimOptions};
//! use provkit::mboot::{McuBoot, PropertyTag, SessionOptions, UartLink, UartOptions};
//!
//! let (stream, sim) = spawn_uart("lpc55s69", SimOptions::default()).unwrap();
//! let mut mb = McuBoot::new(UartLink::new(stream, UartOptions::default()), SessionOptions::default());
//! assert_eq!(mb.get_property(PropertyTag::CURRENT_VERSION, 0).unwrap(), vec![0x4B03_0000]);
//! sim.with_rom(|rom| assert_eq!(rom.resets(), 0));
//! ```

use crate::hid::HidEngine;
use crate::rom::{Interface, Rom, RomOptions};
use crate::uart::{UartDevice, UartOptions};
use crate::wire::{Wire, WireOptions};
use anyhow::{Context, Result};
use provkit::family::Family;
use provkit::transport::memory::{MemHid, MemStream, hid_pipe, pipe};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Options of an in-memory simulator.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimOptions {
    /// ROM options. The default here is [`RomOptions::instant`]: no flash timing.
    pub rom: Option<RomOptions>,
    /// Line pacing and faults (UART only).
    pub wire: WireOptions,
    /// UART engine settings.
    pub uart: UartOptions,
}

/// A running in-memory simulator.
pub struct SimHandle {
    rom: Arc<Mutex<Rom>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl SimHandle {
    /// Runs `f` on the device model (between host transactions, the model is idle).
    pub fn with_rom<T>(&self, f: impl FnOnce(&mut Rom) -> T) -> T {
        let mut g = self.rom.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut g)
    }

    /// The shared device model.
    pub fn rom(&self) -> Arc<Mutex<Rom>> {
        self.rom.clone()
    }

    /// Stops the device thread and returns how it ended.
    pub fn stop(mut self) -> io::Result<()> {
        self.halt()
    }

    fn halt(&mut self) -> io::Result<()> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| io::Error::other("the simulator thread panicked"))?,
            None => Ok(()),
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

fn family(name: &str) -> Result<&'static Family> {
    provkit::family::family(name).with_context(|| {
        format!(
            "unknown family {name:?} (known: {})",
            provkit::family::names().join(", ")
        )
    })
}

fn build(family: &Family, rom: Option<RomOptions>, interface: Interface) -> Arc<Mutex<Rom>> {
    let mut o = rom.unwrap_or_else(RomOptions::instant);
    o.interface = interface;
    Arc::new(Mutex::new(Rom::new(family, o)))
}

/// Starts a simulated `family` ROM speaking the UART framing; returns the host's end.
pub fn spawn_uart(family_name: &str, opts: SimOptions) -> Result<(MemStream, SimHandle)> {
    let fam = family(family_name)?;
    let rom = build(fam, opts.rom, Interface::Uart);
    let (host, dev) = pipe();
    let stop = Arc::new(AtomicBool::new(false));
    let mut engine = UartDevice::new(
        Wire::new(dev, opts.wire),
        rom.clone(),
        opts.uart,
        stop.clone(),
    );
    let thread = std::thread::Builder::new()
        .name(format!("devsim-uart-{}", fam.name))
        .spawn(move || engine.serve())
        .context("cannot start the simulator thread")?;
    Ok((
        host,
        SimHandle {
            rom,
            stop,
            thread: Some(thread),
        },
    ))
}

/// Starts a simulated `family` ROM speaking the USB-HID report framing; returns the
/// host's end.
pub fn spawn_hid(family_name: &str, opts: SimOptions) -> Result<(MemHid, SimHandle)> {
    let fam = family(family_name)?;
    let rom = build(fam, opts.rom, Interface::Usb);
    let (host, dev) = hid_pipe();
    let stop = Arc::new(AtomicBool::new(false));
    let mut engine = HidEngine::new(dev, rom.clone(), stop.clone());
    let thread = std::thread::Builder::new()
        .name(format!("devsim-hid-{}", fam.name))
        .spawn(move || engine.serve())
        .context("cannot start the simulator thread")?;
    Ok((
        host,
        SimHandle {
            rom,
            stop,
            thread: Some(thread),
        },
    ))
}
