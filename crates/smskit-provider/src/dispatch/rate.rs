//! Rate limits in segments per unit of time, per sender: a token bucket in its exact
//! integer (GCRA) form.

use std::collections::HashMap;
use std::time::Duration;

/// A throughput: `segments` per `per` (Twilio: long code ~1/s, toll-free ~3/s, short code
/// ~100/s).
///
/// ```
/// use std::time::Duration;
/// use smskit_provider::Rate;
///
/// let rate = Rate::per_second(3).unwrap();
/// assert_eq!(rate, Rate::new(180, Duration::from_secs(60)).unwrap().min_equivalent());
/// assert!(Rate::per_second(0).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rate {
    segments: u32,
    per: Duration,
}

impl Rate {
    /// `segments` per `per`; `None` when either is zero.
    #[must_use]
    pub fn new(segments: u32, per: Duration) -> Option<Self> {
        (segments > 0 && !per.is_zero()).then_some(Self { segments, per })
    }

    /// `segments` per second; `None` for zero.
    #[must_use]
    pub fn per_second(segments: u32) -> Option<Self> {
        Self::new(segments, Duration::from_secs(1))
    }

    /// The segments per period.
    #[must_use]
    pub const fn segments(&self) -> u32 {
        self.segments
    }

    /// The period.
    #[must_use]
    pub const fn per(&self) -> Duration {
        self.per
    }

    /// The same rate with the smallest segment count (`180/min` → `3/s`), for comparisons.
    #[must_use]
    pub fn min_equivalent(self) -> Self {
        let per = self.per.as_nanos();
        let divisor = gcd(u128::from(self.segments), per);
        let segments = u32::try_from(u128::from(self.segments) / divisor).unwrap_or(self.segments);
        let per = u64::try_from(per / divisor).map_or(self.per, Duration::from_nanos);
        Self { segments, per }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// The per-sender schedules. Time is kept in nanoseconds multiplied by the rate's segment
/// count, so that one segment costs exactly `per` in nanoseconds: no rounding ever drifts.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    /// Theoretical arrival time (scaled) per sender.
    schedules: HashMap<String, u128>,
}

impl Limiter {
    /// The earliest conforming start for `sender` at or after `now`, without reserving it.
    pub(crate) fn peek(&self, sender: &str, rate: Rate, burst: u32, now: Duration) -> Duration {
        let scale = u128::from(rate.segments);
        let tolerance = u128::from(burst) * rate.per.as_nanos();
        let tat = self.schedules.get(sender).copied().unwrap_or(0);
        let start = (now.as_nanos() * scale).max(tat.saturating_sub(tolerance));
        from_nanos(start.div_ceil(scale))
    }

    /// Reserves `segments` for `sender` at the earliest conforming time at or after `now`,
    /// and returns that time. `burst` segments may go ahead of the steady pace.
    pub(crate) fn reserve(
        &mut self,
        sender: &str,
        rate: Rate,
        burst: u32,
        segments: u32,
        now: Duration,
    ) -> Duration {
        let scale = u128::from(rate.segments);
        let cost = rate.per.as_nanos();
        let tolerance = u128::from(burst) * cost;
        let now_scaled = now.as_nanos() * scale;
        let tat = self.schedules.entry(sender.to_owned()).or_insert(0);
        let start = now_scaled.max(tat.saturating_sub(tolerance));
        *tat = (*tat).max(start) + u128::from(segments.max(1)) * cost;
        from_nanos(start.div_ceil(scale))
    }

