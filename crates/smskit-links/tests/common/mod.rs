//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub, missing_docs)]

/// The unit tests' SplitMix64, so that a seed draws the same codes in every test.
#[path = "../../src/test_rng.rs"]
mod test_rng;

pub(crate) use test_rng::SplitMix64;
