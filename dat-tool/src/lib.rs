//! `dat-tool`: debug authentication for NXP MCUs, as the SEC tool's workflow describes it.
//!
//! The field technician makes a debug key and a credential request (`key gen`, `request`);
//! the OEM turns the request into a debug credential signed by a root-of-trust key
//! (`dc export --request`, or SPSDK's DC YAML with `dc export -c`); the technician opens
//! the debug port (`auth`). Everything format- and protocol-related lives in
//! `provkit::dat`; this crate is the command line.

pub mod cli;
pub mod files;
pub mod probe;
#[cfg(feature = "probe")]
mod probe_rs_backend;

use anyhow::anyhow;
use cli::{Cli, Cmd, DcCmd, KeyCmd, KeyKind, SocuAs};
use provkit::codec::{parse_u32, to_hex};
use provkit::crypto::{KeyType, PrivateKey, Signer, signer_from_spec};
use provkit::dat::mailbox::{self, Mailbox, MailboxError, MailboxOptions};
use provkit::dat::socu::{self, Layout};
use provkit::dat::{Dac, Dar, DatFamily, DebugCredential, ProtocolVersion, Report, Severity};
use std::fmt::Display;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// A failure and its exit code: 1 the operation failed, 2 usage or input, 3 no device or
/// transport.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl Failure {
    /// Verification or authentication failed (exit 1).
    pub fn failed(error: anyhow::Error) -> Failure {
        Failure { code: 1, error }
    }
    /// Usage or input error (exit 2).
    pub fn input(error: anyhow::Error) -> Failure {
        Failure { code: 2, error }
    }
    /// No device, transport error or timeout (exit 3).
    pub fn transport(error: anyhow::Error) -> Failure {
        Failure { code: 3, error }
    }
    /// The exit code.
    pub fn code(&self) -> u8 {
        self.code
    }
    /// One line for stderr.
    pub fn message(&self) -> String {
        format!("{:#}", self.error).replace('\n', " ")
    }
}

/// Adds context and an exit code to errors.
pub trait ResultExt<T> {
    /// As an input error.
    fn or_input(self, ctx: impl Display) -> Result<T, Failure>;
    /// As a failed operation.
    fn or_failed(self, ctx: impl Display) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for Result<T, E> {
    fn or_input(self, ctx: impl Display) -> Result<T, Failure> {
        self.map_err(|e| Failure::input(e.into().context(ctx.to_string())))
    }
    fn or_failed(self, ctx: impl Display) -> Result<T, Failure> {
        self.map_err(|e| Failure::failed(e.into().context(ctx.to_string())))
    }
}

/// Logging on stderr (see [`provkit::cli::init_logging`]).
pub fn init_logging(verbose: u8) {
    provkit::cli::init_logging(verbose);
}

fn out_err(e: std::io::Error) -> Failure {
    Failure::input(anyhow!("cannot write to stdout: {e}"))
}

macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).map_err(out_err)?
    };
}

/// Runs one command.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), Failure> {
    match cli.command {
        Cmd::Key(KeyCmd::Gen {
            kind,
            output,
            force,
        }) => key_gen(kind, &output, force, out),
        Cmd::Request(a) => request(a, out),
        Cmd::Dc(DcCmd::Export(a)) => dc_export(a, out),
        Cmd::Dc(DcCmd::Verify(a)) => dc_verify(a, out),
        Cmd::Dc(DcCmd::Show { dc, json }) => dc_show(&dc, json, out),
        Cmd::Auth(a) => auth(a, out),
        Cmd::Dac(a) => dac_cmd(a, out),
        Cmd::Dar(a) => dar_cmd(a, out),
        Cmd::SendDar(a) => send_dar(a, out),
        Cmd::Socu(a) => socu_cmd(a, out),
        Cmd::Probes { json } => probes(json, out),
        Cmd::Families { json } => families(json, out),
        Cmd::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "dat-tool", out);
            Ok(())
        }
    }
}

fn family(name: &str, revision: Option<&str>) -> Result<DatFamily, Failure> {
    DatFamily::lookup(name, revision).or_input("--family")
}

fn number(text: &str, what: &str) -> Result<u32, Failure> {
    parse_u32(text).map_err(|e| Failure::input(anyhow!("{what}: {e}")))
}

fn beacon(text: &str) -> Result<u32, Failure> {
    let b = number(text, "--beacon")?;
    if b > 0xFFFF {
        return Err(Failure::input(anyhow!(
            "--beacon: 0x{b:X} does not fit in 16 bits"
        )));
    }
    Ok(b)
}

