//! Sending a batch: N messages in flight, rate limits per sender, retries with backoff.

mod clock;
mod rate;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

pub use clock::{Clock, SimulatedClock, SystemClock};
use rate::Limiter;
pub use rate::Rate;
use smskit_segment::Segmenter;

use crate::error::{Error, ErrorKind, Result};
use crate::message::{OutboundMessage, Receipt, Sender};
use crate::provider::Provider;
use crate::sender::SenderPool;

/// How often and how patiently retryable errors are retried.
///
/// The delay before attempt `n + 1` is `initial_backoff × 2^(n-1)`, capped at `max_backoff`,
/// with "equal jitter" (a uniformly drawn value between half the delay and the delay), and
/// never shorter than the provider's `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per message, the first included (at least 1).
    pub max_attempts: u32,
    /// The delay after the first failed attempt.
    pub initial_backoff: Duration,
    /// The longest delay.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, 1 s then 2 s then 4 s (jittered), at most 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy of `max_attempts` attempts (at least 1) with the given backoff.
    #[must_use]
    pub fn new(max_attempts: u32, initial_backoff: Duration, max_backoff: Duration) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            initial_backoff,
            max_backoff: max_backoff.max(initial_backoff),
        }
    }

    /// No retries: one attempt per message.
    #[must_use]
    pub fn never() -> Self {
        Self::new(1, Duration::ZERO, Duration::ZERO)
    }

    /// The delay after failed attempt `attempt` (1-based) before jitter.
    fn base_delay(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// The dispatcher's settings.
///
/// ```
/// use std::time::Duration;
/// use smskit_provider::{DispatchOptions, Rate, RetryPolicy};
///
/// let options = DispatchOptions::default()
///     .with_concurrency(8)
///     .with_rate(Rate::per_second(1).unwrap()) // long codes
///     .with_sender_rate("12345", Rate::per_second(100).unwrap()) // a short code
///     .with_retry(RetryPolicy::new(5, Duration::from_millis(500), Duration::from_secs(30)))
///     .with_jitter_seed(42);
/// assert_eq!(options.concurrency(), 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchOptions {
    concurrency: usize,
    rate: Option<Rate>,
    sender_rates: BTreeMap<String, Rate>,
    burst: u32,
    retry: RetryPolicy,
    jitter_seed: u64,
}

impl Default for DispatchOptions {
    /// 4 messages in flight, no rate limit, no burst, [`RetryPolicy::default`], seed 0.
    fn default() -> Self {
        Self {
            concurrency: 4,
            rate: None,
            sender_rates: BTreeMap::new(),
            burst: 0,
            retry: RetryPolicy::default(),
            jitter_seed: 0,
        }
    }
}

impl DispatchOptions {
    /// How many messages are in flight at once (at least 1). With 1, a batch is sent on the
    /// calling thread (no thread is spawned); with more, on that many scoped threads.
    #[must_use]
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// The rate limit of every sender without its own.
    #[must_use]
    pub fn with_rate(mut self, rate: Rate) -> Self {
        self.rate = Some(rate);
        self
    }

    /// The rate limit of one sender (as [`Sender::as_str`] writes it; `""` for messages without
    /// a sender).
    #[must_use]
    pub fn with_sender_rate(mut self, sender: impl Into<String>, rate: Rate) -> Self {
        self.sender_rates.insert(sender.into(), rate);
        self
    }

    /// How many segments a sender may send ahead of its steady pace (default 0: messages are
    /// evenly spaced, so any window of time sees at most its share plus one message). A sender
    /// the provider held with `Retry-After` resumes at its steady pace: its burst is spent.
    #[must_use]
    pub fn with_burst(mut self, segments: u32) -> Self {
        self.burst = segments;
        self
    }

    /// The retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The seed of the backoff jitter: the same seed gives the same delays, whatever the
    /// thread scheduling.
    #[must_use]
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = seed;
        self
    }

    /// Messages in flight at once.
    #[must_use]
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// The rate of `sender`, if limited.
    #[must_use]
    pub fn rate_of(&self, sender: &str) -> Option<Rate> {
        self.sender_rates.get(sender).copied().or(self.rate)
    }

    /// The segments a sender may send ahead of its pace.
    #[must_use]
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The retry policy.
    #[must_use]
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }
}

