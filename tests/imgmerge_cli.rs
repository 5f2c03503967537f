//! `imgmerge` as a command: errors (one stderr line, exit code), no partial output, pipes,
//! `info` output (the documented stdout format), help.

#[path = "imgmerge_util.rs"]
mod util;

use std::path::Path;

use util::*;

/// Runs imgmerge in `dir` and checks the exit code and that stderr is one `imgmerge: ` line
/// containing every part of `want`.
#[track_caller]
fn fails(dir: &Path, args: &[&str], code: i32, want: &[&str]) -> String {
    let r = imgmerge_in(dir, args);
    assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
    let line = r.stderr.strip_suffix('\n').unwrap_or(&r.stderr);
    assert!(
        line.starts_with("imgmerge: ") && !line.contains('\n'),
        "{args:?}: not one line: {:?}",
        r.stderr
    );
    for w in want {
        assert!(line.contains(w), "{args:?}: {line:?} lacks {w:?}");
    }
    assert!(r.stdout.is_empty(), "{args:?}: stdout {:?}", r.out());
    line.to_string()
}

fn write(dir: &Path, name: &str, content: &[u8]) {
    std::fs::write(dir.join(name), content).unwrap();
}

/// A minimal ELF32 with one PT_LOAD of `data` at `address` (no section headers).
fn elf32(address: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"\x7fELF\x01\x01\x01\x00");
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&40u16.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&(address + 1).to_le_bytes());
    out.extend_from_slice(&52u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    for v in [52u16, 32, 1, 40, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let len = data.len() as u32;
    for v in [1u32, 84, address, address, len, len, 5, 4] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[test]
fn malformed_records_name_the_file_and_line() {
    let dir = dir_with(&["app1.s19", "app2.hex"]);
    let d = dir.path();
    // Bad checksum on line 2.
    write(
        d,
        "bad_sum.hex",
        b":020000040000FA\n:08102000A0A1A2A3A4A5A6A7AD\n:00000001FF\n",
    );
    fails(
        d,
        &["-o", "x.bin", "bad_sum.hex"],
        2,
        &["bad_sum.hex: Intel HEX line 2: bad checksum 0xAD (expected 0xAC)"],
    );
    write(d, "bad_sum.s19", b"S0030000FC\n\nS1051000AABB86\n");
    fails(
        d,
        &["-o", "x.bin", "bad_sum.s19"],
        2,
        &["bad_sum.s19: S-record line 3: bad checksum 0x86 (expected 0x85)"],
    );
    // Malformed: a bad hex digit, a wrong length, an unknown type, a missing end record.
    write(
        d,
        "digit.hex",
        b":020000040000FA\n:0810200XA0A1A2A3A4A5A6A7AC\n:00000001FF\n",
    );
    fails(
        d,
        &["-o", "x.bin", "digit.hex"],
        2,
        &["digit.hex: Intel HEX line 2: invalid character 'X'"],
    );
    write(d, "len.s19", b"S1071000AABB85\n");
    fails(
        d,
        &["-o", "x.hex", "len.s19"],
        2,
        &["len.s19: S-record line 1: count field says 7"],
    );
    write(d, "type.hex", b":00000006FA\n");
    fails(
        d,
        &["-o", "x.hex", "type.hex"],
        2,
        &["type.hex: Intel HEX line 1: unknown record type 06"],
    );
    write(d, "noeof.hex", b":0100000000FF\n");
    fails(
        d,
        &["-o", "x.hex", "noeof.hex"],
        2,
        &["noeof.hex: Intel HEX line 1:", "end-of-file"],
    );
    // The error in a valid merge's second input.
    fails(
        d,
        &["-o", "x.s19", "app1.s19", "digit.hex"],
        2,
        &["digit.hex: Intel HEX line 2"],
    );
    // From stdin.
    let r = imgmerge_stdin(&["-o", "-", "--format", "bin", "-"], b"S1051000AABB86\n");
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "imgmerge: <stdin>: S-record line 1: bad checksum 0x86 (expected 0x85)\n"
    );
}

#[test]
fn truncated_and_empty_elf_name_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let elf = elf32(0x0800_0000, &[1, 2, 3, 4, 5, 6, 7, 8]);
    write(d, "ok.elf", &elf);
    imgmerge_in(d, &["-o", "ok.bin", "ok.elf"]).ok();
    assert_eq!(read(&d.join("ok.bin")), [1, 2, 3, 4, 5, 6, 7, 8]);
    write(d, "cut.elf", &elf[..elf.len() - 3]);
    fails(
        d,
        &["-o", "x.bin", "cut.elf"],
        2,
        &["cut.elf: ELF offset 0x54: truncated: PT_LOAD program header 0"],
    );
    write(d, "cut_ph.elf", &elf[..60]);
    fails(
        d,
        &["-o", "x.bin", "cut_ph.elf"],
        2,
        &["cut_ph.elf: ELF offset 0x34: truncated"],
    );
    write(d, "cut_hdr.elf", &elf[..20]);
    fails(
        d,
        &["-o", "x.bin", "cut_hdr.elf"],
        2,
        &["cut_hdr.elf: ELF offset 0x14: truncated ELF header"],
    );
    // No loadable data: SPSDK crashes or writes a huge file; we refuse.
    write(d, "empty.elf", &elf32(0x0800_0000, &[]));
    fails(
        d,
        &["-o", "x.hex", "empty.elf"],
        2,
        &["empty.elf: the ELF input holds no data"],
    );
    let yaml = "regions:\n  - binary_file: {path: empty.elf, offset: 0}\n";
    write(d, "empty.yaml", yaml.as_bytes());
    fails(
        d,
        &["-c", "empty.yaml", "-o", "x.hex"],
        2,
        &["regions[0] (empty.elf): empty.elf: the ELF input holds no data"],
    );
}