fn uuid_text(u: &[u8; 16]) -> String {
    to_hex(u).to_uppercase()
}

// ---- key gen ----

fn key_gen(kind: KeyKind, output: &Path, force: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let kt = match kind {
        KeyKind::Rsa2048 => KeyType::Rsa(2048),
        KeyKind::Rsa4096 => KeyType::Rsa(4096),
        KeyKind::P256 => KeyType::P256,
        KeyKind::P384 => KeyType::P384,
        KeyKind::P521 => KeyType::P521,
    };
    let pub_path = files::pub_path(output);
    for p in [output, pub_path.as_path()] {
        if p.exists() && !force {
            return Err(Failure::input(anyhow!(
                "{} exists (use --force to replace it)",
                p.display()
            )));
        }
    }
    let key = PrivateKey::generate(kt).or_input("key generation")?;
    key.write_pem(output).or_input("private key")?;
    let pem = key.public_key().to_spki_pem().or_input("public key")?;
    files::write(&pub_path, pem.as_bytes())?;
    say!(out, "Private key: {} ({kt}, mode 0600)", output.display());
    say!(out, "Public key:  {}", pub_path.display());
    Ok(())
}

// ---- request (technician) ----

fn read_uuid_over_isp(spec: &str) -> Result<[u8; 16], Failure> {
    use provkit::mboot::{McuBoot, PropertyTag, SessionOptions, UartLink, UartOptions};
    let (path, baud) = match spec.rsplit_once(',') {
        Some((p, b)) => (p, number(b, "--uuid-from baud rate")?),
        None => (spec, 57600),
    };
    let stream = provkit::transport::serial::SerialStream::open(path, baud)
        .map_err(|e| Failure::transport(anyhow!("--uuid-from {path}: {e}")))?;
    let link = UartLink::new(
        stream,
        UartOptions {
            baud,
            ..UartOptions::default()
        },
    );
    let mut mb = McuBoot::new(link, SessionOptions::default());
    let words = mb
        .get_property(PropertyTag::UNIQUE_DEVICE_IDENT, 0)
        .map_err(|e| {
            let err = anyhow!("--uuid-from {path}: reading the UUID (property 18): {e}");
            if matches!(e, provkit::mboot::Error::Status { .. }) {
                Failure::failed(err)
            } else {
                Failure::transport(err)
            }
        })?;
    provkit::dat::uuid_from_words(&words).ok_or_else(|| {
        Failure::failed(anyhow!(
            "--uuid-from {path}: the device answered {} UUID words, 4 expected",
            words.len()
        ))
    })
}

fn request(a: cli::RequestArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let fam = family(&a.family, a.revision.as_deref())?;
    let dck = files::load_pub(&a.key)?;
    let version = ProtocolVersion::for_key(dck.key_type()).ok_or_else(|| {
        Failure::input(anyhow!(
            "--key: a {} key cannot be a debug key (RSA-2048/4096, P-256, P-384, P-521)",
            dck.key_type()
        ))
    })?;
    fam.check_key(dck.key_type())
        .or_input("--key: the debug key must be of the type of the device's root keys")?;
    let uuid = match (&a.uuid, &a.uuid_from) {
        (Some(u), _) => provkit::dat::parse_uuid(u).or_input("--uuid")?,
        (None, Some(port)) => read_uuid_over_isp(port)?,
        (None, None) => [0u8; 16],
    };
    let note = a.note.clone().unwrap_or_default();
    let req = files::RequestFile {
        family: fam.name.clone(),
        revision: fam.revision.clone(),
        uuid: uuid_text(&uuid),
        dck: "dck.pub".into(),
        key_type: dck.key_type().to_string(),
        protocol: version.to_string(),
        note: note.clone(),
    };
    let yaml = format!(
        "# Debug credential request (dat-tool request): send this zip to the OEM.\n{}",
        serde_yaml::to_string(&req).or_input("request")?
    );
    let pem = dck.to_spki_pem().or_input("--key")?;
    files::write_zip(
        &a.output,
        &[
            ("request.yaml", yaml.as_bytes()),
            ("dck.pub", pem.as_bytes()),
            ("note.txt", note.as_bytes()),
        ],
    )?;
    say!(
        out,
        "Request for {} {}: {} debug key (protocol {version}), UUID {}",
        fam.name,
        fam.revision,
        dck.key_type(),
        if uuid == [0; 16] {
            "any device".to_string()
        } else {
            uuid_text(&uuid)
        }
    );
    say!(out, "Written {}", a.output.display());
    Ok(())
}

