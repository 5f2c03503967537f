//! The SB3.1 loader and the secure-boot check, in process: capsules built with provkit from
//! the reference keys (`tests/vectors/sb31/keys`) go through `receive-sb-file`; every
//! failure answers its ROM status; a loaded signed image boots at the next reset.

use devsim::rom::{DataIn, Phase, Rom, RomOptions};
use provkit::certblock::{CertBlockSpec, CertBlockV21, IskSpec};
use provkit::crypto::{LocalSigner, PublicKey, Signer};
use provkit::family::{Family, family};
use provkit::mbi::{Auth, MbiSpec, Target};
use provkit::mboot::StatusCode;
use provkit::mboot::command::{Command as Mboot, Response};
use provkit::sb31::{Command, CounterId, Sb31Builder};
use std::path::PathBuf;

fn keys() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sb31/keys")
}

fn signer(n: &str) -> LocalSigner {
    LocalSigner::from_file(&keys().join(n)).unwrap()
}

fn pubkey(n: &str) -> PublicKey {
    PublicKey::from_file(&keys().join(n)).unwrap()
}

const KEK: [u8; 32] = [0x11; 32];

struct Dev {
    rom: Rom,
    fam: &'static Family,
}

fn cert_block(isk: bool) -> CertBlockV21 {
    let root = signer("rot_p256_0.pem");
    CertBlockSpec {
        root_keys: (0..4)
            .map(|i| pubkey(&format!("rot_p256_{i}.pub")))
            .collect(),
        used_root: 0,
        isk: isk.then(|| IskSpec {
            key: pubkey("isk_p256.pub"),
            constraints: 0,
            user_data: Vec::new(),
        }),
        root_signer: Some(&root),
    }
    .build()
    .unwrap()
}

impl Dev {
    fn new(name: &str) -> Dev {
        let fam = family(name).unwrap();
        let mut rom = Rom::new(fam, RomOptions::instant());
        rom.set_sbkek(Some(KEK.to_vec()));
        let mut d = Dev { rom, fam };
        d.provision_rkth(&cert_block(false).rkth());
        d
    }

    fn provision_rkth(&mut self, rkth: &[u8]) {
        let sb = self.fam.secure_boot.as_ref().unwrap();
        match sb.rkth.area {
            provkit::family::Area::Cmpa => {
                let cmpa = self.fam.pfr.as_ref().unwrap().cmpa;
                let mut field = rkth.to_vec();
                field.resize(48, 0);
                self.rom.poke(cmpa + sb.rkth.offset, &field).unwrap();
            }
            _ => {
                for (i, c) in rkth.chunks(4).enumerate() {
                    let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                    let st = self.send(Mboot::FlashProgramOnce {
                        index: sb.rkth.offset + i as u32,
                        byte_count: 4,
                        data: vec![w],
                    });
                    assert_eq!(st, StatusCode::SUCCESS);
                }
            }
        }
    }

    fn send(&mut self, c: Mboot) -> StatusCode {
        let r = self.rom.command(&c.to_packet().encode());
        let st = Response::from_packet(&r.packet).unwrap().status();
        self.rom.response_delivered();
        st
    }

    /// receive-sb-file in 512-byte chunks; the deciding status.
    fn receive(&mut self, file: &[u8]) -> StatusCode {
        let r = self.rom.command(
            &Mboot::ReceiveSbFile {
                byte_count: file.len() as u32,
            }
            .to_packet()
            .encode(),
        );
        let st = Response::from_packet(&r.packet).unwrap().status();
        if !st.is_success() || r.phase == Phase::None {
            return st;
        }
        for c in file.chunks(512) {
            match self.rom.data_in(c) {
                DataIn::More => {}
                DataIn::Finished(p) | DataIn::Aborted(p) => {
                    let st = Response::from_packet(&p).unwrap().status();
                    self.rom.response_delivered();
                    return st;
                }
                DataIn::Unexpected => panic!("unexpected"),
            }
        }
        panic!("data phase did not finish")
    }
}

