//! `sbgen mbi` for RT5xx/6xx encrypted load-to-RAM images (type 0x03, SPSDK
//! `signed-encrypted`) through the real binaries:
//! * live `nxpimage mbi export` and ours are byte-identical for mimxrt595s / mimxrt685s
//!   configs with and without key store, TrustZone disabled / default / custom preset,
//!   relocation table, certificate chain (the counter IV pinned with `CtrInitVector`);
//! * `nxpimage mbi parse -k KEY` reads ours and finds the same application as `sbgen mbi
//!   parse`, whose config `sbgen mbi export` turns back into the same image;
//! * `sbgen mbi verify --otp-master-key` decrypts and checks; without the key it says what
//!   it did not check; a wrong key, tampering and a missing key for `parse` are refused.

use e2e::{nxpimage, path_arg as s, sbgen, vector};
use std::path::{Path, PathBuf};

fn keys() -> PathBuf {
    vector("mbi/keys")
}

fn certs() -> PathBuf {
    vector("mbi/certs")
}

/// Deterministic filler bytes.
fn bytes(seed: u32, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 8) as u8
        })
        .collect()
}

struct Case {
    name: &'static str,
    family: &'static str,
    key_store: bool,
    /// "false", "true" (ROM default preset) or "custom" (binary preset).
    tz: &'static str,
    reloc: usize,
    chain: bool,
    hw_keys: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "rt595_plain_keys",
        family: "mimxrt595s",
        key_store: false,
        tz: "false",
        reloc: 0,
        chain: false,
        hw_keys: false,
    },
    Case {
        name: "rt595_keystore_tz_reloc_chain",
        family: "mimxrt595s",
        key_store: true,
        tz: "true",
        reloc: 2,
        chain: true,
        hw_keys: true,
    },
    Case {
        name: "rt685_tzcustom",
        family: "mimxrt685s",
        key_store: false,
        tz: "custom",
        reloc: 0,
        chain: false,
        hw_keys: false,
    },
    Case {
        name: "rt685_keystore_tzcustom_reloc",
        family: "mimxrt685s",
        key_store: true,
        tz: "custom",
        reloc: 1,
        chain: true,
        hw_keys: false,
    },
];

const MASTER: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const IV: &str = "c3df2316fd40b15586cb5ae49483aee2";

/// Writes the case's config and inputs into `d`; returns the config path.
fn config(c: &Case, d: &Path, seed: u32) -> PathBuf {
    let mut app = bytes(seed, 1002);
    app[..8].copy_from_slice(&[0, 0, 1, 0x20, 0xC1, 0, 0, 0]);
    std::fs::write(d.join("app.bin"), &app).unwrap();
    std::fs::write(d.join("master.txt"), format!("{MASTER}\n")).unwrap();
    let mut cb = format!(
        "family: {}\nimageBuildNumber: 7\ncontainerOutputFile: cb.bin\nmainRootCertId: 0\n",
        c.family
    );
    let root0 = if c.chain {
        "root0_rsa_ca_cert.der"
    } else {
        "root0_rsa_cert.der"
    };
    cb.push_str(&format!(
        "rootCertificate0File: {}\nrootCertificate1File: {}\n",
        certs().join(root0).display(),
        certs().join("root1_rsa_cert.pem").display()
    ));
    let signer = if c.chain {
        cb.push_str(&format!(
            "chainCertificate0File0: {}\n",
            certs().join("isk_rsa_cert.der").display()
        ));
        keys().join("isk_rsa2048.pem")
    } else {
        keys().join("rotk0_rsa2048.pem")
    };
    std::fs::write(d.join("cb.yaml"), cb).unwrap();
    let mut y = format!(
        "family: {}\nrevision: latest\noutputImageExecutionTarget: load-to-ram\n\
         outputImageAuthenticationType: signed-encrypted\nmasterBootOutputFile: out.bin\n\
         inputImageFile: app.bin\noutputImageExecutionAddress: 0x20080000\n\
         enableHwUserModeKeys: {}\ncertBlock: cb.yaml\nsigner: type=file;file_path={}\n\
         outputImageEncryptionKeyFile: master.txt\nCtrInitVector: '0x{IV}'\n",
        c.family,
        c.hw_keys,
        signer.display()
    );
    match c.tz {
        "custom" => {
            let f = provkit::family::image_family(c.family).unwrap();
            let n = f.secure_boot.as_ref().unwrap().mbi.tz_preset_size as usize;
            std::fs::write(d.join("tz.bin"), bytes(seed + 1, n)).unwrap();
            y.push_str("enableTrustZone: true\ntrustZonePresetFile: tz.bin\n");
        }
        other => y.push_str(&format!("enableTrustZone: {other}\n")),
    }
    if c.key_store {
        std::fs::write(d.join("ks.bin"), bytes(seed + 2, 1424)).unwrap();
        y.push_str("keyStoreFile: ks.bin\n");
    }
    if c.reloc > 0 {
        y.push_str("applicationTable:\n");
        for i in 0..c.reloc {
            let name = format!("extra{i}.bin");
            std::fs::write(d.join(&name), bytes(seed + 3 + i as u32, 37 + 10 * i)).unwrap();
            y.push_str(&format!(
                "  - binary: {name}\n    destAddress: 0x{:X}\n    load: true\n",
                0x2010_0000 + 0x1000 * i
            ));
        }
    }
    let p = d.join("mbi.yaml");
    std::fs::write(&p, y).unwrap();
    p
}

