//! The SB2.1 loader, in process: SPSDK-made files (`tests/vectors/mbi/sb21_*`, SBKEK in
//! `sbkek.txt`) and files derived from them with provkit (commands dropped or added,
//! plaintext edited and the file re-sealed with the vector's keys) go through
//! `receive-sb-file`; every failure answers its ROM status and nothing after the failure
//! point runs; the image a file loads boots at the next reset.

use devsim::rom::{DataIn, Phase, Rom, RomOptions};
use provkit::certblock::v1::SCHEME;
use provkit::codec::from_hex;
use provkit::crypto::{LocalSigner, Signer};
use provkit::family::{Family, family};
use provkit::mboot::StatusCode;
use provkit::mboot::command::{Command as Mboot, KeyProvOp, Response};
use provkit::sb21::command::checksum;
use provkit::sb21::{self, Command, Ctr, Decoded, Sb21Builder, Section};
use std::path::PathBuf;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vectors().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The SBKEK of the vectors (`sbkek.txt`, key-wrap order).
fn kek() -> Vec<u8> {
    let t = std::fs::read_to_string(vectors().join("sb21_lpc55s69/sbkek.txt")).unwrap();
    from_hex(&t).unwrap()
}

/// The RKTH SPSDK wrote for the vectors' certificate block (`RKTHOutputPath`).
fn rkth() -> Vec<u8> {
    read("sb21_lpc55s69/out/rkth.bin")
}

fn signer() -> LocalSigner {
    LocalSigner::from_file(&vectors().join("keys/rotk0_rsa2048.pem")).unwrap()
}

fn pinned() -> Vec<u8> {
    read("sb21_lpc55s69/out/sb21_pinned.sb")
}

fn decoded(file: &[u8]) -> Decoded {
    sb21::decode(file, &kek(), None).unwrap()
}

struct Dev {
    rom: Rom,
    fam: &'static Family,
}

impl Dev {
    /// A fresh device: nothing provisioned.
    fn bare(name: &str) -> Dev {
        let fam = family(name).unwrap();
        Dev {
            rom: Rom::new(fam, RomOptions::instant()),
            fam,
        }
    }

    /// A device holding the vectors' SBKEK in its key store and their RKTH.
    fn new(name: &str) -> Dev {
        let mut d = Dev::bare(name);
        d.provision_sbkek(&kek());
        d.provision_rkth(&rkth());
        d
    }

    fn status(p: &provkit::mboot::packet::Packet) -> StatusCode {
        Response::from_packet(p).unwrap().status()
    }

    fn send(&mut self, c: Mboot) -> StatusCode {
        self.send_data(c, &[], 512)
    }

    /// A command, its host data phase in `chunk`-byte pieces, the deciding status.
    fn send_data(&mut self, c: Mboot, data: &[u8], chunk: usize) -> StatusCode {
        let r = self.rom.command(&c.to_packet().encode());
        let st = Dev::status(&r.packet);
        if !st.is_success() || r.phase == Phase::None {
            self.rom.response_delivered();
            return st;
        }
        for c in data.chunks(chunk) {
            match self.rom.data_in(c) {
                DataIn::More => {}
                DataIn::Finished(p) | DataIn::Aborted(p) => {
                    let st = Dev::status(&p);
                    self.rom.response_delivered();
                    return st;
                }
                DataIn::Unexpected => panic!("unexpected data"),
            }
        }
        panic!("data phase did not finish")
    }

    /// The NXP way: enroll the PUF, `set_user_key 3` with the key reversed (SPSDK's
    /// sbkek.bin, see devsim's keystore.rs).
    fn provision_sbkek(&mut self, kek: &[u8]) {
        let enroll = Mboot::KeyProvisioning(KeyProvOp::Enroll);
        assert_eq!(self.send(enroll), StatusCode::SUCCESS);
        let reversed: Vec<u8> = kek.iter().rev().copied().collect();
        let set = Mboot::KeyProvisioning(KeyProvOp::SetUserKey {
            key_type: 3,
            key_size: reversed.len() as u32,
        });
        assert_eq!(self.send_data(set, &reversed, 512), StatusCode::SUCCESS);
    }

    fn burn(&mut self, index: u32, word: u32) {
        let st = self.send(Mboot::FlashProgramOnce {
            index,
            byte_count: 4,
            data: vec![word],
        });
        assert_eq!(st, StatusCode::SUCCESS, "fuse {index}");
    }

