//! The debug credential (DC).
//!
//! RSA (1.0/1.1), `K` = modulus bytes (256/512):
//! `ver(2×u16) socc uuid[16] rot_meta[128] dck_pub[K+4] cc_socu cc_vu cc_beacon rot_pub[K+4]
//! signature[K]`; public keys are `n (BE, K) || e (BE, 4)`; `rot_meta` holds 4 slots of
//! SHA-256(`n || e as 3 bytes`), unused slots zero; RKTH = SHA-256(rot_meta). The signature
//! is RSASSA-PKCS1-v1_5/SHA-256 by the root key over everything before it.
//!
//! ECC (2.0/2.1/2.2), `C` = coordinate bytes (32/48/66), `H` = hash bytes (32/48/64):
//! `ver socc uuid[16] cc_socu cc_vu cc_beacon flags [CTRK table N×H if N>1] rot_pub[2C]
//! dck_pub[2C] signature r||s[2C]`; flags = `0x80000000 | rot_id<<8 | N<<4`; the table holds
//! H(X||Y) of each root key; RKTH = H(table), or H(rot_pub) for one key. ECDSA with H.
//!
//! P-521 tables hold 64-byte SHA-512 items (SPSDK 3.12 assumes 66 and cannot build them).

use super::{DatError, DatFamily, ProtocolVersion, Report};
use crate::codec::{DecodeError, Reader, Writer, to_hex};
use crate::crypto::signer::Scheme;
use crate::crypto::{KeyType, PublicKey, Signer};

/// Root-of-trust metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotMeta {
    /// RSA: four SHA-256 slots; an all-zero slot is unused.
    Rsa([[u8; 32]; 4]),
    /// ECC: which key signs (`rot_id`), how many keys (`count`), and the CTRK table
    /// (empty when `count` is 1).
    Ecc {
        /// Index of the signing root key.
        rot_id: u8,
        /// Number of root keys (1..=4).
        count: u8,
        /// H(X||Y) of each root key, `count` items when `count > 1`.
        table: Vec<Vec<u8>>,
    },
}

/// A debug credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugCredential {
    /// Protocol version (from the root key type).
    pub version: ProtocolVersion,
    /// SoC class.
    pub socc: u32,
    /// Device UUID; all zero = any device.
    pub uuid: [u8; 16],
    /// Debug domains the credential grants (SoC usage).
    pub cc_socu: u32,
    /// Vendor usage.
    pub cc_vu: u32,
    /// Credential beacon (16 bits in valid credentials).
    pub cc_beacon: u32,
    /// Root key metadata.
    pub rot_meta: RotMeta,
    /// The root public key that signed the credential.
    pub rot_pub: PublicKey,
    /// The debug credential key (the debugger's public key).
    pub dck_pub: PublicKey,
    /// Signature by the root key.
    pub signature: Vec<u8>,
}

/// What a new credential says; see [`DebugCredential::build`].
#[derive(Debug, Clone)]
pub struct DcParams {
    /// SoC class (from the family table).
    pub socc: u32,
    /// Device UUID, zero for any device.
    pub uuid: [u8; 16],
    /// Debug domains granted.
    pub cc_socu: u32,
    /// Vendor usage.
    pub cc_vu: u32,
    /// Credential beacon (16 bits).
    pub cc_beacon: u32,
    /// The root public keys (1 to 4), in CMPA/cert-block order.
    pub rot_keys: Vec<PublicKey>,
    /// Which of them signs.
    pub rot_id: usize,
    /// The debugger's public key.
    pub dck: PublicKey,
}

fn check_dat_key(role: &str, k: &PublicKey) -> Result<ProtocolVersion, DatError> {
    ProtocolVersion::for_key(k.key_type()).ok_or_else(|| DatError::UnsupportedKey {
        role: role.to_string(),
        key: k.key_type(),
    })
}

/// NXP's raw public key: RSA `n (K) || e (4)`, EC `X || Y`.
pub(crate) fn encode_key(version: ProtocolVersion, key: &PublicKey) -> Result<Vec<u8>, DatError> {
    if version.is_rsa() {
        rsa_raw(key, version.key_len(), 4)
    } else {
        key.ec_xy().ok_or_else(|| DatError::UnsupportedKey {
            role: "key".into(),
            key: key.key_type(),
        })
    }
}

