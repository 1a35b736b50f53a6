//! The crate's error type.

use smskit_segment::Currency;

/// Everything that can go wrong in this crate.
///
/// Every variant names the offending input so that a caller can act on it (show it to the user,
/// fix the configuration, wait for a version to finish). Versions are named by their position in
/// the slice the caller passed (0-based).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The test share `pc` is outside 1..=100.
    #[error("invalid A/B test share {pc}%: it must be an integer percentage from 1 to 100")]
    InvalidShare {
        /// The rejected percentage.
        pc: u32,
    },
    /// An A/B test, a comparison or a winner selection was given no version at all.
    #[error("an A/B test needs at least one version, got none")]
    NoVersions,
    /// An A/B test with more versions than [`MAX_VERSIONS`](crate::MAX_VERSIONS).
    #[error("an A/B test has at most {max} versions, got {versions}")]
    TooManyVersions {
        /// How many versions were given.
        versions: usize,
        /// The most allowed.
        max: usize,
    },
    /// A comparison between versions was given fewer than two.
    #[error("a comparison needs at least two versions, got {versions}")]
    TooFewVersions {
        /// How many versions were given.
        versions: usize,
    },
    /// No version has finished sending, so there is nothing to choose a winner from.
    #[error("no version of the A/B test has finished sending yet: there is no winner to choose")]
    NoFinishedVersion,
    /// A version was chosen manually before it finished sending.
    #[error("version {version} has not finished sending and cannot be chosen as the winner")]
    VersionNotFinished {
        /// Position of the version.
        version: usize,
    },
    /// A version index does not exist.
    #[error("there is no version {version}: the A/B test has {versions} version(s)")]
    UnknownVersion {
        /// The requested position.
        version: usize,
        /// How many versions exist.
        versions: usize,
    },
    /// A finished version has no value for the metric the winner is chosen by.
    #[error("version {version} has finished but has no value for the selection metric")]
    MissingMetric {
        /// Position of the version.
        version: usize,
    },
    /// Versions report the metric in different kinds (a count for one, an amount for another).
    #[error(
        "version {version} reports the metric as a {found}, but earlier versions as a {expected}"
    )]
    MixedMetrics {
        /// Position of the first version whose kind differs.
        version: usize,
        /// The kind of the earlier versions (`count` or `amount`).
        expected: &'static str,
        /// The kind of this version.
        found: &'static str,
    },
    /// Versions report amounts in different currencies, which cannot be compared.
    #[error(
        "version {version} reports its amount in {found}, but earlier versions in {expected}: \
         amounts in different currencies cannot be compared"
    )]
    MixedCurrencies {
        /// Position of the first version whose currency differs.
        version: usize,
        /// The currency of the earlier versions.
        expected: Currency,
        /// The currency of this version.
        found: Currency,
    },
    /// More successes (clicks) than trials (messages).
    #[error("{successes} successes out of {trials} trials: successes cannot exceed trials")]
    SuccessesExceedTrials {
        /// The successes given.
        successes: u64,
        /// The trials given.
        trials: u64,
    },
    /// A significance level outside the open interval (0, 1) (or not a number).
    #[error("invalid significance level alpha = {alpha}: it must lie strictly between 0 and 1")]
    InvalidAlpha {
        /// The rejected value.
        alpha: f64,
    },
    /// A statistical power outside the open interval (0.5, 1) (or not a number). Below one half
    /// the sample-size formula stops shrinking with the power and grows again.
    #[error(
        "invalid power {power}: it must lie strictly between 0.5 and 1 (below 0.5 the required \
         sample size no longer shrinks with the power)"
    )]
    InvalidPower {
        /// The rejected value.
        power: f64,
    },
    /// A baseline rate outside the open interval (0, 1) (or not a number).
    #[error("invalid baseline rate {baseline}: it must lie strictly between 0 and 1")]
    InvalidBaseline {
        /// The rejected value.
        baseline: f64,
    },
    /// A minimum detectable effect of zero, not a number, or one that moves the rate outside (0, 1).
    #[error(
        "invalid minimum detectable effect {mde} for baseline {baseline}: it must be non-zero and \
         baseline + effect must lie strictly between 0 and 1"
    )]
    InvalidEffect {
        /// The baseline rate it applies to.
        baseline: f64,
        /// The rejected absolute effect.
        mde: f64,
    },
    /// The required sample size does not fit in a `u64` (the effect is far too small to detect).
    #[error(
        "the required sample size is too large to represent (the detectable effect is too small)"
    )]
    SampleSizeOverflow,
    /// A summary of an amount metric that cannot describe a sample.
    #[error("invalid sample summary: {reason}")]
    InvalidSummary {
        /// What is wrong (`mean is not finite`, `variance is negative`, ...).
        reason: &'static str,
    },
    /// Welch's test needs at least two observations per version to estimate a variance.
    #[error("Welch's t-test needs at least 2 observations per version, got {n}")]
    InsufficientData {
        /// The too-small sample size.
        n: u64,
    },
    /// The inputs are so large that the statistic overflows `f64`.
    #[error("the inputs are too large: the test statistic overflows")]
    NumericOverflow,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
