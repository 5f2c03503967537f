//! Sparse memory images: the model, loaders and writers.
//!
//! An [`Image`] is a set of sorted, non-overlapping [`Segment`]s (address plus bytes) and an
//! optional entry point. It is what `blhost flash-image` writes to a device and what the image
//! merge tool builds. Loaders exist for raw binaries, Intel HEX, Motorola S-records and ELF;
//! writers for Intel HEX, S-records and flat binaries.
//!
//! * Loaders are total: any input gives an [`Image`] or an [`ImageError`] that names the file,
//!   the format and the line (HEX, S-record) or byte offset (ELF). They never panic.
//! * Adjacent data is coalesced into one segment, whatever the input records looked like, so
//!   writers cut records from each segment start, like `srec_cat` and SPSDK (bincopy) do.
//! * An input without any data byte is an error: SPSDK crashes or writes a huge file there.
//!
//! The writers' defaults reproduce `srec_cat` 1.64 byte for byte; [`IhexOptions::spsdk`] and
//! [`SrecOptions::spsdk`] reproduce SPSDK's `nxpimage utils binary-image export`.
//!
//! Two layers build on the model: [`merge`] places and merges input files the way the
//! `imgmerge` command line (and `srec_cat`) does, and [`config`] implements SPSDK's
//! `nxpimage utils binary-image` YAML configuration.

pub mod config;
mod elf;
mod ihex;
pub mod merge;
mod srec;
mod text;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub use elf::parse_elf;
pub use ihex::{IhexOptions, parse_ihex, write_ihex};

pub use srec::{AddressWidth, SrecOptions, parse_srec, write_srec};

/// A file format an [`Image`] can be read from or written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Raw binary: bytes only, the address comes from elsewhere.
    Bin,
    /// Intel HEX (records `:LLAAAATT…CC`).
    IntelHex,
    /// Motorola S-record (S19/S28/S37).
    Srec,
    /// ELF32 or ELF64 executable, either byte order.
    Elf,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Bin => "binary",
            Format::IntelHex => "Intel HEX",
            Format::Srec => "S-record",
            Format::Elf => "ELF",
        })
    }
}

impl Format {
    /// Detects the format from the content: the ELF magic, or a first non-blank line that is a
    /// well-formed-looking Intel HEX (`:` and hex digits) or S-record (`S`, a digit, hex
    /// digits) line. `None` when the content says nothing (then it is probably raw binary).
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x7fELF") {
            return Some(Format::Elf);
        }
        let rest = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = &rest[start..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = text::trim(&rest[..end]);
        let all_hex = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_hexdigit);
        match line {
            [b':', tail @ ..] if all_hex(tail) => Some(Format::IntelHex),
            [b'S', d, tail @ ..] if d.is_ascii_digit() && all_hex(tail) => Some(Format::Srec),
            _ => None,
        }
    }

    /// Guesses the format from a file name's extension (case-insensitive); `None` if unknown.
    pub fn from_extension(path_or_name: &str) -> Option<Format> {
        let file = path_or_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(path_or_name);
        let (_, ext) = file.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "hex" | "ihex" | "ihx" => Some(Format::IntelHex),
            "s19" | "s28" | "s37" | "srec" | "s" | "mot" | "sx" | "mhx" => Some(Format::Srec),
            "elf" | "axf" | "out" => Some(Format::Elf),
            "bin" | "raw" | "img" => Some(Format::Bin),
            _ => None,
        }
    }
}

