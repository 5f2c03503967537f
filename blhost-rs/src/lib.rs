//! `blhost`: SPSDK 3.12 blhost's command line over provkit's mboot session.
//!
//! [`run`] executes a parsed [`cli::Cli`] and writes SPSDK-identical stdout to `out`; the
//! link to the device comes from a `connect` function, so tests can hand in an in-process
//! simulator instead of a serial port. `main.rs` only parses, sets up logging, calls
//! [`run`] and turns a [`Failure`] into one stderr line and an exit code.
//!
//! Exit codes (SPSDK's): 0 success; 1 the device returned a failure status, or no
//! interface was given; 2 usage or input error, no device, connection error; 3 anything
//! else.

pub mod cli;
mod exec;
pub mod family;
pub mod input;
mod listmem;
pub mod output;

use cli::Cli;
use provkit::mboot::StatusCode;
use provkit::mboot::link::{Link, UartLink, UartOptions};
use std::fmt;
use std::io::{self, Write};
use std::time::Duration;

/// Why a run failed; [`Failure::exit_code`] is the process exit code.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    /// The device returned a failure status (the status block was printed already).
    Status {
        /// The command (SPSDK's JSON name).
        command: String,
        /// The status.
        status: StatusCode,
    },
    /// Neither `-p` nor `-u` (nor BLHOST_PORT) was given.
    NoInterface,
    /// Bad arguments or input files.
    Usage(String),
    /// No device, the port failed, the device broke the protocol.
    Connection(String),
    /// Anything else.
    Other(String),
    /// stdout was closed by the reader (e.g. `| head`): exit quietly.
    BrokenPipe,
}

impl Failure {
    /// The exit code: SPSDK's (1 status / no interface, 2 usage and connection, 3 other).
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Status { .. } | Failure::NoInterface => 1,
            Failure::Usage(_) | Failure::Connection(_) => 2,
            Failure::Other(_) => 3,
            Failure::BrokenPipe => 0,
        }
    }

    /// Maps an error writing stdout.
    pub fn from_stdout(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Other(format!("cannot write to stdout: {e}"))
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status { command, status } => {
                write!(f, "{command}: device returned {status}")
            }
            Failure::NoInterface => {
                f.write_str("one of '--port' or '--usb' must be specified (or set BLHOST_PORT)")
            }
            Failure::Usage(m) | Failure::Connection(m) | Failure::Other(m) => f.write_str(m),
            Failure::BrokenPipe => f.write_str("stdout closed"),
        }
    }
}

impl std::error::Error for Failure {}

/// The function that opens the link to the device (called at most once per run).
pub type Connector<'a> = &'a dyn Fn(&Cli) -> Result<Box<dyn Link>, Failure>;

/// Where to find the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interface {
    /// A serial port (or pty) and its baud rate.
    Uart {
        /// Port path.
        path: String,
        /// Baud rate.
        baud: u32,
    },
    /// A USB-HID device spec (`VID,PID`, `VID:PID`, `VID`, `BUS#ADDR`, chip name).
    Usb(String),
}

/// SPSDK's default UART baud rate.
pub const DEFAULT_BAUD: u32 = 57600;

impl Cli {
    /// The interface from `-p`, `-u` or the BLHOST_PORT environment variable.
    pub fn interface(&self) -> Result<Interface, Failure> {
        if let Some(spec) = &self.usb {
            return Ok(Interface::Usb(spec.clone()));
        }
        let port = match &self.port {
            Some(p) => p.clone(),
            None => match std::env::var("BLHOST_PORT") {
                Ok(p) if !p.trim().is_empty() => p,
                _ => return Err(Failure::NoInterface),
            },
        };
        parse_port(&port)
    }

    /// The UART ping timeout: min(max(500, t/10), t) ms, as SPSDK.
    pub fn ping_timeout(&self) -> Duration {
        let t = u64::from(self.timeout);
        Duration::from_millis((t / 10).max(500).min(t))
    }
}

