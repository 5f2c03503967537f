//! Certificate block v2.1 from SPSDK's cert-block YAML (`nxpimage cert-block export`), or
//! from a binary block; `sbgen cert-block export|parse|get-template`.

use crate::config::Config;
use crate::error::{Failure, Result, failed, usage};
use crate::output;
use provkit::certblock::{CertBlockSpec, CertBlockV21, IskSpec};
use provkit::codec::to_hex;
use provkit::crypto::{PublicKey, signer_from_spec};
use std::path::{Path, PathBuf};

/// Keys of a cert-block YAML.
pub const KEYS: &[&str] = &[
    "family",
    "revision",
    "useIsk",
    "iskPublicKey",
    "signingCertificateFile",
    "iskCertificateConstraint",
    "signingCertificateConstraint",
    "iskCertData",
    "signCertData",
    "signer",
    "rootCertificate0File",
    "rootCertificate1File",
    "rootCertificate2File",
    "rootCertificate3File",
    "mainRootCertId",
    "containerOutputFile",
];

fn load_pub(cfg: &Config, key: &str) -> Result<Option<PublicKey>> {
    match cfg.path(key) {
        None => Ok(None),
        Some(p) => {
            if !p.exists() {
                return Err(Failure::Io(format!(
                    "{}: {key}: {}: no such file",
                    cfg.ctx,
                    p.display()
                )));
            }
            PublicKey::from_file(&p)
                .map(Some)
                .map_err(|e| usage(format!("{}: {key}: {e}", cfg.ctx)))
        }
    }
}

/// Builds a certificate block from a cert-block YAML mapping.
pub fn from_yaml(cfg: &Config) -> Result<CertBlockV21> {
    cfg.warn_unknown(KEYS);
    let mut roots = Vec::new();
    let mut gap = false;
    for i in 0..4 {
        let key = format!("rootCertificate{i}File");
        match load_pub(cfg, &key)? {
            Some(k) if gap => {
                let _ = k;
                return Err(usage(format!(
                    "{}: {key} is given but an earlier rootCertificateNFile is missing (no gaps allowed)",
                    cfg.ctx
                )));
            }
            Some(k) => roots.push(k),
            None => gap = true,
        }
    }
    if roots.is_empty() {
        return Err(usage(format!(
            "{}: rootCertificate0File is required",
            cfg.ctx
        )));
    }
    let use_isk = cfg.bool_or("useIsk", false)?;
    // The root signer is needed for an ISK certificate, or to pick mainRootCertId.
    let need_signer = use_isk || !cfg.has("mainRootCertId");
    let signer = match cfg.str("signer") {
        Some(s) if !s.trim().is_empty() && need_signer => Some(
            signer_from_spec(&s, &cfg.dir)
                .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?,
        ),
        _ => None,
    };
    // mainRootCertId, or the root key matching the signer.
    let found = match &signer {
        Some(s) => {
            let pk = s
                .public_key()
                .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
            roots.iter().position(|k| *k == pk)
        }
        None => None,
    };
    let used_root = match cfg.u32("mainRootCertId")? {
        Some(i) => {
            if let Some(f) = found {
                if f != i as usize {
                    return Err(usage(format!(
                        "{}: mainRootCertId is {i} but the signer is root key {f}",
                        cfg.ctx
                    )));
                }
            }
            i as usize
        }
        None => found.ok_or_else(|| {
            usage(format!(
                "{}: mainRootCertId is missing and no signer matches a root key",
                cfg.ctx
            ))
        })?,
    };
    let isk = if use_isk {
        let key_name = if cfg.has("iskPublicKey") {
            "iskPublicKey"
        } else {
            "signingCertificateFile"
        };
        let key = load_pub(cfg, key_name)?.ok_or_else(|| {
            usage(format!(
                "{}: useIsk is true but iskPublicKey is missing",
                cfg.ctx
            ))
        })?;
        let constraint_key = if cfg.has("iskCertificateConstraint") {
            "iskCertificateConstraint"
        } else {
            "signingCertificateConstraint"
        };
        let data_key = if cfg.has("iskCertData") {
            "iskCertData"
        } else {
            "signCertData"
        };
        let user_data = cfg.read_file(data_key)?.map(|(_, d)| d).unwrap_or_default();
        Some(IskSpec {
            key,
            constraints: cfg.u32_or(constraint_key, 0)?,
            user_data,
        })
    } else {
        None
    };
    CertBlockSpec {
        root_keys: roots,
        used_root,
        isk,
        root_signer: signer.as_deref(),
    }
    .build()
    .map_err(|e| usage(format!("{}: {e}", cfg.ctx)))
}

