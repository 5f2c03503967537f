//! `cargo xtask setup`: installs the reference tools that the tests use as oracles.
//!
//! 1. Debian packages `socat srecord swig libpcsclite-dev pcscd pkg-config libudev-dev` (plus
//!    `python3-venv` / `python3-dev` when the system Python lacks `ensurepip` / `Python.h`).
//!    Each is checked with `dpkg-query -W -f='${Status}' PKG`; only missing ones are installed,
//!    with `apt-get update` first, and only as root. Not root and something missing: the error
//!    lists the `apt-get` command to run.
//! 2. Two Python venvs in the cache directory (`$PROVKIT_CACHE`, default `~/.cache/provkit`),
//!    installed in parallel, pip downloads cached in `<cache>/pip`:
//!    - `spsdk3`: `spsdk==3.12.0 imgtool==2.5.0`, verified with `bin/blhost --version` and
//!      `bin/imgtool version`;
//!    - `spsdk2`: `spsdk[tp]==2.6.1` (pyscard builds against swig and libpcsclite-dev),
//!      verified by importing `spsdk` and `smartcard` with `bin/python`.
//!
//!    A successful install writes the marker file `<venv>/.provkit-setup-ok` naming the
//!    requirements; with a matching marker the venv is used as it is (no pip, no Python run).
//!    A venv without a marker is verified: kept (and marked) when the versions are right,
//!    otherwise deleted and made again. Each install writes `<cache>/<venv>.log`, whose last
//!    line is `done <status>`; while a log has no `done` line (another process is installing,
//!    e.g. a second `cargo xtask`), setup waits for it. Concurrent xtask runs are serialised
//!    by a lock on `<cache>/<venv>.lock`.
//!
//! The result is exported to the cargo commands xtask runs as `PROVKIT_SPSDK3` and
//! `PROVKIT_SPSDK2` (the venv directories); tests read those and fail when they are unset.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use crate::cmd;
use crate::paths;

/// Debian packages the tests need.
const APT_PACKAGES: &[&str] = &[
    "socat",
    "srecord",
    "swig",
    "libpcsclite-dev",
    "pcscd",
    "pkg-config",
    "libudev-dev",
];

/// Name of the marker file written inside a venv after a verified install.
const MARKER: &str = ".provkit-setup-ok";

/// A log without a `done` line that nobody has written to for this long is abandoned.
const STALE_LOG: Duration = Duration::from_secs(15 * 60);

/// Longest wait for another process's install.
const MAX_FOREIGN_WAIT: Duration = Duration::from_secs(60 * 60);

/// The installed reference tools.
#[derive(Debug, Clone)]
pub struct Tools {
    /// Venv with SPSDK 3.12.0 and imgtool 2.5.0.
    pub spsdk3: PathBuf,
    /// Venv with SPSDK 2.6.1 and its `tp` extra.
    pub spsdk2: PathBuf,
}

impl Tools {
    /// Exports `PROVKIT_SPSDK3` and `PROVKIT_SPSDK2` to `cmd`.
    pub fn export(&self, cmd: &mut Command) {
        cmd.env("PROVKIT_SPSDK3", &self.spsdk3)
            .env("PROVKIT_SPSDK2", &self.spsdk2);
    }
}

/// One version check run after an install: `<venv>/bin/<program> <args>` must print `version`
/// as a whole word.
struct VersionCheck {
    program: &'static str,
    args: &'static [&'static str],
    version: &'static str,
}

/// A cached venv.
struct Venv {
    name: &'static str,
    requirements: &'static [&'static str],
    /// Programs in `bin/` that must exist.
    programs: &'static [&'static str],
    checks: &'static [VersionCheck],
}

const SPSDK3: Venv = Venv {
    name: "spsdk3",
    requirements: &["spsdk==3.12.0", "imgtool==2.5.0"],
    programs: &["python", "blhost", "nxpimage", "imgtool"],
    checks: &[
        VersionCheck {
            program: "blhost",
            args: &["--version"],
            version: "3.12.0",
        },
        VersionCheck {
            program: "imgtool",
            args: &["version"],
            version: "2.5.0",
        },
    ],
};

