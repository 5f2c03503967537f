//! The mboot packet (identical on every transport): `tag flags reserved nparams`
//! followed by `nparams` little-endian u32 parameters (reference blhost.md §3.1).

use crate::codec::{DecodeError, Reader, Writer};
use std::fmt;

/// Flag bit 0: a data phase follows.
pub const FLAG_HAS_DATA_PHASE: u8 = 0x01;

/// Largest parameter count the protocol can carry in one packet that we accept.
/// (TP commands use 9; the ROM's command buffer is small.)
pub const MAX_PARAMS: usize = 32;

/// A command or response packet.
#[derive(Clone, PartialEq, Eq)]
pub struct Packet {
    /// Command tag (0x01..) or response tag (0xA0..).
    pub tag: u8,
    /// Bit 0 = has data phase.
    pub flags: u8,
    /// Reserved byte, 0 on the wire; kept for byte-exact round trips.
    pub reserved: u8,
    /// Parameters.
    pub params: Vec<u32>,
}

impl Packet {
    /// A packet with reserved = 0.
    pub fn new(tag: u8, flags: u8, params: Vec<u32>) -> Self {
        Packet {
            tag,
            flags,
            reserved: 0,
            params,
        }
    }

    /// True when flag bit 0 is set.
    pub fn has_data_phase(&self) -> bool {
        self.flags & FLAG_HAS_DATA_PHASE != 0
    }

    /// Wire bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(4 + 4 * self.params.len());
        w.u8(self.tag)
            .u8(self.flags)
            .u8(self.reserved)
            .u8(self.params.len() as u8);
        for p in &self.params {
            w.u32_le(*p);
        }
        w.into_vec()
    }

    /// Decodes exactly one packet; the byte count must be `4 + 4*nparams`.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let tag = r.u8("packet tag")?;
        let flags = r.u8("packet flags")?;
        let reserved = r.u8("packet reserved byte")?;
        let n = usize::from(r.u8("packet parameter count")?);
        if n > MAX_PARAMS {
            return Err(DecodeError::invalid(
                "packet parameter count",
                3,
                format!("{n} parameters exceed the limit of {MAX_PARAMS}"),
            ));
        }
        let mut params = Vec::with_capacity(n);
        for _ in 0..n {
            params.push(r.u32_le("packet parameter")?);
        }
        r.finish("packet")?;
        Ok(Packet {
            tag,
            flags,
            reserved,
            params,
        })
    }
}

impl fmt::Debug for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Packet(tag=0x{:02X}, flags=0x{:02X}, params=[",
            self.tag, self.flags
        )?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "0x{p:X}")?;
        }
        write!(f, "])")
    }
}

/// Packs a byte blob into LE u32 words, zero-padding the tail (how FlashSecurityDisable
/// keys, FlashProgramOnce data and TP sentinel frames become parameters).
pub fn bytes_to_words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(w)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decode_rejects_short_and_long() {
        assert!(Packet::decode(&[7, 0, 0, 2, 1, 0, 0, 0]).is_err());
        assert!(Packet::decode(&[7, 0, 0, 0, 1]).is_err());
        assert!(Packet::decode(&[7, 0, 0, 0]).is_ok());
    }

    proptest! {
        #[test]
        fn round_trip(tag: u8, flags: u8, params in proptest::collection::vec(any::<u32>(), 0..10)) {
            let p = Packet::new(tag, flags, params);
            prop_assert_eq!(Packet::decode(&p.encode()).unwrap(), p);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Packet::decode(&bytes);
        }
    }
}
