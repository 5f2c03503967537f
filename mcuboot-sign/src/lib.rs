//! `mcuboot-sign`: imgtool 2.5.0's command line over [`provkit::mcuboot`].
//!
//! [`run`] executes a parsed command line and writes stdout to `out`; failures come back
//! as a [`Failure`] with the exit code and the one-line message for stderr.

pub mod cli;

use cli::{Cli, Cmd};
use provkit::crypto::{KeyType, PrivateKey, PublicKey, Signer, signer_from_spec};
use provkit::mcuboot::build::{
    Dependency, EncryptOptions, HmacSha, KeyFormat, SecurityCounter, ShaChoice, SignOptions,
    Signing, VectorToSign,
};
use provkit::mcuboot::image::Endian;
use provkit::mcuboot::{ImageVersion, McubootError, dumpinfo, keyfmt, util, verify};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Exit code: verification failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage or input error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: an output could not be written.
pub const EXIT_IO: u8 = 3;

/// A failure with its exit code.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// One line for stderr (empty: already reported on stdout).
    pub message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    fn io(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_IO,
            message: message.into(),
        }
    }
}

impl From<McubootError> for Failure {
    fn from(e: McubootError) -> Failure {
        Failure::usage(e.to_string())
    }
}

/// Logging on stderr (see [`provkit::cli::init_logging`]).
pub fn init_tracing(verbose: u8) {
    provkit::cli::init_logging(verbose);
}

fn stdout_err(e: std::io::Error) -> Failure {
    Failure::io(format!("cannot write to stdout: {e}"))
}

/// Runs a command line.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), Failure> {
    match cli.command {
        Cmd::Sign(a) => sign(*a, out),
        Cmd::Verify(a) => verify_cmd(a, out),
        Cmd::Keygen(a) => keygen(a),
        Cmd::Getpub(a) => getpub(a, out),
        Cmd::Getpubhash(a) => getpubhash(a, out),
        Cmd::Getpriv(a) => getpriv(a, out),
        Cmd::Keyinfo(a) => keyinfo(a, out),
        Cmd::Dumpinfo(a) => dumpinfo_cmd(a, out),
        Cmd::Version => writeln!(out, "2.5.0").map_err(stdout_err),
        Cmd::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "mcuboot-sign", out);
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- inputs

/// Python's `int(text, 0)` (decimal, 0x, 0o, 0b, `_` separators; no leading zeros in
/// decimal), as imgtool's integer options read it.
pub fn python_int(text: &str) -> Option<i128> {
    let t = text.trim();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0x") {
        (r.to_string(), 16)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (r.to_string(), 8)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r.to_string(), 2)
    } else {
        (lower.clone(), 10)
    };
    // Underscores only between digits (after a prefix one may lead).
    let d = digits
        .strip_prefix('_')
        .filter(|_| radix != 10)
        .unwrap_or(&digits);
    if d.is_empty() || d.starts_with('_') || d.ends_with('_') || d.contains("__") {
        return None;
    }
    let clean: String = d.chars().filter(|c| *c != '_').collect();
    if radix == 10 && clean.len() > 1 && clean.starts_with('0') && clean.chars().any(|c| c != '0') {
        return None;
    }
    let v = i128::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn int_option(name: &str, text: &str, max: u64) -> Result<u64, Failure> {
    let v = python_int(text).ok_or_else(|| {
        Failure::usage(format!(
            "Invalid value for {name}: {text} is not a valid integer. Please use code literals \
             prefixed with 0b/0B, 0o/0O, or 0x/0X as necessary."
        ))
    })?;
    u64::try_from(v).ok().filter(|v| *v <= max).ok_or_else(|| {
        Failure::usage(format!(
            "Invalid value for {name}: {text} is out of range (0..=0x{max:x})"
        ))
    })
}

fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Failure::usage(format!("cannot read {what} from stdin: {e}")))?;
        return Ok(b);
    }
    std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Failure::usage(format!("{what} not found: {}", path.display()))
        } else {
            Failure::usage(format!("cannot read {what} {}: {e}", path.display()))
        }
    })
}

fn is_hex(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("hex"))
}

