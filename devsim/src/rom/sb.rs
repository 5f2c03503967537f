//! `receive-sb-file`: the ROM's secure-binary loader.
//!
//! On SB3.1 families the whole stream goes to the SB3.1 loader (`sb31.rs`). Otherwise
//! (until the SB2.1 loader lands) the sink answers as a ROM does for a capsule it
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
    /// The SB3.1 loader of SB3.1 families (`sb31.rs`); it takes over the whole stream.
    sb31: Option<Box<super::sb31::Sb31Loader>>,
}

impl SbSink {
    pub(crate) fn new(family_version: &str) -> SbSink {
        SbSink {
            family_version: family_version.to_string(),
            head: Vec::new(),
            received: 0,
            sb31: None,
        }
    }

    /// Hands the stream to the SB3.1 loader (SB3.1 families).
    pub(crate) fn with_sb31(mut self, loader: Option<Box<super::sb31::Sb31Loader>>) -> SbSink {
        self.sb31 = loader;
        self
    }

    /// SB3.1 commands ready to run.
    pub(crate) fn take_sb31_commands(&mut self) -> Vec<provkit::sb31::Command> {
        self.sb31
            .as_mut()
            .map(|l| l.take_commands())
            .unwrap_or_default()
    }

    /// An SB3.1 `execute` ran.
    pub(crate) fn sb31_jumped(&mut self) {
        if let Some(l) = self.sb31.as_mut() {
            l.jumped();
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
        if let Some(l) = self.sb31.as_mut() {
            return l.push(chunk);
        }
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
        if let Some(l) = self.sb31.as_mut() {
            return l.finish();
        }
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
