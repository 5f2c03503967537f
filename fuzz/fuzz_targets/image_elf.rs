//! ELF reader: never panics on any bytes (truncated headers, tables and segments, absurd
//! counts and offsets); what it reads flattens and converts to S-records consistently.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::image::{SrecOptions, parse_elf, parse_srec, write_srec};

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = parse_elf("fuzz.elf", data) {
        assert!(!img.is_empty());
        if let Ok(text) = write_srec(&img, &SrecOptions::default()) {
            let back = parse_srec("back.s19", text.as_bytes()).expect("own output reads back");
            assert_eq!(back, img);
        }
        // Flattening never panics (a huge span is refused; keep the fuzzer's memory small).
        if img.span() < 1 << 24 {
            let (start, bin) = img.to_bin(0xFF).expect("small span flattens");
            assert_eq!(Some(start), img.start());
            assert_eq!(bin.len() as u64, img.span());
        }
    }
});
