//! The command line: SPSDK 3.12 `blhost`'s options and subcommands, verbatim.
//!
//! The doc comments below are the `--help` text. Global options go before the
//! subcommand, as in SPSDK; a `--` between them is accepted (the SEC tool writes
//! `blhost -u 0x15A2,0x0073 -j -- get-property 1 0`), and SPSDK's two-letter short
//! option `-rp` (of `reset`) is accepted too.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use provkit::codec::parse_int;
use provkit::mboot::MemoryId;
use std::ffi::OsString;

/// Long help shown after the option list of `blhost --help`.
const AFTER_HELP: &str = "\
Exit codes (SPSDK's): 0 success; 1 the device returned a failure status (the status block is \
still printed on stdout), or no interface was given; 2 usage or input error, no device, \
connection error; 3 any other error.

Differences from SPSDK blhost (see blhost-rs/README.md): memory IDs 1..=255 are sent unchanged \
(SPSDK rewrites them to 0); fill-memory honours its byte/short format; UART pings once per \
process (once per batch); a batch file is checked completely before its first command runs; \
hex-data with an odd number of digits is an error; errors are one line on stderr \
(`blhost: <command>: device returned kStatus_... (N)`).";

/// Talk to the ROM bootloader (ISP) of an NXP MCU over UART or USB-HID.
///
/// A drop-in replacement for SPSDK's `blhost`: the same options, subcommands, arguments,
/// text output and `--json` output. Global options go before the subcommand.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "blhost",
    disable_version_flag = true,
    after_long_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// UART port and optional baud rate (default 57600), e.g. `/dev/ttyUSB0,115200`.
    /// Falls back to the environment variable BLHOST_PORT when neither -p nor -u is given.
    #[arg(short = 'p', long = "port", value_name = "PORT[,BAUD]")]
    pub port: Option<String>,

    /// USB-HID device: `VID,PID`, `VID:PID` or `VID` (hex `0x..` or decimal), a Linux
    /// `BUS#ADDR` path, or a chip name (`lpc55s69`, `mcxn947`, ...).
    #[arg(
        short = 'u',
        long = "usb",
        value_name = "VID,PID|PATH|NAME",
        conflicts_with = "port"
    )]
    pub usb: Option<String>,

    /// Timeout of one answer in milliseconds. UART pings wait min(max(500, MS/10), MS) each.
    #[arg(short = 't', long = "timeout", value_name = "MS", default_value = "5000",
          value_parser = num_u32)]
    pub timeout: u32,

    /// Print the result as JSON (SPSDK's format) instead of text; no progress bar.
    #[arg(short = 'j', long = "json")]
    pub json: bool,

    /// Silent mode: no status output and no progress bar (read data is still printed).
    #[arg(short = 's', long = "silent")]
    pub silent: bool,

    /// More logging on stderr: -v info, -vv debug, -vvv trace (wire bytes).
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print the version (`blhost, version X.Y.Z`) and exit.
    #[arg(long = "version")]
    pub version: bool,

    /// The operation.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// One line of a batch file: a subcommand and its arguments, no global options.
#[derive(Parser, Debug, Clone)]
#[command(name = "blhost", no_binary_name = true, disable_version_flag = true)]
pub struct BatchLine {
    /// The operation.
    #[command(subcommand)]
    pub command: Cmd,
}

/// `word`, `short` or `byte`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternFormat {
    /// 32-bit pattern.
    Word,
    /// 16-bit pattern, repeated twice in each word.
    Short,
    /// 8-bit pattern, repeated four times in each word.
    Byte,
}

/// `nolock` or `lock`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Leave the OTP word writable.
    Nolock,
    /// Lock the OTP word after programming (bit 24 of the index).
    Lock,
}

/// Byte order of flash-program-once data.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    /// Least significant byte first (default).
    #[value(name = "LSB")]
    Lsb,
    /// Most significant byte first.
    #[value(name = "MSB")]
    Msb,
}

/// Shells for `completions`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// `-f/--family` and `-r/--revision` of get-property and set-property.
#[derive(Args, Debug, Clone, Default)]
pub struct FamilyArgs {
    /// Chip family whose property numbering differs from the common one (kw45xx, kw47xx,
    /// mcxa1xx..., mimxrt7xx, mcxc151/161/162, ...); see `get-families -c get-property`.
    #[arg(short = 'f', long = "family", value_name = "FAMILY")]
    pub family: Option<String>,
    /// Chip revision (accepted for compatibility; it does not change anything here).
    #[arg(
        short = 'r',
        long = "revision",
        value_name = "REVISION",
        default_value = "latest"
    )]
    pub revision: String,
}

/// The subcommands (SPSDK's names and argument order).
#[derive(Subcommand, Debug, Clone)]
#[command(disable_help_subcommand = true)]
pub enum Cmd {
    /// Run blhost commands from a file (or stdin with `-`), one command per line.
    ///
    /// Lines are split like a shell (quotes, backslashes); `#` starts a comment. The whole
    /// file runs over one connection with one ping. It stops at the first command whose
    /// status is not success (exit 1); an unknown command exits 2 before anything runs.
    /// With -j every command prints its own JSON document (concatenated, not an array).
    Batch {
        /// File with one blhost command per line, or `-` for stdin.
        #[arg(value_name = "COMMAND_FILE")]
        command_file: String,
    },

    /// Call code at ADDRESS with ARGUMENT in R0 and return to the bootloader.
    Call {
        /// Function address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Argument passed in R0.
        #[arg(value_parser = num_u32)]
        argument: u32,
    },

    /// Apply a configuration block that is already in RAM to memory MEMORY_ID.
    ///
    /// Write the block to RAM first (write-memory or fill-memory).
    ConfigureMemory {
        /// Memory ID (9 = FlexSPI NOR, ...).
        #[arg(value_parser = mem_id)]
        memory_id: u32,
        /// Address of the configuration block.
        #[arg(value_parser = num_u32)]
        address: u32,
    },

