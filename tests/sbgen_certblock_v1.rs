//! `sbgen cert-block` (certificate block v1) and `sbgen rkth` for RSA root keys, through the
//! real binary:
//!
//! * The SPSDK 3.12 vectors (`tests/vectors/mbi/`): the standalone chain block byte for byte;
//!   the blocks inside SPSDK's signed LPC55S69 images (at the offset in word 0x28) and inside
//!   `sb21_pinned.sb` (at 208) parse, verify against the RKTH and, through `parse -o` and
//!   `export`, come back as the same block.
//! * Live SPSDK (`$PROVKIT_SPSDK3`; the test fails when it is not set): `nxpimage cert-block
//!   export` of configs with 1-4 roots, every mainRootCertId, a CA root with a leaf, PEM and
//!   DER certificates, equals `sbgen cert-block export` byte for byte; `nxpcrypto rot
//!   calculate-hash` equals `sbgen rkth` for 1-4 RSA keys.
//! * Exit codes and one-line errors; the template.

use e2e::{Run, path_arg as s, run, sbgen, spsdk3_bin, vector};
use std::path::{Path, PathBuf};

fn mbi(rel: &str) -> PathBuf {
    vector("mbi").join(rel)
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

fn hex(b: &[u8]) -> String {
    provkit::codec::to_hex(b)
}

/// RKTH of the four LPC55S69 root keys (`nxpcrypto rot calculate-hash`).
fn rkth4() -> String {
    hex(&read(&mbi("rkth/rkth_lpc55s69.bin")))
}

#[test]
fn standalone_chain_block_is_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cb.bin");
    let cfg = mbi("mbi_lpc55s69/cert_block_chain.yaml");
    let r = sbgen(&["cert-block", "export", "-c", s(&cfg), "-o", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read(&out),
        read(&mbi("mbi_lpc55s69/out/cert_block_chain_standalone.bin"))
    );
    assert!(
        r.stdout.starts_with(&format!("RKTH: {}\n", rkth4())),
        "{}",
        r.stdout
    );
    let p = sbgen(&["cert-block", "parse", "-i", s(&out), "--rkth", &rkth4()]);
    assert_eq!(p.code, 0, "{}", p.stderr);
    assert!(p.stdout.contains("chain and RKTH OK"), "{}", p.stdout);
}

/// The cert blocks inside SPSDK's files: (file, offset, alignment in the file).
fn embedded_blocks() -> Vec<(String, Vec<u8>, usize)> {
    let mut v = Vec::new();
    for f in [
        "mbi_xip_signed",
        "mbi_ram_signed",
        "mbi_xip_signed_tzcustom",
        "mbi_xip_signed_chain_tz",
    ] {
        let img = read(&mbi(&format!("mbi_lpc55s69/out/{f}.bin")));
        let off = le32(&img, 0x28);
        // count and table length give the unpadded size: 32 + table + 128.
        let len = 0x20 + le32(&img, off + 0x1C) + 128;
        v.push((
            f.to_string(),
            img[off..off + len.div_ceil(4) * 4].to_vec(),
            4,
        ));
    }
    let sb = read(&mbi("sb21_lpc55s69/out/sb21_pinned.sb"));
    let len = 0x20 + le32(&sb, 208 + 0x1C) + 128;
    v.push((
        "sb21_pinned".into(),
        sb[208..208 + len.div_ceil(16) * 16].to_vec(),
        16,
    ));
    v
}

#[test]
fn blocks_in_spsdk_images_and_sb21_parse_verify_and_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    // Our export of the single-root config: what the single-root blocks become standalone.
    let single = tmp.path().join("single.bin");
    let r = sbgen(&[
        "cert-block",
        "export",
        "-c",
        s(&mbi("mbi_lpc55s69/cert_block_single.yaml")),
        "-o",
        s(&single),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sb21_cfg_block = tmp.path().join("sb21cb.bin");
    let r = sbgen(&[
        "cert-block",
        "export",
        "-c",
        s(&mbi("sb21_lpc55s69/cert_block_v1.yaml")),
        "-o",
        s(&sb21_cfg_block),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let blocks = embedded_blocks();
    assert_eq!(blocks.len(), 5);
    for (name, block, align) in blocks {
        let f = tmp.path().join(format!("{name}.bin"));
        std::fs::write(&f, &block).unwrap();
        let p = sbgen(&[
            "cert-block",
            "parse",
            "-i",
            s(&f),
            "--rkth",
            &rkth4(),
            "--json",
        ]);
        assert_eq!(p.code, 0, "{name}: {}", p.stderr);
        let v: serde_json::Value = serde_json::from_str(&p.stdout).unwrap();
        assert_eq!(v["verified"], true, "{name}");
        assert_eq!(v["rkth"], rkth4(), "{name}");
        assert_eq!(v["root_key_index"], 0, "{name}");
        // The container's total image length is in the block; standalone it is 0.
        assert_eq!(
            v["image_length"].as_u64().unwrap() as usize,
            le32(&block, 0x14)
        );
        // parse -o, then export: the same block in standalone form.
        let dir = tmp.path().join(format!("{name}_parsed"));
        let p = sbgen(&["cert-block", "parse", "-i", s(&f), "-o", s(&dir)]);
        assert_eq!(p.code, 0, "{name}: {}", p.stderr);
        let cfg_text = std::fs::read_to_string(dir.join("cert_block_config.yaml")).unwrap();
        for i in 1..4 {
            assert!(cfg_text.contains(&format!("rkhtEntry{i}: ")), "{cfg_text}");
        }
        let again = dir.join("again.bin");
        let r = sbgen(&[
            "cert-block",
            "export",
            "-c",
            s(&dir.join("cert_block_config.yaml")),
            "-o",
            s(&again),
        ]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let again = read(&again);
        assert_eq!(again.len() % 16, 0);
        // Same bytes but the image length word and the alignment padding.
        let n = 0x20 + le32(&block, 0x1C) + 128;
        assert_eq!(again[..0x14], block[..0x14], "{name}");
        assert_eq!(le32(&again, 0x14), 0, "{name}");
        assert_eq!(again[0x18..n], block[0x18..n], "{name}");
        assert!(again[n..].iter().all(|&b| b == 0));
        assert_eq!(block.len() % align, 0);
        let want = match name.as_str() {
            "mbi_xip_signed_chain_tz" => mbi("mbi_lpc55s69/out/cert_block_chain_standalone.bin"),
            "sb21_pinned" => sb21_cfg_block.clone(),
            _ => single.clone(),
        };
        assert_eq!(again, read(&want), "{name}");
        // A wrong RKTH fails with exit 1, naming it.
        let mut wrong = read(&mbi("rkth/rkth_lpc55s69.bin"));
        wrong[0] ^= 1;
        let p = sbgen(&["cert-block", "parse", "-i", s(&f), "--rkth", &hex(&wrong)]);
        assert_eq!(p.code, 1, "{name}");
        assert!(p.stderr.contains("RKTH mismatch"), "{}", p.stderr);
        assert_eq!(p.stderr.trim_end().lines().count(), 1, "{}", p.stderr);
    }
}

/// Writes a cert-block v1 config into `dir` and returns its path.
fn config(dir: &Path, name: &str, body: &str) -> PathBuf {
    let certs = mbi("certs");
    let family = if body.contains("family:") {
        ""
    } else {
        "family: lpc55s69\n"
    };
    let text = format!(
        "{family}{}containerOutputFile: {name}.bin\n",
        body.replace("CERTS", s(&certs))
    );
    let p = dir.join(format!("{name}.yaml"));
    std::fs::write(&p, text).unwrap();
    p
}

fn roots(n: usize, ext: &str, root0: &str) -> String {
    (0..n)
        .map(|i| {
            let c = if i == 0 {
                root0.to_string()
            } else {
                format!("root{i}_rsa_cert")
            };
            format!("rootCertificate{i}File: CERTS/{c}.{ext}\n")
        })
        .collect()
}

#[test]
fn export_equals_live_spsdk() {
    let nxpimage = spsdk3_bin("nxpimage");
    assert!(nxpimage.exists(), "{} is missing", nxpimage.display());
    let tmp = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, String)> = Vec::new();
    for n in 1..=4 {
        for used in 0..n {
            let ext = if (n + used) % 2 == 0 { "der" } else { "pem" };
            cases.push((
                format!("roots{n}_used{used}"),
                format!(
                    "{}mainRootCertId: {used}\nimageBuildNumber: {}\n",
                    roots(n, ext, "root0_rsa_cert"),
                    n * 10 + used
                ),
            ));
        }
    }
    for n in [1, 2, 4] {
        cases.push((
            format!("chain_roots{n}"),
            format!(
                "{}chainCertificate0File0: CERTS/isk_rsa_cert.pem\nmainRootCertId: 0\nimageBuildNumber: 0x7fffffff\n",
                roots(n, "der", "root0_rsa_ca_cert")
            ),
        ));
    }
    // Other v1 families (an image-only one), and the chain of the vector config.
    for family in ["lpc55s16", "mimxrt685s", "mimxrt595s"] {
        cases.push((
            format!("family_{family}"),
            format!(
                "family: {family}\n{}chainCertificate0File0: CERTS/isk_rsa_cert.der\nmainRootCertId: 0\n",
                roots(3, "pem", "root0_rsa_ca_cert")
            ),
        ));
    }
    // No mainRootCertId: the signer's root (SPSDK's rule).
    cases.push((
        "signer_root2".into(),
        format!(
            "{}signer: type=file;file_path={}\n",
            roots(4, "pem", "root0_rsa_cert"),
            s(&mbi("keys/rotk2_rsa2048.pem"))
        ),
    ));
    for (name, body) in &cases {
        let cfg = config(tmp.path(), name, body);
        let theirs_path = tmp.path().join(format!("{name}.bin"));
        let t = run(&nxpimage, &["cert-block", "export", "-c", s(&cfg)]);
        assert_eq!(t.code, 0, "{name}: nxpimage: {}{}", t.stdout, t.stderr);
        let ours_path = tmp.path().join(format!("{name}_ours.bin"));
        let o = sbgen(&["cert-block", "export", "-c", s(&cfg), "-o", s(&ours_path)]);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert_eq!(read(&ours_path), read(&theirs_path), "{name}");
        // Both print the same RKTH line first.
        let line = |out: &str| out.lines().next().unwrap_or_default().to_string();
        assert_eq!(line(&o.stdout), line(&t.stdout), "{name}");
    }
}

#[test]
fn rkth_equals_nxpcrypto_for_one_to_four_rsa_keys() {
    let nxpcrypto = spsdk3_bin("nxpcrypto");
    assert!(nxpcrypto.exists(), "{} is missing", nxpcrypto.display());
    let tmp = tempfile::tempdir().unwrap();
    let keys: Vec<String> = (0..4)
        .map(|i| s(&mbi(&format!("keys/rotk{i}_rsa2048.pub"))).to_string())
        .collect();
    for family in ["lpc55s69", "mimxrt595s", "lpc55s16", "mimxrt685s"] {
        for n in 1..=4 {
            let out = tmp.path().join(format!("{family}_{n}.bin"));
            let mut args = vec!["rot", "calculate-hash", "-f", family, "-o", s(&out)];
            for k in &keys[..n] {
                args.extend(["-k", k.as_str()]);
            }
            let t = run(&nxpcrypto, &args);
            assert_eq!(t.code, 0, "{family} {n}: {}{}", t.stdout, t.stderr);
            let theirs = read(&out);
            let ours_file = tmp.path().join(format!("{family}_{n}_ours.bin"));
            let mut args = vec!["rkth", "-f", family, "-o", s(&ours_file)];
            args.extend(keys[..n].iter().map(String::as_str));
            let r = sbgen(&args);
            assert_eq!(r.code, 0, "{family} {n}: {}", r.stderr);
            assert_eq!(read(&ours_file), theirs, "{family} {n}");
            assert!(
                r.stdout.starts_with(&format!("RKTH: {}\n", hex(&theirs))),
                "{}",
                r.stdout
            );
        }
    }
    // The vectors: 4 keys and a single key.
    for (n, file) in [(4, "rkth_lpc55s69.bin"), (1, "rkth_lpc55s69_single.bin")] {
        let mut args = vec!["rkth", "-f", "lpc55s69"];
        args.extend(keys[..n].iter().map(String::as_str));
        let r = sbgen(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let want = hex(&read(&mbi(&format!("rkth/{file}"))));
        assert!(
            r.stdout.starts_with(&format!("RKTH: {want}\n")),
            "{}",
            r.stdout
        );
    }
    // ECC keys for a v1 family, RSA keys for a v2.1 family: usage errors.
    let p256 = mbi("keys/rotk0_p256.pub");
    let r = sbgen(&["rkth", "-f", "lpc55s69", s(&p256)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = sbgen(&["rkth", "-f", "lpc55s36", &keys[0]]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn exit_codes_and_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let one_line = |r: &Run| {
        assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    };
    // Chain rules (a CA as the only certificate, a non-CA root above a leaf, a CA as the
    // last certificate), a gap in the roots, mainRootCertId out of range.
    for (name, body, needle) in [
        (
            "single_ca",
            roots(1, "der", "root0_rsa_ca_cert"),
            "single certificate must not be a CA",
        ),
        (
            "non_ca_root",
            format!(
                "{}chainCertificate0File0: CERTS/isk_rsa_cert.der\n",
                roots(1, "der", "root0_rsa_cert")
            ),
            "must be a CA",
        ),
        (
            "ca_leaf",
            format!(
                "{}chainCertificate0File0: CERTS/root0_rsa_ca_cert.der\n",
                roots(1, "der", "root0_rsa_ca_cert")
            ),
            "the last certificate must not be a CA",
        ),
        (
            "gap",
            "rootCertificate0File: CERTS/root0_rsa_cert.der\nrootCertificate2File: CERTS/root2_rsa_cert.der\n"
                .to_string(),
            "no gaps",
        ),
        (
            "main_out_of_range",
            format!("{}mainRootCertId: 2\n", roots(2, "der", "root0_rsa_cert")),
            "mainRootCertId",
        ),
    ] {
        let cfg = config(tmp.path(), name, &body);
        let r = sbgen(&["cert-block", "export", "-c", s(&cfg), "-o", "-"]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{name}: {}", r.stderr);
        one_line(&r);
    }
    // A missing certificate file: I/O, exit 3.
    let cfg = config(
        tmp.path(),
        "missing",
        "rootCertificate0File: CERTS/nope.der\nimageBuildNumber: 1\n",
    );
    let r = sbgen(&["cert-block", "export", "-c", s(&cfg), "-o", "-"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    one_line(&r);
    // Truncated blocks: exit 1, one line, at every 97th length.
    let block = read(&mbi("mbi_lpc55s69/out/cert_block_chain_standalone.bin"));
    let f = tmp.path().join("cut.bin");
    for cut in (4..1636).step_by(97) {
        std::fs::write(&f, &block[..cut]).unwrap();
        let r = sbgen(&["cert-block", "parse", "-i", s(&f)]);
        assert_eq!(r.code, 1, "cut {cut}: {}", r.stderr);
        one_line(&r);
    }
}

/// Keys of a template (commented-out `# key: value` lines count).
fn template_keys(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start_matches('#').trim();
            let (k, _) = l.split_once(": ")?;
            (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric())).then(|| k.to_string())
        })
        .collect()
}

#[test]
fn template_has_spsdks_keys_and_exports_once_filled_in() {
    let r = sbgen(&["cert-block", "get-template", "-f", "lpc55s69"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours = template_keys(&r.stdout);
    let spsdk = std::fs::read_to_string(mbi("templates/cert_block_v1_lpc55s69.yaml")).unwrap();
    let theirs: std::collections::BTreeSet<String> = spsdk
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(": ").map(|(k, _)| k.to_string()))
        .collect();
    assert_eq!(ours, theirs);
    // Filled in: the certificate paths of the single-root vector config.
    let tmp = tempfile::tempdir().unwrap();
    let filled = r
        .stdout
        .replace("root_certificate0.pem", s(&mbi("certs/root0_rsa_cert.pem")))
        .replace("cert_block.bin", s(&tmp.path().join("t.bin")));
    let cfg = tmp.path().join("t.yaml");
    std::fs::write(&cfg, filled).unwrap();
    let e = sbgen(&["cert-block", "export", "-c", s(&cfg)]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    let p = sbgen(&[
        "cert-block",
        "parse",
        "-i",
        s(&tmp.path().join("t.bin")),
        "--rkth",
        &hex(&read(&mbi("rkth/rkth_lpc55s69_single.bin"))),
    ]);
    assert_eq!(p.code, 0, "{}", p.stderr);
}
