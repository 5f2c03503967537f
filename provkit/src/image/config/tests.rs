//! The configuration rules, checked against SPSDK 3.12 outputs in `tests/vectors/merge/`
//! (configurations written as JSON here, which SPSDK accepts as well; the YAML files are
//! checked through the `imgmerge` binary in `tests/imgmerge_vectors.rs`).

use super::*;
use crate::image::{IhexOptions, SrecOptions, write_ihex, write_srec};

macro_rules! vector {
    ($name:literal) => {
        include_bytes!(concat!("../../../../tests/vectors/merge/", $name)).as_slice()
    };
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

fn config(json: &str) -> BinaryImageConfig {
    serde_json::from_str(json).unwrap()
}

fn no_random(_: &mut [u8]) {
    panic!("no random bytes expected");
}

/// Lays out `json` with the vector files it names.
fn layout(json: &str, options: BuildOptions) -> Result<Layout, ConfigError> {
    let cfg = config(json);
    let contents: Vec<&[u8]> = cfg.files().into_iter().map(file).collect();
    cfg.build(&contents, options)
}

fn file(name: &str) -> &'static [u8] {
    match name {
        "app1.bin" => vector!("app1.bin"),
        "app1.s19" => vector!("app1.s19"),
        "app2.hex" => vector!("app2.hex"),
        "app3.bin" => vector!("app3.bin"),
        "appB1.s19" => vector!("appB1.s19"),
        "appB2.hex" => vector!("appB2.hex"),
        "appB3.elf" => vector!("appB3.elf"),
        other => panic!("no vector {other}"),
    }
}

const COMPAT: BuildOptions = BuildOptions {
    keep_padding: false,
    spsdk_compat: true,
};
const COMPAT_P: BuildOptions = BuildOptions {
    keep_padding: true,
    spsdk_compat: true,
};
const OURS: BuildOptions = BuildOptions {
    keep_padding: false,
    spsdk_compat: false,
};
const OURS_P: BuildOptions = BuildOptions {
    keep_padding: true,
    spsdk_compat: false,
};

fn hex(l: &Layout) -> String {
    write_ihex(&l.to_image(&mut no_random).unwrap(), &IhexOptions::spsdk()).unwrap()
}

fn s19(l: &Layout) -> String {
    write_srec(&l.to_image(&mut no_random).unwrap(), &SrecOptions::spsdk()).unwrap()
}

fn bin(l: &Layout) -> Vec<u8> {
    l.to_bin(&mut no_random).unwrap()
}

const MERGE_A: &str = r#"{"name": "merge_a", "pattern": "ones", "regions": [
    {"binary_file": {"name": "app1", "path": "app1.s19", "offset": 0}},
    {"binary_file": {"name": "app2", "path": "app2.hex", "offset": 0}},
    {"binary_file": {"name": "app3", "path": "app3.bin", "offset": "0x1040"}}]}"#;

const MERGE_B: &str = r#"{"name": "merge_b", "pattern": "0xA5", "regions": [
    {"binary_file": {"name": "appB1", "path": "appB1.s19", "offset": 0}},
    {"binary_file": {"name": "appB2", "path": "appB2.hex", "offset": 0}},
    {"binary_file": {"name": "appB3", "path": "appB3.elf", "offset": 0}},
    {"binary_block": {"name": "marker", "size": 4, "offset": 134414336, "pattern": 305419896}}]}"#;

#[test]
fn numbers_like_spsdk_value_to_int() {
    for (t, v) in [
        ("0x1000", 0x1000),
        ("0X1000", 0x1000),
        ("4096", 4096),
        ("0b101", 5),
        ("0o17", 15),
        ("1_000", 1000),
        ("0x1_0000", 0x1_0000),
        ("16u", 16),
        ("0x10ul", 16),
        (" 7 ", 7),
        ("-0x10", -16),
        ("+3", 3),
        ("0", 0),
        ("00", 0),
        ("07", 7),
        ("08", 8),
        ("019", 19),
    ] {
        assert_eq!(parse_config_int(t), Ok(v), "{t}");
    }
    for t in ["", "0x", "abc", "1e3", "0x1G", "1:20", "16uuuu", "--1"] {
        assert!(parse_config_int(t).is_err(), "{t}");
    }
    let e = parse_config_int("010").unwrap_err();
    assert!(e.contains("ambiguous") && e.contains("0o10"), "{e}");
}

