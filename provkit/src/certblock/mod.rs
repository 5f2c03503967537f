//! Certificate block v2.1 (LPC55S3x, MCX N, RW61x, KW45, RT7xx): the root key record with
//! one to four ECC root keys and its hash table, the optional ISK certificate (constraints,
//! user data, signed by the root key), and the root key table hash (RKTH) that goes into CMPA
//! or OTP.
//!
//! ```text
//! certBlock  = "chdr" | u16 minor=1 | u16 major=2 | u32 size            (12 bytes)
//!              RKR: u32 flags | RKHT (n x H, only if n > 1) | root pub X||Y
//!              [ISK: u32 sigOffset | u32 constraints | u32 flags | ISK pub X||Y | user data
//!                    | signature r||s by the root key]
//! RKR flags  = bit31: no ISK ("CA flag") | bits 11:8 used root | 7:4 n | 3:0 curve (1 P-256, 2 P-384)
//! ISK flags  = bit31: user data present | bits 3:0 ISK curve
//! ISK signature over  RKR bytes || ISK[0 .. sigOffset]      (the 12-byte header is not signed)
//! RKH[i] = H(X||Y)     RKTH = RKH[0] if n == 1, else H(RKH[0] || .. || RKH[n-1])
//! ```
//!
//! [`CertBlockV21::decode`] is total and strict: every length, flag and size is checked before
//! any key is parsed or signature verified, and a decoded block re-encodes to the same bytes.
//! [`CertBlockV21::verify`] checks the RKHT entry, the RKTH and the ISK signature.
//!
//! Certificate block v1 (X.509 RSA certificate chain; LPC55S0x/1x/2x/6x, RT5xx/6xx, MBI and
//! SB2.1) is in [`v1`]; [`rkh`] and [`rkth_of_keys`] take RSA keys with the v1 rules.

pub mod rkth;
pub mod v1;

use crate::codec::{DecodeError, Reader, Writer, to_hex};
use crate::crypto::signer::HashAlg;
use crate::crypto::{CryptoError, KeyType, PublicKey, Scheme, Signer};
use std::fmt;

pub use rkth::{RkthLocation, rkh, rkth_of_keys};
pub use v1::{CertBlockV1, CertBlockV1Spec};

/// Magic of the certificate block header.
pub const MAGIC: &[u8; 4] = b"chdr";
/// Size of the header.
pub const HEADER_LEN: usize = 12;
/// Largest ISK user data the ROMs take (SPSDK database `isk_data_limit`, every family).
pub const ISK_DATA_LIMIT: usize = 96;
/// ISK user data alignment (SPSDK database `isk_data_alignment`).
pub const ISK_DATA_ALIGNMENT: usize = 4;

const FLAG_NO_ISK: u32 = 1 << 31;
const FLAG_USER_DATA: u32 = 1 << 31;

/// The two curves certificate block v2.1 knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EcCurve {
    /// NIST P-256 with SHA-256.
    P256,
    /// NIST P-384 with SHA-384.
    P384,
}

impl EcCurve {
    /// Bytes of one coordinate (and of r and s).
    pub fn coordinate_len(self) -> usize {
        match self {
            EcCurve::P256 => 32,
            EcCurve::P384 => 48,
        }
    }

    /// Bytes of a raw public key (X||Y) and of a raw signature (r||s).
    pub fn point_len(self) -> usize {
        2 * self.coordinate_len()
    }

    /// The hash paired with the curve.
    pub fn hash(self) -> HashAlg {
        match self {
            EcCurve::P256 => HashAlg::Sha256,
            EcCurve::P384 => HashAlg::Sha384,
        }
    }

    /// Digest length of [`EcCurve::hash`].
    pub fn hash_len(self) -> usize {
        self.coordinate_len()
    }

    /// The 4-bit key type code of the RKR and ISK flags.
    pub fn code(self) -> u32 {
        match self {
            EcCurve::P256 => 1,
            EcCurve::P384 => 2,
        }
    }

