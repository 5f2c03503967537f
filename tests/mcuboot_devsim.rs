//! The SEC tool's MCUboot workflow (seed: "MCUboot workflow") through the real binaries:
//! `mcuboot-sign` signs version 1.0 and 1.1 of an application with the NXP SDK parameters,
//! `blhost` writes them into the primary and secondary slot of a simulated MCX N947 whose
//! boot image is MCUboot (`devsim mcu --mcuboot key=...`), and after each reset the
//! bootloader's console shows what it picked: first the primary slot, then the secondary
//! slot with the higher version, as in the seed.

mod mcuboot_util;

use mcuboot_util::*;
use std::path::Path;
use std::time::{Duration, Instant};

const PRIMARY: u32 = 0x20000;
const SECONDARY: u32 = 0x110000;
const SLOT: u32 = 0xF0000;

fn app(dir: &Path) -> std::path::PathBuf {
    // A Cortex-M vector table (initial SP, reset handler in the primary slot after the
    // 0x400 header) and some code bytes.
    let mut b = Vec::new();
    b.extend_from_slice(&0x2001_0000u32.to_le_bytes());
    b.extend_from_slice(&(PRIMARY + 0x400 + 0x101).to_le_bytes());
    b.extend((0..6000u32).map(|i| (i * 31 + 7) as u8));
    let p = dir.join("app.bin");
    std::fs::write(&p, b).unwrap();
    p
}

