//! USB-HID report framing of the mboot protocol (reference blhost.md §2.2):
//! `report_id 00 len:u16 payload`, report IDs 1 = command out, 2 = data out,
//! 3 = command in, 4 = data in. A zero length means "data phase aborted".

use crate::codec::{DecodeError, Reader};

/// Host-to-device command packet.
pub const REPORT_CMD_OUT: u8 = 0x01;
/// Host-to-device data chunk.
pub const REPORT_DATA_OUT: u8 = 0x02;
/// Device-to-host response packet.
pub const REPORT_CMD_IN: u8 = 0x03;
/// Device-to-host data chunk.
pub const REPORT_DATA_IN: u8 = 0x04;

/// One HID report as mboot uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Report ID (1..=4).
    pub id: u8,
    /// Packet or data bytes (empty = abort).
    pub payload: Vec<u8>,
}

/// Encodes a report. Like SPSDK, the report is not padded unless `pad_to` is set
/// (hosts on Windows, and the ROM itself, pad to the full report size).
pub fn encode(id: u8, payload: &[u8], pad_to: Option<usize>) -> Vec<u8> {
    let len = payload.len() as u16;
    let mut v = Vec::with_capacity(4 + payload.len());
    v.push(id);
    v.push(0);
    v.extend_from_slice(&len.to_le_bytes());
    v.extend_from_slice(payload);
    if let Some(n) = pad_to {
        if v.len() < n {
            v.resize(n, 0);
        }
    }
    v
}

/// Decodes a report, honouring the length field and ignoring trailing filler
/// (the ROM always sends full-size reports).
pub fn decode(bytes: &[u8]) -> Result<Report, DecodeError> {
    let mut r = Reader::new(bytes);
    let id = r.u8("HID report id")?;
    if !(REPORT_CMD_OUT..=REPORT_DATA_IN).contains(&id) {
        return Err(DecodeError::invalid(
            "HID report id",
            0,
            format!("unknown report id {id}"),
        ));
    }
    let _pad = r.u8("HID report padding")?;
    let len = usize::from(r.u16_le("HID report length")?);
    let payload = r.take(len, "HID report payload")?.to_vec();
    Ok(Report { id, payload })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_property_report_matches_spsdk_vector() {
        let pkt = [7, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            encode(REPORT_CMD_OUT, &pkt, None),
            [1, 0, 0x0C, 0, 7, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn padded_report_decodes_to_declared_length() {
        let r = encode(REPORT_CMD_IN, &[0xA7, 0, 0, 1, 0x3C, 0x28, 0, 0], Some(36));
        assert_eq!(r.len(), 36);
        let d = decode(&r).unwrap();
        assert_eq!(d.payload.len(), 8);
    }

    #[test]
    fn rejects_bad_id_and_short_payload() {
        assert!(decode(&[9, 0, 0, 0]).is_err());
        assert!(decode(&[3, 0, 8, 0, 1]).is_err());
    }
}
