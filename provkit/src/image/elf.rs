//! ELF reader: the file contents of the PT_LOAD program headers, at their physical (load)
//! addresses.

use object::elf::{FileHeader32, FileHeader64, PT_LOAD};
use object::read::elf::{FileHeader, ProgramHeader};
use object::{Endianness, pod};

use super::{Format, Image, ImageError};

/// Parses an ELF32 or ELF64 file of either byte order.
///
/// Every PT_LOAD program header with file data (`p_filesz > 0`) becomes data at its physical
/// address `p_paddr` (the load address: for initialised RAM data that is where the flash copy
/// lives); the zero-initialised tail (`p_memsz > p_filesz`) is not part of the image. The entry
/// point is `e_entry`. Section headers are not used.
///
/// A file without loadable data is an error, as is a truncated file or header (the error names
/// the offset of the field or data that is wrong).
pub fn parse_elf(name: &str, bytes: &[u8]) -> Result<Image, ImageError> {
    let err = |offset: u64, message: String| ImageError::Elf {
        file: name.to_string(),
        offset,
        message,
    };
    if bytes.len() < 16 {
        return Err(err(
            bytes.len() as u64,
            format!("truncated: {} bytes, no ELF identification", bytes.len()),
        ));
    }
    if &bytes[..4] != b"\x7fELF" {
        return Err(err(0, "no ELF magic (7F 'E' 'L' 'F')".into()));
    }
    let header_len = match bytes[4] {
        1 => size_of::<FileHeader32<Endianness>>(),
        2 => size_of::<FileHeader64<Endianness>>(),
        c => {
            return Err(err(
                4,
                format!("unknown ELF class {c} (1 = 32-bit, 2 = 64-bit)"),
            ));
        }
    };
    if !matches!(bytes[5], 1 | 2) {
        return Err(err(
            5,
            format!(
                "unknown data encoding {} (1 = little, 2 = big endian)",
                bytes[5]
            ),
        ));
    }
    if bytes[6] != 1 {
        return Err(err(6, format!("unknown ELF version {}", bytes[6])));
    }
    if bytes.len() < header_len {
        return Err(err(
            bytes.len() as u64,
            format!(
                "truncated ELF header: {} bytes, {header_len} needed",
                bytes.len()
            ),
        ));
    }
    // object reads the headers in place and needs them aligned; copy if they are not.
    let aligned = Aligned::new(bytes);
    let data = aligned.as_slice();
    if bytes[4] == 1 {
        load::<FileHeader32<Endianness>>(name, data, &err)
    } else {
        load::<FileHeader64<Endianness>>(name, data, &err)
    }
}

fn load<H: FileHeader<Endian = Endianness>>(
    name: &str,
    data: &[u8],
    err: &impl Fn(u64, String) -> ImageError,
) -> Result<Image, ImageError> {
    let header = H::parse(data).map_err(|e| err(0, format!("bad ELF header: {e}")))?;
    let endian = header.endian().map_err(|e| err(5, e.to_string()))?;
    let is64 = header.is_type_64();
    let phoff: u64 = header.e_phoff(endian).into();
    let phentsize = usize::from(header.e_phentsize(endian));
    let phnum = header.phnum(endian, data).map_err(|e| {
        err(
            if is64 { 0x38 } else { 0x2C },
            format!("bad program header count: {e}"),
        )
    })?;
    let entry_size = size_of::<H::ProgramHeader>();
    if phnum > 0 && phoff != 0 && phentsize != entry_size {
        let field = if is64 { 0x36 } else { 0x2A };
        return Err(err(
            field,
            format!("program header size {phentsize}, expected {entry_size}"),
        ));
    }
    let copy;
    let table: &[H::ProgramHeader] = if phoff == 0 || phnum == 0 {
        &[]
    } else {
        let table_len = phnum as u64 * entry_size as u64;
        let end = phoff
            .checked_add(table_len)
            .filter(|&e| e <= data.len() as u64);
        let Some(end) = end else {
            return Err(err(
                phoff,
                format!(
                    "truncated: {phnum} program headers ({table_len} bytes) do not fit in the \
                     {}-byte file",
                    data.len()
                ),
            ));
        };
        let raw = &data[phoff as usize..end as usize];
        // Copy the table when it is not aligned for object's in-place view.
        let raw = if raw.as_ptr() as usize % align_of::<H::ProgramHeader>() == 0 {
            raw
        } else {
            copy = Aligned::new(raw);
            copy.as_slice()
        };
        pod::slice_from_all_bytes::<H::ProgramHeader>(raw)
            .map_err(|()| err(phoff, "unreadable program header table".into()))?
    };

    let mut image = Image::new();
    for (i, ph) in table.iter().enumerate() {
        if ph.p_type(endian) != PT_LOAD {
            continue;
        }
        let offset: u64 = ph.p_offset(endian).into();
        let filesz: u64 = ph.p_filesz(endian).into();
        let paddr: u64 = ph.p_paddr(endian).into();
        if filesz == 0 {
            continue;
        }
        let in_file = offset
            .checked_add(filesz)
            .filter(|&e| e <= data.len() as u64);
        let Some(end) = in_file else {
            return Err(err(
                offset,
                format!(
                    "truncated: PT_LOAD program header {i} has {filesz:#x} bytes at offset \
                     {offset:#x}, the file is {:#x} bytes",
                    data.len()
                ),
            ));
        };
        let source = format!("{name} (PT_LOAD {i})");
        image
            .add_segment(paddr, &data[offset as usize..end as usize], &source)
            .map_err(|e| match e {
                ImageError::Overlap { .. } | ImageError::AddressOverflow { .. } => {
                    err(phoff + (i * entry_size) as u64, e.to_string())
                }
                other => other,
            })?;
    }
    if image.is_empty() {
        return Err(ImageError::Empty {
            file: name.to_string(),
            format: Format::Elf,
        });
    }
    image.set_entry(Some(header.e_entry(endian).into()));
    Ok(image)
}

