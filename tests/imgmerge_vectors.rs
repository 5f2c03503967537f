//! Every case in `vectors/merge` through the real `imgmerge` binary.
//!
//! * srec_cat 1.64 outputs: our output is byte-identical (the one exception,
//!   `srec_cat_merge_a.s19`, was made with `-data-only`, which drops the S5 count record we
//!   always write: same data, and the same bytes once that record is removed).
//! * SPSDK 3.12 outputs of the YAML configurations: byte-identical with `--spsdk-compat`;
//!   without it, only the documented differences remain (HEX/S19 keep their real addresses and
//!   the entry point; the gaps inside a multi-segment file get the image's pattern).
//!
//! The srec_cat cases that need a binary too big to keep (`merge_b`, 196 KiB) run srec_cat
//! live.

#[path = "imgmerge_util.rs"]
mod util;

use std::path::Path;
use util::*;

const INPUTS: &[&str] = &[
    "app1.bin",
    "app1.s19",
    "app2.bin",
    "app2.hex",
    "app3.bin",
    "appB1.s19",
    "appB2.hex",
    "appB3.elf",
    "appB3_objcopy.s19",
    "ramp100.bin",
];

fn setup() -> tempfile::TempDir {
    let dir = dir_with(INPUTS);
    std::fs::write(dir.path().join("marker.bin"), [0x12, 0x34, 0x56, 0x78]).unwrap();
    dir
}

/// Runs imgmerge in `dir` writing `out`, and returns the output file's bytes.
#[track_caller]
fn merged(dir: &Path, out: &str, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["-o", out];
    all.extend_from_slice(args);
    imgmerge_in(dir, &all).ok();
    read(&dir.join(out))
}

#[track_caller]
fn same(ours: &[u8], golden: &str) {
    let want = read_vector(golden);
    assert!(
        ours == want.as_slice(),
        "{golden} differs:\n--- ours\n{}\n--- golden\n{}",
        String::from_utf8_lossy(ours),
        String::from_utf8_lossy(&want)
    );
}

const MERGE_A: &[&str] = &["app1.s19", "app2.hex", "app3.bin@0x1040"];
const MERGE_B: &[&str] = &[
    "appB1.s19",
    "appB2.hex",
    "appB3.elf",
    "marker.bin@0x08030000",
];
const MERGE_B_OBJCOPY: &[&str] = &[
    "appB1.s19",
    "appB2.hex",
    "appB3_objcopy.s19",
    "marker.bin@0x08030000",
];

fn with<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    let mut v = head.to_vec();
    v.extend_from_slice(tail);
    v
}

#[test]
fn srec_cat_merge_a() {
    let dir = setup();
    let d = dir.path();
    // srec_cat '(' … ')' -fill 0xFF 0x1000 0x1044 -offset -0x1000 -o srec_cat_merge_a.bin -binary
    same(
        &merged(d, "a.bin", &with(&["--fill", "0xFF"], MERGE_A)),
        "srec_cat_merge_a.bin",
    );
    // 0xFF is the default fill.
    same(&merged(d, "a2.bin", MERGE_A), "srec_cat_merge_a.bin");
    // srec_cat '(' … ')' -fill 0xFF 0x0000 0x1044 -o srec_cat_merge_a_keep_padding.bin -binary
    same(
        &merged(d, "kp.bin", &with(&["--base", "0"], MERGE_A)),
        "srec_cat_merge_a_keep_padding.bin",
    );
    // srec_cat … -o srec_cat_merge_a.hex -Intel
    same(&merged(d, "a.hex", MERGE_A), "srec_cat_merge_a.hex");
    // srec_cat … -o srec_cat_merge_a.s19 -Motorola -address-length=4 -data-only: we always
    // write the S5 count record; otherwise identical.
    let ours = merged(d, "a.s19", &with(&["--style", "spsdk"], MERGE_A));
    let mut want = read_vector("srec_cat_merge_a.s19");
    want.extend_from_slice(b"S5030003F9\n");
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        String::from_utf8(want).unwrap()
    );
}

