//! Default MCUboot flash layouts per family (`provkit/data/mcuboot_layouts.json`), used by
//! the simulator's MCUboot boot stage.

use serde::Deserialize;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/mcuboot_layouts.json");

/// How the bootloader installs updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpgradeMode {
    /// Swap using move (the MCUboot default): test, permanent and revert.
    SwapMove,
    /// Overwrite the primary slot; no revert.
    OverwriteOnly,
    /// Run from either slot (the higher version); with revert of unconfirmed images.
    DirectXip,
}

impl UpgradeMode {
    /// Parses `swap-move`, `overwrite-only`, `direct-xip`.
    pub fn parse(s: &str) -> Option<UpgradeMode> {
        match s {
            "swap-move" | "swap" => Some(UpgradeMode::SwapMove),
            "overwrite-only" | "overwrite" => Some(UpgradeMode::OverwriteOnly),
            "direct-xip" => Some(UpgradeMode::DirectXip),
            _ => None,
        }
    }
}

fn de_u32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        Num(u32),
        Text(String),
    }
    match N::deserialize(d)? {
        N::Num(n) => Ok(n),
        N::Text(t) => crate::codec::parse_u32(&t).map_err(serde::de::Error::custom),
    }
}

/// One family's layout.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotLayout {
    /// Family name.
    pub family: String,
    /// Upgrade mode of the bootloader build.
    pub mode: UpgradeMode,
    /// Where the bootloader itself lives.
    #[serde(deserialize_with = "de_u32")]
    pub bootloader: u32,
    /// Primary slot address.
    #[serde(deserialize_with = "de_u32")]
    pub primary: u32,
    /// Secondary slot address.
    #[serde(deserialize_with = "de_u32")]
    pub secondary: u32,
    /// Size of each slot.
    #[serde(deserialize_with = "de_u32")]
    pub slot_size: u32,
    /// Image header size the SDK signs with.
    #[serde(deserialize_with = "de_u32")]
    pub header_size: u32,
    /// Flash write alignment (`--align`).
    pub align: u32,
    /// `MCUBOOT_MAX_IMG_SECTORS`.
    pub max_sectors: u32,
    /// Signature algorithm of the build (`rsa-2048`, `rsa-3072`, `ecdsa-p256`,
    /// `ecdsa-p384`, `ed25519`, `none`).
    pub signature: String,
    /// Where the values come from.
    #[serde(rename = "_note", default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
struct File {
    #[serde(rename = "_note")]
    _note: String,
    layouts: Vec<SlotLayout>,
}

/// Every layout.
pub fn all() -> &'static [SlotLayout] {
    static ALL: OnceLock<Vec<SlotLayout>> = OnceLock::new();
    ALL.get_or_init(|| {
        serde_json::from_str::<File>(DATA)
            .map(|f| f.layouts)
            .unwrap_or_default()
    })
}

/// The layout of a family (by canonical name).
pub fn for_family(name: &str) -> Option<&'static SlotLayout> {
    all().iter().find(|l| l.family.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_parses_and_fits_its_family() {
        let f: File = serde_json::from_str(DATA).unwrap();
        assert_eq!(f.layouts.len(), all().len());
        for l in all() {
            let fam = crate::family::family(&l.family).expect("known family");
            assert!(
                l.primary + l.slot_size <= l.secondary || l.secondary + l.slot_size <= l.primary
            );
            assert!(l.bootloader < l.primary.min(l.secondary));
            let fits = |a: u32| {
                fam.flash
                    .iter()
                    .any(|r| r.window().contains(a, u64::from(l.slot_size)))
                    || fam
                        .flexspi
                        .as_ref()
                        .is_some_and(|n| n.window.contains(a, u64::from(l.slot_size)))
            };
            assert!(fits(l.primary) && fits(l.secondary), "{}", l.family);
            assert!(matches!(l.align, 1 | 2 | 4 | 8 | 16 | 32));
        }
    }
}
