//! Command line of `dat-tool` (clap derive; the doc comments are the help).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Debug authentication for NXP MCUs: debug keys, credential requests, debug credentials
/// (DC), and opening the debug port through the debug mailbox.
///
/// Exit codes: 0 ok; 1 verification or authentication failed; 2 usage or input error;
/// 3 no device, transport error or timeout.
#[derive(Debug, Parser)]
#[command(name = "dat-tool", version, about, long_about)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Cmd,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Debug keys.
    #[command(subcommand)]
    Key(KeyCmd),
    /// Field technician: make a debug credential request (a zip for the OEM).
    Request(RequestArgs),
    /// Debug credentials: make (SPSDK config or a technician's request), verify, show.
    #[command(subcommand)]
    Dc(DcCmd),
    /// Open the debug port: the whole debug authentication, then an AHB access check.
    Auth(AuthArgs),
    /// Split flow, step 1: read the device's challenge (DAC) into a file.
    Dac(DacArgs),
    /// Split or offline flow: answer a challenge (DAC) with a response (DAR) file.
    Dar(DarArgs),
    /// Split flow, step 2: send a response (DAR) file, without resetting the device.
    SendDar(SendDarArgs),
    /// Decode SOCU / PIN / DFLT words into debug domains; show the per-family examples.
    Socu(SocuArgs),
    /// List the debug probes this build can use.
    Probes {
        /// JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// List the families with debug authentication (SOCC, DM-AP, root key types).
    Families {
        /// JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// Shell.
        shell: clap_complete::Shell,
    },
}

/// Key types of `key gen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyKind {
    /// RSA-2048 (protocol 1.0).
    Rsa2048,
    /// RSA-4096 (protocol 1.1).
    Rsa4096,
    /// NIST P-256 (protocol 2.0).
    P256,
    /// NIST P-384 (protocol 2.1).
    P384,
    /// NIST P-521 (protocol 2.2).
    P521,
}

/// `key` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyCmd {
    /// Generate a key pair: the private key (PKCS#8 PEM, mode 0600) and, beside it, the
    /// public key (`KEY.pub`, or KEY with its extension replaced by `.pub`).
    Gen {
        /// Key type; it must match the type of the device's root keys.
        #[arg(long = "type", short = 't', value_enum)]
        kind: KeyKind,
        /// Private key file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
    },
}

/// Options of `request`.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The technician's debug public key (or its private key; only the public half goes in).
    #[arg(long)]
    pub key: PathBuf,
    /// Chip family.
    #[arg(long, short = 'f')]
    pub family: String,
    /// Silicon revision (default: latest).
    #[arg(long, short = 'r')]
    pub revision: Option<String>,
    /// Bind the credential to one device (hex, up to 16 bytes); default: any device.
    #[arg(long, conflicts_with = "uuid_from")]
    pub uuid: Option<String>,
    /// Read the device's UUID over the ISP bootloader (UART: PORT[,BAUD]); the device
    /// must allow ISP (development lifecycle).
    #[arg(long, value_name = "PORT[,BAUD]")]
    pub uuid_from: Option<String>,
    /// A note for the OEM.
    #[arg(long)]
    pub note: Option<String>,
    /// Request zip to write.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// `dc` subcommands.
