//! `imgtool sign`: builds an image from an application binary, byte for byte as imgtool
//! 2.5.0 does wherever its output is deterministic (reference `mcuboot.md` sections 1-8).

use super::McubootError;
use super::enc;
use super::image::{
    Endian, IMAGE_HEADER_SIZE, IMAGE_MAGIC, ImageHeader, TLV_INFO_MAGIC, TLV_PROT_INFO_MAGIC,
    encode_tlv_area, flags,
};
use super::keyfmt;
use super::tlv::{Tlv, TlvKind};
use super::trailer::{TrailerLayout, TrailerSizing, boot_magic, magic_align_size};
use super::util::{NAMESPACE_DNS, cbor, parse_uuid};
use super::version::ImageVersion;
use crate::crypto::signer::HashAlg;
use crate::crypto::{KeyType, PublicKey, Scheme, Signer};
use rand_core::CryptoRngCore;
use zeroize::Zeroizing;

/// `--sha`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShaChoice {
    /// The key's default (SHA-256 without a key).
    #[default]
    Auto,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl ShaChoice {
    fn label(self) -> &'static str {
        match self {
            ShaChoice::Auto => "auto",
            ShaChoice::Sha256 => "256",
            ShaChoice::Sha384 => "384",
            ShaChoice::Sha512 => "512",
        }
    }
}

/// `--hmac-sha`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HmacSha {
    /// SHA-256.
    #[default]
    Auto,
    /// SHA-256.
    Sha256,
    /// SHA-512 (ECIES-X25519 only).
    Sha512,
}

/// `--public-key-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyFormat {
    /// KEYHASH TLV.
    #[default]
    Hash,
    /// PUBKEY TLV.
    Full,
}

/// `--security-counter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityCounter {
    /// From the version: `(maj << 24) + (min << 16) + rev`.
    Auto,
    /// This value.
    Value(u32),
}

/// `--vector-to-sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorToSign {
    /// The signed region (header, body, protected TLVs).
    Payload,
    /// Its digest.
    Digest,
}

/// One `--dependencies` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency {
    /// Image index.
    pub image_id: u8,
    /// Minimum version.
    pub version: ImageVersion,
}

/// Encryption (`-E`).
#[derive(Debug, Clone)]
pub struct EncryptOptions {
    /// The device's public key (a private key file's public half is fine).
    pub key: PublicKey,
    /// `--encrypt-keylen 256`.
    pub aes256: bool,
    /// `--clear`: flags and key TLV, but the body stays plaintext.
    pub clear: bool,
    /// `--hmac-sha`.
    pub hmac_sha: HmacSha,
    /// `--save-enctlv` (trailer sizing only).
    pub save_enctlv: bool,
}

/// Everything `imgtool sign` takes besides the key and the files.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// `-v`.
    pub version: ImageVersion,
    /// `-H`.
    pub header_size: u32,
    /// `--pad-header`.
    pub pad_header: bool,
    /// `-S`.
    pub slot_size: u64,
    /// `--pad` (also set by `--confirm` and `--test`).
    pub pad: bool,
    /// `--confirm`.
    pub confirm: bool,
    /// `--test`.
    pub test: bool,
    /// `--align` (1, 2, 4, 8, 16, 32).
    pub align: u32,
    /// `--max-align` (8, 16, 32).
    pub max_align: Option<u32>,
    /// `-M`.
    pub max_sectors: Option<u32>,
    /// `--overwrite-only`.
    pub overwrite_only: bool,
    /// `-e`.
    pub endian: Endian,
    /// `-L`.
    pub load_addr: Option<u32>,
    /// `-F`.
    pub rom_fixed: Option<u32>,
    /// `-R` (0x00 or 0xff).
    pub erased_val: u8,
    /// `-s`.
    pub security_counter: Option<SecurityCounter>,
    /// `-d`.
    pub dependencies: Vec<Dependency>,
    /// `--boot-record`.
    pub boot_record: Option<String>,
    /// `--custom-tlv` then `--custom-tlv-file` values, in that order.
    pub custom_tlvs: Vec<(u16, Vec<u8>)>,
    /// `--vid`.
    pub vid: Option<String>,
    /// `--cid`.
    pub cid: Option<String>,
    /// `--non-bootable`.
    pub non_bootable: bool,
    /// `--sha`.
    pub sha: ShaChoice,
    /// `--pure`.
    pub pure: bool,
    /// `--public-key-format`.
    pub key_format: KeyFormat,
    /// `--pad-sig`.
    pub pad_sig: bool,
    /// `-E` and friends.
    pub encrypt: Option<EncryptOptions>,
    /// `--vector-to-sign`.
    pub vector_to_sign: Option<VectorToSign>,
}

