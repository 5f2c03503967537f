//! `receive-sb-file`: the ROM's secure-binary loader.
//!
//! Until the SB2.1/SB3.1 loaders land, the sink answers as a ROM does for a capsule it
//! cannot use: it takes the stream in, looks at the header as soon as the magic bytes
//! are in (SB3.1 `sbv3` at offset 0; SB2.1 `STMP` at 0x14 and `sgtl` at 0x34), and
//! aborts the data phase with `kStatusRomLdrSignature` (10101). KBOOT's SB loader
//! answers 10101 when the header signature does not match; a capsule of the other SB
//! version is refused the same way, and a capsule of the family's own version is
//! refused too because the simulator cannot verify it yet (logged distinctly).

use provkit::mboot::StatusCode;

/// Bytes needed to judge the header (up to and including SB2.1's `sgtl`).
const DECIDE_AT: usize = 0x38;

/// What the header looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SbKind {
    /// SB2.x (`STMP` + `sgtl`).
    Sb2,
    /// SB3.1 (`sbv3`).
    Sb3,
    /// Neither.
    Unknown,
}

pub(crate) fn classify(head: &[u8]) -> SbKind {
    if head.get(0..4) == Some(b"sbv3") {
        SbKind::Sb3
    } else if head.get(0x14..0x18) == Some(b"STMP") && head.get(0x34..0x38) == Some(b"sgtl") {
        SbKind::Sb2
    } else {
        SbKind::Unknown
    }
}

/// The loader state of one receive-sb-file data phase.
pub(crate) struct SbSink {
    family_version: String,
    head: Vec<u8>,
    received: usize,
}

impl SbSink {
    pub(crate) fn new(family_version: &str) -> SbSink {
        SbSink {
            family_version: family_version.to_string(),
            head: Vec::new(),
            received: 0,
        }
    }

    fn judge(&self) -> StatusCode {
        let kind = classify(&self.head);
        let own = match kind {
            SbKind::Sb2 => self.family_version.starts_with('2'),
            SbKind::Sb3 => self.family_version.starts_with('3'),
            SbKind::Unknown => false,
        };
        if own {
            tracing::warn!(
                "receive-sb-file: SB{} capsule recognised, but the simulated SB loader is not \
                 implemented yet: refusing it with kStatusRomLdrSignature",
                self.family_version
            );
        } else {
            tracing::info!(
                ?kind,
                "receive-sb-file: header not accepted by an SB{} ROM",
                self.family_version
            );
        }
        StatusCode::ROMLDR_SIGNATURE
    }

    /// Takes a chunk; `Err` aborts the data phase with that status.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), StatusCode> {
        self.received += chunk.len();
        if self.head.len() < DECIDE_AT {
            let n = (DECIDE_AT - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..n]);
            if self.head.len() >= DECIDE_AT {
                return Err(self.judge());
            }
        }
        Ok(())
    }

    /// The stream ended; the final status.
    pub(crate) fn finish(&mut self) -> StatusCode {
        self.judge()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_classified() {
        let mut sb2 = vec![0u8; 0x60];
        sb2[0x14..0x18].copy_from_slice(b"STMP");
        sb2[0x34..0x38].copy_from_slice(b"sgtl");
        assert_eq!(classify(&sb2), SbKind::Sb2);
        assert_eq!(classify(b"sbv3\x01\x00\x03\x00"), SbKind::Sb3);
        assert_eq!(classify(&[0u8; 64]), SbKind::Unknown);
    }

    #[test]
    fn unknown_header_aborts_once_judged() {
        let mut s = SbSink::new("3.1");
        assert!(s.push(&[0u8; 32]).is_ok());
        assert_eq!(s.push(&[0u8; 32]), Err(StatusCode::ROMLDR_SIGNATURE));
    }
}
