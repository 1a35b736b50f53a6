//! The dispatcher under injected faults and in simulated time.

use std::collections::HashMap;
use std::time::Duration;

use proptest::prelude::*;
use smskit_phone::{E164, Region};
use smskit_provider::{
    Clock, DispatchOptions, Dispatched, Dispatcher, Error, ErrorClass, ErrorKind, Job,
    OutboundMessage, Provider, Rate, Receipt, RetryPolicy, Sender, SenderNumber, SenderPool,
    SimulatedClock, StubProvider,
};
use smskit_segment::{Language, LanguageSet, Segmenter, Transliteration};

fn number(i: usize) -> E164 {
    E164::parse(&format!("+3247{i:07}")).unwrap()
}

fn jobs(count: usize) -> Vec<Job> {
    (0..count)
        .map(|i| Job::new(OutboundMessage::new(number(i), format!("Hello {i}")), 1))
        .collect()
}

fn retry() -> RetryPolicy {
    RetryPolicy::new(4, Duration::from_millis(500), Duration::from_secs(8))
}

/// Builds a stub where message `i` behaves according to `i % 10`.
fn faulty_stub(count: usize) -> StubProvider {
    let mut stub = StubProvider::new();
    for i in 0..count {
        stub = match i % 10 {
            1 => stub.failing_for(
                number(i),
                Error::permanent(ErrorKind::InvalidNumber, "invalid").with_code("21211"),
            ),
            2 => stub.failing_times(
                number(i),
                1,
                Error::retryable(ErrorKind::RateLimited, "slow down"),
            ),
            3 => stub.failing_times(
                number(i),
                3,
                Error::retryable(ErrorKind::ServerError, "flaky"),
            ),
            4 => stub.failing_for(number(i), Error::retryable(ErrorKind::ServerError, "down")),
            5 => stub.failing_for(number(i), Error::unknown(ErrorKind::Timeout, "no answer")),
            6 => stub.failing_times(
                number(i),
                1,
                Error::unknown(ErrorKind::ConnectionLost, "reset"),
            ),
            _ => stub,
        };
    }
    stub
}

fn check_accounting(count: usize, stub: &StubProvider, results: &[Dispatched]) {
    // One result per message, in input order.
    assert_eq!(results.len(), count);
    for (i, result) in results.iter().enumerate() {
        assert_eq!(
            result.message.to,
            number(i),
            "result {i} is for message {i}"
        );
    }
    // Accepted exactly once: the provider's accepted messages are exactly the Ok results.
    let mut accepted: HashMap<E164, usize> = HashMap::new();
    for message in stub.messages() {
        *accepted.entry(message.to).or_default() += 1;
    }
    assert!(
        accepted.values().all(|n| *n == 1),
        "a message was accepted twice"
    );
    let ok = results.iter().filter(|r| r.result.is_ok()).count();
    assert_eq!(ok, accepted.len());
    // The provider saw exactly the attempts the results report.
    let mut attempts: HashMap<E164, u32> = HashMap::new();
    for message in stub.attempts() {
        *attempts.entry(message.to).or_default() += 1;
    }
    for result in results {
        assert_eq!(
            attempts.get(&result.message.to).copied().unwrap_or(0),
            result.attempts
        );
    }
    // Per fault class.
    for (i, result) in results.iter().enumerate() {
        match i % 10 {
            1 => {
                assert_eq!(result.attempts, 1, "permanent errors are not retried");
                assert_eq!(
                    result.result.as_ref().unwrap_err().class(),
                    ErrorClass::Permanent
                );
            }
            2 => assert_eq!((result.attempts, result.result.is_ok()), (2, true)),
            3 => assert_eq!((result.attempts, result.result.is_ok()), (4, true)),
            4 => {
                assert_eq!(result.attempts, 4, "bounded attempts");
                assert_eq!(
                    result.result.as_ref().unwrap_err().class(),
                    ErrorClass::Retryable
                );
            }
            5 | 6 => {
                assert_eq!(result.attempts, 1, "unknown outcomes are never retried");
                assert_eq!(
                    result.result.as_ref().unwrap_err().class(),
                    ErrorClass::Unknown
                );
            }
            _ => assert_eq!((result.attempts, result.result.is_ok()), (1, true)),
        }
    }
}

