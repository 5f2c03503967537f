//! DAT unit tests against SPSDK 3.12's vectors (`tests/vectors/dat`, see its README).

use super::mailbox::{AccessError, Mailbox, MailboxAccess, MailboxOptions};
use super::*;
use crate::crypto::{KeyType, LocalSigner, PrivateKey, PublicKey};
use std::path::PathBuf;

fn vdir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/dat")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vdir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn pubkey(name: &str) -> PublicKey {
    PublicKey::from_file(&vdir().join("keys").join(format!("{name}.pub"))).unwrap()
}

fn signer(name: &str) -> LocalSigner {
    LocalSigner::from_file(&vdir().join("keys").join(format!("{name}.pem"))).unwrap()
}

const CHALLENGE: [u8; 32] = {
    let mut c = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        c[i] = 0xA0 + i as u8;
        i += 1;
    }
    c
};

struct Case {
    dir: &'static str,
    family: &'static str,
    version: (u16, u16),
    rkth: &'static str,
}

const CASES: &[Case] = &[
    Case {
        dir: "lpc55s69_rsa2048",
        family: "lpc55s69",
        version: (1, 0),
        rkth: "974cb0d30775c43c9015e7041404f30a1fd02a9787f0b77ad7d31552a61a601f",
    },
    Case {
        dir: "lpc55s69_rsa4096",
        family: "lpc55s69",
        version: (1, 1),
        rkth: "ef5399b5055774138d0091f99035915a1d25df11151abe9d572d5c7bfde24a8f",
    },
    Case {
        dir: "lpc55s36_p256",
        family: "lpc55s36",
        version: (2, 0),
        rkth: "c20388a41264263ed00149870909044e1d2ae89c778362d21195c83a0c95c486",
    },
    Case {
        dir: "mcxn947_p384",
        family: "mcxn947",
        version: (2, 1),
        rkth: "c1c130b798c596ea27780badfc469e8535990b0ea93cfda50494929dee5d45cea8c09e10bd29b0a06978e86b9ada01e1",
    },
];

#[test]
fn every_vector_dc_parses_reencodes_and_verifies() {
    for c in CASES {
        let bytes = read(&format!("{}/dc.bin", c.dir));
        let dc = DebugCredential::parse(&bytes).unwrap();
        assert_eq!((dc.version.major, dc.version.minor), c.version, "{}", c.dir);
        assert_eq!(dc.encode().unwrap(), bytes, "{} round trip", c.dir);
        assert_eq!(dc.encoded_len(), bytes.len());
        assert_eq!(crate::codec::to_hex(&dc.rkth()), c.rkth, "{} RKTH", c.dir);
        let fam = DatFamily::lookup(c.family, None).unwrap();
        let rkth = crate::codec::from_hex(c.rkth).unwrap();
        let rep = dc.verify(Some(&fam), Some(&rkth));
        assert!(!rep.has_errors(), "{}: {:?}", c.dir, rep.first_error());
        // A flipped signature byte is caught (SPSDK's `dc verify` misses it).
        let mut bad = bytes.clone();
        *bad.last_mut().unwrap() ^= 1;
        let rep = DebugCredential::parse(&bad)
            .unwrap()
            .verify(Some(&fam), None);
        assert_eq!(rep.first_error().unwrap().name, "DC signature", "{}", c.dir);
        // A wrong RKTH is caught.
        let rep = dc.verify(Some(&fam), Some(&[0u8; 32]));
        assert_eq!(rep.first_error().unwrap().name, "RKTH");
    }
}

#[test]
fn p521_credential_and_response_built_by_spsdk_api_verify() {
    let dc_bytes = read("mcxn947_p521_edge/dc_api.bin");
    let dc = DebugCredential::parse(&dc_bytes).unwrap();
    assert_eq!(dc.version, ProtocolVersion { major: 2, minor: 2 });
    assert_eq!(dc_bytes.len(), 436);
    assert_eq!(dc.encode().unwrap(), dc_bytes);
    dc.verify_signature().unwrap();
    // p521_probe.py: DAC with an all-zero UUID and challenge, beacon 0.
    let dar_bytes = read("mcxn947_p521_edge/dar_api.bin");
    let dar = Dar::parse(&dar_bytes).unwrap();
    assert_eq!(dar_bytes.len(), 588);
    assert_eq!(dar.encode().unwrap(), dar_bytes);
    dar.verify_signature(&[0u8; 32]).unwrap();
}

