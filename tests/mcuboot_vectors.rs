//! `mcuboot-sign` against the imgtool 2.5.0 reference vectors (`tests/vectors/mcuboot`,
//! made by `gen.sh` there):
//!
//! * every deterministic image (unsigned, Ed25519, hash-only, pad/confirm/test, versions,
//!   security counter, dependencies, custom TLVs, UUIDs, key hash vs full key, HEX in and
//!   out, vector-to-sign, sig-out/fix-sig) is rebuilt byte-identically by running the exact
//!   `gen.sh` command line through our binary;
//! * every randomized image (RSA, ECDSA, encrypted) is verified, and the encrypted ones
//!   decrypted, by us; the MCUboot validator accepts them;
//! * `verify` and `dumpinfo` print what imgtool printed; `getpub`, `getpubhash` and
//!   `getpriv` write what imgtool wrote;
//! * the error cases fail with exit code 2 and one line naming the problem.

mod mcuboot_util;

use mcuboot_util::*;
use provkit::mcuboot::build::{ImageHash, SigAlg};
use provkit::mcuboot::validate::{BootConfig, validate};
use provkit::mcuboot::{McubootImage, enc};
use std::fs;

#[test]
fn every_deterministic_vector_is_rebuilt_byte_identically() {
    let dir = work_dir();
    let mut identical = Vec::new();
    let mut randomized = 0;
    for line in gen_sign_lines() {
        let out_rel = format!("out/{}", line.name);
        let mut args: Vec<&str> = vec!["sign"];
        args.extend(line.args.iter().map(String::as_str));
        args.push(&out_rel);
        let r = run_in(dir.path(), &mcuboot_sign(), &args);
        let reference = vectors().join("out").join(&line.name);
        if !reference.exists() {
            // An error case: imgtool made no file; neither may we.
            assert_eq!(r.code, 2, "{}: {r:?}", line.name);
            assert!(!dir.path().join(&out_rel).exists(), "{}", line.name);
            assert_one_line_error(&r, &line.name);
            let theirs = imgtool_error(&line.name);
            let ours = r.stderr.trim().trim_start_matches("mcuboot-sign: ");
            // Same wording, except where imgtool's text is broken (literal placeholders) or
            // we add advice after it.
            let expected = theirs
                .replace("{allowed}", "256")
                .replace("{TLV_VENDOR_RES_MAX:04x}", "fffe");
            assert!(
                ours.starts_with(&expected),
                "{}: ours {ours:?}, imgtool {theirs:?}",
                line.name
            );
            continue;
        }
        assert_eq!(r.code, 0, "{}: {r:?}", line.name);
        if is_deterministic(&line.name) {
            let ours = fs::read(dir.path().join(&out_rel)).unwrap();
            let theirs = fs::read(&reference).unwrap();
            assert!(
                ours == theirs,
                "{}: {} bytes vs imgtool's {}, first difference at {:?}",
                line.name,
                ours.len(),
                theirs.len(),
                ours.iter().zip(&theirs).position(|(a, b)| a != b)
            );
            // stdout too ("image.py: sign the digest", "image.py: export payload", ...).
            assert_eq!(r.stdout, imgtool_stdout(&line.name), "{}", line.name);
            identical.push(line.name.clone());
        } else {
            randomized += 1;
        }
    }
    // The base64 signature of --sig-out is deterministic as well.
    assert_eq!(
        fs::read(dir.path().join("out/sigout_ed25519.sig.b64")).unwrap(),
        fs::read(vectors().join("out/sigout_ed25519.sig.b64")).unwrap()
    );
    identical.push("sigout_ed25519.sig.b64".into());
    eprintln!(
        "{} deterministic vectors byte-identical, {randomized} randomized built",
        identical.len()
    );
    assert_eq!(identical.len(), 42, "{identical:?}");
    assert_eq!(randomized, 19);
}

