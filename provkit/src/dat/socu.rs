//! What the SOCU bits mean: the debug domains of each family, how the PIN and DFLT words
//! (CMPA/CFPA on PFR parts, one fuse word with a CRC on fuse parts) decode, and what a
//! credential's `cc_socu` grants.
//!
//! PIN/DFLT semantics on every family: PIN=1,DFLT=1 always enabled; PIN=0,DFLT=0 disabled
//! at start-up, can be enabled by debug authentication; PIN=0,DFLT=1 illegal; PIN=1,DFLT=0
//! permanently disabled. A credential's `cc_socu` bit n controls domain n.

use serde::Deserialize;
use std::fmt;

/// How a family stores its PIN and DFLT masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Two PFR words (PIN, DFLT), bits 15..0 with their inverse in bits 31..16.
    Pfr,
    /// One fuse word: PIN at `pin_shift`, DFLT at `dflt_shift`, `width` bits each.
    FusePinDflt,
    /// One fuse word as [`Layout::FusePinDflt`], with a CRC-8/ITU of bits 31..8 in bits 7..0.
    FuseCrc,
    /// Not known (RT7xx).
    Unknown,
}

/// A family's SOCU table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocuTable {
    /// Storage layout.
    pub layout: Layout,
    /// Sources and inferences.
    #[serde(rename = "_note", default)]
    pub note: Option<String>,
    /// Domains: (bit, name, description); bit = credential bit.
    pub domains: Vec<(u32, String, String)>,
    /// Bit of UUID_CHECK / FORCE_UUID_MATCH in the PIN (PFR) or fuse word.
    #[serde(default)]
    pub uuid_check: Option<u32>,
    /// Fuse layouts: first PIN bit.
    #[serde(default)]
    pub pin_shift: Option<u32>,
    /// Fuse layouts: first DFLT bit.
    #[serde(default)]
    pub dflt_shift: Option<u32>,
    /// Fuse layouts: bits per mask.
    #[serde(default)]
    pub width: Option<u32>,
    /// The seed's example settings: (register names, everything disabled, everything
    /// enabled, controlled by DA).
    pub examples: Vec<(String, String, String, String)>,
    /// Remark printed under the examples.
    #[serde(default)]
    pub examples_note: Option<String>,
}

/// The SOCU table of a family (see [`super::DatFamily::socu`]).
pub fn table(name: &str) -> Option<&'static SocuTable> {
    super::family::socu_table(name)
}

/// Access level of one debug domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// PIN=1, DFLT=1: always enabled.
    AlwaysEnabled,
    /// PIN=0, DFLT=0: closed, a credential can open it.
    ByAuthentication,
    /// PIN=0, DFLT=1: illegal (the part may lock up).
    Illegal,
    /// PIN=1, DFLT=0: permanently disabled.
    Disabled,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::AlwaysEnabled => "always enabled",
            Level::ByAuthentication => "closed; debug authentication can open it",
            Level::Illegal => "ILLEGAL (PIN=0, DFLT=1: the part may lock up)",
            Level::Disabled => "permanently disabled",
        })
    }
}

/// The level of a domain from its PIN and DFLT bits.
pub fn level(pin: bool, dflt: bool) -> Level {
    match (pin, dflt) {
        (true, true) => Level::AlwaysEnabled,
        (false, false) => Level::ByAuthentication,
        (false, true) => Level::Illegal,
        (true, false) => Level::Disabled,
    }
}

/// Domains opened after authentication: pinned bits keep their fixed state, the others
/// come from the credential.
pub fn granted(pin: u32, dflt: u32, cc_socu: u32) -> u32 {
    (pin & dflt) | (!pin & cc_socu)
}

/// CRC-8/ITU over bits 31..8 of a fuse word (polynomial 0x07, init 0, xorout 0x55; bytes
/// from bit 8 upwards: the seed's example words check out only in that order).
pub fn crc8_itu(word: u32) -> u8 {
    let mut crc = 0u8;
    for b in [(word >> 8) as u8, (word >> 16) as u8, (word >> 24) as u8] {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
    }
    crc ^ 0x55
}

