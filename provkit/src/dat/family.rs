//! The DAT family table: SOCC per family and silicon revision, DM-AP index, root key types
//! the ROM takes, and flags. Data in `provkit/data/dat_families.json`.
//!
//! The table is separate from the ISP family database (`families.json`) because it covers
//! every family SPSDK knows for debug authentication (about 70), not just the ones the
//! simulator models; `devices` holds the extra facts `devsim` needs for those it does.

use super::{DatError, ProtocolVersion};
use crate::crypto::KeyType;
use crate::family::Area;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/dat_families.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    #[serde(rename = "_note", default)]
    _note: Option<String>,
    families: Vec<String>,
    revisions: Vec<String>,
    socc: u32,
    dm_ap: u8,
    rot_keys: Vec<String>,
    #[serde(default)]
    sha256_always: bool,
    #[serde(default = "yes")]
    dac_rkth: bool,
    socu: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Unsupported {
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    suffixes_of: Vec<String>,
    #[serde(default)]
    suffix: Option<String>,
    why: String,
}

/// A location in the device: CMPA/CFPA byte offset or OTP fuse word index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loc {
    /// CMPA, CFPA or OTP.
    pub area: Area,
    /// Byte offset in the page, or fuse word index.
    #[serde(deserialize_with = "de_u32")]
    pub offset: u32,
}

/// A location and size (the RKTH field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizedLoc {
    /// CMPA, CFPA or OTP.
    pub area: Area,
    /// Byte offset in the page, or first fuse word index.
    #[serde(deserialize_with = "de_u32")]
    pub offset: u32,
    /// Size in bytes.
    pub size: u32,
}

/// Where the SOCU words live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocuLocs {
    /// PFR families: CMPA PIN word.
    pub pin: Option<Loc>,
    /// PFR families: CMPA DFLT word.
    pub dflt: Option<Loc>,
    /// PFR families: CFPA NS PIN word.
    pub ns_pin: Option<Loc>,
    /// PFR families: CFPA NS DFLT word.
    pub ns_dflt: Option<Loc>,
    /// Fuse families: the DCFG_CC_SOCU word.
    pub fuse: Option<Loc>,
    /// Fuse families: the DCFG_CC_SOCU_NS word.
    pub ns_fuse: Option<Loc>,
}

/// Vendor usage words (the DAC's CC_VU: CMPA bits 31..16, CFPA bits 15..0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorUsage {
    /// CMPA word.
    pub cmpa: Loc,
    /// CFPA word.
    pub cfpa: Loc,
}

/// What the simulator needs to play a family's ROM side of DAT.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceFacts {
    /// SOCU words.
    pub socu: SocuLocs,
    /// Vendor usage words.
    #[serde(default)]
    pub vendor_usage: Option<VendorUsage>,
    /// Root key revocation word (DAC `rotid_rkh_revocation`).
    #[serde(default)]
    pub rotkh_revoke: Option<Loc>,
    /// RKTH field, where `families.json` has no `secure_boot.rkth` for the family.
    #[serde(default)]
    pub rkth: Option<SizedLoc>,
    /// Non-secure address of `DEBUG_AUTH_BEACON` (SYSCON + 0xFC0).
    #[serde(deserialize_with = "de_u32")]
    pub beacon_register: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Db {
    #[serde(rename = "_note", default)]
    _note: Option<String>,
    groups: Vec<Group>,
    aliases: BTreeMap<String, String>,
    unsupported: Vec<Unsupported>,
    socu: BTreeMap<String, super::socu::SocuTable>,
    devices: BTreeMap<String, serde_json::Value>,
}

fn de_u32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(u32),
        S(String),
    }
    match N::deserialize(d)? {
        N::I(v) => Ok(v),
        N::S(s) => crate::codec::parse_u32(&s).map_err(serde::de::Error::custom),
    }
}

struct Parsed {
    db: Db,
    devices: BTreeMap<String, DeviceFacts>,
}

fn parsed() -> Result<&'static Parsed, &'static str> {
    static DB: OnceLock<Result<Parsed, String>> = OnceLock::new();
    DB.get_or_init(|| {
        let db: Db = serde_json::from_str(DATA)
            .map_err(|e| format!("provkit/data/dat_families.json: {e}"))?;
        let mut devices = BTreeMap::new();
        for (k, v) in &db.devices {
            if k.starts_with('_') {
                continue;
            }
            let f: DeviceFacts = serde_json::from_value(v.clone())
                .map_err(|e| format!("dat_families.json devices.{k}: {e}"))?;
            devices.insert(k.clone(), f);
        }
        Ok(Parsed { db, devices })
    })
    .as_ref()
    .map_err(String::as_str)
}

/// The DAT facts of one family at one silicon revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatFamily {
    /// Canonical family name.
    pub name: String,
    /// Silicon revision.
    pub revision: String,
    /// SoC class the ROM reports and credentials must carry.
    pub socc: u32,
    /// Access-port index of the debug mailbox.
    pub dm_ap: u8,
    /// Root key types the ROM takes.
    pub rot_keys: Vec<KeyType>,
    /// The DAC carries a 32-byte RoT hash whatever the curve (`dat_is_using_sha256_always`).
    pub sha256_always: bool,
    /// The DAC's RoT hash is usable (false on RW61x: SPSDK's `dac_rot_type: not_available`).
    pub dac_rkth: bool,
    /// Name of the SOCU table ([`super::socu::table`]).
    pub socu: String,
}

