#![no_main]
//! Arbitrary UTF-8 text (invalid bytes replaced) with arbitrary options: smskit-segment never
//! panics and every invariant of the spec holds (see `checks/segment.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "../checks/segment.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
