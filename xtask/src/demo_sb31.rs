//! The OEM-build part of `cargo xtask demo`, with the release `sbgen`, `blhost` and `devsim`:
//!
//! 1. OEM security: four root keys and an image signing key (`sbgen key gen`), the RKTH and
//!    the CMPA value that holds it (`sbgen rkth`);
//! 2. firmware engineer: a signed bootable image (`sbgen mbi export`, checked with
//!    `sbgen mbi verify`) and an SB3.1 capsule that installs it (`sbgen sb31 export`, checked
//!    with `sbgen sb31 verify`);
//! 3. factory: a simulated MCX N947 holding the SBKEK (`devsim mcu --sbkek`), the RKTH
//!    written into its CMPA (`blhost write-memory`);
//! 4. field update: `blhost receive-sb-file`, `blhost reset`; devsim's secure boot reports
//!    that the image boots.

use crate::steps::{Sim, Steps};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::cargo_tasks::{self, ReleaseBins};
use crate::{cmd, paths};

const FAMILY: &str = "mcxn947";
const CMPA: u32 = 0x0100_4000;
const ROTKH_AT: usize = 0x60;
const KEK: &str = "8e1f42ae5b3bc3d0d2de2c3c19f5a17d5f56e8c7a3b2196a0d4e8b1ff0c2e6a3";

/// devsim (`family`, `extra` options, unpaced, state in `work/state`) with its stdout lines
/// (the ready line, then boot reports) on a channel.
pub(crate) fn start_devsim(
    devsim: &Path,
    work: &Path,
    family: &str,
    extra: &[&str],
) -> Result<(Sim, Receiver<String>)> {
    let log = std::fs::File::create(work.join("devsim.log")).context("demo: devsim log")?;
    let mut child = Command::new(devsim)
        .args(["mcu", "--family", family, "--link"])
        .arg(work.join("port"))
        .args(["--time-scale", "0", "--state", "state"])
        .args(extra)
        .current_dir(work)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .context("demo: cannot start devsim")?;
    let stdout = child.stdout.take().context("demo: devsim stdout")?;
    let sim = Sim(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let ready = rx
        .recv_timeout(Duration::from_secs(20))
        .context("demo: devsim printed no ready line")?;
    if !ready.contains("\"ready\"") {
        bail!("demo: devsim said {ready:?}");
    }
    Ok((sim, rx))
}

/// Waits for a boot report of at least `resets` resets.
pub(crate) fn boot_line(rx: &Receiver<String>, resets: u64) -> Result<serde_json::Value> {
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .context("demo: devsim reported no boot")?;
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if v["event"] == "boot" && v["resets"].as_u64().unwrap_or(0) >= resets {
            return Ok(v);
        }
    }
}

/// The firmware steps both SB demo parts share: `mbi.yaml` (the given config), the signed
/// image from it (`sbgen mbi export`), and `sbgen mbi verify` against `rkth`.
pub(crate) fn signed_image(c: &mut Steps, family: &str, rkth: &str, mbi_yaml: &str) -> Result<()> {
    c.file("mbi.yaml", mbi_yaml)?;
    c.step(
        "firmware: the signed bootable image",
        "sbgen",
        &["mbi", "export", "-c", "mbi.yaml"],
    )?;
    c.step(
        "firmware: would the ROM boot it?",
        "sbgen",
        &[
            "mbi",
            "verify",
            "-i",
            "app_signed.bin",
            "-f",
            family,
            "--rkth",
            rkth,
        ],
    )?;
    Ok(())
}

/// The factory and field steps both SB demo parts end with: the RKTH into the CMPA page at
/// `cmpa.0` (ROTKH at `cmpa.1`) with blhost, `receive-sb-file update`, `reset`; then devsim's
/// boot report must say the image boots.
pub(crate) fn rkth_and_update(
    c: &mut Steps,
    work: &Path,
    port: &str,
    cmpa: (u32, usize),
    rkth: &str,
    update: &str,
    rx: &Receiver<String>,
) -> Result<()> {
    let (cmpa, rotkh_at) = cmpa;
    let rkth_bytes = provkit::codec::from_hex(rkth).map_err(|e| anyhow::anyhow!("demo: {e}"))?;
    let mut page = vec![0u8; 512];
    page[rotkh_at..rotkh_at + rkth_bytes.len()].copy_from_slice(&rkth_bytes);
    std::fs::write(work.join("cmpa.bin"), &page).context("demo: cmpa.bin")?;
    c.step(
        &format!("factory: the RKTH into the CMPA (ROTKH at CMPA + 0x{rotkh_at:X})"),
        "blhost",
        &[
            "-p",
            port,
            "write-memory",
            &format!("0x{cmpa:X}"),
            "cmpa.bin",
        ],
    )?;
    c.step(
        "field: deliver the update",
        "blhost",
        &["-p", port, "receive-sb-file", update],
    )?;
    c.step("field: restart", "blhost", &["-p", port, "reset"])?;
    let boot = boot_line(rx, 1)?;
    println!();
    println!("# devsim's secure boot after the reset:");
    println!("{boot}");
    if boot["result"] != "ok" {
        bail!("demo: the image did not boot: {boot}");
    }
    Ok(())
}

