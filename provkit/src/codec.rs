//! Bounds-checked binary codec shared by every format in provkit.
//!
//! A [`Reader`] never indexes past its input: every read returns a
//! [`DecodeError`] that names the field and the offset where it failed.
//! Top-level decoders call [`Reader::finish`] so trailing bytes are rejected.

use std::fmt;

/// Why a decode failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended before the field did.
    Truncated {
        /// Bytes the field needed.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// Bytes were left after the structure ended.
    TrailingBytes(usize),
    /// The field has a value the format does not allow.
    Invalid(String),
}

/// A decode failure: what was being read, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    /// The field or structure being decoded.
    pub what: &'static str,
    /// Byte offset from the start of the input.
    pub offset: usize,
    /// What went wrong.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    /// A field holding a value the format does not allow.
    pub fn invalid(what: &'static str, offset: usize, why: impl Into<String>) -> Self {
        DecodeError {
            what,
            offset,
            kind: DecodeErrorKind::Invalid(why.into()),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DecodeErrorKind::Truncated { needed, available } => write!(
                f,
                "{} at offset {}: truncated (need {} bytes, {} left)",
                self.what, self.offset, needed, available
            ),
            DecodeErrorKind::TrailingBytes(n) => {
                write!(
                    f,
                    "{} at offset {}: {} unexpected trailing bytes",
                    self.what, self.offset, n
                )
            }
            DecodeErrorKind::Invalid(why) => {
                write!(f, "{} at offset {}: {}", self.what, self.offset, why)
            }
        }
    }
}

/// A cursor over a byte slice that checks every bound.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading `buf` at offset 0.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            base: 0,
        }
    }

    /// Absolute offset of the next byte (relative to the outermost reader).
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// Takes exactly `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.remaining() < n {
            return Err(DecodeError {
                what,
                offset: self.offset(),
                kind: DecodeErrorKind::Truncated {
                    needed: n,
                    available: self.remaining(),
                },
            });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Takes `n` bytes as a sub-reader whose offsets stay absolute.
    pub fn sub(&mut self, n: usize, what: &'static str) -> Result<Reader<'a>, DecodeError> {
        let base = self.offset();
        let buf = self.take(n, what)?;
        Ok(Reader { buf, pos: 0, base })
    }

    /// Takes every remaining byte.
    pub fn rest(&mut self) -> &'a [u8] {
        let out = &self.buf[self.pos..];
        self.pos = self.buf.len();
        out
    }

    /// Takes a fixed-size array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// Reads a little-endian u16.
    pub fn u16_le(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    /// Reads a little-endian u32.
    pub fn u32_le(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// Reads a big-endian u16.
    pub fn u16_be(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    /// Reads a big-endian u32.
    pub fn u32_be(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// Reads a little-endian u64.
    pub fn u64_le(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// Fails unless every byte has been read.
    pub fn finish(&self, what: &'static str) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DecodeError {
                what,
                offset: self.offset(),
                kind: DecodeErrorKind::TrailingBytes(self.remaining()),
            })
        }
    }
}

/// An append-only encoder with explicit endianness.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// An empty writer with room for `n` bytes.
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(n),
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True when nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends one byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    /// Appends a little-endian u16.
    pub fn u16_le(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Appends a little-endian u32.
    pub fn u32_le(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Appends a big-endian u16.
    pub fn u16_be(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// Appends a big-endian u32.
    pub fn u32_be(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// Appends a little-endian u64.
    pub fn u64_le(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Appends raw bytes.
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(v);
        self
    }

    /// Overwrites a little-endian u16 at `at` (length back-patching).
    pub fn patch_u16_le(&mut self, at: usize, v: u16) {
        self.buf[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }

    /// Overwrites a little-endian u32 at `at` (length back-patching).
    pub fn patch_u32_le(&mut self, at: usize, v: u32) {
        self.buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    /// The bytes written so far.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }

    /// Consumes the writer.
    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }
}

/// Lowercase hex without separators.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Parses hex text, ignoring ASCII whitespace; an optional `0x` prefix is allowed.
pub fn from_hex(text: &str) -> Result<Vec<u8>, DecodeError> {
    let t = text.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let digits: Vec<u8> = t.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err(DecodeError::invalid(
            "hex text",
            digits.len(),
            "odd number of hex digits",
        ));
    }
    digits
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            let hi = (pair[0] as char).to_digit(16);
            let lo = (pair[1] as char).to_digit(16);
            match (hi, lo) {
                (Some(h), Some(l)) => Ok((h * 16 + l) as u8),
                _ => Err(DecodeError::invalid("hex text", i * 2, "not a hex digit")),
            }
        })
        .collect()
}

/// Parses an integer the way SPSDK's command lines do: decimal, `0x` hex, `0b` binary
/// or `0o` octal, with `_` separators allowed (`0x2000_0000`).
pub fn parse_int(text: &str) -> Result<u64, String> {
    let t = text.trim().replace('_', "");
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b, 2)
    } else if let Some(o) = lower.strip_prefix("0o") {
        (o, 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() {
        return Err(format!("'{text}' is not a number"));
    }
    u64::from_str_radix(digits, radix).map_err(|e| format!("'{text}' is not a number ({e})"))
}

/// [`parse_int`] limited to 32 bits.
pub fn parse_u32(text: &str) -> Result<u32, String> {
    let v = parse_int(text)?;
    u32::try_from(v).map_err(|_| format!("'{text}' does not fit in 32 bits"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_read_names_field_and_offset() {
        let mut r = Reader::new(&[1, 2, 3]);
        r.u16_le("a").unwrap();
        let e = r.u32_le("b").unwrap_err();
        assert_eq!(e.what, "b");
        assert_eq!(e.offset, 2);
        assert_eq!(
            e.kind,
            DecodeErrorKind::Truncated {
                needed: 4,
                available: 1
            }
        );
    }

    #[test]
    fn finish_rejects_trailing_bytes() {
        let mut r = Reader::new(&[1, 2, 3]);
        r.u16_le("a").unwrap();
        assert_eq!(
            r.finish("x").unwrap_err().kind,
            DecodeErrorKind::TrailingBytes(1)
        );
    }

    #[test]
    fn sub_reader_keeps_absolute_offsets() {
        let mut r = Reader::new(&[0, 0, 9, 9, 9]);
        r.u16_le("a").unwrap();
        let mut s = r.sub(2, "s").unwrap();
        s.u8("x").unwrap();
        assert_eq!(s.offset(), 3);
        assert_eq!(s.u16_le("y").unwrap_err().offset, 3);
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(from_hex("0x0a FF\n").unwrap(), vec![0x0a, 0xff]);
        assert_eq!(to_hex(&[0xab, 0x01]), "ab01");
        assert!(from_hex("abc").is_err());
        assert!(from_hex("zz").is_err());
    }

    #[test]
    fn parse_int_accepts_spsdk_forms() {
        assert_eq!(parse_int("0x2000_0000").unwrap(), 0x2000_0000);
        assert_eq!(parse_int("0b101").unwrap(), 5);
        assert_eq!(parse_int("0o17").unwrap(), 15);
        assert_eq!(parse_int("1_024").unwrap(), 1024);
        assert!(parse_int("zz").is_err());
        assert!(parse_int("0x").is_err());
        assert!(parse_u32("0x1_0000_0000").is_err());
    }

    #[test]
    fn writer_patches() {
        let mut w = Writer::new();
        w.u32_le(0).u16_be(0x0102);
        w.patch_u32_le(0, 6);
        assert_eq!(w.into_vec(), vec![6, 0, 0, 0, 1, 2]);
    }
}
