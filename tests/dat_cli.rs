//! `dat-tool`'s offline commands through the binary: SPSDK configs and vectors, verify,
//! show, dar, socu, key gen, and the one-line errors and exit codes of bad inputs.

use e2e::{Run, bin, run, vector};
use std::path::{Path, PathBuf};

fn dat(args: &[&str]) -> Run {
    run(&bin("dat-tool"), args)
}

fn ok(r: &Run) {
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
}

fn fails(r: &Run, code: i32, needle: &str) {
    assert_eq!(r.code, code, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("dat-tool:"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains(needle),
        "'{needle}' not in '{}'",
        lines[0]
    );
    assert!(!r.stderr.contains("panicked"));
}

fn p(x: &Path) -> String {
    x.display().to_string()
}

fn config(dir: &Path, case: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(vector(&format!("dat/{case}/dc_config.yaml")))
        .unwrap()
        .replace("../keys", &p(&vector("dat/keys")));
    let f = dir.join(format!("{case}.yaml"));
    std::fs::write(&f, edit(text)).unwrap();
    f
}

const RKTH: &[(&str, &str, &str)] = &[
    (
        "lpc55s69_rsa2048",
        "lpc55s69",
        "974cb0d30775c43c9015e7041404f30a1fd02a9787f0b77ad7d31552a61a601f",
    ),
    (
        "lpc55s69_rsa4096",
        "lpc55s69",
        "ef5399b5055774138d0091f99035915a1d25df11151abe9d572d5c7bfde24a8f",
    ),
    (
        "lpc55s36_p256",
        "lpc55s36",
        "c20388a41264263ed00149870909044e1d2ae89c778362d21195c83a0c95c486",
    ),
    (
        "mcxn947_p384",
        "mcxn947",
        "c1c130b798c596ea27780badfc469e8535990b0ea93cfda50494929dee5d45cea8c09e10bd29b0a06978e86b9ada01e1",
    ),
];

#[test]
fn spsdk_configs_export_and_every_vector_verifies() {
    let dir = tempfile::tempdir().unwrap();
    for (case, fam, rkth) in RKTH {
        let vec_dc = vector(&format!("dat/{case}/dc.bin"));
        let r = dat(&["dc", "verify", &p(&vec_dc), "-f", fam, "--rkth", rkth]);
        ok(&r);
        assert!(
            r.stdout.contains("DC signature") && r.stdout.contains("valid"),
            "{}",
            r.stdout
        );
        let out = dir.path().join(format!("{case}.dc"));
        let r = dat(&[
            "dc",
            "export",
            "-c",
            &p(&config(dir.path(), case, |t| t)),
            "-o",
            &p(&out),
        ]);
        ok(&r);
        assert!(r.stdout.contains(&format!("RKTH: {rkth}")), "{}", r.stdout);
        if case.contains("rsa") {
            assert_eq!(
                std::fs::read(&out).unwrap(),
                std::fs::read(&vec_dc).unwrap(),
                "{case}"
            );
        }
        let j = dat(&["dc", "verify", &p(&out), "--json", "-f", fam]);
        ok(&j);
        let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        assert_eq!(v["ok"], true);
    }
}

#[test]
fn dar_from_the_vector_challenge_matches_spsdk_and_takes_yaml_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dar.bin");
    // The DC given as its SPSDK YAML (SPSDK's `dat auth` crashes on that).
    let cfg = config(dir.path(), "lpc55s69_rsa2048", |t| t);
    let r = dat(&[
        "dar",
        "--dac",
        &p(&vector("dat/lpc55s69_rsa2048/dac.bin")),
        "--dc",
        &p(&cfg),
        "--key",
        &p(&vector("dat/keys/dck_rsa2048.pem")),
        "--beacon",
        "0x5A5A",
        "-o",
        &p(&out),
    ]);
    ok(&r);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(vector("dat/lpc55s69_rsa2048/dar.bin")).unwrap()
    );
    // The family check sees the challenge's UUID is not the credential's.
    let dac = vector("dat/lpc55s36_p256/dac.bin");
    let dc = vector("dat/lpc55s36_p256/dc.bin");
    let key = p(&vector("dat/keys/dck_p256.pem"));
    ok(&dat(&[
        "dar",
        "--dac",
        &p(&dac),
        "--dc",
        &p(&dc),
        "--key",
        &key,
        "-f",
        "lpc55s36",
        "-o",
        &p(&out),
    ]));
    fails(
        &dat(&[
            "dar",
            "--dac",
            &p(&dac),
            "--dc",
            &p(&vector("dat/mcxn947_p384/dc.bin")),
            "--key",
            &key,
            "-o",
            &p(&out),
        ]),
        1,
        "protocol 2.0",
    );
}

