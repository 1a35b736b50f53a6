//! Mailing statistics: the counts and ratios of a mailing, a campaign or an A/B version, as
//! Odoo 19's SMS Marketing computes them (`spec/mailing.md`, "Statistics").
//!
//! Counts come from the traces' statuses and dates; ratios are exact percentages rounded
//! half-up to two decimals ([`Percent`]), never floating point, so the same traces always give
//! the same figures, whatever the platform.

use core::fmt;

use crate::provider::TraceStatus;

/// A percentage with two decimals, kept as an integer count of hundredths of a percent
/// (`15.63 %` is `1563`).
///
/// Ratios are rounded half-up (`15.625` gives `15.63`), as the spec asks, which binary floating
/// point cannot do reliably.
///
/// ```
/// use smskit::stats::Percent;
///
/// let ratio = Percent::of(5, 32); // 15.625 %
/// assert_eq!(ratio.hundredths(), 1563);
/// assert_eq!(ratio.to_string(), "15.63");
/// assert_eq!(Percent::of(3, 0).to_string(), "300.00"); // a zero denominator counts as 1
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(u64);

impl Percent {
    /// `part / whole` as a percentage, rounded half-up to two decimals. A zero `whole` counts
    /// as 1 (Odoo's rule, so an empty mailing shows 0 and never divides by zero).
    #[must_use]
    pub const fn of(part: u64, whole: u64) -> Self {
        let whole = if whole == 0 { 1 } else { whole as u128 };
        // hundredths = round_half_up(10_000 * part / whole), in integers: (2 * 10_000 * part +
        // whole) / (2 * whole). u128 keeps every u64 count exact.
        let hundredths = (20_000 * part as u128 + whole) / (2 * whole);
        Percent(if hundredths > u64::MAX as u128 {
            u64::MAX
        } else {
            hundredths as u64
        })
    }

    /// The percentage in hundredths of a percent (`1563` for `15.63 %`).
    #[must_use]
    pub const fn hundredths(self) -> u64 {
        self.0
    }

    /// The percentage as a float (`15.63`), for charts and JSON. Exact to the two decimals
    /// shown, since the shortest float representation of `n / 100` prints as `n / 100`.
    #[must_use]
    pub fn as_f64(self) -> f64 {
        // Precision loss above 2^53 hundredths is irrelevant for percentages of real counts.
        #[allow(clippy::cast_precision_loss)]
        let hundredths = self.0 as f64;
        hundredths / 100.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// What statistics need of one trace: its status, whether it left (a sent date) and whether
/// it was clicked (a click date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraceFacts {
    /// The trace's status now.
    pub status: TraceStatus,
    /// The message left: the trace has a sent date, whatever its status is now.
    pub sent: bool,
    /// A link of the message was clicked at least once.
    pub clicked: bool,
}

/// The counts of a set of traces (a mailing, a campaign, an A/B version).
///
/// Build it with [`Counts::add`] or by collecting [`TraceFacts`]; counts of two sets add up
/// with `+` (a campaign is the sum of its mailings).
///
/// ```
/// use smskit::stats::{Counts, TraceFacts};
/// use smskit::provider::TraceStatus;
///
/// let traces = [
///     TraceFacts { status: TraceStatus::Sent, sent: true, clicked: true },
///     TraceFacts { status: TraceStatus::Pending, sent: true, clicked: false },
///     TraceFacts { status: TraceStatus::Error, sent: true, clicked: false },
///     TraceFacts { status: TraceStatus::Cancel, sent: false, clicked: false },
/// ];
/// let counts: Counts = traces.into_iter().collect();
/// assert_eq!((counts.expected, counts.canceled, counts.sent), (4, 1, 3));
/// assert_eq!((counts.delivered, counts.clicked, counts.failed), (1, 1, 1));
/// let ratios = counts.ratios();
/// assert_eq!(ratios.received.to_string(), "33.33"); // 1 / (4 - 1)
/// assert_eq!(ratios.clicks.to_string(), "50.00"); // 1 / (4 - 1 - 0 - 1)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Counts {
    /// Every trace.
    pub expected: u64,
    /// Traces in `cancel`: excluded before sending (blacklist, opt-out, duplicate, number).
    pub canceled: u64,
    /// Traces in `outgoing`: waiting to be sent.
    pub scheduled: u64,
    /// Traces with a sent date: the message left, even if it failed afterwards.
    pub sent: u64,
    /// Traces in `sent`, `open` or `reply`: the handset received the message.
    pub delivered: u64,
    /// Traces in `open` or `reply`.
    pub opened: u64,
    /// Traces with at least one click, each counted once.
    pub clicked: u64,
    /// Traces in `reply`.
    pub replied: u64,
    /// Traces in `bounce`.
    pub bounced: u64,
    /// Traces in `error`.
    pub failed: u64,
}

