//! Certificate-block-v1 MBIs (LPC55S6x, RT5xx) against the SPSDK 3.12 vectors
//! (`tests/vectors/mbi/mbi_lpc55s69/`) and round trips for what has no vector.

use super::*;
use crate::certblock::{CertBlockV1Spec, rkth_of_keys};
use crate::codec::from_hex;
use crate::crypto::{LocalSigner, PublicKey};
use crate::family::{family, image_family};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn signer(name: &str) -> LocalSigner {
    LocalSigner::from_file(&dir().join("keys").join(name)).unwrap()
}

/// RKTH of rotk0..3_rsa2048 (the four root certificates of the vectors).
const RKTH: &str = "34b927caa5bdcb3a83d3c795b840a5bfb2fa73583271f73254b51404a405fa56";

struct Case {
    file: &'static str,
    target: Target,
    auth: Auth,
    load: u32,
    trust_zone: bool,
    tz_custom: bool,
    signer: Option<&'static str>,
    flags: u32,
}

fn cases() -> Vec<Case> {
    let c = |file, target, auth, load, trust_zone, tz_custom, signer, flags| Case {
        file,
        target,
        auth,
        load,
        trust_zone,
        tz_custom,
        signer,
        flags,
    };
    use Auth::*;
    use Target::*;
    vec![
        c(
            "mbi_xip_plain.bin",
            Xip,
            Plain,
            0,
            false,
            false,
            None,
            0x4000,
        ),
        c("mbi_xip_crc.bin", Xip, Crc, 0, false, false, None, 0x4005),
        c(
            "mbi_xip_signed.bin",
            Xip,
            Signed,
            0,
            false,
            false,
            Some("rotk0_rsa2048.pem"),
            0x4004,
        ),
        c(
            "mbi_ram_signed.bin",
            LoadToRam,
            Signed,
            0x2000_0000,
            false,
            false,
            Some("rotk0_rsa2048.pem"),
            0x4004,
        ),
        c(
            "mbi_xip_signed_chain_tz.bin",
            Xip,
            Signed,
            0,
            true,
            false,
            Some("isk_rsa2048.pem"),
            0x0004,
        ),
        c(
            "mbi_xip_signed_tzcustom.bin",
            Xip,
            Signed,
            0,
            true,
            true,
            Some("rotk0_rsa2048.pem"),
            0x2004,
        ),
    ]
}

#[test]
fn lpc55s69_vectors_decode_verify_and_rebuild_byte_identically() {
    let fam = family("lpc55s69").unwrap();
    let app = read("app/app.bin");
    let rkth = from_hex(RKTH).unwrap();
    for c in cases() {
        let want = read(&format!("mbi_lpc55s69/out/{}", c.file));
        let m = Mbi::decode(&want, fam).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert_eq!((m.auth, m.flags), (c.auth, c.flags), "{}", c.file);
        assert_eq!(m.load_address, c.load, "{}", c.file);
        m.verify(Some(&rkth))
            .unwrap_or_else(|e| panic!("{}: {e}", c.file));
        // The wrong RKTH is refused.
        let mut other = rkth.clone();
        other[0] ^= 1;
        if c.auth == Auth::Signed {
            assert!(m.verify(Some(&other)).is_err(), "{}", c.file);
            let s = m.signed.as_ref().unwrap();
            assert_eq!(s.app_len, 1004, "{}", c.file);
            assert_eq!(&m.app()[..], &want[..1004], "{}", c.file);
        }
        let signer = c.signer.map(signer);
        let spec = MbiSpec {
            target: c.target,
            auth: c.auth,
            app: app.clone(),
            load_address: c.load,
            tz_preset: c.tz_custom.then(|| read("mbi_lpc55s69/out/tz_custom.bin")),
            trust_zone: c.trust_zone,
            cert_block: m.signed.as_ref().map(|s| s.cert_block.clone()),
            signer: signer.as_ref().map(|s| s as &dyn Signer),
            ..MbiSpec::default()
        };
        let got = spec
            .build(fam)
            .unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert!(got == want, "{}: rebuilt image differs", c.file);
    }
}

