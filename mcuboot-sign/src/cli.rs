//! Command line of `mcuboot-sign`: imgtool 2.5.0's subcommands and options, verbatim
//! (clap derive; the doc comments are the help).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// mcuboot-sign: sign, verify and encrypt MCUboot images; a drop-in for imgtool 2.5.0.
///
/// Exit codes: 0 ok; 1 verification failed; 2 usage or input error (bad option, unreadable
/// input or key, an image that does not fit); 3 an output file could not be written.
#[derive(Debug, Parser)]
#[command(name = "mcuboot-sign", version, about, long_about = None, args_override_self = true)]
pub struct Cli {
    /// More logging on stderr (`--verbose` info, twice debug). `-v` is imgtool's
    /// `--version` of `sign`, so there is no short form.
    #[arg(long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Cmd,
}

/// Subcommands (imgtool's, plus `completions`).
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create a signed or unsigned image.
    ///
    /// INFILE and OUTFILE are parsed as Intel HEX if the params have .hex extension,
    /// otherwise binary format is used. `-` reads stdin / writes stdout (binary).
    #[command(visible_alias = "create", args_override_self = true)]
    Sign(Box<SignArgs>),
    /// Check that signed image can be verified by given key.
    Verify(VerifyArgs),
    /// Generate pub/private keypair (PKCS#8 PEM, written with mode 0600).
    Keygen(KeygenArgs),
    /// Dump public key from keypair.
    Getpub(GetpubArgs),
    /// Dump the SHA256 hash of the public key.
    Getpubhash(GetpubhashArgs),
    /// Dump private key from keypair.
    Getpriv(GetprivArgs),
    /// Print whether KEY is a keypair (`private`) or a public-only key (`public`).
    Keyinfo(KeyinfoArgs),
    /// Print header, TLV area and trailer information of a signed image.
    Dumpinfo(DumpinfoArgs),
    /// Print the imgtool version this tool is compatible with (2.5.0).
    Version,
    /// Print a shell completion script.
    Completions {
        /// Shell.
        shell: clap_complete::Shell,
    },
}

/// `--public-key-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PubKeyFormat {
    /// KEYHASH TLV (hash of the public key).
    Hash,
    /// PUBKEY TLV (the public key).
    Full,
}

/// `--endian`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EndianArg {
    /// Little-endian.
    Little,
    /// Big-endian.
    Big,
}

/// `--compression`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    /// No compression.
    Disabled,
    /// LZMA2 (not supported).
    Lzma2,
    /// LZMA2 with the ARM Thumb filter (not supported).
    Lzma2armthumb,
}

/// `--vector-to-sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VectorArg {
    /// The signed region.
    Payload,
    /// Its digest.
    Digest,
}

