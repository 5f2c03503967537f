//! Secure boot at reset on the certificate-block-v1 families, in process: LPC55S69 reads the
//! image at flash 0 and checks it against the ROTKH in CMPA; RT595S reads FlexSPI NOR at
//! 0x08001000 and also checks the HMAC of signed load-to-RAM images against the OTP master
//! key. Images are the SPSDK 3.12 vectors (`tests/vectors/mbi/`) or built by provkit.

use devsim::rom::{Rom, RomOptions};
use provkit::codec::from_hex;
use provkit::crypto::{LocalSigner, Signer};
use provkit::family::{Family, family};
use provkit::mbi::{Auth, Mbi, MbiSpec, Target};
use provkit::mboot::StatusCode;
use provkit::mboot::command::{Command as Mboot, Response};
use std::path::PathBuf;
use zeroize::Zeroizing;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vectors().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// RKTH of the four root certificates of the vectors.
const RKTH: &str = "34b927caa5bdcb3a83d3c795b840a5bfb2fa73583271f73254b51404a405fa56";

struct Dev {
    rom: Rom,
    fam: &'static Family,
}

impl Dev {
    fn new(name: &str) -> Dev {
        let fam = family(name).unwrap();
        Dev {
            rom: Rom::new(fam, RomOptions::instant()),
            fam,
        }
    }

    fn cmpa(&mut self, offset: u32, data: &[u8]) {
        let cmpa = self.fam.pfr.as_ref().unwrap().cmpa;
        self.rom.poke(cmpa + offset, data).unwrap();
    }

    fn send(&mut self, c: Mboot) {
        let r = self.rom.command(&c.to_packet().encode());
        let st = Response::from_packet(&r.packet).unwrap().status();
        self.rom.response_delivered();
        assert_eq!(st, StatusCode::SUCCESS, "{c:?}");
    }

    fn fuses(&mut self, first: u32, bytes: &[u8]) {
        for (i, c) in bytes.chunks(4).enumerate() {
            let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            self.send(Mboot::FlashProgramOnce {
                index: first + i as u32,
                byte_count: 4,
                data: vec![w],
            });
        }
    }

    /// Puts `img` at the boot address: erase (after configuring the FlexSPI NOR on
    /// flashless parts), then program.
    fn install(&mut self, img: &[u8]) {
        let at = self.fam.secure_boot.as_ref().unwrap().boot_address;
        let memory_id = if self.fam.flash.is_empty() {
            self.send(Mboot::FillMemory {
                address: 0x2010_0000,
                byte_count: 4,
                pattern: 0xC000_0004,
            });
            self.send(Mboot::ConfigureMemory {
                memory_id: 9,
                address: 0x2010_0000,
            });
            9
        } else {
            0
        };
        let start = at & !0xFFFF;
        self.send(Mboot::FlashEraseRegion {
            address: start,
            byte_count: 0x10000,
            memory_id,
        });
        self.rom.poke(at, img).unwrap();
    }

    fn boot(&mut self) -> devsim::rom::secboot::BootReport {
        self.rom.reset();
        self.rom.last_boot().unwrap().clone()
    }
}

