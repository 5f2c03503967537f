//! `sbgen mbi export|verify|parse|get-template`: SPSDK `nxpimage mbi` configs for the
//! certificate-block-v1 families (LPC55S0x/1x/2x/6x, RT5xx/6xx: RSA, X.509) and the
//! certificate-block-v2.1 families (lpc55s36, mcxn947, rw612: ECDSA, manifest).
//!
//! Where SPSDK 3.12 is wrong we are correct, and say so (reference sb2_mbi.md section 9):
//! a YAML TrustZone preset is read as a preset (SPSDK embeds the file's text when the YAML
//! fails its schema, bug 9); `verify` and `parse` take the application as `[0, cert block
//! offset)` (SPSDK cuts it at `-offset`, bug 8, and then reports valid images as broken);
//! `parse` keeps every certificate and RKHT entry of a v1 block (bug 13), so `export` of the
//! parsed config rebuilds the same image.

use crate::certblock;
use crate::config::Config;
use crate::error::{Failure, Result, failed, usage};
use crate::family::mbi_family;
use crate::output;
use provkit::codec::to_hex;
use provkit::crypto::signer_from_spec;
use provkit::family::{ImageFamily, MbiInfo, SecureBoot, TrustZoneMode};
use provkit::mbi::{
    Auth, CertBlock, IVT_CRC_OR_CERT, IVT_FLAGS, IVT_LENGTH, IVT_LOAD_ADDRESS, Mbi, MbiSpec,
    RelocEntry, Target, tz, tz_type,
};
use serde_yaml::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

const KEYS: &[&str] = &[
    "family",
    "revision",
    "outputImageExecutionTarget",
    "outputImageAuthenticationType",
    "masterBootOutputFile",
    "output_format",
    "inputImageFile",
    "outputImageExecutionAddress",
    "firmwareVersion",
    "imageVersion",
    "outputImageSubtype",
    "certBlock",
    "signer",
    "trustZonePresetFile",
    "enableTrustZone",
    "enableHwUserModeKeys",
    "applicationTable",
    "outputImageEncryptionKeyFile",
    "keyStoreFile",
    "CtrInitVector",
];

fn target(s: &str) -> Option<Target> {
    let t = s.trim().to_ascii_lowercase().replace(['_', ' ', '-'], "");
    Some(match t.as_str() {
        "xip" | "internalflash(xip)" | "externalflash(xip)" | "internalflashxip" => Target::Xip,
        "loadtoram" | "ram" => Target::LoadToRam,
        _ => return None,
    })
}

fn auth(s: &str) -> Option<Auth> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "plain" => Auth::Plain,
        "crc" => Auth::Crc,
        "signed" => Auth::Signed,
        "signed-encrypted" | "encrypted + signed" | "encrypted" => Auth::Encrypted,
        _ => return None,
    })
}

fn secure_boot(f: &ImageFamily) -> Result<&SecureBoot> {
    f.secure_boot
        .as_ref()
        .ok_or_else(|| usage(format!("{}: no master boot image data", f.name)))
}

fn is_v1(f: &ImageFamily) -> bool {
    f.secure_boot.as_ref().is_some_and(|s| s.cert_block == "1")
}

/// A register value of a YAML TrustZone preset: a number, a number as text, or
/// `{value: ...}`.
fn preset_value(cfg: &Config, key: &str, v: &Value) -> Result<u32> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Mapping(m) => match m.get("value") {
            Some(inner) => return preset_value(cfg, key, inner),
            None => {
                return Err(usage(format!(
                    "{}: trustZonePreset: {key}: expected a value or {{value: ...}}",
                    cfg.ctx
                )));
            }
        },
        _ => {
            return Err(usage(format!(
                "{}: trustZonePreset: {key}: not a number",
                cfg.ctx
            )));
        }
    };
    crate::config::parse_number(&text)
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            usage(format!(
                "{}: trustZonePreset: {key}: '{text}' is not a 32-bit number",
                cfg.ctx
            ))
        })
}