/// Options of `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Unique vendor identifier, format: (<raw_uuid>|<domain_name>).
    #[arg(long)]
    pub vid: Option<String>,
    /// Unique image class identifier, format: (<raw_uuid>|<image_class_name>).
    #[arg(long)]
    pub cid: Option<String>,
    /// Send to OUTFILE the payload or payload's digest instead of the complete image.
    /// These data can be used for external image signing.
    #[arg(long, value_enum)]
    pub vector_to_sign: Option<VectorArg>,
    /// SHA algorithm used in HKDF/HMAC in ECIES key exchange TLV.
    #[arg(long, value_parser = ["auto", "256", "512"], default_value = "auto")]
    pub hmac_sha: String,
    /// Selected sha algorithm to use; defaults to "auto" which is 256 if no cryptographic
    /// signature is used, or default for signature type.
    #[arg(long, value_parser = ["auto", "256", "384", "512"], default_value = "auto")]
    pub sha: String,
    /// Path to the file to which signature will be written. The image signature will be
    /// encoded as base64 formatted string.
    #[arg(long, value_name = "filename")]
    pub sig_out: Option<PathBuf>,
    /// Expected Pure variant of signature; the Pure variant is expected to be signature
    /// done over an image rather than hash of that image.
    #[arg(long)]
    pub pure: bool,
    /// Public key relevant to fixed signature.
    #[arg(long, value_name = "filename")]
    pub fix_sig_pubkey: Option<PathBuf>,
    /// Fixed signature for the image (base64). It will be used instead of the signature
    /// calculated using the public key.
    #[arg(long, value_name = "filename")]
    pub fix_sig: Option<PathBuf>,
    /// Signing key: a PEM or DER private key file (PKCS#8, PKCS#1 RSA, SEC1 EC), or a
    /// signer string `type=file;file_path=PATH`.
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: Option<String>,
    /// In what format to add the public key to the image manifest: full key or hash of
    /// the key.
    #[arg(long, value_enum, default_value = "hash")]
    pub public_key_format: PubKeyFormat,
    /// Maximum flash alignment. Set if flash alignment of the primary and secondary slot
    /// differ and any of them is larger than 8.
    #[arg(long, value_parser = ["8", "16", "32"])]
    pub max_align: Option<String>,
    /// Alignment used by swap update modes.
    #[arg(long, value_parser = ["1", "2", "4", "8", "16", "32"], default_value = "1")]
    pub align: String,
    /// Image version: maj[.min[.rev[+build]]] (0-255, 0-255, 0-65535, 0-4294967295).
    #[arg(
        short = 'v',
        long = "version",
        value_name = "TEXT",
        allow_hyphen_values = true
    )]
    pub version: String,
    /// Specify the value of security counter. Use the `auto` keyword to automatically
    /// generate it from the image version.
    #[arg(short = 's', long, value_name = "TEXT", allow_hyphen_values = true)]
    pub security_counter: Option<String>,
    /// Add dependence on another image, format: "(<image_ID>,<image_version>), ... ".
    #[arg(short = 'd', long, value_name = "TEXT")]
    pub dependencies: Option<String>,
    /// Add 0-2 bytes of padding to ECDSA signature (for mcuboot <1.5).
    #[arg(long)]
    pub pad_sig: bool,
    /// Header size (at least 32; NXP MCUXpresso SDK: 0x400).
    #[arg(short = 'H', long, value_name = "INTEGER", allow_hyphen_values = true)]
    pub header_size: String,
    /// Add --header-size bytes of the erased value at the beginning of the image.
    #[arg(long)]
    pub pad_header: bool,
    /// Size of the slot. If the slots have different sizes, use the size of the
    /// secondary slot.
    #[arg(short = 'S', long, value_name = "INTEGER", allow_hyphen_values = true)]
    pub slot_size: String,
    /// Pad image to --slot-size bytes, adding trailer magic.
    #[arg(long)]
    pub pad: bool,
    /// When padding the image, mark it for a test swap (implies --pad).
    #[arg(long)]
    pub test: bool,
    /// When padding the image, mark it as confirmed (implies --pad).
    #[arg(long)]
    pub confirm: bool,
    /// When padding allow for this amount of sectors (defaults to 128).
    #[arg(short = 'M', long, value_name = "INTEGER")]
    pub max_sectors: Option<u32>,
    /// Create CBOR encoded boot record TLV. The sw_type represents the role of the
    /// software component (e.g. CoFM for coprocessor firmware). [max. 12 characters]
    #[arg(long, value_name = "sw_type")]
    pub boot_record: Option<String>,
    /// Use overwrite-only instead of swap upgrades.
    #[arg(long)]
    pub overwrite_only: bool,
    /// Select little or big endian.
    #[arg(short = 'e', long, value_enum, default_value = "little")]
    pub endian: EndianArg,
    /// Output a non-encrypted image with encryption capabilities, so it can be installed
    /// in the primary slot, and encrypted when swapped to the secondary.
    #[arg(short = 'c', long)]
    pub clear: bool,
    /// Image compression (only `disabled` is supported).
    #[arg(long, value_enum, default_value = "disabled")]
    pub compression: Compression,
    /// When encrypting the image using AES, select a 128 bit or 256 bit key len.
    #[arg(long, value_parser = ["128", "256"], default_value = "128")]
    pub encrypt_keylen: String,
    /// Encrypt image using the provided public key (RSA-2048, P-256 or X25519).
    #[arg(short = 'E', long, value_name = "filename")]
    pub encrypt: Option<PathBuf>,
    /// When upgrading, save encrypted key TLVs instead of plain keys. Enable when
    /// BOOT_SWAP_SAVE_ENCTLV config option was set.
    #[arg(long)]
    pub save_enctlv: bool,
    /// Set flash address the image is built for.
    #[arg(short = 'F', long, value_name = "INTEGER", allow_hyphen_values = true)]
    pub rom_fixed: Option<String>,
    /// Load address for image when it should run from RAM.
    #[arg(short = 'L', long, value_name = "INTEGER", allow_hyphen_values = true)]
    pub load_addr: Option<String>,
    /// Adjust address in hex output file.
    #[arg(short = 'x', long, value_name = "INTEGER", allow_hyphen_values = true)]
    pub hex_addr: Option<String>,
    /// The value that is read back from erased flash.
    #[arg(short = 'R', long, value_parser = ["0", "0xff"])]
    pub erased_val: Option<String>,
    /// Custom TLV that will be placed into protected area. The second argument is the
    /// path to a binary file containing the TLV data. Repeatable.
    #[arg(long, num_args = 2, value_names = ["tag", "filename"], action = clap::ArgAction::Append)]
    pub custom_tlv_file: Vec<String>,
    /// Custom TLV that will be placed into protected area. Add "0x" prefix if the value
    /// should be interpreted as an integer, otherwise it will be interpreted as a string.
    /// Repeatable.
    #[arg(long, num_args = 2, value_names = ["tag", "value"], action = clap::ArgAction::Append, allow_hyphen_values = true)]
    pub custom_tlv: Vec<String>,
    /// Mark the image as non-bootable.
    #[arg(long)]
    pub non_bootable: bool,
    /// Input application (.hex: Intel HEX; else binary; `-`: stdin).
    pub infile: String,
    /// Output image (.hex: Intel HEX; else binary; `-`: stdout).
    pub outfile: String,
}

