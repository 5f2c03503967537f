//! Line splitting and hex decoding shared by the Intel HEX and S-record readers and writers.

use std::fmt::Write as _;

/// Strips ASCII whitespace (spaces, tabs, CR, …) from both ends.
pub(super) fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !first.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

/// The lines of `bytes` with 1-based numbers, trimmed, blank ones skipped. Lines end with LF
/// or CRLF (or a lone CR in a file without any LF); a UTF-8 byte order mark and a DOS
/// end-of-file byte (Ctrl-Z) on its own line are ignored.
pub(super) fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let sep = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
    bytes
        .split(move |&b| b == sep)
        .enumerate()
        .filter_map(|(i, raw)| {
            let line = trim(raw);
            (!line.is_empty() && line != b"\x1a").then_some((i + 1, line))
        })
}

/// Decodes pairs of hex digits. Errors name the 1-based column (counting from `first_col`).
pub(super) fn decode_hex(s: &[u8], first_col: usize) -> Result<Vec<u8>, String> {
    if let Some(i) = s.iter().position(|b| !b.is_ascii_hexdigit()) {
        return Err(format!(
            "invalid character {} at column {}",
            show(s[i]),
            first_col + i
        ));
    }
    if s.len() % 2 != 0 {
        return Err(format!("odd number of hex digits ({})", s.len()));
    }
    Ok(s.chunks_exact(2)
        .map(|p| (nibble(p[0]) << 4) | nibble(p[1]))
        .collect())
}

fn nibble(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        b'A'..=b'F' => d - b'A' + 10,
        _ => 0,
    }
}

/// A byte for an error message: `'x'` when printable, `0xNN` otherwise.
pub(super) fn show(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("0x{b:02X}")
    }
}

/// Appends upper-case hex digits.
pub(super) fn push_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02X}");
    }
}
