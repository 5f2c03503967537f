//! Protocol versions of the classic (non-EdgeLock) debug authentication.

use crate::crypto::KeyType;
use crate::crypto::signer::HashAlg;
use std::fmt;

/// A DC/DAC protocol version: `major.minor`, stored as two little-endian u16 (not one u32
/// as UM11126 says; SPSDK and the ROMs use two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtocolVersion {
    /// 1 = RSA, 2 = ECC.
    pub major: u16,
    /// Key size index.
    pub minor: u16,
}

impl ProtocolVersion {
    /// The version for a root key type: RSA-2048 1.0, RSA-4096 1.1, P-256 2.0, P-384 2.1,
    /// P-521 2.2.
    pub fn for_key(kind: KeyType) -> Option<ProtocolVersion> {
        let (major, minor) = match kind {
            KeyType::Rsa(2048) => (1, 0),
            KeyType::Rsa(4096) => (1, 1),
            KeyType::P256 => (2, 0),
            KeyType::P384 => (2, 1),
            KeyType::P521 => (2, 2),
            _ => return None,
        };
        Some(ProtocolVersion { major, minor })
    }

    /// The key type of this version's root and debug keys; `None` for versions this crate
    /// does not implement (EdgeLock Enclave 3.x, unknown numbers).
    pub fn key_type(self) -> Option<KeyType> {
        Some(match (self.major, self.minor) {
            (1, 0) => KeyType::Rsa(2048),
            (1, 1) => KeyType::Rsa(4096),
            (2, 0) => KeyType::P256,
            (2, 1) => KeyType::P384,
            (2, 2) => KeyType::P521,
            _ => return None,
        })
    }

    /// True for the RSA versions (1.x).
    pub fn is_rsa(self) -> bool {
        self.major == 1
    }

    /// Digest of the root key hashes, RKTH and signatures: SHA-256 for RSA and P-256,
    /// SHA-384 for P-384, SHA-512 for P-521.
    pub fn hash(self) -> HashAlg {
        match self.key_type() {
            Some(k @ (KeyType::P384 | KeyType::P521)) => HashAlg::for_curve(k),
            _ => HashAlg::Sha256,
        }
    }

    /// Length of a root key hash and of the RKTH: 32, 48 or 64 bytes.
    pub fn hash_len(self) -> usize {
        match self.hash() {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// Size of one key component: the RSA modulus (256/512) or one EC coordinate
    /// (32/48/66), which is also the size of the signature (RSA) or of r and of s (ECC).
    pub fn key_len(self) -> usize {
        match self.key_type() {
            Some(KeyType::Rsa(bits)) => bits / 8,
            Some(k) => k.coordinate_len().unwrap_or(0),
            None => 0,
        }
    }

    /// Length of a signature: K for RSA, 2C for ECC.
    pub fn signature_len(self) -> usize {
        if self.is_rsa() {
            self.key_len()
        } else {
            2 * self.key_len()
        }
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}
