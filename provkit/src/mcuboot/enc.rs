//! Encrypted images: the body is AES-CTR with a random key K (counter block 0 at the start
//! of the body, incremented as a 128-bit big-endian integer per block); K travels in an
//! unprotected TLV wrapped for the device's key: RSA-OAEP (SHA-256), ECIES-P256 or
//! ECIES-X25519 (HKDF/HMAC-SHA256 or -SHA512, `info = "MCUBoot_ECIES_v1"`).

use super::tlv::TlvKind;
use crate::crypto::{KeyType, PrivateKey, PublicKey};
use aes::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use hmac::Mac;
use rand_core::CryptoRngCore;
use zeroize::Zeroizing;

/// HKDF `info` of MCUboot's ECIES.
pub const ECIES_INFO: &[u8] = b"MCUBoot_ECIES_v1";

/// Key-wrapping failures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncError {
    /// The key cannot wrap or unwrap MCUboot image keys.
    #[error("{key} keys cannot be used for MCUboot image encryption ({why})")]
    UnsupportedKey {
        /// Key type.
        key: KeyType,
        /// Why.
        why: &'static str,
    },
    /// `--hmac-sha 512` with a non-X25519 key.
    #[error("Currently only ECIES-X25519 supports HMAC-SHA512")]
    HmacSha512NeedsX25519,
    /// The TLV value has the wrong length for its type and the AES key size.
    #[error("{kind} is {len} bytes, expected {expected}")]
    BadLength {
        /// TLV type.
        kind: TlvKind,
        /// Length found.
        len: usize,
        /// Length expected.
        expected: usize,
    },
    /// The TLV type does not match the device key.
    #[error("{kind} cannot be unwrapped with a {key} key")]
    WrongKey {
        /// TLV type.
        kind: TlvKind,
        /// Device key type.
        key: KeyType,
    },
    /// The HMAC tag of an ECIES TLV does not verify (wrong key or damaged TLV).
    #[error("{0}: HMAC tag does not verify (wrong decryption key or damaged TLV)")]
    BadTag(TlvKind),
    /// RSA-OAEP decryption failed.
    #[error("ENCRSA2048: RSA-OAEP decryption failed (wrong decryption key or damaged TLV)")]
    OaepFailed,
    /// The ephemeral public key in an ECIES TLV is not a valid point.
    #[error("{0}: ephemeral public key is not a valid point")]
    BadPoint(TlvKind),
    /// A primitive failed.
    #[error("encryption: {0}")]
    Crypto(String),
}

/// Applies AES-CTR (MCUboot's counter layout) to `data`, which starts `offset` bytes into
/// the body. `key` is 16 or 32 bytes.
pub fn aes_ctr(key: &[u8], offset: u64, data: &mut [u8]) -> Result<(), EncError> {
    let iv = [0u8; 16];
    match key.len() {
        16 => {
            let mut c = ctr::Ctr128BE::<aes::Aes128>::new_from_slices(key, &iv)
                .map_err(|e| EncError::Crypto(e.to_string()))?;
            c.seek(offset);
            c.apply_keystream(data);
        }
        32 => {
            let mut c = ctr::Ctr128BE::<aes::Aes256>::new_from_slices(key, &iv)
                .map_err(|e| EncError::Crypto(e.to_string()))?;
            c.seek(offset);
            c.apply_keystream(data);
        }
        n => return Err(EncError::Crypto(format!("AES key of {n} bytes"))),
    }
    Ok(())
}

/// HMAC/HKDF hash of the ECIES schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EciesHash {
    /// SHA-256 (ENCEC256, ENCX25519).
    Sha256,
    /// SHA-512 (ENCX25519_SHA512).
    Sha512,
}

impl EciesHash {
    fn len(self) -> usize {
        match self {
            EciesHash::Sha256 => 32,
            EciesHash::Sha512 => 64,
        }
    }
}

