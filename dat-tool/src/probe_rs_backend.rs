//! Real debug probes through probe-rs (feature `probe`): CMSIS-DAP (v2, and v1 where
//! probe-rs' HID backend is built), J-Link, ST-Link, FTDI, ... selected as probe-rs
//! selects them, `VID:PID[:SERIAL]`.
//!
//! The DM-AP is driven with raw access-port register reads and writes
//! (`DapAccess::read_raw_ap_register`/`write_raw_ap_register` on the chip's DM-AP index);
//! the AHB check uses the memory interface of AP 0 (the AHB-AP).

use crate::probe::{DebugProbe, OpenError};
use probe_rs::architecture::arm::dp::DpAddress;
use probe_rs::architecture::arm::sequences::DefaultArmSequence;
use probe_rs::architecture::arm::{ArmDebugInterface, FullyQualifiedApAddress};
use probe_rs::probe::list::Lister;
use probe_rs::probe::{DebugProbeSelector, WireProtocol};
use provkit::dat::mailbox::{AccessError, MailboxAccess, MemAccess};

/// A probe-rs probe attached over SWD.
pub struct ProbeRs {
    selector: DebugProbeSelector,
    iface: Option<Box<dyn ArmDebugInterface>>,
    dm: FullyQualifiedApAddress,
    ahb: FullyQualifiedApAddress,
}

fn connect(selector: &DebugProbeSelector) -> Result<Box<dyn ArmDebugInterface>, String> {
    let mut probe = Lister::new()
        .open(selector.clone())
        .map_err(|e| format!("cannot open probe {selector}: {e}"))?;
    if let Err(e) = probe.select_protocol(WireProtocol::Swd) {
        tracing::debug!("SWD not selectable ({e}); using the probe's default protocol");
    }
    probe
        .attach_to_unspecified()
        .map_err(|e| format!("probe {selector}: cannot attach: {e}"))?;
    probe
        .try_into_arm_debug_interface(DefaultArmSequence::create())
        .map_err(|(_, e)| format!("probe {selector}: no Arm debug interface: {e}"))
}

/// Opens the probe `spec` (`VID:PID[:SERIAL]`) for a chip whose DM-AP is `ap`.
pub fn open(spec: &str, ap: u8) -> Result<ProbeRs, OpenError> {
    let selector: DebugProbeSelector = spec.parse().map_err(|e| {
        OpenError::Usage(format!(
            "probe '{spec}': {e} (expected VID:PID[:SERIAL] or sim:HOST:PORT)"
        ))
    })?;
    let iface = connect(&selector).map_err(OpenError::NotFound)?;
    Ok(ProbeRs {
        selector,
        iface: Some(iface),
        dm: FullyQualifiedApAddress::v1_with_dp(DpAddress::Default, ap),
        ahb: FullyQualifiedApAddress::v1_with_dp(DpAddress::Default, 0),
    })
}

/// The probes probe-rs finds.
pub fn list() -> Vec<String> {
    Lister::new()
        .list_all()
        .into_iter()
        .map(|p| {
            format!(
                "{:04x}:{:04x}{}  {}",
                p.vendor_id,
                p.product_id,
                p.serial_number
                    .as_deref()
                    .map(|s| format!(":{s}"))
                    .unwrap_or_default(),
                p.identifier
            )
        })
        .collect()
}

fn fault(e: impl std::fmt::Display) -> AccessError {
    AccessError::Fault(e.to_string())
}

impl ProbeRs {
    fn iface(&mut self) -> Result<&mut Box<dyn ArmDebugInterface>, AccessError> {
        self.iface
            .as_mut()
            .ok_or_else(|| AccessError::Io(format!("probe {} is not attached", self.selector)))
    }
}

impl MailboxAccess for ProbeRs {
    fn read(&mut self, reg: u8) -> Result<u32, AccessError> {
        let ap = self.dm.clone();
        self.iface()?
            .read_raw_ap_register(&ap, u64::from(reg))
            .map_err(fault)
    }

    fn write(&mut self, reg: u8, value: u32) -> Result<(), AccessError> {
        let ap = self.dm.clone();
        self.iface()?
            .write_raw_ap_register(&ap, u64::from(reg), value)
            .map_err(fault)
    }
}

impl MemAccess for ProbeRs {
    fn read_u32(&mut self, addr: u32) -> Result<u32, AccessError> {
        let ap = self.ahb.clone();
        let mut mem = self.iface()?.memory_interface(&ap).map_err(fault)?;
        mem.read_word_32(u64::from(addr)).map_err(fault)
    }

    fn write_u32(&mut self, addr: u32, value: u32) -> Result<(), AccessError> {
        let ap = self.ahb.clone();
        let mut mem = self.iface()?.memory_interface(&ap).map_err(fault)?;
        mem.write_word_32(u64::from(addr), value).map_err(fault)?;
        mem.flush().map_err(fault)
    }
}

impl DebugProbe for ProbeRs {
    fn describe(&self) -> String {
        format!("probe {}", self.selector)
    }

    fn reconnect(&mut self) -> Result<(), AccessError> {
        if let Some(i) = self.iface.take() {
            drop(i.close());
        }
        self.iface = Some(connect(&self.selector).map_err(AccessError::Io)?);
        Ok(())
    }
}
