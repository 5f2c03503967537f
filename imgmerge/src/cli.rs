//! The command line. The doc comments are the help text.

use std::ffi::OsString;
use std::path::Path;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use provkit::image::merge::Relocation;

/// Merge and convert firmware images: raw binary, Intel HEX, Motorola S-record, ELF.
///
/// `imgmerge -o OUT INPUT[@ADDR]...` merges the inputs (output identical to srec_cat's);
/// `imgmerge -c CONFIG.yaml -o OUT` builds an SPSDK `nxpimage utils binary-image` configuration;
/// `imgmerge info INPUT...` lists what the inputs hold.
///
/// @ADDR is the load address of a raw binary (required for it) and an offset added to the
/// addresses of a HEX, S-record or ELF file (optional, may be negative). `-` reads stdin or
/// writes stdout (stdin with an address: `-- -@ADDR`). Any byte given by two inputs is an
/// error.
///
/// Exit codes: 0 ok; 1 the result does not fit (--size, the output format's address range);
/// 2 usage or input error (bad record, overlap, bad config); 3 I/O error.
#[derive(Debug, Parser)]
#[command(
    name = "imgmerge",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  \
      imgmerge -o merged.bin --fill 0xFF boot.s19 app.hex data.bin@0x08080000\n  \
      imgmerge -o merged.s19 --relocate 0x18001000:0x08001000 hello_world_s.s19 hello_world_ns.s19\n  \
      imgmerge -c merge.yaml -o merged.bin\n  \
      imgmerge info --json app.elf"
)]
pub struct Cli {
    /// `info` lists the content of images.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Output file; `-` writes to stdout. Written whole or not at all.
    #[arg(short, long, value_name = "OUT", required = true)]
    pub output: Option<String>,

    /// SPSDK `nxpimage utils binary-image` configuration (YAML or JSON; `-` for stdin).
    #[arg(short, long, value_name = "CONFIG.yaml")]
    pub config: Option<String>,

    /// Output format [default: from the output file's extension].
    #[arg(short, long, value_enum, ignore_case = true)]
    pub format: Option<OutputFormat>,

    /// The byte that fills gaps [default: 0xFF]. In HEX/S-record output, giving it (or
    /// --base, --size, --align) fills the output range, as `srec_cat -fill` does.
    #[arg(long, value_name = "BYTE", value_parser = parse_byte, conflicts_with = "config")]
    pub fill: Option<u8>,

    /// First address of the output [default: the first data byte]. No data may lie below it.
    #[arg(long, value_name = "ADDR", value_parser = parse_u64, conflicts_with = "config")]
    pub base: Option<u64>,

    /// Exact output length from the base address; the data must fit.
    #[arg(long, value_name = "N", value_parser = parse_u64, conflicts_with_all = ["config", "align"])]
    pub size: Option<u64>,

    /// Pad the output so that its length is a multiple of N.
    #[arg(long, value_name = "N", value_parser = parse_align, conflicts_with = "config")]
    pub align: Option<u64>,

    /// Move every input whose range (first to last byte) contains address FROM by TO - FROM
    /// (e.g. from a secure alias: 0x18001000:0x08001000). Repeatable; applied after @ADDR.
    #[arg(long, value_name = "FROM:TO", value_parser = parse_relocation, conflicts_with = "config")]
    pub relocate: Vec<Relocation>,

    /// Execution start address written to HEX/S-record output (`none`: no entry point)
    /// [default: the first input's that has one].
    #[arg(long, value_name = "ADDR|none", value_parser = parse_entry, conflicts_with = "config")]
    pub entry: Option<EntryPoint>,

    /// Minimum S-record address bytes: 2 (S1/S9 where they fit), 3 (S2/S8) or 4 (S3/S7)
    /// [default: 2, or 4 with --style spsdk] (srec_cat -address-length).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(2..=4))]
    pub address_length: Option<u8>,

    /// Data bytes per HEX or S-record record (srec_cat -obs).
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = parse_record_size)]
    pub record_size: u8,

    /// Record style of HEX/S-record output [default: srec-cat, or spsdk with --config].
    #[arg(long, value_enum)]
    pub style: Option<Style>,

    /// With --config: lay the image out from address 0 (SPSDK's -p/--keep-padding); a binary
    /// then starts at address 0.
    #[arg(short = 'p', long, requires = "config")]
    pub keep_padding: bool,

    /// With --config: reproduce SPSDK 3.12 byte for byte where imgmerge differs on purpose
    /// (HEX/S-record rebased to 0 without -p, entry point dropped, SPSDK's gap filling inside
    /// multi-segment files).
    #[arg(long, requires = "config")]
    pub spsdk_compat: bool,

    /// More logging on stderr (-v, -vv).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Input files, each optionally with @ADDR.
    #[arg(
        value_name = "INPUT[@ADDR]",
        value_parser = parse_input,
        required_unless_present = "config",
        conflicts_with = "config"
    )]
    pub inputs: Vec<InputSpec>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the segments, address ranges and entry point of each input.
    Info(InfoArgs),
}

