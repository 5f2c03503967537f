//! Property tests of the image format: every parser survives any input, built images
//! parse and re-encode byte-identically, and the bootloader model accepts exactly the
//! images whose signed region is intact.

use super::build::{
    Dependency, ImageHash, Input, KeyFormat, SecurityCounter, ShaChoice, SigAlg, SignOptions,
    Signing, sign,
};
use super::image::{Endian, McubootImage};
use super::validate::{BootConfig, validate};
use super::version::ImageVersion;
use super::{dumpinfo, verify};
use crate::crypto::{KeyType, LocalSigner, PrivateKey, Signer};
use proptest::prelude::*;
use std::sync::OnceLock;

fn ed25519() -> &'static LocalSigner {
    static K: OnceLock<LocalSigner> = OnceLock::new();
    K.get_or_init(|| LocalSigner::new(PrivateKey::generate(KeyType::Ed25519).unwrap(), "t"))
}

fn p256() -> &'static LocalSigner {
    static K: OnceLock<LocalSigner> = OnceLock::new();
    K.get_or_init(|| LocalSigner::new(PrivateKey::generate(KeyType::P256).unwrap(), "t"))
}

#[derive(Debug, Clone)]
struct Drawn {
    body: Vec<u8>,
    header: u32,
    version: (u8, u8, u16, u32),
    sec_cnt: Option<u32>,
    deps: Vec<(u8, u8)>,
    custom: Vec<(u16, Vec<u8>)>,
    key: u8,
    full_key: bool,
    sha512: bool,
    pad: bool,
    align: u32,
}

fn drawn() -> impl Strategy<Value = Drawn> {
    (
        prop::collection::vec(any::<u8>(), 1..3000),
        prop::sample::select(vec![32u32, 0x80, 0x200, 0x400]),
        any::<(u8, u8, u16, u32)>(),
        prop::option::of(any::<u32>()),
        prop::collection::vec((any::<u8>(), any::<u8>()), 0..3),
        prop::collection::btree_map(
            0xa0u16..0x3000,
            prop::collection::vec(any::<u8>(), 0..40),
            0..3,
        ),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![1u32, 4, 8, 16, 32]),
    )
        .prop_map(
            |(body, header, version, sec_cnt, deps, custom, key, full_key, sha512, pad, align)| {
                Drawn {
                    body,
                    header,
                    version,
                    sec_cnt,
                    deps,
                    custom: custom.into_iter().collect(),
                    key,
                    full_key,
                    sha512,
                    pad,
                    align,
                }
            },
        )
}

fn build(d: &Drawn) -> (Vec<u8>, BootConfig) {
    let (maj, min, rev, build) = d.version;
    let mut o = SignOptions::new(ImageVersion::new(maj, min, rev, build), d.header, 0x10_0000);
    o.pad_header = true;
    o.security_counter = d.sec_cnt.map(SecurityCounter::Value);
    o.dependencies = d
        .deps
        .iter()
        .map(|(id, m)| Dependency {
            image_id: *id,
            version: ImageVersion::new(*m, 0, 0, 0),
        })
        .collect();
    o.custom_tlvs = d.custom.clone();
    o.pad = d.pad;
    o.align = d.align;
    o.key_format = if d.full_key {
        KeyFormat::Full
    } else {
        KeyFormat::Hash
    };
    let signer: Option<&LocalSigner> = match d.key {
        1 => Some(ed25519()),
        2 => Some(p256()),
        _ => None,
    };
    if d.sha512 && d.key != 2 {
        o.sha = ShaChoice::Sha512;
    }
    let signing = match signer {
        Some(s) => Signing::Key(s),
        None => Signing::None,
    };
    let input = Input {
        data: d.body.clone(),
        base_addr: None,
    };
    let img = sign(&input, &o, &signing, &mut rand_core::OsRng).unwrap();
    let hash = if o.sha == ShaChoice::Sha512 {
        ImageHash::Sha512
    } else {
        ImageHash::Sha256
    };
    let mut cfg = match signer {
        Some(s) => {
            let pk = s.public_key().unwrap();
            let mut c =
                BootConfig::signed(SigAlg::for_key(pk.key_type()).unwrap(), vec![pk.clone()]);
            if d.full_key {
                let der = super::keyfmt::public_der(&pk).unwrap();
                c.hw_key_hash = Some(hash.digest(&der));
            }
            c
        }
        None => {
            let mut c = BootConfig::signed(SigAlg::Ed25519, Vec::new());
            c.sig = None;
            c
        }
    };
    cfg.hash = hash;
    (img.to_bin(), cfg)
}

