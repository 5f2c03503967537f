//! Shared helpers of the `mcuboot_*` end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/vectors/mcuboot`.
pub fn vectors() -> PathBuf {
    e2e::vector("mcuboot")
}

/// Our binary.
pub fn mcuboot_sign() -> PathBuf {
    e2e::bin("mcuboot-sign")
}

/// imgtool 2.5.0 from the SPSDK 3 venv (fails loudly when `PROVKIT_SPSDK3` is unset).
pub fn imgtool() -> PathBuf {
    let p = e2e::spsdk3_bin("imgtool");
    assert!(
        p.exists(),
        "{} is missing: run `cargo xtask setup`",
        p.display()
    );
    p
}

/// One `sign NAME VERIFYKEY ARGS...` line of `gen.sh`.
#[derive(Debug, Clone)]
pub struct GenLine {
    /// Output file name under `out/`.
    pub name: String,
    /// Key `gen.sh` verified with ("" for none).
    pub vkey: String,
    /// imgtool sign arguments (without the output).
    pub args: Vec<String>,
}

/// Splits a shell line into words (double quotes, no escapes: all `gen.sh` needs).
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Every `sign` line of `gen.sh`, variables expanded, in order.
pub fn gen_sign_lines() -> Vec<GenLine> {
    let text = std::fs::read_to_string(vectors().join("gen.sh")).expect("gen.sh");
    let nxp = "--align 4 --header-size 0x400 --pad-header --slot-size 0x200000 --max-sectors 800";
    text.lines()
        .filter(|l| l.starts_with("sign "))
        .map(|l| {
            let l = l
                .replace("$NXP", nxp)
                .replace("$APP", "inputs/app.bin")
                .replace("$OUT", "out");
            let w = split_words(&l);
            GenLine {
                name: w[1].clone(),
                vkey: w[2].clone(),
                args: w[3..].to_vec(),
            }
        })
        .collect()
}

/// True for the outputs imgtool makes identically on every run.
pub fn is_deterministic(name: &str) -> bool {
    ["unsigned_", "ed25519", "sigout_", "fixsig_", "vts_"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// File name without extension.
pub fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// A temporary directory holding copies of `inputs/` and `keys/` and an empty `out/`.
pub fn work_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["inputs", "keys"] {
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(vectors().join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    dir
}

/// Runs a program in `dir`.
pub fn run_in<S: AsRef<std::ffi::OsStr>>(dir: &Path, program: &Path, args: &[S]) -> e2e::Run {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    e2e::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs a program with owned arguments.
pub fn run_args<S: AsRef<std::ffi::OsStr>>(program: &Path, args: &[S]) -> e2e::Run {
    run_in(Path::new("."), program, args)
}

/// Runs a program that must succeed; its raw stdout.
pub fn run_bytes<S: AsRef<std::ffi::OsStr>>(program: &Path, args: &[S]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Asserts a failure printed exactly one line on stderr, prefixed with the tool name.
pub fn assert_one_line_error(r: &e2e::Run, ctx: &str) {
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{ctx}: stderr {:?}", r.stderr);
    assert!(
        lines[0].starts_with("mcuboot-sign: "),
        "{ctx}: stderr {:?}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{ctx}");
}
