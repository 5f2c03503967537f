//! SB2.1 against the SPSDK 3.12 vectors (`tests/vectors/mbi/sb21_*`) and the reference's
//! independent decoder output (`*.decoded.txt`).

use super::*;
use crate::codec::from_hex;
use crate::crypto::LocalSigner;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mbi")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn kek() -> Vec<u8> {
    from_hex(&String::from_utf8(read("sb21_lpc55s69/sbkek.txt")).unwrap()).unwrap()
}

const RKTH: &str = "34b927caa5bdcb3a83d3c795b840a5bfb2fa73583271f73254b51404a405fa56";

const VECTORS: [&str; 4] = [
    "sb21_lpc55s69/out/sb21_pinned",
    "sb21_lpc55s69/out/sb21_pinned_sha",
    "sb21_lpc55s69/out/sb21_two_sections",
    "sb21_rt595s/out/sb21_rt595s_pinned",
];

/// Per section of a `*.decoded.txt`: (uid, flags, blocks, hmac count, raw command headers).
fn expected(name: &str) -> Vec<(u32, u16, u32, u32, Vec<String>)> {
    let text = String::from_utf8(read(&format!("{name}.decoded.txt"))).unwrap();
    let mut out: Vec<(u32, u16, u32, u32, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let field = |k: &str| -> String {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(k))
                .unwrap()
                .to_string()
        };
        if line.starts_with("section uid=") {
            out.push((
                field("uid=").parse().unwrap(),
                u16::from_str_radix(field("flags=0x").as_str(), 16).unwrap(),
                field("cmd_blocks=").parse().unwrap(),
                field("hmac_count=").parse().unwrap(),
                Vec::new(),
            ));
        } else if line.contains(" raw=") {
            out.last_mut().unwrap().4.push(field("raw="));
        }
    }
    out
}

#[test]
fn vectors_decode_to_the_reference_decoders_commands() {
    let kek = kek();
    let rkth = from_hex(RKTH).unwrap();
    for name in VECTORS {
        let file = read(&format!("{name}.sb"));
        let d = decode(&file, &kek, Some(&rkth)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.rkth.to_vec(), rkth);
        let want = expected(name);
        assert_eq!(d.sections.len(), want.len(), "{name}");
        for (s, (uid, flags, blocks, h, raws)) in d.sections.iter().zip(&want) {
            assert_eq!(
                (
                    s.header.uid,
                    s.header.flags,
                    s.header.blocks,
                    s.header.hmac_count
                ),
                (*uid, *flags, *blocks, *h),
                "{name}"
            );
            let got: Vec<String> = s
                .commands
                .iter()
                .map(|c| to_hex(&c.header().encode()))
                .collect();
            assert_eq!(&got, raws, "{name}");
        }
        assert_eq!(d.keys.dek[0], 0xa0);
        assert_eq!(d.keys.mac[31], 0xdf);
    }
}

#[test]
fn sha_vector_has_spsdks_block_counts() {
    let file = read("sb21_lpc55s69/out/sb21_pinned_sha.sb");
    let d = decode(&file, &kek(), None).unwrap();
    assert_eq!(d.block_counts, BlockCounts::Spsdk);
    assert_eq!(d.prologue.header.image_blocks, 233);
    assert_eq!(file.len() / 16, 235);
    let plain = decode(&read("sb21_lpc55s69/out/sb21_pinned.sb"), &kek(), None).unwrap();
    assert_eq!(plain.block_counts, BlockCounts::True);
}

#[test]
fn nxp_counter_matches_the_reference() {
    // reference sb2_mbi.md 5.4: the section at 0x550 of sb21_pinned.sb uses counter block
    // 00112233445566778819aabb215eeeff, keystream e3374b1de006826ddfd040c05ac10435.
    let d = decode(&read("sb21_lpc55s69/out/sb21_pinned.sb"), &kek(), None).unwrap();
    let ctr = Ctr::new(&d.keys, &d.prologue.header.nonce).unwrap();
    let mut block = [0u8; 16];
    ctr.apply(0x550 / 16, &mut block);
    assert_eq!(to_hex(&block), "e3374b1de006826ddfd040c05ac10435");
}

