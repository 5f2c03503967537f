//! USB-HID report decoder: never panics; the payload re-encodes to the report prefix.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::mboot::usb_hid;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = usb_hid::decode(data) {
        let bytes = usb_hid::encode(r.id, &r.payload, None);
        // Byte 1 is padding the decoder ignores.
        assert_eq!(data[0], bytes[0]);
        assert_eq!(&data[2..bytes.len()], &bytes[2..]);
    }
});
