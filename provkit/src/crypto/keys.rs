//! Private and public keys: loading (PEM/DER in every common container), generation,
//! raw encodings the NXP formats need, and writing key files.

use super::CryptoError;
use pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use std::fmt;
use std::path::Path;

/// Key algorithm and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// RSA with the modulus size in bits.
    Rsa(usize),
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// Ed25519.
    Ed25519,
    /// X25519 (Curve25519 Diffie-Hellman; key agreement only, cannot sign).
    X25519,
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyType::Rsa(bits) => write!(f, "RSA-{bits}"),
            KeyType::P256 => f.write_str("P-256"),
            KeyType::P384 => f.write_str("P-384"),
            KeyType::P521 => f.write_str("P-521"),
            KeyType::Ed25519 => f.write_str("Ed25519"),
            KeyType::X25519 => f.write_str("X25519"),
        }
    }
}

impl KeyType {
    /// Parses the names the tools accept: `rsa2048`, `rsa-3072`, `p256`, `secp384r1`,
    /// `ecdsa-p256`, `ed25519`, ...
    pub fn parse(s: &str) -> Option<KeyType> {
        let t = s.to_ascii_lowercase().replace(['-', '_'], "");
        Some(match t.as_str() {
            "p256" | "secp256r1" | "prime256v1" | "ecdsap256" | "ecc256" => KeyType::P256,
            "p384" | "secp384r1" | "ecdsap384" | "ecc384" => KeyType::P384,
            "p521" | "secp521r1" | "ecdsap521" | "ecc521" => KeyType::P521,
            "ed25519" => KeyType::Ed25519,
            "x25519" => KeyType::X25519,
            _ => {
                let bits = t.strip_prefix("rsa")?.parse::<usize>().ok()?;
                if !(1024..=8192).contains(&bits) || bits % 8 != 0 {
                    return None;
                }
                KeyType::Rsa(bits)
            }
        })
    }

    /// Size of one ECDSA coordinate (and of r and s) in bytes, for EC keys.
    pub fn coordinate_len(self) -> Option<usize> {
        match self {
            KeyType::P256 => Some(32),
            KeyType::P384 => Some(48),
            KeyType::P521 => Some(66),
            _ => None,
        }
    }
}

/// A private key.
#[derive(Clone)]
#[non_exhaustive]
pub enum PrivateKey {
    /// RSA.
    Rsa(rsa::RsaPrivateKey),
    /// P-256.
    P256(p256::ecdsa::SigningKey),
    /// P-384.
    P384(p384::ecdsa::SigningKey),
    /// P-521.
    P521(p521::SecretKey),
    /// Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
    /// X25519 (key agreement only).
    X25519(x25519_dalek::StaticSecret),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        write!(f, "PrivateKey({})", self.key_type())
    }
}

/// A public key.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// RSA.
    Rsa(rsa::RsaPublicKey),
    /// P-256.
    P256(p256::ecdsa::VerifyingKey),
    /// P-384.
    P384(p384::ecdsa::VerifyingKey),
    /// P-521.
    P521(p521::PublicKey),
    /// Ed25519.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// X25519 (key agreement only).
    X25519(x25519_dalek::PublicKey),
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_type())
    }
}

fn parse_err(name: &str, why: impl Into<String>) -> CryptoError {
    CryptoError::KeyParse {
        source_name: name.to_string(),
        why: why.into(),
    }
}

fn pem_label(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let end = text[start..].find("-----")? + start;
    Some(text[start..end].to_string())
}

