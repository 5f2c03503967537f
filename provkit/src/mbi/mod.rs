//! Master boot images (MBI): plain, CRC and signed images for XIP and load-to-RAM, and the
//! checks the ROM makes before it boots one, for both certificate block versions:
//!
//! * v1 (LPC55S0x/1x/2x/6x, RT5xx/6xx): RSA signature with an X.509 certificate block v1,
//!   optional TrustZone-M preset, RT5xx/6xx relocation table, HMAC and key store;
//! * v2.1 (LPC55S3x, MCX N, RW61x): ECDSA with a certificate block v2.1 and the "imgm"
//!   manifest (and MCX N's manifest CRC).
//!
//! ```text
//! vector table words: 0x20 total length | 0x24 flags | 0x28 CRC or cert block offset | 0x34 load address
//! flags = type[5:0] | subtype[7:6] | 0x400 image version | 0x800 relocation table
//!         | 0x1000 HW user-mode keys | tz type[14:13] (0 default, 1 custom, 2 off) | 0x8000 key store
//!         | version[31:16]
//! plain  = app (4-aligned) [|| relocation table] [|| custom TZ preset]   0x20 = 0 (XIP) / length (RAM)
//! crc    = plain, 0x20 = length, 0x28 = CRC-32/MPEG-2 over everything but 0x28..0x2C
//! v1     = app [|| relocation table] || cert block v1 (aligned 4) [|| TZ preset] || RSA signature
//!          over all before it; RT5xx/6xx signed load-to-RAM: HMAC-SHA256 of bytes 0..0x40
//!          [+ 1424-byte key store] inserted at 0x40 after signing; 0x28 = app (+ table) length
//! enc    = RT5xx/6xx encrypted load-to-RAM (type 0x03): P = app [|| table] [|| TZ preset] with
//!          its vector table words set, C = AES-256-CTR(P) under the image key and the 16-byte
//!          counter IV; C[0..0x40] (words 0x20/0x24/0x28/0x34 in clear) || C[0x40..A] ||
//!          cert block v1 || C[0..0x38] || IV || C[A..] (TZ) || RSA signature; then the HMAC
//!          [+ key store] at 0x40 as above. Image key: the key store's user key when a key
//!          store is embedded, else AES-256-ECB(master key, 01 00.. || 02 00..)
//! v2.1   = app || cert block v2.1 || "imgm" manifest || ECDSA r||s over all before it
//! manifest = "imgm" | 0x00010000 | firmwareVersion | length | flags 0 | [TZ preset] | [CRC (MCX N)]
//! ```

use crate::certblock::{CertBlockError, CertBlockV1, CertBlockV21};
use crate::codec::{DecodeError, Reader, Writer};
use crate::crypto::crc32::crc32_mpeg2;
use crate::crypto::{CryptoError, KeyType, Signer};
use crate::family::{MbiInfo, SecureBoot, SecureBootFacts, TrustZoneMode};
use std::borrow::Cow;
use std::fmt;
use zeroize::Zeroizing;

pub mod tz;

/// Offset of the total-length word.
pub const IVT_LENGTH: usize = 0x20;
/// Offset of the flags word.
pub const IVT_FLAGS: usize = 0x24;
/// Offset of the CRC / cert-block-offset word.
pub const IVT_CRC_OR_CERT: usize = 0x28;
/// Offset of the load-address word.
pub const IVT_LOAD_ADDRESS: usize = 0x34;
/// Smallest application (the vector table up to the load address word).
pub const MIN_APP: usize = 0x38;
/// Manifest magic.
pub const MANIFEST_MAGIC: &[u8; 4] = b"imgm";
/// Manifest format version.
pub const MANIFEST_VERSION: u32 = 0x0001_0000;
/// Manifest size without the TZ preset and CRC.
pub const MANIFEST_BASE: usize = 20;

/// Image types (flags bits 5:0).
pub mod image_type {
    /// Plain image (XIP or RAM).
    pub const PLAIN: u32 = 0x00;
    /// Signed load-to-RAM image.
    pub const SIGNED_RAM: u32 = 0x01;
    /// CRC load-to-RAM image.
    pub const CRC_RAM: u32 = 0x02;
    /// Signed XIP image.
    pub const SIGNED_XIP: u32 = 0x04;
    /// CRC XIP image.
    pub const CRC_XIP: u32 = 0x05;
    /// Encrypted (and signed) load-to-RAM image (RT5xx/6xx).
    pub const ENCRYPTED_RAM: u32 = 0x03;
}

/// Flag: image version in bits 31:16.
pub const FLAG_IMAGE_VERSION: u32 = 0x400;
/// Flag: relocation table at the end of the application (RT5xx/6xx).
pub const FLAG_RELOC_TABLE: u32 = 0x800;
/// Flag: `enableHwUserModeKeys`.
pub const FLAG_HW_USER_KEYS: u32 = 0x1000;
/// Flag: key store after the HMAC.
pub const FLAG_KEY_STORE: u32 = 0x8000;
/// TrustZone type shift (bits 14:13).
pub const TZ_SHIFT: u32 = 13;
/// Where the HMAC goes (after signing) in images that carry one.
pub const HMAC_OFFSET: usize = 0x40;
/// HMAC size.
pub const HMAC_LEN: usize = 32;
/// Key store size.
pub const KEY_STORE_LEN: usize = 1424;
/// Size of the counter initial vector of encrypted images.
pub const CTR_IV_LEN: usize = 16;
/// Size of the copy of the encrypted vector table that follows the cert block of encrypted
/// images (the first 0x38 bytes of the ciphertext).
pub const ENC_IVT_COPY: usize = 0x38;
/// Relocation table header marker ("LBTL").
pub const RELOC_MARKER: u32 = 0x4C54_424C;

/// TrustZone types (flags bits 14:13).
pub mod tz_type {
    /// TrustZone on, the ROM's default preset.
    pub const DEFAULT: u32 = 0;
    /// TrustZone on, a custom preset is embedded.
    pub const CUSTOM: u32 = 1;
    /// TrustZone off.
    pub const DISABLED: u32 = 2;
}

/// Where the image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// In place from flash.
    #[default]
    Xip,
    /// Copied to RAM first.
    LoadToRam,
}

/// How the image is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Auth {
    /// Nothing.
    #[default]
    Plain,
    /// CRC-32/MPEG-2.
    Crc,
    /// RSA with a certificate block v1, or ECDSA with a certificate block v2.1.
    Signed,
    /// Encrypted with AES-CTR and signed (RSA, certificate block v1; RT5xx/6xx load-to-RAM;
    /// SPSDK `signed-encrypted`).
    Encrypted,
}

impl Auth {
    /// The config name.
    pub fn name(self) -> &'static str {
        match self {
            Auth::Plain => "plain",
            Auth::Crc => "crc",
            Auth::Signed => "signed",
            Auth::Encrypted => "encrypted",
        }
    }
}

impl Target {
    /// The config name.
    pub fn name(self) -> &'static str {
        match self {
            Target::Xip => "xip",
            Target::LoadToRam => "load_to_ram",
        }
    }
}

/// The image type word for a target/authentication pair (SPSDK's default classes; see
/// [`MbiSpec::flags`] for the family-specific signed load-to-RAM type).
pub fn type_of(target: Target, auth: Auth) -> u32 {
    match (target, auth) {
        (_, Auth::Plain) => image_type::PLAIN,
        (Target::Xip, Auth::Crc) => image_type::CRC_XIP,
        (Target::LoadToRam, Auth::Crc) => image_type::CRC_RAM,
        (Target::Xip, Auth::Signed) => image_type::SIGNED_XIP,
        (Target::LoadToRam, Auth::Signed) => image_type::SIGNED_RAM,
        (_, Auth::Encrypted) => image_type::ENCRYPTED_RAM,
    }
}

/// The image kind whose family-database entries (`targets` aside) an image follows:
/// encrypted load-to-RAM images have the features of signed load-to-RAM images (SPSDK's
/// `encrypted_signed_ram` class is the `signed_ram` mixins plus the CTR initial vector).
fn db_auth(auth: Auth) -> Auth {
    if auth == Auth::Encrypted {
        Auth::Signed
    } else {
        auth
    }
}

