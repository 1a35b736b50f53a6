//! Significance: is the leader's lead real, and how many recipients does a test need?
//!
//! - Rates (clicks / messages): [`two_proportion_z_test`] (pooled z-test, two-sided p-value,
//!   Newcombe's hybrid score interval for the difference), [`wilson_interval`] per version,
//!   [`probability_best`](crate::probability_best) (Bayesian), and [`compare_rates`] which puts
//!   them together for a whole test.
//! - Amounts (revenue per recipient...): [`welch_t_test`] from each version's mean, variance and
//!   size.
//! - Planning: [`SampleSizePlan`], the classic per-version size for comparing two rates.
//!
//! Degenerate inputs never produce NaN: a version with no trials has rate 0 and the Wilson
//! interval [0, 1]; a test without any variance (both rates 0, or both 1) has z = 0 and p = 1.

use std::cmp::Ordering;

use crate::error::Error;
use crate::special::{
    normal_critical, normal_quantile, normal_two_sided, student_t_critical, student_t_two_sided,
};
use crate::winner::compare_fractions;

/// A significance level `alpha` in the open interval (0, 1); the confidence level is `1 - alpha`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "f64", into = "f64"))]
pub struct Alpha(f64);

impl Alpha {
    /// The conventional 5% (95% confidence).
    pub const FIVE_PERCENT: Self = Self(0.05);

    /// A significance level.
    ///
    /// # Errors
    /// [`Error::InvalidAlpha`] unless `0 < alpha < 1`.
    ///
    /// ```
    /// use smskit_abtest::Alpha;
    /// assert_eq!(Alpha::new(0.01)?.confidence(), 0.99);
    /// assert!(Alpha::new(0.0).is_err());
    /// assert!(Alpha::new(f64::NAN).is_err());
    /// # Ok::<(), smskit_abtest::Error>(())
    /// ```
    pub fn new(alpha: f64) -> Result<Self, Error> {
        if alpha > 0.0 && alpha < 1.0 {
            Ok(Self(alpha))
        } else {
            Err(Error::InvalidAlpha { alpha })
        }
    }

    /// The significance level.
    #[must_use]
    pub const fn get(self) -> f64 {
        self.0
    }

    /// The confidence level `1 - alpha`.
    #[must_use]
    pub fn confidence(self) -> f64 {
        1.0 - self.0
    }
}

impl Default for Alpha {
    fn default() -> Self {
        Self::FIVE_PERCENT
    }
}

impl TryFrom<f64> for Alpha {
    type Error = Error;
    fn try_from(alpha: f64) -> Result<Self, Error> {
        Self::new(alpha)
    }
}

impl From<Alpha> for f64 {
    fn from(alpha: Alpha) -> Self {
        alpha.0
    }
}

/// Successes out of trials (clicks out of messages), with `successes <= trials`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "ProportionRepr", into = "ProportionRepr")
)]
pub struct Proportion {
    successes: u64,
    trials: u64,
}

/// The serialized form of a [`Proportion`], validated on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct ProportionRepr {
    successes: u64,
    trials: u64,
}

#[cfg(feature = "serde")]
impl TryFrom<ProportionRepr> for Proportion {
    type Error = Error;
    fn try_from(r: ProportionRepr) -> Result<Self, Error> {
        Self::new(r.successes, r.trials)
    }
}

#[cfg(feature = "serde")]
impl From<Proportion> for ProportionRepr {
    fn from(p: Proportion) -> Self {
        Self {
            successes: p.successes,
            trials: p.trials,
        }
    }
}

impl Proportion {
    /// `successes` out of `trials`.
    ///
    /// # Errors
    /// [`Error::SuccessesExceedTrials`] when `successes > trials`.
    ///
    /// ```
    /// use smskit_abtest::Proportion;
    /// let p = Proportion::new(30, 1000)?;
    /// assert_eq!(p.rate(), 0.03);
    /// assert_eq!(Proportion::new(0, 0)?.rate(), 0.0); // no trials: rate 0, never NaN
    /// assert!(Proportion::new(5, 4).is_err());
    /// # Ok::<(), smskit_abtest::Error>(())
    /// ```
    pub fn new(successes: u64, trials: u64) -> Result<Self, Error> {
        if successes > trials {
            return Err(Error::SuccessesExceedTrials { successes, trials });
        }
        Ok(Self { successes, trials })
    }

