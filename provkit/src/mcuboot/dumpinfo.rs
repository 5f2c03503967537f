//! `imgtool dumpinfo`: header, TLV areas and trailer of an image file, in imgtool's human,
//! JSON and YAML formats. Reading is bounds-checked (imgtool crashes on short files).

use super::image::{Endian, IMAGE_HEADER_SIZE, ImageHeader, flags};
use super::tlv::TlvKind;
use super::trailer::{BOOT_MAGIC, BOOT_MAGIC_ALT_TAIL, align_up};
use std::fmt::Write as _;

/// One TLV as dumpinfo lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlvEntry {
    /// Type.
    pub kind: u16,
    /// Length field.
    pub len: u16,
    /// Value.
    pub data: Vec<u8>,
}

impl TlvEntry {
    fn type_name(&self) -> &'static str {
        TlvKind(self.kind).name().unwrap_or("UNKNOWN")
    }
}

/// The trailer read from the end of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailerInfo {
    /// The last 16 bytes.
    pub magic: Vec<u8>,
    /// Fields, when the magic was recognised: image_ok, copy_done, swap_info, swap_size.
    pub fields: Option<(u8, u8, u8, u32)>,
    /// Key field length (encrypted images).
    pub key_field_len: Option<u64>,
}

/// What dumpinfo shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImgInfo {
    /// File name (without directories).
    pub filename: String,
    /// The header.
    pub header: ImageHeader,
    /// Protected area info (magic, tlv_tot), when `protected_tlv_size` is not 0.
    pub prot_info: Option<(u16, u16)>,
    /// Protected TLVs.
    pub prot: Vec<TlvEntry>,
    /// Unprotected area info.
    pub info: (u16, u16),
    /// Unprotected TLVs.
    pub tlvs: Vec<TlvEntry>,
    /// Trailer, when the file extends past the TLV area.
    pub trailer: Option<TrailerInfo>,
}

/// Reads `b` as dumpinfo does. `Err` names where the file ends too early.
pub fn read(filename: &str, b: &[u8]) -> Result<ImgInfo, String> {
    // imgtool reads little-endian only (and crashes on big-endian images); the byte order
    // is taken from the magic here.
    let e = ImageHeader::detect_endian(b).unwrap_or(Endian::Little);
    let header = ImageHeader::decode(b, e).map_err(|_| {
        format!(
            "image is truncated: {} bytes, a header needs {IMAGE_HEADER_SIZE}",
            b.len()
        )
    })?;
    let u16_at = |off: usize| -> Result<u16, String> {
        b.get(off..off + 2)
            .map(|s| match e {
                Endian::Little => u16::from_le_bytes([s[0], s[1]]),
                Endian::Big => u16::from_be_bytes([s[0], s[1]]),
            })
            .ok_or_else(|| format!("image is truncated at offset 0x{off:x}"))
    };
    let entries = |mut off: usize, end: usize| -> Result<Vec<TlvEntry>, String> {
        let mut out = Vec::new();
        while off < end {
            let raw = u16_at(off)?;
            // Big-endian imgtool images pack predefined types as `u8 type, u8 0`.
            let kind = match (e, raw.to_be_bytes()) {
                (Endian::Big, [t, 0]) if t != 0 => u16::from(t),
                _ => raw,
            };
            let len = u16_at(off + 2)?;
            off += 4;
            let data = b
                .get(off..off + usize::from(len))
                .ok_or_else(|| format!("image is truncated inside the TLV at 0x{:x}", off - 4))?
                .to_vec();
            out.push(TlvEntry { kind, len, data });
            off += usize::from(len);
        }
        Ok(out)
    };
    let mut off = usize::try_from(header.tlv_offset()).map_err(|e| e.to_string())?;
    let mut prot_info = None;
    let mut prot = Vec::new();
    if header.protect_tlv_size != 0 {
        let m = u16_at(off)?;
        let t = u16_at(off + 2)?;
        prot_info = Some((m, t));
        prot = entries(off + 4, off + usize::from(t))?;
        off += usize::from(t);
    }
    let m = u16_at(off)?;
    let t = u16_at(off + 2)?;
    let tlvs = entries(off + 4, off + usize::from(t))?;
    let tlv_end = off + usize::from(t);
    let mut trailer = None;
    if b.len() > tlv_end {
        let n = b.len();
        let magic = b[n.saturating_sub(16)..].to_vec();
        let max_align = if magic == BOOT_MAGIC {
            Some(8u64)
        } else if magic.len() == 16 && magic[2..] == BOOT_MAGIC_ALT_TAIL {
            Some(u64::from(u16::from_le_bytes([magic[0], magic[1]])))
        } else {
            None
        };
        let mut fields = None;
        let mut key_field_len = None;
        if let Some(ma) = max_align.filter(|m| *m > 0) {
            let mut from_end: u64 = 16;
            if ma > 16 {
                from_end += ma - 16;
            }
            let mut next = || -> Option<usize> {
                from_end += ma;
                usize::try_from((n as u64).checked_sub(from_end)?).ok()
            };
            let at = |i: Option<usize>| i.and_then(|i| b.get(i).copied());
            let image_ok = at(next());
            let copy_done = at(next());
            let swap_info = at(next());
            let ss = next();
            let swap_size = ss
                .and_then(|i| b.get(i..i + 4))
                .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
            if let (Some(a), Some(c), Some(s), Some(z)) =
                (image_ok, copy_done, swap_info, swap_size)
            {
                fields = Some((a, c, s, z));
                if header.is_encrypted() && ma.is_power_of_two() {
                    key_field_len = Some(align_up(16, ma) * 2);
                }
            }
        }
        trailer = Some(TrailerInfo {
            magic,
            fields,
            key_field_len,
        });
    }
    Ok(ImgInfo {
        filename: filename.to_string(),
        header,
        prot_info,
        prot,
        info: (m, t),
        tlvs,
        trailer,
    })
}

