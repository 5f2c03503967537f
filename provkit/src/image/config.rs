//! SPSDK's binary-image configuration (`nxpimage utils binary-image export -c CONFIG.yaml`),
//! read verbatim and laid out the way SPSDK 3.12 does, except where SPSDK is wrong.
//!
//! ```yaml
//! name: merged              # only for messages (default "Base Image")
//! size: 0x10000             # optional: total length; the regions must fit, the rest is padding
//! pattern: ones             # gap filler: zeros (default), ones, inc, rand, or a number
//! alignment: 4              # optional: the length is rounded up to it (default 1)
//! regions:
//!   - binary_file: {path: app.s19, offset: 0, name: app}
//!   - binary_block: {size: 4, offset: 0x8030000, pattern: 0x12345678, name: marker}
//! ```
//!
//! # SPSDK's semantics (kept)
//!
//! * Numbers are YAML integers or strings (`"0x1000"`, `"0b1010"`, `"0o17"`, `"1_000"`,
//!   optional `u`/`l` suffixes). A pattern number is repeated as its shortest big-endian
//!   byte string (`0xA5` → A5, `0x12345678` → 12 34 56 78, `0x00FF` → FF).
//! * A file's format is found from its content: ELF magic, S-record, Intel HEX, otherwise raw
//!   binary (at address 0). A file whose content looks like none of them but whose extension
//!   names one is read as that format, so a corrupt HEX file is an error with a line number
//!   (SPSDK would silently take it as raw bytes).
//! * `binary_file.offset` is **added** to the addresses inside a HEX, S-record or ELF file
//!   (like `srec_cat -offset`); for a raw binary it is the address. It may be negative, e.g.
//!   `-0x10000000` to move an image from a secure alias. `binary_block.offset` is the address.
//! * A region without `offset` goes to the image's current length (from address 0, rounded up
//!   to `alignment`), plus the file's own addresses for an addressed file; with `size` set that
//!   is `size` itself, so the region does not fit. (SPSDK warns; so do we, through `tracing`.)
//! * A file region is one block from its first to its last byte: two regions overlap when
//!   those blocks do, even if the data in them does not (an error naming both).
//! * The layout is measured from the lowest region start (SPSDK's default), or from address 0
//!   with `keep_padding` (`-p`). `size` (rounded up to `alignment`) is the length from there;
//!   without it the length is the end of the last region rounded up to `alignment`. A region
//!   that starts below 0 (with `-p`) or ends past `size` is an error.
//! * Binary output: the layout filled with `pattern` (phase from its first byte: `inc` counts
//!   0, 1, 2, … from there; a multi-byte number starts with its first byte there), then every
//!   region written over it; a `binary_block` is its own pattern from its first byte.
//! * HEX/S-record output is sparse: only the files' data and the blocks are written; the gaps,
//!   `size` and `alignment` padding are not.
//!
//! # Deliberate differences (see [`BuildOptions::spsdk_compat`] for SPSDK's behaviour)
//!
//! * HEX/S-record output keeps the real addresses. SPSDK rebases them so that the lowest
//!   region is at 0 unless `-p` is given, which loses where the image goes.
//! * The entry point of the first file that has one (moved by the region's offset) is kept in
//!   HEX/S-record output. SPSDK drops every entry point.
//! * The gaps inside a multi-segment file are filled like the other gaps (the image's
//!   pattern, same phase). SPSDK refills the file's span with the pattern of the last
//!   `binary_block` listed before it (a variable reused in its loader) restarted at the
//!   file's first byte.
//! * Always (also with `spsdk_compat`): a file without data (an ELF without loadable
//!   segments, a HEX with only an end record) is an error where SPSDK crashes or writes a huge
//!   file; unknown keys are errors where SPSDK ignores them (a misspelt `offset` would move a
//!   region); a region with neither `binary_file` nor `binary_block` is an error; ELF files are
//!   read by their `PT_LOAD` segments at the physical address where SPSDK reads the allocated
//!   sections inside them (the same bytes, except alignment padding between sections, which
//!   SPSDK leaves as a gap); SPARSE inputs are not supported; an unquoted `010` (octal 8 for
//!   SPSDK's YAML 1.1 reader, decimal 10 when quoted) is refused as ambiguous.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::{Image, ImageError, load};