#[test]
fn dacs_and_dars_round_trip_and_verify() {
    for c in CASES {
        let dac_bytes = read(&format!("{}/dac.bin", c.dir));
        let dac = Dac::parse(&dac_bytes).unwrap();
        assert_eq!(dac.encode(), dac_bytes);
        assert_eq!(dac.challenge, CHALLENGE);
        assert_eq!(Dac::from_words(&dac.to_words()).unwrap(), dac);
        let dar_bytes = read(&format!("{}/dar.bin", c.dir));
        let dar = Dar::parse(&dar_bytes).unwrap();
        assert_eq!(dar.encode().unwrap(), dar_bytes, "{}", c.dir);
        assert_eq!(dar.auth_beacon, 0x5A5A);
        assert_eq!(
            dar.signed_message(&CHALLENGE).unwrap(),
            read(&format!("{}/dar_tbs.bin", c.dir))
        );
        dar.verify_signature(&CHALLENGE).unwrap();
        assert!(dar.verify_signature(&[0u8; 32]).is_err());
        let fam = DatFamily::lookup(c.family, None).unwrap();
        let rep = dac.check_against(&dar.dc, &fam);
        assert!(!rep.has_errors(), "{}: {:?}", c.dir, rep.first_error());
    }
}

fn params_rsa2048() -> DcParams {
    DcParams {
        socc: 1,
        uuid: parse_uuid("E004090E6BDD2155BBCE9E0665805BE3").unwrap(),
        cc_socu: 0x3FF,
        cc_vu: 0x5678,
        cc_beacon: 0x1234,
        rot_keys: (0..4)
            .map(|i| pubkey(&format!("rotk{i}_rsa2048")))
            .collect(),
        rot_id: 1,
        dck: pubkey("dck_rsa2048"),
    }
}

#[test]
fn rsa_credentials_are_byte_identical_to_spsdk() {
    let dc = DebugCredential::build(&params_rsa2048(), &signer("rotk1_rsa2048")).unwrap();
    assert_eq!(dc.encode().unwrap(), read("lpc55s69_rsa2048/dc.bin"));
    let p = DcParams {
        socc: 1,
        uuid: parse_uuid("E004090E6BDD2155BBCE9E0665805BE3").unwrap(),
        cc_socu: 0x3FF,
        cc_vu: 0,
        cc_beacon: 0,
        rot_keys: vec![pubkey("rotk0_rsa4096")],
        rot_id: 0,
        dck: pubkey("dck_rsa4096"),
    };
    let dc = DebugCredential::build(&p, &signer("rotk0_rsa4096")).unwrap();
    assert_eq!(dc.encode().unwrap(), read("lpc55s69_rsa4096/dc.bin"));
}

#[test]
fn rsa_dars_are_byte_identical_to_spsdk() {
    for (dir, key) in [
        ("lpc55s69_rsa2048", "dck_rsa2048"),
        ("lpc55s69_rsa4096", "dck_rsa4096"),
    ] {
        let dc = DebugCredential::parse(&read(&format!("{dir}/dc.bin"))).unwrap();
        let dac = Dac::parse(&read(&format!("{dir}/dac.bin"))).unwrap();
        let dar = Dar::build(&dc, &dac, 0x5A5A, &signer(key)).unwrap();
        assert_eq!(dar.encode().unwrap(), read(&format!("{dir}/dar.bin")));
    }
}

