#![no_main]
//! Arbitrary Twilio status-callback form bodies (and auth tokens): parsing never panics,
//! reports are consistent with their input, and signatures round-trip (see
//! `checks/twilio_callback.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "../checks/twilio_callback.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
