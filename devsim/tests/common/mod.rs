//! Shared helpers of the devsim integration tests.

#![allow(dead_code)]

use devsim::inmem::{SimHandle, SimOptions, spawn_hid, spawn_uart};
use provkit::mboot::link::Link;
use provkit::mboot::{HidLink, McuBoot, SessionOptions, UartLink, UartOptions};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Which host link to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uart,
    Hid,
}

pub type Session = McuBoot<Box<dyn Link>>;

/// A host session against an in-memory simulator of `family`.
pub fn session(kind: Kind, family: &str, opts: SimOptions) -> (Session, SimHandle) {
    session_with(kind, family, opts, SessionOptions::default())
}

pub fn session_with(
    kind: Kind,
    family: &str,
    opts: SimOptions,
    s: SessionOptions,
) -> (Session, SimHandle) {
    match kind {
        Kind::Uart => {
            let (stream, sim) = spawn_uart(family, opts).unwrap();
            let link: Box<dyn Link> = Box::new(UartLink::new(stream, UartOptions::default()));
            (McuBoot::new(link, s), sim)
        }
        Kind::Hid => {
            let (dev, sim) = spawn_hid(family, opts).unwrap();
            let link: Box<dyn Link> = Box::new(HidLink::new(dev));
            (McuBoot::new(link, s), sim)
        }
    }
}

/// Deterministic test data.
pub fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// A fresh temporary directory (removed on drop).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "devsim-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `devsim` binary running `devsim mcu`.
pub struct Devsim {
    pub child: Option<Child>,
    pub port: String,
    pub link: PathBuf,
    pub family: String,
}

impl Devsim {
    /// Starts `devsim mcu --family F --link LINK ARGS...` and waits for the ready line.
    pub fn start(family: &str, link: &Path, args: &[&str]) -> Devsim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_devsim"))
            .args(["mcu", "--family", family, "--link"])
            .arg(link)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start devsim");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("devsim printed no ready line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("ready line is JSON");
        assert_eq!(v["event"], "ready", "{line}");
        Devsim {
            child: Some(child),
            port: v["port"].as_str().unwrap().to_string(),
            link: link.to_path_buf(),
            family: v["family"].as_str().unwrap().to_string(),
        }
    }

    /// Sends SIGTERM and returns the exit code.
    pub fn terminate(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(st)) = child.try_wait() {
                return st.code();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("devsim ignored SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Devsim {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(c.id().to_string())
                .status();
            std::thread::sleep(Duration::from_millis(100));
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
