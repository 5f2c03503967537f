//! `imgtool verify`: what imgtool checks (hash, and a signature of the key's type),
//! with its result strings, but bounds-checked: a short or malformed file is an error,
//! never a traceback.

use super::build::ImageHash;
use super::image::{Endian, IMAGE_MAGIC, TLV_INFO_MAGIC, TLV_PROT_INFO_MAGIC};
use super::tlv::TlvKind;
use super::version::ImageVersion;
use crate::crypto::signer::HashAlg;
use crate::crypto::{KeyType, PublicKey, Scheme};

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    /// `Image was correctly validated`.
    Ok {
        /// Image version.
        version: ImageVersion,
        /// The digest (absent for pure signatures).
        digest: Option<Vec<u8>>,
        /// The pure signature (for `Image signature over image:`).
        pure_signature: Option<Vec<u8>>,
    },
    /// `Invalid image magic; is this an MCUboot image?`
    InvalidMagic,
    /// `Invalid TLV info magic; is this an MCUboot image?`
    InvalidTlvInfoMagic,
    /// `Image has an invalid hash`
    InvalidHash,
    /// `No signature found for the given key`
    InvalidSignature,
    /// `Key type does not match TLV record`
    KeyMismatch,
    /// The file ends inside a structure (imgtool crashes here).
    Truncated(&'static str),
}

impl VerifyOutcome {
    /// The line imgtool prints for a failure (`None` for success).
    pub fn failure_message(&self) -> Option<String> {
        Some(match self {
            VerifyOutcome::Ok { .. } => return None,
            VerifyOutcome::InvalidMagic => "Invalid image magic; is this an MCUboot image?".into(),
            VerifyOutcome::InvalidTlvInfoMagic => {
                "Invalid TLV info magic; is this an MCUboot image?".into()
            }
            VerifyOutcome::InvalidHash => "Image has an invalid hash".into(),
            VerifyOutcome::InvalidSignature => "No signature found for the given key".into(),
            VerifyOutcome::KeyMismatch => "Key type does not match TLV record".into(),
            VerifyOutcome::Truncated(what) => {
                format!("Image is truncated: the file ends inside the {what}")
            }
        })
    }

    /// The lines imgtool prints on success.
    pub fn success_lines(&self) -> Option<String> {
        let VerifyOutcome::Ok {
            version,
            digest,
            pure_signature,
        } = self
        else {
            return None;
        };
        let mut s = format!("Image was correctly validated\nImage version: {version}\n");
        if let Some(d) = digest {
            s.push_str(&format!("Image digest: {}\n", crate::codec::to_hex(d)));
        } else if let Some(sig) = pure_signature {
            s.push_str(&format!(
                "Image signature over image: {}\n",
                crate::codec::to_hex(sig)
            ));
        }
        Some(s)
    }
}

/// Hash types imgtool accepts for a verification key (`ALLOWED_KEY_SHA`; `private` tells
/// whether the key file held a private key, which narrows P-256 to SHA-256).
fn hash_allowed(key: KeyType, private: bool, hash: ImageHash) -> bool {
    match key {
        KeyType::P384 => hash == ImageHash::Sha384,
        KeyType::P256 if !private => matches!(hash, ImageHash::Sha256 | ImageHash::Sha512),
        KeyType::P256 | KeyType::Rsa(_) => hash == ImageHash::Sha256,
        KeyType::Ed25519 | KeyType::X25519 => {
            matches!(hash, ImageHash::Sha256 | ImageHash::Sha512)
        }
        _ => false,
    }
}

fn sig_tlv_of(key: KeyType) -> Option<TlvKind> {
    match key {
        KeyType::Rsa(2048) => Some(TlvKind::RSA2048_PSS),
        KeyType::Rsa(3072) => Some(TlvKind::RSA3072_PSS),
        KeyType::P256 | KeyType::P384 => Some(TlvKind::ECDSA_SIG),
        KeyType::Ed25519 => Some(TlvKind::ED25519),
        _ => None,
    }
}

/// Checks a signature the way imgtool's key classes do: RSA-PSS/ECDSA over the signed
/// region, Ed25519 over the digest (or over the region for pure signatures).
pub fn check_signature(
    key: &PublicKey,
    sig: &[u8],
    region: &[u8],
    digest: &[u8],
    pure: bool,
) -> bool {
    match key.key_type() {
        KeyType::Rsa(_) => key
            .verify(
                region,
                sig,
                Scheme::RsaPss {
                    hash: HashAlg::Sha256,
                    salt_len: 32,
                },
            )
            .is_ok(),
        KeyType::P256 | KeyType::P384 => {
            // Strip `--pad-sig` zeros: the DER length says where the signature ends.
            let n = sig.get(1).map_or(0, |l| usize::from(*l) + 2);
            let der = sig.get(..n).unwrap_or(sig);
            let h = if key.key_type() == KeyType::P256 {
                HashAlg::Sha256
            } else {
                HashAlg::Sha384
            };
            key.verify(region, der, Scheme::EcdsaDer(h)).is_ok()
        }
        KeyType::Ed25519 => {
            let msg = if pure { region } else { digest };
            key.verify(msg, sig, Scheme::Ed25519).is_ok()
        }
        _ => false,
    }
}

