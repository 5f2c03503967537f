//! `mcuboot-sign` command-line behaviour: bad keys, oversize images, malformed images,
//! out-of-range values and imgtool's broken cases are refused with one line and the
//! documented exit code (0 ok, 1 verification failed, 2 usage or input, 3 output).

mod mcuboot_util;

use mcuboot_util::*;
use provkit::crypto::{KeyType, PrivateKey};
use std::fs;
use std::path::Path;

fn ms(args: &[&str]) -> e2e::Run {
    run_args(&mcuboot_sign(), args)
}

fn key(name: &str) -> String {
    vectors().join(format!("keys/{name}")).display().to_string()
}

fn app() -> String {
    vectors().join("inputs/app.bin").display().to_string()
}

const NXP: [&str; 9] = [
    "--align",
    "4",
    "--header-size",
    "0x400",
    "--pad-header",
    "--slot-size",
    "0x200000",
    "--max-sectors",
    "800",
];

fn sign(extra: &[&str], out: &Path) -> e2e::Run {
    let mut a: Vec<&str> = vec!["sign", "-v", "1.0"];
    a.extend(NXP);
    a.extend(extra);
    let app = app();
    let out = out.display().to_string();
    a.push(&app);
    a.push(&out);
    ms(&a)
}

fn refused(r: &e2e::Run, ctx: &str, needle: &str) {
    assert_eq!(r.code, 2, "{ctx}: {r:?}");
    assert_one_line_error(r, ctx);
    assert!(
        r.stderr.contains(needle),
        "{ctx}: {:?} lacks {needle:?}",
        r.stderr
    );
}

