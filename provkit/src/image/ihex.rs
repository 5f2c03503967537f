//! Intel HEX reader and writer.
//!
//! Record: `:LLAAAATT<data>CC`, `LL` data length, `AAAA` 16-bit offset, `TT` type, `CC` the
//! two's complement of the byte sum. Types: 00 data, 01 end of file, 02 extended segment
//! address (base = value × 16), 03 start segment address (CS:IP), 04 extended linear address
//! (base = value × 65536), 05 start linear address.

use super::text::{decode_hex, lines, push_hex, show};
use super::{Format, Image, ImageError, SREC_CAT_CHUNK, record_chunks};

/// Options of [`write_ihex`]. The default is what `srec_cat … -o x.hex -Intel` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IhexOptions {
    /// Data bytes per record, 1 to 255 (default 32, as `srec_cat` and SPSDK; `srec_cat -obs=N`).
    /// Records are cut consecutively from each segment start and may cross a 64 KiB boundary
    /// (which linear addressing allows; both `srec_cat` and SPSDK do it).
    pub record_size: u8,
    /// Write an extended linear address record (type 04) before the first data record even
    /// when the upper address bits are 0 (`srec_cat` does, default true). When false, the
    /// upper bits are assumed to start at 0, as SPSDK does.
    pub initial_linear_address: bool,
    /// End lines with CR LF instead of LF (default false).
    pub crlf: bool,
    /// Never let a record cross a multiple of this address; a record is cut short there and
    /// the next one starts on it (default [`SREC_CAT_CHUNK`], as `srec_cat`; `None`: records
    /// are cut only by the record size, as SPSDK).
    pub chunk_boundary: Option<u64>,
}

impl Default for IhexOptions {
    fn default() -> Self {
        IhexOptions::srec_cat()
    }
}

impl IhexOptions {
    /// `srec_cat` 1.64 output (`-o x.hex -Intel`): 32-byte records cut at its 1792-byte
    /// chunk boundaries, a type 04 record first.
    pub fn srec_cat() -> Self {
        IhexOptions {
            record_size: 32,
            initial_linear_address: true,
            crlf: false,
            chunk_boundary: Some(SREC_CAT_CHUNK),
        }
    }

    /// SPSDK `nxpimage utils binary-image export -f hex` output: 32-byte records, type 04
    /// records only when the upper 16 address bits change from 0.
    pub fn spsdk() -> Self {
        IhexOptions {
            record_size: 32,
            initial_linear_address: false,
            crlf: false,
            chunk_boundary: None,
        }
    }

    /// The same options with another record size.
    pub fn with_record_size(mut self, record_size: u8) -> Self {
        self.record_size = record_size;
        self
    }
}

