//! `imgmerge`: merge and convert firmware images over [`provkit::image`].
//!
//! [`run`] executes a parsed [`cli::Cli`]; `main.rs` only parses, sets up logging, calls
//! [`run`] and turns a [`Failure`] into one stderr line and an exit code. The rules (formats,
//! placement, overlaps, fill, SPSDK's configuration) live in `provkit::image`; this crate
//! reads and writes files.
//!
//! Exit codes: 0 ok; 1 the result does not fit (`--size`, a configuration's `size`, the output
//! format's address range, memory); 2 usage or input error (bad record, overlap, bad config);
//! 3 I/O error.

pub mod cli;

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use cli::{Cli, Command, EntryPoint, InfoArgs, InputSpec, OutputFormat, Style};
use provkit::image::config::{BinaryImageConfig, BuildOptions, ConfigError};
use provkit::image::merge::{RangeOptions, load_input, merge_inputs, output_range};
use provkit::image::{
    AddressWidth, Format, IhexOptions, Image, ImageError, SrecOptions, write_ihex, write_srec,
};
use rand::RngCore;

/// Why a run failed; [`Failure::exit_code`] is the process exit code.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    /// The result does not fit the requested size or the output format (exit 1).
    Failed(String),
    /// Bad arguments, a bad input file or configuration, an overlap (exit 2).
    Input(String),
    /// A file could not be read or written (exit 3).
    Io(String),
    /// stdout was closed by the reader (e.g. `| head`): exit quietly.
    BrokenPipe,
}

impl Failure {
    /// 1 failed, 2 input/usage, 3 I/O, 0 for a closed stdout.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Failed(_) => 1,
            Failure::Input(_) => 2,
            Failure::Io(_) => 3,
            Failure::BrokenPipe => 0,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Failed(m) | Failure::Input(m) | Failure::Io(m) => f.write_str(m),
            Failure::BrokenPipe => f.write_str("stdout closed"),
        }
    }
}

impl std::error::Error for Failure {}

impl From<ImageError> for Failure {
    fn from(e: ImageError) -> Failure {
        match e {
            ImageError::DoesNotFit { .. }
            | ImageError::OutOfRange { .. }
            | ImageError::AddressTooLarge { .. }
            | ImageError::TooLarge { .. } => Failure::Failed(e.to_string()),
            _ => Failure::Input(e.to_string()),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        match e {
            ConfigError::Image(inner) => inner.into(),
            ConfigError::DoesNotFit { .. } => Failure::Failed(e.to_string()),
            _ => Failure::Input(e.to_string()),
        }
    }
}

fn io_error(what: &str, path: &str, e: &io::Error) -> Failure {
    Failure::Io(format!("cannot {what} {path}: {e}"))
}

/// Logging on stderr (see [`provkit::cli::init_logging`]).
pub fn init_tracing(verbose: u8) {
    provkit::cli::init_logging(verbose);
}

/// Where inputs come from: the file system and stdin (replaceable in tests).
pub struct Io<'a> {
    /// Standard input (read at most once, for `-`).
    pub stdin: &'a mut dyn Read,
    /// Standard output (for `-o -` and `info`).
    pub stdout: &'a mut dyn Write,
}

/// Runs the command.
pub fn run(cli: Cli, io: Io<'_>) -> Result<(), Failure> {
    let mut stdin_used = false;
    let Io { stdin, stdout } = io;
    let mut read = |path: &str| -> Result<(String, Vec<u8>), Failure> {
        if path == "-" {
            if stdin_used {
                return Err(Failure::Input("stdin ('-') can be read only once".into()));
            }
            stdin_used = true;
            let mut v = Vec::new();
            stdin
                .read_to_end(&mut v)
                .map_err(|e| io_error("read", "stdin", &e))?;
            Ok(("<stdin>".into(), v))
        } else {
            let v = std::fs::read(path).map_err(|e| io_error("read", path, &e))?;
            Ok((path.to_string(), v))
        }
    };
    match &cli.command {
        Some(Command::Info(args)) => info(args, &mut read, stdout),
        None => match &cli.config {
            Some(config) => run_config(&cli, config, &mut read, stdout),
            None => run_merge(&cli, &mut read, stdout),
        },
    }
}

type Reader<'r> = dyn FnMut(&str) -> Result<(String, Vec<u8>), Failure> + 'r;

fn output_format(cli: &Cli, output: &str) -> Result<OutputFormat, Failure> {
    if let Some(f) = cli.format {
        return Ok(f);
    }
    match Format::from_extension(output) {
        Some(Format::Bin) => Ok(OutputFormat::Bin),
        Some(Format::IntelHex) => Ok(OutputFormat::Hex),
        Some(Format::Srec) => Ok(OutputFormat::S19),
        Some(Format::Elf) => Err(Failure::Input(format!(
            "{output}: ELF output is not supported; give --format bin|hex|s19"
        ))),
        _ => Err(Failure::Input(format!(
            "cannot tell the output format from '{output}'; give --format bin|hex|s19"
        ))),
    }
}