/// Reads an image file as imgtool does (`.hex` flattened with 0xFF gaps).
fn read_image_file(path: &Path) -> Result<(Option<u64>, Vec<u8>), Failure> {
    let bytes = read_file(path, "Image file")?;
    if is_hex(path) {
        let (base, data) = provkit::mcuboot::hex::read_hex(&path.display().to_string(), &bytes)
            .map_err(|e| Failure::usage(e.to_string()))?;
        Ok((Some(base), data))
    } else {
        Ok((None, bytes))
    }
}

/// A loaded key file: private, or public only.
enum LoadedKey {
    Private(PrivateKey),
    Public(PublicKey),
}

impl LoadedKey {
    fn public(&self) -> PublicKey {
        match self {
            LoadedKey::Private(k) => k.public_key(),
            LoadedKey::Public(k) => k.clone(),
        }
    }
}

fn load_key(path: &Path) -> Result<LoadedKey, Failure> {
    let bytes = zeroize::Zeroizing::new(read_file(path, "key file")?);
    let name = path.display().to_string();
    match PrivateKey::from_bytes(&bytes, &name) {
        Ok(k) => Ok(LoadedKey::Private(k)),
        Err(private_err) => match PublicKey::from_bytes(&bytes, &name) {
            Ok(k) => Ok(LoadedKey::Public(k)),
            Err(_) => Err(Failure::usage(private_err.to_string())),
        },
    }
}

fn write_output(path: &Path, bytes: &[u8], out: &mut dyn Write) -> Result<(), Failure> {
    if path.as_os_str() == "-" {
        return out.write_all(bytes).map_err(stdout_err);
    }
    std::fs::write(path, bytes)
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))
}

// ---------------------------------------------------------------- sign

/// imgtool's `-d` parser: image ids from `\((\d+)`, versions from `,\s*([0-9.+]+)\)`.
pub fn parse_dependencies(text: &str) -> Result<Vec<Dependency>, Failure> {
    let b = text.as_bytes();
    let mut ids = Vec::new();
    for (i, _) in text.match_indices('(') {
        let digits: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if !digits.is_empty() {
            ids.push(digits);
        }
    }
    let mut versions = Vec::new();
    for (i, _) in text.match_indices(',') {
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let start = j;
        while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.' || b[j] == b'+') {
            j += 1;
        }
        if j > start && b.get(j) == Some(&b')') {
            versions.push(&text[start..j]);
        }
    }
    let bad = |m: String| Failure::usage(format!("Invalid value for '-d' / '--dependencies': {m}"));
    if ids.is_empty() {
        return Err(bad(format!("Image dependency format is invalid: {text}")));
    }
    if ids.len() != versions.len() {
        return Err(bad(format!(
            "There's a mismatch between the number of dependency images and versions in: {text}"
        )));
    }
    ids.iter()
        .zip(versions)
        .map(|(id, v)| {
            let image_id = id
                .parse::<u8>()
                .map_err(|_| bad(format!("image id {id} does not fit in a byte (0..=255)")))?;
            let version = ImageVersion::parse(v).map_err(|e| bad(e.to_string()))?;
            Ok(Dependency { image_id, version })
        })
        .collect()
}

