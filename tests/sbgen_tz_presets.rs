//! YAML TrustZone presets (`nxpimage tz` configs) of the certificate-block-v2.1 families
//! (lpc55s36, mcxn947, rw612) in `sbgen mbi export`:
//! * the SPSDK vector (`mbi_lpc55s36/tz_custom.yaml`) gives SPSDK's image and preset;
//! * live: for each family, six YAMLs with random register subsets and values (names, uids,
//!   sometimes only reset values) give the preset `nxpimage tz export` makes, embedded as
//!   `nxpimage mbi export` embeds it (images equal outside the ECDSA signature), and images
//!   that `sbgen mbi verify` accepts;
//! * bad presets (unknown register, value too wide, wrong family or revision, no `TZ-M`
//!   magic) fail with exit code 2 and one line naming the problem.

use e2e::{nxpimage, path_arg as s, sbgen, vector};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const FAMILIES: [&str; 3] = ["lpc55s36", "mcxn947", "rw612"];
const CASES_PER_FAMILY: u64 = 6;

/// splitmix64: reproducible test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn idx(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn keys() -> PathBuf {
    vector("mbi").join("keys")
}

fn lpc() -> PathBuf {
    vector("mbi").join("mbi_lpc55s36")
}

/// The embedded preset and TrustZone type of an image.
fn tz_of(image: &[u8], family: &str) -> (u32, Option<Vec<u8>>) {
    let fam = provkit::family::family(family).unwrap();
    let m = provkit::mbi::Mbi::decode(image, fam).unwrap();
    (m.tz_type, m.tz_preset.map(<[u8]>::to_vec))
}

/// Length of the part of a v2.1 image that is not the ECDSA signature (and, on MCX N, the
/// manifest CRC over it): the application, the cert block header and root key record.
fn unsigned_len(image: &[u8], family: &str) -> usize {
    let fam = provkit::family::family(family).unwrap();
    let m = provkit::mbi::Mbi::decode(image, fam).unwrap();
    match &m.signed {
        Some(sp) => sp.app_len + 12,
        None => image.len(),
    }
}

#[test]
fn spsdk_vector_yaml_preset() {
    let d = tempfile::tempdir().unwrap();
    let ours = d.path().join("ours.bin");
    let cfg = lpc().join("mbi_xip_signed_noisk_tzcustom.yaml");
    let e = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&ours)]);
    e2e::ok(&e, "sbgen mbi export");
    let a = std::fs::read(&ours).unwrap();
    let b = std::fs::read(lpc().join("out/mbi_xip_signed_noisk_tzcustom.bin")).unwrap();
    assert_eq!(a.len(), b.len());
    let end = unsigned_len(&b, "lpc55s36");
    assert!(end < b.len());
    assert!(a[..end] == b[..end], "images differ before the signature");
    let want = std::fs::read(lpc().join("out/tz_custom.bin")).unwrap();
    assert_eq!(tz_of(&a, "lpc55s36"), (1, Some(want)));
    let v = sbgen(&["mbi", "verify", "-i", s(&ours), "-f", "lpc55s36"]);
    e2e::ok(&v, "sbgen mbi verify");
}

