//! MCUboot's own acceptance rules for an image in a slot (`boot_check_header_valid` and
//! `bootutil_img_validate`, reference section 10), as a bootloader build configured by
//! [`BootConfig`] applies them. The simulator boots slots with this; `mcuboot-sign verify`
//! can apply it too.

use super::build::{ImageHash, SigAlg};
use super::enc;
use super::image::{
    Endian, IMAGE_HEADER_SIZE, ImageHeader, TLV_INFO_MAGIC, TLV_PROT_INFO_MAGIC, flags,
};
use super::keyfmt;
use super::tlv::TlvKind;
use super::verify::check_signature;
use super::version::ImageVersion;
use crate::crypto::{PrivateKey, PublicKey};
use zeroize::Zeroizing;

/// What the bootloader was built with.
#[derive(Debug, Clone)]
pub struct BootConfig {
    /// The one image hash of the build (`MCUBOOT_SHA512`, `MCUBOOT_SIGN_EC384` or SHA-256).
    pub hash: ImageHash,
    /// The one signature algorithm of the build; `None`: hash-only validation.
    pub sig: Option<SigAlg>,
    /// Built-in public keys (`bootutil_keys[]`), matched by KEYHASH.
    pub keys: Vec<PublicKey>,
    /// `MCUBOOT_HW_KEY`: the PUBKEY TLV must hash to this value (instead of KEYHASH).
    pub hw_key_hash: Option<Vec<u8>>,
    /// `MCUBOOT_SIGN_PURE`: the signature covers the image; SIG_PURE must be 1.
    pub sign_pure: bool,
    /// `MCUBOOT_ENC_IMAGES`: the device decryption key.
    pub enc_key: Option<PrivateKey>,
    /// `MCUBOOT_USE_TLV_ALLOW_LIST`: only known types in the unprotected area.
    pub tlv_allow_list: bool,
    /// `MCUBOOT_HW_ROLLBACK_PROT`: the stored security counter the image must reach.
    pub min_security_counter: Option<u32>,
}

impl BootConfig {
    /// A build verifying `sig` signatures against `keys` (hash from the algorithm:
    /// SHA-384 for P-384, else SHA-256).
    pub fn signed(sig: SigAlg, keys: Vec<PublicKey>) -> BootConfig {
        BootConfig {
            hash: if sig == SigAlg::EcdsaP384 {
                ImageHash::Sha384
            } else {
                ImageHash::Sha256
            },
            sig: Some(sig),
            keys,
            hw_key_hash: None,
            sign_pure: false,
            enc_key: None,
            tlv_allow_list: false,
            min_security_counter: None,
        }
    }
}

/// Why the bootloader rejects an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Invalid {
    /// No image magic (erased or garbage).
    #[error("bad image magic 0x{0:08x}")]
    BadMagic(u32),
    /// Header fields do not fit the slot.
    #[error("header sizes do not fit the slot: {0}")]
    BadSizes(String),
    /// Encrypted flags the build does not support.
    #[error("image is encrypted but {0}")]
    Encryption(String),
    /// Compressed images are not supported.
    #[error("compressed image (flags 0x{0:x}): decompression is not built in")]
    Compressed(u32),
    /// The TLV areas are malformed.
    #[error("TLV area: {0}")]
    Tlv(String),
    /// The hash TLV of the build's type is missing.
    #[error("no {0} hash TLV")]
    NoHash(&'static str),
    /// The hash does not match.
    #[error("image hash does not match")]
    BadHash,
    /// No signature verified with a built-in key.
    #[error("no valid signature from a known key")]
    NoSignature,
    /// The security counter is below the stored one.
    #[error("security counter {have} below the device's {need}")]
    SecurityCounter {
        /// In the image.
        have: u32,
        /// On the device.
        need: u32,
    },
}

/// An accepted image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// The header.
    pub header: ImageHeader,
    /// The version.
    pub version: ImageVersion,
    /// Index of the built-in key that verified the signature.
    pub key_index: Option<usize>,
    /// Security counter from the protected area.
    pub security_counter: Option<u32>,
    /// Size of the image without padding and trailer (`tlv_end`).
    pub tlv_end: usize,
    /// The AES key, when the image was decrypted.
    pub aes_key: Option<Zeroizing<Vec<u8>>>,
}