const SPSDK2: Venv = Venv {
    name: "spsdk2",
    requirements: &["spsdk[tp]==2.6.1"],
    programs: &["python", "blhost", "tphost"],
    checks: &[VersionCheck {
        program: "python",
        args: &["-c", "import spsdk, smartcard; print(spsdk.__version__)"],
        version: "2.6.1",
    }],
};

/// Runs the whole setup and returns where the tools are.
pub fn run() -> Result<Tools> {
    let start = Instant::now();
    let cache = paths::cache_dir()?;
    fs::create_dir_all(&cache)
        .with_context(|| format!("setup: cannot create cache directory {}", cache.display()))?;
    let python = std::env::var_os("PROVKIT_PYTHON")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| OsString::from("python3"));

    ensure_debian_packages(&python)?;

    let (spsdk3, spsdk2) = thread::scope(|s| {
        let a = s.spawn(|| ensure_venv(&cache, &SPSDK3, &python));
        let b = s.spawn(|| ensure_venv(&cache, &SPSDK2, &python));
        let join = |h: thread::ScopedJoinHandle<'_, Result<PathBuf>>, name: &str| {
            h.join()
                .map_err(|_| anyhow!("setup: {name}: install thread panicked"))?
        };
        (join(a, SPSDK3.name), join(b, SPSDK2.name))
    });
    let tools = Tools {
        spsdk3: spsdk3?,
        spsdk2: spsdk2?,
    };
    eprintln!(
        "[xtask setup] ready in {:.1} s: PROVKIT_SPSDK3={} PROVKIT_SPSDK2={}",
        start.elapsed().as_secs_f64(),
        tools.spsdk3.display(),
        tools.spsdk2.display()
    );
    Ok(tools)
}

// ---------------------------------------------------------------------------------------------
// Debian packages

fn ensure_debian_packages(python: &OsStr) -> Result<()> {
    let mut wanted: Vec<&str> = APT_PACKAGES.to_vec();
    wanted.extend(python_packages(python)?);

    let mut missing = Vec::new();
    for &pkg in &wanted {
        match dpkg_installed(pkg) {
            Ok(true) => {}
            Ok(false) => missing.push(pkg),
            Err(err) => {
                eprintln!(
                    "[xtask setup] warning: cannot ask dpkg ({err:#}); not a Debian system? \
                     Make sure these are installed: {}",
                    wanted.join(" ")
                );
                return Ok(());
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    if !is_root() {
        bail!(
            "setup: Debian packages missing: {list}\nInstall them as root with:\n  \
             sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y \
             --no-install-recommends {list}"
        );
    }
    eprintln!("[xtask setup] installing Debian packages: {list}");
    let apt = |args: &[&str]| {
        let mut c = Command::new("apt-get");
        c.args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null());
        c
    };
    cmd::run("setup: apt-get update", &mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(&missing);
    cmd::run("setup: apt-get install", &mut install)?;
    let still: Vec<&str> = missing
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p).unwrap_or(false))
        .collect();
    if !still.is_empty() {
        bail!(
            "setup: after apt-get install, still not installed: {}",
            still.join(" ")
        );
    }
    Ok(())
}

/// Extra Debian packages the system Python needs to make venvs and build pyscard: only for
/// Debian's own interpreter (prefix `/usr`); other Pythons (pyenv, ...) bring both.
fn python_packages(python: &OsStr) -> Result<Vec<&'static str>> {
    let probe = "import importlib.util as u, os, sys, sysconfig\n\
                 print(sys.prefix)\n\
                 print(u.find_spec('ensurepip') is not None)\n\
                 print(os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))";
    let mut c = Command::new(python);
    c.args(["-c", probe]);
    let out = cmd::output("setup: probe Python", &mut c).with_context(|| {
        "setup needs Python 3 (`python3`, or set PROVKIT_PYTHON); on Debian: \
         apt-get install python3 python3-venv python3-dev"
    })?;
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    let mut pkgs = Vec::new();
    if let [prefix, has_ensurepip, has_header] = lines.as_slice()
        && *prefix == "/usr"
    {
        if *has_ensurepip != "True" {
            pkgs.push("python3-venv");
        }
        if *has_header != "True" {
            pkgs.push("python3-dev");
        }
    }
    Ok(pkgs)
}

