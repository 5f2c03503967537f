//! The PUF key store of `key-provisioning` (reference blhost.md §3.4).
//!
//! The simulator keeps the keys as the host sent them. The one byte-order rule that
//! matters on silicon is kept: the SBKEK (key type 3) arrives **reversed** (SPSDK's
//! `sbkek.bin` is the reverse of the `sbkek.txt` the SB2 key wrap uses, rust_peers.md
//! §6.1), so [`KeyStore::sbkek`] reverses it back; an SB2 capsule wrapped with the
//! `.txt` key only opens when the key was provisioned the NXP way.
//!
//! # Blob format (simulator format, `size` bytes, all integers little-endian)
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 4 | magic `PKKS` |
//! | 4 | 4 | format version, 1 |
//! | 8 | 4 | flags: bit 0 = enrolled |
//! | 12 | 4 | number of used key slots |
//! | 16 | 8 × 40 | key slots: `type:u32`, `size:u32`, 32 bytes key code |
//! | 336 | rest | activation code |
//!
//! A key code is the key XOR a keystream derived from the activation code and the slot
//! number (an obfuscation standing in for the PUF wrap: the blob does not show keys in
//! clear, and a blob only opens with its own activation code).

use provkit::codec::{Reader, Writer};

const MAGIC: &[u8; 4] = b"PKKS";
const SLOTS: usize = 8;
const SLOT_LEN: usize = 40;
const HEADER: usize = 16;
/// Offset of the activation code in the blob.
pub(crate) const AC_OFFSET: usize = HEADER + SLOTS * SLOT_LEN;
/// Largest key the store holds, in bytes.
pub(crate) const MAX_KEY: usize = 32;

/// User key types that `set_user_key` accepts (2 OTFADKEK, 3 SBKEK, 7..10 PRINCE0..3,
/// 11 USERKEK, 12 UDS).
pub(crate) const USER_KEY_TYPES: &[u32] = &[2, 3, 7, 8, 9, 10, 11, 12];

/// Key type of the SBKEK.
pub const SBKEK: u32 = 3;

/// The volatile key store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStore {
    size: usize,
    enrolled: bool,
    activation_code: Vec<u8>,
    keys: Vec<(u32, Vec<u8>)>,
}

fn keystream(ac: &[u8], slot: usize) -> [u8; MAX_KEY] {
    // xorshift64* seeded from the activation code and the slot number.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (slot as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
    for chunk in ac.chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        seed = (seed ^ u64::from_le_bytes(w))
            .rotate_left(29)
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    let mut out = [0u8; MAX_KEY];
    let mut x = seed | 1;
    for c in out.chunks_mut(8) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        c.copy_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out
}

impl KeyStore {
    /// An empty, not enrolled key store of `size` bytes.
    pub(crate) fn new(size: usize) -> KeyStore {
        KeyStore {
            size,
            enrolled: false,
            activation_code: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Blob size.
    pub fn size(&self) -> usize {
        self.size
    }

    /// True after `enroll` (or after loading an enrolled blob).
    pub fn enrolled(&self) -> bool {
        self.enrolled
    }

    /// The activation code (empty before enrollment).
    pub fn activation_code(&self) -> &[u8] {
        &self.activation_code
    }

    /// Enrolls: a new activation code; keys of the old one are gone.
    pub(crate) fn enroll(&mut self, activation_code: Vec<u8>) {
        self.activation_code = activation_code;
        self.enrolled = true;
        self.keys.clear();
    }

    /// Length of the activation code for this store size.
    pub(crate) fn ac_len(&self) -> usize {
        self.size.saturating_sub(AC_OFFSET)
    }

    /// Stores a key (replacing one of the same type). Fails when all slots are used.
    pub(crate) fn set_key(&mut self, key_type: u32, key: Vec<u8>) -> bool {
        if let Some(slot) = self.keys.iter_mut().find(|(t, _)| *t == key_type) {
            slot.1 = key;
            return true;
        }
        if self.keys.len() >= SLOTS {
            return false;
        }
        self.keys.push((key_type, key));
        true
    }

    /// A key in the byte order the host sent it.
    pub fn key(&self, key_type: u32) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|(t, _)| *t == key_type)
            .map(|(_, k)| k.as_slice())
    }

