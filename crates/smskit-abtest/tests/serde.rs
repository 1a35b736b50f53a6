//! Serde round trips, and validation of stored values on the way in.
#![cfg(feature = "serde")]

use chrono::{TimeZone, Utc};
use smskit_abtest::{
    Alpha, FinalSchedule, FinalSendStatus, Goal, MetricValue, Proportion, SamplePlan, Seed,
    Selection, TestShare, VersionOutcome, select_winner,
};

#[test]
fn plans_and_outcomes_round_trip() {
    let plan = SamplePlan::new(Seed::new(77), 3)
        .unwrap()
        .with_share(TestShare::new(15).unwrap());
    let json = serde_json::to_string(&plan).unwrap();
    assert_eq!(json, r#"{"seed":77,"versions":3,"share":15}"#);
    assert_eq!(serde_json::from_str::<SamplePlan>(&json).unwrap(), plan);

    let outcome = VersionOutcome::finished(100, 7).with_metric(MetricValue::Amount(
        smskit_abtest::Money::from_micros(19_990_000, smskit_abtest::Currency::new("EUR").unwrap()),
    ));
    let json = serde_json::to_string(&outcome).unwrap();
    assert_eq!(
        serde_json::from_str::<VersionOutcome>(&json).unwrap(),
        outcome
    );

    for selection in [
        Selection::Manual(2),
        Selection::ClicksRatio,
        Selection::Metric(Goal::Minimize),
    ] {
        let json = serde_json::to_string(&selection).unwrap();
        assert_eq!(serde_json::from_str::<Selection>(&json).unwrap(), selection);
    }
    assert_eq!(
        serde_json::to_string(&Selection::ClicksRatio).unwrap(),
        r#""clicks_ratio""#
    );

    let schedule = FinalSchedule::at(Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap());
    let json = serde_json::to_string(&schedule).unwrap();
    assert_eq!(
        serde_json::from_str::<FinalSchedule>(&json).unwrap(),
        schedule
    );
    let status = FinalSendStatus::Due;
    assert_eq!(serde_json::to_string(&status).unwrap(), r#""due""#);

    let assignment = plan.assign(&[1u64, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0u64; 0]);
    let json = serde_json::to_string(&assignment).unwrap();
    assert_eq!(
        serde_json::from_str::<smskit_abtest::Assignment<u64>>(&json).unwrap(),
        assignment
    );

    let winner = select_winner(&[outcome], Selection::ClicksRatio).unwrap();
    let json = serde_json::to_string(&winner).unwrap();
    assert_eq!(
        serde_json::from_str::<smskit_abtest::Winner>(&json).unwrap(),
        winner
    );
}

#[test]
fn invalid_stored_values_are_rejected() {
    assert!(serde_json::from_str::<TestShare>("0").is_err());
    assert!(serde_json::from_str::<TestShare>("101").is_err());
    assert_eq!(
        serde_json::from_str::<TestShare>("100").unwrap().percent(),
        100
    );
    assert!(serde_json::from_str::<Alpha>("1.5").is_err());
    assert_eq!(serde_json::from_str::<Alpha>("0.01").unwrap().get(), 0.01);
    assert!(serde_json::from_str::<Proportion>(r#"{"successes":5,"trials":4}"#).is_err());
    let p: Proportion = serde_json::from_str(r#"{"successes":4,"trials":5}"#).unwrap();
    assert_eq!((p.successes(), p.trials()), (4, 5));
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"successes":4,"trials":5}"#
    );
}

#[test]
fn stored_plans_are_validated() {
    // A stored plan used to be taken as is: zero versions were silently drawn as one, and
    // usize::MAX versions aborted the draw.
    for json in [
        r#"{"seed":1,"versions":0,"share":10}"#,
        r#"{"seed":1,"versions":18446744073709551615,"share":10}"#,
        r#"{"seed":1,"versions":2,"share":0}"#,
    ] {
        assert!(serde_json::from_str::<SamplePlan>(json).is_err(), "{json}");
    }
}
