//! `sbgen sb21 export|parse|verify|get-template|convert`: SB2.1 files (LPC55S0x/1x/2x/6x,
//! RT5xx/6xx) from SPSDK `nxpimage sb21` YAML configs and elftosb/SPSDK BD command files,
//! verbatim. The format lives in [`provkit::sb21`].
//!
//! Byte compatibility with SPSDK 3.12 (`reference/sb2_mbi.md` section 9):
//! * copied: the header's component version is the product version (bug 1); the header build
//!   number is the certificate block's `imageBuildNumber` in the YAML flow and
//!   `options.buildNumber` (default 1) with `-S`/`-R` (bug 2); LOAD `count` is the padded
//!   length (bug 4), the padding is zero (SPSDK: random unless `zeroPadding`; the ROM writes
//!   it); TAG flags 0x8001 and section UIDs 0, 1, .. (bug 5); `load.values` items are hex
//!   even without `0x`; `programFuses.values` is byte-swapped; a FILL pattern is replicated
//!   from its byte width; FILL length 4.
//! * fixed by default: with flag 0x8000 the header's `image_blocks` and
//!   `first_boot_tag_block` count the SHA-256 (bug 3). `--spsdk-compat` writes SPSDK's values
//!   (2 blocks fewer) and reads BD files as SPSDK does (a fill range is dropped, a
//!   `{{ .. }}` blob is a little-endian word: bugs 6, 7).
//! * the header padding is random unless `options.zeroPadding: true` (as SPSDK).
//!
//! sbgen extensions (SPSDK rejects them; `sb21 parse -o` writes them only where needed to
//! re-create a file): `options.headerPadding` (16 hex digits), `options.spsdkBlockCounts`
//! (as `--spsdk-compat` for the header), `options.writeComponentVersion` (write
//! `componentVersion` instead of the product version), `options.timestampUs` (header
//! timestamp in microseconds since 2000); per section `uid`, `flags`, `hmacCount`; commands
//! `call {address, argument}`, `reset {}`, `nop {}`; `load.data` (hex bytes in order),
//! `load.padding` (hex), `load.exactLength` (count = data length, as elftosb);
//! `fill.length`, `fill.patternWord` (the stored 32-bit word); `programFuses.word1/word2`
//! (the stored words).
//!
//! OTFAD key blobs (families whose loader takes them: RT5xx/6xx; [`provkit::otfad`]):
//! `keyblobs: [{keyblob_id, keyblob_content: [{start, end, key, counter, byte_swap?}]}]`,
//! `keywrap {keyblob_id, address, values: KEK}` (a LOAD of the 64-byte key blob wrapped with
//! the 16-byte OTFAD KEK) and `encrypt {keyblob_id, address, file | values | data}` (a LOAD
//! of the data zero-padded to 512 bytes, AES-128-CTR encrypted, byte-swapped with
//! `byte_swap`), as SPSDK writes them:
//! * copied: only the first region of a key blob is used (SPSDK ignores the others; a
//!   warning says so); the flags are ADE | VLD; `noByteSwap` is ignored.
//! * the key blob's zero-fill word is random (as SPSDK) unless `options.zeroPadding: true`
//!   (zero) or the sbgen extension `keywrap.zeroFill` (8 hex digits, as stored) pins it.
//! * fixed by default: SPSDK encrypts every image with the counter of its key blob's
//!   region start, so an image loaded past the start does not decrypt in place; sbgen uses
//!   the load address when it lies in the region (the engine's counter, as `nxpimage
//!   otfad`), else the region's start (an image run through a FlexSPI remap, as SPSDK).
//!   `--spsdk-compat` writes SPSDK's counter.
//! * strict (SPSDK accepts these and writes a key blob the engine cannot use, or silently
//!   loads the data unencrypted): `start` must be 1 KB aligned and `end` the last byte of a
//!   1 KB block (end in 0x3FF); keys are 16 bytes (AES-128), counters 8, KEKs 16; regions of
//!   all key blobs are disjoint; ids are unique; `encrypt` addresses are multiples of 16.

use crate::certblock;
use crate::config::{Config, parse_number};
use crate::error::{Failure, Result, failed, usage};
use crate::kek;
use crate::output;
use provkit::certblock::v1::certificate_der;
use provkit::certblock::{CertBlockV1, CertBlockV1Spec};
use provkit::codec::{from_hex, to_hex};
use provkit::crypto::{PublicKey, Signer, signer_from_spec};
use provkit::family::ImageFamily;
use provkit::otfad::{self, CounterMode, KeyBlob, OtfadError, Region};
use provkit::sb21::{
    self, BlockCounts, Command, Decoded, Keys, SPSDK_SECTION_FLAGS, Sb21Builder, Section, Version,
};
use serde_yaml::{Mapping, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Top-level keys of an SB2.1 config.
const KEYS: &[&str] = &[
    "family",
    "revision",
    "options",
    "signer",
    "certBlock",
    "containerOutputFile",
    "containerKeyBlobEncryptionKey",
    "RKTHOutputPath",
    "keyblobs",
    "sections",
];

/// Keys of `options`.
const OPTION_KEYS: &[&str] = &[
    "flags",
    "buildNumber",
    "productVersion",
    "componentVersion",
    "secureBinaryVersion",
    "dek",
    "mac",
    "nonce",
    "timestamp",
    "zeroPadding",
    "headerPadding",
    "spsdkBlockCounts",
    "writeComponentVersion",
    "timestampUs",
];

/// Looks up a family that takes SB2.1 files.
pub fn sb21_family(name: &str) -> Result<&'static ImageFamily> {
    let has = |f: &ImageFamily| f.sb21.is_some();
    crate::family::image_family(name)
        .ok()
        .filter(|f| has(f))
        .ok_or_else(|| {
            usage(format!(
                "family '{name}' does not take SB2.1 files (SB2.1 families: {})",
                crate::family::names_where(has).join(", ")
            ))
        })
}

fn supported_commands(f: &ImageFamily) -> Vec<String> {
    f.sb21
        .as_ref()
        .map(|s| s.commands.clone())
        .unwrap_or_default()
}

/// Options of `sb21 export`.
#[derive(Debug)]
pub struct ExportArgs<'a> {
    /// YAML or BD file.
    pub config: &'a Path,
    /// Output (default: containerOutputFile).
    pub output: Option<&'a Path>,
    /// SPSDK's block counts with flag 0x8000, SPSDK's BD quirks.
    pub spsdk_compat: bool,
    /// `-k`: SBKEK (overrides containerKeyBlobEncryptionKey).
    pub kek: Option<&'a str>,
    /// `-s`: signer (overrides signer).
    pub signer: Option<&'a str>,
    /// `-S`: certificate chain, root first.
    pub certs: &'a [PathBuf],
    /// `-R`: root certificates (RKHT order).
    pub root_certs: &'a [PathBuf],
    /// `-h`: RKTH output (overrides RKTHOutputPath).
    pub rkth_out: Option<&'a Path>,
}