#[test]
fn srec_cat_merge_b_with_the_elf_and_with_objcopys_s19() {
    let dir = setup();
    let d = dir.path();
    for inputs in [MERGE_B, MERGE_B_OBJCOPY] {
        // srec_cat $IN -o srec_cat_merge_b.s19 -Motorola -address-length=4 -obs=32 (the
        // addresses need 4 bytes anyway; the S0 header is appB1's, the entry appB1's).
        same(&merged(d, "b.s19", inputs), "srec_cat_merge_b.s19");
        same(
            &merged(d, "b4.s19", &with(&["--address-length", "4"], inputs)),
            "srec_cat_merge_b.s19",
        );
        // srec_cat $IN -o srec_cat_merge_b.hex -Intel -obs=32
        same(&merged(d, "b.hex", inputs), "srec_cat_merge_b.hex");
    }
    // srec_cat '(' $IN ')' -fill 0xA5 0x08000000 0x08030004 -offset -0x08000000 -o b.bin -binary
    let sc = srec_cat_in(
        d,
        &[
            "(",
            "appB1.s19",
            "-Motorola",
            "appB2.hex",
            "-Intel",
            "appB3_objcopy.s19",
            "-Motorola",
            "-generate",
            "0x08030000",
            "0x08030004",
            "-constant-b-e",
            "0x12345678",
            "4",
            ")",
            "-fill",
            "0xA5",
            "0x08000000",
            "0x08030004",
            "-offset",
            "-0x08000000",
            "-o",
            "sc_b.bin",
            "-binary",
        ],
    )
    .ok();
    drop(sc);
    let want = read(&d.join("sc_b.bin"));
    assert_eq!(want.len(), 0x30004);
    for inputs in [MERGE_B, MERGE_B_OBJCOPY] {
        let ours = merged(d, "b.bin", &with(&["--fill", "0xA5"], inputs));
        assert!(ours == want, "merge_b binary differs from srec_cat's");
    }
    // ...which is also SPSDK's (spsdk_merge_b.bin in the shared reference).
    let yaml = dir_with(&["merge_b.yaml", "appB1.s19", "appB2.hex", "appB3.elf"]);
    let ours = merged(yaml.path(), "b.bin", &["-c", "merge_b.yaml"]);
    assert!(ours == want, "merge_b.yaml binary differs from srec_cat's");
}

#[test]
fn srec_cat_single_file_conversions() {
    let dir = setup();
    let d = dir.path();
    // srec_cat ramp100.bin -binary -offset 0x1003 -o srec_cat_ramp_1003.hex -Intel
    same(
        &merged(d, "r.hex", &["ramp100.bin@0x1003"]),
        "srec_cat_ramp_1003.hex",
    );
    // srec_cat ramp100.bin -binary -offset 0x1003 -o srec_cat_ramp_1003.s19
    same(
        &merged(d, "r.s19", &["ramp100.bin@0x1003"]),
        "srec_cat_ramp_1003.s19",
    );
    // … -offset 0x1FFF8 -o srec_cat_ramp_1fff8.hex -Intel -obs=16 -execution-start-address=0x0001FFF9
    same(
        &merged(
            d,
            "r2.hex",
            &[
                "--record-size",
                "16",
                "--entry",
                "0x1FFF9",
                "ramp100.bin@0x1FFF8",
            ],
        ),
        "srec_cat_ramp_1fff8.hex",
    );
    // … -offset 0xFFF8 -o srec_cat_ramp_fff8.s19 -execution-start-address=0x10
    same(
        &merged(d, "r3.s19", &["--entry", "0x10", "ramp100.bin@0xFFF8"]),
        "srec_cat_ramp_fff8.s19",
    );
    // … -offset 0xFFF8 -o srec_cat_ramp_fff8_al3.s19 -address-length=3 -obs=16
    same(
        &merged(
            d,
            "r4.s19",
            &[
                "--address-length",
                "3",
                "--record-size",
                "16",
                "ramp100.bin@0xFFF8",
            ],
        ),
        "srec_cat_ramp_fff8_al3.s19",
    );
    // … -offset 0x6F0 -o srec_cat_ramp_6f0.{s19,hex}: records cut at srec_cat's 1792-byte
    // chunk boundary (0x700).
    same(
        &merged(d, "r5.s19", &["ramp100.bin@0x6F0"]),
        "srec_cat_ramp_6f0.s19",
    );
    same(
        &merged(d, "r5.hex", &["ramp100.bin@0x6F0"]),
        "srec_cat_ramp_6f0.hex",
    );
    // Converting srec_cat's own outputs back gives them unchanged.
    for v in ["srec_cat_merge_b.hex", "srec_cat_ramp_1003.hex"] {
        let d2 = dir_with(&[v]);
        same(&merged(d2.path(), "x.hex", &[v]), v);
    }
    let d2 = dir_with(&["srec_cat_merge_b.s19"]);
    same(
        &merged(d2.path(), "x.s19", &["srec_cat_merge_b.s19"]),
        "srec_cat_merge_b.s19",
    );
}