#[test]
fn overlaps_name_both_inputs_and_the_range() {
    let dir = dir_with(&["app1.s19", "app1.bin", "app2.hex", "app3.bin"]);
    let d = dir.path();
    fails(
        d,
        &["-o", "x.bin", "app1.s19", "app3.bin@0x1010"],
        2,
        &["app3.bin overlaps app1.s19 at 0x1010..0x1014 (4 bytes)"],
    );
    // Even when the bytes agree (srec_cat only warns then).
    fails(
        d,
        &["-o", "x.bin", "app1.s19", "app1.bin@0x1000"],
        2,
        &["app1.bin overlaps app1.s19 at 0x1000..0x1014 (20 bytes)"],
    );
    fails(
        d,
        &["-o", "x.bin", "app2.hex", "app2.hex@0x4"],
        2,
        &["app2.hex overlaps app2.hex at 0x1024..0x1028"],
    );
}

#[test]
fn usage_io_and_fit_errors() {
    let dir = dir_with(&["app1.s19", "app3.bin"]);
    let d = dir.path();
    // Usage (clap): exit 2, its own message format.
    for args in [
        &["-o", "x.bin"][..],
        &["app1.s19"],
        &["-o", "x.bin", "--fill", "0x100", "app1.s19"],
        &["-o", "x.bin", "--align", "0", "app1.s19"],
        &["-o", "x.bin", "-p", "app1.s19"],
        &["-o", "x.bin", "--relocate", "0x10", "app1.s19"],
        &["-o", "x.bin", "app3.bin@0x10zz"],
    ] {
        let r = imgmerge_in(d, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("error"), "{args:?}: {}", r.stderr);
    }
    fails(
        d,
        &["-o", "x.bin", "app3.bin"],
        2,
        &["app3.bin: not an ELF, Intel HEX or S-record file; a raw binary needs a load address"],
    );
    fails(
        d,
        &["-o", "x.bin", "app3.bin@-0x10"],
        2,
        &["app3.bin: a raw binary needs a load address of 0 or more"],
    );
    fails(
        d,
        &["-o", "x.elf", "app1.s19"],
        2,
        &["ELF output is not supported"],
    );
    fails(
        d,
        &["-o", "x.dat", "app1.s19"],
        2,
        &["cannot tell the output format from 'x.dat'"],
    );
    fails(
        d,
        &["-o", "-", "app1.s19"],
        2,
        &["cannot tell the output format from '-'"],
    );
    fails(
        d,
        &["-o", "x.s19", "--relocate", "0x2000:0", "app1.s19"],
        2,
        &["relocation 0x2000:0x0: no input holds address 0x2000 (inputs: app1.s19 0x1000..0x1014)"],
    );
    fails(
        d,
        &["-o", "x.s19", "app1.s19@-0x2000"],
        2,
        &["app1.s19: moving or extending address 0x1000"],
    );
    let r = imgmerge_stdin(&["-o", "-", "-f", "bin", "--", "-@0", "-@4"], b"abcd");
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (2, "imgmerge: stdin ('-') can be read only once\n")
    );
    // The result does not fit: exit 1.
    fails(
        d,
        &["-o", "x.bin", "--size", "0x10", "app1.s19"],
        1,
        &["the data at 0x1000..0x1014 does not fit in the output range 0x1000..0x1010"],
    );
    fails(
        d,
        &["-o", "x.bin", "--base", "0x1001", "app1.s19"],
        1,
        &["does not fit"],
    );
    fails(
        d,
        &["-o", "x.hex", "app1.s19@0xFFFFF000"],
        1,
        &["Intel HEX output cannot hold address 0x100000000"],
    );
    // I/O: exit 3.
    fails(
        d,
        &["-o", "x.bin", "missing.s19"],
        3,
        &["cannot read missing.s19"],
    );
    fails(
        d,
        &["-o", "no/such/dir/x.bin", "app1.s19"],
        3,
        &["cannot write no/such/dir/x.bin"],
    );
    std::fs::create_dir(d.join("adir")).unwrap();
    fails(
        d,
        &["-o", "adir", "-f", "bin", "app1.s19"],
        3,
        &["cannot write adir"],
    );
    fails(
        d,
        &["-c", "missing.yaml", "-o", "x.bin"],
        3,
        &["cannot read missing.yaml"],
    );
}

