//! The SB2.1 part of `cargo xtask demo` (LPC55S69: RSA, certificate block v1), with the
//! release `sbgen`, `blhost` and `devsim`:
//!
//! 1. OEM security: four RSA-2048 root keys (`sbgen key gen`), their self-signed X.509
//!    certificates (`sbgen cert generate`, SPSDK `nxpcrypto cert` configs), the RKTH and the
//!    CMPA value that holds it (`sbgen rkth`);
//! 2. factory: the SBKEK pair (`sbgen sb21 get-sbkek`: hex for the capsule, the reversed
//!    binary the key store takes);
//! 3. firmware engineer: a signed bootable image (`sbgen mbi export`, `sbgen mbi verify`) and
//!    an SB2.1 file that installs it (`sbgen sb21 export`, `sbgen sb21 verify`);
//! 4. factory: a simulated LPC55S69 enrolls its PUF key store and takes the SBKEK
//!    (`blhost key-provisioning`), the RKTH goes into its CMPA (`blhost write-memory`);
//! 5. field update: `blhost receive-sb-file`, `blhost reset`; devsim's secure boot reports
//!    that the image boots.

use crate::demo_sb31::{boot_line, rkth_and_update, signed_image, start_devsim};
use crate::steps::Steps;
use std::path::Path;

use anyhow::{Context, Result};

use crate::cargo_tasks::ReleaseBins;
use crate::paths;

const FAMILY: &str = "lpc55s69";
const CMPA: u32 = 0x0009_E400;
const ROTKH_AT: usize = 0x50;

/// Runs the SB2.1 steps in `work` with the release binaries (sbgen is built by the SB3.1 part).
pub fn session(bins: &ReleaseBins, work: &Path) -> Result<()> {
    let sbgen = paths::release_binary("sbgen")?;
    let work = work.join("sb21");
    std::fs::create_dir_all(&work).context("demo: work directory")?;
    println!();
    println!("# provkit demo, part 4: SB2.1 update of a simulated {FAMILY} (RSA, cert block v1)");
    let mut c = Steps::new(
        'B',
        vec![("sbgen", sbgen), ("blhost", bins.blhost.clone())],
        &work,
    );
    for i in 0..4 {
        c.step(
            &format!("OEM: root key {i} (RSA-2048)"),
            "sbgen",
            &[
                "key",
                "gen",
                "--type",
                "rsa2048",
                "-o",
                &format!("rotk{i}.pem"),
            ],
        )?;
        c.file(
            &format!("root{i}.yaml"),
            &format!(
                "issuer:\n  COMMON_NAME: ROOT{i}\n  ORGANIZATION_NAME: provkit demo\n\
                 subject:\n  COMMON_NAME: ROOT{i}\n  ORGANIZATION_NAME: provkit demo\n\
                 issuer_private_key: rotk{i}.pem\nsubject_public_key: rotk{i}.pub\n\
                 serial_number: {}\nduration: 3650\nextensions:\n  BASIC_CONSTRAINTS:\n    ca: false\n",
                i + 1
            ),
        )?;
        c.step(
            &format!("OEM: self-signed root certificate {i}"),
            "sbgen",
            &[
                "cert",
                "generate",
                "-c",
                &format!("root{i}.yaml"),
                "-o",
                &format!("root{i}.der"),
            ],
        )?;
    }
    let rkth_json = c.step(
        "OEM: the root key table hash and where it goes",
        "sbgen",
        &[
            "rkth",
            "-f",
            FAMILY,
            "root0.der",
            "root1.der",
            "root2.der",
            "root3.der",
            "--json",
        ],
    )?;
    let v: serde_json::Value = serde_json::from_str(&rkth_json).context("demo: rkth --json")?;
    let rkth = v["rkth"].as_str().unwrap_or_default().to_string();
    c.step(
        "factory: a new SBKEK (sbkek.txt for the capsule, reversed sbkek.bin for the key store)",
        "sbgen",
        &["sb21", "get-sbkek", "-o", "."],
    )?;
    let mut app = crate::demo::pseudo_random_bytes(8192, 21);
    app[..8].copy_from_slice(&[0, 0, 4, 0x20, 0xC1, 0x02, 0, 0]);
    std::fs::write(work.join("app.bin"), &app).context("demo: app.bin")?;
    println!();
    println!("(app.bin: an 8 KiB application)");
    c.file(
        "cert_block.yaml",
        &format!(
            "family: {FAMILY}\nimageBuildNumber: 1\nrootCertificate0File: root0.der\n\
             rootCertificate1File: root1.der\nrootCertificate2File: root2.der\n\
             rootCertificate3File: root3.der\nmainRootCertId: 0\n"
        ),
    )?;
    signed_image(
        &mut c,
        FAMILY,
        &rkth,
        &format!(
            "family: {FAMILY}\noutputImageExecutionTarget: xip\noutputImageAuthenticationType: signed\n\
             masterBootOutputFile: app_signed.bin\ninputImageFile: app.bin\noutputImageExecutionAddress: 0\n\
             enableTrustZone: false\ncertBlock: cert_block.yaml\nsigner: type=file;file_path=rotk0.pem\n"
        ),
    )?;
    c.file(
        "update.yaml",
        &format!(
            "family: {FAMILY}\noptions:\n  flags: 0x8\n  productVersion: \"1.0.0\"\n\
             \x20 componentVersion: \"1.0.0\"\n  secureBinaryVersion: \"2.1\"\n\
             signer: type=file;file_path=rotk0.pem\ncertBlock: cert_block.yaml\n\
             containerOutputFile: update.sb2\ncontainerKeyBlobEncryptionKey: sbkek.txt\n\
             sections:\n  - commands:\n      - erase:\n          address: 0\n          length: 0x4000\n\
             \x20     - load:\n          address: 0\n          file: app_signed.bin\n"
        ),
    )?;
    c.step(
        "firmware: the SB2.1 update file",
        "sbgen",
        &["sb21", "export", "-c", "update.yaml"],
    )?;
    c.step(
        "firmware: check it as the ROM will",
        "sbgen",
        &[
            "sb21",
            "verify",
            "-i",
            "update.sb2",
            "-k",
            "sbkek.txt",
            "--rkth",
            &rkth,
        ],
    )?;
    println!();
    println!("# B{}. factory: a new device", c.n + 1);
    c.n += 1;
    println!("$ devsim mcu --family {FAMILY} --link port --state state &");
    let (_sim, rx) = start_devsim(&bins.devsim, &work, FAMILY, &[])?;
    println!("{}", boot_line(&rx, 0)?);
    let port = format!("{},115200", work.join("port").display());
    for (what, args) in [
        ("factory: enroll the PUF key store", vec!["enroll"]),
        (
            "factory: the SBKEK into the key store (user key type 3)",
            vec!["set_user_key", "3", "sbkek.bin"],
        ),
        (
            "factory: keep the key store in flash",
            vec!["write_key_nonvolatile", "0"],
        ),
    ] {
        let mut a = vec!["-p", port.as_str(), "key-provisioning"];
        a.extend(args);
        c.step(what, "blhost", &a)?;
    }
    rkth_and_update(
        &mut c,
        &work,
        &port,
        (CMPA, ROTKH_AT),
        &rkth,
        "update.sb2",
        &rx,
    )?;
    println!();
    println!(
        "# SB2.1 demo finished: the RSA-signed image boots ({} steps)",
        c.n
    );
    Ok(())
}
