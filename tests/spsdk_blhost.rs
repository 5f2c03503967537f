//! SPSDK 3.12's `blhost` and ours, side by side against `devsim` over a pty: same
//! stdout, same exit code, and the device state each leaves is read back by the other.

use e2e::{DevSim, blhost, spsdk_blhost};

const FAMILY: &str = "lpc55s69";

/// Runs the same arguments through both tools; asserts identical stdout and exit code.
fn both(dev: &DevSim, args: &[&str]) -> String {
    let port = dev.port_arg(115200);
    let mut full = vec!["-p", port.as_str()];
    full.extend_from_slice(args);
    let theirs = spsdk_blhost(&full);
    let ours = blhost(&full);
    assert_eq!(
        ours.stdout, theirs.stdout,
        "stdout of {args:?}\nSPSDK stderr: {}\nour stderr: {}",
        theirs.stderr, ours.stderr
    );
    assert_eq!(
        ours.code, theirs.code,
        "exit code of {args:?}\nSPSDK stderr: {}\nour stderr: {}",
        theirs.stderr, ours.stderr
    );
    ours.stdout
}

#[test]
fn get_property_every_tag_matches_spsdk() {
    let dev = DevSim::start(FAMILY, &[]);
    let dir = tempfile::tempdir().unwrap();
    // Every property the device answers, in one batch per tool (a batch stops at the
    // first failing status, so the unknown ones run one by one below).
    let mut ok_tags = Vec::new();
    let mut failing = Vec::new();
    let port = dev.port_arg(115200);
    for tag in (1..=37).chain([0xFF]) {
        let r = blhost(&["-p", &port, "get-property", &tag.to_string()]);
        if r.code == 0 {
            ok_tags.push(tag);
        } else {
            failing.push(tag);
        }
    }
    assert!(
        ok_tags.len() >= 15,
        "devsim answers too few properties: {ok_tags:?}"
    );
    let batch = dir.path().join("props.bcf");
    let text: String = ok_tags
        .iter()
        .map(|t| format!("get-property {t}\n"))
        .collect();
    std::fs::write(&batch, text).unwrap();
    let out = both(&dev, &["batch", batch.to_str().unwrap()]);
    assert!(out.contains("Current Version = K"), "{out}");
    let json = both(&dev, &["-j", "batch", batch.to_str().unwrap()]);
    assert!(json.contains("\"command\": \"get-property\""), "{json}");
    // Index forms: RAM/flash regions and external memory attributes.
    both(&dev, &["get-property", "14", "0"]);
    both(&dev, &["get-property", "current-version"]);
    for tag in failing.iter().take(3) {
        both(&dev, &["get-property", &tag.to_string()]);
        both(&dev, &["-j", "get-property", &tag.to_string()]);
    }
}

