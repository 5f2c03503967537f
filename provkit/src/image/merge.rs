//! Placing input files and merging them: the semantics of the `imgmerge` command line, which
//! are `srec_cat`'s.
//!
//! * [`load_input`]: a file and an optional `@ADDR`. A raw binary is placed at `ADDR` (it
//!   needs one); a HEX, S-record or ELF file keeps the addresses it carries and `ADDR`, when
//!   given, is an offset added to them (`srec_cat FILE -offset ADDR`; negative offsets move
//!   data down, e.g. from a secure alias).
//! * [`merge_inputs`]: relocations (`FROM:TO`: every input whose range contains `FROM` moves by
//!   `TO - FROM`, the SEC tool's "target address"), then the union of all inputs. Any byte
//!   given twice is an error naming both inputs and the overlapping range (`srec_cat` only
//!   fails when the two values differ).
//! * [`output_range`]: the flat range a binary covers: from `base` (default: the first data
//!   byte) for `size` bytes, or to the last data byte rounded up so that the length is a
//!   multiple of `align`.

use std::ops::Range;

use super::{Format, Image, ImageError, load_as, load_bin};

/// The format an input is read as: a `.bin` (`.raw`, `.img`) extension means raw binary
/// whatever the content; otherwise the content decides ([`Format::detect`]), then the
/// extension, and anything else is raw binary.
pub fn input_format(name: &str, bytes: &[u8]) -> Format {
    if Format::from_extension(name) == Some(Format::Bin) {
        return Format::Bin;
    }
    Format::detect(bytes)
        .or_else(|| Format::from_extension(name))
        .unwrap_or(Format::Bin)
}

/// Loads one input: `name` (for messages and format detection), its bytes, and the `@ADDR`
/// of the command line: the load address of a raw binary (required, not negative), an offset
/// added to the addresses of the other formats (optional, may be negative).
///
/// Returns the format it was read as and the image.
pub fn load_input(
    name: &str,
    bytes: &[u8],
    at: Option<i128>,
) -> Result<(Format, Image), ImageError> {
    let format = input_format(name, bytes);
    tracing::debug!(file = name, %format, "loading input");
    let image = match format {
        Format::Bin => {
            let Some(at) = at else {
                return Err(ImageError::BinNeedsAddress {
                    file: name.to_string(),
                });
            };
            let address = u64::try_from(at).map_err(|_| ImageError::NegativeAddress {
                file: name.to_string(),
                address: at,
            })?;
            load_bin(name, bytes, address)?
        }
        _ => {
            let mut image = load_as(format, name, bytes, None)?;
            if let Some(offset) = at {
                image.shift(offset, name)?;
            }
            image
        }
    };
    Ok((format, image))
}

/// A relocation `FROM:TO`: the inputs holding address `FROM` move by `TO - FROM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relocation {
    /// An address inside the input(s) to move (usually their first address).
    pub from: u64,
    /// Where that address goes.
    pub to: u64,
}

/// Applies `relocations` in order (each to every input whose range `start..end` holds
/// `from`; none matching is an error) and merges the inputs in order. The entry point and
/// S-record header are the first input's that has one, as in `srec_cat`.
pub fn merge_inputs(
    mut inputs: Vec<Image>,
    relocations: &[Relocation],
) -> Result<Image, ImageError> {
    for r in relocations {
        let mut matched = false;
        for image in &mut inputs {
            let (Some(start), Some(end)) = (image.start(), image.end()) else {
                continue;
            };
            if (start..end).contains(&r.from) {
                let what = format!("relocation {:#x}:{:#x}", r.from, r.to);
                image.shift(i128::from(r.to) - i128::from(r.from), &what)?;
                matched = true;
            }
        }
        if !matched {
            return Err(ImageError::RelocationUnmatched {
                from: r.from,
                to: r.to,
                inputs: inputs
                    .iter()
                    .filter_map(|i| {
                        let name = i.sources().next()?.1.to_string();
                        Some((name, i.start()?, i.end()?))
                    })
                    .collect(),
            });
        }
    }
    let mut merged = Image::new();
    for image in &inputs {
        merged.merge(image)?;
    }
    Ok(merged)
}

/// How the flat output range is chosen ([`output_range`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RangeOptions {
    /// First address of the output (default: the first data byte). No data may lie below.
    pub base: Option<u64>,
    /// Exact length of the output from `base`. No data may lie beyond.
    pub size: Option<u64>,
    /// Round the length up to a multiple of this (ignored when `size` is given; 0 is an
    /// error).
    pub align: Option<u64>,
}

impl RangeOptions {
    /// True when any option is set, i.e. the output is asked to cover a range rather than
    /// just the data.
    pub fn any(&self) -> bool {
        self.base.is_some() || self.size.is_some() || self.align.is_some()
    }
}

/// `value` rounded up to a multiple of `align` (`None` on overflow or a zero `align`).
pub fn align_up(value: u64, align: u64) -> Option<u64> {
    if align == 0 {
        return None;
    }
    match value % align {
        0 => Some(value),
        r => value.checked_add(align - r),
    }
}

