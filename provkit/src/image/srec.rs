//! Motorola S-record reader and writer.
//!
//! Record: `S` type, count (bytes after it), address, data, checksum (ones' complement of the
//! low byte of the sum of count, address and data). Types: S0 header, S1/S2/S3 data with a
//! 16/24/32-bit address, S5/S6 16/24-bit count of data records, S7/S8/S9 32/24/16-bit entry
//! point (termination).

use super::ihex::check_32bit;
use super::text::{decode_hex, lines, push_hex, show};
use super::{Format, Image, ImageError, SREC_CAT_CHUNK, record_chunks};

/// The address field width of written S-records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AddressWidth {
    /// Per record, the narrowest width that holds its address: S1 below 64 KiB, S2 below
    /// 16 MiB, S3 above; the termination record likewise S9/S8/S7. `srec_cat`'s default.
    #[default]
    Auto,
    /// At least 24 bits: S2/S8 unless the address needs S3/S7 (`srec_cat -address-length=3`).
    AtLeast24,
    /// Always 32 bits: S3 data and S7 termination (`srec_cat -address-length=4`, SPSDK).
    Always32,
}

impl AddressWidth {
    /// Address bytes for `address`: 2, 3 or 4.
    fn bytes_for(self, address: u64) -> usize {
        let min = match self {
            AddressWidth::Auto => 2,
            AddressWidth::AtLeast24 => 3,
            AddressWidth::Always32 => 4,
        };
        let need = if address < 1 << 16 {
            2
        } else if address < 1 << 24 {
            3
        } else {
            4
        };
        need.max(min)
    }
}

/// Options of [`write_srec`]. The default is what `srec_cat … -o x.s19` writes, except that no
/// S0 header is written ([`SrecOptions::srec_cat`] adds `srec_cat`'s).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SrecOptions {
    /// Data bytes per record (default 32; `srec_cat -obs=N`). At most 254 minus the address
    /// bytes of the widest record (250 when S3 records are written). Records are cut
    /// consecutively from each segment start.
    pub record_size: u8,
    /// Address field width (default [`AddressWidth::Auto`]).
    pub address_width: AddressWidth,
    /// Content of an S0 header record (address 0000) written first, if any. At most 252 bytes.
    pub header: Option<Vec<u8>>,
    /// Write an S5 record (S6 beyond 65535) with the number of data records (default true).
    pub count_record: bool,
    /// Write a termination record with address 0 when the image has no entry point (default
    /// false: like `srec_cat` and SPSDK, S7/S8/S9 is written only for an entry point).
    pub always_terminate: bool,
    /// End lines with CR LF instead of LF (default false).
    pub crlf: bool,
    /// Never let a record cross a multiple of this address; a record is cut short there and
    /// the next one starts on it (default [`SREC_CAT_CHUNK`], as `srec_cat`; `None`: records
    /// are cut only by the record size, as SPSDK).
    pub chunk_boundary: Option<u64>,
}

impl Default for SrecOptions {
    fn default() -> Self {
        SrecOptions {
            record_size: 32,
            address_width: AddressWidth::Auto,
            header: None,
            count_record: true,
            always_terminate: false,
            crlf: false,
            chunk_boundary: Some(SREC_CAT_CHUNK),
        }
    }
}

impl SrecOptions {
    /// The S0 text `srec_cat` writes when its inputs have no header.
    pub const SREC_CAT_HEADER: &'static [u8] = b"http://srecord.sourceforge.net/";

    /// `srec_cat` 1.64 output for header-less inputs (`-o x.s19`): its S0 header, 32-byte
    /// records cut at its 1792-byte chunk boundaries, narrowest address per record, S5 count,
    /// S7/S8/S9 only with an entry point.
    pub fn srec_cat() -> Self {
        SrecOptions {
            header: Some(Self::SREC_CAT_HEADER.to_vec()),
            ..SrecOptions::default()
        }
    }