/// Reads an SB2.1 config: a YAML mapping, or else a BD command file (through
/// [`crate::bd::bd_to_config`]). Returns the config and whether it was BD.
pub fn load_config(path: &Path, compat: bool) -> Result<(Config, bool)> {
    let bytes = std::fs::read(path).map_err(|e| Failure::io(path, &e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| usage(format!("{}: not a text file (YAML or BD)", path.display())))?;
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let ctx = path.display().to_string();
    if let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(&text) {
        return Ok((Config { map, dir, ctx }, false));
    }
    let map = crate::bd::bd_to_config(&text, path, compat)?;
    Ok((Config { map, dir, ctx }, true))
}

/// Everything `export` needs, loaded.
struct Inputs {
    family: &'static ImageFamily,
    signer: Box<dyn Signer>,
    kek: Zeroizing<Vec<u8>>,
    cert_block: CertBlockV1,
    flags: u16,
    product_version: Version,
    component_version: Version,
    build_number: u32,
    timestamp: u64,
    nonce: [u8; 16],
    keys: Keys,
    header_padding: [u8; 8],
    block_counts: BlockCounts,
    sections: Vec<Section>,
    rkth_out: Option<PathBuf>,
}

fn hex_option<const N: usize>(c: &Config, key: &str) -> Result<Option<[u8; N]>> {
    match c.str(key) {
        None => Ok(None),
        Some(t) => {
            let t = t.trim();
            let bytes = from_hex(t).ok().filter(|b| b.len() == N).ok_or_else(|| {
                usage(format!(
                    "{}: {key}: expected {} hex digits ({} characters given)",
                    c.ctx,
                    2 * N,
                    t.len()
                ))
            })?;
            let mut a = [0u8; N];
            a.copy_from_slice(&bytes);
            Ok(Some(a))
        }
    }
}

fn version(c: &Config, key: &str) -> Result<Version> {
    let text = c.str(key).unwrap_or_else(|| "1.0.0".into());
    Version::parse(&text).map_err(|e| usage(format!("{}: {key}: {e}", c.ctx)))
}

fn read_cert_file(p: &Path, what: &str) -> Result<Vec<u8>> {
    let data = std::fs::read(p).map_err(|e| Failure::io(p, &e))?;
    certificate_der(&data, &format!("{what} {}", p.display())).map_err(|e| usage(e.to_string()))
}

/// The certificate block of `-S` (chain, root first) and `-R` (roots), as SPSDK's CLI builds
/// it: the root is the `-R` certificate equal to the first `-S`.
fn cert_block_from_cli(
    certs: &[PathBuf],
    roots: &[PathBuf],
    build_number: u32,
    signer_key: &PublicKey,
) -> Result<CertBlockV1> {
    let chain: Vec<Vec<u8>> = certs
        .iter()
        .map(|p| read_cert_file(p, "-S"))
        .collect::<Result<_>>()?;
    let root_certs: Vec<Vec<u8>> = roots
        .iter()
        .take(4)
        .map(|p| read_cert_file(p, "-R"))
        .collect::<Result<_>>()?;
    if roots.len() > 4 {
        tracing::warn!("-R: only 4 root certificates are used (as SPSDK), the rest is ignored");
    }
    let first = chain
        .first()
        .ok_or_else(|| usage("-S: give the certificate chain, root certificate first"))?;
    let used = root_certs.iter().position(|r| r == first).ok_or_else(|| {
        usage("-S/-R: the first -S certificate (the root) is none of the -R certificates")
    })?;
    CertBlockV1Spec {
        build_number,
        root_certs,
        used_root: Some(used),
        chain: chain[1..].to_vec(),
    }
    .build(Some(signer_key))
    .map_err(|e| usage(format!("-S/-R: {e}")))
}

fn load_inputs(cfg: &Config, a: &ExportArgs<'_>) -> Result<Inputs> {
    cfg.warn_unknown(KEYS);
    let family = sb21_family(&cfg.str_req("family")?)?;
    let opts = cfg.child(
        cfg.get("options").unwrap_or(&Value::Null),
        format!("{}: options", cfg.ctx),
    )?;
    opts.warn_unknown(OPTION_KEYS);
    if let Some(v) = opts.str("secureBinaryVersion") {
        if v.trim() != "2.1" {
            return Err(usage(format!(
                "{}: secureBinaryVersion: '{v}' (only 2.1)",
                opts.ctx
            )));
        }
    }
    let signer_spec = match a.signer {
        Some(s) => s.to_string(),
        None => cfg
            .str("signer")
            .ok_or_else(|| usage(format!("{}: signer is required (or give -s)", cfg.ctx)))?,
    };
    let signer_base = if a.signer.is_some() {
        Path::new(".")
    } else {
        cfg.dir.as_path()
    };
    let signer = signer_from_spec(&signer_spec, signer_base)
        .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
    let signer_key = signer
        .public_key()
        .map_err(|e| usage(format!("{}: signer: {e}", cfg.ctx)))?;
    let kek = match a.kek {
        Some(k) => kek::load_bytes(k, Path::new("."), &[32], "-k SBKEK")?,
        None => {
            let spec = cfg.str("containerKeyBlobEncryptionKey").ok_or_else(|| {
                usage(format!(
                    "{}: containerKeyBlobEncryptionKey is required (or give -k)",
                    cfg.ctx
                ))
            })?;
            kek::load_bytes(&spec, &cfg.dir, &[32], "containerKeyBlobEncryptionKey").map_err(
                |e| match e {
                    Failure::Usage(m) => usage(format!("{}: {m}", cfg.ctx)),
                    other => other,
                },
            )?
        }
    };
    let (cert_block, build_number) = if !a.certs.is_empty() || !a.root_certs.is_empty() {
        let bn = opts.u32_or("buildNumber", 1)?;
        (
            cert_block_from_cli(a.certs, a.root_certs, bn, &signer_key)?,
            bn,
        )
    } else {
        if !cfg.has("certBlock") {
            return Err(usage(format!(
                "{}: certBlock is required (or give -S and -R)",
                cfg.ctx
            )));
        }
        let cb = certblock::load_v1(cfg, Some(&signer_key))?;
        let bn = cb.build_number;
        (cb, bn)
    };
    // SPSDK's code default when the (schema-required) key is absent.
    let flags = opts.u32_or("flags", u32::from(sb21::FLAG_SHA | sb21::FLAG_SIGNED))?;
    let flags = u16::try_from(flags).map_err(|_| {
        usage(format!(
            "{}: flags: 0x{flags:X} does not fit 16 bits",
            opts.ctx
        ))
    })?;
    let product_version = version(&opts, "productVersion")?;
    let component_version = if opts.bool_or("writeComponentVersion", false)? {
        version(&opts, "componentVersion")?
    } else {
        // Checked as SPSDK does, then not used (bug 1).
        version(&opts, "componentVersion")?;
        product_version
    };
    let timestamp = if let Some(us) = opts.int("timestampUs")? {
        us
    } else {
        match opts.int("timestamp")? {
            None | Some(0) => sb21::now_timestamp(),
            Some(t) => sb21::timestamp_from_unix(t).ok_or_else(|| {
                usage(format!(
                    "{}: timestamp: {t} is before 2000-01-01 (the header counts from there)",
                    opts.ctx
                ))
            })?,
        }
    };
    let nonce = hex_option::<16>(&opts, "nonce")?.unwrap_or_else(sb21::random_nonce);
    let keys = match (
        hex_option::<32>(&opts, "dek")?,
        hex_option::<32>(&opts, "mac")?,
    ) {
        (Some(d), Some(m)) => Keys::new(d, m),
        (d, m) => {
            let r = Keys::random();
            Keys::new(d.unwrap_or(*r.dek), m.unwrap_or(*r.mac))
        }
    };
    let header_padding = match hex_option::<8>(&opts, "headerPadding")? {
        Some(p) => p,
        None if opts.bool_or("zeroPadding", false)? => [0; 8],
        None => sb21::random_padding(),
    };
    let block_counts = if a.spsdk_compat || opts.bool_or("spsdkBlockCounts", false)? {
        BlockCounts::Spsdk
    } else {
        BlockCounts::True
    };
    let otfad = Otfad {
        blobs: keyblobs_from_config(family, cfg)?,
        zero_fill: opts.bool_or("zeroPadding", false)?.then_some([0; 4]),
        counter: if a.spsdk_compat {
            CounterMode::RegionStart
        } else {
            CounterMode::LoadAddress
        },
    };
    let sections = sections_from_config(family, cfg, &otfad)?;
    let rkth_out = match a.rkth_out {
        Some(p) => Some(p.to_path_buf()),
        None => cfg.path("RKTHOutputPath"),
    };
    Ok(Inputs {
        family,
        signer,
        kek,
        cert_block,
        flags,
        product_version,
        component_version,
        build_number,
        timestamp,
        nonce,
        keys,
        header_padding,
        block_counts,
        sections,
        rkth_out,
    })
}

/// The sections of a config.
pub fn sections_from_config(
    family: &ImageFamily,
    cfg: &Config,
    otfad: &Otfad,
) -> Result<Vec<Section>> {
    let list = match cfg.get("sections") {
        Some(Value::Sequence(s)) => s.clone(),
        Some(_) => return Err(usage(format!("{}: sections: expected a list", cfg.ctx))),
        None => {
            return Err(usage(format!(
                "{}: sections: required key is missing",
                cfg.ctx
            )));
        }
    };
    if list.is_empty() {
        return Err(usage(format!("{}: sections: the list is empty", cfg.ctx)));
    }
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let sc = cfg.child(item, format!("{}: sections[{i}]", cfg.ctx))?;
        sc.warn_unknown(&["section_id", "commands", "uid", "flags", "hmacCount"]);
        if sc.has("section_id") {
            tracing::debug!(
                "{}: section_id is ignored: SPSDK numbers sections 0, 1, .. (give `uid` to choose)",
                sc.ctx
            );
        }
        let cmds = match sc.get("commands") {
            Some(Value::Sequence(s)) => s.clone(),
            _ => {
                return Err(usage(format!(
                    "{}: commands: expected a list of commands",
                    sc.ctx
                )));
            }
        };
        let mut commands = Vec::new();
        for (j, c) in cmds.iter().enumerate() {
            let Value::Mapping(m) = c else {
                return Err(usage(format!(
                    "{}: commands[{j}]: expected `- name: {{...}}`",
                    sc.ctx
                )));
            };
            for (k, v) in m {
                let name = k.as_str().unwrap_or_default().to_string();
                let cc = sc.child(v, format!("{}: commands[{j}].{name}", sc.ctx))?;
                commands.push(command_from_config(family, &name, &cc, otfad)?);
            }
        }
        if commands.is_empty() {
            return Err(usage(format!("{}: commands: the list is empty", sc.ctx)));
        }
        let flags = sc.u32_or("flags", u32::from(SPSDK_SECTION_FLAGS))?;
        out.push(Section {
            uid: sc.u32_or("uid", i as u32)?,
            flags: u16::try_from(flags)
                .map_err(|_| usage(format!("{}: flags: does not fit 16 bits", sc.ctx)))?,
            hmac_count: sc.u32_or("hmacCount", 1)?,
            commands,
        });
    }
    Ok(out)
}

