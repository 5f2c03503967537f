//! Second-stage boot loaders the simulator runs at reset on top of the ROM.
//!
//! * [`mcuboot`]: MCUboot's slot logic (validate, test/confirm trailers, upgrade, revert)
//!   with its console lines.

pub mod mcuboot;

#[cfg(test)]
mod tests;