    /// The successes.
    #[must_use]
    pub const fn successes(self) -> u64 {
        self.successes
    }

    /// The trials.
    #[must_use]
    pub const fn trials(self) -> u64 {
        self.trials
    }

    /// The failures, `trials - successes`.
    #[must_use]
    pub const fn failures(self) -> u64 {
        self.trials - self.successes
    }

    /// `successes / trials`, or 0 when there are no trials.
    #[must_use]
    pub fn rate(self) -> f64 {
        if self.trials == 0 {
            0.0
        } else {
            self.successes as f64 / self.trials as f64
        }
    }

    /// Orders by exact rate (0 without trials), then by trials: the order in which a leader is
    /// chosen.
    fn cmp_lead(self, other: Self) -> Ordering {
        compare_fractions(
            self.successes,
            self.trials.max(1),
            other.successes,
            other.trials.max(1),
        )
        .then(self.trials.cmp(&other.trials))
    }
}

/// A closed interval `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interval {
    /// The lower bound.
    pub low: f64,
    /// The upper bound.
    pub high: f64,
}

impl Interval {
    /// Whether `value` lies in the interval (bounds included).
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// The Wilson score interval of a rate at confidence `1 - alpha` (Wilson 1927): unlike the
/// normal-approximation interval it never leaves [0, 1] and is not degenerate at 0% or 100%.
/// Without trials it is [0, 1].
///
/// ```
/// use smskit_abtest::{wilson_interval, Alpha, Proportion};
/// let ci = wilson_interval(Proportion::new(0, 50)?, Alpha::FIVE_PERCENT);
/// assert_eq!(ci.low, 0.0);
/// assert!((ci.high - 0.0713).abs() < 1e-4);
/// # Ok::<(), smskit_abtest::Error>(())
/// ```
#[must_use]
pub fn wilson_interval(p: Proportion, alpha: Alpha) -> Interval {
    if p.trials == 0 {
        return Interval {
            low: 0.0,
            high: 1.0,
        };
    }
    let z = normal_critical(alpha.0);
    let z2 = z * z;
    let n = p.trials as f64;
    let s = p.successes as f64;
    let f = p.failures() as f64;
    // Multiplied through by n so that s = 0 and s = n stay exact.
    let denom = n + z2;
    let center = (s + z2 / 2.0) / denom;
    let half = z * (s * f / n + z2 / 4.0).sqrt() / denom;
    let low = if p.successes == 0 {
        0.0
    } else {
        (center - half).clamp(0.0, 1.0)
    };
    let high = if p.successes == p.trials {
        1.0
    } else {
        (center + half).clamp(0.0, 1.0)
    };
    Interval { low, high }
}

/// The outcome of a two-proportion z-test of version B against version A.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ProportionTest {
    /// `rate(B) - rate(A)`.
    pub difference: f64,
    /// The z statistic with the pooled standard error (0 when it is undefined).
    pub z: f64,
    /// Two-sided p-value (1 when there is nothing to test).
    pub p_value: f64,
    /// Newcombe's hybrid score interval for the difference at confidence `1 - alpha`.
    pub interval: Interval,
    /// `p_value < alpha`.
    pub significant: bool,
}