#[test]
fn patterns_like_spsdk_binary_pattern() {
    let p = |t: &str| Pattern::parse(t).unwrap();
    assert_eq!(p("zeros"), Pattern::Zeros);
    assert_eq!(p("ones"), Pattern::Ones);
    assert_eq!(p("inc"), Pattern::Inc);
    assert_eq!(p("rand"), Pattern::Rand);
    assert_eq!(p("0xA5"), Pattern::Bytes(vec![0xA5]));
    assert_eq!(p("0x00FF"), Pattern::Bytes(vec![0xFF]));
    assert_eq!(p("0x0"), Pattern::Bytes(vec![0]));
    assert_eq!(p("0x123"), Pattern::Bytes(vec![0x01, 0x23]));
    assert_eq!(
        p("0x112233445566778899aabbccddeeff0011"),
        Pattern::Bytes(vec![
            0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE,
            0xFF, 0x00, 0x11
        ])
    );
    assert_eq!(p("258"), Pattern::Bytes(vec![1, 2]));
    assert_eq!(Pattern::from_int(0), Ok(Pattern::Bytes(vec![0])));
    assert!(Pattern::parse("Ones").is_err());
    assert!(Pattern::parse("face").is_err());
    assert!(Pattern::from_int(-1).is_err());
    assert_eq!(p("0x12345678").to_string(), "0x12345678");

    let mut out = [0u8; 7];
    p("0x010203").fill(&mut out, &mut no_random);
    assert_eq!(out, [1, 2, 3, 1, 2, 3, 1]);
    Pattern::Inc.fill(&mut out, &mut no_random);
    assert_eq!(out, [0, 1, 2, 3, 4, 5, 6]);
    Pattern::Rand.fill(&mut out, &mut |b: &mut [u8]| b.fill(9));
    assert_eq!(out, [9; 7]);
}

#[test]
fn unknown_keys_and_types_are_refused() {
    for json in [
        r#"{"name": "x", "regions": [], "sise": 1}"#,
        r#"{"regions": [{"binary_file": {"path": "a", "ofset": 1}}]}"#,
        r#"{"regions": [{"binary_blok": {}}]}"#,
        r#"{"regions": [{"binary_block": {"size": 1}}]}"#,
        r#"{"size": 1.5}"#,
        r#"{"size": true}"#,
        r#"{"pattern": "twos"}"#,
        r#"{"alignment": "010"}"#,
    ] {
        assert!(
            serde_json::from_str::<BinaryImageConfig>(json).is_err(),
            "{json}"
        );
    }
}

#[test]
fn merge_a_gives_spsdk_bytes() {
    let l = layout(MERGE_A, COMPAT).unwrap();
    assert_eq!((l.origin(), l.len(), l.name()), (0x1000, 0x44, "merge_a"));
    assert_eq!(bin(&l), vector!("spsdk_merge_a.bin"));
    assert_eq!(hex(&l), text(vector!("spsdk_merge_a.hex")));
    assert_eq!(s19(&l), text(vector!("spsdk_merge_a.s19")));
    let p = layout(MERGE_A, COMPAT_P).unwrap();
    assert_eq!(bin(&p), vector!("spsdk_merge_a_keep_padding.bin"));
    assert_eq!(hex(&p), text(vector!("spsdk_merge_a_keep_padding.hex")));
    assert_eq!(s19(&p), text(vector!("spsdk_merge_a_keep_padding.s19")));
    // Ours: the same binaries; HEX/S19 keep the real addresses with or without -p.
    for o in [OURS, OURS_P] {
        let l = layout(MERGE_A, o).unwrap();
        assert_eq!(hex(&l), text(vector!("spsdk_merge_a_keep_padding.hex")));
        assert_eq!(s19(&l), text(vector!("spsdk_merge_a_keep_padding.s19")));
    }
    assert_eq!(
        bin(&layout(MERGE_A, OURS).unwrap()),
        vector!("spsdk_merge_a.bin")
    );
    assert_eq!(
        bin(&layout(MERGE_A, OURS_P).unwrap()),
        vector!("spsdk_merge_a_keep_padding.bin")
    );
}

