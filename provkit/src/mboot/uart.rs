//! UART framing of the mboot protocol (reference blhost.md §1): sync frames,
//! ping/ping response, and CRC-protected command (`A4`) and data (`A5`) frames.
//!
//! Sans-I/O: [`encode`] turns a [`Frame`] into bytes and [`FrameDecoder`] turns
//! received bytes into frames. The host session ([`super::link::UartLink`]) and the
//! simulator's device loop both sit on top of these.

use super::crc::{crc16, crc16_update};
use std::fmt;

/// Frame start byte.
pub const START: u8 = 0x5A;
/// Frame type: ACK.
pub const TYPE_ACK: u8 = 0xA1;
/// Frame type: NAK.
pub const TYPE_NAK: u8 = 0xA2;
/// Frame type: ACK-abort (receiver aborts the data phase).
pub const TYPE_ACK_ABORT: u8 = 0xA3;
/// Frame type: command or response packet.
pub const TYPE_COMMAND: u8 = 0xA4;
/// Frame type: data.
pub const TYPE_DATA: u8 = 0xA5;
/// Frame type: ping.
pub const TYPE_PING: u8 = 0xA6;
/// Frame type: ping response.
pub const TYPE_PING_RESPONSE: u8 = 0xA7;

/// Largest frame payload accepted. Larger length fields are treated as line noise
/// (the decoder resynchronises) instead of waiting for bytes that never come.
pub const MAX_PAYLOAD: usize = 8192;

/// One UART frame.
#[derive(Clone, PartialEq, Eq)]
pub enum Frame {
    /// `5A A1`
    Ack,
    /// `5A A2`
    Nak,
    /// `5A A3`
    AckAbort,
    /// `5A A6`
    Ping,
    /// `5A A7 bugfix minor major name options:u16 crc:u16`
    PingResponse {
        /// `[bugfix, minor, major, name]` as on the wire (name is `'P'`).
        version: [u8; 4],
        /// Option bits.
        options: u16,
    },
    /// `A4` frame carrying an mboot packet.
    Command(Vec<u8>),
    /// `A5` frame carrying data; empty = data phase aborted by the sender.
    Data(Vec<u8>),
}

impl Frame {
    /// The ping response of a P1.3.0 ROM (`5A A7 00 03 01 50 00 00 FB 40`).
    pub fn ping_response_p130() -> Frame {
        Frame::PingResponse {
            version: [0, 3, 1, b'P'],
            options: 0,
        }
    }

    /// Short name for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Frame::Ack => "ACK",
            Frame::Nak => "NAK",
            Frame::AckAbort => "ACK_ABORT",
            Frame::Ping => "PING",
            Frame::PingResponse { .. } => "PING_RESPONSE",
            Frame::Command(_) => "COMMAND",
            Frame::Data(_) => "DATA",
        }
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frame::Command(p) | Frame::Data(p) => {
                write!(f, "{}({} bytes)", self.kind(), p.len())
            }
            Frame::PingResponse { version, options } => write!(
                f,
                "PING_RESPONSE({}{}.{}.{}, options=0x{options:04X})",
                version[3] as char, version[2], version[1], version[0]
            ),
            _ => f.write_str(self.kind()),
        }
    }
}

/// Encodes a frame into wire bytes.
pub fn encode(frame: &Frame) -> Vec<u8> {
    match frame {
        Frame::Ack => vec![START, TYPE_ACK],
        Frame::Nak => vec![START, TYPE_NAK],
        Frame::AckAbort => vec![START, TYPE_ACK_ABORT],
        Frame::Ping => vec![START, TYPE_PING],
        Frame::PingResponse { version, options } => {
            let mut v = vec![START, TYPE_PING_RESPONSE];
            v.extend_from_slice(version);
            v.extend_from_slice(&options.to_le_bytes());
            let crc = crc16(&v);
            v.extend_from_slice(&crc.to_le_bytes());
            v
        }
        Frame::Command(p) => data_frame(TYPE_COMMAND, p),
        Frame::Data(p) => data_frame(TYPE_DATA, p),
    }
}

fn data_frame(ty: u8, payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u16;
    let hdr = [START, ty, len as u8, (len >> 8) as u8];
    let crc = crc16_update(crc16(&hdr), payload);
    let mut v = Vec::with_capacity(6 + payload.len());
    v.extend_from_slice(&hdr);
    v.extend_from_slice(&crc.to_le_bytes());
    v.extend_from_slice(payload);
    v
}

/// What the decoder produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A complete, valid frame.
    Frame(Frame),
    /// A complete frame whose CRC did not match; the receiver should NAK it.
    BadCrc {
        /// Frame type byte.
        frame_type: u8,
        /// Declared payload length.
        len: usize,
    },
}

/// Incremental frame decoder. Feed bytes with [`FrameDecoder::push`], then pull
/// frames with [`FrameDecoder::next`]. Bytes before a start byte (line noise,
/// the leading dummy bytes some ROMs send after power-up, `0x00` fill) are skipped
/// and counted in [`FrameDecoder::skipped`].
#[derive(Debug, Default, Clone)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    skipped: usize,
}

