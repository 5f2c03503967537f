//! Persistent device state (`devsim mcu --state DIR`): what survives a power cycle.
//!
//! Loaded at start when present, saved on exit. RAM is not saved. Files in `DIR`:
//!
//! | file | contents |
//! |---|---|
//! | `state.json` | `{"format":1, "family":"lpc55s69", "flash_programmed":["<hex>", ...]}`: the family the state belongs to and, per internal flash bank, a bitmap of programmed pages (bit `i % 8` of byte `i / 8` = page `i`), lowercase hex |
//! | `flash.bin` | internal flash banks, concatenated in family order (erased bytes are 0xFF) |
//! | `pfr.bin` | the protected flash region window (CFPA, CMPA, key store area, ...) |
//! | `flexspi.bin` | FlexSPI NOR contents from the window start up to the last non-erased sector (0xFF elsewhere); the configuration itself is not kept (a reset clears it) |
//! | `fuses.json` | `{"words":{"<index>":"0x...", ...}, "locked":[index, ...]}` (non-zero words only) |
//! | `keys.json` | `{"key_store":"<hex blob>"}` or `{"key_store":null}`: the volatile PUF key store in the simulator's blob format ([`super::keystore`]) |
//! | `sb.json` | SB2.1/SB3.1 families: `{"sbkek":"<hex>"|null,"kdk_access_rights":N,"key_blobs":[...]}` ([`super::sb`]; `sb31.json` of earlier versions is read too); the SBKEK may be written here by hand to provision a device |
//! | `boot.json` | families with secure-boot facts: the last secure-boot check ([`super::secboot::BootReport`]) |
//!
//! Files are written to `*.tmp` and renamed, so an interrupted save leaves the old state.

use super::{KeyStore, Rom};
use anyhow::{Context, Result, bail};
use provkit::codec::{from_hex, to_hex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: u32,
    family: String,
    flash_programmed: Vec<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct FusesFile {
    words: BTreeMap<String, String>,
    locked: Vec<u32>,
}

#[derive(Serialize, Deserialize, Default)]
struct KeysFile {
    key_store: Option<String>,
}

fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, data).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path)
        .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
}

fn bits_to_hex(bits: &[bool]) -> String {
    let mut bytes = vec![0u8; bits.len().div_ceil(8)];
    for (i, b) in bits.iter().enumerate() {
        if *b {
            bytes[i / 8] |= 1 << (i % 8);
        }
    }
    to_hex(&bytes)
}

fn hex_to_bits(text: &str, n: usize) -> Result<Vec<bool>> {
    let bytes = from_hex(text).map_err(|e| anyhow::anyhow!("bad page bitmap: {e}"))?;
    if bytes.len() != n.div_ceil(8) {
        bail!(
            "page bitmap has {} bytes, expected {}",
            bytes.len(),
            n.div_ceil(8)
        );
    }
    Ok((0..n).map(|i| bytes[i / 8] & (1 << (i % 8)) != 0).collect())
}

fn parse_u32(s: &str) -> Option<u32> {
    let t = s.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => t.parse().ok(),
    }
}