/// The pooled two-proportion z-test of `b` against `a` (two-sided), with Newcombe's hybrid score
/// interval (method 10 of Newcombe 1998, built on the Wilson intervals) for `rate(b) - rate(a)`.
///
/// When a version has no trials, or the pooled rate is 0 or 1, there is no evidence of a
/// difference: z = 0 and p = 1.
///
/// ```
/// use smskit_abtest::{two_proportion_z_test, Alpha, Proportion};
/// let a = Proportion::new(200, 4000)?; // 5.0%
/// let b = Proportion::new(260, 4000)?; // 6.5%
/// let test = two_proportion_z_test(a, b, Alpha::FIVE_PERCENT);
/// assert!((test.z - 2.881_586).abs() < 1e-6);
/// assert!(test.p_value < 0.005 && test.significant);
/// assert!(test.interval.contains(0.015));
/// # Ok::<(), smskit_abtest::Error>(())
/// ```
#[must_use]
pub fn two_proportion_z_test(a: Proportion, b: Proportion, alpha: Alpha) -> ProportionTest {
    let (ra, rb) = (a.rate(), b.rate());
    let difference = rb - ra;
    let wa = wilson_interval(a, alpha);
    let wb = wilson_interval(b, alpha);
    let interval = Interval {
        low: (difference - ((rb - wb.low).powi(2) + (wa.high - ra).powi(2)).sqrt()).max(-1.0),
        high: (difference + ((wb.high - rb).powi(2) + (ra - wa.low).powi(2)).sqrt()).min(1.0),
    };
    let (z, p_value) = if a.trials == 0 || b.trials == 0 {
        (0.0, 1.0)
    } else {
        let n = a.trials as f64 + b.trials as f64;
        let pooled_successes = a.successes as f64 + b.successes as f64;
        let pooled_failures = a.failures() as f64 + b.failures() as f64;
        // p(1-p)(1/na + 1/nb) with p = S/n, 1-p = F/n: exact zero when S or F is zero.
        let variance = pooled_successes * pooled_failures / (n * n)
            * (1.0 / a.trials as f64 + 1.0 / b.trials as f64);
        if variance > 0.0 {
            let z = difference / variance.sqrt();
            (z, normal_two_sided(z))
        } else {
            (0.0, 1.0)
        }
    };
    ProportionTest {
        difference,
        z,
        p_value,
        interval,
        significant: p_value < alpha.0,
    }
}

/// One version's line in a [`RateComparison`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RateSummary {
    /// The counts.
    pub proportion: Proportion,
    /// `successes / trials` (0 without trials).
    pub rate: f64,
    /// Wilson interval at confidence `1 - alpha`.
    pub interval: Interval,
    /// Bayesian probability that this version has the highest true rate (uniform priors).
    pub probability_best: f64,
}

/// A whole test's rates compared: per-version summaries, the leader, and the z-test between the
/// two best versions.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RateComparison {
    /// One summary per version, in input order.
    pub versions: Vec<RateSummary>,
    /// Position of the version with the highest rate (ties: more trials, then first).
    pub leader: usize,
    /// Position of the second best version by the same order.
    pub runner_up: usize,
    /// The z-test of the leader against the runner-up.
    pub test: ProportionTest,
}

impl RateComparison {
    /// Whether the leader's lead over the runner-up is significant at the chosen alpha.
    #[must_use]
    pub fn significant(&self) -> bool {
        self.test.significant
    }
}

/// Compares the rates of two or more versions: Wilson intervals at `1 - alpha`, probability to be
/// best, and the pooled z-test between the two best versions (the leader and the runner-up, ranked
/// by exact rate, then by trials, then by position).
///
/// # Errors
/// [`Error::TooFewVersions`] with fewer than two versions, [`Error::TooManyVersions`] with more
/// than [`MAX_VERSIONS`](crate::MAX_VERSIONS).
///
/// ```
/// use smskit_abtest::{compare_rates, Alpha, Proportion};
/// let versions = [Proportion::new(48, 1000)?, Proportion::new(71, 1000)?];
/// let cmp = compare_rates(&versions, Alpha::FIVE_PERCENT)?;
/// assert_eq!(cmp.leader, 1);
/// assert!(cmp.significant());
/// assert!(cmp.versions[1].probability_best > 0.98);
/// # Ok::<(), smskit_abtest::Error>(())
/// ```
pub fn compare_rates(versions: &[Proportion], alpha: Alpha) -> Result<RateComparison, Error> {
    if versions.len() < 2 {
        return Err(Error::TooFewVersions {
            versions: versions.len(),
        });
    }
    // Checked first: the probabilities below refuse too many versions anyway, but after the sort.
    let probabilities = crate::bayes::probability_best(versions)?;
    let mut order: Vec<usize> = (0..versions.len()).collect();
    // Stable sort: equal rates and trials keep input order.
    order.sort_by(|&i, &j| versions[j].cmp_lead(versions[i]));
    let (leader, runner_up) = (order[0], order[1]);
    let summaries = versions
        .iter()
        .zip(probabilities)
        .map(|(&p, probability_best)| RateSummary {
            proportion: p,
            rate: p.rate(),
            interval: wilson_interval(p, alpha),
            probability_best,
        })
        .collect();
    Ok(RateComparison {
        versions: summaries,
        leader,
        runner_up,
        test: two_proportion_z_test(versions[runner_up], versions[leader], alpha),
    })
}

