//! Certificate block v1 (LPC55S0x/1x/2x/6x, RT5xx/6xx; inside RSA-signed master boot images
//! and SB2.1 files): an X.509 v3 RSA certificate chain and a table of four root key hashes.
//!
//! ```text
//! 0x00 "cert" | u16 major=1 | u16 minor=0 | u32 header length=0x20 | u32 flags=0
//! 0x10 u32 build number | u32 total image length | u32 certificate count
//! 0x1C u32 certificate table length = sum(4 + padded_len)
//! 0x20 per certificate: u32 padded_len | DER zero-padded to 4      (root first, then chain)
//!      RKHT: 4 x 32-byte RKH (unused entries zero)
//!      zero padding to the container's alignment (4 in an MBI, 16 in SB2.1 and standalone)
//! RKH  = SHA-256(n || e), both minimal big-endian      RKTH = SHA-256(RKHT), always 128 bytes
//! ```
//!
//! Chain rules (SPSDK and the ROM): certificate 0 is self-signed; one certificate must not be
//! a CA; with several, all but the last are CAs and the last is not; each certificate verifies
//! with the previous one's key (RSA PKCS#1 v1.5, SHA-256); X.509 v3, RSA-2048 or RSA-4096; the
//! root's RKH is in the RKHT. Images and SB2.1 files are signed with the last certificate's
//! key.
//!
//! [`CertBlockV1::decode_prefix`] is total: every length is bounded before use, each
//! certificate is parsed as DER (by its ASN.1 length, not the padded table length), and a
//! decoded block re-encodes to the same bytes. [`CertBlockV1::verify`] checks the rules.

use super::CertBlockError;
use super::rkth::{rkh, rkth_matches};
use crate::codec::{DecodeError, Reader, Writer, to_hex};
use crate::crypto::signer::HashAlg;
use crate::crypto::x509::{self, ParsedCertificate};
use crate::crypto::{KeyType, PublicKey, Scheme, sha256};

/// Magic of the certificate block v1 header.
pub const MAGIC: &[u8; 4] = b"cert";
/// Size of the header (its length field holds this).
pub const HEADER_LEN: usize = 0x20;
/// Entries of the root key hash table.
pub const RKHT_ENTRIES: usize = 4;
/// Size of one root key hash (SHA-256).
pub const RKH_LEN: usize = 32;
/// Size of the root key hash table.
pub const RKHT_LEN: usize = RKHT_ENTRIES * RKH_LEN;
/// Most chain certificates below the root a config can give (`chainCertificate<r>File0..3`).
pub const MAX_CHAIN: usize = 4;

/// OID sha256WithRSAEncryption.
const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";

/// The scheme of certificate and image signatures in v1 blocks.
pub const SCHEME: Scheme = Scheme::RsaPkcs1v15(HashAlg::Sha256);

/// A certificate block v1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertBlockV1 {
    /// Header 0x10 (`imageBuildNumber`).
    pub build_number: u32,
    /// Header 0x14 "total image length": MBI = signed length (app + cert block [+ TZ]);
    /// SB2.1 = 208 + padded block length; standalone export = 0. Containers set it before encode.
    pub image_length: u32,
    /// DER certificates, root first, unpadded (encode pads each to 4 and writes the padded length).
    pub certificates: Vec<Vec<u8>>,
    /// Root key hash table; all-zero entries are unused.
    pub rkht: [[u8; 32]; RKHT_ENTRIES],
}

/// What one X.509 certificate of a block says (parsed, nothing verified): the view of
/// [`ParsedCertificate`] the block rules need.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// True for an X.509 v3 certificate.
    pub v3: bool,
    /// basicConstraints cA (false when the extension is absent).
    pub ca: bool,
    /// Subject name (RFC 4514 text).
    pub subject: String,
    /// Issuer name (RFC 4514 text).
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Signature algorithm OID (dotted).
    pub signature_algorithm: String,
    /// The whole parse.
    pub parsed: ParsedCertificate,
}

