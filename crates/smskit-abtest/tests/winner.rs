//! Winner selection, ties, and the final-send schedule.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use smskit_abtest::{
    Currency, Error, FinalSchedule, FinalSendStatus, Goal, MetricValue, Money, Selection,
    VersionOutcome, select_winner,
};

fn finished(sent: u64, clicked: u64) -> VersionOutcome {
    VersionOutcome::finished(sent, clicked)
}

fn currency(code: &str) -> Currency {
    Currency::new(code).unwrap()
}

/// `cents` hundredths of a euro.
fn eur(cents: i64) -> MetricValue {
    MetricValue::Amount(Money::from_micros(cents * 10_000, currency("EUR")))
}

#[test]
fn clicks_ratio_picks_the_highest_ratio_among_finished_versions() {
    let versions = [
        finished(1000, 40),
        VersionOutcome::in_progress(1000, 900),
        finished(500, 30),
        finished(1000, 59),
    ];
    let w = select_winner(&versions, Selection::ClicksRatio).unwrap();
    assert_eq!(w.version, 2); // 6% beats 5.9%; the in-progress 90% does not compete
    assert_eq!(w.competitors, 3);
    assert!(w.tied_with.is_empty());
    assert_eq!(Selection::default(), Selection::ClicksRatio);
}

#[test]
fn ratio_ties_are_exact_and_broken_by_sent_then_position() {
    // 1/3 == 2/6 == 100/300 exactly (a float comparison could disagree).
    let versions = [
        finished(3, 1),
        finished(300, 100),
        finished(6, 2),
        finished(300, 100),
    ];
    let w = select_winner(&versions, Selection::ClicksRatio).unwrap();
    assert_eq!(w.version, 1);
    assert_eq!(w.tied_with, vec![0, 2, 3]);
}

#[test]
fn metric_selection_maximizes_or_minimizes() {
    let versions = [
        finished(100, 1).with_metric(eur(12_50)),
        finished(100, 9).with_metric(eur(-3_00)),
        finished(100, 5).with_metric(eur(40_00)),
    ];
    assert_eq!(
        select_winner(&versions, Selection::Metric(Goal::Maximize))
            .unwrap()
            .version,
        2
    );
    assert_eq!(
        select_winner(&versions, Selection::Metric(Goal::Minimize))
            .unwrap()
            .version,
        1
    );
    assert_eq!(Goal::default(), Goal::Maximize);

    let counts = [
        finished(100, 1).with_metric(MetricValue::Count(7)),
        finished(100, 1).with_metric(MetricValue::Count(7)),
        VersionOutcome::in_progress(100, 1).with_metric(MetricValue::Count(70)),
    ];
    let w = select_winner(&counts, Selection::Metric(Goal::Maximize)).unwrap();
    assert_eq!(
        (w.version, w.tied_with.clone(), w.competitors),
        (0, vec![1], 2)
    );
}

#[test]
fn metric_errors_are_typed() {
    let missing = [
        finished(1, 0).with_metric(MetricValue::Count(1)),
        finished(1, 0),
    ];
    assert_eq!(
        select_winner(&missing, Selection::Metric(Goal::Maximize)),
        Err(Error::MissingMetric { version: 1 })
    );
    let mixed = [
        finished(1, 0).with_metric(MetricValue::Count(1)),
        finished(1, 0).with_metric(eur(1)),
    ];
    let err = select_winner(&mixed, Selection::Metric(Goal::Maximize)).unwrap_err();
    assert_eq!(
        err,
        Error::MixedMetrics {
            version: 1,
            expected: "count",
            found: "amount"
        }
    );
    assert!(err.to_string().contains("version 1"));
    // An in-progress version without a metric does not matter.
    let ok = [
        finished(1, 0).with_metric(MetricValue::Count(1)),
        VersionOutcome::in_progress(1, 0),
    ];
    assert_eq!(
        select_winner(&ok, Selection::Metric(Goal::Maximize))
            .unwrap()
            .version,
        0
    );
}

#[test]
fn no_finished_version_is_an_error() {
    let versions = [
        VersionOutcome::in_progress(10, 1),
        VersionOutcome::in_progress(10, 2),
    ];
    assert_eq!(
        select_winner(&versions, Selection::ClicksRatio),
        Err(Error::NoFinishedVersion)
    );
    assert_eq!(
        select_winner(&[], Selection::ClicksRatio),
        Err(Error::NoVersions)
    );
}

#[test]
fn manual_choice_must_exist_and_be_finished() {
    let versions = [finished(10, 1), VersionOutcome::in_progress(10, 2)];
    let w = select_winner(&versions, Selection::Manual(0)).unwrap();
    assert_eq!((w.version, w.competitors), (0, 1));
    assert_eq!(
        select_winner(&versions, Selection::Manual(1)),
        Err(Error::VersionNotFinished { version: 1 })
    );
    assert_eq!(
        select_winner(&versions, Selection::Manual(5)),
        Err(Error::UnknownVersion {
            version: 5,
            versions: 2
        })
    );
}

