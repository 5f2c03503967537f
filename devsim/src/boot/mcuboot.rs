//! The MCUboot boot stage: with `devsim mcu --mcuboot ...` the boot image in flash is
//! taken to be an MCUboot bootloader (the simulator has no CPU, so the bootloader's code
//! itself is not needed), and every reset runs MCUboot's slot logic on the simulated flash:
//!
//! * **direct-xip** (NXP flash-remap parts, the seed's console): both slots are looked at,
//!   the higher version is selected; an unconfirmed image that was already tried once
//!   (copy_done set, image_ok not) or one without a trailer magic is erased (revert);
//!   `copy_done` is written on first selection; invalid images are erased and the other
//!   slot is tried.
//! * **swap-move**: the swap type comes from the trailers (test, permanent, revert); a
//!   valid secondary image is swapped into the primary slot (decrypted on the way when
//!   encrypted); an unconfirmed test image is swapped back at the next reset.
//! * **overwrite-only**: a valid secondary image is copied over the primary slot and the
//!   secondary is erased; optional downgrade prevention.
//!
//! Images are validated as `bootutil_img_validate` does ([`provkit::mcuboot::validate`]):
//! hash, KEYHASH and signature with the built-in key(s), encryption with the device key.
//! The console lines (NXP's `hello sbl.` bootloader, as in the SEC tool's MCUboot workflow)
//! go to stdout as JSON lines `{"event":"console","source":"mcuboot","line":...}` followed
//! by a summary `{"event":"mcuboot",...}`, and to `--state DIR/console.log` (appended) and
//! `DIR/mcuboot.json` (the last summary). The simulator then stays in ISP mode.
//!
//! Not modelled: interrupted swaps (every swap completes at once), swap-scratch and
//! swap-offset, RAM load, multi-image dependencies, hardware rollback counters, the NXP
//! encrypted-XIP extension. The bootloader does not run when the ROM's secure-boot check
//! refused the boot image.

use crate::rom::Rom;
use provkit::crypto::{PrivateKey, PublicKey};
use provkit::family::Family;
use provkit::mcuboot::build::{ImageHash, SigAlg};
use provkit::mcuboot::image::{ImageHeader, flags};
use provkit::mcuboot::layout::{self, UpgradeMode};
use provkit::mcuboot::trailer::{
    Flag, MagicState, SlotTrailer, TrailerLayout, TrailerSizing, boot_magic,
};
use provkit::mcuboot::validate::{BootConfig, Validated, validate};
use provkit::mcuboot::{McubootImage, enc};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The bootloader build and the flash layout.
#[derive(Debug, Clone)]
pub struct McubootOptions {
    /// Upgrade mode.
    pub mode: UpgradeMode,
    /// Primary slot address.
    pub primary: u32,
    /// Secondary slot address.
    pub secondary: u32,
    /// Slot size.
    pub slot_size: u32,
    /// Start of the flash device holding the slots (flash-area offsets are from here).
    pub flash_base: u32,
    /// Flash write size (`--align`).
    pub align: u32,
    /// `BOOT_MAX_ALIGN`.
    pub max_align: u32,
    /// `MCUBOOT_MAX_IMG_SECTORS`.
    pub max_sectors: u32,
    /// Validation settings (keys, hash, signature, device decryption key).
    pub boot: BootConfig,
    /// The application confirms itself after it boots (`boot_set_confirmed`).
    pub app_confirms: bool,
    /// `MCUBOOT_DOWNGRADE_PREVENTION` (overwrite-only).
    pub downgrade_prevention: bool,
    /// Where `console.log` and `mcuboot.json` go.
    pub state_dir: Option<PathBuf>,
    /// Print JSON lines on stdout.
    pub stdout: bool,
}

/// What one boot did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct McubootReport {
    /// `"mcuboot"`.
    pub event: &'static str,
    /// `booted`, `no-bootable-image`, or `not-run` (the ROM refused the boot image).
    pub result: String,
    /// `primary` or `secondary`.
    pub slot: Option<String>,
    /// Version of the image that runs.
    pub version: Option<String>,
    /// Where the image that runs starts.
    pub address: Option<String>,
    /// Swap type (swap modes): `none`, `test`, `perm`, `revert`.
    pub swap_type: Option<String>,
    /// Console lines of this boot.
    pub lines: Vec<String>,
    /// Reset count.
    pub resets: u32,
}

/// The MCUboot stage attached to a [`Rom`].
pub struct McuBoot {
    opts: McubootOptions,
    last: Option<McubootReport>,
}

