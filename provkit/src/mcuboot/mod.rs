//! MCUboot images: the format `imgtool` writes and the MCUboot bootloader validates.
//!
//! * [`image`]: header, TLV areas, bounds-checked parsing ([`McubootImage::parse`]) and
//!   byte-identical re-encoding.
//! * [`build`]: `imgtool sign` ([`build::sign`]): header and protected/unprotected TLVs in
//!   imgtool's order, SHA-256/384/512, RSA-PSS, ECDSA (DER), Ed25519 (digest or pure),
//!   KEYHASH/PUBKEY, security counter, dependencies, boot record, UUIDs, custom TLVs,
//!   encryption, padding and trailer, bin and Intel HEX output.
//! * [`enc`]: AES-CTR and the key wraps (RSA-OAEP, ECIES-P256, ECIES-X25519).
//! * [`trailer`]: the slot trailer (magic, flags) and imgtool's trailer sizing.
//! * [`validate`]: MCUboot's own acceptance rules (`bootutil_img_validate`), for the
//!   simulator and for `mcuboot-sign verify`.
//! * [`verify`]: `imgtool verify` semantics, [`dumpinfo`]: `imgtool dumpinfo` output.
//! * [`keyfmt`]: key DER forms and the C/Rust arrays of `getpub`/`getpubhash`/`getpriv`.
//!
//! The reference is `mcuboot.md` (imgtool 2.5.0, MCUboot `2d4bacc`); every deterministic
//! vector there is rebuilt byte for byte by the tests.

pub mod build;
pub mod dumpinfo;
pub mod enc;
pub mod hex;
pub mod image;
pub mod keyfmt;
pub mod layout;
pub mod tlv;
pub mod trailer;
pub mod util;
pub mod validate;
pub mod verify;
pub mod version;

#[cfg(test)]
mod tests;

pub use build::{Input, SignOptions, SignedImage, Signing, sign};
pub use image::{Endian, ImageHeader, McubootImage};
/// The operating system's RNG (AES keys and key-wrap randomness of [`sign`]).
pub use rand_core::OsRng;
pub use tlv::{Tlv, TlvKind};
pub use version::ImageVersion;

use crate::crypto::{CryptoError, KeyType};

