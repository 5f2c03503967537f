//! SPSDK's own `blhost` (the reference host) against the `devsim` binary over a pty.
//! Needs `PROVKIT_SPSDK3` (set by `cargo xtask test`); without it these tests fail.

mod common;

use common::{Devsim, TempDir, pattern};
use std::path::PathBuf;
use std::process::{Command, Output};

fn blhost() -> PathBuf {
    let root = std::env::var_os("PROVKIT_SPSDK3").unwrap_or_else(|| {
        panic!(
            "PROVKIT_SPSDK3 is not set: run the tests via `cargo xtask test`, or set \
             PROVKIT_SPSDK3=~/.cache/provkit/spsdk3 (the SPSDK 3.12 venv made by `cargo xtask setup`)"
        )
    });
    let exe = PathBuf::from(root).join("bin").join("blhost");
    assert!(
        exe.exists(),
        "{} does not exist: run `cargo xtask setup`",
        exe.display()
    );
    exe
}

fn run(exe: &PathBuf, link: &std::path::Path, args: &[&str]) -> Output {
    let port = format!("{},115200", link.display());
    Command::new(exe)
        .arg("-p")
        .arg(&port)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn spsdk_blhost_get_property_1() {
    let exe = blhost();
    let dir = TempDir::new("spsdk");
    let link = dir.path().join("port");
    let _sim = Devsim::start("lpc55s69", &link, &["--time-scale", "0"]);
    let o = run(&exe, &link, &["get-property", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("Current Version = K3.0.0"),
        "{}",
        text(&o)
    );
}

#[test]
fn spsdk_blhost_write_read_and_errors() {
    let exe = blhost();
    let dir = TempDir::new("spsdk-rw");
    let link = dir.path().join("port");
    let _sim = Devsim::start("lpc55s36", &link, &["--time-scale", "0"]);
    let img = pattern(3000, 11);
    let inp = dir.path().join("in.bin");
    let outp = dir.path().join("out.bin");
    std::fs::write(&inp, &img).unwrap();
    let o = run(
        &exe,
        &link,
        &["write-memory", "0x20010000", inp.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(
        &exe,
        &link,
        &["read-memory", "0x20010000", "3000", outp.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(std::fs::read(&outp).unwrap() == img);
    // fill + configure-memory + property 25 (list-memory), as the SEC tool does.
    let o = run(
        &exe,
        &link,
        &["fill-memory", "0x20009000", "4", "0xC0403006"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&exe, &link, &["configure-memory", "9", "0x20009000"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&exe, &link, &["get-property", "25", "9"]);
    assert!(
        text(&o).contains("Start Address: 0x08000000"),
        "{}",
        text(&o)
    );
    // A device status error: exit code 1 and the status text.
    let o = run(&exe, &link, &["flash-erase-region", "0x1", "0x200"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("101 (0x65)"), "{}", text(&o));
    let o = run(&exe, &link, &["efuse-program-once", "8", "0000000F"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&exe, &link, &["efuse-read-once", "8"]);
    assert!(text(&o).contains("0xf"), "{}", text(&o));
}
