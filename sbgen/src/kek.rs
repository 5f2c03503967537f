//! SB KEKs (PCKs) and hashes given on the command line or in configs: hex text, or a path to
//! a file holding hex text (a trailing newline is fine) or the raw bytes. Secrets are kept
//! in [`Zeroizing`] buffers and never printed.

use crate::error::{Failure, Result, usage};
use std::path::Path;
use zeroize::Zeroizing;

fn hex_digits(t: &str) -> Option<Vec<u8>> {
    let t = t.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace())
    {
        return None;
    }
    provkit::codec::from_hex(t).ok()
}

/// Reads `spec` as hex text, or as a file (hex text or raw bytes) resolved against `base`.
/// `sizes` are the accepted byte lengths; `what` names the value in errors (never the value).
pub fn load_bytes(
    spec: &str,
    base: &Path,
    sizes: &[usize],
    what: &str,
) -> Result<Zeroizing<Vec<u8>>> {
    let spec = spec.trim();
    if spec.contains("type=") {
        return Err(usage(format!(
            "{what}: KDF/key service providers ('{spec}') are not supported yet; give the key \
             as hex text or a key file"
        )));
    }
    let p = Path::new(spec);
    let path = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    let path = if path.is_file() {
        Some(path)
    } else if p.is_file() {
        Some(p.to_path_buf())
    } else {
        None
    };
    let bytes = match path {
        Some(path) => {
            let raw = Zeroizing::new(std::fs::read(&path).map_err(|e| Failure::io(&path, &e))?);
            let text = std::str::from_utf8(&raw).ok().and_then(hex_digits);
            match text {
                Some(b) if sizes.contains(&b.len()) => Zeroizing::new(b),
                _ if sizes.contains(&raw.len()) => raw,
                _ => {
                    return Err(usage(format!(
                        "{what}: {} holds neither hex text nor raw bytes of {} bytes",
                        path.display(),
                        sizes
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )));
                }
            }
        }
        None => match hex_digits(spec) {
            Some(b) => Zeroizing::new(b),
            None => {
                return Err(usage(format!(
                    "{what}: not a file and not hex text ({})",
                    path_hint(spec)
                )));
            }
        },
    };
    if !sizes.contains(&bytes.len()) {
        return Err(usage(format!(
            "{what}: {} bytes, expected {}",
            bytes.len(),
            sizes
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    Ok(bytes)
}

/// Never echo something that may be a key: only say how long it was.
fn path_hint(spec: &str) -> String {
    if spec.contains('/') || spec.contains('.') {
        format!("no such file: {spec}")
    } else {
        format!("{} characters", spec.len())
    }
}

/// An SB KEK: 32 bytes (AES-256), or 16 as SPSDK also accepts.
pub fn load_kek(spec: &str, base: &Path) -> Result<Zeroizing<Vec<u8>>> {
    load_bytes(spec, base, &[32, 16], "KEK")
}

/// An RKTH: 32 or 48 bytes (48 with zero padding for a SHA-256 RKTH is fine).
pub fn load_rkth(spec: &str) -> Result<Vec<u8>> {
    Ok(load_bytes(spec, Path::new("."), &[32, 48], "RKTH")?.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let dir = tempfile::tempdir().unwrap();
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        let want: Vec<u8> = (0..32).collect();
        assert_eq!(*load_kek(hex, dir.path()).unwrap(), want);
        assert_eq!(*load_kek(&format!("0x{hex}"), dir.path()).unwrap(), want);
        std::fs::write(dir.path().join("k.txt"), format!("{hex}\n")).unwrap();
        assert_eq!(*load_kek("k.txt", dir.path()).unwrap(), want);
        std::fs::write(dir.path().join("k.bin"), &want).unwrap();
        assert_eq!(*load_kek("k.bin", dir.path()).unwrap(), want);
        assert!(load_kek("abcd", dir.path()).is_err());
        assert!(load_kek("type=proxy;host=x", dir.path()).is_err());
        let e = load_kek(&hex[..62], dir.path()).unwrap_err().to_string();
        assert!(!e.contains(&hex[..62]), "{e}");
    }
}
