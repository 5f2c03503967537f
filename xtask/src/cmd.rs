//! Running child processes so that every failure names the step and the command line.

use std::ffi::OsStr;
use std::io;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

/// The command line of `cmd` as a user would type it (arguments with spaces quoted).
pub fn display(cmd: &Command) -> String {
    let mut parts = vec![quote(cmd.get_program())];
    parts.extend(cmd.get_args().map(quote));
    parts.join(" ")
}

/// Quotes one word for display in a POSIX shell.
pub fn quote(word: &OsStr) -> String {
    let s = word.to_string_lossy();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,:=+@%^".contains(c));
    if plain {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs `cmd` with inherited stdio, announcing it on stderr; fails unless it exits 0.
pub fn run(step: &str, cmd: &mut Command) -> Result<()> {
    let line = display(cmd);
    eprintln!("[xtask {step}] $ {line}");
    let status = cmd
        .status()
        .with_context(|| format!("{step}: cannot start `{line}`"))?;
    if !status.success() {
        bail!("{step}: `{line}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` quietly and returns its stdout; fails unless it exits 0 (stderr is in the error).
pub fn output(step: &str, cmd: &mut Command) -> Result<String> {
    let line = display(cmd);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("{step}: cannot start `{line}`"))?;
    check(step, &line, &out)?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Fails with the step, command line, exit status and output tail unless `out` is a success.
pub fn check(step: &str, line: &str, out: &Output) -> Result<()> {
    if out.status.success() {
        return Ok(());
    }
    let mut msg = format!("{step}: `{line}` failed ({})", out.status);
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim();
        if !text.is_empty() {
            msg.push_str(&format!(
                "\n--- {name} (last lines) ---\n{}",
                tail(text, 20)
            ));
        }
    }
    Err(anyhow!(msg))
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// A finished child process and how long it ran (spawn to exit).
pub struct Timed {
    pub output: Output,
    pub elapsed: Duration,
}

/// Runs `cmd` (stdio as configured by the caller; piped streams are collected) and kills it
/// when it runs longer than `timeout`. Does not look at the exit status: see [`check`].
pub fn run_with_timeout(step: &str, cmd: &mut Command, timeout: Duration) -> Result<Timed> {
    let line = display(cmd);
    let start = Instant::now();
    let child = cmd
        .spawn()
        .with_context(|| format!("{step}: cannot start `{line}`"))?;
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let result = child.wait_with_output();
        let end = Instant::now();
        // The receiver only goes away when xtask is already failing.
        let _ = tx.send((result, end));
    });
    let (result, end) = match rx.recv_timeout(timeout) {
        Ok(done) => done,
        Err(_) => {
            // Not reaped yet (the waiting thread has not returned), so the pid is still ours.
            let _ = signal(pid, libc::SIGKILL);
            let _ = rx.recv_timeout(Duration::from_secs(5));
            bail!("{step}: `{line}` did not finish within {timeout:?} and was killed");
        }
    };
    let output = result.with_context(|| format!("{step}: waiting for `{line}`"))?;
    Ok(Timed {
        output,
        elapsed: end.duration_since(start),
    })
}

/// Runs `program args` in `dir` (or the current directory) for a benchmark: stdin closed,
/// output collected, killed after 5 minutes; a failing exit status is an error. Returns the
/// wall time (spawn to exit) and stdout.
pub fn timed(
    step: &str,
    program: &Path,
    args: &[impl AsRef<OsStr>],
    dir: Option<&Path>,
) -> Result<(Duration, String)> {
    let mut c = Command::new(program);
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let t = run_with_timeout(step, &mut c, Duration::from_secs(300))?;
    if !t.output.status.success() {
        bail!(
            "{step}: `{}` failed: {}",
            display(&c),
            String::from_utf8_lossy(&t.output.stderr).trim()
        );
    }
    Ok((
        t.elapsed,
        String::from_utf8_lossy(&t.output.stdout).into_owned(),
    ))
}

/// The median of benchmark times (mean of the middle two for an even count; zero if empty).
pub fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

/// Sends `sig` to process `pid` (a child this process started).
#[allow(unsafe_code)]
pub fn signal(pid: u32, sig: libc::c_int) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| io::Error::other("pid out of range"))?;
    // SAFETY: kill(2) takes plain integers and touches no memory of this process.
    let rc = unsafe { libc::kill(pid, sig) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
