//! Family lookup for the image commands (MBI, certificate blocks, SB2.1): the simulated
//! families of `families.json` and its image-only ones (LPC55S0x/1x/2x, RT533S/555S/685S),
//! through [`provkit::family::image_family`].

use crate::error::{Result, usage};
use provkit::family::ImageFamily;

/// Names of the image families that satisfy `pred`, in database order.
pub fn names_where(pred: impl Fn(&ImageFamily) -> bool) -> Vec<&'static str> {
    provkit::family::image_families()
        .iter()
        .filter(|f| pred(f))
        .map(|f| f.name.as_str())
        .collect()
}

/// Looks up a family (simulated or image-only) by name or alias, ignoring case; the error
/// lists the known names.
pub fn image_family(name: &str) -> Result<&'static ImageFamily> {
    provkit::family::image_family(name).ok_or_else(|| {
        usage(format!(
            "unknown family '{name}' (families: {})",
            names_where(|_| true).join(", ")
        ))
    })
}

/// Looks up a family that takes master boot images (cert block v1 or v2.1).
pub fn mbi_family(name: &str) -> Result<&'static ImageFamily> {
    let has_mbi = |f: &ImageFamily| f.secure_boot.is_some();
    let f = provkit::family::image_family(name).filter(|f| has_mbi(f));
    f.ok_or_else(|| {
        usage(format!(
            "family '{name}' takes no master boot images here (MBI families: {})",
            names_where(has_mbi).join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_and_v21_families_resolve_and_errors_list_names() {
        for n in [
            "lpc55s69",
            "LPC55S66",
            "lpc55s16",
            "lpc55s14",
            "lpc55s06",
            "lpc55s04",
            "lpc55s26",
            "lpc55s28",
            "mimxrt595s",
            "mimxrt555s",
            "mimxrt533s",
            "mimxrt685s",
            "lpc55s36",
            "mcxn947",
            "rw612",
        ] {
            let f = mbi_family(n).unwrap_or_else(|e| panic!("{n}: {e}"));
            assert!(f.matches(n));
        }
        assert_eq!(image_family("lpc55s14").unwrap().name, "lpc55s16");
        assert!(image_family("lpc55s16").unwrap().device.is_none());
        assert!(image_family("lpc55s66").unwrap().device.is_some());
        let e = image_family("nosuch").unwrap_err().to_string();
        assert!(e.contains("lpc55s69") && e.contains("mimxrt685s"), "{e}");
        assert_eq!(
            mbi_family("nosuch").unwrap_err().exit_code(),
            2,
            "usage error"
        );
    }
}