fn rsa_raw(key: &PublicKey, k: usize, e_len: usize) -> Result<Vec<u8>, DatError> {
    let (n, e) = key.rsa_n_e().ok_or_else(|| DatError::UnsupportedKey {
        role: "key".into(),
        key: key.key_type(),
    })?;
    if n.len() > k {
        return Err(DatError::Range {
            field: "RSA modulus",
            value: (n.len() * 8) as u64,
            bits: (k * 8) as u32,
        });
    }
    if e.len() > e_len {
        return Err(DatError::Range {
            field: "RSA public exponent",
            value: e.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)),
            bits: (e_len * 8) as u32,
        });
    }
    let mut out = vec![0u8; k - n.len()];
    out.extend_from_slice(&n);
    out.extend(std::iter::repeat_n(0u8, e_len - e.len()));
    out.extend_from_slice(&e);
    Ok(out)
}

/// The root key hash the credential's metadata holds for `key`: SHA-256(`n || e[3]`) for
/// RSA (the CMPA ROTKH convention), H(X||Y) for ECC.
pub fn rot_key_hash(version: ProtocolVersion, key: &PublicKey) -> Result<Vec<u8>, DatError> {
    if version.is_rsa() {
        Ok(version.hash().digest(&rsa_raw(key, version.key_len(), 3)?))
    } else {
        Ok(version.hash().digest(&encode_key(version, key)?))
    }
}

impl RotMeta {
    /// Encoded bytes (RSA: 128; ECC: flags and table).
    pub fn encode(&self) -> Vec<u8> {
        match self {
            RotMeta::Rsa(slots) => slots.concat(),
            RotMeta::Ecc {
                rot_id,
                count,
                table,
            } => {
                let mut w = Writer::new();
                w.u32_le(0x8000_0000 | (u32::from(*rot_id) << 8) | (u32::from(*count) << 4));
                for item in table {
                    w.bytes(item);
                }
                w.into_vec()
            }
        }
    }

    /// The root key hashes it names (RSA: used slots; ECC: the table, empty for one key).
    pub fn hashes(&self) -> Vec<Vec<u8>> {
        match self {
            RotMeta::Rsa(slots) => slots
                .iter()
                .filter(|s| s.iter().any(|&b| b != 0))
                .map(|s| s.to_vec())
                .collect(),
            RotMeta::Ecc { table, .. } => table.clone(),
        }
    }
}

impl DebugCredential {
    /// Builds and signs a credential. The version follows the root keys; the signer must
    /// hold `rot_keys[rot_id]`.
    pub fn build(p: &DcParams, signer: &dyn Signer) -> Result<DebugCredential, DatError> {
        let n = p.rot_keys.len();
        if !(1..=4).contains(&n) {
            return Err(DatError::RotKeyCount(n));
        }
        if p.rot_id >= n {
            return Err(DatError::RotIdOutOfRange {
                rot_id: p.rot_id,
                count: n,
            });
        }
        let rot_pub = p.rot_keys[p.rot_id].clone();
        let version = check_dat_key(&format!("rot_meta[{}]", p.rot_id), &rot_pub)?;
        let kind = rot_pub.key_type();
        for (i, k) in p.rot_keys.iter().enumerate() {
            if k.key_type() != kind {
                return Err(DatError::KeyTypeMismatch {
                    role: format!("rot_meta[{i}]"),
                    found: k.key_type(),
                    other: format!("rot_meta[{}]", p.rot_id),
                    expected: kind,
                });
            }
        }
        if p.dck.key_type() != kind {
            return Err(DatError::KeyTypeMismatch {
                role: "the debug credential key (dck)".into(),
                found: p.dck.key_type(),
                other: "the root key".into(),
                expected: kind,
            });
        }
        if p.cc_beacon > 0xFFFF {
            return Err(DatError::Range {
                field: "cc_beacon",
                value: u64::from(p.cc_beacon),
                bits: 16,
            });
        }
        let signer_pub = signer.public_key()?;
        if signer_pub != rot_pub {
            return Err(DatError::SignerMismatch {
                signer: signer.describe(),
                expected: format!("rot_meta[{}] (the key rot_id selects)", p.rot_id),
            });
        }
        let rot_meta = if version.is_rsa() {
            let mut slots = [[0u8; 32]; 4];
            for (slot, k) in slots.iter_mut().zip(&p.rot_keys) {
                slot.copy_from_slice(&rot_key_hash(version, k)?);
            }
            RotMeta::Rsa(slots)
        } else {
            let table = if n > 1 {
                p.rot_keys
                    .iter()
                    .map(|k| rot_key_hash(version, k))
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                Vec::new()
            };
            RotMeta::Ecc {
                rot_id: p.rot_id as u8,
                count: n as u8,
                table,
            }
        };
        let mut dc = DebugCredential {
            version,
            socc: p.socc,
            uuid: p.uuid,
            cc_socu: p.cc_socu,
            cc_vu: p.cc_vu,
            cc_beacon: p.cc_beacon,
            rot_meta,
            rot_pub,
            dck_pub: p.dck.clone(),
            signature: Vec::new(),
        };
        let tbs = dc.tbs()?;
        let sig = signer.sign(&tbs, dc.scheme())?;
        if sig.len() != version.signature_len() {
            return Err(DatError::SignatureLength {
                expected: version.signature_len(),
                got: sig.len(),
            });
        }
        dc.signature = sig;
        Ok(dc)
    }

