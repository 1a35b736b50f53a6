#![no_main]
//! Arbitrary bytes as domain text: no panic, no stack overflow, errors with valid spans,
//! parsed domains that print back to themselves.

use libfuzzer_sys::fuzz_target;

#[path = "../checks/filter_parse.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