#[test]
fn crc_and_tz_preset_vectors() {
    assert_eq!(
        image_crc(&read("mbi_lpc55s69/out/mbi_xip_crc.bin")),
        0x7A09_EE8D
    );
    // tz_custom.yaml sets one register; nxpimage tz export made tz_custom.bin.
    let want = read("mbi_lpc55s69/out/tz_custom.bin");
    let by_name = tz::preset_from_values(
        "lpc55s6x",
        &[(
            "CM33 Secure vector table address (cm33_vtor_addr)".into(),
            0x1000_0000,
        )],
    )
    .unwrap();
    assert_eq!(by_name, want);
    let by_uid = tz::preset_from_values("lpc55s6x", &[("FIELD000".into(), 0x1000_0000)]).unwrap();
    assert_eq!(by_uid, want);
    assert!(!tz::is_reset("lpc55s6x", &want).unwrap());
    assert_eq!(
        tz::changed("lpc55s6x", &want).unwrap(),
        vec![(
            "CM33 Secure vector table address (cm33_vtor_addr)",
            0x1000_0000
        )]
    );
    assert!(tz::preset_from_values("lpc55s6x", &[("no such register".into(), 1)]).is_err());
    assert!(
        tz::preset_from_values(
            "lpc55s6x",
            &[("field000".into(), 1), ("field000".into(), 2)]
        )
        .is_err()
    );
    // Every register set has the size its families declare.
    for f in crate::family::image_families() {
        let mbi = &f.secure_boot.as_ref().unwrap().mbi;
        if let Some(set) = &mbi.tz_registers {
            assert_eq!(
                tz::reset_preset(set).unwrap().len(),
                mbi.tz_preset_size as usize,
                "{}",
                f.name
            );
        }
    }
}

#[test]
fn yaml_text_preset_is_refused() {
    let fam = family("lpc55s69").unwrap();
    let bug = read("mbi_lpc55s69/out/BUG_mbi_xip_signed_tz_yaml_text_embedded.bin");
    let e = Mbi::decode(&bug, fam).unwrap_err();
    assert!(e.to_string().contains("text"), "{e}");
    // And a text preset is not built either.
    let mut text = b"# preset\nfamily: lpc55s69\ntrustZonePreset:\n  a: 1\n".to_vec();
    text.resize(464, 0);
    let s = signer("rotk0_rsa2048.pem");
    let good = read("mbi_lpc55s69/out/mbi_xip_signed.bin");
    let cb = Mbi::decode(&good, fam).unwrap().signed.unwrap().cert_block;
    let e = MbiSpec {
        auth: Auth::Signed,
        app: read("app/app.bin"),
        trust_zone: true,
        tz_preset: Some(text),
        cert_block: Some(cb),
        signer: Some(&s),
        ..MbiSpec::default()
    }
    .build(fam)
    .unwrap_err();
    assert!(e.to_string().contains("text"), "{e}");
}