fn cert_err(what: &str, why: impl std::fmt::Display) -> CertBlockError {
    CertBlockError::Certificate {
        what: what.to_string(),
        why: why.to_string(),
    }
}

/// The DER of a certificate file: PEM (`BEGIN CERTIFICATE`) or DER, DER optionally followed
/// by zero padding (as certificates sit in a block). `what` names it in errors.
pub fn certificate_der(bytes: &[u8], what: &str) -> Result<Vec<u8>, CertBlockError> {
    x509::certificate_der(bytes).map_err(|e| cert_err(what, e))
}

impl CertInfo {
    /// Parses one DER certificate (exactly `der`, no padding).
    pub fn parse(der: &[u8], what: &str) -> Result<CertInfo, CertBlockError> {
        let p = ParsedCertificate::parse(der).map_err(|e| cert_err(what, e))?;
        Ok(CertInfo {
            v3: p.version == 3,
            ca: p.basic_constraints.is_some_and(|(c, _)| c.ca),
            subject: p.subject.clone(),
            issuer: p.issuer.clone(),
            serial: to_hex(&p.serial),
            signature_algorithm: p.signature_algorithm.clone(),
            parsed: p,
        })
    }

    /// The subject public key.
    pub fn public_key(&self) -> PublicKey {
        self.parsed.public_key.clone()
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.parsed.signature
    }

    /// Checks what the ROM takes: X.509 v3, sha256WithRSAEncryption, an RSA-2048/4096 key.
    /// Returns the key.
    pub fn usable_key(&self, what: &str) -> Result<PublicKey, CertBlockError> {
        if !self.v3 {
            return Err(cert_err(what, "not an X.509 v3 certificate"));
        }
        if self.signature_algorithm != SHA256_WITH_RSA {
            return Err(cert_err(
                what,
                format!(
                    "signature algorithm {} (only sha256WithRSAEncryption, {SHA256_WITH_RSA})",
                    self.signature_algorithm
                ),
            ));
        }
        if !self.parsed.algorithms_match {
            return Err(cert_err(
                what,
                "the signature algorithm differs from the one in the signed part",
            ));
        }
        let key = self.public_key();
        match key.key_type() {
            KeyType::Rsa(2048 | 4096) => Ok(key),
            other => Err(cert_err(
                what,
                format!("{other} key (only RSA-2048 and RSA-4096)"),
            )),
        }
    }

    /// Does `issuer_key` verify this certificate's signature (RSA PKCS#1 v1.5, SHA-256)?
    pub fn signed_by(&self, issuer_key: &PublicKey) -> bool {
        issuer_key
            .verify(&self.parsed.tbs, &self.parsed.signature, SCHEME)
            .is_ok()
    }
}

/// Describes a key for messages: type and RKH (public data only).
fn describe(key: &PublicKey) -> String {
    match rkh(key) {
        Ok(h) => format!("{} key with hash {}", key.key_type(), to_hex(&h)),
        Err(_) => format!("{} key", key.key_type()),
    }
}

/// The RKHT entry holding `key`'s RKH (all-zero entries never match).
pub fn root_index_of(rkht: &[[u8; 32]; RKHT_ENTRIES], key: &PublicKey) -> Option<usize> {
    let h = rkh(key).ok()?;
    rkht.iter().position(|e| *e != [0u8; 32] && e[..] == h[..])
}

/// RKTH of a v1 root key hash table: SHA-256 over all 4 x 32 bytes.
pub fn rkth_of_table(rkht: &[[u8; 32]; RKHT_ENTRIES]) -> [u8; 32] {
    sha256(rkht.concat().as_slice())
}

fn pad4(n: usize) -> usize {
    n.div_ceil(4) * 4
}

impl CertBlockV1 {
    /// Bytes of the certificate table (`sum(4 + padded_len)`).
    pub fn table_len(&self) -> usize {
        self.certificates.iter().map(|c| 4 + pad4(c.len())).sum()
    }

    /// Bytes of header + certificate table + RKHT, before alignment padding.
    pub fn unpadded_len(&self) -> usize {
        HEADER_LEN + self.table_len() + RKHT_LEN
    }

