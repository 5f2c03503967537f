//! The MCUboot stage on an in-process ROM: slot selection, trailers, upgrades, reverts,
//! encryption and invalid images, with the console lines checked.

use super::mcuboot::{McuBoot, McubootOptions};
use crate::rom::{Rom, RomOptions};
use provkit::crypto::{KeyType, LocalSigner, PrivateKey, Signer};
use provkit::mcuboot::build::{EncryptOptions, HmacSha, Input, SigAlg, SignOptions, Signing, sign};
use provkit::mcuboot::layout::UpgradeMode;
use provkit::mcuboot::validate::BootConfig;
use provkit::mcuboot::{ImageVersion, McubootImage};
use std::sync::OnceLock;

const PRIMARY: u32 = 0x20000;
const SECONDARY: u32 = 0x110000;
const SLOT: u32 = 0xF0000;

fn signer() -> &'static LocalSigner {
    static K: OnceLock<LocalSigner> = OnceLock::new();
    K.get_or_init(|| LocalSigner::new(PrivateKey::generate(KeyType::P256).unwrap(), "sign"))
}

fn enc_key() -> &'static PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| PrivateKey::generate(KeyType::P256).unwrap())
}

fn rom(mode: UpgradeMode, app_confirms: bool) -> Rom {
    let family = provkit::family::family("mcxn947").unwrap();
    let mut rom = Rom::new(family, RomOptions::instant());
    let mut boot = BootConfig::signed(SigAlg::EcdsaP256, vec![signer().public_key().unwrap()]);
    boot.enc_key = Some(enc_key().clone());
    rom.set_mcuboot(McuBoot::new(McubootOptions {
        mode,
        primary: PRIMARY,
        secondary: SECONDARY,
        slot_size: SLOT,
        flash_base: 0,
        align: 16,
        max_align: 16,
        max_sectors: 800,
        boot,
        app_confirms,
        downgrade_prevention: true,
        state_dir: None,
        stdout: false,
    }));
    rom
}

/// A signed application image: `confirm` = `--confirm`, else `--pad` (test).
fn image(version: &str, confirm: bool, encrypt: bool) -> Vec<u8> {
    let mut app = vec![0u8; 5000];
    app[..4].copy_from_slice(&0x2001_0000u32.to_le_bytes());
    app[4..8].copy_from_slice(&(PRIMARY + 0x401).to_le_bytes());
    for (i, b) in app.iter_mut().enumerate().skip(8) {
        *b = (i * 13) as u8;
    }
    let mut o = SignOptions::new(
        ImageVersion::parse(version).unwrap(),
        0x400,
        u64::from(SLOT),
    );
    o.pad_header = true;
    o.align = 16;
    o.max_sectors = Some(800);
    o.pad = true;
    o.confirm = confirm;
    o.test = !confirm;
    if encrypt {
        o.encrypt = Some(EncryptOptions {
            key: enc_key().public_key(),
            aes256: false,
            clear: false,
            hmac_sha: HmacSha::Auto,
            save_enctlv: false,
        });
    }
    let img = sign(
        &Input {
            data: app,
            base_addr: None,
        },
        &o,
        &Signing::Key(signer()),
        &mut provkit::mcuboot::OsRng,
    )
    .unwrap();
    img.to_bin()
}

fn put(rom: &mut Rom, addr: u32, bytes: &[u8]) {
    rom.poke(addr, bytes).unwrap();
}

fn slot_version(rom: &Rom, addr: u32) -> Option<String> {
    let b = rom.peek(addr, 0x2000)?;
    McubootImage::parse(&b)
        .ok()
        .map(|i| i.header.version.to_string())
        .or_else(|| {
            let h =
                provkit::mcuboot::ImageHeader::decode(&b, provkit::mcuboot::Endian::Little).ok()?;
            (h.magic == provkit::mcuboot::image::IMAGE_MAGIC).then(|| h.version.to_string())
        })
}

fn boot(rom: &mut Rom) -> super::mcuboot::McubootReport {
    rom.reset();
    rom.mcuboot_report().cloned().expect("report")
}