/// The TrustZone preset of `trustZonePresetFile`: a binary of the family's preset size (from
/// `nxpimage tz export`), or an `nxpimage tz` YAML (`trustZonePreset: {register: value}`), for
/// both certificate block versions (the v2.1 families' presets start with the `TZ-M` magic).
/// `None` when every register holds its reset value: as SPSDK, the image then uses the ROM's
/// default preset and does not embed it.
fn load_preset(cfg: &Config, f: &ImageFamily, mbi: &MbiInfo, p: &Path) -> Result<Option<Vec<u8>>> {
    let data = std::fs::read(p).map_err(|e| Failure::io(p, &e))?;
    let set = mbi
        .tz_registers
        .as_deref()
        .ok_or_else(|| usage(format!("{}: {} has no TrustZone preset", cfg.ctx, f.name)))?;
    let ctx = format!("{}: trustZonePresetFile {}", cfg.ctx, p.display());
    let preset = if data.len() == mbi.tz_preset_size as usize && !tz::looks_like_text(&data) {
        tz::check(set, &data).map_err(|e| usage(format!("{ctx}: {e}")))?;
        data
    } else {
        yaml_preset(f, mbi, set, p, &ctx)?
    };
    if tz::is_reset(set, &preset).map_err(|e| usage(format!("{ctx}: {e}")))? {
        tracing::warn!(
            "{ctx}: the TrustZone preset holds the reset values: the image uses the ROM's \
             default preset (not embedded)"
        );
        return Ok(None);
    }
    Ok(Some(preset))
}

/// A preset of register set `set` from an `nxpimage tz` YAML config.
fn yaml_preset(f: &ImageFamily, mbi: &MbiInfo, set: &str, p: &Path, ctx: &str) -> Result<Vec<u8>> {
    let sub = Config::load(p).map_err(|_| {
        usage(format!(
            "{ctx}: neither a {}-byte binary preset nor an `nxpimage tz` YAML",
            mbi.tz_preset_size
        ))
    })?;
    sub.warn_unknown(&["family", "revision", "tzpOutputFile", "trustZonePreset"]);
    if let Some(fam) = sub.str("family") {
        if !f.matches(&fam) {
            return Err(usage(format!(
                "{ctx}: the preset is for '{fam}', the image for {}",
                f.name
            )));
        }
    }
    if let Some(rev) = sub.str("revision") {
        tz::check_revision(set, &rev).map_err(|e| usage(format!("{ctx}: {e}")))?;
    }
    let regs = match sub.get("trustZonePreset") {
        Some(Value::Mapping(m)) => m,
        _ => {
            return Err(usage(format!(
                "{ctx}: trustZonePreset (a mapping of register to value) is missing"
            )));
        }
    };
    let mut values = Vec::with_capacity(regs.len());
    for (k, v) in regs {
        let name = k
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{k:?}"));
        let val = preset_value(&sub, &name, v)?;
        values.push((name, val));
    }
    tz::preset_from_values(set, &values).map_err(|e| usage(format!("{ctx}: {e}")))
}

