//! The OEM loop through the real binaries: `sbgen rkth` -> RKTH into CMPA/OTP with `blhost`
//! -> `sbgen mbi export` (signed image) -> `sbgen sb31 export` (a capsule loading it) ->
//! `blhost receive-sb-file` -> `blhost reset` -> devsim's secure boot reports the image boots
//! (`--state DIR/boot.json`). Then the ways a capsule is refused, with the ROM's status.

use e2e::{DevSim, Run, blhost, boot_report, path_arg as s, sbgen};
use std::path::PathBuf;

const KEK: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn keys() -> PathBuf {
    e2e::vector("sb31").join("keys")
}

struct Setup {
    dir: tempfile::TempDir,
    state: PathBuf,
    rkth: String,
}

/// Config files for `family`: cert block (4 x P-256 roots, ISK), a signed MBI of a small
/// application, and an SB3.1 capsule loading it at the boot address.
fn setup(family: &str, fw: u32, ar: u8) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let k = |n: &str| keys().join(n).display().to_string();
    let mut app = vec![0u8; 4096];
    app[..8].copy_from_slice(&[0, 0, 1, 0x20, 0xC1, 0, 0, 0]);
    for (i, b) in app.iter_mut().enumerate().skip(0x40) {
        *b = (i % 251) as u8;
    }
    std::fs::write(d.join("app.bin"), &app).unwrap();
    std::fs::write(d.join("sbkek.txt"), KEK).unwrap();
    std::fs::write(
        d.join("cert_block.yaml"),
        format!(
            "family: {family}\nuseIsk: true\niskPublicKey: {}\nsigner: type=file;file_path={}\n\
             rootCertificate0File: {}\nrootCertificate1File: {}\nrootCertificate2File: {}\n\
             rootCertificate3File: {}\nmainRootCertId: 1\n",
            k("isk_p256.pub"),
            k("rot_p256_1.pem"),
            k("rot_p256_0.pub"),
            k("rot_p256_1.pub"),
            k("rot_p256_2.pub"),
            k("rot_p256_3.pub"),
        ),
    )
    .unwrap();
    let (boot, mem, pre) = match family {
        "rw612" => (
            0x0800_1000u32,
            9,
            "  - fillMemory:\n      address: 0x20010000\n      size: 4\n      pattern: 0xC0000004\n\
             \x20 - configureMemory:\n      configAddress: 0x20010000\n      memoryId: 9\n\
             \x20 - erase:\n      address: 0x08000000\n      size: 0x10000\n      memoryId: 9\n",
        ),
        _ => (
            0u32,
            0,
            "  - erase:\n      address: 0\n      size: 0x4000\n",
        ),
    };
    std::fs::write(
        d.join("mbi.yaml"),
        format!(
            "family: {family}\noutputImageExecutionTarget: xip\noutputImageAuthenticationType: signed\n\
             masterBootOutputFile: app_signed.bin\ninputImageFile: app.bin\n\
             outputImageExecutionAddress: 0x{boot:X}\nfirmwareVersion: {fw}\n\
             certBlock: cert_block.yaml\nsigner: {}\n",
            k("isk_p256.pem")
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("sb31.yaml"),
        format!(
            "family: {family}\ncontainerOutputFile: update.sb3\nsigner: {}\ncertBlock: cert_block.yaml\n\
             containerKeyBlobEncryptionKey: sbkek.txt\nkdkAccessRights: {ar}\nfirmwareVersion: {fw}\n\
             description: e2e\ncommands:\n{pre}  - load:\n      address: 0x{boot:X}\n      memoryId: {mem}\n      data: app_signed.bin\n",
            k("isk_p256.pem")
        ),
    )
    .unwrap();
    let r = sbgen(&["mbi", "export", "-c", s(&d.join("mbi.yaml"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = sbgen(&["sb31", "export", "-c", s(&d.join("sb31.yaml"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys4: Vec<String> = (0..4).map(|i| k(&format!("rot_p256_{i}.pub"))).collect();
    let mut a = vec!["rkth", "-f", family, "--json"];
    a.extend(keys4.iter().map(String::as_str));
    let r = sbgen(&a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let state = d.join("state");
    std::fs::create_dir_all(&state).unwrap();
    Setup {
        state,
        rkth: v["rkth"].as_str().unwrap().to_string(),
        dir,
    }
}

/// Puts the RKTH where the family's ROM reads it, with blhost.
fn provision(sim: &DevSim, family: &str, setup: &Setup) {
    let port = sim.port_arg(115200);
    let rkth = provkit::codec::from_hex(&setup.rkth).unwrap();
    let fam = provkit::family::family(family).unwrap();
    let sb = fam.secure_boot.as_ref().unwrap();
    match sb.rkth.area {
        provkit::family::Area::Otp => {
            for (i, c) in rkth.chunks(4).enumerate() {
                let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                let r = blhost(&[
                    "-p",
                    &port,
                    "efuse-program-once",
                    &(sb.rkth.offset + i as u32).to_string(),
                    &format!("0x{w:08X}"),
                ]);
                assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
            }
        }
        _ => {
            let pfr = fam.pfr.as_ref().unwrap();
            let mut page = vec![0u8; pfr.page_size as usize];
            let o = sb.rkth.offset as usize;
            page[o..o + rkth.len()].copy_from_slice(&rkth);
            let f = setup.dir.path().join("cmpa.bin");
            std::fs::write(&f, &page).unwrap();
            let r = blhost(&[
                "-p",
                &port,
                "write-memory",
                &format!("0x{:X}", pfr.cmpa),
                s(&f),
            ]);
            assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        }
    }
}

fn full_loop(family: &str) {
    let st = setup(family, 3, 0);
    let sim = DevSim::start(family, &["--state", s(&st.state), "--sbkek", KEK]);
    let port = sim.port_arg(115200);
    // Power-on: nothing in flash yet.
    assert_eq!(boot_report(&st.state, 0)["result"], "no-image");
    provision(&sim, family, &st);
    let sb3 = st.dir.path().join("update.sb3");
    let r = blhost(&["-p", &port, "receive-sb-file", s(&sb3)]);
    assert_eq!(r.code, 0, "{family}: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Success"), "{}", r.stdout);
    let r = blhost(&["-p", &port, "reset"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = boot_report(&st.state, 1);
    assert_eq!(b["result"], "ok", "{family}: {b}");
    assert_eq!(b["image"], "xip signed");
    assert_eq!(b["firmware_version"], 3);
    assert_eq!(b["rkth"], st.rkth.as_str());
}

#[test]
fn lpc55s36_update_and_boot() {
    full_loop("lpc55s36");
}

#[test]
fn mcxn947_update_and_boot() {
    full_loop("mcxn947");
}

#[test]
fn rw612_update_and_boot() {
    full_loop("rw612");
}

/// Each refusal answers the ROM's status through blhost (exit 1, SPSDK's status line).
#[test]
fn devsim_refuses_bad_capsules_with_the_rom_status() {
    let family = "mcxn947";
    let st = setup(family, 3, 0);
    let good = std::fs::read(st.dir.path().join("update.sb3")).unwrap();
    let c = provkit::sb31::Container::decode(&good).unwrap();
    let b0 = c.header.block0_len as usize;
    let sim = DevSim::start(family, &["--state", s(&st.state), "--sbkek", KEK]);
    let port = sim.port_arg(115200);
    provision(&sim, family, &st);
    let send = |bytes: &[u8], name: &str| -> Run {
        let p = st.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        blhost(&["-p", &port, "receive-sb-file", s(&p)])
    };
    let mut cases: Vec<(String, Vec<u8>, u32)> = Vec::new();
    let flip = |at: usize| {
        let mut t = good.clone();
        t[at] ^= 0x01;
        t
    };
    cases.push(("header".into(), flip(0x08), 10101));
    cases.push(("cert block".into(), flip(0x80), 10101));
    cases.push(("ISK".into(), flip(c.signed_part.len() - 70), 10101));
    cases.push(("signature".into(), flip(b0 - 3), 10101));
    cases.push(("block 1".into(), flip(b0 + 100), 10105));
    cases.push(("last block".into(), flip(good.len() - 1), 10105));
    cases.push(("truncated".into(), good[..good.len() - 1].to_vec(), 10109));
    // kdkAccessRights 3: the device derives with 0.
    let ar3 = setup(family, 3, 3);
    cases.push((
        "kdkAccessRights".into(),
        std::fs::read(ar3.dir.path().join("update.sb3")).unwrap(),
        10118,
    ));
    for (name, bytes, want) in &cases {
        let r = send(bytes, "t.sb3");
        assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains(&format!("Response status = {want}")),
            "{name}: {}",
            r.stdout
        );
    }
    // Rollback: the secure counter (CFPA Secure_FW_Version) moves past the capsule's 3.
    let fam = provkit::family::family(family).unwrap();
    let pfr = fam.pfr.as_ref().unwrap();
    let mut cfpa = vec![0u8; pfr.page_size as usize];
    cfpa[4..8].copy_from_slice(&1u32.to_le_bytes());
    cfpa[8..12].copy_from_slice(&5u32.to_le_bytes());
    let f = st.dir.path().join("cfpa.bin");
    std::fs::write(&f, &cfpa).unwrap();
    let r = blhost(&[
        "-p",
        &port,
        "write-memory",
        &format!("0x{:X}", pfr.cfpa),
        s(&f),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = send(&good, "good.sb3");
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("Response status = 10115"), "{}", r.stdout);
    // And a device without an SBKEK.
    drop(sim);
    let sim = DevSim::start(family, &[]);
    let port = sim.port_arg(115200);
    provision(&sim, family, &st);
    let p = st.dir.path().join("good.sb3");
    let r = blhost(&["-p", &port, "receive-sb-file", s(&p)]);
    assert!(r.stdout.contains("Response status = 10112"), "{}", r.stdout);
}
