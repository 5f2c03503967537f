//! The image trailer at the end of a slot: boot magic, image_ok, copy_done, swap_info,
//! swap_size, encryption key slots and the swap status area; and imgtool's trailer-size
//! formula for the slot-size check.

use super::image::Endian;

/// The boot magic for `max_align == 8`.
pub const BOOT_MAGIC: [u8; 16] = [
    0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
];

/// The last 14 bytes of the boot magic for other `max_align` values (the first two hold
/// `max_align`).
pub const BOOT_MAGIC_ALT_TAIL: [u8; 14] = [
    0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
];

/// Default `--max-sectors`.
pub const DEFAULT_MAX_SECTORS: u32 = 128;

/// Rounds `n` up to a multiple of the power of two `align`.
pub fn align_up(n: u64, align: u64) -> u64 {
    debug_assert!(align.is_power_of_two());
    (n + align - 1) & !(align - 1)
}

/// The 16-byte boot magic for `max_align`.
pub fn boot_magic(max_align: u32, e: Endian) -> [u8; 16] {
    if max_align == 8 {
        return BOOT_MAGIC;
    }
    let mut m = [0u8; 16];
    m[..2].copy_from_slice(&e.u16(max_align as u16));
    m[2..].copy_from_slice(&BOOT_MAGIC_ALT_TAIL);
    m
}

/// `align_up(16, max_align)`: the space the magic takes.
pub fn magic_align_size(max_align: u32) -> u64 {
    align_up(16, u64::from(max_align))
}

/// Trailer geometry for one `max_align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailerLayout {
    /// Maximum flash write alignment (8, 16 or 32).
    pub max_align: u32,
}

impl TrailerLayout {
    /// Distance of the magic from the slot end.
    pub fn magic_from_end(&self) -> u64 {
        16
    }
    /// Distance of image_ok from the slot end.
    pub fn image_ok_from_end(&self) -> u64 {
        magic_align_size(self.max_align) + u64::from(self.max_align)
    }
    /// Distance of copy_done from the slot end.
    pub fn copy_done_from_end(&self) -> u64 {
        self.image_ok_from_end() + u64::from(self.max_align)
    }
    /// Distance of swap_info from the slot end.
    pub fn swap_info_from_end(&self) -> u64 {
        self.copy_done_from_end() + u64::from(self.max_align)
    }
    /// Distance of swap_size (u32) from the slot end.
    pub fn swap_size_from_end(&self) -> u64 {
        self.swap_info_from_end() + u64::from(self.max_align)
    }
    /// Distance of the encryption key field of slot `n` (0 primary, 1 secondary) from
    /// the slot end, with a key field of `key_field` bytes (`align_up(16|32, max_align)`).
    pub fn enc_key_from_end(&self, n: u64, key_field: u64) -> u64 {
        self.swap_size_from_end() + (n + 1) * key_field
    }
}

/// Which trailer `imgtool sign` assumes for its size check (`_trailer_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailerSizing {
    /// `--align`.
    pub align: u32,
    /// `max(8, align)` or `--max-align`.
    pub max_align: u32,
    /// `--max-sectors` (default 128).
    pub max_sectors: u32,
    /// `--overwrite-only`.
    pub overwrite_only: bool,
    /// Encrypted image: `Some(len of the key TLV value)`.
    pub enc_tlv_len: Option<usize>,
    /// `--save-enctlv`.
    pub save_enctlv: bool,
}

impl TrailerSizing {
    /// imgtool's trailer size (reference section 7.3). The 16-byte key field is kept
    /// even for AES-256, as imgtool does.
    pub fn size(&self) -> u64 {
        let ma = u64::from(self.max_align);
        let magic = magic_align_size(self.max_align);
        if self.overwrite_only {
            return 2 * ma + magic;
        }
        let mut t = u64::from(self.max_sectors) * 3 * u64::from(self.align);
        if let Some(len) = self.enc_tlv_len {
            let key = if self.save_enctlv {
                align_up(len as u64, ma)
            } else {
                align_up(16, ma)
            };
            t += 2 * key;
        }
        t + 4 * ma + magic
    }
}

