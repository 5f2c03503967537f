//! The memory map of the simulated chip: RAM, internal flash (erase before program,
//! page programming, blank-page reads), the protected flash region (CFPA/CMPA pages),
//! the FlexSPI NOR window (usable after `configure-memory 9`), address aliases,
//! reserved regions and per-range read rules, all taken from the [`Family`] record.
//!
//! Every address is first translated through the family's mirrors (secure and code-bus
//! aliases) to its canonical address; a range must lie inside one region.

use provkit::family::{Family, FlashRegion, FlexSpiNor, Pfr, Window};
use provkit::mboot::StatusCode;
use std::collections::BTreeMap;
use std::time::Duration;

/// Where a canonical address lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    /// RAM bank and offset.
    Ram(usize, usize),
    /// Internal flash bank and offset.
    Flash(usize, usize),
    /// Offset in the PFR window.
    Pfr(usize),
    /// Offset in the FlexSPI NOR window.
    Nor(usize),
}

/// Geometry of the configured FlexSPI NOR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NorGeometry {
    /// Device size in bytes.
    pub size: u32,
    /// Page size.
    pub page_size: u32,
    /// Sector size.
    pub sector_size: u32,
    /// Block size.
    pub block_size: u32,
}

pub(crate) struct FlashBank {
    pub(crate) region: FlashRegion,
    pub(crate) data: Vec<u8>,
    /// One flag per page: programmed since the last erase.
    pub(crate) programmed: Vec<bool>,
}

impl FlashBank {
    fn page_of(&self, off: usize) -> usize {
        off / self.region.page_size as usize
    }
}

pub(crate) struct PfrBank {
    pub(crate) cfg: Pfr,
    pub(crate) data: Vec<u8>,
}

pub(crate) struct Nor {
    pub(crate) cfg: FlexSpiNor,
    pub(crate) geometry: Option<NorGeometry>,
    /// Sector index -> contents; an absent sector is erased (all 0xFF).
    pub(crate) sectors: BTreeMap<u32, Vec<u8>>,
}

impl Nor {
    fn sector_size(&self) -> usize {
        self.cfg.sector_size as usize
    }

    pub(crate) fn read(&self, off: usize, out: &mut [u8]) {
        let ss = self.sector_size();
        let mut done = 0;
        while done < out.len() {
            let pos = off + done;
            let (sec, in_sec) = (pos / ss, pos % ss);
            let n = (ss - in_sec).min(out.len() - done);
            match u32::try_from(sec).ok().and_then(|s| self.sectors.get(&s)) {
                Some(d) => out[done..done + n].copy_from_slice(&d[in_sec..in_sec + n]),
                None => out[done..done + n].fill(0xFF),
            }
            done += n;
        }
    }

    /// Programs bytes NOR-style: bits only go from 1 to 0. Returns false when the
    /// result differs from `data` (the bytes were not erased).
    pub(crate) fn program(&mut self, off: usize, data: &[u8]) -> bool {
        let ss = self.sector_size();
        let mut ok = true;
        let mut done = 0;
        while done < data.len() {
            let pos = off + done;
            let (sec, in_sec) = (pos / ss, pos % ss);
            let n = (ss - in_sec).min(data.len() - done);
            let key = u32::try_from(sec).unwrap_or(u32::MAX);
            let chunk = &data[done..done + n];
            if chunk.iter().all(|&b| b == 0xFF) && !self.sectors.contains_key(&key) {
                done += n;
                continue;
            }
            let s = self.sectors.entry(key).or_insert_with(|| vec![0xFF; ss]);
            for (d, &b) in s[in_sec..in_sec + n].iter_mut().zip(chunk) {
                *d &= b;
                ok &= *d == b;
            }
            done += n;
        }
        ok
    }

    pub(crate) fn erase(&mut self, off: usize, len: usize) {
        let ss = self.sector_size();
        let first = off / ss;
        let last = (off + len).div_ceil(ss);
        for s in first..last {
            if let Ok(k) = u32::try_from(s) {
                self.sectors.remove(&k);
            }
        }
    }
}