#[test]
fn merge_b_gives_spsdk_bytes_and_keeps_the_entry_unless_compat() {
    let l = layout(MERGE_B, COMPAT).unwrap();
    assert_eq!(hex(&l), text(vector!("spsdk_merge_b.hex")));
    assert_eq!(s19(&l), text(vector!("spsdk_merge_b.s19")));
    let p = layout(MERGE_B, COMPAT_P).unwrap();
    assert_eq!(hex(&p), text(vector!("spsdk_merge_b_keep_padding.hex")));
    assert_eq!(s19(&p), text(vector!("spsdk_merge_b_keep_padding.s19")));
    // The binary is 0x30004 bytes of 0xA5 with the data in it (== srec_cat's, see
    // ../tests.rs).
    let b = bin(&l);
    assert_eq!(b.len(), 0x30004);
    assert_eq!(&b[0x20..0x100], &[0xA5; 0xE0][..]);
    assert_eq!(&b[0x30000..], &[0x12, 0x34, 0x56, 0x78]);

    // Ours: the first file's entry point (appB1's S7) is kept.
    let ours = layout(MERGE_B, OURS).unwrap();
    assert_eq!(ours.entry(), Some(0x0800_0101));
    let golden = text(vector!("spsdk_merge_b_keep_padding.hex"));
    let expected = golden.replace(":00000001FF", ":0400000508000101ED\n:00000001FF");
    assert_eq!(hex(&ours).trim_end(), expected.trim_end());
    assert_eq!(bin(&ours), b);
}

#[test]
fn align_and_size_give_spsdk_bytes() {
    let align = r#"{"name": "merge_align", "alignment": 16, "pattern": 0, "regions": [
        {"binary_file": {"path": "app1.bin", "offset": 0}},
        {"binary_file": {"path": "app3.bin"}}]}"#;
    let l = layout(align, COMPAT).unwrap();
    assert_eq!(bin(&l), vector!("spsdk_merge_align.bin"));
    let size = r#"{"name": "merge_size", "size": "0x30", "pattern": "ones", "regions": [
        {"binary_file": {"path": "app1.bin", "offset": 0}},
        {"binary_file": {"path": "app3.bin", "offset": 32}}]}"#;
    let l = layout(size, COMPAT).unwrap();
    assert_eq!(bin(&l), vector!("spsdk_merge_size.bin"));
    assert_eq!(hex(&l), text(vector!("spsdk_merge_size.hex")));
    // size is rounded up to the alignment.
    let l = layout(
        &size.replace("\"ones\"", "\"ones\", \"alignment\": 32"),
        COMPAT,
    )
    .unwrap();
    assert_eq!(l.len(), 0x40);
    // With size, a region without offset goes to `size` and does not fit.
    let e = layout(&align.replace("\"alignment\": 16", "\"size\": 64"), COMPAT).unwrap_err();
    assert_eq!(
        e.to_string(),
        "regions[1] (app3.bin) at 0x40..0x44 does not fit in the image: 0x40 bytes from 0x0"
    );
}

#[test]
fn overlap_names_both_regions() {
    let json = r#"{"name": "merge_overlap", "pattern": "ones", "regions": [
        {"binary_file": {"path": "app1.s19", "offset": 0}},
        {"binary_file": {"path": "app3.bin", "offset": 4112}}]}"#;
    let e = layout(json, OURS).unwrap_err();
    assert_eq!(
        e.to_string(),
        "regions[0] (app1.s19) at 0x1000..0x1014 overlaps regions[1] (app3.bin) at \
         0x1010..0x1014"
    );
    // A region inside the gap of a multi-segment file: an overlap for SPSDK too.
    let json = r#"{"regions": [
        {"binary_file": {"path": "appB1.s19", "offset": 0}},
        {"binary_file": {"path": "app3.bin", "offset": "0x08000080"}}]}"#;
    let e = layout(json, OURS).unwrap_err();
    assert!(
        e.to_string().ends_with(
            "(their data does not, but a file region spans from its first to its last byte)"
        ),
        "{e}"
    );
}