/// Why an image could not be loaded, built or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// A malformed line in a text format (Intel HEX, S-record).
    #[error("{file}: {format} line {line}: {message}")]
    Syntax {
        /// The file (or name) being read.
        file: String,
        /// Its format.
        format: Format,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// A malformed or truncated ELF file.
    #[error("{file}: ELF offset {offset:#x}: {message}")]
    Elf {
        /// The file (or name) being read.
        file: String,
        /// Byte offset in the file of the field or data that is wrong.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// The input holds no data byte (an ELF without loadable data, a HEX file with only an
    /// end record, an empty binary, …).
    #[error("{file}: the {format} input holds no data")]
    Empty {
        /// The file (or name) being read.
        file: String,
        /// Its format.
        format: Format,
    },
    /// The content is not ELF, Intel HEX or S-record, so it is taken as raw binary, and a raw
    /// binary needs a load address.
    #[error("{file}: not an ELF, Intel HEX or S-record file; a raw binary needs a load address")]
    BinNeedsAddress {
        /// The file (or name) being read.
        file: String,
    },
    /// Two pieces of data claim the same addresses.
    #[error("{new} overlaps {existing} at {start:#x}..{end:#x} ({} bytes)", end - start)]
    Overlap {
        /// The source already in the image.
        existing: String,
        /// The source being added.
        new: String,
        /// First overlapping address.
        start: u64,
        /// End of the overlap (exclusive).
        end: u64,
    },
    /// Data or an entry point would lie outside the 64-bit address space.
    #[error(
        "{name}: moving or extending address {address:#x} by {delta} leaves the 64-bit address space"
    )]
    AddressOverflow {
        /// The source of the data, or what was being done.
        name: String,
        /// The address that was being moved or extended.
        address: u64,
        /// The offset or length added to it.
        delta: i128,
    },
    /// A writer's format cannot represent an address of the image.
    #[error("{format} output cannot hold address {address:#x} (the format is limited to 32 bits)")]
    AddressTooLarge {
        /// The output format.
        format: Format,
        /// The first address that does not fit.
        address: u64,
    },
    /// A writer option is out of range.
    #[error("{format} writer: {message}")]
    InvalidOption {
        /// The output format.
        format: Format,
        /// Which option and why.
        message: String,
    },
    /// A flat binary was asked for a range that does not hold all the data.
    #[error(
        "binary range {start:#x}..{end:#x} does not hold the data at {data_start:#x}..{data_end:#x}"
    )]
    OutOfRange {
        /// Requested start.
        start: u64,
        /// Requested end (exclusive).
        end: u64,
        /// First data address.
        data_start: u64,
        /// End of the data (exclusive).
        data_end: u64,
    },
    /// A flat binary would not fit in memory on this platform.
    #[error("binary output of {len:#x} bytes is too large")]
    TooLarge {
        /// The length that was asked for.
        len: u64,
    },
    /// A raw binary was given a negative load address.
    #[error("{file}: a raw binary needs a load address of 0 or more, not {address:#x}")]
    NegativeAddress {
        /// The file (or name) being read.
        file: String,
        /// The address asked for (negative).
        address: i128,
    },
    /// A relocation `FROM:TO` matched no input.
    #[error(
        "relocation {from:#x}:{to:#x}: no input holds address {from:#x}{}",
        list_ranges(inputs)
    )]
    RelocationUnmatched {
        /// The address to move.
        from: u64,
        /// Where it should go.
        to: u64,
        /// The inputs' address ranges (name, start, end), for the message.
        inputs: Vec<(String, u64, u64)>,
    },
    /// The data does not fit in the requested output range (`--base`, `--size`).
    #[error(
        "the data at {data_start:#x}..{data_end:#x} does not fit in the output range \
         {start:#x}..{end:#x} ({})", describe_range(*start, *end)
    )]
    DoesNotFit {
        /// Start of the output range.
        start: u64,
        /// End of the output range (exclusive).
        end: u64,
        /// First data address.
        data_start: u64,
        /// End of the data (exclusive).
        data_end: u64,
    },
    /// An option value is out of range (a zero alignment, an end past the address space).
    #[error("{0}")]
    InvalidRange(String),
}

fn list_ranges(inputs: &[(String, u64, u64)]) -> String {
    if inputs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = inputs
        .iter()
        .map(|(n, s, e)| format!("{n} {s:#x}..{e:#x}"))
        .collect();
    format!(" (inputs: {})", parts.join(", "))
}

fn describe_range(start: u64, end: u64) -> String {
    format!("{:#x} bytes", end - start)
}

/// A run of contiguous bytes at an address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segment {
    /// Address of the first byte.
    pub address: u64,
    /// The bytes.
    pub data: Vec<u8>,
}