fn sign(a: cli::SignArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let version = ImageVersion::parse(&a.version)
        .map_err(|e| Failure::usage(format!("Invalid value for '-v' / '--version': {e}")))?;
    let header_size = int_option(
        "'-H' / '--header-size'",
        &a.header_size,
        u64::from(u32::MAX),
    )?;
    if header_size < 32 {
        return Err(Failure::usage(
            "Invalid value for '-H' / '--header-size': Minimum value for -H/--header-size is 32",
        ));
    }
    let slot_size = int_option("'-S' / '--slot-size'", &a.slot_size, u64::MAX >> 1)?;
    let security_counter = match &a.security_counter {
        None => None,
        Some(s) if s.eq_ignore_ascii_case("auto") => Some(SecurityCounter::Auto),
        Some(s) => Some(SecurityCounter::Value(int_option(
            "'-s' / '--security-counter'",
            s,
            u64::from(u32::MAX),
        )? as u32)),
    };
    let dependencies = match &a.dependencies {
        Some(d) => parse_dependencies(d)?,
        None => Vec::new(),
    };
    let opt_u32 = |name: &str, v: &Option<String>| -> Result<Option<u32>, Failure> {
        v.as_deref()
            .map(|t| int_option(name, t, u64::from(u32::MAX)).map(|v| v as u32))
            .transpose()
    };
    let load_addr = opt_u32("'-L' / '--load-addr'", &a.load_addr)?;
    let rom_fixed = opt_u32("'-F' / '--rom-fixed'", &a.rom_fixed)?;
    let hex_addr = a
        .hex_addr
        .as_deref()
        .map(|t| int_option("'-x' / '--hex-addr'", t, u64::from(u32::MAX)))
        .transpose()?;
    if a.compression != cli::Compression::Disabled {
        return Err(Failure::usage(
            "--compression: LZMA2 compression is not supported by mcuboot-sign (NXP's MCUboot \
             port has no decompression; imgtool's output depends on Python's liblzma); use \
             --compression disabled",
        ));
    }
    let align: u32 = a.align.parse().unwrap_or(1);
    let mut opts = SignOptions::new(version, header_size as u32, slot_size);
    opts.pad_header = a.pad_header;
    opts.pad = a.pad || a.confirm || a.test;
    opts.confirm = a.confirm;
    opts.test = a.test;
    opts.align = align;
    opts.max_align = a.max_align.as_deref().and_then(|m| m.parse().ok());
    opts.max_sectors = a.max_sectors;
    opts.overwrite_only = a.overwrite_only;
    opts.endian = match a.endian {
        cli::EndianArg::Little => Endian::Little,
        cli::EndianArg::Big => Endian::Big,
    };
    opts.load_addr = load_addr;
    opts.rom_fixed = rom_fixed;
    opts.erased_val = match a.erased_val.as_deref() {
        Some("0") => 0,
        _ => 0xff,
    };
    opts.security_counter = security_counter;
    opts.dependencies = dependencies;
    opts.boot_record = a.boot_record.clone();
    opts.vid = a.vid.clone();
    opts.cid = a.cid.clone();
    opts.non_bootable = a.non_bootable;
    opts.sha = match a.sha.as_str() {
        "256" => ShaChoice::Sha256,
        "384" => ShaChoice::Sha384,
        "512" => ShaChoice::Sha512,
        _ => ShaChoice::Auto,
    };
    opts.pure = a.pure;
    opts.key_format = match a.public_key_format {
        cli::PubKeyFormat::Hash => KeyFormat::Hash,
        cli::PubKeyFormat::Full => KeyFormat::Full,
    };
    opts.pad_sig = a.pad_sig;
    opts.vector_to_sign = a.vector_to_sign.map(|v| match v {
        cli::VectorArg::Payload => VectorToSign::Payload,
        cli::VectorArg::Digest => VectorToSign::Digest,
    });
    if load_addr.is_some_and(|l| l != 0) && rom_fixed.is_some_and(|r| r != 0) {
        return Err(McubootError::RomFixedAndLoadAddr.into());
    }

    // Input.
    let inpath = PathBuf::from(&a.infile);
    if inpath.as_os_str() != "-" && !inpath.exists() {
        return Err(Failure::usage(format!(
            "Input file not found: {}",
            a.infile
        )));
    }
    let in_bytes = read_file(&inpath, "Input file")?;
    let input = if is_hex(&inpath) {
        let (base, data) = provkit::mcuboot::hex::read_hex(&a.infile, &in_bytes)
            .map_err(|e| Failure::usage(e.to_string()))?;
        provkit::mcuboot::Input {
            data,
            base_addr: Some(base),
        }
    } else {
        provkit::mcuboot::Input {
            data: in_bytes,
            base_addr: None,
        }
    };

    // Keys.
    let signer: Option<Box<dyn Signer>> = match &a.key {
        None => None,
        Some(spec) => {
            let p = Path::new(spec);
            if !spec.contains('=') {
                if let LoadedKey::Public(_) = load_key(p)? {
                    return Err(McubootError::PublicOnlyKey.into());
                }
            }
            Some(
                signer_from_spec(spec, Path::new("."))
                    .map_err(|e| Failure::usage(e.to_string()))?,
            )
        }
    };
    if let Some(s) = &signer {
        let kind = s
            .public_key()
            .map_err(|e| Failure::usage(e.to_string()))?
            .key_type();
        provkit::mcuboot::build::SigAlg::for_key(kind)?;
    }
    let enc_key = match &a.encrypt {
        Some(p) => Some(load_key(p)?.public()),
        None => None,
    };
    if let Some(ek) = &enc_key {
        opts.encrypt = Some(EncryptOptions {
            key: ek.clone(),
            aes256: a.encrypt_keylen == "256",
            clear: a.clear,
            hmac_sha: match a.hmac_sha.as_str() {
                "512" => HmacSha::Sha512,
                "256" => HmacSha::Sha256,
                _ => HmacSha::Auto,
            },
            save_enctlv: a.save_enctlv,
        });
    }

    // Custom TLVs: --custom-tlv first, then --custom-tlv-file (imgtool's order).
    let mut custom: Vec<(u16, Vec<u8>)> = Vec::new();
    let mut seen: Vec<i128> = Vec::new();
    let pairs = a
        .custom_tlv
        .chunks(2)
        .map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default(), false))
        .chain(
            a.custom_tlv_file
                .chunks(2)
                .map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default(), true)),
        )
        .collect::<Vec<_>>();
    for (tag_text, value, is_file) in pairs {
        let tag = python_int(&tag_text)
            .ok_or_else(|| Failure::from(McubootError::CustomTlvTag(tag_text.clone())))?;
        if seen.contains(&tag) {
            return Err(McubootError::CustomTlvDuplicate(tag as u16).into());
        }
        seen.push(tag);
        let tag16 = u16::try_from(tag).ok();
        if let Some(t) = tag16 {
            if provkit::mcuboot::TlvKind::PREDEFINED.contains(&provkit::mcuboot::TlvKind(t)) {
                return Err(McubootError::CustomTlvConflict(t).into());
            }
        }
        let bytes = if is_file {
            read_file(Path::new(&value), "custom TLV file")?
        } else if let Some(h) = value.strip_prefix("0x") {
            if h.len() % 2 != 0 {
                return Err(McubootError::CustomTlvOdd.into());
            }
            provkit::codec::from_hex(h)
                .map_err(|_| Failure::from(McubootError::CustomTlvHex(value.clone())))?
        } else {
            value.into_bytes()
        };
        match tag16.filter(|t| (0xa0..=0xfffe).contains(t)) {
            Some(t) => custom.push((t, bytes)),
            None => {
                return Err(
                    McubootError::CustomTlvRange(u32::try_from(tag).unwrap_or(u32::MAX)).into(),
                );
            }
        }
    }
    opts.custom_tlvs = custom;

    // Fixed signature.
    let signing_fixed = match &a.fix_sig {
        Some(path) => {
            let text = read_file(path, "fixed signature file")?;
            let signature = util::base64_decode(&text)
                .map_err(|e| Failure::usage(format!("--fix-sig {}: {e}", path.display())))?;
            let pk_path = a
                .fix_sig_pubkey
                .as_ref()
                .ok_or_else(|| Failure::from(McubootError::FixSigNoPubkey))?;
            let public_key = load_key(pk_path)?.public();
            if signer.is_some() {
                return Err(McubootError::FixSigAndKey.into());
            }
            Some(Signing::Fixed {
                signature,
                public_key,
            })
        }
        None => None,
    };
    let signing = match (&signing_fixed, &signer) {
        (Some(_), _) => signing_fixed.unwrap_or(Signing::None),
        (None, Some(s)) => Signing::Key(s.as_ref()),
        (None, None) => Signing::None,
    };
    if a.sig_out.is_some() && matches!(signing, Signing::None) {
        return Err(Failure::usage(
            "--sig-out needs a signature: give -k (or --fix-sig)",
        ));
    }

    let img = provkit::mcuboot::sign(&input, &opts, &signing, &mut rand_core::OsRng)?;
    for n in &img.notes {
        writeln!(out, "{n}").map_err(stdout_err)?;
    }
    let outpath = PathBuf::from(&a.outfile);
    if is_hex(&outpath) {
        let text = img.to_hex(hex_addr)?;
        write_output(&outpath, text.as_bytes(), out)?;
    } else {
        write_output(&outpath, &img.to_bin(), out)?;
    }
    if let (Some(path), Some(sig)) = (&a.sig_out, &img.signature) {
        std::fs::write(path, util::base64_encode(sig))
            .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- verify

fn verify_cmd(a: cli::VerifyArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let key = match &a.key {
        Some(p) => Some(load_key(p)?),
        None => None,
    };
    let (_, mut bytes) = read_image_file(&a.imgfile)?;
    if let Some(dk) = &a.decrypt_key {
        let device = match load_key(dk)? {
            LoadedKey::Private(k) => k,
            LoadedKey::Public(_) => {
                return Err(Failure::usage(format!(
                    "--decrypt-key {}: decryption needs the private key",
                    dk.display()
                )));
            }
        };
        let encrypted = provkit::mcuboot::McubootImage::parse(&bytes)
            .map(|i| i.header.is_encrypted())
            .unwrap_or(false);
        if encrypted {
            let plain = {
                let mut p = bytes.clone();
                provkit::mcuboot::enc::decrypt_image(&mut p, &device)
                    .map_err(|e| Failure::usage(format!("--decrypt-key: {e}")))?;
                p
            };
            // A `--clear` image carries the key TLV but a plaintext body: keep whichever
            // form has the right hash.
            let probe =
                |b: &[u8]| !matches!(verify::verify(b, None), verify::VerifyOutcome::InvalidHash);
            if probe(&plain) || !probe(&bytes) {
                bytes = plain;
            }
        }
    }
    let pk = key
        .as_ref()
        .map(|k| (k.public(), matches!(k, LoadedKey::Private(_))));
    let outcome = verify::verify(&bytes, pk.as_ref().map(|(k, p)| (k, *p)));
    if let Some(lines) = outcome.success_lines() {
        out.write_all(lines.as_bytes()).map_err(stdout_err)?;
        return Ok(());
    }
    let msg = outcome.failure_message().unwrap_or_default();
    writeln!(out, "{msg}").map_err(stdout_err)?;
    Err(Failure {
        code: EXIT_FAILED,
        message: String::new(),
    })
}

// ---------------------------------------------------------------- keys

fn keygen(a: cli::KeygenArgs) -> Result<(), Failure> {
    if a.password {
        return Err(Failure::usage(
            "-p/--password: password-protected keys are not supported; the key is written \
             unencrypted with mode 0600 when -p is left out",
        ));
    }
    let kind = match a.kind {
        cli::KeygenType::Rsa2048 => KeyType::Rsa(2048),
        cli::KeygenType::Rsa3072 => KeyType::Rsa(3072),
        cli::KeygenType::EcdsaP256 => KeyType::P256,
        cli::KeygenType::EcdsaP384 => KeyType::P384,
        cli::KeygenType::Ed25519 => KeyType::Ed25519,
        cli::KeygenType::X25519 => KeyType::X25519,
    };
    let key = PrivateKey::generate(kind).map_err(|e| Failure::usage(e.to_string()))?;
    key.write_pem(&a.key)
        .map_err(|e| Failure::io(e.to_string()))
}

fn emit(output: Option<&Path>, bytes: &[u8], out: &mut dyn Write) -> Result<(), Failure> {
    match output {
        Some(p) => std::fs::write(p, bytes)
            .map_err(|e| Failure::io(format!("cannot write {}: {e}", p.display()))),
        None => out.write_all(bytes).map_err(stdout_err),
    }
}

fn check_suffix(s: &str) -> Result<(), Failure> {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "Invalid value for '--name-suffix': '{s}' must contain only [A-Za-z0-9_]; it is \
             appended directly to a C/Rust identifier."
        )))
    }
}

