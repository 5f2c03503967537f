//! Master boot images (MBI) of the certificate-block-v2.1 families (LPC55S3x, MCX N, RW61x):
//! plain, CRC and signed images for XIP and load-to-RAM, with the "imgm" manifest (and MCX
//! N's manifest CRC), and the checks the ROM makes before it boots one.
//!
//! ```text
//! vector table words: 0x20 total length | 0x24 flags | 0x28 CRC or cert block offset | 0x34 load address
//! flags = type[5:0] | subtype[7:6] | 0x400 image version present | tz type[14:13] | version[31:16]
//! plain  = app (4-aligned) [|| custom TZ preset]                0x20 = 0 (XIP) / length (RAM)
//! crc    = plain, 0x20 = length, 0x28 = CRC-32/MPEG-2 over everything but 0x28..0x2C
//! signed = app || cert block v2.1 || "imgm" manifest || ECDSA r||s over all before it
//! manifest = "imgm" | 0x00010000 | firmwareVersion | length | flags 0 | [TZ preset] | [CRC (MCX N)]
//! ```

use crate::certblock::{CertBlockError, CertBlockV21};
use crate::codec::{DecodeError, Reader, Writer};
use crate::crypto::crc32::crc32_mpeg2;
use crate::crypto::{CryptoError, Signer};
use crate::family::{Family, MbiInfo};
use std::fmt;

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
}

const FLAG_IMAGE_VERSION: u32 = 0x400;
const TZ_SHIFT: u32 = 13;

/// Where the image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// In place from flash.
    Xip,
    /// Copied to RAM first.
    LoadToRam,
}

/// How the image is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Auth {
    /// Nothing.
    Plain,
    /// CRC-32/MPEG-2.
    Crc,
    /// ECDSA with a certificate block v2.1.
    Signed,
}

impl Auth {
    /// The config name.
    pub fn name(self) -> &'static str {
        match self {
            Auth::Plain => "plain",
            Auth::Crc => "crc",
            Auth::Signed => "signed",
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

/// The image type word for a target/authentication pair.
pub fn type_of(target: Target, auth: Auth) -> u32 {
    match (target, auth) {
        (_, Auth::Plain) => image_type::PLAIN,
        (Target::Xip, Auth::Crc) => image_type::CRC_XIP,
        (Target::LoadToRam, Auth::Crc) => image_type::CRC_RAM,
        (Target::Xip, Auth::Signed) => image_type::SIGNED_XIP,
        (Target::LoadToRam, Auth::Signed) => image_type::SIGNED_RAM,
    }
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

/// Everything an MBI is built from.
pub struct MbiSpec<'a> {
    /// Where it runs.
    pub target: Target,
    /// How it is authenticated.
    pub auth: Auth,
    /// The application (its vector table words 0x20/0x24/0x28/0x34 are overwritten).
    pub app: Vec<u8>,
    /// `outputImageExecutionAddress`.
    pub load_address: u32,
    /// `imageVersion` (0: none).
    pub image_version: u16,
    /// `firmwareVersion` (manifest, signed images).
    pub firmware_version: u32,
    /// `outputImageSubtype` (MCX N signed images: 0 main, 1 recovery).
    pub subtype: u8,
    /// A custom TrustZone-M preset (binary); None: the ROM's default preset.
    pub tz_preset: Option<Vec<u8>>,
    /// Certificate block (signed images).
    pub cert_block: Option<CertBlockV21>,
    /// Signer (signed images): ISK private key with an ISK, else the root key.
    pub signer: Option<&'a dyn Signer>,
}

fn family_mbi(family: &Family) -> Result<&MbiInfo, MbiError> {
    family
        .secure_boot
        .as_ref()
        .map(|s| &s.mbi)
        .ok_or_else(|| MbiError::Build(format!("{} has no cert-block-v2.1 MBI", family.name)))
}

fn supports(mbi: &MbiInfo, target: Target, auth: Auth) -> bool {
    mbi.targets
        .get(target.name())
        .is_some_and(|v| v.iter().any(|a| a == auth.name()))
}

fn put_u32(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn get_u32(buf: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]])
}

