//! Intel HEX the way imgtool reads and writes it (Python `intelhex` 2.3.0): reading
//! flattens the data from the lowest to the highest address with gaps filled by 0xFF;
//! writing emits 16-byte data records that end at a gap or a 64 KiB boundary, with type 04
//! records only when the highest address is above 0xFFFF.

use crate::image::{ImageError, parse_ihex};

/// Flattened HEX contents: the lowest address and the bytes from there to the highest.
pub fn read_hex(name: &str, text: &[u8]) -> Result<(u64, Vec<u8>), ImageError> {
    let img = parse_ihex(name, text)?;
    match img.start() {
        Some(start) => {
            let (_, bytes) = img.to_bin(0xff)?;
            Ok((start, bytes))
        }
        None => Ok((0, Vec::new())),
    }
}

/// Writes `segments` (address, bytes; they must not overlap) as intelhex 2.3.0 does.
/// Fails when data lies at or above 4 GiB.
pub fn write_hex(segments: &[(u64, Vec<u8>)]) -> Result<String, String> {
    let mut segs: Vec<(u64, &[u8])> = segments
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(a, d)| (*a, d.as_slice()))
        .collect();
    segs.sort_by_key(|(a, _)| *a);
    // Merge adjacent segments (intelhex sees addresses, not segments).
    let mut merged: Vec<(u64, Vec<u8>)> = Vec::new();
    for (a, d) in segs {
        match merged.last_mut() {
            Some((la, ld)) if *la + ld.len() as u64 == a => ld.extend_from_slice(d),
            Some((la, ld)) if *la + ld.len() as u64 > a => {
                return Err(format!("HEX data overlaps at 0x{a:x}"));
            }
            _ => merged.push((a, d.to_vec())),
        }
    }
    let mut out = String::new();
    let Some(max) = merged.last().map(|(a, d)| a + d.len() as u64 - 1) else {
        out.push_str(":00000001FF\n");
        return Ok(out);
    };
    if max > 0xffff_ffff {
        return Err(format!("HEX data above 4 GiB (0x{max:x})"));
    }
    let need_offset = max > 0xffff;
    let mut high: Option<u64> = None;
    for (addr, data) in &merged {
        let mut cur = *addr;
        let end = addr + data.len() as u64;
        while cur < end {
            if need_offset && high != Some(cur >> 16) {
                let h = (cur >> 16) as u16;
                record(&mut out, 0, 4, &h.to_be_bytes());
                high = Some(cur >> 16);
            }
            let low = cur & 0xffff;
            let n = 16u64.min(0x1_0000 - low).min(end - cur);
            let off = (cur - addr) as usize;
            record(&mut out, low as u16, 0, &data[off..off + n as usize]);
            cur += n;
        }
    }
    out.push_str(":00000001FF\n");
    Ok(out)
}

fn record(out: &mut String, offset: u16, kind: u8, data: &[u8]) {
    let mut b = Vec::with_capacity(data.len() + 5);
    b.push(data.len() as u8);
    b.extend_from_slice(&offset.to_be_bytes());
    b.push(kind);
    b.extend_from_slice(data);
    let sum = b.iter().fold(0u8, |a, x| a.wrapping_add(*x));
    b.push(sum.wrapping_neg());
    out.push(':');
    for x in b {
        out.push_str(&format!("{x:02X}"));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_break_at_gaps_and_64k_with_type_04_only_above_64k() {
        let low = write_hex(&[(0x10, vec![0xAA; 20])]).unwrap();
        assert_eq!(
            low,
            ":10001000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA40\n:04002000AAAAAAAA34\n:00000001FF\n"
        );
        let high = write_hex(&[(0x1fff8, vec![1; 16]), (0x30000, vec![2])]).unwrap();
        let lines: Vec<&str> = high.lines().collect();
        assert_eq!(lines[0], ":020000040001F9");
        assert!(lines[1].starts_with(":08FFF800"));
        assert_eq!(lines[2], ":020000040002F8");
        assert!(lines[3].starts_with(":08000000"));
        assert_eq!(lines[4], ":020000040003F7");
        assert_eq!(lines[6], ":00000001FF");
    }
}
