//! The [`Signer`] trait, the local-key signer, and SPSDK's signature-provider strings.

use super::keys::{KeyType, PrivateKey, PublicKey};
use super::{CryptoError, sha256, sha384, sha512};
use std::path::{Path, PathBuf};

/// Digest used before signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// Digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => sha256(data).to_vec(),
            HashAlg::Sha384 => sha384(data).to_vec(),
            HashAlg::Sha512 => sha512(data).to_vec(),
        }
    }

    /// The hash NXP formats pair with an EC curve (P-256: SHA-256, P-384: SHA-384,
    /// P-521: SHA-512).
    pub fn for_curve(kind: KeyType) -> HashAlg {
        match kind {
            KeyType::P384 => HashAlg::Sha384,
            KeyType::P521 => HashAlg::Sha512,
            _ => HashAlg::Sha256,
        }
    }
}

/// A signature scheme: algorithm, digest and output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// What NXP formats use with the key: RSA PKCS#1 v1.5 with SHA-256, ECDSA with the
    /// curve's hash as raw fixed-width `r || s`, Ed25519 over the message.
    Default,
    /// RSA PKCS#1 v1.5 with the given digest.
    RsaPkcs1v15(HashAlg),
    /// RSA-PSS with the given digest and salt length (MCUboot: SHA-256, salt 32).
    RsaPss {
        /// Digest (and MGF1 digest).
        hash: HashAlg,
        /// Salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA, raw fixed-width `r || s`.
    EcdsaRaw(HashAlg),
    /// ECDSA, DER `SEQUENCE { r, s }`.
    EcdsaDer(HashAlg),
    /// Ed25519 (pure) over the message.
    Ed25519,
}

impl Scheme {
    /// Resolves [`Scheme::Default`] for a key type.
    pub fn resolve(self, kind: KeyType) -> Scheme {
        match (self, kind) {
            (Scheme::Default, KeyType::Rsa(_)) => Scheme::RsaPkcs1v15(HashAlg::Sha256),
            (Scheme::Default, KeyType::Ed25519) => Scheme::Ed25519,
            (Scheme::Default, k) => Scheme::EcdsaRaw(HashAlg::for_curve(k)),
            (s, _) => s,
        }
    }
}

/// Something that signs: a key file, a remote signing service, an HSM.
pub trait Signer: Send + Sync {
    /// The public key of the signing key.
    fn public_key(&self) -> Result<PublicKey, CryptoError>;
    /// Signs `message` (the signer hashes it) with `scheme`.
    fn sign(&self, message: &[u8], scheme: Scheme) -> Result<Vec<u8>, CryptoError>;
    /// Describes the signer for logs (never the key material).
    fn describe(&self) -> String;
}

/// A signer holding a private key in memory.
pub struct LocalSigner {
    key: PrivateKey,
    name: String,
}

impl LocalSigner {
    /// Wraps a key.
    pub fn new(key: PrivateKey, name: impl Into<String>) -> Self {
        LocalSigner {
            key,
            name: name.into(),
        }
    }

    /// Loads a private key file.
    pub fn from_file(path: &Path) -> Result<Self, CryptoError> {
        Ok(LocalSigner::new(
            PrivateKey::from_file(path)?,
            path.display().to_string(),
        ))
    }

    /// The key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }
}

fn unsupported(kind: KeyType, scheme: Scheme) -> CryptoError {
    CryptoError::Unsupported {
        key: kind,
        what: format!("{scheme:?}"),
    }
}