/// `PORT[,BAUD]`.
pub fn parse_port(spec: &str) -> Result<Interface, Failure> {
    match spec.rsplit_once(',') {
        Some((path, baud)) => {
            let baud = cli::num_u32(baud)
                .map_err(|e| Failure::Usage(format!("bad baud rate in '--port {spec}': {e}")))?;
            if path.is_empty() || baud == 0 {
                return Err(Failure::Usage(format!("bad port '{spec}'")));
            }
            Ok(Interface::Uart {
                path: path.to_string(),
                baud,
            })
        }
        None if spec.is_empty() => Err(Failure::Usage("empty port name".into())),
        None => Ok(Interface::Uart {
            path: spec.to_string(),
            baud: DEFAULT_BAUD,
        }),
    }
}

/// Opens the real device: a serial port, or (feature `usb`) a USB-HID device.
pub fn connect(cli: &Cli) -> Result<Box<dyn Link>, Failure> {
    match cli.interface()? {
        Interface::Uart { path, baud } => {
            let stream = provkit::transport::serial::SerialStream::open(&path, baud)
                .map_err(|e| Failure::Connection(e.to_string()))?;
            let opts = UartOptions {
                ping_attempts: 3,
                ping_timeout: cli.ping_timeout(),
                baud,
                ..UartOptions::default()
            };
            Ok(Box::new(UartLink::new(stream, opts)))
        }
        Interface::Usb(spec) => open_usb(&spec),
    }
}

/// USB-HID chip names SPSDK accepts for `-u`, and their ROM's VID:PID (reference §2.1).
const USB_NAMES: &[(&str, &str)] = &[
    ("lpc55s69", "0x1FC9,0x0021"),
    ("lpc55s66", "0x1FC9,0x0021"),
    ("lpc55s26", "0x1FC9,0x0021"),
    ("lpc55s28", "0x1FC9,0x0021"),
    ("lpc5526", "0x1FC9,0x0021"),
    ("lpc5528", "0x1FC9,0x0021"),
    ("lpc55s16", "0x1FC9,0x0022"),
    ("lpc55s14", "0x1FC9,0x0022"),
    ("lpc5516", "0x1FC9,0x0022"),
    ("lpc5514", "0x1FC9,0x0022"),
    ("lpc5512", "0x1FC9,0x0022"),
    ("lpc55s36", "0x1FC9,0x0025"),
    ("lpc5536", "0x1FC9,0x0025"),
    ("lpc5534", "0x1FC9,0x0025"),
    ("mcxn947", "0x1FC9,0x014F"),
    ("mcxn946", "0x1FC9,0x014F"),
    ("mcxn547", "0x1FC9,0x014F"),
    ("mcxn546", "0x1FC9,0x014F"),
    ("mcxn236", "0x1FC9,0x0158"),
    ("mcxn235", "0x1FC9,0x0158"),
    ("mimxrt685s", "0x1FC9,0x0020"),
    ("rw612", "0x1FC9,0x0020"),
    ("rw610", "0x1FC9,0x0020"),
    ("mimxrt595s", "0x1FC9,0x0023"),
    ("mimxrt798s", "0x1FC9,0x0026"),
    ("mimxrt1189", "0x1FC9,0x014C"),
];

/// Resolves a chip name given to `-u` into `VID,PID`; anything else is passed through.
pub fn usb_spec(spec: &str) -> String {
    let lower = spec.trim().to_ascii_lowercase();
    USB_NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map_or_else(|| spec.trim().to_string(), |(_, id)| (*id).to_string())
}

#[cfg(feature = "usb")]
fn open_usb(spec: &str) -> Result<Box<dyn Link>, Failure> {
    let spec = usb_spec(spec);
    let dev = provkit::transport::usb::UsbHid::open(&spec)
        .map_err(|e| Failure::Connection(format!("cannot open USB device '{spec}': {e}")))?;
    Ok(Box::new(provkit::mboot::link::HidLink::new(dev)))
}

