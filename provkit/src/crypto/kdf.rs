//! AES-CMAC and the SB3.1 key derivation (an NIST SP 800-108 counter-mode KDF with AES-CMAC
//! as the PRF, in NXP's fixed 32-byte input layout).
//!
//! ```text
//! input(constant, mode, bits, i) =                                    32 bytes
//!     constant as 12-byte little-endian  ("label")                     [0..12)
//!     8 zero bytes ("context")                                         [12..20)
//!     kdkAccessRights << 6                                             [20]
//!     mode: 0x01 KDK derivation, 0x10 block-key derivation             [21]
//!     0x00                                                             [22]
//!     0x20 for a 128-bit output, 0x21 for 256-bit                      [23]
//!     bits as u32 big-endian                                           [24..28)
//!     i as u32 big-endian (1, then 2)                                  [28..32)
//! derive(key, constant, mode, bits) = CMAC(key, input(i=1)) [|| CMAC(key, input(i=2))]
//! KDK      = derive(PCK, timestamp, 0x01, bits)
//! key[K]   = derive(KDK, K, 0x10, bits)      K = data block number, from 1
//! ```
//!
//! `bits` is 128 when the SB file's hash is SHA-256 and 256 when it is SHA-384. The PCK (the SB
//! KEK) may be 16 or 32 bytes; the CMAC key size follows it. Derived keys are zeroized when
//! dropped.

use cmac::{Cmac, Mac};
use zeroize::Zeroizing;

/// Mode byte of a KDK derivation.
pub const MODE_KDK: u8 = 0x01;
/// Mode byte of a block-key derivation.
pub const MODE_BLOCK_KEY: u8 = 0x10;

/// KDF misuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KdfError {
    /// The CMAC key is neither 16 nor 32 bytes.
    #[error("CMAC key must be 16 or 32 bytes, not {0}")]
    KeyLength(usize),
    /// Only 128- and 256-bit outputs exist.
    #[error("derived key size must be 128 or 256 bits, not {0}")]
    Bits(u32),
    /// kdkAccessRights is a 2-bit value.
    #[error("kdkAccessRights must be 0..=3, not {0}")]
    AccessRights(u8),
    /// The constant does not fit the 96-bit label.
    #[error("KDF constant 0x{0:x} does not fit 96 bits")]
    Constant(u128),
}

/// AES-CMAC (NIST SP 800-38B) of `data` under a 16- or 32-byte key.
pub fn aes_cmac(key: &[u8], data: &[u8]) -> Result<[u8; 16], KdfError> {
    let out = match key.len() {
        16 => {
            let mut m = <Cmac<aes::Aes128Enc> as Mac>::new_from_slice(key)
                .map_err(|_| KdfError::KeyLength(key.len()))?;
            m.update(data);
            m.finalize().into_bytes()
        }
        32 => {
            let mut m = <Cmac<aes::Aes256Enc> as Mac>::new_from_slice(key)
                .map_err(|_| KdfError::KeyLength(key.len()))?;
            m.update(data);
            m.finalize().into_bytes()
        }
        n => return Err(KdfError::KeyLength(n)),
    };
    let mut r = [0u8; 16];
    r.copy_from_slice(&out);
    Ok(r)
}

/// The 32-byte KDF input block.
pub fn kdf_input(
    constant: u128,
    mode: u8,
    bits: u32,
    access_rights: u8,
    i: u32,
) -> Result<[u8; 32], KdfError> {
    if constant >> 96 != 0 {
        return Err(KdfError::Constant(constant));
    }
    if access_rights > 3 {
        return Err(KdfError::AccessRights(access_rights));
    }
    let option = match bits {
        128 => 0x20,
        256 => 0x21,
        b => return Err(KdfError::Bits(b)),
    };
    let mut v = [0u8; 32];
    v[..12].copy_from_slice(&constant.to_le_bytes()[..12]);
    v[20] = access_rights << 6;
    v[21] = mode;
    v[22] = 0;
    v[23] = option;
    v[24..28].copy_from_slice(&bits.to_be_bytes());
    v[28..32].copy_from_slice(&i.to_be_bytes());
    Ok(v)
}

/// `derive(key, constant, mode, bits)`: 16 or 32 bytes.
pub fn derive(
    key: &[u8],
    constant: u128,
    mode: u8,
    bits: u32,
    access_rights: u8,
) -> Result<Zeroizing<Vec<u8>>, KdfError> {
    let rounds = match bits {
        128 => 1,
        256 => 2,
        b => return Err(KdfError::Bits(b)),
    };
    let mut out = Zeroizing::new(Vec::with_capacity(rounds * 16));
    for i in 1..=rounds as u32 {
        let input = kdf_input(constant, mode, bits, access_rights, i)?;
        out.extend_from_slice(&aes_cmac(key, &input)?);
    }
    Ok(out)
}

/// The SB3.1 key derivator: holds the KDK of one file and derives block keys.
#[derive(Clone)]
pub struct Sb31Kdf {
    kdk: Zeroizing<Vec<u8>>,
    bits: u32,
    access_rights: u8,
}

impl std::fmt::Debug for Sb31Kdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(
            f,
            "Sb31Kdf({} bits, kdkAccessRights {})",
            self.bits, self.access_rights
        )
    }
}