impl Segment {
    /// Address just past the last byte (saturates at `u64::MAX`; inside an [`Image`] it never
    /// needs to).
    pub fn end(&self) -> u64 {
        self.address.saturating_add(self.data.len() as u64)
    }
}

/// Which input a range of addresses came from, for error messages.
#[derive(Debug, Clone)]
struct Origin {
    start: u64,
    end: u64,
    name: Arc<str>,
}

/// A sparse memory image: sorted, non-overlapping, coalesced segments and an optional entry
/// point.
///
/// Two images are equal when their segments and entry points are; where the data came from
/// (kept for error messages, see [`Image::sources`]) and the S-record header do not count.
#[derive(Debug, Clone, Default)]
pub struct Image {
    segments: Vec<Segment>,
    entry: Option<u64>,
    header: Option<Vec<u8>>,
    origins: Vec<Origin>,
}

impl PartialEq for Image {
    fn eq(&self, other: &Self) -> bool {
        self.segments == other.segments && self.entry == other.entry
    }
}

impl Eq for Image {}

impl Image {
    /// An empty image without entry point.
    pub fn new() -> Self {
        Image::default()
    }

    /// The segments, sorted by address. Adjacent data is always merged into one segment, so
    /// two segments never touch.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The entry point (execution start address), if any.
    pub fn entry(&self) -> Option<u64> {
        self.entry
    }

    /// Sets or clears the entry point.
    pub fn set_entry(&mut self, entry: Option<u64>) {
        self.entry = entry;
    }

    /// The S-record S0 header content the image was read with, if any. Writers do not use it
    /// on their own; `srec_cat` copies the first input's header into S-record output, and
    /// `imgmerge` does the same (see [`SrecOptions::header`]).
    pub fn header(&self) -> Option<&[u8]> {
        self.header.as_deref()
    }

    /// Sets or clears the S-record header.
    pub fn set_header(&mut self, header: Option<Vec<u8>>) {
        self.header = header;
    }

    /// True when the image holds no data byte.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The lowest data address, `None` when empty.
    pub fn start(&self) -> Option<u64> {
        self.segments.first().map(|s| s.address)
    }

    /// The address just past the highest data byte, `None` when empty.
    pub fn end(&self) -> Option<u64> {
        self.segments.last().map(Segment::end)
    }

    /// Number of data bytes (gaps not counted; see [`Image::span`] for the flat length).
    pub fn total_len(&self) -> u64 {
        self.segments.iter().map(|s| s.data.len() as u64).sum()
    }

    /// `end - start`: the length of the flat binary [`Image::to_bin`] makes (0 when empty).
    pub fn span(&self) -> u64 {
        match (self.start(), self.end()) {
            (Some(s), Some(e)) => e - s,
            _ => 0,
        }
    }

    /// Where each range of the image came from, in address order: `(range, source name)`.
    /// Adjacent ranges from the same source are reported as one.
    pub fn sources(&self) -> impl Iterator<Item = (Range<u64>, &str)> {
        self.origins.iter().map(|o| (o.start..o.end, &*o.name))
    }

    /// Adds `data` at `address`. `source` names where it comes from (a file name, a region
    /// name) and is used in error messages. Empty data is ignored.
    ///
    /// Fails, leaving the image unchanged, when the data overlaps data already in the image
    /// (the error names both sources and the overlapping range) or would run past `u64::MAX`.
    pub fn add_segment(
        &mut self,
        address: u64,
        data: &[u8],
        source: &str,
    ) -> Result<(), ImageError> {
        if data.is_empty() {
            return Ok(());
        }
        let end = checked_end(address, data.len(), source)?;
        self.check_free(address, end, source)?;
        self.insert_unchecked(address, data, end, source, None);
        Ok(())
    }