/// The relocation table entries of `applicationTable`.
fn app_table(cfg: &Config) -> Result<Vec<RelocEntry>> {
    let items = match cfg.get("applicationTable") {
        None => return Ok(Vec::new()),
        Some(Value::Sequence(s)) => s,
        Some(_) => {
            return Err(usage(format!(
                "{}: applicationTable: expected a list",
                cfg.ctx
            )));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let c = cfg.child(item, format!("{}: applicationTable[{i}]", cfg.ctx))?;
        c.warn_unknown(&["binary", "destAddress", "load"]);
        if !c.bool_or("load", true)? {
            return Err(usage(format!(
                "{}: load: false entries are not supported (SPSDK supports LOAD entries only)",
                c.ctx
            )));
        }
        let (_, data) = c
            .read_file("binary")?
            .ok_or_else(|| usage(format!("{}: binary is required", c.ctx)))?;
        out.push(RelocEntry {
            dst: c.u32_req("destAddress")?,
            data,
        });
    }
    Ok(out)
}

/// `sbgen mbi export -c CONFIG [-o OUT]`.
pub fn export(config: &Path, out_path: Option<&Path>, out: &mut dyn std::io::Write) -> Result<()> {
    let cfg = Config::load(config)?;
    cfg.warn_unknown(KEYS);
    let family = mbi_family(&cfg.str_req("family")?)?;
    let sb = secure_boot(family)?;
    let mbi = &sb.mbi;
    let v1 = is_v1(family);
    if let Some(r) = cfg.str("revision") {
        if !r.eq_ignore_ascii_case("latest") {
            tracing::warn!(
                "{}: revision '{r}': sbgen uses the latest revision's data",
                cfg.ctx
            );
        }
    }
    let t_name = cfg.str_req("outputImageExecutionTarget")?;
    let tgt = target(&t_name).ok_or_else(|| {
        usage(format!(
            "{}: outputImageExecutionTarget: '{t_name}' (xip or load-to-ram)",
            cfg.ctx
        ))
    })?;
    let a_name = cfg.str_req("outputImageAuthenticationType")?;
    let au = auth(&a_name).ok_or_else(|| {
        usage(format!(
            "{}: outputImageAuthenticationType: '{a_name}' (plain, crc, signed or \
             signed-encrypted)",
            cfg.ctx
        ))
    })?;
    if !provkit::mbi::family_supports(mbi, tgt, au) {
        return Err(usage(format!(
            "{}: {} has no {} {} image",
            cfg.ctx,
            family.name,
            tgt.name(),
            au.name()
        )));
    }
    if let Some(fmt) = cfg.str("output_format") {
        if !fmt.eq_ignore_ascii_case("bin") {
            return Err(usage(format!(
                "{}: output_format: '{fmt}' is not supported yet (bin only)",
                cfg.ctx
            )));
        }
    }
    let applies = |list: &[String]| provkit::mbi::list_applies(list, tgt, au);
    let trust_zone = match mbi.trust_zone {
        TrustZoneMode::Mandatory => {
            if cfg.has("enableTrustZone") {
                tracing::warn!(
                    "{}: enableTrustZone is ignored: TrustZone is mandatory on {}",
                    cfg.ctx,
                    family.name
                );
            }
            true
        }
        TrustZoneMode::Optional | TrustZoneMode::None => cfg.bool_or("enableTrustZone", false)?,
    };
    let (in_path, in_bytes) = cfg
        .read_file("inputImageFile")?
        .ok_or_else(|| usage(format!("{}: inputImageFile is required", cfg.ctx)))?;
    let name = in_path.display().to_string();
    let img = provkit::image::load(&name, &in_bytes, Some(0))
        .map_err(|e| usage(format!("{}: inputImageFile: {e}", cfg.ctx)))?;
    let (base, app) = img
        .to_bin(0)
        .map_err(|e| usage(format!("{}: inputImageFile: {e}", cfg.ctx)))?;
    if mbi.app_align != 0 && base % u64::from(mbi.app_align) != 0 {
        return Err(usage(format!(
            "{}: inputImageFile starts at 0x{base:X}; it must be aligned to 0x{:X}",
            cfg.ctx, mbi.app_align
        )));
    }
    let tz_preset = match cfg.path("trustZonePresetFile") {
        None => None,
        Some(_) if v1 && !trust_zone => {
            tracing::warn!(
                "{}: trustZonePresetFile is ignored: enableTrustZone is false (TrustZone disabled)",
                cfg.ctx
            );
            None
        }
        Some(p) => load_preset(&cfg, family, mbi, &p)?,
    };
    let (image_version, firmware_version, subtype) = if v1 {
        for k in ["imageVersion", "firmwareVersion", "outputImageSubtype"] {
            if cfg.has(k) {
                tracing::warn!(
                    "{}: {k} is ignored: {} images have no manifest or image version",
                    cfg.ctx,
                    family.name
                );
            }
        }
        (0, 0, 0)
    } else {
        v21_versions(&cfg, mbi, au)?
    };
    let hw_user_keys = cfg.bool_or("enableHwUserModeKeys", false)?;
    let hw_user_keys = if hw_user_keys && !applies(&mbi.hw_user_keys) {
        tracing::warn!(
            "{}: enableHwUserModeKeys is ignored: {} {} {} images have no such flag",
            cfg.ctx,
            family.name,
            tgt.name(),
            au.name()
        );
        false
    } else {
        hw_user_keys
    };
    let table = app_table(&cfg)?;
    if !table.is_empty() && !applies(&mbi.reloc_table) {
        return Err(usage(format!(
            "{}: applicationTable: {} {} {} images have no relocation table",
            cfg.ctx,
            family.name,
            tgt.name(),
            au.name()
        )));
    }
    let (hmac_key, key_store) = if applies(&mbi.hmac) {
        let spec = cfg.str("outputImageEncryptionKeyFile").ok_or_else(|| {
            usage(format!(
                "{}: outputImageEncryptionKeyFile (the OTP master key the image HMAC is \
                 derived from) is required for {} {} images",
                cfg.ctx,
                tgt.name(),
                au.name()
            ))
        })?;
        let k = crate::kek::load_bytes(&spec, &cfg.dir, &[32], "outputImageEncryptionKeyFile")?;
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&k);
        let ks = match cfg.read_file("keyStoreFile")? {
            None => None,
            Some((p, data)) => {
                if data.len() != provkit::mbi::KEY_STORE_LEN {
                    return Err(usage(format!(
                        "{}: keyStoreFile {}: {} bytes, a key store is {}",
                        cfg.ctx,
                        p.display(),
                        data.len(),
                        provkit::mbi::KEY_STORE_LEN
                    )));
                }
                Some(data)
            }
        };
        (Some(key), ks)
    } else {
        for k in ["outputImageEncryptionKeyFile", "keyStoreFile"] {
            if cfg.has(k) {
                tracing::warn!(
                    "{}: {k} is ignored: {} {} images carry no HMAC or key store",
                    cfg.ctx,
                    tgt.name(),
                    au.name()
                );
            }
        }
        (None, None)
    };
    let ctr_iv = ctr_iv(&cfg, au)?;
    let (cert_block, signer) = if matches!(au, Auth::Signed | Auth::Encrypted) {
        let spec = cfg.str_req("signer")?;
        let s = signer_from_spec(&spec, &cfg.dir)
            .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
        let cb: CertBlock = if v1 {
            let pk = s
                .public_key()
                .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
            certblock::load_v1(&cfg, Some(&pk))?.into()
        } else {
            certblock::from_container_config(&cfg)?.into()
        };
        (Some(cb), Some(s))
    } else {
        (None, None)
    };
    let spec = MbiSpec {
        target: tgt,
        auth: au,
        app,
        load_address: cfg.u32_or("outputImageExecutionAddress", 0)?,
        image_version,
        firmware_version,
        subtype,
        tz_preset,
        trust_zone,
        hw_user_keys,
        app_table: table,
        hmac_key,
        key_store,
        ctr_iv,
        cert_block,
        signer: signer.as_deref(),
    };
    let bytes = spec
        .build(family)
        .map_err(|e| usage(format!("{}: {e}", cfg.ctx)))?;
    let target_path: PathBuf = match out_path {
        Some(p) => p.to_path_buf(),
        None => cfg.path("masterBootOutputFile").ok_or_else(|| {
            usage(format!(
                "{}: masterBootOutputFile is missing (or give -o)",
                cfg.ctx
            ))
        })?,
    };
    output::write_file(&target_path, &bytes)?;
    let mut text = String::new();
    if let Some(cb) = &spec.cert_block {
        let _ = writeln!(text, "RKTH: {}", to_hex(&cb.rkth()));
    }
    if output::is_stdout(&target_path) {
        eprint!("{text}");
    } else {
        let _ = writeln!(
            text,
            "Success. (Master boot image: {} created, {} bytes.)",
            target_path.display(),
            bytes.len()
        );
        output::print(out, &text)?;
    }
    Ok(())
}

