//! `cargo xtask test` and `cargo xtask ci`: cargo invocations in a fixed order, run from the
//! repository root, with the reference-tool environment (`PROVKIT_SPSDK3`, `PROVKIT_SPSDK2`)
//! exported to them. `--locked` is added whenever a `Cargo.lock` exists.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::cmd;
use crate::paths;
use crate::setup::{self, Tools};

/// A `cargo` command run from the repository root (the same cargo that runs xtask, when known).
pub fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(program);
    command.args(args).current_dir(paths::repo_root());
    command
}

/// `["--locked"]` when the workspace has a lock file, else nothing.
pub fn locked() -> Vec<&'static str> {
    if paths::repo_root().join("Cargo.lock").is_file() {
        vec!["--locked"]
    } else {
        Vec::new()
    }
}

/// Release binaries the demo and the benchmarks run.
pub struct ReleaseBins {
    pub blhost: PathBuf,
    pub devsim: PathBuf,
}

/// `cargo build --release -p blhost-rs -p devsim`, then locates the binaries in
/// `$CARGO_TARGET_DIR/release` (default `<repo>/target/release`).
pub fn build_release(step: &str) -> Result<ReleaseBins> {
    let mut build = cargo(["build", "--release", "-p", "blhost-rs", "-p", "devsim"]);
    build.args(locked());
    cmd::run(&format!("{step}: build release binaries"), &mut build)?;
    let find = |name: &str| {
        paths::release_binary(name)
            .with_context(|| format!("{step}: after `{}`", cmd::display(&build)))
    };
    Ok(ReleaseBins {
        blhost: find("blhost")?,
        devsim: find("devsim")?,
    })
}

/// `cargo xtask test`.
pub fn test(cargo_test_args: &[OsString]) -> Result<()> {
    let tools = setup::run()?;
    run_tests(&tools, cargo_test_args)
}

fn run_tests(tools: &Tools, cargo_test_args: &[OsString]) -> Result<()> {
    let locked = locked();

    let mut build = cargo(["build", "--workspace", "--all-targets"]);
    build.args(&locked);
    tools.export(&mut build);
    cmd::run("test: build", &mut build)?;

    let mut check = cargo(["check", "-p", "provkit", "--no-default-features"]);
    check.args(&locked);
    cmd::run("test: check provkit without default features", &mut check)?;

    let mut test = cargo(["test", "--workspace"]);
    test.args(&locked).args(cargo_test_args);
    tools.export(&mut test);
    cmd::run("test", &mut test)
}

/// `cargo xtask ci`.
pub fn ci() -> Result<()> {
    let tools = setup::run()?;
    run_tests(&tools, &[])?;

    cmd::run("ci: rustfmt", &mut cargo(["fmt", "--all", "--", "--check"]))?;

    let mut clippy = cargo(["clippy", "--workspace", "--all-targets"]);
    clippy.args(locked()).args(["--", "-D", "warnings"]);
    tools.export(&mut clippy);
    cmd::run("ci: clippy", &mut clippy)?;

    eprintln!("[xtask ci] all steps passed");
    Ok(())
}