    /// Holds `sender` until `until` (the provider asked us to wait).
    pub(crate) fn defer(&mut self, sender: &str, rate: Rate, burst: u32, until: Duration) {
        let scale = u128::from(rate.segments);
        let tolerance = u128::from(burst) * rate.per.as_nanos();
        let until_scaled = until.as_nanos() * scale + tolerance;
        let tat = self.schedules.entry(sender.to_owned()).or_insert(0);
        *tat = (*tat).max(until_scaled);
    }
}

fn from_nanos(nanos: u128) -> Duration {
    let secs = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    #[allow(
        clippy::cast_possible_truncation,
        reason = "the remainder is below 10^9"
    )]
    let sub = (nanos % 1_000_000_000) as u32;
    Duration::new(secs, sub)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pacing_without_burst() {
        let mut limiter = Limiter::default();
        let rate = Rate::per_second(3).unwrap();
        let times: Vec<Duration> = (0..4)
            .map(|_| limiter.reserve("a", rate, 0, 1, Duration::ZERO))
            .collect();
        assert_eq!(
            times,
            [
                Duration::ZERO,
                Duration::from_nanos(333_333_334),
                Duration::from_nanos(666_666_667),
                Duration::from_secs(1)
            ]
        );
        // Another sender has its own schedule.
        assert_eq!(
            limiter.reserve("b", rate, 0, 1, Duration::ZERO),
            Duration::ZERO
        );
    }

    #[test]
    fn multi_segment_messages_cost_more() {
        let mut limiter = Limiter::default();
        let rate = Rate::per_second(1).unwrap();
        assert_eq!(
            limiter.reserve("a", rate, 0, 3, Duration::ZERO),
            Duration::ZERO
        );
        assert_eq!(
            limiter.reserve("a", rate, 0, 1, Duration::ZERO),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn burst_allows_going_ahead() {
        let mut limiter = Limiter::default();
        let rate = Rate::per_second(1).unwrap();
        for _ in 0..3 {
            assert_eq!(
                limiter.reserve("a", rate, 2, 1, Duration::ZERO),
                Duration::ZERO
            );
        }
        assert_eq!(
            limiter.reserve("a", rate, 2, 1, Duration::ZERO),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn idle_time_is_not_banked_beyond_burst() {
        let mut limiter = Limiter::default();
        let rate = Rate::per_second(1).unwrap();
        assert_eq!(
            limiter.reserve("a", rate, 0, 1, Duration::ZERO),
            Duration::ZERO
        );
        let later = Duration::from_secs(100);
        assert_eq!(limiter.reserve("a", rate, 0, 1, later), later);
        assert_eq!(
            limiter.reserve("a", rate, 0, 1, later),
            later + Duration::from_secs(1)
        );
    }

    #[test]
    fn defer_holds_the_sender() {
        let mut limiter = Limiter::default();
        let rate = Rate::per_second(10).unwrap();
        limiter.defer("a", rate, 0, Duration::from_secs(5));
        assert_eq!(
            limiter.reserve("a", rate, 0, 1, Duration::ZERO),
            Duration::from_secs(5)
        );
    }

    proptest! {
        /// In any window of length `w`, the segments started never exceed `rate * w` plus the
        /// burst plus one message.
        #[test]
        fn never_faster_than_the_rate(
            per_second in 1u32..200,
            burst in 0u32..5,
            sizes in proptest::collection::vec(1u32..5, 1..200),
            arrivals in proptest::collection::vec(0u64..2_000_000_000, 1..200),
        ) {
            let mut limiter = Limiter::default();
            let rate = Rate::per_second(per_second).unwrap();
            let mut now = Duration::ZERO;
            let mut starts = Vec::new();
            for (size, gap) in sizes.iter().zip(arrivals.iter().cycle()) {
                now += Duration::from_nanos(*gap % 50_000_000);
                let at = limiter.reserve("s", rate, burst, *size, now);
                prop_assert!(at >= now);
                starts.push((at, *size));
            }
            for (i, (t0, _)) in starts.iter().enumerate() {
                let window = Duration::from_secs(1);
                let sent: u32 = starts[i..]
                    .iter()
                    .filter(|(t, _)| *t < *t0 + window)
                    .map(|(_, s)| *s)
                    .sum();
                prop_assert!(sent <= per_second + burst + 4, "{sent} segments in 1 s at {per_second}/s");
            }
        }
    }
}
