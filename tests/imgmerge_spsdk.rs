//! `imgmerge -c` against live SPSDK 3.12 `nxpimage utils binary-image export` on a handful of
//! configurations (SPSDK takes a second or two to start, so a few, run two at a time).
//!
//! The configurations are drawn at random from a fixed seed (files of every format, several
//! segments, gaps, offsets added to addressed files or omitted, numbers as strings, blocks,
//! patterns, alignment, size) and made valid by construction; one more is SPSDK's own
//! `get-template` output, which both tools must refuse. With `--spsdk-compat` the outputs must
//! be byte-identical; without it, only the documented differences may remain (checked on the
//! binary, which has none, and on HEX/S19 data at the real addresses).

#[path = "imgmerge_util.rs"]
mod util;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use provkit::image::{IhexOptions, Image, SrecOptions, write_ihex, write_srec};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use util::*;

/// An ELF32 executable with one PT_LOAD per segment and no section headers (SPSDK then reads
/// the PT_LOAD segments, at their virtual address, which is the physical one here).
fn elf32(entry: u32, segs: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let n = segs.len();
    let mut out = Vec::new();
    out.extend_from_slice(b"\x7fELF\x01\x01\x01\x00");
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&40u16.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&entry.to_le_bytes());
    out.extend_from_slice(&52u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0x0500_0200u32.to_le_bytes());
    for v in [52u16, 32, n as u16, 40, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut offset = 52 + 32 * n as u32;
    for (address, data) in segs {
        let len = data.len() as u32;
        for v in [
            1u32,
            offset,
            *address as u32,
            *address as u32,
            len,
            len,
            5,
            4,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        offset += len;
    }
    for (_, data) in segs {
        out.extend_from_slice(data);
    }
    out
}

fn num(rng: &mut SmallRng, v: i64) -> String {
    match rng.gen_range(0..3) {
        0 => format!("{v}"),
        1 if v >= 0 => format!("\"{v:#x}\""),
        _ if v < 0 => format!("-{:#x}", -v),
        _ => format!("{v:#x}"),
    }
}

/// A generated configuration: its file name, the lowest region address, and the spans of
/// its multi-segment files (where `--spsdk-compat` may change the gap filling).
struct Generated {
    cfg: String,
    origin: u64,
    spans: Vec<(u64, u64)>,
}

/// Writes a random, valid configuration and its files into `dir`.
fn random_config(seed: u64, dir: &Path) -> Generated {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut yaml = String::new();
    let base: u64 = [0x0u64, 0x1000, 0x0800_0000][rng.gen_range(0..3)];
    let mut cursor = base + rng.gen_range(0..0x40);
    let mut origin = u64::MAX;
    let mut spans = Vec::new();
    let pattern = ["zeros", "ones", "inc", "0xA5", "0x1234", "\"0x00C0FFEE\""][rng.gen_range(0..6)];
    let alignment = [1u64, 4, 16][rng.gen_range(0..3)];
    writeln!(
        yaml,
        "name: random {seed}\npattern: {pattern}\nalignment: {alignment}\nregions:"
    )
    .unwrap();
    let n = rng.gen_range(3..=5);
    for i in 0..n {
        cursor += rng.gen_range(0..0x80);
        let last = i == n - 1;
        if rng.gen_bool(0.25) {
            let size = rng.gen_range(1..48);
            let pat = ["zeros", "ones", "inc", "0x5A", "0x010203"][rng.gen_range(0..5)];
            if last && rng.gen_bool(0.5) {
                writeln!(
                    yaml,
                    "  - binary_block: {{name: blk{i}, size: {size}, pattern: {pat}}}"
                )
                .unwrap();
            } else {
                let off = num(&mut rng, cursor as i64);
                writeln!(
                    yaml,
                    "  - binary_block: {{size: {size}, offset: {off}, pattern: {pat}}}"
                )
                .unwrap();
                origin = origin.min(cursor);
                cursor += size;
            }
            continue;
        }
        let kind = rng.gen_range(0..4);
        let nseg = if kind == 0 { 1 } else { rng.gen_range(1..=3) };
        let mut segs = Vec::new();
        let mut at = cursor;
        for s in 0..nseg {
            if s > 0 {
                at += rng.gen_range(1..0x60);
            }
            let len = rng.gen_range(1..0x90);
            segs.push((at, (0..len).map(|_| rng.r#gen::<u8>()).collect::<Vec<u8>>()));
            at += len as u64;
        }
        cursor = at;
        if !(kind == 0 && last) {
            origin = origin.min(segs[0].0);
        }
        if nseg > 1 {
            spans.push((segs[0].0, at));
        }
        // The file holds the data at `target - offset`: where it goes (0), at a secure
        // alias 0x10000000 higher (moved down by a negative offset), or near 0.
        let first = segs[0].0 as i64;
        let offset: i64 = match (kind, rng.gen_range(0..3)) {
            (0, _) => first,
            (_, 0) => 0,
            (_, 1) => -0x1000_0000,
            _ => first - rng.gen_range(0..0x40).min(first),
        };
        let shift = |a: u64| (a as i64 - if kind == 0 { 0 } else { offset }) as u64;
        let file_segs: Vec<(u64, Vec<u8>)> =
            segs.iter().map(|(a, d)| (shift(*a), d.clone())).collect();
        let mut img = Image::new();
        for (a, d) in &file_segs {
            img.add_segment(*a, d, "x").unwrap();
        }
        let entry = rng.gen_bool(0.5).then_some(file_segs[0].0 + 1);
        img.set_entry(entry);
        let (name, bytes) = match kind {
            0 => (format!("r{seed}_f{i}.bin"), segs[0].1.clone()),
            1 => (
                format!("r{seed}_f{i}.hex"),
                write_ihex(
                    &img,
                    &IhexOptions::srec_cat().with_record_size(rng.gen_range(8..=32)),
                )
                .unwrap()
                .into_bytes(),
            ),
            2 => (
                format!("r{seed}_f{i}.s19"),
                write_srec(&img, &SrecOptions::srec_cat())
                    .unwrap()
                    .into_bytes(),
            ),
            _ => (
                format!("r{seed}_f{i}.elf"),
                elf32(entry.unwrap_or(file_segs[0].0) as u32, &file_segs),
            ),
        };
        std::fs::write(dir.join(&name), bytes).unwrap();
        if kind == 0 && last && rng.gen_bool(0.5) {
            // No offset: appended at the image's aligned length (a warning in both tools).
            writeln!(yaml, "  - binary_file: {{path: {name}}}").unwrap();
        } else {
            let off = num(&mut rng, offset);
            writeln!(
                yaml,
                "  - binary_file:\n      name: file {i}\n      path: {name}\n      offset: {off}"
            )
            .unwrap();
        }
    }
    let cfg = format!("random{seed}.yaml");
    std::fs::write(dir.join(&cfg), yaml).unwrap();
    Generated { cfg, origin, spans }
}

/// SPSDK's export; returns the output path, or the failure text.
fn spsdk(dir: &Path, cfg: &str, format: &str, keep_padding: bool) -> Result<PathBuf, String> {
    let out = dir.join(format!("spsdk_{cfg}_{format}_{keep_padding}.out"));
    let out_s = out.to_str().unwrap().to_string();
    let mut args = vec![
        "utils",
        "binary-image",
        "export",
        "-c",
        cfg,
        "-f",
        format,
        "-o",
        &out_s,
    ];
    if keep_padding {
        args.push("-p");
    }
    let r = run_in(&nxpimage(), &args, Some(dir), b"");
    if r.code == 0 {
        Ok(out)
    } else {
        Err(format!("{} {}", r.out(), r.stderr))
    }
}

fn ours(dir: &Path, cfg: &str, format: &str, extra: &[&str]) -> Result<Vec<u8>, String> {
    let ext = format.to_ascii_lowercase();
    let out = format!("ours_{cfg}.{ext}");
    let mut args = vec!["-c", cfg, "-o", &out];
    args.extend_from_slice(extra);
    let r = imgmerge_in(dir, &args);
    if r.code == 0 {
        Ok(read(&dir.join(&out)))
    } else {
        Err(r.stderr)
    }
}

struct Job {
    cfg: String,
    gen_index: usize,
    format: &'static str,
    keep_padding: bool,
}

#[test]
fn live_spsdk_export_matches() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let g = [
        random_config(1, d),
        random_config(2, d),
        random_config(7, d),
    ];
    let job = |i: usize, format, keep_padding| Job {
        cfg: g[i].cfg.clone(),
        gen_index: i,
        format,
        keep_padding,
    };
    let jobs = [
        job(0, "BIN", false),
        job(0, "HEX", false),
        job(1, "BIN", false),
        job(1, "S19", true),
        job(2, "S19", false),
    ];
    // Two SPSDK processes at a time.
    let results: Vec<Result<PathBuf, String>> = std::thread::scope(|s| {
        let mut out = Vec::new();
        for pair in jobs.chunks(2) {
            let handles: Vec<_> = pair
                .iter()
                .map(|j| s.spawn(|| spsdk(d, &j.cfg, j.format, j.keep_padding)))
                .collect();
            out.extend(handles.into_iter().map(|h| h.join().unwrap()));
        }
        out
    });
    for (job, result) in jobs.iter().zip(results) {
        let what = format!("{} -f {} -p={}", job.cfg, job.format, job.keep_padding);
        let theirs = read(&result.unwrap_or_else(|e| panic!("SPSDK failed on {what}: {e}")));
        let mut compat = vec!["--spsdk-compat", "-f", job.format];
        if job.keep_padding {
            compat.push("-p");
        }
        let mine = ours(d, &job.cfg, job.format, &compat).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            mine == theirs,
            "{what} differs:\n--- ours\n{}\n--- SPSDK\n{}\n--- config\n{}",
            String::from_utf8_lossy(&mine),
            String::from_utf8_lossy(&theirs),
            std::fs::read_to_string(d.join(&job.cfg)).unwrap()
        );
        // Without --spsdk-compat: the same binary; HEX/S19 with the same data at the real
        // addresses (SPSDK's -p output), plus the first file's entry point.
        let plain = ours(d, &job.cfg, job.format, &["-f", job.format]).unwrap();
        if job.format == "BIN" {
            // Only the gaps inside multi-segment files may differ (the image's pattern and
            // phase there, where SPSDK restarts a possibly different pattern).
            let made = &g[job.gen_index];
            assert_eq!(plain.len(), theirs.len(), "{what}");
            for (i, (a, b)) in plain.iter().zip(&theirs).enumerate() {
                let address = made.origin + i as u64;
                let in_span = made.spans.iter().any(|&(s, e)| (s..e).contains(&address));
                assert!(
                    a == b || in_span,
                    "{what}: byte {i:#x} differs outside a file's gaps"
                );
            }
        } else if job.keep_padding {
            let mut a = image_of("x", &plain);
            a.set_entry(None);
            assert!(
                a == image_of("x", &theirs),
                "{what}: data differs without --spsdk-compat"
            );
        }
    }
}

#[test]
fn live_spsdk_refuses_the_template_like_we_do() {
    let dir = dir_with(&["binary_image_template.yaml"]);
    let d = dir.path();
    std::fs::write(d.join("my_binary_to_merge.bin"), [1u8; 16]).unwrap();
    let theirs = spsdk(d, "binary_image_template.yaml", "BIN", false);
    let e = theirs.expect_err("SPSDK accepted overlapping regions");
    assert!(e.contains("overlap"), "{e}");
    let mine = ours(d, "binary_image_template.yaml", "BIN", &["--spsdk-compat"]);
    assert!(mine.unwrap_err().contains("overlaps"));
}