/// A memory id as SPSDK's `mem_opt`/`load_opt`: a number, a number in text, or a legacy
/// name; absent, 0 or empty = 0.
fn mem_opt(c: &Config, key: &str) -> Result<u32> {
    let legacy = [
        ("internal", 0),
        ("qspi", 1),
        ("fuse", 4),
        ("ifr", 4),
        ("semcnor", 8),
        ("flexspinor", 9),
        ("semcnand", 256),
        ("spinand", 257),
        ("spieeprom", 272),
        ("i2ceeprom", 273),
        ("sdcard", 288),
        ("mmccard", 289),
    ];
    match c.get(key) {
        None => Ok(0),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(0),
        Some(Value::String(s)) if parse_number(s).is_err() => legacy
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, v)| *v)
            .ok_or_else(|| usage(format!("{}: {key}: unknown memory '{s}'", c.ctx))),
        Some(_) => c.u32_req(key),
    }
}

/// `int(s, 16)` of Python: hex with or without `0x`, `_` allowed, surrounding blanks.
fn py_hex(text: &str) -> std::result::Result<u128, String> {
    let t = text.trim().to_ascii_lowercase().replace('_', "");
    let t = t.strip_prefix("0x").unwrap_or(&t);
    if t.is_empty() {
        return Err(format!("'{text}' is not a hex number"));
    }
    u128::from_str_radix(t, 16).map_err(|_| format!("'{text}' is not a hex number"))
}

/// The 32-bit FILL word SPSDK makes of a pattern: its big-endian bytes (1, 2 or 4 by bit
/// length; 3 become 4) replicated to 4 bytes.
pub fn fill_word(pattern: u64) -> std::result::Result<u32, String> {
    let bits = 64 - pattern.leading_zeros();
    let width = match bits.div_ceil(8) {
        0 | 1 => 1,
        2 => 2,
        3 | 4 => 4,
        _ => return Err(format!("0x{pattern:X}: a pattern is 1, 2 or 4 bytes")),
    };
    Ok(match width {
        1 => (pattern as u32 & 0xFF) * 0x0101_0101,
        2 => (pattern as u32 & 0xFFFF) * 0x0001_0001,
        _ => pattern as u32,
    })
}

fn swap32(v: u32) -> u32 {
    v.swap_bytes()
}

/// programFuses / load of memory 4: SPSDK's `_prog`.
fn prog_from_config(c: &Config, mem_key: &str) -> Result<Command> {
    let index = c.u32_req("address")?;
    let mem = if c.has(mem_key) {
        mem_opt(c, mem_key)?
    } else {
        4
    };
    let mem_id = u8::try_from(mem).map_err(|_| {
        usage(format!(
            "{}: {mem_key}: memory {mem} (0..255 for PROG)",
            c.ctx
        ))
    })?;
    if c.has("word1") {
        return Ok(Command::Prog {
            index,
            mem_id,
            word1: c.u32_req("word1")?,
            word2: c.u32("word2")?,
        });
    }
    let (word1, word2) = if let Some(v) = c.get("values") {
        let text = match v {
            // A YAML number is its value (as text it would be read as hex).
            Value::Number(_) => format!("{:x}", c.int("values")?.unwrap_or(0)),
            _ => c.str("values").unwrap_or_default(),
        };
        let value = py_hex(&text).map_err(|e| usage(format!("{}: values: {e}", c.ctx)))?;
        let bytes = (128 - value.leading_zeros()).div_ceil(8).max(1);
        if bytes <= 4 {
            (swap32(value as u32), 0)
        } else if bytes <= 8 {
            (swap32((value >> 32) as u32), swap32(value as u32))
        } else {
            return Err(usage(format!(
                "{}: values: programming takes 4 or 8 bytes",
                c.ctx
            )));
        }
    } else if c.has("pattern") {
        let p = c.int("pattern")?.unwrap_or(0);
        let w = u32::try_from(p)
            .map_err(|_| usage(format!("{}: pattern: word 1 is 4 bytes", c.ctx)))?;
        (w, 0)
    } else {
        return Err(usage(format!("{}: values or pattern is required", c.ctx)));
    };
    Ok(Command::Prog {
        index,
        mem_id,
        word1,
        // SPSDK: 8-byte programming when word 2 is not zero.
        word2: (word2 != 0).then_some(word2),
    })
}

/// LOAD values: comma-separated words, each hex (SPSDK `int(s, 16)`), little-endian.
fn load_values(c: &Config) -> Result<Vec<u8>> {
    let text = match c.get("values") {
        Some(Value::Number(_)) => format!("{:x}", c.int("values")?.unwrap_or(0)),
        _ => c.str("values").unwrap_or_default(),
    };
    let mut out = Vec::new();
    for part in text.split(',') {
        let v = py_hex(part).map_err(|e| usage(format!("{}: values: {e}", c.ctx)))?;
        let w = u32::try_from(v).map_err(|_| {
            usage(format!(
                "{}: values: '{}' does not fit 32 bits",
                c.ctx,
                part.trim()
            ))
        })?;
        out.extend_from_slice(&w.to_le_bytes());
    }
    Ok(out)
}

fn hex_bytes(c: &Config, key: &str) -> Result<Vec<u8>> {
    let t = c.str(key).unwrap_or_default();
    from_hex(&t).map_err(|e| usage(format!("{}: {key}: {e}", c.ctx)))
}

