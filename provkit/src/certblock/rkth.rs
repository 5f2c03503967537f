//! Root key hashes (RKH), the root key table hash (RKTH) of certificate blocks v1 and v2.1,
//! and where the RKTH goes in a device (CMPA `ROTKH` or OTP `RKTH` words).
//!
//! ECC keys (v2.1): `RKH = H(X||Y)` with SHA-256 for P-256 and SHA-384 for P-384 keys;
//! `RKTH = RKH[0]` for one key, else `H(RKH[0] || .. || RKH[n-1])` over exactly the n keys
//! given. RSA keys (v1): `RKH = SHA-256(n || e)`, both minimal big-endian; `RKTH = SHA-256`
//! of the 4 x 32-byte table with absent keys as zeros (one key: `SHA-256(RKH[0] || 96 zero
//! bytes)`, not `RKH[0]`). The device field may be longer (48 bytes); a 32-byte RKTH fills its
//! start.

use super::{CertBlockError, EcCurve};
use crate::crypto::{KeyType, PublicKey, sha256};
use crate::family::{Area, Family, ImageFamily, RkthField};

/// RKH of one root public key: ECC (v2.1) or RSA (v1).
pub fn rkh(key: &PublicKey) -> Result<Vec<u8>, CertBlockError> {
    if let Some((n, e)) = key.rsa_n_e() {
        let mut ne = n;
        ne.extend_from_slice(&e);
        return Ok(sha256(&ne).to_vec());
    }
    let curve = EcCurve::of_key(key).ok_or(CertBlockError::UnsupportedKey {
        what: "root key".into(),
        key: key.key_type(),
    })?;
    Ok(curve.hash().digest(&key.ec_xy().unwrap_or_default()))
}

/// RKTH of a root key set (1 to 4 keys of one kind), by key type: RSA keys as certificate
/// block v1 computes it (hash of the zero-filled 4-entry table), ECC keys of one curve as
/// certificate block v2.1 does.
pub fn rkth_of_keys(keys: &[PublicKey]) -> Result<Vec<u8>, CertBlockError> {
    if !(1..=4).contains(&keys.len()) {
        return Err(CertBlockError::KeyCount(keys.len()));
    }
    if let KeyType::Rsa(_) = keys[0].key_type() {
        let mut table = [[0u8; 32]; super::v1::RKHT_ENTRIES];
        for (i, k) in keys.iter().enumerate() {
            if !matches!(k.key_type(), KeyType::Rsa(_)) {
                return Err(CertBlockError::MixedKeyTypes {
                    index: i,
                    expected: keys[0].key_type(),
                    found: k.key_type(),
                });
            }
            table[i].copy_from_slice(&rkh(k)?);
        }
        return Ok(super::v1::rkth_of_table(&table).to_vec());
    }
    let curve = EcCurve::of_key(&keys[0]).ok_or(CertBlockError::UnsupportedKey {
        what: "root key 0".into(),
        key: keys[0].key_type(),
    })?;
    let mut table = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let c = EcCurve::of_key(k).ok_or(CertBlockError::UnsupportedKey {
            what: format!("root key {i}"),
            key: k.key_type(),
        })?;
        if c != curve {
            return Err(CertBlockError::MixedCurves {
                index: i,
                expected: curve,
                found: c,
            });
        }
        table.push(rkh(k)?);
    }
    Ok(if keys.len() == 1 {
        table.remove(0)
    } else {
        curve.hash().digest(&table.concat())
    })
}

/// True when the device field `field` holds `rkth`: equal, or `rkth` followed by zero bytes
/// (a SHA-256 RKTH in a 48-byte field).
pub fn rkth_matches(field: &[u8], rkth: &[u8]) -> bool {
    field.len() >= rkth.len()
        && field[..rkth.len()] == *rkth
        && field[rkth.len()..].iter().all(|&b| b == 0)
}

/// Where a family keeps its RKTH, with the value to program there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RkthLocation {
    /// CMPA bytes: the page address, the field's offset, and the 48 field bytes.
    Cmpa {
        /// CMPA page address.
        cmpa: u32,
        /// Offset of the field in the page.
        offset: u32,
        /// The field bytes (RKTH, zero-padded).
        bytes: Vec<u8>,
    },
    /// OTP fuse words: (index, value) pairs, value = 4 digest bytes little-endian.
    Otp {
        /// The fuse words.
        words: Vec<(u32, u32)>,
    },
}

impl RkthLocation {
    /// The field value for `rkth` on `family`; `None` when the family has no RKTH field.
    pub fn for_family(family: &Family, rkth: &[u8]) -> Option<RkthLocation> {
        let sb = family.secure_boot.as_ref()?;
        Some(Self::for_field(
            &sb.rkth,
            family.pfr.as_ref().map(|p| p.cmpa),
            rkth,
        ))
    }

    /// The field value for `rkth` on an image family (simulated or image-only); `None` when
    /// the family has no RKTH field.
    pub fn for_image_family(family: &ImageFamily, rkth: &[u8]) -> Option<RkthLocation> {
        let sb = family.secure_boot.as_ref()?;
        Some(Self::for_field(&sb.rkth, family.cmpa, rkth))
    }

    fn for_field(field: &RkthField, cmpa: Option<u32>, rkth: &[u8]) -> RkthLocation {
        let mut bytes = rkth.to_vec();
        bytes.resize((field.size as usize).max(rkth.len()), 0);
        match field.area {
            Area::Otp => RkthLocation::Otp {
                words: bytes
                    .chunks(4)
                    .enumerate()
                    .map(|(i, c)| {
                        let mut w = [0u8; 4];
                        w[..c.len()].copy_from_slice(c);
                        (field.offset + i as u32, u32::from_le_bytes(w))
                    })
                    .collect(),
            },
            Area::Cmpa | Area::Cfpa => RkthLocation::Cmpa {
                cmpa: cmpa.unwrap_or(0),
                offset: field.offset,
                bytes,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::family;

    #[test]
    fn padded_field_matches() {
        let r = [7u8; 32];
        let mut f = r.to_vec();
        f.resize(48, 0);
        assert!(rkth_matches(&f, &r));
        assert!(rkth_matches(&r, &r));
        f[40] = 1;
        assert!(!rkth_matches(&f, &r));
        assert!(!rkth_matches(&r[..16], &r));
    }

    #[test]
    fn locations_per_family() {
        let rkth: Vec<u8> = (0..32).collect();
        match RkthLocation::for_family(family("rw612").unwrap(), &rkth).unwrap() {
            RkthLocation::Otp { words } => {
                assert_eq!(words.len(), 12);
                assert_eq!(words[0], (104, 0x0302_0100));
                assert_eq!(words[11], (115, 0));
            }
            other => panic!("{other:?}"),
        }
        match RkthLocation::for_family(family("mcxn947").unwrap(), &rkth).unwrap() {
            RkthLocation::Cmpa {
                cmpa,
                offset,
                bytes,
            } => {
                assert_eq!((cmpa, offset, bytes.len()), (0x0100_4000, 0x60, 48));
            }
            other => panic!("{other:?}"),
        }
        // A family without secure-boot facts has no location.
        for f in crate::family::all() {
            if f.secure_boot.is_none() {
                assert!(RkthLocation::for_family(f, &rkth).is_none(), "{}", f.name);
            }
        }
    }
}
