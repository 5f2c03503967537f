//! `cargo xtask`: the provkit developer and CI tasks.
//!
//! Run as `cargo xtask <COMMAND>` (the alias lives in `.cargo/config.toml`).
//!
//! | command | what it does |
//! |---|---|
//! | `setup` | installs the reference tools the tests use as oracles: Debian packages (as root) and two cached Python venvs (SPSDK 3.12.0 + imgtool 2.5.0, SPSDK 2.6.1 with TP support). Fast and silent-ish when everything is already there. |
//! | `test [-- ARGS]` | `setup`, then `cargo build --workspace --all-targets`, `cargo check -p provkit --no-default-features`, `cargo test --workspace ARGS` |
//! | `ci` | `test`, then `cargo fmt --all -- --check` and `cargo clippy --workspace --all-targets -- -D warnings` |
//! | `demo` | builds the release `blhost` and `devsim`, and walks through an ISP session against a simulated LPC55S69 as a user would see it |
//! | `bench [--runs N]` | builds the release binaries and prints our `blhost` against SPSDK's and against the wire-time bound |
//!
//! # Environment
//!
//! Read by xtask:
//! - `PROVKIT_CACHE`: cache directory (default `~/.cache/provkit`). Holds the venvs
//!   (`spsdk3/`, `spsdk2/`), their install logs (`spsdk3.log`, `spsdk2.log`), the pip download
//!   cache (`pip/`) and, when `.ci/run` sets it, the cargo target directory (`target/`).
//! - `PROVKIT_PYTHON`: Python interpreter used to create the venvs (default `python3`).
//! - `CARGO_TARGET_DIR`: where the release binaries are looked for (default `<repo>/target`).
//!
//! Set by xtask for the cargo commands it runs (tests read them and fail loudly when they are
//! unset; run the tests through `cargo xtask test`, or export them yourself):
//! - `PROVKIT_SPSDK3`: the venv with SPSDK 3.12.0 and imgtool 2.5.0 (`$PROVKIT_SPSDK3/bin/blhost`,
//!   `$PROVKIT_SPSDK3/bin/nxpimage`, `$PROVKIT_SPSDK3/bin/imgtool`, ...).
//! - `PROVKIT_SPSDK2`: the venv with SPSDK 2.6.1 and its trust-provisioning extra
//!   (`$PROVKIT_SPSDK2/bin/tphost`, ...).
//!
//! Exit status: 0 on success, 1 when any step fails; the error names the step and the command.

mod bench;
mod bench_mcuboot;
mod bench_sb21;
mod bench_sb31;
mod cargo_tasks;
mod cmd;
mod demo;
mod demo_dat;
mod demo_sb21;
mod demo_sb31;
mod devsim;
mod paths;
mod setup;
mod steps;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// provkit developer tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install the reference tools the tests need (idempotent, fast when already done).
    ///
    /// As root: the Debian packages socat, srecord, swig, libpcsclite-dev, pcscd, pkg-config,
    /// libudev-dev (only the missing ones). Then the cached venvs
    /// $PROVKIT_CACHE/spsdk3 (spsdk==3.12.0, imgtool==2.5.0) and $PROVKIT_CACHE/spsdk2
    /// (spsdk[tp]==2.6.1); PROVKIT_CACHE defaults to ~/.cache/provkit.
    Setup,
    /// Run setup, build all targets, check the library without default features, run the tests.
    ///
    /// The tests get PROVKIT_SPSDK3 and PROVKIT_SPSDK2 (the venv directories) in their
    /// environment.
    Test {
        /// Extra arguments appended to `cargo test --workspace` (after `--`), e.g.
        /// `cargo xtask test -- -p provkit` or `cargo xtask test -- -- --nocapture`.
        #[arg(last = true, value_name = "CARGO_TEST_ARGS")]
        cargo_test_args: Vec<OsString>,
    },
    /// Everything CI runs: `test`, then rustfmt check, then clippy with warnings denied.
    Ci,
    /// Build the release blhost and devsim and show an ISP session against a simulated LPC55S69.
    Demo,
    /// Time our tools against the reference tools in the same run: blhost vs SPSDK blhost and
    /// the wire-time bound (devsim), mcuboot-sign vs imgtool, sbgen SB3.1 and SB2.1 export vs
    /// nxpimage.
    Bench {
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
        runs: u32,
        /// Only these parts (default: all).
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<BenchPart>,
    },
}

/// The parts of `cargo xtask bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BenchPart {
    /// blhost vs SPSDK blhost and the wire-time bound.
    Blhost,
    /// mcuboot-sign vs imgtool.
    Mcuboot,
    /// sbgen sb31 export vs nxpimage.
    Sb31,
    /// sbgen sb21 export vs nxpimage.
    Sb21,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup => setup::run().map(|_| ()),
        Command::Test { cargo_test_args } => cargo_tasks::test(&cargo_test_args),
        Command::Ci => cargo_tasks::ci(),
        Command::Demo => demo::run(),
        Command::Bench { runs, only } => {
            let want = |p: BenchPart| only.is_empty() || only.contains(&p);
            let mut result = Ok(());
            for (part, run) in [
                (
                    BenchPart::Blhost,
                    bench::run as fn(u32) -> anyhow::Result<()>,
                ),
                (BenchPart::Mcuboot, bench_mcuboot::run),
                (BenchPart::Sb31, bench_sb31::run),
                (BenchPart::Sb21, bench_sb21::run),
            ] {
                if want(part) {
                    result = result.and(run(runs));
                }
            }
            result
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
