//! The one error type of `sbgen`: a one-line message and its exit code.

use std::fmt;

/// Why a run failed; [`Failure::exit_code`] is the process exit code.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    /// Verification failed or the operation failed (exit 1).
    Failed(String),
    /// Usage or input error: bad options, bad config, malformed input (exit 2).
    Usage(String),
    /// A file could not be read or written (exit 3).
    Io(String),
    /// stdout was closed by the reader (exit quietly).
    BrokenPipe,
}

impl Failure {
    /// The exit code: 0 ok, 1 verification/operation failed, 2 usage/input, 3 I/O.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Failed(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Io(_) => 3,
            Failure::BrokenPipe => 0,
        }
    }

    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> Failure {
        Failure::Io(format!("{}: {e}", path.display()))
    }

    /// Maps an error writing stdout.
    pub fn from_stdout(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Io(format!("cannot write to stdout: {e}"))
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Failed(m) | Failure::Usage(m) | Failure::Io(m) => {
                // One line, always.
                f.write_str(&m.replace('\n', " "))
            }
            Failure::BrokenPipe => f.write_str("broken pipe"),
        }
    }
}

impl std::error::Error for Failure {}

/// Shorthand for a usage/input error.
pub fn usage(m: impl Into<String>) -> Failure {
    Failure::Usage(m.into())
}

/// Shorthand for a failed operation/verification.
pub fn failed(m: impl Into<String>) -> Failure {
    Failure::Failed(m.into())
}

/// Result with [`Failure`].
pub type Result<T> = std::result::Result<T, Failure>;
