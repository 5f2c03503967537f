//! Certificate block v1 decoder: never panics; decode -> encode is byte-identical; checking
//! anything decoded (chain rules, RSA signatures, RKTH, signature length) never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::certblock::CertBlockV1;

fuzz_target!(|data: &[u8]| {
    if let Ok((cb, n)) = CertBlockV1::decode_prefix(data) {
        assert_eq!(cb.encode(1), &data[..n]);
        assert_eq!(cb.encoded_len(16) % 16, 0);
        let _ = cb.verify(Some(&[0u8; 32]));
        let _ = cb.signature_len();
        let _ = cb.signing_key();
        let _ = cb.root_index();
        let _ = cb.certificate_infos();
    }
});