/// `imgmerge -c CONFIG ARGS -o OUT` in a directory with the config and the inputs.
#[track_caller]
fn config(cfg: &str, out: &str, args: &[&str]) -> Vec<u8> {
    let dir = dir_with(&[cfg]);
    for i in INPUTS {
        std::fs::copy(merge_vector(i), dir.path().join(i)).unwrap();
    }
    let mut all = vec!["-c", cfg];
    all.extend_from_slice(args);
    merged(dir.path(), out, &all)
}

const COMPAT: &[&str] = &["--spsdk-compat"];
const COMPAT_P: &[&str] = &["--spsdk-compat", "-p"];

#[test]
fn spsdk_merge_a_yaml() {
    for f in ["bin", "hex", "s19"] {
        same(
            &config("merge_a.yaml", &format!("o.{f}"), COMPAT),
            &format!("spsdk_merge_a.{f}"),
        );
        same(
            &config("merge_a.yaml", &format!("o.{f}"), COMPAT_P),
            &format!("spsdk_merge_a_keep_padding.{f}"),
        );
        // Ours: HEX/S19 keep the real addresses, with or without -p.
        let golden = if f == "bin" {
            "spsdk_merge_a.bin"
        } else {
            &*format!("spsdk_merge_a_keep_padding.{f}")
        };
        same(&config("merge_a.yaml", &format!("o.{f}"), &[]), golden);
    }
    same(
        &config("merge_a.yaml", "o.bin", &["-p"]),
        "spsdk_merge_a_keep_padding.bin",
    );
    // --format wins over the extension, as SPSDK's -f.
    same(
        &config("merge_a.yaml", "o.out", &["--spsdk-compat", "-f", "S19"]),
        "spsdk_merge_a.s19",
    );
}

#[test]
fn spsdk_merge_b_yaml() {
    for f in ["hex", "s19"] {
        same(
            &config("merge_b.yaml", &format!("o.{f}"), COMPAT),
            &format!("spsdk_merge_b.{f}"),
        );
        same(
            &config("merge_b.yaml", &format!("o.{f}"), COMPAT_P),
            &format!("spsdk_merge_b_keep_padding.{f}"),
        );
    }
    // Ours: real addresses plus appB1's entry point.
    let hex = String::from_utf8(config("merge_b.yaml", "o.hex", &[])).unwrap();
    let golden = String::from_utf8(read_vector("spsdk_merge_b_keep_padding.hex")).unwrap();
    assert_eq!(
        hex,
        golden.replace(":00000001FF", ":0400000508000101ED\n:00000001FF")
    );
    let s19 = String::from_utf8(config("merge_b.yaml", "o.s19", &[])).unwrap();
    let golden = String::from_utf8(read_vector("spsdk_merge_b_keep_padding.s19")).unwrap();
    assert_eq!(s19, format!("{golden}S70508000101F0\n"));
    // The srec_cat style on request: the same lines as srec_cat_merge_b.hex.
    same(
        &config("merge_b.yaml", "o.hex", &["--style", "srec-cat"]),
        "srec_cat_merge_b.hex",
    );
}