#[cfg(not(feature = "usb"))]
fn open_usb(_spec: &str) -> Result<Box<dyn Link>, Failure> {
    Err(Failure::Connection(
        "USB-HID support is not built into this blhost; rebuild with `--features usb`".into(),
    ))
}

/// Runs one invocation. Results go to `out` exactly as SPSDK prints them; the link comes
/// from `connect`, called once, only when the command needs the device.
pub fn run(cli: Cli, out: &mut dyn Write, connect: Connector<'_>) -> Result<(), Failure> {
    if cli.version {
        writeln!(out, "blhost, version {}", env!("CARGO_PKG_VERSION"))
            .map_err(Failure::from_stdout)?;
        return Ok(());
    }
    let Some(cmd) = cli.command.clone() else {
        return Err(Failure::Usage(
            "missing command; try 'blhost --help'".into(),
        ));
    };
    let mut ctx = exec::Ctx::new(&cli, out, connect);
    ctx.exec(&cmd, false)
}

/// Set by the first Ctrl-C: the running data phase is aborted cleanly (the device gets a
/// zero-length data frame and ends the phase) and the run stops with exit code 3, as
/// SPSDK's does on Ctrl-C. A second Ctrl-C terminates at once.
pub fn interrupted() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    static FLAG: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
        std::sync::OnceLock::new();
    FLAG.get_or_init(Default::default).clone()
}

/// Installs the Ctrl-C handling described at [`interrupted`].
pub fn install_interrupt_handler() {
    use signal_hook::consts::SIGINT;
    let flag = interrupted();
    // Registration only fails for forbidden signals; SIGINT is not one.
    let _ = signal_hook::flag::register_conditional_default(SIGINT, flag.clone());
    let _ = signal_hook::flag::register(SIGINT, flag);
}

/// Logging on stderr (see [`provkit::cli::init_logging`]).
pub fn init_tracing(verbose: u8) {
    provkit::cli::init_logging(verbose);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        assert_eq!(
            parse_port("/dev/ttyUSB0").unwrap(),
            Interface::Uart {
                path: "/dev/ttyUSB0".into(),
                baud: 57600
            }
        );
        assert_eq!(
            parse_port("COM3,115200").unwrap(),
            Interface::Uart {
                path: "COM3".into(),
                baud: 115_200
            }
        );
        assert!(parse_port("COM3,fast").is_err());
        assert!(parse_port(",9600").is_err());
        assert!(parse_port("").is_err());
    }

    #[test]
    fn ping_timeouts_follow_spsdk() {
        let t = |ms: &str| {
            let cli = cli::parse(["blhost", "-p", "x", "-t", ms, "reset"]).unwrap();
            cli.ping_timeout().as_millis()
        };
        assert_eq!(t("5000"), 500);
        assert_eq!(t("200"), 200);
        assert_eq!(t("20000"), 2000);
    }

    #[test]
    fn usb_names() {
        assert_eq!(usb_spec("LPC55S69"), "0x1FC9,0x0021");
        assert_eq!(usb_spec("0x15A2,0x0073"), "0x15A2,0x0073");
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Failure::NoInterface.exit_code(), 1);
        assert_eq!(
            Failure::Status {
                command: "x".into(),
                status: StatusCode(1)
            }
            .exit_code(),
            1
        );
        assert_eq!(Failure::Usage(String::new()).exit_code(), 2);
        assert_eq!(Failure::Connection(String::new()).exit_code(), 2);
        assert_eq!(Failure::Other(String::new()).exit_code(), 3);
        assert_eq!(
            Failure::Status {
                command: "get-property".into(),
                status: StatusCode(10300)
            }
            .to_string(),
            "get-property: device returned kStatus_UnknownProperty (10300)"
        );
    }
}