/// `CtrInitVector` (encrypted images): 16 bytes as hex text or a file, as SPSDK; absent:
/// random, as SPSDK.
fn ctr_iv(cfg: &Config, au: Auth) -> Result<Option<[u8; provkit::mbi::CTR_IV_LEN]>> {
    let Some(spec) = cfg.str("CtrInitVector") else {
        return Ok(None);
    };
    if au != Auth::Encrypted {
        tracing::warn!(
            "{}: CtrInitVector is ignored: only encrypted images use it",
            cfg.ctx
        );
        return Ok(None);
    }
    let b = crate::kek::load_bytes(
        &spec,
        &cfg.dir,
        &[provkit::mbi::CTR_IV_LEN],
        "CtrInitVector",
    )?;
    let mut iv = [0u8; provkit::mbi::CTR_IV_LEN];
    iv.copy_from_slice(&b);
    Ok(Some(iv))
}

/// `imageVersion`, `firmwareVersion` and `outputImageSubtype` of cert-block-v2.1 families.
fn v21_versions(cfg: &Config, mbi: &MbiInfo, au: Auth) -> Result<(u16, u32, u8)> {
    let image_version = cfg.u32_or("imageVersion", 0)?;
    let image_version = u16::try_from(image_version).map_err(|_| {
        usage(format!(
            "{}: imageVersion: {image_version} (0..65535)",
            cfg.ctx
        ))
    })?;
    let subtype = match cfg.str("outputImageSubtype") {
        None => 0,
        Some(s) => match s.trim().to_ascii_lowercase().as_str() {
            "main" => 0,
            "recovery" | "nbu" => 1,
            other => match crate::config::parse_number(other) {
                Ok(v) if v <= 3 => v as u8,
                _ => {
                    return Err(usage(format!(
                        "{}: outputImageSubtype: '{s}' (main or recovery)",
                        cfg.ctx
                    )));
                }
            },
        },
    };
    let subtype = if au == Auth::Signed && mbi.subtype {
        subtype
    } else {
        if subtype != 0 {
            tracing::warn!(
                "{}: outputImageSubtype is only used by signed MCX N images; ignored",
                cfg.ctx
            );
        }
        0
    };
    Ok((image_version, cfg.u32_or("firmwareVersion", 0)?, subtype))
}

/// What a device enforces (for `verify` and the simulator).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Expected RKTH.
    pub rkth: Option<Vec<u8>>,
    /// Device secure firmware counter.
    pub min_firmware_version: Option<u32>,
    /// Minimum authentication.
    pub require: Option<Auth>,
    /// The OTP master key (RT5xx/6xx images with an HMAC).
    pub otp_master_key: Option<Zeroizing<[u8; 32]>>,
}

