//! The debug mailbox (DM-AP) and the ROM side of debug authentication, served on a TCP
//! socket (`devsim mcu --dm-listen HOST:PORT`).
//!
//! * [`DebugPort`]: the access ports a debug probe sees: the DM-AP (at the family's index)
//!   with the ROM's word protocol and DAT policy ([`rom`]), and memory access through the
//!   AHB-AP, which works only for the debug domains that are open.
//! * [`server`]: the socket protocol (one text line per register access; documented there
//!   and in the README), which `dat-tool --probe sim:HOST:PORT` speaks.
//! * [`DmOptions`]: the simulator's answers to the questions the references leave open
//!   (`--dm-opt KEY=VALUE`, reference `dat.md` section 10).

pub mod rom;
pub mod server;

pub use rom::DebugPort;
pub use server::DmServer;

use provkit::dat::ProtocolVersion;
use std::str::FromStr;

/// The lifecycle the debug subsystem acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Development: every debug domain is open from reset.
    Develop,
    /// Deployed (in-field): the SOCU PIN/DFLT settings apply; DAT opens the rest.
    Deployed,
    /// Locked: debug closed, debug authentication refused.
    Locked,
}

/// How the CFPA's NS copies combine with the CMPA's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// The NS words only add restriction: PIN = CMPA | NS, DFLT = CMPA & NS (valid NS only).
    And,
    /// The CMPA words alone.
    Cmpa,
}

/// What the RoT hash field of the DAC carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DacRkth {
    /// The family's rule: the RKTH, or zeros where the family sends no usable hash (RW61x).
    Auto,
    /// Always the RKTH.
    Rkth,
    /// Always zeros.
    Zero,
}

/// Knobs for what the references leave open (reference section 10), and test settings.
///
/// `--dm-opt` takes `KEY=VALUE` items, comma separated or repeated:
///
/// | key | values (default first) | meaning |
/// |---|---|---|
/// | `version` | inferred, `1.0` `1.1` `2.0` `2.1` `2.2` | protocol of the DAC; inferred: RSA families 1.0, ECC families 2.1 when the RKTH field's bytes 32..48 are non-zero, else 2.0 |
/// | `revision` | latest, `a0`, ... | silicon revision (SOCC on MCX N: a0 6, a1 7) |
/// | `lifecycle` | from the family's lifecycle field (below 0x07 develop) or `deployed`; `develop` `deployed` `locked` | |
/// | `fail-status` | `0x00100003` | status word of a rejected DAR |
/// | `reset-on-fail` | `0`, `1` | a rejected DAR also drops the challenge |
/// | `header-bit31` | `0`, `1` | set bit 31 in response headers |
/// | `dac-socu-inverse` | `0`, `1` | DAC pinned/default words carry the inverse in bits 31..16 |
/// | `socu-combine` | `and`, `cmpa` | how CFPA NS words combine with CMPA words |
/// | `check-vu` | `0`, `1` | reject a DC whose CC_VU differs from the device's |
/// | `resp-without-start` | `reject`, `last` | a DAR with no challenge since the last reset: fail, or check against the last challenge issued |
/// | `beacon-defers` | `1`, `0` | a non-zero credential beacon leaves opening debug to the application (nothing opens) |
/// | `challenge` | random, 64 hex digits | fixed challenge |
/// | `dac-rkth` | `auto`, `rkth`, `zero` | RoT hash field of the DAC |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmOptions {
    /// DAC protocol version; `None` infers it.
    pub version: Option<ProtocolVersion>,
    /// Silicon revision.
    pub revision: Option<String>,
    /// Lifecycle override.
    pub lifecycle: Option<Lifecycle>,
    /// Status word of a rejected DAR.
    pub fail_status: u32,
    /// Drop the challenge on a rejected DAR.
    pub reset_on_fail: bool,
    /// Bit 31 in response headers.
    pub header_bit31: bool,
    /// Inverse halves in the DAC's SOCU words.
    pub dac_socu_inverse: bool,
    /// CMPA/CFPA combination.
    pub socu_combine: Combine,
    /// Enforce CC_VU equality.
    pub check_vu: bool,
    /// Accept a DAR against the last challenge even across resets.
    pub resp_without_start_last: bool,
    /// Non-zero credential beacon defers opening to the application.
    pub beacon_defers: bool,
    /// Fixed challenge.
    pub challenge: Option<[u8; 32]>,
    /// DAC RoT hash field.
    pub dac_rkth: DacRkth,
}

impl Default for DmOptions {
    fn default() -> Self {
        DmOptions {
            version: None,
            revision: None,
            lifecycle: None,
            fail_status: 0x0010_0003,
            reset_on_fail: false,
            header_bit31: false,
            dac_socu_inverse: false,
            socu_combine: Combine::And,
            check_vu: false,
            resp_without_start_last: false,
            beacon_defers: true,
            challenge: None,
            dac_rkth: DacRkth::Auto,
        }
    }
}