    /// Key types present, in slot order.
    pub fn key_types(&self) -> Vec<u32> {
        self.keys.iter().map(|(t, _)| *t).collect()
    }

    /// The SBKEK in the byte order the SB2 key wrap uses (the reverse of what
    /// `set_user_key 3` sent; rust_peers.md §6.1).
    pub fn sbkek(&self) -> Option<Vec<u8>> {
        self.key(SBKEK).map(|k| k.iter().rev().copied().collect())
    }

    /// Serializes the blob (see the module doc).
    pub fn to_blob(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(self.size);
        w.bytes(MAGIC)
            .u32_le(1)
            .u32_le(u32::from(self.enrolled))
            .u32_le(self.keys.len() as u32);
        for i in 0..SLOTS {
            match self.keys.get(i) {
                Some((t, k)) => {
                    let ks = keystream(&self.activation_code, i);
                    let mut code = [0u8; MAX_KEY];
                    for (j, b) in k.iter().enumerate().take(MAX_KEY) {
                        code[j] = b ^ ks[j];
                    }
                    w.u32_le(*t).u32_le(k.len() as u32).bytes(&code);
                }
                None => {
                    w.bytes(&[0u8; SLOT_LEN]);
                }
            }
        }
        let mut ac = self.activation_code.clone();
        ac.resize(self.ac_len(), 0);
        w.bytes(&ac);
        let mut v = w.into_vec();
        v.resize(self.size, 0);
        v
    }

    /// Parses a blob written by [`KeyStore::to_blob`]; `None` if it is not one.
    pub(crate) fn from_blob(size: usize, blob: &[u8]) -> Option<KeyStore> {
        if blob.len() != size || size < AC_OFFSET {
            return None;
        }
        let mut r = Reader::new(blob);
        if r.take(4, "magic").ok()? != MAGIC || r.u32_le("version").ok()? != 1 {
            return None;
        }
        let enrolled = r.u32_le("flags").ok()? & 1 != 0;
        let used = r.u32_le("slots").ok()? as usize;
        if used > SLOTS {
            return None;
        }
        let ac = blob.get(AC_OFFSET..)?.to_vec();
        let mut keys = Vec::with_capacity(used);
        for i in 0..SLOTS {
            let t = r.u32_le("key type").ok()?;
            let n = r.u32_le("key size").ok()? as usize;
            let code = r.take(MAX_KEY, "key code").ok()?;
            if i < used {
                if n > MAX_KEY || n == 0 {
                    return None;
                }
                let ks = keystream(&ac, i);
                keys.push((t, code[..n].iter().zip(ks).map(|(c, k)| c ^ k).collect()));
            }
        }
        Some(KeyStore {
            size,
            enrolled,
            activation_code: if enrolled { ac } else { Vec::new() },
            keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_round_trip_hides_keys() {
        let mut ks = KeyStore::new(1424);
        ks.enroll(vec![0x5A; ks.ac_len()]);
        let key: Vec<u8> = (0xA0..0xC0).collect();
        assert!(ks.set_key(SBKEK, key.clone()));
        let blob = ks.to_blob();
        assert_eq!(blob.len(), 1424);
        assert!(!blob.windows(32).any(|w| w == key.as_slice()));
        let back = KeyStore::from_blob(1424, &blob).unwrap();
        assert_eq!(back, ks);
        assert_eq!(
            back.sbkek().unwrap(),
            key.iter().rev().copied().collect::<Vec<_>>()
        );
        assert!(KeyStore::from_blob(1424, &[0u8; 1424]).is_none());
    }
}