/// PIN and DFLT masks in credential bit positions, decoded from a family's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Masks {
    /// Pinned domains.
    pub pin: u32,
    /// Fixed states.
    pub dflt: u32,
    /// UUID_CHECK / FORCE_UUID_MATCH.
    pub uuid_check: bool,
}

/// Why a SOCU word is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SocuError {
    /// PFR word whose upper half is not the inverse of the lower half.
    #[error("0x{0:08X}: bits 31..16 are not the inverse of bits 15..0")]
    Inverse(u32),
    /// Fuse word whose CRC byte is wrong.
    #[error("0x{word:08X}: CRC8 is 0x{found:02X}, 0x{expected:02X} expected")]
    Crc {
        /// The word.
        word: u32,
        /// Its low byte.
        found: u8,
        /// The CRC of bits 31..8.
        expected: u8,
    },
    /// The family's layout is not known.
    #[error("the SOCU layout of this family is not known")]
    UnknownLayout,
    /// The layout needs the other form (one fuse word vs. PIN and DFLT words).
    #[error("this family stores SOCU as {0}")]
    WrongForm(&'static str),
}

impl SocuTable {
    fn mask(&self) -> u32 {
        self.domains.iter().fold(0, |m, (b, _, _)| m | (1 << b))
    }

    /// Decodes a PFR PIN and DFLT word pair (checking the inverse halves).
    pub fn decode_pfr(&self, pin: u32, dflt: u32) -> Result<Masks, SocuError> {
        if self.layout != Layout::Pfr {
            return Err(SocuError::WrongForm("one fuse word"));
        }
        for w in [pin, dflt] {
            if (w >> 16) != (!w & 0xFFFF) {
                return Err(SocuError::Inverse(w));
            }
        }
        Ok(Masks {
            pin: pin & 0xFFFF & self.mask(),
            dflt: dflt & 0xFFFF & self.mask(),
            uuid_check: self.uuid_check.is_some_and(|b| pin & (1 << b) != 0),
        })
    }

    /// Decodes a fuse word (checking the CRC where the layout has one).
    pub fn decode_fuse(&self, word: u32) -> Result<Masks, SocuError> {
        let (Some(ps), Some(ds), Some(w)) = (self.pin_shift, self.dflt_shift, self.width) else {
            return Err(match self.layout {
                Layout::Pfr => SocuError::WrongForm("PIN and DFLT words"),
                _ => SocuError::UnknownLayout,
            });
        };
        if self.layout == Layout::FuseCrc {
            let expected = crc8_itu(word);
            if (word & 0xFF) as u8 != expected {
                return Err(SocuError::Crc {
                    word,
                    found: word as u8,
                    expected,
                });
            }
        }
        let m = (1u32 << w) - 1;
        Ok(Masks {
            pin: (word >> ps) & m & self.mask(),
            dflt: (word >> ds) & m & self.mask(),
            uuid_check: self.uuid_check.is_some_and(|b| word & (1 << b) != 0),
        })
    }

    /// Encodes masks back into a fuse word (with the CRC where the layout has one).
    pub fn encode_fuse(&self, masks: Masks) -> Result<u32, SocuError> {
        let (Some(ps), Some(ds)) = (self.pin_shift, self.dflt_shift) else {
            return Err(SocuError::WrongForm("PIN and DFLT words"));
        };
        let mut w = (masks.pin << ps) | (masks.dflt << ds);
        if masks.uuid_check {
            if let Some(b) = self.uuid_check {
                w |= 1 << b;
            }
        }
        if self.layout == Layout::FuseCrc {
            w = (w & !0xFF) | u32::from(crc8_itu(w));
        }
        Ok(w)
    }

    /// Encodes a PFR word (value with its inverse in the upper half).
    pub fn encode_pfr(value: u16) -> u32 {
        (u32::from(!value) << 16) | u32::from(value)
    }

    /// Names of the domains whose bits are set in `mask`, and the unknown bits left over.
    pub fn names(&self, mask: u32) -> (Vec<&str>, u32) {
        let mut names = Vec::new();
        for (b, n, _) in &self.domains {
            if mask & (1 << b) != 0 {
                names.push(n.as_str());
            }
        }
        (names, mask & !self.mask())
    }
}