    /// The curve of a flags code.
    pub fn from_code(code: u32) -> Option<EcCurve> {
        match code {
            1 => Some(EcCurve::P256),
            2 => Some(EcCurve::P384),
            _ => None,
        }
    }

    /// The curve of a key, if it is one of the two.
    pub fn of_key(key: &PublicKey) -> Option<EcCurve> {
        match key.key_type() {
            KeyType::P256 => Some(EcCurve::P256),
            KeyType::P384 => Some(EcCurve::P384),
            _ => None,
        }
    }

    /// The provkit key type.
    pub fn key_type(self) -> KeyType {
        match self {
            EcCurve::P256 => KeyType::P256,
            EcCurve::P384 => KeyType::P384,
        }
    }

    /// The signature scheme: ECDSA with the curve's hash, raw r||s.
    pub fn scheme(self) -> Scheme {
        Scheme::EcdsaRaw(self.hash())
    }

    /// The curve whose signatures are `len` bytes (64 or 96).
    pub fn from_signature_len(len: usize) -> Option<EcCurve> {
        match len {
            64 => Some(EcCurve::P256),
            96 => Some(EcCurve::P384),
            _ => None,
        }
    }
}

impl fmt::Display for EcCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
        })
    }
}

/// Why a certificate block could not be built, decoded or verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CertBlockError {
    /// The bytes are not a certificate block v2.1.
    #[error("certificate block: {0}")]
    Decode(#[from] DecodeError),
    /// 1 to 4 root keys are needed.
    #[error("certificate block needs 1 to 4 root keys, not {0}")]
    KeyCount(usize),
    /// The used root key index is out of range.
    #[error("root key {index} is used but only {count} root keys are given")]
    UsedRoot {
        /// Index.
        index: usize,
        /// Root key count.
        count: usize,
    },
    /// A key that is not P-256/P-384.
    #[error("{what}: {key} keys cannot be used in a certificate block v2.1 (P-256 or P-384 only)")]
    UnsupportedKey {
        /// Which key.
        what: String,
        /// Its type.
        key: KeyType,
    },
    /// Root keys of different curves.
    #[error(
        "root key {index} is {found}, root key 0 is {expected}: all root keys must use one curve"
    )]
    MixedCurves {
        /// Index of the odd key.
        index: usize,
        /// Curve of key 0.
        expected: EcCurve,
        /// Curve of the odd key.
        found: EcCurve,
    },
    /// P-384 ISK under a P-256 root.
    #[error(
        "the ISK ({isk}) is a larger curve than the root key ({root}); the ROM requires ISK <= root"
    )]
    IskCurveLargerThanRoot {
        /// ISK curve.
        isk: EcCurve,
        /// Root curve.
        root: EcCurve,
    },
    /// ISK user data too long or not aligned.
    #[error("ISK user data is {0} bytes: at most 96 and a multiple of 4")]
    UserData(usize),
    /// The signer's key is not the key the block says signs.
    #[error("{what}: the signer's public key is not the {expected}")]
    SignerMismatch {
        /// Which signature.
        what: &'static str,
        /// Which key was expected.
        expected: String,
    },
    /// An ISK certificate needs a root key signer.
    #[error("the ISK certificate needs the root private key as signer (config key `signer`)")]
    MissingRootSigner,
    /// The root key is not in the RKHT at its index.
    #[error("root public key does not match RKHT entry {0}")]
    RootKeyNotInTable(usize),
    /// The block's RKTH is not the device's.
    #[error("RKTH mismatch: the certificate block has {actual}, expected {expected}")]
    RkthMismatch {
        /// Expected RKTH (hex).
        expected: String,
        /// The block's RKTH (hex).
        actual: String,
    },
    /// The ISK signature does not verify with the root key.
    #[error("ISK certificate signature does not verify with root key {0}")]
    IskSignature(usize),
    /// A public key in the block is not a point on its curve.
    #[error("{0} public key is not a valid point")]
    BadPoint(&'static str),
    /// A signer returned a signature of the wrong length.
    #[error("{what}: the signer returned {len} bytes, expected {expected}")]
    SignatureLength {
        /// Which signature.
        what: &'static str,
        /// Returned length.
        len: usize,
        /// Expected length.
        expected: usize,
    },
    /// Signing or key handling failed.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// Root keys of different types (RSA and ECC mixed).
    #[error(
        "root key {index} is {found}, root key 0 is {expected}: all root keys must be of one kind"
    )]
    MixedKeyTypes {
        /// Index of the odd key.
        index: usize,
        /// Type of key 0.
        expected: KeyType,
        /// Type of the odd key.
        found: KeyType,
    },
    /// v1: a certificate that cannot be parsed or is not usable.
    #[error("{what}: {why}")]
    Certificate {
        /// Which certificate (`certificate 1`, `root certificate 2`).
        what: String,
        /// What is wrong.
        why: String,
    },
    /// v1: the block has no certificate.
    #[error("certificate block v1 has no certificate")]
    NoCertificates,
    /// v1: more chain certificates than a config can give.
    #[error("{0} chain certificates below the root (at most 4)")]
    ChainLength(usize),
    /// v1: certificate 0 is not self-signed.
    #[error(
        "certificate 0 (the root) is not self-signed: its signature does not verify with its own key"
    )]
    NotSelfSigned,
    /// v1: the CA flag of a certificate breaks the chain rules.
    #[error("certificate {index} of {count} {}", ca_rule(*index, *count, *ca))]
    CaFlag {
        /// Index of the certificate.
        index: usize,
        /// Certificates in the block.
        count: usize,
        /// Its basicConstraints cA flag.
        ca: bool,
    },
    /// v1: a chain certificate is not signed by the certificate before it.
    #[error("certificate {index} does not verify with the key of certificate {}", index - 1)]
    ChainSignature {
        /// Index of the certificate (>= 1).
        index: usize,
    },
    /// v1: the root certificate's key hash is not in the RKHT.
    #[error("the root certificate's key hash {0} is not in the root key hash table")]
    RootNotInRkht(String),
    /// v1: the signer's key is not the last certificate's key.
    #[error(
        "the signer's public key ({signer}) is not the key of the last certificate in the block ({leaf})"
    )]
    SignerNotLeaf {
        /// The signer's key.
        signer: String,
        /// The last certificate's key.
        leaf: String,
    },
    /// v1: root signature and signing key sizes differ.
    #[error(
        "the root certificate's signature is {root} bytes but the last certificate's key signs {leaf} bytes: use one RSA key size for the whole chain"
    )]
    SignatureSize {
        /// Root certificate signature length.
        root: usize,
        /// Signature length of the last certificate's key.
        leaf: usize,
    },
}

