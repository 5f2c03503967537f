//! Intel HEX reader: never panics; what it reads writes back (srec_cat and SPSDK styles) and
//! reads back as the same image.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::image::{IhexOptions, parse_ihex, write_ihex};

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = parse_ihex("fuzz.hex", data) {
        for options in [
            IhexOptions::srec_cat(),
            IhexOptions::spsdk().with_record_size(7),
        ] {
            if let Ok(text) = write_ihex(&img, &options) {
                let back = parse_ihex("back.hex", text.as_bytes()).expect("own output reads back");
                assert_eq!(back, img);
            }
        }
    }
});