#[test]
fn every_message_accounted_for_exactly_once() {
    for concurrency in [1, 3, 8, 64] {
        let count = 500;
        let stub = faulty_stub(count);
        let clock = SimulatedClock::new();
        let options = DispatchOptions::default()
            .with_concurrency(concurrency)
            .with_rate(Rate::per_second(50).unwrap())
            .with_retry(retry())
            .with_jitter_seed(7);
        let results = Dispatcher::new(&stub, &clock)
            .with_options(options)
            .dispatch(jobs(count));
        check_accounting(count, &stub, &results);
    }
}

#[test]
fn refused_messages_never_reach_the_provider() {
    let stub = StubProvider::new();
    let clock = SimulatedClock::new();
    let batch = vec![
        Job::new(OutboundMessage::new(number(0), ""), 1),
        Job::new(OutboundMessage::new(number(1), "ok"), 1),
    ];
    let results = Dispatcher::new(&stub, &clock).dispatch(batch);
    assert_eq!(results[0].attempts, 0);
    assert_eq!(
        results[0].result.as_ref().unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert!(results[1].result.is_ok());
    assert_eq!(stub.attempts().len(), 1);
}

/// Segments started in `[0, window)` per sender.
fn segments_within(
    results: &[Dispatched],
    segments: &[u32],
    window: Duration,
) -> HashMap<String, u64> {
    let mut sent = HashMap::new();
    for (result, segments) in results.iter().zip(segments) {
        if result.last_attempt_at.is_some_and(|at| at < window) {
            let sender = result
                .message
                .from
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            *sent.entry(sender).or_insert(0) += u64::from(*segments);
        }
    }
    sent
}

fn within_one_percent(actual: u64, expected: u64) -> bool {
    actual.abs_diff(expected) * 100 <= expected
}

#[test]
fn rate_limit_holds_over_a_simulated_minute() {
    for (rate, concurrency) in [(10, 8), (1, 4), (3, 1), (100, 16), (7, 32)] {
        let stub = StubProvider::new();
        let clock = SimulatedClock::new();
        let count = rate as usize * 75;
        let options = DispatchOptions::default()
            .with_concurrency(concurrency)
            .with_rate(Rate::per_second(rate).unwrap());
        let results = Dispatcher::new(&stub, &clock)
            .with_options(options)
            .dispatch(jobs(count));
        assert!(results.iter().all(|r| r.result.is_ok()));
        let segments = vec![1; count];
        let sent = segments_within(&results, &segments, Duration::from_secs(60));
        let expected = u64::from(rate) * 60;
        assert!(
            within_one_percent(sent[""], expected),
            "{rate}/s: {} segments in a minute",
            sent[""]
        );
        assert!(sent[""] <= expected, "never above the rate");
    }
}

#[test]
fn rate_counts_segments_per_sender() {
    // Two senders with their own rates; messages of 1 to 3 segments.
    let stub = StubProvider::new();
    let clock = SimulatedClock::new();
    let long_code = Sender::parse("+32460200000").unwrap();
    let short_code = Sender::parse("12345").unwrap();
    let mut batch = Vec::new();
    let mut segments = Vec::new();
    for i in 0..4000 {
        let from = if i % 2 == 0 {
            long_code.clone()
        } else {
            short_code.clone()
        };
        let parts = 1 + (i % 3) as u32;
        let body = "x".repeat(153 * parts as usize);
        batch.push(
            Job::segmented(
                OutboundMessage::new(number(i), body).with_from(from),
                &Segmenter::new(),
            )
            .unwrap(),
        );
        segments.push(parts);
    }
    assert_eq!(batch[2].segments, 3, "jobs count their segments");
    let options = DispatchOptions::default()
        .with_concurrency(12)
        .with_rate(Rate::per_second(5).unwrap())
        .with_sender_rate("12345", Rate::per_second(40).unwrap());
    let results = Dispatcher::new(&stub, &clock)
        .with_options(options)
        .dispatch(batch);
    let sent = segments_within(&results, &segments, Duration::from_secs(60));
    let long = sent[long_code.as_str()];
    let short = sent[short_code.as_str()];
    // A message that starts before the minute ends may carry up to 3 segments.
    assert!((297..=302).contains(&long), "long code: {long}");
    assert!((2376..=2402).contains(&short), "short code: {short}");
}

/// A provider answering 429 with Retry-After for the first call, then accepting.
#[derive(Debug, Default)]
struct TooFast {
    calls: std::sync::Mutex<Vec<Duration>>,
    clock: SimulatedClock,
}

impl Provider for TooFast {
    fn name(&self) -> &str {
        "too-fast"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt, Error> {
        let mut calls = self.calls.lock().unwrap();
        calls.push(self.clock.now());
        if calls.len() == 1 {
            return Err(Error::retryable(ErrorKind::RateLimited, "429")
                .with_retry_after(Duration::from_secs(30)));
        }
        Ok(Receipt::new(
            "too-fast",
            message.to.as_str(),
            smskit_provider::TraceStatus::Pending,
            "ok",
        ))
    }
}

#[test]
fn retry_after_holds_the_whole_sender() {
    let provider = TooFast::default();
    let options = DispatchOptions::default()
        .with_concurrency(1)
        .with_rate(Rate::per_second(10).unwrap())
        .with_retry(RetryPolicy::new(
            3,
            Duration::from_millis(100),
            Duration::from_secs(1),
        ));
    let results = Dispatcher::new(&provider, &provider.clock)
        .with_options(options)
        .dispatch(jobs(5));
    assert!(results.iter().all(|r| r.result.is_ok()));
    let calls = provider.calls.lock().unwrap().clone();
    assert_eq!(calls[0], Duration::ZERO);
    assert!(
        calls[1..].iter().all(|t| *t >= Duration::from_secs(30)),
        "{calls:?}"
    );
}

/// A provider that panics for one number.
#[derive(Debug)]
struct Panicky;

impl Provider for Panicky {
    fn name(&self) -> &str {
        "panicky"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt, Error> {
        assert_ne!(message.to, number(3), "boom");
        Ok(Receipt::new(
            "panicky",
            "id",
            smskit_provider::TraceStatus::Pending,
            "ok",
        ))
    }
}

#[test]
fn a_panicking_provider_loses_no_message() {
    let clock = SimulatedClock::new();
    let results = Dispatcher::new(&Panicky, &clock)
        .with_options(DispatchOptions::default().with_concurrency(4))
        .dispatch(jobs(10));
    assert_eq!(results.len(), 10);
    let error = results[3].result.as_ref().unwrap_err();
    assert_eq!(error.class(), ErrorClass::Unknown, "it may have been sent");
    assert_eq!(results[3].attempts, 1);
    assert_eq!(results.iter().filter(|r| r.result.is_ok()).count(), 9);
}

#[test]
fn backoff_is_exponential_jittered_and_seeded() {
    let run = |seed: u64| {
        let stub = StubProvider::new()
            .failing_for(number(0), Error::retryable(ErrorKind::ServerError, "down"));
        let clock = SimulatedClock::new();
        let options = DispatchOptions::default()
            .with_concurrency(1)
            .with_retry(RetryPolicy::new(
                5,
                Duration::from_secs(1),
                Duration::from_secs(60),
            ))
            .with_jitter_seed(seed);
        let results = Dispatcher::new(&stub, &clock)
            .with_options(options)
            .dispatch(jobs(1));
        (results[0].last_attempt_at.unwrap(), results[0].attempts)
    };
    let (a, attempts) = run(1);
    assert_eq!(attempts, 5);
    // Delays between half and all of 1 + 2 + 4 + 8 s.
    assert!(
        a >= Duration::from_millis(7500) && a <= Duration::from_secs(15),
        "{a:?}"
    );
    assert_eq!(run(1), run(1), "same seed, same schedule");
    assert!((2..20).any(|seed| run(seed).0 != a), "the seed matters");
}

#[test]
fn sender_pool_assigns_senders_before_rate_limits() {
    let be: Region = "BE".parse().unwrap();
    let fr: Region = "FR".parse().unwrap();
    let pool = SenderPool::from_iter([
        SenderNumber::new(E164::parse("+33700000000").unwrap(), fr, 1),
        SenderNumber::new(E164::parse("+32460200000").unwrap(), be, 2),
    ]);
    let stub = StubProvider::new();
    let clock = SimulatedClock::new();
    let batch = vec![
        Job::new(
            OutboundMessage::new(E164::parse("+32470123456").unwrap(), "be"),
            1,
        ),
        Job::new(
            OutboundMessage::new(E164::parse("+33612345678").unwrap(), "fr"),
            1,
        ),
        Job::new(
            OutboundMessage::new(E164::parse("+4915112345678").unwrap(), "de"),
            1,
        ),
        Job::new(
            OutboundMessage::new(E164::parse("+32470123457").unwrap(), "own")
                .with_from(Sender::parse("ACME").unwrap()),
            1,
        ),
    ];
    let results = Dispatcher::new(&stub, &clock)
        .with_senders(&pool)
        .dispatch(batch);
    let froms: Vec<&str> = results
        .iter()
        .map(|r| r.message.from.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(
        froms,
        ["+32460200000", "+33700000000", "+33700000000", "ACME"]
    );
}

#[test]
fn boxed_provider_works_from_configuration() {
    let name = "stub";
    let provider: Box<dyn Provider> = match name {
        "stub" => Box::new(StubProvider::new()),
        _ => unreachable!(),
    };
    let clock = SimulatedClock::new();
    let results = Dispatcher::new(&provider, &clock).dispatch(jobs(3));
    assert!(results.iter().all(|r| {
        r.result
            .as_ref()
            .is_ok_and(|receipt| receipt.provider == "stub")
    }));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the faults and the concurrency, every message gets exactly one result and no
    /// message is accepted twice.
    #[test]
    fn accounting_invariant(
        kinds in proptest::collection::vec(0u8..6, 1..120),
        concurrency in 1usize..10,
        max_attempts in 1u32..5,
    ) {
        let mut stub = StubProvider::new();
        for (i, kind) in kinds.iter().enumerate() {
            stub = match kind {
                1 => stub.failing_for(number(i), Error::permanent(ErrorKind::Rejected, "no")),
                2 => stub.failing_times(number(i), 2, Error::retryable(ErrorKind::ServerError, "flaky")),
                3 => stub.failing_for(number(i), Error::retryable(ErrorKind::RateLimited, "429")),
                4 => stub.failing_for(number(i), Error::unknown(ErrorKind::Timeout, "?")),
                _ => stub,
            };
        }
        let clock = SimulatedClock::new();
        let options = DispatchOptions::default()
            .with_concurrency(concurrency)
            .with_rate(Rate::per_second(20).unwrap())
            .with_retry(RetryPolicy::new(max_attempts, Duration::from_millis(10), Duration::from_millis(100)));
        let results = Dispatcher::new(&stub, &clock).with_options(options).dispatch(jobs(kinds.len()));
        prop_assert_eq!(results.len(), kinds.len());
        let mut seen = std::collections::HashSet::new();
        for message in stub.messages() {
            prop_assert!(seen.insert(message.to), "accepted twice");
        }
        for (i, (result, kind)) in results.iter().zip(&kinds).enumerate() {
            prop_assert_eq!(result.message.to, number(i));
            prop_assert!(result.attempts >= 1 && result.attempts <= max_attempts);
            let expected_ok = match kind {
                1 | 3 | 4 => false,
                2 => max_attempts >= 3,
                _ => true,
            };
            prop_assert_eq!(result.result.is_ok(), expected_ok);
            if let Err(error) = &result.result
                && !error.is_retryable()
            {
                prop_assert_eq!(result.attempts, 1);
            }
        }
    }
}

/// A job counts the segments of the options the message was composed with, never a second
/// GSM-7 table of its own: a Turkish text with the Turkish shift tables and a curly quote
/// under Smart Encoding both stay 7-bit.
#[test]
fn jobs_count_with_the_segmenter_of_the_message() {
    let turkish = Segmenter::new().with_languages(LanguageSet::EMPTY.with(Language::Turkish));
    let body = "Güzel bir gün: şimdi %20 indirim! ".repeat(4); // 136 chars, 7-bit with the tables
    let expected = turkish.count(&body).unwrap().parts;
    let job = Job::segmented(OutboundMessage::new(number(0), body.clone()), &turkish).unwrap();
    assert_eq!(job.segments as usize, expected);
    assert_eq!(job.segments, 1, "UCS-2 would need 3 parts");

    let smart = Segmenter::new().with_transliteration(Transliteration::Smart);
    let body = format!("Don’t miss it {}", "a".repeat(100));
    let job = Job::segmented(OutboundMessage::new(number(1), body.clone()), &smart).unwrap();
    assert_eq!(job.segments, 1);
    let standard = Job::segmented(OutboundMessage::new(number(1), body), &Segmenter::new());
    assert_eq!(standard.unwrap().segments, 2);

    let forced = Segmenter::new().with_encoding(smskit_segment::EncodingChoice::Gsm7);
    let error = Job::segmented(OutboundMessage::new(number(2), "ç"), &forced).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
}

/// A transport that answers with the next scripted response and counts the requests.
#[derive(Debug)]
struct Scripted {
    responses: std::sync::Mutex<Vec<smskit_provider::HttpResponse>>,
    requests: std::sync::atomic::AtomicUsize,
}

impl Scripted {
    fn new(mut responses: Vec<smskit_provider::HttpResponse>) -> Self {
        responses.reverse();
        Self {
            responses: std::sync::Mutex::new(responses),
            requests: std::sync::atomic::AtomicUsize::new(0),
        }
    }
}

impl smskit_provider::Transport for Scripted {
    fn execute(
        &self,
        _: &smskit_provider::HttpRequest,
    ) -> Result<smskit_provider::HttpResponse, Error> {
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(self
            .responses
            .lock()
            .unwrap()
            .pop()
            .expect("a scripted response"))
    }
}

/// The dispatcher re-sends what was certainly not processed (429, 503) and never what may
/// have been (500, 502, 504): a Twilio message is sent once whatever the 5xx.
#[test]
fn dispatcher_never_resends_an_unknown_http_outcome() {
    use smskit_provider::twilio::{Twilio, TwilioConfig};
    let response = |status: u16, body: &str| {
        http::Response::builder()
            .status(status)
            .body(smskit_provider::Body::from(body))
            .unwrap()
    };
    let created = || response(201, r#"{"sid": "SM1", "status": "queued"}"#);
    for (first, class) in [
        (response(500, ""), Some(ErrorClass::Unknown)),
        (response(502, "<html>"), Some(ErrorClass::Unknown)),
        (response(504, ""), Some(ErrorClass::Unknown)),
        (response(503, ""), None),
        (
            http::Response::builder()
                .status(503)
                .header("Retry-After", "1")
                .body(smskit_provider::Body::default())
                .unwrap(),
            None,
        ),
        (response(429, r#"{"code": 20429}"#), None),
    ] {
        let status = first.status();
        let transport = std::sync::Arc::new(Scripted::new(vec![first, created()]));
        let config = TwilioConfig::new("AC0123456789abcdef0123456789abcdef", "token").unwrap();
        let twilio = Twilio::new(config, transport.clone());
        let clock = SimulatedClock::new();
        let message =
            OutboundMessage::new(number(0), "Hi").with_from(Sender::parse("ACME").unwrap());
        let results = Dispatcher::new(&twilio, &clock)
            .with_options(DispatchOptions::default().with_retry(retry()))
            .dispatch(vec![Job::new(message, 1)]);
        let requests = transport.requests.load(std::sync::atomic::Ordering::SeqCst);
        match class {
            Some(class) => {
                assert_eq!(requests, 1, "HTTP {status} is not re-sent");
                let error = results[0].result.as_ref().unwrap_err();
                assert_eq!(error.class(), class, "HTTP {status}");
            }
            None => {
                assert_eq!(requests, 2, "HTTP {status} is retried");
                assert!(results[0].result.is_ok(), "HTTP {status}");
            }
        }
    }
}