impl FrameDecoder {
    /// A decoder with an empty buffer.
    pub fn new() -> Self {
        FrameDecoder::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes skipped as noise since the last [`FrameDecoder::reset_skipped`].
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Resets the noise counter.
    pub fn reset_skipped(&mut self) {
        self.skipped = 0;
    }

    /// True when a frame has started but is not complete yet.
    pub fn in_frame(&self) -> bool {
        !self.buf.is_empty() && self.buf[0] == START
    }

    /// Bytes buffered but not yet decoded.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Drops buffered bytes (a partial frame after an inter-byte timeout).
    pub fn clear(&mut self) {
        self.skipped += self.buf.len();
        self.buf.clear();
    }

    fn skip(&mut self, n: usize) {
        self.skipped += n;
        self.buf.drain(..n);
    }

    /// Decodes the next frame, or `None` if more bytes are needed.
    #[allow(clippy::should_implement_trait)] // not an Iterator: `None` means "need more bytes"
    pub fn next(&mut self) -> Option<Decoded> {
        loop {
            let start = match self.buf.iter().position(|&b| b == START) {
                Some(p) => p,
                None => {
                    let n = self.buf.len();
                    self.skip(n);
                    return None;
                }
            };
            self.skip(start);
            if self.buf.len() < 2 {
                return None;
            }
            let ty = self.buf[1];
            match ty {
                TYPE_ACK | TYPE_NAK | TYPE_ACK_ABORT | TYPE_PING => {
                    self.buf.drain(..2);
                    return Some(Decoded::Frame(match ty {
                        TYPE_ACK => Frame::Ack,
                        TYPE_NAK => Frame::Nak,
                        TYPE_ACK_ABORT => Frame::AckAbort,
                        _ => Frame::Ping,
                    }));
                }
                TYPE_PING_RESPONSE => {
                    if self.buf.len() < 10 {
                        return None;
                    }
                    let crc = u16::from_le_bytes([self.buf[8], self.buf[9]]);
                    if crc16(&self.buf[..8]) != crc {
                        self.buf.drain(..10);
                        return Some(Decoded::BadCrc {
                            frame_type: ty,
                            len: 6,
                        });
                    }
                    let version = [self.buf[2], self.buf[3], self.buf[4], self.buf[5]];
                    let options = u16::from_le_bytes([self.buf[6], self.buf[7]]);
                    self.buf.drain(..10);
                    return Some(Decoded::Frame(Frame::PingResponse { version, options }));
                }
                TYPE_COMMAND | TYPE_DATA => {
                    if self.buf.len() < 6 {
                        return None;
                    }
                    let len = usize::from(u16::from_le_bytes([self.buf[2], self.buf[3]]));
                    if len > MAX_PAYLOAD {
                        // Not a plausible frame: resynchronise after this start byte.
                        self.skip(1);
                        continue;
                    }
                    if self.buf.len() < 6 + len {
                        return None;
                    }
                    let crc = u16::from_le_bytes([self.buf[4], self.buf[5]]);
                    let calc = crc16_update(crc16(&self.buf[..4]), &self.buf[6..6 + len]);
                    if calc != crc {
                        self.buf.drain(..6 + len);
                        return Some(Decoded::BadCrc {
                            frame_type: ty,
                            len,
                        });
                    }
                    let payload = self.buf[6..6 + len].to_vec();
                    self.buf.drain(..6 + len);
                    return Some(Decoded::Frame(if ty == TYPE_COMMAND {
                        Frame::Command(payload)
                    } else {
                        Frame::Data(payload)
                    }));
                }
                _ => {
                    // `5A` followed by an unknown type: noise.
                    self.skip(1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode_all(bytes: &[u8]) -> Vec<Decoded> {
        let mut d = FrameDecoder::new();
        d.push(bytes);
        std::iter::from_fn(|| d.next()).collect()
    }

    #[test]
    fn ping_response_crc_matches_kboot_constant() {
        let v = encode(&Frame::PingResponse {
            version: [0, 2, 1, b'P'],
            options: 0,
        });
        assert_eq!(v, [0x5A, 0xA7, 0, 2, 1, 0x50, 0, 0, 0xAA, 0xEA]);
        assert_eq!(
            encode(&Frame::ping_response_p130()),
            [0x5A, 0xA7, 0, 3, 1, 0x50, 0, 0, 0xFB, 0x40]
        );
    }

    #[test]
    fn zero_length_data_frame_is_the_abort_vector() {
        assert_eq!(encode(&Frame::Data(vec![])), [0x5A, 0xA5, 0, 0, 0xFC, 0x4B]);
    }

    #[test]
    fn garbage_before_frames_is_skipped() {
        let mut bytes = vec![0x00, 0x13, 0x77];
        bytes.extend(encode(&Frame::Ack));
        let out = decode_all(&bytes);
        assert_eq!(out, vec![Decoded::Frame(Frame::Ack)]);
    }

    #[test]
    fn bad_crc_is_reported_and_consumed() {
        let mut f = encode(&Frame::Command(vec![7, 0, 0, 0]));
        f[6] ^= 1;
        f.extend(encode(&Frame::Ack));
        assert_eq!(
            decode_all(&f),
            vec![
                Decoded::BadCrc {
                    frame_type: TYPE_COMMAND,
                    len: 4
                },
                Decoded::Frame(Frame::Ack)
            ]
        );
    }

    #[test]
    fn implausible_length_resynchronises() {
        let mut f = vec![0x5A, 0xA5, 0xFF, 0xFF, 0, 0];
        f.extend(encode(&Frame::Ack));
        assert_eq!(decode_all(&f), vec![Decoded::Frame(Frame::Ack)]);
    }

    proptest! {
        #[test]
        fn round_trip_byte_by_byte(payload in proptest::collection::vec(any::<u8>(), 0..300), data: bool) {
            let frame = if data { Frame::Data(payload) } else { Frame::Command(payload) };
            let bytes = encode(&frame);
            let mut d = FrameDecoder::new();
            let mut got = None;
            for b in &bytes {
                d.push(&[*b]);
                if let Some(x) = d.next() { got = Some(x); }
            }
            prop_assert_eq!(got, Some(Decoded::Frame(frame)));
        }

        #[test]
        fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_all(&bytes);
        }
    }
}