/// The whole memory map.
pub(crate) struct Memory {
    pub(crate) family: Family,
    pub(crate) ram: Vec<(Window, Vec<u8>)>,
    pub(crate) flash: Vec<FlashBank>,
    pub(crate) pfr: Option<PfrBank>,
    pub(crate) nor: Option<Nor>,
    /// Simulated time spent on flash work, not yet reported.
    pub(crate) busy: Duration,
    /// Verify writes (property 10).
    pub(crate) verify_writes: bool,
}

fn us(v: u32) -> Duration {
    Duration::from_micros(u64::from(v))
}

fn overlaps(a_start: u64, a_len: u64, b_start: u64, b_end_incl: u64) -> bool {
    a_len > 0 && a_start <= b_end_incl && b_start < a_start + a_len
}

impl Memory {
    pub(crate) fn new(family: &Family) -> Memory {
        let ram = family
            .ram
            .iter()
            .map(|w| (*w, vec![0u8; w.size as usize]))
            .collect();
        let flash = family
            .flash
            .iter()
            .map(|r| FlashBank {
                region: r.clone(),
                data: vec![0xFF; r.size as usize],
                programmed: vec![false; (r.size / r.page_size.max(1)) as usize],
            })
            .collect();
        // A fresh chip's PFR pages hold programmed (zero) data: NXP programs them in the
        // factory, so they read back and a CFPA with version 1 is newer.
        let pfr = family.pfr.as_ref().map(|p| PfrBank {
            cfg: p.clone(),
            data: vec![0u8; p.window.size as usize],
        });
        let nor = family.flexspi.as_ref().map(|x| Nor {
            cfg: x.clone(),
            geometry: None,
            sectors: BTreeMap::new(),
        });
        Memory {
            family: family.clone(),
            ram,
            flash,
            pfr,
            nor,
            busy: Duration::ZERO,
            verify_writes: true,
        }
    }

    /// Translates an alias address to its canonical address; the whole range must stay
    /// inside the alias window.
    pub(crate) fn canonical(&self, addr: u32, len: u64) -> Result<u32, StatusCode> {
        for m in &self.family.mirrors {
            let w = Window {
                start: m.start,
                size: m.size,
            };
            if addr >= m.start && u64::from(addr) < w.end() {
                if !w.contains(addr, len) {
                    return Err(StatusCode::MEMORY_RANGE_INVALID);
                }
                return Ok(m.target.wrapping_add(addr - m.start));
            }
        }
        Ok(addr)
    }

    /// Finds the region holding `[addr, addr + len)` (canonical address). A zero-length
    /// range is located by its start address.
    pub(crate) fn locate(&self, addr: u32, len: u64) -> Result<Loc, StatusCode> {
        let need = len.max(1);
        for (i, (w, _)) in self.ram.iter().enumerate() {
            if w.contains(addr, need) {
                return Ok(Loc::Ram(i, (addr - w.start) as usize));
            }
        }
        for (i, b) in self.flash.iter().enumerate() {
            if b.region.window().contains(addr, need) {
                return Ok(Loc::Flash(i, (addr - b.region.start) as usize));
            }
        }
        if let Some(p) = &self.pfr {
            if p.cfg.window.contains(addr, need) {
                return Ok(Loc::Pfr((addr - p.cfg.window.start) as usize));
            }
        }
        if let Some(n) = &self.nor {
            if n.cfg.window.contains(addr, need) {
                let Some(g) = n.geometry else {
                    return Err(StatusCode::MEMORY_NOT_CONFIGURED);
                };
                let off = u64::from(addr - n.cfg.window.start);
                if off + need > u64::from(g.size) {
                    return Err(StatusCode::MEMORY_RANGE_INVALID);
                }
                return Ok(Loc::Nor(off as usize));
            }
        }
        Err(StatusCode::MEMORY_RANGE_INVALID)
    }

    /// Canonical address and location in one step.
    pub(crate) fn resolve(&self, addr: u32, len: u64) -> Result<(u32, Loc), StatusCode> {
        let c = self.canonical(addr, len)?;
        Ok((c, self.locate(c, len)?))
    }

