//! Image versions: `maj[.min[.rev[+build]]]` as imgtool reads them, range-checked against the
//! header fields (u8, u8, u16, u32).

use std::fmt;

/// An image version as the header stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ImageVersion {
    /// Major (u8).
    pub major: u8,
    /// Minor (u8).
    pub minor: u8,
    /// Revision (u16).
    pub revision: u16,
    /// Build number (u32).
    pub build: u32,
}

/// A version string that does not parse or does not fit the header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// Not `maj[.min[.rev[+build]]]` with decimal parts without leading zeros.
    #[error("Invalid version number, should be maj.min.rev+build with later parts optional")]
    Syntax,
    /// A part is larger than its header field.
    #[error("version {part} {value} does not fit in the image header (0..={max})")]
    OutOfRange {
        /// `major`, `minor`, `revision` or `build`.
        part: &'static str,
        /// The digits given.
        value: String,
        /// The largest value the field holds.
        max: u64,
    },
}

impl ImageVersion {
    /// Builds a version.
    pub const fn new(major: u8, minor: u8, revision: u16, build: u32) -> Self {
        ImageVersion {
            major,
            minor,
            revision,
            build,
        }
    }

    /// Parses imgtool's grammar `^(0|[1-9]\d*)(\.(0|[1-9]\d*)(\.(0|[1-9]\d*)(\+(0|[1-9]\d*))?)?)?$`:
    /// missing parts are 0, `+build` only after a revision. Unlike imgtool, a part too large
    /// for its header field is an error here instead of a traceback.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        // Split into the dotted part and the optional build.
        let (dotted, build) = match text.split_once('+') {
            Some((d, b)) => (d, Some(b)),
            None => (text, None),
        };
        let parts: Vec<&str> = dotted.split('.').collect();
        if parts.len() > 3 || (build.is_some() && parts.len() != 3) {
            return Err(VersionError::Syntax);
        }
        let all = parts.iter().copied().chain(build);
        for p in all.clone() {
            let ok = !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == "0" || !p.starts_with('0'));
            if !ok {
                return Err(VersionError::Syntax);
            }
        }
        let num =
            |part: &'static str, digits: Option<&str>, max: u64| -> Result<u64, VersionError> {
                let Some(d) = digits else { return Ok(0) };
                match d.parse::<u64>() {
                    Ok(v) if v <= max => Ok(v),
                    _ => Err(VersionError::OutOfRange {
                        part,
                        value: d.to_string(),
                        max,
                    }),
                }
            };
        Ok(ImageVersion {
            major: num("major", parts.first().copied(), u64::from(u8::MAX))? as u8,
            minor: num("minor", parts.get(1).copied(), u64::from(u8::MAX))? as u8,
            revision: num("revision", parts.get(2).copied(), u64::from(u16::MAX))? as u16,
            build: num("build", build, u64::from(u32::MAX))? as u32,
        })
    }

    /// `(major << 24) + (minor << 16) + revision`: imgtool's `--security-counter auto`.
    pub fn security_counter(&self) -> u32 {
        (u32::from(self.major) << 24) + (u32::from(self.minor) << 16) + u32::from(self.revision)
    }

    /// Compares major, minor and revision only (MCUboot's default version comparison,
    /// without `MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER`).
    pub fn cmp_without_build(&self, other: &ImageVersion) -> std::cmp::Ordering {
        (self.major, self.minor, self.revision).cmp(&(other.major, other.minor, other.revision))
    }
}

impl fmt::Display for ImageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}+{}",
            self.major, self.minor, self.revision, self.build
        )
    }
}

impl std::str::FromStr for ImageVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImageVersion::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_matches_imgtool() {
        let v = |s| ImageVersion::parse(s);
        assert_eq!(v("0").unwrap(), ImageVersion::new(0, 0, 0, 0));
        assert_eq!(v("1.2").unwrap(), ImageVersion::new(1, 2, 0, 0));
        assert_eq!(v("1.2.3+4").unwrap(), ImageVersion::new(1, 2, 3, 4));
        assert_eq!(v("10.0.100").unwrap(), ImageVersion::new(10, 0, 100, 0));
        for bad in [
            "", "1.", ".1", "01", "1.02", "1.2+3", "1+3", "1.2.3.4", "1.2.3+", "a", "1.2.3+04",
            " 1", "1.2.3+4 ", "-1",
        ] {
            assert_eq!(v(bad), Err(VersionError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn out_of_range_parts_are_errors_not_tracebacks() {
        assert!(matches!(
            ImageVersion::parse("256"),
            Err(VersionError::OutOfRange { part: "major", .. })
        ));
        assert!(matches!(
            ImageVersion::parse("1.2.65536"),
            Err(VersionError::OutOfRange {
                part: "revision",
                ..
            })
        ));
        assert!(matches!(
            ImageVersion::parse("1.2.3+4294967296"),
            Err(VersionError::OutOfRange { part: "build", .. })
        ));
        assert_eq!(
            ImageVersion::parse("255.255.65535+4294967295").unwrap(),
            ImageVersion::new(255, 255, 65535, u32::MAX)
        );
    }

    #[test]
    fn security_counter_auto_ignores_build() {
        assert_eq!(
            ImageVersion::new(1, 2, 3, 4).security_counter(),
            0x0102_0003
        );
    }
}
