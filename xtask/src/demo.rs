//! `cargo xtask demo`: an ISP session against a simulated LPC55S69, shown as a user sees it.
//!
//! Builds the release `blhost` and `devsim`, makes a temporary work directory with a
//! deterministic 20 KiB application image (`app.bin`), starts `devsim mcu --family lpc55s69`
//! and runs the steps of [`steps`] one by one, printing each command line (`$ blhost -p ...`)
//! followed by its output. The simulator is always stopped at the end, also on failure.
//!
//! To add a step, add an entry to [`steps`] (and, for a new kind of step, a variant to
//! [`Action`] and its case in [`Demo::run_step`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::cargo_tasks::{self, ReleaseBins};
use crate::cmd;
use crate::devsim::{Devsim, McuOptions};

/// Simulated chip.
const FAMILY: &str = "lpc55s69";
/// Size of the application image.
const IMAGE_LEN: usize = 20 * 1024;
/// Where it goes in flash, and the region erased for it (LPC55S69 sectors are 32 KiB).
const APP_ADDRESS: &str = "0x10000";
const ERASE_LEN: &str = "0x8000";
/// Longest time a single blhost command may take in the demo.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// What a demo step does.
#[derive(Debug, Clone)]
pub enum Action {
    /// Runs `blhost -p PORT ARGS...` in the work directory and shows its output.
    Blhost(Vec<String>),
    /// Compares two files of the work directory; prints `verify: OK (N bytes)` or fails.
    Verify { expected: String, actual: String },
}

/// One step of the demo.
#[derive(Debug, Clone)]
pub struct Step {
    /// Shown as a comment above the command.
    pub title: String,
    pub action: Action,
}

fn blhost_step(title: &str, args: &[&str]) -> Step {
    Step {
        title: title.to_owned(),
        action: Action::Blhost(args.iter().map(|a| (*a).to_owned()).collect()),
    }
}

/// The demo script.
pub fn steps() -> Vec<Step> {
    let len = IMAGE_LEN.to_string();
    vec![
        blhost_step("which bootloader is this?", &["get-property", "1"]),
        blhost_step("largest packet the ROM accepts", &["get-property", "11"]),
        blhost_step(
            "erase the 32 KiB sector for the app",
            &["flash-erase-region", APP_ADDRESS, ERASE_LEN],
        ),
        blhost_step(
            "program the application image",
            &["write-memory", APP_ADDRESS, "app.bin"],
        ),
        blhost_step(
            "read it back",
            &["read-memory", APP_ADDRESS, &len, "readback.bin"],
        ),
        Step {
            title: "compare what we wrote with what we read".to_owned(),
            action: Action::Verify {
                expected: "app.bin".to_owned(),
                actual: "readback.bin".to_owned(),
            },
        },
        blhost_step("start the application", &["reset"]),
    ]
}

/// Deterministic pseudo-random bytes (xorshift64* from a fixed seed): an "application image".
pub fn pseudo_random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// What the steps run against.
struct Demo {
    blhost: PathBuf,
    port: PathBuf,
    work: PathBuf,
}

impl Demo {
    fn run_step(&self, number: usize, step: &Step) -> Result<()> {
        println!();
        println!("# {number}. {}", step.title);
        match &step.action {
            Action::Blhost(args) => {
                let mut command = Command::new(&self.blhost);
                command
                    .arg("-p")
                    .arg(&self.port)
                    .args(args)
                    .current_dir(&self.work);
                // Show it as typed: `blhost` on PATH, not the target-directory path.
                let mut shown = Command::new("blhost");
                shown.arg("-p").arg(&self.port).args(args);
                let line = cmd::display(&shown);
                println!("$ {line}");
                command
                    .stdin(Stdio::null())
                    .stdout(Stdio::inherit())
                    .stderr(Stdio::inherit());
                let step_name = format!("demo: step {number}");
                let timed = cmd::run_with_timeout(&step_name, &mut command, STEP_TIMEOUT)?;
                if !timed.output.status.success() {
                    bail!("{step_name}: `{line}` failed ({})", timed.output.status);
                }
            }
            Action::Verify { expected, actual } => {
                let step_name = format!("demo: step {number} (verify {actual} against {expected})");
                let a = read(&self.work, expected, &step_name)?;
                let b = read(&self.work, actual, &step_name)?;
                if a != b {
                    let at = a
                        .iter()
                        .zip(&b)
                        .position(|(x, y)| x != y)
                        .unwrap_or(a.len().min(b.len()));
                    bail!(
                        "{step_name}: mismatch: {expected} has {} bytes, {actual} has {} bytes, \
                         first difference at offset {at:#x}",
                        a.len(),
                        b.len()
                    );
                }
                println!("verify: OK ({} bytes)", a.len());
            }
        }
        Ok(())
    }
}

fn read(dir: &Path, name: &str, step: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    fs::read(&path).with_context(|| format!("{step}: cannot read {}", path.display()))
}

/// `cargo xtask demo`.
pub fn run() -> Result<()> {
    let bins = cargo_tasks::build_release("demo")?;
    let work = tempfile::Builder::new()
        .prefix("provkit-demo-")
        .tempdir()
        .context("demo: cannot create a temporary directory")?;
    match session(&bins, work.path())
        .and_then(|()| crate::demo_dat::session(&bins, work.path()))
        .and_then(|()| crate::demo_sb31::session(&bins, work.path()))
        .and_then(|()| crate::demo_sb21::session(&bins, work.path()))
    {
        Ok(()) => Ok(()),
        Err(err) => {
            let kept = work.keep();
            eprintln!(
                "[xtask demo] files of the failed demo are kept in {}",
                kept.display()
            );
            Err(err)
        }
    }
}

fn session(bins: &ReleaseBins, work: &Path) -> Result<()> {
    let image = pseudo_random_bytes(IMAGE_LEN, 0x5EED_0FDE_30A9_9100);
    let app = work.join("app.bin");
    fs::write(&app, &image).with_context(|| format!("demo: cannot write {}", app.display()))?;

    let port = work.join("port");
    println!(
        "# provkit demo: ISP session with a simulated {FAMILY} (work directory {})",
        work.display()
    );
    println!(
        "# app.bin: {} bytes of pseudo-random data standing in for an application",
        image.len()
    );
    println!("$ devsim mcu --family {FAMILY} --link {} &", port.display());
    let opts = McuOptions {
        family: FAMILY,
        link: &port,
        baud: None,
    };
    let mut sim = Devsim::start(&bins.devsim, &opts, &work.join("devsim.log"))?;
    println!("devsim: ready on {}", sim.pty);

    let demo = Demo {
        blhost: bins.blhost.clone(),
        port,
        work: work.to_path_buf(),
    };
    let steps = steps();
    let result = steps
        .iter()
        .enumerate()
        .try_for_each(|(i, step)| demo.run_step(i + 1, step));
    if result.is_err()
        && let Some(tail) = sim.stderr_tail()
    {
        // The simulator's side of the story.
        eprintln!("{tail}");
    }
    result?;
    sim.stop()?;
    println!();
    println!("# demo finished: all {} steps passed", steps.len());
    Ok(())
}