#[test]
fn spsdk_align_size_and_overlap_yaml() {
    for mode in [&[][..], COMPAT] {
        same(
            &config("merge_align.yaml", "o.bin", mode),
            "spsdk_merge_align.bin",
        );
        same(
            &config("merge_size.yaml", "o.bin", mode),
            "spsdk_merge_size.bin",
        );
        same(
            &config("merge_size.yaml", "o.hex", mode),
            "spsdk_merge_size.hex",
        );
    }
    let dir = dir_with(&["merge_overlap.yaml", "app1.s19", "app3.bin"]);
    let r = imgmerge_in(dir.path(), &["-c", "merge_overlap.yaml", "-o", "x.bin"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "imgmerge: regions[0] (app1.s19) at 0x1000..0x1014 overlaps regions[1] (app3.bin) at \
         0x1010..0x1014\n"
    );
    assert!(!dir.path().join("x.bin").exists());
}

#[test]
fn spsdk_quirk_vectors() {
    // Pattern carry-over and file-relative phase: SPSDK's bytes with --spsdk-compat.
    same(
        &config("spsdk_carry.yaml", "o.bin", COMPAT),
        "spsdk_carry.bin",
    );
    let ours = config("spsdk_carry.yaml", "o.bin", &[]);
    let mut want = read_vector("spsdk_carry.bin");
    want[0x30..0x110].fill(0xA5);
    assert_eq!(ours, want, "ours fills appB1's gap with the image pattern");

    same(&config("spsdk_inc.yaml", "o.bin", COMPAT), "spsdk_inc.bin");
    let ours = config("spsdk_inc.yaml", "o.bin", &[]);
    let spsdk = read_vector("spsdk_inc.bin");
    let differ: Vec<usize> = (0..ours.len()).filter(|&i| ours[i] != spsdk[i]).collect();
    assert_eq!(
        differ,
        (0x2D..0x10D).collect::<Vec<_>>(),
        "only appB1's gap differs"
    );
    assert!((0x2D..0x10D).all(|i| ours[i] == i as u8));

    same(
        &config("spsdk_offsets.yaml", "o.bin", COMPAT),
        "spsdk_offsets.bin",
    );
    same(
        &config("spsdk_offsets.yaml", "o.bin", &[]),
        "spsdk_offsets.bin",
    );
    same(
        &config("spsdk_offsets.yaml", "o.hex", COMPAT),
        "spsdk_offsets.hex",
    );
    same(
        &config("spsdk_offsets.yaml", "o.s19", COMPAT_P),
        "spsdk_offsets_keep_padding.s19",
    );
    let s19 = String::from_utf8(config("spsdk_offsets.yaml", "o.s19", &[])).unwrap();
    let golden = String::from_utf8(read_vector("spsdk_offsets_keep_padding.s19")).unwrap();
    assert_eq!(
        s19,
        format!("{golden}S70501000101F7\n"),
        "appB1's entry, moved"
    );

    same(
        &config("spsdk_zero_block.yaml", "o.bin", &[]),
        "spsdk_zero_block.bin",
    );
}

#[test]
fn spsdk_template_parses_and_its_example_regions_overlap() {
    // get-template's example puts a file and a block at offset 1024 in one region item.
    let dir = dir_with(&["binary_image_template.yaml"]);
    let r = imgmerge_in(
        dir.path(),
        &["-c", "binary_image_template.yaml", "-o", "x.bin"],
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("'my_binary_to_merge.bin' not found"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("my_binary_to_merge.bin"), [1u8; 16]).unwrap();
    let r = imgmerge_in(
        dir.path(),
        &["-c", "binary_image_template.yaml", "-o", "x.bin"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "imgmerge: regions[0] (My super binary image) at 0x400..0x410 overlaps regions[0] (My \
         super binary block) at 0x400..0x600\n"
    );
}