    /// Program one OTP (eFuse) word; each bit can only be programmed once.
    EfuseProgramOnce {
        /// Index of the OTP word (not the shadow register address).
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Value in hex, `0x` optional.
        #[arg(value_parser = hex_u32)]
        data: u32,
        /// Lock the word after programming.
        #[arg(
            value_enum,
            ignore_case = true,
            default_value = "nolock",
            value_name = "nolock|lock"
        )]
        lock: Lock,
        /// Read the word back and check that every bit of DATA is set; a mismatch is
        /// reported as status 52009 (OTP_VerifyFail).
        #[arg(short = 'v', long = "verify", overrides_with = "no_verify")]
        verify: bool,
        /// Do not read back (default).
        #[arg(long = "no-verify")]
        no_verify: bool,
    },

    /// Read one OTP (eFuse) word.
    EfuseReadOnce {
        /// Index of the OTP word (not the shadow register address).
        #[arg(value_parser = num_u32)]
        address: u32,
    },

    /// Send a message to the EdgeLock Enclave (the messages live in target RAM).
    EleMessage {
        /// Address of the command message.
        #[arg(value_parser = num_u32, value_name = "CMD_MSG_ADDR")]
        cmd_msg_addr: u32,
        /// Number of 32-bit words of the command message.
        #[arg(value_parser = num_u32, value_name = "CMD_MSG_CNT")]
        cmd_msg_cnt: u32,
        /// Address where the ELE writes its response.
        #[arg(value_parser = num_u32, value_name = "RESP_MSG_ADDR")]
        resp_msg_addr: u32,
        /// Number of 32-bit words reserved for the response.
        #[arg(value_parser = num_u32, value_name = "RESP_MSG_CNT")]
        resp_msg_cnt: u32,
    },

    /// Jump to code at ADDRESS (the device resets its state first; no return).
    Execute {
        /// Entry address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Argument passed in R0.
        #[arg(value_parser = num_u32)]
        argument: u32,
        /// Initial stack pointer (0 = the code sets it).
        #[arg(value_parser = num_u32)]
        stackpointer: u32,
    },

    /// Fill memory with a pattern.
    ///
    /// Unlike SPSDK (which ignores FORMAT and always sends PATTERN as a 32-bit word), a
    /// byte or short pattern is replicated into the 32-bit word the ROM repeats:
    /// `0xAB byte` sends 0xABABABAB, `0x1234 short` sends 0x12341234.
    FillMemory {
        /// Start address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Number of bytes to fill.
        #[arg(value_parser = num_u32)]
        byte_count: u32,
        /// Pattern.
        #[arg(value_parser = num_u32)]
        pattern: u32,
        /// Width of PATTERN.
        #[arg(
            value_enum,
            ignore_case = true,
            default_value = "word",
            value_name = "word|short|byte"
        )]
        format: PatternFormat,
    },

    /// Erase all of a flash memory (protected regions excepted).
    FlashEraseAll {
        /// Memory ID (default 0, internal flash).
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
    },

    /// Erase all flash and restore the flash security section (unsecure).
    FlashEraseAllUnsecure,

    /// Erase the flash sectors covering ADDRESS..ADDRESS+BYTE_COUNT.
    ///
    /// MEMORY_ID is sent unchanged (SPSDK rewrites 1..=255 to 0; the ROM wants the ID).
    FlashEraseRegion {
        /// Start address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Number of bytes.
        #[arg(value_parser = num_u32)]
        byte_count: u32,
        /// Memory ID (default 0).
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
    },

    /// Write an image file (binary, Intel HEX, S-record or ELF) to memory.
    ///
    /// ERASE is `erase` (erase every segment first, rounded out to 1 KiB), `none`
    /// (default), or a memory ID. Each segment prints its own status block.
    FlashImage {
        /// Image file; a raw binary goes to address 0 + base offset.
        #[arg(value_name = "FILE")]
        file: String,
        /// `erase`, `none`, or a memory ID.
        #[arg(default_value = "none")]
        erase: String,
        /// Memory ID (default 0); overrides a memory ID given as ERASE.
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
        /// Offset added to every address of the image.
        #[arg(short = 'o', long = "base-offset", value_parser = num_u64, default_value = "0")]
        base_offset: u64,
    },

    /// Program a 4- or 8-byte program-once field.
    FlashProgramOnce {
        /// Field index.
        #[arg(value_parser = num_u32)]
        index: u32,
        /// Width in bytes.
        #[arg(value_parser = ["4", "8"])]
        byte_count: String,
        /// Data in hex, `0x` optional.
        #[arg(value_parser = hex_u64)]
        data: u64,
        /// Byte order of DATA on the device.
        #[arg(
            value_enum,
            ignore_case = true,
            default_value = "LSB",
            value_name = "LSB|MSB"
        )]
        endianness: Endian,
    },

    /// Read a 4- or 8-byte program-once field.
    FlashReadOnce {
        /// Field index.
        #[arg(value_parser = num_u32)]
        index: u32,
        /// Width in bytes.
        #[arg(value_parser = ["4", "8"], default_value = "4")]
        byte_count: String,
    },

    /// Read the flash IFR (option 0) or the flash firmware ID (option 1).
    #[command(disable_help_flag = true)]
    FlashReadResource {
        /// Start address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Number of bytes, a multiple of 4.
        #[arg(value_parser = num_u32)]
        length: u32,
        /// 0 = IFR, 1 = firmware ID.
        #[arg(value_parser = ["0", "1"])]
        option: String,
        /// Output file (default: hex on stdout).
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Print a hexdump (offsets, ASCII) instead of plain hex.
        #[arg(short = 'h', long = "use-hexdump")]
        use_hexdump: bool,
        /// Print help.
        #[arg(long = "help", action = clap::ArgAction::Help)]
        help: Option<bool>,
    },

    /// Unlock flash security with the 8-byte backdoor key.
    FlashSecurityDisable {
        /// The key as 16 hex digits.
        key: String,
    },

    /// Program fuses from a file or hex data.
    FuseProgram {
        /// Fuse address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// `FILE[,BYTE_COUNT]` or hex data `{{11 22 33}}` / `[[112233]]`.
        #[arg(value_name = "FILE[,BYTE_COUNT]|{{HEX-DATA}}")]
        data: String,
        /// Memory ID (default 0), sent unchanged.
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
    },

    /// Read fuses to a file or stdout.
    #[command(disable_help_flag = true)]
    FuseRead {
        /// Fuse address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Number of bytes.
        #[arg(value_parser = num_u32)]
        byte_count: u32,
        /// Output file; `-` or nothing for hex on stdout.
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Memory ID (default 0), sent unchanged.
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
        /// Print a hexdump (offsets, ASCII) instead of plain hex.
        #[arg(short = 'h', long = "use-hexdump")]
        use_hexdump: bool,
        /// Print help.
        #[arg(long = "help", action = clap::ArgAction::Help)]
        help: Option<bool>,
    },

    /// Wrap a DEK into a key blob and write the blob to BLOB_FILE.
    GenerateKeyBlob {
        /// File with the binary DEK.
        dek_file: String,
        /// Output file for the blob.
        blob_file: String,
        /// Blob key encryption key: 0/1/OTPMK (default), 2/ZMK, 3/CMK.
        #[arg(default_value = "0", value_name = "KEY_SEL")]
        key_sel: String,
    },

    /// List the families whose property numbering differs (for -f of get/set-property).
    GetFamilies {
        /// The command to show the families of (get-property or set-property).
        #[arg(short = 'c', long = "cmd-name", value_parser = ["get-property", "set-property"])]
        cmd_name: Option<String>,
    },

    /// Read a bootloader property.
    ///
    /// PROPERTY_TAG is a number or a name: 1 current-version, 2 available-peripherals,
    /// 3 flash-start-address, 4 flash-size-in-bytes, 5 flash-sector-size, 6 flash-block-count,
    /// 7 available-commands, 8 check-status, 9 reserved, 10 verify-writes, 11 max-packet-size,
    /// 12 reserved-regions, 13 reserved_1, 14 ram-start-address, 15 ram-size-in-bytes,
    /// 16 system-device-id, 17 security-state, 18 unique-device-id, 19 flash-fac-support,
    /// 20 flash-access-segment-size, 21 flash-access-segment-count, 22 flash-read-margin,
    /// 23 qspi/otfad-init-status, 24 target-version, 25 external-memory-attributes (INDEX =
    /// memory ID), 26 reliable-update-status, 27 flash-page-size, 28 irq-notify-pin,
    /// 29 pfr-keystore-update-opt, 30 byte-write-timeout-ms, 31 fuse-locked-status,
    /// 32 boot-status, 33 loadable-fw-version, 34 fuse-program-voltage, 36 she-flash-partition,
    /// 37 she-boot-mode. An unknown name sends tag 0xFF. 0 / list-properties prints this
    /// help. With -f, kw45xx/kw47xx/mcxw7xx use 10 verify-erase (and kw45: 20 boot-status,
    /// 21 loadable-fw-version, 22 fuse-program-voltage); mcxa/mimxrt7xx/mcxc15x use
    /// 17 life-cycle.
    GetProperty {
        /// Property number or name.
        property_tag: String,
        /// Region index or memory ID (default 0).
        #[arg(value_parser = mem_id, default_value = "0")]
        index: u32,
        #[command(flatten)]
        family: FamilyArgs,
    },

    /// Print the internal flash, RAM and external memories of the device.
    ListMemory,

    /// Send a boot image file as a bare data phase (no command), for ROMs that wait for it.
    LoadImage {
        /// Boot image file (binary).
        #[arg(value_name = "FILE")]
        file: String,
    },

    /// Program an AES key to OTP: write-memory of FILE to address 0 of memory 0x200.
    ProgramAeskey {
        /// File with the raw key.
        #[arg(value_name = "FILE")]
        file: String,
    },

    /// Read memory to a file or stdout.
    ///
    /// Without FILE (or with `-`) the bytes are printed as hex before the status lines.
    /// MEMORY_ID is sent unchanged (SPSDK rewrites 1..=255 to 0; the ROM wants the ID).
    #[command(disable_help_flag = true)]
    ReadMemory {
        /// Start address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Number of bytes.
        #[arg(value_parser = num_u32)]
        byte_count: u32,
        /// Output file; `-` for stdout (needed to give MEMORY_ID).
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Memory ID (default 0).
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
        /// Print a hexdump (offsets, ASCII) instead of plain hex.
        #[arg(short = 'h', long = "use-hexdump")]
        use_hexdump: bool,
        /// USB-HID: one command for the whole read instead of one per packet.
        #[arg(short = 'f', long = "fast-mode")]
        fast_mode: bool,
        /// Print help.
        #[arg(long = "help", action = clap::ArgAction::Help)]
        help: Option<bool>,
    },

    /// Send an SB (secure binary) capsule to the device.
    ///
    /// Status 10119/10120 (pending jump/reset command) counts as success, as in SPSDK.
    ReceiveSbFile {
        /// SB file.
        #[arg(value_name = "FILE")]
        file: String,
        /// Accepted for compatibility (USB aborts are always reported here).
        #[arg(short = 'c', long = "check-errors")]
        check_errors: bool,
    },

    /// Reliable update (swap) with the application at ADDRESS.
    ReliableUpdate {
        /// Address.
        #[arg(value_parser = num_u32)]
        address: u32,
    },

    /// Reset the device (the response comes before the reset; no reconnect).
    Reset {
        /// Optional reset parameter sent as the command's only parameter (`-rp`).
        #[arg(long = "reset-parameter", value_name = "INT", value_parser = num_u32)]
        reset_parameter: Option<u32>,
    },

    /// Write a bootloader property (only some are writable).
    ///
    /// PROPERTY_TAG as for get-property: 10 verify-writes, 22 flash-read-margin,
    /// 28 irq-notify-pin, 29 pfr-keystore-update-opt, 30 byte-write-timeout-ms,
    /// 36 she-flash-partition, 37 she-boot-mode.
    SetProperty {
        /// Property number or name.
        property_tag: String,
        /// New value.
        #[arg(value_parser = num_u32)]
        value: u32,
        #[command(flatten)]
        family: FamilyArgs,
    },

    /// Move the device to another life cycle state.
    UpdateLifeCycle {
        /// Life cycle value.
        #[arg(value_parser = num_u32, value_name = "LIFE_CYCLE")]
        life_cycle: u32,
    },

    /// Write memory from a file or hex data.
    ///
    /// MEMORY_ID is sent unchanged (SPSDK rewrites 1..=255 to 0; the ROM wants the ID).
    WriteMemory {
        /// Start address.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// `FILE[,BYTE_COUNT]` (only the first BYTE_COUNT bytes) or hex data
        /// `{{11 22 33}}` / `[[112233]]`.
        #[arg(value_name = "FILE[,BYTE_COUNT]|{{HEX-DATA}}")]
        data: String,
        /// Memory ID (default 0).
        #[arg(value_parser = mem_id, default_value = "0")]
        memory_id: u32,
    },

    /// PUF key store operations.
    #[command(subcommand)]
    KeyProvisioning(KeyProv),

    /// Trust provisioning and device HSM operations.
    #[command(subcommand)]
    TrustProvisioning(TrustProv),

    /// Print a shell completion script (not in SPSDK).
    Completions {
        /// Shell.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// `key-provisioning` operations (underscored names, as SPSDK).
#[derive(Subcommand, Debug, Clone)]
#[command(disable_help_subcommand = true)]
pub enum KeyProv {
    /// Enroll the PUF.
    #[command(name = "enroll")]
    Enroll,
    /// Send a user key of TYPE to the bootloader.
    ///
    /// TYPE: 2 OTFADKEK, 3 SBKEK, 7..10 PRINCE0..3, 11 USERKEK, 12 UDS (names are
    /// case-insensitive). FILE is binary, or hex text; with -s it may also be the key as hex.
    /// `FILE,SIZE` sends the first SIZE bytes.
    #[command(name = "set_user_key")]
    SetUserKey {
        /// Key size in bits (then FILE may be a binary file, a hex text file or a hex string).
        #[arg(short = 's', long = "key-size", value_parser = num_u32)]
        key_size: Option<u32>,
        /// Key type, number or name.
        #[arg(value_name = "TYPE")]
        key_type: String,
        /// `FILE[,SIZE]`.
        #[arg(value_name = "FILE[,SIZE]")]
        file: String,
    },
    /// Generate an intrinsic key of TYPE and SIZE bytes.
    #[command(name = "set_key")]
    SetKey {
        /// Key type, number or name.
        #[arg(value_name = "TYPE")]
        key_type: String,
        /// Key size in bytes.
        #[arg(value_parser = num_u32, value_name = "SIZE")]
        key_size: u32,
    },
    /// Write the key store to non-volatile memory.
    #[command(name = "write_key_nonvolatile")]
    WriteKeyNonvolatile {
        /// Memory ID (default 0).
        #[arg(value_parser = mem_id, default_value = "0", value_name = "memoryID")]
        memory_id: u32,
    },
    /// Load the key store from non-volatile memory.
    #[command(name = "read_key_nonvolatile")]
    ReadKeyNonvolatile {
        /// Memory ID (default 0).
        #[arg(value_parser = mem_id, default_value = "0", value_name = "memoryID")]
        memory_id: u32,
    },
    /// Send a whole key store (`FILE,SIZE` sends the first SIZE bytes).
    #[command(name = "write_key_store")]
    WriteKeyStore {
        /// `FILE[,SIZE]`.
        #[arg(value_name = "FILE[,SIZE]")]
        file: String,
    },
    /// Read the key store into FILE.
    #[command(name = "read_key_store")]
    ReadKeyStore {
        /// Output file.
        #[arg(value_name = "FILE")]
        file: String,
    },
}

/// `trust-provisioning` operations (underscored names, as SPSDK).
#[derive(Subcommand, Debug, Clone)]
#[command(disable_help_subcommand = true)]
pub enum TrustProv {
    /// Start proving genuinity with the request at ADDRESS (sentinel op 0xF4).
    #[command(name = "prove_genuinity")]
    ProveGenuinity {
        /// Address of the request (64-bit allowed).
        #[arg(value_parser = num_u64)]
        address: u64,
        /// Maximum response size (at most 0xFFFF).
        #[arg(value_parser = num_u32)]
        buffer_size: u32,
    },
    /// Hybrid prove genuinity (sentinel op 0xF5; not in SPSDK's CLI).
    #[command(name = "prove_genuinity_hybrid")]
    ProveGenuinityHybrid {
        /// Address of the request (64-bit allowed).
        #[arg(value_parser = num_u64)]
        address: u64,
        /// Maximum response size (at most 0xFFFF).
        #[arg(value_parser = num_u32)]
        buffer_size: u32,
    },
    /// Process the wrapped OEM data at ADDRESS (sentinel op 0xF0).
    #[command(name = "isp_set_wrap_data")]
    IspSetWrapData {
        /// Address of the wrapped data (0 = the container in the firmware, control 2).
        #[arg(value_parser = num_u64)]
        address: u64,
        /// 1 = by address (default), 2 = in firmware.
        #[arg(value_parser = num_u32, default_value = "1")]
        control: u32,
        /// Stage of the TP process (default 0x4B).
        #[arg(value_parser = num_u32, default_value = "0x4B")]
        stage: u32,
    },
    /// Create the shares for the initial trust provisioning keys (op 0).
    #[command(name = "oem_gen_master_share")]
    OemGenMasterShare {
        /// OEM share (entropy seed) input address.
        #[arg(value_parser = num_u32)]
        oem_share_input_addr: u32,
        /// OEM share size.
        #[arg(value_parser = num_u32)]
        oem_share_input_size: u32,
        /// Encrypted OEM share output address.
        #[arg(value_parser = num_u32)]
        oem_enc_share_output_addr: u32,
        /// Encrypted OEM share buffer size.
        #[arg(value_parser = num_u32)]
        oem_enc_share_output_size: u32,
        /// Encrypted OEM master share output address.
        #[arg(value_parser = num_u32)]
        oem_enc_master_share_output_addr: u32,
        /// Encrypted OEM master share buffer size.
        #[arg(value_parser = num_u32)]
        oem_enc_master_share_output_size: u32,
        /// OEM customer certificate public key output address.
        #[arg(value_parser = num_u32)]
        oem_cust_cert_puk_output_addr: u32,
        /// OEM customer certificate public key buffer size.
        #[arg(value_parser = num_u32)]
        oem_cust_cert_puk_output_size: u32,
    },
    /// Take the OEM share and the encrypted OEM master share (op 1).
    #[command(name = "oem_set_master_share")]
    OemSetMasterShare {
        /// OEM share input address.
        #[arg(value_parser = num_u32)]
        oem_share_input_addr: u32,
        /// OEM share size.
        #[arg(value_parser = num_u32)]
        oem_share_input_size: u32,
        /// Encrypted OEM master share input address.
        #[arg(value_parser = num_u32)]
        oem_enc_master_share_input_addr: u32,
        /// Encrypted OEM master share size.
        #[arg(value_parser = num_u32)]
        oem_enc_master_share_input_size: u32,
    },
    /// Create the OEM customer certificate DICE public key from the RKTH (op 2).
    #[command(name = "oem_get_cust_cert_dice_puk")]
    OemGetCustCertDicePuk {
        /// RKTH input address.
        #[arg(value_parser = num_u32)]
        oem_rkth_input_addr: u32,
        /// RKTH size.
        #[arg(value_parser = num_u32)]
        oem_rkth_input_size: u32,
        /// Public key output address.
        #[arg(value_parser = num_u32)]
        oem_cust_cert_dice_puk_output_addr: u32,
        /// Public key buffer size.
        #[arg(value_parser = num_u32)]
        oem_cust_cert_dice_puk_output_size: u32,
    },
    /// Create the DICE response for a challenge (op 7).
    #[command(name = "oem_get_cust_dice_response")]
    OemGetCustDiceResponse {
        /// Challenge address.
        #[arg(value_parser = num_u32)]
        challenge_addr: u32,
        /// Challenge size.
        #[arg(value_parser = num_u32)]
        challenge_size: u32,
        /// Response output address.
        #[arg(value_parser = num_u32)]
        response_addr: u32,
        /// Response buffer size.
        #[arg(value_parser = num_u32)]
        response_size: u32,
    },
    /// Generate an OEM key blob and public key (op 3).
    ///
    /// KEY_TYPE: MFWISK (0xC3A5), ENCKEY (0x3CA5), MFWENCK (0xA5C3), GENSIGNK (0x5A3C),
    /// GETCUSTMKSK (0x3C5A), or a number.
    #[command(name = "hsm_gen_key")]
    HsmGenKey {
        /// Key type, name or number.
        key_type: String,
        /// Reserved, 0.
        #[arg(value_parser = num_u32)]
        reserved: u32,
        /// Key blob output address.
        #[arg(value_parser = num_u32)]
        key_blob_output_addr: u32,
        /// Key blob buffer size.
        #[arg(value_parser = num_u32)]
        key_blob_output_size: u32,
        /// ECDSA public key output address.
        #[arg(value_parser = num_u32)]
        ecdsa_puk_output_addr: u32,
        /// ECDSA public key buffer size.
        #[arg(value_parser = num_u32)]
        ecdsa_puk_output_size: u32,
    },
    /// Wrap a known key into a key blob (op 4).
    ///
    /// KEY_TYPE: CKDFK 1, HKDFK 2, HMACK 3, CMACK 4, AESK 5, KUOK 6, or a number.
    /// KEY_PROPERTY bit 0: 256-bit key; bits 30-31: CSS protection mode.
    #[command(name = "hsm_store_key")]
    HsmStoreKey {
        /// Key type, name or number.
        key_type: String,
        /// Key property.
        #[arg(value_parser = num_u32)]
        key_property: u32,
        /// Key input address.
        #[arg(value_parser = num_u32)]
        key_input_addr: u32,
        /// Key size.
        #[arg(value_parser = num_u32)]
        key_input_size: u32,
        /// Key blob output address.
        #[arg(value_parser = num_u32)]
        key_blob_output_addr: u32,
        /// Key blob buffer size.
        #[arg(value_parser = num_u32)]
        key_blob_output_size: u32,
    },
    /// Encrypt one SB3 data block in place (op 5).
    ///
    /// KEK_ID: 0x10 / INT_SK (NXP_CUST_KEK_INT_SK) or 0x11 / EXT_SK (NXP_CUST_KEK_EXT_SK).
    /// (SPSDK parses this argument with the hsm_store_key names by mistake.)
    #[command(name = "hsm_enc_blk")]
    HsmEncBlk {
        /// CKDF master key blob address.
        #[arg(value_parser = num_u32)]
        mfg_cust_mk_sk_0_blob_input_addr: u32,
        /// CKDF master key blob size.
        #[arg(value_parser = num_u32)]
        mfg_cust_mk_sk_0_blob_input_size: u32,
        /// Key encryption key ID.
        kek_id: String,
        /// SB3 header (block 0) address.
        #[arg(value_parser = num_u32)]
        sb3_header_input_addr: u32,
        /// SB3 header size.
        #[arg(value_parser = num_u32)]
        sb3_header_input_size: u32,
        /// Block index (from 1).
        #[arg(value_parser = num_u32)]
        block_num: u32,
        /// Block address.
        #[arg(value_parser = num_u32)]
        block_data_addr: u32,
        /// Block size.
        #[arg(value_parser = num_u32)]
        block_data_size: u32,
    },
    /// Sign data with a key blob from hsm_gen_key (op 6).
    #[command(name = "hsm_enc_sign")]
    HsmEncSign {
        /// Key blob address.
        #[arg(value_parser = num_u32)]
        key_blob_input_addr: u32,
        /// Key blob size.
        #[arg(value_parser = num_u32)]
        key_blob_input_size: u32,
        /// Data address.
        #[arg(value_parser = num_u32)]
        block_data_input_addr: u32,
        /// Data size.
        #[arg(value_parser = num_u32)]
        block_data_input_size: u32,
        /// Signature output address.
        #[arg(value_parser = num_u32)]
        signature_output_addr: u32,
        /// Signature buffer size.
        #[arg(value_parser = num_u32)]
        signature_output_size: u32,
    },
    /// WPC: harvest the device ID blob (op 0x05000000).
    #[command(name = "wpc_get_id")]
    WpcGetId {
        /// Buffer address.
        #[arg(value_parser = num_u32)]
        wpc_id_blob_addr: u32,
        /// Buffer size.
        #[arg(value_parser = num_u32)]
        wpc_id_blob_size: u32,
    },
    /// Harvest the device ID blob during wafer test (op 0x05000001; LC_STATE < 3).
    #[command(name = "nxp_get_id")]
    NxpGetId {
        /// Buffer address.
        #[arg(value_parser = num_u32)]
        id_blob_addr: u32,
        /// Buffer size.
        #[arg(value_parser = num_u32)]
        id_blob_size: u32,
    },
    /// WPC: validate a certificate before it is written (op 0x05000002).
    #[command(name = "wpc_insert_cert")]
    WpcInsertCert {
        /// Certificate address.
        #[arg(value_parser = num_u32)]
        wpc_cert_addr: u32,
        /// Certificate length.
        #[arg(value_parser = num_u32)]
        wpc_cert_len: u32,
        /// Offset of the 72-bit ECID.
        #[arg(value_parser = num_u32)]
        ec_id_offset: u32,
        /// Offset of the WPC public key.
        #[arg(value_parser = num_u32)]
        wpc_puk_offset: u32,
    },
    /// WPC: sign the TBS part of a CSR (op 0x05000003).
    #[command(name = "wpc_sign_csr")]
    WpcSignCsr {
        /// CSR-TBS address.
        #[arg(value_parser = num_u32)]
        csr_tbs_addr: u32,
        /// CSR-TBS length.
        #[arg(value_parser = num_u32)]
        csr_tbs_len: u32,
        /// Signature output address.
        #[arg(value_parser = num_u32)]
        signature_addr: u32,
        /// Signature length.
        #[arg(value_parser = num_u32)]
        signature_len: u32,
    },
    /// DSC: give the OEM seed to create the TP keys (op 0x06000000).
    #[command(name = "dsc_hsm_create_session")]
    DscHsmCreateSession {
        /// OEM seed address.
        #[arg(value_parser = num_u32)]
        oem_seed_input_addr: u32,
        /// OEM seed size.
        #[arg(value_parser = num_u32)]
        oem_seed_input_size: u32,
        /// OEM share output address.
        #[arg(value_parser = num_u32)]
        oem_share_output_addr: u32,
        /// OEM share buffer size.
        #[arg(value_parser = num_u32)]
        oem_share_output_size: u32,
    },
    /// DSC: encrypt one block (op 0x06000001; after dsc_hsm_create_session).
    #[command(name = "dsc_hsm_enc_blk")]
    DscHsmEncBlk {
        /// SBx header address.
        #[arg(value_parser = num_u32)]
        sbx_header_input_addr: u32,
        /// SBx header size.
        #[arg(value_parser = num_u32)]
        sbx_header_input_size: u32,
        /// Block number.
        #[arg(value_parser = num_u32)]
        block_num: u32,
        /// Block address.
        #[arg(value_parser = num_u32)]
        block_data_addr: u32,
        /// Block size.
        #[arg(value_parser = num_u32)]
        block_data_size: u32,
    },
    /// DSC: sign a data buffer (op 0x06000002; after dsc_hsm_create_session).
    ///
    /// Works here; SPSDK 3.12's version of this command fails on a misnamed argument.
    #[command(name = "dsc_hsm_enc_sign")]
    DscHsmEncSign {
        /// Data address.
        #[arg(value_parser = num_u32)]
        block_data_input_addr: u32,
        /// Data size.
        #[arg(value_parser = num_u32)]
        block_data_input_size: u32,
        /// Signature output address.
        #[arg(value_parser = num_u32)]
        signature_output_addr: u32,
        /// Signature buffer size.
        #[arg(value_parser = num_u32)]
        signature_output_size: u32,
    },
    /// EdgeLock 2GO: close the device with the secure objects at ADDRESS.
    #[command(name = "el2go_close_device")]
    El2goCloseDevice {
        /// Address of the secure objects.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Dry run.
        #[arg(short = 'd', long = "dry-run")]
        dry_run: bool,
    },
    /// EdgeLock 2GO: provisioning firmware version (not in SPSDK's CLI).
    #[command(name = "el2go_get_version")]
    El2goGetVersion,
    /// EdgeLock 2GO: batch trust provisioning with the secure objects at ADDRESS (not in
    /// SPSDK's CLI). The report, if the firmware sends one, goes to -o FILE.
    #[command(name = "el2go_batch_tp")]
    El2goBatchTp {
        /// Address of the secure objects.
        #[arg(value_parser = num_u32)]
        address: u32,
        /// Where the firmware stores its report (default 0xFFFFFFFF = none).
        #[arg(value_parser = num_u32, default_value = "0xFFFFFFFF")]
        report_address: u32,
        /// Dry run.
        #[arg(short = 'd', long = "dry-run")]
        dry_run: bool,
        /// Write the report data to this file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<String>,
    },
}

impl Cmd {
    /// The name SPSDK's JSON output and our error messages use for the command.
    pub fn name(&self) -> &'static str {
        match self {
            Cmd::Batch { .. } => "batch",
            Cmd::Call { .. } => "call",
            Cmd::ConfigureMemory { .. } => "configure-memory",
            Cmd::EfuseProgramOnce { .. } => "efuse-program-once",
            Cmd::EfuseReadOnce { .. } => "efuse-read-once",
            Cmd::EleMessage { .. } => "ele-message",
            Cmd::Execute { .. } => "execute",
            Cmd::FillMemory { .. } => "fill-memory",
            Cmd::FlashEraseAll { .. } => "flash-erase-all",
            Cmd::FlashEraseAllUnsecure => "flash-erase-all-unsecure",
            Cmd::FlashEraseRegion { .. } => "flash-erase-region",
            Cmd::FlashImage { .. } => "flash-image",
            Cmd::FlashProgramOnce { .. } => "flash-program-once",
            Cmd::FlashReadOnce { .. } => "flash-read-once",
            Cmd::FlashReadResource { .. } => "flash-read-resource",
            Cmd::FlashSecurityDisable { .. } => "flash-security-disable",
            Cmd::FuseProgram { .. } => "fuse-program",
            Cmd::FuseRead { .. } => "fuse-read",
            Cmd::GenerateKeyBlob { .. } => "generate-key-blob",
            Cmd::GetFamilies { .. } => "get-families",
            Cmd::GetProperty { .. } => "get-property",
            Cmd::ListMemory => "list-memory",
            Cmd::LoadImage { .. } => "load-image",
            Cmd::ProgramAeskey { .. } => "program-aeskey",
            Cmd::ReadMemory { .. } => "read-memory",
            Cmd::ReceiveSbFile { .. } => "receive-sb-file",
            Cmd::ReliableUpdate { .. } => "reliable-update",
            Cmd::Reset { .. } => "reset",
            Cmd::SetProperty { .. } => "set-property",
            Cmd::UpdateLifeCycle { .. } => "update-life-cycle",
            Cmd::WriteMemory { .. } => "write-memory",
            Cmd::KeyProvisioning(k) => k.name(),
            Cmd::TrustProvisioning(t) => t.name(),
            Cmd::Completions { .. } => "completions",
        }
    }

    /// True if the command talks to a device (needs -p or -u).
    pub fn needs_device(&self) -> bool {
        !matches!(self, Cmd::GetFamilies { .. } | Cmd::Completions { .. })
    }
}

