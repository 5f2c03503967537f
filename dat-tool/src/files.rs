//! The files dat-tool reads and writes: request and credential zips, credentials in any of
//! their forms, key files.

use crate::{Failure, ResultExt};
use provkit::crypto::PublicKey;
use provkit::dat::config::DcConfig;
use provkit::dat::{DatFamily, DebugCredential};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Largest zip member we read.
const MAX_MEMBER: u64 = 1 << 20;

/// The technician's request (`request.yaml` in REQUEST.zip).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFile {
    /// Family.
    pub family: String,
    /// Silicon revision.
    pub revision: String,
    /// Device UUID, 32 hex digits; all zero = any device.
    pub uuid: String,
    /// Member holding the debug public key.
    pub dck: String,
    /// Key type, for people.
    pub key_type: String,
    /// Protocol version the key implies.
    pub protocol: String,
    /// The technician's note.
    #[serde(default)]
    pub note: String,
}

/// Writes a zip with `members` (name, bytes), deflated, with fixed timestamps.
pub fn write_zip(path: &Path, members: &[(&str, &[u8])]) -> Result<(), Failure> {
    let f = std::fs::File::create(path).or_input(format!("cannot create {}", path.display()))?;
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (name, data) in members {
        z.start_file(*name, opts)
            .or_input(format!("{}: cannot add {name}", path.display()))?;
        z.write_all(data)
            .or_input(format!("{}: cannot write {name}", path.display()))?;
    }
    z.finish()
        .or_input(format!("{}: cannot finish the zip", path.display()))?;
    Ok(())
}

/// True when `bytes` start like a zip file.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads the members of a zip (bounded size each).
pub fn read_zip(path: &Path, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .or_input(format!("{}: not a readable zip", path.display()))?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z
            .by_index(i)
            .or_input(format!("{}: damaged zip", path.display()))?;
        if f.is_dir() {
            continue;
        }
        if f.size() > MAX_MEMBER {
            return Err(Failure::input(anyhow::anyhow!(
                "{}: member {} is larger than 1 MiB",
                path.display(),
                f.name()
            )));
        }
        let name = f.name().to_string();
        let mut data = Vec::new();
        (&mut f)
            .take(MAX_MEMBER + 1)
            .read_to_end(&mut data)
            .or_input(format!("{}: cannot read {name}", path.display()))?;
        out.push((name, data));
    }
    Ok(out)
}

/// Reads a file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).or_input(format!("cannot read {}", path.display()))
}

/// Writes a file, naming it in the error.
pub fn write(path: &Path, data: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, data).or_input(format!("cannot write {}", path.display()))
}

/// A credential with where it came from.
pub struct LoadedDc {
    /// The credential.
    pub dc: DebugCredential,
    /// The OEM's note, from a DC.zip.
    pub note: Option<String>,
}

/// Loads a credential: a binary DC, a DC.zip (the `.dc` member), or an SPSDK DC YAML
/// (built and signed on the spot with its `signer`; SPSDK's `dat auth` crashes on these).
pub fn load_dc(path: &Path) -> Result<LoadedDc, Failure> {
    let bytes = read(path)?;
    if is_zip(&bytes) {
        let members = read_zip(path, &bytes)?;
        let dc = members
            .iter()
            .find(|(n, _)| n.ends_with(".dc") || n.ends_with(".bin"))
            .ok_or_else(|| {
                Failure::input(anyhow::anyhow!(
                    "{}: the zip holds no .dc credential",
                    path.display()
                ))
            })?;
        let note = members
            .iter()
            .find(|(n, _)| n.ends_with(".txt"))
            .map(|(_, d)| String::from_utf8_lossy(d).into_owned());
        let parsed = DebugCredential::parse(&dc.1)
            .map_err(|e| Failure::input(anyhow::anyhow!("{}: {}: {e}", path.display(), dc.0)))?;
        return Ok(LoadedDc { dc: parsed, note });
    }
    match DebugCredential::parse(&bytes) {
        Ok(dc) => Ok(LoadedDc { dc, note: None }),
        Err(e) => {
            let looks_yaml = std::str::from_utf8(&bytes)
                .is_ok_and(|t| t.contains("rot_meta") && t.contains("dck"));
            if looks_yaml {
                let (dc, _) = build_from_config(path)?;
                Ok(LoadedDc { dc, note: None })
            } else {
                Err(Failure::input(anyhow::anyhow!(
                    "{}: not a debug credential: {e}",
                    path.display()
                )))
            }
        }
    }
}

/// Builds and signs the credential an SPSDK DC configuration describes.
pub fn build_from_config(path: &Path) -> Result<(DebugCredential, DatFamily), Failure> {
    let text = std::fs::read_to_string(path).or_input(format!("cannot read {}", path.display()))?;
    let cfg: DcConfig = serde_yaml::from_str(&text)
        .map_err(|e| Failure::input(anyhow::anyhow!("{}: {e}", path.display())))?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let r = cfg.resolve(base).or_input(format!("{}", path.display()))?;
    for w in &r.warnings {
        tracing::warn!("{}: {w}", path.display());
    }
    let spec = r.signer.as_deref().ok_or_else(|| {
        Failure::input(anyhow::anyhow!(
            "{}: signer: missing (a private key path or type=file;file_path=...)",
            path.display()
        ))
    })?;
    let signer = provkit::crypto::signer_from_spec(spec, base)
        .or_input(format!("{}: signer", path.display()))?;
    let dc = DebugCredential::build(&r.params, signer.as_ref())
        .or_input(format!("{}", path.display()))?;
    Ok((dc, r.family))
}

/// Loads a public key (a private key file gives its public half).
pub fn load_pub(path: &Path) -> Result<PublicKey, Failure> {
    PublicKey::from_file(path).or_input("key")
}

/// The public key path beside a private key path: `dck.pem` -> `dck.pub`, `dck` ->
/// `dck.pub`.
pub fn pub_path(private: &Path) -> PathBuf {
    match private.extension() {
        Some(e) if e != "pub" => private.with_extension("pub"),
        _ => {
            let mut s = private.as_os_str().to_owned();
            s.push(".pub");
            PathBuf::from(s)
        }
    }
}
