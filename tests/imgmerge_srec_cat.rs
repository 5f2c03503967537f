//! `imgmerge` against live `srec_cat` (Debian srecord 1.64) on random image sets.
//!
//! Each case draws 1 to 4 inputs (raw binary, Intel HEX, S-records with or without an S0
//! header, ELF), each with 1 to 3 segments separated by gaps (or touching), near interesting
//! boundaries (64 KiB, 16 MiB, 0x08000000), with `@ADDR` offsets, entry points, relocations
//! from a secure alias, and random output options (format, fill, base, size, alignment, record
//! size, address length, style, entry override, stdin and stdout). The same merge is run through
//! `imgmerge` and through the equivalent `srec_cat` command line; the outputs must be
//! byte-identical, except with `--style spsdk` (SPSDK's record cutting, which srec_cat cannot
//! produce), where the outputs must hold the same data and entry point.
//! Overlapping inputs (with different bytes, so srec_cat refuses them too) must fail with exit
//! code 2 and a message naming both inputs and the range.
//!
//! srec_cat cannot read ELF: it gets an S-record copy of the ELF's data (without S0 header,
//! with its entry point). Cases are reproducible: the seed is printed with every failure.

#[path = "imgmerge_util.rs"]
mod util;

use std::path::Path;

use provkit::image::{AddressWidth, IhexOptions, Image, SrecOptions, write_ihex, write_srec};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use util::*;

const CASES: u64 = 400;
const SEED: u64 = 0x1AE6_3E26;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bin,
    Hex,
    Srec,
    Elf,
}

#[derive(Debug)]
struct Input {
    /// File name in the case directory.
    file: String,
    kind: Kind,
    /// `@ADDR` given to imgmerge.
    at: Option<i64>,
    /// Offset srec_cat applies to the file's own addresses (bin: its address).
    srec_offset: i64,
    /// Feed through stdin.
    stdin: bool,
}

/// Builds an ELF32 little-endian executable with one PT_LOAD per segment.
fn elf32(entry: u32, segs: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let n = segs.len();
    let mut out = Vec::new();
    out.extend_from_slice(b"\x7fELF\x01\x01\x01\x00");
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    out.extend_from_slice(&40u16.to_le_bytes()); // EM_ARM
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&entry.to_le_bytes());
    out.extend_from_slice(&52u32.to_le_bytes()); // e_phoff
    out.extend_from_slice(&0u32.to_le_bytes()); // e_shoff
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
            len + 16,
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

fn image(segs: &[(u64, Vec<u8>)], entry: Option<u64>) -> Image {
    let mut img = Image::new();
    for (a, d) in segs {
        img.add_segment(*a, d, "x").unwrap();
    }
    img.set_entry(entry);
    img
}

