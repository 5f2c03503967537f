//! `sbgen`: SB3.1 capsules with certificate blocks v2.1 (LPC55S3x, MCX N, RW61x), SB2.1
//! capsules with certificate blocks v1 (LPC55S0x/1x/2x/6x, RT5xx/6xx), master boot images
//! (MBI) and RKTH, from SPSDK `nxpimage` YAML configs (and elftosb BD files), verbatim. The
//! formats live in `provkit` (`sb31`, `sb21`, `certblock`, `mbi`, `otfad`); this crate reads
//! configs, runs the command and reports.
//!
//! [`run`] executes a parsed [`cli::Cli`], writing results to `out`; `main.rs` maps a
//! [`Failure`] to one stderr line and its exit code (0 ok, 1 failed, 2 usage/input, 3 I/O).

pub mod bd;
pub mod cert;
pub mod certblock;
pub mod cli;
pub mod config;
pub mod error;
pub mod family;
pub mod kek;
pub mod mbi;
pub mod output;
pub mod rkth;
pub mod sb21;
pub mod sb31;

pub use error::Failure;

use cli::{CertBlockCmd, Cli, Cmd, MbiCmd, Sb21Cmd, Sb31Cmd};
use error::{Result, usage};
use std::io::Write;
use std::path::Path;

/// Logging on stderr (see [`provkit::cli::init_logging`]).
pub fn init_tracing(verbose: u8) {
    provkit::cli::init_logging(verbose);
}

fn template_out(text: &str, output: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    match output {
        Some(p) => output::write_file(p, text.as_bytes()),
        None => output::print(out, text),
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match cli.command {
        Cmd::Sb21(c) => run_sb21(c, out),
        Cmd::Sb31(c) => match c {
            Sb31Cmd::Export { config, output } => sb31::export(&config, output.as_deref(), out),
            Sb31Cmd::GetTemplate { family, output } => {
                let f = sb31::sb31_family(&family)?;
                template_out(&sb31::template(f), output.as_deref(), out)
            }
            Sb31Cmd::Parse {
                check,
                output,
                signer,
            } => {
                let o = check_options(&check)?;
                sb31::parse(&o, output.as_deref(), signer.as_deref(), out)
            }
            Sb31Cmd::Verify { check } => {
                let o = check_options(&check)?;
                sb31::verify(&o, out)
            }
        },
        Cmd::CertBlock(c) => match c {
            CertBlockCmd::Export { config, output } => {
                certblock::export(&config, output.as_deref(), out)
            }
            CertBlockCmd::Parse {
                input,
                rkth,
                output,
                json,
            } => {
                let r = rkth.as_deref().map(kek::load_rkth).transpose()?;
                certblock::parse(&input, r.as_deref(), output.as_deref(), json, out)
            }
            CertBlockCmd::GetTemplate { family, output } => {
                let f = family::image_family(&family)?;
                let text = if certblock::is_v1_family(f) {
                    certblock::template_v1(&f.name)
                } else {
                    certblock::template(&sb31::sb31_family(&family)?.name)
                };
                template_out(&text, output.as_deref(), out)
            }
        },
        Cmd::Mbi(c) => match c {
            MbiCmd::Export { config, output } => mbi::export(&config, output.as_deref(), out),
            MbiCmd::Verify {
                input,
                family,
                rkth,
                min_firmware_version,
                require,
                otp_master_key,
                json,
            } => {
                let f = family::mbi_family(&family)?;
                let require = match require.as_deref() {
                    None => None,
                    Some("plain") => Some(provkit::mbi::Auth::Plain),
                    Some("crc") => Some(provkit::mbi::Auth::Crc),
                    Some("signed") => Some(provkit::mbi::Auth::Signed),
                    Some(o) => return Err(usage(format!("--require: '{o}' (plain, crc, signed)"))),
                };
                let otp_master_key = match otp_master_key.as_deref() {
                    None => None,
                    Some(spec) => {
                        let k = kek::load_bytes(spec, Path::new("."), &[32], "--otp-master-key")?;
                        let mut key = zeroize::Zeroizing::new([0u8; 32]);
                        key.copy_from_slice(&k);
                        Some(key)
                    }
                };
                let policy = mbi::Policy {
                    rkth: rkth.as_deref().map(kek::load_rkth).transpose()?,
                    min_firmware_version,
                    require,
                    otp_master_key,
                };
                mbi::verify(&input, f, &policy, json, out)
            }
            MbiCmd::Parse {
                input,
                family,
                output,
                signer,
                otp_master_key,
            } => {
                let f = family::mbi_family(&family)?;
                let opts = mbi::ParseOptions {
                    signer: signer.as_deref(),
                    otp_master_key: otp_master_key.as_deref(),
                };
                mbi::parse(&input, f, &output, &opts, out)
            }
            MbiCmd::GetTemplate { family, output } => {
                let f = family::mbi_family(&family)?;
                template_out(&mbi::template(f), output.as_deref(), out)
            }
        },
        Cmd::Rkth(a) => rkth::run(&a.family, &a.keys, a.output.as_deref(), a.json, out),
        Cmd::Key(cli::KeyCmd::Gen { key_type, output }) => key_gen(&key_type, &output, out),
        Cmd::Cert(c) => match c {
            cli::CertCmd::Generate {
                config,
                output,
                encoding,
                not_before,
            } => cert::generate(
                &cert::GenerateArgs {
                    config: &config,
                    output: &output,
                    encoding: encoding.as_deref(),
                    not_before: not_before.as_deref(),
                },
                out,
            ),
            cli::CertCmd::GetTemplate { output } => {
                template_out(&cert::template(), output.as_deref(), out)
            }
            cli::CertCmd::Verify { input, issuer } => cert::verify(&input, issuer.as_deref(), out),
        },
        Cmd::BenchCrypto { bytes } => bench_crypto(bytes, out),
    }
}

fn sb21_check(c: &cli::Sb21CheckArgs) -> Result<sb21::CheckOptions<'_>> {
    Ok(sb21::CheckOptions {
        input: &c.input,
        kek: &c.kek,
        rkth: c.rkth.as_deref().map(kek::load_rkth).transpose()?,
        json: c.json,
    })
}