fn signer() -> LocalSigner {
    LocalSigner::from_file(&dir().join("keys/rotk0_rsa2048.pem")).unwrap()
}

/// A builder that re-creates a decoded file.
fn rebuild(d: &Decoded, signer: &LocalSigner, kek: &[u8]) -> Vec<u8> {
    let h = &d.prologue.header;
    Sb21Builder {
        kek,
        signer,
        cert_block: d.prologue.cert_block.clone(),
        flags: h.flags,
        product_version: h.product_version,
        component_version: h.component_version,
        build_number: h.build_number,
        timestamp: h.timestamp,
        nonce: h.nonce,
        keys: d.keys.clone(),
        header_padding: h.padding,
        block_counts: d.block_counts,
        sections: d
            .sections
            .iter()
            .map(|s| Section {
                uid: s.header.uid,
                flags: s.header.flags,
                hmac_count: s.header.hmac_count,
                commands: s.commands.clone(),
            })
            .collect(),
    }
    .build()
    .unwrap()
}

#[test]
fn vectors_rebuild_byte_identically() {
    let kek = kek();
    let signer = signer();
    for name in VECTORS {
        let file = read(&format!("{name}.sb"));
        let d = decode(&file, &kek, None).unwrap();
        assert!(rebuild(&d, &signer, &kek) == file, "{name}");
    }
}

#[test]
fn true_block_counts_differ_only_in_the_header_and_signature() {
    let kek = kek();
    let file = read("sb21_lpc55s69/out/sb21_pinned_sha.sb");
    let mut d = decode(&file, &kek, None).unwrap();
    d.block_counts = BlockCounts::True;
    let ours = rebuild(&d, &signer(), &kek);
    assert_eq!(ours.len(), file.len());
    let diff: Vec<usize> = (0..file.len()).filter(|&i| ours[i] != file[i]).collect();
    // image_blocks (0x1C) and first_boot_tag_block (0x20) are 2 more; then the signature.
    assert_eq!(ours[0x1C..0x24], [235, 0, 0, 0, 87, 0, 0, 0]);
    let sig_at = d.prologue.signature_offset();
    assert!(
        diff.iter()
            .all(|&i| (0x1C..0x24).contains(&i) || (sig_at..sig_at + 256).contains(&i)),
        "{diff:?}"
    );
    let again = decode(&ours, &kek, None).unwrap();
    assert_eq!(again.block_counts, BlockCounts::True);
    assert_eq!(again.sections, d.sections);
}

fn test_builder<'a>(
    signer: &'a LocalSigner,
    kek: &'a [u8],
    sections: Vec<Section>,
) -> Sb21Builder<'a> {
    let d = decode(&read("sb21_lpc55s69/out/sb21_pinned.sb"), kek, None).unwrap();
    Sb21Builder {
        kek,
        signer,
        cert_block: d.prologue.cert_block.clone(),
        flags: FLAG_SIGNED,
        product_version: Version::parse("1.0.0").unwrap(),
        component_version: Version::parse("1.0.0").unwrap(),
        build_number: 1,
        timestamp: 1,
        nonce: random_nonce(),
        keys: Keys::random(),
        header_padding: random_padding(),
        block_counts: BlockCounts::True,
        sections,
    }
}

