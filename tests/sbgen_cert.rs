//! `sbgen key gen` (RSA and ECC) and `sbgen cert generate/verify/get-template`, through the
//! real binary:
//!
//! * The SPSDK 3.12 certificate vectors (`tests/vectors/mbi/certs`): rebuilt byte for byte
//!   from their configs (validity pinned to theirs with `--not-before`), and accepted by
//!   `sbgen cert verify` (CA flag, issuer; a wrong issuer fails with exit 1).
//! * Live SPSDK (`$PROVKIT_SPSDK3`; the test fails when it is not set): for the same config,
//!   `nxpcrypto cert generate` and `sbgen cert generate` (pinned to SPSDK's start time) give
//!   the same DER for RSA PKCS#1 v1.5 issuers (RSA-2048, RSA-4096, every name attribute
//!   type, list-form names, no duration) and the same signed part for RSA-PSS and ECDSA
//!   issuers (random signatures), each signature verifying. SPSDK accepts our self-signed
//!   roots, CA roots and leaves (`nxpcrypto cert verify --puk`, `-s` for ECDSA, and its
//!   `Certificate.validate`/`.ca` API for RSA), its `nxpcrypto key verify` pairs our keys,
//!   and `nxpimage cert-block export` of a chain we made equals ours; that chain signs an
//!   LPC55S69 image that `sbgen mbi verify` accepts against the RKTH.
//! * Exit codes and one-line errors naming the config key.

use e2e::{ok, path_arg as s, sbgen, spsdk3_tool as spsdk, vector};
use provkit::crypto::x509::{ParsedCertificate, certificate_der, format_utc};
use std::path::{Path, PathBuf};

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn mbi(rel: &str) -> PathBuf {
    vector("mbi").join(rel)
}

fn parsed(p: &Path) -> ParsedCertificate {
    ParsedCertificate::parse(&certificate_der(&read(p)).unwrap()).unwrap()
}

/// `sbgen key gen -t TYPE -o DIR/NAME.pem`.
fn key(dir: &Path, name: &str, kind: &str) -> PathBuf {
    let p = dir.join(format!("{name}.pem"));
    ok(&sbgen(&["key", "gen", "-t", kind, "-o", s(&p)]), "key gen");
    p
}

/// A `cert generate` config in `dir`.
fn config(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(format!("{name}.yaml"));
    std::fs::write(&p, body).unwrap();
    p
}

fn cert_yaml(issuer_key: &str, subject_pub: &str, ca: &str, serial: u32, extra: &str) -> String {
    format!(
        "issuer:\n  COMMON_NAME: ROOT\n  ORGANIZATION_NAME: sbgen test\nsubject:\n  COMMON_NAME: {}\n  \
         ORGANIZATION_NAME: sbgen test\nissuer_private_key: {issuer_key}\nsubject_public_key: \
         {subject_pub}\nserial_number: {serial}\nduration: 3650\nextensions:\n  BASIC_CONSTRAINTS:\n    \
         ca: {ca}\n{extra}",
        if issuer_key.starts_with(subject_pub.trim_end_matches(".pub")) {
            "ROOT"
        } else {
            "LEAF"
        }
    )
}

/// Generates `cfg` with SPSDK (DER) and with sbgen pinned to SPSDK's notBefore; returns
/// (SPSDK's, ours). Retries SPSDK when its two clock reads fell in different seconds.
fn both(cfg: &Path, tag: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = cfg.parent().unwrap();
    let theirs = dir.join(format!("{tag}_spsdk.der"));
    let ours = dir.join(format!("{tag}_ours.der"));
    for _ in 0..3 {
        let r = spsdk(
            "nxpcrypto",
            &[
                "cert",
                "generate",
                "-c",
                s(cfg),
                "-o",
                s(&theirs),
                "-e",
                "DER",
            ],
        );
        ok(&r, "nxpcrypto cert generate");
        let t = parsed(&theirs);
        let r = sbgen(&[
            "cert",
            "generate",
            "-c",
            s(cfg),
            "-o",
            s(&ours),
            "--not-before",
            &format_utc(t.not_before),
        ]);
        ok(&r, "sbgen cert generate");
        if parsed(&ours).not_after == t.not_after {
            return (read(&theirs), read(&ours));
        }
    }
    panic!("{tag}: SPSDK's validity is never a whole number of days");
}

