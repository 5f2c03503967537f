//! Certificate block v2.1 decoder: never panics; decode -> encode is byte-identical;
//! verification of anything decoded never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::certblock::CertBlockV21;

fuzz_target!(|data: &[u8]| {
    if let Ok((cb, n)) = CertBlockV21::decode_prefix(data) {
        assert_eq!(cb.encode(), &data[..n]);
        let _ = cb.verify(Some(&[0u8; 48]));
        let _ = cb.rkth();
    }
});