impl SignOptions {
    /// imgtool's defaults with the three required options.
    pub fn new(version: ImageVersion, header_size: u32, slot_size: u64) -> SignOptions {
        SignOptions {
            version,
            header_size,
            pad_header: false,
            slot_size,
            pad: false,
            confirm: false,
            test: false,
            align: 1,
            max_align: None,
            max_sectors: None,
            overwrite_only: false,
            endian: Endian::Little,
            load_addr: None,
            rom_fixed: None,
            erased_val: 0xff,
            security_counter: None,
            dependencies: Vec::new(),
            boot_record: None,
            custom_tlvs: Vec::new(),
            vid: None,
            cid: None,
            non_bootable: false,
            sha: ShaChoice::Auto,
            pure: false,
            key_format: KeyFormat::Hash,
            pad_sig: false,
            encrypt: None,
            vector_to_sign: None,
        }
    }

    /// `max(8, align)` or `--max-align`.
    pub fn effective_max_align(&self) -> u32 {
        self.max_align.unwrap_or(self.align.max(8))
    }
}

/// How the image is signed.
#[allow(clippy::large_enum_variant)]
pub enum Signing<'a> {
    /// Not signed (hash only).
    None,
    /// With a key (`-k`).
    Key(&'a dyn Signer),
    /// With a signature made elsewhere (`--fix-sig`, `--fix-sig-pubkey`).
    Fixed {
        /// The signature bytes (the TLV value).
        signature: Vec<u8>,
        /// The key that made it.
        public_key: PublicKey,
    },
}

/// The application to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The bytes (HEX input flattened, gaps 0xFF).
    pub data: Vec<u8>,
    /// Lowest address of a HEX input.
    pub base_addr: Option<u64>,
}

/// A signature algorithm MCUboot verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigAlg {
    /// RSA-2048 PSS.
    Rsa2048,
    /// RSA-3072 PSS.
    Rsa3072,
    /// ECDSA P-256.
    EcdsaP256,
    /// ECDSA P-384.
    EcdsaP384,
    /// Ed25519.
    Ed25519,
}

impl SigAlg {
    /// The algorithm of a key, or why MCUboot cannot use it for signatures.
    pub fn for_key(kind: KeyType) -> Result<SigAlg, McubootError> {
        Ok(match kind {
            KeyType::Rsa(2048) => SigAlg::Rsa2048,
            KeyType::Rsa(3072) => SigAlg::Rsa3072,
            KeyType::P256 => SigAlg::EcdsaP256,
            KeyType::P384 => SigAlg::EcdsaP384,
            KeyType::Ed25519 => SigAlg::Ed25519,
            other => return Err(McubootError::UnsupportedSigningKey(other)),
        })
    }

    /// The signature TLV.
    pub fn tlv(self) -> TlvKind {
        match self {
            SigAlg::Rsa2048 => TlvKind::RSA2048_PSS,
            SigAlg::Rsa3072 => TlvKind::RSA3072_PSS,
            SigAlg::EcdsaP256 | SigAlg::EcdsaP384 => TlvKind::ECDSA_SIG,
            SigAlg::Ed25519 => TlvKind::ED25519,
        }
    }