    fn provision_rkth(&mut self, rkth: &[u8]) {
        let sb = self.fam.secure_boot.as_ref().unwrap();
        match sb.rkth.area {
            provkit::family::Area::Cmpa => {
                let cmpa = self.fam.pfr.as_ref().unwrap().cmpa;
                self.rom.poke(cmpa + sb.rkth.offset, rkth).unwrap();
            }
            _ => {
                let at = sb.rkth.offset;
                for (i, c) in rkth.chunks(4).enumerate() {
                    let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                    self.burn(at + i as u32, w);
                }
            }
        }
    }

    /// The secure firmware counter (lpc55s69: CFPA S_FW_Version, in the ping page).
    fn set_secure_counter(&mut self, v: u32) {
        let p = self.fam.pfr.as_ref().unwrap();
        let (ping, _) = p.cfpa_ping_pong.unwrap();
        let mut page = vec![0u8; p.page_size as usize];
        page[4..8].copy_from_slice(&1u32.to_le_bytes());
        let sb = self.fam.secure_boot.as_ref().unwrap();
        let at = sb.secure_fw_version.as_ref().unwrap().offset as usize;
        page[at..at + 4].copy_from_slice(&v.to_le_bytes());
        self.rom.poke(ping, &page).unwrap();
    }

    /// receive-sb-file in `chunk`-byte pieces; the deciding status.
    fn receive_in(&mut self, file: &[u8], chunk: usize) -> StatusCode {
        let c = Mboot::ReceiveSbFile {
            byte_count: file.len() as u32,
        };
        self.send_data(c, file, chunk)
    }

    fn receive(&mut self, file: &[u8]) -> StatusCode {
        self.receive_in(file, 512)
    }

    fn peek(&self, addr: u32, len: usize) -> Vec<u8> {
        self.rom.peek(addr, len).unwrap()
    }
}

/// The memory effects of `cmds` (LOAD and FILL): present, or (with `present` false) absent.
fn assert_effects(d: &Dev, cmds: &[Command], present: bool, what: &str) {
    for c in cmds {
        let (addr, want) = match c {
            Command::Load { address, .. } => (*address, c.load_bytes().unwrap()),
            Command::Fill {
                address,
                length,
                pattern,
            } => (
                *address,
                pattern
                    .to_le_bytes()
                    .iter()
                    .copied()
                    .cycle()
                    .take(*length as usize)
                    .collect(),
            ),
            _ => continue,
        };
        let got = d.peek(addr, want.len());
        assert_eq!(got == want, present, "{what}: {c}");
    }
}

fn commands_of(file: &[u8]) -> Vec<Command> {
    decoded(file)
        .sections
        .iter()
        .flat_map(|s| s.commands.clone())
        .collect()
}

/// A file like the decoded one with other sections (same prologue inputs and keys).
fn rebuild(d: &Decoded, sections: Vec<Section>) -> Vec<u8> {
    let h = &d.prologue.header;
    let kek = kek();
    let signer = signer();
    Sb21Builder {
        kek: &kek,
        signer: &signer,
        cert_block: d.prologue.cert_block.clone(),
        flags: h.flags,
        product_version: h.product_version,
        component_version: h.component_version,
        build_number: h.build_number,
        timestamp: h.timestamp,
        nonce: h.nonce,
        keys: d.keys.clone(),
        header_padding: h.padding,
        block_counts: d.block_counts,
        sections,
    }
    .build()
    .unwrap()
}

fn one_section(commands: Vec<Command>) -> Vec<Section> {
    vec![Section {
        uid: 0,
        flags: sb21::SPSDK_SECTION_FLAGS,
        hmac_count: 1,
        commands,
    }]
}

/// The pinned vector without its MEM_ENABLE (lpc55s69 has no FlexSPI): runs to its JUMP.
fn pinned_without_enable() -> Vec<u8> {
    let d = decoded(&pinned());
    let cmds = d.sections[0]
        .commands
        .iter()
        .filter(|c| !matches!(c, Command::MemEnable { .. }))
        .cloned()
        .collect();
    rebuild(&d, one_section(cmds))
}

