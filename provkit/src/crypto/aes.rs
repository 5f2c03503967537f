//! AES block-mode helpers the NXP container formats use: CBC with a zero IV over data that is
//! already a multiple of 16 bytes (SB3.1 data blocks), and single-block ECB.
//!
//! Keys are 16 or 32 bytes (AES-128 / AES-256); anything else is [`AesError::KeyLength`].
//! Data that is not a multiple of 16 bytes is [`AesError::DataLength`]: these formats never
//! pad inside the cipher.

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray};

/// AES misuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AesError {
    /// The key is neither 16 nor 32 bytes.
    #[error("AES key must be 16 or 32 bytes, not {0}")]
    KeyLength(usize),
    /// The data is not a whole number of 16-byte blocks.
    #[error("AES data must be a multiple of 16 bytes, not {0}")]
    DataLength(usize),
}

/// An AES-128 or AES-256 block cipher with its key schedule.
#[derive(Clone)]
pub enum Aes {
    /// AES-128.
    Aes128(Box<aes::Aes128>),
    /// AES-256.
    Aes256(Box<aes::Aes256>),
}

impl std::fmt::Debug for Aes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        match self {
            Aes::Aes128(_) => f.write_str("Aes(128)"),
            Aes::Aes256(_) => f.write_str("Aes(256)"),
        }
    }
}

impl Aes {
    /// Expands `key` (16 or 32 bytes).
    pub fn new(key: &[u8]) -> Result<Aes, AesError> {
        match key.len() {
            16 => Ok(Aes::Aes128(Box::new(aes::Aes128::new(
                GenericArray::from_slice(key),
            )))),
            32 => Ok(Aes::Aes256(Box::new(aes::Aes256::new(
                GenericArray::from_slice(key),
            )))),
            n => Err(AesError::KeyLength(n)),
        }
    }

    /// Encrypts one 16-byte block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Aes::Aes128(c) => c.encrypt_block(b),
            Aes::Aes256(c) => c.encrypt_block(b),
        }
    }

    /// Decrypts one 16-byte block in place.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Aes::Aes128(c) => c.decrypt_block(b),
            Aes::Aes256(c) => c.decrypt_block(b),
        }
    }

    /// CBC-encrypts `data` in place with the IV `iv`.
    pub fn cbc_encrypt(&self, iv: &[u8; 16], data: &mut [u8]) -> Result<(), AesError> {
        if data.len() % 16 != 0 {
            return Err(AesError::DataLength(data.len()));
        }
        let mut prev = *iv;
        for chunk in data.chunks_exact_mut(16) {
            let mut block = [0u8; 16];
            for (o, (p, c)) in block.iter_mut().zip(prev.iter().zip(chunk.iter())) {
                *o = p ^ c;
            }
            self.encrypt_block(&mut block);
            chunk.copy_from_slice(&block);
            prev = block;
        }
        Ok(())
    }

    /// CBC-decrypts `data` in place with the IV `iv`.
    pub fn cbc_decrypt(&self, iv: &[u8; 16], data: &mut [u8]) -> Result<(), AesError> {
        if data.len() % 16 != 0 {
            return Err(AesError::DataLength(data.len()));
        }
        let mut prev = *iv;
        for chunk in data.chunks_exact_mut(16) {
            let mut block = [0u8; 16];
            block.copy_from_slice(chunk);
            let cipher = block;
            self.decrypt_block(&mut block);
            for (o, (p, b)) in chunk.iter_mut().zip(prev.iter().zip(block.iter())) {
                *o = p ^ b;
            }
            prev = cipher;
        }
        Ok(())
    }
}

fn cbc_encrypt_with<C: BlockEncrypt>(c: &C, data: &mut [u8]) -> Result<(), AesError> {
    if data.len() % 16 != 0 {
        return Err(AesError::DataLength(data.len()));
    }
    let mut prev = [0u8; 16];
    for chunk in data.chunks_exact_mut(16) {
        for (b, p) in chunk.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        c.encrypt_block(GenericArray::from_mut_slice(chunk));
        prev.copy_from_slice(chunk);
    }
    Ok(())
}

/// AES-CBC encryption with a zero IV, in place (SB3.1 data blocks). Encryption-only key
/// schedule on the stack: this runs once per 256-byte block.
pub fn cbc_encrypt_zero_iv(key: &[u8], data: &mut [u8]) -> Result<(), AesError> {
    match key.len() {
        16 => cbc_encrypt_with(&aes::Aes128Enc::new(GenericArray::from_slice(key)), data),
        32 => cbc_encrypt_with(&aes::Aes256Enc::new(GenericArray::from_slice(key)), data),
        n => Err(AesError::KeyLength(n)),
    }
}

/// AES-CBC decryption with a zero IV, in place.
pub fn cbc_decrypt_zero_iv(key: &[u8], data: &mut [u8]) -> Result<(), AesError> {
    Aes::new(key)?.cbc_decrypt(&[0; 16], data)
}

/// AES-ECB encryption of one block.
pub fn ecb_encrypt_block(key: &[u8], block: &[u8; 16]) -> Result<[u8; 16], AesError> {
    let mut b = *block;
    Aes::new(key)?.encrypt_block(&mut b);
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::from_hex;

    #[test]
    fn fips197_known_answers() {
        // FIPS-197 appendix C.1 and C.3.
        let pt: [u8; 16] = from_hex("00112233445566778899aabbccddeeff")
            .unwrap()
            .try_into()
            .unwrap();
        let k128 = from_hex("000102030405060708090a0b0c0d0e0f").unwrap();
        assert_eq!(
            ecb_encrypt_block(&k128, &pt).unwrap().to_vec(),
            from_hex("69c4e0d86a7b0430d8cdb78070b4c55a").unwrap()
        );
        let k256 =
            from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").unwrap();
        assert_eq!(
            ecb_encrypt_block(&k256, &pt).unwrap().to_vec(),
            from_hex("8ea2b7ca516745bfeafc49904b496089").unwrap()
        );
    }

    #[test]
    fn sp800_38a_cbc_aes128() {
        // NIST SP 800-38A F.2.1, first two blocks.
        let key = from_hex("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        let iv: [u8; 16] = from_hex("000102030405060708090a0b0c0d0e0f")
            .unwrap()
            .try_into()
            .unwrap();
        let mut data =
            from_hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51").unwrap();
        let c = Aes::new(&key).unwrap();
        c.cbc_encrypt(&iv, &mut data).unwrap();
        assert_eq!(
            data,
            from_hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2").unwrap()
        );
        c.cbc_decrypt(&iv, &mut data).unwrap();
        assert_eq!(
            data,
            from_hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51").unwrap()
        );
    }

    #[test]
    fn misuse_is_an_error() {
        assert_eq!(Aes::new(&[0; 24]).unwrap_err(), AesError::KeyLength(24));
        assert_eq!(
            cbc_encrypt_zero_iv(&[0; 16], &mut [0; 15]).unwrap_err(),
            AesError::DataLength(15)
        );
    }
}