/// `imgmerge info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// JSON on stdout: an array with one object per input.
    #[arg(long)]
    pub json: bool,

    /// Input files, each optionally with @ADDR (a raw binary without one is shown at 0).
    #[arg(
        value_name = "INPUT[@ADDR]",
        value_parser = parse_input,
        required = true
    )]
    pub inputs: Vec<InputSpec>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Raw binary.
    Bin,
    /// Intel HEX.
    #[value(alias = "ihex")]
    Hex,
    /// Motorola S-record.
    #[value(alias = "srec")]
    S19,
}

/// HEX/S-record record styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Style {
    /// srec_cat 1.64: HEX starts with a type 04 record; S-records get the first input's S0
    /// header (or srec_cat's), the narrowest address per record, S5 count.
    SrecCat,
    /// SPSDK (bincopy): no leading type 04 record; no S0 header, S3 records, S5 count.
    Spsdk,
}

/// `--entry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryPoint {
    /// This address.
    At(u64),
    /// No entry point.
    None,
}

fn parse_entry(text: &str) -> Result<EntryPoint, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(EntryPoint::None);
    }
    provkit::codec::parse_int(text).map(EntryPoint::At)
}

/// One `INPUT[@ADDR]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// The file (`-` for stdin).
    pub path: String,
    /// The address (raw binary) or offset (other formats).
    pub at: Option<i128>,
}

/// Parses the command line.
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)?;
    if cli.config.is_none() && cli.command.is_none() {
        for (set, name) in [
            (cli.keep_padding, "--keep-padding"),
            (cli.spsdk_compat, "--spsdk-compat"),
        ] {
            if set {
                use clap::CommandFactory;
                return Err(Cli::command().error(
                    clap::error::ErrorKind::MissingRequiredArgument,
                    format!("{name} needs --config"),
                ));
            }
        }
    }
    Ok(cli)
}

/// `FILE@ADDR` (the last `@` followed by a number) or `FILE`. A file whose name contains `@`
/// is taken whole when the part after the last `@` is not a number and the file exists.
/// (`-@ADDR`, stdin with an address, looks like an option to the parser: put it after `--`,
/// or use `/dev/stdin@ADDR`.)
pub fn parse_input(text: &str) -> Result<InputSpec, String> {
    if let Some((path, addr)) = text.rsplit_once('@') {
        match parse_signed(addr) {
            Ok(at) if !path.is_empty() => {
                return Ok(InputSpec {
                    path: path.to_string(),
                    at: Some(at),
                });
            }
            Ok(_) => return Err(format!("'{text}' has an address but no file")),
            Err(e) if !Path::new(text).exists() => {
                return Err(format!("in '{text}': {e}"));
            }
            Err(_) => {}
        }
    }
    if text.is_empty() {
        return Err("an input file name is empty".into());
    }
    Ok(InputSpec {
        path: text.to_string(),
        at: None,
    })
}

/// A number with an optional leading `-`.
pub fn parse_signed(text: &str) -> Result<i128, String> {
    let t = text.trim();
    match t.strip_prefix('-') {
        Some(rest) => provkit::codec::parse_int(rest)
            .map(|v| -i128::from(v))
            .map_err(|_| format!("'{text}' is not an address")),
        None => provkit::codec::parse_int(t)
            .map(i128::from)
            .map_err(|_| format!("'{text}' is not an address")),
    }
}

fn parse_u64(text: &str) -> Result<u64, String> {
    provkit::codec::parse_int(text)
}

fn parse_byte(text: &str) -> Result<u8, String> {
    let v = provkit::codec::parse_int(text)?;
    u8::try_from(v).map_err(|_| format!("'{text}' is not a byte (0 to 0xFF)"))
}

fn parse_align(text: &str) -> Result<u64, String> {
    match provkit::codec::parse_int(text)? {
        0 => Err("the alignment must be 1 or more".into()),
        v => Ok(v),
    }
}

