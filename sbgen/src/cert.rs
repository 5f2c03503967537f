//! `sbgen cert generate/get-template/verify`: X.509 v3 certificates from SPSDK's
//! `nxpcrypto cert generate` YAML configs, verbatim (root and chain certificates of
//! certificate block v1, ECC certificates), and checking a certificate against its issuer.
//!
//! Config keys (paths relative to the config): `issuer` and `subject` (a mapping of SPSDK
//! name attributes, `COMMON_NAME: X`, a value may be a list; or a list of one-key mappings),
//! `issuer_private_key` (a key file or `type=file;file_path=...`), `subject_public_key` (a
//! public or private key or a certificate), `serial_number` (absent or 0: 159 random bits),
//! `duration` (days from now, UTC; absent or 0: 2000-01-01 to 9999-12-31, as SPSDK),
//! `extensions: {BASIC_CONSTRAINTS: {ca, path_length}}` (critical; the path length only for
//! a CA), `pss_padding` (RSA issuers). The bytes are SPSDK's (see
//! [`provkit::crypto::x509`]); ECDSA issuers sign with SHA-256 whatever the curve, as SPSDK.

use crate::config::Config;
use crate::error::{Failure, Result, failed, usage};
use crate::output;
use provkit::codec::to_hex;
use provkit::crypto::signer::HashAlg;
use provkit::crypto::x509::{self, CertificateSpec, Constraints, ParsedCertificate};
use provkit::crypto::{PublicKey, Scheme, signer_from_spec};
use serde_yaml::Value;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Keys of a `cert generate` config.
const KEYS: &[&str] = &[
    "issuer",
    "subject",
    "issuer_private_key",
    "issuer_private_key_password",
    "subject_public_key",
    "serial_number",
    "duration",
    "extensions",
    "pss_padding",
];

/// Options of `sbgen cert generate`.
#[derive(Debug)]
pub struct GenerateArgs<'a> {
    /// The config.
    pub config: &'a Path,
    /// Output file (`-` = stdout).
    pub output: &'a Path,
    /// `pem` or `der` (default: DER for a `.der`/`.cer` output, else PEM).
    pub encoding: Option<&'a str>,
    /// Start of validity instead of now, `YYYY-MM-DDTHH:MM:SSZ` (the end is this plus
    /// `duration` days).
    pub not_before: Option<&'a str>,
}

fn attr_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        _ => None,
    }
}

/// A name: `{ATTR: value | [values]}` or `[{ATTR: value}, ...]`, in order.
fn name_attributes(cfg: &Config, key: &str) -> Result<Vec<(String, String)>> {
    let bad = |why: String| usage(format!("{}: {key}: {why}", cfg.ctx));
    let mut attrs = Vec::new();
    let mut add = |k: &Value, v: &Value, lists: bool| -> Result<()> {
        let k = k
            .as_str()
            .ok_or_else(|| bad(format!("attribute name {k:?} is not text")))?;
        let values = match v {
            Value::Sequence(s) if lists => s.iter().collect(),
            // SPSDK would write the list's Python text ("['a']") as the value.
            Value::Sequence(_) => {
                return Err(bad(format!(
                    "{k}: a list of values in the list form (give one item per value)"
                )));
            }
            other => vec![other],
        };
        for v in values {
            let text = attr_text(v)
                .ok_or_else(|| bad(format!("{k}: the value is not text or a number")))?;
            // Checked here so the message names the config key.
            x509::name_attribute(k, &text).map_err(|e| bad(e.to_string()))?;
            attrs.push((k.to_string(), text));
        }
        Ok(())
    };
    match cfg.get(key) {
        None => return Err(bad("required key is missing".into())),
        Some(Value::Mapping(m)) => {
            for (k, v) in m {
                add(k, v, true)?;
            }
        }
        Some(Value::Sequence(items)) => {
            for item in items {
                let m = item
                    .as_mapping()
                    .ok_or_else(|| bad("list items must be mappings ATTRIBUTE: value".into()))?;
                for (k, v) in m {
                    add(k, v, false)?;
                }
            }
        }
        Some(_) => {
            return Err(bad(
                "expected a mapping of name attributes (COMMON_NAME: ...)".into(),
            ));
        }
    }
    if attrs.is_empty() {
        return Err(bad("no name attributes".into()));
    }
    Ok(attrs)
}