// ---- dc export ----

fn dc_export(a: cli::DcExportArgs, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(cfg) = &a.config {
        let (dc, fam) = files::build_from_config(cfg)?;
        let rep = dc.verify(Some(&fam), None);
        if let Some(e) = rep.first_error() {
            return Err(Failure::failed(anyhow!(
                "the credential does not verify: {}: {}",
                e.name,
                e.detail
            )));
        }
        files::write(&a.output, &dc.encode().or_input("encoding")?)?;
        say!(out, "RKTH: {}", to_hex(&dc.rkth()));
        say!(out, "Creating Debug credential file succeeded");
        return Ok(());
    }
    let req_path = a
        .request
        .as_deref()
        .ok_or_else(|| Failure::input(anyhow!("give -c CONFIG or --request REQUEST.zip")))?;
    let bytes = files::read(req_path)?;
    if !files::is_zip(&bytes) {
        return Err(Failure::input(anyhow!(
            "{}: not a request zip",
            req_path.display()
        )));
    }
    let members = files::read_zip(req_path, &bytes)?;
    let get = |name: &str| -> Result<&Vec<u8>, Failure> {
        members
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d)
            .ok_or_else(|| {
                Failure::input(anyhow!("{}: no {name} in the request", req_path.display()))
            })
    };
    let req: files::RequestFile = serde_yaml::from_slice(get("request.yaml")?)
        .map_err(|e| Failure::input(anyhow!("{}: request.yaml: {e}", req_path.display())))?;
    let dck = provkit::crypto::PublicKey::from_bytes(get(&req.dck)?, &req.dck)
        .or_input(format!("{}", req_path.display()))?;
    let fam = family(&req.family, Some(&req.revision))?;
    let uuid = provkit::dat::parse_uuid(&req.uuid).or_input("request.yaml")?;
    let spec = a.rot_key.as_deref().unwrap_or_default();
    let signer = signer_from_spec(spec, Path::new(".")).or_input("--rot-key")?;
    let signer_pub = signer.public_key().or_input("--rot-key")?;
    let rot_keys = if a.rot_pub.is_empty() {
        vec![signer_pub.clone()]
    } else {
        a.rot_pub
            .iter()
            .map(|p| files::load_pub(p))
            .collect::<Result<Vec<_>, _>>()?
    };
    let rot_id = rot_keys
        .iter()
        .position(|k| *k == signer_pub)
        .ok_or_else(|| Failure::input(anyhow!("--rot-key is none of the --rot-pub keys")))?;
    fam.check_key(signer_pub.key_type()).or_input("--rot-key")?;
    let params = provkit::dat::DcParams {
        socc: fam.socc,
        uuid,
        cc_socu: number(&a.socu, "--socu")?,
        cc_vu: number(&a.vu, "--vu")?,
        cc_beacon: beacon(&a.beacon)?,
        rot_keys,
        rot_id,
        dck,
    };
    let dc = DebugCredential::build(&params, signer.as_ref()).or_input("debug credential")?;
    let stem = a
        .output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "debug_auth_cert".into());
    let note = a.note.clone().unwrap_or_default();
    let dc_bytes = dc.encode().or_input("encoding")?;
    files::write_zip(
        &a.output,
        &[
            (&format!("{stem}.dc"), &dc_bytes),
            (&format!("{stem}.txt"), note.as_bytes()),
        ],
    )?;
    say!(
        out,
        "Request: {} {}, {} debug key, UUID {}",
        fam.name,
        fam.revision,
        dc.dck_pub.key_type(),
        if uuid == [0; 16] {
            "any device".into()
        } else {
            uuid_text(&uuid)
        }
    );
    if !req.note.is_empty() {
        say!(out, "Technician's note: {}", req.note);
    }
    say!(
        out,
        "DC: protocol {}, SOCU 0x{:08X}, VU 0x{:08X}, beacon 0x{:04X}, root key {rot_id} of {}",
        dc.version,
        dc.cc_socu,
        dc.cc_vu,
        dc.cc_beacon,
        params.rot_keys.len()
    );
    say!(out, "RKTH: {}", to_hex(&dc.rkth()));
    say!(
        out,
        "Written {} ({stem}.dc, {stem}.txt)",
        a.output.display()
    );
    Ok(())
}

