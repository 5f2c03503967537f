//! `sbgen sb31 export|parse|verify|get-template`: SPSDK `nxpimage sb31` configs, verbatim.

use crate::certblock;
use crate::config::{Config, parse_number};
use crate::error::{Failure, Result, failed, usage};
use crate::kek;
use crate::output;
use provkit::codec::to_hex;
use provkit::crypto::signer_from_spec;
use provkit::family::Family;
use provkit::sb31::{Command, Container, CounterId, Sb31Builder, Sb31Error};
use serde_yaml::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Top-level keys of an SB3.1 config.
const KEYS: &[&str] = &[
    "family",
    "revision",
    "containerOutputFile",
    "signer",
    "certBlock",
    "containerKeyBlobEncryptionKey",
    "firmwareVersion",
    "description",
    "isNxpContainer",
    "kdkAccessRights",
    "containerConfigurationWord",
    "commands",
    "timestamp",
    "isEncrypted",
];

/// Looks up an SB3.1 family.
pub fn sb31_family(name: &str) -> Result<&'static Family> {
    let f = provkit::family::family(name).ok_or_else(|| {
        usage(format!(
            "unknown family '{name}' (SB3.1 families: {})",
            sb31_families().join(", ")
        ))
    })?;
    if f.secure_boot.as_ref().is_none_or(|s| s.sb31.is_none()) {
        return Err(usage(format!(
            "family '{}' does not take SB3.1 files (SB3.1 families: {})",
            f.name,
            sb31_families().join(", ")
        )));
    }
    Ok(f)
}

/// Names of the SB3.1 families.
pub fn sb31_families() -> Vec<&'static str> {
    provkit::family::all()
        .iter()
        .filter(|f| f.secure_boot.as_ref().is_some_and(|s| s.sb31.is_some()))
        .map(|f| f.name.as_str())
        .collect()
}

/// Data of a load-like command: `data` (or `value`/`values`/`file`): a 32-bit number, a list
/// or comma-separated list of 32-bit numbers, or a file (bin, hex, srec, elf).
fn load_data(c: &Config) -> Result<Vec<u8>> {
    let key = ["data", "value", "values", "file"]
        .into_iter()
        .find(|k| c.has(k))
        .ok_or_else(|| {
            usage(format!(
                "{}: one of data/value/values/file is required",
                c.ctx
            ))
        })?;
    let v = c.get(key).cloned().unwrap_or(Value::Null);
    let word = |s: &str| -> Result<u32> {
        let n = parse_number(s).map_err(|e| usage(format!("{}: {key}: {e}", c.ctx)))?;
        u32::try_from(n)
            .map_err(|_| usage(format!("{}: {key}: 0x{n:X} does not fit 32 bits", c.ctx)))
    };
    match &v {
        Value::Number(_) => {
            let n = c.u32(key)?.unwrap_or(0);
            return Ok(n.to_le_bytes().to_vec());
        }
        Value::Sequence(items) => {
            let mut out = Vec::new();
            for it in items {
                let t = match it {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => {
                        return Err(usage(format!(
                            "{}: {key}: list items must be numbers",
                            c.ctx
                        )));
                    }
                };
                out.extend_from_slice(&word(&t)?.to_le_bytes());
            }
            return Ok(out);
        }
        Value::String(s) => {
            if parse_number(s).is_ok() {
                return Ok(word(s)?.to_le_bytes().to_vec());
            }
            if s.contains(',') {
                let mut out = Vec::new();
                let mut bad = None;
                for part in s.split(',') {
                    match word(part) {
                        Ok(w) => out.extend_from_slice(&w.to_le_bytes()),
                        Err(e) => {
                            bad = Some(e);
                            break;
                        }
                    }
                }
                match bad {
                    None => return Ok(out),
                    // A file name with a comma in it; otherwise a bad number (SPSDK turns
                    // bad numbers into 0 silently).
                    Some(e) if !c.resolve(s).is_file() => return Err(e),
                    Some(_) => {}
                }
            }
        }
        _ => {}
    }
    let (path, bytes) = c
        .read_file(key)?
        .ok_or_else(|| usage(format!("{}: {key}: expected data", c.ctx)))?;
    load_image_bytes(&path, bytes).map_err(|e| usage(format!("{}: {key}: {e}", c.ctx)))
}

/// A data file as SPSDK's `BinaryImage.load_binary_image(...).export()` sees it: bin as is,
/// HEX/S-record/ELF flattened from their lowest address with zero-filled gaps.
pub fn load_image_bytes(path: &Path, bytes: Vec<u8>) -> std::result::Result<Vec<u8>, String> {
    use provkit::image::Format;
    let name = path.display().to_string();
    let format = Format::detect(&bytes).or_else(|| Format::from_extension(&name));
    if matches!(format, None | Some(Format::Bin)) {
        if bytes.is_empty() {
            return Err(format!("{name}: empty file"));
        }
        // A raw binary is taken as it is (no copy).
        return Ok(bytes);
    }
    let img = provkit::image::load(&name, &bytes, Some(0)).map_err(|e| e.to_string())?;
    let (_, data) = img.to_bin(0).map_err(|e| e.to_string())?;
    Ok(data)
}

