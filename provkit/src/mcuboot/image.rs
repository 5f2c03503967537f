//! The image container: header, body, protected and unprotected TLV areas, and whatever
//! follows (padding, trailer). Parsing is bounds-checked and strict about every length;
//! [`McubootImage::encode`] gives back the parsed bytes exactly.

use super::tlv::{Tlv, TlvKind};
use super::version::ImageVersion;
use crate::codec::{DecodeError, Reader};

/// `ih_magic` of every image imgtool writes (and MCUboot accepts).
pub const IMAGE_MAGIC: u32 = 0x96f3_b83d;
/// The header proper is 32 bytes; `hdr_size` may reserve more.
pub const IMAGE_HEADER_SIZE: usize = 32;
/// Magic of the unprotected TLV area.
pub const TLV_INFO_MAGIC: u16 = 0x6907;
/// Magic of the protected TLV area.
pub const TLV_PROT_INFO_MAGIC: u16 = 0x6908;

/// Header flags (`IMAGE_F_*`).
pub mod flags {
    /// Position-independent (unsupported).
    pub const PIC: u32 = 0x001;
    /// Body encrypted with AES-128-CTR.
    pub const ENCRYPTED_AES128: u32 = 0x004;
    /// Body encrypted with AES-256-CTR.
    pub const ENCRYPTED_AES256: u32 = 0x008;
    /// Not bootable (for example the second half of a split image).
    pub const NON_BOOTABLE: u32 = 0x010;
    /// Copy to `ih_load_addr` in RAM before running.
    pub const RAM_LOAD: u32 = 0x020;
    /// Built for the flash address in `ih_load_addr`.
    pub const ROM_FIXED: u32 = 0x100;
    /// LZMA1-compressed body.
    pub const COMPRESSED_LZMA1: u32 = 0x200;
    /// LZMA2-compressed body.
    pub const COMPRESSED_LZMA2: u32 = 0x400;
    /// ARM Thumb BCJ filter before compression.
    pub const COMPRESSED_ARM_THUMB: u32 = 0x800;

    /// Names in imgtool's order (dumpinfo).
    pub const NAMES: [(&str, u32); 9] = [
        ("PIC", PIC),
        ("ENCRYPTED_AES128", ENCRYPTED_AES128),
        ("ENCRYPTED_AES256", ENCRYPTED_AES256),
        ("NON_BOOTABLE", NON_BOOTABLE),
        ("RAM_LOAD", RAM_LOAD),
        ("ROM_FIXED", ROM_FIXED),
        ("COMPRESSED_LZMA1", COMPRESSED_LZMA1),
        ("COMPRESSED_LZMA2", COMPRESSED_LZMA2),
        ("COMPRESSED_ARM_THUMB", COMPRESSED_ARM_THUMB),
    ];
}

/// Byte order of header and TLV fields (`imgtool sign -e`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Endian {
    /// Little-endian (the default, and what MCUboot on Arm reads).
    #[default]
    Little,
    /// Big-endian.
    Big,
}

impl Endian {
    /// Encodes a u16.
    pub fn u16(self, v: u16) -> [u8; 2] {
        match self {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        }
    }

    /// Encodes a u32.
    pub fn u32(self, v: u32) -> [u8; 4] {
        match self {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        }
    }

    fn read_u16(self, r: &mut Reader<'_>, what: &'static str) -> Result<u16, DecodeError> {
        match self {
            Endian::Little => r.u16_le(what),
            Endian::Big => r.u16_be(what),
        }
    }

    fn read_u32(self, r: &mut Reader<'_>, what: &'static str) -> Result<u32, DecodeError> {
        match self {
            Endian::Little => r.u32_le(what),
            Endian::Big => r.u32_be(what),
        }
    }
}