fn every_command() -> Vec<Command> {
    vec![
        Command::Erase {
            address: 0,
            length: 0x1000,
            mem_id: 0x120,
            erase_flags: 0,
        },
        Command::Load {
            address: 0x2000_0000,
            mem_id: 9,
            data: (0..77u8).collect(),
            padding: vec![0xEE; 3],
            count_padded: false,
        },
        Command::Load {
            address: 0x2000_1000,
            mem_id: 0,
            data: vec![1; 32],
            padding: Vec::new(),
            count_padded: true,
        },
        Command::Fill {
            address: 0x2000_2000,
            length: 64,
            pattern: 0x1234_5678,
        },
        Command::Jump {
            address: 0xC1,
            argument: 7,
            stack_pointer: None,
        },
        Command::Call {
            address: 0x1000,
            argument: 9,
        },
        Command::Reset,
        Command::Nop,
        Command::MemEnable {
            address: 0x10C000,
            size: 4,
            mem_id: 9,
        },
        Command::Prog {
            index: 0x60,
            mem_id: 4,
            word1: 1,
            word2: Some(2),
        },
        Command::Prog {
            index: 0x61,
            mem_id: 4,
            word1: 3,
            word2: None,
        },
        Command::VersionCheck {
            ver_type: 1,
            version: 5,
        },
        Command::KeystoreToNv {
            controller: 9,
            address: 0x0800_0800,
        },
        Command::KeystoreFromNv {
            controller: 9,
            address: 0x0800_0800,
        },
        Command::Erase {
            address: 0,
            length: 0,
            mem_id: 0,
            erase_flags: command::ERASE_FLAG_ALL_UNSECURE,
        },
    ]
}

#[test]
fn every_command_and_hmac_count_round_trips() {
    let kek = kek();
    let signer = signer();
    for (h, flags) in [
        (1, FLAG_SIGNED),
        (5, FLAG_SIGNED | FLAG_SHA),
        (10, 0),
        (40, FLAG_SHA),
    ] {
        let sections = vec![
            Section {
                uid: 7,
                flags: SPSDK_SECTION_FLAGS,
                hmac_count: h,
                commands: every_command(),
            },
            Section {
                uid: 3,
                flags: SECTION_BOOTABLE,
                hmac_count: h,
                commands: vec![Command::Reset],
            },
        ];
        let mut b = test_builder(&signer, &kek, sections);
        b.flags = flags;
        let file = b.build().unwrap();
        let d = decode(&file, &kek, None).unwrap();
        assert_eq!(d.sections.len(), 2);
        // 40 HMACs are cut to the number of blocks (SPSDK).
        let blocks = d.sections[0].header.blocks;
        assert_eq!(d.sections[0].header.hmac_count, h.min(blocks));
        assert_eq!(d.sections[1].header.hmac_count, 1);
        assert_eq!(d.sections[0].commands, every_command());
        assert_eq!(d.sections[1].header.uid, 3);
        assert_eq!(d.sections[1].header.flags, SECTION_BOOTABLE);
        assert_eq!(
            u32::from(d.prologue.header.max_section_mac_count),
            h.min(blocks) + 1
        );
        // Streamed in odd pieces, the loader releases the same commands.
        for piece in [1, 15, 16, 17, 333, 4096] {
            let mut l = Loader::new(&kek, None);
            let mut cmds = Vec::new();
            for c in file.chunks(piece) {
                for e in l.push(c).unwrap() {
                    if let Event::Command(c) = e {
                        cmds.push(c);
                    }
                }
            }
            assert_eq!(l.finish().unwrap(), 2);
            let want: Vec<Command> = d.sections.iter().flat_map(|s| s.commands.clone()).collect();
            assert_eq!(cmds, want, "piece {piece}");
        }
    }
}

#[test]
fn loader_releases_commands_chunk_by_chunk() {
    let kek = kek();
    let signer = signer();
    let loads: Vec<Command> = (0..10u32)
        .map(|i| Command::Load {
            address: i * 0x100,
            mem_id: 0,
            data: vec![i as u8; 0x100],
            padding: Vec::new(),
            count_padded: true,
        })
        .collect();
    let file = test_builder(
        &signer,
        &kek,
        vec![Section {
            uid: 0,
            flags: SPSDK_SECTION_FLAGS,
            hmac_count: 10,
            commands: loads,
        }],
    )
    .build()
    .unwrap();
    let d = decode(&file, &kek, None).unwrap();
    let head = d.sections[0].header;
    // Everything but the last chunk: some commands are out before the section ends.
    let cut = (head.offset + 48 + 32 * 10) as usize + 5 * 0x110;
    let mut l = Loader::new(&kek, None);
    let early = l.push(&file[..cut]).unwrap();
    let n = early
        .iter()
        .filter(|e| matches!(e, Event::Command(_)))
        .count();
    assert!((3..10).contains(&n), "{n} commands before the end");
    assert!(matches!(early[0], Event::Authenticated { .. }));
    l.push(&file[cut..]).unwrap();
    assert_eq!(l.finish().unwrap(), 1);
}