/// Runs the SB3.1 steps in `work` with the release binaries.
pub fn session(bins: &ReleaseBins, work: &Path) -> Result<()> {
    let mut build = cargo_tasks::cargo(["build", "--release", "-p", "sbgen"]);
    build.args(cargo_tasks::locked());
    cmd::run("demo: build release sbgen", &mut build)?;
    let sbgen = paths::release_binary("sbgen")?;
    let work = work.join("sb31");
    std::fs::create_dir_all(&work).context("demo: work directory")?;
    println!();
    println!("# provkit demo, part 3: OEM build and field update of a simulated {FAMILY}");
    let mut c = Steps::new(
        'S',
        vec![("sbgen", sbgen), ("blhost", bins.blhost.clone())],
        &work,
    );
    for i in 0..4 {
        c.step(
            &format!("OEM: root key {i} (P-256)"),
            "sbgen",
            &[
                "key",
                "gen",
                "--type",
                "p256",
                "-o",
                &format!("rotk{i}.pem"),
            ],
        )?;
    }
    c.step(
        "OEM: the image signing key (ISK)",
        "sbgen",
        &["key", "gen", "--type", "p256", "-o", "isk.pem"],
    )?;
    let rkth_json = c.step(
        "OEM: the root key table hash and where it goes",
        "sbgen",
        &[
            "rkth",
            "-f",
            FAMILY,
            "rotk0.pub",
            "rotk1.pub",
            "rotk2.pub",
            "rotk3.pub",
            "--json",
        ],
    )?;
    let v: serde_json::Value = serde_json::from_str(&rkth_json).context("demo: rkth --json")?;
    let rkth = v["rkth"].as_str().unwrap_or_default().to_string();
    let mut app = crate::demo::pseudo_random_bytes(8192, 7);
    app[..8].copy_from_slice(&[0, 0, 4, 0x20, 0xC1, 0x02, 0, 0]);
    std::fs::write(work.join("app.bin"), &app).context("demo: app.bin")?;
    std::fs::write(work.join("sbkek.txt"), KEK).context("demo: sbkek.txt")?;
    println!();
    println!("(app.bin: an 8 KiB application; sbkek.txt: the device's SB KEK)");
    c.file(
        "cert_block.yaml",
        &format!(
            "family: {FAMILY}\nuseIsk: true\niskPublicKey: isk.pub\nsigner: type=file;file_path=rotk0.pem\n\
             rootCertificate0File: rotk0.pub\nrootCertificate1File: rotk1.pub\n\
             rootCertificate2File: rotk2.pub\nrootCertificate3File: rotk3.pub\nmainRootCertId: 0\n\
             containerOutputFile: cert_block.bin\n"
        ),
    )?;
    signed_image(
        &mut c,
        FAMILY,
        &rkth,
        &format!(
            "family: {FAMILY}\noutputImageExecutionTarget: xip\noutputImageAuthenticationType: signed\n\
             masterBootOutputFile: app_signed.bin\ninputImageFile: app.bin\noutputImageExecutionAddress: 0\n\
             firmwareVersion: 2\nimageVersion: 1\ncertBlock: cert_block.yaml\nsigner: type=file;file_path=isk.pem\n"
        ),
    )?;
    c.file(
        "update.yaml",
        &format!(
            "family: {FAMILY}\ncontainerOutputFile: update.sb3\nsigner: type=file;file_path=isk.pem\n\
             certBlock: cert_block.yaml\ncontainerKeyBlobEncryptionKey: sbkek.txt\nfirmwareVersion: 2\n\
             description: app v2\ncommands:\n  - erase:\n      address: 0\n      size: 0x4000\n\
             \x20 - load:\n      address: 0\n      data: app_signed.bin\n"
        ),
    )?;
    c.step(
        "firmware: the SB3.1 update capsule",
        "sbgen",
        &["sb31", "export", "-c", "update.yaml"],
    )?;
    c.step(
        "firmware: check it as the ROM will",
        "sbgen",
        &[
            "sb31",
            "verify",
            "-i",
            "update.sb3",
            "-k",
            "sbkek.txt",
            "--rkth",
            &rkth,
            "-f",
            FAMILY,
        ],
    )?;
    println!();
    println!("# S{}. factory: a device that holds the SB KEK", c.n + 1);
    c.n += 1;
    println!("$ devsim mcu --family {FAMILY} --link port --sbkek sbkek.txt --state state &");
    let (_sim, rx) = start_devsim(&bins.devsim, &work, FAMILY, &["--sbkek", "sbkek.txt"])?;
    println!("{}", boot_line(&rx, 0)?);
    let port = format!("{},115200", work.join("port").display());
    rkth_and_update(
        &mut c,
        &work,
        &port,
        (CMPA, ROTKH_AT),
        &rkth,
        "update.sb3",
        &rx,
    )?;
    println!();
    println!(
        "# OEM build demo finished: the signed image boots ({} steps)",
        c.n
    );
    Ok(())
}
