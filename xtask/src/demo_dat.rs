//! The debug-authentication part of `cargo xtask demo`: a field technician asks for a debug
//! credential, the OEM signs it, the technician opens the debug port of a simulated
//! LPC55S36 (`devsim mcu --dm-listen`), all with the release `dat-tool`.
//!
//! Steps, printed as a user would type them:
//! 1. technician: debug key (`dat-tool key gen`) and request bound to the device's UUID,
//!    read over ISP (`dat-tool request --uuid-from`);
//! 2. OEM: root key (in real life it exists already), DC.zip from the request
//!    (`dat-tool dc export --request`);
//! 3. factory (done long before): the root key table hash and the SOCU settings
//!    "controlled by DA" go into the CMPA (`blhost write-memory`);
//! 4. technician: `dat-tool dc show`, then `dat-tool auth`, which ends with the AHB check.

use crate::steps::{Sim, Steps};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cargo_tasks::{self, ReleaseBins};
use crate::{cmd, paths};

const FAMILY: &str = "lpc55s36";
/// CMPA page of the LPC55S36 and the offsets of SOCU PIN/DFLT and ROTKH in it.
const CMPA: u32 = 0x3E200;
const SOCU_AT: usize = 0x10;
const ROTKH_AT: usize = 0x50;

fn start_devsim(devsim: &Path, link: &Path, log: &Path) -> Result<(Sim, String)> {
    let log = std::fs::File::create(log).context("demo: devsim log")?;
    let mut child = Command::new(devsim)
        .args(["mcu", "--family", FAMILY, "--link"])
        .arg(link)
        .args(["--dm-listen", "127.0.0.1:0", "--time-scale", "0"])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .context("demo: cannot start devsim")?;
    let stdout = child.stdout.take().context("demo: devsim stdout")?;
    let sim = Sim(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .context("demo: devsim printed no ready line")?;
    let v: serde_json::Value =
        serde_json::from_str(line.trim()).with_context(|| format!("demo: ready line {line:?}"))?;
    let dm = v["dm"]
        .as_str()
        .context("demo: devsim's ready line has no dm address")?
        .to_string();
    Ok((sim, dm))
}

/// Runs the DAT steps in `work` with the release binaries.
pub fn session(bins: &ReleaseBins, work: &Path) -> Result<()> {
    let mut build = cargo_tasks::cargo(["build", "--release", "-p", "dat-tool"]);
    build.args(cargo_tasks::locked());
    cmd::run("demo: build release dat-tool", &mut build)?;
    let dat_tool = paths::release_binary("dat-tool")?;
    let work = work.join("dat");
    std::fs::create_dir_all(&work).context("demo: work directory")?;
    let link = work.join("port");
    println!();
    println!("# provkit demo, part 2: debug authentication with a simulated {FAMILY}");
    println!(
        "$ devsim mcu --family {FAMILY} --link {} --dm-listen 127.0.0.1:0 &",
        link.display()
    );
    let (_sim, dm) = start_devsim(&bins.devsim, &link, &work.join("devsim.log"))?;
    println!("devsim: debug mailbox on {dm}");
    let port = format!("{},115200", link.display());
    let probe = format!("sim:{dm}");
    let mut c = Steps::new(
        'D',
        vec![("dat-tool", dat_tool), ("blhost", bins.blhost.clone())],
        &work,
    );
    c.step(
        "technician: make a debug key (P-256, as the device's root keys)",
        "dat-tool",
        &["key", "gen", "--type", "p256", "-o", "dck.pem"],
    )?;
    c.step(
        "technician: request a credential for this device (UUID read over ISP)",
        "dat-tool",
        &[
            "request",
            "--key",
            "dck.pub",
            "--family",
            FAMILY,
            "--uuid-from",
            &port,
            "--note",
            "field return #4711: hangs after update",
            "-o",
            "request.zip",
        ],
    )?;
    c.step(
        "OEM: the root-of-trust key (made once, long ago)",
        "dat-tool",
        &["key", "gen", "--type", "p256", "-o", "rotk0.pem"],
    )?;
    c.step(
        "OEM: sign the request: all debug domains, a note back",
        "dat-tool",
        &[
            "dc",
            "export",
            "--request",
            "request.zip",
            "--rot-key",
            "rotk0.pem",
            "--socu",
            "0x1CF",
            "--vu",
            "0",
            "--beacon",
            "0",
            "--note",
            "valid for RMA #4711 only",
            "-o",
            "debug_auth_cert.zip",
        ],
    )?;
    c.step(
        "technician: what did the OEM send?",
        "dat-tool",
        &["dc", "show", "debug_auth_cert.zip"],
    )?;
    let mut q = Command::new(c.tool("dat-tool")?);
    q.args(["dc", "show", "debug_auth_cert.zip", "--json"])
        .current_dir(&work);
    let show = cmd::output("demo: read the RKTH of the credential", &mut q)?;
    let v: serde_json::Value = serde_json::from_str(show.trim()).context("demo: dc show --json")?;
    let rkth = provkit::codec::from_hex(v["rkth"].as_str().unwrap_or_default())
        .map_err(|e| anyhow::anyhow!("demo: RKTH: {e}"))?;
    let mut page = vec![0u8; 512];
    for at in [SOCU_AT, SOCU_AT + 4] {
        page[at..at + 4].copy_from_slice(&0xFFBF_0040u32.to_le_bytes());
    }
    page[ROTKH_AT..ROTKH_AT + rkth.len()].copy_from_slice(&rkth);
    std::fs::write(work.join("cmpa.bin"), &page).context("demo: cmpa.bin")?;
    c.step(
        "factory (long before): root key hash and SOCU 'controlled by DA' into the CMPA",
        "blhost",
        &[
            "-p",
            &port,
            "write-memory",
            &format!("0x{CMPA:X}"),
            "cmpa.bin",
        ],
    )?;
    c.step(
        "technician: what those SOCU words mean",
        "dat-tool",
        &[
            "socu",
            "-f",
            FAMILY,
            "--pin",
            "0xFFBF0040",
            "--dflt",
            "0xFFBF0040",
            "--dc",
            "0x1CF",
        ],
    )?;
    c.step(
        "technician: open the debug port",
        "dat-tool",
        &[
            "auth",
            "--probe",
            &probe,
            "--family",
            FAMILY,
            "--dc",
            "debug_auth_cert.zip",
            "--key",
            "dck.pem",
            "--beacon",
            "0x42",
        ],
    )?;
    println!();
    println!(
        "# debug authentication demo finished: all {} steps passed",
        c.n
    );
    Ok(())
}