/// Re-seals `file` after `edit` changed its plaintext (header, decrypted TAGs and command
/// areas): sections encrypted again, their HMACs and the header HMAC recomputed, the
/// prologue signed again. The result passes every authenticity check; what the edit broke
/// is what the loader meets.
fn reseal(file: &[u8], edit: impl FnOnce(&mut [u8], &Decoded)) -> Vec<u8> {
    let d = decoded(file);
    let ctr = Ctr::new(&d.keys, &d.prologue.header.nonce).unwrap();
    let spans: Vec<(usize, usize, usize)> = d
        .sections
        .iter()
        .map(|s| {
            let tag = s.header.offset as usize;
            let area = tag + 16 + 32 * (1 + s.header.hmac_count as usize);
            (tag, area, area + 16 * s.header.blocks as usize)
        })
        .collect();
    let crypt = |out: &mut [u8]| {
        for &(tag, area, end) in &spans {
            ctr.apply((tag / 16) as u64, &mut out[tag..tag + 16]);
            ctr.apply((area / 16) as u64, &mut out[area..end]);
        }
    };
    let mut out = file.to_vec();
    crypt(&mut out);
    edit(&mut out, &d);
    crypt(&mut out);
    let mac: &[u8; 32] = &d.keys.mac;
    for (s, &(tag, area, _)) in d.sections.iter().zip(&spans) {
        let t = sb21::hmac(mac, &out[tag..tag + 16]);
        out[tag + 16..tag + 48].copy_from_slice(&t);
        let mut at = area;
        for i in 0..s.header.hmac_count {
            let n = 16 * s.header.chunk_blocks(i) as usize;
            let m = sb21::hmac(mac, &out[at..at + n]);
            let p = tag + 48 + 32 * i as usize;
            out[p..p + 32].copy_from_slice(&m);
            at += n;
        }
    }
    let (tag0, _, _) = spans[0];
    let h0 = d.sections[0].header.hmac_count as usize;
    let hh = sb21::hmac(mac, &out[tag0 + 16..tag0 + 48 + 32 * h0]);
    out[0x60..0x80].copy_from_slice(&hh);
    let sig_at = d.prologue.signature_offset();
    let sig = signer().sign(&out[..sig_at], SCHEME).unwrap();
    out[sig_at..sig_at + sig.len()].copy_from_slice(&sig);
    out
}

/// File offset of command `i` of section 0.
fn command_at(d: &Decoded, i: usize) -> usize {
    let h = d.sections[0].header;
    let area = h.offset as usize + 16 + 32 * (1 + h.hmac_count as usize);
    area + d.sections[0].commands[..i]
        .iter()
        .map(Command::encoded_len)
        .sum::<usize>()
}

/// Sets header byte `at` of a command (or TAG) and fixes its checksum.
fn set_byte(out: &mut [u8], cmd: usize, at: usize, v: u8) {
    out[cmd + at] = v;
    out[cmd] = checksum(&out[cmd + 1..cmd + 16]);
}

fn untouched(d: &Dev) -> bool {
    d.peek(0, 16).iter().all(|&b| b == 0xFF)
        && d.peek(0x2000_0000, 16).iter().all(|&b| b == 0)
        && d.peek(0x2000_1000, 16).iter().all(|&b| b == 0)
}

#[test]
fn pinned_vector_runs_every_command_up_to_the_memory_lpc55s69_lacks() {
    let file = pinned();
    let cmds = commands_of(&file);
    let enable = cmds
        .iter()
        .position(|c| matches!(c, Command::MemEnable { .. }))
        .unwrap();
    let mut d = Dev::new("lpc55s69");
    // MEM_ENABLE of memory 9 (FlexSPI NOR): lpc55s69 has none; KBOOT's loader answers
    // kStatus_InvalidArgument, and the JUMP after it never runs.
    assert_eq!(d.receive(&file), StatusCode::INVALID_ARGUMENT);
    assert_effects(&d, &cmds[..enable], true, "before MEM_ENABLE");
    // The LOAD put the signed MBI (the file the config names) at 0, the rest of the erased
    // 64 KiB is blank.
    let mbi = read("mbi_lpc55s69/out/mbi_xip_signed.bin");
    assert_eq!(d.peek(0, mbi.len()), mbi);
    assert!(d.peek(0x1000, 0xF000).iter().all(|&b| b == 0xFF));
    assert_eq!(d.rom.resets(), 0, "the JUMP after the failure ran");
    assert!(!d.rom.in_data_phase());
}

#[test]
fn pinned_vector_without_enable_jumps_and_the_image_boots() {
    let file = pinned_without_enable();
    let cmds = commands_of(&file);
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_PENDING_JUMP_COMMAND);
    // The jump re-enters the ROM through a reset (RAM cleared): flash keeps the image.
    assert_eq!(d.rom.resets(), 1);
    let load = cmds
        .iter()
        .find(|c| matches!(c, Command::Load { address: 0, .. }))
        .unwrap();
    assert_effects(&d, std::slice::from_ref(load), true, "after the jump");
    let b = d.rom.last_boot().expect("a boot report after the jump");
    assert!(b.booted(), "{b:?}");
    assert_eq!(b.image.as_deref(), Some("xip signed"));
    assert_eq!(
        b.rkth.as_deref(),
        Some(provkit::codec::to_hex(&rkth()).as_str())
    );
}

