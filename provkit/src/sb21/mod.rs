//! SB2.1 secure binary files (LPC55S0x/1x/2x/6x, RT5xx/6xx): build, decode and verify as the
//! ROM does. Layout (`reference/sb2_mbi.md` section 5):
//!
//! ```text
//! 0x000  96   image header ("STMP"/"sgtl", version 2.1, nonce, block counts, versions)
//! 0x060  32   header HMAC = HMAC-SHA256(MAC, first section's HMAC table)
//! 0x080  80   key blob = RFC 3394 AES-256 key wrap (SBKEK) of DEK || MAC, 8 zero bytes
//! 0x0D0  CB   certificate block v1, zero-padded to 16
//!        32   SHA-256 of all boot-section bytes (only with flag 0x8000)
//!        S    RSA PKCS#1 v1.5 / SHA-256 signature over everything before it
//!        ...  boot sections: TAG (16) | HMAC(TAG) | h x HMAC(command chunk) | commands
//! ```
//!
//! Sections are AES-256-CTR encrypted with DEK, one 16-byte block at a time, with the NXP
//! counter `nonce[0..12] || LE32(LE32(nonce[12..16]) + file_offset / 16)` (wrapping); the
//! header, key blob and certificate block consume counter values without being encrypted.
//! The `h` command HMACs cover chunks of `(blocks / h) * 16` bytes, the last one the rest.
//!
//! * [`Sb21Builder::build`] makes a file; every random input is a field (nonce, DEK, MAC,
//!   timestamp, header padding, LOAD padding), so files are reproducible.
//! * [`decode`] checks a whole file in the ROM's order: header magics and version, key blob
//!   unwrap (wrong KEK), certificate block (and RKTH), signature, SHA-256 (flag 0x8000), then
//!   every section: TAG HMAC, TAG checksum, header HMAC (first section), command HMACs,
//!   command checksums, LOAD CRCs; all sections to the end of the file. Every length is
//!   bounded against the input before any crypto runs over it.
//! * [`Prologue`], [`Sections`] and [`Loader`] are the same checks in pieces, for a loader
//!   that receives the file as a stream (devsim's `receive-sb-file`): [`Loader::push`]
//!   returns the commands of each HMAC chunk once the chunk is verified. Every section must
//!   end within the header's `image_blocks` (checked on its TAG, before anything of it is
//!   buffered); [`Limits`] bound the HMAC table and chunk a loader buffers.
//!
//! Byte compatibility with SPSDK 3.12 (`reference/sb2_mbi.md` section 9):
//! * copied: the header's component version is the product version (bug 1, a builder
//!   field, set by the caller); the header build number is the certificate block's (bug 2,
//!   [`Sb21Builder`] writes its `build_number` into both); LOAD `count` is the padded length
//!   (bug 4, [`Command::Load`] `count_padded`) with zero padding unless given; TAG flags and
//!   section UIDs are fields (SPSDK: 0x8001 and 0, 1, ..; bug 5).
//! * fixed by default: with flag 0x8000 the header's `image_blocks` and
//!   `first_boot_tag_block` count the 32-byte SHA-256 (bug 3); [`BlockCounts::Spsdk`]
//!   writes SPSDK's values (2 blocks fewer). The decoder accepts both forms, and both LOAD
//!   count forms, and reports which it found.
//! * strict: fields SPSDK and elftosb always write as constants (header block counts,
//!   reserved version words, key blob tail, reserved command words) must hold them.

pub mod command;

use crate::certblock::CertBlockError;
use crate::certblock::v1::{self as cbv1, CertBlockV1};
use crate::codec::{DecodeError, DecodeErrorKind, Reader, Writer, to_hex};
use crate::crypto::aes::Aes;
use crate::crypto::{CryptoError, Signer, sha256};
pub use command::Command;
use command::Header as CmdHeader;
use std::fmt;
use zeroize::Zeroizing;

/// Image header size.
pub const HEADER_LEN: usize = 96;
/// HMAC-SHA256 size.
pub const HMAC_LEN: usize = 32;
/// Key blob size (72-byte RFC 3394 wrap + 8 zero bytes).
pub const KEY_BLOB_LEN: usize = 80;
/// RFC 3394 wrap of DEK || MAC.
pub const WRAPPED_KEYS_LEN: usize = 72;
/// Offset of the certificate block (header + header HMAC + key blob).
pub const CERT_BLOCK_OFFSET: usize = HEADER_LEN + HMAC_LEN + KEY_BLOB_LEN;
/// SHA-256 size.
pub const SHA_LEN: usize = 32;
/// Cipher block / SB block size.
pub const BLOCK: usize = 16;
/// Header flag: signed and encrypted (SPSDK's template value).
pub const FLAG_SIGNED: u16 = 0x0008;
/// Header flag: a SHA-256 of the boot sections precedes the signature.
pub const FLAG_SHA: u16 = 0x8000;
/// Section flag: bootable.
pub const SECTION_BOOTABLE: u16 = 0x0001;
/// Section flag: cleartext (SB2.0 certificate sections).
pub const SECTION_CLEARTEXT: u16 = 0x0002;
/// Section flag: last section (SPSDK sets it on every section).
pub const SECTION_LAST: u16 = 0x8000;
/// The TAG flags SPSDK writes on every section.
pub const SPSDK_SECTION_FLAGS: u16 = SECTION_BOOTABLE | SECTION_LAST;
/// Unix time of 2000-01-01T00:00:00Z (the header timestamp's epoch).
pub const Y2K_UNIX: u64 = 946_684_800;
/// Largest certificate table a decoder accepts (bounds what a stream loader buffers).
pub const MAX_CERT_TABLE: usize = 64 * 1024;

const SIGNATURE1: &[u8; 4] = b"STMP";
const SIGNATURE2: &[u8; 4] = b"sgtl";
const HEADER_BLOCKS: u16 = (HEADER_LEN / BLOCK) as u16;
const KEY_BLOB_BLOCK: u16 = ((HEADER_LEN + HMAC_LEN) / BLOCK) as u16;
const KEY_BLOB_BLOCKS: u16 = (KEY_BLOB_LEN / BLOCK) as u16;

/// Why an SB2.1 file was not built, decoded or accepted. Decoding stops at the first check
/// that fails, in the ROM's order.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Sb21Error {
    /// The bytes do not have SB2.1 structure.
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// The certificate block is malformed or does not verify.
    #[error("certificate block: {0}")]
    CertBlock(#[from] CertBlockError),
    /// The SBKEK has the wrong size.
    #[error("the SBKEK must be 32 bytes, not {0}")]
    KekLength(usize),
    /// The key blob does not unwrap.
    #[error(
        "the key blob does not unwrap with this SBKEK (RFC 3394 integrity check failed): wrong KEK"
    )]
    WrongKek,
    /// The RSA signature does not verify.
    #[error(
        "signature over bytes [0, {0}) does not verify with the certificate block's signing key"
    )]
    Signature(usize),
    /// The SHA-256 of the boot sections does not match (flag 0x8000).
    #[error(
        "SHA-256 of the boot sections (from offset {0}) does not match the one before the signature"
    )]
    Sha(usize),
    /// A section's TAG HMAC does not match.
    #[error(
        "section {section} at offset {offset}: the HMAC of its TAG does not match (tampered, or no section starts here)"
    )]
    TagHmac {
        /// Section index.
        section: usize,
        /// File offset of the TAG.
        offset: u64,
    },
    /// The header HMAC does not match the first section's HMAC table.
    #[error("the image header HMAC (offset 0x60) does not match the first section's HMAC table")]
    HeaderHmac,
    /// A command chunk's HMAC does not match.
    #[error(
        "section {section}: HMAC {chunk} of the command area (chunk at offset {offset}) does not match"
    )]
    CommandHmac {
        /// Section index.
        section: usize,
        /// Chunk index.
        chunk: u32,
        /// File offset of the chunk.
        offset: u64,
    },
    /// A section's TAG or a command does not decode (checksum, fields, LOAD CRC).
    #[error("section {section}: {error}")]
    Section {
        /// Section index.
        section: usize,
        /// What failed.
        error: DecodeError,
    },
    /// The signer is not the certificate block's signing key.
    #[error("the signer's public key is not the key of the certificate block's last certificate")]
    SignerMismatch,
    /// The signer returned a signature of the wrong size.
    #[error("the signer returned a {len}-byte signature, expected {expected}")]
    SignatureLength {
        /// Returned.
        len: usize,
        /// Expected.
        expected: usize,
    },
    /// Signing failed.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// A builder input is out of range.
    #[error("{0}")]
    Build(String),
    /// The stream loader was used after it failed.
    #[error("the SB2.1 loader stopped at an earlier error")]
    Stopped,
}

