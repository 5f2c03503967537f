//! Certificate blocks from SPSDK's cert-block YAML (`nxpimage cert-block export`), or from a
//! binary block; `sbgen cert-block export|parse|get-template`. Version 2.1 (ECC root keys,
//! ISK) for the SB3.1 families; version 1 (X.509 RSA certificate chain) for the SB2.1
//! families (LPC55S0x/1x/2x/6x, RT5xx/6xx), see [`load_v1`].
//!
//! Which version a cert-block config describes: its `family` decides when we know the
//! family; else a `rootCertificate0File` holding an X.509 certificate with an RSA key (or
//! any `chainCertificate*`/`imageBuildNumber`/`rkhtEntry*` key) means v1.
//!
//! Our extension of the v1 config: `rkhtEntry0`..`rkhtEntry3: <64 hex digits>` give an RKHT
//! entry by its hash instead of a `rootCertificate<i>File` (the RKHT of a parsed block names
//! roots whose certificates are not in the block). `sbgen cert-block parse -o` writes them.

use crate::config::Config;
use crate::error::{Failure, Result, failed, usage};
use crate::output;
use provkit::certblock::v1::{CertInfo, certificate_der};
use provkit::certblock::{CertBlockSpec, CertBlockV1, CertBlockV1Spec, CertBlockV21, IskSpec};
use provkit::codec::{from_hex, to_hex};
use provkit::crypto::{PublicKey, signer_from_spec};
use provkit::family::ImageFamily;
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

