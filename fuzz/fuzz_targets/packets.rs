//! Packet, command and response decoders: never panic; parse -> encode is
//! byte-identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::mboot::{Command, Packet, Response};

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = Packet::decode(data) {
        assert_eq!(p.encode(), data);
        if let Ok(c) = Command::from_packet(&p) {
            let _ = c.to_packet();
        }
        if let Ok(r) = Response::from_packet(&p) {
            assert_eq!(r.to_packet(), p);
        }
    }
});
