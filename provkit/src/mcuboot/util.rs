//! Small encodings the image format needs: UUIDv5 (with its SHA-1), base64 for
//! `--sig-out`/`--fix-sig`, and the few CBOR items of the boot record.

/// SHA-1 (FIPS 180-4). Used only to derive RFC 4122 name-based UUIDs (`--vid`, `--cid`),
/// never as a security primitive.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// RFC 4122 `NAMESPACE_DNS`.
pub const NAMESPACE_DNS: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// Name-based UUID, version 5 (SHA-1).
pub fn uuid_v5(namespace: &[u8; 16], name: &str) -> [u8; 16] {
    let mut input = namespace.to_vec();
    input.extend_from_slice(name.as_bytes());
    let h = sha1(&input);
    let mut u = [0u8; 16];
    u.copy_from_slice(&h[..16]);
    u[6] = (u[6] & 0x0f) | 0x50;
    u[8] = (u[8] & 0x3f) | 0x80;
    u
}

/// A `--vid`/`--cid` value imgtool does not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UuidError {
    /// Text for `--cid` without a `--vid` to derive it from.
    #[error("Unknown namespace for UUID: {0}")]
    NoNamespace(String),
    /// Not printable.
    #[error("Unknown UUID format: {0:?}")]
    Format(String),
}

/// imgtool's `parse_uuid`: `8-4-4-4-12` hex or 32 hex digits are taken as the UUID bytes;
/// other printable text is a UUIDv5 name in `namespace`.
pub fn parse_uuid(namespace: Option<&[u8; 16]>, value: &str) -> Result<[u8; 16], UuidError> {
    let is_hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let groups: Vec<&str> = value.split('-').collect();
    let dashed = groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8usize, 4, 4, 4, 12])
        && groups.iter().all(|g| is_hex(g));
    let plain = value.len() == 32 && is_hex(value);
    if dashed || plain {
        let hex: String = value.chars().filter(|c| *c != '-').collect();
        let mut out = [0u8; 16];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .map_err(|_| UuidError::Format(value.to_string()))?;
        }
        return Ok(out);
    }
    // Python's str.isprintable(): no control or other non-printable characters
    // (the empty string is printable).
    if value.chars().all(|c| !c.is_control()) {
        return match namespace {
            Some(ns) => Ok(uuid_v5(ns, value)),
            None => Err(UuidError::NoNamespace(value.to_string())),
        };
    }
    Err(UuidError::Format(value.to_string()))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, no line breaks.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 as Python's `base64.b64decode` reads it by default: characters outside the
/// alphabet are discarded, padding is required.
pub fn base64_decode(text: &[u8]) -> Result<Vec<u8>, String> {
    let mut vals = Vec::with_capacity(text.len());
    let mut pad = 0usize;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            _ => continue,
        };
        if pad > 0 {
            return Err("data after base64 padding".into());
        }
        vals.push(v);
    }
    if (vals.len() + pad) % 4 != 0 || pad > 2 || vals.len() % 4 == 1 {
        return Err("incorrect base64 padding".into());
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= u32::from(*v) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out)
}

/// CBOR major types used by the boot record.
pub(crate) mod cbor {
    /// Appends a CBOR head (major type, argument) in the shortest form.
    pub fn head(out: &mut Vec<u8>, major: u8, arg: u64) {
        let m = major << 5;
        match arg {
            0..=23 => out.push(m | arg as u8),
            24..=0xff => out.extend_from_slice(&[m | 24, arg as u8]),
            0x100..=0xffff => {
                out.push(m | 25);
                out.extend_from_slice(&(arg as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(m | 26);
                out.extend_from_slice(&(arg as u32).to_be_bytes());
            }
            _ => {
                out.push(m | 27);
                out.extend_from_slice(&arg.to_be_bytes());
            }
        }
    }

    /// Unsigned integer.
    pub fn uint(out: &mut Vec<u8>, v: u64) {
        head(out, 0, v);
    }

    /// Byte string.
    pub fn bytes(out: &mut Vec<u8>, v: &[u8]) {
        head(out, 2, v.len() as u64);
        out.extend_from_slice(v);
    }

    /// Text string.
    pub fn text(out: &mut Vec<u8>, v: &str) {
        head(out, 3, v.len() as u64);
        out.extend_from_slice(v.as_bytes());
    }

    /// Map header with `n` pairs.
    pub fn map(out: &mut Vec<u8>, n: u64) {
        head(out, 5, n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_known_answers() {
        assert_eq!(
            crate::codec::to_hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            crate::codec::to_hex(&sha1(b"")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(
            crate::codec::to_hex(&sha1(&long)),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn uuid_v5_matches_the_reference() {
        // Reference section 3: --vid nxp.com -> 19e6c41a1ea65338a7513dcc2be0e0af.
        assert_eq!(
            crate::codec::to_hex(&parse_uuid(Some(&NAMESPACE_DNS), "nxp.com").unwrap()),
            "19e6c41a1ea65338a7513dcc2be0e0af"
        );
        assert_eq!(
            parse_uuid(None, "12345678-1234-5678-1234-567812345678").unwrap()[..4],
            [0x12, 0x34, 0x56, 0x78]
        );
        assert!(matches!(
            parse_uuid(None, "app"),
            Err(UuidError::NoNamespace(_))
        ));
    }

    #[test]
    fn base64_round_trip() {
        for n in 0..70 {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let t = base64_encode(&data);
            assert_eq!(base64_decode(t.as_bytes()).unwrap(), data);
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode(b"aGVs\nbG8=\n").unwrap(), b"hello");
        assert!(base64_decode(b"aGVsbG8").is_err());
    }
}
