//! Command line of `sbgen` (clap derive; the doc comments are the help).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// sbgen: SB3.1 capsules, certificate blocks v2.1, master boot images and RKTH for NXP
/// MCUs, from SPSDK `nxpimage` YAML configs.
///
/// Exit codes: 0 ok; 1 verification or operation failed; 2 usage or input error; 3 a file
/// could not be read or written.
#[derive(Debug, Parser)]
#[command(name = "sbgen", version, about, long_about = None)]
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
    /// SB3.1 secure binary capsules.
    #[command(subcommand)]
    Sb31(Sb31Cmd),
    /// Certificate block v2.1.
    #[command(subcommand, name = "cert-block")]
    CertBlock(CertBlockCmd),
    /// Master boot images (plain, CRC, signed) of lpc55s36, mcxn947, rw612.
    #[command(subcommand)]
    Mbi(MbiCmd),
    /// RKTH of a root key set and the CMPA/OTP value that holds it.
    Rkth(RkthArgs),
    /// ECC key pairs for root keys and ISKs.
    #[command(subcommand)]
    Key(KeyCmd),
    /// Raw AES-CBC + SHA-256 throughput of this machine (for `cargo xtask bench`).
    #[command(hide = true)]
    BenchCrypto {
        /// Bytes per measurement.
        #[arg(long, default_value_t = 1 << 20)]
        bytes: usize,
    },
}

/// `sbgen key ...`
#[derive(Debug, Subcommand)]
pub enum KeyCmd {
    /// Make a key pair: KEY (PKCS#8 PEM, mode 0600) and KEY with `.pub` (SPKI PEM).
    Gen {
        /// p256 or p384.
        #[arg(
            short = 't',
            long = "type",
            value_name = "TYPE",
            default_value = "p256"
        )]
        key_type: String,
        /// Private key file; the public key goes next to it with the extension `.pub`.
        #[arg(short, long, value_name = "KEY")]
        output: PathBuf,
    },
}

/// `sbgen sb31 ...`
#[derive(Debug, Subcommand)]
pub enum Sb31Cmd {
    /// Build an SB3.1 file from an SPSDK `nxpimage sb31` config.
    Export {
        /// The config (YAML).
        #[arg(short, long, value_name = "CONFIG")]
        config: PathBuf,
        /// Output file (default: the config's containerOutputFile; `-` = stdout).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Print a config template with every key and one item per supported command.
    GetTemplate {
        /// Family.
        #[arg(short, long, value_name = "FAMILY")]
        family: String,
        /// Write to a file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Verify and decrypt an SB3.1 file, and write a config + data files that `export`
    /// turns back into the same file (signatures aside).
    Parse {
        #[command(flatten)]
        check: CheckArgs,
        /// Write the config and data files into DIR.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The signer to write into the config (the private key is not in the file).
        #[arg(long, value_name = "SPEC")]
        signer: Option<String>,
    },
    /// Check an SB3.1 file as the ROM does: header, certificate block (against --rkth),
    /// signatures, hash chain, decryption, commands. Exit 1 names the first failure.
    Verify {
        #[command(flatten)]
        check: CheckArgs,
    },
}

/// Options shared by `sb31 parse` and `sb31 verify`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The SB3.1 file (`-` = stdin).
    #[arg(short, long, value_name = "FILE")]
    pub input: PathBuf,
    /// SB KEK: hex text, or a file with hex text or 32 raw bytes. Without it, the blocks
    /// are read as plaintext (SPSDK's test-only `isEncrypted: false`).
    #[arg(short, long, value_name = "KEK")]
    pub kek: Option<String>,
    /// kdkAccessRights used when the file was made (0..3; not stored in the file).
    #[arg(short = 'a', long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=3))]
    pub kdk_access_rights: u8,
    /// The device's RKTH (hex text or file): the certificate block must match it.
    #[arg(long, value_name = "HEX")]
    pub rkth: Option<String>,
    /// Family: checks the commands and key-wrap ids against its SB3.1 loader.
    #[arg(short, long, value_name = "FAMILY")]
    pub family: Option<String>,
    /// The device's secure firmware counter: older files are rollbacks.
    #[arg(long, value_name = "N")]
    pub min_firmware_version: Option<u32>,
    /// Machine-readable report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `sbgen cert-block ...`
#[derive(Debug, Subcommand)]
pub enum CertBlockCmd {
    /// Build a certificate block v2.1 from an SPSDK cert-block config.
    Export {
        /// The config (YAML).
        #[arg(short, long, value_name = "CONFIG")]
        config: PathBuf,
        /// Output (default: containerOutputFile; `-` = stdout).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Decode and verify a binary certificate block (ISK signature, --rkth).
    Parse {
        /// The block (`-` = stdin).
        #[arg(short, long, value_name = "FILE")]
        input: PathBuf,
        /// Expected RKTH.
        #[arg(long, value_name = "HEX")]
        rkth: Option<String>,
        /// Write a config, public keys and the block into DIR.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Machine-readable report.
        #[arg(long)]
        json: bool,
    },
    /// Print a cert-block config template.
    GetTemplate {
        /// Family.
        #[arg(short, long, value_name = "FAMILY")]
        family: String,
        /// Write to a file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

/// `sbgen mbi ...`
#[derive(Debug, Subcommand)]
pub enum MbiCmd {
    /// Build a master boot image from an SPSDK `nxpimage mbi` config.
    Export {
        /// The config (YAML).
        #[arg(short, long, value_name = "CONFIG")]
        config: PathBuf,
        /// Output (default: masterBootOutputFile; `-` = stdout).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Would the ROM boot this image? Type, CRC, certificate block against --rkth,
    /// signatures, firmware version.
    Verify {
        /// The image (`-` = stdin).
        #[arg(short, long, value_name = "IMAGE")]
        input: PathBuf,
        /// Family.
        #[arg(short, long, value_name = "FAMILY")]
        family: String,
        /// The device's RKTH.
        #[arg(long, value_name = "HEX")]
        rkth: Option<String>,
        /// The device's secure firmware counter.
        #[arg(long, value_name = "N")]
        min_firmware_version: Option<u32>,
        /// Require at least this authentication (plain, crc, signed), as secure boot does.
        #[arg(long, value_name = "AUTH")]
        require: Option<String>,
        /// Machine-readable report.
        #[arg(long)]
        json: bool,
    },
    /// Print an MBI config template.
    GetTemplate {
        /// Family.
        #[arg(short, long, value_name = "FAMILY")]
        family: String,
        /// Write to a file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

/// `sbgen rkth`.
#[derive(Debug, Args)]
pub struct RkthArgs {
    /// Family (where the RKTH goes).
    #[arg(short, long, value_name = "FAMILY")]
    pub family: String,
    /// Root public keys (or private keys, or certificates), 1 to 4, in table order.
    #[arg(value_name = "KEY", required = true, num_args = 1..=4)]
    pub keys: Vec<PathBuf>,
    /// Also write the raw RKTH bytes to this file.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Machine-readable report.
    #[arg(long)]
    pub json: bool,
}
