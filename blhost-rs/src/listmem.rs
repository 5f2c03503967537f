//! `list-memory`: SPSDK's queries (reference blhost.md §4.1) and its text.

use crate::Failure;
use crate::exec::Ctx;
use provkit::mboot::property::format_size;
use provkit::mboot::{MemoryId, PropertyTag, StatusCode};
use std::fmt::Write as _;

/// Region indexes tried at most (SPSDK loops until a repeat or an error).
const MAX_REGIONS: u32 = 64;

/// External memory IDs in SPSDK's probing order (`list(set(ExtMemId.tags()))`).
const EXT_MEM_ORDER: [u32; 13] = [256, 1, 257, 288, 4, 289, 8, 9, 10, 11, 16, 272, 273];

/// Python's `f"0x{n:08X}"` for a possibly negative number.
fn hex08(n: i64) -> String {
    if n < 0 {
        format!("0x-{:07X}", -n)
    } else {
        format!("0x{n:08X}")
    }
}

/// SPSDK's `size_fmt` for a possibly negative size (printed as plain bytes).
fn size(n: i64) -> String {
    u64::try_from(n).map_or_else(|_| format!("{n} B"), format_size)
}

/// `0x… - 0x…; Total Size: …` of SPSDK's `MemoryRegion`.
fn region(start: u32, len: u32) -> String {
    let start = i64::from(start);
    let end = start + i64::from(len) - 1;
    format!(
        "{} - {}; Total Size: {}",
        hex08(start),
        hex08(end),
        size(end - start + 1)
    )
}

/// Walks regions by index for a start-address/size property pair, as SPSDK's
/// `_get_internal_flash` / `_get_internal_ram`: stops at an error, an empty answer, or a
/// start address equal to region 0's.
fn regions(
    ctx: &mut Ctx<'_>,
    start_tag: PropertyTag,
    size_tag: PropertyTag,
    sector: bool,
) -> Result<Vec<String>, Failure> {
    let mut lines = Vec::new();
    let mut first_start = None;
    for index in 0..MAX_REGIONS {
        let Some(start) = ctx
            .property(start_tag.0, index)?
            .1
            .and_then(|v| v.first().copied())
        else {
            break;
        };
        match first_start {
            None => first_start = Some(start),
            Some(s) if s == start => break,
            Some(_) => {}
        }
        let Some(len) = ctx
            .property(size_tag.0, index)?
            .1
            .and_then(|v| v.first().copied())
        else {
            break;
        };
        let mut line = format!("Region {index}: {}", region(start, len));
        if sector {
            let Some(sec) = ctx
                .property(PropertyTag::FLASH_SECTOR_SIZE.0, index)?
                .1
                .and_then(|v| v.first().copied())
            else {
                break;
            };
            let _ = write!(line, " Sector size: {}", format_size(u64::from(sec)));
        }
        lines.push(line);
    }
    Ok(lines)
}

/// SPSDK's `ExtMemRegion.__str__` for attributes `[flags, start, sizeKiB, page, sector,
/// block]` (a field whose flag is clear prints `None`; SPSDK crashes on a missing start).
fn ext_mem(values: &[u32]) -> String {
    let flags = values.first().copied().unwrap_or(0);
    if flags == 0 {
        return "Not Configured".into();
    }
    let field = |bit: u32, i: usize| (flags & bit != 0).then(|| values.get(i).copied()).flatten();
    let mut s = match field(0x01, 1) {
        Some(a) => format!("Start Address = 0x{a:08X}  "),
        None => "Start Address = None  ".into(),
    };
    if let Some(kib) = field(0x02, 2).filter(|&k| k != 0) {
        let _ = write!(s, "Total Size = {}  ", format_size(u64::from(kib) * 1024));
    }
    let opt = |v: Option<u32>| v.map_or_else(|| "None".to_string(), |n| n.to_string());
    let _ = write!(s, "Page Size = {}  ", opt(field(0x04, 3)));
    let _ = write!(s, "Sector Size = {}  ", opt(field(0x08, 4)));
    if let Some(b) = field(0x10, 5).filter(|&b| b != 0) {
        let _ = write!(s, "Block Size = {b} ");
    }
    s
}

/// The list-memory text.
pub(crate) fn list_memory(ctx: &mut Ctx<'_>) -> Result<String, Failure> {
    let mut out = String::from("Internal Flash:\n");
    for line in regions(
        ctx,
        PropertyTag::FLASH_START_ADDRESS,
        PropertyTag::FLASH_SIZE,
        true,
    )? {
        let _ = writeln!(out, "    {line}");
    }
    out.push_str("Internal RAM:\n");
    for line in regions(
        ctx,
        PropertyTag::RAM_START_ADDRESS,
        PropertyTag::RAM_SIZE,
        false,
    )? {
        let _ = writeln!(out, "    {line}");
    }
    out.push_str("External Memories:\n");
    let (status, version) = ctx.property(PropertyTag::CURRENT_VERSION.0, 0)?;
    let version = match version.and_then(|v| v.first().copied()) {
        Some(v) => v,
        None if status == StatusCode::UNKNOWN_PROPERTY => return Ok(out),
        None => {
            return Err(Failure::Connection(format!(
                "list-memory: no answer to get-property 1 (device returned {status})"
            )));
        }
    };
    // Bootloaders up to 2.0.0 only know QuadSPI.
    let ids: &[u32] = if version & 0x00FF_FFFF <= 0x0002_0000 {
        &[1]
    } else {
        &EXT_MEM_ORDER
    };
    for &id in ids {
        let (status, values) = ctx.property(PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES.0, id)?;
        let name = MemoryId(id).name().unwrap_or("Unknown");
        match values {
            Some(v) if !v.is_empty() => {
                let _ = writeln!(out, "{name}:\n  {}", ext_mem(&v));
            }
            _ if status == StatusCode::UNKNOWN_PROPERTY => break,
            _ if status == StatusCode::MEMORY_NOT_CONFIGURED => {
                let _ = writeln!(out, "{name}:\n  Not Configured");
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_text() {
        assert_eq!(
            region(0, 0x9DE00),
            "0x00000000 - 0x0009DDFF; Total Size: 631.5 kiB"
        );
        assert_eq!(
            region(0x2000_0000, 0x1C000),
            "0x20000000 - 0x2001BFFF; Total Size: 112.0 kiB"
        );
        assert_eq!(region(0, 0), "0x00000000 - 0x-0000001; Total Size: 0 B");
    }

    #[test]
    fn ext_mem_text() {
        assert_eq!(ext_mem(&[0]), "Not Configured");
        assert_eq!(
            ext_mem(&[0x1F, 0x0800_0000, 16384, 256, 4096, 65536]),
            "Start Address = 0x08000000  Total Size = 16.0 MiB  Page Size = 256  Sector Size = 4096  Block Size = 65536 "
        );
        assert_eq!(
            ext_mem(&[0x09, 0x8000_0000]),
            "Start Address = 0x80000000  Page Size = None  Sector Size = None  "
        );
    }
}