/// True when `mbi` describes a family that builds `target`/`auth` images. Encrypted
/// images exist exactly where signed load-to-RAM images carry an HMAC (RT5xx/6xx).
pub fn family_supports(mbi: &MbiInfo, target: Target, auth: Auth) -> bool {
    match auth {
        Auth::Encrypted => {
            target == Target::LoadToRam
                && MbiInfo::applies(&mbi.hmac, Target::LoadToRam.name(), Auth::Signed.name())
        }
        _ => mbi.supports(target.name(), auth.name()),
    }
}

/// True when one of `mbi`'s per-image lists (`hw_user_keys`, `reloc_table`, `hmac`) names
/// `target`/`auth` (encrypted images: as signed load-to-RAM images).
pub fn list_applies(list: &[String], target: Target, auth: Auth) -> bool {
    MbiInfo::applies(list, target.name(), db_auth(auth).name())
}

/// Why an image was not built, decoded or accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MbiError {
    /// Malformed image.
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// Certificate block problem.
    #[error("{0}")]
    CertBlock(#[from] CertBlockError),
    /// The family does not take this kind of image.
    #[error("{family} has no {target} {auth} image")]
    Unsupported {
        /// Family.
        family: String,
        /// Target name.
        target: &'static str,
        /// Authentication name.
        auth: &'static str,
    },
    /// A build parameter is wrong.
    #[error("{0}")]
    Build(String),
    /// CRC mismatch.
    #[error("{what} CRC mismatch: stored 0x{stored:08X}, computed 0x{computed:08X}")]
    Crc {
        /// Which CRC.
        what: &'static str,
        /// Stored.
        stored: u32,
        /// Computed.
        computed: u32,
    },
    /// Signature does not verify.
    #[error("image signature does not verify with the {0} key of the certificate block")]
    Signature(&'static str),
    /// The signer is not the key the cert block names.
    #[error("signer's public key is not the {0} key of the certificate block")]
    SignerMismatch(&'static str),
    /// Decryption with the given key does not give back the image's vector table.
    #[error(
        "decrypted vector table does not match the image header (wrong OTP master key / user key, \
         or a modified image)"
    )]
    Decrypt,
    /// The HMAC does not match the device's key.
    #[error("image HMAC does not match (wrong OTP master key, or a modified image header)")]
    Hmac,
    /// The firmware version is lower than the device counter.
    #[error(
        "rollback: manifest firmware version {version} is lower than the device's secure counter {counter}"
    )]
    Rollback {
        /// Image version.
        version: u32,
        /// Device counter.
        counter: u32,
    },
    /// The device demands a stronger authentication.
    #[error("secure boot requires {required} images, this is a {found} image")]
    Policy {
        /// Required.
        required: &'static str,
        /// Found.
        found: &'static str,
    },
    /// Signing failed.
    #[error("{0}")]
    Crypto(#[from] CryptoError),
}

/// A certificate block of either version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertBlock {
    /// Version 1 (RSA, X.509 chain).
    V1(CertBlockV1),
    /// Version 2.1 (ECC).
    V21(CertBlockV21),
}

impl From<CertBlockV1> for CertBlock {
    fn from(c: CertBlockV1) -> Self {
        CertBlock::V1(c)
    }
}

impl From<CertBlockV21> for CertBlock {
    fn from(c: CertBlockV21) -> Self {
        CertBlock::V21(c)
    }
}

impl CertBlock {
    /// `"1"` or `"2.1"`, as `families.json` spells `secure_boot.cert_block`.
    pub fn version(&self) -> &'static str {
        match self {
            CertBlock::V1(_) => "1",
            CertBlock::V21(_) => "2.1",
        }
    }

    /// The RKTH the device must hold.
    pub fn rkth(&self) -> Vec<u8> {
        match self {
            CertBlock::V1(c) => c.rkth().to_vec(),
            CertBlock::V21(c) => c.rkth(),
        }
    }

    /// The bytes as an MBI holds them (v1: aligned to 4).
    pub fn encode(&self) -> Vec<u8> {
        match self {
            CertBlock::V1(c) => c.encode(4),
            CertBlock::V21(c) => c.encode(),
        }
    }

    /// The v1 block, if it is one.
    pub fn as_v1(&self) -> Option<&CertBlockV1> {
        match self {
            CertBlock::V1(c) => Some(c),
            CertBlock::V21(_) => None,
        }
    }

    /// The v2.1 block, if it is one.
    pub fn as_v21(&self) -> Option<&CertBlockV21> {
        match self {
            CertBlock::V21(c) => Some(c),
            CertBlock::V1(_) => None,
        }
    }

    /// Which key signs images: `"leaf"` (v1: last certificate), `"ISK"` or `"root"` (v2.1).
    pub fn signer_role(&self) -> &'static str {
        match self {
            CertBlock::V1(_) => "leaf certificate",
            CertBlock::V21(c) if c.isk.is_some() => "ISK",
            CertBlock::V21(_) => "root",
        }
    }
}

/// One relocation table entry (`applicationTable`): `data` is placed after the application
/// (4-aligned) and copied to `dst` by the startup code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelocEntry {
    /// Destination address.
    pub dst: u32,
    /// The image.
    pub data: Vec<u8>,
}

/// A relocation table entry as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelocInfo {
    /// Offset of the data in the image (as built, before an HMAC is inserted).
    pub src: u32,
    /// Destination address.
    pub dst: u32,
    /// Length.
    pub size: u32,
    /// Flags (1: load).
    pub flags: u32,
}

/// The relocation table bytes for `entries` placed at offset `start`: the images (each
/// 4-aligned), the 16-byte entries `{src, dst, size, flags = 1}`, then the header
/// `{"LBTL", version 0, count, offset of the entries}`.
pub fn reloc_table(entries: &[RelocEntry], start: usize) -> Result<Vec<u8>, MbiError> {
    let mut blobs = Writer::new();
    let mut table = Writer::new();
    for e in entries {
        if e.data.is_empty() {
            return Err(MbiError::Build(
                "applicationTable: an entry has an empty binary".into(),
            ));
        }
        let src = u32::try_from(start + blobs.as_slice().len())
            .map_err(|_| MbiError::Build("applicationTable: image too large".into()))?;
        let size = u32::try_from(e.data.len())
            .map_err(|_| MbiError::Build("applicationTable: binary too large".into()))?;
        blobs.bytes(&e.data);
        let pad = e.data.len().div_ceil(4) * 4 - e.data.len();
        blobs.bytes(&[0u8; 3][..pad]);
        table.u32_le(src).u32_le(e.dst).u32_le(size).u32_le(1);
    }
    let entries_at = u32::try_from(start + blobs.as_slice().len())
        .map_err(|_| MbiError::Build("applicationTable: image too large".into()))?;
    let count = u32::try_from(entries.len())
        .map_err(|_| MbiError::Build("applicationTable: too many entries".into()))?;
    let mut w = blobs;
    w.bytes(table.as_slice())
        .u32_le(RELOC_MARKER)
        .u32_le(0)
        .u32_le(count)
        .u32_le(entries_at);
    Ok(w.into_vec())
}

