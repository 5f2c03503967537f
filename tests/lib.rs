//! Helpers for the end-to-end tests: locating the workspace's binaries and the
//! reference tools, and running `devsim` as a child process.
//!
//! The binaries are the ones `cargo build --workspace` put beside this test executable
//! (`cargo xtask test` builds them first). The reference tools come from the venvs that
//! `cargo xtask setup` makes; their paths arrive in `PROVKIT_SPSDK3` / `PROVKIT_SPSDK2`.
//! A missing tool fails the test loudly: tests are never skipped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The directory holding the workspace binaries (`target/debug`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    // target/debug/deps/<test> -> target/debug
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

/// Path of a workspace binary; panics with a hint when it was not built.
pub fn bin(name: &str) -> PathBuf {
    let p = bin_dir().join(name);
    assert!(
        p.exists(),
        "{} is missing: run `cargo xtask test` (or `cargo build --workspace` first)",
        p.display()
    );
    p
}

/// The SPSDK 3.12 venv (from `cargo xtask setup`).
pub fn spsdk3() -> PathBuf {
    venv("PROVKIT_SPSDK3")
}

/// A program in the SPSDK 3.12 venv (`blhost`, `nxpimage`, ...).
pub fn spsdk3_bin(name: &str) -> PathBuf {
    spsdk3().join("bin").join(name)
}

fn venv(var: &str) -> PathBuf {
    let v = std::env::var_os(var).unwrap_or_else(|| {
        panic!(
            "{var} is not set: run the tests with `cargo xtask test` (which installs the \
             reference tools), or set {var}=~/.cache/provkit/<venv>"
        )
    });
    let p = PathBuf::from(v);
    assert!(
        p.join("bin").exists(),
        "{var}={} is not a venv",
        p.display()
    );
    p
}

/// Repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf()
}

/// Path of a file under `tests/vectors/`.
pub fn vector(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(rel)
}

/// A running `devsim mcu`, stopped with SIGTERM when dropped.
pub struct DevSim {
    child: Child,
    /// The symlink to the pty (what `-p` gets).
    pub link: PathBuf,
    /// The pty device path from the ready line.
    pub port: String,
    /// The debug-mailbox address from the ready line (`--dm-listen`), if any.
    pub dm: Option<String>,
    _dir: tempfile::TempDir,
}

impl DevSim {
    /// Starts `devsim mcu --family F --link <tmp>/port ARGS...` and waits for its ready line.
    pub fn start(family: &str, args: &[&str]) -> DevSim {
        let dir = tempfile::tempdir().expect("tempdir");
        let link = dir.path().join("port");
        let mut child = Command::new(bin("devsim"))
            .args(["mcu", "--family", family, "--link"])
            .arg(&link)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn devsim");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("devsim ready line");
        let v: serde_json::Value = serde_json::from_str(line.trim())
            .unwrap_or_else(|e| panic!("ready line {line:?}: {e}"));
        assert_eq!(v["event"], "ready", "{line}");
        assert_eq!(v["family"], family, "{line}");
        let port = v["port"].as_str().expect("port").to_string();
        let dm = v["dm"].as_str().map(str::to_string);
        DevSim {
            child,
            link,
            port,
            dm,
            _dir: dir,
        }
    }

    /// The `-p` argument at a baud rate.
    pub fn port_arg(&self, baud: u32) -> String {
        format!("{},{baud}", self.link.display())
    }

    /// Stops the simulator with SIGTERM and waits (up to 10 s) for it to exit.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        self.child.wait().ok()
    }
}

impl Drop for DevSim {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

/// Output of a finished process.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// stdout as text.
    pub stdout: String,
    /// stderr as text.
    pub stderr: String,
}

/// Runs a program to completion.
pub fn run(program: &Path, args: &[&str]) -> Run {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs our `blhost`.
pub fn blhost(args: &[&str]) -> Run {
    run(&bin("blhost"), args)
}

/// Runs SPSDK's `blhost`.
pub fn spsdk_blhost(args: &[&str]) -> Run {
    run(&spsdk3_bin("blhost"), args)
}

/// The devsim boot report in `state/boot.json` once it covers at least `resets_at_least`
/// resets (devsim writes it after every boot check); panics after 10 s without one.
pub fn boot_report(state: &Path, resets_at_least: u64) -> serde_json::Value {
    let t0 = Instant::now();
    loop {
        if let Ok(t) = std::fs::read_to_string(state.join("boot.json")) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) {
                if v["resets"].as_u64().unwrap_or(0) >= resets_at_least {
                    return v;
                }
            }
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "no boot report");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs our `sbgen` (built next to the test binary).
pub fn sbgen(args: &[&str]) -> Run {
    run(&bin("sbgen"), args)
}

/// Runs a program of the SPSDK 3.12 venv (`nxpimage`, `nxpcrypto`, ...).
pub fn spsdk3_tool(tool: &str, args: &[&str]) -> Run {
    let p = spsdk3_bin(tool);
    assert!(
        p.exists(),
        "{} is missing: run `cargo xtask setup`",
        p.display()
    );
    run(&p, args)
}

/// Runs SPSDK 3.12's `nxpimage`.
pub fn nxpimage(args: &[&str]) -> Run {
    spsdk3_tool("nxpimage", args)
}

/// A path as a command-line argument (test paths are UTF-8).
pub fn path_arg(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// Asserts that `r` exited 0, showing its output otherwise.
pub fn ok(r: &Run, what: &str) {
    assert_eq!(r.code, 0, "{what}: {}{}", r.stdout, r.stderr);
}
