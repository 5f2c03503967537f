//! Command line of `sbgen` (clap derive; the doc comments are the help).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// sbgen: SB3.1 and SB2.1 capsules, certificate blocks v2.1 and v1, master boot images and
/// RKTH for NXP MCUs, from SPSDK `nxpimage` YAML configs (and BD command files).
///
/// Exit codes: 0 ok; 1 verification or operation failed; 2 usage or input error; 3 a file
/// could not be read or written.
#[derive(Debug, Parser)]
#[command(
    name = "sbgen",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 ok; 1 verification or operation failed; 2 usage or input error; \
                  3 a file could not be read or written."
)]
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
    /// SB2.1 secure binary files (LPC55S0x/1x/2x/6x, RT5xx/6xx) from SPSDK `nxpimage sb21`
    /// YAML configs or BD files.
    #[command(subcommand)]
    Sb21(Sb21Cmd),
    /// Certificate blocks: v1 (X.509 RSA chain; LPC55S0x/1x/2x/6x, RT5xx/6xx) and v2.1.
    #[command(subcommand, name = "cert-block")]
    CertBlock(CertBlockCmd),
    /// Master boot images (plain, CRC, signed): RSA/cert block v1 (LPC55S0x/1x/2x/6x,
    /// RT5xx/6xx) and ECDSA/cert block v2.1 (lpc55s36, mcxn947, rw612).
    #[command(subcommand)]
    Mbi(MbiCmd),
    /// RKTH of a root key set and the CMPA/OTP value that holds it.
    Rkth(RkthArgs),
    /// Key pairs for root keys, ISKs and certificates (RSA and ECC).
    #[command(subcommand)]
    Key(KeyCmd),
    /// X.509 certificates (certificate block v1 roots and chains) from SPSDK `nxpcrypto cert
    /// generate` configs, and checking them.
    #[command(subcommand)]
    Cert(CertCmd),
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
        /// rsa2048, rsa3072, rsa4096, p256 or p384.
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