#[test]
fn tampering_each_region_names_the_check() {
    let kek = kek();
    let file = read("sb21_lpc55s69/out/sb21_pinned.sb");
    let d = decode(&file, &kek, None).unwrap();
    let sig = d.prologue.signature_offset();
    let s0 = d.prologue.len();
    let flip = |at: usize| {
        let mut t = file.clone();
        t[at] ^= 0x10;
        decode(&t, &kek, None).unwrap_err()
    };
    // Header: nonce and padding are signed; magics are checked first.
    assert!(matches!(flip(0), Sb21Error::Signature(_)));
    assert!(matches!(flip(0x14), Sb21Error::Decode(_)));
    assert!(matches!(flip(0x60), Sb21Error::Signature(_)));
    assert!(matches!(flip(0x80), Sb21Error::WrongKek));
    assert!(matches!(flip(0xC8), Sb21Error::Decode(_)));
    assert!(matches!(
        flip(0x300),
        Sb21Error::CertBlock(_) | Sb21Error::Decode(_)
    ));
    assert!(matches!(flip(sig + 7), Sb21Error::Signature(_)));
    assert!(matches!(flip(s0), Sb21Error::TagHmac { section: 0, .. }));
    assert!(matches!(
        flip(s0 + 16),
        Sb21Error::TagHmac { section: 0, .. }
    ));
    assert!(matches!(flip(s0 + 48), Sb21Error::HeaderHmac));
    assert!(matches!(
        flip(s0 + 80),
        Sb21Error::CommandHmac {
            section: 0,
            chunk: 0,
            ..
        }
    ));
    assert!(matches!(
        flip(file.len() - 1),
        Sb21Error::CommandHmac { section: 0, .. }
    ));
    // With the SHA flag the sections are covered by the signed SHA-256 as well.
    let sha_file = read("sb21_lpc55s69/out/sb21_pinned_sha.sb");
    let ds = decode(&sha_file, &kek, None).unwrap();
    let mut t = sha_file.clone();
    let at = ds.prologue.len() + 100;
    t[at] ^= 1;
    assert!(matches!(decode(&t, &kek, None), Err(Sb21Error::Sha(_))));
    let mut t = sha_file.clone();
    t[ds.prologue.signature_offset() - 1] ^= 1;
    assert!(matches!(
        decode(&t, &kek, None),
        Err(Sb21Error::Signature(_))
    ));
}

#[test]
fn wrong_kek_rkth_and_truncation() {
    let kek = kek();
    let file = read("sb21_lpc55s69/out/sb21_two_sections.sb");
    let mut bad = kek.clone();
    bad[5] ^= 1;
    let e = decode(&file, &bad, None).unwrap_err();
    assert!(matches!(e, Sb21Error::WrongKek));
    assert!(e.to_string().contains("wrong KEK"));
    assert!(matches!(
        decode(&file, &kek[..16], None),
        Err(Sb21Error::KekLength(16))
    ));
    let mut rkth = from_hex(RKTH).unwrap();
    rkth[0] ^= 1;
    assert!(matches!(
        decode(&file, &kek, Some(&rkth)),
        Err(Sb21Error::CertBlock(_))
    ));
    for n in 0..file.len() {
        let e = decode(&file[..n], &kek, None).unwrap_err();
        assert!(!e.to_string().contains('\n'), "{n}: {e}");
        let mut l = Loader::new(&kek, None);
        let r = l.push(&file[..n]).and_then(|_| l.finish());
        assert!(r.is_err(), "loader accepted {n} bytes");
    }
    let mut longer = file.clone();
    longer.extend_from_slice(&[0; 16]);
    assert!(decode(&longer, &kek, None).is_err());
}