/// Segments for one input starting at `*cursor` (which advances past them).
fn segments(rng: &mut SmallRng, cursor: &mut u64, count: usize) -> Vec<(u64, Vec<u8>)> {
    let mut out = Vec::new();
    for i in 0..count {
        if i > 0 {
            *cursor += rng.gen_range(1..200);
        }
        let len = rng.gen_range(1..300);
        let data: Vec<u8> = (0..len).map(|_| rng.r#gen()).collect();
        out.push((*cursor, data));
        *cursor += len as u64;
    }
    out
}

struct Outcome {
    identical: bool,
    overlap: bool,
}

fn run_case(case: u64, dir: &Path) -> Outcome {
    let mut rng = SmallRng::seed_from_u64(SEED ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let bases = [0x0u64, 0xF000, 0x00FF_F000, 0x0800_0000, 0x1000_0000];
    let mut cursor = bases[rng.gen_range(0..bases.len())] + rng.gen_range(0..0x100);
    let n = rng.gen_range(1..=4);
    let overlap = n >= 2 && rng.gen_bool(0.15);
    let mut inputs: Vec<Input> = Vec::new();
    let mut placed: Vec<Vec<(u64, Vec<u8>)>> = Vec::new();
    let mut relocations: Vec<String> = Vec::new();
    let mut stdin_data: Vec<u8> = Vec::new();
    let mut stdin_used = false;

    for i in 0..n {
        let kind = match rng.gen_range(0..4) {
            0 => Kind::Bin,
            1 => Kind::Hex,
            2 => Kind::Srec,
            _ => Kind::Elf,
        };
        if i > 0 {
            cursor += rng.gen_range(0..300); // 0: touching the previous input
        }
        let count = if kind == Kind::Bin {
            1
        } else {
            rng.gen_range(1..=3)
        };
        let mut segs = segments(&mut rng, &mut cursor, count);
        if overlap && i == n - 1 {
            // Move the last input back onto the previous one, with different bytes.
            let (pa, pd) = placed[i - 1].last().unwrap().clone();
            let back = segs[0].0 - (pa + rng.gen_range(0..pd.len() as u64));
            for (a, d) in &mut segs {
                *a -= back;
                for (k, b) in d.iter_mut().enumerate() {
                    let addr = *a + k as u64;
                    if addr >= pa && addr < pa + pd.len() as u64 {
                        *b = pd[(addr - pa) as usize] ^ 0x5A;
                    }
                }
            }
        }
        placed.push(segs.clone());
        let mut entry = (kind != Kind::Bin && rng.gen_bool(0.5))
            .then(|| segs[0].0 + rng.gen_range(0..segs[0].1.len() as u64));
        if kind == Kind::Elf {
            // An ELF always has an entry point (e_entry).
            entry = entry.or(Some(segs[0].0));
        }

        // Where the file holds the data: shifted by -offset (given back with @offset), or
        // at a secure alias +0x40000000 moved back with --relocate.
        let mut file_shift: i64 = 0;
        let mut at: Option<i64> = None;
        if kind == Kind::Bin {
            at = Some(segs[0].0 as i64);
        } else if rng.gen_bool(0.3) {
            let off = rng.gen_range(-0x1000i64..0x10000);
            if segs[0].0 as i64 - off >= 0 {
                at = Some(off);
                file_shift = -off;
            }
        }
        let relocate = !overlap && kind != Kind::Bin && at.is_none() && rng.gen_bool(0.2);
        if relocate {
            file_shift = 0x4000_0000;
            let first = segs[0].0;
            relocations.push(format!("{:#x}:{:#x}", first + 0x4000_0000, first));
        }
        let file_segs: Vec<(u64, Vec<u8>)> = segs
            .iter()
            .map(|(a, d)| ((*a as i64 + file_shift) as u64, d.clone()))
            .collect();
        let file_entry = entry.map(|e| (e as i64 + file_shift) as u64);
        let img = image(&file_segs, file_entry);
        let ext = match kind {
            Kind::Bin => "bin",
            Kind::Hex => "hex",
            Kind::Srec => "s19",
            Kind::Elf => "elf",
        };
        let file = format!("in{i}.{ext}");
        let bytes: Vec<u8> = match kind {
            Kind::Bin => file_segs[0].1.clone(),
            Kind::Hex => {
                let o = if rng.gen_bool(0.5) {
                    IhexOptions::srec_cat()
                } else {
                    IhexOptions::spsdk()
                };
                write_ihex(&img, &o.with_record_size(rng.gen_range(1..=64)))
                    .unwrap()
                    .into_bytes()
            }
            Kind::Srec => {
                let header = match rng.gen_range(0..3) {
                    0 => None,
                    1 => Some(format!("in{i}").into_bytes()),
                    _ => Some(b"".to_vec()),
                };
                let width = [
                    AddressWidth::Auto,
                    AddressWidth::AtLeast24,
                    AddressWidth::Always32,
                ][rng.gen_range(0..3)];
                let o = SrecOptions::default()
                    .with_header(header.as_deref())
                    .with_address_width(width)
                    .with_record_size(rng.gen_range(1..=64));
                write_srec(&img, &o).unwrap().into_bytes()
            }
            Kind::Elf => {
                let e = elf32(file_entry.unwrap_or(0) as u32, &file_segs);
                let stand_in = image(&file_segs, file_entry);
                std::fs::write(
                    dir.join(format!("in{i}_elf.s19")),
                    write_srec(&stand_in, &SrecOptions::default()).unwrap(),
                )
                .unwrap();
                e
            }
        };
        std::fs::write(dir.join(&file), &bytes).unwrap();
        let stdin = !stdin_used && rng.gen_bool(0.1);
        if stdin {
            stdin_used = true;
            stdin_data = bytes.clone();
        }
        let srec_offset = match kind {
            Kind::Bin => segs[0].0 as i64,
            _ => -file_shift,
        };
        inputs.push(Input {
            file,
            kind,
            at,
            srec_offset,
            stdin,
        });
    }

    // Output options.
    let all: Vec<&(u64, Vec<u8>)> = placed.iter().flatten().collect();
    let data_start = all.iter().map(|(a, _)| *a).min().unwrap();
    let data_end = all.iter().map(|(a, d)| a + d.len() as u64).max().unwrap();
    let format = ["bin", "hex", "s19"][rng.gen_range(0..3)];
    let fill = rng.gen_bool(0.4).then(|| rng.r#gen::<u8>());
    let base = rng
        .gen_bool(0.3)
        .then(|| data_start.saturating_sub(rng.gen_range(0..0x80)));
    let start = base.unwrap_or(data_start);
    let (size, align) = match rng.gen_range(0..4) {
        0 => (Some(data_end - start + rng.gen_range(0..0x40)), None),
        1 => (None, Some([1u64, 2, 4, 16, 256, 1024][rng.gen_range(0..6)])),
        _ => (None, None),
    };
    let end = match (size, align) {
        (Some(s), _) => start + s,
        (None, Some(a)) => start + (data_end - start).div_ceil(a) * a,
        _ => data_end,
    };
    let spsdk_style = format != "bin" && rng.gen_bool(0.25);
    let record_size = rng.gen_bool(0.5).then(|| rng.gen_range(1..=64u32));
    let address_length = (format == "s19" && rng.gen_bool(0.3)).then(|| rng.gen_range(2..=4u32));
    let entry = match rng.gen_range(0..8) {
        0 => Some("none".to_string()),
        1 => Some(format!("{:#x}", rng.gen_range(0..0x1_0000_0000u64))),
        _ => None,
    };
    let to_stdout = rng.gen_bool(0.15);

    // imgmerge command line.
    let out_name = format!("ours.{format}");
    let mut args: Vec<String> = vec!["-o".into()];
    if to_stdout {
        args.extend(["-".into(), "--format".into(), format.into()]);
    } else {
        args.push(out_name.clone());
    }
    if let Some(f) = fill {
        args.extend(["--fill".into(), format!("{f:#04x}")]);
    }
    if let Some(b) = base {
        args.extend(["--base".into(), format!("{b:#x}")]);
    }
    if let Some(s) = size {
        args.extend(["--size".into(), format!("{s}")]);
    }
    if let Some(a) = align {
        args.extend(["--align".into(), format!("{a}")]);
    }
    for r in &relocations {
        args.extend(["--relocate".into(), r.clone()]);
    }
    if spsdk_style {
        args.extend(["--style".into(), "spsdk".into()]);
    }
    if let Some(rs) = record_size {
        args.extend(["--record-size".into(), rs.to_string()]);
    }
    if let Some(al) = address_length {
        args.extend(["--address-length".into(), al.to_string()]);
    }
    if let Some(e) = &entry {
        args.extend(["--entry".into(), e.clone()]);
    }
    args.push("--".into());
    for inp in &inputs {
        let name = if inp.stdin { "-" } else { &inp.file };
        args.push(match inp.at {
            Some(a) if a < 0 => format!("{name}@-{:#x}", -a),
            Some(a) => format!("{name}@{a:#x}"),
            None => name.to_string(),
        });
    }

    // srec_cat command line.
    let mut sc: Vec<String> = Vec::new();
    let fill_range =
        format == "bin" || fill.is_some() || base.is_some() || size.is_some() || align.is_some();
    if fill_range {
        sc.push("(".into());
    }
    for inp in &inputs {
        let (file, flag) = match inp.kind {
            Kind::Bin => (inp.file.clone(), "-binary"),
            Kind::Hex => (inp.file.clone(), "-Intel"),
            Kind::Srec => (inp.file.clone(), "-Motorola"),
            Kind::Elf => (inp.file.replace(".elf", "_elf.s19"), "-Motorola"),
        };
        sc.extend([file, flag.into()]);
        if inp.srec_offset != 0 {
            sc.extend(["-offset".into(), format!("{}", inp.srec_offset)]);
        }
    }
    if fill_range {
        sc.extend([
            ")".into(),
            "-fill".into(),
            format!("{:#x}", fill.unwrap_or(0xFF)),
            format!("{start:#x}"),
            format!("{end:#x}"),
        ]);
    }
    let sc_out = format!("srec_cat.{format}");
    match format {
        "bin" => {
            if start > 0 {
                sc.extend(["-offset".into(), format!("-{start:#x}")]);
            }
            sc.extend(["-o".into(), sc_out.clone(), "-binary".into()]);
        }
        "hex" => sc.extend(["-o".into(), sc_out.clone(), "-Intel".into()]),
        _ => {
            sc.extend(["-o".into(), sc_out.clone(), "-Motorola".into()]);
            let al = address_length.or(spsdk_style.then_some(4));
            if let Some(al) = al {
                sc.push(format!("-address-length={al}"));
            }
            if spsdk_style {
                sc.push("-disable=header".into());
            }
        }
    }
    if format != "bin" {
        sc.push(format!("-obs={}", record_size.unwrap_or(32)));
        match entry.as_deref() {
            Some("none") => sc.push("-disable=exec-start-address".into()),
            Some(e) => sc.push(format!("-execution-start-address={e}")),
            None => {}
        }
    }

    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let ours = run_in(&e2e::bin("imgmerge"), &args_ref, Some(dir), &stdin_data);
    let sc_ref: Vec<&str> = sc.iter().map(String::as_str).collect();
    let theirs = srec_cat_in(dir, &sc_ref);
    let context = format!(
        "case {case} (seed {SEED:#x})\n  imgmerge {}\n  srec_cat {}\n  ours: {} {}\n  srec_cat: {} {}",
        args.join(" "),
        sc.join(" "),
        ours.code,
        ours.stderr.trim(),
        theirs.code,
        theirs.stderr.trim()
    );

    if overlap {
        assert_eq!(ours.code, 2, "{context}");
        assert_ne!(theirs.code, 0, "srec_cat accepted an overlap: {context}");
        let line = ours.stderr.trim();
        assert!(
            line.starts_with("imgmerge: ") && line.contains(" overlaps ") && !line.contains('\n'),
            "{context}"
        );
        let (a, b) = (&inputs[n - 1], &inputs[n - 2]);
        let name = |i: &Input| {
            if i.stdin {
                "<stdin>".to_string()
            } else {
                i.file.clone()
            }
        };
        assert!(
            line.contains(&name(a)) && line.contains(&name(b)),
            "{context}"
        );
        assert!(!dir.join(&out_name).exists(), "{context}");
        return Outcome {
            identical: false,
            overlap: true,
        };
    }
    assert_eq!(ours.code, 0, "{context}");
    assert_eq!(theirs.code, 0, "{context}");
    let ours_bytes = if to_stdout {
        ours.stdout.clone()
    } else {
        read(&dir.join(&out_name))
    };
    let want = read(&dir.join(&sc_out));
    if spsdk_style {
        // SPSDK's record cutting (consecutive from each segment start, no leading type 04
        // record) is not srec_cat's: the same data, entry point and format.
        let a = image_of(&format!("x.{format}"), &ours_bytes);
        let b = image_of(&format!("x.{format}"), &want);
        assert!(a == b, "{context}");
        assert_eq!(ours_bytes.first(), want.first(), "{context}");
        return Outcome {
            identical: false,
            overlap: false,
        };
    }
    assert!(
        ours_bytes == want,
        "{context}\n--- ours\n{}\n--- srec_cat\n{}",
        String::from_utf8_lossy(&ours_bytes[..ours_bytes.len().min(2000)]),
        String::from_utf8_lossy(&want[..want.len().min(2000)])
    );
    Outcome {
        identical: true,
        overlap: false,
    }
}

#[test]
fn random_image_sets_match_srec_cat() {
    srec_cat_path();
    let mut identical = 0;
    let mut same_data = 0;
    let mut overlaps = 0;
    for case in 0..CASES {
        let dir = tempfile::tempdir().unwrap();
        // IMGMERGE_KEEP=1 keeps the case directories (printed) for debugging.
        let path = if std::env::var_os("IMGMERGE_KEEP").is_some() {
            let p = dir.keep();
            eprintln!("case {case}: {}", p.display());
            p
        } else {
            dir.path().to_path_buf()
        };
        let o = run_case(case, &path);
        match (o.overlap, o.identical) {
            (true, _) => overlaps += 1,
            (false, true) => identical += 1,
            (false, false) => same_data += 1,
        }
    }
    eprintln!(
        "srec_cat: {identical} byte-identical, {same_data} same data (--style spsdk), \
         {overlaps} overlaps refused by both"
    );
    assert!(identical >= CASES * 6 / 10, "{identical}");
    assert!(overlaps >= 5, "{overlaps}");
}