#[test]
fn lpc55s69_boots_the_spsdk_images_and_refuses_what_the_rom_refuses() {
    let mut d = Dev::new("lpc55s69");
    assert_eq!(d.boot().result, "no-image");
    let signed = read("mbi_lpc55s69/out/mbi_xip_signed.bin");
    d.install(&signed);
    // RKTH not provisioned: internal consistency only.
    let b = d.boot();
    assert!(b.booted(), "{b:?}");
    assert_eq!(b.image.as_deref(), Some("xip signed"));
    assert!(
        b.reason
            .as_deref()
            .unwrap()
            .contains("RKTH not provisioned"),
        "{b:?}"
    );
    // The vectors' RKTH in CMPA ROTKH (digest order).
    d.cmpa(0x50, &from_hex(RKTH).unwrap());
    let b = d.boot();
    assert!(b.booted() && b.reason.is_none(), "{b:?}");
    assert_eq!(b.rkth.as_deref(), Some(RKTH));
    for f in [
        "mbi_xip_signed_chain_tz.bin",
        "mbi_xip_signed_tzcustom.bin",
        "mbi_ram_signed.bin",
        "mbi_xip_crc.bin",
        "mbi_xip_plain.bin",
    ] {
        d.install(&read(&format!("mbi_lpc55s69/out/{f}")));
        let b = d.boot();
        assert!(b.booted(), "{f}: {b:?}");
    }
    // Tampered application, header word, certificate and signature bytes.
    for at in [0x100, 0x24, 0x3EC + 0x40, signed.len() - 1] {
        let mut t = signed.clone();
        t[at] ^= 0x04;
        d.install(&t);
        let b = d.boot();
        assert_eq!(b.result, "refused", "flip at 0x{at:X}: {b:?}");
    }
    // SPSDK's YAML-text TrustZone preset.
    d.install(&read(
        "mbi_lpc55s69/out/BUG_mbi_xip_signed_tz_yaml_text_embedded.bin",
    ));
    let b = d.boot();
    assert!(b.reason.as_deref().unwrap().contains("text"), "{b:?}");
    // Another root key set in CMPA.
    d.install(&signed);
    d.cmpa(0x50, &[0x77; 32]);
    let b = d.boot();
    assert_eq!(b.result, "refused");
    assert!(b.reason.as_deref().unwrap().contains("RKTH"), "{b:?}");
    // SEC_BOOT_EN (CMPA 0x1C bits 30..31): CRC images no longer boot, signed ones do.
    d.cmpa(0x50, &from_hex(RKTH).unwrap());
    d.cmpa(0x1C, &(1u32 << 30).to_le_bytes());
    d.install(&read("mbi_lpc55s69/out/mbi_xip_crc.bin"));
    let b = d.boot();
    assert_eq!(b.result, "refused");
    assert!(b.reason.as_deref().unwrap().contains("signed"), "{b:?}");
    d.install(&signed);
    assert!(d.boot().booted());
}

#[test]
fn rt595s_checks_the_hmac_of_signed_load_to_ram_images_in_nor() {
    let mut d = Dev::new("mimxrt595s");
    let s = LocalSigner::from_file(&vectors().join("keys/rotk0_rsa2048.pem")).unwrap();
    let cb = Mbi::decode(
        &read("mbi_lpc55s69/out/mbi_xip_signed.bin"),
        family("lpc55s69").unwrap(),
    )
    .unwrap()
    .signed
    .unwrap()
    .cert_block;
    let master = [0x42u8; 32];
    let img = MbiSpec {
        target: Target::LoadToRam,
        auth: Auth::Signed,
        app: read("app/app.bin"),
        load_address: 0x2008_0000,
        hmac_key: Some(Zeroizing::new(master)),
        cert_block: Some(cb),
        signer: Some(&s as &dyn Signer),
        ..MbiSpec::default()
    }
    .build(d.fam)
    .unwrap();
    d.install(&img);
    let b = d.boot();
    assert!(b.booted(), "{b:?}");
    let why = b.reason.unwrap();
    assert!(
        why.contains("HMAC not checked") && why.contains("RKTH not provisioned"),
        "{why}"
    );
    // RKTH in OTP words 120..127, master key in 112..119.
    d.fuses(120, &from_hex(RKTH).unwrap());
    d.fuses(112, &master);
    let b = d.boot();
    assert!(b.booted() && b.reason.is_none(), "{b:?}");
    // An image made with another master key.
    let other = MbiSpec {
        target: Target::LoadToRam,
        auth: Auth::Signed,
        app: read("app/app.bin"),
        load_address: 0x2008_0000,
        hmac_key: Some(Zeroizing::new([0x43; 32])),
        cert_block: Mbi::decode(&img, d.fam)
            .unwrap()
            .signed
            .map(|s| s.cert_block),
        signer: Some(&s as &dyn Signer),
        ..MbiSpec::default()
    }
    .build(d.fam)
    .unwrap();
    d.install(&other);
    let b = d.boot();
    assert_eq!(b.result, "refused");
    assert!(b.reason.as_deref().unwrap().contains("HMAC"), "{b:?}");
}
