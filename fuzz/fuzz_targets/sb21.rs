//! SB2.1 file decoder, stream loader and command decoder: never panic, never allocate by a
//! length field; a decoded command area re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::codec::Writer;
use provkit::sb21::{self, Loader, Prologue, command};

fuzz_target!(|data: &[u8]| {
    let kek = [0x11u8; 32];
    let _ = sb21::decode(data, &kek, None);
    if let Ok(p) = Prologue::decode(data) {
        let _ = p.unwrap_keys(&kek);
        let _ = p.verify(None);
    }
    let mut l = Loader::new(&kek, None);
    for chunk in data.chunks(61) {
        if l.push(chunk).is_err() {
            break;
        }
    }
    let _ = l.finish();
    // The same bytes as a decrypted command area.
    if let Ok(cmds) = command::decode_commands(data, 0) {
        let mut w = Writer::new();
        for c in &cmds {
            c.encode_into(&mut w);
        }
        assert_eq!(w.as_slice(), data);
    }
});
