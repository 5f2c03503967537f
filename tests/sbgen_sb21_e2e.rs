//! The SB2.1 OEM loop through the real binaries: `sbgen mbi export` (a signed image, cert
//! block v1 of the `tests/vectors/mbi` roots) -> `sbgen sb21 export` (a capsule loading it)
//! -> devsim provisioned the NXP way (LPC55S69: `blhost key-provisioning enroll`,
//! `set_user_key 3 sbkek.bin`, `write_key_nonvolatile`, the RKTH from `sbgen rkth` into the
//! CMPA; RT595S: OTP master key and RKTH fuses with `blhost efuse-program-once`) ->
//! `blhost receive-sb-file` -> `blhost reset` -> devsim's secure boot says the image boots
//! (`--state DIR/boot.json`). The SBKEK pair (`sbkek.txt` for the capsule, the reversed
//! `sbkek.bin` for the key store) comes from SPSDK's `nxpimage sb21 get-sbkek`, which also
//! derives the RT5xx SBKEK from the OTP master key. Then the ways a capsule is refused,
//! with the ROM's status, through our blhost and SPSDK's.

use e2e::{
    DevSim, Run, blhost, boot_report, ok, path_arg as s, run, sbgen, spsdk_blhost, spsdk3_bin,
    vector,
};
use std::path::PathBuf;

/// The OTP master key `get-sbkek` derives the SBKEK from (burned into RT595S fuses).
const MASTER: &str = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

fn mbi_vec(rel: &str) -> String {
    vector("mbi").join(rel).display().to_string()
}

struct Setup {
    dir: tempfile::TempDir,
    state: PathBuf,
    rkth: String,
    capsule: PathBuf,
}