/// The 32-byte image header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageHeader {
    /// `ih_magic`.
    pub magic: u32,
    /// `ih_load_addr`.
    pub load_addr: u32,
    /// `ih_hdr_size`.
    pub hdr_size: u16,
    /// `ih_protect_tlv_size` (the protected area including its 4-byte info).
    pub protect_tlv_size: u16,
    /// `ih_img_size`.
    pub img_size: u32,
    /// `ih_flags`.
    pub flags: u32,
    /// `ih_ver`.
    pub version: ImageVersion,
    /// `_pad1`.
    pub pad1: u32,
}

impl ImageHeader {
    /// The 32 header bytes.
    pub fn encode(&self, e: Endian) -> [u8; IMAGE_HEADER_SIZE] {
        let mut out = [0u8; IMAGE_HEADER_SIZE];
        out[0..4].copy_from_slice(&e.u32(self.magic));
        out[4..8].copy_from_slice(&e.u32(self.load_addr));
        out[8..10].copy_from_slice(&e.u16(self.hdr_size));
        out[10..12].copy_from_slice(&e.u16(self.protect_tlv_size));
        out[12..16].copy_from_slice(&e.u32(self.img_size));
        out[16..20].copy_from_slice(&e.u32(self.flags));
        out[20] = self.version.major;
        out[21] = self.version.minor;
        out[22..24].copy_from_slice(&e.u16(self.version.revision));
        out[24..28].copy_from_slice(&e.u32(self.version.build));
        out[28..32].copy_from_slice(&e.u32(self.pad1));
        out
    }

    /// Decodes the 32 header bytes in byte order `e` (the magic is not checked here).
    pub fn decode(bytes: &[u8], e: Endian) -> Result<ImageHeader, DecodeError> {
        let mut r = Reader::new(bytes);
        Ok(ImageHeader {
            magic: e.read_u32(&mut r, "ih_magic")?,
            load_addr: e.read_u32(&mut r, "ih_load_addr")?,
            hdr_size: e.read_u16(&mut r, "ih_hdr_size")?,
            protect_tlv_size: e.read_u16(&mut r, "ih_protect_tlv_size")?,
            img_size: e.read_u32(&mut r, "ih_img_size")?,
            flags: e.read_u32(&mut r, "ih_flags")?,
            version: ImageVersion {
                major: r.u8("iv_major")?,
                minor: r.u8("iv_minor")?,
                revision: e.read_u16(&mut r, "iv_revision")?,
                build: e.read_u32(&mut r, "iv_build_num")?,
            },
            pad1: e.read_u32(&mut r, "_pad1")?,
        })
    }

    /// Detects the byte order from the magic: `Some` when the first four bytes are the
    /// image magic in either order.
    pub fn detect_endian(bytes: &[u8]) -> Option<Endian> {
        let m: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
        if u32::from_le_bytes(m) == IMAGE_MAGIC {
            Some(Endian::Little)
        } else if u32::from_be_bytes(m) == IMAGE_MAGIC {
            Some(Endian::Big)
        } else {
            None
        }
    }

    /// Offset of the first TLV area (`hdr_size + img_size`).
    pub fn tlv_offset(&self) -> u64 {
        u64::from(self.hdr_size) + u64::from(self.img_size)
    }

    /// Length of the hashed (and signed) region: header, body and protected TLVs.
    pub fn signed_len(&self) -> u64 {
        self.tlv_offset() + u64::from(self.protect_tlv_size)
    }

    /// True when either AES flag is set.
    pub fn is_encrypted(&self) -> bool {
        self.flags & (flags::ENCRYPTED_AES128 | flags::ENCRYPTED_AES256) != 0
    }

    /// AES key length the flags ask for (16 or 32), if encrypted.
    pub fn aes_key_len(&self) -> Option<usize> {
        if self.flags & flags::ENCRYPTED_AES256 != 0 {
            Some(32)
        } else if self.flags & flags::ENCRYPTED_AES128 != 0 {
            Some(16)
        } else {
            None
        }
    }
}

