//! Command line of `devsim` (clap derive; the doc comments are the help).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// provkit device simulator: an NXP MCU ISP ROM bootloader on a pseudo-terminal.
#[derive(Debug, Parser)]
#[command(name = "devsim", version, about, long_about = None)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to simulate.
    #[command(subcommand)]
    pub command: Cmd,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Serve a simulated MCU ROM bootloader (UART framing) on a pty until SIGTERM.
    ///
    /// Prints one JSON line `{"event":"ready","port":"/dev/pts/N","family":"..."}` on
    /// stdout when the port is ready. Exit codes: 0 stopped by a signal, 2 usage or input
    /// error, 3 pty or I/O failure.
    Mcu(McuArgs),
    /// List the simulated families.
    Families {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Options of `devsim mcu`.
#[derive(Debug, Args)]
pub struct McuArgs {
    /// Chip family (name or alias; see `devsim families`).
    #[arg(long, value_name = "FAMILY")]
    pub family: String,
    /// Symlink to create (or replace) pointing at the pty; hosts open this path.
    #[arg(long, value_name = "PATH")]
    pub link: PathBuf,
    /// Pace both directions to the wire time of this baud rate (10 bits per byte); 0 = unpaced.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub baud: u32,
    /// Per-byte line faults in both directions: corrupt=P,drop=P,seed=S.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// Load flash, fuses and keys from DIR at start (if present) and save them on exit.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Multiply the flash erase/program timing model (0 = instant).
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub time_scale: f64,
    /// Override the max packet size the ROM reports (property 11), 32..=8192.
    #[arg(long, value_name = "N")]
    pub max_packet: Option<u32>,
}