impl KeyProv {
    /// SPSDK's JSON command name (its Python function name, `_` → `-`).
    pub fn name(&self) -> &'static str {
        match self {
            KeyProv::Enroll => "enroll",
            KeyProv::SetUserKey { .. } => "set-user-key",
            KeyProv::SetKey { .. } => "set-key",
            KeyProv::WriteKeyNonvolatile { .. } => "write-key-nonvolatile",
            KeyProv::ReadKeyNonvolatile { .. } => "read-key-nonvolatile",
            KeyProv::WriteKeyStore { .. } => "write-key-store",
            KeyProv::ReadKeyStore { .. } => "read-key-store",
        }
    }
}

impl TrustProv {
    /// SPSDK's JSON command name (its Python function name, `_` → `-`; note
    /// `isp_set_wrap_data` → `set-wrap-data`).
    pub fn name(&self) -> &'static str {
        match self {
            TrustProv::ProveGenuinity { .. } => "prove-genuinity",
            TrustProv::ProveGenuinityHybrid { .. } => "prove-genuinity-hybrid",
            TrustProv::IspSetWrapData { .. } => "set-wrap-data",
            TrustProv::OemGenMasterShare { .. } => "oem-gen-master-share",
            TrustProv::OemSetMasterShare { .. } => "oem-set-master-share",
            TrustProv::OemGetCustCertDicePuk { .. } => "oem-get-cust-cert-dice-puk",
            TrustProv::OemGetCustDiceResponse { .. } => "oem-get-cust-dice-response",
            TrustProv::HsmGenKey { .. } => "hsm-gen-key",
            TrustProv::HsmStoreKey { .. } => "hsm-store-key",
            TrustProv::HsmEncBlk { .. } => "hsm-enc-blk",
            TrustProv::HsmEncSign { .. } => "hsm-enc-sign",
            TrustProv::WpcGetId { .. } => "wpc-get-id",
            TrustProv::NxpGetId { .. } => "nxp-get-id",
            TrustProv::WpcInsertCert { .. } => "wpc-insert-cert",
            TrustProv::WpcSignCsr { .. } => "wpc-sign-csr",
            TrustProv::DscHsmCreateSession { .. } => "dsc-hsm-create-session",
            TrustProv::DscHsmEncBlk { .. } => "dsc-hsm-enc-blk",
            TrustProv::DscHsmEncSign { .. } => "dsc-hsm-enc-sign",
            TrustProv::El2goCloseDevice { .. } => "el2go-close-device",
            TrustProv::El2goGetVersion => "el2go-get-version",
            TrustProv::El2goBatchTp { .. } => "el2go-batch-tp",
        }
    }
}