// ---- dc verify / show ----

fn print_report(rep: &Report, out: &mut dyn Write) -> Result<(), Failure> {
    for c in &rep.checks {
        say!(
            out,
            "{:<8} {:<22} {}",
            c.severity.to_string(),
            c.name,
            c.detail
        );
    }
    Ok(())
}

fn report_json(rep: &Report) -> serde_json::Value {
    serde_json::json!({
        "ok": !rep.has_errors(),
        "checks": rep.checks.iter().map(|c| serde_json::json!({
            "check": c.name, "result": c.severity.to_string(), "detail": c.detail
        })).collect::<Vec<_>>(),
    })
}

fn hex_or_file(text: &str, what: &str) -> Result<Vec<u8>, Failure> {
    let p = Path::new(text);
    let raw = if p.exists() {
        let b = files::read(p)?;
        match std::str::from_utf8(&b) {
            Ok(t) if provkit::codec::from_hex(t).is_ok() => t.to_string(),
            _ => return Ok(b),
        }
    } else {
        text.to_string()
    };
    provkit::codec::from_hex(&raw).map_err(|e| Failure::input(anyhow!("{what}: {e}")))
}

fn dc_verify(a: cli::DcVerifyArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let loaded = files::load_dc(&a.dc)?;
    let fam = match &a.family {
        Some(f) => Some(family(f, a.revision.as_deref())?),
        None => None,
    };
    let rkth = match &a.rkth {
        Some(t) => Some(hex_or_file(t, "--rkth")?),
        None => None,
    };
    let rep = loaded.dc.verify(fam.as_ref(), rkth.as_deref());
    if a.json {
        say!(out, "{}", report_json(&rep));
    } else {
        print_report(&rep, out)?;
    }
    match rep.first_error() {
        Some(e) => Err(Failure::failed(anyhow!(
            "{}: verification failed: {}: {}",
            a.dc.display(),
            e.name,
            e.detail
        ))),
        None => Ok(()),
    }
}

fn dc_json(dc: &DebugCredential) -> serde_json::Value {
    let (rot_id, count, table) = match &dc.rot_meta {
        provkit::dat::RotMeta::Rsa(_) => (None, dc.rot_meta.hashes().len(), dc.rot_meta.hashes()),
        provkit::dat::RotMeta::Ecc {
            rot_id,
            count,
            table,
        } => (Some(*rot_id), usize::from(*count), table.clone()),
    };
    serde_json::json!({
        "version": dc.version.to_string(),
        "socc": format!("0x{:08X}", dc.socc),
        "families": DatFamily::by_socc(dc.socc),
        "uuid": uuid_text(&dc.uuid),
        "cc_socu": format!("0x{:08X}", dc.cc_socu),
        "cc_vu": format!("0x{:08X}", dc.cc_vu),
        "cc_beacon": format!("0x{:04X}", dc.cc_beacon),
        "rot_key_type": dc.rot_pub.key_type().to_string(),
        "rot_keys": count,
        "rot_id": rot_id,
        "rot_key_hashes": table.iter().map(|h| to_hex(h)).collect::<Vec<_>>(),
        "rkth": to_hex(&dc.rkth()),
        "dck_sha256": to_hex(&provkit::crypto::sha256(&dc.dck_pub.to_spki_der().unwrap_or_default())),
        "length": dc.encoded_len(),
    })
}

