//! Secure boot at reset: the ROM looks at the image at the family's boot address and decides
//! whether it would run it: the MBI type and layout, the CRC, the certificate block against
//! the RKTH in CMPA/OTP (v1: X.509 chain, root key in the RKHT; v2.1: ISK), the image
//! signature (v1: RSA with the last certificate's key; v2.1: ECDSA), the HMAC of RT5xx/6xx
//! load-to-RAM images against the OTP master key, the manifest firmware version against the
//! secure counter (v2.1), and what `SEC_BOOT_EN` and the lifecycle demand. The simulator has
//! no CPU: it reports the decision ([`BootReport`]), as a JSON line on stdout (`devsim mcu`)
//! and in `--state DIR/boot.json`, and stays in ISP mode.
//!
//! Modelled: an unprovisioned RKTH (all zero) means signed images are checked for internal
//! consistency only; likewise an unprovisioned OTP master key leaves the HMAC unchecked;
//! `SEC_BOOT_EN` levels per family (`families.json`); lifecycle values of 0x07 and above
//! demand signed images. Not modelled: root key revocation (CFPA `ROTKH_REVOKE`, OTP
//! `REVOKE_ROOTKEY`) and image key revocation, usage fields, `ENF_CNSA`, the FlexSPI FCB,
//! dual-image selection, TrustZone register programming.

use super::Rom;
use provkit::codec::to_hex;
use provkit::mbi::{Auth, Mbi, MbiError};
use serde::Serialize;
use std::path::Path;

/// Largest image the boot check reads.
const MAX_IMAGE: usize = 16 * 1024 * 1024;

/// The decision of a boot check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BootReport {
    /// `"boot"`.
    pub event: &'static str,
    /// Family.
    pub family: String,
    /// `"ok"` (the ROM would run the image), `"refused"`, or `"no-image"`.
    pub result: String,
    /// Why it was refused (or what is missing).
    pub reason: Option<String>,
    /// Where the ROM looked.
    pub address: String,
    /// `xip signed`, `load_to_ram crc`, ...
    pub image: Option<String>,
    /// Image size.
    pub size: Option<usize>,
    /// Manifest firmware version of a signed image.
    pub firmware_version: Option<u32>,
    /// The device's RKTH (hex), or null when not provisioned.
    pub rkth: Option<String>,
    /// Lifecycle value, where modelled.
    pub lifecycle: Option<u32>,
    /// Reset count when the check ran.
    pub resets: u32,
}

impl BootReport {
    /// True when the image would boot.
    pub fn booted(&self) -> bool {
        self.result == "ok"
    }
}

/// Writes `boot.json` into a state directory.
pub fn write_boot_json(dir: &Path, b: &BootReport) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join("boot.json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(b)?)?;
    std::fs::rename(&tmp, dir.join("boot.json"))?;
    Ok(())
}

/// Called with every boot report.
pub type BootObserver = Box<dyn FnMut(&BootReport) + Send>;

impl Rom {
    /// The last boot check (None before the first reset, or on families without one).
    pub fn last_boot(&self) -> Option<&BootReport> {
        self.boot.as_ref()
    }

    /// Calls `f` with every boot report from now on.
    pub fn set_boot_observer(&mut self, f: BootObserver) {
        self.boot_observer = Some(f);
    }

    /// Runs the boot check now (power-on, and after every reset) and reports it.
    pub fn boot_check(&mut self) -> Option<BootReport> {
        let r = self.evaluate_boot()?;
        tracing::info!(
            "secure boot: {}{}",
            r.result,
            r.reason
                .as_deref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default()
        );
        self.boot = Some(r.clone());
        if let Some(obs) = self.boot_observer.as_mut() {
            obs(&r);
        }
        Some(r)
    }

    fn read_boot(&self, address: u32, len: usize) -> Option<Vec<u8>> {
        // At reset the FlexSPI is not configured yet, but the ROM reads the boot device.
        if let Some(nor) = self.mem.nor.as_ref() {
            if nor.cfg.window.contains(address, len as u64) {
                let off = (address - nor.cfg.window.start) as usize;
                let mut out = vec![0u8; len];
                nor.read(off, &mut out);
                return Some(out);
            }
        }
        self.mem.peek(address, len)
    }

