//! Debug probes: devsim's DM-AP socket (`sim:HOST:PORT`) and, with the `probe` feature,
//! real probes through probe-rs.

use provkit::dat::mailbox::{AccessError, MailboxAccess, MemAccess};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A debug probe attached to one chip: register access to the DM-AP and word access to
/// memory through the AHB-AP.
pub trait DebugProbe: MailboxAccess + MemAccess {
    /// For messages.
    fn describe(&self) -> String;
    /// Drops and re-establishes the debug connection (after `EXIT` the ROM re-enables the
    /// debug domains; probes must re-attach to see them).
    fn reconnect(&mut self) -> Result<(), AccessError>;
}

/// Why a probe could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The specification is wrong (exit 2).
    Usage(String),
    /// The probe is not there (exit 3).
    NotFound(String),
}

/// Opens the probe named by `spec` for a chip whose DM-AP is access port `ap`.
pub fn open(spec: &str, ap: u8) -> Result<Box<dyn DebugProbe>, OpenError> {
    if let Some(addr) = spec.strip_prefix("sim:") {
        return SimProbe::connect(addr, ap).map(|p| Box::new(p) as Box<dyn DebugProbe>);
    }
    open_hardware(spec, ap)
}

#[cfg(feature = "probe")]
fn open_hardware(spec: &str, ap: u8) -> Result<Box<dyn DebugProbe>, OpenError> {
    crate::probe_rs_backend::open(spec, ap).map(|p| Box::new(p) as Box<dyn DebugProbe>)
}

#[cfg(not(feature = "probe"))]
fn open_hardware(spec: &str, _ap: u8) -> Result<Box<dyn DebugProbe>, OpenError> {
    Err(OpenError::Usage(format!(
        "probe '{spec}': this dat-tool was built without real-probe support (rebuild with `--features probe`); use sim:HOST:PORT for devsim"
    )))
}

/// Probes this build can see, one line each.
pub fn list() -> Vec<String> {
    #[cfg(feature = "probe")]
    {
        crate::probe_rs_backend::list()
    }
    #[cfg(not(feature = "probe"))]
    {
        Vec::new()
    }
}

/// devsim's DM-AP socket (protocol in `devsim::dm::server`).
pub struct SimProbe {
    addr: String,
    ap: u8,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl SimProbe {
    /// Connects to `HOST:PORT`.
    pub fn connect(addr: &str, ap: u8) -> Result<SimProbe, OpenError> {
        if !addr.contains(':') {
            return Err(OpenError::Usage(format!(
                "probe 'sim:{addr}': expected sim:HOST:PORT"
            )));
        }
        let (reader, writer) = dial(addr)
            .map_err(|e| OpenError::NotFound(format!("simulated probe at {addr}: {e}")))?;
        let mut p = SimProbe {
            addr: addr.to_string(),
            ap,
            reader,
            writer,
        };
        let hello = p
            .ask("HELLO")
            .map_err(|e| OpenError::NotFound(format!("simulated probe at {addr}: {e}")))?;
        if !hello.starts_with("OK devsim-dm 1") {
            return Err(OpenError::NotFound(format!(
                "{addr} is not a devsim debug port (it said '{hello}')"
            )));
        }
        tracing::info!("connected to {hello}");
        Ok(p)
    }

    fn ask(&mut self, line: &str) -> Result<String, AccessError> {
        let io = |e: std::io::Error| AccessError::Io(format!("simulated probe {}: {e}", self.addr));
        self.writer
            .write_all(format!("{line}\n").as_bytes())
            .map_err(io)?;
        let mut answer = String::new();
        let n = self.reader.read_line(&mut answer).map_err(io)?;
        if n == 0 {
            return Err(AccessError::Io(format!(
                "simulated probe {}: connection closed",
                self.addr
            )));
        }
        Ok(answer.trim().to_string())
    }

    fn value(&mut self, line: &str) -> Result<u32, AccessError> {
        let a = self.ask(line)?;
        parse_answer(&a)?
            .ok_or_else(|| AccessError::Io(format!("'{line}': answer '{a}' carries no value")))
    }

    fn unit(&mut self, line: &str) -> Result<(), AccessError> {
        let a = self.ask(line)?;
        parse_answer(&a).map(|_| ())
    }
}

fn dial(addr: &str) -> std::io::Result<(BufReader<TcpStream>, TcpStream)> {
    let s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let r = s.try_clone()?;
    Ok((BufReader::new(r), s))
}

fn parse_answer(a: &str) -> Result<Option<u32>, AccessError> {
    let mut it = a.splitn(2, ' ');
    match it.next() {
        Some("OK") => match it.next() {
            None => Ok(None),
            Some(v) => provkit::codec::parse_u32(v.trim())
                .map(Some)
                .map_err(AccessError::Io),
        },
        Some("WAIT") => Err(AccessError::Wait),
        Some("FAULT") => Err(AccessError::Fault(it.next().unwrap_or("").to_string())),
        _ => Err(AccessError::Io(format!("simulated probe: '{a}'"))),
    }
}

impl MailboxAccess for SimProbe {
    fn read(&mut self, reg: u8) -> Result<u32, AccessError> {
        let ap = self.ap;
        self.value(&format!("APR {ap} 0x{reg:02X}"))
    }

    fn write(&mut self, reg: u8, value: u32) -> Result<(), AccessError> {
        let ap = self.ap;
        self.unit(&format!("APW {ap} 0x{reg:02X} 0x{value:08X}"))
    }
}

impl MemAccess for SimProbe {
    fn read_u32(&mut self, addr: u32) -> Result<u32, AccessError> {
        self.value(&format!("MEMR 0x{addr:08X}"))
    }

    fn write_u32(&mut self, addr: u32, value: u32) -> Result<(), AccessError> {
        self.unit(&format!("MEMW 0x{addr:08X} 0x{value:08X}"))
    }
}

impl DebugProbe for SimProbe {
    fn describe(&self) -> String {
        format!("simulated probe at {}", self.addr)
    }

    fn reconnect(&mut self) -> Result<(), AccessError> {
        let (r, w) = dial(&self.addr)
            .map_err(|e| AccessError::Io(format!("simulated probe {}: {e}", self.addr)))?;
        self.reader = r;
        self.writer = w;
        self.ask("HELLO").map(|_| ())
    }
}