#[test]
fn loader_keeps_what_verified_before_a_failure() {
    let kek = kek();
    let file = read("sb21_lpc55s69/out/sb21_two_sections.sb");
    let d = decode(&file, &kek, None).unwrap();
    let s1 = d.sections[1].header.offset as usize;
    let mut t = file.clone();
    t[s1 + 60] ^= 1;
    let mut l = Loader::new(&kek, None);
    let mut events = Vec::new();
    let e = l.push_into(&t, &mut events).unwrap_err();
    assert!(
        matches!(e, Sb21Error::CommandHmac { section: 1, .. }),
        "{e}"
    );
    let cmds: Vec<Command> = events
        .iter()
        .filter_map(|e| match e {
            Event::Command(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cmds, d.sections[0].commands);
    // `push` reports the failure only.
    let mut l = Loader::new(&kek, None);
    assert!(l.push(&t).is_err());
}

#[test]
fn sections_end_within_image_blocks_and_the_loader_limits() {
    let kek = kek();
    let file = read("sb21_lpc55s69/out/sb21_pinned.sb");
    let p = Prologue::decode(&file).unwrap();
    assert_eq!(p.image_len(), file.len() as u64);
    let sha = read("sb21_lpc55s69/out/sb21_pinned_sha.sb");
    // SPSDK's counts with flag 0x8000 leave out the SHA-256; the image length does not.
    assert_eq!(
        Prologue::decode(&sha).unwrap().image_len(),
        sha.len() as u64
    );
    let what = |limits: Limits, data: &[u8]| -> (&'static str, usize) {
        let mut l = Loader::new(&kek, None);
        l.set_limits(limits);
        let mut events = Vec::new();
        match l.push_into(data, &mut events) {
            Err(Sb21Error::Section { error, .. }) | Err(Sb21Error::Decode(error)) => (
                error.what,
                events
                    .iter()
                    .filter(|e| matches!(e, Event::Command(_)))
                    .count(),
            ),
            other => panic!("{other:?}"),
        }
    };
    let unbounded = Limits::default();
    let mut longer = file.clone();
    longer.extend_from_slice(&[0; 16]);
    // Bytes after the end: every command before them is out.
    assert_eq!(what(unbounded, &longer), ("image end", 7));
    let hmacs = Limits {
        max_hmac_count: 0,
        ..unbounded
    };
    assert_eq!(what(hmacs, &file), ("section HMAC count", 0));
    let chunk = Limits {
        max_chunk: 143 * 16 - 1,
        ..unbounded
    };
    assert_eq!(what(chunk, &file), ("section length", 0));
    let fits = Limits {
        max_hmac_count: 1,
        max_chunk: 143 * 16,
    };
    let mut l = Loader::new(&kek, None);
    l.set_limits(fits);
    l.push(&file).unwrap();
    assert_eq!(l.finish().unwrap(), 1);
}

#[test]
fn config_names_are_the_family_databases() {
    // Every name is one SPSDK's database lists for an SB2.1 family (RT5xx has them all).
    let rt = crate::family::family("mimxrt595s").unwrap();
    let listed = &rt.sb21.as_ref().unwrap().commands;
    let mut seen = Vec::new();
    for c in every_command() {
        match c.config_name() {
            Some(n) => {
                assert!(listed.iter().any(|l| l == n), "{c}: {n}");
                seen.push(n);
            }
            None => assert!(
                matches!(c, Command::Nop | Command::Call { .. } | Command::Reset),
                "{c}"
            ),
        }
    }
    assert!(seen.contains(&"programFuses") && seen.contains(&"keystore_from_nv"));
}

#[test]
fn garbage_never_panics() {
    let kek = kek();
    let file = read("sb21_rt595s/out/sb21_rt595s_pinned.sb");
    let mut seed = 0x9E37_79B9u32;
    for _ in 0..1500 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let mut t = file.clone();
        for j in 0..(seed % 6 + 1) {
            let pos = (seed.rotate_left(j * 7) as usize) % t.len();
            t[pos] = (seed >> (j % 24)) as u8;
        }
        let _ = decode(&t, &kek, None);
        let mut l = Loader::new(&kek, None);
        for c in t.chunks(97) {
            if l.push(c).is_err() {
                break;
            }
        }
        let _ = l.finish();
    }
}

#[test]
fn sbkek_from_the_otp_master_key() {
    // reference sb2_mbi.md 5.8a (nxpimage sb21 get-sbkek -k 000102..1f).
    let master: [u8; 32] = core::array::from_fn(|i| i as u8);
    assert_eq!(
        to_hex(&sbkek_from_otp_master_key(&master)),
        "80c3017e8f89ab315ede32b11e48ab50d5786900334bbaad31a868ca3c29221b"
    );
}

#[test]
fn versions_are_bcd() {
    assert_eq!(
        Version::parse("12.34.5678").unwrap(),
        Version {
            major: 0x12,
            minor: 0x34,
            patch: 0x5678
        }
    );
    assert_eq!(Version::parse("1.00.00").unwrap().to_string(), "1.0.0");
    for bad in ["1.2", "1.2.3.4", "1.a.3", "12345.0.0", "1..0"] {
        assert!(Version::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn builder_rejects_bad_inputs() {
    let kek = kek();
    let signer = signer();
    let one = |c: Command| {
        vec![Section {
            uid: 0,
            flags: SPSDK_SECTION_FLAGS,
            hmac_count: 1,
            commands: vec![c],
        }]
    };
    assert!(test_builder(&signer, &kek, Vec::new()).build().is_err());
    let bad_mem = Command::MemEnable {
        address: 0,
        size: 4,
        mem_id: 0x1000,
    };
    assert!(test_builder(&signer, &kek, one(bad_mem)).build().is_err());
    let other = LocalSigner::from_file(&dir().join("keys/rotk1_rsa2048.pem")).unwrap();
    assert!(matches!(
        test_builder(&other, &kek, one(Command::Reset)).build(),
        Err(Sb21Error::SignerMismatch)
    ));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn command() -> impl Strategy<Value = Command> {
        prop_oneof![
            (
                any::<u32>(),
                0u32..0x1000,
                proptest::collection::vec(any::<u8>(), 0..70),
                any::<bool>()
            )
                .prop_map(|(address, mem_id, data, count_padded)| Command::Load {
                    address,
                    mem_id,
                    data,
                    padding: Vec::new(),
                    count_padded,
                }),
            (any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(address, length, pattern)| {
                Command::Fill {
                    address,
                    length,
                    pattern,
                }
            }),
            (any::<u32>(), any::<u32>(), any::<Option<u32>>()).prop_map(
                |(address, argument, stack_pointer)| Command::Jump {
                    address,
                    argument,
                    stack_pointer,
                }
            ),
            (any::<u32>(), any::<u32>(), 0u32..0x1000, 0u16..4).prop_map(
                |(address, length, mem_id, erase_flags)| Command::Erase {
                    address,
                    length,
                    mem_id,
                    erase_flags,
                }
            ),
            (
                any::<u32>(),
                any::<u8>(),
                any::<u32>(),
                any::<Option<u32>>()
            )
                .prop_map(|(index, mem_id, word1, word2)| Command::Prog {
                    index,
                    mem_id,
                    word1,
                    word2,
                }),
            (0u32..2, any::<u32>())
                .prop_map(|(ver_type, version)| Command::VersionCheck { ver_type, version }),
        ]
    }

    proptest! {
        #[test]
        fn commands_round_trip(cmds in proptest::collection::vec(command(), 1..8)) {
            let mut w = Writer::new();
            for c in &cmds {
                c.encode_into(&mut w);
            }
            let back = command::decode_commands(w.as_slice(), 0).unwrap();
            // A padded count decodes as data that includes the (zero) padding.
            let norm = |c: &Command| match c {
                Command::Load { address, mem_id, data, padding, count_padded } => {
                    let mut d = data.clone();
                    if *count_padded {
                        d.resize(d.len().div_ceil(16) * 16, 0);
                    }
                    Command::Load {
                        address: *address,
                        mem_id: *mem_id,
                        count_padded: d.len() % 16 == 0,
                        data: d,
                        padding: padding.clone(),
                    }
                }
                other => other.clone(),
            };
            let want: Vec<Command> = cmds.iter().map(norm).collect();
            prop_assert_eq!(back, want);
        }

        #[test]
        fn random_areas_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = command::decode_commands(&data, 0);
        }
    }
}