impl Counts {
    /// Counts one more trace.
    pub fn add(&mut self, trace: TraceFacts) {
        self.expected += 1;
        self.sent += u64::from(trace.sent);
        self.clicked += u64::from(trace.clicked);
        match trace.status {
            TraceStatus::Cancel => self.canceled += 1,
            TraceStatus::Outgoing => self.scheduled += 1,
            TraceStatus::Sent => self.delivered += 1,
            TraceStatus::Open => {
                self.delivered += 1;
                self.opened += 1;
            }
            TraceStatus::Reply => {
                self.delivered += 1;
                self.opened += 1;
                self.replied += 1;
            }
            TraceStatus::Bounce => self.bounced += 1,
            TraceStatus::Error => self.failed += 1,
            // `process` and `pending` are counted by `sent` alone (through the sent date).
            _ => {}
        }
    }

    /// The ratios of these counts.
    #[must_use]
    pub fn ratios(&self) -> Ratios {
        let targeted = self.expected.saturating_sub(self.canceled);
        let reached = targeted
            .saturating_sub(self.bounced)
            .saturating_sub(self.failed);
        Ratios {
            received: Percent::of(self.delivered, targeted),
            opened: Percent::of(self.opened, reached),
            replied: Percent::of(self.replied, reached),
            clicks: Percent::of(self.clicked, reached),
            bounced: Percent::of(self.bounced, targeted.saturating_sub(self.failed)),
            failed: Percent::of(self.failed, targeted),
        }
    }
}

impl FromIterator<TraceFacts> for Counts {
    fn from_iter<I: IntoIterator<Item = TraceFacts>>(traces: I) -> Self {
        let mut counts = Counts::default();
        traces.into_iter().for_each(|trace| counts.add(trace));
        counts
    }
}

impl core::ops::Add for Counts {
    type Output = Counts;

    fn add(self, other: Counts) -> Counts {
        Counts {
            expected: self.expected + other.expected,
            canceled: self.canceled + other.canceled,
            scheduled: self.scheduled + other.scheduled,
            sent: self.sent + other.sent,
            delivered: self.delivered + other.delivered,
            opened: self.opened + other.opened,
            clicked: self.clicked + other.clicked,
            replied: self.replied + other.replied,
            bounced: self.bounced + other.bounced,
            failed: self.failed + other.failed,
        }
    }
}

impl core::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        *self = *self + other;
    }
}

impl core::iter::Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(counts: I) -> Counts {
        counts.fold(Counts::default(), |total, counts| total + counts)
    }
}