fn basic_constraints(cfg: &Config) -> Result<Option<Constraints>> {
    let Some(v) = cfg.get("extensions") else {
        return Ok(None);
    };
    let ext = cfg.child(v, format!("{}: extensions", cfg.ctx))?;
    let mut bc = None;
    for k in ext.map.keys() {
        let name = k.as_str().unwrap_or_default();
        if name != "BASIC_CONSTRAINTS" {
            return Err(usage(format!(
                "{}: extensions: {k:?}: not supported (BASIC_CONSTRAINTS only)",
                cfg.ctx
            )));
        }
    }
    if let Some(v) = ext.get("BASIC_CONSTRAINTS") {
        let c = ext.child(v, format!("{}: extensions: BASIC_CONSTRAINTS", cfg.ctx))?;
        c.warn_unknown(&["ca", "path_length"]);
        if !c.has("ca") {
            return Err(usage(format!("{}: ca: required key is missing", c.ctx)));
        }
        let ca = c.bool_or("ca", false)?;
        let path_len = match c.int("path_length")? {
            None => None,
            Some(n) => Some(
                u8::try_from(n)
                    .map_err(|_| usage(format!("{}: path_length: {n} is more than 255", c.ctx)))?,
            ),
        };
        bc = Some(Constraints { ca, path_len });
    }
    Ok(bc)
}

fn random_serial() -> Vec<u8> {
    use rand_core::RngCore;
    // 159 random bits, as Python cryptography's random_serial_number().
    let mut b = vec![0u8; 20];
    rand_core::OsRng.fill_bytes(&mut b);
    if let Some(first) = b.first_mut() {
        *first &= 0x7F;
    }
    b
}

/// The certificate spec and the issuer's signer from a config.
fn spec_from_config(
    cfg: &Config,
    not_before: Option<SystemTime>,
) -> Result<(CertificateSpec, Box<dyn provkit::crypto::Signer>)> {
    cfg.warn_unknown(KEYS);
    let issuer = name_attributes(cfg, "issuer")?;
    let subject = name_attributes(cfg, "subject")?;
    if cfg.has("issuer_private_key_password") {
        return Err(usage(format!(
            "{}: issuer_private_key_password: encrypted private keys are not supported; \
             give an unencrypted key or a signature provider",
            cfg.ctx
        )));
    }
    let key_spec = cfg.str_req("issuer_private_key")?;
    let signer = if key_spec.contains('=') {
        signer_from_spec(&key_spec, &cfg.dir)
    } else {
        let p = cfg.resolve(&key_spec);
        if !p.exists() {
            return Err(Failure::Io(format!(
                "{}: issuer_private_key: {}: no such file",
                cfg.ctx,
                p.display()
            )));
        }
        signer_from_spec(&p.display().to_string(), Path::new(""))
    }
    .map_err(|e| usage(format!("{}: issuer_private_key: {e}", cfg.ctx)))?;
    let pub_path = cfg.resolve(&cfg.str_req("subject_public_key")?);
    let subject_key = if pub_path.exists() {
        PublicKey::from_file(&pub_path)
            .map_err(|e| usage(format!("{}: subject_public_key: {e}", cfg.ctx)))?
    } else {
        return Err(Failure::Io(format!(
            "{}: subject_public_key: {}: no such file",
            cfg.ctx,
            pub_path.display()
        )));
    };
    let serial = match cfg.int("serial_number")? {
        None | Some(0) => random_serial(),
        Some(n) => n.to_be_bytes().to_vec(),
    };
    let (not_before, not_after) = match cfg.int("duration")? {
        None | Some(0) => (
            not_before.unwrap_or_else(x509::no_duration_not_before),
            x509::no_duration_not_after(),
        ),
        Some(days) => {
            let start = not_before.unwrap_or_else(SystemTime::now);
            let end = days
                .checked_mul(86_400)
                .and_then(|s| start.checked_add(Duration::from_secs(s)))
                .ok_or_else(|| usage(format!("{}: duration: {days} days is too long", cfg.ctx)))?;
            (start, end)
        }
    };
    let spec = CertificateSpec {
        subject,
        issuer,
        subject_key,
        serial,
        not_before,
        not_after,
        basic_constraints: basic_constraints(cfg)?,
        pss: cfg.bool_or("pss_padding", false)?,
    };
    Ok((spec, signer))
}

