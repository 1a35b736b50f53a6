//! Many workers on one PostgreSQL database: four worker processes share the queue of three
//! mailings (one sent now, one scheduled, one A/B test whose deadline comes while they run)
//! and a fake Twilio on 127.0.0.1; one is killed with SIGKILL in the middle of a batch and
//! restarted. Every message is sent exactly once, except the killed worker's batch in flight,
//! which ends `unknown` and is never resent. And a rate limit holds across workers together.
//!
//! The test re-executes its own binary (this test alone, with `SMSKIT_WORKER_CHILD` set) as
//! each worker, so the process that dies is a real one with its connection open mid-batch.

mod common;

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smskit::ab::NewAbTest;
use smskit::chrono::{DateTime, TimeDelta, Utc};
use smskit::model::{Audience, MailingState, NewCampaign, NewContact, NewMailing, TraceId};
use smskit::provider::{
    DispatchOptions, FailureType, OutboundMessage, Provider, Rate, Receipt, RetryPolicy, Sender,
    StubProvider, SystemClock, TraceStatus,
};
use smskit::worker::WorkOptions;
use smskit::{Engine, Settings, Store};
use smskit_store_postgres::PostgresStore;
use smskit_store_tests::fake_twilio::{FakeTwilio, twilio};

/// Set in a child: `<schema>|<api base>|<worker index>`.
const CHILD: &str = "SMSKIT_WORKER_CHILD";
/// The multi-process test's name, which a child runs alone.
const TEST_NAME: &str = "four_worker_processes_send_every_message_once";
const WORKERS: usize = 4;
const BATCH: usize = 20;
/// The claim lease: a killed worker's batch is taken for dead this long after its claim.
const LEASE: TimeDelta = TimeDelta::seconds(2);
/// The request (counted over all workers) after which worker 0's next one is held.
const HOLD_AFTER: usize = 400;

fn wall_now() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// Each worker sends from a number of its own, so the fake server knows who sent what.
fn sender_of(worker: usize) -> Sender {
    Sender::parse(&format!("+3246020000{worker}")).unwrap()
}

fn settings(worker: usize) -> Settings {
    Settings::new()
        .with_sender(sender_of(worker))
        .with_batch_size(BATCH)
        .with_claim_lease(LEASE)
        .with_dispatch(
            DispatchOptions::default()
                .with_concurrency(2)
                .with_retry(RetryPolicy::never()),
        )
}

/// The child: works until every mailing of the schema is sent and the A/B test has its final
/// mailing (or it is killed).
fn worker(spec: &str) {
    let mut parts = spec.splitn(3, '|');
    let (schema, base, index) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap().parse::<usize>().unwrap(),
    );
    let store = PostgresStore::connect_in_schema(&common::url(), schema).unwrap();
    let mut engine = Engine::new(store, settings(index));
    let provider = twilio(base);
    let options = WorkOptions::new(format!("worker-{index}-{}", std::process::id()))
        .with_poll(Duration::from_millis(50))
        .until_idle();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        engine
            .work(
                &provider,
                &SystemClock::new(),
                wall_now(),
                &options,
                &mut |run| {
                    if let Err(error) = &run.result {
                        eprintln!("worker {index}: mailing {}: {error}", run.mailing);
                    }
                },
            )
            .unwrap();
        let store = engine.store();
        let finished = store
            .ab_tests()
            .unwrap()
            .iter()
            .all(|t| t.final_mailing.is_some())
            && store
                .mailings()
                .unwrap()
                .iter()
                .all(|m| m.state == MailingState::Sent);
        if finished {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    panic!("worker {index}: the mailings were not all sent in time");
}