/// Flipping any bit of the application, the header words, the certificate block or the
/// signature of a signed image is caught; so is truncation at any length.
#[test]
fn tampering_and_truncation_are_caught() {
    let fam = family("lpc55s69").unwrap();
    let rkth = from_hex(RKTH).unwrap();
    for file in [
        "mbi_xip_signed.bin",
        "mbi_xip_signed_chain_tz.bin",
        "mbi_xip_signed_tzcustom.bin",
    ] {
        let img = read(&format!("mbi_lpc55s69/out/{file}"));
        let accepted = |t: &[u8]| {
            Mbi::decode(t, fam)
                .map(|m| m.verify(Some(&rkth)).is_ok())
                .unwrap_or(false)
        };
        assert!(accepted(&img));
        for i in 0..img.len() {
            let mut t = img.clone();
            t[i] ^= 1 << (i % 8);
            assert!(!accepted(&t), "{file}: flip at 0x{i:X} accepted");
        }
        for n in 0..img.len() {
            assert!(!accepted(&img[..n]), "{file}: truncated to {n} accepted");
        }
        let mut longer = img.clone();
        longer.extend_from_slice(&[0; 4]);
        assert!(!accepted(&longer), "{file}: trailing bytes accepted");
    }
    let crc = read("mbi_lpc55s69/out/mbi_xip_crc.bin");
    for i in (0..crc.len()).step_by(7) {
        let mut t = crc.clone();
        t[i] ^= 0x80;
        let ok = Mbi::decode(&t, fam)
            .map(|m| m.verify(None).is_ok())
            .unwrap_or(false);
        assert!(!ok, "crc: flip at 0x{i:X} accepted");
    }
}

fn rsa_cert_block(chain: bool) -> (CertBlock, &'static str) {
    let certs = dir().join("certs");
    let der = |n: &str| std::fs::read(certs.join(n)).unwrap();
    let spec = CertBlockV1Spec {
        build_number: 3,
        root_certs: vec![
            der(if chain {
                "root0_rsa_ca_cert.der"
            } else {
                "root0_rsa_cert.der"
            }),
            der("root1_rsa_cert.der"),
        ],
        used_root: Some(0),
        chain: if chain {
            vec![der("isk_rsa_cert.der")]
        } else {
            Vec::new()
        },
    };
    let key = if chain {
        "isk_rsa2048.pem"
    } else {
        "rotk0_rsa2048.pem"
    };
    (spec.build(None).unwrap().into(), key)
}

