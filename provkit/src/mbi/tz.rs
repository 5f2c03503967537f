//! TrustZone-M presets: a preset is one little-endian u32 per register, in register order.
//! The register sets (names and reset values) are in `provkit/data/tz_presets.json`; a family
//! names its set in `secure_boot.mbi.tz_registers`. The sets of the certificate-block-v2.1
//! families (lpc55s36, mcxn947, rw612) start with the block start magic [`MAGIC`] (`TZ-M`,
//! register `tzm_magic`), which a preset of theirs must keep.
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
    revisions: BTreeMap<String, Vec<String>>,
}

/// One register set and the device revisions it describes.
struct Set {
    regs: Vec<TzRegister>,
    revisions: Vec<String>,
}

/// The block start magic of the cert-block-v2.1 families' presets (`tzm_magic`, 0x4D2D5A54).
pub const MAGIC: &[u8; 4] = b"TZ-M";

fn db() -> &'static Result<BTreeMap<String, Set>, String> {
    static DB: OnceLock<Result<BTreeMap<String, Set>, String>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut d: Db =
            serde_json::from_str(DATA).map_err(|e| format!("provkit/data/tz_presets.json: {e}"))?;
        let mut out = BTreeMap::new();
        for (set, regs) in d.presets {
            let revisions = d
                .revisions
                .remove(&set)
                .ok_or_else(|| format!("tz_presets.json: {set}: no revisions"))?;
            let mut v = Vec::with_capacity(regs.len());
            for (name, reset) in regs {
                let reset = crate::codec::parse_int(&reset)
                    .ok()
                    .and_then(|r| u32::try_from(r).ok())
                    .ok_or_else(|| format!("tz_presets.json: {set}: {name}: bad value {reset}"))?;
                v.push(TzRegister { name, reset });
            }
            out.insert(set, Set { regs: v, revisions });
        }
        if let Some(set) = d.revisions.keys().next() {
            return Err(format!("tz_presets.json: revisions of unknown set {set}"));
        }
        Ok(out)
    })
}

/// The registers of preset set `set` (`lpc55s6x`, `rt5xx`, ...).
pub fn registers(set: &str) -> Option<&'static [TzRegister]> {
    db().as_ref().ok()?.get(set).map(|s| s.regs.as_slice())
}

/// Checks a YAML preset's `revision` against the device revisions set `set` describes
/// (`latest` always fits).
pub fn check_revision(set: &str, revision: &str) -> Result<(), MbiError> {
    let s = db()
        .as_ref()
        .ok()
        .and_then(|m| m.get(set))
        .ok_or_else(|| MbiError::Build(format!("no TrustZone register set {set}")))?;
    let r = revision.trim();
    if r.eq_ignore_ascii_case("latest") || s.revisions.iter().any(|x| x.eq_ignore_ascii_case(r)) {
        return Ok(());
    }
    Err(MbiError::Build(format!(
        "TrustZone preset: revision '{revision}' is not supported (the {set} register set is \
         revision {}, or latest)",
        s.revisions.join("/")
    )))
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

/// Checks that `preset` fits set `set`: its length, and the start magic [`MAGIC`] when the
/// set has one.
pub fn check(set: &str, preset: &[u8]) -> Result<(), MbiError> {
    let reset = reset_preset(set)?;
    if preset.len() != reset.len() {
        return Err(MbiError::Build(format!(
            "the TrustZone preset is {} bytes; {set} presets are {} bytes",
            preset.len(),
            reset.len()
        )));
    }
    if reset.starts_with(MAGIC) && !preset.starts_with(MAGIC) {
        return Err(MbiError::Build(
            "the TrustZone preset does not start with the block start magic 'TZ-M' (register \
             tzm_magic must keep its reset value 0x4D2D5A54)"
                .into(),
        ));
    }
    Ok(())
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
    let preset: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    check(set, &preset)?;
    Ok(preset)
}

/// The registers of `preset` that differ from their reset values: `(name, value)`.
pub fn changed(set: &str, preset: &[u8]) -> Result<Vec<(&'static str, u32)>, MbiError> {
    let regs = set_of(set)?;
    check(set, preset)?;
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

#[cfg(test)]
mod tests {
    //! Against SPSDK 3.12's `nxpimage tz export` of `tests/vectors/mbi/mbi_lpc55s36/tz_custom.yaml`.
    use super::*;
    use std::path::PathBuf;

    fn spsdk_lpc55s36() -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/mbi/mbi_lpc55s36/out/tz_custom.bin");
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn lpc55s36_yaml_values_give_spsdk_preset() {
        let want = spsdk_lpc55s36();
        let by_name = vec![(
            "Secure vector table address (cm33_vtor_addr)".to_string(),
            0x1000_0000,
        )];
        assert_eq!(preset_from_values("lpc55s36", &by_name).unwrap(), want);
        let by_uid = vec![("FIELD004".to_string(), 0x1000_0000)];
        assert_eq!(preset_from_values("lpc55s36", &by_uid).unwrap(), want);
        assert!(!is_reset("lpc55s36", &want).unwrap());
        assert_eq!(
            changed("lpc55s36", &want).unwrap(),
            vec![("Secure vector table address (cm33_vtor_addr)", 0x1000_0000)]
        );
    }

    #[test]
    fn v21_presets_keep_the_magic() {
        let mut p = spsdk_lpc55s36();
        assert!(check("lpc55s36", &p).is_ok());
        for set in ["lpc55s36", "mcxn947", "rw612"] {
            assert!(reset_preset(set).unwrap().starts_with(MAGIC), "{set}");
        }
        p[0] ^= 1;
        assert!(check("lpc55s36", &p).is_err());
        assert!(check("lpc55s36", &p[4..]).is_err());
        let magic = vec![("field000".to_string(), 0)];
        assert!(preset_from_values("rw612", &magic).is_err());
        // The v1 sets have no magic: any first word.
        assert!(preset_from_values("lpc55s6x", &magic).is_ok());
    }

    #[test]
    fn revisions() {
        assert!(check_revision("lpc55s36", "latest").is_ok());
        assert!(check_revision("lpc55s36", "A1").is_ok());
        assert!(check_revision("lpc55s36", "a0").is_err());
        assert!(check_revision("rw612", "a2").is_ok());
        assert!(check_revision("nope", "latest").is_err());
    }
}