/// One command from its config mapping (`otfad`: the key blobs `keywrap` and `encrypt` use).
pub fn command_from_config(
    family: &ImageFamily,
    name: &str,
    c: &Config,
    otfad: &Otfad,
) -> Result<Command> {
    let extension = matches!(name, "call" | "reset" | "nop");
    if !extension && !supported_commands(family).iter().any(|n| n == name) {
        let known = [
            "erase",
            "load",
            "enable",
            "fill",
            "jump",
            "version_check",
            "keystore_to_nv",
            "keystore_from_nv",
            "programFuses",
            "keywrap",
            "encrypt",
        ];
        return Err(usage(if known.contains(&name) {
            format!(
                "{}: command '{name}' is not supported by the {} SB2.1 loader (supported: {})",
                c.ctx,
                family.name,
                supported_commands(family).join(", ")
            )
        } else {
            format!("{}: unknown SB2.1 command '{name}'", c.ctx)
        }));
    }
    let known: &[&str] = match name {
        "erase" => &["address", "length", "flags", "mem_opt"],
        "load" => &[
            "address",
            "load_opt",
            "file",
            "values",
            "pattern",
            "data",
            "padding",
            "exactLength",
        ],
        "enable" => &["address", "mem_opt", "size"],
        "fill" => &["address", "pattern", "length", "patternWord"],
        "jump" => &["address", "spreg", "argument"],
        "call" => &["address", "argument"],
        "version_check" => &["ver_type", "fw_version"],
        "keystore_to_nv" | "keystore_from_nv" => &["address", "mem_opt"],
        "programFuses" => &["address", "values", "pattern", "load_opt", "word1", "word2"],
        "keywrap" => &["keyblob_id", "address", "values", "zeroFill"],
        "encrypt" => &["keyblob_id", "address", "file", "values", "data"],
        _ => &[],
    };
    c.warn_unknown(known);
    Ok(match name {
        "erase" => {
            let flags = c.u32_or("flags", 0)?;
            if flags > 0xF {
                return Err(usage(format!(
                    "{}: flags: 0x{flags:X} (bit 0 erase all, bit 1 erase all unsecure)",
                    c.ctx
                )));
            }
            Command::Erase {
                address: c.u32_req("address")?,
                length: c.u32_or("length", 0)?,
                mem_id: mem_opt(c, "mem_opt")?,
                erase_flags: flags as u16,
            }
        }
        "load" => {
            let mem_id = mem_opt(c, "load_opt")?;
            let address = c.u32_req("address")?;
            let data = if c.has("data") {
                hex_bytes(c, "data")?
            } else if let Some((_, d)) = c.read_file("file")? {
                d
            } else if c.has("values") {
                if mem_id == 4 {
                    return prog_from_config(c, "load_opt");
                }
                load_values(c)?
            } else if c.has("pattern") && mem_id == 4 {
                return prog_from_config(c, "load_opt");
            } else {
                return Err(usage(format!(
                    "{}: one of file, values (or pattern with load_opt 4) is required",
                    c.ctx
                )));
            };
            let padding = if c.has("padding") {
                hex_bytes(c, "padding")?
            } else {
                Vec::new()
            };
            Command::Load {
                address,
                mem_id,
                data,
                padding,
                count_padded: !c.bool_or("exactLength", false)?,
            }
        }
        "enable" => Command::MemEnable {
            address: c.u32_req("address")?,
            size: c.u32_or("size", 4)?,
            mem_id: mem_opt(c, "mem_opt")?,
        },
        "fill" => {
            let pattern = if c.has("patternWord") {
                c.u32_req("patternWord")?
            } else {
                let p = c
                    .int("pattern")?
                    .ok_or_else(|| usage(format!("{}: pattern is required", c.ctx)))?;
                fill_word(p).map_err(|e| usage(format!("{}: pattern: {e}", c.ctx)))?
            };
            let length = c.u32_or("length", 4)?;
            if length % 4 != 0 {
                return Err(usage(format!(
                    "{}: length: {length} is not a multiple of 4",
                    c.ctx
                )));
            }
            Command::Fill {
                address: c.u32_req("address")?,
                length,
                pattern,
            }
        }
        "jump" => Command::Jump {
            address: c.u32_req("address")?,
            argument: c.u32_or("argument", 0)?,
            stack_pointer: c.u32("spreg")?,
        },
        "call" => Command::Call {
            address: c.u32_req("address")?,
            argument: c.u32_or("argument", 0)?,
        },
        "reset" => Command::Reset,
        "nop" => Command::Nop,
        "version_check" => {
            let ver_type = c.u32_req("ver_type")?;
            if ver_type > 1 {
                return Err(usage(format!(
                    "{}: ver_type: {ver_type} (0 secure, 1 non-secure)",
                    c.ctx
                )));
            }
            Command::VersionCheck {
                ver_type,
                version: c.u32_req("fw_version")?,
            }
        }
        "keystore_to_nv" | "keystore_from_nv" => {
            let m = c.u32_req("mem_opt")?;
            let controller = u8::try_from(m).map_err(|_| {
                usage(format!(
                    "{}: mem_opt: memory {m} (a controller id 0..255)",
                    c.ctx
                ))
            })?;
            let address = c.u32_req("address")?;
            if name == "keystore_to_nv" {
                Command::KeystoreToNv {
                    controller,
                    address,
                }
            } else {
                Command::KeystoreFromNv {
                    controller,
                    address,
                }
            }
        }
        "programFuses" => prog_from_config(c, "load_opt")?,
        "keywrap" => otfad.keywrap(c)?,
        "encrypt" => otfad.encrypt(c)?,
        other => return Err(usage(format!("{}: unknown SB2.1 command '{other}'", c.ctx))),
    })
}

// --- OTFAD key blobs (RT5xx/6xx): `keyblobs`, `keywrap`, `encrypt` -----------------------

/// One `keyblobs` entry: the context of its first region (the only one SPSDK writes) and
/// whether `encrypt` swaps bytes.
#[derive(Debug, Clone)]
struct KeyBlobDef {
    id: u64,
    blob: KeyBlob,
    byte_swap: bool,
}

/// The config's OTFAD key blobs and how `keywrap` and `encrypt` use them.
#[derive(Debug, Clone)]
pub struct Otfad {
    blobs: Vec<KeyBlobDef>,
    /// The zero-fill word of a key blob whose `keywrap` gives no `zeroFill` (None: random,
    /// as SPSDK).
    zero_fill: Option<[u8; 4]>,
    /// The counter of an encrypted image.
    counter: CounterMode,
}

/// A hex key of `len` bytes; messages never show the value.
fn hex_key(c: &Config, key: &str, len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let e = |why: String| usage(format!("{}: {key}: {why}", c.ctx));
    if let Some(Value::Number(_)) = c.get(key) {
        return Err(e(format!(
            "a YAML number; write the {} hex digits as a quoted string",
            2 * len
        )));
    }
    let text = Zeroizing::new(c.str_req(key)?);
    let bytes = Zeroizing::new(
        from_hex(&text).map_err(|_| e(format!("not hex ({} hex digits expected)", 2 * len)))?,
    );
    if bytes.len() != len {
        return Err(e(format!(
            "{} bytes, expected {len} ({} hex digits)",
            bytes.len(),
            2 * len
        )));
    }
    Ok(bytes)
}

/// One `keyblob_content` region: its context and `byte_swap`.
fn key_blob_region(c: &Config) -> Result<(KeyBlob, bool)> {
    c.warn_unknown(&["start", "end", "key", "counter", "byte_swap", "noByteSwap"]);
    if c.has("noByteSwap") {
        tracing::warn!(
            "{}: noByteSwap is not used (SPSDK ignores it too; `byte_swap: true` swaps)",
            c.ctx
        );
    }
    let region = Region::new(c.u32_req("start")?, c.u32_req("end")?).map_err(|e| {
        let key = if matches!(e, OtfadError::StartAlignment(_)) {
            "start"
        } else {
            "end"
        };
        usage(format!("{}: {key}: {e}", c.ctx))
    })?;
    let key = hex_key(c, "key", otfad::KEY_LEN)?;
    let counter = hex_key(c, "counter", otfad::COUNTER_LEN)?;
    let blob =
        KeyBlob::new(&key, &counter, region).map_err(|e| usage(format!("{}: {e}", c.ctx)))?;
    Ok((blob, c.bool_or("byte_swap", false)?))
}

/// The `keyblobs` list: ids unique, regions 1 KB granular and disjoint (over all regions of
/// all key blobs).
fn keyblobs_from_config(family: &ImageFamily, cfg: &Config) -> Result<Vec<KeyBlobDef>> {
    let Some(v) = cfg.get("keyblobs") else {
        return Ok(Vec::new());
    };
    if !family.sb21.as_ref().is_some_and(|s| s.keyblobs) {
        return Err(usage(format!(
            "{}: keyblobs: {} takes no OTFAD key blobs",
            cfg.ctx, family.name
        )));
    }
    let Value::Sequence(list) = v else {
        return Err(usage(format!("{}: keyblobs: expected a list", cfg.ctx)));
    };
    let mut out: Vec<(usize, KeyBlobDef)> = Vec::new();
    let mut regions: Vec<(String, Region)> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let kc = cfg.child(item, format!("{}: keyblobs[{i}]", cfg.ctx))?;
        kc.warn_unknown(&["keyblob_id", "keyblob_content"]);
        let id = kc
            .int("keyblob_id")?
            .ok_or_else(|| usage(format!("{}: keyblob_id: required key is missing", kc.ctx)))?;
        if let Some((j, _)) = out.iter().find(|(_, b)| b.id == id) {
            return Err(usage(format!(
                "{}: keyblob_id: {id} is also the id of keyblobs[{j}]",
                kc.ctx
            )));
        }
        let content = match kc.get("keyblob_content") {
            Some(Value::Sequence(s)) if !s.is_empty() => s,
            _ => {
                return Err(usage(format!(
                    "{}: keyblob_content: expected a list of regions {{start, end, key, counter}}",
                    kc.ctx
                )));
            }
        };
        if content.len() > 1 {
            tracing::warn!(
                "{}: keyblob_content: only the first of {} regions is written by keywrap and used by encrypt (as SPSDK)",
                kc.ctx,
                content.len()
            );
        }
        let mut first = None;
        for (j, r) in content.iter().enumerate() {
            let name = format!("keyblobs[{i}].keyblob_content[{j}]");
            let rc = kc.child(r, format!("{}: {name}", cfg.ctx))?;
            let (blob, byte_swap) = key_blob_region(&rc)?;
            if let Some((other, o)) = regions.iter().find(|(_, o)| o.overlaps(&blob.region)) {
                return Err(usage(format!(
                    "{}: region {} overlaps {other} ({o})",
                    rc.ctx, blob.region
                )));
            }
            regions.push((name, blob.region));
            first.get_or_insert(KeyBlobDef {
                id,
                blob,
                byte_swap,
            });
        }
        out.extend(first.map(|b| (i, b)));
    }
    Ok(out.into_iter().map(|(_, b)| b).collect())
}

