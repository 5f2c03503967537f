//! Motorola S-record reader: never panics; what it reads writes back (every address width)
//! and reads back as the same image.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::image::{AddressWidth, SrecOptions, parse_srec, write_srec};

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = parse_srec("fuzz.s19", data) {
        for width in [
            AddressWidth::Auto,
            AddressWidth::AtLeast24,
            AddressWidth::Always32,
        ] {
            let options = SrecOptions::srec_cat().with_address_width(width);
            if let Ok(text) = write_srec(&img, &options) {
                let back = parse_srec("back.s19", text.as_bytes()).expect("own output reads back");
                assert_eq!(back, img);
            }
        }
    }
});