/// One message of a batch, with the number of segments its rate limit counts.
///
/// The count comes from the `smskit-segment` options the message was composed with (shift
/// tables, Smart Encoding, concatenation header): the dispatcher never guesses it, so its pace
/// matches what the provider bills.
///
/// ```
/// use smskit_phone::E164;
/// use smskit_provider::{Job, OutboundMessage};
/// use smskit_segment::{Language, LanguageSet, Segmenter};
///
/// let to = E164::parse("+905321234567").unwrap();
/// let turkish = Segmenter::new().with_languages(LanguageSet::EMPTY.with(Language::Turkish));
/// let job = Job::segmented(OutboundMessage::new(to, "Güzel bir gün: şimdi %20 indirim!"), &turkish)?;
/// assert_eq!(job.segments, 1); // 7-bit with the Turkish tables, not UCS-2
/// # Ok::<(), smskit_provider::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Job {
    /// The message.
    pub message: OutboundMessage,
    /// Its segments (at least 1 is counted).
    pub segments: u32,
}

impl Job {
    /// A job of `segments` segments: the count `smskit-segment` gave when the message was
    /// composed.
    #[must_use]
    pub fn new(message: OutboundMessage, segments: u32) -> Self {
        Self { message, segments }
    }

    /// A job whose body `segmenter` counts: the same options the message was composed with.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidRequest`] error when the segmenter refuses the body
    /// (GSM-7 forced on a text that does not fit).
    pub fn segmented(message: OutboundMessage, segmenter: &Segmenter) -> Result<Self> {
        let count = segmenter
            .count(&message.body)
            .map_err(|error| Error::permanent(ErrorKind::InvalidRequest, error.to_string()))?;
        let segments = u32::try_from(count.parts).unwrap_or(u32::MAX);
        Ok(Self::new(message, segments))
    }
}

/// The outcome of one message of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dispatched {
    /// The message (with the sender the pool chose, if any).
    pub message: OutboundMessage,
    /// The receipt, or the last error.
    pub result: Result<Receipt>,
    /// How many times the provider was called for it (0 when it was refused before).
    pub attempts: u32,
    /// When (by the dispatcher's clock) the last attempt was due to start: its rate-limit
    /// slot, or the end of its backoff.
    pub last_attempt_at: Option<Duration>,
}

/// Sends batches through a provider: `N` messages in flight on scoped threads, a rate limit
/// in segments per second per sender, retries of retryable errors with exponential backoff and
/// jitter, and exactly one [`Dispatched`] per message, in input order.
///
/// Guarantees:
/// - every job gets one result: nothing is lost, also when the provider panics (that is an
///   [`ErrorClass::Unknown`](crate::ErrorClass::Unknown) error, as the message may have left);
/// - only [`ErrorClass::Retryable`](crate::ErrorClass::Retryable) errors are retried, so a
///   message is never sent twice by a retry; attempts are bounded by the policy;
/// - each sender's starts are paced to its rate (see [`DispatchOptions::with_burst`]); a
///   provider's `Retry-After` on a rate limit holds the whole sender, not just one message.
///
/// Time comes from the injected [`Clock`]: [`SystemClock`] in production,
/// [`SimulatedClock`] in tests (a simulated minute runs in microseconds).
///
/// ```
/// use smskit_phone::E164;
/// use smskit_provider::{
///     Dispatcher, DispatchOptions, Job, OutboundMessage, Rate, SimulatedClock, StubProvider,
/// };
///
/// let stub = StubProvider::new();
/// let clock = SimulatedClock::new();
/// let jobs: Vec<Job> = (0..10)
///     .map(|i| {
///         let to = E164::parse(&format!("+3247012345{i}")).unwrap();
///         Job::new(OutboundMessage::new(to, "Hello"), 1)
///     })
///     .collect();
/// let options = DispatchOptions::default().with_rate(Rate::per_second(2).unwrap());
/// let results = Dispatcher::new(&stub, &clock).with_options(options).dispatch(jobs);
/// assert_eq!(results.len(), 10);
/// assert!(results.iter().all(|r| r.result.is_ok()));
/// // Ten one-segment messages at 2 per second: the last starts at 4.5 s.
/// assert_eq!(clock.now().as_millis(), 4500);
/// # use smskit_provider::Clock;
/// ```
#[derive(Debug, Clone)]
pub struct Dispatcher<'a> {
    provider: &'a dyn Provider,
    clock: &'a dyn Clock,
    senders: Option<&'a SenderPool>,
    options: DispatchOptions,
}