/// A version `major.minor.patch` of the header: each part a BCD value (`"1.2.3"`,
/// `"12.34.5678"`), stored big-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Version {
    /// Major (BCD).
    pub major: u16,
    /// Minor (BCD).
    pub minor: u16,
    /// Patch / service (BCD).
    pub patch: u16,
}

impl Version {
    /// Parses `x.y.z` as SPSDK does: three parts of 1..4 hex digits that are valid BCD.
    pub fn parse(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        if parts.len() != 3 {
            return Err(format!(
                "'{text}' is not a version x.y.z (three parts separated by dots)"
            ));
        }
        let mut nums = [0u16; 3];
        for (n, p) in nums.iter_mut().zip(&parts) {
            let p = p.trim();
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "'{text}': each part of a version must be 1 to 4 decimal digits (BCD)"
                ));
            }
            *n = u16::from_str_radix(p, 16).map_err(|e| format!("'{text}': {e}"))?;
        }
        Ok(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
        })
    }

    fn encode_into(&self, w: &mut Writer) {
        for v in [self.major, self.minor, self.patch] {
            w.u16_be(v).u16_le(0);
        }
    }

    fn decode(r: &mut Reader<'_>, what: &'static str) -> Result<Version, DecodeError> {
        let mut nums = [0u16; 3];
        for n in nums.iter_mut() {
            *n = r.u16_be(what)?;
            let at = r.offset();
            if r.u16_le(what)? != 0 {
                return Err(DecodeError::invalid(
                    what,
                    at,
                    "the reserved word after a version part is not zero",
                ));
            }
        }
        Ok(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:X}.{:X}.{:X}", self.major, self.minor, self.patch)
    }
}

/// The 96-byte image header (the fields that vary; the rest are constants checked on decode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageHeader {
    /// Nonce ("digest"), also the AES-CTR nonce.
    pub nonce: [u8; 16],
    /// Header padding: bytes 0..4 at 0x10, bytes 4..8 at 0x5C.
    pub padding: [u8; 8],
    /// [`FLAG_SIGNED`], [`FLAG_SHA`].
    pub flags: u16,
    /// File size in 16-byte blocks (SPSDK with flag 0x8000: 2 fewer).
    pub image_blocks: u32,
    /// Block of the first section's TAG (SPSDK with flag 0x8000: 2 fewer).
    pub first_boot_tag_block: u32,
    /// UID of the first section.
    pub first_boot_section_id: u32,
    /// SPSDK: sum of the sections' HMAC counts.
    pub max_section_mac_count: u16,
    /// Microseconds since 2000-01-01T00:00:00Z.
    pub timestamp: u64,
    /// Product version.
    pub product_version: Version,
    /// Component version.
    pub component_version: Version,
    /// Build number.
    pub build_number: u32,
}

impl ImageHeader {
    /// The 96 bytes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut w = Writer::with_capacity(HEADER_LEN);
        w.bytes(&self.nonce)
            .bytes(&self.padding[..4])
            .bytes(SIGNATURE1)
            .u8(2)
            .u8(1)
            .u16_le(self.flags)
            .u32_le(self.image_blocks)
            .u32_le(self.first_boot_tag_block)
            .u32_le(self.first_boot_section_id)
            .u32_le(CERT_BLOCK_OFFSET as u32)
            .u16_le(HEADER_BLOCKS)
            .u16_le(KEY_BLOB_BLOCK)
            .u16_le(KEY_BLOB_BLOCKS)
            .u16_le(self.max_section_mac_count)
            .bytes(SIGNATURE2)
            .u64_le(self.timestamp);
        self.product_version.encode_into(&mut w);
        self.component_version.encode_into(&mut w);
        w.u32_le(self.build_number).bytes(&self.padding[4..]);
        let mut out = [0u8; HEADER_LEN];
        out.copy_from_slice(w.as_slice());
        out
    }

    /// Decodes the 96 bytes at the start of `buf`: magics, version 2.1, and the constant
    /// offsets (certificate block at 208, 6 header blocks, key blob at block 8, 5 blocks).
    pub fn decode(buf: &[u8]) -> Result<ImageHeader, DecodeError> {
        let mut r = Reader::new(buf);
        let nonce = r.array::<16>("nonce")?;
        let pad0 = r.array::<4>("header padding")?;
        let sig1 = r.array::<4>("SB2 signature")?;
        if &sig1 != SIGNATURE1 {
            return Err(DecodeError::invalid(
                "SB2 signature",
                0x14,
                format!(
                    "expected \"STMP\", found {}: not an SB2 file",
                    to_hex(&sig1)
                ),
            ));
        }
        let major = r.u8("SB2 major version")?;
        let minor = r.u8("SB2 minor version")?;
        if (major, minor) != (2, 1) {
            return Err(DecodeError::invalid(
                "SB2 version",
                0x18,
                format!("{major}.{minor} (only 2.1 is supported)"),
            ));
        }
        let flags = r.u16_le("flags")?;
        let image_blocks = r.u32_le("image blocks")?;
        let first_boot_tag_block = r.u32_le("first boot tag block")?;
        let first_boot_section_id = r.u32_le("first boot section id")?;
        let constant = |r: &mut Reader<'_>,
                        what: &'static str,
                        at: usize,
                        want: u32,
                        wide: bool|
         -> Result<(), DecodeError> {
            let v = if wide {
                r.u32_le(what)?
            } else {
                u32::from(r.u16_le(what)?)
            };
            if v != want {
                return Err(DecodeError::invalid(
                    what,
                    at,
                    format!("{v}, must be {want}"),
                ));
            }
            Ok(())
        };
        constant(
            &mut r,
            "offset to certificate block",
            0x28,
            CERT_BLOCK_OFFSET as u32,
            true,
        )?;
        constant(&mut r, "header blocks", 0x2C, HEADER_BLOCKS.into(), false)?;
        constant(&mut r, "key blob block", 0x2E, KEY_BLOB_BLOCK.into(), false)?;
        constant(
            &mut r,
            "key blob block count",
            0x30,
            KEY_BLOB_BLOCKS.into(),
            false,
        )?;
        let max_section_mac_count = r.u16_le("max section MAC count")?;
        let sig2 = r.array::<4>("SB2 signature 2")?;
        if &sig2 != SIGNATURE2 {
            return Err(DecodeError::invalid(
                "SB2 signature 2",
                0x34,
                format!("expected \"sgtl\", found {}", to_hex(&sig2)),
            ));
        }
        let timestamp = r.u64_le("timestamp")?;
        let product_version = Version::decode(&mut r, "product version")?;
        let component_version = Version::decode(&mut r, "component version")?;
        let build_number = r.u32_le("build number")?;
        let pad1 = r.array::<4>("header padding")?;
        let mut padding = [0u8; 8];
        padding[..4].copy_from_slice(&pad0);
        padding[4..].copy_from_slice(&pad1);
        Ok(ImageHeader {
            nonce,
            padding,
            flags,
            image_blocks,
            first_boot_tag_block,
            first_boot_section_id,
            max_section_mac_count,
            timestamp,
            product_version,
            component_version,
            build_number,
        })
    }

    /// True when a SHA-256 of the sections precedes the signature.
    pub fn has_sha(&self) -> bool {
        self.flags & FLAG_SHA != 0
    }

    /// The timestamp as Unix seconds, when it is a whole second.
    pub fn unix_timestamp(&self) -> Option<u64> {
        (self.timestamp % 1_000_000 == 0).then(|| self.timestamp / 1_000_000 + Y2K_UNIX)
    }
}