#[test]
fn spsdk_vectors_are_rebuilt_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["root0_rsa_ca_cert", "root0_rsa_cert", "isk_rsa_cert"] {
        let want = mbi(&format!("certs/{name}.der"));
        let nb = format_utc(parsed(&want).not_before);
        let out = tmp.path().join(format!("{name}.der"));
        let cfg = mbi(&format!("certs/{name}.yaml"));
        let r = sbgen(&[
            "cert",
            "generate",
            "-c",
            s(&cfg),
            "-o",
            s(&out),
            "--not-before",
            &nb,
        ]);
        ok(&r, name);
        assert_eq!(read(&out), read(&want), "{name}");
        // PEM by default, the same certificate.
        let pem = tmp.path().join(format!("{name}.pem"));
        let r = sbgen(&[
            "cert",
            "generate",
            "-c",
            s(&cfg),
            "-o",
            s(&pem),
            "--not-before",
            &nb,
        ]);
        ok(&r, name);
        assert_eq!(
            read(&pem),
            read(&mbi(&format!("certs/{name}.pem"))),
            "{name}"
        );
    }
}

#[test]
fn spsdk_certificates_pass_our_verify() {
    for (name, ca) in [
        ("root0_rsa_ca_cert", true),
        ("root0_rsa_cert", false),
        ("root1_rsa_cert", false),
        ("root2_rsa_cert", false),
        ("root3_rsa_cert", false),
    ] {
        for ext in ["pem", "der"] {
            let p = mbi(&format!("certs/{name}.{ext}"));
            let r = sbgen(&["cert", "verify", "-i", s(&p)]);
            ok(&r, name);
            assert!(
                r.stdout.contains(
                    "signature: RSA PKCS#1 v1.5 SHA-256 with the RSA-2048 key of itself: OK"
                ),
                "{}",
                r.stdout
            );
            assert!(r.stdout.contains(": OK\nCA: "), "{}", r.stdout);
            let want = if ca { "CA: yes" } else { "CA: no" };
            assert!(r.stdout.contains(want), "{name}: {}", r.stdout);
        }
    }
    let isk = mbi("certs/isk_rsa_cert.der");
    // Not self-signed: the issuer is needed (usage error), as a certificate or a key.
    let r = sbgen(&["cert", "verify", "-i", s(&isk)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--issuer"), "{}", r.stderr);
    for issuer in ["certs/root0_rsa_ca_cert.pem", "keys/rotk0_rsa2048.pub"] {
        let r = sbgen(&["cert", "verify", "-i", s(&isk), "--issuer", s(&mbi(issuer))]);
        ok(&r, issuer);
        assert!(r.stdout.contains("CA: no"), "{}", r.stdout);
    }
    let r = sbgen(&[
        "cert",
        "verify",
        "-i",
        s(&isk),
        "--issuer",
        s(&mbi("certs/root1_rsa_cert.pem")),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("signature:") && r.stderr.lines().count() == 1,
        "{}",
        r.stderr
    );
    // A flipped signature byte fails.
    let tmp = tempfile::tempdir().unwrap();
    let mut der = read(&mbi("certs/root0_rsa_cert.der"));
    let last = der.len() - 1;
    der[last] ^= 1;
    let bad = tmp.path().join("bad.der");
    std::fs::write(&bad, &der).unwrap();
    assert_eq!(sbgen(&["cert", "verify", "-i", s(&bad)]).code, 1);
    std::fs::write(&bad, b"not a certificate").unwrap();
    assert_eq!(sbgen(&["cert", "verify", "-i", s(&bad)]).code, 2);
}

#[test]
fn same_certificates_as_nxpcrypto_for_the_same_config() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for (name, kind) in [
        ("r2", "rsa2048"),
        ("r4", "rsa4096"),
        ("e1", "p256"),
        ("e3", "p384"),
    ] {
        key(d, name, kind);
    }
    let names = "issuer:\n  - COMMON_NAME: NXP\n  - COUNTRY_NAME: CZ\n  - LOCALITY_NAME: Roznov pod Radhostem\n  \
                 - STATE_OR_PROVINCE_NAME: Morava\n  - STREET_ADDRESS: 1.maje 1009\n  - ORGANIZATION_NAME: SPSDK Team\n  \
                 - EMAIL_ADDRESS: a@b.example\n  - DOMAIN_COMPONENT: example\n  - SERIAL_NUMBER: '42'\n  \
                 - ORGANIZATIONAL_UNIT_NAME: u1\nsubject:\n  COMMON_NAME: ['Žluťoučký kůň', second]\n  POSTAL_CODE: 756 61\n  \
                 DN_QUALIFIER: q\n";
    // (tag, body, signatures deterministic)
    let cases: Vec<(&str, String, bool)> = vec![
        ("rsa2048_ca", cert_yaml("r2.pem", "r2.pub", "true\n    path_length: 2", 7, "pss_padding: false\n"), true),
        ("rsa2048_leaf_of_4096", cert_yaml("r4.pem", "r2.pub", "false", 0x1234_5678, ""), true),
        ("rsa4096_self", cert_yaml("r4.pem", "r4.pub", "false", 1, ""), true),
        (
            "names",
            format!("{names}issuer_private_key: r2.pem\nsubject_public_key: e1.pub\nserial_number: 99\nduration: 1\n"),
            true,
        ),
        (
            "no_duration",
            "issuer:\n  COMMON_NAME: X\nsubject:\n  COMMON_NAME: Y\nissuer_private_key: r2.pem\nsubject_public_key: r2.pem\nserial_number: 5\n"
                .to_string(),
            true,
        ),
        ("pss", cert_yaml("r2.pem", "r2.pub", "true", 8, "pss_padding: true\n"), false),
        ("p256_ca", cert_yaml("e1.pem", "e1.pub", "true\n    path_length: 0", 9, ""), false),
        ("p384_leaf", cert_yaml("e3.pem", "r2.pub", "false", 10, ""), false),
    ];
    for (tag, body, deterministic) in cases {
        let cfg = config(d, tag, &body);
        let (theirs, ours) = both(&cfg, tag);
        if deterministic {
            assert_eq!(ours, theirs, "{tag}");
        } else {
            let (t, o) = (
                ParsedCertificate::parse(&theirs).unwrap(),
                ParsedCertificate::parse(&ours).unwrap(),
            );
            assert_eq!(o.tbs, t.tbs, "{tag}: signed part");
            assert_eq!(o.signature_algorithm, t.signature_algorithm, "{tag}");
            assert_ne!(o.signature, t.signature, "{tag}: random signatures");
        }
        // Both verify with the issuer's key (ours and SPSDK's).
        let issuer_key = body
            .lines()
            .find_map(|l| l.strip_prefix("issuer_private_key: "))
            .unwrap();
        for (who, der) in [("spsdk", &theirs), ("ours", &ours)] {
            let p = d.join(format!("{tag}_{who}.der"));
            let r = sbgen(&[
                "cert",
                "verify",
                "-i",
                s(&p),
                "--issuer",
                s(&d.join(issuer_key)),
            ]);
            ok(&r, &format!("{tag} {who}"));
            assert!(!der.is_empty());
        }
    }
}

/// SPSDK's Python API on a certificate: "validate=<bool> ca=<bool>".
fn spsdk_validate(cert: &Path, issuer: &Path) -> String {
    let code = "import sys\nfrom spsdk.crypto.certificate import Certificate\n\
                c = Certificate.load(sys.argv[1]); i = Certificate.load(sys.argv[2])\n\
                print(f'validate={c.validate(i)} ca={c.ca}')";
    let r = spsdk("python", &["-c", code, s(cert), s(issuer)]);
    ok(&r, "spsdk python");
    r.stdout.trim().to_string()
}

#[test]
fn spsdk_accepts_our_keys_roots_and_chains() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for kind in ["rsa2048", "rsa4096", "p256"] {
        let root = key(d, &format!("{kind}_root"), kind);
        let leaf = key(d, &format!("{kind}_leaf"), kind);
        for k in [&root, &leaf] {
            let r = spsdk(
                "nxpcrypto",
                &[
                    "key",
                    "verify",
                    "-k1",
                    s(k),
                    "-k2",
                    s(&k.with_extension("pub")),
                ],
            );
            ok(&r, "nxpcrypto key verify");
        }
        let rp = format!("{kind}_root.pem");
        let rpub = format!("{kind}_root.pub");
        let lpub = format!("{kind}_leaf.pub");
        let certs = [
            ("self", cert_yaml(&rp, &rpub, "false", 1, ""), false, "self"),
            ("ca", cert_yaml(&rp, &rpub, "true", 2, ""), true, "ca"),
            ("leaf", cert_yaml(&rp, &lpub, "false", 3, ""), false, "ca"),
        ];
        for (tag, body, ca, issued_by) in certs {
            let tag = format!("{kind}_{tag}");
            let cfg = config(d, &tag, &body);
            let out = d.join(format!("{tag}.crt"));
            ok(
                &sbgen(&["cert", "generate", "-c", s(&cfg), "-o", s(&out)]),
                &tag,
            );
            let subject_pub = d.join(
                body.lines()
                    .find_map(|l| l.strip_prefix("subject_public_key: "))
                    .unwrap(),
            );
            let r = spsdk(
                "nxpcrypto",
                &["cert", "verify", "-c", s(&out), "-p", s(&subject_pub)],
            );
            ok(&r, &tag);
            assert!(
                r.stdout
                    .contains("Public key in certificate matches the input"),
                "{}",
                r.stdout
            );
            if kind == "p256" {
                let r = spsdk(
                    "nxpcrypto",
                    &[
                        "cert",
                        "verify",
                        "-c",
                        s(&out),
                        "-s",
                        s(&root.with_extension("pub")),
                    ],
                );
                ok(&r, &tag);
                assert!(r.stdout.contains("Signature is OK"), "{}", r.stdout);
            }
            let issuer_cert = d.join(format!("{kind}_{issued_by}.crt"));
            assert_eq!(
                spsdk_validate(&out, &issuer_cert),
                format!("validate=True ca={}", if ca { "True" } else { "False" }),
                "{tag}"
            );
            let r = sbgen(&["cert", "verify", "-i", s(&out), "--issuer", s(&issuer_cert)]);
            ok(&r, &tag);
            assert!(
                r.stdout.contains(if ca { "CA: yes" } else { "CA: no" }),
                "{}",
                r.stdout
            );
        }
        // Not with another key: the leaf certificate holds the leaf key.
        let leaf_cert = d.join(format!("{kind}_leaf.crt"));
        for c in ["self", "leaf"] {
            let v = spsdk_validate(&d.join(format!("{kind}_{c}.crt")), &leaf_cert);
            assert!(v.starts_with("validate=False"), "{kind} {c}: {v}");
        }
    }
}

/// `sbgen rkth -f lpc55s69 KEY` -> the RKTH line.
fn rkth(keyfile: &Path) -> String {
    let r = sbgen(&["rkth", "-f", "lpc55s69", s(keyfile)]);
    ok(&r, "rkth");
    r.stdout.lines().next().unwrap().to_string()
}

#[test]
fn a_generated_chain_makes_a_cert_block_and_a_signed_image() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let root = key(d, "root", "rsa2048");
    key(d, "isk", "rsa2048");
    let root_cfg = config(
        d,
        "root_cert",
        &cert_yaml("root.pem", "root.pub", "true", 1, ""),
    );
    let isk_cfg = config(
        d,
        "isk_cert",
        &cert_yaml("root.pem", "isk.pub", "false", 2, ""),
    );
    ok(
        &sbgen(&[
            "cert",
            "generate",
            "-c",
            s(&root_cfg),
            "-o",
            s(&d.join("root.der")),
        ]),
        "root",
    );
    ok(
        &sbgen(&[
            "cert",
            "generate",
            "-c",
            s(&isk_cfg),
            "-o",
            s(&d.join("isk.crt")),
        ]),
        "isk",
    );
    assert_eq!(read(&d.join("root.der"))[0], 0x30, "a .der output is DER");
    assert!(read(&d.join("isk.crt")).starts_with(b"-----BEGIN CERTIFICATE-----\n"));
    let cb = config(
        d,
        "cert_block",
        "family: lpc55s69\nrootCertificate0File: root.der\nchainCertificate0File0: isk.crt\n\
         mainRootCertId: 0\ncontainerOutputFile: cb.bin\n",
    );
    let r = sbgen(&[
        "cert-block",
        "export",
        "-c",
        s(&cb),
        "-o",
        s(&d.join("cb_ours.bin")),
    ]);
    ok(&r, "cert-block export");
    let r = spsdk(
        "nxpimage",
        &[
            "cert-block",
            "export",
            "-c",
            s(&cb),
            "-oc",
            &format!("containerOutputFile={}", d.join("cb_spsdk.bin").display()),
        ],
    );
    ok(&r, "nxpimage cert-block export");
    assert_eq!(read(&d.join("cb_ours.bin")), read(&d.join("cb_spsdk.bin")));
    let app = vector("mbi/app/app.bin");
    let img = config(
        d,
        "mbi",
        &format!(
            "family: lpc55s69\noutputImageExecutionTarget: xip\noutputImageAuthenticationType: signed\n\
             masterBootOutputFile: img.bin\ninputImageFile: {}\noutputImageExecutionAddress: 0\n\
             enableTrustZone: false\ncertBlock: cert_block.yaml\nsigner: type=file;file_path=isk.pem\n",
            app.display()
        ),
    );
    let out = d.join("img.bin");
    ok(
        &sbgen(&["mbi", "export", "-c", s(&img), "-o", s(&out)]),
        "mbi export",
    );
    let rk = rkth(&root);
    let hexrkth = rk.strip_prefix("RKTH: ").unwrap();
    let r = sbgen(&[
        "mbi",
        "verify",
        "-i",
        s(&out),
        "-f",
        "lpc55s69",
        "--rkth",
        hexrkth,
    ]);
    ok(&r, "mbi verify");
    // Another root's RKTH is refused.
    let other = key(d, "other", "rsa2048");
    let rk2 = rkth(&other);
    let r = sbgen(&[
        "mbi",
        "verify",
        "-i",
        s(&out),
        "-f",
        "lpc55s69",
        "--rkth",
        rk2.strip_prefix("RKTH: ").unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn key_gen_makes_every_type_with_a_matching_public_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for (kind, name) in [
        ("rsa2048", "RSA-2048"),
        ("rsa3072", "RSA-3072"),
        ("rsa4096", "RSA-4096"),
        ("p256", "P-256"),
        ("p384", "P-384"),
    ] {
        let k = key(d, kind, kind);
        let pubf = k.with_extension("pub");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&k).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{kind}");
        }
        assert!(
            read(&k).starts_with(b"-----BEGIN PRIVATE KEY-----\n"),
            "{kind}"
        );
        assert!(
            read(&pubf).starts_with(b"-----BEGIN PUBLIC KEY-----\n"),
            "{kind}"
        );
        let pk = provkit::crypto::PublicKey::from_file(&pubf).unwrap();
        assert_eq!(pk.key_type().to_string(), name);
        let r = spsdk(
            "nxpcrypto",
            &["key", "verify", "-k1", s(&k), "-k2", s(&pubf)],
        );
        ok(&r, kind);
        if kind.starts_with("rsa") {
            // sbgen rkth takes the .pub and gives the private key's RKTH.
            assert_eq!(rkth(&pubf), rkth(&k), "{kind}");
        }
    }
    let other = key(d, "other", "rsa2048");
    let r = spsdk(
        "nxpcrypto",
        &[
            "key",
            "verify",
            "-k1",
            s(&other),
            "-k2",
            s(&d.join("rsa2048.pub")),
        ],
    );
    assert_ne!(r.code, 0, "different keys must not pair");
    for bad in ["rsa1024", "p521", "ed25519", "x"] {
        let r = sbgen(&["key", "gen", "-t", bad, "-o", s(&d.join("bad.pem"))]);
        assert_eq!(r.code, 2, "{bad}");
        assert!(
            r.stderr.contains("--type") && r.stderr.lines().count() == 1,
            "{}",
            r.stderr
        );
    }
}