#[test]
fn offsets_add_to_file_addresses_and_default_to_the_aligned_length() {
    let json = r#"{"name": "offsets", "alignment": 16, "pattern": "ones", "regions": [
        {"binary_file": {"path": "appB1.s19", "offset": "-0x07000000"}},
        {"binary_file": {"path": "app2.hex"}},
        {"binary_block": {"size": "0x8", "pattern": "inc"}},
        {"binary_file": {"name": "tail", "path": "app3.bin", "offset": "0x1001_150"}}]}"#;
    let l = layout(json, COMPAT).unwrap();
    let starts: Vec<i128> = l.regions().map(|r| r.start).collect();
    assert_eq!(starts, [0x0100_0000, 0x0100_1130, 0x0100_1140, 0x0100_1150]);
    assert_eq!(bin(&l), vector!("spsdk_offsets.bin"));
    assert_eq!(hex(&l), text(vector!("spsdk_offsets.hex")));
    let p = layout(json, COMPAT_P).unwrap();
    assert_eq!(s19(&p), text(vector!("spsdk_offsets_keep_padding.s19")));
    // Ours keeps the real addresses: the same as SPSDK's -p, and appB1's entry (moved).
    let ours = layout(json, OURS).unwrap();
    assert_eq!(ours.entry(), Some(0x0100_0101));
    let golden = text(vector!("spsdk_offsets_keep_padding.s19"));
    assert_eq!(s19(&ours), format!("{golden}S70501000101F7\n"));
}

#[test]
fn pattern_carry_over_and_phase_only_in_compat_mode() {
    let carry = r#"{"name": "carry", "pattern": "0xA5", "regions": [
        {"binary_block": {"size": 4, "offset": "0x07FFFFF0", "pattern": "0x11223344"}},
        {"binary_file": {"path": "appB1.s19", "offset": 0}}]}"#;
    let spsdk = bin(&layout(carry, COMPAT).unwrap());
    assert_eq!(spsdk, vector!("spsdk_carry.bin"));
    assert_eq!(&spsdk[0x30..0x34], &[0x11, 0x22, 0x33, 0x44]);
    let ours = bin(&layout(carry, OURS).unwrap());
    let mut expected = spsdk.clone();
    expected[0x30..0x110].fill(0xA5);
    assert_eq!(ours, expected);

    let inc = r#"{"name": "inc", "pattern": "inc", "regions": [
        {"binary_file": {"path": "app3.bin", "offset": "0x07FFFFF3"}},
        {"binary_file": {"path": "appB1.s19", "offset": 0}}]}"#;
    let spsdk = bin(&layout(inc, COMPAT).unwrap());
    assert_eq!(spsdk, vector!("spsdk_inc.bin"));
    assert_eq!(
        spsdk[0x2D], 0x20,
        "SPSDK restarts inc at the file's first byte"
    );
    let ours = bin(&layout(inc, OURS).unwrap());
    assert_eq!(ours[0x2D], 0x2D, "ours continues the image's phase");
    assert_eq!(ours.len(), spsdk.len());
}

#[test]
fn zero_size_block_extends_the_binary() {
    let json = r#"{"name": "zero", "pattern": 258, "regions": [
        {"binary_file": {"path": "app3.bin", "offset": 16}},
        {"binary_block": {"size": 0, "offset": 32, "pattern": "ones"}}]}"#;
    let l = layout(json, COMPAT).unwrap();
    assert_eq!(bin(&l), vector!("spsdk_zero_block.bin"));
    assert_eq!(hex(&l), ":04000000DEADBEEFC4\n:00000001FF\n");
}