/// How the header's `image_blocks` and `first_boot_tag_block` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlockCounts {
    /// The true values.
    #[default]
    True,
    /// SPSDK 3.12 with flag 0x8000: both 2 blocks short (the SHA-256 not counted).
    Spsdk,
}

/// The DEK (AES-256-CTR key) and MAC key (HMAC-SHA256) of a file. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    /// Data encryption key.
    pub dek: Zeroizing<[u8; 32]>,
    /// MAC key.
    pub mac: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// From the two keys.
    pub fn new(dek: [u8; 32], mac: [u8; 32]) -> Keys {
        Keys {
            dek: Zeroizing::new(dek),
            mac: Zeroizing::new(mac),
        }
    }

    /// Fresh random keys (SPSDK's default).
    pub fn random() -> Keys {
        use rand_core::RngCore;
        let mut k = Keys::new([0; 32], [0; 32]);
        rand_core::OsRng.fill_bytes(&mut k.dek[..]);
        rand_core::OsRng.fill_bytes(&mut k.mac[..]);
        k
    }

    /// The 80-byte key blob: RFC 3394 AES-256 key wrap of DEK || MAC, then 8 zero bytes.
    pub fn wrap(&self, kek: &[u8]) -> Result<[u8; KEY_BLOB_LEN], Sb21Error> {
        let kek = kek_array(kek)?;
        let mut plain = Zeroizing::new([0u8; 64]);
        plain[..32].copy_from_slice(&self.dek[..]);
        plain[32..].copy_from_slice(&self.mac[..]);
        let mut out = [0u8; KEY_BLOB_LEN];
        aes_kw::KekAes256::from(*kek)
            .wrap(&plain[..], &mut out[..WRAPPED_KEYS_LEN])
            .map_err(|e| Sb21Error::Build(format!("key wrap: {e}")))?;
        Ok(out)
    }

    /// Unwraps a key blob with `kek` ([`Sb21Error::WrongKek`] when the integrity check
    /// fails).
    pub fn unwrap(kek: &[u8], blob: &[u8; KEY_BLOB_LEN]) -> Result<Keys, Sb21Error> {
        let kek = kek_array(kek)?;
        let mut plain = Zeroizing::new([0u8; 64]);
        aes_kw::KekAes256::from(*kek)
            .unwrap(&blob[..WRAPPED_KEYS_LEN], &mut plain[..])
            .map_err(|_| Sb21Error::WrongKek)?;
        let mut k = Keys::new([0; 32], [0; 32]);
        k.dek.copy_from_slice(&plain[..32]);
        k.mac.copy_from_slice(&plain[32..]);
        Ok(k)
    }
}

fn kek_array(kek: &[u8]) -> Result<Zeroizing<[u8; 32]>, Sb21Error> {
    let arr: [u8; 32] = kek
        .try_into()
        .map_err(|_| Sb21Error::KekLength(kek.len()))?;
    Ok(Zeroizing::new(arr))
}

/// A random nonce as SPSDK makes it (bit 7 of bytes 9 and 13 cleared, so the counter
/// cannot overflow).
pub fn random_nonce() -> [u8; 16] {
    use rand_core::RngCore;
    let mut n = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut n);
    n[9] &= 0x7F;
    n[13] &= 0x7F;
    n
}

/// Random header padding (SPSDK's default without `zeroPadding`).
pub fn random_padding() -> [u8; 8] {
    use rand_core::RngCore;
    let mut p = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut p);
    p
}

/// HMAC-SHA256 with a 32-byte key (the SB2.1 MAC key).
pub fn hmac(key: &[u8; 32], data: &[u8]) -> [u8; 32] {
    crate::crypto::hmac_sha256(key, data)
}

/// AES-256-CTR with the NXP counter: the keystream block for file block `i` is
/// `AES(DEK, nonce[0..12] || LE32(LE32(nonce[12..16]) + i))`.
pub struct Ctr {
    aes: Aes,
    nonce: [u8; 16],
}

impl fmt::Debug for Ctr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ctr(..)")
    }
}

impl Ctr {
    /// From the DEK and the header nonce.
    pub fn new(keys: &Keys, nonce: &[u8; 16]) -> Result<Ctr, Sb21Error> {
        Ok(Ctr {
            aes: Aes::new(&keys.dek[..]).map_err(|e| Sb21Error::Build(e.to_string()))?,
            nonce: *nonce,
        })
    }

    /// En/decrypts `data` in place; its first byte is at file block `first_block`. A
    /// partial last block uses the start of its keystream block.
    pub fn apply(&self, first_block: u64, data: &mut [u8]) {
        let base = u32::from_le_bytes([
            self.nonce[12],
            self.nonce[13],
            self.nonce[14],
            self.nonce[15],
        ]);
        for (i, chunk) in data.chunks_mut(BLOCK).enumerate() {
            let mut cb = self.nonce;
            let n = base.wrapping_add(first_block.wrapping_add(i as u64) as u32);
            cb[12..].copy_from_slice(&n.to_le_bytes());
            self.aes.encrypt_block(&mut cb);
            for (d, k) in chunk.iter_mut().zip(cb.iter()) {
                *d ^= k;
            }
        }
    }
}

fn pad16(n: usize) -> usize {
    n.div_ceil(BLOCK) * BLOCK
}

fn truncated(what: &'static str, offset: usize, needed: usize, available: usize) -> DecodeError {
    DecodeError {
        what,
        offset,
        kind: DecodeErrorKind::Truncated { needed, available },
    }
}

/// Everything before the first boot section: header, header HMAC, key blob, certificate
/// block, optional SHA-256, signature. Decoded without crypto; [`Prologue::unwrap_keys`]
/// and [`Prologue::verify`] run the checks.
#[derive(Debug, Clone)]
pub struct Prologue {
    /// The header.
    pub header: ImageHeader,
    /// HMAC of the first section's HMAC table.
    pub header_hmac: [u8; 32],
    /// The key blob.
    pub key_blob: [u8; KEY_BLOB_LEN],
    /// The certificate block.
    pub cert_block: CertBlockV1,
    /// Its size in the file (padded to 16).
    pub cert_block_len: usize,
    /// SHA-256 of the boot sections (flag 0x8000).
    pub sha: Option<[u8; 32]>,
    /// The RSA signature.
    pub signature: Vec<u8>,
    /// How `first_boot_tag_block` counts.
    pub block_counts: BlockCounts,
    signed: Vec<u8>,
}

