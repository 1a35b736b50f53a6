//! When the winner goes out.
//!
//! The final mailing (a copy of the winner sent to everyone no version reached, see
//! [`remaining_recipients`](crate::remaining_recipients)) is due at `send_final_at`, one day after
//! the test was created unless the user chose another date. With a manual selection it waits for
//! the user; with an automatic one it also waits until at least one version finished (choosing a
//! winner without any finished version is an error).
//!
//! Time is always an argument: the caller's scheduler passes `now`.

use chrono::{DateTime, TimeDelta, Utc};

use crate::winner::{Selection, VersionOutcome, VersionState};

/// When the final (winner) mailing of an A/B test is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct FinalSchedule {
    /// The moment the winner is chosen and sent to the rest of the audience.
    pub send_final_at: DateTime<Utc>,
}

impl FinalSchedule {
    /// The delay after creation used when the user sets no date: one day.
    pub const DEFAULT_DELAY: TimeDelta = TimeDelta::days(1);

    /// The final send at a chosen moment.
    #[must_use]
    pub const fn at(send_final_at: DateTime<Utc>) -> Self {
        Self { send_final_at }
    }

    /// The default schedule of a test created at `created_at`: one day later (saturating at the
    /// largest representable date).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use smskit_abtest::FinalSchedule;
    /// let created = Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap();
    /// let schedule = FinalSchedule::after_creation(created);
    /// assert_eq!(schedule.send_final_at, Utc.with_ymd_and_hms(2025, 3, 2, 9, 30, 0).unwrap());
    /// ```
    #[must_use]
    pub fn after_creation(created_at: DateTime<Utc>) -> Self {
        Self {
            send_final_at: created_at
                .checked_add_signed(Self::DEFAULT_DELAY)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        }
    }

    /// Whether the date of the final send has come (`now >= send_final_at`).
    #[must_use]
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        now >= self.send_final_at
    }

    /// Time left until the final send (zero once it is due).
    #[must_use]
    pub fn time_left(&self, now: DateTime<Utc>) -> TimeDelta {
        if self.is_due(now) {
            TimeDelta::zero()
        } else {
            self.send_final_at.signed_duration_since(now)
        }
    }

    /// What the scheduler should do about the final send at `now`.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use smskit_abtest::{FinalSchedule, FinalSendStatus, Selection, VersionOutcome};
    ///
    /// let created = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap();
    /// let schedule = FinalSchedule::after_creation(created);
    /// let versions = [VersionOutcome::finished(100, 9), VersionOutcome::finished(100, 12)];
    ///
    /// let early = created + TimeDelta::hours(2);
    /// assert_eq!(
    ///     schedule.status(early, Selection::ClicksRatio, &versions),
    ///     FinalSendStatus::Waiting { left: TimeDelta::hours(22) },
    /// );
    /// let later = created + TimeDelta::days(1);
    /// assert_eq!(schedule.status(later, Selection::ClicksRatio, &versions), FinalSendStatus::Due);
    /// ```
    #[must_use]
    pub fn status(
        &self,
        now: DateTime<Utc>,
        selection: Selection,
        versions: &[VersionOutcome],
    ) -> FinalSendStatus {
        if matches!(selection, Selection::Manual(_)) {
            return FinalSendStatus::AwaitingManualChoice;
        }
        if !self.is_due(now) {
            return FinalSendStatus::Waiting {
                left: self.time_left(now),
            };
        }
        if versions.iter().any(|v| v.state == VersionState::Finished) {
            FinalSendStatus::Due
        } else {
            FinalSendStatus::AwaitingFinishedVersion
        }
    }
}

/// What to do about the final send of an A/B test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FinalSendStatus {
    /// Not yet: the date has not come.
    Waiting {
        /// Time left until the date.
        left: TimeDelta,
    },
    /// The date has come but no version has finished sending: nothing can win yet.
    AwaitingFinishedVersion,
    /// The winner is chosen by the user, never automatically.
    AwaitingManualChoice,
    /// Choose the winner now and send it to the remaining recipients.
    Due,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_at_the_end_of_time() {
        let s = FinalSchedule::after_creation(DateTime::<Utc>::MAX_UTC);
        assert_eq!(s.send_final_at, DateTime::<Utc>::MAX_UTC);
        assert!(s.is_due(DateTime::<Utc>::MAX_UTC));
    }

    #[test]
    fn waits_for_a_finished_version_and_for_manual_choice() {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let s = FinalSchedule::at(now);
        let sending = [VersionOutcome::in_progress(10, 1)];
        assert_eq!(
            s.status(now, Selection::ClicksRatio, &sending),
            FinalSendStatus::AwaitingFinishedVersion
        );
        assert_eq!(
            s.status(now, Selection::Manual(0), &sending),
            FinalSendStatus::AwaitingManualChoice
        );
        assert_eq!(s.time_left(now), TimeDelta::zero());
    }
}
