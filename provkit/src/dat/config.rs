//! SPSDK's debug credential configuration (`nxpdebugmbox dat dc export -c dc.yaml`),
//! accepted verbatim: `family`, `revision`, `uuid`, `cc_socu`, `cc_vu`, `cc_beacon`,
//! `rot_meta` (1 to 4 public key files), `rot_id`, `dck`, `signer`.
//!
//! The YAML text is parsed by the tool (serde); this module turns the values into
//! [`DcParams`] with paths resolved against the configuration's directory.

use super::{DatError, DatFamily, DcParams, parse_uuid};
use crate::crypto::PublicKey;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A YAML number: an integer, or text (`'0x0FFF'`, `"4096"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Num {
    /// Integer.
    Int(u64),
    /// Text.
    Text(String),
}

impl Num {
    fn value(&self, field: &str) -> Result<u64, DatError> {
        match self {
            Num::Int(v) => Ok(*v),
            Num::Text(t) => crate::codec::parse_int(t).map_err(|why| DatError::Config {
                field: field.into(),
                why,
            }),
        }
    }

    fn u32(&self, field: &'static str) -> Result<u32, DatError> {
        let v = self.value(field)?;
        u32::try_from(v).map_err(|_| DatError::Range {
            field,
            value: v,
            bits: 32,
        })
    }
}

/// The configuration file, key by key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DcConfig {
    /// Family.
    pub family: Option<String>,
    /// Silicon revision (`latest` by default).
    #[serde(default)]
    pub revision: Option<String>,
    /// Allowed by SPSDK's schema instead of `family`; SPSDK ignores it and so do we (SOCC
    /// comes from the family).
    #[serde(default)]
    pub socc: Option<Num>,
    /// Device UUID (hex text; all zero = any device).
    pub uuid: Num,
    /// SoC usage.
    pub cc_socu: Num,
    /// Vendor usage.
    pub cc_vu: Num,
    /// Credential beacon.
    pub cc_beacon: Num,
    /// Root public key files.
    pub rot_meta: Vec<String>,
    /// Index of the signing root key.
    #[serde(default)]
    pub rot_id: Option<Num>,
    /// Debug credential public key file.
    pub dck: String,
    /// Private key path or signature-provider string.
    #[serde(default)]
    pub signer: Option<String>,
    /// Root of trust from an MBI / cert-block configuration (`dc export -e`).
    #[serde(default)]
    pub rot_config: Option<String>,
}

/// A configuration resolved against its directory.
#[derive(Debug, Clone)]
pub struct ResolvedConfig {
    /// The family.
    pub family: DatFamily,
    /// The credential's content.
    pub params: DcParams,
    /// The signer specification, if the file has one.
    pub signer: Option<String>,
    /// Warnings for the user (SPSDK-compatible truncations).
    pub warnings: Vec<String>,
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    let p = Path::new(p.trim());
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

impl DcConfig {
    /// Loads the keys and values; `base` is the configuration file's directory.
    pub fn resolve(&self, base: &Path) -> Result<ResolvedConfig, DatError> {
        let family_name = self.family.as_deref().ok_or_else(|| DatError::Config {
            field: "family".into(),
            why: "missing (the SOCC comes from the family)".into(),
        })?;
        if self.rot_config.is_some() {
            return Err(DatError::Config {
                field: "rot_config".into(),
                why: "deriving the root keys from an MBI or cert-block configuration is not supported; list the keys in rot_meta".into(),
            });
        }
        let family = DatFamily::lookup(family_name, self.revision.as_deref())?;
        let uuid = match &self.uuid {
            Num::Text(t) => parse_uuid(t)?,
            Num::Int(v) => {
                let mut u = [0u8; 16];
                u[8..].copy_from_slice(&v.to_be_bytes());
                u
            }
        };
        if self.rot_meta.is_empty() || self.rot_meta.len() > 4 {
            return Err(DatError::RotKeyCount(self.rot_meta.len()));
        }
        let rot_keys = self
            .rot_meta
            .iter()
            .map(|p| PublicKey::from_file(&resolve(base, p)))
            .collect::<Result<Vec<_>, _>>()?;
        let rot_id = match &self.rot_id {
            Some(n) => n.value("rot_id")? as usize,
            None => 0,
        };
        let dck = PublicKey::from_file(&resolve(base, &self.dck))?;
        let mut warnings = Vec::new();
        let mut cc_beacon = self.cc_beacon.u32("cc_beacon")?;
        if cc_beacon > 0xFFFF {
            warnings.push(format!(
                "cc_beacon 0x{cc_beacon:X} exceeds 16 bits; truncated to 0x{:04X} as SPSDK does",
                cc_beacon & 0xFFFF
            ));
            cc_beacon &= 0xFFFF;
        }
        if let Some(k) = rot_keys.get(rot_id) {
            family.check_key(k.key_type())?;
        }
        Ok(ResolvedConfig {
            params: DcParams {
                socc: family.socc,
                uuid,
                cc_socu: self.cc_socu.u32("cc_socu")?,
                cc_vu: self.cc_vu.u32("cc_vu")?,
                cc_beacon,
                rot_keys,
                rot_id,
                dck,
            },
            family,
            signer: self.signer.clone(),
            warnings,
        })
    }
}