#[test]
fn chunked_delivery_at_odd_sizes_gives_the_same_result() {
    let file = pinned_without_enable();
    let cmds = commands_of(&file);
    let last_ram = cmds
        .iter()
        .rposition(|c| matches!(c, Command::Fill { .. }))
        .unwrap();
    // Stop before the JUMP so RAM survives: run the commands up to the FILL only.
    let d0 = decoded(&file);
    let short = rebuild(&d0, one_section(cmds[..=last_ram].to_vec()));
    for chunk in [1, 7, 15, 16, 17, 97, 509, 4096, short.len()] {
        let mut d = Dev::new("lpc55s69");
        assert_eq!(d.receive_in(&short, chunk), StatusCode::SUCCESS, "{chunk}");
        assert_effects(&d, &cmds[..=last_ram], true, &format!("chunk {chunk}"));
        let mut d = Dev::new("lpc55s69");
        assert_eq!(
            d.receive_in(&file, chunk),
            StatusCode::ROMLDR_PENDING_JUMP_COMMAND,
            "{chunk}"
        );
    }
}

#[test]
fn tampered_regions_answer_their_status_and_nothing_runs() {
    let file = pinned();
    let d0 = decoded(&file);
    let sig = d0.prologue.signature_offset();
    let s0 = d0.prologue.len();
    let cases: &[(&str, usize, StatusCode)] = &[
        ("nonce (signed)", 0, StatusCode::ROMLDR_SIGNATURE),
        ("STMP", 0x14, StatusCode::ROMLDR_SIGNATURE),
        ("version", 0x18, StatusCode::ROMLDR_SIGNATURE),
        ("image blocks (signed)", 0x1C, StatusCode::ROMLDR_SIGNATURE),
        ("timestamp (signed)", 0x38, StatusCode::ROMLDR_SIGNATURE),
        ("header HMAC (signed)", 0x60, StatusCode::ROMLDR_SIGNATURE),
        ("key blob", 0x80, StatusCode::ROMLDR_BAD_SBKEK),
        ("certificate", 0x300, StatusCode::ROMLDR_SIGNATURE),
        ("signature", sig + 9, StatusCode::ROMLDR_SIGNATURE),
        ("section TAG", s0, StatusCode::ROMLDR_CHECKSUM),
        ("TAG HMAC", s0 + 16, StatusCode::ROMLDR_CHECKSUM),
        ("command HMAC", s0 + 48, StatusCode::ROMLDR_CHECKSUM),
        ("first command", s0 + 80, StatusCode::ROMLDR_CHECKSUM),
        ("last block", file.len() - 1, StatusCode::ROMLDR_CHECKSUM),
    ];
    for &(name, at, want) in cases {
        let mut t = file.clone();
        t[at] ^= 0x04;
        let mut d = Dev::new("lpc55s69");
        assert_eq!(d.receive(&t), want, "{name} (offset {at})");
        assert!(untouched(&d), "{name}: something was written");
    }
}

#[test]
fn malformed_content_of_an_authentic_file_answers_the_rom_status() {
    let file = pinned();
    let d0 = decoded(&file);
    let cmds = commands_of(&file);
    let fill = cmds
        .iter()
        .position(|c| matches!(c, Command::Fill { .. }))
        .unwrap();
    let words = cmds
        .iter()
        .position(|c| matches!(c, Command::Load { address, .. } if *address == 0x2000_0000))
        .unwrap();
    let tag = d0.sections[0].header.offset as usize;
    type Edit = Box<dyn Fn(&mut [u8], &Decoded)>;
    let cases: Vec<(&str, Edit, StatusCode, usize)> = vec![
        (
            "FILL checksum",
            Box::new(move |o, d| o[command_at(d, fill) + 2] ^= 1),
            StatusCode::ROMLDR_CHECKSUM,
            fill,
        ),
        (
            "LOAD payload CRC",
            Box::new(move |o, d| o[command_at(d, words) + 16] ^= 1),
            StatusCode::ROMLDR_CRC32_ERROR,
            words,
        ),
        (
            "unknown command tag",
            Box::new(move |o, d| set_byte(o, command_at(d, fill), 1, 0x06)),
            StatusCode::ROMLDR_UNKNOWN_COMMAND,
            fill,
        ),
        (
            "FILL with reserved flags",
            Box::new(move |o, d| set_byte(o, command_at(d, fill), 2, 1)),
            StatusCode::INVALID_ARGUMENT,
            fill,
        ),
        (
            "LOAD longer than its section",
            Box::new(move |o, d| set_byte(o, command_at(d, words), 9, 0x40)),
            StatusCode::ROMLDR_SECTION_LENGTH,
            words,
        ),
        (
            "section UID",
            Box::new(move |o, _| set_byte(o, tag, 4, 7)),
            StatusCode::ROMLDR_ID_NOT_FOUND,
            0,
        ),
        (
            "section without a TAG",
            Box::new(move |o, _| set_byte(o, tag, 1, 0)),
            StatusCode::ROMLDR_UNEXPECTED_COMMAND,
            0,
        ),
        (
            "header: max section MAC count 0",
            Box::new(|o, _| o[0x32] = 0),
            StatusCode::ROMLDR_INVALID_SECTION_MAC_COUNT,
            0,
        ),
        (
            "header: image blocks one short",
            Box::new(|o, _| o[0x1C] -= 1),
            StatusCode::ROMLDR_SECTION_LENGTH,
            0,
        ),
    ];
    for (name, edit, want, ran) in cases {
        let t = reseal(&file, edit);
        let mut d = Dev::new("lpc55s69");
        assert_eq!(d.receive(&t), want, "{name}");
        // The commands before the failing one ran; it and everything after did not.
        assert_effects(&d, &cmds[..ran], true, name);
        assert_effects(&d, &cmds[ran..=fill], false, name);
        assert_eq!(d.rom.resets(), 0, "{name}: the JUMP ran");
    }
}

