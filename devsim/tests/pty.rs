//! The `devsim` binary: CLI contract, pty serving with provkit's SerialStream, state.

mod common;

use common::{Devsim, TempDir, pattern};
use provkit::mboot::{
    Command, McuBoot, NoProgress, PropertyTag, SessionOptions, StatusCode, UartLink, UartOptions,
};
use provkit::transport::serial::SerialStream;
use std::process::Command as Process;

fn devsim(args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_devsim"))
        .args(args)
        .output()
        .unwrap()
}

fn open(link: &std::path::Path) -> McuBoot<UartLink<SerialStream>> {
    let stream = SerialStream::open(link.to_str().unwrap(), 115_200).unwrap();
    McuBoot::new(
        UartLink::new(stream, UartOptions::default()),
        SessionOptions::default(),
    )
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let dir = TempDir::new("usage");
    let link = dir.path().join("port");
    let out = devsim(&[
        "mcu",
        "--family",
        "nosuchchip",
        "--link",
        link.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--family") && err.contains("lpc55s69"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let out = devsim(&[
        "mcu",
        "--family",
        "lpc55s69",
        "--link",
        link.to_str().unwrap(),
        "--faults",
        "corrupt=7",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--faults"), "{err}");
    let out = devsim(&["mcu", "--family", "lpc55s69"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!link.exists());
}

#[test]
fn link_into_a_missing_directory_exits_3() {
    let out = devsim(&[
        "mcu",
        "--family",
        "lpc55s69",
        "--link",
        "/nonexistent-dir/devsim/port",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn families_lists_text_and_json() {
    let out = devsim(&["families"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for name in ["lpc55s69", "lpc55s36", "mcxn947", "rw612", "mimxrt595s"] {
        assert!(text.contains(name), "{text}");
    }
    let out = devsim(&["families", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert_eq!(v[0]["name"], "lpc55s69");
    assert_eq!(v[0]["usb"], "0x1FC9:0x0021");
}

#[test]
fn serves_provkit_over_the_pty_across_reopens_and_stops_on_sigterm() {
    let dir = TempDir::new("pty");
    let link = dir.path().join("port");
    let mut sim = Devsim::start("LPC55S69", &link, &["--time-scale", "0"]);
    assert_eq!(sim.family, "lpc55s69");
    assert!(sim.port.starts_with("/dev/pts/"), "{}", sim.port);
    assert_eq!(
        std::fs::read_link(&link).unwrap().to_str().unwrap(),
        sim.port
    );
    {
        let mut mb = open(&link);
        assert_eq!(
            mb.get_property(PropertyTag::CURRENT_VERSION, 0).unwrap(),
            vec![0x4B03_0000]
        );
        let data = pattern(16 * 1024, 5);
        let w = Command::WriteMemory {
            address: 0x2000_2000,
            byte_count: data.len() as u32,
            memory_id: 0,
        };
        assert_eq!(
            mb.write_data(&w, &data, &mut NoProgress).unwrap().status(),
            StatusCode::SUCCESS
        );
        let r = Command::ReadMemory {
            address: 0x2000_2000,
            byte_count: data.len() as u32,
            memory_id: 0,
        };
        assert!(mb.read_data(&r, &mut NoProgress).unwrap().data == data);
    }
    // A second session on the same pty (the host closed and reopens the port).
    for _ in 0..2 {
        let mut mb = open(&link);
        assert_eq!(
            mb.get_property(PropertyTag::MAX_PACKET_SIZE, 0).unwrap(),
            vec![512]
        );
    }
    assert_eq!(sim.terminate(), Some(0));
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "the link is removed on exit"
    );
}

#[test]
fn paced_line_and_max_packet_option() {
    let dir = TempDir::new("baud");
    let link = dir.path().join("port");
    let _sim = Devsim::start(
        "mcxn947",
        &link,
        &[
            "--time-scale",
            "0",
            "--baud",
            "1000000",
            "--max-packet",
            "256",
        ],
    );
    let mut mb = open(&link);
    assert_eq!(
        mb.get_property(PropertyTag::MAX_PACKET_SIZE, 0).unwrap(),
        vec![256]
    );
    let data = pattern(10_000, 6);
    let t0 = std::time::Instant::now();
    let w = Command::WriteMemory {
        address: 0x2001_0000,
        byte_count: data.len() as u32,
        memory_id: 0,
    };
    assert_eq!(
        mb.write_data(&w, &data, &mut NoProgress).unwrap().status(),
        StatusCode::SUCCESS
    );
    // 10 000 bytes at 1 MBd take at least 100 ms on the wire.
    assert!(
        t0.elapsed() >= std::time::Duration::from_millis(100),
        "{:?}",
        t0.elapsed()
    );
}

#[test]
fn state_is_saved_on_exit_and_loaded_at_start() {
    let dir = TempDir::new("state");
    let link = dir.path().join("port");
    let state = dir.path().join("state");
    let st = state.to_str().unwrap();
    let img = pattern(1000, 7);
    {
        let mut sim = Devsim::start("lpc55s36", &link, &["--time-scale", "0", "--state", st]);
        let mut mb = open(&link);
        let w = Command::WriteMemory {
            address: 0x6000,
            byte_count: img.len() as u32,
            memory_id: 0,
        };
        assert_eq!(
            mb.write_data(&w, &img, &mut NoProgress).unwrap().status(),
            StatusCode::SUCCESS
        );
        let fuse = Command::FlashProgramOnce {
            index: 8,
            byte_count: 4,
            data: vec![0xAB],
        };
        assert_eq!(mb.command(&fuse).unwrap().status(), StatusCode::SUCCESS);
        drop(mb);
        assert_eq!(sim.terminate(), Some(0));
    }
    for f in [
        "state.json",
        "flash.bin",
        "pfr.bin",
        "flexspi.bin",
        "fuses.json",
    ] {
        assert!(state.join(f).exists(), "{f} missing");
    }
    let mut sim = Devsim::start("lpc55s36", &link, &["--time-scale", "0", "--state", st]);
    let mut mb = open(&link);
    let r = Command::ReadMemory {
        address: 0x6000,
        byte_count: img.len() as u32,
        memory_id: 0,
    };
    assert!(mb.read_data(&r, &mut NoProgress).unwrap().data == img);
    match mb
        .command(&Command::FlashReadOnce {
            index: 8,
            byte_count: 4,
        })
        .unwrap()
    {
        provkit::mboot::command::Response::FlashReadOnce { data, .. } => {
            assert_eq!(data, vec![0xAB])
        }
        other => panic!("{other:?}"),
    }
    drop(mb);
    assert_eq!(sim.terminate(), Some(0));
    // State of another family is refused as an input error.
    let out = devsim(&[
        "mcu",
        "--family",
        "lpc55s69",
        "--link",
        link.to_str().unwrap(),
        "--state",
        st,
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
