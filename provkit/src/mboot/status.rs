//! mboot (NXP MCU bootloader) status codes, with SPSDK 3.12-identical texts.
//!
//! The 447 codes, their labels and descriptions come from SPSDK's `StatusCode` enum
//! (`tests/vectors/blhost/status_codes.tsv`); the table and the named constants are
//! generated into `status_table.rs`.

use std::fmt;

#[path = "status_table.rs"]
mod table;

/// A status code as sent by the bootloader in a generic or command response.
///
/// This is an open enum: any `u32` is representable and unknown values are kept as they are.
/// Named constants (e.g. [`StatusCode::UNKNOWN_PROPERTY`]) exist for every code SPSDK knows,
/// named like SPSDK's `StatusCode` members.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct StatusCode(pub u32);

impl StatusCode {
    /// Alias of [`StatusCode::TP_CONTAINERINVALID`] (80006), SPSDK's `TP_CONTAINERINVALID`.
    pub const TP_CONTAINER_INVALID: StatusCode = StatusCode::TP_CONTAINERINVALID;

    /// The table row of this code. For code 0, which SPSDK defines twice (`Success` and
    /// `TP_SUCCESS`), this is the first one, as SPSDK's lookups return it.
    fn entry(self) -> Option<&'static (u32, &'static str, &'static str)> {
        let i = table::TABLE.partition_point(|e| e.0 < self.0);
        table::TABLE.get(i).filter(|e| e.0 == self.0)
    }

    /// SPSDK's label for this code (e.g. `"UnknownProperty"`), `None` if the code is unknown.
    pub fn label(self) -> Option<&'static str> {
        self.entry().map(|e| e.1)
    }

    /// SPSDK's description (e.g. `"Unknown Property"`), `None` if the code is unknown.
    pub fn description(self) -> Option<&'static str> {
        self.entry().map(|e| e.2)
    }

    /// `true` for [`StatusCode::SUCCESS`] (0) only.
    pub fn is_success(self) -> bool {
        self.0 == 0
    }

    /// `true` if SPSDK knows this code.
    pub fn is_known(self) -> bool {
        self.entry().is_some()
    }

    /// The text SPSDK's `stringify_status_code` gives: `"10300 (0x283c) Unknown Property."`,
    /// or `"99999 (0x1869f) Unknown error code (99999)."` for a code SPSDK does not know.
    pub fn spsdk_text(self) -> String {
        let c = self.0;
        match self.description() {
            Some(d) => format!("{c} ({c:#x}) {d}."),
            None => format!("{c} ({c:#x}) Unknown error code ({c})."),
        }
    }

    /// Looks a code up by its SPSDK label. Like SPSDK's `StatusCode.from_label`, the match
    /// ignores case, and a label SPSDK defines twice (`FLEXSPI_DeviceTimeout` …) yields the
    /// code defined first (6000..=6002 rather than 7000..=7002).
    pub fn from_label(label: &str) -> Option<StatusCode> {
        let wanted = label.to_uppercase();
        // The table is sorted by code; for the duplicated labels, the first-defined code is
        // also the smaller one, so the first hit is SPSDK's answer.
        table::TABLE
            .iter()
            .find(|e| e.1.eq_ignore_ascii_case(&wanted))
            .map(|e| StatusCode(e.0))
    }
}

impl From<u32> for StatusCode {
    fn from(v: u32) -> Self {
        StatusCode(v)
    }
}

impl From<StatusCode> for u32 {
    fn from(s: StatusCode) -> Self {
        s.0
    }
}

