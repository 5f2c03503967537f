//! Starting and stopping `devsim mcu` for the demo and the benchmarks.
//!
//! Contract: `devsim mcu --family F --link PATH [--baud N] [--max-packet N]` creates a pty,
//! symlinks PATH to it, prints one JSON line `{"event":"ready","port":"/dev/pts/N",...}` on
//! stdout when it is ready, and serves until SIGTERM. [`Devsim`] waits for that line (with a
//! timeout) and always stops the simulator with SIGTERM, also when the caller fails (`Drop`).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use crate::cmd;

/// How long devsim may take to print its ready line.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// Options for `devsim mcu`.
#[derive(Debug, Clone)]
pub struct McuOptions<'a> {
    pub family: &'a str,
    /// The symlink devsim creates to its pty; the port blhost opens.
    pub link: &'a Path,
    /// Pace the simulated UART at this baud rate (`None`: unpaced).
    pub baud: Option<u32>,
}

/// A running `devsim mcu`.
pub struct Devsim {
    child: Option<Child>,
    /// What the user types: the symlink to the pty.
    pub link: PathBuf,
    /// The pty devsim announced.
    pub pty: String,
    stderr_log: PathBuf,
    command_line: String,
}

impl Devsim {
    /// Starts devsim and waits for its ready line. devsim's stderr goes to `stderr_log`.
    pub fn start(devsim: &Path, opts: &McuOptions<'_>, stderr_log: &Path) -> Result<Self> {
        let mut command = Command::new(devsim);
        command
            .args(["mcu", "--family", opts.family, "--link"])
            .arg(opts.link);
        if let Some(baud) = opts.baud {
            command.args(["--baud", &baud.to_string()]);
        }
        let line = cmd::display(&command);
        let log = File::create(stderr_log)
            .with_context(|| format!("devsim: cannot create {}", stderr_log.display()))?;
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("devsim: cannot start `{line}`"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow!("devsim: `{line}`: no stdout pipe"))?;
        let mut this = Devsim {
            child: Some(child),
            link: opts.link.to_path_buf(),
            pty: String::new(),
            stderr_log: stderr_log.to_path_buf(),
            command_line: line,
        };

        // Read stdout on a thread for as long as devsim runs, so it never blocks on a full pipe.
        let (tx, rx) = mpsc::channel::<String>();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    // Nobody listens any more: keep draining.
                    continue;
                }
            }
        });

        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                        continue;
                    };
                    if value.get("event").and_then(|e| e.as_str()) != Some("ready") {
                        continue;
                    }
                    this.pty = value
                        .get("port")
                        .and_then(|p| p.as_str())
                        .unwrap_or_default()
                        .to_owned();
                    let family = value.get("family").and_then(|f| f.as_str());
                    if family.is_some_and(|f| !f.eq_ignore_ascii_case(opts.family)) {
                        bail!(this.failure(&format!(
                            "announced family {family:?}, expected {:?}",
                            opts.family
                        )));
                    }
                    return Ok(this);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    bail!(this.failure(&format!(
                        "printed no ready line within {} s",
                        READY_TIMEOUT.as_secs()
                    )));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = this
                        .child
                        .as_mut()
                        .and_then(|c| c.wait().ok())
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "unknown status".to_owned());
                    bail!(this.failure(&format!("exited before it was ready ({status})")));
                }
            }
        }
    }

    /// The error text for a devsim failure, with the tail of its stderr.
    fn failure(&self, what: &str) -> String {
        let mut msg = format!("devsim: `{}` {what}", self.command_line);
        if let Some(tail) = self.stderr_tail() {
            msg.push('\n');
            msg.push_str(&tail);
        }
        msg
    }

    /// The last lines devsim wrote on stderr, with a heading; `None` when it wrote nothing.
    pub fn stderr_tail(&self) -> Option<String> {
        let log = std::fs::read_to_string(&self.stderr_log).unwrap_or_default();
        let log = log.trim();
        if log.is_empty() {
            return None;
        }
        Some(format!(
            "--- devsim stderr ({}) ---\n{}",
            self.stderr_log.display(),
            cmd::tail(log, 20)
        ))
    }

    /// Stops devsim with SIGTERM (SIGKILL if it does not exit within 5 s).
    pub fn stop(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if child.try_wait().ok().flatten().is_some() {
            return Ok(());
        }
        cmd::signal(child.id(), libc::SIGTERM)
            .with_context(|| format!("devsim: cannot send SIGTERM to pid {}", child.id()))?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        bail!(
            "devsim: `{}` ignored SIGTERM for 5 s and was killed",
            self.command_line
        )
    }
}

impl Drop for Devsim {
    fn drop(&mut self) {
        if let Err(err) = self.stop() {
            eprintln!("xtask: warning: {err:#}");
        }
    }
}