fn flag(key: &str, v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{key}={v}: expected 0 or 1")),
    }
}

impl DmOptions {
    /// Applies `KEY=VALUE[,KEY=VALUE...]`.
    pub fn apply(&mut self, spec: &str) -> Result<(), String> {
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| format!("'{item}': expected KEY=VALUE"))?;
            let (k, v) = (k.trim(), v.trim());
            match k {
                "version" => {
                    let (a, b) = v
                        .split_once('.')
                        .ok_or_else(|| format!("version={v}: expected MAJOR.MINOR"))?;
                    let pv = ProtocolVersion {
                        major: a.parse().map_err(|_| format!("version={v}"))?,
                        minor: b.parse().map_err(|_| format!("version={v}"))?,
                    };
                    if pv.key_type().is_none() {
                        return Err(format!("version={v}: one of 1.0 1.1 2.0 2.1 2.2"));
                    }
                    self.version = Some(pv);
                }
                "revision" => self.revision = Some(v.to_ascii_lowercase()),
                "lifecycle" => {
                    self.lifecycle = Some(match v {
                        "develop" => Lifecycle::Develop,
                        "deployed" | "in-field" => Lifecycle::Deployed,
                        "locked" => Lifecycle::Locked,
                        _ => return Err(format!("lifecycle={v}: develop, deployed or locked")),
                    })
                }
                "fail-status" => {
                    self.fail_status =
                        provkit::codec::parse_u32(v).map_err(|e| format!("fail-status: {e}"))?;
                    if self.fail_status >> 20 == 0 {
                        return Err(format!(
                            "fail-status={v}: an error word needs bits 31..20 set, or hosts take it for success"
                        ));
                    }
                }
                "reset-on-fail" => self.reset_on_fail = flag(k, v)?,
                "header-bit31" => self.header_bit31 = flag(k, v)?,
                "dac-socu-inverse" => self.dac_socu_inverse = flag(k, v)?,
                "socu-combine" => {
                    self.socu_combine = match v {
                        "and" => Combine::And,
                        "cmpa" => Combine::Cmpa,
                        _ => return Err(format!("socu-combine={v}: and or cmpa")),
                    }
                }
                "check-vu" => self.check_vu = flag(k, v)?,
                "resp-without-start" => {
                    self.resp_without_start_last = match v {
                        "reject" => false,
                        "last" => true,
                        _ => return Err(format!("resp-without-start={v}: reject or last")),
                    }
                }
                "beacon-defers" => self.beacon_defers = flag(k, v)?,
                "challenge" => {
                    let b = provkit::codec::from_hex(v).map_err(|e| format!("challenge: {e}"))?;
                    let c: [u8; 32] = b
                        .try_into()
                        .map_err(|_| "challenge: 32 bytes (64 hex digits)".to_string())?;
                    self.challenge = Some(c);
                }
                "dac-rkth" => {
                    self.dac_rkth = match v {
                        "auto" => DacRkth::Auto,
                        "rkth" => DacRkth::Rkth,
                        "zero" => DacRkth::Zero,
                        _ => return Err(format!("dac-rkth={v}: auto, rkth or zero")),
                    }
                }
                _ => return Err(format!("unknown --dm-opt key '{k}'")),
            }
        }
        Ok(())
    }
}

impl FromStr for DmOptions {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut o = DmOptions::default();
        o.apply(s)?;
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_and_reject_nonsense() {
        let mut o = DmOptions::default();
        o.apply("version=2.1, revision=A0,lifecycle=locked")
            .unwrap();
        o.apply("fail-status=0x00100002,header-bit31=1,resp-without-start=last")
            .unwrap();
        assert_eq!(o.version, Some(ProtocolVersion { major: 2, minor: 1 }));
        assert_eq!(o.revision.as_deref(), Some("a0"));
        assert_eq!(o.lifecycle, Some(Lifecycle::Locked));
        assert_eq!(o.fail_status, 0x0010_0002);
        assert!(o.header_bit31 && o.resp_without_start_last);
        o.apply(&format!("challenge={}", "ab".repeat(32))).unwrap();
        assert_eq!(o.challenge, Some([0xAB; 32]));
        for bad in [
            "version=3.1",
            "fail-status=0x3",
            "socu-combine=or",
            "nosuch=1",
            "check-vu=maybe",
            "challenge=00",
            "version",
        ] {
            assert!(DmOptions::default().apply(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_simulated_family_has_a_debug_port() {
        for f in provkit::family::all() {
            let p = DebugPort::new(f, DmOptions::default()).unwrap();
            assert_eq!(p.dat_family().name, f.name);
        }
    }
}