fn dc_show(path: &Path, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let loaded = files::load_dc(path)?;
    let dc = &loaded.dc;
    let j = dc_json(dc);
    if json {
        say!(out, "{j}");
        return Ok(());
    }
    let fams = DatFamily::by_socc(dc.socc);
    say!(
        out,
        "Version   : {} ({} keys, {} bytes)",
        dc.version,
        dc.rot_pub.key_type(),
        dc.encoded_len()
    );
    say!(
        out,
        "SOCC      : 0x{:08X}{}",
        dc.socc,
        if fams.is_empty() {
            String::new()
        } else {
            format!(" ({})", fams.join(", "))
        }
    );
    say!(
        out,
        "UUID      : {}{}",
        uuid_text(&dc.uuid),
        if dc.uuid == [0; 16] {
            " (any device)"
        } else {
            ""
        }
    );
    say!(out, "CC_SOCU   : 0x{:08X}", dc.cc_socu);
    // Name the domains when every family of this SOCC has the same SOCU table.
    let tables: Vec<String> = fams
        .iter()
        .filter_map(|f| DatFamily::lookup(f, None).ok().map(|f| f.socu))
        .collect();
    if tables
        .first()
        .is_some_and(|t| tables.iter().all(|x| x == t))
    {
        if let Some(t) = socu::table(&tables[0]) {
            let (names, unknown) = t.names(dc.cc_socu);
            say!(
                out,
                "            {}{}",
                if names.is_empty() {
                    "no debug domains".to_string()
                } else {
                    names.join(" ")
                },
                if unknown != 0 {
                    format!(" (+ unknown bits 0x{unknown:X})")
                } else {
                    String::new()
                }
            );
        }
    }
    say!(out, "CC_VU     : 0x{:08X}", dc.cc_vu);
    say!(out, "CC_BEACON : 0x{:04X}", dc.cc_beacon);
    say!(
        out,
        "Root keys : {}, signed by root key {}",
        j["rot_keys"],
        match dc.rot_slot() {
            Ok(Some(i)) => i.to_string(),
            _ => "(not in the table!)".into(),
        }
    );
    for (i, h) in dc.rot_meta.hashes().iter().enumerate() {
        say!(out, "  RKH[{i}]  : {}", to_hex(h));
    }
    say!(out, "RKTH      : {}", to_hex(&dc.rkth()));
    say!(
        out,
        "DCK       : SHA-256(SPKI) {}",
        j["dck_sha256"].as_str().unwrap_or("")
    );
    if let Some(n) = &loaded.note {
        if !n.is_empty() {
            say!(out, "OEM note  : {n}");
        }
    }
    Ok(())
}

// ---- device side ----

struct Session {
    mb: Mailbox<Box<dyn probe::DebugProbe>>,
    fam: DatFamily,
}

fn mb_failure(e: MailboxError, what: &str) -> Failure {
    let err = anyhow!("{what}: {e}");
    match &e {
        MailboxError::Status { .. } | MailboxError::Length { .. } | MailboxError::BadAck { .. } => {
            Failure::failed(err)
        }
        MailboxError::Dat(_) => Failure::input(err),
        _ => Failure::transport(err),
    }
}

fn open_session(p: &cli::ProbeArgs, reset: bool) -> Result<Session, Failure> {
    let fam = family(&p.family, p.revision.as_deref())?;
    let probe = probe::open(&p.probe, fam.dm_ap).map_err(|e| match e {
        probe::OpenError::Usage(m) => Failure::input(anyhow!("--probe: {m}")),
        probe::OpenError::NotFound(m) => Failure::transport(anyhow!("--probe: {m}")),
    })?;
    tracing::info!("{}: DM-AP at AP {}", probe.describe(), fam.dm_ap);
    let opts = MailboxOptions {
        timeout: Duration::from_millis(p.timeout),
        ..MailboxOptions::default()
    };
    let mb = Mailbox::open(probe, fam.dm_ap, reset, opts)
        .map_err(|e| mb_failure(e, "opening the debug mailbox"))?;
    Ok(Session { mb, fam })
}

fn show_dac(dac: &Dac, out: &mut dyn Write) -> Result<(), Failure> {
    say!(
        out,
        "DAC: protocol {}, SOCC 0x{:08X}, UUID {}",
        dac.version,
        dac.socc,
        uuid_text(&dac.uuid)
    );
    say!(
        out,
        "     RKTH {}, pinned 0x{:08X}, default 0x{:08X}, vendor usage 0x{:08X}",
        to_hex(&dac.rkth),
        dac.cc_soc_pinned,
        dac.cc_soc_default,
        dac.cc_vu
    );
    Ok(())
}

fn load_key(spec: &str) -> Result<Box<dyn Signer>, Failure> {
    signer_from_spec(spec, Path::new(".")).or_input("--key")
}

fn test_address(fam: &DatFamily, given: Option<&str>) -> Result<u32, Failure> {
    if let Some(t) = given {
        return number(t, "--test-address");
    }
    Ok(provkit::family::family(&fam.name)
        .and_then(|f| f.ram.first())
        .map(|w| w.start)
        .unwrap_or(0x2000_0000))
}