/// Parses an Intel HEX file. `name` is used in errors and as the data's source name.
///
/// Checksums are verified; every malformed line (no `:`, bad hex, wrong length, bad checksum,
/// unknown type, a record after the end record, no end record) is an error with its line
/// number. Blank lines and CR LF are accepted. The entry point comes from a type 05 record,
/// or from a type 03 record as the real-mode address CS × 16 + IP.
pub fn parse_ihex(name: &str, bytes: &[u8]) -> Result<Image, ImageError> {
    let err = |line: usize, message: String| ImageError::Syntax {
        file: name.to_string(),
        format: Format::IntelHex,
        line,
        message,
    };
    let mut image = Image::new();
    let mut base: u64 = 0;
    let mut segmented = false;
    let mut entry: Option<(u64, usize)> = None;
    let mut eof_line: Option<usize> = None;
    let mut last_line = 1;

    for (n, line) in lines(bytes) {
        last_line = n;
        if let Some(eof) = eof_line {
            return Err(err(
                n,
                format!("record after the end-of-file record of line {eof}"),
            ));
        }
        let Some(body) = line.strip_prefix(b":") else {
            return Err(err(
                n,
                format!("record does not start with ':' (found {})", show(line[0])),
            ));
        };
        let rec = decode_hex(body, 2).map_err(|m| err(n, m))?;
        if rec.len() < 5 {
            return Err(err(
                n,
                format!("record too short ({} bytes, at least 5)", rec.len()),
            ));
        }
        let len = usize::from(rec[0]);
        if rec.len() != len + 5 {
            return Err(err(
                n,
                format!(
                    "length field says {len} data bytes, the record holds {}",
                    rec.len() - 5
                ),
            ));
        }
        let sum = rec.iter().fold(0u8, |a, &b| a.wrapping_add(b));
        if sum != 0 {
            let stored = rec[len + 4];
            let expected = stored.wrapping_sub(sum);
            return Err(err(
                n,
                format!("bad checksum 0x{stored:02X} (expected 0x{expected:02X})"),
            ));
        }
        let offset = u64::from(u16::from_be_bytes([rec[1], rec[2]]));
        let kind = rec[3];
        let data = &rec[4..4 + len];
        let need_len = |want: usize| {
            if len == want {
                Ok(())
            } else {
                Err(err(
                    n,
                    format!("type {kind:02X} record needs {want} data bytes, has {len}"),
                ))
            }
        };
        match kind {
            0x00 => {
                if segmented {
                    // Segment addressing wraps the offset inside the 64 KiB segment.
                    let first = len.min(0x1_0000 - offset as usize);
                    add(&mut image, base + offset, &data[..first], name, n, &err)?;
                    add(&mut image, base, &data[first..], name, n, &err)?;
                } else {
                    let address = base + offset;
                    if address + len as u64 > 1 << 32 {
                        return Err(err(n, "data runs past the 4 GiB address space".into()));
                    }
                    add(&mut image, address, data, name, n, &err)?;
                }
            }
            0x01 => {
                need_len(0)?;
                eof_line = Some(n);
            }
            0x02 => {
                need_len(2)?;
                base = u64::from(u16::from_be_bytes([data[0], data[1]])) << 4;
                segmented = true;
            }
            0x04 => {
                need_len(2)?;
                base = u64::from(u16::from_be_bytes([data[0], data[1]])) << 16;
                segmented = false;
            }
            0x03 | 0x05 => {
                need_len(4)?;
                let value = if kind == 0x03 {
                    let cs = u64::from(u16::from_be_bytes([data[0], data[1]]));
                    let ip = u64::from(u16::from_be_bytes([data[2], data[3]]));
                    (cs << 4) + ip
                } else {
                    u64::from(u32::from_be_bytes([data[0], data[1], data[2], data[3]]))
                };
                match entry {
                    Some((prev, prev_line)) if prev != value => {
                        return Err(err(
                            n,
                            format!(
                                "start address {value:#x} differs from {prev:#x} given on line {prev_line}"
                            ),
                        ));
                    }
                    _ => entry = Some((value, n)),
                }
            }
            _ => return Err(err(n, format!("unknown record type {kind:02X}"))),
        }
    }
    if eof_line.is_none() {
        return Err(err(
            last_line,
            "the file ends without an end-of-file record (:00000001FF)".into(),
        ));
    }
    if image.is_empty() {
        return Err(ImageError::Empty {
            file: name.to_string(),
            format: Format::IntelHex,
        });
    }
    image.set_entry(entry.map(|(e, _)| e));
    Ok(image)
}

/// Adds a record's data; an overlap error gets the line number.
fn add(
    image: &mut Image,
    address: u64,
    data: &[u8],
    name: &str,
    line: usize,
    err: &impl Fn(usize, String) -> ImageError,
) -> Result<(), ImageError> {
    image.add_segment(address, data, name).map_err(|e| match e {
        ImageError::Overlap { start, end, .. } => err(
            line,
            format!("data at {start:#x}..{end:#x} was already given by an earlier record"),
        ),
        other => other,
    })
}

/// Writes `image` as Intel HEX: type 04 extended linear address records, type 00 data
/// records, a type 05 start linear address record when the image has an entry point, and
/// the end record `:00000001FF`.
///
/// Fails if an address or the entry point does not fit in 32 bits, or `record_size` is 0.
pub fn write_ihex(image: &Image, options: &IhexOptions) -> Result<String, ImageError> {
    if options.record_size == 0 {
        return Err(ImageError::InvalidOption {
            format: Format::IntelHex,
            message: "record size must be 1 to 255".into(),
        });
    }
    check_32bit(image, Format::IntelHex)?;
    let eol = if options.crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let mut upper: Option<u64> = if options.initial_linear_address {
        None
    } else {
        Some(0)
    };
    let records = record_chunks(
        image,
        usize::from(options.record_size),
        options.chunk_boundary,
    );
    for (address, chunk) in records {
        let hi = address >> 16;
        if upper != Some(hi) {
            record(&mut out, 0, 0x04, &(hi as u16).to_be_bytes(), eol);
            upper = Some(hi);
        }
        record(&mut out, (address & 0xFFFF) as u16, 0x00, chunk, eol);
    }
    if let Some(entry) = image.entry() {
        record(&mut out, 0, 0x05, &(entry as u32).to_be_bytes(), eol);
    }
    record(&mut out, 0, 0x01, &[], eol);
    Ok(out)
}

