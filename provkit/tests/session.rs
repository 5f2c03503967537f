//! Session behaviour against scripted devices over an in-memory pipe: retransmission
//! on NAK, implicit and damaged ACKs, data-phase byte counts, aborts.

use provkit::mboot::uart::{self, Decoded, Frame, FrameDecoder};
use provkit::mboot::{
    Command, CommandTag, McuBoot, NoProgress, Response, SessionOptions, StatusCode, UartLink,
    UartOptions,
};
use provkit::transport::ByteStream;
use provkit::transport::memory::{MemStream, pipe};
use std::time::Duration;

/// A device that answers each host frame (ACKs excluded) with bytes from `script`.
fn scripted(
    script: Vec<(Option<Frame>, Vec<u8>)>,
) -> (MemStream, std::thread::JoinHandle<Result<(), String>>) {
    let (host, mut dev) = pipe();
    let h = std::thread::spawn(move || {
        let mut dec = FrameDecoder::new();
        let mut buf = [0u8; 4096];
        for (i, (want, reply)) in script.into_iter().enumerate() {
            let got = loop {
                if let Some(d) = dec.next() {
                    match d {
                        Decoded::Frame(Frame::Ack) => continue,
                        Decoded::Frame(f) => break Some(f),
                        Decoded::BadCrc { .. } => return Err(format!("step {i}: bad CRC")),
                    }
                }
                match dev.read(&mut buf, Duration::from_secs(5)) {
                    Ok(0) => return Err(format!("step {i}: host silent")),
                    Ok(n) => dec.push(&buf[..n]),
                    Err(_) => break None,
                }
            };
            if let Some(w) = want {
                if got.as_ref() != Some(&w) {
                    return Err(format!("step {i}: expected {w:?}, got {got:?}"));
                }
            }
            dev.write_all(&reply).map_err(|e| e.to_string())?;
        }
        // Stay connected (taking the host's ACKs) until the host closes.
        while dev
            .read(&mut buf, Duration::from_secs(5))
            .is_ok_and(|n| n > 0)
        {}
        Ok(())
    });
    (host, h)
}

fn frame(f: Frame) -> Vec<u8> {
    uart::encode(&f)
}

fn resp(r: Response) -> Vec<u8> {
    frame(Frame::Command(r.to_packet().encode()))
}

fn ack_and(r: Response) -> Vec<u8> {
    let mut v = frame(Frame::Ack);
    v.extend(resp(r));
    v
}

fn session(s: MemStream) -> McuBoot<UartLink<MemStream>> {
    let opts = UartOptions {
        inter_byte_timeout: Duration::from_millis(30),
        ..UartOptions::default()
    };
    McuBoot::new(
        UartLink::new(s, opts),
        SessionOptions {
            timeout: Duration::from_millis(500),
            max_packet: Some(4),
            ..SessionOptions::default()
        },
    )
}

fn generic(status: StatusCode, tag: CommandTag) -> Response {
    Response::Generic {
        status,
        command: tag,
    }
}

fn write_cmd() -> Command {
    Command::WriteMemory {
        address: 0x2000_0000,
        byte_count: 8,
        memory_id: 0,
    }
}

#[test]
fn nak_of_a_data_frame_is_retransmitted() {
    let wr = CommandTag::WRITE_MEMORY;
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (
            Some(Frame::Command(write_cmd().to_packet().encode())),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
        (Some(Frame::Data(vec![1, 2, 3, 4])), frame(Frame::Nak)),
        (Some(Frame::Data(vec![1, 2, 3, 4])), frame(Frame::Ack)),
        (
            Some(Frame::Data(vec![5, 6, 7, 8])),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
    ]);
    let mut s = session(host);
    let out = s
        .write_data(&write_cmd(), &[1, 2, 3, 4, 5, 6, 7, 8], &mut NoProgress)
        .unwrap();
    assert!(out.status().is_success());
    assert_eq!(out.sent, 8);
    drop(s);
    dev.join().unwrap().unwrap();
}

#[test]
fn damaged_ack_counts_as_ack_and_the_byte_count_still_protects() {
    let wr = CommandTag::WRITE_MEMORY;
    // The device's ACK of the first chunk arrives damaged (5A A1 -> 5A 31).
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (
            Some(Frame::Command(write_cmd().to_packet().encode())),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
        (Some(Frame::Data(vec![1, 2, 3, 4])), vec![0x5A, 0x31]),
        (
            Some(Frame::Data(vec![5, 6, 7, 8])),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
    ]);
    let mut s = session(host);
    let out = s
        .write_data(&write_cmd(), &[1, 2, 3, 4, 5, 6, 7, 8], &mut NoProgress)
        .unwrap();
    assert!(out.status().is_success());
    drop(s);
    dev.join().unwrap().unwrap();
}

#[test]
fn response_in_place_of_ack_is_an_implicit_ack() {
    let gp = Command::GetProperty { tag: 1, index: 0 };
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        // The ACK was lost: only the response arrives.
        (
            Some(Frame::Command(gp.to_packet().encode())),
            resp(Response::GetProperty {
                status: StatusCode::SUCCESS,
                values: vec![0x4B03_0000],
            }),
        ),
    ]);
    let mut s = session(host);
    let r = s.command(&gp).unwrap();
    assert_eq!(
        r,
        Response::GetProperty {
            status: StatusCode::SUCCESS,
            values: vec![0x4B03_0000]
        }
    );
    drop(s);
    dev.join().unwrap().unwrap();
}