fn rsa_padding_sign(
    k: &rsa::RsaPrivateKey,
    hash: HashAlg,
    message: &[u8],
    pss_salt: Option<usize>,
) -> Result<Vec<u8>, CryptoError> {
    let digest = hash.digest(message);
    let mut rng = rand_core::OsRng;
    let r = match (pss_salt, hash) {
        (None, HashAlg::Sha256) => k.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest),
        (None, HashAlg::Sha384) => k.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha384>(), &digest),
        (None, HashAlg::Sha512) => k.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha512>(), &digest),
        (Some(s), HashAlg::Sha256) => k.sign_with_rng(
            &mut rng,
            rsa::Pss::new_with_salt::<sha2::Sha256>(s),
            &digest,
        ),
        (Some(s), HashAlg::Sha384) => k.sign_with_rng(
            &mut rng,
            rsa::Pss::new_with_salt::<sha2::Sha384>(s),
            &digest,
        ),
        (Some(s), HashAlg::Sha512) => k.sign_with_rng(
            &mut rng,
            rsa::Pss::new_with_salt::<sha2::Sha512>(s),
            &digest,
        ),
    };
    r.map_err(|e| CryptoError::Sign(e.to_string()))
}

/// Signs with a private key (shared by [`LocalSigner`] and tests).
pub fn sign_with_key(
    key: &PrivateKey,
    message: &[u8],
    scheme: Scheme,
) -> Result<Vec<u8>, CryptoError> {
    use signature::hazmat::PrehashSigner;
    let kind = key.key_type();
    let scheme = scheme.resolve(kind);
    let sign_err = |e: signature::Error| CryptoError::Sign(e.to_string());
    match (key, scheme) {
        (PrivateKey::Rsa(k), Scheme::RsaPkcs1v15(h)) => rsa_padding_sign(k, h, message, None),
        (PrivateKey::Rsa(k), Scheme::RsaPss { hash, salt_len }) => {
            rsa_padding_sign(k, hash, message, Some(salt_len))
        }
        (PrivateKey::P256(k), Scheme::EcdsaRaw(h) | Scheme::EcdsaDer(h)) => {
            let sig: p256::ecdsa::Signature =
                k.sign_prehash(&h.digest(message)).map_err(sign_err)?;
            let sig = sig.normalize_s().unwrap_or(sig);
            Ok(match scheme {
                Scheme::EcdsaDer(_) => sig.to_der().as_bytes().to_vec(),
                _ => sig.to_bytes().to_vec(),
            })
        }
        (PrivateKey::P384(k), Scheme::EcdsaRaw(h) | Scheme::EcdsaDer(h)) => {
            let sig: p384::ecdsa::Signature =
                k.sign_prehash(&h.digest(message)).map_err(sign_err)?;
            let sig = sig.normalize_s().unwrap_or(sig);
            Ok(match scheme {
                Scheme::EcdsaDer(_) => sig.to_der().as_bytes().to_vec(),
                _ => sig.to_bytes().to_vec(),
            })
        }
        (PrivateKey::P521(k), Scheme::EcdsaRaw(h) | Scheme::EcdsaDer(h)) => {
            let sk = p521::ecdsa::SigningKey::from_bytes(&k.to_bytes()).map_err(sign_err)?;
            let sig: p521::ecdsa::Signature =
                sk.sign_prehash(&h.digest(message)).map_err(sign_err)?;
            Ok(match scheme {
                Scheme::EcdsaDer(_) => sig.to_der().as_bytes().to_vec(),
                _ => sig.to_bytes().to_vec(),
            })
        }
        (PrivateKey::Ed25519(k), Scheme::Ed25519) => {
            use ed25519_dalek::Signer as _;
            Ok(k.sign(message).to_bytes().to_vec())
        }
        _ => Err(unsupported(kind, scheme)),
    }
}

impl Signer for LocalSigner {
    fn public_key(&self) -> Result<PublicKey, CryptoError> {
        Ok(self.key.public_key())
    }

    fn sign(&self, message: &[u8], scheme: Scheme) -> Result<Vec<u8>, CryptoError> {
        sign_with_key(&self.key, message, scheme)
    }

    fn describe(&self) -> String {
        format!("{} key {}", self.key.key_type(), self.name)
    }
}