/// The `certBlock` of an SB3.1 or MBI config: a binary block (reused byte for byte) or a
/// cert-block YAML (paths relative to that YAML).
pub fn from_container_config(cfg: &Config) -> Result<CertBlockV21> {
    let path = cfg
        .path("certBlock")
        .ok_or_else(|| usage(format!("{}: certBlock is required", cfg.ctx)))?;
    let data = std::fs::read(&path)
        .map_err(|e| Failure::Io(format!("{}: certBlock: {}: {e}", cfg.ctx, path.display())))?;
    if data.starts_with(provkit::certblock::MAGIC) {
        return CertBlockV21::decode(&data)
            .map_err(|e| usage(format!("{}: certBlock {}: {e}", cfg.ctx, path.display())));
    }
    let sub = Config::load(&path)?;
    from_yaml(&sub)
}

/// `sbgen cert-block export -c CONFIG [-o OUT]`.
pub fn export(config: &Path, out_path: Option<&Path>, out: &mut dyn std::io::Write) -> Result<()> {
    let cfg = Config::load(config)?;
    let cb = from_yaml(&cfg)?;
    let target: PathBuf = match out_path {
        Some(p) => p.to_path_buf(),
        None => cfg.path("containerOutputFile").ok_or_else(|| {
            usage(format!(
                "{}: containerOutputFile is missing (or give -o)",
                cfg.ctx
            ))
        })?,
    };
    let bytes = cb.encode();
    output::write_file(&target, &bytes)?;
    let line = format!("RKTH: {}\n", to_hex(&cb.rkth()));
    if output::is_stdout(&target) {
        eprint!("{line}");
    } else {
        output::print(out, &line)?;
        output::print(
            out,
            &format!(
                "Success. (Certificate block v2.1: {} created, {} bytes.)\n",
                target.display(),
                bytes.len()
            ),
        )?;
    }
    Ok(())
}

/// A description of a block, for reports.
pub fn describe(cb: &CertBlockV21) -> serde_json::Value {
    serde_json::json!({
        "version": "2.1",
        "size": cb.size(),
        "root_key_curve": cb.curve.to_string(),
        "root_key_count": cb.key_count,
        "used_root_key": cb.used_root,
        "rkth": to_hex(&cb.rkth()),
        "root_key_hash": to_hex(&cb.root_key_hash()),
        "isk": cb.isk.as_ref().map(|i| serde_json::json!({
            "curve": i.curve.to_string(),
            "constraints": i.constraints,
            "user_data_len": i.user_data.len(),
        })),
    })
}

/// One-line summary.
pub fn summary(cb: &CertBlockV21) -> String {
    let isk = match &cb.isk {
        None => "no ISK (the root key signs)".to_string(),
        Some(i) => format!(
            "ISK {} (constraints {}, {} bytes of user data)",
            i.curve,
            i.constraints,
            i.user_data.len()
        ),
    };
    format!(
        "{} x {} root key{}, root key {} in the block, {isk}",
        cb.key_count,
        cb.curve,
        if cb.key_count == 1 { "" } else { "s" },
        cb.used_root
    )
}

/// `sbgen cert-block parse -i FILE [--rkth HEX] [-o DIR] [--json]`.
pub fn parse(
    input: &Path,
    rkth: Option<&[u8]>,
    out_dir: Option<&Path>,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let data = output::read_input(input)?;
    let cb =
        CertBlockV21::decode(&data).map_err(|e| failed(format!("{}: {e}", input.display())))?;
    let verified = cb.verify(rkth);
    if let Some(dir) = out_dir {
        write_config(&cb, dir, "cert_block_config.yaml")?;
    }
    let mut info = describe(&cb);
    info["verified"] = serde_json::Value::Bool(verified.is_ok());
    if let Err(e) = &verified {
        info["error"] = serde_json::Value::String(e.to_string());
    }
    if json {
        output::print(
            out,
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&info).unwrap_or_default()
            ),
        )?;
    } else {
        output::print(
            out,
            &format!(
                "certificate block v2.1, {} bytes: {}\nRKTH: {}\n",
                cb.size(),
                summary(&cb),
                to_hex(&cb.rkth())
            ),
        )?;
        if verified.is_ok() {
            let what = match (cb.isk.is_some(), rkth.is_some()) {
                (true, true) => "RKTH and ISK signature OK",
                (true, false) => "ISK signature OK (RKTH not checked: no --rkth)",
                (false, true) => "RKTH OK",
                (false, false) => "structure OK (RKTH not checked: no --rkth)",
            };
            output::print(out, &format!("{what}\n"))?;
        }
    }
    verified
        .map(|_| ())
        .map_err(|e| failed(format!("{}: {e}", input.display())))
}

