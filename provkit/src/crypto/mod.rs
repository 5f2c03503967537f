//! Keys, signatures and the [`Signer`] trait shared by every signing tool.
//!
//! * [`keys`]: private and public keys of every type NXP formats and MCUboot use
//!   (RSA 2048-4096, NIST P-256/P-384/P-521, Ed25519), loaded from PEM or DER (PKCS#8,
//!   PKCS#1, SEC1, SPKI, X.509 certificates), generated, and written (private keys 0600).
//! * [`Signer`]: "sign these bytes" behind a trait, so local key files, SPSDK's
//!   signature-provider strings (`type=file;file_path=...`) and, later, remote providers
//!   (proxy HTTP, PKCS#11) plug into the same tools. Secrets stay inside the signer.
//! * [`x509`]: X.509 v3 certificates as SPSDK's `nxpcrypto cert generate` makes them, signed
//!   through a [`Signer`], and parsing/checking one against its issuer.

pub mod aes;
pub mod crc32;
pub mod kdf;
pub mod keys;
pub mod signer;
pub mod x509;

pub use keys::{KeyType, PrivateKey, PublicKey};
pub use signer::{LocalSigner, Scheme, Signer, signer_from_spec};

/// Crypto failures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// A key file or key bytes could not be read as any supported key.
    #[error("{source_name}: not a supported key ({why})")]
    KeyParse {
        /// Where the key came from (path or description).
        source_name: String,
        /// What was tried.
        why: String,
    },
    /// The key exists but cannot do what was asked.
    #[error("{key} key cannot be used for {what}")]
    Unsupported {
        /// Key type.
        key: KeyType,
        /// Requested operation.
        what: String,
    },
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(String),
    /// A signature did not verify.
    #[error("signature does not verify with the {0} key")]
    BadSignature(KeyType),
    /// A signer specification did not parse.
    #[error("signer '{spec}': {why}")]
    SignerSpec {
        /// The specification.
        spec: String,
        /// Why.
        why: String,
    },
    /// A key file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// Path.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// HMAC-SHA256 (RFC 2104) of `data` under `key` (any length).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    use hmac::Mac;
    use hmac::digest::KeyInit;
    // RFC 2104: a key longer than the block is hashed first, a shorter one zero-padded;
    // done here so the infallible block-size constructor is used.
    let mut block = zeroize::Zeroizing::new([0u8; 64]);
    if key.len() > 64 {
        block[..32].copy_from_slice(&sha256(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new(
        hmac::digest::generic_array::GenericArray::from_slice(&block[..]),
    );
    m.update(data);
    m.finalize().into_bytes().into()
}

/// SHA-384 of `data`.
pub fn sha384(data: &[u8]) -> [u8; 48] {
    use sha2::Digest;
    sha2::Sha384::digest(data).into()
}

/// SHA-512 of `data`.
pub fn sha512(data: &[u8]) -> [u8; 64] {
    use sha2::Digest;
    sha2::Sha512::digest(data).into()
}
