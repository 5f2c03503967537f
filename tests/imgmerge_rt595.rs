//! The seed's "Merge Images Tool workflow for MIMXRT595", end to end through the real binary.
//!
//! A TrustZone hello-world: the secure project is linked at the secure alias 0x18001000, the
//! non-secure one at 0x08100000. The SEC tool's Merge tool takes the secure S19 (target
//! address 0x18001000), changes its target address to 0x08001000 (only the non-secure alias
//! can be written), adds the non-secure S19, and applies the merged image, with its start
//! address updated, as the source executable image to sign. Here:
//!
//! ```text
//! imgmerge -o merged.s19 --relocate 0x18001000:0x08001000 hello_world_s.s19 hello_world_ns.s19
//! ```
//!
//! checked against srec_cat, against the same merge written with `@-0x10000000`, through a
//! pipe, as an SPSDK binary-image configuration (ours and live SPSDK's), and finally handed to
//! SPSDK's `nxpimage mbi export` as the source image of an RT595 XIP boot image.

#[path = "imgmerge_util.rs"]
mod util;

use std::path::Path;

use provkit::image::{Image, SrecOptions, write_srec};
use util::*;

const SECURE: u64 = 0x1800_1000;
const TARGET: u64 = 0x0800_1000;
const NON_SECURE: u64 = 0x0810_0000;

/// A Cortex-M33 image: initial SP, reset handler (Thumb), then pseudo-code.
fn firmware(base: u64, sp: u32, reset: u64, len: usize, seed: u8) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    v.extend_from_slice(&sp.to_le_bytes());
    v.extend_from_slice(&((reset | 1) as u32).to_le_bytes());
    let mut x = seed;
    while v.len() < len {
        x = x.wrapping_mul(73).wrapping_add(41);
        v.push(x);
    }
    assert!(reset >= base);
    v
}

/// Writes the two S19 files (as MCUXpresso's "Create S-Record" would: S0 header, S3 records,
/// S7 entry point) into `dir`.
fn projects(dir: &Path) {
    for (name, base, sp, len, seed) in [
        (
            "evkmimxrt595_hello_world_s.s19",
            SECURE,
            0x3002_0000u32,
            0x2340,
            1u8,
        ),
        (
            "evkmimxrt595_hello_world_ns.s19",
            NON_SECURE,
            0x2008_0000,
            0x1210,
            2,
        ),
    ] {
        let reset = base + 0x130;
        let mut img = Image::new();
        img.add_segment(base, &firmware(base, sp, reset, len, seed), name)
            .unwrap();
        img.set_entry(Some(reset | 1));
        let stem = name.trim_end_matches(".s19");
        let text = write_srec(
            &img,
            &SrecOptions::spsdk().with_header(Some(format!("{stem}.axf").as_bytes())),
        )
        .unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }
}

const S: &str = "evkmimxrt595_hello_world_s.s19";
const NS: &str = "evkmimxrt595_hello_world_ns.s19";

#[test]
fn rt595_secure_and_non_secure_merge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    projects(d);

    // The seed's command.
    imgmerge_in(
        d,
        &[
            "-o",
            "merged.s19",
            "--relocate",
            "0x18001000:0x08001000",
            S,
            NS,
        ],
    )
    .ok();
    let info = imgmerge_in(d, &["info", "--json", "merged.s19"]).ok();
    let v: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    let m = &v[0];
    assert_eq!(m["start"], TARGET, "the start address is updated");
    assert_eq!(
        m["entry"],
        TARGET + 0x131,
        "the secure reset handler, moved"
    );
    assert_eq!(m["header"], "evkmimxrt595_hello_world_s.axf");
    let segs: Vec<(u64, u64)> = m["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["start"].as_u64().unwrap(), s["size"].as_u64().unwrap()))
        .collect();
    assert_eq!(segs, [(TARGET, 0x2340), (NON_SECURE, 0x1210)]);

    // The flat source image for signing: 0x08001000 up to the end of the non-secure image.
    imgmerge_in(
        d,
        &[
            "-o",
            "merged.bin",
            "--relocate",
            "0x18001000:0x08001000",
            S,
            NS,
        ],
    )
    .ok();
    let bin = read(&d.join("merged.bin"));
    assert_eq!(bin.len() as u64, NON_SECURE + 0x1210 - TARGET);
    assert_eq!(&bin[..4], &0x3002_0000u32.to_le_bytes());
    assert_eq!(
        &bin[4..8],
        &((SECURE + 0x131) as u32).to_le_bytes(),
        "code is not rewritten"
    );
    assert!(
        bin[0x2340..(NON_SECURE - TARGET) as usize]
            .iter()
            .all(|&b| b == 0xFF)
    );

    // srec_cat gives the same bytes.
    srec_cat_in(
        d,
        &[
            "(",
            S,
            "-Motorola",
            "-offset",
            "-0x10000000",
            NS,
            "-Motorola",
            ")",
            "-fill",
            "0xFF",
            "0x08001000",
            "0x08101210",
            "-offset",
            "-0x08001000",
            "-o",
            "sc.bin",
            "-binary",
        ],
    )
    .ok();
    assert!(
        read(&d.join("sc.bin")) == bin,
        "merged.bin differs from srec_cat's"
    );
    srec_cat_in(
        d,
        &[
            S,
            "-Motorola",
            "-offset",
            "-0x10000000",
            NS,
            "-Motorola",
            "-o",
            "sc.s19",
        ],
    )
    .ok();
    assert_eq!(read(&d.join("sc.s19")), read(&d.join("merged.s19")));

    // The same with an offset instead of a relocation, and through a pipe.
    imgmerge_in(d, &["-o", "offset.s19", &format!("{S}@-0x10000000"), NS]).ok();
    assert_eq!(read(&d.join("offset.s19")), read(&d.join("merged.s19")));
    let sh = format!(
        "{im} -o - --format s19 -- -@-0x10000000 < {S} | {im} -o piped.bin -- - {NS}",
        im = e2e::bin("imgmerge").display()
    );
    let r = run_in(Path::new("/bin/sh"), &["-c", &sh], Some(d), b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(&d.join("piped.bin")) == bin, "piped merge differs");
}