fn ca_rule(index: usize, count: usize, ca: bool) -> &'static str {
    match (ca, count, index + 1 == count) {
        (true, 1, _) => "is a CA: a single certificate must not be a CA",
        (true, _, true) => "is a CA: the last certificate must not be a CA",
        (false, _, _) => "is not a CA: every certificate but the last must be a CA",
        (true, _, false) => "breaks the CA rules",
    }
}

/// The ISK (image signing key) certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IskCertificate {
    /// Constraints word (compared by the ROM with a fuse counter).
    pub constraints: u32,
    /// ISK curve.
    pub curve: EcCurve,
    /// ISK public key X||Y.
    pub public_key: Vec<u8>,
    /// User data (at most 96 bytes, a multiple of 4).
    pub user_data: Vec<u8>,
    /// r||s by the root key (root curve size).
    pub signature: Vec<u8>,
}

impl IskCertificate {
    /// Offset of the signature from the start of the ISK certificate.
    pub fn signature_offset(&self) -> usize {
        12 + self.public_key.len() + self.user_data.len()
    }

    /// ISK flags word.
    pub fn flags(&self) -> u32 {
        self.curve.code()
            | if self.user_data.is_empty() {
                0
            } else {
                FLAG_USER_DATA
            }
    }

    /// The signed part (everything before the signature).
    fn encode_tbs(&self, w: &mut Writer) {
        w.u32_le(self.signature_offset() as u32)
            .u32_le(self.constraints)
            .u32_le(self.flags())
            .bytes(&self.public_key)
            .bytes(&self.user_data);
    }

