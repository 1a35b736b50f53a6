#![no_main]
//! Rewrites arbitrary text to tracked short links and checks the invariants of smskit-links
//! (text outside links kept, idempotence, personalisation, GSM-7 short links, no panic).

#[path = "../checks/links_rewrite.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    checks::check(data);
});
