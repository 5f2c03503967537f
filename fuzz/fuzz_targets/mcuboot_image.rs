//! MCUboot image parser, imgtool-verify, dumpinfo and the bootloader validator: never
//! panic; parse -> encode is byte-identical for little-endian images.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provkit::mcuboot::build::{ImageHash, SigAlg};
use provkit::mcuboot::image::Endian;
use provkit::mcuboot::validate::{BootConfig, validate};
use provkit::mcuboot::{McubootImage, dumpinfo, verify};

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = McubootImage::parse(data) {
        if img.endian == Endian::Little {
            assert_eq!(img.encode().expect("re-encode"), data);
        }
        let _ = img.security_counter();
        let _ = img.dependencies();
    }
    let _ = verify::verify(data, None);
    if let Ok(info) = dumpinfo::read("fuzz.bin", data) {
        let _ = dumpinfo::human(&info);
        let _ = dumpinfo::json(&info);
        let _ = dumpinfo::yaml(&info);
    }
    let mut cfg = BootConfig::signed(SigAlg::Ed25519, Vec::new());
    let _ = validate(data, data.len(), &cfg, false);
    cfg.sig = None;
    cfg.hash = ImageHash::Sha512;
    cfg.tlv_allow_list = true;
    let _ = validate(data, data.len() / 2, &cfg, false);
});
