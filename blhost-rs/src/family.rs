//! `--family` for get-property / set-property: the chips whose ROM numbers some
//! properties differently (SPSDK's `overridden_properties` in its device database),
//! and `get-families`.

use provkit::mboot::PropertyTag;
use provkit::mboot::property::render;

/// A property a family puts at a non-standard tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Override {
    /// `verify-erase`: "Verify Erase = ENABLE/DISABLE".
    VerifyErase,
    /// `life-cycle`: "Life Cycle State = development/deployment life cycle".
    LifeCycle,
    /// A common property moved to another tag (boot-status, loadable-fw-version, ...).
    Common(PropertyTag),
}

impl Override {
    fn cli_name(self) -> &'static str {
        match self {
            Override::VerifyErase => "verify-erase",
            Override::LifeCycle => "life-cycle",
            Override::Common(t) => t.cli_name().unwrap_or("unknown"),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Override::VerifyErase => "VerifyErase",
            Override::LifeCycle => "LifeCycleState",
            Override::Common(t) => t.label().unwrap_or("Unknown"),
        }
    }
}

const KW45: &[(u32, Override)] = &[
    (10, Override::VerifyErase),
    (20, Override::Common(PropertyTag::BOOT_STATUS_REGISTER)),
    (21, Override::Common(PropertyTag::FIRMWARE_VERSION)),
    (22, Override::Common(PropertyTag::FUSE_PROGRAM_VOLTAGE)),
];
const KW47: &[(u32, Override)] = &[
    (10, Override::VerifyErase),
    (34, Override::Common(PropertyTag::FUSE_PROGRAM_VOLTAGE)),
];
const LC10: &[(u32, Override)] = &[(10, Override::LifeCycle)];
const LC17: &[(u32, Override)] = &[(17, Override::LifeCycle)];

/// (group, overrides, families) from SPSDK's device database (`blhost.overridden_properties`,
/// inherited through device aliases).
/// Overrides: (tag, what the family has there).
type Overrides = &'static [(u32, Override)];

const GROUPS: &[(&str, Overrides, &[&str])] = &[
    (
        "kw45xx / k32w1xx / mcxw71x",
        KW45,
        &[
            "k32w148",
            "kw45b41z5",
            "kw45b41z8",
            "kw45z41052",
            "kw45z41053",
            "kw45z41082",
            "kw45z41083",
            "mcxw716a",
            "mcxw716c",
        ],
    ),
    (
        "kw47xx / mcxw72x",
        KW47,
        &[
            "kw47b42z83",
            "kw47b42z96",
            "kw47b42z97",
            "kw47b42zb2",
            "kw47b42zb3",
            "kw47b42zb6",
            "kw47b42zb7",
            "kw47z42082",
            "kw47z42092",
            "kw47z420b2",
            "kw47z420b3",
            "mcxw727a",
            "mcxw727c",
            "mcxw727d",
        ],
    ),
    (
        "mcxa13x / mcxa14x / mcxa15x (life cycle at 10)",
        LC10,
        &[
            "mcxa132", "mcxa133", "mcxa142", "mcxa143", "mcxa152", "mcxa153",
        ],
    ),
    (
        "mcxa / mcxl / mcxc15x / mimxrt7xx (life cycle at 17)",
        LC17,
        &[
            "mcxa144",
            "mcxa145",
            "mcxa146",
            "mcxa154",
            "mcxa155",
            "mcxa156",
            "mcxa173",
            "mcxa174",
            "mcxa175",
            "mcxa176",
            "mcxa185",
            "mcxa186",
            "mcxa255",
            "mcxa256",
            "mcxa265",
            "mcxa266",
            "mcxa286",
            "mcxa287",
            "mcxa343",
            "mcxa344",
            "mcxa345",
            "mcxa346",
            "mcxa355",
            "mcxa356",
            "mcxa365",
            "mcxa366",
            "mcxa456",
            "mcxa457",
            "mcxa536",
            "mcxa537",
            "mcxa556",
            "mcxa557",
            "mcxa566",
            "mcxa567",
            "mcxa577",
            "mcxc151",
            "mcxc161",
            "mcxc162",
            "mcxl253",
            "mcxl254",
            "mcxl255",
            "mimxrt735s",
            "mimxrt758s",
            "mimxrt798s",
        ],
    ),
];

/// A family selected with `-f`.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    overrides: Overrides,
}

impl Family {
    /// Looks a family up by name (case-insensitive); `Err` lists nothing but says how to
    /// see the names.
    pub fn lookup(name: &str) -> Result<Family, String> {
        let wanted = name.trim().to_ascii_lowercase();
        GROUPS
            .iter()
            .find(|g| g.2.contains(&wanted.as_str()))
            .map(|g| Family { overrides: g.1 })
            .ok_or_else(|| {
                format!(
                    "invalid value '{name}' for '--family': not a family with its own property \
                     numbering (see `blhost get-families -c get-property`)"
                )
            })
    }

    fn at(self, tag: u32) -> Option<Override> {
        self.overrides.iter().find(|o| o.0 == tag).map(|o| o.1)
    }
}