impl Rom {
    /// Saves the non-volatile state into `dir` (created if missing).
    pub fn save_state(&self, dir: &Path) -> Result<()> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let state = StateFile {
            format: 1,
            family: self.family.name.clone(),
            flash_programmed: self
                .mem
                .flash
                .iter()
                .map(|b| bits_to_hex(&b.programmed))
                .collect(),
        };
        write_atomic(&dir.join("state.json"), &serde_json::to_vec_pretty(&state)?)?;
        let flash: Vec<u8> = self
            .mem
            .flash
            .iter()
            .flat_map(|b| b.data.iter().copied())
            .collect();
        write_atomic(&dir.join("flash.bin"), &flash)?;
        if let Some(p) = &self.mem.pfr {
            write_atomic(&dir.join("pfr.bin"), &p.data)?;
        }
        if let Some(n) = &self.mem.nor {
            let ss = n.cfg.sector_size as usize;
            let end = n
                .sectors
                .keys()
                .next_back()
                .map(|k| (*k as usize + 1) * ss)
                .unwrap_or(0);
            let mut data = vec![0xFFu8; end];
            n.read(0, &mut data);
            write_atomic(&dir.join("flexspi.bin"), &data)?;
        }
        if let Some(f) = &self.fuses {
            let file = FusesFile {
                words: f
                    .words
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| **w != 0)
                    .map(|(i, w)| (i.to_string(), format!("0x{w:08X}")))
                    .collect(),
                locked: f
                    .locked
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| **l)
                    .map(|(i, _)| i as u32)
                    .collect(),
            };
            write_atomic(&dir.join("fuses.json"), &serde_json::to_vec_pretty(&file)?)?;
        }
        if let Some(ks) = &self.keys {
            let file = KeysFile {
                key_store: ks.enrolled().then(|| to_hex(&ks.to_blob())),
            };
            write_atomic(&dir.join("keys.json"), &serde_json::to_vec_pretty(&file)?)?;
        }
        self.save_sb_state(dir)?;
        Ok(())
    }

    /// Loads state saved by [`Rom::save_state`]. Returns `false` (and changes nothing)
    /// when `dir` holds no `state.json`; fails when the state belongs to another family
    /// or does not fit it.
    pub fn load_state(&mut self, dir: &Path) -> Result<bool> {
        let state_path = dir.join("state.json");
        if !state_path.exists() {
            return Ok(false);
        }
        let ctx = |name: &str| format!("state {}", dir.join(name).display());
        let state: StateFile =
            serde_json::from_slice(&fs::read(&state_path).with_context(|| ctx("state.json"))?)
                .with_context(|| ctx("state.json"))?;
        if state.format != 1 {
            bail!("{}: unknown format {}", ctx("state.json"), state.format);
        }
        if !self.family.matches(&state.family) {
            bail!(
                "{}: saved for family {}, not {}",
                ctx("state.json"),
                state.family,
                self.family.name
            );
        }
        if state.flash_programmed.len() != self.mem.flash.len() {
            bail!(
                "{}: flash bank count does not match the family",
                ctx("state.json")
            );
        }
        let flash = fs::read(dir.join("flash.bin")).with_context(|| ctx("flash.bin"))?;
        let total: usize = self.mem.flash.iter().map(|b| b.data.len()).sum();
        if flash.len() != total {
            bail!(
                "{}: {} bytes, the family has {total}",
                ctx("flash.bin"),
                flash.len()
            );
        }
        let mut pos = 0;
        for (bank, bitmap) in self.mem.flash.iter_mut().zip(&state.flash_programmed) {
            let n = bank.data.len();
            bank.programmed =
                hex_to_bits(bitmap, bank.programmed.len()).with_context(|| ctx("state.json"))?;
            bank.data.copy_from_slice(&flash[pos..pos + n]);
            pos += n;
        }
        if let Some(p) = self.mem.pfr.as_mut() {
            let path = dir.join("pfr.bin");
            if path.exists() {
                let data = fs::read(&path).with_context(|| ctx("pfr.bin"))?;
                if data.len() != p.data.len() {
                    bail!(
                        "{}: {} bytes, expected {}",
                        ctx("pfr.bin"),
                        data.len(),
                        p.data.len()
                    );
                }
                p.data = data;
            }
        }
        if let Some(n) = self.mem.nor.as_mut() {
            let path = dir.join("flexspi.bin");
            if path.exists() {
                let data = fs::read(&path).with_context(|| ctx("flexspi.bin"))?;
                if data.len() as u64 > u64::from(n.cfg.window.size) {
                    bail!("{}: larger than the FlexSPI window", ctx("flexspi.bin"));
                }
                n.sectors.clear();
                let ss = n.cfg.sector_size as usize;
                for (i, chunk) in data.chunks(ss).enumerate() {
                    if chunk.iter().any(|&b| b != 0xFF) {
                        let mut s = vec![0xFFu8; ss];
                        s[..chunk.len()].copy_from_slice(chunk);
                        n.sectors.insert(i as u32, s);
                    }
                }
            }
        }
        if let Some(f) = self.fuses.as_mut() {
            let path = dir.join("fuses.json");
            if path.exists() {
                let file: FusesFile =
                    serde_json::from_slice(&fs::read(&path).with_context(|| ctx("fuses.json"))?)
                        .with_context(|| ctx("fuses.json"))?;
                f.words.fill(0);
                f.locked.fill(false);
                for (k, v) in &file.words {
                    let (Some(i), Some(w)) = (parse_u32(k), parse_u32(v)) else {
                        bail!("{}: bad entry {k:?}: {v:?}", ctx("fuses.json"));
                    };
                    *f.words.get_mut(i as usize).with_context(|| {
                        format!("{}: index {i} out of range", ctx("fuses.json"))
                    })? = w;
                }
                for i in &file.locked {
                    *f.locked.get_mut(*i as usize).with_context(|| {
                        format!("{}: index {i} out of range", ctx("fuses.json"))
                    })? = true;
                }
            }
        }
        if let Some(ks) = self.keys.as_mut() {
            let path = dir.join("keys.json");
            if path.exists() {
                let file: KeysFile =
                    serde_json::from_slice(&fs::read(&path).with_context(|| ctx("keys.json"))?)
                        .with_context(|| ctx("keys.json"))?;
                let size = ks.size();
                *ks = match file.key_store {
                    None => KeyStore::new(size),
                    Some(hex) => {
                        let blob = from_hex(&hex)
                            .map_err(|e| anyhow::anyhow!("{}: {e}", ctx("keys.json")))?;
                        KeyStore::from_blob(size, &blob).with_context(|| {
                            format!("{}: not a key store blob", ctx("keys.json"))
                        })?
                    }
                };
            }
        }
        self.load_sb_state(dir)?;
        Ok(true)
    }
}