#[test]
fn keys_rkth_and_rollback() {
    let file = pinned();
    let cmds = commands_of(&file);
    let check = cmds
        .iter()
        .position(|c| matches!(c, Command::VersionCheck { .. }))
        .unwrap();
    // Wrong SBKEK in the key store.
    let mut d = Dev::bare("lpc55s69");
    let mut other = kek();
    other[0] ^= 0xFF;
    d.provision_sbkek(&other);
    d.provision_rkth(&rkth());
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_BAD_SBKEK);
    assert!(untouched(&d));
    // A key store SBKEK in the wrong order (not reversed as SPSDK's sbkek.bin is).
    let mut d = Dev::bare("lpc55s69");
    d.provision_sbkek(&kek().iter().rev().copied().collect::<Vec<u8>>());
    d.provision_rkth(&rkth());
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_BAD_SBKEK);
    // No SBKEK at all.
    let mut d = Dev::bare("lpc55s69");
    d.provision_rkth(&rkth());
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_KEY_NOT_FOUND);
    assert!(untouched(&d));
    // The --sbkek setting serves a device whose key store holds none.
    let mut d = Dev::bare("lpc55s69");
    d.provision_rkth(&rkth());
    d.rom.set_sbkek(Some(kek()));
    assert_eq!(d.receive(&file), StatusCode::INVALID_ARGUMENT);
    assert_effects(&d, &cmds[..check], true, "--sbkek");
    // Another root key table hash in CMPA.
    let mut d = Dev::bare("lpc55s69");
    d.provision_sbkek(&kek());
    let mut wrong = rkth();
    wrong[31] ^= 1;
    d.provision_rkth(&wrong);
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_SIGNATURE);
    assert!(untouched(&d));
    // No RKTH provisioned: the certificate block is checked against itself only.
    let mut d = Dev::bare("lpc55s69");
    d.provision_sbkek(&kek());
    assert_eq!(d.receive(&file), StatusCode::INVALID_ARGUMENT);
    assert_effects(&d, &cmds[..check], true, "no RKTH");
    // Rollback: the secure counter above the file's FW_VERSION_CHECK; what came before it
    // ran, nothing after it did.
    let Command::VersionCheck { version, .. } = cmds[check] else {
        unreachable!()
    };
    let mut d = Dev::new("lpc55s69");
    d.set_secure_counter(version + 1);
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_ROLLBACK_BLOCKED);
    assert_effects(&d, &cmds[..check], true, "rollback");
    // Equal passes (and the counter stays where it was).
    let mut d = Dev::new("lpc55s69");
    d.set_secure_counter(version);
    assert_eq!(d.receive(&file), StatusCode::INVALID_ARGUMENT);
    let f = d
        .fam
        .secure_boot
        .as_ref()
        .unwrap()
        .secure_fw_version
        .clone();
    let ping = d.fam.pfr.as_ref().unwrap().cfpa_ping_pong.unwrap().0;
    let at = ping + f.unwrap().offset;
    assert_eq!(d.peek(at, 4), version.to_le_bytes());
}