#[test]
fn rt595s_images_round_trip_with_reloc_table_hmac_and_key_store() {
    let fam = family("mimxrt595s").unwrap();
    let app = read("app/app.bin");
    let master = Zeroizing::new([0x5Au8; 32]);
    let (cb, key) = rsa_cert_block(true);
    let s = signer(key);
    let table = vec![
        RelocEntry {
            dst: 0x2010_0000,
            data: vec![0xA1; 37],
        },
        RelocEntry {
            dst: 0x2020_0000,
            data: vec![0xB2; 64],
        },
    ];
    let ks: Vec<u8> = (0..KEY_STORE_LEN).map(|i| i as u8).collect();
    let mut preset = tz::reset_preset("rt5xx").unwrap();
    preset[8] = 0x77;
    let spec = MbiSpec {
        target: Target::LoadToRam,
        auth: Auth::Signed,
        app: app.clone(),
        load_address: 0x2008_0000,
        trust_zone: true,
        tz_preset: Some(preset.clone()),
        hw_user_keys: true,
        app_table: table.clone(),
        hmac_key: Some(master.clone()),
        key_store: Some(ks.clone()),
        cert_block: Some(cb.clone()),
        signer: Some(&s),
        ..MbiSpec::default()
    };
    let img = spec.build(fam).unwrap();
    let m = Mbi::decode(&img, fam).unwrap();
    assert_eq!(
        m.flags,
        image_type::SIGNED_RAM
            | FLAG_HW_USER_KEYS
            | FLAG_RELOC_TABLE
            | FLAG_KEY_STORE
            | (tz_type::CUSTOM << TZ_SHIFT)
    );
    m.verify(Some(&cb.rkth())).unwrap();
    m.verify_hmac(&master).unwrap();
    assert!(matches!(m.verify_hmac(&[0x5B; 32]), Err(MbiError::Hmac)));
    let sp = m.signed.as_ref().unwrap();
    assert_eq!(sp.key_store, Some(&ks[..]));
    assert_eq!(m.tz_preset, Some(&preset[..]));
    let r = m.reloc.as_ref().unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].src, r[0].dst, r[0].size), (1004, 0x2010_0000, 37));
    assert_eq!((r[1].src, r[1].size), (1004 + 40, 64));
    assert_eq!(
        m.image.len(),
        1004 + 40
            + 64
            + 2 * 16
            + 16
            + cb.encode().len()
            + preset.len()
            + HMAC_LEN
            + KEY_STORE_LEN
            + 256
    );
    // The HMAC covers the first 0x40 bytes: changing the load address breaks it (and the
    // signature).
    let mut t = img.clone();
    t[IVT_LOAD_ADDRESS] ^= 4;
    let mt = Mbi::decode(&t, fam).unwrap();
    assert!(matches!(mt.verify_hmac(&master), Err(MbiError::Hmac)));
    assert!(mt.verify(None).is_err());
    // The HMAC key is required; a key store needs 1424 bytes.
    let e = MbiSpec {
        hmac_key: None,
        ..clone_spec(&spec)
    }
    .build(fam)
    .unwrap_err();
    assert!(e.to_string().contains("HMAC key"), "{e}");
    let e = MbiSpec {
        key_store: Some(vec![0; 16]),
        ..clone_spec(&spec)
    }
    .build(fam)
    .unwrap_err();
    assert!(e.to_string().contains("key store"), "{e}");
    // CRC load-to-RAM with a table; plain XIP with the HW key flag.
    for (t, a, tbl) in [
        (Target::LoadToRam, Auth::Crc, table.clone()),
        (Target::LoadToRam, Auth::Plain, Vec::new()),
        (Target::Xip, Auth::Plain, Vec::new()),
        (Target::Xip, Auth::Signed, Vec::new()),
    ] {
        let img = MbiSpec {
            target: t,
            auth: a,
            app: app.clone(),
            load_address: 0x0800_1000,
            hw_user_keys: true,
            app_table: tbl.clone(),
            cert_block: (a == Auth::Signed).then(|| cb.clone()),
            signer: (a == Auth::Signed).then_some(&s as &dyn Signer),
            ..MbiSpec::default()
        }
        .build(fam)
        .unwrap_or_else(|e| panic!("{t:?} {a:?}: {e}"));
        let m = Mbi::decode(&img, fam).unwrap();
        assert_eq!((m.target, m.auth), (t, a));
        assert!(m.hw_user_keys);
        assert_eq!(m.tz_type, tz_type::DISABLED);
        assert_eq!(
            m.reloc.as_ref().map(Vec::len),
            (!tbl.is_empty()).then_some(2)
        );
        m.verify(None).unwrap();
        assert!(m.signed.as_ref().is_none_or(|s| s.hmac.is_none()));
    }
}

fn clone_spec<'a>(s: &MbiSpec<'a>) -> MbiSpec<'a> {
    MbiSpec {
        target: s.target,
        auth: s.auth,
        app: s.app.clone(),
        load_address: s.load_address,
        image_version: s.image_version,
        firmware_version: s.firmware_version,
        subtype: s.subtype,
        tz_preset: s.tz_preset.clone(),
        trust_zone: s.trust_zone,
        hw_user_keys: s.hw_user_keys,
        app_table: s.app_table.clone(),
        hmac_key: s.hmac_key.clone(),
        key_store: s.key_store.clone(),
        ctr_iv: s.ctr_iv,
        cert_block: s.cert_block.clone(),
        signer: s.signer,
    }
}