/// Failures of building or reading an image. Messages follow imgtool's wording where
/// imgtool has one (without its placeholder bugs).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum McubootError {
    /// A version string.
    #[error(transparent)]
    Version(#[from] version::VersionError),
    /// `-H` below 32.
    #[error("Minimum value for -H/--header-size is 32")]
    HeaderSizeTooSmall,
    /// A value too large for its header or TLV field.
    #[error("{what}: 0x{value:x} does not fit in its field")]
    FieldOverflow {
        /// The field.
        what: &'static str,
        /// The value.
        value: u64,
    },
    /// Without `--pad-header`, the input must start with `hdr_size` zero bytes.
    #[error(
        "Header padding was not requested and image does not start with zeros \
         (use --pad-header to add the header space, or link the application at slot start + header size)"
    )]
    HeaderNotZero,
    /// Without `--pad-header`, the input is shorter than the header.
    #[error(
        "the input ({len} bytes) is shorter than the header size ({header} bytes); use --pad-header"
    )]
    InputShorterThanHeader {
        /// Input length.
        len: usize,
        /// Header size.
        header: usize,
    },
    /// `-F` with `-L`.
    #[error("Can not set rom_fixed and load_addr at the same time")]
    RomFixedAndLoadAddr,
    /// `--align` not in 1, 2, 4, 8, 16, 32.
    #[error("Invalid alignment: {0}")]
    BadAlign(u32),
    /// `--max-align` not in 8, 16, 32.
    #[error("Invalid maximum alignment: {0} (8, 16 or 32)")]
    BadMaxAlign(u32),
    /// `--sha` not allowed for the key.
    #[error("Key {sig_type} can not be used with --sha {sha}; allowed sha are one of {allowed}")]
    HashNotAllowed {
        /// imgtool's key type name.
        sig_type: String,
        /// The `--sha` given.
        sha: &'static str,
        /// What the key allows.
        allowed: String,
    },
    /// `--pure` with a key other than Ed25519.
    #[error("--pure needs an Ed25519 signing key, not {0}")]
    PureNeedsEd25519(KeyType),
    /// `--pure` with `--sha`.
    #[error(
        "Pure signatures, currently, enforces preferred hash algorithm, and forbids sha selection by user."
    )]
    PureWithSha,
    /// A key MCUboot cannot verify signatures with.
    #[error(
        "{0} keys cannot sign MCUboot images (RSA-2048, RSA-3072, ECDSA P-256, ECDSA P-384 and Ed25519 can)"
    )]
    UnsupportedSigningKey(KeyType),
    /// A public key where a private key is needed.
    #[error("Cannot sign with a public-only PEM; signing requires the private key.")]
    PublicOnlyKey,
    /// `-k` with `--fix-sig`.
    #[error("Can not sign using key and provide fixed-signature at the same time")]
    FixSigAndKey,
    /// `--fix-sig` without `--fix-sig-pubkey`.
    #[error("public key of the fixed signature is not specified")]
    FixSigNoPubkey,
    /// `--boot-record` longer than 12 characters.
    #[error(
        "'{sw_type}' is too long ({chars} characters) for sw_type. Its maximum allowed length is 12 characters."
    )]
    BootRecordTooLong {
        /// The value.
        sw_type: String,
        /// Its length in characters.
        chars: usize,
    },
    /// A custom TLV tag given twice.
    #[error("Custom TLV 0x{0:x} already exists.")]
    CustomTlvDuplicate(u16),
    /// A custom TLV tag equal to a predefined type.
    #[error("Custom TLV 0x{0:x} conflicts with predefined TLV.")]
    CustomTlvConflict(u16),
    /// A custom TLV tag outside 0x00a0..=0xfffe.
    #[error(
        "Invalid custom TLV type value '0x{0:04x}', allowed value should be between 0x00a0 and 0xfffe"
    )]
    CustomTlvRange(u32),
    /// A `0x` custom TLV value with an odd number of digits.
    #[error("Custom TLV length is odd.")]
    CustomTlvOdd,
    /// A `0x` custom TLV value that is not hex.
    #[error("Custom TLV value '{0}' is not hex")]
    CustomTlvHex(String),
    /// A custom TLV tag that is not an integer.
    #[error("Custom TLV tag '{0}' is not an integer")]
    CustomTlvTag(String),
    /// Signing and encryption key types that imgtool refuses to combine.
    #[error("Signing and encryption must use the same type of key")]
    EncKeyMismatch,
    /// A key-wrap or AES failure.
    #[error(transparent)]
    Enc(#[from] enc::EncError),
    /// The image and trailer do not fit the slot.
    #[error("Image size (0x{len:x}) + trailer (0x{trailer:x}) exceeds requested size 0x{slot:x}")]
    TooBig {
        /// Image length.
        len: u64,
        /// Trailer size.
        trailer: u64,
        /// Slot size.
        slot: u64,
    },
    /// HEX output without an address.
    #[error("No address exists in input file neither was it provided by user")]
    NoHexAddress,
    /// HEX input too low in memory for the header to go before it.
    #[error(
        "the HEX input starts at 0x{input_base:x}, below the 0x{header:x}-byte header that --pad-header \
         puts in front of it (imgtool 2.5.0 writes such an image at the wrong address); give \
         -x/--hex-addr, or link the application at slot start + header size"
    )]
    HexBaseBelowHeader {
        /// Lowest address of the HEX input.
        input_base: u64,
        /// Header size.
        header: u64,
    },
    /// Writing HEX failed.
    #[error("HEX output: {0}")]
    Hex(String),
    /// A UUID value.
    #[error(transparent)]
    Uuid(#[from] util::UuidError),
    /// A `--dependencies` value.
    #[error("{0}")]
    Dependencies(String),
    /// A TLV area too large.
    #[error(transparent)]
    TlvArea(#[from] image::TlvAreaTooLarge),
    /// A key or signature operation.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// A malformed image.
    #[error("{0}")]
    Decode(#[from] crate::codec::DecodeError),
    /// A malformed HEX input.
    #[error(transparent)]
    Image(#[from] crate::image::ImageError),
}
