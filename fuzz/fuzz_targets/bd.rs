//! BD command files (`sbgen::bd`): any text converts or fails with one line, in both modes,
//! never panics (deep nesting is bounded, numbers are checked).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for compat in [false, true] {
        if let Err(e) = sbgen::bd::bd_to_config(&text, Path::new("fuzz.bd"), compat) {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
    let _ = sbgen::bd::is_bd(&text);
});