/// Everything an MBI is built from.
#[derive(Default)]
pub struct MbiSpec<'a> {
    /// Where it runs.
    pub target: Target,
    /// How it is authenticated.
    pub auth: Auth,
    /// The application (its vector table words 0x20/0x24/0x28/0x34 are overwritten).
    pub app: Vec<u8>,
    /// `outputImageExecutionAddress`.
    pub load_address: u32,
    /// `imageVersion` (0: none; cert-block-v2.1 families).
    pub image_version: u16,
    /// `firmwareVersion` (manifest of signed cert-block-v2.1 images).
    pub firmware_version: u32,
    /// `outputImageSubtype` (MCX N signed images: 0 main, 1 recovery).
    pub subtype: u8,
    /// A custom TrustZone-M preset (binary); None: the ROM's default preset. On
    /// cert-block-v1 families it only counts with `trust_zone`, and a preset with every
    /// register at its reset value is the default preset (not embedded).
    pub tz_preset: Option<Vec<u8>>,
    /// `enableTrustZone` (cert-block-v1 families; v2.1 families always have TrustZone on).
    pub trust_zone: bool,
    /// `enableHwUserModeKeys` (flag 0x1000; families and images that have it).
    pub hw_user_keys: bool,
    /// `applicationTable`: images placed after the application (RT5xx/6xx load-to-RAM).
    pub app_table: Vec<RelocEntry>,
    /// `outputImageEncryptionKeyFile`: the 32-byte OTP master key the HMAC key is derived
    /// from (RT5xx/6xx signed load-to-RAM images; required there).
    pub hmac_key: Option<Zeroizing<[u8; 32]>>,
    /// `keyStoreFile`: a 1424-byte key store placed after the HMAC (flag 0x8000).
    pub key_store: Option<Vec<u8>>,
    /// `CtrInitVector`: the AES-CTR initial counter of encrypted images (None: random, as
    /// SPSDK).
    pub ctr_iv: Option<[u8; CTR_IV_LEN]>,
    /// Certificate block (signed images), of the family's version.
    pub cert_block: Option<CertBlock>,
    /// Signer (signed images): v1: the last certificate's key; v2.1: ISK private key with
    /// an ISK, else the root key.
    pub signer: Option<&'a dyn Signer>,
}

/// The facts of `family` an image needs.
fn facts<F: SecureBootFacts + ?Sized>(family: &F) -> Result<&SecureBoot, MbiError> {
    family.secure_boot_facts().ok_or_else(|| {
        MbiError::Build(format!(
            "{} has no master boot image data",
            family.family_name()
        ))
    })
}

fn is_v1(sb: &SecureBoot) -> bool {
    sb.cert_block == "1"
}

fn supports(mbi: &MbiInfo, target: Target, auth: Auth) -> bool {
    family_supports(mbi, target, auth)
}

fn applies(list: &[String], target: Target, auth: Auth) -> bool {
    list_applies(list, target, auth)
}

fn put_u32(buf: &mut [u8], at: usize, v: u32) {
    if let Some(d) = buf.get_mut(at..at + 4) {
        d.copy_from_slice(&v.to_le_bytes());
    }
}

fn get_u32(buf: &[u8], at: usize) -> u32 {
    match buf.get(at..at + 4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        None => 0,
    }
}

/// The HMAC key of RT5xx/6xx images: AES-256-ECB of 16 zero bytes under the OTP master key.
pub fn hmac_key(master: &[u8; 32]) -> Result<Zeroizing<[u8; 16]>, MbiError> {
    crate::crypto::aes::ecb_encrypt_block(master, &[0u8; 16])
        .map(Zeroizing::new)
        .map_err(|e| MbiError::Build(format!("HMAC key: {e}")))
}

/// HMAC-SHA256 of an image's first 0x40 bytes with the key derived from `master`.
pub fn image_hmac(master: &[u8; 32], head: &[u8]) -> Result<[u8; 32], MbiError> {
    let key = hmac_key(master)?;
    Ok(crate::crypto::hmac_sha256(&key[..], head))
}

/// The AES-256 key that encrypts an encrypted image: `key` itself when the image embeds a key
/// store (the key store's user key), else the image key the ROM derives from the OTP master
/// key, AES-256-ECB(`key`, 01 00.. || 02 00..).
pub fn image_key(key: &[u8; 32], key_store: bool) -> Result<Zeroizing<[u8; 32]>, MbiError> {
    let mut out = Zeroizing::new([0u8; 32]);
    if key_store {
        out.copy_from_slice(key);
        return Ok(out);
    }
    let err = |e| MbiError::Build(format!("image key: {e}"));
    let mut b1 = [0u8; 16];
    b1[0] = 1;
    let mut b2 = [0u8; 16];
    b2[0] = 2;
    out[..16].copy_from_slice(&crate::crypto::aes::ecb_encrypt_block(key, &b1).map_err(err)?);
    out[16..].copy_from_slice(&crate::crypto::aes::ecb_encrypt_block(key, &b2).map_err(err)?);
    Ok(out)
}

/// AES-256-CTR (128-bit big-endian counter starting at `iv`) in place: encrypts and decrypts.
fn aes_ctr(key: &[u8; 32], iv: &[u8; CTR_IV_LEN], data: &mut [u8]) {
    use ctr::cipher::{KeyIvInit, StreamCipher};
    let mut c = ctr::Ctr128BE::<aes::Aes256>::new(key.into(), iv.into());
    c.apply_keystream(data);
}

