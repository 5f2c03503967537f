//! The pseudo-terminal `devsim mcu` serves on.
//!
//! [`Pty::open`] creates a pty pair (`serialport::TTYPort::pair`, raw mode). devsim keeps
//! the slave end open itself for as long as it runs, so the pty survives host tools
//! opening and closing the port (without it, the master reads EIO between host sessions
//! and data written meanwhile is lost). [`Pty::link`] points a symlink at the slave.
//!
//! [`PtyStream`] is the master end as a [`ByteStream`]: read timeouts give `Ok(0)`, and
//! EIO/hang-up (no slave open) is "no host connected": it sleeps 1 ms and reports
//! nothing received, so the device loop neither spins nor exits.

use provkit::transport::ByteStream;
use serialport::{SerialPort, TTYPort};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write to the master may block (the slave's input queue is full when no
/// host reads).
const WRITE_TIMEOUT: Duration = Duration::from_secs(1);

/// A pty pair: the master for the simulator, the slave kept open.
pub struct Pty {
    master: Option<TTYPort>,
    _slave: TTYPort,
    name: String,
    link: Option<PathBuf>,
}

impl Pty {
    /// Creates the pair.
    pub fn open() -> io::Result<Pty> {
        let (master, slave) =
            TTYPort::pair().map_err(|e| io::Error::other(format!("cannot create a pty: {e}")))?;
        let name = slave
            .name()
            .ok_or_else(|| io::Error::other("the pty slave has no name"))?;
        Ok(Pty {
            master: Some(master),
            _slave: slave,
            name,
            link: None,
        })
    }

    /// The slave device path (`/dev/pts/N`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Points `path` at the slave, replacing an existing symlink (never a regular file).
    pub fn link(&mut self, path: &Path) -> io::Result<()> {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(path).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot replace {}: {e}", path.display()))
            })?,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a symlink", path.display()),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot inspect {}: {e}", path.display()),
                ));
            }
        }
        std::os::unix::fs::symlink(&self.name, path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create symlink {}: {e}", path.display()),
            )
        })?;
        self.link = Some(path.to_path_buf());
        Ok(())
    }

    /// Removes the symlink made by [`Pty::link`] if it still points at this pty.
    pub fn unlink(&mut self) {
        if let Some(path) = self.link.take() {
            if std::fs::read_link(&path).is_ok_and(|t| t == Path::new(&self.name)) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    /// The master end as a byte stream (can be taken once).
    pub fn take_stream(&mut self) -> io::Result<PtyStream> {
        let port = self
            .master
            .take()
            .ok_or_else(|| io::Error::other("pty stream already taken"))?;
        Ok(PtyStream {
            port,
            name: self.name.clone(),
        })
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        self.unlink();
    }
}

/// The master end of the pty.
pub struct PtyStream {
    port: TTYPort,
    name: String,
}

fn no_host(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
        || e.raw_os_error() == Some(libc::EIO)
        || e.to_string().contains("I/O error")
}

impl ByteStream for PtyStream {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.port
            .set_timeout(WRITE_TIMEOUT)
            .map_err(io::Error::other)?;
        match self.port.write_all(buf) {
            Ok(()) => Ok(()),
            // Nobody has the slave open: the bytes go nowhere, as on a real line.
            Err(e) if no_host(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.port.set_timeout(timeout).map_err(io::Error::other)?;
        match self.port.read(buf) {
            Ok(0) => {
                std::thread::sleep(Duration::from_millis(1));
                Ok(0)
            }
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                        | io::ErrorKind::WouldBlock
                ) =>
            {
                Ok(0)
            }
            Err(e) if no_host(&e) => {
                std::thread::sleep(Duration::from_millis(1));
                Ok(0)
            }
            Err(e) => Err(e),
        }
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}