/// `sbgen mbi verify -i IMAGE -f FAMILY [--rkth HEX]`: would the ROM boot this?
pub fn verify(
    input: &Path,
    family: &ImageFamily,
    policy: &Policy,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let data = output::read_input(input)?;
    let r = check(&data, family, policy);
    match &r {
        Ok((m, text)) => {
            if json {
                let mut v = describe(m);
                v["ok"] = true.into();
                output::print(
                    out,
                    &format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
                )?;
            } else {
                output::print(out, text)?;
                output::print(out, "OK: the ROM would boot this image\n")?;
            }
        }
        Err(e) => {
            if json {
                let v = serde_json::json!({"file": input.display().to_string(), "ok": false, "error": e.to_string()});
                output::print(
                    out,
                    &format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
                )?;
            }
        }
    }
    r.map(|_| ())
        .map_err(|e| failed(format!("{}: {e}", input.display())))
}

fn describe_cert_block(cb: &CertBlock) -> serde_json::Value {
    match cb {
        CertBlock::V1(c) => certblock::describe_v1(c),
        CertBlock::V21(c) => certblock::describe(c),
    }
}

fn describe(m: &Mbi<'_>) -> serde_json::Value {
    serde_json::json!({
        "target": m.target.name(),
        "authentication": m.auth.name(),
        "size": m.image.len(),
        "flags": format!("0x{:08X}", m.flags),
        "load_address": format!("0x{:08X}", m.load_address),
        "image_version": m.image_version,
        "trustzone": match m.tz_type {
            tz_type::CUSTOM => "custom",
            tz_type::DISABLED => "disabled",
            _ => "default",
        },
        "subtype": m.subtype,
        "hw_user_keys": m.hw_user_keys,
        "relocation_table": m.reloc.as_ref().map(|r| r.iter().map(|e| serde_json::json!({
            "source": e.src, "destination": format!("0x{:08X}", e.dst), "size": e.size,
        })).collect::<Vec<_>>()),
        "firmware_version": m.signed.as_ref().and_then(|s| s.firmware_version),
        "hmac": m.signed.as_ref().map(|s| s.hmac.is_some()),
        "key_store": m.signed.as_ref().map(|s| s.key_store.is_some()),
        "encrypted": m.auth == Auth::Encrypted,
        "certificate_block": m.signed.as_ref().map(|s| describe_cert_block(&s.cert_block)),
    })
}

/// The checks, in ROM order; returns the decoded image and a text report.
pub fn check<'a>(
    data: &'a [u8],
    family: &ImageFamily,
    policy: &Policy,
) -> std::result::Result<(Mbi<'a>, String), provkit::mbi::MbiError> {
    let m = Mbi::decode(data, family)?;
    let mut text = format!("{}: {m}\n", family.name);
    if let Some(req) = policy.require {
        if m.auth < req {
            return Err(provkit::mbi::MbiError::Policy {
                required: req.name(),
                found: m.auth.name(),
            });
        }
    }
    m.verify(policy.rkth.as_deref())?;
    match m.auth {
        Auth::Plain => text.push_str("plain image: nothing to check\n"),
        Auth::Crc => text.push_str("CRC: OK\n"),
        Auth::Signed | Auth::Encrypted => {
            if let Some(s) = &m.signed {
                let summary = match &s.cert_block {
                    CertBlock::V1(c) => certblock::summary_v1(c),
                    CertBlock::V21(c) => certblock::summary(c),
                };
                let _ = writeln!(text, "certificate block: {summary}");
                let _ = writeln!(
                    text,
                    "RKTH: {}{}",
                    to_hex(&s.cert_block.rkth()),
                    if policy.rkth.is_some() {
                        " (matches)"
                    } else {
                        " (not checked: no --rkth)"
                    }
                );
                if s.manifest_crc.is_some() {
                    text.push_str("manifest CRC: OK\n");
                }
                let _ = writeln!(text, "signature: OK ({})", s.cert_block.signer_role());
                if s.hmac.is_some() {
                    match &policy.otp_master_key {
                        Some(k) => {
                            m.verify_hmac(k)?;
                            text.push_str("HMAC: OK\n");
                        }
                        None => text.push_str("HMAC: not checked (no --otp-master-key)\n"),
                    }
                }
                if let Some(e) = &s.encrypted {
                    let _ = writeln!(text, "counter IV: {}", to_hex(e.iv));
                    match &policy.otp_master_key {
                        Some(k) => {
                            let d = m.decrypt(k)?;
                            let _ = writeln!(
                                text,
                                "decryption: OK ({} bytes of application{}{})",
                                d.reloc
                                    .as_ref()
                                    .and_then(|r| r.first())
                                    .map(|e| e.src as usize)
                                    .unwrap_or(d.app.len()),
                                if d.reloc.is_some() {
                                    ", relocation table"
                                } else {
                                    ""
                                },
                                if d.tz_preset.is_some() {
                                    ", custom TrustZone preset"
                                } else {
                                    ""
                                }
                            );
                        }
                        None => text.push_str(
                            "decryption: not checked (no --otp-master-key): the application, \
                             relocation table and TrustZone preset were not read\n",
                        ),
                    }
                }
                if let (Some(min), Some(v)) = (policy.min_firmware_version, s.firmware_version) {
                    if v < min {
                        return Err(provkit::mbi::MbiError::Rollback {
                            version: v,
                            counter: min,
                        });
                    }
                }
            }
        }
    }
    Ok((m, text))
}

