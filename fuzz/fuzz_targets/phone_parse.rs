#![no_main]
//! Arbitrary text with an arbitrary default country: `smskit_phone::parse` never panics and
//! every number it returns is canonical E.164 that parses back to itself.

use libfuzzer_sys::fuzz_target;

#[path = "../checks/phone_parse.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