    /// Adds all data of `other` to this image. The entry point stays this image's if it has
    /// one, otherwise it becomes `other`'s (`srec_cat` keeps the first input's, too); the
    /// S-record header likewise.
    ///
    /// Fails, leaving this image unchanged, if any data overlaps.
    pub fn merge(&mut self, other: &Image) -> Result<(), ImageError> {
        for o in &other.origins {
            self.check_free(o.start, o.end, &o.name)?;
        }
        for o in &other.origins {
            // Origins are sub-ranges of segments; copy the bytes of each origin.
            let seg_idx = other.segments.partition_point(|s| s.end() <= o.start);
            let Some(seg) = other.segments.get(seg_idx) else {
                continue;
            };
            let from = usize::try_from(o.start - seg.address).unwrap_or(usize::MAX);
            let to = usize::try_from(o.end - seg.address).unwrap_or(usize::MAX);
            if let Some(bytes) = seg.data.get(from..to) {
                self.insert_unchecked(o.start, bytes, o.end, &o.name, Some(&o.name));
            }
        }
        if self.entry.is_none() {
            self.entry = other.entry;
        }
        if self.header.is_none() {
            self.header.clone_from(&other.header);
        }
        Ok(())
    }

    /// Moves the whole image (data and entry point) so that what was at address `from` is at
    /// address `to`: every address `a` becomes `a - from + to`. This is `srec_cat -offset
    /// (to - from)`; `relocate(start, 0)` rebases the image to 0 like SPSDK's export without
    /// `--keep-padding`.
    ///
    /// Fails, leaving the image unchanged, if an address would leave the 64-bit space.
    pub fn relocate(&mut self, from: u64, to: u64) -> Result<(), ImageError> {
        self.shift(i128::from(to) - i128::from(from), "relocation")
    }

    /// Adds `delta` to every address (data and entry point): `srec_cat -offset DELTA`.
    /// `what` names the operation in the error.
    ///
    /// Fails, leaving the image unchanged, if an address would leave the 64-bit space.
    pub fn shift(&mut self, delta: i128, what: &str) -> Result<(), ImageError> {
        let shift = |a: u64| u64::try_from(i128::from(a) + delta).ok();
        let overflow = |address: u64| ImageError::AddressOverflow {
            name: what.into(),
            address,
            delta,
        };
        if let (Some(s), Some(e)) = (self.start(), self.end()) {
            shift(s).ok_or_else(|| overflow(s))?;
            shift(e).ok_or_else(|| overflow(e))?;
        }
        let entry = match self.entry {
            Some(e) => Some(shift(e).ok_or_else(|| overflow(e))?),
            None => None,
        };
        // Every address lies between start and end, so these cannot fail any more.
        for s in &mut self.segments {
            s.address = shift(s.address).unwrap_or(s.address);
        }
        for o in &mut self.origins {
            o.start = shift(o.start).unwrap_or(o.start);
            o.end = shift(o.end).unwrap_or(o.end);
        }
        self.entry = entry;
        Ok(())
    }

    /// Fills every gap inside `start..end` with `fill` (`srec_cat -fill FILL START END`), so
    /// that the image covers the whole range. Data outside the range is kept. The filler is
    /// named `source` in [`Image::sources`].
    ///
    /// Fails, leaving the image unchanged, when the filler would not fit in memory.
    pub fn fill_range(
        &mut self,
        fill: u8,
        start: u64,
        end: u64,
        source: &str,
    ) -> Result<(), ImageError> {
        let gaps = self.gaps(start, end);
        let mut fillers = Vec::with_capacity(gaps.len());
        for g in &gaps {
            let len = g.end - g.start;
            let n = usize::try_from(len).map_err(|_| ImageError::TooLarge { len })?;
            let mut v = Vec::new();
            v.try_reserve_exact(n)
                .map_err(|_| ImageError::TooLarge { len })?;
            v.resize(n, fill);
            fillers.push(v);
        }
        for (g, data) in gaps.into_iter().zip(fillers) {
            self.insert_unchecked(g.start, &data, g.end, source, None);
        }
        Ok(())
    }

    /// The address ranges inside `start..end` that hold no data, in order.
    pub fn gaps(&self, start: u64, end: u64) -> Vec<Range<u64>> {
        let mut out = Vec::new();
        let mut at = start;
        for s in &self.segments {
            if at >= end {
                break;
            }
            if s.end() <= at {
                continue;
            }
            if s.address > at {
                out.push(at..s.address.min(end));
            }
            at = at.max(s.end());
        }
        if at < end {
            out.push(at..end);
        }
        out
    }

