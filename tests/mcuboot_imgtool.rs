//! `mcuboot-sign` against live imgtool 2.5.0 (`$PROVKIT_SPSDK3/bin/imgtool`) over
//! randomly drawn option sets (fixed seeds, so a failure replays; `MCUBOOT_SEED=N` picks
//! another run):
//!
//! * both tools sign the same input with the same options and key: where imgtool is
//!   deterministic (unsigned, Ed25519) the outputs are byte-identical;
//! * `imgtool verify` accepts our image, and our `verify` accepts imgtool's, printing the
//!   same lines (the digest does not depend on the randomized signature);
//! * `imgtool dumpinfo` and ours print the same for imgtool's image;
//! * encryption: we decrypt what imgtool encrypts, and an independent Python model
//!   (`cryptography`, in the same venv) decrypts what we encrypt;
//! * keys made by `mcuboot-sign keygen` are read by imgtool (`getpub` identical).
//!
//! Case counts are moderate: one imgtool call costs 0.3-1 s.

mod mcuboot_util;

use mcuboot_util::*;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

static IMGTOOL_VERIFIED: AtomicUsize = AtomicUsize::new(0);

fn seed(base: u64) -> u64 {
    std::env::var("MCUBOOT_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(base, |s| s ^ base)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    None,
    Rsa2048,
    Rsa3072,
    P256,
    P384,
    Ed25519,
}

impl Key {
    fn vector_key(self) -> Option<&'static str> {
        match self {
            Key::None => None,
            Key::Rsa2048 => Some("rsa-2048"),
            Key::Rsa3072 => Some("rsa-3072"),
            Key::P256 => Some("ecdsa-p256"),
            Key::P384 => Some("ecdsa-p384"),
            Key::Ed25519 => Some("ed25519"),
        }
    }

    fn deterministic(self) -> bool {
        matches!(self, Key::None | Key::Ed25519)
    }
}

/// A drawn case: the sign arguments (without key and files) and the input.
#[derive(Debug)]
struct Case {
    args: Vec<String>,
    input: Vec<u8>,
    input_hex_base: Option<u64>,
    hex_out: bool,
    big_endian: bool,
}

fn version(rng: &mut SmallRng) -> String {
    match rng.gen_range(0..4) {
        0 => format!("{}", rng.gen_range(0..=255u32)),
        1 => format!(
            "{}.{}",
            rng.gen_range(0..=255u32),
            rng.gen_range(0..=255u32)
        ),
        2 => format!(
            "{}.{}.{}",
            rng.gen_range(0..=255u32),
            rng.gen_range(0..=255u32),
            rng.gen_range(0..=65535u32)
        ),
        _ => format!(
            "{}.{}.{}+{}",
            rng.gen_range(0..=255u32),
            rng.gen_range(0..=255u32),
            rng.gen_range(0..=65535u32),
            rng.r#gen::<u32>()
        ),
    }
}

