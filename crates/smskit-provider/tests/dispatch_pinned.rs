//! The dispatcher's documented numbers pinned down exactly: the backoff schedule of a seed, a
//! one-attempt policy, burst and per-sender pacing at their boundaries, a due retry before
//! fresh messages, the calling thread for a batch of concurrency 1, and every claim released
//! when a worker unwinds (the batch ends instead of hanging).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread::{self, ThreadId};
use std::time::Duration;

use smskit_phone::E164;
use smskit_provider::{
    Clock, DispatchOptions, Dispatched, Dispatcher, Error, ErrorKind, Job, OutboundMessage,
    Provider, Rate, Receipt, RetryPolicy, Sender, SimulatedClock, TraceStatus,
};

fn number(i: usize) -> E164 {
    E164::parse(&format!("+3247{i:07}")).unwrap()
}

fn job(i: usize, segments: u32) -> Job {
    Job::new(
        OutboundMessage::new(number(i), format!("Hello {i}")),
        segments,
    )
}

fn from(sender: &str, i: usize) -> Job {
    let mut job = job(i, 1);
    job.message.from = Some(Sender::parse(sender).unwrap());
    job
}

/// Fails the first `failures[number]` calls for a number with a retryable error (all of them
/// with `usize::MAX`); notes every call's time, thread and number.
#[derive(Debug)]
struct Script<'c> {
    clock: &'c dyn Clock,
    failures: Vec<(E164, usize)>,
    calls: Mutex<Vec<(E164, Duration, ThreadId)>>,
}

impl<'c> Script<'c> {
    fn new(clock: &'c dyn Clock, failures: Vec<(E164, usize)>) -> Self {
        Script {
            clock,
            failures,
            calls: Mutex::new(Vec::new()),
        }
    }

    fn times_of(&self, to: E164) -> Vec<Duration> {
        let calls = self.calls.lock().unwrap();
        calls.iter().filter(|c| c.0 == to).map(|c| c.1).collect()
    }
}

impl Provider for Script<'_> {
    fn name(&self) -> &str {
        "script"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt, Error> {
        let mut calls = self.calls.lock().unwrap();
        calls.push((message.to, self.clock.now(), thread::current().id()));
        let made = calls.iter().filter(|c| c.0 == message.to).count();
        let fails = self
            .failures
            .iter()
            .find(|f| f.0 == message.to)
            .map_or(0, |f| f.1);
        if made <= fails {
            return Err(Error::retryable(ErrorKind::ServerError, "try again"));
        }
        Ok(Receipt::new(
            "script",
            message.to.as_str(),
            TraceStatus::Pending,
            "ok",
        ))
    }
}

/// SplitMix64's output function, as the dispatcher documents its jitter source.
fn split_mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The documented delay after failed attempt `attempt` of job `index`: `initial × 2^(n-1)`
/// capped, with equal jitter drawn from the seed.
fn expected_delay(policy: RetryPolicy, seed: u64, index: u64, attempt: u32) -> Duration {
    let base = (policy.initial_backoff * 2u32.pow(attempt - 1)).min(policy.max_backoff);
    let half = base / 2;
    let span = u64::try_from((base - half).as_nanos()).unwrap();
    let random = split_mix(
        seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ u64::from(attempt).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
    );
    half + Duration::from_nanos(random % (span + 1))
}

#[test]
fn backoff_delays_are_exactly_the_documented_ones_for_a_seed() {
    let policy = RetryPolicy::new(6, Duration::from_millis(400), Duration::from_secs(5));
    for seed in [0, 7, 0xDEAD_BEEF] {
        let clock = SimulatedClock::new();
        // Job 2 always fails: its attempts are spaced by the backoff alone (no rate).
        let provider = Script::new(&clock, vec![(number(2), usize::MAX)]);
        let options = DispatchOptions::default()
            .with_concurrency(1)
            .with_retry(policy)
            .with_jitter_seed(seed);
        let results = Dispatcher::new(&provider, &clock)
            .with_options(options)
            .dispatch((0..3).map(|i| job(i, 1)).collect());
        assert_eq!(results[2].attempts, 6);
        let times = provider.times_of(number(2));
        let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
        let expected: Vec<Duration> = (1..=5)
            .map(|attempt| expected_delay(policy, seed, 2, attempt))
            .collect();
        assert_eq!(gaps, expected, "seed {seed}");
        // The caps: 400, 800, 1600, 3200 ms, then 5 s (not 6.4 s); each delay in [base/2, base].
        for (gap, base) in gaps.iter().zip([400, 800, 1600, 3200, 5000]) {
            let base = Duration::from_millis(base);
            assert!(*gap >= base / 2 && *gap <= base, "{gap:?} for {base:?}");
        }
        assert_eq!(results[2].last_attempt_at, times.last().copied());
    }
    // Two seeds give two schedules.
    let schedule = |seed| {
        (1..=5)
            .map(|attempt| expected_delay(policy, seed, 2, attempt))
            .collect::<Vec<_>>()
    };
    assert_ne!(schedule(1), schedule(2));
}