    /// Length of [`CertBlockV1::encode`] with `alignment`.
    pub fn encoded_len(&self, alignment: usize) -> usize {
        let a = alignment.max(1);
        self.unpadded_len().div_ceil(a) * a
    }

    /// Header + cert table + RKHT, zero-padded to `alignment` (4 in an MBI, 16 in SB2.1 and standalone).
    pub fn encode(&self, alignment: usize) -> Vec<u8> {
        let total = self.encoded_len(alignment);
        let mut w = Writer::with_capacity(total);
        w.bytes(MAGIC)
            .u16_le(1)
            .u16_le(0)
            .u32_le(HEADER_LEN as u32)
            .u32_le(0)
            .u32_le(self.build_number)
            .u32_le(self.image_length)
            .u32_le(self.certificates.len() as u32)
            .u32_le(self.table_len() as u32);
        for c in &self.certificates {
            let padded = pad4(c.len());
            w.u32_le(padded as u32).bytes(c);
            w.bytes(&[0u8; 3][..padded - c.len()]);
        }
        for h in &self.rkht {
            w.bytes(h);
        }
        let mut out = w.into_vec();
        out.resize(total, 0);
        out
    }

    /// Decodes a block at the start of `buf`: every length bounded against buf before use,
    /// each certificate DER-parsed (use the ASN.1 length, not the padded table length);
    /// no signature checks. Returns the block and its UNPADDED length.
    pub fn decode_prefix(buf: &[u8]) -> Result<(CertBlockV1, usize), CertBlockError> {
        let mut r = Reader::new(buf);
        let magic = r.array::<4>("certificate block v1 magic")?;
        if &magic != MAGIC {
            return Err(DecodeError::invalid(
                "certificate block v1 magic",
                0,
                format!("expected \"cert\", found {}", to_hex(&magic)),
            )
            .into());
        }
        let major = r.u16_le("certificate block v1 major version")?;
        let minor = r.u16_le("certificate block v1 minor version")?;
        if (major, minor) != (1, 0) {
            return Err(DecodeError::invalid(
                "certificate block v1 version",
                4,
                format!("{major}.{minor} (only 1.0 is known)"),
            )
            .into());
        }
        let header_len = r.u32_le("certificate block v1 header length")?;
        if header_len as usize != HEADER_LEN {
            return Err(DecodeError::invalid(
                "certificate block v1 header length",
                8,
                format!("{header_len} (must be {HEADER_LEN})"),
            )
            .into());
        }
        let flags = r.u32_le("certificate block v1 flags")?;
        if flags != 0 {
            return Err(DecodeError::invalid(
                "certificate block v1 flags",
                12,
                format!("0x{flags:08X} (must be 0)"),
            )
            .into());
        }
        let build_number = r.u32_le("certificate block v1 build number")?;
        let image_length = r.u32_le("certificate block v1 image length")?;
        let count = r.u32_le("certificate block v1 certificate count")?;
        if count == 0 {
            return Err(DecodeError::invalid(
                "certificate block v1 certificate count",
                0x18,
                "0 (at least the root certificate)",
            )
            .into());
        }
        let table_len = r.u32_le("certificate block v1 certificate table length")? as usize;
        let mut table = r.sub(table_len, "certificate block v1 certificate table")?;
        // No allocation by `count`: every round consumes bytes of the bounded table.
        let mut certificates = Vec::new();
        for _ in 0..count {
            let len_at = table.offset();
            let padded = table.u32_le("certificate length")? as usize;
            let cert_at = table.offset();
            let slot = table.take(padded, "certificate")?;
            let n = x509::der_element_len(slot).map_err(|e| {
                DecodeError::invalid("certificate", cert_at, format!("not DER: {e}"))
            })?;
            if pad4(n) != padded {
                return Err(DecodeError::invalid(
                    "certificate length",
                    len_at,
                    format!("{padded} for a {n}-byte certificate (must be {})", pad4(n)),
                )
                .into());
            }
            let (der, pad) = slot.split_at(n);
            if pad.iter().any(|&b| b != 0) {
                return Err(
                    DecodeError::invalid("certificate padding", cert_at + n, "not zero").into(),
                );
            }
            CertInfo::parse(der, "certificate")
                .map_err(|e| DecodeError::invalid("certificate", cert_at, e.to_string()))?;
            certificates.push(der.to_vec());
        }
        table.finish(
            "certificate block v1 certificate table (length field larger than its certificates)",
        )?;
        let mut rkht = [[0u8; 32]; RKHT_ENTRIES];
        for e in rkht.iter_mut() {
            *e = r.array::<32>("certificate block v1 root key hash table")?;
        }
        let cb = CertBlockV1 {
            build_number,
            image_length,
            certificates,
            rkht,
        };
        Ok((cb, r.offset()))
    }