impl PublicKey {
    /// Verifies `signature` over `message` with `scheme`.
    pub fn verify(
        &self,
        message: &[u8],
        signature: &[u8],
        scheme: Scheme,
    ) -> Result<(), CryptoError> {
        use signature::hazmat::PrehashVerifier;
        let kind = self.key_type();
        let scheme = scheme.resolve(kind);
        let bad = || CryptoError::BadSignature(kind);
        match (self, scheme) {
            (PublicKey::Rsa(k), Scheme::RsaPkcs1v15(h)) => {
                let d = h.digest(message);
                let r = match h {
                    HashAlg::Sha256 => {
                        k.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &d, signature)
                    }
                    HashAlg::Sha384 => {
                        k.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha384>(), &d, signature)
                    }
                    HashAlg::Sha512 => {
                        k.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha512>(), &d, signature)
                    }
                };
                r.map_err(|_| bad())
            }
            (PublicKey::Rsa(k), Scheme::RsaPss { hash, salt_len }) => {
                let d = hash.digest(message);
                let r = match hash {
                    HashAlg::Sha256 => k.verify(
                        rsa::Pss::new_with_salt::<sha2::Sha256>(salt_len),
                        &d,
                        signature,
                    ),
                    HashAlg::Sha384 => k.verify(
                        rsa::Pss::new_with_salt::<sha2::Sha384>(salt_len),
                        &d,
                        signature,
                    ),
                    HashAlg::Sha512 => k.verify(
                        rsa::Pss::new_with_salt::<sha2::Sha512>(salt_len),
                        &d,
                        signature,
                    ),
                };
                r.map_err(|_| bad())
            }
            (PublicKey::P256(k), Scheme::EcdsaRaw(h) | Scheme::EcdsaDer(h)) => {
                let sig = match scheme {
                    Scheme::EcdsaDer(_) => p256::ecdsa::Signature::from_der(signature),
                    _ => p256::ecdsa::Signature::from_slice(signature),
                }
                .map_err(|_| bad())?;
                k.verify_prehash(&h.digest(message), &sig)
                    .map_err(|_| bad())
            }
            (PublicKey::P384(k), Scheme::EcdsaRaw(h) | Scheme::EcdsaDer(h)) => {
                let sig = match scheme {
                    Scheme::EcdsaDer(_) => p384::ecdsa::Signature::from_der(signature),
                    _ => p384::ecdsa::Signature::from_slice(signature),
                }
                .map_err(|_| bad())?;
                k.verify_prehash(&h.digest(message), &sig)
                    .map_err(|_| bad())
            }
            (PublicKey::P521(k), Scheme::EcdsaRaw(h) | Scheme::EcdsaDer(h)) => {
                let vk =
                    p521::ecdsa::VerifyingKey::from_affine(*k.as_affine()).map_err(|_| bad())?;
                let sig = match scheme {
                    Scheme::EcdsaDer(_) => p521::ecdsa::Signature::from_der(signature),
                    _ => p521::ecdsa::Signature::from_slice(signature),
                }
                .map_err(|_| bad())?;
                vk.verify_prehash(&h.digest(message), &sig)
                    .map_err(|_| bad())
            }
            (PublicKey::Ed25519(k), Scheme::Ed25519) => {
                let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| bad())?;
                k.verify_strict(message, &sig).map_err(|_| bad())
            }
            _ => Err(unsupported(kind, scheme)),
        }
    }
}