fn getpub(a: cli::GetpubArgs, out: &mut dyn Write) -> Result<(), Failure> {
    check_suffix(&a.name_suffix)?;
    if a.encoding.is_some() && a.lang.is_some() {
        return Err(Failure::usage(
            "Please use only one of `--encoding/-e` or `--lang/-l`",
        ));
    }
    let enc = match (a.encoding.as_deref(), a.lang.as_deref()) {
        (Some(e), _) => e.to_string(),
        (None, Some("rust")) => "lang-rust".into(),
        _ => "lang-c".into(),
    };
    if !a.name_suffix.is_empty() && (enc == "pem" || enc == "raw") {
        return Err(Failure::usage(
            "`--name-suffix` is only meaningful for lang-c / lang-rust encodings",
        ));
    }
    let pk = load_key(&a.key)?.public();
    let der = keyfmt::public_der(&pk).map_err(|e| Failure::usage(e.to_string()))?;
    let short = keyfmt::shortname(pk.key_type());
    let bytes = match enc.as_str() {
        "lang-rust" => keyfmt::rust_array(
            &format!(
                "{}_PUB_KEY{}",
                short.to_ascii_uppercase(),
                a.name_suffix.to_ascii_uppercase()
            ),
            &der,
        )
        .into_bytes(),
        "pem" => pk
            .to_spki_pem()
            .map_err(|e| Failure::usage(e.to_string()))?
            .into_bytes(),
        "raw" => der,
        _ => keyfmt::c_array(&format!("{short}_pub_key{}", a.name_suffix), &der).into_bytes(),
    };
    emit(a.output.as_deref(), &bytes, out)
}

