//! Live interoperability with SPSDK 3.12's `nxpimage` (from `$PROVKIT_SPSDK3`; the test
//! fails when it is not set), over property-generated configs:
//!
//! * SB3.1: random family (lpc55s36, mcxn947, rw612), 1-4 root keys, P-256 or P-384, with or
//!   without ISK (and ISK user data), kdkAccessRights, firmware version, description and a
//!   random command list. `nxpimage sb31 parse` must accept what `sbgen sb31 export` makes;
//!   `sbgen sb31 verify` must accept what `nxpimage sb31 export` makes from the same config;
//!   and both files are byte-identical outside the ECDSA signatures (the timestamp is pinned).
//! * MBI: random family/target/authentication/versions; `nxpimage mbi parse` accepts ours and
//!   reads back the same fields, `sbgen mbi verify` accepts SPSDK's, bytes identical outside
//!   the signatures.
//!
//! nxpimage costs about 1.5 s per call: the case counts are kept small (see `CASES`).

use e2e::{nxpimage, path_arg as s, sbgen};
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small deterministic generator (splitmix64), so the cases depend on the seed only.
struct SmallRng(u64);

trait Pick {
    type Out;
    fn pick(self, r: &mut SmallRng) -> Self::Out;
}

macro_rules! pick_impl {
    ($($t:ty),*) => {$(
        impl Pick for std::ops::Range<$t> {
            type Out = $t;
            fn pick(self, r: &mut SmallRng) -> $t {
                let span = (self.end - self.start) as u64;
                self.start + (r.next() % span.max(1)) as $t
            }
        }
        impl Pick for std::ops::RangeInclusive<$t> {
            type Out = $t;
            fn pick(self, r: &mut SmallRng) -> $t {
                let span = (*self.end() - *self.start()) as u64 + 1;
                *self.start() + (r.next() % span) as $t
            }
        }
    )*};
}
pick_impl!(u8, u32, u64, usize);

trait FromBits {
    fn from_bits(v: u64) -> Self;
}
impl FromBits for u8 {
    fn from_bits(v: u64) -> u8 {
        v as u8
    }
}
impl FromBits for u32 {
    fn from_bits(v: u64) -> u32 {
        v as u32
    }
}

