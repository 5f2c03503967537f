//! `sbgen sb21 export` of RT5xx/6xx OTFAD key blobs (`keyblobs`, `keywrap`, `encrypt`)
//! against live SPSDK 3.12 (`$PROVKIT_SPSDK3`; the test fails when it is not set):
//!
//! * YAML configs (1 to 4 key blobs, 1 to 4 regions each, key wrap and encryption from
//!   files and values, byte swap, two sections, flag 0x8008): `nxpimage sb21 export` and
//!   `sbgen sb21 export` of the same config give the same bytes. SPSDK's key blobs carry 4
//!   random bytes (the "zero fill" word): they are read back from SPSDK's file (unwrapped
//!   with the OTFAD KEK) and pinned with sbgen's `keywrap.zeroFill`. `nxpimage sb21 parse`
//!   and `sbgen sb21 parse` list the same LOAD commands of our files.
//! * BD files with `keyblob`/`keywrap`/`encrypt`: `nxpimage sb21 export -c X.bd -k -s -S -R`
//!   (run with SPSDK's random source for key blobs returning zeros, as `zeroPadding = True`
//!   makes sbgen write) equals `sbgen sb21 export` of the same file.
//! * An image loaded past its region's start: `--spsdk-compat` gives SPSDK's bytes; the
//!   default encrypts it with the counter of its address, as SPSDK's
//!   `KeyBlob.encrypt_image(counter_value=address)` (what `nxpimage otfad` uses).
//! * Bad key blob configs are one-line usage errors (exit 2) naming the key.