fn slot_of(image: &[u8]) -> Vec<u8> {
    let mut s = image.to_vec();
    s.resize(0x10_0000, 0xff);
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(img) = McubootImage::parse(&data) {
            if img.endian == Endian::Little {
                prop_assert_eq!(img.encode().unwrap(), data.clone());
            }
        }
        let _ = verify::verify(&data, None);
        if let Ok(i) = dumpinfo::read("x", &data) {
            let _ = dumpinfo::human(&i);
            let _ = dumpinfo::json(&i);
            let _ = dumpinfo::yaml(&i);
        }
        let cfg = BootConfig::signed(SigAlg::Ed25519, Vec::new());
        let _ = validate(&data, data.len(), &cfg, false);
    }

    #[test]
    fn built_images_round_trip_and_boot(d in drawn()) {
        let (bytes, cfg) = build(&d);
        let img = McubootImage::parse(&bytes).unwrap();
        prop_assert_eq!(img.encode().unwrap(), bytes.clone());
        prop_assert_eq!(img.header.version, ImageVersion::new(d.version.0, d.version.1, d.version.2, d.version.3));
        prop_assert_eq!(img.security_counter(), d.sec_cnt);
        prop_assert_eq!(img.dependencies().len(), d.deps.len());
        let slot = slot_of(&bytes);
        let v = validate(&slot, slot.len() - 0x4000, &cfg, false);
        prop_assert!(v.is_ok(), "{:?}", v);
        let ok = matches!(verify::verify(&bytes, None), verify::VerifyOutcome::Ok { .. });
        prop_assert!(ok);
    }

    #[test]
    fn a_changed_signed_byte_is_rejected(d in drawn(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (bytes, cfg) = build(&d);
        let img = McubootImage::parse(&bytes).unwrap();
        let i = at.index(img.signed_len());
        let mut slot = slot_of(&bytes);
        slot[i] ^= 1 << bit;
        prop_assert!(validate(&slot, slot.len() - 0x4000, &cfg, false).is_err());
        let mut damaged = bytes.clone();
        damaged[i] ^= 1 << bit;
        let ok = matches!(verify::verify(&damaged, None), verify::VerifyOutcome::Ok { .. });
        prop_assert!(!ok);
        if let Ok(p) = McubootImage::parse(&damaged) {
            if p.endian == Endian::Little {
                prop_assert_eq!(p.encode().unwrap(), damaged);
            }
        }
    }

    #[test]
    fn truncations_never_panic(d in drawn(), cut in any::<prop::sample::Index>()) {
        let (bytes, cfg) = build(&d);
        let b = &bytes[..cut.index(bytes.len())];
        let _ = McubootImage::parse(b);
        let _ = verify::verify(b, None);
        let _ = dumpinfo::read("x", b);
        let _ = validate(b, b.len(), &cfg, false);
    }
}

#[test]
fn tlv_order_is_imgtools() {
    let mut o = SignOptions::new(ImageVersion::new(1, 2, 3, 4), 0x400, 0x10_0000);
    o.pad_header = true;
    o.security_counter = Some(SecurityCounter::Auto);
    o.boot_record = Some("CoFM".into());
    o.dependencies = vec![Dependency {
        image_id: 1,
        version: ImageVersion::new(1, 0, 0, 0),
    }];
    o.vid = Some("nxp.com".into());
    o.cid = Some("app".into());
    o.custom_tlvs = vec![(0xa0, vec![1]), (0xa1, vec![2])];
    let s = ed25519();
    let img = sign(
        &Input {
            data: vec![0; 100],
            base_addr: None,
        },
        &o,
        &Signing::Key(s),
        &mut rand_core::OsRng,
    )
    .unwrap();
    let p = McubootImage::parse(&img.image).unwrap();
    let kinds: Vec<u16> = p.protected.iter().map(|t| t.kind.0).collect();
    assert_eq!(kinds, [0x50, 0x60, 0x40, 0x74, 0x75, 0xa0, 0xa1]);
    let kinds: Vec<u16> = p.unprotected.iter().map(|t| t.kind.0).collect();
    assert_eq!(kinds, [0x10, 0x01, 0x24]);
}