/// Builds a signer from what the tools accept where a key is expected: a private key
/// file path, or an SPSDK signature-provider string `type=file;file_path=PATH`. Relative
/// paths are resolved against `base_dir` (the directory of the config file).
/// Remote providers (`type=proxy`, `type=pkcs11`) are rejected here with a clear error
/// until their issue lands.
pub fn signer_from_spec(spec: &str, base_dir: &Path) -> Result<Box<dyn Signer>, CryptoError> {
    let resolve = |p: &str| -> PathBuf {
        let p = Path::new(p.trim());
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base_dir.join(p)
        }
    };
    let bad = |why: &str| CryptoError::SignerSpec {
        spec: spec.to_string(),
        why: why.to_string(),
    };
    if !spec.contains('=') {
        return Ok(Box::new(LocalSigner::from_file(&resolve(spec))?));
    }
    let mut kind = None;
    let mut path = None;
    for item in spec.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| bad("expected key=value items separated by ';'"))?;
        match k.trim() {
            "type" => kind = Some(v.trim().to_string()),
            "file_path" => path = Some(v.trim().to_string()),
            "password" | "search_paths" => {}
            other => {
                if kind.as_deref() == Some("file") {
                    return Err(bad(&format!("unknown parameter '{other}' for type=file")));
                }
            }
        }
    }
    match kind.as_deref() {
        Some("file") => {
            let p = path.ok_or_else(|| bad("type=file needs file_path=..."))?;
            Ok(Box::new(LocalSigner::from_file(&resolve(&p))?))
        }
        Some(other) => Err(bad(&format!(
            "signature provider type '{other}' is not supported yet"
        ))),
        None => Err(bad("missing type=...")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<PrivateKey> {
        [
            KeyType::Rsa(2048),
            KeyType::P256,
            KeyType::P384,
            KeyType::P521,
            KeyType::Ed25519,
        ]
        .into_iter()
        .map(|k| PrivateKey::generate(k).unwrap())
        .collect()
    }

    #[test]
    fn every_key_signs_and_verifies_with_its_default_scheme() {
        for k in keys() {
            let s = LocalSigner::new(k.clone(), "test");
            let sig = s.sign(b"hello", Scheme::Default).unwrap();
            let pk = s.public_key().unwrap();
            pk.verify(b"hello", &sig, Scheme::Default).unwrap();
            assert!(
                pk.verify(b"hellO", &sig, Scheme::Default).is_err(),
                "{:?}",
                k.key_type()
            );
            if let Some(n) = k.key_type().coordinate_len() {
                assert_eq!(sig.len(), 2 * n, "raw r||s width");
            }
        }
    }

    #[test]
    fn pem_round_trip_and_public_key_from_private_file() {
        let dir = std::env::temp_dir().join(format!("pk-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for k in keys() {
            let path = dir.join(format!("{}.pem", k.key_type()));
            k.write_pem(&path).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600);
            }
            let back = PrivateKey::from_file(&path).unwrap();
            assert_eq!(back.public_key(), k.public_key());
            let pub_pem = k.public_key().to_spki_pem().unwrap();
            assert_eq!(
                PublicKey::from_bytes(pub_pem.as_bytes(), "pub").unwrap(),
                k.public_key()
            );
            let der = k.public_key().to_spki_der().unwrap();
            assert_eq!(PublicKey::from_bytes(&der, "der").unwrap(), k.public_key());
            assert_eq!(PublicKey::from_file(&path).unwrap(), k.public_key());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ec_xy_round_trip() {
        for kind in [KeyType::P256, KeyType::P384, KeyType::P521] {
            let pk = PrivateKey::generate(kind).unwrap().public_key();
            let xy = pk.ec_xy().unwrap();
            assert_eq!(xy.len(), 2 * kind.coordinate_len().unwrap());
            assert_eq!(PublicKey::from_ec_xy(kind, &xy).unwrap(), pk);
        }
    }

    #[test]
    fn signer_specs() {
        let dir = std::env::temp_dir().join(format!("pk-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let k = PrivateKey::generate(KeyType::P256).unwrap();
        k.write_pem(&dir.join("k.pem")).unwrap();
        let s = signer_from_spec("type=file;file_path=k.pem", &dir).unwrap();
        assert_eq!(s.public_key().unwrap(), k.public_key());
        let s = signer_from_spec("k.pem", &dir).unwrap();
        assert_eq!(s.public_key().unwrap(), k.public_key());
        assert!(signer_from_spec("type=proxy;host=x", &dir).is_err());
        assert!(signer_from_spec("type=file", &dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn garbage_is_a_clean_error() {
        assert!(PrivateKey::from_bytes(b"not a key", "x").is_err());
        assert!(
            PublicKey::from_bytes(
                b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                "x"
            )
            .is_err()
        );
        assert!(PublicKey::from_bytes(&[0x30, 0x82, 0xFF], "x").is_err());
    }
}