impl Prologue {
    /// How many bytes the prologue of a file starting with `buf` takes: None while `buf` is
    /// too short to tell. Checks the header and the certificate block's structure.
    pub fn required_len(buf: &[u8]) -> Result<Option<usize>, Sb21Error> {
        if buf.len() < HEADER_LEN {
            return Ok(None);
        }
        let header = ImageHeader::decode(buf)?;
        let cb_at = CERT_BLOCK_OFFSET;
        let Some(cb_head) = buf.get(cb_at..cb_at + cbv1::HEADER_LEN) else {
            return Ok(None);
        };
        let table_len =
            u32::from_le_bytes([cb_head[0x1C], cb_head[0x1D], cb_head[0x1E], cb_head[0x1F]])
                as usize;
        if table_len > MAX_CERT_TABLE {
            return Err(DecodeError::invalid(
                "certificate block v1 certificate table length",
                cb_at + 0x1C,
                format!("{table_len} bytes (at most {MAX_CERT_TABLE})"),
            )
            .into());
        }
        let extent = cbv1::HEADER_LEN + table_len + cbv1::RKHT_LEN;
        let Some(cb_bytes) = buf.get(cb_at..cb_at + extent) else {
            return Ok(None);
        };
        let (cb, n) = CertBlockV1::decode_prefix(cb_bytes).map_err(|e| shift_cert_err(e, cb_at))?;
        if n != extent {
            return Err(DecodeError::invalid(
                "certificate block v1",
                cb_at,
                format!("{n} bytes decoded, its header says {extent}"),
            )
            .into());
        }
        let sig_len = cb.signature_len()?;
        let sha = if header.has_sha() { SHA_LEN } else { 0 };
        Ok(Some(cb_at + pad16(extent) + sha + sig_len))
    }

    /// Decodes the prologue at the start of `buf` (which may hold more: the sections).
    pub fn decode(buf: &[u8]) -> Result<Prologue, Sb21Error> {
        let len = match Prologue::required_len(buf)? {
            Some(n) if n <= buf.len() => n,
            Some(n) => return Err(truncated("SB2.1 prologue", buf.len(), n, buf.len()).into()),
            None => {
                return Err(truncated(
                    "SB2.1 header and certificate block",
                    buf.len(),
                    CERT_BLOCK_OFFSET + cbv1::HEADER_LEN,
                    buf.len(),
                )
                .into());
            }
        };
        let header = ImageHeader::decode(buf)?;
        let mut r = Reader::new(&buf[..len]);
        r.take(HEADER_LEN, "header")?;
        let header_hmac = r.array::<HMAC_LEN>("header HMAC")?;
        let key_blob = r.array::<KEY_BLOB_LEN>("key blob")?;
        if key_blob[WRAPPED_KEYS_LEN..].iter().any(|&b| b != 0) {
            return Err(DecodeError::invalid(
                "key blob",
                0x80 + WRAPPED_KEYS_LEN,
                "the 8 bytes after the wrapped keys are not zero",
            )
            .into());
        }
        let (cert_block, n) = CertBlockV1::decode_prefix(r.rest())
            .map_err(|e| shift_cert_err(e, CERT_BLOCK_OFFSET))?;
        let mut r = Reader::new(&buf[..len]);
        r.take(CERT_BLOCK_OFFSET + n, "certificate block")?;
        let cert_block_len = pad16(n);
        let cb_pad = r.take(cert_block_len - n, "certificate block padding")?;
        if cb_pad.iter().any(|&b| b != 0) {
            return Err(DecodeError::invalid(
                "certificate block padding",
                CERT_BLOCK_OFFSET + n,
                "not zero",
            )
            .into());
        }
        let after_cb = CERT_BLOCK_OFFSET + cert_block_len;
        if cert_block.image_length as usize != after_cb {
            return Err(DecodeError::invalid(
                "certificate block v1 image length",
                CERT_BLOCK_OFFSET + 0x14,
                format!(
                    "{}, must be {after_cb} (header + HMAC + key blob + certificate block)",
                    cert_block.image_length
                ),
            )
            .into());
        }
        let sha = if header.has_sha() {
            Some(r.array::<SHA_LEN>("SHA-256 of the boot sections")?)
        } else {
            None
        };
        let signed_len = r.offset();
        let signature = r.rest().to_vec();
        let true_block = (len / BLOCK) as u64;
        let block_counts = if u64::from(header.first_boot_tag_block) == true_block {
            BlockCounts::True
        } else if header.has_sha() && u64::from(header.first_boot_tag_block) + 2 == true_block {
            BlockCounts::Spsdk
        } else {
            return Err(DecodeError::invalid(
                "first boot tag block",
                0x20,
                format!(
                    "{}, but the first section starts at block {true_block}",
                    header.first_boot_tag_block
                ),
            )
            .into());
        };
        Ok(Prologue {
            header,
            header_hmac,
            key_blob,
            cert_block,
            cert_block_len,
            sha,
            signature,
            block_counts,
            signed: buf[..signed_len].to_vec(),
        })
    }

    /// Offset of the signature (= bytes it covers).
    pub fn signature_offset(&self) -> usize {
        self.signed.len()
    }

    /// Length of the file its header announces: `image_blocks` x 16, plus the 32-byte
    /// SHA-256 when the header counts blocks as SPSDK does with flag 0x8000.
    pub fn image_len(&self) -> u64 {
        let sha = match self.block_counts {
            BlockCounts::Spsdk => SHA_LEN as u64,
            BlockCounts::True => 0,
        };
        u64::from(self.header.image_blocks) * BLOCK as u64 + sha
    }

    /// Offset of the first boot section (= length of the prologue).
    pub fn len(&self) -> usize {
        self.signed.len() + self.signature.len()
    }

    /// Never true (a prologue has a header); for symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Unwraps the key blob.
    pub fn unwrap_keys(&self, kek: &[u8]) -> Result<Keys, Sb21Error> {
        Keys::unwrap(kek, &self.key_blob)
    }

    /// Checks the certificate block (chain rules, root key in the RKHT, `rkth` when given)
    /// and the signature. Returns the RKTH.
    pub fn verify(&self, rkth: Option<&[u8]>) -> Result<[u8; 32], Sb21Error> {
        self.cert_block.verify(rkth)?;
        let key = self.cert_block.signing_key()?;
        key.verify(&self.signed, &self.signature, cbv1::SCHEME)
            .map_err(|_| Sb21Error::Signature(self.signed.len()))?;
        Ok(self.cert_block.rkth())
    }

    /// The bytes the signature covers.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// Checks the SHA-256 of the boot sections (no-op without flag 0x8000).
    pub fn check_sha(&self, sections: &[u8]) -> Result<(), Sb21Error> {
        match &self.sha {
            Some(s) if sha256(sections) != *s => Err(Sb21Error::Sha(self.len())),
            _ => Ok(()),
        }
    }

    /// Checks the header's `image_blocks` against the file length (both forms) and that
    /// it is whole blocks.
    pub fn check_image_blocks(&self, file_len: u64) -> Result<BlockCounts, Sb21Error> {
        if file_len % BLOCK as u64 != 0 {
            return Err(DecodeError::invalid(
                "SB2.1 file",
                file_len as usize,
                format!("{file_len} bytes is not a whole number of 16-byte blocks"),
            )
            .into());
        }
        let blocks = file_len / BLOCK as u64;
        let ib = u64::from(self.header.image_blocks);
        if ib == blocks {
            Ok(BlockCounts::True)
        } else if self.header.has_sha() && ib + 2 == blocks {
            Ok(BlockCounts::Spsdk)
        } else {
            Err(DecodeError::invalid(
                "image blocks",
                0x1C,
                format!("{ib}, but the file has {blocks} blocks"),
            )
            .into())
        }
    }
}

