//! Significance statistics against the `statrs` oracle (1e-9 relative error on proptest grids),
//! and the promise that no input produces NaN.

use proptest::prelude::*;
use smskit_abtest::{
    Alpha, Error, MeanSummary, Proportion, SampleSizePlan, compare_rates, probability_best,
    two_proportion_z_test, welch_t_test, wilson_interval,
};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).unwrap()
}

fn proportion() -> impl Strategy<Value = Proportion> {
    (1u64..100_000, 0.0f64..=1.0).prop_map(|(n, f)| {
        let s = ((n as f64) * f).floor() as u64;
        Proportion::new(s.min(n), n).unwrap()
    })
}

/// Two versions whose rates are close enough for the p-value not to underflow.
fn close_proportions() -> impl Strategy<Value = (Proportion, Proportion)> {
    (1u64..100_000, 1u64..100_000, 0.0f64..=1.0, -0.03f64..0.03).prop_map(|(n1, n2, r, d)| {
        let s1 = ((n1 as f64) * r).floor() as u64;
        let s2 = ((n2 as f64) * (r + d).clamp(0.0, 1.0)).floor() as u64;
        (
            Proportion::new(s1.min(n1), n1).unwrap(),
            Proportion::new(s2.min(n2), n2).unwrap(),
        )
    })
}

