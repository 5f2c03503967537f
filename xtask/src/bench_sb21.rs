//! `cargo xtask bench`, SB2.1 part: `sbgen sb21 export` of a config that erases and loads
//! 1 MiB on lpc55s69 (RSA-2048, cert block v1, AES-256-CTR + HMAC-SHA256) against
//! `nxpimage sb21 export` of the same config (SPSDK 3.12 from the setup venv), wall time per
//! process, median of N (nxpimage: median of at most 3).
//!
//! Every random input is pinned (`options.dek/mac/nonce/timestamp/zeroPadding`) and RSA
//! PKCS#1 v1.5 is deterministic, so before timing the two outputs must be identical byte for
//! byte, and `sbgen sb21 verify` must accept SPSDK's.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cargo_tasks;
use crate::cmd;
use crate::paths;
use crate::setup;

const PAYLOAD: usize = 1024 * 1024;
const KEK: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn write_inputs(dir: &Path) -> Result<()> {
    let vectors = paths::repo_root().join("tests/vectors/mbi");
    let v = |n: &str| vectors.join(n).display().to_string();
    std::fs::write(
        dir.join("payload.bin"),
        crate::demo::pseudo_random_bytes(PAYLOAD, 21),
    )?;
    std::fs::write(dir.join("sbkek.txt"), KEK)?;
    std::fs::write(
        dir.join("cert_block.yaml"),
        format!(
            "family: lpc55s69\nimageBuildNumber: 1\nrootCertificate0File: {}\nrootCertificate1File: {}\n\
             mainRootCertId: 0\ncontainerOutputFile: cert_block.bin\n",
            v("certs/root0_rsa_cert.der"),
            v("certs/root1_rsa_cert.der"),
        ),
    )?;
    std::fs::write(
        dir.join("sb21.yaml"),
        format!(
            "family: lpc55s69\nrevision: latest\noptions:\n  flags: 0x8\n  productVersion: \"1.0.0\"\n\
             \x20 componentVersion: \"1.0.0\"\n  secureBinaryVersion: \"2.1\"\n  timestamp: 1700000000\n\
             \x20 dek: \"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\"\n\
             \x20 mac: \"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf\"\n\
             \x20 nonce: \"00112233445566778819aabbcc5deeff\"\n  zeroPadding: true\n\
             signer: {}\ncertBlock: cert_block.yaml\ncontainerOutputFile: out.sb\n\
             containerKeyBlobEncryptionKey: sbkek.txt\nsections:\n  - commands:\n\
             \x20     - erase:\n          address: 0\n          length: 0x100000\n\
             \x20     - load:\n          address: 0\n          file: payload.bin\n",
            v("keys/rotk0_rsa2048.pem"),
        ),
    )?;
    Ok(())
}

/// Runs the SB2.1 part and prints its table.
pub fn run(runs: u32) -> Result<()> {
    eprintln!("[xtask bench] sb21: sbgen sb21 export vs nxpimage sb21 export, 1 MiB load");
    let tools = setup::run()?;
    let mut build = cargo_tasks::cargo(["build", "--release", "-p", "sbgen"]);
    build.args(cargo_tasks::locked());
    cmd::run("bench sb21: build release sbgen", &mut build)?;
    let sbgen: PathBuf = paths::release_binary("sbgen")?;
    let nxpimage = tools.spsdk3.join("bin").join("nxpimage");
    let work = tempfile::Builder::new()
        .prefix("provkit-bench-sb21-")
        .tempdir()
        .context("bench sb21: temporary directory")?;
    let dir = work.path();
    write_inputs(dir).context("bench sb21: inputs")?;
    let ours_args = ["sb21", "export", "-c", "sb21.yaml", "-o", "ours.sb"];
    // (nxpimage sb21 export has no `-oc`: it would read `-oc X` as `-o c`.)
    let theirs_args = ["sb21", "export", "-c", "sb21.yaml", "-o", "theirs.sb"];

    // Correctness first: same bytes, and SPSDK's file passes our verifier.
    cmd::timed("bench sb21: sbgen export", &sbgen, &ours_args, Some(dir))?;
    cmd::timed(
        "bench sb21: nxpimage export",
        &nxpimage,
        &theirs_args,
        Some(dir),
    )?;
    let read = |n: &str| std::fs::read(dir.join(n)).with_context(|| format!("bench sb21: {n}"));
    let (a, b) = (read("ours.sb")?, read("theirs.sb")?);
    if a != b {
        let diff = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        bail!(
            "bench sb21: sbgen and nxpimage outputs differ ({diff} bytes differ; sizes {} / {})",
            a.len(),
            b.len()
        );
    }
    cmd::timed(
        "bench sb21: sbgen verify",
        &sbgen,
        &["sb21", "verify", "-i", "theirs.sb", "-k", "sbkek.txt"],
        Some(dir),
    )?;

    let mut ours = Vec::new();
    for _ in 0..runs.max(3) {
        ours.push(cmd::timed("bench sb21: sbgen export", &sbgen, &ours_args, Some(dir))?.0);
    }
    let mut theirs = Vec::new();
    for _ in 0..runs.clamp(1, 3) {
        theirs.push(
            cmd::timed(
                "bench sb21: nxpimage export",
                &nxpimage,
                &theirs_args,
                Some(dir),
            )?
            .0,
        );
    }
    let (ours, theirs) = (cmd::median(&mut ours), cmd::median(&mut theirs));
    let speedup = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    println!();
    println!(
        "provkit sbgen SB2.1 benchmark (1 MiB load, lpc55s69, RSA-2048, AES-256-CTR; same run; \
         outputs byte-identical)"
    );
    println!("  {:<58} {:>12}", "what", "value");
    println!(
        "  {:<58} {:>10.1} ms",
        "sbgen sb21 export (median)",
        ours.as_secs_f64() * 1e3
    );
    println!(
        "  {:<58} {:>10.1} ms",
        "nxpimage sb21 export (median)",
        theirs.as_secs_f64() * 1e3
    );
    println!("  {:<58} {:>11.0}x", "nxpimage / sbgen", speedup);
    println!(
        "  {:<58} {:>8.0} MB/s  (process start, YAML, RSA signing, file I/O included)",
        "sbgen sb21 export command line",
        PAYLOAD as f64 / ours.as_secs_f64().max(1e-9) / 1e6
    );
    Ok(())
}