/// Encodes a TLV area: info header (`magic`, total size) then the entries. An empty list
/// gives an empty area (imgtool omits an empty protected area). Fails when the area or an
/// entry does not fit its 16-bit length.
pub fn encode_tlv_area(magic: u16, entries: &[Tlv], e: Endian) -> Result<Vec<u8>, TlvAreaTooLarge> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let total: usize = 4 + entries.iter().map(|t| 4 + t.value.len()).sum::<usize>();
    let tot = u16::try_from(total).map_err(|_| TlvAreaTooLarge { magic, total })?;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&e.u16(magic));
    out.extend_from_slice(&e.u16(tot));
    for t in entries {
        // Fits: the total fits in u16.
        let len = t.value.len() as u16;
        match (e, t.kind.0 < 0x100) {
            // imgtool packs predefined types as `u8 type, u8 0`: in big-endian the type
            // byte comes first, unlike a big-endian u16.
            (Endian::Big, true) => out.extend_from_slice(&[t.kind.0 as u8, 0]),
            _ => out.extend_from_slice(&e.u16(t.kind.0)),
        }
        out.extend_from_slice(&e.u16(len));
        out.extend_from_slice(&t.value);
    }
    Ok(out)
}

/// A TLV area longer than 65535 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("TLV area 0x{magic:04x} would be {total} bytes; its size field holds at most 65535")]
pub struct TlvAreaTooLarge {
    /// Area magic.
    pub magic: u16,
    /// Size it would have.
    pub total: usize,
}

/// A parsed image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McubootImage {
    /// Byte order of the header and TLV fields.
    pub endian: Endian,
    /// The header.
    pub header: ImageHeader,
    /// Bytes 32..`hdr_size` (hashed).
    pub header_fill: Vec<u8>,
    /// The body (`img_size` bytes; ciphertext for encrypted images).
    pub body: Vec<u8>,
    /// Protected TLVs (hashed and signed).
    pub protected: Vec<Tlv>,
    /// Unprotected TLVs.
    pub unprotected: Vec<Tlv>,
    /// Bytes after the TLV area (padding, trailer); not part of the image proper.
    pub rest: Vec<u8>,
}

fn read_area(
    r: &mut Reader<'_>,
    e: Endian,
    magic: u16,
    what_magic: &'static str,
    expected_total: Option<u16>,
) -> Result<Vec<Tlv>, DecodeError> {
    let start = r.offset();
    let m = e.read_u16(r, what_magic)?;
    if m != magic {
        return Err(DecodeError::invalid(
            what_magic,
            start,
            format!("magic 0x{m:04x}, expected 0x{magic:04x}"),
        ));
    }
    let tot = e.read_u16(r, "tlv_tot")?;
    if let Some(exp) = expected_total {
        if tot != exp {
            return Err(DecodeError::invalid(
                "tlv_tot",
                start + 2,
                format!(
                    "protected TLV area says {tot} bytes, the header's ih_protect_tlv_size says {exp}"
                ),
            ));
        }
    }
    if tot < 4 {
        return Err(DecodeError::invalid(
            "tlv_tot",
            start + 2,
            format!("{tot} is smaller than the 4-byte area header"),
        ));
    }
    let mut area = r.sub(usize::from(tot) - 4, "TLV area")?;
    let mut out = Vec::new();
    while !area.is_empty() {
        let at = area.offset();
        let kind = match e {
            Endian::Little => area.u16_le("TLV type")?,
            Endian::Big => {
                let b = area.array::<2>("TLV type")?;
                // Predefined types are written as `u8 type, u8 0` by imgtool.
                if b[1] == 0 && b[0] != 0 {
                    u16::from(b[0])
                } else {
                    u16::from_be_bytes(b)
                }
            }
        };
        let len = e.read_u16(&mut area, "TLV length")?;
        let value = area.take(usize::from(len), "TLV value").map_err(|_| {
            DecodeError::invalid(
                "TLV entry",
                at,
                format!(
                    "type 0x{kind:x} says {len} bytes, only {} are left in its area",
                    area.remaining()
                ),
            )
        })?;
        out.push(Tlv {
            kind: TlvKind(kind),
            value: value.to_vec(),
        });
    }
    Ok(out)
}

