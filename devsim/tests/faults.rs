//! Line faults: with corrupted and dropped bytes in both directions, a 64 KiB write and
//! read-back through provkit's host either returns identical data or fails — never a
//! silent mismatch.

mod common;

use common::{Kind, pattern, session_with};
use devsim::inmem::SimOptions;
use devsim::wire::{Faults, WireOptions};
use provkit::mboot::{Command, NoProgress, SessionOptions, StatusCode};
use std::time::{Duration, Instant};

#[derive(Debug)]
#[allow(dead_code)] // fields are read through Debug
enum Outcome {
    Identical,
    Failed(String),
    Mismatch { seed: u64, first_diff: usize },
}

fn run(seed: u64) -> Outcome {
    let opts = SimOptions {
        wire: WireOptions {
            baud: 0,
            faults: Some(Faults {
                corrupt: 1e-3,
                drop: 1e-4,
                seed,
            }),
        },
        ..SimOptions::default()
    };
    let s = SessionOptions {
        timeout: Duration::from_millis(1000),
        max_packet: None,
        ..SessionOptions::default()
    };
    let (mut mb, _sim) = session_with(Kind::Uart, "lpc55s69", opts, s);
    let data = pattern(64 * 1024, seed as u32);
    let addr = 0x2000_4000;
    let n = data.len() as u32;
    let w = match mb.write_data(
        &Command::WriteMemory {
            address: addr,
            byte_count: n,
            memory_id: 0,
        },
        &data,
        &mut NoProgress,
    ) {
        Ok(w) if w.status() == StatusCode::SUCCESS => w,
        Ok(w) => return Outcome::Failed(format!("write status {}", w.status())),
        Err(e) => return Outcome::Failed(format!("write: {e}")),
    };
    assert_eq!(w.sent, data.len());
    match mb.read_data(
        &Command::ReadMemory {
            address: addr,
            byte_count: n,
            memory_id: 0,
        },
        &mut NoProgress,
    ) {
        Ok(r) if r.status() == StatusCode::SUCCESS => {
            if r.data == data {
                Outcome::Identical
            } else {
                let first_diff = r
                    .data
                    .iter()
                    .zip(&data)
                    .position(|(a, b)| a != b)
                    .unwrap_or(r.data.len().min(data.len()));
                Outcome::Mismatch { seed, first_diff }
            }
        }
        Ok(r) => Outcome::Failed(format!("read status {}", r.status())),
        Err(e) => Outcome::Failed(format!("read: {e}")),
    }
}

#[test]
fn faulty_line_gives_identical_data_or_an_error() {
    if let Ok(filter) = std::env::var("DEVSIM_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
    let t0 = Instant::now();
    // DEVSIM_TEST_SEED=N runs one seed; DEVSIM_TEST_SEEDS=N runs seeds 1..=N.
    let seeds: Vec<u64> = match (
        std::env::var("DEVSIM_TEST_SEED"),
        std::env::var("DEVSIM_TEST_SEEDS"),
    ) {
        (Ok(s), _) => vec![s.parse().unwrap()],
        (_, Ok(n)) => (1..=n.parse().unwrap()).collect(),
        _ => (1..=6).collect(),
    };
    let handles: Vec<_> = seeds
        .iter()
        .map(|&s| std::thread::spawn(move || (s, run(s))))
        .collect();
    let mut identical = 0;
    let mut mismatches = Vec::new();
    for h in handles {
        let (seed, o) = h.join().unwrap();
        eprintln!("seed {seed}: {o:?}");
        match o {
            Outcome::Identical => identical += 1,
            Outcome::Failed(_) => {}
            m @ Outcome::Mismatch { .. } => mismatches.push(m),
        }
    }
    eprintln!(
        "{identical}/{} identical in {:?}",
        seeds.len(),
        t0.elapsed()
    );
    assert!(
        mismatches.is_empty(),
        "silent data corruption: {mismatches:?}"
    );
}