const CONFIG: &str = "\
# The RT595 merge as an SPSDK binary-image configuration.
name: rt595_hello_world
pattern: ones
regions:
  - binary_file:
      name: secure
      path: evkmimxrt595_hello_world_s.s19
      offset: -0x10000000      # from the secure alias 0x18001000 to 0x08001000
  - binary_file:
      name: non-secure
      path: evkmimxrt595_hello_world_ns.s19
      offset: 0
";

const MBI: &str = "\
family: mimxrt595s
revision: latest
outputImageExecutionTarget: xip
outputImageAuthenticationType: crc
masterBootOutputFile: mbi.bin
inputImageFile: merged.bin
outputImageExecutionAddress: 0x08001000
enableHwUserModeKeys: false
enableTrustZone: false
";

#[test]
fn rt595_as_spsdk_config_and_as_mbi_source() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    projects(d);
    std::fs::write(d.join("rt595.yaml"), CONFIG).unwrap();
    imgmerge_in(
        d,
        &[
            "-o",
            "merged.bin",
            "--relocate",
            "0x18001000:0x08001000",
            S,
            NS,
        ],
    )
    .ok();
    let bin = read(&d.join("merged.bin"));

    // Our -c: the same binary; S19 at the real addresses with the secure entry point.
    imgmerge_in(d, &["-c", "rt595.yaml", "-o", "cfg.bin"]).ok();
    assert!(read(&d.join("cfg.bin")) == bin, "-c binary differs");
    imgmerge_in(d, &["-c", "rt595.yaml", "-o", "cfg.s19"]).ok();
    let cfg = image_of("cfg.s19", &read(&d.join("cfg.s19")));
    assert_eq!(cfg.start(), Some(TARGET));
    assert_eq!(cfg.entry(), Some(TARGET + 0x131));
    assert!(cfg.to_bin(0xFF).unwrap().1 == bin);

    // Live SPSDK on the same configuration (and its S19, rebased to 0 as SPSDK does).
    let r = run_in(
        &nxpimage(),
        &[
            "utils",
            "binary-image",
            "export",
            "-c",
            "rt595.yaml",
            "-o",
            "spsdk.bin",
        ],
        Some(d),
        b"",
    );
    assert_eq!(r.code, 0, "{} {}", r.out(), r.stderr);
    assert!(read(&d.join("spsdk.bin")) == bin, "SPSDK's binary differs");

    // The merged image as the source executable image of an RT595 XIP boot image (CRC; the
    // signed variant differs only in the certificate block and signature, made by sbgen).
    std::fs::write(d.join("mbi.yaml"), MBI).unwrap();
    let r = run_in(
        &nxpimage(),
        &["mbi", "export", "-c", "mbi.yaml"],
        Some(d),
        b"",
    );
    assert_eq!(r.code, 0, "{} {}", r.out(), r.stderr);
    let mbi = read(&d.join("mbi.bin"));
    assert_eq!(mbi.len(), bin.len());
    // The MBI header words at 0x20..0x38 (length, type, CRC, load address) are SPSDK's; the
    // rest is the merged image.
    assert_eq!(&mbi[0x34..0x38], &(TARGET as u32).to_le_bytes());
    assert!(mbi[..0x20] == bin[..0x20] && mbi[0x38..] == bin[0x38..]);
}