/// Options of `sbgen mbi parse`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions<'a> {
    /// The signer to write into the config.
    pub signer: Option<&'a str>,
    /// The OTP master key (or key store user key) spec: decrypts encrypted images.
    pub otp_master_key: Option<&'a str>,
}

/// `sbgen mbi parse -i IMAGE -f FAMILY -o DIR [--signer SPEC] [--otp-master-key KEY]`: writes
/// `mbi_config.yaml`, `application.bin` and the parts (certificate block config and
/// certificates, TrustZone preset, relocation table binaries, key store) that `sbgen mbi
/// export` turns back into the same image. The image is decoded and checked first
/// (signature, CRC; encrypted images: HMAC and decryption with the key), as `verify` does.
pub fn parse(
    input: &Path,
    family: &ImageFamily,
    dir: &Path,
    opts: &ParseOptions<'_>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let signer = opts.signer;
    let data = output::read_input(input)?;
    let name = input.display().to_string();
    let m = Mbi::decode(&data, family).map_err(|e| failed(format!("{name}: {e}")))?;
    m.verify(None).map_err(|e| failed(format!("{name}: {e}")))?;
    let key = match opts.otp_master_key {
        None => None,
        Some(spec) => {
            let k = crate::kek::load_bytes(spec, Path::new("."), &[32], "--otp-master-key")?;
            let mut key = Zeroizing::new([0u8; 32]);
            key.copy_from_slice(&k);
            Some(key)
        }
    };
    if let Some(k) = &key {
        m.verify_hmac(k)
            .map_err(|e| failed(format!("{name}: {e}")))?;
    }
    let decrypted = if m.auth == Auth::Encrypted {
        let k = key.as_ref().ok_or_else(|| {
            usage(format!(
                "{name}: an encrypted image: give --otp-master-key (the key it was built with) \
                 to decrypt it"
            ))
        })?;
        Some(m.decrypt(k).map_err(|e| failed(format!("{name}: {e}")))?)
    } else {
        None
    };
    let (mut app, reloc, tz_preset) = match &decrypted {
        Some(d) => (d.app.to_vec(), d.reloc.clone(), d.tz_preset.clone()),
        None => (
            m.app().into_owned(),
            m.reloc.clone(),
            m.tz_preset.map(<[u8]>::to_vec),
        ),
    };
    let mbi = &secure_boot(family)?.mbi;
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    if let Some(r) = &reloc {
        // The table is rebuilt from the entries: the application ends where the first
        // entry's data starts.
        let start = r
            .first()
            .map(|e| e.src as usize)
            .unwrap_or(app.len().saturating_sub(16));
        for (i, e) in r.iter().enumerate() {
            let (s, n) = (e.src as usize, e.size as usize);
            let blob = app
                .get(s..s + n)
                .ok_or_else(|| failed(format!("{name}: relocation entry {i} out of range")))?;
            output::write_file(&dir.join(format!("mit_0x{:08x}.bin", e.dst)), blob)?;
        }
        app.truncate(start);
    }
    for w in [IVT_LENGTH, IVT_FLAGS, IVT_CRC_OR_CERT, IVT_LOAD_ADDRESS] {
        if let Some(d) = app.get_mut(w..w + 4) {
            d.fill(0);
        }
    }
    output::write_file(&dir.join("application.bin"), &app)?;
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Master boot image parsed by sbgen from {name}: `sbgen mbi export -c <this file>`\n\
         # rebuilds it (the vector table words 0x20/0x24/0x28/0x34 are written by export).\n\
         family: {}\nrevision: latest\noutputImageExecutionTarget: {}\n\
         outputImageAuthenticationType: {}\nmasterBootOutputFile: mbi.bin\n\
         inputImageFile: application.bin\noutputImageExecutionAddress: 0x{:X}",
        family.name,
        if m.target == Target::Xip {
            "xip"
        } else {
            "load-to-ram"
        },
        if m.auth == Auth::Encrypted {
            "signed-encrypted"
        } else {
            m.auth.name()
        },
        m.load_address
    );
    if let Some(v) = m.image_version {
        let _ = writeln!(y, "imageVersion: {v}");
    }
    if mbi.trust_zone != TrustZoneMode::Mandatory {
        let _ = writeln!(y, "enableTrustZone: {}", m.tz_type != tz_type::DISABLED);
    }
    if let Some(tzp) = &tz_preset {
        output::write_file(&dir.join("trust_zone.bin"), tzp)?;
        y.push_str("trustZonePresetFile: trust_zone.bin\n");
    }
    if provkit::mbi::list_applies(&mbi.hw_user_keys, m.target, m.auth) {
        let _ = writeln!(y, "enableHwUserModeKeys: {}", m.hw_user_keys);
    }
    if let Some(r) = &reloc {
        y.push_str("applicationTable:\n");
        for e in r {
            let _ = writeln!(
                y,
                "  - binary: mit_0x{:08x}.bin\n    destAddress: 0x{:08X}\n    load: true",
                e.dst, e.dst
            );
        }
    }
    if let Some(s) = &m.signed {
        if let Some(v) = s.firmware_version {
            let _ = writeln!(y, "firmwareVersion: {v}");
        }
        if m.subtype != 0 {
            let _ = writeln!(y, "outputImageSubtype: {}", m.subtype);
        }
        match &s.cert_block {
            CertBlock::V1(cb) => {
                certblock::write_config_v1(cb, dir, "cert_block_v1.yaml")?;
                y.push_str("certBlock: cert_block_v1.yaml\n");
            }
            CertBlock::V21(cb) => {
                certblock::write_config(cb, dir, "cert_block_v21.yaml")?;
                y.push_str("certBlock: cert_block.bin\n");
            }
        }
        match signer {
            Some(sp) => {
                let _ = writeln!(y, "signer: {sp}");
            }
            None => {
                let _ = writeln!(
                    y,
                    "# The private key is not in the image: give the {} private key.\n\
                     signer: type=file;file_path=signing_key.pem",
                    s.cert_block.signer_role()
                );
            }
        }
        if s.hmac.is_some() {
            y.push_str(
                "# The HMAC key is not in the image: give the device's OTP master key (32 bytes).\n\
                 outputImageEncryptionKeyFile: otp_master_key.bin\n",
            );
        }
        if let Some(ks) = s.key_store {
            output::write_file(&dir.join("key_store.bin"), ks)?;
            y.push_str("keyStoreFile: key_store.bin\n");
        }
        if let Some(e) = &s.encrypted {
            let _ = writeln!(y, "CtrInitVector: '0x{}'", to_hex(e.iv));
        }
    }
    let cfg_path = dir.join("mbi_config.yaml");
    output::write_file(&cfg_path, y.as_bytes())?;
    output::print(
        out,
        &format!(
            "{}: {m}\nConfiguration: {}\n",
            family.name,
            cfg_path.display()
        ),
    )
}

