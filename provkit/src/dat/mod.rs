//! Debug authentication (DAT): debug credentials (DC), the challenge (DAC) and response
//! (DAR), the family table, the SOCU bit tables, and the debug-mailbox word protocol.
//!
//! * [`dc`]: the debug credential, protocol 1.0/1.1 (RSA-2048/4096) and 2.0/2.1/2.2
//!   (P-256/P-384/P-521): build (signed by a root-of-trust key through [`Signer`]), encode,
//!   parse, verify (signature, root key table, RKTH).
//! * [`dac`] and [`dar`]: what the ROM sends and what the debugger answers.
//! * [`family`]: SOCC per family and silicon revision, DM-AP index, allowed root key types,
//!   flags (`provkit/data/dat_families.json`).
//! * [`socu`]: what the SOCU/PIN/DFLT bits of each family mean.
//! * [`mailbox`]: the DM-AP word protocol as a sans-I/O exchange, driven over a
//!   [`mailbox::MailboxAccess`] (read/write one access-port register).
//! * [`config`]: SPSDK's `nxpdebugmbox dat dc` YAML configuration, accepted verbatim.
//!
//! The formats are specified in `reference/dat.md`; every layout was checked against SPSDK
//! 3.12's vectors. Where SPSDK is wrong (P-521 root key tables, unchecked DC signatures) this
//! module follows the protocol, not SPSDK.
//!
//! [`Signer`]: crate::crypto::Signer

pub mod config;
pub mod dac;
pub mod dar;
pub mod dc;
pub mod family;
pub mod mailbox;
pub mod socu;
mod version;

pub use dac::Dac;
pub use dar::Dar;
pub use dc::{DcParams, DebugCredential, RotMeta};
pub use family::DatFamily;
pub use version::ProtocolVersion;

use crate::codec::DecodeError;
use crate::crypto::{CryptoError, KeyType};
use std::fmt;

/// DAT failures (building, loading, checking).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatError {
    /// A binary (DC, DAC, DAR) did not decode.
    #[error("{what}: {source}")]
    Decode {
        /// Which structure.
        what: &'static str,
        /// Why.
        #[source]
        source: DecodeError,
    },
    /// A key, signature or signer failure.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The key cannot be used for debug authentication at all.
    #[error("{role} is a {key} key; debug credentials take RSA-2048/4096, P-256, P-384 or P-521")]
    UnsupportedKey {
        /// Which key.
        role: String,
        /// Its type.
        key: KeyType,
    },
    /// Two keys that must be of one type are not.
    #[error(
        "{role} is a {found} key but {other} is {expected}: all keys of a credential must be of one type and size"
    )]
    KeyTypeMismatch {
        /// The key that differs.
        role: String,
        /// Its type.
        found: KeyType,
        /// The key it was compared with.
        other: String,
        /// That key's type.
        expected: KeyType,
    },
    /// The family's ROM does not take this root key type.
    #[error("{family} does not take {key} root keys (it takes {allowed})")]
    KeyNotAllowed {
        /// Family.
        family: String,
        /// Key type.
        key: KeyType,
        /// The allowed types.
        allowed: String,
    },
    /// 1 to 4 root keys are needed.
    #[error("{0} root keys given; a credential names 1 to 4")]
    RotKeyCount(usize),
    /// `rot_id` does not name one of the root keys.
    #[error("rot_id {rot_id} is out of range: {count} root key(s) given")]
    RotIdOutOfRange {
        /// The index.
        rot_id: usize,
        /// Number of keys.
        count: usize,
    },
    /// The signing key is not the one the credential names.
    #[error("{signer}: the signing key is not {expected}")]
    SignerMismatch {
        /// The signer.
        signer: String,
        /// What it should have been.
        expected: String,
    },
    /// A value does not fit its field.
    #[error("{field} = {value:#x} does not fit in {bits} bits")]
    Range {
        /// Field.
        field: &'static str,
        /// Value.
        value: u64,
        /// Width.
        bits: u32,
    },
    /// A signer returned a signature of the wrong size.
    #[error("the signer returned {got} signature bytes, {expected} expected")]
    SignatureLength {
        /// Expected length.
        expected: usize,
        /// Returned length.
        got: usize,
    },
    /// Unknown family.
    #[error("unknown family '{0}' (see `dat-tool families`)")]
    UnknownFamily(String),
    /// Known, but its debug authentication is not the classic protocol.
    #[error("{family}: {why}")]
    FamilyUnsupported {
        /// Family.
        family: String,
        /// Why.
        why: String,
    },
    /// The family has no such silicon revision.
    #[error("{family} has no revision '{revision}' (it has {known})")]
    UnknownRevision {
        /// Family.
        family: String,
        /// Revision asked for.
        revision: String,
        /// Revisions known.
        known: String,
    },
    /// A configuration value is missing or wrong.
    #[error("{field}: {why}")]
    Config {
        /// The configuration key.
        field: String,
        /// What is wrong.
        why: String,
    },
}

impl DatError {
    /// A decode failure of `what`.
    pub fn decode(what: &'static str, source: DecodeError) -> Self {
        DatError::Decode { what, source }
    }
}

/// How bad a verification finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The check passed.
    Ok,
    /// Worth knowing; not a failure.
    Warning,
    /// The check failed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One verification finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked (`DC signature`, `RKTH`, ...).
    pub name: &'static str,
    /// Outcome.
    pub severity: Severity,
    /// Details for the user.
    pub detail: String,
}

/// The findings of a verification, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Findings.
    pub checks: Vec<Check>,
}

impl Report {
    pub(crate) fn push(
        &mut self,
        name: &'static str,
        severity: Severity,
        detail: impl Into<String>,
    ) {
        self.checks.push(Check {
            name,
            severity,
            detail: detail.into(),
        });
    }

    pub(crate) fn ok(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Severity::Ok, detail);
    }

    pub(crate) fn error(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Severity::Error, detail);
    }

    pub(crate) fn warn(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Severity::Warning, detail);
    }

    /// True when any check failed.
    pub fn has_errors(&self) -> bool {
        self.checks.iter().any(|c| c.severity == Severity::Error)
    }

    /// The first failed check.
    pub fn first_error(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.severity == Severity::Error)
    }

    /// Appends another report's findings.
    pub fn extend(&mut self, other: Report) {
        self.checks.extend(other.checks);
    }
}

/// Parses a UUID the way SPSDK's DC configuration does: hex text, an optional `0x`, left
/// padded with zeros to 32 digits (`"1234"` is 14 zero bytes then `12 34`).
pub fn parse_uuid(text: &str) -> Result<[u8; 16], DatError> {
    let t = text.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let bad = |why: &str| DatError::Config {
        field: "uuid".into(),
        why: format!("'{text}' {why}"),
    };
    if t.len() > 32 {
        return Err(bad("is longer than 16 bytes"));
    }
    if !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("is not hex"));
    }
    let padded = format!("{t:0>32}");
    let bytes = crate::codec::from_hex(&padded).map_err(|e| bad(&e.to_string()))?;
    let mut out = [0u8; 16];
    out.copy_from_slice(&bytes);
    Ok(out)
}

/// The UUID of a device from its `UniqueDeviceIdent` property words (property 18), as SPSDK
/// and the ROM put it in the DAC: each word little-endian, in order.
pub fn uuid_from_words(words: &[u32]) -> Option<[u8; 16]> {
    if words.len() != 4 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, w) in words.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests;