/// Randomized vectors: (image, signing key, encryption key, --clear).
const RANDOMIZED: &[(&str, Option<&str>, Option<&str>, bool)] = &[
    ("rsa2048", Some("rsa-2048"), None, false),
    ("rsa2048_full", Some("rsa-2048"), None, false),
    ("rsa3072", Some("rsa-3072"), None, false),
    ("ecdsa_p256", Some("ecdsa-p256"), None, false),
    ("ecdsa_p256_full", Some("ecdsa-p256"), None, false),
    ("ecdsa_p256_padsig", Some("ecdsa-p256"), None, false),
    ("ecdsa_p384", Some("ecdsa-p384"), None, false),
    ("ecdsa_p256_seccnt_confirm", Some("ecdsa-p256"), None, false),
    ("nxp_sdk_ecdsa_p256", Some("ecdsa-p256"), None, false),
    ("nxp_sdk_rsa2048_ms800", Some("rsa-2048"), None, false),
    (
        "enc_ec256_ecdsa",
        Some("ecdsa-p256"),
        Some("enc-ec256"),
        false,
    ),
    (
        "enc_ec256_ecdsa_aes256",
        Some("ecdsa-p256"),
        Some("enc-ec256"),
        false,
    ),
    (
        "enc_ec256_ecdsa_clear",
        Some("ecdsa-p256"),
        Some("enc-ec256"),
        true,
    ),
    (
        "enc_ec256_ecdsa_confirm",
        Some("ecdsa-p256"),
        Some("enc-ec256"),
        false,
    ),
    (
        "enc_rsa_rsa2048",
        Some("rsa-2048"),
        Some("enc-rsa-2048"),
        false,
    ),
    (
        "enc_x25519_ed25519",
        Some("ed25519"),
        Some("enc-x25519"),
        false,
    ),
    (
        "enc_x25519_ed25519_hmac512",
        Some("ed25519"),
        Some("enc-x25519"),
        false,
    ),
    (
        "enc_x25519_unsigned_aes256",
        None,
        Some("enc-x25519"),
        false,
    ),
    ("enc_x25519_unsigned_4096", None, Some("enc-x25519"), false),
];