fn shift_cert_err(e: CertBlockError, by: usize) -> Sb21Error {
    match e {
        CertBlockError::Decode(mut d) => {
            d.offset += by;
            Sb21Error::Decode(d)
        }
        other => other.into(),
    }
}

/// A section's TAG, decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionHeader {
    /// Position in the file (0 = first).
    pub index: usize,
    /// File offset of the TAG.
    pub offset: u64,
    /// Section UID (TAG address).
    pub uid: u32,
    /// TAG flags ([`SECTION_BOOTABLE`], [`SECTION_LAST`], ...).
    pub flags: u16,
    /// Command area size in 16-byte blocks.
    pub blocks: u32,
    /// Number of command-area HMACs.
    pub hmac_count: u32,
}

impl SectionHeader {
    /// Bytes of the section in the file.
    pub fn len(&self) -> u64 {
        (BLOCK + HMAC_LEN) as u64
            + u64::from(self.hmac_count) * HMAC_LEN as u64
            + u64::from(self.blocks) * BLOCK as u64
    }

    /// Never true (a section has a TAG); for symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Size in blocks of HMAC chunk `i` (SPSDK: `blocks / h` each, the last the rest).
    pub fn chunk_blocks(&self, i: u32) -> u64 {
        let each = u64::from(self.blocks / self.hmac_count.max(1));
        if i + 1 < self.hmac_count {
            each
        } else {
            u64::from(self.blocks) - each * u64::from(self.hmac_count.saturating_sub(1))
        }
    }
}

/// What the section decoder found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The prologue verified (stream [`Loader`] only).
    Authenticated {
        /// RKTH of the certificate block.
        rkth: [u8; 32],
    },
    /// A section starts (its TAG, HMAC table and, for the first, the header HMAC verified).
    Section(SectionHeader),
    /// A command, verified (chunk HMAC, checksum, LOAD CRC) and decrypted.
    Command(Command),
    /// The current section ended.
    SectionEnd,
}

/// Bounds a stream loader puts on what it buffers before it can verify it (a ROM's
/// buffers). Checked on each section's TAG, before its HMAC table or commands are taken.
/// The default bounds nothing beyond the file format (a section must end within the
/// header's `image_blocks`, which is always checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most command-area HMACs one section may have (its HMAC table is buffered whole).
    pub max_hmac_count: u32,
    /// Largest HMAC chunk in bytes (a chunk is buffered whole before its HMAC is checked).
    pub max_chunk: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_hmac_count: u32::MAX,
            max_chunk: u64::MAX,
        }
    }
}

enum SectionState {
    Head,
    Body {
        head: SectionHeader,
        hmacs: Vec<[u8; 32]>,
        chunk: u32,
        plain: Zeroizing<Vec<u8>>,
    },
}

/// The boot sections, decoded as they arrive: TAG HMAC, TAG, header HMAC (first section),
/// HMAC table, then chunk by chunk: chunk HMAC, decryption, commands.
pub struct Sections {
    ctr: Ctr,
    mac: Zeroizing<[u8; 32]>,
    header_hmac: [u8; 32],
    first_uid: u32,
    max_mac_count: u16,
    end: u64,
    limits: Limits,
    offset: u64,
    index: usize,
    state: SectionState,
}

impl fmt::Debug for Sections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Sections {{ offset: {}, index: {} }}",
            self.offset, self.index
        )
    }
}

impl Sections {
    /// Starts at the first section of `prologue`'s file, with the unwrapped keys.
    pub fn new(prologue: &Prologue, keys: &Keys) -> Result<Sections, Sb21Error> {
        Ok(Sections {
            ctr: Ctr::new(keys, &prologue.header.nonce)?,
            mac: keys.mac.clone(),
            header_hmac: prologue.header_hmac,
            first_uid: prologue.header.first_boot_section_id,
            max_mac_count: prologue.header.max_section_mac_count,
            end: prologue.image_len(),
            limits: Limits::default(),
            offset: prologue.len() as u64,
            index: 0,
            state: SectionState::Head,
        })
    }

    /// Bounds what the decoder buffers (see [`Limits`]).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// File offset of the next byte expected.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Sections fully decoded so far.
    pub fn sections_done(&self) -> usize {
        self.index
    }

    /// True between sections (where a file may end).
    pub fn at_boundary(&self) -> bool {
        matches!(self.state, SectionState::Head)
    }

    /// Decodes what `input` (the bytes at [`Sections::offset`]) holds of whole units (a
    /// section head with its HMAC table, an HMAC chunk); returns how many bytes it took.
    /// Call again with the rest plus new bytes.
    pub fn feed(&mut self, input: &[u8], events: &mut Vec<Event>) -> Result<usize, Sb21Error> {
        let mut used = 0usize;
        loop {
            let rest = &input[used..];
            let step = match self.state {
                SectionState::Head => self.head(rest, events)?,
                SectionState::Body { .. } => self.chunk(rest, events)?,
            };
            // `Some(0)` is progress too (a chunk of an empty command area): every step
            // either takes bytes or advances the bounded chunk counter.
            match step {
                Some(n) => {
                    used += n;
                    self.offset += n as u64;
                }
                None => return Ok(used),
            }
        }
    }

    fn section_err(&self, error: DecodeError) -> Sb21Error {
        Sb21Error::Section {
            section: self.index,
            error,
        }
    }