    /// Fails when a write/erase range touches a reserved region.
    pub(crate) fn check_reserved(&self, canon: u32, len: u64) -> Result<(), StatusCode> {
        for r in &self.family.reserved {
            if overlaps(u64::from(canon), len, u64::from(r.start), u64::from(r.end)) {
                return Err(StatusCode::MEMORY_RANGE_INVALID);
            }
        }
        Ok(())
    }

    /// Reads as the ROM's read-memory does: read rules, blank pages, unconfigured NOR.
    pub(crate) fn read(&self, addr: u32, len: usize) -> Result<Vec<u8>, StatusCode> {
        let (canon, loc) = self.resolve(addr, len as u64)?;
        for rule in &self.family.read_rules {
            if overlaps(
                u64::from(canon),
                len as u64,
                u64::from(rule.start),
                u64::from(rule.end),
            ) {
                return Err(StatusCode(rule.status));
            }
        }
        let mut out = vec![0u8; len];
        match loc {
            Loc::Ram(i, off) => out.copy_from_slice(&self.ram[i].1[off..off + len]),
            Loc::Flash(i, off) => {
                let b = &self.flash[i];
                if let Some(st) = b.region.blank_read_status {
                    if len > 0 {
                        let (p0, p1) = (b.page_of(off), b.page_of(off + len - 1));
                        if b.programmed[p0..=p1].iter().any(|p| !p) {
                            return Err(StatusCode(st));
                        }
                    }
                }
                out.copy_from_slice(&b.data[off..off + len]);
            }
            Loc::Pfr(off) => {
                if let Some(p) = &self.pfr {
                    out.copy_from_slice(&p.data[off..off + len]);
                }
            }
            Loc::Nor(off) => {
                if let Some(n) = &self.nor {
                    n.read(off, &mut out);
                }
            }
        }
        Ok(out)
    }

    /// Raw contents for inspection (no read rules); `None` outside the map.
    pub(crate) fn peek(&self, addr: u32, len: usize) -> Option<Vec<u8>> {
        let (_, loc) = self.resolve(addr, len as u64).ok()?;
        let mut out = vec![0u8; len];
        match loc {
            Loc::Ram(i, off) => out.copy_from_slice(&self.ram[i].1[off..off + len]),
            Loc::Flash(i, off) => out.copy_from_slice(&self.flash[i].data[off..off + len]),
            Loc::Pfr(off) => out.copy_from_slice(&self.pfr.as_ref()?.data[off..off + len]),
            Loc::Nor(off) => self.nor.as_ref()?.read(off, &mut out),
        }
        Some(out)
    }

    /// Erases a region of internal flash or of the configured NOR.
    pub(crate) fn erase(&mut self, addr: u32, len: u32) -> Result<(), StatusCode> {
        if len == 0 {
            // KBOOT's tests: erasing zero bytes succeeds, wherever it points.
            return Ok(());
        }
        let (canon, loc) = self.resolve(addr, u64::from(len))?;
        self.check_reserved(canon, u64::from(len))?;
        match loc {
            Loc::Flash(i, off) => {
                let t = self.family.timing;
                let b = &mut self.flash[i];
                let unit = b.region.erase_size as usize;
                if off % unit != 0 || len as usize % unit != 0 {
                    return Err(StatusCode::FLASH_ALIGNMENT_ERROR);
                }
                let end = off + len as usize;
                b.data[off..end].fill(0xFF);
                let ps = b.region.page_size as usize;
                b.programmed[off / ps..end / ps].fill(false);
                self.busy += us(t.flash_erase_unit_us) * (len / unit as u32);
                Ok(())
            }
            Loc::Nor(off) => {
                let t = self.family.timing;
                let Some(n) = self.nor.as_mut() else {
                    return Err(StatusCode::MEMORY_NOT_CONFIGURED);
                };
                let g = n.geometry.ok_or(StatusCode::MEMORY_NOT_CONFIGURED)?;
                if off % g.sector_size as usize != 0 || len % g.sector_size != 0 {
                    return Err(StatusCode::FLASH_ALIGNMENT_ERROR);
                }
                n.erase(off, len as usize);
                self.busy += nor_erase_time(off as u64, u64::from(len), &g, &t);
                Ok(())
            }
            // RAM has nothing to erase; PFR pages are written whole, never erased.
            Loc::Ram(..) | Loc::Pfr(_) => Err(StatusCode::MEMORY_RANGE_INVALID),
        }
    }