impl SmallRng {
    fn seed_from_u64(s: u64) -> SmallRng {
        SmallRng(s)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn random_range<P: Pick>(&mut self, p: P) -> P::Out {
        p.pick(self)
    }
    fn idx(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn random_bool(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn random<T: FromBits>(&mut self) -> T {
        T::from_bits(self.next())
    }
}

const SB31_CASES: u32 = 12;
const MBI_CASES: u32 = 6;

fn keys() -> PathBuf {
    e2e::vector("sb31").join("keys")
}

const KEK: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Sb31Case {
    family: &'static str,
    yaml: String,
    rkth_keys: Vec<PathBuf>,
    ar: u8,
}

fn supported(family: &str) -> Vec<&'static str> {
    match family {
        "rw612" => vec![
            "erase",
            "load",
            "programFuses",
            "programIFR",
            "copy",
            "loadKeyBlob",
            "configureMemory",
            "fillMemory",
            "checkFwVersion",
        ],
        _ => vec![
            "erase",
            "load",
            "programFuses",
            "programIFR",
            "loadCMAC",
            "copy",
            "loadHashLocking",
            "loadKeyBlob",
            "configureMemory",
            "fillMemory",
            "checkFwVersion",
        ],
    }
}

fn gen_sb31(seed: u64, dir: &Path) -> Sb31Case {
    let mut r = SmallRng::seed_from_u64(seed);
    let family = ["lpc55s36", "mcxn947", "rw612"][r.idx(3)];
    let p384 = r.random_bool(0.5);
    let n = r.random_range(1..=4usize);
    let used = r.random_range(0..n);
    let curve = if p384 { "p384" } else { "p256" };
    let isk = r.random_bool(0.5);
    let isk_curve = if p384 && r.random_bool(0.5) {
        "p384"
    } else {
        "p256"
    };
    let user_data = isk && r.random_bool(0.5);
    let mut cb = format!("family: {family}\nuseIsk: {isk}\ncontainerOutputFile: cb.bin\n");
    let mut rkth_keys = Vec::new();
    for i in 0..n {
        let k = keys().join(format!("rot_{curve}_{i}.pub"));
        let _ = writeln!(cb, "rootCertificate{i}File: {}", k.display());
        rkth_keys.push(k);
    }
    let _ = writeln!(cb, "mainRootCertId: {used}");
    let root_priv = keys().join(format!("rot_{curve}_{used}.pem"));
    let signer = if isk {
        let _ = writeln!(
            cb,
            "iskPublicKey: {}",
            keys().join(format!("isk_{isk_curve}.pub")).display()
        );
        let _ = writeln!(cb, "iskCertificateConstraint: {}", r.random_range(0..10u32));
        let _ = writeln!(cb, "signer: type=file;file_path={}", root_priv.display());
        if user_data {
            let ud: Vec<u8> = (0..4 * r.random_range(1..=24usize))
                .map(|_| r.random())
                .collect();
            std::fs::write(dir.join("ud.bin"), ud).unwrap();
            cb.push_str("iskCertData: ud.bin\n");
        }
        keys().join(format!("isk_{isk_curve}.pem"))
    } else {
        root_priv
    };
    std::fs::write(dir.join("cb.yaml"), cb).unwrap();
    std::fs::write(dir.join("kek.txt"), KEK).unwrap();
    let ar = r.random_range(0..4u8);
    let mut y = format!(
        "family: {family}\nrevision: latest\ncontainerOutputFile: out.sb3\nsigner: type=file;file_path={}\n\
         certBlock: cb.yaml\ncontainerKeyBlobEncryptionKey: kek.txt\nkdkAccessRights: {ar}\n\
         firmwareVersion: {}\ndescription: case{}\ntimestamp: {}\ncommands:\n",
        signer.display(),
        r.random_range(0..100u32),
        seed % 1000,
        r.random_range(1..0x7FFF_FFFFu64)
    );
    let names = supported(family);
    let count = r.random_range(1..=6usize);
    for i in 0..count {
        let name = names[r.random_range(0..names.len())];
        let addr = r.random_range(0..0x100u32) * 0x100;
        let file = |r: &mut SmallRng, tag: &str, max: usize| -> String {
            let len = r.random_range(1..=max);
            let data: Vec<u8> = (0..len).map(|_| r.random()).collect();
            let f = format!("d{i}_{tag}.bin");
            std::fs::write(dir.join(&f), data).unwrap();
            f
        };
        let body = match name {
            "erase" => format!(
                "address: 0x{addr:X}\nsize: 0x{:X}\nmemoryId: {}",
                r.random_range(1..16u32) * 0x200,
                [0, 9][r.idx(2)]
            ),
            "load" => {
                if r.random_bool(0.3) {
                    let vals: Vec<String> = (0..r.random_range(1..6usize))
                        .map(|_| format!("0x{:08X}", r.random::<u32>()))
                        .collect();
                    format!("address: 0x{addr:X}\ndata: {}", vals.join(", "))
                } else {
                    format!(
                        "address: 0x{addr:X}\nmemoryId: {}\ndata: {}",
                        [0, 9][r.idx(2)],
                        file(&mut r, "load", 900)
                    )
                }
            }
            "programFuses" => {
                let vals: Vec<String> = (0..r.random_range(1..5usize))
                    .map(|_| format!("0x{:X}", r.random::<u32>()))
                    .collect();
                format!(
                    "address: 0x{:X}\nvalues: {}",
                    r.random_range(0..0x40u32),
                    vals.join(", ")
                )
            }
            "programIFR" => format!("address: 0x{addr:X}\ndata: {}", file(&mut r, "ifr", 64)),
            "loadCMAC" => format!(
                "address: 0x{addr:X}\nmemoryId: 0\nfile: {}",
                file(&mut r, "cmac", 64)
            ),
            "loadHashLocking" => format!(
                "address: 0x{addr:X}\nmemoryId: 0\nfile: {}",
                file(&mut r, "hl", 64)
            ),
            "copy" => format!(
                "addressFrom: 0x{addr:X}\nmemoryIdFrom: 0\nsize: 0x{:X}\naddressTo: 0x{:X}\nmemoryIdTo: 0",
                r.random_range(1..0x100u32) * 4,
                0x2000_0000u32 + r.random_range(0..0x100u32) * 0x10
            ),
            "loadKeyBlob" => format!(
                "offset: 0x{:X}\nwrappingKeyId: {}\nfile: {}",
                r.random_range(0..0x1000u32),
                ["NXP_CUST_KEK_INT_SK", "NXP_CUST_KEK_EXT_SK"][r.idx(2)],
                file(&mut r, "kb", 80)
            ),
            "configureMemory" => {
                format!("configAddress: 0x{:X}\nmemoryId: 9", 0x2000_0000u32 + addr)
            }
            "fillMemory" => format!(
                "address: 0x{:X}\nsize: 0x{:X}\npattern: 0x{:08X}",
                0x2000_0000u32 + addr,
                r.random_range(1..64u32) * 4,
                r.random::<u32>()
            ),
            "checkFwVersion" => format!(
                "value: {}\ncounterId: {}",
                r.random_range(0..50u32),
                ["none", "nonsecure", "secure"][r.idx(3)]
            ),
            _ => unreachable!(),
        };
        let _ = writeln!(y, "  - {name}:");
        for l in body.lines() {
            let _ = writeln!(y, "      {l}");
        }
    }
    if r.random_bool(0.3) {
        let _ = writeln!(
            y,
            "  - execute:\n      address: 0x{:X}",
            r.random_range(0..0x100u32) * 4
        );
    }
    Sb31Case {
        family,
        yaml: y,
        rkth_keys,
        ar,
    }
}

/// Bytes outside the two ECDSA signatures are equal.
fn same_but_signatures(a: &[u8], b: &[u8]) -> Result<(), String> {
    if a.len() != b.len() {
        return Err(format!("lengths {} and {}", a.len(), b.len()));
    }
    let c = provkit::sb31::Container::decode(b).map_err(|e| e.to_string())?;
    let sig = c.signed_part.len()..c.signed_part.len() + c.signature.len();
    let isk = c
        .cert_block
        .isk
        .as_ref()
        .map(|i| c.signed_part.len() - i.signature.len()..c.signed_part.len())
        .unwrap_or(0..0);
    for i in 0..a.len() {
        if !sig.contains(&i) && !isk.contains(&i) && a[i] != b[i] {
            return Err(format!("byte 0x{i:X} differs"));
        }
    }
    Ok(())
}

fn sb31_case(seed: u64) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let c = gen_sb31(seed, d);
    let cfg = d.join("sb.yaml");
    std::fs::write(&cfg, &c.yaml).unwrap();
    let ours = d.join("ours.sb3");
    let r = sbgen(&["sb31", "export", "-c", s(&cfg), "-o", s(&ours)]);
    if r.code != 0 {
        return Err(format!("sbgen export: {}\n{}", r.stderr, c.yaml));
    }
    let rkth = r
        .stdout
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("RKTH: ")
        .to_string();
    // SPSDK parses (and decrypts) ours.
    let ar = c.ar.to_string();
    let kek = d.join("kek.txt");
    let p = nxpimage(&[
        "sb31",
        "parse",
        "-f",
        c.family,
        "-b",
        s(&ours),
        "-k",
        s(&kek),
        "-a",
        &ar,
        "-o",
        s(&d.join("parsed")),
    ]);
    if p.code != 0 {
        return Err(format!(
            "nxpimage sb31 parse rejected ours: {}{}\n{}",
            p.stdout, p.stderr, c.yaml
        ));
    }
    // SPSDK makes its own from the same config; we verify it, with the RKTH of the key set.
    let theirs = d.join("theirs.sb3");
    let oc = format!("containerOutputFile={}", s(&theirs));
    let e = nxpimage(&["sb31", "export", "-c", s(&cfg), "-oc", &oc]);
    if e.code != 0 {
        return Err(format!(
            "nxpimage sb31 export: {}{}\n{}",
            e.stdout, e.stderr, c.yaml
        ));
    }
    let mut args = vec!["rkth", "-f", c.family];
    args.extend(c.rkth_keys.iter().map(|k| s(k)));
    let k = sbgen(&args);
    if !k.stdout.contains(&rkth) {
        return Err(format!("rkth: {} vs {rkth}", k.stdout));
    }
    let v = sbgen(&[
        "sb31",
        "verify",
        "-i",
        s(&theirs),
        "-k",
        s(&kek),
        "-a",
        &ar,
        "--rkth",
        &rkth,
        "-f",
        c.family,
    ]);
    if v.code != 0 {
        return Err(format!(
            "sbgen verify rejected SPSDK's: {}\n{}",
            v.stderr, c.yaml
        ));
    }
    same_but_signatures(
        &std::fs::read(&ours).unwrap(),
        &std::fs::read(&theirs).unwrap(),
    )
    .map_err(|e| format!("{e}\n{}", c.yaml))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: SB31_CASES, failure_persistence: None, max_shrink_iters: 0, .. ProptestConfig::default() })]

    #[test]
    fn sb31_interop_with_nxpimage(seed in any::<u64>()) {
        if let Err(e) = sb31_case(seed) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

fn mbi_case(seed: u64) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut r = SmallRng::seed_from_u64(seed);
    let family = ["lpc55s36", "mcxn947", "rw612"][r.idx(3)];
    let (target, auth) = match (family, r.random_range(0..5u32)) {
        (_, 0) => ("xip", "plain"),
        (_, 1) => ("xip", "crc"),
        (_, 2) => ("load-to-ram", "crc"),
        ("rw612", 3) => ("load-to-ram", "signed"),
        _ => ("xip", "signed"),
    };
    let mut app: Vec<u8> = (0..r.random_range(0x40..3000usize))
        .map(|_| r.random())
        .collect();
    app[..8].copy_from_slice(&[0, 0, 1, 0x20, 0xC1, 0, 0, 0]);
    std::fs::write(d.join("app.bin"), &app).unwrap();
    let fw = r.random_range(0..20u32);
    let iv = r.random_range(0..4u32);
    let mut y = format!(
        "family: {family}\nrevision: latest\noutputImageExecutionTarget: {target}\noutputImageAuthenticationType: {auth}\n\
         masterBootOutputFile: out.bin\ninputImageFile: app.bin\noutputImageExecutionAddress: 0x{:X}\nimageVersion: {iv}\n",
        if target == "xip" { 0 } else { 0x2000_0000 }
    );
    if auth == "signed" {
        let isk = r.random_bool(0.5);
        let n = r.random_range(1..=4usize);
        let mut cb = format!(
            "family: {family}\nuseIsk: {isk}\nmainRootCertId: 0\ncontainerOutputFile: cb.bin\n"
        );
        for i in 0..n {
            let _ = writeln!(
                cb,
                "rootCertificate{i}File: {}",
                keys().join(format!("rot_p256_{i}.pub")).display()
            );
        }
        if isk {
            let _ = writeln!(
                cb,
                "iskPublicKey: {}",
                keys().join("isk_p256.pub").display()
            );
            let _ = writeln!(cb, "signer: {}", keys().join("rot_p256_0.pem").display());
        }
        std::fs::write(d.join("cb.yaml"), cb).unwrap();
        let signer = if isk {
            "isk_p256.pem"
        } else {
            "rot_p256_0.pem"
        };
        let _ = writeln!(
            y,
            "firmwareVersion: {fw}\ncertBlock: cb.yaml\nsigner: {}",
            keys().join(signer).display()
        );
        if family == "mcxn947" {
            let _ = writeln!(y, "outputImageSubtype: {}", ["main", "recovery"][r.idx(2)]);
        }
    }
    let cfg = d.join("mbi.yaml");
    std::fs::write(&cfg, &y).unwrap();
    let ours = d.join("ours.bin");
    let e = sbgen(&["mbi", "export", "-c", s(&cfg), "-o", s(&ours)]);
    if e.code != 0 {
        return Err(format!("sbgen mbi export: {}\n{y}", e.stderr));
    }
    let parsed = d.join("parsed");
    let p = nxpimage(&[
        "mbi",
        "parse",
        "-f",
        family,
        "-b",
        s(&ours),
        "-o",
        s(&parsed),
    ]);
    if p.code != 0 {
        return Err(format!(
            "nxpimage mbi parse rejected ours: {}{}\n{y}",
            p.stdout, p.stderr
        ));
    }
    let back = std::fs::read_to_string(parsed.join("mbi_config.yaml")).unwrap_or_default();
    if !back.contains(&format!("outputImageAuthenticationType: {auth}")) {
        return Err(format!("SPSDK read back:\n{back}\n---\n{y}"));
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
    let v = sbgen(&["mbi", "verify", "-i", s(&theirs), "-f", family]);
    if v.code != 0 {
        return Err(format!(
            "sbgen mbi verify rejected SPSDK's: {}\n{y}",
            v.stderr
        ));
    }
    let (a, b) = (
        std::fs::read(&ours).unwrap(),
        std::fs::read(&theirs).unwrap(),
    );
    if a.len() != b.len() {
        return Err(format!("sizes {} vs {}\n{y}", a.len(), b.len()));
    }
    let fam = provkit::family::family(family).unwrap();
    let m = provkit::mbi::Mbi::decode(&b, fam).map_err(|e| e.to_string())?;
    let end = match &m.signed {
        // The application, the cert block header and root key record agree; signatures
        // (and the MCX N manifest CRC, which covers the ISK signature) do not.
        Some(sp) => sp.app_len + 12,
        None => b.len(),
    };
    if a[..end] != b[..end] {
        return Err(format!("images differ before 0x{end:X}\n{y}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: MBI_CASES, failure_persistence: None, max_shrink_iters: 0, .. ProptestConfig::default() })]

    #[test]
    fn mbi_interop_with_nxpimage(seed in any::<u64>()) {
        if let Err(e) = mbi_case(seed) {
            prop_assert!(false, "seed {seed}: {e}");
        }
    }
}

/// SPSDK's own SB3.1 vectors parse with nxpimage after a parse/export round trip through
/// sbgen (our re-export of SPSDK's file is still an SPSDK file).
#[test]
fn reexported_vectors_parse_with_nxpimage() {
    let v = e2e::vector("sb31");
    let tmp = tempfile::tempdir().unwrap();
    for (name, fam, ar, signer) in [
        ("B", "mcxn947", "3", "isk_p384.pem"),
        ("E_allcmds", "mcxn947", "0", "isk_p256.pem"),
    ] {
        let dir = tmp.path().join(name);
        let file = v.join(format!("out/sb31_{name}.sb3"));
        let kek = v.join("inputs/sbkek.txt");
        let sig = keys().join(signer);
        let r = sbgen(&[
            "sb31",
            "parse",
            "-i",
            s(&file),
            "-k",
            s(&kek),
            "-a",
            ar,
            "-f",
            fam,
            "-o",
            s(&dir),
            "--signer",
            s(&sig),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = tmp.path().join(format!("{name}.sb3"));
        let cfg = dir.join(format!("sb31_{fam}_config.yaml"));
        assert_eq!(
            sbgen(&["sb31", "export", "-c", s(&cfg), "-o", s(&out)]).code,
            0
        );
        let p = nxpimage(&[
            "sb31",
            "parse",
            "-f",
            fam,
            "-b",
            s(&out),
            "-k",
            s(&kek),
            "-a",
            ar,
            "-o",
            s(&tmp.path().join(format!("{name}_p"))),
        ]);
        assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);
    }
}