/// An integer field: a YAML integer or a string SPSDK's `value_to_int` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConfigInt(pub i128);

/// Parses an integer the way SPSDK's `value_to_int` does: decimal, `0x`, `0b` or `0o`
/// prefixes (any case), `_` separators, up to three `u`/`l` suffix letters; also a leading
/// `-` or `+`. A decimal with a leading zero (`010`) is refused: YAML 1.1 (SPSDK) reads an
/// unquoted one as octal.
pub fn parse_config_int(text: &str) -> Result<i128, String> {
    let bad = || format!("'{text}' is not a number");
    let t = text.trim().to_ascii_lowercase();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let stripped = t.trim_end_matches(['u', 'l']);
    if t.len() - stripped.len() > 3 {
        return Err(bad());
    }
    let t = stripped;
    let (digits, radix) = if let Some(h) = t.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = t.strip_prefix("0b") {
        (b, 2)
    } else if let Some(o) = t.strip_prefix("0o") {
        (o, 8)
    } else {
        (t, 10)
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    if radix == 10
        && digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|d| (b'0'..=b'7').contains(&d))
        && digits.trim_start_matches('0').len() > 1
    {
        return Err(format!(
            "'{text}' is ambiguous: SPSDK's YAML reader takes an unquoted {text} as octal; \
             write 0o{} or the decimal value",
            digits.trim_start_matches('0')
        ));
    }
    let value = i128::from_str_radix(&digits, radix).map_err(|_| bad())?;
    Ok(if negative { -value } else { value })
}