fn record(out: &mut String, offset: u16, kind: u8, data: &[u8], eol: &str) {
    let [hi, lo] = offset.to_be_bytes();
    let mut bytes = Vec::with_capacity(data.len() + 5);
    bytes.extend_from_slice(&[data.len() as u8, hi, lo, kind]);
    bytes.extend_from_slice(data);
    let sum = bytes.iter().fold(0u8, |a, &b| a.wrapping_add(b));
    bytes.push(sum.wrapping_neg());
    out.push(':');
    push_hex(out, &bytes);
    out.push_str(eol);
}

/// Errors unless all data and the entry point lie below 4 GiB.
pub(super) fn check_32bit(image: &Image, format: Format) -> Result<(), ImageError> {
    const LIMIT: u64 = 1 << 32;
    if let Some(seg) = image.segments().iter().find(|s| s.end() > LIMIT) {
        let address = seg.address.max(LIMIT);
        return Err(ImageError::AddressTooLarge { format, address });
    }
    match image.entry() {
        Some(e) if e >= LIMIT => Err(ImageError::AddressTooLarge { format, address: e }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Image, ImageError> {
        parse_ihex("t.hex", s.as_bytes())
    }

    fn line_of(e: ImageError) -> (usize, String) {
        match e {
            ImageError::Syntax {
                line,
                message,
                format: Format::IntelHex,
                ..
            } => (line, message),
            other => panic!("not a HEX syntax error: {other:?}"),
        }
    }

    #[test]
    fn data_and_eof() {
        let img = parse(":020000040000FA\n:08102000A0A1A2A3A4A5A6A7AC\n:00000001FF\n").unwrap();
        assert_eq!(img.segments().len(), 1);
        assert_eq!(img.segments()[0].address, 0x1020);
        assert_eq!(
            img.segments()[0].data,
            [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7]
        );
        assert_eq!(img.entry(), None);
    }

    #[test]
    fn crlf_blank_lines_lowercase_and_no_final_newline() {
        let img = parse("\r\n:0400100001020304e2\r\n\r\n  \r\n:00000001ff").unwrap();
        assert_eq!(img.segments()[0].address, 0x10);
        assert_eq!(img.segments()[0].data, [1, 2, 3, 4]);
    }

    #[test]
    fn extended_linear_address_and_start_linear_address() {
        let text = ":020000040800F2\n:10FFF800808182838485868788898A8B8C8D8E8F81\n\
                    :0400000508000101ED\n:00000001FF\n";
        let img = parse(text).unwrap();
        // The record crossing 64 KiB is read linearly.
        assert_eq!(img.segments()[0].address, 0x0800_FFF8);
        assert_eq!(img.end(), Some(0x0801_0008));
        assert_eq!(img.entry(), Some(0x0800_0101));
    }

    #[test]
    fn extended_segment_address_wraps_inside_the_segment() {
        // Base 0x1000 * 16 = 0x10000; 4 bytes at offset 0xFFFE wrap to offset 0.
        let text = ":020000021000EC\n:04FFFE00AABBCCDDF1\n:00000001FF\n";
        let img = parse(text).unwrap();
        let segs = img.segments();
        assert_eq!(segs.len(), 2);
        assert_eq!(
            (segs[0].address, &segs[0].data[..]),
            (0x10000, &[0xCC, 0xDD][..])
        );
        assert_eq!(
            (segs[1].address, &segs[1].data[..]),
            (0x1FFFE, &[0xAA, 0xBB][..])
        );
    }

    #[test]
    fn start_segment_address_is_cs_times_16_plus_ip() {
        let img = parse(":0100000000FF\n:0400000312345678E5\n:00000001FF\n").unwrap();
        assert_eq!(img.entry(), Some(0x1234 * 16 + 0x5678));
    }

    #[test]
    fn adjacent_records_coalesce() {
        let text = ":020000000102FB\n:020002000304F5\n:00000001FF\n";
        let img = parse(text).unwrap();
        assert_eq!(img.segments().len(), 1);
        assert_eq!(img.segments()[0].data, [1, 2, 3, 4]);
    }

    #[test]
    fn error_missing_colon() {
        let (line, msg) = line_of(parse(":0100000000FF\n0100000000FF\n:00000001FF\n").unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("':'"), "{msg}");
    }

    #[test]
    fn error_odd_hex_and_bad_digit() {
        let (line, msg) = line_of(parse("\n\n:0100000000F\n:00000001FF\n").unwrap_err());
        assert_eq!(line, 3);
        assert!(msg.contains("odd"), "{msg}");
        let (line, msg) = line_of(parse(":01000000G0FF\n:00000001FF\n").unwrap_err());
        assert_eq!(line, 1);
        assert!(msg.contains("'G'") && msg.contains("column 10"), "{msg}");
    }

    #[test]
    fn error_bad_length() {
        let (line, msg) = line_of(parse(":0200000000FE\n:00000001FF\n").unwrap_err());
        assert_eq!(line, 1);
        assert!(msg.contains("length field says 2"), "{msg}");
        let (line, msg) = line_of(parse(":0000\n").unwrap_err());
        assert_eq!(line, 1);
        assert!(msg.contains("too short"), "{msg}");
    }

    #[test]
    fn error_bad_checksum() {
        let (line, msg) = line_of(parse(":0100000000FF\n:0100000100FF\n").unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("checksum 0xFF (expected 0xFE)"), "{msg}");
    }

    #[test]
    fn error_data_after_eof() {
        let (line, msg) =
            line_of(parse(":0100000000FF\n:00000001FF\n:0100000100FE\n").unwrap_err());
        assert_eq!(line, 3);
        assert!(
            msg.contains("after the end-of-file record of line 2"),
            "{msg}"
        );
    }

    #[test]
    fn error_missing_eof() {
        let (line, msg) = line_of(parse(":0100000000FF\n:0100010000FE\n\n").unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("without an end-of-file record"), "{msg}");
        let (line, _) = line_of(parse("").unwrap_err());
        assert_eq!(line, 1);
    }

    #[test]
    fn error_unknown_type_and_wrong_special_lengths() {
        let (line, msg) = line_of(parse(":00000006FA\n").unwrap_err());
        assert_eq!((line, msg.as_str()), (1, "unknown record type 06"));
        let (_, msg) = line_of(parse(":0100000401FA\n").unwrap_err());
        assert!(msg.contains("type 04 record needs 2 data bytes"), "{msg}");
        let (_, msg) = line_of(parse(":0100000100FE\n").unwrap_err());
        assert!(msg.contains("type 01 record needs 0 data bytes"), "{msg}");
    }

    #[test]
    fn error_overlap_names_the_line() {
        let text = ":020000000102FB\n:020001000304F6\n:00000001FF\n";
        let (line, msg) = line_of(parse(text).unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("0x1..0x2"), "{msg}");
    }

    #[test]
    fn error_conflicting_entries() {
        let text = ":0100000000FF\n:0400000500000001F6\n:0400000500000002F5\n:00000001FF\n";
        let (line, msg) = line_of(parse(text).unwrap_err());
        assert_eq!(line, 3);
        assert!(msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn error_past_4gib() {
        let text = ":02000004FFFFFC\n:10FFF80000000000000000000000000000000000F9\n:00000001FF\n";
        let (line, msg) = line_of(parse(text).unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("4 GiB"), "{msg}");
    }

    #[test]
    fn only_eof_is_empty() {
        assert!(matches!(
            parse(":00000001FF\n"),
            Err(ImageError::Empty { .. })
        ));
    }

    #[test]
    fn writer_srec_cat_and_spsdk_styles() {
        let mut img = Image::new();
        img.add_segment(0x10, &[1, 2, 3], "a").unwrap();
        img.add_segment(0x2_0000, &[4], "b").unwrap();
        img.set_entry(Some(0x11));
        let sc = write_ihex(&img, &IhexOptions::srec_cat()).unwrap();
        assert_eq!(
            sc,
            ":020000040000FA\n:03001000010203E7\n:020000040002F8\n:0100000004FB\n\
             :0400000500000011E6\n:00000001FF\n"
        );
        let sp = write_ihex(&img, &IhexOptions::spsdk().with_record_size(2)).unwrap();
        assert_eq!(
            sp,
            ":020010000102EB\n:0100120003EA\n:020000040002F8\n:0100000004FB\n\
             :0400000500000011E6\n:00000001FF\n"
        );
        let crlf = IhexOptions {
            crlf: true,
            ..IhexOptions::default()
        };
        assert!(write_ihex(&Image::new(), &crlf).unwrap() == ":00000001FF\r\n");
    }

    #[test]
    fn writer_rejects_bad_input() {
        let mut img = Image::new();
        img.add_segment(0xFFFF_FFFF, &[1, 2], "a").unwrap();
        assert!(matches!(
            write_ihex(&img, &IhexOptions::default()),
            Err(ImageError::AddressTooLarge {
                address: 0x1_0000_0000,
                ..
            })
        ));
        let mut img = Image::new();
        img.set_entry(Some(1 << 32));
        assert!(write_ihex(&img, &IhexOptions::default()).is_err());
        let zero = IhexOptions::default().with_record_size(0);
        assert!(matches!(
            write_ihex(&Image::new(), &zero),
            Err(ImageError::InvalidOption { .. })
        ));
    }
}