/// A random `nxpimage tz` YAML for `family`: 1..6 registers by name or uid (never the start
/// magic), or (1 case in 6) one register set to its reset value.
fn random_yaml(r: &mut Rng, family: &str, out: &Path) -> String {
    let f = provkit::family::image_family(family).unwrap();
    let set = f
        .secure_boot
        .as_ref()
        .unwrap()
        .mbi
        .tz_registers
        .clone()
        .unwrap();
    let regs = provkit::mbi::tz::registers(&set).unwrap();
    let spsdk_name = if family == "mcxn947" {
        ["mcxn947", "mcxn946"][r.idx(2)]
    } else {
        family
    };
    let mut y = format!(
        "family: {spsdk_name}\nrevision: {}\ntzpOutputFile: {}\ntrustZonePreset:\n",
        ["latest", "a1"][r.idx(2)],
        out.display()
    );
    if r.idx(6) == 0 {
        let i = 1 + r.idx(regs.len() - 1);
        let _ = writeln!(y, "  {}: '0x{:X}'", regs[i].name, regs[i].reset);
        return y;
    }
    let mut seen = Vec::new();
    for _ in 0..1 + r.idx(6) {
        let i = 1 + r.idx(regs.len() - 1);
        if seen.contains(&i) {
            continue;
        }
        seen.push(i);
        let key = if r.idx(2) == 0 {
            regs[i].name.clone()
        } else {
            format!("field{:03X}", 4 * i)
        };
        let v = r.next() as u32;
        if r.idx(3) == 0 {
            let _ = writeln!(y, "  {key}: {v}");
        } else {
            let _ = writeln!(y, "  {key}: '0x{v:08X}'");
        }
    }
    y
}

fn live_case(family: &str, seed: u64) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut r = Rng(seed);
    let spsdk_bin = d.join("tz_spsdk.bin");
    let y = random_yaml(&mut r, family, &spsdk_bin);
    std::fs::write(d.join("tz.yaml"), &y).unwrap();
    let t = nxpimage(&["tz", "export", "-c", s(&d.join("tz.yaml"))]);
    if t.code != 0 {
        return Err(format!("nxpimage tz export: {}{}\n{y}", t.stdout, t.stderr));
    }
    let want = std::fs::read(&spsdk_bin).unwrap();
    let is_reset = {
        let f = provkit::family::image_family(family).unwrap();
        let set = f
            .secure_boot
            .as_ref()
            .unwrap()
            .mbi
            .tz_registers
            .clone()
            .unwrap();
        provkit::mbi::tz::is_reset(&set, &want).unwrap()
    };

    let mut app: Vec<u8> = (0..0x40 + r.idx(2000)).map(|_| r.next() as u8).collect();
    app[..8].copy_from_slice(&[0, 0, 1, 0x20, 0xC1, 0, 0, 0]);
    std::fs::write(d.join("app.bin"), &app).unwrap();
    let signed = r.idx(2) == 0;
    let mut m = format!(
        "family: {family}\nrevision: latest\noutputImageExecutionTarget: xip\n\
         outputImageAuthenticationType: {}\nmasterBootOutputFile: out.bin\n\
         inputImageFile: app.bin\noutputImageExecutionAddress: 0\nimageVersion: 0\n\
         trustZonePresetFile: tz.yaml\n",
        if signed { "signed" } else { "crc" }
    );
    if signed {
        let mut cb = format!(
            "family: {family}\nuseIsk: false\nmainRootCertId: 0\ncontainerOutputFile: cb.bin\n"
        );
        for i in 0..4 {
            let _ = writeln!(
                cb,
                "rootCertificate{i}File: {}",
                keys().join(format!("rotk{i}_p256.pub")).display()
            );
        }
        std::fs::write(d.join("cb.yaml"), cb).unwrap();
        let _ = writeln!(
            m,
            "firmwareVersion: 0\ncertBlock: cb.yaml\nsigner: {}",
            keys().join("rotk0_p256.pem").display()
        );
    }
    let cfg = d.join("mbi.yaml");
    std::fs::write(&cfg, &m).unwrap();
    let ours = d.join("ours.bin");
    let e = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&ours)]);
    if e.code != 0 {
        return Err(format!("sbgen mbi export: {}\n{y}", e.stderr));
    }
    let theirs = d.join("theirs.bin");
    let oc = format!("masterBootOutputFile={}", s(&theirs));
    let x = nxpimage(&["mbi", "export", "-c", s(&cfg), "-oc", &oc]);
    if x.code != 0 {
        return Err(format!(
            "nxpimage mbi export: {}{}\n{y}",
            x.stdout, x.stderr
        ));
    }
    let (a, b) = (
        std::fs::read(&ours).unwrap(),
        std::fs::read(&theirs).unwrap(),
    );
    let (tz_type, preset) = tz_of(&a, family);
    if is_reset {
        if (tz_type, preset.as_ref()) != (0, None) {
            return Err(format!("a reset-value preset was embedded\n{y}"));
        }
    } else if (tz_type, preset.as_ref()) != (1, Some(&want)) {
        return Err(format!(
            "embedded preset differs from `nxpimage tz export`\n{y}"
        ));
    }
    if a.len() != b.len() {
        return Err(format!("sizes {} vs {}\n{y}", a.len(), b.len()));
    }
    let end = unsigned_len(&b, family);
    if a[..end] != b[..end] {
        return Err(format!("images differ before 0x{end:X}\n{y}"));
    }
    if !signed && a != b {
        return Err(format!("CRC images differ\n{y}"));
    }
    let v = sbgen(&["mbi", "verify", "-i", s(&ours), "-f", family]);
    if v.code != 0 {
        return Err(format!("sbgen mbi verify: {}{}\n{y}", v.stdout, v.stderr));
    }
    Ok(())
}