fn hkdf(hash: EciesHash, shared: &[u8], out: &mut [u8]) -> Result<(), EncError> {
    let r = match hash {
        EciesHash::Sha256 => hkdf::Hkdf::<sha2::Sha256>::new(None, shared).expand(ECIES_INFO, out),
        EciesHash::Sha512 => hkdf::Hkdf::<sha2::Sha512>::new(None, shared).expand(ECIES_INFO, out),
    };
    r.map_err(|e| EncError::Crypto(format!("HKDF: {e}")))
}

fn hmac_tag(hash: EciesHash, key: &[u8], msg: &[u8]) -> Result<Vec<u8>, EncError> {
    let err = |e: hmac::digest::InvalidLength| EncError::Crypto(format!("HMAC: {e}"));
    Ok(match hash {
        EciesHash::Sha256 => {
            let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).map_err(err)?;
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        EciesHash::Sha512 => {
            let mut m = hmac::Hmac::<sha2::Sha512>::new_from_slice(key).map_err(err)?;
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
    })
}

/// Which key-wrap TLV a device (or `-E`) key gives, and checks that MCUboot can use it.
pub fn wrap_kind(key: KeyType, hmac512: bool) -> Result<TlvKind, EncError> {
    if hmac512 && key != KeyType::X25519 {
        return Err(EncError::HmacSha512NeedsX25519);
    }
    match key {
        KeyType::Rsa(2048) => Ok(TlvKind::ENC_RSA2048),
        KeyType::Rsa(_) => Err(EncError::UnsupportedKey {
            key,
            why: "MCUboot unwraps RSA-2048 OAEP only: the ENCRSA2048 TLV is 256 bytes",
        }),
        KeyType::P256 => Ok(TlvKind::ENC_EC256),
        KeyType::X25519 if hmac512 => Ok(TlvKind::ENC_X25519_SHA512),
        KeyType::X25519 => Ok(TlvKind::ENC_X25519),
        KeyType::P384 => Err(EncError::UnsupportedKey {
            key,
            why: "MCUboot defines ECIES for P-256 and X25519 only; imgtool 2.5.0 writes such an \
                  image without its key TLV, which no bootloader can decrypt",
        }),
        _ => Err(EncError::UnsupportedKey {
            key,
            why: "use an RSA-2048, P-256 or X25519 encryption key",
        }),
    }
}

/// Expected value length of a key-wrap TLV for an AES key of `key_len` bytes.
pub fn wrapped_len(kind: TlvKind, key_len: usize) -> Option<usize> {
    Some(match kind {
        TlvKind::ENC_RSA2048 => 256,
        TlvKind::ENC_EC256 => 65 + 32 + key_len,
        TlvKind::ENC_X25519 => 32 + 32 + key_len,
        TlvKind::ENC_X25519_SHA512 => 32 + 64 + key_len,
        TlvKind::ENC_KW => key_len + 8,
        _ => return None,
    })
}

/// Wraps the AES key `plain` for `recipient`. Returns the TLV type and value.
pub fn wrap<R: CryptoRngCore>(
    recipient: &PublicKey,
    plain: &[u8],
    hmac512: bool,
    rng: &mut R,
) -> Result<(TlvKind, Vec<u8>), EncError> {
    let kind = wrap_kind(recipient.key_type(), hmac512)?;
    let value = match recipient {
        PublicKey::Rsa(k) => k
            .encrypt(rng, rsa::Oaep::new::<sha2::Sha256>(), plain)
            .map_err(|e| EncError::Crypto(format!("RSA-OAEP: {e}")))?,
        PublicKey::P256(k) => {
            let eph = p256::ecdh::EphemeralSecret::random(rng);
            let eph_pub = p256::EncodedPoint::from(eph.public_key());
            let shared = eph.diffie_hellman(&p256::PublicKey::from(*k));
            ecies_seal(
                EciesHash::Sha256,
                shared.raw_secret_bytes().as_slice(),
                eph_pub.as_bytes(),
                plain,
            )?
        }
        PublicKey::X25519(k) => {
            let mut seed = Zeroizing::new([0u8; 32]);
            rng.fill_bytes(seed.as_mut_slice());
            let eph = x25519_dalek::StaticSecret::from(*seed);
            let eph_pub = x25519_dalek::PublicKey::from(&eph);
            let shared = eph.diffie_hellman(k);
            let hash = if hmac512 {
                EciesHash::Sha512
            } else {
                EciesHash::Sha256
            };
            ecies_seal(hash, shared.as_bytes(), eph_pub.as_bytes(), plain)?
        }
        _ => {
            return Err(EncError::UnsupportedKey {
                key: recipient.key_type(),
                why: "use an RSA-2048, P-256 or X25519 encryption key",
            });
        }
    };
    Ok((kind, value))
}

fn ecies_seal(
    hash: EciesHash,
    shared: &[u8],
    eph_pub: &[u8],
    plain: &[u8],
) -> Result<Vec<u8>, EncError> {
    let klen = plain.len();
    let mut okm = Zeroizing::new(vec![0u8; klen + hash.len()]);
    hkdf(hash, shared, &mut okm)?;
    let mut cipherkey = plain.to_vec();
    aes_ctr(&okm[..klen], 0, &mut cipherkey)?;
    let tag = hmac_tag(hash, &okm[klen..], &cipherkey)?;
    let mut out = eph_pub.to_vec();
    out.extend_from_slice(&tag);
    out.extend_from_slice(&cipherkey);
    Ok(out)
}

/// Unwraps the AES key of `key_len` bytes from a key-wrap TLV with the device's private
/// key, checking the exact TLV length and (ECIES) the HMAC tag, as MCUboot's
/// `boot_decrypt_key` does.
pub fn unwrap(
    kind: TlvKind,
    value: &[u8],
    device: &PrivateKey,
    key_len: usize,
) -> Result<Zeroizing<Vec<u8>>, EncError> {
    let wrong = || EncError::WrongKey {
        kind,
        key: device.key_type(),
    };
    if let Some(expected) = wrapped_len(kind, key_len) {
        if value.len() != expected {
            return Err(EncError::BadLength {
                kind,
                len: value.len(),
                expected,
            });
        }
    }
    match (kind, device) {
        (TlvKind::ENC_RSA2048, PrivateKey::Rsa(k)) => {
            let plain = k
                .decrypt(rsa::Oaep::new::<sha2::Sha256>(), value)
                .map_err(|_| EncError::OaepFailed)?;
            if plain.len() != key_len {
                return Err(EncError::OaepFailed);
            }
            Ok(Zeroizing::new(plain))
        }
        (TlvKind::ENC_EC256, PrivateKey::P256(k)) => {
            let eph = p256::PublicKey::from_sec1_bytes(&value[..65])
                .map_err(|_| EncError::BadPoint(kind))?;
            let shared = p256::ecdh::diffie_hellman(k.as_nonzero_scalar(), eph.as_affine());
            ecies_open(
                kind,
                EciesHash::Sha256,
                shared.raw_secret_bytes().as_slice(),
                &value[65..],
                key_len,
            )
        }
        (TlvKind::ENC_X25519 | TlvKind::ENC_X25519_SHA512, PrivateKey::X25519(k)) => {
            let mut raw = [0u8; 32];
            raw.copy_from_slice(&value[..32]);
            let eph = x25519_dalek::PublicKey::from(raw);
            let shared = k.diffie_hellman(&eph);
            let hash = if kind == TlvKind::ENC_X25519 {
                EciesHash::Sha256
            } else {
                EciesHash::Sha512
            };
            ecies_open(kind, hash, shared.as_bytes(), &value[32..], key_len)
        }
        _ => Err(wrong()),
    }
}

fn ecies_open(
    kind: TlvKind,
    hash: EciesHash,
    shared: &[u8],
    rest: &[u8],
    key_len: usize,
) -> Result<Zeroizing<Vec<u8>>, EncError> {
    let hl = hash.len();
    let (tag, cipherkey) = rest.split_at(hl.min(rest.len()));
    if cipherkey.len() != key_len {
        return Err(EncError::BadLength {
            kind,
            len: rest.len(),
            expected: hl + key_len,
        });
    }
    let mut okm = Zeroizing::new(vec![0u8; key_len + hl]);
    hkdf(hash, shared, &mut okm)?;
    let expected = hmac_tag(hash, &okm[key_len..], cipherkey)?;
    // Constant-time comparison.
    let diff = expected
        .iter()
        .zip(tag)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 || expected.len() != tag.len() {
        return Err(EncError::BadTag(kind));
    }
    let mut plain = Zeroizing::new(cipherkey.to_vec());
    aes_ctr(&okm[..key_len], 0, &mut plain)?;
    Ok(plain)
}

/// Decrypts the body of an encrypted image file in place (header and TLVs stay as they
/// are): finds the key-wrap TLV for `device`, unwraps the AES key and applies AES-CTR to
/// the body. Returns the AES key.
pub fn decrypt_image(
    bytes: &mut [u8],
    device: &PrivateKey,
) -> Result<Zeroizing<Vec<u8>>, super::McubootError> {
    let img = super::McubootImage::parse(bytes)?;
    let key_len = img.header.aes_key_len().ok_or(EncError::Crypto(
        "the image is not encrypted (no ENCRYPTED_AES128/256 flag)".into(),
    ))?;
    let tlv = img
        .unprotected
        .iter()
        .find(|t| t.kind.is_enc())
        .ok_or(EncError::Crypto("the image has no key-wrap TLV".into()))?;
    let key = unwrap(tlv.kind, &tlv.value, device, key_len)?;
    let start = usize::from(img.header.hdr_size);
    let end = start + img.body.len();
    aes_ctr(&key, 0, &mut bytes[start..end])?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_unwrap_every_scheme() {
        let mut rng = rand_core::OsRng;
        for (kind, hmac512) in [
            (KeyType::P256, false),
            (KeyType::X25519, false),
            (KeyType::X25519, true),
            (KeyType::Rsa(2048), false),
        ] {
            let device = PrivateKey::generate(kind).unwrap();
            for klen in [16usize, 32] {
                let plain: Vec<u8> = (0..klen as u8).collect();
                let (tlv, value) = wrap(&device.public_key(), &plain, hmac512, &mut rng).unwrap();
                assert_eq!(Some(value.len()), wrapped_len(tlv, klen));
                let back = unwrap(tlv, &value, &device, klen).unwrap();
                assert_eq!(back.as_slice(), plain.as_slice());
                if tlv != TlvKind::ENC_RSA2048 {
                    let mut bad = value.clone();
                    let n = bad.len();
                    bad[n - 1] ^= 1;
                    assert_eq!(
                        unwrap(tlv, &bad, &device, klen).unwrap_err(),
                        EncError::BadTag(tlv)
                    );
                }
            }
        }
    }

    #[test]
    fn unusable_encryption_keys_are_refused() {
        assert!(wrap_kind(KeyType::P384, false).is_err());
        assert!(wrap_kind(KeyType::Rsa(3072), false).is_err());
        assert!(wrap_kind(KeyType::Ed25519, false).is_err());
        assert_eq!(
            wrap_kind(KeyType::P256, true),
            Err(EncError::HmacSha512NeedsX25519)
        );
    }

    #[test]
    fn ctr_seek_matches_a_continuous_stream() {
        let key = [7u8; 16];
        let mut whole = vec![0u8; 100];
        aes_ctr(&key, 0, &mut whole).unwrap();
        let mut tail = vec![0u8; 100 - 37];
        aes_ctr(&key, 37, &mut tail).unwrap();
        assert_eq!(&whole[37..], tail.as_slice());
    }
}
