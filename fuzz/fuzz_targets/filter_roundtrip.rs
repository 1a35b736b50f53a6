#![no_main]
//! An arbitrary domain built from the bytes: print -> parse -> equal.

use libfuzzer_sys::fuzz_target;

#[path = "../checks/filter_roundtrip.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
