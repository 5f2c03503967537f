//! SB3.1 against the SPSDK 3.12 vectors (`tests/vectors/sb31/`) and SPSDK's own test files.

use super::*;
use crate::codec::from_hex;
use crate::crypto::LocalSigner;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sb31")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn kek() -> Vec<u8> {
    from_hex(&String::from_utf8(read("inputs/sbkek.txt")).unwrap()).unwrap()
}

struct Vector {
    name: &'static str,
    ar: u8,
    encrypted: bool,
    signer: &'static str,
    rkth: &'static str,
}

const RKTH_P256_1: &str = "524a113f9259cf06f145b0dfa27dfae232788c04e1c2e32416c09b0d6a3b42fb";

fn vectors() -> Vec<Vector> {
    vec![
        Vector {
            name: "A",
            ar: 3,
            encrypted: true,
            signer: "rot_p256_0.pem",
            rkth: RKTH_P256_1,
        },
        Vector {
            name: "B",
            ar: 3,
            encrypted: true,
            signer: "isk_p384.pem",
            rkth: "dfbb8b7c55a4560b464b4ff5af79194bf25b108a9a31cb384904c4d7206a4b5d09930cd8bcad146d29fe5d405c41552f",
        },
        Vector {
            name: "B2_bincert",
            ar: 3,
            encrypted: true,
            signer: "isk_p384.pem",
            rkth: "dfbb8b7c55a4560b464b4ff5af79194bf25b108a9a31cb384904c4d7206a4b5d09930cd8bcad146d29fe5d405c41552f",
        },
        Vector {
            name: "C",
            ar: 3,
            encrypted: true,
            signer: "isk_p256.pem",
            rkth: "4acff9ab62c08064dd8badbfd0a64d83bae34aa1ca8a698ed4eda5d929aeb5f39082f6cf8e8b8d5965fc62bd436f1caf",
        },
        Vector {
            name: "D_unencrypted",
            ar: 3,
            encrypted: false,
            signer: "rot_p256_0.pem",
            rkth: RKTH_P256_1,
        },
        Vector {
            name: "E_allcmds",
            ar: 0,
            encrypted: true,
            signer: "isk_p256.pem",
            rkth: RKTH_P256_1,
        },
        Vector {
            name: "F",
            ar: 0,
            encrypted: true,
            signer: "rot_p256_2.pem",
            rkth: "61ee320b7654581a1415badaae68f9262fb008b5b35527a14af736fafd1d2215",
        },
        Vector {
            name: "G_min_mcxn947",
            ar: 0,
            encrypted: true,
            signer: "rot_p256_0.pem",
            rkth: RKTH_P256_1,
        },
    ]
}

#[test]
fn every_vector_verifies_decrypts_and_rebuilds_identically_but_the_signature() {
    let kek = kek();
    for v in vectors() {
        let file = read(&format!("out/sb31_{}.sb3", v.name));
        let c = Container::decode(&file).unwrap();
        let rkth = from_hex(v.rkth).unwrap();
        c.verify(Some(&rkth)).unwrap();
        let key = v.encrypted.then_some(kek.as_slice());
        let plain = c.decrypt(key, v.ar).unwrap();
        assert_eq!(
            plain.as_slice(),
            read(&format!(
                "out/sb31_{}.plain.bin",
                v.name.replace("B2_bincert", "B")
            )),
            "{}: plaintext",
            v.name
        );
        let cmds = decode_plaintext(&plain).unwrap();
        // Rebuild with the same inputs: everything but the block-0 signature is identical.
        let signer = LocalSigner::from_file(&dir().join("keys").join(v.signer)).unwrap();
        let built = Sb31Builder {
            cert_block: c.cert_block.clone(),
            signer: &signer,
            kek: key,
            kdk_access_rights: v.ar,
            timestamp: c.header.timestamp,
            firmware_version: c.header.firmware_version,
            description: c.header.description_text().into_bytes(),
            flags: c.header.flags,
            image_type: c.header.image_type,
            commands: cmds,
        }
        .build()
        .unwrap();
        assert_eq!(built.len(), file.len(), "{}", v.name);
        let sig_at = c.signed_part.len();
        let sig_end = sig_at + c.signature.len();
        assert_eq!(built[..sig_at], file[..sig_at], "{}: block 0", v.name);
        assert_eq!(built[sig_end..], file[sig_end..], "{}: data blocks", v.name);
        Container::decode(&built)
            .unwrap()
            .verify(Some(&rkth))
            .unwrap();
    }
}

#[test]
fn wrong_kek_and_access_rights_are_named() {
    let file = read("out/sb31_A.sb3");
    let c = Container::decode(&file).unwrap();
    let mut k = kek();
    assert!(matches!(
        c.commands(Some(&k), 0),
        Err(Sb31Error::WrongKey(_))
    ));
    k[0] ^= 1;
    assert!(matches!(
        c.commands(Some(&k), 3),
        Err(Sb31Error::WrongKey(_))
    ));
    assert!(matches!(
        c.commands(Some(&k[..20]), 3),
        Err(Sb31Error::Kdf(_))
    ));
}

#[test]
fn every_bit_flip_and_truncation_is_rejected() {
    let file = read("out/sb31_B.sb3");
    let rkth = from_hex(vectors()[1].rkth).unwrap();
    let kek = kek();
    let check = |f: &[u8]| -> Result<(), Sb31Error> {
        let c = Container::decode(f)?;
        c.verify(Some(&rkth))?;
        c.commands(Some(&kek), 3)?;
        Ok(())
    };
    check(&file).unwrap();
    // One flipped bit at every header byte and at every 5th byte after it (the e2e tests
    // flip every byte through the binaries).
    for i in (0..file.len()).filter(|i| *i < 64 || i % 5 == 0) {
        let mut t = file.clone();
        t[i] ^= 1 << (i % 8);
        assert!(check(&t).is_err(), "flip at {i} accepted");
    }
    for n in [0, 1, 59, 60, 100, 727, 728, 1000, file.len() - 1] {
        assert!(check(&file[..n]).is_err(), "truncated to {n}");
    }
    let mut longer = file.clone();
    longer.push(0);
    assert!(check(&longer).is_err());
}

#[test]
fn reasons_are_specific() {
    let file = read("out/sb31_B.sb3");
    let c0 = Container::decode(&file).unwrap();
    let sig_at = c0.signed_part.len();
    let mut t = file.clone();
    t[sig_at] ^= 1;
    assert!(matches!(
        Container::decode(&t).unwrap().verify(None),
        Err(Sb31Error::Block0Signature("ISK"))
    ));
    let mut t = file.clone();
    let last = t.len() - 1;
    t[last] ^= 1;
    assert!(matches!(
        Container::decode(&t).unwrap().verify(None),
        Err(Sb31Error::BlockHash(3))
    ));
    let mut t = file.clone();
    t[0x200] ^= 1; // inside the ISK public key
    assert!(matches!(
        Container::decode(&t).unwrap().verify(None),
        Err(Sb31Error::CertBlock(CertBlockError::IskSignature(1)))
    ));
}

#[test]
fn decoder_never_panics_on_garbage() {
    let file = read("out/sb31_E_allcmds.sb3");
    let mut seed = 0x1234_5678u32;
    for _ in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let mut t = file.clone();
        let n = (seed as usize) % 8 + 1;
        for j in 0..n {
            let pos = (seed.rotate_left(j as u32 * 7) as usize) % t.len();
            t[pos] = (seed >> (j % 24)) as u8;
        }
        if let Ok(c) = Container::decode(&t) {
            let _ = c.verify(None);
            let _ = c.commands(Some(&kek()), 0);
        }
    }
}