    fn head(&mut self, input: &[u8], events: &mut Vec<Event>) -> Result<Option<usize>, Sb21Error> {
        if !input.is_empty() && self.offset >= self.end {
            return Err(DecodeError::invalid(
                "image end",
                self.offset as usize,
                format!(
                    "data after the end of the image ({} bytes by its header's image blocks)",
                    self.end
                ),
            )
            .into());
        }
        let (Some(enc_tag), Some(tag_hmac)) =
            (input.get(..BLOCK), input.get(BLOCK..BLOCK + HMAC_LEN))
        else {
            return Ok(None);
        };
        if hmac(&self.mac, enc_tag) != tag_hmac {
            return Err(Sb21Error::TagHmac {
                section: self.index,
                offset: self.offset,
            });
        }
        let mut tag = [0u8; BLOCK];
        tag.copy_from_slice(enc_tag);
        self.ctr.apply(self.offset / BLOCK as u64, &mut tag);
        let at = self.offset as usize;
        let h = CmdHeader::decode(&tag, at).map_err(|e| self.section_err(e))?;
        if h.tag != command::tag::TAG {
            return Err(self.section_err(DecodeError::invalid(
                "section TAG",
                at,
                format!(
                    "the first block of a section is a {} command, not a TAG",
                    command::tag_name(h.tag)
                ),
            )));
        }
        if h.data == 0 {
            return Err(self.section_err(DecodeError::invalid(
                "section HMAC count",
                at,
                "0 (at least one HMAC covers the commands)",
            )));
        }
        if h.data > u32::from(self.max_mac_count) {
            return Err(self.section_err(DecodeError::invalid(
                "section HMAC count",
                at,
                format!(
                    "{}, more than the header's max section MAC count {}",
                    h.data, self.max_mac_count
                ),
            )));
        }
        if h.data > self.limits.max_hmac_count {
            return Err(self.section_err(DecodeError::invalid(
                "section HMAC count",
                at,
                format!(
                    "{}, more than the loader takes ({})",
                    h.data, self.limits.max_hmac_count
                ),
            )));
        }
        if self.index == 0 && h.address != self.first_uid {
            return Err(self.section_err(DecodeError::invalid(
                "section UID",
                at,
                format!(
                    "{}, but the header's first boot section id is {}",
                    h.address, self.first_uid
                ),
            )));
        }
        let head = SectionHeader {
            index: self.index,
            offset: self.offset,
            uid: h.address,
            flags: h.flags,
            blocks: h.count,
            hmac_count: h.data,
        };
        // Bound what is buffered before its HMAC can be checked (CVE-2022-22819 was an
        // unchecked length in the LPC55 ROM's SB2 parser).
        if self.offset.saturating_add(head.len()) > self.end {
            return Err(self.section_err(DecodeError::invalid(
                "section length",
                at,
                format!(
                    "{} bytes from offset {} run past the end of the image ({} bytes)",
                    head.len(),
                    self.offset,
                    self.end
                ),
            )));
        }
        let largest = head.chunk_blocks(h.data - 1).saturating_mul(BLOCK as u64);
        if largest > self.limits.max_chunk {
            return Err(self.section_err(DecodeError::invalid(
                "section length",
                at,
                format!(
                    "an HMAC chunk of {largest} bytes, more than the loader buffers ({})",
                    self.limits.max_chunk
                ),
            )));
        }
        let table_end = BLOCK + HMAC_LEN * (1 + h.data as usize);
        let Some(table) = input.get(BLOCK..table_end) else {
            return Ok(None);
        };
        if self.index == 0 && hmac(&self.mac, table) != self.header_hmac {
            return Err(Sb21Error::HeaderHmac);
        }
        let hmacs = table[HMAC_LEN..]
            .chunks_exact(HMAC_LEN)
            .map(|c| {
                let mut a = [0u8; 32];
                a.copy_from_slice(c);
                a
            })
            .collect();
        events.push(Event::Section(head));
        self.state = SectionState::Body {
            head,
            hmacs,
            chunk: 0,
            plain: Zeroizing::new(Vec::new()),
        };
        Ok(Some(table_end))
    }

    fn chunk(&mut self, input: &[u8], events: &mut Vec<Event>) -> Result<Option<usize>, Sb21Error> {
        let index = self.index;
        let offset = self.offset;
        let SectionState::Body {
            head,
            hmacs,
            chunk,
            plain,
        } = &mut self.state
        else {
            return Ok(None);
        };
        let i = *chunk;
        let len = head.chunk_blocks(i).saturating_mul(BLOCK as u64);
        let Some(enc) = usize::try_from(len).ok().and_then(|l| input.get(..l)) else {
            return Ok(None);
        };
        let expected = hmacs.get(i as usize).copied().unwrap_or([0; 32]);
        if hmac(&self.mac, enc) != expected {
            return Err(Sb21Error::CommandHmac {
                section: index,
                chunk: i,
                offset,
            });
        }
        // `plain` holds this section's decrypted bytes not yet parsed; they start at `base`.
        let base = offset - plain.len() as u64;
        let start = plain.len();
        plain.extend_from_slice(enc);
        self.ctr.apply(offset / BLOCK as u64, &mut plain[start..]);
        *chunk += 1;
        let last = *chunk >= head.hmac_count;
        let sect_err = |error: DecodeError| Sb21Error::Section {
            section: index,
            error,
        };
        let mut pos = 0usize;
        while plain.len() - pos >= command::HEADER_LEN {
            let at = (base + pos as u64) as usize;
            let mut hb = [0u8; command::HEADER_LEN];
            hb.copy_from_slice(&plain[pos..pos + command::HEADER_LEN]);
            let h = CmdHeader::decode(&hb, at).map_err(sect_err)?;
            let need = if h.tag == command::tag::LOAD {
                command::HEADER_LEN as u64 + u64::from(h.count).div_ceil(16) * 16
            } else {
                command::HEADER_LEN as u64
            };
            if ((plain.len() - pos) as u64) < need {
                if last {
                    return Err(sect_err(DecodeError::invalid(
                        "LOAD count",
                        at + 8,
                        format!(
                            "{} bytes of payload run past the end of the section",
                            h.count
                        ),
                    )));
                }
                break;
            }
            let need = need as usize;
            let mut r = Reader::new(&plain[pos..pos + need]);
            let cmd = Command::decode(&mut r).map_err(|mut error| {
                error.offset += at;
                sect_err(error)
            })?;
            events.push(Event::Command(cmd));
            pos += need;
        }
        if last && pos != plain.len() {
            return Err(sect_err(DecodeError::invalid(
                "command",
                (base + pos as u64) as usize,
                format!(
                    "{} bytes at the end of the section are not a whole command",
                    plain.len() - pos
                ),
            )));
        }
        plain.drain(..pos);
        let taken = enc.len();
        if last {
            events.push(Event::SectionEnd);
            self.index += 1;
            self.state = SectionState::Head;
        }
        Ok(Some(taken))
    }
}

/// A whole file, decoded and verified by [`decode`].
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Header, key blob, certificate block, SHA, signature.
    pub prologue: Prologue,
    /// DEK and MAC key from the key blob.
    pub keys: Keys,
    /// RKTH of the certificate block.
    pub rkth: [u8; 32],
    /// Every section with its commands.
    pub sections: Vec<DecodedSection>,
    /// How the header counts blocks (`image_blocks` and `first_boot_tag_block` agree).
    pub block_counts: BlockCounts,
}

/// One decoded section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedSection {
    /// Its TAG.
    pub header: SectionHeader,
    /// Its commands.
    pub commands: Vec<Command>,
}

/// Decodes and verifies a whole SB2.1 file in the ROM's order (see the module doc) with the
/// SBKEK `kek`; `rkth`, when given, must match the certificate block's RKTH.
pub fn decode(file: &[u8], kek: &[u8], rkth: Option<&[u8]>) -> Result<Decoded, Sb21Error> {
    let prologue = Prologue::decode(file)?;
    let keys = prologue.unwrap_keys(kek)?;
    let rkth = prologue.verify(rkth)?;
    let body = &file[prologue.len()..];
    prologue.check_sha(body)?;
    let mut sections = Sections::new(&prologue, &keys)?;
    let mut events = Vec::new();
    let used = sections.feed(body, &mut events)?;
    finish_sections(&sections, used == body.len(), file.len() as u64)?;
    let block_counts = prologue.check_image_blocks(file.len() as u64)?;
    if block_counts != prologue.block_counts {
        return Err(DecodeError::invalid(
            "image blocks",
            0x1C,
            "counts the SHA-256 differently from first boot tag block",
        )
        .into());
    }
    let mut out: Vec<DecodedSection> = Vec::new();
    for e in events {
        match e {
            Event::Section(header) => out.push(DecodedSection {
                header,
                commands: Vec::new(),
            }),
            Event::Command(c) => {
                if let Some(s) = out.last_mut() {
                    s.commands.push(c);
                }
            }
            Event::SectionEnd | Event::Authenticated { .. } => {}
        }
    }
    Ok(Decoded {
        prologue,
        keys,
        rkth,
        sections: out,
        block_counts,
    })
}