fn getpubhash(a: cli::GetpubhashArgs, out: &mut dyn Write) -> Result<(), Failure> {
    check_suffix(&a.name_suffix)?;
    let enc = a.encoding.as_deref().unwrap_or("lang-c");
    if !a.name_suffix.is_empty() && enc == "raw" {
        return Err(Failure::usage(
            "`--name-suffix` is only meaningful for the lang-c encoding",
        ));
    }
    let pk = load_key(&a.key)?.public();
    let der = keyfmt::public_der(&pk).map_err(|e| Failure::usage(e.to_string()))?;
    let hash = provkit::crypto::sha256(&der);
    let short = keyfmt::shortname(pk.key_type());
    let bytes = if enc == "raw" {
        hash.to_vec()
    } else {
        keyfmt::c_array(&format!("{short}_pub_key_hash{}", a.name_suffix), &hash).into_bytes()
    };
    emit(a.output.as_deref(), &bytes, out)
}

fn getpriv(a: cli::GetprivArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let key = match load_key(&a.key)? {
        LoadedKey::Private(k) => k,
        LoadedKey::Public(k) => {
            return Err(Failure::usage(format!(
                "Operation get_private_bytes requires private key ({} is a {} public key)",
                a.key.display(),
                k.key_type()
            )));
        }
    };
    let bytes = keyfmt::private_bytes(&key, a.minimal, a.format.as_deref())
        .map_err(|e| Failure::usage(e.to_string()))?;
    let text = zeroize::Zeroizing::new(keyfmt::c_array("enc_priv_key", &bytes));
    out.write_all(text.as_bytes()).map_err(stdout_err)
}