#[test]
fn failures_leave_no_partial_output() {
    let dir = dir_with(&["app1.s19", "app3.bin"]);
    let d = dir.path();
    write(d, "out.bin", b"previous");
    fails(
        d,
        &["-o", "out.bin", "app1.s19", "app3.bin@0x1000"],
        2,
        &["overlaps"],
    );
    fails(d, &["-o", "out.bin", "--size", "4", "app1.s19"], 1, &[]);
    assert_eq!(read(&d.join("out.bin")), b"previous");
    fails(d, &["-o", "new.bin", "app1.s19", "missing.bin@0"], 3, &[]);
    assert!(!d.join("new.bin").exists());
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".imgmerge")),
        "{names:?}"
    );
}

#[cfg(unix)]
#[test]
fn output_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&["app1.s19"]);
    let d = dir.path();
    imgmerge_in(d, &["-o", "new.bin", "app1.s19"]).ok();
    let mode = std::fs::metadata(d.join("new.bin"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode & 0o600, 0o600, "{mode:o}");
    assert_eq!(mode & 0o002, 0, "{mode:o}");
    write(d, "kept.bin", b"x");
    std::fs::set_permissions(d.join("kept.bin"), std::fs::Permissions::from_mode(0o640)).unwrap();
    imgmerge_in(d, &["-o", "kept.bin", "app1.s19"]).ok();
    let mode = std::fs::metadata(d.join("kept.bin"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn config_errors() {
    let dir = dir_with(&["app1.s19", "app3.bin"]);
    let d = dir.path();
    write(
        d,
        "syntax.yaml",
        b"name: x\nregions:\n  - binary_file: {path: app1.s19\n",
    );
    fails(
        d,
        &["-c", "syntax.yaml", "-o", "x.bin"],
        2,
        &["syntax.yaml: ", "line "],
    );
    write(
        d,
        "typo.yaml",
        b"regions:\n  - binary_file: {path: app1.s19, ofset: 0}\n",
    );
    fails(
        d,
        &["-c", "typo.yaml", "-o", "x.bin"],
        2,
        &["typo.yaml: ", "unknown field `ofset`"],
    );
    write(
        d,
        "octal.yaml",
        b"regions:\n  - binary_file: {path: app3.bin, offset: 010}\n",
    );
    fails(d, &["-c", "octal.yaml", "-o", "x.bin"], 2, &["ambiguous"]);
    write(
        d,
        "size.yaml",
        b"size: 8\nregions:\n  - binary_file: {path: app1.s19, offset: 0}\n",
    );
    fails(
        d,
        &["-c", "size.yaml", "-o", "x.bin"],
        1,
        &[
            "regions[0] (app1.s19) at 0x1000..0x1014 does not fit in the image: 0x8 bytes from 0x1000",
        ],
    );
    write(
        d,
        "missing.yaml",
        b"regions:\n  - binary_file: {path: nothere.bin}\n",
    );
    fails(
        d,
        &["-c", "missing.yaml", "-o", "x.bin"],
        3,
        &["missing.yaml: 'nothere.bin' not found"],
    );
    // Paths are relative to the configuration's directory, then to the working directory.
    std::fs::create_dir(d.join("sub")).unwrap();
    write(
        d,
        "sub/cfg.yaml",
        b"pattern: ones\nregions:\n  - binary_file: {path: app3.bin, offset: 4}\n",
    );
    imgmerge_in(d, &["-c", "sub/cfg.yaml", "-o", "x.bin"]).ok();
    assert_eq!(read(&d.join("x.bin")), [0xDE, 0xAD, 0xBE, 0xEF]);
    write(d, "sub/app3.bin", b"\x01\x02");
    imgmerge_in(d, &["-c", "sub/cfg.yaml", "-o", "x.bin"]).ok();
    assert_eq!(read(&d.join("x.bin")), [1, 2]);
    // From stdin, relative to the working directory.
    let r = run_in(
        &e2e::bin("imgmerge"),
        &["-c", "-", "-o", "-", "-f", "hex"],
        Some(d),
        b"{\"regions\": [{\"binary_file\": {\"path\": \"app3.bin\", \"offset\": 16}}]}",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.out(), ":04001000DEADBEEFB4\n:00000001FF\n");
}

#[test]
fn pipes_and_stdout() {
    let dir = dir_with(&["app1.s19", "app2.hex", "app3.bin"]);
    let d = dir.path();
    let hex = imgmerge_in(d, &["-o", "-", "-f", "hex", "app1.s19", "app2.hex"]).ok();
    let r = run_in(
        &e2e::bin("imgmerge"),
        &["-o", "-", "-f", "bin", "--", "-", "app3.bin@0x1040"],
        Some(d),
        &hex.stdout,
    )
    .ok();
    assert_eq!(r.stdout, read_vector("srec_cat_merge_a.bin"));
    // A reader that stops early (a 16 MiB output into `head`) is not an error.
    let sh = format!(
        "{{ {} -o - -f bin --size 0x1000000 app1.s19; echo \"rc=$?\" >&2; }} | head -c 10 >/dev/null",
        e2e::bin("imgmerge").display()
    );
    let r = run_in(Path::new("/bin/sh"), &["-c", &sh], Some(d), b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "rc=0\n");
}

#[test]
fn info_text_and_json() {
    let dir = dir_with(&["appB1.s19", "appB3.elf", "app3.bin", "app2.hex"]);
    let d = dir.path();
    let r = imgmerge_in(
        d,
        &[
            "info",
            "appB1.s19",
            "appB3.elf",
            "app3.bin@0x10",
            "app2.hex@-0x20",
        ],
    )
    .ok();
    assert_eq!(
        r.out(),
        "appB1.s19: S-record, 48 bytes in 2 segments, 0x08000000..0x08000110, entry 0x08000101\n\
         \x20 header \"appB1\"\n\
         \x20 0x08000000..0x08000020  32 bytes\n\
         \x20 0x08000100..0x08000110  16 bytes\n\
         appB3.elf: ELF, 8 bytes in 1 segment, 0x08020000..0x08020008, entry 0x08020001\n\
         \x20 0x08020000..0x08020008  8 bytes\n\
         app3.bin: binary, 4 bytes in 1 segment, 0x00000010..0x00000014, entry none\n\
         \x20 0x00000010..0x00000014  4 bytes\n\
         app2.hex: Intel HEX, 8 bytes in 1 segment, 0x00001000..0x00001008, entry none\n\
         \x20 0x00001000..0x00001008  8 bytes\n"
    );
    let r = imgmerge_in(d, &["info", "--json", "appB1.s19", "app3.bin"]).ok();
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"file": "appB1.s19", "format": "srec", "size": 48, "start": 0x0800_0000u64,
             "end": 0x0800_0110u64, "entry": 0x0800_0101u64, "header": "appB1",
             "segments": [
                {"start": 0x0800_0000u64, "end": 0x0800_0020u64, "size": 32},
                {"start": 0x0800_0100u64, "end": 0x0800_0110u64, "size": 16}]},
            {"file": "app3.bin", "format": "bin", "size": 4, "start": 0, "end": 4,
             "entry": null, "header": null,
             "segments": [{"start": 0, "end": 4, "size": 4}]}
        ])
    );
    fails(d, &["info", "missing.hex"], 3, &["cannot read missing.hex"]);
}

