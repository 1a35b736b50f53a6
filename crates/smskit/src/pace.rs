//! Rate limits shared by every worker on a store: before a batch leaves, its segments are
//! booked on the store's send schedule of their sender ([`Store::book_send_time`]) and the
//! batch waits for its turn; the dispatcher then paces the batch inside its booking.
//!
//! Bookings never overlap, whichever process made them, so the senders' rates hold across all
//! workers together — no share of the rate is guessed per worker. A booking of `n` segments at
//! `s` segments per `p` costs `n·p/s` (rounded up to the microsecond, never down); the
//! dispatcher's burst lets a booking start up to `burst·p/s` before the previous one ends, as
//! it lets messages of one process go ahead of their pace.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::provider::{Clock, DispatchOptions, Job, Rate, Sender};
use crate::store::Store;

/// Wall time that moves with an injected [`Clock`]: `start` at the clock's reading when it was
/// made. Simulated clocks give simulated wall time.
pub(crate) struct WallClock<'c> {
    clock: &'c dyn Clock,
    origin: Duration,
    start: DateTime<Utc>,
}

impl<'c> WallClock<'c> {
    pub(crate) fn new(clock: &'c dyn Clock, start: DateTime<Utc>) -> Self {
        WallClock {
            clock,
            origin: clock.now(),
            start,
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        let elapsed = self.clock.now().saturating_sub(self.origin);
        chrono::Duration::from_std(elapsed)
            .ok()
            .and_then(|elapsed| self.start.checked_add_signed(elapsed))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Blocks until [`WallClock::now`] reaches `at`.
    pub(crate) fn sleep_until(&self, at: DateTime<Utc>) {
        let ahead = at.signed_duration_since(self.now());
        if let Ok(ahead) = ahead.to_std() {
            self.clock
                .sleep_until(self.clock.now().saturating_add(ahead));
        }
    }
}

/// The time `segments` take at `rate`, rounded up to the microsecond (the unit stores keep
/// times in).
pub(crate) fn cost(segments: u64, rate: Rate) -> chrono::Duration {
    let nanos = u128::from(segments) * rate.per().as_nanos();
    let micros = nanos.div_ceil(u128::from(rate.segments()) * 1000);
    i64::try_from(micros).map_or(chrono::Duration::MAX, chrono::Duration::microseconds)
}

/// Books the segments of `jobs` per rate-limited sender and waits until the last booking may
/// start.
pub(crate) fn wait_for_booked_time<S: Store>(
    store: &mut S,
    options: &DispatchOptions,
    jobs: &[Job],
    wall: &WallClock<'_>,
) -> Result<(), Error> {
    let mut per_sender: BTreeMap<&str, u64> = BTreeMap::new();
    for job in jobs {
        let sender = job.message.from.as_ref().map_or("", Sender::as_str);
        if options.rate_of(sender).is_some() {
            *per_sender.entry(sender).or_default() += u64::from(job.segments);
        }
    }
    let mut start = None;
    for (sender, segments) in per_sender {
        let Some(rate) = options.rate_of(sender) else {
            continue;
        };
        let now = wall.now();
        let cost = cost(segments, rate);
        let end = store.book_send_time(sender, cost, now)?;
        let ahead = cost.checked_add(&self::cost(u64::from(options.burst()), rate));
        let go = ahead
            .and_then(|ahead| end.checked_sub_signed(ahead))
            .map_or(now, |go| go.max(now));
        start = start.max(Some(go));
    }
    if let Some(start) = start {
        wall.sleep_until(start);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::SimulatedClock;

    #[test]
    fn a_booking_costs_its_segments_at_the_rate_rounded_up() {
        let three_per_second = Rate::per_second(3).unwrap();
        assert_eq!(cost(3, three_per_second), chrono::Duration::seconds(1));
        assert_eq!(
            cost(1, three_per_second),
            chrono::Duration::microseconds(333_334)
        );
        assert_eq!(cost(0, three_per_second), chrono::Duration::zero());
        let per_minute = Rate::new(180, Duration::from_secs(60)).unwrap();
        assert_eq!(cost(90, per_minute), chrono::Duration::seconds(30));
        assert_eq!(
            cost(u64::MAX, Rate::new(1, Duration::from_secs(1)).unwrap()),
            chrono::Duration::MAX
        );
    }

    #[test]
    fn wall_time_moves_with_the_clock() {
        let clock = SimulatedClock::new();
        clock.advance(Duration::from_secs(5));
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let wall = WallClock::new(&clock, start);
        assert_eq!(wall.now(), start);
        clock.advance(Duration::from_millis(1500));
        assert_eq!(wall.now(), start + chrono::Duration::milliseconds(1500));
        wall.sleep_until(start + chrono::Duration::seconds(10));
        assert_eq!(wall.now(), start + chrono::Duration::seconds(10));
        wall.sleep_until(start); // in the past: returns at once
        assert_eq!(clock.now(), Duration::from_secs(15));
    }
}