impl PrivateKey {
    /// Reads a private key from PEM or DER: PKCS#8, PKCS#1 RSA, SEC1 EC (`BEGIN EC PRIVATE
    /// KEY`). `name` is used in error messages.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<PrivateKey, CryptoError> {
        match pem_label(bytes).as_deref() {
            Some("PRIVATE KEY") => {
                let text =
                    std::str::from_utf8(bytes).map_err(|_| parse_err(name, "PEM is not UTF-8"))?;
                let (_, doc) = pkcs8::SecretDocument::from_pem(text)
                    .map_err(|e| parse_err(name, format!("PEM: {e}")))?;
                Self::from_pkcs8_der(doc.as_bytes(), name)
            }
            Some("RSA PRIVATE KEY") => {
                use pkcs1::DecodeRsaPrivateKey;
                let text =
                    std::str::from_utf8(bytes).map_err(|_| parse_err(name, "PEM is not UTF-8"))?;
                rsa::RsaPrivateKey::from_pkcs1_pem(text)
                    .map(PrivateKey::Rsa)
                    .map_err(|e| parse_err(name, format!("PKCS#1: {e}")))
            }
            Some("EC PRIVATE KEY") => {
                let text =
                    std::str::from_utf8(bytes).map_err(|_| parse_err(name, "PEM is not UTF-8"))?;
                let (_, doc) = sec1::der::SecretDocument::from_pem(text)
                    .map_err(|e| parse_err(name, format!("PEM: {e}")))?;
                Self::from_sec1_der(doc.as_bytes(), name)
            }
            Some("ENCRYPTED PRIVATE KEY") => Err(parse_err(
                name,
                "encrypted private keys are not supported; decrypt it first",
            )),
            Some(other) => Err(parse_err(
                name,
                format!("PEM block '{other}' is not a private key"),
            )),
            None => Self::from_pkcs8_der(bytes, name)
                .or_else(|_| {
                    use pkcs1::DecodeRsaPrivateKey;
                    rsa::RsaPrivateKey::from_pkcs1_der(bytes)
                        .map(PrivateKey::Rsa)
                        .map_err(|_| ())
                })
                .or_else(|_| Self::from_sec1_der(bytes, name).map_err(|_| ()))
                .map_err(|_| {
                    parse_err(name, "neither PEM nor a PKCS#8/PKCS#1/SEC1 DER private key")
                }),
        }
    }

    /// Reads a private key file.
    pub fn from_file(path: &Path) -> Result<PrivateKey, CryptoError> {
        let bytes = read(path)?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    fn from_pkcs8_der(der: &[u8], name: &str) -> Result<PrivateKey, CryptoError> {
        let info = pkcs8::PrivateKeyInfo::try_from(der)
            .map_err(|e| parse_err(name, format!("PKCS#8: {e}")))?;
        let oid = info.algorithm.oid;
        if oid == pkcs1::ALGORITHM_OID {
            return rsa::RsaPrivateKey::from_pkcs8_der(der)
                .map(PrivateKey::Rsa)
                .map_err(|e| parse_err(name, format!("RSA: {e}")));
        }
        if oid == ed25519_dalek::pkcs8::ALGORITHM_OID {
            return ed25519_dalek::SigningKey::from_pkcs8_der(der)
                .map(PrivateKey::Ed25519)
                .map_err(|e| parse_err(name, format!("Ed25519: {e}")));
        }
        if oid == X25519_OID {
            // privateKey is an OCTET STRING holding the CurvePrivateKey OCTET STRING
            // (RFC 8410 section 7): 04 20 <32 bytes>.
            return match info.private_key {
                [0x04, 0x20, rest @ ..] if rest.len() == 32 => {
                    let mut k = zeroize::Zeroizing::new([0u8; 32]);
                    k.copy_from_slice(rest);
                    Ok(PrivateKey::X25519(x25519_dalek::StaticSecret::from(*k)))
                }
                _ => Err(parse_err(
                    name,
                    "X25519: private key is not a 32-byte OCTET STRING",
                )),
            };
        }
        if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
            return Ok(PrivateKey::P256(k.into()));
        }
        if let Ok(k) = p384::SecretKey::from_pkcs8_der(der) {
            return Ok(PrivateKey::P384(k.into()));
        }
        if let Ok(k) = p521::SecretKey::from_pkcs8_der(der) {
            return Ok(PrivateKey::P521(k));
        }
        Err(parse_err(
            name,
            format!("unsupported PKCS#8 algorithm {oid}"),
        ))
    }

    fn from_sec1_der(der: &[u8], name: &str) -> Result<PrivateKey, CryptoError> {
        use elliptic_curve::SecretKey;
        if let Ok(k) = SecretKey::<p256::NistP256>::from_sec1_der(der) {
            return Ok(PrivateKey::P256(k.into()));
        }
        if let Ok(k) = SecretKey::<p384::NistP384>::from_sec1_der(der) {
            return Ok(PrivateKey::P384(k.into()));
        }
        if let Ok(k) = SecretKey::<p521::NistP521>::from_sec1_der(der) {
            return Ok(PrivateKey::P521(k));
        }
        Err(parse_err(name, "SEC1 key on an unsupported curve"))
    }

    /// Generates a new key.
    pub fn generate(kind: KeyType) -> Result<PrivateKey, CryptoError> {
        let mut rng = rand_core::OsRng;
        Ok(match kind {
            KeyType::Rsa(bits) => PrivateKey::Rsa(
                rsa::RsaPrivateKey::new(&mut rng, bits)
                    .map_err(|e| CryptoError::Sign(e.to_string()))?,
            ),
            KeyType::P256 => PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rng)),
            KeyType::P384 => PrivateKey::P384(p384::ecdsa::SigningKey::random(&mut rng)),
            KeyType::P521 => PrivateKey::P521(p521::SecretKey::random(&mut rng)),
            KeyType::Ed25519 => PrivateKey::Ed25519(ed25519_dalek::SigningKey::generate(&mut rng)),
            KeyType::X25519 => PrivateKey::X25519(x25519_dalek::StaticSecret::random_from_rng(rng)),
        })
    }

    /// Algorithm and size.
    pub fn key_type(&self) -> KeyType {
        match self {
            PrivateKey::Rsa(k) => KeyType::Rsa(k.size() * 8),
            PrivateKey::P256(_) => KeyType::P256,
            PrivateKey::P384(_) => KeyType::P384,
            PrivateKey::P521(_) => KeyType::P521,
            PrivateKey::Ed25519(_) => KeyType::Ed25519,
            PrivateKey::X25519(_) => KeyType::X25519,
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(k) => PublicKey::Rsa(k.to_public_key()),
            PrivateKey::P256(k) => PublicKey::P256(*k.verifying_key()),
            PrivateKey::P384(k) => PublicKey::P384(*k.verifying_key()),
            PrivateKey::P521(k) => PublicKey::P521(k.public_key()),
            PrivateKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            PrivateKey::X25519(k) => PublicKey::X25519(x25519_dalek::PublicKey::from(k)),
        }
    }

    /// PKCS#8 PEM text (the secret stays in a zeroizing buffer until written).
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>, CryptoError> {
        let r = match self {
            PrivateKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P521(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::Ed25519(_) | PrivateKey::X25519(_) => {
                let der = self.to_pkcs8_der()?;
                let doc = pkcs8::SecretDocument::try_from(der.as_slice())
                    .map_err(|e| CryptoError::Sign(format!("PKCS#8 encoding: {e}")))?;
                doc.to_pem("PRIVATE KEY", LineEnding::LF)
                    .map_err(pkcs8::Error::from)
            }
        };
        r.map_err(|e| CryptoError::Sign(format!("PKCS#8 encoding: {e}")))
    }

    /// PKCS#8 DER (`PrivateKeyInfo`, RFC 5208/5958), in a zeroizing buffer.
    pub fn to_pkcs8_der(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, CryptoError> {
        let r = match self {
            PrivateKey::Rsa(k) => k.to_pkcs8_der(),
            PrivateKey::P256(k) => k.to_pkcs8_der(),
            PrivateKey::P384(k) => k.to_pkcs8_der(),
            PrivateKey::P521(k) => k.to_pkcs8_der(),
            PrivateKey::Ed25519(k) => {
                // PKCS#8 v1 without the optional public key, as OpenSSL writes it (some
                // readers, Python's `cryptography` among them, refuse the v2 form).
                let mut der = zeroize::Zeroizing::new(Vec::with_capacity(48));
                der.extend_from_slice(&ED25519_PKCS8_PREFIX);
                der.extend_from_slice(k.as_bytes());
                return Ok(der);
            }
            PrivateKey::X25519(k) => {
                // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.110 }, OCTET STRING { OCTET
                // STRING (32) } } (RFC 8410 section 7).
                let mut der = zeroize::Zeroizing::new(Vec::with_capacity(48));
                der.extend_from_slice(&X25519_PKCS8_PREFIX);
                der.extend_from_slice(k.as_bytes());
                return Ok(der);
            }
        };
        r.map(|d| zeroize::Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|e| CryptoError::Sign(format!("PKCS#8 encoding: {e}")))
    }

    /// Writes the key as PKCS#8 PEM, readable only by the owner (0600), replacing `path`.
    pub fn write_pem(&self, path: &Path) -> Result<(), CryptoError> {
        let pem = self.to_pkcs8_pem()?;
        write_private(path, pem.as_bytes())
    }
}

impl PublicKey {
    /// Reads a public key from PEM or DER: SPKI (`BEGIN PUBLIC KEY`), PKCS#1 RSA public
    /// key, an X.509 certificate, or a private key (its public half).
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<PublicKey, CryptoError> {
        match pem_label(bytes).as_deref() {
            Some("PUBLIC KEY") => {
                let text =
                    std::str::from_utf8(bytes).map_err(|_| parse_err(name, "PEM is not UTF-8"))?;
                let (_, doc) = spki::Document::from_pem(text)
                    .map_err(|e| parse_err(name, format!("PEM: {e}")))?;
                Self::from_spki_der(doc.as_bytes(), name)
            }
            Some("RSA PUBLIC KEY") => {
                use pkcs1::DecodeRsaPublicKey;
                let text =
                    std::str::from_utf8(bytes).map_err(|_| parse_err(name, "PEM is not UTF-8"))?;
                rsa::RsaPublicKey::from_pkcs1_pem(text)
                    .map(PublicKey::Rsa)
                    .map_err(|e| parse_err(name, format!("PKCS#1: {e}")))
            }
            Some("CERTIFICATE") => {
                let text =
                    std::str::from_utf8(bytes).map_err(|_| parse_err(name, "PEM is not UTF-8"))?;
                let (_, doc) = spki::Document::from_pem(text)
                    .map_err(|e| parse_err(name, format!("PEM: {e}")))?;
                Self::from_certificate_der(doc.as_bytes(), name)
            }
            Some(_) => PrivateKey::from_bytes(bytes, name).map(|k| k.public_key()),
            None => Self::from_spki_der(bytes, name)
                .or_else(|_| {
                    use pkcs1::DecodeRsaPublicKey;
                    rsa::RsaPublicKey::from_pkcs1_der(bytes)
                        .map(PublicKey::Rsa)
                        .map_err(|_| ())
                })
                .or_else(|_| Self::from_certificate_der(bytes, name).map_err(|_| ()))
                .or_else(|_| {
                    PrivateKey::from_bytes(bytes, name)
                        .map(|k| k.public_key())
                        .map_err(|_| ())
                })
                .map_err(|_| parse_err(name, "not a public key, certificate or private key")),
        }
    }

    /// Reads a public key file.
    pub fn from_file(path: &Path) -> Result<PublicKey, CryptoError> {
        let bytes = read(path)?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Decodes a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8], name: &str) -> Result<PublicKey, CryptoError> {
        let info = spki::SubjectPublicKeyInfoRef::try_from(der)
            .map_err(|e| parse_err(name, format!("SPKI: {e}")))?;
        let oid = info.algorithm.oid;
        if oid == pkcs1::ALGORITHM_OID {
            return rsa::RsaPublicKey::from_public_key_der(der)
                .map(PublicKey::Rsa)
                .map_err(|e| parse_err(name, format!("RSA: {e}")));
        }
        if oid == ed25519_dalek::pkcs8::ALGORITHM_OID {
            return ed25519_dalek::VerifyingKey::from_public_key_der(der)
                .map(PublicKey::Ed25519)
                .map_err(|e| parse_err(name, format!("Ed25519: {e}")));
        }
        if oid == X25519_OID {
            let raw: [u8; 32] = info
                .subject_public_key
                .as_bytes()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| parse_err(name, "X25519: public key is not 32 bytes"))?;
            return Ok(PublicKey::X25519(x25519_dalek::PublicKey::from(raw)));
        }
        if let Ok(k) = p256::PublicKey::from_public_key_der(der) {
            return Ok(PublicKey::P256(k.into()));
        }
        if let Ok(k) = p384::PublicKey::from_public_key_der(der) {
            return Ok(PublicKey::P384(k.into()));
        }
        if let Ok(k) = p521::PublicKey::from_public_key_der(der) {
            return Ok(PublicKey::P521(k));
        }
        Err(parse_err(
            name,
            format!("unsupported public key algorithm {oid}"),
        ))
    }

    fn from_certificate_der(der: &[u8], name: &str) -> Result<PublicKey, CryptoError> {
        use spki::der::{Decode, Encode, Reader, SliceReader, Tagged, asn1::AnyRef};
        // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serial, sig alg,
        // issuer, validity, subject, subjectPublicKeyInfo, ... }, ... }
        let cert_err = |e: spki::der::Error| parse_err(name, format!("X.509: {e}"));
        let cert = AnyRef::from_der(der).map_err(cert_err)?;
        let mut outer = SliceReader::new(cert.value()).map_err(cert_err)?;
        let tbs: AnyRef<'_> = outer.decode().map_err(cert_err)?;
        let mut r = SliceReader::new(tbs.value()).map_err(cert_err)?;
        let mut fields = Vec::new();
        while !r.is_finished() {
            let f: AnyRef<'_> = r.decode().map_err(cert_err)?;
            fields.push(f);
        }
        // With an explicit version ([0]) the SPKI is the 7th element, else the 6th.
        let has_version = fields
            .first()
            .is_some_and(|f| f.tag().is_context_specific());
        let idx = if has_version { 6 } else { 5 };
        let spki = fields
            .get(idx)
            .ok_or_else(|| parse_err(name, "X.509: no public key"))?;
        let spki_der = spki.to_der().map_err(cert_err)?;
        Self::from_spki_der(&spki_der, name)
    }

    /// Algorithm and size.
    pub fn key_type(&self) -> KeyType {
        match self {
            PublicKey::Rsa(k) => KeyType::Rsa(k.size() * 8),
            PublicKey::P256(_) => KeyType::P256,
            PublicKey::P384(_) => KeyType::P384,
            PublicKey::P521(_) => KeyType::P521,
            PublicKey::Ed25519(_) => KeyType::Ed25519,
            PublicKey::X25519(_) => KeyType::X25519,
        }
    }

    /// DER SubjectPublicKeyInfo.
    pub fn to_spki_der(&self) -> Result<Vec<u8>, CryptoError> {
        let r = match self {
            PublicKey::Rsa(k) => k.to_public_key_der(),
            PublicKey::P256(k) => k.to_public_key_der(),
            PublicKey::P384(k) => k.to_public_key_der(),
            PublicKey::P521(k) => k.to_public_key_der(),
            PublicKey::Ed25519(k) => k.to_public_key_der(),
            PublicKey::X25519(k) => {
                let mut der = X25519_SPKI_PREFIX.to_vec();
                der.extend_from_slice(k.as_bytes());
                return Ok(der);
            }
        };
        r.map(|d| d.as_bytes().to_vec())
            .map_err(|e| CryptoError::Sign(format!("SPKI encoding: {e}")))
    }

    /// PEM SubjectPublicKeyInfo text.
    pub fn to_spki_pem(&self) -> Result<String, CryptoError> {
        let r = match self {
            PublicKey::Rsa(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::P256(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::P384(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::P521(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::Ed25519(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::X25519(_) => {
                let der = self.to_spki_der()?;
                spki::Document::try_from(der.as_slice())
                    .and_then(|d| d.to_pem("PUBLIC KEY", LineEnding::LF))
                    .map_err(spki::Error::from)
            }
        };
        r.map_err(|e| CryptoError::Sign(format!("SPKI encoding: {e}")))
    }

    /// EC public point as big-endian `X || Y`, each coordinate padded to the curve size
    /// (the form NXP's certificate blocks and debug credentials store).
    pub fn ec_xy(&self) -> Option<Vec<u8>> {
        let point = match self {
            PublicKey::P256(k) => k.to_encoded_point(false).as_bytes().to_vec(),
            PublicKey::P384(k) => k.to_encoded_point(false).as_bytes().to_vec(),
            PublicKey::P521(k) => {
                use elliptic_curve::sec1::ToEncodedPoint;
                k.to_encoded_point(false).as_bytes().to_vec()
            }
            _ => return None,
        };
        // Uncompressed SEC1 point: 0x04 || X || Y.
        point.get(1..).map(<[u8]>::to_vec)
    }

    /// Rebuilds an EC key from big-endian `X || Y` of the curve's size.
    pub fn from_ec_xy(kind: KeyType, xy: &[u8]) -> Result<PublicKey, CryptoError> {
        let mut sec1 = Vec::with_capacity(xy.len() + 1);
        sec1.push(0x04);
        sec1.extend_from_slice(xy);
        let bad = |e: String| parse_err("EC point", e);
        Ok(match kind {
            KeyType::P256 => PublicKey::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .map_err(|e| bad(e.to_string()))?,
            ),
            KeyType::P384 => PublicKey::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .map_err(|e| bad(e.to_string()))?,
            ),
            KeyType::P521 => PublicKey::P521(
                p521::PublicKey::from_sec1_bytes(&sec1).map_err(|e| bad(e.to_string()))?,
            ),
            other => {
                return Err(CryptoError::Unsupported {
                    key: other,
                    what: "EC point".into(),
                });
            }
        })
    }

    /// RSA modulus and public exponent as minimal big-endian bytes.
    pub fn rsa_n_e(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        match self {
            PublicKey::Rsa(k) => Some((k.n().to_bytes_be(), k.e().to_bytes_be())),
            _ => None,
        }
    }

    /// Builds an RSA key from big-endian modulus and exponent.
    pub fn from_rsa_n_e(n: &[u8], e: &[u8]) -> Result<PublicKey, CryptoError> {
        let key = rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(n),
            rsa::BigUint::from_bytes_be(e),
        )
        .map_err(|err| parse_err("RSA modulus/exponent", err.to_string()))?;
        Ok(PublicKey::Rsa(key))
    }

    /// Raw X25519 public key bytes (the u-coordinate, RFC 7748).
    pub fn x25519_bytes(&self) -> Option<[u8; 32]> {
        match self {
            PublicKey::X25519(k) => Some(k.to_bytes()),
            _ => None,
        }
    }

    /// Raw Ed25519 key bytes.
    pub fn ed25519_bytes(&self) -> Option<[u8; 32]> {
        match self {
            PublicKey::Ed25519(k) => Some(k.to_bytes()),
            _ => None,
        }
    }
}

/// OID 1.3.101.110 (id-X25519, RFC 8410).
const X25519_OID: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.3.101.110");

/// PKCS#8 DER of an X25519 private key up to the 32 key bytes.
const X25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
];

/// PKCS#8 v1 DER of an Ed25519 private key up to the 32 seed bytes (RFC 8410 section 7).
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// SPKI DER of an X25519 public key up to the 32 key bytes.
const X25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
];

fn read(path: &Path) -> Result<Vec<u8>, CryptoError> {
    std::fs::read(path).map_err(|source| CryptoError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Writes secret bytes to `path` with mode 0600 (on Unix), replacing the file atomically.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CryptoError> {
    use std::io::Write;
    let io = |source| CryptoError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(io)?;
    let r = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(e) = r {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    std::fs::rename(&tmp, path).map_err(io)
}