fn parse_record_size(text: &str) -> Result<u8, String> {
    match provkit::codec::parse_int(text)? {
        v @ 1..=255 => Ok(v as u8),
        _ => Err(format!("'{text}' is not a record size (1 to 255)")),
    }
}

/// `FROM:TO`.
pub fn parse_relocation(text: &str) -> Result<Relocation, String> {
    let (from, to) = text
        .split_once(':')
        .ok_or_else(|| format!("'{text}' is not FROM:TO"))?;
    Ok(Relocation {
        from: provkit::codec::parse_int(from)?,
        to: provkit::codec::parse_int(to)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_specs() {
        let p = |t: &str| parse_input(t).unwrap();
        assert_eq!(p("a.bin@0x1000").at, Some(0x1000));
        assert_eq!(p("a.s19@-0x10000000").at, Some(-0x1000_0000));
        assert_eq!(p("-@0x20").path, "-");
        // '@' in a name: whole when the file exists, an address error otherwise.
        assert!(parse_input("no-such-dir@x/a.hex").is_err());
        let dir = std::env::temp_dir().join(format!("imgmerge@x{}", std::process::id()));
        std::fs::write(&dir, b"x").unwrap();
        let name = dir.to_str().unwrap();
        assert_eq!(
            p(name),
            InputSpec {
                path: name.into(),
                at: None
            }
        );
        std::fs::remove_file(&dir).unwrap();
        assert_eq!(p("a.hex").at, None);
        assert!(parse_input("@0x10").is_err());
        assert!(parse_input("").is_err());
        let e = parse_input("a.bin@0x10g").unwrap_err();
        assert!(e.contains("'0x10g' is not an address"), "{e}");
    }

    #[test]
    fn numbers_and_relocations() {
        assert_eq!(parse_byte("0xff"), Ok(0xFF));
        assert!(parse_byte("256").is_err());
        assert!(parse_align("0").is_err());
        assert!(parse_record_size("0").is_err());
        assert!(parse_record_size("256").is_err());
        assert_eq!(
            parse_relocation("0x1800_1000:0x08001000"),
            Ok(Relocation {
                from: 0x1800_1000,
                to: 0x0800_1000
            })
        );
        assert!(parse_relocation("0x10").is_err());
        assert!(parse_relocation("0x10:x").is_err());
    }

    #[test]
    fn command_lines() {
        let cli = parse(["imgmerge", "-o", "x.bin", "a.bin@0", "b.hex"]).unwrap();
        assert_eq!(cli.inputs.len(), 2);
        assert_eq!(cli.record_size, 32);
        let cli = parse(["imgmerge", "-c", "m.yaml", "-o", "x.bin", "-p"]).unwrap();
        assert!(cli.keep_padding && cli.inputs.is_empty());
        let cli = parse(["imgmerge", "info", "--json", "a.s19"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Info(InfoArgs { json: true, .. }))
        ));
        for bad in [
            &["imgmerge", "a.hex"][..],
            &["imgmerge", "-o", "x"],
            &["imgmerge", "-o", "x", "-c", "m.yaml", "a.hex"],
            &["imgmerge", "-o", "x", "-c", "m.yaml", "--fill", "0"],
            &["imgmerge", "-o", "x", "a.hex", "-p"],
            &[
                "imgmerge", "-o", "x", "a.hex", "--size", "1", "--align", "4",
            ],
            &["imgmerge", "-o", "x", "a.hex", "--format", "elf"],
            &["imgmerge", "info"],
        ] {
            assert!(parse(bad.iter().copied()).is_err(), "{bad:?}");
        }
        let cli = parse(["imgmerge", "-o", "-", "-f", "SREC", "a.hex"]).unwrap();
        assert_eq!(cli.format, Some(OutputFormat::S19));
        // Options after the inputs; stdin with an address after `--`.
        let cli = parse(["imgmerge", "-o", "x.bin", "b.hex", "--fill", "0", "-v"]).unwrap();
        assert_eq!((cli.inputs.len(), cli.fill, cli.verbose), (1, Some(0), 1));
        let cli = parse(["imgmerge", "-o", "x.bin", "b.hex", "--", "-@0x1000"]).unwrap();
        assert_eq!(
            cli.inputs[1],
            InputSpec {
                path: "-".into(),
                at: Some(0x1000)
            }
        );
        let cli = parse(["imgmerge", "info", "--json", "--", "-@0x10"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Info(InfoArgs { json: true, .. }))
        ));
    }
}