    /// Parsed certificates (nothing verified).
    pub fn certificate_infos(&self) -> Result<Vec<CertInfo>, CertBlockError> {
        self.certificates
            .iter()
            .enumerate()
            .map(|(i, c)| CertInfo::parse(c, &format!("certificate {i}")))
            .collect()
    }

    /// SHA-256 over the 4x32-byte RKHT.
    pub fn rkth(&self) -> [u8; 32] {
        rkth_of_table(&self.rkht)
    }

    /// Index of the RKHT entry that holds the root certificate's key hash.
    pub fn root_index(&self) -> Option<usize> {
        root_index_of(&self.rkht, &self.key_of(0).ok()?)
    }

    /// Fails unless `signer_key` is the last certificate's key (the one whose signature the
    /// ROM checks); the error names both keys.
    pub fn check_signer(&self, signer_key: &PublicKey) -> Result<(), CertBlockError> {
        let leaf = self.signing_key()?;
        if *signer_key != leaf {
            return Err(CertBlockError::SignerNotLeaf {
                signer: describe(signer_key),
                leaf: describe(&leaf),
            });
        }
        Ok(())
    }

    fn key_of(&self, index: usize) -> Result<PublicKey, CertBlockError> {
        let what = format!("certificate {index}");
        let der = self
            .certificates
            .get(index)
            .ok_or(CertBlockError::NoCertificates)?;
        Ok(CertInfo::parse(der, &what)?.public_key())
    }

    /// Public key of the last certificate (the key that signs images / SB2.1 files).
    pub fn signing_key(&self) -> Result<PublicKey, CertBlockError> {
        let last = self
            .certificates
            .len()
            .checked_sub(1)
            .ok_or(CertBlockError::NoCertificates)?;
        self.key_of(last)
    }

    /// Length of the RSA signature a container reserves (SPSDK: length of `cert[0]`'s signature,
    /// i.e. 256 or 512); error if the leaf key size differs (SPSDK lays that out wrongly).
    pub fn signature_len(&self) -> Result<usize, CertBlockError> {
        let root = self
            .certificates
            .first()
            .ok_or(CertBlockError::NoCertificates)?;
        let root_sig = CertInfo::parse(root, "certificate 0")?.signature().len();
        let leaf = match self.signing_key()?.key_type() {
            KeyType::Rsa(bits) => bits / 8,
            other => {
                return Err(cert_err(
                    &format!("certificate {}", self.certificates.len() - 1),
                    format!("{other} key (only RSA-2048 and RSA-4096)"),
                ));
            }
        };
        if leaf != root_sig {
            return Err(CertBlockError::SignatureSize {
                root: root_sig,
                leaf,
            });
        }
        Ok(leaf)
    }

