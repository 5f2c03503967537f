//! MBI decoder of the cert-block-v2.1 families: never panics; verification of anything
//! decoded never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::mbi::Mbi;

fuzz_target!(|data: &[u8]| {
    for name in ["lpc55s36", "mcxn947", "rw612"] {
        let Some(f) = provkit::family::family(name) else {
            continue;
        };
        if let Ok(m) = Mbi::decode(data, f) {
            let _ = m.verify(None);
            let _ = m.app(f);
            let _ = m.to_string();
        }
    }
});