fn spawn(schema: &str, base: &str, index: usize) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{schema}|{base}|{index}"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits for `child` to exit, killing it after `timeout`; `true` when it exited successfully.
fn wait(child: &mut Child, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

/// A list of `n` contacts with numbers from `first` on.
fn list(engine: &mut Engine<PostgresStore>, name: &str, first: usize, n: usize) -> Vec<i64> {
    let now = wall_now();
    let list = engine.create_list(name, true).unwrap();
    let contacts: Vec<NewContact> = (first..first + n)
        .map(|i| NewContact::new(format!("c{i:05}"), format!("+32470{i:06}")))
        .collect();
    let ids = engine.store_mut().insert_contacts(contacts, now).unwrap();
    engine.store_mut().subscribe_all(list, &ids, now).unwrap();
    vec![list.0]
}

#[test]
fn four_worker_processes_send_every_message_once() {
    if let Ok(spec) = std::env::var(CHILD) {
        worker(&spec);
        return;
    }
    let schemas = common::Schemas::new("workers");
    let schema = schemas.name();
    let store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
    let mut engine = Engine::new(store, settings(9));
    let now = wall_now();

    // Sent now: 1,500 contacts.
    let everyone = list(&mut engine, "Everyone", 0, 1_500);
    let lists =
        |ids: Vec<i64>| Audience::Lists(ids.into_iter().map(smskit::model::ListId).collect());
    let now_mailing = engine
        .create_mailing(
            NewMailing::new("now", "Hi {{ object.name }}", lists(everyone)),
            now,
        )
        .unwrap();
    engine.send_now(now_mailing).unwrap();
    // Scheduled two seconds ahead: 300 contacts.
    let later = list(&mut engine, "Later", 10_000, 300);
    let scheduled = engine
        .create_mailing(
            NewMailing::new("scheduled", "Soon {{ object.name }}", lists(later)),
            now,
        )
        .unwrap();
    engine
        .schedule(scheduled, now + TimeDelta::seconds(2), now)
        .unwrap();
    // An A/B test of 600 contacts: two versions of 10% each now, the winner to the rest once
    // its deadline (three seconds ahead) has come.
    let tested = list(&mut engine, "Tested", 20_000, 600);
    let campaign = engine
        .create_campaign(NewCampaign::new("Spring"), now)
        .unwrap();
    let mut test = NewAbTest::new(campaign, lists(tested), 7)
        .with_version("A", "A {{ object.name }}")
        .with_version("B", "B {{ object.name }}");
    test.final_at = Some(now + TimeDelta::seconds(3));
    let test = engine.create_ab_test(test, now).unwrap();
    for version in engine.ab_test(test).unwrap().versions {
        engine.send_now(version).unwrap();
    }
    drop(engine);

    // Four workers; worker 0 is killed while one of its requests is in flight, then restarted
    // once its lease has run out.
    let server = FakeTwilio::holding_first_from(sender_of(0).as_str(), HOLD_AFTER);
    let mut children: Vec<Child> = (0..WORKERS)
        .map(|index| spawn(&schema, server.base(), index))
        .collect();
    let held = server.wait_for_hold(Duration::from_secs(120));
    children[0].kill().unwrap(); // SIGKILL: no destructor, no rollback, no goodbye
    let killed = children[0].wait().unwrap();
    server.release();
    assert!(held, "worker 0 never sent request {HOLD_AFTER}");
    assert!(!killed.success(), "worker 0 finished before it was killed");
    thread::sleep(LEASE.to_std().unwrap() + Duration::from_millis(200));
    children[0] = spawn(&schema, server.base(), 0);
    for (index, child) in children.iter_mut().enumerate() {
        assert!(
            wait(child, Duration::from_secs(150)),
            "worker {index} failed or hung"
        );
    }

    // No number got two messages; every accepted trace's number got exactly one; the unknown
    // ones are one batch of worker 0 and got at most one.
    let store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
    let received = server.per_number();
    let twice: Vec<_> = received.iter().filter(|entry| *entry.1 > 1).collect();
    assert!(twice.is_empty(), "numbers sent twice: {twice:?}");
    let mut accepted = HashSet::new();
    let mut unknown: Vec<TraceId> = Vec::new();
    let mailings = store.mailings().unwrap();
    for mailing in &mailings {
        assert_eq!(mailing.state, MailingState::Sent, "{}", mailing.name);
        store
            .traces(mailing.id, &mut |trace| {
                let number = trace.number.map(|n| n.to_string()).unwrap_or_default();
                match (trace.status, trace.failure_type) {
                    (TraceStatus::Pending, None) => {
                        assert_eq!(received.get(&number), Some(&1), "{number} never received");
                        assert!(
                            accepted.insert(number),
                            "two accepted traces for one number"
                        );
                    }
                    (TraceStatus::Error, Some(FailureType::Unknown)) => {
                        assert!(received.get(&number).copied().unwrap_or(0) <= 1);
                        unknown.push(trace.id);
                    }
                    // The final mailing of the A/B test skips who a version reached.
                    (TraceStatus::Cancel, _) => {}
                    other => panic!("trace {} of {} ended {other:?}", trace.id, mailing.name),
                }
            })
            .unwrap();
    }
    assert!(
        (1..=BATCH).contains(&unknown.len()),
        "{} unknown traces: the killed worker's batch in flight",
        unknown.len()
    );
    assert_eq!(accepted.len() + unknown.len(), 1_500 + 300 + 600);
    // The server saw every accepted message, and of the lost batch no more than was claimed.
    let total: usize = received.values().sum();
    assert!((accepted.len() + 1..=accepted.len() + unknown.len()).contains(&total));
    // One winner, one final mailing.
    let ab = store.ab_tests().unwrap();
    let final_mailing = ab[0].final_mailing.expect("the winner was chosen");
    let of_test: Vec<_> = mailings
        .iter()
        .filter(|m| m.ab_test == Some(ab[0].id))
        .collect();
    assert_eq!(of_test.len(), 3, "two versions and one final mailing");
    assert!(of_test.iter().any(|m| m.id == final_mailing));
    // Every worker sent a share.
    let senders: HashSet<String> = server.received().into_iter().map(|r| r.from).collect();
    assert_eq!(senders.len(), WORKERS, "{senders:?}");
}

/// Accepts every message at once and notes when each left.
#[derive(Debug, Default)]
struct Timed {
    inner: StubProvider,
    sent_at: Mutex<Vec<Instant>>,
}

impl Provider for Timed {
    fn name(&self) -> &str {
        "timed"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt, smskit::provider::Error> {
        self.sent_at.lock().unwrap().push(Instant::now());
        self.inner.submit(message)
    }
}

#[test]
fn a_rate_limit_holds_across_workers_together() {
    const MESSAGES: usize = 150;
    const RATE: u32 = 50;
    const BATCH_OF_RATE_TEST: usize = 10;
    let schemas = common::Schemas::new("rate");
    let schema = schemas.name();
    let settings = || {
        Settings::new()
            .with_sender(sender_of(0))
            .with_batch_size(BATCH_OF_RATE_TEST)
            .with_dispatch(
                DispatchOptions::default()
                    .with_concurrency(2)
                    .with_rate(Rate::per_second(RATE).unwrap()),
            )
    };
    let mut engine = Engine::new(
        PostgresStore::connect_in_schema(&common::url(), &schema).unwrap(),
        settings(),
    );
    let everyone = list(&mut engine, "Everyone", 0, MESSAGES);
    let mailing = engine
        .create_mailing(
            NewMailing::new(
                "m",
                "Hi",
                Audience::Lists(vec![smskit::model::ListId(everyone[0])]),
            ),
            wall_now(),
        )
        .unwrap();
    engine.send_now(mailing).unwrap();
    engine.prepare(mailing).unwrap();
    drop(engine);

    let provider = Arc::new(Timed::default());
    let started = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|index| {
            let (provider, schema) = (Arc::clone(&provider), schema.clone());
            thread::spawn(move || {
                let store = PostgresStore::connect_in_schema(&common::url(), &schema).unwrap();
                let mut engine = Engine::new(store, settings());
                let options = WorkOptions::new(format!("rate-{index}")).until_idle();
                engine
                    .work(
                        &*provider,
                        &SystemClock::new(),
                        wall_now(),
                        &options,
                        &mut |_| {},
                    )
                    .unwrap()
                    .sent
                    .accepted
            })
        })
        .collect();
    let accepted: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let elapsed = started.elapsed();
    assert_eq!(accepted, MESSAGES);
    let mut sent_at = provider.sent_at.lock().unwrap().clone();
    sent_at.sort_unstable();
    // 150 messages at 50 a second whoever sends them: the last is due 2.98 s after the first
    // (four workers each pacing alone would take under a second). A first message that left
    // late shortens the span by its lateness (tens of milliseconds on a loaded machine).
    let span = sent_at[MESSAGES - 1] - sent_at[0];
    assert!(span >= Duration::from_millis(2_700), "{span:?}");
    // No second holds more than its 50, plus one batch: a worker that wakes late for its
    // booking paces its batch from when it woke, into the next booking by that lateness (on
    // this shared 2-core machine, tens of milliseconds). Each worker pacing alone would put
    // 200 in a second.
    let mut busiest = 0;
    for (i, first) in sent_at.iter().enumerate() {
        let within = sent_at[i..]
            .iter()
            .take_while(|at| **at - *first < Duration::from_secs(1))
            .count();
        busiest = busiest.max(within);
    }
    eprintln!("busiest second: {busiest} messages; span {span:?}");
    assert!(
        busiest <= RATE as usize + BATCH_OF_RATE_TEST,
        "{busiest} in one second"
    );
    assert!(elapsed < Duration::from_secs(30));
}