    /// The signature scheme of this version.
    pub fn scheme(&self) -> Scheme {
        if self.version.is_rsa() {
            Scheme::RsaPkcs1v15(self.version.hash())
        } else {
            Scheme::EcdsaRaw(self.version.hash())
        }
    }

    /// Everything before the signature (what the root key signs).
    pub fn tbs(&self) -> Result<Vec<u8>, DatError> {
        let v = self.version;
        let mut w = Writer::with_capacity(2048);
        w.u16_le(v.major)
            .u16_le(v.minor)
            .u32_le(self.socc)
            .bytes(&self.uuid);
        let rot = encode_key(v, &self.rot_pub)?;
        let dck = encode_key(v, &self.dck_pub)?;
        if v.is_rsa() {
            w.bytes(&self.rot_meta.encode())
                .bytes(&dck)
                .u32_le(self.cc_socu)
                .u32_le(self.cc_vu)
                .u32_le(self.cc_beacon)
                .bytes(&rot);
        } else {
            w.u32_le(self.cc_socu)
                .u32_le(self.cc_vu)
                .u32_le(self.cc_beacon)
                .bytes(&self.rot_meta.encode())
                .bytes(&rot)
                .bytes(&dck);
        }
        Ok(w.into_vec())
    }

    /// The binary credential.
    pub fn encode(&self) -> Result<Vec<u8>, DatError> {
        let mut out = self.tbs()?;
        out.extend_from_slice(&self.signature);
        Ok(out)
    }

    /// Parses a credential; the whole input must be one.
    pub fn parse(bytes: &[u8]) -> Result<DebugCredential, DecodeError> {
        let mut r = Reader::new(bytes);
        let dc = Self::read(&mut r)?;
        r.finish("debug credential")?;
        Ok(dc)
    }

