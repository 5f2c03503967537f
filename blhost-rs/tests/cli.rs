//! The real `blhost` binary: help, version, usage errors, exit codes, and a session
//! against `devsim` on a pty.

use std::process::{Command, Output, Stdio};

fn blhost() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_blhost"));
    c.env_remove("BLHOST_PORT").env_remove("RUST_LOG");
    c
}

fn run(args: &[&str]) -> Output {
    blhost()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run blhost")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[track_caller]
fn assert_one_line_error(out: &Output, code: i32, contains: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr:?}");
    assert!(stderr.starts_with("blhost: "), "{stderr}");
    assert!(
        stderr.contains(contains),
        "{stderr:?} should mention {contains:?}"
    );
}

#[test]
fn help_lists_the_spsdk_commands_and_exits_0() {
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for cmd in [
        "batch",
        "call",
        "configure-memory",
        "efuse-program-once",
        "efuse-read-once",
        "ele-message",
        "execute",
        "fill-memory",
        "flash-erase-all",
        "flash-erase-all-unsecure",
        "flash-erase-region",
        "flash-image",
        "flash-program-once",
        "flash-read-once",
        "flash-read-resource",
        "flash-security-disable",
        "fuse-program",
        "fuse-read",
        "generate-key-blob",
        "get-families",
        "get-property",
        "list-memory",
        "load-image",
        "program-aeskey",
        "read-memory",
        "receive-sb-file",
        "reliable-update",
        "reset",
        "set-property",
        "update-life-cycle",
        "write-memory",
        "key-provisioning",
        "trust-provisioning",
        "completions",
    ] {
        assert!(help.contains(cmd), "help lacks {cmd}");
    }
    for opt in [
        "--port",
        "--usb",
        "--timeout",
        "--json",
        "--silent",
        "--verbose",
        "--version",
    ] {
        assert!(help.contains(opt), "help lacks {opt}");
    }
    // No arguments at all: help, exit 0 (as click).
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Usage"));
}

