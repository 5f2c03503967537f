//! Certificate block v2.1 against the SPSDK 3.12 vectors (`tests/vectors/sb31/out/cert_block_*.bin`).

use super::*;
use crate::codec::{from_hex, to_hex};
use crate::crypto::{KeyType, LocalSigner, PrivateKey};
use std::path::PathBuf;

fn vec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sb31")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vec_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn pubkey(name: &str) -> PublicKey {
    PublicKey::from_file(&vec_dir().join("keys").join(name)).unwrap()
}

fn signer(name: &str) -> LocalSigner {
    LocalSigner::from_file(&vec_dir().join("keys").join(name)).unwrap()
}

const RKTH_P256_1: &str = "524a113f9259cf06f145b0dfa27dfae232788c04e1c2e32416c09b0d6a3b42fb";
const RKTH_P384_4: &str = "dfbb8b7c55a4560b464b4ff5af79194bf25b108a9a31cb384904c4d7206a4b5d09930cd8bcad146d29fe5d405c41552f";
const RKTH_P384_2: &str = "4acff9ab62c08064dd8badbfd0a64d83bae34aa1ca8a698ed4eda5d929aeb5f39082f6cf8e8b8d5965fc62bd436f1caf";
const RKTH_P256_4: &str = "61ee320b7654581a1415badaae68f9262fb008b5b35527a14af736fafd1d2215";

#[test]
fn spsdk_cert_blocks_decode_reencode_and_verify() {
    for (name, rkth, size, flags) in [
        ("A", RKTH_P256_1, 80, 0x8000_0011u32),
        ("B", RKTH_P384_4, 524, 0x0000_0142),
        ("C", RKTH_P384_2, 380, 0x0000_0022),
        ("E", RKTH_P256_1, 220, 0x0000_0011),
        ("F", RKTH_P256_4, 208, 0x8000_0241),
    ] {
        let bin = read(&format!("out/cert_block_{name}.bin"));
        assert_eq!(bin.len(), size, "{name}");
        let cb = CertBlockV21::decode(&bin).unwrap();
        assert_eq!(cb.rkr_flags(), flags, "{name}");
        assert_eq!(cb.encode(), bin, "{name}: re-encode");
        assert_eq!(to_hex(&cb.rkth()), rkth, "{name}");
        let v = cb.verify(Some(&from_hex(rkth).unwrap())).unwrap();
        assert_eq!(v.rkth, from_hex(rkth).unwrap());
        let mut wrong = from_hex(rkth).unwrap();
        wrong[0] ^= 1;
        assert!(matches!(
            cb.verify(Some(&wrong)),
            Err(CertBlockError::RkthMismatch { .. })
        ));
    }
}

#[test]
fn rkth_of_key_sets() {
    let p256: Vec<PublicKey> = (0..4)
        .map(|i| pubkey(&format!("rot_p256_{i}.pub")))
        .collect();
    let p384: Vec<PublicKey> = (0..4)
        .map(|i| pubkey(&format!("rot_p384_{i}.pub")))
        .collect();
    assert_eq!(to_hex(&rkth_of_keys(&p256[..1]).unwrap()), RKTH_P256_1);
    assert_eq!(to_hex(&rkth_of_keys(&p256).unwrap()), RKTH_P256_4);
    assert_eq!(to_hex(&rkth_of_keys(&p384[..2]).unwrap()), RKTH_P384_2);
    assert_eq!(to_hex(&rkth_of_keys(&p384).unwrap()), RKTH_P384_4);
    let mixed = vec![p256[0].clone(), p384[0].clone()];
    assert!(matches!(
        rkth_of_keys(&mixed),
        Err(CertBlockError::MixedCurves { .. })
    ));
    assert!(matches!(
        rkth_of_keys(&[]),
        Err(CertBlockError::KeyCount(0))
    ));
}

#[test]
fn built_blocks_match_spsdk_except_the_isk_signature() {
    // A: 1 x P-256, no ISK: byte-identical.
    let a = CertBlockSpec {
        root_keys: vec![pubkey("rot_p256_0.pub")],
        used_root: 0,
        isk: None,
        root_signer: None,
    }
    .build()
    .unwrap();
    assert_eq!(a.encode(), read("out/cert_block_A.bin"));
    // F: 4 x P-256, used 2, no ISK.
    let f = CertBlockSpec {
        root_keys: (0..4)
            .map(|i| pubkey(&format!("rot_p256_{i}.pub")))
            .collect(),
        used_root: 2,
        isk: None,
        root_signer: None,
    }
    .build()
    .unwrap();
    assert_eq!(f.encode(), read("out/cert_block_F.bin"));
    // B: 4 x P-384, used 1, P-384 ISK, constraint 5, 16 bytes of user data.
    let s = signer("rot_p384_1.pem");
    let b = CertBlockSpec {
        root_keys: (0..4)
            .map(|i| pubkey(&format!("rot_p384_{i}.pub")))
            .collect(),
        used_root: 1,
        isk: Some(IskSpec {
            key: pubkey("isk_p384.pub"),
            constraints: 5,
            user_data: read("inputs/isk_user_data.bin"),
        }),
        root_signer: Some(&s),
    }
    .build()
    .unwrap();
    let want = read("out/cert_block_B.bin");
    let got = b.encode();
    assert_eq!(got.len(), want.len());
    let sig_at = want.len() - 96;
    assert_eq!(got[..sig_at], want[..sig_at]);
    b.verify(Some(&from_hex(RKTH_P384_4).unwrap())).unwrap();
    // C: P-384 roots with a P-256 ISK (smaller ISK is fine).
    let s = signer("rot_p384_0.pem");
    let c = CertBlockSpec {
        root_keys: vec![pubkey("rot_p384_0.pub"), pubkey("rot_p384_1.pub")],
        used_root: 0,
        isk: Some(IskSpec {
            key: pubkey("isk_p256.pub"),
            constraints: 0,
            user_data: Vec::new(),
        }),
        root_signer: Some(&s),
    }
    .build()
    .unwrap();
    let want = read("out/cert_block_C.bin");
    assert_eq!(c.encode()[..want.len() - 96], want[..want.len() - 96]);
    assert_eq!(c.signature_len(), 64);
}

