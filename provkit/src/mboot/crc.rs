//! CRC-16/XMODEM (poly 0x1021, init 0, no reflection, no final XOR), as the
//! mboot UART framing uses it over the frame header and payload.

const fn table() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
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

static TABLE: [u16; 256] = table();

/// Continues a CRC-16/XMODEM computation over `data`.
pub fn crc16_update(mut crc: u16, data: &[u8]) -> u16 {
    for &b in data {
        crc = (crc << 8) ^ TABLE[usize::from((crc >> 8) as u8 ^ b)];
    }
    crc
}

/// CRC-16/XMODEM of `data`.
pub fn crc16(data: &[u8]) -> u16 {
    crc16_update(0, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_matches_catalogue() {
        assert_eq!(crc16(b"123456789"), 0x31C3);
    }

    #[test]
    fn get_property_frame_crc_matches_spsdk() {
        let hdr = [
            0x5A, 0xA4, 0x0C, 0x00, 0x07, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(crc16(&hdr), 0x334B);
    }
}