    /// `flash-erase-all` of internal flash (memory ID 0): every flash bank, not the PFR.
    pub(crate) fn erase_all_internal(&mut self) -> Result<(), StatusCode> {
        if self.flash.is_empty() {
            return Err(StatusCode::INVALID_ARGUMENT);
        }
        for b in &mut self.flash {
            b.data.fill(0xFF);
            b.programmed.fill(false);
        }
        self.busy += us(self.family.timing.flash_erase_all_us);
        Ok(())
    }

    /// `flash-erase-all 9`: the whole configured NOR.
    pub(crate) fn erase_all_nor(&mut self) -> Result<(), StatusCode> {
        let t = self.family.timing;
        let n = self.nor.as_mut().ok_or(StatusCode::INVALID_ARGUMENT)?;
        let g = n.geometry.ok_or(StatusCode::MEMORY_NOT_CONFIGURED)?;
        n.sectors.clear();
        self.busy += nor_erase_time(0, u64::from(g.size), &g, &t);
        Ok(())
    }

    /// Programs one internal flash page (padding already applied).
    fn program_flash_page(
        &mut self,
        bank: usize,
        page: usize,
        data: &[u8],
    ) -> Result<(), StatusCode> {
        let t = self.family.timing.flash_program_page_us;
        let b = &mut self.flash[bank];
        let ps = b.region.page_size as usize;
        if b.programmed[page] {
            return Err(StatusCode::MEMORY_CUMULATIVE_WRITE);
        }
        b.data[page * ps..page * ps + data.len()].copy_from_slice(data);
        b.programmed[page] = true;
        self.busy += us(t);
        Ok(())
    }

    /// Writes bytes where writes need no buffering (RAM, NOR) or raw PFR/flash stores.
    fn store(&mut self, loc: Loc, data: &[u8]) -> Result<(), StatusCode> {
        match loc {
            Loc::Ram(i, off) => {
                self.ram[i].1[off..off + data.len()].copy_from_slice(data);
                Ok(())
            }
            Loc::Nor(off) => {
                let t = self.family.timing.nor_program_page_us;
                let verify = self.verify_writes;
                let n = self.nor.as_mut().ok_or(StatusCode::MEMORY_NOT_CONFIGURED)?;
                let ps = n.geometry.map(|g| g.page_size).unwrap_or(256) as usize;
                let ok = n.program(off, data);
                let pages = (off + data.len()).div_ceil(ps) - off / ps;
                self.busy += us(t) * pages as u32;
                if !ok && verify {
                    return Err(StatusCode::MEMORY_VERIFY_FAILED);
                }
                Ok(())
            }
            Loc::Pfr(off) => {
                let p = self.pfr.as_mut().ok_or(StatusCode::MEMORY_RANGE_INVALID)?;
                p.data[off..off + data.len()].copy_from_slice(data);
                Ok(())
            }
            Loc::Flash(i, off) => {
                // Raw store used by the key store: whole pages, erase-before-program.
                let ps = self.flash[i].region.page_size as usize;
                let mut pos = 0;
                while pos < data.len() {
                    let page = (off + pos) / ps;
                    let n = (ps - (off + pos) % ps).min(data.len() - pos);
                    let mut buf = self.flash[i].data[page * ps..page * ps + ps].to_vec();
                    buf[(off + pos) % ps..(off + pos) % ps + n]
                        .copy_from_slice(&data[pos..pos + n]);
                    self.program_flash_page(i, page, &buf)?;
                    pos += n;
                }
                Ok(())
            }
        }
    }

    /// Writes bytes directly (used by the key store's non-volatile copy), bypassing the
    /// host-facing PFR rules.
    pub(crate) fn store_raw(&mut self, addr: u32, data: &[u8]) -> Result<(), StatusCode> {
        let (_, loc) = self.resolve(addr, data.len() as u64)?;
        self.store(loc, data)
    }