    /// The public key.
    pub fn key(&self) -> Result<PublicKey, CertBlockError> {
        PublicKey::from_ec_xy(self.curve.key_type(), &self.public_key)
            .map_err(|_| CertBlockError::BadPoint("ISK"))
    }
}

/// A certificate block v2.1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertBlockV21 {
    /// Curve of the root keys.
    pub curve: EcCurve,
    /// Number of root keys (1..=4).
    pub key_count: usize,
    /// Index of the root key in the block (`mainRootCertId`).
    pub used_root: usize,
    /// RKH of every root key; empty when `key_count == 1` (the block carries no table).
    pub rkht: Vec<Vec<u8>>,
    /// The used root public key, X||Y.
    pub root_public_key: Vec<u8>,
    /// The ISK certificate, when the root key does not sign images itself.
    pub isk: Option<IskCertificate>,
}

/// What the block says about who signs images, once verified.
#[derive(Debug, Clone)]
pub struct VerifiedCertBlock {
    /// The RKTH of the block.
    pub rkth: Vec<u8>,
    /// The key that signs images/SB block 0: the ISK if present, else the root key.
    pub signing_key: PublicKey,
    /// Curve of the signing key.
    pub signing_curve: EcCurve,
}

impl CertBlockV21 {
    /// The RKR flags word.
    pub fn rkr_flags(&self) -> u32 {
        self.curve.code()
            | ((self.key_count as u32) << 4)
            | ((self.used_root as u32) << 8)
            | if self.isk.is_none() { FLAG_NO_ISK } else { 0 }
    }

    /// Encoded size.
    pub fn size(&self) -> usize {
        let rkr = 4 + self.rkht.iter().map(Vec::len).sum::<usize>() + self.root_public_key.len();
        let isk = self
            .isk
            .as_ref()
            .map(|i| i.signature_offset() + i.signature.len())
            .unwrap_or(0);
        HEADER_LEN + rkr + isk
    }

    fn encode_rkr(&self, w: &mut Writer) {
        w.u32_le(self.rkr_flags());
        for h in &self.rkht {
            w.bytes(h);
        }
        w.bytes(&self.root_public_key);
    }

    /// The bytes the ISK signature covers: RKR || ISK[0..sigOffset].
    pub fn isk_signed_data(&self) -> Option<Vec<u8>> {
        let isk = self.isk.as_ref()?;
        let mut w = Writer::new();
        self.encode_rkr(&mut w);
        isk.encode_tbs(&mut w);
        Some(w.into_vec())
    }