#[test]
fn builder_rejects_what_the_rom_would_not_take() {
    let s = signer("rot_p256_0.pem");
    // P-384 ISK under a P-256 root: SPSDK accepts it (quirk q3), we do not.
    let e = CertBlockSpec {
        root_keys: vec![pubkey("rot_p256_0.pub")],
        used_root: 0,
        isk: Some(IskSpec {
            key: pubkey("isk_p384.pub"),
            constraints: 0,
            user_data: Vec::new(),
        }),
        root_signer: Some(&s),
    }
    .build()
    .unwrap_err();
    assert!(
        matches!(e, CertBlockError::IskCurveLargerThanRoot { .. }),
        "{e}"
    );
    // Wrong root signer.
    let other = signer("rot_p256_1.pem");
    let e = CertBlockSpec {
        root_keys: vec![pubkey("rot_p256_0.pub")],
        used_root: 0,
        isk: Some(IskSpec {
            key: pubkey("isk_p256.pub"),
            constraints: 0,
            user_data: Vec::new(),
        }),
        root_signer: Some(&other),
    }
    .build()
    .unwrap_err();
    assert!(matches!(e, CertBlockError::SignerMismatch { .. }), "{e}");
    // User data too long / misaligned.
    for n in [3, 100] {
        let e = CertBlockSpec {
            root_keys: vec![pubkey("rot_p256_0.pub")],
            used_root: 0,
            isk: Some(IskSpec {
                key: pubkey("isk_p256.pub"),
                constraints: 0,
                user_data: vec![0; n],
            }),
            root_signer: Some(&s),
        }
        .build()
        .unwrap_err();
        assert!(matches!(e, CertBlockError::UserData(_)), "{e}");
    }
    // RSA and P-521 keys, mixed curves, 5 keys, used root out of range.
    let rsa = PrivateKey::generate(KeyType::Rsa(2048))
        .unwrap()
        .public_key();
    let cases: Vec<(Vec<PublicKey>, usize)> = vec![
        (vec![rsa], 0),
        (vec![pubkey("rot_p256_0.pub"), pubkey("rot_p384_0.pub")], 0),
        (vec![pubkey("rot_p256_0.pub"); 5], 0),
        (vec![pubkey("rot_p256_0.pub"); 2], 2),
    ];
    for (keys, used) in cases {
        assert!(
            CertBlockSpec {
                root_keys: keys,
                used_root: used,
                isk: None,
                root_signer: None
            }
            .build()
            .is_err()
        );
    }
}

#[test]
fn tampering_is_caught() {
    let bin = read("out/cert_block_B.bin");
    let rkth = from_hex(RKTH_P384_4).unwrap();
    let mut rejected = 0;
    for i in 0..bin.len() {
        let mut t = bin.clone();
        t[i] ^= 0x01;
        let ok = CertBlockV21::decode(&t)
            .ok()
            .and_then(|cb| cb.verify(Some(&rkth)).ok())
            .is_some();
        if !ok {
            rejected += 1;
        }
    }
    // Every bit flip is caught, except flips in the constraints/user data area that the ISK
    // signature covers (those are caught by the signature) -- i.e. all of them.
    assert_eq!(rejected, bin.len());
}

#[test]
fn decoder_is_total() {
    let bin = read("out/cert_block_E.bin");
    for n in 0..bin.len() {
        assert!(CertBlockV21::decode(&bin[..n]).is_err(), "prefix {n}");
    }
    let mut longer = bin.clone();
    longer.push(0);
    assert!(CertBlockV21::decode(&longer).is_err());
    let (_, used) = CertBlockV21::decode_prefix(&longer).unwrap();
    assert_eq!(used, bin.len());
    // Size field pointing past the end, and absurd sizes.
    for size in [0u32, 11, 0xFFFF_FFFF] {
        let mut t = bin.clone();
        t[8..12].copy_from_slice(&size.to_le_bytes());
        assert!(CertBlockV21::decode(&t).is_err());
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

        /// Any bytes: no panic; whatever decodes re-encodes to the same bytes.
        #[test]
        fn decode_is_total_and_canonical(data in proptest::collection::vec(any::<u8>(), 0..700)) {
            if let Ok((cb, n)) = CertBlockV21::decode_prefix(&data) {
                prop_assert_eq!(cb.encode(), data[..n].to_vec());
                let _ = cb.verify(None);
            }
        }

        /// Valid blocks with random mutations: no panic.
        #[test]
        fn mutated_vectors(pos in 0usize..524, val in any::<u8>(), cut in 0usize..600) {
            let mut b = read("out/cert_block_B.bin");
            let p = pos % b.len();
            b[p] = val;
            b.truncate(cut.min(b.len()));
            if let Ok(cb) = CertBlockV21::decode(&b) {
                let _ = cb.verify(Some(&[0; 48]));
            }
        }
    }
}