#[derive(Debug, Subcommand)]
pub enum DcCmd {
    /// Make a debug credential: from SPSDK's `nxpdebugmbox dat dc` YAML (`-c`), or, OEM
    /// side, from a technician's request (`--request`), giving DC.zip (credential + note).
    Export(DcExportArgs),
    /// Verify a credential: structure, root key table, RKTH, SOCC, and the signature
    /// (SPSDK's `dc verify` does not check the signature).
    Verify(DcVerifyArgs),
    /// Show a credential's fields.
    Show {
        /// Credential: binary DC, or a DC.zip.
        dc: PathBuf,
        /// JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// Options of `dc export`.
#[derive(Debug, Args)]
pub struct DcExportArgs {
    /// SPSDK debug credential configuration (YAML).
    #[arg(
        short,
        long,
        conflicts_with = "request",
        required_unless_present = "request"
    )]
    pub config: Option<PathBuf>,
    /// A technician's request zip.
    #[arg(long, requires = "rot_key")]
    pub request: Option<PathBuf>,
    /// Private key of the signing root key (path or `type=file;file_path=...`).
    #[arg(long, requires = "request")]
    pub rot_key: Option<String>,
    /// All root public keys in device order (1 to 4); the signing key's position is found.
    /// Default: the signing key alone.
    #[arg(long, requires = "request")]
    pub rot_pub: Vec<PathBuf>,
    /// Debug domains granted (SoC usage mask).
    #[arg(long, requires = "request", default_value = "0")]
    pub socu: String,
    /// Vendor usage.
    #[arg(long, requires = "request", default_value = "0")]
    pub vu: String,
    /// Credential beacon (16 bits).
    #[arg(long, requires = "request", default_value = "0")]
    pub beacon: String,
    /// The OEM's note for the technician.
    #[arg(long, requires = "request")]
    pub note: Option<String>,
    /// Output: the binary credential (`-c`), or DC.zip (`--request`).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Options of `dc verify`.
#[derive(Debug, Args)]
pub struct DcVerifyArgs {
    /// Credential: binary DC, or a DC.zip.
    pub dc: PathBuf,
    /// Family to check SOCC and key type against.
    #[arg(long, short = 'f')]
    pub family: Option<String>,
    /// Silicon revision.
    #[arg(long, short = 'r', requires = "family")]
    pub revision: Option<String>,
    /// The device's RKTH (hex text or a file) to check the credential's root keys against.
    #[arg(long)]
    pub rkth: Option<String>,
    /// JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Probe and target options shared by the device commands.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Debug probe: `sim:HOST:PORT` (devsim --dm-listen) or, with the `probe` feature,
    /// `VID:PID[:SERIAL]` as probe-rs selects probes.
    #[arg(long, short = 'p')]
    pub probe: String,
    /// Chip family.
    #[arg(long, short = 'f')]
    pub family: String,
    /// Silicon revision (default: latest).
    #[arg(long, short = 'r')]
    pub revision: Option<String>,
    /// Timeout of one mailbox word, in ms.
    #[arg(long, default_value_t = 1000)]
    pub timeout: u64,
}

/// Options of `auth`.
#[derive(Debug, Args)]
pub struct AuthArgs {
    /// Probe and family.
    #[command(flatten)]
    pub probe: ProbeArgs,
    /// Debug credential: binary, DC.zip from the OEM, or an SPSDK DC YAML.
    #[arg(long)]
    pub dc: PathBuf,
    /// The debug credential private key (path or `type=file;file_path=...`).
    #[arg(long)]
    pub key: String,
    /// Authentication beacon (16 bits), passed to the application.
    #[arg(long, default_value = "0")]
    pub beacon: String,
    /// Do not reset the chip first.
    #[arg(long)]
    pub no_reset: bool,
    /// Stay in the debug mailbox (no EXIT, no AHB check).
    #[arg(long)]
    pub no_exit: bool,
    /// Address of the AHB access check (default: start of RAM).
    #[arg(long)]
    pub test_address: Option<String>,
    /// Send the response even when the host-side checks fail (to see what the device says).
    #[arg(long)]
    pub force: bool,
}

/// Options of `dac`.
#[derive(Debug, Args)]
pub struct DacArgs {
    /// Probe and family.
    #[command(flatten)]
    pub probe: ProbeArgs,
    /// Credential whose protocol sets the challenge length.
    #[arg(long, conflicts_with = "version", required_unless_present = "version")]
    pub dc: Option<PathBuf>,
    /// Protocol version instead of a credential (1.0 1.1 2.0 2.1 2.2).
    #[arg(long)]
    pub version: Option<String>,
    /// Do not reset the chip first.
    #[arg(long)]
    pub no_reset: bool,
    /// DAC file to write.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Options of `dar`.
#[derive(Debug, Args)]
pub struct DarArgs {
    /// The device's challenge (binary DAC).
    #[arg(long)]
    pub dac: PathBuf,
    /// Debug credential: binary, DC.zip, or an SPSDK DC YAML.
    #[arg(long)]
    pub dc: PathBuf,
    /// The debug credential private key.
    #[arg(long)]
    pub key: String,
    /// Authentication beacon (16 bits).
    #[arg(long, default_value = "0")]
    pub beacon: String,
    /// Family, to check the challenge against the credential.
    #[arg(long, short = 'f')]
    pub family: Option<String>,
    /// Silicon revision.
    #[arg(long, short = 'r', requires = "family")]
    pub revision: Option<String>,
    /// Answer even when the checks fail.
    #[arg(long)]
    pub force: bool,
    /// DAR file to write.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Options of `send-dar`.
#[derive(Debug, Args)]
pub struct SendDarArgs {
    /// Probe and family.
    #[command(flatten)]
    pub probe: ProbeArgs,
    /// DAR file.
    pub dar: PathBuf,
    /// Reset the chip first (this drops the challenge: only for testing).
    #[arg(long)]
    pub reset: bool,
    /// Stay in the debug mailbox (no EXIT, no AHB check).
    #[arg(long)]
    pub no_exit: bool,
    /// Address of the AHB access check (default: start of RAM).
    #[arg(long)]
    pub test_address: Option<String>,
}

/// How `socu VALUE` reads the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SocuAs {
    /// A credential's CC_SOCU mask.
    Dc,
    /// A PFR PIN word (with its inverse half).
    Pin,
    /// A PFR DFLT word (with its inverse half).
    Dflt,
    /// A fuse word holding PIN and DFLT (RT5xx/RT6xx/RW61x/KW4x).
    Fuse,
}

/// Options of `socu`.
#[derive(Debug, Args)]
pub struct SocuArgs {
    /// Chip family.
    #[arg(long, short = 'f')]
    pub family: String,
    /// Value to decode.
    pub value: Option<String>,
    /// What VALUE is.
    #[arg(long = "as", value_enum, default_value = "dc")]
    pub kind: SocuAs,
    /// PIN word (PFR families) to combine with --dflt.
    #[arg(long, requires = "dflt", conflicts_with = "value")]
    pub pin: Option<String>,
    /// DFLT word (PFR families).
    #[arg(long, requires = "pin")]
    pub dflt: Option<String>,
    /// With --pin/--dflt or a fuse word: what this credential mask would open.
    #[arg(long)]
    pub dc: Option<String>,
    /// Print the seed's example settings (everything disabled / enabled / controlled by DA).
    #[arg(long)]
    pub examples: bool,
}