fn exit_and_check(
    s: &mut Session,
    addr: u32,
    cc_beacon: Option<u32>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if let Err(e) = s.mb.exit() {
        // SPSDK ignores EXIT errors too: the AHB check decides.
        tracing::warn!("EXIT: {e}");
    }
    let probe = s.mb.access();
    let mut last = None;
    for attempt in 0..5 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(100));
        }
        if let Err(e) = probe.reconnect() {
            last = Some(e.to_string());
            continue;
        }
        match mailbox::ahb_check(probe.as_mut(), addr) {
            Ok(()) => {
                say!(out, "AHB access at 0x{addr:08X}: OK");
                return Ok(());
            }
            Err(e) => last = Some(e.to_string()),
        }
    }
    let hint = match cc_beacon {
        Some(b) if b != 0 => format!(
            " (the credential beacon is 0x{b:04X}: a non-zero credential beacon makes the ROM leave opening debug to the application)"
        ),
        _ => String::new(),
    };
    Err(Failure::failed(anyhow!(
        "the device accepted the response, but AHB access is not granted at 0x{addr:08X}: {}{hint}",
        last.unwrap_or_default()
    )))
}

fn auth(a: cli::AuthArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let fam = family(&a.probe.family, a.probe.revision.as_deref())?;
    let dc = files::load_dc(&a.dc)?.dc;
    let key = load_key(&a.key)?;
    let b = beacon(&a.beacon)?;
    if key.public_key().or_input("--key")? != dc.dck_pub {
        return Err(Failure::input(anyhow!(
            "--key is not the debug key of {} (the DC names another debug credential key)",
            a.dc.display()
        )));
    }
    if !a.force {
        fam.check_key(dc.rot_pub.key_type()).or_input(format!(
            "{} does not fit {}",
            a.dc.display(),
            fam.name
        ))?;
        if dc.socc != fam.socc {
            return Err(Failure::input(anyhow!(
                "{} is for SOCC 0x{:08X}, {} {} has SOCC 0x{:08X}",
                a.dc.display(),
                dc.socc,
                fam.name,
                fam.revision,
                fam.socc
            )));
        }
        dc.verify_signature()
            .or_failed(format!("{}: the credential's signature", a.dc.display()))?;
    }
    let addr = test_address(&fam, a.test_address.as_deref())?;
    let mut s = open_session(&a.probe, !a.no_reset)?;
    let words = s.fam.dac_words(dc.version);
    let dac = s.mb.auth_start(words).map_err(|e| match e {
        MailboxError::Length { got, .. } => Failure::failed(anyhow!(
            "the device sends a {got}-word challenge, a protocol {} credential expects {words}: the device's root keys are of another type",
            dc.version
        )),
        e => mb_failure(e, "DBG_AUTH_START"),
    })?;
    show_dac(&dac, out)?;
    let rep = dac.check_against(&dc, &s.fam);
    for c in rep
        .checks
        .iter()
        .filter(|c| c.severity == Severity::Warning)
    {
        tracing::warn!("{}: {}", c.name, c.detail);
    }
    if let Some(e) = rep.first_error() {
        if a.force {
            tracing::warn!(
                "host check failed ({}: {}); sending anyway (--force)",
                e.name,
                e.detail
            );
        } else {
            return Err(Failure::failed(anyhow!(
                "the challenge does not fit the credential: {}: {}",
                e.name,
                e.detail
            )));
        }
    }
    let dar = Dar::build(&dc, &dac, b, key.as_ref()).or_input("response")?;
    s.mb.auth_response(&dar)
        .map_err(|e| mb_failure(e, "the device rejected the response"))?;
    say!(
        out,
        "DAR: {} bytes accepted (authentication beacon 0x{b:04X})",
        Dar::encoded_len(&dc)
    );
    if a.no_exit {
        say!(
            out,
            "Debug authentication succeeded; staying in the debug mailbox (--no-exit)"
        );
        return Ok(());
    }
    exit_and_check(&mut s, addr, Some(dc.cc_beacon), out)?;
    say!(out, "Debug authentication succeeded");
    Ok(())
}

fn parse_version(t: &str) -> Result<ProtocolVersion, Failure> {
    let v = t.split_once('.').and_then(|(a, b)| {
        Some(ProtocolVersion {
            major: a.parse().ok()?,
            minor: b.parse().ok()?,
        })
    });
    v.filter(|v| v.key_type().is_some())
        .ok_or_else(|| Failure::input(anyhow!("--version {t}: one of 1.0 1.1 2.0 2.1 2.2")))
}