fn app() -> Vec<u8> {
    let mut a = vec![0u8; 2048];
    a[..4].copy_from_slice(&0x2001_0000u32.to_le_bytes());
    a[4..8].copy_from_slice(&0x0000_00C1u32.to_le_bytes());
    for (i, b) in a.iter_mut().enumerate().skip(0x40) {
        *b = (i * 7) as u8;
    }
    a
}

fn signed_mbi(fam: &Family, fw: u32, target: Target, load: u32) -> Vec<u8> {
    let s = signer("isk_p256.pem");
    MbiSpec {
        target,
        auth: Auth::Signed,
        app: app(),
        load_address: load,
        image_version: 0,
        firmware_version: fw,
        subtype: 0,
        tz_preset: None,
        cert_block: Some(cert_block(true).into()),
        signer: Some(&s),
        ..MbiSpec::default()
    }
    .build(fam)
    .unwrap()
}

fn sb(commands: Vec<Command>, fw: u32, kek: &[u8], ar: u8) -> Vec<u8> {
    let s = signer("rot_p256_0.pem");
    Sb31Builder {
        cert_block: cert_block(false),
        signer: &s,
        kek: Some(kek),
        kdk_access_rights: ar,
        timestamp: 0x2E8E_5C80,
        firmware_version: fw,
        description: b"devsim".to_vec(),
        flags: 0,
        image_type: 6,
        commands,
    }
    .build()
    .unwrap()
}

fn flash_load(fam: &Family, image: &[u8]) -> Vec<Command> {
    let erase_unit = fam.flash[0].erase_size;
    let len = (image.len() as u32).div_ceil(erase_unit) * erase_unit;
    vec![
        Command::Erase {
            address: 0,
            length: len,
            memory_id: 0,
        },
        Command::Load {
            address: 0,
            memory_id: 0,
            data: image.to_vec(),
        },
    ]
}

#[test]
fn lpc55s36_and_mcxn947_update_and_boot() {
    for name in ["lpc55s36", "mcxn947"] {
        let mut d = Dev::new(name);
        let img = signed_mbi(d.fam, 1, Target::Xip, 0);
        let file = sb(flash_load(d.fam, &img), 1, &KEK, 0);
        assert_eq!(d.receive(&file), StatusCode::SUCCESS, "{name}");
        assert_eq!(d.rom.peek(0, img.len()).unwrap(), img, "{name}");
        assert_eq!(
            d.send(Mboot::Reset { parameter: None }),
            StatusCode::SUCCESS
        );
        let b = d.rom.last_boot().unwrap();
        assert!(b.booted(), "{name}: {b:?}");
        assert_eq!(b.image.as_deref(), Some("xip signed"));
        assert_eq!(b.firmware_version, Some(1));
    }
}

#[test]
fn rw612_configures_nor_loads_and_boots() {
    let mut d = Dev::new("rw612");
    let img = signed_mbi(d.fam, 0, Target::Xip, 0x0800_1000);
    let cmds = vec![
        Command::FillMemory {
            address: 0x2001_0000,
            length: 4,
            pattern: 0xC000_0004,
        },
        Command::ConfigureMemory {
            memory_id: 9,
            address: 0x2001_0000,
        },
        Command::Erase {
            address: 0x0800_0000,
            length: 0x10000,
            memory_id: 9,
        },
        Command::Load {
            address: 0x0800_1000,
            memory_id: 9,
            data: img.clone(),
        },
    ];
    assert_eq!(d.receive(&sb(cmds, 0, &KEK, 0)), StatusCode::SUCCESS);
    assert_eq!(
        d.send(Mboot::Reset { parameter: None }),
        StatusCode::SUCCESS
    );
    let b = d.rom.last_boot().unwrap();
    assert!(b.booted(), "{b:?}");
}