impl Setup {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Config files for `family`: the SBKEK pair, cert block v1, a signed MBI of the vectors'
/// application at the boot address, and an SB2.1 capsule that writes it there.
fn setup(family: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run(
        &spsdk3_bin("nxpimage"),
        &["sb21", "get-sbkek", "-k", MASTER, "-o", s(d)],
    );
    assert_eq!(
        r.code, 0,
        "nxpimage sb21 get-sbkek: {}{}",
        r.stdout, r.stderr
    );
    let fam = provkit::family::family(family).unwrap();
    let boot = fam.secure_boot.as_ref().unwrap().boot_address;
    let roots: Vec<String> = (0..4)
        .map(|i| mbi_vec(&format!("certs/root{i}_rsa_cert.der")))
        .collect();
    let signer = format!("type=file;file_path={}", mbi_vec("keys/rotk0_rsa2048.pem"));
    std::fs::write(
        d.join("cert_block.yaml"),
        format!(
            "family: {family}\nimageBuildNumber: 3\nrootCertificate0File: {}\n\
             rootCertificate1File: {}\nrootCertificate2File: {}\nrootCertificate3File: {}\n\
             mainRootCertId: 0\n",
            roots[0], roots[1], roots[2], roots[3]
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("mbi.yaml"),
        format!(
            "family: {family}\noutputImageExecutionTarget: xip\n\
             outputImageAuthenticationType: signed\nmasterBootOutputFile: app_signed.bin\n\
             inputImageFile: {}\noutputImageExecutionAddress: 0x{boot:X}\n\
             certBlock: cert_block.yaml\nsigner: {signer}\n",
            mbi_vec("app/app.bin")
        ),
    )
    .unwrap();
    // RT595S boots from FlexSPI NOR: configure it (option word in RAM), erase, load there.
    let (pre, mem) = match family {
        "mimxrt595s" => (
            "      - load:\n          address: 0x0010C000\n          values: \"0xC0403006\"\n\
             \x20     - enable:\n          address: 0x0010C000\n          mem_opt: 9\n\
             \x20     - erase:\n          address: 0x08000000\n          length: 0x10000\n          mem_opt: 9\n",
            "          load_opt: 9\n",
        ),
        _ => (
            "      - erase:\n          address: 0x0\n          length: 0x10000\n",
            "",
        ),
    };
    std::fs::write(
        d.join("sb21.yaml"),
        format!(
            "family: {family}\noptions:\n  flags: 0x8\n  productVersion: \"1.0.0\"\n  \
             componentVersion: \"1.0.0\"\nsigner: {signer}\ncertBlock: cert_block.yaml\n\
             containerOutputFile: update.sb\ncontainerKeyBlobEncryptionKey: sbkek.txt\n\
             sections:\n  - commands:\n{pre}      - load:\n          address: 0x{boot:X}\n\
             {mem}          file: app_signed.bin\n      - version_check:\n          ver_type: 0\n\
             \x20         fw_version: 2\n"
        ),
    )
    .unwrap();
    let r = sbgen(&["mbi", "export", "-c", s(&d.join("mbi.yaml"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = sbgen(&["sb21", "export", "-c", s(&d.join("sb21.yaml"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut a = vec!["rkth", "-f", family, "--json"];
    a.extend(roots.iter().map(String::as_str));
    let r = sbgen(&a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let state = d.join("state");
    std::fs::create_dir_all(&state).unwrap();
    Setup {
        state,
        rkth: v["rkth"].as_str().unwrap().to_string(),
        capsule: d.join("update.sb"),
        dir,
    }
}

fn burn(port: &str, index: u32, bytes: &[u8]) {
    for (i, c) in bytes.chunks(4).enumerate() {
        let w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        let idx = (index + i as u32).to_string();
        let r = blhost(&[
            "-p",
            port,
            "efuse-program-once",
            &idx,
            &format!("0x{w:08X}"),
        ]);
        ok(&r, "efuse-program-once");
    }
}

/// Puts the RKTH where the family's ROM reads it, and (with `sbkek`) the SBKEK the way NXP
/// documents it for the family.
fn provision(sim: &DevSim, family: &str, st: &Setup, rkth: &str, sbkek: bool) {
    let port = sim.port_arg(115200);
    let rkth = provkit::codec::from_hex(rkth).unwrap();
    let fam = provkit::family::family(family).unwrap();
    let sb = fam.secure_boot.as_ref().unwrap();
    match sb.rkth.area {
        provkit::family::Area::Otp => burn(&port, sb.rkth.offset, &rkth),
        _ => {
            let pfr = fam.pfr.as_ref().unwrap();
            let mut page = vec![0u8; pfr.page_size as usize];
            let o = sb.rkth.offset as usize;
            page[o..o + rkth.len()].copy_from_slice(&rkth);
            let f = st.path("cmpa.bin");
            std::fs::write(&f, &page).unwrap();
            let cmpa = format!("0x{:X}", pfr.cmpa);
            ok(
                &blhost(&["-p", &port, "write-memory", &cmpa, s(&f)]),
                "CMPA",
            );
        }
    }
    if !sbkek {
        return;
    }
    match &sb.otp_master_key {
        Some(k) => burn(&port, k.offset, &provkit::codec::from_hex(MASTER).unwrap()),
        None => {
            let kp = |args: &[&str]| {
                let mut a = vec!["-p", port.as_str(), "key-provisioning"];
                a.extend_from_slice(args);
                ok(&blhost(&a), "key-provisioning");
            };
            kp(&["enroll"]);
            kp(&["set_user_key", "3", s(&st.path("sbkek.bin"))]);
            kp(&["write_key_nonvolatile", "0"]);
        }
    }
}

fn full_loop(family: &str) {
    let st = setup(family);
    let sim = DevSim::start(family, &["--state", s(&st.state)]);
    let port = sim.port_arg(115200);
    assert_eq!(boot_report(&st.state, 0)["result"], "no-image");
    provision(&sim, family, &st, &st.rkth, true);
    let r = blhost(&["-p", &port, "receive-sb-file", s(&st.capsule)]);
    ok(&r, family);
    assert!(r.stdout.contains("Success"), "{}", r.stdout);
    ok(&blhost(&["-p", &port, "reset"]), "reset");
    let b = boot_report(&st.state, 1);
    assert_eq!(b["result"], "ok", "{family}: {b}");
    assert_eq!(b["image"], "xip signed", "{b}");
    assert_eq!(b["rkth"], st.rkth.as_str(), "{b}");
    let img = std::fs::read(st.path("app_signed.bin")).unwrap();
    assert_eq!(b["size"], img.len(), "{b}");
}

#[test]
fn lpc55s69_update_and_boot() {
    full_loop("lpc55s69");
}

#[test]
fn mimxrt595s_update_and_boot() {
    full_loop("mimxrt595s");
}

/// Each refusal answers the ROM's status through blhost (exit 1, SPSDK's status line), and
/// none of them writes the image: the device still finds nothing to boot.
#[test]
fn devsim_refuses_bad_capsules_with_the_rom_status() {
    let family = "lpc55s69";
    let st = setup(family);
    let good = std::fs::read(&st.capsule).unwrap();
    let kek = std::fs::read_to_string(st.path("sbkek.txt")).unwrap();
    let d = provkit::sb21::decode(&good, &provkit::codec::from_hex(&kek).unwrap(), None)
        .expect("sbgen's capsule decodes");
    let sig = d.prologue.signature_offset();
    let sim = DevSim::start(family, &["--state", s(&st.state)]);
    let port = sim.port_arg(115200);
    provision(&sim, family, &st, &st.rkth, true);
    let send = |bytes: &[u8], spsdk: bool| -> Run {
        let p = st.path("t.sb");
        std::fs::write(&p, bytes).unwrap();
        let args = ["-p", port.as_str(), "receive-sb-file", s(&p)];
        if spsdk {
            spsdk_blhost(&args)
        } else {
            blhost(&args)
        }
    };
    let flip = |at: usize| {
        let mut t = good.clone();
        t[at] ^= 0x01;
        t
    };
    let cases: Vec<(&str, Vec<u8>, u32)> = vec![
        ("header magic", flip(0x14), 10101),
        ("nonce", flip(0x00), 10101),
        ("key blob", flip(0x90), 10118),
        ("certificate block", flip(0x200), 10101),
        ("signature", flip(sig + 5), 10101),
        ("section", flip(good.len() - 1), 10105),
        ("truncated", good[..good.len() - 16].to_vec(), 10109),
    ];
    for (name, bytes, want) in &cases {
        for spsdk in [false, true] {
            let r = send(bytes, spsdk);
            let who = if spsdk { "SPSDK blhost" } else { "blhost" };
            assert_eq!(r.code, 1, "{who} {name}: {}{}", r.stdout, r.stderr);
            assert!(
                r.stdout.contains(&format!("Response status = {want}")),
                "{who} {name}: {}",
                r.stdout
            );
        }
    }
    // Nothing of it reached flash.
    ok(&blhost(&["-p", &port, "reset"]), "reset");
    let b = boot_report(&st.state, 1);
    assert_eq!(b["result"], "no-image", "{b}");
    // The good capsule through SPSDK's blhost: accepted.
    ok(&send(&good, true), "SPSDK blhost receive-sb-file");
    drop(sim);

    // Another root key table in CMPA: the certificate block does not match it.
    let sim = DevSim::start(family, &[]);
    let port = sim.port_arg(115200);
    let mut other = provkit::codec::from_hex(&st.rkth).unwrap();
    other[0] ^= 0x80;
    provision(&sim, family, &st, &provkit::codec::to_hex(&other), true);
    let r = blhost(&["-p", &port, "receive-sb-file", s(&st.capsule)]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("Response status = 10101"), "{}", r.stdout);
    drop(sim);

    // A device whose key store holds no SBKEK.
    let sim = DevSim::start(family, &[]);
    let port = sim.port_arg(115200);
    provision(&sim, family, &st, &st.rkth, false);
    let r = blhost(&["-p", &port, "receive-sb-file", s(&st.capsule)]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("Response status = 10112"), "{}", r.stdout);
}