/// A trailer flag as MCUboot decodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The erased value.
    Unset,
    /// 0x01.
    Set,
    /// Anything else.
    Bad,
}

impl Flag {
    /// Decodes a flag byte.
    pub fn from_byte(b: u8, erased: u8) -> Flag {
        if b == erased {
            Flag::Unset
        } else if b == 0x01 {
            Flag::Set
        } else {
            Flag::Bad
        }
    }
}

/// State of the boot magic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MagicState {
    /// The expected magic.
    Good,
    /// All erased.
    Unset,
    /// Anything else.
    Bad,
}

/// The trailer fields read from the end of a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotTrailer {
    /// Boot magic.
    pub magic: MagicState,
    /// image_ok.
    pub image_ok: Flag,
    /// copy_done.
    pub copy_done: Flag,
    /// swap_info byte (low nibble swap type, high nibble image index).
    pub swap_info: u8,
    /// swap_size.
    pub swap_size: u32,
}

impl SlotTrailer {
    /// Reads the trailer of `slot` (the whole slot contents).
    pub fn read(slot: &[u8], layout: TrailerLayout, erased: u8) -> Option<SlotTrailer> {
        let n = slot.len() as u64;
        let at =
            |from_end: u64| -> Option<usize> { usize::try_from(n.checked_sub(from_end)?).ok() };
        let magic_at = at(layout.magic_from_end())?;
        let magic_bytes = slot.get(magic_at..magic_at + 16)?;
        let magic = if magic_bytes == boot_magic(layout.max_align, Endian::Little) {
            MagicState::Good
        } else if magic_bytes.iter().all(|&b| b == erased) {
            MagicState::Unset
        } else {
            MagicState::Bad
        };
        let byte = |from_end: u64| at(from_end).and_then(|i| slot.get(i).copied());
        let ss = at(layout.swap_size_from_end())?;
        let swap_size = slot
            .get(ss..ss + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))?;
        Some(SlotTrailer {
            magic,
            image_ok: Flag::from_byte(byte(layout.image_ok_from_end())?, erased),
            copy_done: Flag::from_byte(byte(layout.copy_done_from_end())?, erased),
            swap_info: byte(layout.swap_info_from_end())?,
            swap_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailer_sizes_match_the_reference_examples() {
        let s = |align, max_sectors, enc: Option<usize>| TrailerSizing {
            align,
            max_align: align.max(8),
            max_sectors,
            overwrite_only: false,
            enc_tlv_len: enc,
            save_enctlv: false,
        };
        assert_eq!(s(4, 800, None).size(), 0x25b0);
        assert_eq!(s(4, 800, Some(113)).size(), 0x25d0);
        assert_eq!(s(4, 128, None).size(), 0x630);
        assert_eq!(s(1, 128, None).size(), 0x1b0);
        let ow = TrailerSizing {
            overwrite_only: true,
            ..s(4, 128, None)
        };
        assert_eq!(ow.size(), 32);
    }

    #[test]
    fn offsets_for_max_align_8_and_32() {
        let l8 = TrailerLayout { max_align: 8 };
        assert_eq!(
            (
                l8.image_ok_from_end(),
                l8.copy_done_from_end(),
                l8.swap_info_from_end(),
                l8.swap_size_from_end()
            ),
            (24, 32, 40, 48)
        );
        let l32 = TrailerLayout { max_align: 32 };
        assert_eq!(
            (
                l32.image_ok_from_end(),
                l32.copy_done_from_end(),
                l32.swap_info_from_end(),
                l32.swap_size_from_end()
            ),
            (64, 96, 128, 160)
        );
        assert_eq!(boot_magic(16, Endian::Little)[..3], [0x10, 0x00, 0x2d]);
    }
}
