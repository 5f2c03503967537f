//! The DM-AP socket server: a debug probe's view of the simulated chip over TCP.
//!
//! # Protocol (version 1)
//!
//! One request per line (ASCII, `\n`), one answer line. Numbers in requests take any form
//! `parse_int` takes (`0x..`, decimal); numbers in answers are `0x` and 8 hex digits.
//!
//! | request | answer | meaning |
//! |---|---|---|
//! | `HELLO` | `OK devsim-dm 1 family=<name> revision=<rev> dm_ap=<n>` | who is there |
//! | `APR <ap> <reg>` | `OK <value>`, `WAIT`, `FAULT <text>` | read an access-port register (byte offset) |
//! | `APW <ap> <reg> <value>` | `OK`, `FAULT <text>` | write an access-port register |
//! | `MEMR <addr>` | `OK <value>`, `FAULT <text>` | 32-bit read through the AHB-AP (AP 0) |
//! | `MEMW <addr> <value>` | `OK`, `FAULT <text>` | 32-bit write through the AHB-AP |
//! | `RESET` | `OK` | pulse the reset pin (chip reset) |
//! | anything else | `ERR <text>` | |
//!
//! `WAIT` is what a probe sees when the DM-AP stalls a RETURN read (the ROM has not
//! written the word yet): retry. `FAULT` on memory access means the debug domain is
//! closed (`debug access locked (DBGEN closed)`) or the address is not there.
//! One client at a time; the connection stays open until the client closes it.

use super::rom::{ApError, DebugPort};
use crate::rom::Rom;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running server.
pub struct DmServer {
    addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
}

impl DmServer {
    /// Binds `addr` and serves `port` (the chip `rom`) on a thread until `stop` is set.
    pub fn spawn(
        addr: &str,
        rom: Arc<Mutex<Rom>>,
        port: DebugPort,
        stop: Arc<AtomicBool>,
    ) -> std::io::Result<DmServer> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let local = listener.local_addr()?;
        let port = Arc::new(Mutex::new(port));
        let thread = std::thread::Builder::new()
            .name("dm-ap".into())
            .spawn(move || accept_loop(listener, rom, port, stop))?;
        Ok(DmServer {
            addr: local,
            thread: Some(thread),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits for the server thread (after `stop` was set).
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    rom: Arc<Mutex<Rom>>,
    port: Arc<Mutex<DebugPort>>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, peer)) => {
                tracing::info!("debug probe connected from {peer}");
                if let Err(e) = serve(stream, &rom, &port, &stop) {
                    tracing::debug!("debug probe connection: {e}");
                }
                tracing::info!("debug probe {peer} disconnected");
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => {
                tracing::warn!("dm-listen accept: {e}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn serve(
    stream: TcpStream,
    rom: &Mutex<Rom>,
    port: &Mutex<DebugPort>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    stream.set_nodelay(true)?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {
                if !line.ends_with('\n') {
                    continue;
                }
                let answer = handle(line.trim(), rom, port);
                line.clear();
                out.write_all(answer.as_bytes())?;
                out.write_all(b"\n")?;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
    }
}

fn num(s: Option<&str>) -> Result<u32, String> {
    let s = s.ok_or("missing argument")?;
    provkit::codec::parse_u32(s)
}

fn ap_err(e: ApError) -> String {
    match e {
        ApError::Wait => "WAIT".into(),
        ApError::Fault(t) => format!("FAULT {t}"),
    }
}

/// Answers one request line.
pub fn handle(line: &str, rom: &Mutex<Rom>, port: &Mutex<DebugPort>) -> String {
    let mut it = line.split_whitespace();
    let verb = it.next().unwrap_or("").to_ascii_uppercase();
    let r = (|| -> Result<String, String> {
        let mut rom = lock(rom);
        let mut port = lock(port);
        Ok(match verb.as_str() {
            "HELLO" => {
                let f = port.dat_family();
                format!(
                    "OK devsim-dm 1 family={} revision={} dm_ap={}",
                    f.name, f.revision, f.dm_ap
                )
            }
            "APR" => {
                let ap = num(it.next())?;
                let reg = num(it.next())?;
                match port.ap_read(&mut rom, ap as u8, reg as u8) {
                    Ok(v) => format!("OK 0x{v:08X}"),
                    Err(e) => ap_err(e),
                }
            }
            "APW" => {
                let ap = num(it.next())?;
                let reg = num(it.next())?;
                let v = num(it.next())?;
                match port.ap_write(&mut rom, ap as u8, reg as u8, v) {
                    Ok(()) => "OK".into(),
                    Err(e) => ap_err(e),
                }
            }
            "MEMR" => {
                let a = num(it.next())?;
                match port.mem_read(&mut rom, a) {
                    Ok(v) => format!("OK 0x{v:08X}"),
                    Err(e) => ap_err(e),
                }
            }
            "MEMW" => {
                let a = num(it.next())?;
                let v = num(it.next())?;
                match port.mem_write(&mut rom, a, v) {
                    Ok(()) => "OK".into(),
                    Err(e) => ap_err(e),
                }
            }
            "RESET" => {
                port.chip_reset(&mut rom);
                "OK".into()
            }
            "" => return Err("empty request".into()),
            other => return Err(format!("unknown request '{other}'")),
        })
    })();
    r.unwrap_or_else(|e| format!("ERR {e}"))
}
