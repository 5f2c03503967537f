//! SB3.1 container decoder, verifier and plaintext command decoder: never panic, never
//! allocate by a length field; a decoded command list re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::sb31::{CommandStream, Container, command};

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Container::decode(data) {
        let _ = c.verify(None);
        let _ = c.commands(Some(&[0x11; 32]), 0);
        let _ = c.commands(None, 0);
    }
    // The same bytes as a decrypted payload.
    if let Ok(cmds) = command::decode_section(data) {
        let mut again = command::encode_section(&cmds);
        again.resize(data.len().max(again.len()), 0);
        assert_eq!(&again[..data.len()], data);
    }
    let mut s = CommandStream::new(1 << 16);
    for chunk in data.chunks(37) {
        if s.push(chunk).is_err() {
            break;
        }
    }
});