/// Encrypted RT5xx images (byte equality with SPSDK is checked live in
/// tests/sbgen_mbi_encrypted.rs): decode, signature, HMAC and decryption round trip; the
/// key-store variant encrypts with the key itself; a wrong key is refused.
#[test]
fn encrypted_images_decrypt_with_the_key_only() {
    let fam = image_family("mimxrt595s").unwrap();
    let (cb, key) = rsa_cert_block(false);
    let s = signer(key);
    let master = [0x5Au8; 32];
    let app = read("app/app.bin");
    for ks in [None, Some(vec![0xA5u8; KEY_STORE_LEN])] {
        let img = MbiSpec {
            target: Target::LoadToRam,
            auth: Auth::Encrypted,
            app: app.clone(),
            load_address: 0x2008_0000,
            hmac_key: Some(Zeroizing::new(master)),
            key_store: ks.clone(),
            ctr_iv: Some([7; CTR_IV_LEN]),
            cert_block: Some(cb.clone()),
            signer: Some(&s),
            ..MbiSpec::default()
        }
        .build(fam)
        .unwrap();
        assert_eq!(img[0x24] & 0x3F, 0x03);
        assert_ne!(&img[0x100..0x140], &app[0x100 - 0x20..0x140 - 0x20]);
        let m = Mbi::decode(&img, fam).unwrap();
        assert_eq!(m.auth, Auth::Encrypted);
        m.verify(None).unwrap();
        m.verify_hmac(&master).unwrap();
        let d = m.decrypt(&master).unwrap();
        assert_eq!(&d.app[0x38..app.len()], &app[0x38..]);
        assert!(matches!(m.decrypt(&[0x5B; 32]), Err(MbiError::Decrypt)));
        assert!(matches!(m.verify_hmac(&[0x5B; 32]), Err(MbiError::Hmac)));
        let mut t = img.clone();
        let last = t.len() - 300;
        t[last] ^= 1;
        let mt = Mbi::decode(&t, fam).unwrap();
        assert!(matches!(mt.verify(None), Err(MbiError::Signature(_))));
        for n in [0, 0x40, img.len() / 2, img.len() - 1] {
            assert!(Mbi::decode(&img[..n], fam).is_err(), "{n}");
        }
    }
    // Applications shorter than 0x40 cannot be laid out.
    let e = MbiSpec {
        target: Target::LoadToRam,
        auth: Auth::Encrypted,
        app: app[..0x3C].to_vec(),
        hmac_key: Some(Zeroizing::new(master)),
        cert_block: Some(cb.clone()),
        signer: Some(&s),
        ..MbiSpec::default()
    }
    .build(fam);
    assert!(matches!(e, Err(MbiError::Build(_))), "{e:?}");
}