fn load_all(specs: &[InputSpec], read: &mut Reader<'_>) -> Result<Vec<(Format, Image)>, Failure> {
    let mut out = Vec::with_capacity(specs.len());
    for spec in specs {
        let (name, bytes) = read(&spec.path)?;
        out.push(load_input(&name, &bytes, spec.at)?);
    }
    Ok(out)
}

fn run_merge(cli: &Cli, read: &mut Reader<'_>, stdout: &mut dyn Write) -> Result<(), Failure> {
    let output = cli.output.as_deref().unwrap_or("-");
    let format = output_format(cli, output)?;
    let inputs = load_all(&cli.inputs, read)?;
    let mut image = merge_inputs(inputs.into_iter().map(|(_, i)| i).collect(), &cli.relocate)?;
    match cli.entry {
        Some(EntryPoint::At(a)) => image.set_entry(Some(a)),
        Some(EntryPoint::None) => image.set_entry(None),
        None => {}
    }
    let range_options = RangeOptions {
        base: cli.base,
        size: cli.size,
        align: cli.align,
    };
    let range = output_range(&image, &range_options)?;
    let fill = cli.fill.unwrap_or(0xFF);
    tracing::info!(
        "merged {} bytes in {} segments at {:#x}..{:#x}; output range {:#x}..{:#x}",
        image.total_len(),
        image.segments().len(),
        image.start().unwrap_or(0),
        image.end().unwrap_or(0),
        range.start,
        range.end
    );
    let bytes = match format {
        OutputFormat::Bin => image.to_bin_range(fill, range.start, range.end)?,
        OutputFormat::Hex | OutputFormat::S19 => {
            let mut image = image;
            if cli.fill.is_some() || range_options.any() {
                image.fill_range(fill, range.start, range.end, "fill")?;
            }
            write_text(&image, format, cli, Style::SrecCat)?.into_bytes()
        }
    };
    write_output(output, &bytes, stdout)
}

fn write_text(
    image: &Image,
    format: OutputFormat,
    cli: &Cli,
    default_style: Style,
) -> Result<String, Failure> {
    let style = cli.style.unwrap_or(default_style);
    let rs = cli.record_size;
    if format == OutputFormat::Hex {
        let options = match style {
            Style::SrecCat => IhexOptions::srec_cat(),
            Style::Spsdk => IhexOptions::spsdk(),
        };
        return Ok(write_ihex(image, &options.with_record_size(rs))?);
    }
    let mut options = match style {
        Style::SrecCat => SrecOptions::srec_cat()
            .with_header(Some(image.header().unwrap_or(SrecOptions::SREC_CAT_HEADER))),
        Style::Spsdk => SrecOptions::spsdk(),
    };
    if let Some(n) = cli.address_length {
        options = options.with_address_width(match n {
            2 => AddressWidth::Auto,
            3 => AddressWidth::AtLeast24,
            _ => AddressWidth::Always32,
        });
    }
    Ok(write_srec(image, &options.with_record_size(rs))?)
}

/// Resolves a configuration's file path like SPSDK: absolute as is; relative to the
/// configuration's directory, then to the working directory.
fn resolve(path: &str, config_dir: Option<&Path>) -> Result<PathBuf, String> {
    let path = path.replace('\\', "/");
    let p = Path::new(&path);
    if p.is_absolute() {
        return Ok(p.to_path_buf());
    }
    let mut tried = Vec::new();
    if let Some(dir) = config_dir {
        let candidate = dir.join(p);
        if candidate.is_file() {
            return Ok(candidate);
        }
        tried.push(dir.display().to_string());
    }
    if p.is_file() {
        return Ok(p.to_path_buf());
    }
    tried.push(".".into());
    Err(format!(
        "'{path}' not found (looked in {})",
        tried.join(", ")
    ))
}

