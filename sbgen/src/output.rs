//! Writing results: files (`-` = stdout), stdout lines, input files (`-` = stdin).

use crate::error::{Failure, Result};
use std::io::{Read, Write};
use std::path::Path;

/// True for the path `-`.
pub fn is_stdout(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// Writes `data` to `path` (`-`: stdout), creating parent directories.
pub fn write_file(path: &Path, data: &[u8]) -> Result<()> {
    if is_stdout(path) {
        let mut o = std::io::stdout().lock();
        return o
            .write_all(data)
            .and_then(|()| o.flush())
            .map_err(Failure::from_stdout);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Failure::io(parent, &e))?;
    }
    std::fs::write(path, data).map_err(|e| Failure::io(path, &e))
}

/// Writes a secret with mode 0600.
pub fn write_secret(path: &Path, data: &[u8]) -> Result<()> {
    provkit::crypto::keys::write_private(path, data).map_err(|e| Failure::Io(e.to_string()))
}

/// Reads an input file (`-`: stdin).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    if is_stdout(path) {
        let mut v = Vec::new();
        std::io::stdin()
            .read_to_end(&mut v)
            .map_err(|e| Failure::Io(format!("stdin: {e}")))?;
        return Ok(v);
    }
    std::fs::read(path).map_err(|e| Failure::io(path, &e))
}

/// Prints to the run's stdout.
pub fn print(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(Failure::from_stdout)
}