impl fmt::Display for StatusCode {
    /// `kStatus_UnknownProperty (10300)` for a known code, `unknown status 0x1869f` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.label() {
            Some(l) => write!(f, "kStatus_{l} ({})", self.0),
            None => write!(f, "unknown status {:#x}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = include_str!("../../../tests/vectors/blhost/status_codes.tsv");

    fn rows() -> Vec<(u32, &'static str, &'static str, &'static str)> {
        TSV.lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                assert_eq!(f.len(), 4, "{l}");
                (f[0].parse().unwrap(), f[1], f[2], f[3])
            })
            .collect()
    }

    #[test]
    fn every_tsv_row() {
        let rows = rows();
        assert_eq!(rows.len(), 447);
        assert_eq!(table::TABLE.len(), 447);
        assert!(table::TABLE.windows(2).all(|w| w[0].0 <= w[1].0));
        for (i, &(code, hex, label, desc)) in rows.iter().enumerate() {
            let s = StatusCode(code);
            assert_eq!(format!("{code:#X}").replace("0X", "0x"), hex);
            assert!(table::TABLE.contains(&(code, label, desc)));
            // The first-defined row of a code is what lookups return (SPSDK's from_tag).
            let first = rows.iter().find(|r| r.0 == code).unwrap();
            assert_eq!(s.label(), Some(first.2));
            assert_eq!(s.description(), Some(first.3));
            assert_eq!(s.spsdk_text(), format!("{code} ({code:#x}) {}.", first.3));
            assert_eq!(s.to_string(), format!("kStatus_{} ({code})", first.2));
            let by_label = rows
                .iter()
                .find(|r| r.2.eq_ignore_ascii_case(label))
                .unwrap();
            assert_eq!(
                StatusCode::from_label(label),
                Some(StatusCode(by_label.0)),
                "{i}"
            );
            assert_eq!(
                StatusCode::from_label(&label.to_lowercase()),
                Some(StatusCode(by_label.0))
            );
        }
    }

    #[test]
    fn named_constants_and_texts() {
        assert_eq!(StatusCode::SUCCESS.0, 0);
        assert_eq!(StatusCode::INVALID_ARGUMENT.0, 4);
        assert_eq!(StatusCode::FLASH_COMMAND_FAILURE.0, 105);
        assert_eq!(StatusCode::QSPI_NOT_CONFIGURED.0, 405);
        assert_eq!(StatusCode::UNSUPPORTED_COMMAND.0, 10006);
        assert_eq!(StatusCode::ROMLDR_SECTION_OVERRUN.0, 10100);
        assert_eq!(StatusCode::ROMLDR_PENDING_RESET_COMMAND.0, 10120);
        assert_eq!(StatusCode::MEMORY_RANGE_INVALID.0, 10200);
        assert_eq!(StatusCode::MEMORY_UNSUPPORTED_COMMAND.0, 10214);
        assert_eq!(StatusCode::INVALID_PROPERTY_VALUE.0, 10302);
        assert_eq!(StatusCode::APP_CRC_CHECK_OUT_OF_RANGE.0, 10404);
        assert_eq!(StatusCode::OTP_CRC_CHECK_PASS.0, 52808);
        assert_eq!(StatusCode::TP_GENERAL_ERROR.0, 80000);
        assert_eq!(StatusCode::TP_CONTAINER_INVALID.0, 80006);
        assert_eq!(
            StatusCode::UNKNOWN_PROPERTY.spsdk_text(),
            "10300 (0x283c) Unknown Property."
        );
        assert_eq!(
            StatusCode::UNKNOWN_PROPERTY.to_string(),
            "kStatus_UnknownProperty (10300)"
        );
        assert!(StatusCode::SUCCESS.is_success() && !StatusCode::FAIL.is_success());
        let tp_ok = StatusCode::from_label("TP_SUCCESS");
        assert_eq!(tp_ok, Some(StatusCode::SUCCESS));
        assert_eq!(
            StatusCode::from_label("flexspi_devicetimeout"),
            Some(StatusCode(6002))
        );
        assert_eq!(StatusCode::from_label("NoSuchLabel"), None);
        assert_eq!(StatusCode::from_label(""), None);
    }

    #[test]
    fn unknown_codes() {
        // Verified live: spsdk.mboot.error_codes.stringify_status_code (3.12.0).
        let u = StatusCode(99999);
        assert!(!u.is_known() && u.label().is_none() && u.description().is_none());
        assert_eq!(
            u.spsdk_text(),
            "99999 (0x1869f) Unknown error code (99999)."
        );
        assert_eq!(u.to_string(), "unknown status 0x1869f");
        assert_eq!(
            StatusCode(u32::MAX).spsdk_text(),
            "4294967295 (0xffffffff) Unknown error code (4294967295)."
        );
    }
}