fn run_config(
    cli: &Cli,
    config: &str,
    read: &mut Reader<'_>,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    let output = cli.output.as_deref().unwrap_or("-");
    let format = output_format(cli, output)?;
    let (name, text) = read(config)?;
    let text = String::from_utf8(text)
        .map_err(|_| Failure::Input(format!("{name}: the configuration is not UTF-8 text")))?;
    let cfg: BinaryImageConfig =
        serde_yaml::from_str(&text).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    let config_dir = if config == "-" {
        None
    } else {
        Some(
            Path::new(config)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        )
    };
    let mut contents = Vec::new();
    for path in cfg.files() {
        let resolved = resolve(path, config_dir.as_deref())
            .map_err(|m| Failure::Io(format!("{name}: {m}")))?;
        let shown = resolved.display().to_string();
        let bytes = std::fs::read(&resolved).map_err(|e| io_error("read", &shown, &e))?;
        contents.push(bytes);
    }
    let options = BuildOptions {
        keep_padding: cli.keep_padding,
        spsdk_compat: cli.spsdk_compat,
    };
    let layout = cfg.build(&contents, options)?;
    for r in layout.regions() {
        tracing::info!(
            "{}: region {} ({}) at {:#x}, {} bytes",
            layout.name(),
            r.index,
            r.name,
            r.start,
            r.len
        );
    }
    let mut random = |out: &mut [u8]| rand::rngs::OsRng.fill_bytes(out);
    let bytes = match format {
        OutputFormat::Bin => layout.to_bin(&mut random)?,
        OutputFormat::Hex | OutputFormat::S19 => {
            let image = layout.to_image(&mut random)?;
            write_text(&image, format, cli, Style::Spsdk)?.into_bytes()
        }
    };
    write_output(output, &bytes, stdout)
}

/// Writes `bytes` to `path` through a temporary file in the same directory renamed over it,
/// so a failed run never leaves partial output; `-` writes to stdout.
fn write_output(path: &str, bytes: &[u8], stdout: &mut dyn Write) -> Result<(), Failure> {
    if path == "-" {
        return stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| match e.kind() {
                io::ErrorKind::BrokenPipe => Failure::BrokenPipe,
                _ => io_error("write", "stdout", &e),
            });
    }
    let target = Path::new(path);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".imgmerge-")
        .tempfile_in(dir)
        .map_err(|e| io_error("write", path, &e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .map_err(|e| io_error("write", path, &e))?;
    set_permissions(tmp.as_file(), target);
    tmp.persist(target)
        .map_err(|e| io_error("write", path, &e.error))?;
    Ok(())
}

/// The permissions of the file being replaced, or 0666 minus the umask for a new one (the
/// temporary file is created 0600).
#[cfg(unix)]
fn set_permissions(file: &std::fs::File, target: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = match std::fs::metadata(target) {
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(_) => 0o666 & !umask(),
    };
    let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_permissions(_: &std::fs::File, _: &Path) {}

/// The process umask from /proc (Linux), else the usual 022.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Bin => "bin",
        Format::IntelHex => "hex",
        Format::Srec => "srec",
        Format::Elf => "elf",
        _ => "unknown",
    }
}

fn addr(a: u64) -> String {
    if a <= 0xFFFF_FFFF {
        format!("{a:#010x}")
    } else {
        format!("{a:#018x}")
    }
}

fn info(args: &InfoArgs, read: &mut Reader<'_>, stdout: &mut dyn Write) -> Result<(), Failure> {
    let mut entries = Vec::new();
    for spec in &args.inputs {
        let (name, bytes) = read(&spec.path)?;
        let mut at = spec.at;
        if at.is_none() && provkit::image::merge::input_format(&name, &bytes) == Format::Bin {
            at = Some(0);
        }
        let (format, image) = load_input(&name, &bytes, at)?;
        entries.push((name, format, image));
    }
    let text = if args.json {
        let list: Vec<serde_json::Value> = entries
            .iter()
            .map(|(name, format, image)| {
                serde_json::json!({
                    "file": name,
                    "format": format_name(*format),
                    "size": image.total_len(),
                    "start": image.start(),
                    "end": image.end(),
                    "entry": image.entry(),
                    "header": image.header().map(|h| String::from_utf8_lossy(h).into_owned()),
                    "segments": image.segments().iter().map(|s| serde_json::json!({
                        "start": s.address,
                        "end": s.end(),
                        "size": s.data.len(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut t = serde_json::to_string_pretty(&list)
            .map_err(|e| Failure::Failed(format!("cannot format JSON: {e}")))?;
        t.push('\n');
        t
    } else {
        let mut t = String::new();
        for (name, format, image) in &entries {
            let n = image.segments().len();
            t.push_str(&format!(
                "{name}: {format}, {} bytes in {n} segment{}, {}..{}, entry {}\n",
                image.total_len(),
                if n == 1 { "" } else { "s" },
                addr(image.start().unwrap_or(0)),
                addr(image.end().unwrap_or(0)),
                image.entry().map_or("none".to_string(), addr),
            ));
            if let Some(h) = image.header() {
                t.push_str(&format!("  header {:?}\n", String::from_utf8_lossy(h)));
            }
            for s in image.segments() {
                t.push_str(&format!(
                    "  {}..{}  {} bytes\n",
                    addr(s.address),
                    addr(s.end()),
                    s.data.len()
                ));
            }
        }
        t
    };
    stdout
        .write_all(text.as_bytes())
        .map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => Failure::BrokenPipe,
            _ => io_error("write", "stdout", &e),
        })
}