    /// Chain rules (sb2_mbi.md section 2: `cert[0]` self-signed; 1 cert => not CA; several => all
    /// but last CA, last not CA; each verifies with the previous cert's key; X.509 v3; RSA 2048/4096),
    /// `cert[0]`'s RKH is in the RKHT, and if `rkth` is Some the RKTH matches it
    /// ([`rkth_matches`] semantics: 32-byte RKTH in a longer zero-padded field is fine).
    pub fn verify(&self, rkth: Option<&[u8]>) -> Result<(), CertBlockError> {
        if self.certificates.is_empty() {
            return Err(CertBlockError::NoCertificates);
        }
        let mut infos = Vec::with_capacity(self.certificates.len());
        let mut keys = Vec::with_capacity(self.certificates.len());
        for (i, der) in self.certificates.iter().enumerate() {
            let what = format!("certificate {i}");
            let info = CertInfo::parse(der, &what)?;
            keys.push(info.usable_key(&what)?);
            infos.push(info);
        }
        let n = infos.len();
        if !infos[0].signed_by(&keys[0]) {
            return Err(CertBlockError::NotSelfSigned);
        }
        for (i, info) in infos.iter().enumerate() {
            let want_ca = i + 1 < n;
            if info.ca != want_ca {
                return Err(CertBlockError::CaFlag {
                    index: i,
                    count: n,
                    ca: info.ca,
                });
            }
        }
        for i in 1..n {
            if !infos[i].signed_by(&keys[i - 1]) {
                return Err(CertBlockError::ChainSignature { index: i });
            }
        }
        let root_hash = rkh(&keys[0])?;
        if root_index_of(&self.rkht, &keys[0]).is_none() {
            return Err(CertBlockError::RootNotInRkht(to_hex(&root_hash)));
        }
        if let Some(exp) = rkth {
            let actual = self.rkth();
            if !rkth_matches(exp, &actual) {
                return Err(CertBlockError::RkthMismatch {
                    expected: to_hex(exp),
                    actual: to_hex(&actual),
                });
            }
        }
        Ok(())
    }
}

/// What a cert-block-v1 config describes.
#[derive(Debug, Clone, Default)]
pub struct CertBlockV1Spec {
    /// Header build number (`imageBuildNumber`).
    pub build_number: u32,
    /// `rootCertificate0File..3File`, DER (PEM converted by the caller or accept both), 1..=4, no gaps.
    pub root_certs: Vec<Vec<u8>>,
    /// mainRootCertId; None = the root whose key matches `signer_key` (SPSDK behaviour), else 0.
    pub used_root: Option<usize>,
    /// `chainCertificate<used>File0..3`, DER, in order below the root.
    pub chain: Vec<Vec<u8>>,
}

impl CertBlockV1Spec {
    /// Checks the chain rules and builds the block (image_length 0). If `signer_key` is given it
    /// must equal the last certificate's key (else a clear error naming both).
    pub fn build(&self, signer_key: Option<&PublicKey>) -> Result<CertBlockV1, CertBlockError> {
        let n = self.root_certs.len();
        if !(1..=RKHT_ENTRIES).contains(&n) {
            return Err(CertBlockError::KeyCount(n));
        }
        if self.chain.len() > MAX_CHAIN {
            return Err(CertBlockError::ChainLength(self.chain.len()));
        }
        let mut roots = Vec::with_capacity(n);
        let mut rkht = [[0u8; 32]; RKHT_ENTRIES];
        for (i, c) in self.root_certs.iter().enumerate() {
            let what = format!("root certificate {i}");
            let der = certificate_der(c, &what)?;
            let key = CertInfo::parse(&der, &what)?.usable_key(&what)?;
            rkht[i].copy_from_slice(&rkh(&key)?);
            roots.push(der);
        }
        let used = match self.used_root {
            Some(i) if i >= n => return Err(CertBlockError::UsedRoot { index: i, count: n }),
            Some(i) => i,
            None => signer_key
                .and_then(|k| root_index_of(&rkht, k))
                .unwrap_or(0),
        };
        let mut certificates = vec![roots[used].clone()];
        for (i, c) in self.chain.iter().enumerate() {
            certificates.push(certificate_der(
                c,
                &format!("chain certificate {i} of root {used}"),
            )?);
        }
        let block = CertBlockV1 {
            build_number: self.build_number,
            image_length: 0,
            certificates,
            rkht,
        };
        block.verify(None)?;
        if let Some(k) = signer_key {
            block.check_signer(k)?;
        }
        block.signature_len()?;
        Ok(block)
    }
}