    /// Reads a credential from the front of `r` (a DAR starts with one).
    pub fn read(r: &mut Reader<'_>) -> Result<DebugCredential, DecodeError> {
        let at = r.offset();
        let major = r.u16_le("version major")?;
        let minor = r.u16_le("version minor")?;
        let version = ProtocolVersion { major, minor };
        let Some(kind) = version.key_type() else {
            let why = if major == 3 {
                format!("version {version} is an EdgeLock Enclave credential (not supported)")
            } else {
                format!("unknown version {version} (1.0, 1.1, 2.0, 2.1, 2.2 are known)")
            };
            return Err(DecodeError::invalid("DC version", at, why));
        };
        let socc = r.u32_le("SOCC")?;
        let uuid = r.array::<16>("UUID")?;
        let k = version.key_len();
        if version.is_rsa() {
            let mut slots = [[0u8; 32]; 4];
            for s in &mut slots {
                *s = r.array::<32>("rot_meta")?;
            }
            let dck_pub = read_rsa(r, k, "DCK public key")?;
            let cc_socu = r.u32_le("CC_SOCU")?;
            let cc_vu = r.u32_le("CC_VU")?;
            let cc_beacon = r.u32_le("CC_BEACON")?;
            let rot_pub = read_rsa(r, k, "RoT public key")?;
            let signature = r.take(k, "signature")?.to_vec();
            Ok(DebugCredential {
                version,
                socc,
                uuid,
                cc_socu,
                cc_vu,
                cc_beacon,
                rot_meta: RotMeta::Rsa(slots),
                rot_pub,
                dck_pub,
                signature,
            })
        } else {
            let cc_socu = r.u32_le("CC_SOCU")?;
            let cc_vu = r.u32_le("CC_VU")?;
            let cc_beacon = r.u32_le("CC_BEACON")?;
            let fat = r.offset();
            let flags = r.u32_le("rot_meta flags")?;
            let count = ((flags >> 4) & 0xF) as u8;
            let rot_id = ((flags >> 8) & 0xF) as u8;
            if flags & 0x8000_0000 == 0 {
                return Err(DecodeError::invalid(
                    "rot_meta flags",
                    fat,
                    "bit 31 is not set",
                ));
            }
            if flags & !0x8000_0FF0 != 0 {
                return Err(DecodeError::invalid(
                    "rot_meta flags",
                    fat,
                    format!("0x{flags:08X} has reserved bits set"),
                ));
            }
            if !(1..=4).contains(&count) || rot_id >= count {
                return Err(DecodeError::invalid(
                    "rot_meta flags",
                    fat,
                    format!(
                        "{count} root keys with rot_id {rot_id}: need 1..4 keys and rot_id below the count"
                    ),
                ));
            }
            let h = version.hash_len();
            let mut table = Vec::new();
            if count > 1 {
                for _ in 0..count {
                    table.push(r.take(h, "CTRK table")?.to_vec());
                }
            }
            let rot_pub = read_ec(r, kind, k, "RoT public key")?;
            let dck_pub = read_ec(r, kind, k, "DCK public key")?;
            let signature = r.take(2 * k, "signature")?.to_vec();
            Ok(DebugCredential {
                version,
                socc,
                uuid,
                cc_socu,
                cc_vu,
                cc_beacon,
                rot_meta: RotMeta::Ecc {
                    rot_id,
                    count,
                    table,
                },
                rot_pub,
                dck_pub,
                signature,
            })
        }
    }

    /// Length of the encoded credential.
    pub fn encoded_len(&self) -> usize {
        let v = self.version;
        let k = v.key_len();
        if v.is_rsa() {
            24 + 128 + 2 * (k + 4) + 12 + k
        } else {
            let t = match &self.rot_meta {
                RotMeta::Ecc { table, .. } => table.iter().map(Vec::len).sum(),
                RotMeta::Rsa(_) => 0,
            };
            40 + t + 6 * k
        }
    }

    /// The root key table hash the device must hold (CMPA ROTKH / OTP RKTH).
    pub fn rkth(&self) -> Vec<u8> {
        let h = self.version.hash();
        match &self.rot_meta {
            RotMeta::Rsa(slots) => h.digest(&slots.concat()),
            RotMeta::Ecc { table, .. } if !table.is_empty() => h.digest(&table.concat()),
            RotMeta::Ecc { .. } => h.digest(&self.rot_pub.ec_xy().unwrap_or_default()),
        }
    }

    /// Checks the root key signature.
    pub fn verify_signature(&self) -> Result<(), DatError> {
        let tbs = self.tbs()?;
        self.rot_pub.verify(&tbs, &self.signature, self.scheme())?;
        Ok(())
    }

    /// Where the signing root key sits in the metadata (`None`: it is not there).
    pub fn rot_slot(&self) -> Result<Option<usize>, DatError> {
        let h = rot_key_hash(self.version, &self.rot_pub)?;
        Ok(match &self.rot_meta {
            RotMeta::Rsa(slots) => slots.iter().position(|s| s[..] == h[..]),
            RotMeta::Ecc { rot_id, table, .. } => {
                if table.is_empty() {
                    Some(0)
                } else if table.get(usize::from(*rot_id)).is_some_and(|t| *t == h) {
                    Some(usize::from(*rot_id))
                } else {
                    None
                }
            }
        })
    }