/// The input application as both parsers write it: padded to 4, vector table words
/// 0x20..0x2C and 0x34 cleared.
fn input_app(d: &Path) -> Vec<u8> {
    let mut app = std::fs::read(d.join("app.bin")).unwrap();
    app.resize(app.len().div_ceil(4) * 4, 0);
    app[0x20..0x2C].fill(0);
    app[0x34..0x38].fill(0);
    app
}

fn export_both(c: &Case, d: &Path, seed: u32) -> (PathBuf, Vec<u8>) {
    let cfg = config(c, d, seed);
    let ours = d.join("ours.bin");
    let r = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&ours)]);
    assert_eq!(r.code, 0, "{}: sbgen mbi export: {}", c.name, r.stderr);
    let theirs = d.join("theirs.bin");
    let oc = format!("masterBootOutputFile={}", s(&theirs));
    let x = nxpimage(&["mbi", "export", "-c", s(&cfg), "-oc", &oc]);
    assert_eq!(
        x.code, 0,
        "{}: nxpimage mbi export: {}{}",
        c.name, x.stdout, x.stderr
    );
    let (a, b) = (
        std::fs::read(&ours).unwrap(),
        std::fs::read(&theirs).unwrap(),
    );
    assert_eq!(a[0x24] & 0x3F, 0x03, "{}: not an encrypted image", c.name);
    if a != b {
        let at = a.iter().zip(&b).position(|(x, y)| x != y);
        panic!(
            "{}: images differ: sizes {} vs {}, first difference at {at:?}",
            c.name,
            a.len(),
            b.len()
        );
    }
    (ours, a)
}