impl MbiSpec<'_> {
    /// The flags word.
    pub fn flags(&self, family: &Family) -> Result<u32, MbiError> {
        let mbi = family_mbi(family)?;
        let mut f = type_of(self.target, self.auth);
        if self.tz_preset.is_some() {
            f |= 1 << TZ_SHIFT;
        }
        if self.auth == Auth::Signed && mbi.subtype {
            f |= u32::from(self.subtype & 3) << 6;
        } else if self.subtype != 0 {
            return Err(MbiError::Build(format!(
                "{}: an image subtype only exists for signed images of MCX N",
                family.name
            )));
        }
        if self.image_version != 0 {
            f |= FLAG_IMAGE_VERSION | (u32::from(self.image_version) << 16);
        }
        Ok(f)
    }

    /// Builds the image.
    pub fn build(&self, family: &Family) -> Result<Vec<u8>, MbiError> {
        let mbi = family_mbi(family)?;
        if !supports(mbi, self.target, self.auth) {
            return Err(MbiError::Unsupported {
                family: family.name.clone(),
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
        if let Some(tz) = &self.tz_preset {
            if tz.len() != mbi.tz_preset_size as usize {
                return Err(MbiError::Build(format!(
                    "the TrustZone preset is {} bytes; {} presets are {} bytes (a binary made \
                     by `nxpimage tz export`)",
                    tz.len(),
                    family.name,
                    mbi.tz_preset_size
                )));
            }
        }
        let flags = self.flags(family)?;
        let mut app = self.app.clone();
        app.resize(app.len().div_ceil(4) * 4, 0);
        let tz = self.tz_preset.clone().unwrap_or_default();
        match self.auth {
            Auth::Plain | Auth::Crc => {
                let total = app.len() + tz.len();
                let len_word = if self.auth == Auth::Plain && self.target == Target::Xip {
                    0
                } else {
                    total as u32
                };
                put_u32(&mut app, IVT_LENGTH, len_word);
                put_u32(&mut app, IVT_FLAGS, flags);
                put_u32(&mut app, IVT_CRC_OR_CERT, 0);
                put_u32(&mut app, IVT_LOAD_ADDRESS, self.load_address);
                app.extend_from_slice(&tz);
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
                let signer = self
                    .signer
                    .ok_or_else(|| MbiError::Build("a signed image needs a signer".into()))?;
                let who = if cb.isk.is_some() { "ISK" } else { "root" };
                let key = match &cb.isk {
                    Some(i) => i.key()?,
                    None => cb.root_key()?,
                };
                if signer.public_key()? != key {
                    return Err(MbiError::SignerMismatch(who));
                }
                let crc_manifest = mbi.manifest == "crc";
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
    }
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
    /// Execution target.
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
    /// Signed images: what follows the application.
    pub signed: Option<SignedParts<'a>>,
}

/// The parts of a signed image.
#[derive(Debug, Clone)]
pub struct SignedParts<'a> {
    /// Application length (cert block offset).
    pub app_len: usize,
    /// The certificate block.
    pub cert_block: CertBlockV21,
    /// Manifest firmware version.
    pub firmware_version: u32,
    /// Manifest length.
    pub manifest_len: usize,
    /// Manifest CRC (MCX N).
    pub manifest_crc: Option<u32>,
    /// Everything the signature covers.
    pub signed: &'a [u8],
    /// r||s.
    pub signature: &'a [u8],
}

fn bad(what: &'static str, at: usize, why: impl Into<String>) -> MbiError {
    MbiError::Decode(DecodeError::invalid(what, at, why))
}

impl<'a> Mbi<'a> {
    /// Decodes `image` as `family`'s ROM reads it. Every offset and length is checked; no
    /// crypto runs and no CRC is compared (see [`Mbi::verify`]).
    pub fn decode(image: &'a [u8], family: &Family) -> Result<Mbi<'a>, MbiError> {
        let mbi = family_mbi(family)?;
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
            image_type::SIGNED_RAM => (Target::LoadToRam, Auth::Signed),
            t => {
                return Err(bad(
                    "image type",
                    IVT_FLAGS,
                    format!("0x{t:02X} is not a plain, CRC or signed image type"),
                ));
            }
        };
        if !supports(mbi, target, auth) {
            return Err(MbiError::Unsupported {
                family: family.name.clone(),
                target: target.name(),
                auth: auth.name(),
            });
        }
        let tz_type = (flags >> TZ_SHIFT) & 3;
        if tz_type > 1 {
            return Err(bad(
                "TrustZone type",
                IVT_FLAGS,
                format!(
                    "{tz_type}: TrustZone is mandatory on {} (0 default, 1 custom)",
                    family.name
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
        if flags & 0xFFFF & !(0x3F | 0xC0 | FLAG_IMAGE_VERSION | (3 << TZ_SHIFT)) != 0 {
            return Err(bad(
                "image flags",
                IVT_FLAGS,
                format!("0x{flags:08X} sets bits {} images do not use", family.name),
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
        let tz_len = if tz_type == 1 {
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
                        format!(
                            "0x{m_flags:08X} (digest manifests are not used by {})",
                            family.name
                        ),
                    ));
                }
                let crc_manifest = mbi.manifest == "crc";
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
                let manifest_crc = crc_manifest.then(|| get_u32(image, m_at + m_len - 4));
                out.signed = Some(SignedParts {
                    app_len,
                    cert_block,
                    firmware_version,
                    manifest_len: m_len,
                    manifest_crc,
                    signed: &image[..m_at + m_len],
                    signature: &image[m_at + m_len..],
                });
            }
        }
        Ok(out)
    }

    /// Checks the CRC (CRC images, MCX N manifest), the certificate block against `rkth`
    /// (when given), the ISK and image signatures.
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
            Auth::Signed => {
                let s = self
                    .signed
                    .as_ref()
                    .ok_or_else(|| MbiError::Build("signed parts missing".into()))?;
                let v = s.cert_block.verify(rkth)?;
                if let Some(stored) = s.manifest_crc {
                    let computed = crc32_mpeg2(&s.signed[..s.signed.len() - 4]);
                    if stored != computed {
                        return Err(MbiError::Crc {
                            what: "manifest",
                            stored,
                            computed,
                        });
                    }
                }
                let who = if s.cert_block.isk.is_some() {
                    "ISK"
                } else {
                    "root"
                };
                v.signing_key
                    .verify(s.signed, s.signature, v.signing_curve.scheme())
                    .map_err(|_| MbiError::Signature(who))
            }
        }
    }

    /// The application part (without cert block, manifest, signature, TZ preset).
    pub fn app(&self, family: &Family) -> &'a [u8] {
        match &self.signed {
            Some(s) => &self.image[..s.app_len],
            None => {
                let tz = if self.tz_type == 1 {
                    family
                        .secure_boot
                        .as_ref()
                        .map(|s| s.mbi.tz_preset_size as usize)
                        .unwrap_or(0)
                } else {
                    0
                };
                &self.image[..self.image.len().saturating_sub(tz)]
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
        if self.tz_type == 1 {
            f.write_str(", custom TrustZone preset")?;
        }
        if let Some(s) = &self.signed {
            write!(f, ", firmware version {}", s.firmware_version)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