#[test]
fn subcommand_help_with_hexdump_short_flag() {
    let out = run(&["read-memory", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let help = text(&out.stdout);
    assert!(
        help.contains("--use-hexdump") && help.contains("-h"),
        "{help}"
    );
    assert!(help.contains("MEMORY_ID"), "{help}");
    let out = run(&["trust-provisioning", "--help"]);
    assert!(text(&out.stdout).contains("dsc_hsm_enc_sign"));
}

#[test]
fn version() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("blhost, version {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["-p", "/dev/null", "no-such-command"][..],
        &["-p", "/dev/null", "read-memory", "zz", "4"],
        &["-p", "/dev/null", "read-memory", "0x0"],
        &["-p", "/dev/null", "fill-memory", "0", "4", "1", "dword"],
        &["-p", "/dev/null", "flash-read-once", "0", "5"],
        &[
            "-p",
            "/dev/null",
            "key-provisioning",
            "set-user-key",
            "3",
            "k",
        ],
        &["get-property", "1", "-j"],
        &["-p", "a", "-u", "b", "reset"],
        &["-p", "/dev/null", "write-memory", "0x0x", "{{00}}"],
    ] {
        let out = run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn missing_interface_is_exit_1_like_spsdk() {
    let out = run(&["get-property", "1"]);
    assert_one_line_error(&out, 1, "--port");
    assert!(out.stdout.is_empty());
}

#[test]
fn nonexistent_port_is_exit_2_with_one_line() {
    let out = run(&["-p", "/dev/does-not-exist-blhost", "get-property", "1"]);
    assert_one_line_error(&out, 2, "/dev/does-not-exist-blhost");
    // The environment variable fallback goes the same way.
    let out = blhost()
        .env("BLHOST_PORT", "/dev/does-not-exist-blhost,115200")
        .args(["get-property", "1"])
        .output()
        .unwrap();
    assert_one_line_error(&out, 2, "/dev/does-not-exist-blhost");
}

#[test]
fn input_errors_exit_2_before_touching_the_port() {
    // The port does not exist: these must fail on their input first.
    let port = "/dev/does-not-exist-blhost";
    for (args, what) in [
        (
            vec!["-p", port, "write-memory", "0", "{{123}}"],
            "odd number",
        ),
        (
            vec!["-p", port, "write-memory", "0", "/nonexistent/in.bin"],
            "/nonexistent/in.bin",
        ),
        (
            vec!["-p", port, "receive-sb-file", "/nonexistent/x.sb3"],
            "/nonexistent/x.sb3",
        ),
        (
            vec!["-p", port, "flash-security-disable", "0102"],
            "8 bytes",
        ),
        (
            vec!["-p", port, "fill-memory", "0", "4", "0x1FF", "byte"],
            "byte",
        ),
        (
            vec!["-p", port, "flash-read-resource", "0", "3", "0"],
            "aligned",
        ),
        (
            vec!["-p", port, "get-property", "1", "-f", "nosuchchip"],
            "family",
        ),
        (
            vec!["-p", port, "flash-image", "/nonexistent/a.hex"],
            "/nonexistent/a.hex",
        ),
        (
            vec![
                "-p",
                port,
                "trust-provisioning",
                "hsm_gen_key",
                "NOPE",
                "0",
                "1",
                "2",
                "3",
                "4",
            ],
            "NOPE",
        ),
    ] {
        let out = run(&args);
        assert_one_line_error(&out, 2, what);
    }
}

#[cfg(not(feature = "usb"))]
#[test]
fn usb_without_the_feature_is_a_clear_error() {
    let out = run(&["-u", "0x1fc9,0x0021", "get-property", "1"]);
    assert_one_line_error(&out, 2, "--features usb");
}

#[cfg(feature = "usb")]
#[test]
fn usb_without_a_device_is_a_clear_error() {
    // No NXP ROM is attached to a CI machine: the lookup fails with one line, exit 2.
    let out = run(&["-u", "0x1fc9,0x0021", "get-property", "1"]);
    assert_one_line_error(&out, 2, "0x1FC9:0x0021");
}

#[test]
fn no_device_commands() {
    let out = run(&["get-families"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("Missing option '-c'/'--cmd-name'"));
    let out = run(&["get-families", "-c", "get-property"]);
    assert!(text(&out.stdout).contains("kw45b41z8"));
    let out = run(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("blhost"));
}

#[test]
fn broken_pipe_exits_quietly() {
    let mut child = blhost()
        .args(["completions", "zsh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// A `devsim mcu` process serving a pty; stopped (SIGTERM via `kill`, by PID) on drop.
struct DevSimProcess {
    child: std::process::Child,
    link: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl DevSimProcess {
    /// Starts `<target>/debug/devsim mcu --family FAMILY --link <tmp>/port` and waits for
    /// its ready line.
    fn start(family: &str) -> DevSimProcess {
        use std::io::BufRead;
        // This test runs as target/debug/deps/cli-*; devsim is target/debug/devsim.
        let exe = std::env::current_exe().expect("current_exe");
        let devsim = exe
            .parent()
            .and_then(|deps| deps.parent())
            .map(|dir| dir.join("devsim"))
            .expect("target dir");
        assert!(
            devsim.exists(),
            "{} is missing: run `cargo build --workspace` first",
            devsim.display()
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let link = dir.path().join("port");
        let mut child = Command::new(&devsim)
            .args(["mcu", "--family", family, "--link"])
            .arg(&link)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn devsim");
        let stdout = child.stdout.take().expect("devsim stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("devsim ready line");
        assert!(line.contains("\"event\":\"ready\""), "devsim: {line}");
        DevSimProcess {
            child,
            link,
            _dir: dir,
        }
    }

    fn port(&self) -> String {
        format!("{},115200", self.link.display())
    }
}

impl Drop for DevSimProcess {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let t0 = std::time::Instant::now();
        while t0.elapsed() < std::time::Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn session_against_devsim_on_a_pty() {
    let sim = DevSimProcess::start("lpc55s69");
    let port = sim.port();
    let out = run(&["-p", &port, "get-property", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Response status = 0 (0x0) Success.\nResponse word 1 = 1258487808 (0x4b030000)\nCurrent Version = K3.0.0\n"
    );
    // The SEC tool's form: `--` between the global options and the command.
    let out = run(&["-p", &port, "-j", "--", "get-property", "1", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"command\": \"get-property\""));
    // write, read back through a file
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("r.bin");
    let out = run(&["-p", &port, "write-memory", "0x20010000", "[[CAFEF00D]]"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&[
        "-p",
        &port,
        "read-memory",
        "0x20010000",
        "4",
        dst.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&dst).unwrap(), [0xCA, 0xFE, 0xF0, 0x0D]);
    // A failing status: stdout has SPSDK's block, stderr one line, exit 1.
    let out = run(&["-p", &port, "get-property", "99"]);
    assert_eq!(
        text(&out.stdout),
        "Response status = 10300 (0x283c) Unknown Property.\n"
    );
    assert_one_line_error(&out, 1, "kStatus_UnknownProperty (10300)");
    // batch from stdin
    let mut child = blhost()
        .args(["-p", &port, "batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"get-property 11 # max packet\nreset\n")
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Response status = 0 (0x0) Success.\nResponse word 1 = 512 (0x200)\nMax Packet Size = 512 B\nResponse status = 0 (0x0) Success.\n"
    );
}