impl Otfad {
    fn blob(&self, c: &Config) -> Result<&KeyBlobDef> {
        let id = c
            .int("keyblob_id")?
            .ok_or_else(|| usage(format!("{}: keyblob_id: required key is missing", c.ctx)))?;
        self.blobs.iter().find(|b| b.id == id).ok_or_else(|| {
            let ids: Vec<String> = self.blobs.iter().map(|b| b.id.to_string()).collect();
            usage(if ids.is_empty() {
                format!(
                    "{}: keyblob_id: no key blob {id} (the config has no keyblobs)",
                    c.ctx
                )
            } else {
                format!(
                    "{}: keyblob_id: no key blob {id} in keyblobs (ids: {})",
                    c.ctx,
                    ids.join(", ")
                )
            })
        })
    }

    /// `keywrap {keyblob_id, address, values: KEK}`: a LOAD of the 64-byte key blob wrapped
    /// with the 16-byte OTFAD KEK.
    fn keywrap(&self, c: &Config) -> Result<Command> {
        let def = self.blob(c)?;
        let address = c.u32_req("address")?;
        let kek = hex_key(c, "values", otfad::KEK_LEN)?;
        let mut blob = def.blob.clone();
        blob.zero_fill = match hex_option::<4>(c, "zeroFill")? {
            Some(z) => z,
            None => self.zero_fill.unwrap_or_else(otfad::random_zero_fill),
        };
        let data = blob
            .wrap(&kek)
            .map_err(|e| usage(format!("{}: {e}", c.ctx)))?;
        Ok(Command::Load {
            address,
            mem_id: 0,
            data: data.to_vec(),
            padding: Vec::new(),
            count_padded: true,
        })
    }

    /// `encrypt {keyblob_id, address, file | values | data}`: a LOAD of the data, zero-padded
    /// to 512 bytes and encrypted with the key blob.
    fn encrypt(&self, c: &Config) -> Result<Command> {
        let def = self.blob(c)?;
        let address = c.u32_req("address")?;
        let data = if c.has("data") {
            hex_bytes(c, "data")?
        } else if let Some((_, d)) = c.read_file("file")? {
            d
        } else if c.has("values") {
            load_values(c)?
        } else {
            return Err(usage(format!(
                "{}: one of file, values or data is required",
                c.ctx
            )));
        };
        if data.is_empty() {
            return Err(usage(format!("{}: the data to encrypt is empty", c.ctx)));
        }
        if address % otfad::BLOCK as u32 != 0 {
            return Err(usage(format!(
                "{}: address: 0x{address:08X} is not a multiple of 16 (OTFAD encrypts 16-byte blocks)",
                c.ctx
            )));
        }
        let r = def.blob.region;
        let len = data.len().div_ceil(otfad::IMAGE_ALIGN) * otfad::IMAGE_ALIGN;
        let last = u64::from(address) + len as u64 - 1;
        let from = def.blob.counter_address(address, self.counter);
        if !r.contains(address) {
            tracing::warn!(
                "{}: 0x{address:08X} is outside key blob {}'s region {r}: encrypted to run at 0x{from:08X} (a FlexSPI remap, as SPSDK)",
                c.ctx,
                def.id
            );
        } else if last > u64::from(r.end()) {
            tracing::warn!(
                "{}: the image (to 0x{last:08X}) runs past key blob {}'s region {r}: the engine does not decrypt the rest",
                c.ctx,
                def.id
            );
        }
        if r.contains(address) && from != address {
            tracing::warn!(
                "{}: --spsdk-compat: encrypted with the counter of 0x{from:08X} (SPSDK), not of its address 0x{address:08X}: the engine will not decrypt it there",
                c.ctx
            );
        }
        let data = def
            .blob
            .encrypt_image(address, &data, def.byte_swap, self.counter)
            .map_err(|e| usage(format!("{}: {e}", c.ctx)))?;
        Ok(Command::Load {
            address,
            mem_id: 0,
            data,
            padding: Vec::new(),
            count_padded: true,
        })
    }
}

/// `sbgen sb21 export`.
pub fn export(a: &ExportArgs<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let (cfg, bd) = load_config(a.config, a.spsdk_compat)?;
    if bd && (a.certs.is_empty() || a.root_certs.is_empty()) {
        return Err(usage(format!(
            "{}: a BD file needs the certificate block from -S (chain) and -R (roots)",
            a.config.display()
        )));
    }
    let i = load_inputs(&cfg, a)?;
    let builder = Sb21Builder {
        kek: &i.kek,
        signer: i.signer.as_ref(),
        cert_block: i.cert_block.clone(),
        flags: i.flags,
        product_version: i.product_version,
        component_version: i.component_version,
        build_number: i.build_number,
        timestamp: i.timestamp,
        nonce: i.nonce,
        keys: i.keys.clone(),
        header_padding: i.header_padding,
        block_counts: i.block_counts,
        sections: i.sections.clone(),
    };
    let bytes = builder
        .build()
        .map_err(|e| usage(format!("{}: {e}", cfg.ctx)))?;
    let target: PathBuf = match a.output {
        Some(p) => p.to_path_buf(),
        None => cfg.path("containerOutputFile").ok_or_else(|| {
            usage(format!(
                "{}: containerOutputFile is missing (or give -o)",
                cfg.ctx
            ))
        })?,
    };
    output::write_file(&target, &bytes)?;
    let rkth = i.cert_block.rkth();
    if let Some(p) = &i.rkth_out {
        output::write_file(p, &rkth)?;
    }
    let line = format!("RKTH: {}\n", to_hex(&rkth));
    if output::is_stdout(&target) {
        eprint!("{line}");
    } else {
        output::print(out, &line)?;
        output::print(
            out,
            &format!(
                "Success. (Secure binary 2.1: {} created, {} bytes, {}.)\n",
                target.display(),
                bytes.len(),
                i.family.name
            ),
        )?;
    }
    Ok(())
}

/// Options of `parse` and `verify`.
#[derive(Debug)]
pub struct CheckOptions<'a> {
    /// The file (`-` = stdin).
    pub input: &'a Path,
    /// SBKEK spec.
    pub kek: &'a str,
    /// Expected RKTH.
    pub rkth: Option<Vec<u8>>,
    /// JSON report.
    pub json: bool,
}

struct Report {
    decoded: Decoded,
    info: serde_json::Value,
    text: String,
}