#[test]
fn a_policy_of_never_makes_exactly_one_attempt() {
    for (policy, attempts) in [(RetryPolicy::never(), 1), (RetryPolicy::default(), 4)] {
        let clock = SimulatedClock::new();
        let provider = Script::new(&clock, vec![(number(0), usize::MAX)]);
        let results = Dispatcher::new(&provider, &clock)
            .with_options(DispatchOptions::default().with_retry(policy))
            .dispatch(vec![job(0, 1)]);
        assert_eq!(results[0].attempts, attempts);
        assert_eq!(provider.times_of(number(0)).len(), attempts as usize);
        assert!(results[0].result.as_ref().unwrap_err().is_retryable());
    }
    assert_eq!(DispatchOptions::default().retry(), RetryPolicy::default());
    let options = DispatchOptions::default().with_retry(RetryPolicy::never());
    assert_eq!(options.retry().max_attempts, 1);
}

fn starts(results: &[Dispatched]) -> Vec<u128> {
    results
        .iter()
        .map(|r| r.last_attempt_at.unwrap().as_millis())
        .collect()
}

#[test]
fn burst_and_pace_at_their_boundaries() {
    // 2 segments a second: one every 500 ms. A burst of 3 lets the first 4 go at once.
    for (burst, expected) in [
        (0, vec![0, 500, 1000, 1500, 2000, 2500]),
        (1, vec![0, 0, 500, 1000, 1500, 2000]),
        (3, vec![0, 0, 0, 0, 500, 1000]),
    ] {
        let clock = SimulatedClock::new();
        let provider = Script::new(&clock, Vec::new());
        let options = DispatchOptions::default()
            .with_concurrency(1)
            .with_rate(Rate::per_second(2).unwrap())
            .with_burst(burst);
        assert_eq!(options.burst(), burst);
        let results = Dispatcher::new(&provider, &clock)
            .with_options(options)
            .dispatch((0..6).map(|i| job(i, 1)).collect());
        assert_eq!(starts(&results), expected, "burst {burst}");
    }
    // A 3-part message costs three slots.
    let clock = SimulatedClock::new();
    let provider = Script::new(&clock, Vec::new());
    let results = Dispatcher::new(&provider, &clock)
        .with_options(DispatchOptions::default().with_rate(Rate::per_second(2).unwrap()))
        .dispatch(vec![job(0, 3), job(1, 1), job(2, 1)]);
    assert_eq!(starts(&results), vec![0, 1500, 2000]);
}

#[test]
fn each_sender_keeps_its_own_rate() {
    let clock = SimulatedClock::new();
    let provider = Script::new(&clock, Vec::new());
    let options = DispatchOptions::default()
        .with_concurrency(2)
        .with_rate(Rate::per_second(1).unwrap())
        .with_sender_rate("12345", Rate::per_second(4).unwrap());
    let batch = vec![
        from("+32460200000", 0),
        from("12345", 1),
        from("+32460200000", 2),
        from("12345", 3),
        from("12345", 4),
        from("+32460200000", 5),
        from("12345", 6),
    ];
    let results = Dispatcher::new(&provider, &clock)
        .with_options(options)
        .dispatch(batch);
    // The long code at 1/s (0, 1, 2 s); the short code at 4/s (0, 250, 500, 750 ms).
    assert_eq!(starts(&results), vec![0, 0, 1000, 250, 500, 2000, 750]);
}

