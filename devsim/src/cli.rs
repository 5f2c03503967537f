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
// Parsed once per process: the size of `McuArgs` does not matter.
#[allow(clippy::large_enum_variant)]
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
    /// Serve the debug mailbox (DM-AP) and debug authentication on this TCP address
    /// (port 0: any free port; the ready line gives it as "dm").
    #[arg(long, value_name = "HOST:PORT")]
    pub dm_listen: Option<String>,
    /// Debug-mailbox model options KEY=VALUE[,...] (repeatable): version, revision,
    /// lifecycle, fail-status, reset-on-fail, header-bit31, dac-socu-inverse, socu-combine,
    /// check-vu, resp-without-start, beacon-defers, challenge, dac-rkth (see the README).
    #[arg(long, value_name = "KEY=VALUE", requires = "dm_listen")]
    pub dm_opt: Vec<String>,
    /// The SBKEK the SB loaders use when the key store holds none (and, on SB2.1 families,
    /// the OTP master key is not programmed): 64 hex characters, or a file with hex text or
    /// 32 raw bytes (the key-wrap order of sbkek.txt); kept in --state.
    #[arg(long, value_name = "KEK")]
    pub sbkek: Option<String>,
    /// SB3.1 families: kdkAccessRights of the key derivation (0..3, default 0); kept in --state.
    #[arg(long, value_name = "N")]
    pub kdk_access_rights: Option<u8>,
    /// The boot image is an MCUboot bootloader: every reset runs its slot logic and prints
    /// its console. KEY=VALUE[,...] (repeatable) over the family's default layout: mode
    /// (swap-move, overwrite-only, direct-xip), primary, secondary, slot-size, align,
    /// max-align, max-sectors, key (built-in signing key file; repeatable), sig, hash, pure,
    /// hw-key, enc-key (device decryption key), app-confirms, downgrade-prevention.
    #[arg(long, value_name = "KEY=VALUE", num_args = 0..=1, default_missing_value = "")]
    pub mcuboot: Vec<String>,
}