#[test]
fn truncated_and_overlong_files() {
    let file = pinned_without_enable();
    let d0 = decoded(&file);
    let s0 = d0.prologue.len();
    for cut in [
        1,
        0x17,
        0x18,
        0x60,
        0xD0,
        0x200,
        d0.prologue.signature_offset(),
        s0,
        s0 + 20,
        s0 + 48,
        s0 + 200,
        file.len() - 16,
        file.len() - 1,
    ] {
        let want = if cut < 0x18 {
            StatusCode::ROMLDR_SIGNATURE
        } else {
            StatusCode::ROMLDR_DATA_UNDERRUN
        };
        let mut d = Dev::new("lpc55s69");
        assert_eq!(d.receive(&file[..cut]), want, "cut at {cut}");
        assert!(untouched(&d), "cut at {cut}: something was written");
    }
    // Bytes after the image end: the file's commands ran, then the ROM saw the extra data.
    let cmds = commands_of(&file);
    let fill = cmds
        .iter()
        .position(|c| matches!(c, Command::Fill { .. }))
        .unwrap();
    let no_jump = rebuild(&d0, one_section(cmds[..=fill].to_vec()));
    let mut longer = no_jump.clone();
    longer.extend_from_slice(&[0u8; 16]);
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.receive(&no_jump), StatusCode::SUCCESS);
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.receive(&longer), StatusCode::ROMLDR_EOF_REACHED);
    assert_effects(&d, &cmds[..=fill], true, "overlong");
}

#[test]
fn commands_the_family_lacks_and_the_flow_commands() {
    let d0 = decoded(&pinned());
    let fill = Command::Fill {
        address: 0x2000_1000,
        length: 8,
        pattern: 0x1234_5678,
    };
    let run = |cmds: Vec<Command>| -> (StatusCode, Dev) {
        let mut d = Dev::new("lpc55s69");
        let file = rebuild(&d0, one_section(cmds));
        (d.receive(&file), d)
    };
    // RT5xx-only commands on lpc55s69 (its SPSDK database lists erase, load, enable, fill,
    // jump, version_check): refused when reached, after what precedes them ran.
    for extra in [
        Command::Prog {
            index: 0x60,
            mem_id: 4,
            word1: 1,
            word2: None,
        },
        Command::KeystoreToNv {
            controller: 0,
            address: 0x9E600,
        },
    ] {
        let (st, d) = run(vec![fill.clone(), extra.clone(), Command::Nop]);
        assert_eq!(st, StatusCode::ROMLDR_UNKNOWN_COMMAND, "{extra}");
        assert_effects(&d, std::slice::from_ref(&fill), true, "before");
    }
    // CALL of executable memory returns; of unmapped memory fails.
    let (st, d) = run(vec![
        Command::Call {
            address: 0x100,
            argument: 0,
        },
        fill.clone(),
    ]);
    assert_eq!(st, StatusCode::SUCCESS);
    assert_effects(&d, std::slice::from_ref(&fill), true, "after CALL");
    let (st, d) = run(vec![
        Command::Call {
            address: 0x5000_0000,
            argument: 0,
        },
        fill.clone(),
    ]);
    assert_eq!(st, StatusCode::ROMLDR_CALL_FAILED);
    assert_effects(
        &d,
        std::slice::from_ref(&fill),
        false,
        "after a failed CALL",
    );
    // RESET ends the transfer with a pending reset; the flash write after it never runs.
    let load = Command::Load {
        address: 0,
        mem_id: 0,
        data: vec![0xAB; 0x200],
        padding: Vec::new(),
        count_padded: true,
    };
    let (st, d) = run(vec![Command::Reset, load.clone()]);
    assert_eq!(st, StatusCode::ROMLDR_PENDING_RESET_COMMAND);
    assert_eq!(d.rom.resets(), 1);
    assert!(untouched(&d));
    // JUMP to memory that does not execute.
    let (st, d) = run(vec![Command::Jump {
        address: 0x5000_0000,
        argument: 0,
        stack_pointer: None,
    }]);
    assert_eq!(st, StatusCode::INVALID_ARGUMENT);
    assert_eq!(d.rom.resets(), 0);
    // Erase all (internal flash) and all-unsecure (no such feature on LPC55).
    let (st, d) = run(vec![
        load.clone(),
        Command::Erase {
            address: 0,
            length: 0,
            mem_id: 0,
            erase_flags: sb21::command::ERASE_FLAG_ALL,
        },
    ]);
    assert_eq!(st, StatusCode::SUCCESS);
    assert!(untouched(&d), "erase all left data");
    let (st, _) = run(vec![Command::Erase {
        address: 0,
        length: 0,
        mem_id: 0,
        erase_flags: sb21::command::ERASE_FLAG_ALL_UNSECURE,
    }]);
    assert_eq!(st, StatusCode::INVALID_ARGUMENT);
    // An unaligned erase answers the flash driver's alignment error (no rounding).
    let (st, _) = run(vec![Command::Erase {
        address: 0x10,
        length: 0x200,
        mem_id: 0,
        erase_flags: 0,
    }]);
    assert_eq!(st, StatusCode::FLASH_ALIGNMENT_ERROR);
    // A section with more HMACs than the loader buffers: refused on its TAG.
    let big = Command::Load {
        address: 0x2001_0000,
        mem_id: 0,
        data: vec![0x5A; 300 * 16],
        padding: Vec::new(),
        count_padded: true,
    };
    let mut d = Dev::new("lpc55s69");
    let file = rebuild(
        &d0,
        vec![Section {
            uid: 0,
            flags: sb21::SPSDK_SECTION_FLAGS,
            hmac_count: devsim::rom::sb21::MAX_SECTION_HMACS + 1,
            commands: vec![big.clone()],
        }],
    );
    assert_eq!(
        d.receive(&file),
        StatusCode::ROMLDR_INVALID_SECTION_MAC_COUNT
    );
    assert_effects(&d, std::slice::from_ref(&big), false, "too many HMACs");
    // At the bound it loads, chunk by chunk.
    let mut d = Dev::new("lpc55s69");
    let file = rebuild(
        &d0,
        vec![Section {
            uid: 0,
            flags: sb21::SPSDK_SECTION_FLAGS,
            hmac_count: devsim::rom::sb21::MAX_SECTION_HMACS,
            commands: vec![big.clone()],
        }],
    );
    assert_eq!(d.receive(&file), StatusCode::SUCCESS);
    assert_effects(&d, std::slice::from_ref(&big), true, "256 HMACs");
}