/// `sbgen mbi get-template -f FAMILY`.
pub fn template(family: &ImageFamily) -> String {
    let Some(sb) = family.secure_boot.as_ref() else {
        return String::new();
    };
    let mbi = &sb.mbi;
    let v1 = sb.cert_block == "1";
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Master boot image for {} (SPSDK `nxpimage mbi` keys; paths relative to this file).",
        family.name
    );
    let _ = writeln!(y, "family: {}", family.name);
    let _ = writeln!(y, "revision: latest");
    let encrypted = provkit::mbi::family_supports(mbi, Target::LoadToRam, Auth::Encrypted);
    let images: Vec<String> = mbi
        .targets
        .iter()
        .map(|(t, a)| {
            let enc = if encrypted && t == Target::LoadToRam.name() {
                "/signed-encrypted"
            } else {
                ""
            };
            format!("{t}: {}{enc}", a.join("/"))
        })
        .collect();
    let _ = writeln!(y, "# xip or load-to-ram ({}).", images.join("; "));
    let _ = writeln!(y, "outputImageExecutionTarget: xip");
    if encrypted {
        let _ = writeln!(y, "# plain, crc, signed or signed-encrypted (load-to-ram)");
    } else {
        let _ = writeln!(y, "# plain, crc or signed");
    }
    let _ = writeln!(y, "outputImageAuthenticationType: signed");
    let _ = writeln!(y, "masterBootOutputFile: my_mbi.bin");
    let _ = writeln!(y, "output_format: bin");
    let _ = writeln!(
        y,
        "# bin, hex, srec or elf; a base address must be aligned to 0x{:X}",
        mbi.app_align
    );
    let _ = writeln!(y, "inputImageFile: my_application.bin");
    let _ = writeln!(
        y,
        "# Load address (load-to-RAM), or the XIP address; written to the vector table at 0x34."
    );
    let _ = writeln!(y, "outputImageExecutionAddress: 0x{:X}", sb.boot_address);
    if v1 {
        match mbi.trust_zone {
            TrustZoneMode::None => {
                let _ = writeln!(
                    y,
                    "# {} has no TrustZone-M preset: keep it false.",
                    family.name
                );
                let _ = writeln!(y, "enableTrustZone: false");
            }
            _ => {
                let _ = writeln!(
                    y,
                    "# TrustZone-M: false = disabled; true = the ROM's default preset, or a custom\n\
                     # preset from trustZonePresetFile: a {}-byte binary, or an `nxpimage tz` YAML\n\
                     # (trustZonePreset: {{<register name or fieldXXX>: <value>}}). A preset equal\n\
                     # to the reset values is not embedded.",
                    mbi.tz_preset_size
                );
                let _ = writeln!(y, "enableTrustZone: false");
                let _ = writeln!(y, "# trustZonePresetFile: my_tz_custom.yaml");
            }
        }
        if !mbi.hw_user_keys.is_empty() {
            let _ = writeln!(
                y,
                "# Non-secure code may read the hardware key bus ({} images).",
                mbi.hw_user_keys.join(", ")
            );
            let _ = writeln!(y, "enableHwUserModeKeys: false");
        }
        if !mbi.reloc_table.is_empty() {
            let _ = writeln!(
                y,
                "# Images the startup code copies after boot ({} images).",
                mbi.reloc_table.join(", ")
            );
            let _ = writeln!(y, "# applicationTable:");
            let _ = writeln!(y, "#   - binary: my_additional_binary.bin");
            let _ = writeln!(y, "#     destAddress: 0x20000000");
            let _ = writeln!(y, "#     load: true");
        }
        if !mbi.hmac.is_empty() {
            let _ = writeln!(
                y,
                "# {} images: the OTP master key (32 bytes: hex text or a file) the header HMAC\n\
                 # key is derived from, and an optional 1424-byte key store.",
                mbi.hmac.join(", ")
            );
            let _ = writeln!(y, "# outputImageEncryptionKeyFile: otp_master_key.bin");
            let _ = writeln!(y, "# keyStoreFile: my_key_store_data.bin");
        }
        if encrypted {
            let _ = writeln!(
                y,
                "# signed-encrypted: the application is AES-256-CTR encrypted with a key derived\n\
                 # from outputImageEncryptionKeyFile (with a key store: that key itself, the\n\
                 # user key); the 16-byte initial counter (hex or a file; default: random)."
            );
            let _ = writeln!(y, "# CtrInitVector: '0xc3df2316fd40b15586cb5ae49483aee2'");
        }
        let _ = writeln!(
            y,
            "# Certificate block v1 (signed images): cert-block YAML or binary."
        );
        let _ = writeln!(y, "certBlock: cert_block.yaml");
        let _ = writeln!(
            y,
            "# Private key of the last certificate of the block (RSA, PKCS#1 v1.5 SHA-256)."
        );
        let _ = writeln!(y, "signer: type=file;file_path=leaf_prv_key.pem");
        return y;
    }
    let _ = writeln!(
        y,
        "# Manifest firmware version (signed images), compared with the secure counter."
    );
    let _ = writeln!(y, "firmwareVersion: 0");
    if mbi.subtype {
        let _ = writeln!(y, "# main or recovery (signed images)");
        let _ = writeln!(y, "outputImageSubtype: main");
    }
    let _ = writeln!(y, "# Image version for dual-image selection (0: none).");
    let _ = writeln!(y, "imageVersion: 0");
    let _ = writeln!(
        y,
        "# Certificate block (signed images): cert-block YAML or binary."
    );
    let _ = writeln!(y, "certBlock: cert_block.yaml");
    let _ = writeln!(
        y,
        "# ISK private key if the certificate block has an ISK, else the root private key."
    );
    let _ = writeln!(y, "signer: type=file;file_path=root_prv_key.pem");
    let _ = writeln!(
        y,
        "# TrustZone-M is always on: the ROM's default preset, or a custom preset from\n\
         # trustZonePresetFile: a {}-byte binary from `nxpimage tz export` (starting with\n\
         # 'TZ-M'), or an `nxpimage tz` YAML (trustZonePreset: {{<register name or fieldXXX>:\n\
         # <value>}}). A preset equal to the reset values is not embedded.",
        mbi.tz_preset_size
    );
    let _ = writeln!(y, "# trustZonePresetFile: my_tz_custom.yaml");
    y
}
