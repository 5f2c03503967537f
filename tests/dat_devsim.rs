//! `dat-tool` against `devsim --dm-listen`, through the real binaries: the SEC tool's debug
//! authentication workflow (technician -> OEM -> technician, zips), authentication per
//! family and protocol, the AHB check, and every wrong input the ROM or the host refuses.
//!
//! Devices are provisioned the way a factory would: our `blhost` writes the CMPA page
//! (ROTKH, SOCU PIN/DFLT) or burns the fuses (RW61x: RKTH, DCFG_CC_SOCU, lifecycle).

use e2e::{DevSim, Run, bin, run, vector};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

fn dat(args: &[&str]) -> Run {
    run(&bin("dat-tool"), args)
}

fn ok(r: &Run) {
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
}

/// Fails with `code`, and one line on stderr naming what `needle` says.
fn fails(r: &Run, code: i32, needle: &str) {
    assert_eq!(r.code, code, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    let errs: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("dat-tool:"))
        .collect();
    assert_eq!(errs.len(), 1, "one error line: {}", r.stderr);
    assert!(errs[0].contains(needle), "'{needle}' not in: {}", errs[0]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

fn keys(name: &str) -> String {
    vector(&format!("dat/keys/{name}")).display().to_string()
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

fn sim(family: &str, opts: &[&str]) -> DevSim {
    let mut args = vec!["--dm-listen", "127.0.0.1:0"];
    for o in opts {
        args.push("--dm-opt");
        args.push(o);
    }
    let s = DevSim::start(family, &args);
    assert!(s.dm.is_some(), "no dm address in the ready line");
    s
}

fn probe(s: &DevSim) -> String {
    format!("sim:{}", s.dm.as_deref().unwrap_or_default())
}

/// One request on the DM-AP socket (to look at the device from outside dat-tool).
fn raw(s: &DevSim, line: &str) -> String {
    let mut c = TcpStream::connect(s.dm.as_deref().unwrap_or_default()).unwrap();
    c.write_all(format!("{line}\n").as_bytes()).unwrap();
    let mut a = String::new();
    BufReader::new(c).read_line(&mut a).unwrap();
    a.trim().to_string()
}

fn rkth_of(dc: &Path) -> Vec<u8> {
    let r = dat(&["dc", "show", &p(dc), "--json"]);
    ok(&r);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    provkit::codec::from_hex(v["rkth"].as_str().unwrap()).unwrap()
}

fn blhost(s: &DevSim, args: &[&str]) {
    let port = s.port_arg(115200);
    let mut a = vec!["-p", port.as_str()];
    a.extend_from_slice(args);
    let r = e2e::blhost(&a);
    assert_eq!(r.code, 0, "blhost {args:?}: {}{}", r.stdout, r.stderr);
}

/// Writes the CMPA page: SOCU PIN/DFLT ("controlled by DA": only ISP pinned on) and RKTH.
fn provision_cmpa(s: &DevSim, dir: &Path, cmpa: u32, socu_at: usize, rkth_at: usize, rkth: &[u8]) {
    let mut page = vec![0u8; 512];
    page[socu_at..socu_at + 4].copy_from_slice(&0xFFBF_0040u32.to_le_bytes());
    page[socu_at + 4..socu_at + 8].copy_from_slice(&0xFFBF_0040u32.to_le_bytes());
    page[rkth_at..rkth_at + rkth.len()].copy_from_slice(rkth);
    let f = dir.join("cmpa.bin");
    std::fs::write(&f, &page).unwrap();
    blhost(s, &["write-memory", &format!("0x{cmpa:X}"), &p(&f)]);
}

fn provision(s: &DevSim, family: &str, dir: &Path, rkth: &[u8]) {
    match family {
        "lpc55s69" => provision_cmpa(s, dir, 0x9E400, 0x10, 0x50, rkth),
        "lpc55s36" => provision_cmpa(s, dir, 0x3E200, 0x10, 0x50, rkth),
        "mcxn947" => provision_cmpa(s, dir, 0x0100_4000, 0x40, 0x60, rkth),
        "rw612" => {
            for (i, c) in rkth.chunks(4).enumerate() {
                let w = u32::from_le_bytes(c.try_into().unwrap());
                blhost(
                    s,
                    &[
                        "efuse-program-once",
                        &(104 + i).to_string(),
                        &format!("{w:08X}"),
                    ],
                );
            }
            // DCFG_CC_SOCU "controlled by DA" (seed table), lifecycle in-field.
            blhost(s, &["efuse-program-once", "33", "1002000F"]);
            blhost(s, &["efuse-program-once", "45", "07"]);
        }
        other => panic!("{other}"),
    }
}

/// An SPSDK DC config in `dir` (absolute key paths).
fn config(
    dir: &Path,
    family: &str,
    uuid: &str,
    rot: &[&str],
    rot_id: usize,
    dck: &str,
    extra: &str,
) -> PathBuf {
    let rot_meta: String = rot
        .iter()
        .map(|k| format!("  - {}\n", keys(&format!("{k}.pub"))))
        .collect();
    let text = format!(
        "family: {family}\nuuid: '{uuid}'\ncc_socu: 0x7FF\ncc_vu: 0\ncc_beacon: 0\nrot_meta:\n{rot_meta}rot_id: {rot_id}\ndck: {}\nsigner: {}\n{extra}",
        keys(&format!("{dck}.pub")),
        keys(&format!("{}.pem", rot[rot_id]))
    );
    let f = dir.join(format!("{family}_{dck}.yaml"));
    std::fs::write(&f, text).unwrap();
    f
}

fn export(cfg: &Path) -> PathBuf {
    let out = cfg.with_extension("dc");
    ok(&dat(&["dc", "export", "-c", &p(cfg), "-o", &p(&out)]));
    out
}

fn auth(s: &DevSim, family: &str, dc: &Path, key: &str, extra: &[&str]) -> Run {
    let pr = probe(s);
    let mut a = vec!["auth", "--probe", &pr, "--family", family, "--dc"];
    let dcs = p(dc);
    a.push(&dcs);
    a.push("--key");
    a.push(key);
    a.extend_from_slice(extra);
    dat(&a)
}

/// Authenticates with a credential made from the vector keys, and checks the debug port
/// is closed before and open after.
fn authenticate(family: &str, opts: &[&str], rot: &[&str], rot_id: usize, dck: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(family, opts);
    let dc = export(&config(dir.path(), family, "0", rot, rot_id, dck, ""));
    provision(&s, family, dir.path(), &rkth_of(&dc));
    assert!(
        raw(&s, "MEMR 0x20000000").starts_with("FAULT"),
        "debug is closed before DAT"
    );
    let r = auth(
        &s,
        family,
        &dc,
        &keys(&format!("{dck}.pem")),
        &["--beacon", "0x1234"],
    );
    ok(&r);
    assert!(r.stdout.contains("AHB access at 0x"), "{}", r.stdout);
    assert!(r.stdout.contains("Debug authentication succeeded"));
    assert!(
        raw(&s, "MEMR 0x20000000").starts_with("OK"),
        "debug is open after DAT"
    );
    // DEBUG_AUTH_BEACON = auth beacon << 16 | credential beacon.
    assert_eq!(raw(&s, "MEMR 0x40000FC0"), "OK 0x12340000");
    r.stdout
}

#[test]
fn lpc55s69_rsa2048_authenticates() {
    let out = authenticate(
        "lpc55s69",
        &[],
        &[
            "rotk0_rsa2048",
            "rotk1_rsa2048",
            "rotk2_rsa2048",
            "rotk3_rsa2048",
        ],
        1,
        "dck_rsa2048",
    );
    assert!(out.contains("DAC: protocol 1.0, SOCC 0x00000001"), "{out}");
}

#[test]
fn lpc55s69_rsa4096_authenticates() {
    let out = authenticate(
        "lpc55s69",
        &["version=1.1"],
        &["rotk0_rsa4096"],
        0,
        "dck_rsa4096",
    );
    assert!(out.contains("DAC: protocol 1.1"), "{out}");
}

#[test]
fn lpc55s36_p256_four_root_keys_authenticates() {
    let out = authenticate(
        "lpc55s36",
        &[],
        &["rotk0_p256", "rotk1_p256", "rotk2_p256", "rotk3_p256"],
        2,
        "dck_p256",
    );
    assert!(out.contains("DAC: protocol 2.0, SOCC 0x00000004"), "{out}");
}

#[test]
fn mcxn947_p384_authenticates() {
    let out = authenticate("mcxn947", &[], &["rotk0_p384"], 0, "dck_p384");
    assert!(out.contains("DAC: protocol 2.1, SOCC 0x00000007"), "{out}");
}

#[test]
fn mcxn947_revision_a0_has_its_own_socc() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim("mcxn947", &["revision=a0"]);
    let cfg = config(
        dir.path(),
        "mcxn947",
        "0",
        &["rotk0_p256"],
        0,
        "dck_p256",
        "revision: a0\n",
    );
    let dc = export(&cfg);
    provision(&s, "mcxn947", dir.path(), &rkth_of(&dc));
    let key = keys("dck_p256.pem");
    // The family's latest revision (a1, SOCC 7) does not take an a0 (SOCC 6) credential.
    fails(&auth(&s, "mcxn947", &dc, &key, &[]), 2, "SOCC 0x00000006");
    let r = auth(&s, "mcxn947", &dc, &key, &["--revision", "a0"]);
    ok(&r);
    assert!(r.stdout.contains("SOCC 0x00000006"), "{}", r.stdout);
}

#[test]
fn rw612_p256_authenticates_on_access_port_3() {
    let out = authenticate("rw612", &[], &["rotk0_p256", "rotk1_p256"], 0, "dck_p256");
    assert!(out.contains("SOCC 0x0000000A"), "{out}");
    // RW61x sends no usable RoT hash in the DAC.
    assert!(out.contains(&format!("RKTH {}", "0".repeat(64))), "{out}");
}

#[test]
fn rw612_mailbox_is_not_on_access_port_2() {
    let s = sim("rw612", &[]);
    assert_eq!(raw(&s, "APR 3 0xFC"), "OK 0x002A0000");
    assert_eq!(raw(&s, "APR 2 0xFC"), "OK 0x00000000");
    // Talking to AP 2 as if it were the DM-AP (a wrong family) fails cleanly.
    let dir = tempfile::tempdir().unwrap();
    let dc = export(&config(
        dir.path(),
        "lpc55s36",
        "0",
        &["rotk0_p256"],
        0,
        "dck_p256",
        "",
    ));
    let r = dat(&[
        "dac",
        "--probe",
        &probe(&s),
        "--family",
        "lpc55s36",
        "--dc",
        &p(&dc),
        "-o",
        &p(&dir.path().join("dac.bin")),
    ]);
    fails(&r, 3, "not a debug mailbox");
}

#[test]
fn technician_oem_technician_zip_flow() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = sim("lpc55s69", &[]);
    // Technician: a debug key and a request bound to this device's UUID, read over ISP.
    ok(&dat(&[
        "key",
        "gen",
        "--type",
        "rsa2048",
        "-o",
        &p(&d.join("dck.pem")),
    ]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("dck.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let r = dat(&[
        "request",
        "--key",
        &p(&d.join("dck.pub")),
        "--family",
        "lpc55s69",
        "--uuid-from",
        &s.port_arg(115200),
        "--note",
        "unit 42 hangs at boot",
        "-o",
        &p(&d.join("request.zip")),
    ]);
    ok(&r);
    assert!(
        r.stdout.contains("UUID 0C1023417B563A50BC8660C7BD9E2267"),
        "{}",
        r.stdout
    );
    // OEM: sign it with root key 2 of 4, with a note.
    let out = p(&d.join("debug_auth_cert.zip"));
    let mut a: Vec<String> = ["dc", "export", "--request"].map(String::from).to_vec();
    a.push(p(&d.join("request.zip")));
    a.push("--rot-key".into());
    a.push(keys("rotk2_rsa2048.pem"));
    for i in 0..4 {
        a.push("--rot-pub".into());
        a.push(keys(&format!("rotk{i}_rsa2048.pub")));
    }
    for x in [
        "--socu",
        "0x3FF",
        "--vu",
        "0",
        "--beacon",
        "0",
        "--note",
        "valid until Friday",
        "-o",
    ] {
        a.push(x.into());
    }
    a.push(out.clone());
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let r = dat(&a);
    ok(&r);
    assert!(
        r.stdout
            .contains("Technician's note: unit 42 hangs at boot"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("root key 2 of 4"), "{}", r.stdout);
    let dc_zip = d.join("debug_auth_cert.zip");
    let r = dat(&["dc", "show", &out]);
    ok(&r);
    assert!(
        r.stdout.contains("OEM note  : valid until Friday"),
        "{}",
        r.stdout
    );
    ok(&dat(&["dc", "verify", &out, "--family", "lpc55s69"]));
    // Factory programmed this device with the four root keys.
    provision(&s, "lpc55s69", d, &rkth_of(&dc_zip));
    // Technician: open the debug port with the DC.zip as received.
    let r = auth(&s, "lpc55s69", &dc_zip, &p(&d.join("dck.pem")), &[]);
    ok(&r);
    assert!(
        !r.stderr.contains("any device"),
        "bound DC: no generic-UUID warning"
    );
}

#[test]
fn split_flow_dac_dar_send_dar() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = sim("lpc55s36", &[]);
    let dc = export(&config(
        d,
        "lpc55s36",
        "0",
        &["rotk0_p256"],
        0,
        "dck_p256",
        "",
    ));
    provision(&s, "lpc55s36", d, &rkth_of(&dc));
    let pr = probe(&s);
    let dac = p(&d.join("dac.bin"));
    let dar = p(&d.join("dar.bin"));
    ok(&dat(&[
        "dac",
        "--probe",
        &pr,
        "--family",
        "lpc55s36",
        "--dc",
        &p(&dc),
        "-o",
        &dac,
    ]));
    ok(&dat(&[
        "dar",
        "--dac",
        &dac,
        "--dc",
        &p(&dc),
        "--key",
        &keys("dck_p256.pem"),
        "--family",
        "lpc55s36",
        "--beacon",
        "7",
        "-o",
        &dar,
    ]));
    // A wrong beacon: the beacon is signed, so the ROM refuses a changed one.
    let mut tampered = std::fs::read(&dar).unwrap();
    let at = std::fs::read(&dc).unwrap().len();
    tampered[at] ^= 0x01;
    let bad = p(&d.join("bad_beacon.bin"));
    std::fs::write(&bad, &tampered).unwrap();
    fails(
        &dat(&["send-dar", "--probe", &pr, "--family", "lpc55s36", &bad]),
        1,
        "0x00100003 (Command failed)",
    );
    // The challenge survives the refusal (no reset): the genuine response still works.
    let r = dat(&["send-dar", "--probe", &pr, "--family", "lpc55s36", &dar]);
    ok(&r);
    assert_eq!(raw(&s, "MEMR 0x40000FC0"), "OK 0x00070000");
}

#[test]
fn split_flow_with_a_reset_between_loses_the_challenge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = sim("lpc55s36", &[]);
    let dc = export(&config(
        d,
        "lpc55s36",
        "0",
        &["rotk0_p256"],
        0,
        "dck_p256",
        "",
    ));
    provision(&s, "lpc55s36", d, &rkth_of(&dc));
    let pr = probe(&s);
    let (dac, dar) = (p(&d.join("dac.bin")), p(&d.join("dar.bin")));
    ok(&dat(&[
        "dac",
        "--probe",
        &pr,
        "--family",
        "lpc55s36",
        "--version",
        "2.0",
        "-o",
        &dac,
    ]));
    ok(&dat(&[
        "dar",
        "--dac",
        &dac,
        "--dc",
        &p(&dc),
        "--key",
        &keys("dck_p256.pem"),
        "-o",
        &dar,
    ]));
    fails(
        &dat(&[
            "send-dar", "--reset", "--probe", &pr, "--family", "lpc55s36", &dar,
        ]),
        1,
        "rejected",
    );
}

/// A device whose root keys are the four RSA-2048 vector keys.
fn lpc55s69_device(d: &Path, opts: &[&str]) -> DevSim {
    let s = sim("lpc55s69", opts);
    let rkth = provkit::codec::from_hex(
        "974cb0d30775c43c9015e7041404f30a1fd02a9787f0b77ad7d31552a61a601f",
    )
    .unwrap();
    provision(&s, "lpc55s69", d, &rkth);
    s
}

const RSA4: [&str; 4] = [
    "rotk0_rsa2048",
    "rotk1_rsa2048",
    "rotk2_rsa2048",
    "rotk3_rsa2048",
];

#[test]
fn wrong_uuid_is_refused_by_host_and_rom() {
    let dir = tempfile::tempdir().unwrap();
    let s = lpc55s69_device(dir.path(), &[]);
    // SPSDK's vector DC is bound to device E004090E..., not this one.
    let dc = vector("dat/lpc55s69_rsa2048/dc.bin");
    let key = keys("dck_rsa2048.pem");
    fails(
        &auth(&s, "lpc55s69", &dc, &key, &[]),
        1,
        "UUID: the DC is bound to device E004090E6BDD2155BBCE9E0665805BE3",
    );
    fails(
        &auth(&s, "lpc55s69", &dc, &key, &["--force"]),
        1,
        "0x00100003 (Command failed)",
    );
    assert!(raw(&s, "MEMR 0x20000000").starts_with("FAULT"));
}

#[test]
fn wrong_rkth_is_refused_by_host_and_rom() {
    let dir = tempfile::tempdir().unwrap();
    let s = lpc55s69_device(dir.path(), &[]);
    let dc = export(&config(
        dir.path(),
        "lpc55s69",
        "0",
        &["rotk0_rsa4096"],
        0,
        "dck_rsa4096",
        "",
    ));
    let key = keys("dck_rsa4096.pem");
    let s2 = sim("lpc55s69", &["version=1.1"]);
    provision(&s2, "lpc55s69", dir.path(), &[0x11; 32]);
    fails(
        &auth(&s2, "lpc55s69", &dc, &key, &[]),
        1,
        "RKTH: the device's root key table hash",
    );
    fails(
        &auth(&s2, "lpc55s69", &dc, &key, &["--force"]),
        1,
        "0x00100003",
    );
    // A device expecting RSA-2048 credentials refuses an RSA-4096 one.
    fails(&auth(&s, "lpc55s69", &dc, &key, &[]), 1, "protocol version");
}

#[test]
fn wrong_socc_is_refused_by_host_and_rom() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = sim("mcxn947", &[]);
    let dc = export(&config(
        d,
        "mcxn947",
        "0",
        &["rotk0_p256"],
        0,
        "dck_p256",
        "revision: a0\n",
    ));
    provision(&s, "mcxn947", d, &rkth_of(&dc));
    let key = keys("dck_p256.pem");
    fails(
        &auth(&s, "mcxn947", &dc, &key, &["--revision", "a0"]),
        1,
        "wrong --family or revision",
    );
    fails(
        &auth(&s, "mcxn947", &dc, &key, &["--revision", "a0", "--force"]),
        1,
        "0x00100003",
    );
}