fn draw(rng: &mut SmallRng, key: Key) -> Case {
    let mut a: Vec<String> = Vec::new();
    let mut push = |v: &[&str]| a.extend(v.iter().map(|s| s.to_string()));
    let header = [0x20u32, 0x80, 0x100, 0x200, 0x400][rng.gen_range(0..5)];
    let body_len = rng.gen_range(1..6000usize);
    let mut body: Vec<u8> = (0..body_len).map(|_| rng.r#gen()).collect();
    let pad_header = rng.gen_bool(0.75);
    let v = version(rng);
    push(&["-v", &v, "-H", &format!("0x{header:x}")]);
    if pad_header {
        push(&["--pad-header"]);
    } else {
        let mut b = vec![0u8; header as usize];
        b.extend_from_slice(&body);
        body = b;
    }
    let align = [1u32, 2, 4, 8, 16, 32][rng.gen_range(0..6)];
    push(&["--align", &align.to_string()]);
    if rng.gen_bool(0.2) {
        let m = [8u32, 16, 32][rng.gen_range(0..3)];
        if m >= align {
            push(&["--max-align", &m.to_string()]);
        }
    }
    let max_sectors = [None, Some(16u32), Some(64), Some(128), Some(800)][rng.gen_range(0..5)];
    if let Some(m) = max_sectors {
        push(&["-M", &m.to_string()]);
    }
    let slot = 0x20000u32;
    push(&["-S", &format!("0x{slot:x}")]);
    match rng.gen_range(0..6) {
        0 => push(&["--pad"]),
        1 => push(&["--confirm"]),
        2 => push(&["--test"]),
        _ => {}
    }
    if rng.gen_bool(0.15) {
        push(&["--overwrite-only"]);
    }
    match rng.gen_range(0..4) {
        0 => push(&["-s", "auto"]),
        1 => push(&["-s", &format!("0x{:x}", rng.r#gen::<u32>())]),
        _ => {}
    }
    if rng.gen_bool(0.3) {
        let n = rng.gen_range(1..4);
        let deps: Vec<String> = (0..n)
            .map(|_| format!("({}, {})", rng.gen_range(0..4), version(rng)))
            .collect();
        push(&["-d", &deps.join(",")]);
    }
    if rng.gen_bool(0.2) {
        push(&[
            "--boot-record",
            ["CoFM", "BL2", "app", "SPE_nspe1234"][rng.gen_range(0..4)],
        ]);
    }
    if rng.gen_bool(0.3) {
        let tag = rng.gen_range(0xa0..0x2000u32);
        {
            let val = if rng.gen_bool(0.5) {
                format!(
                    "0x{}",
                    (0..rng.gen_range(1..20))
                        .map(|_| format!("{:02x}", rng.r#gen::<u8>()))
                        .collect::<String>()
                )
            } else {
                "hello-tlv".to_string()
            };
            push(&["--custom-tlv", &format!("0x{tag:x}"), &val]);
        }
    }
    if rng.gen_bool(0.15) {
        push(&["--vid", "nxp.com", "--cid", "mcuboot_app"]);
    }
    if rng.gen_bool(0.15) {
        push(&["-R", "0"]);
    }
    if rng.gen_bool(0.1) {
        push(&["--non-bootable"]);
    }
    match rng.gen_range(0..8) {
        0 => push(&["-L", "0x20000000"]),
        1 => push(&["-F", "0x28040000"]),
        _ => {}
    }
    match key {
        Key::None => match rng.gen_range(0..4) {
            0 => push(&["--sha", "384"]),
            1 => push(&["--sha", "512"]),
            _ => {}
        },
        Key::Ed25519 => match rng.gen_range(0..4) {
            0 => push(&["--sha", "512"]),
            1 => push(&["--pure"]),
            _ => {}
        },
        Key::P256 | Key::P384 if rng.gen_bool(0.3) => push(&["--pad-sig"]),
        _ => {}
    }
    if key != Key::None && rng.gen_bool(0.3) {
        push(&["--public-key-format", "full"]);
    }
    let big_endian = key.deterministic() && rng.gen_bool(0.1);
    if big_endian {
        push(&["-e", "big"]);
    }
    let hex_out = rng.gen_bool(0.2);
    let input_hex_base =
        (pad_header && rng.gen_bool(0.15)).then_some(0x1000_0000u64 + u64::from(header));
    if hex_out && input_hex_base.is_none() {
        push(&["-x", "0x8000000"]);
    }
    Case {
        args: a,
        input: body,
        input_hex_base,
        hex_out,
        big_endian,
    }
}

fn hex_of(base: u64, data: &[u8]) -> String {
    let mut s = String::new();
    let mut high = u64::MAX;
    for (i, chunk) in data.chunks(16).enumerate() {
        let addr = base + (i * 16) as u64;
        if addr >> 16 != high {
            high = addr >> 16;
            let rec = [2u8, 0, 0, 4, (high >> 8) as u8, high as u8];
            s.push_str(&record(&rec));
        }
        let mut rec = vec![chunk.len() as u8, (addr >> 8) as u8, addr as u8, 0];
        rec.extend_from_slice(chunk);
        s.push_str(&record(&rec));
    }
    s.push_str(":00000001FF\n");
    s
}

fn record(b: &[u8]) -> String {
    let sum = b.iter().fold(0u8, |a, x| a.wrapping_add(*x)).wrapping_neg();
    let mut s = String::from(":");
    for x in b.iter().chain([sum].iter()) {
        s.push_str(&format!("{x:02X}"));
    }
    s.push('\n');
    s
}

struct Keys {
    dir: tempfile::TempDir,
}

impl Keys {
    /// The vector key, or for a few types a key made by our `keygen` (so imgtool reads
    /// keys we write).
    fn new() -> Keys {
        let dir = tempfile::tempdir().unwrap();
        for (t, name) in [
            ("ecdsa-p256", "ours-p256"),
            ("ed25519", "ours-ed25519"),
            ("rsa-2048", "ours-rsa2048"),
        ] {
            let path = dir.path().join(format!("{name}.pem"));
            let r = run_args(
                &mcuboot_sign(),
                &[
                    "keygen".into(),
                    "-t".into(),
                    t.into(),
                    "-k".into(),
                    path.display().to_string(),
                ],
            );
            assert_eq!(r.code, 0, "{r:?}");
        }
        Keys { dir }
    }

    fn path(&self, key: Key, ours: bool) -> Option<PathBuf> {
        let own = match (key, ours) {
            (Key::P256, true) => Some("ours-p256"),
            (Key::Ed25519, true) => Some("ours-ed25519"),
            (Key::Rsa2048, true) => Some("ours-rsa2048"),
            _ => None,
        };
        match own {
            Some(n) => Some(self.dir.path().join(format!("{n}.pem"))),
            None => key
                .vector_key()
                .map(|k| vectors().join(format!("keys/{k}.pem"))),
        }
    }
}

fn run_case(keys: &Keys, key: Key, seed: u64, i: usize, rng: &mut SmallRng) {
    let case = draw(rng, key);
    let key_path = keys.path(key, rng.gen_bool(0.4));
    let dir = tempfile::tempdir().unwrap();
    let input = match case.input_hex_base {
        Some(base) => {
            let p = dir.path().join("in.hex");
            std::fs::write(&p, hex_of(base, &case.input)).unwrap();
            p
        }
        None => {
            let p = dir.path().join("in.bin");
            std::fs::write(&p, &case.input).unwrap();
            p
        }
    };
    let ext = if case.hex_out { "hex" } else { "bin" };
    let ours = dir.path().join(format!("ours.{ext}"));
    let theirs = dir.path().join(format!("theirs.{ext}"));
    let mut args = vec!["sign".to_string()];
    if let Some(k) = &key_path {
        args.extend(["-k".into(), k.display().to_string()]);
    }
    args.extend(case.args.iter().cloned());
    args.push(input.display().to_string());
    let ctx = format!("seed {seed} case {i} key {key:?} args {args:?}");

    let mut a_ours = args.clone();
    a_ours.push(ours.display().to_string());
    let r = run_args(&mcuboot_sign(), &a_ours);
    let mut a_theirs = args.clone();
    a_theirs.push(theirs.display().to_string());
    let t = run_args(&imgtool(), &a_theirs);
    assert_eq!(t.code, 0, "imgtool failed: {ctx}: {t:?}");
    assert_eq!(r.code, 0, "we failed: {ctx}: {r:?}");
    assert_eq!(r.stdout, t.stdout, "stdout: {ctx}");
    let ob = std::fs::read(&ours).unwrap();
    let tb = std::fs::read(&theirs).unwrap();
    if key.deterministic() {
        assert!(ob == tb, "not byte-identical: {ctx}");
    } else if !case.hex_out {
        // ECDSA DER signatures vary by up to 2 bytes.
        assert!(ob.len().abs_diff(tb.len()) <= 2, "lengths: {ctx}");
    }
    if case.big_endian {
        // imgtool verify reads little-endian only.
        return;
    }
    // imgtool verifies ours; we verify imgtool's: same lines.
    let mut v = vec!["verify".to_string()];
    if let Some(k) = &key_path {
        v.extend(["-k".into(), k.display().to_string()]);
    }
    let mut v_ours = v.clone();
    v_ours.push(ours.display().to_string());
    let tv = run_args(&imgtool(), &v_ours);
    assert_eq!(tv.code, 0, "imgtool rejects ours: {ctx}: {tv:?}");
    assert!(
        tv.stdout.starts_with("Image was correctly validated"),
        "{ctx}"
    );
    IMGTOOL_VERIFIED.fetch_add(1, Ordering::Relaxed);
    let mut v_theirs = v.clone();
    v_theirs.push(theirs.display().to_string());
    let ov = run_args(&mcuboot_sign(), &v_theirs);
    assert_eq!(ov.code, 0, "we reject imgtool's: {ctx}: {ov:?}");
    assert_eq!(ov.stdout, tv.stdout, "verify output: {ctx}");
    // dumpinfo of imgtool's image, now and then.
    if i % 3 == 0 {
        let td = run_args(
            &imgtool(),
            &["dumpinfo".to_string(), theirs.display().to_string()],
        );
        let od = run_args(
            &mcuboot_sign(),
            &["dumpinfo".to_string(), theirs.display().to_string()],
        );
        assert_eq!(od.stdout, td.stdout, "dumpinfo: {ctx}");
    }
}

fn run_cases(key: Key, base_seed: u64, n: usize) {
    let keys = Keys::new();
    let s = seed(base_seed);
    let mut rng = SmallRng::seed_from_u64(s);
    for i in 0..n {
        run_case(&keys, key, s, i, &mut rng);
    }
    eprintln!(
        "{key:?}: {n} option sets; imgtool-verified images so far: {}",
        IMGTOOL_VERIFIED.load(Ordering::Relaxed)
    );
}

#[test]
fn unsigned_option_sets_match_imgtool_byte_for_byte() {
    run_cases(Key::None, 0x1001, 16);
}

#[test]
fn ed25519_option_sets_match_imgtool_byte_for_byte() {
    run_cases(Key::Ed25519, 0x2002, 16);
}

#[test]
fn rsa2048_option_sets_cross_verify() {
    run_cases(Key::Rsa2048, 0x3003, 10);
}

#[test]
fn rsa3072_option_sets_cross_verify() {
    run_cases(Key::Rsa3072, 0x4004, 6);
}

#[test]
fn ecdsa_p256_option_sets_cross_verify() {
    run_cases(Key::P256, 0x5005, 12);
}

#[test]
fn ecdsa_p384_option_sets_cross_verify() {
    run_cases(Key::P384, 0x6006, 8);
}

/// An independent decryption model (Python `cryptography` in the imgtool venv), written
/// from the reference, not from imgtool: unwraps the key TLV with the device key and
/// decrypts the body; prints the plaintext body in hex.
const PY_DECRYPT: &str = r#"
import sys, struct
from cryptography.hazmat.primitives import serialization, hashes, hmac
from cryptography.hazmat.primitives.asymmetric import ec, padding, x25519, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
b = open(sys.argv[1], 'rb').read()
priv = serialization.load_pem_private_key(open(sys.argv[2], 'rb').read(), None)
magic, load, hs, pts, isz, flags = struct.unpack_from('<IIHHII', b, 0)
klen = 32 if flags & 8 else 16
off = hs + isz + pts
m, tot = struct.unpack_from('<HH', b, off)
assert m == 0x6907
p = off + 4
tlvs = {}
while p < off + tot:
    t, l = struct.unpack_from('<HH', b, p); tlvs[t] = b[p+4:p+4+l]; p += 4 + l
if 0x30 in tlvs:
    k = priv.decrypt(tlvs[0x30], padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
else:
    t = [t for t in (0x32, 0x33, 0x34) if t in tlvs][0]; blob = tlvs[t]
    h = hashes.SHA512() if t == 0x34 else hashes.SHA256(); hl = h.digest_size
    if t == 0x32:
        shared = priv.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), blob[:65])); rest = blob[65:]
    else:
        shared = priv.exchange(x25519.X25519PublicKey.from_public_bytes(blob[:32])); rest = blob[32:]
    okm = HKDF(algorithm=h, length=klen + hl, salt=None, info=b'MCUBoot_ECIES_v1').derive(shared)
    mac = hmac.HMAC(okm[klen:], h); mac.update(rest[hl:]); mac.verify(rest[:hl])
    d = Cipher(algorithms.AES(okm[:klen]), modes.CTR(bytes(16))).decryptor(); k = d.update(rest[hl:]) + d.finalize()
assert len(k) == klen
d = Cipher(algorithms.AES(k), modes.CTR(bytes(16))).decryptor()
print((d.update(b[hs:hs+isz]) + d.finalize()).hex())
"#;

#[test]
fn encryption_interoperates_both_ways() {
    let v = vectors();
    let py = e2e::spsdk3_bin("python");
    let dir = tempfile::tempdir().unwrap();
    let mut rng = SmallRng::seed_from_u64(seed(0x7007));
    let script = dir.path().join("decrypt.py");
    std::fs::write(&script, PY_DECRYPT).unwrap();
    // (signing key, encryption key, extra args)
    let cases: &[(Option<&str>, &str, &[&str])] = &[
        (Some("ecdsa-p256"), "enc-ec256", &[]),
        (
            Some("ecdsa-p256"),
            "enc-ec256",
            &["--encrypt-keylen", "256"],
        ),
        (Some("rsa-2048"), "enc-rsa-2048", &[]),
        (Some("ed25519"), "enc-x25519", &[]),
        (
            Some("ed25519"),
            "enc-x25519",
            &["--hmac-sha", "512", "--encrypt-keylen", "256"],
        ),
        (None, "enc-x25519", &["--sha", "512"]),
        (None, "enc-ec256", &["--confirm", "--align", "8"]),
    ];
    let mut n = 0;
    for (i, (sig, enc, extra)) in cases.iter().enumerate() {
        let len = rng.gen_range(100..5000usize);
        let body: Vec<u8> = (0..len).map(|_| rng.r#gen()).collect();
        let input = dir.path().join(format!("in{i}.bin"));
        std::fs::write(&input, &body).unwrap();
        let enc_pub = v.join(format!("keys/{enc}.pub.pem"));
        let enc_priv = v.join(format!("keys/{enc}.pem"));
        let mut args: Vec<String> = vec!["sign".into()];
        if let Some(k) = sig {
            args.extend([
                "-k".into(),
                v.join(format!("keys/{k}.pem")).display().to_string(),
            ]);
        }
        args.extend(
            [
                "-E",
                &enc_pub.display().to_string(),
                "-v",
                "1.2.3",
                "-H",
                "0x400",
                "--pad-header",
                "-S",
                "0x20000",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(input.display().to_string());
        let ctx = format!("case {i}: {args:?}");
        let mut expected_plain = body.clone();
        expected_plain.resize(body.len().div_ceil(16) * 16, 0);
        for tool in ["ours", "imgtool"] {
            let out = dir.path().join(format!("{tool}{i}.bin"));
            let mut a = args.clone();
            a.push(out.display().to_string());
            let r = if tool == "ours" {
                run_args(&mcuboot_sign(), &a)
            } else {
                run_args(&imgtool(), &a)
            };
            assert_eq!(r.code, 0, "{tool} sign: {ctx}: {r:?}");
            // The Python model decrypts both tools' images to the same plaintext.
            let p = run_args(
                &py,
                &[script.as_os_str(), out.as_os_str(), enc_priv.as_os_str()],
            );
            assert_eq!(p.code, 0, "python decrypt of {tool}'s image: {ctx}: {p:?}");
            assert_eq!(
                p.stdout.trim(),
                provkit::codec::to_hex(&expected_plain),
                "{tool}: {ctx}"
            );
            // Our verify decrypts and checks hash and signature.
            let mut va: Vec<String> = vec!["verify".into()];
            if let Some(k) = sig {
                va.extend([
                    "-k".into(),
                    v.join(format!("keys/{k}.pem")).display().to_string(),
                ]);
            }
            va.extend(["--decrypt-key".into(), enc_priv.display().to_string()]);
            va.push(out.display().to_string());
            let vr = run_args(&mcuboot_sign(), &va);
            assert_eq!(vr.code, 0, "our verify of {tool}'s image: {ctx}: {vr:?}");
            n += 1;
        }
    }
    eprintln!("{n} encrypted images decrypted by both the Python model and us");
}

#[test]
fn imgtool_reads_keys_we_generate() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["rsa-2048", "ecdsa-p256", "ecdsa-p384", "ed25519", "x25519"] {
        let key = dir.path().join(format!("{t}.pem"));
        let r = run_args(
            &mcuboot_sign(),
            &[
                "keygen".to_string(),
                "-k".into(),
                key.display().to_string(),
                "-t".into(),
                t.into(),
            ],
        );
        assert_eq!(r.code, 0, "{t}: {r:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{t}");
        }
        for enc in ["lang-c", "lang-rust", "pem", "raw"] {
            let a = [
                "getpub".to_string(),
                "-k".into(),
                key.display().to_string(),
                "-e".into(),
                enc.into(),
            ];
            assert_eq!(
                run_bytes(&mcuboot_sign(), &a),
                run_bytes(&imgtool(), &a),
                "{t} {enc}"
            );
        }
        let a = [
            "getpubhash".to_string(),
            "-k".into(),
            key.display().to_string(),
        ];
        assert_eq!(
            run_bytes(&mcuboot_sign(), &a),
            run_bytes(&imgtool(), &a),
            "{t}"
        );
        if t != "ed25519" {
            for extra in [
                &[][..],
                &["--minimal"][..],
                &["-f", "openssl"][..],
                &["-f", "openssl", "--minimal"][..],
            ] {
                if t == "x25519" && extra.contains(&"openssl") {
                    continue;
                }
                // imgtool's --minimal parses fixed DER offsets that only fit P-256 keys.
                if t == "ecdsa-p384" && extra.contains(&"--minimal") {
                    continue;
                }
                let mut a = vec![
                    "getpriv".to_string(),
                    "-k".into(),
                    key.display().to_string(),
                ];
                a.extend(extra.iter().map(|s| s.to_string()));
                assert_eq!(
                    run_bytes(&mcuboot_sign(), &a),
                    run_bytes(&imgtool(), &a),
                    "{t} getpriv {extra:?}"
                );
            }
        }
    }
}