/// Global options that take a value (for the `--` rewrite).
const VALUE_OPTIONS: &[&str] = &["-p", "--port", "-u", "--usb", "-t", "--timeout"];

/// SPSDK-compatible argument fix-ups before clap sees the arguments:
/// * a `--` between the global options and the subcommand is dropped;
/// * `-rp` (SPSDK's two-letter short option of `reset`) becomes `--reset-parameter`.
pub fn normalize_args<I, T>(args: I) -> Vec<OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut out: Vec<OsString> = Vec::new();
    let mut iter = args.into_iter().map(Into::into);
    if let Some(bin) = iter.next() {
        out.push(bin);
    }
    let mut in_globals = true;
    let mut expect_value = false;
    for arg in iter {
        let s = arg.to_string_lossy().into_owned();
        if in_globals {
            if expect_value {
                expect_value = false;
                out.push(arg);
                continue;
            }
            if s == "--" {
                // The subcommand follows; keep nothing of the marker.
                in_globals = false;
                continue;
            }
            if VALUE_OPTIONS.contains(&s.as_str()) {
                expect_value = true;
                out.push(arg);
                continue;
            }
            if s.starts_with('-') {
                // A flag (or `-pVALUE`, `--port=VALUE`, `-vv`): stays a global option.
                out.push(arg);
                continue;
            }
            in_globals = false;
            out.push(arg);
            continue;
        }
        if s == "-rp" {
            out.push("--reset-parameter".into());
        } else if let Some(v) = s.strip_prefix("-rp=") {
            out.push(format!("--reset-parameter={v}").into());
        } else {
            out.push(arg);
        }
    }
    out
}