impl<'de> Deserialize<'de> for ConfigInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ConfigInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer (or a string such as \"0x1000\")")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ConfigInt, E> {
                Ok(ConfigInt(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ConfigInt, E> {
                Ok(ConfigInt(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<ConfigInt, E> {
                Ok(ConfigInt(v))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<ConfigInt, E> {
                i128::try_from(v)
                    .map(ConfigInt)
                    .map_err(|_| E::custom(format!("{v} is too large")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ConfigInt, E> {
                parse_config_int(v).map(ConfigInt).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A fill pattern: SPSDK's `BinaryPattern`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// 0x00 bytes.
    Zeros,
    /// 0xFF bytes.
    Ones,
    /// 0x00, 0x01, … 0xFF, 0x00, … from the start of the filled block.
    Inc,
    /// Random bytes.
    Rand,
    /// These bytes, repeated (a number's shortest big-endian form, at least one byte).
    Bytes(Vec<u8>),
}

impl Pattern {
    /// Parses `zeros`, `ones`, `inc`, `rand` or a number (a string as in
    /// [`parse_config_int`], or hex of any length with `0x`). A number is tried first, as in
    /// SPSDK.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(hex) = t.strip_prefix("0x") {
            let digits: String = hex.chars().filter(|&c| c != '_').collect();
            let digits = digits.trim_end_matches(['u', 'l']);
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit()) {
                let digits = digits.trim_start_matches('0');
                let padded = if digits.len() % 2 == 1 {
                    format!("0{digits}")
                } else {
                    digits.to_string()
                };
                let bytes: Vec<u8> = (0..padded.len())
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(&padded[i..i + 2], 16).ok())
                    .collect();
                return Ok(Pattern::Bytes(if bytes.is_empty() {
                    vec![0]
                } else {
                    bytes
                }));
            }
        }
        if let Ok(v) = parse_config_int(text) {
            return Pattern::from_int(v);
        }
        match text.trim() {
            "zeros" => Ok(Pattern::Zeros),
            "ones" => Ok(Pattern::Ones),
            "inc" => Ok(Pattern::Inc),
            "rand" => Ok(Pattern::Rand),
            _ => Err(format!(
                "unsupported pattern '{text}' (a number, zeros, ones, inc or rand)"
            )),
        }
    }

    /// The pattern of a number: its shortest big-endian bytes, at least one.
    pub fn from_int(value: i128) -> Result<Pattern, String> {
        if value < 0 {
            return Err(format!("a pattern cannot be negative ({value})"));
        }
        let bytes = value.to_be_bytes();
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(15);
        Ok(Pattern::Bytes(bytes[first..].to_vec()))
    }

    /// Fills `out` with the pattern as one block starting at `out[0]`. `random` supplies the
    /// bytes of [`Pattern::Rand`].
    pub fn fill(&self, out: &mut [u8], random: &mut dyn FnMut(&mut [u8])) {
        match self {
            Pattern::Zeros => out.fill(0),
            Pattern::Ones => out.fill(0xFF),
            Pattern::Inc => {
                for (i, b) in out.iter_mut().enumerate() {
                    *b = i as u8;
                }
            }
            Pattern::Rand => random(out),
            Pattern::Bytes(p) => {
                for (b, v) in out.iter_mut().zip(p.iter().cycle()) {
                    *b = *v;
                }
            }
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Zeros => f.write_str("zeros"),
            Pattern::Ones => f.write_str("ones"),
            Pattern::Inc => f.write_str("inc"),
            Pattern::Rand => f.write_str("rand"),
            Pattern::Bytes(b) => {
                f.write_str("0x")?;
                for x in b {
                    write!(f, "{x:02X}")?;
                }
                Ok(())
            }
        }
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Pattern;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or one of zeros, ones, inc, rand")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pattern, E> {
                Pattern::from_int(v.into()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pattern, E> {
                Pattern::from_int(v.into()).map_err(E::custom)
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Pattern, E> {
                Pattern::from_int(v).map_err(E::custom)
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Pattern, E> {
                let bytes = v.to_be_bytes();
                let first = bytes.iter().position(|&b| b != 0).unwrap_or(15);
                Ok(Pattern::Bytes(bytes[first..].to_vec()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Pattern, E> {
                Pattern::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BinaryImageConfig {
    /// Image name, for messages (SPSDK's default: "Base Image").
    #[serde(default)]
    pub name: Option<String>,
    /// Total size (0 or absent: as long as the regions need).
    #[serde(default)]
    pub size: Option<ConfigInt>,
    /// Gap filler (default zeros).
    #[serde(default)]
    pub pattern: Option<Pattern>,
    /// Length alignment and the alignment of appended regions (default 1).
    #[serde(default)]
    pub alignment: Option<ConfigInt>,
    /// The regions, in order.
    #[serde(default)]
    pub regions: Option<Vec<Region>>,
}

/// One entry of `regions`: a file, a pattern block, or (as SPSDK allows) both, in that order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Region {
    /// A file to merge.
    #[serde(default)]
    pub binary_file: Option<FileRegion>,
    /// A block of pattern bytes.
    #[serde(default)]
    pub binary_block: Option<BlockRegion>,
}

/// `binary_file`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FileRegion {
    /// Name for messages (default: the path).
    #[serde(default)]
    pub name: Option<String>,
    /// The file, relative to the configuration file's directory (then the working directory).
    pub path: String,
    /// Address of a raw binary, or offset added to an addressed file's addresses.
    #[serde(default)]
    pub offset: Option<ConfigInt>,
}

/// `binary_block`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BlockRegion {
    /// Name for messages (default: `Binary block(#N)`).
    #[serde(default)]
    pub name: Option<String>,
    /// Length in bytes.
    pub size: ConfigInt,
    /// Address.
    #[serde(default)]
    pub offset: Option<ConfigInt>,
    /// Its content.
    pub pattern: Pattern,
}

/// Options of [`BinaryImageConfig::build`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// SPSDK's `-p/--keep-padding`: measure the layout from address 0 instead of from the
    /// lowest region (a binary then starts at address 0).
    pub keep_padding: bool,
    /// Reproduce SPSDK 3.12's output byte for byte where it differs on purpose: HEX/S-record
    /// data rebased so that the layout starts at 0 (unless `keep_padding`), no entry point,
    /// and the gaps inside a multi-segment file refilled with the last block's pattern.
    pub spsdk_compat: bool,
}

/// Why a configuration cannot be laid out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A top-level field has a value SPSDK refuses too.
    #[error("{field}: {message}")]
    Field {
        /// The field (`size`, `alignment`, `regions[2].binary_block.size`, …).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A region has neither `binary_file` nor `binary_block`.
    #[error("regions[{index}]: needs a binary_file or a binary_block")]
    EmptyRegion {
        /// 0-based index in `regions`.
        index: usize,
    },
    /// A file's content was not given to [`BinaryImageConfig::build`].
    #[error("regions[{index}] ({name}): no content given for the file")]
    MissingContent {
        /// 0-based index in `regions`.
        index: usize,
        /// Region name.
        name: String,
    },
    /// A file cannot be read as an image.
    #[error("regions[{index}] ({name}): {source}")]
    Load {
        /// 0-based index in `regions`.
        index: usize,
        /// Region name.
        name: String,
        /// The loader's error (names the file and line or offset).
        source: ImageError,
    },
    /// A file is an SPSDK SPARSE image.
    #[error("regions[{index}] ({name}): SPARSE images are not supported")]
    Sparse {
        /// 0-based index in `regions`.
        index: usize,
        /// Region name.
        name: String,
    },
    /// A region starts before the start of the layout (address 0 with `keep_padding`).
    #[error(
        "regions[{index}] ({name}) starts at {}, below address 0{}",
        signed_hex(*start),
        if *rebased { "" } else { " (the layout starts at 0 with --keep-padding)" }
    )]
    NegativeStart {
        /// 0-based index in `regions`.
        index: usize,
        /// Region name.
        name: String,
        /// Its start address.
        start: i128,
        /// Whether the layout was rebased to the lowest region (never negative then; this
        /// happens for HEX/S-record output that keeps real addresses).
        rebased: bool,
    },
    /// A region ends past `size`.
    #[error(
        "regions[{index}] ({name}) at {}..{} does not fit in the image: {:#x} bytes from {}",
        signed_hex(*start), signed_hex(*end), size, signed_hex(*origin)
    )]
    DoesNotFit {
        /// 0-based index in `regions`.
        index: usize,
        /// Region name.
        name: String,
        /// Region start address.
        start: i128,
        /// Region end address (exclusive).
        end: i128,
        /// Where the layout starts.
        origin: i128,
        /// The layout length (`size` rounded up to `alignment`).
        size: u64,
    },
    /// Two regions overlap.
    #[error("{0}")]
    Overlap(Box<RegionOverlap>),
    /// Nothing to write: no data and no size.
    #[error("the configuration describes an empty image")]
    NoData,
    /// Building the output failed (too large, address out of range).
    #[error(transparent)]
    Image(#[from] ImageError),
}

/// The details of [`ConfigError::Overlap`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "regions[{index}] ({name}) at {}..{} overlaps regions[{other_index}] ({other}) at {}..{}{}",
    signed_hex(*start), signed_hex(*end), signed_hex(*other_start), signed_hex(*other_end),
    if *data_overlaps { "" } else {
        " (their data does not, but a file region spans from its first to its last byte)"
    }
)]
#[non_exhaustive]
pub struct RegionOverlap {
    /// 0-based index of one region.
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its start.
    pub start: i128,
    /// Its end (exclusive).
    pub end: i128,
    /// 0-based index of the other region.
    pub other_index: usize,
    /// Its name.
    pub other: String,
    /// Its start.
    pub other_start: i128,
    /// Its end (exclusive).
    pub other_end: i128,
    /// Whether data bytes overlap too, or only the regions' spans.
    pub data_overlaps: bool,
}

fn signed_hex(v: i128) -> String {
    if v < 0 {
        format!("-{:#x}", v.unsigned_abs())
    } else {
        format!("{v:#x}")
    }
}

/// A region placed by [`BinaryImageConfig::build`].
#[derive(Debug, Clone)]
struct Placed {
    index: usize,
    name: String,
    /// Absolute start (before any rebasing).
    start: i128,
    len: u64,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    File {
        /// At the file's own addresses.
        image: Image,
        /// Added to them.
        offset: i128,
        /// What SPSDK fills the file's internal gaps with (compat mode only).
        gap_pattern: Option<Pattern>,
    },
    Block {
        pattern: Pattern,
    },
}

/// One region of a [`Layout`], for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegionInfo {
    /// 0-based index in `regions`.
    pub index: usize,
    /// Name.
    pub name: String,
    /// Absolute start address (may be negative before rebasing).
    pub start: i128,
    /// Length of its span.
    pub len: u64,
    /// True for a `binary_file`, false for a `binary_block`.
    pub is_file: bool,
}

/// A configuration laid out: regions placed and checked, ready to be written.
#[derive(Debug, Clone)]
pub struct Layout {
    name: String,
    regions: Vec<Placed>,
    origin: i128,
    len: u64,
    pattern: Pattern,
    options: BuildOptions,
}

impl BinaryImageConfig {
    /// The `path` of every `binary_file`, in order: the contents [`BinaryImageConfig::build`]
    /// expects, in the same order.
    pub fn files(&self) -> Vec<&str> {
        self.regions
            .iter()
            .flatten()
            .filter_map(|r| r.binary_file.as_ref().map(|f| f.path.as_str()))
            .collect()
    }

    /// Places and checks the regions. `contents` holds the bytes of [`Self::files`], in
    /// the same order. See the [module documentation](self) for the rules.
    pub fn build<B: AsRef<[u8]>>(
        &self,
        contents: &[B],
        options: BuildOptions,
    ) -> Result<Layout, ConfigError> {
        let field = |field: &str, message: String| ConfigError::Field {
            field: field.to_string(),
            message,
        };
        let alignment = match self.alignment {
            None => 1,
            Some(ConfigInt(a)) => u64::try_from(a)
                .ok()
                .filter(|&a| a >= 1)
                .ok_or_else(|| field("alignment", format!("must be 1 or more, not {a}")))?,
        };
        let size = match self.size {
            None => 0,
            Some(ConfigInt(s)) => u64::try_from(s)
                .map_err(|_| field("size", format!("must not be negative ({s})")))?,
        };
        let fixed_len = if size > 0 {
            Some(
                super::merge::align_up(size, alignment)
                    .ok_or_else(|| field("size", "too large".into()))?,
            )
        } else {
            None
        };
        let global = self.pattern.clone().unwrap_or(Pattern::Zeros);
        // SPSDK's loader keeps the global pattern in a variable that each binary_block
        // overwrites, and hands that variable to the files loaded after it.
        let mut last_pattern = global.clone();
        let mut regions: Vec<Placed> = Vec::new();
        let mut next_file = 0;

        for (index, region) in self.regions.iter().flatten().enumerate() {
            if region.binary_file.is_none() && region.binary_block.is_none() {
                return Err(ConfigError::EmptyRegion { index });
            }
            if let Some(f) = &region.binary_file {
                let name = f.name.clone().unwrap_or_else(|| f.path.clone());
                let Some(bytes) = contents.get(next_file) else {
                    return Err(ConfigError::MissingContent { index, name });
                };
                next_file += 1;
                let bytes = bytes.as_ref();
                if bytes.get(..4) == Some(&0xED26_FF3A_u32.to_le_bytes()[..]) {
                    return Err(ConfigError::Sparse { index, name });
                }
                let image = load(&f.path, bytes, Some(0)).map_err(|source| ConfigError::Load {
                    index,
                    name: name.clone(),
                    source,
                })?;
                let offset = match f.offset {
                    Some(ConfigInt(o)) => {
                        offset_in_range(o, || format!("regions[{index}].binary_file.offset"))?
                    }
                    None => {
                        let o = frame_len(&regions, 0, fixed_len, alignment);
                        tracing::warn!(
                            "regions[{index}] ({name}) has no offset: using the image's aligned \
                             length {} (added to the file's own addresses); use 'offset: 0' if \
                             this is not desired",
                            signed_hex(o)
                        );
                        o
                    }
                };
                let first = i128::from(image.start().unwrap_or(0));
                let gap_pattern = options.spsdk_compat.then(|| last_pattern.clone());
                regions.push(Placed {
                    index,
                    name,
                    start: offset + first,
                    len: image.span(),
                    kind: Kind::File {
                        image,
                        offset,
                        gap_pattern,
                    },
                });
            }
            if let Some(b) = &region.binary_block {
                let name = b
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("Binary block(#{index})"));
                let len = u64::try_from(b.size.0).map_err(|_| {
                    field(
                        &format!("regions[{index}].binary_block.size"),
                        format!("must not be negative ({})", b.size.0),
                    )
                })?;
                let start = match b.offset {
                    Some(ConfigInt(o)) => {
                        offset_in_range(o, || format!("regions[{index}].binary_block.offset"))?
                    }
                    None => frame_len(&regions, 0, fixed_len, alignment),
                };
                last_pattern = b.pattern.clone();
                regions.push(Placed {
                    index,
                    name,
                    start,
                    len,
                    kind: Kind::Block {
                        pattern: b.pattern.clone(),
                    },
                });
            }
        }

        let origin = if options.keep_padding {
            0
        } else {
            regions.iter().map(|r| r.start).min().unwrap_or(0)
        };
        let len = frame_len(&regions, origin, fixed_len, alignment);
        let len = u64::try_from(len).map_err(|_| ImageError::TooLarge { len: u64::MAX })?;

        // SPSDK's validation order: regions sorted by start (stable), each checked for a
        // negative start, then for fitting, then against every other region.
        let mut order: Vec<usize> = (0..regions.len()).collect();
        order.sort_by_key(|&i| regions[i].start);
        for &i in &order {
            let r = &regions[i];
            let rel = r.start - origin;
            if rel < 0 {
                return Err(ConfigError::NegativeStart {
                    index: r.index,
                    name: r.name.clone(),
                    start: r.start,
                    rebased: false,
                });
            }
            let last = rel + i128::from(r.len) - 1;
            if last >= i128::from(len) {
                return Err(ConfigError::DoesNotFit {
                    index: r.index,
                    name: r.name.clone(),
                    start: r.start,
                    end: r.start + i128::from(r.len),
                    origin,
                    size: len,
                });
            }
            for &j in &order {
                if j == i {
                    continue;
                }
                let s = &regions[j];
                let s_last = s.start + i128::from(s.len) - 1;
                if r.start + i128::from(r.len) - 1 < s.start || r.start > s_last {
                    continue;
                }
                return Err(ConfigError::Overlap(Box::new(RegionOverlap {
                    index: r.index,
                    name: r.name.clone(),
                    start: r.start,
                    end: r.start + i128::from(r.len),
                    other_index: s.index,
                    other: s.name.clone(),
                    other_start: s.start,
                    other_end: s.start + i128::from(s.len),
                    data_overlaps: data_overlaps(r, s),
                })));
            }
        }
        let has_data = regions.iter().any(|r| r.len > 0);
        if len == 0 && !has_data {
            return Err(ConfigError::NoData);
        }
        Ok(Layout {
            name: self.name.clone().unwrap_or_else(|| "Base Image".into()),
            regions,
            origin,
            len,
            pattern: global,
            options,
        })
    }
}

/// An offset from the configuration, limited to what an address can be moved by.
fn offset_in_range(value: i128, field: impl FnOnce() -> String) -> Result<i128, ConfigError> {
    const LIMIT: i128 = 1 << 64;
    if (-LIMIT..=LIMIT).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::Field {
            field: field(),
            message: format!("{value:#x} is out of range"),
        })
    }
}

/// SPSDK's `len(parent)`: `size` rounded up to the alignment, or the end of the last region
/// (from `origin`, at least 0) rounded up.
fn frame_len(regions: &[Placed], origin: i128, fixed: Option<u64>, alignment: u64) -> i128 {
    if let Some(f) = fixed {
        return i128::from(f);
    }
    let end = regions
        .iter()
        .map(|r| r.start - origin + i128::from(r.len))
        .max()
        .unwrap_or(0)
        .max(0);
    let a = i128::from(alignment);
    (end + a - 1) / a * a
}

/// Whether two regions' data bytes overlap (not just their spans).
fn data_overlaps(a: &Placed, b: &Placed) -> bool {
    let ranges = |p: &Placed| -> Vec<(i128, i128)> {
        match &p.kind {
            Kind::File { image, offset, .. } => image
                .segments()
                .iter()
                .map(|s| {
                    let start = i128::from(s.address) + offset;
                    (start, start + s.data.len() as i128)
                })
                .collect(),
            Kind::Block { .. } => vec![(p.start, p.start + i128::from(p.len))],
        }
    };
    let rb = ranges(b);
    ranges(a)
        .iter()
        .any(|&(s, e)| rb.iter().any(|&(t, f)| s < f && t < e))
}

impl Layout {
    /// The configuration's `name` (or SPSDK's default, "Base Image").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The address the layout (and a binary output) starts at: the lowest region start, or 0
    /// with `keep_padding`. Negative when a region lies below 0 and is rebased.
    pub fn origin(&self) -> i128 {
        self.origin
    }

    /// The length of a binary output.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when the binary output is empty (it never is: [`BinaryImageConfig::build`] refuses
    /// such configurations).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The regions in configuration order.
    pub fn regions(&self) -> impl Iterator<Item = RegionInfo> + '_ {
        self.regions.iter().map(|r| RegionInfo {
            index: r.index,
            name: r.name.clone(),
            start: r.start,
            len: r.len,
            is_file: matches!(r.kind, Kind::File { .. }),
        })
    }

    /// The entry point written to HEX/S-record output: the first file's that has one, moved
    /// by its region's offset. `None` with `spsdk_compat`.
    pub fn entry(&self) -> Option<u64> {
        if self.options.spsdk_compat {
            return None;
        }
        self.regions.iter().find_map(|r| match &r.kind {
            Kind::File { image, offset, .. } => image
                .entry()
                .and_then(|e| u64::try_from(i128::from(e) + offset).ok()),
            Kind::Block { .. } => None,
        })
    }

    /// The binary output: the layout from [`Layout::origin`], [`Layout::len`] bytes, gaps filled
    /// with the pattern. `random` supplies the bytes of a `rand` pattern.
    pub fn to_bin(&self, random: &mut dyn FnMut(&mut [u8])) -> Result<Vec<u8>, ConfigError> {
        let n = usize::try_from(self.len).map_err(|_| ImageError::TooLarge { len: self.len })?;
        let mut out = Vec::new();
        out.try_reserve_exact(n)
            .map_err(|_| ImageError::TooLarge { len: self.len })?;
        out.resize(n, 0);
        self.pattern.fill(&mut out, random);
        for r in &self.regions {
            // build() checked that every region lies inside 0..len.
            let rel = usize::try_from(r.start - self.origin).unwrap_or(0);
            let len = usize::try_from(r.len).unwrap_or(0);
            let Some(dst) = out.get_mut(rel..rel.saturating_add(len)) else {
                continue;
            };
            match &r.kind {
                Kind::File {
                    image, gap_pattern, ..
                } => {
                    if let Some(p) = gap_pattern {
                        if image.segments().len() > 1 {
                            p.fill(dst, random);
                        }
                    }
                    let first = image.start().unwrap_or(0);
                    for s in image.segments() {
                        let at = usize::try_from(s.address - first).unwrap_or(0);
                        if let Some(d) = dst.get_mut(at..at.saturating_add(s.data.len())) {
                            d.copy_from_slice(&s.data);
                        }
                    }
                }
                Kind::Block { pattern } => pattern.fill(dst, random),
            }
        }
        Ok(out)
    }

    /// The HEX/S-record output: the files' data and the blocks at their addresses (rebased so
    /// that the layout starts at 0 with `spsdk_compat`), and [`Layout::entry`]. A
    /// configuration without regions gives its `size` in pattern bytes, as SPSDK does.
    pub fn to_image(&self, random: &mut dyn FnMut(&mut [u8])) -> Result<Image, ConfigError> {
        let delta = if self.options.spsdk_compat {
            -self.origin
        } else {
            0
        };
        let mut out = Image::new();
        let below_zero = |r: &Placed| ConfigError::NegativeStart {
            index: r.index,
            name: r.name.clone(),
            start: r.start,
            rebased: true,
        };
        for r in &self.regions {
            if r.len == 0 {
                continue;
            }
            if r.start + delta < 0 {
                return Err(below_zero(r));
            }
            match &r.kind {
                Kind::File { image, offset, .. } => {
                    let mut moved = image.clone();
                    moved.set_entry(None);
                    moved.set_header(None);
                    moved.shift(offset + delta, &r.name)?;
                    out.merge(&moved)?;
                }
                Kind::Block { pattern } => {
                    let n =
                        usize::try_from(r.len).map_err(|_| ImageError::TooLarge { len: r.len })?;
                    let mut data = Vec::new();
                    data.try_reserve_exact(n)
                        .map_err(|_| ImageError::TooLarge { len: r.len })?;
                    data.resize(n, 0);
                    pattern.fill(&mut data, random);
                    let address = u64::try_from(r.start + delta).map_err(|_| below_zero(r))?;
                    out.add_segment(address, &data, &r.name)?;
                }
            }
        }
        if self.regions.is_empty() && self.len > 0 {
            let n =
                usize::try_from(self.len).map_err(|_| ImageError::TooLarge { len: self.len })?;
            let mut data = vec![0; n];
            self.pattern.fill(&mut data, random);
            out.add_segment(0, &data, &self.name)?;
        }
        out.set_entry(self.entry());
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
