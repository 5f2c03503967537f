//! `sbgen rkth -f FAMILY KEY...`: the RKTH of a root key set and the value of the device
//! field it goes into (CMPA `ROTKH` or OTP `RKTH` words). Certificate block v1 families
//! (SB2.1: LPC55S6x, RT5xx) take RSA root keys, the others ECC keys.

use crate::error::{Failure, Result, usage};
use crate::output;
use provkit::certblock::{RkthLocation, rkth_of_keys};
use provkit::codec::to_hex;
use provkit::crypto::PublicKey;
use std::fmt::Write as _;
use std::path::Path;

/// Runs the command.
pub fn run(
    family: &str,
    keys: &[std::path::PathBuf],
    out_file: Option<&Path>,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let fam = crate::family::image_family(family)?;
    let v1 = crate::certblock::is_v1_family(fam);
    let mut pubs = Vec::new();
    for k in keys {
        if !k.exists() {
            return Err(Failure::Io(format!("{}: no such file", k.display())));
        }
        let key = PublicKey::from_file(k).map_err(|e| usage(e.to_string()))?;
        if key.rsa_n_e().is_some() != v1 {
            return Err(usage(format!(
                "{}: {} key, but {} takes {} root keys (certificate block {})",
                k.display(),
                key.key_type(),
                fam.name,
                if v1 { "RSA" } else { "ECC" },
                if v1 { "v1" } else { "v2.1" }
            )));
        }
        pubs.push(key);
    }
    let rkth = rkth_of_keys(&pubs).map_err(|e| usage(e.to_string()))?;
    if let Some(p) = out_file {
        output::write_file(p, &rkth)?;
    }
    let loc = RkthLocation::for_image_family(fam, &rkth);
    let mut text = format!("RKTH: {}\n", to_hex(&rkth));
    let mut field = serde_json::Value::Null;
    match &loc {
        Some(RkthLocation::Cmpa {
            cmpa,
            offset,
            bytes,
        }) => {
            let _ = writeln!(
                text,
                "CMPA ROTKH at 0x{:08X} (CMPA 0x{cmpa:08X} + 0x{offset:X}), {} bytes: {}",
                cmpa + offset,
                bytes.len(),
                to_hex(bytes)
            );
            field = serde_json::json!({
                "area": "cmpa",
                "cmpa_address": format!("0x{cmpa:08X}"),
                "offset": format!("0x{offset:X}"),
                "address": format!("0x{:08X}", cmpa + offset),
                "value": to_hex(bytes),
            });
        }
        Some(RkthLocation::Otp { words }) => {
            let _ = writeln!(text, "OTP RKTH fuse words (index: value):");
            for (i, w) in words {
                let _ = writeln!(text, "  {i}: 0x{w:08X}");
            }
            field = serde_json::json!({
                "area": "otp",
                "words": words.iter().map(|(i, w)| serde_json::json!({"index": i, "value": format!("0x{w:08X}")})).collect::<Vec<_>>(),
            });
        }
        None => {}
    }
    if json {
        let v = serde_json::json!({
            "family": fam.name,
            "rkth": to_hex(&rkth),
            "keys": pubs.len(),
            "field": field,
        });
        output::print(
            out,
            &format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
        )
    } else {
        output::print(out, &text)
    }
}