#[test]
fn failures_answer_the_rom_status() {
    let fam = family("lpc55s36").unwrap();
    let img = signed_mbi(fam, 5, Target::Xip, 0);
    let good = sb(flash_load(fam, &img), 5, &KEK, 0);
    let run = |f: &dyn Fn(&mut Dev), file: &[u8]| -> StatusCode {
        let mut d = Dev::new("lpc55s36");
        f(&mut d);
        d.receive(file)
    };
    let none = |_: &mut Dev| {};
    assert_eq!(run(&none, &good), StatusCode::SUCCESS);
    // Block-0 signature.
    let mut t = good.clone();
    let b0 = u32::from_le_bytes([t[0x20], t[0x21], t[0x22], t[0x23]]) as usize;
    t[b0 - 1] ^= 1;
    assert_eq!(run(&none, &t), StatusCode::ROMLDR_SIGNATURE);
    // Header.
    let mut t = good.clone();
    t[0] = b'x';
    assert_eq!(run(&none, &t), StatusCode::ROMLDR_SIGNATURE);
    // Broken chain (a data block).
    let mut t = good.clone();
    let n = t.len();
    t[n - 5] ^= 0x80;
    assert_eq!(run(&none, &t), StatusCode::ROMLDR_CHECKSUM);
    // Wrong KEK, wrong kdkAccessRights, no KEK.
    assert_eq!(
        run(&|d| d.rom.set_sbkek(Some(vec![0x22; 32])), &good),
        StatusCode::ROMLDR_BAD_SBKEK
    );
    assert_eq!(
        run(&|d| d.rom.set_kdk_access_rights(3), &good),
        StatusCode::ROMLDR_BAD_SBKEK
    );
    assert_eq!(
        run(&|d| d.rom.set_sbkek(None), &good),
        StatusCode::ROMLDR_KEY_NOT_FOUND
    );
    // RKTH: another key set, or none at all.
    assert_eq!(
        run(&|d| d.provision_rkth(&[0x5A; 32]), &good),
        StatusCode::ROMLDR_SIGNATURE
    );
    assert_eq!(
        run(&|d| d.provision_rkth(&[0; 32]), &good),
        StatusCode::ROMLDR_SIGNATURE
    );
    // Rollback: the secure counter (CFPA S_FW_Version) is above the file's version.
    let bump = |d: &mut Dev| {
        let p = d.fam.pfr.as_ref().unwrap();
        let (a, _) = p.cfpa_ping_pong.unwrap();
        let mut page = vec![0u8; 512];
        page[4..8].copy_from_slice(&1u32.to_le_bytes());
        page[8..12].copy_from_slice(&6u32.to_le_bytes());
        d.rom.poke(a, &page).unwrap();
    };
    assert_eq!(run(&bump, &good), StatusCode::ROMLDR_ROLLBACK_BLOCKED);
    let check = sb(
        vec![Command::CheckFwVersion {
            value: 5,
            counter: CounterId::SECURE,
        }],
        7,
        &KEK,
        0,
    );
    assert_eq!(run(&bump, &check), StatusCode::ROMLDR_ROLLBACK_BLOCKED);
    // A command the family's loader lacks.
    let call = sb(vec![Command::Call { address: 0 }], 5, &KEK, 0);
    assert_eq!(run(&none, &call), StatusCode::ROMLDR_UNKNOWN_COMMAND);
    // A key blob with another family's wrap id.
    let kb = sb(
        vec![Command::LoadKeyBlob {
            offset: 0,
            key_wrap_id: 19,
            data: vec![1; 48],
        }],
        5,
        &KEK,
        0,
    );
    assert_eq!(run(&none, &kb), StatusCode::ROMLDR_ID_NOT_FOUND);
    // Truncated: the data phase ends before the last block.
    let mut d = Dev::new("lpc55s36");
    assert_eq!(
        d.receive(&good[..good.len() - 10]),
        StatusCode::ROMLDR_DATA_UNDERRUN
    );
    // A memory error inside a command gives the memory status.
    let bad_load = sb(
        vec![Command::Load {
            address: 0x0500_0000,
            memory_id: 0,
            data: vec![1; 16],
        }],
        5,
        &KEK,
        0,
    );
    assert_eq!(run(&none, &bad_load), StatusCode::MEMORY_RANGE_INVALID);
}