fn run_sb21(c: Sb21Cmd, out: &mut dyn Write) -> Result<()> {
    let check = sb21_check;
    match c {
        Sb21Cmd::Export {
            config,
            output,
            spsdk_compat,
            keys,
            ..
        } => sb21::export(
            &sb21::ExportArgs {
                config: &config,
                output: output.as_deref(),
                spsdk_compat,
                kek: keys.kek.as_deref(),
                signer: keys.signer.as_deref(),
                certs: &keys.certs,
                root_certs: &keys.root_certs,
                rkth_out: keys.rkth_out.as_deref(),
            },
            out,
        ),
        Sb21Cmd::Parse {
            check: c,
            output,
            family,
            signer,
        } => sb21::parse(
            &check(&c)?,
            output.as_deref(),
            family.as_deref(),
            signer.as_deref(),
            out,
        ),
        Sb21Cmd::Verify { check: c } => sb21::verify(&check(&c)?, out),
        Sb21Cmd::GetTemplate { family, output } => {
            let f = sb21::sb21_family(&family)?;
            template_out(&sb21::template(f), output.as_deref(), out)
        }
        Sb21Cmd::Convert {
            command,
            output,
            family,
            spsdk_compat,
            keys,
            ..
        } => sb21::convert(
            &sb21::ConvertArgs {
                command: &command,
                output: &output,
                family: family.as_deref(),
                spsdk_compat,
                kek: keys.kek.as_deref(),
                signer: keys.signer.as_deref(),
                certs: &keys.certs,
                root_certs: &keys.root_certs,
                rkth_out: keys.rkth_out.as_deref(),
            },
            out,
        ),
        Sb21Cmd::GetSbkek { master_key, output } => {
            kek::get_sbkek(master_key.as_deref(), output.as_deref(), out)
        }
    }
}