#[test]
fn family_rules_are_enforced() {
    let app = read("app/app.bin");
    let (cb, key) = rsa_cert_block(false);
    let s = signer(key);
    let base = MbiSpec {
        auth: Auth::Signed,
        app: app.clone(),
        cert_block: Some(cb.clone()),
        signer: Some(&s),
        ..MbiSpec::default()
    };
    let lpc = family("lpc55s69").unwrap();
    // LPC55S6x: no HW key flag, no relocation table, no HMAC, no image version, no plain RAM.
    for spec in [
        MbiSpec {
            hw_user_keys: true,
            ..clone_spec(&base)
        },
        MbiSpec {
            image_version: 2,
            ..clone_spec(&base)
        },
        MbiSpec {
            hmac_key: Some(Zeroizing::new([1; 32])),
            ..clone_spec(&base)
        },
        MbiSpec {
            target: Target::LoadToRam,
            auth: Auth::Plain,
            ..clone_spec(&base)
        },
    ] {
        assert!(spec.build(lpc).is_err());
    }
    // A v2.1 block on a v1 family, and the wrong signer.
    let other = signer("rotk1_rsa2048.pem");
    assert!(matches!(
        MbiSpec {
            signer: Some(&other),
            ..clone_spec(&base)
        }
        .build(lpc),
        Err(MbiError::SignerMismatch(_))
    ));
    // lpc55s16 (image-only family): HW keys on XIP; lpc55s26 has no TrustZone preset.
    let s16 = image_family("lpc55s14").unwrap();
    assert!(s16.device.is_none());
    let img = MbiSpec {
        hw_user_keys: true,
        trust_zone: true,
        ..clone_spec(&base)
    }
    .build(s16)
    .unwrap();
    let m = Mbi::decode(&img, s16).unwrap();
    assert_eq!(m.flags, image_type::SIGNED_XIP | FLAG_HW_USER_KEYS);
    m.verify(Some(&cb.rkth())).unwrap();
    // The same image is not an lpc55s69 image (flag 0x1000).
    assert!(Mbi::decode(&img, lpc).is_err());
    let s26 = image_family("lpc55s28").unwrap();
    assert!(
        MbiSpec {
            trust_zone: true,
            ..clone_spec(&base)
        }
        .build(s26)
        .is_err()
    );
    let img = base.build(s26).unwrap();
    Mbi::decode(&img, s26).unwrap().verify(None).unwrap();
    // A preset equal to the reset values means the ROM default preset: not embedded.
    let img = MbiSpec {
        trust_zone: true,
        tz_preset: Some(tz::reset_preset("lpc55s6x").unwrap()),
        ..clone_spec(&base)
    }
    .build(lpc)
    .unwrap();
    let m = Mbi::decode(&img, lpc).unwrap();
    assert_eq!((m.tz_type, m.tz_preset), (tz_type::DEFAULT, None));
    // ... and a preset with enableTrustZone false is not used at all.
    let img = MbiSpec {
        trust_zone: false,
        tz_preset: Some(read("mbi_lpc55s69/out/tz_custom.bin")),
        ..clone_spec(&base)
    }
    .build(lpc)
    .unwrap();
    assert_eq!(Mbi::decode(&img, lpc).unwrap().tz_type, tz_type::DISABLED);
    // A signed LPC55S6x load-to-RAM image has the XIP type; the RT595S one has 0x01.
    let ram = MbiSpec {
        target: Target::LoadToRam,
        load_address: 0x2000_0000,
        ..clone_spec(&base)
    };
    assert_eq!(ram.flags(lpc).unwrap() & 0x3F, image_type::SIGNED_XIP);
    let rt = family("mimxrt595s").unwrap();
    assert_eq!(ram.flags(rt).unwrap() & 0x3F, image_type::SIGNED_RAM);
}

#[test]
fn rkth_of_the_vector_keys() {
    let keys: Vec<PublicKey> = (0..4)
        .map(|i| PublicKey::from_file(&dir().join(format!("keys/rotk{i}_rsa2048.pub"))).unwrap())
        .collect();
    assert_eq!(rkth_of_keys(&keys).unwrap(), from_hex(RKTH).unwrap());
    assert_eq!(read("rkth/rkth_lpc55s69.bin"), from_hex(RKTH).unwrap());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

        /// Mutated and truncated v1 images: decode and verify never panic.
        #[test]
        fn mutated_v1_images(pos in 0usize..2900, val in any::<u8>(), cut in 0usize..3000, word in any::<u32>(), at in 0usize..16, which in 0usize..3) {
            let file = ["mbi_xip_signed.bin", "mbi_xip_signed_chain_tz.bin", "mbi_xip_crc.bin"][which];
            let mut img = read(&format!("mbi_lpc55s69/out/{file}"));
            let p = pos % img.len();
            img[p] = val;
            let w = [IVT_LENGTH, IVT_FLAGS, IVT_CRC_OR_CERT, IVT_LOAD_ADDRESS][at % 4];
            if at >= 4 {
                img[w..w + 4].copy_from_slice(&word.to_le_bytes());
            }
            img.truncate(cut.min(img.len()));
            for name in ["lpc55s69", "mimxrt595s", "lpc55s16", "lpc55s26"] {
                let fam = image_family(name).unwrap();
                if let Ok(m) = Mbi::decode(&img, fam) {
                    let _ = m.verify(None);
                    let _ = m.verify_hmac(&[0; 32]);
                    let _ = m.app();
                    let _ = m.to_string();
                }
            }
        }
    }
}