const LINE: usize = 60;

fn row(text: &str) -> String {
    let t = format!("#### {text} ");
    let fill = LINE.saturating_sub(t.chars().count());
    format!("{t}{}", "#".repeat(fill))
}

fn frame(header: &str, content: &str) -> String {
    let mut lines = vec![row(header)];
    lines.push(format!("|{}|", " ".repeat(LINE - 2)));
    let offset = (LINE.saturating_sub(content.len())) / 2;
    let pre = format!("|{}", " ".repeat(offset.saturating_sub(1)));
    let post = format!(
        "{}|",
        " ".repeat(LINE.saturating_sub(pre.len() + content.len() + 1))
    );
    lines.push(format!("{pre}{content}{post}"));
    lines.push(format!("|{}|", " ".repeat(LINE - 2)));
    lines.push("#".repeat(LINE));
    lines.join("\n")
}

fn tlv_records(list: &[TlvEntry]) -> String {
    let indent = " ".repeat(LINE / 8);
    let mut lines = Vec::new();
    for t in list {
        lines.push(format!("{indent} {}", "-".repeat(45)));
        lines.push(format!("{indent} type: {} (0x{:x})", t.type_name(), t.kind));
        lines.push(format!("{indent} len:  0x{:x}", t.len));
        let mut line = format!("{indent} data: ");
        for (j, d) in t.data.iter().enumerate() {
            let _ = write!(line, "0x{d:02x} ");
            if (j + 1) % 8 == 0 && j + 1 != t.data.len() {
                lines.push(std::mem::take(&mut line));
                line = " ".repeat(LINE / 8 + 7);
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

fn status(v: u8) -> String {
    match v {
        1 => "SET (0x1)".into(),
        2 => "BAD (0x2)".into(),
        3 => "UNSET (0x3)".into(),
        4 => "ANY (0x4)".into(),
        _ => format!("INVALID (0x{v:x})"),
    }
}

/// The warning dumpinfo prints before the dump when the trailer magic is not recognised.
pub fn warning(info: &ImgInfo) -> Option<&'static str> {
    match &info.trailer {
        Some(t) if t.fields.is_none() => Some("Warning: the trailer magic value is invalid!\n"),
        _ => None,
    }
}

/// imgtool's human format.
pub fn human(info: &ImgInfo) -> String {
    let h = &info.header;
    let mut o = String::new();
    let _ = writeln!(o, "Printing content of signed image: {} \n", info.filename);
    o.push_str(&row("Image header (offset: 0x0)"));
    o.push('\n');
    let flag_str = if h.flags == 0 {
        "0x0".to_string()
    } else {
        let mut s = String::new();
        for (name, bit) in flags::NAMES {
            if h.flags & bit != 0 {
                if !s.is_empty() {
                    s.push('\n');
                    s.push_str(&" ".repeat(20));
                }
                let _ = write!(s, "{name} (0x{bit:x})");
            }
        }
        s
    };
    for (k, v) in [
        ("magic", format!("0x{:x}", h.magic)),
        ("load_addr", format!("0x{:x}", h.load_addr)),
        ("hdr_size", format!("0x{:x}", h.hdr_size)),
        ("protected_tlv_size", format!("0x{:x}", h.protect_tlv_size)),
        ("img_size", format!("0x{:x}", h.img_size)),
        ("flags", flag_str),
        ("version", h.version.to_string()),
    ] {
        let _ = writeln!(o, "{k}:{}{v}", " ".repeat(19 - k.len()));
    }
    o.push_str(&"#".repeat(LINE));
    o.push('\n');
    let mut sec = u64::from(h.hdr_size);
    o.push_str(&frame(
        &format!("Payload (offset: 0x{sec:x})"),
        &format!("FW image (size: 0x{:x} Bytes)", h.img_size),
    ));
    o.push('\n');
    sec += u64::from(h.img_size);
    if h.protect_tlv_size != 0 {
        let (m, t) = info.prot_info.unwrap_or((0, 0));
        o.push_str(&row(&format!("Protected TLV area (offset: 0x{sec:x})")));
        let _ = writeln!(o, "\nmagic:     0x{m:x}\narea size: 0x{t:x}");
        o.push_str(&tlv_records(&info.prot));
        o.push('\n');
        o.push_str(&"#".repeat(LINE));
        o.push('\n');
    }
    sec += u64::from(h.protect_tlv_size);
    o.push_str(&row(&format!("TLV area (offset: 0x{sec:x})")));
    let _ = writeln!(
        o,
        "\nmagic:     0x{:x}\narea size: 0x{:x}",
        info.info.0, info.info.1
    );
    o.push_str(&tlv_records(&info.tlvs));
    o.push('\n');
    o.push_str(&"#".repeat(LINE));
    o.push('\n');
    if let Some(t) = info.trailer.as_ref().filter(|t| !t.magic.is_empty()) {
        o.push_str(&row("Image trailer (offset: unknown)"));
        o.push_str("\n(Note: some fields may not be used, depending on the update \nstrategy)\n\n");
        o.push_str("swap status: (len: unknown)\n");
        match t.key_field_len {
            Some(k) => {
                let _ = writeln!(
                    o,
                    "enc. keys:   (len: 0x{k:x}, if BOOT_SWAP_SAVE_ENCTLV is unset)"
                );
            }
            None => o.push_str("enc. keys:   Image not encrypted\n"),
        }
        if let Some((image_ok, copy_done, swap_info, swap_size)) = t.fields {
            if swap_size == 0xffff_ffff {
                o.push_str("swap size:   unknown\n");
            } else {
                let _ = writeln!(o, "swap size:   0x{swap_size:x} octal: {swap_size}");
            }
            let _ = writeln!(o, "swap_info:   {}", status(swap_info));
            let _ = writeln!(o, "copy_done:   {}", status(copy_done));
            let _ = writeln!(o, "image_ok:    {}", status(image_ok));
        }
        o.push_str("boot magic:  ");
        for (i, m) in t.magic.iter().enumerate() {
            let _ = write!(o, "0x{m:02x} ");
            if i == 7 {
                o.push_str("\n             ");
            }
        }
        o.push_str("\n\n");
    }
    o.push_str(&row("End of Image "));
    o.push('\n');
    o
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn json_tlvs(list: &[TlvEntry], indent: &str) -> String {
    if list.is_empty() {
        return "[]".into();
    }
    let items: Vec<String> = list
        .iter()
        .map(|t| {
            format!(
                "{indent}  {{\n{indent}    \"type\": {},\n{indent}    \"type_name\": {},\n{indent}    \"len\": {},\n{indent}    \"data\": \"{}\"\n{indent}  }}",
                t.kind,
                json_str(t.type_name()),
                t.len,
                crate::codec::to_hex(&t.data)
            )
        })
        .collect();
    format!("[\n{}\n{indent}]", items.join(",\n"))
}

/// imgtool's JSON format (`json.dump(indent=2)`; no final newline, as when writing a file).
pub fn json(info: &ImgInfo) -> String {
    let h = &info.header;
    let mut o = String::new();
    let _ = write!(
        o,
        "{{\n  \"filename\": {},\n  \"header\": {{\n    \"magic\": {},\n    \"load_addr\": {},\n    \"hdr_size\": {},\n    \"protected_tlv_size\": {},\n    \"img_size\": {},\n    \"flags\": {},\n    \"version\": {}\n  }},\n  \"tlv_area\": {{\n",
        json_str(&info.filename),
        h.magic,
        h.load_addr,
        h.hdr_size,
        h.protect_tlv_size,
        h.img_size,
        h.flags,
        json_str(&h.version.to_string())
    );
    match info.prot_info {
        Some((m, t)) => {
            let _ = write!(
                o,
                "    \"tlv_hdr_prot\": {{\n      \"magic\": {m},\n      \"tlv_tot\": {t}\n    }},\n"
            );
        }
        None => o.push_str("    \"tlv_hdr_prot\": {},\n"),
    }
    let _ = write!(
        o,
        "    \"tlvs_prot\": {},\n    \"tlv_hdr\": {{\n      \"magic\": {},\n      \"tlv_tot\": {}\n    }},\n    \"tlvs\": {}\n  }},\n",
        json_tlvs(&info.prot, "    "),
        info.info.0,
        info.info.1,
        json_tlvs(&info.tlvs, "    ")
    );
    match &info.trailer {
        None => o.push_str("  \"trailer\": {}\n}"),
        Some(t) => {
            let mut items = vec![format!(
                "    \"magic\": \"{}\"",
                crate::codec::to_hex(&t.magic)
            )];
            if let Some((a, c, s, z)) = t.fields {
                items.push(format!("    \"image_ok\": {a}"));
                items.push(format!("    \"copy_done\": {c}"));
                items.push(format!("    \"swap_info\": {s}"));
                items.push(format!("    \"swap_size\": {z}"));
            }
            if let Some(k) = t.key_field_len {
                items.push(format!("    \"key_field_len\": {k}"));
            }
            let _ = write!(o, "  \"trailer\": {{\n{}\n  }}\n}}", items.join(",\n"));
        }
    }
    o
}

fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-/".contains(c))
        && !s.starts_with(['-', '.', '+'])
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "~"
        );
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn yaml_binary(o: &mut String, data: &[u8], indent: usize) {
    o.push_str("!!binary |\n");
    let b64 = super::util::base64_encode(data);
    let pad = " ".repeat(indent);
    if b64.is_empty() {
        return;
    }
    for chunk in b64.as_bytes().chunks(76) {
        let _ = writeln!(o, "{pad}{}", String::from_utf8_lossy(chunk));
    }
}

fn yaml_tlvs(o: &mut String, list: &[TlvEntry]) {
    for t in list {
        let _ = writeln!(o, "  - type: {}", t.kind);
        let _ = writeln!(o, "    type_name: {}", t.type_name());
        let _ = writeln!(o, "    len: {}", t.len);
        o.push_str("    data: ");
        yaml_binary(o, &t.data, 6);
    }
}

/// imgtool's YAML format (PyYAML `dump(sort_keys=False)`).
pub fn yaml(info: &ImgInfo) -> String {
    let h = &info.header;
    let mut o = String::new();
    let _ = writeln!(o, "filename: {}", yaml_scalar(&info.filename));
    let _ = writeln!(
        o,
        "header:\n  magic: {}\n  load_addr: {}\n  hdr_size: {}\n  protected_tlv_size: {}\n  img_size: {}\n  flags: {}\n  version: {}",
        h.magic,
        h.load_addr,
        h.hdr_size,
        h.protect_tlv_size,
        h.img_size,
        h.flags,
        yaml_scalar(&h.version.to_string())
    );
    o.push_str("tlv_area:\n");
    match info.prot_info {
        Some((m, t)) => {
            let _ = writeln!(o, "  tlv_hdr_prot:\n    magic: {m}\n    tlv_tot: {t}");
        }
        None => o.push_str("  tlv_hdr_prot: {}\n"),
    }
    if info.prot.is_empty() {
        o.push_str("  tlvs_prot: []\n");
    } else {
        o.push_str("  tlvs_prot:\n");
        yaml_tlvs(&mut o, &info.prot);
    }
    let _ = writeln!(
        o,
        "  tlv_hdr:\n    magic: {}\n    tlv_tot: {}",
        info.info.0, info.info.1
    );
    if info.tlvs.is_empty() {
        o.push_str("  tlvs: []\n");
    } else {
        o.push_str("  tlvs:\n");
        yaml_tlvs(&mut o, &info.tlvs);
    }
    match &info.trailer {
        None => o.push_str("trailer: {}\n"),
        Some(t) => {
            o.push_str("trailer:\n  magic: ");
            yaml_binary(&mut o, &t.magic, 4);
            if let Some((a, c, s, z)) = t.fields {
                let _ = writeln!(
                    o,
                    "  image_ok: {a}\n  copy_done: {c}\n  swap_info: {s}\n  swap_size: {z}"
                );
            }
            if let Some(k) = t.key_field_len {
                let _ = writeln!(o, "  key_field_len: {k}");
            }
        }
    }
    o
}