    /// The scheme (RSA/ECDSA over the signed region, hashing it; Ed25519 over what it is
    /// given).
    pub fn scheme(self) -> Scheme {
        match self {
            SigAlg::Rsa2048 | SigAlg::Rsa3072 => Scheme::RsaPss {
                hash: HashAlg::Sha256,
                salt_len: 32,
            },
            SigAlg::EcdsaP256 => Scheme::EcdsaDer(HashAlg::Sha256),
            SigAlg::EcdsaP384 => Scheme::EcdsaDer(HashAlg::Sha384),
            SigAlg::Ed25519 => Scheme::Ed25519,
        }
    }

    /// `--pad-sig` length (ECDSA).
    pub fn padded_len(self) -> Option<usize> {
        match self {
            SigAlg::EcdsaP256 => Some(72),
            SigAlg::EcdsaP384 => Some(103),
            _ => None,
        }
    }
}

/// An image hash algorithm and its TLV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageHash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl ImageHash {
    /// The TLV type.
    pub fn tlv(self) -> TlvKind {
        match self {
            ImageHash::Sha256 => TlvKind::SHA256,
            ImageHash::Sha384 => TlvKind::SHA384,
            ImageHash::Sha512 => TlvKind::SHA512,
        }
    }

    /// From a hash TLV type.
    pub fn from_tlv(kind: TlvKind) -> Option<ImageHash> {
        match kind {
            TlvKind::SHA256 => Some(ImageHash::Sha256),
            TlvKind::SHA384 => Some(ImageHash::Sha384),
            TlvKind::SHA512 => Some(ImageHash::Sha512),
            _ => None,
        }
    }

    /// Digest length.
    pub fn digest_len(self) -> usize {
        match self {
            ImageHash::Sha256 => 32,
            ImageHash::Sha384 => 48,
            ImageHash::Sha512 => 64,
        }
    }

    /// Name in the boot record (`SHA256`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ImageHash::Sha256 => "SHA256",
            ImageHash::Sha384 => "SHA384",
            ImageHash::Sha512 => "SHA512",
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        self.alg().digest(data)
    }

    /// As a [`HashAlg`].
    pub fn alg(self) -> HashAlg {
        match self {
            ImageHash::Sha256 => HashAlg::Sha256,
            ImageHash::Sha384 => HashAlg::Sha384,
            ImageHash::Sha512 => HashAlg::Sha512,
        }
    }
}

fn sha_of(c: ShaChoice) -> ImageHash {
    match c {
        ShaChoice::Sha384 => ImageHash::Sha384,
        ShaChoice::Sha512 => ImageHash::Sha512,
        _ => ImageHash::Sha256,
    }
}