    /// Flattens the image from its first to its last data byte, gaps filled with `fill`.
    /// Returns the start address and the bytes (`(0, [])` for an empty image). An image
    /// whose span cannot be allocated (data at both ends of the address space) is an
    /// error, not an abort.
    pub fn to_bin(&self, fill: u8) -> Result<(u64, Vec<u8>), ImageError> {
        let start = self.start().unwrap_or(0);
        let end = self.end().unwrap_or(0);
        Ok((start, self.to_bin_range(fill, start, end)?))
    }

    /// Flattens the image into exactly `start..end`, gaps filled with `fill` (what
    /// `srec_cat -fill FILL START END -offset -START -o x.bin -binary` writes). All data must
    /// lie inside the range.
    pub fn to_bin_range(&self, fill: u8, start: u64, end: u64) -> Result<Vec<u8>, ImageError> {
        if let (Some(ds), Some(de)) = (self.start(), self.end()) {
            if ds < start || de > end {
                return Err(ImageError::OutOfRange {
                    start,
                    end,
                    data_start: ds,
                    data_end: de,
                });
            }
        }
        let len = end.saturating_sub(start);
        let n = usize::try_from(len).map_err(|_| ImageError::TooLarge { len })?;
        let mut out = Vec::new();
        out.try_reserve_exact(n)
            .map_err(|_| ImageError::TooLarge { len })?;
        out.resize(n, fill);
        self.copy_into(&mut out, start);
        Ok(out)
    }

    fn copy_into(&self, out: &mut [u8], base: u64) {
        for s in &self.segments {
            let Ok(off) = usize::try_from(s.address - base) else {
                continue;
            };
            if let Some(dst) = out.get_mut(off..off.saturating_add(s.data.len())) {
                dst.copy_from_slice(&s.data);
            }
        }
    }

    /// Errors if `address..end` overlaps existing data.
    fn check_free(&self, address: u64, end: u64, source: &str) -> Result<(), ImageError> {
        let i = self.origins.partition_point(|o| o.end <= address);
        match self.origins.get(i) {
            Some(o) if o.start < end => Err(ImageError::Overlap {
                existing: o.name.to_string(),
                new: source.to_string(),
                start: o.start.max(address),
                end: o.end.min(end),
            }),
            _ => Ok(()),
        }
    }

    /// Inserts data known not to overlap, coalescing with touching neighbours.
    fn insert_unchecked(
        &mut self,
        address: u64,
        data: &[u8],
        end: u64,
        source: &str,
        shared: Option<&Arc<str>>,
    ) {
        // Segments.
        let i = self.segments.partition_point(|s| s.address < address);
        let joins_prev = i > 0 && self.segments[i - 1].end() == address;
        let joins_next = self.segments.get(i).is_some_and(|s| s.address == end);
        match (joins_prev, joins_next) {
            (true, true) => {
                let next = self.segments.remove(i);
                let prev = &mut self.segments[i - 1];
                prev.data.extend_from_slice(data);
                prev.data.extend_from_slice(&next.data);
            }
            (true, false) => self.segments[i - 1].data.extend_from_slice(data),
            (false, true) => {
                let next = &mut self.segments[i];
                let mut joined = Vec::with_capacity(data.len() + next.data.len());
                joined.extend_from_slice(data);
                joined.extend_from_slice(&next.data);
                next.data = joined;
                next.address = address;
            }
            (false, false) => self.segments.insert(
                i,
                Segment {
                    address,
                    data: data.to_vec(),
                },
            ),
        }
        // Origins: the same, but only ranges from the same source are joined.
        let i = self.origins.partition_point(|o| o.start < address);
        let joins_prev = i > 0 && {
            let p = &self.origins[i - 1];
            p.end == address && &*p.name == source
        };
        let joins_next = self
            .origins
            .get(i)
            .is_some_and(|n| n.start == end && &*n.name == source);
        match (joins_prev, joins_next) {
            (true, true) => {
                let next = self.origins.remove(i);
                self.origins[i - 1].end = next.end;
            }
            (true, false) => self.origins[i - 1].end = end,
            (false, true) => self.origins[i].start = address,
            (false, false) => {
                let name = match shared {
                    Some(n) => Arc::clone(n),
                    None => Arc::from(source),
                };
                self.origins.insert(
                    i,
                    Origin {
                        start: address,
                        end,
                        name,
                    },
                );
            }
        }
    }
}