#[test]
fn bad_inputs_are_one_line_errors_with_the_right_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let full = std::fs::read(vector("dat/mcxn947_p384/dc.bin")).unwrap();
    std::fs::write(d.join("t.dc"), &full[..200]).unwrap();
    fails(&dat(&["dc", "verify", &p(&d.join("t.dc"))]), 2, "truncated");
    fails(
        &dat(&["dc", "show", &p(&d.join("missing.dc"))]),
        2,
        "cannot read",
    );
    let mut bad = full.clone();
    *bad.last_mut().unwrap() ^= 1;
    std::fs::write(d.join("b.dc"), &bad).unwrap();
    fails(
        &dat(&["dc", "verify", &p(&d.join("b.dc"))]),
        1,
        "DC signature: INVALID",
    );
    fails(
        &dat(&[
            "dc",
            "verify",
            &p(&vector("dat/mcxn947_p384/dc.bin")),
            "-f",
            "lpc55s69",
        ]),
        1,
        "SOCC",
    );
    fails(
        &dat(&[
            "dc",
            "verify",
            &p(&vector("dat/lpc55s36_p256/dc.bin")),
            "--rkth",
            "00",
        ]),
        1,
        "RKTH",
    );
    // SPSDK's template signer (a signature provider) is not a key we can use.
    let cfg = config(d, "lpc55s36_p256", |t| {
        t.replace("signer: ../keys/rotk2_p256.pem", "").replace(
            &format!("signer: {}/rotk2_p256.pem", p(&vector("dat/keys"))),
            "signer: type=sasp;key_number=0",
        )
    });
    fails(
        &dat(&["dc", "export", "-c", &p(&cfg), "-o", &p(&d.join("x"))]),
        2,
        "sasp",
    );
    let cfg = config(d, "lpc55s36_p256", |t| t.replace("rot_id: 2", "rot_id: 1"));
    fails(
        &dat(&["dc", "export", "-c", &p(&cfg), "-o", &p(&d.join("x"))]),
        2,
        "signing key is not rot_meta[1]",
    );
    let cfg = config(d, "lpc55s36_p256", |t| {
        t.replace("family: lpc55s36", "family: lpc55s69")
    });
    fails(
        &dat(&["dc", "export", "-c", &p(&cfg), "-o", &p(&d.join("x"))]),
        2,
        "lpc55s69 does not take P-256",
    );
    let cfg = config(d, "lpc55s36_p256", |t| {
        t.replace("family: lpc55s36", "family: mimxrt1189")
    });
    fails(
        &dat(&["dc", "export", "-c", &p(&cfg), "-o", &p(&d.join("x"))]),
        2,
        "EdgeLock",
    );
    let cfg = config(d, "lpc55s36_p256", |t| t.replace("cc_vu:", "cc_vendor:"));
    fails(
        &dat(&["dc", "export", "-c", &p(&cfg), "-o", &p(&d.join("x"))]),
        2,
        "cc_vendor",
    );
    fails(
        &dat(&["socu", "-f", "rw612", "0x1002000E", "--as", "fuse"]),
        2,
        "CRC8",
    );
    fails(&dat(&["socu", "-f", "mimxrt798s", "1"]), 2, "not known");
    fails(
        &dat(&[
            "dac",
            "--probe",
            "stlink",
            "--family",
            "lpc55s69",
            "--version",
            "1.0",
            "-o",
            "x",
        ]),
        2,
        "--probe",
    );
    let r = dat(&["auth"]);
    assert_eq!(r.code, 2);
}

#[test]
fn socu_decodes_the_seed_tables() {
    let r = dat(&["socu", "-f", "lpc55s69", "--examples"]);
    ok(&r);
    assert!(r.stdout.contains("0xFD0002FF"), "{}", r.stdout);
    let r = dat(&[
        "socu",
        "-f",
        "lpc55s69",
        "--pin",
        "0xFFBF0040",
        "--dflt",
        "0xFFBF0040",
        "--dc",
        "0x2",
    ]);
    ok(&r);
    assert!(
        r.stdout.contains("ISP_CMD_EN     always enabled"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("DBGEN          closed; debug authentication can open it  -> open after DAT"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "SPIDEN         closed; debug authentication can open it  -> closed after DAT"
        ),
        "{}",
        r.stdout
    );
    let r = dat(&["socu", "-f", "rw612", "0x1002000F", "--as", "fuse"]);
    ok(&r);
    assert!(
        r.stdout.contains("ISPCMDEN       always enabled"),
        "{}",
        r.stdout
    );
    let r = dat(&["socu", "-f", "mcxn947", "0x7FF"]);
    ok(&r);
    assert!(r.stdout.contains("CPU1_DBGEN     on"), "{}", r.stdout);
}

#[test]
fn key_gen_writes_0600_keys_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let k = dir.path().join("dck.pem");
    ok(&dat(&["key", "gen", "--type", "p384", "-o", &p(&k)]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&k).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let pubkey = provkit::crypto::PublicKey::from_file(&dir.path().join("dck.pub")).unwrap();
    assert_eq!(pubkey.key_type(), provkit::crypto::KeyType::P384);
    fails(
        &dat(&["key", "gen", "--type", "p384", "-o", &p(&k)]),
        2,
        "exists",
    );
    ok(&dat(&[
        "key",
        "gen",
        "--type",
        "p256",
        "-o",
        &p(&k),
        "--force",
    ]));
}

#[test]
fn listings() {
    let r = dat(&["families", "--json"]);
    ok(&r);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rw = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["family"] == "rw612")
        .unwrap();
    assert_eq!(
        (rw["socc"].as_str(), rw["dm_ap"].as_u64()),
        (Some("0x0000000A"), Some(3))
    );
    let r = dat(&["probes"]);
    ok(&r);
    assert!(r.stdout.contains("sim:HOST:PORT"));
}