#[test]
fn live_spsdk_export_is_byte_identical_and_parses_both_ways() {
    for (i, c) in CASES.iter().enumerate() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let (ours, img) = export_both(c, d, 100 * i as u32 + 1);
        let tz_bits = (img[0x25] >> 5) & 3;
        let want_tz = match c.tz {
            "false" => 2,
            "true" => 0,
            _ => 1,
        };
        assert_eq!(tz_bits, want_tz, "{}", c.name);
        assert_eq!(img[0x25] & 0x80 != 0, c.key_store, "{}", c.name);
        assert_eq!(img[0x25] & 0x08 != 0, c.reloc > 0, "{}", c.name);

        // SPSDK reads ours back and decrypts the same application as sbgen.
        let sp = d.join("spsdk_parsed");
        let p = nxpimage(&[
            "mbi",
            "parse",
            "-f",
            c.family,
            "-b",
            s(&ours),
            "-o",
            s(&sp),
            "-k",
            MASTER,
        ]);
        if c.reloc > 0 || c.tz == "custom" {
            // SPSDK 3.12 cannot parse these, its own included (the bytes are SPSDK's, compared
            // above), as in sbgen_mbi_v1: with a relocation table `MultipleImageTable.parse`
            // reads the entries from the start of the image instead of from the table; with a
            // custom TrustZone preset its TrustZone mixin reads the cert block before it is
            // parsed and fails an assertion.
            let known = (c.reloc > 0 && p.stderr.contains("doesn't fit into given data"))
                || (c.tz == "custom" && p.stderr.contains("AssertionError"));
            assert!(
                p.code != 0 && known,
                "{}: the SPSDK 3.12 parse failure is gone? {}{}",
                c.name,
                p.stdout,
                p.stderr
            );
        } else {
            assert_eq!(
                p.code, 0,
                "{}: nxpimage mbi parse: {}{}",
                c.name, p.stdout, p.stderr
            );
        }
        let pd = d.join("parsed");
        let r = sbgen(&[
            "mbi",
            "parse",
            "-i",
            s(&ours),
            "-f",
            c.family,
            "-o",
            s(&pd),
            "--otp-master-key",
            MASTER,
            "--signer",
            &format!(
                "type=file;file_path={}",
                keys()
                    .join(if c.chain {
                        "isk_rsa2048.pem"
                    } else {
                        "rotk0_rsa2048.pem"
                    })
                    .display()
            ),
        ]);
        assert_eq!(r.code, 0, "{}: sbgen mbi parse: {}", c.name, r.stderr);
        let ours_app = std::fs::read(pd.join("application.bin")).unwrap();
        let app = input_app(d);
        assert!(ours_app == app, "{}: decrypted application", c.name);
        if p.code == 0 {
            let theirs_app = std::fs::read(sp.join("application.bin")).unwrap();
            assert!(
                theirs_app == app,
                "{}: SPSDK's decrypted application",
                c.name
            );
        }
        if c.tz == "custom" {
            assert_eq!(
                std::fs::read(pd.join("trust_zone.bin")).unwrap(),
                std::fs::read(d.join("tz.bin")).unwrap(),
                "{}: decrypted TrustZone preset",
                c.name
            );
        }
        // parse -> export rebuilds the same bytes.
        std::fs::write(pd.join("otp_master_key.bin"), MASTER).unwrap();
        let again = d.join("again.bin");
        let e = sbgen(&[
            "mbi",
            "export",
            "-c",
            s(&pd.join("mbi_config.yaml")),
            "-o",
            s(&again),
        ]);
        assert_eq!(e.code, 0, "{}: re-export: {}", c.name, e.stderr);
        assert!(
            std::fs::read(&again).unwrap() == img,
            "{}: parse -> export differs",
            c.name
        );
    }
}