/// The ratios of [`Counts`], each a [`Percent`] with a zero denominator counted as 1.
///
/// | ratio | numerator | denominator |
/// |---|---|---|
/// | `received` | delivered | expected − canceled |
/// | `opened` | opened | expected − canceled − bounced − failed |
/// | `replied` | replied | expected − canceled − bounced − failed |
/// | `clicks` | clicked | expected − canceled − bounced − failed |
/// | `bounced` | bounced | expected − canceled − failed |
/// | `failed` | failed | expected − canceled |
///
/// A campaign's ratios are the ratios of the sum of its mailings' counts, so they divide by
/// expected − canceled across its mailings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ratios {
    /// Delivered over targeted.
    pub received: Percent,
    /// Opened over reached.
    pub opened: Percent,
    /// Replied over reached.
    pub replied: Percent,
    /// Clicked over reached.
    pub clicks: Percent,
    /// Bounced over targeted and not failed.
    pub bounced: Percent,
    /// Failed over targeted (ours; Odoo shows none).
    pub failed: Percent,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: TraceStatus, sent: bool, clicked: bool) -> TraceFacts {
        TraceFacts {
            status,
            sent,
            clicked,
        }
    }

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(Percent::of(5, 32).hundredths(), 1563); // 15.625
        assert_eq!(Percent::of(1, 3).hundredths(), 3333); // 33.333…
        assert_eq!(Percent::of(2, 3).hundredths(), 6667); // 66.666…
        assert_eq!(Percent::of(1, 8).hundredths(), 1250);
        assert_eq!(Percent::of(1, 20_001).hundredths(), 0); // 0.004999… % rounds down
        assert_eq!(Percent::of(1, 20_000).hundredths(), 1); // 0.005 % rounds up
        assert_eq!(Percent::of(0, 0).hundredths(), 0);
        assert_eq!(Percent::of(7, 7).to_string(), "100.00");
        assert_eq!(Percent::of(1, 200).to_string(), "0.50");
        assert_eq!(Percent::of(u64::MAX, u64::MAX).hundredths(), 10_000);
        assert_eq!(Percent::of(u64::MAX, 1).hundredths(), u64::MAX);
    }

    #[test]
    fn percent_as_f64_prints_its_two_decimals() {
        assert_eq!(Percent::of(5, 32).as_f64(), 15.63);
        assert_eq!(Percent::of(1, 3).as_f64().to_string(), "33.33");
    }

    #[test]
    fn every_status_counts_where_the_spec_says() {
        let counts: Counts = [
            facts(TraceStatus::Outgoing, false, false),
            facts(TraceStatus::Process, false, false),
            facts(TraceStatus::Pending, true, false),
            facts(TraceStatus::Sent, true, false),
            facts(TraceStatus::Open, true, true),
            facts(TraceStatus::Reply, true, true),
            facts(TraceStatus::Bounce, true, false),
            facts(TraceStatus::Error, true, false),
            facts(TraceStatus::Error, false, false),
            facts(TraceStatus::Cancel, false, false),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            counts,
            Counts {
                expected: 10,
                canceled: 1,
                scheduled: 1,
                sent: 6,
                delivered: 3,
                opened: 2,
                clicked: 2,
                replied: 1,
                bounced: 1,
                failed: 2,
            }
        );
        let ratios = counts.ratios();
        // targeted 9, reached 9 - 1 - 2 = 6
        assert_eq!(ratios.received, Percent::of(3, 9));
        assert_eq!(ratios.opened, Percent::of(2, 6));
        assert_eq!(ratios.replied, Percent::of(1, 6));
        assert_eq!(ratios.clicks, Percent::of(2, 6));
        assert_eq!(ratios.bounced, Percent::of(1, 7));
        assert_eq!(ratios.failed, Percent::of(2, 9));
    }

    #[test]
    fn campaign_ratios_divide_by_the_sum() {
        let a: Counts = [facts(TraceStatus::Sent, true, false)]
            .into_iter()
            .collect();
        let b: Counts = [
            facts(TraceStatus::Error, true, false),
            facts(TraceStatus::Cancel, false, false),
        ]
        .into_iter()
        .collect();
        let mut total = a;
        total += b;
        assert_eq!(total.expected, 3);
        assert_eq!(total.ratios().received.to_string(), "50.00");
        assert_eq!(total.ratios().failed.to_string(), "50.00");
    }

    #[test]
    fn an_empty_set_has_zero_ratios() {
        let ratios = Counts::default().ratios();
        assert_eq!(ratios, Ratios::default());
    }
}
