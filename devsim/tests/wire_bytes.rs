//! Byte-exact behaviour of the device's UART framing and HID reports (reference
//! blhost.md §1, §2, §5.1), driven with raw bytes.

use devsim::inmem::{SimOptions, spawn_hid, spawn_uart};
use provkit::mboot::uart::{Decoded, Frame, FrameDecoder, encode};
use provkit::transport::memory::{MemHid, MemStream};
use provkit::transport::{ByteStream, HidDevice};
use std::time::{Duration, Instant};

const GET_PROPERTY_1: [u8; 18] = [
    0x5a, 0xa4, 0x0c, 0x00, 0x4b, 0x33, 0x07, 0x00, 0x00, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0,
];
const RESPONSE_K300: [u8; 18] = [
    0x5a, 0xa4, 0x0c, 0x00, 0x65, 0x1c, 0xa7, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0x00, 0x00, 0x03, 0x4b,
];
const ACK: [u8; 2] = [0x5a, 0xa1];
const NAK: [u8; 2] = [0x5a, 0xa2];

/// Reads exactly `n` bytes (or fails after a second).
fn read_n(s: &mut MemStream, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    let mut got = 0;
    let deadline = Instant::now() + Duration::from_secs(2);
    while got < n {
        assert!(
            Instant::now() < deadline,
            "only {got} of {n} bytes: {:02x?}",
            &out[..got]
        );
        got += s.read(&mut out[got..], Duration::from_millis(100)).unwrap();
    }
    out
}

fn silent(s: &mut MemStream, for_ms: u64) -> bool {
    let mut b = [0u8; 64];
    s.read(&mut b, Duration::from_millis(for_ms)).unwrap() == 0
}

fn next_frame(s: &mut MemStream) -> Frame {
    let mut d = FrameDecoder::new();
    let mut b = [0u8; 2048];
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if let Some(Decoded::Frame(f)) = d.next() {
            return f;
        }
        assert!(Instant::now() < deadline, "no frame");
        let n = s.read(&mut b, Duration::from_millis(50)).unwrap();
        d.push(&b[..n]);
    }
}

fn uart(family: &str) -> (MemStream, devsim::inmem::SimHandle) {
    spawn_uart(family, SimOptions::default()).unwrap()
}

#[test]
fn ping_and_get_property_match_the_reference_trace() {
    let (mut s, _sim) = uart("lpc55s69");
    // Junk before the ping is skipped.
    s.write_all(&[0x00, 0x13, 0x5a, 0xa6]).unwrap();
    assert_eq!(
        read_n(&mut s, 10),
        [0x5a, 0xa7, 0x00, 0x03, 0x01, 0x50, 0x00, 0x00, 0xfb, 0x40]
    );
    s.write_all(&GET_PROPERTY_1).unwrap();
    let mut expect = ACK.to_vec();
    expect.extend(RESPONSE_K300);
    assert_eq!(read_n(&mut s, 20), expect);
    s.write_all(&ACK).unwrap();
    assert!(silent(&mut s, 100), "nothing unsolicited");
}

#[test]
fn bad_crc_and_partial_frames_are_naked() {
    let (mut s, _sim) = uart("lpc55s69");
    let mut bad = GET_PROPERTY_1;
    bad[10] ^= 0x40;
    s.write_all(&bad).unwrap();
    assert_eq!(read_n(&mut s, 2), NAK);
    // A frame cut short: NAK after the inter-byte timeout.
    let t0 = Instant::now();
    s.write_all(&GET_PROPERTY_1[..9]).unwrap();
    assert_eq!(read_n(&mut s, 2), NAK);
    assert!(t0.elapsed() >= Duration::from_millis(40));
    // A frame whose start byte was lost: noise, then silence, then NAK.
    s.write_all(&GET_PROPERTY_1[1..]).unwrap();
    assert_eq!(read_n(&mut s, 2), NAK);
    // And the device still answers.
    s.write_all(&GET_PROPERTY_1).unwrap();
    assert_eq!(read_n(&mut s, 20)[2..], RESPONSE_K300);
}

#[test]
fn a_nak_makes_the_device_retransmit() {
    let (mut s, _sim) = uart("lpc55s69");
    s.write_all(&GET_PROPERTY_1).unwrap();
    assert_eq!(read_n(&mut s, 20)[2..], RESPONSE_K300);
    s.write_all(&NAK).unwrap();
    assert_eq!(read_n(&mut s, 18), RESPONSE_K300);
    s.write_all(&ACK).unwrap();
    assert!(silent(&mut s, 100));
}

#[test]
fn a_new_frame_in_place_of_the_ack_is_an_implicit_ack() {
    let (mut s, _sim) = uart("lpc55s69");
    s.write_all(&GET_PROPERTY_1).unwrap();
    assert_eq!(read_n(&mut s, 20)[2..], RESPONSE_K300);
    // No ACK (SPSDK lost it): the next command comes straight away.
    s.write_all(&GET_PROPERTY_1).unwrap();
    assert_eq!(read_n(&mut s, 20)[2..], RESPONSE_K300);
    // A ping in place of the ACK works too.
    s.write_all(&[0x5a, 0xa6]).unwrap();
    assert_eq!(read_n(&mut s, 10)[..2], [0x5a, 0xa7]);
}