/// The mean, sample variance (with the `n - 1` denominator) and size of one version's amount
/// metric (revenue per recipient...).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MeanSummary {
    /// The sample mean.
    pub mean: f64,
    /// The sample variance, `sum((x - mean)^2) / (n - 1)`.
    pub variance: f64,
    /// The number of observations.
    pub n: u64,
}

impl MeanSummary {
    /// A summary.
    ///
    /// # Errors
    /// [`Error::InvalidSummary`] when the mean or variance is not finite or the variance is
    /// negative.
    pub fn new(mean: f64, variance: f64, n: u64) -> Result<Self, Error> {
        if !mean.is_finite() {
            return Err(Error::InvalidSummary {
                reason: "the mean is not finite",
            });
        }
        if !variance.is_finite() {
            return Err(Error::InvalidSummary {
                reason: "the variance is not finite",
            });
        }
        if variance < 0.0 {
            return Err(Error::InvalidSummary {
                reason: "the variance is negative",
            });
        }
        Ok(Self { mean, variance, n })
    }
}

/// The outcome of Welch's t-test of version B against version A.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WelchTest {
    /// `mean(B) - mean(A)`.
    pub difference: f64,
    /// The t statistic (±infinity when both variances are zero and the means differ).
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom (`n_a + n_b - 2` when both variances are zero).
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Confidence interval of the difference at `1 - alpha`.
    pub interval: Interval,
    /// `p_value < alpha`.
    pub significant: bool,
}

/// Welch's unequal-variances t-test of `b` against `a` (two-sided), for amount metrics.
///
/// # Errors
/// [`Error::InsufficientData`] when a version has fewer than 2 observations,
/// [`Error::InvalidSummary`] for a summary built by hand with non-finite or negative values,
/// [`Error::NumericOverflow`] when the statistic overflows `f64`.
///
/// ```
/// use smskit_abtest::{welch_t_test, Alpha, MeanSummary};
/// let a = MeanSummary::new(20.0, 25.0, 50)?;
/// let b = MeanSummary::new(23.0, 36.0, 60)?;
/// let test = welch_t_test(&a, &b, Alpha::FIVE_PERCENT)?;
/// assert!((test.t - 2.860_388).abs() < 1e-6);
/// assert!(test.significant);
/// # Ok::<(), smskit_abtest::Error>(())
/// ```
pub fn welch_t_test(a: &MeanSummary, b: &MeanSummary, alpha: Alpha) -> Result<WelchTest, Error> {
    for s in [a, b] {
        MeanSummary::new(s.mean, s.variance, s.n)?;
        if s.n < 2 {
            return Err(Error::InsufficientData { n: s.n });
        }
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let difference = b.mean - a.mean;
    let va = a.variance / na;
    let vb = b.variance / nb;
    let se2 = va + vb;
    if !difference.is_finite() || !se2.is_finite() {
        return Err(Error::NumericOverflow);
    }
    if se2 == 0.0 {
        let (t, p_value) = if difference == 0.0 {
            (0.0, 1.0)
        } else {
            (f64::INFINITY.copysign(difference), 0.0)
        };
        return Ok(WelchTest {
            difference,
            t,
            df: na + nb - 2.0,
            p_value,
            interval: Interval {
                low: difference,
                high: difference,
            },
            significant: p_value < alpha.0,
        });
    }
    let se = se2.sqrt();
    let t = difference / se;
    // Scale by the larger term so that the squares cannot overflow.
    let scale = va.max(vb);
    let (sa, sb) = (va / scale, vb / scale);
    let df = (sa + sb).powi(2) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    if !t.is_finite() || !df.is_finite() {
        return Err(Error::NumericOverflow);
    }
    let p_value = student_t_two_sided(t, df);
    let margin = student_t_critical(alpha.0, df) * se;
    Ok(WelchTest {
        difference,
        t,
        df,
        p_value,
        interval: Interval {
            low: difference - margin,
            high: difference + margin,
        },
        significant: p_value < alpha.0,
    })
}

/// Planning a test of two rates: the per-version sample size that detects an absolute change of
/// `mde` from the `baseline` rate with significance `alpha` (two-sided) and the given power.
///
/// `N = ceil((z(1 - alpha/2) * sqrt(2 * pbar * (1 - pbar)) + z(power) * sqrt(p1 * (1 - p1) +
/// p2 * (1 - p2)))^2 / (p2 - p1)^2)` with `p1 = baseline`, `p2 = baseline + mde`,
/// `pbar = (p1 + p2) / 2`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SampleSizePlan {
    /// The current rate, in (0, 1).
    pub baseline: f64,
    /// The smallest absolute change worth detecting (non-zero; `baseline + mde` in (0, 1)).
    pub mde: f64,
    /// Significance level (two-sided), 5% by default.
    pub alpha: Alpha,
    /// Probability of detecting a real change of `mde`, in (0.5, 1); 0.8 by default.
    pub power: f64,
}