#[test]
fn every_randomized_vector_is_verified_and_decrypted() {
    let v = vectors();
    let app = fs::read(v.join("inputs/app.bin")).unwrap();
    let app4096 = fs::read(v.join("inputs/app4096.bin")).unwrap();
    for (name, sig, enc_key, clear) in RANDOMIZED {
        let img_path = v.join(format!("out/{name}.bin"));
        let key_arg = sig.map(|k| v.join(format!("keys/{k}.pem")));
        // 1. Our verify (imgtool semantics), decrypting first where needed.
        let mut args: Vec<String> = vec!["verify".into()];
        if let Some(k) = &key_arg {
            args.extend(["-k".into(), k.display().to_string()]);
        }
        if let Some(e) = enc_key {
            args.extend([
                "--decrypt-key".into(),
                v.join(format!("keys/{e}.pem")).display().to_string(),
            ]);
        }
        args.push(img_path.display().to_string());
        let r = run_args(&mcuboot_sign(), &args);
        assert_eq!(r.code, 0, "{name}: {r:?}");
        assert!(
            r.stdout
                .starts_with("Image was correctly validated\nImage version: ")
        );
        if enc_key.is_none() {
            // Same digest as imgtool printed.
            assert_eq!(r.stdout, imgtool_verify_stdout(name), "{name}");
        }

        // 2. The library: decrypt, compare with the application, validate as MCUboot.
        let bytes = fs::read(&img_path).unwrap();
        let parsed = McubootImage::parse(&bytes).unwrap();
        let body_app = if parsed.header.img_size >= 4096 {
            &app4096
        } else {
            &app
        };
        let mut cfg = match sig {
            Some(k) => {
                let pk = provkit::crypto::PublicKey::from_file(&v.join(format!("keys/{k}.pem")))
                    .unwrap();
                BootConfig::signed(SigAlg::for_key(pk.key_type()).unwrap(), vec![pk])
            }
            None => BootConfig {
                hash: ImageHash::Sha256,
                ..BootConfig::signed(SigAlg::Ed25519, Vec::new())
            },
        };
        if sig.is_none() {
            cfg.sig = None;
        }
        if name.ends_with("_full") {
            // A PUBKEY TLV selects the key only in MCUBOOT_HW_KEY builds: the device holds
            // the key's hash (fuses) instead of the key.
            let der = provkit::mcuboot::keyfmt::public_der(&cfg.keys[0]).unwrap();
            cfg.hw_key_hash = Some(cfg.hash.digest(&der));
        }
        if name.ends_with("hmac512") {
            cfg.hash = ImageHash::Sha512;
        }
        let slot = padded(&bytes, 0x20_0000);
        if let Some(e) = enc_key {
            let device =
                provkit::crypto::PrivateKey::from_file(&v.join(format!("keys/{e}.pem"))).unwrap();
            let mut plain = bytes.clone();
            let key = enc::decrypt_image(&mut plain, &device).unwrap();
            assert_eq!(key.len(), if name.contains("aes256") { 32 } else { 16 });
            let p = McubootImage::parse(&plain).unwrap();
            let body = if *clear { &parsed.body } else { &p.body };
            assert_eq!(&body[..body_app.len()], body_app.as_slice(), "{name}");
            assert!(
                body[body_app.len()..].iter().all(|&b| b == 0),
                "{name}: 16-byte padding is zeros"
            );
            assert_eq!(body.len() % 16, 0);
            if !*clear {
                cfg.enc_key = Some(device);
                // Secondary slot: MCUboot decrypts while hashing.
                validate(&slot, slot.len() - 0x3000, &cfg, true)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        } else {
            assert_eq!(&parsed.body, body_app, "{name}");
            validate(&slot, slot.len() - 0x3000, &cfg, false)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn verify_prints_what_imgtool_printed() {
    let v = vectors();
    let mut checked = 0;
    let mut cases: Vec<(String, Option<String>, String)> = gen_sign_lines()
        .into_iter()
        .filter(|l| vectors().join("out").join(&l.name).exists())
        .filter(|l| !l.name.starts_with("vts_"))
        // imgtool cannot read big-endian images (it unpacks little-endian); we can.
        .filter(|l| l.name != "unsigned_bigendian.bin")
        .map(|l| {
            let key = (!l.vkey.is_empty()).then(|| l.vkey.clone());
            (l.name.clone(), key, stem(&l.name).to_string())
        })
        .collect();
    for (img, key, txt) in [
        (
            "neg_ed25519_flipbody.bin",
            "keys/ed25519.pem",
            "neg_ed25519_flipbody",
        ),
        ("ed25519.bin", "keys/rsa-2048.pem", "neg_ed25519_wrongkey"),
        ("rsa2048.bin", "keys/ecdsa-p256.pem", "neg_rsa_with_p256"),
    ] {
        cases.push((img.into(), Some(key.into()), txt.into()));
    }
    for (img, key, txt) in cases {
        let mut args = vec!["verify".to_string()];
        if let Some(k) = &key {
            args.extend(["-k".into(), v.join(k).display().to_string()]);
        }
        args.push(v.join("out").join(&img).display().to_string());
        let r = run_args(&mcuboot_sign(), &args);
        let expected = fs::read_to_string(v.join(format!("out/{txt}.verify.txt"))).unwrap();
        let (exp_out, exp_code) = split_exit(&expected);
        assert_eq!(
            (r.stdout.as_str(), r.code),
            (exp_out, exp_code),
            "{img} with {key:?}"
        );
        checked += 1;
    }
    // A plain binary.
    let r = run_args(
        &mcuboot_sign(),
        &[
            "verify".into(),
            v.join("inputs/app.bin").display().to_string(),
        ],
    );
    let expected = fs::read_to_string(v.join("out/neg_plain_bin.verify.txt")).unwrap();
    assert_eq!((r.stdout.as_str(), r.code), split_exit(&expected));
    eprintln!("{} verify outputs identical to imgtool's", checked + 1);
    assert!(checked >= 60);
}

#[test]
fn dumpinfo_prints_what_imgtool_printed() {
    let v = vectors();
    let mut n = 0;
    for entry in fs::read_dir(v.join("out")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".dumpinfo.txt") else {
            continue;
        };
        // vts_* are not images (imgtool prints garbage); imgtool crashes on big-endian.
        if stem.starts_with("vts_") || stem == "unsigned_bigendian" {
            continue;
        }
        let img = ["bin", "hex"]
            .iter()
            .map(|e| v.join(format!("out/{stem}.{e}")))
            .find(|p| p.exists())
            .unwrap();
        let r = run_args(
            &mcuboot_sign(),
            &["dumpinfo".into(), img.display().to_string()],
        );
        assert_eq!(r.code, 0, "{stem}: {r:?}");
        assert_eq!(r.stdout, fs::read_to_string(&p).unwrap(), "{stem}");
        n += 1;
    }
    for (fmt, img, file) in [
        (
            "json",
            "ecdsa_p256_seccnt_confirm.bin",
            "ecdsa_p256_seccnt_confirm.dumpinfo.json",
        ),
        ("yaml", "unsigned_deps2.bin", "unsigned_deps2.dumpinfo.yaml"),
    ] {
        let r = run_args(
            &mcuboot_sign(),
            &[
                "dumpinfo".into(),
                "-f".into(),
                fmt.into(),
                v.join("out").join(img).display().to_string(),
            ],
        );
        assert_eq!(
            r.stdout,
            fs::read_to_string(v.join("out").join(file)).unwrap(),
            "{fmt}"
        );
        n += 1;
    }
    eprintln!("{n} dumpinfo outputs identical to imgtool's");
    assert_eq!(n, 59);
}

#[test]
fn key_exports_match_imgtool() {
    let v = vectors();
    let ms = mcuboot_sign();
    let mut n = 0;
    for k in [
        "rsa-2048",
        "rsa-3072",
        "ecdsa-p256",
        "ecdsa-p384",
        "ed25519",
        "enc-rsa-2048",
        "enc-ec256",
        "enc-x25519",
    ] {
        // From the private key and from its public PEM: same bytes.
        for src in [format!("keys/{k}.pem"), format!("keys/{k}.pub.pem")] {
            let key = v.join(&src).display().to_string();
            for (args, file) in [
                (vec!["getpub", "-e", "pem"], "pub.pem"),
                (vec!["getpub", "-e", "raw"], "pub.der"),
                (vec!["getpub", "-e", "lang-c"], "pub.c"),
                (vec!["getpub"], "pub.c"),
                (vec!["getpub", "-l", "rust"], "pub.rs"),
                (vec!["getpub", "-e", "lang-rust"], "pub.rs"),
                (vec!["getpubhash", "-e", "raw"], "pubhash.bin"),
                (vec!["getpubhash"], "pubhash.c"),
            ] {
                let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                a.extend(["-k".into(), key.clone()]);
                let out = run_bytes(&ms, &a);
                let expected = fs::read(v.join(format!("keys/{k}.{file}"))).unwrap();
                assert!(out == expected, "{src} {args:?}");
                n += 1;
            }
        }
    }
    for (args, file) in [
        (vec!["-k", "keys/enc-ec256.pem"], "enc-ec256.priv.c"),
        (
            vec!["-k", "keys/enc-ec256.pem", "--minimal"],
            "enc-ec256.priv-minimal.c",
        ),
        (vec!["-k", "keys/enc-rsa-2048.pem"], "enc-rsa-2048.priv.c"),
        (vec!["-k", "keys/enc-x25519.pem"], "enc-x25519.priv.c"),
    ] {
        let mut a = vec!["getpriv".to_string()];
        a.extend(args.iter().map(|s| {
            if s.starts_with("keys/") {
                v.join(s).display().to_string()
            } else {
                s.to_string()
            }
        }));
        assert_eq!(
            run_bytes(&ms, &a),
            fs::read(v.join("keys").join(file)).unwrap(),
            "{file}"
        );
        n += 1;
    }
    eprintln!("{n} key exports identical to imgtool's");
}

fn padded(image: &[u8], slot: usize) -> Vec<u8> {
    let mut s = image.to_vec();
    s.resize(slot.max(image.len() + 0x4000), 0xff);
    s
}

fn split_exit(text: &str) -> (&str, i32) {
    let (body, code) = text
        .trim_end_matches('\n')
        .rsplit_once("exit=")
        .expect("exit= line");
    (body, code.trim().parse().unwrap())
}

fn imgtool_stdout(name: &str) -> String {
    let t = fs::read_to_string(vectors().join(format!("out/{}.sign.txt", stem(name)))).unwrap();
    split_exit(&t).0.to_string()
}

fn imgtool_verify_stdout(stem_name: &str) -> String {
    let t = fs::read_to_string(vectors().join(format!("out/{stem_name}.verify.txt"))).unwrap();
    split_exit(&t).0.to_string()
}

fn imgtool_error(name: &str) -> String {
    let t = fs::read_to_string(vectors().join(format!("out/{}.sign.txt", stem(name)))).unwrap();
    t.lines()
        .find_map(|l| l.strip_prefix("Error: "))
        .unwrap_or_else(|| panic!("{name}: no Error line"))
        .to_string()
}