fn dpkg_installed(pkg: &str) -> Result<bool> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context("cannot run `dpkg-query`")?;
    Ok(out.status.success()
        && String::from_utf8_lossy(&out.stdout).trim() == "install ok installed")
}

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------------------------
// Venvs

fn marker_text(venv: &Venv) -> String {
    format!(
        "provkit xtask setup marker v1\nrequirements: {}\n",
        venv.requirements.join(" ")
    )
}

fn bin(dir: &Path, program: &str) -> PathBuf {
    dir.join("bin").join(program)
}

/// The venv is marked as installed with the requirements we want, and its programs exist
/// (`metadata` follows symlinks, so a venv whose base interpreter is gone fails here).
fn is_marked(dir: &Path, venv: &Venv) -> bool {
    let marked = fs::read_to_string(dir.join(MARKER)).is_ok_and(|t| t == marker_text(venv));
    marked
        && venv
            .programs
            .iter()
            .all(|p| fs::metadata(bin(dir, p)).is_ok())
}

fn ensure_venv(cache: &Path, venv: &Venv, python: &OsStr) -> Result<PathBuf> {
    let name = venv.name;
    let dir = cache.join(name);
    let log = cache.join(format!("{name}.log"));

    let lock_path = cache.join(format!("{name}.lock"));
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("setup: {name}: cannot open lock {}", lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "[xtask setup] {name}: another xtask holds {}; waiting",
                lock_path.display()
            );
            lock.lock()
                .with_context(|| format!("setup: {name}: cannot lock {}", lock_path.display()))?;
        }
        Err(TryLockError::Error(err)) => {
            return Err(err)
                .with_context(|| format!("setup: {name}: cannot lock {}", lock_path.display()));
        }
    }

    wait_for_foreign_install(name, &log)?;

    if is_marked(&dir, venv) {
        return Ok(dir);
    }
    if dir.exists() {
        let usable = venv
            .programs
            .iter()
            .all(|p| fs::metadata(bin(&dir, p)).is_ok())
            && verify(&dir, venv).is_ok();
        if usable {
            write_marker(&dir, venv)?;
            eprintln!("[xtask setup] {name}: existing venv verified; marked as complete");
            return Ok(dir);
        }
        eprintln!(
            "[xtask setup] {name}: {} is incomplete; recreating it",
            dir.display()
        );
        fs::remove_dir_all(&dir)
            .with_context(|| format!("setup: {name}: cannot remove {}", dir.display()))?;
    }

    let start = Instant::now();
    eprintln!(
        "[xtask setup] {name}: installing {} into {} (log: {})",
        venv.requirements.join(" "),
        dir.display(),
        log.display()
    );
    let mut log_file = File::create(&log)
        .with_context(|| format!("setup: {name}: cannot write {}", log.display()))?;
    let result = install(cache, &dir, venv, python, &log, &mut log_file);
    let status = if result.is_ok() { "0" } else { "1" };
    // The `done` line tells waiting processes that this install is over, even when it failed.
    let _ = writeln!(log_file, "done {status}");
    result?;
    eprintln!(
        "[xtask setup] {name}: installed in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(dir)
}

fn install(
    cache: &Path,
    dir: &Path,
    venv: &Venv,
    python: &OsStr,
    log: &Path,
    log_file: &mut File,
) -> Result<()> {
    let name = venv.name;
    writeln!(
        log_file,
        "provkit xtask setup (pid {}): {} into {}",
        std::process::id(),
        venv.requirements.join(" "),
        dir.display()
    )
    .with_context(|| format!("setup: {name}: cannot write {}", log.display()))?;

    let mut create = Command::new(python);
    create.arg("-m").arg("venv").arg(dir);
    run_logged(
        &format!("setup: {name}: create venv"),
        &mut create,
        log,
        log_file,
    )?;

    let mut pip = Command::new(bin(dir, "python"));
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
    ])
    .args(venv.requirements)
    .env("PIP_CACHE_DIR", cache.join("pip"))
    .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    run_logged(
        &format!("setup: {name}: pip install"),
        &mut pip,
        log,
        log_file,
    )?;

    for program in venv.programs {
        let path = bin(dir, program);
        fs::metadata(&path).with_context(|| {
            format!(
                "setup: {name}: {} is missing after pip install",
                path.display()
            )
        })?;
    }
    verify(dir, venv)?;
    write_marker(dir, venv)
}

