//! Debug authentication challenge decoder: never panics; parse -> encode is byte-identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::dat::Dac;

fuzz_target!(|data: &[u8]| {
    if let Ok(dac) = Dac::parse(data) {
        assert_eq!(dac.encode(), data);
        assert_eq!(Dac::from_words(&dac.to_words()).unwrap(), dac);
    }
});