/// `YYYY-MM-DD HH:MM:SS` UTC of Unix seconds.
fn utc(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn describe_header(d: &Decoded) -> (serde_json::Value, String) {
    let h = &d.prologue.header;
    let when = utc(h.timestamp / 1_000_000 + sb21::Y2K_UNIX);
    let mut flags = Vec::new();
    if h.flags & sb21::FLAG_SIGNED != 0 {
        flags.push("signed");
    }
    if h.has_sha() {
        flags.push("SHA-256");
    }
    let json = serde_json::json!({
        "flags": h.flags,
        "image_blocks": h.image_blocks,
        "first_boot_tag_block": h.first_boot_tag_block,
        "first_boot_section_id": h.first_boot_section_id,
        "max_section_mac_count": h.max_section_mac_count,
        "timestamp_us": h.timestamp,
        "timestamp": when,
        "product_version": h.product_version.to_string(),
        "component_version": h.component_version.to_string(),
        "build_number": h.build_number,
        "nonce": to_hex(&h.nonce),
        "padding": to_hex(&h.padding),
        "block_counts": match d.block_counts { BlockCounts::True => "true", BlockCounts::Spsdk => "spsdk" },
    });
    let mut t = String::new();
    let _ = writeln!(
        t,
        "SB2.1: flags 0x{:04X} ({}), {} blocks{}, build number {}, product version {}, component version {}, timestamp {when} UTC",
        h.flags,
        if flags.is_empty() {
            "none".to_string()
        } else {
            flags.join(", ")
        },
        h.image_blocks,
        if d.block_counts == BlockCounts::Spsdk {
            " (SPSDK count: the SHA-256 is not counted)"
        } else {
            ""
        },
        h.build_number,
        h.product_version,
        h.component_version
    );
    let _ = writeln!(
        t,
        "nonce {}, header padding {}",
        to_hex(&h.nonce),
        to_hex(&h.padding)
    );
    (json, t)
}

fn check(o: &CheckOptions<'_>) -> std::result::Result<Report, (Failure, serde_json::Value)> {
    let mut info = serde_json::json!({"file": o.input.display().to_string()});
    let with_err = |e: Failure, info: &serde_json::Value| {
        let mut i = info.clone();
        i["ok"] = false.into();
        i["error"] = e.to_string().into();
        (e, i)
    };
    let data = output::read_input(o.input).map_err(|e| with_err(e, &info))?;
    let kek =
        kek::load_bytes(o.kek, Path::new("."), &[32], "SBKEK").map_err(|e| with_err(e, &info))?;
    info["size"] = data.len().into();
    let d = sb21::decode(&data, &kek, o.rkth.as_deref())
        .map_err(|e| with_err(failed(e.to_string()), &info))?;
    let (hj, mut text) = describe_header(&d);
    info["header"] = hj;
    info["certificate_block"] = certblock::describe_v1(&d.prologue.cert_block);
    info["rkth"] = to_hex(&d.rkth).into();
    let _ = writeln!(
        text,
        "certificate block v1: {}",
        certblock::summary_v1(&d.prologue.cert_block)
    );
    let _ = writeln!(text, "RKTH: {}", to_hex(&d.rkth));
    if o.rkth.is_some() {
        let _ = writeln!(text, "RKTH matches the device's");
    }
    let key = d
        .prologue
        .cert_block
        .signing_key()
        .map(|k| k.key_type().to_string())
        .unwrap_or_default();
    let _ = writeln!(
        text,
        "key blob: unwrapped with the SBKEK; signature: OK ({key}, bytes [0, {})){}",
        d.prologue.signature_offset(),
        if d.prologue.sha.is_some() {
            "; SHA-256 of the sections: OK"
        } else {
            ""
        }
    );
    let mut sections = Vec::new();
    for s in &d.sections {
        let h = &s.header;
        let _ = writeln!(
            text,
            "section {}: uid {}, flags 0x{:04X}, {} blocks, {} HMAC{} at offset 0x{:X}: HMACs OK",
            h.index,
            h.uid,
            h.flags,
            h.blocks,
            h.hmac_count,
            if h.hmac_count == 1 { "" } else { "s" },
            h.offset
        );
        for c in &s.commands {
            let _ = writeln!(text, "  {c}");
        }
        sections.push(serde_json::json!({
            "index": h.index,
            "uid": h.uid,
            "flags": h.flags,
            "blocks": h.blocks,
            "hmac_count": h.hmac_count,
            "offset": h.offset,
            "commands": s.commands.iter().map(|c| serde_json::json!({
                "command": c.to_string(),
                "raw": to_hex(&c.header().encode()),
            })).collect::<Vec<_>>(),
        }));
    }
    info["sections"] = sections.into();
    info["ok"] = true.into();
    Ok(Report {
        decoded: d,
        info,
        text,
    })
}

fn emit(
    o: &CheckOptions<'_>,
    out: &mut dyn std::io::Write,
    r: &std::result::Result<Report, (Failure, serde_json::Value)>,
) -> Result<()> {
    let json = |v: &serde_json::Value| {
        format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default())
    };
    match r {
        Ok(rep) if o.json => output::print(out, &json(&rep.info)),
        Ok(rep) => {
            output::print(out, &rep.text)?;
            output::print(out, "OK\n")
        }
        Err((_, info)) if o.json => output::print(out, &json(info)),
        Err(_) => Ok(()),
    }
}

fn prefix(e: Failure, input: &Path) -> Failure {
    match e {
        Failure::Failed(m) => failed(format!("{}: {m}", input.display())),
        other => other,
    }
}

/// `sbgen sb21 verify`: every check the ROM makes; exit 1 names the first failure.
pub fn verify(o: &CheckOptions<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let r = check(o);
    emit(o, out, &r)?;
    r.map(|_| ()).map_err(|(e, _)| prefix(e, o.input))
}