#[test]
fn direct_xip_boots_the_higher_version_like_the_seed() {
    let mut rom = rom(UpgradeMode::DirectXip, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    let r = boot(&mut rom);
    assert_eq!(
        r.lines,
        [
            "hello sbl.",
            "Bootloader Version 2.0.0",
            "Primary slot: version=1.0.0+0",
            "Image 0 Secondary slot: Image not found",
            "writing copy_done; fa_id=0 off=0xeffd0 (0x10ffd0)",
            "Image 0 loaded from the primary slot",
            "Bootloader chainload address offset: 0x20000",
            "Reset_Handler address offset: 0x20400",
            "Jumping to the image",
            "Booting the primary slot - flash remapping is disabled",
        ]
    );
    put(&mut rom, SECONDARY, &image("1.1", true, false));
    let r = boot(&mut rom);
    assert_eq!(
        r.lines[2..],
        [
            "Primary slot: version=1.0.0+0",
            "Secondary slot: version=1.1.0+0",
            "writing copy_done; fa_id=1 off=0xeffd0 (0x1fffd0)",
            "Image 0 loaded from the secondary slot",
            "Bootloader chainload address offset: 0x110000",
            "Reset_Handler address offset: 0x110400",
            "Jumping to the image",
            "Booting the secondary slot - flash remapping is enabled",
        ]
    );
    assert_eq!(
        (r.slot.as_deref(), r.version.as_deref()),
        (Some("secondary"), Some("1.1.0+0"))
    );
    // Confirmed: the next reset boots it again without writing anything.
    let r = boot(&mut rom);
    assert_eq!(r.slot.as_deref(), Some("secondary"));
    assert!(!r.lines.iter().any(|l| l.starts_with("writing")));
}

#[test]
fn direct_xip_reverts_an_unconfirmed_image() {
    let mut rom = rom(UpgradeMode::DirectXip, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("2.0", false, false));
    assert_eq!(boot(&mut rom).slot.as_deref(), Some("secondary"));
    // Not confirmed by the application: erased at the next reset, the primary runs.
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Erasing faulty image in the secondary slot.".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(r.slot.as_deref(), Some("primary"));
    assert_eq!(slot_version(&rom, SECONDARY), None);
    // With an application that confirms itself, the new image stays.
    let mut rom = self::rom(UpgradeMode::DirectXip, true);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("2.0", false, false));
    assert_eq!(boot(&mut rom).slot.as_deref(), Some("secondary"));
    assert_eq!(boot(&mut rom).slot.as_deref(), Some("secondary"));
}

#[test]
fn direct_xip_skips_and_erases_an_invalid_image() {
    let mut rom = rom(UpgradeMode::DirectXip, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    let mut bad = image("1.1", true, false);
    bad[0x500] ^= 0xff;
    put(&mut rom, SECONDARY, &bad);
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image in the secondary slot is not valid!".to_string())
    );
    assert_eq!(r.slot.as_deref(), Some("primary"));
    assert_eq!(slot_version(&rom, SECONDARY), None, "invalid image erased");
}

#[test]
fn swap_move_test_upgrade_then_revert() {
    let mut rom = rom(UpgradeMode::SwapMove, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("1.1", false, false));
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image index: 0, Swap type: test".to_string()),
        "{:?}",
        r.lines
    );
    assert!(
        r.lines
            .contains(&"Starting swap using move algorithm.".to_string())
    );
    assert_eq!(
        (r.slot.as_deref(), r.version.as_deref()),
        (Some("primary"), Some("1.1.0+0"))
    );
    assert_eq!(slot_version(&rom, SECONDARY).as_deref(), Some("1.0.0+0"));
    // Not confirmed: swapped back.
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image index: 0, Swap type: revert".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(r.version.as_deref(), Some("1.0.0+0"));
    // And it stays.
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image index: 0, Swap type: none".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(r.version.as_deref(), Some("1.0.0+0"));
}

#[test]
fn swap_move_permanent_upgrade_and_confirming_application() {
    let mut rom = rom(UpgradeMode::SwapMove, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("1.1", true, false));
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image index: 0, Swap type: perm".to_string())
    );
    assert_eq!(boot(&mut rom).version.as_deref(), Some("1.1.0+0"));
    // A test image with an application that confirms itself stays too.
    let mut rom = self::rom(UpgradeMode::SwapMove, true);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("1.2", false, false));
    assert_eq!(boot(&mut rom).version.as_deref(), Some("1.2.0+0"));
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image index: 0, Swap type: none".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(r.version.as_deref(), Some("1.2.0+0"));
}