/// `srec_cat` keeps data in chunks of this many bytes (at multiples of it) and cuts output
/// records at chunk boundaries: [`IhexOptions::srec_cat`] and [`SrecOptions::srec_cat`] do
/// the same.
pub const SREC_CAT_CHUNK: u64 = 7 * 256;

/// The data records a writer emits: `size` bytes at a time from each segment start, a record
/// never crossing a multiple of `boundary` (when given; a new run starts there).
pub(super) fn record_chunks(
    image: &Image,
    size: usize,
    boundary: Option<u64>,
) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let size = size.max(1);
    for seg in image.segments() {
        let mut address = seg.address;
        let mut rest = seg.data.as_slice();
        while !rest.is_empty() {
            // The run up to the next boundary (or the segment end).
            let run_len = match boundary {
                Some(b) if b > 0 => {
                    let to_next = b - address % b;
                    usize::try_from(to_next).map_or(rest.len(), |n| n.min(rest.len()))
                }
                _ => rest.len(),
            };
            let (run, tail) = rest.split_at(run_len);
            for chunk in run.chunks(size) {
                out.push((address, chunk));
                address += chunk.len() as u64;
            }
            rest = tail;
        }
    }
    out
}

/// `address + len`, or an overflow error naming `source`.
fn checked_end(address: u64, len: usize, source: &str) -> Result<u64, ImageError> {
    address
        .checked_add(len as u64)
        .ok_or_else(|| ImageError::AddressOverflow {
            name: source.to_string(),
            address,
            delta: len as i128,
        })
}

/// Loads a raw binary at `address`. An empty input is an error.
pub fn load_bin(name: &str, bytes: &[u8], address: u64) -> Result<Image, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty {
            file: name.to_string(),
            format: Format::Bin,
        });
    }
    let mut image = Image::new();
    image.add_segment(address, bytes, name)?;
    Ok(image)
}

/// Loads `bytes` (the content of the file `path_or_name`), detecting the format.
///
/// The content decides first ([`Format::detect`]: ELF magic, a `:` HEX line, an `S`+digit
/// S-record line); if it says nothing, the extension does ([`Format::from_extension`]); if
/// that says nothing either, the input is raw binary. A raw binary is placed at
/// `base_for_bin` and is an error without it; addressed formats ignore `base_for_bin`.
pub fn load(
    path_or_name: &str,
    bytes: &[u8],
    base_for_bin: Option<u64>,
) -> Result<Image, ImageError> {
    let format = Format::detect(bytes)
        .or_else(|| Format::from_extension(path_or_name))
        .unwrap_or(Format::Bin);
    tracing::debug!(file = path_or_name, %format, "loading image");
    load_as(format, path_or_name, bytes, base_for_bin)
}

/// Loads `bytes` as the given format (no detection). `base_for_bin` is the load address of a
/// raw binary and is required for [`Format::Bin`]; the other formats ignore it.
pub fn load_as(
    format: Format,
    path_or_name: &str,
    bytes: &[u8],
    base_for_bin: Option<u64>,
) -> Result<Image, ImageError> {
    match format {
        Format::Bin => match base_for_bin {
            Some(address) => load_bin(path_or_name, bytes, address),
            None => Err(ImageError::BinNeedsAddress {
                file: path_or_name.to_string(),
            }),
        },
        Format::IntelHex => parse_ihex(path_or_name, bytes),
        Format::Srec => parse_srec(path_or_name, bytes),
        Format::Elf => parse_elf(path_or_name, bytes),
    }
}
