//! `sbgen mbi export|verify|get-template`: SPSDK `nxpimage mbi` configs for the
//! certificate-block-v2.1 families (lpc55s36, mcxn947, rw612).

use crate::certblock;
use crate::config::Config;
use crate::error::{Failure, Result, failed, usage};
use crate::output;
use provkit::codec::to_hex;
use provkit::crypto::signer_from_spec;
use provkit::family::Family;
use provkit::mbi::{Auth, Mbi, MbiSpec, Target};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
        _ => return None,
    })
}

/// `sbgen mbi export -c CONFIG [-o OUT]`.
pub fn export(config: &Path, out_path: Option<&Path>, out: &mut dyn std::io::Write) -> Result<()> {
    let cfg = Config::load(config)?;
    cfg.warn_unknown(KEYS);
    let family = crate::sb31::sb31_family(&cfg.str_req("family")?)?;
    let mbi = &family
        .secure_boot
        .as_ref()
        .ok_or_else(|| usage("no MBI data"))?
        .mbi;
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
            "{}: outputImageAuthenticationType: '{a_name}' (plain, crc or signed)",
            cfg.ctx
        ))
    })?;
    if let Some(fmt) = cfg.str("output_format") {
        if !fmt.eq_ignore_ascii_case("bin") {
            return Err(usage(format!(
                "{}: output_format: '{fmt}' is not supported yet (bin only)",
                cfg.ctx
            )));
        }
    }
    if cfg.has("enableTrustZone") {
        tracing::warn!(
            "{}: enableTrustZone is ignored: TrustZone is mandatory on {}",
            cfg.ctx,
            family.name
        );
    }
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
        Some(p) => {
            let data = std::fs::read(&p).map_err(|e| Failure::io(&p, &e))?;
            // SPSDK embeds the text of a YAML preset it fails to validate as if it were a
            // binary preset (reference sb2_mbi.md 9.9); we only take binary presets.
            if !data.starts_with(b"TZ-M") {
                return Err(usage(format!(
                    "{}: trustZonePresetFile {}: not a binary TrustZone preset (a YAML preset \
                     must be turned into a binary with `nxpimage tz export` first)",
                    cfg.ctx,
                    p.display()
                )));
            }
            Some(data)
        }
    };
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
    let (cert_block, signer) = if au == Auth::Signed {
        let cb = certblock::from_container_config(&cfg)?;
        let spec = cfg.str_req("signer")?;
        let s = signer_from_spec(&spec, &cfg.dir)
            .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
        (Some(cb), Some(s))
    } else {
        (None, None)
    };
    let firmware_version = cfg.u32_or("firmwareVersion", 0)?;
    let spec = MbiSpec {
        target: tgt,
        auth: au,
        app,
        load_address: cfg.u32_or("outputImageExecutionAddress", 0)?,
        image_version,
        firmware_version,
        subtype,
        tz_preset,
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

/// What a device enforces (for `verify` and the simulator).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Expected RKTH.
    pub rkth: Option<Vec<u8>>,
    /// Device secure firmware counter.
    pub min_firmware_version: Option<u32>,
    /// Minimum authentication.
    pub require: Option<Auth>,
}

/// `sbgen mbi verify -i IMAGE -f FAMILY [--rkth HEX]`: would the ROM boot this?
pub fn verify(
    input: &Path,
    family: &Family,
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

fn describe(m: &Mbi<'_>) -> serde_json::Value {
    serde_json::json!({
        "target": m.target.name(),
        "authentication": m.auth.name(),
        "size": m.image.len(),
        "flags": format!("0x{:08X}", m.flags),
        "load_address": format!("0x{:08X}", m.load_address),
        "image_version": m.image_version,
        "trustzone": if m.tz_type == 1 { "custom" } else { "default" },
        "subtype": m.subtype,
        "firmware_version": m.signed.as_ref().map(|s| s.firmware_version),
        "certificate_block": m.signed.as_ref().map(|s| certblock::describe(&s.cert_block)),
    })
}

/// The checks, in ROM order; returns the decoded image and a text report.
pub fn check<'a>(
    data: &'a [u8],
    family: &Family,
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
        Auth::Signed => {
            if let Some(s) = &m.signed {
                let _ = writeln!(
                    text,
                    "certificate block: {}",
                    certblock::summary(&s.cert_block)
                );
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
                let _ = writeln!(
                    text,
                    "signature: OK ({})",
                    if s.cert_block.isk.is_some() {
                        "ISK"
                    } else {
                        "root key"
                    }
                );
                if let Some(min) = policy.min_firmware_version {
                    if s.firmware_version < min {
                        return Err(provkit::mbi::MbiError::Rollback {
                            version: s.firmware_version,
                            counter: min,
                        });
                    }
                }
            }
        }
    }
    Ok((m, text))
}

/// `sbgen mbi get-template -f FAMILY`.
pub fn template(family: &Family) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Master boot image for {} (SPSDK `nxpimage mbi` keys; paths relative to this file).",
        family.name
    );
    let _ = writeln!(y, "family: {}", family.name);
    let _ = writeln!(y, "revision: latest");
    let _ = writeln!(y, "# xip or load-to-ram");
    let _ = writeln!(y, "outputImageExecutionTarget: xip");
    let _ = writeln!(y, "# plain, crc or signed");
    let _ = writeln!(y, "outputImageAuthenticationType: signed");
    let _ = writeln!(y, "masterBootOutputFile: my_mbi.bin");
    let _ = writeln!(y, "output_format: bin");
    let _ = writeln!(
        y,
        "# bin, hex, srec or elf; a base address must be aligned to 0x1000"
    );
    let _ = writeln!(y, "inputImageFile: my_application.bin");
    let _ = writeln!(y, "outputImageExecutionAddress: 0");
    let _ = writeln!(
        y,
        "# Manifest firmware version (signed images), compared with the secure counter."
    );
    let _ = writeln!(y, "firmwareVersion: 0");
    if family.secure_boot.as_ref().is_some_and(|s| s.mbi.subtype) {
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
        "# Optional custom TrustZone-M preset: a binary from `nxpimage tz export`."
    );
    let _ = writeln!(y, "# trustZonePresetFile: my_tz_custom.bin");
    y
}