#[test]
fn short_data_phase_with_success_status_is_an_error() {
    let rd = Command::ReadMemory {
        address: 0,
        byte_count: 8,
        memory_id: 0,
    };
    let mut reply = ack_and(Response::DataPhase {
        tag: provkit::mboot::ResponseTag::READ_MEMORY,
        flags: 1,
        status: StatusCode::SUCCESS,
        byte_count: 8,
    });
    reply.extend(frame(Frame::Data(vec![9, 9, 9, 9])));
    reply.extend(resp(generic(StatusCode::SUCCESS, CommandTag::READ_MEMORY)));
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (Some(Frame::Command(rd.to_packet().encode())), reply),
    ]);
    let mut s = session(host);
    let e = s.read_data(&rd, &mut NoProgress).unwrap_err();
    assert!(e.to_string().contains("only 4 of 8"), "{e}");
    drop(s);
    let _ = dev.join();
}

#[test]
fn device_abort_of_a_read_keeps_partial_data_and_status() {
    let rd = Command::ReadMemory {
        address: 0,
        byte_count: 8,
        memory_id: 0,
    };
    let mut reply = ack_and(Response::DataPhase {
        tag: provkit::mboot::ResponseTag::READ_MEMORY,
        flags: 1,
        status: StatusCode::SUCCESS,
        byte_count: 8,
    });
    reply.extend(frame(Frame::Data(vec![9, 9, 9, 9])));
    reply.extend(frame(Frame::Data(vec![])));
    reply.extend(resp(generic(StatusCode(10201), CommandTag::READ_MEMORY)));
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (Some(Frame::Command(rd.to_packet().encode())), reply),
    ]);
    let mut s = session(host);
    let out = s.read_data(&rd, &mut NoProgress).unwrap();
    assert_eq!(out.data, vec![9, 9, 9, 9]);
    assert_eq!(out.status(), StatusCode(10201));
    drop(s);
    dev.join().unwrap().unwrap();
}

#[test]
fn corrupted_response_is_naked_and_retransmission_accepted() {
    let gp = Command::GetProperty { tag: 1, index: 0 };
    let good = resp(Response::GetProperty {
        status: StatusCode::SUCCESS,
        values: vec![7],
    });
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0xFF;
    let mut first = frame(Frame::Ack);
    first.extend(bad);
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (Some(Frame::Command(gp.to_packet().encode())), first),
        (Some(Frame::Nak), good),
    ]);
    let mut s = session(host);
    let r = s.command(&gp).unwrap();
    assert_eq!(
        r,
        Response::GetProperty {
            status: StatusCode::SUCCESS,
            values: vec![7]
        }
    );
    drop(s);
    dev.join().unwrap().unwrap();
}

#[test]
fn ping_once_per_session_and_max_packet_cached() {
    let gp = Command::GetProperty { tag: 11, index: 0 };
    let mps = || {
        resp(Response::GetProperty {
            status: StatusCode::SUCCESS,
            values: vec![4],
        })
    };
    let wr = CommandTag::WRITE_MEMORY;
    let w = Command::WriteMemory {
        address: 0,
        byte_count: 4,
        memory_id: 0,
    };
    let mut first = frame(Frame::Ack);
    first.extend(mps());
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (Some(Frame::Command(gp.to_packet().encode())), first),
        (
            Some(Frame::Command(w.to_packet().encode())),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
        (
            Some(Frame::Data(vec![1, 2, 3, 4])),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
        // Second write: no ping, no property 11 again.
        (
            Some(Frame::Command(w.to_packet().encode())),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
        (
            Some(Frame::Data(vec![1, 2, 3, 4])),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
    ]);
    let link = UartLink::new(host, UartOptions::default());
    let mut s = McuBoot::new(link, SessionOptions::default());
    for _ in 0..2 {
        let out = s.write_data(&w, &[1, 2, 3, 4], &mut NoProgress).unwrap();
        assert!(out.status().is_success());
    }
    drop(s);
    dev.join().unwrap().unwrap();
}

#[test]
fn cancelled_write_ends_with_a_zero_length_data_frame() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let wr = CommandTag::WRITE_MEMORY;
    let (host, dev) = scripted(vec![
        (Some(Frame::Ping), frame(Frame::ping_response_p130())),
        (
            Some(Frame::Command(write_cmd().to_packet().encode())),
            ack_and(generic(StatusCode::SUCCESS, wr)),
        ),
        (Some(Frame::Data(vec![1, 2, 3, 4])), frame(Frame::Ack)),
        // The host gives up: a zero-length data frame, answered with AbortDataPhase.
        (
            Some(Frame::Data(vec![])),
            resp(generic(StatusCode::ABORT_DATA_PHASE, wr)),
        ),
    ]);
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = SessionOptions {
        timeout: Duration::from_millis(500),
        max_packet: Some(4),
        cancel: Some(cancel.clone()),
    };
    let mut s = McuBoot::new(UartLink::new(host, UartOptions::default()), opts);
    let mut progress = |done: usize, _total: usize| {
        if done >= 4 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let e = s
        .write_data(&write_cmd(), &[1, 2, 3, 4, 5, 6, 7, 8], &mut progress)
        .unwrap_err();
    if !matches!(e, provkit::mboot::Error::Cancelled { .. }) {
        drop(s);
        panic!("{e}; device: {:?}", dev.join());
    }
    assert!(
        matches!(
            e,
            provkit::mboot::Error::Cancelled {
                done: 4,
                total: 8,
                ..
            }
        ),
        "{e}"
    );
    drop(s);
    dev.join().unwrap().unwrap();
}