    /// Starts a host write (write-memory, fill-memory) of `len` bytes at `addr`: checks
    /// the range, reserved regions and alignment as the ROM does before its data phase.
    pub(crate) fn begin_write(&self, addr: u32, len: u32) -> Result<WriteJob, StatusCode> {
        let (canon, loc) = self.resolve(addr, u64::from(len))?;
        self.check_reserved(canon, u64::from(len))?;
        match loc {
            Loc::Flash(i, off) => {
                let ps = self.flash[i].region.page_size as usize;
                if off % ps != 0 {
                    return Err(StatusCode::FLASH_ALIGNMENT_ERROR);
                }
            }
            Loc::Pfr(off) => {
                let p = self.pfr.as_ref().ok_or(StatusCode::MEMORY_RANGE_INVALID)?;
                let ps = p.cfg.page_size as usize;
                if off % ps != 0 || len as usize != ps {
                    return Err(StatusCode::FLASH_ALIGNMENT_ERROR);
                }
                if canon != p.cfg.cfpa && canon != p.cfg.cmpa {
                    return Err(StatusCode::MEMORY_RANGE_INVALID);
                }
            }
            Loc::Ram(..) | Loc::Nor(_) => {}
        }
        Ok(WriteJob {
            canon,
            loc,
            len: len as usize,
            done: 0,
            page_buf: Vec::new(),
        })
    }

    /// Takes data for a write job. Internal flash and PFR data is buffered per page.
    pub(crate) fn write_chunk(
        &mut self,
        job: &mut WriteJob,
        data: &[u8],
    ) -> Result<(), StatusCode> {
        let take = data.len().min(job.len - job.done);
        let data = &data[..take];
        match job.loc {
            Loc::Ram(i, off) => self.store(Loc::Ram(i, off + job.done), data)?,
            Loc::Nor(off) => self.store(Loc::Nor(off + job.done), data)?,
            Loc::Pfr(_) => job.page_buf.extend_from_slice(data),
            Loc::Flash(i, off) => {
                let ps = self.flash[i].region.page_size as usize;
                job.page_buf.extend_from_slice(data);
                while job.page_buf.len() >= ps {
                    let start = off + job.done + take - job.page_buf.len();
                    let page: Vec<u8> = job.page_buf.drain(..ps).collect();
                    self.program_flash_page(i, start / ps, &page)?;
                }
            }
        }
        job.done += take;
        Ok(())
    }

    /// Completes a write job: pads and programs the last flash page, applies PFR rules.
    pub(crate) fn finish_write(&mut self, job: &mut WriteJob) -> Result<(), StatusCode> {
        match job.loc {
            Loc::Flash(i, off) if !job.page_buf.is_empty() => {
                let ps = self.flash[i].region.page_size as usize;
                let start = off + job.done - job.page_buf.len();
                let mut page = std::mem::take(&mut job.page_buf);
                page.resize(ps, 0xFF);
                self.program_flash_page(i, start / ps, &page)
            }
            Loc::Pfr(off) => {
                let page = std::mem::take(&mut job.page_buf);
                self.write_pfr_page(job.canon, off, &page)
            }
            _ => Ok(()),
        }
    }

    /// CFPA/CMPA page writes (whole pages): CFPA version must grow, a sealed CMPA is final.
    fn write_pfr_page(&mut self, canon: u32, off: usize, page: &[u8]) -> Result<(), StatusCode> {
        let t = self.family.timing;
        let Some(p) = self.pfr.as_mut() else {
            return Err(StatusCode::MEMORY_RANGE_INVALID);
        };
        let ps = p.cfg.page_size as usize;
        if page.len() != ps {
            return Err(StatusCode::FLASH_ALIGNMENT_ERROR);
        }
        let base = p.cfg.window.start;
        let page_at = |data: &Vec<u8>, a: u32| -> Vec<u8> {
            let o = (a - base) as usize;
            data[o..o + ps].to_vec()
        };
        if canon == p.cfg.cfpa {
            let vo = p.cfg.cfpa_version_offset as usize;
            let version =
                |pg: &[u8]| u32::from_le_bytes([pg[vo], pg[vo + 1], pg[vo + 2], pg[vo + 3]]);
            let current = match p.cfg.cfpa_ping_pong {
                Some((a, b)) => version(&page_at(&p.data, a)).max(version(&page_at(&p.data, b))),
                None => version(&page_at(&p.data, p.cfg.cfpa)),
            };
            if version(page) <= current {
                return Err(StatusCode::FLASH_CFPA_VERSION_ROLLBACK_DISALLOWED);
            }
        } else if canon == p.cfg.cmpa {
            let cur = page_at(&p.data, p.cfg.cmpa);
            if cur[ps - 16..].iter().any(|&b| b != 0) {
                return Err(StatusCode::FLASH_SEALED_PFR_REGION);
            }
        } else {
            return Err(StatusCode::MEMORY_RANGE_INVALID);
        }
        p.data[off..off + ps].copy_from_slice(page);
        self.busy += us(t.flash_erase_unit_us) + us(t.flash_program_page_us);
        Ok(())
    }