    /// Encodes the block.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(self.size());
        w.bytes(MAGIC)
            .u16_le(1)
            .u16_le(2)
            .u32_le(self.size() as u32);
        self.encode_rkr(&mut w);
        if let Some(isk) = &self.isk {
            isk.encode_tbs(&mut w);
            w.bytes(&isk.signature);
        }
        w.into_vec()
    }

    /// Decodes a block at the start of `buf`; returns it and its size (the bytes that follow
    /// belong to the container). Every field is checked; nothing is verified.
    pub fn decode_prefix(buf: &[u8]) -> Result<(CertBlockV21, usize), CertBlockError> {
        let mut r = Reader::new(buf);
        let magic = r.array::<4>("certificate block magic")?;
        if &magic != MAGIC {
            return Err(DecodeError::invalid(
                "certificate block magic",
                0,
                format!("expected \"chdr\", found {}", to_hex(&magic)),
            )
            .into());
        }
        let minor = r.u16_le("certificate block minor version")?;
        let major = r.u16_le("certificate block major version")?;
        if (major, minor) != (2, 1) {
            return Err(DecodeError::invalid(
                "certificate block version",
                4,
                format!("{major}.{minor} (only 2.1 is known)"),
            )
            .into());
        }
        let size = r.u32_le("certificate block size")? as usize;
        if size < HEADER_LEN || size > buf.len() {
            return Err(DecodeError::invalid(
                "certificate block size",
                8,
                format!("{size} bytes, {} available", buf.len()),
            )
            .into());
        }
        let mut body = r.sub(size - HEADER_LEN, "certificate block body")?;
        let flags_at = body.offset();
        let flags = body.u32_le("root key record flags")?;
        let curve = EcCurve::from_code(flags & 0xF).ok_or_else(|| {
            DecodeError::invalid(
                "root key record flags",
                flags_at,
                format!("key type {} (1 = P-256, 2 = P-384)", flags & 0xF),
            )
        })?;
        let key_count = ((flags >> 4) & 0xF) as usize;
        let used_root = ((flags >> 8) & 0xF) as usize;
        if !(1..=4).contains(&key_count) {
            return Err(DecodeError::invalid(
                "root key record flags",
                flags_at,
                format!("{key_count} root keys (1..4)"),
            )
            .into());
        }
        if used_root >= key_count {
            return Err(DecodeError::invalid(
                "root key record flags",
                flags_at,
                format!("used root key {used_root} of {key_count}"),
            )
            .into());
        }
        if flags & 0x7FFF_F000 != 0 {
            return Err(DecodeError::invalid(
                "root key record flags",
                flags_at,
                format!("reserved bits set (0x{flags:08X})"),
            )
            .into());
        }
        let h = curve.hash_len();
        let mut rkht = Vec::new();
        if key_count > 1 {
            for _ in 0..key_count {
                rkht.push(body.take(h, "root key hash table")?.to_vec());
            }
        }
        let root_public_key = body.take(curve.point_len(), "root public key")?.to_vec();
        let isk = if flags & FLAG_NO_ISK == 0 {
            let sig_off_at = body.offset();
            let sig_off = body.u32_le("ISK signature offset")? as usize;
            let constraints = body.u32_le("ISK constraints")?;
            let iflags_at = body.offset();
            let iflags = body.u32_le("ISK flags")?;
            let icurve = EcCurve::from_code(iflags & 0xF).ok_or_else(|| {
                DecodeError::invalid(
                    "ISK flags",
                    iflags_at,
                    format!("key type {} (1 = P-256, 2 = P-384)", iflags & 0xF),
                )
            })?;
            if iflags & 0x7FFF_FFF0 != 0 {
                return Err(DecodeError::invalid(
                    "ISK flags",
                    iflags_at,
                    format!("reserved bits set (0x{iflags:08X})"),
                )
                .into());
            }
            let fixed = 12 + icurve.point_len();
            let ud_len = sig_off.checked_sub(fixed).ok_or_else(|| {
                DecodeError::invalid(
                    "ISK signature offset",
                    sig_off_at,
                    format!("{sig_off} is inside the ISK header/key (at least {fixed})"),
                )
            })?;
            // The 96-byte limit is a generator rule (SPSDK's database); files made by older
            // SPSDK versions carry more, and SPSDK's parser takes them. So does ours.
            if (ud_len > 0) != (iflags & FLAG_USER_DATA != 0) {
                return Err(DecodeError::invalid(
                    "ISK flags",
                    iflags_at,
                    format!("user-data flag does not match {ud_len} bytes of user data"),
                )
                .into());
            }
            let public_key = body.take(icurve.point_len(), "ISK public key")?.to_vec();
            let user_data = body.take(ud_len, "ISK user data")?.to_vec();
            let signature = body.take(curve.point_len(), "ISK signature")?.to_vec();
            Some(IskCertificate {
                constraints,
                curve: icurve,
                public_key,
                user_data,
                signature,
            })
        } else {
            None
        };
        body.finish("certificate block (size field larger than its content)")?;
        let cb = CertBlockV21 {
            curve,
            key_count,
            used_root,
            rkht,
            root_public_key,
            isk,
        };
        Ok((cb, size))
    }

    /// Decodes a block that fills `buf` exactly.
    pub fn decode(buf: &[u8]) -> Result<CertBlockV21, CertBlockError> {
        let (cb, n) = Self::decode_prefix(buf)?;
        if n != buf.len() {
            return Err(DecodeError {
                what: "certificate block",
                offset: n,
                kind: crate::codec::DecodeErrorKind::TrailingBytes(buf.len() - n),
            }
            .into());
        }
        Ok(cb)
    }

    /// The root public key.
    pub fn root_key(&self) -> Result<PublicKey, CertBlockError> {
        PublicKey::from_ec_xy(self.curve.key_type(), &self.root_public_key)
            .map_err(|_| CertBlockError::BadPoint("root"))
    }

    /// RKH of the used root key.
    pub fn root_key_hash(&self) -> Vec<u8> {
        self.curve.hash().digest(&self.root_public_key)
    }

    /// The RKTH this block implies (the value the device must hold).
    pub fn rkth(&self) -> Vec<u8> {
        if self.key_count == 1 {
            self.root_key_hash()
        } else {
            self.curve.hash().digest(&self.rkht.concat())
        }
    }

    /// Curve of the key that signs with this block (ISK if present).
    pub fn signing_curve(&self) -> EcCurve {
        self.isk.as_ref().map(|i| i.curve).unwrap_or(self.curve)
    }

    /// Length of a signature made with the signing key.
    pub fn signature_len(&self) -> usize {
        self.signing_curve().point_len()
    }

    /// Checks the block as the ROM does: RKHT entry, RKTH (when `expected_rkth` is given;
    /// a 32-byte RKTH may come zero-padded to 48 bytes as CMPA/OTP hold it), the ISK curve
    /// rule and the ISK signature. Returns the signing key.
    pub fn verify(
        &self,
        expected_rkth: Option<&[u8]>,
    ) -> Result<VerifiedCertBlock, CertBlockError> {
        let root = self.root_key()?;
        if self.key_count > 1 {
            let want = &self.rkht[self.used_root];
            if *want != self.root_key_hash() {
                return Err(CertBlockError::RootKeyNotInTable(self.used_root));
            }
        }
        let rkth = self.rkth();
        if let Some(exp) = expected_rkth {
            if !rkth::rkth_matches(exp, &rkth) {
                return Err(CertBlockError::RkthMismatch {
                    expected: to_hex(exp),
                    actual: to_hex(&rkth),
                });
            }
        }
        let (signing_key, signing_curve) = match &self.isk {
            None => (root, self.curve),
            Some(isk) => {
                if isk.curve > self.curve {
                    return Err(CertBlockError::IskCurveLargerThanRoot {
                        isk: isk.curve,
                        root: self.curve,
                    });
                }
                let data = self.isk_signed_data().unwrap_or_default();
                root.verify(&data, &isk.signature, self.curve.scheme())
                    .map_err(|_| CertBlockError::IskSignature(self.used_root))?;
                (isk.key()?, isk.curve)
            }
        };
        Ok(VerifiedCertBlock {
            rkth,
            signing_key,
            signing_curve,
        })
    }
}