fn pattern(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[test]
fn write_and_read_memory_cross_checked_with_spsdk() {
    let dev = DevSim::start(FAMILY, &[]);
    let dir = tempfile::tempdir().unwrap();
    let port = dev.port_arg(115200);
    for (i, size) in [1024usize, 4096, 65536, 262144].into_iter().enumerate() {
        let data = pattern(size, i as u32);
        let img = dir.path().join(format!("img{size}.bin"));
        std::fs::write(&img, &data).unwrap();
        let len = format!("{size:#x}");
        // SPSDK erases and writes; we read back. Then the other way round.
        both(&dev, &["flash-erase-region", "0", &len]);
        let w = spsdk_blhost(&["-p", &port, "write-memory", "0", img.to_str().unwrap()]);
        assert_eq!(w.code, 0, "{w:?}");
        let ours_out = dir.path().join("ours.bin");
        let r = blhost(&[
            "-p",
            &port,
            "read-memory",
            "0",
            &len,
            ours_out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(
            std::fs::read(&ours_out).unwrap(),
            data,
            "we read back what SPSDK wrote ({size} B)"
        );

        both(&dev, &["flash-erase-region", "0", &len]);
        let w2 = blhost(&["-p", &port, "write-memory", "0", img.to_str().unwrap()]);
        assert_eq!(w2.code, 0, "{w2:?}");
        let spsdk_w = spsdk_blhost(&["-p", &port, "flash-erase-region", "0", &len]);
        assert_eq!(spsdk_w.code, 0);
        let w3 = spsdk_blhost(&["-p", &port, "write-memory", "0", img.to_str().unwrap()]);
        assert_eq!(w2.stdout, w3.stdout, "write-memory output ({size} B)");
        let theirs_out = dir.path().join("theirs.bin");
        let r2 = spsdk_blhost(&[
            "-p",
            &port,
            "read-memory",
            "0",
            &len,
            theirs_out.to_str().unwrap(),
        ]);
        assert_eq!(r2.code, 0, "{r2:?}");
        assert_eq!(
            std::fs::read(&theirs_out).unwrap(),
            data,
            "SPSDK reads back what we wrote ({size} B)"
        );
        assert_eq!(r.stdout, r2.stdout, "read-memory output ({size} B)");
    }
    // Small reads printed to stdout, in both layouts.
    both(&dev, &["read-memory", "0", "40"]);
    both(&dev, &["read-memory", "0", "40", "-h"]);
    both(&dev, &["-j", "read-memory", "0", "16"]);
}

#[test]
fn erase_fill_efuse_reset_and_batch_match_spsdk() {
    let dev = DevSim::start(FAMILY, &[]);
    let dir = tempfile::tempdir().unwrap();
    both(&dev, &["flash-erase-region", "0x8000", "0x8000"]);
    both(&dev, &["-j", "flash-erase-region", "0x8000", "0x8000"]);
    both(&dev, &["flash-erase-region", "0x8001", "0x8000"]); // misaligned: device error
    both(&dev, &["fill-memory", "0x20010000", "0x100", "0xA5A5A5A5"]);
    both(&dev, &["read-memory", "0x20010000", "16"]);
    both(&dev, &["efuse-read-once", "0x60"]);
    both(&dev, &["efuse-program-once", "0x60", "00000003"]);
    both(&dev, &["efuse-read-once", "0x60"]);
    both(&dev, &["-j", "flash-read-once", "0x60", "4"]);
    both(&dev, &["reset"]);
    both(&dev, &["get-property", "1"]);
    let batch = dir.path().join("cmds.bcf");
    std::fs::write(
        &batch,
        "get-property 1  # version\n\nget-property 11\nread-memory 0x20010000 4\nflash-erase-region 0x10000 0x8000\n",
    )
    .unwrap();
    both(&dev, &["batch", batch.to_str().unwrap()]);
    both(&dev, &["-j", "batch", batch.to_str().unwrap()]);
    let failing = dir.path().join("fail.bcf");
    std::fs::write(
        &failing,
        "get-property 1\nflash-erase-region 0x10001 0x8000\nget-property 11\n",
    )
    .unwrap();
    both(&dev, &["batch", failing.to_str().unwrap()]);
}

#[test]
fn faults_give_identical_data_or_a_clear_error() {
    let data = pattern(256 * 1024, 7);
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("img.bin");
    std::fs::write(&img, &data).unwrap();
    let back = dir.path().join("back.bin");
    let mut outcomes = Vec::new();
    for seed in 1..=3 {
        let faults = format!("corrupt=1e-3,drop=1e-4,seed={seed}");
        let dev = DevSim::start(FAMILY, &["--faults", &faults]);
        let port = dev.port_arg(115200);
        let steps: [&[&str]; 3] = [
            &["-t", "1000", "flash-erase-region", "0", "0x40000"],
            &["-t", "1000", "write-memory", "0", img.to_str().unwrap()],
            &[
                "-t",
                "1000",
                "read-memory",
                "0",
                "0x40000",
                back.to_str().unwrap(),
            ],
        ];
        let mut failed = None;
        for args in steps {
            let mut full = vec!["-p", port.as_str()];
            full.extend_from_slice(args);
            let r = blhost(&full);
            if r.code != 0 {
                assert!(matches!(r.code, 1..=3), "{r:?}");
                assert_eq!(
                    r.stderr.trim().lines().count(),
                    1,
                    "one-line error: {}",
                    r.stderr
                );
                assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
                failed = Some(r.stderr.trim().to_string());
                break;
            }
        }
        match failed {
            None => {
                let back = std::fs::read(&back).unwrap();
                assert!(
                    back == data,
                    "seed {seed}: read-back differs from what was written"
                );
                outcomes.push(format!("seed {seed}: identical"));
            }
            Some(e) => outcomes.push(format!("seed {seed}: failed cleanly: {e}")),
        }
    }
    eprintln!("{}", outcomes.join("\n"));
}