fn keyinfo(a: cli::KeyinfoArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let kind = match load_key(&a.key)? {
        LoadedKey::Private(_) => "private",
        LoadedKey::Public(_) => "public",
    };
    writeln!(out, "{kind}").map_err(stdout_err)?;
    match a.require.as_deref() {
        Some(r) if r != kind => Err(Failure::usage(format!(
            "Key {} is {kind}, but {r} was required.",
            a.key.display()
        ))),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------- dumpinfo

fn dumpinfo_cmd(a: cli::DumpinfoArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let (_, bytes) = read_image_file(&a.imgfile).map_err(|f| {
        if f.message.starts_with("Image file not found") {
            Failure::usage(format!("Image file not found ({})", a.imgfile.display()))
        } else {
            f
        }
    })?;
    let name = a
        .imgfile
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = dumpinfo::read(&name, &bytes).map_err(Failure::usage)?;
    if let Some(w) = dumpinfo::warning(&info) {
        out.write_all(w.as_bytes()).map_err(stdout_err)?;
    }
    let format = a.format.clone().unwrap_or_else(|| {
        if a.outfile.is_some() {
            "yaml".into()
        } else {
            "human".into()
        }
    });
    let text = match format.as_str() {
        "json" => {
            let mut j = dumpinfo::json(&info);
            if a.outfile.is_none() {
                j.push('\n');
            }
            j
        }
        "yaml" => dumpinfo::yaml(&info),
        _ => dumpinfo::human(&info),
    };
    emit(a.outfile.as_deref(), text.as_bytes(), out)
}
