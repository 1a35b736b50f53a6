#![no_main]
//! Placeholder until the links_rewrite target lands.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = data;
});