#[test]
fn keep_padding_refuses_negative_addresses_and_ours_refuses_them_in_hex() {
    let json = r#"{"regions": [{"binary_file": {"path": "app3.bin", "offset": -16}},
                               {"binary_file": {"path": "app1.bin", "offset": 0}}]}"#;
    // SPSDK's default rebases: fine for a binary and for compat HEX.
    let l = layout(json, COMPAT).unwrap();
    assert_eq!((l.origin(), l.len()), (-16, 36));
    assert_eq!(&bin(&l)[..6], &[0xDE, 0xAD, 0xBE, 0xEF, 0, 0]);
    assert!(hex(&l).starts_with(":04000000DEADBEEF"));
    // Ours writes real addresses, and -16 is not one.
    let ours = layout(json, OURS).unwrap();
    assert_eq!(
        ours.to_image(&mut no_random).unwrap_err().to_string(),
        "regions[0] (app3.bin) starts at -0x10, below address 0"
    );
    assert_eq!(bin(&ours), bin(&l));
    let e = layout(json, OURS_P).unwrap_err();
    assert_eq!(
        e.to_string(),
        "regions[0] (app3.bin) starts at -0x10, below address 0 (the layout starts at 0 with \
         --keep-padding)"
    );
}

#[test]
fn no_regions_gives_size_pattern_bytes() {
    let l = layout(r#"{"size": 4, "pattern": "inc"}"#, COMPAT).unwrap();
    assert_eq!(bin(&l), [0, 1, 2, 3]);
    assert_eq!(hex(&l), ":0400000000010203F6\n:00000001FF\n");
    assert!(matches!(
        layout(r#"{"name": "x", "regions": []}"#, OURS),
        Err(ConfigError::NoData)
    ));
}

#[test]
fn rand_takes_its_bytes_from_the_caller() {
    let json = r#"{"pattern": "rand", "regions": [
        {"binary_file": {"path": "app3.bin", "offset": 0}},
        {"binary_block": {"size": 2, "offset": 6, "pattern": "rand"}}]}"#;
    let l = layout(json, OURS).unwrap();
    let mut calls = 0;
    let b = l
        .to_bin(&mut |out: &mut [u8]| {
            calls += 1;
            out.fill(0x77);
        })
        .unwrap();
    assert_eq!(b, [0xDE, 0xAD, 0xBE, 0xEF, 0x77, 0x77, 0x77, 0x77]);
    assert_eq!(calls, 2);
}

