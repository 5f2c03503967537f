//! The numbered, printed command steps the demo parts share: each step shows the command a
//! user would type, runs the release binary, echoes its output, and stops the demo on failure.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::cmd;

/// Longest time one demo step may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// A child process (a simulator) stopped with SIGTERM when dropped.
pub struct Sim(pub Child);

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = cmd::signal(self.0.id(), libc::SIGTERM);
        let _ = self.0.wait();
    }
}

/// Runs numbered steps (`# D1.`, `# S2.` ...) of one demo part in its work directory.
pub struct Steps {
    label: char,
    tools: Vec<(&'static str, PathBuf)>,
    /// Working directory of every step.
    pub work: PathBuf,
    /// Number of the last step.
    pub n: usize,
}

impl Steps {
    /// Steps labelled `label`, running the named release binaries in `work`.
    pub fn new(label: char, tools: Vec<(&'static str, PathBuf)>, work: &Path) -> Self {
        Steps {
            label,
            tools,
            work: work.to_path_buf(),
            n: 0,
        }
    }

    /// Path of a tool given to [`Steps::new`].
    pub fn tool(&self, program: &str) -> Result<&Path> {
        self.tools
            .iter()
            .find(|(name, _)| *name == program)
            .map(|(_, p)| p.as_path())
            .with_context(|| format!("demo: no binary for {program}"))
    }

    /// Prints and runs one step; returns its stdout.
    pub fn step(&mut self, title: &str, program: &str, args: &[&str]) -> Result<String> {
        self.n += 1;
        println!();
        println!("# {}{}. {title}", self.label, self.n);
        let mut shown = Command::new(program);
        shown.args(args);
        let line = cmd::display(&shown);
        println!("$ {line}");
        let mut c = Command::new(self.tool(program)?);
        c.args(args)
            .current_dir(&self.work)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let name = format!("demo: step {}{}", self.label, self.n);
        let timed = cmd::run_with_timeout(&name, &mut c, STEP_TIMEOUT)?;
        let out = String::from_utf8_lossy(&timed.output.stdout).into_owned();
        print!("{out}");
        eprint!("{}", String::from_utf8_lossy(&timed.output.stderr));
        if !timed.output.status.success() {
            bail!("{name}: `{line}` failed ({})", timed.output.status);
        }
        Ok(out)
    }

    /// Shows and writes a text file (a config) into the work directory.
    pub fn file(&self, name: &str, text: &str) -> Result<()> {
        println!();
        println!("$ cat {name}");
        print!("{text}");
        std::fs::write(self.work.join(name), text).with_context(|| format!("demo: {name}"))
    }
}