    /// Reset-time CFPA promotion (LPC55S6x-style ping/pong): a scratch page newer than
    /// both copies replaces the older copy.
    pub(crate) fn promote_cfpa(&mut self) {
        let Some(p) = self.pfr.as_mut() else { return };
        let Some((a, b)) = p.cfg.cfpa_ping_pong else {
            return;
        };
        let ps = p.cfg.page_size as usize;
        let base = p.cfg.window.start;
        let vo = p.cfg.cfpa_version_offset as usize;
        let ver = |data: &[u8], addr: u32| {
            let o = (addr - base) as usize + vo;
            u32::from_le_bytes([data[o], data[o + 1], data[o + 2], data[o + 3]])
        };
        let (vs, va, vb) = (ver(&p.data, p.cfg.cfpa), ver(&p.data, a), ver(&p.data, b));
        if vs > va.max(vb) {
            let dst = if va <= vb { a } else { b };
            let src = (p.cfg.cfpa - base) as usize;
            let page = p.data[src..src + ps].to_vec();
            let d = (dst - base) as usize;
            p.data[d..d + ps].copy_from_slice(&page);
        }
    }

    /// Configures the NOR with the given geometry.
    pub(crate) fn configure_nor(&mut self, g: NorGeometry) {
        if let Some(n) = self.nor.as_mut() {
            n.geometry = Some(g);
        }
    }

    /// Reset: RAM cleared, NOR unconfigured, CFPA promoted; flash and PFR kept.
    pub(crate) fn reset(&mut self) {
        for (_, d) in &mut self.ram {
            d.fill(0);
        }
        if let Some(n) = self.nor.as_mut() {
            n.geometry = None;
        }
        self.promote_cfpa();
        self.verify_writes = true;
    }

    /// True when `[addr, addr + len)` is executable memory (RAM, flash, configured NOR).
    pub(crate) fn executable(&self, addr: u32) -> bool {
        matches!(
            self.resolve(addr, 4),
            Ok((_, Loc::Ram(..) | Loc::Flash(..) | Loc::Nor(_)))
        )
    }

    pub(crate) fn take_busy(&mut self) -> Duration {
        std::mem::take(&mut self.busy)
    }
}

fn nor_erase_time(off: u64, len: u64, g: &NorGeometry, t: &provkit::family::Timing) -> Duration {
    // The ROM erases whole blocks where it can and sectors at the edges.
    let (bs, ss) = (
        u64::from(g.block_size.max(1)),
        u64::from(g.sector_size.max(1)),
    );
    let mut pos = off;
    let end = off + len;
    let mut total = Duration::ZERO;
    while pos < end {
        if pos % bs == 0 && end - pos >= bs {
            total += us(t.nor_erase_block_us);
            pos += bs;
        } else {
            total += us(t.nor_erase_sector_us);
            pos += ss;
        }
    }
    total
}

/// An ongoing host write.
pub(crate) struct WriteJob {
    pub(crate) canon: u32,
    pub(crate) loc: Loc,
    pub(crate) len: usize,
    pub(crate) done: usize,
    page_buf: Vec<u8>,
}

impl WriteJob {
    /// Bytes still expected.
    pub(crate) fn remaining(&self) -> usize {
        self.len - self.done
    }
}