    /// SPSDK `nxpimage utils binary-image export -f s19` output: no S0, 32-byte S3 records
    /// cut consecutively from each segment start, S5 count.
    pub fn spsdk() -> Self {
        SrecOptions {
            address_width: AddressWidth::Always32,
            chunk_boundary: None,
            ..SrecOptions::default()
        }
    }

    /// The same options with another record size.
    pub fn with_record_size(mut self, record_size: u8) -> Self {
        self.record_size = record_size;
        self
    }

    /// The same options with another address width.
    pub fn with_address_width(mut self, address_width: AddressWidth) -> Self {
        self.address_width = address_width;
        self
    }

    /// The same options with another S0 header (`None`: no S0 record).
    pub fn with_header(mut self, header: Option<&[u8]>) -> Self {
        self.header = header.map(<[u8]>::to_vec);
        self
    }
}

/// Parses a Motorola S-record file. `name` is used in errors and as the data's source name.
///
/// Checksums, counts and lengths are verified; an S5/S6 count must match the number of data
/// records before it; nothing may follow an S7/S8/S9 record; the termination record is
/// optional (`srec_cat` omits it when there is no entry point). Errors carry line numbers.
/// The content of the first S0 header is kept as [`Image::header`]. Blank lines and CR LF
/// are accepted.
pub fn parse_srec(name: &str, bytes: &[u8]) -> Result<Image, ImageError> {
    let err = |line: usize, message: String| ImageError::Syntax {
        file: name.to_string(),
        format: Format::Srec,
        line,
        message,
    };
    let mut image = Image::new();
    let mut data_records: u64 = 0;
    let mut termination: Option<usize> = None;

    for (n, line) in lines(bytes) {
        if let Some(t) = termination {
            return Err(err(
                n,
                format!("record after the termination record of line {t}"),
            ));
        }
        let kind = match line {
            [b'S', d, ..] if d.is_ascii_digit() => d - b'0',
            [b'S', ..] => {
                let what = line.get(1).map_or("nothing".to_string(), |&b| show(b));
                return Err(err(n, format!("record type must be a digit, found {what}")));
            }
            _ => {
                return Err(err(
                    n,
                    format!("record does not start with 'S' (found {})", show(line[0])),
                ));
            }
        };
        let addr_len = match kind {
            0 | 1 | 5 | 9 => 2,
            2 | 6 | 8 => 3,
            3 | 7 => 4,
            _ => return Err(err(n, format!("S{kind} is not a valid record type"))),
        };
        let rec = decode_hex(&line[2..], 3).map_err(|m| err(n, m))?;
        let Some((&count, rest)) = rec.split_first() else {
            return Err(err(n, "record has no count field".into()));
        };
        if rest.len() != usize::from(count) {
            return Err(err(
                n,
                format!(
                    "count field says {count} bytes follow, the record holds {}",
                    rest.len()
                ),
            ));
        }
        if rest.len() < addr_len + 1 {
            return Err(err(
                n,
                format!(
                    "S{kind} record needs at least {} bytes after the count, has {count}",
                    addr_len + 1
                ),
            ));
        }
        let sum = rec[..rec.len() - 1]
            .iter()
            .fold(0u8, |a, &b| a.wrapping_add(b));
        let stored = rec[rec.len() - 1];
        if stored != !sum {
            return Err(err(
                n,
                format!("bad checksum 0x{stored:02X} (expected 0x{:02X})", !sum),
            ));
        }
        let address = rest[..addr_len]
            .iter()
            .fold(0u64, |a, &b| (a << 8) | u64::from(b));
        let data = &rest[addr_len..rest.len() - 1];
        match kind {
            0 => {
                if image.header().is_none() {
                    image.set_header(Some(data.to_vec()));
                }
            }
            1..=3 => {
                if address + data.len() as u64 > 1 << 32 {
                    return Err(err(n, "data runs past the 4 GiB address space".into()));
                }
                image.add_segment(address, data, name).map_err(|e| match e {
                    ImageError::Overlap { start, end, .. } => err(
                        n,
                        format!("data at {start:#x}..{end:#x} was already given by an earlier record"),
                    ),
                    other => other,
                })?;
                data_records += 1;
            }
            5 | 6 => {
                if !data.is_empty() {
                    return Err(err(n, format!("S{kind} count record must not hold data")));
                }
                if address != data_records {
                    return Err(err(
                        n,
                        format!(
                            "S{kind} says {address} data records, {data_records} came before it"
                        ),
                    ));
                }
            }
            _ => {
                if !data.is_empty() {
                    return Err(err(
                        n,
                        format!("S{kind} termination record must not hold data"),
                    ));
                }
                image.set_entry(Some(address));
                termination = Some(n);
            }
        }
    }
    if image.is_empty() {
        return Err(ImageError::Empty {
            file: name.to_string(),
            format: Format::Srec,
        });
    }
    Ok(image)
}