impl MbiSpec<'_> {
    /// The TrustZone type and the preset bytes that go into the image.
    fn trust_zone_parts(&self, sb: &SecureBoot, name: &str) -> Result<(u32, Vec<u8>), MbiError> {
        let mbi = &sb.mbi;
        if let Some(tz) = &self.tz_preset {
            if tz.len() != mbi.tz_preset_size as usize {
                return Err(MbiError::Build(format!(
                    "the TrustZone preset is {} bytes; {name} presets are {} bytes (a binary made \
                     by `nxpimage tz export`)",
                    tz.len(),
                    mbi.tz_preset_size
                )));
            }
            if tz::looks_like_text(tz) {
                return Err(MbiError::Build(
                    "the TrustZone preset is text, not register values (give a YAML preset as \
                     such, or a binary from `nxpimage tz export`)"
                        .into(),
                ));
            }
        }
        match mbi.trust_zone {
            TrustZoneMode::Mandatory => Ok(match &self.tz_preset {
                Some(tz) => (tz_type::CUSTOM, tz.clone()),
                None => (tz_type::DEFAULT, Vec::new()),
            }),
            TrustZoneMode::None => {
                if self.trust_zone {
                    return Err(MbiError::Build(format!(
                        "{name} has no TrustZone-M preset support: enableTrustZone must be false"
                    )));
                }
                Ok((tz_type::DISABLED, Vec::new()))
            }
            TrustZoneMode::Optional => {
                if !self.trust_zone {
                    return Ok((tz_type::DISABLED, Vec::new()));
                }
                match &self.tz_preset {
                    None => Ok((tz_type::DEFAULT, Vec::new())),
                    Some(tz) => {
                        let set = mbi.tz_registers.as_deref().unwrap_or_default();
                        if tz::is_reset(set, tz)? {
                            Ok((tz_type::DEFAULT, Vec::new()))
                        } else {
                            Ok((tz_type::CUSTOM, tz.clone()))
                        }
                    }
                }
            }
        }
    }

    /// The flags word.
    pub fn flags<F: SecureBootFacts + ?Sized>(&self, family: &F) -> Result<u32, MbiError> {
        let sb = facts(family)?;
        let (tz, _) = self.trust_zone_parts(sb, family.family_name())?;
        self.flags_with(sb, family.family_name(), tz)
    }

    fn flags_with(&self, sb: &SecureBoot, name: &str, tz: u32) -> Result<u32, MbiError> {
        let mbi = &sb.mbi;
        let (t, a) = (self.target, self.auth);
        let mut f = type_of(t, a);
        if t == Target::LoadToRam && a == Auth::Signed && mbi.signed_ram_type_xip {
            f = image_type::SIGNED_XIP;
        }
        f |= tz << TZ_SHIFT;
        if a == Auth::Signed && mbi.subtype {
            f |= u32::from(self.subtype & 3) << 6;
        } else if self.subtype != 0 {
            return Err(MbiError::Build(format!(
                "{name}: an image subtype only exists for signed images of MCX N"
            )));
        }
        if self.image_version != 0 {
            if is_v1(sb) {
                return Err(MbiError::Build(format!(
                    "{name}: images carry no image version (imageVersion)"
                )));
            }
            f |= FLAG_IMAGE_VERSION | (u32::from(self.image_version) << 16);
        }
        if self.hw_user_keys {
            if !applies(&mbi.hw_user_keys, t, a) {
                return Err(MbiError::Build(format!(
                    "{name}: {} {} images have no enableHwUserModeKeys",
                    t.name(),
                    a.name()
                )));
            }
            f |= FLAG_HW_USER_KEYS;
        }
        if !self.app_table.is_empty() {
            if !applies(&mbi.reloc_table, t, a) {
                return Err(MbiError::Build(format!(
                    "{name}: {} {} images have no applicationTable",
                    t.name(),
                    a.name()
                )));
            }
            f |= FLAG_RELOC_TABLE;
        }
        if let Some(ks) = &self.key_store {
            if !applies(&mbi.hmac, t, a) {
                return Err(MbiError::Build(format!(
                    "{name}: {} {} images have no key store",
                    t.name(),
                    a.name()
                )));
            }
            if ks.len() != KEY_STORE_LEN {
                return Err(MbiError::Build(format!(
                    "the key store is {} bytes, not {KEY_STORE_LEN}",
                    ks.len()
                )));
            }
            f |= FLAG_KEY_STORE;
        }
        Ok(f)
    }

    /// Builds the image.
    pub fn build<F: SecureBootFacts + ?Sized>(&self, family: &F) -> Result<Vec<u8>, MbiError> {
        let sb = facts(family)?;
        let name = family.family_name();
        let mbi = &sb.mbi;
        if !supports(mbi, self.target, self.auth) {
            return Err(MbiError::Unsupported {
                family: name.to_string(),
                target: self.target.name(),
                auth: self.auth.name(),
            });
        }
        if self.app.len() < MIN_APP {
            return Err(MbiError::Build(format!(
                "the application is {} bytes; it must hold at least the vector table (0x38 bytes)",
                self.app.len()
            )));
        }
        let (tz, tz_data) = self.trust_zone_parts(sb, name)?;
        let flags = self.flags_with(sb, name, tz)?;
        let hmac = applies(&mbi.hmac, self.target, self.auth);
        if self.hmac_key.is_some() && !hmac {
            return Err(MbiError::Build(format!(
                "{name}: {} {} images carry no HMAC (outputImageEncryptionKeyFile)",
                self.target.name(),
                self.auth.name()
            )));
        }
        let mut app = self.app.clone();
        app.resize(app.len().div_ceil(4) * 4, 0);
        let reloc = if self.app_table.is_empty() {
            Vec::new()
        } else {
            reloc_table(&self.app_table, app.len())?
        };
        let len_u32 = |n: usize| {
            u32::try_from(n).map_err(|_| MbiError::Build("the image exceeds 4 GiB".into()))
        };
        match self.auth {
            Auth::Plain | Auth::Crc => {
                let total = app.len() + reloc.len() + tz_data.len();
                let len_word = if self.auth == Auth::Plain && self.target == Target::Xip {
                    0
                } else {
                    len_u32(total)?
                };
                put_u32(&mut app, IVT_LENGTH, len_word);
                put_u32(&mut app, IVT_FLAGS, flags);
                put_u32(&mut app, IVT_CRC_OR_CERT, 0);
                put_u32(&mut app, IVT_LOAD_ADDRESS, self.load_address);
                app.extend_from_slice(&reloc);
                app.extend_from_slice(&tz_data);
                if self.auth == Auth::Crc {
                    let crc = image_crc(&app);
                    put_u32(&mut app, IVT_CRC_OR_CERT, crc);
                }
                Ok(app)
            }
            Auth::Signed => {
                let cb = self.cert_block.as_ref().ok_or_else(|| {
                    MbiError::Build("a signed image needs a certificate block".into())
                })?;
                if cb.version() != sb.cert_block {
                    return Err(MbiError::Build(format!(
                        "{name} images take a certificate block v{}, not v{}",
                        sb.cert_block,
                        cb.version()
                    )));
                }
                let signer = self
                    .signer
                    .ok_or_else(|| MbiError::Build("a signed image needs a signer".into()))?;
                match cb {
                    CertBlock::V1(cb) => {
                        self.build_v1(sb, cb, signer, app, reloc, tz_data, flags, hmac)
                    }
                    CertBlock::V21(cb) => self.build_v21(mbi, cb, signer, app, tz_data, flags),
                }
            }
            Auth::Encrypted => {
                let cb = self
                    .cert_block
                    .as_ref()
                    .and_then(CertBlock::as_v1)
                    .ok_or_else(|| {
                        MbiError::Build("an encrypted image needs a certificate block v1".into())
                    })?;
                let signer = self
                    .signer
                    .ok_or_else(|| MbiError::Build("an encrypted image needs a signer".into()))?;
                self.build_encrypted(sb, cb, signer, app, reloc, tz_data, flags)
            }
        }
    }

    /// Signs `signed` with `signer`, checks the signature, returns `signed || signature`.
    fn rsa_sign(
        key: &crate::crypto::PublicKey,
        signer: &dyn Signer,
        signed: Vec<u8>,
        sig_len: usize,
    ) -> Result<Vec<u8>, MbiError> {
        let scheme = crate::certblock::v1::SCHEME;
        let sig = signer.sign(&signed, scheme)?;
        if sig.len() != sig_len {
            return Err(MbiError::Build(format!(
                "the signer returned a {}-byte signature, expected {sig_len}",
                sig.len()
            )));
        }
        key.verify(&signed, &sig, scheme)
            .map_err(|_| MbiError::Signature("leaf certificate"))?;
        let mut out = signed;
        out.extend_from_slice(&sig);
        Ok(out)
    }

    /// Inserts the HMAC of `out[..0x40]` and the key store at 0x40.
    fn insert_hmac(master: &[u8; 32], ks: &[u8], mut out: Vec<u8>) -> Result<Vec<u8>, MbiError> {
        let mac = image_hmac(master, &out[..HMAC_OFFSET])?;
        let tail = out.split_off(HMAC_OFFSET);
        out.extend_from_slice(&mac);
        out.extend_from_slice(ks);
        out.extend_from_slice(&tail);
        Ok(out)
    }

    /// Encrypted load-to-RAM image (SPSDK `encrypted_signed_ram`): collect (IVT set), encrypt,
    /// rearrange around the cert block, sign, insert HMAC and key store.
    #[allow(clippy::too_many_arguments)]
    fn build_encrypted(
        &self,
        sb: &SecureBoot,
        cb: &CertBlockV1,
        signer: &dyn Signer,
        mut app: Vec<u8>,
        reloc: Vec<u8>,
        tz: Vec<u8>,
        flags: u32,
    ) -> Result<Vec<u8>, MbiError> {
        let key = cb.signing_key()?;
        if signer.public_key()? != key {
            return Err(MbiError::SignerMismatch("leaf certificate"));
        }
        if sb.chain_rsa2048_only {
            check_chain_rsa2048(cb)?;
        }
        let master = self.hmac_key.as_ref().ok_or_else(|| {
            MbiError::Build(
                "encrypted load-to-RAM images need the OTP master key \
                 (outputImageEncryptionKeyFile)"
                    .into(),
            )
        })?;
        let sig_len = cb.signature_len()?;
        let ks = self.key_store.as_deref().unwrap_or_default();
        let app_len = app.len() + reloc.len();
        if app_len < HMAC_OFFSET {
            return Err(MbiError::Build(format!(
                "the application is {app_len} bytes; an encrypted image needs at least 0x40"
            )));
        }
        let cb_len = cb.encoded_len(4);
        let plain_len = app_len + tz.len();
        let signed_len = plain_len + cb_len + ENC_IVT_COPY + CTR_IV_LEN;
        let total = signed_len + HMAC_LEN + ks.len() + sig_len;
        let as_u32 = |n: usize| {
            u32::try_from(n).map_err(|_| MbiError::Build("the image exceeds 4 GiB".into()))
        };
        let words = [
            (IVT_LENGTH, as_u32(total)?),
            (IVT_FLAGS, flags),
            (IVT_CRC_OR_CERT, as_u32(app_len)?),
            (IVT_LOAD_ADDRESS, self.load_address),
        ];
        for (at, v) in words {
            put_u32(&mut app, at, v);
        }
        let iv = match self.ctr_iv {
            Some(iv) => iv,
            None => {
                use rand_core::RngCore;
                let mut iv = [0u8; CTR_IV_LEN];
                rand_core::OsRng.fill_bytes(&mut iv);
                iv
            }
        };
        let mut ct = Zeroizing::new(Vec::with_capacity(plain_len));
        ct.extend_from_slice(&app);
        ct.extend_from_slice(&reloc);
        ct.extend_from_slice(&tz);
        let ikey = image_key(master, !ks.is_empty())?;
        aes_ctr(&ikey, &iv, &mut ct);
        let mut head = ct[..HMAC_OFFSET].to_vec();
        for (at, v) in words {
            put_u32(&mut head, at, v);
        }
        let mut block = cb.clone();
        block.image_length = as_u32(signed_len)?;
        let mut w = Writer::with_capacity(total);
        w.bytes(&head)
            .bytes(&ct[HMAC_OFFSET..app_len])
            .bytes(&block.encode(4))
            .bytes(&ct[..ENC_IVT_COPY])
            .bytes(&iv)
            .bytes(&ct[app_len..]);
        let out = Self::rsa_sign(&key, signer, w.into_vec(), sig_len)?;
        Self::insert_hmac(master, ks, out)
    }

    #[allow(clippy::too_many_arguments)]
    fn build_v1(
        &self,
        sb: &SecureBoot,
        cb: &CertBlockV1,
        signer: &dyn Signer,
        mut app: Vec<u8>,
        reloc: Vec<u8>,
        tz: Vec<u8>,
        flags: u32,
        hmac: bool,
    ) -> Result<Vec<u8>, MbiError> {
        let key = cb.signing_key()?;
        if signer.public_key()? != key {
            return Err(MbiError::SignerMismatch("leaf certificate"));
        }
        if sb.chain_rsa2048_only {
            check_chain_rsa2048(cb)?;
        }
        let sig_len = cb.signature_len()?;
        let master = match (hmac, &self.hmac_key) {
            (true, Some(k)) => Some(k),
            (true, None) => {
                return Err(MbiError::Build(
                    "signed load-to-RAM images need the HMAC key (outputImageEncryptionKeyFile)"
                        .into(),
                ));
            }
            (false, _) => None,
        };
        let hmac_len = if master.is_some() { HMAC_LEN } else { 0 };
        let ks = self.key_store.as_deref().unwrap_or_default();
        let app_len = app.len() + reloc.len();
        let cb_len = cb.encoded_len(4);
        let signed_len = app_len + cb_len + tz.len();
        let total = signed_len + hmac_len + ks.len() + sig_len;
        let as_u32 = |n: usize| {
            u32::try_from(n).map_err(|_| MbiError::Build("the image exceeds 4 GiB".into()))
        };
        let mut block = cb.clone();
        block.image_length = as_u32(signed_len)?;
        put_u32(&mut app, IVT_LENGTH, as_u32(total)?);
        put_u32(&mut app, IVT_FLAGS, flags);
        put_u32(&mut app, IVT_CRC_OR_CERT, as_u32(app_len)?);
        put_u32(&mut app, IVT_LOAD_ADDRESS, self.load_address);
        let mut w = Writer::with_capacity(total);
        w.bytes(&app)
            .bytes(&reloc)
            .bytes(&block.encode(4))
            .bytes(&tz);
        let out = Self::rsa_sign(&key, signer, w.into_vec(), sig_len)?;
        match master {
            Some(master) => Self::insert_hmac(master, ks, out),
            None => Ok(out),
        }
    }

    fn build_v21(
        &self,
        mbi: &MbiInfo,
        cb: &CertBlockV21,
        signer: &dyn Signer,
        mut app: Vec<u8>,
        tz: Vec<u8>,
        flags: u32,
    ) -> Result<Vec<u8>, MbiError> {
        let who = if cb.isk.is_some() { "ISK" } else { "root" };
        let key = match &cb.isk {
            Some(i) => i.key()?,
            None => cb.root_key()?,
        };
        if signer.public_key()? != key {
            return Err(MbiError::SignerMismatch(who));
        }
        let crc_manifest = mbi.manifest.as_deref() == Some("crc");
        let cert = cb.encode();
        let m_len = MANIFEST_BASE + tz.len() + if crc_manifest { 4 } else { 0 };
        let curve = cb.signing_curve();
        let total = app.len() + cert.len() + m_len + curve.point_len();
        put_u32(&mut app, IVT_LENGTH, total as u32);
        put_u32(&mut app, IVT_FLAGS, flags);
        let app_len = app.len() as u32;
        put_u32(&mut app, IVT_CRC_OR_CERT, app_len);
        put_u32(&mut app, IVT_LOAD_ADDRESS, self.load_address);
        let mut w = Writer::with_capacity(total);
        w.bytes(&app).bytes(&cert);
        w.bytes(MANIFEST_MAGIC)
            .u32_le(MANIFEST_VERSION)
            .u32_le(self.firmware_version)
            .u32_le(m_len as u32)
            .u32_le(0)
            .bytes(&tz);
        if crc_manifest {
            let crc = crc32_mpeg2(w.as_slice());
            w.u32_le(crc);
        }
        let signed = w.into_vec();
        let sig = signer.sign(&signed, curve.scheme())?;
        if sig.len() != curve.point_len() {
            return Err(MbiError::Build(format!(
                "the signer returned a {}-byte signature, expected {}",
                sig.len(),
                curve.point_len()
            )));
        }
        key.verify(&signed, &sig, curve.scheme())
            .map_err(|_| MbiError::Signature(who))?;
        let mut out = signed;
        out.extend_from_slice(&sig);
        Ok(out)
    }
}