/// A copy of some bytes starting at an 8-byte aligned address (or the bytes themselves when
/// they already are), without unsafe code: over-allocate and skip to the aligned position.
struct Aligned<'a> {
    storage: Option<Vec<u8>>,
    skip: usize,
    original: &'a [u8],
}

impl<'a> Aligned<'a> {
    const ALIGN: usize = 8;

    fn new(bytes: &'a [u8]) -> Self {
        if bytes.as_ptr() as usize % Self::ALIGN == 0 {
            return Aligned {
                storage: None,
                skip: 0,
                original: bytes,
            };
        }
        let mut v = Vec::with_capacity(bytes.len() + Self::ALIGN);
        let skip = (Self::ALIGN - v.as_ptr() as usize % Self::ALIGN) % Self::ALIGN;
        v.resize(skip, 0);
        // The capacity covers skip + len, so this does not reallocate (and move) the buffer.
        v.extend_from_slice(bytes);
        Aligned {
            storage: Some(v),
            skip,
            original: bytes,
        }
    }

    fn as_slice(&self) -> &[u8] {
        match &self.storage {
            Some(v) => &v[self.skip..],
            None => self.original,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// One program header for [`build_elf`].
    pub(crate) struct Ph {
        pub p_type: u32,
        pub paddr: u64,
        pub vaddr: u64,
        pub data: Vec<u8>,
        pub memsz: u64,
    }

    impl Ph {
        pub(crate) fn load(paddr: u64, data: &[u8]) -> Ph {
            Ph {
                p_type: PT_LOAD,
                paddr,
                vaddr: paddr,
                data: data.to_vec(),
                memsz: data.len() as u64,
            }
        }
    }

    /// Builds a minimal ELF executable: header, program headers, then the segment data.
    pub(crate) fn build_elf(is64: bool, big: bool, entry: u64, phs: &[Ph]) -> Vec<u8> {
        let mut out = Vec::new();
        let (ehsize, phentsize) = if is64 { (64usize, 56usize) } else { (52, 32) };
        let put = |out: &mut Vec<u8>, v: u64, n: usize| {
            let b = v.to_be_bytes();
            let b = &b[8 - n..];
            if big {
                out.extend_from_slice(b);
            } else {
                out.extend(b.iter().rev());
            }
        };
        let word = if is64 { 8 } else { 4 };
        out.extend_from_slice(b"\x7fELF");
        out.extend_from_slice(&[if is64 { 2 } else { 1 }, if big { 2 } else { 1 }, 1, 0]);
        out.extend_from_slice(&[0; 8]);
        put(&mut out, 2, 2); // e_type EXEC
        put(&mut out, 40, 2); // e_machine ARM
        put(&mut out, 1, 4); // e_version
        put(&mut out, entry, word);
        put(
            &mut out,
            if phs.is_empty() { 0 } else { ehsize as u64 },
            word,
        ); // e_phoff
        put(&mut out, 0, word); // e_shoff
        put(&mut out, 0, 4); // e_flags
        put(&mut out, ehsize as u64, 2);
        put(&mut out, phentsize as u64, 2);
        put(&mut out, phs.len() as u64, 2);
        put(&mut out, 0, 2); // e_shentsize
        put(&mut out, 0, 2); // e_shnum
        put(&mut out, 0, 2); // e_shstrndx
        assert_eq!(out.len(), ehsize);
        let mut offset = (ehsize + phentsize * phs.len()) as u64;
        for ph in phs {
            let size = ph.data.len() as u64;
            put(&mut out, u64::from(ph.p_type), 4);
            if is64 {
                put(&mut out, 5, 4); // p_flags
                put(&mut out, offset, 8);
                put(&mut out, ph.vaddr, 8);
                put(&mut out, ph.paddr, 8);
                put(&mut out, size, 8);
                put(&mut out, ph.memsz, 8);
                put(&mut out, 4, 8);
            } else {
                put(&mut out, offset, 4);
                put(&mut out, ph.vaddr, 4);
                put(&mut out, ph.paddr, 4);
                put(&mut out, size, 4);
                put(&mut out, ph.memsz, 4);
                put(&mut out, 5, 4); // p_flags
                put(&mut out, 4, 4);
            }
            offset += size;
        }
        for ph in phs {
            out.extend_from_slice(&ph.data);
        }
        out
    }

    fn elf_err(e: ImageError) -> (u64, String) {
        match e {
            ImageError::Elf {
                offset, message, ..
            } => (offset, message),
            other => panic!("not an ELF error: {other:?}"),
        }
    }

    #[test]
    fn all_classes_and_byte_orders() {
        for is64 in [false, true] {
            for big in [false, true] {
                let elf = build_elf(
                    is64,
                    big,
                    0x0800_0101,
                    &[
                        Ph::load(0x0800_0000, &[1, 2, 3, 4]),
                        Ph {
                            p_type: 4,
                            ..Ph::load(0x10, &[9; 4])
                        }, // PT_NOTE: ignored
                        // RAM data: runs at 0x2000_0000, stored (paddr) in flash after the code.
                        Ph {
                            vaddr: 0x2000_0000,
                            memsz: 0x100,
                            ..Ph::load(0x0800_0004, &[5, 6])
                        },
                        Ph::load(0x0900_0000, &[]), // no file data: ignored
                    ],
                );
                let img = parse_elf("t.elf", &elf).unwrap();
                assert_eq!(img.segments().len(), 1, "is64={is64} big={big}");
                assert_eq!(img.segments()[0].address, 0x0800_0000);
                assert_eq!(img.segments()[0].data, [1, 2, 3, 4, 5, 6]);
                assert_eq!(img.entry(), Some(0x0800_0101));
            }
        }
    }

    #[test]
    fn elf64_high_addresses_and_misaligned_input() {
        let elf = build_elf(
            true,
            false,
            0x1_0000_0000,
            &[Ph::load(0x1_2345_6789_0000, &[7; 3])],
        );
        let mut shifted = vec![0u8];
        shifted.extend_from_slice(&elf);
        let img = parse_elf("t.elf", &shifted[1..]).unwrap();
        assert_eq!(img.start(), Some(0x1_2345_6789_0000));
        assert_eq!(img.entry(), Some(0x1_0000_0000));
    }

    #[test]
    fn no_loadable_data_is_an_error() {
        let elf = build_elf(false, false, 0, &[]);
        assert!(matches!(
            parse_elf("t.elf", &elf),
            Err(ImageError::Empty {
                format: Format::Elf,
                ..
            })
        ));
        let elf = build_elf(false, false, 0, &[Ph::load(0, &[])]);
        assert!(matches!(
            parse_elf("t.elf", &elf),
            Err(ImageError::Empty { .. })
        ));
    }

    #[test]
    fn truncation_names_the_offset() {
        let elf = build_elf(false, false, 0, &[Ph::load(0x1000, &[1; 16])]);
        // Data cut short: the offset is the segment's file offset (52 + 32 = 84).
        let (off, msg) = elf_err(parse_elf("t.elf", &elf[..elf.len() - 1]).unwrap_err());
        assert_eq!(off, 84);
        assert!(msg.contains("truncated"), "{msg}");
        // Program header table cut short.
        let (off, msg) = elf_err(parse_elf("t.elf", &elf[..60]).unwrap_err());
        assert_eq!(off, 52);
        assert!(msg.contains("program headers"), "{msg}");
        // Header cut short.
        let (off, msg) = elf_err(parse_elf("t.elf", &elf[..40]).unwrap_err());
        assert_eq!(off, 40);
        assert!(msg.contains("header"), "{msg}");
        let (off, _) = elf_err(parse_elf("t.elf", &elf[..7]).unwrap_err());
        assert_eq!(off, 7);
        // Every prefix is rejected, none panics.
        for n in 0..elf.len() {
            assert!(parse_elf("t.elf", &elf[..n]).is_err(), "prefix {n}");
        }
    }

    #[test]
    fn bad_ident_fields() {
        let elf = build_elf(false, false, 0, &[Ph::load(0x1000, &[1])]);
        for (at, value, want) in [(0usize, b'x', 0u64), (4, 3, 4), (5, 0, 5), (6, 2, 6)] {
            let mut bad = elf.clone();
            bad[at] = value;
            let (off, _) = elf_err(parse_elf("t.elf", &bad).unwrap_err());
            assert_eq!(off, want);
        }
        let mut bad = elf.clone();
        bad[0x2A] = 31; // e_phentsize
        let (off, msg) = elf_err(parse_elf("t.elf", &bad).unwrap_err());
        assert_eq!(off, 0x2A);
        assert!(msg.contains("program header size 31"), "{msg}");
    }

    #[test]
    fn overlapping_segments_are_rejected() {
        let elf = build_elf(
            false,
            false,
            0,
            &[Ph::load(0x1000, &[1; 8]), Ph::load(0x1004, &[2; 8])],
        );
        let (off, msg) = elf_err(parse_elf("t.elf", &elf).unwrap_err());
        assert_eq!(off, 52 + 32);
        assert!(
            msg.contains("t.elf (PT_LOAD 1) overlaps t.elf (PT_LOAD 0) at 0x1004..0x1008"),
            "{msg}"
        );
    }
}
