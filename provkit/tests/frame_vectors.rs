//! The SPSDK-made frame vectors (`tests/vectors/blhost/frames.json`) and NXP's own 28
//! request/response pairs (`nxp_test_vectors_check.txt`) decode and re-encode
//! byte-identically, through the typed command/response layer too.

use provkit::codec::from_hex;
use provkit::mboot::uart::{self, Decoded, Frame, FrameDecoder};
use provkit::mboot::{Command, Packet, Response, usb_hid};

const FRAMES: &str = include_str!("../../tests/vectors/blhost/frames.json");
const NXP: &str = include_str!("../../tests/vectors/blhost/nxp_test_vectors_check.txt");

fn hex(s: &str) -> Vec<u8> {
    from_hex(s).unwrap()
}

fn decode_frames(bytes: &[u8]) -> Vec<Frame> {
    let mut d = FrameDecoder::new();
    d.push(bytes);
    let mut out = Vec::new();
    while let Some(x) = d.next() {
        match x {
            Decoded::Frame(f) => out.push(f),
            Decoded::BadCrc { frame_type, len } => {
                panic!("bad CRC in vector: type {frame_type:#x} len {len}")
            }
        }
    }
    assert_eq!(d.buffered(), 0, "undecoded bytes left");
    assert_eq!(d.skipped(), 0, "bytes skipped as noise");
    out
}

/// Checks one packet through every layer; returns true for commands.
fn check_packet(pkt_bytes: &[u8]) -> bool {
    let pkt = Packet::decode(pkt_bytes).unwrap();
    assert_eq!(pkt.encode(), pkt_bytes);
    if pkt.tag >= 0xA0 {
        let r = Response::from_packet(&pkt).unwrap();
        assert_eq!(r.to_packet(), pkt, "response round trip");
        false
    } else {
        let c = Command::from_packet(&pkt).unwrap();
        assert_eq!(c.to_packet(), pkt, "command round trip: {c:?}");
        true
    }
}

#[test]
fn spsdk_frame_vectors_round_trip() {
    let v: serde_json::Value = serde_json::from_str(FRAMES).unwrap();
    let mut checked = 0;
    for item in v.as_array().unwrap() {
        let name = item["name"].as_str().unwrap();
        if let Some(raw) = item.get("raw") {
            let bytes = hex(raw.as_str().unwrap());
            let frames = decode_frames(&bytes);
            assert_eq!(frames.len(), 1, "{name}");
            assert_eq!(uart::encode(&frames[0]), bytes, "{name}");
            checked += 1;
            continue;
        }
        let pkt = hex(item["packet"].as_str().unwrap());
        let frame = hex(item["uart_frame"].as_str().unwrap());
        let report = hex(item["usb_hid_report"].as_str().unwrap());
        let crc = u16::from_str_radix(
            item["uart_crc16"]
                .as_str()
                .unwrap()
                .trim_start_matches("0x"),
            16,
        )
        .unwrap();
        assert_eq!(u16::from_le_bytes([frame[4], frame[5]]), crc, "{name}");
        let is_data = name.starts_with("data");
        let f = if is_data {
            Frame::Data(pkt.clone())
        } else {
            Frame::Command(pkt.clone())
        };
        assert_eq!(uart::encode(&f), frame, "{name}: UART frame");
        assert_eq!(decode_frames(&frame), vec![f], "{name}: UART decode");
        let id = match (is_data, name.starts_with("rsp")) {
            (false, false) => usb_hid::REPORT_CMD_OUT,
            (false, true) => usb_hid::REPORT_CMD_IN,
            (true, _) => report[0],
        };
        assert_eq!(
            usb_hid::encode(id, &pkt, None),
            report,
            "{name}: HID report"
        );
        assert_eq!(
            usb_hid::decode(&report).unwrap().payload,
            pkt,
            "{name}: HID decode"
        );
        if !is_data {
            check_packet(&pkt);
        }
        checked += 1;
    }
    assert_eq!(checked, 39);
}

#[test]
fn nxp_request_response_pairs_round_trip() {
    let mut pairs = 0;
    let mut frames = 0;
    for line in NXP.lines() {
        let (kind, rest) = match line.split_once(' ') {
            Some((k @ ("REQ" | "RSP"), r)) => (k, r),
            _ => continue,
        };
        if rest.starts_with('(') {
            continue; // "(no bytes: emulated timeout)"
        }
        let bytes = hex(rest);
        let decoded = decode_frames(&bytes);
        let mut re = Vec::new();
        for f in &decoded {
            re.extend(uart::encode(f));
            if let Frame::Command(p) = f {
                let is_cmd = check_packet(p);
                assert_eq!(is_cmd, kind == "REQ", "{line}");
            }
            frames += 1;
        }
        assert_eq!(re, bytes, "{line}");
        if kind == "REQ" {
            pairs += 1;
        }
    }
    assert_eq!(pairs, 28);
    assert!(frames >= 56, "only {frames} frames");
}