fn raw_file(c: &Config, key: &str) -> Result<Vec<u8>> {
    c.read_file(key)?
        .map(|(_, d)| d)
        .ok_or_else(|| usage(format!("{}: {key}: required key is missing", c.ctx)))
}

/// One command from its config mapping.
pub fn command_from_config(family: &Family, name: &str, c: &Config) -> Result<Command> {
    let sb = family.secure_boot.as_ref().and_then(|s| s.sb31.as_ref());
    if let Some(sb) = sb {
        if !sb.commands.iter().any(|n| n == name) {
            return Err(usage(format!(
                "{}: command '{name}' is not supported by the {} SB3.1 loader (supported: {})",
                c.ctx,
                family.name,
                sb.commands.join(", ")
            )));
        }
    }
    let known: &[&str] = match name {
        "erase" => &["address", "size", "memoryId"],
        "load" | "programIFR" => &[
            "address",
            "memoryId",
            "data",
            "value",
            "values",
            "file",
            "compress",
            "sectorSize",
        ],
        "execute" | "call" => &["address"],
        "programFuses" => &["address", "values"],
        "loadCMAC" | "loadHashLocking" => &["address", "memoryId", "file"],
        "copy" => &[
            "addressFrom",
            "memoryIdFrom",
            "size",
            "addressTo",
            "memoryIdTo",
        ],
        "loadKeyBlob" => &["offset", "wrappingKeyId", "file", "plainInput"],
        "configureMemory" => &["configAddress", "memoryId"],
        "fillMemory" => &["address", "size", "pattern"],
        "checkFwVersion" => &["value", "counterId"],
        "reset" => &["params", "param"],
        _ => &[],
    };
    c.warn_unknown(known);
    Ok(match name {
        "erase" => Command::Erase {
            address: c.u32_req("address")?,
            length: c.u32_req("size")?,
            memory_id: c.u32_or("memoryId", 0)?,
        },
        "load" => {
            if c.bool_or("compress", false)? {
                return Err(usage(format!(
                    "{}: compress: LZMA-compressed loads are an SB4.0 feature; no SB3.1 family \
                     supports them (SPSDK's database: supports_compression false), the ROM \
                     would not take the file",
                    c.ctx
                )));
            }
            Command::Load {
                address: c.u32_req("address")?,
                memory_id: c.u32_or("memoryId", 0)?,
                data: load_data(c)?,
            }
        }
        "programIFR" => Command::ProgramIfr {
            address: c.u32_req("address")?,
            data: load_data(c)?,
        },
        "execute" => Command::Execute {
            address: c.u32_req("address")?,
        },
        "call" => Command::Call {
            address: c.u32_req("address")?,
        },
        "programFuses" => {
            let mut values = Vec::new();
            match c.get("values") {
                Some(Value::Number(_)) => values.push(c.u32_req("values")?),
                Some(Value::Sequence(items)) => {
                    for it in items {
                        let t = match it {
                            Value::Number(n) => n.to_string(),
                            Value::String(s) => s.clone(),
                            _ => String::new(),
                        };
                        values.push(fuse_word(c, &t)?);
                    }
                }
                Some(_) => {
                    for part in c.str_req("values")?.split(',') {
                        values.push(fuse_word(c, part)?);
                    }
                }
                None => return Err(usage(format!("{}: values: required key is missing", c.ctx))),
            }
            Command::ProgramFuses {
                address: c.u32_req("address")?,
                values,
            }
        }
        "loadCMAC" => Command::LoadCmac {
            address: c.u32_req("address")?,
            memory_id: c.u32_or("memoryId", 0)?,
            data: raw_file(c, "file")?,
        },
        "loadHashLocking" => Command::LoadHashLocking {
            address: c.u32_req("address")?,
            memory_id: c.u32_or("memoryId", 0)?,
            data: raw_file(c, "file")?,
        },
        "copy" => Command::Copy {
            address_from: c.u32_req("addressFrom")?,
            length: c.u32_req("size")?,
            address_to: c.u32_req("addressTo")?,
            memory_id_from: c.u32_or("memoryIdFrom", 0)?,
            memory_id_to: c.u32_or("memoryIdTo", 0)?,
        },
        "loadKeyBlob" => {
            let offset = c.u32_req("offset")?;
            let offset = u16::try_from(offset).map_err(|_| {
                usage(format!(
                    "{}: offset: 0x{offset:X} does not fit 16 bits",
                    c.ctx
                ))
            })?;
            let wrap = c.str_req("wrappingKeyId")?;
            let ids = family
                .secure_boot
                .as_ref()
                .and_then(|s| s.sb31.as_ref())
                .map(|s| s.key_wrap_ids)
                .unwrap_or((16, 17));
            let key_wrap_id = match wrap.trim() {
                "NXP_CUST_KEK_INT_SK" => ids.0,
                "NXP_CUST_KEK_EXT_SK" => ids.1,
                other => {
                    return Err(usage(format!(
                        "{}: wrappingKeyId: '{other}' (NXP_CUST_KEK_INT_SK or NXP_CUST_KEK_EXT_SK)",
                        c.ctx
                    )));
                }
            };
            // plainInput: YAML turns `no`/`yes` into booleans (SPSDK 3.5 release note).
            let plain = match c.get("plainInput") {
                None => "bin".to_string(),
                Some(Value::Bool(false)) => "no".to_string(),
                Some(Value::Bool(true)) => "bin".to_string(),
                Some(_) => c.str("plainInput").unwrap_or_default(),
            };
            let data = match plain.as_str() {
                "no" | "bin" => raw_file(c, "file")?,
                "hex" => {
                    let raw = raw_file(c, "file")?;
                    let t = String::from_utf8(raw)
                        .map_err(|_| usage(format!("{}: file: not hex text", c.ctx)))?;
                    provkit::codec::from_hex(&t)
                        .map_err(|e| usage(format!("{}: file: {e}", c.ctx)))?
                }
                other => {
                    return Err(usage(format!(
                        "{}: plainInput: '{other}' (no, bin or hex)",
                        c.ctx
                    )));
                }
            };
            Command::LoadKeyBlob {
                offset,
                key_wrap_id,
                data,
            }
        }
        "configureMemory" => Command::ConfigureMemory {
            memory_id: c.u32_or("memoryId", 0)?,
            address: c.u32_req("configAddress")?,
        },
        "fillMemory" => Command::FillMemory {
            address: c.u32_req("address")?,
            length: c.u32_req("size")?,
            pattern: c.u32_req("pattern")?,
        },
        "checkFwVersion" => {
            let name = c.str_req("counterId")?;
            Command::CheckFwVersion {
                value: c.u32_req("value")?,
                counter: CounterId::from_name(&name).ok_or_else(|| {
                    usage(format!(
                        "{}: counterId: '{name}' (one of {})",
                        c.ctx,
                        CounterId::NAMES
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
            }
        }
        "reset" => {
            // SPSDK's schema documents `param` but its code reads `params` and silently
            // drops `param` (reference sb31.md 9.2). We take both.
            let key = if c.has("params") { "params" } else { "param" };
            Command::Reset {
                params: c.u32_or(key, 0)?,
            }
        }
        other => {
            return Err(usage(format!("{}: unknown SB3.1 command '{other}'", c.ctx)));
        }
    })
}

fn fuse_word(c: &Config, t: &str) -> Result<u32> {
    let n = parse_number(t).map_err(|e| usage(format!("{}: values: {e}", c.ctx)))?;
    u32::try_from(n).map_err(|_| usage(format!("{}: values: 0x{n:X} does not fit 32 bits", c.ctx)))
}

/// All commands of a config.
pub fn commands_from_config(family: &Family, cfg: &Config) -> Result<Vec<Command>> {
    let list = match cfg.get("commands") {
        Some(Value::Sequence(s)) => s.clone(),
        Some(_) => return Err(usage(format!("{}: commands: expected a list", cfg.ctx))),
        None => {
            return Err(usage(format!(
                "{}: commands: required key is missing",
                cfg.ctx
            )));
        }
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let Value::Mapping(m) = item else {
            return Err(usage(format!(
                "{}: commands[{i}]: expected `- name: {{...}}`",
                cfg.ctx
            )));
        };
        // SPSDK's template puts every example command in one list item; take them in
        // order as SPSDK does not (it takes the first key only), and say so.
        if m.len() > 1 {
            tracing::warn!(
                "{}: commands[{i}] holds {} commands in one item; all are used, in order",
                cfg.ctx,
                m.len()
            );
        }
        for (k, v) in m {
            let name = k.as_str().unwrap_or_default().to_string();
            let c = cfg.child(v, format!("{}: commands[{i}].{name}", cfg.ctx))?;
            out.push(command_from_config(family, &name, &c)?);
        }
    }
    if out.is_empty() {
        return Err(usage(format!("{}: commands: the list is empty", cfg.ctx)));
    }
    Ok(out)
}

/// `sbgen sb31 export -c CONFIG [-o OUT]`.
pub fn export(config: &Path, out_path: Option<&Path>, out: &mut dyn std::io::Write) -> Result<()> {
    let cfg = Config::load(config)?;
    cfg.warn_unknown(KEYS);
    let family = sb31_family(&cfg.str_req("family")?)?;
    let cert_block = certblock::from_container_config(&cfg)?;
    let signer_spec = cfg.str_req("signer")?;
    let signer = signer_from_spec(&signer_spec, &cfg.dir)
        .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
    let encrypted = cfg.bool_or("isEncrypted", true)?;
    let kek = if encrypted {
        let spec = cfg.str("containerKeyBlobEncryptionKey").ok_or_else(|| {
            usage(format!(
                "{}: containerKeyBlobEncryptionKey is required (or isEncrypted: false)",
                cfg.ctx
            ))
        })?;
        Some(kek::load_kek(&spec, &cfg.dir).map_err(|e| match e {
            Failure::Usage(m) => usage(format!("{}: containerKeyBlobEncryptionKey: {m}", cfg.ctx)),
            other => other,
        })?)
    } else {
        tracing::warn!(
            "{}: isEncrypted: false: the ROM will not take this file",
            cfg.ctx
        );
        None
    };
    let ar = cfg.u32_or("kdkAccessRights", 0)?;
    let ar = u8::try_from(ar)
        .ok()
        .filter(|a| *a <= 3)
        .ok_or_else(|| usage(format!("{}: kdkAccessRights: {ar} (0..3)", cfg.ctx)))?;
    // `timestamp: 0` is an explicit value here: header and KDK both use 0 (SPSDK derives
    // the KDK with 0 but writes "now" into the header, reference sb31.md 9.1).
    let timestamp = match cfg.int("timestamp")? {
        Some(t) => t,
        None => provkit::sb31::now_timestamp(),
    };
    let mut description = cfg.str("description").unwrap_or_default().into_bytes();
    if !description.is_ascii() {
        return Err(usage(format!("{}: description: must be ASCII", cfg.ctx)));
    }
    if description.len() > 16 {
        tracing::warn!("{}: description truncated to 16 characters", cfg.ctx);
        description.truncate(16);
    }
    let commands = commands_from_config(family, &cfg)?;
    let builder = Sb31Builder {
        cert_block,
        signer: signer.as_ref(),
        kek: kek.as_ref().map(|k| k.as_slice()),
        kdk_access_rights: ar,
        timestamp,
        // SPSDK's code default is 1 when the key is absent (its template shows 0).
        firmware_version: cfg.u32_or("firmwareVersion", 1)?,
        description,
        flags: cfg.u32_or("containerConfigurationWord", 0)?,
        image_type: if cfg.bool_or("isNxpContainer", false)? {
            provkit::sb31::IMAGE_TYPE_NXP
        } else {
            provkit::sb31::IMAGE_TYPE_NORMAL
        },
        commands,
    };
    let bytes = builder
        .build()
        .map_err(|e| usage(format!("{}: {e}", cfg.ctx)))?;
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
    let rkth = format!("RKTH: {}\n", to_hex(&builder.cert_block.rkth()));
    if output::is_stdout(&target) {
        eprint!("{rkth}");
    } else {
        output::print(out, &rkth)?;
        output::print(
            out,
            &format!(
                "Success. (Secure binary 3.1: {} created, {} bytes.)\n",
                target.display(),
                bytes.len()
            ),
        )?;
    }
    Ok(())
}

/// Options of `parse` and `verify`.
pub struct CheckOptions<'a> {
    /// Input file.
    pub input: &'a Path,
    /// KEK spec (None: plaintext blocks).
    pub kek: Option<&'a str>,
    /// kdkAccessRights.
    pub kdk_access_rights: u8,
    /// Expected RKTH.
    pub rkth: Option<Vec<u8>>,
    /// Family, for the command and wrap-id checks.
    pub family: Option<&'static Family>,
    /// Device secure firmware counter: the file's version must not be lower.
    pub min_firmware_version: Option<u32>,
    /// JSON report.
    pub json: bool,
}

/// What was found.
struct Report {
    info: serde_json::Value,
    text: String,
    commands: Vec<Command>,
    container_bytes: Vec<u8>,
}

fn check(o: &CheckOptions<'_>) -> std::result::Result<Report, (Failure, serde_json::Value)> {
    let mut info = serde_json::json!({"file": o.input.display().to_string()});
    let mut text = String::new();
    let fail = |e: String, info: &serde_json::Value| -> (Failure, serde_json::Value) {
        let mut i = info.clone();
        i["ok"] = serde_json::Value::Bool(false);
        i["error"] = serde_json::Value::String(e.clone());
        (failed(e), i)
    };
    let data = output::read_input(o.input).map_err(|e| {
        let m = e.to_string();
        let mut i = info.clone();
        i["ok"] = false.into();
        i["error"] = m.into();
        (e, i)
    })?;
    let kek = match o.kek {
        Some(spec) => Some(kek::load_kek(spec, Path::new(".")).map_err(|e| {
            let mut i = info.clone();
            i["ok"] = false.into();
            i["error"] = e.to_string().into();
            (e, i)
        })?),
        None => None,
    };
    let c = Container::decode(&data).map_err(|e| fail(e.to_string(), &info))?;
    let h = &c.header;
    info["header"] = serde_json::json!({
        "flags": h.flags,
        "block_count": h.block_count,
        "block_size": h.block_size,
        "timestamp": h.timestamp,
        "firmware_version": h.firmware_version,
        "block0_length": h.block0_len,
        "image_type": h.image_type,
        "description": h.description_text(),
    });
    info["certificate_block"] = certblock::describe(&c.cert_block);
    let _ = writeln!(
        text,
        "SB3.1: {} data block{} of {} bytes (SHA-{}), timestamp 0x{:X}, firmware version {}, image type {}, description \"{}\"",
        h.block_count,
        if h.block_count == 1 { "" } else { "s" },
        h.block_size,
        h.hash_len() * 8,
        h.timestamp,
        h.firmware_version,
        h.image_type,
        h.description_text()
    );
    let _ = writeln!(
        text,
        "certificate block: {}",
        certblock::summary(&c.cert_block)
    );
    let _ = writeln!(text, "RKTH: {}", to_hex(&c.cert_block.rkth()));
    let v = c
        .verify(o.rkth.as_deref())
        .map_err(|e| fail(e.to_string(), &info))?;
    if o.rkth.is_some() {
        let _ = writeln!(text, "RKTH matches the device's");
    }
    let _ = writeln!(
        text,
        "block 0 signature: OK ({} {}){}",
        if v.isk { "ISK" } else { "root key" },
        v.signer_curve,
        if v.isk {
            ", ISK certificate signature: OK"
        } else {
            ""
        }
    );
    let _ = writeln!(text, "hash chain: OK ({} blocks)", h.block_count);
    if let Some(min) = o.min_firmware_version {
        if h.firmware_version < min {
            return Err(fail(
                format!(
                    "rollback: firmware version {} is lower than the device's secure counter {min}",
                    h.firmware_version
                ),
                &info,
            ));
        }
    }
    let commands = c
        .commands(kek.as_ref().map(|k| k.as_slice()), o.kdk_access_rights)
        .map_err(|e| {
            let m = match (&e, o.kek) {
                (Sb31Error::WrongKey(_), None) => {
                    format!("{e} (no -k given: the blocks were read as plaintext)")
                }
                _ => e.to_string(),
            };
            fail(m, &info)
        })?;
    let _ = writeln!(
        text,
        "{}: OK ({} command{})",
        if o.kek.is_some() {
            format!("decryption (kdkAccessRights {})", o.kdk_access_rights)
        } else {
            "plaintext blocks".to_string()
        },
        commands.len(),
        if commands.len() == 1 { "" } else { "s" }
    );
    if let Some(f) = o.family {
        if let Some(sb) = f.secure_boot.as_ref().and_then(|s| s.sb31.as_ref()) {
            for cmd in &commands {
                let n = cmd.config_name();
                if !sb.commands.iter().any(|c| c == n) {
                    return Err(fail(
                        format!(
                            "command {n} is not supported by the {} SB3.1 loader",
                            f.name
                        ),
                        &info,
                    ));
                }
                if let Command::LoadKeyBlob { key_wrap_id, .. } = cmd {
                    if *key_wrap_id != sb.key_wrap_ids.0 && *key_wrap_id != sb.key_wrap_ids.1 {
                        return Err(fail(
                            format!(
                                "loadKeyBlob wrapping key id {key_wrap_id} is not one of {}'s ({}, {})",
                                f.name, sb.key_wrap_ids.0, sb.key_wrap_ids.1
                            ),
                            &info,
                        ));
                    }
                }
            }
        }
    }
    if let Some(min) = o.min_firmware_version {
        for cmd in &commands {
            if let Command::CheckFwVersion { value, counter } = cmd {
                if *counter == CounterId::SECURE && *value < min {
                    return Err(fail(
                        format!(
                            "rollback: checkFwVersion {value} (secure) is lower than the device's secure counter {min}"
                        ),
                        &info,
                    ));
                }
            }
        }
    }
    for cmd in &commands {
        let _ = writeln!(text, "  {cmd}");
    }
    info["commands"] = commands
        .iter()
        .map(|c| serde_json::Value::String(c.to_string()))
        .collect();
    info["rkth"] = to_hex(&v.rkth).into();
    info["ok"] = true.into();
    Ok(Report {
        info,
        text,
        commands,
        container_bytes: data,
    })
}

fn emit(
    o: &CheckOptions<'_>,
    out: &mut dyn std::io::Write,
    r: &std::result::Result<Report, (Failure, serde_json::Value)>,
) -> Result<()> {
    match r {
        Ok(rep) => {
            if o.json {
                output::print(
                    out,
                    &format!(
                        "{}\n",
                        serde_json::to_string_pretty(&rep.info).unwrap_or_default()
                    ),
                )
            } else {
                output::print(out, &rep.text)?;
                output::print(out, "OK\n")
            }
        }
        Err((_, info)) => {
            if o.json {
                output::print(
                    out,
                    &format!(
                        "{}\n",
                        serde_json::to_string_pretty(info).unwrap_or_default()
                    ),
                )
            } else {
                Ok(())
            }
        }
    }
}

/// `sbgen sb31 verify`.
pub fn verify(o: &CheckOptions<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let r = check(o);
    emit(o, out, &r)?;
    r.map(|_| ()).map_err(|(e, _)| prefix(e, o.input))
}

fn prefix(e: Failure, input: &Path) -> Failure {
    match e {
        Failure::Failed(m) => failed(format!("{}: {m}", input.display())),
        other => other,
    }
}

/// `sbgen sb31 parse`: the checks of verify, then a config + data files in `dir` that
/// `sbgen sb31 export` turns back into the same file (signatures aside).
pub fn parse(
    o: &CheckOptions<'_>,
    dir: Option<&Path>,
    signer: Option<&str>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let r = check(o);
    emit(o, out, &r)?;
    let rep = r.map_err(|(e, _)| prefix(e, o.input))?;
    if let Some(dir) = dir {
        let c = Container::decode(&rep.container_bytes).map_err(|e| failed(e.to_string()))?;
        let path = write_config(o, &c, &rep.commands, dir, signer)?;
        if !o.json {
            output::print(out, &format!("config written: {}\n", path.display()))?;
        }
    }
    Ok(())
}

fn yaml_str(s: &str) -> String {
    serde_yaml::to_string(&Value::String(s.to_string()))
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

fn data_entry(
    dir: &Path,
    key: &str,
    data: &[u8],
    name: String,
    used: &mut Vec<String>,
) -> Result<String> {
    if data.len() == 4 {
        let v = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        return Ok(format!("{key}: '0x{v:08X}'"));
    }
    if !data.is_empty() && data.len() <= 40 && data.len() % 4 == 0 {
        let words: Vec<String> = data
            .chunks(4)
            .map(|c| format!("0x{:08X}", u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect();
        return Ok(format!("{key}: {}", words.join(", ")));
    }
    file_entry(dir, key, data, name, used)
}

fn file_entry(
    dir: &Path,
    key: &str,
    data: &[u8],
    name: String,
    used: &mut Vec<String>,
) -> Result<String> {
    let mut n = name.clone();
    let mut i = 1;
    while used.contains(&n) {
        n = format!("{}_{i}.bin", name.trim_end_matches(".bin"));
        i += 1;
    }
    used.push(n.clone());
    output::write_file(&dir.join(&n), data)?;
    // A raw binary that looks like HEX/S-record text would be re-read as such: such data
    // (rare) is still written as a file, and export's loader reads `.bin` by content.
    Ok(format!("{key}: {n}"))
}

fn write_config(
    o: &CheckOptions<'_>,
    c: &Container<'_>,
    commands: &[Command],
    dir: &Path,
    signer: Option<&str>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    let family = match o.family {
        Some(f) => f.name.clone(),
        None => infer_family(commands),
    };
    let fam = provkit::family::family(&family);
    let ids = fam
        .and_then(|f| f.secure_boot.as_ref())
        .and_then(|s| s.sb31.as_ref())
        .map(|s| s.key_wrap_ids)
        .unwrap_or((16, 17));
    output::write_file(&dir.join("cert_block.bin"), &c.cert_block.encode())?;
    let h = &c.header;
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# SB3.1 configuration written by `sbgen sb31 parse` from {}.",
        o.input.display()
    );
    let _ = writeln!(
        y,
        "# `sbgen sb31 export -c` this file re-creates it byte for byte, except the"
    );
    let _ = writeln!(
        y,
        "# block-0 signature (ECDSA), given the same signer and KEK."
    );
    if o.family.is_none() {
        let _ = writeln!(
            y,
            "# The family is not stored in SB3.1 files: '{family}' is a guess, check it."
        );
    }
    let _ = writeln!(y, "family: {family}");
    let _ = writeln!(y, "revision: latest");
    let _ = writeln!(
        y,
        "containerOutputFile: {}",
        yaml_str(&format!(
            "{}.sb3",
            o.input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "out".into())
        ))
    );
    let signer_text = match signer {
        Some(s) => s.to_string(),
        None => {
            let _ = writeln!(
                y,
                "# The private key of the {} is not in the file: set it here.",
                if c.cert_block.isk.is_some() {
                    "ISK"
                } else {
                    "root key"
                }
            );
            "type=file;file_path=SET_ME_private_key.pem".to_string()
        }
    };
    let _ = writeln!(y, "signer: {}", yaml_str(&signer_text));
    let _ = writeln!(y, "certBlock: cert_block.bin");
    match o.kek {
        Some(spec) => {
            let p = Path::new(spec);
            let kek_ref = if p.is_file() {
                std::fs::canonicalize(p)
                    .unwrap_or_else(|_| p.to_path_buf())
                    .display()
                    .to_string()
            } else {
                // Inline hex on the command line: keep the secret in a 0600 file.
                let k = kek::load_kek(spec, Path::new("."))?;
                output::write_secret(&dir.join("sbkek.txt"), to_hex(&k).as_bytes())?;
                "sbkek.txt".into()
            };
            let _ = writeln!(y, "containerKeyBlobEncryptionKey: {}", yaml_str(&kek_ref));
            let _ = writeln!(y, "kdkAccessRights: {}", o.kdk_access_rights);
        }
        None => {
            let _ = writeln!(y, "isEncrypted: false");
        }
    }
    let _ = writeln!(y, "firmwareVersion: {}", h.firmware_version);
    let _ = writeln!(
        y,
        "isNxpContainer: {}",
        h.image_type == provkit::sb31::IMAGE_TYPE_NXP
    );
    let _ = writeln!(y, "containerConfigurationWord: 0x{:X}", h.flags);
    let desc = h.description_text();
    if !desc.is_empty() {
        let _ = writeln!(y, "description: {}", yaml_str(&desc));
    }
    let _ = writeln!(y, "timestamp: 0x{:X}", h.timestamp);
    let _ = writeln!(y, "commands:");
    let mut used = Vec::new();
    for cmd in commands {
        let mut lines: Vec<String> = Vec::new();
        match cmd {
            Command::Erase {
                address,
                length,
                memory_id,
            } => {
                lines.push(format!("address: 0x{address:X}"));
                lines.push(format!("size: 0x{length:X}"));
                lines.push(format!("memoryId: {memory_id}"));
            }
            Command::Load {
                address,
                memory_id,
                data,
            } => {
                lines.push(format!("address: 0x{address:X}"));
                lines.push(format!("memoryId: {memory_id}"));
                lines.push(data_entry(
                    dir,
                    "data",
                    data,
                    format!("load_data_{address:08x}.bin"),
                    &mut used,
                )?);
            }
            Command::LoadCompressed {
                address,
                memory_id,
                data,
                ..
            } => {
                return Err(failed(format!(
                    "{}: the load at 0x{address:08X} (memory {memory_id}, {} bytes) is LZMA-compressed; sbgen cannot re-create compressed loads, so it writes no config",
                    o.input.display(),
                    data.len()
                )));
            }
            Command::Execute { address } | Command::Call { address } => {
                lines.push(format!("address: 0x{address:X}"));
            }
            Command::ProgramFuses { address, values } => {
                lines.push(format!("address: 0x{address:X}"));
                let v: Vec<String> = values.iter().map(|v| format!("0x{v:08X}")).collect();
                lines.push(format!(
                    "values: {}",
                    if v.len() == 1 {
                        format!("'{}'", v[0])
                    } else {
                        v.join(", ")
                    }
                ));
            }
            Command::ProgramIfr { address, data } => {
                lines.push(format!("address: 0x{address:X}"));
                lines.push(data_entry(
                    dir,
                    "data",
                    data,
                    format!("ifr_data_{address:08x}.bin"),
                    &mut used,
                )?);
            }
            Command::LoadCmac {
                address,
                memory_id,
                data,
            } => {
                lines.push(format!("address: 0x{address:X}"));
                lines.push(format!("memoryId: {memory_id}"));
                lines.push(file_entry(
                    dir,
                    "file",
                    data,
                    format!("load_cmac_data_{address:08x}.bin"),
                    &mut used,
                )?);
            }
            Command::LoadHashLocking {
                address,
                memory_id,
                data,
            } => {
                lines.push(format!("address: 0x{address:X}"));
                lines.push(format!("memoryId: {memory_id}"));
                lines.push(file_entry(
                    dir,
                    "file",
                    data,
                    format!("hash_locking_data_{address:08x}.bin"),
                    &mut used,
                )?);
            }
            Command::Copy {
                address_from,
                length,
                address_to,
                memory_id_from,
                memory_id_to,
            } => {
                lines.push(format!("addressFrom: 0x{address_from:X}"));
                lines.push(format!("memoryIdFrom: {memory_id_from}"));
                lines.push(format!("size: 0x{length:X}"));
                lines.push(format!("addressTo: 0x{address_to:X}"));
                lines.push(format!("memoryIdTo: {memory_id_to}"));
            }
            Command::LoadKeyBlob {
                offset,
                key_wrap_id,
                data,
            } => {
                lines.push(format!("offset: 0x{offset:X}"));
                let name = if *key_wrap_id == ids.0 {
                    "NXP_CUST_KEK_INT_SK".to_string()
                } else if *key_wrap_id == ids.1 {
                    "NXP_CUST_KEK_EXT_SK".to_string()
                } else {
                    return Err(failed(format!(
                        "{}: loadKeyBlob wrapping key id {key_wrap_id} is not one of {family}'s ({}, {}); give the right -f",
                        o.input.display(),
                        ids.0,
                        ids.1
                    )));
                };
                lines.push(format!("wrappingKeyId: {name}"));
                lines.push(file_entry(
                    dir,
                    "file",
                    data,
                    format!("key_blob_{offset:08x}.bin"),
                    &mut used,
                )?);
            }
            Command::ConfigureMemory { memory_id, address } => {
                lines.push(format!("configAddress: 0x{address:X}"));
                lines.push(format!("memoryId: {memory_id}"));
            }
            Command::FillMemory {
                address,
                length,
                pattern,
            } => {
                lines.push(format!("address: 0x{address:X}"));
                lines.push(format!("size: 0x{length:X}"));
                lines.push(format!("pattern: 0x{pattern:08X}"));
            }
            Command::CheckFwVersion { value, counter } => {
                lines.push(format!("value: {value}"));
                match counter.name() {
                    Some(n) => lines.push(format!("counterId: {n}")),
                    None => {
                        return Err(failed(format!(
                            "{}: checkFwVersion counter id {} has no name SPSDK configs know",
                            o.input.display(),
                            counter.0
                        )));
                    }
                }
            }
            Command::Reset { params } => lines.push(format!("params: 0x{params:08X}")),
            _ => {}
        }
        let _ = writeln!(y, "  - {}:", cmd.config_name());
        for l in lines {
            let _ = writeln!(y, "      {l}");
        }
    }
    let path = dir.join(format!("sb31_{family}_config.yaml"));
    output::write_file(&path, y.as_bytes())?;
    Ok(path)
}

fn infer_family(commands: &[Command]) -> String {
    for c in commands {
        if let Command::LoadKeyBlob { key_wrap_id, .. } = c {
            if *key_wrap_id >= 18 {
                return "mcxn947".into();
            }
        }
    }
    "lpc55s36".into()
}

/// `sbgen sb31 get-template -f FAMILY`: every key, one list item per command (SPSDK's
/// template puts all example commands in one item and uses `wrappingKeyId: 0`, which does
/// not validate).
pub fn template(family: &Family) -> String {
    let sb = family.secure_boot.as_ref().and_then(|s| s.sb31.clone());
    let cmds = sb.map(|s| s.commands).unwrap_or_default();
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# SB3.1 capsule for {} (SPSDK `nxpimage sb31` keys; paths are relative to this file).",
        family.name
    );
    let _ = writeln!(y, "family: {}", family.name);
    let _ = writeln!(y, "revision: latest");
    let _ = writeln!(
        y,
        "# Version in the header; the ROM refuses files older than its secure counter."
    );
    let _ = writeln!(y, "firmwareVersion: 0");
    let _ = writeln!(y, "containerOutputFile: my_new.sb3");
    let _ = writeln!(
        y,
        "# Signs block 0: the ISK private key if the certificate block has an ISK, else the"
    );
    let _ = writeln!(
        y,
        "# root private key (key file or type=file;file_path=...)."
    );
    let _ = writeln!(y, "signer: type=file;file_path=root_prv_key.pem");
    let _ = writeln!(
        y,
        "# Certificate block: a cert-block YAML (`sbgen cert-block get-template`) or binary."
    );
    let _ = writeln!(y, "certBlock: cert_block.yaml");
    let _ = writeln!(
        y,
        "# SB KEK (PCK): a file with 64 hex characters or 32 raw bytes, or inline hex."
    );
    let _ = writeln!(y, "containerKeyBlobEncryptionKey: my_pck.txt");
    let _ = writeln!(
        y,
        "# true: image type 7 (NXP provisioning firmware containers)."
    );
    let _ = writeln!(y, "isNxpContainer: false");
    let _ = writeln!(
        y,
        "# 0..3, part of the key derivation; not stored in the file: the device must use the same."
    );
    let _ = writeln!(y, "kdkAccessRights: 0");
    let _ = writeln!(y, "containerConfigurationWord: 0");
    let _ = writeln!(y, "# Up to 16 ASCII characters.");
    let _ = writeln!(y, "description: My SB file");
    let _ = writeln!(
        y,
        "# Fixed header timestamp (seconds since 2000-01-01 UTC) for reproducible files; omit for now."
    );
    let _ = writeln!(y, "# timestamp: 0x2E8E5C80");
    let _ = writeln!(y, "commands:");
    for c in cmds {
        let body: &[&str] = match c.as_str() {
            "erase" => &["address: 0", "size: 4096", "memoryId: 0"],
            "load" => &["address: 0", "memoryId: 0", "data: my_binary.bin"],
            "execute" => &["address: 0"],
            "programFuses" => &["address: 0", "values: 0x1234, 0x5678, 0, 12345678"],
            "programIFR" => &["address: 0", "data: my_binary.bin"],
            "loadCMAC" => &["address: 0", "memoryId: 0", "file: my_cmac_binary.bin"],
            "copy" => &[
                "addressFrom: 0",
                "memoryIdFrom: 0",
                "size: 4096",
                "addressTo: 536870912",
                "memoryIdTo: 0",
            ],
            "loadHashLocking" => &[
                "address: 0",
                "memoryId: 0",
                "file: my_hashlocking_binary.bin",
            ],
            "loadKeyBlob" => &[
                "offset: 0",
                "wrappingKeyId: NXP_CUST_KEK_EXT_SK",
                "file: my_keyblob.bin",
                "plainInput: 'no'",
            ],
            "configureMemory" => &["configAddress: 0", "memoryId: 0"],
            "fillMemory" => &["address: 0", "size: 4096", "pattern: 2779096485"],
            "checkFwVersion" => &["value: 1", "counterId: secure"],
            "reset" => &["params: 0"],
            _ => &[],
        };
        let _ = writeln!(y, "  - {c}:");
        for l in body {
            let _ = writeln!(y, "      {l}");
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(yaml: &str) -> Config {
        let v: Value = serde_yaml::from_str(yaml).unwrap();
        Config {
            map: v.as_mapping().cloned().unwrap_or_default(),
            dir: PathBuf::new(),
            ctx: "test".into(),
        }
    }

    #[test]
    fn reset_takes_param_and_params() {
        // A family without an SB3.1 loader list: only the parameter handling is tested.
        let f = provkit::family::family("lpc55s69").unwrap();
        for y in ["param: 0xEB2F0001", "params: 0xEB2F0001"] {
            assert_eq!(
                command_from_config(f, "reset", &cfg(y)).unwrap(),
                Command::Reset {
                    params: 0xEB2F_0001
                }
            );
        }
        // The SB3.1 families here have no `reset` in their loader.
        let f = provkit::family::family("mcxn947").unwrap();
        assert!(command_from_config(f, "reset", &cfg("params: 1")).is_err());
    }

    #[test]
    fn numbers_are_strict() {
        let f = provkit::family::family("mcxn947").unwrap();
        let e = command_from_config(f, "programFuses", &cfg("address: 1\nvalues: 0x1, zz"));
        assert!(e.is_err());
        let ok = command_from_config(f, "programFuses", &cfg("address: 1\nvalues: 0x1, 2"));
        assert_eq!(
            ok.unwrap(),
            Command::ProgramFuses {
                address: 1,
                values: vec![1, 2]
            }
        );
        let e = command_from_config(f, "load", &cfg("address: 0\ndata: 0x1, 0x1_0000_0000"));
        assert!(e.is_err());
        let l = command_from_config(f, "load", &cfg("address: 0\ndata: [1, '0x2']")).unwrap();
        assert_eq!(
            l,
            Command::Load {
                address: 0,
                memory_id: 0,
                data: vec![1, 0, 0, 0, 2, 0, 0, 0]
            }
        );
        let kb = cfg("offset: 0x10000\nwrappingKeyId: NXP_CUST_KEK_INT_SK\nfile: x");
        assert!(command_from_config(f, "loadKeyBlob", &kb).is_err());
    }
}
