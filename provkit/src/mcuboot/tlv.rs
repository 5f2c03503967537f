//! TLV types (`bootutil/image.h`) and the names imgtool prints for them.

use std::fmt;

/// A TLV type. Open: unknown values are kept and printed as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TlvKind(pub u16);

impl TlvKind {
    /// Hash of the public key.
    pub const KEYHASH: TlvKind = TlvKind(0x01);
    /// The public key (DER).
    pub const PUBKEY: TlvKind = TlvKind(0x02);
    /// SHA-256 image hash.
    pub const SHA256: TlvKind = TlvKind(0x10);
    /// SHA-384 image hash.
    pub const SHA384: TlvKind = TlvKind(0x11);
    /// SHA-512 image hash.
    pub const SHA512: TlvKind = TlvKind(0x12);
    /// RSA-2048 PSS signature.
    pub const RSA2048_PSS: TlvKind = TlvKind(0x20);
    /// Obsolete ECDSA P-224 signature.
    pub const ECDSA224: TlvKind = TlvKind(0x21);
    /// ECDSA signature (DER), P-256 or P-384.
    pub const ECDSA_SIG: TlvKind = TlvKind(0x22);
    /// RSA-3072 PSS signature.
    pub const RSA3072_PSS: TlvKind = TlvKind(0x23);
    /// Ed25519 signature.
    pub const ED25519: TlvKind = TlvKind(0x24);
    /// The signature covers the image itself, not its digest.
    pub const SIG_PURE: TlvKind = TlvKind(0x25);
    /// AES key wrapped with RSA-OAEP (2048).
    pub const ENC_RSA2048: TlvKind = TlvKind(0x30);
    /// AES key wrapped with AES-KW.
    pub const ENC_KW: TlvKind = TlvKind(0x31);
    /// AES key wrapped with ECIES-P256.
    pub const ENC_EC256: TlvKind = TlvKind(0x32);
    /// AES key wrapped with ECIES-X25519 (HKDF/HMAC-SHA256).
    pub const ENC_X25519: TlvKind = TlvKind(0x33);
    /// AES key wrapped with ECIES-X25519 (HKDF/HMAC-SHA512).
    pub const ENC_X25519_SHA512: TlvKind = TlvKind(0x34);
    /// Dependency on another image.
    pub const DEPENDENCY: TlvKind = TlvKind(0x40);
    /// Security counter.
    pub const SEC_CNT: TlvKind = TlvKind(0x50);
    /// CBOR boot record.
    pub const BOOT_RECORD: TlvKind = TlvKind(0x60);
    /// Decompressed size.
    pub const DECOMP_SIZE: TlvKind = TlvKind(0x70);
    /// Hash of the decompressed image.
    pub const DECOMP_SHA: TlvKind = TlvKind(0x71);
    /// Signature of the decompressed image.
    pub const DECOMP_SIGNATURE: TlvKind = TlvKind(0x72);
    /// Compressed size before encryption padding.
    pub const COMP_DEC_SIZE: TlvKind = TlvKind(0x73);
    /// Vendor UUID.
    pub const UUID_VID: TlvKind = TlvKind(0x74);
    /// Image class UUID.
    pub const UUID_CID: TlvKind = TlvKind(0x75);

    /// Lowest type `--custom-tlv` accepts (imgtool's `TLV_VENDOR_RES_MIN`).
    pub const VENDOR_MIN: u16 = 0x00a0;
    /// Highest type `--custom-tlv` accepts (imgtool's `TLV_VENDOR_RES_MAX`).
    pub const VENDOR_MAX: u16 = 0xfffe;

    /// Every type imgtool predefines (custom TLVs may not reuse them).
    pub const PREDEFINED: [TlvKind; 24] = [
        TlvKind::KEYHASH,
        TlvKind::PUBKEY,
        TlvKind::SHA256,
        TlvKind::SHA384,
        TlvKind::SHA512,
        TlvKind::RSA2048_PSS,
        TlvKind::ECDSA_SIG,
        TlvKind::RSA3072_PSS,
        TlvKind::ED25519,
        TlvKind::SIG_PURE,
        TlvKind::ENC_RSA2048,
        TlvKind::ENC_KW,
        TlvKind::ENC_EC256,
        TlvKind::ENC_X25519,
        TlvKind::ENC_X25519_SHA512,
        TlvKind::DEPENDENCY,
        TlvKind::SEC_CNT,
        TlvKind::BOOT_RECORD,
        TlvKind::DECOMP_SIZE,
        TlvKind::DECOMP_SHA,
        TlvKind::DECOMP_SIGNATURE,
        TlvKind::COMP_DEC_SIZE,
        TlvKind::UUID_VID,
        TlvKind::UUID_CID,
    ];

    /// imgtool's name (`dumpinfo`), if the type is one imgtool knows.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x01 => "KEYHASH",
            0x02 => "PUBKEY",
            0x10 => "SHA256",
            0x11 => "SHA384",
            0x12 => "SHA512",
            0x20 => "RSA2048",
            0x22 => "ECDSASIG",
            0x23 => "RSA3072",
            0x24 => "ED25519",
            0x25 => "SIG_PURE",
            0x30 => "ENCRSA2048",
            0x31 => "ENCKW",
            0x32 => "ENCEC256",
            0x33 => "ENCX25519",
            0x34 => "ENCX25519_SHA512",
            0x40 => "DEPENDENCY",
            0x50 => "SEC_CNT",
            0x60 => "BOOT_RECORD",
            0x70 => "DECOMP_SIZE",
            0x71 => "DECOMP_SHA",
            0x72 => "DECOMP_SIGNATURE",
            0x73 => "COMP_DEC_SIZE",
            0x74 => "UUID_VID",
            0x75 => "UUID_CID",
            _ => return None,
        })
    }

    /// True for the image hash types.
    pub fn is_hash(self) -> bool {
        matches!(self.0, 0x10..=0x12)
    }

    /// True for the signature types.
    pub fn is_signature(self) -> bool {
        matches!(self.0, 0x20..=0x24)
    }

    /// True for the key-wrap (encryption) types.
    pub fn is_enc(self) -> bool {
        matches!(self.0, 0x30..=0x34)
    }
}

impl fmt::Display for TlvKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} (0x{:x})", self.0),
            None => write!(f, "unknown TLV 0x{:x}", self.0),
        }
    }
}

/// One TLV entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tlv {
    /// Type.
    pub kind: TlvKind,
    /// Value.
    pub value: Vec<u8>,
}

impl Tlv {
    /// Builds an entry.
    pub fn new(kind: TlvKind, value: impl Into<Vec<u8>>) -> Tlv {
        Tlv {
            kind,
            value: value.into(),
        }
    }
}