#[test]
fn help_and_version() {
    let r = imgmerge(&["--help"]).ok();
    let help = r.out();
    for w in [
        "INPUT[@ADDR]",
        "--relocate",
        "--keep-padding",
        "--spsdk-compat",
        "Exit codes",
        "info",
    ] {
        assert!(help.contains(w), "help lacks {w}");
    }
    let r = imgmerge(&["--version"]).ok();
    assert!(r.out().starts_with("imgmerge "));
    let r = imgmerge(&["info", "--help"]).ok();
    assert!(r.out().contains("--json"));
}

#[test]
fn verbose_logs_on_stderr_and_warnings_by_default() {
    let dir = dir_with(&["app1.s19", "app2.hex"]);
    let d = dir.path();
    let r = imgmerge_in(d, &["-v", "-o", "x.bin", "app1.s19", "app2.hex"]).ok();
    assert!(
        r.stderr.contains("merged 28 bytes in 2 segments"),
        "{}",
        r.stderr
    );
    // SPSDK's warning for a region without offset shows without -v.
    write(d, "cfg.yaml", b"regions:\n  - binary_file: {path: app1.s19, offset: 0}\n  - binary_file: {path: app2.hex}\n");
    let r = imgmerge_in(d, &["-c", "cfg.yaml", "-o", "x.hex"]).ok();
    assert!(r.stderr.contains("has no offset"), "{}", r.stderr);
    // ...and means what it means in SPSDK: app2's 0x1020 plus the image length 0x1014.
    let img = image_of("x.hex", &read(&d.join("x.hex")));
    assert_eq!(img.segments()[1].address, 0x1014 + 0x1020);
}