#[test]
fn execute_ends_with_a_pending_jump_and_boots() {
    let mut d = Dev::new("mcxn947");
    let img = signed_mbi(d.fam, 0, Target::Xip, 0);
    let mut cmds = flash_load(d.fam, &img);
    cmds.push(Command::Execute { address: 0 });
    assert_eq!(
        d.receive(&sb(cmds, 0, &KEK, 0)),
        StatusCode::ROMLDR_PENDING_JUMP_COMMAND
    );
    // The jump re-enters the ROM through a reset: secure boot ran.
    assert!(d.rom.last_boot().unwrap().booted());
}

#[test]
fn secure_boot_refuses_what_it_must() {
    // Tampered image in flash.
    let mut d = Dev::new("lpc55s36");
    let mut img = signed_mbi(d.fam, 0, Target::Xip, 0);
    img[0x100] ^= 1;
    d.rom.poke(0, &img).unwrap();
    d.rom.reset();
    let b = d.rom.last_boot().unwrap();
    assert_eq!(b.result, "refused", "{b:?}");
    assert!(b.reason.as_deref().unwrap().contains("signature"), "{b:?}");
    // A plain image where SEC_BOOT_EN demands signed images.
    let mut d = Dev::new("mcxn947");
    let plain = MbiSpec {
        target: Target::Xip,
        auth: Auth::Plain,
        app: app(),
        load_address: 0,
        image_version: 0,
        firmware_version: 0,
        subtype: 0,
        tz_preset: None,
        cert_block: None,
        signer: None,
        ..MbiSpec::default()
    }
    .build(d.fam)
    .unwrap();
    d.rom.poke(0, &plain).unwrap();
    d.rom.reset();
    assert!(d.rom.last_boot().unwrap().booted());
    let cmpa = d.fam.pfr.as_ref().unwrap().cmpa;
    d.rom.poke(cmpa + 0x50, &2u32.to_le_bytes()).unwrap();
    d.rom.reset();
    let b = d.rom.last_boot().unwrap();
    assert_eq!(b.result, "refused");
    assert!(b.reason.as_deref().unwrap().contains("signed"), "{b:?}");
    // An image signed for another root key set.
    let mut d = Dev::new("mcxn947");
    d.provision_rkth(&[0x77; 32]);
    d.rom
        .poke(0, &signed_mbi(d.fam, 0, Target::Xip, 0))
        .unwrap();
    d.rom.reset();
    let b = d.rom.last_boot().unwrap();
    assert!(b.reason.as_deref().unwrap().contains("RKTH"), "{b:?}");
    // Nothing in flash.
    let mut d = Dev::new("mcxn947");
    d.rom.reset();
    assert_eq!(d.rom.last_boot().unwrap().result, "no-image");
}

#[test]
fn sb31_state_round_trip() {
    let dir = std::env::temp_dir().join(format!("devsim-sb31-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut d = Dev::new("rw612");
    d.rom.set_kdk_access_rights(2);
    d.rom.reset();
    d.rom.save_state(&dir).unwrap();
    assert!(dir.join("boot.json").exists());
    let mut r2 = Rom::new(d.fam, RomOptions::instant());
    r2.load_state(&dir).unwrap();
    assert_eq!(r2.sb_settings().kdk_access_rights, 2);
    assert_eq!(
        r2.sb_settings().sbkek.as_deref().map(|k| k.to_vec()),
        Some(KEK.to_vec())
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = signer("isk_p256.pem").public_key();
}