impl DatFamily {
    /// Looks a family up; `revision` `None` or `"latest"` is the newest revision.
    pub fn lookup(name: &str, revision: Option<&str>) -> Result<DatFamily, DatError> {
        let p = parsed().map_err(|e| DatError::FamilyUnsupported {
            family: name.into(),
            why: e.into(),
        })?;
        let lower = name.trim().to_ascii_lowercase();
        let canon = p.db.aliases.get(&lower).cloned().unwrap_or(lower);
        let groups: Vec<&Group> =
            p.db.groups
                .iter()
                .filter(|g| g.families.contains(&canon))
                .collect();
        if groups.is_empty() {
            for u in &p.db.unsupported {
                let by_prefix = u.prefixes.iter().any(|pre| canon.starts_with(pre.as_str()));
                let by_suffix = u.suffix.as_deref().is_some_and(|s| {
                    canon.ends_with(s)
                        && u.suffixes_of
                            .iter()
                            .any(|pre| canon.starts_with(pre.as_str()))
                });
                if by_prefix || by_suffix {
                    return Err(DatError::FamilyUnsupported {
                        family: canon,
                        why: u.why.clone(),
                    });
                }
            }
            return Err(DatError::UnknownFamily(name.trim().to_string()));
        }
        let mut revs: Vec<&str> = groups
            .iter()
            .flat_map(|g| g.revisions.iter().map(String::as_str))
            .collect();
        revs.sort_unstable();
        revs.dedup();
        let want = match revision.map(str::trim) {
            None | Some("") | Some("latest") => revs.last().copied().unwrap_or("a0").to_string(),
            Some(r) => r.to_ascii_lowercase(),
        };
        // Families listed in several groups pick by revision; single-group families take
        // any revision of the group.
        let group = if groups.len() == 1 {
            if !groups[0].revisions.contains(&want) {
                return Err(DatError::UnknownRevision {
                    family: canon,
                    revision: want,
                    known: revs.join(", "),
                });
            }
            groups[0]
        } else {
            *groups
                .iter()
                .find(|g| g.revisions.contains(&want))
                .ok_or_else(|| DatError::UnknownRevision {
                    family: canon.clone(),
                    revision: want.clone(),
                    known: revs.join(", "),
                })?
        };
        let rot_keys = group
            .rot_keys
            .iter()
            .map(|k| {
                KeyType::parse(k).ok_or_else(|| DatError::FamilyUnsupported {
                    family: canon.clone(),
                    why: format!("bad key type '{k}' in the DAT table"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DatFamily {
            name: canon,
            revision: want,
            socc: group.socc,
            dm_ap: group.dm_ap,
            rot_keys,
            sha256_always: group.sha256_always,
            dac_rkth: group.dac_rkth,
            socu: group.socu.clone(),
        })
    }

    /// Families whose SOCC is `socc` (to name the family of a credential).
    pub fn by_socc(socc: u32) -> Vec<String> {
        let Ok(p) = parsed() else {
            return Vec::new();
        };
        let mut out: Vec<String> =
            p.db.groups
                .iter()
                .filter(|g| g.socc == socc)
                .flat_map(|g| g.families.iter().cloned())
                .collect();
        out.dedup();
        out
    }

    /// Every family of the table, in table order, each once.
    pub fn names() -> Vec<String> {
        let Ok(p) = parsed() else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for g in &p.db.groups {
            for f in &g.families {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
        out
    }

    /// True when the ROM takes root keys of `kind`.
    pub fn allows_key(&self, kind: KeyType) -> bool {
        self.rot_keys.contains(&kind)
    }

    /// Errors unless the ROM takes root keys of `kind`.
    pub fn check_key(&self, kind: KeyType) -> Result<(), DatError> {
        if self.allows_key(kind) {
            Ok(())
        } else {
            Err(DatError::KeyNotAllowed {
                family: self.name.clone(),
                key: kind,
                allowed: self
                    .rot_keys
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        }
    }

    /// Length of the RoT hash in this family's DAC for protocol `version`.
    pub fn dac_hash_len(&self, version: ProtocolVersion) -> usize {
        if self.sha256_always {
            32
        } else {
            version.hash_len()
        }
    }

    /// Words of the DAC the ROM sends for `version` (18 + hash/4).
    pub fn dac_words(&self, version: ProtocolVersion) -> usize {
        18 + self.dac_hash_len(version) / 4
    }

    /// The protocol versions of the root key types the ROM takes.
    pub fn versions(&self) -> Vec<ProtocolVersion> {
        self.rot_keys
            .iter()
            .filter_map(|k| ProtocolVersion::for_key(*k))
            .collect()
    }

    /// Simulator facts for the family (the devsim families only).
    pub fn device(&self) -> Option<&'static DeviceFacts> {
        parsed().ok()?.devices.get(&self.name)
    }
}

/// The SOCU table named `name` (from the same data file).
pub(crate) fn socu_table(name: &str) -> Option<&'static super::socu::SocuTable> {
    parsed().ok()?.db.socu.get(name)
}

/// Checks the whole table parses (used by unit tests).
pub fn validate() -> Result<(), String> {
    let p = parsed()?;
    for g in &p.db.groups {
        if !p.db.socu.contains_key(&g.socu) {
            return Err(format!(
                "group {:?}: no SOCU table '{}'",
                g.families, g.socu
            ));
        }
        for k in &g.rot_keys {
            if KeyType::parse(k)
                .and_then(ProtocolVersion::for_key)
                .is_none()
            {
                return Err(format!("group {:?}: bad key type {k}", g.families));
            }
        }
    }
    for (a, f) in &p.db.aliases {
        if !p.db.groups.iter().any(|g| g.families.contains(f)) {
            return Err(format!("alias {a} -> {f}: no such family"));
        }
    }
    Ok(())
}