/// `sbgen cert generate`.
pub fn generate(a: &GenerateArgs<'_>, out: &mut dyn Write) -> Result<()> {
    let der_out = match a.encoding.map(str::to_ascii_lowercase).as_deref() {
        Some("pem") => false,
        Some("der") => true,
        Some(o) => return Err(usage(format!("--encoding: '{o}' (pem or der)"))),
        None => a
            .output
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("der") || e.eq_ignore_ascii_case("cer")),
    };
    let not_before = a
        .not_before
        .map(x509::parse_utc)
        .transpose()
        .map_err(|e| usage(format!("--not-before: {e}")))?;
    let cfg = Config::load(a.config)?;
    let (spec, signer) = spec_from_config(&cfg, not_before)?;
    let der = spec
        .build(signer.as_ref())
        .map_err(|e| usage(format!("{}: {e}", cfg.ctx)))?;
    let bytes = if der_out {
        der
    } else {
        x509::to_pem(&der)
            .map_err(|e| failed(e.to_string()))?
            .into_bytes()
    };
    output::write_file(a.output, &bytes)?;
    if output::is_stdout(a.output) {
        return Ok(());
    }
    output::print(
        out,
        &format!(
            "certificate: {} ({}), {} key of '{}', signed by {}, valid {} to {}\n",
            a.output.display(),
            if der_out { "DER" } else { "PEM" },
            spec.subject_key.key_type(),
            x509::name(&spec.subject).map_or_else(|_| String::new(), |n| n.to_string()),
            signer.describe(),
            x509::format_utc(spec.not_before),
            x509::format_utc(spec.not_after),
        ),
    )
}

/// The `cert generate` config template.
pub fn template() -> String {
    let attrs: Vec<&str> = x509::name_attribute_names().collect();
    format!(
        "# sbgen cert generate -c THIS.yaml -o CERT.pem   (SPSDK nxpcrypto cert generate config)
# Paths are relative to this file.

# Issuer and subject names: ATTRIBUTE: value (a list of values repeats the attribute), or a
# list of one-item mappings to set the order. Attributes:
#   {}
issuer:
  COMMON_NAME: ROOT0
  ORGANIZATION_NAME: My Company
  COUNTRY_NAME: CZ
subject:
  COMMON_NAME: ROOT0
  ORGANIZATION_NAME: My Company
  COUNTRY_NAME: CZ

# The issuer's private key (RSA, P-256, P-384), or a signature provider
# type=file;file_path=KEY. For a self-signed certificate, the subject's own key.
issuer_private_key: root0.pem
# RSA issuers: RSA-PSS (SHA-256, salt 32) instead of PKCS#1 v1.5 (the ROM takes PKCS#1 v1.5).
pss_padding: false
# The certified public key (a public key, private key or certificate file).
subject_public_key: root0.pub
# Serial number (absent or 0: random).
serial_number: 1
# Validity in days from now (UTC); absent or 0: 2000-01-01 to 9999-12-31.
duration: 3650

extensions:
  BASIC_CONSTRAINTS:
    # true for a root or intermediate that signs other certificates (certificate block v1:
    # every certificate but the last of a chain), false for the last one.
    ca: false
    # CAs only: how many CA certificates may follow this one.
    # path_length: 0
",
        attrs.join(", ")
    )
}

