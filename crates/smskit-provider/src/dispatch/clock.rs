//! The dispatcher's injected time: a clock that can also wait.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Monotonic time and waiting, injected into the [`Dispatcher`](super::Dispatcher) so that
/// rate limits and backoff run in real time in production and in simulated time in tests.
///
/// Times are durations since an origin the clock chooses.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> Duration;

    /// Blocks the calling thread until [`Clock::now`] reaches `deadline` (returns at once for
    /// a deadline in the past).
    fn sleep_until(&self, deadline: Duration);
}

/// Real time: [`Instant`] and [`std::thread::sleep`]. The origin is the clock's creation.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock starting now.
    #[must_use]
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep_until(&self, deadline: Duration) {
        let now = self.now();
        if deadline > now {
            std::thread::sleep(deadline - now);
        }
    }
}

/// Simulated time for tests: starts at zero and only moves when a thread sleeps (time jumps
/// to the deadline at once) or the test calls [`SimulatedClock::advance`]. A simulated minute
/// takes microseconds.
///
/// ```
/// use std::time::Duration;
/// use smskit_provider::{Clock, SimulatedClock};
///
/// let clock = SimulatedClock::new();
/// clock.sleep_until(Duration::from_secs(60));
/// assert_eq!(clock.now(), Duration::from_secs(60));
/// clock.sleep_until(Duration::from_secs(1)); // in the past: no change
/// assert_eq!(clock.now(), Duration::from_secs(60));
/// ```
#[derive(Debug, Default)]
pub struct SimulatedClock {
    now: Mutex<Duration>,
}

impl SimulatedClock {
    /// A clock at zero.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time forward by `delta`.
    pub fn advance(&self, delta: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now.saturating_add(delta);
    }
}

impl Clock for SimulatedClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn sleep_until(&self, deadline: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        if deadline > *now {
            *now = deadline;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_sleeps() {
        let clock = SystemClock::new();
        let start = clock.now();
        clock.sleep_until(start + Duration::from_millis(20));
        assert!(clock.now() >= start + Duration::from_millis(20));
        clock.sleep_until(Duration::ZERO);
    }

    #[test]
    fn system_clock_sleeps_only_until_the_deadline() {
        let clock = SystemClock::new();
        // The clock has run a while, so a sleep measured from its origin instead of from now
        // would last that long again.
        std::thread::sleep(Duration::from_millis(300));
        let deadline = clock.now() + Duration::from_millis(1);
        clock.sleep_until(deadline);
        let woke = clock.now();
        assert!(woke >= deadline);
        assert!(woke < deadline + Duration::from_millis(250), "{woke:?}");
    }

    #[test]
    fn simulated_clock_is_monotonic() {
        let clock = SimulatedClock::new();
        clock.advance(Duration::from_secs(5));
        clock.sleep_until(Duration::from_secs(3));
        assert_eq!(clock.now(), Duration::from_secs(5));
        clock.sleep_until(Duration::from_secs(7));
        assert_eq!(clock.now(), Duration::from_secs(7));
    }
}
