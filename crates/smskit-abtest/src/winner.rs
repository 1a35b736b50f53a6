//! Choosing the winning version.
//!
//! Only versions that finished sending compete. The score depends on the [`Selection`]:
//!
//! - [`Selection::ClicksRatio`] (the default for SMS): `clicked / max(sent, 1)`, compared exactly
//!   as fractions (`1/3` ties with `2/6`);
//! - [`Selection::Metric`]: the value the application supplies per version ([`MetricValue`]: a
//!   count such as leads or quotations, or an exact amount of [`Money`] such as revenue, every
//!   version in the same currency), highest or lowest wins according to the [`Goal`];
//! - [`Selection::Manual`]: the user's choice, which must be a finished version.
//!
//! **Tie-break** (deterministic): among versions with the same score, for the clicks ratio the
//! version with more messages sent wins (more evidence); then, for every rule, the version that
//! comes first in the slice (the one created first). The versions that tied on the score are
//! reported in [`Winner::tied_with`], so that a caller can tell a tie-break from a clear lead.

use std::cmp::Ordering;

use smskit_segment::Money;

use crate::error::Error;

/// Whether a version has finished sending its sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum VersionState {
    /// Not sent yet, or still sending: the version does not compete.
    InProgress,
    /// Every message of the sample has been processed: the version competes.
    Finished,
}

/// A value of the application's own metric for one version.
///
/// ```
/// use smskit_abtest::{Currency, Goal, MetricValue, Money, Selection, VersionOutcome, select_winner};
/// let eur = Currency::new("EUR")?;
/// let versions = [
///     VersionOutcome::finished(500, 21).with_metric(MetricValue::Amount(Money::parse("1250.40", eur)?)),
///     VersionOutcome::finished(500, 43).with_metric(MetricValue::Amount(Money::parse("980", eur)?)),
/// ];
/// // More clicks, less revenue: by revenue the first version wins.
/// assert_eq!(select_winner(&versions, Selection::Metric(Goal::Maximize))?.version, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MetricValue {
    /// A count (leads, quotations, orders, replies...).
    Count(u64),
    /// An exact amount of money (revenue...). Amounts compare only within one currency: versions
    /// in different currencies are an error, never converted.
    Amount(Money),
}

impl MetricValue {
    fn kind(self) -> &'static str {
        match self {
            Self::Count(_) => "count",
            Self::Amount(_) => "amount",
        }
    }

    fn as_i128(self) -> i128 {
        match self {
            Self::Count(v) => i128::from(v),
            Self::Amount(v) => i128::from(v.micros()),
        }
    }
}

/// Whether a higher or a lower metric wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Goal {
    /// The highest value wins (leads, revenue).
    #[default]
    Maximize,
    /// The lowest value wins (opt-outs, cost).
    Minimize,
}

/// How the winner is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Selection {
    /// The user picks the version at this position.
    Manual(usize),
    /// The highest clicks ratio wins (the default for SMS).
    #[default]
    ClicksRatio,
    /// The application's metric decides.
    Metric(Goal),
}

/// What is known about one version when the winner is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VersionOutcome {
    /// Whether the version finished sending.
    pub state: VersionState,
    /// Messages of the version that were not canceled (traces minus canceled): the denominator of
    /// the clicks ratio.
    pub sent: u64,
    /// Messages whose links were clicked.
    pub clicked: u64,
    /// The application's metric for this version, when the winner is chosen by a metric.
    pub metric: Option<MetricValue>,
}

impl VersionOutcome {
    /// A version that finished sending, with its sent and clicked counts.
    #[must_use]
    pub const fn finished(sent: u64, clicked: u64) -> Self {
        Self {
            state: VersionState::Finished,
            sent,
            clicked,
            metric: None,
        }
    }

    /// A version still sending (it does not compete).
    #[must_use]
    pub const fn in_progress(sent: u64, clicked: u64) -> Self {
        Self {
            state: VersionState::InProgress,
            sent,
            clicked,
            metric: None,
        }
    }

    /// The same outcome with the application's metric.
    #[must_use]
    pub const fn with_metric(self, metric: MetricValue) -> Self {
        Self {
            metric: Some(metric),
            ..self
        }
    }

    /// `clicked / max(sent, 1)` as a float (for display; comparisons are exact).
    #[must_use]
    pub fn clicks_ratio(&self) -> f64 {
        self.clicked as f64 / self.sent.max(1) as f64
    }
}

/// The chosen version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Winner {
    /// Position of the winning version.
    pub version: usize,
    /// Other finished versions with exactly the same score, which lost on the tie-break (empty for
    /// a clear lead and for a manual choice).
    pub tied_with: Vec<usize>,
    /// How many versions competed (finished).
    pub competitors: usize,
}