#[test]
fn bad_keys_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.bin");
    let garbage = dir.path().join("garbage.pem");
    fs::write(
        &garbage,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let write_key = |kind: KeyType, name: &str| {
        let p = dir.path().join(name);
        PrivateKey::generate(kind).unwrap().write_pem(&p).unwrap();
        p.display().to_string()
    };
    let rsa1024 = write_key(KeyType::Rsa(1024), "rsa1024.pem");
    let p521 = write_key(KeyType::P521, "p521.pem");
    let x25519 = write_key(KeyType::X25519, "x25519.pem");
    let p384b = write_key(KeyType::P384, "p384b.pem");
    let g = garbage.display().to_string();
    let missing = dir.path().join("nope.pem").display().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["-k".into(), g.clone()], "not a supported key"),
        (vec!["-k".into(), missing], "not found"),
        (vec!["-k".into(), key("ed25519.pub.pem")], "public-only"),
        (vec!["-k".into(), rsa1024], "RSA-1024 keys cannot sign"),
        (vec!["-k".into(), p521], "P-521 keys cannot sign"),
        (vec!["-k".into(), x25519.clone()], "X25519 keys cannot sign"),
        // Encryption keys MCUboot cannot unwrap.
        (
            vec!["-k".into(), key("ecdsa-p384.pem"), "-E".into(), p384b],
            "P-384 keys cannot be used for MCUboot image encryption",
        ),
        (
            vec!["-E".into(), key("rsa-3072.pub.pem")],
            "RSA-3072 keys cannot be used for MCUboot image encryption",
        ),
        (
            vec!["-E".into(), key("ed25519.pub.pem")],
            "Ed25519 keys cannot be used for MCUboot image encryption",
        ),
        (
            vec![
                "-k".into(),
                key("ecdsa-p256.pem"),
                "-E".into(),
                key("enc-rsa-2048.pub.pem"),
            ],
            "Signing and encryption must use the same type of key",
        ),
        (
            vec![
                "-E".into(),
                key("enc-ec256.pub.pem"),
                "--hmac-sha".into(),
                "512".into(),
            ],
            "Currently only ECIES-X25519 supports HMAC-SHA512",
        ),
        (vec!["-E".into(), g], "not a supported key"),
        (
            vec!["-k".into(), key("rsa-2048.pem"), "--pure".into()],
            "--pure needs an Ed25519 signing key",
        ),
        (
            vec![
                "-k".into(),
                key("ed25519.pem"),
                "--pure".into(),
                "--sha".into(),
                "512".into(),
            ],
            "Pure signatures",
        ),
        (
            vec![
                "-k".into(),
                key("ecdsa-p384.pem"),
                "--sha".into(),
                "256".into(),
            ],
            "allowed sha are one of 384",
        ),
        (
            vec![
                "-k".into(),
                key("ed25519.pem"),
                "--fix-sig".into(),
                vectors()
                    .join("out/sigout_ed25519.sig.b64")
                    .display()
                    .to_string(),
                "--fix-sig-pubkey".into(),
                key("ed25519.pub.pem"),
            ],
            "Can not sign using key and provide fixed-signature at the same time",
        ),
        (
            vec![
                "--fix-sig".into(),
                vectors()
                    .join("out/sigout_ed25519.sig.b64")
                    .display()
                    .to_string(),
            ],
            "public key of the fixed signature is not specified",
        ),
    ];
    for (extra, needle) in cases {
        let e: Vec<&str> = extra.iter().map(String::as_str).collect();
        let r = sign(&e, &out);
        refused(&r, &format!("{extra:?}"), needle);
        assert!(!out.exists(), "{extra:?} left an output file");
    }
    // An X25519 key is fine for encryption, with or without a signature.
    let r = sign(&["-E", &x25519], &out);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn bad_values_and_imgtool_crash_cases_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.bin");
    let cases: &[(&[&str], &str)] = &[
        // imgtool: Python struct.error tracebacks.
        (&["-v", "256.0"], "version major 256 does not fit"),
        (&["-v", "1.2.65536"], "version revision 65536 does not fit"),
        (
            &["-v", "1.2.3+4294967296"],
            "version build 4294967296 does not fit",
        ),
        (&["-s", "0x100000000"], "out of range"),
        (&["-s", "-1"], "out of range"),
        (&["-d", "(256, 1.0)"], "image id 256 does not fit"),
        (&["-d", "(1, 1.0.0.0)"], "Invalid version number"),
        (&["-d", "1,2"], "Image dependency format is invalid"),
        (
            &["--custom-tlv", "0x10000", "0x00"],
            "between 0x00a0 and 0xfffe",
        ),
        (&["--custom-tlv", "zz", "0x00"], "not an integer"),
        (&["--custom-tlv", "0xa0", "0xzz"], "is not hex"),
        (
            &["--custom-tlv", "0xa0", "1", "--custom-tlv", "0xa0", "2"],
            "already exists",
        ),
        (
            &["--boot-record", "ThirteenChars"],
            "maximum allowed length is 12",
        ),
        (
            &["-L", "0x1000", "-F", "0x2000"],
            "Can not set rom_fixed and load_addr",
        ),
        (&["--compression", "lzma2"], "not supported"),
        (&["-H", "0x10000"], "does not fit in its field"),
        (&["-S", "zz"], "is not a valid integer"),
        (&["--sig-out", "x.b64"], "--sig-out needs a signature"),
        (&["--cid", "app"], "Unknown namespace for UUID"),
    ];
    for (extra, needle) in cases {
        let mut a: Vec<&str> = vec!["sign"];
        a.extend(NXP);
        if !extra.contains(&"-v") {
            a.extend(["-v", "1.0"]);
        }
        a.extend(*extra);
        let app = app();
        let o = out.display().to_string();
        a.push(&app);
        a.push(&o);
        let r = ms(&a);
        refused(&r, &format!("{extra:?}"), needle);
    }
    // Clap-level usage errors exit 2 too (several lines of usage are clap's).
    let r = ms(&[
        "sign", "-v", "1.0", "--align", "3", "-H", "32", "-S", "0x1000", "a", "b",
    ]);
    assert_eq!(r.code, 2);
    let r = ms(&["sign", "-H", "32", "-S", "0x1000", "a", "b"]);
    assert_eq!(r.code, 2, "-v is required");
}