/// `sbgen cert-block export -c CONFIG [-o OUT]`: v1 or v2.1 as the config says
/// ([`config_is_v1`]).
pub fn export(config: &Path, out_path: Option<&Path>, out: &mut dyn std::io::Write) -> Result<()> {
    let cfg = Config::load(config)?;
    let (bytes, rkth, version) = if config_is_v1(&cfg)? {
        // A `signer` only picks the root when mainRootCertId is missing (as in SPSDK).
        let signer_key = if cfg.has("mainRootCertId") {
            None
        } else {
            signer_key(&cfg)?
        };
        let cb = from_yaml_v1(&cfg, signer_key.as_ref())?;
        (cb.encode(STANDALONE_ALIGNMENT), cb.rkth().to_vec(), "v1")
    } else {
        let cb = from_yaml(&cfg)?;
        (cb.encode(), cb.rkth(), "v2.1")
    };
    let target: PathBuf = match out_path {
        Some(p) => p.to_path_buf(),
        None => cfg.path("containerOutputFile").ok_or_else(|| {
            usage(format!(
                "{}: containerOutputFile is missing (or give -o)",
                cfg.ctx
            ))
        })?,
    };
    output::write_file(&target, &bytes)?;
    let line = format!("RKTH: {}\n", to_hex(&rkth));
    if output::is_stdout(&target) {
        eprint!("{line}");
    } else {
        output::print(out, &line)?;
        output::print(
            out,
            &format!(
                "Success. (Certificate block {version}: {} created, {} bytes.)\n",
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

/// `sbgen cert-block parse -i FILE [--rkth HEX] [-o DIR] [--json]`: a v1 block (`"cert"`)
/// or a v2.1 block (`"chdr"`).
pub fn parse(
    input: &Path,
    rkth: Option<&[u8]>,
    out_dir: Option<&Path>,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let data = output::read_input(input)?;
    if data.starts_with(provkit::certblock::v1::MAGIC) {
        return parse_v1(input, &data, rkth, out_dir, json, out);
    }
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

// ---- certificate block v1 ----

/// Alignment of a standalone v1 block (`nxpimage cert-block export`) and of the one in SB2.1.
pub const STANDALONE_ALIGNMENT: usize = 16;

/// True for families whose ROM takes certificate block v1 (the SB2.1 families).
pub fn is_v1_family(f: &ImageFamily) -> bool {
    match &f.secure_boot {
        Some(sb) => sb.cert_block == "1",
        None => f.sb_version == "2.1",
    }
}

/// Keys of a cert-block v1 YAML (with our `rkhtEntry<i>` extension).
fn keys_v1() -> Vec<String> {
    let mut k: Vec<String> = [
        "family",
        "revision",
        "imageBuildNumber",
        "mainRootCertId",
        "containerOutputFile",
        "signer",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in 0..4 {
        k.push(format!("rootCertificate{i}File"));
        k.push(format!("rkhtEntry{i}"));
        for d in 0..4 {
            k.push(format!("chainCertificate{i}File{d}"));
        }
    }
    k
}

fn warn_unknown_v1(cfg: &Config) {
    let keys = keys_v1();
    cfg.warn_unknown(&keys.iter().map(String::as_str).collect::<Vec<_>>());
}

/// Does this cert-block config describe a v1 block? A known family decides; else an RSA
/// X.509 certificate as `rootCertificate0File`, or a v1-only key, means v1.
pub fn config_is_v1(cfg: &Config) -> Result<bool> {
    if let Some(name) = cfg.str("family") {
        if let Some(f) = provkit::family::image_family(&name) {
            return Ok(is_v1_family(f));
        }
    }
    let v1_only = cfg.map.keys().filter_map(|k| k.as_str()).any(|k| {
        k == "imageBuildNumber" || k.starts_with("chainCertificate") || k.starts_with("rkhtEntry")
    });
    if v1_only {
        return Ok(true);
    }
    Ok(match cfg.read_file("rootCertificate0File") {
        Ok(Some((_, data))) => certificate_der(&data, "root certificate 0")
            .ok()
            .and_then(|der| CertInfo::parse(&der, "root certificate 0").ok())
            .map(|c| c.public_key())
            .is_some_and(|k| k.rsa_n_e().is_some()),
        // Missing files are reported by the builder that reads them.
        _ => false,
    })
}

/// The public key of the config's `signer`, if it names one.
fn signer_key(cfg: &Config) -> Result<Option<PublicKey>> {
    match cfg.str("signer") {
        Some(s) if !s.trim().is_empty() => {
            let signer = signer_from_spec(&s, &cfg.dir)
                .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
            signer
                .public_key()
                .map(Some)
                .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))
        }
        _ => Ok(None),
    }
}

/// A certificate file named by `key` (PEM or DER), as DER.
fn read_cert(cfg: &Config, key: &str) -> Result<Vec<u8>> {
    let (path, data) = cfg
        .read_file(key)?
        .ok_or_else(|| usage(format!("{}: {key} is missing", cfg.ctx)))?;
    certificate_der(&data, &format!("{key} ({})", path.display()))
        .map_err(|e| usage(format!("{}: {e}", cfg.ctx)))
}

/// One RKHT entry of a v1 config: a root certificate, or only its key hash.
enum RootEntry {
    Cert(Vec<u8>),
    Hash([u8; 32]),
}

/// Builds a certificate block v1 from a cert-block v1 YAML mapping (standalone form:
/// image_length 0). `signer_key` is the key that signs the container: it picks the root when
/// `mainRootCertId` is missing, and must be the last certificate's key.
pub fn from_yaml_v1(cfg: &Config, signer_key: Option<&PublicKey>) -> Result<CertBlockV1> {
    warn_unknown_v1(cfg);
    let bad = |e: provkit::certblock::CertBlockError| usage(format!("{}: {e}", cfg.ctx));
    let build_number = cfg.u32_or("imageBuildNumber", 0)?;
    let mut entries = Vec::new();
    let mut first_missing = None;
    for i in 0..4 {
        let ck = format!("rootCertificate{i}File");
        let hk = format!("rkhtEntry{i}");
        let entry = match (cfg.has(&ck), cfg.has(&hk)) {
            (true, true) => {
                return Err(usage(format!(
                    "{}: {ck} and {hk} both give RKHT entry {i}",
                    cfg.ctx
                )));
            }
            (true, false) => Some(RootEntry::Cert(read_cert(cfg, &ck)?)),
            (false, true) => {
                let text = cfg.str(&hk).unwrap_or_default();
                let h: [u8; 32] = from_hex(text.trim())
                    .ok()
                    .and_then(|v| v.try_into().ok())
                    .ok_or_else(|| usage(format!("{}: {hk}: expected 64 hex digits", cfg.ctx)))?;
                Some(RootEntry::Hash(h))
            }
            (false, false) => None,
        };
        match (entry, first_missing) {
            (Some(_), Some(m)) => {
                return Err(usage(format!(
                    "{}: {ck} is given but rootCertificate{m}File is missing (no gaps allowed)",
                    cfg.ctx
                )));
            }
            (Some(e), None) => entries.push(e),
            (None, _) => {
                first_missing.get_or_insert(i);
            }
        }
    }
    if entries.is_empty() {
        return Err(usage(format!(
            "{}: rootCertificate0File is required",
            cfg.ctx
        )));
    }
    // The RKHT, to find the used root by the signer's key hash.
    let mut rkht = [[0u8; 32]; 4];
    for (i, e) in entries.iter().enumerate() {
        rkht[i] = match e {
            RootEntry::Hash(h) => *h,
            RootEntry::Cert(der) => {
                let what = format!("rootCertificate{i}File");
                let key = CertInfo::parse(der, &what)
                    .and_then(|c| c.usable_key(&what))
                    .map_err(bad)?;
                let mut h = [0u8; 32];
                h.copy_from_slice(&provkit::certblock::rkh(&key).map_err(bad)?);
                h
            }
        };
    }
    let used = match cfg.u32("mainRootCertId")? {
        Some(i) if i as usize >= entries.len() => {
            return Err(usage(format!(
                "{}: mainRootCertId is {i} but {} root certificate{} given",
                cfg.ctx,
                entries.len(),
                if entries.len() == 1 { " is" } else { "s are" }
            )));
        }
        Some(i) => i as usize,
        None => signer_key
            .and_then(|k| provkit::certblock::v1::root_index_of(&rkht, k))
            .unwrap_or(0),
    };
    let mut chain = Vec::new();
    for d in 0..4 {
        let key = format!("chainCertificate{used}File{d}");
        if cfg.has(&key) {
            chain.push(read_cert(cfg, &key)?);
        }
    }
    let has_hashes = entries.iter().any(|e| matches!(e, RootEntry::Hash(_)));
    if !has_hashes {
        let root_certs = entries
            .into_iter()
            .filter_map(|e| match e {
                RootEntry::Cert(c) => Some(c),
                RootEntry::Hash(_) => None,
            })
            .collect();
        return CertBlockV1Spec {
            build_number,
            root_certs,
            used_root: Some(used),
            chain,
        }
        .build(signer_key)
        .map_err(bad);
    }
    // Some roots are only hashes: build from the used root, then put in the whole table.
    let root = match entries.get(used) {
        Some(RootEntry::Cert(c)) => c.clone(),
        _ => {
            return Err(usage(format!(
                "{}: root {used} (mainRootCertId) is given as rkhtEntry{used}: its certificate (rootCertificate{used}File) is needed",
                cfg.ctx
            )));
        }
    };
    let mut cb = CertBlockV1Spec {
        build_number,
        root_certs: vec![root],
        used_root: Some(0),
        chain,
    }
    .build(signer_key)
    .map_err(bad)?;
    cb.rkht = rkht;
    cb.verify(None).map_err(bad)?;
    Ok(cb)
}

/// The `certBlock` of an SB2.1 or MBI (cert block v1 family) config: a binary block (taken as
/// is, any alignment padding dropped) or a cert-block v1 YAML (paths relative to that YAML).
/// The block is checked (chain rules, root in the RKHT, RSA key sizes), and when
/// `signer_key` is given it must be the last certificate's key. `image_length` is as read
/// (0 from YAML): the container sets it.
pub fn load_v1(container: &Config, signer_key: Option<&PublicKey>) -> Result<CertBlockV1> {
    let path = container
        .path("certBlock")
        .ok_or_else(|| usage(format!("{}: certBlock is required", container.ctx)))?;
    let data = std::fs::read(&path).map_err(|e| {
        Failure::Io(format!(
            "{}: certBlock: {}: {e}",
            container.ctx,
            path.display()
        ))
    })?;
    let ctx = format!("{}: certBlock {}", container.ctx, path.display());
    if data.starts_with(provkit::certblock::MAGIC) {
        return Err(usage(format!(
            "{ctx}: a certificate block v2.1; this family needs a certificate block v1 (X.509 RSA certificates)"
        )));
    }
    if !data.starts_with(provkit::certblock::v1::MAGIC) {
        let sub = Config::load(&path)?;
        return from_yaml_v1(&sub, signer_key);
    }
    let bad = |e: provkit::certblock::CertBlockError| usage(format!("{ctx}: {e}"));
    let (cb, n) = CertBlockV1::decode_prefix(&data).map_err(bad)?;
    let rest = data.get(n..).unwrap_or_default();
    if rest.iter().any(|&b| b != 0) || rest.len() >= STANDALONE_ALIGNMENT {
        return Err(usage(format!(
            "{ctx}: {} bytes after the {n}-byte block (only zero padding to 16 is allowed)",
            rest.len()
        )));
    }
    cb.verify(None).map_err(bad)?;
    if let Some(k) = signer_key {
        cb.check_signer(k).map_err(bad)?;
    }
    cb.signature_len().map_err(bad)?;
    Ok(cb)
}

fn cert_json(c: &CertInfo) -> serde_json::Value {
    let key = Some(c.public_key());
    serde_json::json!({
        "subject": c.subject,
        "issuer": c.issuer,
        "serial": c.serial,
        "x509_v3": c.v3,
        "ca": c.ca,
        "key": key.as_ref().map(|k| k.key_type().to_string()),
        "key_hash": key.as_ref().and_then(|k| provkit::certblock::rkh(k).ok()).map(|h| to_hex(&h)),
    })
}

/// A description of a v1 block, for reports.
pub fn describe_v1(cb: &CertBlockV1) -> serde_json::Value {
    let certs: Vec<serde_json::Value> = cb
        .certificate_infos()
        .map(|v| v.iter().map(cert_json).collect())
        .unwrap_or_default();
    serde_json::json!({
        "version": "1",
        "size": cb.unpadded_len(),
        "build_number": cb.build_number,
        "image_length": cb.image_length,
        "certificates": certs,
        "root_key_index": cb.root_index(),
        "rkht": cb.rkht.iter().map(|e| if *e == [0u8; 32] { serde_json::Value::Null } else { to_hex(e).into() }).collect::<Vec<_>>(),
        "rkth": to_hex(&cb.rkth()),
        "signature_len": cb.signature_len().ok(),
    })
}

/// One-line summary of a v1 block.
pub fn summary_v1(cb: &CertBlockV1) -> String {
    let used = cb.rkht.iter().filter(|e| **e != [0u8; 32]).count();
    let root = match cb.root_index() {
        Some(i) => format!("root is RKHT entry {i}"),
        None => "root not in the RKHT".to_string(),
    };
    let n = cb.certificates.len();
    let key = cb
        .signing_key()
        .map(|k| k.key_type().to_string())
        .unwrap_or_else(|_| "unknown".into());
    format!(
        "{n} certificate{} ({root}, {used} of 4 RKHT entries used), build number {}, signing key {key}",
        if n == 1 { "" } else { "s" },
        cb.build_number
    )
}

fn parse_v1(
    input: &Path,
    data: &[u8],
    rkth: Option<&[u8]>,
    out_dir: Option<&Path>,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let name = input.display();
    let (cb, n) = CertBlockV1::decode_prefix(data).map_err(|e| failed(format!("{name}: {e}")))?;
    let rest = data.get(n..).unwrap_or_default();
    if rest.iter().any(|&b| b != 0) || rest.len() >= STANDALONE_ALIGNMENT {
        return Err(failed(format!(
            "{name}: {} bytes after the {n}-byte block (only zero padding to 16 is allowed)",
            rest.len()
        )));
    }
    let verified = cb
        .verify(rkth)
        .and_then(|()| cb.signature_len().map(|_| ()));
    if let Some(dir) = out_dir {
        write_config_v1(&cb, dir, "cert_block_config.yaml")?;
    }
    let mut info = describe_v1(&cb);
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
        let mut text = format!(
            "certificate block v1, {} bytes: {}\n",
            data.len(),
            summary_v1(&cb)
        );
        if let Ok(certs) = cb.certificate_infos() {
            for (i, c) in certs.iter().enumerate() {
                let key = c.public_key().key_type().to_string();
                text.push_str(&format!(
                    "  certificate {i}: {} (issuer {}, {key}{})\n",
                    c.subject,
                    c.issuer,
                    if c.ca { ", CA" } else { "" }
                ));
            }
        }
        for (i, e) in cb.rkht.iter().enumerate() {
            if *e != [0u8; 32] {
                text.push_str(&format!("  RKH {i}: {}\n", to_hex(e)));
            }
        }
        text.push_str(&format!("RKTH: {}\n", to_hex(&cb.rkth())));
        if verified.is_ok() {
            text.push_str(if rkth.is_some() {
                "chain and RKTH OK\n"
            } else {
                "chain OK (RKTH not checked: no --rkth)\n"
            });
        }
        output::print(out, &text)?;
    }
    verified.map_err(|e| failed(format!("{name}: {e}")))
}

/// Writes a cert-block v1 YAML and every certificate of the block (DER,
/// `certificate<root>_depth<k>.der` as SPSDK names them) that `sbgen cert-block export`
/// turns back into the same standalone block. RKHT entries of roots whose certificates are
/// not in the block are written as `rkhtEntry<i>: <hash>` (an sbgen extension).
pub fn write_config_v1(cb: &CertBlockV1, dir: &Path, name: &str) -> Result<PathBuf> {
    let used = cb.root_index().ok_or_else(|| {
        failed("the root certificate's key hash is not in the RKHT: no config rebuilds this block")
    })?;
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    let mut y = String::new();
    y.push_str(
        "# Certificate block v1, parsed by sbgen: `sbgen cert-block export -c <this file>`\n",
    );
    y.push_str("# rebuilds the block (standalone form: aligned to 16, total image length 0).\n");
    y.push_str("# rkhtEntry<i> (an sbgen extension, SPSDK does not read it) gives an RKHT entry\n");
    y.push_str("# by its hash: the block holds only the certificates of the root in use.\n");
    y.push_str(&format!("# RKTH: {}\n", to_hex(&cb.rkth())));
    if cb.image_length != 0 {
        y.push_str(&format!(
            "# The block said total image length {} (set by its container).\n",
            cb.image_length
        ));
    }
    y.push_str(&format!("imageBuildNumber: {}\n", cb.build_number));
    for (depth, der) in cb.certificates.iter().enumerate() {
        let file = format!("certificate{used}_depth{depth}.der");
        output::write_file(&dir.join(&file), der)?;
        if depth == 0 {
            y.push_str(&format!("rootCertificate{used}File: {file}\n"));
        } else {
            y.push_str(&format!(
                "chainCertificate{used}File{}: {file}\n",
                depth - 1
            ));
        }
    }
    let last = cb
        .rkht
        .iter()
        .rposition(|e| *e != [0u8; 32])
        .unwrap_or(used)
        .max(used);
    for (i, e) in cb.rkht.iter().enumerate().take(last + 1) {
        if i != used {
            y.push_str(&format!("rkhtEntry{i}: {}\n", to_hex(e)));
        }
    }
    y.push_str(&format!("mainRootCertId: {used}\n"));
    y.push_str("containerOutputFile: cert_block.bin\n");
    let p = dir.join(name);
    output::write_file(&p, y.as_bytes())?;
    Ok(p)
}

/// `sbgen cert-block get-template -f FAMILY` for a certificate block v1 family.
pub fn template_v1(family: &str) -> String {
    let mut t = format!(
        "# Certificate block v1 for {family} (SPSDK `nxpimage cert-block` keys; paths are\n\
         # relative to this file; certificates PEM or DER).\n\
         family: {family}\n\
         revision: latest\n\
         # Build number in the block header (SB2.1 files also carry it in their header).\n\
         imageBuildNumber: 0\n\
         # One to four root certificates, no gaps: self-signed X.509 v3, RSA-2048 or RSA-4096,\n\
         # sha256WithRSAEncryption. Their key hashes make the root key hash table (RKHT); the\n\
         # hash of the table (RKTH) goes into the device (CMPA ROTKH or OTP).\n\
         rootCertificate0File: root_certificate0.pem\n\
         # rootCertificate1File: root_certificate1.pem\n\
         # rootCertificate2File: root_certificate2.pem\n\
         # rootCertificate3File: root_certificate3.pem\n\
         # Which root certificate goes into the block. Without it: the root whose key is the\n\
         # signer's, else root 0.\n\
         mainRootCertId: 0\n\
         # Certificates below root <r>: chainCertificate<r>File0..3, in order. Only the chain\n\
         # of mainRootCertId is used. The root and every chain certificate but the last must\n\
         # be CAs, each signed by the one before; the last must not be a CA and its key signs\n\
         # the images / SB2.1 files. With no chain, the root must not be a CA and its key signs.\n"
    );
    for r in 0..4 {
        for d in 0..4 {
            t.push_str(&format!(
                "# chainCertificate{r}File{d}: chain_certificate{r}_depth{}.pem\n",
                d + 1
            ));
        }
    }
    t.push_str("containerOutputFile: cert_block.bin\n");
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn vectors() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
    }

    fn pubkey(name: &str) -> PublicKey {
        PublicKey::from_file(&vectors().join("keys").join(name)).unwrap()
    }

    /// A container config in `dir` whose `certBlock` is `cert_block`.
    fn container(dir: &Path, cert_block: &Path) -> Config {
        let p = dir.join("container.yaml");
        std::fs::write(
            &p,
            format!("family: lpc55s69\ncertBlock: {}\n", cert_block.display()),
        )
        .unwrap();
        Config::load(&p).unwrap()
    }

    #[test]
    fn load_v1_from_yaml_and_from_binary() {
        let tmp = tempfile::tempdir().unwrap();
        let yaml = vectors().join("mbi_lpc55s69/cert_block_chain.yaml");
        let want =
            std::fs::read(vectors().join("mbi_lpc55s69/out/cert_block_chain_standalone.bin"))
                .unwrap();
        let isk = pubkey("isk_rsa2048.pub");
        let cfg = container(tmp.path(), &yaml);
        let cb = load_v1(&cfg, Some(&isk)).unwrap();
        assert_eq!(cb.encode(16), want);
        // The same block as a binary file, padded to 16 or not.
        let bin = tmp.path().join("cb.bin");
        for data in [want.clone(), want[..cb.unpadded_len()].to_vec()] {
            std::fs::write(&bin, &data).unwrap();
            let got = load_v1(&container(tmp.path(), &bin), Some(&isk)).unwrap();
            assert_eq!(got, cb);
        }
        // The signer must be the leaf's key.
        let root = pubkey("rotk0_rsa2048.pub");
        for c in [&yaml, &bin] {
            let e = load_v1(&container(tmp.path(), c), Some(&root)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{e}");
            assert!(e.to_string().contains("last certificate"), "{e}");
        }
        // Trailing garbage, a v2.1 block, a missing file.
        let mut more = want.clone();
        more.extend_from_slice(&[0; 16]);
        std::fs::write(&bin, &more).unwrap();
        assert_eq!(
            load_v1(&container(tmp.path(), &bin), None)
                .unwrap_err()
                .exit_code(),
            2
        );
        let v21 = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/sb31/out/cert_block_A.bin");
        let e = load_v1(&container(tmp.path(), &v21), None).unwrap_err();
        assert!(e.to_string().contains("v2.1"), "{e}");
        let e = load_v1(&container(tmp.path(), &tmp.path().join("nope.bin")), None).unwrap_err();
        assert_eq!(e.exit_code(), 3);
    }

    #[test]
    fn load_v1_picks_the_root_by_the_signer_without_main_root_cert_id() {
        let tmp = tempfile::tempdir().unwrap();
        let certs = vectors().join("certs");
        let yaml = tmp.path().join("cb.yaml");
        let mut y = String::new();
        for i in 0..4 {
            y.push_str(&format!(
                "rootCertificate{i}File: {}\n",
                certs.join(format!("root{i}_rsa_cert.pem")).display()
            ));
        }
        std::fs::write(&yaml, y).unwrap();
        let cfg = container(tmp.path(), &yaml);
        for i in 0..4 {
            let k = pubkey(&format!("rotk{i}_rsa2048.pub"));
            let cb = load_v1(&cfg, Some(&k)).unwrap();
            assert_eq!(cb.root_index(), Some(i));
            assert_eq!(cb.signing_key().unwrap(), k);
        }
        assert_eq!(load_v1(&cfg, None).unwrap().root_index(), Some(0));
    }

    #[test]
    fn rkht_entries_by_hash_rebuild_the_table() {
        let tmp = tempfile::tempdir().unwrap();
        let want =
            std::fs::read(vectors().join("mbi_lpc55s69/out/cert_block_chain_standalone.bin"))
                .unwrap();
        let (cb, _) = CertBlockV1::decode_prefix(&want).unwrap();
        let p = write_config_v1(&cb, tmp.path(), "cb.yaml").unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        for i in 1..4 {
            assert!(
                text.contains(&format!("rkhtEntry{i}: {}", to_hex(&cb.rkht[i]))),
                "{text}"
            );
        }
        let cfg = Config::load(&p).unwrap();
        assert!(config_is_v1(&cfg).unwrap());
        assert_eq!(from_yaml_v1(&cfg, None).unwrap().encode(16), want);
        // The used root only as a hash: refused, naming the key to give.
        let bad = text.replace("mainRootCertId: 0", "mainRootCertId: 1");
        std::fs::write(&p, bad).unwrap();
        let e = from_yaml_v1(&Config::load(&p).unwrap(), None).unwrap_err();
        assert!(e.to_string().contains("rootCertificate1File"), "{e}");
    }
}