#[test]
fn both_kinds_in_one_region_and_errors() {
    let json = r#"{"regions": [{"binary_file": {"path": "app3.bin", "offset": 0},
                                "binary_block": {"size": 2, "pattern": "ones"}}]}"#;
    let l = layout(json, OURS).unwrap();
    assert_eq!(bin(&l), [0xDE, 0xAD, 0xBE, 0xEF, 0xFF, 0xFF]);
    let names: Vec<String> = l.regions().map(|r| r.name).collect();
    assert_eq!(names, ["app3.bin", "Binary block(#0)"]);

    let e = layout(r#"{"regions": [{}]}"#, OURS).unwrap_err();
    assert_eq!(
        e.to_string(),
        "regions[0]: needs a binary_file or a binary_block"
    );
    let cfg = config(r#"{"regions": [{"binary_file": {"path": "a.hex"}}]}"#);
    let none: [&[u8]; 0] = [];
    assert!(matches!(
        cfg.build(&none, OURS),
        Err(ConfigError::MissingContent { .. })
    ));
    let e = cfg
        .build(&[b":0100000000FF\n:0100000100FF\n"], OURS)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "regions[0] (a.hex): a.hex: Intel HEX line 2: bad checksum 0xFF (expected 0xFE)"
    );
    assert!(matches!(
        cfg.build(&[b"\x3a\xff\x26\xed...."], OURS),
        Err(ConfigError::Sparse { .. })
    ));
    let elf = crate::image::elf::tests::build_elf(false, false, 0, &[]);
    assert!(matches!(
        cfg.build(&[elf], OURS),
        Err(ConfigError::Load {
            source: ImageError::Empty { .. },
            ..
        })
    ));
    for (json, field) in [
        (
            r#"{"regions": [{"binary_file": {"path": "app3.bin", "offset": "0x20000000000000000"}}]}"#,
            "regions[0].binary_file.offset",
        ),
        (
            r#"{"regions": [{"binary_block": {"size": 1, "pattern": 0, "offset": "-0x20000000000000000"}}]}"#,
            "regions[0].binary_block.offset",
        ),
        (r#"{"alignment": 0, "regions": []}"#, "alignment"),
        (r#"{"size": -1, "regions": []}"#, "size"),
        (
            r#"{"regions": [{"binary_block": {"size": -1, "pattern": 0}}]}"#,
            "regions[0].binary_block.size",
        ),
    ] {
        match layout(json, OURS) {
            Err(ConfigError::Field { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{json}: {other:?}"),
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const FILES: [&str; 5] = ["app1.bin", "app1.s19", "app2.hex", "appB1.s19", "appB3.elf"];

    fn arb_offset() -> impl Strategy<Value = Option<i128>> {
        prop_oneof![
            Just(None),
            (0i128..0x3000).prop_map(Some),
            (-0x0800_0000i128..0x1000).prop_map(Some),
            any::<i64>().prop_map(|v| Some(i128::from(v))),
        ]
    }

    fn arb_pattern() -> impl Strategy<Value = Pattern> {
        prop_oneof![
            Just(Pattern::Zeros),
            Just(Pattern::Ones),
            Just(Pattern::Inc),
            Just(Pattern::Rand),
            prop::collection::vec(any::<u8>(), 1..5).prop_map(Pattern::Bytes),
        ]
    }

    fn arb_region() -> impl Strategy<Value = Region> {
        (
            any::<bool>(),
            0..FILES.len(),
            arb_offset(),
            0i128..64,
            arb_pattern(),
        )
            .prop_map(|(is_file, f, offset, size, pattern)| {
                if is_file {
                    Region {
                        binary_file: Some(FileRegion {
                            name: None,
                            path: FILES[f].into(),
                            offset: offset.map(ConfigInt),
                        }),
                        binary_block: None,
                    }
                } else {
                    Region {
                        binary_file: None,
                        binary_block: Some(BlockRegion {
                            name: None,
                            size: ConfigInt(size),
                            offset: offset.map(ConfigInt),
                            pattern,
                        }),
                    }
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any layout either fails with an error or places every file's bytes where the rules
        /// say, in the binary and in the sparse image; nothing panics.
        #[test]
        fn layouts_are_consistent_or_refused(
            regions in prop::collection::vec(arb_region(), 0..5),
            size in prop::option::of(0i128..0x200),
            alignment in 1i128..40,
            pattern in arb_pattern(),
            keep_padding in any::<bool>(),
            spsdk_compat in any::<bool>(),
        ) {
            let cfg = BinaryImageConfig {
                name: None,
                size: size.map(ConfigInt),
                pattern: Some(pattern),
                alignment: Some(ConfigInt(alignment)),
                regions: Some(regions),
            };
            let contents: Vec<&[u8]> = cfg.files().into_iter().map(file).collect();
            let options = BuildOptions { keep_padding, spsdk_compat };
            let Ok(l) = cfg.build(&contents, options) else { return Ok(()); };
            prop_assert!(!l.is_empty() || l.regions().any(|r| r.len > 0));
            let mut random = |b: &mut [u8]| b.fill(0x3C);
            let image = l.to_image(&mut random);
            if l.len() > 1 << 20 {
                return Ok(());
            }
            let bin = l.to_bin(&mut random).unwrap();
            prop_assert_eq!(bin.len() as u64, l.len());
            for (r, bytes) in l.regions().filter(|r| r.is_file).zip(&contents) {
                let f = load("f", bytes, Some(0)).unwrap();
                let first = i128::from(f.start().unwrap());
                for s in f.segments() {
                    let at = usize::try_from(r.start - l.origin() + i128::from(s.address) - first).unwrap();
                    prop_assert_eq!(&bin[at..at + s.data.len()], &s.data[..]);
                }
            }
            // The sparse image holds exactly the files' data and the blocks.
            match image {
                Ok(img) => {
                    let total: u64 = l.regions().map(|r| if r.is_file { 0 } else { r.len }).sum::<u64>()
                        + contents.iter().map(|c| load("f", c, Some(0)).unwrap().total_len()).sum::<u64>();
                    if l.regions().next().is_some() {
                        prop_assert_eq!(img.total_len(), total);
                    }
                }
                Err(e) => prop_assert!(matches!(e, ConfigError::NegativeStart { rebased: true, .. }), "{e}"),
            }
        }
    }
}