fn dac_cmd(a: cli::DacArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let version = match (&a.dc, &a.version) {
        (Some(p), _) => files::load_dc(p)?.dc.version,
        (None, Some(v)) => parse_version(v)?,
        (None, None) => return Err(Failure::input(anyhow!("give --dc or --version"))),
    };
    let mut s = open_session(&a.probe, !a.no_reset)?;
    let words = s.fam.dac_words(version);
    let dac =
        s.mb.auth_start(words)
            .map_err(|e| mb_failure(e, "DBG_AUTH_START"))?;
    files::write(&a.output, &dac.encode())?;
    show_dac(&dac, out)?;
    say!(out, "Written {}", a.output.display());
    Ok(())
}

fn dar_cmd(a: cli::DarArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let dac = Dac::parse(&files::read(&a.dac)?)
        .map_err(|e| Failure::input(anyhow!("{}: {e}", a.dac.display())))?;
    let dc = files::load_dc(&a.dc)?.dc;
    let key = load_key(&a.key)?;
    let b = beacon(&a.beacon)?;
    if let Some(f) = &a.family {
        let fam = family(f, a.revision.as_deref())?;
        let rep = dac.check_against(&dc, &fam);
        if let Some(e) = rep.first_error() {
            if !a.force {
                return Err(Failure::failed(anyhow!(
                    "the challenge does not fit the credential: {}: {}",
                    e.name,
                    e.detail
                )));
            }
        }
    } else if dac.version != dc.version && !a.force {
        return Err(Failure::failed(anyhow!(
            "the challenge is protocol {}, the credential {}",
            dac.version,
            dc.version
        )));
    }
    let dar = Dar::build(&dc, &dac, b, key.as_ref()).or_input("response")?;
    files::write(&a.output, &dar.encode().or_input("response")?)?;
    say!(
        out,
        "DAR: {} bytes (protocol {}, authentication beacon 0x{b:04X}) written to {}",
        Dar::encoded_len(&dc),
        dc.version,
        a.output.display()
    );
    Ok(())
}

fn send_dar(a: cli::SendDarArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let bytes = files::read(&a.dar)?;
    let dar =
        Dar::parse(&bytes).map_err(|e| Failure::input(anyhow!("{}: {e}", a.dar.display())))?;
    let fam = family(&a.probe.family, a.probe.revision.as_deref())?;
    let addr = test_address(&fam, a.test_address.as_deref())?;
    let mut s = open_session(&a.probe, a.reset)?;
    s.mb.auth_response(&dar)
        .map_err(|e| mb_failure(e, "the device rejected the response"))?;
    say!(out, "DAR: {} bytes accepted", bytes.len());
    if a.no_exit {
        return Ok(());
    }
    exit_and_check(&mut s, addr, Some(dar.dc.cc_beacon), out)?;
    say!(out, "Debug authentication succeeded");
    Ok(())
}

// ---- socu ----

