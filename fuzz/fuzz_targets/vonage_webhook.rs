#![no_main]
//! Arbitrary Vonage webhook bodies, secrets and signature methods: reading, verifying and
//! parsing never panic, nothing unsigned is parsed, and signatures round-trip (see
//! `checks/vonage_webhook.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "../checks/vonage_webhook.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check(data));