/// The outcome of one job, before it is joined with its message.
struct Outcome {
    result: Result<Receipt>,
    attempts: u32,
    last_attempt_at: Option<Duration>,
}

/// The messages of one sender waiting for their turn.
struct SenderQueue {
    key: String,
    rate: Option<Rate>,
    /// Messages not tried yet, in input order.
    fresh: VecDeque<usize>,
    /// Messages to retry: (not before, index, attempts made).
    delayed: BinaryHeap<Reverse<(Duration, usize, u32)>>,
}

struct State {
    queues: Vec<SenderQueue>,
    limiter: Limiter,
    in_flight: usize,
    outcomes: Vec<Option<Outcome>>,
}

/// Hands out messages in order of their earliest possible start, across senders, so that a
/// slow sender never holds up a fast one and a message waiting for its retry never holds up a
/// worker.
struct Scheduler {
    state: Mutex<State>,
    wake: Condvar,
    /// Segments a sender may send ahead of its pace ([`DispatchOptions::with_burst`]).
    burst: u32,
}

/// A message handed to a worker.
struct Ticket {
    index: usize,
    queue: usize,
    attempts: u32,
    start: Duration,
}

impl Scheduler {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Every critical section leaves the state consistent, so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next message to send and when, or `None` when every message has its outcome.
    fn next(&self, clock: &dyn Clock, jobs: &[Job]) -> Option<Ticket> {
        let burst = self.burst;
        let mut guard = self.lock();
        loop {
            let now = clock.now();
            let state = &mut *guard;
            // (start, index, queue, from the retry heap)
            let mut best: Option<(Duration, usize, usize, bool)> = None;
            for (queue_index, queue) in state.queues.iter().enumerate() {
                let slot = queue
                    .rate
                    .map_or(now, |rate| state.limiter.peek(&queue.key, rate, burst, now));
                let due = queue.delayed.peek().map(|Reverse(entry)| *entry);
                let candidate = match (due, queue.fresh.front()) {
                    (Some((not_before, index, _)), _) if not_before <= slot => (slot, index, true),
                    (_, Some(&index)) => (slot, index, false),
                    (Some((not_before, index, _)), None) => (slot.max(not_before), index, true),
                    (None, None) => continue,
                };
                if best.is_none_or(|(start, index, ..)| (candidate.0, candidate.1) < (start, index))
                {
                    best = Some((candidate.0, candidate.1, queue_index, candidate.2));
                }
            }
            let Some((start, index, queue_index, delayed)) = best else {
                if state.in_flight == 0 {
                    return None;
                }
                guard = self
                    .wake
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            };
            let queue = state.queues.get_mut(queue_index)?;
            let attempts = if delayed {
                queue
                    .delayed
                    .pop()
                    .map_or(0, |Reverse((_, _, attempts))| attempts)
            } else {
                queue.fresh.pop_front();
                0
            };
            let start = match queue.rate {
                Some(rate) => {
                    let cost = jobs.get(index).map_or(1, |job| job.segments);
                    state.limiter.reserve(&queue.key, rate, burst, cost, start)
                }
                None => start,
            };
            state.in_flight += 1;
            return Some(Ticket {
                index,
                queue: queue_index,
                attempts,
                start,
            });
        }
    }

    /// Puts a message back in its sender's queue until `not_before`; `hold` holds the whole
    /// sender until then too (the provider rate limited it), when the sender has a rate.
    fn retry(&self, ticket: &Ticket, attempts: u32, not_before: Duration, hold: bool) {
        let mut guard = self.lock();
        let state = &mut *guard;
        state.in_flight = state.in_flight.saturating_sub(1);
        if let Some(queue) = state.queues.get_mut(ticket.queue) {
            queue
                .delayed
                .push(Reverse((not_before, ticket.index, attempts)));
            if hold && let Some(rate) = queue.rate {
                state
                    .limiter
                    .defer(&queue.key, rate, self.burst, not_before);
            }
        }
        self.wake.notify_all();
    }