/// imgtool's hash selection (`key_and_user_sha_to_alg_and_tlv`), with real lists in the
/// error instead of imgtool's literal `{allowed}`. `fixed` is true when the key is only the
/// public key of a `--fix-sig` signature (imgtool then also allows SHA-512 with P-256).
pub fn select_hash(
    key: Option<KeyType>,
    fixed: bool,
    sha: ShaChoice,
    pure: bool,
) -> Result<ImageHash, McubootError> {
    let Some(kind) = key else {
        return Ok(sha_of(sha));
    };
    if pure {
        return match kind {
            KeyType::Ed25519 => Ok(ImageHash::Sha512),
            other => Err(McubootError::PureNeedsEd25519(other)),
        };
    }
    let allowed: &[ShaChoice] = match kind {
        KeyType::P384 => &[ShaChoice::Sha384],
        KeyType::P256 if fixed => &[ShaChoice::Sha256, ShaChoice::Sha512],
        KeyType::P256 | KeyType::Rsa(_) => &[ShaChoice::Sha256],
        KeyType::Ed25519 | KeyType::X25519 => &[ShaChoice::Sha256, ShaChoice::Sha512],
        other => return Err(McubootError::UnsupportedSigningKey(other)),
    };
    if sha == ShaChoice::Auto {
        return Ok(sha_of(allowed[0]));
    }
    if allowed.contains(&sha) {
        return Ok(sha_of(sha));
    }
    Err(McubootError::HashNotAllowed {
        sig_type: keyfmt::sig_type(kind),
        sha: sha.label(),
        allowed: allowed
            .iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The result of [`sign`].
#[derive(Debug, Clone)]
pub struct SignedImage {
    /// Header through TLV area (or the vector to sign).
    pub image: Vec<u8>,
    /// The signature TLV value, when signed.
    pub signature: Option<Vec<u8>>,
    /// The image digest.
    pub digest: Vec<u8>,
    /// The trailer size used for the slot-size check.
    pub trailer_size: u64,
    /// What imgtool prints on stdout while signing (`image.py: sign the payload`, ...).
    pub notes: Vec<&'static str>,
    /// True for `--vector-to-sign` output.
    pub is_vector: bool,
    /// Lowest address of a HEX input.
    pub input_base: Option<u64>,
    /// What `--pad-header` put in front of the input (0 without it).
    pub header_shift: u64,
    pad: bool,
    confirm: bool,
    test: bool,
    overwrite_only: bool,
    slot_size: u64,
    max_align: u32,
    erased: u8,
    magic: [u8; 16],
}

impl SignedImage {
    /// The binary output: the image, padded to the slot with the trailer magic (and
    /// image_ok for `--confirm`) when padding was asked for. `--vector-to-sign` output is
    /// never padded.
    pub fn to_bin(&self) -> Vec<u8> {
        let mut out = self.image.clone();
        if self.pad && !self.is_vector {
            let total = usize::try_from(self.slot_size).unwrap_or(usize::MAX);
            let fill = total.saturating_sub(out.len());
            out.resize(out.len() + fill, self.erased);
            let n = out.len();
            if n >= 16 {
                out[n - 16..].copy_from_slice(&self.magic);
            }
            if self.confirm && !self.overwrite_only {
                let layout = TrailerLayout {
                    max_align: self.max_align,
                };
                let at = n as u64 - layout.image_ok_from_end();
                if let Some(b) = out.get_mut(at as usize) {
                    *b = 0x01;
                }
            }
        }
        out
    }

    /// The Intel HEX output at `hex_addr` (or the input's base address minus the header
    /// with `--pad-header`). With padding only the image_ok block (for `--confirm`/`--test`)
    /// and the magic are written, not the fill.
    pub fn to_hex(&self, hex_addr: Option<u64>) -> Result<String, McubootError> {
        let base = match (hex_addr, self.input_base) {
            (Some(a), _) => a,
            (None, None) => return Err(McubootError::NoHexAddress),
            // imgtool does not shift a base of 0 (its `if self.base_addr:`), so the image
            // lands `header` bytes above where the application was linked: refuse instead.
            (None, Some(b)) if self.header_shift > 0 && b < self.header_shift => {
                return Err(McubootError::HexBaseBelowHeader {
                    input_base: b,
                    header: self.header_shift,
                });
            }
            (None, Some(b)) => b - self.header_shift,
        };
        let mut segs = vec![(base, self.image.clone())];
        if self.pad && !self.is_vector {
            let end = base + self.slot_size;
            let ma = u64::from(self.max_align);
            if (self.test || self.confirm) && !self.overwrite_only {
                let mut flag = vec![self.erased; self.max_align as usize];
                if self.confirm {
                    flag[0] = 0x01;
                }
                segs.push((end - magic_align_size(self.max_align) - ma, flag));
            }
            segs.push((end - 16, self.magic.to_vec()));
        }
        super::hex::write_hex(&segs).map_err(McubootError::Hex)
    }
}

fn u16_field(what: &'static str, v: usize) -> Result<u16, McubootError> {
    u16::try_from(v).map_err(|_| McubootError::FieldOverflow {
        what,
        value: v as u64,
    })
}

fn u32_field(what: &'static str, v: usize) -> Result<u32, McubootError> {
    u32::try_from(v).map_err(|_| McubootError::FieldOverflow {
        what,
        value: v as u64,
    })
}

/// The CBOR boot record (`--boot-record`): a 5-entry map in imgtool's key order.
pub fn boot_record(
    sw_type: &str,
    version: &ImageVersion,
    hash: ImageHash,
    signer_id: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    cbor::map(&mut out, 5);
    cbor::uint(&mut out, 1);
    cbor::text(&mut out, sw_type);
    cbor::uint(&mut out, 4);
    cbor::text(
        &mut out,
        &format!("{}.{}.{}", version.major, version.minor, version.revision),
    );
    cbor::uint(&mut out, 5);
    cbor::bytes(&mut out, signer_id);
    cbor::uint(&mut out, 6);
    cbor::text(&mut out, hash.name());
    cbor::uint(&mut out, 2);
    cbor::bytes(&mut out, &vec![0u8; hash.digest_len()]);
    out
}

/// Builds the image (imgtool `Image.load` + `Image.create`).
///
/// `rng` supplies the AES key and the key-wrap randomness of encrypted images (and is
/// unused otherwise).
pub fn sign<R: CryptoRngCore>(
    input: &Input,
    opts: &SignOptions,
    signing: &Signing<'_>,
    rng: &mut R,
) -> Result<SignedImage, McubootError> {
    // ---- options that do not depend on the input ----
    if opts.header_size < IMAGE_HEADER_SIZE as u32 {
        return Err(McubootError::HeaderSizeTooSmall);
    }
    let hdr_size = opts.header_size as usize;
    u16_field("ih_hdr_size (-H/--header-size)", hdr_size)?;
    let load_addr = opts.load_addr.unwrap_or(0);
    if load_addr != 0 && opts.rom_fixed.is_some_and(|r| r != 0) {
        return Err(McubootError::RomFixedAndLoadAddr);
    }
    if !matches!(opts.align, 1 | 2 | 4 | 8 | 16 | 32) {
        return Err(McubootError::BadAlign(opts.align));
    }
    let max_align = opts.effective_max_align();
    if !matches!(max_align, 8 | 16 | 32) {
        return Err(McubootError::BadMaxAlign(max_align));
    }

    // ---- load: header space ----
    let mut payload: Vec<u8> = if opts.pad_header {
        let mut p = vec![opts.erased_val; hdr_size];
        p.extend_from_slice(&input.data);
        p
    } else {
        if input.data.iter().take(hdr_size).any(|&b| b != 0) {
            return Err(McubootError::HeaderNotZero);
        }
        if input.data.len() < hdr_size {
            return Err(McubootError::InputShorterThanHeader {
                len: input.data.len(),
                header: hdr_size,
            });
        }
        input.data.clone()
    };
    // ---- keys ----
    let (sig_key, fixed_sig): (Option<PublicKey>, bool) = match signing {
        Signing::None => (None, false),
        Signing::Key(s) => (Some(s.public_key()?), false),
        Signing::Fixed { public_key, .. } => (Some(public_key.clone()), true),
    };
    let sig_alg = match &sig_key {
        Some(k) => Some(SigAlg::for_key(k.key_type())?),
        None => None,
    };
    if let Some(enc_opts) = &opts.encrypt {
        let ek = enc_opts.key.key_type();
        if let (Signing::Key(_), Some(sk)) = (signing, &sig_key) {
            let ok = match sk.key_type() {
                KeyType::P256 => ek == KeyType::P256,
                KeyType::P384 => ek == KeyType::P384,
                KeyType::Rsa(_) => matches!(ek, KeyType::Rsa(_)),
                _ => true,
            };
            if !ok {
                return Err(McubootError::EncKeyMismatch);
            }
        }
        enc::wrap_kind(ek, enc_opts.hmac_sha == HmacSha::Sha512)?;
    }
    if opts.pure && opts.sha != ShaChoice::Auto {
        return Err(McubootError::PureWithSha);
    }
    let hash = select_hash(
        sig_key.as_ref().map(PublicKey::key_type),
        fixed_sig,
        opts.sha,
        opts.pure,
    )?;
    let pub_der = match &sig_key {
        Some(k) => Some(keyfmt::public_der(k)?),
        None => None,
    };
    let pubbytes = match &pub_der {
        Some(d) => hash.digest(d),
        None => vec![0u8; 32],
    };

    // ---- protected TLVs ----
    let e = opts.endian;
    let mut prot: Vec<Tlv> = Vec::new();
    if let Some(sc) = opts.security_counter {
        let v = match sc {
            SecurityCounter::Auto => opts.version.security_counter(),
            SecurityCounter::Value(v) => v,
        };
        prot.push(Tlv::new(TlvKind::SEC_CNT, e.u32(v).to_vec()));
    }
    if let Some(sw) = &opts.boot_record {
        let chars = sw.chars().count();
        if chars > 12 {
            return Err(McubootError::BootRecordTooLong {
                sw_type: sw.clone(),
                chars,
            });
        }
        prot.push(Tlv::new(
            TlvKind::BOOT_RECORD,
            boot_record(sw, &opts.version, hash, &pubbytes),
        ));
    }
    for d in &opts.dependencies {
        let mut v = vec![d.image_id, 0, 0, 0, d.version.major, d.version.minor];
        v.extend_from_slice(&e.u16(d.version.revision));
        v.extend_from_slice(&e.u32(d.version.build));
        prot.push(Tlv::new(TlvKind::DEPENDENCY, v));
    }
    let vid = match &opts.vid {
        Some(v) => Some(parse_uuid(Some(&NAMESPACE_DNS), v)?),
        None => None,
    };
    if let Some(v) = vid {
        prot.push(Tlv::new(TlvKind::UUID_VID, v.to_vec()));
    }
    if let Some(c) = &opts.cid {
        let cid = parse_uuid(vid.as_ref(), c)?;
        prot.push(Tlv::new(TlvKind::UUID_CID, cid.to_vec()));
    }
    for (tag, value) in &opts.custom_tlvs {
        check_custom_tag(*tag, opts.custom_tlvs.iter().map(|(t, _)| *t))?;
        prot.push(Tlv::new(TlvKind(*tag), value.clone()));
    }
    for t in &prot {
        u16_field("TLV length", t.value.len())?;
    }
    let prot_area = encode_tlv_area(TLV_PROT_INFO_MAGIC, &prot, e)?;

    // ---- encryption padding, header ----
    if opts.encrypt.is_some() {
        let rem = payload.len() % 16;
        if rem != 0 {
            payload.resize(payload.len() + 16 - rem, 0);
        }
    }
    let mut fl = 0u32;
    if let Some(enc_opts) = &opts.encrypt {
        fl |= if enc_opts.aes256 {
            flags::ENCRYPTED_AES256
        } else {
            flags::ENCRYPTED_AES128
        };
    }
    if load_addr != 0 {
        fl |= flags::RAM_LOAD;
    }
    let rom_fixed = opts.rom_fixed.filter(|r| *r != 0);
    if rom_fixed.is_some() {
        fl |= flags::ROM_FIXED;
    }
    if opts.non_bootable {
        fl |= flags::NON_BOOTABLE;
    }
    let header = ImageHeader {
        magic: IMAGE_MAGIC,
        load_addr: rom_fixed.unwrap_or(load_addr),
        hdr_size: hdr_size as u16,
        protect_tlv_size: u16_field("ih_protect_tlv_size", prot_area.len())?,
        img_size: u32_field("ih_img_size", payload.len() - hdr_size)?,
        flags: fl,
        version: opts.version,
        pad1: 0,
    };
    payload[..IMAGE_HEADER_SIZE].copy_from_slice(&header.encode(e));
    let body_end = payload.len();
    payload.extend_from_slice(&prot_area);

    // ---- hash, signature ----
    let digest = hash.digest(&payload);
    let mut unprot = vec![Tlv::new(hash.tlv(), digest.clone())];
    if opts.pure {
        unprot.push(Tlv::new(TlvKind::SIG_PURE, vec![1]));
    }
    let geometry = |image: Vec<u8>, signature, trailer_size, notes, is_vector| SignedImage {
        image,
        signature,
        digest: digest.clone(),
        trailer_size,
        notes,
        is_vector,
        input_base: input.base_addr,
        header_shift: if opts.pad_header { hdr_size as u64 } else { 0 },
        pad: opts.pad || opts.confirm || opts.test,
        confirm: opts.confirm,
        test: opts.test,
        overwrite_only: opts.overwrite_only,
        slot_size: opts.slot_size,
        max_align,
        erased: opts.erased_val,
        magic: boot_magic(max_align, e),
    };
    match opts.vector_to_sign {
        Some(VectorToSign::Payload) => {
            return Ok(geometry(
                payload,
                None,
                0,
                vec!["image.py: export payload"],
                true,
            ));
        }
        Some(VectorToSign::Digest) => {
            return Ok(geometry(
                digest.clone(),
                None,
                0,
                vec!["image.py: export digest"],
                true,
            ));
        }
        None => {}
    }
    let mut notes = Vec::new();
    let mut signature = None;
    if let (Some(alg), Some(der)) = (sig_alg, &pub_der) {
        unprot.push(match opts.key_format {
            KeyFormat::Hash => Tlv::new(TlvKind::KEYHASH, pubbytes.clone()),
            KeyFormat::Full => Tlv::new(TlvKind::PUBKEY, der.clone()),
        });
        let sig = match signing {
            Signing::Key(s) => {
                let mut sig = if alg == SigAlg::Ed25519 {
                    notes.push("image.py: sign the digest");
                    let message: &[u8] = if opts.pure { &payload } else { &digest };
                    s.sign(message, alg.scheme())?
                } else {
                    notes.push("image.py: sign the payload");
                    s.sign(&payload, alg.scheme())?
                };
                if opts.pad_sig {
                    if let Some(n) = alg.padded_len() {
                        if sig.len() < n {
                            sig.resize(n, 0);
                        }
                    }
                }
                sig
            }
            Signing::Fixed { signature, .. } => signature.clone(),
            Signing::None => Vec::new(),
        };
        u16_field("signature TLV length", sig.len())?;
        unprot.push(Tlv::new(alg.tlv(), sig.clone()));
        signature = Some(sig);
    }

    // ---- encryption ----
    let mut enc_tlv_len = None;
    if let Some(enc_opts) = &opts.encrypt {
        let mut plain = Zeroizing::new(vec![0u8; if enc_opts.aes256 { 32 } else { 16 }]);
        rng.fill_bytes(plain.as_mut_slice());
        let (kind, value) = enc::wrap(
            &enc_opts.key,
            &plain,
            enc_opts.hmac_sha == HmacSha::Sha512,
            rng,
        )?;
        enc_tlv_len = Some(value.len());
        unprot.push(Tlv::new(kind, value));
        if !enc_opts.clear {
            enc::aes_ctr(&plain, 0, &mut payload[hdr_size..body_end])?;
        }
    }
    payload.extend_from_slice(&encode_tlv_area(TLV_INFO_MAGIC, &unprot, e)?);

    // ---- slot size check ----
    let sizing = TrailerSizing {
        align: opts.align,
        max_align,
        max_sectors: opts
            .max_sectors
            .unwrap_or(super::trailer::DEFAULT_MAX_SECTORS),
        overwrite_only: opts.overwrite_only,
        enc_tlv_len,
        save_enctlv: opts.encrypt.as_ref().is_some_and(|x| x.save_enctlv),
    };
    let tsize = sizing.size();
    if payload.len() as u64 + tsize > opts.slot_size {
        return Err(McubootError::TooBig {
            len: payload.len() as u64,
            trailer: tsize,
            slot: opts.slot_size,
        });
    }
    Ok(geometry(payload, signature, tsize, notes, false))
}

/// Checks a custom TLV tag the way imgtool does (duplicates, predefined types, range).
pub fn check_custom_tag(tag: u16, all: impl Iterator<Item = u16>) -> Result<(), McubootError> {
    if all.filter(|t| *t == tag).count() > 1 {
        return Err(McubootError::CustomTlvDuplicate(tag));
    }
    if TlvKind::PREDEFINED.contains(&TlvKind(tag)) {
        return Err(McubootError::CustomTlvConflict(tag));
    }
    if !(TlvKind::VENDOR_MIN..=TlvKind::VENDOR_MAX).contains(&tag) {
        return Err(McubootError::CustomTlvRange(u32::from(tag)));
    }
    Ok(())
}