/// Validates the image at the start of `slot` (the whole slot). `max_image_size` is the
/// slot minus its trailer; `decrypt` is true for the secondary slot (MCUboot decrypts
/// only images there).
pub fn validate(
    slot: &[u8],
    max_image_size: usize,
    cfg: &BootConfig,
    decrypt: bool,
) -> Result<Validated, Invalid> {
    let endian = Endian::Little;
    let header = ImageHeader::decode(slot, endian)
        .map_err(|_| Invalid::BadSizes("slot smaller than a header".into()))?;
    if header.magic != super::image::IMAGE_MAGIC {
        return Err(Invalid::BadMagic(header.magic));
    }
    // boot_check_header_valid
    let size = u64::from(header.hdr_size) + u64::from(header.img_size);
    if size >= slot.len() as u64 || header.signed_len() >= slot.len() as u64 {
        return Err(Invalid::BadSizes(format!(
            "hdr_size 0x{:x} + img_size 0x{:x} + protected 0x{:x} reach the slot end 0x{:x}",
            header.hdr_size,
            header.img_size,
            header.protect_tlv_size,
            slot.len()
        )));
    }
    if usize::from(header.hdr_size) < IMAGE_HEADER_SIZE {
        return Err(Invalid::BadSizes(format!(
            "hdr_size 0x{:x} is smaller than the header",
            header.hdr_size
        )));
    }
    let both = flags::ENCRYPTED_AES128 | flags::ENCRYPTED_AES256;
    if header.flags & both == both {
        return Err(Invalid::Encryption(
            "both AES-128 and AES-256 flags are set".into(),
        ));
    }
    if header.is_encrypted() && cfg.enc_key.is_none() {
        return Err(Invalid::Encryption(
            "encryption support is not built in".into(),
        ));
    }
    if header.flags & (flags::COMPRESSED_LZMA1 | flags::COMPRESSED_LZMA2) != 0 {
        return Err(Invalid::Compressed(header.flags));
    }

    // TLV iterator bounds.
    let hdr = usize::from(header.hdr_size);
    let off = hdr + header.img_size as usize;
    let read16 = |at: usize| -> Option<u16> {
        slot.get(at..at + 2)
            .map(|s| u16::from_le_bytes([s[0], s[1]]))
    };
    let tlv_err = |s: &str| Invalid::Tlv(s.to_string());
    let m0 = read16(off).ok_or_else(|| tlv_err("missing TLV info"))?;
    let (prot_start, prot_end, unprot_at) = if m0 == TLV_PROT_INFO_MAGIC {
        let tot = read16(off + 2).ok_or_else(|| tlv_err("missing TLV info"))?;
        if tot != header.protect_tlv_size {
            return Err(tlv_err("protected TLV size does not match the header"));
        }
        (off + 4, off + usize::from(tot), off + usize::from(tot))
    } else {
        if header.protect_tlv_size != 0 {
            return Err(tlv_err("header announces protected TLVs the image lacks"));
        }
        (off, off, off)
    };
    if read16(unprot_at) != Some(TLV_INFO_MAGIC) {
        return Err(tlv_err("bad TLV info magic"));
    }
    let unprot_tot = usize::from(read16(unprot_at + 2).ok_or_else(|| tlv_err("missing TLV info"))?);
    let tlv_end = unprot_at + unprot_tot;
    if tlv_end > max_image_size || tlv_end > slot.len() {
        return Err(Invalid::BadSizes(format!(
            "TLVs end at 0x{tlv_end:x}, beyond the image area 0x{max_image_size:x}"
        )));
    }
    let mut entries: Vec<(bool, TlvKind, &[u8])> = Vec::new();
    for (protected, mut p, end) in [
        (true, prot_start, prot_end),
        (false, unprot_at + 4, tlv_end),
    ] {
        while p < end {
            if p + 4 > end {
                return Err(tlv_err("TLV header runs past its area"));
            }
            let kind = read16(p).unwrap_or(0);
            let len = usize::from(read16(p + 2).unwrap_or(0));
            let v = slot
                .get(p + 4..p + 4 + len)
                .filter(|_| p + 4 + len <= end)
                .ok_or_else(|| tlv_err("TLV value runs past its area"))?;
            entries.push((protected, TlvKind(kind), v));
            p += 4 + len;
        }
    }

    // Decryption key (secondary slot only).
    let aes_key = if decrypt && header.is_encrypted() {
        let dev = cfg
            .enc_key
            .as_ref()
            .ok_or_else(|| Invalid::Encryption("no device key".into()))?;
        let key_len = header.aes_key_len().unwrap_or(16);
        let wrap = enc::wrap_kind(dev.key_type(), false)
            .map_err(|e| Invalid::Encryption(e.to_string()))?;
        // An X25519 device key takes either HMAC variant.
        let found = entries.iter().find(|(p, k, _)| {
            !*p && (*k == wrap || (wrap == TlvKind::ENC_X25519 && *k == TlvKind::ENC_X25519_SHA512))
        });
        let (_, kind, value) =
            found.ok_or_else(|| Invalid::Encryption(format!("no {wrap} TLV")))?;
        Some(
            enc::unwrap(*kind, value, dev, key_len)
                .map_err(|e| Invalid::Encryption(e.to_string()))?,
        )
    } else {
        None
    };

    // The signed region, decrypted on the fly.
    let signed_end = prot_end.max(off);
    let region: std::borrow::Cow<'_, [u8]> = match &aes_key {
        Some(k) => {
            let mut r = slot[..signed_end].to_vec();
            enc::aes_ctr(k, 0, &mut r[hdr..off]).map_err(|e| Invalid::Encryption(e.to_string()))?;
            std::borrow::Cow::Owned(r)
        }
        None => std::borrow::Cow::Borrowed(&slot[..signed_end]),
    };
    let digest = cfg.hash.digest(&region);

    let mut hash_ok = false;
    let mut current: Option<(Option<usize>, PublicKey)> = None;
    let mut valid_sig = false;
    let mut key_index = None;
    let mut pure_flag = false;
    let mut security_counter = None;
    let allowed_unprot = |k: TlvKind| {
        k == TlvKind::KEYHASH
            || k == TlvKind::PUBKEY
            || k.is_hash()
            || k.is_signature()
            || k == TlvKind::SIG_PURE
            || k.is_enc()
    };
    for (protected, kind, value) in &entries {
        if cfg.tlv_allow_list && !*protected && !allowed_unprot(*kind) {
            return Err(Invalid::Tlv(format!(
                "{kind} not allowed in the unprotected area"
            )));
        }
        if *kind == cfg.hash.tlv() {
            if value.len() != cfg.hash.digest_len() || *value != digest.as_slice() {
                return Err(Invalid::BadHash);
            }
            hash_ok = true;
        } else if *kind == TlvKind::SIG_PURE {
            pure_flag = value.len() == 1 && value.first() == Some(&1);
        } else if *kind == TlvKind::KEYHASH && cfg.hw_key_hash.is_none() {
            if value.len() > 64 {
                return Err(tlv_err("KEYHASH longer than 64 bytes"));
            }
            // The first built-in key whose hash starts with the TLV (not found: the
            // following signature is skipped).
            current = cfg
                .keys
                .iter()
                .position(|k| {
                    keyfmt::public_der(k)
                        .map(|d| cfg.hash.digest(&d).starts_with(value))
                        .unwrap_or(false)
                })
                .map(|i| (Some(i), cfg.keys[i].clone()));
        } else if *kind == TlvKind::PUBKEY {
            if let Some(want) = &cfg.hw_key_hash {
                current = if cfg.hash.digest(value) == *want {
                    PublicKey::from_bytes(value, "PUBKEY TLV")
                        .ok()
                        .map(|pk| (cfg.keys.iter().position(|k| *k == pk), pk))
                } else {
                    None
                };
            }
        } else if cfg.sig.is_some_and(|s| s.tlv() == *kind) {
            // Key selection resets after each signature.
            let Some((idx, k)) = current.take() else {
                continue;
            };
            let len_ok = match cfg.sig {
                Some(SigAlg::Rsa2048) => value.len() == 256,
                Some(SigAlg::Rsa3072) => value.len() == 384,
                Some(SigAlg::Ed25519) => value.len() == 64,
                _ => value.len() <= 104,
            };
            if len_ok && check_signature(&k, value, &region, &digest, cfg.sign_pure) {
                valid_sig = true;
                key_index = idx;
            }
        } else if *kind == TlvKind::SEC_CNT && *protected {
            let b: [u8; 4] = (*value)
                .try_into()
                .map_err(|_| tlv_err("SEC_CNT is not 4 bytes"))?;
            security_counter = Some(u32::from_le_bytes(b));
        }
    }
    if !hash_ok && !cfg.sign_pure {
        return Err(Invalid::NoHash(cfg.hash.name()));
    }
    if cfg.sig.is_some() && (!valid_sig || (cfg.sign_pure && !pure_flag)) {
        return Err(Invalid::NoSignature);
    }
    if let Some(need) = cfg.min_security_counter {
        let have = security_counter.ok_or(Invalid::SecurityCounter { have: 0, need })?;
        if have < need {
            return Err(Invalid::SecurityCounter { have, need });
        }
    }
    Ok(Validated {
        header,
        version: header.version,
        key_index,
        security_counter,
        tlv_end,
        aes_key,
    })
}
