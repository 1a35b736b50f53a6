#![no_main]
//! Placeholder until the filter_parse target lands.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = data;
});
