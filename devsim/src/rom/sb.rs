//! `receive-sb-file`: the ROM's secure-binary loaders, and the device's SB settings.
//!
//! The whole stream goes to the family's loader: SB3.1 families (`sb_version` 3.x) to the
//! SB3.1 loader (`sb31.rs`), SB2.1 families (`sb_version` 2.x with `sb21` facts) to the SB2.1
//! loader (`sb21.rs`). A capsule of the other version is refused by that loader the way the
//! ROM refuses a header it does not know (`kStatusRomLdrSignature`, 10101). A family with
//! no loader model (no secure-boot facts) refuses every file with 10101 once the header
//! bytes are in (SB3.1 `sbv3` at offset 0; SB2.1 `STMP` at 0x14 and `sgtl` at 0x34).
//!
//! # SB settings ([`SbSettings`])
//!
//! Both loaders decrypt with the SBKEK the device holds. Where it comes from, first match:
//!
//! 1. the PUF key store (`key-provisioning set_user_key 3`, key type SBKEK; SB2 key-wrap
//!    order, see [`super::keystore`]);
//! 2. SB2.1 families with an OTP master key (RT5xx/6xx `OTP_MASTER_KEY`, when not all zero):
//!    `SBKEK = AES-256-ECB(master, 03 00.. || 04 00..)` as `nxpimage sb21 get-sbkek`;
//! 3. the device setting `devsim mcu --sbkek` (families without either).
//!
//! The setting, SB3.1's kdkAccessRights and the key blobs SB3.1 `loadKeyBlob` delivered are
//! kept in `--state DIR/sb.json` (`sb31.json` of earlier versions is still read).

use super::Rom;
use super::sb21::{Ending, Sb21Loader};
use super::sb31::Sb31Loader;
use provkit::codec::{from_hex, to_hex};
use provkit::mboot::StatusCode;
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

/// Bytes needed to judge the header (up to and including SB2.1's `sgtl`).
const DECIDE_AT: usize = 0x38;

/// What the header looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SbKind {
    /// SB2.x (`STMP` + `sgtl`).
    Sb2,
    /// SB3.1 (`sbv3`).
    Sb3,
    /// Neither.
    Unknown,
}

pub(crate) fn classify(head: &[u8]) -> SbKind {
    if head.get(0..4) == Some(b"sbv3") {
        SbKind::Sb3
    } else if head.get(0x14..0x18) == Some(b"STMP") && head.get(0x34..0x38) == Some(b"sgtl") {
        SbKind::Sb2
    } else {
        SbKind::Unknown
    }
}

/// The device's SB loader settings (see the module doc).
#[derive(Clone, Default)]
pub struct SbSettings {
    /// The SBKEK of families whose ROM gets none from a key store or OTP (`--sbkek`).
    pub sbkek: Option<Zeroizing<Vec<u8>>>,
    /// SB3.1: kdkAccessRights the ROM derives keys with.
    pub kdk_access_rights: u8,
    /// SB3.1: key blobs delivered by `loadKeyBlob`: (offset, wrap id, blob).
    pub key_blobs: Vec<(u16, u16, Vec<u8>)>,
}

impl std::fmt::Debug for SbSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the SBKEK.
        write!(
            f,
            "SbSettings(sbkek: {}, kdkAccessRights {}, {} key blobs)",
            if self.sbkek.is_some() { "set" } else { "none" },
            self.kdk_access_rights,
            self.key_blobs.len()
        )
    }
}

/// Persistent SB settings (`--state DIR/sb.json`).
#[derive(Serialize, Deserialize, Default)]
struct SbFile {
    sbkek: Option<String>,
    #[serde(default)]
    kdk_access_rights: u8,
    #[serde(default)]
    key_blobs: Vec<(u16, u16, String)>,
}

/// The settings file, and the name earlier versions used.
const SETTINGS_FILE: &str = "sb.json";
const LEGACY_SETTINGS_FILE: &str = "sb31.json";

/// The loader state of one receive-sb-file data phase.
pub(crate) enum SbSink {
    /// SB3.1 families.
    Sb31(Box<Sb31Loader>),
    /// SB2.1 families.
    Sb21(Box<Sb21Loader>),
    /// A family without a loader model: refused once the header is in.
    Refuse {
        /// The family's SB version.
        version: String,
        /// The first bytes.
        head: Vec<u8>,
    },
}

impl SbSink {
    /// The sink of a new transfer on `rom`.
    pub(crate) fn new(rom: &Rom) -> SbSink {
        if let Some(l) = rom.sb31_loader() {
            SbSink::Sb31(l)
        } else if let Some(l) = rom.sb21_loader() {
            SbSink::Sb21(l)
        } else {
            SbSink::Refuse {
                version: rom.family().sb_version.clone(),
                head: Vec::new(),
            }
        }
    }

