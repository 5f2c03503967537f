//! TrustZone-M presets of the certificate-block-v1 families (LPC55S0x/1x/6x, RT5xx/6xx): a
//! preset is one little-endian u32 per register, in register order. The register sets (names
//! and reset values) are in `provkit/data/tz_presets.json`; a family names its set in
//! `secure_boot.mbi.tz_registers`.
//!
//! A preset whose registers all hold their reset values is not embedded in an image: the
//! image then says "TrustZone enabled, ROM default preset" (type 0). Any other preset is
//! embedded (type 1).
//!
//! YAML presets (`nxpimage tz` configs: `trustZonePreset: {<register>: <value>}`) name a
//! register by its name (`CM33 Secure vector table address (cm33_vtor_addr)`) or its SPSDK uid
//! (`field000`, the offset in hex), ignoring case; registers not named keep their reset value.

use super::MbiError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/tz_presets.json");

/// One preset register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TzRegister {
    /// Name (SPSDK's, with the short name in parentheses).
    pub name: String,
    /// Reset value.
    pub reset: u32,
}

impl TzRegister {
    /// SPSDK's uid of register `index`: `field` and its offset in hex (`field01C`).
    pub fn uid(index: usize) -> String {
        format!("field{:03X}", index * 4)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Db {
    #[serde(rename = "_note")]
    _note: String,
    presets: BTreeMap<String, Vec<(String, String)>>,
}

fn db() -> &'static Result<BTreeMap<String, Vec<TzRegister>>, String> {
    static DB: OnceLock<Result<BTreeMap<String, Vec<TzRegister>>, String>> = OnceLock::new();
    DB.get_or_init(|| {
        let d: Db =
            serde_json::from_str(DATA).map_err(|e| format!("provkit/data/tz_presets.json: {e}"))?;
        let mut out = BTreeMap::new();
        for (set, regs) in d.presets {
            let mut v = Vec::with_capacity(regs.len());
            for (name, reset) in regs {
                let reset = crate::codec::parse_int(&reset)
                    .ok()
                    .and_then(|r| u32::try_from(r).ok())
                    .ok_or_else(|| format!("tz_presets.json: {set}: {name}: bad value {reset}"))?;
                v.push(TzRegister { name, reset });
            }
            out.insert(set, v);
        }
        Ok(out)
    })
}

/// The registers of preset set `set` (`lpc55s6x`, `rt5xx`, ...).
pub fn registers(set: &str) -> Option<&'static [TzRegister]> {
    db().as_ref().ok()?.get(set).map(Vec::as_slice)
}

/// Names of the register sets (for the unit tests and messages).
pub fn sets() -> Vec<&'static str> {
    match db() {
        Ok(m) => m.keys().map(String::as_str).collect(),
        Err(_) => Vec::new(),
    }
}

fn set_of(set: &str) -> Result<&'static [TzRegister], MbiError> {
    registers(set).ok_or_else(|| MbiError::Build(format!("no TrustZone register set {set}")))
}

/// The preset with every register at its reset value.
pub fn reset_preset(set: &str) -> Result<Vec<u8>, MbiError> {
    Ok(set_of(set)?
        .iter()
        .flat_map(|r| r.reset.to_le_bytes())
        .collect())
}

/// True when `preset` holds the reset value in every register (the ROM default preset).
pub fn is_reset(set: &str, preset: &[u8]) -> Result<bool, MbiError> {
    Ok(reset_preset(set)? == preset)
}

/// Index of the register named `key` (name or uid, ignoring case).
pub fn find(set: &str, key: &str) -> Result<usize, MbiError> {
    let regs = set_of(set)?;
    let k = key.trim();
    regs.iter()
        .enumerate()
        .position(|(i, r)| {
            r.name.eq_ignore_ascii_case(k) || TzRegister::uid(i).eq_ignore_ascii_case(k)
        })
        .ok_or_else(|| {
            MbiError::Build(format!(
                "TrustZone preset: no register '{key}' in the {set} preset (names as in \
                 `nxpimage tz get-template`, or uids field000..field{:03X})",
                regs.len().saturating_sub(1) * 4
            ))
        })
}

/// A preset from register values (by name or uid); registers not given keep their reset
/// value. A register given twice is an error.
pub fn preset_from_values(set: &str, values: &[(String, u32)]) -> Result<Vec<u8>, MbiError> {
    let regs = set_of(set)?;
    let mut words: Vec<u32> = regs.iter().map(|r| r.reset).collect();
    let mut seen = vec![false; regs.len()];
    for (key, v) in values {
        let i = find(set, key)?;
        if std::mem::replace(&mut seen[i], true) {
            return Err(MbiError::Build(format!(
                "TrustZone preset: register '{}' is given twice",
                regs[i].name
            )));
        }
        words[i] = *v;
    }
    Ok(words.iter().flat_map(|w| w.to_le_bytes()).collect())
}

/// The registers of `preset` that differ from their reset values: `(name, value)`.
pub fn changed(set: &str, preset: &[u8]) -> Result<Vec<(&'static str, u32)>, MbiError> {
    let regs = set_of(set)?;
    if preset.len() != regs.len() * 4 {
        return Err(MbiError::Build(format!(
            "the TrustZone preset is {} bytes; {set} presets are {} bytes",
            preset.len(),
            regs.len() * 4
        )));
    }
    Ok(regs
        .iter()
        .zip(preset.chunks_exact(4))
        .filter_map(|(r, c)| {
            let v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            (v != r.reset).then_some((r.name.as_str(), v))
        })
        .collect())
}

/// True when `preset` looks like text rather than register values: its first 32 bytes are
/// printable ASCII or line breaks. SPSDK 3.12 embeds the text of a YAML preset it fails to
/// validate as if it were a binary preset (reference sb2_mbi.md 9.9); no register set of these
/// families starts with eight such words.
pub fn looks_like_text(preset: &[u8]) -> bool {
    preset.len() >= 32
        && preset[..32]
            .iter()
            .all(|&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7F).contains(&b))
}