impl std::fmt::Debug for McuBoot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "McuBoot({:?})", self.opts.mode)
    }
}

fn parse_bool(k: &str, v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "yes" | "on" | "" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("--mcuboot {k}={v}: expected true or false")),
    }
}

fn parse_num(k: &str, v: &str) -> Result<u32, String> {
    provkit::codec::parse_u32(v).map_err(|e| format!("--mcuboot {k}: {e}"))
}

fn sig_of(name: &str) -> Result<Option<SigAlg>, String> {
    Ok(Some(match name {
        "rsa-2048" | "rsa2048" => SigAlg::Rsa2048,
        "rsa-3072" | "rsa3072" => SigAlg::Rsa3072,
        "ecdsa-p256" | "p256" => SigAlg::EcdsaP256,
        "ecdsa-p384" | "p384" => SigAlg::EcdsaP384,
        "ed25519" => SigAlg::Ed25519,
        "none" => return Ok(None),
        other => {
            return Err(format!(
                "--mcuboot sig={other}: one of rsa-2048, rsa-3072, ecdsa-p256, ecdsa-p384, ed25519, none"
            ));
        }
    }))
}

impl McuBoot {
    /// Builds the stage from `--mcuboot KEY=VALUE[,KEY=VALUE...]` options (repeatable)
    /// over the family's default layout (`provkit/data/mcuboot_layouts.json`).
    ///
    /// Keys: `mode` (swap-move, overwrite-only, direct-xip), `primary`, `secondary`,
    /// `slot-size`, `align`, `max-align`, `max-sectors`, `key` (public or private key file
    /// of the built-in signing key; repeatable), `sig` (rsa-2048, rsa-3072, ecdsa-p256,
    /// ecdsa-p384, ed25519, none; default from the key), `hash` (sha256, sha384, sha512),
    /// `pure`, `hw-key` (the first key's hash is provisioned; images carry PUBKEY),
    /// `enc-key` (device decryption key), `app-confirms`, `downgrade-prevention`.
    pub fn from_specs(
        family: &Family,
        specs: &[String],
        state_dir: Option<&Path>,
    ) -> Result<McuBoot, String> {
        let l = layout::for_family(&family.name).ok_or_else(|| {
            format!(
                "--mcuboot: no MCUboot layout for {} (known: {})",
                family.name,
                layout::all()
                    .iter()
                    .map(|l| l.family.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let mut mode = l.mode;
        let (mut primary, mut secondary, mut slot_size) = (l.primary, l.secondary, l.slot_size);
        let (mut align, mut max_align, mut max_sectors) = (l.align, None, l.max_sectors);
        let mut keys: Vec<PublicKey> = Vec::new();
        let mut sig: Option<Option<SigAlg>> = None;
        let mut hash: Option<ImageHash> = None;
        let mut pure = false;
        let mut hw_key = false;
        let mut enc_key: Option<PrivateKey> = None;
        let mut app_confirms = false;
        let mut downgrade = false;
        for spec in specs {
            for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (k, v) = item.split_once('=').unwrap_or((item, ""));
                match k {
                    "mode" => {
                        mode = UpgradeMode::parse(v).ok_or_else(|| {
                            format!(
                                "--mcuboot mode={v}: one of swap-move, overwrite-only, direct-xip"
                            )
                        })?;
                    }
                    "primary" => primary = parse_num(k, v)?,
                    "secondary" => secondary = parse_num(k, v)?,
                    "slot-size" => slot_size = parse_num(k, v)?,
                    "align" => align = parse_num(k, v)?,
                    "max-align" => max_align = Some(parse_num(k, v)?),
                    "max-sectors" => max_sectors = parse_num(k, v)?,
                    "key" => keys.push(
                        PublicKey::from_file(Path::new(v))
                            .map_err(|e| format!("--mcuboot key: {e}"))?,
                    ),
                    "sig" => sig = Some(sig_of(v)?),
                    "hash" => {
                        hash = Some(match v {
                            "sha256" => ImageHash::Sha256,
                            "sha384" => ImageHash::Sha384,
                            "sha512" => ImageHash::Sha512,
                            _ => {
                                return Err(format!(
                                    "--mcuboot hash={v}: sha256, sha384 or sha512"
                                ));
                            }
                        });
                    }
                    "pure" => pure = parse_bool(k, v)?,
                    "hw-key" => hw_key = parse_bool(k, v)?,
                    "enc-key" => {
                        enc_key = Some(
                            PrivateKey::from_file(Path::new(v))
                                .map_err(|e| format!("--mcuboot enc-key: {e}"))?,
                        );
                    }
                    "app-confirms" => app_confirms = parse_bool(k, v)?,
                    "downgrade-prevention" => downgrade = parse_bool(k, v)?,
                    "" => {}
                    other => return Err(format!("--mcuboot: unknown key {other:?}")),
                }
            }
        }
        let sig = match sig {
            Some(s) => s,
            None => match keys.first() {
                Some(k) => {
                    Some(SigAlg::for_key(k.key_type()).map_err(|e| format!("--mcuboot key: {e}"))?)
                }
                None => sig_of(&l.signature)?,
            },
        };
        if sig.is_some() && keys.is_empty() {
            return Err(
                "--mcuboot: key=PATH (the public key built into the bootloader) is needed unless sig=none"
                    .into(),
            );
        }
        if let Some(s) = sig {
            for k in &keys {
                if SigAlg::for_key(k.key_type()).ok() != Some(s) {
                    return Err(format!(
                        "--mcuboot: a {} key cannot check {s:?} signatures",
                        k.key_type()
                    ));
                }
            }
        }
        if let Some(k) = &enc_key {
            enc::wrap_kind(k.key_type(), false).map_err(|e| format!("--mcuboot enc-key: {e}"))?;
        }
        if !matches!(align, 1 | 2 | 4 | 8 | 16 | 32) {
            return Err(format!("--mcuboot align={align}: 1, 2, 4, 8, 16 or 32"));
        }
        let max_align = max_align.unwrap_or(align.max(8));
        if !matches!(max_align, 8 | 16 | 32) {
            return Err(format!("--mcuboot max-align={max_align}: 8, 16 or 32"));
        }
        if u64::from(primary) + u64::from(slot_size) > u64::from(secondary)
            && u64::from(secondary) + u64::from(slot_size) > u64::from(primary)
        {
            return Err("--mcuboot: the slots overlap".into());
        }
        // The flash device the slots are in.
        let in_window = |w: &provkit::family::Window| {
            w.contains(primary, u64::from(slot_size)) && w.contains(secondary, u64::from(slot_size))
        };
        let flash_base = family
            .flash
            .iter()
            .map(|r| r.window())
            .chain(family.flexspi.iter().map(|n| n.window))
            .find(in_window)
            .map(|w| w.start)
            .ok_or_else(|| {
                format!(
                    "--mcuboot: slots 0x{primary:x} and 0x{secondary:x} (0x{slot_size:x} bytes) are not both in one flash of {}",
                    family.name
                )
            })?;
        let mut boot = match sig {
            Some(s) => BootConfig::signed(s, keys.clone()),
            None => {
                let mut b = BootConfig::signed(SigAlg::Ed25519, keys.clone());
                b.sig = None;
                b
            }
        };
        if let Some(h) = hash {
            boot.hash = h;
        }
        boot.sign_pure = pure;
        if hw_key {
            let k = keys.first().ok_or("--mcuboot hw-key needs key=PATH")?;
            let der = provkit::mcuboot::keyfmt::public_der(k).map_err(|e| e.to_string())?;
            boot.hw_key_hash = Some(boot.hash.digest(&der));
        }
        boot.enc_key = enc_key;
        Ok(McuBoot {
            opts: McubootOptions {
                mode,
                primary,
                secondary,
                slot_size,
                flash_base,
                align,
                max_align,
                max_sectors,
                boot,
                app_confirms,
                downgrade_prevention: downgrade,
                state_dir: state_dir.map(Path::to_path_buf),
                stdout: true,
            },
            last: None,
        })
    }

    /// Builds the stage from options.
    pub fn new(opts: McubootOptions) -> McuBoot {
        McuBoot { opts, last: None }
    }

    /// Keeps the console off stdout (it still goes to the state directory and the log).
    pub fn disable_stdout(&mut self) {
        self.opts.stdout = false;
    }

    /// The options.
    pub fn options(&self) -> &McubootOptions {
        &self.opts
    }

    /// The last boot's report.
    pub fn last(&self) -> Option<&McubootReport> {
        self.last.as_ref()
    }
}

impl Rom {
    /// Attaches the MCUboot boot stage: from now on every reset runs it.
    pub fn set_mcuboot(&mut self, m: McuBoot) {
        self.mcuboot = Some(Box::new(m));
    }

    /// The last MCUboot boot report.
    pub fn mcuboot_report(&self) -> Option<&McubootReport> {
        self.mcuboot.as_ref()?.last()
    }

    /// Runs the MCUboot stage now (what a reset does when it is attached).
    pub fn run_mcuboot(&mut self) -> Option<McubootReport> {
        let mut m = self.mcuboot.take()?;
        let report = if self.last_boot().is_some_and(|b| b.result == "refused") {
            let mut r = Boot::new(&m.opts, self).report;
            r.result = "not-run".into();
            r.lines
                .push("(the ROM refused the boot image: the bootloader does not run)".into());
            r
        } else {
            let mut b = Boot::new(&m.opts, self);
            b.run(self);
            b.report
        };
        publish(&m.opts, &report);
        m.last = Some(report.clone());
        self.mcuboot = Some(m);
        Some(report)
    }
}

/// The reset hook (one call in `Rom::reset`).
pub(crate) fn on_reset(rom: &mut Rom) {
    let _ = rom.run_mcuboot();
}

fn publish(opts: &McubootOptions, r: &McubootReport) {
    for line in &r.lines {
        tracing::info!(target: "mcuboot", "{line}");
    }
    if opts.stdout {
        // stdout is the simulator's JSON-lines channel; a closed pipe is not an error here.
        let mut out = std::io::stdout().lock();
        for line in &r.lines {
            let ev = serde_json::json!({"event": "console", "source": "mcuboot", "line": line});
            let _ = writeln!(out, "{ev}");
        }
        if let Ok(s) = serde_json::to_string(r) {
            let _ = writeln!(out, "{s}");
        }
        let _ = out.flush();
    }
    if let Some(dir) = &opts.state_dir {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("console.log"))?;
            for line in &r.lines {
                writeln!(f, "{line}")?;
            }
            let tmp = dir.join("mcuboot.json.tmp");
            std::fs::write(
                &tmp,
                serde_json::to_vec_pretty(r).map_err(std::io::Error::other)?,
            )?;
            std::fs::rename(&tmp, dir.join("mcuboot.json"))
        };
        if let Err(e) = write() {
            tracing::warn!("cannot write the MCUboot console to {}: {e}", dir.display());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Primary,
    Secondary,
}

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Slot::Primary => "primary",
            Slot::Secondary => "secondary",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Slot::Primary => "Primary",
            Slot::Secondary => "Secondary",
        }
    }