/// Writes `image` as S-records: the optional S0 header, S1/S2/S3 data records, the optional
/// S5/S6 count, and S7/S8/S9 with the entry point (see [`SrecOptions`]).
///
/// Fails if an address or the entry point does not fit in 32 bits or an option is out of
/// range.
pub fn write_srec(image: &Image, options: &SrecOptions) -> Result<String, ImageError> {
    let invalid = |message: String| ImageError::InvalidOption {
        format: Format::Srec,
        message,
    };
    check_32bit(image, Format::Srec)?;
    let rs = usize::from(options.record_size);
    if rs == 0 {
        return Err(invalid("record size must not be 0".into()));
    }
    let records = record_chunks(image, rs, options.chunk_boundary);
    // The address width only grows with the address, so the last record is the widest.
    let widest = records
        .last()
        .map_or(2, |&(a, _)| options.address_width.bytes_for(a));
    if rs + widest > 254 {
        return Err(invalid(format!(
            "record size must be at most {} with {widest}-byte addresses, not {rs}",
            254 - widest
        )));
    }
    let eol = if options.crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    if let Some(header) = &options.header {
        if header.len() > 252 {
            return Err(invalid(format!(
                "S0 header is {} bytes, at most 252",
                header.len()
            )));
        }
        record(&mut out, 0, 0, 2, header, eol);
    }
    let mut count: u64 = 0;
    for (address, chunk) in records {
        let width = options.address_width.bytes_for(address);
        record(&mut out, width as u8 - 1, address, width, chunk, eol);
        count += 1;
    }
    if options.count_record {
        if count <= 0xFFFF {
            record(&mut out, 5, count, 2, &[], eol);
        } else if count <= 0xFF_FFFF {
            record(&mut out, 6, count, 3, &[], eol);
        } else {
            return Err(invalid(format!(
                "{count} data records are too many for an S6 count"
            )));
        }
    }
    let termination = match image.entry() {
        Some(e) => Some(e),
        None if options.always_terminate => Some(0),
        None => None,
    };
    if let Some(entry) = termination {
        let width = options.address_width.bytes_for(entry);
        record(&mut out, 11 - width as u8, entry, width, &[], eol);
    }
    Ok(out)
}

