//! UART frame decoder: never panics; every valid frame re-encodes to the bytes it
//! came from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::mboot::uart::{self, Decoded, FrameDecoder};

fuzz_target!(|data: &[u8]| {
    let mut d = FrameDecoder::new();
    // Feed in two pieces to exercise incremental decoding.
    let cut = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    d.push(&data[..cut]);
    let mut frames = Vec::new();
    while let Some(x) = d.next() {
        frames.push(x);
    }
    d.push(&data[cut..]);
    while let Some(x) = d.next() {
        frames.push(x);
    }
    for f in frames {
        if let Decoded::Frame(f) = f {
            let bytes = uart::encode(&f);
            let mut again = FrameDecoder::new();
            again.push(&bytes);
            assert_eq!(again.next(), Some(Decoded::Frame(f)));
        }
    }
});