#[test]
fn two_sections_run_in_order_and_a_bad_second_keeps_the_first() {
    let file = read("sb21_lpc55s69/out/sb21_two_sections.sb");
    let d0 = decoded(&file);
    assert_eq!(d0.sections.len(), 2);
    let first = &d0.sections[0].commands;
    let mut d = Dev::new("lpc55s69");
    // The second section ends with a JUMP: the device re-enters the ROM by a reset, so
    // only the flash effects of the first section remain.
    assert_eq!(d.receive(&file), StatusCode::ROMLDR_PENDING_JUMP_COMMAND);
    assert_eq!(d.rom.resets(), 1);
    let flash: Vec<Command> = first
        .iter()
        .filter(|c| matches!(c, Command::Load { address: 0, .. }))
        .cloned()
        .collect();
    assert_eq!(flash.len(), 1);
    assert_effects(&d, &flash, true, "flash after the jump");
    // The second section's chunk HMAC does not match: the first section's commands ran
    // (RAM too: no reset), the second's did not.
    let s1 = d0.sections[1].header.offset as usize;
    let mut t = file.clone();
    t[s1 + 60] ^= 1;
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.receive(&t), StatusCode::ROMLDR_CHECKSUM);
    assert_effects(&d, first, true, "first section");
    assert_effects(&d, &d0.sections[1].commands, false, "second section");
    assert_eq!(d.rom.resets(), 0);
}

#[test]
fn rt595s_vector_runs_its_rt_commands() {
    let file = read("sb21_rt595s/out/sb21_rt595s_pinned.sb");
    let cmds = commands_of(&file);
    let mut d = Dev::bare("mimxrt595s");
    d.provision_rkth(&rkth());
    // PUF enrolled (the key-store commands need it), SBKEK from the setting.
    assert_eq!(
        d.send(Mboot::KeyProvisioning(KeyProvOp::Enroll)),
        StatusCode::SUCCESS
    );
    d.rom.set_sbkek(Some(kek()));
    let before = d.rom.key_store().unwrap().clone();
    // The last command erases all of memory 0x120 (SD card), which the simulator does not
    // model: kStatus_InvalidArgument; everything before it ran.
    assert_eq!(d.receive(&file), StatusCode::INVALID_ARGUMENT);
    assert!(matches!(
        cmds.last(),
        Some(Command::Erase { mem_id: 0x120, .. })
    ));
    // programFuses: OR-ed into the OTP words.
    let mut want = std::collections::BTreeMap::<u32, u32>::new();
    for c in &cmds {
        if let Command::Prog {
            index,
            word1,
            word2,
            ..
        } = c
        {
            *want.entry(*index).or_default() |= word1;
            if let Some(w2) = word2 {
                *want.entry(index + 1).or_default() |= w2;
            }
        }
    }
    assert!(!want.is_empty());
    for (i, w) in want {
        assert_eq!(d.rom.fuse(i).unwrap().0, w, "fuse {i}");
    }
    // MEM_ENABLE configured the FlexSPI NOR from the word the LOAD put in RAM.
    assert!(d.rom.flexspi().is_some());
    // The key store went to NOR and came back; then the NOR erase cleared it there.
    assert_eq!(d.rom.key_store().unwrap(), &before);
    assert!(d.peek(0x0800_0000, 0x1000).iter().all(|&b| b == 0xFF));
}