fn record(out: &mut String, kind: u8, address: u64, addr_len: usize, data: &[u8], eol: &str) {
    let mut bytes = Vec::with_capacity(data.len() + addr_len + 2);
    bytes.push((addr_len + data.len() + 1) as u8);
    bytes.extend_from_slice(&address.to_be_bytes()[8 - addr_len..]);
    bytes.extend_from_slice(data);
    let sum = bytes.iter().fold(0u8, |a, &b| a.wrapping_add(b));
    bytes.push(!sum);
    out.push('S');
    out.push(char::from(b'0' + kind));
    push_hex(out, &bytes);
    out.push_str(eol);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Image, ImageError> {
        parse_srec("t.s19", s.as_bytes())
    }

    fn line_of(e: ImageError) -> (usize, String) {
        match e {
            ImageError::Syntax {
                line,
                message,
                format: Format::Srec,
                ..
            } => (line, message),
            other => panic!("not an S-record syntax error: {other:?}"),
        }
    }

    #[test]
    fn s1_s2_s3_with_header_count_and_entry() {
        let text = "S00600004844521B\nS1051000AABB85\nS206020000CCDD4E\n\
                    S307030000001122C2\nS5030003F9\nS70508000101F0\n";
        let img = parse(text).unwrap();
        let segs: Vec<_> = img
            .segments()
            .iter()
            .map(|s| (s.address, s.data.clone()))
            .collect();
        assert_eq!(
            segs,
            vec![
                (0x1000, vec![0xAA, 0xBB]),
                (0x2_0000, vec![0xCC, 0xDD]),
                (0x300_0000, vec![0x11, 0x22])
            ]
        );
        assert_eq!(img.entry(), Some(0x0800_0101));
    }

    #[test]
    fn s8_s9_entries_and_s6_count_and_crlf() {
        let img = parse("S1041000AA41\r\nS804020000F9\r\n").unwrap();
        assert_eq!(img.entry(), Some(0x2_0000));
        let img = parse("S1041000AA41\nS60400010AF0\nS9031234B6\n").unwrap_err();
        // 0x0A is not the count (1); check the message names both numbers.
        let (line, msg) = line_of(img);
        assert_eq!(line, 2);
        assert!(
            msg.contains("S6 says 266 data records, 1 came before it"),
            "{msg}"
        );
        let img = parse("S1041000AA41\nS604000001FA\nS9031234B6\n").unwrap();
        assert_eq!(img.entry(), Some(0x1234));
    }

    #[test]
    fn no_termination_is_fine() {
        let img = parse("S1041000AA41\n").unwrap();
        assert_eq!(img.entry(), None);
        assert_eq!(img.total_len(), 1);
    }

    #[test]
    fn error_not_s() {
        let (line, msg) = line_of(parse("S1041000AA41\n\n:1041000AA41\n").unwrap_err());
        assert_eq!(line, 3);
        assert!(msg.contains("'S'"), "{msg}");
        let (_, msg) = line_of(parse("SX041000AA41\n").unwrap_err());
        assert!(msg.contains("must be a digit, found 'X'"), "{msg}");
        let (_, msg) = line_of(parse("S4041000AA41\n").unwrap_err());
        assert!(msg.contains("S4 is not a valid record type"), "{msg}");
    }

    #[test]
    fn error_hex_length_checksum() {
        let (line, msg) = line_of(parse("S1041000AA4\n").unwrap_err());
        assert_eq!(line, 1);
        assert!(msg.contains("odd"), "{msg}");
        let (_, msg) = line_of(parse("S1041000AZ41\n").unwrap_err());
        assert!(msg.contains("'Z'") && msg.contains("column 10"), "{msg}");
        let (_, msg) = line_of(parse("S1051000AA41\n").unwrap_err());
        assert!(
            msg.contains("count field says 5 bytes follow, the record holds 4"),
            "{msg}"
        );
        let (_, msg) = line_of(parse("S1\n").unwrap_err());
        assert!(msg.contains("no count"), "{msg}");
        let (_, msg) = line_of(parse("S304000000FB\n").unwrap_err());
        assert!(msg.contains("needs at least 5 bytes"), "{msg}");
        let (line, msg) = line_of(parse("S0030000FC\nS1041000AA42\n").unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("bad checksum 0x42 (expected 0x41)"), "{msg}");
    }

    #[test]
    fn error_count_mismatch_and_after_termination_and_data_in_special_records() {
        let (line, msg) = line_of(parse("S1041000AA41\nS5030002FA\n").unwrap_err());
        assert_eq!(line, 2);
        assert!(
            msg.contains("S5 says 2 data records, 1 came before it"),
            "{msg}"
        );
        let (line, msg) = line_of(parse("S1041000AA41\nS9030000FC\nS1041001AA40\n").unwrap_err());
        assert_eq!(line, 3);
        assert!(
            msg.contains("after the termination record of line 2"),
            "{msg}"
        );
        let (_, msg) = line_of(parse("S1041000AA41\nS9040000AA51\n").unwrap_err());
        assert!(msg.contains("must not hold data"), "{msg}");
        let (_, msg) = line_of(parse("S1041000AA41\nS5040001AA50\n").unwrap_err());
        assert!(msg.contains("must not hold data"), "{msg}");
    }

    #[test]
    fn error_overlap_and_4gib() {
        let (line, msg) = line_of(parse("S1051000AABB85\nS1041001CC1E\n").unwrap_err());
        assert_eq!(line, 2);
        assert!(msg.contains("0x1001..0x1002"), "{msg}");
        let (_, msg) = line_of(parse("S307FFFFFFFF0102F9\n").unwrap_err());
        assert!(msg.contains("4 GiB"), "{msg}");
    }

    #[test]
    fn header_only_is_empty() {
        assert!(matches!(
            parse("S0030000FC\nS5030000FC\n"),
            Err(ImageError::Empty { .. })
        ));
    }

    #[test]
    fn writer_widths_header_count_termination() {
        let mut img = Image::new();
        img.add_segment(0xFFFE, &[1, 2, 3], "a").unwrap();
        img.add_segment(0x0100_0000, &[4], "b").unwrap();
        img.set_entry(Some(0x10));
        let auto = SrecOptions::default()
            .with_record_size(2)
            .with_header(Some(b"HDR"));
        assert_eq!(
            write_srec(&img, &auto).unwrap(),
            "S00600004844521B\nS105FFFE0102FA\nS20501000003F6\nS3060100000004F4\nS5030003F9\n\
             S9030010EC\n"
        );
        let s24 = SrecOptions::default().with_address_width(AddressWidth::AtLeast24);
        assert_eq!(
            write_srec(&img, &s24).unwrap(),
            "S20700FFFE010203F5\nS3060100000004F4\nS5030002FA\nS804000010EB\n"
        );
        img.set_entry(None);
        let s32 = SrecOptions {
            always_terminate: true,
            crlf: true,
            ..SrecOptions::spsdk()
        };
        assert_eq!(
            write_srec(&img, &s32).unwrap(),
            "S3080000FFFE010203F4\r\nS3060100000004F4\r\nS5030002FA\r\nS70500000000FA\r\n"
        );
    }

    #[test]
    fn writer_limits() {
        let mut img = Image::new();
        img.add_segment(0x0100_0000, &[0; 300], "a").unwrap();
        assert!(write_srec(&img, &SrecOptions::default().with_record_size(250)).is_ok());
        assert!(matches!(
            write_srec(&img, &SrecOptions::default().with_record_size(251)),
            Err(ImageError::InvalidOption { .. })
        ));
        assert!(write_srec(&Image::new(), &SrecOptions::default().with_record_size(252)).is_ok());
        assert!(write_srec(&Image::new(), &SrecOptions::default().with_record_size(253)).is_err());
        let mut low = Image::new();
        low.add_segment(0xFF00, &[0; 300], "a").unwrap();
        // 252-byte records: the second one starts at 0xFFFC, still S1.
        assert!(write_srec(&low, &SrecOptions::default().with_record_size(252)).is_ok());
        assert!(write_srec(&img, &SrecOptions::default().with_record_size(0)).is_err());
        let long = SrecOptions::default().with_header(Some(&[b'x'; 253]));
        assert!(write_srec(&img, &long).is_err());
        let mut big = Image::new();
        big.add_segment(0xFFFF_FFFF, &[1, 2], "a").unwrap();
        assert!(matches!(
            write_srec(&big, &SrecOptions::default()),
            Err(ImageError::AddressTooLarge { .. })
        ));
    }

    #[test]
    fn writer_s6_count() {
        let mut img = Image::new();
        img.add_segment(0, &vec![0u8; 0x1_0000], "a").unwrap();
        let text = write_srec(&img, &SrecOptions::default().with_record_size(1)).unwrap();
        assert!(
            text.ends_with("S604010000FA\n"),
            "{}",
            &text[text.len() - 40..]
        );
        assert_eq!(parse_srec("big", text.as_bytes()).unwrap(), img);
    }
}