    fn finish(&self, index: usize, outcome: Outcome) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if let Some(slot) = state.outcomes.get_mut(index) {
            *slot = Some(outcome);
        }
        self.wake.notify_all();
    }
}

/// A ticket being worked on: if the worker unwinds (a panicking clock), the message still
/// gets an outcome and the other workers are not left waiting.
struct Claim<'s> {
    scheduler: &'s Scheduler,
    ticket: Option<Ticket>,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.scheduler.finish(
                ticket.index,
                Outcome {
                    result: Err(Error::unknown(
                        ErrorKind::Other,
                        "the dispatcher's worker failed while sending; the message may have been sent",
                    )),
                    attempts: ticket.attempts + 1,
                    last_attempt_at: Some(ticket.start),
                },
            );
        }
    }
}

impl<'a> Dispatcher<'a> {
    /// A dispatcher with [`DispatchOptions::default`].
    #[must_use]
    pub fn new(provider: &'a dyn Provider, clock: &'a dyn Clock) -> Self {
        Self {
            provider,
            clock,
            senders: None,
            options: DispatchOptions::default(),
        }
    }

    /// Sets the options.
    #[must_use]
    pub fn with_options(mut self, options: DispatchOptions) -> Self {
        self.options = options;
        self
    }

    /// Gives messages without a sender one from `pool`, chosen by destination country, before
    /// their rate limit applies.
    #[must_use]
    pub fn with_senders(mut self, pool: &'a SenderPool) -> Self {
        self.senders = Some(pool);
        self
    }