/// Writes a cert-block YAML (+ public keys, user data) that re-creates the block: the keys
/// are written as PEM public keys; the RKHT entries of keys not in the block cannot be
/// turned back into keys, so the block itself is written too (`cert_block.bin`), which
/// SB3.1/MBI configs can use as `certBlock:` byte for byte.
pub fn write_config(cb: &CertBlockV21, dir: &Path, name: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    output::write_file(&dir.join("cert_block.bin"), &cb.encode())?;
    let mut y = String::new();
    y.push_str("# Certificate block v2.1, parsed by sbgen. The RKHT entries of root keys that\n");
    y.push_str("# are not in the block cannot be turned back into keys: cert_block.bin is the\n");
    y.push_str("# block itself (use it as `certBlock:` to reproduce the ISK signature too).\n");
    y.push_str(&format!(
        "# RKTH: {}\n# root key hashes: {}\n",
        to_hex(&cb.rkth()),
        if cb.rkht.is_empty() {
            to_hex(&cb.root_key_hash())
        } else {
            cb.rkht
                .iter()
                .map(|h| to_hex(h))
                .collect::<Vec<_>>()
                .join(", ")
        }
    ));
    let root = cb
        .root_key()
        .map_err(|e| failed(format!("certificate block: {e}")))?;
    let root_name = format!("rootCertificate{}File.pub", cb.used_root);
    output::write_file(
        &dir.join(&root_name),
        root.to_spki_pem()
            .map_err(|e| failed(e.to_string()))?
            .as_bytes(),
    )?;
    y.push_str(&format!("useIsk: {}\n", cb.isk.is_some()));
    y.push_str(&format!(
        "rootCertificate{}File: {root_name}\n",
        cb.used_root
    ));
    y.push_str(&format!("mainRootCertId: {}\n", cb.used_root));
    if let Some(isk) = &cb.isk {
        let k = isk
            .key()
            .map_err(|e| failed(format!("certificate block: {e}")))?;
        output::write_file(
            &dir.join("iskPublicKey.pub"),
            k.to_spki_pem()
                .map_err(|e| failed(e.to_string()))?
                .as_bytes(),
        )?;
        y.push_str("iskPublicKey: iskPublicKey.pub\n");
        y.push_str(&format!("iskCertificateConstraint: {}\n", isk.constraints));
        if !isk.user_data.is_empty() {
            output::write_file(&dir.join("isk_user_data.bin"), &isk.user_data)?;
            y.push_str("iskCertData: isk_user_data.bin\n");
        }
        y.push_str("signer: type=file;file_path=SET_ME_root_private_key.pem\n");
    }
    y.push_str("containerOutputFile: cert_block.bin\n");
    let p = dir.join(name);
    output::write_file(&p, y.as_bytes())?;
    Ok(p)
}

/// `sbgen cert-block get-template -f FAMILY`.
pub fn template(family: &str) -> String {
    format!(
        "# Certificate block v2.1 for {family} (SPSDK `nxpimage cert-block` keys; paths are\n\
         # relative to this file).\n\
         family: {family}\n\
         revision: latest\n\
         # true: an ISK certificate follows, signed by the root key `signer`; images and SB\n\
         # files are then signed with the ISK private key. false: the root key signs them.\n\
         useIsk: false\n\
         # ISK public key (PEM/DER public key, private key or X.509 certificate).\n\
         iskPublicKey: isk.pub\n\
         # ISK constraints word (compared by the ROM with a fuse counter).\n\
         iskCertificateConstraint: 0\n\
         # Optional ISK user data (at most 96 bytes, a multiple of 4).\n\
         # iskCertData: user_cert_data.bin\n\
         # Root private key that signs the ISK certificate (needed with useIsk: true); a key\n\
         # file or type=file;file_path=...\n\
         signer: type=file;file_path=root_prv_key.pem\n\
         # One to four root public keys of one curve (P-256 or P-384), no gaps.\n\
         rootCertificate0File: root0.pub\n\
         # rootCertificate1File: root1.pub\n\
         # rootCertificate2File: root2.pub\n\
         # rootCertificate3File: root3.pub\n\
         # Index of the root key put into the block (the one that signs).\n\
         mainRootCertId: 0\n\
         containerOutputFile: cert_block.bin\n"
    )
}