#[test]
fn rt595s_sbkek_from_the_otp_master_key_and_its_rollback_counter() {
    let d0 = decoded(&read("sb21_rt595s/out/sb21_rt595s_pinned.sb"));
    let master: [u8; 32] = core::array::from_fn(|i| (0xA0 + i) as u8);
    let derived = sb21::sbkek_from_otp_master_key(&master);
    let fill = Command::Fill {
        address: 0x2010_0000,
        length: 4,
        pattern: 0xCAFE_F00D,
    };
    let signer = signer();
    let h = &d0.prologue.header;
    let build = |check: u32| {
        Sb21Builder {
            kek: &derived,
            signer: &signer,
            cert_block: d0.prologue.cert_block.clone(),
            flags: h.flags,
            product_version: h.product_version,
            component_version: h.component_version,
            build_number: h.build_number,
            timestamp: h.timestamp,
            nonce: h.nonce,
            keys: d0.keys.clone(),
            header_padding: h.padding,
            block_counts: d0.block_counts,
            sections: one_section(vec![
                Command::VersionCheck {
                    ver_type: 1,
                    version: check,
                },
                fill.clone(),
            ]),
        }
        .build()
        .unwrap()
    };
    let mut d = Dev::bare("mimxrt595s");
    d.provision_rkth(&rkth());
    let mk = d
        .fam
        .secure_boot
        .as_ref()
        .unwrap()
        .otp_master_key
        .clone()
        .unwrap();
    // Without the master key (and no key store key, no setting): no SBKEK.
    assert_eq!(d.receive(&build(3)), StatusCode::ROMLDR_KEY_NOT_FOUND);
    for (i, c) in master.chunks(4).enumerate() {
        let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        d.burn(mk.offset + i as u32, w);
    }
    assert_eq!(d.receive(&build(3)), StatusCode::SUCCESS);
    assert_effects(&d, std::slice::from_ref(&fill), true, "OTP SBKEK");
    // The non-secure counter counts set bits of NT_FW_VER: 4 of them block version 3.
    let nt = d
        .fam
        .secure_boot
        .as_ref()
        .unwrap()
        .nonsecure_fw_version
        .clone()
        .unwrap();
    d.burn(nt.offset, 0b1111);
    let mut d2 = d;
    d2.rom.poke(0x2010_0000, &[0; 4]).unwrap();
    assert_eq!(d2.receive(&build(3)), StatusCode::ROMLDR_ROLLBACK_BLOCKED);
    assert_effects(&d2, std::slice::from_ref(&fill), false, "rollback");
    assert_eq!(d2.receive(&build(4)), StatusCode::SUCCESS);
}

#[test]
fn sbkek_setting_survives_in_the_state_directory() {
    let dir = std::env::temp_dir().join(format!("devsim-sb21-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut d = Dev::bare("lpc55s69");
    d.rom.set_sbkek(Some(kek()));
    d.rom.save_state(&dir).unwrap();
    assert!(dir.join("sb.json").exists());
    let fam = family("lpc55s69").unwrap();
    let mut r2 = Rom::new(fam, RomOptions::instant());
    r2.load_state(&dir).unwrap();
    assert_eq!(
        r2.sb_settings().sbkek.as_deref().map(|k| k.to_vec()),
        Some(kek())
    );
    // The older file name is still read.
    std::fs::rename(dir.join("sb.json"), dir.join("sb31.json")).unwrap();
    let mut r3 = Rom::new(fam, RomOptions::instant());
    r3.load_state(&dir).unwrap();
    assert!(r3.sb_settings().sbkek.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sha_flag_files_with_spsdks_block_counts_load() {
    // SPSDK's 0x8008 file: image_blocks and first_boot_tag_block leave out the SHA-256.
    let file = read("sb21_lpc55s69/out/sb21_pinned_sha.sb");
    let d0 = decoded(&file);
    assert_eq!(d0.block_counts, sb21::BlockCounts::Spsdk);
    let cmds = commands_of(&file);
    let fill = cmds
        .iter()
        .position(|c| matches!(c, Command::Fill { .. }))
        .unwrap();
    // Up to the FILL (no MEM_ENABLE, no JUMP): the whole file is checked, SHA-256 included.
    let short = rebuild(&d0, one_section(cmds[..=fill].to_vec()));
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.receive_in(&short, 100), StatusCode::SUCCESS);
    assert_effects(&d, &cmds[..=fill], true, "0x8008");
    // The vector itself stops at its MEM_ENABLE, as the 0x0008 one does.
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.receive(&file), StatusCode::INVALID_ARGUMENT);
}