/// Options of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Key (private or public) whose signature must be present.
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: Option<PathBuf>,
    /// Decrypt an encrypted image with this device key (RSA-2048, P-256 or X25519 private
    /// key) before checking it: the hash covers the plaintext. (Not in imgtool, which
    /// reports "Image has an invalid hash" for every encrypted image.)
    #[arg(long, value_name = "filename")]
    pub decrypt_key: Option<PathBuf>,
    /// The image (.hex or binary).
    pub imgfile: PathBuf,
}

/// Key types of `keygen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeygenType {
    /// RSA-2048.
    #[value(name = "rsa-2048")]
    Rsa2048,
    /// RSA-3072.
    #[value(name = "rsa-3072")]
    Rsa3072,
    /// ECDSA P-256.
    #[value(name = "ecdsa-p256")]
    EcdsaP256,
    /// ECDSA P-384.
    #[value(name = "ecdsa-p384")]
    EcdsaP384,
    /// Ed25519.
    Ed25519,
    /// X25519 (encryption).
    X25519,
}

/// Options of `keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Key file to write.
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: PathBuf,
    /// Key type.
    #[arg(short = 't', long = "type", value_enum, value_name = "type")]
    pub kind: KeygenType,
    /// Prompt for password to protect key (not supported: keys are written unencrypted,
    /// mode 0600).
    #[arg(short = 'p', long)]
    pub password: bool,
}

/// Options of `getpub`.
#[derive(Debug, Args)]
pub struct GetpubArgs {
    /// Specify the output file's name. The stdout is used if it is not provided.
    #[arg(short = 'o', long, value_name = "output")]
    pub output: Option<PathBuf>,
    /// Key file (private or public).
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: PathBuf,
    /// Append SUFFIX to the emitted C/Rust symbol names.
    #[arg(long, value_name = "SUFFIX", default_value = "")]
    pub name_suffix: String,
    /// Valid encodings: lang-c, lang-rust, pem, raw.
    #[arg(short = 'e', long, value_name = "encoding", value_parser = ["lang-c", "lang-rust", "pem", "raw"])]
    pub encoding: Option<String>,
    /// Deprecated: use --encoding. Valid langs: c, rust.
    #[arg(short = 'l', long, value_name = "lang", value_parser = ["c", "rust"])]
    pub lang: Option<String>,
}

/// Options of `getpubhash`.
#[derive(Debug, Args)]
pub struct GetpubhashArgs {
    /// Specify the output file's name. The stdout is used if it is not provided.
    #[arg(short = 'o', long, value_name = "output")]
    pub output: Option<PathBuf>,
    /// Key file (private or public).
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: PathBuf,
    /// Append SUFFIX to the emitted C symbol names (lang-c encoding only).
    #[arg(long, value_name = "SUFFIX", default_value = "")]
    pub name_suffix: String,
    /// Valid encodings: lang-c, raw. Default value is lang-c.
    #[arg(short = 'e', long, value_name = "encoding", value_parser = ["lang-c", "raw"])]
    pub encoding: Option<String>,
}

/// Options of `getpriv`.
#[derive(Debug, Args)]
pub struct GetprivArgs {
    /// Valid formats: openssl, pkcs8.
    #[arg(short = 'f', long, value_parser = ["openssl", "pkcs8"])]
    pub format: Option<String>,
    /// Private key file.
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: PathBuf,
    /// Reduce the size of the dumped private key to include only the minimum amount of
    /// data required to decrypt.
    #[arg(long)]
    pub minimal: bool,
}

/// Options of `keyinfo`.
#[derive(Debug, Args)]
pub struct KeyinfoArgs {
    /// Key file.
    #[arg(short = 'k', long, value_name = "filename")]
    pub key: PathBuf,
    /// Exit non-zero if the key kind does not match REQUIRE.
    #[arg(long, value_parser = ["private", "public"])]
    pub require: Option<String>,
}

/// Options of `dumpinfo`.
#[derive(Debug, Args)]
pub struct DumpinfoArgs {
    /// Do not print image information to output (kept for compatibility; ignored, as in
    /// imgtool).
    #[arg(short = 's', long)]
    pub silent: bool,
    /// Output format. Default: human for stdout, yaml for file.
    #[arg(short = 'f', long, value_parser = ["human", "yaml", "json"])]
    pub format: Option<String>,
    /// Save image information to outfile.
    #[arg(short = 'o', long, value_name = "filename")]
    pub outfile: Option<PathBuf>,
    /// The image (.hex or binary).
    pub imgfile: PathBuf,
}