#[test]
fn impossible_counts_are_rejected() {
    let versions = [finished(10, 11)];
    assert_eq!(
        select_winner(&versions, Selection::ClicksRatio),
        Err(Error::SuccessesExceedTrials {
            successes: 11,
            trials: 10
        })
    );
}

proptest! {
    #[test]
    fn the_winner_has_the_best_exact_ratio_and_is_deterministic(
        raw in prop::collection::vec((0u64..50, 0u64..50, any::<bool>()), 1..8),
    ) {
        let versions: Vec<VersionOutcome> = raw
            .iter()
            .map(|&(a, b, done)| {
                let (clicked, sent) = (a.min(b), a.max(b));
                if done { finished(sent, clicked) } else { VersionOutcome::in_progress(sent, clicked) }
            })
            .collect();
        match select_winner(&versions, Selection::ClicksRatio) {
            Err(e) => {
                prop_assert_eq!(e, Error::NoFinishedVersion);
                prop_assert!(raw.iter().all(|r| !r.2));
            }
            Ok(w) => {
                let best = &versions[w.version];
                for (i, v) in versions.iter().enumerate() {
                    if v.state != smskit_abtest::VersionState::Finished || i == w.version {
                        continue;
                    }
                    let lhs = u128::from(v.clicked) * u128::from(best.sent.max(1));
                    let rhs = u128::from(best.clicked) * u128::from(v.sent.max(1));
                    prop_assert!(lhs <= rhs);
                    if lhs == rhs {
                        prop_assert!(w.tied_with.contains(&i));
                        prop_assert!(v.sent < best.sent || (v.sent == best.sent && i > w.version));
                    }
                }
                prop_assert_eq!(select_winner(&versions, Selection::ClicksRatio).unwrap(), w);
            }
        }
    }
}

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, h, 0, 0).unwrap()
}

#[test]
fn final_send_is_due_one_day_after_creation_by_default() {
    let schedule = FinalSchedule::after_creation(at(8));
    assert_eq!(schedule.send_final_at, at(8) + TimeDelta::days(1));
    assert!(!schedule.is_due(at(23)));
    assert_eq!(schedule.time_left(at(23)), TimeDelta::hours(9));
    assert!(schedule.is_due(at(8) + TimeDelta::days(1)));
    assert_eq!(
        schedule.time_left(at(8) + TimeDelta::days(2)),
        TimeDelta::zero()
    );
}

#[test]
fn final_send_status_covers_every_case() {
    let schedule = FinalSchedule::at(at(12));
    let done = [finished(10, 1)];
    let sending = [VersionOutcome::in_progress(10, 1)];
    assert_eq!(
        schedule.status(at(10), Selection::ClicksRatio, &done),
        FinalSendStatus::Waiting {
            left: TimeDelta::hours(2)
        }
    );
    assert_eq!(
        schedule.status(at(12), Selection::ClicksRatio, &done),
        FinalSendStatus::Due
    );
    assert_eq!(
        schedule.status(at(13), Selection::Metric(Goal::Maximize), &sending),
        FinalSendStatus::AwaitingFinishedVersion
    );
    assert_eq!(
        schedule.status(at(13), Selection::Manual(0), &done),
        FinalSendStatus::AwaitingManualChoice
    );
}

#[test]
fn amounts_in_different_currencies_are_refused() {
    let usd = MetricValue::Amount(Money::from_micros(50_000_000, currency("USD")));
    let mixed = [
        finished(100, 1).with_metric(eur(40_00)),
        finished(100, 1).with_metric(eur(10_00)),
        finished(100, 1).with_metric(usd),
    ];
    let err = select_winner(&mixed, Selection::Metric(Goal::Maximize)).unwrap_err();
    assert_eq!(
        err,
        Error::MixedCurrencies {
            version: 2,
            expected: currency("EUR"),
            found: currency("USD"),
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("version 2") && message.contains("USD") && message.contains("EUR"),
        "{message}"
    );
    // Amounts compare exactly, below the cent too.
    let close = [
        finished(100, 1).with_metric(MetricValue::Amount(Money::from_micros(
            1_000_001,
            currency("EUR"),
        ))),
        finished(100, 1).with_metric(MetricValue::Amount(Money::from_micros(
            1_000_002,
            currency("EUR"),
        ))),
    ];
    let w = select_winner(&close, Selection::Metric(Goal::Maximize)).unwrap();
    assert_eq!((w.version, w.tied_with.len()), (1, 0));
}
