//! MBI decoder of every family with master boot images (certificate block v1: LPC55S0x/1x/
//! 2x/6x, RT5xx/6xx; v2.1: LPC55S3x, MCX N, RW61x): never panics; verification (signature,
//! CRC, HMAC) of anything decoded never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::mbi::Mbi;

fuzz_target!(|data: &[u8]| {
    for f in provkit::family::image_families() {
        if let Ok(m) = Mbi::decode(data, f) {
            let _ = m.verify(None);
            let _ = m.verify_hmac(&[0u8; 32]);
            let _ = m.app();
            let _ = m.to_string();
        }
    }
});