#[test]
fn ecc_credentials_match_spsdk_up_to_the_signature() {
    let cases: [(&str, DcParams, &str, &str); 2] = [
        (
            "lpc55s36_p256",
            DcParams {
                socc: 4,
                uuid: [0; 16],
                cc_socu: 0x1CF,
                cc_vu: 0xABCD,
                cc_beacon: 0,
                rot_keys: (0..4).map(|i| pubkey(&format!("rotk{i}_p256"))).collect(),
                rot_id: 2,
                dck: pubkey("dck_p256"),
            },
            "rotk2_p256",
            "dck_p256",
        ),
        (
            "mcxn947_p384",
            DcParams {
                socc: 7,
                uuid: parse_uuid("0x0102030405060708090A0B0C0D0E0F10").unwrap(),
                cc_socu: 0x7FF,
                cc_vu: 0,
                cc_beacon: 0xAA,
                rot_keys: vec![pubkey("rotk0_p384")],
                rot_id: 0,
                dck: pubkey("dck_p384"),
            },
            "rotk0_p384",
            "dck_p384",
        ),
    ];
    for (dir, p, rot, dck) in cases {
        let spsdk = read(&format!("{dir}/dc.bin"));
        let dc = DebugCredential::build(&p, &signer(rot)).unwrap();
        let ours = dc.encode().unwrap();
        let sig_len = dc.version.signature_len();
        assert_eq!(ours.len(), spsdk.len());
        assert_eq!(
            ours[..ours.len() - sig_len],
            spsdk[..spsdk.len() - sig_len],
            "{dir}"
        );
        dc.verify_signature().unwrap();
        // ECC DARs verify both ways: ours with SPSDK's bytes, SPSDK's with ours.
        let dac = Dac::parse(&read(&format!("{dir}/dac.bin"))).unwrap();
        let dar = Dar::build(&dc, &dac, 0x5A5A, &signer(dck)).unwrap();
        dar.verify_signature(&dac.challenge).unwrap();
        let spsdk_dar = read(&format!("{dir}/dar.bin"));
        let ours = dar.encode().unwrap();
        let body = ours.len() - sig_len;
        let spsdk_dc_len = spsdk.len();
        assert_eq!(
            ours[spsdk_dc_len..body],
            spsdk_dar[spsdk_dc_len..body],
            "{dir} DAR body"
        );
    }
}

#[test]
fn p521_credentials_with_several_root_keys_work() {
    let p = DcParams {
        socc: 7,
        uuid: [0; 16],
        cc_socu: 0x7FF,
        cc_vu: 0,
        cc_beacon: 0,
        rot_keys: vec![pubkey("rotk0_p521"), pubkey("rotk1_p521")],
        rot_id: 1,
        dck: pubkey("dck_p521"),
    };
    let dc = DebugCredential::build(&p, &signer("rotk1_p521")).unwrap();
    let bytes = dc.encode().unwrap();
    // 40 + 2 x 64 (SHA-512 items) + 6 x 66.
    assert_eq!(bytes.len(), 40 + 128 + 396);
    let back = DebugCredential::parse(&bytes).unwrap();
    assert_eq!(back, dc);
    let rep = back.verify(Some(&DatFamily::lookup("mcxn947", None).unwrap()), None);
    assert!(!rep.has_errors(), "{:?}", rep.first_error());
    assert_eq!(dc.rkth().len(), 64);
    assert_eq!(dc.rot_slot().unwrap(), Some(1));
}

#[test]
fn ecc_rkth_agrees_with_the_certificate_block() {
    let keys: Vec<PublicKey> = (0..4).map(|i| pubkey(&format!("rotk{i}_p256"))).collect();
    let dc = DebugCredential::parse(&read("lpc55s36_p256/dc.bin")).unwrap();
    assert_eq!(
        dc.rkth(),
        crate::certblock::rkth::rkth_of_keys(&keys).unwrap()
    );
    let dc = DebugCredential::parse(&read("mcxn947_p384/dc.bin")).unwrap();
    assert_eq!(
        dc.rkth(),
        crate::certblock::rkth::rkth_of_keys(&[pubkey("rotk0_p384")]).unwrap()
    );
}

#[test]
fn build_rejects_inconsistent_inputs() {
    let mut p = params_rsa2048();
    let s = signer("rotk1_rsa2048");
    p.rot_id = 4;
    assert!(matches!(
        DebugCredential::build(&p, &s),
        Err(DatError::RotIdOutOfRange { .. })
    ));
    p.rot_id = 0;
    assert!(matches!(
        DebugCredential::build(&p, &s),
        Err(DatError::SignerMismatch { .. })
    ));
    p.rot_id = 1;
    p.dck = pubkey("dck_p256");
    assert!(matches!(
        DebugCredential::build(&p, &s),
        Err(DatError::KeyTypeMismatch { .. })
    ));
    p.dck = pubkey("dck_rsa2048");
    p.rot_keys[3] = pubkey("rotk0_rsa4096");
    assert!(matches!(
        DebugCredential::build(&p, &s),
        Err(DatError::KeyTypeMismatch { .. })
    ));
    let mut p = params_rsa2048();
    p.cc_beacon = 0x1_0000;
    assert!(matches!(
        DebugCredential::build(&p, &s),
        Err(DatError::Range { .. })
    ));
    let ed = PrivateKey::generate(KeyType::Ed25519).unwrap();
    let mut p = params_rsa2048();
    p.rot_keys = vec![ed.public_key()];
    p.rot_id = 0;
    assert!(matches!(
        DebugCredential::build(&p, &LocalSigner::new(ed, "ed")),
        Err(DatError::UnsupportedKey { .. })
    ));
}