#[test]
fn oversize_images_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.bin");
    let app = app();
    let o = out.display().to_string();
    // 3000 + 0x400 header + TLVs + trailer (0x630) > 0x1000.
    let r = ms(&[
        "sign",
        "-v",
        "1.0",
        "--align",
        "4",
        "-H",
        "0x400",
        "--pad-header",
        "-S",
        "0x1000",
        &app,
        &o,
    ]);
    refused(
        &r,
        "too big",
        "Image size (0xfe0) + trailer (0x630) exceeds requested size 0x1000",
    );
    // The same image fits an overwrite-only trailer (0x20) in 0x1000.
    let r = ms(&[
        "sign",
        "-v",
        "1.0",
        "--align",
        "4",
        "-H",
        "0x400",
        "--pad-header",
        "-S",
        "0x1000",
        "--overwrite-only",
        "--pad",
        &app,
        &o,
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(fs::metadata(&out).unwrap().len(), 0x1000);
}

#[test]
fn hex_input_at_zero_with_pad_header_is_refused_not_misplaced() {
    let dir = tempfile::tempdir().unwrap();
    let hex = dir.path().join("app0.hex");
    // 32 bytes at address 0.
    let mut text = String::new();
    for (i, chunk) in [[0x11u8; 16], [0x22u8; 16]].iter().enumerate() {
        let mut rec = vec![16u8, 0, (i * 16) as u8, 0];
        rec.extend_from_slice(chunk);
        let sum = rec
            .iter()
            .fold(0u8, |a, x| a.wrapping_add(*x))
            .wrapping_neg();
        rec.push(sum);
        text.push(':');
        for b in rec {
            text.push_str(&format!("{b:02X}"));
        }
        text.push('\n');
    }
    text.push_str(":00000001FF\n");
    fs::write(&hex, text).unwrap();
    let h = hex.display().to_string();
    let o = dir.path().join("out.hex").display().to_string();
    let r = ms(&[
        "sign",
        "-v",
        "1.0",
        "-H",
        "0x200",
        "--pad-header",
        "-S",
        "0x10000",
        &h,
        &o,
    ]);
    refused(&r, "hex at 0", "below the 0x200-byte header");
    // With an explicit address it works, as does binary output.
    let r = ms(&[
        "sign",
        "-v",
        "1.0",
        "-H",
        "0x200",
        "--pad-header",
        "-S",
        "0x10000",
        "-x",
        "0x8000",
        &h,
        &o,
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let ob = dir.path().join("out.bin").display().to_string();
    let r = ms(&[
        "sign",
        "-v",
        "1.0",
        "-H",
        "0x200",
        "--pad-header",
        "-S",
        "0x10000",
        &h,
        &ob,
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    // Binary input to HEX output needs an address.
    let r = ms(&[
        "sign",
        "-v",
        "1.0",
        "-H",
        "0x200",
        "--pad-header",
        "-S",
        "0x10000",
        &app(),
        &o,
    ]);
    refused(&r, "bin to hex", "No address exists in input file");
}

#[test]
fn malformed_images_are_rejected_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = fs::read(vectors().join("out/ed25519_seccnt_deps.bin")).unwrap();
    let k = key("ed25519.pem");
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    cases.push(("truncated header", good[..20].to_vec(), "truncated"));
    cases.push(("truncated body", good[..0x800].to_vec(), "truncated"));
    let mut bad_prot = good.clone();
    bad_prot[0xfb8 + 2] = 0xff; // protected tlv_tot
    cases.push(("protected size", bad_prot, ""));
    let mut bad_len = good.clone();
    bad_len[0xfd4 + 4 + 2] = 0xff; // first unprotected TLV length
    bad_len[0xfd4 + 4 + 3] = 0xff;
    cases.push(("TLV length", bad_len, "truncated"));
    let mut bad_magic = good.clone();
    bad_magic[0xfd4] = 0;
    cases.push(("TLV magic", bad_magic, "Invalid TLV info magic"));
    cases.push((
        "not an image",
        b"hello world, this is not it".to_vec(),
        "Invalid image magic",
    ));
    for (what, bytes, needle) in cases {
        let p = dir.path().join("bad.bin");
        fs::write(&p, &bytes).unwrap();
        let ps = p.display().to_string();
        // verify: imgtool's one-line verdict on stdout, exit 1, never a panic.
        let r = ms(&["verify", "-k", &k, &ps]);
        assert_eq!(r.code, 1, "{what}: {r:?}");
        assert_eq!(r.stdout.lines().count(), 1, "{what}: {r:?}");
        assert!(r.stdout.contains(needle), "{what}: {r:?}");
        assert!(r.stderr.is_empty(), "{what}: {r:?}");
        // dumpinfo: one line on stderr, exit 2 (or a dump when the structure holds).
        let d = ms(&["dumpinfo", &ps]);
        assert!(d.code == 0 || d.code == 2, "{what}: {d:?}");
        if d.code == 2 {
            assert_one_line_error(&d, what);
        }
        assert!(!d.stderr.contains("panicked"));
    }
}

#[test]
fn exit_codes_io_and_misc_commands() {
    let dir = tempfile::tempdir().unwrap();
    // Missing input: 2 with imgtool's words.
    let r = ms(&[
        "sign",
        "-v",
        "1",
        "-H",
        "32",
        "-S",
        "0x1000",
        "/nonexistent/in.bin",
        "o.bin",
    ]);
    refused(&r, "missing input", "Input file not found");
    // Unwritable output: 3.
    let r = ms(&[
        "sign",
        "-v",
        "1",
        "-H",
        "32",
        "--pad-header",
        "-S",
        "0x10000",
        &app(),
        "/nonexistent/dir/o.bin",
    ]);
    assert_eq!(r.code, 3, "{r:?}");
    assert_one_line_error(&r, "unwritable");
    // version, keyinfo.
    assert_eq!(ms(&["version"]).stdout, "2.5.0\n");
    assert_eq!(
        ms(&["keyinfo", "-k", &key("ed25519.pem")]).stdout,
        "private\n"
    );
    assert_eq!(
        ms(&["keyinfo", "-k", &key("ed25519.pub.pem")]).stdout,
        "public\n"
    );
    let r = ms(&[
        "keyinfo",
        "-k",
        &key("ed25519.pub.pem"),
        "--require",
        "private",
    ]);
    assert_eq!(r.code, 2);
    // keygen: 0600, refuses -p, every type loads back.
    for t in ["rsa-2048", "ecdsa-p256", "ecdsa-p384", "ed25519", "x25519"] {
        let p = dir.path().join(format!("{t}.pem"));
        let r = ms(&["keygen", "-k", &p.display().to_string(), "-t", t]);
        assert_eq!(r.code, 0, "{t}: {r:?}");
        assert!(PrivateKey::from_file(&p).is_ok());
    }
    let r = ms(&[
        "keygen",
        "-k",
        &dir.path().join("p.pem").display().to_string(),
        "-t",
        "ed25519",
        "-p",
    ]);
    refused(&r, "keygen -p", "not supported");
    // getpriv of Ed25519 and of a public key: refused.
    refused(
        &ms(&["getpriv", "-k", &key("ed25519.pem")]),
        "getpriv ed25519",
        "Operation not supported with ed25519 keys",
    );
    refused(
        &ms(&["getpriv", "-k", &key("ecdsa-p256.pub.pem")]),
        "getpriv pub",
        "requires private key",
    );
    refused(
        &ms(&["getpriv", "-k", &key("rsa-2048.pem"), "-f", "pkcs8"]),
        "getpriv rsa pkcs8",
        "rsa does not support pkcs8",
    );
    refused(
        &ms(&[
            "getpub",
            "-k",
            &key("rsa-2048.pem"),
            "-e",
            "pem",
            "--name-suffix",
            "_2",
        ]),
        "suffix",
        "only meaningful",
    );
    refused(
        &ms(&["getpub", "-k", &key("rsa-2048.pem"), "--name-suffix", "a-b"]),
        "suffix chars",
        "must contain only",
    );
    // Name suffix as imgtool emits it.
    let c = ms(&["getpub", "-k", &key("rsa-2048.pem"), "--name-suffix", "_2"]).stdout;
    assert!(
        c.contains("const unsigned char rsa_pub_key_2[] = {")
            && c.contains("rsa_pub_key_2_len = 270;")
    );
    // stdout output with "-".
    let out = run_bytes(
        &mcuboot_sign(),
        &[
            "sign",
            "-v",
            "1.2.3+4",
            "--align",
            "4",
            "-H",
            "0x400",
            "--pad-header",
            "-S",
            "0x200000",
            "-M",
            "800",
            &app(),
            "-",
        ],
    );
    assert_eq!(
        out,
        fs::read(vectors().join("out/unsigned_v1234.bin")).unwrap()
    );
    // verify of a good image with the wrong key: 1.
    let r = ms(&[
        "verify",
        "-k",
        &key("rsa-2048.pem"),
        &vectors().join("out/ed25519.bin").display().to_string(),
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (1, "No signature found for the given key\n")
    );
}