/// Parses the process arguments (after [`normalize_args`]).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args = normalize_args(args);
    if args.len() == 1 {
        // Like SPSDK (click): no arguments at all prints the help and exits 0.
        let mut help = args;
        help.push("--help".into());
        return Cli::try_parse_from(help);
    }
    Cli::try_parse_from(args)
}

/// Parses the tokens of one batch line (`-rp` accepted).
pub fn parse_batch_line(tokens: &[String]) -> Result<Cmd, clap::Error> {
    let tokens = tokens.iter().map(|t| match t.as_str() {
        "-rp" => "--reset-parameter".to_string(),
        s => match s.strip_prefix("-rp=") {
            Some(v) => format!("--reset-parameter={v}"),
            None => s.to_string(),
        },
    });
    BatchLine::try_parse_from(tokens).map(|l| l.command)
}

/// True if `name` is a top-level subcommand.
pub fn is_subcommand(name: &str) -> bool {
    Cli::command().find_subcommand(name).is_some()
}

/// An integer as SPSDK's command lines take it (`0x`, `0b`, `0o`, `_`), up to 32 bits.
pub fn num_u32(s: &str) -> Result<u32, String> {
    let v = parse_int(s)?;
    u32::try_from(v).map_err(|_| format!("'{s}' does not fit in 32 bits"))
}

