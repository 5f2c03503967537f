//! Serial ports (and ptys) through the `serialport` crate.
//!
//! Unlike SPSDK, nothing is flushed before a write: on a pty, TCOFLUSH throws away
//! bytes the peer has not read yet, which is how SPSDK loses its own ACKs
//! (reference blhost.md §1.9).

use super::ByteStream;
use serialport::SerialPort;
use std::io::{self, Read, Write};
use std::time::Duration;

/// An open serial port.
pub struct SerialStream {
    port: Box<dyn SerialPort>,
    path: String,
}

impl SerialStream {
    /// Opens `path` at `baud`, 8N1, raw, no flow control.
    pub fn open(path: &str, baud: u32) -> io::Result<Self> {
        // Not exclusive: TIOCEXCL outlives a session on a pty the simulator keeps open
        // (the next non-root open fails with EBUSY), and SPSDK does not lock either.
        let port = serialport::new(path, baud)
            .exclusive(false)
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(|e| io::Error::other(format!("cannot open {path}: {e}")))?;
        Ok(SerialStream {
            port,
            path: path.to_string(),
        })
    }
}

impl ByteStream for SerialStream {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        // The port's timeout is shared with reads (which may have left it at zero).
        self.port
            .set_timeout(Duration::from_secs(5))
            .map_err(io::Error::other)?;
        self.port.write_all(buf)?;
        self.port.flush()
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.port.set_timeout(timeout).map_err(io::Error::other)?;
        match self.port.read(buf) {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "serial port closed",
            )),
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Ok(0),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn describe(&self) -> String {
        self.path.clone()
    }
}