#[test]
fn yaml_presets_match_nxpimage() {
    let mut failures = Vec::new();
    for (k, family) in FAMILIES.iter().enumerate() {
        for c in 0..CASES_PER_FAMILY {
            let seed = 0x7A5E_0000 + 0x100 * k as u64 + c;
            if let Err(e) = live_case(family, seed) {
                failures.push(format!("{family} seed {seed:#x}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

/// `sbgen mbi export` of the lpc55s36 CRC image with preset `tz` (file name `name`): its
/// exit code and stderr.
fn export_with(name: &str, tz: &[u8]) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join(name), tz).unwrap();
    let app = vector("mbi").join("app/app.bin");
    let m = format!(
        "family: lpc55s36\nrevision: latest\noutputImageExecutionTarget: xip\n\
         outputImageAuthenticationType: crc\nmasterBootOutputFile: out.bin\n\
         inputImageFile: {}\noutputImageExecutionAddress: 0\ntrustZonePresetFile: {name}\n",
        app.display()
    );
    let cfg = d.join("mbi.yaml");
    std::fs::write(&cfg, m).unwrap();
    let e = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&d.join("out.bin"))]);
    (e.code, e.stderr)
}

#[test]
fn bad_presets_are_refused_with_one_line() {
    let head = "family: lpc55s36\nrevision: latest\ntrustZonePreset:\n";
    let cases: [(&str, String, &str); 6] = [
        (
            "tz.yaml",
            format!("{head}  no_such_register: '0x1'\n"),
            "no register 'no_such_register'",
        ),
        (
            "tz.yaml",
            format!("{head}  field004: '0x100000000'\n"),
            "field004: '0x100000000' is not a 32-bit number",
        ),
        (
            "tz.yaml",
            "family: lpc55s69\ntrustZonePreset:\n  field004: '0x1'\n".into(),
            "the preset is for 'lpc55s69'",
        ),
        (
            "tz.yaml",
            "family: lpc55s36\nrevision: a0\ntrustZonePreset:\n  field004: '0x1'\n".into(),
            "revision 'a0' is not supported",
        ),
        (
            "tz.yaml",
            format!("{head}  Start of block (tzm_magic): '0x0'\n"),
            "block start magic 'TZ-M'",
        ),
        ("tz.bin", String::new(), "block start magic 'TZ-M'"),
    ];
    for (name, text, want) in cases {
        let data = if name == "tz.bin" {
            // A 556-byte binary of register values without the magic.
            let mut b = std::fs::read(lpc().join("out/tz_custom.bin")).unwrap();
            b[..4].copy_from_slice(&[0, 0, 0, 0]);
            b
        } else {
            text.clone().into_bytes()
        };
        let (code, err) = export_with(name, &data);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(err.contains(want), "{text}: want '{want}', got: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{text}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