/// SPSDK's `parse_property_tag` with an optional family: a number is used as is; a name
/// is looked up in the family's numbering (common table with the family's overrides),
/// and anything unknown is 0xFF.
pub fn parse_property(s: &str, family: Option<Family>) -> Result<u32, String> {
    let too_big = || format!("property tag '{s}' does not fit in 32 bits");
    let Some(f) = family else {
        return PropertyTag::parse_cli(s).map(|t| t.0).ok_or_else(too_big);
    };
    let is_common_name =
        PropertyTag::known().any(|t| t.label() == Some(s) || t.cli_name() == Some(s));
    if !is_common_name && !is_family_name(f, s) {
        // A number (used as is) or an unknown name (0xFF).
        return PropertyTag::parse_cli(s).map(|t| t.0).ok_or_else(too_big);
    }
    // A name: the family numbering, in SPSDK's order (common tags ascending, overridden
    // ones replaced in place).
    let found = PropertyTag::known()
        .map(|t| t.0)
        .find(|&tag| match f.at(tag) {
            Some(o) => o.cli_name() == s || o.label() == s,
            None => {
                let t = PropertyTag(tag);
                t.cli_name() == Some(s) || t.label() == Some(s)
            }
        });
    Ok(found.unwrap_or(PropertyTag::UNKNOWN.0))
}

fn is_family_name(f: Family, s: &str) -> bool {
    f.overrides
        .iter()
        .any(|o| o.1.cli_name() == s || o.1.label() == s)
}

/// The property text SPSDK prints for `tag` (after the `Response word` lines).
pub fn render_property(tag: u32, values: &[u32], family: Option<Family>) -> String {
    match family.and_then(|f| f.at(tag)) {
        Some(Override::Common(t)) => render(t, values),
        Some(Override::VerifyErase) => match values.first() {
            Some(&v) => format!(
                "Verify Erase = {}",
                if v == 1 { "ENABLE" } else { "DISABLE" }
            ),
            None => "Verify Erase = []".into(),
        },
        Some(Override::LifeCycle) => match values.first() {
            Some(&v) => format!(
                "Life Cycle State = {}",
                if v == 0 || v == 0x5AA5_5AA5 {
                    "development life cycle"
                } else {
                    "deployment life cycle"
                }
            ),
            None => "Life Cycle State = []".into(),
        },
        None => render(PropertyTag(tag), values),
    }
}

/// True if SPSDK knows `tag` (otherwise it logs "Unknown property id").
pub fn is_known_tag(tag: u32, family: Option<Family>) -> bool {
    family.and_then(|f| f.at(tag)).is_some() || PropertyTag(tag).is_known()
}

/// The `get-families` text.
pub fn families_text(cmd_name: Option<&str>) -> String {
    let Some(cmd) = cmd_name else {
        return "Missing option '-c'/'--cmd-name' with this possible options: [get-property, set-property]\n"
            .into();
    };
    let mut s = format!("Shown families for command '{cmd}':\nSupported families:\n");
    for (group, _, names) in GROUPS {
        s.push_str(&format!(" - {group}:\n"));
        for row in names.chunks(6) {
            s.push_str("    ");
            s.push_str(&row.join(", "));
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(parse_property("1", None), Ok(1));
        assert_eq!(parse_property("99", None), Ok(99));
        assert_eq!(parse_property("current-version", None), Ok(1));
        assert_eq!(parse_property("verify-erase", None), Ok(0xFF));
        let kw45 = Family::lookup("KW45B41Z8").unwrap();
        assert_eq!(parse_property("verify-erase", Some(kw45)), Ok(10));
        assert_eq!(parse_property("boot-status", Some(kw45)), Ok(20));
        assert_eq!(
            parse_property("flash-access-segment-size", Some(kw45)),
            Ok(0xFF)
        );
        assert_eq!(parse_property("current-version", Some(kw45)), Ok(1));
        assert_eq!(parse_property("20", Some(kw45)), Ok(20));
        let rt7 = Family::lookup("mimxrt798s").unwrap();
        assert_eq!(parse_property("life-cycle", Some(rt7)), Ok(17));
        assert_eq!(parse_property("security-state", Some(rt7)), Ok(0xFF));
        assert!(Family::lookup("lpc55s69").is_err());
    }

    #[test]
    fn family_rendering() {
        let kw45 = Family::lookup("kw45b41z8").ok();
        assert_eq!(render_property(10, &[1], kw45), "Verify Erase = ENABLE");
        assert_eq!(render_property(10, &[1], None), "Verify Writes = ON");
        assert_eq!(render_property(20, &[5], kw45), "Boot Status Register = 5");
        let rt7 = Family::lookup("mimxrt798s").ok();
        assert_eq!(
            render_property(17, &[0x5AA5_5AA5], rt7),
            "Life Cycle State = development life cycle"
        );
        assert_eq!(
            render_property(17, &[0xC33C_C33C], rt7),
            "Life Cycle State = deployment life cycle"
        );
        assert_eq!(
            render_property(1, &[0x4B03_0000], rt7),
            "Current Version = K3.0.0"
        );
        assert!(is_known_tag(17, rt7) && !is_known_tag(99, rt7));
    }

    #[test]
    fn get_families_text() {
        assert!(families_text(None).starts_with("Missing option '-c'"));
        let t = families_text(Some("get-property"));
        assert!(t.starts_with("Shown families for command 'get-property':\nSupported families:\n"));
        assert!(t.contains("kw45b41z8") && t.contains("mimxrt798s"));
    }
}
