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

/// `sbgen sb21 get-sbkek [-k MASTER] [-o DIR]`: SBKEK from an OTP master key (random if
/// none), written as SPSDK writes it (`sbkek.txt` hex, `sbkek.bin` reversed for the key store,
/// `otp_master_key.txt`/`.bin`), or printed when no directory is given.
pub fn get_sbkek(
    master: Option<&str>,
    dir: Option<&Path>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let master: Zeroizing<[u8; 32]> = match master {
        Some(spec) => {
            let b = load_bytes(spec, Path::new("."), &[32], "master key")?;
            let mut m = Zeroizing::new([0u8; 32]);
            m.copy_from_slice(&b);
            m
        }
        None => {
            use rand_core::RngCore;
            let mut m = Zeroizing::new([0u8; 32]);
            rand_core::OsRng.fill_bytes(&mut m[..]);
            m
        }
    };
    let sbkek = Zeroizing::new(provkit::sb21::sbkek_from_otp_master_key(&master));
    let Some(dir) = dir else {
        return crate::output::print(
            out,
            &format!(
                "SBKEK: {}\n(OTP) MASTER KEY: {}\n",
                provkit::codec::to_hex(&sbkek[..]),
                provkit::codec::to_hex(&master[..])
            ),
        );
    };
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    let mut reversed = Zeroizing::new(*sbkek);
    reversed.reverse();
    let files: [(&str, Zeroizing<Vec<u8>>); 4] = [
        (
            "sbkek.txt",
            Zeroizing::new(provkit::codec::to_hex(&sbkek[..]).into_bytes()),
        ),
        ("sbkek.bin", Zeroizing::new(reversed.to_vec())),
        (
            "otp_master_key.txt",
            Zeroizing::new(provkit::codec::to_hex(&master[..]).into_bytes()),
        ),
        ("otp_master_key.bin", Zeroizing::new(master.to_vec())),
    ];
    let mut text = String::new();
    for (name, bytes) in &files {
        let p = dir.join(name);
        provkit::crypto::keys::write_private(&p, bytes).map_err(|e| Failure::Io(e.to_string()))?;
        text.push_str(&format!("{}\n", p.display()));
    }
    crate::output::print(out, &format!("SBKEK written (mode 0600):\n{text}"))
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

    /// SPSDK's `get-sbkek` example (sb2_mbi.md 5.8a): master 000102..1f.
    #[test]
    fn sbkek_from_master() {
        let dir = tempfile::tempdir().unwrap();
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        let mut out = Vec::new();
        get_sbkek(Some(hex), Some(dir.path()), &mut out).unwrap();
        let want = "80c3017e8f89ab315ede32b11e48ab50d5786900334bbaad31a868ca3c29221b";
        let txt = std::fs::read_to_string(dir.path().join("sbkek.txt")).unwrap();
        assert_eq!(txt, want);
        let mut bin = std::fs::read(dir.path().join("sbkek.bin")).unwrap();
        bin.reverse();
        assert_eq!(provkit::codec::to_hex(&bin), want);
        assert!(!String::from_utf8_lossy(&out).contains(want));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("otp_master_key.txt")).unwrap(),
            hex
        );
    }
}
