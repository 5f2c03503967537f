//! The device side of the mboot USB-HID report framing (reference blhost.md §2.2–2.3),
//! over any [`HidDevice`].
//!
//! Reports are `id 00 len:u16 payload`: 1 command out, 2 data out, 3 command in,
//! 4 data in. There are no ACKs, no CRC and no ping. Like the ROM, the device pads every
//! IN report to the full report size (4 + max packet size) and honours the length field
//! of OUT reports, padded or not. Aborts: the device aborts the host's data phase with a
//! zero-length command report followed by the closing response (and then drops the rest
//! of the host's data reports); it aborts its own data phase with a zero-length data
//! report followed by the closing response. A zero-length data report from the host ends
//! the phase with `kStatus_AbortDataPhase`.

use crate::rom::{DataIn, DataOut, Phase, Rom};
use provkit::mboot::usb_hid::{
    self, REPORT_CMD_IN, REPORT_CMD_OUT, REPORT_DATA_IN, REPORT_DATA_OUT,
};
use provkit::transport::HidDevice;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The USB-HID device engine.
pub struct HidEngine<D: HidDevice> {
    dev: D,
    rom: Arc<Mutex<Rom>>,
    stop: Arc<AtomicBool>,
    poll: Duration,
}

fn lock(rom: &Mutex<Rom>) -> MutexGuard<'_, Rom> {
    rom.lock().unwrap_or_else(|e| e.into_inner())
}

fn closed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::NotConnected
    )
}

impl<D: HidDevice> HidEngine<D> {
    /// An engine serving `rom` over `dev` until `stop` is raised or the device closes.
    pub fn new(dev: D, rom: Arc<Mutex<Rom>>, stop: Arc<AtomicBool>) -> Self {
        HidEngine {
            dev,
            rom,
            stop,
            poll: Duration::from_millis(50),
        }
    }

    fn report_size(&self) -> usize {
        4 + lock(&self.rom).max_packet() as usize
    }

    fn send(&mut self, id: u8, payload: &[u8]) -> io::Result<()> {
        let size = self.report_size();
        self.dev
            .write_report(&usb_hid::encode(id, payload, Some(size)))
    }

    fn sleep_busy(&self) {
        let busy = lock(&self.rom).take_busy();
        if !busy.is_zero() {
            std::thread::sleep(busy);
        }
    }

    /// Serves until stopped (Ok) or the device closes (Ok) or fails (Err).
    pub fn serve(&mut self) -> io::Result<()> {
        let mut buf = vec![0u8; 8192];
        // True after the device aborted a host-to-device phase: the host's remaining
        // data reports are dropped until its next command.
        let mut discarding = false;
        while !self.stop.load(Ordering::Relaxed) {
            let n = match self.dev.read_report(&mut buf, self.poll) {
                Ok(0) => continue,
                Ok(n) => n,
                Err(e) if closed(&e) => return Ok(()),
                Err(e) => return Err(e),
            };
            let rep = match usb_hid::decode(&buf[..n]) {
                Ok(r) => r,
                Err(e) => {
                    tracing::debug!("malformed HID report dropped: {e}");
                    continue;
                }
            };
            let r = match rep.id {
                REPORT_CMD_OUT => {
                    discarding = false;
                    self.command(&rep.payload, &mut discarding)
                }
                REPORT_DATA_OUT if discarding => Ok(()),
                REPORT_DATA_OUT => self.data(&rep.payload, &mut discarding),
                id => {
                    tracing::debug!("HID report id {id} from the host dropped");
                    Ok(())
                }
            };
            match r {
                Ok(()) => {}
                Err(e) if closed(&e) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn command(&mut self, payload: &[u8], discarding: &mut bool) -> io::Result<()> {
        let reply = lock(&self.rom).command(payload);
        self.sleep_busy();
        self.send(REPORT_CMD_IN, &reply.packet.encode())?;
        match reply.phase {
            Phase::None => {
                lock(&self.rom).response_delivered();
                Ok(())
            }
            Phase::FromHost { .. } => Ok(()),
            Phase::ToHost { .. } => {
                let max = lock(&self.rom).max_packet() as usize;
                loop {
                    let next = lock(&self.rom).data_out(max);
                    match next {
                        DataOut::Chunk(v) => self.send(REPORT_DATA_IN, &v)?,
                        DataOut::Finished(p) => {
                            self.send(REPORT_CMD_IN, &p.encode())?;
                            lock(&self.rom).response_delivered();
                            return Ok(());
                        }
                        DataOut::Aborted(p) => {
                            self.send(REPORT_DATA_IN, &[])?;
                            self.send(REPORT_CMD_IN, &p.encode())?;
                            *discarding = false;
                            return Ok(());
                        }
                        DataOut::Unexpected => return Ok(()),
                    }
                }
            }
        }
    }

    fn data(&mut self, payload: &[u8], discarding: &mut bool) -> io::Result<()> {
        if payload.is_empty() {
            let fin = lock(&self.rom).host_abort();
            if let Some(p) = fin {
                self.send(REPORT_CMD_IN, &p.encode())?;
            }
            return Ok(());
        }
        let r = lock(&self.rom).data_in(payload);
        self.sleep_busy();
        match r {
            DataIn::More => Ok(()),
            DataIn::Finished(p) => {
                self.send(REPORT_CMD_IN, &p.encode())?;
                lock(&self.rom).response_delivered();
                Ok(())
            }
            DataIn::Aborted(p) => {
                self.send(REPORT_CMD_IN, &[])?;
                self.send(REPORT_CMD_IN, &p.encode())?;
                *discarding = true;
                Ok(())
            }
            DataIn::Unexpected => {
                tracing::debug!("HID data report outside a data phase dropped");
                Ok(())
            }
        }
    }
}
