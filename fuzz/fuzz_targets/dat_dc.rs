//! Debug credential decoder: never panics; parse -> encode is byte-identical; verification
//! of whatever parses never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::dat::DebugCredential;

fuzz_target!(|data: &[u8]| {
    if let Ok(dc) = DebugCredential::parse(data) {
        assert_eq!(dc.encode().unwrap(), data);
        assert_eq!(dc.encoded_len(), data.len());
        let _ = dc.verify(None, Some(&[0u8; 32]));
    }
});