#[test]
fn wrong_debug_key_is_refused_by_host_and_rom() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = lpc55s69_device(d, &[]);
    let dc = export(&config(d, "lpc55s69", "0", &RSA4, 1, "dck_rsa2048", ""));
    // Host: the key is not the DC's debug key.
    fails(
        &auth(&s, "lpc55s69", &dc, &keys("rotk0_rsa2048.pem"), &[]),
        2,
        "--key is not the debug key",
    );
    // ROM: a response signed by another key (made with the library, as a rogue tool would).
    let pr = probe(&s);
    let dac = d.join("dac.bin");
    ok(&dat(&[
        "dac",
        "--probe",
        &pr,
        "--family",
        "lpc55s69",
        "--dc",
        &p(&dc),
        "-o",
        &p(&dac),
    ]));
    let dcv = provkit::dat::DebugCredential::parse(&std::fs::read(&dc).unwrap()).unwrap();
    let dacv = provkit::dat::Dac::parse(&std::fs::read(&dac).unwrap()).unwrap();
    let mut dar = provkit::dat::Dar {
        dc: dcv.clone(),
        auth_beacon: 0,
        uuid: None,
        signature: Vec::new(),
    };
    let other =
        provkit::crypto::PrivateKey::from_file(Path::new(&keys("rotk0_rsa2048.pem"))).unwrap();
    dar.signature = provkit::crypto::signer::sign_with_key(
        &other,
        &dar.signed_message(&dacv.challenge).unwrap(),
        dcv.scheme(),
    )
    .unwrap();
    let f = d.join("rogue.bin");
    std::fs::write(&f, dar.encode().unwrap()).unwrap();
    fails(
        &dat(&["send-dar", "--probe", &pr, "--family", "lpc55s69", &p(&f)]),
        1,
        "0x00100003",
    );
    assert!(raw(&s, "MEMR 0x20000000").starts_with("FAULT"));
}