/// An integer as SPSDK's command lines take it, up to 64 bits.
pub fn num_u64(s: &str) -> Result<u64, String> {
    parse_int(s)
}

/// A memory ID: a number, or a legacy alias (`internal`, `flexspinor`, `spinand`, ...).
pub fn mem_id(s: &str) -> Result<u32, String> {
    match MemoryId::from_alias(s.trim()) {
        Some(m) => Ok(m.0),
        None => num_u32(s),
    }
}

/// Hex digits with an optional `0x` and `_` separators (Python `int(s, 16)`), 64 bits.
pub fn hex_u64(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let t = t.strip_prefix('_').unwrap_or(t);
    if t.is_empty() || t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return Err(format!("'{s}' is not a hex number"));
    }
    let digits: String = t.chars().filter(|&c| c != '_').collect();
    u64::from_str_radix(&digits, 16).map_err(|e| format!("'{s}' is not a hex number ({e})"))
}

/// [`hex_u64`] limited to 32 bits.
pub fn hex_u32(s: &str) -> Result<u32, String> {
    let v = hex_u64(s)?;
    u32::try_from(v).map_err(|_| format!("'{s}' does not fit in 32 bits"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: &[OsString]) -> Vec<String> {
        v.iter().map(|s| s.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn double_dash_before_subcommand_is_dropped() {
        let a = normalize_args([
            "blhost",
            "-u",
            "0x15A2,0x0073",
            "-j",
            "--",
            "get-property",
            "1",
            "0",
        ]);
        assert_eq!(
            strs(&a),
            [
                "blhost",
                "-u",
                "0x15A2,0x0073",
                "-j",
                "get-property",
                "1",
                "0"
            ]
        );
        let cli = parse([
            "blhost",
            "-u",
            "0x15A2,0x0073",
            "-j",
            "--",
            "get-property",
            "1",
            "0",
        ])
        .unwrap();
        assert!(cli.json);
        assert_eq!(cli.usb.as_deref(), Some("0x15A2,0x0073"));
        assert!(
            matches!(cli.command, Some(Cmd::GetProperty { ref property_tag, index: 0, .. })
            if property_tag == "1")
        );
    }

    #[test]
    fn double_dash_as_option_value_is_kept() {
        let a = normalize_args(["blhost", "-p", "--", "reset"]);
        assert_eq!(strs(&a), ["blhost", "-p", "--", "reset"]);
    }

    #[test]
    fn double_dash_after_subcommand_is_kept() {
        let a = normalize_args(["blhost", "-p", "x", "read-memory", "--", "0", "4"]);
        assert_eq!(
            strs(&a),
            ["blhost", "-p", "x", "read-memory", "--", "0", "4"]
        );
    }

    #[test]
    fn rp_short_option() {
        let cli = parse(["blhost", "-p", "x", "reset", "-rp", "0xEB000001"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::Reset {
                reset_parameter: Some(0xEB00_0001)
            })
        ));
        let cli = parse(["blhost", "-p", "x", "reset"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::Reset {
                reset_parameter: None
            })
        ));
    }

    #[test]
    fn globals_must_precede_subcommand() {
        assert!(parse(["blhost", "get-property", "1", "-j"]).is_err());
        let cli = parse([
            "blhost",
            "-p",
            "/dev/x,115200",
            "-t",
            "200",
            "-s",
            "-vv",
            "reset",
        ])
        .unwrap();
        assert_eq!(cli.timeout, 200);
        assert!(cli.silent);
        assert_eq!(cli.verbose, 2);
    }

    #[test]
    fn port_and_usb_conflict() {
        assert!(parse(["blhost", "-p", "a", "-u", "b", "reset"]).is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(num_u32("0x2000_0000"), Ok(0x2000_0000));
        assert_eq!(num_u32("0b101"), Ok(5));
        assert_eq!(num_u32("0o17"), Ok(15));
        assert!(num_u32("0x1_0000_0000").is_err());
        assert!(num_u32("zz").is_err());
        assert!(num_u32("-1").is_err());
        assert_eq!(mem_id("flexspinor"), Ok(9));
        assert_eq!(mem_id("0x110"), Ok(272));
        assert_eq!(hex_u32("deadbeef"), Ok(0xDEAD_BEEF));
        assert_eq!(hex_u32("0xDEAD_BEEF"), Ok(0xDEAD_BEEF));
        assert!(hex_u32("1_0000_0000").is_err());
        assert!(hex_u32("xyz").is_err());
        assert!(hex_u32("").is_err());
    }

    #[test]
    fn read_memory_positionals_and_hexdump_short_flag() {
        let cli = parse([
            "blhost",
            "-p",
            "x",
            "read-memory",
            "0x20000000",
            "36",
            "-",
            "9",
            "-h",
        ])
        .unwrap();
        match cli.command {
            Some(Cmd::ReadMemory {
                address,
                byte_count,
                file,
                memory_id,
                use_hexdump,
                ..
            }) => {
                assert_eq!((address, byte_count, memory_id), (0x2000_0000, 36, 9));
                assert_eq!(file.as_deref(), Some("-"));
                assert!(use_hexdump);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn choices_are_case_insensitive() {
        let cli = parse(["blhost", "-p", "x", "fill-memory", "0", "4", "0xAB", "BYTE"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::FillMemory {
                format: PatternFormat::Byte,
                ..
            })
        ));
        let cli = parse([
            "blhost",
            "-p",
            "x",
            "flash-program-once",
            "1",
            "4",
            "ab",
            "msb",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::FlashProgramOnce {
                endianness: Endian::Msb,
                ..
            })
        ));
        let cli = parse([
            "blhost",
            "-p",
            "x",
            "efuse-program-once",
            "1",
            "ab",
            "LOCK",
            "-v",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::EfuseProgramOnce {
                lock: Lock::Lock,
                verify: true,
                ..
            })
        ));
    }

    #[test]
    fn underscored_sub_subcommands() {
        let cli = parse([
            "blhost",
            "-p",
            "x",
            "key-provisioning",
            "set_user_key",
            "-s",
            "256",
            "SBKEK",
            "k.bin",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::KeyProvisioning(KeyProv::SetUserKey {
                key_size: Some(256),
                ..
            }))
        ));
        let cli = parse([
            "blhost",
            "-p",
            "x",
            "trust-provisioning",
            "el2go_close_device",
            "0x1000",
            "-d",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Cmd::TrustProvisioning(TrustProv::El2goCloseDevice {
                address: 0x1000,
                dry_run: true
            }))
        ));
        assert!(
            parse([
                "blhost",
                "-p",
                "x",
                "key-provisioning",
                "set-user-key",
                "3",
                "k"
            ])
            .is_err()
        );
    }

    #[test]
    fn batch_line() {
        let toks: Vec<String> = ["get-property", "1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(matches!(
            parse_batch_line(&toks),
            Ok(Cmd::GetProperty { .. })
        ));
        let toks: Vec<String> = ["reset", "-rp", "3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(matches!(
            parse_batch_line(&toks),
            Ok(Cmd::Reset {
                reset_parameter: Some(3)
            })
        ));
        assert!(is_subcommand("write-memory"));
        assert!(!is_subcommand("nope"));
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