#[test]
fn host_zero_length_data_aborts_with_10002_and_oversized_chunks_are_naked() {
    let (mut s, sim) = uart("lpc55s69");
    let cmd = encode(&Frame::Command(vec![
        0x04, 1, 0, 3, 0, 0, 0, 0x20, 8, 0, 0, 0, 0, 0, 0, 0,
    ]));
    s.write_all(&cmd).unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    assert_eq!(
        next_frame(&mut s),
        Frame::Command(vec![0xa0, 0, 0, 2, 0, 0, 0, 0, 4, 0, 0, 0])
    );
    s.write_all(&ACK).unwrap();
    // A chunk larger than the max packet size (512) does not fit the ROM's buffer.
    s.write_all(&encode(&Frame::Data(vec![0; 600]))).unwrap();
    assert_eq!(read_n(&mut s, 2), NAK);
    s.write_all(&encode(&Frame::Data(vec![1, 2, 3, 4])))
        .unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    s.write_all(&encode(&Frame::Data(vec![]))).unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    // 10002 = 0x2712, echoing WriteMemory (4).
    assert_eq!(
        next_frame(&mut s),
        Frame::Command(vec![0xa0, 0, 0, 2, 0x12, 0x27, 0, 0, 4, 0, 0, 0])
    );
    s.write_all(&ACK).unwrap();
    sim.with_rom(|r| assert_eq!(r.peek(0x2000_0000, 4).unwrap(), [1, 2, 3, 4]));
}

#[test]
fn device_abort_while_receiving_is_ack_abort_then_status() {
    let (mut s, _sim) = uart("lpc55s69");
    // write-memory 0x1000 len 1024 (flash); program page 0x1200 first so the second page fails.
    let cmd = |addr: u32, len: u32| {
        let mut p = vec![0x04, 1, 0, 3];
        for v in [addr, len, 0] {
            p.extend(v.to_le_bytes());
        }
        encode(&Frame::Command(p))
    };
    s.write_all(&cmd(0x1200, 4)).unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    let _ = next_frame(&mut s);
    s.write_all(&ACK).unwrap();
    s.write_all(&encode(&Frame::Data(vec![9; 4]))).unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    let _ = next_frame(&mut s);
    s.write_all(&ACK).unwrap();
    s.write_all(&cmd(0x1000, 1024)).unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    let _ = next_frame(&mut s);
    s.write_all(&ACK).unwrap();
    s.write_all(&encode(&Frame::Data(vec![0; 512]))).unwrap();
    assert_eq!(read_n(&mut s, 2), ACK);
    s.write_all(&encode(&Frame::Data(vec![0; 512]))).unwrap();
    assert_eq!(read_n(&mut s, 2), [0x5a, 0xa3]);
    // 10203 = 0x27DB
    assert_eq!(
        next_frame(&mut s),
        Frame::Command(vec![0xa0, 0, 0, 2, 0xdb, 0x27, 0, 0, 4, 0, 0, 0])
    );
}

fn hid() -> (MemHid, devsim::inmem::SimHandle) {
    spawn_hid("lpc55s69", SimOptions::default()).unwrap()
}

fn report(h: &mut MemHid) -> Vec<u8> {
    let mut b = vec![0u8; 2048];
    let n = h.read_report(&mut b, Duration::from_secs(2)).unwrap();
    assert!(n > 0, "no report");
    b.truncate(n);
    b
}

#[test]
fn hid_reports_are_padded_and_padded_requests_accepted() {
    let (mut h, _sim) = hid();
    // Unpadded (SPSDK on Linux) and padded (Windows, C++ blhost) requests.
    let req = [1u8, 0, 0x0c, 0, 0x07, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0];
    for pad in [None, Some(60)] {
        let mut r = req.to_vec();
        if let Some(n) = pad {
            r.resize(n, 0xEE);
        }
        h.write_report(&r).unwrap();
        let resp = report(&mut h);
        assert_eq!(resp.len(), 60, "full report size = 4 + 56");
        assert_eq!(
            resp[..16],
            [3, 0, 0x0c, 0, 0xa7, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0x4b]
        );
    }
}

#[test]
fn hid_device_aborts_use_zero_length_reports() {
    let (mut h, _sim) = hid();
    // read-memory past the end of RAM: data, zero-length data report, status.
    let mut p = vec![0x03, 0, 0, 3];
    for v in [0x2004_0000u32 - 56, 112, 0] {
        p.extend(v.to_le_bytes());
    }
    let mut r = vec![1, 0, p.len() as u8, 0];
    r.extend(&p);
    h.write_report(&r).unwrap();
    assert_eq!(report(&mut h)[..8], [3, 0, 12, 0, 0xa3, 1, 0, 2]);
    assert_eq!(report(&mut h)[..4], [4, 0, 56, 0]);
    assert_eq!(report(&mut h)[..4], [4, 0, 0, 0]);
    let fin = report(&mut h);
    assert_eq!(fin[4..16], [0xa0, 0, 0, 2, 0xd8, 0x27, 0, 0, 3, 0, 0, 0]);
}