fn socu_cmd(a: cli::SocuArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let fam = family(&a.family, None)?;
    let t = socu::table(&fam.socu)
        .ok_or_else(|| Failure::input(anyhow!("{}: no SOCU table", fam.name)))?;
    if let Some(n) = &t.note {
        tracing::info!("{n}");
    }
    if a.examples {
        say!(
            out,
            "{} (SEC tool examples: ISP enabled, UUID check off)",
            fam.name
        );
        say!(
            out,
            "{:<42} {:<20} {:<20} {}",
            "register",
            "everything disabled",
            "everything enabled",
            "controlled by DA"
        );
        for (r, x, y, z) in &t.examples {
            say!(out, "{r:<42} {x:<20} {y:<20} {z}");
        }
        if let Some(n) = &t.examples_note {
            say!(out, "Note: {n}");
        }
        if t.examples.is_empty() {
            say!(out, "(the SEC tool gives no example for this family)");
        }
        return Ok(());
    }
    if t.layout == Layout::Unknown {
        return Err(Failure::input(anyhow!(
            "{}: the SOCU bit meanings of this family are not known (reference section 10)",
            fam.name
        )));
    }
    let domains = |mask: u32, out: &mut dyn Write| -> Result<(), Failure> {
        for (b, n, d) in &t.domains {
            say!(
                out,
                "  bit {b:<2} {:<14} {:<4} {d}",
                n,
                if mask & (1 << b) != 0 { "on" } else { "off" }
            );
        }
        let (_, unknown) = t.names(mask);
        if unknown & 0xFFFF != 0 {
            say!(out, "  unknown bits 0x{:X}", unknown & 0xFFFF);
        }
        Ok(())
    };
    let levels = |m: socu::Masks, dc: Option<u32>, out: &mut dyn Write| -> Result<(), Failure> {
        for (b, n, _) in &t.domains {
            let bit = 1 << b;
            let l = socu::level(m.pin & bit != 0, m.dflt & bit != 0);
            let grant = dc.map(|c| {
                if socu::granted(m.pin, m.dflt, c) & bit != 0 {
                    "  -> open after DAT"
                } else {
                    "  -> closed after DAT"
                }
            });
            say!(out, "  {:<14} {l}{}", n, grant.unwrap_or(""));
        }
        say!(
            out,
            "  UUID check: {}",
            if m.uuid_check {
                "on (credentials must name the device)"
            } else {
                "off"
            }
        );
        Ok(())
    };
    let dc_mask = match &a.dc {
        Some(v) => Some(number(v, "--dc")?),
        None => None,
    };
    if let (Some(p), Some(d)) = (&a.pin, &a.dflt) {
        let m = t
            .decode_pfr(number(p, "--pin")?, number(d, "--dflt")?)
            .or_input("--pin/--dflt")?;
        return levels(m, dc_mask, out);
    }
    let v = a
        .value
        .as_deref()
        .ok_or_else(|| Failure::input(anyhow!("give VALUE, --pin/--dflt or --examples")))?;
    let v = number(v, "VALUE")?;
    match a.kind {
        SocuAs::Dc => {
            say!(out, "{} credential SOCU mask 0x{v:08X}:", fam.name);
            domains(v, out)
        }
        SocuAs::Pin | SocuAs::Dflt => {
            if t.layout != Layout::Pfr {
                return Err(Failure::input(anyhow!(
                    "{} keeps PIN and DFLT in one fuse word: use --as fuse",
                    fam.name
                )));
            }
            if (v >> 16) != (!v & 0xFFFF) {
                return Err(Failure::input(anyhow!(
                    "0x{v:08X}: bits 31..16 are not the inverse of bits 15..0"
                )));
            }
            say!(
                out,
                "{} {} word 0x{v:08X}:",
                fam.name,
                if a.kind == SocuAs::Pin { "PIN" } else { "DFLT" }
            );
            domains(v & 0xFFFF, out)?;
            if a.kind == SocuAs::Pin {
                let uc = t.uuid_check.is_some_and(|b| v & (1 << b) != 0);
                say!(out, "  UUID check: {}", if uc { "on" } else { "off" });
            }
            Ok(())
        }
        SocuAs::Fuse => {
            let m = t
                .decode_fuse(v)
                .or_input(format!("{} fuse word", fam.name))?;
            say!(out, "{} fuse word 0x{v:08X}:", fam.name);
            levels(m, dc_mask, out)
        }
    }
}

// ---- listings ----

fn probes(json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let list = probe::list();
    if json {
        say!(
            out,
            "{}",
            serde_json::json!({"probe_rs": cfg!(feature = "probe"), "probes": list})
        );
        return Ok(());
    }
    if !cfg!(feature = "probe") {
        say!(
            out,
            "real probes: not in this build (rebuild dat-tool with --features probe)"
        );
    } else if list.is_empty() {
        say!(out, "no debug probe found");
    }
    for p in &list {
        say!(out, "{p}");
    }
    say!(
        out,
        "simulated: sim:HOST:PORT (devsim mcu --dm-listen HOST:PORT)"
    );
    Ok(())
}

fn families(json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let mut rows = Vec::new();
    for name in DatFamily::names() {
        let Ok(f) = DatFamily::lookup(&name, None) else {
            continue;
        };
        rows.push(f);
    }
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|f| {
                serde_json::json!({
                    "family": f.name, "revision": f.revision, "socc": format!("0x{:08X}", f.socc),
                    "dm_ap": f.dm_ap, "rot_keys": f.rot_keys.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
                    "versions": f.versions().iter().map(|v| v.to_string()).collect::<Vec<_>>(),
                })
            })
            .collect();
        say!(out, "{}", serde_json::Value::Array(v));
        return Ok(());
    }
    for f in rows {
        say!(
            out,
            "{:<12} {:<5} SOCC 0x{:08X}  DM-AP {}  {}",
            f.name,
            f.revision,
            f.socc,
            f.dm_ap,
            f.rot_keys
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    Ok(())
}