    /// SB3.1 commands ready to run.
    pub(crate) fn take_sb31_commands(&mut self) -> Vec<provkit::sb31::Command> {
        match self {
            SbSink::Sb31(l) => l.take_commands(),
            _ => Vec::new(),
        }
    }

    /// An SB3.1 `execute` ran.
    pub(crate) fn sb31_jumped(&mut self) {
        if let SbSink::Sb31(l) = self {
            l.jumped();
        }
    }

    /// SB2.1 commands ready to run, in file order.
    pub(crate) fn take_sb21_commands(&mut self) -> Vec<provkit::sb21::Command> {
        match self {
            SbSink::Sb21(l) => l.take_commands(),
            _ => Vec::new(),
        }
    }

    /// An SB2.1 JUMP or RESET ran: nothing after it is processed.
    pub(crate) fn sb21_ended(&mut self, how: Ending) {
        if let SbSink::Sb21(l) = self {
            l.ended(how);
        }
    }

    /// The failure an SB2.1 transfer found after the commands just run (`Err`), if any.
    pub(crate) fn sb21_after_commands(&mut self) -> Result<(), StatusCode> {
        match self {
            SbSink::Sb21(l) => l.after_commands(),
            _ => Ok(()),
        }
    }

    fn judge(version: &str, head: &[u8]) -> StatusCode {
        tracing::warn!(
            kind = ?classify(head),
            "receive-sb-file: this SB{version} ROM has no loader model in the simulator: \
             refusing the file with kStatusRomLdrSignature"
        );
        StatusCode::ROMLDR_SIGNATURE
    }

    /// Takes a chunk; `Err` aborts the data phase with that status.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), StatusCode> {
        match self {
            SbSink::Sb31(l) => l.push(chunk),
            SbSink::Sb21(l) => l.push(chunk),
            SbSink::Refuse { version, head } => {
                if head.len() < DECIDE_AT {
                    let n = (DECIDE_AT - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..n]);
                    if head.len() >= DECIDE_AT {
                        return Err(SbSink::judge(version, head));
                    }
                }
                Ok(())
            }
        }
    }

    /// The stream ended; the final status.
    pub(crate) fn finish(&mut self) -> StatusCode {
        match self {
            SbSink::Sb31(l) => l.finish(),
            SbSink::Sb21(l) => l.finish(),
            SbSink::Refuse { version, head } => SbSink::judge(version, head),
        }
    }
}

impl Rom {
    /// Sets the SBKEK setting (families without a key-store or OTP SBKEK; see the module doc).
    pub fn set_sbkek(&mut self, kek: Option<Vec<u8>>) {
        self.sb.sbkek = kek.map(Zeroizing::new);
    }

    /// Sets kdkAccessRights (0..3) of the SB3.1 key derivation.
    pub fn set_kdk_access_rights(&mut self, ar: u8) {
        self.sb.kdk_access_rights = ar & 3;
    }

    /// The SB settings.
    pub fn sb_settings(&self) -> &SbSettings {
        &self.sb
    }

    /// Runs the commands the current `receive-sb-file` transfer completed (either loader).
    pub(crate) fn run_sb_commands(&mut self) -> Result<(), StatusCode> {
        self.run_sb31_commands()?;
        self.run_sb21_commands()
    }

    /// The transfer ended with `status`: a pending jump or reset resets the device once the
    /// host has the answer (the simulator has no CPU: a jump re-enters the ROM by a reset).
    pub(crate) fn sb_file_done(&mut self, status: StatusCode) -> StatusCode {
        if status == StatusCode::ROMLDR_PENDING_JUMP_COMMAND
            || status == StatusCode::ROMLDR_PENDING_RESET_COMMAND
        {
            self.reset_pending = true;
        }
        status
    }

    /// True when the family's ROM has an SB loader the simulator models.
    fn has_sb_loader(&self) -> bool {
        self.family
            .secure_boot
            .as_ref()
            .is_some_and(|s| s.sb31.is_some())
            || self.family.sb21.is_some()
    }