/// LPC55S1x: chain certificates must be RSA-2048 (SPSDK `chain_cert_rsa2048_only`).
fn check_chain_rsa2048(cb: &CertBlockV1) -> Result<(), MbiError> {
    for (i, info) in cb.certificate_infos()?.iter().enumerate().skip(1) {
        let what = format!("certificate {i}");
        if let KeyType::Rsa(bits) = info.public_key().key_type() {
            if bits > 2048 {
                return Err(MbiError::Build(format!(
                    "{what} has an RSA-{bits} key; this family's ROM takes RSA-2048 chain \
                     certificates only"
                )));
            }
        }
    }
    Ok(())
}

/// The MBI CRC: CRC-32/MPEG-2 over the image with the 4 bytes at 0x28 left out.
pub fn image_crc(image: &[u8]) -> u32 {
    let head = crate::crypto::crc32::crc32_mpeg2_update(
        crate::crypto::crc32::INIT,
        &image[..IVT_CRC_OR_CERT.min(image.len())],
    );
    let tail = image.get(IVT_CRC_OR_CERT + 4..).unwrap_or(&[]);
    crate::crypto::crc32::crc32_mpeg2_update(head, tail)
}

/// A decoded (structure-checked) image.
#[derive(Debug, Clone)]
pub struct Mbi<'a> {
    /// The whole image.
    pub image: &'a [u8],
    /// Flags word.
    pub flags: u32,
    /// Execution target (a v1 LPC55Sxx signed image of type 0x04 reads as XIP; its load
    /// address tells where it runs).
    pub target: Target,
    /// Authentication.
    pub auth: Auth,
    /// Load address.
    pub load_address: u32,
    /// Image version, when the flags carry one.
    pub image_version: Option<u16>,
    /// TrustZone type (0 default preset, 1 custom, 2 disabled).
    pub tz_type: u32,
    /// Image subtype.
    pub subtype: u8,
    /// `enableHwUserModeKeys`.
    pub hw_user_keys: bool,
    /// The custom TrustZone preset.
    pub tz_preset: Option<&'a [u8]>,
    /// The relocation table entries (flag 0x800).
    pub reloc: Option<Vec<RelocInfo>>,
    /// Signed images: what follows the application.
    pub signed: Option<SignedParts<'a>>,
}

/// The parts of a signed image.
#[derive(Debug, Clone)]
pub struct SignedParts<'a> {
    /// Application length (including a relocation table): the cert block offset word.
    pub app_len: usize,
    /// The certificate block.
    pub cert_block: CertBlock,
    /// Manifest firmware version (v2.1).
    pub firmware_version: Option<u32>,
    /// Manifest length (v2.1; 0 for v1).
    pub manifest_len: usize,
    /// Manifest CRC (MCX N).
    pub manifest_crc: Option<u32>,
    /// Everything the signature covers (v1 images with an HMAC: without the HMAC and key
    /// store, as signed).
    pub signed: Cow<'a, [u8]>,
    /// The signature (RSA, or ECDSA r||s).
    pub signature: &'a [u8],
    /// The HMAC at 0x40 (RT5xx/6xx signed load-to-RAM).
    pub hmac: Option<&'a [u8]>,
    /// The key store after the HMAC.
    pub key_store: Option<&'a [u8]>,
    /// Encrypted images: the clear parts that follow the cert block.
    pub encrypted: Option<EncryptedParts<'a>>,
}