impl McubootImage {
    /// Parses an image (with anything after its TLV area kept in [`McubootImage::rest`]).
    ///
    /// Checks: the magic (either byte order), `hdr_size >= 32`, every area inside the
    /// input, a protected area exactly when `ih_protect_tlv_size` is non-zero and of that
    /// size, the unprotected magic, and every TLV inside its area.
    pub fn parse(bytes: &[u8]) -> Result<McubootImage, DecodeError> {
        let endian = ImageHeader::detect_endian(bytes).ok_or_else(|| {
            DecodeError::invalid(
                "ih_magic",
                0,
                "not an MCUboot image (magic is not 0x96f3b83d)",
            )
        })?;
        let mut r = Reader::new(bytes);
        let header = ImageHeader::decode(r.take(IMAGE_HEADER_SIZE, "image header")?, endian)?;
        let hdr = usize::from(header.hdr_size);
        if hdr < IMAGE_HEADER_SIZE {
            return Err(DecodeError::invalid(
                "ih_hdr_size",
                8,
                format!("{hdr} is smaller than the 32-byte header"),
            ));
        }
        let header_fill = r.take(hdr - IMAGE_HEADER_SIZE, "header padding")?.to_vec();
        let img_size = usize::try_from(header.img_size).unwrap_or(usize::MAX);
        let body = r.take(img_size, "image body")?.to_vec();
        let protected = if header.protect_tlv_size != 0 {
            read_area(
                &mut r,
                endian,
                TLV_PROT_INFO_MAGIC,
                "protected TLV info magic",
                Some(header.protect_tlv_size),
            )?
        } else {
            Vec::new()
        };
        let unprotected = read_area(&mut r, endian, TLV_INFO_MAGIC, "TLV info magic", None)?;
        let rest = r.rest().to_vec();
        Ok(McubootImage {
            endian,
            header,
            header_fill,
            body,
            protected,
            unprotected,
            rest,
        })
    }

    /// The bytes this image was parsed from.
    pub fn encode(&self) -> Result<Vec<u8>, TlvAreaTooLarge> {
        let mut out = self.signed_region()?;
        out.extend_from_slice(&encode_tlv_area(
            TLV_INFO_MAGIC,
            &self.unprotected,
            self.endian,
        )?);
        if self.unprotected.is_empty() {
            // An empty unprotected area still has its info header.
            out.extend_from_slice(&self.endian.u16(TLV_INFO_MAGIC));
            out.extend_from_slice(&self.endian.u16(4));
        }
        out.extend_from_slice(&self.rest);
        Ok(out)
    }

    /// Header, fill, body and protected area: what the hash and signature cover.
    pub fn signed_region(&self) -> Result<Vec<u8>, TlvAreaTooLarge> {
        let mut out = Vec::with_capacity(self.signed_len());
        out.extend_from_slice(&self.header.encode(self.endian));
        out.extend_from_slice(&self.header_fill);
        out.extend_from_slice(&self.body);
        out.extend_from_slice(&self.protected_area()?);
        Ok(out)
    }

    /// The encoded protected area (empty when there are no protected TLVs).
    pub fn protected_area(&self) -> Result<Vec<u8>, TlvAreaTooLarge> {
        encode_tlv_area(TLV_PROT_INFO_MAGIC, &self.protected, self.endian)
    }

    /// Length of the signed region.
    pub fn signed_len(&self) -> usize {
        IMAGE_HEADER_SIZE
            + self.header_fill.len()
            + self.body.len()
            + usize::from(self.header.protect_tlv_size)
    }

    /// Length of the unprotected area, info header included.
    pub fn unprotected_len(&self) -> usize {
        4 + self
            .unprotected
            .iter()
            .map(|t| 4 + t.value.len())
            .sum::<usize>()
    }

    /// End of the TLV area: the image length without padding and trailer.
    pub fn tlv_end(&self) -> usize {
        self.signed_len() + self.unprotected_len()
    }

    /// The first unprotected TLV of `kind`.
    pub fn unprotected_tlv(&self, kind: TlvKind) -> Option<&Tlv> {
        self.unprotected.iter().find(|t| t.kind == kind)
    }

