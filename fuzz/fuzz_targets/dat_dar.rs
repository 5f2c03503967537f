//! Debug authentication response decoder: never panics; parse -> encode is byte-identical;
//! signature checks of whatever parses never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::dat::Dar;

fuzz_target!(|data: &[u8]| {
    if let Ok(dar) = Dar::parse(data) {
        assert_eq!(dar.encode().unwrap(), data);
        let _ = dar.verify_signature(&[0u8; 32]);
    }
});