/// What an encrypted image keeps after its cert block (all inside the signed part).
#[derive(Debug, Clone)]
pub struct EncryptedParts<'a> {
    /// The first 0x38 bytes of the ciphertext (the image's own first 0x38 bytes carry the
    /// vector table words in clear).
    pub ivt: &'a [u8],
    /// The AES-CTR initial counter (16 bytes).
    pub iv: &'a [u8],
    /// The encrypted custom TrustZone preset (empty without one).
    pub tz: &'a [u8],
}

/// The clear content of an encrypted image.
#[derive(Debug, Clone)]
pub struct Decrypted {
    /// The application with its relocation table, vector table words as built.
    pub app: Zeroizing<Vec<u8>>,
    /// The relocation table entries (flag 0x800).
    pub reloc: Option<Vec<RelocInfo>>,
    /// The custom TrustZone preset.
    pub tz_preset: Option<Vec<u8>>,
}

fn bad(what: &'static str, at: usize, why: impl Into<String>) -> MbiError {
    MbiError::Decode(DecodeError::invalid(what, at, why))
}

/// Parses the relocation table that ends `app` (its last 16 bytes are the header).
fn parse_reloc(app: &[u8]) -> Result<Vec<RelocInfo>, MbiError> {
    let n = app.len();
    if n < MIN_APP + 16 {
        return Err(bad("relocation table", n, "no room for the table header"));
    }
    let h = n - 16;
    if get_u32(app, h) != RELOC_MARKER || get_u32(app, h + 4) != 0 {
        return Err(bad(
            "relocation table",
            h,
            "flag 0x800 is set but the application does not end with an \"LBTL\" version 0 header",
        ));
    }
    let count = get_u32(app, h + 8) as usize;
    let entries_at = get_u32(app, h + 12) as usize;
    let fits = count
        .checked_mul(16)
        .and_then(|t| entries_at.checked_add(t))
        .is_some_and(|end| end == h && entries_at >= MIN_APP);
    if !fits {
        return Err(bad(
            "relocation table",
            h + 8,
            format!("{count} entries at 0x{entries_at:X} do not end at the header (0x{h:X})"),
        ));
    }
    let mut out = Vec::with_capacity(count);
    let mut r = Reader::new(&app[entries_at..h]);
    for _ in 0..count {
        let e = RelocInfo {
            src: r.u32_le("relocation entry source")?,
            dst: r.u32_le("relocation entry destination")?,
            size: r.u32_le("relocation entry size")?,
            flags: r.u32_le("relocation entry flags")?,
        };
        let end = (e.src as usize).checked_add(e.size as usize);
        if e.flags != 1 || (e.src as usize) < MIN_APP || end.is_none_or(|x| x > entries_at) {
            return Err(bad(
                "relocation entry",
                entries_at,
                format!(
                    "source 0x{:X}, size 0x{:X}, flags {} do not lie before the table",
                    e.src, e.size, e.flags
                ),
            ));
        }
        out.push(e);
    }
    Ok(out)
}