/// Chooses the winner among the finished versions.
///
/// # Errors
/// - [`Error::NoVersions`] for an empty slice, [`Error::NoFinishedVersion`] when no
///   version finished;
/// - [`Error::UnknownVersion`] / [`Error::VersionNotFinished`] for a bad manual choice;
/// - [`Error::SuccessesExceedTrials`] when a finished version reports more clicks than
///   messages (clicks ratio);
/// - [`Error::MissingMetric`] / [`Error::MixedMetrics`] / [`Error::MixedCurrencies`] for a
///   metric selection whose values are absent, of different kinds or in different currencies.
///
/// ```
/// use smskit_abtest::{select_winner, Selection, VersionOutcome};
///
/// let versions = [
///     VersionOutcome::finished(1000, 52),
///     VersionOutcome::finished(1000, 61),
///     VersionOutcome::in_progress(400, 90), // does not compete yet
/// ];
/// let winner = select_winner(&versions, Selection::ClicksRatio)?;
/// assert_eq!(winner.version, 1);
/// assert_eq!(winner.competitors, 2);
/// # Ok::<(), smskit_abtest::Error>(())
/// ```
pub fn select_winner(versions: &[VersionOutcome], selection: Selection) -> Result<Winner, Error> {
    if versions.is_empty() {
        return Err(Error::NoVersions);
    }
    let finished: Vec<usize> = versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.state == VersionState::Finished)
        .map(|(i, _)| i)
        .collect();
    if let Selection::Manual(version) = selection {
        let chosen = versions.get(version).ok_or(Error::UnknownVersion {
            version,
            versions: versions.len(),
        })?;
        if chosen.state != VersionState::Finished {
            return Err(Error::VersionNotFinished { version });
        }
        return Ok(Winner {
            version,
            tied_with: Vec::new(),
            competitors: finished.len(),
        });
    }
    if finished.is_empty() {
        return Err(Error::NoFinishedVersion);
    }

    match selection {
        Selection::Metric(goal) => {
            let mut first: Option<MetricValue> = None;
            let mut scored = Vec::with_capacity(finished.len());
            for &i in &finished {
                let value = versions[i]
                    .metric
                    .ok_or(Error::MissingMetric { version: i })?;
                let reference = *first.get_or_insert(value);
                comparable(reference, value, i)?;
                scored.push((i, value.as_i128()));
            }
            let better = |a: i128, b: i128| match goal {
                Goal::Maximize => a.cmp(&b),
                Goal::Minimize => b.cmp(&a),
            };
            Ok(pick(
                &scored,
                |x, y| better(x.1, y.1),
                |_, _| Ordering::Equal,
            ))
        }
        // Manual is handled above; every other rule is the clicks ratio.
        _ => {
            let mut scored = Vec::with_capacity(finished.len());
            for &i in &finished {
                let v = &versions[i];
                if v.clicked > v.sent {
                    return Err(Error::SuccessesExceedTrials {
                        successes: v.clicked,
                        trials: v.sent,
                    });
                }
                scored.push((i, (v.clicked, v.sent.max(1), v.sent)));
            }
            Ok(pick(
                &scored,
                |x, y| compare_fractions(x.1.0, x.1.1, y.1.0, y.1.1),
                |x, y| x.1.2.cmp(&y.1.2),
            ))
        }
    }
}

/// Checks that `value` (of the version at `version`) can be compared with `reference`, the
/// value of the first competing version: same kind and, for amounts, same currency.
fn comparable(reference: MetricValue, value: MetricValue, version: usize) -> Result<(), Error> {
    match (reference, value) {
        (MetricValue::Amount(expected), MetricValue::Amount(found))
            if expected.currency() != found.currency() =>
        {
            Err(Error::MixedCurrencies {
                version,
                expected: expected.currency(),
                found: found.currency(),
            })
        }
        _ if reference.kind() != value.kind() => Err(Error::MixedMetrics {
            version,
            expected: reference.kind(),
            found: value.kind(),
        }),
        _ => Ok(()),
    }
}

/// Compares `a / b` with `c / d` exactly (`b, d > 0`).
pub(crate) fn compare_fractions(a: u64, b: u64, c: u64, d: u64) -> Ordering {
    (u128::from(a) * u128::from(d)).cmp(&(u128::from(c) * u128::from(b)))
}

/// The best entry by `score` then `tie_break` (greater wins), earliest position last; `entries` is
/// in position order and non-empty.
fn pick<T>(
    entries: &[(usize, T)],
    score: impl Fn(&(usize, T), &(usize, T)) -> Ordering,
    tie_break: impl Fn(&(usize, T), &(usize, T)) -> Ordering,
) -> Winner {
    let mut best: Option<&(usize, T)> = None;
    for entry in entries {
        best = match best {
            None => Some(entry),
            // Strictly better only: an equal entry later in the slice never displaces an earlier one.
            Some(b) if score(entry, b).then_with(|| tie_break(entry, b)) == Ordering::Greater => {
                Some(entry)
            }
            keep => keep,
        };
    }
    let Some(best) = best else {
        return Winner {
            version: 0,
            tied_with: Vec::new(),
            competitors: 0,
        };
    };
    let tied_with = entries
        .iter()
        .filter(|e| e.0 != best.0 && score(e, best) == Ordering::Equal)
        .map(|e| e.0)
        .collect();
    Winner {
        version: best.0,
        tied_with,
        competitors: entries.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_compare_exactly() {
        assert_eq!(compare_fractions(1, 3, 2, 6), Ordering::Equal);
        assert_eq!(
            compare_fractions(u64::MAX, u64::MAX - 1, 1, 1),
            Ordering::Greater
        );
    }

    #[test]
    fn ratio_tie_goes_to_more_sent_then_first() {
        let v = [
            VersionOutcome::finished(100, 10),
            VersionOutcome::finished(200, 20),
            VersionOutcome::finished(200, 20),
        ];
        let w = select_winner(&v, Selection::ClicksRatio).unwrap();
        assert_eq!(w.version, 1);
        assert_eq!(w.tied_with, vec![0, 2]);
    }

    #[test]
    fn zero_sent_ratio_is_zero() {
        let v = [
            VersionOutcome::finished(0, 0),
            VersionOutcome::finished(10, 0),
        ];
        let w = select_winner(&v, Selection::ClicksRatio).unwrap();
        assert_eq!(w.version, 1); // same ratio 0, more sent
        assert_eq!(w.tied_with, vec![0]);
    }
}