/// `sbgen cert ...`
#[derive(Debug, Subcommand)]
pub enum CertCmd {
    /// Make a certificate from an SPSDK `nxpcrypto cert generate` config: issuer and subject
    /// names, issuer_private_key, subject_public_key, serial_number, duration (days from now,
    /// UTC), extensions BASIC_CONSTRAINTS {ca, path_length}, pss_padding. Same bytes as
    /// SPSDK 3.12 apart from the validity dates and random serials (and ECDSA signatures).
    Generate {
        /// The config (YAML); paths in it are relative to it.
        #[arg(short, long, value_name = "CONFIG")]
        config: PathBuf,
        /// Output certificate (`-` = stdout).
        #[arg(short, long, value_name = "CERT")]
        output: PathBuf,
        /// pem or der (default: der for a .der or .cer output, else pem).
        #[arg(short, long, value_name = "ENCODING")]
        encoding: Option<String>,
        /// Start of validity instead of now, YYYY-MM-DDTHH:MM:SSZ (reproducible builds); the
        /// end is this plus `duration` days.
        #[arg(long, value_name = "TIME")]
        not_before: Option<String>,
    },
    /// Print a `cert generate` config template.
    GetTemplate {
        /// Write to a file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Check a certificate: signature (with --issuer, else a self-signed certificate's own
    /// key), validity now; prints subject, issuer, serial, key and CA flag. Exit 1 names the
    /// first failure.
    Verify {
        /// The certificate, PEM or DER (`-` = stdin).
        #[arg(short, long, value_name = "CERT")]
        input: PathBuf,
        /// The issuer's certificate, public key or private key.
        #[arg(long, value_name = "CERT|KEY")]
        issuer: Option<PathBuf>,
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

/// `sbgen sb21 ...`
#[derive(Debug, Subcommand)]
pub enum Sb21Cmd {
    /// Build an SB2.1 file from an SPSDK `nxpimage sb21` YAML config or a BD file.
    ///
    /// Bytes as SPSDK 3.12 makes them: component version written as the product version,
    /// header build number = the certificate block's imageBuildNumber (with -S/-R:
    /// options.buildNumber, default 1), LOAD count = padded length, TAG flags 0x8001, section
    /// UIDs 0, 1, ... LOAD/FILL padding is always zero (SPSDK: random without zeroPadding);
    /// the header padding is random unless options.zeroPadding. Fixed: with flag 0x8000 the
    /// header's image_blocks and first_boot_tag_block count the SHA-256 (SPSDK: 2 blocks
    /// short); --spsdk-compat writes SPSDK's values and reads BD files with SPSDK's quirks
    /// (a fill range is dropped, a {{ }} blob is one little-endian word).
    ///
    /// OTFAD (RT5xx/6xx): keyblobs [{keyblob_id, keyblob_content: [{start, end, key,
    /// counter, byte_swap}]}], keywrap {keyblob_id, address, values: KEK} and encrypt
    /// {keyblob_id, address, file | values | data} write SPSDK's key blobs and encrypted
    /// data (only a key blob's first region is used, as SPSDK). The key blob's zero-fill
    /// word is random unless options.zeroPadding (zero) or keywrap.zeroFill (extension). An
    /// image loaded past its region's start is encrypted with the counter of its own address
    /// (SPSDK: of the region's start, which does not decrypt; --spsdk-compat copies it).
    /// Stricter than SPSDK: start 1 KB aligned, end ending in 0x3FF, 16-byte keys and KEKs,
    /// 8-byte counters, disjoint regions, unique ids.
    ///
    /// sbgen extensions (SPSDK rejects them; `parse -o` writes them where a file needs them):
    /// options.headerPadding (16 hex digits), options.spsdkBlockCounts,
    /// options.writeComponentVersion, options.timestampUs; per section uid, flags, hmacCount;
    /// commands call {address, argument}, reset {}, nop {}; load.data (hex bytes),
    /// load.padding, load.exactLength; fill.length, fill.patternWord;
    /// programFuses.word1/word2; keywrap.zeroFill (8 hex digits); encrypt.data (hex bytes).
    #[command(disable_help_flag = true)]
    Export {
        /// The YAML config or BD file.
        #[arg(
            short = 'c',
            long = "command",
            visible_alias = "config",
            value_name = "CONFIG"
        )]
        config: PathBuf,
        /// Output file (default: the config's containerOutputFile; `-` = stdout).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// SPSDK 3.12's header block counts with flag 0x8000, its BD quirks and its OTFAD
        /// counter (the region's start) for encrypt.
        #[arg(long)]
        spsdk_compat: bool,
        #[command(flatten)]
        keys: Sb21KeyArgs,
        /// Print help.
        #[arg(long, action = clap::ArgAction::Help)]
        help: Option<bool>,
    },
    /// Verify and decrypt an SB2.1 file, print every section and command, and with -o write
    /// a config + data files that `export` turns back into the same bytes.
    Parse {
        #[command(flatten)]
        check: Sb21CheckArgs,
        /// Write the config, load data and certificate block into DIR.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Family to write into the config (not stored in the file; default: a guess).
        #[arg(short, long, value_name = "FAMILY")]
        family: Option<String>,
        /// The signer to write into the config (the private key is not in the file).
        #[arg(long, value_name = "SPEC")]
        signer: Option<String>,
    },
    /// Check an SB2.1 file as the ROM does: header, key blob (SBKEK), certificate block
    /// (against --rkth), signature, SHA-256, section and command HMACs, checksums, LOAD CRCs.
    /// Exit 1 names the first failure.
    Verify {
        #[command(flatten)]
        check: Sb21CheckArgs,
    },
    /// Print a config template with the family's commands.
    GetTemplate {
        /// Family.
        #[arg(short, long, value_name = "FAMILY")]
        family: String,
        /// Write to a file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Convert a BD file into an SB2.1 YAML config and a cert_block.yaml next to it (from
    /// -R roots and the -S chain), as `nxpimage sb21 convert`.
    #[command(disable_help_flag = true)]
    Convert {
        /// The BD file.
        #[arg(short = 'c', long = "command", value_name = "BD")]
        command: PathBuf,
        /// The YAML config to write.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
        /// Family (default: the BD options' family).
        #[arg(short, long, value_name = "FAMILY")]
        family: Option<String>,
        /// Read the BD file with SPSDK 3.12's quirks.
        #[arg(long)]
        spsdk_compat: bool,
        #[command(flatten)]
        keys: Sb21KeyArgs,
        /// Print help.
        #[arg(long, action = clap::ArgAction::Help)]
        help: Option<bool>,
    },
    /// Make an SBKEK, as `nxpimage sb21 get-sbkek`: SBKEK = AES-256-ECB(master key,
    /// 03 00.. || 04 00..), the derivation of RT5xx/6xx ROMs from the OTP master key; for
    /// LPC55Sxx (PUF key store) any 32 bytes do. With -o, writes sbkek.txt (hex, for
    /// configs), sbkek.bin (reversed, for `blhost key-provisioning set_user_key 3`),
    /// otp_master_key.txt/.bin (mode 0600) and prints only the file names; without -o prints
    /// both keys on stdout.
    GetSbkek {
        /// The OTP master key (hex text or a file); default: 32 random bytes.
        #[arg(short = 'k', long = "master-key", value_name = "KEY")]
        master_key: Option<String>,
        /// Output directory.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

/// SPSDK's `nxpimage sb21 export/convert` key options.
#[derive(Debug, Args)]
pub struct Sb21KeyArgs {
    /// SBKEK: hex text, or a file with hex text or 32 raw bytes (overrides
    /// containerKeyBlobEncryptionKey).
    #[arg(short = 'k', long = "key", value_name = "KEK")]
    pub kek: Option<String>,
    /// Signing key or signature provider (overrides signer).
    #[arg(short = 's', long = "pkey", value_name = "SIGNER")]
    pub signer: Option<String>,
    /// Certificate chain, root certificate first (with -R: builds the certificate block).
    #[arg(short = 'S', long = "cert", value_name = "CERT")]
    pub certs: Vec<PathBuf>,
    /// Root certificates in RKHT order (at most 4); one must be the first -S.
    #[arg(short = 'R', long = "root-key-cert", value_name = "ROOTCERT")]
    pub root_certs: Vec<PathBuf>,
    /// Write the RKTH (32 bytes) here (overrides RKTHOutputPath).
    #[arg(short = 'h', long = "hash-of-hashes", value_name = "RKTH_OUT")]
    pub rkth_out: Option<PathBuf>,
}

/// Options shared by `sb21 parse` and `sb21 verify`.
#[derive(Debug, Args)]
pub struct Sb21CheckArgs {
    /// The SB2.1 file (`-` = stdin).
    #[arg(
        short,
        long,
        value_name = "FILE",
        visible_short_alias = 'b',
        visible_alias = "binary"
    )]
    pub input: PathBuf,
    /// SBKEK: hex text, or a file with hex text (a trailing newline is fine) or 32 raw bytes.
    #[arg(short = 'k', long = "key", value_name = "KEK")]
    pub kek: String,
    /// The device's RKTH (hex text or file): the certificate block must match it.
    #[arg(long, value_name = "HEX")]
    pub rkth: Option<String>,
    /// Machine-readable report on stdout.
    #[arg(long)]
    pub json: bool,
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
    /// Build a certificate block from an SPSDK cert-block config: v1 for an SB2.1 family
    /// (or RSA X.509 root certificates), else v2.1. A v1 block is aligned to 16 bytes.
    Export {
        /// The config (YAML).
        #[arg(short, long, value_name = "CONFIG")]
        config: PathBuf,
        /// Output (default: containerOutputFile; `-` = stdout).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Decode and verify a binary certificate block: v2.1 (ISK signature, --rkth) or v1
    /// (certificate chain rules and signatures, root key in the RKHT, --rkth).
    Parse {
        /// The block (`-` = stdin).
        #[arg(short, long, value_name = "FILE")]
        input: PathBuf,
        /// Expected RKTH.
        #[arg(long, value_name = "HEX")]
        rkth: Option<String>,
        /// Write a config that `export` turns back into the block, with the public keys
        /// (v2.1) or every certificate (v1), into DIR.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Machine-readable report.
        #[arg(long)]
        json: bool,
    },
    /// Print a cert-block config template (v1 or v2.1, as the family takes).
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
    /// signatures, HMAC (with --otp-master-key), firmware version.
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
        /// The device's secure firmware counter (cert block v2.1 manifests).
        #[arg(long, value_name = "N")]
        min_firmware_version: Option<u32>,
        /// Require at least this authentication (plain, crc, signed), as secure boot does.
        #[arg(long, value_name = "AUTH")]
        require: Option<String>,
        /// The device's OTP master key (hex text or a 32-byte file): checks the HMAC of
        /// RT5xx/6xx signed load-to-RAM images.
        #[arg(long, value_name = "KEY")]
        otp_master_key: Option<String>,
        /// Machine-readable report.
        #[arg(long)]
        json: bool,
    },
    /// Decode and check an image, and write a config with its parts that `export` turns
    /// back into the same image (every certificate and RKHT entry kept).
    Parse {
        /// The image (`-` = stdin).
        #[arg(short, long, value_name = "IMAGE")]
        input: PathBuf,
        /// Family.
        #[arg(short, long, value_name = "FAMILY")]
        family: String,
        /// Directory for the config and its files.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// The signer to write into the config (the private key is not in the image).
        #[arg(long, value_name = "SPEC")]
        signer: Option<String>,
        /// The OTP master key (hex text or a 32-byte file; the key store's user key when the
        /// image embeds one): decrypts RT5xx/6xx encrypted images (required for them) and
        /// checks their HMAC.
        #[arg(long, value_name = "KEY")]
        otp_master_key: Option<String>,
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
    /// Root public keys (or private keys, or certificates), 1 to 4, in table order: RSA
    /// keys for cert block v1 families (RKTH over the 4-entry table), ECC for v2.1.
    #[arg(value_name = "KEY", required = true, num_args = 1..=4)]
    pub keys: Vec<PathBuf>,
    /// Also write the raw RKTH bytes to this file.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Machine-readable report.
    #[arg(long)]
    pub json: bool,
}