#[test]
fn swap_move_decrypts_an_encrypted_upgrade() {
    let mut rom = rom(UpgradeMode::SwapMove, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("1.1", true, true));
    let r = boot(&mut rom);
    assert_eq!(
        (r.result.as_str(), r.version.as_deref()),
        ("booted", Some("1.1.0+0")),
        "{:?}",
        r.lines
    );
    // The primary slot holds the plaintext.
    let b = rom.peek(PRIMARY + 0x400, 8).unwrap();
    assert_eq!(b[..4], 0x2001_0000u32.to_le_bytes());
}

#[test]
fn overwrite_only_copies_and_prevents_downgrades() {
    let mut rom = rom(UpgradeMode::OverwriteOnly, false);
    put(&mut rom, PRIMARY, &image("1.0", true, false));
    put(&mut rom, SECONDARY, &image("1.1", false, false));
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image 0 upgrade secondary slot -> primary slot".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(r.version.as_deref(), Some("1.1.0+0"));
    assert_eq!(slot_version(&rom, SECONDARY), None);
    put(&mut rom, SECONDARY, &image("1.0", true, false));
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Insufficient version in secondary slot".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(r.version.as_deref(), Some("1.1.0+0"));
}

#[test]
fn invalid_or_missing_images_do_not_boot() {
    let mut rom = rom(UpgradeMode::SwapMove, false);
    let r = boot(&mut rom);
    assert_eq!(r.result, "no-bootable-image");
    assert_eq!(
        r.lines.last().map(String::as_str),
        Some("Unable to find bootable image")
    );
    // Signed with another key.
    let other = LocalSigner::new(PrivateKey::generate(KeyType::P256).unwrap(), "other");
    let mut o = SignOptions::new(ImageVersion::parse("1.0").unwrap(), 0x400, u64::from(SLOT));
    o.pad_header = true;
    let img = sign(
        &Input {
            data: vec![1; 100],
            base_addr: None,
        },
        &o,
        &Signing::Key(&other),
        &mut provkit::mcuboot::OsRng,
    )
    .unwrap();
    put(&mut rom, PRIMARY, &img.to_bin());
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image in the primary slot is not valid!".to_string())
    );
    assert_eq!(r.result, "no-bootable-image");
}

#[test]
fn swap_move_on_unconfigured_flexspi_nor() {
    // RW612: slots in FlexSPI NOR, which the ROM leaves unconfigured after reset; the
    // bootloader reads and programs it itself.
    let family = provkit::family::family("rw612").unwrap();
    let l = provkit::mcuboot::layout::for_family("rw612").unwrap();
    let specs = [format!("key={}", {
        let dir = std::env::temp_dir().join(format!("mcuboot-nor-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("pub.pem");
        std::fs::write(&p, signer().public_key().unwrap().to_spki_pem().unwrap()).unwrap();
        p.display().to_string()
    })];
    let mut rom = Rom::new(family, RomOptions::instant());
    let mut m = McuBoot::from_specs(family, &specs, None).unwrap();
    m.disable_stdout();
    rom.set_mcuboot(m);
    let mk = |v: &str, confirm: bool| {
        let mut o = SignOptions::new(
            ImageVersion::parse(v).unwrap(),
            0x400,
            u64::from(l.slot_size),
        );
        o.pad_header = true;
        o.align = 4;
        o.max_sectors = Some(800);
        o.pad = true;
        o.confirm = confirm;
        sign(
            &Input {
                data: vec![0x5a; 3000],
                base_addr: None,
            },
            &o,
            &Signing::Key(signer()),
            &mut provkit::mcuboot::OsRng,
        )
        .unwrap()
        .to_bin()
    };
    let base = family.flexspi.as_ref().unwrap().window.start;
    {
        let nor = rom.mem.nor.as_mut().unwrap();
        assert!(nor.program((l.primary - base) as usize, &mk("1.0", true)));
        assert!(nor.program((l.secondary - base) as usize, &mk("2.0", true)));
    }
    let r = boot(&mut rom);
    assert!(
        r.lines
            .contains(&"Image index: 0, Swap type: perm".to_string()),
        "{:?}",
        r.lines
    );
    assert_eq!(
        (r.slot.as_deref(), r.version.as_deref()),
        (Some("primary"), Some("2.0.0+0"))
    );
    let r = boot(&mut rom);
    assert_eq!(r.version.as_deref(), Some("2.0.0+0"));
    assert_eq!(r.swap_type.as_deref(), Some("none"));
}
