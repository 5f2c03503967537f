//! `cargo xtask bench`, MCUboot part: one `mcuboot-sign sign` invocation against one
//! `imgtool sign` (imgtool 2.5.0 from the SPSDK 3 venv), same 256 KiB input, same key, same
//! options (the NXP MCUXpresso SDK command line), measured in the same run as wall time per
//! process (median of N). Keys: the imgtool-made reference keys in
//! `tests/vectors/mcuboot/keys` (ECDSA P-256, the NXP default, then RSA-2048 and Ed25519 for
//! information). Target: imgtool / ours >= 20 for ECDSA P-256.
//!
//! Each output is checked before timing: `imgtool verify` must accept ours.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cargo_tasks;
use crate::cmd;
use crate::paths;
use crate::setup;

const INPUT_LEN: usize = 256 * 1024;

fn sign_args(key: &Path, input: &Path, output: &Path) -> Vec<String> {
    [
        "sign",
        "--key",
        &key.display().to_string(),
        "--align",
        "4",
        "--header-size",
        "0x400",
        "--pad-header",
        "--slot-size",
        "0x200000",
        "--max-sectors",
        "800",
        "--version",
        "1.0",
        &input.display().to_string(),
        &output.display().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Runs the MCUboot part and prints its table.
pub fn run(runs: u32) -> Result<()> {
    eprintln!("[xtask bench] mcuboot: mcuboot-sign sign vs imgtool sign, 256 KiB input");
    let tools = setup::run()?;
    let mut build = cargo_tasks::cargo(["build", "--release", "-p", "mcuboot-sign"]);
    build.args(cargo_tasks::locked());
    cmd::run("bench mcuboot: build release mcuboot-sign", &mut build)?;
    let ours = paths::release_binary("mcuboot-sign")?;
    let imgtool = tools.spsdk3.join("bin").join("imgtool");
    let work = tempfile::Builder::new()
        .prefix("provkit-bench-mcuboot-")
        .tempdir()
        .context("bench mcuboot: cannot create a temporary directory")?;
    let input = work.path().join("app.bin");
    std::fs::write(
        &input,
        crate::demo::pseudo_random_bytes(INPUT_LEN, 0x6d63_7562),
    )
    .context("bench mcuboot: cannot write the input")?;
    let keys: PathBuf = paths::repo_root().join("tests/vectors/mcuboot/keys");

    let mut lines = Vec::new();
    let mut missed = false;
    for (name, key, target) in [
        ("ECDSA P-256", "ecdsa-p256.pem", true),
        ("RSA-2048", "rsa-2048.pem", false),
        ("Ed25519", "ed25519.pem", false),
    ] {
        let key = keys.join(key);
        let out_ours = work.path().join("ours.bin");
        let out_theirs = work.path().join("theirs.bin");
        let a_ours = sign_args(&key, &input, &out_ours);
        let a_theirs = sign_args(&key, &input, &out_theirs);
        // Warm up once each and check the output.
        cmd::timed("bench mcuboot: mcuboot-sign", &ours, &a_ours, None)?;
        cmd::timed("bench mcuboot: imgtool", &imgtool, &a_theirs, None)?;
        let v = [
            "verify".to_string(),
            "-k".into(),
            key.display().to_string(),
            out_ours.display().to_string(),
        ];
        cmd::timed(
            "bench mcuboot: imgtool verify of our image",
            &imgtool,
            &v,
            None,
        )?;
        let mut t_ours = Vec::new();
        let mut t_theirs = Vec::new();
        for _ in 0..runs {
            t_ours.push(cmd::timed("bench mcuboot: mcuboot-sign", &ours, &a_ours, None)?.0);
            t_theirs.push(cmd::timed("bench mcuboot: imgtool", &imgtool, &a_theirs, None)?.0);
        }
        let (o, t) = (cmd::median(&mut t_ours), cmd::median(&mut t_theirs));
        let ratio = t.as_secs_f64() / o.as_secs_f64().max(1e-6);
        let verdict = if !target {
            ""
        } else if ratio >= 20.0 {
            "met"
        } else {
            missed = true;
            "MISSED"
        };
        lines.push(format!(
            "| M | sign {name:<11} | ours {:>7.1} ms | imgtool {:>7.1} ms | imgtool / ours {:>6.1}x | {} |",
            o.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e3,
            ratio,
            if target { format!(">= 20x {verdict}") } else { "info".into() }
        ));
    }
    println!();
    println!(
        "mcuboot-sign vs imgtool 2.5.0 (median of {runs} runs, 256 KiB input, NXP SDK options)"
    );
    for l in &lines {
        println!("{l}");
    }
    if missed {
        eprintln!("[xtask bench] mcuboot: the 20x target was MISSED");
    }
    Ok(())
}