/// End-of-input checks of the section decoder: at least one section, none cut short.
fn finish_sections(s: &Sections, all_taken: bool, file_len: u64) -> Result<(), Sb21Error> {
    if !all_taken || !s.at_boundary() {
        let what = if s.at_boundary() {
            "section TAG and HMAC table"
        } else {
            "section command area"
        };
        return Err(Sb21Error::Section {
            section: s.sections_done(),
            error: DecodeError::invalid(
                what,
                s.offset() as usize,
                format!(
                    "truncated: the file ends at {file_len} inside section {}",
                    s.sections_done()
                ),
            ),
        });
    }
    if s.sections_done() == 0 {
        return Err(DecodeError::invalid(
            "boot sections",
            s.offset() as usize,
            "the file has no boot section",
        )
        .into());
    }
    Ok(())
}

enum Stage {
    Prologue,
    Sections {
        prologue: Box<Prologue>,
        sections: Box<Sections>,
        sha: Option<sha2::Sha256>,
    },
    Failed,
}

/// The ROM's SB2.1 loader as a stream: feed the file in pieces as `receive-sb-file` delivers
/// it; commands come out once their HMAC chunk is verified. Same checks as [`decode`];
/// with flag 0x8000 the SHA-256 of the sections is checked by [`Loader::finish`] (after the
/// commands were released: a loader that must not act before it can buffer the file and
/// use [`decode`]).
pub struct Loader {
    kek: Zeroizing<Vec<u8>>,
    rkth: Option<Vec<u8>>,
    limits: Limits,
    pending: Vec<u8>,
    received: u64,
    stage: Stage,
}

impl fmt::Debug for Loader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Loader {{ received: {} }}", self.received)
    }
}

impl Loader {
    /// A loader with the device's SBKEK and (when the device has one) RKTH.
    pub fn new(kek: &[u8], rkth: Option<&[u8]>) -> Loader {
        Loader {
            kek: Zeroizing::new(kek.to_vec()),
            rkth: rkth.map(<[u8]>::to_vec),
            limits: Limits::default(),
            pending: Vec::new(),
            received: 0,
            stage: Stage::Prologue,
        }
    }

    /// Bounds what the loader buffers before it verifies it (see [`Limits`]); set before
    /// the first section arrives.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        if let Stage::Sections { sections, .. } = &mut self.stage {
            sections.set_limits(limits);
        }
    }

    /// The prologue, once it has been verified.
    pub fn prologue(&self) -> Option<&Prologue> {
        match &self.stage {
            Stage::Sections { prologue, .. } => Some(prologue),
            _ => None,
        }
    }

    /// Takes the next bytes of the file; returns what became verified.
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<Event>, Sb21Error> {
        let mut events = Vec::new();
        self.push_into(data, &mut events)?;
        Ok(events)
    }

    /// [`Loader::push`] that appends each event to `events` as soon as it is verified: when
    /// a check fails, `events` still holds everything verified before the failure (a loader
    /// acting on the commands in order acts on exactly those).
    pub fn push_into(&mut self, data: &[u8], events: &mut Vec<Event>) -> Result<(), Sb21Error> {
        let r = self.push_inner(data, events);
        if r.is_err() {
            self.stage = Stage::Failed;
            self.pending.clear();
        }
        r
    }

    fn push_inner(&mut self, data: &[u8], events: &mut Vec<Event>) -> Result<(), Sb21Error> {
        self.received += data.len() as u64;
        self.pending.extend_from_slice(data);
        if let Stage::Prologue = self.stage {
            let Some(len) = Prologue::required_len(&self.pending)? else {
                return Ok(());
            };
            if self.pending.len() < len {
                return Ok(());
            }
            let prologue = Prologue::decode(&self.pending)?;
            let keys = prologue.unwrap_keys(&self.kek)?;
            let rkth = prologue.verify(self.rkth.as_deref())?;
            events.push(Event::Authenticated { rkth });
            let mut sections = Sections::new(&prologue, &keys)?;
            sections.set_limits(self.limits);
            let sha = prologue.sha.map(|_| <sha2::Sha256 as sha2::Digest>::new());
            self.pending.drain(..len);
            self.stage = Stage::Sections {
                prologue: Box::new(prologue),
                sections: Box::new(sections),
                sha,
            };
        }
        match &mut self.stage {
            Stage::Sections { sections, sha, .. } => {
                let used = sections.feed(&self.pending, events)?;
                if let Some(h) = sha {
                    sha2::Digest::update(h, &self.pending[..used]);
                }
                self.pending.drain(..used);
                Ok(())
            }
            Stage::Failed => Err(Sb21Error::Stopped),
            Stage::Prologue => Ok(()),
        }
    }

    /// The end of the file: checks that no section was cut short, the SHA-256 (flag
    /// 0x8000) and the header's block counts. Returns the number of sections.
    pub fn finish(&mut self) -> Result<usize, Sb21Error> {
        let r = self.finish_inner();
        self.stage = Stage::Failed;
        r
    }

    fn finish_inner(&mut self) -> Result<usize, Sb21Error> {
        match &mut self.stage {
            Stage::Prologue => {
                let need = Prologue::required_len(&self.pending)?
                    .unwrap_or(CERT_BLOCK_OFFSET + cbv1::HEADER_LEN);
                Err(truncated(
                    "SB2.1 prologue",
                    self.pending.len(),
                    need,
                    self.pending.len(),
                )
                .into())
            }
            Stage::Failed => Err(Sb21Error::Stopped),
            Stage::Sections {
                prologue,
                sections,
                sha,
            } => {
                finish_sections(sections, self.pending.is_empty(), self.received)?;
                if let (Some(h), Some(expected)) = (sha.take(), prologue.sha) {
                    let got: [u8; 32] = sha2::Digest::finalize(h).into();
                    if got != expected {
                        return Err(Sb21Error::Sha(prologue.len()));
                    }
                }
                let counts = prologue.check_image_blocks(self.received)?;
                if counts != prologue.block_counts {
                    return Err(DecodeError::invalid(
                        "image blocks",
                        0x1C,
                        "counts the SHA-256 differently from first boot tag block",
                    )
                    .into());
                }
                Ok(sections.sections_done())
            }
        }
    }
}

/// One section to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// UID (TAG address; SPSDK: the section's position).
    pub uid: u32,
    /// TAG flags (SPSDK: [`SPSDK_SECTION_FLAGS`]).
    pub flags: u16,
    /// Command-area HMACs wanted (SPSDK: 1); at most the number of blocks is used.
    pub hmac_count: u32,
    /// The commands.
    pub commands: Vec<Command>,
}

impl Section {
    fn area_len(&self) -> usize {
        self.commands.iter().map(Command::encoded_len).sum()
    }

    /// The HMAC count written: `hmac_count` (0 taken as 1) but at most the blocks (SPSDK).
    pub fn effective_hmac_count(&self) -> u32 {
        let blocks = (self.area_len() / BLOCK) as u64;
        u64::from(self.hmac_count.max(1)).min(blocks) as u32
    }
}

/// Everything an SB2.1 file is built from. Every random input is a field.
pub struct Sb21Builder<'a> {
    /// SBKEK (32 bytes).
    pub kek: &'a [u8],
    /// Signs the file: the key of the certificate block's last certificate.
    pub signer: &'a dyn Signer,
    /// The certificate block (its build number and image length are set by `build`).
    pub cert_block: CertBlockV1,
    /// Header flags ([`FLAG_SIGNED`], [`FLAG_SHA`]).
    pub flags: u16,
    /// Product version.
    pub product_version: Version,
    /// Component version (SPSDK writes the product version here).
    pub component_version: Version,
    /// Build number of the header and of the certificate block.
    pub build_number: u32,
    /// Microseconds since 2000-01-01T00:00:00Z.
    pub timestamp: u64,
    /// Nonce ([`random_nonce`]).
    pub nonce: [u8; 16],
    /// DEK and MAC key ([`Keys::random`]).
    pub keys: Keys,
    /// Header padding ([`random_padding`], or zeros).
    pub header_padding: [u8; 8],
    /// How `image_blocks` / `first_boot_tag_block` count with flag 0x8000.
    pub block_counts: BlockCounts,
    /// The sections, in file order.
    pub sections: Vec<Section>,
}