    fn fa_id(self) -> u32 {
        match self {
            Slot::Primary => 0,
            Slot::Secondary => 1,
        }
    }
}

/// One boot in progress.
struct Boot<'a> {
    o: &'a McubootOptions,
    report: McubootReport,
}

// ---- flash access (internal flash through the memory map; NOR also when unconfigured,
// as the bootloader reads the boot device itself) ----

fn read(rom: &Rom, addr: u32, len: usize) -> Option<Vec<u8>> {
    if let Some(nor) = rom.mem.nor.as_ref() {
        if nor.cfg.window.contains(addr, len as u64) {
            let mut out = vec![0u8; len];
            nor.read((addr - nor.cfg.window.start) as usize, &mut out);
            return Some(out);
        }
    }
    rom.peek(addr, len)
}

fn erase(rom: &mut Rom, addr: u32, len: u32) -> Result<(), String> {
    if let Some(nor) = rom.mem.nor.as_mut() {
        if nor.cfg.window.contains(addr, u64::from(len)) {
            nor.erase((addr - nor.cfg.window.start) as usize, len as usize);
            return Ok(());
        }
    }
    rom.mem
        .erase(addr, len)
        .map_err(|st| format!("erase 0x{addr:x}+0x{len:x}: {st}"))
}

fn write(rom: &mut Rom, addr: u32, data: &[u8]) -> Result<(), String> {
    if let Some(nor) = rom.mem.nor.as_mut() {
        if nor.cfg.window.contains(addr, data.len() as u64) {
            nor.program((addr - nor.cfg.window.start) as usize, data);
            return Ok(());
        }
    }
    // Internal flash: MCUboot writes trailer fields in flash-write-size units, finer than
    // the ROM's program page; model that as NOR-style programming (bits 1 -> 0) of just
    // these bytes, marking their pages programmed.
    if let Ok((_, crate::rom::memory::Loc::Flash(i, off))) =
        rom.mem.resolve(addr, data.len() as u64)
    {
        let bank = &mut rom.mem.flash[i];
        let ps = bank.region.page_size as usize;
        for (d, s) in bank.data[off..off + data.len()].iter_mut().zip(data) {
            *d &= *s;
        }
        if !data.is_empty() {
            bank.programmed[off / ps..=(off + data.len() - 1) / ps].fill(true);
        }
        return Ok(());
    }
    rom.poke(addr, data)
        .map_err(|st| format!("write 0x{addr:x}+0x{:x}: {st}", data.len()))
}