/// `sbgen sb21 parse`: the checks of verify, every section and command, and with `dir` a
/// config + data files that `sbgen sb21 export` turns back into the same bytes.
pub fn parse(
    o: &CheckOptions<'_>,
    dir: Option<&Path>,
    family: Option<&str>,
    signer: Option<&str>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let family = family.map(sb21_family).transpose()?;
    let r = check(o);
    emit(o, out, &r)?;
    let rep = r.map_err(|(e, _)| prefix(e, o.input))?;
    if let Some(dir) = dir {
        let path = write_config(o, &rep.decoded, dir, family, signer)?;
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

/// YAML lines (`key: value`) for one decoded command, and its config name.
fn command_yaml(c: &Command, dir: &Path, file_name: &str) -> Result<(&'static str, Vec<String>)> {
    let mut l = Vec::new();
    let name = match c {
        Command::Nop => "nop",
        Command::Reset => "reset",
        Command::Erase {
            address,
            length,
            mem_id,
            erase_flags,
        } => {
            l.push(format!("address: 0x{address:X}"));
            l.push(format!("length: 0x{length:X}"));
            if *erase_flags != 0 {
                l.push(format!("flags: {erase_flags}"));
            }
            if *mem_id != 0 {
                l.push(format!("mem_opt: 0x{mem_id:X}"));
            }
            "erase"
        }
        Command::Load {
            address,
            mem_id,
            data,
            padding,
            count_padded,
        } => {
            l.push(format!("address: 0x{address:X}"));
            if *mem_id != 0 {
                l.push(format!("load_opt: 0x{mem_id:X}"));
            }
            if *mem_id != 4 && !data.is_empty() && data.len() <= 32 && data.len() % 4 == 0 {
                let words: Vec<String> = data
                    .chunks_exact(4)
                    .map(|w| format!("0x{:08X}", u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
                    .collect();
                l.push(format!("values: '{}'", words.join(",")));
            } else if data.is_empty() {
                l.push("data: ''".into());
            } else {
                output::write_file(&dir.join(file_name), data)?;
                l.push(format!("file: {file_name}"));
            }
            if !padding.is_empty() {
                l.push(format!("padding: '{}'", to_hex(padding)));
            }
            if !count_padded && data.len() % 16 != 0 {
                l.push("exactLength: true".into());
            }
            "load"
        }
        Command::Fill {
            address,
            length,
            pattern,
        } => {
            l.push(format!("address: 0x{address:X}"));
            let byte = pattern & 0xFF;
            let half = pattern & 0xFFFF;
            let p = [u64::from(byte), u64::from(half), u64::from(*pattern)]
                .into_iter()
                .find(|p| fill_word(*p) == Ok(*pattern));
            match p {
                Some(p) => l.push(format!("pattern: 0x{p:X}")),
                None => l.push(format!("patternWord: 0x{pattern:08X}")),
            }
            if *length != 4 {
                l.push(format!("length: 0x{length:X}"));
            }
            "fill"
        }
        Command::Jump {
            address,
            argument,
            stack_pointer,
        } => {
            l.push(format!("address: 0x{address:X}"));
            if let Some(sp) = stack_pointer {
                l.push(format!("spreg: 0x{sp:X}"));
            }
            l.push(format!("argument: 0x{argument:X}"));
            "jump"
        }
        Command::Call { address, argument } => {
            l.push(format!("address: 0x{address:X}"));
            l.push(format!("argument: 0x{argument:X}"));
            "call"
        }
        Command::MemEnable {
            address,
            size,
            mem_id,
        } => {
            l.push(format!("address: 0x{address:X}"));
            l.push(format!("mem_opt: 0x{mem_id:X}"));
            if *size != 4 {
                l.push(format!("size: {size}"));
            }
            "enable"
        }
        Command::Prog {
            index,
            mem_id,
            word1,
            word2,
        } => {
            l.push(format!("address: 0x{index:X}"));
            if *mem_id != 4 {
                l.push(format!("load_opt: {mem_id}"));
            }
            // SPSDK's `values` form: the bytes as written, 8 of them when word 2 is used;
            // it takes 8 bytes only when the first 4 are not all zero.
            match word2 {
                None => l.push(format!("values: '{:08x}'", swap32(*word1))),
                Some(w2) if *w2 != 0 && *word1 != 0 => l.push(format!(
                    "values: '{:08x}{:08x}'",
                    swap32(*word1),
                    swap32(*w2)
                )),
                Some(w2) => {
                    l.push(format!("word1: 0x{word1:08X}"));
                    l.push(format!("word2: 0x{w2:08X}"));
                }
            }
            "programFuses"
        }
        Command::VersionCheck { ver_type, version } => {
            l.push(format!("ver_type: {ver_type}"));
            l.push(format!("fw_version: {version}"));
            "version_check"
        }
        Command::KeystoreToNv {
            controller,
            address,
        }
        | Command::KeystoreFromNv {
            controller,
            address,
        } => {
            l.push(format!("address: 0x{address:X}"));
            l.push(format!("mem_opt: {controller}"));
            if matches!(c, Command::KeystoreToNv { .. }) {
                "keystore_to_nv"
            } else {
                "keystore_from_nv"
            }
        }
        _ => return Err(failed(format!("a command sbgen cannot write: {c}"))),
    };
    Ok((name, l))
}

fn guess_family(d: &Decoded) -> &'static str {
    let rt = d.sections.iter().flat_map(|s| &s.commands).any(|c| {
        matches!(
            c,
            Command::Prog { .. } | Command::KeystoreToNv { .. } | Command::KeystoreFromNv { .. }
        )
    });
    if rt { "mimxrt595s" } else { "lpc55s69" }
}

fn write_config(
    o: &CheckOptions<'_>,
    d: &Decoded,
    dir: &Path,
    family: Option<&'static ImageFamily>,
    signer: Option<&str>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    let h = &d.prologue.header;
    let family_name = family.map(|f| f.name.as_str()).unwrap_or(guess_family(d));
    // The block with the header's build number: export writes that number into both.
    let mut cb = d.prologue.cert_block.clone();
    cb.build_number = h.build_number;
    output::write_file(&dir.join("cert_block.bin"), &cb.encode(sb21::BLOCK))?;
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# SB2.1 configuration written by `sbgen sb21 parse` from {}.",
        o.input.display()
    );
    let _ = writeln!(
        y,
        "# `sbgen sb21 export -c` this file re-creates it byte for byte with the same signer"
    );
    let _ = writeln!(
        y,
        "# and SBKEK. dek/mac/nonce/timestamp pin the random inputs; keys marked (sbgen) are"
    );
    let _ = writeln!(y, "# sbgen extensions SPSDK does not read.");
    if family.is_none() {
        let _ = writeln!(
            y,
            "# The family is not stored in SB2.1 files: '{family_name}' is a guess (give -f)."
        );
    }
    let _ = writeln!(y, "family: {family_name}");
    let _ = writeln!(y, "revision: latest");
    let _ = writeln!(y, "options:");
    let _ = writeln!(y, "  flags: 0x{:X}", h.flags);
    let _ = writeln!(y, "  buildNumber: {}", h.build_number);
    let _ = writeln!(y, "  productVersion: '{}'", h.product_version);
    let _ = writeln!(y, "  componentVersion: '{}'", h.component_version);
    let _ = writeln!(y, "  secureBinaryVersion: '2.1'");
    match h.unix_timestamp() {
        Some(t) => {
            let _ = writeln!(y, "  timestamp: {t}");
        }
        None => {
            let _ = writeln!(
                y,
                "  timestampUs: {}  # (sbgen) not whole seconds",
                h.timestamp
            );
        }
    }
    let _ = writeln!(y, "  dek: '{}'", to_hex(&d.keys.dek[..]));
    let _ = writeln!(y, "  mac: '{}'", to_hex(&d.keys.mac[..]));
    let _ = writeln!(y, "  nonce: '{}'", to_hex(&h.nonce));
    if h.padding == [0; 8] {
        let _ = writeln!(y, "  zeroPadding: true");
    } else {
        let _ = writeln!(y, "  headerPadding: '{}'  # (sbgen)", to_hex(&h.padding));
    }
    if d.block_counts == BlockCounts::Spsdk {
        let _ = writeln!(
            y,
            "  spsdkBlockCounts: true  # (sbgen) header block counts without the SHA-256, as SPSDK"
        );
    }
    if h.component_version != h.product_version {
        let _ = writeln!(y, "  writeComponentVersion: true  # (sbgen)");
    }
    let signer_text = match signer {
        Some(s) => s.to_string(),
        None => {
            let _ = writeln!(
                y,
                "# The signing key (of the block's last certificate) is not in the file: set it here."
            );
            "type=file;file_path=SET_ME_private_key.pem".to_string()
        }
    };
    let _ = writeln!(y, "signer: {}", yaml_str(&signer_text));
    let _ = writeln!(y, "certBlock: cert_block.bin");
    let p = Path::new(o.kek);
    let kek_ref = if p.is_file() {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    } else {
        // Inline hex on the command line: keep the secret in a 0600 file.
        let k = kek::load_bytes(o.kek, Path::new("."), &[32], "SBKEK")?;
        output::write_secret(&dir.join("sbkek.txt"), to_hex(&k).as_bytes())?;
        "sbkek.txt".into()
    };
    let _ = writeln!(y, "containerKeyBlobEncryptionKey: {}", yaml_str(&kek_ref));
    let stem = o
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let _ = writeln!(
        y,
        "containerOutputFile: {}",
        yaml_str(&format!("{stem}.sb"))
    );
    let _ = writeln!(y, "sections:");
    for (si, s) in d.sections.iter().enumerate() {
        let sh = &s.header;
        let _ = writeln!(y, "  - commands:");
        for (ci, c) in s.commands.iter().enumerate() {
            let (name, lines) =
                command_yaml(c, dir, &format!("section_{si}_load_command_{ci}_data.bin"))?;
            if lines.is_empty() {
                let _ = writeln!(y, "      - {name}: {{}}");
            } else {
                let _ = writeln!(y, "      - {name}:");
                for l in lines {
                    let _ = writeln!(y, "          {l}");
                }
            }
        }
        if sh.uid as usize != si {
            let _ = writeln!(y, "    uid: {}  # (sbgen)", sh.uid);
        }
        if sh.flags != SPSDK_SECTION_FLAGS {
            let _ = writeln!(y, "    flags: 0x{:X}  # (sbgen)", sh.flags);
        }
        if sh.hmac_count != 1 {
            let _ = writeln!(y, "    hmacCount: {}  # (sbgen)", sh.hmac_count);
        }
    }
    let path = dir.join(format!("sb21_{family_name}_config.yaml"));
    // It holds the file's DEK and MAC key: mode 0600, as key files.
    output::write_secret(&path, y.as_bytes())?;
    Ok(path)
}

/// `sbgen sb21 get-template -f FAMILY`.
pub fn template(family: &ImageFamily) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# SB2.1 file for {} (SPSDK `nxpimage sb21` keys; paths are relative to this file).",
        family.name
    );
    let _ = writeln!(y, "family: {}", family.name);
    let _ = writeln!(y, "revision: latest");
    let _ = writeln!(y, "options:");
    let _ = writeln!(
        y,
        "  # 0x8: signed and encrypted; 0x8008 adds a SHA-256 of the sections before the signature."
    );
    let _ = writeln!(y, "  flags: 0x8");
    let _ = writeln!(
        y,
        "  # Header build number: only with -S/-R; from a config the certificate block's"
    );
    let _ = writeln!(y, "  # imageBuildNumber is used (as SPSDK).");
    let _ = writeln!(y, "  buildNumber: 1");
    let _ = writeln!(y, "  # x.y.z, each part 1 to 4 decimal digits (BCD).");
    let _ = writeln!(y, "  productVersion: '1.0.0'");
    let _ = writeln!(
        y,
        "  # Written as the product version (as SPSDK; writeComponentVersion: true to use it)."
    );
    let _ = writeln!(y, "  componentVersion: '1.0.0'");
    let _ = writeln!(y, "  secureBinaryVersion: '2.1'");
    let _ = writeln!(
        y,
        "  # Reproducible files: pin the random inputs (test keys; never reuse DEK/MAC in production)."
    );
    let _ = writeln!(y, "  # timestamp: 1700000000     # Unix seconds");
    let _ = writeln!(y, "  # dek: '<64 hex digits>'");
    let _ = writeln!(y, "  # mac: '<64 hex digits>'");
    let _ = writeln!(y, "  # nonce: '<32 hex digits>'");
    let _ = writeln!(y, "  # zeroPadding: true         # zero header padding");
    let _ = writeln!(
        y,
        "# Signs the file: private key of the certificate block's last certificate."
    );
    let _ = writeln!(y, "signer: type=file;file_path=root_prv_key.pem");
    let _ = writeln!(
        y,
        "# Certificate block v1: a cert-block YAML (`sbgen cert-block get-template -f {}`) or binary.",
        family.name
    );
    let _ = writeln!(y, "certBlock: cert_block.yaml");
    let _ = writeln!(y, "containerOutputFile: my_new.sb");
    let _ = writeln!(
        y,
        "# SBKEK: a file with 64 hex characters or 32 raw bytes, or inline hex."
    );
    let _ = writeln!(y, "containerKeyBlobEncryptionKey: sbkek.txt");
    let _ = writeln!(y, "# RKTH (32 bytes) for the CMPA / OTP.");
    let _ = writeln!(y, "RKTHOutputPath: rkth.bin");
    let otfad = family.sb21.as_ref().is_some_and(|i| i.keyblobs);
    if otfad {
        for l in [
            "# OTFAD key blobs for the keywrap and encrypt commands (one region per blob is used):",
            "# keyblobs:",
            "#   - keyblob_id: 0",
            "#     keyblob_content:",
            "#       - start: 0x08001000        # 1 KiB aligned",
            "#         end: 0x0800FFFF          # ends in 0x3FF",
            "#         key: '<32 hex digits>'   # AES-128 data key",
            "#         counter: '<16 hex digits>'",
            "#         byte_swap: false",
        ] {
            let _ = writeln!(y, "{l}");
        }
    }
    let _ = writeln!(y, "sections:");
    let _ = writeln!(y, "  - commands:");
    for c in supported_commands(family) {
        let body: &[&str] = match c.as_str() {
            "erase" => &["address: 0x0", "length: 0x10000", "# mem_opt: 0x9"],
            "load" => &[
                "address: 0x0",
                "file: my_application.bin",
                "# load_opt: 0x9",
            ],
            "enable" => &["address: 0x20002000", "mem_opt: 0x9"],
            "fill" => &[
                "address: 0x20001000",
                "pattern: 0xA5  # replicated to 4 bytes",
            ],
            "jump" => &["address: 0xC1", "spreg: 0x20010000", "argument: 0x0"],
            "version_check" => &["ver_type: 0  # 0 secure, 1 non-secure", "fw_version: 1"],
            "keystore_to_nv" | "keystore_from_nv" => &["address: 0x08000800", "mem_opt: 0x9"],
            "programFuses" => &["address: 0x60", "values: 'aabbccdd'  # 4 or 8 bytes"],
            _ => continue,
        };
        let _ = writeln!(y, "      - {c}:");
        for l in body {
            let _ = writeln!(y, "          {l}");
        }
    }
    if otfad {
        for l in [
            "      # The key blob wrapped with an OTFAD KEK, loaded where the ROM looks for it:",
            "      # - keywrap:",
            "      #     keyblob_id: 0",
            "      #     address: 0x08000000",
            "      #     values: '<32 hex digits: the OTFAD KEK>'",
            "      # Data encrypted with the key blob's key and counter, then loaded:",
            "      # - encrypt:",
            "      #     keyblob_id: 0",
            "      #     address: 0x08001000",
            "      #     file: my_application.bin",
        ] {
            let _ = writeln!(y, "{l}");
        }
    }
    y
}