/// Runs `cmd` with stdout and stderr appended to the log; on failure the error carries the
/// last lines of the log.
fn run_logged(step: &str, cmd: &mut Command, log: &Path, log_file: &mut File) -> Result<()> {
    let line = cmd::display(cmd);
    let _ = writeln!(log_file, "$ {line}");
    let out = log_file
        .try_clone()
        .with_context(|| format!("{step}: cannot reuse the log"))?;
    let err = log_file
        .try_clone()
        .with_context(|| format!("{step}: cannot reuse the log"))?;
    let status = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .status()
        .with_context(|| format!("{step}: cannot start `{line}`"))?;
    if status.success() {
        return Ok(());
    }
    let text = fs::read_to_string(log).unwrap_or_default();
    bail!(
        "{step}: `{line}` failed ({status}); last lines of {}:\n{}",
        log.display(),
        cmd::tail(&text, 30)
    )
}

fn verify(dir: &Path, venv: &Venv) -> Result<()> {
    for check in venv.checks {
        let mut c = Command::new(bin(dir, check.program));
        c.args(check.args);
        let step = format!("setup: verify {}", venv.name);
        let line = cmd::display(&c);
        let out = cmd::output(&step, &mut c)?;
        let found = out
            .split(|ch: char| ch.is_whitespace() || ch == ',')
            .any(|word| word == check.version);
        if !found {
            bail!(
                "{step}: `{line}` printed {:?}, expected version {}",
                out.trim(),
                check.version
            );
        }
    }
    Ok(())
}

fn write_marker(dir: &Path, venv: &Venv) -> Result<()> {
    let path = dir.join(MARKER);
    fs::write(&path, marker_text(venv))
        .with_context(|| format!("setup: {}: cannot write {}", venv.name, path.display()))
}

/// Waits while `log` shows an install by another process that has not finished (no `done`
/// line). A log written by an xtask whose process is gone, or not written to for
/// [`STALE_LOG`], counts as abandoned.
fn wait_for_foreign_install(name: &str, log: &Path) -> Result<()> {
    let start = Instant::now();
    let mut announced = false;
    loop {
        let Ok(text) = fs::read_to_string(log) else {
            return Ok(());
        };
        if text.lines().any(|l| l.starts_with("done")) {
            return Ok(());
        }
        if let Some(pid) = xtask_pid(&text)
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            // That xtask was interrupted; the venv is checked as usual by the caller.
            return Ok(());
        }
        let idle = fs::metadata(log)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .unwrap_or(Duration::ZERO);
        if idle > STALE_LOG {
            eprintln!(
                "[xtask setup] {name}: {} has no `done` line and was last written {} s ago; \
                 treating that install as abandoned",
                log.display(),
                idle.as_secs()
            );
            return Ok(());
        }
        if start.elapsed() > MAX_FOREIGN_WAIT {
            bail!(
                "setup: {name}: gave up after {} s waiting for the install logged in {} to finish",
                start.elapsed().as_secs(),
                log.display()
            );
        }
        if !announced {
            eprintln!(
                "[xtask setup] {name}: another process is installing (log {} has no `done` \
                 line yet); waiting",
                log.display()
            );
            announced = true;
        }
        thread::sleep(Duration::from_secs(5));
    }
}

/// The pid an xtask install wrote on the first line of its log.
fn xtask_pid(log_text: &str) -> Option<u32> {
    let first = log_text.lines().next()?;
    let rest = first.strip_prefix("provkit xtask setup (pid ")?;
    rest.split(')').next()?.parse().ok()
}