impl SampleSizePlan {
    /// A plan with alpha = 0.05 and power = 0.8.
    #[must_use]
    pub const fn new(baseline: f64, mde: f64) -> Self {
        Self {
            baseline,
            mde,
            alpha: Alpha::FIVE_PERCENT,
            power: 0.8,
        }
    }

    /// The same plan with another significance level.
    #[must_use]
    pub const fn with_alpha(self, alpha: Alpha) -> Self {
        Self { alpha, ..self }
    }

    /// The same plan with another power.
    #[must_use]
    pub const fn with_power(self, power: f64) -> Self {
        Self { power, ..self }
    }

    /// The number of recipients each version needs.
    ///
    /// # Errors
    /// [`Error::InvalidBaseline`], [`Error::InvalidEffect`],
    /// [`Error::InvalidPower`] for out-of-range inputs (the power must lie in (0.5, 1)); [`Error::SampleSizeOverflow`]
    /// when the answer does not fit in a `u64`.
    ///
    /// ```
    /// use smskit_abtest::SampleSizePlan;
    /// // 5% -> 6% at alpha 0.05, power 0.8.
    /// assert_eq!(SampleSizePlan::new(0.05, 0.01).per_version()?, 8158);
    /// # Ok::<(), smskit_abtest::Error>(())
    /// ```
    pub fn per_version(&self) -> Result<u64, Error> {
        let p1 = self.baseline;
        if !(p1 > 0.0 && p1 < 1.0) {
            return Err(Error::InvalidBaseline { baseline: p1 });
        }
        let p2 = p1 + self.mde;
        if self.mde == 0.0 || !(p2 > 0.0 && p2 < 1.0) {
            return Err(Error::InvalidEffect {
                baseline: p1,
                mde: self.mde,
            });
        }
        // Below one half the power's quantile is negative and the bracket shrinks to zero and
        // grows again: a lower power would ask for more recipients. Refused, not computed.
        if !(self.power > 0.5 && self.power < 1.0) {
            return Err(Error::InvalidPower { power: self.power });
        }
        let z_alpha = normal_critical(self.alpha.0);
        let z_power = normal_quantile(self.power);
        let pbar = (p1 + p2) / 2.0;
        let root = z_alpha * (2.0 * pbar * (1.0 - pbar)).sqrt()
            + z_power * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
        let n = (root * root / ((p2 - p1) * (p2 - p1))).ceil();
        if !n.is_finite() || n >= 18_446_744_073_709_551_616.0 {
            return Err(Error::SampleSizeOverflow);
        }
        Ok(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_degenerate_cases() {
        let all = wilson_interval(Proportion::new(20, 20).unwrap(), Alpha::FIVE_PERCENT);
        assert_eq!(all.high, 1.0);
        assert!(all.low > 0.8 && all.low < 0.9);
        let none = wilson_interval(Proportion::new(0, 0).unwrap(), Alpha::FIVE_PERCENT);
        assert_eq!((none.low, none.high), (0.0, 1.0));
    }

    #[test]
    fn z_test_degenerate_cases() {
        let zero = Proportion::new(0, 100).unwrap();
        let t = two_proportion_z_test(zero, zero, Alpha::FIVE_PERCENT);
        assert_eq!((t.z, t.p_value, t.significant), (0.0, 1.0, false));
        let full = Proportion::new(100, 100).unwrap();
        let t = two_proportion_z_test(full, full, Alpha::FIVE_PERCENT);
        assert_eq!((t.z, t.p_value), (0.0, 1.0));
        let empty = Proportion::new(0, 0).unwrap();
        let t = two_proportion_z_test(empty, full, Alpha::FIVE_PERCENT);
        assert_eq!((t.z, t.p_value), (0.0, 1.0));
        assert!(t.interval.low.is_finite() && t.interval.high.is_finite());
        let t = two_proportion_z_test(zero, full, Alpha::FIVE_PERCENT);
        assert!(t.p_value < 1e-40 && t.significant);
    }

    #[test]
    fn welch_degenerate_cases() {
        let a = MeanSummary::new(5.0, 0.0, 10).unwrap();
        let b = MeanSummary::new(5.0, 0.0, 10).unwrap();
        let t = welch_t_test(&a, &b, Alpha::FIVE_PERCENT).unwrap();
        assert_eq!((t.t, t.p_value, t.df), (0.0, 1.0, 18.0));
        let c = MeanSummary::new(6.0, 0.0, 10).unwrap();
        let t = welch_t_test(&a, &c, Alpha::FIVE_PERCENT).unwrap();
        assert_eq!((t.t, t.p_value), (f64::INFINITY, 0.0));
        let one = MeanSummary::new(6.0, 0.0, 1).unwrap();
        assert_eq!(
            welch_t_test(&a, &one, Alpha::FIVE_PERCENT),
            Err(Error::InsufficientData { n: 1 })
        );
        assert!(MeanSummary::new(f64::NAN, 1.0, 3).is_err());
        assert!(MeanSummary::new(1.0, -1.0, 3).is_err());
        let huge = MeanSummary::new(f64::MAX, f64::MAX, 2).unwrap();
        let low = MeanSummary::new(-f64::MAX, f64::MAX, 2).unwrap();
        assert_eq!(
            welch_t_test(&low, &huge, Alpha::FIVE_PERCENT),
            Err(Error::NumericOverflow)
        );
    }

    #[test]
    fn sample_size_validation() {
        assert!(matches!(
            SampleSizePlan::new(0.0, 0.01).per_version(),
            Err(Error::InvalidBaseline { .. })
        ));
        assert!(matches!(
            SampleSizePlan::new(0.5, 0.0).per_version(),
            Err(Error::InvalidEffect { .. })
        ));
        assert!(matches!(
            SampleSizePlan::new(0.5, 0.6).per_version(),
            Err(Error::InvalidEffect { .. })
        ));
        assert!(matches!(
            SampleSizePlan::new(0.5, 0.1).with_power(1.0).per_version(),
            Err(Error::InvalidPower { .. })
        ));
        assert_eq!(
            SampleSizePlan::new(0.5, 1e-300).per_version(),
            Err(Error::SampleSizeOverflow)
        );
        // A negative effect (detecting a drop) is allowed.
        assert!(SampleSizePlan::new(0.06, -0.01).per_version().unwrap() > 8000);
    }
}