/// Options of `sb21 convert`.
#[derive(Debug)]
pub struct ConvertArgs<'a> {
    /// The BD file.
    pub command: &'a Path,
    /// The YAML to write (a `cert_block.yaml` goes next to it).
    pub output: &'a Path,
    /// Family (else the BD options' family).
    pub family: Option<&'a str>,
    /// SPSDK's BD quirks.
    pub spsdk_compat: bool,
    /// `-k`.
    pub kek: Option<&'a str>,
    /// `-s`.
    pub signer: Option<&'a str>,
    /// `-S`.
    pub certs: &'a [PathBuf],
    /// `-R`.
    pub root_certs: &'a [PathBuf],
    /// `-h`.
    pub rkth_out: Option<&'a Path>,
}

fn abs(p: &Path) -> String {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// `sbgen sb21 convert`: a BD file to an SB2.1 YAML config and a `cert_block.yaml` (from
/// `-R` roots and the `-S` chain), as `nxpimage sb21 convert` does.
pub fn convert(a: &ConvertArgs<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let text = std::fs::read_to_string(a.command).map_err(|e| Failure::io(a.command, &e))?;
    let mut map: Mapping = crate::bd::bd_to_config(&text, a.command, a.spsdk_compat)?;
    let family_name = match a.family {
        Some(f) => f.to_string(),
        None => map
            .get("family")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                usage(format!(
                    "{}: no family in the BD options: give -f",
                    a.command.display()
                ))
            })?,
    };
    let family = sb21_family(&family_name)?;
    map.insert("family".into(), family.name.clone().into());
    map.insert("revision".into(), "latest".into());
    let build_number = match map.get_mut("options") {
        Some(Value::Mapping(o)) => o.remove("buildNumber"),
        _ => None,
    };
    // Certificate block config: -R roots, the root that is the first -S, the rest of -S as
    // its chain (SPSDK's convert drops the chain; sbgen keeps it).
    let mut cb = Mapping::new();
    cb.insert("family".into(), family.name.clone().into());
    cb.insert(
        "imageBuildNumber".into(),
        build_number.unwrap_or_else(|| Value::from(1)),
    );
    let first = a
        .certs
        .first()
        .map(|p| std::fs::read(p).map_err(|e| Failure::io(p, &e)));
    let first = first.transpose()?;
    let mut used = None;
    for (i, r) in a.root_certs.iter().take(4).enumerate() {
        cb.insert(format!("rootCertificate{i}File").into(), abs(r).into());
        let bytes = std::fs::read(r).map_err(|e| Failure::io(r, &e))?;
        if first.as_ref() == Some(&bytes) || a.certs.first().is_some_and(|c| c == r) {
            used = Some(i);
        }
    }
    if let Some(u) = used {
        cb.insert("mainRootCertId".into(), (u as u64).into());
        for (k, c) in a.certs.iter().skip(1).enumerate() {
            cb.insert(format!("chainCertificate{u}File{k}").into(), abs(c).into());
        }
    }
    let out_dir = a.output.parent().unwrap_or(Path::new(""));
    let cb_path = out_dir.join("cert_block.yaml");
    if let Some(s) = a.signer {
        let spec = if s.contains('=') {
            s.to_string()
        } else {
            abs(Path::new(s))
        };
        map.insert("signer".into(), spec.into());
    }
    if let Some(k) = a.kek {
        let p = Path::new(k);
        let v = if p.is_file() { abs(p) } else { k.to_string() };
        map.insert("containerKeyBlobEncryptionKey".into(), v.into());
    }
    if let Some(h) = a.rkth_out {
        map.insert("RKTHOutputPath".into(), h.display().to_string().into());
    }
    let stem = a
        .output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    map.insert("containerOutputFile".into(), format!("{stem}.sb").into());
    map.insert("certBlock".into(), "cert_block.yaml".into());
    let head = format!(
        "# SB2.1 configuration converted by `sbgen sb21 convert` from {}.\n",
        a.command.display()
    );
    let body = serde_yaml::to_string(&Value::Mapping(map))
        .map_err(|e| failed(format!("cannot write YAML: {e}")))?;
    output::write_file(a.output, format!("{head}{body}").as_bytes())?;
    let cb_text = serde_yaml::to_string(&Value::Mapping(cb))
        .map_err(|e| failed(format!("cannot write YAML: {e}")))?;
    output::write_file(
        &cb_path,
        format!(
            "# Certificate block v1 for {}.\n{cb_text}",
            a.output.display()
        )
        .as_bytes(),
    )?;
    output::print(
        out,
        &format!(
            "Converted YAML configuration written to {} (certificate block: {})\n",
            a.output.display(),
            cb_path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_patterns_replicate_by_width() {
        assert_eq!(fill_word(0xA5), Ok(0xA5A5_A5A5));
        assert_eq!(fill_word(0), Ok(0));
        assert_eq!(fill_word(0x1234), Ok(0x1234_1234));
        assert_eq!(fill_word(0x100), Ok(0x0100_0100));
        assert_eq!(fill_word(0x12_3456), Ok(0x0012_3456));
        assert_eq!(fill_word(0x1234_5678), Ok(0x1234_5678));
        assert!(fill_word(0x1_0000_0000).is_err());
    }

    #[test]
    fn python_hex_and_utc() {
        assert_eq!(py_hex("1234"), Ok(0x1234));
        assert_eq!(py_hex(" 0x55667788"), Ok(0x5566_7788));
        assert!(py_hex("").is_err());
        assert!(py_hex("zz").is_err());
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(utc(946_684_800), "2000-01-01 00:00:00");
    }
}
