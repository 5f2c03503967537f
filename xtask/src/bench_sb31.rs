//! `cargo xtask bench`, SB3.1 part: `sbgen sb31 export` of a config that loads 1 MiB against
//! `nxpimage sb31 export` of the same config (SPSDK 3.12 from the setup venv), wall time per
//! process, median of N (nxpimage: median of at most 3); and the capsule engine against this
//! machine's raw AES-CBC + SHA-256 throughput, both measured by the release `sbgen` in the same
//! run (`sbgen bench-crypto`: single-threaded AES-128-CBC over 256-byte blocks + SHA-256 over
//! 1 MiB, best of 5; and `Sb31Builder::build` of a 1-MiB load in process, best of 5).
//!
//! Targets: nxpimage / sbgen >= 30; engine throughput >= 50% of raw AES + SHA. The command
//! line's own throughput (process start, YAML, file I/O included) is printed for information.
//! Before timing, both outputs are checked: they are identical outside the block-0 signature,
//! and `sbgen sb31 verify` accepts SPSDK's.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cargo_tasks;
use crate::cmd;
use crate::paths;
use crate::setup;

const PAYLOAD: usize = 1024 * 1024;
const KEK: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn write_inputs(dir: &Path) -> Result<()> {
    let keys = paths::repo_root().join("tests/vectors/sb31/keys");
    let k = |n: &str| keys.join(n).display().to_string();
    let payload = crate::demo::pseudo_random_bytes(PAYLOAD, 31);
    std::fs::write(dir.join("payload.bin"), payload)?;
    std::fs::write(dir.join("sbkek.txt"), KEK)?;
    std::fs::write(
        dir.join("cert_block.yaml"),
        format!(
            "family: mcxn947\nuseIsk: false\nrootCertificate0File: {}\nmainRootCertId: 0\ncontainerOutputFile: cert_block.bin\n",
            k("rot_p256_0.pub")
        ),
    )?;
    std::fs::write(
        dir.join("sb31.yaml"),
        format!(
            "family: mcxn947\ncontainerOutputFile: out.sb3\nsigner: {}\ncertBlock: cert_block.yaml\n\
             containerKeyBlobEncryptionKey: sbkek.txt\ntimestamp: 0x2E8E5C80\ndescription: bench\n\
             commands:\n  - erase:\n      address: 0\n      size: 0x100000\n  - load:\n      address: 0\n      data: payload.bin\n",
            k("rot_p256_0.pem")
        ),
    )?;
    Ok(())
}

/// Runs the SB3.1 part and prints its table.
pub fn run(runs: u32) -> Result<()> {
    eprintln!("[xtask bench] sb31: sbgen sb31 export vs nxpimage sb31 export, 1 MiB load");
    let tools = setup::run()?;
    let mut build = cargo_tasks::cargo(["build", "--release", "-p", "sbgen"]);
    build.args(cargo_tasks::locked());
    cmd::run("bench sb31: build release sbgen", &mut build)?;
    let sbgen: PathBuf = paths::release_binary("sbgen")?;
    let nxpimage = tools.spsdk3.join("bin").join("nxpimage");
    let work = tempfile::Builder::new()
        .prefix("provkit-bench-sb31-")
        .tempdir()
        .context("bench sb31: temporary directory")?;
    let dir = work.path();
    write_inputs(dir).context("bench sb31: inputs")?;

    // Correctness first.
    cmd::timed(
        "bench sb31: sbgen export",
        &sbgen,
        &["sb31", "export", "-c", "sb31.yaml", "-o", "ours.sb3"],
        Some(dir),
    )?;
    cmd::timed(
        "bench sb31: nxpimage export",
        &nxpimage,
        &[
            "sb31",
            "export",
            "-c",
            "sb31.yaml",
            "-oc",
            "containerOutputFile=theirs.sb3",
        ],
        Some(dir),
    )?;
    let (a, b) = (
        std::fs::read(dir.join("ours.sb3"))?,
        std::fs::read(dir.join("theirs.sb3"))?,
    );
    let diff = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    if a.len() != b.len() || diff > 64 {
        bail!(
            "bench sb31: sbgen and nxpimage outputs differ in {diff} bytes (sizes {} / {})",
            a.len(),
            b.len()
        );
    }
    cmd::timed(
        "bench sb31: sbgen verify",
        &sbgen,
        &["sb31", "verify", "-i", "theirs.sb3", "-k", "sbkek.txt"],
        Some(dir),
    )?;

    let mut ours = Vec::new();
    for _ in 0..runs.max(3) {
        ours.push(
            cmd::timed(
                "bench sb31: sbgen export",
                &sbgen,
                &["sb31", "export", "-c", "sb31.yaml", "-o", "ours.sb3"],
                Some(dir),
            )?
            .0,
        );
    }
    let mut theirs = Vec::new();
    for _ in 0..runs.clamp(1, 3) {
        theirs.push(
            cmd::timed(
                "bench sb31: nxpimage export",
                &nxpimage,
                &[
                    "sb31",
                    "export",
                    "-c",
                    "sb31.yaml",
                    "-oc",
                    "containerOutputFile=theirs.sb3",
                ],
                Some(dir),
            )?
            .0,
        );
    }
    let (ours, theirs) = (cmd::median(&mut ours), cmd::median(&mut theirs));
    let (_, json) = cmd::timed(
        "bench sb31: sbgen bench-crypto",
        &sbgen,
        &["bench-crypto", "--bytes", &PAYLOAD.to_string()],
        Some(dir),
    )?;
    let v: serde_json::Value =
        serde_json::from_str(json.trim()).context("bench sb31: bench-crypto output")?;
    let raw = v["raw_mb_per_s"].as_f64().unwrap_or(0.0);
    let engine = v["build_mb_per_s"].as_f64().unwrap_or(0.0);
    let cli = PAYLOAD as f64 / ours.as_secs_f64() / 1e6;
    let speedup = theirs.as_secs_f64() / ours.as_secs_f64();
    let engine_pct = 100.0 * engine / raw.max(1e-9);
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    println!();
    println!("provkit sbgen SB3.1 benchmark (1 MiB load, mcxn947, P-256, AES-128; same run)");
    println!("  {:<58} {:>12}  target", "what", "value");
    println!(
        "  {:<58} {:>10.1} ms",
        "sbgen sb31 export (median)",
        ours.as_secs_f64() * 1e3
    );
    println!(
        "  {:<58} {:>10.1} ms",
        "nxpimage sb31 export (median)",
        theirs.as_secs_f64() * 1e3
    );
    println!(
        "  {:<58} {:>11.0}x  >= 30x {}",
        "nxpimage / sbgen",
        speedup,
        mark(speedup >= 30.0)
    );
    println!(
        "  {:<58} {:>8.0} MB/s",
        "raw AES-128-CBC + SHA-256 (one core)", raw
    );
    println!(
        "  {:<58} {:>8.0} MB/s",
        "capsule engine (Sb31Builder::build, in process)", engine
    );
    println!(
        "  {:<58} {:>11.0}%  >= 50% {}",
        "engine / raw AES + SHA",
        engine_pct,
        mark(engine_pct >= 50.0)
    );
    println!(
        "  {:<58} {:>8.0} MB/s  ({:.0}% of raw; process start, YAML, file I/O included)",
        "sbgen sb31 export command line",
        cli,
        100.0 * cli / raw.max(1e-9)
    );
    Ok(())
}