fn sign(dir: &Path, key: &Path, version: &str, out: &str) -> std::path::PathBuf {
    let o = dir.join(out);
    let app = app(dir);
    let r = run_args(
        &mcuboot_sign(),
        &[
            "sign",
            "--key",
            &key.display().to_string(),
            "--align",
            "16",
            "--header-size",
            "0x400",
            "--pad-header",
            "--slot-size",
            &format!("0x{SLOT:x}"),
            "--max-sectors",
            "800",
            "--version",
            version,
            "--pad",
            "--confirm",
            &app.display().to_string(),
            &o.display().to_string(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "image.py: sign the payload\n");
    o
}

fn blhost_ok(port: &str, args: &[&str]) {
    let mut a = vec!["-p", port];
    a.extend(args);
    let r = e2e::blhost(&a);
    assert_eq!(r.code, 0, "blhost {args:?}: {r:?}");
}

/// Waits for `n` boots in `state/console.log` and returns the lines of the last one.
fn wait_boot(state: &Path, n: usize) -> Vec<String> {
    let t0 = Instant::now();
    loop {
        let text = std::fs::read_to_string(state.join("console.log")).unwrap_or_default();
        let boots: Vec<&str> = text.split("hello sbl.\n").skip(1).collect();
        if boots.len() >= n && text.ends_with('\n') {
            let last = boots[n - 1];
            if last.contains("Jumping to the image") || last.contains("Unable to find") {
                return std::iter::once("hello sbl.")
                    .chain(last.lines())
                    .map(str::to_string)
                    .collect();
            }
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "no boot #{n} in console.log: {text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn two_slot_upgrade_picks_the_secondary_slot() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let key = dir.path().join("sign-ecdsa-p256-priv.pem");
    let r = run_args(
        &mcuboot_sign(),
        &[
            "keygen",
            "-k",
            &key.display().to_string(),
            "-t",
            "ecdsa-p256",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let img_1_0 = sign(dir.path(), &key, "1.0", "app_SIGNED.bin");
    let img_1_1 = sign(dir.path(), &key, "1.1", "app_SIGNED_1_1.bin");

    // The bootloader is built with the public key (imgtool getpub -e pem).
    let pubkey = dir.path().join("sign-ecdsa-p256-pub.pem");
    let r = run_args(
        &mcuboot_sign(),
        &[
            "getpub",
            "-k",
            &key.display().to_string(),
            "-e",
            "pem",
            "-o",
            &pubkey.display().to_string(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");

    let mcuboot = format!("key={}", pubkey.display());
    let sim = e2e::DevSim::start(
        "mcxn947",
        &[
            "--state",
            &state.display().to_string(),
            "--mcuboot",
            &mcuboot,
        ],
    );
    let port = sim.port_arg(115200);

    // Image 1 (version 1.0) at the primary slot, then reset.
    blhost_ok(
        &port,
        &[
            "flash-erase-region",
            &format!("0x{PRIMARY:x}"),
            &format!("0x{SLOT:x}"),
        ],
    );
    blhost_ok(
        &port,
        &[
            "write-memory",
            &format!("0x{PRIMARY:x}"),
            &img_1_0.display().to_string(),
        ],
    );
    blhost_ok(&port, &["reset"]);
    let boot1 = wait_boot(&state, 1);
    assert_eq!(
        boot1,
        [
            "hello sbl.",
            "Bootloader Version 2.0.0",
            "Primary slot: version=1.0.0+0",
            "Image 0 Secondary slot: Image not found",
            "writing copy_done; fa_id=0 off=0xeffd0 (0x10ffd0)",
            "Image 0 loaded from the primary slot",
            "Bootloader chainload address offset: 0x20000",
            "Reset_Handler address offset: 0x20400",
            "Jumping to the image",
            "Booting the primary slot - flash remapping is disabled",
        ]
    );

    // Image 2 (version 1.1) at primary + slot size, then reset: the secondary slot wins.
    blhost_ok(
        &port,
        &[
            "flash-erase-region",
            &format!("0x{SECONDARY:x}"),
            &format!("0x{SLOT:x}"),
        ],
    );
    blhost_ok(
        &port,
        &[
            "write-memory",
            &format!("0x{SECONDARY:x}"),
            &img_1_1.display().to_string(),
        ],
    );
    blhost_ok(&port, &["reset"]);
    let boot2 = wait_boot(&state, 2);
    assert_eq!(
        boot2,
        [
            "hello sbl.",
            "Bootloader Version 2.0.0",
            "Primary slot: version=1.0.0+0",
            "Secondary slot: version=1.1.0+0",
            "writing copy_done; fa_id=1 off=0xeffd0 (0x1fffd0)",
            "Image 0 loaded from the secondary slot",
            "Bootloader chainload address offset: 0x110000",
            "Reset_Handler address offset: 0x110400",
            "Jumping to the image",
            "Booting the secondary slot - flash remapping is enabled",
        ]
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.join("mcuboot.json")).unwrap()).unwrap();
    assert_eq!(report["result"], "booted");
    assert_eq!(report["slot"], "secondary");
    assert_eq!(report["version"], "1.1.0+0");

    // The copy_done the bootloader wrote is in flash, as blhost reads it back.
    let readback = dir.path().join("trailer.bin");
    blhost_ok(
        &port,
        &[
            "read-memory",
            &format!("0x{:x}", SECONDARY + SLOT - 0x30),
            "16",
            &readback.display().to_string(),
        ],
    );
    assert_eq!(std::fs::read(&readback).unwrap()[0], 0x01);

    // A tampered 1.2 in the secondary slot is refused and erased; 1.0 runs again.
    let mut bad = std::fs::read(sign(dir.path(), &key, "1.2", "app_1_2.bin")).unwrap();
    bad[0x800] ^= 0x55;
    let bad_path = dir.path().join("bad.bin");
    std::fs::write(&bad_path, &bad).unwrap();
    blhost_ok(
        &port,
        &[
            "flash-erase-region",
            &format!("0x{SECONDARY:x}"),
            &format!("0x{SLOT:x}"),
        ],
    );
    blhost_ok(
        &port,
        &[
            "write-memory",
            &format!("0x{SECONDARY:x}"),
            &bad_path.display().to_string(),
        ],
    );
    blhost_ok(&port, &["reset"]);
    let boot3 = wait_boot(&state, 3);
    assert!(
        boot3.contains(&"Image in the secondary slot is not valid!".to_string()),
        "{boot3:?}"
    );
    assert!(
        boot3.contains(&"Image 0 loaded from the primary slot".to_string()),
        "{boot3:?}"
    );
}

#[test]
fn swap_move_test_upgrade_reverts_on_the_next_reset() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let key = vectors().join("keys/ecdsa-p256.pem");
    let img_1_0 = sign(dir.path(), &key, "1.0", "a.bin");
    // 1.1 as a test image: --pad without --confirm.
    let app = app(dir.path());
    let img_1_1 = dir.path().join("b.bin");
    let r = run_args(
        &mcuboot_sign(),
        &[
            "sign",
            "-k",
            &key.display().to_string(),
            "--align",
            "16",
            "-H",
            "0x400",
            "--pad-header",
            "-S",
            &format!("0x{SLOT:x}"),
            "-M",
            "800",
            "-v",
            "1.1",
            "--pad",
            &app.display().to_string(),
            &img_1_1.display().to_string(),
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let mcuboot = format!(
        "key={},mode=swap-move",
        vectors().join("keys/ecdsa-p256.pub.pem").display()
    );
    let sim = e2e::DevSim::start(
        "mcxn947",
        &[
            "--state",
            &state.display().to_string(),
            "--mcuboot",
            &mcuboot,
        ],
    );
    let port = sim.port_arg(115200);
    for (addr, img) in [(PRIMARY, &img_1_0), (SECONDARY, &img_1_1)] {
        blhost_ok(
            &port,
            &[
                "flash-erase-region",
                &format!("0x{addr:x}"),
                &format!("0x{SLOT:x}"),
            ],
        );
        blhost_ok(
            &port,
            &[
                "write-memory",
                &format!("0x{addr:x}"),
                &img.display().to_string(),
            ],
        );
    }
    blhost_ok(&port, &["reset"]);
    let b1 = wait_boot(&state, 1);
    assert!(
        b1.contains(&"Image index: 0, Swap type: test".to_string()),
        "{b1:?}"
    );
    assert!(
        b1.contains(&"Starting swap using move algorithm.".to_string()),
        "{b1:?}"
    );
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.join("mcuboot.json")).unwrap()).unwrap();
    assert_eq!(
        (r["slot"].as_str(), r["version"].as_str()),
        (Some("primary"), Some("1.1.0+0"))
    );
    blhost_ok(&port, &["reset"]);
    let b2 = wait_boot(&state, 2);
    assert!(
        b2.contains(&"Image index: 0, Swap type: revert".to_string()),
        "{b2:?}"
    );
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.join("mcuboot.json")).unwrap()).unwrap();
    assert_eq!(r["version"], "1.0.0+0");
}
