//! `blhost_rs::run` against devsim's in-memory ROM simulator: every subcommand's happy
//! path and a failing status, with the device state checked through the simulator.

use blhost_rs::cli::Cli;
use blhost_rs::{Failure, run};
use devsim::inmem::{SimHandle, SimOptions, spawn_uart};
use devsim::rom::Rom;
use provkit::mboot::StatusCode;
use provkit::mboot::link::{DataAck, Incoming, Link, LinkError, UartLink, UartOptions};
use provkit::transport::memory::MemStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One UART link shared by several `run` calls (each call pings it once).
#[derive(Clone)]
struct Shared(Arc<Mutex<UartLink<MemStream>>>);

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, UartLink<MemStream>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Link for Shared {
    fn open(&mut self) -> Result<(), LinkError> {
        self.lock().open()
    }
    fn send_command(&mut self, packet: &[u8], timeout: Duration) -> Result<(), LinkError> {
        self.lock().send_command(packet, timeout)
    }
    fn send_data(&mut self, chunk: &[u8], timeout: Duration) -> Result<DataAck, LinkError> {
        self.lock().send_data(chunk, timeout)
    }
    fn receive(&mut self, timeout: Duration) -> Result<Incoming, LinkError> {
        self.lock().receive(timeout)
    }
    fn abort_data(&mut self) -> Result<(), LinkError> {
        self.lock().abort_data()
    }
    fn describe(&self) -> String {
        "devsim".into()
    }
}

/// A simulated device, a scratch directory, and `blhost` invocations against both.
struct Dev {
    link: Shared,
    sim: SimHandle,
    dir: tempfile::TempDir,
}

/// What one invocation printed and how it ended.
struct Out {
    stdout: String,
    result: Result<(), Failure>,
}

impl Out {
    #[track_caller]
    fn ok(&self) -> &str {
        if let Err(e) = &self.result {
            panic!(
                "expected success, got {e} (exit {}); stdout:\n{}",
                e.exit_code(),
                self.stdout
            );
        }
        &self.stdout
    }

    #[track_caller]
    fn status(&self, code: u32) -> &str {
        match &self.result {
            Err(Failure::Status { status, .. }) if status.0 == code => &self.stdout,
            other => panic!(
                "expected status {code}, got {other:?}; stdout:\n{}",
                self.stdout
            ),
        }
    }

    #[track_caller]
    fn exit(&self, code: u8) -> &str {
        match &self.result {
            Err(e) if e.exit_code() == code => &self.stdout,
            other => panic!(
                "expected exit {code}, got {other:?}; stdout:\n{}",
                self.stdout
            ),
        }
    }
}

const SUCCESS: &str = "Response status = 0 (0x0) Success.\n";