fn any_proportion() -> impl Strategy<Value = Proportion> {
    prop_oneof![
        proportion(),
        (0u64..5, 0u64..5).prop_map(|(a, b)| Proportion::new(a.min(b), a.max(b)).unwrap()),
        (any::<u64>(), any::<u64>())
            .prop_map(|(a, b)| Proportion::new(a.min(b), a.max(b)).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn z_test_p_value_matches_the_oracle(
        (a, b) in close_proportions(), alpha in 0.001f64..0.5,
    ) {
        let t = two_proportion_z_test(a, b, Alpha::new(alpha).unwrap());
        // Oracle: the same pooled z, with statrs' normal distribution.
        let n1 = a.trials() as f64;
        let n2 = b.trials() as f64;
        let p = (a.successes() + b.successes()) as f64 / (n1 + n2);
        let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
        prop_assume!(se > 0.0);
        let z = (b.rate() - a.rate()) / se;
        let oracle = 2.0 * std_normal().cdf(-z.abs());
        prop_assume!(oracle > 1e-280);
        prop_assert!(rel(t.z, z) < 1e-9, "z {} vs {}", t.z, z);
        prop_assert!(rel(t.p_value, oracle) < 1e-9, "p {} vs {}", t.p_value, oracle);
        prop_assert_eq!(t.significant, t.p_value < alpha);
        prop_assert!(t.interval.low <= t.difference && t.difference <= t.interval.high);
    }

    #[test]
    fn wilson_matches_the_oracle(p in proportion(), alpha in 0.001f64..0.5) {
        let ci = wilson_interval(p, Alpha::new(alpha).unwrap());
        let z = std_normal().inverse_cdf(1.0 - alpha / 2.0);
        let n = p.trials() as f64;
        let r = p.rate();
        let center = (r + z * z / (2.0 * n)) / (1.0 + z * z / n);
        let half = z / (1.0 + z * z / n) * (r * (1.0 - r) / n + z * z / (4.0 * n * n)).sqrt();
        let (low, high) = ((center - half).max(0.0), (center + half).min(1.0));
        prop_assert!(ci.low == low || (ci.low - low).abs() <= 1e-9 * high, "{} vs {}", ci.low, low);
        prop_assert!(rel(ci.high, high) < 1e-9);
        prop_assert!(ci.contains(r));
    }

    #[test]
    fn welch_matches_the_oracle(
        ma in -1e3f64..1e3, va in 1e-3f64..1e4, na in 2u64..5_000,
        shift in -12.0f64..12.0, vb in 1e-3f64..1e4, nb in 2u64..5_000,
        alpha in 0.001f64..0.5,
    ) {
        // B's mean `shift` standard errors away from A's, so that p-values stay representable.
        let mb = ma + shift * (va / na as f64 + vb / nb as f64).sqrt();
        let a = MeanSummary::new(ma, va, na).unwrap();
        let b = MeanSummary::new(mb, vb, nb).unwrap();
        let t = welch_t_test(&a, &b, Alpha::new(alpha).unwrap()).unwrap();
        let (sa, sb) = (va / na as f64, vb / nb as f64);
        let tt = (mb - ma) / (sa + sb).sqrt();
        let df = (sa + sb).powi(2) / (sa * sa / (na as f64 - 1.0) + sb * sb / (nb as f64 - 1.0));
        let dist = StudentsT::new(0.0, 1.0, df).unwrap();
        let oracle = 2.0 * dist.cdf(-tt.abs());
        prop_assert!(rel(t.t, tt) < 1e-9);
        prop_assert!(rel(t.df, df) < 1e-9);
        prop_assume!(oracle > 1e-250);
        prop_assert!(rel(t.p_value, oracle) < 1e-9, "p {} vs {} (t={tt}, df={df})", t.p_value, oracle);
        // The interval's critical value: statrs' own inverse CDF is only good to ~1e-8 at large
        // df, so the oracle checks that its (accurate) CDF gives back alpha at our value.
        let crit = (t.interval.high - t.interval.low) / 2.0 / (sa + sb).sqrt();
        prop_assert!(rel(2.0 * dist.cdf(-crit), alpha) < 1e-9, "crit {crit} alpha {alpha}");
        prop_assert!(rel((t.interval.high + t.interval.low) / 2.0, t.difference) < 1e-12);
    }

    #[test]
    fn sample_size_matches_the_oracle(
        baseline in 0.001f64..0.9, mde in 0.001f64..0.09, alpha in 0.001f64..0.2, power in 0.501f64..0.99,
    ) {
        let plan = SampleSizePlan::new(baseline, mde)
            .with_alpha(Alpha::new(alpha).unwrap())
            .with_power(power);
        let n = plan.per_version().unwrap();
        let normal = std_normal();
        let (p1, p2) = (baseline, baseline + mde);
        let pbar = (p1 + p2) / 2.0;
        let root = normal.inverse_cdf(1.0 - alpha / 2.0) * (2.0 * pbar * (1.0 - pbar)).sqrt()
            + normal.inverse_cdf(power) * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
        let exact = root * root / (mde * mde);
        // Equal unless the oracle's own rounding sits within 1e-9 of an integer.
        prop_assume!((exact - exact.round()).abs() > 1e-9 * exact);
        prop_assert_eq!(n as f64, exact.ceil());
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn nothing_is_ever_nan(a in any_proportion(), b in any_proportion(), c in any_proportion(), alpha in 1e-6f64..0.999_999) {
        let alpha = Alpha::new(alpha).unwrap();
        for p in [a, b, c] {
            let ci = wilson_interval(p, alpha);
            prop_assert!(ci.low.is_finite() && ci.high.is_finite());
            prop_assert!(0.0 <= ci.low && ci.low <= ci.high && ci.high <= 1.0);
            prop_assert!(p.rate().is_finite());
        }
        let t = two_proportion_z_test(a, b, alpha);
        for v in [t.z, t.p_value, t.difference, t.interval.low, t.interval.high] {
            prop_assert!(v.is_finite(), "{:?}", t);
        }
        prop_assert!((0.0..=1.0).contains(&t.p_value));
        let cmp = compare_rates(&[a, b, c], alpha).unwrap();
        let total: f64 = cmp.versions.iter().map(|v| v.probability_best).sum();
        for v in &cmp.versions {
            prop_assert!((0.0..=1.0).contains(&v.probability_best));
        }
        prop_assert!((total - 1.0).abs() < 1e-4, "{:?}", cmp);
        let two = probability_best(&[a, b]).unwrap();
        prop_assert!((two[0] + two[1] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn probabilities_to_be_best_sum_to_one(vs in prop::collection::vec(proportion(), 2..6)) {
        let p = probability_best(&vs).unwrap();
        let total: f64 = p.iter().sum();
        prop_assert!((total - 1.0).abs() < 1e-9, "{:?} -> {:?}", vs, p);
    }

    #[test]
    fn welch_never_nan(
        ma in prop::num::f64::NORMAL, va in prop::num::f64::POSITIVE, na in 2u64..u64::MAX,
        mb in prop::num::f64::NORMAL, vb in prop::num::f64::POSITIVE, nb in 2u64..u64::MAX,
    ) {
        let a = MeanSummary::new(ma, va, na).unwrap();
        let b = MeanSummary::new(mb, vb, nb).unwrap();
        match welch_t_test(&a, &b, Alpha::FIVE_PERCENT) {
            Ok(t) => {
                prop_assert!(!t.t.is_nan() && t.df.is_finite() && t.p_value.is_finite());
                prop_assert!((0.0..=1.0).contains(&t.p_value));
                prop_assert!(!t.interval.low.is_nan() && !t.interval.high.is_nan());
            }
            Err(e) => prop_assert_eq!(e, Error::NumericOverflow),
        }
    }
}

#[test]
fn comparison_picks_the_two_best_versions() {
    let versions = [
        Proportion::new(30, 1000).unwrap(),
        Proportion::new(52, 1000).unwrap(),
        Proportion::new(49, 1000).unwrap(),
    ];
    let cmp = compare_rates(&versions, Alpha::FIVE_PERCENT).unwrap();
    assert_eq!((cmp.leader, cmp.runner_up), (1, 2));
    let direct = two_proportion_z_test(versions[2], versions[1], Alpha::FIVE_PERCENT);
    assert_eq!(cmp.test, direct);
    assert!(!cmp.significant());
    // Equal rates: more trials lead, then the first version.
    let tied = [
        Proportion::new(5, 100).unwrap(),
        Proportion::new(10, 200).unwrap(),
        Proportion::new(10, 200).unwrap(),
    ];
    let cmp = compare_rates(&tied, Alpha::FIVE_PERCENT).unwrap();
    assert_eq!((cmp.leader, cmp.runner_up), (1, 2));
    assert_eq!(cmp.test.p_value, 1.0);
    assert_eq!(
        compare_rates(&tied[..1], Alpha::FIVE_PERCENT),
        Err(Error::TooFewVersions { versions: 1 })
    );
}

#[test]
fn probability_best_edge_cases() {
    assert_eq!(probability_best(&[]), Err(Error::NoVersions));
    assert_eq!(
        probability_best(&[Proportion::new(3, 9).unwrap()]).unwrap(),
        vec![1.0]
    );
    // No data at all: every version equally likely.
    let empty = Proportion::new(0, 0).unwrap();
    let p = probability_best(&[empty, empty, empty]).unwrap();
    for v in p {
        assert!((v - 1.0 / 3.0).abs() < 1e-9);
    }
}

#[test]
fn invalid_inputs_are_typed_errors() {
    assert_eq!(
        Proportion::new(3, 2),
        Err(Error::SuccessesExceedTrials {
            successes: 3,
            trials: 2
        })
    );
    for bad in [0.0, 1.0, -0.5, f64::NAN, f64::INFINITY] {
        assert!(matches!(Alpha::new(bad), Err(Error::InvalidAlpha { .. })));
    }
    assert!(matches!(
        SampleSizePlan::new(f64::NAN, 0.1).per_version(),
        Err(Error::InvalidBaseline { .. })
    ));
    assert!(matches!(
        SampleSizePlan::new(0.1, f64::NAN).per_version(),
        Err(Error::InvalidEffect { .. })
    ));
    assert!(matches!(
        SampleSizePlan::new(0.1, 0.1)
            .with_power(f64::NAN)
            .per_version(),
        Err(Error::InvalidPower { .. })
    ));
}

#[test]
fn power_must_lie_between_one_half_and_one() {
    // Below 0.5 the formula's sizes fall and then rise again as the power drops: 0.3 asked for
    // more recipients than 0.45, which no planner means. Such powers are refused with the reason.
    for power in [0.5, 0.45, 0.3, 0.01, 0.0, -0.2, 1.0, 1.5, f64::NAN] {
        let result = SampleSizePlan::new(0.05, 0.01)
            .with_power(power)
            .per_version();
        match result {
            Err(Error::InvalidPower { power: p }) => {
                assert!(p.to_bits() == power.to_bits(), "{p} vs {power}")
            }
            other => panic!("power {power}: {other:?}"),
        }
    }
    let message = Error::InvalidPower { power: 0.3 }.to_string();
    assert!(
        message.contains("0.3") && message.contains("0.5"),
        "{message}"
    );
}

proptest! {
    /// Within (0.5, 1) a higher power never asks for fewer recipients.
    #[test]
    fn sample_size_grows_with_power(
        baseline in 0.01f64..0.9, mde in 0.005f64..0.09, low in 0.501f64..0.99, step in 0.0f64..0.2,
    ) {
        let high = (low + step).min(0.995);
        let size = |power| SampleSizePlan::new(baseline, mde).with_power(power).per_version().unwrap();
        prop_assert!(size(low) <= size(high), "{} > {}", size(low), size(high));
    }
}

#[test]
fn comparisons_have_a_bounded_number_of_versions() {
    use smskit_abtest::MAX_VERSIONS;
    let versions = vec![Proportion::new(30, 1000).unwrap(); MAX_VERSIONS + 1];
    let too_many = Error::TooManyVersions {
        versions: MAX_VERSIONS + 1,
        max: MAX_VERSIONS,
    };
    assert_eq!(probability_best(&versions), Err(too_many.clone()));
    assert_eq!(compare_rates(&versions, Alpha::FIVE_PERCENT), Err(too_many));
}