impl<'a> Mbi<'a> {
    /// Decodes `image` as `family`'s ROM reads it. Every offset and length is checked; no
    /// crypto runs and no CRC is compared (see [`Mbi::verify`]).
    pub fn decode<F: SecureBootFacts + ?Sized>(
        image: &'a [u8],
        family: &F,
    ) -> Result<Mbi<'a>, MbiError> {
        let sb = facts(family)?;
        let name = family.family_name();
        let mbi = &sb.mbi;
        let v1 = is_v1(sb);
        if image.len() < MIN_APP {
            return Err(bad(
                "image",
                0,
                format!(
                    "{} bytes, smaller than the vector table (0x38)",
                    image.len()
                ),
            ));
        }
        let flags = get_u32(image, IVT_FLAGS);
        let load_address = get_u32(image, IVT_LOAD_ADDRESS);
        let ty = flags & 0x3F;
        let (target, auth) = match ty {
            image_type::PLAIN => (
                if get_u32(image, IVT_LENGTH) == 0 {
                    Target::Xip
                } else {
                    Target::LoadToRam
                },
                Auth::Plain,
            ),
            image_type::CRC_XIP => (Target::Xip, Auth::Crc),
            image_type::CRC_RAM => (Target::LoadToRam, Auth::Crc),
            image_type::SIGNED_XIP => (Target::Xip, Auth::Signed),
            image_type::SIGNED_RAM if !mbi.signed_ram_type_xip => (Target::LoadToRam, Auth::Signed),
            image_type::ENCRYPTED_RAM if v1 => (Target::LoadToRam, Auth::Encrypted),
            t => {
                return Err(bad(
                    "image type",
                    IVT_FLAGS,
                    format!("0x{t:02X} is not a plain, CRC or signed {name} image type"),
                ));
            }
        };
        if !supports(mbi, target, auth) {
            return Err(MbiError::Unsupported {
                family: name.to_string(),
                target: target.name(),
                auth: auth.name(),
            });
        }
        let tz_type = (flags >> TZ_SHIFT) & 3;
        let tz_ok = match mbi.trust_zone {
            TrustZoneMode::Mandatory => tz_type <= tz_type::CUSTOM,
            TrustZoneMode::Optional => tz_type <= tz_type::DISABLED,
            TrustZoneMode::None => tz_type == tz_type::DISABLED,
        };
        if !tz_ok {
            return Err(bad(
                "TrustZone type",
                IVT_FLAGS,
                format!(
                    "{tz_type} is not valid on {name} (TrustZone {})",
                    match mbi.trust_zone {
                        TrustZoneMode::Mandatory => "is mandatory: 0 default, 1 custom",
                        TrustZoneMode::Optional => "0 default, 1 custom, 2 disabled",
                        TrustZoneMode::None => "is not supported: 2 disabled",
                    }
                ),
            ));
        }
        let subtype = ((flags >> 6) & 3) as u8;
        if subtype != 0 && !(auth == Auth::Signed && mbi.subtype) {
            return Err(bad(
                "image subtype",
                IVT_FLAGS,
                format!("{subtype} is not valid here"),
            ));
        }
        let mut allowed = 0x3F | 0xC0 | (3 << TZ_SHIFT);
        if !v1 {
            allowed |= FLAG_IMAGE_VERSION;
        }
        if applies(&mbi.hw_user_keys, target, auth) {
            allowed |= FLAG_HW_USER_KEYS;
        }
        if applies(&mbi.reloc_table, target, auth) {
            allowed |= FLAG_RELOC_TABLE;
        }
        let hmac = applies(&mbi.hmac, target, auth);
        if hmac {
            allowed |= FLAG_KEY_STORE;
        }
        if flags & 0xFFFF & !allowed != 0 {
            return Err(bad(
                "image flags",
                IVT_FLAGS,
                format!(
                    "0x{flags:08X} sets bits {name} {} {} images do not use",
                    target.name(),
                    auth.name()
                ),
            ));
        }
        let image_version = if flags & FLAG_IMAGE_VERSION != 0 {
            Some((flags >> 16) as u16)
        } else {
            if flags >> 16 != 0 {
                return Err(bad(
                    "image flags",
                    IVT_FLAGS,
                    "an image version without the version-present bit",
                ));
            }
            None
        };
        let tz_len = if tz_type == tz_type::CUSTOM {
            mbi.tz_preset_size as usize
        } else {
            0
        };
        let total = get_u32(image, IVT_LENGTH) as usize;
        let mut out = Mbi {
            image,
            flags,
            target,
            auth,
            load_address,
            image_version,
            tz_type,
            subtype,
            hw_user_keys: flags & FLAG_HW_USER_KEYS != 0,
            tz_preset: None,
            reloc: None,
            signed: None,
        };
        match auth {
            Auth::Plain | Auth::Crc => {
                let expect = if auth == Auth::Plain && target == Target::Xip {
                    0
                } else {
                    image.len()
                };
                if total != expect {
                    return Err(bad(
                        "total length",
                        IVT_LENGTH,
                        format!("{total}, the image is {} bytes", image.len()),
                    ));
                }
                if image.len() < MIN_APP + tz_len {
                    return Err(bad("image", 0, "too short for its TrustZone preset"));
                }
                let app_end = image.len() - tz_len;
                if tz_len > 0 {
                    out.tz_preset = Some(&image[app_end..]);
                }
                if flags & FLAG_RELOC_TABLE != 0 {
                    out.reloc = Some(parse_reloc(&image[..app_end])?);
                }
            }
            Auth::Signed if v1 => {
                if total != image.len() {
                    return Err(bad(
                        "total length",
                        IVT_LENGTH,
                        format!("{total}, the image is {} bytes", image.len()),
                    ));
                }
                let hmac_len = if hmac { HMAC_LEN } else { 0 };
                let ks_len = if flags & FLAG_KEY_STORE != 0 {
                    KEY_STORE_LEN
                } else {
                    0
                };
                let app_len = get_u32(image, IVT_CRC_OR_CERT) as usize;
                let cb_at = app_len.saturating_add(hmac_len + ks_len);
                if app_len < MIN_APP.max(if hmac { HMAC_OFFSET } else { 0 })
                    || app_len % 4 != 0
                    || cb_at >= image.len()
                {
                    return Err(bad(
                        "certificate block offset",
                        IVT_CRC_OR_CERT,
                        format!("0x{app_len:X} in a {}-byte image", image.len()),
                    ));
                }
                let (cert_block, cb_len) = CertBlockV1::decode_prefix(&image[cb_at..])?;
                if sb.chain_rsa2048_only {
                    check_chain_rsa2048(&cert_block)?;
                }
                let sig_len = cert_block.signature_len()?;
                let signed_end = cb_at + cb_len + tz_len;
                let end = signed_end.saturating_add(sig_len);
                if end != image.len() {
                    return Err(bad(
                        "image",
                        image.len().min(end),
                        format!(
                            "application + certificate block + TrustZone preset + signature = \
                             {end}, the image is {} bytes",
                            image.len()
                        ),
                    ));
                }
                let want_len = app_len + cb_len + tz_len;
                if cert_block.image_length as usize != want_len {
                    return Err(bad(
                        "certificate block image length",
                        cb_at + 0x14,
                        format!(
                            "{}, the signed part is {want_len} bytes",
                            cert_block.image_length
                        ),
                    ));
                }
                if tz_len > 0 {
                    out.tz_preset = Some(&image[cb_at + cb_len..signed_end]);
                }
                let signed: Cow<'a, [u8]> = if hmac {
                    let mut v = Vec::with_capacity(want_len);
                    v.extend_from_slice(&image[..HMAC_OFFSET]);
                    v.extend_from_slice(&image[HMAC_OFFSET + hmac_len + ks_len..signed_end]);
                    Cow::Owned(v)
                } else {
                    Cow::Borrowed(&image[..signed_end])
                };
                if flags & FLAG_RELOC_TABLE != 0 {
                    out.reloc = Some(parse_reloc(&signed[..app_len])?);
                }
                out.signed = Some(SignedParts {
                    app_len,
                    cert_block: CertBlock::V1(cert_block),
                    firmware_version: None,
                    manifest_len: 0,
                    manifest_crc: None,
                    signed,
                    signature: &image[signed_end..],
                    hmac: hmac.then(|| &image[HMAC_OFFSET..HMAC_OFFSET + HMAC_LEN]),
                    key_store: (ks_len > 0)
                        .then(|| &image[HMAC_OFFSET + HMAC_LEN..HMAC_OFFSET + HMAC_LEN + ks_len]),
                    encrypted: None,
                });
            }
            Auth::Encrypted => {
                if total != image.len() {
                    return Err(bad(
                        "total length",
                        IVT_LENGTH,
                        format!("{total}, the image is {} bytes", image.len()),
                    ));
                }
                let ks_len = if flags & FLAG_KEY_STORE != 0 {
                    KEY_STORE_LEN
                } else {
                    0
                };
                let inserted = HMAC_LEN + ks_len;
                let app_len = get_u32(image, IVT_CRC_OR_CERT) as usize;
                let cb_at = app_len.saturating_add(inserted);
                if app_len < HMAC_OFFSET || app_len % 4 != 0 || cb_at >= image.len() {
                    return Err(bad(
                        "certificate block offset",
                        IVT_CRC_OR_CERT,
                        format!("0x{app_len:X} in a {}-byte image", image.len()),
                    ));
                }
                let (cert_block, cb_len) = CertBlockV1::decode_prefix(&image[cb_at..])?;
                if sb.chain_rsa2048_only {
                    check_chain_rsa2048(&cert_block)?;
                }
                let sig_len = cert_block.signature_len()?;
                let ivt_at = cb_at + cb_len;
                let iv_at = ivt_at + ENC_IVT_COPY;
                let tz_at = iv_at + CTR_IV_LEN;
                let signed_end = tz_at + tz_len;
                let end = signed_end.saturating_add(sig_len);
                if end != image.len() {
                    return Err(bad(
                        "image",
                        image.len().min(end),
                        format!(
                            "application + HMAC + key store + certificate block + encrypted \
                             vector table + IV + TrustZone preset + signature = {end}, the \
                             image is {} bytes",
                            image.len()
                        ),
                    ));
                }
                let want_len = signed_end - inserted;
                if cert_block.image_length as usize != want_len {
                    return Err(bad(
                        "certificate block image length",
                        cb_at + 0x14,
                        format!(
                            "{}, the signed part is {want_len} bytes",
                            cert_block.image_length
                        ),
                    ));
                }
                let mut signed = Vec::with_capacity(want_len);
                signed.extend_from_slice(&image[..HMAC_OFFSET]);
                signed.extend_from_slice(&image[HMAC_OFFSET + inserted..signed_end]);
                out.signed = Some(SignedParts {
                    app_len,
                    cert_block: CertBlock::V1(cert_block),
                    firmware_version: None,
                    manifest_len: 0,
                    manifest_crc: None,
                    signed: Cow::Owned(signed),
                    signature: &image[signed_end..],
                    hmac: Some(&image[HMAC_OFFSET..HMAC_OFFSET + HMAC_LEN]),
                    key_store: (ks_len > 0)
                        .then(|| &image[HMAC_OFFSET + HMAC_LEN..HMAC_OFFSET + inserted]),
                    encrypted: Some(EncryptedParts {
                        ivt: &image[ivt_at..iv_at],
                        iv: &image[iv_at..tz_at],
                        tz: &image[tz_at..signed_end],
                    }),
                });
            }
            Auth::Signed => {
                if total != image.len() {
                    return Err(bad(
                        "total length",
                        IVT_LENGTH,
                        format!("{total}, the image is {} bytes", image.len()),
                    ));
                }
                let app_len = get_u32(image, IVT_CRC_OR_CERT) as usize;
                if app_len < MIN_APP || app_len % 4 != 0 || app_len >= image.len() {
                    return Err(bad(
                        "certificate block offset",
                        IVT_CRC_OR_CERT,
                        format!("0x{app_len:X} in a {}-byte image", image.len()),
                    ));
                }
                let (cert_block, cb_len) = CertBlockV21::decode_prefix(&image[app_len..])?;
                let m_at = app_len + cb_len;
                let mut r = Reader::new(&image[m_at..]);
                let magic = r.array::<4>("manifest magic")?;
                if &magic != MANIFEST_MAGIC {
                    return Err(bad("manifest magic", m_at, "expected \"imgm\""));
                }
                let ver = r.u32_le("manifest version")?;
                if ver != MANIFEST_VERSION {
                    return Err(bad("manifest version", m_at + 4, format!("0x{ver:08X}")));
                }
                let firmware_version = r.u32_le("manifest firmware version")?;
                let m_len = r.u32_le("manifest length")? as usize;
                let m_flags = r.u32_le("manifest flags")?;
                if m_flags != 0 {
                    return Err(bad(
                        "manifest flags",
                        m_at + 16,
                        format!("0x{m_flags:08X} (digest manifests are not used by {name})"),
                    ));
                }
                let crc_manifest = mbi.manifest.as_deref() == Some("crc");
                let want_m = MANIFEST_BASE + tz_len + if crc_manifest { 4 } else { 0 };
                if m_len != want_m {
                    return Err(bad(
                        "manifest length",
                        m_at + 12,
                        format!("{m_len}, expected {want_m}"),
                    ));
                }
                let sig_len = cert_block.signature_len();
                let end = m_at
                    .checked_add(m_len)
                    .and_then(|e| e.checked_add(sig_len))
                    .unwrap_or(usize::MAX);
                if end != image.len() {
                    return Err(bad(
                        "image",
                        image.len().min(end),
                        format!(
                            "application + certificate block + manifest + signature = {end}, the image is {} bytes",
                            image.len()
                        ),
                    ));
                }
                if tz_len > 0 {
                    let at = m_at + MANIFEST_BASE;
                    out.tz_preset = Some(&image[at..at + tz_len]);
                }
                let manifest_crc = crc_manifest.then(|| get_u32(image, m_at + m_len - 4));
                out.signed = Some(SignedParts {
                    app_len,
                    cert_block: CertBlock::V21(cert_block),
                    firmware_version: Some(firmware_version),
                    manifest_len: m_len,
                    manifest_crc,
                    signed: Cow::Borrowed(&image[..m_at + m_len]),
                    signature: &image[m_at + m_len..],
                    hmac: None,
                    key_store: None,
                    encrypted: None,
                });
            }
        }
        if let Some(tz) = out.tz_preset {
            if tz::looks_like_text(tz) {
                return Err(bad(
                    "TrustZone preset",
                    tz.as_ptr() as usize - image.as_ptr() as usize,
                    "it holds text, not register values (SPSDK 3.12 embeds the text of a YAML \
                     preset it failed to read: reference sb2_mbi.md 9.9)",
                ));
            }
        }
        Ok(out)
    }

    /// Checks the CRC (CRC images, MCX N manifest), the certificate block against `rkth`
    /// (when given), the ISK and image signatures. The HMAC of RT5xx/6xx images needs the
    /// device key: [`Mbi::verify_hmac`].
    pub fn verify(&self, rkth: Option<&[u8]>) -> Result<(), MbiError> {
        match self.auth {
            Auth::Plain => Ok(()),
            Auth::Crc => {
                let stored = get_u32(self.image, IVT_CRC_OR_CERT);
                let computed = image_crc(self.image);
                if stored != computed {
                    return Err(MbiError::Crc {
                        what: "image",
                        stored,
                        computed,
                    });
                }
                Ok(())
            }
            Auth::Signed | Auth::Encrypted => {
                let s = self
                    .signed
                    .as_ref()
                    .ok_or_else(|| MbiError::Build("signed parts missing".into()))?;
                match &s.cert_block {
                    CertBlock::V1(cb) => {
                        cb.verify(rkth)?;
                        cb.signing_key()?
                            .verify(&s.signed, s.signature, crate::certblock::v1::SCHEME)
                            .map_err(|_| MbiError::Signature("leaf certificate"))
                    }
                    CertBlock::V21(cb) => {
                        let v = cb.verify(rkth)?;
                        if let Some(stored) = s.manifest_crc {
                            let body = &s.signed[..s.signed.len().saturating_sub(4)];
                            let computed = crc32_mpeg2(body);
                            if stored != computed {
                                return Err(MbiError::Crc {
                                    what: "manifest",
                                    stored,
                                    computed,
                                });
                            }
                        }
                        let who = if cb.isk.is_some() { "ISK" } else { "root" };
                        v.signing_key
                            .verify(&s.signed, s.signature, v.signing_curve.scheme())
                            .map_err(|_| MbiError::Signature(who))
                    }
                }
            }
        }
    }

    /// Checks the HMAC of an image that carries one against the OTP master key (`Ok` for
    /// images without an HMAC).
    pub fn verify_hmac(&self, master: &[u8; 32]) -> Result<(), MbiError> {
        let Some(s) = &self.signed else { return Ok(()) };
        let Some(stored) = s.hmac else { return Ok(()) };
        let computed = image_hmac(master, &s.signed[..HMAC_OFFSET])?;
        if computed[..] != stored[..] {
            return Err(MbiError::Hmac);
        }
        Ok(())
    }

    /// Decrypts an encrypted image with `key`: the OTP master key, or the key store's user
    /// key when the image embeds a key store (the key SPSDK takes as
    /// `outputImageEncryptionKeyFile`). Checks that the clear vector table carries the
    /// image's header words (the HMAC is checked by [`Mbi::verify_hmac`]).
    pub fn decrypt(&self, key: &[u8; 32]) -> Result<Decrypted, MbiError> {
        let (Some(s), Some(e)) = (
            &self.signed,
            self.signed.as_ref().and_then(|s| s.encrypted.as_ref()),
        ) else {
            return Err(MbiError::Build(format!(
                "a {} {} image is not encrypted",
                self.target.name(),
                self.auth.name()
            )));
        };
        let iv: [u8; CTR_IV_LEN] =
            e.iv.try_into()
                .map_err(|_| bad("counter IV", 0, "not 16 bytes"))?;
        let body = s
            .signed
            .get(ENC_IVT_COPY..s.app_len)
            .ok_or_else(|| bad("image", ENC_IVT_COPY, "application out of range"))?;
        let mut plain = Zeroizing::new(Vec::with_capacity(s.app_len + e.tz.len()));
        plain.extend_from_slice(e.ivt);
        plain.extend_from_slice(body);
        plain.extend_from_slice(e.tz);
        let ikey = image_key(key, s.key_store.is_some())?;
        aes_ctr(&ikey, &iv, &mut plain);
        for w in [IVT_LENGTH, IVT_FLAGS, IVT_CRC_OR_CERT, IVT_LOAD_ADDRESS] {
            if get_u32(&plain, w) != get_u32(self.image, w) {
                return Err(MbiError::Decrypt);
            }
        }
        let tz_preset = (!e.tz.is_empty()).then(|| plain[s.app_len..].to_vec());
        if tz_preset.as_deref().is_some_and(tz::looks_like_text) {
            return Err(bad(
                "TrustZone preset",
                0,
                "it holds text, not register values",
            ));
        }
        plain.truncate(s.app_len);
        let reloc = if self.flags & FLAG_RELOC_TABLE != 0 {
            Some(parse_reloc(&plain)?)
        } else {
            None
        };
        Ok(Decrypted {
            app: plain,
            reloc,
            tz_preset,
        })
    }

    /// The application as built (its vector table words included), with a relocation table
    /// but without cert block, manifest, TZ preset, HMAC, key store and signature (encrypted
    /// images: the ciphertext; see [`Mbi::decrypt`]).
    pub fn app(&self) -> Cow<'a, [u8]> {
        match &self.signed {
            Some(s) => match &s.signed {
                Cow::Borrowed(b) => Cow::Borrowed(&b[..s.app_len.min(b.len())]),
                Cow::Owned(v) => Cow::Owned(v[..s.app_len.min(v.len())].to_vec()),
            },
            None => {
                let tz = self.tz_preset.map(<[u8]>::len).unwrap_or(0);
                Cow::Borrowed(&self.image[..self.image.len().saturating_sub(tz)])
            }
        }
    }
}

impl fmt::Display for Mbi<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} image, {} bytes, load address 0x{:08X}, flags 0x{:08X}",
            self.target.name(),
            self.auth.name(),
            self.image.len(),
            self.load_address,
            self.flags
        )?;
        if let Some(v) = self.image_version {
            write!(f, ", image version {v}")?;
        }
        match self.tz_type {
            tz_type::CUSTOM => f.write_str(", custom TrustZone preset")?,
            tz_type::DISABLED => f.write_str(", TrustZone disabled")?,
            _ => {}
        }
        if self.hw_user_keys {
            f.write_str(", HW user-mode keys")?;
        }
        if let Some(r) = &self.reloc {
            write!(f, ", relocation table ({} entries)", r.len())?;
        }
        if let Some(s) = &self.signed {
            if let Some(v) = s.firmware_version {
                write!(f, ", firmware version {v}")?;
            }
            if s.hmac.is_some() {
                f.write_str(", HMAC")?;
            }
            if s.key_store.is_some() {
                f.write_str(", key store")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_v1;
