//! Helpers shared by the `imgmerge_*` tests (included with `#[path]`, not a test of its own).

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Output of a finished process, bytes kept.
#[derive(Debug)]
pub struct Done {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// stdout.
    pub stdout: Vec<u8>,
    /// stderr as text.
    pub stderr: String,
}

impl Done {
    /// stdout as text.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Panics unless the exit code is 0.
    #[track_caller]
    pub fn ok(self) -> Done {
        assert_eq!(self.code, 0, "failed: {}", self.stderr);
        self
    }
}

fn done(out: Output) -> Done {
    Done {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `program ARGS` in `dir` (or the current directory) with `stdin` fed to it.
pub fn run_in(program: &Path, args: &[&str], dir: Option<&Path>, stdin: &[u8]) -> Done {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = feeder.join();
    done(out)
}

/// Runs our `imgmerge` in `dir`.
pub fn imgmerge_in(dir: &Path, args: &[&str]) -> Done {
    run_in(&e2e::bin("imgmerge"), args, Some(dir), b"")
}

/// Runs our `imgmerge` in the current directory.
pub fn imgmerge(args: &[&str]) -> Done {
    run_in(&e2e::bin("imgmerge"), args, None, b"")
}

/// Runs our `imgmerge` with `stdin`.
pub fn imgmerge_stdin(args: &[&str], stdin: &[u8]) -> Done {
    run_in(&e2e::bin("imgmerge"), args, None, stdin)
}

/// `srec_cat` from PATH (Debian `srecord`, installed by `cargo xtask setup`); a missing
/// `srec_cat` fails the test.
pub fn srec_cat_path() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("srec_cat"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "srec_cat is not on PATH: run the tests with `cargo xtask test` (which installs \
                 Debian's srecord), or install srecord"
            )
        })
}

/// Runs `srec_cat ARGS` in `dir`.
pub fn srec_cat_in(dir: &Path, args: &[&str]) -> Done {
    run_in(&srec_cat_path(), args, Some(dir), b"")
}

/// SPSDK 3.12's `nxpimage` (from `PROVKIT_SPSDK3`; unset fails the test).
pub fn nxpimage() -> PathBuf {
    e2e::spsdk3_bin("nxpimage")
}

/// Path of a file in `tests/vectors/merge/`.
pub fn merge_vector(name: &str) -> PathBuf {
    e2e::vector(&format!("merge/{name}"))
}

/// Content of a file in `tests/vectors/merge/`.
pub fn read_vector(name: &str) -> Vec<u8> {
    std::fs::read(merge_vector(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A temporary directory holding copies of the named merge vectors.
pub fn dir_with(vectors: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for v in vectors {
        std::fs::copy(merge_vector(v), dir.path().join(v)).expect("copy vector");
    }
    dir
}

/// Reads a file written by a test.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Loads HEX/S-record/ELF text or bytes with provkit, for data comparisons.
pub fn image_of(name: &str, bytes: &[u8]) -> provkit::image::Image {
    provkit::image::load(name, bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}