impl Sb31Kdf {
    /// Derives the KDK from the PCK (SB KEK), the header timestamp and kdkAccessRights.
    /// `bits` = 128 for SHA-256 files, 256 for SHA-384 files.
    pub fn new(
        pck: &[u8],
        timestamp: u64,
        access_rights: u8,
        bits: u32,
    ) -> Result<Sb31Kdf, KdfError> {
        let kdk = derive(pck, u128::from(timestamp), MODE_KDK, bits, access_rights)?;
        Ok(Sb31Kdf {
            kdk,
            bits,
            access_rights,
        })
    }

    /// Wraps a KDK obtained elsewhere (a remote KDF service).
    pub fn from_kdk(kdk: &[u8], access_rights: u8) -> Result<Sb31Kdf, KdfError> {
        let bits = match kdk.len() {
            16 => 128,
            32 => 256,
            n => return Err(KdfError::KeyLength(n)),
        };
        if access_rights > 3 {
            return Err(KdfError::AccessRights(access_rights));
        }
        Ok(Sb31Kdf {
            kdk: Zeroizing::new(kdk.to_vec()),
            bits,
            access_rights,
        })
    }

    /// The KDK (secret: callers must not log it).
    pub fn kdk(&self) -> &[u8] {
        &self.kdk
    }

    /// The key of data block `block_number` (from 1).
    pub fn block_key(&self, block_number: u32) -> Result<Zeroizing<Vec<u8>>, KdfError> {
        derive(
            &self.kdk,
            u128::from(block_number),
            MODE_BLOCK_KEY,
            self.bits,
            self.access_rights,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{from_hex, to_hex};

    #[test]
    fn rfc4493_cmac_known_answers() {
        let key = from_hex("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        assert_eq!(
            to_hex(&aes_cmac(&key, b"").unwrap()),
            "bb1d6929e95937287fa37d129b756746"
        );
        let m = from_hex("6bc1bee22e409f96e93d7e117393172a").unwrap();
        assert_eq!(
            to_hex(&aes_cmac(&key, &m).unwrap()),
            "070a16b46b4d4144f79bdd9dd04a287c"
        );
    }

    #[test]
    fn spsdk_kdf_input_layout() {
        // SPSDK's unit test: constant 15, access rights 3, block mode, 256 bits, i = 1.
        let v = kdf_input(15, MODE_BLOCK_KEY, 256, 3, 1).unwrap();
        assert_eq!(
            to_hex(&v),
            "0f00000000000000000000000000000000000000c01000210000010000000001"
        );
    }

    #[test]
    fn spsdk_key_derivator_kat() {
        let pck =
            from_hex("24e517d4ac417737235b6efc9afced8224e517d4ac417737235b6efc9afced82").unwrap();
        let kdf = Sb31Kdf::new(&pck, 0x27C0_E97C, 3, 128).unwrap();
        assert_eq!(to_hex(kdf.kdk()), "751d0802bc9eb9adb42b68d40880aa6e");
        for (k, want) in [
            (10, "40902f79dd0ec371307f7069590ad07a"),
            (13, "69362b5634b99b689a7c43df76f15b63"),
            (6, "4c28803b5de193c21f31e6fa10c76b03"),
        ] {
            assert_eq!(to_hex(&kdf.block_key(k).unwrap()), want, "block {k}");
        }
    }

    #[test]
    fn reference_vectors_kat2() {
        let pck =
            from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").unwrap();
        let ts = 0x2E8E_5C80;
        for (bits, ar, kdk, key1) in [
            (
                128,
                3,
                "ac915f01b5b88e377fcc9e71b1eb93db",
                "d76782be42ba75033ab732742b9fcfbc",
            ),
            (
                128,
                0,
                "2ffa12f0b840a0a484af04f19b237e64",
                "6db34f3bfd4f92b0e4465e8cd6bf0e35",
            ),
            (
                256,
                3,
                "411971f5036d5ad15315b9ea03230c3c8a4780afb5daad1ee29d8cb071b65cf4",
                "ed6352cf87cea917a751d2c871a2557e8c198cbd35e7fc7007fe184b4a88c2e8",
            ),
            (
                256,
                0,
                "5c7af7ac7ab010f21bbb840bf1963a25e07dda0302ce70cb384781685eecf226",
                "3e4df67c0bdecaa38669ae251c864f78138dacb7031d3ea470d15a64268d1611",
            ),
        ] {
            let kdf = Sb31Kdf::new(&pck, ts, ar, bits).unwrap();
            assert_eq!(to_hex(kdf.kdk()), kdk);
            assert_eq!(to_hex(&kdf.block_key(1).unwrap()), key1);
            let again = Sb31Kdf::from_kdk(kdf.kdk(), ar).unwrap();
            assert_eq!(to_hex(&again.block_key(1).unwrap()), key1);
        }
    }

    #[test]
    fn misuse_is_an_error() {
        assert_eq!(
            Sb31Kdf::new(&[0; 24], 0, 0, 128).unwrap_err(),
            KdfError::KeyLength(24)
        );
        assert_eq!(
            Sb31Kdf::new(&[0; 32], 0, 4, 128).unwrap_err(),
            KdfError::AccessRights(4)
        );
        assert_eq!(
            Sb31Kdf::new(&[0; 32], 0, 0, 192).unwrap_err(),
            KdfError::Bits(192)
        );
        assert!(kdf_input(1 << 96, 1, 128, 0, 1).is_err());
        // 64-bit timestamps are legal (SPSDK's own tests use 0x0123456789ABCDEF).
        assert!(Sb31Kdf::new(&[0; 32], 0x0123_4567_89AB_CDEF, 3, 256).is_ok());
    }
}