use e2e::{Run, ok, path_arg as s, run, sbgen, spsdk3_bin, vector};
use provkit::otfad::KeyBlob;
use provkit::sb21::{self, Command};
use rand::{RngCore, SeedableRng, rngs::SmallRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn v(rel: &str) -> String {
    vector(&format!("mbi/{rel}")).display().to_string()
}

/// The SBKEK of `sb21_rt595s/sbkek.txt`.
fn sbkek() -> Vec<u8> {
    let t = std::fs::read_to_string(v("sb21_rt595s/sbkek.txt")).unwrap();
    provkit::codec::from_hex(t.trim()).unwrap()
}

/// OTFAD KEKs of the configs, by keywrap address.
const KEK_A: &str = "000102030405060708090a0b0c0d0e0f";
const KEK_B: &str = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/// The pinned head of every config (as `sb21_rt595s/sb21_rt595s_pinned.yaml`).
fn head(flags: &str) -> String {
    format!(
        "family: mimxrt595s
options:
  flags: {flags}
  productVersion: '1.0.0'
  componentVersion: '1.0.0'
  timestamp: 1700000000
  dek: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf'
  mac: 'c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf'
  nonce: '00112233445566778819aabbcc5deeff'
  zeroPadding: true
signer: type=file;file_path={}
certBlock: {}
containerOutputFile: out.sb
containerKeyBlobEncryptionKey: {}
",
        v("keys/rotk0_rsa2048.pem"),
        v("sb21_rt595s/cert_block_v1.yaml"),
        v("sb21_rt595s/sbkek.txt"),
    )
}

/// One `keyblob_content` region.
fn region(start: u32, end: u32, key: &str, counter: &str, swap: Option<bool>) -> String {
    let mut r = format!(
        "      - start: 0x{start:08X}\n        end: 0x{end:08X}\n        key: '{key}'\n        counter: '{counter}'\n"
    );
    if let Some(b) = swap {
        r.push_str(&format!("        byte_swap: {b}\n"));
    }
    r
}

fn keyblob(id: u32, regions: &[String]) -> String {
    format!(
        "  - keyblob_id: {id}\n    keyblob_content:\n{}",
        regions.concat()
    )
}

/// A keywrap command; `#ZF@ADDRESS` marks where sbgen's `zeroFill` goes.
fn keywrap(id: u32, address: u32, kek: &str) -> String {
    format!(
        "      - keywrap:\n          keyblob_id: {id}\n          address: 0x{address:08X}\n          values: '{kek}'\n          #ZF@{address}\n"
    )
}

fn encrypt(id: u32, address: u32, source: &str) -> String {
    format!(
        "      - encrypt:\n          keyblob_id: {id}\n          address: 0x{address:08X}\n          {source}\n"
    )
}

fn config(flags: &str, keyblobs: &[String], sections: &[Vec<String>]) -> String {
    let mut y = head(flags);
    y.push_str("keyblobs:\n");
    y.push_str(&keyblobs.concat());
    y.push_str("sections:\n");
    for cmds in sections {
        y.push_str("  - commands:\n");
        y.push_str(&cmds.concat());
    }
    y
}

const K0: &str = "00112233445566778899aabbccddeeff";
const K1: &str = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const K2: &str = "2b7e151628aed2a6abf7158809cf4f3c";
const K3: &str = "603deb1015ca71be2b73aef0857d7781";
const C0: &str = "0011223344556677";
const C1: &str = "a1b2c3d4e5f60718";
const C2: &str = "f0f1f2f3f4f5f6f7";
const C3: &str = "0102030405060708";

/// Writes the test images into `dir`: the vectors' 1002-byte app and random data.
fn images(dir: &Path) -> (String, String, String) {
    let mut rng = SmallRng::seed_from_u64(0x07FA_D000);
    let mut big = vec![0u8; 8200];
    rng.fill_bytes(&mut big);
    let mut small = vec![0u8; 512];
    rng.fill_bytes(&mut small);
    let big_p = dir.join("big.bin");
    let small_p = dir.join("small.bin");
    std::fs::write(&big_p, &big).unwrap();
    std::fs::write(&small_p, &small).unwrap();
    (
        format!("file: {}", v("app/app.bin")),
        format!("file: {}", s(&big_p)),
        format!("file: {}", s(&small_p)),
    )
}

/// The LOADs of a decoded SB2.1 file, by address (the first LOAD at each address).
fn loads(file: &[u8]) -> BTreeMap<u32, Vec<u8>> {
    let d = sb21::decode(file, &sbkek(), None).expect("decode");
    let mut m = BTreeMap::new();
    for c in d.sections.iter().flat_map(|s| &s.commands) {
        if let Command::Load { address, data, .. } = c {
            m.entry(*address).or_insert_with(|| data.clone());
        }
    }
    m
}

/// `sbgen`'s config: each keywrap pinned to the zero fill SPSDK drew for it.
fn pin_zero_fills(yaml: &str, spsdk: &[u8]) -> String {
    let loads = loads(spsdk);
    let mut out = String::new();
    let mut kek = "";
    for line in yaml.lines() {
        if let Some(k) = line.trim().strip_prefix("values: '") {
            kek = k.trim_end_matches('\'');
        }
        if let Some(a) = line.trim().strip_prefix("#ZF@") {
            let address: u32 = a.parse().unwrap();
            let blob = &loads[&address];
            let kek = provkit::codec::from_hex(kek).unwrap();
            let kb = KeyBlob::unwrap(&kek, blob).expect("SPSDK's key blob unwraps");
            out.push_str(&format!(
                "          zeroFill: '{}'\n",
                provkit::codec::to_hex(&kb.zero_fill)
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// (address, length) of every LOAD `nxpimage sb21 parse` lists.
fn spsdk_parse_loads(file: &Path, dir: &Path) -> Vec<(u32, usize)> {
    let out = dir.join("spsdk_parsed");
    let r = run(
        &spsdk3_bin("nxpimage"),
        &[
            "sb21",
            "parse",
            "-b",
            s(file),
            "-k",
            &v("sb21_rt595s/sbkek.txt"),
            "-o",
            s(&out),
        ],
    );
    ok(&r, "nxpimage sb21 parse");
    let info = std::fs::read_to_string(out.join("parsed_info.txt")).unwrap();
    info.lines()
        .filter_map(|l| l.split_once(") LOAD: Address=0x"))
        .map(|(_, rest)| {
            let (a, rest) = rest.split_once(", DataLen=").unwrap();
            let n = rest.split(',').next().unwrap();
            (u32::from_str_radix(a, 16).unwrap(), n.parse().unwrap())
        })
        .collect()
}

/// (address, length) of every LOAD `sbgen sb21 parse` lists, by section.
fn sbgen_parse_loads(file: &Path) -> Vec<Vec<(u32, usize)>> {
    let r = sbgen(&[
        "sb21",
        "parse",
        "-i",
        s(file),
        "-k",
        &v("sb21_rt595s/sbkek.txt"),
    ]);
    ok(&r, "sbgen sb21 parse");
    let mut sections: Vec<Vec<(u32, usize)>> = Vec::new();
    for l in r.stdout.lines() {
        if l.starts_with("section ") {
            sections.push(Vec::new());
        } else if let Some(rest) = l.trim().strip_prefix("LOAD address=0x") {
            let (a, rest) = rest.split_once(' ').unwrap();
            let n = rest.split("length=").nth(1).unwrap();
            let n = n.split(' ').next().unwrap();
            let load = (u32::from_str_radix(a, 16).unwrap(), n.parse().unwrap());
            sections.last_mut().unwrap().push(load);
        }
    }
    sections
}

/// Exports `yaml` with nxpimage and with sbgen (zero fills pinned); returns both files.
fn export_both(dir: &Path, name: &str, yaml: &str, extra: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let cfg = dir.join(format!("{name}.yaml"));
    std::fs::write(&cfg, yaml).unwrap();
    let theirs = dir.join(format!("{name}_spsdk.sb"));
    let r = run(
        &spsdk3_bin("nxpimage"),
        &["sb21", "export", "-c", s(&cfg), "-o", s(&theirs)],
    );
    ok(&r, &format!("nxpimage {name}"));
    let theirs = std::fs::read(&theirs).unwrap();
    let pinned = dir.join(format!("{name}_sbgen.yaml"));
    std::fs::write(&pinned, pin_zero_fills(yaml, &theirs)).unwrap();
    let ours = dir.join(format!("{name}_sbgen.sb"));
    let mut args = vec!["sb21", "export", "-c", s(&pinned), "-o", s(&ours)];
    args.extend_from_slice(extra);
    ok(&sbgen(&args), &format!("sbgen {name}"));
    (theirs, std::fs::read(&ours).unwrap())
}

#[test]
fn yaml_key_blobs_export_as_nxpimage() {
    let t = tempfile::tempdir().unwrap();
    let (app, big, small) = images(t.path());
    let r0 = region(0x0800_1000, 0x0800_FFFF, K0, C0, None);
    let r1 = region(0x0801_0000, 0x0802_FFFF, K1, C1, None);
    let cases: Vec<(&str, String, &[&str], usize)> = vec![
        (
            "one_blob",
            config(
                "0x8",
                &[keyblob(0, std::slice::from_ref(&r0))],
                &[vec![
                    keywrap(0, 0x0800_0000, KEK_A),
                    encrypt(0, 0x0800_1000, &app),
                ]],
            ),
            &[],
            2,
        ),
        (
            "two_blobs_values",
            config(
                "0x8",
                &[
                    keyblob(0, std::slice::from_ref(&r0)),
                    keyblob(1, std::slice::from_ref(&r1)),
                ],
                &[vec![
                    "      - erase:\n          address: 0x08000000\n          length: 0x30000\n          mem_opt: 9\n".into(),
                    keywrap(0, 0x0800_0000, KEK_A),
                    keywrap(1, 0x0800_0040, KEK_B),
                    encrypt(1, 0x0801_0000, "values: '0x11223344,0x55667788,0xA5A5A5A5'"),
                    encrypt(0, 0x0800_1000, &big),
                    "      - version_check:\n          ver_type: 0\n          fw_version: 2\n".into(),
                ]],
            ),
            &[],
            4,
        ),
        (
            "four_blobs_1_to_4_regions",
            config(
                "0x8",
                &[
                    keyblob(3, &[region(0x0810_0000, 0x0810_03FF, K3, C3, None)]),
                    keyblob(
                        0,
                        &[
                            region(0x0800_1000, 0x0800_FFFF, K0, C0, None),
                            region(0x0820_0000, 0x0820_FFFF, K1, C1, None),
                        ],
                    ),
                    keyblob(
                        7,
                        &[
                            region(0x0801_0000, 0x0801_FFFF, K2, C2, None),
                            region(0x0821_0000, 0x0821_03FF, K0, C1, None),
                            region(0x0821_0400, 0x0821_07FF, K1, C0, None),
                        ],
                    ),
                    keyblob(
                        1,
                        &[
                            region(0x0802_0000, 0x080F_FFFF, K1, C2, None),
                            region(0x0822_0000, 0x0822_FFFF, K3, C3, None),
                            region(0x0823_0000, 0x0823_FFFF, K2, C0, None),
                            region(0x0824_0000, 0x0824_FFFF, K0, C1, None),
                        ],
                    ),
                ],
                &[vec![
                    keywrap(0, 0x0800_0000, KEK_A),
                    keywrap(7, 0x0800_0040, KEK_A),
                    keywrap(1, 0x0800_0080, KEK_B),
                    keywrap(3, 0x0800_00C0, KEK_B),
                    encrypt(0, 0x0800_1000, &app),
                    encrypt(7, 0x0801_0000, &small),
                    encrypt(1, 0x0802_0000, &big),
                    encrypt(3, 0x0810_0000, "values: '0xDEADBEEF'"),
                ]],
            ),
            &[],
            8,
        ),
        (
            "byte_swap",
            config(
                "0x8",
                &[
                    keyblob(0, &[region(0x0800_1000, 0x0800_FFFF, K0, C0, Some(true))]),
                    keyblob(1, &[region(0x0801_0000, 0x0802_FFFF, K1, C1, Some(false))]),
                ],
                &[vec![
                    keywrap(0, 0x0800_0000, KEK_A),
                    keywrap(1, 0x0800_0040, KEK_A),
                    encrypt(0, 0x0800_1000, &big),
                    encrypt(1, 0x0801_0000, &app),
                ]],
            ),
            &[],
            4,
        ),
        (
            "two_sections_sha",
            config(
                "0x8008",
                &[
                    keyblob(2, std::slice::from_ref(&r0)),
                    keyblob(5, std::slice::from_ref(&r1)),
                ],
                &[
                    vec![
                        keywrap(2, 0x0800_0000, KEK_B),
                        "      - load:\n          address: 0x20001000\n          values: '0x12345678'\n".into(),
                        encrypt(2, 0x0800_1000, &small),
                    ],
                    vec![
                        keywrap(5, 0x0800_0040, KEK_B),
                        encrypt(5, 0x0801_0000, &app),
                        "      - jump:\n          address: 0x08001000\n".into(),
                    ],
                ],
            ),
            // Flag 0x8000: SPSDK's header block counts.
            &["--spsdk-compat"],
            5,
        ),
        (
            "whole_address_space",
            config(
                "0x8",
                &[keyblob(
                    9,
                    &[region(0x0000_0000, 0xFFFF_FFFF, K2, C3, Some(true))],
                )],
                &[vec![
                    encrypt(9, 0x0000_0000, &small),
                    keywrap(9, 0x0800_0000, KEK_B),
                ]],
            ),
            &[],
            2,
        ),
    ];
    for (name, yaml, extra, n_loads) in cases {
        let (theirs, ours) = export_both(t.path(), name, &yaml, extra);
        assert_eq!(
            loads(&theirs).len(),
            n_loads,
            "{name}: LOADs at distinct addresses"
        );
        assert!(
            theirs == ours,
            "{name}: sbgen's file differs from nxpimage's"
        );
        // Both parsers list the same LOADs of our file (`nxpimage sb21 parse` lists the
        // first section only).
        let ours_p = t.path().join(format!("{name}_sbgen.sb"));
        let a = sbgen_parse_loads(&ours_p);
        let b = spsdk_parse_loads(&ours_p, &t.path().join(name));
        assert_eq!(
            a.iter().map(Vec::len).sum::<usize>(),
            n_loads,
            "{name}: {a:?}"
        );
        assert_eq!(a[0], b, "{name}");
    }
}

#[test]
fn zero_padding_pins_the_zero_fill_and_without_it_the_fill_is_random() {
    let t = tempfile::tempdir().unwrap();
    let yaml = config(
        "0x8",
        &[keyblob(
            0,
            &[region(0x0800_1000, 0x0800_FFFF, K0, C0, None)],
        )],
        &[vec![keywrap(0, 0x0800_0000, KEK_A)]],
    );
    let fill = |y: &str, name: &str| -> [u8; 4] {
        let cfg = t.path().join(format!("{name}.yaml"));
        let out = t.path().join(format!("{name}.sb"));
        std::fs::write(&cfg, y).unwrap();
        ok(
            &sbgen(&["sb21", "export", "-c", s(&cfg), "-o", s(&out)]),
            name,
        );
        let l = loads(&std::fs::read(&out).unwrap());
        let kek = provkit::codec::from_hex(KEK_A).unwrap();
        KeyBlob::unwrap(&kek, &l[&0x0800_0000]).unwrap().zero_fill
    };
    assert_eq!(fill(&yaml, "zero"), [0; 4]);
    let random = yaml.replace(
        "  zeroPadding: true\n",
        "  headerPadding: '0000000000000000'\n",
    );
    let fills: Vec<[u8; 4]> = (0..3).map(|i| fill(&random, &format!("r{i}"))).collect();
    assert!(
        fills[0] != fills[1] || fills[1] != fills[2],
        "three random zero fills are equal: {fills:?}"
    );
    let pinned = yaml.replace("#ZF@134217728", "zeroFill: 'a1b2c3d4'");
    assert_eq!(fill(&pinned, "pinned"), [0xA1, 0xB2, 0xC3, 0xD4]);
}

/// SPSDK's `KeyBlob.encrypt_image` of `data` at `address` with the counter of `counter`.
fn spsdk_encrypt_image(
    dir: &Path,
    (start, end, key, ctr): (u32, u32, &str, &str),
    address: u32,
    counter: u32,
    data: &Path,
) -> Vec<u8> {
    let out = dir.join("spsdk_enc.bin");
    let script = format!(
        "from spsdk.image.otfad.otfad import KeyBlob\n\
         from spsdk.utils.misc import align_block\n\
         kb = KeyBlob({start}, {end}, bytes.fromhex('{key}'), bytes.fromhex('{ctr}'))\n\
         d = align_block(open(r'{}', 'rb').read(), 512)\n\
         open(r'{}', 'wb').write(kb.encrypt_image({address}, d, False, counter_value={counter}))\n",
        s(data),
        s(&out)
    );
    let r = run(&spsdk3_bin("python"), &["-c", &script]);
    ok(&r, "SPSDK KeyBlob.encrypt_image");
    std::fs::read(out).unwrap()
}

#[test]
fn an_image_past_the_region_start_uses_its_own_counter_unless_spsdk_compat() {
    let t = tempfile::tempdir().unwrap();
    let (app, _, small) = images(t.path());
    let yaml = config(
        "0x8",
        &[keyblob(
            0,
            &[region(0x0800_1000, 0x0800_FFFF, K0, C0, None)],
        )],
        &[vec![
            keywrap(0, 0x0800_0000, KEK_A),
            encrypt(0, 0x0800_1000, &small),
            encrypt(0, 0x0800_3400, &app),
        ]],
    );
    let (theirs, compat) = export_both(t.path(), "offset", &yaml, &["--spsdk-compat"]);
    assert!(theirs == compat, "--spsdk-compat differs from nxpimage");
    let pinned = t.path().join("offset_sbgen.yaml");
    let out = t.path().join("default.sb");
    let r = sbgen(&["sb21", "export", "-c", s(&pinned), "-o", s(&out)]);
    ok(&r, "default");
    let a = loads(&theirs);
    let b = loads(&std::fs::read(&out).unwrap());
    assert_eq!(a.len(), 3);
    assert_eq!(a[&0x0800_0000], b[&0x0800_0000]);
    assert_eq!(a[&0x0800_1000], b[&0x0800_1000]);
    assert_ne!(a[&0x0800_3400], b[&0x0800_3400]);
    let kb = (0x0800_1000, 0x0800_FFFF, K0, C0);
    let app_p = PathBuf::from(v("app/app.bin"));
    assert_eq!(
        b[&0x0800_3400],
        spsdk_encrypt_image(t.path(), kb, 0x0800_3400, 0x0800_3400, &app_p)
    );
    assert_eq!(
        a[&0x0800_3400],
        spsdk_encrypt_image(t.path(), kb, 0x0800_3400, 0x0800_1000, &app_p)
    );
}

/// nxpimage with SPSDK's random source for key blobs returning zeros (the BD language has no
/// way to pin the zero fill; sbgen writes zeros with `zeroPadding = True`).
fn nxpimage_zero_fill(args: &[&str]) -> Run {
    let script = "import sys\n\
                  import spsdk.image.otfad.otfad as otfad\n\
                  otfad.random_bytes = lambda n: bytes(n)\n\
                  from spsdk.apps.nxpimage import safe_main\n\
                  sys.argv[0] = 'nxpimage'\n\
                  sys.exit(safe_main())\n";
    let mut a = vec!["-c", script];
    a.extend_from_slice(args);
    run(&spsdk3_bin("python"), &a)
}

fn bd_keys() -> Vec<String> {
    let mut a = vec![
        "-k".into(),
        v("sb21_rt595s/sbkek.txt"),
        "-s".into(),
        v("keys/rotk0_rsa2048.pem"),
        "-S".into(),
        v("certs/root0_rsa_cert.der"),
    ];
    for i in 0..4 {
        a.push("-R".into());
        a.push(v(&format!("certs/root{i}_rsa_cert.der")));
    }
    a
}

fn bd_file(image: &str, with_blob: bool) -> String {
    let blob_encrypt = if with_blob {
        "    encrypt (1) { load {{ 11223344 }} > 0x08010000; }\n"
    } else {
        ""
    };
    format!(
        "options {{
    flags = 0x8;
    buildNumber = 0x3;
    productVersion = \"1.00.00\";
    componentVersion = \"1.00.00\";
    secureBinaryVersion = \"2.1\";
    zeroPadding = True;
    dek = \"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\";
    mac = \"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf\";
    nonce = \"00112233445566778819aabbcc5deeff\";
    timestamp = 1700000000;
    family = \"mimxrt595s\";
}}
sources {{
    myImage = \"{image}\";
}}
keyblob (0) {{
    (
    start = 0x08001000,
    end = 0x0800FFFF,
    key = \"{K0}\",
    counter = \"{C0}\",
    byte_swap = 1
    )
}}
keyblob (1) {{
    (
    start = 0x08010000,
    end = 0x0801FFFF,
    key = \"{K1}\",
    counter = \"{C1}\"
    )
}}
section (0) {{
    erase @9 0x08000000..0x08020000;
    keywrap (0) {{ load {{{{ {KEK_A} }}}} > 0x08000000; }}
    keywrap (1) {{ load {{{{ {KEK_B} }}}} > 0x08000040; }}
    encrypt (0) {{ load myImage > 0x08001000; }}
{blob_encrypt}}}
"
    )
}

#[test]
fn bd_key_blobs_export_as_nxpimage() {
    let t = tempfile::tempdir().unwrap();
    let keys = bd_keys();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    // SPSDK reads a {{ }} blob in encrypt as one little-endian word: --spsdk-compat.
    for (name, with_blob, extra) in [
        ("blob", true, &["--spsdk-compat"][..]),
        ("files", false, &[][..]),
    ] {
        let bd = t.path().join(format!("{name}.bd"));
        std::fs::write(&bd, bd_file(&v("app/app.bin"), with_blob)).unwrap();
        let theirs = t.path().join(format!("{name}_spsdk.sb"));
        let mut a = vec!["sb21", "export", "-c", s(&bd), "-o", s(&theirs)];
        a.extend_from_slice(&keys);
        ok(&nxpimage_zero_fill(&a), "nxpimage (BD)");
        let ours = t.path().join(format!("{name}_sbgen.sb"));
        let mut a = vec!["sb21", "export", "-c", s(&bd), "-o", s(&ours)];
        a.extend_from_slice(&keys);
        a.extend_from_slice(extra);
        ok(&sbgen(&a), "sbgen (BD)");
        let theirs = std::fs::read(theirs).unwrap();
        assert_eq!(loads(&theirs).len(), if with_blob { 4 } else { 3 });
        assert!(theirs == std::fs::read(ours).unwrap(), "{name}");
    }
}

fn one_line_usage_error(r: &Run, needle: &str) {
    assert_eq!(r.code, 2, "{needle}: {}{}", r.stdout, r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("sbgen: "))
        .collect();
    assert_eq!(errors.len(), 1, "{needle}: {}", r.stderr);
    assert!(errors[0].contains(needle), "{needle}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    // Secrets are never printed.
    for k in [K0, K1, KEK_A, KEK_B] {
        assert!(
            !r.stderr.contains(k),
            "{needle}: a key was printed: {}",
            r.stderr
        );
    }
}

#[test]
fn bad_key_blob_configs_are_one_line_errors_naming_the_key() {
    let t = tempfile::tempdir().unwrap();
    let (app, _, _) = images(t.path());
    let good_region = region(0x0800_1000, 0x0800_FFFF, K0, C0, None);
    let cmds = vec![
        keywrap(0, 0x0800_0000, KEK_A),
        encrypt(0, 0x0800_1000, &app),
    ];
    let with_blobs = |blobs: &[String], cmds: &[String]| config("0x8", blobs, &[cmds.to_vec()]);
    let good = with_blobs(&[keyblob(0, std::slice::from_ref(&good_region))], &cmds);
    let cases: Vec<(String, &str)> = vec![
        (
            with_blobs(
                &[
                    keyblob(0, std::slice::from_ref(&good_region)),
                    keyblob(1, &[region(0x0800_F000, 0x0801_03FF, K1, C1, None)]),
                ],
                &cmds,
            ),
            "keyblobs[1].keyblob_content[0]: region 0x0800F000..=0x080103FF overlaps keyblobs[0].keyblob_content[0]",
        ),
        (
            with_blobs(
                &[keyblob(
                    0,
                    &[
                        good_region.clone(),
                        region(0x0800_0000, 0x0800_13FF, K1, C1, None),
                    ],
                )],
                &cmds,
            ),
            "keyblobs[0].keyblob_content[1]: region 0x08000000..=0x080013FF overlaps",
        ),
        (
            good.replace("start: 0x08001000", "start: 0x08001200"),
            "keyblob_content[0]: start: region start 0x08001200 is not a multiple of 0x400",
        ),
        (
            good.replace("end: 0x0800FFFF", "end: 0x08010000"),
            "keyblob_content[0]: end: region end 0x08010000 is not the last byte of a 1 KB block",
        ),
        (
            good.replace("end: 0x0800FFFF", "end: 0x08000FFF"),
            "keyblob_content[0]: end: region end 0x08000FFF is below its start",
        ),
        (
            good.replace(K0, &format!("{K0}0011223344556677")),
            "keyblob_content[0]: key: 24 bytes, expected 16",
        ),
        (
            good.replace(&format!("counter: '{C0}'"), "counter: '00112233'"),
            "keyblob_content[0]: counter: 4 bytes, expected 8",
        ),
        (
            good.replace(&format!("counter: '{C0}'"), "counter: 1122334455667788"),
            "counter: a YAML number",
        ),
        (
            good.replace(
                &format!("values: '{KEK_A}'"),
                &format!("values: '{K0}{K0}'"),
            ),
            "commands[0].keywrap: values: 32 bytes, expected 16",
        ),
        (
            good.replace(&format!("values: '{KEK_A}'"), "values: 'xyz0'"),
            "commands[0].keywrap: values: not hex",
        ),
        (
            good.replace(
                "          keyblob_id: 0\n          address: 0x08001000",
                "          keyblob_id: 4\n          address: 0x08001000",
            ),
            "commands[1].encrypt: keyblob_id: no key blob 4 in keyblobs (ids: 0)",
        ),
        (
            with_blobs(
                &[
                    keyblob(0, std::slice::from_ref(&good_region)),
                    keyblob(0, &[region(0x0801_0000, 0x0801_FFFF, K1, C1, None)]),
                ],
                &cmds,
            ),
            "keyblobs[1]: keyblob_id: 0 is also the id of keyblobs[0]",
        ),
        (
            good.replace("address: 0x08001000", "address: 0x08001008"),
            "commands[1].encrypt: address: 0x08001008 is not a multiple of 16",
        ),
        (good.replace(&app, "file: /nonexistent/otfad.bin"), ""),
        (
            good.replace(&app, "data: ''"),
            "commands[1].encrypt: the data to encrypt is empty",
        ),
        (
            good.replace("keyblob_content:\n", "keyblob_content: []\n")
                .replace(&good_region, ""),
            "keyblobs[0]: keyblob_content: expected a list of regions",
        ),
        (
            good.replace("family: mimxrt595s", "family: lpc55s69"),
            "keyblobs: lpc55s69 takes no OTFAD key blobs",
        ),
        (
            config("0x8", &[], std::slice::from_ref(&cmds)).replace("keyblobs:\n", ""),
            "keyblob_id: no key blob 0 (the config has no keyblobs)",
        ),
    ];
    let cfg = t.path().join("bad.yaml");
    let out = t.path().join("bad.sb");
    // The good config exports.
    std::fs::write(&cfg, &good).unwrap();
    ok(
        &sbgen(&["sb21", "export", "-c", s(&cfg), "-o", s(&out)]),
        "good",
    );
    for (yaml, needle) in cases {
        assert_ne!(yaml, good, "{needle}: the edit did not apply");
        std::fs::write(&cfg, &yaml).unwrap();
        let r = sbgen(&["sb21", "export", "-c", s(&cfg), "-o", s(&out)]);
        if needle.is_empty() {
            // A missing file: I/O error (exit 3), one line.
            assert_eq!(r.code, 3, "{}", r.stderr);
            assert!(
                r.stderr.contains("commands[1].encrypt: file"),
                "{}",
                r.stderr
            );
            continue;
        }
        one_line_usage_error(&r, needle);
    }
}