impl Dev {
    fn new(family: &str) -> Dev {
        let (stream, sim) = spawn_uart(family, SimOptions::default()).expect("simulator");
        let link = UartLink::new(stream, UartOptions::default());
        Dev {
            link: Shared(Arc::new(Mutex::new(link))),
            sim,
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn file(&self, name: &str, data: &[u8]) -> String {
        let p = self.path(name);
        std::fs::write(&p, data).expect("write test file");
        p.display().to_string()
    }

    fn run(&self, args: &[&str]) -> Out {
        let mut argv = vec!["blhost", "-p", "devsim"];
        argv.extend_from_slice(args);
        let cli = blhost_rs::cli::parse(argv).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let link = self.link.clone();
        let connect =
            move |_: &Cli| -> Result<Box<dyn Link>, Failure> { Ok(Box::new(link.clone())) };
        let mut buf = Vec::new();
        let result = run(cli, &mut buf, &connect);
        Out {
            stdout: String::from_utf8(buf).expect("utf-8 stdout"),
            result,
        }
    }

    fn rom<T>(&self, f: impl FnOnce(&mut Rom) -> T) -> T {
        self.sim.with_rom(f)
    }
}

fn status_line(code: u32) -> String {
    format!("Response status = {}\n", StatusCode(code).spsdk_text())
}

// ----- properties -------------------------------------------------------------------

#[test]
fn get_property_text_and_json_match_spsdk() {
    let d = Dev::new("lpc55s69");
    assert_eq!(
        d.run(&["get-property", "1"]).ok(),
        "Response status = 0 (0x0) Success.\nResponse word 1 = 1258487808 (0x4b030000)\nCurrent Version = K3.0.0\n"
    );
    assert_eq!(
        d.run(&["-j", "get-property", "current-version", "0"]).ok(),
        "{\n   \"command\": \"get-property\",\n   \"response\": [\n      1258487808\n   ],\n   \"status\": {\n      \"description\": \"0 (0x0) Success.\",\n      \"value\": 0\n   }\n}\n"
    );
    assert!(
        d.run(&["get-property", "max-packet-size"])
            .ok()
            .ends_with("Max Packet Size = 512 B\n")
    );
    assert!(
        d.run(&["get-property", "unique-device-id"])
            .ok()
            .contains("0c1023417b563a50")
    );
    let out = d.run(&["-s", "get-property", "1"]);
    assert_eq!(out.ok(), "");
}

#[test]
fn get_property_unknown_fails_with_status_block() {
    let d = Dev::new("lpc55s69");
    let out = d.run(&["get-property", "99"]);
    assert_eq!(
        out.status(10300),
        "Response status = 10300 (0x283c) Unknown Property.\n"
    );
    let out = d.run(&["-j", "get-property", "no-such-name"]);
    assert!(out.status(10300).contains("\"response\": [],"));
    // 0 / list-properties prints the help, without asking the device.
    let out = d.run(&["get-property", "list-properties"]);
    assert!(out.ok().contains("PROPERTY_TAG"));
}

#[test]
fn get_property_with_family_and_external_memory_attributes() {
    let d = Dev::new("lpc55s36");
    // Memory 9 is not configured yet: SPSDK's 10205.
    d.run(&["get-property", "25", "9"]).status(10205);
    // A family with its own numbering: the name resolves to its tag.
    let out = d.run(&["get-property", "life-cycle", "-f", "mimxrt798s"]);
    assert_eq!(
        out.ok().lines().last(),
        Some("Life Cycle State = development life cycle")
    );
}

#[test]
fn set_property() {
    let d = Dev::new("lpc55s69");
    assert!(d.rom(|r| r.verify_writes()));
    assert_eq!(d.run(&["set-property", "verify-writes", "0"]).ok(), SUCCESS);
    assert!(!d.rom(|r| r.verify_writes()));
    d.run(&["set-property", "1", "5"]).status(10301);
}

#[test]
fn list_memory() {
    let d = Dev::new("lpc55s69");
    let text = d.run(&["list-memory"]).ok().to_string();
    assert!(text.starts_with(
        "Internal Flash:\n    Region 0: 0x00000000 - 0x0009DDFF; Total Size: 631.5 kiB Sector size: 32.0 kiB\nInternal RAM:\n    Region 0: 0x20000000 - 0x2003FFFF; Total Size: 256.0 kiB\nExternal Memories:\n"
    ), "{text}");
}

// ----- memory -------------------------------------------------------------------------

#[test]
fn write_then_read_memory() {
    let d = Dev::new("lpc55s69");
    assert_eq!(
        d.run(&["write-memory", "0x20010000", "{{11 22 33 44 55 66 77 88}}"])
            .ok(),
        format!("{SUCCESS}Response word 1 = 8 (0x8)\n")
    );
    assert_eq!(
        d.rom(|r| r.peek(0x2001_0000, 4)),
        Some(vec![0x11, 0x22, 0x33, 0x44])
    );
    assert_eq!(
        d.run(&["read-memory", "0x20010000", "8"]).ok(),
        format!(
            "11 22 33 44 55 66 77 88\n{SUCCESS}Response word 1 = 8 (0x8)\nRead 8 of 8 bytes.\n"
        )
    );
    // hexdump, and FILE `-` with a memory ID after it
    let out = d.run(&["read-memory", "0x20010000", "4", "-", "0", "-h"]);
    assert!(
        out.ok().starts_with("00000000: 11 22 33 44"),
        "{}",
        out.stdout
    );
    // to a file
    let dst = d.path("out.bin").display().to_string();
    let out = d.run(&["read-memory", "0x20010000", "8", &dst]);
    assert_eq!(
        out.ok(),
        format!("{SUCCESS}Response word 1 = 8 (0x8)\nRead 8 of 8 bytes.\n")
    );
    assert_eq!(
        std::fs::read(&dst).unwrap(),
        [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]
    );
    // FILE,BYTE_COUNT sends the first BYTE_COUNT bytes; a large write goes in chunks.
    let big: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    let src = d.file("big.bin", &big);
    let arg = format!("{src},4100");
    assert!(
        d.run(&["write-memory", "0x20020000", &arg])
            .ok()
            .ends_with("Response word 1 = 4100 (0x1004)\n")
    );
    assert_eq!(
        d.rom(|r| r.peek(0x2002_0000, 4100)),
        Some(big[..4100].to_vec())
    );
    // JSON prints the data first, then the document
    let out = d.run(&["-j", "read-memory", "0x20010000", "2"]);
    assert!(
        out.ok()
            .starts_with("11 22\n{\n   \"command\": \"read-memory\","),
        "{}",
        out.stdout
    );
    // silent: the data, no status
    assert_eq!(
        d.run(&["-s", "read-memory", "0x20010000", "2"]).ok(),
        "11 22\n"
    );
}

#[test]
fn memory_failures_report_the_status() {
    let d = Dev::new("lpc55s69");
    let out = d.run(&["read-memory", "0x50000000", "16"]);
    let text = out.exit(1);
    assert!(
        text.ends_with("Response word 1 = 0 (0x0)\nRead 0 of 16 bytes.\n"),
        "{text}"
    );
    assert!(text.starts_with("Response status = 102"), "{text}");
    let out = d.run(&["write-memory", "0x50000000", "{{00}}"]);
    assert!(!out.exit(1).contains("Response word"));
    // memory IDs are sent unchanged: 9 does not exist on this chip (SPSDK would send 0).
    d.run(&["write-memory", "0x20010000", "{{00}}", "9"])
        .status(4);
}

#[test]
fn fill_memory_replicates_byte_and_short_patterns() {
    let d = Dev::new("lpc55s36");
    assert_eq!(
        d.run(&["fill-memory", "0x20010000", "8", "0xAB", "byte"])
            .ok(),
        SUCCESS
    );
    assert_eq!(d.rom(|r| r.peek(0x2001_0000, 8)), Some(vec![0xAB; 8]));
    assert_eq!(
        d.run(&["fill-memory", "0x20010000", "4", "0x1234", "SHORT"])
            .ok(),
        SUCCESS
    );
    assert_eq!(
        d.rom(|r| r.peek(0x2001_0000, 4)),
        Some(vec![0x34, 0x12, 0x34, 0x12])
    );
    assert_eq!(
        d.run(&["fill-memory", "0x20010000", "4", "0xC0403006"])
            .ok(),
        SUCCESS
    );
    assert_eq!(
        d.rom(|r| r.peek(0x2001_0000, 4)),
        Some(vec![0x06, 0x30, 0x40, 0xC0])
    );
    // LPC55S6x has no FillMemory
    let d = Dev::new("lpc55s69");
    assert_eq!(
        d.run(&["fill-memory", "0x20010000", "4", "1"])
            .status(10000),
        "Response status = 10000 (0x2710) Unknown Command.\n"
    );
}

#[test]
fn flash_erase_and_flash_image() {
    let d = Dev::new("lpc55s69");
    assert_eq!(d.run(&["flash-erase-all"]).ok(), SUCCESS);
    assert_eq!(d.run(&["flash-erase-region", "0x0", "0x200"]).ok(), SUCCESS);
    d.run(&["flash-erase-region", "0x1", "0x200"]).exit(1);
    d.run(&["flash-erase-all-unsecure"]).status(10000);
    // An Intel HEX image of two segments, erased first: one status block per segment.
    let mut image = provkit::image::Image::new();
    image.add_segment(0x1000, &[0x5A; 600], "a").unwrap();
    image.add_segment(0x4000, &[0xA5; 16], "b").unwrap();
    let hex = provkit::image::write_ihex(&image, &provkit::image::IhexOptions::default()).unwrap();
    let f = d.file("app.hex", hex.as_bytes());
    assert_eq!(
        d.run(&["flash-image", &f, "erase"]).ok(),
        format!("{SUCCESS}{SUCCESS}")
    );
    assert_eq!(d.rom(|r| r.peek(0x1000, 600)), Some(vec![0x5A; 600]));
    assert_eq!(d.rom(|r| r.peek(0x4000, 16)), Some(vec![0xA5; 16]));
    // A raw binary at a base offset (the flash there is still erased).
    let f = d.file("app.bin", &[0x11; 512]);
    assert_eq!(
        d.run(&["flash-image", &f, "none", "-o", "0x8000"]).ok(),
        SUCCESS
    );
    assert_eq!(d.rom(|r| r.peek(0x8000, 512)), Some(vec![0x11; 512]));
    // Programming flash that is not erased fails.
    let out = d.run(&["-j", "flash-image", &f, "none", "-o", "0x8000"]);
    assert!(out.exit(1).contains("\"command\": \"flash-image\""));
}

#[test]
fn flash_read_resource_security_fuses_unsupported() {
    let d = Dev::new("lpc55s69");
    let out = d.run(&["flash-read-resource", "0", "8", "1"]);
    assert_eq!(
        out.status(10000),
        "Response status = 10000 (0x2710) Unknown Command.\nResponse word 1 = 0 (0x0)\nRead 0 of 8 bytes.\n"
    );
    d.run(&["flash-security-disable", "0102030405060708"])
        .status(10000);
    d.run(&["fuse-program", "0", "{{01020304}}"]).status(10000);
    d.run(&["fuse-read", "0", "4"]).status(10000);
    d.run(&[
        "generate-key-blob",
        &d.file("dek.bin", &[0; 16]),
        &d.path("blob.bin").display().to_string(),
    ])
    .status(10000);
    d.run(&["reliable-update", "0x1000"]).status(10000);
    d.run(&["update-life-cycle", "2"]).status(10000);
    d.run(&["ele-message", "0x20000000", "4", "0x20000100", "4"])
        .status(10000);
    d.run(&["call", "0x20000001", "0"]).status(10000);
}

#[test]
fn otp_words() {
    let d = Dev::new("lpc55s36");
    let out = d.run(&["efuse-program-once", "2", "0x5", "--verify"]);
    assert_eq!(out.ok(), format!("{SUCCESS}Response word 1 = True (0x1)\n"));
    assert_eq!(d.rom(|r| r.fuse(2)), Some((5, false)));
    assert_eq!(
        d.run(&["efuse-read-once", "2"]).ok(),
        format!("{SUCCESS}Response word 1 = 4 (0x4)\nResponse word 2 = 5 (0x5)\n")
    );
    assert_eq!(
        d.run(&["efuse-program-once", "3", "A0", "lock"]).ok(),
        format!("{SUCCESS}Response word 1 = True (0x1)\n")
    );
    assert_eq!(d.rom(|r| r.fuse(3)), Some((0xA0, true)));
    // A locked word does not take more bits: the read-back check reports OTP_VerifyFail.
    let out = d.run(&["efuse-program-once", "3", "0F", "-v"]);
    assert!(
        matches!(
            &out.result,
            Err(Failure::Status { status, .. }) if status.0 != 0
        ),
        "{:?}",
        out.result
    );
    // flash-read-once / flash-program-once
    assert_eq!(
        d.run(&["flash-program-once", "4", "4", "0x01020304", "MSB"])
            .ok(),
        SUCCESS
    );
    assert_eq!(d.rom(|r| r.fuse(4)), Some((0x0403_0201, false)));
    let out = d.run(&["-j", "flash-read-once", "4", "4"]);
    assert!(
        out.ok()
            .contains("\"response\": [\n      4,\n      67305985\n   ],"),
        "{}",
        out.stdout
    );
    d.run(&["efuse-read-once", "5000"]).exit(1);
}

#[test]
fn flexspi_configure_memory_and_memory_id_9() {
    let d = Dev::new("lpc55s36");
    assert_eq!(
        d.run(&["fill-memory", "0x20008000", "4", "0xC0000007"])
            .ok(),
        SUCCESS
    );
    assert_eq!(
        d.run(&["configure-memory", "9", "0x20008000"]).ok(),
        SUCCESS
    );
    assert!(d.rom(|r| r.flexspi()).is_some());
    let out = d.run(&["get-property", "external-memory-attributes", "9"]);
    assert!(
        out.ok().contains("Start Address: 0x08000000"),
        "{}",
        out.stdout
    );
    // memory ID 9 goes to the ROM as 9
    assert_eq!(
        d.run(&["flash-erase-region", "0x08000000", "0x1000", "9"])
            .ok(),
        SUCCESS
    );
    assert!(
        d.run(&["write-memory", "0x08000000", "{{DEADBEEF}}", "9"])
            .ok()
            .ends_with("(0x4)\n")
    );
    assert_eq!(
        d.rom(|r| r.peek(0x0800_0000, 4)),
        Some(vec![0xDE, 0xAD, 0xBE, 0xEF])
    );
    let text = d.run(&["list-memory"]).ok().to_string();
    assert!(
        text.contains("FLEX-SPI-NOR:\n  Start Address = 0x08000000  Total Size = 16.0 MiB"),
        "{text}"
    );
    d.run(&["configure-memory", "9", "0x50000000"]).exit(1);
}

// ----- boot, SB, reset --------------------------------------------------------------

#[test]
fn reset_execute_and_sb_file() {
    let d = Dev::new("lpc55s69");
    assert_eq!(d.run(&["reset"]).ok(), SUCCESS);
    // The next command pings again after the reset and works.
    assert!(d.run(&["get-property", "1"]).ok().starts_with(SUCCESS));
    assert_eq!(d.run(&["reset", "-rp", "1"]).ok(), SUCCESS);
    assert!(d.rom(|r| r.resets()) >= 1);
    let sb = d.file("bad.sb2", &[0x42; 256]);
    let out = d.run(&["receive-sb-file", &sb, "--check-errors"]);
    assert!(
        out.exit(1).starts_with("Response status = "),
        "{}",
        out.stdout
    );
    let img = d.file("img.bin", &[0; 64]);
    assert_eq!(d.run(&["load-image", &img]).ok(), SUCCESS);
    d.run(&["execute", "0x50000000", "0", "0"]).exit(1);
    assert_eq!(
        d.run(&["execute", "0x20000000", "0", "0x20001000"]).ok(),
        SUCCESS
    );
}

#[test]
fn program_aeskey_targets_memory_0x200() {
    let d = Dev::new("lpc55s69");
    let key = d.file("aes.bin", &[7; 16]);
    d.run(&["program-aeskey", &key]).status(4);
}

// ----- key store ---------------------------------------------------------------------

#[test]
fn key_provisioning() {
    let d = Dev::new("lpc55s69");
    let key = d.file("sbkek.bin", &[0x33; 32]);
    // Without enrolling the PUF first: kStatus_Fail.
    d.run(&["key-provisioning", "set_user_key", "SBKEK", &key])
        .status(1);
    assert_eq!(d.run(&["key-provisioning", "enroll"]).ok(), SUCCESS);
    assert_eq!(
        d.run(&["key-provisioning", "set_user_key", "sbkek", &key])
            .ok(),
        SUCCESS
    );
    assert!(d.rom(|r| r.sbkek()).is_some());
    let hexkey = "0x".to_string() + &"44".repeat(16);
    assert_eq!(
        d.run(&[
            "key-provisioning",
            "set_user_key",
            "-s",
            "128",
            "11",
            &hexkey
        ])
        .ok(),
        SUCCESS
    );
    assert_eq!(
        d.run(&["key-provisioning", "set_key", "PRINCE0", "16"])
            .ok(),
        SUCCESS
    );
    assert_eq!(
        d.run(&["key-provisioning", "write_key_nonvolatile"]).ok(),
        SUCCESS
    );
    assert_eq!(
        d.run(&["key-provisioning", "read_key_nonvolatile", "0"])
            .ok(),
        SUCCESS
    );
    let store = d.path("ks.bin").display().to_string();
    let out = d.run(&["key-provisioning", "read_key_store", &store]);
    assert_eq!(
        out.ok(),
        format!("{SUCCESS}Response word 1 = 1424 (0x590)\n")
    );
    let ks = std::fs::read(&store).unwrap();
    assert_eq!(ks.len(), 1424);
    assert_eq!(
        d.run(&["key-provisioning", "write_key_store", &store]).ok(),
        SUCCESS
    );
    let out = d.run(&[
        "-j",
        "key-provisioning",
        "write_key_store",
        &format!("{store},16"),
    ]);
    assert!(out.exit(1).contains("\"command\": \"write-key-store\""));
}

// ----- trust provisioning -------------------------------------------------------------

#[test]
fn trust_provisioning_statuses() {
    let d = Dev::new("lpc55s36");
    let tp_unknown = StatusCode::TP_UNKNOWN_COMMAND.0;
    let out = d.run(&[
        "trust-provisioning",
        "prove_genuinity",
        "0x20008000",
        "0x1000",
    ]);
    assert_eq!(out.status(tp_unknown), status_line(tp_unknown));
    let out = d.run(&[
        "-j",
        "trust-provisioning",
        "prove_genuinity",
        "0x20008000",
        "0x1000",
    ]);
    assert!(
        out.status(tp_unknown)
            .contains("\"response\": [\n      null\n   ],"),
        "{}",
        out.stdout
    );
    let out = d.run(&[
        "-j",
        "trust-provisioning",
        "isp_set_wrap_data",
        "0x20008000",
    ]);
    assert!(
        out.status(tp_unknown)
            .contains("\"command\": \"set-wrap-data\"")
    );
    let cases: &[&[&str]] = &[
        &[
            "oem_gen_master_share",
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
        ],
        &["oem_set_master_share", "1", "2", "3", "4"],
        &["oem_get_cust_cert_dice_puk", "1", "2", "3", "4"],
        &["oem_get_cust_dice_response", "1", "2", "3", "4"],
        &["hsm_gen_key", "MFWISK", "0", "1", "2", "3", "4"],
        &["hsm_store_key", "CKDFK", "1", "1", "2", "3", "4"],
        &["hsm_enc_blk", "1", "2", "EXT_SK", "3", "4", "5", "6", "7"],
        &["hsm_enc_sign", "1", "2", "3", "4", "5", "6"],
        &["wpc_get_id", "1", "2"],
        &["nxp_get_id", "1", "2"],
        &["wpc_insert_cert", "1", "2", "3", "4"],
        &["wpc_sign_csr", "1", "2", "3", "4"],
        &["dsc_hsm_create_session", "1", "2", "3", "4"],
        &["dsc_hsm_enc_blk", "1", "2", "3", "4", "5"],
        &["dsc_hsm_enc_sign", "1", "2", "3", "4"],
        &["prove_genuinity_hybrid", "0x20008000", "0x100"],
    ];
    for args in cases {
        let mut a = vec!["trust-provisioning"];
        a.extend_from_slice(args);
        let out = d.run(&a);
        assert!(
            out.status(tp_unknown).starts_with(&status_line(tp_unknown)),
            "{args:?}"
        );
    }
    // EL2GO is not on this ROM at all.
    d.run(&[
        "trust-provisioning",
        "el2go_close_device",
        "0x20008000",
        "-d",
    ])
    .status(10000);
    d.run(&["trust-provisioning", "el2go_get_version"])
        .status(10000);
    d.run(&["trust-provisioning", "el2go_batch_tp", "0x20008000"])
        .status(10000);
    // The device is still fine after all that.
    d.run(&["get-property", "1"]).ok();
}

// ----- batch --------------------------------------------------------------------------

#[test]
fn batch_runs_lines_over_one_session_and_stops_at_a_failure() {
    let d = Dev::new("lpc55s69");
    let f = d.file(
        "cmds.bcf",
        b"get-property 1      # current version\n\n# a comment\nwrite-memory 0x20010000 '{{01 02 03 04}}'\nread-memory 0x20010000 4\n",
    );
    assert_eq!(
        d.run(&["batch", &f]).ok(),
        format!(
            "{SUCCESS}Response word 1 = 1258487808 (0x4b030000)\nCurrent Version = K3.0.0\n{SUCCESS}Response word 1 = 4 (0x4)\n01 02 03 04\n{SUCCESS}Response word 1 = 4 (0x4)\nRead 4 of 4 bytes.\n"
        )
    );
    let out = d.run(&["-j", "batch", &f]);
    assert_eq!(out.ok().matches("\"command\"").count(), 3);
    // The first failing status stops the batch with exit 1.
    let f = d.file("fail.bcf", b"get-property 99\nget-property 1\n");
    assert_eq!(d.run(&["batch", &f]).status(10300), status_line(10300));
    // An unknown command is found before anything runs (exit 2).
    let f = d.file("typo.bcf", b"get-property 1\nget-propertee 1\n");
    let out = d.run(&["batch", &f]);
    assert_eq!(out.exit(2), "");
    assert!(
        out.result
            .unwrap_err()
            .to_string()
            .contains("Unknown command: get-propertee")
    );
    let f = d.file("badarg.bcf", b"read-memory zz 4\n");
    assert_eq!(d.run(&["batch", &f]).exit(2), "");
    d.run(&["batch", "/nonexistent/cmds.bcf"]).exit(2);
}

// ----- connection failures ------------------------------------------------------------

#[test]
fn no_device_is_a_connection_error() {
    let (host, _silent_device) = provkit::transport::memory::pipe();
    let link = Shared(Arc::new(Mutex::new(UartLink::new(
        host,
        UartOptions {
            ping_timeout: Duration::from_millis(20),
            ..UartOptions::default()
        },
    ))));
    let cli =
        blhost_rs::cli::parse(["blhost", "-p", "x", "-t", "50", "get-property", "1"]).unwrap();
    let connect = move |_: &Cli| -> Result<Box<dyn Link>, Failure> { Ok(Box::new(link.clone())) };
    let mut buf = Vec::new();
    let r = run(cli, &mut buf, &connect);
    assert!(buf.is_empty());
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("PING"), "{e}");
}

#[test]
fn commands_need_an_interface_but_helpers_do_not() {
    let cli = blhost_rs::cli::parse(["blhost", "get-families", "-c", "set-property"]).unwrap();
    let connect = |_: &Cli| -> Result<Box<dyn Link>, Failure> { panic!("no device needed") };
    let mut buf = Vec::new();
    run(cli, &mut buf, &connect).unwrap();
    assert!(
        String::from_utf8(buf)
            .unwrap()
            .starts_with("Shown families for command 'set-property':")
    );
}

// ----- USB-HID ------------------------------------------------------------------------

#[test]
fn usb_hid_reads_per_packet_unless_fast_mode() {
    use provkit::mboot::link::HidLink;
    let (dev, _sim) = devsim::inmem::spawn_hid("lpc55s69", SimOptions::default()).unwrap();
    let link = Arc::new(Mutex::new(HidLink::new(dev)));
    struct SharedHid(Arc<Mutex<HidLink<provkit::transport::memory::MemHid>>>);
    impl Link for SharedHid {
        fn open(&mut self) -> Result<(), LinkError> {
            self.0.lock().unwrap().open()
        }
        fn send_command(&mut self, p: &[u8], t: Duration) -> Result<(), LinkError> {
            self.0.lock().unwrap().send_command(p, t)
        }
        fn send_data(&mut self, c: &[u8], t: Duration) -> Result<DataAck, LinkError> {
            self.0.lock().unwrap().send_data(c, t)
        }
        fn receive(&mut self, t: Duration) -> Result<Incoming, LinkError> {
            self.0.lock().unwrap().receive(t)
        }
        fn abort_data(&mut self) -> Result<(), LinkError> {
            self.0.lock().unwrap().abort_data()
        }
        fn describe(&self) -> String {
            "devsim-hid".into()
        }
    }
    let exec = |args: &[&str]| -> (Result<(), Failure>, String) {
        let mut argv = vec!["blhost", "-u", "devsim"];
        argv.extend_from_slice(args);
        let cli = blhost_rs::cli::parse(argv).unwrap();
        let l = link.clone();
        let connect =
            move |_: &Cli| -> Result<Box<dyn Link>, Failure> { Ok(Box::new(SharedHid(l.clone()))) };
        let mut buf = Vec::new();
        let r = run(cli, &mut buf, &connect);
        (r, String::from_utf8(buf).unwrap())
    };
    let data: String = (0..200u32).map(|i| format!("{:02x}", i as u8)).collect();
    let arg = format!("{{{{{data}}}}}");
    let (r, out) = exec(&["write-memory", "0x20010000", &arg]);
    r.unwrap();
    assert!(out.ends_with("Response word 1 = 200 (0xc8)\n"), "{out}");
    let expect: Vec<u8> = (0..200u32).map(|i| i as u8).collect();
    let hex = blhost_rs::output::format_raw_data(&expect, false);
    for mode in [
        &["read-memory", "0x20010000", "200"][..],
        &["read-memory", "0x20010000", "200", "-f"],
    ] {
        let (r, out) = exec(mode);
        r.unwrap();
        assert_eq!(
            out,
            format!("{hex}\n{SUCCESS}Response word 1 = 200 (0xc8)\nRead 200 of 200 bytes.\n")
        );
    }
    // A chunk that fails keeps what was read before it.
    let (r, out) = exec(&["read-memory", "0x2003FFC8", "112"]);
    assert_eq!(r.unwrap_err().exit_code(), 1);
    assert!(out.contains("Read 56 of 112 bytes."), "{out}");
}