fn check_options(c: &cli::CheckArgs) -> Result<sb31::CheckOptions<'_>> {
    Ok(sb31::CheckOptions {
        input: &c.input,
        kek: c.kek.as_deref(),
        kdk_access_rights: c.kdk_access_rights,
        rkth: c.rkth.as_deref().map(kek::load_rkth).transpose()?,
        family: c.family.as_deref().map(sb31::sb31_family).transpose()?,
        min_firmware_version: c.min_firmware_version,
        json: c.json,
    })
}

fn key_gen(key_type: &str, path: &Path, out: &mut dyn Write) -> Result<()> {
    use provkit::crypto::{KeyType, PrivateKey};
    let kind = match KeyType::parse(key_type) {
        Some(k @ (KeyType::Rsa(2048 | 3072 | 4096) | KeyType::P256 | KeyType::P384)) => k,
        _ => {
            return Err(usage(format!(
                "--type: '{key_type}' (rsa2048, rsa3072, rsa4096, p256 or p384)"
            )));
        }
    };
    let key = PrivateKey::generate(kind).map_err(|e| error::failed(e.to_string()))?;
    key.write_pem(path)
        .map_err(|e| Failure::Io(e.to_string()))?;
    let pub_path = path.with_extension("pub");
    let pem = key
        .public_key()
        .to_spki_pem()
        .map_err(|e| error::failed(e.to_string()))?;
    output::write_file(&pub_path, pem.as_bytes())?;
    output::print(
        out,
        &format!(
            "{kind} key pair: {} (private, 0600), {} (public)\n",
            path.display(),
            pub_path.display()
        ),
    )
}

/// What `sbgen sb31 export` does per byte, without anything else: AES-128-CBC over the data
/// in 256-byte blocks and SHA-256 over it, single-threaded, timed in this process (best of
/// 5). Also times `Sb31Builder::build` of one 1-MiB load in this process (best of 5), to
/// separate the capsule engine from process start and file I/O.
fn bench_crypto(bytes: usize, out: &mut dyn Write) -> Result<()> {
    use provkit::crypto::aes::Aes;
    use provkit::crypto::{KeyType, LocalSigner, PrivateKey};
    let mut data = vec![0x5Au8; bytes.div_ceil(256).max(1) * 256];
    let aes = Aes::new(&[7u8; 16]).map_err(|e| error::failed(e.to_string()))?;
    let mut raw = f64::MAX;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        for chunk in data.chunks_mut(256) {
            aes.cbc_encrypt(&[0; 16], chunk)
                .map_err(|e| error::failed(e.to_string()))?;
        }
        let h = provkit::crypto::sha256(&data);
        std::hint::black_box(h);
        raw = raw.min(t.elapsed().as_secs_f64());
    }
    let key = PrivateKey::generate(KeyType::P256).map_err(|e| error::failed(e.to_string()))?;
    let cb = provkit::certblock::CertBlockSpec {
        root_keys: vec![key.public_key()],
        used_root: 0,
        isk: None,
        root_signer: None,
    }
    .build()
    .map_err(|e| error::failed(e.to_string()))?;
    let signer = LocalSigner::new(key, "bench");
    let kek = [1u8; 32];
    let mut build = f64::MAX;
    for _ in 0..5 {
        let b = provkit::sb31::Sb31Builder {
            cert_block: cb.clone(),
            signer: &signer,
            kek: Some(&kek),
            kdk_access_rights: 0,
            timestamp: 1,
            firmware_version: 1,
            description: Vec::new(),
            flags: 0,
            image_type: 6,
            commands: vec![provkit::sb31::Command::Load {
                address: 0,
                memory_id: 0,
                data: vec![0xA5; bytes],
            }],
        };
        let t = std::time::Instant::now();
        let f = b.build().map_err(|e| error::failed(e.to_string()))?;
        build = build.min(t.elapsed().as_secs_f64());
        std::hint::black_box(f);
    }
    output::print(
        out,
        &format!(
            "{{\"bytes\": {}, \"raw_seconds\": {raw:.6}, \"raw_mb_per_s\": {:.1}, \"build_seconds\": {build:.6}, \"build_mb_per_s\": {:.1}}}\n",
            bytes,
            data.len() as f64 / raw / 1e6,
            bytes as f64 / build / 1e6
        ),
    )
}
