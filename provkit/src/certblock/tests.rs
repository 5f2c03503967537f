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

/// Certificate block v1 against the SPSDK 3.12 vectors (`tests/vectors/mbi/`).
mod v1 {
    use super::super::v1::{CertInfo, RKHT_LEN, certificate_der, rkth_of_table};
    use super::super::{CertBlockError, CertBlockV1, CertBlockV1Spec, rkh, rkth_of_keys};
    use crate::codec::{from_hex, to_hex};
    use crate::crypto::{KeyType, LocalSigner, PrivateKey, PublicKey, Signer};
    use std::path::PathBuf;
    use x509_cert::der::{Decode, Encode};

    fn dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
    }

    fn read(rel: &str) -> Vec<u8> {
        std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn cert(name: &str) -> Vec<u8> {
        read(&format!("certs/{name}.der"))
    }

    fn key(name: &str) -> PublicKey {
        PublicKey::from_file(&dir().join("keys").join(name)).unwrap()
    }

    fn signer(name: &str) -> LocalSigner {
        LocalSigner::from_file(&dir().join("keys").join(name)).unwrap()
    }

    fn le32(b: &[u8], at: usize) -> usize {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
    }

    /// The four root certificates of `cert_block_*.yaml` (root 0 as given).
    fn roots(root0: &str) -> Vec<Vec<u8>> {
        vec![
            cert(root0),
            cert("root1_rsa_cert"),
            cert("root2_rsa_cert"),
            cert("root3_rsa_cert"),
        ]
    }

    fn rkth_4() -> Vec<u8> {
        read("rkth/rkth_lpc55s69.bin")
    }

    /// The `rkth_independent.txt` line `RKH <path>: <hex>` for `name`.
    fn independent_rkh(name: &str) -> Vec<u8> {
        let text = String::from_utf8(read("rkth/rkth_independent.txt")).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("RKH ") && l.contains(name))
            .unwrap_or_else(|| panic!("{name} not in rkth_independent.txt"));
        from_hex(line.rsplit(": ").next().unwrap()).unwrap()
    }

    #[test]
    fn standalone_chain_block_is_byte_identical() {
        // cert_block_chain.yaml: CA root 0 + ISK leaf, roots 1..3, build 0x22.
        let want = read("mbi_lpc55s69/out/cert_block_chain_standalone.bin");
        let spec = CertBlockV1Spec {
            build_number: 0x22,
            root_certs: roots("root0_rsa_ca_cert"),
            used_root: Some(0),
            chain: vec![cert("isk_rsa_cert")],
        };
        let cb = spec.build(Some(&key("isk_rsa2048.pub"))).unwrap();
        assert_eq!(cb.encode(16), want);
        assert_eq!(cb.encoded_len(16), want.len());
        assert_eq!(cb.encoded_len(4), 1636);
        assert_eq!(cb.encode(4)[..], want[..1636]);
        let (d, n) = CertBlockV1::decode_prefix(&want).unwrap();
        assert_eq!(n, 1636);
        assert_eq!(d, cb);
        assert_eq!(d.rkth().to_vec(), rkth_4());
        assert_eq!(d.signature_len().unwrap(), 256);
        assert_eq!(d.signing_key().unwrap(), key("isk_rsa2048.pub"));
        assert_eq!(d.root_index(), Some(0));
        d.verify(Some(&rkth_4())).unwrap();
        // Every header field.
        assert_eq!(&want[..4], b"cert");
        assert_eq!(le32(&want, 0x10), 0x22);
        assert_eq!(le32(&want, 0x14), 0);
        assert_eq!(le32(&want, 0x18), 2);
        assert_eq!(le32(&want, 0x1C), d.table_len());
        // PEM certificates give the same block; the signer may be left out; with the root
        // key as signer (not the leaf) it is refused, naming both keys.
        let pem = CertBlockV1Spec {
            root_certs: vec![
                read("certs/root0_rsa_ca_cert.pem"),
                read("certs/root1_rsa_cert.pem"),
                read("certs/root2_rsa_cert.pem"),
                read("certs/root3_rsa_cert.pem"),
            ],
            chain: vec![read("certs/isk_rsa_cert.pem")],
            ..spec.clone()
        };
        assert_eq!(pem.build(None).unwrap(), cb);
        let e = spec.build(Some(&key("rotk0_rsa2048.pub"))).unwrap_err();
        assert!(matches!(e, CertBlockError::SignerNotLeaf { .. }), "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains(&to_hex(&independent_rkh("rotk0_rsa2048.pub"))),
            "{msg}"
        );
        assert!(
            msg.contains(&to_hex(&rkh(&key("isk_rsa2048.pub")).unwrap())),
            "{msg}"
        );
    }

    #[test]
    fn blocks_in_spsdk_images_and_sb21_decode_verify_and_reencode() {
        for (file, build, certs) in [
            ("mbi_lpc55s69/out/mbi_xip_signed.bin", 0x11, 1),
            ("mbi_lpc55s69/out/mbi_ram_signed.bin", 0x11, 1),
            ("mbi_lpc55s69/out/mbi_xip_signed_tzcustom.bin", 0x11, 1),
            ("mbi_lpc55s69/out/mbi_xip_signed_chain_tz.bin", 0x22, 2),
        ] {
            let img = read(file);
            let off = le32(&img, 0x28);
            let (cb, n) = CertBlockV1::decode_prefix(&img[off..]).unwrap();
            assert_eq!(cb.build_number, build, "{file}");
            assert_eq!(cb.certificates.len(), certs, "{file}");
            // Signed length = everything before the 256-byte signature.
            assert_eq!(cb.image_length as usize, img.len() - 256, "{file}");
            assert_eq!(cb.encode(4), img[off..off + n], "{file}");
            cb.verify(Some(&rkth_4())).unwrap();
            // The image signature verifies with the block's signing key.
            let sig_len = cb.signature_len().unwrap();
            let at = img.len() - sig_len;
            cb.signing_key()
                .unwrap()
                .verify(&img[..at], &img[at..], super::super::v1::SCHEME)
                .unwrap();
        }
        let sb = read("sb21_lpc55s69/out/sb21_pinned.sb");
        let (cb, n) = CertBlockV1::decode_prefix(&sb[208..]).unwrap();
        let padded = cb.encoded_len(16);
        assert_eq!(cb.encode(16), sb[208..208 + padded]);
        assert_eq!(n, cb.unpadded_len());
        assert_eq!(cb.image_length as usize, 208 + padded);
        assert_eq!(cb.rkth().to_vec(), read("sb21_lpc55s69/out/rkth.bin"));
        cb.verify(Some(&read("sb21_lpc55s69/out/rkth.bin")))
            .unwrap();
        let mut wrong = rkth_4();
        wrong[31] ^= 1;
        assert!(matches!(
            cb.verify(Some(&wrong)),
            Err(CertBlockError::RkthMismatch { .. })
        ));
        // A 32-byte RKTH zero-padded to a 48-byte field matches.
        let mut field = rkth_4();
        field.resize(48, 0);
        cb.verify(Some(&field)).unwrap();
    }

    #[test]
    fn rkh_and_rkth_of_rsa_keys() {
        let keys: Vec<PublicKey> = (0..4)
            .map(|i| key(&format!("rotk{i}_rsa2048.pub")))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                rkh(k).unwrap(),
                independent_rkh(&format!("rotk{i}_rsa2048.pub"))
            );
        }
        assert_eq!(rkth_of_keys(&keys).unwrap(), rkth_4());
        let single = rkth_of_keys(&keys[..1]).unwrap();
        assert_eq!(single, read("rkth/rkth_lpc55s69_single.bin"));
        assert_ne!(single, rkh(&keys[0]).unwrap());
        // CMPA pages from `pfr export`: ROTKH at 0x50 in digest order.
        for page in [
            "rkth/cmpa_lpc55s69_rot_from_keys.bin",
            "rkth/cmpa_lpc55s69_rotkh.bin",
        ] {
            assert_eq!(read(page)[0x50..0x70], rkth_4()[..], "{page}");
        }
        // The certificates carry the same keys.
        let from_certs: Vec<PublicKey> = (0..4)
            .map(|i| {
                CertInfo::parse(&cert(&format!("root{i}_rsa_cert")), "c")
                    .unwrap()
                    .public_key()
            })
            .collect();
        assert_eq!(from_certs, keys);
        // RSA and ECC keys do not mix.
        let mixed = vec![keys[0].clone(), key("rotk0_p256.pub")];
        assert!(matches!(
            rkth_of_keys(&mixed),
            Err(CertBlockError::MixedKeyTypes { index: 1, .. })
        ));
        let mut table = [[0u8; 32]; 4];
        table[0].copy_from_slice(&rkh(&keys[0]).unwrap());
        assert_eq!(rkth_of_table(&table).to_vec(), single);
    }

    #[test]
    fn rkth_locations_of_the_v1_families() {
        use super::super::RkthLocation;
        use crate::family::image_family;
        let rkth = rkth_4();
        // LPC55S69: CMPA ROTKH at 0x50 in digest order, as `pfr export` writes the page.
        let page = read("rkth/cmpa_lpc55s69_rotkh.bin");
        match RkthLocation::for_image_family(image_family("lpc55s69").unwrap(), &rkth) {
            Some(RkthLocation::Cmpa { offset, bytes, .. }) => {
                let at = offset as usize;
                assert_eq!(bytes[..], page[at..at + bytes.len()]);
                assert_eq!(bytes[..32], rkth[..]);
            }
            other => panic!("{other:?}"),
        }
        // RT595S: OTP words, the first = digest bytes 0..3 little-endian (SPSDK prints
        // "RKTH fuse [256:225]: CA27B934" for this key set).
        match RkthLocation::for_image_family(image_family("mimxrt595s").unwrap(), &rkth) {
            Some(RkthLocation::Otp { words }) => {
                assert_eq!(words.len(), 8);
                assert_eq!(words[0].1, 0xCA27_B934);
                for (i, (_, w)) in words.iter().enumerate() {
                    assert_eq!(w.to_le_bytes()[..], rkth[4 * i..4 * i + 4]);
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn spec_picks_the_root_and_lays_out_the_table() {
        // used_root None: the root whose key is the signer's.
        let spec = CertBlockV1Spec {
            build_number: 7,
            root_certs: roots("root0_rsa_cert"),
            used_root: None,
            chain: vec![],
        };
        for i in 0..4 {
            let cb = spec
                .build(Some(&key(&format!("rotk{i}_rsa2048.pub"))))
                .unwrap();
            assert_eq!(cb.root_index(), Some(i));
            assert_eq!(cb.certificates, vec![spec.root_certs[i].clone()]);
            assert_eq!(cb.rkth().to_vec(), rkth_4());
        }
        // No signer: root 0.
        assert_eq!(spec.build(None).unwrap().root_index(), Some(0));
        // 1..4 roots: absent entries are zero.
        for n in 1..=4 {
            let s = CertBlockV1Spec {
                root_certs: spec.root_certs[..n].to_vec(),
                used_root: Some(n - 1),
                ..spec.clone()
            };
            let cb = s.build(None).unwrap();
            for (i, e) in cb.rkht.iter().enumerate() {
                assert_eq!(*e == [0u8; 32], i >= n);
            }
            let keys: Vec<PublicKey> = (0..n)
                .map(|i| key(&format!("rotk{i}_rsa2048.pub")))
                .collect();
            assert_eq!(cb.rkth().to_vec(), rkth_of_keys(&keys).unwrap());
        }
        // Out of range, too many roots, none, too many chain certificates.
        let bad = [
            CertBlockV1Spec {
                used_root: Some(4),
                ..spec.clone()
            },
            CertBlockV1Spec {
                root_certs: vec![cert("root0_rsa_cert"); 5],
                ..spec.clone()
            },
            CertBlockV1Spec {
                root_certs: vec![],
                ..spec.clone()
            },
            CertBlockV1Spec {
                root_certs: roots("root0_rsa_ca_cert"),
                chain: vec![cert("isk_rsa_cert"); 5],
                used_root: Some(0),
                ..spec.clone()
            },
        ];
        for s in bad {
            assert!(s.build(None).is_err());
        }
    }

    /// Re-signs `base` after `edit` with `issuer` (provkit's signer, PKCS#1 v1.5 SHA-256).
    fn resign(
        base: &[u8],
        issuer: &dyn Signer,
        edit: impl FnOnce(&mut x509_cert::TbsCertificate),
    ) -> Vec<u8> {
        let mut c = x509_cert::Certificate::from_der(base).unwrap();
        edit(&mut c.tbs_certificate);
        let tbs = c.tbs_certificate.to_der().unwrap();
        let sig = issuer.sign(&tbs, super::super::v1::SCHEME).unwrap();
        c.signature = x509_cert::der::asn1::BitString::from_bytes(&sig).unwrap();
        c.to_der().unwrap()
    }

    fn with_key(tbs: &mut x509_cert::TbsCertificate, k: &PublicKey) {
        tbs.subject_public_key_info =
            spki::SubjectPublicKeyInfoOwned::from_der(&k.to_spki_der().unwrap()).unwrap();
    }

    fn block(certs: Vec<Vec<u8>>, rkht_from: &[u8]) -> CertBlockV1 {
        let k = CertInfo::parse(rkht_from, "r").unwrap().public_key();
        let mut rkht = [[0u8; 32]; 4];
        rkht[2].copy_from_slice(&rkh(&k).unwrap());
        CertBlockV1 {
            build_number: 0,
            image_length: 0,
            certificates: certs,
            rkht,
        }
    }

    #[test]
    fn every_chain_rule_is_enforced() {
        let ca = cert("root0_rsa_ca_cert");
        let leaf0 = cert("root0_rsa_cert");
        let isk = cert("isk_rsa_cert");
        let root0 = signer("rotk0_rsa2048.pem");
        let ok = block(vec![ca.clone(), isk.clone()], &ca);
        ok.verify(None).unwrap();
        block(vec![leaf0.clone()], &leaf0).verify(None).unwrap();
        // A CA signed by root 0 (an intermediate), for longer chains.
        let inter = resign(&ca, &root0, |t| {
            with_key(t, &key("rotk1_rsa2048.pub"));
        });
        let isk_under_inter = resign(&isk, &signer("rotk1_rsa2048.pem"), |_| {});
        block(
            vec![ca.clone(), inter.clone(), isk_under_inter.clone()],
            &ca,
        )
        .verify(None)
        .unwrap();

        type Check = fn(&CertBlockError) -> bool;
        let cases: Vec<(&str, CertBlockV1, Check)> = vec![
            ("no certificate", block(vec![], &ca), |e| {
                matches!(e, CertBlockError::NoCertificates)
            }),
            (
                "root not self-signed",
                block(vec![isk.clone()], &isk),
                |e| matches!(e, CertBlockError::NotSelfSigned),
            ),
            ("single CA", block(vec![ca.clone()], &ca), |e| {
                matches!(
                    e,
                    CertBlockError::CaFlag {
                        index: 0,
                        count: 1,
                        ca: true
                    }
                )
            }),
            (
                "non-CA root of a chain",
                block(vec![leaf0.clone(), isk.clone()], &leaf0),
                |e| {
                    matches!(
                        e,
                        CertBlockError::CaFlag {
                            index: 0,
                            count: 2,
                            ca: false
                        }
                    )
                },
            ),
            (
                "CA leaf",
                block(vec![ca.clone(), inter.clone()], &ca),
                |e| {
                    matches!(
                        e,
                        CertBlockError::CaFlag {
                            index: 1,
                            count: 2,
                            ca: true
                        }
                    )
                },
            ),
            (
                "non-CA intermediate",
                block(vec![ca.clone(), isk.clone(), isk_under_inter.clone()], &ca),
                |e| {
                    matches!(
                        e,
                        CertBlockError::CaFlag {
                            index: 1,
                            count: 3,
                            ca: false
                        }
                    )
                },
            ),
            (
                "leaf not signed by its parent",
                block(vec![ca.clone(), inter.clone(), isk.clone()], &ca),
                |e| matches!(e, CertBlockError::ChainSignature { index: 2 }),
            ),
            (
                "root not in the RKHT",
                // root 1's key hash only (root0_rsa_cert and root0_rsa_ca_cert share a key).
                block(vec![ca.clone(), isk.clone()], &cert("root1_rsa_cert")),
                |e| matches!(e, CertBlockError::RootNotInRkht(_)),
            ),
        ];
        for (what, b, check) in cases {
            let e = b.verify(None).unwrap_err();
            assert!(check(&e), "{what}: {e}");
        }
        // X.509 v1, a SHA-384 signature algorithm, a 1024-bit key: refused by name.
        let v1 = resign(&leaf0, &root0, |t| {
            t.version = x509_cert::Version::V1;
            t.extensions = None;
        });
        let mut sha384 = x509_cert::Certificate::from_der(&leaf0).unwrap();
        sha384.signature_algorithm.oid =
            x509_cert::der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
        let sha384 = sha384.to_der().unwrap();
        let small = PrivateKey::generate(KeyType::Rsa(1024)).unwrap();
        let small_signer = LocalSigner::new(small.clone(), "small");
        let small_cert = resign(&leaf0, &small_signer, |t| with_key(t, &small.public_key()));
        for (what, c, needle) in [
            ("v1", v1, "v3"),
            ("sha384", sha384, "1.2.840.113549.1.1.12"),
            ("rsa1024", small_cert.clone(), "RSA-1024"),
        ] {
            let e = block(vec![c.clone()], &c).verify(None).unwrap_err();
            assert!(
                matches!(e, CertBlockError::Certificate { .. }) && e.to_string().contains(needle),
                "{what}: {e}"
            );
        }
        // Leaf key size differs from the root's signature: no layout.
        let small_leaf = resign(&isk, &root0, |t| with_key(t, &small.public_key()));
        let b = block(vec![ca.clone(), small_leaf], &ca);
        assert!(matches!(
            b.signature_len(),
            Err(CertBlockError::SignatureSize {
                root: 256,
                leaf: 128
            })
        ));
        // The spec refuses the same things before building.
        let e = CertBlockV1Spec {
            root_certs: vec![ca.clone()],
            ..Default::default()
        }
        .build(None)
        .unwrap_err();
        assert!(matches!(e, CertBlockError::CaFlag { .. }), "{e}");
        let e = CertBlockV1Spec {
            root_certs: vec![key_pem_as_cert()],
            ..Default::default()
        }
        .build(None)
        .unwrap_err();
        assert!(matches!(e, CertBlockError::Certificate { .. }), "{e}");
    }

    fn key_pem_as_cert() -> Vec<u8> {
        read("keys/rotk0_rsa2048.pub")
    }

    #[test]
    fn certificate_files_pem_der_and_padding() {
        let der = cert("root0_rsa_cert");
        assert_eq!(
            certificate_der(&read("certs/root0_rsa_cert.pem"), "c").unwrap(),
            der
        );
        let mut padded = der.clone();
        padded.extend_from_slice(&[0, 0, 0]);
        assert_eq!(certificate_der(&padded, "c").unwrap(), der);
        padded.push(1);
        assert!(certificate_der(&padded, "c").is_err());
        assert!(certificate_der(&der[..der.len() - 1], "c").is_err());
        assert!(certificate_der(&read("keys/rotk0_rsa2048.pub"), "c").is_err());
        assert!(certificate_der(b"", "c").is_err());
    }

    #[test]
    fn decoder_is_total_and_strict() {
        let bin = read("mbi_lpc55s69/out/cert_block_chain_standalone.bin");
        let (_, n) = CertBlockV1::decode_prefix(&bin).unwrap();
        for cut in 0..n {
            assert!(
                CertBlockV1::decode_prefix(&bin[..cut]).is_err(),
                "prefix {cut}"
            );
        }
        assert!(CertBlockV1::decode_prefix(&bin[..n]).is_ok());
        let patch = |at: usize, v: u32| {
            let mut t = bin.clone();
            t[at..at + 4].copy_from_slice(&v.to_le_bytes());
            CertBlockV1::decode_prefix(&t)
        };
        // Header length, flags, version, count 0 / too many, table length off by 4, absurd.
        for (at, v) in [
            (8, 0x24u32),
            (12, 1),
            (4, 0x0001_0002),
            (0x18, 0),
            (0x18, 3),
            (0x18, 0xFFFF_FFFF),
            (0x1C, 1476 + 4),
            (0x1C, 1476 - 4),
            (0x1C, 0xFFFF_FFFF),
            (0x20, 740),
            (0x20, 732),
            (0x20, 0xFFFF_FFFF),
        ] {
            assert!(patch(at, v).is_err(), "0x{at:X} = 0x{v:X}");
        }
        // Non-zero certificate padding (root0_rsa_ca_cert is 735 bytes in a 736 slot).
        let mut t = bin.clone();
        t[0x24 + 735] = 1;
        assert!(CertBlockV1::decode_prefix(&t).is_err());
        // RKHT bytes are free-form: decoding takes them, verify rejects them.
        let rk = n - RKHT_LEN;
        let mut t = bin.clone();
        t[rk] ^= 1;
        let (cb, _) = CertBlockV1::decode_prefix(&t).unwrap();
        assert!(matches!(
            cb.verify(None),
            Err(CertBlockError::RootNotInRkht(_))
        ));
    }

    #[test]
    fn tampering_is_caught() {
        let bin = read("mbi_lpc55s69/out/cert_block_chain_standalone.bin");
        let rkth = rkth_4();
        let (_, n) = CertBlockV1::decode_prefix(&bin).unwrap();
        for i in 0..n {
            if (0x10..0x18).contains(&i) {
                continue; // build number and image length: not protected by the block
            }
            let mut t = bin.clone();
            t[i] ^= 0x01;
            let ok = CertBlockV1::decode_prefix(&t)
                .ok()
                .and_then(|(cb, _)| cb.verify(Some(&rkth)).ok())
                .is_some();
            assert!(!ok, "bit flip at {i} accepted");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

            /// Any bytes: no panic; whatever decodes re-encodes to the same bytes.
            #[test]
            fn decode_is_total_and_canonical(data in proptest::collection::vec(any::<u8>(), 0..800)) {
                if let Ok((cb, n)) = CertBlockV1::decode_prefix(&data) {
                    prop_assert_eq!(cb.encode(1), data[..n].to_vec());
                    let _ = cb.verify(None);
                }
            }

            /// The vector with random mutations: no panic; decodes are canonical.
            #[test]
            fn mutated_vector(pos in 0usize..1648, val in any::<u8>(), cut in 0usize..1700) {
                let mut b = read("mbi_lpc55s69/out/cert_block_chain_standalone.bin");
                let p = pos % b.len();
                b[p] = val;
                b.truncate(cut.min(b.len()));
                if let Ok((cb, n)) = CertBlockV1::decode_prefix(&b) {
                    prop_assert_eq!(cb.encode(1), b[..n].to_vec());
                    let _ = cb.verify(Some(&[0; 32]));
                    let _ = cb.signature_len();
                    let _ = cb.signing_key();
                }
            }
        }
    }
}