#[test]
fn bad_configs_give_one_line_errors_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    key(d, "k", "rsa2048");
    let good = cert_yaml("k.pem", "k.pub", "true", 1, "");
    let cases: Vec<(String, i32, &str)> = vec![
        (
            good.replace("issuer_private_key: k.pem\n", ""),
            2,
            "issuer_private_key",
        ),
        (
            good.replace("subject_public_key: k.pub\n", ""),
            2,
            "subject_public_key",
        ),
        (
            good.replace(
                "issuer_private_key: k.pem",
                "issuer_private_key: nothere.pem",
            ),
            3,
            "issuer_private_key",
        ),
        (
            good.replace(
                "subject_public_key: k.pub",
                "subject_public_key: nothere.pub",
            ),
            3,
            "subject_public_key",
        ),
        (
            good.replace(
                "issuer_private_key: k.pem",
                "issuer_private_key: k_cert.yaml",
            ),
            2,
            "issuer_private_key",
        ),
        (
            good.replace("COMMON_NAME: ROOT", "COUNTRY_NAME: CZE"),
            2,
            "COUNTRY_NAME",
        ),
        (
            good.replace("COMMON_NAME: ROOT", "COMMON_NAM: ROOT"),
            2,
            "COMMON_NAM",
        ),
        (good.replace("ca: true", "path_length: 1"), 2, "ca"),
        (
            good.replace("ca: true", "ca: true\n    path_length: 300"),
            2,
            "path_length",
        ),
        (good.replace("ca: true", "ca: maybe"), 2, "ca"),
        (
            format!("{good}  WPC_QIAUTH_POLICY:\n    value: 1\n"),
            2,
            "WPC_QIAUTH_POLICY",
        ),
        (
            good.replace("serial_number: 1", "serial_number: 1x"),
            2,
            "serial_number",
        ),
        (
            good.replace("duration: 3650", "duration: -1"),
            2,
            "duration",
        ),
        (
            good.replace(
                "issuer:\n  COMMON_NAME: ROOT\n  ORGANIZATION_NAME: sbgen test\n",
                "issuer: x\n",
            ),
            2,
            "issuer",
        ),
        (
            format!("{good}issuer_private_key_password: secret\n"),
            2,
            "issuer_private_key_password",
        ),
        ("- not a mapping\n".to_string(), 2, "mapping"),
        (
            good.replace(
                "issuer:\n  COMMON_NAME: ROOT\n  ORGANIZATION_NAME: sbgen test\n",
                "issuer:\n  - COMMON_NAME: [ROOT]\n",
            ),
            2,
            "COMMON_NAME",
        ),
    ];
    for (body, code, key_name) in cases {
        let cfg = config(d, "k_cert", &body);
        let r = sbgen(&[
            "cert",
            "generate",
            "-c",
            s(&cfg),
            "-o",
            s(&d.join("out.pem")),
        ]);
        assert_eq!(r.code, code, "{key_name}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{key_name}: {}", r.stderr);
        assert!(r.stderr.contains(key_name), "{key_name}: {}", r.stderr);
        assert!(!r.stderr.contains("secret"), "{}", r.stderr);
    }
    let cfg = config(d, "k_cert", &good);
    let r = sbgen(&[
        "cert",
        "generate",
        "-c",
        s(&cfg),
        "-o",
        s(&d.join("o.pem")),
        "-e",
        "txt",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--encoding"), "{}", r.stderr);
    let r = sbgen(&[
        "cert",
        "generate",
        "-c",
        s(&cfg),
        "-o",
        s(&d.join("o.pem")),
        "--not-before",
        "yesterday",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--not-before"), "{}", r.stderr);
}

#[test]
fn the_template_generates_the_same_as_nxpcrypto() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    key(d, "root0", "rsa2048");
    let t = d.join("cert.yaml");
    ok(
        &sbgen(&["cert", "get-template", "-o", s(&t)]),
        "get-template",
    );
    let (theirs, ours) = both(&t, "template");
    assert_eq!(ours, theirs);
    let r = sbgen(&["cert", "get-template"]);
    ok(&r, "get-template stdout");
    assert_eq!(r.stdout.as_bytes(), read(&t));
}