/// Writes `data` into erased flash at `addr`, skipping all-erased chunks (so the pages
/// stay programmable from the host).
fn program(rom: &mut Rom, addr: u32, data: &[u8]) -> Result<(), String> {
    for (i, chunk) in data.chunks(256).enumerate() {
        if chunk.iter().all(|&b| b == 0xff) {
            continue;
        }
        write(rom, addr + (i * 256) as u32, chunk)?;
    }
    Ok(())
}

impl<'a> Boot<'a> {
    fn new(o: &'a McubootOptions, rom: &Rom) -> Boot<'a> {
        Boot {
            o,
            report: McubootReport {
                event: "mcuboot",
                result: "no-bootable-image".into(),
                slot: None,
                version: None,
                address: None,
                swap_type: None,
                lines: vec!["hello sbl.".into(), "Bootloader Version 2.0.0".into()],
                resets: rom.resets(),
            },
        }
    }

    fn log(&mut self, line: impl Into<String>) {
        self.report.lines.push(line.into());
    }

    fn addr(&self, s: Slot) -> u32 {
        match s {
            Slot::Primary => self.o.primary,
            Slot::Secondary => self.o.secondary,
        }
    }

    fn layout(&self) -> TrailerLayout {
        TrailerLayout {
            max_align: self.o.max_align,
        }
    }

    /// The bootloader's trailer size (what an image may not reach into).
    fn trailer_size(&self) -> u64 {
        TrailerSizing {
            align: self.o.align,
            max_align: self.o.max_align,
            max_sectors: self.o.max_sectors,
            overwrite_only: self.o.mode != UpgradeMode::SwapMove,
            enc_tlv_len: self.o.boot.enc_key.as_ref().map(|_| 16),
            save_enctlv: false,
        }
        .size()
    }

    fn slot_bytes(&self, rom: &Rom, s: Slot) -> Vec<u8> {
        read(rom, self.addr(s), self.o.slot_size as usize).unwrap_or_default()
    }

    fn header(&self, rom: &Rom, s: Slot) -> Option<ImageHeader> {
        let b = read(rom, self.addr(s), 32)?;
        ImageHeader::decode(&b, provkit::mcuboot::Endian::Little).ok()
    }

    /// `boot_check_header_valid`: magic and sizes.
    fn header_valid(&self, h: &ImageHeader) -> bool {
        h.magic == provkit::mcuboot::image::IMAGE_MAGIC
            && h.signed_len() < u64::from(self.o.slot_size)
            && usize::from(h.hdr_size) >= 32
    }

    fn trailer(&self, rom: &Rom, s: Slot) -> Option<SlotTrailer> {
        let n = 256usize.min(self.o.slot_size as usize);
        let tail = read(rom, self.addr(s) + self.o.slot_size - n as u32, n)?;
        SlotTrailer::read(&tail, self.layout(), 0xff)
    }

    fn validate(&self, rom: &Rom, s: Slot) -> Result<Validated, String> {
        let bytes = self.slot_bytes(rom, s);
        let max = (u64::from(self.o.slot_size).saturating_sub(self.trailer_size())) as usize;
        validate(&bytes, max, &self.o.boot, s == Slot::Secondary).map_err(|e| e.to_string())
    }

    fn scramble(&mut self, rom: &mut Rom, s: Slot) {
        if let Err(e) = erase(rom, self.addr(s), self.o.slot_size) {
            tracing::warn!("mcuboot: cannot erase the {} slot: {e}", s.name());
        }
    }

    fn write_flag(&mut self, rom: &mut Rom, s: Slot, from_end: u64, what: &str, value: u8) {
        let off = u64::from(self.o.slot_size) - from_end;
        let abs = u64::from(self.addr(s) - self.o.flash_base) + off;
        self.log(format!(
            "writing {what}; fa_id={} off=0x{off:x} (0x{abs:x})",
            s.fa_id()
        ));
        if let Err(e) = write(rom, self.addr(s) + off as u32, &[value]) {
            tracing::warn!("mcuboot: {e}");
        }
    }

    fn booted(&mut self, rom: &mut Rom, s: Slot, v: &Validated, remap: bool) {
        let off = self.addr(s) - self.o.flash_base;
        self.log(format!("Bootloader chainload address offset: 0x{off:x}"));
        self.log(format!(
            "Reset_Handler address offset: 0x{:x}",
            off + u32::from(v.header.hdr_size)
        ));
        self.log("Jumping to the image");
        self.log(format!(
            "Booting the {} slot - flash remapping is {}",
            s.name(),
            if remap { "enabled" } else { "disabled" }
        ));
        self.report.result = "booted".into();
        self.report.slot = Some(s.name().into());
        self.report.version = Some(v.version.to_string());
        self.report.address = Some(format!("0x{:08x}", self.addr(s)));
        if self.o.app_confirms {
            // The application calls boot_set_confirmed(): image_ok in its slot.
            let t = self.trailer(rom, s);
            if t.is_some_and(|t| t.magic == MagicState::Good && t.image_ok != Flag::Set) {
                let at = self.layout().image_ok_from_end();
                let off = u64::from(self.o.slot_size) - at;
                let _ = write(rom, self.addr(s) + off as u32, &[0x01]);
            }
        }
    }

    fn unable(&mut self) {
        self.log("Unable to find bootable image");
        self.report.result = "no-bootable-image".into();
    }

    fn run(&mut self, rom: &mut Rom) {
        match self.o.mode {
            UpgradeMode::DirectXip => self.direct_xip(rom),
            UpgradeMode::SwapMove | UpgradeMode::OverwriteOnly => self.swap(rom),
        }
    }

    // ---- direct-xip with revert ----

    fn direct_xip(&mut self, rom: &mut Rom) {
        let mut available = [false, false];
        let slots = [Slot::Primary, Slot::Secondary];
        let mut headers: [Option<ImageHeader>; 2] = [None, None];
        for (i, s) in slots.iter().enumerate() {
            headers[i] = self.header(rom, *s);
            match headers[i].filter(|h| self.header_valid(h)) {
                Some(h) => {
                    available[i] = true;
                    self.log(format!("{} slot: version={}", s.title(), h.version));
                }
                None => self.log(format!("Image 0 {} slot: Image not found", s.title())),
            }
        }
        loop {
            // The highest version wins; the primary slot on a tie.
            let mut cand: Option<usize> = None;
            for i in 0..2 {
                if !available[i] {
                    continue;
                }
                cand = match (cand, headers[i]) {
                    (None, _) => Some(i),
                    (Some(c), Some(h)) => {
                        let best = headers[c].map(|x| x.version).unwrap_or_default();
                        if h.version.cmp_without_build(&best) == std::cmp::Ordering::Greater {
                            Some(i)
                        } else {
                            Some(c)
                        }
                    }
                    (c, None) => c,
                };
            }
            let Some(i) = cand else {
                self.log("No slot to load for image 0");
                self.unable();
                return;
            };
            let s = slots[i];
            let Some(h) = headers[i] else {
                available[i] = false;
                continue;
            };
            if h.flags & flags::ROM_FIXED != 0 && h.load_addr != self.addr(s) - self.o.flash_base {
                self.log(format!(
                    "Image in {} slot at 0x{:x} has been built for offset 0x{:x}, skipping",
                    s.name(),
                    self.addr(s) - self.o.flash_base,
                    h.load_addr
                ));
                available[i] = false;
                continue;
            }
            // boot_select_or_erase
            let t = self.trailer(rom, s);
            let faulty = match t {
                Some(t) => {
                    t.magic != MagicState::Good
                        || (t.copy_done == Flag::Set && t.image_ok != Flag::Set)
                }
                None => true,
            };
            if faulty {
                self.log(format!("Erasing faulty image in the {} slot.", s.name()));
                self.scramble(rom, s);
                available[i] = false;
                continue;
            }
            if t.is_some_and(|t| t.copy_done != Flag::Set) {
                let at = self.layout().copy_done_from_end();
                self.write_flag(rom, s, at, "copy_done", 0x01);
            }
            match self.validate(rom, s) {
                Ok(v) => {
                    self.log(format!("Image 0 loaded from the {} slot", s.name()));
                    self.booted(rom, s, &v, s == Slot::Secondary);
                    return;
                }
                Err(e) => {
                    tracing::info!("mcuboot: {} slot: {e}", s.name());
                    self.log(format!("Image in the {} slot is not valid!", s.name()));
                    self.scramble(rom, s);
                    available[i] = false;
                }
            }
        }
    }

    // ---- swap-move and overwrite-only ----

    fn swap_state_line(&self, title: &str, t: Option<SlotTrailer>) -> String {
        let (magic, swap_type, copy_done, image_ok) = match t {
            Some(t) => (
                match t.magic {
                    MagicState::Good => "good",
                    MagicState::Unset => "unset",
                    MagicState::Bad => "bad",
                },
                if t.swap_info == 0xff {
                    0
                } else {
                    t.swap_info & 0x0f
                },
                flag_code(t.copy_done),
                flag_code(t.image_ok),
            ),
            None => ("unset", 0, 3, 3),
        };
        format!(
            "{title}: magic={magic}, swap_type=0x{swap_type:x}, copy_done=0x{copy_done:x}, image_ok=0x{image_ok:x}"
        )
    }

    fn swap(&mut self, rom: &mut Rom) {
        let pt = self.trailer(rom, Slot::Primary);
        let st = self.trailer(rom, Slot::Secondary);
        let swap_move = self.o.mode == UpgradeMode::SwapMove;
        if swap_move {
            let l1 = self.swap_state_line("Primary image", pt);
            let l2 = self.swap_state_line("Secondary image", st);
            self.log(l1);
            self.log(l2);
            let src = pt.is_some_and(|t| t.magic == MagicState::Good && t.copy_done == Flag::Unset)
                && st.is_none_or(|t| t.magic != MagicState::Good);
            self.log(if src {
                "Boot source: primary slot"
            } else {
                "Boot source: none"
            });
        }
        // boot_swap_type
        let good = |t: Option<SlotTrailer>| t.is_some_and(|t| t.magic == MagicState::Good);
        let mut swap_type = if good(st) && st.is_some_and(|t| t.image_ok == Flag::Unset) {
            "test"
        } else if good(st) && st.is_some_and(|t| t.image_ok == Flag::Set) {
            "perm"
        } else if swap_move
            && good(pt)
            && pt.is_some_and(|t| t.image_ok == Flag::Unset && t.copy_done == Flag::Set)
        {
            "revert"
        } else {
            "none"
        };
        self.log(format!("Image index: 0, Swap type: {swap_type}"));
        let mut aes_key = None;
        if swap_type == "test" || swap_type == "perm" {
            let sh = self.header(rom, Slot::Secondary);
            let erased = sh.is_none_or(|h| h.magic == 0xffff_ffff);
            let non_bootable = sh.is_some_and(|h| h.flags & flags::NON_BOOTABLE != 0);
            if erased || non_bootable {
                swap_type = "none";
            } else if self.o.mode == UpgradeMode::OverwriteOnly
                && self.o.downgrade_prevention
                && self.header(rom, Slot::Primary).is_some_and(|p| {
                    self.header_valid(&p)
                        && sh.is_some_and(|s| s.version.cmp_without_build(&p.version).is_lt())
                })
            {
                self.log("Insufficient version in secondary slot");
                self.scramble(rom, Slot::Secondary);
                swap_type = "none";
            } else {
                match self.validate(rom, Slot::Secondary) {
                    Ok(v) => aes_key = v.aes_key,
                    Err(e) => {
                        tracing::info!("mcuboot: secondary slot: {e}");
                        self.log("Image in the secondary slot is not valid!");
                        self.scramble(rom, Slot::Secondary);
                        swap_type = "none";
                    }
                }
            }
        }
        self.report.swap_type = Some(swap_type.into());
        let result = match (swap_type, swap_move) {
            ("test" | "perm" | "revert", true) => {
                self.log("Starting swap using move algorithm.");
                // swap_info: 2 test, 3 permanent, 4 revert; a revert makes the old image
                // permanent again.
                let info = match swap_type {
                    "test" => 0x02,
                    "perm" => 0x03,
                    _ => 0x04,
                };
                self.swap_slots(rom, info, aes_key)
            }
            ("test" | "perm", false) => self.overwrite(rom, aes_key),
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("mcuboot: upgrade failed: {e}");
            self.log("panic!");
            self.report.result = "panic".into();
            return;
        }
        // MCUBOOT_VALIDATE_PRIMARY_SLOT
        let ph = self.header(rom, Slot::Primary);
        if ph.is_none_or(|h| h.magic == 0xffff_ffff) {
            self.unable();
            return;
        }
        match self.validate(rom, Slot::Primary) {
            Ok(v) => self.booted(rom, Slot::Primary, &v, false),
            Err(e) => {
                tracing::info!("mcuboot: primary slot: {e}");
                self.log("Image in the primary slot is not valid!");
                self.unable();
            }
        }
    }

    /// The image area of a slot (without its trailer), decrypted when `key` is given
    /// (the body of an encrypted image moving to the primary slot).
    fn image_area(&self, rom: &Rom, s: Slot, key: Option<&[u8]>) -> Result<Vec<u8>, String> {
        let n = (u64::from(self.o.slot_size) - self.trailer_size()) as usize;
        let mut b = read(rom, self.addr(s), n).ok_or("slot not readable")?;
        if let Some(k) = key {
            let img = McubootImage::parse(&b).map_err(|e| e.to_string())?;
            let start = usize::from(img.header.hdr_size);
            enc::aes_ctr(k, 0, &mut b[start..start + img.body.len()]).map_err(|e| e.to_string())?;
        }
        Ok(b)
    }

    /// Re-encrypts the body of an image that leaves the primary slot for the secondary, when
    /// its header says it is encrypted (MCUboot keeps images encrypted outside the primary).
    fn reencrypt(&self, b: &mut [u8]) {
        let Some(dev) = self.o.boot.enc_key.as_ref() else {
            return;
        };
        let Ok(img) = McubootImage::parse(b) else {
            return;
        };
        let Some(klen) = img.header.aes_key_len() else {
            return;
        };
        let Some(t) = img.unprotected.iter().find(|t| t.kind.is_enc()) else {
            return;
        };
        if let Ok(k) = enc::unwrap(t.kind, &t.value, dev, klen) {
            let start = usize::from(img.header.hdr_size);
            let _ = enc::aes_ctr(&k, 0, &mut b[start..start + img.body.len()]);
        }
    }

    fn swap_slots(
        &mut self,
        rom: &mut Rom,
        swap_info: u8,
        key: Option<zeroize::Zeroizing<Vec<u8>>>,
    ) -> Result<(), String> {
        let new_primary =
            self.image_area(rom, Slot::Secondary, key.as_deref().map(|k| k.as_slice()))?;
        let mut new_secondary = self.image_area(rom, Slot::Primary, None)?;
        self.reencrypt(&mut new_secondary);
        let swap_size = McubootImage::parse(&new_primary)
            .map(|i| i.tlv_end() as u32)
            .unwrap_or(0);
        erase(rom, self.o.primary, self.o.slot_size)?;
        erase(rom, self.o.secondary, self.o.slot_size)?;
        program(rom, self.o.primary, &new_primary)?;
        program(rom, self.o.secondary, &new_secondary)?;
        // The primary trailer after the swap: magic, copy_done, image_ok (permanent),
        // swap_info, swap_size.
        let l = self.layout();
        let end = u64::from(self.o.slot_size);
        let base = self.o.primary;
        let magic = boot_magic(self.o.max_align, provkit::mcuboot::Endian::Little);
        write(rom, base + (end - l.magic_from_end()) as u32, &magic)?;
        write(rom, base + (end - l.copy_done_from_end()) as u32, &[0x01])?;
        if swap_info != 0x02 {
            write(rom, base + (end - l.image_ok_from_end()) as u32, &[0x01])?;
        }
        write(
            rom,
            base + (end - l.swap_info_from_end()) as u32,
            &[swap_info],
        )?;
        write(
            rom,
            base + (end - l.swap_size_from_end()) as u32,
            &swap_size.to_le_bytes(),
        )?;
        Ok(())
    }

    fn overwrite(
        &mut self,
        rom: &mut Rom,
        key: Option<zeroize::Zeroizing<Vec<u8>>>,
    ) -> Result<(), String> {
        let img = self.image_area(rom, Slot::Secondary, key.as_deref().map(|k| k.as_slice()))?;
        let size = McubootImage::parse(&img)
            .map(|i| i.tlv_end())
            .unwrap_or(img.len());
        self.log("Image 0 upgrade secondary slot -> primary slot");
        self.log("Erasing the primary slot");
        erase(rom, self.o.primary, self.o.slot_size)?;
        self.log(format!(
            "Image 0 copying the secondary slot to the primary slot: 0x{size:x} bytes"
        ));
        program(rom, self.o.primary, &img[..size])?;
        erase(rom, self.o.secondary, self.o.slot_size)?;
        Ok(())
    }
}

fn flag_code(f: Flag) -> u8 {
    match f {
        Flag::Set => 1,
        Flag::Bad => 2,
        Flag::Unset => 3,
    }
}

/// Key types the stage's `sig=` accepts, for help texts.
pub fn signature_names() -> &'static [&'static str] {
    &[
        "rsa-2048",
        "rsa-3072",
        "ecdsa-p256",
        "ecdsa-p384",
        "ed25519",
        "none",
    ]
}