/// The address range a flat binary of `image` covers under `options`: `base..base+size`, or
/// `base..` the last data byte with the length rounded up to `align`. An empty image gives
/// `base..base+size` (or an empty range).
pub fn output_range(image: &Image, options: &RangeOptions) -> Result<Range<u64>, ImageError> {
    let data = image.start().zip(image.end());
    let start = options.base.or(data.map(|(s, _)| s)).unwrap_or(0);
    let overflow = || {
        ImageError::InvalidRange(format!(
            "the output range from {start:#x} runs past the end of the 64-bit address space"
        ))
    };
    let end = if let Some(size) = options.size {
        start.checked_add(size).ok_or_else(overflow)?
    } else {
        let data_end = data.map_or(start, |(_, e)| e.max(start));
        let len = data_end - start;
        let len = match options.align {
            Some(0) => {
                return Err(ImageError::InvalidRange(
                    "the alignment must be 1 or more".into(),
                ));
            }
            Some(a) => align_up(len, a).ok_or_else(overflow)?,
            None => len,
        };
        start.checked_add(len).ok_or_else(overflow)?
    };
    if let Some((ds, de)) = data {
        if ds < start || de > end {
            return Err(ImageError::DoesNotFit {
                start,
                end,
                data_start: ds,
                data_end: de,
            });
        }
    }
    Ok(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(records: &str) -> Vec<u8> {
        records.as_bytes().to_vec()
    }

    #[test]
    fn bin_extension_wins_over_content() {
        assert_eq!(input_format("x.bin", b":00000001FF\n"), Format::Bin);
        assert_eq!(input_format("x.dat", b":00000001FF\n"), Format::IntelHex);
        assert_eq!(input_format("-", b"S1041000AA41\n"), Format::Srec);
        assert_eq!(input_format("x.hex", b"garbage"), Format::IntelHex);
        assert_eq!(input_format("x", b"\x00\x01"), Format::Bin);
    }

    #[test]
    fn bin_needs_a_non_negative_address_others_take_an_offset() {
        assert!(matches!(
            load_input("a.bin", &[1, 2], None),
            Err(ImageError::BinNeedsAddress { .. })
        ));
        assert!(matches!(
            load_input("a.bin", &[1, 2], Some(-1)),
            Err(ImageError::NegativeAddress { address: -1, .. })
        ));
        let (f, img) = load_input("a.bin", &[1, 2], Some(0x1000)).unwrap();
        assert_eq!((f, img.start()), (Format::Bin, Some(0x1000)));

        let text = hex(":020000041800E2\n:0110000001EE\n:0400000518001001CE\n:00000001FF\n");
        let (f, img) = load_input("s.hex", &text, None).unwrap();
        assert_eq!(
            (f, img.start(), img.entry()),
            (Format::IntelHex, Some(0x1800_1000), Some(0x1800_1001))
        );
        let (_, img) = load_input("s.hex", &text, Some(-0x1000_0000)).unwrap();
        assert_eq!(
            (img.start(), img.entry()),
            (Some(0x0800_1000), Some(0x0800_1001))
        );
        assert!(matches!(
            load_input("s.hex", &text, Some(-0x2000_0000)),
            Err(ImageError::AddressOverflow { .. })
        ));
    }

    #[test]
    fn relocation_moves_the_inputs_holding_from() {
        let s = load_bin("s.bin", &[1; 16], 0x1800_1000).unwrap();
        let ns = load_bin("ns.bin", &[2; 16], 0x0810_0000).unwrap();
        let r = Relocation {
            from: 0x1800_1000,
            to: 0x0800_1000,
        };
        let merged = merge_inputs(vec![s.clone(), ns.clone()], &[r]).unwrap();
        let starts: Vec<u64> = merged.segments().iter().map(|s| s.address).collect();
        assert_eq!(starts, [0x0800_1000, 0x0810_0000]);

        let miss = Relocation { from: 0x10, to: 0 };
        let e = merge_inputs(vec![s, ns], &[miss]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "relocation 0x10:0x0: no input holds address 0x10 (inputs: s.bin \
             0x18001000..0x18001010, ns.bin 0x8100000..0x8100010)"
        );
    }

    #[test]
    fn overlap_names_both_inputs() {
        let a = load_bin("a.bin", &[1; 16], 0x1000).unwrap();
        let b = load_bin("b.bin", &[2; 16], 0x1008).unwrap();
        let e = merge_inputs(vec![a, b], &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.bin overlaps a.bin at 0x1008..0x1010 (8 bytes)"
        );
    }

    #[test]
    fn ranges() {
        let mut img = load_bin("a", &[1; 5], 0x1003).unwrap();
        img.add_segment(0x1010, &[2; 3], "b").unwrap();
        let r = |base, size, align| output_range(&img, &RangeOptions { base, size, align });
        assert_eq!(r(None, None, None).unwrap(), 0x1003..0x1013);
        assert_eq!(r(Some(0x1000), None, None).unwrap(), 0x1000..0x1013);
        assert_eq!(r(Some(0x1000), None, Some(16)).unwrap(), 0x1000..0x1020);
        assert_eq!(r(None, None, Some(16)).unwrap(), 0x1003..0x1013);
        assert_eq!(r(None, None, Some(32)).unwrap(), 0x1003..0x1023);
        assert_eq!(r(Some(0), Some(0x2000), None).unwrap(), 0..0x2000);
        assert_eq!(
            r(Some(0x1004), None, None).unwrap_err().to_string(),
            "the data at 0x1003..0x1013 does not fit in the output range 0x1004..0x1013 \
             (0xf bytes)"
        );
        assert!(matches!(
            r(None, Some(0x8), None),
            Err(ImageError::DoesNotFit { .. })
        ));
        assert!(matches!(
            r(None, None, Some(0)),
            Err(ImageError::InvalidRange(_))
        ));
        assert!(matches!(
            r(Some(u64::MAX), Some(2), None),
            Err(ImageError::InvalidRange(_))
        ));
        assert_eq!(
            output_range(&Image::new(), &RangeOptions::default()).unwrap(),
            0..0
        );
        assert_eq!(align_up(5, 4), Some(8));
        assert_eq!(align_up(8, 4), Some(8));
        assert_eq!(align_up(u64::MAX, 2), None);
        assert_eq!(align_up(1, 0), None);
    }
}
