//! Reproducible A/B test samples, winner selection and significance statistics for SMS campaigns.
//!
//! An A/B test sends several versions of a mailing, each to a test share (`pc`) of the audience,
//! then sends the winning version to everyone not yet reached. This crate does the parts that
//! must be right:
//!
//! - **Samples** ([`SamplePlan::assign`]): who receives which version, deterministic from a
//!   [`Seed`] through a documented, platform-independent hash (SipHash-2-4 over a fixed byte
//!   encoding of the record id). The same seed gives the same samples on every machine and in
//!   every version of this crate (golden vectors in `testdata/` lock it); versions never share a
//!   recipient; recipients already traced are skipped; adding recipients does not reshuffle
//!   those already drawn. The algorithm is spelled out in the [`sample`] module.
//! - **Winner** ([`select_winner`]): manual, clicks ratio, or the application's own metric;
//!   only finished versions compete; ties are broken by a documented rule ([`winner`]).
//! - **Significance** ([`stats`], [`bayes`]): the pooled two-proportion z-test with a confidence
//!   interval for the difference, Wilson intervals, Welch's t-test for amounts, the Bayesian
//!   probability to be best, and the sample size a test needs. Degenerate inputs (no trials,
//!   rates of 0 or 1) give defined results or typed errors, never NaN.
//! - **Schedule** ([`FinalSchedule`]): whether the final send is due at an injected `now`.
//!
//! The crate is pure: no clock, no randomness, no I/O. Numerics are hand-written on `libm`
//! (normal and Student t distributions, incomplete beta) and checked against `statrs` in tests.
//!
//! # Example
//!
//! ```
//! use smskit_abtest::{
//!     compare_rates, select_winner, Alpha, Proportion, SamplePlan, Seed, Selection, TestShare,
//!     VersionOutcome,
//! };
//!
//! // Two versions, 10% of the audience each, reproducible from the seed.
//! let audience: Vec<u64> = (1..=5_000).collect();
//! let plan = SamplePlan::new(Seed::new(7), 2)?.with_share(TestShare::new(10)?);
//! let drawn = plan.assign(&audience, &[] as &[u64]);
//! assert_eq!((drawn.samples[0].len(), drawn.samples[1].len()), (500, 500));
//! assert_eq!(drawn.remainder.len(), 4_000);
//!
//! // After sending: 21 and 43 clicks.
//! let outcomes = [VersionOutcome::finished(500, 21), VersionOutcome::finished(500, 43)];
//! let winner = select_winner(&outcomes, Selection::ClicksRatio)?;
//! assert_eq!(winner.version, 1);
//!
//! // Is the lead real?
//! let rates = [Proportion::new(21, 500)?, Proportion::new(43, 500)?];
//! let comparison = compare_rates(&rates, Alpha::FIVE_PERCENT)?;
//! assert!(comparison.significant());
//! assert!(comparison.test.p_value < 0.01);
//! # Ok::<(), smskit_abtest::Error>(())
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---------|---------|---------|
//! | `serde` | yes     | `Serialize`/`Deserialize` on the public data types (and chrono's `serde`) |

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod bayes;
mod error;
pub mod sample;
pub mod schedule;
mod special;
pub mod stats;
pub mod winner;

pub use bayes::probability_best;
pub use error::{Error, Result};
pub use sample::{
    Assignment, MAX_VERSIONS, SAMPLE_KEY_TAG, SampleId, SamplePlan, Seed, TestShare,
    remaining_recipients, sample_hash, sample_size,
};
pub use schedule::{FinalSchedule, FinalSendStatus};
/// The money type of amount metrics, re-exported so that callers need not depend on
/// `smskit-segment` (and match its version) themselves.
pub use smskit_segment::{Currency, Money};
pub use stats::{
    Alpha, Interval, MeanSummary, Proportion, ProportionTest, RateComparison, RateSummary,
    SampleSizePlan, WelchTest, compare_rates, two_proportion_z_test, welch_t_test, wilson_interval,
};
pub use winner::{
    Goal, MetricValue, Selection, VersionOutcome, VersionState, Winner, select_winner,
};