    /// Saves `sb.json` (the SB settings, families with an SB loader) and `boot.json` (the
    /// last boot check) into the state directory.
    pub(crate) fn save_sb_state(&self, dir: &Path) -> anyhow::Result<()> {
        if self.family.secure_boot.is_none() {
            return Ok(());
        }
        if self.has_sb_loader() {
            let f = SbFile {
                sbkek: self.sb.sbkek.as_ref().map(|k| to_hex(k)),
                kdk_access_rights: self.sb.kdk_access_rights,
                key_blobs: self
                    .sb
                    .key_blobs
                    .iter()
                    .map(|(o, w, d)| (*o, *w, to_hex(d)))
                    .collect(),
            };
            // It holds the SBKEK: mode 0600, written atomically.
            provkit::crypto::keys::write_private(
                &dir.join(SETTINGS_FILE),
                &serde_json::to_vec_pretty(&f)?,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            // Migrated: the old name would shadow nothing but confuse whoever edits it.
            let legacy = dir.join(LEGACY_SETTINGS_FILE);
            if legacy.exists() {
                std::fs::remove_file(&legacy)?;
            }
        }
        if let Some(b) = &self.boot {
            super::secboot::write_boot_json(dir, b)?;
        }
        Ok(())
    }

    /// Loads `sb.json` (or the older `sb31.json`) from the state directory, if present.
    pub(crate) fn load_sb_state(&mut self, dir: &Path) -> anyhow::Result<()> {
        let p = [SETTINGS_FILE, LEGACY_SETTINGS_FILE]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.exists());
        let Some(p) = p else {
            return Ok(());
        };
        let f: SbFile = serde_json::from_slice(&std::fs::read(&p)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        if let Some(h) = &f.sbkek {
            let k = Zeroizing::new(
                from_hex(h).map_err(|e| anyhow::anyhow!("{}: sbkek: {e}", p.display()))?,
            );
            if k.len() != 16 && k.len() != 32 {
                anyhow::bail!("{}: sbkek must be 16 or 32 bytes", p.display());
            }
            self.sb.sbkek = Some(k);
        }
        if f.kdk_access_rights > 3 {
            anyhow::bail!("{}: kdk_access_rights must be 0..3", p.display());
        }
        self.sb.kdk_access_rights = f.kdk_access_rights;
        self.sb.key_blobs = f
            .key_blobs
            .iter()
            .filter_map(|(o, w, d)| from_hex(d).ok().map(|d| (*o, *w, d)))
            .collect();
        Ok(())
    }
}

/// Applies `devsim mcu --sbkek/--kdk-access-rights` and reports every secure-boot check as
/// a JSON line on stdout (after the ready line) and in `DIR/boot.json` when `state` is set.
pub fn apply_cli(
    rom: &mut Rom,
    sbkek: Option<&str>,
    kdk_access_rights: Option<u8>,
    state: Option<std::path::PathBuf>,
) -> Result<(), String> {
    if let Some(spec) = sbkek {
        let p = Path::new(spec);
        let raw = if p.is_file() {
            std::fs::read(p).map_err(|e| format!("--sbkek: {}: {e}", p.display()))?
        } else {
            spec.as_bytes().to_vec()
        };
        let raw = Zeroizing::new(raw);
        let key = std::str::from_utf8(&raw)
            .ok()
            .and_then(|t| from_hex(t).ok())
            .filter(|k| k.len() == 16 || k.len() == 32)
            .or_else(|| (raw.len() == 16 || raw.len() == 32).then(|| raw.to_vec()))
            .ok_or("--sbkek: expected 32 (or 16) bytes as hex text, or a file holding them")?;
        rom.set_sbkek(Some(key));
    }
    if let Some(ar) = kdk_access_rights {
        if ar > 3 {
            return Err(format!("--kdk-access-rights: {ar} is outside 0..=3"));
        }
        rom.set_kdk_access_rights(ar);
    }
    if rom.family().secure_boot.is_some() {
        rom.set_boot_observer(Box::new(move |r| {
            use std::io::Write;
            let line = serde_json::to_string(r).unwrap_or_default();
            let mut out = std::io::stdout().lock();
            // Nobody may be reading stdout any more: that is not an error.
            let _ = writeln!(out, "{line}").and_then(|()| out.flush());
            if let Some(dir) = &state {
                if let Err(e) = super::secboot::write_boot_json(dir, r) {
                    tracing::warn!("--state: cannot write boot.json: {e:#}");
                }
            }
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_classified() {
        let mut sb2 = vec![0u8; 0x60];
        sb2[0x14..0x18].copy_from_slice(b"STMP");
        sb2[0x34..0x38].copy_from_slice(b"sgtl");
        assert_eq!(classify(&sb2), SbKind::Sb2);
        assert_eq!(classify(b"sbv3\x01\x00\x03\x00"), SbKind::Sb3);
        assert_eq!(classify(&[0u8; 64]), SbKind::Unknown);
    }

    #[test]
    fn a_rom_without_a_loader_model_refuses_once_the_header_is_in() {
        let mut s = SbSink::Refuse {
            version: "3.1".into(),
            head: Vec::new(),
        };
        assert!(s.push(&[0u8; 32]).is_ok());
        assert_eq!(s.push(&[0u8; 32]), Err(StatusCode::ROMLDR_SIGNATURE));
    }
}
