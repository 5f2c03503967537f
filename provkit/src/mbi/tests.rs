//! MBIs against the SPSDK 3.12 vectors (`tests/vectors/mbi/`).

use super::*;
use crate::codec::from_hex;
use crate::crypto::LocalSigner;
use crate::family::family;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const RKTH4: &str = "adde4378f3d97d1226c01a175e02d5aaaf6cc4162d710d2d973be6b5597e3a5f";

struct Case {
    family: &'static str,
    file: &'static str,
    auth: Auth,
    image_version: u16,
    firmware_version: u32,
    tz: bool,
    signer: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            family: "lpc55s36",
            file: "mbi_lpc55s36/out/mbi_xip_plain.bin",
            auth: Auth::Plain,
            image_version: 0,
            firmware_version: 0,
            tz: false,
            signer: None,
        },
        Case {
            family: "lpc55s36",
            file: "mbi_lpc55s36/out/mbi_xip_crc.bin",
            auth: Auth::Crc,
            image_version: 0,
            firmware_version: 0,
            tz: false,
            signer: None,
        },
        Case {
            family: "lpc55s36",
            file: "mbi_lpc55s36/out/mbi_xip_signed_noisk.bin",
            auth: Auth::Signed,
            image_version: 0,
            firmware_version: 0,
            tz: false,
            signer: Some("rotk0_p256.pem"),
        },
        Case {
            family: "lpc55s36",
            file: "mbi_lpc55s36/out/mbi_xip_signed_isk.bin",
            auth: Auth::Signed,
            image_version: 3,
            firmware_version: 7,
            tz: false,
            signer: Some("isk_p256.pem"),
        },
        Case {
            family: "lpc55s36",
            file: "mbi_lpc55s36/out/mbi_xip_signed_noisk_tzcustom.bin",
            auth: Auth::Signed,
            image_version: 0,
            firmware_version: 0,
            tz: true,
            signer: Some("rotk0_p256.pem"),
        },
        Case {
            family: "mcxn947",
            file: "mbi_mcxn947/out/mbi_xip_signed_isk.bin",
            auth: Auth::Signed,
            image_version: 3,
            firmware_version: 7,
            tz: false,
            signer: Some("isk_p256.pem"),
        },
    ]
}

#[test]
fn spsdk_images_decode_verify_and_rebuild_identically_but_the_signature() {
    let app = read("app/app.bin");
    let rkth = from_hex(RKTH4).unwrap();
    for c in cases() {
        let fam = family(c.family).unwrap();
        let want = read(c.file);
        let m = Mbi::decode(&want, fam).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert_eq!(m.auth, c.auth, "{}", c.file);
        m.verify(Some(&rkth))
            .unwrap_or_else(|e| panic!("{}: {e}", c.file));
        let signer = c
            .signer
            .map(|s| LocalSigner::from_file(&dir().join("keys").join(s)).unwrap());
        let spec = MbiSpec {
            target: Target::Xip,
            auth: c.auth,
            app: app.clone(),
            load_address: 0,
            image_version: c.image_version,
            firmware_version: c.firmware_version,
            subtype: 0,
            tz_preset: c.tz.then(|| read("mbi_lpc55s36/out/tz_custom.bin")),
            cert_block: m.signed.as_ref().map(|s| s.cert_block.clone()),
            signer: signer.as_ref().map(|s| s as &dyn Signer),
            ..MbiSpec::default()
        };
        let got = spec
            .build(fam)
            .unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert_eq!(got.len(), want.len(), "{}", c.file);
        let sig_at = m
            .signed
            .as_ref()
            .map(|s| s.signed.len())
            .unwrap_or(want.len());
        assert_eq!(got[..sig_at], want[..sig_at], "{}", c.file);
        Mbi::decode(&got, fam).unwrap().verify(Some(&rkth)).unwrap();
    }
}

