//! CRC-32/MPEG-2 (poly 0x04C11DB7, init 0xFFFFFFFF, no reflection, no final XOR): what NXP's
//! MBI CRC images, the MCX N manifest and SB LZMA loads use. Check value of `"123456789"`:
//! 0x0376E6E7.

const fn table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u32) << 24;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
            bit += 1;
        }
        t[i] = crc;
        i += 1;
    }
    t
}

static TABLE: [u32; 256] = table();

/// Initial value.
pub const INIT: u32 = 0xFFFF_FFFF;

/// Continues a CRC-32/MPEG-2 computation over `data`.
pub fn crc32_mpeg2_update(mut crc: u32, data: &[u8]) -> u32 {
    for &b in data {
        crc = (crc << 8) ^ TABLE[usize::from((crc >> 24) as u8 ^ b)];
    }
    crc
}

/// CRC-32/MPEG-2 of `data`.
pub fn crc32_mpeg2(data: &[u8]) -> u32 {
    crc32_mpeg2_update(INIT, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values() {
        assert_eq!(crc32_mpeg2(b"123456789"), 0x0376_E6E7);
        assert_eq!(crc32_mpeg2(&[0u8; 8192]), 0xD666_D0E4);
        let (a, b) = b"123456789".split_at(4);
        assert_eq!(crc32_mpeg2_update(crc32_mpeg2(a), b), 0x0376_E6E7);
    }
}