#[test]
fn uuid_check_refuses_generic_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = sim("lpc55s69", &[]);
    let dc = export(&config(d, "lpc55s69", "0", &RSA4, 1, "dck_rsa2048", ""));
    // PIN with UUID_CHECK (bit 15) set.
    let mut page = vec![0u8; 512];
    let pin: u32 = 0x8040;
    page[0x10..0x14].copy_from_slice(&((!pin << 16) | pin).to_le_bytes());
    page[0x14..0x18].copy_from_slice(&0xFFBF_0040u32.to_le_bytes());
    page[0x50..0x70].copy_from_slice(&rkth_of(&dc));
    std::fs::write(d.join("cmpa.bin"), &page).unwrap();
    blhost(&s, &["write-memory", "0x9E400", &p(&d.join("cmpa.bin"))]);
    fails(
        &auth(&s, "lpc55s69", &dc, &keys("dck_rsa2048.pem"), &[]),
        1,
        "0x00100003",
    );
}

#[test]
fn credential_beacon_defers_opening_to_the_application() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = lpc55s69_device(d, &[]);
    let cfg = config(d, "lpc55s69", "0", &RSA4, 1, "dck_rsa2048", "");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("cc_beacon: 0", "cc_beacon: 0x55");
    std::fs::write(&cfg, text).unwrap();
    let dc = export(&cfg);
    fails(
        &auth(&s, "lpc55s69", &dc, &keys("dck_rsa2048.pem"), &[]),
        1,
        "credential beacon is 0x0055",
    );
}

