//! Image model tests, golden files made by `srec_cat` and SPSDK, and property tests.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::elf::tests::{Ph, build_elf};
use super::*;

macro_rules! vector {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/vectors/merge/", $name)).as_slice()
    };
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

fn seg_list(img: &Image) -> Vec<(u64, Vec<u8>)> {
    img.segments()
        .iter()
        .map(|s| (s.address, s.data.clone()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The model.

#[test]
fn add_segment_coalesces_in_any_order() {
    let mut img = Image::new();
    img.add_segment(0x10, &[3, 4], "b").unwrap();
    img.add_segment(0x20, &[9], "c").unwrap();
    img.add_segment(0x0E, &[1, 2], "a").unwrap(); // joins the next one
    img.add_segment(0x12, &[5], "b").unwrap(); // joins the previous one
    img.add_segment(0x13, &[0; 13], "d").unwrap(); // fills the gap: everything joins
    img.add_segment(0x30, &[], "e").unwrap(); // empty: ignored
    assert_eq!(img.segments().len(), 1);
    assert_eq!(img.start(), Some(0x0E));
    assert_eq!(img.end(), Some(0x21));
    assert_eq!(img.total_len(), 0x13);
    let sources: Vec<_> = img
        .sources()
        .map(|(r, n)| (r.start, r.end, n.to_string()))
        .collect();
    assert_eq!(
        sources,
        vec![
            (0x0E, 0x10, "a".into()),
            (0x10, 0x13, "b".into()),
            (0x13, 0x20, "d".into()),
            (0x20, 0x21, "c".into())
        ]
    );
}

#[test]
fn overlap_names_both_sources_and_the_range() {
    let mut img = Image::new();
    img.add_segment(0x1000, &[0; 0x14], "app1.s19").unwrap();
    let before = img.clone();
    let e = img.add_segment(0x1010, &[0; 8], "app3.bin").unwrap_err();
    assert_eq!(
        e,
        ImageError::Overlap {
            existing: "app1.s19".into(),
            new: "app3.bin".into(),
            start: 0x1010,
            end: 0x1014
        }
    );
    assert_eq!(
        e.to_string(),
        "app3.bin overlaps app1.s19 at 0x1010..0x1014 (4 bytes)"
    );
    assert_eq!(img, before);
    // Starting before and covering the whole existing range.
    let e = img.add_segment(0x0FF0, &[0; 0x100], "x").unwrap_err();
    assert!(
        matches!(
            e,
            ImageError::Overlap {
                start: 0x1000,
                end: 0x1014,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn address_space_end() {
    let mut img = Image::new();
    img.add_segment(u64::MAX - 1, &[1], "a").unwrap();
    assert_eq!(img.end(), Some(u64::MAX));
    let e = img.add_segment(u64::MAX, &[1], "b").unwrap_err();
    assert!(matches!(e, ImageError::AddressOverflow { .. }), "{e:?}");
}

#[test]
fn merge_is_atomic_and_keeps_the_first_entry() {
    let mut a = Image::new();
    a.add_segment(0, &[1, 2], "a").unwrap();
    a.set_entry(Some(1));
    let mut b = Image::new();
    b.add_segment(2, &[3], "b").unwrap();
    b.add_segment(0x100, &[4], "b").unwrap();
    b.set_entry(Some(2));
    let mut c = Image::new();
    c.add_segment(0x80, &[5], "c").unwrap();
    c.add_segment(0x100, &[6], "c").unwrap();

    a.merge(&b).unwrap();
    assert_eq!(seg_list(&a), vec![(0, vec![1, 2, 3]), (0x100, vec![4])]);
    assert_eq!(a.entry(), Some(1));
    let before = a.clone();
    let e = a.merge(&c).unwrap_err();
    assert!(
        matches!(
            e,
            ImageError::Overlap {
                start: 0x100,
                end: 0x101,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(a, before);
    assert_eq!(a.segments().len(), 2);

    let mut empty = Image::new();
    empty.merge(&b).unwrap();
    assert_eq!(empty, b);
    assert_eq!(empty.sources().count(), 2);
}

#[test]
fn relocate_moves_data_and_entry() {
    let mut img = Image::new();
    img.add_segment(0x0800_0000, &[1], "a").unwrap();
    img.add_segment(0x0800_0100, &[2], "a").unwrap();
    img.set_entry(Some(0x0800_0101));
    img.relocate(0x0800_0000, 0).unwrap();
    assert_eq!(seg_list(&img), vec![(0, vec![1]), (0x100, vec![2])]);
    assert_eq!(img.entry(), Some(0x101));
    assert_eq!(img.sources().next().unwrap().0, 0..1);
    img.relocate(0, 0x10).unwrap();
    assert_eq!(img.start(), Some(0x10));
    let before = img.clone();
    assert!(matches!(
        img.relocate(0x11, 0),
        Err(ImageError::AddressOverflow { .. })
    ));
    assert!(img.relocate(0, u64::MAX - 0x100).is_err());
    assert_eq!(img, before);
}

#[test]
fn shift_by_a_signed_delta() {
    let mut img = Image::new();
    img.add_segment(0x1800_1000, &[1, 2], "s").unwrap();
    img.set_entry(Some(0x1800_1001));
    img.shift(-0x1000_0000, "x").unwrap();
    assert_eq!(seg_list(&img), vec![(0x0800_1000, vec![1, 2])]);
    assert_eq!(img.entry(), Some(0x0800_1001));
    let e = img.shift(-0x0900_0000, "s.hex").unwrap_err();
    assert_eq!(
        e.to_string(),
        "s.hex: moving or extending address 0x8001000 by -150994944 leaves the 64-bit address space"
    );
}

#[test]
fn gaps_and_fill_range() {
    let mut img = Image::new();
    img.add_segment(0x10, &[1; 4], "a").unwrap();
    img.add_segment(0x20, &[2; 4], "b").unwrap();
    assert_eq!(img.gaps(0, 0x30), vec![0..0x10, 0x14..0x20, 0x24..0x30]);
    assert_eq!(img.gaps(0x12, 0x22), vec![0x14..0x20]);
    assert_eq!(img.gaps(0x11, 0x13), vec![]);
    assert_eq!(img.gaps(0x30, 0x30), vec![]);
    assert_eq!(img.gaps(0x40, 0x50), vec![0x40..0x50]);
    let mut filled = img.clone();
    filled.fill_range(0xEE, 0x8, 0x26, "fill").unwrap();
    assert_eq!(filled.segments().len(), 1);
    assert_eq!(filled.start(), Some(0x8));
    assert_eq!(
        filled.to_bin(0).unwrap().1,
        img.to_bin_range(0xEE, 0x8, 0x26).unwrap()
    );
    let names: Vec<&str> = filled.sources().map(|(_, n)| n).collect();
    assert_eq!(names, ["fill", "a", "fill", "b", "fill"]);
    // Filling never overwrites data; data outside the range stays.
    let mut part = img.clone();
    part.fill_range(0, 0x12, 0x18, "f").unwrap();
    assert_eq!(seg_list(&part)[0], (0x10, vec![1, 1, 1, 1, 0, 0, 0, 0]));
    assert!(matches!(
        img.clone().fill_range(0, 0, u64::MAX, "f"),
        Err(ImageError::TooLarge { .. })
    ));
}

#[test]
fn srec_header_is_kept_and_merged_like_srec_cat() {
    let a = load("a.hex", vector!("app2.hex"), None).unwrap();
    let b = load("b.s19", vector!("appB1.s19"), None).unwrap();
    assert_eq!(a.header(), None);
    assert_eq!(b.header(), Some(&b"appB1"[..]));
    let mut m = a.clone();
    m.merge(&b).unwrap();
    assert_eq!(m.header(), Some(&b"appB1"[..]));
    let c = load("c.s19", vector!("appB3_objcopy.s19"), None).unwrap();
    m.merge(&c).unwrap();
    assert_eq!(m.header(), Some(&b"appB1"[..]), "the first header wins");
    let mut plain = m.clone();
    plain.set_header(None);
    assert_eq!(plain, m, "the header is not part of equality");
}

#[test]
fn flat_binaries() {
    let mut img = Image::new();
    assert_eq!(img.to_bin(0xFF).unwrap(), (0, vec![]));
    assert_eq!(img.span(), 0);
    img.add_segment(0x10, &[1, 2], "a").unwrap();
    img.add_segment(0x14, &[3], "b").unwrap();
    assert_eq!(img.span(), 5);
    assert_eq!(img.to_bin(0xEE).unwrap(), (0x10, vec![1, 2, 0xEE, 0xEE, 3]));
    assert_eq!(
        img.to_bin_range(0, 0x0E, 0x16).unwrap(),
        [0, 0, 1, 2, 0, 0, 3, 0]
    );
    assert!(matches!(
        img.to_bin_range(0, 0x11, 0x16),
        Err(ImageError::OutOfRange {
            data_start: 0x10,
            data_end: 0x15,
            ..
        })
    ));
    assert!(img.to_bin_range(0, 0x10, 0x14).is_err());
    let mut high = Image::new();
    high.add_segment(0, &[1], "a").unwrap();
    high.add_segment(u64::MAX - 1, &[1], "a").unwrap();
    assert!(matches!(
        high.to_bin_range(0, 0, u64::MAX),
        Err(ImageError::TooLarge { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Detection and `load`.

#[test]
fn detection_by_content_then_extension() {
    assert_eq!(Format::detect(b"\x7fELF\x01"), Some(Format::Elf));
    assert_eq!(
        Format::detect(b"\r\n  :00000001FF\r\n"),
        Some(Format::IntelHex)
    );
    assert_eq!(
        Format::detect(b"\xef\xbb\xbfS00300FC\n"),
        Some(Format::Srec)
    );
    assert_eq!(Format::detect(b":\x01\x02binary"), None);
    assert_eq!(Format::detect(b"S1 not hex"), None);
    assert_eq!(Format::detect(b""), None);
    assert_eq!(Format::from_extension("dir.v2/FW.S19"), Some(Format::Srec));
    assert_eq!(
        Format::from_extension(r"C:\x\a.Hex"),
        Some(Format::IntelHex)
    );
    assert_eq!(Format::from_extension("a.axf"), Some(Format::Elf));
    assert_eq!(Format::from_extension("a.bin"), Some(Format::Bin));
    assert_eq!(Format::from_extension("README"), None);
}

#[test]
fn load_dispatches() {
    // Content wins over the extension.
    let img = load("fw.bin", vector!("app2.hex"), None).unwrap();
    assert_eq!(img.start(), Some(0x1020));
    // A .hex file that is not HEX: a HEX error with the line number, not a binary.
    let e = load("fw.hex", b"\x00\x01garbage", Some(0)).unwrap_err();
    assert!(
        matches!(
            e,
            ImageError::Syntax {
                format: Format::IntelHex,
                line: 1,
                ..
            }
        ),
        "{e:?}"
    );
    let e = load("fw.elf", b"this is not an ELF file", Some(0)).unwrap_err();
    assert!(matches!(e, ImageError::Elf { offset: 0, .. }), "{e:?}");
    // Raw binary needs an address.
    let e = load("app3.bin", vector!("app3.bin"), None).unwrap_err();
    assert_eq!(
        e,
        ImageError::BinNeedsAddress {
            file: "app3.bin".into()
        }
    );
    assert!(e.to_string().contains("needs a load address"));
    let e = load("noext", vector!("app3.bin"), None).unwrap_err();
    assert!(matches!(e, ImageError::BinNeedsAddress { .. }));
    let img = load("app3.bin", vector!("app3.bin"), Some(0x1040)).unwrap();
    assert_eq!(seg_list(&img), vec![(0x1040, vec![0xDE, 0xAD, 0xBE, 0xEF])]);
    assert!(matches!(
        load("e.bin", b"", Some(0)),
        Err(ImageError::Empty { .. })
    ));
    // Addressed formats ignore the base.
    let img = load("app1.s19", vector!("app1.s19"), Some(0x5000)).unwrap();
    assert_eq!(img.start(), Some(0x1000));
    let img = load_as(Format::Bin, "app2.hex", vector!("app2.hex"), Some(0)).unwrap();
    assert_eq!(img.total_len(), vector!("app2.hex").len() as u64);
}

#[test]
fn error_messages_name_file_format_and_position() {
    let e = load("fw.hex", b":00000001FF\n:00000001FF\n", None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fw.hex: Intel HEX line 2: record after the end-of-file record of line 1"
    );
    let e = load("fw.s19", b"S1041000AA41\nS1041000AA40\n", None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fw.s19: S-record line 2: bad checksum 0x40 (expected 0x41)"
    );
    let e = load("fw.elf", &vector!("appB3.elf")[..0x1004], None).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("fw.elf: ELF offset 0x1000: truncated"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Inputs of vectors/merge.

#[test]
fn vector_inputs_load() {
    let app1 = load("app1.s19", vector!("app1.s19"), None).unwrap();
    assert_eq!(
        app1,
        load_bin("app1.bin", vector!("app1.bin"), 0x1000).unwrap()
    );
    let app2 = load("app2.hex", vector!("app2.hex"), None).unwrap();
    assert_eq!(
        app2,
        load_bin("app2.bin", vector!("app2.bin"), 0x1020).unwrap()
    );

    let b1 = load("appB1.s19", vector!("appB1.s19"), None).unwrap();
    assert_eq!(
        seg_list(&b1),
        vec![(0x0800_0000, vec![0x55; 32]), (0x0800_0100, vec![0x66; 16])]
    );
    assert_eq!(b1.entry(), Some(0x0800_0101));

    let b2 = load("appB2.hex", vector!("appB2.hex"), None).unwrap();
    assert_eq!(seg_list(&b2), vec![(0x0800_FFF8, (0x80..=0x8F).collect())]);

    let b3 = load("appB3.elf", vector!("appB3.elf"), None).unwrap();
    assert_eq!(seg_list(&b3), vec![(0x0802_0000, (0xC0..=0xC7).collect())]);
    assert_eq!(b3.entry(), Some(0x0802_0001));
    // objcopy's conversion (CR LF lines) holds the same data and entry.
    assert_eq!(
        b3,
        load("appB3_objcopy.s19", vector!("appB3_objcopy.s19"), None).unwrap()
    );
}

fn merge_a() -> Image {
    let mut img = load("app1.s19", vector!("app1.s19"), None).unwrap();
    img.merge(&load("app2.hex", vector!("app2.hex"), None).unwrap())
        .unwrap();
    img.merge(&load("app3.bin", vector!("app3.bin"), Some(0x1040)).unwrap())
        .unwrap();
    img
}

fn merge_b() -> Image {
    let mut img = load("appB1.s19", vector!("appB1.s19"), None).unwrap();
    img.merge(&load("appB2.hex", vector!("appB2.hex"), None).unwrap())
        .unwrap();
    img.merge(&load("appB3.elf", vector!("appB3.elf"), None).unwrap())
        .unwrap();
    img.add_segment(0x0803_0000, &[0x12, 0x34, 0x56, 0x78], "marker")
        .unwrap();
    img
}

#[test]
fn srec_cat_merge_a_byte_identical() {
    let img = merge_a();
    // srec_cat … -o srec_cat_merge_a.hex -Intel
    assert_eq!(
        write_ihex(&img, &IhexOptions::srec_cat()).unwrap(),
        text(vector!("srec_cat_merge_a.hex"))
    );
    // srec_cat … -o srec_cat_merge_a.s19 -Motorola -address-length=4 -data-only
    let data_only = SrecOptions {
        count_record: false,
        ..SrecOptions::spsdk()
    };
    assert_eq!(
        write_srec(&img, &data_only).unwrap(),
        text(vector!("srec_cat_merge_a.s19"))
    );
    // srec_cat '(' … ')' -fill 0xFF 0x1000 0x1044 -offset -0x1000 -o srec_cat_merge_a.bin -binary
    assert_eq!(
        img.to_bin(0xFF).unwrap(),
        (0x1000, vector!("srec_cat_merge_a.bin").to_vec())
    );
    // srec_cat '(' … ')' -fill 0xFF 0x0000 0x1044 -o srec_cat_merge_a_keep_padding.bin -binary
    assert_eq!(
        img.to_bin_range(0xFF, 0, 0x1044).unwrap(),
        vector!("srec_cat_merge_a_keep_padding.bin")
    );
    // And the outputs read back to the same image.
    assert_eq!(
        load("x.hex", vector!("srec_cat_merge_a.hex"), None).unwrap(),
        img
    );
    assert_eq!(
        load("x.s19", vector!("srec_cat_merge_a.s19"), None).unwrap(),
        img
    );
}

#[test]
fn srec_cat_merge_b_byte_identical() {
    let img = merge_b();
    assert_eq!(
        img.entry(),
        Some(0x0800_0101),
        "the first input's entry is kept"
    );
    // srec_cat $IN -o srec_cat_merge_b.hex -Intel -obs=32
    assert_eq!(
        write_ihex(&img, &IhexOptions::srec_cat()).unwrap(),
        text(vector!("srec_cat_merge_b.hex"))
    );
    // srec_cat $IN -o srec_cat_merge_b.s19 -Motorola -address-length=4 -obs=32: the S0 header
    // is the first input's ("appB1").
    let opts = SrecOptions::srec_cat()
        .with_address_width(AddressWidth::Always32)
        .with_header(Some(b"appB1"));
    assert_eq!(
        write_srec(&img, &opts).unwrap(),
        text(vector!("srec_cat_merge_b.s19"))
    );
    assert_eq!(
        load("x.hex", vector!("srec_cat_merge_b.hex"), None).unwrap(),
        img
    );
    assert_eq!(
        load("x.s19", vector!("srec_cat_merge_b.s19"), None).unwrap(),
        img
    );
}

#[test]
fn spsdk_merge_byte_identical() {
    // SPSDK drops entry points and, without --keep-padding, rebases to address 0.
    let mut a = merge_a();
    a.set_entry(None);
    let hex = IhexOptions::spsdk();
    let s19 = SrecOptions::spsdk();
    assert_eq!(
        write_ihex(&a, &hex).unwrap(),
        text(vector!("spsdk_merge_a_keep_padding.hex"))
    );
    assert_eq!(
        write_srec(&a, &s19).unwrap(),
        text(vector!("spsdk_merge_a_keep_padding.s19"))
    );
    a.relocate(a.start().unwrap(), 0).unwrap();
    assert_eq!(
        write_ihex(&a, &hex).unwrap(),
        text(vector!("spsdk_merge_a.hex"))
    );
    assert_eq!(
        write_srec(&a, &s19).unwrap(),
        text(vector!("spsdk_merge_a.s19"))
    );
    assert_eq!(a.to_bin(0xFF).unwrap().1, vector!("spsdk_merge_a.bin"));

    let mut b = merge_b();
    b.set_entry(None);
    assert_eq!(
        write_ihex(&b, &hex).unwrap(),
        text(vector!("spsdk_merge_b_keep_padding.hex"))
    );
    assert_eq!(
        write_srec(&b, &s19).unwrap(),
        text(vector!("spsdk_merge_b_keep_padding.s19"))
    );
    b.relocate(b.start().unwrap(), 0).unwrap();
    assert_eq!(
        write_ihex(&b, &hex).unwrap(),
        text(vector!("spsdk_merge_b.hex"))
    );
    assert_eq!(
        write_srec(&b, &s19).unwrap(),
        text(vector!("spsdk_merge_b.s19"))
    );
}

#[test]
fn merge_overlap_like_spsdk_merge_overlap_yaml() {
    let mut img = load("app1.s19", vector!("app1.s19"), None).unwrap();
    let app3 = load("app3.bin", vector!("app3.bin"), Some(0x1010)).unwrap();
    let e = img.merge(&app3).unwrap_err();
    assert_eq!(
        e.to_string(),
        "app3.bin overlaps app1.s19 at 0x1010..0x1014 (4 bytes)"
    );
}

/// `written` must equal `golden` byte for byte, and `golden` must read back as `image`.
fn check_golden(name: &str, golden: &[u8], image: &Image, written: Result<String, ImageError>) {
    assert_eq!(written.unwrap(), text(golden), "{name}");
    assert_eq!(
        &load(name, golden, None).unwrap(),
        image,
        "{name} read back"
    );
}

#[test]
fn srec_cat_ramp_vectors_byte_identical() {
    let ramp = vector!("ramp100.bin");
    let at = |address: u64, entry: Option<u64>| {
        let mut img = load_bin("ramp100.bin", ramp, address).unwrap();
        img.set_entry(entry);
        img
    };
    // srec_cat ramp100.bin -binary -offset 0x1003 -o srec_cat_ramp_1003.hex -Intel
    let img = at(0x1003, None);
    let out = write_ihex(&img, &IhexOptions::default());
    check_golden(
        "srec_cat_ramp_1003.hex",
        vector!("srec_cat_ramp_1003.hex"),
        &img,
        out,
    );
    // srec_cat ramp100.bin -binary -offset 0x1003 -o srec_cat_ramp_1003.s19
    let out = write_srec(&img, &SrecOptions::srec_cat());
    check_golden(
        "srec_cat_ramp_1003.s19",
        vector!("srec_cat_ramp_1003.s19"),
        &img,
        out,
    );
    // … -offset 0x1FFF8 -o srec_cat_ramp_1fff8.hex -Intel -obs=16
    //   -execution-start-address=0x0001FFF9 (records cross 64 KiB, type 05 entry)
    let img = at(0x1FFF8, Some(0x1FFF9));
    let out = write_ihex(&img, &IhexOptions::default().with_record_size(16));
    check_golden(
        "srec_cat_ramp_1fff8.hex",
        vector!("srec_cat_ramp_1fff8.hex"),
        &img,
        out,
    );
    // … -offset 0xFFF8 -o srec_cat_ramp_fff8.s19 -execution-start-address=0x10
    //   (S1 then S2 records, S9 termination)
    let img = at(0xFFF8, Some(0x10));
    let out = write_srec(&img, &SrecOptions::srec_cat());
    check_golden(
        "srec_cat_ramp_fff8.s19",
        vector!("srec_cat_ramp_fff8.s19"),
        &img,
        out,
    );
    // … -offset 0xFFF8 -o srec_cat_ramp_fff8_al3.s19 -address-length=3 -obs=16
    let img = at(0xFFF8, None);
    let opts = SrecOptions::srec_cat()
        .with_address_width(AddressWidth::AtLeast24)
        .with_record_size(16);
    let out = write_srec(&img, &opts);
    check_golden(
        "srec_cat_ramp_fff8_al3.s19",
        vector!("srec_cat_ramp_fff8_al3.s19"),
        &img,
        out,
    );
    // … -offset 0x6F0: srec_cat cuts records at its 1792-byte chunk boundary 0x700.
    let img = at(0x6F0, None);
    for (name, golden, out) in [
        (
            "srec_cat_ramp_6f0.s19",
            vector!("srec_cat_ramp_6f0.s19"),
            write_srec(&img, &SrecOptions::srec_cat()),
        ),
        (
            "srec_cat_ramp_6f0.hex",
            vector!("srec_cat_ramp_6f0.hex"),
            write_ihex(&img, &IhexOptions::srec_cat()),
        ),
    ] {
        check_golden(name, golden, &img, out);
    }
    // SPSDK (bincopy) cuts from the segment start only.
    let spsdk = write_srec(&img, &SrecOptions::spsdk()).unwrap();
    assert!(spsdk.lines().nth(1).unwrap().starts_with("S32500000710"));
}

#[test]
fn record_chunks_split_at_boundaries() {
    let mut img = Image::new();
    img.add_segment(5, &[0; 20], "a").unwrap();
    let cut = |size, b| -> Vec<(u64, usize)> {
        record_chunks(&img, size, b)
            .into_iter()
            .map(|(a, d)| (a, d.len()))
            .collect()
    };
    assert_eq!(cut(8, None), [(5, 8), (13, 8), (21, 4)]);
    assert_eq!(cut(8, Some(16)), [(5, 8), (13, 3), (16, 8), (24, 1)]);
    assert_eq!(cut(8, Some(5)), [(5, 5), (10, 5), (15, 5), (20, 5)]);
    assert_eq!(
        cut(100, Some(1)),
        (5..25).map(|a| (a, 1)).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------
// Property tests.

/// Images with 1 to 6 segments below 4 GiB, separated by gaps, and maybe an entry point.
fn arb_image() -> impl Strategy<Value = Image> {
    (
        0u64..0xFFFF_0000,
        prop::collection::vec(
            (1u64..0x3_0000, prop::collection::vec(any::<u8>(), 1..300)),
            1..6,
        ),
        prop::option::of(any::<u32>()),
    )
        .prop_map(|(mut address, parts, entry)| {
            let mut img = Image::new();
            for (gap, data) in parts {
                if address + data.len() as u64 > 1 << 32 {
                    break;
                }
                img.add_segment(address, &data, "p").unwrap();
                address += data.len() as u64 + gap;
            }
            if img.is_empty() {
                img.add_segment(0, &[0], "p").unwrap();
            }
            img.set_entry(entry.map(u64::from));
            img
        })
}

fn arb_width() -> impl Strategy<Value = AddressWidth> {
    prop_oneof![
        Just(AddressWidth::Auto),
        Just(AddressWidth::AtLeast24),
        Just(AddressWidth::Always32)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn ihex_round_trip(img in arb_image(), rs in 1u8..=255, initial in any::<bool>(), crlf in any::<bool>(), chunk in prop::option::of(1u64..4000)) {
        let opts = IhexOptions { record_size: rs, initial_linear_address: initial, crlf, chunk_boundary: chunk };
        let hex = write_ihex(&img, &opts).unwrap();
        prop_assert_eq!(load("x.hex", hex.as_bytes(), None).unwrap(), img);
    }

    #[test]
    fn srec_round_trip(
        img in arb_image(),
        rs in 1u8..=250,
        width in arb_width(),
        header in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
        count in any::<bool>(),
        crlf in any::<bool>(),
        chunk in prop::option::of(1u64..4000),
    ) {
        let opts = SrecOptions {
            record_size: rs,
            address_width: width,
            header,
            count_record: count,
            // With no entry point, a forced termination would read back as entry 0.
            always_terminate: img.entry().is_some(),
            crlf,
            chunk_boundary: chunk,
        };
        let s19 = write_srec(&img, &opts).unwrap();
        prop_assert_eq!(load("x.s19", s19.as_bytes(), None).unwrap(), img);
    }

    #[test]
    fn elf_round_trip(img in arb_image(), is64 in any::<bool>(), big in any::<bool>()) {
        let phs: Vec<Ph> = img.segments().iter().map(|s| Ph::load(s.address, &s.data)).collect();
        let elf = build_elf(is64, big, img.entry().unwrap_or(0), &phs);
        let mut want = img.clone();
        want.set_entry(Some(img.entry().unwrap_or(0)));
        prop_assert_eq!(load("x", &elf, None).unwrap(), want);
    }

    #[test]
    fn bin_places_every_byte(img in arb_image(), fill in any::<u8>()) {
        let (start, flat) = img.to_bin(fill).unwrap();
        prop_assert_eq!(Some(start), img.start());
        prop_assert_eq!(flat.len() as u64, img.span());
        let mut covered = 0u64;
        for s in img.segments() {
            let off = (s.address - start) as usize;
            prop_assert_eq!(&flat[off..off + s.data.len()], &s.data[..]);
            covered += s.data.len() as u64;
        }
        prop_assert_eq!(flat.iter().filter(|&&b| b != fill).count() as u64 <= covered, true);
        let reloaded = load_bin("x.bin", &flat, start).unwrap();
        prop_assert_eq!(reloaded.span(), img.span());
    }

    #[test]
    fn add_segment_matches_a_byte_map(ops in prop::collection::vec((0u64..400, prop::collection::vec(any::<u8>(), 0..40), 0u8..4), 1..40)) {
        let mut img = Image::new();
        let mut model: BTreeMap<u64, u8> = BTreeMap::new();
        for (address, data, src) in ops {
            let name = format!("s{src}");
            let end = address + data.len() as u64;
            let clash = !data.is_empty() && model.range(address..end).next().is_some();
            let before = img.clone();
            let result = img.add_segment(address, &data, &name);
            if clash {
                prop_assert!(matches!(result, Err(ImageError::Overlap { .. })), "{result:?}");
                prop_assert_eq!(&img, &before);
            } else {
                prop_assert!(result.is_ok());
                for (i, &b) in data.iter().enumerate() {
                    model.insert(address + i as u64, b);
                }
            }
        }
        // Sorted, never touching, and the same bytes as the model.
        for w in img.segments().windows(2) {
            prop_assert!(w[0].end() < w[1].address);
        }
        let mut flat = BTreeMap::new();
        for s in img.segments() {
            prop_assert!(!s.data.is_empty());
            for (i, &b) in s.data.iter().enumerate() {
                flat.insert(s.address + i as u64, b);
            }
        }
        prop_assert_eq!(&flat, &model);
        // The sources cover exactly the data, in order.
        let mut covered = 0u64;
        let mut last_end = 0u64;
        for (range, _) in img.sources() {
            prop_assert!(range.start >= last_end && range.start < range.end);
            prop_assert!(model.contains_key(&range.start) && model.contains_key(&(range.end - 1)));
            covered += range.end - range.start;
            last_end = range.end;
        }
        prop_assert_eq!(covered, model.len() as u64);
    }

    #[test]
    fn split_and_merge_gives_the_image_back(img in arb_image(), mask in any::<u8>()) {
        let (mut a, mut b) = (Image::new(), Image::new());
        for (i, s) in img.segments().iter().enumerate() {
            let target = if mask >> (i % 8) & 1 == 1 { &mut a } else { &mut b };
            target.add_segment(s.address, &s.data, "x").unwrap();
        }
        a.set_entry(img.entry());
        a.merge(&b).unwrap();
        prop_assert_eq!(a, img);
    }

    #[test]
    fn relocate_there_and_back(mut img in arb_image(), to in any::<u32>()) {
        // The entry point moves too, so keep it inside the image for this test.
        let from = img.start().unwrap();
        img.set_entry(img.entry().map(|_| from));
        let mut moved = img.clone();
        moved.relocate(from, u64::from(to)).unwrap();
        prop_assert_eq!(moved.start(), Some(u64::from(to)));
        moved.relocate(u64::from(to), from).unwrap();
        prop_assert_eq!(moved, img);
    }

    #[test]
    fn loaders_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400), base in prop::option::of(any::<u64>())) {
        let _ = load("x", &bytes, base);
        let _ = parse_ihex("x", &bytes);
        let _ = parse_srec("x", &bytes);
        let _ = parse_elf("x", &bytes);
    }

    #[test]
    fn loaders_never_panic_on_mutated_text(img in arb_image(), pos in any::<prop::sample::Index>(), c in prop::sample::select(b":S0123456789ABCDEFx \r\n".to_vec())) {
        for mut t in [
            write_ihex(&img, &IhexOptions::default()).unwrap().into_bytes(),
            write_srec(&img, &SrecOptions::default()).unwrap().into_bytes(),
        ] {
            let i = pos.index(t.len());
            t[i] = c;
            let _ = load("x", &t, None);
            t.truncate(i);
            let _ = load("x", &t, None);
        }
    }

    #[test]
    fn loaders_never_panic_on_mutated_elf(img in arb_image(), is64 in any::<bool>(), pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let phs: Vec<Ph> = img.segments().iter().map(|s| Ph::load(s.address, &s.data)).collect();
        let mut elf = build_elf(is64, false, 0, &phs);
        let i = pos.index(elf.len().min(64 + 56 * phs.len()));
        elf[i] = byte;
        let _ = parse_elf("x", &elf);
        elf.truncate(i);
        let _ = parse_elf("x", &elf);
    }
}