#[test]
fn a_due_retry_goes_before_fresh_messages() {
    let clock = SimulatedClock::new();
    // Job 0 fails once; its retry (after at most 500 ms) is due before the next slot (1 s).
    let provider = Script::new(&clock, vec![(number(0), 1)]);
    let options = DispatchOptions::default()
        .with_concurrency(1)
        .with_rate(Rate::per_second(1).unwrap())
        .with_retry(RetryPolicy::new(
            3,
            Duration::from_millis(500),
            Duration::from_secs(5),
        ));
    let results = Dispatcher::new(&provider, &clock)
        .with_options(options)
        .dispatch((0..4).map(|i| job(i, 1)).collect());
    assert!(results.iter().all(|r| r.result.is_ok()));
    assert_eq!(results[0].attempts, 2);
    assert_eq!(starts(&results), vec![1000, 2000, 3000, 4000]);
}

#[test]
fn concurrency_one_runs_on_the_calling_thread_and_more_in_parallel() {
    let clock = smskit_provider::SystemClock::new();
    let provider = Script::new(&clock, Vec::new());
    let results = Dispatcher::new(&provider, &clock)
        .with_options(DispatchOptions::default().with_concurrency(1))
        .dispatch((0..3).map(|i| job(i, 1)).collect());
    assert!(results.iter().all(|r| r.result.is_ok()));
    let me = thread::current().id();
    assert!(provider.calls.lock().unwrap().iter().all(|c| c.2 == me));

    /// Holds each call until a second one is in flight (or 5 s pass).
    #[derive(Debug, Default)]
    struct Meeting {
        in_flight: AtomicUsize,
        most: AtomicUsize,
    }
    impl Provider for Meeting {
        fn name(&self) -> &str {
            "meeting"
        }
        fn submit(&self, message: &OutboundMessage) -> Result<Receipt, Error> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            for _ in 0..500 {
                if self.most.load(Ordering::SeqCst) >= 2 {
                    break;
                }
                thread::sleep(Duration::from_millis(10));
            }
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            Ok(Receipt::new(
                "meeting",
                message.to.as_str(),
                TraceStatus::Pending,
                "ok",
            ))
        }
    }
    let meeting = Meeting::default();
    let results = Dispatcher::new(&meeting, &clock)
        .with_options(DispatchOptions::default().with_concurrency(4))
        .dispatch((0..8).map(|i| job(i, 1)).collect());
    assert!(results.iter().all(|r| r.result.is_ok()));
    assert!(
        meeting.most.load(Ordering::SeqCst) >= 2,
        "never two in flight"
    );
}

/// A clock whose `sleep_until` panics once: the worker holding a ticket unwinds.
#[derive(Debug, Default)]
struct BrokenClock {
    inner: SimulatedClock,
    sleeps: AtomicUsize,
}

impl Clock for BrokenClock {
    fn now(&self) -> Duration {
        self.inner.now()
    }

    fn sleep_until(&self, deadline: Duration) {
        if self.sleeps.fetch_add(1, Ordering::SeqCst) == 2 {
            panic!("the clock broke");
        }
        self.inner.sleep_until(deadline);
    }
}

#[test]
fn a_worker_that_unwinds_releases_its_claim_and_the_batch_ends() {
    // Without the release the other workers would wait for the lost message forever; with
    // it the batch ends and the worker's panic reaches the caller.
    let (done, finished) = mpsc::channel();
    let handle = thread::spawn(move || {
        let clock = BrokenClock::default();
        let provider = Script::new(&clock.inner, Vec::new());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Dispatcher::new(&provider, &clock)
                .with_options(DispatchOptions::default().with_concurrency(3))
                .dispatch((0..12).map(|i| job(i, 1)).collect())
        }));
        let _ = done.send((outcome.is_err(), provider.calls.lock().unwrap().len()));
    });
    let (panicked, calls) = finished
        .recv_timeout(Duration::from_secs(20))
        .expect("the batch hung: a claim was never released");
    handle.join().unwrap();
    assert!(panicked, "the clock's panic reaches the caller");
    assert_eq!(calls, 11, "every other message was sent");
}

#[test]
fn a_rate_reads_back_as_given() {
    let rate = Rate::per_second(3).unwrap();
    assert_eq!((rate.segments(), rate.per()), (3, Duration::from_secs(1)));
    let per_minute = Rate::new(180, Duration::from_secs(60)).unwrap();
    assert_eq!(per_minute.segments(), 180);
    assert_eq!(per_minute.min_equivalent().segments(), 3);
}