fn scheme_text(s: Scheme) -> String {
    let h = |h: HashAlg| match h {
        HashAlg::Sha256 => "SHA-256",
        HashAlg::Sha384 => "SHA-384",
        HashAlg::Sha512 => "SHA-512",
    };
    match s {
        Scheme::RsaPkcs1v15(x) => format!("RSA PKCS#1 v1.5 {}", h(x)),
        Scheme::RsaPss { hash, salt_len } => format!("RSA-PSS {} salt {salt_len}", h(hash)),
        Scheme::EcdsaRaw(x) | Scheme::EcdsaDer(x) => format!("ECDSA {}", h(x)),
        Scheme::Ed25519 => "Ed25519".into(),
        Scheme::Default => "default".into(),
    }
}

/// `sbgen cert verify`: prints what the certificate says and checks its signature (with
/// `issuer`, a certificate or key file; without it, a self-signed certificate's own key)
/// and that it is valid now. Exit 1 names the first failure.
pub fn verify(input: &Path, issuer: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let bytes = output::read_input(input)?;
    let what = input.display();
    let der = x509::certificate_der(&bytes).map_err(|e| usage(format!("{what}: {e}")))?;
    let c = ParsedCertificate::parse(&der).map_err(|e| usage(format!("{what}: {e}")))?;
    let (issuer_key, issuer_name) = match issuer {
        Some(p) => {
            if !p.exists() {
                return Err(Failure::Io(format!("{}: no such file", p.display())));
            }
            let k = PublicKey::from_file(p).map_err(|e| usage(format!("--issuer: {e}")))?;
            (k, p.display().to_string())
        }
        None if c.same_names => (c.public_key.clone(), "itself".to_string()),
        None => {
            return Err(usage(format!(
                "{what}: issued by '{}', not self-signed: give --issuer CERT|KEY",
                c.issuer
            )));
        }
    };
    let mut report = String::new();
    let mut failure: Option<String> = None;
    let mut line = |s: String| {
        report.push_str(&s);
        report.push('\n');
    };
    line(format!("certificate: {what}"));
    line(format!("version: {}", c.version));
    line(format!("serial: 0x{}", to_hex(&c.serial).to_uppercase()));
    line(format!("subject: {}", c.subject));
    line(format!("issuer: {}", c.issuer));
    line(format!("key: {}", c.public_key.key_type()));
    let sig = match (&c.scheme, c.verify_signature(&issuer_key)) {
        (Ok(s), Ok(())) => format!(
            "{} with the {} key of {issuer_name}: OK",
            scheme_text(*s),
            issuer_key.key_type()
        ),
        (Ok(s), Err(e)) => {
            let m = format!(
                "{} with the {} key of {issuer_name}: FAILED ({e})",
                scheme_text(*s),
                issuer_key.key_type()
            );
            failure.get_or_insert(format!("signature: {m}"));
            m
        }
        (Err(e), _) => {
            let m = format!("{} ({e})", c.signature_algorithm);
            failure.get_or_insert(format!("signature: {m}"));
            m
        }
    };
    line(format!("signature: {sig}"));
    let now = SystemTime::now();
    let validity = format!(
        "{} to {}",
        x509::format_utc(c.not_before),
        x509::format_utc(c.not_after)
    );
    let state = if now < c.not_before {
        "not yet valid"
    } else if now > c.not_after {
        "expired"
    } else {
        "OK"
    };
    if state != "OK" {
        failure.get_or_insert(format!("validity: {validity}: {state}"));
    }
    line(format!("validity: {validity}: {state}"));
    line(match c.basic_constraints {
        None => "CA: no (no basicConstraints)".into(),
        Some((bc, critical)) => format!(
            "CA: {}{} (basicConstraints{})",
            if bc.ca { "yes" } else { "no" },
            bc.path_len
                .map(|n| format!(", path length {n}"))
                .unwrap_or_default(),
            if critical { ", critical" } else { "" }
        ),
    });
    output::print(out, &report)?;
    match failure {
        Some(f) => Err(failed(format!("{what}: {f}"))),
        None => Ok(()),
    }
}
