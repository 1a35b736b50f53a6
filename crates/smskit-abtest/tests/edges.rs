//! The public types at their edges: a seed's value, the confidence of an alpha, a click ratio,
//! the validity bounds of a sample-size plan and Welch tests that are significant.

use smskit_abtest::{
    Alpha, Error, MeanSummary, SampleSizePlan, Seed, VersionOutcome, welch_t_test,
};

#[test]
fn a_seed_gives_back_its_value() {
    assert_eq!(Seed::new(42).get(), 42);
}

#[test]
fn the_confidence_of_an_alpha_is_its_complement() {
    assert_eq!(Alpha::new(0.05).unwrap().confidence(), 0.95);
}

#[test]
fn a_click_ratio_is_clicks_over_sent() {
    assert_eq!(VersionOutcome::finished(10, 3).clicks_ratio(), 0.3);
    assert_eq!(VersionOutcome::finished(0, 0).clicks_ratio(), 0.0);
}

#[test]
fn a_plan_needs_a_baseline_and_a_target_strictly_between_0_and_1() {
    assert!(matches!(
        SampleSizePlan::new(1.0, -0.1).per_version(),
        Err(Error::InvalidBaseline { .. })
    ));
    assert!(matches!(
        SampleSizePlan::new(0.5, 0.5).per_version(),
        Err(Error::InvalidEffect { .. })
    ));
    assert!(SampleSizePlan::new(0.5, 0.25).per_version().is_ok());
}

#[test]
fn a_clear_difference_in_means_is_significant() {
    let alpha = Alpha::new(0.05).unwrap();
    let a = MeanSummary::new(10.0, 4.0, 100).unwrap();
    let b = MeanSummary::new(12.0, 4.0, 100).unwrap();
    let test = welch_t_test(&a, &b, alpha).unwrap();
    assert!(test.p_value < 1e-6 && test.significant, "{test:?}");
    // Without variance any difference is certain.
    let c = MeanSummary::new(10.0, 0.0, 5).unwrap();
    let d = MeanSummary::new(11.0, 0.0, 5).unwrap();
    let exact = welch_t_test(&c, &d, alpha).unwrap();
    assert!(exact.p_value == 0.0 && exact.significant, "{exact:?}");
    let same = welch_t_test(&c, &c, alpha).unwrap();
    assert!(same.p_value == 1.0 && !same.significant, "{same:?}");
}
