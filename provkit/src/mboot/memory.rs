//! Memory IDs (reference blhost.md §4.2).

/// A memory ID (open: unknown IDs are kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryId(pub u32);

impl MemoryId {
    /// Internal memory (RAM, flash, mapped external memory).
    pub const INTERNAL: MemoryId = MemoryId(0);
    /// QuadSPI 0.
    pub const QSPI0: MemoryId = MemoryId(1);
    /// IFR0 / fuses (SB loader).
    pub const IFR: MemoryId = MemoryId(4);
    /// SEMC NOR.
    pub const SEMC_NOR: MemoryId = MemoryId(8);
    /// FlexSPI NOR.
    pub const FLEXSPI_NOR: MemoryId = MemoryId(9);
    /// SPIFI NOR.
    pub const SPIFI_NOR: MemoryId = MemoryId(10);
    /// XSPI NOR.
    pub const XSPI_NOR: MemoryId = MemoryId(11);
    /// Execute-only internal flash.
    pub const FLASH_EXEC_ONLY: MemoryId = MemoryId(16);
    /// SEMC NAND.
    pub const SEMC_NAND: MemoryId = MemoryId(256);
    /// SPI NAND.
    pub const SPI_NAND: MemoryId = MemoryId(257);
    /// SPI NOR / EEPROM.
    pub const SPI_MEM: MemoryId = MemoryId(272);
    /// I2C EEPROM.
    pub const I2C_MEM: MemoryId = MemoryId(273);
    /// SD card.
    pub const SD: MemoryId = MemoryId(288);
    /// eMMC.
    pub const MMC: MemoryId = MemoryId(289);
    /// program-aeskey pseudo target.
    pub const AES_KEY: MemoryId = MemoryId(0x200);

    /// Name as SPSDK's list-memory prints it.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "INTERNAL",
            1 => "QSPI",
            4 => "IFR0",
            8 => "SEMC-NOR",
            9 => "FLEX-SPI-NOR",
            10 => "SPIFI-NOR",
            11 => "XSPI-NOR",
            16 => "FLASH-EXEC",
            256 => "SEMC-NAND",
            257 => "SPI-NAND",
            272 => "SPI-MEM",
            273 => "I2C-MEM",
            288 => "SD",
            289 => "MMC",
            _ => return None,
        })
    }

    /// External memories that list-memory probes with property 25, in order.
    pub const EXTERNAL: &'static [MemoryId] = &[
        MemoryId(1),
        MemoryId(8),
        MemoryId(9),
        MemoryId(10),
        MemoryId(11),
        MemoryId(256),
        MemoryId(257),
        MemoryId(272),
        MemoryId(273),
        MemoryId(288),
        MemoryId(289),
    ];

    /// Legacy CLI aliases (`internal`, `flexspinor`, ...).
    pub fn from_alias(s: &str) -> Option<MemoryId> {
        Some(MemoryId(match s.to_ascii_lowercase().as_str() {
            "internal" => 0,
            "qspi" => 1,
            "fuse" | "ifr" => 4,
            "semcnor" => 8,
            "flexspinor" => 9,
            "spifinor" => 10,
            "semcnand" => 256,
            "spinand" => 257,
            "spieeprom" => 272,
            "i2ceeprom" => 273,
            "sdcard" => 288,
            "mmccard" => 289,
            _ => return None,
        }))
    }

    /// True for IDs SPSDK silently rewrites to 0 in several commands (1..=255).
    /// provkit sends them unchanged.
    pub fn spsdk_would_clamp(self) -> bool {
        (1..=255).contains(&self.0)
    }
}