/// `imgtool verify [-k KEY] IMGFILE` on the file's bytes (HEX already flattened).
/// `private` tells whether the key came from a private key file.
pub fn verify(b: &[u8], key: Option<(&PublicKey, bool)>) -> VerifyOutcome {
    let Some(endian) = super::image::ImageHeader::detect_endian(b) else {
        return VerifyOutcome::InvalidMagic;
    };
    let Ok(header) = super::image::ImageHeader::decode(b, endian) else {
        return VerifyOutcome::Truncated("image header");
    };
    debug_assert_eq!(header.magic, IMAGE_MAGIC);
    let u16_at = |off: usize| -> Option<u16> {
        let s = b.get(off..off.checked_add(2)?)?;
        Some(match endian {
            Endian::Little => u16::from_le_bytes([s[0], s[1]]),
            Endian::Big => u16::from_be_bytes([s[0], s[1]]),
        })
    };
    let Ok(mut tlv_off) = usize::try_from(header.tlv_offset()) else {
        return VerifyOutcome::Truncated("image body");
    };
    let (Some(mut magic), Some(mut tot)) = (u16_at(tlv_off), u16_at(tlv_off.saturating_add(2)))
    else {
        return VerifyOutcome::Truncated("TLV info");
    };
    if magic == TLV_PROT_INFO_MAGIC {
        tlv_off += usize::from(tot);
        let (Some(m), Some(t)) = (u16_at(tlv_off), u16_at(tlv_off.saturating_add(2))) else {
            return VerifyOutcome::Truncated("TLV info");
        };
        magic = m;
        tot = t;
    }
    if magic != TLV_INFO_MAGIC {
        return VerifyOutcome::InvalidTlvInfoMagic;
    }
    let region = &b[..tlv_off];
    let end = tlv_off + usize::from(tot);
    // Entries: (type as imgtool reads it, value).
    let mut entries = Vec::new();
    let mut p = tlv_off + 4;
    while p < end {
        let (Some(t), Some(len)) = (b.get(p), u16_at(p + 2)) else {
            return VerifyOutcome::Truncated("TLV area");
        };
        let Some(v) = b.get(p + 4..p + 4 + usize::from(len)) else {
            return VerifyOutcome::Truncated("TLV area");
        };
        // imgtool unpacks the type as one byte ('BBH').
        let kind = match endian {
            Endian::Little => u16::from(*t),
            Endian::Big => u16::from(b[p]),
        };
        entries.push((TlvKind(kind), v));
        p += 4 + usize::from(len);
    }
    let pure = entries.iter().any(|(k, _)| *k == TlvKind::SIG_PURE);
    let version = header.version;
    let mut digest: Option<Vec<u8>> = None;
    for (kind, value) in entries {
        if let Some(h) = ImageHash::from_tlv(kind) {
            if let Some((k, private)) = key {
                if !hash_allowed(k.key_type(), private, h) {
                    return VerifyOutcome::KeyMismatch;
                }
            }
            let d = h.digest(region);
            if d.as_slice() != value {
                return VerifyOutcome::InvalidHash;
            }
            if key.is_none() {
                return VerifyOutcome::Ok {
                    version,
                    digest: Some(d),
                    pure_signature: None,
                };
            }
            digest = Some(d);
        } else if let Some((k, _)) = key {
            let Some(expected) = sig_tlv_of(k.key_type()) else {
                continue;
            };
            if !pure && kind == expected {
                if digest.is_none() && k.key_type() == KeyType::Ed25519 {
                    // imgtool crashes on an Ed25519 signature before any hash TLV.
                    continue;
                }
                let d = digest.clone().unwrap_or_default();
                if check_signature(k, value, region, &d, false) {
                    return VerifyOutcome::Ok {
                        version,
                        digest: digest.clone(),
                        pure_signature: None,
                    };
                }
            } else if pure
                && kind == TlvKind::ED25519
                && k.key_type() == KeyType::Ed25519
                && check_signature(k, value, region, &[], true)
            {
                return VerifyOutcome::Ok {
                    version,
                    digest: None,
                    pure_signature: Some(value.to_vec()),
                };
            }
        }
    }
    VerifyOutcome::InvalidSignature
}