#[test]
fn dar_build_checks_the_debug_key() {
    let dc = DebugCredential::parse(&read("lpc55s69_rsa2048/dc.bin")).unwrap();
    let dac = Dac::parse(&read("lpc55s69_rsa2048/dac.bin")).unwrap();
    assert!(matches!(
        Dar::build(&dc, &dac, 0, &signer("rotk0_rsa2048")),
        Err(DatError::SignerMismatch { .. })
    ));
    assert!(matches!(
        Dar::build(&dc, &dac, 0x1_0000, &signer("dck_rsa2048")),
        Err(DatError::Range { .. })
    ));
}

#[test]
fn truncated_and_corrupted_inputs_are_clean_errors() {
    for c in CASES {
        let bytes = read(&format!("{}/dc.bin", c.dir));
        for n in [0, 3, 24, 100, bytes.len() - 1] {
            let e = DebugCredential::parse(&bytes[..n]).unwrap_err();
            assert!(
                matches!(e.kind, crate::codec::DecodeErrorKind::Truncated { .. }),
                "{e}"
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(DebugCredential::parse(&long).is_err());
    }
    let mut v = read("lpc55s69_rsa2048/dc.bin");
    v[0] = 3;
    assert!(
        DebugCredential::parse(&v)
            .unwrap_err()
            .to_string()
            .contains("EdgeLock")
    );
    let mut v = read("lpc55s36_p256/dc.bin");
    v[0x27] &= 0x7F; // flags bit 31
    assert!(
        DebugCredential::parse(&v)
            .unwrap_err()
            .to_string()
            .contains("bit 31")
    );
    let mut v = read("lpc55s36_p256/dc.bin");
    v[0xA8] ^= 0xFF; // RoT X coordinate: off the curve
    assert!(DebugCredential::parse(&v).is_err());
    assert!(Dac::parse(&[0u8; 100]).is_err());
    assert!(Dar::parse(&read("lpc55s69_rsa2048/dc.bin")).is_err());
}

#[test]
fn family_table() {
    family::validate().unwrap();
    let f = DatFamily::lookup("mcxn947", None).unwrap();
    assert_eq!((f.revision.as_str(), f.socc, f.dm_ap), ("a1", 7, 2));
    assert_eq!(DatFamily::lookup("MCXN947", Some("a0")).unwrap().socc, 6);
    assert_eq!(
        DatFamily::lookup("mcxn946", Some("latest")).unwrap().socc,
        7
    );
    let rw = DatFamily::lookup("rw612", None).unwrap();
    assert_eq!((rw.socc, rw.dm_ap, rw.dac_rkth), (10, 3, false));
    assert_eq!(DatFamily::lookup("lpc55s69", None).unwrap().socc, 1);
    assert_eq!(
        DatFamily::lookup("lpc55s6x", None).unwrap().name,
        "lpc55s69"
    );
    assert_eq!(DatFamily::lookup("mimxrt595s", None).unwrap().socc, 0);
    let kw = DatFamily::lookup("kw45b41z8", None).unwrap();
    assert!(kw.sha256_always);
    assert_eq!(kw.dac_words(ProtocolVersion { major: 2, minor: 1 }), 26);
    assert_eq!(f.dac_words(ProtocolVersion { major: 2, minor: 1 }), 30);
    assert_eq!(f.dac_words(ProtocolVersion { major: 2, minor: 2 }), 34);
    assert!(matches!(
        DatFamily::lookup("mimxrt1189", None),
        Err(DatError::FamilyUnsupported { .. })
    ));
    assert!(matches!(
        DatFamily::lookup("mcxn947t", None),
        Err(DatError::FamilyUnsupported { .. })
    ));
    assert!(matches!(
        DatFamily::lookup("nosuch", None),
        Err(DatError::UnknownFamily(_))
    ));
    assert!(matches!(
        DatFamily::lookup("lpc55s69", Some("z9")),
        Err(DatError::UnknownRevision { .. })
    ));
    assert!(
        DatFamily::lookup("lpc55s69", None)
            .unwrap()
            .check_key(KeyType::P256)
            .is_err()
    );
    // Every simulated family has DAT facts and exactly one RKTH location.
    for f in crate::family::all() {
        let d = DatFamily::lookup(&f.name, None).unwrap();
        let dev = d
            .device()
            .unwrap_or_else(|| panic!("{}: no device facts", f.name));
        assert!(
            dev.rkth.is_some() != f.secure_boot.is_some(),
            "{}: RKTH location must come from exactly one place",
            f.name
        );
    }
}

#[test]
fn socu_tables_decode_the_seed_examples() {
    use socu::{Layout, crc8_itu, table};
    for name in [
        "lpc55s0x", "lpc55s2x", "lpc55s6x", "lpc55s3x", "mcxn9xx", "mcxn23x", "kw45", "kw47",
        "rt5xx", "rt6xx", "rw61x", "rt7xx",
    ] {
        let t = table(name).unwrap_or_else(|| panic!("{name}"));
        for (regs, a, b, c) in &t.examples {
            for v in [a, b, c] {
                let w = crate::codec::parse_u32(v).unwrap();
                match t.layout {
                    Layout::Pfr => assert_eq!(w >> 16, !w & 0xFFFF, "{name} {regs} {v}"),
                    Layout::FuseCrc if !regs.ends_with("_AP") => {
                        assert_eq!(w & 0xFF, u32::from(crc8_itu(w)), "{name} {regs} {v}")
                    }
                    _ => {}
                }
            }
        }
    }
    let rw = table("rw61x").unwrap();
    let m = rw.decode_fuse(0x1002_000F).unwrap();
    assert_eq!((m.pin, m.dflt, m.uuid_check), (1 << 9, 1 << 9, false));
    assert_eq!(rw.encode_fuse(m).unwrap(), 0x1002_000F);
    assert!(rw.decode_fuse(0x1002_0010).is_err());
    let l = table("lpc55s6x").unwrap();
    let m = l.decode_pfr(0xFFBF_0040, 0xFFBF_0040).unwrap();
    assert_eq!((m.pin, m.dflt), (0x40, 0x40));
    assert_eq!(socu::granted(m.pin, m.dflt, 0x3FF), 0x3FF);
    assert_eq!(socu::granted(0x2FF, 0x40, 0x3FF), 0x40 | 0x100);
    assert!(l.decode_pfr(0x1234, 0).is_err());
}

#[test]
fn uuid_text_and_words() {
    assert_eq!(parse_uuid("1234").unwrap()[14..], [0x12, 0x34]);
    assert_eq!(parse_uuid("0x".to_string().as_str()).unwrap(), [0; 16]);
    assert!(parse_uuid("zz").is_err());
    assert!(parse_uuid(&"1".repeat(33)).is_err());
    let u = uuid_from_words(&[0x4123_100C, 0x503A_567B, 0xC760_86BC, 0x6722_9EBD]).unwrap();
    assert_eq!(u[..4], [0x0C, 0x10, 0x23, 0x41]);
}

/// Replays SPSDK's `dat auth` register transcript (against the reference ROM emulator)
/// and checks our host side makes exactly the same accesses.
struct Replay {
    script: Vec<(char, u8, u32)>,
    pos: usize,
}

impl Replay {
    fn load(rel: &str) -> Replay {
        let text = String::from_utf8(read(rel)).unwrap();
        let mut script = Vec::new();
        for line in text.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() != 5 || !(parts[0] == "R" || parts[0] == "W") {
                continue;
            }
            let reg = match parts[2] {
                "CSW" => 0x00,
                "REQUEST" => 0x04,
                "RETURN" => 0x08,
                "IDR" => 0xFC,
                _ => continue,
            };
            let v = u32::from_str_radix(parts[4].trim_start_matches("0x"), 16).unwrap();
            script.push((parts[0].chars().next().unwrap(), reg, v));
        }
        Replay { script, pos: 0 }
    }
}

impl MailboxAccess for Replay {
    fn read(&mut self, reg: u8) -> Result<u32, AccessError> {
        let (op, r, v) = self.script[self.pos];
        assert_eq!((op, r), ('R', reg), "access {}", self.pos);
        self.pos += 1;
        Ok(v)
    }
    fn write(&mut self, reg: u8, value: u32) -> Result<(), AccessError> {
        let (op, r, v) = self.script[self.pos];
        assert_eq!((op, r, v), ('W', reg, value), "access {}", self.pos);
        self.pos += 1;
        Ok(())
    }
}

#[test]
fn host_side_replays_spsdk_auth_transcript_word_for_word() {
    let opts = MailboxOptions {
        reset_delay: std::time::Duration::ZERO,
        ..MailboxOptions::default()
    };
    let replay = Replay::load("lpc55s69_rsa2048/transcript_dat_auth_full.txt");
    let mut mb = Mailbox::open(replay, 2, true, opts).unwrap();
    let dc = DebugCredential::parse(&read("lpc55s69_rsa2048/dc.bin")).unwrap();
    let fam = DatFamily::lookup("lpc55s69", None).unwrap();
    let dac = mb.auth_start(fam.dac_words(dc.version)).unwrap();
    assert_eq!(dac.encode(), read("lpc55s69_rsa2048/dac.bin"));
    let dar = Dar::build(&dc, &dac, 0x5A5A, &signer("dck_rsa2048")).unwrap();
    mb.auth_response(&dar).unwrap();
    mb.exit().unwrap();
    let r = mb.into_inner();
    assert_eq!(
        r.pos,
        r.script.len(),
        "every access of the transcript was made"
    );
}

#[test]
fn exchange_reports_device_errors_and_bad_acks() {
    use mailbox::{Action, DmCommand, Exchange, MailboxError};
    let mut ex = Exchange::new(DmCommand::DBG_AUTH_RESP, vec![1, 2], 0);
    assert_eq!(ex.step(), Action::Write(0x0002_0011));
    assert_eq!(ex.step(), Action::Read);
    ex.on_read(0x0002_A5A5).unwrap();
    assert_eq!(ex.step(), Action::Write(1));
    assert_eq!(ex.step(), Action::Read);
    assert!(matches!(
        ex.on_read(0x0010_0003),
        Err(MailboxError::Status {
            status: 0x0010_0003,
            ..
        })
    ));
    let mut ex = Exchange::new(DmCommand::DBG_AUTH_RESP, vec![1], 0);
    ex.step();
    assert!(matches!(
        ex.on_read(0x1234),
        Err(MailboxError::BadAck { .. })
    ));
    let mut ex = Exchange::new(DmCommand::DBG_AUTH_START, vec![], 26);
    ex.step();
    assert!(matches!(
        ex.on_read(0x001E_0000),
        Err(MailboxError::Length {
            expected: 26,
            got: 30,
            ..
        })
    ));
    // Bit 31 of the header is ignored.
    let mut ex = Exchange::new(DmCommand::DBG_AUTH_START, vec![], 1);
    ex.step();
    ex.on_read(0x8001_0000).unwrap();
    assert_eq!(ex.step(), Action::Write(0x0001_A5A5));
    assert_eq!(ex.step(), Action::Read);
    ex.on_read(42).unwrap();
    assert_eq!(ex.step(), Action::Write(0x0000_A5A5));
    assert_eq!(ex.step(), Action::Done(vec![42]));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1200)) {
            let _ = DebugCredential::parse(&bytes);
            let _ = Dac::parse(&bytes);
            let _ = Dar::parse(&bytes);
        }

        #[test]
        fn mutated_vectors_parse_to_themselves_or_fail(
            case in 0usize..4, pos in any::<prop::sample::Index>(), val in any::<u8>()
        ) {
            let mut b = read(&format!("{}/dar.bin", CASES[case].dir));
            let i = pos.index(b.len());
            b[i] = val;
            if let Ok(d) = Dar::parse(&b) {
                prop_assert_eq!(d.encode().unwrap(), b);
            }
        }
    }
}