impl Sb21Builder<'_> {
    /// Builds the file.
    pub fn build(&self) -> Result<Vec<u8>, Sb21Error> {
        let build = |m: String| Sb21Error::Build(m);
        if self.sections.is_empty() {
            return Err(build("an SB2.1 file needs at least one section".into()));
        }
        for (i, s) in self.sections.iter().enumerate() {
            if s.commands.is_empty() {
                return Err(build(format!("section {i} has no commands")));
            }
            for c in &s.commands {
                c.check().map_err(|e| build(format!("section {i}: {e}")))?;
            }
        }
        let kek = kek_array(self.kek)?;
        let mut cb = self.cert_block.clone();
        cb.build_number = self.build_number;
        let cb_len = cb.encoded_len(BLOCK);
        cb.image_length = (CERT_BLOCK_OFFSET + cb_len) as u32;
        let sig_len = cb.signature_len()?;
        let signing_key = cb.signing_key()?;
        if self.signer.public_key()? != signing_key {
            return Err(Sb21Error::SignerMismatch);
        }
        let sha = self.flags & FLAG_SHA != 0;
        let sig_off = CERT_BLOCK_OFFSET + cb_len + if sha { SHA_LEN } else { 0 };
        let sect_off = sig_off + sig_len;
        let mut total = sect_off as u64;
        let mut mac_sum = 0u64;
        for s in &self.sections {
            let h = s.effective_hmac_count();
            mac_sum += u64::from(h);
            total += (BLOCK + HMAC_LEN * (1 + h as usize) + s.area_len()) as u64;
        }
        let max_mac = u16::try_from(mac_sum).map_err(|_| {
            build(format!(
                "{mac_sum} section HMACs in all: the header's count holds at most 65535"
            ))
        })?;
        if total / BLOCK as u64 > u64::from(u32::MAX) {
            return Err(build("the file exceeds 2^32 blocks".into()));
        }
        let total = usize::try_from(total).map_err(|_| build("the file is too large".into()))?;

        // One buffer: plaintext sections are written in place, then encrypted and MACed.
        let mut w = Writer::with_capacity(total);
        w.bytes(&vec![0u8; sect_off]);
        let mut layout = Vec::with_capacity(self.sections.len());
        for s in &self.sections {
            let h = s.effective_hmac_count();
            let blocks = (s.area_len() / BLOCK) as u32;
            let start = w.len();
            let tag = CmdHeader {
                tag: command::tag::TAG,
                flags: s.flags,
                address: s.uid,
                count: blocks,
                data: h,
            };
            w.bytes(&tag.encode());
            for _ in 0..=h {
                w.bytes(&[0u8; HMAC_LEN]);
            }
            for c in &s.commands {
                c.encode_into(&mut w);
            }
            layout.push((start, tag));
        }
        let mut out = w.into_vec();
        let ctr = Ctr::new(&self.keys, &self.nonce)?;
        for (start, tag) in &layout {
            let start = *start;
            let h = tag.data as usize;
            let area = start + BLOCK + HMAC_LEN * (1 + h);
            let end = area + tag.count as usize * BLOCK;
            ctr.apply((start / BLOCK) as u64, &mut out[start..start + BLOCK]);
            let tag_mac = hmac(&self.keys.mac, &out[start..start + BLOCK]);
            ctr.apply((area / BLOCK) as u64, &mut out[area..end]);
            let head = SectionHeader {
                index: 0,
                offset: start as u64,
                uid: tag.address,
                flags: tag.flags,
                blocks: tag.count,
                hmac_count: tag.data,
            };
            let mut macs = Vec::with_capacity(h + 1);
            macs.push(tag_mac);
            let mut at = area;
            for i in 0..tag.data {
                let n = head.chunk_blocks(i) as usize * BLOCK;
                macs.push(hmac(&self.keys.mac, &out[at..at + n]));
                at += n;
            }
            for (i, m) in macs.iter().enumerate() {
                let p = start + BLOCK + i * HMAC_LEN;
                out[p..p + HMAC_LEN].copy_from_slice(m);
            }
        }

        let short = if sha && self.block_counts == BlockCounts::Spsdk {
            2
        } else {
            0
        };
        let header = ImageHeader {
            nonce: self.nonce,
            padding: self.header_padding,
            flags: self.flags,
            image_blocks: (total / BLOCK - short) as u32,
            first_boot_tag_block: (sect_off / BLOCK - short) as u32,
            first_boot_section_id: self.sections[0].uid,
            max_section_mac_count: max_mac,
            timestamp: self.timestamp,
            product_version: self.product_version,
            component_version: self.component_version,
            build_number: self.build_number,
        };
        let h0 = layout[0].1.data as usize;
        let header_hmac = hmac(
            &self.keys.mac,
            &out[sect_off + BLOCK..sect_off + BLOCK + HMAC_LEN * (1 + h0)],
        );
        let key_blob = self.keys.wrap(&kek[..])?;
        out[..HEADER_LEN].copy_from_slice(&header.encode());
        out[HEADER_LEN..HEADER_LEN + HMAC_LEN].copy_from_slice(&header_hmac);
        out[HEADER_LEN + HMAC_LEN..CERT_BLOCK_OFFSET].copy_from_slice(&key_blob);
        out[CERT_BLOCK_OFFSET..CERT_BLOCK_OFFSET + cb_len].copy_from_slice(&cb.encode(BLOCK));
        if sha {
            let digest = sha256(&out[sect_off..]);
            out[sig_off - SHA_LEN..sig_off].copy_from_slice(&digest);
        }
        let sig = self.signer.sign(&out[..sig_off], cbv1::SCHEME)?;
        if sig.len() != sig_len {
            return Err(Sb21Error::SignatureLength {
                len: sig.len(),
                expected: sig_len,
            });
        }
        signing_key
            .verify(&out[..sig_off], &sig, cbv1::SCHEME)
            .map_err(|_| Sb21Error::Signature(sig_off))?;
        out[sig_off..sect_off].copy_from_slice(&sig);
        Ok(out)
    }
}

/// The SBKEK an RT5xx/RT6xx derives from its OTP master key (`nxpimage sb21 get-sbkek`):
/// `AES-256-ECB(master, 03 00..00 || 04 00..00)`.
pub fn sbkek_from_otp_master_key(master: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(aes) = Aes::new(master) {
        for (i, half) in out.chunks_exact_mut(BLOCK).enumerate() {
            let mut b = [0u8; BLOCK];
            b[0] = 3 + i as u8;
            aes.encrypt_block(&mut b);
            half.copy_from_slice(&b);
        }
    }
    out
}

/// Microseconds since 2000-01-01 of Unix time `unix_seconds` (None before 2000).
pub fn timestamp_from_unix(unix_seconds: u64) -> Option<u64> {
    unix_seconds
        .checked_sub(Y2K_UNIX)
        .and_then(|s| s.checked_mul(1_000_000))
}

/// The header timestamp of now (whole seconds, as SPSDK).
pub fn now_timestamp() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(Y2K_UNIX);
    timestamp_from_unix(now).unwrap_or(0)
}

#[cfg(test)]
mod tests;