#[test]
fn a_sender_within_its_burst_is_not_put_behind_an_unlimited_one() {
    // Sender A: 1 a second with a burst of 2 (its first three are due at once); B unlimited.
    // Messages start in order of their earliest possible start, then input order: A's burst
    // keeps A's messages in line with B's instead of after them.
    let clock = SimulatedClock::new();
    let provider = Script::new(&clock, Vec::new());
    let options = DispatchOptions::default()
        .with_concurrency(1)
        .with_sender_rate("+32460200000", Rate::per_second(1).unwrap())
        .with_burst(2);
    let batch: Vec<Job> = (0..6)
        .map(|i| {
            if i % 2 == 0 {
                from("+32460200000", i)
            } else {
                from("+32460200001", i)
            }
        })
        .collect();
    let results = Dispatcher::new(&provider, &clock)
        .with_options(options)
        .dispatch(batch);
    assert!(results.iter().all(|r| r.result.is_ok()));
    let order: Vec<E164> = provider.calls.lock().unwrap().iter().map(|c| c.0).collect();
    assert_eq!(order, (0..6).map(number).collect::<Vec<_>>());
    assert_eq!(starts(&results), vec![0; 6]);
}

/// Answers the first call 429 with Retry-After 30 s, then accepts; notes the call times.
#[derive(Debug)]
struct SlowDown<'c> {
    clock: &'c SimulatedClock,
    calls: Mutex<Vec<Duration>>,
}

impl Provider for SlowDown<'_> {
    fn name(&self) -> &str {
        "slow-down"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt, Error> {
        let mut calls = self.calls.lock().unwrap();
        calls.push(self.clock.now());
        if calls.len() == 1 {
            return Err(Error::retryable(ErrorKind::RateLimited, "429")
                .with_retry_after(Duration::from_secs(30)));
        }
        Ok(Receipt::new(
            "slow-down",
            message.to.as_str(),
            TraceStatus::Pending,
            "ok",
        ))
    }
}

#[test]
fn retry_after_holds_a_sender_with_a_burst_too() {
    // The burst lets a sender run ahead of its pace, never ahead of the provider's
    // Retry-After, and not right after it either.
    let clock = SimulatedClock::new();
    let provider = SlowDown {
        clock: &clock,
        calls: Mutex::new(Vec::new()),
    };
    let options = DispatchOptions::default()
        .with_concurrency(1)
        .with_rate(Rate::per_second(2).unwrap())
        .with_burst(4)
        .with_retry(RetryPolicy::new(
            3,
            Duration::from_millis(100),
            Duration::from_secs(1),
        ));
    let results = Dispatcher::new(&provider, &clock)
        .with_options(options)
        .dispatch((0..6).map(|i| job(i, 1)).collect());
    assert!(results.iter().all(|r| r.result.is_ok()));
    let calls = provider.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 7);
    assert_eq!(calls[0], Duration::ZERO);
    // A sender the provider told to slow down resumes at its steady pace, its burst spent:
    // from 30 s on, one every 500 ms (a burst there would be five at 30 s).
    let after: Vec<u128> = calls[1..].iter().map(Duration::as_millis).collect();
    assert_eq!(after, vec![30_000, 30_500, 31_000, 31_500, 32_000, 32_500]);
}

#[test]
fn a_batch_starting_late_is_paced_from_its_start() {
    // The clock has run 10 s before the batch: a sender idle until then starts now, not in
    // the past, and keeps its pace (2 a second) from there.
    let clock = SimulatedClock::new();
    clock.advance(Duration::from_secs(10));
    let provider = Script::new(&clock, Vec::new());
    let options = DispatchOptions::default()
        .with_concurrency(1)
        .with_rate(Rate::per_second(2).unwrap());
    let results = Dispatcher::new(&provider, &clock)
        .with_options(options)
        .dispatch((0..4).map(|i| job(i, 1)).collect());
    assert_eq!(starts(&results), vec![10_000, 10_500, 11_000, 11_500]);
    let calls: Vec<u128> = provider
        .calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.1.as_millis())
        .collect();
    assert_eq!(calls, vec![10_000, 10_500, 11_000, 11_500]);
}