#[test]
fn verify_decrypts_with_the_key_and_refuses_wrong_key_and_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let c = &CASES[1];
    let (ours, img) = export_both(c, d, 7);
    let v = sbgen(&[
        "mbi",
        "verify",
        "-i",
        s(&ours),
        "-f",
        c.family,
        "--otp-master-key",
        MASTER,
    ]);
    assert_eq!(v.code, 0, "{}", v.stderr);
    for want in [
        "load_to_ram encrypted image",
        "signature: OK",
        "HMAC: OK",
        &format!("counter IV: {IV}"),
        "decryption: OK (1004 bytes of application, relocation table)",
    ] {
        assert!(v.stdout.contains(want), "missing {want:?}: {}", v.stdout);
    }
    assert!(
        !v.stdout.contains(MASTER) && !v.stderr.contains(MASTER),
        "the key is printed"
    );
    // Without the key: signature checked, HMAC and decryption reported as not checked.
    let n = sbgen(&["mbi", "verify", "-i", s(&ours), "-f", c.family]);
    assert_eq!(n.code, 0, "{}", n.stderr);
    assert!(
        n.stdout.contains("HMAC: not checked (no --otp-master-key)")
            && n.stdout
                .contains("decryption: not checked (no --otp-master-key)"),
        "{}",
        n.stdout
    );
    // A wrong key.
    let wrong = format!("ff{}", &MASTER[2..]);
    let w = sbgen(&[
        "mbi",
        "verify",
        "-i",
        s(&ours),
        "-f",
        c.family,
        "--otp-master-key",
        &wrong,
    ]);
    assert_eq!(w.code, 1, "{}{}", w.stdout, w.stderr);
    assert!(w.stderr.contains("HMAC does not match"), "{}", w.stderr);
    let wp = sbgen(&[
        "mbi",
        "parse",
        "-i",
        s(&ours),
        "-f",
        c.family,
        "-o",
        s(&d.join("p_wrong")),
        "--otp-master-key",
        &wrong,
    ]);
    assert_eq!(wp.code, 1, "{}", wp.stderr);
    // parse needs the key.
    let nk = sbgen(&[
        "mbi",
        "parse",
        "-i",
        s(&ours),
        "-f",
        c.family,
        "-o",
        s(&d.join("p_nokey")),
    ]);
    assert_eq!(nk.code, 2, "{}", nk.stderr);
    assert!(nk.stderr.contains("--otp-master-key"), "{}", nk.stderr);
    // Tampering: ciphertext (signature), header before the HMAC (HMAC and signature), IV
    // (signature), HMAC, truncation (structure). The key store is covered by neither the
    // signature nor the HMAC (SPSDK inserts it after signing; the ROM checks it itself).
    let ks_end = 0x40 + 32 + 1424;
    for (what, at) in [
        ("ciphertext", ks_end + 0x100),
        ("header", 0x10),
        ("IV", img.len() - 256 - 16),
        ("HMAC", 0x41),
    ] {
        let mut t = img.clone();
        t[at] ^= 0x01;
        let p = d.join("t.bin");
        std::fs::write(&p, &t).unwrap();
        let r = sbgen(&[
            "mbi",
            "verify",
            "-i",
            s(&p),
            "-f",
            c.family,
            "--otp-master-key",
            MASTER,
        ]);
        assert_eq!(r.code, 1, "{what}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("signature") || r.stderr.contains("HMAC"),
            "{what}: {}",
            r.stderr
        );
    }
    let p = d.join("short.bin");
    std::fs::write(&p, &img[..img.len() - 1]).unwrap();
    let r = sbgen(&["mbi", "verify", "-i", s(&p), "-f", c.family]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn random_iv_without_ctr_init_vector_and_xip_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cfg = config(&CASES[0], d, 3);
    let y = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace(&format!("CtrInitVector: '0x{IV}'\n"), "");
    std::fs::write(&cfg, &y).unwrap();
    let mut outs = Vec::new();
    for i in 0..2 {
        let o = d.join(format!("r{i}.bin"));
        let r = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&o)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v = sbgen(&[
            "mbi",
            "verify",
            "-i",
            s(&o),
            "-f",
            "mimxrt595s",
            "--otp-master-key",
            MASTER,
        ]);
        assert_eq!(v.code, 0, "{}", v.stderr);
        outs.push(std::fs::read(&o).unwrap());
    }
    assert_ne!(outs[0], outs[1], "two random IVs gave the same image");
    // SPSDK's parse finds our random IV and decrypts.
    let p = nxpimage(&[
        "mbi",
        "parse",
        "-f",
        "mimxrt595s",
        "-b",
        s(&d.join("r0.bin")),
        "-o",
        s(&d.join("sp")),
        "-k",
        MASTER,
    ]);
    assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);
    assert!(std::fs::read(d.join("sp/application.bin")).unwrap() == input_app(d));
    // Encrypted XIP images do not exist.
    std::fs::write(
        &cfg,
        y.replace(
            "outputImageExecutionTarget: load-to-ram",
            "outputImageExecutionTarget: xip",
        ),
    )
    .unwrap();
    let r = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&d.join("x.bin"))]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("has no xip encrypted image"),
        "{}",
        r.stderr
    );
}