/// What a certificate block is built from (the cert-block YAML, resolved).
pub struct CertBlockSpec<'a> {
    /// Root public keys, `rootCertificate0File`..`3File`.
    pub root_keys: Vec<PublicKey>,
    /// `mainRootCertId`.
    pub used_root: usize,
    /// `useIsk: true`: the ISK public key, constraints and user data.
    pub isk: Option<IskSpec>,
    /// The root private key that signs the ISK certificate (`signer`).
    pub root_signer: Option<&'a dyn Signer>,
}

/// The ISK part of a [`CertBlockSpec`].
pub struct IskSpec {
    /// ISK public key.
    pub key: PublicKey,
    /// `iskCertificateConstraint`.
    pub constraints: u32,
    /// `iskCertData`.
    pub user_data: Vec<u8>,
}

fn curve_of(key: &PublicKey, what: String) -> Result<EcCurve, CertBlockError> {
    EcCurve::of_key(key).ok_or(CertBlockError::UnsupportedKey {
        what,
        key: key.key_type(),
    })
}

impl CertBlockSpec<'_> {
    /// Builds (and, with an ISK, signs) the block. The result verifies.
    pub fn build(&self) -> Result<CertBlockV21, CertBlockError> {
        let n = self.root_keys.len();
        if !(1..=4).contains(&n) {
            return Err(CertBlockError::KeyCount(n));
        }
        if self.used_root >= n {
            return Err(CertBlockError::UsedRoot {
                index: self.used_root,
                count: n,
            });
        }
        let curve = curve_of(&self.root_keys[0], "root key 0".into())?;
        for (i, k) in self.root_keys.iter().enumerate().skip(1) {
            let c = curve_of(k, format!("root key {i}"))?;
            if c != curve {
                return Err(CertBlockError::MixedCurves {
                    index: i,
                    expected: curve,
                    found: c,
                });
            }
        }
        let xy: Vec<Vec<u8>> = self
            .root_keys
            .iter()
            .map(|k| k.ec_xy().unwrap_or_default())
            .collect();
        let rkht = if n > 1 {
            xy.iter().map(|p| curve.hash().digest(p)).collect()
        } else {
            Vec::new()
        };
        let mut cb = CertBlockV21 {
            curve,
            key_count: n,
            used_root: self.used_root,
            rkht,
            root_public_key: xy[self.used_root].clone(),
            isk: None,
        };
        if let Some(spec) = &self.isk {
            let icurve = curve_of(&spec.key, "ISK".into())?;
            if icurve > curve {
                return Err(CertBlockError::IskCurveLargerThanRoot {
                    isk: icurve,
                    root: curve,
                });
            }
            if spec.user_data.len() > ISK_DATA_LIMIT
                || spec.user_data.len() % ISK_DATA_ALIGNMENT != 0
            {
                return Err(CertBlockError::UserData(spec.user_data.len()));
            }
            let signer = self.root_signer.ok_or(CertBlockError::MissingRootSigner)?;
            if signer.public_key()? != self.root_keys[self.used_root] {
                return Err(CertBlockError::SignerMismatch {
                    what: "ISK certificate signer",
                    expected: format!("root key {} (mainRootCertId)", self.used_root),
                });
            }
            cb.isk = Some(IskCertificate {
                constraints: spec.constraints,
                curve: icurve,
                public_key: spec.key.ec_xy().unwrap_or_default(),
                user_data: spec.user_data.clone(),
                signature: Vec::new(),
            });
            let data = cb.isk_signed_data().unwrap_or_default();
            let sig = signer.sign(&data, curve.scheme())?;
            if sig.len() != curve.point_len() {
                return Err(CertBlockError::SignatureLength {
                    what: "ISK certificate",
                    len: sig.len(),
                    expected: curve.point_len(),
                });
            }
            self.root_keys[self.used_root]
                .verify(&data, &sig, curve.scheme())
                .map_err(|_| CertBlockError::IskSignature(self.used_root))?;
            if let Some(isk) = cb.isk.as_mut() {
                isk.signature = sig;
            }
        }
        Ok(cb)
    }
}

#[cfg(test)]
mod tests;