    /// Sends every job; returns one [`Dispatched`] per job, in input order.
    ///
    /// Messages are started in order of their earliest possible start: a sender's messages in
    /// input order, senders interleaved by their rates; a message to retry waits in its
    /// sender's queue, not in a worker.
    #[must_use]
    pub fn dispatch(&self, mut jobs: Vec<Job>) -> Vec<Dispatched> {
        if let Some(pool) = self.senders {
            for job in &mut jobs {
                if job.message.from.is_none() {
                    job.message.from = pool
                        .choose(&job.message.to)
                        .map(|n| Sender::Number(n.number));
                }
            }
        }
        let mut queues: Vec<SenderQueue> = Vec::new();
        let mut queue_of: HashMap<&str, usize> = HashMap::new();
        let mut outcomes: Vec<Option<Outcome>> = Vec::with_capacity(jobs.len());
        for (index, job) in jobs.iter().enumerate() {
            if let Err(error) = job.message.check() {
                outcomes.push(Some(Outcome {
                    result: Err(error),
                    attempts: 0,
                    last_attempt_at: None,
                }));
                continue;
            }
            outcomes.push(None);
            let key = job.message.from.as_ref().map_or("", Sender::as_str);
            let queue = *queue_of.entry(key).or_insert_with(|| {
                queues.push(SenderQueue {
                    key: key.to_owned(),
                    rate: self.options.rate_of(key),
                    fresh: VecDeque::new(),
                    delayed: BinaryHeap::new(),
                });
                queues.len() - 1
            });
            if let Some(queue) = queues.get_mut(queue) {
                queue.fresh.push_back(index);
            }
        }
        let pending = outcomes.iter().filter(|o| o.is_none()).count();
        let scheduler = Scheduler {
            state: Mutex::new(State {
                queues,
                limiter: Limiter::default(),
                in_flight: 0,
                outcomes,
            }),
            wake: Condvar::new(),
            burst: self.options.burst,
        };
        let workers = self.options.concurrency.min(pending).max(1);
        let work = || self.work(&scheduler, &jobs);
        if workers == 1 {
            work();
        } else {
            std::thread::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(work);
                }
            });
        }
        let outcomes = scheduler
            .state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .outcomes;
        jobs.into_iter()
            .zip(outcomes)
            .map(|(job, outcome)| {
                // Every job was finished before the workers stopped; the fallback only keeps
                // the function total.
                let outcome = outcome.unwrap_or_else(|| Outcome {
                    result: Err(Error::unknown(
                        ErrorKind::Other,
                        "the dispatcher lost track of this message",
                    )),
                    attempts: 0,
                    last_attempt_at: None,
                });
                Dispatched {
                    message: job.message,
                    result: outcome.result,
                    attempts: outcome.attempts,
                    last_attempt_at: outcome.last_attempt_at,
                }
            })
            .collect()
    }

    /// One worker: takes tickets until every message has its outcome.
    fn work(&self, scheduler: &Scheduler, jobs: &[Job]) {
        while let Some(ticket) = scheduler.next(self.clock, jobs) {
            let mut claim = Claim {
                scheduler,
                ticket: Some(ticket),
            };
            let Some(ticket) = claim.ticket.as_ref() else {
                break;
            };
            let Some(job) = jobs.get(ticket.index) else {
                break;
            };
            self.clock.sleep_until(ticket.start);
            let attempts = ticket.attempts + 1;
            let result = catch_unwind(AssertUnwindSafe(|| self.provider.send(&job.message))).unwrap_or_else(|_| {
                Err(Error::unknown(
                    ErrorKind::Other,
                    format!(
                        "the {} provider panicked while sending; the message may have been sent",
                        self.provider.name()
                    ),
                ))
            });
            let Some(ticket) = claim.ticket.take() else {
                break;
            };
            match result {
                Err(error)
                    if error.is_retryable() && attempts < self.options.retry.max_attempts =>
                {
                    let delay = self
                        .backoff(ticket.index, attempts)
                        .max(error.retry_after().unwrap_or_default());
                    let resume = self.clock.now().max(ticket.start).saturating_add(delay);
                    let hold = error.kind() == ErrorKind::RateLimited;
                    scheduler.retry(&ticket, attempts, resume, hold);
                }
                result => scheduler.finish(
                    ticket.index,
                    Outcome {
                        result,
                        attempts,
                        last_attempt_at: Some(ticket.start),
                    },
                ),
            }
        }
    }

    /// The jittered delay after failed attempt `attempt` of job `index`: deterministic for a
    /// seed, whatever the thread scheduling.
    fn backoff(&self, index: usize, attempt: u32) -> Duration {
        let base = self.options.retry.base_delay(attempt);
        let half = base / 2;
        let span = u64::try_from((base - half).as_nanos()).unwrap_or(u64::MAX);
        let random = split_mix(
            self.options.jitter_seed
                ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ u64::from(attempt).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
        );
        let jitter = if span == u64::MAX {
            random
        } else {
            random % (span + 1)
        };
        half.saturating_add(Duration::from_nanos(jitter))
    }
}

/// SplitMix64's output function: a well-mixed 64-bit value from any input.
fn split_mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_delays_double_and_cap() {
        let policy = RetryPolicy::new(10, Duration::from_secs(1), Duration::from_secs(10));
        let delays: Vec<u64> = (1..=6).map(|n| policy.base_delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 10, 10]);
        assert_eq!(policy.base_delay(200), Duration::from_secs(10));
        assert_eq!(
            RetryPolicy::new(0, Duration::ZERO, Duration::ZERO).max_attempts,
            1
        );
    }

    #[test]
    fn jitter_is_bounded_and_seeded() {
        let stub = crate::StubProvider::new();
        let clock = SimulatedClock::new();
        let dispatcher = Dispatcher::new(&stub, &clock)
            .with_options(DispatchOptions::default().with_jitter_seed(7));
        for attempt in 1..5 {
            for index in 0..50 {
                let base = RetryPolicy::default().base_delay(attempt);
                let delay = dispatcher.backoff(index, attempt);
                assert!(delay >= base / 2 && delay <= base, "{delay:?} vs {base:?}");
                assert_eq!(delay, dispatcher.backoff(index, attempt));
            }
        }
        let other = Dispatcher::new(&stub, &clock)
            .with_options(DispatchOptions::default().with_jitter_seed(8));
        assert!((0..20).any(|i| other.backoff(i, 1) != dispatcher.backoff(i, 1)));
    }
}