    /// Verifies the credential as the ROM would before trusting it, and more: signature,
    /// root key in the metadata, RKTH (when `rkth` is given), SOCC and key type against the
    /// family (when given), field ranges.
    pub fn verify(&self, family: Option<&DatFamily>, rkth: Option<&[u8]>) -> Report {
        let mut rep = Report::default();
        let v = self.version;
        rep.ok(
            "version",
            format!("{v} ({} root and debug keys)", self.rot_pub.key_type()),
        );
        match family {
            Some(f) if f.socc == self.socc => rep.ok(
                "SOCC",
                format!("0x{:08X} ({} {})", self.socc, f.name, f.revision),
            ),
            Some(f) => rep.error(
                "SOCC",
                format!(
                    "0x{:08X}, but {} {} has SOCC 0x{:08X}",
                    self.socc, f.name, f.revision, f.socc
                ),
            ),
            None => {
                let fams = DatFamily::by_socc(self.socc);
                if fams.is_empty() {
                    rep.warn(
                        "SOCC",
                        format!("0x{:08X}: no family has this SOCC", self.socc),
                    );
                } else {
                    rep.ok("SOCC", format!("0x{:08X} ({})", self.socc, fams.join(", ")));
                }
            }
        }
        if let Some(f) = family {
            match f.check_key(self.rot_pub.key_type()) {
                Ok(()) => rep.ok(
                    "root key type",
                    format!("{} is taken by {}", self.rot_pub.key_type(), f.name),
                ),
                Err(e) => rep.error("root key type", e.to_string()),
            }
        }
        if self.uuid == [0u8; 16] {
            rep.ok(
                "UUID",
                "all zero: the credential is valid for any device".to_string(),
            );
        } else {
            rep.ok("UUID", to_hex(&self.uuid).to_uppercase());
        }
        if self.cc_beacon > 0xFFFF {
            rep.error(
                "credential beacon",
                format!("0x{:X} does not fit in 16 bits", self.cc_beacon),
            );
        } else {
            rep.ok("credential beacon", format!("0x{:04X}", self.cc_beacon));
        }
        match self.rot_slot() {
            Ok(Some(i)) => rep.ok(
                "root key in metadata",
                format!("the signing key's hash is root key {i}"),
            ),
            Ok(None) => rep.error(
                "root key in metadata",
                "the signing root key's hash is not in the credential's root key table".to_string(),
            ),
            Err(e) => rep.error("root key in metadata", e.to_string()),
        }
        let own = self.rkth();
        match rkth {
            None => rep.ok(
                "RKTH",
                format!("{} (not compared: give --rkth)", to_hex(&own)),
            ),
            Some(want) => {
                if crate::certblock::rkth::rkth_matches(want, &own) {
                    rep.ok("RKTH", format!("{} matches", to_hex(&own)));
                } else {
                    rep.error(
                        "RKTH",
                        format!(
                            "credential's is {}, expected {}",
                            to_hex(&own),
                            to_hex(want)
                        ),
                    );
                }
            }
        }
        match self.verify_signature() {
            Ok(()) => rep.ok(
                "DC signature",
                format!("valid ({} by the root key)", scheme_name(v)),
            ),
            Err(e) => rep.error("DC signature", format!("INVALID: {e}")),
        }
        rep
    }
}

pub(crate) fn scheme_name(v: ProtocolVersion) -> &'static str {
    match (v.major, v.minor) {
        (1, _) => "RSASSA-PKCS1-v1_5 SHA-256",
        (2, 0) => "ECDSA P-256 SHA-256",
        (2, 1) => "ECDSA P-384 SHA-384",
        _ => "ECDSA P-521 SHA-512",
    }
}

fn read_rsa(r: &mut Reader<'_>, k: usize, what: &'static str) -> Result<PublicKey, DecodeError> {
    let at = r.offset();
    let n = r.take(k, what)?;
    let e = r.take(4, what)?;
    if n.first() == Some(&0) {
        return Err(DecodeError::invalid(
            what,
            at,
            format!("modulus is shorter than {} bits", k * 8),
        ));
    }
    let key = PublicKey::from_rsa_n_e(n, e)
        .map_err(|err| DecodeError::invalid(what, at, err.to_string()))?;
    if key.key_type() != KeyType::Rsa(k * 8) {
        return Err(DecodeError::invalid(what, at, "wrong modulus size"));
    }
    Ok(key)
}

fn read_ec(
    r: &mut Reader<'_>,
    kind: KeyType,
    c: usize,
    what: &'static str,
) -> Result<PublicKey, DecodeError> {
    let at = r.offset();
    let xy = r.take(2 * c, what)?;
    PublicKey::from_ec_xy(kind, xy)
        .map_err(|_| DecodeError::invalid(what, at, format!("not a point on {kind}")))
}