#[test]
fn bad_inputs_give_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = lpc55s69_device(d, &[]);
    // Truncated DC.
    let full = std::fs::read(vector("dat/lpc55s69_rsa2048/dc.bin")).unwrap();
    let t = d.join("trunc.dc");
    std::fs::write(&t, &full[..500]).unwrap();
    fails(
        &auth(&s, "lpc55s69", &t, &keys("dck_rsa2048.pem"), &[]),
        2,
        "truncated",
    );
    // Wrong curve for the family.
    let ecc = export(&config(
        d,
        "lpc55s36",
        "0",
        &["rotk0_p256"],
        0,
        "dck_p256",
        "",
    ));
    fails(
        &auth(&s, "lpc55s69", &ecc, &keys("dck_p256.pem"), &[]),
        2,
        "lpc55s69 does not take P-256 root keys",
    );
    fails(
        &dat(&[
            "request",
            "--key",
            &keys("dck_p256.pub"),
            "--family",
            "lpc55s69",
            "-o",
            &p(&d.join("r.zip")),
        ]),
        2,
        "does not take P-256",
    );
    // No device there.
    let r = dat(&[
        "auth",
        "--probe",
        "sim:127.0.0.1:1",
        "--family",
        "lpc55s69",
        "--dc",
        &p(&vector("dat/lpc55s69_rsa2048/dc.bin")),
        "--key",
        &keys("dck_rsa2048.pem"),
    ]);
    fails(&r, 3, "simulated probe at 127.0.0.1:1");
    // Unknown family, bad beacon.
    fails(
        &dat(&["socu", "-f", "nosuchchip", "1"]),
        2,
        "unknown family",
    );
    let good = vector("dat/lpc55s69_rsa2048/dc.bin");
    fails(
        &auth(
            &s,
            "lpc55s69",
            &good,
            &keys("dck_rsa2048.pem"),
            &["--beacon", "0x10000"],
        ),
        2,
        "16 bits",
    );
    fails(
        &auth(&s, "lpc55s69", &good, &p(&d.join("missing.pem")), &[]),
        2,
        "--key",
    );
}