    fn evaluate_boot(&self) -> Option<BootReport> {
        let sb = self.family.secure_boot.as_ref()?;
        let rkth = self
            .field_bytes(sb.rkth.area, sb.rkth.offset, sb.rkth.size as usize)
            .filter(|b| b.iter().any(|&x| x != 0));
        let lifecycle = sb.lifecycle.as_ref().and_then(|f| self.field_value(f));
        let mut report = BootReport {
            event: "boot",
            family: self.family.name.clone(),
            result: "no-image".into(),
            reason: None,
            address: format!("0x{:08X}", sb.boot_address),
            image: None,
            size: None,
            firmware_version: None,
            rkth: rkth.as_ref().map(|r| {
                let n = if r[32..].iter().all(|&b| b == 0) {
                    32
                } else {
                    r.len()
                };
                to_hex(&r[..n.min(r.len())])
            }),
            lifecycle,
            resets: self.resets,
        };
        let refuse = |mut r: BootReport, why: String| {
            r.result = "refused".into();
            r.reason = Some(why);
            Some(r)
        };
        let Some(head) = self.read_boot(sb.boot_address, provkit::mbi::MIN_APP) else {
            report.reason = Some("nothing mapped at the boot address".into());
            return Some(report);
        };
        if head.iter().all(|&b| b == 0xFF) || head.iter().all(|&b| b == 0) {
            report.reason = Some("the boot address is erased".into());
            return Some(report);
        }
        let word = |o: usize| u32::from_le_bytes([head[o], head[o + 1], head[o + 2], head[o + 3]]);
        let total = word(provkit::mbi::IVT_LENGTH) as usize;
        let ty = word(provkit::mbi::IVT_FLAGS) & 0x3F;
        let len = if total == 0 && ty == provkit::mbi::image_type::PLAIN {
            provkit::mbi::MIN_APP
        } else {
            total
        };
        if !(provkit::mbi::MIN_APP..=MAX_IMAGE).contains(&len) {
            return refuse(
                report,
                format!("image length word 0x{total:X} is not plausible"),
            );
        }
        let Some(image) = self.read_boot(sb.boot_address, len) else {
            return refuse(
                report,
                format!("the image ({len} bytes) runs past the end of memory"),
            );
        };
        report.size = Some(len);
        let m = match Mbi::decode(&image, &self.family) {
            Ok(m) => m,
            Err(e) => return refuse(report, e.to_string()),
        };
        report.image = Some(format!("{} {}", m.target.name(), m.auth.name()));
        // What the device demands.
        let mut required = sb
            .sec_boot_en
            .as_ref()
            .and_then(|f| {
                let v = self.field_value(f)? as usize;
                f.levels.get(v).cloned()
            })
            .map(|l| match l.as_str() {
                "signed" => Auth::Signed,
                "crc" => Auth::Crc,
                _ => Auth::Plain,
            })
            .unwrap_or(Auth::Plain);
        if lifecycle.is_some_and(|l| l >= 0x07) {
            required = Auth::Signed;
        }
        if m.auth < required {
            return refuse(
                report,
                MbiError::Policy {
                    required: required.name(),
                    found: m.auth.name(),
                }
                .to_string(),
            );
        }
        if let Err(e) = m.verify(rkth.as_deref()) {
            return refuse(report, e.to_string());
        }
        if let Some(s) = &m.signed {
            report.firmware_version = s.firmware_version;
            let counter = sb
                .secure_fw_version
                .as_ref()
                .and_then(|f| self.field_value(f))
                .unwrap_or(0);
            if let Some(version) = s.firmware_version.filter(|&v| v < counter) {
                return refuse(report, MbiError::Rollback { version, counter }.to_string());
            }
            let mut notes = Vec::new();
            if s.hmac.is_some() {
                let key = sb
                    .otp_master_key
                    .as_ref()
                    .and_then(|k| self.field_bytes(k.area, k.offset, k.size as usize))
                    .filter(|b| b.iter().any(|&x| x != 0))
                    .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                    .map(zeroize::Zeroizing::new);
                match key {
                    Some(k) => {
                        if let Err(e) = m.verify_hmac(&k) {
                            return refuse(report, e.to_string());
                        }
                    }
                    None => notes.push("OTP master key not provisioned: HMAC not checked"),
                }
            }
            if rkth.is_none() {
                notes.push("RKTH not provisioned: signatures checked, root of trust not");
            }
            if !notes.is_empty() {
                report.reason = Some(notes.join("; "));
            }
        }
        report.result = "ok".into();
        Some(report)
    }
}