    /// The first protected TLV of `kind`.
    pub fn protected_tlv(&self, kind: TlvKind) -> Option<&Tlv> {
        self.protected.iter().find(|t| t.kind == kind)
    }

    /// The security counter from the protected area, if present and 4 bytes long.
    pub fn security_counter(&self) -> Option<u32> {
        let v: [u8; 4] = self
            .protected_tlv(TlvKind::SEC_CNT)?
            .value
            .as_slice()
            .try_into()
            .ok()?;
        Some(match self.endian {
            Endian::Little => u32::from_le_bytes(v),
            Endian::Big => u32::from_be_bytes(v),
        })
    }

    /// Dependencies from the protected area: (image id, minimum version).
    pub fn dependencies(&self) -> Vec<(u8, ImageVersion)> {
        self.protected
            .iter()
            .filter(|t| t.kind == TlvKind::DEPENDENCY && t.value.len() == 12)
            .map(|t| {
                let v = &t.value;
                let u16_at = |i: usize| match self.endian {
                    Endian::Little => u16::from_le_bytes([v[i], v[i + 1]]),
                    Endian::Big => u16::from_be_bytes([v[i], v[i + 1]]),
                };
                let u32_at = |i: usize| {
                    let b = [v[i], v[i + 1], v[i + 2], v[i + 3]];
                    match self.endian {
                        Endian::Little => u32::from_le_bytes(b),
                        Endian::Big => u32::from_be_bytes(b),
                    }
                };
                (v[0], ImageVersion::new(v[4], v[5], u16_at(6), u32_at(8)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(e: Endian) -> Vec<u8> {
        let header = ImageHeader {
            magic: IMAGE_MAGIC,
            load_addr: 0,
            hdr_size: 64,
            protect_tlv_size: 12,
            img_size: 8,
            flags: 0,
            version: ImageVersion::new(1, 2, 3, 4),
            pad1: 0,
        };
        let mut b = header.encode(e).to_vec();
        b.extend_from_slice(&[0xff; 32]);
        b.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        b.extend_from_slice(
            &encode_tlv_area(
                TLV_PROT_INFO_MAGIC,
                &[Tlv::new(TlvKind::SEC_CNT, e.u32(7).to_vec())],
                e,
            )
            .unwrap(),
        );
        b.extend_from_slice(
            &encode_tlv_area(TLV_INFO_MAGIC, &[Tlv::new(TlvKind::SHA256, [9u8; 32])], e).unwrap(),
        );
        b.extend_from_slice(&[0xff; 5]);
        b
    }

    #[test]
    fn parse_encode_round_trip_both_endians() {
        for e in [Endian::Little, Endian::Big] {
            let b = sample(e);
            let img = McubootImage::parse(&b).unwrap();
            assert_eq!(img.endian, e);
            assert_eq!(img.security_counter(), Some(7));
            assert_eq!(img.rest, vec![0xff; 5]);
            assert_eq!(img.tlv_end(), b.len() - 5);
            assert_eq!(img.encode().unwrap(), b);
        }
    }

    #[test]
    fn protected_size_mismatch_is_rejected() {
        let mut b = sample(Endian::Little);
        b[10] = 16; // ih_protect_tlv_size
        let e = McubootImage::parse(&b).unwrap_err();
        assert_eq!(e.what, "tlv_tot");
    }

    #[test]
    fn tlv_running_past_its_area_is_rejected() {
        let mut b = sample(Endian::Little);
        // The SHA256 entry's length (after prot area at 64+8=72, 12 bytes; info 4; type 2).
        let len_at = 72 + 12 + 4 + 2;
        b[len_at] = 33;
        assert!(McubootImage::parse(&b).is_err());
    }

    #[test]
    fn truncated_and_garbage_inputs_are_errors() {
        let b = sample(Endian::Little);
        for n in 0..b.len() - 5 {
            assert!(McubootImage::parse(&b[..n]).is_err(), "{n}");
        }
        assert!(McubootImage::parse(b"not an image at all, no").is_err());
    }
}
