//! The debug authentication challenge (DAC) the ROM sends for `DBG_AUTH_START`.
//!
//! `ver(2×u16) socc uuid[16] rotid_rkh_revocation rkth[H] cc_soc_pinned cc_soc_default
//! cc_vu challenge[32]`, H = 32/48/64: 104, 120 or 136 bytes (26/30/34 words).

use super::{DatFamily, DebugCredential, ProtocolVersion, Report};
use crate::codec::{DecodeError, Reader, Writer, to_hex};

/// A challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dac {
    /// Protocol version the device expects.
    pub version: ProtocolVersion,
    /// SoC class.
    pub socc: u32,
    /// Device UUID.
    pub uuid: [u8; 16],
    /// Root key revocation state.
    pub rotid_rkh_revocation: u32,
    /// The device's RKTH (32, 48 or 64 bytes).
    pub rkth: Vec<u8>,
    /// Pinned debug domains.
    pub cc_soc_pinned: u32,
    /// Fixed states of the pinned domains.
    pub cc_soc_default: u32,
    /// Vendor usage.
    pub cc_vu: u32,
    /// Fresh random challenge.
    pub challenge: [u8; 32],
}

impl Dac {
    /// Parses a DAC; the RoT hash length follows from the total length.
    pub fn parse(bytes: &[u8]) -> Result<Dac, DecodeError> {
        let h = match bytes.len() {
            104 => 32,
            120 => 48,
            136 => 64,
            n => {
                return Err(DecodeError::invalid(
                    "DAC",
                    0,
                    format!("{n} bytes; a challenge is 104, 120 or 136 bytes"),
                ));
            }
        };
        let mut r = Reader::new(bytes);
        let major = r.u16_le("DAC version major")?;
        let minor = r.u16_le("DAC version minor")?;
        let dac = Dac {
            version: ProtocolVersion { major, minor },
            socc: r.u32_le("DAC SOCC")?,
            uuid: r.array("DAC UUID")?,
            rotid_rkh_revocation: r.u32_le("DAC rotid_rkh_revocation")?,
            rkth: r.take(h, "DAC RKTH")?.to_vec(),
            cc_soc_pinned: r.u32_le("DAC cc_soc_pinned")?,
            cc_soc_default: r.u32_le("DAC cc_soc_default")?,
            cc_vu: r.u32_le("DAC cc_vu")?,
            challenge: r.array("DAC challenge")?,
        };
        r.finish("DAC")?;
        Ok(dac)
    }

    /// Parses the DAC words of a `DBG_AUTH_START` response.
    pub fn from_words(words: &[u32]) -> Result<Dac, DecodeError> {
        Self::parse(&words_to_bytes(words))
    }

    /// The binary DAC.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(136);
        w.u16_le(self.version.major)
            .u16_le(self.version.minor)
            .u32_le(self.socc)
            .bytes(&self.uuid)
            .u32_le(self.rotid_rkh_revocation)
            .bytes(&self.rkth)
            .u32_le(self.cc_soc_pinned)
            .u32_le(self.cc_soc_default)
            .u32_le(self.cc_vu)
            .bytes(&self.challenge);
        w.into_vec()
    }

    /// The DAC as little-endian words.
    pub fn to_words(&self) -> Vec<u32> {
        bytes_to_words(&self.encode())
    }

    /// What the host checks before answering (SPSDK's `dar.verify()` and stricter): version,
    /// SOCC (against the family too), UUID binding, RKTH. SPSDK compares only a prefix of
    /// the RKTH; here the lengths must agree unless the family sends 32-byte hashes for
    /// every curve.
    pub fn check_against(&self, dc: &DebugCredential, family: &DatFamily) -> Report {
        let mut rep = Report::default();
        if self.version == dc.version {
            rep.ok("protocol version", format!("{} in both", self.version));
        } else {
            rep.error(
                "protocol version",
                format!(
                    "the device expects {} credentials, the DC is {}",
                    self.version, dc.version
                ),
            );
        }
        if self.socc != family.socc {
            rep.error(
                "SOCC",
                format!(
                    "the device reports SOCC 0x{:08X}, but {} {} has 0x{:08X}: wrong --family or revision?",
                    self.socc, family.name, family.revision, family.socc
                ),
            );
        } else if dc.socc != self.socc {
            rep.error(
                "SOCC",
                format!(
                    "the DC is for SOCC 0x{:08X}, the device is 0x{:08X}",
                    dc.socc, self.socc
                ),
            );
        } else {
            rep.ok("SOCC", format!("0x{:08X}", self.socc));
        }
        if dc.uuid == [0u8; 16] {
            rep.warn(
                "UUID",
                format!(
                    "the DC is for any device (all-zero UUID); device UUID {}",
                    to_hex(&self.uuid).to_uppercase()
                ),
            );
        } else if dc.uuid == self.uuid {
            rep.ok("UUID", to_hex(&self.uuid).to_uppercase());
        } else {
            rep.error(
                "UUID",
                format!(
                    "the DC is bound to device {}, this device is {}",
                    to_hex(&dc.uuid).to_uppercase(),
                    to_hex(&self.uuid).to_uppercase()
                ),
            );
        }
        if !family.dac_rkth {
            rep.ok(
                "RKTH",
                format!("not compared: {} sends no usable RoT hash", family.name),
            );
        } else {
            let own = dc.rkth();
            let (a, b) = if family.sha256_always {
                let n = self.rkth.len().min(own.len());
                (&self.rkth[..n], &own[..n])
            } else {
                (&self.rkth[..], &own[..])
            };
            if a == b {
                rep.ok("RKTH", to_hex(&self.rkth));
            } else {
                rep.error(
                    "RKTH",
                    format!(
                        "the device's root key table hash {} is not the DC's {}: the DC was signed for other root keys",
                        to_hex(&self.rkth),
                        to_hex(&own)
                    ),
                );
            }
        }
        rep
    }
}

/// Little-endian words to bytes.
pub fn words_to_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// Bytes to little-endian words, zero-padding the last one.
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