#[test]
fn tampering_is_caught() {
    let fam = family("mcxn947").unwrap();
    let img = read("mbi_mcxn947/out/mbi_xip_signed_isk.bin");
    let rkth = from_hex(RKTH4).unwrap();
    for i in (0..img.len()).step_by(3) {
        let mut t = img.clone();
        t[i] ^= 0x10;
        let ok = Mbi::decode(&t, fam)
            .ok()
            .map(|m| m.verify(Some(&rkth)).is_ok())
            .unwrap_or(false);
        assert!(!ok, "flip at {i} accepted");
    }
    let crc = read("mbi_lpc55s36/out/mbi_xip_crc.bin");
    let fam = family("lpc55s36").unwrap();
    let mut t = crc.clone();
    t[0x100] ^= 1;
    assert!(matches!(
        Mbi::decode(&t, fam).unwrap().verify(None),
        Err(MbiError::Crc { .. })
    ));
    for n in [0, 0x37, 0x100, crc.len() - 1] {
        let r = Mbi::decode(&crc[..n], fam).and_then(|m| m.verify(None));
        assert!(r.is_err(), "truncated to {n}");
    }
}

#[test]
fn rw612_load_to_ram_signed_round_trip() {
    let fam = family("rw612").unwrap();
    let keys = dir().join("keys");
    let s = LocalSigner::from_file(&keys.join("rotk0_p256.pem")).unwrap();
    let cb = crate::certblock::CertBlockSpec {
        root_keys: vec![crate::crypto::PublicKey::from_file(&keys.join("rotk0_p256.pub")).unwrap()],
        used_root: 0,
        isk: None,
        root_signer: None,
    }
    .build()
    .unwrap();
    let img = MbiSpec {
        target: Target::LoadToRam,
        auth: Auth::Signed,
        app: read("app/app.bin"),
        load_address: 0x2000_0000,
        image_version: 0,
        firmware_version: 2,
        subtype: 0,
        tz_preset: None,
        cert_block: Some(cb.clone().into()),
        signer: Some(&s),
        ..MbiSpec::default()
    }
    .build(fam)
    .unwrap();
    let m = Mbi::decode(&img, fam).unwrap();
    assert_eq!(m.flags & 0x3F, image_type::SIGNED_RAM);
    assert_eq!(m.load_address, 0x2000_0000);
    m.verify(Some(&cb.rkth())).unwrap();
    // lpc55s36 has no signed load-to-RAM image.
    let e = MbiSpec {
        target: Target::LoadToRam,
        auth: Auth::Signed,
        app: read("app/app.bin"),
        load_address: 0x2000_0000,
        image_version: 0,
        firmware_version: 0,
        subtype: 0,
        tz_preset: None,
        cert_block: Some(cb.into()),
        signer: Some(&s),
        ..MbiSpec::default()
    }
    .build(family("lpc55s36").unwrap())
    .unwrap_err();
    assert!(matches!(e, MbiError::Unsupported { .. }), "{e}");
}

#[test]
fn crc_values_match_the_reference() {
    assert_eq!(
        image_crc(&read("mbi_lpc55s36/out/mbi_xip_crc.bin")),
        0x52A0_7B07
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

        /// Mutated and truncated vectors: decode and verify never panic.
        #[test]
        fn mutated_images(pos in 0usize..1440, val in any::<u8>(), cut in 0usize..1500, word in any::<u32>(), at in 0usize..16) {
            let mut img = read("mbi_mcxn947/out/mbi_xip_signed_isk.bin");
            let p = pos % img.len();
            img[p] = val;
            // Also hit the header words with arbitrary values.
            let w = [IVT_LENGTH, IVT_FLAGS, IVT_CRC_OR_CERT, IVT_LOAD_ADDRESS][at % 4];
            if at >= 4 {
                img[w..w + 4].copy_from_slice(&word.to_le_bytes());
            }
            img.truncate(cut.min(img.len()));
            for name in ["lpc55s36", "mcxn947", "rw612"] {
                let fam = family(name).unwrap();
                if let Ok(m) = Mbi::decode(&img, fam) {
                    let _ = m.verify(None);
                    let _ = m.app();
                }
            }
        }
    }
}
